//! Errors of handlers, mapped to status codes in one place. A page error becomes a marker that
//! the `error_pages` middleware renders in the visitor's language; an API error becomes JSON.
use crate::auth::Visitor;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use megapolis_assignments::workflow::WorkflowError;
use megapolis_storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("{0}")]
    BadRequest(String),
    /// Input that was read but cannot be accepted, said in words.
    #[error("{0}")]
    Unprocessable(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

/// Placed on a bare error response so `error_pages` renders it.
#[derive(Clone, Copy)]
pub struct ErrorPage;

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::Storage(StorageError::NotFound(_)) => {
                StatusCode::NOT_FOUND
            }
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Storage(StorageError::Conflict(_)) => StatusCode::CONFLICT,
            AppError::Storage(StorageError::Refused(refusal)) => refusal_status(refusal),
            AppError::Storage(_) | AppError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The same error as a JSON body, for the API.
    pub fn into_json(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!("api: {self}");
        }
        let message = if status.is_server_error() {
            "internal error".to_string()
        } else {
            self.to_string()
        };
        let mut body = serde_json::json!({ "error": message, "status": status.as_u16() });
        if let AppError::Storage(StorageError::Refused(refusal)) = &self {
            body["code"] = refusal.code().into();
        }
        (status, Json(body)).into_response()
    }
}

/// A workflow refusal: not yours to do (403), a field to correct (422), or not in this state (409).
pub fn refusal_status(refusal: &WorkflowError) -> StatusCode {
    match refusal {
        WorkflowError::NotPermitted { .. } => StatusCode::FORBIDDEN,
        WorkflowError::Required { .. }
        | WorkflowError::Progress(_)
        | WorkflowError::ExtensionNotLater { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::CONFLICT,
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!("page: {self}");
        }
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorPage);
        response
    }
}

/// Renders 403, 404 and 500 pages (including the router's own 404) in the visitor's language.
pub async fn error_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let visitor = request.extensions().get::<Visitor>().cloned();
    let response = next.run(request).await;
    let status = response.status();
    let is_page_error = response.extensions().get::<ErrorPage>().is_some()
        || (status == StatusCode::NOT_FOUND && response.headers().get("content-type").is_none());
    match visitor {
        Some(visitor) if is_page_error && !visitor.api => {
            let key = match status.as_u16() {
                403 => "error-403",
                404 => "error-404",
                400 | 409 => "error-400",
                _ => "error-500",
            };
            let page = crate::render::render(
                &state,
                &visitor,
                "error.html",
                minijinja::context! { status => status.as_u16(), message_key => key },
            );
            (status, page).into_response()
        }
        _ => response,
    }
}

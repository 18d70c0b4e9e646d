//! Errors of handlers, mapped to status codes in one place. A page error becomes a marker that
//! the `error_pages` middleware renders in the visitor's language; an API error becomes JSON.
use crate::auth::Visitor;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use megapolis_assignments::workflow::WorkflowError;
use megapolis_storage::StorageError;
use megapolis_training::DecisionError;

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
    /// A body the framework could not read (too large, malformed), with the status it gave.
    #[error("{message}")]
    Rejected { status: StatusCode, message: String },
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
            AppError::Rejected { status, .. } => *status,
            AppError::Storage(StorageError::Conflict(_)) => StatusCode::CONFLICT,
            AppError::Storage(StorageError::Refused(refusal)) => refusal_status(refusal),
            AppError::Storage(StorageError::Campaign(refusal)) => {
                StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::CONFLICT)
            }
            AppError::Storage(StorageError::Nomination(refusal)) if refusal.is_forbidden() => {
                StatusCode::FORBIDDEN
            }
            AppError::Storage(StorageError::Nomination(_)) => StatusCode::CONFLICT,
            AppError::Storage(StorageError::Decision(DecisionError::NoReason)) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            AppError::Storage(StorageError::Decision(_)) => StatusCode::CONFLICT,
            AppError::Storage(StorageError::Competition(refusal)) => {
                StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::CONFLICT)
            }
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
        let code = match &self {
            AppError::Storage(StorageError::Refused(refusal)) => refusal.code(),
            AppError::Storage(StorageError::Campaign(refusal)) => refusal.code(),
            AppError::Storage(StorageError::Nomination(refusal)) => refusal.code(),
            AppError::Storage(StorageError::Decision(refusal)) => refusal.code(),
            AppError::Storage(StorageError::Competition(refusal)) => refusal.code(),
            _ => status_code(status),
        };
        json_error(status, code, &message)
    }
}

/// The API's error object: `{"error": "…", "status": 404, "code": "not_found"}`.
pub fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(serde_json::json!({ "error": message, "status": status.as_u16(), "code": code })),
    )
        .into_response()
}

/// The stable code of an error status.
pub fn status_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "timeout",
        409 => "conflict",
        413 => "too_large",
        415 => "unsupported_media_type",
        422 => "unprocessable",
        429 => "too_many_requests",
        _ => "internal",
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

/// A rejection of the framework's extractors (a path, query, JSON or form it could not read, a
/// body too large or of the wrong type): plain text, never written by a handler of ours.
fn is_rejection(response: &Response) -> bool {
    response.status().is_client_error()
        && response.extensions().get::<ErrorPage>().is_none()
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"text/plain"))
}

/// The status a rejection stands for: a path that does not parse (`/assignments/abc`) names
/// nothing, so it is a 404; the others keep theirs.
async fn rejection_status(response: Response) -> (StatusCode, String) {
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 4096)
        .await
        .unwrap_or_default();
    let message = String::from_utf8_lossy(&bytes).trim().to_string();
    if status == StatusCode::BAD_REQUEST && message.starts_with("Invalid URL") {
        (StatusCode::NOT_FOUND, message)
    } else {
        (status, message)
    }
}

/// Renders error pages (including the router's own 404 and the framework's rejections) in the
/// visitor's language, and gives every API error the JSON error object with a stable code.
pub async fn error_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let visitor = request.extensions().get::<Visitor>().cloned();
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if is_rejection(&response) {
        let (status, message) = rejection_status(response).await;
        return match visitor {
            Some(visitor) if !api && !visitor.api => error_page(&state, &visitor, status).await,
            _ => json_error(status, status_code(status), &message),
        };
    }
    let status = response.status();
    let unmarked_404 =
        status == StatusCode::NOT_FOUND && response.headers().get(header::CONTENT_TYPE).is_none();
    if api && unmarked_404 {
        return json_error(status, status_code(status), "no such resource");
    }
    let is_page_error = response.extensions().get::<ErrorPage>().is_some() || unmarked_404;
    match visitor {
        Some(visitor) if is_page_error && !visitor.api => {
            error_page(&state, &visitor, status).await
        }
        _ => response,
    }
}

async fn error_page(state: &AppState, visitor: &Visitor, status: StatusCode) -> Response {
    let key = match status.as_u16() {
        403 => "error-403",
        404 => "error-404",
        413 => "error-413",
        400 | 405 | 409 | 415 | 422 => "error-400",
        _ => "error-500",
    };
    let page = crate::render::render(
        state,
        visitor,
        "error.html",
        minijinja::context! { status => status.as_u16(), message_key => key },
    )
    .await;
    (status, page).into_response()
}

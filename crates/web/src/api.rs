//! The JSON API under `/api/v1`. Its types are separate from the domain's so the published shape
//! changes only on purpose; the OpenAPI document is generated from these declarations.
use crate::error::AppError;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Json;
use serde::Serialize;
use utoipa::OpenApi;
use utoipa::ToSchema;

/// An error: `{"error": "…", "status": 404}`; `fields` names each invalid field.
#[derive(Serialize, ToSchema)]
pub struct ApiError {
    pub error: String,
    pub status: u16,
    /// A stable code: not_found, bad_request, unprocessable, too_large, invalid_fields, a workflow
    /// refusal (`workflow-…`), …
    pub code: String,
    pub fields: Option<Vec<ApiFieldError>>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiFieldError {
    pub field: String,
    pub error: String,
}

pub(crate) fn invalid(errors: megapolis_domain::FieldErrors) -> Response {
    let fields = errors
        .0
        .iter()
        .map(|e| ApiFieldError {
            field: e.field.into(),
            error: e.key.into(),
        })
        .collect();
    let body = ApiError {
        error: "invalid input".into(),
        status: 422,
        code: "invalid_fields".into(),
        fields: Some(fields),
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

pub(crate) type ApiResult = Result<Response, Response>;

pub(crate) fn fail(e: impl Into<AppError>) -> Response {
    e.into().into_json()
}

pub(crate) struct BearerSecurity;

impl utoipa::Modify for BearerSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Megapolis API", version = "1", description = "Open data and machine access to the association's records. Reads are public; writes need a bearer token of a Secretariat or administrator account (create one on your profile page)."),
    components(schemas(ApiError, ApiFieldError)),
    modifiers(&BearerSecurity)
)]
pub(crate) struct ApiDoc;

/// The whole document: the shared part and every capability's paths and schemas.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for part in crate::capabilities().iter().filter_map(|c| c.openapi) {
        doc.merge(part());
    }
    doc
}

pub async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(document())
}

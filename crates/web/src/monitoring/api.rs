//! Monitoring in the JSON API: post an edition (multipart: `meta`, `spec`, optional `data`,
//! `year`, `title_ru`, `title_en`), compute it in a background job, publish it, and read its
//! results as JSON or CSV (staff only until published).
use crate::api::{fail, ApiError};
use crate::auth::Visitor;
use crate::error::{json_error, AppError};
use crate::state::AppState;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use megapolis_monitoring::{EditionInput, InputError, InputPart, MetaTable, Ranking};
use megapolis_storage::monitoring::EditionSummary;
use serde::Serialize;
use utoipa::ToSchema;

pub(crate) type ApiResult = Result<Response, Response>;

/// An edition as listed.
#[derive(Serialize, ToSchema)]
pub struct ApiEdition {
    pub id: i64,
    pub year: i32,
    pub title_ru: String,
    pub title_en: String,
    /// draft | computed | published
    pub state: String,
    /// Verified data came with the edition, so it can be computed.
    pub has_data: bool,
    pub created_at: String,
    pub published_at: Option<String>,
    /// The pin of the stored result: SHA-256 of data, meta, spec, seed and engine version.
    pub pin: Option<String>,
    pub computed_at: Option<String>,
}

impl From<EditionSummary> for ApiEdition {
    fn from(e: EditionSummary) -> ApiEdition {
        ApiEdition {
            id: e.id,
            year: e.year,
            title_ru: e.title_ru,
            title_en: e.title_en,
            state: e.state.as_str().into(),
            has_data: e.has_data,
            created_at: e.created_at,
            published_at: e.published_at,
            pin: e.pin,
            computed_at: e.computed_at,
        }
    }
}

/// The multipart form of a new edition.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiEditionUpload {
    /// iMeta.csv in COINr's conventions (Level, iCode, iName, Direction, Weight, Unit, Target,
    /// Denominator, Parent, Type), optionally with name_ru, name_en, question_ru, question_en,
    /// answer_type, choices, min, max, evidence; or the same table as an XLSX workbook (the sheet
    /// `iMeta`, else the first).
    #[schema(value_type = String, format = Binary)]
    meta: Vec<u8>,
    /// build.toml: the [[step]] list and an optional [analysis].
    #[schema(value_type = String, format = Binary)]
    spec: Vec<u8>,
    /// iData.csv of verified values keyed by unit code in uCode (optional).
    #[schema(value_type = Option<String>, format = Binary)]
    data: Option<Vec<u8>>,
    year: i32,
    title_ru: String,
    title_en: String,
}

/// The id of a new edition.
#[derive(Serialize, ToSchema)]
pub struct ApiEditionCreated {
    pub id: i64,
}

/// The job that computes an edition: follow it at `/api/v1/jobs/{job}`.
#[derive(Serialize, ToSchema)]
pub struct ApiComputeQueued {
    pub job: i64,
}

/// A refused edition: the error object with the file (meta, spec, data), row and column.
#[derive(Serialize, ToSchema)]
pub struct ApiEditionError {
    pub error: String,
    pub status: u16,
    /// invalid_file | invalid_fields
    pub code: String,
    /// meta | spec | data, when a file is at fault.
    pub file: Option<String>,
    /// 1-based line of the file (the header is row 1).
    pub row: Option<usize>,
    pub column: Option<String>,
    pub fields: Vec<crate::api::ApiFieldError>,
}

/// One unit of a result, in rank order. After `rank_high` comes one key per aggregate code
/// (the top level first, then each level down, in framework order) with its score, or null.
#[derive(Serialize, ToSchema)]
pub struct ApiResultRow {
    /// The unit's code (uCode).
    pub city: String,
    pub rank: Option<u32>,
    /// The 5th percentile of the simulated ranks, rounded down (never above `rank`).
    pub rank_low: Option<u32>,
    /// The 95th percentile of the simulated ranks, rounded up (never below `rank`).
    pub rank_high: Option<u32>,
}

pub(crate) fn input_error(e: &InputError) -> Response {
    let is_file = matches!(e.part, InputPart::Meta | InputPart::Spec | InputPart::Data);
    let body = ApiEditionError {
        error: e.to_string(),
        status: 422,
        code: if is_file {
            "invalid_file"
        } else {
            "invalid_fields"
        }
        .into(),
        file: is_file.then(|| e.part.as_str().to_string()),
        row: e.row,
        column: e.column.clone(),
        fields: vec![crate::api::ApiFieldError {
            field: e.part.as_str().into(),
            error: e.message.clone(),
        }],
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

fn missing(part: InputPart) -> InputError {
    InputError {
        part,
        row: None,
        column: None,
        message: format!("the field '{}' is required", part.as_str()),
    }
}

fn text_of(part: InputPart, bytes: &[u8]) -> Result<String, InputError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| InputError {
        part,
        row: None,
        column: None,
        message: "not UTF-8 text".into(),
    })
}

/// Checks an edition through the engine ([`EditionInput::parse`]): reading the files (and a
/// nominal build with data) is CPU work, so it runs off the async workers. The outer error is
/// the check's thread failing; the inner one the input's refusal.
pub(crate) async fn checked(
    input: EditionInput,
) -> Result<Result<megapolis_monitoring::Edition, InputError>, anyhow::Error> {
    tokio::task::spawn_blocking(move || input.parse())
        .await
        .map_err(|e| anyhow::anyhow!("checking an edition stopped: {e}"))
}

/// How an XLSX file (a ZIP archive) begins.
const XLSX_MAGIC: &[u8] = b"PK\x03\x04";

/// The edition a form sent: files or text fields by name. `Err` names what is missing or
/// unreadable.
pub(crate) fn edition_input(fields: &[(String, Vec<u8>)]) -> Result<EditionInput, InputError> {
    let get = |part: InputPart| -> Result<Option<String>, InputError> {
        fields
            .iter()
            .find(|(name, _)| name == part.as_str())
            .map(|(_, bytes)| match part {
                // iMeta may come as a workbook, read as its CSV would be.
                InputPart::Meta if bytes.starts_with(XLSX_MAGIC) => {
                    MetaTable::read_xlsx(bytes).map(|table| table.to_csv())
                }
                _ => text_of(part, bytes),
            })
            .transpose()
    };
    let required = |part: InputPart| {
        get(part)?
            .filter(|t| !t.trim().is_empty())
            .ok_or(missing(part))
    };
    Ok(EditionInput {
        meta: required(InputPart::Meta)?,
        spec: required(InputPart::Spec)?,
        data: get(InputPart::Data)?.filter(|t| !t.trim().is_empty()),
        year: required(InputPart::Year)?,
        title_ru: get(InputPart::TitleRu)?.unwrap_or_default(),
        title_en: get(InputPart::TitleEn)?.unwrap_or_default(),
    })
}

async fn multipart_fields(
    request: Request,
    state: &AppState,
) -> Result<Vec<(String, Vec<u8>)>, Response> {
    let bad = |status: StatusCode, message: String| {
        json_error(status, crate::error::status_code(status), &message)
    };
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|e| bad(e.status(), e.body_text()))?;
    let mut fields = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| bad(e.status(), e.body_text()))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let bytes = field
            .bytes()
            .await
            .map_err(|e| bad(e.status(), e.body_text()))?;
        fields.push((name, bytes.to_vec()));
    }
    Ok(fields)
}

#[utoipa::path(post, path = "/api/v1/monitoring/editions", tag = "monitoring",
    request_body(content = ApiEditionUpload, content_type = "multipart/form-data"),
    security(("bearer" = [])),
    responses((status = 201, body = ApiEditionCreated),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 422, description = "A file or field is refused; nothing is saved", body = ApiEditionError)))]
pub async fn create_edition(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    request: Request,
) -> ApiResult {
    let fields = multipart_fields(request, &state).await?;
    let input = edition_input(&fields).map_err(|e| input_error(&e))?;
    let edition = checked(input)
        .await
        .map_err(fail)?
        .map_err(|e| input_error(&e))?;
    let id = state
        .store
        .monitoring()
        .create(&visitor.actor(), &edition)
        .await
        .map_err(fail)?;
    Ok((StatusCode::CREATED, Json(ApiEditionCreated { id })).into_response())
}

#[utoipa::path(get, path = "/api/v1/monitoring/editions", tag = "monitoring",
    responses((status = 200, description = "Published editions; staff see every edition", body = Vec<ApiEdition>)))]
pub async fn list_editions(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> ApiResult {
    let editions = state
        .store
        .monitoring()
        .list(!visitor.is_staff())
        .await
        .map_err(fail)?;
    let list: Vec<ApiEdition> = editions.into_iter().map(ApiEdition::from).collect();
    Ok(Json(list).into_response())
}

/// The edition `id` names, if the visitor may see it (published, or staff).
pub(crate) async fn visible_edition(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
) -> Result<EditionSummary, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    state
        .store
        .monitoring()
        .summary(id)
        .await?
        .filter(|e| e.state.is_public() || visitor.is_staff())
        .ok_or(AppError::NotFound)
}

fn conflict(message: impl std::fmt::Display) -> Response {
    json_error(StatusCode::CONFLICT, "conflict", &message.to_string())
}

#[utoipa::path(post, path = "/api/v1/monitoring/editions/{id}/compute", tag = "monitoring",
    params(("id" = i64, Path, description = "edition id")),
    security(("bearer" = [])),
    responses((status = 202, description = "Queued; follow the job at /api/v1/jobs/{job}", body = ApiComputeQueued),
        (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, description = "The edition has no data to compute", body = ApiError)))]
pub async fn compute(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> ApiResult {
    let edition = visible_edition(&state, &visitor, &id).await.map_err(fail)?;
    edition.state.compute(edition.has_data).map_err(conflict)?;
    let job = super::job::enqueue(&state.store, edition.id, &visitor.actor())
        .await
        .map_err(|e| fail(anyhow::anyhow!(e)))?;
    Ok((StatusCode::ACCEPTED, Json(ApiComputeQueued { job })).into_response())
}

#[utoipa::path(post, path = "/api/v1/monitoring/editions/{id}/publish", tag = "monitoring",
    params(("id" = i64, Path, description = "edition id")),
    security(("bearer" = [])),
    responses((status = 200, description = "Published (or already)", body = ApiEdition),
        (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, description = "Not computed yet", body = ApiError)))]
pub async fn publish(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> ApiResult {
    let edition = visible_edition(&state, &visitor, &id).await.map_err(fail)?;
    state
        .store
        .monitoring()
        .publish(&visitor.actor(), edition.id)
        .await
        .map_err(fail)?;
    let published = visible_edition(&state, &visitor, &id).await.map_err(fail)?;
    Ok(Json(ApiEdition::from(published)).into_response())
}

/// The stored result of an edition the visitor may see; 409 when it is not computed yet.
async fn ranking_of(state: &AppState, visitor: &Visitor, id: &str) -> Result<Ranking, Response> {
    let edition = visible_edition(state, visitor, id).await.map_err(fail)?;
    let stored = state
        .store
        .monitoring()
        .result(edition.id)
        .await
        .map_err(fail)?
        .ok_or_else(|| conflict("the edition has not been computed yet"))?;
    Ok(stored.ranking)
}

#[utoipa::path(get, path = "/api/v1/monitoring/editions/{id}/results", tag = "monitoring",
    params(("id" = i64, Path, description = "edition id")),
    responses((status = 200, description = "One object per unit in rank order: city, rank, rank_low, rank_high, then one score per aggregate code, top level first", body = Vec<ApiResultRow>),
        (status = 404, description = "No such edition, or not published and the caller is not staff", body = ApiError),
        (status = 409, description = "Not computed yet", body = ApiError)))]
pub async fn results(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> ApiResult {
    let ranking = ranking_of(&state, &visitor, &id).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        super::views::results_json(&ranking),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/monitoring/editions/{id}/results.csv", tag = "monitoring",
    params(("id" = i64, Path, description = "edition id")),
    responses((status = 200, description = "CSV: city,rank,rank_low,rank_high,<aggregate codes…>", content_type = "text/csv", body = String),
        (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn results_csv(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> ApiResult {
    let ranking = ranking_of(&state, &visitor, &id).await?;
    let name = format!("monitoring-{}-results.csv", id.trim());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                crate::downloads::content_disposition(&name),
            ),
        ],
        super::views::results_csv(&ranking),
    )
        .into_response())
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        create_edition,
        list_editions,
        compute,
        publish,
        results,
        results_csv,
        super::public::data_csv,
        super::public::data_json,
        super::public::data_xlsx
    ),
    components(schemas(
        ApiEdition,
        ApiEditionUpload,
        ApiEditionCreated,
        ApiComputeQueued,
        ApiEditionError,
        ApiResultRow
    ))
)]
pub(crate) struct Api;

/// This capability's part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    <Api as utoipa::OpenApi>::openapi()
}

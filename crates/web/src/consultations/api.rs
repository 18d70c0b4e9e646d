//! Consultations in the JSON API: open one (Secretariat), list and read them (public, without
//! authors), submit (anyone signed in; a city representative for their own city), and for the
//! Expert Council and the Secretariat the suggested groups and the most similar submissions.
use crate::api::{fail, ApiError, ApiFieldError};
use crate::auth::Visitor;
use crate::error::{json_error, AppError};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use megapolis_consultations::{
    cluster, may_review, parse_limit, parse_threshold, ConsultationInput, Mode, Refusal,
    SubmissionInput, MAX_LIMIT,
};
use megapolis_domain::FieldErrors;
use megapolis_storage::consultations::{Consultation, Submission};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

pub(crate) type ApiResult = Result<Response, Response>;

/// A consultation.
#[derive(Serialize, ToSchema)]
pub struct ApiConsultation {
    pub id: i64,
    pub title_ru: String,
    pub title_en: String,
    /// YYYY-MM-DD, when set.
    pub opens_on: Option<String>,
    pub closes_on: Option<String>,
    pub topics: Vec<String>,
    /// open | closed
    pub state: String,
    /// How many submissions it has.
    pub submission_count: i64,
    pub created_at: String,
}

impl From<Consultation> for ApiConsultation {
    fn from(c: Consultation) -> Self {
        ApiConsultation {
            id: c.id,
            title_ru: c.title_ru,
            title_en: c.title_en,
            opens_on: c.opens_on,
            closes_on: c.closes_on,
            topics: c.topics,
            state: c.state.as_str().into(),
            submission_count: c.submissions,
            created_at: c.created_at,
        }
    }
}

/// A submission as published: what it asks and for which city, not who wrote it.
#[derive(Serialize, ToSchema)]
pub struct ApiSubmission {
    pub id: i64,
    /// The city code, when it speaks for a city.
    pub city: Option<String>,
    /// ru | en
    pub lang: String,
    /// proposal | remark
    pub kind: String,
    pub topic: Option<String>,
    pub text: String,
    pub created_at: String,
}

impl From<Submission> for ApiSubmission {
    fn from(s: Submission) -> Self {
        ApiSubmission {
            id: s.id,
            city: s.city.map(|c| c.to_string()),
            lang: s.lang.code().into(),
            kind: s.kind.as_str().into(),
            topic: s.topic,
            text: s.text,
            created_at: s.created_at,
        }
    }
}

/// A consultation with its submissions, by id.
#[derive(Serialize, ToSchema)]
pub struct ApiConsultationWithSubmissions {
    #[serde(flatten)]
    pub consultation: ApiConsultation,
    pub submissions: Vec<ApiSubmission>,
}

/// A new consultation. At least one title; dates as YYYY-MM-DD.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiNewConsultation {
    title_ru: String,
    title_en: String,
    opens_on: Option<String>,
    closes_on: Option<String>,
    topics: Option<Vec<String>>,
}

/// A new submission.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiNewSubmission {
    /// A member city's code. The Secretariat may name any city; a city representative only
    /// their own (the default when omitted); other participants none.
    city: Option<String>,
    /// ru | en; when omitted, the script most of the text is written in.
    lang: Option<String>,
    /// proposal | remark
    kind: String,
    /// 1 to 20,000 characters.
    text: String,
    topic: Option<String>,
}

/// The id of what was created.
#[derive(Serialize, ToSchema)]
pub struct ApiCreated {
    pub id: i64,
}

/// One suggested group.
#[derive(Serialize, ToSchema)]
pub struct ApiCluster {
    /// Submission ids, ascending.
    pub submissions: Vec<i64>,
}

/// The suggested groups at a threshold: every submission in exactly one group (a group of one
/// is a submission like no other); groups ordered by their smallest id.
#[derive(Serialize, ToSchema)]
pub struct ApiClusters {
    pub threshold: f64,
    /// `lexical` (words and character n-grams) or `lexical+semantic` (with embeddings).
    pub signals: &'static str,
    pub clusters: Vec<ApiCluster>,
}

/// A similar submission and its score in [0, 1].
#[derive(Serialize, ToSchema)]
pub struct ApiSimilar {
    pub id: i64,
    pub score: f64,
}

/// The most similar submissions, most similar first; never the submission itself.
#[derive(Serialize, ToSchema)]
pub struct ApiSimilarList {
    pub similar: Vec<ApiSimilar>,
}

fn error(status: StatusCode, code: &str, message: impl std::fmt::Display) -> Response {
    json_error(status, code, &message.to_string())
}

/// A field's problem in words, for API clients.
fn field_message(field: &str, key: &str) -> String {
    match key {
        "error-required" => format!("{field} is required"),
        "error-too-long" if field == "text" => format!(
            "text is too long: at most {} characters",
            megapolis_consultations::model::MAX_TEXT_CHARS
        ),
        "error-too-long" => format!("{field} is too long"),
        "error-choice" if field == "kind" => "kind must be proposal or remark".into(),
        "error-choice" if field == "lang" => "lang must be ru or en".into(),
        "error-city-code" => format!("{field} is not a city code"),
        "error-date" => format!("{field} must be a date YYYY-MM-DD"),
        "error-not-text" => format!("{field} must be a string"),
        "consultation-error-period" => "closes_on is before opens_on".into(),
        other => format!("{field}: {other}"),
    }
}

/// 422 with every field's problem: `error` names them all, `fields` one by one.
pub(crate) fn invalid(errors: &FieldErrors) -> Response {
    let fields: Vec<ApiFieldError> = errors
        .0
        .iter()
        .map(|e| ApiFieldError {
            field: e.field.into(),
            error: field_message(e.field, e.key),
        })
        .collect();
    let summary: Vec<&str> = fields.iter().map(|f| f.error.as_str()).collect();
    let body = ApiError {
        error: summary.join("; "),
        status: 422,
        code: "invalid_fields".into(),
        fields: Some(fields),
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// The refusal of a submission: 403 for another city, 422 otherwise.
pub(crate) fn refused(refusal: &Refusal) -> Response {
    let status = match refusal {
        Refusal::NotYourCity => StatusCode::FORBIDDEN,
        Refusal::Closed | Refusal::UnknownCity(_) => StatusCode::UNPROCESSABLE_ENTITY,
    };
    error(status, refusal.code(), refusal)
}

/// Why a JSON body could not be read into text fields.
enum BodyProblem {
    /// Not a JSON object: 400.
    NotAnObject(String),
    /// A field of another type than text: 422 naming it.
    Fields(FieldErrors),
}

impl BodyProblem {
    fn response(self) -> Response {
        match self {
            BodyProblem::NotAnObject(message) => {
                error(StatusCode::BAD_REQUEST, "bad_request", message)
            }
            BodyProblem::Fields(errors) => invalid(&errors),
        }
    }
}

/// A JSON object's text fields by name: a missing or null field is empty; a list of strings
/// (topics) is one per line; a field of another type is an error on that field.
fn text_fields(
    body: &Bytes,
    names: &[&'static str],
) -> Result<HashMap<&'static str, String>, BodyProblem> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| BodyProblem::NotAnObject(format!("expected a JSON object: {e}")))?;
    let object = value
        .as_object()
        .ok_or_else(|| BodyProblem::NotAnObject("expected a JSON object".into()))?;
    let mut errors = FieldErrors::default();
    let mut out = HashMap::new();
    for name in names {
        match object.get(*name) {
            None | Some(serde_json::Value::Null) => {
                out.insert(*name, String::new());
            }
            Some(serde_json::Value::String(s)) => {
                out.insert(*name, s.clone());
            }
            Some(serde_json::Value::Array(items)) if items.iter().all(|i| i.is_string()) => {
                let list: Vec<&str> = items.iter().filter_map(|i| i.as_str()).collect();
                out.insert(*name, list.join("\n"));
            }
            Some(_) => errors.add(name, "error-not-text"),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(BodyProblem::Fields(errors))
    }
}

/// The consultation `id` names.
pub(crate) async fn consultation(state: &AppState, id: &str) -> Result<Consultation, AppError> {
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    state
        .store
        .consultations()
        .get(id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Refuses (403) whoever may not review: see `megapolis_consultations::may_review`.
pub(crate) fn reviewer(visitor: &Visitor) -> Result<(), AppError> {
    match &visitor.person {
        Some(person) if may_review(person) => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

#[utoipa::path(post, path = "/api/v1/consultations", tag = "consultations",
    request_body = ApiNewConsultation, security(("bearer" = [])),
    responses((status = 201, body = ApiCreated), (status = 400, body = ApiError),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 422, description = "A field is refused; nothing is saved", body = ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    body: Bytes,
) -> ApiResult {
    let fields = text_fields(
        &body,
        &["title_ru", "title_en", "opens_on", "closes_on", "topics"],
    )
    .map_err(BodyProblem::response)?;
    let input = ConsultationInput {
        title_ru: fields["title_ru"].clone(),
        title_en: fields["title_en"].clone(),
        opens_on: fields["opens_on"].clone(),
        closes_on: fields["closes_on"].clone(),
        topics: fields["topics"].clone(),
    };
    let consultation = input.parse().map_err(|e| invalid(&e))?;
    let id = state
        .store
        .consultations()
        .create(&visitor.actor(), &consultation)
        .await
        .map_err(fail)?;
    Ok((StatusCode::CREATED, Json(ApiCreated { id })).into_response())
}

#[utoipa::path(get, path = "/api/v1/consultations", tag = "consultations",
    responses((status = 200, description = "Every consultation, newest first", body = Vec<ApiConsultation>)))]
pub async fn list(State(state): State<AppState>) -> ApiResult {
    let list = state.store.consultations().list().await.map_err(fail)?;
    let list: Vec<ApiConsultation> = list.into_iter().map(ApiConsultation::from).collect();
    Ok(Json(list).into_response())
}

#[utoipa::path(get, path = "/api/v1/consultations/{id}", tag = "consultations",
    params(("id" = i64, Path, description = "consultation id")),
    responses((status = 200, description = "The consultation and its submissions (`submissions`), by id", body = ApiConsultationWithSubmissions),
        (status = 404, body = ApiError)))]
pub async fn get_one(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let consultation = consultation(&state, &id).await.map_err(fail)?;
    let submissions = state
        .store
        .consultations()
        .submissions(consultation.id)
        .await
        .map_err(fail)?;
    Ok(Json(ApiConsultationWithSubmissions {
        consultation: consultation.into(),
        submissions: submissions.into_iter().map(ApiSubmission::from).collect(),
    })
    .into_response())
}

#[utoipa::path(post, path = "/api/v1/consultations/{id}/close", tag = "consultations",
    params(("id" = i64, Path, description = "consultation id")), security(("bearer" = [])),
    responses((status = 200, description = "Closed (or already)", body = ApiConsultation),
        (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn close(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> ApiResult {
    let found = consultation(&state, &id).await.map_err(fail)?;
    state
        .store
        .consultations()
        .close(&visitor.actor(), found.id)
        .await
        .map_err(fail)?;
    let closed = consultation(&state, &id).await.map_err(fail)?;
    Ok(Json(ApiConsultation::from(closed)).into_response())
}

/// Parses and saves a submission: `Err` is the response of a refusal (nothing saved).
pub(crate) async fn submit_input(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    input: &SubmissionInput,
) -> Result<i64, Submit> {
    let person = visitor
        .person
        .as_ref()
        .ok_or(Submit::Failed(AppError::Forbidden))?;
    let submission = input.parse().map_err(Submit::Invalid)?;
    let saved = state
        .store
        .consultations()
        .submit(person, id, &submission)
        .await
        .map_err(|e| Submit::Failed(e.into()))?
        .map_err(Submit::Refused)?;
    super::embeddings::queue(state, id, &person.email.to_string()).await;
    Ok(saved)
}

/// Why a submission was not saved.
pub(crate) enum Submit {
    Invalid(FieldErrors),
    Refused(Refusal),
    Failed(AppError),
}

#[utoipa::path(post, path = "/api/v1/consultations/{id}/submissions", tag = "consultations",
    params(("id" = i64, Path, description = "consultation id")),
    request_body = ApiNewSubmission, security(("bearer" = [])),
    responses((status = 201, body = ApiCreated), (status = 400, body = ApiError),
        (status = 401, body = ApiError),
        (status = 403, description = "A city that is not the caller's to speak for", body = ApiError),
        (status = 404, body = ApiError),
        (status = 422, description = "An empty or too long text, a bad kind or lang, an unknown city, a closed consultation; nothing is saved", body = ApiError)))]
pub async fn submit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let found = consultation(&state, &id).await.map_err(fail)?;
    let fields = text_fields(&body, &["city", "lang", "kind", "text", "topic"])
        .map_err(BodyProblem::response)?;
    let input = SubmissionInput {
        city: fields["city"].clone(),
        lang: fields["lang"].clone(),
        kind: fields["kind"].clone(),
        text: fields["text"].clone(),
        topic: fields["topic"].clone(),
    };
    match submit_input(&state, &visitor, found.id, &input).await {
        Ok(id) => Ok((StatusCode::CREATED, Json(ApiCreated { id })).into_response()),
        Err(Submit::Invalid(errors)) => Err(invalid(&errors)),
        Err(Submit::Refused(refusal)) => Err(refused(&refusal)),
        Err(Submit::Failed(e)) => Err(fail(e)),
    }
}

#[utoipa::path(get, path = "/api/v1/consultations/{id}/clusters", tag = "consultations",
    params(("id" = i64, Path, description = "consultation id"),
        ("threshold" = Option<f64>, Query, description = "0 to 1; the default is the one the Council sees first: 0.2 by words alone, 0.3 with embeddings")),
    security(("bearer" = [])),
    responses((status = 200, body = ApiClusters),
        (status = 401, body = ApiError),
        (status = 403, description = "Not a member of the Expert Council, the Secretariat or an administrator", body = ApiError),
        (status = 404, body = ApiError), (status = 422, description = "A threshold outside [0, 1]", body = ApiError)))]
pub async fn clusters(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    reviewer(&visitor).map_err(fail)?;
    let found = consultation(&state, &id).await.map_err(fail)?;
    let index = super::index::index_of(&state, found.id)
        .await
        .map_err(fail)?;
    let threshold = parse_threshold(
        query.get("threshold").map(String::as_str),
        index.mode().default_threshold(),
    )
    .map_err(|e| error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_threshold", e))?;
    let groups = groups(&state, found.id, threshold).await.map_err(fail)?;
    Ok(Json(ApiClusters {
        threshold,
        signals: signals_name(index.mode()),
        clusters: groups
            .into_iter()
            .map(|submissions| ApiCluster { submissions })
            .collect(),
    })
    .into_response())
}

/// The name of the signals an index uses, as the API gives it.
fn signals_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Lexical => "lexical",
        Mode::Combined { .. } => "lexical+semantic",
    }
}

/// The suggested groups of a consultation at `threshold`.
pub(crate) async fn groups(
    state: &AppState,
    id: i64,
    threshold: f64,
) -> Result<Vec<Vec<i64>>, AppError> {
    let index = super::index::index_of(state, id).await?;
    tokio::task::spawn_blocking(move || cluster(&index, threshold))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("grouping submissions: {e}")))
}

#[utoipa::path(get, path = "/api/v1/consultations/{id}/submissions/{sid}/similar", tag = "consultations",
    params(("id" = i64, Path, description = "consultation id"), ("sid" = i64, Path, description = "submission id"),
        ("limit" = Option<usize>, Query, description = "0 to 100; default 5")),
    security(("bearer" = [])),
    responses((status = 200, body = ApiSimilarList),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, description = "No such consultation, or the submission is not one of it", body = ApiError),
        (status = 422, description = "A limit that is not a whole number from 0 to 100", body = ApiError)))]
pub async fn similar(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, sid)): Path<(String, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    reviewer(&visitor).map_err(fail)?;
    let found = consultation(&state, &id).await.map_err(fail)?;
    let limit = parse_limit(query.get("limit").map(String::as_str))
        .map_err(|e| error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_limit", e))?;
    let sid: i64 = sid.trim().parse().map_err(|_| fail(AppError::NotFound))?;
    let index = super::index::index_of(&state, found.id)
        .await
        .map_err(fail)?;
    let similar = index
        .similar(sid, limit.min(MAX_LIMIT))
        .ok_or_else(|| fail(AppError::NotFound))?;
    Ok(Json(ApiSimilarList {
        similar: similar
            .into_iter()
            .map(|n| ApiSimilar {
                id: n.id,
                score: n.score,
            })
            .collect(),
    })
    .into_response())
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(create, list, get_one, close, submit, clusters, similar),
    components(schemas(
        ApiConsultation,
        ApiSubmission,
        ApiConsultationWithSubmissions,
        ApiNewConsultation,
        ApiNewSubmission,
        ApiCreated,
        ApiCluster,
        ApiClusters,
        ApiSimilar,
        ApiSimilarList
    ))
)]
pub(crate) struct Api;

/// This capability's part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    <Api as utoipa::OpenApi>::openapi()
}

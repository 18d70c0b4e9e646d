//! What the Secretariat does with nominations after they arrive, and the register of a cohort's
//! sessions: confirm, put on the waiting list, decline or withdraw with a reason, move to
//! another cohort; sessions by day and who attended each, from which attendance is counted.
//! Pages (forms on the cohort page) and API share one function per action.
use crate::api::{fail, ApiError, ApiResult};
use crate::auth::Visitor;
use crate::error::AppError;
use crate::forms::CsrfForm;
use crate::render::{see_other, signed_in, with_done, PageResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use megapolis_storage::training::SessionRecord;
use megapolis_training::{attended_share, may_mark, parse_date, Decision};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn unprocessable(message: &str) -> AppError {
    AppError::Unprocessable(message.to_string())
}

/// A decision as sent: `confirm`, `waitlist`, `decline` or `withdraw`, and the reason (required
/// to decline or withdraw).
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ApiDecisionInput {
    pub decision: String,
    pub reason: String,
}

/// The nomination's state after the decision.
#[derive(Serialize, ToSchema)]
pub struct ApiDecided {
    pub id: i64,
    pub state: String,
}

async fn decide_on(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    input: &ApiDecisionInput,
) -> Result<String, AppError> {
    let decision = Decision::parse(input.decision.trim())
        .ok_or_else(|| unprocessable("decision: confirm, waitlist, decline or withdraw"))?;
    let next = state
        .store
        .training()
        .decide(signed_in(visitor)?, id, decision, &input.reason)
        .await?;
    Ok(next.as_str().to_string())
}

#[utoipa::path(post, path = "/api/v1/training/nominations/{id}/decision", tag = "training",
    params(("id" = i64, Path)), request_body = ApiDecisionInput,
    responses((status = 200, body = ApiDecided), (status = 404, body = ApiError),
        (status = 409, description = "Not in this state, or no place is free", body = ApiError),
        (status = 422, description = "Unknown decision, or no reason to decline or withdraw", body = ApiError)),
    security(("bearer" = [])))]
pub async fn api_decide(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Json(input): Json<ApiDecisionInput>,
) -> ApiResult {
    let next = decide_on(&state, &visitor, id, &input)
        .await
        .map_err(fail)?;
    Ok(Json(ApiDecided { id, state: next }).into_response())
}

/// A move as sent: the cohort to move to, and why.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ApiMoveInput {
    pub cohort: i64,
    pub reason: String,
}

/// The nomination made in the other cohort.
#[derive(Serialize, ToSchema)]
pub struct ApiMoved {
    pub id: i64,
    pub cohort: i64,
}

async fn move_nomination(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    input: &ApiMoveInput,
) -> Result<i64, AppError> {
    Ok(state
        .store
        .training()
        .move_to(signed_in(visitor)?, id, input.cohort, &input.reason)
        .await?)
}

#[utoipa::path(post, path = "/api/v1/training/nominations/{id}/move", tag = "training",
    params(("id" = i64, Path)), request_body = ApiMoveInput,
    responses((status = 201, body = ApiMoved), (status = 404, body = ApiError),
        (status = 409, description = "Settled already, nominated there already, or no place there", body = ApiError)),
    security(("bearer" = [])))]
pub async fn api_move(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Json(input): Json<ApiMoveInput>,
) -> ApiResult {
    let moved = move_nomination(&state, &visitor, id, &input)
        .await
        .map_err(fail)?;
    Ok((
        StatusCode::CREATED,
        Json(ApiMoved {
            id: moved,
            cohort: input.cohort,
        }),
    )
        .into_response())
}

/// A session as sent: its day (`YYYY-MM-DD`, within the cohort's dates) and topic.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ApiSessionInput {
    pub day: String,
    pub topic: String,
}

/// A session of the schedule with the nominations marked present.
#[derive(Serialize, ToSchema)]
pub struct ApiSession {
    pub id: i64,
    pub day: String,
    pub topic: String,
    pub present: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiSessions {
    pub sessions: Vec<ApiSession>,
}

impl From<SessionRecord> for ApiSession {
    fn from(s: SessionRecord) -> Self {
        ApiSession {
            id: s.id,
            day: s.day.to_string(),
            topic: s.topic,
            present: s.present,
        }
    }
}

async fn add_session(
    state: &AppState,
    visitor: &Visitor,
    cohort: i64,
    input: &ApiSessionInput,
) -> Result<i64, AppError> {
    let day = parse_date("day", &input.day).map_err(|_| unprocessable("day: YYYY-MM-DD"))?;
    if input.topic.trim().is_empty() {
        return Err(unprocessable("topic: required"));
    }
    Ok(state
        .store
        .training()
        .add_session(&visitor.actor(), cohort, day, &input.topic)
        .await?)
}

#[utoipa::path(get, path = "/api/v1/training/cohorts/{id}/sessions", tag = "training",
    params(("id" = i64, Path)),
    responses((status = 200, body = ApiSessions)),
    security(("bearer" = [])))]
pub async fn api_sessions(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    let sessions = state.store.training().sessions(id).await.map_err(fail)?;
    Ok(Json(ApiSessions {
        sessions: sessions.into_iter().map(ApiSession::from).collect(),
    })
    .into_response())
}

#[utoipa::path(post, path = "/api/v1/training/cohorts/{id}/sessions", tag = "training",
    params(("id" = i64, Path)), request_body = ApiSessionInput,
    responses((status = 201, body = super::api::ApiCreated), (status = 404, body = ApiError),
        (status = 409, description = "The day is outside the cohort's dates", body = ApiError),
        (status = 422, body = ApiError)),
    security(("bearer" = [])))]
pub async fn api_add_session(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Json(input): Json<ApiSessionInput>,
) -> ApiResult {
    let id = add_session(&state, &visitor, id, &input)
        .await
        .map_err(fail)?;
    Ok((StatusCode::CREATED, Json(super::api::ApiCreated { id })).into_response())
}

/// The register of one session: the nominations present (everyone else holding a place is
/// marked absent).
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ApiAttendanceInput {
    pub present: Vec<i64>,
}

#[utoipa::path(put, path = "/api/v1/training/sessions/{id}/attendance", tag = "training",
    params(("id" = i64, Path)), request_body = ApiAttendanceInput,
    responses((status = 200, description = "The register as saved", body = ApiAttendanceInput),
        (status = 403, description = "Neither the Secretariat nor a teacher of the cohort", body = ApiError), (status = 404, body = ApiError),
        (status = 409, description = "A nomination is not a participant of the cohort", body = ApiError)),
    security(("bearer" = [])))]
pub async fn api_mark_attendance(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Json(input): Json<ApiAttendanceInput>,
) -> ApiResult {
    ensure_marker(&state, &visitor, id, true)
        .await
        .map_err(fail)?;
    state
        .store
        .training()
        .mark_attendance(&visitor.actor(), id, &input.present)
        .await
        .map_err(fail)?;
    Ok(Json(ApiAttendanceInput {
        present: input.present,
    })
    .into_response())
}

/// Refuses (403) whoever may not mark the register and results of the cohort of a nomination,
/// or of a session (`of_session`): the Secretariat and the cohort's teachers may.
pub(crate) async fn ensure_marker(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    of_session: bool,
) -> Result<(), AppError> {
    let person = signed_in(visitor)?;
    let training = state.store.training();
    let cohort = training.cohort_id_of(id, of_session).await?;
    if may_mark(person, training.teaches(person.id, cohort).await?) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A nomination's share of the cohort's sessions attended, from the register; `None` while the
/// cohort has no sessions.
pub(crate) fn register_share(sessions: &[SessionRecord], nomination: i64) -> Option<f64> {
    let attended = sessions
        .iter()
        .filter(|s| s.present.contains(&nomination))
        .count();
    attended_share(sessions.len(), attended)
}

// ---- The forms of the cohort page ----

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionForm {
    cohort: i64,
    decision: String,
    reason: String,
}

pub async fn decide(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> PageResult {
    let input = ApiDecisionInput {
        decision: form.decision,
        reason: form.reason,
    };
    decide_on(&state, &visitor, id, &input).await?;
    Ok(see_other(&with_done(
        &format!("/training/cohorts/{}#nomination-{id}", form.cohort),
        "saved",
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MoveForm {
    cohort: i64,
    to: i64,
    reason: String,
}

pub async fn move_to(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> PageResult {
    let input = ApiMoveInput {
        cohort: form.to,
        reason: form.reason,
    };
    move_nomination(&state, &visitor, id, &input).await?;
    Ok(see_other(&with_done(
        &format!("/training/cohorts/{}#nomination-{id}", form.cohort),
        "saved",
    )))
}

pub async fn session(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ApiSessionInput>,
) -> PageResult {
    add_session(&state, &visitor, id, &form).await?;
    Ok(see_other(&with_done(
        &format!("/training/cohorts/{id}#sessions"),
        "created",
    )))
}

/// The register's form: the cohort to return to and a `present` box per participant.
pub async fn attendance(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let cohort: i64 = form
        .iter()
        .find(|(k, _)| k == "cohort")
        .and_then(|(_, c)| c.parse().ok())
        .ok_or_else(|| AppError::BadRequest("cohort".into()))?;
    let present: Vec<i64> = form
        .iter()
        .filter(|(k, _)| k == "present")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    ensure_marker(&state, &visitor, id, true).await?;
    state
        .store
        .training()
        .mark_attendance(&visitor.actor(), id, &present)
        .await?;
    Ok(see_other(&with_done(
        &format!("/training/cohorts/{cohort}#session-{id}"),
        "saved",
    )))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        api_decide,
        api_move,
        api_sessions,
        api_add_session,
        api_mark_attendance
    ),
    components(schemas(
        ApiDecisionInput,
        ApiDecided,
        ApiMoveInput,
        ApiMoved,
        ApiSessionInput,
        ApiSession,
        ApiSessions,
        ApiAttendanceInput
    ))
)]
pub(crate) struct Api;

pub fn openapi() -> utoipa::openapi::OpenApi {
    <Api as utoipa::OpenApi>::openapi()
}

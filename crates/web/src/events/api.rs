//! The plan of events in the JSON API: proposals (propose, submit, withdraw, accept, decline,
//! cancel), the clash list, the plan's versions (open, submit, approve, return) and the public
//! calendar feed of the approved plans.
use super::cache::Written;
use crate::api::{fail, ApiError, ApiFieldError, ApiResult};
use crate::auth::Visitor;
use crate::error::{json_error, AppError};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use megapolis_domain::{FieldErrors, Person};
use megapolis_events::ical::{utc_stamp, write_calendar, FeedEvent};
use megapolis_events::{
    clashes, format_date, Clash, EventKind, PlanAction, ProposalAction, ProposalInput,
    ProposalState, Refusal,
};
use megapolis_storage::events::{sees_all, EventFilter, Plan, Proposal};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// An event proposal.
#[derive(Serialize, ToSchema)]
pub struct ApiProposal {
    pub id: i64,
    pub year: i32,
    /// session | forum | conference | seminar | exhibition | training | other
    pub kind: String,
    pub title_ru: String,
    pub title_en: String,
    pub description_ru: String,
    pub description_en: String,
    /// exact | month | quarter: a month or a quarter is given as its whole period.
    pub precision: String,
    /// YYYY-MM-DD, included.
    pub starts_on: String,
    /// YYYY-MM-DD, included.
    pub ends_on: String,
    /// The host city's code.
    pub city: String,
    pub venue: String,
    pub organiser: String,
    pub co_organisers: Vec<String>,
    pub expected_participants: Option<i64>,
    /// draft | submitted | accepted | declined | withdrawn
    pub state: String,
    /// Why it was declined (or accepted, or cancelled), for the proposer and the consolidators;
    /// left out of the published plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub cancelled: bool,
    /// Grows on each change of an event in the feed.
    pub sequence: i64,
    /// The proposal this duplicate was merged into (its state `merged`).
    pub merged_into: Option<i64>,
    /// Ids of the published catalogue solutions it presents (`/catalogue/{id}`).
    pub solutions: Vec<i64>,
    /// Ids of the training courses (programmes) it holds.
    pub courses: Vec<i64>,
}

impl From<&Proposal> for ApiProposal {
    fn from(p: &Proposal) -> Self {
        let e = &p.event;
        ApiProposal {
            id: p.id,
            year: e.year,
            kind: e.kind.as_str().into(),
            title_ru: e.title_ru.clone(),
            title_en: e.title_en.clone(),
            description_ru: e.description_ru.clone(),
            description_en: e.description_en.clone(),
            precision: e.precision.as_str().into(),
            starts_on: format_date(e.period.start),
            ends_on: format_date(e.period.end),
            city: e.city.to_string(),
            venue: e.venue.clone(),
            organiser: e.organiser.clone(),
            co_organisers: e.co_organisers.clone(),
            expected_participants: e.expected_participants,
            state: p.state.as_str().into(),
            reason: Some(p.reason.clone()),
            cancelled: p.cancelled,
            sequence: p.sequence,
            merged_into: p.merged_into,
            solutions: e.solutions.clone(),
            courses: e.courses.clone(),
        }
    }
}

/// A new proposal. Dates: `starts_on` (and `ends_on`, the start when omitted) within `year`, or
/// `month` (1–12), or `quarter` (1–4). At least one title.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiNewProposal {
    year: i32,
    kind: String,
    title_ru: Option<String>,
    title_en: Option<String>,
    description_ru: Option<String>,
    description_en: Option<String>,
    starts_on: Option<String>,
    ends_on: Option<String>,
    month: Option<u8>,
    quarter: Option<u8>,
    /// The host city's code.
    city: String,
    venue: Option<String>,
    /// A body id, a city code or a partner's name. A body member proposes for their body, a
    /// city representative for their city.
    organiser: String,
    co_organisers: Option<Vec<String>>,
    expected_participants: Option<i64>,
    /// Ids of published catalogue solutions it presents; none when omitted.
    solutions: Option<Vec<i64>>,
    /// Ids of training courses (programmes) it holds; none when omitted.
    courses: Option<Vec<i64>>,
}

/// A reason or remarks; required to decline or return.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiReason {
    reason: Option<String>,
}

/// The duplicates to merge into a proposal, and why (required; their proposers see it).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiMerge {
    /// Ids of the proposals merged into this one.
    others: Vec<i64>,
    reason: String,
}

/// The President's remarks; required to return a version.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiRemarks {
    remarks: Option<String>,
}

/// The id of what was created.
#[derive(Serialize, ToSchema)]
pub struct ApiEventCreated {
    pub id: i64,
}

/// A flagged pair of proposals.
#[derive(Serialize, ToSchema)]
pub struct ApiClash {
    pub a: i64,
    pub b: i64,
    /// same_city | shared_organiser | session | duplicate
    pub kind: String,
    /// blocks | warns
    pub severity: String,
}

impl From<&Clash> for ApiClash {
    fn from(c: &Clash) -> Self {
        ApiClash {
            a: c.a,
            b: c.b,
            kind: c.kind.as_str().into(),
            severity: c.severity.as_str().into(),
        }
    }
}

/// The clashes among the submitted and accepted proposals of a year.
#[derive(Serialize, ToSchema)]
pub struct ApiClashes {
    pub clashes: Vec<ApiClash>,
}

/// A version of a year's plan.
#[derive(Serialize, ToSchema)]
pub struct ApiPlan {
    pub id: i64,
    pub year: i32,
    pub version: i64,
    /// draft | submitted | approved | returned
    pub state: String,
    /// The President's remarks when returned.
    pub remarks: String,
    pub decided_at: Option<String>,
    /// The decision of the register this version is an appendix of.
    pub decision_id: Option<i64>,
    /// Its events as it keeps them: as drafted, refreshed until submitted, then fixed.
    pub events: Vec<ApiProposal>,
    /// Events added, removed and changed (moved, edited, cancelled) since the previous version.
    pub added: Vec<i64>,
    pub removed: Vec<i64>,
    pub changed: Vec<i64>,
}

/// A new plan version.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiNewPlan {
    year: i32,
}

fn error(status: StatusCode, code: &str, message: impl std::fmt::Display) -> Response {
    json_error(status, code, &message.to_string())
}

/// A field's problem in words, for API clients.
fn field_message(field: &str, key: &str) -> String {
    match key {
        "error-required" => format!("{field} is required"),
        "error-too-long" => format!("{field} is too long"),
        "error-choice" => format!(
            "{field} must be one of: {}",
            EventKind::ALL.map(EventKind::as_str).join(", ")
        ),
        "error-city-code" => format!("{field} is not a city code"),
        "error-date" => format!("{field} must be a date YYYY-MM-DD"),
        "error-not-text" => format!("{field} must be a string or a number"),
        "events-error-year" => "year must be a year from 2000 to 2100".into(),
        "events-error-month" => "month must be 1 to 12".into(),
        "events-error-quarter" => "quarter must be 1 to 4".into(),
        "events-error-end-before-start" => "ends_on is before starts_on".into(),
        "events-error-outside-year" => format!("{field} is outside the plan year"),
        "events-error-participants" => format!("{field} must be a whole number"),
        "events-error-decision" => format!("{field}: no published decision of the register"),
        "events-error-others" => format!("{field} must be a list of proposal ids"),
        "events-error-ids" => format!("{field} must be a list of ids"),
        other => format!("{field}: {other}"),
    }
}

/// 422 with every field's problem: `error` names them all, `fields` one by one.
fn invalid(errors: &FieldErrors) -> Response {
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

pub(crate) fn refused(refusal: &Refusal) -> Response {
    let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::CONFLICT);
    error(status, refusal.code(), refusal)
}

/// A JSON object's fields as text: strings as they are, numbers written out, a list of strings
/// or numbers one per line; another type is an error on that field; `{}` or an empty body is no field.
// The error is the handler's finished answer, passed up with `?` unchanged.
#[allow(clippy::result_large_err)]
fn text_fields(
    body: &Bytes,
    names: &[&'static str],
) -> Result<HashMap<&'static str, String>, Response> {
    let value: serde_json::Value = if body.iter().all(u8::is_ascii_whitespace) {
        serde_json::json!({})
    } else {
        serde_json::from_slice(body).map_err(|e| {
            error(
                StatusCode::BAD_REQUEST,
                "bad_request",
                format!("expected a JSON object: {e}"),
            )
        })?
    };
    let object = value.as_object().ok_or_else(|| {
        error(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "expected a JSON object",
        )
    })?;
    let mut errors = FieldErrors::default();
    let mut out = HashMap::new();
    for name in names {
        let text = match object.get(*name) {
            None | Some(serde_json::Value::Null) => Some(String::new()),
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            Some(serde_json::Value::Array(items))
                if items.iter().all(|i| i.is_string() || i.is_number()) =>
            {
                Some(
                    items
                        .iter()
                        .map(|i| match i {
                            serde_json::Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
            }
            Some(_) => None,
        };
        match text {
            Some(text) => {
                out.insert(*name, text);
            }
            None => errors.add(name, "error-not-text"),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(invalid(&errors))
    }
}

// The error is the handler's finished answer, passed up with `?` unchanged.
#[allow(clippy::result_large_err)]
fn person(visitor: &Visitor) -> Result<&Person, Response> {
    visitor
        .person
        .as_ref()
        .ok_or_else(|| fail(AppError::Forbidden))
}

// The error is the handler's finished answer, passed up with `?` unchanged.
#[allow(clippy::result_large_err)]
fn id_of(raw: &str) -> Result<i64, Response> {
    raw.trim().parse().map_err(|_| fail(AppError::NotFound))
}

/// `?year=`: none, or a whole number (422 otherwise).
// The error is the handler's finished answer, passed up with `?` unchanged.
#[allow(clippy::result_large_err)]
fn year_of(query: &HashMap<String, String>) -> Result<Option<i32>, Response> {
    match query
        .get("year")
        .map(|y| y.trim())
        .filter(|y| !y.is_empty())
    {
        None => Ok(None),
        Some(y) => y.parse().map(Some).map_err(|_| {
            error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_year",
                "year must be a whole number",
            )
        }),
    }
}

/// Parses and saves a proposal; `Err` is the refusal's response, nothing saved.
pub(crate) async fn propose(
    state: &AppState,
    person: &Person,
    input: &ProposalInput,
) -> Result<i64, Proposed> {
    let proposal = input.parse().map_err(Proposed::Invalid)?;
    state
        .store
        .events()
        .propose(person, &proposal)
        .await
        .map_err(|e| Proposed::Failed(e.into()))?
        .map_err(Proposed::Refused)
}

/// Why a proposal was not saved.
pub(crate) enum Proposed {
    Invalid(FieldErrors),
    Refused(Refusal),
    Failed(AppError),
}

/// A proposal's fields from a JSON body, as the form would send them.
// The error is the handler's finished answer, passed up with `?` unchanged.
#[allow(clippy::result_large_err)]
fn proposal_input(body: &Bytes) -> Result<ProposalInput, Response> {
    let f = text_fields(
        body,
        &[
            "year",
            "kind",
            "title_ru",
            "title_en",
            "description_ru",
            "description_en",
            "starts_on",
            "ends_on",
            "month",
            "quarter",
            "city",
            "venue",
            "organiser",
            "co_organisers",
            "expected_participants",
            "solutions",
            "courses",
        ],
    )?;
    Ok(ProposalInput {
        year: f["year"].clone(),
        kind: f["kind"].clone(),
        title_ru: f["title_ru"].clone(),
        title_en: f["title_en"].clone(),
        description_ru: f["description_ru"].clone(),
        description_en: f["description_en"].clone(),
        starts_on: f["starts_on"].clone(),
        ends_on: f["ends_on"].clone(),
        month: f["month"].clone(),
        quarter: f["quarter"].clone(),
        city: f["city"].clone(),
        venue: f["venue"].clone(),
        organiser: f["organiser"].clone(),
        co_organisers: f["co_organisers"].clone(),
        expected_participants: f["expected_participants"].clone(),
        solutions: f["solutions"].clone(),
        courses: f["courses"].clone(),
    })
}

#[utoipa::path(post, path = "/api/v1/events/proposals", tag = "events",
    request_body = ApiNewProposal, security(("bearer" = [])),
    responses((status = 201, description = "Saved as a draft", body = ApiEventCreated), (status = 400, body = ApiError),
        (status = 401, body = ApiError),
        (status = 403, description = "Another city or body than the caller's", body = ApiError),
        (status = 422, description = "A field is refused (an end before the start, a date outside the plan year, an unknown kind or city, a solution not published in the catalogue, an unknown course); nothing is saved", body = ApiError)))]
pub async fn create_proposal(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    body: Bytes,
) -> ApiResult {
    let person = person(&visitor)?;
    let input = proposal_input(&body)?;
    match propose(&state, person, &input).await {
        Ok(id) => Ok((StatusCode::CREATED, Json(ApiEventCreated { id })).into_response()),
        Err(Proposed::Invalid(errors)) => Err(invalid(&errors)),
        Err(Proposed::Refused(refusal)) => Err(refused(&refusal)),
        Err(Proposed::Failed(e)) => Err(fail(e)),
    }
}

#[utoipa::path(get, path = "/api/v1/events/proposals", tag = "events",
    params(("year" = Option<i32>, Query, description = "the plan year; every year when omitted")),
    security(("bearer" = [])),
    responses((status = 200, description = "The Secretariat, the Expert Council and the President see every proposal; others their own", body = Vec<ApiProposal>),
        (status = 401, body = ApiError), (status = 422, body = ApiError)))]
pub async fn list_proposals(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    let person = person(&visitor)?;
    let year = year_of(&query)?;
    let own = (!sees_all(person)).then_some(person.id);
    let list = state
        .store
        .events()
        .proposals(year, own)
        .await
        .map_err(fail)?;
    Ok(Json(list.iter().map(ApiProposal::from).collect::<Vec<_>>()).into_response())
}

#[utoipa::path(post, path = "/api/v1/events/proposals/{id}/amend", tag = "events",
    params(("id" = i64, Path, description = "proposal id")),
    request_body = ApiNewProposal, security(("bearer" = [])),
    responses((status = 200, description = "Changed (a move of its dates, venue or text), its SEQUENCE one higher; an event of an approved plan changes in a new draft version (opened when none is), and the published plan and feed show the change once the President approves it", body = ApiProposal),
        (status = 401, body = ApiError),
        (status = 403, description = "A draft is changed by its proposer; a submitted or accepted one by the Secretariat or the Expert Council", body = ApiError),
        (status = 404, body = ApiError),
        (status = 409, description = "Declined or withdrawn, or a version holding it is with the President", body = ApiError),
        (status = 422, description = "A field is refused, or another plan year; nothing is saved", body = ApiError)))]
pub async fn amend_proposal(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let person = person(&visitor)?;
    let id = id_of(&id)?;
    let changed = proposal_input(&body)?.parse().map_err(|e| invalid(&e))?;
    if let Err(refusal) = state
        .store
        .events()
        .amend(person, id, &changed)
        .await
        .map_err(fail)?
    {
        return Err(refused(&refusal));
    }
    let found = state.store.events().get(id).await.map_err(fail)?;
    let found = found.ok_or_else(|| fail(AppError::NotFound))?;
    Ok(Json(ApiProposal::from(&found)).into_response())
}

async fn act(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
    action: ProposalAction,
    body: &Bytes,
) -> ApiResult {
    let person = person(visitor)?;
    let id = id_of(id)?;
    let f = text_fields(body, &["reason"])?;
    match state
        .store
        .events()
        .act(person, id, action, &f["reason"])
        .await
        .map_err(fail)?
    {
        Ok(_) => {
            let found = state.store.events().get(id).await.map_err(fail)?;
            let found = found.ok_or_else(|| fail(AppError::NotFound))?;
            Ok(Json(ApiProposal::from(&found)).into_response())
        }
        Err(refusal) => Err(refused(&refusal)),
    }
}

macro_rules! proposal_action {
    ($name:ident, $path:literal, $action:expr, $doc:literal) => {
        #[utoipa::path(post, path = $path, tag = "events",
            params(("id" = i64, Path, description = "proposal id")),
            request_body = ApiReason, security(("bearer" = [])),
            responses((status = 200, description = $doc, body = ApiProposal),
                (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError),
                (status = 409, description = "Not possible in the proposal's state", body = ApiError),
                (status = 422, description = "A decline without a reason", body = ApiError)))]
        pub async fn $name(
            State(state): State<AppState>,
            Extension(visitor): Extension<Visitor>,
            Path(id): Path<String>,
            body: Bytes,
        ) -> ApiResult {
            act(&state, &visitor, &id, $action, &body).await
        }
    };
}

proposal_action!(
    submit_proposal,
    "/api/v1/events/proposals/{id}/submit",
    ProposalAction::Submit,
    "Submitted for consolidation (the proposer or staff)"
);
proposal_action!(
    withdraw_proposal,
    "/api/v1/events/proposals/{id}/withdraw",
    ProposalAction::Withdraw,
    "Withdrawn (the proposer or staff)"
);
proposal_action!(
    accept_proposal,
    "/api/v1/events/proposals/{id}/accept",
    ProposalAction::Accept,
    "Accepted into the next plan version (the Secretariat or the Expert Council)"
);
proposal_action!(
    decline_proposal,
    "/api/v1/events/proposals/{id}/decline",
    ProposalAction::Decline,
    "Declined with a reason the proposer sees (the Secretariat or the Expert Council)"
);

#[utoipa::path(post, path = "/api/v1/events/proposals/{id}/merge", tag = "events",
    params(("id" = i64, Path, description = "the proposal kept")),
    request_body = ApiMerge, security(("bearer" = [])),
    responses((status = 200, description = "Merged: the kept proposal with the others' organisers and co-organisers among its co-organisers; the others are `merged` into it with the reason", body = ApiProposal),
        (status = 401, body = ApiError),
        (status = 403, description = "Not the Secretariat or the Expert Council", body = ApiError),
        (status = 404, description = "No such proposal (the kept one or another)", body = ApiError),
        (status = 409, description = "A proposal neither submitted nor accepted, or in a version with the President", body = ApiError),
        (status = 422, description = "No other proposal, another plan year, or no reason; nothing is saved", body = ApiError)))]
pub async fn merge_proposal(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let person = person(&visitor)?;
    let id = id_of(&id)?;
    let f = text_fields(&body, &["reason"])?;
    let others = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| {
            v.get("others")?
                .as_array()?
                .iter()
                .map(serde_json::Value::as_i64)
                .collect::<Option<Vec<i64>>>()
        })
        .ok_or_else(|| {
            let mut errors = FieldErrors::default();
            errors.add("others", "events-error-others");
            invalid(&errors)
        })?;
    state
        .store
        .events()
        .merge(person, id, &others, &f["reason"])
        .await
        .map_err(fail)?
        .map_err(|refusal| refused(&refusal))?;
    let found = state.store.events().get(id).await.map_err(fail)?;
    let found = found.ok_or_else(|| fail(AppError::NotFound))?;
    Ok(Json(ApiProposal::from(&found)).into_response())
}

#[utoipa::path(post, path = "/api/v1/events/proposals/{id}/cancel", tag = "events",
    params(("id" = i64, Path, description = "proposal id")),
    request_body = ApiReason, security(("bearer" = [])),
    responses((status = 200, description = "Cancelled; an event of an approved plan in a new draft version (opened when none is): once the President approves it, it stays in the plan and the feed with STATUS:CANCELLED and a higher SEQUENCE", body = ApiProposal),
        (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, description = "A version holding it is with the President", body = ApiError)))]
pub async fn cancel_proposal(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let id = id_of(&id)?;
    let f = text_fields(&body, &["reason"])?;
    state
        .store
        .events()
        .cancel(&visitor.actor(), id, &f["reason"])
        .await
        .map_err(fail)?
        .map_err(|refusal| refused(&refusal))?;
    let found = state.store.events().get(id).await.map_err(fail)?;
    let found = found.ok_or_else(|| fail(AppError::NotFound))?;
    Ok(Json(ApiProposal::from(&found)).into_response())
}

/// The clashes among the submitted and accepted proposals of `year`.
pub(crate) async fn year_clashes(
    state: &AppState,
    year: Option<i32>,
) -> Result<Vec<Clash>, AppError> {
    let list = state.store.events().proposals(year, None).await?;
    let candidates: Vec<_> = list
        .iter()
        .filter(|p| {
            matches!(p.state, ProposalState::Submitted | ProposalState::Accepted) && !p.cancelled
        })
        .map(|p| p.event.candidate(p.id))
        .collect();
    Ok(clashes(&candidates))
}

#[utoipa::path(get, path = "/api/v1/events/clashes", tag = "events",
    params(("year" = Option<i32>, Query, description = "the plan year")),
    security(("bearer" = [])),
    responses((status = 200, body = ApiClashes), (status = 401, body = ApiError),
        (status = 403, description = "Not the Secretariat, the Expert Council or the President", body = ApiError)))]
pub async fn list_clashes(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(query): Query<HashMap<String, String>>,
) -> ApiResult {
    if !sees_all(person(&visitor)?) {
        return Err(fail(AppError::Forbidden));
    }
    let year = year_of(&query)?;
    let found = year_clashes(&state, year).await.map_err(fail)?;
    Ok(Json(ApiClashes {
        clashes: found.iter().map(ApiClash::from).collect(),
    })
    .into_response())
}

/// A plan version with its events and what changed since the previous version of its year,
/// both as the versions keep them.
pub(crate) async fn plan_view(
    state: &AppState,
    plan: &Plan,
    insider: bool,
) -> Result<ApiPlan, AppError> {
    let events = state.store.events();
    let kept = events.plan_events(plan.id).await?;
    let previous = events
        .plans()
        .await?
        .into_iter()
        .filter(|p| p.year == plan.year && p.version < plan.version)
        .max_by_key(|p| p.version);
    let before: HashMap<i64, Proposal> = match previous {
        Some(p) => events
            .plan_events(p.id)
            .await?
            .into_iter()
            .map(|e| (e.id, e))
            .collect(),
        None => HashMap::new(),
    };
    let (added, changed) = differences(&before, &kept);
    Ok(ApiPlan {
        id: plan.id,
        year: plan.year,
        version: plan.version,
        state: plan.state.as_str().into(),
        remarks: plan.remarks.clone(),
        decided_at: plan.decided_at.clone(),
        decision_id: plan.decision_id,
        removed: before
            .keys()
            .copied()
            .filter(|id| !kept.iter().any(|e| e.id == *id))
            .collect(),
        events: kept
            .iter()
            .map(|p| ApiProposal {
                reason: insider.then(|| p.reason.clone()),
                ..ApiProposal::from(p)
            })
            .collect(),
        added,
        changed,
    })
}

/// Of a version's events `kept`, those the previous version `before` lacks and those it has
/// otherwise (other fields, or cancelled since).
fn differences(before: &HashMap<i64, Proposal>, kept: &[Proposal]) -> (Vec<i64>, Vec<i64>) {
    let mut added = Vec::new();
    let mut changed = Vec::new();
    for e in kept {
        match before.get(&e.id) {
            None => added.push(e.id),
            Some(old) if old.event != e.event || old.cancelled != e.cancelled => changed.push(e.id),
            Some(_) => {}
        }
    }
    (added, changed)
}

#[utoipa::path(post, path = "/api/v1/events/plans", tag = "events",
    request_body = ApiNewPlan, security(("bearer" = [])),
    responses((status = 201, description = "A draft version of the year's plan from its accepted proposals", body = ApiEventCreated),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 409, description = "A version of that year is still in draft or with the President", body = ApiError),
        (status = 422, body = ApiError)))]
pub async fn create_plan(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    body: Bytes,
) -> ApiResult {
    let f = text_fields(&body, &["year"])?;
    let year: i32 = f["year"]
        .trim()
        .parse()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| {
            let mut errors = FieldErrors::default();
            errors.add("year", "events-error-year");
            invalid(&errors)
        })?;
    let id = state
        .store
        .events()
        .create_plan(&visitor.actor(), year)
        .await
        .map_err(fail)?;
    Ok((StatusCode::CREATED, Json(ApiEventCreated { id })).into_response())
}

/// The plan version `id` as `visitor` may see it: approved ones are public, the others only for
/// those who consolidate or approve.
pub(crate) async fn visible_plan(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
) -> Result<Plan, AppError> {
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let plan = state
        .store
        .events()
        .plan(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let insider = visitor.person.as_ref().is_some_and(sees_all);
    if plan.state == megapolis_events::PlanState::Approved || insider {
        Ok(plan)
    } else {
        Err(AppError::NotFound)
    }
}

#[utoipa::path(get, path = "/api/v1/events/plans/{id}", tag = "events",
    params(("id" = i64, Path, description = "plan version id")),
    responses((status = 200, body = ApiPlan),
        (status = 404, description = "No such version, or not approved and the caller does not consolidate", body = ApiError)))]
pub async fn get_plan(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> ApiResult {
    let plan = visible_plan(&state, &visitor, &id).await.map_err(fail)?;
    let insider = visitor.person.as_ref().is_some_and(sees_all);
    Ok(Json(plan_view(&state, &plan, insider).await.map_err(fail)?).into_response())
}

async fn act_plan(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
    action: PlanAction,
    body: &Bytes,
) -> ApiResult {
    let person = person(visitor)?;
    let id = id_of(id)?;
    let f = text_fields(body, &["remarks", "reason"])?;
    let remarks = if f["remarks"].is_empty() {
        &f["reason"]
    } else {
        &f["remarks"]
    };
    match state
        .store
        .events()
        .act_plan(person, id, action, remarks)
        .await
        .map_err(fail)?
    {
        Ok(_) => {
            let plan = state.store.events().plan(id).await.map_err(fail)?;
            let plan = plan.ok_or_else(|| fail(AppError::NotFound))?;
            Ok(Json(plan_view(state, &plan, true).await.map_err(fail)?).into_response())
        }
        Err(refusal) => Err(refused(&refusal)),
    }
}

macro_rules! plan_action {
    ($name:ident, $path:literal, $action:expr, $doc:literal) => {
        #[utoipa::path(post, path = $path, tag = "events",
            params(("id" = i64, Path, description = "plan version id")),
            request_body = ApiRemarks, security(("bearer" = [])),
            responses((status = 200, description = $doc, body = ApiPlan),
                (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 404, body = ApiError),
                (status = 409, description = "Not possible in the version's state, or clashes that block approval (named)", body = ApiError),
                (status = 422, description = "A return without remarks", body = ApiError)))]
        pub async fn $name(
            State(state): State<AppState>,
            Extension(visitor): Extension<Visitor>,
            Path(id): Path<String>,
            body: Bytes,
        ) -> ApiResult {
            act_plan(&state, &visitor, &id, $action, &body).await
        }
    };
}

plan_action!(
    submit_plan,
    "/api/v1/events/plans/{id}/submit",
    PlanAction::Submit,
    "Submitted to the President (the Secretariat)"
);
plan_action!(
    approve_plan,
    "/api/v1/events/plans/{id}/approve",
    PlanAction::Approve,
    "Approved (only the President)"
);
plan_action!(
    return_plan,
    "/api/v1/events/plans/{id}/return",
    PlanAction::Return,
    "Returned with remarks (`remarks`; only the President)"
);

/// The decision an approved version is attached to.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiAttach {
    /// A published decision of the register.
    decision_id: i64,
}

#[utoipa::path(post, path = "/api/v1/events/plans/{id}/attach", tag = "events",
    params(("id" = i64, Path, description = "plan version id")),
    request_body = ApiAttach, security(("bearer" = [])),
    responses((status = 200, description = "Attached as the decision's appendix (a link to the version's page), which the decision's page shows", body = ApiPlan),
        (status = 401, body = ApiError), (status = 403, body = ApiError),
        (status = 404, description = "No such version", body = ApiError),
        (status = 409, description = "The version is not approved, or already attached", body = ApiError),
        (status = 422, description = "No published decision `decision_id`", body = ApiError)))]
pub async fn attach_plan(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult {
    let plan_id = id_of(&id)?;
    let f = text_fields(&body, &["decision_id"])?;
    let decision_id: i64 = f["decision_id"].trim().parse().map_err(|_| {
        let mut errors = FieldErrors::default();
        errors.add("decision_id", "events-error-decision");
        invalid(&errors)
    })?;
    let attached = super::plan::attach_to(&state, &visitor.actor(), plan_id, decision_id)
        .await
        .map_err(fail)?;
    if !attached {
        let mut errors = FieldErrors::default();
        errors.add("decision_id", "events-error-decision");
        return Err(invalid(&errors));
    }
    let plan = state.store.events().plan(plan_id).await.map_err(fail)?;
    let plan = plan.ok_or_else(|| fail(AppError::NotFound))?;
    Ok(Json(plan_view(&state, &plan, true).await.map_err(fail)?).into_response())
}

/// The filters of the public plan and its feed: `kind`, `city`, `organiser`.
// The error is the handler's finished answer, passed up with `?` unchanged.
#[allow(clippy::result_large_err)]
pub(crate) fn filter_of(query: &HashMap<String, String>) -> Result<EventFilter, Response> {
    let given = |name: &str| {
        query
            .get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let kind = match given("kind") {
        None => None,
        Some(k) => Some(EventKind::parse(&k).ok_or_else(|| {
            let mut errors = FieldErrors::default();
            errors.add("kind", "error-choice");
            invalid(&errors)
        })?),
    };
    Ok(EventFilter {
        kind,
        city: given("city"),
        organiser: given("organiser"),
    })
}

#[utoipa::path(get, path = "/api/v1/events.ics", tag = "events",
    params(("kind" = Option<String>, Query, description = "session | forum | conference | seminar | exhibition | training | other"),
        ("city" = Option<String>, Query, description = "the host city's code"),
        ("organiser" = Option<String>, Query, description = "an organiser or co-organiser")),
    responses((status = 200, description = "RFC 5545 (text/calendar): every event of the approved plans as an all-day VEVENT with a stable UID, a growing SEQUENCE, STATUS:CANCELLED when cancelled and a URL to its page", content_type = "text/calendar"),
        (status = 422, description = "An unknown kind", body = ApiError)))]
pub async fn feed(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> ApiResult {
    let filter = filter_of(&query)?;
    // Calendar programs poll the feeds: each filter's is written once per state of the plans.
    let stamp = state.store.events().stamp().await.map_err(fail)?;
    let key = format!(
        "{}\n{}\n{}",
        filter.kind.map_or("", EventKind::as_str),
        filter.city.as_deref().unwrap_or_default(),
        filter.organiser.as_deref().unwrap_or_default()
    );
    let written = match state.events_feeds.get(&stamp, &key) {
        Some(written) => written,
        None => {
            let events = state
                .store
                .events()
                .published(&filter, None)
                .await
                .map_err(fail)?;
            let feed: Vec<FeedEvent> = events.iter().map(|p| feed_event(&state, p)).collect();
            let body = Bytes::from(write_calendar("Megapolis — plan of events", &feed));
            let written = Written::new(body).await;
            state.events_feeds.put(stamp, key, written.clone());
            written
        }
    };
    Ok(written.respond(&headers, "text/calendar; charset=utf-8"))
}

/// `GET /events/{id}/calendar.ics`: one event of a published plan, to add to a calendar; the
/// same UID and SEQUENCE as in the feed, so a later import updates it.
pub async fn event_calendar(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let event = state
        .store
        .events()
        .published_event(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let body = write_calendar("Megapolis — plan of events", &[feed_event(&state, &event)]);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"event-{id}.ics\""),
            ),
        ],
        body,
    )
        .into_response())
}

fn feed_event(state: &AppState, p: &Proposal) -> FeedEvent {
    let e = &p.event;
    let summary = match (e.title_ru.is_empty(), e.title_en.is_empty()) {
        (false, false) => format!("{} / {}", e.title_ru, e.title_en),
        (false, true) => e.title_ru.clone(),
        _ => e.title_en.clone(),
    };
    let description = [e.description_ru.as_str(), e.description_en.as_str()]
        .into_iter()
        .filter(|d| !d.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    let location = if e.venue.is_empty() {
        e.city.to_string()
    } else {
        format!("{}, {}", e.venue, e.city)
    };
    FeedEvent {
        uid: format!("event-{}@megapolis", p.id),
        sequence: p.sequence,
        summary,
        description,
        location,
        start: e.period.start,
        end: e.period.end,
        url: state.absolute_url(&format!("/events/{}", p.id)),
        cancelled: p.cancelled,
        category: e.kind.as_str().to_uppercase(),
        stamp: utc_stamp(&p.updated_at),
    }
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        create_proposal,
        list_proposals,
        amend_proposal,
        submit_proposal,
        withdraw_proposal,
        accept_proposal,
        decline_proposal,
        merge_proposal,
        cancel_proposal,
        list_clashes,
        create_plan,
        get_plan,
        submit_plan,
        approve_plan,
        return_plan,
        attach_plan,
        feed
    ),
    components(schemas(
        ApiProposal,
        ApiNewProposal,
        ApiReason,
        ApiMerge,
        ApiRemarks,
        ApiEventCreated,
        ApiClash,
        ApiClashes,
        ApiPlan,
        ApiNewPlan,
        ApiAttach
    ))
)]
pub(crate) struct Api;

/// This capability's part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    <Api as utoipa::OpenApi>::openapi()
}

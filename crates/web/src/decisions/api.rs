//! Decisions in the JSON API: the register and one decision with the progress of its assignments
//! (public when published; drafts for staff), and for staff the parser and the import as proposed.
//! Internal texts (reports, comments) never appear here.
use crate::api::fail;
use crate::api::ApiError;
use crate::auth::Visitor;
use crate::error::AppError;
use crate::state::today;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Extension;
use axum::Json;
use megapolis_assignments::Executor;
use megapolis_decisions::directory_of;
use megapolis_decisions::format_date;
use megapolis_decisions::new_decision_from_parsed;
use megapolis_decisions::parse_with;
use megapolis_decisions::AssignmentFlag;
use megapolis_decisions::DocumentWarning;
use megapolis_decisions::SessionInfo;
use megapolis_storage::assignments::AssignmentFilter;
use serde::Deserialize;
use serde::Serialize;
use utoipa::ToSchema;

pub(crate) type ApiResult = Result<Response, Response>;

pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    crate::error::json_error(status, crate::error::status_code(status), &message.into())
}

/// The session that adopted a decision.
#[derive(Serialize, ToSchema)]
pub struct ApiDecisionSession {
    pub number: i64,
    /// ISO date.
    pub date: Option<String>,
    pub place: String,
}

impl From<SessionInfo> for ApiDecisionSession {
    fn from(s: SessionInfo) -> Self {
        ApiDecisionSession {
            number: s.number,
            date: s.date.map(format_date),
            place: s.place,
        }
    }
}

/// One line of the register of decisions.
#[derive(Serialize, ToSchema)]
pub struct ApiDecisionSummary {
    pub id: i64,
    pub session: ApiDecisionSession,
    pub title: String,
    /// ru | en
    pub language: String,
    pub published: bool,
    pub assignments: i64,
    pub accepted: i64,
    pub overdue: i64,
}

/// An executor as the decision names it, with its body id when the directory knows it.
#[derive(Serialize, ToSchema)]
pub struct ApiDecisionExecutor {
    pub body_id: Option<String>,
    pub name: String,
}

impl From<Executor> for ApiDecisionExecutor {
    fn from(e: Executor) -> Self {
        ApiDecisionExecutor {
            body_id: e.body_id.map(|b| b.as_str().to_string()),
            name: e.name,
        }
    }
}

/// A section (depth 0) or numbered item of a decision, in document order.
#[derive(Serialize, ToSchema)]
pub struct ApiDecisionItem {
    pub number: String,
    pub depth: i64,
    pub heading: String,
    pub text: String,
}

/// An appendix: a link, or a file to download from `url`.
#[derive(Serialize, ToSchema)]
pub struct ApiDecisionAppendix {
    pub title: String,
    pub link: Option<String>,
    pub file: Option<ApiDecisionFile>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiDecisionFile {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub url: String,
}

/// An assignment of a decision and how far it has come.
#[derive(Serialize, ToSchema)]
pub struct ApiDecisionAssignment {
    pub id: i64,
    pub item: String,
    /// assignment | recommendation
    pub kind: String,
    pub task: String,
    pub lead: Option<ApiDecisionExecutor>,
    pub co_executors: Vec<ApiDecisionExecutor>,
    /// ISO date.
    pub deadline: Option<String>,
    pub deadline_text: Option<String>,
    /// monthly | quarterly | yearly
    pub recurrence: Option<String>,
    /// new | in_progress | report_submitted | accepted | cancelled
    pub state: String,
    /// 0–100.
    pub progress: i64,
    pub overdue: bool,
}

/// A decision with its items, appendices and assignments.
#[derive(Serialize, ToSchema)]
pub struct ApiDecision {
    pub id: i64,
    pub session: ApiDecisionSession,
    pub title: String,
    pub language: String,
    pub published: bool,
    pub controller: Option<ApiDecisionExecutor>,
    pub items: Vec<ApiDecisionItem>,
    pub appendices: Vec<ApiDecisionAppendix>,
    pub assignments: Vec<ApiDecisionAssignment>,
}

/// The text of a decision to parse or import.
#[derive(Deserialize, ToSchema)]
pub struct ApiDecisionText {
    pub text: String,
    /// Publish at once (import only); default false.
    #[serde(default)]
    pub published: bool,
}

/// What the parser was unsure of in one assignment.
#[derive(Serialize, ToSchema)]
pub struct ApiDecisionFlag {
    /// Index into `assignments`.
    pub assignment: usize,
    pub item: String,
    /// executor_not_in_directory | deadline_unreadable | no_executor
    pub flag: String,
    /// The executor's name, for executor_not_in_directory.
    pub name: Option<String>,
    /// The deadline phrase, for deadline_unreadable.
    pub text: Option<String>,
}

/// What the parser was unsure of in the whole document.
#[derive(Serialize, ToSchema)]
pub struct ApiDecisionWarning {
    /// no_controller | controller_not_in_directory | no_session_date | text_after_control_clause
    pub warning: String,
    pub name: Option<String>,
    pub text: Option<String>,
}

/// The spec's JSON of a parsed decision (title, language, session, items, assignments,
/// controller) with the parser's flags and warnings.
#[derive(Serialize, ToSchema)]
pub struct ApiParsedDecision {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub decision: serde_json::Value,
    pub flags: Vec<ApiDecisionFlag>,
    pub warnings: Vec<ApiDecisionWarning>,
}

/// The id of a saved decision.
#[derive(Serialize, ToSchema)]
pub struct ApiDecisionCreated {
    pub id: i64,
}

/// The JSON body `{"text": …}`, or why it is not one.
pub(crate) fn read_text(body: &Bytes) -> Result<ApiDecisionText, String> {
    serde_json::from_slice(body)
        .map_err(|e| format!("expected a JSON object {{\"text\": \"…\"}}: {e}"))
}

#[utoipa::path(get, path = "/api/v1/decisions", tag = "decisions",
    responses((status = 200, description = "Published decisions; staff see drafts too", body = Vec<ApiDecisionSummary>)))]
pub async fn list_decisions(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> ApiResult {
    let decisions = state
        .store
        .decisions()
        .list(!visitor.is_staff(), today())
        .await
        .map_err(fail)?;
    let list: Vec<ApiDecisionSummary> = decisions
        .into_iter()
        .map(|d| ApiDecisionSummary {
            id: d.id,
            session: d.session.into(),
            title: d.title,
            language: d.language,
            published: d.published,
            assignments: d.assignments,
            accepted: d.accepted,
            overdue: d.overdue,
        })
        .collect();
    Ok(Json(list).into_response())
}

#[utoipa::path(get, path = "/api/v1/decisions/{id}", tag = "decisions",
    params(("id" = i64, Path, description = "decision id")),
    responses((status = 200, body = ApiDecision), (status = 404, body = ApiError)))]
pub async fn get_decision(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> ApiResult {
    let staff = visitor.is_staff();
    let id: i64 = id.parse().map_err(|_| fail(AppError::NotFound))?;
    let decision = state
        .store
        .decisions()
        .get(id)
        .await
        .map_err(fail)?
        .filter(|d| d.published || staff)
        .ok_or_else(|| fail(AppError::NotFound))?;
    let assignments = state
        .store
        .assignments()
        .list(
            &AssignmentFilter {
                decision: Some(id),
                published_only: !staff,
                ..Default::default()
            },
            today(),
        )
        .await
        .map_err(fail)?;
    let body = ApiDecision {
        id: decision.id,
        session: decision.session.into(),
        title: decision.title,
        language: decision.language,
        published: decision.published,
        controller: decision.controller.map(Into::into),
        items: decision
            .items
            .into_iter()
            .map(|i| ApiDecisionItem {
                number: i.number,
                depth: i.depth,
                heading: i.heading,
                text: i.text,
            })
            .collect(),
        appendices: decision
            .appendices
            .into_iter()
            .map(|a| ApiDecisionAppendix {
                title: a.title,
                link: a.link,
                file: a.file.map(|f| ApiDecisionFile {
                    url: format!("/files/{}", f.id),
                    id: f.id,
                    name: f.name,
                    content_type: f.content_type,
                    size: f.size,
                }),
            })
            .collect(),
        assignments: assignments
            .into_iter()
            .map(|a| ApiDecisionAssignment {
                id: a.id,
                item: a.item,
                kind: a.kind.as_str().into(),
                task: a.task,
                lead: a.lead.map(Into::into),
                co_executors: a.co_executors.into_iter().map(Into::into).collect(),
                deadline: a.deadline.map(format_date),
                deadline_text: a.deadline_text,
                recurrence: a.recurrence.map(|r| r.as_str().into()),
                state: a.state.as_str().into(),
                progress: a.progress,
                overdue: a.overdue,
            })
            .collect(),
    };
    Ok(Json(body).into_response())
}

pub(crate) fn flag_of(index: usize, item: &str, flag: &AssignmentFlag) -> ApiDecisionFlag {
    let (name, text) = match flag {
        AssignmentFlag::ExecutorNotInDirectory { name } => (Some(name.clone()), None),
        AssignmentFlag::DeadlineUnreadable { text } => (None, Some(text.clone())),
        AssignmentFlag::NoExecutor => (None, None),
    };
    ApiDecisionFlag {
        assignment: index,
        item: item.to_string(),
        flag: flag.code().into(),
        name,
        text,
    }
}

pub(crate) fn warning_of(warning: &DocumentWarning) -> ApiDecisionWarning {
    let (code, name, text) = match warning {
        DocumentWarning::NoController => ("no_controller", None, None),
        DocumentWarning::ControllerNotInDirectory { name } => {
            ("controller_not_in_directory", Some(name.clone()), None)
        }
        DocumentWarning::NoSessionDate => ("no_session_date", None, None),
        DocumentWarning::TextAfterControlClause { text } => {
            ("text_after_control_clause", None, Some(text.clone()))
        }
    };
    ApiDecisionWarning {
        warning: code.into(),
        name,
        text,
    }
}

pub(crate) async fn parse_text(
    state: &AppState,
    text: &str,
) -> Result<megapolis_decisions::Decision, Response> {
    let bodies = state.store.org().bodies().await.map_err(fail)?;
    parse_with(text, &directory_of(&bodies))
        .map_err(|e| error(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))
}

#[utoipa::path(post, path = "/api/v1/decisions/parse", tag = "decisions", request_body = ApiDecisionText,
    security(("bearer" = [])),
    responses((status = 200, description = "The spec's JSON with flags and warnings; nothing is saved", body = ApiParsedDecision),
               (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn parse_decision(State(state): State<AppState>, body: Bytes) -> ApiResult {
    let input = read_text(&body).map_err(|e| error(StatusCode::BAD_REQUEST, e))?;
    let parsed = parse_text(&state, &input.text).await?;
    let flags = parsed
        .assignments
        .iter()
        .enumerate()
        .flat_map(|(i, a)| a.flags.iter().map(move |f| flag_of(i, &a.item, f)))
        .collect();
    let warnings = parsed.warnings.iter().map(warning_of).collect();
    Ok(Json(ApiParsedDecision {
        decision: parsed.to_spec_json(),
        flags,
        warnings,
    })
    .into_response())
}

#[utoipa::path(post, path = "/api/v1/decisions", tag = "decisions", request_body = ApiDecisionText,
    security(("bearer" = [])),
    responses((status = 201, description = "Saved as the parser proposed it, with every assignment", body = ApiDecisionCreated),
               (status = 401, body = ApiError), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create_decision(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    body: Bytes,
) -> ApiResult {
    let input = read_text(&body).map_err(|e| error(StatusCode::BAD_REQUEST, e))?;
    let parsed = parse_text(&state, &input.text).await?;
    let decision = new_decision_from_parsed(&parsed, &input.text, input.published)
        .map_err(|e| error(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    let id = state
        .store
        .decisions()
        .save(&visitor.actor(), &decision)
        .await
        .map_err(fail)?;
    Ok((StatusCode::CREATED, Json(ApiDecisionCreated { id })).into_response())
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(list_decisions, get_decision, parse_decision, create_decision),
    components(schemas(
        ApiDecisionSummary,
        ApiDecision,
        ApiDecisionText,
        ApiParsedDecision,
        ApiDecisionCreated
    ))
)]
pub(crate) struct Api;

/// This capability's part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    <Api as utoipa::OpenApi>::openapi()
}

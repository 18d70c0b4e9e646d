//! Assignment pages and API: the list with the dashboard's drill-down filters, one assignment
//! with its timeline and the actions its visitor may take, and the action endpoint. The rules
//! live in `megapolis_decisions::workflow`; a refusal comes back translated beside the forms.
use crate::auth::{CsrfMultipart, UploadedFile, Visitor};
use crate::decisions::{parse_date, Resolver};
use crate::error::{refusal_status, AppError};
use crate::pages::{render, signed_in};
use crate::state::today;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Json};
use megapolis_decisions::workflow::{Action, Capacities, State as WorkflowState};
use megapolis_domain::{Body, BodyId};
use megapolis_storage::assignments::{AssignmentEdit, AssignmentFilter, AssignmentRecord};
use megapolis_storage::decisions::NewFile;
use megapolis_storage::StorageError;
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;

/// The most rows one list shows; the dashboard's counts tell how many there are.
const LIST_LIMIT: i64 = 1000;

/// The query of `/assignments` and `/api/v1/assignments`: the drill-downs of the dashboard.
#[derive(Debug, Default, Deserialize, Serialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// new, in_progress, report_submitted, accepted or cancelled.
    pub state: Option<String>,
    /// `1`: neither accepted nor cancelled.
    pub open: Option<String>,
    /// `1`: open and past the deadline.
    pub overdue: Option<String>,
    /// Open and due within this many days.
    pub due: Option<i64>,
    /// A body id: lead or co-executor.
    pub body: Option<String>,
    /// A body id: lead only.
    pub lead: Option<String>,
    /// `1`: no lead executor from the directory.
    pub without_body: Option<String>,
    /// A decision id.
    pub decision: Option<i64>,
}

impl ListQuery {
    fn filter(&self, published_only: bool) -> Result<AssignmentFilter, AppError> {
        let flag = |v: &Option<String>| v.as_deref().is_some_and(|v| v == "1" || v == "true");
        Ok(AssignmentFilter {
            state: match self.state.as_deref().filter(|s| !s.is_empty()) {
                Some(s) => Some(s.parse::<WorkflowState>().map_err(|_| {
                    AppError::BadRequest(format!(
                        "state must be one of new, in_progress, report_submitted, accepted, cancelled, not {s:?}"
                    ))
                })?),
                None => None,
            },
            open: flag(&self.open),
            overdue: flag(&self.overdue),
            due_within_days: match self.due {
                Some(days) if !(0..=3660).contains(&days) => {
                    return Err(AppError::BadRequest(format!(
                        "due must be a number of days from 0 to 3660, not {days}"
                    )))
                }
                days => days,
            },
            body: body_param(&self.body)?,
            lead: body_param(&self.lead)?,
            without_body: flag(&self.without_body),
            decision: self.decision,
            published_only,
            limit: Some(LIST_LIMIT),
        })
    }
}

fn body_param(value: &Option<String>) -> Result<Option<BodyId>, AppError> {
    match value.as_deref().filter(|s| !s.is_empty()) {
        Some(b) => Ok(Some(BodyId::parse(b).map_err(|_| {
            AppError::BadRequest(format!("{b:?} is not a body id"))
        })?)),
        None => Ok(None),
    }
}

/// Bodies by id, for names in the visitor's language.
pub(crate) async fn bodies_by_id(state: &AppState) -> Result<BTreeMap<String, Body>, AppError> {
    Ok(state
        .store
        .bodies()
        .await?
        .into_iter()
        .map(|b| (b.id.as_str().to_string(), b))
        .collect())
}

pub async fn list(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = query.filter(false)?;
    let assignments = state.store.assignments(&filter, today()).await?;
    let bodies = bodies_by_id(&state).await?;
    let decision = match query.decision {
        Some(id) => state.store.decision(id).await?,
        None => None,
    };
    let filtered_body = filter
        .body
        .as_ref()
        .or(filter.lead.as_ref())
        .and_then(|b| bodies.get(b.as_str()).cloned());
    Ok(render(
        &state,
        &visitor,
        "assignments.html",
        context! {
            assignments => assignments,
            bodies => bodies,
            query => query,
            filtered_body => filtered_body,
            filtered_decision => decision.map(|d| context! { id => d.id, title => d.title, session => d.session }),
            limited => assignments.len() as i64 >= LIST_LIMIT,
            filtered => filter != AssignmentFilter { limit: Some(LIST_LIMIT), ..AssignmentFilter::default() },
        },
    )
    .into_response())
}

async fn load(state: &AppState, id: i64) -> Result<AssignmentRecord, AppError> {
    state
        .store
        .assignment(id, today())
        .await?
        .ok_or(AppError::NotFound)
}

/// The assignment page: the details, the timeline, and the forms of the actions the visitor's
/// capacities allow, with `refusal` (a translation key) when an action was just refused.
async fn detail_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    status: StatusCode,
    refusal: Option<&str>,
) -> Result<Response, AppError> {
    let assignment = load(state, id).await?;
    let events = state.store.assignment_events(id).await?;
    let capacities = visitor
        .person
        .as_ref()
        .map(|p| assignment.capacities_of(p))
        .unwrap_or_default();
    let open = assignment.state.is_open();
    let can = allowed_forms(&assignment, capacities, open);
    let page = render(
        state,
        visitor,
        "assignment.html",
        context! {
            assignment => assignment,
            events => events,
            bodies => bodies_by_id(state).await?,
            capacities => capacities,
            any_action => can.values().any(|allowed| *allowed),
            can => can,
            refusal => refusal,
            today => today().to_string(),
        },
    );
    Ok((status, page).into_response())
}

/// Which action forms to show: the workflow still has the last word when one is sent.
fn allowed_forms(
    assignment: &AssignmentRecord,
    capacities: Capacities,
    open: bool,
) -> BTreeMap<&'static str, bool> {
    let submitted = assignment.state == WorkflowState::ReportSubmitted;
    let pending = assignment.extension.is_some();
    BTreeMap::from([
        (
            "start",
            open && capacities.lead && assignment.state == WorkflowState::New,
        ),
        ("report", open && capacities.lead && !submitted),
        ("input", open && capacities.co_executor),
        ("accept", open && capacities.controller && submitted),
        ("return", open && capacities.controller && submitted),
        ("extend", open && capacities.lead && !pending),
        ("answer_extension", open && capacities.controller && pending),
        ("cancel", open && capacities.secretariat),
        ("edit", open && capacities.secretariat),
    ])
}

pub async fn detail(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    detail_page(&state, &visitor, id, StatusCode::OK, None).await
}

/// An action as sent by a form or the API, before the workflow sees it.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ActionInput {
    /// start, report, input, accept, return, request_extension, grant_extension,
    /// refuse_extension or cancel.
    pub action: String,
    /// The report, the input, the comment or the reason.
    #[serde(default)]
    pub text: String,
    /// Percent done, with a report (0–100).
    #[serde(default)]
    pub progress: Option<String>,
    /// The new deadline asked for, YYYY-MM-DD.
    #[serde(default)]
    pub until: Option<String>,
}

/// Why an action's input cannot be read: (translation key, English message).
#[derive(Debug)]
pub struct BadAction {
    pub key: &'static str,
    pub message: String,
}

impl ActionInput {
    pub fn parse(&self) -> Result<Action, BadAction> {
        let text = self.text.trim().to_string();
        let action = match self.action.as_str() {
            "start" => Action::Start,
            "report" => Action::Report {
                text,
                progress: match self.progress.as_deref().map(str::trim) {
                    None | Some("") => 100,
                    Some(p) => {
                        p.parse::<u8>()
                            .ok()
                            .filter(|p| *p <= 100)
                            .ok_or_else(|| BadAction {
                                key: "workflow-progress-range",
                                message: format!(
                                    "progress must be a whole number from 0 to 100, not {p:?}"
                                ),
                            })?
                    }
                },
            },
            "input" => Action::Input { text },
            "accept" => Action::Accept { comment: text },
            "return" => Action::Return { comment: text },
            "request_extension" => {
                let until = self.until.as_deref().map(str::trim).unwrap_or_default();
                let format = time::macros::format_description!("[year]-[month]-[day]");
                Action::RequestExtension {
                    until: Date::parse(until, format).map_err(|_| BadAction {
                        key: "assignment-until-invalid",
                        message: format!(
                            "the new deadline must be a date as YYYY-MM-DD, not {until:?}"
                        ),
                    })?,
                    reason: text,
                }
            }
            "grant_extension" => Action::GrantExtension { comment: text },
            "refuse_extension" => Action::RefuseExtension { comment: text },
            "cancel" => Action::Cancel { reason: text },
            other => {
                return Err(BadAction {
                    key: "assignment-action-unknown",
                    message: format!("unknown action {other:?}"),
                })
            }
        };
        Ok(action)
    }
}

fn new_files(files: Vec<UploadedFile>) -> Vec<NewFile> {
    files
        .into_iter()
        .filter(|f| f.field == "files")
        .map(|f| NewFile {
            name: f.name,
            content_type: f.content_type,
            content: f.bytes,
        })
        .collect()
}

pub async fn act(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    form: CsrfMultipart,
) -> Result<Response, AppError> {
    let person = signed_in(&visitor)?;
    let input = ActionInput {
        action: form.text("action").to_string(),
        text: form.text("text").to_string(),
        progress: Some(form.text("progress").to_string()),
        until: Some(form.text("until").to_string()),
    };
    let action = match input.parse() {
        Ok(action) => action,
        Err(bad) => {
            return detail_page(
                &state,
                &visitor,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(bad.key),
            )
            .await
        }
    };
    let files = new_files(form.files);
    match state
        .store
        .act_on_assignment(id, person, &action, &files, today())
        .await
    {
        Ok(done) => {
            Ok(Redirect::to(&format!("/assignments/{id}#event-{}", done.event_id)).into_response())
        }
        Err(e) => refused(&state, &visitor, id, e).await,
    }
}

/// The assignment page again with the workflow's refusal, translated; other errors as they are.
async fn refused(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    error: StorageError,
) -> Result<Response, AppError> {
    match error {
        StorageError::Refused(refusal) => {
            detail_page(
                state,
                visitor,
                id,
                refusal_status(&refusal),
                Some(refusal.code()),
            )
            .await
        }
        e => Err(e.into()),
    }
}

/// The Secretariat's correction form: task, lead (a body, or a name not in the directory),
/// co-executors one per line (resolved like the import's), deadline, recurrence.
pub async fn edit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    form: CsrfMultipart,
) -> Result<Response, AppError> {
    let person = signed_in(&visitor)?;
    let current = load(&state, id).await?;
    let language = state
        .store
        .decision(current.decision_id)
        .await?
        .map(|d| d.language)
        .unwrap_or_default();
    let bodies = state.store.bodies().await?;
    let directory = megapolis_storage::decisions::directory_of(&bodies);
    let resolver = Resolver::new(&bodies, &directory, &language);
    let lead = match (form.text("lead").trim(), form.text("lead_name").trim()) {
        ("", "") => None,
        ("", name) => Some(resolver.named(name)),
        (body_id, _) => match resolver.by_id(body_id) {
            Some(body) => Some(resolver.executor(body)),
            None => return Err(AppError::BadRequest(format!("no body {body_id:?}"))),
        },
    };
    let deadline = match form.text("deadline").trim() {
        "" => None,
        text => match parse_date(text) {
            Some(date) => Some(date),
            None => {
                return detail_page(
                    &state,
                    &visitor,
                    id,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some("assignment-date-invalid"),
                )
                .await
            }
        },
    };
    let recurrence = match form.text("recurrence") {
        "" => None,
        text => Some(
            text.parse()
                .map_err(|_| AppError::BadRequest(format!("no recurrence {text:?}")))?,
        ),
    };
    let edit = AssignmentEdit {
        task: form.text("task").trim().to_string(),
        lead,
        co_executors: form
            .text("co_executors")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|name| resolver.named(name))
            .collect(),
        deadline,
        deadline_text: Some(form.text("deadline_text").trim().to_string())
            .filter(|t| !t.is_empty()),
        recurrence,
    };
    match state
        .store
        .edit_assignment(id, person, &edit, today())
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/assignments/{id}#timeline")).into_response()),
        Err(e) => refused(&state, &visitor, id, e).await,
    }
}

// ---- API ----

/// An assignment in the API. Comments and reports are in `timeline` for signed-in callers only.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AssignmentJson {
    #[schema(value_type = Object)]
    #[serde(flatten)]
    assignment: AssignmentRecord,
    #[schema(value_type = Option<Vec<Object>>)]
    #[serde(skip_serializing_if = "Option::is_none")]
    timeline: Option<Vec<megapolis_storage::assignments::AssignmentEvent>>,
}

/// Assignments matching the dashboard's filters; the public sees those of published decisions.
#[utoipa::path(get, path = "/api/v1/assignments", params(ListQuery),
    responses((status = 200, description = "Assignments", body = [Object]), (status = 400, description = "A bad filter")))]
pub async fn api_list(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(query): Query<ListQuery>,
) -> Response {
    let result = async {
        let filter = query.filter(visitor.person.is_none())?;
        Ok::<_, AppError>(state.store.assignments(&filter, today()).await?)
    }
    .await;
    match result {
        Ok(list) => Json(list).into_response(),
        Err(e) => e.into_json(),
    }
}

/// One assignment; signed-in callers also get its timeline.
#[utoipa::path(get, path = "/api/v1/assignments/{id}", params(("id" = i64, Path, description = "Assignment id")),
    responses((status = 200, description = "The assignment", body = AssignmentJson), (status = 404, description = "No such assignment")))]
pub async fn api_get(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let assignment = load(&state, id).await?;
        if visitor.person.is_none() && !assignment.published {
            return Err(AppError::NotFound);
        }
        let timeline = match visitor.person {
            Some(_) => Some(state.store.assignment_events(id).await?),
            None => None,
        };
        Ok(AssignmentJson {
            assignment,
            timeline,
        })
    }
    .await;
    match result {
        Ok(json) => Json(json).into_response(),
        Err(e) => e.into_json(),
    }
}

/// Takes an action on an assignment as the caller. The workflow decides: 403 when the caller's
/// bodies do not allow it, 409 when the state does not, 422 when a field is wrong.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/actions", request_body = ActionInput,
    params(("id" = i64, Path, description = "Assignment id")),
    responses((status = 200, description = "Done: the new state"), (status = 403, description = "Not the caller's to do"),
        (status = 409, description = "Not in this state"), (status = 422, description = "A field is wrong")),
    security(("bearer" = [])))]
pub async fn api_act(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Json(input): Json<ActionInput>,
) -> Response {
    let result = async {
        let person = signed_in(&visitor)?;
        let action = input
            .parse()
            .map_err(|bad| AppError::Unprocessable(bad.message))?;
        Ok::<_, AppError>(
            state
                .store
                .act_on_assignment(id, person, &action, &[], today())
                .await?,
        )
    }
    .await;
    match result {
        Ok(done) => Json(serde_json::json!({
            "state": done.state,
            "event_id": done.event_id,
            "next_occurrence": done.next_occurrence,
        }))
        .into_response(),
        Err(e) => e.into_json(),
    }
}

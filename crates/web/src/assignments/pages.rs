//! Assignment pages and API: the list with the dashboard's drill-down filters, one assignment
//! with its timeline and the actions its visitor may take, and the action endpoint. The rules
//! live in `megapolis_assignments::workflow`; a refusal comes back translated beside the forms.
use crate::auth::Visitor;
use crate::error::refusal_status;
use crate::error::AppError;
use crate::forms::CsrfMultipart;
use crate::org::pages::bodies_by_id;
use crate::render::render;
use crate::render::signed_in;
use crate::render::with_done;
use crate::state::today;
use crate::state::AppState;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use axum::Extension;
use megapolis_assignments::workflow::Action;
use megapolis_assignments::workflow::WorkflowError;
use megapolis_assignments::AssignmentState;
use megapolis_domain::field::date_as_written;
use megapolis_domain::BodyId;
use megapolis_storage::assignments::AssignmentEdit;
use megapolis_storage::assignments::AssignmentFilter;
use megapolis_storage::assignments::AssignmentRecord;
use megapolis_storage::assignments::ListOrder;
use megapolis_storage::StorageError;
use minijinja::context;
use serde::Deserialize;
use serde::Serialize;
use std::collections::BTreeMap;

/// The most rows one list shows; the dashboard's counts tell how many there are.
pub(crate) const LIST_LIMIT: i64 = 1000;

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
    /// A lead executor outside the directory, by its name exactly as the decision wrote it.
    pub lead_name: Option<String>,
    /// `1`: no lead executor named at all.
    pub no_lead: Option<String>,
    /// `1`: open, with an extension request waiting for the controlling body.
    pub extension: Option<String>,
    /// `1`: the caller's work: open assignments on which a body of the caller must act (as lead
    /// executor or co-executor; as the controlling body, when a report or an extension request
    /// waits for its answer). Signed-in callers only.
    pub mine: Option<String>,
    /// A decision id.
    pub decision: Option<i64>,
    /// Words to find, in any case, in the task, the item number, the decision's title or the
    /// lead executor's name.
    pub q: Option<String>,
    /// decision (the default: newest session first), deadline, state or progress.
    pub sort: Option<String>,
}

impl ListQuery {
    /// The filter for `visitor`: assignments of published decisions only, except for the
    /// Secretariat looking at one decision (a draft it is preparing), so a list matches the
    /// dashboard figure it drills down from.
    pub(crate) fn filter_for(&self, visitor: &Visitor) -> Result<AssignmentFilter, AppError> {
        let waiting_on = match (flag(&self.mine), &visitor.person) {
            (false, _) => None,
            (true, Some(person)) => {
                Some(person.memberships.iter().map(|m| m.body.clone()).collect())
            }
            (true, None) => {
                return Err(AppError::BadRequest(
                    "mine=1 lists the caller's work: sign in or send a bearer token".into(),
                ))
            }
        };
        Ok(AssignmentFilter {
            waiting_on,
            ..self.filter(!(visitor.is_staff() && self.decision.is_some()))?
        })
    }

    fn filter(&self, published_only: bool) -> Result<AssignmentFilter, AppError> {
        Ok(AssignmentFilter {
            state: match self.state.as_deref().filter(|s| !s.is_empty()) {
                Some(s) => Some(s.parse::<AssignmentState>().map_err(|_| {
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
            lead_name: self.lead_name.clone().filter(|name| !name.is_empty()),
            no_lead: flag(&self.no_lead),
            extension: flag(&self.extension),
            waiting_on: None,
            decision: self.decision,
            published_only,
            search: self.q.clone().filter(|q| !q.trim().is_empty()),
            order: match self.sort.as_deref().unwrap_or_default() {
                "" | "decision" => ListOrder::Decision,
                "deadline" => ListOrder::Deadline,
                "state" => ListOrder::State,
                "progress" => ListOrder::Progress,
                other => {
                    return Err(AppError::BadRequest(format!(
                        "sort must be one of decision, deadline, state, progress, not {other:?}"
                    )))
                }
            },
            limit: Some(LIST_LIMIT),
        })
    }
}

/// A yes/no parameter: `1` or `true` is yes.
fn flag(value: &Option<String>) -> bool {
    value.as_deref().is_some_and(|v| v == "1" || v == "true")
}

pub(crate) fn body_param(value: &Option<String>) -> Result<Option<BodyId>, AppError> {
    match value.as_deref().filter(|s| !s.is_empty()) {
        Some(b) => Ok(Some(BodyId::parse(b).map_err(|_| {
            AppError::BadRequest(format!("{b:?} is not a body id"))
        })?)),
        None => Ok(None),
    }
}

pub async fn list(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let filter = query.filter_for(&visitor)?;
    let assignments = state.store.assignments().list(&filter, today()).await?;
    let bodies = bodies_by_id(&state).await?;
    let decision = match query.decision {
        Some(id) => state.store.decisions().get(id).await?,
        None => None,
    };
    let decisions = state
        .store
        .decisions()
        .list(!visitor.is_staff(), today())
        .await?;
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
            decisions => decisions.iter().map(|d| context! { id => d.id, title => d.title, session => d.session.number, published => d.published }).collect::<Vec<_>>(),
            filtered_lead_name => filter.lead_name,
            mine => filter.waiting_on.is_some(),
            no_lead => filter.no_lead,
            extension => filter.extension,
            has_bodies => visitor.person.as_ref().is_some_and(|p| !p.memberships.is_empty()),
            limited => assignments.len() as i64 >= LIST_LIMIT,
            filtered => filter != AssignmentFilter { limit: Some(LIST_LIMIT), published_only: filter.published_only, order: filter.order, ..AssignmentFilter::default() },
        },
    ).await
    .into_response())
}

/// The assignment `id` if `visitor` may see it: those of a draft decision only the Secretariat.
pub(crate) async fn load(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
) -> Result<AssignmentRecord, AppError> {
    state
        .store
        .assignments()
        .get(id, today())
        .await?
        .filter(|a| a.published || visitor.is_staff())
        .ok_or(AppError::NotFound)
}

/// Why the action just sent was not taken, for the page that shows its form again: the
/// message (a translation key), the page element of the field it concerns (for the error
/// summary's link and the message beside the field), and what was typed, to keep it.
#[derive(Debug, Default, Serialize)]
pub(crate) struct Problem {
    key: &'static str,
    field: Option<&'static str>,
    action: String,
    text: String,
    progress: String,
    until: String,
}

impl Problem {
    /// A problem of no one field (a refusal of the workflow, a wrong date in the correction).
    pub(crate) fn general(key: &'static str) -> Problem {
        Problem {
            key,
            ..Problem::default()
        }
    }

    /// A problem with `input`'s `field` (`text`, `progress`, `until`, `action`).
    fn of(key: &'static str, input: &ActionInput, field: &str) -> Problem {
        Problem {
            key,
            field: field_element(&input.action, field),
            action: input.action.clone(),
            text: input.text.clone(),
            progress: input.progress.clone().unwrap_or_default(),
            until: input.until.clone().unwrap_or_default(),
        }
    }

    /// The workflow's refusal of `input`, beside the field it concerns when there is one.
    fn refused(refusal: &WorkflowError, input: &ActionInput) -> Problem {
        let field = match refusal {
            WorkflowError::Required { .. } => "text",
            WorkflowError::Progress(_) => "progress",
            WorkflowError::ExtensionNotLater { .. } => "until",
            _ => "",
        };
        Problem::of(refusal.code(), input, field)
    }
}

/// The id of the page element of an action form's field.
fn field_element(action: &str, field: &str) -> Option<&'static str> {
    Some(match (action, field) {
        ("report", "text") => "report-text",
        ("report", "progress") => "report-progress",
        ("input", "text") => "input-text",
        ("accept" | "return", "text") => "review-text",
        ("request_extension", "text") => "extend-reason",
        ("request_extension", "until") => "extend-until",
        ("grant_extension" | "refuse_extension", "text") => "answer-text",
        ("cancel", "text") => "cancel-reason",
        _ => return None,
    })
}

/// The assignment page: the details, the timeline, and the forms of the actions the visitor's
/// capacities allow, with the `problem` of an action just refused.
pub(crate) async fn detail_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    status: StatusCode,
    problem: Option<Problem>,
) -> Result<Response, AppError> {
    let assignment = load(state, visitor, id).await?;
    let events = state.store.assignments().events(id).await?;
    let bodies = bodies_by_id(state).await?;
    let member_groups: Vec<megapolis_domain::BodyId> = bodies
        .values()
        .filter(|b| b.kind == megapolis_domain::BodyKind::MemberGroup)
        .map(|b| b.id.clone())
        .collect();
    let capacities = visitor
        .person
        .as_ref()
        .map(|p| assignment.capacities_of(p, &member_groups))
        .unwrap_or_default();
    let offered = megapolis_assignments::workflow::offered(&assignment.status(), capacities);
    let overdue_by =
        megapolis_assignments::workflow::overdue_by(assignment.state, assignment.deadline, today())
            .map(|(days, deadline)| {
                context! { days => days, since => crate::dates::short_date(deadline, visitor.lang) }
            });
    let can: BTreeMap<&str, bool> = offered.iter().map(|form| (*form, true)).collect();
    // Addressed to the member cities as a whole: each city gives its own part.
    let to_member_cities = assignment
        .lead
        .iter()
        .chain(&assignment.co_executors)
        .filter_map(|executor| executor.body_id.as_ref())
        .any(|body| member_groups.contains(body));
    let city_parts = if to_member_cities {
        let parts = state.store.assignments().city_parts(id).await?;
        let cities = state.store.org().cities().await?;
        cities
            .into_iter()
            .filter(|c| c.status == megapolis_domain::MembershipStatus::Member)
            .map(|c| {
                let part = parts.get(c.code.as_str());
                context! {
                    name => visitor.lang.pick(&c.name_ru, &c.name_en),
                    code => c.code.as_str(),
                    event => part.map(|(event, _)| *event),
                    at => part.map(|(_, at)| crate::dates::moment(at, visitor.lang)),
                }
            })
            .collect::<Vec<_>>()
    } else {
        Vec::new()
    };
    let page = render(
        state,
        visitor,
        "assignment.html",
        context! {
            assignment => assignment,
            events => events,
            bodies => bodies,
            capacities => capacities,
            any_action => can.values().any(|allowed| *allowed),
            can => can,
            problem => problem,
            city_parts => city_parts,
            overdue_by => overdue_by,
            today => today().to_string(),
        },
    )
    .await;
    Ok((status, page).into_response())
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
    /// Percent done, with a report (0–100); left out, the report says all is done. An empty
    /// value is refused: a form that asks must be answered.
    #[serde(default)]
    pub progress: Option<String>,
    /// The new deadline asked for, YYYY-MM-DD.
    #[serde(default)]
    pub until: Option<String>,
}

/// Why an action's input cannot be read: the translation key, the English message, and the
/// input field it concerns.
#[derive(Debug)]
pub struct BadAction {
    pub key: &'static str,
    pub message: String,
    pub field: &'static str,
}

impl ActionInput {
    pub fn parse(&self) -> Result<Action, BadAction> {
        let text = self.text.trim().to_string();
        let action = match self.action.as_str() {
            "start" => Action::Start,
            "report" => Action::Report {
                text,
                // The API may leave progress out (the report then says all is done); a form
                // sends the field, and an empty one is a question left unanswered.
                progress: match self.progress.as_deref().map(str::trim) {
                    None => 100,
                    Some("") => {
                        return Err(BadAction {
                            key: "workflow-progress-required",
                            message: "say how much is done, from 0 to 100 %".into(),
                            field: "progress",
                        })
                    }
                    Some(p) => {
                        p.parse::<u8>()
                            .ok()
                            .filter(|p| *p <= 100)
                            .ok_or_else(|| BadAction {
                                key: "workflow-progress-range",
                                message: format!(
                                    "progress must be a whole number from 0 to 100, not {p:?}"
                                ),
                                field: "progress",
                            })?
                    }
                },
            },
            "input" => Action::Input { text },
            "accept" => Action::Accept { comment: text },
            "return" => Action::Return { comment: text },
            "request_extension" => {
                let until = self.until.as_deref().map(str::trim).unwrap_or_default();
                Action::RequestExtension {
                    until: date_as_written(until).ok_or_else(|| BadAction {
                        key: "assignment-until-invalid",
                        message: format!(
                            "the new deadline must be a date as YYYY-MM-DD or DD.MM.YYYY, not {until:?}"
                        ),
                        field: "until",
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
                    field: "action",
                })
            }
        };
        Ok(action)
    }
}

pub async fn act(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    form: CsrfMultipart,
) -> Result<Response, AppError> {
    let person = signed_in(&visitor)?;
    load(&state, &visitor, id).await?;
    let input = ActionInput {
        action: form.text("action").to_string(),
        text: form.text("text").to_string(),
        progress: Some(form.text("progress").to_string()),
        until: Some(form.text("until").to_string()),
    };
    let action = match input.parse() {
        Ok(action) => action,
        Err(bad) => {
            let problem = Problem::of(bad.key, &input, bad.field);
            return detail_page(
                &state,
                &visitor,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(problem),
            )
            .await;
        }
    };
    let files = form.files_of("files");
    match state
        .store
        .assignments()
        .act(id, person, &action, &files, today())
        .await
    {
        Ok(done) => Ok(Redirect::to(&with_done(
            &format!("/assignments/{id}#event-{}", done.event_id),
            "saved",
        ))
        .into_response()),
        Err(StorageError::Refused(refusal)) => {
            let problem = Problem::refused(&refusal, &input);
            detail_page(
                &state,
                &visitor,
                id,
                refusal_status(&refusal),
                Some(problem),
            )
            .await
        }
        Err(e) => Err(e.into()),
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
    let current = load(&state, &visitor, id).await?;
    let language = state
        .store
        .decisions()
        .get(current.decision_id)
        .await?
        .map(|d| d.language)
        .unwrap_or_default();
    let bodies = state.store.org().bodies().await?;
    let directory = megapolis_decisions::directory_of(&bodies);
    let resolver = megapolis_decisions::draft::Resolver::new(&bodies, &directory, &language);
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
        text => match megapolis_decisions::draft::parse_iso_date(text) {
            Some(date) => Some(date),
            None => {
                return detail_page(
                    &state,
                    &visitor,
                    id,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(Problem::general("assignment-date-invalid")),
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
        .assignments()
        .edit(id, person, &edit, today())
        .await
    {
        Ok(()) => Ok(
            Redirect::to(&with_done(&format!("/assignments/{id}#timeline"), "saved"))
                .into_response(),
        ),
        Err(StorageError::Refused(refusal)) => {
            let problem = Problem::general(refusal.code());
            detail_page(
                &state,
                &visitor,
                id,
                refusal_status(&refusal),
                Some(problem),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

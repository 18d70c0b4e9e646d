//! The plan of events on the portal: the approved plan by month with its filters (a GET form)
//! and the feed of the filtered view, an event's page, and for whoever is signed in the
//! proposals page: the form to propose, one's own proposals, and for the Secretariat, the Expert
//! Council and the President every proposal with its clash flags and the buttons to decide.
use super::api::{filter_of, year_clashes, Proposed};
use super::cache::Written;
use crate::auth::Visitor;
use crate::error::AppError;
use crate::forms::CsrfForm;
use crate::render::{errors_map, render, see_other, with_done, PageResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Extension;
use megapolis_domain::{FieldErrors, Lang};
use megapolis_events::{format_date, EventKind, ProposalAction, ProposalInput, Refusal};
use megapolis_storage::events::{sees_all, Plan, Proposal};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// An event as the pages and the printed plan show it, in the reader's language.
#[derive(Serialize)]
pub(crate) struct EventView {
    pub id: i64,
    pub year: i32,
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub precision: &'static str,
    pub starts_on: String,
    pub ends_on: String,
    /// 1–12: the month it starts in, for the plan's grouping.
    pub month: u8,
    pub city: String,
    pub venue: String,
    pub organisers: Vec<String>,
    pub expected_participants: Option<i64>,
    pub state: &'static str,
    pub reason: String,
    pub cancelled: bool,
    pub merged_into: Option<i64>,
    pub proposer: String,
    /// The clashes it is in: (other id, kind, severity).
    pub flags: Vec<(i64, &'static str, &'static str)>,
}

/// Events (in order of start) grouped by the month they start in, as `event-months.html` shows.
pub(crate) fn by_month(events: &[EventView]) -> Vec<minijinja::Value> {
    let mut months: Vec<(i32, u8, Vec<&EventView>)> = Vec::new();
    for e in events {
        match months.last_mut() {
            Some((y, m, list)) if *y == e.year && *m == e.month => list.push(e),
            _ => months.push((e.year, e.month, vec![e])),
        }
    }
    months
        .into_iter()
        .map(|(year, month, events)| context! { year, month, events })
        .collect()
}

pub(crate) fn view(p: &Proposal, lang: Lang, cities: &HashMap<String, String>) -> EventView {
    let e = &p.event;
    let title = lang.pick(&e.title_ru, &e.title_en);
    let title = if title.is_empty() {
        lang.pick(&e.title_en, &e.title_ru)
    } else {
        title
    };
    let description = lang.pick(&e.description_ru, &e.description_en);
    EventView {
        id: p.id,
        year: e.year,
        kind: e.kind.as_str(),
        title: title.to_string(),
        description: description.to_string(),
        precision: e.precision.as_str(),
        starts_on: format_date(e.period.start),
        ends_on: format_date(e.period.end),
        month: u8::from(e.period.start.month()),
        city: cities
            .get(e.city.as_str())
            .cloned()
            .unwrap_or_else(|| e.city.to_string()),
        venue: e.venue.clone(),
        organisers: e.organisers(),
        expected_participants: e.expected_participants,
        state: p.state.as_str(),
        reason: p.reason.clone(),
        cancelled: p.cancelled,
        merged_into: p.merged_into,
        proposer: p.proposer_name.clone(),
        flags: Vec::new(),
    }
}

/// The published solutions of the catalogue, (id, title in `lang`), for a choice.
pub(crate) async fn solution_choices(
    state: &AppState,
    lang: Lang,
) -> Result<Vec<(i64, String)>, AppError> {
    Ok(state
        .store
        .catalogue()
        .list(true)
        .await?
        .into_iter()
        .map(|s| (s.id, lang.pick(&s.title_ru, &s.title_en).to_string()))
        .collect())
}

/// The training courses (programmes), (id, title in `lang`), for a choice.
async fn course_choices(state: &AppState, lang: Lang) -> Result<Vec<(i64, String)>, AppError> {
    Ok(state
        .store
        .training()
        .programmes()
        .await?
        .into_iter()
        .map(|p| {
            let title = lang.pick(&p.programme.title_ru, &p.programme.title_en);
            (p.id, title.to_string())
        })
        .collect())
}

/// Of `choices`, the linked `ids` in their order; one no longer offered shows as its number.
fn linked(ids: &[i64], choices: &[(i64, String)]) -> Vec<(i64, String)> {
    ids.iter()
        .map(|id| {
            let title = choices
                .iter()
                .find(|(c, _)| c == id)
                .map(|(_, t)| t.clone());
            (*id, title.unwrap_or_else(|| format!("#{id}")))
        })
        .collect()
}

pub(crate) async fn city_names(
    state: &AppState,
    lang: Lang,
) -> Result<HashMap<String, String>, AppError> {
    Ok(state
        .store
        .org()
        .cities()
        .await?
        .iter()
        .map(|c| {
            (
                c.code.to_string(),
                lang.pick(&c.name_ru, &c.name_en).to_string(),
            )
        })
        .collect())
}

/// The approved plan of a year by month, filtered. Visitors not signed in all see the same page
/// at one address in one language: it is written once per state of the approved plans.
pub async fn plan(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> PageResult {
    const HTML: &str = "text/html; charset=utf-8";
    if visitor.person.is_some() {
        return plan_page(&state, &visitor, &query).await;
    }
    let stamp = state.store.events().stamp().await?;
    let key = format!("{}\n{}", visitor.lang.code(), visitor.location);
    if let Some(written) = state.events_pages.get(&stamp, &key) {
        return Ok(written.respond(&headers, HTML));
    }
    let page = plan_page(&state, &visitor, &query).await?;
    if page.status() != StatusCode::OK {
        return Ok(page);
    }
    let body = axum::body::to_bytes(page.into_body(), usize::MAX)
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("reading the plan page: {e}")))?;
    let written = Written::new(body).await;
    state.events_pages.put(stamp, key, written.clone());
    Ok(written.respond(&headers, HTML))
}

async fn plan_page(
    state: &AppState,
    visitor: &Visitor,
    query: &HashMap<String, String>,
) -> PageResult {
    let (filter, bad_kind) = match filter_of(query) {
        Ok(filter) => (filter, false),
        Err(_) => (Default::default(), true),
    };
    let in_force = state.store.events().in_force().await?;
    let year = chosen_year(query, &in_force);
    let cities = city_names(state, visitor.lang).await?;
    let events: Vec<EventView> = match year {
        Some(year) => state
            .store
            .events()
            .published(&filter, Some(year))
            .await?
            .iter()
            .map(|p| view(p, visitor.lang, &cities))
            .collect(),
        None => Vec::new(),
    };
    let months = by_month(&events);
    // Each year's plan in force, as a document (PDF, XLSX) and the decision it is appended to.
    let plans: Vec<_> = in_force
        .iter()
        .map(|p| {
            context! {
                id => p.id, year => p.year, decision => p.decision_id,
                title => megapolis_events::plan_title(visitor.lang, p.year, p.version),
            }
        })
        .collect();
    // The feed of exactly the view on the page.
    let feed_query: Vec<String> = ["kind", "city", "organiser"]
        .iter()
        .filter_map(|k| {
            query
                .get(*k)
                .filter(|v| !v.trim().is_empty())
                .map(|v| (k, v))
        })
        .filter(|_| !bad_kind)
        .map(|(k, v)| format!("{k}={}", urlencode(v.trim())))
        .collect();
    let feed = if feed_query.is_empty() {
        "/api/v1/events.ics".to_string()
    } else {
        format!("/api/v1/events.ics?{}", feed_query.join("&"))
    };
    let mut city_list: Vec<(String, String)> = cities.into_iter().collect();
    city_list.sort_by(|a, b| a.1.cmp(&b.1));
    let html = render(
        state,
        visitor,
        "events.html",
        context! {
            months, plans, feed, kinds => EventKind::ALL.map(EventKind::as_str), cities => city_list, year,
            kind => query.get("kind"), city => query.get("city"), organiser => query.get("organiser"),
        },
    )
    .await;
    Ok(html)
}

/// The plan year the page shows: `?year=` when a plan of that year is in force, else the first
/// year in force from this one on, else the last; none without a plan in force.
fn chosen_year(query: &HashMap<String, String>, in_force: &[Plan]) -> Option<i32> {
    let years: Vec<i32> = in_force.iter().map(|p| p.year).collect();
    let asked = query
        .get("year")
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| years.contains(y));
    let this = crate::state::today().year();
    asked
        .or_else(|| years.iter().copied().find(|y| *y >= this))
        .or_else(|| years.last().copied())
}

/// Percent-encodes a query value.
fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// An event of an approved plan, or any proposal for those who consolidate or proposed it.
pub async fn event(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    event_page(&state, &visitor, id, Vec::new(), StatusCode::OK).await
}

/// The event's page, with `problems` (messages in the reader's language) and `status` when a
/// form on it was refused.
pub(crate) async fn event_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    problems: Vec<String>,
    status: StatusCode,
) -> PageResult {
    let events = state.store.events();
    let live = events.get(id).await?.ok_or(AppError::NotFound)?;
    // An event of a plan in force shows as approved; an amendment waits for the next version.
    let approved = events.published_event(id).await?;
    let published = approved.is_some();
    let insider = visitor
        .person
        .as_ref()
        .is_some_and(|p| sees_all(p) || p.id == live.proposer_id);
    if !published && !insider {
        return Err(AppError::NotFound);
    }
    let pending = insider
        && approved
            .as_ref()
            .is_some_and(|a| a.event != live.event || a.cancelled != live.cancelled);
    let found = approved.unwrap_or(live);
    let cities = city_names(state, visitor.lang).await?;
    let event = view(&found, visitor.lang, &cities);
    let held = if published {
        Some(super::held::section(state, visitor, &found, &cities).await?)
    } else {
        None
    };
    let solutions = linked(
        &found.event.solutions,
        &solution_choices(state, visitor.lang).await?,
    );
    let courses = linked(
        &found.event.courses,
        &course_choices(state, visitor.lang).await?,
    );
    let html = render(
        state,
        visitor,
        "event.html",
        context! {
            event, published, held, problems, pending, solutions, courses,
            ics => format!("/api/v1/events.ics?organiser={}", urlencode(&found.event.organiser)),
        },
    )
    .await;
    Ok((status, html).into_response())
}

async fn proposals_page(
    state: &AppState,
    visitor: &Visitor,
    form: &ProposalInput,
    errors: &FieldErrors,
    problem: Option<Refusal>,
) -> PageResult {
    let person = visitor.person.as_ref().ok_or(AppError::Forbidden)?;
    // Who may not is told by the site's own 403 page; the page comes back for the rest.
    if problem.as_ref().is_some_and(|r| r.status() == 403) {
        return Err(AppError::Forbidden);
    }
    let all = sees_all(person);
    let cities = city_names(state, visitor.lang).await?;
    let list = state
        .store
        .events()
        .proposals(None, (!all).then_some(person.id))
        .await?;
    let clashes = if all {
        year_clashes(state, None).await?
    } else {
        Vec::new()
    };
    let proposals: Vec<EventView> = list
        .iter()
        .map(|p| {
            let mut v = view(p, visitor.lang, &cities);
            v.flags = clashes
                .iter()
                .filter(|c| c.a == p.id || c.b == p.id)
                .map(|c| {
                    (
                        if c.a == p.id { c.b } else { c.a },
                        c.kind.as_str(),
                        c.severity.as_str(),
                    )
                })
                .collect();
            v
        })
        .collect();
    let status = match &problem {
        Some(refusal) => StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::CONFLICT),
        None if errors.is_empty() => StatusCode::OK,
        None => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let problem = problem.map(|r| r.code());
    let mut city_list: Vec<(String, String)> = cities.into_iter().collect();
    city_list.sort_by(|a, b| a.1.cmp(&b.1));
    let form = context! {
        year => form.year, kind => form.kind, title_ru => form.title_ru, title_en => form.title_en,
        description_ru => form.description_ru, description_en => form.description_en,
        starts_on => form.starts_on, ends_on => form.ends_on, month => form.month,
        quarter => form.quarter, city => form.city, venue => form.venue,
        organiser => form.organiser, co_organisers => form.co_organisers,
        expected_participants => form.expected_participants,
        solutions => chosen(&form.solutions), courses => chosen(&form.courses),
    };
    let solution_choices = solution_choices(state, visitor.lang).await?;
    let course_choices = course_choices(state, visitor.lang).await?;
    let html = render(
        state,
        visitor,
        "event-proposals.html",
        context! {
            proposals, consolidator => all, form, errors => errors_map(errors), problem,
            kinds => EventKind::ALL.map(EventKind::as_str), cities => city_list,
            me => person.id, solution_choices, course_choices,
        },
    )
    .await;
    Ok((status, html).into_response())
}

pub async fn proposals(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let form = ProposalInput {
        year: (crate::state::today().year() + 1).to_string(),
        city: visitor
            .person
            .as_ref()
            .and_then(|p| p.city.as_ref())
            .map(|c| c.to_string())
            .unwrap_or_default(),
        ..Default::default()
    };
    proposals_page(&state, &visitor, &form, &FieldErrors::default(), None).await
}

/// The ids a multi-select sent (one per line), as the form marks them selected.
fn chosen(lines: &str) -> Vec<i64> {
    lines
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

/// The proposal form's fields; a multi-select's repeated field becomes one value per line.
fn proposal_form(pairs: Vec<(String, String)>) -> Result<ProposalInput, AppError> {
    let mut fields = serde_json::Map::new();
    for (name, value) in pairs {
        match fields.get_mut(&name) {
            Some(serde_json::Value::String(before)) => {
                before.push('\n');
                before.push_str(&value);
            }
            _ => {
                fields.insert(name, serde_json::Value::String(value));
            }
        }
    }
    serde_json::from_value(serde_json::Value::Object(fields))
        .map_err(|e| AppError::BadRequest(e.to_string()))
}

pub async fn propose(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let input = proposal_form(pairs)?;
    let person = visitor.person.as_ref().ok_or(AppError::Forbidden)?;
    match super::api::propose(&state, person, &input).await {
        Ok(id) => Ok(see_other(&with_done(
            &format!("/events/proposals#proposal-{id}"),
            "created",
        ))),
        Err(Proposed::Invalid(errors)) => {
            proposals_page(&state, &visitor, &input, &errors, None).await
        }
        Err(Proposed::Refused(refusal)) => {
            proposals_page(
                &state,
                &visitor,
                &input,
                &FieldErrors::default(),
                Some(refusal),
            )
            .await
        }
        Err(Proposed::Failed(e)) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct ActInput {
    #[serde(default)]
    action: String,
    #[serde(default)]
    reason: String,
}

/// Submit, withdraw, accept or decline from the proposals page.
pub async fn act(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<ActInput>,
) -> PageResult {
    let person = visitor.person.as_ref().ok_or(AppError::Forbidden)?;
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let action = match input.action.as_str() {
        "submit" => ProposalAction::Submit,
        "withdraw" => ProposalAction::Withdraw,
        "accept" => ProposalAction::Accept,
        "decline" => ProposalAction::Decline,
        _ => return Err(AppError::Unprocessable("unknown action".into())),
    };
    let outcome = state
        .store
        .events()
        .act(person, id, action, &input.reason)
        .await?
        .map(|_| ());
    after_consolidation(&state, &visitor, id, outcome).await
}

/// Back to proposal `id` on the consolidation page when a step went through; the page again
/// with the refusal when it did not.
async fn after_consolidation(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    outcome: Result<(), Refusal>,
) -> PageResult {
    match outcome {
        Ok(()) => Ok(see_other(&with_done(
            &format!("/events/proposals#proposal-{id}"),
            "saved",
        ))),
        Err(refusal) => {
            proposals_page(
                state,
                visitor,
                &ProposalInput::default(),
                &FieldErrors::default(),
                Some(refusal),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct MergeInput {
    /// The ids of the duplicates, separated by commas or spaces.
    #[serde(default)]
    others: String,
    #[serde(default)]
    reason: String,
}

/// Merges duplicates into proposal `id` from the consolidation page (a duplicate flag's form).
pub async fn merge(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<MergeInput>,
) -> PageResult {
    let person = visitor.person.as_ref().ok_or(AppError::Forbidden)?;
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let others: Option<Vec<i64>> = input
        .others
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(|t| t.trim_start_matches('#').parse().ok())
        .collect();
    let outcome = match others {
        Some(others) => {
            state
                .store
                .events()
                .merge(person, id, &others, &input.reason)
                .await?
        }
        None => Err(Refusal::NothingToMerge),
    };
    after_consolidation(&state, &visitor, id, outcome).await
}

/// The plan's versions for those who consolidate or approve: open a version (staff), submit it,
/// approve or return it with remarks (the President), each with its events and its changes.
pub async fn plans(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    plans_page(&state, &visitor, None).await
}

async fn plans_page(state: &AppState, visitor: &Visitor, problem: Option<String>) -> PageResult {
    let person = visitor.person.as_ref().ok_or(AppError::Forbidden)?;
    if !sees_all(person) {
        return Err(AppError::Forbidden);
    }
    let mut versions = Vec::new();
    for plan in state.store.events().plans().await?.iter().rev() {
        versions.push(super::api::plan_view(state, plan, true).await?);
    }
    let status = if problem.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let html = render(
        state,
        visitor,
        "event-plans.html",
        context! {
            versions, problem, president => megapolis_events::is_president(person),
            year => crate::state::today().year() + 1,
        },
    )
    .await;
    Ok((status, html).into_response())
}

#[derive(Deserialize)]
pub struct PlanInput {
    #[serde(default)]
    year: String,
}

pub async fn create_plan(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(input): CsrfForm<PlanInput>,
) -> PageResult {
    let year: i32 = input
        .year
        .trim()
        .parse()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| AppError::Unprocessable("year must be a year from 2000 to 2100".into()))?;
    match state
        .store
        .events()
        .create_plan(&visitor.actor(), year)
        .await
    {
        Ok(_) => Ok(see_other(&with_done("/events/plans", "created"))),
        Err(megapolis_storage::StorageError::Conflict(message)) => {
            plans_page(&state, &visitor, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct PlanActInput {
    #[serde(default)]
    action: String,
    #[serde(default)]
    remarks: String,
}

pub async fn act_plan(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<PlanActInput>,
) -> PageResult {
    let person = visitor.person.as_ref().ok_or(AppError::Forbidden)?;
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let action = match input.action.as_str() {
        "submit" => megapolis_events::PlanAction::Submit,
        "approve" => megapolis_events::PlanAction::Approve,
        "return" => megapolis_events::PlanAction::Return,
        _ => return Err(AppError::Unprocessable("unknown action".into())),
    };
    match state
        .store
        .events()
        .act_plan(person, id, action, &input.remarks)
        .await?
    {
        Ok(_) => Ok(see_other(&with_done(
            &format!("/events/plans#plan-{id}"),
            "saved",
        ))),
        Err(refusal) if refusal.status() == 403 => Err(AppError::Forbidden),
        Err(refusal) => plans_page(&state, &visitor, Some(refusal.to_string())).await,
    }
}

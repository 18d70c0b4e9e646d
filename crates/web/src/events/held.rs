//! Held events on the event's page: registration (a place, or the waiting list beyond the
//! capacity; a cancellation gives the place to the first waiting), and for who runs the event
//! (its proposer, the Secretariat, the Expert Council) the capacity, attendance, the programme
//! of talks presenting catalogue solutions, materials and the report; and a city's record of the
//! events its staff attended.
use super::pages::{city_names, event_page, view};
use crate::auth::Visitor;
use crate::error::AppError;
use crate::forms::CsrfForm;
use crate::render::{render, see_other, with_done, PageResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Extension;
use megapolis_domain::{FieldErrors, Lang, Person};
use megapolis_events::held::{
    may_record, may_run, parse_capacity, parse_report, MaterialInput, Registration, TalkInput,
};
use megapolis_events::Refusal;
use megapolis_storage::events::Proposal;
use megapolis_storage::StorageError;
use minijinja::context;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// The held part of a published event's page.
pub(crate) async fn section(
    state: &AppState,
    visitor: &Visitor,
    event: &Proposal,
    cities: &HashMap<String, String>,
) -> Result<minijinja::Value, AppError> {
    let events = state.store.events();
    let registrations = events.registrations(event.id).await?;
    let me = visitor.person.as_ref();
    let runner = me.is_some_and(|p| may_run(p, event.proposer_id).is_ok());
    let mine = me
        .and_then(|p| registrations.iter().find(|r| r.person_id == p.id))
        .map(|r| r.state.as_str());
    let count = |state: Registration| registrations.iter().filter(|r| r.state == state).count();
    // The cities whose staff attended, with how many: public, as the cities' records are.
    let mut attended: BTreeMap<&str, usize> = BTreeMap::new();
    for r in registrations.iter().filter(|r| r.attended) {
        if let Some(city) = &r.city {
            *attended.entry(city.as_str()).or_default() += 1;
        }
    }
    let cities_attended: Vec<_> = attended
        .into_iter()
        .map(|(code, people)| {
            context! { code, people, name => cities.get(code).cloned().unwrap_or_else(|| code.to_string()) }
        })
        .collect();
    let talks: Vec<_> = events
        .talks(event.id)
        .await?
        .into_iter()
        .map(|t| {
            let solution = match (&t.solution_title_ru, &t.solution_title_en) {
                (Some(ru), Some(en)) => Some(visitor.lang.pick(ru, en).to_string()),
                _ => None,
            };
            context! { title => t.title, speaker => t.speaker, solution_id => t.solution_id, solution }
        })
        .collect();
    let solutions: Vec<_> = if runner {
        super::pages::solution_choices(state, visitor.lang).await?
    } else {
        Vec::new()
    };
    Ok(context! {
        capacity => event.capacity,
        registered => count(Registration::Registered),
        waiting => count(Registration::Waiting),
        mine, runner,
        registrations => if runner { registrations } else { Vec::new() },
        started => may_record(&event.event.period, crate::state::today()).is_ok(),
        talks, solutions,
        materials => events.materials(event.id).await?,
        report => event.report.clone(),
        cities_attended,
    })
}

/// A refusal in the reader's language.
fn refusal_text(state: &AppState, lang: Lang, refusal: &Refusal) -> String {
    state
        .i18n
        .get(lang, &format!("events-refusal-{}", refusal.code()), &[])
}

/// The answer to a form of the event's page: back to the page when done; its own 403 page for
/// who may not; the page with the problem otherwise.
async fn answer<T>(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    outcome: Result<Result<T, Refusal>, StorageError>,
) -> PageResult {
    match outcome? {
        Ok(_) => Ok(see_other(&with_done(
            &format!("/events/{id}#held"),
            "saved",
        ))),
        Err(refusal) if refusal.status() == 403 => Err(AppError::Forbidden),
        Err(refusal) => {
            let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::CONFLICT);
            let text = refusal_text(state, visitor.lang, &refusal);
            event_page(state, visitor, id, vec![text], status).await
        }
    }
}

/// The page with each refused field named.
async fn invalid(state: &AppState, visitor: &Visitor, id: i64, errors: &FieldErrors) -> PageResult {
    let problems = errors
        .0
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                state
                    .i18n
                    .get(visitor.lang, &format!("events-field-{}", e.field), &[]),
                state.i18n.get(visitor.lang, e.key, &[])
            )
        })
        .collect();
    event_page(
        state,
        visitor,
        id,
        problems,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

fn signed_in(visitor: &Visitor) -> Result<&Person, AppError> {
    visitor.person.as_ref().ok_or(AppError::Forbidden)
}

fn id_of(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse().map_err(|_| AppError::NotFound)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PersonInput {
    /// Whose registration; one's own when empty.
    person: String,
    /// `yes` or `no`, for attendance.
    attended: String,
}

/// `POST /events/{id}/register`: a place, or the waiting list.
pub async fn register(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<PersonInput>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let id = id_of(&id)?;
    let outcome = state.store.events().register(person, id).await;
    answer(&state, &visitor, id, outcome).await
}

/// `POST /events/{id}/unregister`: one's own registration, or anyone's by who runs the event.
pub async fn unregister(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<PersonInput>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let id = id_of(&id)?;
    let whose = match input.person.trim() {
        "" => person.id,
        raw => raw
            .parse()
            .map_err(|_| AppError::Unprocessable("person: not a person's id".into()))?,
    };
    let outcome = state.store.events().unregister(person, id, whose).await;
    answer(&state, &visitor, id, outcome).await
}

/// `POST /events/{id}/attendance`: whether a registered person attended (`attended=yes|no`).
pub async fn attendance(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<PersonInput>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let id = id_of(&id)?;
    let whose: i64 = input
        .person
        .trim()
        .parse()
        .map_err(|_| AppError::Unprocessable("person: not a person's id".into()))?;
    let attended = match input.attended.as_str() {
        "yes" => true,
        "no" => false,
        _ => return Err(AppError::Unprocessable("attended: yes or no".into())),
    };
    let outcome = state
        .store
        .events()
        .mark_attendance(person, id, whose, attended, crate::state::today())
        .await;
    answer(&state, &visitor, id, outcome).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CapacityInput {
    capacity: String,
}

/// `POST /events/{id}/capacity`: places (empty: no limit).
pub async fn capacity(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<CapacityInput>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let id = id_of(&id)?;
    match parse_capacity(&input.capacity) {
        Ok(capacity) => {
            let outcome = state
                .store
                .events()
                .set_capacity(person, id, capacity)
                .await;
            answer(&state, &visitor, id, outcome).await
        }
        Err(errors) => invalid(&state, &visitor, id, &errors).await,
    }
}

/// `POST /events/{id}/talks`: a talk of the programme, maybe presenting a solution.
pub async fn talk(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<TalkInput>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let id = id_of(&id)?;
    match input.parse() {
        Ok(talk) => {
            let outcome = state.store.events().add_talk(person, id, &talk).await;
            answer(&state, &visitor, id, outcome).await
        }
        Err(errors) => invalid(&state, &visitor, id, &errors).await,
    }
}

/// `POST /events/{id}/materials`: a titled link.
pub async fn material(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<MaterialInput>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let id = id_of(&id)?;
    match input.parse() {
        Ok(material) => {
            let outcome = state
                .store
                .events()
                .add_material(person, id, &material)
                .await;
            answer(&state, &visitor, id, outcome).await
        }
        Err(errors) => invalid(&state, &visitor, id, &errors).await,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReportInput {
    report: String,
}

/// `POST /events/{id}/report`: the short report, once the event has started.
pub async fn report(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<ReportInput>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let id = id_of(&id)?;
    match parse_report(&input.report) {
        Ok(report) => {
            let outcome = state
                .store
                .events()
                .set_report(person, id, &report, crate::state::today())
                .await;
            answer(&state, &visitor, id, outcome).await
        }
        Err(errors) => invalid(&state, &visitor, id, &errors).await,
    }
}

/// `GET /events/cities/{code}`: the events a city's staff attended, with how many of them.
pub async fn city(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(code): Path<String>,
) -> PageResult {
    let cities = city_names(&state, visitor.lang).await?;
    let name = cities.get(code.trim()).cloned().ok_or(AppError::NotFound)?;
    let events: Vec<_> = state
        .store
        .events()
        .attended_by_city(code.trim())
        .await?
        .iter()
        .map(|a| context! { event => view(&a.event, visitor.lang, &cities), people => a.people })
        .collect();
    Ok(render(
        &state,
        &visitor,
        "event-city.html",
        context! { city => name, code => code.trim(), events },
    )
    .await
    .into_response())
}

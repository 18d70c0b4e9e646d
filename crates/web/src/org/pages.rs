//! The portal's pages: each handler parses, calls the store, renders one template.
use crate::auth::Visitor;
use crate::error::AppError;
use crate::render::page;
use crate::render::PageResult;
use crate::state::AppState;
use axum::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Extension;
use megapolis_domain::Body;
use megapolis_domain::Lang;
use megapolis_storage::assignments::AssignmentFilter;
use minijinja::context;
use minijinja::value::Value;
use std::collections::BTreeMap;

pub(crate) async fn association(state: &AppState) -> Result<Value, AppError> {
    Ok(Value::from_serialize(
        state.store.org().association().await?,
    ))
}

pub async fn home(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let summary = state.store.org().summary().await?;
    // Public figures: published decisions and their assignments only, whoever visits.
    let decisions = state.store.org().published_decisions().await?;
    let today = crate::state::today();
    let assignments = state.store.assignments();
    let open = assignments
        .count(
            &AssignmentFilter {
                published_only: true,
                open: true,
                ..AssignmentFilter::default()
            },
            today,
        )
        .await?;
    let overdue = assignments
        .count(
            &AssignmentFilter {
                published_only: true,
                overdue: true,
                ..AssignmentFilter::default()
            },
            today,
        )
        .await?;
    // The other live sections' public figures.
    let editions = state.store.monitoring().list(true).await?.len();
    let solutions = state.store.catalogue().published_count().await?;
    let events = state.store.events().published_count().await?;
    let consultations = state.store.consultations().list().await?.len();
    let programmes = state.store.training().programmes().await?.len();
    page(
        &state,
        &visitor,
        "home.html",
        context! {
            edition_count => editions,
            solution_count => solutions,
            event_count => events,
            consultation_count => consultations,
            programme_count => programmes,
            association => association(&state).await?,
            city_count => summary.cities,
            member_count => summary.members,
            country_count => summary.countries,
            body_count => summary.bodies,
            decision_count => decisions,
            open_count => open,
            overdue_count => overdue,
        },
    )
    .await
}

pub async fn cities(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let mut cities = state.store.org().cities().await?;
    // The store orders by the Russian name; English readers get their own alphabet.
    if visitor.lang == Lang::En {
        cities.sort_by(|a, b| a.name_en.cmp(&b.name_en));
    }
    page(
        &state,
        &visitor,
        "cities.html",
        context! { cities => cities },
    )
    .await
}

pub async fn city(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(code): Path<String>,
) -> PageResult {
    let city = super::find_city(&state, &code).await?;
    page(&state, &visitor, "city.html", context! { city => city }).await
}

pub async fn bodies(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let bodies = state.store.org().bodies().await?;
    page(
        &state,
        &visitor,
        "bodies.html",
        context! { bodies => bodies },
    )
    .await
}

pub async fn body(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    let body = super::find_body(&state, &id).await?;
    let members = state.store.org().body_members(&body.id).await?;
    page(
        &state,
        &visitor,
        "body.html",
        context! { body => body, members => members },
    )
    .await
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({"status": "ok", "database": state.store.backend()})),
        )
            .into_response(),
        Err(e) => {
            tracing::warn!("health check: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"status": "unavailable"})),
            )
                .into_response()
        }
    }
}

/// Bodies by id, for names in the visitor's language.
pub(crate) async fn bodies_by_id(state: &AppState) -> Result<BTreeMap<String, Body>, AppError> {
    Ok(state
        .store
        .org()
        .bodies()
        .await?
        .into_iter()
        .map(|b| (b.id.as_str().to_string(), b))
        .collect())
}

/// The member cities by code, so a page names a person's city in the reader's language.
pub(crate) async fn cities_by_code(
    state: &AppState,
) -> Result<BTreeMap<String, megapolis_domain::City>, AppError> {
    Ok(state
        .store
        .org()
        .cities()
        .await?
        .into_iter()
        .map(|c| (c.code.as_str().to_string(), c))
        .collect())
}

/// A place as a decision wrote it («Минск»), named in `lang` when it is a city of the directory
/// (which keeps both names); otherwise as written.
pub(crate) fn place_in(place: &str, cities: &[megapolis_domain::City], lang: Lang) -> String {
    let written = place.trim().to_lowercase();
    cities
        .iter()
        .find(|c| c.name_ru.to_lowercase() == written || c.name_en.to_lowercase() == written)
        .map_or_else(
            || place.to_string(),
            |c| lang.pick(&c.name_ru, &c.name_en).to_string(),
        )
}

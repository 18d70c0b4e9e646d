//! The catalogue on the portal: search with facets (or, before a search, every published
//! solution), and a page per solution with the solutions most like it.
use super::api::{visible, SearchParams};
use crate::auth::Visitor;
use crate::error::AppError;
use crate::render::{render, PageResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Extension;
use megapolis_catalogue::adoption::used_by;
use megapolis_catalogue::{AdoptionStatus, SearchError};
use megapolis_domain::Role;
use minijinja::context;

pub async fn catalogue(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(params): Query<SearchParams>,
) -> PageResult {
    let lang = visitor.lang.code();
    let cities = crate::org::pages::cities_by_code(&state).await?;
    let searching = params.q.as_deref().is_some_and(|q| !q.trim().is_empty());
    let mut query = params.query();
    query.lang = lang.to_string();
    let (results, refusal) = if searching {
        let asked = query.clone();
        match state
            .catalogue_search
            .with_index(&state, move |index| index.search(&asked))
            .await?
        {
            Ok(results) => (Some(results), None),
            Err(SearchError::Index(e)) => return Err(AppError::Unexpected(e.into())),
            Err(refusal) => (None, Some(refusal.to_string())),
        }
    } else {
        (None, None)
    };
    let listed = if searching {
        Vec::new()
    } else {
        state.store.catalogue().list(true).await?
    };
    let html = render(
        &state,
        &visitor,
        "catalogue.html",
        context! {
            params => context! { q => params.q, nomination => query.nomination, city => query.city },
            results => results,
            refusal => refusal,
            listed => listed.iter().rev().map(|s| context! {
                id => s.id, title => s.title(lang), year => s.year, nomination => s.nomination, city => s.city,
            }).collect::<Vec<_>>(),
            cities => cities,
        },
    )
    .await;
    let status = if refusal.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, html).into_response())
}

/// How many similar solutions a solution's page shows.
const SIMILAR_SHOWN: usize = 5;

pub async fn solution(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
) -> PageResult {
    let solution = visible(&state, &visitor, id).await?;
    let lang = visitor.lang.code();
    let similar = state
        .catalogue_search
        .with_index(&state, move |index| index.similar(id, SIMILAR_SHOWN))
        .await?
        .map_err(|e| AppError::Unexpected(e.into()))?;
    let mut similar_views = Vec::with_capacity(similar.len());
    for (other, _) in similar {
        if let Some(s) = state.store.catalogue().get(other).await? {
            similar_views.push(context! { id => s.id, title => s.title(lang), year => s.year });
        }
    }
    let cities = crate::org::pages::cities_by_code(&state).await?;
    let adoptions = state.store.catalogue().adoptions(id).await?;
    // Who may record an adoption here: the Secretariat chooses the city, a representative
    // records their own.
    let person = visitor.person.as_ref();
    let own_city = person
        .filter(|p| p.role == Role::CityRep)
        .and_then(|p| p.city.as_ref())
        .map(|c| c.as_str().to_string());
    let mut city_choice: Vec<(String, String)> = if visitor.is_staff() {
        cities
            .values()
            .map(|c| {
                let name = match lang {
                    "en" => &c.name_en,
                    _ => &c.name_ru,
                };
                (c.code.as_str().to_string(), name.clone())
            })
            .collect()
    } else {
        Vec::new()
    };
    city_choice.sort_by(|a, b| a.1.cmp(&b.1));
    let html = render(
        &state,
        &visitor,
        "solution.html",
        context! {
            used_by => used_by(&adoptions),
            adoptions => adoptions,
            own_city => own_city,
            city_choice => city_choice,
            statuses => AdoptionStatus::ALL.map(AdoptionStatus::as_str),
            solution => solution,
            title => solution.title(lang),
            summary => solution.summary(lang),
            similar => similar_views,
            cities => cities,
        },
    )
    .await;
    Ok(html.into_response())
}

//! Monitoring on the portal: the editions (published ones for everybody; for staff every edition
//! with its state, the forms to compute and publish, and an upload form), and the ranking of an
//! edition with each unit's rank interval drawn as a bar.
use super::api::{edition_input, visible_edition};
use super::views::interval_bar;
use crate::auth::Visitor;
use crate::error::AppError;
use crate::forms::{CsrfForm, CsrfMultipart};
use crate::render::{page, render, see_other, PageResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Extension;
use megapolis_domain::Lang;
use megapolis_monitoring::InputError;
use megapolis_storage::monitoring::EditionSummary;
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Serialize)]
struct EditionView {
    id: i64,
    year: i32,
    title: String,
    state: &'static str,
    has_data: bool,
    computed: bool,
    published: bool,
    pin: Option<String>,
    computed_at: Option<String>,
}

fn edition_view(e: &EditionSummary, lang: Lang) -> EditionView {
    EditionView {
        id: e.id,
        year: e.year,
        title: match lang {
            Lang::Ru => e.title_ru.clone(),
            Lang::En => e.title_en.clone(),
        },
        state: e.state.as_str(),
        has_data: e.has_data,
        computed: e.pin.is_some(),
        published: e.state.is_public(),
        pin: e.pin.clone(),
        computed_at: e.computed_at.clone(),
    }
}

/// What went wrong with an upload, for the form.
#[derive(Serialize)]
struct UploadError {
    part: &'static str,
    row: Option<usize>,
    column: Option<String>,
    message: String,
}

async fn editions_page(
    state: &AppState,
    visitor: &Visitor,
    error: Option<&InputError>,
) -> Result<axum::response::Response, AppError> {
    let editions: Vec<EditionView> = state
        .store
        .monitoring()
        .list(!visitor.is_staff())
        .await?
        .iter()
        .map(|e| edition_view(e, visitor.lang))
        .collect();
    let error = error.map(|e| UploadError {
        part: e.part.as_str(),
        row: e.row,
        column: e.column.clone(),
        message: e.message.clone(),
    });
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let html = render(
        state,
        visitor,
        "monitoring.html",
        context! { editions => editions, upload_error => error },
    )
    .await;
    Ok((status, html).into_response())
}

pub async fn editions(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    editions_page(&state, &visitor, None).await
}

/// The upload form: the same fields as the API; a refused file comes back named, nothing saved.
pub async fn upload(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    form: CsrfMultipart,
) -> PageResult {
    let mut fields: Vec<(String, Vec<u8>)> = form
        .fields
        .iter()
        .map(|(name, value)| (name.clone(), value.clone().into_bytes()))
        .collect();
    fields.extend(
        form.files
            .iter()
            .map(|f| (f.field.clone(), f.bytes.clone())),
    );
    let input = match edition_input(&fields) {
        Ok(input) => input,
        Err(e) => return editions_page(&state, &visitor, Some(&e)).await,
    };
    let parsed = tokio::task::spawn_blocking(move || input.parse())
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("checking an edition stopped: {e}")))?;
    match parsed {
        Ok(edition) => {
            let id = state
                .store
                .monitoring()
                .create(&visitor.actor(), &edition)
                .await?;
            Ok(see_other(&format!("/monitoring/editions/{id}")))
        }
        Err(e) => editions_page(&state, &visitor, Some(&e)).await,
    }
}

#[derive(Serialize)]
struct RowView {
    rank: Option<u32>,
    code: String,
    name: String,
    /// The city's page, when the unit is a city of the directory.
    link: Option<String>,
    score: String,
    interval: String,
    bar: String,
}

pub async fn ranking(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    let edition = visible_edition(&state, &visitor, &id).await?;
    let stored = state.store.monitoring().result(edition.id).await?;
    // Units that are cities of the directory are shown by their name.
    let cities: HashMap<String, String> = state
        .store
        .org()
        .cities()
        .await?
        .into_iter()
        .map(|c| {
            let name = match visitor.lang {
                Lang::Ru => c.name_ru,
                Lang::En => c.name_en,
            };
            (c.code.as_str().to_string(), name)
        })
        .collect();
    let (rows, top, analysis) = match &stored {
        Some(result) => {
            let ranking = &result.ranking;
            let units = ranking.units.len();
            let rows: Vec<RowView> = ranking
                .units
                .iter()
                .map(|u| {
                    let city = cities.get(&u.code);
                    let link = city.map(|_| format!("/cities/{}", u.code));
                    let name = city
                        .cloned()
                        .or_else(|| Some(u.name.clone()).filter(|n| !n.is_empty()))
                        .unwrap_or_else(|| u.code.clone());
                    let interval = match (u.rank_low, u.rank_high) {
                        (Some(low), Some(high)) if low == high => low.to_string(),
                        (Some(low), Some(high)) => format!("{low}–{high}"),
                        _ => String::new(),
                    };
                    let bar = match (u.rank, u.rank_low, u.rank_high) {
                        (Some(rank), Some(low), Some(high)) => {
                            interval_bar(rank, low, high, units, &format!("{rank}: {interval}"))
                        }
                        _ => String::new(),
                    };
                    RowView {
                        rank: u.rank,
                        code: u.code.clone(),
                        name,
                        link,
                        score: u
                            .scores
                            .first()
                            .copied()
                            .flatten()
                            .map(|s| format!("{s:.1}"))
                            .unwrap_or_default(),
                        interval,
                        bar,
                    }
                })
                .collect();
            (
                rows,
                ranking.codes.first().cloned(),
                Some(ranking.analysis.clone()),
            )
        }
        None => (Vec::new(), None, None),
    };
    page(
        &state,
        &visitor,
        "monitoring_edition.html",
        context! {
            edition => edition_view(&edition, visitor.lang),
            rows => rows,
            top => top,
            analysis => analysis,
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct NoFields {}

pub async fn compute(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> PageResult {
    let edition = visible_edition(&state, &visitor, &id).await?;
    edition
        .state
        .compute(edition.has_data)
        .map_err(|e| AppError::Storage(megapolis_storage::StorageError::Conflict(e.to_string())))?;
    super::job::enqueue(&state.store, edition.id, &visitor.actor())
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!(e)))?;
    Ok(see_other(&format!("/monitoring/editions/{}", edition.id)))
}

pub async fn publish(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> PageResult {
    let edition = visible_edition(&state, &visitor, &id).await?;
    state
        .store
        .monitoring()
        .publish(&visitor.actor(), edition.id)
        .await?;
    Ok(see_other(&format!("/monitoring/editions/{}", edition.id)))
}

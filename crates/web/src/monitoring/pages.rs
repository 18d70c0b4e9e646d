//! Monitoring on the portal: the editions (published ones for everybody; for staff every edition
//! with its state, the forms to compute and publish, and an upload form), and the ranking of an
//! edition with each unit's rank interval drawn as a bar.
use super::api::{checked, edition_input, visible_edition};
use super::public;
use super::views::interval_bar;
use crate::auth::Visitor;
use crate::error::AppError;
use crate::forms::{CsrfForm, CsrfMultipart};
use crate::render::{page, render, see_other, PageResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Extension;
use megapolis_domain::Lang;
use megapolis_monitoring::profile;
use megapolis_monitoring::InputError;
use megapolis_storage::monitoring::EditionSummary;
use minijinja::context;
use serde::{Deserialize, Serialize};

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
    match checked(input).await.map_err(AppError::Unexpected)? {
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
    /// The unit's profile in this edition.
    link: String,
    country: String,
    score: String,
    /// The scores of the criteria (the aggregates under the index), in the order of the header.
    criteria: Vec<String>,
    interval: String,
    bar: String,
}

/// The ranking's filters and sort, from the query string of its GET form.
#[derive(Deserialize, Default)]
pub struct RankingQuery {
    /// ISO code of a country of the directory.
    #[serde(default)]
    country: String,
    /// A peer group's key (`pop-…`, `group-…`).
    #[serde(default)]
    group: String,
    /// An aggregate code to sort by (descending); the index when empty.
    #[serde(default)]
    sort: String,
    /// The page of the ranking, from 1.
    page: Option<usize>,
}

/// Rows of the ranking a page shows: a ranking of 2,000 cities comes in pages.
const RANKING_PAGE_ROWS: usize = 100;

pub async fn ranking(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Query(query): Query<RankingQuery>,
) -> PageResult {
    let lang = visitor.lang;
    let edition = visible_edition(&state, &visitor, &id).await?;
    if edition.pin.is_none() {
        return page(
            &state,
            &visitor,
            "monitoring_edition.html",
            context! { edition => edition_view(&edition, lang), rows => Vec::<RowView>::new() },
        )
        .await;
    }
    let loaded = public::load(&state, &visitor, &id).await?;
    let directory = public::Directory::read(&state, lang).await?;
    let groups = profile::peer_groups(&loaded.tables, &directory.populations());
    let ranking = loaded.ranking();
    let units = ranking.units.len();
    let top = ranking.codes.first().cloned().unwrap_or_default();
    // The criteria: the aggregates right under the index.
    let fw = &loaded.tables.framework;
    let criteria: Vec<(usize, String)> = ranking
        .codes
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            fw.find(c)
                .and_then(|i| fw.nodes[i].parent)
                .is_some_and(|p| fw.nodes[p].code == top)
        })
        .map(|(k, c)| (k, c.clone()))
        .collect();
    let sort = ranking
        .codes
        .iter()
        .position(|c| *c == query.sort)
        .unwrap_or(0);
    let mut chosen: Vec<&megapolis_monitoring::RankedUnit> = ranking
        .units
        .iter()
        .filter(|u| {
            query.country.is_empty()
                || directory
                    .country(&u.code)
                    .is_some_and(|(code, _)| *code == query.country)
        })
        .filter(|u| {
            query.group.is_empty() || groups.get(&u.code).is_some_and(|g| g.key() == query.group)
        })
        .collect();
    if sort > 0 {
        // Best first; a missing score last; the overall rank breaks ties.
        chosen.sort_by(|a, b| {
            let (x, y) = (a.scores[sort], b.scores[sort]);
            match (x, y) {
                (Some(x), Some(y)) => y.total_cmp(&x),
                (x, y) => y.is_some().cmp(&x.is_some()),
            }
            .then(a.rank.cmp(&b.rank))
        });
    }
    let pages = chosen.len().div_ceil(RANKING_PAGE_ROWS).max(1);
    let current_page = query.page.unwrap_or(1).clamp(1, pages);
    let rows: Vec<RowView> = chosen
        .iter()
        .skip((current_page - 1) * RANKING_PAGE_ROWS)
        .take(RANKING_PAGE_ROWS)
        .map(|u| {
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
                name: directory.name(u),
                link: format!("/monitoring/editions/{}/cities/{}", edition.id, u.code),
                country: directory
                    .country(&u.code)
                    .map(|(_, name)| name.clone())
                    .unwrap_or_default(),
                score: public::score_text(u.scores.first().copied().flatten(), lang),
                criteria: criteria
                    .iter()
                    .map(|(k, _)| public::score_text(u.scores[*k], lang))
                    .collect(),
                interval,
                bar,
            }
        })
        .collect();
    // The filters' choices: the countries and groups of the ranked units.
    let mut countries: Vec<(String, String)> = ranking
        .units
        .iter()
        .filter_map(|u| directory.country(&u.code).cloned())
        .collect();
    countries.sort_by(|a, b| a.1.cmp(&b.1));
    countries.dedup();
    let mut group_choices: Vec<(String, String)> = groups
        .values()
        .map(|g| (g.key(), public::group_label(&state, lang, g)))
        .collect();
    group_choices.sort();
    group_choices.dedup();
    let sorts: Vec<(String, String)> = ranking
        .codes
        .iter()
        .map(|c| (c.clone(), public::node_name(&loaded.tables, c, lang)))
        .collect();
    let filtered = !query.country.is_empty() || !query.group.is_empty() || sort > 0;
    page(
        &state,
        &visitor,
        "monitoring_edition.html",
        context! {
            edition => edition_view(&edition, lang),
            rows => rows,
            units => units,
            top => public::node_name(&loaded.tables, &top, lang),
            criteria => criteria.iter().map(|(_, c)| context! { code => c, name => public::node_name(&loaded.tables, c, lang) }).collect::<Vec<_>>(),
            analysis => Some(ranking.analysis.clone()),
            countries => countries,
            groups => group_choices,
            sorts => sorts,
            query => context! { country => query.country, group => query.group, sort => ranking.codes.get(sort) },
            pager => context! { page => current_page, pages => pages, shown => chosen.len() },
            filtered => filtered,
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

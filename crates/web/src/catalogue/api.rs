//! The catalogue in the JSON API: add a solution (Secretariat), search the published ones with
//! facets, read one, and the whole catalogue as CSV, XLSX, JSON and ADMS-AP Turtle, a solution as
//! `publiccode.yml`.
use super::adoption::ApiAdoption;
use crate::api::{fail, ApiError, ApiFieldError, ApiResult};
use crate::auth::Visitor;
use crate::error::{json_error, AppError};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use megapolis_catalogue::adoption::used_by;
use megapolis_catalogue::{
    open_data, AdoptionRecord, SearchError, SearchQuery, Solution, SolutionInput,
};
use megapolis_storage::StorageError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// A solution as a client sends it. Either title may be empty, not both; `nomination` is the
/// nomination's name (a new name adds it to the catalogue's list); `city` a city code of the
/// directory.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiSolutionInput {
    title_ru: String,
    title_en: String,
    summary_ru: String,
    summary_en: String,
    city: Option<String>,
    nomination: String,
    year: i32,
    technologies: Vec<String>,
    hardware: Vec<String>,
    licence: String,
    url: String,
    published: bool,
}

/// A solution of the catalogue.
#[derive(Serialize, ToSchema)]
pub struct ApiSolution {
    pub id: i64,
    pub title_ru: String,
    pub title_en: String,
    pub summary_ru: String,
    pub summary_en: String,
    pub city: Option<String>,
    pub nomination: String,
    pub year: i32,
    pub technologies: Vec<String>,
    pub hardware: Vec<String>,
    pub licence: String,
    pub url: String,
    pub published: bool,
    /// Its page on the portal.
    pub page: String,
    /// How many cities use it (every status but dropped).
    pub used_by: usize,
    /// The cities that adopted it, by city code.
    pub adoptions: Vec<ApiAdoption>,
}

impl ApiSolution {
    fn of(s: Solution, adoptions: &[AdoptionRecord], state: &AppState) -> ApiSolution {
        ApiSolution {
            page: state.absolute_url(&format!("/catalogue/{}", s.id)),
            id: s.id,
            title_ru: s.title_ru,
            title_en: s.title_en,
            summary_ru: s.summary_ru,
            summary_en: s.summary_en,
            city: s.city,
            nomination: s.nomination,
            year: s.year,
            technologies: s.technologies,
            hardware: s.hardware,
            licence: s.licence,
            url: s.url,
            published: s.published,
            used_by: used_by(adoptions),
            adoptions: adoptions.iter().map(ApiAdoption::from).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiSolutionCreated {
    pub id: i64,
}

/// The search of the published catalogue.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchParams {
    /// The words to find (2 to 500 characters), in Russian or English, any word form.
    pub q: Option<String>,
    /// ru (default) or en: the language of the titles and snippets.
    pub lang: Option<String>,
    /// Only this nomination (its name).
    pub nomination: Option<String>,
    /// Only this city (its code).
    pub city: Option<String>,
    /// At most this many hits, 1 to 100 (default 20).
    pub limit: Option<usize>,
}

impl SearchParams {
    pub(crate) fn query(&self) -> SearchQuery {
        SearchQuery {
            text: self.q.clone().unwrap_or_default(),
            lang: self.lang.clone().unwrap_or_else(|| "ru".into()),
            nomination: self.nomination.clone().filter(|n| !n.is_empty()),
            city: self.city.clone().filter(|c| !c.is_empty()),
            limit: self.limit.unwrap_or(20),
        }
    }
}

/// One hit, most relevant first.
#[derive(Serialize, ToSchema)]
pub struct ApiHit {
    pub id: i64,
    pub title: String,
    /// HTML: the matched words in `<b>`, everything else escaped.
    pub snippet: String,
    pub score: f32,
    /// How many cities use the solution (every status but dropped).
    pub used_by: usize,
}

/// The hits and the facets (nomination, city, country, year, technology, licence, `used_by`:
/// the number of cities using a solution as 0, 1, 2–4 or 5+) with the
/// number of matching solutions for each value.
#[derive(Serialize, ToSchema)]
pub struct ApiSearchResults {
    pub hits: Vec<ApiHit>,
    /// How many solutions match (the hits are the first `limit`).
    pub total: usize,
    /// Whether the hits have every word of the query; when no solution has them all, the hits
    /// are the solutions with any of them.
    pub all_words: bool,
    pub facets: BTreeMap<String, BTreeMap<String, usize>>,
}

/// A refused search, in the API's error object.
pub(crate) fn search_refusal(e: SearchError) -> Response {
    match e {
        SearchError::Index(e) => fail(AppError::Unexpected(e.into())),
        refusal => json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_query",
            &refusal.to_string(),
        ),
    }
}

#[utoipa::path(post, path = "/api/v1/solutions", tag = "catalogue",
    request_body = ApiSolutionInput,
    responses((status = 201, body = ApiSolutionCreated), (status = 422, body = ApiError)),
    security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Json(input): Json<SolutionInput>,
) -> ApiResult {
    let refused = |field: &str, message: String| {
        let body = ApiError {
            error: message.clone(),
            status: 422,
            code: "invalid_fields".into(),
            fields: Some(vec![ApiFieldError {
                field: field.into(),
                error: message,
            }]),
        };
        (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
    };
    let solution = input
        .check()
        .map_err(|e| refused(e.field(), e.to_string()))?;
    match state
        .store
        .catalogue()
        .create(&visitor.actor(), &solution)
        .await
    {
        Ok(id) => Ok((StatusCode::CREATED, Json(ApiSolutionCreated { id })).into_response()),
        Err(StorageError::NotFound(what)) if what.starts_with("city") => Err(refused(
            "city",
            format!("{what} is not in the directory of cities"),
        )),
        Err(e) => Err(fail(e)),
    }
}

#[utoipa::path(get, path = "/api/v1/solutions/search", tag = "catalogue", params(SearchParams),
    responses((status = 200, body = ApiSearchResults), (status = 422, body = ApiError)))]
pub async fn search(
    State(state): State<AppState>,
    Query(params): Query<SearchParams>,
) -> ApiResult {
    let query = params.query();
    let results = state
        .catalogue_search
        .with_index(&state, move |index| index.search(&query))
        .await
        .map_err(fail)?
        .map_err(search_refusal)?;
    Ok(Json(ApiSearchResults {
        hits: results
            .hits
            .into_iter()
            .map(|h| ApiHit {
                id: h.id,
                title: h.title,
                snippet: h.snippet,
                score: h.score,
                used_by: h.used_by,
            })
            .collect(),
        total: results.total,
        all_words: results.all_words,
        facets: results
            .facets
            .into_iter()
            .map(|(facet, counts)| (facet.to_string(), counts))
            .collect(),
    })
    .into_response())
}

/// Solution `id` if `visitor` may see it: an unpublished one only staff.
pub(crate) async fn visible(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
) -> Result<Solution, AppError> {
    state
        .store
        .catalogue()
        .get(id)
        .await?
        .filter(|s| s.published || visitor.is_staff())
        .ok_or(AppError::NotFound)
}

#[utoipa::path(get, path = "/api/v1/solutions/{id}", tag = "catalogue",
    params(("id" = i64, Path)),
    responses((status = 200, body = ApiSolution), (status = 404, body = ApiError)))]
pub async fn solution(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
) -> ApiResult {
    let solution = visible(&state, &visitor, id).await.map_err(fail)?;
    let adoptions = state.store.catalogue().adoptions(id).await.map_err(fail)?;
    Ok(Json(ApiSolution::of(solution, &adoptions, &state)).into_response())
}

fn text(content_type: &'static str, body: String) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

#[utoipa::path(get, path = "/api/v1/solutions/{id}/publiccode.yml", tag = "catalogue",
    params(("id" = i64, Path)),
    responses((status = 200, description = "publiccode.yml 0.4", content_type = "text/yaml"), (status = 404, body = ApiError)))]
pub async fn publiccode(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
) -> ApiResult {
    let solution = visible(&state, &visitor, id).await.map_err(fail)?;
    let page = state.absolute_url(&format!("/catalogue/{id}"));
    Ok(text(
        "text/yaml; charset=utf-8",
        open_data::publiccode_yml(&solution, &page),
    ))
}

#[utoipa::path(get, path = "/api/v1/catalogue.ttl", tag = "catalogue",
    responses((status = 200, description = "The published catalogue as ADMS-AP (RDF Turtle)", content_type = "text/turtle")))]
pub async fn turtle(State(state): State<AppState>) -> ApiResult {
    let solutions = state.store.catalogue().list(true).await.map_err(fail)?;
    Ok(text(
        "text/turtle; charset=utf-8",
        open_data::catalogue_turtle(&solutions, &state.absolute_url("")),
    ))
}

#[utoipa::path(get, path = "/api/v1/catalogue.csv", tag = "catalogue",
    responses((status = 200, description = "The published catalogue as CSV", content_type = "text/csv")))]
pub async fn csv(State(state): State<AppState>) -> ApiResult {
    let solutions = state.store.catalogue().list(true).await.map_err(fail)?;
    let used_by = state.store.catalogue().used_by().await.map_err(fail)?;
    let body = open_data::catalogue_csv(&solutions, &used_by)
        .map_err(|e| fail(anyhow::anyhow!("writing the catalogue as CSV: {e}")))?;
    Ok(text("text/csv; charset=utf-8", body))
}

#[utoipa::path(get, path = "/api/v1/catalogue.xlsx", tag = "catalogue",
    responses((status = 200, description = "The published catalogue as a workbook, the columns of the CSV", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
pub async fn xlsx(State(state): State<AppState>) -> ApiResult {
    let solutions = state.store.catalogue().list(true).await.map_err(fail)?;
    let used_by = state.store.catalogue().used_by().await.map_err(fail)?;
    let bytes = tokio::task::spawn_blocking(move || {
        megapolis_documents::render_xlsx(&[open_data::catalogue_sheet(&solutions, &used_by)])
    })
    .await
    .map_err(|e| fail(anyhow::anyhow!("the workbook writer stopped: {e}")))?
    .map_err(|e| fail(anyhow::anyhow!(e)))?;
    Ok(crate::downloads::download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "catalogue.xlsx",
    ))
}

/// The published catalogue: every solution with the cities that adopted it.
#[derive(Serialize, ToSchema)]
pub struct ApiCatalogue {
    pub solutions: Vec<ApiSolution>,
}

#[utoipa::path(get, path = "/api/v1/catalogue.json", tag = "catalogue",
    responses((status = 200, description = "The published catalogue as JSON", body = ApiCatalogue)))]
pub async fn json(State(state): State<AppState>) -> ApiResult {
    let catalogue = state.store.catalogue();
    let solutions = catalogue.list(true).await.map_err(fail)?;
    let mut adoptions = catalogue.all_adoptions().await.map_err(fail)?;
    Ok(Json(ApiCatalogue {
        solutions: solutions
            .into_iter()
            .map(|s| {
                let adopted = adoptions.remove(&s.id).unwrap_or_default();
                ApiSolution::of(s, &adopted, &state)
            })
            .collect(),
    })
    .into_response())
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        create,
        search,
        solution,
        publiccode,
        turtle,
        csv,
        xlsx,
        json,
        super::adoption::api_record
    ),
    components(schemas(
        super::adoption::ApiAdoptionInput,
        ApiAdoption,
        super::adoption::ApiAdoptionChange,
        ApiSolutionInput,
        ApiSolution,
        ApiCatalogue,
        ApiSolutionCreated,
        ApiHit,
        ApiSearchResults
    ))
)]
pub(crate) struct Api;

pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut document = <Api as utoipa::OpenApi>::openapi();
    document.merge(<super::competitions::Api as utoipa::OpenApi>::openapi());
    document.merge(<super::promotion::Api as utoipa::OpenApi>::openapi());
    document.merge(<super::collection::Api as utoipa::OpenApi>::openapi());
    document
}

//! The collection («сборник») of a competition's published results, as a PDF in Russian or
//! English: made by the `catalogue-collection` job (`POST /api/v1/competitions/{id}/collection`,
//! or the competition page's form, the Secretariat) and stored, so the public download
//! (`GET /api/v1/competitions/{id}/collection.pdf?lang=`) never typesets. The book's markup is
//! `megapolis_catalogue::book`; here its texts are gathered in the book's language and its QR
//! codes hold the absolute addresses of the solutions' public pages.
use super::competitions::competition;
use crate::api::{fail, ApiError, ApiResult};
use crate::auth::Visitor;
use crate::error::{json_error, AppError};
use crate::jobs::{JobContext, JobKind};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use megapolis_catalogue::book::{Book, BookLabels, BookSolution, Chapter};
use megapolis_catalogue::competition::Stage;
use megapolis_catalogue::evaluation::Award;
use megapolis_domain::Lang;
use megapolis_storage::catalogue::collection::CollectionInfo;
use megapolis_storage::catalogue::competition::{Competition, CompetitionRefusal};
use megapolis_storage::StorageError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

pub const KIND: &str = "catalogue-collection";

#[derive(Serialize, Deserialize)]
pub struct Request {
    pub competition: i64,
    /// `ru` or `en`.
    pub lang: String,
    /// Who asked: the stored collection's audit record names them.
    pub actor: String,
}

pub fn job() -> JobKind {
    JobKind::new(KIND, run)
}

/// `ru` or `en`, else a 422 naming the field.
fn lang_of(raw: &str) -> Result<Lang, AppError> {
    match raw.trim() {
        "ru" => Ok(Lang::Ru),
        "en" => Ok(Lang::En),
        other => Err(AppError::Unprocessable(format!(
            "lang: {other:?} is not a language of the collection; use ru or en"
        ))),
    }
}

/// Queues the making of a published competition's collection in `lang` (the Secretariat's);
/// returns the job's id. A competition not published yet is refused (409): its results are not
/// final.
pub(crate) async fn queue(
    state: &AppState,
    visitor: &Visitor,
    call: &Competition,
    lang: &str,
) -> Result<i64, AppError> {
    let lang = lang_of(lang)?;
    if call.stage != Stage::Published {
        return Err(StorageError::from(CompetitionRefusal::Stage {
            stage: call.stage.as_str(),
        })
        .into());
    }
    let request = Request {
        competition: call.id,
        lang: lang.code().into(),
        actor: visitor.actor(),
    };
    crate::jobs::enqueue(&state.store, KIND, &request, &visitor.actor())
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!(e)))
}

/// At the demo's first start, before it serves: the published demo competitions' collections
/// in both languages, made as their job makes them, so they can be downloaded at once.
pub(crate) async fn make_demo(state: &AppState) -> Result<(), String> {
    if !cfg!(feature = "pdf") {
        return Ok(());
    }
    let calls = state
        .store
        .competitions()
        .list()
        .await
        .map_err(|e| e.to_string())?;
    for call in calls.iter().filter(|c| c.stage == Stage::Published) {
        for lang in [Lang::Ru, Lang::En] {
            make(
                state,
                call,
                lang,
                megapolis_domain::audit::actors::DEMO,
                None,
            )
            .await?;
        }
    }
    Ok(())
}

fn labels(state: &AppState, lang: Lang) -> BookLabels {
    let t = |key: &str| state.i18n.get(lang, key, &[]);
    BookLabels {
        collection: t("collection-book-subtitle"),
        contents: t("collection-book-contents"),
        index: t("collection-book-index"),
        problem: t("entry-field-problem"),
        results: t("entry-field-results"),
        technologies: t("entry-field-technologies"),
        hardware: t("entry-field-hardware"),
        licence: t("entry-field-licence"),
        owner: t("collection-book-owner"),
        used_by: t("collection-book-used-by"),
        url: t("entry-field-url"),
        uses: t("collection-book-uses"),
        none: "—".into(),
    }
}

/// The book of a published competition in `lang`: its nominations in the call's order, each
/// with its winners, then its laureates; the cities using a solution are those its entry named
/// and those that recorded an adoption (not dropped).
pub(crate) async fn book_of(
    state: &AppState,
    call: &Competition,
    lang: Lang,
) -> Result<Book, AppError> {
    let association = match state.store.org().association().await? {
        Some(a) => lang.pick(&a.name_ru, &a.name_en).to_string(),
        None => "Megapolis".to_string(),
    };
    let cities = crate::org::pages::cities_by_code(state).await?;
    let city_name = |code: &str| {
        cities
            .get(code)
            .map_or(code, |c| lang.pick(&c.name_ru, &c.name_en))
            .to_string()
    };
    let adoptions = state.store.catalogue().all_adoptions().await?;
    let mut entries = state.store.competitions().entries(call.id).await?;
    entries.retain(|e| e.award.is_some() && e.solution_id.is_some());
    entries.sort_by_key(|e| (e.award != Some(Award::Winner), e.id));
    let t = |key: &str| state.i18n.get(lang, key, &[]);
    let chapters = call
        .nominations
        .iter()
        .map(|n| Chapter {
            nomination: n.name.clone(),
            solutions: entries
                .iter()
                .filter(|e| e.nomination_id == n.id)
                .map(|e| {
                    let solution = e.solution_id.unwrap_or_default();
                    let mut users: Vec<String> =
                        e.used_by.iter().map(|c| c.as_str().to_string()).collect();
                    for record in adoptions.get(&solution).into_iter().flatten() {
                        if record.current.status.in_use() {
                            users.push(record.current.city.clone());
                        }
                    }
                    users.retain(|c| c != e.city.as_str());
                    users.sort();
                    users.dedup();
                    BookSolution {
                        title: lang.pick(&e.title_ru, &e.title_en).to_string(),
                        award: t(&format!(
                            "collection-book-{}",
                            e.award.map_or("laureate", |a| a.as_str())
                        )),
                        summary: lang.pick(&e.summary_ru, &e.summary_en).to_string(),
                        problem: e.problem.clone(),
                        results: e.results.clone(),
                        technologies: e.technologies.clone(),
                        hardware: e.hardware.clone(),
                        licence: e.licence.clone(),
                        owner: city_name(e.city.as_str()),
                        used_by: users.iter().map(|c| city_name(c)).collect(),
                        url: e.url.clone(),
                        page_url: state.absolute_url(&format!("/catalogue/{solution}")),
                    }
                })
                .collect(),
        })
        .filter(|c: &Chapter| !c.solutions.is_empty())
        .collect();
    Ok(Book {
        lang: lang.code().into(),
        labels: labels(state, lang),
        association,
        title: lang.pick(&call.title_ru, &call.title_en).to_string(),
        year: call.year,
        chapters,
    })
}

/// Gathers, typesets and stores a competition's collection in `lang`, telling the job (when
/// one runs it) how far it is: how many solutions it holds, and the stored PDF's size and
/// digest.
async fn make(
    state: &AppState,
    call: &Competition,
    lang: Lang,
    actor: &str,
    job: Option<&JobContext>,
) -> Result<(usize, CollectionInfo), String> {
    let book = book_of(state, call, lang)
        .await
        .map_err(|e| e.to_string())?;
    let solutions = book.chapters.iter().map(|c| c.solutions.len()).sum();
    if let Some(job) = job {
        job.progress(10).await?;
    }
    let pdf = typeset(book).await?;
    if let Some(job) = job {
        job.progress(90).await?;
    }
    let made = state
        .store
        .competitions()
        .save_collection(actor, call.id, lang, &pdf)
        .await
        .map_err(|e| e.to_string())?;
    Ok((solutions, made))
}

/// Typesets a book (the QR codes, the markup, the PDF) off the async workers.
#[cfg(feature = "pdf")]
async fn typeset(book: Book) -> Result<Vec<u8>, String> {
    tokio::task::spawn_blocking(move || {
        let document =
            megapolis_catalogue::book::book_document(&book).map_err(|e| e.to_string())?;
        megapolis_documents::render_pdf(&document).map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| format!("the PDF typesetter stopped: {e}"))?
}

#[cfg(not(feature = "pdf"))]
async fn typeset(_book: Book) -> Result<Vec<u8>, String> {
    Err("this build has no PDF typesetter (cargo feature `pdf`)".into())
}

async fn run(context: JobContext, payload: Value) -> Result<Value, String> {
    let request: Request = serde_json::from_value(payload)
        .map_err(|e| format!("not a request for a collection: {e}"))?;
    let state = context
        .app()
        .ok_or("collections are made by the server's workers only")?
        .clone();
    let lang = lang_of(&request.lang).map_err(|e| e.to_string())?;
    let call = state
        .store
        .competitions()
        .get(request.competition)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("competition {} does not exist", request.competition))?;
    let (solutions, made) = make(&state, &call, lang, &request.actor, Some(&context)).await?;
    Ok(serde_json::json!({
        "competition": call.id,
        "lang": made.lang,
        "solutions": solutions,
        "size": made.size,
        "sha256": made.sha256,
        "url": format!("/api/v1/competitions/{}/collection.pdf?lang={}", call.id, made.lang),
    }))
}

/// Which collection to make.
#[derive(Deserialize, ToSchema)]
pub struct ApiCollectionRequest {
    /// `ru` or `en`.
    #[serde(default)]
    pub lang: String,
}

#[derive(Serialize, ToSchema)]
pub struct ApiCollectionQueued {
    /// The job that makes it.
    pub job: i64,
    /// Where to follow the job.
    pub url: String,
}

#[utoipa::path(post, path = "/api/v1/competitions/{id}/collection", tag = "competitions",
    params(("id" = i64, Path)), request_body = ApiCollectionRequest, security(("bearer" = [])),
    responses((status = 202, description = "A `catalogue-collection` job typesets the collection and stores it, replacing the one made before; follow it at /api/v1/jobs/{job} (its result: `size`, `sha256`, `url`)", body = ApiCollectionQueued),
        (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, description = "The competition's results are not published", body = ApiError),
        (status = 422, description = "lang is not ru or en", body = ApiError)))]
pub async fn request(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Json(input): Json<ApiCollectionRequest>,
) -> ApiResult {
    let call = competition(&state, &id).await.map_err(fail)?;
    let job = queue(&state, &visitor, &call, &input.lang)
        .await
        .map_err(fail)?;
    Ok((
        StatusCode::ACCEPTED,
        Json(ApiCollectionQueued {
            job,
            url: format!("/api/v1/jobs/{job}"),
        }),
    )
        .into_response())
}

/// `?lang=ru|en`.
#[derive(Deserialize, IntoParams)]
pub struct CollectionQuery {
    /// `ru` or `en`.
    pub lang: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/competitions/{id}/collection.pdf", tag = "competitions",
    params(("id" = i64, Path), CollectionQuery),
    responses((status = 200, description = "The stored PDF", content_type = "application/pdf"),
        (status = 404, description = "No such published competition, or its collection in this language is not made yet", body = ApiError),
        (status = 422, description = "lang is not ru or en", body = ApiError)))]
pub async fn download(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Query(query): Query<CollectionQuery>,
) -> ApiResult {
    let call = competition(&state, &id).await.map_err(fail)?;
    let lang = match &query.lang {
        Some(raw) => lang_of(raw).map_err(fail)?,
        None => visitor.lang,
    };
    if call.stage != Stage::Published {
        return Err(fail(AppError::NotFound));
    }
    let Some(pdf) = state
        .store
        .competitions()
        .collection_pdf(call.id, lang)
        .await
        .map_err(fail)?
    else {
        return Err(json_error(
            StatusCode::NOT_FOUND,
            "not_made",
            &format!(
                "the collection of competition {} in {} has not been made yet",
                call.id,
                if lang == Lang::Ru {
                    "Russian"
                } else {
                    "English"
                }
            ),
        ));
    };
    Ok(crate::downloads::download(
        pdf,
        "application/pdf",
        &format!("collection-{}-{}.pdf", call.id, lang.code()),
    ))
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(request, download),
    components(schemas(ApiCollectionRequest, ApiCollectionQueued))
)]
pub(crate) struct Api;

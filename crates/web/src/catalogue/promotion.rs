//! The promotion concept for the Secretariat: the matrix of published solutions × member cities
//! with the reasons of each pairing (`megapolis_catalogue::promotion`), the concepts drafted
//! from it, their PDF, and their presentations turned into event proposals. The matrix is read
//! from what exists now: the latest published monitoring edition (the profile's weaknesses and
//! peer groups), the catalogue's own search index and the adoptions; page and API share
//! [`matrix_of`].
use crate::api::{fail, invalid, ApiError, ApiResult};
use crate::auth::Visitor;
use crate::error::AppError;
use crate::forms::{urlencode, CsrfForm};
use crate::monitoring::pages::NoFields;
use crate::monitoring::public::{load, Directory};
use crate::render::{errors_map, render, see_other, signed_in, with_done, PageResult};
use crate::state::AppState;
use crate::training::document::{pdf_response, LangQuery};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use megapolis_catalogue::promotion::{
    self, Candidate, ConceptInput, Pairing, PresentationInput, Reason, Target, Weakness, When,
    ADDRESSING_HITS, MAX_LIMIT,
};
use megapolis_catalogue::{SearchError, SearchQuery, Solution};
use megapolis_documents::{typst_str, Document};
use megapolis_domain::{City, FieldErrors, Lang, MembershipStatus};
use megapolis_monitoring::profile::{self, PopulationBand};
use megapolis_storage::catalogue::promotion::{Concept, Presentation};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use utoipa::{IntoParams, ToSchema};

/// How many pairings the page and the API show unless asked.
const DEFAULT_LIMIT: usize = 100;

/// The edition the weaknesses come from.
struct EditionRef {
    id: i64,
    year: i32,
    title: String,
}

/// The whole matrix and what it names.
struct Matrix {
    edition: Option<EditionRef>,
    pairings: Vec<Pairing>,
    solutions: BTreeMap<i64, Solution>,
    cities: BTreeMap<String, City>,
}

/// Builds the matrix (see the module's documentation).
async fn matrix_of(state: &AppState, visitor: &Visitor) -> Result<Matrix, AppError> {
    let lang = visitor.lang;
    let cities: BTreeMap<String, City> = state
        .store
        .org()
        .cities()
        .await?
        .into_iter()
        .map(|c| (c.code.as_str().to_string(), c))
        .collect();
    let newest = state
        .store
        .monitoring()
        .list(true)
        .await?
        .into_iter()
        .find(|e| e.pin.is_some());
    let loaded = match newest {
        Some(summary) => Some(load(state, visitor, &summary.id.to_string()).await?),
        None => None,
    };
    let directory = Directory::read(state, lang).await?;
    let populations = directory.populations();
    // A city's peer group: the edition's; without an edition, or for a city not in it, the
    // population band (the profile's own rule when the data has no groups).
    let mut groups: HashMap<String, String> = populations
        .iter()
        .map(|(code, p)| (code.clone(), PopulationBand::of(*p).key().to_string()))
        .collect();
    let mut weaknesses: HashMap<String, Vec<Weakness>> = HashMap::new();
    if let Some(loaded) = &loaded {
        let edition_groups = profile::peer_groups(&loaded.tables, &populations);
        for (code, group) in &edition_groups {
            groups.insert(code.clone(), group.key());
        }
        for code in cities.keys() {
            let Some(p) = profile::profile(&loaded.tables, loaded.ranking(), &edition_groups, code)
            else {
                continue;
            };
            let names = &loaded.tables.names;
            let weak = p
                .weaknesses
                .iter()
                .filter_map(|&k| {
                    let i = p.indicators.get(k)?;
                    Some(Weakness {
                        indicator: i.code.clone(),
                        name_ru: names.name(&i.code, Lang::Ru).to_string(),
                        name_en: names.name(&i.code, Lang::En).to_string(),
                        rank: i.rank?,
                        of: i.of,
                    })
                })
                .collect();
            weaknesses.insert(code.clone(), weak);
        }
    }
    let targets: Vec<Target> = cities
        .values()
        .filter(|c| c.status == MembershipStatus::Member)
        .map(|c| {
            let code = c.code.as_str();
            Target {
                city: code.to_string(),
                weaknesses: weaknesses.remove(code).unwrap_or_default(),
                peers: promotion::peers(code, &groups),
            }
        })
        .collect();
    let solutions: BTreeMap<i64, Solution> = state
        .store
        .catalogue()
        .list(true)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut adoptions = state.store.catalogue().all_adoptions().await?;
    let queries: BTreeSet<(String, String)> = targets
        .iter()
        .flat_map(|t| t.weaknesses.iter())
        .flat_map(|w| {
            w.names()
                .map(|name| (w.indicator.clone(), name.to_string()))
        })
        .collect();
    let addressed = state
        .catalogue_search
        .with_index(state, move |index| {
            let mut found: BTreeMap<i64, BTreeMap<String, String>> = BTreeMap::new();
            for (indicator, name) in queries {
                let query = SearchQuery {
                    text: name.clone(),
                    lang: "ru".into(),
                    nomination: None,
                    city: None,
                    limit: ADDRESSING_HITS,
                };
                let hits = match index.search(&query) {
                    // Only solutions with every word of the name address it.
                    Ok(results) if results.all_words => results.hits,
                    Ok(_) => Vec::new(),
                    // A name too short or too long to search addresses nothing.
                    Err(SearchError::TooShort | SearchError::TooLong) => Vec::new(),
                    Err(e) => return Err(e),
                };
                for hit in hits {
                    found
                        .entry(hit.id)
                        .or_default()
                        .entry(indicator.clone())
                        .or_insert_with(|| name.clone());
                }
            }
            Ok(found)
        })
        .await?
        .map_err(|e: SearchError| {
            AppError::Unexpected(anyhow::anyhow!("the promotion matrix: {e}"))
        })?;
    let candidates: Vec<Candidate> = solutions
        .values()
        .map(|s| Candidate {
            solution: s.id,
            owner: s.city.clone(),
            addresses: addressed.get(&s.id).cloned().unwrap_or_default(),
            adoptions: adoptions
                .remove(&s.id)
                .unwrap_or_default()
                .into_iter()
                .map(|a| (a.current.city, a.current.status))
                .collect(),
        })
        .collect();
    let pairings = tokio::task::spawn_blocking(move || promotion::matrix(&targets, &candidates))
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("the promotion matrix stopped: {e}")))?;
    Ok(Matrix {
        edition: loaded.map(|l| EditionRef {
            id: l.summary.id,
            year: l.summary.year,
            title: l.title(lang),
        }),
        pairings,
        solutions,
        cities,
    })
}

fn city_name(cities: &BTreeMap<String, City>, code: &str, lang: Lang) -> String {
    cities
        .get(code)
        .map(|c| lang.pick(&c.name_ru, &c.name_en).to_string())
        .unwrap_or_else(|| code.to_string())
}

fn solution_title(solutions: &BTreeMap<i64, Solution>, id: i64, lang: Lang) -> String {
    solutions
        .get(&id)
        .map(|s| s.title(lang.code()).to_string())
        .unwrap_or_else(|| format!("#{id}"))
}

/// A reason as a reader checks it: the sentence and what it names.
#[derive(Serialize, ToSchema, Clone)]
pub struct ApiReason {
    /// `weakness`, `used-by-similar` or `not-adopted`.
    pub kind: String,
    /// The reason in the reader's language.
    pub text: String,
    /// A weakness: the indicator's code, its name, the city's rank among `of` cities.
    pub indicator: Option<String>,
    pub indicator_name: Option<String>,
    pub rank: Option<u32>,
    pub of: Option<usize>,
    /// A weakness: the catalogue search that finds the solution among its first hits.
    pub search: Option<String>,
    /// Similar cities using the solution: their codes.
    pub cities: Vec<String>,
}

fn reason_view(state: &AppState, lang: Lang, matrix: &Matrix, reason: &Reason) -> ApiReason {
    let t = |key: &str, args: &[(&str, String)]| {
        let args: Vec<(&str, fluent_bundle::FluentValue<'_>)> =
            args.iter().map(|(k, v)| (*k, v.clone().into())).collect();
        state.i18n.get(lang, key, &args)
    };
    let mut view = ApiReason {
        kind: String::new(),
        text: String::new(),
        indicator: None,
        indicator_name: None,
        rank: None,
        of: None,
        search: None,
        cities: Vec::new(),
    };
    match reason {
        Reason::Weakness {
            weakness: w,
            search,
        } => {
            let name = lang.pick(&w.name_ru, &w.name_en).to_string();
            view.kind = "weakness".into();
            view.text = t(
                "promotion-reason-weakness",
                &[
                    ("indicator", name.clone()),
                    ("rank", w.rank.to_string()),
                    ("of", w.of.to_string()),
                ],
            );
            view.indicator = Some(w.indicator.clone());
            view.indicator_name = Some(name);
            view.rank = Some(w.rank);
            view.of = Some(w.of);
            view.search = Some(format!("/catalogue?q={}", urlencode(search)));
        }
        Reason::UsedBySimilar { cities } => {
            let named: Vec<String> = cities
                .iter()
                .map(|c| {
                    format!(
                        "{} ({})",
                        city_name(&matrix.cities, &c.city, lang),
                        t(&format!("catalogue-status-{}", c.status.as_str()), &[])
                    )
                })
                .collect();
            view.kind = "used-by-similar".into();
            view.text = t("promotion-reason-similar", &[("cities", named.join(", "))]);
            view.cities = cities.iter().map(|c| c.city.clone()).collect();
        }
        Reason::NotAdopted { dropped } => {
            view.kind = "not-adopted".into();
            view.text = t(
                if *dropped {
                    "promotion-reason-dropped"
                } else {
                    "promotion-reason-not-adopted"
                },
                &[],
            );
        }
    }
    view
}

/// The matrix's filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct MatrixParams {
    /// Only this target city (its code).
    pub city: Option<String>,
    /// Only this solution (its id).
    pub solution: Option<String>,
    /// At most this many pairings, 1 to 1000 (default 100).
    pub limit: Option<String>,
    /// ru (default: the reader's language) or en, for the reasons' text.
    pub lang: Option<String>,
}

impl MatrixParams {
    /// The filters read: an unknown solution or a bad limit is refused by name.
    fn read(&self) -> Result<(Option<String>, Option<i64>, usize), FieldErrors> {
        let mut errors = FieldErrors::default();
        let city = self.city.clone().filter(|c| !c.trim().is_empty());
        let solution = match self.solution.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => {
                let id = raw.parse::<i64>().ok();
                if id.is_none() {
                    errors.add("solution", "promotion-error-solution");
                }
                id
            }
        };
        let limit = match self.limit.as_deref().map(str::trim) {
            None | Some("") => Some(DEFAULT_LIMIT),
            Some(raw) => raw
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n)),
        };
        if limit.is_none() {
            errors.add("limit", "promotion-error-limit");
        }
        errors.into_result(|| (city, solution, limit.unwrap_or(DEFAULT_LIMIT)))
    }
}

/// One pairing of the matrix.
#[derive(Serialize, ToSchema)]
pub struct ApiPairing {
    pub solution: i64,
    pub solution_title: String,
    pub city: String,
    pub city_name: String,
    /// The strength of the reasons: 3 per weakness addressed, 2 per similar city operating the
    /// solution, 1 per similar city piloting it.
    pub score: u32,
    pub reasons: Vec<ApiReason>,
}

/// The matrix: the edition its weaknesses come from, how many pairings match the filters, and
/// the first `limit` of them, strongest first.
#[derive(Serialize, ToSchema)]
pub struct ApiMatrix {
    /// The latest published monitoring edition's id and year; null when none is published.
    pub edition: Option<ApiEditionRef>,
    pub total: usize,
    pub pairings: Vec<ApiPairing>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiEditionRef {
    pub id: i64,
    pub year: i32,
    pub title: String,
}

/// The matrix filtered, in `lang`.
fn matrix_view(
    state: &AppState,
    lang: Lang,
    matrix: &Matrix,
    city: Option<&str>,
    solution: Option<i64>,
    limit: usize,
) -> ApiMatrix {
    let matching: Vec<&Pairing> = matrix
        .pairings
        .iter()
        .filter(|p| city.is_none_or(|c| p.city == c))
        .filter(|p| solution.is_none_or(|s| p.solution == s))
        .collect();
    ApiMatrix {
        edition: matrix.edition.as_ref().map(|e| ApiEditionRef {
            id: e.id,
            year: e.year,
            title: e.title.clone(),
        }),
        total: matching.len(),
        pairings: matching
            .into_iter()
            .take(limit)
            .map(|p| ApiPairing {
                solution: p.solution,
                solution_title: solution_title(&matrix.solutions, p.solution, lang),
                city: p.city.clone(),
                city_name: city_name(&matrix.cities, &p.city, lang),
                score: p.score,
                reasons: p
                    .reasons
                    .iter()
                    .map(|r| reason_view(state, lang, matrix, r))
                    .collect(),
            })
            .collect(),
    }
}

#[utoipa::path(get, path = "/api/v1/promotion/matrix", tag = "catalogue", params(MatrixParams),
    responses((status = 200, body = ApiMatrix), (status = 403, body = ApiError),
        (status = 422, description = "A bad filter, named", body = ApiError)),
    security(("bearer" = [])))]
pub async fn api_matrix(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(params): Query<MatrixParams>,
) -> ApiResult {
    let (city, solution, limit) = params.read().map_err(invalid)?;
    let lang = params
        .lang
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or(visitor.lang);
    let matrix = matrix_of(&state, &visitor).await.map_err(fail)?;
    Ok(Json(matrix_view(
        &state,
        lang,
        &matrix,
        city.as_deref(),
        solution,
        limit,
    ))
    .into_response())
}

/// A form's choices: (value, label).
type Choices<T> = Vec<(T, String)>;

/// Member cities and published solutions for the forms' choices, by name.
fn choices(matrix: &Matrix, lang: Lang) -> (Choices<String>, Choices<i64>) {
    let mut cities: Choices<String> = matrix
        .cities
        .values()
        .filter(|c| c.status == MembershipStatus::Member)
        .map(|c| {
            (
                c.code.as_str().to_string(),
                lang.pick(&c.name_ru, &c.name_en).to_string(),
            )
        })
        .collect();
    cities.sort_by(|a, b| a.1.cmp(&b.1));
    let mut solutions: Choices<i64> = matrix
        .solutions
        .values()
        .map(|s| (s.id, s.title(lang.code()).to_string()))
        .collect();
    solutions.sort_by(|a, b| a.1.cmp(&b.1));
    (cities, solutions)
}

fn concept_summary(concept: &Concept, lang: Lang) -> minijinja::Value {
    context! {
        id => concept.id,
        title => lang.pick(&concept.title_ru, &concept.title_en),
        year => concept.year,
        state => concept.state.as_str(),
    }
}

/// `/catalogue/promotion`: the matrix with its filters, the concepts, a new concept's form.
pub async fn page(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(params): Query<MatrixParams>,
) -> PageResult {
    promotion_page(
        &state,
        &visitor,
        &params,
        &ConceptInput::default(),
        &FieldErrors::default(),
    )
    .await
}

async fn promotion_page(
    state: &AppState,
    visitor: &Visitor,
    params: &MatrixParams,
    form: &ConceptInput,
    form_errors: &FieldErrors,
) -> PageResult {
    let lang = visitor.lang;
    let (filters, filter_errors) = match params.read() {
        Ok(read) => (read, FieldErrors::default()),
        Err(errors) => ((None, None, DEFAULT_LIMIT), errors),
    };
    let (city, solution, limit) = filters;
    let matrix = matrix_of(state, visitor).await?;
    let view = matrix_view(state, lang, &matrix, city.as_deref(), solution, limit);
    let (cities, solutions) = choices(&matrix, lang);
    let stored = state.store.promotion().list().await?;
    // The matrix's rows offer themselves to the newest draft.
    let draft = stored
        .iter()
        .find(|c| c.state == promotion::ConceptState::Draft)
        .map(|c| concept_summary(c, lang));
    let concepts: Vec<minijinja::Value> = stored.iter().map(|c| concept_summary(c, lang)).collect();
    let year = if form.year.is_empty() {
        (crate::state::today().year() + 1).to_string()
    } else {
        form.year.clone()
    };
    let html = render(
        state,
        visitor,
        "promotion.html",
        context! {
            matrix => view,
            filters => context! { city => city, solution => solution, limit => limit },
            filter_errors => errors_map(&filter_errors),
            cities, solutions, concepts, draft,
            form => context! { title_ru => form.title_ru, title_en => form.title_en, year },
            errors => errors_map(form_errors),
            addressing_hits => ADDRESSING_HITS,
        },
    )
    .await;
    let status = if filter_errors.is_empty() && form_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, html).into_response())
}

/// `POST /catalogue/promotion/concepts`: a new draft concept.
pub async fn create(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(input): CsrfForm<ConceptInput>,
) -> PageResult {
    match input.check() {
        Ok(concept) => {
            let id = state
                .store
                .promotion()
                .create(&visitor.actor(), &concept)
                .await?;
            Ok(see_other(&with_done(
                &format!("/catalogue/promotion/concepts/{id}"),
                "created",
            )))
        }
        Err(errors) => {
            promotion_page(&state, &visitor, &MatrixParams::default(), &input, &errors).await
        }
    }
}

async fn concept_of(state: &AppState, id: &str) -> Result<Concept, AppError> {
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    state
        .store
        .promotion()
        .get(id)
        .await?
        .ok_or(AppError::NotFound)
}

/// "2nd quarter 2027" / "March 2027".
fn when_text(state: &AppState, lang: Lang, when: When) -> String {
    match when {
        When::Month { year, month } => format!(
            "{} {year}",
            state.i18n.get(lang, &format!("events-month-{month}"), &[])
        ),
        When::Quarter { year, quarter } => state.i18n.get(
            lang,
            "promotion-quarter",
            &[
                ("quarter", quarter.to_string().into()),
                ("year", year.to_string().into()),
            ],
        ),
    }
}

/// A presentation with its live reasons: the matrix's pairing of its solution and city.
#[derive(Serialize)]
struct PresentationView {
    id: i64,
    solution: i64,
    solution_title: String,
    city: String,
    city_name: String,
    when: String,
    note: String,
    reasons: Vec<ApiReason>,
    proposal: Option<i64>,
}

fn presentation_views(
    state: &AppState,
    lang: Lang,
    matrix: &Matrix,
    concept: &Concept,
) -> Vec<PresentationView> {
    concept
        .presentations
        .iter()
        .map(|p: &Presentation| PresentationView {
            id: p.id,
            solution: p.solution,
            solution_title: lang
                .pick(&p.solution_title_ru, &p.solution_title_en)
                .to_string(),
            city: p.city.clone(),
            city_name: city_name(&matrix.cities, &p.city, lang),
            when: when_text(state, lang, p.when),
            note: p.note.clone(),
            reasons: matrix
                .pairings
                .iter()
                .find(|m| m.city == p.city && m.solution == p.solution)
                .map(|m| {
                    m.reasons
                        .iter()
                        .map(|r| reason_view(state, lang, matrix, r))
                        .collect()
                })
                .unwrap_or_default(),
            proposal: p.proposal,
        })
        .collect()
}

/// `/catalogue/promotion/concepts/{id}`.
pub async fn concept(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Query(chosen): Query<PresentationInput>,
) -> PageResult {
    let concept = concept_of(&state, &id).await?;
    // A pairing chosen on the matrix comes preselected (`?solution=…&city=…`).
    concept_page(&state, &visitor, &concept, &chosen, &FieldErrors::default()).await
}

async fn concept_page(
    state: &AppState,
    visitor: &Visitor,
    concept: &Concept,
    form: &PresentationInput,
    errors: &FieldErrors,
) -> PageResult {
    let lang = visitor.lang;
    let matrix = matrix_of(state, visitor).await?;
    let (cities, solutions) = choices(&matrix, lang);
    let periods: Vec<(String, String)> = When::all_of(concept.year)
        .into_iter()
        .map(|w| (w.as_text(), when_text(state, lang, w)))
        .collect();
    let presentations = presentation_views(state, lang, &matrix, concept);
    let pending = presentations.iter().any(|p| p.proposal.is_none());
    let html = render(
        state,
        visitor,
        "promotion-concept.html",
        context! {
            concept => concept_summary(concept, lang),
            draft => concept.state == promotion::ConceptState::Draft,
            presentations, pending, cities, solutions, periods,
            form => context! {
                solution => form.solution, city => form.city, period => form.period, note => form.note,
            },
            errors => errors_map(errors),
        },
    )
    .await;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, html).into_response())
}

/// `POST …/concepts/{id}/presentations`: refused by field (422) with the form again.
pub async fn add(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<PresentationInput>,
) -> PageResult {
    let concept = concept_of(&state, &id).await?;
    let checked = match input.check(concept.year) {
        Ok(checked) => checked,
        Err(errors) => return concept_page(&state, &visitor, &concept, &input, &errors).await,
    };
    match state
        .store
        .promotion()
        .add(&visitor.actor(), concept.id, &checked)
        .await?
    {
        Ok(_) => Ok(see_other(&with_done(
            &format!("/catalogue/promotion/concepts/{}#presentations", concept.id),
            "saved",
        ))),
        Err(errors) => concept_page(&state, &visitor, &concept, &input, &errors).await,
    }
}

/// `POST …/concepts/{id}/final`: the draft becomes final (409 when it already is).
pub async fn finalise(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> PageResult {
    let concept = concept_of(&state, &id).await?;
    state
        .store
        .promotion()
        .finalise(&visitor.actor(), concept.id)
        .await?;
    Ok(see_other(&with_done(
        &format!("/catalogue/promotion/concepts/{}", concept.id),
        "saved",
    )))
}

/// `POST …/concepts/{id}/proposals`: every presentation not yet proposed becomes a draft event
/// proposal of the Secretariat; again, nothing new.
pub async fn propose(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let concept = concept_of(&state, &id).await?;
    state
        .store
        .promotion()
        .to_proposals(person, concept.id)
        .await?;
    Ok(see_other(&with_done(
        &format!("/catalogue/promotion/concepts/{}#presentations", concept.id),
        "created",
    )))
}

/// `GET …/concepts/{id}/concept.pdf?lang=ru|en`: per target city, which solutions, when and why.
pub async fn pdf(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Query(query): Query<LangQuery>,
) -> PageResult {
    let concept = concept_of(&state, &id).await?;
    let lang = query.lang(&visitor);
    let matrix = matrix_of(&state, &visitor).await?;
    let t = |key: &str| state.i18n.get(lang, key, &[]);
    let mut by_city: BTreeMap<String, Vec<PresentationView>> = BTreeMap::new();
    for view in presentation_views(&state, lang, &matrix, &concept) {
        by_city
            .entry(view.city_name.clone())
            .or_default()
            .push(view);
    }
    let s = typst_str;
    let title = lang.pick(&concept.title_ru, &concept.title_en).to_string();
    let mut m = String::with_capacity(8192);
    let _ = writeln!(m, "#set document(title: {})", s(&title));
    m.push_str("#set page(paper: \"a4\", margin: 18mm)\n");
    let _ = writeln!(
        m,
        "#set text(font: (\"Libertinus Serif\", \"New Computer Modern\"), size: 10pt, lang: \"{}\")",
        lang.code()
    );
    m.push_str("#set table(stroke: 0.4pt + luma(170), inset: (x: 4pt, y: 3pt))\n");
    let _ = writeln!(m, "#text(size: 16pt, weight: \"bold\", {})\n", s(&title));
    let subtitle = state.i18n.get(
        lang,
        "promotion-pdf-subtitle",
        &[
            ("year", concept.year.to_string().into()),
            (
                "state",
                t(&format!("promotion-state-{}", concept.state.as_str())).into(),
            ),
            (
                "edition",
                matrix
                    .edition
                    .as_ref()
                    .map(|e| e.title.clone())
                    .unwrap_or_else(|| t("promotion-no-edition"))
                    .into(),
            ),
        ],
    );
    let _ = writeln!(m, "#emph({})\n", s(&subtitle));
    if by_city.is_empty() {
        let _ = writeln!(m, "{}\n", s(&t("promotion-no-presentations")));
    }
    for (city, views) in &by_city {
        let _ = writeln!(m, "#heading(level: 2, {})\n", s(city));
        m.push_str("#table(columns: (1fr, auto, 1.6fr),\n  table.header(");
        for h in ["promotion-solution", "promotion-when", "promotion-reasons"] {
            let _ = write!(m, "strong({}), ", s(&t(h)));
        }
        m.push_str("),\n");
        for v in views {
            let mut why: Vec<String> = v.reasons.iter().map(|r| r.text.clone()).collect();
            if why.is_empty() {
                why.push(t("promotion-no-reasons"));
            }
            if !v.note.is_empty() {
                why.push(format!("{}: {}", t("promotion-note"), v.note));
            }
            if let Some(proposal) = v.proposal {
                why.push(format!("{}: #{proposal}", t("promotion-event")));
            }
            let cell = why
                .iter()
                .map(|w| format!("#{}", s(w)))
                .collect::<Vec<_>>()
                .join(" \\ ");
            let _ = writeln!(m, "  {}, {}, [{cell}],", s(&v.solution_title), s(&v.when));
        }
        m.push_str(")\n");
    }
    let name = format!("promotion-{}-{}.pdf", concept.id, lang.code());
    pdf_response(&state, lang, Document::new(m), &name).await
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(api_matrix),
    components(schemas(ApiMatrix, ApiPairing, ApiReason, ApiEditionRef))
)]
pub(crate) struct Api;

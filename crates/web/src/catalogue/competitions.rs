//! Competitions in the JSON API: the Secretariat's call and its stages, the cities' entries, the
//! experts' declarations and scores, the jury's ranking and decision, and the published
//! results. Who may see what is decided here, once, for the API and the pages alike
//! ([`Viewer`]).
use crate::api::{fail, ApiError, ApiFieldError, ApiResult};
use crate::auth::Visitor;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use megapolis_catalogue::competition::{
    check_attachment, AttachmentError, CompetitionInput, EntryInput, EntryState, EntryStep,
    InvalidInput, Stage, Step,
};
use megapolis_catalogue::evaluation::{
    automatic_conflict, check_scores, may_review, standings, Award, ScoreError, Standing,
};
use megapolis_domain::{Person, Position, Role};
use megapolis_storage::catalogue::competition::{Competition, Entry};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How much of an entry a visitor sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sight {
    Hidden,
    /// Its name, city, nomination and users: what an expert needs to declare a conflict.
    Listed,
    Dossier,
}

/// What a visitor is to a competition.
pub(crate) struct Viewer<'a> {
    pub person: Option<&'a Person>,
    pub staff: bool,
    pub jury_member: bool,
    pub jury_chair: bool,
}

impl<'a> Viewer<'a> {
    pub fn of(visitor: &'a Visitor, competition: &Competition) -> Viewer<'a> {
        let person = visitor.person.as_ref();
        let membership = |chair: bool| {
            person.is_some_and(|p| {
                p.memberships.iter().any(|m| {
                    m.body.as_str() == competition.jury_body
                        && (!chair || m.position == Position::Chair)
                })
            })
        };
        Viewer {
            person,
            staff: visitor.is_staff(),
            jury_member: membership(false),
            jury_chair: membership(true),
        }
    }

    /// Whether they may see the competition at all: the public once it is open.
    pub fn sees_competition(&self, competition: &Competition) -> bool {
        self.staff || self.jury_member || competition.stage != Stage::Draft
    }

    /// How much of an entry they see: the whole dossier for the Secretariat, the jury once it
    /// is sent (a draft is its city's own), its own city's representatives, an expert of its
    /// nomination who may review it (declared, no unwaived conflict), and everyone once it is
    /// published; only its name, city and users for an expert of its nomination before that;
    /// nothing for the rest. The expert's standing is read once.
    pub async fn sight(&self, state: &AppState, entry: &Entry) -> Result<Sight, AppError> {
        if entry.solution_id.is_some()
            || self.staff
            || (self.jury_member && entry.state != EntryState::Draft)
        {
            return Ok(Sight::Dossier);
        }
        let Some(person) = self.person else {
            return Ok(Sight::Hidden);
        };
        if person.role == Role::CityRep {
            return Ok(if person.city.as_ref() == Some(&entry.city) {
                Sight::Dossier
            } else {
                Sight::Hidden
            });
        }
        let Some(standing) = state
            .store
            .competitions()
            .standing(entry.id, person.id)
            .await?
        else {
            return Ok(Sight::Hidden);
        };
        let automatic = automatic_conflict(person.city.as_ref(), &entry.city, &entry.used_by);
        Ok(
            match may_review(automatic, &standing.declaration, standing.waived) {
                Ok(()) => Sight::Dossier,
                Err(_) => Sight::Listed,
            },
        )
    }

    /// Whether they write for `entry`'s city (edit, attach): the Secretariat, or that city's
    /// representative; the storage holds them to it again in the write.
    pub fn writes_for(&self, entry: &Entry) -> bool {
        self.staff
            || self
                .person
                .is_some_and(|p| p.role == Role::CityRep && p.city.as_ref() == Some(&entry.city))
    }

    /// Whether they see all experts' scores of an entry: the Secretariat and the jury; an
    /// expert only their own until they submitted.
    pub fn sees_all_scores(&self) -> bool {
        self.staff || self.jury_member
    }
}

/// A competition as the API gives it.
#[derive(Serialize, ToSchema)]
pub struct ApiCompetition {
    pub id: i64,
    pub title_ru: String,
    pub title_en: String,
    pub year: i32,
    /// draft, open, evaluation, decided or published.
    pub stage: String,
    pub eligibility: Vec<String>,
    pub submission_deadline: String,
    pub evaluation_deadline: String,
    pub results_on: String,
    pub jury_body: String,
    pub nominations: Vec<ApiNomination>,
    pub criteria: Vec<ApiCriterion>,
    /// The jury's recorded decision, once taken.
    pub decision: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiNomination {
    pub id: i64,
    pub name: String,
}

/// A criterion with its weight and what each point of the 1–5 scale means.
#[derive(Serialize, ToSchema)]
pub struct ApiCriterion {
    pub id: i64,
    pub name_ru: String,
    pub name_en: String,
    pub weight: f64,
    pub anchors_ru: Vec<String>,
    pub anchors_en: Vec<String>,
}

impl ApiCompetition {
    pub(crate) fn of(c: &Competition) -> ApiCompetition {
        ApiCompetition {
            id: c.id,
            title_ru: c.title_ru.clone(),
            title_en: c.title_en.clone(),
            year: c.year,
            stage: c.stage.as_str().into(),
            eligibility: c.eligibility.clone(),
            submission_deadline: c.submission_deadline.to_string(),
            evaluation_deadline: c.evaluation_deadline.to_string(),
            results_on: c.results_on.to_string(),
            jury_body: c.jury_body.clone(),
            nominations: c
                .nominations
                .iter()
                .map(|n| ApiNomination {
                    id: n.id,
                    name: n.name.clone(),
                })
                .collect(),
            criteria: c
                .criteria
                .iter()
                .map(|(id, k)| ApiCriterion {
                    id: *id,
                    name_ru: k.name_ru.clone(),
                    name_en: k.name_en.clone(),
                    weight: k.weight,
                    anchors_ru: k.anchors_ru.to_vec(),
                    anchors_en: k.anchors_en.to_vec(),
                })
                .collect(),
            decision: c.decision.clone(),
        }
    }
}

/// An entry; `dossier` only for who may see it (see the roles in README).
#[derive(Serialize, ToSchema)]
pub struct ApiEntry {
    pub id: i64,
    pub competition: i64,
    pub nomination: String,
    pub city: String,
    pub title_ru: String,
    pub title_en: String,
    /// draft, submitted, eligible, ineligible or withdrawn.
    pub state: String,
    pub used_by: Vec<String>,
    pub screening_reason: Option<String>,
    /// winner or laureate, once the jury decided.
    pub award: Option<String>,
    /// The catalogue's solution, once published.
    pub solution: Option<i64>,
    pub dossier: Option<ApiDossier>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiDossier {
    pub summary_ru: String,
    pub summary_en: String,
    pub problem: String,
    pub results: String,
    pub technologies: Vec<String>,
    pub hardware: Vec<String>,
    pub licence: String,
    pub url: String,
    pub contacts: String,
    /// Download each at `/api/v1/entries/{id}/attachments/{file}`.
    pub attachments: Vec<ApiAttachment>,
}

impl ApiEntry {
    /// The entry, with its dossier when `attachments` are given (who may see it).
    pub(crate) fn of(e: &Entry, attachments: Option<Vec<ApiAttachment>>) -> ApiEntry {
        ApiEntry {
            id: e.id,
            competition: e.competition_id,
            nomination: e.nomination.clone(),
            city: e.city.to_string(),
            title_ru: e.title_ru.clone(),
            title_en: e.title_en.clone(),
            state: e.state.as_str().into(),
            used_by: e.used_by.iter().map(|c| c.to_string()).collect(),
            screening_reason: e.screening_reason.clone(),
            award: e.award.map(|a| a.as_str().into()),
            solution: e.solution_id,
            dossier: attachments.map(|attachments| ApiDossier {
                summary_ru: e.summary_ru.clone(),
                summary_en: e.summary_en.clone(),
                problem: e.problem.clone(),
                results: e.results.clone(),
                technologies: e.technologies.clone(),
                hardware: e.hardware.clone(),
                licence: e.licence.clone(),
                url: e.url.clone(),
                contacts: e.contacts.clone(),
                attachments,
            }),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiCreated {
    pub id: i64,
}

/// A refused field: 422 with the field (and row, for a criterion) named.
pub(crate) fn invalid(error: &InvalidInput) -> axum::response::Response {
    let field = match error.row {
        Some(row) => format!("{}[{row}]", error.field),
        None => error.field.to_string(),
    };
    let body = ApiError {
        error: error.to_string(),
        status: 422,
        code: "invalid_fields".into(),
        fields: Some(vec![ApiFieldError {
            field,
            error: error.message.into(),
        }]),
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

pub(crate) async fn competition(state: &AppState, raw: &str) -> Result<Competition, AppError> {
    let id: i64 = raw.trim().parse().map_err(|_| AppError::NotFound)?;
    state
        .store
        .competitions()
        .get(id)
        .await?
        .ok_or(AppError::NotFound)
}

pub(crate) async fn entry(state: &AppState, raw: &str) -> Result<Entry, AppError> {
    let id: i64 = raw.trim().parse().map_err(|_| AppError::NotFound)?;
    state
        .store
        .competitions()
        .entry(id)
        .await?
        .ok_or(AppError::NotFound)
}

fn person(visitor: &Visitor) -> Result<&Person, AppError> {
    visitor.person.as_ref().ok_or(AppError::Forbidden)
}

/// Who may write entries (create, edit, attach): the Secretariat and city representatives; the
/// storage then holds a representative to their own city's drafts.
pub(crate) fn may_enter(visitor: &Visitor) -> Result<&Person, AppError> {
    let who = person(visitor)?;
    if visitor.is_staff() || who.role == Role::CityRep {
        Ok(who)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A call as JSON: titles, `year`, `nominations` [names], `eligibility` [rules], `criteria`
/// [{name_ru, name_en, weight, anchors_ru [5], anchors_en [5]}], the three dates (YYYY-MM-DD)
/// and `jury_body` (a body id).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiCompetitionInput {
    title_ru: String,
    title_en: String,
    year: i32,
    nominations: Vec<String>,
    eligibility: Vec<String>,
    criteria: Vec<ApiCriterionInput>,
    submission_deadline: String,
    evaluation_deadline: String,
    results_on: String,
    jury_body: String,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiCriterionInput {
    name_ru: String,
    name_en: String,
    weight: f64,
    anchors_ru: Vec<String>,
    anchors_en: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/competitions", tag = "competitions",
    request_body = ApiCompetitionInput, security(("bearer" = [])),
    responses((status = 201, body = ApiCreated), (status = 403, body = ApiError),
        (status = 404, description = "No such jury body", body = ApiError),
        (status = 422, description = "A field (a criterion's by its row) that cannot be used", body = ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Json(input): Json<CompetitionInput>,
) -> ApiResult {
    let call = input.check().map_err(|e| invalid(&e))?;
    let id = state
        .store
        .competitions()
        .create(&visitor.actor(), &call)
        .await
        .map_err(fail)?;
    Ok((StatusCode::CREATED, Json(ApiCreated { id })).into_response())
}

#[utoipa::path(get, path = "/api/v1/competitions", tag = "competitions",
    responses((status = 200, body = [ApiCompetition])))]
pub async fn list(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> ApiResult {
    let all = state.store.competitions().list().await.map_err(fail)?;
    Ok(Json(
        all.iter()
            .filter(|c| Viewer::of(&visitor, c).sees_competition(c))
            .map(ApiCompetition::of)
            .collect::<Vec<_>>(),
    )
    .into_response())
}

#[utoipa::path(get, path = "/api/v1/competitions/{id}", tag = "competitions",
    params(("id" = i64, Path)), responses((status = 200, body = ApiCompetition), (status = 404, body = ApiError)))]
pub async fn get_one(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> ApiResult {
    let found = competition(&state, &id).await.map_err(fail)?;
    if !Viewer::of(&visitor, &found).sees_competition(&found) {
        return Err(fail(AppError::NotFound));
    }
    Ok(Json(ApiCompetition::of(&found)).into_response())
}

/// Moves a competition on (the Secretariat): `open` (the call; city representatives are told)
/// or `evaluation` (every eligible entry needs three experts free of conflicts).
#[utoipa::path(post, path = "/api/v1/competitions/{id}/{step}", tag = "competitions",
    params(("id" = i64, Path), ("step" = String, Path, description = "open or evaluation")),
    security(("bearer" = [])),
    responses((status = 200, body = ApiStage), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, description = "Not from this stage, or entries with too few experts", body = ApiError)))]
pub async fn step(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, step)): Path<(String, String)>,
) -> ApiResult {
    let found = competition(&state, &id).await.map_err(fail)?;
    let step = match step.as_str() {
        "open" => Step::Open,
        "evaluation" => Step::StartEvaluation,
        _ => return Err(fail(AppError::NotFound)),
    };
    let stage = state
        .store
        .competitions()
        .step(&visitor.actor(), found.id, step)
        .await
        .map_err(fail)?;
    Ok(Json(ApiStage {
        stage: stage.as_str().into(),
    })
    .into_response())
}

#[derive(Serialize, ToSchema)]
pub struct ApiStage {
    pub stage: String,
}

#[derive(Deserialize, ToSchema)]
pub struct ApiExperts {
    /// Person ids of experts (role expert).
    pub experts: Vec<i64>,
}

#[utoipa::path(post, path = "/api/v1/competitions/{id}/nominations/{nomination}/experts", tag = "competitions",
    params(("id" = i64, Path), ("nomination" = i64, Path)), request_body = ApiExperts,
    security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ApiError), (status = 404, body = ApiError), (status = 409, body = ApiError)))]
pub async fn assign(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, nomination)): Path<(String, String)>,
    Json(input): Json<ApiExperts>,
) -> ApiResult {
    let found = competition(&state, &id).await.map_err(fail)?;
    let nomination: i64 = nomination
        .trim()
        .parse()
        .map_err(|_| fail(AppError::NotFound))?;
    state
        .store
        .competitions()
        .assign_experts(&visitor.actor(), found.id, nomination, &input.experts)
        .await
        .map_err(fail)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// An entry as JSON: `nomination` (its name), `city` (code), titles and summaries RU/EN (either
/// may be empty, not both titles), `problem`, `results`, `technologies`, `hardware`, `licence`,
/// `url`, `contacts`, `used_by` [city codes].
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiEntryInput {
    nomination: String,
    city: String,
    title_ru: String,
    title_en: String,
    summary_ru: String,
    summary_en: String,
    problem: String,
    results: String,
    technologies: Vec<String>,
    hardware: Vec<String>,
    licence: String,
    url: String,
    contacts: String,
    used_by: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/competitions/{id}/entries", tag = "competitions",
    params(("id" = i64, Path)), request_body = ApiEntryInput, security(("bearer" = [])),
    responses((status = 201, description = "A draft", body = ApiCreated),
        (status = 403, description = "Another city than the caller's", body = ApiError),
        (status = 409, description = "The competition takes no entries now", body = ApiError),
        (status = 422, body = ApiError)))]
pub async fn create_entry(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Json(input): Json<EntryInput>,
) -> ApiResult {
    let found = competition(&state, &id).await.map_err(fail)?;
    let author = may_enter(&visitor).map_err(fail)?;
    let draft = input.check().map_err(|e| invalid(&e))?;
    let id = state
        .store
        .competitions()
        .save_entry(author, found.id, None, &draft)
        .await
        .map_err(fail)?;
    Ok((StatusCode::CREATED, Json(ApiCreated { id })).into_response())
}

#[utoipa::path(get, path = "/api/v1/competitions/{id}/entries", tag = "competitions",
    params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The entries the caller may see", body = [ApiEntry])))]
pub async fn entries(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> ApiResult {
    let found = competition(&state, &id).await.map_err(fail)?;
    let viewer = Viewer::of(&visitor, &found);
    let mut out = Vec::new();
    for entry in state
        .store
        .competitions()
        .entries(found.id)
        .await
        .map_err(fail)?
    {
        if let Some(listed) = visible(&state, &viewer, &entry).await.map_err(fail)? {
            out.push(listed);
        }
    }
    Ok(Json(out).into_response())
}

/// An entry as `viewer` may see it: `None` when they may not see it at all (an expert sees the
/// entries of their nominations, a city its own, the jury the eligible ones, the public the
/// awarded ones once published).
pub(crate) async fn visible(
    state: &AppState,
    viewer: &Viewer<'_>,
    entry: &Entry,
) -> Result<Option<ApiEntry>, AppError> {
    let sight = viewer.sight(state, entry).await?;
    if sight == Sight::Hidden {
        return Ok(None);
    }
    let dossier = sight == Sight::Dossier;
    let attachments = if dossier {
        Some(
            state
                .store
                .competitions()
                .attachments(entry.id)
                .await?
                .into_iter()
                .map(|f| ApiAttachment {
                    id: f.id,
                    name: f.name,
                    content_type: f.content_type,
                    size: f.size,
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(Some(ApiEntry::of(entry, attachments)))
}

#[utoipa::path(get, path = "/api/v1/entries/{id}", tag = "competitions",
    params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ApiEntry), (status = 404, body = ApiError)))]
pub async fn get_entry(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> ApiResult {
    let found = entry(&state, &id).await.map_err(fail)?;
    let call = competition(&state, &found.competition_id.to_string())
        .await
        .map_err(fail)?;
    let viewer = Viewer::of(&visitor, &call);
    match visible(&state, &viewer, &found).await.map_err(fail)? {
        Some(listed) => Ok(Json(listed).into_response()),
        None => Err(fail(AppError::NotFound)),
    }
}

#[utoipa::path(put, path = "/api/v1/entries/{id}", tag = "competitions",
    params(("id" = i64, Path)), request_body = ApiEntryInput, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ApiError), (status = 409, description = "Not a draft", body = ApiError), (status = 422, body = ApiError)))]
pub async fn update_entry(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Json(input): Json<EntryInput>,
) -> ApiResult {
    let found = entry(&state, &id).await.map_err(fail)?;
    let author = may_enter(&visitor).map_err(fail)?;
    let draft = input.check().map_err(|e| invalid(&e))?;
    state
        .store
        .competitions()
        .save_entry(author, found.competition_id, Some(found.id), &draft)
        .await
        .map_err(fail)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct ApiEntryStep {
    /// For `screen`: whether the entry is eligible.
    pub eligible: Option<bool>,
    /// For `screen` as not eligible: why (required).
    pub reason: String,
}

/// `submit` or `withdraw` (the entry's city, the Secretariat), `screen` (the Secretariat).
#[utoipa::path(post, path = "/api/v1/entries/{id}/{step}", tag = "competitions",
    params(("id" = i64, Path), ("step" = String, Path, description = "submit, withdraw or screen")),
    request_body = ApiEntryStep, security(("bearer" = [])),
    responses((status = 200, body = ApiStage), (status = 403, body = ApiError),
        (status = 409, description = "After the deadline, or not from this state", body = ApiError),
        (status = 422, description = "Not eligible without a reason", body = ApiError)))]
pub async fn entry_step(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, step)): Path<(String, String)>,
    body: Option<Json<ApiEntryStep>>,
) -> ApiResult {
    let found = entry(&state, &id).await.map_err(fail)?;
    let input = body.map(|Json(b)| b).unwrap_or_default();
    let step = parse_entry_step(&step, &input, visitor.is_staff()).map_err(fail)?;
    let next = apply_entry_step(&state, &visitor, &found, step, &input.reason)
        .await
        .map_err(fail)?;
    Ok(Json(ApiStage {
        stage: next.as_str().into(),
    })
    .into_response())
}

/// The step an entry's `submit`, `withdraw` or `screen` asks for; screening is the
/// Secretariat's.
pub(crate) fn parse_entry_step(
    raw: &str,
    input: &ApiEntryStep,
    staff: bool,
) -> Result<EntryStep, AppError> {
    match raw {
        "submit" => Ok(EntryStep::Submit),
        "withdraw" => Ok(EntryStep::Withdraw),
        "screen" if staff => Ok(EntryStep::Screen {
            eligible: input.eligible.unwrap_or(false),
        }),
        "screen" => Err(AppError::Forbidden),
        _ => Err(AppError::NotFound),
    }
}

pub(crate) async fn apply_entry_step(
    state: &AppState,
    visitor: &Visitor,
    found: &Entry,
    step: EntryStep,
    reason: &str,
) -> Result<megapolis_catalogue::competition::EntryState, AppError> {
    let who = person(visitor)?;
    if !(visitor.is_staff() || who.role == Role::CityRep) {
        return Err(AppError::Forbidden);
    }
    Ok(state
        .store
        .competitions()
        .entry_step(who, found.id, step, reason, crate::state::today())
        .await?)
}

#[derive(Deserialize, ToSchema)]
pub struct ApiDeclaration {
    /// Whether the expert has a conflict of interest with the entry.
    pub conflict: bool,
    /// Required with a conflict.
    #[serde(default)]
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/entries/{id}/declaration", tag = "competitions",
    params(("id" = i64, Path)), request_body = ApiDeclaration, security(("bearer" = [])),
    responses((status = 204), (status = 403, description = "Not an expert of its nomination", body = ApiError),
        (status = 409, description = "Declared already, or not in evaluation", body = ApiError)))]
pub async fn declare(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Json(input): Json<ApiDeclaration>,
) -> ApiResult {
    let found = entry(&state, &id).await.map_err(fail)?;
    let expert = person(&visitor).map_err(fail)?;
    state
        .store
        .competitions()
        .declare(
            expert,
            found.id,
            input.conflict.then_some(input.reason.as_str()),
        )
        .await
        .map_err(fail)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct ApiWaiver {
    /// The expert's person id.
    pub expert: i64,
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/entries/{id}/waivers", tag = "competitions",
    params(("id" = i64, Path)), request_body = ApiWaiver, security(("bearer" = [])),
    responses((status = 204), (status = 403, description = "Not the jury's chair", body = ApiError),
        (status = 409, description = "No automatic conflict to waive", body = ApiError),
        (status = 422, description = "No reason", body = ApiError)))]
pub async fn waive(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Json(input): Json<ApiWaiver>,
) -> ApiResult {
    let found = entry(&state, &id).await.map_err(fail)?;
    waive_for(&state, &visitor, &found, input.expert, &input.reason)
        .await
        .map_err(fail)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The jury chair's waiver, for the API and the page.
pub(crate) async fn waive_for(
    state: &AppState,
    visitor: &Visitor,
    found: &Entry,
    expert: i64,
    reason: &str,
) -> Result<(), AppError> {
    let call = competition(state, &found.competition_id.to_string()).await?;
    if !Viewer::of(visitor, &call).jury_chair {
        return Err(AppError::Forbidden);
    }
    let expert = state
        .store
        .accounts()
        .person(expert)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(state
        .store
        .competitions()
        .waive(&visitor.actor(), found.id, &expert, reason)
        .await?)
}

#[derive(Deserialize, ToSchema)]
pub struct ApiScore {
    /// 1 to 5 (see the criterion's anchors).
    pub score: serde_json::Value,
    #[serde(default)]
    pub comment: String,
}

#[derive(Deserialize, ToSchema)]
pub struct ApiScores {
    /// One per criterion, in the competition's order.
    pub scores: Vec<ApiScore>,
}

#[utoipa::path(post, path = "/api/v1/entries/{id}/scores", tag = "competitions",
    params(("id" = i64, Path)), request_body = ApiScores, security(("bearer" = [])),
    responses((status = 204), (status = 403, description = "Not assigned, not declared, or a conflict of interest", body = ApiError),
        (status = 409, description = "Scored already, or not in evaluation", body = ApiError),
        (status = 422, description = "A score outside 1–5 or a criterion without one", body = ApiError)))]
pub async fn score(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Json(input): Json<ApiScores>,
) -> ApiResult {
    let found = entry(&state, &id).await.map_err(fail)?;
    let raw: Vec<(String, String)> = input
        .scores
        .iter()
        .map(|s| {
            let value = match &s.score {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            (value, s.comment.clone())
        })
        .collect();
    score_entry(&state, &visitor, &found, &raw)
        .await
        .map_err(fail)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// An expert's scores of an entry, for the API and the page: checked against the scale, then
/// saved (the conflict rules are checked in the write).
pub(crate) async fn score_entry(
    state: &AppState,
    visitor: &Visitor,
    found: &Entry,
    raw: &[(String, String)],
) -> Result<(), AppError> {
    let expert = person(visitor)?;
    let call = competition(state, &found.competition_id.to_string()).await?;
    let scores = check_scores(call.criteria.len(), raw).map_err(|e| match e {
        ScoreError::OutOfScale { criterion, .. }
        | ScoreError::Missing { criterion }
        | ScoreError::CommentTooLong { criterion } => {
            AppError::Unprocessable(format!("scores[{criterion}]: {e}"))
        }
    })?;
    Ok(state
        .store
        .competitions()
        .score(expert, found.id, &scores)
        .await?)
}

/// One entry's standing in the ranking of its nomination.
#[derive(Serialize, ToSchema)]
pub struct ApiStanding {
    pub entry: i64,
    pub title_ru: String,
    pub title_en: String,
    pub city: String,
    pub reviews: usize,
    /// The mean of the reviews' weighted means, 1 to 5.
    pub score: f64,
    /// Highest review minus lowest.
    pub spread: f64,
    /// The mean z-score of reviews by experts with three or more reviews.
    pub normalised: Option<f64>,
    pub award: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiRanking {
    pub nomination: String,
    pub standings: Vec<ApiStanding>,
}

/// The ranking per nomination (the jury, the Secretariat).
pub(crate) async fn ranking(
    state: &AppState,
    call: &Competition,
) -> Result<Vec<ApiRanking>, AppError> {
    let store = state.store.competitions();
    let entries = store.entries(call.id).await?;
    let table: Vec<Standing> = standings(&store.reviews(call.id).await?, &call.weights());
    Ok(call
        .nominations
        .iter()
        .map(|n| ApiRanking {
            nomination: n.name.clone(),
            standings: table
                .iter()
                .filter_map(|s| {
                    let e = entries
                        .iter()
                        .find(|e| e.id == s.entry && e.nomination_id == n.id)?;
                    Some(ApiStanding {
                        entry: e.id,
                        title_ru: e.title_ru.clone(),
                        title_en: e.title_en.clone(),
                        city: e.city.to_string(),
                        reviews: s.reviews,
                        score: (s.score * 100.0).round() / 100.0,
                        spread: (s.spread * 100.0).round() / 100.0,
                        normalised: s.normalised.map(|z| (z * 100.0).round() / 100.0),
                        award: e.award.map(|a| a.as_str().into()),
                    })
                })
                .collect(),
        })
        .collect())
}

#[utoipa::path(get, path = "/api/v1/competitions/{id}/ranking", tag = "competitions",
    params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = [ApiRanking]), (status = 403, description = "Not the jury or the Secretariat", body = ApiError)))]
pub async fn get_ranking(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> ApiResult {
    let found = competition(&state, &id).await.map_err(fail)?;
    let viewer = Viewer::of(&visitor, &found);
    if !viewer.sees_all_scores() {
        return Err(fail(AppError::Forbidden));
    }
    Ok(Json(ranking(&state, &found).await.map_err(fail)?).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct ApiAward {
    pub entry: i64,
    /// winner or laureate.
    pub award: String,
}

#[derive(Deserialize, ToSchema)]
pub struct ApiDecision {
    pub awards: Vec<ApiAward>,
    /// The decision's text (the protocol of the jury).
    pub decision: String,
}

#[utoipa::path(post, path = "/api/v1/competitions/{id}/decision", tag = "competitions",
    params(("id" = i64, Path)), request_body = ApiDecision, security(("bearer" = [])),
    responses((status = 204), (status = 403, description = "Not the jury's chair", body = ApiError),
        (status = 409, description = "Not in evaluation", body = ApiError), (status = 422, body = ApiError)))]
pub async fn decide(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Json(input): Json<ApiDecision>,
) -> ApiResult {
    let found = competition(&state, &id).await.map_err(fail)?;
    let awards = input
        .awards
        .iter()
        .map(|a| {
            Award::parse(&a.award)
                .map(|award| (a.entry, award))
                .ok_or_else(|| {
                    AppError::Unprocessable(format!(
                        "awards: {:?} is not winner or laureate",
                        a.award
                    ))
                })
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)?;
    record_decision(&state, &visitor, &found, &awards, &input.decision)
        .await
        .map_err(fail)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The jury chair's decision, for the API and the page.
pub(crate) async fn record_decision(
    state: &AppState,
    visitor: &Visitor,
    call: &Competition,
    awards: &[(i64, Award)],
    decision: &str,
) -> Result<(), AppError> {
    if !Viewer::of(visitor, call).jury_chair {
        return Err(AppError::Forbidden);
    }
    Ok(state
        .store
        .competitions()
        .decide(&visitor.actor(), call.id, awards, decision)
        .await?)
}

#[derive(Serialize, ToSchema)]
pub struct ApiPublished {
    /// The catalogue's new solutions.
    pub solutions: Vec<i64>,
}

#[utoipa::path(post, path = "/api/v1/competitions/{id}/publish", tag = "competitions",
    params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ApiPublished), (status = 403, body = ApiError),
        (status = 409, description = "Not decided yet", body = ApiError)))]
pub async fn publish(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> ApiResult {
    let found = competition(&state, &id).await.map_err(fail)?;
    let solutions = state
        .store
        .competitions()
        .publish(&visitor.actor(), found.id)
        .await
        .map_err(fail)?;
    Ok(Json(ApiPublished { solutions }).into_response())
}

/// An attachment of an entry.
#[derive(Serialize, ToSchema)]
pub struct ApiAttachment {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

/// Why an upload was not attached.
#[derive(Debug)]
pub(crate) enum AttachFailure {
    /// Nothing came in the field `file`.
    NoFile,
    /// The file itself: its kind, contents or size.
    File(AttachmentError),
    /// The write: another city's entry, the call not open, the entry withdrawn.
    Refused(AppError),
}

impl From<AttachFailure> for AppError {
    fn from(failure: AttachFailure) -> AppError {
        match failure {
            AttachFailure::NoFile => AppError::Unprocessable("file: no file was sent".into()),
            AttachFailure::File(e) => AppError::Unprocessable(format!("file: {e}")),
            AttachFailure::Refused(e) => e,
        }
    }
}

/// Checks an upload (its name and bytes; `None` when no file came) and attaches it to `found`
/// as `who`: the one way in for the API and the entry's page. The name loses the sender's
/// folders; the storage reads the city, stage and state rules in its write.
pub(crate) async fn attach_file(
    state: &AppState,
    who: &Person,
    found: &Entry,
    upload: Option<(String, Vec<u8>)>,
) -> Result<ApiAttachment, AttachFailure> {
    let (name, bytes) = upload.ok_or(AttachFailure::NoFile)?;
    let name = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .to_string();
    let content_type = check_attachment(&name, &bytes).map_err(AttachFailure::File)?;
    let size = bytes.len() as i64;
    let file = megapolis_domain::file::NewFile {
        name: name.clone(),
        content_type: content_type.into(),
        content: bytes,
    };
    let id = state
        .store
        .competitions()
        .attach(who, found.id, &file)
        .await
        .map_err(|e| AttachFailure::Refused(e.into()))?;
    Ok(ApiAttachment {
        id,
        name,
        content_type: content_type.into(),
        size,
    })
}

/// Attaches a file (multipart field `file`: PDF, PNG, JPEG, PPTX or ODP up to 20 MB, its
/// contents matching its kind) to an entry while the call is open.
#[utoipa::path(post, path = "/api/v1/entries/{id}/attachments", tag = "competitions",
    params(("id" = i64, Path)), security(("bearer" = [])),
    request_body(content_type = "multipart/form-data", description = "field `file`"),
    responses((status = 201, body = ApiAttachment),
        (status = 403, description = "Another city's entry", body = ApiError),
        (status = 409, description = "The call is not open, or the entry was withdrawn", body = ApiError),
        (status = 413, description = "Over 25 MB in all", body = ApiError),
        (status = 422, description = "A forbidden kind, contents that do not match it, an empty file or over 20 MB", body = ApiError)))]
pub async fn attach(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    mut multipart: axum::extract::Multipart,
) -> ApiResult {
    let found = entry(&state, &id).await.map_err(fail)?;
    let who = may_enter(&visitor).map_err(fail)?;
    let bad = |message: String| fail(AppError::Unprocessable(message));
    let mut upload = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| bad(format!("file: {}", e.body_text())))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_string();
            let bytes = field
                .bytes()
                .await
                .map_err(|e| bad(format!("file: {}", e.body_text())))?;
            upload = Some((name, bytes.to_vec()));
        }
    }
    let attached = attach_file(&state, who, &found, upload)
        .await
        .map_err(fail)?;
    Ok((StatusCode::CREATED, Json(attached)).into_response())
}

/// An entry's attached file, for who may see the entry's dossier; not found for the rest and
/// for a file that is not the entry's. The API's download and the entry page's.
pub(crate) async fn attached_file(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
    file: &str,
) -> Result<axum::response::Response, AppError> {
    let found = entry(state, id).await?;
    let call = competition(state, &found.competition_id.to_string()).await?;
    let file: i64 = file.trim().parse().map_err(|_| AppError::NotFound)?;
    let viewer = Viewer::of(visitor, &call);
    let open = viewer.sight(state, &found).await? == Sight::Dossier;
    let listed = state
        .store
        .competitions()
        .is_attachment(found.id, file)
        .await?;
    if !open || !listed {
        return Err(AppError::NotFound);
    }
    let stored = state
        .store
        .files()
        .get(file)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(crate::downloads::stored_file(stored))
}

/// An attachment, for who may see the entry's dossier (anyone once the entry is published).
#[utoipa::path(get, path = "/api/v1/entries/{id}/attachments/{file}", tag = "competitions",
    params(("id" = i64, Path), ("file" = i64, Path)),
    responses((status = 200, description = "The file"), (status = 404, body = ApiError)))]
pub async fn attachment(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, file)): Path<(String, String)>,
) -> ApiResult {
    attached_file(&state, &visitor, &id, &file)
        .await
        .map_err(fail)
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        create,
        list,
        get_one,
        step,
        assign,
        create_entry,
        entries,
        get_entry,
        update_entry,
        entry_step,
        declare,
        waive,
        score,
        get_ranking,
        decide,
        publish,
        attach,
        attachment
    ),
    components(schemas(
        ApiCompetition,
        ApiNomination,
        ApiCriterion,
        ApiEntry,
        ApiDossier,
        ApiCreated,
        ApiCompetitionInput,
        ApiCriterionInput,
        ApiStage,
        ApiExperts,
        ApiEntryInput,
        ApiEntryStep,
        ApiDeclaration,
        ApiWaiver,
        ApiScore,
        ApiScores,
        ApiStanding,
        ApiRanking,
        ApiAward,
        ApiDecision,
        ApiPublished,
        ApiAttachment
    ))
)]
pub(crate) struct Api;

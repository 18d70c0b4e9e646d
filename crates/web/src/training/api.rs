//! Training in the JSON API: programmes and cohorts (read by anyone, written by staff),
//! nominations (city representatives for their city within its quota, the Secretariat for any),
//! results and certificates (staff), and the public side of a certificate: its credential, its
//! status (the stored proof verified on every request) and the issuer's DID document.
use super::NOMINATORS;
use crate::api::{fail, ApiError, ApiFieldError, ApiResult};
use crate::auth::Visitor;
use crate::error::{json_error, AppError};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use megapolis_domain::{CityCode, Role};
use megapolis_storage::training::{
    CertificateRecord, CohortRecord, IssueCandidate, NewCertificate, NominationRecord,
    ProgrammeRecord,
};
use megapolis_storage::StorageError;
use megapolis_training::credential::{
    code_from_bytes, sign, unsigned_credential, valid_until_of, verify, CertificateContent, Status,
};
use megapolis_training::{
    Attendance, CohortInput, InvalidInput, NomineeInput, ProgrammeInput, Refusal,
};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use utoipa::ToSchema;

/// A refused field: 422 `invalid_fields` naming it.
pub(crate) fn invalid_input(e: &InvalidInput) -> Response {
    let body = ApiError {
        error: e.to_string(),
        status: 422,
        code: "invalid_fields".into(),
        fields: Some(vec![ApiFieldError {
            field: e.field.into(),
            error: e.message.into(),
        }]),
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// The competences of a programme are criteria of the published monitoring methodology: a
/// code it does not have is refused (any code is taken while nothing is published).
pub(crate) async fn check_competences(
    state: &AppState,
    programme: &megapolis_training::Programme,
) -> Result<Result<(), InvalidInput>, AppError> {
    let Some((_, criteria)) =
        crate::monitoring::public::published_criteria(state, megapolis_domain::Lang::En).await?
    else {
        return Ok(Ok(()));
    };
    let known = |code: &String| criteria.iter().any(|(c, _)| c == code);
    Ok(if programme.competences.iter().all(known) {
        Ok(())
    } else {
        Err(InvalidInput {
            field: "competences",
            message: "criteria of the published monitoring methodology",
        })
    })
}

/// A refused nomination: 403 for who may not, 409 for what the cohort's places forbid.
pub(crate) fn refused(refusal: &Refusal) -> Response {
    let status = if refusal.is_forbidden() {
        StatusCode::FORBIDDEN
    } else {
        StatusCode::CONFLICT
    };
    json_error(status, refusal.code(), &refusal.to_string())
}

fn storage_refusal(e: StorageError) -> Response {
    match e {
        StorageError::Nomination(refusal) => refused(&refusal),
        StorageError::NotFound(what)
            if what.starts_with("city") || what.starts_with("programme") =>
        {
            json_error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unknown_reference",
                &format!("{what} does not exist"),
            )
        }
        e => fail(e),
    }
}

/// A programme as the client sends it.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiProgrammeInput {
    title_ru: String,
    title_en: String,
    description: String,
    /// The partner (university) that runs it.
    partner: String,
    hours: u32,
    /// in-person (default) | online | mixed
    format: String,
    /// Certificates expire after so many years (retraining due); none: they do not.
    validity_years: Option<u32>,
    /// The completion rule: the least share (0–1) of sessions attended, with a passed
    /// assessment. Default 0.8.
    min_attendance: Option<f64>,
    /// What a participant can do afterwards.
    outcomes: Vec<String>,
    /// Codes of criteria of the published monitoring methodology that the programme builds.
    competences: Vec<String>,
    /// The courses (modules); their hours together no more than the programme's.
    courses: Vec<ApiCourse>,
}

/// A course (module) of a programme: a title in either language or both, and its hours.
#[derive(Serialize, ToSchema)]
pub struct ApiCourse {
    pub title_ru: String,
    pub title_en: String,
    pub hours: u32,
}

#[derive(Serialize, ToSchema)]
pub struct ApiProgramme {
    pub id: i64,
    pub title_ru: String,
    pub title_en: String,
    pub description: String,
    pub partner: String,
    pub hours: u32,
    pub format: String,
    pub validity_years: Option<u32>,
    pub min_attendance: f64,
    pub outcomes: Vec<String>,
    pub competences: Vec<String>,
    pub courses: Vec<ApiCourse>,
}

impl From<ProgrammeRecord> for ApiProgramme {
    fn from(r: ProgrammeRecord) -> Self {
        let p = r.programme;
        ApiProgramme {
            id: r.id,
            title_ru: p.title_ru,
            title_en: p.title_en,
            description: p.description,
            partner: p.partner,
            hours: p.hours,
            format: p.format.as_str().into(),
            validity_years: p.validity_years,
            min_attendance: p.rule.min_attendance,
            outcomes: p.outcomes,
            competences: p.competences,
            courses: p
                .courses
                .into_iter()
                .map(|c| ApiCourse {
                    title_ru: c.title_ru,
                    title_en: c.title_en,
                    hours: c.hours,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiCreated {
    pub id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ApiProgrammes {
    pub programmes: Vec<ApiProgramme>,
}

/// A cohort as the client sends it: dates YYYY-MM-DD, quotas by city code.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiCohortInput {
    programme_id: i64,
    title: String,
    starts_on: String,
    ends_on: String,
    place: String,
    /// Who teaches the cohort.
    teachers: String,
    /// E-mails of the teachers' accounts: they mark the register and the results.
    teacher_accounts: Vec<String>,
    capacity: u32,
    applications_open: String,
    applications_close: String,
    /// Places per city code; together no more than the capacity.
    quotas: BTreeMap<String, u32>,
}

/// A city's places in a cohort.
#[derive(Serialize, ToSchema)]
pub struct ApiQuota {
    pub places: u32,
    pub used: u32,
    pub remaining: u32,
}

#[derive(Serialize, ToSchema)]
pub struct ApiCohort {
    pub id: i64,
    pub programme_id: i64,
    pub programme_title_ru: String,
    pub programme_title_en: String,
    pub title: String,
    pub starts_on: String,
    pub ends_on: String,
    pub place: String,
    pub teachers: String,
    pub capacity: u32,
    pub applications_open: String,
    pub applications_close: String,
    pub quotas: BTreeMap<String, ApiQuota>,
}

impl From<&CohortRecord> for ApiCohort {
    fn from(r: &CohortRecord) -> Self {
        let c = &r.cohort;
        ApiCohort {
            id: r.id,
            programme_id: c.programme_id,
            programme_title_ru: r.programme_title_ru.clone(),
            programme_title_en: r.programme_title_en.clone(),
            title: c.title.clone(),
            starts_on: c.starts_on.to_string(),
            ends_on: c.ends_on.to_string(),
            place: c.place.clone(),
            teachers: c.teachers.clone(),
            capacity: c.capacity,
            applications_open: c.window.opens.to_string(),
            applications_close: c.window.closes.to_string(),
            quotas: c
                .quotas
                .iter()
                .map(|(city, places)| {
                    let used = r.used_by(city);
                    (
                        city.as_str().to_string(),
                        ApiQuota {
                            places: *places,
                            used,
                            remaining: places.saturating_sub(used),
                        },
                    )
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiCohorts {
    pub cohorts: Vec<ApiCohort>,
}

/// A staff member nominated by their city.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiNomineeInput {
    name: String,
    position: String,
    department: String,
    email: String,
    /// The nominating city's code: a city representative may leave it out (their own); the
    /// Secretariat names it.
    city: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiNomination {
    pub id: i64,
    pub cohort_id: i64,
    pub city: String,
    pub name: String,
    pub position: String,
    pub department: String,
    pub email: String,
    /// nominated | confirmed | waitlisted | declined | withdrawn | moved | completed | failed
    pub state: String,
    /// Why it was declined, withdrawn or moved.
    pub reason: Option<String>,
    /// The nomination it became in another cohort.
    pub moved_to: Option<i64>,
    pub attendance: Option<f64>,
    pub assessment_passed: Option<bool>,
    /// The certificate's verification code, once issued.
    pub certificate: Option<String>,
}

impl From<NominationRecord> for ApiNomination {
    fn from(n: NominationRecord) -> Self {
        ApiNomination {
            id: n.id,
            cohort_id: n.cohort_id,
            city: n.city,
            name: n.name,
            position: n.position,
            department: n.department,
            email: n.email,
            state: n.state,
            reason: n.reason,
            moved_to: n.moved_to,
            attendance: n.attendance,
            assessment_passed: n.assessment_passed,
            certificate: n.certificate,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiNominations {
    pub nominations: Vec<ApiNomination>,
}

/// The results of a participant: the share of sessions attended (0–1) and the assessment.
#[derive(Deserialize, ToSchema)]
pub struct ApiResultInput {
    /// The share of sessions attended, 0–1; left out: counted from the register of the
    /// cohort's sessions.
    #[serde(default)]
    pub attendance: Option<f64>,
    pub assessment_passed: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ApiOutcome {
    pub id: i64,
    /// completed | failed, by the programme's completion rule.
    pub state: String,
}

#[derive(Serialize, ToSchema)]
pub struct ApiIssueQueued {
    /// The job that issues them.
    pub job: i64,
}

/// A certificate's standing, its proof checked now.
#[derive(Serialize, ToSchema)]
pub struct ApiStatus {
    pub code: String,
    /// valid | expired | revoked | invalid (the stored credential no longer verifies)
    pub status: String,
    /// The revocation's reason.
    pub reason: Option<String>,
    /// The proof verifies with the association's key.
    pub verified: bool,
    pub issued_at: String,
    pub valid_until: Option<String>,
    pub revoked_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiCertificate {
    pub code: String,
    pub status: String,
    pub reason: Option<String>,
    pub recipient: String,
    pub city: String,
    pub cohort_id: i64,
    pub issued_at: String,
    pub valid_until: Option<String>,
    pub revoked_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiCertificates {
    pub certificates: Vec<ApiCertificate>,
}

#[derive(Deserialize, ToSchema)]
pub struct ApiRevokeInput {
    pub reason: String,
}

/// What verification found of a stored certificate.
pub(crate) struct Assessed {
    pub status: Status,
    pub verified: bool,
    pub credential: Option<serde_json::Value>,
}

/// Verifies the stored credential (its proof, and that the association's key made it) and
/// derives the status at `now`.
pub(crate) fn assess(
    state: &AppState,
    record: &CertificateRecord,
    now: OffsetDateTime,
) -> Assessed {
    let credential: Option<serde_json::Value> = serde_json::from_str(&record.credential).ok();
    let verified = credential
        .as_ref()
        .and_then(|c| verify(c).ok())
        .is_some_and(|did| did == state.issuer.did);
    let valid_until = credential.as_ref().and_then(valid_until_of);
    Assessed {
        status: Status::of(verified, record.revoked_at.is_some(), valid_until, now),
        verified,
        credential,
    }
}

fn certificate_of(state: &AppState, r: CertificateRecord, now: OffsetDateTime) -> ApiCertificate {
    let assessed = assess(state, &r, now);
    ApiCertificate {
        status: assessed.status.as_str().into(),
        code: r.code,
        reason: r.revoked_reason,
        recipient: r.recipient_name,
        city: r.city,
        cohort_id: r.cohort_id,
        issued_at: r.issued_at,
        valid_until: r.valid_until,
        revoked_at: r.revoked_at,
    }
}

async fn found_certificate(state: &AppState, code: &str) -> Result<CertificateRecord, Response> {
    state
        .store
        .training()
        // Codes are read from paper: any case.
        .certificate(&code.trim().to_uppercase())
        .await
        .map_err(fail)?
        .ok_or_else(|| {
            json_error(
                StatusCode::NOT_FOUND,
                "not_found",
                "no certificate has this code",
            )
        })
}

async fn found_cohort(state: &AppState, id: i64) -> Result<CohortRecord, Response> {
    state
        .store
        .training()
        .cohort(id)
        .await
        .map_err(fail)?
        .ok_or_else(|| json_error(StatusCode::NOT_FOUND, "not_found", "no such cohort"))
}

#[utoipa::path(get, path = "/api/v1/training/programmes", tag = "training",
    responses((status = 200, body = ApiProgrammes)))]
pub async fn programmes(State(state): State<AppState>) -> ApiResult {
    let list = state.store.training().programmes().await.map_err(fail)?;
    Ok(Json(ApiProgrammes {
        programmes: list.into_iter().map(ApiProgramme::from).collect(),
    })
    .into_response())
}

#[utoipa::path(post, path = "/api/v1/training/programmes", tag = "training",
    request_body = ApiProgrammeInput,
    responses((status = 201, body = ApiCreated), (status = 422, body = ApiError)),
    security(("bearer" = [])))]
pub async fn create_programme(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Json(input): Json<ProgrammeInput>,
) -> ApiResult {
    let programme = input.parse().map_err(|e| invalid_input(&e))?;
    check_competences(&state, &programme)
        .await
        .map_err(fail)?
        .map_err(|e| invalid_input(&e))?;
    let id = state
        .store
        .training()
        .create_programme(&visitor.actor(), &programme)
        .await
        .map_err(fail)?;
    Ok((StatusCode::CREATED, Json(ApiCreated { id })).into_response())
}

#[utoipa::path(get, path = "/api/v1/training/cohorts", tag = "training",
    responses((status = 200, body = ApiCohorts)))]
pub async fn cohorts(State(state): State<AppState>) -> ApiResult {
    let list = state.store.training().cohorts().await.map_err(fail)?;
    Ok(Json(ApiCohorts {
        cohorts: list.iter().map(ApiCohort::from).collect(),
    })
    .into_response())
}

#[utoipa::path(post, path = "/api/v1/training/cohorts", tag = "training",
    request_body = ApiCohortInput,
    responses((status = 201, body = ApiCreated), (status = 422, body = ApiError)),
    security(("bearer" = [])))]
pub async fn create_cohort(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Json(input): Json<CohortInput>,
) -> ApiResult {
    let cohort = input.parse().map_err(|e| invalid_input(&e))?;
    let id = state
        .store
        .training()
        .create_cohort(&visitor.actor(), &cohort)
        .await
        .map_err(storage_refusal)?;
    Ok((StatusCode::CREATED, Json(ApiCreated { id })).into_response())
}

#[utoipa::path(get, path = "/api/v1/training/cohorts/{id}", tag = "training",
    params(("id" = i64, Path)),
    responses((status = 200, body = ApiCohort), (status = 404, body = ApiError)))]
pub async fn cohort(State(state): State<AppState>, Path(id): Path<i64>) -> ApiResult {
    let record = found_cohort(&state, id).await?;
    Ok(Json(ApiCohort::from(&record)).into_response())
}

/// The city whose nominations a visitor may read: a representative only their own; staff all
/// (`None`).
pub(crate) fn readable_city(visitor: &Visitor) -> Result<Option<CityCode>, ()> {
    match visitor.person.as_ref() {
        Some(p) if p.role == Role::CityRep => p.city.clone().map(Some).ok_or(()),
        Some(_) if visitor.is_staff() => Ok(None),
        _ => Err(()),
    }
}

#[utoipa::path(get, path = "/api/v1/training/cohorts/{id}/nominations", tag = "training",
    params(("id" = i64, Path)),
    responses((status = 200, description = "Staff: every city's; a city representative: their city's", body = ApiNominations),
        (status = 403, body = ApiError), (status = 404, body = ApiError)),
    security(("bearer" = [])))]
pub async fn nominations(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
) -> ApiResult {
    debug_assert!(NOMINATORS.allows(visitor.role()));
    let city = readable_city(&visitor)
        .map_err(|()| json_error(StatusCode::FORBIDDEN, "forbidden", "no city to read"))?;
    found_cohort(&state, id).await?;
    let list = state
        .store
        .training()
        .nominations(id, city.as_ref())
        .await
        .map_err(fail)?;
    Ok(Json(ApiNominations {
        nominations: list.into_iter().map(ApiNomination::from).collect(),
    })
    .into_response())
}

/// Nominates through the store; shared by the API and the page.
pub(crate) async fn nominate_input(
    state: &AppState,
    visitor: &Visitor,
    cohort_id: i64,
    input: &NomineeInput,
) -> Result<i64, Response> {
    let person = visitor
        .person
        .as_ref()
        .ok_or_else(|| refused(&Refusal::NotNominator))?;
    let nominee = input.parse().map_err(|e| invalid_input(&e))?;
    let city = match input
        .city
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(code) => Some(CityCode::parse(code).map_err(|_| {
            invalid_input(&InvalidInput {
                field: "city",
                message: "a city code",
            })
        })?),
    };
    found_cohort(state, cohort_id).await?;
    state
        .store
        .training()
        .nominate(
            person,
            cohort_id,
            city.as_ref(),
            &nominee,
            crate::state::today(),
        )
        .await
        .map_err(storage_refusal)
}

#[utoipa::path(post, path = "/api/v1/training/cohorts/{id}/nominations", tag = "training",
    params(("id" = i64, Path)), request_body = ApiNomineeInput,
    responses((status = 201, body = ApiCreated),
        (status = 403, description = "not_your_city: another city's staff", body = ApiError),
        (status = 409, description = "quota_used, no_quota, cohort_full, outside_window, duplicate_nominee; nothing saved", body = ApiError),
        (status = 422, body = ApiError)),
    security(("bearer" = [])))]
pub async fn nominate(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Json(input): Json<NomineeInput>,
) -> ApiResult {
    let id = nominate_input(&state, &visitor, id, &input).await?;
    Ok((StatusCode::CREATED, Json(ApiCreated { id })).into_response())
}

/// Records a participant's results; shared by the API and the page.
pub(crate) async fn record_result(
    state: &AppState,
    visitor: &Visitor,
    nomination_id: i64,
    attendance: Option<f64>,
    assessment_passed: bool,
) -> Result<&'static str, Response> {
    let attendance = attendance
        .map(Attendance::parse)
        .transpose()
        .map_err(|e| invalid_input(&e))?;
    state
        .store
        .training()
        .record_result(
            &visitor.actor(),
            nomination_id,
            attendance,
            assessment_passed,
        )
        .await
        .map(|outcome| outcome.as_str())
        .map_err(fail)
}

#[utoipa::path(post, path = "/api/v1/training/nominations/{id}/complete", tag = "training",
    params(("id" = i64, Path)), request_body = ApiResultInput,
    responses((status = 200, body = ApiOutcome), (status = 404, body = ApiError),
        (status = 409, description = "a certificate was already issued", body = ApiError),
        (status = 422, body = ApiError)),
    security(("bearer" = [])))]
pub async fn complete(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Json(input): Json<ApiResultInput>,
) -> ApiResult {
    super::nominations::ensure_marker(&state, &visitor, id, false)
        .await
        .map_err(fail)?;
    let outcome = record_result(
        &state,
        &visitor,
        id,
        input.attendance,
        input.assessment_passed,
    )
    .await?;
    Ok(Json(ApiOutcome {
        id,
        state: outcome.into(),
    })
    .into_response())
}

fn moment(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// Builds and signs the certificate of one completed participant.
fn make_certificate(
    state: &AppState,
    issuer_name: &str,
    candidate: &IssueCandidate,
    now: OffsetDateTime,
) -> Result<NewCertificate, String> {
    let mut bytes = [0u8; 10];
    OsRng.fill_bytes(&mut bytes);
    let code = code_from_bytes(&bytes);
    let programme = &candidate.programme;
    let now = now.replace_nanosecond(0).unwrap_or(now);
    let valid_until = programme.validity_years.map(|years| {
        let year = now.year() + i32::try_from(years).unwrap_or(100);
        // 29 February has no twin in most years: the day before it then.
        now.replace_year(year)
            .or_else(|_| (now - time::Duration::days(1)).replace_year(year))
            .unwrap_or(now)
    });
    let content = CertificateContent {
        code: code.clone(),
        recipient_name: candidate.recipient_name.clone(),
        achievement_id: state
            .absolute_url(&format!("/training#programme-{}", candidate.programme_id)),
        achievement_name: if programme.title_ru == programme.title_en {
            programme.title_en.clone()
        } else {
            format!("{} / {}", programme.title_ru, programme.title_en)
        },
        achievement_description: programme.description.clone(),
        hours: programme.hours,
        partner: programme.partner.clone(),
        cohort_title: candidate.cohort_title.clone(),
        activity_start: candidate.starts_on.midnight().assume_utc(),
        activity_end: candidate.ends_on.midnight().assume_utc(),
        issuer_name: issuer_name.to_string(),
        issuer_url: state.absolute_url("/"),
        credential_url: state.absolute_url(&format!("/api/v1/certificates/{code}")),
        issued_at: now,
        valid_until,
    };
    let credential = sign(
        &unsigned_credential(&content, &state.issuer.did),
        state.issuer.seed(),
        now,
    )
    .map_err(|e| e.to_string())?;
    Ok(NewCertificate {
        code,
        credential,
        issued_at: moment(now),
        valid_until: valid_until.map(moment),
    })
}

/// Queues the issuing of the cohort's certificates as a `training-certificates` job; shared by
/// the API and the page. An unknown cohort is refused now, not in the job.
pub(crate) async fn queue_issue(
    state: &AppState,
    visitor: &Visitor,
    cohort_id: i64,
) -> Result<i64, AppError> {
    if state.store.training().cohort(cohort_id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    super::job::enqueue(&state.store, cohort_id, &visitor.actor())
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!(e)))
}

/// Issues the certificates of at most `limit` of the cohort's completed participants without
/// one, in one transaction, as of `now` (the demo back-dates its finished cohorts').
pub(crate) async fn issue_at(
    state: &AppState,
    actor: &str,
    cohort_id: i64,
    now: OffsetDateTime,
    limit: usize,
) -> Result<Vec<String>, AppError> {
    if state.store.training().cohort(cohort_id).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let issuer_name = issuer_name(state).await?;
    Ok(state
        .store
        .training()
        .issue_certificates_batch(actor, cohort_id, limit, |candidate| {
            make_certificate(state, &issuer_name, candidate, now)
        })
        .await?)
}

/// The issuer's name on a certificate: the association's, in both languages.
async fn issuer_name(state: &AppState) -> Result<String, AppError> {
    Ok(match state.store.org().association().await? {
        Some(a) => format!("{} / {}", a.name_ru, a.name_en),
        None => "Megapolis".to_string(),
    })
}

/// Issues one participant's certificate now; shared by the API and the page.
pub(crate) async fn issue_one(
    state: &AppState,
    visitor: &Visitor,
    nomination_id: i64,
) -> Result<String, AppError> {
    let issuer_name = issuer_name(state).await?;
    let now = OffsetDateTime::now_utc();
    Ok(state
        .store
        .training()
        .issue_one(&visitor.actor(), nomination_id, |candidate| {
            make_certificate(state, &issuer_name, candidate, now)
        })
        .await?)
}

/// The certificate issued to one participant.
#[derive(Serialize, ToSchema)]
pub struct ApiIssuedOne {
    /// Its verification code.
    pub code: String,
}

#[utoipa::path(post, path = "/api/v1/training/nominations/{id}/certificate", tag = "training",
    params(("id" = i64, Path)),
    responses((status = 201, description = "Issued now, signed", body = ApiIssuedOne),
        (status = 404, body = ApiError),
        (status = 409, description = "The participant did not complete, or has a certificate already", body = ApiError)),
    security(("bearer" = [])))]
pub async fn issue_for_one(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
) -> ApiResult {
    let code = issue_one(&state, &visitor, id).await.map_err(fail)?;
    Ok((StatusCode::CREATED, Json(ApiIssuedOne { code })).into_response())
}

#[utoipa::path(post, path = "/api/v1/training/cohorts/{id}/certificates", tag = "training",
    params(("id" = i64, Path)),
    responses((status = 202, description = "A `training-certificates` job issues a certificate to every completed participant without one; follow it at /api/v1/jobs/{job} (its result: `issued`, how many)", body = ApiIssueQueued),
        (status = 404, body = ApiError)),
    security(("bearer" = [])))]
pub async fn issue(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
) -> ApiResult {
    let job = queue_issue(&state, &visitor, id).await.map_err(fail)?;
    Ok((StatusCode::ACCEPTED, Json(ApiIssueQueued { job })).into_response())
}

#[utoipa::path(get, path = "/api/v1/certificates", tag = "training",
    responses((status = 200, body = ApiCertificates)),
    security(("bearer" = [])))]
pub async fn certificates(State(state): State<AppState>) -> ApiResult {
    let now = OffsetDateTime::now_utc();
    let list = state.store.training().certificates().await.map_err(fail)?;
    Ok(Json(ApiCertificates {
        certificates: list
            .into_iter()
            .map(|r| certificate_of(&state, r, now))
            .collect(),
    })
    .into_response())
}

#[utoipa::path(get, path = "/api/v1/certificates/{code}", tag = "training",
    params(("code" = String, Path, description = "the verification code")),
    responses((status = 200, description = "The signed Open Badges 3.0 credential (eddsa-jcs-2022), as issued", content_type = "application/json"),
        (status = 404, body = ApiError)))]
pub async fn credential(State(state): State<AppState>, Path(code): Path<String>) -> ApiResult {
    let record = found_certificate(&state, &code).await?;
    // The stored text exactly as signed, not re-serialised.
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        record.credential,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/certificates/{code}/status", tag = "training",
    params(("code" = String, Path, description = "the verification code")),
    responses((status = 200, body = ApiStatus), (status = 404, body = ApiError)))]
pub async fn status(State(state): State<AppState>, Path(code): Path<String>) -> ApiResult {
    let record = found_certificate(&state, &code).await?;
    let assessed = assess(&state, &record, OffsetDateTime::now_utc());
    Ok(Json(ApiStatus {
        code: record.code,
        status: assessed.status.as_str().into(),
        reason: record.revoked_reason,
        verified: assessed.verified,
        issued_at: record.issued_at,
        valid_until: record.valid_until,
        revoked_at: record.revoked_at,
    })
    .into_response())
}

#[utoipa::path(post, path = "/api/v1/certificates/{code}/revoke", tag = "training",
    params(("code" = String, Path)), request_body = ApiRevokeInput,
    responses((status = 200, body = ApiStatus), (status = 404, body = ApiError),
        (status = 409, description = "already revoked", body = ApiError), (status = 422, body = ApiError)),
    security(("bearer" = [])))]
pub async fn revoke(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(code): Path<String>,
    Json(input): Json<ApiRevokeInput>,
) -> ApiResult {
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(invalid_input(&InvalidInput {
            field: "reason",
            message: "required",
        }));
    }
    state
        .store
        .training()
        .revoke(&visitor.actor(), &code.trim().to_uppercase(), reason)
        .await
        .map_err(fail)?;
    status(State(state), Path(code)).await
}

/// The issuer's DID document: the association's public key, for checking credentials offline.
#[derive(Serialize, ToSchema)]
pub struct ApiIssuer {
    /// did:key:z6Mk…
    pub id: String,
    #[serde(rename = "verificationMethod")]
    pub verification_method: Vec<ApiVerificationMethod>,
    #[serde(rename = "assertionMethod")]
    pub assertion_method: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiVerificationMethod {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub controller: String,
    /// The Ed25519 public key, multibase base58btc with the ed25519-pub multicodec prefix.
    #[serde(rename = "publicKeyMultibase")]
    pub public_key_multibase: String,
}

#[utoipa::path(get, path = "/api/v1/training/issuer", tag = "training",
    responses((status = 200, description = "The association's DID document (did:key, Ed25519)", body = ApiIssuer)))]
pub async fn issuer(State(state): State<AppState>) -> ApiResult {
    let did = state.issuer.did.clone();
    let method = megapolis_training::credential::verification_method(&did);
    let key = did.trim_start_matches("did:key:").to_string();
    Ok(Json(ApiIssuer {
        id: did.clone(),
        verification_method: vec![ApiVerificationMethod {
            id: method.clone(),
            kind: "Multikey".into(),
            controller: did,
            public_key_multibase: key,
        }],
        assertion_method: vec![method],
    })
    .into_response())
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        programmes,
        create_programme,
        cohorts,
        create_cohort,
        cohort,
        nominations,
        nominate,
        complete,
        issue,
        issue_for_one,
        issuer,
        certificates,
        credential,
        status,
        revoke
    ),
    components(schemas(
        ApiProgrammeInput,
        ApiCourse,
        ApiProgramme,
        ApiProgrammes,
        ApiCreated,
        ApiCohortInput,
        ApiQuota,
        ApiCohort,
        ApiCohorts,
        ApiNomineeInput,
        ApiNomination,
        ApiNominations,
        ApiResultInput,
        ApiOutcome,
        ApiIssueQueued,
        ApiIssuedOne,
        ApiStatus,
        ApiCertificate,
        ApiCertificates,
        ApiRevokeInput,
        ApiIssuer,
        ApiVerificationMethod
    ))
)]
pub(crate) struct Api;

pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut document = <Api as utoipa::OpenApi>::openapi();
    document.merge(<super::reports::Api as utoipa::OpenApi>::openapi());
    document
}

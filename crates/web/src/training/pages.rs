//! Training on the portal: the programmes and cohorts; a cohort's page (the quotas for all, the
//! nomination form and their own nominees for a city representative, every participant with
//! the results form and the issuing button for staff); and a certificate's public verification
//! page with its QR code.
use super::api::{assess, readable_city};
use crate::auth::Visitor;
use crate::error::AppError;
use crate::forms::CsrfForm;
use crate::render::{render, see_other, with_done, PageResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Extension;
use megapolis_domain::field::number_as_written;
use megapolis_domain::{CityCode, Role};
use megapolis_storage::training::CohortRecord;
use megapolis_storage::StorageError;
use megapolis_training::{
    parse_courses, parse_quotas, Attendance, CohortInput, InvalidInput, NomineeInput,
    ProgrammeInput,
};
use minijinja::context;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

#[derive(Serialize)]
struct QuotaView {
    city: String,
    places: u32,
    used: u32,
    remaining: u32,
}

#[derive(Serialize)]
struct CohortView {
    id: i64,
    programme_id: i64,
    programme: String,
    title: String,
    starts_on: String,
    ends_on: String,
    place: String,
    teachers: String,
    capacity: u32,
    opens: String,
    closes: String,
    open: bool,
    quotas: Vec<QuotaView>,
}

fn cohort_view(r: &CohortRecord, visitor: &Visitor) -> CohortView {
    let c = &r.cohort;
    CohortView {
        id: r.id,
        programme_id: c.programme_id,
        programme: visitor
            .lang
            .pick(&r.programme_title_ru, &r.programme_title_en)
            .to_string(),
        title: c.title.clone(),
        starts_on: c.starts_on.to_string(),
        ends_on: c.ends_on.to_string(),
        place: c.place.clone(),
        teachers: c.teachers.clone(),
        capacity: c.capacity,
        opens: c.window.opens.to_string(),
        closes: c.window.closes.to_string(),
        open: c.window.contains(crate::state::today()),
        quotas: c
            .quotas
            .iter()
            .map(|(city, places)| QuotaView {
                city: city.as_str().to_string(),
                places: *places,
                used: r.used_by(city),
                remaining: places.saturating_sub(r.used_by(city)),
            })
            .collect(),
    }
}

/// The staff forms of /training as typed, to show again with their problem.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ProgrammeForm {
    title_ru: String,
    title_en: String,
    description: String,
    partner: String,
    hours: String,
    format: String,
    validity_years: String,
    min_attendance: String,
    /// One outcome a line.
    outcomes: String,
    /// Criterion codes, separated by commas or spaces.
    competences: String,
    /// One course a line: `title RU | title EN | hours`.
    courses: String,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct CohortForm {
    programme_id: String,
    title: String,
    starts_on: String,
    ends_on: String,
    place: String,
    teachers: String,
    /// E-mails of teachers with an account, separated by commas.
    teacher_accounts: String,
    capacity: String,
    applications_open: String,
    applications_close: String,
    quotas: String,
}

fn invalid(field: &'static str) -> InvalidInput {
    InvalidInput {
        field,
        message: "invalid",
    }
}

impl ProgrammeForm {
    fn input(&self) -> Result<ProgrammeInput, InvalidInput> {
        let number = |field: &'static str, raw: &str| -> Result<Option<u32>, InvalidInput> {
            let raw = raw.trim();
            if raw.is_empty() {
                return Ok(None);
            }
            number_as_written::<u32>(raw)
                .map(Some)
                .ok_or(invalid(field))
        };
        let min_attendance = match self.min_attendance.trim() {
            "" => None,
            raw => Some(number_as_written::<f64>(raw).ok_or(invalid("min_attendance"))? / 100.0),
        };
        Ok(ProgrammeInput {
            title_ru: self.title_ru.clone(),
            title_en: self.title_en.clone(),
            description: self.description.clone(),
            partner: self.partner.clone(),
            hours: number("hours", &self.hours)?.unwrap_or(0),
            format: self.format.clone(),
            validity_years: number("validity_years", &self.validity_years)?,
            min_attendance,
            outcomes: self.outcomes.lines().map(str::to_string).collect(),
            competences: self
                .competences
                .split([',', ' ', ';'])
                .map(str::to_string)
                .collect(),
            courses: parse_courses(&self.courses)?,
        })
    }
}

impl CohortForm {
    fn input(&self) -> Result<CohortInput, InvalidInput> {
        Ok(CohortInput {
            programme_id: self
                .programme_id
                .trim()
                .parse()
                .map_err(|_| invalid("programme_id"))?,
            title: self.title.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            place: self.place.clone(),
            teachers: self.teachers.clone(),
            teacher_accounts: self
                .teacher_accounts
                .split([',', ' ', ';'])
                .map(str::to_string)
                .collect(),
            capacity: number_as_written::<u32>(self.capacity.trim()).ok_or(invalid("capacity"))?,
            applications_open: self.applications_open.clone(),
            applications_close: self.applications_close.clone(),
            quotas: parse_quotas(&self.quotas)?,
        })
    }
}

async fn index_page(
    state: &AppState,
    visitor: &Visitor,
    programme_form: ProgrammeForm,
    cohort_form: CohortForm,
    problem: Option<String>,
) -> PageResult {
    let training = state.store.training();
    let programmes = training.programmes().await?;
    let cohorts: Vec<CohortView> = training
        .cohorts()
        .await?
        .iter()
        .map(|c| cohort_view(c, visitor))
        .collect();
    // Competences link to the criteria of the published methodology, named in the reader's
    // language.
    let criteria = crate::monitoring::public::published_criteria(state, visitor.lang).await?;
    let competence = |code: &String| match &criteria {
        Some((edition, names)) => context! {
            code => code,
            name => names.iter().find(|(c, _)| c == code).map_or(code.as_str(), |(_, n)| n.as_str()),
            link => format!("/monitoring/editions/{edition}/methodology"),
        },
        None => context! { code => code, name => code },
    };
    let programmes: Vec<_> = programmes
        .into_iter()
        .map(|p| {
            context! {
                outcomes => p.programme.outcomes,
                competences => p.programme.competences.iter().map(competence).collect::<Vec<_>>(),
                courses => p.programme.courses.iter().map(|c| context! {
                    title => visitor.lang.pick(&c.title_ru, &c.title_en),
                    hours => c.hours,
                }).collect::<Vec<_>>(),
                id => p.id,
                title => visitor.lang.pick(&p.programme.title_ru, &p.programme.title_en),
                description => p.programme.description,
                partner => p.programme.partner,
                hours => p.programme.hours,
                format => p.programme.format.as_str(),
                validity_years => p.programme.validity_years,
                min_attendance => (p.programme.rule.min_attendance * 100.0).round() as i64,
            }
        })
        .collect();
    let cities = crate::org::pages::cities_by_code(state).await?;
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let html = render(
        state,
        visitor,
        "training.html",
        context! {
            programmes => programmes, cohorts => cohorts, cities => cities,
            programme_form => programme_form, cohort_form => cohort_form, problem => problem,
            formats => ["in-person", "online", "mixed"],
        },
    )
    .await;
    Ok((status, html).into_response())
}

pub async fn index(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    index_page(
        &state,
        &visitor,
        ProgrammeForm::default(),
        CohortForm::default(),
        None,
    )
    .await
}

pub async fn create_programme(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(form): CsrfForm<ProgrammeForm>,
) -> PageResult {
    let checked = match form.input().and_then(|input| input.parse()) {
        Ok(programme) => super::api::check_competences(&state, &programme)
            .await?
            .map(|()| programme),
        Err(e) => Err(e),
    };
    match checked {
        Ok(programme) => {
            let id = state
                .store
                .training()
                .create_programme(&visitor.actor(), &programme)
                .await?;
            Ok(see_other(&with_done(
                &format!("/training#programme-{id}"),
                "created",
            )))
        }
        Err(e) => {
            let problem = format!("training-invalid-{}", e.field);
            index_page(&state, &visitor, form, CohortForm::default(), Some(problem)).await
        }
    }
}

pub async fn create_cohort(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(form): CsrfForm<CohortForm>,
) -> PageResult {
    let problem = match form.input().and_then(|input| input.parse()) {
        Ok(cohort) => {
            match state
                .store
                .training()
                .create_cohort(&visitor.actor(), &cohort)
                .await
            {
                Ok(id) => {
                    return Ok(see_other(&with_done(
                        &format!("/training/cohorts/{id}"),
                        "created",
                    )))
                }
                Err(StorageError::NotFound(what)) if what.starts_with("city") => {
                    "training-invalid-quotas".to_string()
                }
                Err(StorageError::NotFound(what)) if what.starts_with("programme") => {
                    "training-invalid-programme_id".to_string()
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(e) => format!("training-invalid-{}", e.field),
    };
    index_page(
        &state,
        &visitor,
        ProgrammeForm::default(),
        form,
        Some(problem),
    )
    .await
}

/// The nomination form as typed, to show again with its problem.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct NomineeForm {
    name: String,
    position: String,
    department: String,
    email: String,
    city: String,
}

impl NomineeForm {
    fn input(&self) -> NomineeInput {
        NomineeInput {
            name: self.name.clone(),
            position: self.position.clone(),
            department: self.department.clone(),
            email: self.email.clone(),
            city: Some(self.city.clone()).filter(|c| !c.trim().is_empty()),
        }
    }
}

async fn cohort_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    form: NomineeForm,
    problem: Option<String>,
    status: StatusCode,
) -> PageResult {
    let record = state
        .store
        .training()
        .cohort(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let view = cohort_view(&record, visitor);
    // A representative sees their own city's nominees, staff everyone's, others no one's.
    let teaches = match &visitor.person {
        Some(person) => state.store.training().teaches(person.id, id).await?,
        None => false,
    };
    // A teacher of the cohort reads every participant, as the staff do.
    let city = if teaches {
        Some(None)
    } else {
        readable_city(visitor).ok()
    };
    let nominations = match &city {
        Some(city) => {
            state
                .store
                .training()
                .nominations(id, city.as_ref())
                .await?
        }
        None => Vec::new(),
    };
    let my_city = visitor
        .person
        .as_ref()
        .filter(|p| p.role == Role::CityRep)
        .and_then(|p| p.city.clone());
    let remaining = my_city
        .as_ref()
        .map(|c| megapolis_training::remaining(&record.cohort, c, record.used_by(c)));
    let cities = crate::org::pages::cities_by_code(state).await?;
    // The staff's register and decisions: the sessions, each participant's share of them, and
    // the other cohorts of the programme a nominee can move to.
    let (sessions, others) = if visitor.is_staff() || teaches {
        let training = state.store.training();
        let others: Vec<_> = training
            .cohorts()
            .await?
            .into_iter()
            .filter(|c| c.id != id && c.cohort.programme_id == record.cohort.programme_id)
            .map(|c| context! { id => c.id, title => c.cohort.title })
            .collect();
        (training.sessions(id).await?, others)
    } else {
        (Vec::new(), Vec::new())
    };
    let nominations: Vec<_> = nominations
        .into_iter()
        .map(|n| {
            let state = megapolis_training::NominationState::parse(&n.state);
            context! {
                register => super::nominations::register_share(&sessions, n.id).map(|s| (s * 100.0).round() as i64),
                holds_place => state.is_some_and(|s| s.holds_place()),
                open => state.is_some_and(|s| s.is_open()),
                ..minijinja::Value::from_serialize(&n)
            }
        })
        .collect();
    let html = render(
        state,
        visitor,
        "cohort.html",
        context! {
            cohort => view,
            sessions => sessions.iter().map(|s| context! { id => s.id, day => s.day.to_string(), topic => s.topic, present => s.present }).collect::<Vec<_>>(),
            other_cohorts => if visitor.is_staff() { others } else { Vec::new() },
            teaches => teaches,
            decisions => ["confirm", "waitlist", "decline", "withdraw"],
            nominations => nominations,
            sees_nominations => city.is_some(),
            my_city => my_city.as_ref().map(CityCode::as_str),
            remaining => remaining,
            may_nominate => visitor.is_staff() || my_city.is_some(),
            form => form,
            problem => problem,
            cities => cities,
        },
    )
    .await;
    Ok((status, html).into_response())
}

pub async fn cohort(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
) -> PageResult {
    cohort_page(
        &state,
        &visitor,
        id,
        NomineeForm::default(),
        None,
        StatusCode::OK,
    )
    .await
}

pub async fn nominate(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<NomineeForm>,
) -> PageResult {
    let person = visitor.person.clone().ok_or(AppError::Forbidden)?;
    let input = form.input();
    let refused = |problem: String, status: StatusCode| (problem, status);
    let outcome = match input.parse() {
        Err(e) => Err(refused(
            format!("training-invalid-{}", e.field),
            StatusCode::UNPROCESSABLE_ENTITY,
        )),
        Ok(nominee) => {
            let city = match input.city.as_deref().map(CityCode::parse) {
                Some(Err(_)) => None,
                Some(Ok(code)) => Some(Some(code)),
                None => Some(None),
            };
            match city {
                None => Err(refused(
                    "training-invalid-city".into(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )),
                Some(city) => match state
                    .store
                    .training()
                    .nominate(&person, id, city.as_ref(), &nominee, crate::state::today())
                    .await
                {
                    Ok(_) => Ok(()),
                    Err(StorageError::Nomination(r)) => Err(refused(
                        format!("training-refused-{}", r.code()),
                        if r.is_forbidden() {
                            StatusCode::FORBIDDEN
                        } else {
                            StatusCode::CONFLICT
                        },
                    )),
                    Err(e) => return Err(e.into()),
                },
            }
        }
    };
    match outcome {
        Ok(()) => Ok(see_other(&with_done(
            &format!("/training/cohorts/{id}"),
            "created",
        ))),
        Err((problem, status)) => {
            cohort_page(&state, &visitor, id, form, Some(problem), status).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ResultForm {
    cohort: i64,
    /// Per cent of the sessions attended, 0–100.
    attendance: String,
    assessment_passed: Option<String>,
}

pub async fn complete(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ResultForm>,
) -> PageResult {
    super::nominations::ensure_marker(&state, &visitor, id, false).await?;
    // An empty field: attendance is counted from the register of the sessions.
    let typed = form.attendance.trim();
    let attendance = if typed.is_empty() {
        None
    } else {
        match number_as_written::<f64>(typed).and_then(|p| Attendance::parse(p / 100.0).ok()) {
            Some(attendance) => Some(attendance),
            None => {
                return cohort_page(
                    &state,
                    &visitor,
                    form.cohort,
                    NomineeForm::default(),
                    Some("training-invalid-attendance".into()),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
        }
    };
    state
        .store
        .training()
        .record_result(
            &visitor.actor(),
            id,
            attendance,
            form.assessment_passed.is_some(),
        )
        .await?;
    Ok(see_other(&with_done(
        &format!("/training/cohorts/{}#participants", form.cohort),
        "saved",
    )))
}

/// Issues one completed participant's certificate now and opens it.
pub async fn issue_one(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<serde_json::Map<String, serde_json::Value>>,
) -> PageResult {
    let code = super::api::issue_one(&state, &visitor, id).await?;
    Ok(see_other(&format!("/certificates/{code}")))
}

pub async fn issue(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<serde_json::Map<String, serde_json::Value>>,
) -> PageResult {
    let job = super::api::queue_issue(&state, &visitor, id).await?;
    Ok(see_other(&format!("/jobs#job-{job}")))
}

pub async fn certificate(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(code): Path<String>,
) -> PageResult {
    let code = code.trim().to_uppercase();
    let Some(record) = state.store.training().certificate(&code).await? else {
        // An unknown or mistyped code: a "not valid" page, not the site's 404.
        let html = render(
            &state,
            &visitor,
            "certificate.html",
            context! { code => code, found => false },
        )
        .await;
        return Ok((StatusCode::NOT_FOUND, html).into_response());
    };
    let assessed = assess(&state, &record, OffsetDateTime::now_utc());
    let credential = assessed.credential.unwrap_or_default();
    let subject = &credential["credentialSubject"];
    let page_url = super::document::verification_url(&state, &record.code);
    let html = render(
        &state,
        &visitor,
        "certificate.html",
        context! {
            found => true,
            code => record.code,
            status => assessed.status.as_str(),
            verified => assessed.verified,
            recipient => record.recipient_name,
            achievement => subject["achievement"]["name"].as_str(),
            description => subject["achievement"]["description"].as_str(),
            criteria => subject["achievement"]["criteria"]["narrative"].as_str(),
            issuer => credential["issuer"]["name"].as_str(),
            issuer_did => credential["issuer"]["id"].as_str(),
            activity_start => subject["activityStartDate"].as_str().map(|d| d.get(..10).unwrap_or(d).to_string()),
            activity_end => subject["activityEndDate"].as_str().map(|d| d.get(..10).unwrap_or(d).to_string()),
            issued_at => record.issued_at,
            valid_until => record.valid_until,
            revoked_at => record.revoked_at,
            reason => record.revoked_reason,
            page_url => page_url.clone(),
            qr => super::qr::svg(&page_url).map(|svg| svg.to_string()),
        },
    )
    .await;
    Ok(html)
}

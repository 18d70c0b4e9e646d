//! Monitoring campaigns on the portal and in the API: the Secretariat opens a campaign on an
//! edition (cities, due date, two assessors each); a city's representatives answer its
//! questionnaire (a page per criterion, the XLSX template, or the JSON API) and submit; each
//! assessor checks every answer blind to the other; the Secretariat settles the mismatches or
//! returns answers to the city, and feeds the verified values into the edition.
//!
//! Who sees what: a city representative only their own city; an assessor only the cities
//! assigned to them (and never the other assessor's decisions); the Secretariat everything; the
//! public nothing (the routes' `Access` refuses them before any handler).
use crate::api::fail;
use crate::auth::Visitor;
use crate::error::{json_error, AppError};
use crate::forms::{CsrfForm, CsrfMultipart};
use crate::render::{page, render, see_other, signed_in, with_done, PageResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use megapolis_domain::{CityCode, Lang, MembershipStatus, Person, Role};
use megapolis_monitoring::answers::{idata, VerifiedCity};
use megapolis_monitoring::campaign::parse_due_date;
use megapolis_monitoring::{
    cohens_kappa, is_ambiguous, read_template, resolve, write_template, AnswerError, AnswerInput,
    AnswerStage, CampaignError, CityState, Decision, Edition, EditionInput, Questionnaire,
    Resolution, TemplateKey,
};
use megapolis_storage::monitoring::campaigns::{
    CampaignCity, CampaignSummary, InvitedCity, NewCampaign, StoredAnswer, StoredAssessment,
};
use megapolis_storage::StorageError;
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// An uploaded template: 200 questions in a handful of sheets is a few tens of kilobytes.
pub const TEMPLATE_BYTES: usize = 4 * 1024 * 1024;

type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

fn title(lang: Lang, ru: &str, en: &str) -> String {
    match lang {
        Lang::Ru => ru.to_string(),
        Lang::En => en.to_string(),
    }
}

fn russian(visitor: &Visitor) -> bool {
    visitor.lang == Lang::Ru
}

// ---- Who may do what ----

fn represents(person: &Person, city: &str) -> bool {
    person.role == Role::CityRep && person.city.as_ref().map(CityCode::as_str) == Some(city)
}

fn assesses(person: &Person, city: &CampaignCity) -> bool {
    person.role == Role::Expert && city.assessors.contains(&person.id)
}

/// May the visitor see this city of the campaign at all.
fn may_see(visitor: &Visitor, city: &CampaignCity) -> bool {
    visitor.is_staff()
        || visitor
            .person
            .as_ref()
            .is_some_and(|p| represents(p, &city.city) || assesses(p, city))
}

async fn campaign_of(state: &AppState, id: &str) -> Result<CampaignSummary, AppError> {
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    state
        .store
        .campaigns()
        .campaign(id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The campaign and one of its cities, if the visitor may see it: 404 for a city not invited,
/// 403 for someone else's city.
async fn city_of(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
    code: &str,
) -> Result<(CampaignSummary, CampaignCity), AppError> {
    let campaign = campaign_of(state, id).await?;
    let city = state
        .store
        .campaigns()
        .city(campaign.id, code)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_see(visitor, &city) {
        return Err(AppError::Forbidden);
    }
    Ok((campaign, city))
}

/// The questionnaire of a campaign's edition (its files without the data: only the questions
/// are needed).
async fn questionnaire_of(state: &AppState, edition_id: i64) -> Result<Questionnaire, AppError> {
    let edition = state
        .store
        .monitoring()
        .edition(edition_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let questions_only = Edition::stored(
        edition.year(),
        edition.title_ru().to_string(),
        edition.title_en().to_string(),
        edition.meta().to_string(),
        edition.spec().to_string(),
        None,
    );
    Questionnaire::of(&questions_only).map_err(|e| {
        AppError::Unexpected(anyhow::anyhow!(
            "the questionnaire of edition {edition_id}: {e}"
        ))
    })
}

// ---- Views ----

#[derive(Serialize)]
struct CampaignView {
    id: i64,
    edition_id: i64,
    year: i64,
    title: String,
    due_date: String,
    open: bool,
}

fn campaign_view(c: &CampaignSummary, lang: Lang) -> CampaignView {
    CampaignView {
        id: c.id,
        edition_id: c.edition_id,
        year: c.year,
        title: title(lang, &c.title_ru, &c.title_en),
        due_date: c.due_date.clone(),
        open: c.state == "open",
    }
}

#[derive(Serialize)]
struct CityView {
    code: String,
    name: String,
    state: &'static str,
    answered: i64,
    settled: i64,
    assessors: [String; 2],
}

fn city_view(c: &CampaignCity, lang: Lang) -> CityView {
    CityView {
        code: c.city.clone(),
        name: title(lang, &c.name_ru, &c.name_en),
        state: c.state.as_str(),
        answered: c.answered,
        settled: c.settled,
        assessors: c.assessor_names.clone(),
    }
}

/// A refused answer, for a page: the field it belongs to and the translated reason's key.
#[derive(Serialize, Clone)]
struct ErrorView {
    /// The id of the field on the page (`f-<indicator>-<field>`), or "" for the file.
    target: String,
    indicator: String,
    key: &'static str,
    arg: String,
    sheet: Option<String>,
    row: Option<usize>,
    column: Option<String>,
}

fn error_views(errors: &[AnswerError]) -> Vec<ErrorView> {
    errors
        .iter()
        .map(|e| ErrorView {
            target: if e.indicator.is_empty() {
                String::new()
            } else {
                format!("f-{}-{}", e.indicator, e.field)
            },
            indicator: e.indicator.clone(),
            key: e.problem.key,
            arg: e.problem.arg.clone(),
            sheet: e.place.as_ref().map(|p| p.sheet.clone()),
            row: e.place.as_ref().map(|p| p.row),
            column: e.place.as_ref().map(|p| p.column.clone()),
        })
        .collect()
}

/// A refusal of the campaign's rules, for a page.
fn refusal_view(e: &CampaignError) -> ErrorView {
    let arg = match e {
        CampaignError::Unanswered(list)
        | CampaignError::NotReturned(list)
        | CampaignError::NotAnExpert(list)
        | CampaignError::SameAssessor(list)
        | CampaignError::AlreadyFinal(list)
        | CampaignError::UnknownIndicator(list) => list.clone(),
        CampaignError::AssessorFromCity { name, city } => format!("{name} ({city})"),
        _ => String::new(),
    };
    ErrorView {
        target: String::new(),
        indicator: String::new(),
        key: refusal_key(e),
        arg,
        sheet: None,
        row: None,
        column: None,
    }
}

fn refusal_key(e: &CampaignError) -> &'static str {
    match e {
        CampaignError::NotYours(_) => "campaign-refused-not_yours",
        CampaignError::WrongState(_) => "campaign-refused-wrong_state",
        CampaignError::Closed => "campaign-refused-closed",
        CampaignError::Unanswered(_) => "campaign-refused-unanswered",
        CampaignError::NotReturned(_) => "campaign-refused-not_returned",
        CampaignError::NotAnExpert(_) => "campaign-refused-not_an_expert",
        CampaignError::AssessorFromCity { .. } => "campaign-refused-assessor_from_city",
        CampaignError::SameAssessor(_) => "campaign-refused-same_assessor",
        CampaignError::NoCities => "campaign-refused-no_cities",
        CampaignError::EditionPublished => "campaign-refused-edition_published",
        CampaignError::AlreadyFinal(_) => "campaign-refused-already_final",
        CampaignError::UnknownIndicator(_) => "campaign-refused-unknown_indicator",
    }
}

/// Splits a store error into a refusal the page shows beside its form, or an error page.
fn refusal(e: StorageError) -> Result<CampaignError, AppError> {
    match e {
        StorageError::Campaign(refusal) => Ok(refusal),
        other => Err(AppError::Storage(other)),
    }
}

/// After a write about a city: its page with a success message, or with the refusal on it.
/// Back to the city's page after a write, which says what was `done` (one of
/// `render::DONE_MESSAGES`), or the city's page with the refusal.
async fn back_to_city<T>(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
    code: &str,
    saved: Result<T, StorageError>,
    done: &str,
) -> PageResult {
    match saved {
        Ok(_) => Ok(see_other(&with_done(
            &format!("/monitoring/campaigns/{id}/cities/{code}"),
            done,
        ))),
        Err(e) => {
            let e = refusal(e)?;
            city_page(
                state,
                visitor,
                id,
                code,
                vec![refusal_view(&e)],
                status_of(&e),
            )
            .await
        }
    }
}

fn status_of(e: &CampaignError) -> StatusCode {
    StatusCode::from_u16(e.status()).unwrap_or(StatusCode::CONFLICT)
}

// ---- The list of campaigns and opening one ----

#[derive(Serialize)]
struct OptionView {
    value: String,
    label: String,
}

#[derive(Serialize)]
struct InviteView {
    code: String,
    name: String,
    member: bool,
    checked: bool,
    a: i64,
    b: i64,
}

#[derive(Serialize)]
struct ListedCampaign {
    campaign: CampaignView,
    /// The cities the visitor may open (all for the Secretariat).
    cities: Vec<CityView>,
    counts: BTreeMap<&'static str, usize>,
}

async fn campaigns_page(
    state: &AppState,
    visitor: &Visitor,
    form_errors: Vec<ErrorView>,
    sent: Option<&Fields>,
) -> PageResult {
    let store = state.store.campaigns();
    let mut listed = Vec::new();
    for campaign in store.list().await? {
        let cities: Vec<CampaignCity> = store
            .cities(campaign.id)
            .await?
            .into_iter()
            .filter(|c| may_see(visitor, c))
            .collect();
        if cities.is_empty() && !visitor.is_staff() {
            continue;
        }
        let mut counts = BTreeMap::new();
        for c in &cities {
            *counts.entry(c.state.as_str()).or_insert(0) += 1;
        }
        listed.push(ListedCampaign {
            campaign: campaign_view(&campaign, visitor.lang),
            cities: cities.iter().map(|c| city_view(c, visitor.lang)).collect(),
            counts,
        });
    }
    let (mut editions, mut experts, mut invites) = (Vec::new(), Vec::new(), Vec::new());
    if visitor.is_staff() {
        editions = state
            .store
            .monitoring()
            .list(false)
            .await?
            .into_iter()
            .filter(|e| !e.state.is_public())
            .map(|e| OptionView {
                value: e.id.to_string(),
                label: format!(
                    "{} — {}",
                    e.year,
                    title(visitor.lang, &e.title_ru, &e.title_en)
                ),
            })
            .collect();
        let people: Vec<Person> = state
            .store
            .accounts()
            .people()
            .await?
            .into_iter()
            .filter(|p| p.role == Role::Expert && p.active)
            .collect();
        let first = people.first().map_or(0, |p| p.id);
        let second = people.get(1).map_or(first, |p| p.id);
        for city in state.store.org().cities().await? {
            let code = city.code.as_str().to_string();
            // The default assessors: the first two experts not from the city.
            let eligible: Vec<i64> = people
                .iter()
                .filter(|p| p.city.as_ref().map(CityCode::as_str) != Some(&code))
                .map(|p| p.id)
                .collect();
            let pick = |name: &str, default: i64| {
                sent.and_then(|f| field(f, &format!("{name}.{code}")).parse().ok())
                    .unwrap_or(default)
            };
            let member = city.status == MembershipStatus::Member;
            invites.push(InviteView {
                checked: sent.map_or(member, |f| f.iter().any(|(n, v)| n == "city" && v == &code)),
                a: pick("a", eligible.first().copied().unwrap_or(first)),
                b: pick("b", eligible.get(1).copied().unwrap_or(second)),
                name: title(visitor.lang, &city.name_ru, &city.name_en),
                member,
                code,
            });
        }
        experts = people
            .iter()
            .map(|p| OptionView {
                value: p.id.to_string(),
                label: p.name.clone(),
            })
            .collect();
    }
    let status = if form_errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let html = render(
        state,
        visitor,
        "campaigns.html",
        context! {
            campaigns => listed,
            editions => editions,
            experts => experts,
            invites => invites,
            errors => form_errors,
            sent_edition => sent.map(|f| field(f, "edition").to_string()),
            sent_due => sent.map(|f| field(f, "due_date").to_string()),
        },
    )
    .await;
    Ok((status, html).into_response())
}

pub async fn campaigns(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    campaigns_page(&state, &visitor, Vec::new(), None).await
}

fn form_error(target: &str, key: &'static str, arg: &str) -> ErrorView {
    ErrorView {
        target: target.to_string(),
        indicator: String::new(),
        key,
        arg: arg.to_string(),
        sheet: None,
        row: None,
        column: None,
    }
}

/// Reads the opening form: the edition, the due date, the invited cities and their assessors.
fn new_campaign(fields: &Fields) -> Result<NewCampaign, Vec<ErrorView>> {
    let mut errors = Vec::new();
    let edition_id = field(fields, "edition").trim().parse::<i64>().ok();
    if edition_id.is_none() {
        errors.push(form_error("f-edition", "campaign-error-edition", ""));
    }
    let due_date = parse_due_date(field(fields, "due_date"));
    if due_date.is_none() {
        errors.push(form_error("f-due_date", "campaign-error-due-date", ""));
    }
    let mut cities = Vec::new();
    for (_, code) in fields.iter().filter(|(n, _)| n == "city") {
        let Ok(city) = CityCode::parse(code) else {
            errors.push(form_error("f-cities", "campaign-error-city", code));
            continue;
        };
        let assessor = |name: &str| {
            field(fields, &format!("{name}.{code}"))
                .trim()
                .parse::<i64>()
                .ok()
        };
        match (assessor("a"), assessor("b")) {
            (Some(a), Some(b)) => cities.push(InvitedCity {
                city,
                assessors: [a, b],
            }),
            _ => errors.push(form_error(
                &format!("f-a-{code}"),
                "campaign-error-assessors",
                code,
            )),
        }
    }
    if cities.is_empty() && errors.is_empty() {
        errors.push(form_error("f-cities", "campaign-refused-no_cities", ""));
    }
    match (edition_id, due_date) {
        (Some(edition_id), Some(due_date)) if errors.is_empty() => Ok(NewCampaign {
            edition_id,
            due_date,
            cities,
        }),
        _ => Err(errors),
    }
}

pub async fn open(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(fields): CsrfForm<Fields>,
) -> PageResult {
    let campaign = match new_campaign(&fields) {
        Ok(c) => c,
        Err(errors) => return campaigns_page(&state, &visitor, errors, Some(&fields)).await,
    };
    // The questionnaire must be answerable before anyone is asked to answer it.
    if let Err(e) = questionnaire_of(&state, campaign.edition_id).await {
        tracing::warn!("{e}");
        let errors = vec![form_error(
            "f-edition",
            "campaign-error-questionnaire",
            &e.to_string(),
        )];
        return campaigns_page(&state, &visitor, errors, Some(&fields)).await;
    }
    match state
        .store
        .campaigns()
        .open(&visitor.actor(), &campaign)
        .await
    {
        Ok(id) => Ok(see_other(&with_done(
            &format!("/monitoring/campaigns/{id}"),
            "created",
        ))),
        Err(StorageError::NotFound(what)) => {
            let errors = vec![form_error("f-cities", "campaign-error-not-found", &what)];
            campaigns_page(&state, &visitor, errors, Some(&fields)).await
        }
        Err(e) => {
            let e = refusal(e)?;
            campaigns_page(&state, &visitor, vec![refusal_view(&e)], Some(&fields)).await
        }
    }
}

// ---- A campaign ----

#[derive(Serialize)]
struct MismatchView {
    city: String,
    city_name: String,
    indicator: String,
    question: String,
    /// mismatch | resubmitted
    kind: &'static str,
}

#[derive(Serialize)]
struct KappaView {
    code: String,
    question: String,
    pairs: usize,
    kappa: Option<String>,
    ambiguous: bool,
}

/// The answers where the two assessors disagree, and those a city changed after a return.
fn mismatches(
    city: &CampaignCity,
    answers: &[StoredAnswer],
    assessments: &[StoredAssessment],
) -> Vec<(String, &'static str)> {
    answers
        .iter()
        .filter_map(|a| match a.stage {
            AnswerStage::Resubmitted => Some((a.indicator.clone(), "resubmitted")),
            AnswerStage::Open => {
                let of = |assessor: i64| {
                    assessments
                        .iter()
                        .find(|s| s.indicator == a.indicator && s.assessor_id == assessor)
                        .map(|s| &s.decision)
                };
                let value = a.value.clone().unwrap_or_default();
                (resolve(&value, of(city.assessors[0]), of(city.assessors[1]))
                    == Resolution::Mismatch)
                    .then(|| (a.indicator.clone(), "mismatch"))
            }
            _ => None,
        })
        .collect()
}

pub async fn campaign(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    let campaign = campaign_of(&state, &id).await?;
    let store = state.store.campaigns();
    let cities: Vec<CampaignCity> = store
        .cities(campaign.id)
        .await?
        .into_iter()
        .filter(|c| may_see(&visitor, c))
        .collect();
    if cities.is_empty() && !visitor.is_staff() {
        return Err(AppError::Forbidden);
    }
    let questionnaire = questionnaire_of(&state, campaign.edition_id).await?;
    let ru = russian(&visitor);
    let question = |code: &str| {
        questionnaire
            .question(code)
            .map_or(code.to_string(), |q| q.question(ru).to_string())
    };
    let (mut mismatch_list, mut kappas) = (Vec::new(), Vec::new());
    if visitor.is_staff() {
        let assessments = store.assessments(campaign.id, "").await?;
        for city in &cities {
            let answers = store.answers(campaign.id, &city.city).await?;
            let own: Vec<StoredAssessment> = assessments
                .iter()
                .filter(|s| s.city == city.city)
                .cloned()
                .collect();
            for (indicator, kind) in mismatches(city, &answers, &own) {
                mismatch_list.push(MismatchView {
                    city: city.city.clone(),
                    city_name: title(visitor.lang, &city.name_ru, &city.name_en),
                    question: question(&indicator),
                    indicator,
                    kind,
                });
            }
        }
        // κ per indicator: across the cities where both assessors decided.
        for q in questionnaire.questions() {
            let pairs: Vec<(bool, bool)> = cities
                .iter()
                .filter_map(|c| {
                    let of = |assessor: i64| {
                        assessments
                            .iter()
                            .find(|s| {
                                s.city == c.city
                                    && s.indicator == q.code
                                    && s.assessor_id == assessor
                            })
                            .map(|s| s.decision.is_correction())
                    };
                    of(c.assessors[0]).zip(of(c.assessors[1]))
                })
                .collect();
            let kappa = cohens_kappa(&pairs);
            kappas.push(KappaView {
                code: q.code.clone(),
                question: q.question(ru).to_string(),
                pairs: pairs.len(),
                kappa: kappa.map(|k| format!("{k:.2}")),
                ambiguous: is_ambiguous(kappa),
            });
        }
    }
    let verified = cities
        .iter()
        .filter(|c| c.state == CityState::Verified)
        .count();
    page(
        &state,
        &visitor,
        "campaign.html",
        context! {
            campaign => campaign_view(&campaign, visitor.lang),
            cities => cities.iter().map(|c| city_view(c, visitor.lang)).collect::<Vec<_>>(),
            mismatches => mismatch_list,
            kappas => kappas,
            verified => verified,
            questions => questionnaire.len(),
        },
    )
    .await
}

/// Feeds the verified values into the edition (and with `close`, closes the campaign); the
/// data are checked by the engine first, as an uploaded edition's are.
pub async fn feed(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm<Fields>,
) -> PageResult {
    let campaign = campaign_of(&state, &id).await?;
    let close = field(&fields, "close") == "1";
    let edition = feed_edition(&state, &visitor, &campaign, close).await?;
    Ok(see_other(&with_done(
        &format!("/monitoring/editions/{edition}"),
        "saved",
    )))
}

async fn feed_edition(
    state: &AppState,
    visitor: &Visitor,
    campaign: &CampaignSummary,
    close: bool,
) -> Result<i64, AppError> {
    let store = state.store.campaigns();
    let questionnaire = questionnaire_of(state, campaign.edition_id).await?;
    let verified: Vec<VerifiedCity> = store
        .verified_values(campaign.id)
        .await?
        .into_iter()
        .map(|v| VerifiedCity {
            code: v.city,
            name: v.name_en,
            values: v.values,
        })
        .collect();
    if verified.is_empty() {
        return Err(AppError::Storage(StorageError::Conflict(
            "no city is verified yet: there is nothing to feed the edition".into(),
        )));
    }
    let data = idata(&questionnaire, &verified);
    let edition = state
        .store
        .monitoring()
        .edition(campaign.edition_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let input = EditionInput {
        meta: edition.meta().to_string(),
        spec: edition.spec().to_string(),
        data: Some(data.clone()),
        year: edition.year().to_string(),
        title_ru: edition.title_ru().to_string(),
        title_en: edition.title_en().to_string(),
    };
    tokio::task::spawn_blocking(move || input.parse())
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("checking the data stopped: {e}")))?
        .map_err(|e| AppError::Unprocessable(e.to_string()))?;
    Ok(store
        .feed_edition(&visitor.actor(), campaign.id, &data, close)
        .await?)
}

// ---- A city of a campaign ----

#[derive(Serialize)]
struct CriterionView {
    code: String,
    name: String,
    total: usize,
    answered: usize,
    returned: usize,
}

#[derive(Serialize)]
struct DecisionView {
    assessor: String,
    decision: &'static str,
    value: Option<String>,
    reason: String,
}

#[derive(Serialize)]
struct VersionView {
    kind: String,
    value: Option<String>,
    note: String,
    actor: String,
    at: String,
}

#[derive(Serialize)]
struct ReviewRow {
    code: String,
    question: String,
    value: Option<String>,
    evidence_url: String,
    comment: String,
    stage: &'static str,
    return_message: Option<String>,
    final_value: Option<String>,
    decisions: Vec<DecisionView>,
    /// mismatch | resubmitted | waiting | agreed | final | returned | open
    status: &'static str,
    history: Vec<VersionView>,
}

async fn city_page(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
    code: &str,
    errors: Vec<ErrorView>,
    status: StatusCode,
) -> PageResult {
    let (campaign, city) = city_of(state, visitor, id, code).await?;
    let store = state.store.campaigns();
    let questionnaire = questionnaire_of(state, campaign.edition_id).await?;
    let answers = store.answers(campaign.id, &city.city).await?;
    let by_code: HashMap<&str, &StoredAnswer> =
        answers.iter().map(|a| (a.indicator.as_str(), a)).collect();
    let person = signed_in(visitor)?;
    let is_city = represents(person, &city.city);
    let is_assessor = assesses(person, &city);
    let criteria: Vec<CriterionView> = questionnaire
        .criteria
        .iter()
        .map(|c| CriterionView {
            code: c.code.clone(),
            name: c.name(russian(visitor)).to_string(),
            total: c.questions.len(),
            answered: c
                .questions
                .iter()
                .filter(|q| {
                    by_code
                        .get(q.code.as_str())
                        .is_some_and(|a| a.value.is_some())
                })
                .count(),
            returned: c
                .questions
                .iter()
                .filter(|q| {
                    by_code
                        .get(q.code.as_str())
                        .is_some_and(|a| a.stage == AnswerStage::Returned)
                })
                .count(),
        })
        .collect();
    let ru = russian(visitor);
    let mut review = Vec::new();
    if visitor.is_staff() || is_city {
        let assessments = if visitor.is_staff() {
            store.assessments(campaign.id, &city.city).await?
        } else {
            Vec::new()
        };
        let versions = if visitor.is_staff() {
            store.versions(campaign.id, &city.city).await?
        } else {
            Vec::new()
        };
        let flagged: HashMap<String, &'static str> = mismatches(&city, &answers, &assessments)
            .into_iter()
            .collect();
        for q in questionnaire.questions() {
            let Some(a) = by_code.get(q.code.as_str()) else {
                continue;
            };
            let decisions: Vec<DecisionView> = (0..2)
                .filter_map(|k| {
                    assessments
                        .iter()
                        .find(|s| s.indicator == q.code && s.assessor_id == city.assessors[k])
                        .map(|s| match &s.decision {
                            Decision::Accept => DecisionView {
                                assessor: city.assessor_names[k].clone(),
                                decision: "accept",
                                value: None,
                                reason: String::new(),
                            },
                            Decision::Correct { value, reason } => DecisionView {
                                assessor: city.assessor_names[k].clone(),
                                decision: "correct",
                                value: Some(value.clone()),
                                reason: reason.clone(),
                            },
                        })
                })
                .collect();
            let status = match a.stage {
                AnswerStage::Final => "final",
                AnswerStage::Returned => "returned",
                AnswerStage::Resubmitted => "resubmitted",
                AnswerStage::Open => match flagged.get(&q.code) {
                    Some(_) => "mismatch",
                    None if city.state.assessable() => "waiting",
                    None => "open",
                },
            };
            review.push(ReviewRow {
                code: q.code.clone(),
                question: q.question(ru).to_string(),
                value: a.value.clone(),
                evidence_url: a.evidence_url.clone(),
                comment: a.comment.clone(),
                stage: a.stage.as_str(),
                return_message: a.return_message.clone(),
                final_value: a.final_value.clone(),
                decisions,
                status,
                history: versions
                    .iter()
                    .filter(|v| v.indicator == q.code)
                    .map(|v| VersionView {
                        kind: v.kind.clone(),
                        value: v.value.clone(),
                        note: v.note.clone(),
                        actor: v.actor.clone(),
                        at: v.at.clone(),
                    })
                    .collect(),
            });
        }
    }
    let html = render(
        state,
        visitor,
        "campaign_city.html",
        context! {
            campaign => campaign_view(&campaign, visitor.lang),
            city => city_view(&city, visitor.lang),
            criteria => criteria,
            total => questionnaire.len(),
            is_city => is_city,
            is_assessor => is_assessor,
            may_edit => is_city && city.state.city_may_edit() && campaign.state == "open",
            may_review => visitor.is_staff() && city.state.assessable() && campaign.state == "open",
            review => review,
            errors => errors,
        },
    )
    .await;
    Ok((status, html).into_response())
}

pub async fn city(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, code)): Path<(String, String)>,
) -> PageResult {
    city_page(&state, &visitor, &id, &code, Vec::new(), StatusCode::OK).await
}

/// The campaign and city for the city's own representative; 403 for anyone else.
async fn own_city(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
    code: &str,
) -> Result<(CampaignSummary, CampaignCity, Person), AppError> {
    let (campaign, city) = city_of(state, visitor, id, code).await?;
    let person = signed_in(visitor)?.clone();
    if !represents(&person, &city.city) {
        return Err(AppError::Forbidden);
    }
    Ok((campaign, city, person))
}

// ---- The questionnaire, a page per criterion ----

#[derive(Serialize)]
struct QuestionView {
    code: String,
    question: String,
    name: String,
    unit: String,
    kind: &'static str,
    keys: Vec<String>,
    min: Option<String>,
    max: Option<String>,
    value: String,
    evidence_url: String,
    comment: String,
    editable: bool,
    return_message: Option<String>,
    errors: Vec<ErrorView>,
}

#[allow(clippy::too_many_arguments)] // the page and what it shows
async fn questionnaire_page(
    state: &AppState,
    visitor: &Visitor,
    campaign: &CampaignSummary,
    city: &CampaignCity,
    criterion_code: &str,
    sent: Option<&Fields>,
    errors: Vec<ErrorView>,
    status: StatusCode,
) -> PageResult {
    let questionnaire = questionnaire_of(state, campaign.edition_id).await?;
    let criterion = questionnaire
        .criterion(criterion_code)
        .ok_or(AppError::NotFound)?;
    let answers = state
        .store
        .campaigns()
        .answers(campaign.id, &city.city)
        .await?;
    let ru = russian(visitor);
    let open = campaign.state == "open";
    let questions: Vec<QuestionView> = criterion
        .questions
        .iter()
        .map(|q| {
            let stored = answers.iter().find(|a| a.indicator == q.code);
            let sent_or = |name: &str, stored: String| {
                sent.map_or(stored, |f| {
                    field(f, &format!("{name}.{}", q.code)).to_string()
                })
            };
            let editable = open
                && match city.state {
                    CityState::NotStarted | CityState::Draft => true,
                    CityState::Returned => stored.is_some_and(|a| a.stage == AnswerStage::Returned),
                    _ => false,
                };
            let (min, max) = q.range();
            QuestionView {
                code: q.code.clone(),
                question: q.question(ru).to_string(),
                name: q.name(ru).to_string(),
                unit: q.unit.clone(),
                kind: q.answer_type.as_str(),
                keys: q.keys(),
                min: min.map(megapolis_monitoring::answers::number_text),
                max: max.map(megapolis_monitoring::answers::number_text),
                value: sent_or(
                    "value",
                    stored.and_then(|a| a.value.clone()).unwrap_or_default(),
                ),
                evidence_url: sent_or(
                    "evidence_url",
                    stored.map(|a| a.evidence_url.clone()).unwrap_or_default(),
                ),
                comment: sent_or(
                    "comment",
                    stored.map(|a| a.comment.clone()).unwrap_or_default(),
                ),
                editable,
                return_message: stored
                    .filter(|a| a.stage == AnswerStage::Returned)
                    .and_then(|a| a.return_message.clone()),
                errors: errors
                    .iter()
                    .filter(|e| e.indicator == q.code)
                    .cloned()
                    .collect(),
            }
        })
        .collect();
    let position = questionnaire
        .criteria
        .iter()
        .position(|c| c.code == criterion.code)
        .unwrap_or(0);
    let next = questionnaire
        .criteria
        .get(position + 1)
        .map(|c| c.code.clone());
    let previous = position
        .checked_sub(1)
        .and_then(|p| questionnaire.criteria.get(p))
        .map(|c| c.code.clone());
    let answered = answers.iter().filter(|a| a.value.is_some()).count();
    let html = render(
        state,
        visitor,
        "questionnaire.html",
        context! {
            campaign => campaign_view(campaign, visitor.lang),
            city => city_view(city, visitor.lang),
            criterion => context! { code => criterion.code.clone(), name => criterion.name(russian(visitor)) },
            number => position + 1,
            pages => questionnaire.criteria.len(),
            next => next,
            previous => previous,
            questions => questions,
            editable_any => city.state.city_may_edit() && open,
            answered => answered,
            total => questionnaire.len(),
            errors => errors,
        },
    )
    .await;
    Ok((status, html).into_response())
}

pub async fn criterion(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, code, criterion)): Path<(String, String, String)>,
) -> PageResult {
    let (campaign, city, _) = own_city(&state, &visitor, &id, &code).await?;
    questionnaire_page(
        &state,
        &visitor,
        &campaign,
        &city,
        &criterion,
        None,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// Saves a criterion's answers as a draft: every field checked, nothing saved on any error.
pub async fn save_criterion(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, code, criterion_code)): Path<(String, String, String)>,
    CsrfForm(fields): CsrfForm<Fields>,
) -> PageResult {
    let (campaign, city, person) = own_city(&state, &visitor, &id, &code).await?;
    let questionnaire = questionnaire_of(&state, campaign.edition_id).await?;
    let criterion = questionnaire
        .criterion(&criterion_code)
        .ok_or(AppError::NotFound)?;
    let editable_only = city.state == CityState::Returned;
    let stored = state
        .store
        .campaigns()
        .answers(campaign.id, &city.city)
        .await?;
    let inputs: Vec<AnswerInput> = criterion
        .questions
        .iter()
        .filter(|q| {
            // While returned, only the answers sent back are on the form as fields.
            !editable_only
                || stored
                    .iter()
                    .any(|a| a.indicator == q.code && a.stage == AnswerStage::Returned)
        })
        .map(|q| AnswerInput {
            indicator: q.code.clone(),
            value: field(&fields, &format!("value.{}", q.code)).to_string(),
            evidence_url: field(&fields, &format!("evidence_url.{}", q.code)).to_string(),
            comment: field(&fields, &format!("comment.{}", q.code)).to_string(),
        })
        .collect();
    let retry = |errors: Vec<ErrorView>, status: StatusCode| {
        let (state, visitor, campaign, city, fields) =
            (&state, &visitor, &campaign, &city, &fields);
        let criterion_code = criterion_code.clone();
        async move {
            questionnaire_page(
                state,
                visitor,
                campaign,
                city,
                &criterion_code,
                Some(fields),
                errors,
                status,
            )
            .await
        }
    };
    let checked = match questionnaire.check(&inputs) {
        Ok(checked) => checked,
        Err(errors) => return retry(error_views(&errors), StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    match state
        .store
        .campaigns()
        .save_answers(
            &visitor.actor(),
            &person,
            campaign.id,
            &city.city,
            &checked,
            None,
        )
        .await
    {
        Ok(_) => {
            let next = if field(&fields, "then") == "next" {
                let position = questionnaire
                    .criteria
                    .iter()
                    .position(|c| c.code == criterion.code)
                    .unwrap_or(0);
                questionnaire.criteria.get(position + 1).map(|c| {
                    format!(
                        "/monitoring/campaigns/{}/cities/{}/criteria/{}",
                        campaign.id, city.city, c.code
                    )
                })
            } else {
                None
            };
            let here = format!(
                "/monitoring/campaigns/{}/cities/{}/criteria/{}",
                campaign.id, city.city, criterion.code
            );
            Ok(see_other(&with_done(&next.unwrap_or(here), "saved")))
        }
        Err(e) => {
            let e = refusal(e)?;
            retry(vec![refusal_view(&e)], status_of(&e)).await
        }
    }
}

/// Submits the city's answers: every question answered; the answers are locked.
pub async fn submit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, code)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<Fields>,
) -> PageResult {
    let (campaign, city, person) = own_city(&state, &visitor, &id, &code).await?;
    let questionnaire = questionnaire_of(&state, campaign.edition_id).await?;
    let all: Vec<String> = questionnaire.questions().map(|q| q.code.clone()).collect();
    let saved = state
        .store
        .campaigns()
        .save_answers(
            &visitor.actor(),
            &person,
            campaign.id,
            &city.city,
            &[],
            Some(&all),
        )
        .await;
    back_to_city(&state, &visitor, &id, &code, saved, "submitted").await
}

// ---- The XLSX template ----

pub async fn template(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, code)): Path<(String, String)>,
) -> PageResult {
    let (campaign, city, _) = own_city(&state, &visitor, &id, &code).await?;
    let questionnaire = questionnaire_of(&state, campaign.edition_id).await?;
    let answers = state
        .store
        .campaigns()
        .answers(campaign.id, &city.city)
        .await?;
    let key = TemplateKey {
        campaign: campaign.id,
        edition: campaign.edition_id,
        city: city.city.clone(),
    };
    let ru = russian(&visitor);
    let bytes = tokio::task::spawn_blocking(move || {
        let prefill = |code: &str| {
            answers.iter().find(|a| a.indicator == code).map(|a| {
                (
                    a.value.clone().unwrap_or_default(),
                    a.evidence_url.clone(),
                    a.comment.clone(),
                )
            })
        };
        write_template(&questionnaire, &key, ru, &prefill)
    })
    .await
    .map_err(|e| AppError::Unexpected(anyhow::anyhow!("writing the template stopped: {e}")))?
    .map_err(|e| AppError::Unexpected(anyhow::anyhow!("writing the template: {e}")))?;
    let name = format!("monitoring-{}-{}.xlsx", campaign.id, city.city);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                crate::downloads::content_disposition(&name),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// Reads an uploaded template: all or nothing, every error naming sheet, row and column.
pub async fn upload(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, code)): Path<(String, String)>,
    form: CsrfMultipart,
) -> PageResult {
    let (campaign, city, person) = own_city(&state, &visitor, &id, &code).await?;
    let Some(file) = form.files.iter().find(|f| f.field == "file") else {
        let errors = vec![form_error("f-file", "campaign-error-no-file", "")];
        return city_page(
            &state,
            &visitor,
            &id,
            &code,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let questionnaire = questionnaire_of(&state, campaign.edition_id).await?;
    let key = TemplateKey {
        campaign: campaign.id,
        edition: campaign.edition_id,
        city: city.city.clone(),
    };
    let bytes = file.bytes.clone();
    let read = tokio::task::spawn_blocking(move || {
        read_template(&bytes, &questionnaire, &key).and_then(|inputs| questionnaire.check(&inputs))
    })
    .await
    .map_err(|e| AppError::Unexpected(anyhow::anyhow!("reading the template stopped: {e}")))?;
    let checked = match read {
        Ok(checked) => checked,
        Err(errors) => {
            return city_page(
                &state,
                &visitor,
                &id,
                &code,
                error_views(&errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let saved = state
        .store
        .campaigns()
        .save_answers(
            &visitor.actor(),
            &person,
            campaign.id,
            &city.city,
            &checked,
            None,
        )
        .await;
    back_to_city(&state, &visitor, &id, &code, saved, "saved").await
}

// ---- Assessment ----

#[derive(Serialize)]
struct AssessView {
    code: String,
    question: String,
    kind: &'static str,
    keys: Vec<String>,
    value: Option<String>,
    evidence_url: String,
    comment: String,
    /// accept | correct | "" (not decided yet)
    decision: String,
    corrected: String,
    reason: String,
    errors: Vec<ErrorView>,
}

async fn assessment_page(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
    code: &str,
    sent: Option<&Fields>,
    errors: Vec<ErrorView>,
    status: StatusCode,
) -> PageResult {
    let (campaign, city, person) = assessor_of(state, visitor, id, code).await?;
    let store = state.store.campaigns();
    let questionnaire = questionnaire_of(state, campaign.edition_id).await?;
    let answers = store.answers(campaign.id, &city.city).await?;
    // Blind: only this assessor's own decisions are read.
    let mine: Vec<StoredAssessment> = store
        .assessments(campaign.id, &city.city)
        .await?
        .into_iter()
        .filter(|s| s.assessor_id == person.id)
        .collect();
    let ru = russian(visitor);
    let items: Vec<AssessView> = if city.state.assessable() {
        questionnaire
            .questions()
            .filter_map(|q| {
                let a = answers
                    .iter()
                    .find(|a| a.indicator == q.code && a.stage == AnswerStage::Open)?;
                let own = mine.iter().find(|s| s.indicator == q.code);
                let sent_or = |name: &str, stored: String| {
                    sent.map_or(stored, |f| {
                        field(f, &format!("{name}.{}", q.code)).to_string()
                    })
                };
                let (decision, corrected, reason) = match own.map(|s| &s.decision) {
                    Some(Decision::Accept) => ("accept".to_string(), String::new(), String::new()),
                    Some(Decision::Correct { value, reason }) => {
                        ("correct".to_string(), value.clone(), reason.clone())
                    }
                    None => (String::new(), String::new(), String::new()),
                };
                Some(AssessView {
                    code: q.code.clone(),
                    question: q.question(ru).to_string(),
                    kind: q.answer_type.as_str(),
                    keys: q.keys(),
                    value: a.value.clone(),
                    evidence_url: a.evidence_url.clone(),
                    comment: a.comment.clone(),
                    decision: sent_or("decision", decision),
                    corrected: sent_or("value", corrected),
                    reason: sent_or("reason", reason),
                    errors: errors
                        .iter()
                        .filter(|e| e.indicator == q.code)
                        .cloned()
                        .collect(),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let html = render(
        state,
        visitor,
        "assessment.html",
        context! {
            campaign => campaign_view(&campaign, visitor.lang),
            city => city_view(&city, visitor.lang),
            items => items,
            assessable => city.state.assessable() && campaign.state == "open",
            decided => mine.len(),
            errors => errors,
        },
    )
    .await;
    Ok((status, html).into_response())
}

async fn assessor_of(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
    code: &str,
) -> Result<(CampaignSummary, CampaignCity, Person), AppError> {
    let (campaign, city) = city_of(state, visitor, id, code).await?;
    let person = signed_in(visitor)?.clone();
    if !assesses(&person, &city) {
        return Err(AppError::Forbidden);
    }
    Ok((campaign, city, person))
}

pub async fn assessment(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, code)): Path<(String, String)>,
) -> PageResult {
    assessment_page(
        &state,
        &visitor,
        &id,
        &code,
        None,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

fn problem(indicator: &str, field: &'static str, key: &'static str) -> AnswerError {
    AnswerError::new(
        indicator,
        field,
        megapolis_monitoring::Problem {
            key,
            arg: String::new(),
            message: key.to_string(),
        },
    )
}

pub async fn assess(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, code)): Path<(String, String)>,
    CsrfForm(fields): CsrfForm<Fields>,
) -> PageResult {
    let (campaign, city, person) = assessor_of(&state, &visitor, &id, &code).await?;
    let questionnaire = questionnaire_of(&state, campaign.edition_id).await?;
    let mut decisions = Vec::new();
    let mut errors = Vec::new();
    for q in questionnaire.questions() {
        match field(&fields, &format!("decision.{}", q.code)) {
            "accept" => decisions.push((q.code.clone(), Decision::Accept)),
            "correct" => {
                let reason = field(&fields, &format!("reason.{}", q.code)).trim();
                let value = q.parse_value(field(&fields, &format!("value.{}", q.code)));
                match value {
                    Ok(Some(value)) if !reason.is_empty() => decisions.push((
                        q.code.clone(),
                        Decision::Correct {
                            value,
                            reason: reason.to_string(),
                        },
                    )),
                    Ok(Some(_)) => errors.push(problem(&q.code, "reason", "campaign-error-reason")),
                    Ok(None) => {
                        errors.push(problem(&q.code, "value", "campaign-error-corrected-value"))
                    }
                    Err(p) => errors.push(AnswerError::new(&q.code, "value", p)),
                }
            }
            _ => {}
        }
    }
    if !errors.is_empty() {
        return assessment_page(
            &state,
            &visitor,
            &id,
            &code,
            Some(&fields),
            error_views(&errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match state
        .store
        .campaigns()
        .assess(
            &visitor.actor(),
            person.id,
            campaign.id,
            &city.city,
            &decisions,
        )
        .await
    {
        Ok(_) => Ok(see_other(&with_done(
            &format!(
                "/monitoring/campaigns/{}/cities/{}/assessment",
                campaign.id, city.city
            ),
            "saved",
        ))),
        Err(e) => {
            let e = refusal(e)?;
            assessment_page(
                &state,
                &visitor,
                &id,
                &code,
                Some(&fields),
                vec![refusal_view(&e)],
                status_of(&e),
            )
            .await
        }
    }
}

// ---- The Secretariat: adjudicate, return ----

pub async fn adjudicate(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, code)): Path<(String, String)>,
    CsrfForm(fields): CsrfForm<Fields>,
) -> PageResult {
    let (campaign, city) = city_of(&state, &visitor, &id, &code).await?;
    let questionnaire = questionnaire_of(&state, campaign.edition_id).await?;
    let indicator = field(&fields, "indicator").trim();
    let reason = field(&fields, "reason").trim();
    let question = questionnaire.question(indicator);
    let refused = |errors: Vec<AnswerError>| {
        let (state, visitor, id, code) = (&state, &visitor, &id, &code);
        async move {
            city_page(
                state,
                visitor,
                id,
                code,
                error_views(&errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    let Some(question) = question else {
        return refused(vec![problem(
            indicator,
            "indicator",
            "campaign-error-unknown-indicator",
        )])
        .await;
    };
    let value = match question.parse_value(field(&fields, "value")) {
        Ok(Some(value)) => value,
        Ok(None) => {
            return refused(vec![problem(
                indicator,
                "value",
                "campaign-error-corrected-value",
            )])
            .await
        }
        Err(p) => return refused(vec![AnswerError::new(indicator, "value", p)]).await,
    };
    if reason.is_empty() {
        return refused(vec![problem(indicator, "reason", "campaign-error-reason")]).await;
    }
    let items = [(indicator.to_string(), value, reason.to_string())];
    let saved = state
        .store
        .campaigns()
        .adjudicate(&visitor.actor(), campaign.id, &city.city, &items)
        .await;
    back_to_city(&state, &visitor, &id, &code, saved, "settled").await
}

/// Returns the answers whose `message.<code>` is filled in, each with its message.
pub async fn return_answers(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, code)): Path<(String, String)>,
    CsrfForm(fields): CsrfForm<Fields>,
) -> PageResult {
    let (campaign, city) = city_of(&state, &visitor, &id, &code).await?;
    let items: Vec<(String, String)> = fields
        .iter()
        .filter_map(|(name, message)| {
            let indicator = name.strip_prefix("message.")?;
            let message = message.trim();
            (!message.is_empty()).then(|| (indicator.to_string(), message.to_string()))
        })
        .collect();
    if items.is_empty() {
        let errors = vec![form_error("return-form", "campaign-error-return-empty", "")];
        return city_page(
            &state,
            &visitor,
            &id,
            &code,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let saved = state
        .store
        .campaigns()
        .return_answers(&visitor.actor(), campaign.id, &city.city, &items)
        .await;
    back_to_city(&state, &visitor, &id, &code, saved, "returned").await
}

// ---- The API ----

/// One answer of a city, as the API gives it.
#[derive(Serialize, ToSchema)]
pub struct ApiAnswer {
    pub indicator: String,
    /// The canonical value: a number, `yes`/`no`, a choice's key; null while unanswered.
    pub value: Option<String>,
    pub evidence_url: String,
    pub comment: String,
    /// open | returned | resubmitted | final
    pub stage: String,
    /// The Secretariat's message when the answer was sent back.
    pub return_message: Option<String>,
    /// The verified value, once final.
    pub final_value: Option<String>,
}

/// One answer as sent: `value` a number, a string (`yes`/`no`, a choice's key, a number) or
/// null to clear it.
#[derive(Deserialize, ToSchema)]
pub struct ApiAnswerInput {
    pub indicator: String,
    #[schema(value_type = Object)]
    #[serde(default)]
    pub value: serde_json::Value,
    #[serde(default)]
    pub evidence_url: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
}

/// The state of the city's answers after a change.
#[derive(Serialize, ToSchema)]
pub struct ApiAnswersState {
    /// not_started | draft | submitted | under_assessment | returned | verified
    pub state: String,
}

/// Refused answers: each with its indicator, field and reason; nothing was saved.
#[derive(Serialize, ToSchema)]
pub struct ApiAnswersError {
    pub error: String,
    pub status: u16,
    /// invalid_answers
    pub code: String,
    pub answers: Vec<ApiAnswerError>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiAnswerError {
    pub indicator: String,
    /// value | evidence_url | comment | indicator
    pub field: String,
    pub error: String,
}

fn api_refusal(e: StorageError) -> Response {
    fail(e)
}

#[utoipa::path(get, path = "/api/v1/monitoring/campaigns/{id}/cities/{code}/answers", tag = "monitoring",
    params(("id" = i64, Path, description = "campaign id"), ("code" = String, Path, description = "city code")),
    security(("bearer" = [])),
    responses((status = 200, body = Vec<ApiAnswer>),
        (status = 401, body = crate::api::ApiError), (status = 403, description = "Not the caller's city, nor one they assess", body = crate::api::ApiError),
        (status = 404, body = crate::api::ApiError)))]
pub async fn api_answers(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, code)): Path<(String, String)>,
) -> Result<Response, Response> {
    let (campaign, city) = city_of(&state, &visitor, &id, &code).await.map_err(fail)?;
    let answers = state
        .store
        .campaigns()
        .answers(campaign.id, &city.city)
        .await
        .map_err(fail)?;
    let list: Vec<ApiAnswer> = answers
        .into_iter()
        .map(|a| ApiAnswer {
            indicator: a.indicator,
            value: a.value,
            evidence_url: a.evidence_url,
            comment: a.comment,
            stage: a.stage.as_str().into(),
            return_message: a.return_message,
            final_value: a.final_value,
        })
        .collect();
    Ok(Json(list).into_response())
}

fn api_value(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::Bool(true) => "yes".into(),
        serde_json::Value::Bool(false) => "no".into(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn invalid_answers(errors: &[AnswerError]) -> Response {
    let body = ApiAnswersError {
        error: errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
        status: 422,
        code: "invalid_answers".into(),
        answers: errors
            .iter()
            .map(|e| ApiAnswerError {
                indicator: e.indicator.clone(),
                field: e.field.into(),
                error: e.problem.message.clone(),
            })
            .collect(),
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

#[utoipa::path(put, path = "/api/v1/monitoring/campaigns/{id}/cities/{code}/answers", tag = "monitoring",
    params(("id" = i64, Path, description = "campaign id"), ("code" = String, Path, description = "city code")),
    request_body = Vec<ApiAnswerInput>,
    security(("bearer" = [])),
    responses((status = 200, description = "Saved as a draft (only the answers given change)", body = ApiAnswersState),
        (status = 401, body = crate::api::ApiError), (status = 403, body = crate::api::ApiError), (status = 404, body = crate::api::ApiError),
        (status = 409, description = "The answers are submitted (locked) or the campaign is closed", body = crate::api::ApiError),
        (status = 422, description = "An unknown indicator, a value of the wrong type or out of range; nothing is saved", body = ApiAnswersError)))]
pub async fn api_put_answers(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, code)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Result<Response, Response> {
    let (campaign, city, person) = own_city(&state, &visitor, &id, &code).await.map_err(fail)?;
    let inputs: Vec<ApiAnswerInput> = serde_json::from_slice(&body).map_err(|e| {
        json_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_json",
            &format!("the body must be a JSON array of answers: {e}"),
        )
    })?;
    let inputs: Vec<AnswerInput> = inputs
        .iter()
        .map(|a| AnswerInput {
            indicator: a.indicator.clone(),
            value: api_value(&a.value),
            evidence_url: a.evidence_url.clone().unwrap_or_default(),
            comment: a.comment.clone().unwrap_or_default(),
        })
        .collect();
    let questionnaire = questionnaire_of(&state, campaign.edition_id)
        .await
        .map_err(fail)?;
    let checked = questionnaire
        .check(&inputs)
        .map_err(|e| invalid_answers(&e))?;
    let next = state
        .store
        .campaigns()
        .save_answers(
            &visitor.actor(),
            &person,
            campaign.id,
            &city.city,
            &checked,
            None,
        )
        .await
        .map_err(api_refusal)?;
    Ok(Json(ApiAnswersState {
        state: next.as_str().into(),
    })
    .into_response())
}

#[utoipa::path(post, path = "/api/v1/monitoring/campaigns/{id}/cities/{code}/submit", tag = "monitoring",
    params(("id" = i64, Path, description = "campaign id"), ("code" = String, Path, description = "city code")),
    security(("bearer" = [])),
    responses((status = 200, description = "Submitted: the answers are locked", body = ApiAnswersState),
        (status = 401, body = crate::api::ApiError), (status = 403, body = crate::api::ApiError), (status = 404, body = crate::api::ApiError),
        (status = 409, body = crate::api::ApiError),
        (status = 422, description = "Questions are unanswered", body = crate::api::ApiError)))]
pub async fn api_submit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, code)): Path<(String, String)>,
) -> Result<Response, Response> {
    let (campaign, city, person) = own_city(&state, &visitor, &id, &code).await.map_err(fail)?;
    let questionnaire = questionnaire_of(&state, campaign.edition_id)
        .await
        .map_err(fail)?;
    let all: Vec<String> = questionnaire.questions().map(|q| q.code.clone()).collect();
    let next = state
        .store
        .campaigns()
        .save_answers(
            &visitor.actor(),
            &person,
            campaign.id,
            &city.city,
            &[],
            Some(&all),
        )
        .await
        .map_err(api_refusal)?;
    Ok(Json(ApiAnswersState {
        state: next.as_str().into(),
    })
    .into_response())
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(api_answers, api_put_answers, api_submit),
    components(schemas(
        ApiAnswer,
        ApiAnswerInput,
        ApiAnswersState,
        ApiAnswersError,
        ApiAnswerError
    ))
)]
pub(crate) struct Api;

/// The campaigns' part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    <Api as utoipa::OpenApi>::openapi()
}

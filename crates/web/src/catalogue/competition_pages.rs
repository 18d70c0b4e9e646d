//! Competitions on the portal: the list and the Secretariat's call form, a competition's page
//! (its call, and by role: the Secretariat's steps, experts and screening; a city's entries; an
//! expert's declarations; the jury's ranking and its chair's decision; the published results),
//! and an entry's page (its dossier, an expert's scoring, the reviews, the chair's waivers).
//! Who sees what and every write are the API's ([`super::competitions`]); the pages only read
//! forms and say refusals in words.
use super::competitions::{
    apply_entry_step, attach_file, attached_file, competition, entry, may_enter, parse_entry_step,
    ranking, record_decision, score_entry, visible, waive_for, ApiEntryStep, AttachFailure, Viewer,
};
use crate::auth::Visitor;
use crate::error::AppError;
use crate::forms::{CsrfForm, CsrfMultipart};
use crate::render::{render, see_other, signed_in, with_done, PageResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Extension;
use megapolis_catalogue::competition::{
    attachment_accept, attachment_kind, AttachmentError, CompetitionInput, CriterionInput,
    EntryInput, EntryState, InvalidInput, Stage, Step,
};
use megapolis_catalogue::evaluation::{
    automatic_conflict, may_review, Award, Declaration, Exclusion,
};
use megapolis_domain::{Lang, Role};
use megapolis_storage::catalogue::competition::{Competition, CompetitionRefusal, Entry};
use megapolis_storage::StorageError;
use minijinja::context;
use serde::{Deserialize, Serialize};

/// A refused write, said on the page: a translation key and its argument.
#[derive(Serialize)]
struct Refusal {
    key: String,
    arg: String,
}

/// A refusal the page shows beside its forms, with its status (409, 422); other errors stay
/// error pages, a 403 too (not theirs to do: the page would offer nothing to correct).
fn refusal_of(e: AppError) -> Result<(StatusCode, Refusal), AppError> {
    let status = e.status();
    if status == StatusCode::FORBIDDEN {
        return Err(e);
    }
    let refusal = match &e {
        AppError::Storage(StorageError::Competition(r)) => {
            let arg = match r {
                CompetitionRefusal::Stage { stage } => (*stage).to_string(),
                CompetitionRefusal::UnknownNomination(s)
                | CompetitionRefusal::UnknownCity(s)
                | CompetitionRefusal::TooFewExperts(s) => s.clone(),
                CompetitionRefusal::NotEligible(n) => n.to_string(),
                _ => String::new(),
            };
            Refusal {
                key: format!("competition-refused-{}", r.code()),
                arg,
            }
        }
        AppError::Unprocessable(message) | AppError::Storage(StorageError::Conflict(message)) => {
            Refusal {
                key: "competition-refused-other".into(),
                arg: message.clone(),
            }
        }
        _ => return Err(e),
    };
    Ok((status, refusal))
}

/// A refused field of a form: the form's field, the row of a list, and a translation key.
#[derive(Serialize)]
struct FieldError {
    field: String,
    row: Option<usize>,
    key: String,
}

/// The form's field a checked input names (`criteria.weight` is the criteria's box) and its
/// message as a translation key.
fn field_error(e: &InvalidInput) -> FieldError {
    let slug: Vec<String> = e
        .message
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    FieldError {
        field: e.field.split('.').next().unwrap_or(e.field).to_string(),
        row: e.row,
        key: format!("competition-invalid-{}", slug.join("-")),
    }
}

/// The non-empty lines of a box, one item a line.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

// ---- The list and the call form ----

/// The call as the form sends it: lists one per line, criteria `weight | name | 1 | … | 5`.
#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct CallForm {
    title_ru: String,
    title_en: String,
    year: String,
    nominations: String,
    eligibility: String,
    criteria: String,
    submission_deadline: String,
    evaluation_deadline: String,
    results_on: String,
    jury_body: String,
}

impl CallForm {
    /// The call to check; a criterion's name and anchors are in the page's language.
    fn input(&self, lang: Lang) -> CompetitionInput {
        let criteria = lines(&self.criteria)
            .iter()
            .map(|line| {
                let mut parts = line.split('|').map(|p| p.trim().to_string());
                let weight = parts
                    .next()
                    .and_then(|w| w.replace(',', ".").parse::<f64>().ok());
                let name = parts.next().unwrap_or_default();
                let anchors: Vec<String> = parts.collect();
                let mut criterion = CriterionInput {
                    weight,
                    ..Default::default()
                };
                match lang {
                    Lang::Ru => (criterion.name_ru, criterion.anchors_ru) = (name, anchors),
                    Lang::En => (criterion.name_en, criterion.anchors_en) = (name, anchors),
                }
                criterion
            })
            .collect();
        CompetitionInput {
            title_ru: self.title_ru.clone(),
            title_en: self.title_en.clone(),
            year: self.year.trim().parse().ok(),
            nominations: lines(&self.nominations),
            eligibility: lines(&self.eligibility),
            criteria,
            submission_deadline: self.submission_deadline.clone(),
            evaluation_deadline: self.evaluation_deadline.clone(),
            results_on: self.results_on.clone(),
            jury_body: self.jury_body.clone(),
        }
    }
}

async fn list_page(
    state: &AppState,
    visitor: &Visitor,
    form: Option<&CallForm>,
    errors: Vec<FieldError>,
) -> PageResult {
    let lang = visitor.lang;
    let all = state.store.competitions().list().await?;
    let shown: Vec<_> = all
        .iter()
        .filter(|c| Viewer::of(visitor, c).sees_competition(c))
        .map(|c| {
            context! {
                id => c.id, title => lang.pick(&c.title_ru, &c.title_en), year => c.year,
                stage => c.stage.as_str(), submission_deadline => c.submission_deadline.to_string(),
            }
        })
        .collect();
    let bodies: Vec<_> = if visitor.is_staff() {
        state
            .store
            .org()
            .bodies()
            .await?
            .iter()
            .map(|b| context! { id => b.id.as_str(), name => lang.pick(&b.name_ru, &b.name_en) })
            .collect()
    } else {
        Vec::new()
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let blank = CallForm::default();
    let html = render(
        state,
        visitor,
        "competitions.html",
        context! { competitions => shown, bodies => bodies, form => form.unwrap_or(&blank), errors => errors },
    )
    .await;
    Ok((status, html).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    list_page(&state, &visitor, None, Vec::new()).await
}

pub async fn create(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(form): CsrfForm<CallForm>,
) -> PageResult {
    let call = match form.input(visitor.lang).check() {
        Ok(call) => call,
        Err(e) => return list_page(&state, &visitor, Some(&form), vec![field_error(&e)]).await,
    };
    match state
        .store
        .competitions()
        .create(&visitor.actor(), &call)
        .await
    {
        Ok(id) => Ok(see_other(&with_done(
            &format!("/competitions/{id}"),
            "created",
        ))),
        Err(StorageError::NotFound(_)) => {
            let error = FieldError {
                field: "jury_body".into(),
                row: None,
                key: "competition-invalid-no-such-body".into(),
            };
            list_page(&state, &visitor, Some(&form), vec![error]).await
        }
        Err(e) => Err(e.into()),
    }
}

// ---- A competition ----

/// An entry as the form sends it: lists one per line.
#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct EntryForm {
    nomination: String,
    title_ru: String,
    title_en: String,
    summary_ru: String,
    summary_en: String,
    problem: String,
    results: String,
    technologies: String,
    hardware: String,
    licence: String,
    url: String,
    contacts: String,
    used_by: String,
}

impl EntryForm {
    /// A stored entry as its edit form shows it.
    fn of(found: &Entry) -> EntryForm {
        EntryForm {
            nomination: found.nomination.clone(),
            title_ru: found.title_ru.clone(),
            title_en: found.title_en.clone(),
            summary_ru: found.summary_ru.clone(),
            summary_en: found.summary_en.clone(),
            problem: found.problem.clone(),
            results: found.results.clone(),
            technologies: found.technologies.join("\n"),
            hardware: found.hardware.join("\n"),
            licence: found.licence.clone(),
            url: found.url.clone(),
            contacts: found.contacts.clone(),
            used_by: found
                .used_by
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }

    fn input(&self, city: &str) -> EntryInput {
        EntryInput {
            nomination: self.nomination.clone(),
            city: city.to_string(),
            title_ru: self.title_ru.clone(),
            title_en: self.title_en.clone(),
            summary_ru: self.summary_ru.clone(),
            summary_en: self.summary_en.clone(),
            problem: self.problem.clone(),
            results: self.results.clone(),
            technologies: lines(&self.technologies),
            hardware: lines(&self.hardware),
            licence: self.licence.clone(),
            url: self.url.clone(),
            contacts: self.contacts.clone(),
            used_by: lines(&self.used_by),
        }
    }
}

/// What a competition's or an entry's page shows besides what is stored: a refusal of the last
/// write, the entry form sent back with its errors.
#[derive(Default)]
struct Sent<'a> {
    refusal: Option<(StatusCode, Refusal)>,
    entry: Option<&'a EntryForm>,
    errors: Vec<FieldError>,
}

/// A criterion in the page's language: each point's text, the other language's when empty.
fn criteria_view(call: &Competition, lang: Lang) -> Vec<minijinja::Value> {
    call.criteria
        .iter()
        .map(|(id, k)| {
            let anchors: Vec<&str> = k
                .anchors_ru
                .iter()
                .zip(&k.anchors_en)
                .map(|(ru, en)| lang.pick(ru, en))
                .collect();
            context! { id => id, name => lang.pick(&k.name_ru, &k.name_en), weight => k.weight, anchors => anchors }
        })
        .collect()
}

fn call_view(call: &Competition, lang: Lang) -> minijinja::Value {
    context! {
        id => call.id, title => lang.pick(&call.title_ru, &call.title_en), year => call.year,
        stage => call.stage.as_str(), eligibility => call.eligibility,
        submission_deadline => call.submission_deadline.to_string(),
        evaluation_deadline => call.evaluation_deadline.to_string(),
        results_on => call.results_on.to_string(), decision => call.decision,
        criteria => criteria_view(call, lang),
    }
}

/// An expert's standing towards an entry, for their list: whether to declare, and whether the
/// dossier is open to them.
fn standing_view(
    expert: &megapolis_domain::Person,
    found: &Entry,
    standing: &megapolis_storage::catalogue::competition::Standing,
) -> minijinja::Value {
    let automatic = automatic_conflict(expert.city.as_ref(), &found.city, &found.used_by);
    let declared = match &standing.declaration {
        Declaration::NotYet => "not-yet",
        Declaration::NoConflict => "no-conflict",
        Declaration::Conflict { .. } => "conflict",
    };
    let exclusion = may_review(automatic, &standing.declaration, standing.waived).err();
    context! {
        declared => declared, scored => standing.scored,
        may_review => exclusion.is_none(),
        exclusion => exclusion.map(|e| match e {
            Exclusion::NotDeclared => "not-declared",
            Exclusion::Declared => "declared",
            Exclusion::OwnCity => "own-city",
            Exclusion::UsingCity => "using-city",
        }),
    }
}

async fn competition_page(
    state: &AppState,
    visitor: &Visitor,
    call: &Competition,
    sent: Sent<'_>,
) -> PageResult {
    let viewer = Viewer::of(visitor, call);
    if !viewer.sees_competition(call) {
        return Err(AppError::NotFound);
    }
    let lang = visitor.lang;
    let store = state.store.competitions();
    let mut entries = Vec::new();
    for found in store.entries(call.id).await? {
        let Some(listed) = visible(state, &viewer, &found).await? else {
            continue;
        };
        let standing = match viewer.person {
            Some(p) if p.role == Role::Expert => store
                .standing(found.id, p.id)
                .await?
                .map(|s| standing_view(p, &found, &s)),
            _ => None,
        };
        let own = viewer
            .person
            .is_some_and(|p| p.role == Role::CityRep && p.city.as_ref() == Some(&found.city));
        entries.push(context! {
            entry => listed, title => lang.pick(&found.title_ru, &found.title_en),
            own => own, standing => standing,
        });
    }
    // The people, for the Secretariat's choice of experts only.
    let people = if viewer.staff {
        state.store.accounts().people().await?
    } else {
        Vec::new()
    };
    let experts: Vec<_> = if viewer.staff {
        people
            .iter()
            .filter(|p| p.role == Role::Expert && p.active)
            .map(|p| context! { id => p.id, name => p.name, city => p.city.as_ref().map(|c| c.to_string()) })
            .collect()
    } else {
        Vec::new()
    };
    let nominations: Vec<_> = call
        .nominations
        .iter()
        .map(|n| {
            let names: Vec<&str> = people
                .iter()
                .filter(|p| n.experts.contains(&p.id))
                .map(|p| p.name.as_str())
                .collect();
            context! { id => n.id, name => n.name, experts => n.experts, expert_names => names }
        })
        .collect();
    let rankings = if viewer.sees_all_scores() && call.stage != Stage::Draft {
        ranking(state, call).await?
    } else {
        Vec::new()
    };
    let city = viewer
        .person
        .filter(|p| p.role == Role::CityRep)
        .and_then(|p| p.city.as_ref().map(|c| c.to_string()));
    let (status, refusal) = match sent.refusal {
        Some((status, refusal)) => (status, Some(refusal)),
        None if sent.errors.is_empty() => (StatusCode::OK, None),
        None => (StatusCode::UNPROCESSABLE_ENTITY, None),
    };
    let cities = crate::org::pages::cities_by_code(state).await?;
    let collections = if call.stage == Stage::Published {
        store.collections(call.id).await?
    } else {
        Vec::new()
    };
    let blank = EntryForm::default();
    let html = render(
        state,
        visitor,
        "competition.html",
        context! {
            call => call_view(call, lang), nominations => nominations, entries => entries,
            experts => experts, rankings => rankings,
            is_staff => viewer.staff, jury_member => viewer.jury_member, jury_chair => viewer.jury_chair,
            city => city, refusal => refusal, entry_form => sent.entry.unwrap_or(&blank),
            errors => sent.errors, cities => cities, collections => collections,
        },
    )
    .await;
    Ok((status, html).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    let call = competition(&state, &id).await?;
    competition_page(&state, &visitor, &call, Sent::default()).await
}

/// Back to the competition's page after a write: with `done`, or with the refusal on it.
async fn back_to_call(
    state: &AppState,
    visitor: &Visitor,
    call: &Competition,
    written: Result<(), AppError>,
    done: &str,
) -> PageResult {
    match written {
        Ok(()) => Ok(see_other(&with_done(
            &format!("/competitions/{}", call.id),
            done,
        ))),
        Err(e) => {
            let sent = Sent {
                refusal: Some(refusal_of(e)?),
                ..Default::default()
            };
            competition_page(state, visitor, call, sent).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepForm {
    step: String,
}

/// The Secretariat's steps: `open`, `evaluation`, `publish`.
pub async fn step(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<StepForm>,
) -> PageResult {
    let call = competition(&state, &id).await?;
    let store = state.store.competitions();
    let actor = visitor.actor();
    let written = match form.step.as_str() {
        "open" => store.step(&actor, call.id, Step::Open).await.map(|_| ()),
        "evaluation" => store
            .step(&actor, call.id, Step::StartEvaluation)
            .await
            .map(|_| ()),
        "publish" => store.publish(&actor, call.id).await.map(|_| ()),
        _ => return Err(AppError::BadRequest(format!("no step {:?}", form.step))),
    };
    let done = if form.step == "publish" {
        "published"
    } else {
        "saved"
    };
    back_to_call(
        &state,
        &visitor,
        &call,
        written.map_err(AppError::from),
        done,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CollectionForm {
    lang: String,
}

/// The Secretariat asks for the collection in a language: its job is followed on `/jobs`.
pub async fn make_collection(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<CollectionForm>,
) -> PageResult {
    let call = competition(&state, &id).await?;
    match super::collection::queue(&state, &visitor, &call, &form.lang).await {
        Ok(job) => Ok(see_other(&format!("/jobs#job-{job}"))),
        Err(e) => {
            let sent = Sent {
                refusal: Some(refusal_of(e)?),
                ..Default::default()
            };
            competition_page(&state, &visitor, &call, sent).await
        }
    }
}

/// The experts of a nomination: `nomination` and any number of `expert`.
pub async fn assign(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let call = competition(&state, &id).await?;
    let number = |name: &str| -> Vec<i64> {
        fields
            .iter()
            .filter(|(n, _)| n == name)
            .filter_map(|(_, v)| v.trim().parse().ok())
            .collect()
    };
    let nomination = number("nomination")
        .first()
        .copied()
        .ok_or(AppError::BadRequest("no nomination".into()))?;
    let written = state
        .store
        .competitions()
        .assign_experts(&visitor.actor(), call.id, nomination, &number("expert"))
        .await;
    back_to_call(
        &state,
        &visitor,
        &call,
        written.map_err(AppError::from),
        "saved",
    )
    .await
}

/// A city representative's entry for their own city, saved as a draft.
pub async fn create_entry(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<EntryForm>,
) -> PageResult {
    let call = competition(&state, &id).await?;
    let author = signed_in(&visitor)?;
    let Some(city) = author
        .city
        .as_ref()
        .filter(|_| author.role == Role::CityRep)
    else {
        return Err(AppError::Forbidden);
    };
    let draft = match form.input(city.as_str()).check() {
        Ok(draft) => draft,
        Err(e) => {
            let sent = Sent {
                entry: Some(&form),
                errors: vec![field_error(&e)],
                ..Default::default()
            };
            return competition_page(&state, &visitor, &call, sent).await;
        }
    };
    match state
        .store
        .competitions()
        .save_entry(author, call.id, None, &draft)
        .await
    {
        Ok(entry) => Ok(see_other(&with_done(
            &format!("/competitions/entries/{entry}"),
            "created",
        ))),
        Err(e) => {
            let sent = Sent {
                refusal: Some(refusal_of(e.into())?),
                entry: Some(&form),
                ..Default::default()
            };
            competition_page(&state, &visitor, &call, sent).await
        }
    }
}

/// The jury chair's decision: `award.<entry>` = winner | laureate | (none) and its text.
pub async fn decide(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let call = competition(&state, &id).await?;
    let awards: Vec<(i64, Award)> = fields
        .iter()
        .filter_map(|(name, value)| {
            let entry = name.strip_prefix("award.")?.parse().ok()?;
            Some((entry, Award::parse(value)?))
        })
        .collect();
    let decision = fields
        .iter()
        .find(|(n, _)| n == "decision")
        .map_or("", |(_, v)| v.as_str());
    let written = record_decision(&state, &visitor, &call, &awards, decision).await;
    back_to_call(&state, &visitor, &call, written, "saved").await
}

// ---- An entry ----

async fn entry_page(
    state: &AppState,
    visitor: &Visitor,
    found: &Entry,
    sent: Sent<'_>,
) -> PageResult {
    let call = competition(state, &found.competition_id.to_string()).await?;
    let viewer = Viewer::of(visitor, &call);
    let listed = visible(state, &viewer, found)
        .await?
        .ok_or(AppError::NotFound)?;
    let lang = visitor.lang;
    let store = state.store.competitions();
    let me = viewer.person;
    let standing = match me {
        Some(p) => store.standing(found.id, p.id).await?,
        None => None,
    };
    let mine = match (me, &standing) {
        (Some(p), Some(s)) => Some(standing_view(p, found, s)),
        _ => None,
    };
    // Every review for the jury and the Secretariat; an expert their own, once submitted.
    let reviews: Vec<_> = store
        .review_details(found.id)
        .await?
        .into_iter()
        .filter(|(expert, _, _)| viewer.sees_all_scores() || me.is_some_and(|p| p.id == *expert))
        .map(|(_, name, scores)| context! { name => name, scores => scores })
        .collect();
    // The experts of its nomination excluded automatically, for the chair to waive.
    let mut excluded = Vec::new();
    if viewer.jury_chair {
        let experts = call
            .nominations
            .iter()
            .find(|n| n.id == found.nomination_id)
            .map(|n| n.experts.clone())
            .unwrap_or_default();
        for id in experts {
            let Some(expert) = state.store.accounts().person(id).await? else {
                continue;
            };
            let Some(why) = automatic_conflict(expert.city.as_ref(), &found.city, &found.used_by)
            else {
                continue;
            };
            let waived = store
                .standing(found.id, id)
                .await?
                .is_some_and(|s| s.waived);
            excluded.push(
                context! { id => id, name => expert.name, why => why.as_str(), waived => waived },
            );
        }
    }
    // The edit form: a draft while the call is open, for its city's representative or staff;
    // the upload form: while the call is open, until the entry is withdrawn (the storage's rule).
    let writes = viewer.writes_for(found) && call.stage == Stage::Open;
    let editable = writes && found.state == EntryState::Draft;
    let attachable = writes && found.state != EntryState::Withdrawn;
    let files: Vec<_> = listed
        .dossier
        .iter()
        .flat_map(|d| &d.attachments)
        .map(|a| {
            context! {
                id => a.id, name => a.name, size => a.size,
                kind => attachment_kind(&a.content_type).unwrap_or_else(|| a.content_type.clone()),
            }
        })
        .collect();
    let stored = EntryForm::of(found);
    let nominations: Vec<_> = call
        .nominations
        .iter()
        .map(|n| context! { name => n.name })
        .collect();
    let cities = crate::org::pages::cities_by_code(state).await?;
    let (status, refusal) = match sent.refusal {
        Some((status, r)) => (status, Some(r)),
        None if sent.errors.is_empty() => (StatusCode::OK, None),
        None => (StatusCode::UNPROCESSABLE_ENTITY, None),
    };
    let html = render(
        state,
        visitor,
        "competition-entry.html",
        context! {
            call => call_view(&call, lang), entry => listed,
            title => lang.pick(&found.title_ru, &found.title_en),
            summary => lang.pick(&found.summary_ru, &found.summary_en),
            mine => mine, reviews => reviews, excluded => excluded,
            sees_all => viewer.sees_all_scores(), jury_chair => viewer.jury_chair,
            cities => cities, refusal => refusal, editable => editable,
            files => files, attachable => attachable, accept => attachment_accept(),
            nominations => nominations, entry_form => sent.entry.unwrap_or(&stored),
            errors => sent.errors,
        },
    )
    .await;
    Ok((status, html).into_response())
}

pub async fn show_entry(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    let found = entry(&state, &id).await?;
    entry_page(&state, &visitor, &found, Sent::default()).await
}

/// Back after a write on an entry: to `to` with `done`, or the entry's page with the refusal.
async fn back_to_entry(
    state: &AppState,
    visitor: &Visitor,
    found: &Entry,
    written: Result<(), AppError>,
    to: String,
    done: &str,
) -> PageResult {
    let written = match written {
        Ok(()) => Ok(()),
        Err(e) => Err(Sent {
            refusal: Some(refusal_of(e)?),
            ..Default::default()
        }),
    };
    back_with(state, visitor, found, written, to, done).await
}

/// Back after a write on an entry: to `to` with `done`, or the entry's page with what was sent.
async fn back_with(
    state: &AppState,
    visitor: &Visitor,
    found: &Entry,
    written: Result<(), Sent<'_>>,
    to: String,
    done: &str,
) -> PageResult {
    match written {
        Ok(()) => Ok(see_other(&with_done(&to, done))),
        Err(sent) => entry_page(state, visitor, found, sent).await,
    }
}

/// A draft's new fields, by the API's rule and storage; its city stays the entry's.
pub async fn edit_entry(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<EntryForm>,
) -> PageResult {
    let found = entry(&state, &id).await?;
    let author = may_enter(&visitor)?;
    let saved = match form.input(found.city.as_str()).check() {
        Err(e) => Err(Sent {
            entry: Some(&form),
            errors: vec![field_error(&e)],
            ..Default::default()
        }),
        Ok(draft) => match state
            .store
            .competitions()
            .save_entry(author, found.competition_id, Some(found.id), &draft)
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => Err(Sent {
                refusal: Some(refusal_of(e.into())?),
                entry: Some(&form),
                ..Default::default()
            }),
        },
    };
    let to = format!("/competitions/entries/{}", found.id);
    back_with(&state, &visitor, &found, saved, to, "saved").await
}

/// A refused upload said on the page, naming the file (422); a refused write as the others.
fn attach_refusal(failure: AttachFailure) -> Result<(StatusCode, Refusal), AppError> {
    let (key, arg) = match failure {
        AttachFailure::Refused(e) => return refusal_of(e),
        AttachFailure::NoFile => ("no-file", String::new()),
        AttachFailure::File(AttachmentError::Kind { name }) => ("kind", name),
        AttachFailure::File(AttachmentError::Contents { name, .. }) => ("contents", name),
        AttachFailure::File(AttachmentError::TooLarge { name, .. }) => ("too-large", name),
        AttachFailure::File(AttachmentError::Empty { name }) => ("empty", name),
    };
    let refusal = Refusal {
        key: format!("entry-attach-refused-{key}"),
        arg,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, refusal))
}

/// A file attached on the entry's page (multipart field `file`) by the API's checks and write;
/// another city's representative is refused before the file is read for its kind.
pub async fn attach(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    form: CsrfMultipart,
) -> PageResult {
    let found = entry(&state, &id).await?;
    let call = competition(&state, &found.competition_id.to_string()).await?;
    let who = may_enter(&visitor)?;
    if !Viewer::of(&visitor, &call).writes_for(&found) {
        return Err(AppError::Forbidden);
    }
    let upload = form
        .files_of("file")
        .into_iter()
        .next()
        .map(|f| (f.name, f.content));
    let attached = match attach_file(&state, who, &found, upload).await {
        Ok(_) => Ok(()),
        Err(failure) => Err(Sent {
            refusal: Some(attach_refusal(failure)?),
            ..Default::default()
        }),
    };
    let to = format!("/competitions/entries/{}", found.id);
    back_with(&state, &visitor, &found, attached, to, "attached").await
}

/// An attached file, for who sees the entry's dossier on its page (the API's rule).
pub async fn download(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, file)): Path<(String, String)>,
) -> PageResult {
    attached_file(&state, &visitor, &id, &file).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EntryStepForm {
    step: String,
    /// For screening: "1" eligible, "0" not.
    eligible: String,
    reason: String,
}

/// `submit` or `withdraw` (the entry's city), `screen` (the Secretariat); back to the
/// competition.
pub async fn entry_step(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<EntryStepForm>,
) -> PageResult {
    let found = entry(&state, &id).await?;
    let input = ApiEntryStep {
        eligible: Some(form.eligible == "1"),
        reason: form.reason,
    };
    let step = parse_entry_step(&form.step, &input, visitor.is_staff())?;
    let written = apply_entry_step(&state, &visitor, &found, step, &input.reason)
        .await
        .map(|_| ());
    let to = format!("/competitions/{}#entry-{}", found.competition_id, found.id);
    back_to_entry(&state, &visitor, &found, written, to, "saved").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeclarationForm {
    /// "1" a conflict (with a reason), "0" none.
    conflict: String,
    reason: String,
}

/// An expert's declaration; back to the entry, whose dossier opens when there is no conflict.
pub async fn declare(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<DeclarationForm>,
) -> PageResult {
    let found = entry(&state, &id).await?;
    let expert = signed_in(&visitor)?;
    let conflict = (form.conflict == "1").then_some(form.reason.as_str());
    let written = state
        .store
        .competitions()
        .declare(expert, found.id, conflict)
        .await
        .map_err(AppError::from);
    let to = format!("/competitions/entries/{}", found.id);
    back_to_entry(&state, &visitor, &found, written, to, "saved").await
}

/// An expert's scores: `score.<n>` and `comment.<n>` per criterion, counted from 1.
pub async fn score(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> PageResult {
    let found = entry(&state, &id).await?;
    let call = competition(&state, &found.competition_id.to_string()).await?;
    let field = |name: String| {
        fields
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(String::new(), |(_, v)| v.clone())
    };
    let raw: Vec<(String, String)> = (1..=call.criteria.len())
        .map(|n| (field(format!("score.{n}")), field(format!("comment.{n}"))))
        .collect();
    let written = score_entry(&state, &visitor, &found, &raw).await;
    let to = format!("/competitions/entries/{}", found.id);
    back_to_entry(&state, &visitor, &found, written, to, "submitted").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WaiverForm {
    expert: String,
    reason: String,
}

/// The jury chair's waiver of an expert's automatic conflict.
pub async fn waive(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<WaiverForm>,
) -> PageResult {
    let found = entry(&state, &id).await?;
    let expert: i64 = form
        .expert
        .trim()
        .parse()
        .map_err(|_| AppError::BadRequest("no expert".into()))?;
    let written = waive_for(&state, &visitor, &found, expert, &form.reason).await;
    let to = format!("/competitions/entries/{}", found.id);
    back_to_entry(&state, &visitor, &found, written, to, "saved").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_criterion_line_goes_to_the_page_language_and_errors_name_their_box() {
        let form = CallForm {
            criteria: "2,5 | Результаты | a | b | c | d | e\n\n x | Reuse".into(),
            ..Default::default()
        };
        let input = form.input(Lang::Ru);
        assert_eq!(input.criteria.len(), 2);
        assert_eq!(input.criteria[0].weight, Some(2.5));
        assert_eq!(input.criteria[0].name_ru, "Результаты");
        assert_eq!(input.criteria[0].anchors_ru.len(), 5);
        assert_eq!(input.criteria[1].weight, None);
        let error = field_error(&InvalidInput {
            field: "criteria.weight",
            row: Some(2),
            message: "a number above 0, at most 100",
        });
        assert_eq!(error.field, "criteria");
        assert_eq!(
            error.key,
            "competition-invalid-a-number-above-0-at-most-100"
        );
    }
}

//! Generalisation on the portal: the Expert Council and the Secretariat merge a suggested group
//! (or any submissions they list) into a generalised proposal, edit, split it, move a submission
//! into it, reject a submission with a reason. A generalised proposal's page shows its text, its
//! sources and its history; every submission shows its fate, and "my submissions" lists the
//! signed-in person's with theirs.
use super::api::{consultation, reviewer};
use crate::auth::Visitor;
use crate::error::AppError;
use crate::forms::CsrfForm;
use crate::render::{
    errors_map, message, render, see_other, signed_in, with_done, Message, PageResult,
};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Extension;
use megapolis_consultations::generalise::{
    parse_ids, parse_reason, Fate, GeneralisedInput, Refusal,
};
use megapolis_domain::{FieldErrors, Lang};
use megapolis_storage::consultations::{Consultation, Generalised, PlanPlace, Submission};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A plan item that carries a submission's generalised proposal.
#[derive(Serialize)]
pub(crate) struct PlaceView {
    plan: i64,
    title: String,
    state: &'static str,
    number: usize,
    assignment: Option<i64>,
}

/// What became of a submission, as pages say it.
#[derive(Serialize)]
pub(crate) struct FateView {
    /// merged | rejected
    state: &'static str,
    generalised: Option<i64>,
    generalised_text: String,
    reason: String,
    plans: Vec<PlaceView>,
}

/// The text in the visitor's language, or the other one when that is empty.
pub(crate) fn pick(lang: Lang, ru: &str, en: &str) -> String {
    let chosen = lang.pick(ru, en);
    if chosen.is_empty() {
        lang.pick(en, ru).to_string()
    } else {
        chosen.to_string()
    }
}

/// The fates of `fates`' submissions, with the generalised proposals' texts and plan places.
pub(crate) fn fate_views(
    lang: Lang,
    fates: &HashMap<i64, Fate>,
    generalised: &[Generalised],
    places: &[PlanPlace],
) -> BTreeMap<i64, FateView> {
    let texts: HashMap<i64, String> = generalised
        .iter()
        .map(|g| (g.id, pick(lang, &g.text_ru, &g.text_en)))
        .collect();
    fates
        .iter()
        .filter_map(|(id, fate)| {
            let view = match fate {
                Fate::Open => return None,
                Fate::Merged { generalised } => FateView {
                    state: "merged",
                    generalised: Some(*generalised),
                    generalised_text: texts.get(generalised).cloned().unwrap_or_default(),
                    reason: String::new(),
                    plans: places
                        .iter()
                        .filter(|p| p.generalised_id == *generalised)
                        .map(|p| PlaceView {
                            plan: p.plan_id,
                            title: pick(lang, &p.title_ru, &p.title_en),
                            state: p.state.as_str(),
                            number: p.number,
                            assignment: p.assignment_id,
                        })
                        .collect(),
                },
                Fate::Rejected { reason } => FateView {
                    state: "rejected",
                    generalised: None,
                    generalised_text: String::new(),
                    reason: reason.clone(),
                    plans: Vec::new(),
                },
            };
            Some((*id, view))
        })
        .collect()
}

#[derive(Serialize)]
struct GeneralisedView {
    id: i64,
    text: String,
    text_ru: String,
    text_en: String,
    topic: Option<String>,
    sources: i64,
}

fn generalised_view(g: &Generalised, lang: Lang) -> GeneralisedView {
    GeneralisedView {
        id: g.id,
        text: pick(lang, &g.text_ru, &g.text_en),
        text_ru: g.text_ru.clone(),
        text_en: g.text_en.clone(),
        topic: g.topic.clone(),
        sources: g.sources,
    }
}

/// What the consultation's page shows of generalisation: the fate of each submission, the
/// generalised proposals and the plans.
pub(crate) async fn page_part(
    state: &AppState,
    lang: Lang,
    found: &Consultation,
    reviewing: bool,
) -> Result<minijinja::Value, AppError> {
    let store = state.store.consultations();
    let generalised = store.generalised_list(found.id).await?;
    let places = store.plan_places(found.id).await?;
    let fates = fate_views(lang, &store.fates(found.id).await?, &generalised, &places);
    let plans: Vec<minijinja::Value> = store
        .plans(found.id)
        .await?
        .iter()
        .map(|p| context! { id => p.id, title => pick(lang, &p.title_ru, &p.title_en), state => p.state.as_str() })
        .collect();
    // The plan form's choices, for those who may draft one.
    let (decisions, bodies) = if reviewing {
        super::plan::choices(state, lang).await?
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(context! {
        decisions => decisions,
        bodies => bodies,
        fates => fates,
        generalised => generalised.iter().map(|g| generalised_view(g, lang)).collect::<Vec<_>>(),
        plans => plans,
    })
}

/// A refused or invalid step: the page says what and where, nothing was saved.
pub(crate) async fn refused_page(
    state: &AppState,
    visitor: &Visitor,
    found: &Consultation,
    status: StatusCode,
    refusal: Option<Message>,
    errors: &FieldErrors,
) -> PageResult {
    let html = render(
        state,
        visitor,
        "consultation-refused.html",
        context! {
            consultation => context! { id => found.id, title => pick(visitor.lang, &found.title_ru, &found.title_en) },
            refusal => refusal,
            errors => errors_map(errors),
        },
    )
    .await;
    Ok((status, html).into_response())
}

/// A refusal of the rules (409) or invalid fields (422).
/// The new generalised proposal's page, or the consultation again with why it was refused.
async fn created_or_refused(
    state: &AppState,
    visitor: &Visitor,
    found: &Consultation,
    outcome: Result<i64, Refusal>,
) -> PageResult {
    match outcome {
        Ok(new) => Ok(see_other(&with_done(
            &generalised_link(found.id, new),
            "created",
        ))),
        Err(refusal) => {
            refused(
                state,
                visitor,
                found,
                Some(&refusal),
                &FieldErrors::default(),
            )
            .await
        }
    }
}

async fn refused(
    state: &AppState,
    visitor: &Visitor,
    found: &Consultation,
    refusal: Option<&Refusal>,
    errors: &FieldErrors,
) -> PageResult {
    let status = if refusal.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    refused_page(
        state,
        visitor,
        found,
        status,
        refusal.map(refusal_message),
        errors,
    )
    .await
}

/// The page message of a refusal: its key and the submission it names.
fn refusal_message(refusal: &Refusal) -> Message {
    let key = match refusal {
        Refusal::NothingChosen => "consultations-refused-nothing-chosen",
        Refusal::UnknownSubmission(_) => "consultations-refused-unknown-submission",
        Refusal::OtherConsultation { .. } => "consultations-refused-other-consultation",
        Refusal::AlreadyGeneralised { .. } => "consultations-refused-already-generalised",
        Refusal::NotInThis(_) => "consultations-refused-not-in-this",
        Refusal::SplitsAll => "consultations-refused-splits-all",
    };
    message(
        key,
        refusal
            .submission()
            .map(|s| s.to_string())
            .unwrap_or_default(),
    )
}

/// The merge and split form: the submissions' ids and the generalised text.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MergeForm {
    submissions: String,
    text_ru: String,
    text_en: String,
    topic: String,
}

impl MergeForm {
    fn parse(
        &self,
    ) -> Result<
        (
            Vec<i64>,
            megapolis_consultations::generalise::GeneralisedText,
        ),
        FieldErrors,
    > {
        let text = GeneralisedInput {
            text_ru: self.text_ru.clone(),
            text_en: self.text_en.clone(),
            topic: self.topic.clone(),
        }
        .parse();
        match (parse_ids(&self.submissions), text) {
            (Ok(ids), Ok(text)) => Ok((ids, text)),
            (ids, text) => {
                let mut errors = FieldErrors::default();
                for e in ids.err().into_iter().chain(text.err()) {
                    errors.0.extend(e.0);
                }
                Err(errors)
            }
        }
    }
}

/// The consultation `id` names, for a reviewer.
async fn reviewed(state: &AppState, visitor: &Visitor, id: &str) -> Result<Consultation, AppError> {
    reviewer(visitor)?;
    consultation(state, id).await
}

/// Generalised proposal `gid` of consultation `found`.
async fn generalised_of(
    state: &AppState,
    found: &Consultation,
    gid: &str,
) -> Result<Generalised, AppError> {
    let gid: i64 = gid.trim().parse().map_err(|_| AppError::NotFound)?;
    state
        .store
        .consultations()
        .generalised(gid)
        .await?
        .filter(|g| g.consultation_id == found.id)
        .ok_or(AppError::NotFound)
}

fn generalised_link(consultation: i64, id: i64) -> String {
    format!("/consultations/{consultation}/generalised/{id}")
}

pub async fn merge(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<MergeForm>,
) -> PageResult {
    let found = reviewed(&state, &visitor, &id).await?;
    let (ids, text) = match form.parse() {
        Ok(parsed) => parsed,
        Err(errors) => return refused(&state, &visitor, &found, None, &errors).await,
    };
    let outcome = state
        .store
        .consultations()
        .merge(&visitor.actor(), found.id, &ids, &text)
        .await?;
    created_or_refused(&state, &visitor, &found, outcome).await
}

#[derive(Serialize)]
struct SourceView {
    id: i64,
    city: Option<String>,
    lang: &'static str,
    kind: &'static str,
    text: String,
    author: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, gid)): Path<(String, String)>,
) -> PageResult {
    let found = consultation(&state, &id).await?;
    let generalised = generalised_of(&state, &found, &gid).await?;
    let lang = visitor.lang;
    let reviewing = reviewer(&visitor).is_ok();
    let store = state.store.consultations();
    let sources: Vec<SourceView> = store
        .sources_of(generalised.id)
        .await?
        .iter()
        .map(|s: &Submission| SourceView {
            id: s.id,
            city: s.city.as_ref().map(|c| c.to_string()),
            lang: s.lang.code(),
            kind: s.kind.as_str(),
            text: s.text.clone(),
            author: reviewing.then(|| s.author_name.clone()),
        })
        .collect();
    let history: Vec<minijinja::Value> = store
        .history(generalised.id)
        .await?
        .iter()
        .map(|e| {
            context! {
                at => crate::dates::moment(&e.at, lang),
                actor => reviewing.then(|| e.actor.clone()),
                step => e.step,
                submissions => e.submissions,
                other => e.other,
                text => e.text,
            }
        })
        .collect();
    let places: Vec<PlaceView> = store
        .plan_places(found.id)
        .await?
        .into_iter()
        .filter(|p| p.generalised_id == generalised.id)
        .map(|p| PlaceView {
            plan: p.plan_id,
            title: pick(lang, &p.title_ru, &p.title_en),
            state: p.state.as_str(),
            number: p.number,
            assignment: p.assignment_id,
        })
        .collect();
    let html = render(
        &state,
        &visitor,
        "generalised.html",
        context! {
            consultation => context! { id => found.id, title => pick(lang, &found.title_ru, &found.title_en) },
            generalised => generalised_view(&generalised, lang),
            sources => sources,
            history => history,
            places => places,
            reviewing => reviewing,
        },
    )
    .await;
    Ok(html.into_response())
}

pub async fn edit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, gid)): Path<(String, String)>,
    CsrfForm(input): CsrfForm<GeneralisedInput>,
) -> PageResult {
    let found = reviewed(&state, &visitor, &id).await?;
    let generalised = generalised_of(&state, &found, &gid).await?;
    let text = match input.parse() {
        Ok(text) => text,
        Err(errors) => return refused(&state, &visitor, &found, None, &errors).await,
    };
    state
        .store
        .consultations()
        .edit_generalised(&visitor.actor(), generalised.id, &text)
        .await?;
    Ok(see_other(&with_done(
        &generalised_link(found.id, generalised.id),
        "saved",
    )))
}

pub async fn split(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, gid)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<MergeForm>,
) -> PageResult {
    let found = reviewed(&state, &visitor, &id).await?;
    let generalised = generalised_of(&state, &found, &gid).await?;
    let (ids, text) = match form.parse() {
        Ok(parsed) => parsed,
        Err(errors) => return refused(&state, &visitor, &found, None, &errors).await,
    };
    let outcome = state
        .store
        .consultations()
        .split(&visitor.actor(), generalised.id, &ids, &text)
        .await?;
    created_or_refused(&state, &visitor, &found, outcome).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OneSubmission {
    submission: String,
    reason: String,
}

impl OneSubmission {
    fn id(&self) -> Result<i64, FieldErrors> {
        match parse_ids(&self.submission)?.as_slice() {
            [one] => Ok(*one),
            _ => {
                let mut errors = FieldErrors::default();
                errors.add("submission", "consultations-error-one-id");
                Err(errors)
            }
        }
    }
}

pub async fn move_into(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, gid)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<OneSubmission>,
) -> PageResult {
    let found = reviewed(&state, &visitor, &id).await?;
    let generalised = generalised_of(&state, &found, &gid).await?;
    let submission = match form.id() {
        Ok(submission) => submission,
        Err(errors) => return refused(&state, &visitor, &found, None, &errors).await,
    };
    match state
        .store
        .consultations()
        .move_into(&visitor.actor(), generalised.id, submission)
        .await?
    {
        Ok(()) => Ok(see_other(&with_done(
            &generalised_link(found.id, generalised.id),
            "saved",
        ))),
        Err(refusal) => {
            refused(
                &state,
                &visitor,
                &found,
                Some(&refusal),
                &FieldErrors::default(),
            )
            .await
        }
    }
}

pub async fn reject(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<OneSubmission>,
) -> PageResult {
    let found = reviewed(&state, &visitor, &id).await?;
    let parsed = match (form.id(), parse_reason(&form.reason)) {
        (Ok(submission), Ok(reason)) => Ok((submission, reason)),
        (a, b) => {
            let mut errors = FieldErrors::default();
            for e in a.err().into_iter().chain(b.err()) {
                errors.0.extend(e.0);
            }
            Err(errors)
        }
    };
    let (submission, reason) = match parsed {
        Ok(parsed) => parsed,
        Err(errors) => return refused(&state, &visitor, &found, None, &errors).await,
    };
    match state
        .store
        .consultations()
        .reject(&visitor.actor(), found.id, submission, &reason)
        .await?
    {
        Ok(()) => Ok(see_other(&with_done(
            &format!("/consultations/{}#submission-{submission}", found.id),
            "saved",
        ))),
        Err(refusal) => {
            refused(
                &state,
                &visitor,
                &found,
                Some(&refusal),
                &FieldErrors::default(),
            )
            .await
        }
    }
}

/// The signed-in person's submissions, newest first, each with its fate.
pub async fn mine(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let lang = visitor.lang;
    let store = state.store.consultations();
    let submissions = store.by_author(person.id).await?;
    let mut by_consultation: BTreeMap<i64, (String, bool, BTreeMap<i64, FateView>)> =
        BTreeMap::new();
    for s in &submissions {
        if by_consultation.contains_key(&s.consultation_id) {
            continue;
        }
        let Some(found) = store.get(s.consultation_id).await? else {
            continue;
        };
        let generalised = store.generalised_list(found.id).await?;
        let places = store.plan_places(found.id).await?;
        let fates = fate_views(lang, &store.fates(found.id).await?, &generalised, &places);
        let open = found.state == megapolis_consultations::ConsultationState::Open;
        by_consultation.insert(
            found.id,
            (pick(lang, &found.title_ru, &found.title_en), open, fates),
        );
    }
    let list: Vec<minijinja::Value> = submissions
        .iter()
        .filter_map(|s| {
            let (title, open, fates) = by_consultation.get(&s.consultation_id)?;
            let fate = fates.get(&s.id);
            Some(context! {
                id => s.id,
                consultation => s.consultation_id,
                consultation_title => title,
                kind => s.kind.as_str(),
                lang => s.lang.code(),
                text => s.text,
                created_at => crate::dates::moment(&s.created_at, lang),
                topic => s.topic,
                // The author changes it while the consultation is open and the Council has not
                // considered it (the rule is `megapolis_consultations::edit`).
                editable => *open && fate.is_none(),
                fate => fate,
            })
        })
        .collect();
    Ok(render(
        &state,
        &visitor,
        "my-submissions.html",
        context! { submissions => list },
    )
    .await
    .into_response())
}

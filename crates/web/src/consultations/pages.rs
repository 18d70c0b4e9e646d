//! Consultations on the portal: the list (with the Secretariat's form to open one), and a
//! consultation's page with its submissions, the form to submit for whoever is signed in, and
//! for the Expert Council and the Secretariat the suggested groups at a threshold they choose
//! (a GET form) with each submission's most similar ones and their scores.
use super::api::{consultation, groups, reviewer, submit_input, Submit};
use crate::auth::Visitor;
use crate::forms::CsrfForm;
use crate::render::{errors_map, render, see_other, with_done, PageResult};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Extension;
use megapolis_consultations::{
    parse_threshold, ConsultationInput, Kind, Mode, Refusal, SubmissionInput,
};
use megapolis_domain::{FieldErrors, Lang, Role};
use megapolis_storage::consultations::{Consultation, Submission};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How many similar submissions the page shows beside each one.
const SIMILAR_SHOWN: usize = 3;

#[derive(Serialize)]
struct ConsultationView {
    id: i64,
    title: String,
    open: bool,
    state: &'static str,
    opens_on: Option<String>,
    closes_on: Option<String>,
    topics: Vec<String>,
    submissions: i64,
}

fn consultation_view(c: &Consultation, lang: Lang) -> ConsultationView {
    ConsultationView {
        id: c.id,
        title: lang.pick(&c.title_ru, &c.title_en).to_string(),
        open: c.state == megapolis_consultations::ConsultationState::Open,
        state: c.state.as_str(),
        opens_on: c.opens_on.clone(),
        closes_on: c.closes_on.clone(),
        topics: c.topics.clone(),
        submissions: c.submissions,
    }
}

/// The form of a new consultation as typed, to show it again with its errors.
#[derive(Serialize, Default)]
struct ConsultationForm {
    title_ru: String,
    title_en: String,
    opens_on: String,
    closes_on: String,
    topics: String,
}

impl From<&ConsultationInput> for ConsultationForm {
    fn from(i: &ConsultationInput) -> Self {
        ConsultationForm {
            title_ru: i.title_ru.clone(),
            title_en: i.title_en.clone(),
            opens_on: i.opens_on.clone(),
            closes_on: i.closes_on.clone(),
            topics: i.topics.clone(),
        }
    }
}

async fn list_page(
    state: &AppState,
    visitor: &Visitor,
    form: ConsultationForm,
    errors: &FieldErrors,
) -> PageResult {
    let list: Vec<ConsultationView> = state
        .store
        .consultations()
        .list()
        .await?
        .iter()
        .map(|c| consultation_view(c, visitor.lang))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let html = render(
        state,
        visitor,
        "consultations.html",
        context! { consultations => list, form => form, errors => errors_map(errors) },
    )
    .await;
    Ok((status, html).into_response())
}

pub async fn list(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    list_page(
        &state,
        &visitor,
        ConsultationForm::default(),
        &FieldErrors::default(),
    )
    .await
}

pub async fn create(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(input): CsrfForm<ConsultationInput>,
) -> PageResult {
    match input.parse() {
        Ok(consultation) => {
            let id = state
                .store
                .consultations()
                .create(&visitor.actor(), &consultation)
                .await?;
            Ok(see_other(&with_done(
                &format!("/consultations/{id}"),
                "created",
            )))
        }
        Err(errors) => list_page(&state, &visitor, (&input).into(), &errors).await,
    }
}

#[derive(Serialize)]
struct SimilarView {
    id: i64,
    score: String,
}

#[derive(Serialize)]
struct SubmissionView {
    id: i64,
    city: Option<String>,
    lang: &'static str,
    kind: &'static str,
    topic: Option<String>,
    text: String,
    /// The text's beginning, for the list of groups.
    excerpt: String,
    created_at: String,
    /// Only reviewers see who wrote it and the most similar submissions.
    author: Option<String>,
    similar: Vec<SimilarView>,
}

/// The submission form as typed, to show it again with its errors.
#[derive(Serialize)]
struct SubmissionForm {
    city: String,
    lang: String,
    kind: String,
    text: String,
    topic: String,
}

impl From<&SubmissionInput> for SubmissionForm {
    fn from(i: &SubmissionInput) -> Self {
        SubmissionForm {
            city: i.city.clone(),
            lang: i.lang.clone(),
            kind: i.kind.clone(),
            text: i.text.clone(),
            topic: i.topic.clone(),
        }
    }
}

/// What went wrong with a submission sent from the page.
struct Problem {
    errors: FieldErrors,
    refusal: Option<Refusal>,
}

/// The first words of a text, at most about 160 characters.
pub(crate) fn excerpt(text: &str) -> String {
    const CHARS: usize = 160;
    if text.chars().count() <= CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(CHARS).collect();
    let words = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{words}…")
}

#[derive(Deserialize)]
pub struct ShowQuery {
    threshold: Option<String>,
}

/// Which signals the suggestions use, for the sentence above the groups: `lexical` without an
/// embeddings endpoint, `pending` while some submissions have no embedding yet, `combined`.
#[derive(Serialize)]
struct SignalsView {
    mode: &'static str,
    model: String,
    embedded: usize,
    total: usize,
}

fn signals_view(state: &AppState, mode: Mode, total: usize) -> SignalsView {
    let embedded = match mode {
        Mode::Lexical => 0,
        Mode::Combined { embedded, .. } => embedded,
    };
    let (name, model) = match &state.config.embeddings {
        None => ("lexical", String::new()),
        Some(endpoint) if embedded < total => ("pending", endpoint.model.clone()),
        Some(endpoint) => ("combined", endpoint.model.clone()),
    };
    SignalsView {
        mode: name,
        model,
        embedded,
        total,
    }
}

async fn show_page(
    state: &AppState,
    visitor: &Visitor,
    found: &Consultation,
    threshold_raw: Option<&str>,
    form: Option<(&SubmissionInput, Problem)>,
) -> PageResult {
    let lang = visitor.lang;
    let cities = state.store.org().cities().await?;
    let city_names: HashMap<String, String> = cities
        .iter()
        .map(|c| {
            (
                c.code.to_string(),
                lang.pick(&c.name_ru, &c.name_en).to_string(),
            )
        })
        .collect();
    let submissions: Vec<Submission> = state.store.consultations().submissions(found.id).await?;
    let reviewing = reviewer(visitor).is_ok();
    let index = if reviewing && !submissions.is_empty() {
        Some(super::index::index_of(state, found.id).await?)
    } else {
        None
    };
    let mode = index.as_ref().map_or(Mode::Lexical, |i| i.mode());
    let threshold = parse_threshold(threshold_raw, mode.default_threshold());
    let threshold_error = threshold.is_err();
    let threshold = threshold.unwrap_or(mode.default_threshold());
    let view = |s: &Submission| SubmissionView {
        id: s.id,
        city: s.city.as_ref().map(|c| {
            city_names
                .get(c.as_str())
                .cloned()
                .unwrap_or_else(|| c.to_string())
        }),
        lang: s.lang.code(),
        kind: s.kind.as_str(),
        topic: s.topic.clone(),
        text: s.text.clone(),
        excerpt: excerpt(&s.text),
        created_at: crate::dates::moment(&s.created_at, lang),
        author: reviewing.then(|| s.author_name.clone()),
        similar: index
            .as_ref()
            .and_then(|i| i.similar(s.id, SIMILAR_SHOWN))
            .unwrap_or_default()
            .into_iter()
            .filter(|n| n.score > 0.0)
            .map(|n| SimilarView {
                id: n.id,
                score: format!("{:.2}", n.score),
            })
            .collect(),
    };
    let by_id: HashMap<i64, &Submission> = submissions.iter().map(|s| (s.id, s)).collect();
    let suggested: Vec<Vec<SubmissionView>> = if index.is_some() {
        groups(state, found.id, threshold)
            .await?
            .into_iter()
            .map(|g| {
                g.iter()
                    .filter_map(|id| by_id.get(id))
                    .map(|s| view(s))
                    .collect()
            })
            .collect()
    } else {
        Vec::new()
    };
    let together = suggested.iter().filter(|g| g.len() > 1).count();
    let listed: Vec<SubmissionView> = submissions.iter().map(view).collect();
    let person = visitor.person.as_ref();
    let (form, status, errors, refusal) = match form {
        Some((input, problem)) => {
            let status = match problem.refusal {
                Some(Refusal::NotYourCity) => StatusCode::FORBIDDEN,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            let refusal_key = problem.refusal.as_ref().map(|r| match r {
                Refusal::Closed => "consultation-refused-closed",
                Refusal::UnknownCity(_) => "consultation-refused-city",
                Refusal::NotYourCity => "consultation-refused-not-your-city",
            });
            (
                SubmissionForm::from(input),
                status,
                problem.errors,
                refusal_key,
            )
        }
        None => (
            SubmissionForm {
                city: person
                    .and_then(|p| p.city.as_ref())
                    .map(|c| c.to_string())
                    .unwrap_or_default(),
                lang: lang.code().into(),
                kind: Kind::Proposal.as_str().into(),
                text: String::new(),
                topic: String::new(),
            },
            StatusCode::OK,
            FieldErrors::default(),
            None,
        ),
    };
    // The Secretariat chooses any city; a representative speaks for theirs; others for none.
    let city_choice: Vec<(String, String)> = match person.map(|p| p.role) {
        Some(Role::Admin | Role::Secretariat) => cities
            .iter()
            .map(|c| {
                (
                    c.code.to_string(),
                    lang.pick(&c.name_ru, &c.name_en).to_string(),
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    let own_city = person.and_then(|p| p.city.as_ref()).map(|c| {
        city_names
            .get(c.as_str())
            .cloned()
            .unwrap_or_else(|| c.to_string())
    });
    let generalisation = super::generalise::page_part(state, lang, found, reviewing).await?;
    let html = render(
        state,
        visitor,
        "consultation.html",
        context! {
            generalisation => generalisation,
            consultation => consultation_view(found, lang),
            submissions => listed,
            reviewing => reviewing,
            groups => suggested,
            together => together,
            threshold => format!("{threshold:.2}"),
            threshold_error => threshold_error,
            default_threshold => format!("{:.2}", mode.default_threshold()),
            signals => signals_view(state, mode, submissions.len()),
            form => form,
            errors => errors_map(&errors),
            refusal => refusal,
            city_choice => city_choice,
            own_city => own_city,
        },
    )
    .await;
    Ok((status, html).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    Query(query): Query<ShowQuery>,
) -> PageResult {
    let found = consultation(&state, &id).await?;
    show_page(&state, &visitor, &found, query.threshold.as_deref(), None).await
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<SubmissionInput>,
) -> PageResult {
    let found = consultation(&state, &id).await?;
    let problem = match submit_input(&state, &visitor, found.id, &input).await {
        Ok(new) => {
            let to = with_done(
                &format!("/consultations/{}#submission-{new}", found.id),
                "created",
            );
            return Ok(see_other(&to));
        }
        Err(Submit::Failed(e)) => return Err(e),
        Err(Submit::Invalid(errors)) => Problem {
            errors,
            refusal: None,
        },
        Err(Submit::Refused(refusal)) => Problem {
            errors: FieldErrors::default(),
            refusal: Some(refusal),
        },
    };
    // The consultation as it is now (its count), with the form as typed.
    let found = consultation(&state, &id).await?;
    show_page(&state, &visitor, &found, None, Some((&input, problem))).await
}

#[derive(Deserialize)]
pub struct NoFields {}

pub async fn close(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> PageResult {
    let found = consultation(&state, &id).await?;
    state
        .store
        .consultations()
        .close(&visitor.actor(), found.id)
        .await?;
    Ok(see_other(&with_done(
        &format!("/consultations/{}", found.id),
        "saved",
    )))
}

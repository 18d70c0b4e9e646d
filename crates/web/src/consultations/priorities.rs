//! The priority directions of the "Electronic city of the future" on the portal: the public page
//! shows the published ones with their evidence and progress (also as JSON); the Expert Council
//! and the Secretariat see them all and propose one by ticking its evidence (generalised
//! proposals, the criteria of the latest published monitoring edition, catalogue solutions, plan
//! items); the Board's chair approves, the Secretariat publishes.
use super::api::ApiResult;
use super::generalise::pick;
use crate::api::fail;
use crate::auth::Visitor;
use crate::error::AppError;
use crate::forms::CsrfForm;
use crate::render::{errors_map, message, render, see_other, signed_in, with_done, PageResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use megapolis_consultations::may_review;
use megapolis_consultations::plan::PlanState;
use megapolis_consultations::priorities::{
    progress, Evidence, PriorityAction, PriorityInput, PriorityRefusal, APPROVER_BODY,
};
use megapolis_domain::Lang;
use megapolis_storage::consultations::Priority;
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// A piece of evidence as pages and the API show it.
#[derive(Serialize, Clone, ToSchema)]
pub struct EvidenceView {
    /// generalised | criterion | solution | plan-item
    pub kind: String,
    /// The form's checkbox name and the stored reference: `kind-reference`.
    #[serde(skip)]
    pub key: String,
    pub label: String,
    /// Where it is on the portal.
    pub href: String,
}

/// Every piece of evidence there is, by its key, with its label and address.
async fn evidence_catalogue(state: &AppState, lang: Lang) -> Result<Vec<EvidenceView>, AppError> {
    let store = state.store.consultations();
    let mut all = Vec::new();
    let view = |e: Evidence, label: String, href: String| EvidenceView {
        kind: e.kind().to_string(),
        key: format!("{}-{}", e.kind(), e.reference()),
        label,
        href,
    };
    for consultation in store.list().await? {
        for g in store.generalised_list(consultation.id).await? {
            let href = format!("/consultations/{}/generalised/{}", consultation.id, g.id);
            let label = format!(
                "№ {} — {}",
                g.id,
                super::pages::excerpt(&pick(lang, &g.text_ru, &g.text_en))
            );
            all.push(view(Evidence::Generalised { id: g.id }, label, href));
        }
        for summary in store.plans(consultation.id).await? {
            if summary.state != PlanState::Approved {
                continue;
            }
            let Some(plan) = store.plan(summary.id).await? else {
                continue;
            };
            for item in plan.items {
                let href = format!(
                    "/consultations/{}/plans/{}#item-{}",
                    consultation.id, plan.id, item.number
                );
                let label = format!(
                    "{}, {} {} — {}",
                    pick(lang, &plan.title_ru, &plan.title_en),
                    state.i18n.get(lang, "consultations-fate-item", &[]),
                    item.number,
                    super::pages::excerpt(&item.action)
                );
                all.push(view(Evidence::PlanItem { id: item.id }, label, href));
            }
        }
    }
    if let Some((edition, criteria)) =
        crate::monitoring::public::published_criteria(state, lang).await?
    {
        for (code, name) in criteria {
            let href = format!("/monitoring/editions/{edition}/methodology");
            all.push(view(
                Evidence::Criterion {
                    edition,
                    code: code.clone(),
                },
                format!("{code} — {name}"),
                href,
            ));
        }
    }
    for s in state.store.catalogue().list(true).await? {
        let href = format!("/catalogue/{}", s.id);
        all.push(view(
            Evidence::Solution { id: s.id },
            pick(lang, &s.title_ru, &s.title_en),
            href,
        ));
    }
    Ok(all)
}

#[derive(Serialize)]
struct PriorityView {
    id: i64,
    title: String,
    description: String,
    state: &'static str,
    approved_by: Option<String>,
    evidence: Vec<EvidenceView>,
    progress: Option<i64>,
}

fn priority_view(p: &Priority, lang: Lang, known: &HashMap<String, EvidenceView>) -> PriorityView {
    PriorityView {
        id: p.id,
        title: pick(lang, &p.title_ru, &p.title_en),
        description: pick(lang, &p.description_ru, &p.description_en),
        state: p.state.as_str(),
        approved_by: p.approved_by.clone(),
        evidence: p
            .evidence
            .iter()
            .map(|e| {
                let key = format!("{}-{}", e.kind(), e.reference());
                known.get(&key).cloned().unwrap_or(EvidenceView {
                    kind: e.kind().to_string(),
                    label: e.reference(),
                    href: String::new(),
                    key,
                })
            })
            .collect(),
        progress: progress(&p.assignments),
    }
}

/// `GET /priorities`.
pub async fn page(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let lang = visitor.lang;
    let person = visitor.person.as_ref();
    // Those who propose, approve or publish see every direction; the public the published ones.
    let working = person.is_some_and(|p| {
        may_review(p)
            || p.memberships
                .iter()
                .any(|m| m.body.as_str() == APPROVER_BODY)
    });
    let catalogue = evidence_catalogue(&state, lang).await?;
    let known: HashMap<String, EvidenceView> = catalogue
        .iter()
        .map(|e| (e.key.clone(), e.clone()))
        .collect();
    let list: Vec<PriorityView> = state
        .store
        .consultations()
        .priorities(!working)
        .await?
        .iter()
        .map(|p| priority_view(p, lang, &known))
        .collect();
    let reviewing = person.is_some_and(may_review);
    let html = render(
        &state,
        &visitor,
        "priorities.html",
        context! {
            priorities => list,
            reviewing => reviewing,
            working => working,
            choices => if reviewing { catalogue.iter().map(|e| context! { key => e.key, kind => e.kind, label => e.label }).collect::<Vec<_>>() } else { Vec::new() },
        },
    )
    .await;
    Ok(html.into_response())
}

/// The proposal form: the texts, and the evidence as ticked boxes named `kind-reference`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProposeForm {
    title_ru: String,
    title_en: String,
    description_ru: String,
    description_en: String,
    #[serde(flatten)]
    rest: HashMap<String, String>,
}

async fn refused(
    state: &AppState,
    visitor: &Visitor,
    status: StatusCode,
    refusal: Option<&PriorityRefusal>,
    errors: &megapolis_domain::FieldErrors,
) -> PageResult {
    let key = refusal.map(|r| match r {
        PriorityRefusal::NotReviewer => "consultations-priority-refused-not-reviewer",
        PriorityRefusal::NotApprover => "consultations-priority-refused-not-approver",
        PriorityRefusal::NotPublisher => "consultations-priority-refused-not-publisher",
        PriorityRefusal::WrongState(_) => "consultations-priority-refused-state",
        PriorityRefusal::UnknownEvidence(_) => "consultations-priority-refused-evidence",
    });
    let html = render(
        state,
        visitor,
        "priority-refused.html",
        context! { refusal => key.map(|k| message(k, "")), errors => errors_map(errors) },
    )
    .await;
    Ok((status, html).into_response())
}

/// `POST /priorities`.
pub async fn propose(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(form): CsrfForm<ProposeForm>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    if !may_review(person) {
        return Err(AppError::Forbidden);
    }
    let input = PriorityInput {
        title_ru: form.title_ru,
        title_en: form.title_en,
        description_ru: form.description_ru,
        description_en: form.description_en,
    };
    let ticked = form
        .rest
        .keys()
        .filter(|k| k.as_str() != "_csrf")
        .map(String::as_str);
    let priority = match input.parse(ticked) {
        Ok(priority) => priority,
        Err(errors) => {
            return refused(
                &state,
                &visitor,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                &errors,
            )
            .await
        }
    };
    match state
        .store
        .consultations()
        .propose_priority(person, &priority)
        .await?
    {
        Ok(id) => Ok(see_other(&with_done(
            &format!("/priorities#priority-{id}"),
            "created",
        ))),
        Err(refusal) => {
            refused(
                &state,
                &visitor,
                StatusCode::CONFLICT,
                Some(&refusal),
                &Default::default(),
            )
            .await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActForm {
    action: String,
}

/// `POST /priorities/{id}/act`: approve (the Board's chair) or publish (the Secretariat).
pub async fn act(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActForm>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let id: i64 = id.trim().parse().map_err(|_| AppError::NotFound)?;
    let Some(action) = PriorityAction::parse(&form.action) else {
        let mut errors = megapolis_domain::FieldErrors::default();
        errors.add("action", "error-choice");
        return refused(
            &state,
            &visitor,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            &errors,
        )
        .await;
    };
    match state
        .store
        .consultations()
        .act_on_priority(person, id, action)
        .await?
    {
        Ok(_) => Ok(see_other(&with_done(
            &format!("/priorities#priority-{id}"),
            "saved",
        ))),
        Err(refusal) => {
            let status = match refusal {
                PriorityRefusal::WrongState(_) => StatusCode::CONFLICT,
                _ => StatusCode::FORBIDDEN,
            };
            refused(
                &state,
                &visitor,
                status,
                Some(&refusal),
                &Default::default(),
            )
            .await
        }
    }
}

/// A published priority direction.
#[derive(Serialize, ToSchema)]
pub struct ApiPriority {
    pub id: i64,
    pub title_ru: String,
    pub title_en: String,
    pub description_ru: String,
    pub description_en: String,
    pub evidence: Vec<EvidenceView>,
    /// The mean progress (0–100) of the assignments its plan items became, when it has any.
    pub progress: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/priorities", tag = "consultations",
    responses((status = 200, description = "The published priority directions with their evidence and progress", body = Vec<ApiPriority>)))]
pub async fn api_list(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> ApiResult {
    let catalogue = evidence_catalogue(&state, visitor.lang)
        .await
        .map_err(fail)?;
    let known: HashMap<String, EvidenceView> =
        catalogue.into_iter().map(|e| (e.key.clone(), e)).collect();
    let list = state
        .store
        .consultations()
        .priorities(true)
        .await
        .map_err(fail)?;
    let list: Vec<ApiPriority> = list
        .iter()
        .map(|p| {
            let view = priority_view(p, visitor.lang, &known);
            ApiPriority {
                id: p.id,
                title_ru: p.title_ru.clone(),
                title_en: p.title_en.clone(),
                description_ru: p.description_ru.clone(),
                description_en: p.description_en.clone(),
                evidence: view.evidence,
                progress: view.progress,
            }
        })
        .collect();
    Ok(Json(list).into_response())
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(api_list), components(schemas(ApiPriority, EvidenceView)))]
pub(crate) struct PrioritiesApi;

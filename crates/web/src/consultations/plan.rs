//! Plans of joint actions on the portal: the Council or the Secretariat drafts one for a
//! consultation (the decision whose control its items join, the body whose chair approves it),
//! adds items from the generalised proposals, sends it for review; the approver's chair approves
//! it or returns it with remarks. The approved plan's items link to their assignments.
use super::api::{consultation, reviewer};
use super::generalise::{pick, refused_page};
use crate::auth::Visitor;
use crate::error::AppError;
use crate::forms::CsrfForm;
use crate::render::{message, render, see_other, signed_in, with_done, Message, PageResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Extension;
use megapolis_consultations::plan::{
    is_approver, ItemInput, PlanAction, PlanInput, PlanRefusal, PlanState,
};
use megapolis_domain::{FieldErrors, Lang};
use megapolis_storage::consultations::{Consultation, Plan};
use minijinja::context;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use time::OffsetDateTime;

fn plan_link(consultation: i64, plan: i64) -> String {
    format!("/consultations/{consultation}/plans/{plan}")
}

fn refusal_message(refusal: &PlanRefusal) -> Message {
    let (key, arg) = match refusal {
        PlanRefusal::NotReviewer => ("consultations-plan-refused-not-reviewer", String::new()),
        PlanRefusal::NotApprover => ("consultations-plan-refused-not-approver", String::new()),
        PlanRefusal::WrongState(state) => ("consultations-plan-refused-state", state.to_string()),
        PlanRefusal::Empty => ("consultations-plan-refused-empty", String::new()),
        PlanRefusal::RemarksRequired => ("consultations-plan-refused-remarks", String::new()),
        PlanRefusal::OtherConsultation(id) => ("consultations-plan-refused-other", id.to_string()),
        PlanRefusal::UnknownDecision(id) => ("consultations-plan-refused-decision", id.to_string()),
        PlanRefusal::UnknownBody(id) => ("consultations-plan-refused-body", id.clone()),
    };
    message(key, arg)
}

/// A refused or invalid step on a plan: what and where; nothing was saved.
async fn refused(
    state: &AppState,
    visitor: &Visitor,
    found: &Consultation,
    refusal: Option<&PlanRefusal>,
    errors: &FieldErrors,
) -> PageResult {
    let status = match refusal {
        Some(PlanRefusal::NotReviewer | PlanRefusal::NotApprover) => StatusCode::FORBIDDEN,
        Some(_) => StatusCode::CONFLICT,
        None => StatusCode::UNPROCESSABLE_ENTITY,
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

/// The choices the plan's forms offer: decisions of the register and bodies of the directory.
pub(crate) async fn choices(
    state: &AppState,
    lang: Lang,
) -> Result<(Vec<(i64, String)>, Vec<(String, String)>), AppError> {
    let today = OffsetDateTime::now_utc().date();
    let decisions = state
        .store
        .decisions()
        .list(false, today)
        .await?
        .into_iter()
        .map(|d| (d.id, format!("№ {} · {}", d.session.number, d.title)))
        .collect();
    let bodies = state
        .store
        .org()
        .bodies()
        .await?
        .into_iter()
        .map(|b| (b.id.to_string(), pick(lang, &b.name_ru, &b.name_en)))
        .collect();
    Ok((decisions, bodies))
}

pub async fn create(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<PlanInput>,
) -> PageResult {
    reviewer(&visitor)?;
    let found = consultation(&state, &id).await?;
    let plan = match input.parse() {
        Ok(plan) => plan,
        Err(errors) => return refused(&state, &visitor, &found, None, &errors).await,
    };
    match state
        .store
        .consultations()
        .create_plan(&visitor.actor(), found.id, &plan)
        .await?
    {
        Ok(new) => Ok(see_other(&with_done(&plan_link(found.id, new), "created"))),
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

/// Plan `pid` of consultation `found`.
async fn plan_of(state: &AppState, found: &Consultation, pid: &str) -> Result<Plan, AppError> {
    let pid: i64 = pid.trim().parse().map_err(|_| AppError::NotFound)?;
    state
        .store
        .consultations()
        .plan(pid)
        .await?
        .filter(|p| p.consultation_id == found.id)
        .ok_or(AppError::NotFound)
}

pub async fn show(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, pid)): Path<(String, String)>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let found = consultation(&state, &id).await?;
    let plan = plan_of(&state, &found, &pid).await?;
    let lang = visitor.lang;
    let store = state.store.consultations();
    let generalised = store.generalised_list(found.id).await?;
    let texts: HashMap<i64, String> = generalised
        .iter()
        .map(|g| (g.id, pick(lang, &g.text_ru, &g.text_en)))
        .collect();
    let (_, bodies) = choices(&state, lang).await?;
    let body_names: HashMap<&str, &str> = bodies
        .iter()
        .map(|(id, name)| (id.as_str(), name.as_str()))
        .collect();
    let name = |id: &str| {
        body_names
            .get(id)
            .map_or_else(|| id.to_string(), |n| n.to_string())
    };
    // Items grouped by topic, in the plan's order within each.
    let mut topics: BTreeMap<String, Vec<minijinja::Value>> = BTreeMap::new();
    for item in &plan.items {
        topics.entry(item.topic.clone()).or_default().push(context! {
            number => item.number,
            generalised => item.generalised_id,
            generalised_text => texts.get(&item.generalised_id),
            action => item.action,
            lead => name(item.lead.as_str()),
            co_executors => item.co_executors.iter().map(|c| name(c.as_str())).collect::<Vec<_>>(),
            deadline => item.deadline.map(|d| d.to_string()),
            expected_result => item.expected_result,
            assignment => item.assignment_id,
        });
    }
    let topics: Vec<minijinja::Value> = topics
        .into_iter()
        .map(|(topic, items)| context! { topic => topic, items => items })
        .collect();
    let history: Vec<minijinja::Value> = store
        .plan_history(plan.id)
        .await?
        .iter()
        .map(|e| context! { at => crate::dates::moment(&e.at, lang), actor => e.actor, kind => e.kind, text => e.text })
        .collect();
    let reviewing = reviewer(&visitor).is_ok();
    let approving = is_approver(person, &plan.approver);
    let html = render(
        &state,
        &visitor,
        "plan.html",
        context! {
            consultation => context! { id => found.id, title => pick(lang, &found.title_ru, &found.title_en) },
            plan => context! {
                id => plan.id,
                title => pick(lang, &plan.title_ru, &plan.title_en),
                state => plan.state.as_str(),
                draft => plan.state == PlanState::Draft,
                review => plan.state == PlanState::Review,
                decision => plan.decision_id,
                decision_title => plan.decision_title,
                approver => name(plan.approver.as_str()),
                approved_at => plan.approved_at.as_deref().map(|a| crate::dates::moment(a, lang)),
                approved_by => plan.approved_by,
                items => plan.items.len(),
            },
            topics => topics,
            history => history,
            reviewing => reviewing,
            approving => approving,
            generalised => generalised.iter().map(|g| (g.id, super::pages::excerpt(&pick(lang, &g.text_ru, &g.text_en)))).collect::<Vec<_>>(),
            bodies => bodies,
        },
    )
    .await;
    Ok(html.into_response())
}

/// The item form: like [`ItemInput`], with the co-executors as checkboxes `co-<body>`.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ItemForm {
    generalised: String,
    action: String,
    lead: String,
    deadline: String,
    expected_result: String,
    #[serde(flatten)]
    rest: HashMap<String, String>,
}

impl ItemForm {
    fn input(&self) -> ItemInput {
        let co: Vec<&str> = self
            .rest
            .keys()
            .filter_map(|k| k.strip_prefix("co-"))
            .collect();
        ItemInput {
            generalised: self.generalised.clone(),
            action: self.action.clone(),
            lead: self.lead.clone(),
            co_executors: co.join(" "),
            deadline: self.deadline.clone(),
            expected_result: self.expected_result.clone(),
        }
    }
}

pub async fn add_item(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, pid)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<ItemForm>,
) -> PageResult {
    reviewer(&visitor)?;
    let found = consultation(&state, &id).await?;
    let plan = plan_of(&state, &found, &pid).await?;
    let item = match form.input().parse() {
        Ok(item) => item,
        Err(errors) => return refused(&state, &visitor, &found, None, &errors).await,
    };
    match state
        .store
        .consultations()
        .add_item(&visitor.actor(), plan.id, &item)
        .await?
    {
        Ok(_) => Ok(see_other(&with_done(
            &plan_link(found.id, plan.id),
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

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActForm {
    action: String,
    remarks: String,
}

pub async fn act(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, pid)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<ActForm>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let found = consultation(&state, &id).await?;
    let plan = plan_of(&state, &found, &pid).await?;
    let Some(action) = PlanAction::parse(&form.action) else {
        let mut errors = FieldErrors::default();
        errors.add("action", "error-choice");
        return refused(&state, &visitor, &found, None, &errors).await;
    };
    match state
        .store
        .consultations()
        .act_on_plan(person, plan.id, action, &form.remarks)
        .await?
    {
        Ok(_) => Ok(see_other(&with_done(
            &plan_link(found.id, plan.id),
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

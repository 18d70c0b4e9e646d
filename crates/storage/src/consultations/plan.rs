//! Plans of joint actions. A plan hangs on a decision of the register (whose controller watches
//! its items) and names the body whose chair approves it; items are added while it is a draft.
//! Approval, in one transaction, makes every item an assignment of that decision (lead,
//! co-executors, deadline, controller) and links the item to it.
use crate::assignments::insert_assignment;
use crate::audit::audit_entry;
use crate::db::{now_utc, on_pool, on_tx, NamedRow, WriteTx};
use crate::{date_to_text, text_to_date, StorageError};
use megapolis_assignments::{AssignmentKind, Executor, NewAssignment};
use megapolis_consultations::plan::{
    apply, item_label, NewItem, NewPlan, PlanAction, PlanRefusal, PlanState,
};
use megapolis_domain::{BodyId, Person};
use serde::Serialize;
use time::Date;

/// A plan with its items in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub id: i64,
    pub consultation_id: i64,
    pub title_ru: String,
    pub title_en: String,
    pub decision_id: i64,
    pub decision_title: String,
    pub approver: BodyId,
    pub state: PlanState,
    pub created_at: String,
    pub approved_at: Option<String>,
    pub approved_by: Option<String>,
    pub items: Vec<PlanItem>,
}

/// One item of a plan, with the generalised proposal it carries out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanItem {
    pub id: i64,
    /// 1-based, in the plan's order.
    pub number: usize,
    pub generalised_id: i64,
    pub topic: String,
    pub action: String,
    pub lead: BodyId,
    pub co_executors: Vec<BodyId>,
    pub deadline: Option<Date>,
    pub expected_result: String,
    /// The assignment it became when the plan was approved.
    pub assignment_id: Option<i64>,
}

/// One step of a plan's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanEvent {
    pub at: String,
    pub actor: String,
    /// created | item | review | return | approve
    pub kind: String,
    pub text: String,
}

/// Where a generalised proposal stands in a plan: for the fate of its sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanPlace {
    pub generalised_id: i64,
    pub plan_id: i64,
    pub title_ru: String,
    pub title_en: String,
    pub state: PlanState,
    pub number: usize,
    pub assignment_id: Option<i64>,
}

const PLAN: &str = "SELECT p.id, p.consultation_id, p.title_ru, p.title_en, p.decision_id, d.title AS decision_title, \
     p.approver_body_id, p.state, p.created_at, p.approved_at, p.approved_by \
     FROM consultation_plans p JOIN decisions d ON d.id = p.decision_id";

fn corrupt(what: &str, value: &str) -> StorageError {
    StorageError::Corrupt(format!("plan {what} {value:?}"))
}

fn body(text: &str) -> Result<BodyId, StorageError> {
    BodyId::parse(text).map_err(|_| corrupt("body", text))
}

fn state_of(text: &str) -> Result<PlanState, StorageError> {
    PlanState::parse(text).ok_or_else(|| corrupt("state", text))
}

fn plan_of(row: &impl NamedRow) -> Result<Plan, StorageError> {
    Ok(Plan {
        id: row.int("id")?,
        consultation_id: row.int("consultation_id")?,
        title_ru: row.text("title_ru")?,
        title_en: row.text("title_en")?,
        decision_id: row.int("decision_id")?,
        decision_title: row.text("decision_title")?,
        approver: body(&row.text("approver_body_id")?)?,
        state: state_of(&row.text("state")?)?,
        created_at: row.text("created_at")?,
        approved_at: row.text_or_none("approved_at")?,
        approved_by: row.text_or_none("approved_by")?,
        items: Vec::new(),
    })
}

fn item_of(number: usize, row: &impl NamedRow) -> Result<PlanItem, StorageError> {
    let co = row.text("co_executors")?;
    let co: Vec<String> = serde_json::from_str(&co).map_err(|_| corrupt("co-executors", &co))?;
    Ok(PlanItem {
        id: row.int("id")?,
        number,
        generalised_id: row.int("generalised_id")?,
        topic: row.text("topic")?,
        action: row.text("action")?,
        lead: body(&row.text("lead_body_id")?)?,
        co_executors: co.iter().map(|c| body(c)).collect::<Result<_, _>>()?,
        deadline: text_to_date(Some(row.text("deadline")?))?,
        expected_result: row.text("expected_result")?,
        assignment_id: row.int_or_none("assignment_id")?,
    })
}

const ITEMS: &str = "SELECT id, generalised_id, topic, action, lead_body_id, co_executors, deadline, expected_result, assignment_id \
     FROM consultation_plan_items WHERE plan_id = $1 ORDER BY position";

/// What the audit log keeps of a plan's step.
#[derive(Serialize)]
struct PlanAudit<'a> {
    action: &'static str,
    state: &'static str,
    remarks: &'a str,
    assignments: &'a [i64],
}

async fn plan_event(
    tx: &mut WriteTx,
    plan: i64,
    actor: &str,
    kind: &str,
    text: &str,
) -> Result<(), StorageError> {
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO consultation_plan_events (plan_id, at, actor, kind, text) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(plan)
    .bind(now_utc())
    .bind(actor)
    .bind(kind)
    .bind(text)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Whether body `id` is in the directory, and its Russian name.
async fn body_name(tx: &mut WriteTx, id: &BodyId) -> Result<Option<String>, StorageError> {
    let name: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT name_ru FROM bodies WHERE id = $1",
    )
    .bind(id.as_str())
    .fetch_optional(conn)
    .await?);
    Ok(name)
}

/// A plan's consultation, state, approver and decision, read in the write.
async fn plan_head(
    tx: &mut WriteTx,
    id: i64,
) -> Result<(i64, PlanState, BodyId, i64), StorageError> {
    let row: Option<(i64, String, String, i64)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT consultation_id, state, approver_body_id, decision_id FROM consultation_plans WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?);
    let (consultation, state, approver, decision) =
        row.ok_or_else(|| StorageError::NotFound(format!("plan {id}")))?;
    Ok((consultation, state_of(&state)?, body(&approver)?, decision))
}

/// The outcome of a plan's step: `Err` is the rules' refusal, nothing saved.
pub type Planned<T> = Result<Result<T, PlanRefusal>, StorageError>;

impl super::Consultations<'_> {
    /// Drafts a plan for consultation `consultation`.
    pub async fn create_plan(
        &self,
        actor: &str,
        consultation: i64,
        plan: &NewPlan,
    ) -> Planned<i64> {
        let mut tx = self.begin_write().await?;
        let decision: Option<i64> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT id FROM decisions WHERE id = $1",
        )
        .bind(plan.decision)
        .fetch_optional(conn)
        .await?);
        if decision.is_none() {
            return Ok(Err(PlanRefusal::UnknownDecision(plan.decision)));
        }
        if body_name(&mut tx, &plan.approver).await?.is_none() {
            return Ok(Err(PlanRefusal::UnknownBody(plan.approver.to_string())));
        }
        let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO consultation_plans (consultation_id, title_ru, title_en, decision_id, approver_body_id, state, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(consultation)
        .bind(&plan.title_ru)
        .bind(&plan.title_en)
        .bind(plan.decision)
        .bind(plan.approver.as_str())
        .bind(PlanState::Draft.as_str())
        .bind(now_utc())
        .bind(actor)
        .fetch_one(conn)
        .await?);
        plan_event(&mut tx, id, actor, "created", "").await?;
        tx.audit(&audit_entry(
            actor,
            "create",
            "consultation_plan",
            &id.to_string(),
            None,
            Some(plan),
        ))
        .await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Adds an item to draft plan `id`; its topic is the generalised proposal's.
    pub async fn add_item(&self, actor: &str, id: i64, item: &NewItem) -> Planned<i64> {
        let mut tx = self.begin_write().await?;
        let (consultation, state, _, _) = plan_head(&mut tx, id).await?;
        if state != PlanState::Draft {
            return Ok(Err(PlanRefusal::WrongState(state.as_str())));
        }
        let found: Option<(i64, Option<String>)> = on_tx!(tx, conn => sqlx::query_as(
            "SELECT consultation_id, topic FROM consultation_generalised WHERE id = $1",
        )
        .bind(item.generalised)
        .fetch_optional(conn)
        .await?);
        let topic = match found {
            Some((c, topic)) if c == consultation => topic.unwrap_or_default(),
            _ => return Ok(Err(PlanRefusal::OtherConsultation(item.generalised))),
        };
        for body in std::iter::once(&item.lead).chain(&item.co_executors) {
            if body_name(&mut tx, body).await?.is_none() {
                return Ok(Err(PlanRefusal::UnknownBody(body.to_string())));
            }
        }
        let co = serde_json::to_string(&item.co_executors)
            .map_err(|e| StorageError::Corrupt(e.to_string()))?;
        let new: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO consultation_plan_items (plan_id, position, generalised_id, topic, action, lead_body_id, co_executors, deadline, expected_result) \
             VALUES ($1, (SELECT COUNT(*) FROM consultation_plan_items WHERE plan_id = $1), $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(id)
        .bind(item.generalised)
        .bind(&topic)
        .bind(&item.action)
        .bind(item.lead.as_str())
        .bind(&co)
        .bind(date_to_text(Some(item.deadline)))
        .bind(&item.expected_result)
        .fetch_one(conn)
        .await?);
        plan_event(&mut tx, id, actor, "item", &item.action).await?;
        tx.audit(&audit_entry(
            actor,
            "create",
            "consultation_plan_item",
            &new.to_string(),
            None,
            Some(item),
        ))
        .await?;
        tx.commit().await?;
        Ok(Ok(new))
    }

    /// Takes `action` on plan `id` as `person`; approving makes every item an assignment of the
    /// plan's decision, controlled by the decision's controller (or the approving body).
    pub async fn act_on_plan(
        &self,
        person: &Person,
        id: i64,
        action: PlanAction,
        remarks: &str,
    ) -> Planned<PlanState> {
        let actor = person.email.to_string();
        let mut tx = self.begin_write().await?;
        let (_, state, approver, decision) = plan_head(&mut tx, id).await?;
        let items = read_items(&mut tx, id).await?;
        let next = match apply(state, action, person, &approver, items.len(), remarks) {
            Ok(next) => next,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let mut assignments = Vec::new();
        if next == PlanState::Approved {
            let controller: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
                "SELECT controller_body_id FROM decisions WHERE id = $1",
            )
            .bind(decision)
            .fetch_one(conn)
            .await?);
            let controller = controller.unwrap_or_else(|| approver.to_string());
            let first: i64 = on_tx!(tx, conn => sqlx::query_scalar(
                "SELECT COUNT(*) FROM assignments WHERE decision_id = $1",
            )
            .bind(decision)
            .fetch_one(conn)
            .await?);
            for item in &items {
                let assignment = NewAssignment {
                    item: item_label(id, item.number),
                    kind: AssignmentKind::Assignment,
                    task: format!("{}\n{}", item.action, item.expected_result),
                    lead: Some(executor(&mut tx, &item.lead).await?),
                    co_executors: executors(&mut tx, &item.co_executors).await?,
                    deadline: item.deadline,
                    deadline_text: None,
                    recurrence: None,
                    doubts: Vec::new(),
                };
                let position = first + item.number as i64;
                let new = insert_assignment(
                    &mut tx,
                    &actor,
                    decision,
                    position,
                    &assignment,
                    Some(&controller),
                    None,
                )
                .await?;
                on_tx!(tx, conn => sqlx::query("UPDATE consultation_plan_items SET assignment_id = $1 WHERE id = $2")
                    .bind(new)
                    .bind(item.id)
                    .execute(conn)
                    .await
                    .map(|r| r.rows_affected()))?;
                assignments.push(new);
            }
        }
        on_tx!(tx, conn => sqlx::query(
            "UPDATE consultation_plans SET state = $1, approved_at = $2, approved_by = $3 WHERE id = $4",
        )
        .bind(next.as_str())
        .bind((next == PlanState::Approved).then(now_utc))
        .bind((next == PlanState::Approved).then(|| person.name.clone()))
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        plan_event(&mut tx, id, &person.name, action.as_str(), remarks.trim()).await?;
        tx.audit(&audit_entry(
            &actor,
            action.as_str(),
            "consultation_plan",
            &id.to_string(),
            None,
            Some(&PlanAudit {
                action: action.as_str(),
                state: next.as_str(),
                remarks: remarks.trim(),
                assignments: &assignments,
            }),
        ))
        .await?;
        tx.commit().await?;
        Ok(Ok(next))
    }

    /// The plans of a consultation, by id, without their items.
    pub async fn plans(&self, consultation: i64) -> Result<Vec<Plan>, StorageError> {
        let sql = format!("{PLAN} WHERE p.consultation_id = $1 ORDER BY p.id");
        let list = on_pool!(self, pool => sqlx::query(&sql)
            .bind(consultation)
            .fetch_all(pool)
            .await?
            .iter()
            .map(plan_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(list)
    }

    /// Plan `id` with its items.
    pub async fn plan(&self, id: i64) -> Result<Option<Plan>, StorageError> {
        let sql = format!("{PLAN} WHERE p.id = $1");
        let found = on_pool!(self, pool => sqlx::query(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await?
            .as_ref()
            .map(plan_of)
            .transpose()?);
        let Some(mut plan) = found else {
            return Ok(None);
        };
        plan.items = on_pool!(self, pool => sqlx::query(ITEMS)
            .bind(id)
            .fetch_all(pool)
            .await?
            .iter()
            .enumerate()
            .map(|(n, row)| item_of(n + 1, row))
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(Some(plan))
    }

    /// Plan `id`'s history, oldest first.
    pub async fn plan_history(&self, id: i64) -> Result<Vec<PlanEvent>, StorageError> {
        let rows: Vec<(String, String, String, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT at, actor, kind, text FROM consultation_plan_events WHERE plan_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(at, actor, kind, text)| PlanEvent {
                at,
                actor,
                kind,
                text,
            })
            .collect())
    }

    /// Where the generalised proposals of a consultation stand in its plans.
    pub async fn plan_places(&self, consultation: i64) -> Result<Vec<PlanPlace>, StorageError> {
        let places = on_pool!(self, pool => sqlx::query(
            "SELECT i.generalised_id, p.id AS plan_id, p.title_ru, p.title_en, p.state, i.position, i.assignment_id \
             FROM consultation_plan_items i JOIN consultation_plans p ON p.id = i.plan_id \
             WHERE p.consultation_id = $1 ORDER BY p.id, i.position",
        )
        .bind(consultation)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            Ok(PlanPlace {
                generalised_id: row.int("generalised_id")?,
                plan_id: row.int("plan_id")?,
                title_ru: row.text("title_ru")?,
                title_en: row.text("title_en")?,
                state: state_of(&row.text("state")?)?,
                number: usize::try_from(row.int("position")?).unwrap_or(0) + 1,
                assignment_id: row.int_or_none("assignment_id")?,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(places)
    }
}

async fn read_items(tx: &mut WriteTx, id: i64) -> Result<Vec<PlanItem>, StorageError> {
    let items = on_tx!(tx, conn => sqlx::query(ITEMS)
        .bind(id)
        .fetch_all(conn)
        .await?
        .iter()
        .enumerate()
        .map(|(n, row)| item_of(n + 1, row))
        .collect::<Result<Vec<_>, StorageError>>()?);
    Ok(items)
}

async fn executor(tx: &mut WriteTx, id: &BodyId) -> Result<Executor, StorageError> {
    let name = body_name(tx, id)
        .await?
        .ok_or_else(|| StorageError::NotFound(format!("body {id}")))?;
    Ok(Executor {
        body_id: Some(id.clone()),
        name,
    })
}

async fn executors(tx: &mut WriteTx, ids: &[BodyId]) -> Result<Vec<Executor>, StorageError> {
    let mut list = Vec::with_capacity(ids.len());
    for id in ids {
        list.push(executor(tx, id).await?);
    }
    Ok(list)
}

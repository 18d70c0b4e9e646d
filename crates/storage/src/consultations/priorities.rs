//! Priority directions and their evidence. Proposing checks, in the write, that every piece of
//! evidence exists (a generalised proposal, a solution, a plan item; a criterion names a
//! published edition); approving and publishing follow `megapolis_consultations::priorities`.
use crate::audit::audit_entry;
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, on_tx, NamedRow, WriteTx};
use crate::StorageError;
use megapolis_consultations::priorities::{
    apply, may_propose, Evidence, NewPriority, PriorityAction, PriorityRefusal, PriorityState,
};
use megapolis_domain::Person;
use serde::Serialize;

/// What a backup holds of the priorities, parents before children.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "consultation_priorities",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("title_ru", Kind::Text),
            ("title_en", Kind::Text),
            ("description_ru", Kind::Text),
            ("description_en", Kind::Text),
            ("state", Kind::Text),
            ("created_at", Kind::Text),
            ("created_by", Kind::Text),
            ("approved_by", Kind::Text),
            ("published_at", Kind::Text),
        ],
    },
    Table {
        name: "consultation_priority_evidence",
        identity: false,
        columns: &[
            ("priority_id", Kind::Int),
            ("position", Kind::Int),
            ("kind", Kind::Text),
            ("reference", Kind::Text),
        ],
    },
];

/// A priority direction with its evidence and the progress of its plan items' assignments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Priority {
    pub id: i64,
    pub title_ru: String,
    pub title_en: String,
    pub description_ru: String,
    pub description_en: String,
    pub state: PriorityState,
    pub approved_by: Option<String>,
    pub published_at: Option<String>,
    pub evidence: Vec<Evidence>,
    /// The progress (0–100) of each assignment its plan items became.
    pub assignments: Vec<i64>,
}

fn priority_of(row: &impl NamedRow) -> Result<Priority, StorageError> {
    let state = row.text("state")?;
    Ok(Priority {
        id: row.int("id")?,
        title_ru: row.text("title_ru")?,
        title_en: row.text("title_en")?,
        description_ru: row.text("description_ru")?,
        description_en: row.text("description_en")?,
        state: PriorityState::parse(&state)
            .ok_or_else(|| StorageError::Corrupt(format!("priority state {state:?}")))?,
        approved_by: row.text_or_none("approved_by")?,
        published_at: row.text_or_none("published_at")?,
        evidence: Vec::new(),
        assignments: Vec::new(),
    })
}

/// Whether the evidence exists, read in the write.
async fn exists(tx: &mut WriteTx, evidence: &Evidence) -> Result<bool, StorageError> {
    let (sql, id) = match evidence {
        Evidence::Generalised { id } => (
            "SELECT COUNT(*) FROM consultation_generalised WHERE id = $1",
            *id,
        ),
        Evidence::Solution { id } => (
            "SELECT COUNT(*) FROM catalogue_solutions WHERE id = $1",
            *id,
        ),
        Evidence::PlanItem { id } => (
            "SELECT COUNT(*) FROM consultation_plan_items WHERE id = $1",
            *id,
        ),
        Evidence::Criterion { edition, .. } => (
            "SELECT COUNT(*) FROM monitoring_editions WHERE id = $1 AND state = 'published'",
            *edition,
        ),
    };
    let found: i64 = on_tx!(tx, conn => sqlx::query_scalar(sql).bind(id).fetch_one(conn).await?);
    Ok(found > 0)
}

impl super::Consultations<'_> {
    /// Proposes a priority direction as `person` (the Council or staff).
    pub async fn propose_priority(
        &self,
        person: &Person,
        priority: &NewPriority,
    ) -> Result<Result<i64, PriorityRefusal>, StorageError> {
        if let Err(refusal) = may_propose(person) {
            return Ok(Err(refusal));
        }
        let actor = person.email.to_string();
        let mut tx = self.begin_write().await?;
        for evidence in &priority.evidence {
            if !exists(&mut tx, evidence).await? {
                return Ok(Err(PriorityRefusal::UnknownEvidence(format!(
                    "{} {}",
                    evidence.kind(),
                    evidence.reference()
                ))));
            }
        }
        let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO consultation_priorities (title_ru, title_en, description_ru, description_en, state, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&priority.title_ru)
        .bind(&priority.title_en)
        .bind(&priority.description_ru)
        .bind(&priority.description_en)
        .bind(PriorityState::Proposed.as_str())
        .bind(now_utc())
        .bind(&actor)
        .fetch_one(conn)
        .await?);
        for (position, evidence) in priority.evidence.iter().enumerate() {
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO consultation_priority_evidence (priority_id, position, kind, reference) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(evidence.kind())
            .bind(evidence.reference())
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        }
        tx.audit(&audit_entry(
            &actor,
            "propose",
            "consultation_priority",
            &id.to_string(),
            None,
            Some(priority),
        ))
        .await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Approves or publishes priority direction `id` as `person`.
    pub async fn act_on_priority(
        &self,
        person: &Person,
        id: i64,
        action: PriorityAction,
    ) -> Result<Result<PriorityState, PriorityRefusal>, StorageError> {
        let mut tx = self.begin_write().await?;
        let state: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT state FROM consultation_priorities WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(conn)
        .await?);
        let state = state.ok_or_else(|| StorageError::NotFound(format!("priority {id}")))?;
        let state = PriorityState::parse(&state)
            .ok_or_else(|| StorageError::Corrupt(format!("priority state {state:?}")))?;
        let next = match apply(state, action, person) {
            Ok(next) => next,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let sql = match action {
            PriorityAction::Approve => {
                "UPDATE consultation_priorities SET state = $1, approved_by = $2 WHERE id = $3"
            }
            PriorityAction::Publish => {
                "UPDATE consultation_priorities SET state = $1, published_at = $2 WHERE id = $3"
            }
        };
        let value = match action {
            PriorityAction::Approve => person.name.clone(),
            PriorityAction::Publish => now_utc(),
        };
        on_tx!(tx, conn => sqlx::query(sql)
            .bind(next.as_str())
            .bind(&value)
            .bind(id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            &person.email.to_string(),
            action.as_str(),
            "consultation_priority",
            &id.to_string(),
            None,
            Some(&next),
        ))
        .await?;
        tx.commit().await?;
        Ok(Ok(next))
    }

    /// The priority directions, by id; `published_only` for the public.
    pub async fn priorities(&self, published_only: bool) -> Result<Vec<Priority>, StorageError> {
        let mut list = on_pool!(self, pool => sqlx::query(
            "SELECT id, title_ru, title_en, description_ru, description_en, state, approved_by, published_at \
             FROM consultation_priorities WHERE (state = 'published' OR NOT $1) ORDER BY id",
        )
        .bind(published_only)
        .fetch_all(pool)
        .await?
        .iter()
        .map(priority_of)
        .collect::<Result<Vec<_>, StorageError>>()?);
        let evidence: Vec<(i64, String, String, Option<i64>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT e.priority_id, e.kind, e.reference, a.progress FROM consultation_priority_evidence e \
             LEFT JOIN consultation_plan_items i ON e.kind = 'plan-item' AND CAST(i.id AS TEXT) = e.reference \
             LEFT JOIN assignments a ON a.id = i.assignment_id ORDER BY e.priority_id, e.position",
        )
        .fetch_all(pool)
        .await?);
        for (priority, kind, reference, progress) in evidence {
            let Some(p) = list.iter_mut().find(|p| p.id == priority) else {
                continue;
            };
            let parsed = Evidence::parse(&kind, &reference)
                .ok_or_else(|| StorageError::Corrupt(format!("evidence {kind} {reference:?}")))?;
            p.evidence.push(parsed);
            p.assignments.extend(progress);
        }
        Ok(list)
    }
}

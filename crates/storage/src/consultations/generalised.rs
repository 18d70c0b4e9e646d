//! Generalised proposals: the Council's merges, splits, moves and rejections. Each step reads the
//! submissions it touches (their consultation and fate) in its own transaction, asks
//! `megapolis_consultations::generalise`, then writes the fates, the history of every
//! generalised proposal concerned and the audit record, or nothing.
use super::{submission_of, Submission, SUBMISSION};
use crate::audit::audit_entry;
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, on_tx, NamedRow, WriteTx};
use crate::StorageError;
use megapolis_consultations::generalise::{
    check_merge, check_move, check_reject, check_split, Fate, GeneralisedText, Refusal, Source,
    Step,
};
use serde::Serialize;
use std::collections::HashMap;

/// What a backup holds of generalisation and plans, parents before children.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "consultation_generalised",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("consultation_id", Kind::Int),
            ("text_ru", Kind::Text),
            ("text_en", Kind::Text),
            ("topic", Kind::Text),
            ("created_at", Kind::Text),
            ("created_by", Kind::Text),
        ],
    },
    Table {
        name: "consultation_fates",
        identity: false,
        columns: &[
            ("submission_id", Kind::Int),
            ("generalised_id", Kind::Int),
            ("rejected_reason", Kind::Text),
            ("updated_at", Kind::Text),
        ],
    },
    Table {
        name: "consultation_generalised_events",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("generalised_id", Kind::Int),
            ("at", Kind::Text),
            ("actor", Kind::Text),
            ("kind", Kind::Text),
            ("submissions", Kind::Text),
            ("other_id", Kind::Int),
            ("text", Kind::Text),
        ],
    },
    Table {
        name: "consultation_plans",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("consultation_id", Kind::Int),
            ("title_ru", Kind::Text),
            ("title_en", Kind::Text),
            ("decision_id", Kind::Int),
            ("approver_body_id", Kind::Text),
            ("state", Kind::Text),
            ("created_at", Kind::Text),
            ("created_by", Kind::Text),
            ("approved_at", Kind::Text),
            ("approved_by", Kind::Text),
        ],
    },
    Table {
        name: "consultation_plan_items",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("plan_id", Kind::Int),
            ("position", Kind::Int),
            ("generalised_id", Kind::Int),
            ("topic", Kind::Text),
            ("action", Kind::Text),
            ("lead_body_id", Kind::Text),
            ("co_executors", Kind::Text),
            ("deadline", Kind::Text),
            ("expected_result", Kind::Text),
            ("assignment_id", Kind::Int),
        ],
    },
    Table {
        name: "consultation_plan_events",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("plan_id", Kind::Int),
            ("at", Kind::Text),
            ("actor", Kind::Text),
            ("kind", Kind::Text),
            ("text", Kind::Text),
        ],
    },
];

/// A generalised proposal with the number of its sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Generalised {
    pub id: i64,
    pub consultation_id: i64,
    pub text_ru: String,
    pub text_en: String,
    pub topic: Option<String>,
    pub created_at: String,
    pub created_by: String,
    pub sources: i64,
}

/// One step of a generalised proposal's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GeneralisedEvent {
    pub at: String,
    pub actor: String,
    pub step: Step,
    pub submissions: Vec<i64>,
    /// The other generalised proposal of a split or a move.
    pub other: Option<i64>,
    /// The text after an edit, the reason of a rejection.
    pub text: String,
}

const GENERALISED: &str =
    "SELECT g.id, g.consultation_id, g.text_ru, g.text_en, g.topic, g.created_at, g.created_by, \
     (SELECT COUNT(*) FROM consultation_fates f WHERE f.generalised_id = g.id) AS sources \
     FROM consultation_generalised g";

fn generalised_of(row: &impl NamedRow) -> Result<Generalised, StorageError> {
    Ok(Generalised {
        id: row.int("id")?,
        consultation_id: row.int("consultation_id")?,
        text_ru: row.text("text_ru")?,
        text_en: row.text("text_en")?,
        topic: row.text_or_none("topic")?,
        created_at: row.text("created_at")?,
        created_by: row.text("created_by")?,
        sources: row.int("sources")?,
    })
}

/// A fate as stored: a generalised proposal, a reason, or no row.
fn fate_of(generalised: Option<i64>, reason: Option<String>) -> Fate {
    match (generalised, reason) {
        (Some(generalised), _) => Fate::Merged { generalised },
        (None, Some(reason)) => Fate::Rejected { reason },
        (None, None) => Fate::Open,
    }
}

/// What the audit log keeps of a step.
#[derive(Serialize)]
struct StepAudit<'a> {
    step: &'static str,
    consultation: i64,
    submissions: &'a [i64],
    #[serde(skip_serializing_if = "Option::is_none")]
    other: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a GeneralisedText>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
}

impl<'a> StepAudit<'a> {
    fn new(step: Step, consultation: i64, submissions: &'a [i64], other: Option<i64>) -> Self {
        StepAudit {
            step: step.as_str(),
            consultation,
            submissions,
            other,
            text: None,
            reason: None,
        }
    }

    fn with_text(self, text: &'a GeneralisedText) -> Self {
        StepAudit {
            text: Some(text),
            ..self
        }
    }
}

/// The audit log's name of a generalised proposal.
const GENERALISED_ENTITY: &str = "consultation_generalised";

/// The submissions `ids` as the rules see them, read in the write.
async fn sources(tx: &mut WriteTx, ids: &[i64]) -> Result<Vec<Source>, StorageError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT s.id, s.consultation_id, f.generalised_id, f.rejected_reason FROM consultation_submissions s \
         LEFT JOIN consultation_fates f ON f.submission_id = s.id WHERE s.id IN ({})",
        marks.join(", ")
    );
    let rows: Vec<(i64, i64, Option<i64>, Option<String>)> = on_tx!(tx, conn => {
        let mut query = sqlx::query_as(&sql);
        for id in ids {
            query = query.bind(id);
        }
        query.fetch_all(conn).await?
    });
    Ok(rows
        .into_iter()
        .map(|(id, consultation, generalised, reason)| Source {
            id,
            consultation,
            fate: fate_of(generalised, reason),
        })
        .collect())
}

/// The consultation of generalised proposal `id` and the ids of its sources.
async fn members(tx: &mut WriteTx, id: i64) -> Result<(i64, Vec<i64>), StorageError> {
    let consultation: Option<i64> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT consultation_id FROM consultation_generalised WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?);
    let consultation =
        consultation.ok_or_else(|| StorageError::NotFound(format!("generalised proposal {id}")))?;
    let ids: Vec<i64> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT submission_id FROM consultation_fates WHERE generalised_id = $1 ORDER BY submission_id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?);
    Ok((consultation, ids))
}

async fn insert_generalised(
    tx: &mut WriteTx,
    actor: &str,
    consultation: i64,
    text: &GeneralisedText,
) -> Result<i64, StorageError> {
    let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO consultation_generalised (consultation_id, text_ru, text_en, topic, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(consultation)
    .bind(&text.text_ru)
    .bind(&text.text_en)
    .bind(text.topic.as_deref())
    .bind(now_utc())
    .bind(actor)
    .fetch_one(conn)
    .await?);
    Ok(id)
}

/// Sets the fate of `ids`: into `generalised`, or rejected for `reason`.
async fn set_fate(
    tx: &mut WriteTx,
    ids: &[i64],
    generalised: Option<i64>,
    reason: Option<&str>,
) -> Result<(), StorageError> {
    let now = now_utc();
    for id in ids {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO consultation_fates (submission_id, generalised_id, rejected_reason, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (submission_id) DO UPDATE SET generalised_id = excluded.generalised_id, \
             rejected_reason = excluded.rejected_reason, updated_at = excluded.updated_at",
        )
        .bind(id)
        .bind(generalised)
        .bind(reason)
        .bind(&now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Appends a step to generalised proposal `id`'s history.
async fn record(
    tx: &mut WriteTx,
    id: i64,
    actor: &str,
    step: Step,
    submissions: &[i64],
    other: Option<i64>,
    text: &str,
) -> Result<(), StorageError> {
    let list =
        serde_json::to_string(submissions).map_err(|e| StorageError::Corrupt(e.to_string()))?;
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO consultation_generalised_events (generalised_id, at, actor, kind, submissions, other_id, text) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(now_utc())
    .bind(actor)
    .bind(step.as_str())
    .bind(&list)
    .bind(other)
    .bind(text)
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// How a generalised proposal's text reads in its history: both languages, one per line.
fn text_line(text: &GeneralisedText) -> String {
    [text.text_ru.as_str(), text.text_en.as_str()]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The outcome of a step: `Err` is the rules' refusal, nothing saved.
pub type Stepped<T> = Result<Result<T, Refusal>, StorageError>;

impl super::Consultations<'_> {
    /// Merges submissions `ids` of consultation `consultation` into a new generalised proposal.
    pub async fn merge(
        &self,
        actor: &str,
        consultation: i64,
        ids: &[i64],
        text: &GeneralisedText,
    ) -> Stepped<i64> {
        let mut tx = self.begin_write().await?;
        let found = sources(&mut tx, ids).await?;
        if let Err(refusal) = check_merge(consultation, ids, &found) {
            return Ok(Err(refusal));
        }
        let id = insert_generalised(&mut tx, actor, consultation, text).await?;
        set_fate(&mut tx, ids, Some(id), None).await?;
        record(
            &mut tx,
            id,
            actor,
            Step::Merged,
            ids,
            None,
            &text_line(text),
        )
        .await?;
        let audit = StepAudit::new(Step::Merged, consultation, ids, None).with_text(text);
        audit_step(&mut tx, actor, GENERALISED_ENTITY, id, audit).await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Changes the text and topic of generalised proposal `id`.
    pub async fn edit_generalised(
        &self,
        actor: &str,
        id: i64,
        text: &GeneralisedText,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let (consultation, _) = members(&mut tx, id).await?;
        on_tx!(tx, conn => sqlx::query(
            "UPDATE consultation_generalised SET text_ru = $1, text_en = $2, topic = $3 WHERE id = $4",
        )
        .bind(&text.text_ru)
        .bind(&text.text_en)
        .bind(text.topic.as_deref())
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        record(
            &mut tx,
            id,
            actor,
            Step::Edited,
            &[],
            None,
            &text_line(text),
        )
        .await?;
        let audit = StepAudit::new(Step::Edited, consultation, &[], None).with_text(text);
        audit_step(&mut tx, actor, GENERALISED_ENTITY, id, audit).await?;
        tx.commit().await
    }

    /// Takes submissions `ids` out of generalised proposal `id` into a new one with `text`.
    pub async fn split(
        &self,
        actor: &str,
        id: i64,
        ids: &[i64],
        text: &GeneralisedText,
    ) -> Stepped<i64> {
        let mut tx = self.begin_write().await?;
        let (consultation, sources_now) = members(&mut tx, id).await?;
        let found = sources(&mut tx, ids).await?;
        if let Err(refusal) = check_split(consultation, id, ids, &found, sources_now.len()) {
            return Ok(Err(refusal));
        }
        let new = insert_generalised(&mut tx, actor, consultation, text).await?;
        set_fate(&mut tx, ids, Some(new), None).await?;
        record(&mut tx, id, actor, Step::SplitOut, ids, Some(new), "").await?;
        record(
            &mut tx,
            new,
            actor,
            Step::SplitFrom,
            ids,
            Some(id),
            &text_line(text),
        )
        .await?;
        let audit = StepAudit::new(Step::SplitFrom, consultation, ids, Some(id)).with_text(text);
        audit_step(&mut tx, actor, GENERALISED_ENTITY, new, audit).await?;
        tx.commit().await?;
        Ok(Ok(new))
    }

    /// Moves submission `submission` into generalised proposal `id`, from wherever it is.
    pub async fn move_into(&self, actor: &str, id: i64, submission: i64) -> Stepped<()> {
        let mut tx = self.begin_write().await?;
        let (consultation, _) = members(&mut tx, id).await?;
        let found = sources(&mut tx, &[submission]).await?;
        let from = match check_move(consultation, id, submission, &found) {
            Ok(Some(from)) => from,
            Ok(None) => return Ok(Ok(())),
            Err(refusal) => return Ok(Err(refusal)),
        };
        let from = match from {
            Fate::Merged { generalised } => Some(generalised),
            Fate::Open | Fate::Rejected { .. } => None,
        };
        set_fate(&mut tx, &[submission], Some(id), None).await?;
        record(&mut tx, id, actor, Step::MovedIn, &[submission], from, "").await?;
        if let Some(from) = from {
            record(
                &mut tx,
                from,
                actor,
                Step::MovedOut,
                &[submission],
                Some(id),
                "",
            )
            .await?;
        }
        let one = [submission];
        let audit = StepAudit::new(Step::MovedIn, consultation, &one, from);
        audit_step(&mut tx, actor, GENERALISED_ENTITY, id, audit).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Rejects submission `submission` of consultation `consultation` for `reason`; it leaves the
    /// generalised proposal it was in (whose history says so).
    pub async fn reject(
        &self,
        actor: &str,
        consultation: i64,
        submission: i64,
        reason: &str,
    ) -> Stepped<()> {
        let mut tx = self.begin_write().await?;
        let found = sources(&mut tx, &[submission]).await?;
        let was = match check_reject(consultation, submission, &found) {
            Ok(was) => was,
            Err(refusal) => return Ok(Err(refusal)),
        };
        set_fate(&mut tx, &[submission], None, Some(reason)).await?;
        let from = match was {
            Fate::Merged { generalised } => Some(generalised),
            Fate::Open | Fate::Rejected { .. } => None,
        };
        if let Some(from) = from {
            record(
                &mut tx,
                from,
                actor,
                Step::Rejected,
                &[submission],
                None,
                reason,
            )
            .await?;
        }
        let one = [submission];
        let audit = StepAudit {
            reason: Some(reason),
            ..StepAudit::new(Step::Rejected, consultation, &one, from)
        };
        audit_step(&mut tx, actor, "consultation_submission", submission, audit).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// The generalised proposals of a consultation, by id.
    pub async fn generalised_list(
        &self,
        consultation: i64,
    ) -> Result<Vec<Generalised>, StorageError> {
        let sql = format!("{GENERALISED} WHERE g.consultation_id = $1 ORDER BY g.id");
        let list = on_pool!(self, pool => sqlx::query(&sql)
            .bind(consultation)
            .fetch_all(pool)
            .await?
            .iter()
            .map(generalised_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(list)
    }

    pub async fn generalised(&self, id: i64) -> Result<Option<Generalised>, StorageError> {
        let sql = format!("{GENERALISED} WHERE g.id = $1");
        let found = on_pool!(self, pool => sqlx::query(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await?
            .as_ref()
            .map(generalised_of)
            .transpose()?);
        Ok(found)
    }

    /// The submissions merged into generalised proposal `id`, by id.
    pub async fn sources_of(&self, id: i64) -> Result<Vec<Submission>, StorageError> {
        let sql = format!(
            "{SUBMISSION} JOIN consultation_fates f ON f.submission_id = s.id WHERE f.generalised_id = $1 ORDER BY s.id"
        );
        let list = on_pool!(self, pool => sqlx::query(&sql)
            .bind(id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(submission_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(list)
    }

    /// Generalised proposal `id`'s history, oldest first.
    pub async fn history(&self, id: i64) -> Result<Vec<GeneralisedEvent>, StorageError> {
        let rows: Vec<(String, String, String, String, Option<i64>, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT at, actor, kind, submissions, other_id, text FROM consultation_generalised_events \
             WHERE generalised_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .map(|(at, actor, kind, submissions, other, text)| {
                Ok(GeneralisedEvent {
                    at,
                    actor,
                    step: Step::parse(&kind).ok_or_else(|| {
                        StorageError::Corrupt(format!("generalisation step {kind:?}"))
                    })?,
                    submissions: serde_json::from_str(&submissions).map_err(|_| {
                        StorageError::Corrupt(format!("submission list {submissions:?}"))
                    })?,
                    other,
                    text,
                })
            })
            .collect()
    }

    /// The fate of every submission of a consultation that has one.
    pub async fn fates(&self, consultation: i64) -> Result<HashMap<i64, Fate>, StorageError> {
        let rows: Vec<(i64, Option<i64>, Option<String>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT f.submission_id, f.generalised_id, f.rejected_reason FROM consultation_fates f \
             JOIN consultation_submissions s ON s.id = f.submission_id WHERE s.consultation_id = $1",
        )
        .bind(consultation)
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(id, generalised, reason)| (id, fate_of(generalised, reason)))
            .collect())
    }

    /// Every submission `author` sent, newest first.
    pub async fn by_author(&self, author: i64) -> Result<Vec<Submission>, StorageError> {
        let sql = format!("{SUBMISSION} WHERE s.author_id = $1 ORDER BY s.id DESC");
        let list = on_pool!(self, pool => sqlx::query(&sql)
            .bind(author)
            .fetch_all(pool)
            .await?
            .iter()
            .map(submission_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(list)
    }
}

/// The audit record of a step on `entity` `id`.
async fn audit_step(
    tx: &mut WriteTx,
    actor: &str,
    entity: &str,
    id: i64,
    step: StepAudit<'_>,
) -> Result<(), StorageError> {
    tx.audit(&audit_entry(
        actor,
        step.step,
        entity,
        &id.to_string(),
        None,
        Some(&step),
    ))
    .await
}

//! What the Secretariat brings in from outside the portal, and what participants change: a batch
//! of submissions from a table, saved all or nothing; an author's edit of their own submission
//! while the consultation is open and before the Council considered it.
use super::{insert_submission, is_open, SubmissionAudit};
use crate::audit::audit_entry;
use crate::db::{on_tx, WriteTx};
use crate::StorageError;
use megapolis_consultations::edit::{check_edit, EditRefusal};
use megapolis_consultations::generalise::Fate;
use megapolis_consultations::{NewSubmission, Refusal};
use megapolis_domain::{CityCode, Person};

/// Why a batch is refused; nothing is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchRefusal {
    Closed,
    /// Each refused row (from 2, the header being row 1) with why.
    Rows(Vec<(usize, Refusal)>),
}

impl super::Consultations<'_> {
    /// Saves every submission of a batch by `author` (the Secretariat, for the cities named) to
    /// consultation `id` in one transaction, or none of them.
    pub async fn submit_batch(
        &self,
        author: &Person,
        id: i64,
        batch: &[NewSubmission],
    ) -> Result<Result<Vec<i64>, BatchRefusal>, StorageError> {
        let mut tx = self.begin_write().await?;
        if !is_open(&mut tx, id).await? {
            return Ok(Err(BatchRefusal::Closed));
        }
        let mut saved = Vec::with_capacity(batch.len());
        let mut refused = Vec::new();
        for (index, submission) in batch.iter().enumerate() {
            match insert_submission(&mut tx, author, id, submission).await? {
                Ok(new) => saved.push(new),
                Err(refusal) => refused.push((index + 2, refusal)),
            }
        }
        if !refused.is_empty() {
            // Dropping the transaction rolls back the rows already inserted.
            return Ok(Err(BatchRefusal::Rows(refused)));
        }
        tx.commit().await?;
        Ok(Ok(saved))
    }

    /// Changes submission `sid` of consultation `consultation` as its author `editor` asks (its
    /// city stays); `NotFound` when the consultation has no such submission.
    pub async fn edit_submission(
        &self,
        editor: &Person,
        consultation: i64,
        sid: i64,
        changed: &NewSubmission,
    ) -> Result<Result<(), EditRefusal>, StorageError> {
        let mut tx = self.begin_write().await?;
        let (author, city) = head(&mut tx, consultation, sid).await?;
        let fate: Option<(Option<i64>, Option<String>)> = on_tx!(tx, conn => sqlx::query_as(
            "SELECT generalised_id, rejected_reason FROM consultation_fates WHERE submission_id = $1",
        )
        .bind(sid)
        .fetch_optional(conn)
        .await?);
        let fate = match fate {
            Some((Some(generalised), _)) => Fate::Merged { generalised },
            Some((None, Some(reason))) => Fate::Rejected { reason },
            _ => Fate::Open,
        };
        let open = is_open(&mut tx, consultation).await?;
        if let Err(refusal) = check_edit(editor.id, author, open, &fate) {
            return Ok(Err(refusal));
        }
        on_tx!(tx, conn => sqlx::query(
            "UPDATE consultation_submissions SET lang = $1, kind = $2, topic = $3, text = $4, edits = edits + 1 WHERE id = $5",
        )
        .bind(changed.lang.code())
        .bind(changed.kind.as_str())
        .bind(changed.topic.as_deref())
        .bind(&changed.text)
        .bind(sid)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            &editor.email.to_string(),
            "edit",
            "consultation_submission",
            &sid.to_string(),
            None,
            Some(&SubmissionAudit::of(consultation, city.as_ref(), changed)),
        ))
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}

/// The author and city of submission `sid` of consultation `consultation`, read in the write.
async fn head(
    tx: &mut WriteTx,
    consultation: i64,
    sid: i64,
) -> Result<(i64, Option<CityCode>), StorageError> {
    let row: Option<(i64, Option<String>)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT author_id, city_code FROM consultation_submissions WHERE id = $1 AND consultation_id = $2",
    )
    .bind(sid)
    .bind(consultation)
    .fetch_optional(conn)
    .await?);
    let (author, city) = row.ok_or_else(|| StorageError::NotFound(format!("submission {sid}")))?;
    let city = city
        .map(|c| CityCode::parse(&c).map_err(|_| StorageError::Corrupt(format!("city {c:?}"))))
        .transpose()?;
    Ok((author, city))
}

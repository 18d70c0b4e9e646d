//! Consultations and their submissions. A submission is saved under the writer's lock after the
//! consultation's state, the city and the author's right to speak for it are read in the same
//! transaction (`megapolis_consultations::city_for`), with its audit record, or not at all.
use crate::audit::{audit_entry, event_entry};
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, on_tx, NamedRow, WriteTx};
use crate::StorageError;
use megapolis_consultations::{
    city_for, ConsultationState, Kind as SubmissionKind, NewConsultation, NewSubmission, Refusal,
};
use megapolis_domain::{CityCode, Lang, Person};
use serde::Serialize;

mod batch;
mod embeddings;
mod generalised;
mod plan;
mod priorities;

pub use batch::BatchRefusal;
pub use embeddings::PendingText;
pub(crate) use generalised::TABLES as GENERALISED_TABLES;
pub use generalised::{Generalised, GeneralisedEvent, Stepped};
pub use plan::{Plan, PlanEvent, PlanItem, PlanPlace, Planned};
pub use priorities::Priority;
pub(crate) use priorities::TABLES as PRIORITY_TABLES;

/// What a backup holds of consultations, parents before children.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "consultations",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("title_ru", Kind::Text),
            ("title_en", Kind::Text),
            ("opens_on", Kind::Text),
            ("closes_on", Kind::Text),
            ("topics", Kind::Text),
            ("state", Kind::Text),
            ("created_at", Kind::Text),
            ("created_by", Kind::Text),
        ],
    },
    Table {
        name: "consultation_submissions",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("consultation_id", Kind::Int),
            ("author_id", Kind::Int),
            ("city_code", Kind::Text),
            ("lang", Kind::Text),
            ("kind", Kind::Text),
            ("topic", Kind::Text),
            ("text", Kind::Text),
            ("created_at", Kind::Text),
            ("edits", Kind::Int),
        ],
    },
    embeddings::TABLE,
];

/// A consultation with the number of its submissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consultation {
    pub id: i64,
    pub title_ru: String,
    pub title_en: String,
    /// YYYY-MM-DD.
    pub opens_on: Option<String>,
    pub closes_on: Option<String>,
    pub topics: Vec<String>,
    pub state: ConsultationState,
    pub created_at: String,
    pub submissions: i64,
}

/// A stored submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Submission {
    pub id: i64,
    pub consultation_id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub city: Option<CityCode>,
    pub lang: Lang,
    pub kind: SubmissionKind,
    pub topic: Option<String>,
    pub text: String,
    pub created_at: String,
}

/// What identifies the set of a consultation's submissions (never deleted; an author's edit
/// counts up `edits`) and of their embeddings: their numbers, the last id, the edits and the time
/// of the newest embedding. A cache of the similarity index is valid while it is the same.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SubmissionsVersion {
    pub count: i64,
    pub last_id: i64,
    pub edits: i64,
    pub embedded: i64,
    pub last_embedded_at: Option<String>,
}

const CONSULTATION: &str = "SELECT c.id, c.title_ru, c.title_en, c.opens_on, c.closes_on, c.topics, c.state, c.created_at, \
     (SELECT COUNT(*) FROM consultation_submissions s WHERE s.consultation_id = c.id) AS submissions \
     FROM consultations c";

const SUBMISSION: &str = "SELECT s.id, s.consultation_id, s.author_id, p.name AS author_name, s.city_code, s.lang, s.kind, \
     s.topic, s.text, s.created_at FROM consultation_submissions s JOIN people p ON p.id = s.author_id";

fn corrupt(what: &str, value: &str) -> StorageError {
    StorageError::Corrupt(format!("consultation {what} {value:?}"))
}

fn consultation_of(row: &impl NamedRow) -> Result<Consultation, StorageError> {
    let state = row.text("state")?;
    let topics = row.text("topics")?;
    Ok(Consultation {
        id: row.int("id")?,
        title_ru: row.text("title_ru")?,
        title_en: row.text("title_en")?,
        opens_on: row.text_or_none("opens_on")?,
        closes_on: row.text_or_none("closes_on")?,
        topics: serde_json::from_str(&topics).map_err(|_| corrupt("topics", &topics))?,
        state: ConsultationState::parse(&state).ok_or_else(|| corrupt("state", &state))?,
        created_at: row.text("created_at")?,
        submissions: row.int("submissions")?,
    })
}

fn submission_of(row: &impl NamedRow) -> Result<Submission, StorageError> {
    let lang = row.text("lang")?;
    let kind = row.text("kind")?;
    let city = row
        .text_or_none("city_code")?
        .map(|c| CityCode::parse(&c).map_err(|_| corrupt("city", &c)))
        .transpose()?;
    Ok(Submission {
        id: row.int("id")?,
        consultation_id: row.int("consultation_id")?,
        author_id: row.int("author_id")?,
        author_name: row.text("author_name")?,
        city,
        lang: Lang::from_tag(&lang).ok_or_else(|| corrupt("language", &lang))?,
        kind: SubmissionKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        topic: row.text_or_none("topic")?,
        text: row.text("text")?,
        created_at: row.text("created_at")?,
    })
}

/// What the audit log keeps of a submission.
#[derive(Serialize)]
struct SubmissionAudit<'a> {
    consultation: i64,
    city: Option<&'a str>,
    lang: &'a str,
    kind: &'a str,
    topic: Option<&'a str>,
    text: &'a str,
}

impl<'a> SubmissionAudit<'a> {
    fn of(consultation: i64, city: Option<&'a CityCode>, s: &'a NewSubmission) -> Self {
        SubmissionAudit {
            consultation,
            city: city.map(CityCode::as_str),
            lang: s.lang.code(),
            kind: s.kind.as_str(),
            topic: s.topic.as_deref(),
            text: &s.text,
        }
    }
}

crate::facet!(
    /// Consultations and their submissions.
    Consultations,
    consultations
);

impl Consultations<'_> {
    /// Opens a consultation; returns its id.
    pub async fn create(
        &self,
        actor: &str,
        consultation: &NewConsultation,
    ) -> Result<i64, StorageError> {
        let topics = serde_json::to_string(&consultation.topics)
            .map_err(|e| StorageError::Corrupt(e.to_string()))?;
        let mut tx = self.begin_write().await?;
        let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO consultations (title_ru, title_en, opens_on, closes_on, topics, state, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(&consultation.title_ru)
        .bind(&consultation.title_en)
        .bind(crate::date_to_text(consultation.opens_on))
        .bind(crate::date_to_text(consultation.closes_on))
        .bind(&topics)
        .bind(ConsultationState::Open.as_str())
        .bind(now_utc())
        .bind(actor)
        .fetch_one(conn)
        .await?);
        tx.audit(&audit_entry(
            actor,
            "create",
            "consultation",
            &id.to_string(),
            None,
            Some(consultation),
        ))
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every consultation, newest first.
    pub async fn list(&self) -> Result<Vec<Consultation>, StorageError> {
        let sql = format!("{CONSULTATION} ORDER BY c.id DESC");
        let list = on_pool!(self, pool => sqlx::query(&sql)
            .fetch_all(pool)
            .await?
            .iter()
            .map(consultation_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(list)
    }

    pub async fn get(&self, id: i64) -> Result<Option<Consultation>, StorageError> {
        let sql = format!("{CONSULTATION} WHERE c.id = $1");
        let found = on_pool!(self, pool => sqlx::query(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await?
            .as_ref()
            .map(consultation_of)
            .transpose()?);
        Ok(found)
    }

    /// Closes a consultation to new submissions (nothing changes when it is closed already).
    pub async fn close(&self, actor: &str, id: i64) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let state: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT state FROM consultations WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(conn)
        .await?);
        let state = state.ok_or_else(|| StorageError::NotFound(format!("consultation {id}")))?;
        if state == ConsultationState::Closed.as_str() {
            return Ok(());
        }
        on_tx!(tx, conn => sqlx::query("UPDATE consultations SET state = $1 WHERE id = $2")
            .bind(ConsultationState::Closed.as_str())
            .bind(id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        tx.audit(&event_entry(
            actor,
            "close",
            "consultation",
            &id.to_string(),
        ))
        .await?;
        tx.commit().await
    }

    /// Saves a submission by `author` to consultation `id`: `Ok(Err(refusal))` when the
    /// consultation is closed, the city unknown or not the author's to speak for (nothing saved);
    /// `NotFound` when there is no such consultation.
    pub async fn submit(
        &self,
        author: &Person,
        id: i64,
        submission: &NewSubmission,
    ) -> Result<Result<i64, Refusal>, StorageError> {
        let mut tx = self.begin_write().await?;
        if !is_open(&mut tx, id).await? {
            return Ok(Err(Refusal::Closed));
        }
        let new_id = match insert_submission(&mut tx, author, id, submission).await? {
            Ok(new_id) => new_id,
            Err(refusal) => return Ok(Err(refusal)),
        };
        tx.commit().await?;
        Ok(Ok(new_id))
    }

    /// A consultation's submissions, by id.
    pub async fn submissions(&self, id: i64) -> Result<Vec<Submission>, StorageError> {
        let sql = format!("{SUBMISSION} WHERE s.consultation_id = $1 ORDER BY s.id");
        let list = on_pool!(self, pool => sqlx::query(&sql)
            .bind(id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(submission_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(list)
    }

    /// The number and last id of a consultation's submissions (see [`SubmissionsVersion`]).
    pub async fn version(&self, id: i64) -> Result<SubmissionsVersion, StorageError> {
        let (count, last_id, edits): (i64, Option<i64>, Option<i64>) = on_pool!(self, pool => sqlx::query_as(
            "SELECT COUNT(*), MAX(id), CAST(SUM(edits) AS BIGINT) FROM consultation_submissions WHERE consultation_id = $1",
        )
        .bind(id)
        .fetch_one(pool)
        .await?);
        let (embedded, last_embedded_at) = self.embeddings_stamp(id).await?;
        Ok(SubmissionsVersion {
            count,
            last_id: last_id.unwrap_or(0),
            edits: edits.unwrap_or(0),
            embedded,
            last_embedded_at,
        })
    }
}

/// Whether consultation `id` takes submissions, read in the write; `NotFound` when there is none.
async fn is_open(tx: &mut WriteTx, id: i64) -> Result<bool, StorageError> {
    let state: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT state FROM consultations WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?);
    let state = state.ok_or_else(|| StorageError::NotFound(format!("consultation {id}")))?;
    Ok(state == ConsultationState::Open.as_str())
}

/// Inserts one submission of open consultation `id` with its audit record, after the city rule;
/// `Ok(Err(refusal))` writes nothing.
async fn insert_submission(
    tx: &mut WriteTx,
    author: &Person,
    id: i64,
    submission: &NewSubmission,
) -> Result<Result<i64, Refusal>, StorageError> {
    if let Some(city) = &submission.city {
        let known: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT COUNT(*) FROM cities WHERE code = $1",
        )
        .bind(city.as_str())
        .fetch_one(conn)
        .await?);
        if known == 0 {
            return Ok(Err(Refusal::UnknownCity(city.to_string())));
        }
    }
    let city = match city_for(author, submission.city.as_ref()) {
        Ok(city) => city,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let new_id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO consultation_submissions (consultation_id, author_id, city_code, lang, kind, topic, text, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(id)
    .bind(author.id)
    .bind(city.as_ref().map(CityCode::as_str))
    .bind(submission.lang.code())
    .bind(submission.kind.as_str())
    .bind(submission.topic.as_deref())
    .bind(&submission.text)
    .bind(now_utc())
    .fetch_one(conn)
    .await?);
    tx.audit(&audit_entry(
        &author.email.to_string(),
        "submit",
        "consultation_submission",
        &new_id.to_string(),
        None,
        Some(&SubmissionAudit::of(id, city.as_ref(), submission)),
    ))
    .await?;
    Ok(Ok(new_id))
}

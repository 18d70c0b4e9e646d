//! The register: sessions of the association, their decisions with numbered items and
//! appendices, and the assignments each decision creates. A confirmed import is saved here in one
//! transaction; the assignment workflow lives in `assignments.rs`.
use crate::assignments::insert_assignment;
use crate::audit::{audit_entry, event_entry};
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, on_tx, NamedRow, WriteTx};
use crate::files::insert_file;
use crate::{date_to_text, text_to_date, StorageError};
use megapolis_assignments::Executor;
use megapolis_decisions::{DecisionItem, NewDecision, SessionInfo};
use megapolis_domain::file::FileInfo;
use megapolis_domain::BodyId;
use serde::Serialize;
use time::Date;

/// What a backup holds of sessions and their decisions, parents before children.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "assembly_sessions",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("number", Kind::Int),
            ("held_on", Kind::Text),
            ("place", Kind::Text),
        ],
    },
    Table {
        name: "decisions",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("session_id", Kind::Int),
            ("title", Kind::Text),
            ("language", Kind::Text),
            ("source_text", Kind::Text),
            ("controller_body_id", Kind::Text),
            ("controller_name", Kind::Text),
            ("published", Kind::Bool),
            ("created_at", Kind::Text),
            ("created_by", Kind::Text),
        ],
    },
    Table {
        name: "decision_items",
        identity: false,
        columns: &[
            ("decision_id", Kind::Int),
            ("position", Kind::Int),
            ("number", Kind::Text),
            ("depth", Kind::Int),
            ("heading", Kind::Text),
            ("text", Kind::Text),
        ],
    },
    Table {
        name: "decision_appendices",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("decision_id", Kind::Int),
            ("title", Kind::Text),
            ("link", Kind::Text),
            ("file_id", Kind::Int),
        ],
    },
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Appendix {
    pub id: i64,
    pub title: String,
    pub link: Option<String>,
    pub file: Option<FileInfo>,
}

/// One line of the register of decisions, with its assignments counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionSummary {
    pub id: i64,
    pub session: SessionInfo,
    pub title: String,
    pub language: String,
    pub published: bool,
    pub assignments: i64,
    pub accepted: i64,
    pub overdue: i64,
}

/// A decision with its items and appendices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionRecord {
    pub id: i64,
    pub session: SessionInfo,
    pub title: String,
    pub language: String,
    pub source_text: String,
    pub controller: Option<Executor>,
    pub published: bool,
    pub created_at: String,
    pub created_by: String,
    pub items: Vec<DecisionItem>,
    pub appendices: Vec<Appendix>,
}

/// What the audit log keeps of an imported decision.
#[derive(Serialize)]
struct DecisionAudit<'a> {
    session: &'a SessionInfo,
    title: &'a str,
    language: &'a str,
    controller: Option<&'a Executor>,
    published: bool,
    items: usize,
    assignments: usize,
}

pub(crate) fn body_id_from_text(
    text: Option<String>,
    what: &str,
) -> Result<Option<BodyId>, StorageError> {
    text.map(|t| {
        BodyId::parse(&t).map_err(|e| StorageError::Corrupt(format!("{what}: body {t:?}: {e}")))
    })
    .transpose()
}

/// The session of a row that selected `s.number, s.held_on, s.place`.
fn session_of(row: &impl NamedRow) -> Result<SessionInfo, StorageError> {
    Ok(SessionInfo {
        number: row.int("number")?,
        date: text_to_date(row.text_or_none("held_on")?)?,
        place: row.text("place")?,
    })
}

crate::facet!(
    /// The register of sessions and their decisions.
    Decisions,
    decisions
);

impl Decisions<'_> {
    /// Saves a confirmed decision, its items, appendices and every assignment in one
    /// transaction, with their audit records and a `created` event per assignment. The session is
    /// found by its number or created. Returns the decision's id.
    pub async fn save(&self, actor: &str, decision: &NewDecision) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        let session_id = upsert_session(&mut tx, &decision.session).await?;
        let now = now_utc();
        let controller_id = decision
            .controller
            .as_ref()
            .and_then(|c| c.body_id.as_ref())
            .map(BodyId::as_str);
        let decision_id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO decisions (session_id, title, language, source_text, controller_body_id, controller_name, published, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(session_id)
        .bind(&decision.title)
        .bind(&decision.language)
        .bind(&decision.source_text)
        .bind(controller_id)
        .bind(decision.controller.as_ref().map(|c| c.name.as_str()))
        .bind(decision.published)
        .bind(&now)
        .bind(actor)
        .fetch_one(conn)
        .await?);
        for (position, item) in decision.items.iter().enumerate() {
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO decision_items (decision_id, position, number, depth, heading, text) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(decision_id)
            .bind(position as i64)
            .bind(&item.number)
            .bind(item.depth)
            .bind(&item.heading)
            .bind(&item.text)
            .execute(conn)
            .await.map(|r| r.rows_affected()))?;
        }
        for appendix in &decision.appendices {
            let file_id = match &appendix.file {
                Some(file) => Some(insert_file(&mut tx, actor, file).await?),
                None => None,
            };
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO decision_appendices (decision_id, title, link, file_id) VALUES ($1, $2, $3, $4)",
            )
            .bind(decision_id)
            .bind(&appendix.title)
            .bind(appendix.link.as_deref())
            .bind(file_id)
            .execute(conn)
            .await.map(|r| r.rows_affected()))?;
        }
        tx.audit(&audit_entry(
            actor,
            "create",
            "decision",
            &decision_id.to_string(),
            None,
            Some(&DecisionAudit {
                session: &decision.session,
                title: &decision.title,
                language: &decision.language,
                controller: decision.controller.as_ref(),
                published: decision.published,
                items: decision.items.len(),
                assignments: decision.assignments.len(),
            }),
        ))
        .await?;
        for (position, assignment) in decision.assignments.iter().enumerate() {
            insert_assignment(
                &mut tx,
                actor,
                decision_id,
                position as i64,
                assignment,
                controller_id,
                None,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(decision_id)
    }

    /// Publishes a decision on the public accountability page, or withdraws it.
    pub async fn set_published(
        &self,
        actor: &str,
        id: i64,
        published: bool,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let changed = on_tx!(tx, conn => sqlx::query("UPDATE decisions SET published = $1 WHERE id = $2")
            .bind(published)
            .bind(id)
            .execute(conn)
            .await.map(|r| r.rows_affected()))?;
        if changed == 0 {
            return Err(StorageError::NotFound(format!("decision {id}")));
        }
        let action = if published { "publish" } else { "unpublish" };
        tx.audit(&event_entry(actor, action, "decision", &id.to_string()))
            .await?;
        tx.commit().await
    }

    /// A decision already saved from exactly this text, if any: an import of the same text
    /// again is most likely a mistake.
    pub async fn with_source(
        &self,
        source_text: &str,
    ) -> Result<Option<(i64, String)>, StorageError> {
        let found: Option<(i64, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, title FROM decisions WHERE source_text = $1 ORDER BY id LIMIT 1",
        )
        .bind(source_text)
        .fetch_optional(pool)
        .await?);
        Ok(found)
    }

    /// Deletes a draft (an unpublished decision) with its items, appendices and their files,
    /// and its assignments with their timelines, in one transaction with an audit record. A
    /// published decision is part of the association's record and is never deleted.
    pub async fn delete_draft(&self, actor: &str, id: i64) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let published: Option<bool> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT published FROM decisions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(conn)
        .await?);
        match published {
            None => return Err(StorageError::NotFound(format!("decision {id}"))),
            Some(true) => {
                return Err(StorageError::Conflict(
                    "a published decision cannot be deleted; withdraw it from publication first"
                        .into(),
                ))
            }
            Some(false) => {}
        }
        let title: String = on_tx!(tx, conn => sqlx::query_scalar("SELECT title FROM decisions WHERE id = $1")
            .bind(id)
            .fetch_one(conn)
            .await?);
        // The files of the appendices and of the reports go with them.
        let files: Vec<i64> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT file_id FROM decision_appendices WHERE decision_id = $1 AND file_id IS NOT NULL \
             UNION SELECT f.file_id FROM event_files f JOIN assignment_events e ON e.id = f.event_id \
             JOIN assignments a ON a.id = e.assignment_id WHERE a.decision_id = $1",
        )
        .bind(id)
        .fetch_all(conn)
        .await?);
        // Children before parents.
        let statements = [
            "DELETE FROM event_files WHERE event_id IN (SELECT e.id FROM assignment_events e \
             JOIN assignments a ON a.id = e.assignment_id WHERE a.decision_id = $1)",
            "DELETE FROM assignment_events WHERE assignment_id IN (SELECT id FROM assignments WHERE decision_id = $1)",
            "DELETE FROM reminders_sent WHERE subject_kind = 'assignment' \
             AND subject_id IN (SELECT CAST(id AS TEXT) FROM assignments WHERE decision_id = $1)",
            "UPDATE assignments SET previous_id = NULL WHERE decision_id = $1",
            "DELETE FROM assignment_co_executors WHERE assignment_id IN (SELECT id FROM assignments WHERE decision_id = $1)",
            "DELETE FROM assignments WHERE decision_id = $1",
            "DELETE FROM decision_appendices WHERE decision_id = $1",
            "DELETE FROM decision_items WHERE decision_id = $1",
            "DELETE FROM decisions WHERE id = $1",
        ];
        for statement in statements {
            on_tx!(tx, conn => sqlx::query(statement).bind(id).execute(conn).await.map(|r| r.rows_affected()))?;
        }
        for file in files {
            on_tx!(tx, conn => sqlx::query("DELETE FROM files WHERE id = $1").bind(file).execute(conn).await.map(|r| r.rows_affected()))?;
        }
        tx.audit(&audit_entry(
            actor,
            "delete",
            "decision",
            &id.to_string(),
            Some(&serde_json::json!({ "title": title, "published": false })),
            None,
        ))
        .await?;
        tx.commit().await
    }

    /// The register of decisions, newest session first; `published_only` for the public.
    pub async fn list(
        &self,
        published_only: bool,
        today: Date,
    ) -> Result<Vec<DecisionSummary>, StorageError> {
        let sql = "SELECT d.id, s.number, s.held_on, s.place, d.title, d.language, d.published, \
             (SELECT COUNT(*) FROM assignments a WHERE a.decision_id = d.id) AS assignments, \
             (SELECT COUNT(*) FROM assignments a WHERE a.decision_id = d.id AND a.state = 'accepted') AS accepted, \
             (SELECT COUNT(*) FROM assignments a WHERE a.decision_id = d.id AND a.state NOT IN ('accepted', 'cancelled') AND a.deadline < $1) AS overdue \
             FROM decisions d JOIN assembly_sessions s ON s.id = d.session_id WHERE (d.published OR NOT $2) \
             ORDER BY s.number DESC, d.id DESC";
        let summaries = on_pool!(self, pool => sqlx::query(sql)
            .bind(today.to_string())
            .bind(published_only)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|row| {
                Ok(DecisionSummary {
                    id: row.int("id")?,
                    session: session_of(row)?,
                    title: row.text("title")?,
                    language: row.text("language")?,
                    published: row.flag("published")?,
                    assignments: row.int("assignments")?,
                    accepted: row.int("accepted")?,
                    overdue: row.int("overdue")?,
                })
            })
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(summaries)
    }

    /// One decision with its items and appendices.
    pub async fn get(&self, id: i64) -> Result<Option<DecisionRecord>, StorageError> {
        let decision = on_pool!(self, pool => sqlx::query(
            "SELECT s.number, s.held_on, s.place, d.title, d.language, d.source_text, d.controller_body_id, d.controller_name, d.published, d.created_at, d.created_by \
             FROM decisions d JOIN assembly_sessions s ON s.id = d.session_id WHERE d.id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(|row| {
            Ok::<_, StorageError>(DecisionRecord {
                id,
                session: session_of(row)?,
                title: row.text("title")?,
                language: row.text("language")?,
                source_text: row.text("source_text")?,
                controller: match (
                    body_id_from_text(row.text_or_none("controller_body_id")?, "decision controller")?,
                    row.text_or_none("controller_name")?,
                ) {
                    (None, None) => None,
                    (body_id, name) => Some(Executor {
                        name: name.unwrap_or_default(),
                        body_id,
                    }),
                },
                published: row.flag("published")?,
                created_at: row.text("created_at")?,
                created_by: row.text("created_by")?,
                items: Vec::new(),
                appendices: Vec::new(),
            })
        })
        .transpose()?);
        let Some(mut decision) = decision else {
            return Ok(None);
        };
        decision.items = on_pool!(self, pool => sqlx::query(
            "SELECT number, depth, heading, text FROM decision_items WHERE decision_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            Ok::<_, sqlx::Error>(DecisionItem {
                number: row.text("number")?,
                depth: row.int("depth")?,
                heading: row.text("heading")?,
                text: row.text("text")?,
            })
        })
        .collect::<Result<Vec<_>, _>>()?);
        decision.appendices = on_pool!(self, pool => sqlx::query(
            "SELECT a.id, a.title, a.link, f.id AS file_id, f.name AS file_name, f.content_type, f.size \
             FROM decision_appendices a LEFT JOIN files f ON f.id = a.file_id WHERE a.decision_id = $1 ORDER BY a.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            Ok::<_, sqlx::Error>(Appendix {
                id: row.int("id")?,
                title: row.text("title")?,
                link: row.text_or_none("link")?,
                file: match row.int_or_none("file_id")? {
                    Some(file_id) => Some(FileInfo {
                        id: file_id,
                        name: row.text_or_none("file_name")?.unwrap_or_default(),
                        content_type: row.text_or_none("content_type")?.unwrap_or_default(),
                        size: row.int_or_none("size")?.unwrap_or_default(),
                    }),
                    None => None,
                },
            })
        })
        .collect::<Result<Vec<_>, _>>()?);
        Ok(Some(decision))
    }
}

async fn upsert_session(tx: &mut WriteTx, session: &SessionInfo) -> Result<i64, StorageError> {
    let existing: Option<(i64, Option<String>)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT id, held_on FROM assembly_sessions WHERE number = $1",
    )
    .bind(session.number)
    .fetch_optional(conn)
    .await?);
    if let Some((id, held_on)) = existing {
        let recorded = text_to_date(held_on)?;
        match (recorded, session.date) {
            (Some(recorded), Some(date)) if recorded != date => {
                return Err(StorageError::Conflict(format!(
                    "session {} is recorded as held on {recorded}, but this decision dates it {date}: correct the date or the session number",
                    session.number
                )));
            }
            // A session first recorded without a date takes the date of this decision.
            (None, Some(date)) => {
                on_tx!(tx, conn => sqlx::query("UPDATE assembly_sessions SET held_on = $1 WHERE id = $2")
                    .bind(date.to_string())
                    .bind(id)
                    .execute(conn)
                    .await.map(|r| r.rows_affected()))?;
            }
            // The place stays as first recorded: a Russian and an English decision of one
            // session name it in their own languages.
            _ => {}
        }
        return Ok(id);
    }
    let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO assembly_sessions (number, held_on, place) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(session.number)
    .bind(date_to_text(session.date))
    .bind(&session.place)
    .fetch_one(conn)
    .await?);
    Ok(id)
}

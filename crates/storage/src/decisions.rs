//! The register: sessions of the association, their decisions with numbered items and
//! appendices, and the assignments each decision creates. A confirmed import is saved here in one
//! transaction; the assignment workflow lives in `assignments.rs`.
use crate::assignments::{notify, Parties};
use crate::db::{now_utc, on_pool, on_tx, Store, WriteTx};
use crate::org::audit_entry;
use crate::{date_to_text, text_to_date, StorageError};
use megapolis_decisions::workflow::{EventKind, State};
use megapolis_decisions::{AssignmentKind, Recurrence};
use megapolis_domain::BodyId;
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::Date;

/// A session of the association: «Восемнадцатая сессия, 2 июня 2010 г., Астана».
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionInfo {
    pub number: i64,
    pub date: Option<Date>,
    pub place: String,
}

/// A numbered item or section heading of a decision, flattened in document order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionItem {
    pub number: String,
    /// 0 for a section (`1.`), 1 for its items (`1.1.`), and so on.
    pub depth: i64,
    pub heading: String,
    pub text: String,
}

/// A file as uploaded: a report's attachment or a decision's appendix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// A stored file's description, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileInfo {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

/// A file with its bytes, for download.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub info: FileInfo,
    pub content: Vec<u8>,
}

/// An appendix: a file, or a link to another object (a plan of events, a page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAppendix {
    pub title: String,
    pub link: Option<String>,
    pub file: Option<NewFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Appendix {
    pub id: i64,
    pub title: String,
    pub link: Option<String>,
    pub file: Option<FileInfo>,
}

/// An executor as the document names it, with its body when the directory knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Executor {
    pub body_id: Option<BodyId>,
    pub name: String,
}

/// An assignment as confirmed on the import screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAssignment {
    pub item: String,
    pub kind: AssignmentKind,
    pub task: String,
    pub lead: Option<Executor>,
    pub co_executors: Vec<Executor>,
    pub deadline: Option<Date>,
    pub deadline_text: Option<String>,
    pub recurrence: Option<Recurrence>,
    /// What the parser was unsure of and the person confirmed as it is (flag codes).
    pub flags: Vec<String>,
}

/// A decision as confirmed on the import screen, saved with all its assignments at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDecision {
    pub session: SessionInfo,
    pub title: String,
    pub language: String,
    pub source_text: String,
    pub controller: Option<Executor>,
    pub published: bool,
    pub items: Vec<DecisionItem>,
    pub appendices: Vec<NewAppendix>,
    pub assignments: Vec<NewAssignment>,
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

/// What the audit log keeps of a new assignment.
#[derive(Serialize)]
struct AssignmentAudit<'a> {
    decision_id: i64,
    item: &'a str,
    kind: &'static str,
    task: &'a str,
    lead: Option<&'a Executor>,
    co_executors: &'a [Executor],
    deadline: Option<String>,
    recurrence: Option<&'static str>,
    flags: &'a [String],
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

pub(crate) fn kind_from_text(text: &str) -> Result<AssignmentKind, StorageError> {
    match text {
        "assignment" => Ok(AssignmentKind::Assignment),
        "recommendation" => Ok(AssignmentKind::Recommendation),
        other => Err(StorageError::Corrupt(format!("assignment kind {other:?}"))),
    }
}

pub(crate) fn recurrence_from_text(
    text: Option<String>,
) -> Result<Option<Recurrence>, StorageError> {
    text.map(|t| {
        t.parse::<Recurrence>()
            .map_err(|e| StorageError::Corrupt(e.to_string()))
    })
    .transpose()
}

type SummaryRow = (
    i64,
    i64,
    Option<String>,
    String,
    String,
    String,
    bool,
    i64,
    i64,
    i64,
);

impl Store {
    /// Saves a confirmed decision, its items, appendices and every assignment in one
    /// transaction, with their audit records and a `created` event per assignment. The session is
    /// found by its number or created. Returns the decision's id.
    pub async fn save_decision(
        &self,
        actor: &str,
        decision: &NewDecision,
    ) -> Result<i64, StorageError> {
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
    pub async fn set_decision_published(
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
        tx.audit(&crate::org::event_entry(
            actor,
            action,
            "decision",
            &id.to_string(),
        ))
        .await?;
        tx.commit().await
    }

    /// The register of decisions, newest session first; `published_only` for the public.
    pub async fn decisions(
        &self,
        published_only: bool,
        today: Date,
    ) -> Result<Vec<DecisionSummary>, StorageError> {
        let sql = "SELECT d.id, s.number, s.held_on, s.place, d.title, d.language, d.published, \
             (SELECT COUNT(*) FROM assignments a WHERE a.decision_id = d.id), \
             (SELECT COUNT(*) FROM assignments a WHERE a.decision_id = d.id AND a.state = 'accepted'), \
             (SELECT COUNT(*) FROM assignments a WHERE a.decision_id = d.id AND a.state NOT IN ('accepted', 'cancelled') AND a.deadline < $1) \
             FROM decisions d JOIN assembly_sessions s ON s.id = d.session_id WHERE (d.published OR NOT $2) \
             ORDER BY s.number DESC, d.id DESC";
        let rows: Vec<SummaryRow> = on_pool!(self, pool => sqlx::query_as(sql)
            .bind(today.to_string())
            .bind(published_only)
            .fetch_all(pool)
            .await?);
        rows.into_iter()
            .map(
                |(
                    id,
                    number,
                    held_on,
                    place,
                    title,
                    language,
                    published,
                    assignments,
                    accepted,
                    overdue,
                )| {
                    Ok(DecisionSummary {
                        id,
                        session: SessionInfo {
                            number,
                            date: text_to_date(held_on)?,
                            place,
                        },
                        title,
                        language,
                        published,
                        assignments,
                        accepted,
                        overdue,
                    })
                },
            )
            .collect()
    }

    /// One decision with its items and appendices.
    pub async fn decision(&self, id: i64) -> Result<Option<DecisionRecord>, StorageError> {
        type Row = (
            i64,
            Option<String>,
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            bool,
            String,
            String,
        );
        let row: Option<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT s.number, s.held_on, s.place, d.title, d.language, d.source_text, d.controller_body_id, d.controller_name, d.published, d.created_at, d.created_by \
             FROM decisions d JOIN assembly_sessions s ON s.id = d.session_id WHERE d.id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        let Some((
            number,
            held_on,
            place,
            title,
            language,
            source_text,
            controller_body,
            controller_name,
            published,
            created_at,
            created_by,
        )) = row
        else {
            return Ok(None);
        };
        let items: Vec<(String, i64, String, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT number, depth, heading, text FROM decision_items WHERE decision_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        type AppendixRow = (
            i64,
            String,
            Option<String>,
            Option<i64>,
            Option<String>,
            Option<String>,
            Option<i64>,
        );
        let appendices: Vec<AppendixRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT a.id, a.title, a.link, f.id, f.name, f.content_type, f.size FROM decision_appendices a \
             LEFT JOIN files f ON f.id = a.file_id WHERE a.decision_id = $1 ORDER BY a.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        let controller_body_id = body_id_from_text(controller_body, "decision controller")?;
        Ok(Some(DecisionRecord {
            id,
            session: SessionInfo {
                number,
                date: text_to_date(held_on)?,
                place,
            },
            title,
            language,
            source_text,
            controller: match (controller_body_id, controller_name) {
                (None, None) => None,
                (body_id, name) => Some(Executor {
                    name: name.unwrap_or_default(),
                    body_id,
                }),
            },
            published,
            created_at,
            created_by,
            items: items
                .into_iter()
                .map(|(number, depth, heading, text)| DecisionItem {
                    number,
                    depth,
                    heading,
                    text,
                })
                .collect(),
            appendices: appendices
                .into_iter()
                .map(
                    |(id, title, link, file_id, name, content_type, size)| Appendix {
                        id,
                        title,
                        link,
                        file: file_id.map(|file_id| FileInfo {
                            id: file_id,
                            name: name.unwrap_or_default(),
                            content_type: content_type.unwrap_or_default(),
                            size: size.unwrap_or_default(),
                        }),
                    },
                )
                .collect(),
        }))
    }

    /// A stored file with its bytes.
    pub async fn file(&self, id: i64) -> Result<Option<StoredFile>, StorageError> {
        let row: Option<(String, String, i64, Vec<u8>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT name, content_type, size, content FROM files WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        Ok(row.map(|(name, content_type, size, content)| StoredFile {
            info: FileInfo {
                id,
                name,
                content_type,
                size,
            },
            content,
        }))
    }

    /// Whether a file is an appendix of a published decision, and so public.
    pub async fn file_is_public(&self, id: i64) -> Result<bool, StorageError> {
        let count: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM decision_appendices a JOIN decisions d ON d.id = a.decision_id \
             WHERE a.file_id = $1 AND d.published = $2",
        )
        .bind(id)
        .bind(true)
        .fetch_one(pool)
        .await?);
        Ok(count > 0)
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

pub(crate) async fn insert_file(
    tx: &mut WriteTx,
    actor: &str,
    file: &NewFile,
) -> Result<i64, StorageError> {
    let sha256 = hex::encode(Sha256::digest(&file.content));
    let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO files (name, content_type, size, sha256, content, uploaded_at, uploaded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&file.name)
    .bind(&file.content_type)
    .bind(file.content.len() as i64)
    .bind(&sha256)
    .bind(&file.content)
    .bind(now_utc())
    .bind(actor)
    .fetch_one(conn)
    .await?);
    tx.audit(&audit_entry(
        actor,
        "upload",
        "file",
        &id.to_string(),
        None,
        Some(&serde_json::json!({"name": file.name, "size": file.content.len(), "sha256": sha256})),
    ))
    .await?;
    Ok(id)
}

/// Inserts one assignment with its co-executors and its `created` event; `previous` is the
/// occurrence a recurring assignment follows.
pub(crate) async fn insert_assignment(
    tx: &mut WriteTx,
    actor: &str,
    decision_id: i64,
    position: i64,
    assignment: &NewAssignment,
    controller_body_id: Option<&str>,
    previous: Option<i64>,
) -> Result<i64, StorageError> {
    let now = now_utc();
    let lead_body = assignment
        .lead
        .as_ref()
        .and_then(|l| l.body_id.as_ref())
        .map(BodyId::as_str);
    let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO assignments (decision_id, item, position, kind, task, lead_body_id, lead_name, controller_body_id, \
         deadline, deadline_text, recurrence, state, progress, previous_id, flags, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 0, $13, $14, $15) RETURNING id",
    )
    .bind(decision_id)
    .bind(&assignment.item)
    .bind(position)
    .bind(assignment.kind.as_str())
    .bind(&assignment.task)
    .bind(lead_body)
    .bind(assignment.lead.as_ref().map(|l| l.name.as_str()))
    .bind(controller_body_id)
    .bind(date_to_text(assignment.deadline))
    .bind(assignment.deadline_text.as_deref())
    .bind(assignment.recurrence.map(Recurrence::as_str))
    .bind(State::New.as_str())
    .bind(previous)
    .bind(assignment.flags.join(","))
    .bind(&now)
    .fetch_one(conn)
    .await?);
    for (index, co) in assignment.co_executors.iter().enumerate() {
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO assignment_co_executors (assignment_id, position, body_id, name) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(index as i64)
        .bind(co.body_id.as_ref().map(BodyId::as_str))
        .bind(&co.name)
        .execute(conn)
        .await.map(|r| r.rows_affected()))?;
    }
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO assignment_events (assignment_id, at, person_id, actor, kind, text, state_after, deadline_after, progress_after) \
         VALUES ($1, $2, NULL, $3, $4, '', $5, $6, 0)",
    )
    .bind(id)
    .bind(&now)
    .bind(actor)
    .bind(EventKind::Created.as_str())
    .bind(State::New.as_str())
    .bind(date_to_text(assignment.deadline))
    .execute(conn)
    .await.map(|r| r.rows_affected()))?;
    let controller = controller_body_id
        .map(BodyId::parse)
        .transpose()
        .map_err(|e| StorageError::Corrupt(e.to_string()))?;
    notify(
        tx,
        id,
        &Parties::new(
            assignment.lead.as_ref(),
            &assignment.co_executors,
            controller.as_ref(),
        ),
        EventKind::Created,
        &assignment.task,
        None,
    )
    .await?;
    tx.audit(&audit_entry(
        actor,
        "create",
        "assignment",
        &id.to_string(),
        None,
        Some(&AssignmentAudit {
            decision_id,
            item: &assignment.item,
            kind: assignment.kind.as_str(),
            task: &assignment.task,
            lead: assignment.lead.as_ref(),
            co_executors: &assignment.co_executors,
            deadline: date_to_text(assignment.deadline),
            recurrence: assignment.recurrence.map(Recurrence::as_str),
            flags: &assignment.flags,
        }),
    ))
    .await?;
    Ok(id)
}

/// Why a parsed decision cannot be saved as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IncompleteDecision {
    #[error(
        "the header names no session number (e.g. «Восемнадцатой сессии», \"Nineteenth Session\")"
    )]
    NoSessionNumber,
    #[error("the header names no place of the session")]
    NoPlace,
    #[error("body {0:?} of the directory has an invalid id")]
    BadBodyId(String),
}

fn executor(name: &str, id: Option<&String>) -> Result<Executor, IncompleteDecision> {
    Ok(Executor {
        body_id: id
            .map(|id| BodyId::parse(id).map_err(|_| IncompleteDecision::BadBodyId(id.clone())))
            .transpose()?,
        name: name.to_string(),
    })
}

/// A decision as the parser proposed it, ready to save: every assignment as parsed, with what
/// the parser was unsure of kept as flags. The web import lets a person correct it first; the API
/// and the demo save it as it is.
pub fn new_decision_from_parsed(
    parsed: &megapolis_decisions::Decision,
    source_text: &str,
    published: bool,
) -> Result<NewDecision, IncompleteDecision> {
    let session = SessionInfo {
        number: i64::from(
            parsed
                .session
                .number
                .ok_or(IncompleteDecision::NoSessionNumber)?,
        ),
        date: parsed.session.date,
        place: parsed
            .session
            .place
            .clone()
            .ok_or(IncompleteDecision::NoPlace)?,
    };
    let items = items_of(parsed);
    let assignments = parsed
        .assignments
        .iter()
        .map(|a| {
            Ok(NewAssignment {
                item: a.item.clone(),
                kind: a.kind,
                task: a.task.clone(),
                lead: a
                    .lead
                    .as_deref()
                    .map(|name| executor(name, a.lead_id.as_ref()))
                    .transpose()?,
                co_executors: a
                    .co_executors
                    .iter()
                    .zip(a.co_executor_ids.iter())
                    .map(|(name, id)| executor(name, id.as_ref()))
                    .collect::<Result<_, _>>()?,
                deadline: a.deadline,
                deadline_text: a.deadline_text.clone(),
                recurrence: a.recurrence,
                flags: a.flags.iter().map(|f| f.code().to_string()).collect(),
            })
        })
        .collect::<Result<_, IncompleteDecision>>()?;
    Ok(NewDecision {
        session,
        title: parsed.title.clone(),
        language: parsed.language.as_str().to_string(),
        source_text: source_text.to_string(),
        controller: parsed
            .controller
            .as_deref()
            .map(|name| executor(name, parsed.controller_id.as_ref()))
            .transpose()?,
        published,
        items,
        appendices: Vec::new(),
        assignments,
    })
}

/// The items of a parsed decision as stored: flattened in document order with their depth.
pub fn items_of(parsed: &megapolis_decisions::Decision) -> Vec<DecisionItem> {
    fn walk(items: &[megapolis_decisions::Item], depth: i64, out: &mut Vec<DecisionItem>) {
        for item in items {
            out.push(DecisionItem {
                number: item.number.clone(),
                depth,
                heading: String::new(),
                text: item.text.clone(),
            });
            walk(&item.items, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    for section in &parsed.items {
        out.push(DecisionItem {
            number: section.number.clone(),
            depth: 0,
            heading: section.heading.clone(),
            text: section.text.clone(),
        });
        walk(&section.items, 1, &mut out);
    }
    out
}

/// The parser's directory of bodies from the organisation's bodies.
pub fn directory_of(bodies: &[megapolis_domain::Body]) -> megapolis_decisions::Directory {
    let bodies: Vec<megapolis_decisions::Body> = bodies
        .iter()
        .map(|b| megapolis_decisions::Body {
            id: b.id.as_str().to_string(),
            kind: b.kind.as_str().to_string(),
            name_ru: b.name_ru.clone(),
            name_en: b.name_en.clone(),
            short_ru: Some(b.short_ru.clone()).filter(|s| !s.is_empty()),
            short_en: Some(b.short_en.clone()).filter(|s| !s.is_empty()),
        })
        .collect();
    megapolis_decisions::Directory::new(&bodies)
}

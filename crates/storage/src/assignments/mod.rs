//! Assignments after import: lists with filters, one assignment with its timeline, the actions of
//! the workflow (each in one transaction with its event, files, notifications and audit record),
//! and the figures of the Board's dashboard.
use crate::audit::audit_entry;
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, on_reader, on_tx, NamedRow, Reader, WriteTx};
use crate::decisions::body_id_from_text;
use crate::notices::notify;
use crate::{date_to_text, text_to_date, StorageError};
use megapolis_assignments::workflow::{
    self, AssignmentState, Capacities, EventKind, PendingExtension, Status,
};
use megapolis_assignments::{AssignmentKind, Doubt, Executor, NewAssignment, Parties, Recurrence};
use megapolis_domain::file::FileInfo;
use megapolis_domain::notice::Subject;
use megapolis_domain::{BodyId, Person};
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;
use time::Date;

/// What a backup holds of assignments, their timelines and the reminders sent, parents before children.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "assignments",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("decision_id", Kind::Int),
            ("item", Kind::Text),
            ("position", Kind::Int),
            ("kind", Kind::Text),
            ("task", Kind::Text),
            ("lead_body_id", Kind::Text),
            ("lead_name", Kind::Text),
            ("controller_body_id", Kind::Text),
            ("deadline", Kind::Text),
            ("deadline_text", Kind::Text),
            ("recurrence", Kind::Text),
            ("state", Kind::Text),
            ("progress", Kind::Int),
            ("extension_until", Kind::Text),
            ("extension_reason", Kind::Text),
            ("previous_id", Kind::Int),
            ("flags", Kind::Text),
            ("updated_at", Kind::Text),
        ],
    },
    Table {
        name: "assignment_co_executors",
        identity: false,
        columns: &[
            ("assignment_id", Kind::Int),
            ("position", Kind::Int),
            ("body_id", Kind::Text),
            ("name", Kind::Text),
        ],
    },
    Table {
        name: "assignment_events",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("assignment_id", Kind::Int),
            ("at", Kind::Text),
            ("person_id", Kind::Int),
            ("actor", Kind::Text),
            ("kind", Kind::Text),
            ("text", Kind::Text),
            ("state_after", Kind::Text),
            ("deadline_after", Kind::Text),
            ("progress_after", Kind::Int),
        ],
    },
    Table {
        name: "event_files",
        identity: false,
        columns: &[("event_id", Kind::Int), ("file_id", Kind::Int)],
    },
];

/// An assignment as lists and pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignmentRecord {
    pub id: i64,
    pub decision_id: i64,
    pub decision_title: String,
    pub session_number: i64,
    pub published: bool,
    pub item: String,
    pub kind: AssignmentKind,
    pub task: String,
    pub lead: Option<Executor>,
    pub co_executors: Vec<Executor>,
    pub controller_body_id: Option<BodyId>,
    pub deadline: Option<Date>,
    pub deadline_text: Option<String>,
    pub recurrence: Option<Recurrence>,
    pub state: AssignmentState,
    pub progress: i64,
    pub extension: Option<PendingExtension>,
    pub previous_id: Option<i64>,
    /// What the import was unsure of, until a correction settles it.
    pub doubts: Vec<Doubt>,
    pub updated_at: String,
    /// Open and past its deadline on the day the list was made.
    pub overdue: bool,
}

impl AssignmentRecord {
    pub fn status(&self) -> Status {
        Status {
            state: self.state,
            deadline: self.deadline,
            recurrence: self.recurrence,
            progress: u8::try_from(self.progress).unwrap_or(0),
            extension: self.extension.clone(),
        }
    }

    /// The assignment as it would be confirmed anew: the base of a correction or of the next
    /// occurrence.
    pub fn as_new(&self) -> NewAssignment {
        NewAssignment {
            item: self.item.clone(),
            kind: self.kind,
            task: self.task.clone(),
            lead: self.lead.clone(),
            co_executors: self.co_executors.clone(),
            deadline: self.deadline,
            deadline_text: self.deadline_text.clone(),
            recurrence: self.recurrence,
            doubts: self.doubts.clone(),
        }
    }

    /// The bodies the assignment involves.
    pub fn parties(&self) -> Parties<'_> {
        Parties::new(
            self.lead.as_ref(),
            &self.co_executors,
            self.controller_body_id.as_ref(),
        )
    }

    /// The capacities in which `person` acts on this assignment.
    pub fn capacities_of(&self, person: &Person, member_groups: &[BodyId]) -> Capacities {
        self.parties().capacities_of(person, member_groups)
    }
}

/// One entry of an assignment's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignmentEvent {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub kind: EventKind,
    pub text: String,
    pub state_after: AssignmentState,
    pub deadline_after: Option<Date>,
    pub progress_after: i64,
    pub files: Vec<FileInfo>,
}

/// Which assignments a list shows. The default shows every one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssignmentFilter {
    pub state: Option<AssignmentState>,
    /// Only open assignments (neither accepted nor cancelled).
    pub open: bool,
    /// Only open assignments past their deadline.
    pub overdue: bool,
    /// Only open assignments due from today to this many days ahead.
    pub due_within_days: Option<i64>,
    /// Lead or co-executor.
    pub body: Option<BodyId>,
    /// Lead only (the dashboard counts by lead executor).
    pub lead: Option<BodyId>,
    /// Only assignments with no executor in the directory (lead unknown or missing).
    pub without_body: bool,
    /// Lead only, an executor outside the directory: exactly this name as the decision wrote it,
    /// with no body (the dashboard's row of that name).
    pub lead_name: Option<String>,
    /// Only assignments that name no lead executor at all (the dashboard's row of them).
    pub no_lead: bool,
    /// Only open assignments with an extension request waiting for the controlling body.
    pub extension: bool,
    /// Only open assignments on which one of these bodies must act: as the lead executor or a
    /// co-executor, or as the controlling body when a report or an extension request waits for
    /// its answer. `Some` of no bodies matches nothing.
    pub waiting_on: Option<Vec<BodyId>>,
    pub decision: Option<i64>,
    /// Only assignments of published decisions (the public page and anonymous API).
    pub published_only: bool,
    /// Words that must all occur (in any case) in the task, the item number, the decision's
    /// title or the lead executor's name as written.
    pub search: Option<String>,
    pub order: ListOrder,
    pub limit: Option<i64>,
}

/// The order of a list of assignments.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum ListOrder {
    /// The newest session first, then by position in the decision.
    #[default]
    Decision,
    /// The nearest deadline first; those without one last.
    Deadline,
    /// By state in the order of the workflow, then by deadline.
    State,
    /// The least done first.
    Progress,
}

impl ListOrder {
    fn sql(self) -> &'static str {
        match self {
            ListOrder::Decision => "s.number DESC, a.decision_id DESC, a.position, a.id",
            ListOrder::Deadline => {
                "CASE WHEN a.deadline IS NULL THEN 1 ELSE 0 END, a.deadline, s.number DESC, a.decision_id DESC, a.position, a.id"
            }
            ListOrder::State => {
                "CASE a.state WHEN 'new' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'report_submitted' THEN 2 \
                 WHEN 'accepted' THEN 3 ELSE 4 END, CASE WHEN a.deadline IS NULL THEN 1 ELSE 0 END, a.deadline, a.id"
            }
            ListOrder::Progress => "a.progress, s.number DESC, a.decision_id DESC, a.position, a.id",
        }
    }
}

/// Whether `record` holds every word of `search`, in any case (done here rather than in SQL:
/// SQLite's `LOWER` folds only ASCII, and the texts are Russian).
fn matches_search(record: &AssignmentRecord, search: &str) -> bool {
    let haystack = [
        record.task.as_str(),
        record.item.as_str(),
        record.decision_title.as_str(),
        record.lead.as_ref().map_or("", |lead| lead.name.as_str()),
    ]
    .join("\n")
    .to_lowercase();
    search
        .to_lowercase()
        .split_whitespace()
        .all(|word| haystack.contains(word))
}

const ASSIGNMENT_COLUMNS: &str = "a.id, a.decision_id, d.title AS decision_title, s.number AS session_number, \
     d.published, a.item, a.kind, a.task, a.lead_body_id, a.lead_name, a.controller_body_id, a.deadline, \
     a.deadline_text, a.recurrence, a.state, a.progress, a.extension_until, a.extension_reason, a.previous_id, \
     a.flags, a.updated_at";

const ASSIGNMENT_FROM: &str = "FROM assignments a JOIN decisions d ON d.id = a.decision_id \
     JOIN assembly_sessions s ON s.id = d.session_id";

/// The SQL condition "still to be done": neither accepted nor cancelled.
pub(crate) const OPEN_SQL: &str = "a.state NOT IN ('accepted', 'cancelled')";

/// The SQL condition "names no lead executor": no body and no name (the dashboard groups a
/// missing name and an empty one together, and so does this).
pub(crate) const NO_LEAD_SQL: &str =
    "(a.lead_body_id IS NULL AND (a.lead_name IS NULL OR a.lead_name = ''))";

/// The SQL condition "an extension request waits for the controlling body's answer".
pub(crate) const EXTENSION_WAITING_SQL: &str = "a.extension_until IS NOT NULL";

pub(crate) enum Param {
    Text(String),
    Int(i64),
    Bool(bool),
}

/// Builds `WHERE …` for a filter, with its parameters after the ones already numbered.
pub(crate) fn filter_sql(
    filter: &AssignmentFilter,
    today: Date,
    params: &mut Vec<Param>,
) -> String {
    let mut conditions = vec![];
    let push = |params: &mut Vec<Param>, param: Param| {
        params.push(param);
        params.len()
    };
    if let Some(state) = filter.state {
        let n = push(params, Param::Text(state.as_str().into()));
        conditions.push(format!("a.state = ${n}"));
    }
    if filter.open {
        conditions.push(OPEN_SQL.into());
    }
    if let Some(lead) = &filter.lead {
        let n = push(params, Param::Text(lead.as_str().into()));
        conditions.push(format!("a.lead_body_id = ${n}"));
    }
    if filter.overdue {
        let n = push(params, Param::Text(today.to_string()));
        conditions.push(format!("({OPEN_SQL} AND a.deadline < ${n})"));
    }
    if let Some(days) = filter.due_within_days {
        let from = push(params, Param::Text(today.to_string()));
        let to = push(
            params,
            Param::Text((today + time::Duration::days(days)).to_string()),
        );
        conditions.push(format!(
            "({OPEN_SQL} AND a.deadline >= ${from} AND a.deadline <= ${to})"
        ));
    }
    if let Some(body) = &filter.body {
        let n = push(params, Param::Text(body.as_str().into()));
        conditions.push(format!(
            "(a.lead_body_id = ${n} OR EXISTS (SELECT 1 FROM assignment_co_executors c WHERE c.assignment_id = a.id AND c.body_id = ${n}))"
        ));
    }
    if filter.without_body {
        conditions.push("a.lead_body_id IS NULL".into());
    }
    if let Some(name) = &filter.lead_name {
        let n = push(params, Param::Text(name.clone()));
        conditions.push(format!("(a.lead_body_id IS NULL AND a.lead_name = ${n})"));
    }
    if filter.no_lead {
        conditions.push(NO_LEAD_SQL.into());
    }
    if filter.extension {
        conditions.push(format!("({OPEN_SQL} AND {EXTENSION_WAITING_SQL})"));
    }
    if let Some(bodies) = &filter.waiting_on {
        if bodies.is_empty() {
            conditions.push("1 = 0".into());
        } else {
            let list = bodies
                .iter()
                .map(|b| format!("${}", push(params, Param::Text(b.as_str().into()))))
                .collect::<Vec<_>>()
                .join(", ");
            conditions.push(format!(
                "({OPEN_SQL} AND (a.lead_body_id IN ({list}) \
                 OR EXISTS (SELECT 1 FROM assignment_co_executors c WHERE c.assignment_id = a.id AND c.body_id IN ({list})) \
                 OR (a.controller_body_id IN ({list}) AND (a.state = 'report_submitted' OR {EXTENSION_WAITING_SQL}))))"
            ));
        }
    }
    if let Some(decision) = filter.decision {
        let n = push(params, Param::Int(decision));
        conditions.push(format!("a.decision_id = ${n}"));
    }
    if filter.published_only {
        let n = push(params, Param::Bool(true));
        conditions.push(format!("d.published = ${n}"));
    }
    if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    }
}

macro_rules! bind_params {
    ($query:expr, $params:expr) => {{
        let mut query = $query;
        for param in $params {
            query = match param {
                Param::Text(t) => query.bind(t.clone()),
                Param::Int(i) => query.bind(*i),
                Param::Bool(b) => query.bind(*b),
            };
        }
        query
    }};
}

/// Reads one row selected with `ASSIGNMENT_COLUMNS` (co-executors come separately).
macro_rules! assignment_from_row {
    ($row:expr, $today:expr) => {{
        let row = $row;
        let id: i64 = row.try_get("id")?;
        let state_text: String = row.try_get("state")?;
        let state = state_text
            .parse::<AssignmentState>()
            .map_err(|e| StorageError::Corrupt(format!("assignment {id}: {e}")))?;
        let deadline = text_to_date(row.try_get("deadline")?)?;
        let lead_body = body_id_from_text(row.try_get("lead_body_id")?, "assignment lead")?;
        let lead_name: Option<String> = row.try_get("lead_name")?;
        let extension_until = text_to_date(row.try_get("extension_until")?)?;
        let extension_reason: Option<String> = row.try_get("extension_reason")?;
        let doubts: String = row.try_get("flags")?;
        let kind: String = row.try_get("kind")?;
        AssignmentRecord {
            id,
            decision_id: row.try_get("decision_id")?,
            decision_title: row.try_get("decision_title")?,
            session_number: row.try_get("session_number")?,
            published: row.try_get("published")?,
            item: row.try_get("item")?,
            kind: kind_from_text(&kind)?,
            task: row.try_get("task")?,
            lead: match (lead_body, lead_name) {
                (None, None) => None,
                (body_id, name) => Some(Executor {
                    body_id,
                    name: name.unwrap_or_default(),
                }),
            },
            co_executors: Vec::new(),
            controller_body_id: body_id_from_text(
                row.try_get("controller_body_id")?,
                "assignment controller",
            )?,
            deadline,
            deadline_text: row.try_get("deadline_text")?,
            recurrence: recurrence_from_text(row.try_get("recurrence")?)?,
            state,
            progress: row.try_get("progress")?,
            extension: extension_until.map(|until| PendingExtension {
                until,
                reason: extension_reason.unwrap_or_default(),
            }),
            previous_id: row.try_get("previous_id")?,
            doubts: doubts_from_text(&doubts)?,
            updated_at: row.try_get("updated_at")?,
            overdue: workflow::is_overdue(state, deadline, $today),
        }
    }};
}

crate::facet!(
    /// Assignments: lists, the timeline, workflow actions, corrections, reminders, the dashboard.
    Assignments,
    assignments
);

impl Assignments<'_> {
    /// Assignments matching `filter`, by decision and position.
    pub async fn list(
        &self,
        filter: &AssignmentFilter,
        today: Date,
    ) -> Result<Vec<AssignmentRecord>, StorageError> {
        let mut params = Vec::new();
        let condition = filter_sql(filter, today, &mut params);
        let search = filter.search.as_deref().filter(|s| !s.trim().is_empty());
        // A search filters the rows in Rust, so the limit applies after it.
        let limit = match (filter.limit, search) {
            (Some(n), None) => format!(" LIMIT {}", n.max(0)),
            _ => String::new(),
        };
        let order = filter.order.sql();
        let sql = format!(
            "SELECT {ASSIGNMENT_COLUMNS} {ASSIGNMENT_FROM} {condition} ORDER BY {order}{limit}"
        );
        let mut records = on_pool!(self, pool => {
            let rows = bind_params!(sqlx::query(&sql), &params).fetch_all(pool).await?;
            let mut records = Vec::with_capacity(rows.len());
            for row in &rows {
                records.push(assignment_from_row!(row, today));
            }
            records
        });
        if let Some(search) = search {
            records.retain(|record| matches_search(record, search));
            if let Some(n) = filter.limit {
                records.truncate(usize::try_from(n.max(0)).unwrap_or(usize::MAX));
            }
        }
        let co_sql = format!(
            "SELECT c.assignment_id, c.body_id, c.name FROM assignment_co_executors c \
             JOIN assignments a ON a.id = c.assignment_id JOIN decisions d ON d.id = a.decision_id \
             {condition} ORDER BY c.assignment_id, c.position"
        );
        let co_rows: Vec<(i64, Option<String>, String)> = on_pool!(self, pool => {
            bind_params!(sqlx::query_as(&co_sql), &params).fetch_all(pool).await?
        });
        let mut co_executors: BTreeMap<i64, Vec<Executor>> = BTreeMap::new();
        for (assignment_id, body_id, name) in co_rows {
            co_executors
                .entry(assignment_id)
                .or_default()
                .push(Executor {
                    body_id: body_id_from_text(body_id, "co-executor")?,
                    name,
                });
        }
        for record in &mut records {
            if let Some(list) = co_executors.remove(&record.id) {
                record.co_executors = list;
            }
        }
        Ok(records)
    }

    /// One assignment, as of `today`.
    pub async fn get(
        &self,
        id: i64,
        today: Date,
    ) -> Result<Option<AssignmentRecord>, StorageError> {
        load(&mut Reader::Store(self.store), id, today).await
    }

    /// The latest part each city gave to an assignment: an input or a report by one of the
    /// city's representatives, by city code (event id and time).
    pub async fn city_parts(
        &self,
        id: i64,
    ) -> Result<BTreeMap<String, (i64, String)>, StorageError> {
        let rows: Vec<(String, i64, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT p.city, e.id, e.at FROM assignment_events e JOIN people p ON p.id = e.person_id \
             WHERE e.assignment_id = $1 AND p.city IS NOT NULL AND e.kind IN ('input', 'reported') ORDER BY e.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(city, event, at)| (city, (event, at)))
            .collect())
    }

    /// The timeline of an assignment, oldest first, with the files of each event.
    pub async fn events(&self, id: i64) -> Result<Vec<AssignmentEvent>, StorageError> {
        let files = on_pool!(self, pool => sqlx::query(
            "SELECT ef.event_id, f.id, f.name, f.content_type, f.size FROM event_files ef \
             JOIN files f ON f.id = ef.file_id JOIN assignment_events e ON e.id = ef.event_id \
             WHERE e.assignment_id = $1 ORDER BY f.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            Ok::<_, sqlx::Error>((
                row.int("event_id")?,
                FileInfo {
                    id: row.int("id")?,
                    name: row.text("name")?,
                    content_type: row.text("content_type")?,
                    size: row.int("size")?,
                },
            ))
        })
        .collect::<Result<Vec<_>, _>>()?);
        let mut by_event: BTreeMap<i64, Vec<FileInfo>> = BTreeMap::new();
        for (event_id, file) in files {
            by_event.entry(event_id).or_default().push(file);
        }
        let events = on_pool!(self, pool => sqlx::query(
            "SELECT id, at, actor, kind, text, state_after, deadline_after, progress_after \
             FROM assignment_events WHERE assignment_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            let id = row.int("id")?;
            let corrupt = |e: megapolis_assignments::UnknownCode| {
                StorageError::Corrupt(format!("assignment event {id}: {e}"))
            };
            Ok(AssignmentEvent {
                id,
                at: row.text("at")?,
                actor: row.text("actor")?,
                kind: row.text("kind")?.parse().map_err(corrupt)?,
                text: row.text("text")?,
                state_after: row.text("state_after")?.parse().map_err(corrupt)?,
                deadline_after: text_to_date(row.text_or_none("deadline_after")?)?,
                progress_after: row.int("progress_after")?,
                files: by_event.remove(&id).unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(events)
    }
}

/// Reads one assignment with its co-executors, on the pool or inside a write.
pub(crate) async fn load(
    reader: &mut Reader<'_>,
    id: i64,
    today: Date,
) -> Result<Option<AssignmentRecord>, StorageError> {
    let sql = format!("SELECT {ASSIGNMENT_COLUMNS} {ASSIGNMENT_FROM} WHERE a.id = $1");
    let record = on_reader!(reader, conn => {
        match sqlx::query(&sql).bind(id).fetch_optional(conn).await? {
            Some(row) => Some(assignment_from_row!(&row, today)),
            None => None,
        }
    });
    let Some(mut record) = record else {
        return Ok(None);
    };
    let co: Vec<(Option<String>, String)> = on_reader!(reader, conn => sqlx::query_as(
        "SELECT body_id, name FROM assignment_co_executors WHERE assignment_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(conn)
    .await?);
    record.co_executors = co
        .into_iter()
        .map(|(body_id, name)| {
            Ok(Executor {
                body_id: body_id_from_text(body_id, "co-executor")?,
                name,
            })
        })
        .collect::<Result<_, StorageError>>()?;
    Ok(Some(record))
}

/// Replaces the co-executors of assignment `id` with `co_executors`, in their order.
pub(crate) async fn write_co_executors(
    tx: &mut WriteTx,
    id: i64,
    co_executors: &[Executor],
) -> Result<(), StorageError> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM assignment_co_executors WHERE assignment_id = $1")
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    for (index, co) in co_executors.iter().enumerate() {
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
    Ok(())
}

/// The bodies whose members are the representatives of the member cities.
pub(crate) async fn member_groups(tx: &mut WriteTx) -> Result<Vec<BodyId>, StorageError> {
    let ids: Vec<String> = on_tx!(tx, conn => sqlx::query_scalar("SELECT id FROM bodies WHERE kind = $1")
        .bind(megapolis_domain::BodyKind::MemberGroup.as_str())
        .fetch_all(conn)
        .await?);
    ids.into_iter()
        .map(|id| {
            BodyId::parse(&id).map_err(|e| StorageError::Corrupt(format!("body {id:?}: {e}")))
        })
        .collect()
}

/// Tells the bodies an event concerns, with the assignment as the notice's subject.
pub(crate) async fn notify_parties(
    tx: &mut WriteTx,
    id: i64,
    task: &str,
    parties: &Parties<'_>,
    kind: EventKind,
    text: &str,
    except: Option<i64>,
) -> Result<usize, StorageError> {
    let subject = Subject {
        kind: "assignment",
        id: id.to_string(),
        title: task.trim().to_string(),
        link: format!("/assignments/{id}"),
    };
    notify(
        tx,
        &subject,
        kind.as_str(),
        text,
        &parties.audience(kind),
        except,
    )
    .await
}

/// Appends an event to an assignment's timeline.
pub(crate) async fn insert_event(
    tx: &mut WriteTx,
    assignment_id: i64,
    person: Option<&Person>,
    kind: EventKind,
    text: &str,
    status: &Status,
) -> Result<i64, StorageError> {
    let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO assignment_events (assignment_id, at, person_id, actor, kind, text, state_after, deadline_after, progress_after) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(assignment_id)
    .bind(now_utc())
    .bind(person.map(|p| p.id))
    .bind(person.map_or("Megapolis", |p| p.name.as_str()))
    .bind(kind.as_str())
    .bind(text)
    .bind(status.state.as_str())
    .bind(date_to_text(status.deadline))
    .bind(i64::from(status.progress))
    .fetch_one(conn)
    .await?);
    Ok(id)
}

pub(crate) fn kind_from_text(text: &str) -> Result<AssignmentKind, StorageError> {
    text.parse()
        .map_err(|e: megapolis_assignments::UnknownCode| StorageError::Corrupt(e.to_string()))
}

/// Doubts are stored as their codes, comma-separated.
pub(crate) fn doubts_to_text(doubts: &[Doubt]) -> String {
    doubts
        .iter()
        .map(|d| d.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn doubts_from_text(text: &str) -> Result<Vec<Doubt>, StorageError> {
    text.split(',')
        .filter(|code| !code.is_empty())
        .map(|code| {
            code.parse()
                .map_err(|e: megapolis_assignments::UnknownCode| {
                    StorageError::Corrupt(e.to_string())
                })
        })
        .collect()
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
    doubts: &'a [Doubt],
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
    .bind(AssignmentState::New.as_str())
    .bind(previous)
    .bind(doubts_to_text(&assignment.doubts))
    .bind(&now)
    .fetch_one(conn)
    .await?);
    write_co_executors(tx, id, &assignment.co_executors).await?;
    on_tx!(tx, conn => sqlx::query(
        "INSERT INTO assignment_events (assignment_id, at, person_id, actor, kind, text, state_after, deadline_after, progress_after) \
         VALUES ($1, $2, NULL, $3, $4, '', $5, $6, 0)",
    )
    .bind(id)
    .bind(&now)
    .bind(actor)
    .bind(EventKind::Created.as_str())
    .bind(AssignmentState::New.as_str())
    .bind(date_to_text(assignment.deadline))
    .execute(conn)
    .await.map(|r| r.rows_affected()))?;
    let controller = controller_body_id
        .map(BodyId::parse)
        .transpose()
        .map_err(|e| StorageError::Corrupt(e.to_string()))?;
    notify_parties(
        tx,
        id,
        &assignment.task,
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
            doubts: &assignment.doubts,
        }),
    ))
    .await?;
    Ok(id)
}

mod actions;
mod dashboard;
mod reminders;

pub use crate::reminders::RemindersQueued;
pub use actions::{ActionDone, AssignmentEdit};
pub use dashboard::{BodyLoad, Dashboard, DecisionLoad, LeadOf, Load, EXTENSION_REQUESTS_LISTED};

//! Assignments after import: lists with filters, one assignment with its timeline, the actions of
//! the workflow (each in one transaction with its event, files, notifications and audit record),
//! and the figures of the Board's dashboard.
use crate::db::{now_utc, on_pool, on_tx, Store, WriteTx};
use crate::decisions::{
    body_id_from_text, insert_assignment, insert_file, kind_from_text, recurrence_from_text,
    Executor, FileInfo, NewAssignment, NewFile,
};
use crate::org::audit_entry;
use crate::{date_to_text, text_to_date, StorageError};
use megapolis_decisions::workflow::{
    self, Action, Capacities, EventKind, PendingExtension, State, Status,
};
use megapolis_decisions::{AssignmentKind, Recurrence};
use megapolis_domain::{BodyId, Person, Role};
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;
use time::Date;

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
    pub state: State,
    pub progress: i64,
    pub extension: Option<PendingExtension>,
    pub previous_id: Option<i64>,
    pub flags: Vec<String>,
    pub updated_at: String,
    /// Open and past its deadline on the day the list was made.
    pub overdue: bool,
}

impl AssignmentRecord {
    pub(crate) fn status(&self) -> Status {
        Status {
            state: self.state,
            deadline: self.deadline,
            recurrence: self.recurrence,
            progress: u8::try_from(self.progress).unwrap_or(0),
            extension: self.extension.clone(),
        }
    }

    /// The capacities in which `person` acts on this assignment.
    pub fn capacities_of(&self, person: &Person) -> Capacities {
        let member_of = |body: Option<&BodyId>| {
            body.is_some_and(|b| person.memberships.iter().any(|m| &m.body == b))
        };
        Capacities {
            lead: member_of(self.lead.as_ref().and_then(|l| l.body_id.as_ref())),
            co_executor: self
                .co_executors
                .iter()
                .any(|c| member_of(c.body_id.as_ref())),
            controller: member_of(self.controller_body_id.as_ref()),
            secretariat: matches!(person.role, Role::Admin | Role::Secretariat),
        }
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
    pub state_after: State,
    pub deadline_after: Option<Date>,
    pub progress_after: i64,
    pub files: Vec<FileInfo>,
}

/// Which assignments a list shows. The default shows every one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssignmentFilter {
    pub state: Option<State>,
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
    pub decision: Option<i64>,
    /// Only assignments of published decisions (the public page and anonymous API).
    pub published_only: bool,
    pub limit: Option<i64>,
}

/// The Secretariat's correction of an assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentEdit {
    pub task: String,
    pub lead: Option<Executor>,
    pub co_executors: Vec<Executor>,
    pub deadline: Option<Date>,
    pub deadline_text: Option<String>,
    pub recurrence: Option<Recurrence>,
}

#[derive(Serialize)]
struct EditAudit<'a> {
    task: &'a str,
    lead: Option<&'a Executor>,
    co_executors: &'a [Executor],
    deadline: Option<String>,
    deadline_text: Option<&'a str>,
    recurrence: Option<&'static str>,
    flags: &'a [String],
}

/// The result of an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionDone {
    pub event_id: i64,
    pub state: State,
    /// The next occurrence a recurring assignment opened.
    pub next_occurrence: Option<i64>,
}

/// Counts for one row of the dashboard (an executor body or a decision).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Load {
    pub total: i64,
    pub open: i64,
    pub overdue: i64,
    pub due_soon: i64,
    pub accepted: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BodyLoad {
    /// `None` for executors outside the directory, grouped under their name.
    pub body_id: Option<BodyId>,
    pub name: String,
    pub load: Load,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionLoad {
    pub decision_id: i64,
    pub title: String,
    pub session_number: i64,
    pub load: Load,
}

/// The Board's dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dashboard {
    pub today: Date,
    pub due_soon_days: i64,
    pub by_state: Vec<(State, i64)>,
    pub total: Load,
    pub by_body: Vec<BodyLoad>,
    pub by_decision: Vec<DecisionLoad>,
}

#[derive(Serialize)]
struct StatusAudit<'a> {
    state: &'a str,
    deadline: Option<String>,
    progress: u8,
    extension_until: Option<String>,
}

impl StatusAudit<'_> {
    fn of(status: &Status) -> StatusAudit<'static> {
        StatusAudit {
            state: status.state.as_str(),
            deadline: date_to_text(status.deadline),
            progress: status.progress,
            extension_until: status.extension.as_ref().map(|e| e.until.to_string()),
        }
    }
}

const ASSIGNMENT_COLUMNS: &str = "a.id, a.decision_id, d.title, s.number, d.published, a.item, a.kind, a.task, \
     a.lead_body_id, a.lead_name, a.controller_body_id, a.deadline, a.deadline_text, a.recurrence, a.state, \
     a.progress, a.extension_until, a.extension_reason, a.previous_id, a.flags, a.updated_at";

const ASSIGNMENT_FROM: &str = "FROM assignments a JOIN decisions d ON d.id = a.decision_id \
     JOIN assembly_sessions s ON s.id = d.session_id";

/// The SQL condition "still to be done": neither accepted nor cancelled.
const OPEN_SQL: &str = "a.state NOT IN ('accepted', 'cancelled')";

enum Param {
    Text(String),
    Int(i64),
    Bool(bool),
}

/// Builds `WHERE …` for a filter, with its parameters after the ones already numbered.
fn filter_sql(filter: &AssignmentFilter, today: Date, params: &mut Vec<Param>) -> String {
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
        let id: i64 = row.try_get(0)?;
        let state_text: String = row.try_get(14)?;
        let state = state_text
            .parse::<State>()
            .map_err(|e| StorageError::Corrupt(format!("assignment {id}: {e}")))?;
        let deadline = text_to_date(row.try_get(11)?)?;
        let lead_body = body_id_from_text(row.try_get(8)?, "assignment lead")?;
        let lead_name: Option<String> = row.try_get(9)?;
        let extension_until = text_to_date(row.try_get(16)?)?;
        let extension_reason: Option<String> = row.try_get(17)?;
        let flags: String = row.try_get(19)?;
        let kind: String = row.try_get(6)?;
        AssignmentRecord {
            id,
            decision_id: row.try_get(1)?,
            decision_title: row.try_get(2)?,
            session_number: row.try_get(3)?,
            published: row.try_get(4)?,
            item: row.try_get(5)?,
            kind: kind_from_text(&kind)?,
            task: row.try_get(7)?,
            lead: match (lead_body, lead_name) {
                (None, None) => None,
                (body_id, name) => Some(Executor {
                    body_id,
                    name: name.unwrap_or_default(),
                }),
            },
            co_executors: Vec::new(),
            controller_body_id: body_id_from_text(row.try_get(10)?, "assignment controller")?,
            deadline,
            deadline_text: row.try_get(12)?,
            recurrence: recurrence_from_text(row.try_get(13)?)?,
            state,
            progress: row.try_get(15)?,
            extension: extension_until.map(|until| PendingExtension {
                until,
                reason: extension_reason.unwrap_or_default(),
            }),
            previous_id: row.try_get(18)?,
            flags: flags
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect(),
            updated_at: row.try_get(20)?,
            overdue: workflow::is_overdue(state, deadline, $today),
        }
    }};
}

impl Store {
    /// Assignments matching `filter`, by decision and position.
    pub async fn assignments(
        &self,
        filter: &AssignmentFilter,
        today: Date,
    ) -> Result<Vec<AssignmentRecord>, StorageError> {
        let mut params = Vec::new();
        let condition = filter_sql(filter, today, &mut params);
        let limit = filter
            .limit
            .map(|n| format!(" LIMIT {}", n.max(0)))
            .unwrap_or_default();
        let sql = format!(
            "SELECT {ASSIGNMENT_COLUMNS} {ASSIGNMENT_FROM} {condition} ORDER BY s.number DESC, a.decision_id DESC, a.position, a.id{limit}"
        );
        let mut records = on_pool!(self, pool => {
            let rows = bind_params!(sqlx::query(&sql), &params).fetch_all(pool).await?;
            let mut records = Vec::with_capacity(rows.len());
            for row in &rows {
                records.push(assignment_from_row!(row, today));
            }
            records
        });
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

    /// One assignment, or `None`.
    pub async fn assignment(
        &self,
        id: i64,
        today: Date,
    ) -> Result<Option<AssignmentRecord>, StorageError> {
        let sql = format!("SELECT {ASSIGNMENT_COLUMNS} {ASSIGNMENT_FROM} WHERE a.id = $1");
        let record = on_pool!(self, pool => {
            match sqlx::query(&sql).bind(id).fetch_optional(pool).await? {
                Some(row) => Some(assignment_from_row!(&row, today)),
                None => None,
            }
        });
        let Some(mut record) = record else {
            return Ok(None);
        };
        let co: Vec<(Option<String>, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT body_id, name FROM assignment_co_executors WHERE assignment_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(pool)
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

    /// The timeline of an assignment, oldest first, with the files of each event.
    pub async fn assignment_events(&self, id: i64) -> Result<Vec<AssignmentEvent>, StorageError> {
        type EventRow = (
            i64,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            i64,
        );
        let rows: Vec<EventRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, at, actor, kind, text, state_after, deadline_after, progress_after \
             FROM assignment_events WHERE assignment_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        let files: Vec<(i64, i64, String, String, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT ef.event_id, f.id, f.name, f.content_type, f.size FROM event_files ef \
             JOIN files f ON f.id = ef.file_id JOIN assignment_events e ON e.id = ef.event_id \
             WHERE e.assignment_id = $1 ORDER BY f.id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?);
        let mut by_event: BTreeMap<i64, Vec<FileInfo>> = BTreeMap::new();
        for (event_id, id, name, content_type, size) in files {
            by_event.entry(event_id).or_default().push(FileInfo {
                id,
                name,
                content_type,
                size,
            });
        }
        rows.into_iter()
            .map(
                |(id, at, actor, kind, text, state_after, deadline_after, progress_after)| {
                    let corrupt = |e: workflow::UnknownState| {
                        StorageError::Corrupt(format!("assignment event {id}: {e}"))
                    };
                    Ok(AssignmentEvent {
                        id,
                        at,
                        actor,
                        kind: kind.parse().map_err(corrupt)?,
                        text,
                        state_after: state_after.parse().map_err(corrupt)?,
                        deadline_after: text_to_date(deadline_after)?,
                        progress_after,
                        files: by_event.remove(&id).unwrap_or_default(),
                    })
                },
            )
            .collect()
    }

    /// Whether a file is attached to an event of this assignment.
    pub async fn file_belongs_to_assignment(
        &self,
        file_id: i64,
    ) -> Result<Option<i64>, StorageError> {
        let assignment: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT e.assignment_id FROM event_files ef JOIN assignment_events e ON e.id = ef.event_id WHERE ef.file_id = $1",
        )
        .bind(file_id)
        .fetch_optional(pool)
        .await?);
        Ok(assignment)
    }

    /// Takes `action` on assignment `id` as `person`: checks the workflow, then saves the new
    /// state, the event with its files, the next occurrence of a recurring assignment, the
    /// notifications and the audit record in one transaction. A refusal changes nothing.
    pub async fn act_on_assignment(
        &self,
        id: i64,
        person: &Person,
        action: &Action,
        files: &[NewFile],
        today: Date,
    ) -> Result<ActionDone, StorageError> {
        let actor = person.email.as_str();
        let mut tx = self.begin_write().await?;
        // Read while holding the writer lock: no other change can land between check and write.
        let current = self
            .assignment(id, today)
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("assignment {id}")))?;
        let before = current.status();
        let outcome = workflow::apply(&before, action, current.capacities_of(person))?;
        let after = &outcome.status;
        on_tx!(tx, conn => sqlx::query(
            "UPDATE assignments SET state = $1, deadline = $2, progress = $3, extension_until = $4, extension_reason = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(after.state.as_str())
        .bind(date_to_text(after.deadline))
        .bind(i64::from(after.progress))
        .bind(after.extension.as_ref().map(|e| e.until.to_string()))
        .bind(after.extension.as_ref().map(|e| e.reason.clone()))
        .bind(now_utc())
        .bind(id)
        .execute(conn)
        .await.map(|r| r.rows_affected()))?;
        let event_id = insert_event(
            &mut tx,
            id,
            Some(person),
            outcome.event,
            action.text().trim(),
            after,
        )
        .await?;
        for file in files {
            let file_id = insert_file(&mut tx, actor, file).await?;
            on_tx!(tx, conn => sqlx::query("INSERT INTO event_files (event_id, file_id) VALUES ($1, $2)")
                .bind(event_id)
                .bind(file_id)
                .execute(conn)
                .await.map(|r| r.rows_affected()))?;
        }
        notify(
            &mut tx,
            id,
            &Parties::of(&current),
            outcome.event,
            action.text(),
            Some(person.id),
        )
        .await?;
        tx.audit(&audit_entry(
            actor,
            outcome.event.as_str(),
            "assignment",
            &id.to_string(),
            Some(&StatusAudit::of(&before)),
            Some(&StatusAudit::of(after)),
        ))
        .await?;
        let next_occurrence = match outcome.next_occurrence {
            Some(deadline) => {
                let next = NewAssignment {
                    item: current.item.clone(),
                    kind: current.kind,
                    task: current.task.clone(),
                    lead: current.lead.clone(),
                    co_executors: current.co_executors.clone(),
                    deadline: Some(deadline),
                    deadline_text: current.deadline_text.clone(),
                    recurrence: current.recurrence,
                    flags: vec![],
                };
                let position: i64 = on_tx!(tx, conn => sqlx::query_scalar(
                    "SELECT COALESCE(MAX(position), 0) + 1 FROM assignments WHERE decision_id = $1",
                )
                .bind(current.decision_id)
                .fetch_one(conn)
                .await?);
                Some(
                    insert_assignment(
                        &mut tx,
                        actor,
                        current.decision_id,
                        position,
                        &next,
                        current.controller_body_id.as_ref().map(BodyId::as_str),
                        Some(id),
                    )
                    .await?,
                )
            }
            None => None,
        };
        tx.commit().await?;
        Ok(ActionDone {
            event_id,
            state: after.state,
            next_occurrence,
        })
    }

    /// The Secretariat corrects an open assignment: task, executors, deadline, recurrence. The
    /// import's doubts that the correction settles are cleared (a lead named, every executor
    /// from the directory, a deadline set). One transaction with its event, notifications and
    /// audit record.
    pub async fn edit_assignment(
        &self,
        id: i64,
        person: &Person,
        edit: &AssignmentEdit,
        today: Date,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let current = self
            .assignment(id, today)
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("assignment {id}")))?;
        workflow::may_edit(current.state, current.capacities_of(person))?;
        if edit.task.trim().is_empty() {
            return Err(workflow::WorkflowError::Required { field: "the task" }.into());
        }
        let all_known = edit.lead.as_ref().is_some_and(|l| l.body_id.is_some())
            && edit.co_executors.iter().all(|c| c.body_id.is_some());
        let flags: Vec<String> = current
            .flags
            .iter()
            .filter(|flag| match flag.as_str() {
                "no_executor" => edit.lead.is_none(),
                "executor_not_in_directory" => !all_known,
                "deadline_unreadable" => edit.deadline.is_none(),
                _ => true,
            })
            .cloned()
            .collect();
        on_tx!(tx, conn => sqlx::query(
            "UPDATE assignments SET task = $1, lead_body_id = $2, lead_name = $3, deadline = $4, deadline_text = $5, \
             recurrence = $6, flags = $7, updated_at = $8 WHERE id = $9",
        )
        .bind(edit.task.trim())
        .bind(edit.lead.as_ref().and_then(|l| l.body_id.as_ref()).map(BodyId::as_str))
        .bind(edit.lead.as_ref().map(|l| l.name.as_str()))
        .bind(date_to_text(edit.deadline))
        .bind(edit.deadline_text.as_deref())
        .bind(edit.recurrence.map(Recurrence::as_str))
        .bind(flags.join(","))
        .bind(now_utc())
        .bind(id)
        .execute(conn)
        .await.map(|r| r.rows_affected()))?;
        on_tx!(tx, conn => sqlx::query("DELETE FROM assignment_co_executors WHERE assignment_id = $1")
            .bind(id)
            .execute(conn)
            .await.map(|r| r.rows_affected()))?;
        for (index, co) in edit.co_executors.iter().enumerate() {
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
        let mut status = current.status();
        status.deadline = edit.deadline;
        insert_event(&mut tx, id, Some(person), EventKind::Edited, "", &status).await?;
        notify(
            &mut tx,
            id,
            &Parties::new(
                edit.lead.as_ref(),
                &edit.co_executors,
                current.controller_body_id.as_ref(),
            ),
            EventKind::Edited,
            &edit.task,
            Some(person.id),
        )
        .await?;
        let before = EditAudit {
            task: &current.task,
            lead: current.lead.as_ref(),
            co_executors: &current.co_executors,
            deadline: date_to_text(current.deadline),
            deadline_text: current.deadline_text.as_deref(),
            recurrence: current.recurrence.map(Recurrence::as_str),
            flags: &current.flags,
        };
        let after = EditAudit {
            task: edit.task.trim(),
            lead: edit.lead.as_ref(),
            co_executors: &edit.co_executors,
            deadline: date_to_text(edit.deadline),
            deadline_text: edit.deadline_text.as_deref(),
            recurrence: edit.recurrence.map(Recurrence::as_str),
            flags: &flags,
        };
        tx.audit(&audit_entry(
            person.email.as_str(),
            "edit",
            "assignment",
            &id.to_string(),
            Some(&before),
            Some(&after),
        ))
        .await?;
        tx.commit().await
    }

    /// The Board's dashboard on `today`, with "due soon" meaning within `due_soon_days`.
    pub async fn dashboard(
        &self,
        today: Date,
        due_soon_days: i64,
    ) -> Result<Dashboard, StorageError> {
        let soon = (today + time::Duration::days(due_soon_days)).to_string();
        let today_text = today.to_string();
        let counts = "COUNT(*), \
             SUM(CASE WHEN a.state NOT IN ('accepted', 'cancelled') THEN 1 ELSE 0 END), \
             SUM(CASE WHEN a.state NOT IN ('accepted', 'cancelled') AND a.deadline < $1 THEN 1 ELSE 0 END), \
             SUM(CASE WHEN a.state NOT IN ('accepted', 'cancelled') AND a.deadline >= $1 AND a.deadline <= $2 THEN 1 ELSE 0 END), \
             SUM(CASE WHEN a.state = 'accepted' THEN 1 ELSE 0 END)";
        let by_state: Vec<(String, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT state, COUNT(*) FROM assignments GROUP BY state",
        )
        .fetch_all(pool)
        .await?);
        type LoadRow = (i64, Option<i64>, Option<i64>, Option<i64>, Option<i64>);
        let load = |(total, open, overdue, due_soon, accepted): LoadRow| Load {
            total,
            open: open.unwrap_or(0),
            overdue: overdue.unwrap_or(0),
            due_soon: due_soon.unwrap_or(0),
            accepted: accepted.unwrap_or(0),
        };
        let total_sql = format!("SELECT {counts} FROM assignments a");
        let total: LoadRow = on_pool!(self, pool => sqlx::query_as(&total_sql)
            .bind(&today_text)
            .bind(&soon)
            .fetch_one(pool)
            .await?);
        let body_sql = format!(
            "SELECT a.lead_body_id, COALESCE(a.lead_name, ''), {counts} FROM assignments a \
             GROUP BY a.lead_body_id, a.lead_name"
        );
        type BodyRow = (
            Option<String>,
            String,
            i64,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
        );
        let body_rows: Vec<BodyRow> = on_pool!(self, pool => sqlx::query_as(&body_sql)
            .bind(&today_text)
            .bind(&soon)
            .fetch_all(pool)
            .await?);
        // A body named in Russian and in English decisions is one row.
        let mut bodies: BTreeMap<(Option<String>, String), BodyLoad> = BTreeMap::new();
        for (body_id, name, t, o, od, ds, ac) in body_rows {
            let key = match &body_id {
                Some(id) => (Some(id.clone()), String::new()),
                None => (None, name.clone()),
            };
            let row_load = load((t, o, od, ds, ac));
            let entry = bodies.entry(key).or_insert_with(|| BodyLoad {
                body_id: None,
                name: name.clone(),
                load: Load::default(),
            });
            entry.body_id = body_id_from_text(body_id, "dashboard")?;
            entry.load.total += row_load.total;
            entry.load.open += row_load.open;
            entry.load.overdue += row_load.overdue;
            entry.load.due_soon += row_load.due_soon;
            entry.load.accepted += row_load.accepted;
        }
        let mut by_body: Vec<BodyLoad> = bodies.into_values().collect();
        by_body.sort_by(|a, b| {
            (b.load.overdue, b.load.open, &a.name).cmp(&(a.load.overdue, a.load.open, &b.name))
        });
        let decision_sql = format!(
            "SELECT d.id, d.title, s.number, {counts} FROM assignments a JOIN decisions d ON d.id = a.decision_id \
             JOIN assembly_sessions s ON s.id = d.session_id GROUP BY d.id, d.title, s.number ORDER BY s.number DESC, d.id DESC"
        );
        type DecisionRow = (
            i64,
            String,
            i64,
            i64,
            Option<i64>,
            Option<i64>,
            Option<i64>,
            Option<i64>,
        );
        let decision_rows: Vec<DecisionRow> = on_pool!(self, pool => sqlx::query_as(&decision_sql)
            .bind(&today_text)
            .bind(&soon)
            .fetch_all(pool)
            .await?);
        let mut states = BTreeMap::new();
        for (state, count) in by_state {
            let state = state
                .parse::<State>()
                .map_err(|e| StorageError::Corrupt(e.to_string()))?;
            states.insert(state.as_str(), (state, count));
        }
        Ok(Dashboard {
            today,
            due_soon_days,
            by_state: State::ALL
                .into_iter()
                .map(|s| (s, states.get(s.as_str()).map_or(0, |(_, n)| *n)))
                .collect(),
            total: load(total),
            by_body,
            by_decision: decision_rows
                .into_iter()
                .map(
                    |(decision_id, title, session_number, t, o, od, ds, ac)| DecisionLoad {
                        decision_id,
                        title,
                        session_number,
                        load: load((t, o, od, ds, ac)),
                    },
                )
                .collect(),
        })
    }
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

/// The bodies an assignment involves.
pub(crate) struct Parties<'a> {
    pub lead: Option<&'a BodyId>,
    pub co_executors: Vec<&'a BodyId>,
    pub controller: Option<&'a BodyId>,
}

impl<'a> Parties<'a> {
    pub(crate) fn of(assignment: &'a AssignmentRecord) -> Parties<'a> {
        Parties::new(
            assignment.lead.as_ref(),
            &assignment.co_executors,
            assignment.controller_body_id.as_ref(),
        )
    }

    pub(crate) fn new(
        lead: Option<&'a Executor>,
        co_executors: &'a [Executor],
        controller: Option<&'a BodyId>,
    ) -> Parties<'a> {
        Parties {
            lead: lead.and_then(|l| l.body_id.as_ref()),
            co_executors: co_executors
                .iter()
                .filter_map(|c| c.body_id.as_ref())
                .collect(),
            controller,
        }
    }

    /// The bodies whose members hear of an event.
    fn audience(&self, kind: EventKind) -> Vec<&'a BodyId> {
        let lead = self.lead.into_iter();
        let co = self.co_executors.iter().copied();
        let controller = self.controller.into_iter();
        match kind {
            EventKind::Created | EventKind::Cancelled | EventKind::Edited => {
                lead.chain(co).collect()
            }
            EventKind::Reported | EventKind::ExtensionRequested => controller.collect(),
            EventKind::Overdue => lead.chain(controller).collect(),
            EventKind::Started => vec![],
            EventKind::Input
            | EventKind::Accepted
            | EventKind::Returned
            | EventKind::ExtensionGranted
            | EventKind::ExtensionRefused
            | EventKind::Reminder => lead.collect(),
        }
    }
}

/// Puts a notification in the inbox of every active member of the bodies concerned (but not
/// the person who acted) and queues its e-mail in the outbox.
pub(crate) async fn notify(
    tx: &mut WriteTx,
    assignment_id: i64,
    parties: &Parties<'_>,
    kind: EventKind,
    text: &str,
    except: Option<i64>,
) -> Result<usize, StorageError> {
    let mut recipients: BTreeMap<i64, String> = BTreeMap::new();
    for body in parties.audience(kind) {
        let members: Vec<(i64, String)> = on_tx!(tx, conn => sqlx::query_as(
            "SELECT p.id, p.email FROM people p JOIN memberships m ON m.person_id = p.id WHERE m.body_id = $1 AND p.active = $2",
        )
        .bind(body.as_str())
        .bind(true)
        .fetch_all(conn)
        .await?);
        recipients.extend(members);
    }
    if let Some(person) = except {
        recipients.remove(&person);
    }
    let now = now_utc();
    let excerpt: String = text.trim().chars().take(500).collect();
    for (person_id, email) in &recipients {
        let notification: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO notifications (person_id, at, kind, assignment_id, text) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(person_id)
        .bind(&now)
        .bind(kind.as_str())
        .bind(assignment_id)
        .bind(&excerpt)
        .fetch_one(conn)
        .await?);
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO mail_outbox (notification_id, to_address, created_at, attempts, next_attempt_at) VALUES ($1, $2, $3, 0, $3)",
        )
        .bind(notification)
        .bind(email)
        .bind(&now)
        .execute(conn)
        .await.map(|r| r.rows_affected()))?;
    }
    Ok(recipients.len())
}

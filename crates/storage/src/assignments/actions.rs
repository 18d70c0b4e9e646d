//! The workflow's actions and the Secretariat's corrections, each one transaction: read under
//! the writer's lock, let the domain decide, write the state, the event, the notices and the
//! audit record.
use super::{
    doubts_to_text, insert_assignment, insert_event, load, member_groups, notify_parties,
    write_co_executors, Assignments,
};
use crate::audit::audit_entry;
use crate::db::Reader;
use crate::db::{now_utc, on_tx};
use crate::files::insert_file;
use crate::{date_to_text, StorageError};
use megapolis_assignments::workflow::{self, Action, AssignmentState, EventKind, Status};
use megapolis_assignments::{Doubt, Executor, NewAssignment, Parties, Recurrence};
use megapolis_domain::file::NewFile;
use megapolis_domain::{BodyId, Person};
use serde::Serialize;
use time::Date;

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
    doubts: &'a [Doubt],
}

/// The result of an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionDone {
    pub event_id: i64,
    pub state: AssignmentState,
    /// The next occurrence a recurring assignment opened.
    pub next_occurrence: Option<i64>,
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

impl Assignments<'_> {
    /// Takes `action` on assignment `id` as `person`: checks the workflow, then saves the new
    /// state, the event with its files, the next occurrence of a recurring assignment, the
    /// notifications and the audit record in one transaction. A refusal changes nothing.
    pub async fn act(
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
        let current = load(&mut Reader::Tx(&mut tx), id, today)
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("assignment {id}")))?;
        let before = current.status();
        let groups = member_groups(&mut tx).await?;
        let outcome = workflow::apply(&before, action, current.capacities_of(person, &groups))?;
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
        notify_parties(
            &mut tx,
            id,
            &current.task,
            &current.parties(),
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
                let next = current.as_new().next_occurrence(deadline);
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
    pub async fn edit(
        &self,
        id: i64,
        person: &Person,
        edit: &AssignmentEdit,
        today: Date,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let current = load(&mut Reader::Tx(&mut tx), id, today)
            .await?
            .ok_or_else(|| StorageError::NotFound(format!("assignment {id}")))?;
        let groups = member_groups(&mut tx).await?;
        workflow::may_edit(current.state, current.capacities_of(person, &groups))?;
        if edit.task.trim().is_empty() {
            return Err(workflow::WorkflowError::Required { field: "the task" }.into());
        }
        let corrected = NewAssignment {
            task: edit.task.trim().to_string(),
            lead: edit.lead.clone(),
            co_executors: edit.co_executors.clone(),
            deadline: edit.deadline,
            deadline_text: edit.deadline_text.clone(),
            recurrence: edit.recurrence,
            ..current.as_new()
        }
        .settling(&current.doubts);
        let doubts = &corrected.doubts;
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
        .bind(doubts_to_text(doubts))
        .bind(now_utc())
        .bind(id)
        .execute(conn)
        .await.map(|r| r.rows_affected()))?;
        write_co_executors(&mut tx, id, &edit.co_executors).await?;
        let mut status = current.status();
        status.deadline = edit.deadline;
        insert_event(&mut tx, id, Some(person), EventKind::Edited, "", &status).await?;
        notify_parties(
            &mut tx,
            id,
            edit.task.trim(),
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
            doubts: &current.doubts,
        };
        let after = EditAudit {
            task: edit.task.trim(),
            lead: edit.lead.as_ref(),
            co_executors: &edit.co_executors,
            deadline: date_to_text(edit.deadline),
            deadline_text: edit.deadline_text.as_deref(),
            recurrence: edit.recurrence.map(Recurrence::as_str),
            doubts,
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
}

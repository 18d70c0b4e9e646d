//! Reminders of assignments: once per assignment and deadline, a "due soon" and an "overdue"
//! notice in the timeline and the inboxes, however often the scheduler runs (`crate::reminders`).
use super::{insert_event, load, notify_parties, AssignmentRecord, Assignments};
use crate::audit::audit_entry;
use crate::db::{on_pool, Reader, Store, WriteTx};
use crate::reminders::{queue, Reminded, Reminder, RemindersQueued};
use crate::StorageError;
use megapolis_assignments::EventKind;
use time::Date;

/// Open assignments (neither accepted nor cancelled) with a deadline.
struct AssignmentDeadlines;

impl Reminded for AssignmentDeadlines {
    const SUBJECT: &'static str = "assignment";
    type Record = AssignmentRecord;

    async fn candidates(
        store: &Store,
        from: &str,
        until: &str,
    ) -> Result<Vec<(String, String)>, StorageError> {
        let due: Vec<(i64, String)> = on_pool!(store, pool => sqlx::query_as(
            "SELECT a.id, a.deadline FROM assignments a WHERE a.state NOT IN ('accepted', 'cancelled') \
             AND a.deadline >= $1 AND a.deadline < $2 ORDER BY a.id",
        )
        .bind(from)
        .bind(until)
        .fetch_all(pool)
        .await?);
        Ok(due
            .into_iter()
            .map(|(id, deadline)| (id.to_string(), deadline))
            .collect())
    }

    async fn load(
        tx: &mut WriteTx,
        id: &str,
        today: Date,
    ) -> Result<Option<(AssignmentRecord, String)>, StorageError> {
        let Ok(id) = id.parse::<i64>() else {
            return Ok(None);
        };
        let Some(assignment) = load(&mut Reader::Tx(tx), id, today).await? else {
            return Ok(None);
        };
        Ok(assignment
            .deadline
            .map(|deadline| deadline.to_string())
            .map(|deadline| (assignment, deadline)))
    }

    async fn remind(
        tx: &mut WriteTx,
        assignment: &AssignmentRecord,
        kind: Reminder,
        deadline: &str,
    ) -> Result<(), StorageError> {
        let kind = match kind {
            Reminder::DueSoon => EventKind::Reminder,
            Reminder::Overdue => EventKind::Overdue,
        };
        let id = assignment.id;
        insert_event(tx, id, None, kind, "", &assignment.status()).await?;
        notify_parties(
            tx,
            id,
            &assignment.task,
            &assignment.parties(),
            kind,
            "",
            None,
        )
        .await?;
        tx.audit(&audit_entry(
            megapolis_domain::audit::actors::SCHEDULER,
            kind.as_str(),
            "assignment",
            &id.to_string(),
            None,
            Some(&serde_json::json!({"deadline": deadline})),
        ))
        .await?;
        Ok(())
    }
}

impl Assignments<'_> {
    /// Queues one reminder per open assignment due within `days` of `today`, and one per open
    /// assignment past its deadline: each appears in the timeline, the inboxes, the outbox and
    /// the audit log, once per deadline however often this runs.
    pub async fn queue_reminders(
        &self,
        today: Date,
        days: i64,
    ) -> Result<RemindersQueued, StorageError> {
        queue::<AssignmentDeadlines>(self, today, days).await
    }
}

//! Reminders: once per assignment and deadline, a "due soon" and an "overdue" notice, however
//! often the scheduler runs.
use super::{insert_event, load, notify_parties, Assignments};
use crate::audit::audit_entry;
use crate::db::Reader;
use crate::db::{now_utc, on_pool, on_tx};
use crate::StorageError;
use megapolis_assignments::EventKind;
use time::Date;

/// How many reminders one scheduler pass queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RemindersQueued {
    pub due_soon: usize,
    pub overdue: usize,
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
        // Each kind looks at deadlines in [from, until): the coming days, or any time before today.
        let windows = [
            (
                EventKind::Reminder,
                today.to_string(),
                (today + time::Duration::days(days + 1)).to_string(),
            ),
            (
                EventKind::Overdue,
                String::from("0000-01-01"),
                today.to_string(),
            ),
        ];
        let mut queued = RemindersQueued::default();
        for (kind, from, until) in windows {
            let due: Vec<i64> = on_pool!(self, pool => sqlx::query_scalar(
                "SELECT a.id FROM assignments a WHERE a.state NOT IN ('accepted', 'cancelled') \
                 AND a.deadline >= $1 AND a.deadline < $2 \
                 AND NOT EXISTS (SELECT 1 FROM reminders_sent r WHERE r.assignment_id = a.id AND r.kind = $3 AND r.deadline = a.deadline) \
                 ORDER BY a.id",
            )
            .bind(&from)
            .bind(&until)
            .bind(kind.as_str())
            .fetch_all(pool)
            .await?);
            for id in due {
                let mut tx = self.begin_write().await?;
                let Some(assignment) = load(&mut Reader::Tx(&mut tx), id, today).await? else {
                    continue;
                };
                let Some(deadline) = assignment.deadline else {
                    continue;
                };
                let inserted = on_tx!(tx, conn => sqlx::query(
                    "INSERT INTO reminders_sent (assignment_id, kind, deadline, sent_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(kind.as_str())
                .bind(deadline.to_string())
                .bind(now_utc())
                .execute(conn)
                .await.map(|r| r.rows_affected()))?;
                if inserted == 0 {
                    continue;
                }
                insert_event(&mut tx, id, None, kind, "", &assignment.status()).await?;
                notify_parties(
                    &mut tx,
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
                    Some(&serde_json::json!({"deadline": deadline.to_string()})),
                ))
                .await?;
                tx.commit().await?;
                match kind {
                    EventKind::Overdue => queued.overdue += 1,
                    _ => queued.due_soon += 1,
                }
            }
        }
        Ok(queued)
    }
}

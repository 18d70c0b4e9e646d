//! The in-app inbox, the e-mail outbox and the reminders the scheduler queues.
//!
//! Every notification is written to the inbox and, in the same transaction, to the outbox; the
//! mailer takes messages from the outbox and marks them sent only after the mail server accepted
//! them, so nothing is lost while it is down.
use crate::db::{now_utc, on_pool, on_tx, utc_after, WriteTx};
use crate::StorageError;
use megapolis_assignments::EventKind;
use megapolis_assignments::Parties;
use serde::Serialize;
use std::collections::BTreeMap;

/// A notification in a person's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub id: i64,
    pub at: String,
    pub kind: String,
    pub assignment_id: Option<i64>,
    /// The assignment's task, for the line in the inbox.
    pub task: Option<String>,
    /// The comment or report that came with the event.
    pub text: String,
    pub read: bool,
}

/// A message waiting in the outbox, with what the mail needs to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub id: i64,
    pub to_address: String,
    pub attempts: i64,
    pub notification: Notification,
}

/// The state of the outbox, for the administrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct OutboxSummary {
    pub waiting: i64,
    pub sent: i64,
    pub failing: i64,
}

type NotificationRow = (
    i64,
    String,
    String,
    Option<i64>,
    Option<String>,
    String,
    Option<String>,
);

fn notification_from_row(row: NotificationRow) -> Notification {
    let (id, at, kind, assignment_id, task, text, read_at) = row;
    Notification {
        id,
        at,
        kind,
        assignment_id,
        task,
        text,
        read: read_at.is_some(),
    }
}

const NOTIFICATION_COLUMNS: &str = "n.id, n.at, n.kind, n.assignment_id, a.task, n.text, n.read_at";

crate::facet!(
    /// Notices to people: the inbox and the e-mail outbox.
    Notices,
    notices
);

impl Notices<'_> {
    /// A person's inbox, newest first.
    pub async fn inbox(
        &self,
        person_id: i64,
        limit: i64,
    ) -> Result<Vec<Notification>, StorageError> {
        let sql = format!(
            "SELECT {NOTIFICATION_COLUMNS} FROM notifications n LEFT JOIN assignments a ON a.id = n.assignment_id \
             WHERE n.person_id = $1 ORDER BY n.id DESC LIMIT $2"
        );
        let rows: Vec<NotificationRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(person_id)
            .bind(limit)
            .fetch_all(pool)
            .await?);
        Ok(rows.into_iter().map(notification_from_row).collect())
    }

    pub async fn unread(&self, person_id: i64) -> Result<i64, StorageError> {
        let count: i64 = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE person_id = $1 AND read_at IS NULL",
        )
        .bind(person_id)
        .fetch_one(pool)
        .await?);
        Ok(count)
    }

    /// Marks a person's notifications read: one, or all when `id` is `None`.
    pub async fn mark_read(&self, person_id: i64, id: Option<i64>) -> Result<u64, StorageError> {
        let mut tx = self.begin_write().await?;
        let changed = on_tx!(tx, conn => sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE person_id = $2 AND read_at IS NULL AND ($3 IS NULL OR id = $3)",
        )
        .bind(now_utc())
        .bind(person_id)
        .bind(id)
        .execute(conn)
        .await.map(|r| r.rows_affected()))?;
        tx.commit().await?;
        Ok(changed)
    }

    /// Messages the mailer should try now, oldest first.
    pub async fn mail_due(&self, limit: i64) -> Result<Vec<OutgoingMail>, StorageError> {
        type Row = (
            i64,
            String,
            i64,
            i64,
            String,
            String,
            Option<i64>,
            Option<String>,
            String,
            Option<String>,
        );
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT o.id, o.to_address, o.attempts, n.id, n.at, n.kind, n.assignment_id, a.task, n.text, n.read_at \
             FROM mail_outbox o JOIN notifications n ON n.id = o.notification_id \
             LEFT JOIN assignments a ON a.id = n.assignment_id \
             WHERE o.sent_at IS NULL AND o.next_attempt_at <= $1 ORDER BY o.id LIMIT $2",
        )
        .bind(now_utc())
        .bind(limit)
        .fetch_all(pool)
        .await?);
        Ok(rows
            .into_iter()
            .map(
                |(id, to_address, attempts, nid, at, kind, assignment_id, task, text, read_at)| {
                    OutgoingMail {
                        id,
                        to_address,
                        attempts,
                        notification: notification_from_row((
                            nid,
                            at,
                            kind,
                            assignment_id,
                            task,
                            text,
                            read_at,
                        )),
                    }
                },
            )
            .collect())
    }

    /// Records that the mail server accepted a message.
    pub async fn mail_sent(&self, id: i64) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        on_tx!(tx, conn => sqlx::query("UPDATE mail_outbox SET sent_at = $1, attempts = attempts + 1, last_error = NULL WHERE id = $2")
            .bind(now_utc())
            .bind(id)
            .execute(conn)
            .await.map(|r| r.rows_affected()))?;
        tx.commit().await
    }

    /// Records a failed delivery attempt of outbox message `id`, to be tried again after
    /// `delay` (the mailer's back-off). The message stays unsent until the mail server takes it.
    pub async fn mail_failed(
        &self,
        id: i64,
        error: &str,
        delay: time::Duration,
    ) -> Result<(), StorageError> {
        let next = utc_after(delay);
        let mut tx = self.begin_write().await?;
        on_tx!(tx, conn => sqlx::query(
            "UPDATE mail_outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2 WHERE id = $3",
        )
        .bind(error)
        .bind(next)
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        tx.commit().await
    }

    pub async fn outbox_summary(&self) -> Result<OutboxSummary, StorageError> {
        let (waiting, sent, failing): (i64, i64, i64) = on_pool!(self, pool => sqlx::query_as(
            "SELECT \
             COALESCE(SUM(CASE WHEN sent_at IS NULL THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN sent_at IS NULL AND last_error IS NOT NULL THEN 1 ELSE 0 END), 0) \
             FROM mail_outbox",
        )
        .fetch_one(pool)
        .await?);
        Ok(OutboxSummary {
            waiting,
            sent,
            failing,
        })
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

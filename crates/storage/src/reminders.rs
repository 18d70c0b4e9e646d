//! Reminders before a deadline, for every subject that has one: an assignment, an invited city of
//! a monitoring campaign. A "due soon" reminder when the deadline comes within the scheduler's
//! days, an "overdue" one once it has passed, each once per subject and deadline however often
//! the scheduler runs: the `reminders_sent` ledger records what went out, in the same
//! transaction as the notices.
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, on_tx, Store, WriteTx};
use crate::StorageError;
use std::collections::HashSet;
use time::Date;

/// What a backup holds of the ledger.
pub(crate) const TABLES: &[Table] = &[Table {
    name: "reminders_sent",
    identity: false,
    columns: &[
        ("subject_kind", Kind::Text),
        ("subject_id", Kind::Text),
        ("kind", Kind::Text),
        ("deadline", Kind::Text),
        ("sent_at", Kind::Text),
    ],
}];

/// The two reminders of a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// The deadline is within the coming days.
    DueSoon,
    /// The deadline has passed.
    Overdue,
}

impl Reminder {
    /// The notice's kind and the ledger's: `reminder`, `overdue`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reminder::DueSoon => "reminder",
            Reminder::Overdue => "overdue",
        }
    }
}

/// How many reminders one scheduler pass queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RemindersQueued {
    pub due_soon: usize,
    pub overdue: usize,
}

impl RemindersQueued {
    fn count(&mut self, kind: Reminder) {
        match kind {
            Reminder::DueSoon => self.due_soon += 1,
            Reminder::Overdue => self.overdue += 1,
        }
    }
}

impl std::ops::Add for RemindersQueued {
    type Output = RemindersQueued;
    fn add(self, other: RemindersQueued) -> RemindersQueued {
        RemindersQueued {
            due_soon: self.due_soon + other.due_soon,
            overdue: self.overdue + other.overdue,
        }
    }
}

/// A kind of subject reminded of its deadline. Its deadlines are `YYYY-MM-DD` text.
pub(crate) trait Reminded {
    /// The subject's kind in the ledger: `assignment`, `campaign-city`.
    const SUBJECT: &'static str;
    /// What `remind` needs of a subject, read in the write's transaction.
    type Record;
    /// The subjects (id in the ledger, deadline) still open whose deadline falls in
    /// [`from`, `until`).
    async fn candidates(
        store: &Store,
        from: &str,
        until: &str,
    ) -> Result<Vec<(String, String)>, StorageError>;
    /// In the write's transaction: the subject and its deadline, if it still waits for what its
    /// deadline asks.
    async fn load(
        tx: &mut WriteTx,
        id: &str,
        today: Date,
    ) -> Result<Option<(Self::Record, String)>, StorageError>;
    /// Tells the subject's people (notices, a timeline) and writes the audit record.
    async fn remind(
        tx: &mut WriteTx,
        record: &Self::Record,
        kind: Reminder,
        deadline: &str,
    ) -> Result<(), StorageError>;
}

/// Each kind's deadlines in [from, until): the coming `days` days from today, or any day before.
fn windows(today: Date, days: i64) -> [(Reminder, String, String); 2] {
    [
        (
            Reminder::DueSoon,
            today.to_string(),
            (today + time::Duration::days(days + 1)).to_string(),
        ),
        (
            Reminder::Overdue,
            String::from("0000-01-01"),
            today.to_string(),
        ),
    ]
}

/// Queues the reminders of `R`'s subjects due within `days` of `today` or overdue: each in one
/// transaction with its ledger row, once per subject, kind and deadline.
pub(crate) async fn queue<R: Reminded>(
    store: &Store,
    today: Date,
    days: i64,
) -> Result<RemindersQueued, StorageError> {
    let mut queued = RemindersQueued::default();
    for (kind, from, until) in windows(today, days) {
        let sent: Vec<(String, String)> = on_pool!(store, pool => sqlx::query_as(
            "SELECT subject_id, deadline FROM reminders_sent WHERE subject_kind = $1 AND kind = $2",
        )
        .bind(R::SUBJECT)
        .bind(kind.as_str())
        .fetch_all(pool)
        .await?);
        let sent: HashSet<(String, String)> = sent.into_iter().collect();
        for candidate in R::candidates(store, &from, &until).await? {
            if sent.contains(&candidate) {
                continue;
            }
            let mut tx = store.begin_write().await?;
            let Some((record, deadline)) = R::load(&mut tx, &candidate.0, today).await? else {
                continue;
            };
            if !claim(&mut tx, R::SUBJECT, &candidate.0, kind, &deadline).await? {
                continue;
            }
            R::remind(&mut tx, &record, kind, &deadline).await?;
            tx.commit().await?;
            queued.count(kind);
        }
    }
    Ok(queued)
}

/// Records that `kind` goes out for the subject and deadline: false when it went out already
/// (another server's pass), and then nothing more is sent.
async fn claim(
    tx: &mut WriteTx,
    subject_kind: &str,
    subject_id: &str,
    kind: Reminder,
    deadline: &str,
) -> Result<bool, StorageError> {
    let inserted = on_tx!(tx, conn => sqlx::query(
        "INSERT INTO reminders_sent (subject_kind, subject_id, kind, deadline, sent_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(subject_kind)
    .bind(subject_id)
    .bind(kind.as_str())
    .bind(deadline)
    .bind(now_utc())
    .execute(conn)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(inserted > 0)
}

impl Store {
    /// The scheduler's pass: the reminders of assignments and of the cities of open monitoring
    /// campaigns whose answers are not submitted yet.
    pub async fn queue_reminders(
        &self,
        today: Date,
        days: i64,
    ) -> Result<RemindersQueued, StorageError> {
        let assignments = self.assignments().queue_reminders(today, days).await?;
        let campaigns = self.campaigns().queue_reminders(today, days).await?;
        Ok(assignments + campaigns)
    }
}

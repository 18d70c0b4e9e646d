//! Background jobs: work that outlives a request (the reminders, an index build, a book of PDFs,
//! a large import), queued in the `jobs` table and run by workers that hold a lease on it.
//!
//! A worker claims a job for a lease and renews it while the job runs. A worker that dies stops
//! renewing; once its lease has run out, another worker claims the job again. A failed attempt is
//! queued again after a delay the worker chooses, until the job's attempts are spent; then the job
//! stays `failed` with its error.
//!
//! Enqueueing is audited like every change someone asks for. The lease bookkeeping (claims,
//! heartbeats, outcomes) is not: a job's effects carry their own audit records, and a heartbeat
//! every few seconds would flood the chain.
use crate::audit::audit_entry;
use crate::db::{on_pool, on_tx, Db, WriteTx};
use crate::StorageError;
use serde_json::Value;
use sqlx::Row;
use std::str::FromStr;
use std::time::Duration;
use time::OffsetDateTime;

/// How many times a job is tried before it stays failed.
pub const MAX_ATTEMPTS: i64 = 5;

/// The error of a job whose worker stopped during its last attempt.
const LEASE_RAN_OUT: &str = "the worker stopped during the last attempt (its lease ran out)";

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// Waiting for a worker, from `run_after` on.
    Queued,
    /// A worker holds it until `lease_until`.
    Running,
    Done,
    /// Its attempts are spent; `error` says why the last one failed.
    Failed,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }

    /// Done or failed: the job changes no more.
    pub fn is_final(self) -> bool {
        matches!(self, JobState::Done | JobState::Failed)
    }
}

impl FromStr for JobState {
    type Err = String;

    fn from_str(s: &str) -> Result<JobState, String> {
        match s {
            "queued" => Ok(JobState::Queued),
            "running" => Ok(JobState::Running),
            "done" => Ok(JobState::Done),
            "failed" => Ok(JobState::Failed),
            other => Err(format!("unknown job state {other:?}")),
        }
    }
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: i64,
    /// What to do: the name a worker's handler is registered under.
    pub kind: String,
    pub payload: Value,
    pub state: JobState,
    /// How far the current attempt is, in percent.
    pub progress: u8,
    /// Attempts started so far, this one included.
    pub attempts: i64,
    pub max_attempts: i64,
    /// A queued job waits until then.
    pub run_after: String,
    /// A running job is its worker's until then.
    pub lease_until: Option<String>,
    /// The worker that claimed it last.
    pub worker: Option<String>,
    pub result: Option<Value>,
    /// Why the last attempt failed.
    pub error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// Who asked for it (`system:scheduler` for the scheduler).
    pub created_by: String,
}

const JOB_COLUMNS: &str = "id, kind, payload, state, progress, attempts, max_attempts, run_after, \
     lease_until, worker, result, error, created_at, updated_at, created_by";

/// Reads one row selected with `JOB_COLUMNS`, from either database.
macro_rules! job_from_row {
    ($row:expr) => {{
        let row = $row;
        let id: i64 = row.try_get("id")?;
        let state: String = row.try_get("state")?;
        let progress: i64 = row.try_get("progress")?;
        Job {
            id,
            kind: row.try_get("kind")?,
            payload: json(id, row.try_get("payload")?)?,
            state: state.parse().map_err(|e| corrupt(id, e))?,
            progress: u8::try_from(progress).map_err(|e| corrupt(id, e))?,
            attempts: row.try_get("attempts")?,
            max_attempts: row.try_get("max_attempts")?,
            run_after: row.try_get("run_after")?,
            lease_until: row.try_get("lease_until")?,
            worker: row.try_get("worker")?,
            result: row
                .try_get::<Option<String>, _>("result")?
                .map(|text| json(id, text))
                .transpose()?,
            error: row.try_get("error")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
            created_by: row.try_get("created_by")?,
        }
    }};
}

fn corrupt(id: i64, error: impl std::fmt::Display) -> StorageError {
    StorageError::Corrupt(format!("job {id}: {error}"))
}

fn json(id: i64, text: String) -> Result<Value, StorageError> {
    serde_json::from_str(&text).map_err(|e| corrupt(id, e))
}

/// The time `delay` from now, as this table stores it: UTC with six fractional digits always,
/// so that its times compare as text (the shorter form would put `…:05Z` after `…:05.2Z`). A
/// delay beyond the year 9999 stops there.
fn stamp_in(delay: Duration) -> String {
    let now = OffsetDateTime::now_utc();
    let at = time::Duration::try_from(delay)
        .ok()
        .and_then(|d| now.checked_add(d))
        .filter(|at| at.year() <= 9999)
        .unwrap_or(time::macros::datetime!(9999-12-31 23:59:59 UTC));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.microsecond()
    )
}

fn now() -> String {
    stamp_in(Duration::ZERO)
}

/// `Ok` when an update touched the job, which it does only while `worker` holds it.
fn held(changed: u64, id: i64, worker: &str) -> Result<(), StorageError> {
    if changed == 0 {
        return Err(StorageError::LeaseLost {
            id,
            worker: worker.to_string(),
        });
    }
    Ok(())
}

/// Inserts a queued job and its audit record.
async fn insert(
    tx: &mut WriteTx,
    kind: &str,
    payload: &Value,
    actor: &str,
) -> Result<i64, StorageError> {
    let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO jobs (kind, payload, state, progress, attempts, max_attempts, run_after, created_at, updated_at, created_by) \
         VALUES ($1, $2, 'queued', 0, 0, $3, $4, $4, $4, $5) RETURNING id",
    )
    .bind(kind)
    .bind(payload.to_string())
    .bind(MAX_ATTEMPTS)
    .bind(now())
    .bind(actor)
    .fetch_one(conn)
    .await?);
    tx.audit(&audit_entry(
        actor,
        "enqueue",
        "job",
        &id.to_string(),
        None,
        Some(&serde_json::json!({ "kind": kind, "payload": payload })),
    ))
    .await?;
    Ok(id)
}

crate::facet!(
    /// Background jobs: the queue, the workers' leases, the outcomes.
    Jobs,
    jobs
);

impl Jobs<'_> {
    /// Queues a job of `kind` to run as soon as a worker is free.
    pub async fn enqueue(
        &self,
        kind: &str,
        payload: &Value,
        actor: &str,
    ) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        let id = insert(&mut tx, kind, payload, actor).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Queues a job of `kind` unless one is queued or running already: for periodic work whose
    /// timer runs in every server, so that it is done once. `None` when one is pending.
    pub async fn enqueue_unless_pending(
        &self,
        kind: &str,
        payload: &Value,
        actor: &str,
    ) -> Result<Option<i64>, StorageError> {
        // Under the writer's lock: two servers cannot both find none pending.
        let mut tx = self.begin_write().await?;
        let pending: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE kind = $1 AND state IN ('queued', 'running')",
        )
        .bind(kind)
        .fetch_one(conn)
        .await?);
        if pending > 0 {
            return Ok(None);
        }
        let id = insert(&mut tx, kind, payload, actor).await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Gives `worker` the next job of one of `kinds` for `lease`: a queued one that is due, or a
    /// running one whose worker stopped renewing its lease, oldest first. Its attempts go up by
    /// one. A job whose lease ran out with no attempts left fails instead of running again.
    pub async fn claim(
        &self,
        worker: &str,
        kinds: &[&str],
        lease: Duration,
    ) -> Result<Option<Job>, StorageError> {
        if kinds.is_empty() {
            return Ok(None);
        }
        let now = now();
        let placeholders: Vec<String> = (0..kinds.len()).map(|i| format!("${}", i + 2)).collect();
        // PostgreSQL skips the rows other claimers hold rather than wait for them; on SQLite the
        // writer's lock of the transaction lets one claimer in at a time.
        let lock = match self.db {
            Db::Postgres(_) => " FOR UPDATE SKIP LOCKED",
            Db::Sqlite(_) => "",
        };
        let candidate = format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE kind IN ({}) \
             AND ((state = 'queued' AND run_after <= $1) OR (state = 'running' AND lease_until < $1)) \
             ORDER BY run_after, id LIMIT 1{lock}",
            placeholders.join(", ")
        );
        let take = format!(
            "UPDATE jobs SET state = 'running', worker = $2, lease_until = $3, attempts = attempts + 1, \
             updated_at = $4 WHERE id = $1 RETURNING {JOB_COLUMNS}"
        );
        let mut tx = self.begin_unaudited().await?;
        loop {
            let found = on_tx!(tx, conn => {
                let mut query = sqlx::query(&candidate).bind(&now);
                for kind in kinds {
                    query = query.bind(*kind);
                }
                match query.fetch_optional(conn).await? {
                    Some(row) => Some(job_from_row!(row)),
                    None => None,
                }
            });
            let Some(job) = found else {
                tx.commit().await?;
                return Ok(None);
            };
            // Only a running job can have spent its attempts: a failure with none left ends it.
            if job.attempts >= job.max_attempts {
                on_tx!(tx, conn => sqlx::query(
                    "UPDATE jobs SET state = 'failed', error = $2, lease_until = NULL, updated_at = $3 WHERE id = $1",
                )
                .bind(job.id)
                .bind(LEASE_RAN_OUT)
                .bind(&now)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))?;
                continue;
            }
            let claimed = on_tx!(tx, conn => {
                let row = sqlx::query(&take)
                    .bind(job.id)
                    .bind(worker)
                    .bind(stamp_in(lease))
                    .bind(&now)
                    .fetch_one(conn)
                    .await?;
                job_from_row!(row)
            });
            tx.commit().await?;
            return Ok(Some(claimed));
        }
    }

    /// Renews `worker`'s lease on its running job for another `lease`; `LeaseLost` when the job
    /// is no longer its own. A lease that ran out is renewed as long as nobody claimed the job.
    pub async fn heartbeat(
        &self,
        id: i64,
        worker: &str,
        lease: Duration,
    ) -> Result<(), StorageError> {
        self.renew(id, worker, lease, None).await
    }

    /// Records how far `worker`'s running job is (a percentage, at most 100) and renews the lease
    /// like [`Jobs::heartbeat`].
    pub async fn progress(
        &self,
        id: i64,
        worker: &str,
        percent: u8,
        lease: Duration,
    ) -> Result<(), StorageError> {
        self.renew(id, worker, lease, Some(percent.min(100))).await
    }

    async fn renew(
        &self,
        id: i64,
        worker: &str,
        lease: Duration,
        progress: Option<u8>,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_unaudited().await?;
        let changed = on_tx!(tx, conn => sqlx::query(
            "UPDATE jobs SET lease_until = $3, progress = COALESCE($4, progress), updated_at = $5 \
             WHERE id = $1 AND worker = $2 AND state = 'running'",
        )
        .bind(id)
        .bind(worker)
        .bind(stamp_in(lease))
        .bind(progress.map(i64::from))
        .bind(now())
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        held(changed, id, worker)?;
        tx.commit().await
    }

    /// Marks `worker`'s running job done with its result.
    pub async fn finish(&self, id: i64, worker: &str, result: &Value) -> Result<(), StorageError> {
        let mut tx = self.begin_unaudited().await?;
        let changed = on_tx!(tx, conn => sqlx::query(
            "UPDATE jobs SET state = 'done', progress = 100, result = $3, error = NULL, lease_until = NULL, \
             updated_at = $4 WHERE id = $1 AND worker = $2 AND state = 'running'",
        )
        .bind(id)
        .bind(worker)
        .bind(result.to_string())
        .bind(now())
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        held(changed, id, worker)?;
        tx.commit().await
    }

    /// Records that `worker`'s attempt failed with `error`: the job is queued again to run after
    /// `retry_in`, or stays failed when its attempts are spent. Returns the state it is in now.
    pub async fn fail(
        &self,
        id: i64,
        worker: &str,
        error: &str,
        retry_in: Duration,
    ) -> Result<JobState, StorageError> {
        let mut tx = self.begin_unaudited().await?;
        let state: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
            "UPDATE jobs SET state = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END, \
             error = $3, run_after = $4, lease_until = NULL, updated_at = $5 \
             WHERE id = $1 AND worker = $2 AND state = 'running' RETURNING state",
        )
        .bind(id)
        .bind(worker)
        .bind(error)
        .bind(stamp_in(retry_in))
        .bind(now())
        .fetch_optional(conn)
        .await?);
        let Some(state) = state else {
            return Err(StorageError::LeaseLost {
                id,
                worker: worker.to_string(),
            });
        };
        tx.commit().await?;
        state.parse().map_err(|e| corrupt(id, e))
    }

    pub async fn get(&self, id: i64) -> Result<Option<Job>, StorageError> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1");
        Ok(on_pool!(self, pool => {
            match sqlx::query(&sql).bind(id).fetch_optional(pool).await? {
                Some(row) => Some(job_from_row!(row)),
                None => None,
            }
        }))
    }

    /// The newest jobs first.
    pub async fn recent(&self, limit: i64) -> Result<Vec<Job>, StorageError> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs ORDER BY id DESC LIMIT $1");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql).bind(limit).fetch_all(pool).await?;
            rows.iter()
                .map(|row| Ok(job_from_row!(row)))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_read_back_and_only_done_and_failed_are_final() {
        for state in [
            JobState::Queued,
            JobState::Running,
            JobState::Done,
            JobState::Failed,
        ] {
            assert_eq!(state.as_str().parse::<JobState>(), Ok(state));
            assert_eq!(
                state.is_final(),
                matches!(state, JobState::Done | JobState::Failed)
            );
        }
        assert!("finished".parse::<JobState>().is_err());
    }

    #[test]
    fn stored_times_have_one_width_and_sort_as_text() {
        let (soon, later) = (
            stamp_in(Duration::from_millis(1)),
            stamp_in(Duration::from_secs(3600)),
        );
        assert_eq!(soon.len(), "2026-01-01T00:00:00.000000Z".len(), "{soon}");
        assert!(soon < later, "{soon} < {later}");
        assert_eq!(
            stamp_in(Duration::MAX),
            "9999-12-31T23:59:59.000000Z",
            "an absurd delay stops at the end of the year 9999"
        );
    }
}

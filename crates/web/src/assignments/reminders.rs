//! The `reminders` job: queues the reminders of assignments due soon or overdue, and of the
//! invited cities of open monitoring campaigns whose answers are not submitted as the due date
//! nears or passes (once per subject and deadline, in the store). The scheduler asks for one on
//! every tick; a worker of whichever server is free runs it.
use crate::jobs::{wait_for, JobContext, JobKind};
use megapolis_storage::jobs::JobState;
use megapolis_storage::{StorageError, Store};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::Duration;
use time::Date;

pub const KIND: &str = "reminders";

/// Who asks for reminders, in the jobs and the audit log.
const ACTOR: &str = megapolis_domain::audit::actors::SCHEDULER;

/// The payload: remind `days` ahead of `today`.
#[derive(Deserialize)]
struct Request {
    today: Date,
    days: i64,
}

/// The result: how many reminders the job queued.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queued {
    pub due_soon: usize,
    pub overdue: usize,
}

pub fn job() -> JobKind {
    JobKind::new(KIND, run)
}

async fn run(context: JobContext, payload: Value) -> Result<Value, String> {
    let request: Request =
        serde_json::from_value(payload).map_err(|e| format!("not a reminders request: {e}"))?;
    let queued = context
        .store()
        .queue_reminders(request.today, request.days)
        .await
        .map_err(|e| e.to_string())?;
    serde_json::to_value(Queued {
        due_soon: queued.due_soon,
        overdue: queued.overdue,
    })
    .map_err(|e| e.to_string())
}

/// Asks for a reminders job unless one is queued or running already (another server's, say),
/// and waits up to `within` for what it queued. `None` when another one was pending, or this one
/// did not finish in time (it still runs; its reminders go out with a later tick).
pub async fn request(
    store: &Store,
    today: Date,
    days: i64,
    within: Duration,
) -> Result<Option<Queued>, StorageError> {
    let payload = serde_json::json!({ "today": today.to_string(), "days": days });
    let Some(id) = store
        .jobs()
        .enqueue_unless_pending(KIND, &payload, ACTOR)
        .await?
    else {
        return Ok(None);
    };
    Ok(wait_for(store, id, within)
        .await
        .filter(|job| job.state == JobState::Done)
        .and_then(|job| job.result)
        .and_then(|result| serde_json::from_value(result).ok()))
}

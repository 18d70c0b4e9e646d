//! The `monitoring-compute` job: computes an edition (the engine's build and uncertainty
//! analysis, off the async workers) and stores its result, reporting progress as it goes.
use crate::jobs::{JobContext, JobKind};
use megapolis_storage::Store;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const KIND: &str = "monitoring-compute";

#[derive(Serialize, Deserialize)]
pub struct Request {
    pub edition: i64,
    /// Who asked: the result's audit record names them.
    pub actor: String,
}

pub fn job() -> JobKind {
    JobKind::new(KIND, run)
}

/// Queues the computation of an edition; returns the job's id.
pub async fn enqueue(store: &Store, edition: i64, actor: &str) -> Result<i64, String> {
    let request = Request {
        edition,
        actor: actor.to_string(),
    };
    crate::jobs::enqueue(store, KIND, &request, actor).await
}

async fn run(context: JobContext, payload: Value) -> Result<Value, String> {
    let request: Request = serde_json::from_value(payload)
        .map_err(|e| format!("not a monitoring computation: {e}"))?;
    let edition = context
        .store()
        .monitoring()
        .edition(request.edition)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("monitoring edition {} does not exist", request.edition))?;
    let (sender, mut receiver) = tokio::sync::watch::channel(0u8);
    // The computation is CPU-bound: it runs on a blocking thread, and reports its progress
    // through the channel, which this task writes to the job.
    let mut work = tokio::task::spawn_blocking(move || {
        let report = |percent: u8| {
            sender.send_if_modified(|last| {
                let changed = *last != percent;
                *last = percent;
                changed
            });
        };
        megapolis_monitoring::compute(&edition, &report)
    });
    let computed = loop {
        tokio::select! {
            joined = &mut work => break joined,
            changed = receiver.changed() => match changed {
                Ok(()) => {
                    let percent = *receiver.borrow_and_update();
                    context.progress(percent.min(99)).await?;
                }
                Err(_) => break (&mut work).await,
            },
        }
    };
    let computed = computed
        .map_err(|e| format!("the computation stopped: {e}"))?
        .map_err(|e| e.to_string())?;
    context
        .store()
        .monitoring()
        .save_result(&request.actor, request.edition, &computed)
        .await
        .map_err(|e| e.to_string())?;
    Ok(serde_json::json!({
        "edition": request.edition,
        "pin": computed.pin,
        "units": computed.ranking.units.len(),
    }))
}

//! The `training-certificates` job: issues a cohort's certificates (every completed
//! participant without one) in batches of [`BATCH`], each batch one transaction — all of its
//! certificates or none — and reports progress after each. Who already has a certificate is
//! read inside each batch's transaction, so running it again, or twice at once, issues nobody
//! a second certificate.
use crate::jobs::{percent, JobContext, JobKind};
use megapolis_storage::Store;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

pub const KIND: &str = "training-certificates";

/// Certificates signed and written per transaction.
const BATCH: usize = 200;

#[derive(Serialize, Deserialize)]
pub struct Request {
    pub cohort: i64,
    /// Who asked: each certificate's audit record names them.
    pub actor: String,
}

pub fn job() -> JobKind {
    JobKind::new(KIND, run)
}

/// Queues the issuing of a cohort's certificates; returns the job's id.
pub async fn enqueue(store: &Store, cohort: i64, actor: &str) -> Result<i64, String> {
    let request = Request {
        cohort,
        actor: actor.to_string(),
    };
    crate::jobs::enqueue(store, KIND, &request, actor).await
}

async fn run(context: JobContext, payload: Value) -> Result<Value, String> {
    let request: Request = serde_json::from_value(payload)
        .map_err(|e| format!("not a request for certificates: {e}"))?;
    let state = context
        .app()
        .ok_or("certificates are signed by the server's workers only")?
        .clone();
    let total = state
        .store
        .training()
        .pending_certificates(request.cohort)
        .await
        .map_err(|e| e.to_string())?;
    let mut issued: u64 = 0;
    loop {
        let codes = super::api::issue_at(
            &state,
            &request.actor,
            request.cohort,
            OffsetDateTime::now_utc(),
            BATCH,
        )
        .await
        .map_err(|e| e.to_string())?;
        if codes.is_empty() {
            break;
        }
        issued += codes.len() as u64;
        context.progress(percent(issued, total)).await?;
    }
    Ok(serde_json::json!({ "cohort": request.cohort, "issued": issued }))
}

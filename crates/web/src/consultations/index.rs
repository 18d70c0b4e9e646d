//! The similarity index of a consultation, kept in memory while its submissions and their
//! embeddings stay the same. Submissions are never deleted and every edit is counted, so their
//! number, last id and edits, with the number and time of the embeddings stored, tell whether a
//! kept index is still right; building one (10,000 submissions: about a second) runs off the
//! async workers.
use crate::error::AppError;
use crate::state::AppState;
use megapolis_consultations::{Document, SimilarityIndex};
use megapolis_storage::consultations::SubmissionsVersion;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// How many consultations' indexes are kept; the least recently built goes first.
const KEPT: usize = 16;

#[derive(Default)]
pub struct IndexCache {
    kept: Mutex<HashMap<i64, (SubmissionsVersion, Arc<SimilarityIndex>)>>,
}

impl IndexCache {
    fn get(&self, consultation: i64, version: &SubmissionsVersion) -> Option<Arc<SimilarityIndex>> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.get(&consultation)
            .filter(|(v, _)| v == version)
            .map(|(_, index)| index.clone())
    }

    fn put(&self, consultation: i64, version: SubmissionsVersion, index: Arc<SimilarityIndex>) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() >= KEPT && !kept.contains_key(&consultation) {
            // Consultations are few; dropping the one with the smallest id is good enough.
            if let Some(oldest) = kept.keys().min().copied() {
                kept.remove(&oldest);
            }
        }
        kept.insert(consultation, (version, index));
    }
}

/// The index of consultation `id`'s submissions as they are now.
pub async fn index_of(state: &AppState, id: i64) -> Result<Arc<SimilarityIndex>, AppError> {
    let store = state.store.consultations();
    let version = store.version(id).await?;
    if let Some(index) = state.similarity_cache.get(id, &version) {
        return Ok(index);
    }
    let documents: Vec<Document> = store
        .submissions(id)
        .await?
        .into_iter()
        .map(|s| Document {
            id: s.id,
            text: s.text,
        })
        .collect();
    let embeddings = match &state.config.embeddings {
        Some(endpoint) => store.embeddings(id, &endpoint.model).await?,
        None => HashMap::new(),
    };
    let index = tokio::task::spawn_blocking(move || {
        SimilarityIndex::build(&documents).with_embeddings(&embeddings)
    })
    .await
    .map_err(|e| AppError::Unexpected(anyhow::anyhow!("building a similarity index: {e}")))?;
    let index = Arc::new(index);
    // The version read before the texts: a submission that arrived in between makes the next
    // request rebuild, never serve a stale index as current.
    state.similarity_cache.put(id, version, index.clone());
    Ok(index)
}

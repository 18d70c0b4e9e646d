//! The search index of the published catalogue, kept while the catalogue does not change: each
//! search reads the catalogue's stamp (count, last change) and rebuilds the index when it moved,
//! so every server sharing a database answers from the same solutions.
use crate::error::AppError;
use crate::state::AppState;
use megapolis_catalogue::SearchIndex;
use megapolis_storage::catalogue::CatalogueStamp;
use std::sync::Arc;
use tokio::sync::Mutex;

#[derive(Default)]
pub(crate) struct SearchCache {
    current: Mutex<Option<(CatalogueStamp, Arc<SearchIndex>)>>,
}

impl SearchCache {
    /// The index of the published solutions as they are now.
    pub(crate) async fn index(&self, state: &AppState) -> Result<Arc<SearchIndex>, AppError> {
        let stamp = state.store.catalogue().stamp().await?;
        // One rebuild at a time: concurrent searches after a change wait for it, not redo it.
        let mut current = self.current.lock().await;
        if let Some((built_at, index)) = current.as_ref() {
            if *built_at == stamp {
                return Ok(index.clone());
            }
        }
        let solutions = state.store.catalogue().list(true).await?;
        let countries = state
            .store
            .org()
            .cities()
            .await?
            .into_iter()
            .map(|c| (c.code.as_str().to_string(), c.country_code))
            .collect();
        let used_by = state.store.catalogue().used_by().await?;
        let index =
            tokio::task::spawn_blocking(move || SearchIndex::build(solutions, countries, used_by))
                .await
                .map_err(|e| {
                    AppError::Unexpected(anyhow::anyhow!("building the search index: {e}"))
                })?
                .map_err(|e| {
                    AppError::Unexpected(anyhow::anyhow!("building the search index: {e}"))
                })?;
        let index = Arc::new(index);
        *current = Some((stamp, index.clone()));
        Ok(index)
    }
}

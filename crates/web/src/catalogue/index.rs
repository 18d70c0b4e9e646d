//! The search index of the published catalogue, kept while the catalogue does not change, so
//! every server sharing a database answers from the same solutions. Each search reads the head
//! of the audit log (one row by its key): nothing can have changed while it has not moved, since
//! every change is audited. When it has moved, the catalogue's own stamp (count, last change,
//! adoptions: a scan of the solutions, 80 ms at 100,000) says whether to rebuild the index.
use crate::error::AppError;
use crate::state::AppState;
use megapolis_catalogue::SearchIndex;
use megapolis_storage::catalogue::CatalogueStamp;
use std::sync::Arc;
use tokio::sync::{Mutex, Semaphore};

pub(crate) struct SearchCache {
    current: Mutex<Option<Built>>,
    /// One turn per core for work on the index, given in order of arrival: sixteen searches
    /// sharing two cores by time slices each take eight times as long, and the unlucky ones far
    /// longer, where in turns each waits only for those before it.
    turns: Semaphore,
}

impl Default for SearchCache {
    fn default() -> SearchCache {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        SearchCache {
            current: Mutex::default(),
            turns: Semaphore::new(cores),
        }
    }
}

/// An index with the audit head and the catalogue stamp it was last checked at.
struct Built {
    audit_head: u64,
    stamp: CatalogueStamp,
    index: Arc<SearchIndex>,
}

impl SearchCache {
    /// Runs `work` (a search) on the index of the published solutions as they are now, on a
    /// blocking thread, in its turn.
    pub(crate) async fn with_index<T: Send + 'static>(
        &self,
        state: &AppState,
        work: impl FnOnce(&SearchIndex) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let index = self.index(state).await?;
        let _turn = self
            .turns
            .acquire()
            .await
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("search turns: {e}")))?;
        tokio::task::spawn_blocking(move || work(&index))
            .await
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("search stopped: {e}")))
    }

    /// The index of the published solutions as they are now.
    async fn index(&self, state: &AppState) -> Result<Arc<SearchIndex>, AppError> {
        let audit_head = state.store.audit().checkpoint().await?.records;
        // One check or rebuild at a time: concurrent searches after a change wait for it, not
        // redo it.
        let mut current = self.current.lock().await;
        if let Some(built) = current.as_ref() {
            if built.audit_head == audit_head {
                return Ok(built.index.clone());
            }
        }
        let stamp = state.store.catalogue().stamp().await?;
        if let Some(built) = current.as_mut() {
            if built.stamp == stamp {
                built.audit_head = audit_head;
                return Ok(built.index.clone());
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
        *current = Some(Built {
            audit_head,
            stamp,
            index: index.clone(),
        });
        Ok(index)
    }
}

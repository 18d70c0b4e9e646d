//! The staff page of recent jobs: what each is, where it is, how far, how often it was tried and
//! why it last failed.
use crate::auth::Visitor;
use crate::render::{page, PageResult};
use crate::state::AppState;
use axum::extract::State;
use axum::Extension;
use minijinja::context;

/// How many jobs the page shows, newest first.
const SHOWN: i64 = 100;

pub async fn list(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let jobs: Vec<_> = state
        .store
        .jobs()
        .recent(SHOWN)
        .await?
        .into_iter()
        .map(|job| {
            context! {
                id => job.id,
                kind => job.kind,
                state => job.state.as_str(),
                progress => job.progress,
                attempts => job.attempts,
                max_attempts => job.max_attempts,
                error => job.error,
                worker => job.worker,
                updated_at => job.updated_at,
                created_by => job.created_by,
            }
        })
        .collect();
    page(&state, &visitor, "jobs.html", context! { jobs => jobs }).await
}

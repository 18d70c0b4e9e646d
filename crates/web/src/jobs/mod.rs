//! Background jobs: the workers that run them (`worker.rs`), the staff page of recent jobs and
//! the API that tells how one is going. A capability adds a kind of job with one line in its
//! `capability()`: `jobs: vec![JobKind::new("kind", handler)]`; [`kinds`] collects them all.
pub mod api;
pub mod pages;
mod worker;

pub(crate) use worker::spawn_app_workers;
pub use worker::{spawn_workers, wait_for, JobContext, JobKind, WorkerConfig};

use crate::capability::{route, Capability, NavEntry};
use axum::routing::get;
use megapolis_domain::role::Access;

/// The share done, in percent, held below 100 until the job is finished.
pub fn percent(done: u64, total: u64) -> u8 {
    let share = done.saturating_mul(100) / total.max(1);
    u8::try_from(share.min(99)).unwrap_or(99)
}

/// Queues a job of `kind` whose payload is `request` as JSON; returns the job's id. The
/// capabilities' `enqueue` functions call this with their own request type.
pub async fn enqueue(
    store: &megapolis_storage::Store,
    kind: &str,
    request: &impl serde::Serialize,
    actor: &str,
) -> Result<i64, String> {
    let payload = serde_json::to_value(request).map_err(|e| e.to_string())?;
    store
        .jobs()
        .enqueue(kind, &payload, actor)
        .await
        .map_err(|e| e.to_string())
}

pub fn capability() -> Capability {
    const STAFF: Access = Access::STAFF;
    Capability {
        routes: vec![
            route("GET", "/jobs", STAFF, get(pages::list)),
            route("GET", "/api/v1/jobs/{id}", STAFF, get(api::get_job)),
        ],
        nav: vec![NavEntry {
            href: "/jobs",
            label: "nav-jobs",
            access: STAFF,
            badge: None,
        }],
        templates: crate::templates!("jobs.html"),
        locales: crate::locales!(),
        openapi: Some(api::openapi),
        ..Capability::named("jobs")
    }
}

/// Every kind of job the capabilities register: what this server's workers run.
pub fn kinds() -> Vec<JobKind> {
    crate::capabilities()
        .into_iter()
        .flat_map(|c| c.jobs)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn progress_stays_below_a_hundred_until_the_end() {
        assert_eq!(percent(0, 10_000), 0);
        assert_eq!(percent(200, 10_000), 2);
        assert_eq!(percent(10_000, 10_000), 99);
        assert_eq!(percent(5, 0), 99);
    }
}

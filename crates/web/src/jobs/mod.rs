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

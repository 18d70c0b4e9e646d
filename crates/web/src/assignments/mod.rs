//! Assignments: the list with the dashboard's drill-downs, one assignment with its timeline and
//! the forms its workflow offers the visitor, the actions and corrections, and the API.
pub mod api;
pub mod pages;
pub mod reminders;
pub mod views;

use crate::capability::{route, Capability, NavEntry};
use axum::routing::{get, post};
use megapolis_domain::role::Access::{self, Public, SignedIn};

pub fn capability() -> Capability {
    const STAFF: Access = Access::STAFF;
    Capability {
        routes: vec![
            route("GET", "/assignments", SignedIn, get(pages::list)),
            route("GET", "/assignments/{id}", SignedIn, get(pages::detail)),
            route("POST", "/assignments/{id}/act", SignedIn, post(pages::act)),
            route("POST", "/assignments/{id}/edit", STAFF, post(pages::edit)),
            route("GET", "/api/v1/assignments", Public, get(api::api_list)),
            route("GET", "/api/v1/assignments/{id}", Public, get(api::api_get)),
            route(
                "POST",
                "/api/v1/assignments/{id}/actions",
                SignedIn,
                post(api::api_act),
            ),
        ],
        nav: vec![NavEntry {
            href: "/assignments",
            label: "nav-assignments",
            access: SignedIn,
            badge: None,
        }],
        templates: crate::templates!(
            "assignments.html",
            "assignment.html",
            "assignment_macros.html"
        ),
        locales: crate::locales!(),
        openapi: Some(api::openapi),
        jobs: vec![reminders::job()],
        ..Capability::named("assignments")
    }
}

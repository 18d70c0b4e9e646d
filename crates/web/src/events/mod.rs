//! The plan of main events: proposals from cities and bodies, their consolidation with clash and
//! duplicate flags (the rules of `megapolis_events`), the plan's versions approved by the
//! President, the published plan by month with its filters, and the calendar feed.
pub mod api;
pub(crate) mod cache;
pub mod held;
pub mod pages;
pub mod plan;

use crate::capability::{route, Capability, NavEntry};
use axum::routing::{get, post};
use megapolis_domain::role::Access;
use megapolis_domain::role::Access::{Public, SignedIn};

pub fn capability() -> Capability {
    const STAFF: Access = Access::STAFF;
    Capability {
        routes: vec![
            route("GET", "/events", Public, get(pages::plan)),
            route("GET", "/events/proposals", SignedIn, get(pages::proposals)),
            route("POST", "/events/proposals", SignedIn, post(pages::propose)),
            route(
                "POST",
                "/events/proposals/{id}/act",
                SignedIn,
                post(pages::act),
            ),
            route(
                "POST",
                "/events/proposals/{id}/merge",
                SignedIn,
                post(pages::merge),
            ),
            route("GET", "/events/plans", SignedIn, get(pages::plans)),
            route("POST", "/events/plans", STAFF, post(pages::create_plan)),
            route(
                "POST",
                "/events/plans/{id}/act",
                SignedIn,
                post(pages::act_plan),
            ),
            route("GET", "/events/plans/{id}", Public, get(plan::page)),
            route("GET", "/events/plans/{id}/plan.pdf", Public, get(plan::pdf)),
            route(
                "GET",
                "/events/plans/{id}/plan.xlsx",
                Public,
                get(plan::xlsx),
            ),
            route(
                "POST",
                "/events/plans/{id}/attach",
                STAFF,
                post(plan::attach),
            ),
            route("GET", "/events/{id}", Public, get(pages::event)),
            route(
                "GET",
                "/events/{id}/calendar.ics",
                Public,
                get(api::event_calendar),
            ),
            route(
                "POST",
                "/events/{id}/register",
                SignedIn,
                post(held::register),
            ),
            route(
                "POST",
                "/events/{id}/unregister",
                SignedIn,
                post(held::unregister),
            ),
            route(
                "POST",
                "/events/{id}/attendance",
                SignedIn,
                post(held::attendance),
            ),
            route(
                "POST",
                "/events/{id}/capacity",
                SignedIn,
                post(held::capacity),
            ),
            route("POST", "/events/{id}/talks", SignedIn, post(held::talk)),
            route(
                "POST",
                "/events/{id}/materials",
                SignedIn,
                post(held::material),
            ),
            route("POST", "/events/{id}/report", SignedIn, post(held::report)),
            route("GET", "/events/cities/{code}", Public, get(held::city)),
            route("GET", "/api/v1/events.ics", Public, get(api::feed)),
            route(
                "GET",
                "/api/v1/events/proposals",
                SignedIn,
                get(api::list_proposals),
            ),
            route(
                "POST",
                "/api/v1/events/proposals",
                SignedIn,
                post(api::create_proposal),
            ),
            route(
                "POST",
                "/api/v1/events/proposals/{id}/amend",
                SignedIn,
                post(api::amend_proposal),
            ),
            route(
                "POST",
                "/api/v1/events/proposals/{id}/submit",
                SignedIn,
                post(api::submit_proposal),
            ),
            route(
                "POST",
                "/api/v1/events/proposals/{id}/withdraw",
                SignedIn,
                post(api::withdraw_proposal),
            ),
            route(
                "POST",
                "/api/v1/events/proposals/{id}/accept",
                SignedIn,
                post(api::accept_proposal),
            ),
            route(
                "POST",
                "/api/v1/events/proposals/{id}/decline",
                SignedIn,
                post(api::decline_proposal),
            ),
            route(
                "POST",
                "/api/v1/events/proposals/{id}/merge",
                SignedIn,
                post(api::merge_proposal),
            ),
            route(
                "POST",
                "/api/v1/events/proposals/{id}/cancel",
                STAFF,
                post(api::cancel_proposal),
            ),
            route(
                "GET",
                "/api/v1/events/clashes",
                SignedIn,
                get(api::list_clashes),
            ),
            route(
                "POST",
                "/api/v1/events/plans",
                STAFF,
                post(api::create_plan),
            ),
            route(
                "GET",
                "/api/v1/events/plans/{id}",
                Public,
                get(api::get_plan),
            ),
            route(
                "POST",
                "/api/v1/events/plans/{id}/submit",
                STAFF,
                post(api::submit_plan),
            ),
            route(
                "POST",
                "/api/v1/events/plans/{id}/approve",
                SignedIn,
                post(api::approve_plan),
            ),
            route(
                "POST",
                "/api/v1/events/plans/{id}/return",
                SignedIn,
                post(api::return_plan),
            ),
            route(
                "POST",
                "/api/v1/events/plans/{id}/attach",
                STAFF,
                post(api::attach_plan),
            ),
        ],
        nav: vec![NavEntry {
            href: "/events",
            label: "nav-events",
            access: Public,
            badge: None,
        }],
        templates: crate::templates!(
            "events.html",
            "event.html",
            "event-proposals.html",
            "event-plans.html",
            "event-plan.html",
            "event-months.html",
            "event-city.html"
        ),
        locales: crate::locales!(),
        openapi: Some(api::openapi),
        ..Capability::named("events")
    }
}

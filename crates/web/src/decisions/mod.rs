//! Session decisions: the public register and accountability page, the import (text, .txt,
//! .docx → a draft reviewed beside the text → one-transaction confirm), publishing, appendix
//! downloads and the API.
pub mod api;
pub mod import;
pub mod pages;

use crate::capability::{route, Capability, NavEntry};
use axum::routing::{get, post};
use megapolis_domain::role::Access::{self, Public};

/// A decision's text: the longest real ones are a few dozen kilobytes.
const DECISION_TEXT_BYTES: usize = 512 * 1024;
/// A decision's .docx or .txt with its form.
const DECISION_FILE_BYTES: usize = 8 * 1024 * 1024;

pub fn capability() -> Capability {
    const STAFF: Access = Access::STAFF;
    Capability {
        routes: vec![
            route("GET", "/decisions", Public, get(pages::register)),
            route("GET", "/decisions/import", STAFF, get(import::import_form)),
            route("POST", "/decisions/import", STAFF, post(import::import))
                .with_body_limit(DECISION_FILE_BYTES),
            route(
                "POST",
                "/decisions/import/confirm",
                STAFF,
                post(import::confirm),
            ),
            route("GET", "/decisions/{id}", Public, get(pages::show)),
            route(
                "POST",
                "/decisions/{id}/publish",
                STAFF,
                post(pages::publish),
            ),
            route("POST", "/decisions/{id}/delete", STAFF, post(pages::delete)),
            route("GET", "/files/{id}", Public, get(pages::file)),
            route("GET", "/api/v1/decisions", Public, get(api::list_decisions)),
            route(
                "POST",
                "/api/v1/decisions",
                STAFF,
                post(api::create_decision),
            )
            .with_body_limit(DECISION_TEXT_BYTES),
            route(
                "POST",
                "/api/v1/decisions/parse",
                STAFF,
                post(api::parse_decision),
            )
            .with_body_limit(DECISION_TEXT_BYTES),
            route(
                "GET",
                "/api/v1/decisions/{id}",
                Public,
                get(api::get_decision),
            ),
        ],
        nav: vec![NavEntry {
            href: "/decisions",
            label: "nav-decisions",
            access: Public,
            badge: None,
        }],
        templates: crate::templates!(
            "decisions.html",
            "decision.html",
            "decisions_import.html",
            "decision_review.html"
        ),
        locales: crate::locales!(),
        openapi: Some(api::openapi),
        ..Capability::named("decisions")
    }
}

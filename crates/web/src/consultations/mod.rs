//! Consultations: proposals and critical remarks that cities and participants send (on the page
//! or through the API), and for the Expert Council and the Secretariat the platform's suggested
//! groups of submissions that ask for the same thing, with the most similar ones of each (the
//! lexical signal of `megapolis_consultations`, and the semantic one when an embeddings
//! endpoint is set: [`embeddings`]).
pub mod api;
pub mod batch;
pub mod documents;
pub mod embeddings;
pub mod generalise;
pub mod index;
pub mod pages;
pub mod plan;
pub mod priorities;

use crate::capability::{route, Capability, NavEntry};
use axum::routing::{get, post};
use megapolis_domain::role::Access::{self, Public, SignedIn};
use megapolis_domain::Role;

/// A submission's body: room for a text over the 20,000-character limit, so that one is refused
/// by name (422) rather than by size.
const SUBMISSION_BYTES: usize = 4 * 1024 * 1024;

/// Who may ask for the suggested groups; a body member must also be on the Expert Council
/// (checked by the handlers through `megapolis_consultations::may_review`).
const REVIEWERS: Access = Access::Roles(&[Role::Admin, Role::Secretariat, Role::BodyMember]);

pub fn capability() -> Capability {
    const STAFF: Access = Access::STAFF;
    Capability {
        routes: vec![
            route("GET", "/consultations", Public, get(pages::list)),
            route("POST", "/consultations", STAFF, post(pages::create)),
            route("GET", "/consultations/{id}", Public, get(pages::show)),
            route(
                "POST",
                "/consultations/{id}/submissions",
                SignedIn,
                post(pages::submit),
            )
            .with_body_limit(SUBMISSION_BYTES),
            route(
                "POST",
                "/consultations/{id}/close",
                STAFF,
                post(pages::close),
            ),
            route(
                "GET",
                "/consultations/mine",
                SignedIn,
                get(generalise::mine),
            ),
            route(
                "POST",
                "/consultations/{id}/import",
                STAFF,
                post(batch::import),
            )
            .with_body_limit(batch::IMPORT_BYTES),
            route(
                "POST",
                "/consultations/{id}/submissions/{sid}/edit",
                SignedIn,
                post(batch::edit),
            )
            .with_body_limit(SUBMISSION_BYTES),
            route(
                "POST",
                "/consultations/{id}/generalised",
                REVIEWERS,
                post(generalise::merge),
            ),
            route(
                "GET",
                "/consultations/{id}/generalised/{gid}",
                Public,
                get(generalise::show),
            ),
            route(
                "POST",
                "/consultations/{id}/generalised/{gid}/edit",
                REVIEWERS,
                post(generalise::edit),
            ),
            route(
                "POST",
                "/consultations/{id}/generalised/{gid}/split",
                REVIEWERS,
                post(generalise::split),
            ),
            route(
                "POST",
                "/consultations/{id}/generalised/{gid}/move",
                REVIEWERS,
                post(generalise::move_into),
            ),
            route(
                "POST",
                "/consultations/{id}/reject",
                REVIEWERS,
                post(generalise::reject),
            ),
            route(
                "POST",
                "/consultations/{id}/plans",
                REVIEWERS,
                post(plan::create),
            ),
            route(
                "GET",
                "/consultations/{id}/plans/{pid}",
                SignedIn,
                get(plan::show),
            ),
            route(
                "POST",
                "/consultations/{id}/plans/{pid}/items",
                REVIEWERS,
                post(plan::add_item),
            ),
            // The approver is a body member of any body; the rules check who may take which step.
            route(
                "POST",
                "/consultations/{id}/plans/{pid}/act",
                REVIEWERS,
                post(plan::act),
            ),
            route(
                "GET",
                "/consultations/{id}/summary.pdf",
                Public,
                get(documents::summary_pdf),
            ),
            route(
                "GET",
                "/consultations/{id}/summary.xlsx",
                Public,
                get(documents::summary_xlsx),
            ),
            route(
                "GET",
                "/consultations/{id}/plans/{pid}/plan.pdf",
                SignedIn,
                get(documents::plan_pdf),
            ),
            route(
                "GET",
                "/consultations/{id}/plans/{pid}/plan.xlsx",
                SignedIn,
                get(documents::plan_xlsx),
            ),
            route(
                "GET",
                "/api/v1/consultations/{id}/submissions.csv",
                Public,
                get(documents::submissions_csv),
            ),
            route(
                "GET",
                "/api/v1/consultations/{id}/generalised",
                Public,
                get(documents::generalised_json),
            ),
            route(
                "GET",
                "/api/v1/consultations/{id}/generalised.csv",
                Public,
                get(documents::generalised_csv),
            ),
            route(
                "GET",
                "/api/v1/consultations/{id}/plans",
                Public,
                get(documents::plans_json),
            ),
            route(
                "GET",
                "/api/v1/consultations/{id}/plans.csv",
                Public,
                get(documents::plans_csv),
            ),
            route("GET", "/priorities", Public, get(priorities::page)),
            route("POST", "/priorities", REVIEWERS, post(priorities::propose)),
            // The Board's chair approves, the Secretariat publishes: the rules check which.
            route(
                "POST",
                "/priorities/{id}/act",
                REVIEWERS,
                post(priorities::act),
            ),
            route(
                "GET",
                "/api/v1/priorities",
                Public,
                get(priorities::api_list),
            ),
            route("GET", "/api/v1/consultations", Public, get(api::list)),
            route("POST", "/api/v1/consultations", STAFF, post(api::create)),
            route(
                "GET",
                "/api/v1/consultations/{id}",
                Public,
                get(api::get_one),
            ),
            route(
                "POST",
                "/api/v1/consultations/{id}/close",
                STAFF,
                post(api::close),
            ),
            route(
                "POST",
                "/api/v1/consultations/{id}/submissions",
                SignedIn,
                post(api::submit),
            )
            .with_body_limit(SUBMISSION_BYTES),
            route(
                "GET",
                "/api/v1/consultations/{id}/clusters",
                REVIEWERS,
                get(api::clusters),
            ),
            route(
                "GET",
                "/api/v1/consultations/{id}/submissions/{sid}/similar",
                REVIEWERS,
                get(api::similar),
            ),
        ],
        nav: vec![NavEntry {
            href: "/consultations",
            label: "nav-consultations",
            access: Public,
            badge: None,
        }],
        templates: crate::templates!(
            "consultations.html",
            "consultation.html",
            "consultation-fate.html",
            "consultation-refused.html",
            "generalisation-part.html",
            "merge-form.html",
            "generalised.html",
            "my-submissions.html",
            "plan.html",
            "priorities.html",
            "priority-refused.html",
        ),
        // The generalisation's and the plan's messages beside the consultation's own.
        locales: &[
            (
                include_str!("locales/ru.ftl"),
                include_str!("locales/en.ftl"),
            ),
            (
                include_str!("locales/generalise.ru.ftl"),
                include_str!("locales/generalise.en.ftl"),
            ),
        ],
        openapi: Some(openapi),
        jobs: vec![embeddings::job()],
        ..Capability::named("consultations")
    }
}

/// This capability's part of the OpenAPI document: the API of consultations and their open data.
fn openapi() -> utoipa::openapi::OpenApi {
    let mut document = api::openapi();
    document.merge(<documents::OpenData as utoipa::OpenApi>::openapi());
    document.merge(<priorities::PrioritiesApi as utoipa::OpenApi>::openapi());
    document
}

//! The catalogue of the cities' best solutions: a public search page with facets and a page per
//! solution with its similar solutions and the cities that adopted it (`adoption`); the API to add solutions, search them and read the
//! catalogue as CSV, XLSX, JSON, `publiccode.yml` and ADMS-AP Turtle; a competition's collection as
//! a PDF made by a job (`collection`). The search index is built from the database and rebuilt
//! when the catalogue changes (`index::SearchCache`). The Secretariat's promotion concept
//! (`promotion`): the matrix of solutions × cities with reasons, concepts, their PDF and event
//! proposals.
pub mod adoption;
pub mod api;
pub mod collection;
pub mod competition_pages;
pub mod competitions;
pub(crate) mod index;
pub mod pages;
pub mod promotion;

use crate::capability::{route, Capability, NavEntry};
use axum::routing::put;
use axum::routing::{get, post};
use megapolis_domain::role::Access::{self, Public, SignedIn};
use megapolis_domain::Role;

/// An attachment's request: room for a file over the 20 MB limit, so one is refused by name
/// (422) rather than by size.
const ATTACHMENT_BODY_BYTES: usize = 25 * 1024 * 1024;

pub fn capability() -> Capability {
    const STAFF: Access = Access::STAFF;
    // Who records adoptions: the Secretariat for any city, a representative for their own.
    const ADOPTERS: Access = Access::Roles(&[Role::Admin, Role::Secretariat, Role::CityRep]);
    Capability {
        routes: vec![
            route("GET", "/catalogue", Public, get(pages::catalogue)),
            route("GET", "/catalogue/{id}", Public, get(pages::solution)),
            // The promotion concept: the Secretariat's alone.
            route("GET", "/catalogue/promotion", STAFF, get(promotion::page)),
            route(
                "POST",
                "/catalogue/promotion/concepts",
                STAFF,
                post(promotion::create),
            ),
            route(
                "GET",
                "/catalogue/promotion/concepts/{id}",
                STAFF,
                get(promotion::concept),
            ),
            route(
                "POST",
                "/catalogue/promotion/concepts/{id}/presentations",
                STAFF,
                post(promotion::add),
            ),
            route(
                "POST",
                "/catalogue/promotion/concepts/{id}/final",
                STAFF,
                post(promotion::finalise),
            ),
            route(
                "POST",
                "/catalogue/promotion/concepts/{id}/proposals",
                STAFF,
                post(promotion::propose),
            ),
            route(
                "GET",
                "/catalogue/promotion/concepts/{id}/concept.pdf",
                STAFF,
                get(promotion::pdf),
            ),
            route(
                "GET",
                "/api/v1/promotion/matrix",
                STAFF,
                get(promotion::api_matrix),
            ),
            // Competitions' pages: the same checks as the API (competitions::Viewer and the
            // store's refusals by city, assignment, declaration and the jury's chair).
            route("GET", "/competitions", Public, get(competition_pages::list)),
            route(
                "POST",
                "/competitions",
                STAFF,
                post(competition_pages::create),
            ),
            route(
                "GET",
                "/competitions/{id}",
                Public,
                get(competition_pages::show),
            ),
            route(
                "POST",
                "/competitions/{id}/step",
                STAFF,
                post(competition_pages::step),
            ),
            route(
                "POST",
                "/competitions/{id}/collection",
                STAFF,
                post(competition_pages::make_collection),
            ),
            route(
                "POST",
                "/competitions/{id}/experts",
                STAFF,
                post(competition_pages::assign),
            ),
            route(
                "POST",
                "/competitions/{id}/entries",
                SignedIn,
                post(competition_pages::create_entry),
            ),
            route(
                "POST",
                "/competitions/{id}/decision",
                SignedIn,
                post(competition_pages::decide),
            ),
            route(
                "GET",
                "/competitions/entries/{id}",
                Public,
                get(competition_pages::show_entry),
            ),
            route(
                "POST",
                "/competitions/entries/{id}/edit",
                SignedIn,
                post(competition_pages::edit_entry),
            ),
            // The API's body limit, so a file over 20 MB is refused by name on the page too.
            route(
                "POST",
                "/competitions/entries/{id}/attachments",
                SignedIn,
                post(competition_pages::attach),
            )
            .with_body_limit(ATTACHMENT_BODY_BYTES),
            route(
                "GET",
                "/competitions/entries/{id}/attachments/{file}",
                Public,
                get(competition_pages::download),
            ),
            route(
                "POST",
                "/competitions/entries/{id}/step",
                SignedIn,
                post(competition_pages::entry_step),
            ),
            route(
                "POST",
                "/competitions/entries/{id}/declaration",
                SignedIn,
                post(competition_pages::declare),
            ),
            route(
                "POST",
                "/competitions/entries/{id}/scores",
                SignedIn,
                post(competition_pages::score),
            ),
            route(
                "POST",
                "/competitions/entries/{id}/waiver",
                SignedIn,
                post(competition_pages::waive),
            ),
            route("POST", "/api/v1/solutions", STAFF, post(api::create)),
            route("GET", "/api/v1/solutions/search", Public, get(api::search)),
            route("GET", "/api/v1/solutions/{id}", Public, get(api::solution)),
            route(
                "GET",
                "/api/v1/solutions/{id}/publiccode.yml",
                Public,
                get(api::publiccode),
            ),
            route(
                "POST",
                "/catalogue/{id}/adoptions",
                ADOPTERS,
                post(adoption::page_record),
            ),
            route(
                "POST",
                "/api/v1/solutions/{id}/adoptions",
                ADOPTERS,
                post(adoption::api_record),
            ),
            route("GET", "/api/v1/catalogue.ttl", Public, get(api::turtle)),
            route("GET", "/api/v1/catalogue.csv", Public, get(api::csv)),
            route("GET", "/api/v1/catalogue.xlsx", Public, get(api::xlsx)),
            route("GET", "/api/v1/catalogue.json", Public, get(api::json)),
            // Competitions: the handlers check the entry's city, the expert's assignment and
            // declarations, and the jury's chair (competitions::Viewer).
            route(
                "GET",
                "/api/v1/competitions",
                Public,
                get(competitions::list),
            ),
            route(
                "POST",
                "/api/v1/competitions",
                STAFF,
                post(competitions::create),
            ),
            route(
                "GET",
                "/api/v1/competitions/{id}",
                Public,
                get(competitions::get_one),
            ),
            route(
                "POST",
                "/api/v1/competitions/{id}/collection",
                STAFF,
                post(collection::request),
            ),
            route(
                "GET",
                "/api/v1/competitions/{id}/collection.pdf",
                Public,
                get(collection::download),
            ),
            route(
                "POST",
                "/api/v1/competitions/{id}/{step}",
                STAFF,
                post(competitions::step),
            ),
            route(
                "POST",
                "/api/v1/competitions/{id}/nominations/{nomination}/experts",
                STAFF,
                post(competitions::assign),
            ),
            route(
                "GET",
                "/api/v1/competitions/{id}/entries",
                Public,
                get(competitions::entries),
            ),
            route(
                "POST",
                "/api/v1/competitions/{id}/entries",
                SignedIn,
                post(competitions::create_entry),
            ),
            route(
                "GET",
                "/api/v1/competitions/{id}/ranking",
                SignedIn,
                get(competitions::get_ranking),
            ),
            route(
                "POST",
                "/api/v1/competitions/{id}/decision",
                SignedIn,
                post(competitions::decide),
            ),
            route(
                "POST",
                "/api/v1/competitions/{id}/publish",
                STAFF,
                post(competitions::publish),
            ),
            route(
                "GET",
                "/api/v1/entries/{id}",
                Public,
                get(competitions::get_entry),
            ),
            route(
                "PUT",
                "/api/v1/entries/{id}",
                SignedIn,
                put(competitions::update_entry),
            ),
            route(
                "POST",
                "/api/v1/entries/{id}/declaration",
                SignedIn,
                post(competitions::declare),
            ),
            route(
                "POST",
                "/api/v1/entries/{id}/waivers",
                SignedIn,
                post(competitions::waive),
            ),
            route(
                "POST",
                "/api/v1/entries/{id}/scores",
                SignedIn,
                post(competitions::score),
            ),
            route(
                "POST",
                "/api/v1/entries/{id}/attachments",
                SignedIn,
                post(competitions::attach),
            )
            .with_body_limit(ATTACHMENT_BODY_BYTES),
            route(
                "GET",
                "/api/v1/entries/{id}/attachments/{file}",
                Public,
                get(competitions::attachment),
            ),
            route(
                "POST",
                "/api/v1/entries/{id}/{step}",
                SignedIn,
                post(competitions::entry_step),
            ),
        ],
        nav: vec![
            NavEntry {
                href: "/catalogue",
                label: "nav-catalogue",
                access: Public,
                badge: None,
            },
            NavEntry {
                href: "/competitions",
                label: "nav-competitions",
                access: Public,
                badge: None,
            },
            NavEntry {
                href: "/catalogue/promotion",
                label: "nav-promotion",
                access: STAFF,
                badge: None,
            },
        ],
        templates: crate::templates!(
            "catalogue.html",
            "solution.html",
            "competitions.html",
            "competition.html",
            "competition-entry.html",
            "competition-fields.html",
            "promotion.html",
            "promotion-concept.html"
        ),
        locales: crate::locales!(),
        openapi: Some(api::openapi),
        jobs: vec![collection::job()],
        ..Capability::named("catalogue")
    }
}

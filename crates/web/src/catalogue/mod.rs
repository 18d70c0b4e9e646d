//! The catalogue of the cities' best solutions: a public search page with facets and a page per
//! solution with its similar solutions; the API to add solutions, search them and read the
//! catalogue as CSV, `publiccode.yml` and ADMS-AP Turtle. The search index is built from the
//! database and rebuilt when the catalogue changes (`index::SearchCache`).
pub mod api;
pub mod competitions;
pub(crate) mod index;
pub mod pages;

use crate::capability::{route, Capability, NavEntry};
use axum::routing::put;
use axum::routing::{get, post};
use megapolis_domain::role::Access::{self, Public, SignedIn};

pub fn capability() -> Capability {
    const STAFF: Access = Access::STAFF;
    Capability {
        routes: vec![
            route("GET", "/catalogue", Public, get(pages::catalogue)),
            route("GET", "/catalogue/{id}", Public, get(pages::solution)),
            route("POST", "/api/v1/solutions", STAFF, post(api::create)),
            route("GET", "/api/v1/solutions/search", Public, get(api::search)),
            route("GET", "/api/v1/solutions/{id}", Public, get(api::solution)),
            route(
                "GET",
                "/api/v1/solutions/{id}/publiccode.yml",
                Public,
                get(api::publiccode),
            ),
            route("GET", "/api/v1/catalogue.ttl", Public, get(api::turtle)),
            route("GET", "/api/v1/catalogue.csv", Public, get(api::csv)),
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
                "/api/v1/entries/{id}/{step}",
                SignedIn,
                post(competitions::entry_step),
            ),
        ],
        nav: vec![NavEntry {
            href: "/catalogue",
            label: "nav-catalogue",
            access: Public,
            badge: None,
        }],
        templates: crate::templates!("catalogue.html", "solution.html"),
        locales: crate::locales!(),
        openapi: Some(api::openapi),
        ..Capability::named("catalogue")
    }
}

//! The catalogue of the cities' best solutions: a public search page with facets and a page per
//! solution with its similar solutions and the cities that adopted it (`adoption`); the API to add solutions, search them and read the
//! catalogue as CSV, XLSX, JSON, `publiccode.yml` and ADMS-AP Turtle. The search index is built from the
//! database and rebuilt when the catalogue changes (`index::SearchCache`).
pub mod adoption;
pub mod api;
pub(crate) mod index;
pub mod pages;

use crate::capability::{route, Capability, NavEntry};
use axum::routing::{get, post};
use megapolis_domain::role::Access::{self, Public};
use megapolis_domain::Role;

pub fn capability() -> Capability {
    const STAFF: Access = Access::STAFF;
    // Who records adoptions: the Secretariat for any city, a representative for their own.
    const ADOPTERS: Access = Access::Roles(&[Role::Admin, Role::Secretariat, Role::CityRep]);
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

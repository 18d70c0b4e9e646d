//! The organisation: the association's member cities and bodies, public pages and API.
pub mod api;
pub mod pages;

use crate::error::AppError;
use crate::state::AppState;
use megapolis_domain::{Body, BodyId, City, CityCode};

/// The city a path names, or 404 (also for a code that cannot be one).
pub(crate) async fn find_city(state: &AppState, code: &str) -> Result<City, AppError> {
    let code = CityCode::parse(code).map_err(|_| AppError::NotFound)?;
    state
        .store
        .org()
        .city(&code)
        .await?
        .ok_or(AppError::NotFound)
}

/// The body a path names, or 404.
pub(crate) async fn find_body(state: &AppState, id: &str) -> Result<Body, AppError> {
    let id = BodyId::parse(id).map_err(|_| AppError::NotFound)?;
    state.store.org().body(&id).await?.ok_or(AppError::NotFound)
}

use crate::capability::{route, Capability, NavEntry};
use axum::routing::{get, post, put};
use megapolis_domain::role::Access::{self, Public};

pub fn capability() -> Capability {
    const STAFF: Access = Access::STAFF;
    Capability {
        routes: vec![
            route("GET", "/", Public, get(pages::home)),
            route("GET", "/cities", Public, get(pages::cities)),
            route("GET", "/cities/{code}", Public, get(pages::city)),
            route("GET", "/bodies", Public, get(pages::bodies)),
            route("GET", "/bodies/{id}", Public, get(pages::body)),
            route("GET", "/healthz", Public, get(pages::healthz)),
            route("GET", "/api/v1/cities", Public, get(api::list_cities)),
            route("POST", "/api/v1/cities", STAFF, post(api::create_city)),
            route("GET", "/api/v1/cities/{code}", Public, get(api::get_city)),
            route("PUT", "/api/v1/cities/{code}", STAFF, put(api::update_city)),
            route("GET", "/api/v1/bodies", Public, get(api::list_bodies)),
            route("POST", "/api/v1/bodies", STAFF, post(api::save_body)),
            route("GET", "/api/v1/bodies/{id}", Public, get(api::get_body)),
        ],
        nav: vec![
            NavEntry {
                href: "/cities",
                label: "nav-cities",
                access: Public,
                badge: None,
            },
            NavEntry {
                href: "/bodies",
                label: "nav-bodies",
                access: Public,
                badge: None,
            },
        ],
        templates: crate::templates!(
            "home.html",
            "cities.html",
            "city.html",
            "bodies.html",
            "body.html"
        ),
        openapi: Some(api::openapi),
        ..Capability::named("org")
    }
}

//! The portal and the HTTP API. Thin by design: a handler parses the request into domain types,
//! calls the store, and renders a template or JSON. No SQL here, no business rules.
//!
//! Each capability lives in its own folder (`org/`, `decisions/`, …) and describes itself in a
//! [`Capability`]: routes with the access each requires, navigation, templates, translations and
//! OpenAPI paths. [`capabilities`] is the one list of them; the router, the navigation, the
//! templates, the translations, the OpenAPI document and the role matrix test read it.

mod api;
mod application;
mod assets;
mod auth;
mod capability;
mod dates;
mod downloads;
mod error;
mod forms;
mod i18n;
mod render;
pub mod router;
pub mod scheduler;
mod state;
mod templates;

mod accounts;
mod admin;
mod assignments;
mod catalogue;
mod consultations;
mod control;
mod decisions;
mod events;
pub mod jobs;
mod monitoring;
mod notices;
mod org;
mod training;

pub use application::{Application, BuildError, Settings};
pub use auth::{new_token, token_hash};
pub use capability::{Capability, RouteInfo};
pub use i18n::Translations;
pub use router::{build_router, route_table};
pub use state::{AppState, WebConfig};

use capability::route;
use megapolis_domain::role::Access::Public;
use std::future::Future;
use tokio::net::TcpListener;

/// Every capability of the portal, in the order of the navigation. Adding a capability is one
/// line here.
pub fn capabilities() -> Vec<Capability> {
    vec![
        platform(),
        org::capability(),
        decisions::capability(),
        monitoring::capability(),
        catalogue::capability(),
        consultations::capability(),
        events::capability(),
        training::capability(),
        assignments::capability(),
        control::capability(),
        notices::capability(),
        accounts::capability(),
        admin::capability(),
        jobs::capability(),
    ]
}

/// What every page shares: the layout, the stylesheet, the error page, the API document.
fn platform() -> Capability {
    use axum::routing::get;
    Capability {
        routes: vec![
            route("GET", "/assets/style.css", Public, get(assets::stylesheet)),
            route("GET", "/api/v1/openapi.json", Public, get(api::openapi)),
        ],
        templates: &[
            ("base.html", include_str!("../templates/base.html")),
            ("macros.html", include_str!("../templates/macros.html")),
            ("error.html", include_str!("../templates/error.html")),
        ],
        locales: &[(
            include_str!("../locales/ru.ftl"),
            include_str!("../locales/en.ftl"),
        )],
        ..Capability::named("platform")
    }
}

/// The OpenAPI document of every capability's API, as served at `/api/v1/openapi.json`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    api::document()
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = build_router(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

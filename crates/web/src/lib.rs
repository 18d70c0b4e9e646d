//! The portal and the HTTP API. Thin by design: a handler parses the request into domain types,
//! calls the store, and renders a template or JSON. No SQL here, no business rules.
//!
//! Every route is declared once in [`routes::table`] with the [`Access`] it requires; the router
//! is built from that table, so one mechanism enforces roles on every route.

mod api;
mod api_decisions;
mod assets;
mod assignments;
mod auth;
mod control;
mod decisions;
mod error;
mod i18n;
mod pages;
pub mod routes;
pub mod scheduler;
mod state;
mod templates;

pub use auth::{new_token, token_hash};
pub use i18n::Translations;
pub use routes::{build_router, RouteInfo};
pub use state::{AppState, WebConfig};

use std::future::Future;
use tokio::net::TcpListener;

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

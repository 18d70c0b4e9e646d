//! The router: every capability's routes, each behind the guard of the access it declares, and
//! the layers every request passes. The role matrix test reads [`route_table`], so no route
//! escapes the check.
use crate::auth::{guard, identify};
use crate::capability::{Route, RouteInfo};
use crate::error::error_pages;
use crate::state::AppState;
use axum::middleware::from_fn_with_state;
use axum::Router;
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// The largest request body: a report with its attachments, or a decision's .docx.
pub const MAX_UPLOAD_BYTES: usize = 25 * 1024 * 1024;

fn table() -> Vec<Route> {
    crate::capabilities()
        .into_iter()
        .flat_map(|c| c.routes)
        .collect()
}

/// Every route with the access it declares.
pub fn route_table() -> Vec<RouteInfo> {
    table().into_iter().map(|r| r.info).collect()
}

pub fn build_router(state: AppState) -> Router {
    let mut router = Router::new();
    for Route { info, handler } in table() {
        router = router.route(
            info.path,
            handler.route_layer(from_fn_with_state(info.access, guard)),
        );
    }
    router
        .layer(from_fn_with_state(state.clone(), error_pages))
        .layer(from_fn_with_state(state.clone(), identify))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(TraceLayer::new_for_http())
        // Reports and decisions come with files; larger bodies are refused with 413.
        .layer(axum::extract::DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
        .with_state(state)
}

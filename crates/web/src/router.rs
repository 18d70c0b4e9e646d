//! The router: every capability's routes, each behind the guard of the access it declares, and
//! the layers every request passes. The role matrix test reads [`route_table`], so no route
//! escapes the check.
use crate::auth::{guard, identify, Visitor};
use crate::capability::{Route, RouteInfo};
use crate::error::error_pages;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::from_fn_with_state;
use axum::middleware::Next;
use axum::response::Response;
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
    for Route {
        info,
        handler,
        body_limit,
    } in table()
    {
        let handler = match body_limit {
            Some(bytes) => handler.layer(axum::extract::DefaultBodyLimit::max(bytes)),
            None => handler,
        };
        router = router.route(
            info.path,
            handler.route_layer(from_fn_with_state(info.access, guard)),
        );
    }
    router
        .layer(from_fn_with_state(state.clone(), error_pages))
        .layer(from_fn_with_state(state.clone(), security_headers))
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

/// Only the site's own resources, never inside another site's frame.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
     script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The security headers of every response; a signed-in visitor's pages are never stored by a
/// shared cache or the browser's history cache.
async fn security_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let signed_in = request
        .extensions()
        .get::<Visitor>()
        .is_some_and(|v| v.person.is_some());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    set(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "same-origin");
    if state.config.secure_cookies {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    if signed_in {
        set(header::CACHE_CONTROL, "no-store");
    }
    response
}

//! The route table: every path, its method, the access it requires and its handler. The router
//! is built from this one table, and the role matrix test reads it, so no route escapes the
//! check.
use crate::auth::{guard, identify};
use crate::error::error_pages;
use crate::state::AppState;
use crate::{api, api_decisions, assets, assignments, control, decisions, pages};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post, put, MethodRouter};
use axum::Router;
use megapolis_domain::role::Access;
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// The largest request body: a report with its attachments, or a decision's .docx.
pub const MAX_UPLOAD_BYTES: usize = 25 * 1024 * 1024;

/// What the matrix test needs to know of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

struct Route {
    info: RouteInfo,
    handler: MethodRouter<AppState>,
}

fn route(
    method: &'static str,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> Route {
    Route {
        info: RouteInfo {
            method,
            path,
            access,
        },
        handler,
    }
}

fn table() -> Vec<Route> {
    use Access::{Public, SignedIn};
    const STAFF: Access = Access::STAFF;
    const ADMIN: Access = Access::ADMIN;
    vec![
        route("GET", "/", Public, get(pages::home)),
        route("GET", "/cities", Public, get(pages::cities)),
        route("GET", "/cities/{code}", Public, get(pages::city)),
        route("GET", "/bodies", Public, get(pages::bodies)),
        route("GET", "/bodies/{id}", Public, get(pages::body)),
        route("GET", "/lang/{code}", Public, get(pages::switch_language)),
        route("GET", "/login", Public, get(pages::login_form)),
        route("POST", "/login", Public, post(pages::login)),
        route(
            "GET",
            "/invitation/{token}",
            Public,
            get(pages::invitation_form),
        ),
        route(
            "POST",
            "/invitation/{token}",
            Public,
            post(pages::accept_invitation),
        ),
        route("GET", "/healthz", Public, get(pages::healthz)),
        route("GET", "/assets/style.css", Public, get(assets::stylesheet)),
        route("POST", "/logout", SignedIn, post(pages::logout)),
        route("GET", "/profile", SignedIn, get(pages::profile)),
        route(
            "POST",
            "/profile/password",
            SignedIn,
            post(pages::change_password),
        ),
        route(
            "POST",
            "/profile/tokens",
            SignedIn,
            post(pages::create_api_token),
        ),
        route("GET", "/admin/cities", STAFF, get(pages::admin_cities)),
        route("GET", "/admin/cities/new", STAFF, get(pages::new_city_form)),
        route("POST", "/admin/cities/new", STAFF, post(pages::create_city)),
        route(
            "GET",
            "/admin/cities/{code}/edit",
            STAFF,
            get(pages::edit_city_form),
        ),
        route(
            "POST",
            "/admin/cities/{code}/edit",
            STAFF,
            post(pages::update_city),
        ),
        route("GET", "/admin/bodies", STAFF, get(pages::admin_bodies)),
        route(
            "POST",
            "/admin/bodies/import",
            STAFF,
            post(pages::import_bodies),
        ),
        route("GET", "/admin/people", ADMIN, get(pages::admin_people)),
        route("POST", "/admin/people", ADMIN, post(pages::create_person)),
        route("GET", "/admin/audit", ADMIN, get(pages::admin_audit)),
        route("GET", "/api/v1/openapi.json", Public, get(api::openapi)),
        route("GET", "/api/v1/cities", Public, get(api::list_cities)),
        route("POST", "/api/v1/cities", STAFF, post(api::create_city)),
        route("GET", "/api/v1/cities/{code}", Public, get(api::get_city)),
        route("PUT", "/api/v1/cities/{code}", STAFF, put(api::update_city)),
        route("GET", "/api/v1/bodies", Public, get(api::list_bodies)),
        route("POST", "/api/v1/bodies", STAFF, post(api::save_body)),
        route("GET", "/api/v1/bodies/{id}", Public, get(api::get_body)),
        route("GET", "/decisions", Public, get(decisions::register)),
        route(
            "GET",
            "/decisions/import",
            STAFF,
            get(decisions::import_form),
        ),
        route("POST", "/decisions/import", STAFF, post(decisions::import)),
        route(
            "POST",
            "/decisions/import/confirm",
            STAFF,
            post(decisions::confirm),
        ),
        route("GET", "/decisions/{id}", Public, get(decisions::show)),
        route("GET", "/assignments", SignedIn, get(assignments::list)),
        route(
            "GET",
            "/assignments/{id}",
            SignedIn,
            get(assignments::detail),
        ),
        route(
            "POST",
            "/assignments/{id}/act",
            SignedIn,
            post(assignments::act),
        ),
        route(
            "POST",
            "/assignments/{id}/edit",
            STAFF,
            post(assignments::edit),
        ),
        route(
            "GET",
            "/api/v1/assignments",
            Public,
            get(assignments::api_list),
        ),
        route(
            "GET",
            "/api/v1/assignments/{id}",
            Public,
            get(assignments::api_get),
        ),
        route(
            "POST",
            "/api/v1/assignments/{id}/actions",
            SignedIn,
            post(assignments::api_act),
        ),
        route(
            "POST",
            "/decisions/{id}/publish",
            STAFF,
            post(decisions::publish),
        ),
        route("GET", "/files/{id}", Public, get(decisions::file)),
        route("GET", "/control", SignedIn, get(control::dashboard)),
        route(
            "GET",
            "/control/report.xlsx",
            SignedIn,
            get(control::report_xlsx),
        ),
        route(
            "GET",
            "/control/report.pdf",
            SignedIn,
            get(control::report_pdf),
        ),
        route("GET", "/inbox", SignedIn, get(control::inbox)),
        route("POST", "/inbox/read", SignedIn, post(control::mark_read)),
        route(
            "GET",
            "/api/v1/decisions",
            Public,
            get(api_decisions::list_decisions),
        ),
        route(
            "POST",
            "/api/v1/decisions",
            STAFF,
            post(api_decisions::create_decision),
        ),
        route(
            "POST",
            "/api/v1/decisions/parse",
            STAFF,
            post(api_decisions::parse_decision),
        ),
        route(
            "GET",
            "/api/v1/decisions/{id}",
            Public,
            get(api_decisions::get_decision),
        ),
    ]
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

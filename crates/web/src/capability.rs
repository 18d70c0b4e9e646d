//! What a capability registers with the portal: its routes (each with the access it requires),
//! its entry in the navigation, its templates, its translations, its part of the OpenAPI
//! document and the kinds of background job it runs. The router, the navigation, the template
//! environment, the translations, the role matrix test, the OpenAPI document and the job workers
//! all read [`crate::capabilities`]; adding a capability adds one line there and edits no other
//! capability.
use crate::error::AppError;
use crate::jobs::JobKind;
use crate::state::AppState;
use axum::routing::MethodRouter;
use megapolis_domain::role::Access;
use megapolis_domain::Person;
use std::future::Future;
use std::pin::Pin;

/// What the matrix test needs to know of a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

/// One route: its method, path, access and handler, and the largest body it reads when that is
/// less than the site's [`crate::router::MAX_UPLOAD_BYTES`].
pub struct Route {
    pub info: RouteInfo,
    pub handler: MethodRouter<AppState>,
    pub body_limit: Option<usize>,
}

impl Route {
    /// Refuses bodies over `bytes` with 413 before the handler reads them.
    pub fn with_body_limit(mut self, bytes: usize) -> Route {
        self.body_limit = Some(bytes);
        self
    }
}

/// Declares a route.
pub fn route(
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
        body_limit: None,
    }
}

/// A link in the main navigation, shown to those whose role `access` allows.
#[derive(Debug, Clone, Copy)]
pub struct NavEntry {
    pub href: &'static str,
    /// The translation key of the label.
    pub label: &'static str,
    pub access: Access,
    /// A figure shown beside the label for signed-in people, when it is not zero.
    pub badge: Option<NavBadge>,
}

/// The figure beside a navigation entry (the unread notices beside "Inbox"): counted for the
/// signed-in visitor once each time a page is rendered, so it must be cheap.
#[derive(Debug, Clone, Copy)]
pub struct NavBadge {
    /// The translation key of what the figure means, with `$count` (what a screen reader says).
    pub label: &'static str,
    pub count: BadgeCount,
}

/// Counts a badge's figure for a person.
pub type BadgeCount =
    for<'a> fn(
        &'a AppState,
        &'a Person,
    ) -> Pin<Box<dyn Future<Output = Result<i64, AppError>> + Send + 'a>>;

/// A template: its name (as `{% extends %}` and `render` know it) and its source.
pub type Template = (&'static str, &'static str);

/// A pair of Fluent files: Russian, English.
pub type Locale = (&'static str, &'static str);

/// A capability as the portal sees it.
pub struct Capability {
    pub name: &'static str,
    pub routes: Vec<Route>,
    pub nav: Vec<NavEntry>,
    pub templates: &'static [Template],
    pub locales: &'static [Locale],
    /// The capability's paths and schemas, merged into the one OpenAPI document.
    pub openapi: Option<fn() -> utoipa::openapi::OpenApi>,
    /// The kinds of background job it runs, each with its handler.
    pub jobs: Vec<JobKind>,
}

impl Capability {
    /// A capability with no routes yet; fill in the fields it has.
    pub fn named(name: &'static str) -> Capability {
        Capability {
            name,
            routes: Vec::new(),
            nav: Vec::new(),
            templates: &[],
            locales: &[],
            openapi: None,
            jobs: Vec::new(),
        }
    }
}

/// Embeds a capability's templates: `templates!("home.html", "city.html")` reads each from the
/// capability's `templates/` folder.
#[macro_export]
macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("templates/", $name)))),*]
    };
}

/// Embeds a capability's translations from its `locales/ru.ftl` and `locales/en.ftl`.
#[macro_export]
macro_rules! locales {
    () => {
        &[(
            include_str!("locales/ru.ftl"),
            include_str!("locales/en.ftl"),
        )]
    };
}

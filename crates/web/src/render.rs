//! The portal's pages: each handler parses, calls the store, renders one template.
use crate::auth::Visitor;
use crate::error::AppError;
use crate::state::AppState;
use axum::response::Html;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use megapolis_domain::FieldErrors;
use megapolis_domain::Lang;
use megapolis_domain::Role;
use minijinja::context;
use minijinja::value::Value;
use serde::Serialize;
use std::collections::BTreeMap;

pub(crate) type PageResult = Result<Response, AppError>;

/// Renders a template with what every page needs: language, visitor, form token, association,
/// and the navigation with its badges counted for the visitor.
pub async fn render(
    state: &AppState,
    visitor: &Visitor,
    template: &str,
    page: Value,
) -> Html<String> {
    let nav = navigation(state, visitor).await;
    let base = context! {
        lang => visitor.lang.code(),
        other_lang => match visitor.lang { Lang::Ru => "en", Lang::En => "ru" },
        user => visitor.person.as_ref().map(|p| context! { name => p.name, email => p.email.to_string(), role => p.role.as_str() }),
        staff => visitor.is_staff(),
        admin => visitor.role() == Some(Role::Admin),
        csrf => visitor.csrf,
        path => visitor.path,
        location => visitor.location,
        demo => state.config.demo,
        nav => nav,
    };
    let ctx = context! { ..page, ..base };
    let html = state
        .templates
        .get_template(template)
        .and_then(|t| t.render(ctx))
        .unwrap_or_else(|e| {
            tracing::error!("rendering {template}: {e:#}");
            String::from("<!doctype html><title>500</title><h1>500</h1>")
        });
    Html(html)
}

/// The navigation entries the visitor's role may see, each with its badge's figure for a
/// signed-in visitor when it is not zero. A figure that cannot be counted is left out (and
/// logged) rather than failing the page.
async fn navigation(state: &AppState, visitor: &Visitor) -> Vec<Value> {
    let mut entries = Vec::new();
    for entry in state
        .nav
        .iter()
        .filter(|entry| entry.access.allows(visitor.role()))
    {
        let badge = match (&visitor.person, entry.badge) {
            (Some(person), Some(badge)) => match (badge.count)(state, person).await {
                Ok(count) if count > 0 => Some(context! { count => count, label => badge.label }),
                Ok(_) => None,
                Err(e) => {
                    tracing::warn!("the badge of {}: {e}", entry.href);
                    None
                }
            },
            _ => None,
        };
        entries.push(context! { href => entry.href, label => entry.label, badge => badge });
    }
    entries
}

pub(crate) async fn page(
    state: &AppState,
    visitor: &Visitor,
    template: &str,
    ctx: Value,
) -> PageResult {
    Ok(render(state, visitor, template, ctx).await.into_response())
}

/// Field errors as `{field: translation key}` for the templates.
pub(crate) fn errors_map(errors: &FieldErrors) -> BTreeMap<&'static str, &'static str> {
    errors.0.iter().map(|e| (e.field, e.key)).collect()
}

pub(crate) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

pub(crate) fn signed_in(visitor: &Visitor) -> Result<&megapolis_domain::Person, AppError> {
    visitor.person.as_ref().ok_or(AppError::Forbidden)
}

/// A translated message with at most one argument, `$name` in the Fluent files.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Message {
    pub key: &'static str,
    pub arg: String,
}

pub(crate) fn message(key: &'static str, arg: impl Into<String>) -> Message {
    Message {
        key,
        arg: arg.into(),
    }
}

//! The portal's pages: each handler parses, calls the store, renders one template.
use crate::auth::Visitor;
use crate::error::AppError;
use crate::state::AppState;
use axum::http::StatusCode;
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
pub async fn render(state: &AppState, visitor: &Visitor, template: &str, page: Value) -> Response {
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
        done => done_message(&visitor.location),
        demo => state.config.demo,
        nav => nav,
    };
    let ctx = context! { ..page, ..base };
    match state
        .templates
        .get_template(template)
        .and_then(|t| t.render(ctx))
    {
        Ok(html) => Html(html).into_response(),
        // A template that does not render is a defect: a 500, so no test takes it for a page.
        Err(e) => {
            tracing::error!("rendering {template}: {e:#}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("<!doctype html><title>500</title><h1>500</h1>"),
            )
                .into_response()
        }
    }
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

/// What a write that succeeded tells on the page it leads to, as `?done=<what>`: only these.
const DONE_MESSAGES: &[&str] = &[
    "saved",
    "created",
    "published",
    "unpublished",
    "deleted",
    "activated",
    "deactivated",
    "submitted",
    "returned",
    "settled",
    "attached",
];

/// The translation key of the success message `location` asks for, if it is one of ours.
fn done_message(location: &str) -> Option<String> {
    let (_, query) = location.split_once('?')?;
    query
        .split('&')
        .filter_map(|pair| pair.strip_prefix("done="))
        .find(|what| DONE_MESSAGES.contains(what))
        .map(|what| format!("done-{what}"))
}

/// `path` with the success message `done` (one of `DONE_MESSAGES`), before any `#fragment`.
pub(crate) fn with_done(path: &str, done: &str) -> String {
    let (path, fragment) = path.split_once('#').map_or((path, ""), |(p, f)| (p, f));
    let joiner = if path.contains('?') { '&' } else { '?' };
    let fragment = if fragment.is_empty() {
        String::new()
    } else {
        format!("#{fragment}")
    };
    format!("{path}{joiner}done={done}{fragment}")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_success_messages_are_shown() {
        assert_eq!(
            done_message("/decisions/3?done=published"),
            Some("done-published".into())
        );
        assert_eq!(
            done_message("/assignments?state=new&done=saved"),
            Some("done-saved".into())
        );
        assert_eq!(done_message("/decisions/3?done=hacked"), None);
        assert_eq!(done_message("/decisions/3"), None);
        assert_eq!(
            with_done("/a/1#event-4", "saved"),
            "/a/1?done=saved#event-4"
        );
        assert_eq!(with_done("/a?x=1", "deleted"), "/a?x=1&done=deleted");
    }
}

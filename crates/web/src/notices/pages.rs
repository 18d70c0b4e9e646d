//! The inbox of notices: each person's list, marking read, and the unread figure beside "Inbox"
//! in the navigation.
use crate::auth::Visitor;
use crate::error::AppError;
use crate::forms::CsrfForm;
use crate::render::render;
use crate::render::signed_in;
use crate::render::PageResult;
use crate::state::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::Extension;
use megapolis_domain::Person;
use minijinja::context;
use serde::Deserialize;
use std::future::Future;
use std::pin::Pin;

/// How many notifications the inbox shows.
pub(crate) const INBOX_LIMIT: i64 = 200;

/// The longest comment excerpt shown in the inbox.
pub(crate) const EXCERPT_CHARS: usize = 280;

/// `2026-11-25T09:30:12Z` → `2026-11-25 09:30 UTC`.
/// The translation key of what happened to a subject: `{subject kind}-event-{kind}`, so each
/// capability writes its notices' messages in its own translation files.
pub(crate) fn notice_message(subject_kind: &str, kind: &str) -> String {
    if subject_kind.is_empty() {
        format!("notice-event-{kind}")
    } else {
        format!("{subject_kind}-event-{kind}")
    }
}

pub(crate) fn excerpt(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() <= EXCERPT_CHARS {
        text.to_string()
    } else {
        let cut: String = text.chars().take(EXCERPT_CHARS).collect();
        format!("{}…", cut.trim_end())
    }
}

pub async fn inbox(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let notifications = state.store.notices().inbox(person.id, INBOX_LIMIT).await?;
    let unread = state.store.notices().unread(person.id).await?;
    let items: Vec<_> = notifications
        .iter()
        .map(|n| {
            context! {
                id => n.id,
                at => n.at,
                at_text => crate::dates::moment(&n.at, visitor.lang),
                kind => n.kind,
                message => notice_message(&n.subject_kind, &n.kind),
                title => n.title,
                link => n.link,
                text => excerpt(&n.text),
                read => n.read,
            }
        })
        .collect();
    Ok(render(
        &state,
        &visitor,
        "inbox.html",
        context! { notifications => items, unread => unread },
    )
    .await
    .into_response())
}

/// The unread notices of `person`: the figure beside "Inbox" in the navigation.
pub(crate) fn unread_count<'a>(
    state: &'a AppState,
    person: &'a Person,
) -> Pin<Box<dyn Future<Output = Result<i64, AppError>> + Send + 'a>> {
    Box::pin(async move { Ok(state.store.notices().unread(person.id).await?) })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReadInput {
    id: String,
}

pub async fn mark_read(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(input): CsrfForm<ReadInput>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let id = match input.id.trim() {
        "" => None,
        text => Some(text.parse::<i64>().map_err(|_| {
            AppError::BadRequest(format!("id must be a notification number, not {text:?}"))
        })?),
    };
    state.store.notices().mark_read(person.id, id).await?;
    Ok(Redirect::to("/inbox").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_cut_on_characters() {
        let long = "я".repeat(EXCERPT_CHARS + 10);
        let cut = excerpt(&long);
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
    }
}

//! Notices: the inbox of each person, and the messages of every capability's notices.
pub mod pages;

use crate::capability::{route, Capability, NavBadge, NavEntry};
use axum::routing::{get, post};
use megapolis_domain::role::Access::SignedIn;

pub fn capability() -> Capability {
    Capability {
        routes: vec![
            route("GET", "/inbox", SignedIn, get(pages::inbox)),
            route("POST", "/inbox/read", SignedIn, post(pages::mark_read)),
        ],
        nav: vec![NavEntry {
            href: "/inbox",
            label: "nav-inbox",
            access: SignedIn,
            badge: Some(NavBadge {
                label: "inbox-unread",
                count: pages::unread_count,
            }),
        }],
        templates: crate::templates!("inbox.html"),
        locales: crate::locales!(),
        ..Capability::named("notices")
    }
}

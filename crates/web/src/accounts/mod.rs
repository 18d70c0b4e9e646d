//! Accounts: signing in and out, the language switch, the profile (password, API tokens) and
//! invitations.
pub mod pages;

use crate::capability::{route, Capability};
use axum::routing::{get, post};
use megapolis_domain::role::Access::{Public, SignedIn};

pub fn capability() -> Capability {
    Capability {
        routes: vec![
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
            route(
                "POST",
                "/profile/tokens/revoke",
                SignedIn,
                post(pages::revoke_api_tokens),
            ),
        ],
        templates: crate::templates!("login.html", "profile.html", "invitation.html"),
        ..Capability::named("accounts")
    }
}

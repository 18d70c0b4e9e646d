//! The portal's pages: each handler parses, calls the store, renders one template.
use crate::auth::new_token;
use crate::auth::set_cookie;
use crate::auth::token_hash;
use crate::auth::Visitor;
use crate::auth::LANG_COOKIE;
use crate::auth::SESSION_COOKIE;
use crate::auth::SESSION_LIFETIME;
use crate::error::AppError;
use crate::forms::CsrfForm;
use crate::render::errors_map;
use crate::render::page;
use crate::render::render;
use crate::render::see_other;
use crate::render::signed_in;
use crate::render::PageResult;
use crate::state::AppState;
use axum::extract::ConnectInfo;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::header;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Extension;
use megapolis_domain::login::LoginLimits;
use megapolis_domain::password::hash_password;
use megapolis_domain::password::verify_password;
use megapolis_domain::person::check_password;
use megapolis_domain::Email;
use megapolis_domain::FieldErrors;
use megapolis_domain::Lang;
use megapolis_domain::Person;
use minijinja::context;
use minijinja::value::Value;
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Deserialize)]
pub struct Back {
    back: Option<String>,
}

/// Only a path on this site is a place to go back to.
pub(crate) fn local_path(path: Option<String>) -> String {
    path.filter(|p| is_local_path(p))
        .unwrap_or_else(|| "/".into())
}

/// A path on this site: one leading `/`, and no `\` or control character, which browsers read as
/// a `/` or drop (`/\evil.example/` would leave the site).
fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_this_site_are_places_to_go_back_to() {
        for local in [
            "/",
            "/profile",
            "/assignments?state=new",
            "/decisions/3#items",
        ] {
            assert_eq!(local_path(Some(local.into())), local);
        }
        for away in [
            "//evil.example/",
            "/\\evil.example/",
            "/\\/evil.example",
            "https://evil.example/",
            "evil.example",
            "/\t/evil.example",
            "",
        ] {
            assert_eq!(local_path(Some(away.into())), "/", "{away:?}");
        }
        assert_eq!(local_path(None), "/");
    }
}

pub async fn switch_language(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(code): Path<String>,
    Query(back): Query<Back>,
) -> PageResult {
    let lang = Lang::from_tag(&code).ok_or(AppError::NotFound)?;
    // A signed-in person's choice also sets the language of the notices mailed to them.
    if let Some(person) = &visitor.person {
        state.store.accounts().set_language(person.id, lang).await?;
    }
    let mut response = see_other(&local_path(back.back));
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, LANG_COOKIE, lang.code(), Some(365 * 86400)),
    );
    Ok(response)
}

#[derive(Deserialize, Default)]
pub struct LoginQuery {
    next: Option<String>,
}

pub async fn login_form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(query): Query<LoginQuery>,
) -> PageResult {
    page(
        &state,
        &visitor,
        "login.html",
        context! { next => local_path(query.next) },
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginInput {
    email: String,
    password: String,
    next: String,
}

/// Failures within this window count against an account and an address.
pub(crate) const THROTTLE_WINDOW: time::Duration = time::Duration::minutes(15);

pub(crate) const LOGIN_LIMITS: LoginLimits = LoginLimits {
    per_pair: 5,
    per_account: 50,
    per_address: 20,
    first_wait: time::Duration::seconds(30),
    max_wait: THROTTLE_WINDOW,
};

/// An argon2 hash no password is known to match, made once per process.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password(&new_token()).unwrap_or_default());

pub async fn login(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    CsrfForm(input): CsrfForm<LoginInput>,
) -> PageResult {
    let account = input.email.trim().to_lowercase();
    let address = peer.ip().to_string();
    let refuse = async |key: &str, status: StatusCode| -> PageResult {
        let html = render(
            &state,
            &visitor,
            "login.html",
            context! { next => local_path(Some(input.next.clone())), email => input.email.clone(), error => key },
        )
        .await;
        Ok((status, html).into_response())
    };
    let admitted = state
        .store
        .accounts()
        .admit_login(&account, &address, THROTTLE_WINDOW, LOGIN_LIMITS)
        .await?;
    if !admitted {
        return refuse("error-login-throttled", StatusCode::TOO_MANY_REQUESTS).await;
    }
    let candidate = match Email::parse(&account) {
        Some(email) => state.store.accounts().login_candidate(&email).await?,
        None => None,
    };
    let (person, hash) = match candidate {
        Some((person, Some(hash))) => (Some(person), hash),
        // Without an account the password is still checked, against a hash of nothing, so the
        // answer takes as long and does not tell which e-mails have accounts.
        _ => (None, DUMMY_HASH.clone()),
    };
    let password = input.password.clone();
    // argon2 takes tens of milliseconds of CPU: off the async workers.
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let Some(person) = person.filter(|_| matches) else {
        return refuse("error-login", StatusCode::UNAUTHORIZED).await;
    };
    state
        .store
        .accounts()
        .clear_login_failures(&account)
        .await?;
    let token = new_token();
    state
        .store
        .accounts()
        .create_session(
            &token_hash(&token),
            person.id,
            &new_token(),
            SESSION_LIFETIME,
        )
        .await?;
    let mut response = see_other(&local_path(Some(input.next)));
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            &state,
            SESSION_COOKIE,
            &token,
            Some(SESSION_LIFETIME.whole_seconds()),
        ),
    );
    Ok(response)
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn logout(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(_): CsrfForm<Empty>,
) -> PageResult {
    if let Some(hash) = &visitor.session_hash {
        state.store.accounts().end_session(hash).await?;
    }
    let mut response = see_other("/");
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", Some(0)),
    );
    Ok(response)
}

pub async fn profile(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    profile_page(&state, &visitor, person, context! {}, StatusCode::OK).await
}

/// The profile with the person's API tokens, and `extra` (a new token, errors, a message).
async fn profile_page(
    state: &AppState,
    visitor: &Visitor,
    person: &Person,
    extra: Value,
    status: StatusCode,
) -> PageResult {
    let tokens = state.store.accounts().api_tokens(person.id).await?;
    let cities_by_code = crate::org::pages::cities_by_code(state).await?;
    let bodies_by_id = crate::org::pages::bodies_by_id(state).await?;
    let html = render(
        state,
        visitor,
        "profile.html",
        context! {
            person => person,
            tokens => tokens,
            cities_by_code => cities_by_code,
            bodies_by_id => bodies_by_id,
            ..extra
        },
    )
    .await;
    Ok((status, html).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordInput {
    current: String,
    new: String,
    confirm: String,
    /// "1": revoke the API tokens too (a password change signs every session out anyway).
    revoke_tokens: String,
}

/// Checks a new password and its confirmation, with errors beside the fields.
pub(crate) fn new_password(errors: &mut FieldErrors, new: &str, confirm: &str) {
    if let Err(key) = check_password(new) {
        errors.add("new", key);
    } else if new != confirm {
        errors.add("confirm", "error-password-mismatch");
    }
}

pub async fn change_password(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(input): CsrfForm<PasswordInput>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let mut errors = FieldErrors::default();
    let current_ok = match state
        .store
        .accounts()
        .login_candidate(&person.email)
        .await?
    {
        Some((_, Some(hash))) => verify_password(&input.current, &hash),
        _ => false,
    };
    if !current_ok {
        errors.add("current", "error-password-wrong");
    }
    new_password(&mut errors, &input.new, &input.confirm);
    if !errors.is_empty() {
        return profile_page(
            &state,
            &visitor,
            person,
            context! { errors => errors_map(&errors) },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let hash = hash_password(&input.new).map_err(anyhow::Error::from)?;
    state
        .store
        .accounts()
        .set_password(&visitor.actor(), person.id, &hash)
        .await?;
    if input.revoke_tokens == "1" {
        state
            .store
            .accounts()
            .revoke_api_tokens(&visitor.actor(), person.id, None)
            .await?;
    }
    Ok(see_other("/login?next=/profile"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenInput {
    name: String,
}

pub async fn create_api_token(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(input): CsrfForm<TokenInput>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let name = match input.name.trim() {
        "" => "API",
        name => name,
    };
    let token = new_token();
    state
        .store
        .accounts()
        .create_api_token(&visitor.actor(), person.id, &token_hash(&token), name)
        .await?;
    profile_page(
        &state,
        &visitor,
        person,
        context! { new_token => token },
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RevokeInput {
    /// The hash of one token, or empty for all of them.
    token: String,
}

pub async fn revoke_api_tokens(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(input): CsrfForm<RevokeInput>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let one = Some(input.token.trim()).filter(|t| !t.is_empty());
    let revoked = state
        .store
        .accounts()
        .revoke_api_tokens(&visitor.actor(), person.id, one)
        .await?;
    profile_page(
        &state,
        &visitor,
        person,
        context! { revoked => revoked },
        StatusCode::OK,
    )
    .await
}

/// The person an invitation link is for; a used, expired or unknown link is a 404.
pub(crate) async fn open_invitation(
    state: &AppState,
    token: &str,
) -> Result<megapolis_domain::Person, AppError> {
    state
        .store
        .accounts()
        .invitation(&token_hash(token))
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn invitation_form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(token): Path<String>,
) -> PageResult {
    let person = open_invitation(&state, &token).await?;
    page(
        &state,
        &visitor,
        "invitation.html",
        context! { person => person, token => token },
    )
    .await
}

pub async fn accept_invitation(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(token): Path<String>,
    CsrfForm(input): CsrfForm<PasswordInput>,
) -> PageResult {
    let person = open_invitation(&state, &token).await?;
    let mut errors = FieldErrors::default();
    new_password(&mut errors, &input.new, &input.confirm);
    if !errors.is_empty() {
        let html = render(
            &state,
            &visitor,
            "invitation.html",
            context! { person => person, token => token, errors => errors_map(&errors) },
        )
        .await;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    let hash = hash_password(&input.new).map_err(anyhow::Error::from)?;
    state
        .store
        .accounts()
        .accept_invitation(&token_hash(&token), &hash)
        .await?;
    Ok(see_other("/login?next=/profile"))
}

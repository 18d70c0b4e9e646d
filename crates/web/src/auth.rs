//! Who is asking: the session cookie (pages) or a bearer token (API), the form token that
//! protects every form, and the guard that checks a route's [`Access`].
use crate::error::{json_error, AppError};
use crate::forms::urlencode;
use crate::state::AppState;
use axum::extract::Request;
use axum::extract::State;
use axum::http::header;
use axum::http::HeaderMap;
use axum::http::HeaderValue;
use axum::http::Method;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::IntoResponse;
use axum::response::Redirect;
use axum::response::Response;
use megapolis_domain::role::Access;
use megapolis_domain::Lang;
use megapolis_domain::Person;
use megapolis_domain::Role;
use rand_core::OsRng;
use rand_core::RngCore;
use sha2::Digest;
use sha2::Sha256;

pub const SESSION_COOKIE: &str = "mp_session";

pub const CSRF_COOKIE: &str = "mp_csrf";

pub const LANG_COOKIE: &str = "mp_lang";

pub const SESSION_LIFETIME: time::Duration = time::Duration::hours(12);

/// The visitor of one request, placed in its extensions by [`identify`].
#[derive(Clone, Debug)]
pub struct Visitor {
    pub person: Option<Person>,
    pub lang: Lang,
    /// The token every form of this visitor must carry back.
    pub csrf: String,
    pub session_hash: Option<String>,
    /// The request is to the JSON API.
    pub api: bool,
    pub path: String,
    /// The path with its query: where to come back to after a language switch or a sign-in,
    /// filters and all.
    pub location: String,
}

impl Visitor {
    pub fn role(&self) -> Option<Role> {
        self.person.as_ref().map(|p| p.role)
    }

    /// Administrators and the Secretariat: they see drafts, import and correct.
    pub fn is_staff(&self) -> bool {
        Access::STAFF.allows(self.role())
    }

    pub fn actor(&self) -> String {
        self.person
            .as_ref()
            .map_or_else(|| "anonymous".to_string(), |p| p.email.to_string())
    }
}

/// A random token for a cookie, a link or an API client.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Tokens are stored only as this hash, so a copy of the database signs nobody in.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

pub fn set_cookie(state: &AppState, name: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let age = max_age
        .map(|s| format!("; Max-Age={s}"))
        .unwrap_or_default();
    let text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax{secure}{age}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Finds the visitor and checks the origin of every unsafe request.
pub async fn identify(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let headers = request.headers().clone();
    let path = request.uri().path().to_string();
    let location = request
        .uri()
        .path_and_query()
        .map_or_else(|| path.clone(), |p| p.as_str().to_string());
    let api = path.starts_with("/api/");
    let lang = cookie(&headers, LANG_COOKIE)
        .and_then(|l| Lang::from_tag(&l))
        .or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default();

    let mut person = None;
    let mut session_hash = None;
    let mut session_csrf = None;
    if api {
        // Machine clients authenticate with a bearer token only: a cookie never writes via the API.
        if let Some(value) = headers.get(header::AUTHORIZATION) {
            let token = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer "));
            let found = match token {
                Some(token) => match state
                    .store
                    .accounts()
                    .api_token_person(&token_hash(token.trim()))
                    .await
                {
                    Ok(found) => found,
                    Err(e) => return AppError::from(e).into_json(),
                },
                None => None,
            };
            match found {
                Some(p) => person = Some(p),
                None => {
                    return json_error(
                        StatusCode::UNAUTHORIZED,
                        "unauthorized",
                        "invalid or unknown bearer token",
                    )
                }
            }
        }
    } else if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        let hash = token_hash(&token);
        match state.store.accounts().session(&hash).await {
            Ok(Some((p, csrf))) => {
                person = Some(p);
                session_csrf = Some(csrf);
                session_hash = Some(hash);
            }
            Ok(None) => {}
            Err(e) => {
                tracing::error!("session lookup: {e}");
                return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response();
            }
        }
    }

    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if unsafe_method && !api && !same_origin(&headers) {
        return (StatusCode::FORBIDDEN, "cross-site form submission refused").into_response();
    }

    let anonymous_csrf = cookie(&headers, CSRF_COOKIE).filter(|c| c.len() == 64);
    let new_csrf_cookie = session_csrf.is_none() && anonymous_csrf.is_none() && !api;
    let csrf = session_csrf.or(anonymous_csrf).unwrap_or_else(new_token);
    request.extensions_mut().insert(Visitor {
        person,
        lang,
        csrf: csrf.clone(),
        session_hash,
        api,
        path,
        location,
    });
    let mut response = next.run(request).await;
    if new_csrf_cookie {
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(&state, CSRF_COOKIE, &csrf, None),
        );
    }
    response
}

/// Browsers say where a request comes from; refuse a form posted from another site.
fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if !matches!(site, "same-origin" | "none") {
            return false;
        }
    }
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        headers.get(header::HOST).and_then(|v| v.to_str().ok()),
    ) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, origin_host)| origin_host == host),
        _ => true,
    }
}

/// The check every route passes through, with the access its table entry declares.
pub async fn guard(State(access): State<Access>, request: Request, next: Next) -> Response {
    let Some(visitor) = request.extensions().get::<Visitor>().cloned() else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if access.allows(visitor.role()) {
        return next.run(request).await;
    }
    match (visitor.person.is_some(), visitor.api) {
        (false, true) => json_error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a bearer token is required",
        ),
        (true, true) => json_error(
            StatusCode::FORBIDDEN,
            "forbidden",
            "your role may not do this",
        ),
        (false, false) => {
            let next_path = urlencode(
                request
                    .uri()
                    .path_and_query()
                    .map_or(request.uri().path(), |p| p.as_str()),
            );
            Redirect::to(&format!("/login?next={next_path}")).into_response()
        }
        (true, false) => AppError::Forbidden.into_response(),
    }
}

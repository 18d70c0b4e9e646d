//! The portal's pages: each handler parses, calls the store, renders one template.
use crate::auth::{
    new_token, set_cookie, token_hash, CsrfForm, Visitor, LANG_COOKIE, SESSION_COOKIE,
    SESSION_LIFETIME,
};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use megapolis_domain::body::parse_bodies_csv;
use megapolis_domain::city::CityInput;
use megapolis_domain::password::{hash_password, verify_password};
use megapolis_domain::person::{check_password, PersonInput};
use megapolis_domain::{
    BodyId, CityCode, Email, FieldErrors, Lang, MembershipStatus, Position, Role,
};
use megapolis_storage::audit::AuditFilter;
use minijinja::context;
use minijinja::value::Value;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::SocketAddr;

pub(crate) type PageResult = Result<Response, AppError>;

/// Renders a template with what every page needs: language, visitor, form token, association.
pub fn render(state: &AppState, visitor: &Visitor, template: &str, page: Value) -> Html<String> {
    let base = context! {
        lang => visitor.lang.code(),
        other_lang => match visitor.lang { Lang::Ru => "en", Lang::En => "ru" },
        user => visitor.person.as_ref().map(|p| context! { name => p.name, email => p.email.to_string(), role => p.role.as_str() }),
        staff => visitor.is_staff(),
        admin => visitor.role() == Some(Role::Admin),
        csrf => visitor.csrf,
        path => visitor.path,
        demo => state.config.demo,
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

pub(crate) fn page(state: &AppState, visitor: &Visitor, template: &str, ctx: Value) -> PageResult {
    Ok(render(state, visitor, template, ctx).into_response())
}

/// Field errors as `{field: translation key}` for the templates.
fn errors_map(errors: &FieldErrors) -> BTreeMap<&'static str, &'static str> {
    errors.0.iter().map(|e| (e.field, e.key)).collect()
}

pub(crate) fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

async fn association(state: &AppState) -> Result<Value, AppError> {
    Ok(Value::from_serialize(state.store.association().await?))
}

pub async fn home(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let summary = state.store.organisation_summary().await?;
    page(
        &state,
        &visitor,
        "home.html",
        context! {
            association => association(&state).await?,
            city_count => summary.cities,
            member_count => summary.members,
            country_count => summary.countries,
            body_count => summary.bodies,
        },
    )
}

pub async fn cities(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let mut cities = state.store.cities().await?;
    // The store orders by the Russian name; English readers get their own alphabet.
    if visitor.lang == Lang::En {
        cities.sort_by(|a, b| a.name_en.cmp(&b.name_en));
    }
    page(
        &state,
        &visitor,
        "cities.html",
        context! { cities => cities },
    )
}

pub async fn city(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(code): Path<String>,
) -> PageResult {
    let code = CityCode::parse(&code).map_err(|_| AppError::NotFound)?;
    let city = state.store.city(&code).await?.ok_or(AppError::NotFound)?;
    page(&state, &visitor, "city.html", context! { city => city })
}

pub async fn bodies(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let bodies = state.store.bodies().await?;
    page(
        &state,
        &visitor,
        "bodies.html",
        context! { bodies => bodies },
    )
}

pub async fn body(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    let id = BodyId::parse(&id).map_err(|_| AppError::NotFound)?;
    let body = state.store.body(&id).await?.ok_or(AppError::NotFound)?;
    let members = state.store.body_members(&id).await?;
    page(
        &state,
        &visitor,
        "body.html",
        context! { body => body, members => members },
    )
}

#[derive(Deserialize)]
pub struct Back {
    back: Option<String>,
}

/// Only a path on this site is a place to go back to.
fn local_path(path: Option<String>) -> String {
    path.filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".into())
}

pub async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(back): Query<Back>,
) -> PageResult {
    let lang = Lang::from_tag(&code).ok_or(AppError::NotFound)?;
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
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginInput {
    email: String,
    password: String,
    next: String,
}

/// Failures within this window count against an account and an address.
const THROTTLE_WINDOW: time::Duration = time::Duration::minutes(15);
const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
const MAX_FAILURES_PER_ADDRESS: i64 = 20;

pub async fn login(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    CsrfForm(input): CsrfForm<LoginInput>,
) -> PageResult {
    let account = input.email.trim().to_lowercase();
    let address = peer.ip().to_string();
    let refuse = |key: &str, status: StatusCode| -> PageResult {
        let html = render(
            &state,
            &visitor,
            "login.html",
            context! { next => local_path(Some(input.next.clone())), email => input.email.clone(), error => key },
        );
        Ok((status, html).into_response())
    };
    let (by_account, by_address) = state
        .store
        .recent_login_failures(&account, &address, THROTTLE_WINDOW)
        .await?;
    if by_account >= MAX_FAILURES_PER_ACCOUNT || by_address >= MAX_FAILURES_PER_ADDRESS {
        return refuse("error-login-throttled", StatusCode::TOO_MANY_REQUESTS);
    }
    let candidate = match Email::parse(&account) {
        Some(email) => state.store.login_candidate(&email).await?,
        None => None,
    };
    let person = match candidate {
        Some((person, Some(hash))) if verify_password(&input.password, &hash) => person,
        _ => {
            state.store.record_login_failure(&account, &address).await?;
            return refuse("error-login", StatusCode::UNAUTHORIZED);
        }
    };
    state.store.clear_login_failures(&account).await?;
    let token = new_token();
    state
        .store
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
        state.store.end_session(hash).await?;
    }
    let mut response = see_other("/");
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", Some(0)),
    );
    Ok(response)
}

pub(crate) fn signed_in(visitor: &Visitor) -> Result<&megapolis_domain::Person, AppError> {
    visitor.person.as_ref().ok_or(AppError::Forbidden)
}

pub async fn profile(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    page(
        &state,
        &visitor,
        "profile.html",
        context! { person => person },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordInput {
    current: String,
    new: String,
    confirm: String,
}

/// Checks a new password and its confirmation, with errors beside the fields.
fn new_password(errors: &mut FieldErrors, new: &str, confirm: &str) {
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
    let current_ok = match state.store.login_candidate(&person.email).await? {
        Some((_, Some(hash))) => verify_password(&input.current, &hash),
        _ => false,
    };
    if !current_ok {
        errors.add("current", "error-password-wrong");
    }
    new_password(&mut errors, &input.new, &input.confirm);
    if !errors.is_empty() {
        let html = render(
            &state,
            &visitor,
            "profile.html",
            context! { person => person, errors => errors_map(&errors) },
        );
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    let hash = hash_password(&input.new).map_err(anyhow::Error::from)?;
    state
        .store
        .set_password(&visitor.actor(), person.id, &hash)
        .await?;
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
        .create_api_token(&visitor.actor(), person.id, &token_hash(&token), name)
        .await?;
    page(
        &state,
        &visitor,
        "profile.html",
        context! { person => person, new_token => token },
    )
}

/// The person an invitation link is for; a used, expired or unknown link is a 404.
async fn open_invitation(
    state: &AppState,
    token: &str,
) -> Result<megapolis_domain::Person, AppError> {
    state
        .store
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
        );
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    }
    let hash = hash_password(&input.new).map_err(anyhow::Error::from)?;
    state
        .store
        .accept_invitation(&token_hash(&token), &hash)
        .await?;
    Ok(see_other("/login?next=/profile"))
}

pub async fn admin_cities(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let cities = state.store.cities().await?;
    page(
        &state,
        &visitor,
        "admin_cities.html",
        context! { cities => cities },
    )
}

fn city_form(
    state: &AppState,
    visitor: &Visitor,
    input: &CityInput,
    is_new: bool,
    errors: &FieldErrors,
) -> Html<String> {
    render(
        state,
        visitor,
        "admin_city_form.html",
        context! {
            form => input,
            is_new => is_new,
            errors => errors_map(errors),
            statuses => MembershipStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        },
    )
}

pub async fn new_city_form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let input = CityInput {
        status: "member".into(),
        ..Default::default()
    };
    Ok(city_form(&state, &visitor, &input, true, &FieldErrors::default()).into_response())
}

pub async fn edit_city_form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(code): Path<String>,
) -> PageResult {
    let code = CityCode::parse(&code).map_err(|_| AppError::NotFound)?;
    let city = state.store.city(&code).await?.ok_or(AppError::NotFound)?;
    Ok(city_form(
        &state,
        &visitor,
        &CityInput::from(&city),
        false,
        &FieldErrors::default(),
    )
    .into_response())
}

/// Saves a city from the form; a bad form comes back with what was typed and the errors.
async fn save_city_form(
    state: &AppState,
    visitor: &Visitor,
    input: CityInput,
    existing: Option<CityCode>,
) -> PageResult {
    let is_new = existing.is_none();
    let mut result = input.parse();
    if let Ok(city) = &result {
        let mut errors = FieldErrors::default();
        if is_new && state.store.city(&city.code).await?.is_some() {
            errors.add("code", "error-city-exists");
        }
        if existing.as_ref().is_some_and(|code| *code != city.code) {
            errors.add("code", "error-city-code-fixed");
        }
        if !errors.is_empty() {
            result = Err(errors);
        }
    }
    match result {
        Ok(city) => {
            state.store.save_city(&visitor.actor(), &city).await?;
            Ok(see_other(&format!("/cities/{}", city.code)))
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            city_form(state, visitor, &input, is_new, &errors),
        )
            .into_response()),
    }
}

pub async fn create_city(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(input): CsrfForm<CityInput>,
) -> PageResult {
    save_city_form(&state, &visitor, input, None).await
}

pub async fn update_city(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(code): Path<String>,
    CsrfForm(input): CsrfForm<CityInput>,
) -> PageResult {
    let code = CityCode::parse(&code).map_err(|_| AppError::NotFound)?;
    state.store.city(&code).await?.ok_or(AppError::NotFound)?;
    save_city_form(&state, &visitor, input, Some(code)).await
}

pub async fn admin_bodies(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let bodies = state.store.bodies().await?;
    page(
        &state,
        &visitor,
        "admin_bodies.html",
        context! { bodies => bodies },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ImportInput {
    csv: String,
}

pub async fn import_bodies(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(input): CsrfForm<ImportInput>,
) -> PageResult {
    match parse_bodies_csv("CSV", &input.csv) {
        Ok(bodies) => {
            let changed = state.store.save_bodies(&visitor.actor(), &bodies).await?;
            let bodies = state.store.bodies().await?;
            page(
                &state,
                &visitor,
                "admin_bodies.html",
                context! { bodies => bodies, imported => changed },
            )
        }
        Err(error) => {
            let bodies = state.store.bodies().await?;
            let html = render(
                &state,
                &visitor,
                "admin_bodies.html",
                context! { bodies => bodies, csv => input.csv, import_error => error.to_string() },
            );
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

async fn people_page(
    state: &AppState,
    visitor: &Visitor,
    extra: Value,
) -> Result<Html<String>, AppError> {
    let people = state.store.people().await?;
    let cities = state.store.cities().await?;
    let bodies = state.store.bodies().await?;
    let ctx = context! {
        people => people,
        cities => cities,
        bodies => bodies,
        roles => Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        positions => Position::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
    };
    Ok(render(
        state,
        visitor,
        "admin_people.html",
        context! { ..extra, ..ctx },
    ))
}

pub async fn admin_people(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    Ok(people_page(
        &state,
        &visitor,
        context! { form => PersonInput::default() },
    )
    .await?
    .into_response())
}

/// How long an invitation link stays valid.
const INVITATION_LIFETIME: time::Duration = time::Duration::days(7);

pub async fn create_person(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(input): CsrfForm<PersonInput>,
) -> PageResult {
    let draft = match input.parse() {
        Ok(draft) => draft,
        Err(errors) => {
            let html = people_page(
                &state,
                &visitor,
                context! { form => input, errors => errors_map(&errors) },
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
        }
    };
    let id = match state
        .store
        .create_person(&visitor.actor(), &draft, None)
        .await
    {
        Ok(id) => id,
        Err(megapolis_storage::StorageError::Conflict(_)) => {
            let mut errors = FieldErrors::default();
            errors.add("email", "error-email-taken");
            let html = people_page(
                &state,
                &visitor,
                context! { form => input, errors => errors_map(&errors) },
            )
            .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
        }
        Err(e) => return Err(e.into()),
    };
    let token = new_token();
    state
        .store
        .create_invitation(
            &visitor.actor(),
            id,
            &token_hash(&token),
            INVITATION_LIFETIME,
        )
        .await?;
    let link = format!("/invitation/{token}");
    Ok(people_page(&state, &visitor, context! { form => PersonInput::default(), invitation => link, invited => draft.email.to_string() })
        .await?
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AuditQuery {
    entity: String,
    entity_id: String,
    actor: String,
}

pub async fn admin_audit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(query): Query<AuditQuery>,
) -> PageResult {
    let filter = AuditFilter {
        entity: query.entity.trim().to_string(),
        entity_id: query.entity_id.trim().to_string(),
        actor: query.actor.trim().to_string(),
        limit: 200,
    };
    let records = state.store.audit_records(&filter).await?;
    let records: Vec<Value> = records
        .into_iter()
        .map(|r| {
            context! {
                id => r.id, at => r.entry.at, actor => r.entry.actor, action => r.entry.action,
                entity => r.entry.entity, entity_id => r.entry.entity_id,
                before => r.entry.before.map(|v| v.to_string()), after => r.entry.after.map(|v| v.to_string()),
            }
        })
        .collect();
    page(
        &state,
        &visitor,
        "admin_audit.html",
        context! { records => records, filter => context! { entity => filter.entity, entity_id => filter.entity_id, actor => filter.actor } },
    )
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({"status": "ok", "database": state.store.backend()})),
        )
            .into_response(),
        Err(e) => {
            tracing::warn!("health check: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"status": "unavailable"})),
            )
                .into_response()
        }
    }
}

//! The portal's pages: each handler parses, calls the store, renders one template.
use crate::auth::new_token;
use crate::auth::token_hash;
use crate::auth::Visitor;
use crate::error::AppError;
use crate::forms::CsrfForm;
use crate::render::errors_map;
use crate::render::page;
use crate::render::render;
use crate::render::see_other;
use crate::render::with_done;
use crate::render::PageResult;
use crate::state::AppState;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Extension;
use megapolis_domain::body::parse_bodies_csv;
use megapolis_domain::city::CityInput;
use megapolis_domain::person::PersonInput;
use megapolis_domain::CityCode;
use megapolis_domain::FieldErrors;
use megapolis_domain::MembershipStatus;
use megapolis_domain::Position;
use megapolis_domain::Role;
use megapolis_storage::audit::AuditFilter;
use minijinja::context;
use minijinja::value::Value;
use serde::Deserialize;
use std::collections::BTreeMap;

pub async fn admin_cities(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let cities = state.store.org().cities().await?;
    page(
        &state,
        &visitor,
        "admin_cities.html",
        context! { cities => cities },
    )
    .await
}

pub(crate) async fn city_form(
    state: &AppState,
    visitor: &Visitor,
    input: &CityInput,
    is_new: bool,
    errors: &FieldErrors,
) -> axum::response::Response {
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
    .await
}

pub async fn new_city_form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let input = CityInput {
        status: "member".into(),
        ..Default::default()
    };
    Ok(
        city_form(&state, &visitor, &input, true, &FieldErrors::default())
            .await
            .into_response(),
    )
}

pub async fn edit_city_form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(code): Path<String>,
) -> PageResult {
    let city = crate::org::find_city(&state, &code).await?;
    Ok(city_form(
        &state,
        &visitor,
        &CityInput::from(&city),
        false,
        &FieldErrors::default(),
    )
    .await
    .into_response())
}

/// Saves a city from the form; a bad form comes back with what was typed and the errors.
pub(crate) async fn save_city_form(
    state: &AppState,
    visitor: &Visitor,
    input: CityInput,
    existing: Option<CityCode>,
) -> PageResult {
    let is_new = existing.is_none();
    let mut result = input.parse();
    if let Ok(city) = &result {
        let mut errors = FieldErrors::default();
        if is_new && state.store.org().city(&city.code).await?.is_some() {
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
            state.store.org().save_city(&visitor.actor(), &city).await?;
            Ok(see_other(&with_done(
                &format!("/cities/{}", city.code),
                "saved",
            )))
        }
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            city_form(state, visitor, &input, is_new, &errors).await,
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
    let city = crate::org::find_city(&state, &code).await?;
    save_city_form(&state, &visitor, input, Some(city.code)).await
}

pub async fn admin_bodies(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let bodies = state.store.org().bodies().await?;
    page(
        &state,
        &visitor,
        "admin_bodies.html",
        context! { bodies => bodies },
    )
    .await
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
            let changed = state
                .store
                .org()
                .save_bodies(&visitor.actor(), &bodies)
                .await?;
            let bodies = state.store.org().bodies().await?;
            page(
                &state,
                &visitor,
                "admin_bodies.html",
                context! { bodies => bodies, imported => changed },
            )
            .await
        }
        Err(error) => {
            let bodies = state.store.org().bodies().await?;
            let html = render(
                &state,
                &visitor,
                "admin_bodies.html",
                context! { bodies => bodies, csv => input.csv, import_error => error.to_string() },
            )
            .await;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

/// The labels of the person form's fields, for its error summary.
const PERSON_LABELS: &[(&str, &str)] = &[
    ("name", "field-name"),
    ("email", "field-email"),
    ("role", "field-role"),
    ("city", "field-city"),
    ("body", "field-body"),
    ("position", "field-position"),
];

/// What the people list and the person forms show: the directory for the pickers, the roles
/// and positions.
async fn people_context(state: &AppState) -> Result<Value, AppError> {
    let cities = state.store.org().cities().await?;
    let bodies = state.store.org().bodies().await?;
    Ok(context! {
        cities_by_code => cities.iter().map(|c| (c.code.as_str(), c)).collect::<BTreeMap<_, _>>(),
        bodies_by_id => bodies.iter().map(|b| (b.id.as_str(), b)).collect::<BTreeMap<_, _>>(),
        cities => cities,
        bodies => bodies,
        roles => Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        positions => Position::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        labels => PERSON_LABELS.iter().copied().collect::<BTreeMap<_, _>>(),
    })
}

pub(crate) async fn people_page(
    state: &AppState,
    visitor: &Visitor,
    extra: Value,
) -> Result<axum::response::Response, AppError> {
    let people = state.store.accounts().people().await?;
    let ctx = context! {
        people => people,
        user_id => visitor.person.as_ref().map(|p| p.id),
        ..people_context(state).await?
    };
    Ok(render(
        state,
        visitor,
        "admin_people.html",
        context! { ..extra, ..ctx },
    )
    .await)
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
pub(crate) const INVITATION_LIFETIME: time::Duration = time::Duration::days(7);

/// The field errors of a person the store refused: an e-mail already used, or a city or body
/// that left the directory meanwhile.
fn person_refusal(error: megapolis_storage::StorageError) -> Result<FieldErrors, AppError> {
    let mut errors = FieldErrors::default();
    match error {
        megapolis_storage::StorageError::Conflict(_) => errors.add("email", "error-email-taken"),
        megapolis_storage::StorageError::NotFound(what) if what.starts_with("city") => {
            errors.add("city", "error-city-code")
        }
        megapolis_storage::StorageError::NotFound(what) if what.starts_with("body") => {
            errors.add("body", "error-choice")
        }
        other => return Err(other.into()),
    }
    Ok(errors)
}

pub async fn create_person(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    CsrfForm(input): CsrfForm<PersonInput>,
) -> PageResult {
    let refused = |errors: FieldErrors| {
        let (state, visitor, input) = (&state, &visitor, &input);
        async move {
            let html = people_page(
                state,
                visitor,
                context! { form => input, errors => errors_map(&errors) },
            )
            .await?;
            Ok::<_, AppError>((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    };
    let draft = match input.parse() {
        Ok(draft) => draft,
        Err(errors) => return refused(errors).await,
    };
    let id = match state
        .store
        .accounts()
        .create_person(&visitor.actor(), &draft, None)
        .await
    {
        Ok(id) => id,
        Err(e) => return refused(person_refusal(e)?).await,
    };
    let token = new_token();
    state
        .store
        .accounts()
        .create_invitation(
            &visitor.actor(),
            id,
            &token_hash(&token),
            INVITATION_LIFETIME,
        )
        .await?;
    let link = state.absolute_url(&format!("/invitation/{token}"));
    Ok(people_page(&state, &visitor, context! { form => PersonInput::default(), invitation => link, invited => draft.email.to_string() })
        .await?
        .into_response())
}

async fn person_form(
    state: &AppState,
    visitor: &Visitor,
    person: &megapolis_domain::Person,
    form: &PersonInput,
    errors: &FieldErrors,
) -> Result<axum::response::Response, AppError> {
    Ok(render(
        state,
        visitor,
        "admin_person_form.html",
        context! {
            person => person,
            form => form,
            errors => errors_map(errors),
            ..people_context(state).await?
        },
    )
    .await)
}

async fn person_or_404(state: &AppState, id: i64) -> Result<megapolis_domain::Person, AppError> {
    state
        .store
        .accounts()
        .person(id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn edit_person_form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
) -> PageResult {
    let person = person_or_404(&state, id).await?;
    let form = PersonInput::from(&person);
    Ok(
        person_form(&state, &visitor, &person, &form, &FieldErrors::default())
            .await?
            .into_response(),
    )
}

pub async fn update_person(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<PersonInput>,
) -> PageResult {
    let person = person_or_404(&state, id).await?;
    let result = match input.parse() {
        Ok(draft) => state
            .store
            .accounts()
            .update_person(&visitor.actor(), id, &draft)
            .await
            .map_err(person_refusal),
        Err(errors) => Err(Ok(errors)),
    };
    match result {
        Ok(()) => Ok(see_other(&with_done(
            &format!("/admin/people#person-{id}"),
            "saved",
        ))),
        Err(errors) => {
            let html = person_form(&state, &visitor, &person, &input, &errors?).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct ActiveInput {
    active: String,
}

/// Deactivates a person (their sessions end, their tokens stop working) or reactivates them;
/// never the administrator themself, who would lock the door behind them.
pub async fn set_person_active(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<ActiveInput>,
) -> PageResult {
    let active = match input.active.as_str() {
        "1" => true,
        "0" => false,
        _ => {
            return Err(AppError::BadRequest(
                "the field `active` must be 1 or 0".into(),
            ))
        }
    };
    if visitor.person.as_ref().is_some_and(|p| p.id == id) {
        return Err(AppError::BadRequest(
            "you cannot deactivate your own account".into(),
        ));
    }
    person_or_404(&state, id).await?;
    state
        .store
        .accounts()
        .set_active(&visitor.actor(), id, active)
        .await?;
    Ok(see_other(&with_done(
        &format!("/admin/people#person-{id}"),
        if active { "activated" } else { "deactivated" },
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AuditQuery {
    entity: String,
    entity_id: String,
    actor: String,
    /// The id below which the next page starts.
    before: String,
}

/// How many audit records a page shows.
const AUDIT_PAGE: i64 = 100;

/// The entities the audit log names, for the filter's choices.
const AUDIT_ENTITIES: &[&str] = &[
    "association",
    "city",
    "body",
    "person",
    "api-token",
    "decision",
    "assignment",
    "file",
    "job",
];

/// A JSON value as a cell shows it: strings without quotes, nothing for null.
fn shown(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// The fields a record changed, `(field, before, after)`: for objects, each field whose value
/// differs; otherwise the whole value.
fn changed_fields(
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Vec<(String, String, String)> {
    let object = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_object()).cloned();
    match (object(before), object(after)) {
        (b, a) if b.is_some() || a.is_some() => {
            let (b, a) = (b.unwrap_or_default(), a.unwrap_or_default());
            let mut fields: Vec<&String> = b.keys().chain(a.keys()).collect();
            fields.sort();
            fields.dedup();
            fields
                .into_iter()
                .filter(|f| b.get(*f) != a.get(*f))
                .map(|f| (f.clone(), shown(b.get(f)), shown(a.get(f))))
                .collect()
        }
        _ if before.is_some() || after.is_some() => {
            vec![(String::new(), shown(before), shown(after))]
        }
        _ => Vec::new(),
    }
}

/// The audit log as a person reads it: translated actions and entities, times without seconds,
/// the fields each record changed laid out as before and after, filters and pages.
pub async fn admin_audit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(query): Query<AuditQuery>,
) -> PageResult {
    let filter = AuditFilter {
        entity: query.entity.trim().to_string(),
        entity_id: query.entity_id.trim().to_string(),
        actor: query.actor.trim().to_string(),
        limit: AUDIT_PAGE,
        before_id: query.before.trim().parse().ok(),
    };
    let records = state.store.audit().records(&filter).await?;
    let lang = visitor.lang;
    let i18n = &state.i18n;
    let next_page = (records.len() as i64 == AUDIT_PAGE)
        .then(|| records.last().map(|r| r.id))
        .flatten();
    let rows: Vec<Value> = records
        .into_iter()
        .map(|r| {
            let fields = changed_fields(r.entry.before.as_ref(), r.entry.after.as_ref());
            context! {
                id => r.id,
                at => r.entry.at,
                at_text => crate::dates::moment(&r.entry.at, visitor.lang),
                actor => r.entry.actor,
                action => i18n.get_or(lang, &format!("audit-action-{}", r.entry.action), &r.entry.action),
                entity => i18n.get_or(lang, &format!("audit-entity-{}", r.entry.entity), &r.entry.entity),
                entity_id => r.entry.entity_id,
                fields => fields.into_iter().map(|(field, before, after)| context! { field, before, after }).collect::<Vec<_>>(),
            }
        })
        .collect();
    let entities: Vec<Value> = AUDIT_ENTITIES
        .iter()
        .map(|code| context! { code => code, name => i18n.get_or(lang, &format!("audit-entity-{code}"), code) })
        .collect();
    page(
        &state,
        &visitor,
        "admin_audit.html",
        context! {
            records => rows,
            entities => entities,
            next_page => next_page,
            filter => context! { entity => filter.entity, entity_id => filter.entity_id, actor => filter.actor },
        },
    )
    .await
}

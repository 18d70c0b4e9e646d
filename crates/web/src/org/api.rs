//! The JSON API under `/api/v1`. Its types are separate from the domain's so the published shape
//! changes only on purpose; the OpenAPI document is generated from these declarations.
use crate::api::ApiError;
use crate::api::{fail, invalid, ApiResult};
use axum::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Extension;
use axum::Json;

use crate::auth::Visitor;
use crate::error::AppError;
use crate::state::AppState;
use megapolis_domain::body::BodyInput;
use megapolis_domain::city::CityInput;
use megapolis_domain::Body;
use megapolis_domain::City;
use serde::Deserialize;
use serde::Serialize;
use utoipa::ToSchema;

/// A member city.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ApiCity {
    /// Lowercase slug, e.g. `moscow`.
    pub code: String,
    pub name_ru: String,
    pub name_en: String,
    /// ISO 3166-1 alpha-2.
    pub country_code: String,
    pub country_ru: String,
    pub country_en: String,
    pub population: Option<i64>,
    /// member | observer | suspended | former
    pub status: String,
    /// ISO date.
    pub member_since: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl From<City> for ApiCity {
    fn from(c: City) -> ApiCity {
        ApiCity {
            code: c.code.to_string(),
            name_ru: c.name_ru,
            name_en: c.name_en,
            country_code: c.country_code,
            country_ru: c.country_ru,
            country_en: c.country_en,
            population: c.population,
            status: c.status.as_str().into(),
            member_since: c.member_since.map(|d| d.to_string()),
            latitude: c.latitude,
            longitude: c.longitude,
        }
    }
}

impl ApiCity {
    fn to_input(&self) -> CityInput {
        let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        CityInput {
            code: self.code.clone(),
            name_ru: self.name_ru.clone(),
            name_en: self.name_en.clone(),
            country_code: self.country_code.clone(),
            country_ru: self.country_ru.clone(),
            country_en: self.country_en.clone(),
            population: self.population.map(|p| p.to_string()).unwrap_or_default(),
            status: self.status.clone(),
            member_since: self.member_since.clone().unwrap_or_default(),
            latitude: number(self.latitude),
            longitude: number(self.longitude),
        }
    }
}

/// A body of the association or a partner.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ApiBody {
    pub id: String,
    /// board | president | council | commission | secretariat | partner | university | member-group
    pub kind: String,
    pub name_ru: String,
    pub name_en: String,
    pub short_ru: String,
    pub short_en: String,
}

impl From<Body> for ApiBody {
    fn from(b: Body) -> ApiBody {
        let input = BodyInput::from(&b);
        ApiBody {
            id: input.id,
            kind: input.kind,
            name_ru: input.name_ru,
            name_en: input.name_en,
            short_ru: input.short_ru,
            short_en: input.short_en,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/cities", tag = "cities", responses((status = 200, body = Vec<ApiCity>)))]
pub async fn list_cities(State(state): State<AppState>) -> ApiResult {
    let cities = state.store.org().cities().await.map_err(fail)?;
    Ok(Json(cities.into_iter().map(ApiCity::from).collect::<Vec<_>>()).into_response())
}

#[utoipa::path(get, path = "/api/v1/cities/{code}", tag = "cities",
    params(("code" = String, Path, description = "city code")),
    responses((status = 200, body = ApiCity), (status = 404, body = ApiError)))]
pub async fn get_city(State(state): State<AppState>, Path(code): Path<String>) -> ApiResult {
    let city = super::find_city(&state, &code).await.map_err(fail)?;
    Ok(Json(ApiCity::from(city)).into_response())
}

#[utoipa::path(post, path = "/api/v1/cities", tag = "cities", request_body = ApiCity,
    security(("bearer" = [])),
    responses((status = 201, body = ApiCity), (status = 401, body = ApiError), (status = 403, body = ApiError),
               (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create_city(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Json(body): Json<ApiCity>,
) -> ApiResult {
    let city = body.to_input().parse().map_err(invalid)?;
    if state
        .store
        .org()
        .city(&city.code)
        .await
        .map_err(fail)?
        .is_some()
    {
        return Err(fail(megapolis_storage::StorageError::Conflict(format!(
            "city {} exists",
            city.code
        ))));
    }
    state
        .store
        .org()
        .save_city(&visitor.actor(), &city)
        .await
        .map_err(fail)?;
    Ok((StatusCode::CREATED, Json(ApiCity::from(city))).into_response())
}

#[utoipa::path(put, path = "/api/v1/cities/{code}", tag = "cities", request_body = ApiCity,
    params(("code" = String, Path, description = "city code")),
    security(("bearer" = [])),
    responses((status = 200, body = ApiCity), (status = 401, body = ApiError), (status = 403, body = ApiError),
               (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update_city(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(code): Path<String>,
    Json(body): Json<ApiCity>,
) -> ApiResult {
    let code = super::find_city(&state, &code).await.map_err(fail)?.code;
    let city = body.to_input().parse().map_err(invalid)?;
    if city.code != code {
        return Err(fail(AppError::BadRequest(
            "the code in the body differs from the URL".into(),
        )));
    }
    state
        .store
        .org()
        .save_city(&visitor.actor(), &city)
        .await
        .map_err(fail)?;
    Ok(Json(ApiCity::from(city)).into_response())
}

#[utoipa::path(get, path = "/api/v1/bodies", tag = "bodies", responses((status = 200, body = Vec<ApiBody>)))]
pub async fn list_bodies(State(state): State<AppState>) -> ApiResult {
    let bodies = state.store.org().bodies().await.map_err(fail)?;
    Ok(Json(bodies.into_iter().map(ApiBody::from).collect::<Vec<_>>()).into_response())
}

#[utoipa::path(get, path = "/api/v1/bodies/{id}", tag = "bodies",
    params(("id" = String, Path, description = "body id")),
    responses((status = 200, body = ApiBody), (status = 404, body = ApiError)))]
pub async fn get_body(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
    let body = super::find_body(&state, &id).await.map_err(fail)?;
    Ok(Json(ApiBody::from(body)).into_response())
}

#[utoipa::path(post, path = "/api/v1/bodies", tag = "bodies", request_body = ApiBody,
    security(("bearer" = [])),
    responses((status = 200, body = ApiBody), (status = 401, body = ApiError), (status = 403, body = ApiError),
               (status = 422, body = ApiError)))]
pub async fn save_body(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Json(body): Json<ApiBody>,
) -> ApiResult {
    let input = BodyInput {
        id: body.id,
        kind: body.kind,
        name_ru: body.name_ru,
        name_en: body.name_en,
        short_ru: body.short_ru,
        short_en: body.short_en,
    };
    let parsed = input.parse().map_err(invalid)?;
    state
        .store
        .org()
        .save_bodies(&visitor.actor(), std::slice::from_ref(&parsed))
        .await
        .map_err(fail)?;
    Ok(Json(ApiBody::from(parsed)).into_response())
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(
        list_cities,
        get_city,
        create_city,
        update_city,
        list_bodies,
        get_body,
        save_body
    ),
    components(schemas(ApiCity, ApiBody))
)]
pub(crate) struct Api;

/// This capability's part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    <Api as utoipa::OpenApi>::openapi()
}

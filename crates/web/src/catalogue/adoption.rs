//! Replication on the portal and in the API: a city representative records their own city's
//! adoption of a solution, the Secretariat any city's. Page and API share [`record`].
use super::api::visible;
use crate::api::{fail, ApiError, ApiResult};
use crate::auth::Visitor;
use crate::error::AppError;
use crate::forms::CsrfForm;
use crate::render::{see_other, signed_in, with_done, PageResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Extension, Json};
use megapolis_catalogue::adoption::iso;
use megapolis_catalogue::{AdoptionInput, AdoptionRecord};
use megapolis_domain::{CityCode, Role};
use megapolis_storage::StorageError;
use serde::Serialize;
use utoipa::ToSchema;

/// An adoption as sent: `city` (a city code; a city representative may leave it empty for
/// their own city), `status` (`studying`, `piloting`, `in-operation`, `dropped`), `date`
/// (`YYYY-MM-DD`, since when) and a `note`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ApiAdoptionInput {
    city: String,
    status: String,
    date: String,
    note: String,
}

/// One status a city had, as recorded.
#[derive(Serialize, ToSchema)]
pub struct ApiAdoptionChange {
    pub status: String,
    pub date: String,
    pub note: String,
    pub recorded_at: String,
}

/// A city's adoption of a solution: its current status and its history, oldest first.
#[derive(Serialize, ToSchema)]
pub struct ApiAdoption {
    pub city: String,
    pub status: String,
    pub date: String,
    pub note: String,
    pub history: Vec<ApiAdoptionChange>,
}

impl From<&AdoptionRecord> for ApiAdoption {
    fn from(record: &AdoptionRecord) -> Self {
        ApiAdoption {
            city: record.current.city.clone(),
            status: record.current.status.as_str().into(),
            date: iso(record.current.date),
            note: record.current.note.clone(),
            history: record
                .history
                .iter()
                .map(|change| ApiAdoptionChange {
                    status: change.status.as_str().into(),
                    date: iso(change.date),
                    note: change.note.clone(),
                    recorded_at: change.recorded_at.clone(),
                })
                .collect(),
        }
    }
}

/// Records `input` for solution `id` if the visitor may: the Secretariat for any city, a city
/// representative for their own; returns the city's record as it now stands.
async fn record(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    mut input: AdoptionInput,
) -> Result<AdoptionRecord, AppError> {
    let person = signed_in(visitor)?;
    let solution = visible(state, visitor, id).await?;
    if person.role == Role::CityRep {
        let own = person.city.as_ref().map(CityCode::as_str);
        if input.city.trim().is_empty() {
            input.city = own.unwrap_or_default().to_string();
        }
        if own != Some(input.city.trim()) {
            return Err(AppError::Forbidden);
        }
    } else if !visitor.is_staff() {
        return Err(AppError::Forbidden);
    }
    let adoption = input
        .check()
        .map_err(|e| AppError::Unprocessable(e.to_string()))?;
    let catalogue = state.store.catalogue();
    match catalogue
        .record_adoption(&visitor.actor(), solution.id, &adoption)
        .await
    {
        Err(StorageError::NotFound(what)) if what.starts_with("city") => {
            return Err(AppError::Unprocessable(format!(
                "city: {what} is not in the directory of cities"
            )))
        }
        other => other?,
    }
    catalogue
        .adoptions(solution.id)
        .await?
        .into_iter()
        .find(|a| a.current.city == adoption.city)
        .ok_or(AppError::NotFound)
}

pub async fn page_record(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<AdoptionInput>,
) -> PageResult {
    record(&state, &visitor, id, input).await?;
    Ok(see_other(&with_done(
        &format!("/catalogue/{id}#adoptions"),
        "saved",
    )))
}

#[utoipa::path(post, path = "/api/v1/solutions/{id}/adoptions", tag = "catalogue",
    params(("id" = i64, Path)), request_body = ApiAdoptionInput,
    responses((status = 200, description = "The city's adoption as it now stands", body = ApiAdoption),
        (status = 403, description = "A city representative for another city", body = ApiError),
        (status = 404, body = ApiError), (status = 422, body = ApiError)),
    security(("bearer" = [])))]
pub async fn api_record(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Json(input): Json<AdoptionInput>,
) -> ApiResult {
    let record = record(&state, &visitor, id, input).await.map_err(fail)?;
    Ok((StatusCode::OK, Json(ApiAdoption::from(&record))).into_response())
}

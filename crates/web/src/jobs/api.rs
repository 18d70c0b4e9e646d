//! `GET /api/v1/jobs/{id}`: how a job is going, for the staff who asked for it.
use crate::api::{fail, ApiError, ApiResult};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use axum::Json;
use megapolis_storage::jobs::{Job, JobState};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// Where a job is: waiting, being run, done, or failed with its attempts spent.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ApiJobState {
    Queued,
    Running,
    Done,
    Failed,
}

impl From<JobState> for ApiJobState {
    fn from(state: JobState) -> ApiJobState {
        match state {
            JobState::Queued => ApiJobState::Queued,
            JobState::Running => ApiJobState::Running,
            JobState::Done => ApiJobState::Done,
            JobState::Failed => ApiJobState::Failed,
        }
    }
}

/// A background job.
#[derive(Serialize, ToSchema)]
pub struct ApiJob {
    id: i64,
    /// What it does, e.g. `reminders`.
    kind: String,
    state: ApiJobState,
    /// How far the current attempt is, in percent.
    #[schema(maximum = 100)]
    progress: u8,
    /// Why the last attempt failed; null once the job is done.
    error: Option<String>,
    /// What the job produced, once done.
    #[schema(value_type = Option<Object>)]
    result: Option<Value>,
}

impl From<Job> for ApiJob {
    fn from(job: Job) -> ApiJob {
        ApiJob {
            id: job.id,
            kind: job.kind,
            state: job.state.into(),
            progress: job.progress,
            error: job.error,
            result: job.result,
        }
    }
}

/// One job: its state, progress, last error and result. Administrators and the Secretariat.
#[utoipa::path(get, path = "/api/v1/jobs/{id}", tag = "jobs",
    params(("id" = i64, Path, description = "job id")),
    responses((status = 200, body = ApiJob), (status = 401, body = ApiError),
        (status = 403, body = ApiError), (status = 404, body = ApiError)),
    security(("bearer" = [])))]
pub async fn get_job(State(state): State<AppState>, Path(id): Path<String>) -> ApiResult {
    // A non-numeric id names no job, as on the other API routes.
    let id: i64 = id.parse().map_err(|_| fail(AppError::NotFound))?;
    let job = state
        .store
        .jobs()
        .get(id)
        .await
        .map_err(fail)?
        .ok_or_else(|| fail(AppError::NotFound))?;
    Ok(Json(ApiJob::from(job)).into_response())
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(get_job), components(schemas(ApiJob, ApiJobState)))]
struct Api;

pub fn openapi() -> utoipa::openapi::OpenApi {
    <Api as utoipa::OpenApi>::openapi()
}

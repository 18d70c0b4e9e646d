//! Assignment pages and API: the list with the dashboard's drill-down filters, one assignment
//! with its timeline and the actions its visitor may take, and the action endpoint. The rules
//! live in `megapolis_assignments::workflow`; a refusal comes back translated beside the forms.
use crate::assignments::pages::load;
use crate::assignments::pages::ActionInput;
use crate::assignments::pages::ListQuery;
use crate::assignments::views::{PublicAssignment, StaffAssignment};
use crate::auth::Visitor;
use crate::error::AppError;
use crate::render::signed_in;
use crate::state::today;
use crate::state::AppState;
use axum::extract::Path;
use axum::extract::Query;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::response::Response;
use axum::Extension;
use axum::Json;

// ---- API ----

/// Assignments matching the dashboard's filters; the public sees those of published decisions.
#[utoipa::path(get, path = "/api/v1/assignments", params(ListQuery),
    responses((status = 200, description = "Assignments: the public view for anonymous callers, the staff view (without timelines) for signed-in ones", body = [PublicAssignment]), (status = 400, description = "A bad filter")))]
pub async fn api_list(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Query(query): Query<ListQuery>,
) -> Response {
    let result = async {
        let filter = query.filter_for(&visitor)?;
        Ok::<_, AppError>(state.store.assignments().list(&filter, today()).await?)
    }
    .await;
    match result {
        Ok(list) if visitor.person.is_none() => {
            Json(list.iter().map(PublicAssignment::of).collect::<Vec<_>>()).into_response()
        }
        Ok(list) => Json(
            list.iter()
                .map(|a| StaffAssignment::of(a, None))
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => e.into_json(),
    }
}

/// One assignment; signed-in callers also get its timeline.
#[utoipa::path(get, path = "/api/v1/assignments/{id}", params(("id" = i64, Path, description = "Assignment id")),
    responses((status = 200, description = "The assignment: the public view for anonymous callers, the staff view with its timeline for signed-in ones", body = StaffAssignment), (status = 404, description = "No such assignment")))]
pub async fn api_get(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
) -> Response {
    let result = async {
        let assignment = load(&state, &visitor, id).await?;
        Ok::<_, AppError>(match visitor.person {
            Some(_) => {
                let timeline = state.store.assignments().events(id).await?;
                Json(StaffAssignment::of(&assignment, Some(&timeline))).into_response()
            }
            None => Json(PublicAssignment::of(&assignment)).into_response(),
        })
    }
    .await;
    match result {
        Ok(response) => response,
        Err(e) => e.into_json(),
    }
}

/// Takes an action on an assignment as the caller. The workflow decides: 403 when the caller's
/// bodies do not allow it, 409 when the state does not, 422 when a field is wrong.
#[utoipa::path(post, path = "/api/v1/assignments/{id}/actions", request_body = ActionInput,
    params(("id" = i64, Path, description = "Assignment id")),
    responses((status = 200, description = "Done: the new state"), (status = 403, description = "Not the caller's to do"),
        (status = 409, description = "Not in this state"), (status = 422, description = "A field is wrong")),
    security(("bearer" = [])))]
pub async fn api_act(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<i64>,
    Json(input): Json<ActionInput>,
) -> Response {
    let result = async {
        let person = signed_in(&visitor)?;
        load(&state, &visitor, id).await?;
        let action = input
            .parse()
            .map_err(|bad| AppError::Unprocessable(bad.message))?;
        Ok::<_, AppError>(
            state
                .store
                .assignments()
                .act(id, person, &action, &[], today())
                .await?,
        )
    }
    .await;
    match result {
        Ok(done) => Json(serde_json::json!({
            "state": done.state,
            "event_id": done.event_id,
            "next_occurrence": done.next_occurrence,
        }))
        .into_response(),
        Err(e) => e.into_json(),
    }
}

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(api_list, api_get, api_act),
    components(schemas(
        PublicAssignment,
        StaffAssignment,
        crate::assignments::pages::ActionInput
    ))
)]
pub(crate) struct Api;

/// This capability's part of the OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    <Api as utoipa::OpenApi>::openapi()
}

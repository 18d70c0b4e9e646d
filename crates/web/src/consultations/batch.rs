//! The Secretariat imports a batch of submissions from CSV or XLSX (all or nothing: the page lists
//! every refused cell by row and column), and a participant changes their own submission from
//! "my submissions" while the consultation is open and before the Council considered it.
use super::api::consultation;
use super::generalise::{pick, refused_page};
use crate::auth::Visitor;
use crate::error::AppError;
use crate::forms::{CsrfForm, CsrfMultipart};
use crate::render::{message, render, see_other, signed_in, with_done, Message, PageResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Extension;
use megapolis_consultations::edit::EditRefusal;
use megapolis_consultations::import::{submissions, ImportError, Table};
use megapolis_consultations::{Refusal, SubmissionInput};
use megapolis_domain::FieldErrors;
use megapolis_storage::consultations::{BatchRefusal, Consultation};
use minijinja::context;

/// The largest table accepted: a few thousand rows of long letters.
pub const IMPORT_BYTES: usize = 16 * 1024 * 1024;

/// A row's refusal as the page says it: `row N, column C: …`.
fn row_message(row: usize, column: &str, key: &str) -> minijinja::Value {
    context! { row => row, column => column, key => key }
}

fn refusal_key(refusal: &Refusal) -> &'static str {
    match refusal {
        Refusal::Closed => "consultations-refused-closed",
        Refusal::UnknownCity(_) => "consultations-refused-city",
        Refusal::NotYourCity => "consultations-refused-not-your-city",
    }
}

/// A refused batch: the page lists every refused cell; nothing was saved.
async fn import_refused(
    state: &AppState,
    visitor: &Visitor,
    found: &Consultation,
    refusal: Message,
    rows: Vec<minijinja::Value>,
) -> PageResult {
    let html = render(
        state,
        visitor,
        "consultation-refused.html",
        context! {
            consultation => context! { id => found.id, title => pick(visitor.lang, &found.title_ru, &found.title_en) },
            refusal => refusal,
            rows => rows,
        },
    )
    .await;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

pub async fn import(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    form: CsrfMultipart,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let found = consultation(&state, &id).await?;
    let file = form.files_of("file");
    let refused = |message: Message, rows: Vec<minijinja::Value>| {
        import_refused(&state, &visitor, &found, message, rows)
    };
    let Some(file) = file.first() else {
        return refused(message("consultations-import-no-file", ""), Vec::new()).await;
    };
    let parsed = Table::read(&file.content).and_then(|table| submissions(&table));
    let batch = match parsed {
        Ok(batch) => batch,
        Err(ImportError::Cells(cells)) => {
            let rows = cells
                .iter()
                .map(|c| row_message(c.row, c.column, c.key))
                .collect();
            return refused(message("consultations-import-refused", ""), rows).await;
        }
        Err(other) => {
            return refused(
                message("consultations-import-unreadable", other.to_string()),
                Vec::new(),
            )
            .await
        }
    };
    match state
        .store
        .consultations()
        .submit_batch(person, found.id, &batch)
        .await?
    {
        Ok(_) => {
            super::embeddings::queue(&state, found.id, &visitor.actor()).await;
            Ok(see_other(&with_done(
                &format!("/consultations/{}", found.id),
                "created",
            )))
        }
        Err(BatchRefusal::Closed) => {
            refused(message("consultations-refused-closed", ""), Vec::new()).await
        }
        Err(BatchRefusal::Rows(rows)) => {
            let rows = rows
                .iter()
                .map(|(row, refusal)| row_message(*row, "city", refusal_key(refusal)))
                .collect();
            refused(message("consultations-import-refused", ""), rows).await
        }
    }
}

pub async fn edit(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, sid)): Path<(String, String)>,
    CsrfForm(input): CsrfForm<SubmissionInput>,
) -> PageResult {
    let person = signed_in(&visitor)?;
    let found = consultation(&state, &id).await?;
    let sid: i64 = sid.trim().parse().map_err(|_| AppError::NotFound)?;
    let changed = match input.parse() {
        Ok(changed) => changed,
        Err(errors) => {
            return refused_page(
                &state,
                &visitor,
                &found,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                &errors,
            )
            .await
        }
    };
    match state
        .store
        .consultations()
        .edit_submission(person, found.id, sid, &changed)
        .await?
    {
        Ok(()) => {
            // The edited text is embedded again (its stored embedding was of the old text).
            super::embeddings::queue(&state, found.id, &visitor.actor()).await;
            Ok(see_other(&with_done(
                &format!("/consultations/mine#mine-{sid}"),
                "saved",
            )))
        }
        Err(refusal) => {
            let (status, key) = match refusal {
                EditRefusal::NotYours => (StatusCode::FORBIDDEN, "consultations-edit-not-yours"),
                EditRefusal::Closed => (StatusCode::CONFLICT, "consultations-refused-closed"),
                EditRefusal::Considered => (StatusCode::CONFLICT, "consultations-edit-considered"),
            };
            refused_page(
                &state,
                &visitor,
                &found,
                status,
                Some(message(key, "")),
                &FieldErrors::default(),
            )
            .await
        }
    }
}

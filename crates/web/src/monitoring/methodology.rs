//! The methodology editor of the Secretariat: an edition's year, titles and build specification,
//! and its framework node by node (criteria, sub-criteria, indicators with their questions),
//! while no campaign uses it and it is not published; then it is frozen and a new edition
//! starts as a copy. Every change goes through the same check as an upload
//! ([`EditionInput::parse`]), so what is saved computes; a refusal names the iMeta row and
//! column and saves nothing.
use super::api::{checked, visible_edition};
use crate::auth::Visitor;
use crate::error::AppError;
use crate::forms::CsrfForm;
use crate::render::{render, see_other, with_done, PageResult};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::Extension;
use megapolis_monitoring::{
    rename_data_column, AnswerType, EditError, Edition, EditionInput, InputError, MetaNode,
    MetaRow, MetaTable, Names, StateError,
};
use megapolis_storage::monitoring::EditionSummary;
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// An edition as the editor sees it: its files and whether it may change.
struct Editing {
    summary: EditionSummary,
    edition: Edition,
    table: MetaTable,
    /// Why it may not change, when it may not.
    frozen: Option<StateError>,
}

async fn editing(state: &AppState, visitor: &Visitor, id: &str) -> Result<Editing, AppError> {
    let summary = visible_edition(state, visitor, id).await?;
    let edition = state
        .store
        .monitoring()
        .edition(summary.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let in_use = state.store.campaigns().edition_in_use(summary.id).await?;
    let frozen = summary.state.edit(in_use).err();
    let table = MetaTable::read_csv(edition.meta())
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("a stored iMeta does not read: {e}")))?;
    Ok(Editing {
        summary,
        edition,
        table,
        frozen,
    })
}

fn frozen_key(reason: &StateError) -> &'static str {
    match reason {
        StateError::PublishedFrozen => "methodology-frozen-published",
        _ => "methodology-frozen-in-use",
    }
}

/// A refusal for the page: where (file, row, column, the node of that row) and why.
#[derive(Serialize)]
struct Refusal {
    file: &'static str,
    row: Option<usize>,
    column: Option<String>,
    node: Option<String>,
    message: String,
}

fn refusal(error: &InputError, table: &MetaTable) -> Refusal {
    // Row 1 is the header, so row r is node r - 2.
    let node = match error.part {
        megapolis_monitoring::InputPart::Meta => error
            .row
            .and_then(|r| r.checked_sub(2))
            .and_then(|k| table.rows().nth(k))
            .map(|(_, row)| row.get("iCode").to_string()),
        _ => None,
    };
    Refusal {
        file: error.part.as_str(),
        row: error.row,
        column: error.column.clone(),
        node,
        message: error.message.clone(),
    }
}

#[derive(Serialize)]
struct NodeRow {
    code: String,
    name: String,
    kind: String,
    parent: String,
    weight: String,
    answer_type: String,
    /// Indented by level, top first.
    depth: usize,
}

fn node_rows(table: &MetaTable, visitor: &Visitor) -> Vec<NodeRow> {
    let level = |row: &MetaRow<'_>| row.get("Level").parse::<usize>().ok();
    let top = table
        .rows()
        .filter_map(|(_, r)| level(&r))
        .max()
        .unwrap_or(1);
    // Named as the public pages name them.
    let names = Names::of_table(table);
    table
        .rows()
        .map(|(_, row)| NodeRow {
            code: row.get("iCode").to_string(),
            name: names.name(row.get("iCode"), visitor.lang).to_string(),
            kind: row.get("Type").to_string(),
            parent: row.get("Parent").to_string(),
            weight: row.get("Weight").to_string(),
            answer_type: row.get("answer_type").to_string(),
            depth: level(&row).map_or(0, |l| top.saturating_sub(l)),
        })
        .collect()
}

/// The editor's fields of the edition itself.
#[derive(Deserialize, Serialize, Default)]
pub struct EditionFields {
    #[serde(default)]
    year: String,
    #[serde(default)]
    title_ru: String,
    #[serde(default)]
    title_en: String,
    #[serde(default)]
    spec: String,
}

/// The status of a page answering a change: 409 when the methodology is frozen, 422 when the
/// change is refused, else 200.
fn status_of(editing: &Editing, refused: &Option<Refusal>, changing: bool) -> StatusCode {
    if changing && editing.frozen.is_some() {
        StatusCode::CONFLICT
    } else if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    }
}

async fn editor_page(
    state: &AppState,
    visitor: &Visitor,
    editing: &Editing,
    fields: Option<&EditionFields>,
    refused: Option<Refusal>,
) -> PageResult {
    let e = &editing.edition;
    let current = EditionFields {
        year: e.year().to_string(),
        title_ru: e.title_ru().to_string(),
        title_en: e.title_en().to_string(),
        spec: e.spec().to_string(),
    };
    let status = status_of(editing, &refused, fields.is_some());
    let html = render(
        state,
        visitor,
        "methodology_editor.html",
        context! {
            edition => context! { id => editing.summary.id, year => e.year(), title => visitor.lang.pick(e.title_ru(), e.title_en()), state => editing.summary.state.as_str() },
            fields => fields.unwrap_or(&current),
            nodes => node_rows(&editing.table, visitor),
            frozen => editing.frozen.as_ref().map(frozen_key),
            refused => refused,
            copy => context! { year => e.year() + 1, title_ru => e.title_ru(), title_en => e.title_en() },
        },
    )
    .await;
    Ok((status, html).into_response())
}

pub async fn editor(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    let editing = editing(&state, &visitor, &id).await?;
    editor_page(&state, &visitor, &editing, None, None).await
}

/// Checks an edited edition and saves it; a refusal comes back as the error.
async fn save(
    state: &AppState,
    visitor: &Visitor,
    editing: &Editing,
    input: EditionInput,
) -> Result<Result<(), InputError>, AppError> {
    match checked(input).await.map_err(AppError::Unexpected)? {
        Ok(edition) => {
            state
                .store
                .monitoring()
                .update(&visitor.actor(), editing.summary.id, &edition)
                .await?;
            Ok(Ok(()))
        }
        Err(e) => Ok(Err(e)),
    }
}

fn input_of(edition: &Edition, meta: String, data: Option<String>) -> EditionInput {
    EditionInput {
        meta,
        spec: edition.spec().to_string(),
        data,
        year: edition.year().to_string(),
        title_ru: edition.title_ru().to_string(),
        title_en: edition.title_en().to_string(),
    }
}

/// Saves the year, titles and build specification.
pub async fn save_edition(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm<EditionFields>,
) -> PageResult {
    let editing = editing(&state, &visitor, &id).await?;
    if editing.frozen.is_some() {
        return editor_page(&state, &visitor, &editing, Some(&fields), None).await;
    }
    let input = EditionInput {
        spec: fields.spec.clone(),
        year: fields.year.clone(),
        title_ru: fields.title_ru.clone(),
        title_en: fields.title_en.clone(),
        ..input_of(
            &editing.edition,
            editing.edition.meta().to_string(),
            editing.edition.data().map(str::to_string),
        )
    };
    match save(&state, &visitor, &editing, input).await? {
        Ok(()) => Ok(see_other(&with_done(
            &format!("/monitoring/editions/{}/edit", editing.summary.id),
            "saved",
        ))),
        Err(e) => {
            let refused = refusal(&e, &editing.table);
            editor_page(&state, &visitor, &editing, Some(&fields), Some(refused)).await
        }
    }
}

#[derive(Serialize)]
struct FieldView {
    name: &'static str,
    value: String,
}

async fn node_page(
    state: &AppState,
    visitor: &Visitor,
    editing: &Editing,
    original: Option<&str>,
    node: &MetaNode,
    refused: Option<Refusal>,
    changing: bool,
) -> PageResult {
    let status = status_of(editing, &refused, changing);
    let fields: Vec<FieldView> = node
        .cells
        .iter()
        .map(|(name, value)| FieldView {
            name,
            value: value.clone(),
        })
        .collect();
    let html = render(
        state,
        visitor,
        "methodology_node.html",
        context! {
            edition => context! { id => editing.summary.id, title => visitor.lang.pick(editing.edition.title_ru(), editing.edition.title_en()) },
            original => original,
            fields => fields,
            parents => editing.table.nodes().iter().filter(|n| n.get("Type") == "Aggregate").map(|n| n.code().to_string()).collect::<Vec<_>>(),
            answer_types => [AnswerType::Number, AnswerType::Percent, AnswerType::YesNo, AnswerType::Choice].map(AnswerType::as_str),
            frozen => editing.frozen.as_ref().map(frozen_key),
            refused => refused,
        },
    )
    .await;
    Ok((status, html).into_response())
}

/// A new indicator's form: under the first criterion, weight 1, a number.
pub async fn new_node(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    let editing = editing(&state, &visitor, &id).await?;
    let first_parent = editing
        .table
        .nodes()
        .iter()
        .find(|n| n.get("Type") == "Indicator")
        .map(|n| n.get("Parent").to_string())
        .unwrap_or_default();
    let node = MetaNode::from_fields(|column| match column {
        "Type" => Some("Indicator".into()),
        "Level" | "Weight" | "Direction" => Some("1".into()),
        "Parent" => Some(first_parent.clone()),
        "answer_type" => Some(AnswerType::Number.as_str().into()),
        _ => None,
    });
    node_page(&state, &visitor, &editing, None, &node, None, false).await
}

pub async fn node(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, code)): Path<(String, String)>,
) -> PageResult {
    let editing = editing(&state, &visitor, &id).await?;
    let node = editing.table.node(&code).ok_or(AppError::NotFound)?;
    node_page(&state, &visitor, &editing, Some(&code), &node, None, false).await
}

/// The message of a change the table itself refuses, as the parse would say it.
fn edit_refusal(error: &EditError, code: &str) -> Refusal {
    Refusal {
        file: "meta",
        row: None,
        column: Some("iCode".into()).filter(|_| !matches!(error, EditError::HasChildren(..))),
        node: Some(code.to_string()).filter(|c| !c.is_empty()),
        message: error.to_string(),
    }
}

/// Applies a change of the table and saves the edition; the refusal goes back to the node form.
async fn change(
    state: &AppState,
    visitor: &Visitor,
    editing: &Editing,
    original: Option<&str>,
    node: &MetaNode,
    remove: bool,
) -> PageResult {
    if editing.frozen.is_some() {
        return node_page(state, visitor, editing, original, node, None, true).await;
    }
    let mut table = editing.table.clone();
    let changed = if remove {
        table.remove(original.unwrap_or_default())
    } else {
        table.put(original, node)
    };
    if let Err(e) = changed {
        let refused = edit_refusal(&e, node.code());
        return node_page(state, visitor, editing, original, node, Some(refused), true).await;
    }
    // A renamed indicator takes its column of verified data along.
    let data = match (editing.edition.data(), original) {
        (Some(data), Some(old)) if !remove && old != node.code() => {
            match rename_data_column(data, old, node.code()) {
                Ok(data) => Some(data),
                Err(e) => {
                    let refused = refusal(&e, &table);
                    return node_page(state, visitor, editing, original, node, Some(refused), true)
                        .await;
                }
            }
        }
        (data, _) => data.map(str::to_string),
    };
    let input = input_of(&editing.edition, table.to_csv(), data);
    match save(state, visitor, editing, input).await? {
        Ok(()) => Ok(see_other(&with_done(
            &format!("/monitoring/editions/{}/edit", editing.summary.id),
            if remove { "deleted" } else { "saved" },
        ))),
        Err(e) => {
            let refused = refusal(&e, &table);
            node_page(state, visitor, editing, original, node, Some(refused), true).await
        }
    }
}

fn node_of(form: &HashMap<String, String>) -> MetaNode {
    MetaNode::from_fields(|column| form.get(column).cloned())
}

pub async fn add_node(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> PageResult {
    let editing = editing(&state, &visitor, &id).await?;
    change(&state, &visitor, &editing, None, &node_of(&form), false).await
}

pub async fn save_node(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, code)): Path<(String, String)>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> PageResult {
    let editing = editing(&state, &visitor, &id).await?;
    editing.table.node(&code).ok_or(AppError::NotFound)?;
    change(
        &state,
        &visitor,
        &editing,
        Some(&code),
        &node_of(&form),
        false,
    )
    .await
}

pub async fn remove_node(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path((id, code)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<HashMap<String, String>>,
) -> PageResult {
    let editing = editing(&state, &visitor, &id).await?;
    let node = editing.table.node(&code).ok_or(AppError::NotFound)?;
    change(&state, &visitor, &editing, Some(&code), &node, true).await
}

/// The copy's year and titles.
#[derive(Deserialize)]
pub struct CopyFields {
    #[serde(default)]
    year: String,
    #[serde(default)]
    title_ru: String,
    #[serde(default)]
    title_en: String,
}

/// A new draft edition with this one's methodology and build specification (no data): how a
/// frozen methodology is carried on to the next year.
pub async fn copy(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(fields): CsrfForm<CopyFields>,
) -> PageResult {
    let editing = editing(&state, &visitor, &id).await?;
    let input = EditionInput {
        year: fields.year,
        title_ru: fields.title_ru,
        title_en: fields.title_en,
        ..input_of(&editing.edition, editing.edition.meta().to_string(), None)
    };
    match checked(input).await.map_err(AppError::Unexpected)? {
        Ok(edition) => {
            let copy = state
                .store
                .monitoring()
                .create(&visitor.actor(), &edition)
                .await?;
            Ok(see_other(&with_done(
                &format!("/monitoring/editions/{copy}/edit"),
                "created",
            )))
        }
        Err(e) => {
            let refused = refusal(&e, &editing.table);
            editor_page(&state, &visitor, &editing, None, Some(refused)).await
        }
    }
}

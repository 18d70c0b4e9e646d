//! Session decisions on the portal: the register, the public accountability page of a decision,
//! the import flow (text or file → proposed structure beside the text → confirm) and the download
//! of stored files. The parser proposes; a person corrects and confirms; storage saves the
//! decision with all its assignments in one transaction.
use crate::assignments::views::PublicAssignment;
use crate::auth::Visitor;
use crate::dates::human_date;
use crate::error::AppError;
use crate::forms::CsrfForm;
use crate::org::pages::place_in;
use crate::render::page;
use crate::render::see_other;
use crate::render::with_done;
use crate::render::PageResult;
use crate::state::today;
use crate::state::AppState;
use axum::extract::Path;
use axum::extract::State;
use axum::Extension;
use megapolis_assignments::AssignmentState;
use megapolis_decisions::DecisionItem;
use megapolis_domain::file::Readers;
use megapolis_domain::Lang;
use megapolis_storage::assignments::AssignmentFilter;
use megapolis_storage::assignments::AssignmentRecord;
use megapolis_storage::decisions::DecisionRecord;
use minijinja::context;
use serde::Deserialize;
use serde::Serialize;

// ---- The register ----

#[derive(Serialize)]
pub(crate) struct SummaryView {
    id: i64,
    session_number: i64,
    session_date: String,
    session_place: String,
    title: String,
    language: String,
    published: bool,
    assignments: i64,
    accepted: i64,
    overdue: i64,
}

pub async fn register(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    let staff = visitor.is_staff();
    let cities = state.store.org().cities().await?;
    let decisions: Vec<SummaryView> = state
        .store
        .decisions()
        .list(!staff, today())
        .await?
        .into_iter()
        .map(|d| SummaryView {
            id: d.id,
            session_number: d.session.number,
            session_date: human_date(d.session.date, visitor.lang),
            session_place: place_in(&d.session.place, &cities, visitor.lang),
            title: d.title,
            language: d.language,
            published: d.published,
            assignments: d.assignments,
            accepted: d.accepted,
            overdue: d.overdue,
        })
        .collect();
    page(
        &state,
        &visitor,
        "decisions.html",
        context! { decisions => decisions },
    )
    .await
}

// ---- The public accountability page ----

#[derive(Serialize)]
pub(crate) struct ItemView {
    number: String,
    depth: i64,
    heading: String,
    paragraphs: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct AppendixView {
    title: String,
    link: Option<String>,
    file_id: Option<i64>,
    file_name: Option<String>,
    file_size: Option<i64>,
}

/// A row of the public table: the public view of the assignment, with its deadline written
/// for the reader.
#[derive(Serialize)]
pub(crate) struct PublicRow {
    #[serde(flatten)]
    assignment: PublicAssignment,
    deadline_shown: String,
}

pub(crate) fn public_row(a: &AssignmentRecord, lang: Lang) -> PublicRow {
    PublicRow {
        assignment: PublicAssignment::of(a),
        deadline_shown: human_date(a.deadline, lang),
    }
}

pub(crate) fn item_view(item: DecisionItem) -> ItemView {
    ItemView {
        number: item.number,
        depth: item.depth.clamp(0, 6),
        heading: item.heading,
        paragraphs: item
            .text
            .split('\n')
            .filter(|p| !p.trim().is_empty())
            .map(str::to_string)
            .collect(),
    }
}

/// A decision the visitor may see: published ones for everybody, drafts for staff only.
pub(crate) async fn visible_decision(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
) -> Result<DecisionRecord, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let decision = state
        .store
        .decisions()
        .get(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !decision.published && !visitor.is_staff() {
        return Err(AppError::NotFound);
    }
    Ok(decision)
}

pub async fn show(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    let decision = visible_decision(&state, &visitor, &id).await?;
    let records = state
        .store
        .assignments()
        .list(
            &AssignmentFilter {
                decision: Some(decision.id),
                published_only: !visitor.is_staff(),
                ..Default::default()
            },
            today(),
        )
        .await?;
    let total = records.len();
    let accepted = records
        .iter()
        .filter(|a| a.state == AssignmentState::Accepted)
        .count();
    let overdue = records.iter().filter(|a| a.overdue).count();
    let assignments: Vec<PublicRow> = records
        .into_iter()
        .map(|a| public_row(&a, visitor.lang))
        .collect();
    let appendices: Vec<AppendixView> = decision
        .appendices
        .into_iter()
        .map(|a| AppendixView {
            title: a.title,
            link: a.link,
            file_id: a.file.as_ref().map(|f| f.id),
            file_name: a.file.as_ref().map(|f| f.name.clone()),
            file_size: a.file.as_ref().map(|f| f.size),
        })
        .collect();
    page(
        &state,
        &visitor,
        "decision.html",
        context! {
            decision => context! {
                id => decision.id,
                title => decision.title,
                language => decision.language,
                published => decision.published,
                session_number => decision.session.number,
                session_date => human_date(decision.session.date, visitor.lang),
                session_place => place_in(&decision.session.place, &state.store.org().cities().await?, visitor.lang),
                controller => decision.controller.map(|c| c.name),
            },
            items => decision.items.into_iter().map(item_view).collect::<Vec<_>>(),
            appendices => appendices,
            event_plans => crate::events::plan::appendices(&state, decision.id, visitor.lang).await?,
            assignments => assignments,
            total => total,
            accepted => accepted,
            overdue => overdue,
        },
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PublishInput {
    published: String,
}

pub async fn publish(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<PublishInput>,
) -> PageResult {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let published = match input.published.as_str() {
        "1" => true,
        "0" => false,
        _ => {
            return Err(AppError::BadRequest(
                "the field `published` must be 1 or 0".into(),
            ))
        }
    };
    state
        .store
        .decisions()
        .set_published(&visitor.actor(), id, published)
        .await?;
    Ok(see_other(&with_done(
        &format!("/decisions/{id}"),
        if published {
            "published"
        } else {
            "unpublished"
        },
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeleteInput {
    confirm: String,
}

/// Deletes a draft with everything it gave; a published decision is refused (409).
pub async fn delete(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm<DeleteInput>,
) -> PageResult {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    if input.confirm != "1" {
        return Err(AppError::BadRequest(
            "tick the box to confirm the deletion".into(),
        ));
    }
    state
        .store
        .decisions()
        .delete_draft(&visitor.actor(), id)
        .await?;
    Ok(see_other("/decisions?done=deleted"))
}

/// A stored file: an appendix of a published decision for anybody, any other file for people
/// signed in; otherwise it does not exist.
pub async fn file(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let may_read = match state.store.files().readers(id).await? {
        Readers::Everyone => true,
        Readers::Members => visitor.person.is_some(),
        Readers::Staff => visitor.is_staff(),
    };
    if !may_read {
        return Err(AppError::NotFound);
    }
    let file = state
        .store
        .files()
        .get(id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(crate::downloads::stored_file(file))
}

//! Session decisions on the portal: the register, the public accountability page of a decision,
//! the import flow (text or file → proposed structure beside the text → confirm) and the download
//! of stored files. The parser proposes; a person corrects and confirms; storage saves the
//! decision with all its assignments in one transaction.
use crate::auth::{CsrfForm, CsrfMultipart, UploadedFile, Visitor};
use crate::error::AppError;
use crate::pages::{page, render, see_other, PageResult};
use crate::state::today;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::Extension;
use megapolis_decisions::workflow::State as AssignmentState;
use megapolis_decisions::{
    docx, parse_with, AssignmentFlag, AssignmentKind, Decision, Directory, DocumentWarning,
    ParseError, Recurrence,
};
use megapolis_domain::{Body, Lang};
use megapolis_storage::assignments::{AssignmentFilter, AssignmentRecord};
use megapolis_storage::decisions::{
    directory_of, DecisionItem, DecisionRecord, Executor, NewAppendix, NewAssignment, NewDecision,
    NewFile, SessionInfo,
};
use minijinja::context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;

/// How many appendix rows the review form offers.
const APPENDIX_SLOTS: usize = 3;
/// More assignment rows than this in one submitted form is not a real decision.
const MAX_ROWS: usize = 2000;

/// `2 июня 2010 года` / `2 June 2010`.
pub fn human_date(date: Option<Date>, lang: Lang) -> String {
    let language = match lang {
        Lang::Ru => megapolis_decisions::Language::Ru,
        Lang::En => megapolis_decisions::Language::En,
    };
    date.map(|d| megapolis_decisions::written_date(d, language))
        .unwrap_or_default()
}

fn iso(date: Option<Date>) -> String {
    date.map(megapolis_decisions::format_date)
        .unwrap_or_default()
}

/// A translated message with at most one argument, `$name` in the Fluent files.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Message {
    pub key: &'static str,
    pub arg: String,
}

fn message(key: &'static str, arg: impl Into<String>) -> Message {
    Message {
        key,
        arg: arg.into(),
    }
}

fn flag_message(flag: &AssignmentFlag) -> Message {
    match flag {
        AssignmentFlag::ExecutorNotInDirectory { name } => {
            message("decisions-flag-executor", name.as_str())
        }
        AssignmentFlag::DeadlineUnreadable { text } => {
            message("decisions-flag-deadline", text.as_str())
        }
        AssignmentFlag::NoExecutor => message("decisions-flag-no-executor", ""),
    }
}

fn warning_message(warning: &DocumentWarning) -> Message {
    match warning {
        DocumentWarning::NoController => message("decisions-warning-no-controller", ""),
        DocumentWarning::ControllerNotInDirectory { name } => {
            message("decisions-warning-controller-unknown", name.as_str())
        }
        DocumentWarning::NoSessionDate => message("decisions-warning-no-date", ""),
        DocumentWarning::TextAfterControlClause { text } => {
            message("decisions-warning-text-after-control", text.as_str())
        }
    }
}

fn parse_error_message(error: &ParseError) -> Message {
    match error {
        ParseError::Empty => message("decisions-error-empty", ""),
        ParseError::NoNumberedItems => message("decisions-error-no-items", ""),
    }
}

fn unprocessable(
    state: &AppState,
    visitor: &Visitor,
    template: &str,
    ctx: minijinja::Value,
) -> PageResult {
    let html = render(state, visitor, template, ctx);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

// ---- The register ----

#[derive(Serialize)]
struct SummaryView {
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
    let decisions: Vec<SummaryView> = state
        .store
        .decisions(!staff, today())
        .await?
        .into_iter()
        .map(|d| SummaryView {
            id: d.id,
            session_number: d.session.number,
            session_date: human_date(d.session.date, visitor.lang),
            session_place: d.session.place,
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
}

// ---- The public accountability page ----

#[derive(Serialize)]
struct ItemView {
    number: String,
    depth: i64,
    heading: String,
    paragraphs: Vec<String>,
}

#[derive(Serialize)]
struct AppendixView {
    title: String,
    link: Option<String>,
    file_id: Option<i64>,
    file_name: Option<String>,
    file_size: Option<i64>,
}

/// What the public may see of an assignment: never reports, comments or flags.
#[derive(Serialize)]
struct PublicAssignment {
    id: i64,
    item: String,
    kind: &'static str,
    task: String,
    lead: Option<String>,
    co_executors: Vec<String>,
    deadline: String,
    deadline_text: Option<String>,
    recurrence: Option<&'static str>,
    state: &'static str,
    progress: i64,
    overdue: bool,
}

fn public_assignment(a: AssignmentRecord, lang: Lang) -> PublicAssignment {
    PublicAssignment {
        id: a.id,
        item: a.item,
        kind: a.kind.as_str(),
        task: a.task,
        lead: a.lead.map(|l| l.name),
        co_executors: a.co_executors.into_iter().map(|c| c.name).collect(),
        deadline: human_date(a.deadline, lang),
        deadline_text: a.deadline_text,
        recurrence: a.recurrence.map(Recurrence::as_str),
        state: a.state.as_str(),
        progress: a.progress.clamp(0, 100),
        overdue: a.overdue,
    }
}

fn item_view(item: DecisionItem) -> ItemView {
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
async fn visible_decision(
    state: &AppState,
    visitor: &Visitor,
    id: &str,
) -> Result<DecisionRecord, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let decision = state.store.decision(id).await?.ok_or(AppError::NotFound)?;
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
        .assignments(
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
    let assignments: Vec<PublicAssignment> = records
        .into_iter()
        .map(|a| public_assignment(a, visitor.lang))
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
                session_place => decision.session.place,
                controller => decision.controller.map(|c| c.name),
            },
            items => decision.items.into_iter().map(item_view).collect::<Vec<_>>(),
            appendices => appendices,
            assignments => assignments,
            total => total,
            accepted => accepted,
            overdue => overdue,
        },
    )
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
        .set_decision_published(&visitor.actor(), id, published)
        .await?;
    Ok(see_other(&format!("/decisions/{id}")))
}

// ---- Files ----

/// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266 and 5987).
pub fn content_disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'!'
            | b'#'
            | b'$'
            | b'&'
            | b'+'
            | b'-'
            | b'.'
            | b'^'
            | b'_'
            | b'`'
            | b'|'
            | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// A stored file: an appendix of a published decision for anybody, any other file for people
/// signed in; otherwise it does not exist.
pub async fn file(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    Path(id): Path<String>,
) -> PageResult {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    if visitor.person.is_none() && !state.store.file_is_public(id).await? {
        return Err(AppError::NotFound);
    }
    let file = state.store.file(id).await?.ok_or(AppError::NotFound)?;
    let content_type = HeaderValue::from_str(&file.info.content_type)
        .ok()
        .filter(|_| !file.info.content_type.is_empty())
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&content_disposition(&file.info.name))
        .unwrap_or(HeaderValue::from_static("attachment"));
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("private")),
        ],
        file.content,
    )
        .into_response())
}

// ---- Import ----

pub async fn import_form(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
) -> PageResult {
    page(&state, &visitor, "decisions_import.html", context! {})
}

/// The text of an uploaded file: .txt as UTF-8 (a byte order mark dropped), .docx through the
/// Word reader; anything else is refused with a message naming the file.
pub fn text_of_file(file: &UploadedFile) -> Result<String, Message> {
    let name = file.name.to_lowercase();
    if name.ends_with(".txt") {
        let bytes = file
            .bytes
            .strip_prefix(b"\xEF\xBB\xBF".as_slice())
            .unwrap_or(&file.bytes);
        String::from_utf8(bytes.to_vec())
            .map_err(|_| message("decisions-error-not-utf8", file.name.as_str()))
    } else if name.ends_with(".docx") {
        docx::plain_text(&file.bytes).map_err(|e| {
            let key = match e {
                docx::DocxError::NotZip(_) | docx::DocxError::NotWordDocument => {
                    "decisions-error-docx-not-word"
                }
                docx::DocxError::TooLarge { .. } => "decisions-error-docx-too-large",
                _ => "decisions-error-docx-damaged",
            };
            message(key, file.name.as_str())
        })
    } else {
        Err(message("decisions-error-file-type", file.name.as_str()))
    }
}

/// Line breaks as the browser sends them (CRLF) back to `\n`.
fn unix_lines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

pub async fn import(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    form: CsrfMultipart,
) -> PageResult {
    let pasted = unix_lines(form.text("text"));
    let upload = form.files.iter().find(|f| f.field == "file");
    let text = match upload {
        Some(file) => text_of_file(file),
        None if pasted.trim().is_empty() => Err(message("decisions-error-no-text", "")),
        None => Ok(pasted.clone()),
    };
    let text = match text {
        Ok(text) => unix_lines(&text),
        Err(error) => {
            return unprocessable(
                &state,
                &visitor,
                "decisions_import.html",
                context! { text => pasted, error => error },
            )
        }
    };
    let bodies = state.store.bodies().await?;
    let directory = directory_of(&bodies);
    match parse_with(&text, &directory) {
        Ok(parsed) => {
            let review = review_of(&parsed, &text);
            review_page(
                &state,
                &visitor,
                &review,
                &parsed,
                &bodies,
                &BTreeMap::new(),
                StatusCode::OK,
            )
        }
        Err(error) => unprocessable(
            &state,
            &visitor,
            "decisions_import.html",
            context! { text => text, error => parse_error_message(&error) },
        ),
    }
}

// ---- The review form ----

/// The review form's values as text, exactly as shown and as submitted back.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Review {
    pub source: String,
    pub number: String,
    pub date: String,
    pub place: String,
    pub title: String,
    pub language: String,
    /// A body id, or "" with `controller_name` for a controller not in the directory.
    pub controller: String,
    pub controller_name: String,
    pub published: bool,
    pub assignments: Vec<ReviewRow>,
    pub appendices: Vec<ReviewAppendix>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct ReviewRow {
    pub item: String,
    pub kind: String,
    pub task: String,
    pub lead: String,
    pub lead_name: String,
    /// One per line.
    pub co_executors: String,
    pub deadline: String,
    pub deadline_text: String,
    pub recurrence: String,
    pub exclude: bool,
    /// What the parser (or the check of the corrected row) is unsure of.
    pub flags: Vec<Message>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct ReviewAppendix {
    pub title: String,
    pub link: String,
}

/// The form as the parser proposes it.
pub fn review_of(parsed: &Decision, source: &str) -> Review {
    let (controller, controller_name) = match (&parsed.controller_id, &parsed.controller) {
        (Some(id), _) => (id.clone(), String::new()),
        (None, Some(name)) => (String::new(), name.clone()),
        (None, None) => (String::new(), String::new()),
    };
    Review {
        source: source.to_string(),
        number: parsed
            .session
            .number
            .map(|n| n.to_string())
            .unwrap_or_default(),
        date: iso(parsed.session.date),
        place: parsed.session.place.clone().unwrap_or_default(),
        title: parsed.title.clone(),
        language: parsed.language.as_str().to_string(),
        controller,
        controller_name,
        published: false,
        assignments: parsed
            .assignments
            .iter()
            .map(|a| {
                let (lead, lead_name) = match (&a.lead_id, &a.lead) {
                    (Some(id), _) => (id.clone(), String::new()),
                    (None, Some(name)) => (String::new(), name.clone()),
                    (None, None) => (String::new(), String::new()),
                };
                ReviewRow {
                    item: a.item.clone(),
                    kind: a.kind.as_str().to_string(),
                    task: a.task.clone(),
                    lead,
                    lead_name,
                    co_executors: a.co_executors.join("\n"),
                    deadline: iso(a.deadline),
                    deadline_text: a.deadline_text.clone().unwrap_or_default(),
                    recurrence: a
                        .recurrence
                        .map(|r| r.as_str().to_string())
                        .unwrap_or_default(),
                    exclude: false,
                    flags: a.flags.iter().map(flag_message).collect(),
                }
            })
            .collect(),
        appendices: vec![ReviewAppendix::default(); APPENDIX_SLOTS],
    }
}

/// The form as it was submitted.
pub fn review_from_form(form: &CsrfMultipart) -> Review {
    let text = |name: &str| form.text(name).trim().to_string();
    let count = form
        .text("count")
        .trim()
        .parse::<usize>()
        .unwrap_or(0)
        .min(MAX_ROWS);
    Review {
        source: unix_lines(form.text("source")),
        number: text("number"),
        date: text("date"),
        place: text("place"),
        title: text("title"),
        language: text("language"),
        controller: text("controller"),
        controller_name: text("controller_name"),
        published: form.text("published") == "1",
        assignments: (0..count)
            .map(|i| {
                let f = |name: &str| text(&format!("a{i}_{name}"));
                ReviewRow {
                    item: f("item"),
                    kind: f("kind"),
                    task: f("task"),
                    lead: f("lead"),
                    lead_name: f("lead_name"),
                    co_executors: unix_lines(&f("co_executors")),
                    deadline: f("deadline"),
                    deadline_text: f("deadline_text"),
                    recurrence: f("recurrence"),
                    exclude: f("exclude") == "1",
                    flags: Vec::new(),
                }
            })
            .collect(),
        appendices: (0..APPENDIX_SLOTS)
            .map(|i| ReviewAppendix {
                title: text(&format!("ap{i}_title")),
                link: text(&format!("ap{i}_link")),
            })
            .collect(),
    }
}

/// Finds bodies by id, or by a name in any language and (through the parser's directory) in any
/// grammatical case.
pub struct Resolver<'a> {
    bodies: &'a [Body],
    directory: &'a Directory,
    english: bool,
}

fn folded(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['«', '»', '"', '“', '”'], "")
        .to_lowercase()
}

impl<'a> Resolver<'a> {
    pub fn new(bodies: &'a [Body], directory: &'a Directory, language: &str) -> Self {
        Resolver {
            bodies,
            directory,
            english: language == "en",
        }
    }

    pub fn by_id(&self, id: &str) -> Option<&'a Body> {
        self.bodies.iter().find(|b| b.id.as_str() == id)
    }

    pub fn by_name(&self, name: &str) -> Option<&'a Body> {
        if let Some(body) = self.by_id(name.trim()) {
            return Some(body);
        }
        let wanted = folded(name);
        if wanted.is_empty() {
            return None;
        }
        self.bodies
            .iter()
            .find(|b| {
                [&b.name_ru, &b.name_en, &b.short_ru, &b.short_en]
                    .iter()
                    .any(|n| !n.is_empty() && folded(n) == wanted)
            })
            .or_else(|| {
                let found = self.directory.resolve(name)?;
                let id = &self.directory.body(found)?.id;
                self.by_id(id)
            })
    }

    /// A body as an executor, named in the document's language.
    pub fn executor(&self, body: &Body) -> Executor {
        Executor {
            body_id: Some(body.id.clone()),
            name: if self.english {
                body.name_en.clone()
            } else {
                body.name_ru.clone()
            },
        }
    }

    /// A name as written: a body when it names one, else kept as named.
    pub fn named(&self, name: &str) -> Executor {
        match self.by_name(name) {
            Some(body) => self.executor(body),
            None => Executor {
                body_id: None,
                name: name.trim().to_string(),
            },
        }
    }
}

/// Field errors of the review form: field name → translation key.
pub type Errors = BTreeMap<String, &'static str>;

pub fn parse_date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    if text.len() != 10 {
        return None;
    }
    Date::parse(text, format).ok()
}

/// Checks the submitted review and builds the decision to save. Every row's flags are
/// recomputed from the corrected values (shown again when the form comes back) and saved with
/// the assignment: an executor not in the directory is kept as named and flagged.
pub fn confirmed_decision(
    review: &mut Review,
    parsed: &Decision,
    bodies: &[Body],
    directory: &Directory,
    files: &[UploadedFile],
) -> Result<NewDecision, Errors> {
    let mut errors = Errors::new();
    let number = match review.number.parse::<i64>() {
        Ok(n) if n > 0 => n,
        _ => {
            errors.insert("number".into(), "decisions-error-session-number");
            0
        }
    };
    let date = if review.date.is_empty() {
        None
    } else {
        let date = parse_date(&review.date);
        if date.is_none() {
            errors.insert("date".into(), "error-date");
        }
        date
    };
    if review.place.is_empty() {
        errors.insert("place".into(), "error-required");
    }
    if review.title.is_empty() {
        errors.insert("title".into(), "error-required");
    }
    if !matches!(review.language.as_str(), "ru" | "en") {
        errors.insert("language".into(), "error-choice");
    }
    let resolver = Resolver::new(bodies, directory, &review.language);
    let controller = if !review.controller.is_empty() {
        match resolver.by_id(&review.controller) {
            Some(body) => Some(resolver.executor(body)),
            None => {
                errors.insert("controller".into(), "decisions-error-unknown-body");
                None
            }
        }
    } else if !review.controller_name.is_empty() {
        Some(resolver.named(&review.controller_name))
    } else {
        None
    };

    let mut assignments = Vec::new();
    for (i, row) in review.assignments.iter_mut().enumerate() {
        row.flags.clear();
        if row.exclude {
            continue;
        }
        let field = |name: &str| format!("a{i}_{name}");
        if row.item.is_empty() {
            errors.insert(field("item"), "error-required");
        }
        if row.task.is_empty() {
            errors.insert(field("task"), "error-required");
        }
        let kind = match row.kind.as_str() {
            "assignment" => AssignmentKind::Assignment,
            "recommendation" => AssignmentKind::Recommendation,
            _ => {
                errors.insert(field("kind"), "error-choice");
                AssignmentKind::Assignment
            }
        };
        let mut codes: Vec<String> = Vec::new();
        let mut flag = |message: Message, code: &str, row_flags: &mut Vec<Message>| {
            if !codes.iter().any(|c| c == code) {
                codes.push(code.to_string());
            }
            row_flags.push(message);
        };
        let lead = if !row.lead.is_empty() {
            match resolver.by_id(&row.lead) {
                Some(body) => Some(resolver.executor(body)),
                None => {
                    errors.insert(field("lead"), "decisions-error-unknown-body");
                    None
                }
            }
        } else if !row.lead_name.is_empty() {
            Some(resolver.named(&row.lead_name))
        } else {
            flag(
                message("decisions-flag-no-executor", ""),
                AssignmentFlag::NoExecutor.code(),
                &mut row.flags,
            );
            None
        };
        let co_executors: Vec<Executor> = row
            .co_executors
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|l| resolver.named(l))
            .collect();
        for executor in lead.iter().chain(co_executors.iter()) {
            if executor.body_id.is_none() {
                flag(
                    message("decisions-flag-executor", executor.name.as_str()),
                    "executor_not_in_directory",
                    &mut row.flags,
                );
            }
        }
        let deadline = if row.deadline.is_empty() {
            None
        } else {
            let date = parse_date(&row.deadline);
            if date.is_none() {
                errors.insert(field("deadline"), "error-date");
            }
            date
        };
        if deadline.is_none() && !row.deadline_text.is_empty() {
            flag(
                message("decisions-flag-deadline", row.deadline_text.as_str()),
                "deadline_unreadable",
                &mut row.flags,
            );
        }
        let recurrence = if row.recurrence.is_empty() {
            None
        } else {
            match row.recurrence.parse::<Recurrence>() {
                Ok(r) => Some(r),
                Err(_) => {
                    errors.insert(field("recurrence"), "error-choice");
                    None
                }
            }
        };
        assignments.push(NewAssignment {
            item: row.item.clone(),
            kind,
            task: row.task.clone(),
            lead,
            co_executors,
            deadline,
            deadline_text: Some(row.deadline_text.clone()).filter(|t| !t.is_empty()),
            recurrence,
            flags: codes,
        });
    }

    let mut appendices = Vec::new();
    for (i, appendix) in review.appendices.iter().enumerate() {
        let file = files
            .iter()
            .find(|f| f.field == format!("ap{i}_file"))
            .map(|f| NewFile {
                name: f
                    .name
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                content_type: if f.content_type.is_empty() {
                    "application/octet-stream".into()
                } else {
                    f.content_type.clone()
                },
                content: f.bytes.clone(),
            });
        let link = Some(appendix.link.clone()).filter(|l| !l.is_empty());
        if appendix.title.is_empty() {
            if link.is_some() || file.is_some() {
                errors.insert(format!("ap{i}_title"), "error-required");
            }
            continue;
        }
        if let Some(link) = &link {
            let local = link.starts_with('/') && !link.starts_with("//");
            let web = link.starts_with("https://") || link.starts_with("http://");
            if !local && !web {
                errors.insert(format!("ap{i}_link"), "decisions-error-link");
            }
        }
        if link.is_none() && file.is_none() {
            errors.insert(format!("ap{i}_link"), "decisions-error-appendix-empty");
        }
        appendices.push(NewAppendix {
            title: appendix.title.clone(),
            link,
            file,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(NewDecision {
        session: SessionInfo {
            number,
            date,
            place: review.place.clone(),
        },
        title: review.title.clone(),
        language: review.language.clone(),
        source_text: review.source.clone(),
        controller,
        published: review.published,
        items: megapolis_storage::decisions::items_of(parsed),
        appendices,
        assignments,
    })
}

#[derive(Serialize)]
struct BodyOption {
    id: String,
    name_ru: String,
    name_en: String,
}

fn review_page(
    state: &AppState,
    visitor: &Visitor,
    review: &Review,
    parsed: &Decision,
    bodies: &[Body],
    errors: &Errors,
    status: StatusCode,
) -> PageResult {
    let options: Vec<BodyOption> = bodies
        .iter()
        .map(|b| BodyOption {
            id: b.id.as_str().to_string(),
            name_ru: b.name_ru.clone(),
            name_en: b.name_en.clone(),
        })
        .collect();
    let warnings: Vec<Message> = parsed.warnings.iter().map(warning_message).collect();
    let flagged = review
        .assignments
        .iter()
        .filter(|a| !a.flags.is_empty())
        .count();
    let html = render(
        state,
        visitor,
        "decision_review.html",
        context! {
            review => review,
            bodies => options,
            warnings => warnings,
            flagged => flagged,
            errors => errors,
            recurrences => ["monthly", "quarterly", "yearly"],
        },
    );
    Ok((status, html).into_response())
}

pub async fn confirm(
    State(state): State<AppState>,
    Extension(visitor): Extension<Visitor>,
    form: CsrfMultipart,
) -> PageResult {
    let mut review = review_from_form(&form);
    let bodies = state.store.bodies().await?;
    let directory = directory_of(&bodies);
    let parsed = match parse_with(&review.source, &directory) {
        Ok(parsed) => parsed,
        Err(error) => {
            return unprocessable(
                &state,
                &visitor,
                "decisions_import.html",
                context! { text => review.source, error => parse_error_message(&error) },
            )
        }
    };
    match confirmed_decision(&mut review, &parsed, &bodies, &directory, &form.files) {
        Ok(decision) => {
            match state.store.save_decision(&visitor.actor(), &decision).await {
                Ok(id) => Ok(see_other(&format!("/decisions/{id}"))),
                // The session is already recorded with another date: say so beside the date.
                Err(megapolis_storage::StorageError::Conflict(_)) => {
                    let errors = Errors::from([(
                        "date".to_string(),
                        "decisions-error-session-date-conflict",
                    )]);
                    review_page(
                        &state,
                        &visitor,
                        &review,
                        &parsed,
                        &bodies,
                        &errors,
                        StatusCode::CONFLICT,
                    )
                }
                Err(e) => Err(e.into()),
            }
        }
        Err(errors) => review_page(
            &state,
            &visitor,
            &review,
            &parsed,
            &bodies,
            &errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cyrillic_file_names_are_encoded_for_the_header() {
        let header = content_disposition("План мероприятий 2027.pdf");
        assert!(header.starts_with("attachment; filename=\""));
        assert!(header.contains("filename*=UTF-8''%D0%9F%D0%BB%D0%B0%D0%BD%20"));
        assert!(header.ends_with("2027.pdf"));
        assert!(HeaderValue::from_str(&header).is_ok());
        let quoted = content_disposition("a\"b\\c.txt");
        assert!(quoted.contains("filename=\"a_b_c.txt\""));
    }

    #[test]
    fn dates_must_exist() {
        assert!(parse_date("2026-02-28").is_some());
        assert!(parse_date("2026-02-31").is_none());
        assert!(parse_date("2026-2-3").is_none());
        assert!(parse_date("31.12.2026").is_none());
    }

    #[test]
    fn text_files_drop_the_byte_order_mark_and_refuse_other_encodings() {
        let file = |name: &str, bytes: &[u8]| UploadedFile {
            field: "file".into(),
            name: name.into(),
            content_type: "text/plain".into(),
            bytes: bytes.to_vec(),
        };
        let text = text_of_file(&file("d.txt", "\u{feff}РЕШЕНИЕ".as_bytes()));
        assert_eq!(text, Ok("РЕШЕНИЕ".to_string()));
        let cp1251 = text_of_file(&file("решение.TXT", &[0xD0, 0xC5, 0xD8]));
        assert_eq!(
            cp1251,
            Err(message("decisions-error-not-utf8", "решение.TXT"))
        );
        let pdf = text_of_file(&file("d.pdf", b"%PDF"));
        assert_eq!(pdf, Err(message("decisions-error-file-type", "d.pdf")));
        let fake = text_of_file(&file("d.docx", b"not a zip"));
        assert_eq!(
            fake,
            Err(message("decisions-error-docx-not-word", "d.docx"))
        );
    }
}

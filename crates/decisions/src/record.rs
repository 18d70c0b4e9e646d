//! A decision as confirmed for saving: its session, flattened items, appendices and the
//! assignments it gives, built from the parser's proposal (and, on the web, from the reviewed
//! form in [`crate::draft`]).
use megapolis_assignments::{Executor, NewAssignment};
use megapolis_domain::file::NewFile;
use megapolis_domain::BodyId;
use serde::Serialize;
use time::Date;

/// A session of the association: «Восемнадцатая сессия, 2 июня 2010 г., Астана».
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionInfo {
    pub number: i64,
    pub date: Option<Date>,
    pub place: String,
}

/// A numbered item or section heading of a decision, flattened in document order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionItem {
    pub number: String,
    /// 0 for a section (`1.`), 1 for its items (`1.1.`), and so on.
    pub depth: i64,
    pub heading: String,
    pub text: String,
}

/// An appendix: a file, or a link to another object (a plan of events, a page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAppendix {
    pub title: String,
    pub link: Option<String>,
    pub file: Option<NewFile>,
}

/// A decision as confirmed on the import screen, saved with all its assignments at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDecision {
    pub session: SessionInfo,
    pub title: String,
    pub language: String,
    pub source_text: String,
    pub controller: Option<Executor>,
    pub published: bool,
    pub items: Vec<DecisionItem>,
    pub appendices: Vec<NewAppendix>,
    pub assignments: Vec<NewAssignment>,
}

/// Why a parsed decision cannot be saved as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IncompleteDecision {
    #[error(
        "the header names no session number (e.g. «Восемнадцатой сессии», \"Nineteenth Session\")"
    )]
    NoSessionNumber,
    #[error("the header names no place of the session")]
    NoPlace,
    #[error("body {0:?} of the directory has an invalid id")]
    BadBodyId(String),
}

fn executor(name: &str, id: Option<&String>) -> Result<Executor, IncompleteDecision> {
    Ok(Executor {
        body_id: id
            .map(|id| BodyId::parse(id).map_err(|_| IncompleteDecision::BadBodyId(id.clone())))
            .transpose()?,
        name: name.to_string(),
    })
}

/// A decision as the parser proposed it, ready to save: every assignment as parsed, with what
/// the parser was unsure of kept as flags. The web import lets a person correct it first; the API
/// and the demo save it as it is.
pub fn new_decision_from_parsed(
    parsed: &crate::Decision,
    source_text: &str,
    published: bool,
) -> Result<NewDecision, IncompleteDecision> {
    let session = SessionInfo {
        number: i64::from(
            parsed
                .session
                .number
                .ok_or(IncompleteDecision::NoSessionNumber)?,
        ),
        date: parsed.session.date,
        place: parsed
            .session
            .place
            .clone()
            .ok_or(IncompleteDecision::NoPlace)?,
    };
    let items = items_of(parsed);
    let assignments = parsed
        .assignments
        .iter()
        .map(|a| {
            Ok(NewAssignment {
                item: a.item.clone(),
                kind: a.kind,
                task: a.task.clone(),
                lead: a
                    .lead
                    .as_deref()
                    .map(|name| executor(name, a.lead_id.as_ref()))
                    .transpose()?,
                co_executors: a
                    .co_executors
                    .iter()
                    .zip(a.co_executor_ids.iter())
                    .map(|(name, id)| executor(name, id.as_ref()))
                    .collect::<Result<_, _>>()?,
                deadline: a.deadline,
                deadline_text: a.deadline_text.clone(),
                recurrence: a.recurrence,
                doubts: a.flags.iter().map(|f| f.doubt()).collect(),
            })
        })
        .collect::<Result<_, IncompleteDecision>>()?;
    Ok(NewDecision {
        session,
        title: parsed.title.clone(),
        language: parsed.language.as_str().to_string(),
        source_text: source_text.to_string(),
        controller: parsed
            .controller
            .as_deref()
            .map(|name| executor(name, parsed.controller_id.as_ref()))
            .transpose()?,
        published,
        items,
        appendices: Vec::new(),
        assignments,
    })
}

/// The items of a parsed decision as stored: flattened in document order with their depth.
pub fn items_of(parsed: &crate::Decision) -> Vec<DecisionItem> {
    fn walk(items: &[crate::Item], depth: i64, out: &mut Vec<DecisionItem>) {
        for item in items {
            out.push(DecisionItem {
                number: item.number.clone(),
                depth,
                heading: String::new(),
                text: item.text.clone(),
            });
            walk(&item.items, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    for section in &parsed.items {
        out.push(DecisionItem {
            number: section.number.clone(),
            depth: 0,
            heading: section.heading.clone(),
            text: section.text.clone(),
        });
        walk(&section.items, 1, &mut out);
    }
    out
}

/// The parser's directory of bodies from the organisation's bodies.
pub fn directory_of(bodies: &[megapolis_domain::Body]) -> crate::Directory {
    let bodies: Vec<crate::Body> = bodies
        .iter()
        .map(|b| crate::Body {
            id: b.id.as_str().to_string(),
            kind: b.kind.as_str().to_string(),
            name_ru: b.name_ru.clone(),
            name_en: b.name_en.clone(),
            short_ru: Some(b.short_ru.clone()).filter(|s| !s.is_empty()),
            short_en: Some(b.short_en.clone()).filter(|s| !s.is_empty()),
        })
        .collect();
    crate::Directory::new(&bodies)
}

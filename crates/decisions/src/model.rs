//! The typed result of parsing a decision. Serialised with serde it is exactly the JSON of
//! `shared/spec/decision-text.md`; the fields marked `#[serde(skip)]` (body ids, what the parser
//! was unsure of) are for the web import screen and never appear in that JSON.
pub use megapolis_assignments::{AssignmentKind, Doubt, Recurrence};
use serde::{Serialize, Serializer};
use time::Date;

/// The language a decision is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Ru,
    En,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Ru => "ru",
            Language::En => "en",
        }
    }
}

/// The session that adopted the decision; every field is `null` in the JSON when absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Session {
    pub number: Option<u32>,
    #[serde(serialize_with = "serialize_date")]
    pub date: Option<Date>,
    pub place: Option<String>,
}

/// A top-level section: `1. О …` — a number and a heading, with its numbered items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub number: String,
    /// The heading line (`О …`, `On …`); empty when the top-level line is itself an item of text.
    pub heading: String,
    /// Paragraphs that belong to the section itself, joined with `"\n"`.
    pub text: String,
    pub items: Vec<Item>,
}

/// A numbered item (`1.1.`, `1.1`, `1.2)`, and deeper), with its paragraphs joined with `"\n"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub number: String,
    pub text: String,
    pub items: Vec<Item>,
}

/// What the parser was unsure of in one assignment, for the import screen to mark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum AssignmentFlag {
    /// An executor (lead or co-executor) that is not in the directory of bodies; kept as named.
    ExecutorNotInDirectory { name: String },
    /// A deadline phrase was found but no date could be computed; it is kept in `deadline_text`.
    DeadlineUnreadable { text: String },
    /// No executor is named: the Secretariat assigns one when it confirms the document.
    NoExecutor,
}

impl AssignmentFlag {
    /// The doubt this flag leaves on the assignment once saved.
    pub fn doubt(&self) -> Doubt {
        match self {
            AssignmentFlag::ExecutorNotInDirectory { .. } => Doubt::ExecutorNotInDirectory,
            AssignmentFlag::DeadlineUnreadable { .. } => Doubt::DeadlineUnreadable,
            AssignmentFlag::NoExecutor => Doubt::NoExecutor,
        }
    }

    /// The stable code of the flag (`executor_not_in_directory`, …).
    pub fn code(&self) -> &'static str {
        self.doubt().as_str()
    }
}

/// One assignment or recommendation, in document order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assignment {
    /// The number of the item the paragraph belongs to (`"1.2"`).
    pub item: String,
    pub kind: AssignmentKind,
    /// The lead executor: the canonical full name in the document's language, or the name as
    /// found (nominative when clear) when it is not in the directory.
    pub lead: Option<String>,
    pub co_executors: Vec<String>,
    pub task: String,
    #[serde(serialize_with = "serialize_date")]
    pub deadline: Option<Date>,
    pub recurrence: Option<Recurrence>,
    pub deadline_text: Option<String>,
    /// Directory id of the lead, when resolved. Not part of the spec JSON.
    #[serde(skip)]
    pub lead_id: Option<String>,
    /// Directory ids of the co-executors, parallel to `co_executors`. Not part of the spec JSON.
    #[serde(skip)]
    pub co_executor_ids: Vec<Option<String>>,
    /// Zero-based index of the paragraph inside its item. Not part of the spec JSON.
    #[serde(skip)]
    pub paragraph: usize,
    /// What the parser was unsure of. Not part of the spec JSON.
    #[serde(skip)]
    pub flags: Vec<AssignmentFlag>,
}

/// Something about the whole document the parser was unsure of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "warning", rename_all = "snake_case")]
pub enum DocumentWarning {
    /// No control clause was found, or it names nobody.
    NoController,
    /// The controller named in the control clause is not in the directory.
    ControllerNotInDirectory { name: String },
    /// The header has no readable date, so relative deadlines cannot be computed.
    NoSessionDate,
    /// Lines after the control clause (signatures and the like) were not read as items.
    TextAfterControlClause { text: String },
}

/// A parsed decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub title: String,
    pub language: Language,
    pub session: Session,
    pub items: Vec<Section>,
    pub assignments: Vec<Assignment>,
    pub controller: Option<String>,
    /// Directory id of the controller, when resolved. Not part of the spec JSON.
    #[serde(skip)]
    pub controller_id: Option<String>,
    /// Document-level doubts. Not part of the spec JSON.
    #[serde(skip)]
    pub warnings: Vec<DocumentWarning>,
}

impl Decision {
    /// The spec's JSON as a value.
    pub fn to_spec_json(&self) -> serde_json::Value {
        // Serialising plain structs of strings, numbers and options into a `Value` cannot fail.
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// The spec's JSON, pretty-printed.
    pub fn to_spec_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Every assignment flag with the assignment's index, for an import screen.
    pub fn flagged(&self) -> impl Iterator<Item = (usize, &AssignmentFlag)> {
        self.assignments
            .iter()
            .enumerate()
            .flat_map(|(i, a)| a.flags.iter().map(move |f| (i, f)))
    }
}

const MONTHS_RU_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// A date as a decision writes it: `2 июня 2010 года`, `2 June 2010`.
pub fn written_date(date: Date, language: Language) -> String {
    match language {
        Language::Ru => {
            let month = MONTHS_RU_GENITIVE[usize::from(u8::from(date.month())) - 1];
            format!("{} {month} {} года", date.day(), date.year())
        }
        Language::En => format!("{} {} {}", date.day(), date.month(), date.year()),
    }
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

fn serialize_date<S: Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => serializer.serialize_str(&format_date(*d)),
        None => serializer.serialize_none(),
    }
}

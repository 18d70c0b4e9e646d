//! A competition of solutions: the call (nominations, eligibility rules, criteria with weights
//! and an anchored 1–5 scale, dates), its stages, and the entries cities send to it.
//!
//! Stages: `draft` → `open` (entries are taken until the submission deadline; the city
//! representatives are told) → `evaluation` (eligible entries are scored by the experts of their
//! nomination) → `decided` (the jury recorded winners and laureates) → `published` (they are in
//! the catalogue). An entry: `draft` → `submitted` → `eligible` | `ineligible` (screened with a
//! reason), or `withdrawn` by its city before the evaluation.
use megapolis_domain::CityCode;
use serde::{Deserialize, Serialize};
use time::Date;

/// The points of the scale: every criterion is scored 1 to 5.
pub const SCALE: std::ops::RangeInclusive<u8> = 1..=5;

/// A competition's stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Draft,
    Open,
    Evaluation,
    Decided,
    Published,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Stage::Draft,
        Stage::Open,
        Stage::Evaluation,
        Stage::Decided,
        Stage::Published,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::Open => "open",
            Stage::Evaluation => "evaluation",
            Stage::Decided => "decided",
            Stage::Published => "published",
        }
    }

    pub fn parse(raw: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// The stage a step leads to from this one, or `None` when it may not be taken now.
    pub fn after(self, step: Step) -> Option<Stage> {
        match (self, step) {
            (Stage::Draft, Step::Open) => Some(Stage::Open),
            (Stage::Open, Step::StartEvaluation) => Some(Stage::Evaluation),
            (Stage::Evaluation, Step::Decide) => Some(Stage::Decided),
            (Stage::Decided, Step::Publish) => Some(Stage::Published),
            _ => None,
        }
    }
}

/// What moves a competition on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Open,
    StartEvaluation,
    Decide,
    Publish,
}

/// A refused input: the field (with a row for lists, counted from 1) and a stable message key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}{}: {message}", row.map(|r| format!(" (row {r})")).unwrap_or_default())]
pub struct InvalidInput {
    pub field: &'static str,
    pub row: Option<usize>,
    pub message: &'static str,
}

fn invalid(field: &'static str, message: &'static str) -> InvalidInput {
    InvalidInput {
        field,
        row: None,
        message,
    }
}

fn invalid_row(field: &'static str, row: usize, message: &'static str) -> InvalidInput {
    InvalidInput {
        field,
        row: Some(row),
        message,
    }
}

/// One criterion of the call: its weight and what each point of the scale means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub name_ru: String,
    pub name_en: String,
    /// Positive; the weights are normalised when scores are combined.
    pub weight: f64,
    /// What 1, 2, 3, 4 and 5 mean (in Russian; English below; either may be empty per level,
    /// not both).
    pub anchors_ru: [String; 5],
    pub anchors_en: [String; 5],
}

/// A call for entries, checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewCompetition {
    pub title_ru: String,
    pub title_en: String,
    pub year: i32,
    pub nominations: Vec<String>,
    pub eligibility: Vec<String>,
    pub criteria: Vec<Criterion>,
    pub submission_deadline: Date,
    pub evaluation_deadline: Date,
    pub results_on: Date,
    /// The body whose members form the jury (its chair records the decision and waivers).
    pub jury_body: String,
}

/// A criterion as a client sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CriterionInput {
    pub name_ru: String,
    pub name_en: String,
    pub weight: Option<f64>,
    pub anchors_ru: Vec<String>,
    pub anchors_en: Vec<String>,
}

/// A call as a client sends it (`POST /api/v1/competitions`), before the checks.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CompetitionInput {
    pub title_ru: String,
    pub title_en: String,
    pub year: Option<i64>,
    pub nominations: Vec<String>,
    pub eligibility: Vec<String>,
    pub criteria: Vec<CriterionInput>,
    pub submission_deadline: String,
    pub evaluation_deadline: String,
    pub results_on: String,
    pub jury_body: String,
}

const TITLE_MAX: usize = 300;
const TEXT_MAX: usize = 2_000;

fn date(field: &'static str, raw: &str) -> Result<Date, InvalidInput> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw.trim(), &format).map_err(|_| invalid(field, "a date as YYYY-MM-DD"))
}

fn anchors(field: &'static str, row: usize, raw: &[String]) -> Result<[String; 5], InvalidInput> {
    match raw.len() {
        0 => Ok(Default::default()),
        5 => {
            let mut out: [String; 5] = Default::default();
            for (slot, text) in out.iter_mut().zip(raw) {
                if text.chars().count() > TEXT_MAX {
                    return Err(invalid_row(field, row, "too long"));
                }
                *slot = text.trim().to_string();
            }
            Ok(out)
        }
        _ => Err(invalid_row(field, row, "five texts, one per point 1 to 5")),
    }
}

impl CriterionInput {
    fn check(&self, row: usize) -> Result<Criterion, InvalidInput> {
        let name_ru = self.name_ru.trim().to_string();
        let name_en = self.name_en.trim().to_string();
        if name_ru.is_empty() && name_en.is_empty() {
            return Err(invalid_row("criteria.name_ru", row, "required"));
        }
        if name_ru.chars().count() > TITLE_MAX || name_en.chars().count() > TITLE_MAX {
            return Err(invalid_row("criteria.name_ru", row, "too long"));
        }
        let weight = self
            .weight
            .filter(|w| w.is_finite() && *w > 0.0 && *w <= 100.0)
            .ok_or_else(|| invalid_row("criteria.weight", row, "a number above 0, at most 100"))?;
        let anchors_ru = anchors("criteria.anchors_ru", row, &self.anchors_ru)?;
        let anchors_en = anchors("criteria.anchors_en", row, &self.anchors_en)?;
        if anchors_ru
            .iter()
            .zip(&anchors_en)
            .any(|(ru, en)| ru.is_empty() && en.is_empty())
        {
            return Err(invalid_row(
                "criteria.anchors_ru",
                row,
                "a text for every point 1 to 5, in Russian or English",
            ));
        }
        Ok(Criterion {
            name_ru,
            name_en,
            weight,
            anchors_ru,
            anchors_en,
        })
    }
}

/// The non-empty, trimmed items of a list, refused when two are the same or one is too long.
fn items(field: &'static str, raw: &[String], max: usize) -> Result<Vec<String>, InvalidInput> {
    let mut out: Vec<String> = Vec::new();
    for (row, item) in raw.iter().enumerate() {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        if item.chars().count() > max {
            return Err(invalid_row(field, row + 1, "too long"));
        }
        if out.iter().any(|o| o.to_lowercase() == item.to_lowercase()) {
            return Err(invalid_row(field, row + 1, "named twice"));
        }
        out.push(item.to_string());
    }
    Ok(out)
}

impl CompetitionInput {
    pub fn check(&self) -> Result<NewCompetition, InvalidInput> {
        let title_ru = self.title_ru.trim().to_string();
        let title_en = self.title_en.trim().to_string();
        if title_ru.is_empty() && title_en.is_empty() {
            return Err(invalid("title_ru", "required"));
        }
        if title_ru.chars().count() > TITLE_MAX || title_en.chars().count() > TITLE_MAX {
            return Err(invalid("title_ru", "too long"));
        }
        let year = self
            .year
            .filter(|y| (1990..=2100).contains(y))
            .and_then(|y| i32::try_from(y).ok())
            .ok_or_else(|| invalid("year", "a year from 1990 to 2100"))?;
        let nominations = items("nominations", &self.nominations, TITLE_MAX)?;
        if nominations.is_empty() {
            return Err(invalid("nominations", "at least one"));
        }
        let eligibility = items("eligibility", &self.eligibility, TEXT_MAX)?;
        let criteria = self
            .criteria
            .iter()
            .enumerate()
            .map(|(i, c)| c.check(i + 1))
            .collect::<Result<Vec<_>, _>>()?;
        if criteria.is_empty() {
            return Err(invalid("criteria", "at least one"));
        }
        let submission_deadline = date("submission_deadline", &self.submission_deadline)?;
        let evaluation_deadline = date("evaluation_deadline", &self.evaluation_deadline)?;
        let results_on = date("results_on", &self.results_on)?;
        if evaluation_deadline < submission_deadline {
            return Err(invalid(
                "evaluation_deadline",
                "on or after the submission deadline",
            ));
        }
        if results_on < evaluation_deadline {
            return Err(invalid("results_on", "on or after the evaluation deadline"));
        }
        let jury_body = self.jury_body.trim().to_string();
        if jury_body.is_empty() {
            return Err(invalid("jury_body", "required"));
        }
        Ok(NewCompetition {
            title_ru,
            title_en,
            year,
            nominations,
            eligibility,
            criteria,
            submission_deadline,
            evaluation_deadline,
            results_on,
            jury_body,
        })
    }
}

/// An entry's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryState {
    Draft,
    Submitted,
    Eligible,
    Ineligible,
    Withdrawn,
}

impl EntryState {
    pub const ALL: [EntryState; 5] = [
        EntryState::Draft,
        EntryState::Submitted,
        EntryState::Eligible,
        EntryState::Ineligible,
        EntryState::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryState::Draft => "draft",
            EntryState::Submitted => "submitted",
            EntryState::Eligible => "eligible",
            EntryState::Ineligible => "ineligible",
            EntryState::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(raw: &str) -> Option<EntryState> {
        EntryState::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// What is done to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryStep {
    /// The city sends its draft (the competition open, before the submission deadline).
    Submit,
    /// The city takes it back (until the evaluation starts).
    Withdraw,
    /// The Secretariat's screening: eligible or not (with a reason), while the call is open or
    /// before the evaluation starts.
    Screen { eligible: bool },
}

/// Why a step on an entry is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EntryRefusal {
    #[error("the competition takes no entries now")]
    NotOpen,
    #[error("the submission deadline has passed")]
    PastDeadline,
    #[error("the entry is not in a state where this can be done")]
    WrongState,
}

/// The entry's state after `step`, given the competition's stage and today's date.
pub fn entry_after(
    state: EntryState,
    step: EntryStep,
    stage: Stage,
    submission_deadline: Date,
    today: Date,
) -> Result<EntryState, EntryRefusal> {
    match step {
        EntryStep::Submit => {
            if stage != Stage::Open {
                return Err(EntryRefusal::NotOpen);
            }
            if today > submission_deadline {
                return Err(EntryRefusal::PastDeadline);
            }
            match state {
                EntryState::Draft => Ok(EntryState::Submitted),
                _ => Err(EntryRefusal::WrongState),
            }
        }
        EntryStep::Withdraw => match (stage, state) {
            (
                Stage::Draft | Stage::Open,
                EntryState::Draft | EntryState::Submitted | EntryState::Eligible,
            ) => Ok(EntryState::Withdrawn),
            (Stage::Draft | Stage::Open, _) => Err(EntryRefusal::WrongState),
            _ => Err(EntryRefusal::NotOpen),
        },
        EntryStep::Screen { eligible } => match (stage, state) {
            (
                Stage::Open,
                EntryState::Submitted | EntryState::Eligible | EntryState::Ineligible,
            ) => Ok(if eligible {
                EntryState::Eligible
            } else {
                EntryState::Ineligible
            }),
            (Stage::Open, _) => Err(EntryRefusal::WrongState),
            _ => Err(EntryRefusal::NotOpen),
        },
    }
}

/// An entry as a client sends it, before the checks.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EntryInput {
    pub nomination: String,
    pub city: String,
    pub title_ru: String,
    pub title_en: String,
    pub summary_ru: String,
    pub summary_en: String,
    pub problem: String,
    pub results: String,
    pub technologies: Vec<String>,
    pub hardware: Vec<String>,
    pub licence: String,
    pub url: String,
    pub contacts: String,
    pub used_by: Vec<String>,
}

/// An entry, checked (its nomination still to be found among the competition's).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewEntry {
    pub nomination: String,
    pub city: CityCode,
    pub title_ru: String,
    pub title_en: String,
    pub summary_ru: String,
    pub summary_en: String,
    pub problem: String,
    pub results: String,
    pub technologies: Vec<String>,
    pub hardware: Vec<String>,
    pub licence: String,
    pub url: String,
    pub contacts: String,
    /// Other cities already using it (codes of the directory).
    pub used_by: Vec<CityCode>,
}

impl EntryInput {
    pub fn check(&self) -> Result<NewEntry, InvalidInput> {
        let nomination = self.nomination.trim().to_string();
        if nomination.is_empty() {
            return Err(invalid("nomination", "required"));
        }
        let city = CityCode::parse(self.city.trim()).map_err(|_| invalid("city", "a city code"))?;
        let title_ru = self.title_ru.trim().to_string();
        let title_en = self.title_en.trim().to_string();
        if title_ru.is_empty() && title_en.is_empty() {
            return Err(invalid("title_ru", "required"));
        }
        for (field, text, max) in [
            ("title_ru", &title_ru, TITLE_MAX),
            ("title_en", &title_en, TITLE_MAX),
            ("summary_ru", &self.summary_ru, 20_000),
            ("summary_en", &self.summary_en, 20_000),
            ("problem", &self.problem, 20_000),
            ("results", &self.results, 20_000),
            ("licence", &self.licence, 200),
            ("url", &self.url, TEXT_MAX),
            ("contacts", &self.contacts, TEXT_MAX),
        ] {
            if text.chars().count() > max {
                return Err(invalid(field, "too long"));
            }
        }
        let url = self.url.trim().to_string();
        if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
            return Err(invalid("url", "an http:// or https:// address"));
        }
        let used_by = self
            .used_by
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .map(|c| CityCode::parse(c).map_err(|_| invalid("used_by", "city codes")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(NewEntry {
            nomination,
            city,
            title_ru,
            title_en,
            summary_ru: self.summary_ru.trim().to_string(),
            summary_en: self.summary_en.trim().to_string(),
            problem: self.problem.trim().to_string(),
            results: self.results.trim().to_string(),
            technologies: items("technologies", &self.technologies, 200)?,
            hardware: items("hardware", &self.hardware, 200)?,
            licence: self.licence.trim().to_string(),
            url,
            contacts: self.contacts.trim().to_string(),
            used_by,
        })
    }
}

/// The largest attachment of an entry (a presentation, screenshots).
pub const MAX_ATTACHMENT_BYTES: usize = 20 * 1024 * 1024;

/// The attachments an entry may carry: (extension, content type, the first bytes of such a
/// file). A file whose bytes do not match its extension is refused, so a renamed program does
/// not pass for a presentation.
const ATTACHMENT_KINDS: &[(&str, &str, &[u8])] = &[
    ("pdf", "application/pdf", b"%PDF"),
    ("png", "image/png", b"\x89PNG"),
    // "jpeg" first: a JPEG's kind is named by it (`attachment_kind`).
    ("jpeg", "image/jpeg", b"\xFF\xD8\xFF"),
    ("jpg", "image/jpeg", b"\xFF\xD8\xFF"),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        b"PK\x03\x04",
    ),
    (
        "odp",
        "application/vnd.oasis.opendocument.presentation",
        b"PK\x03\x04",
    ),
];

/// The extensions an attachment may have, as an upload form's `accept` list: ".pdf,.png,…".
pub fn attachment_accept() -> String {
    ATTACHMENT_KINDS
        .iter()
        .map(|(extension, _, _)| format!(".{extension}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A stored attachment's kind for a reader ("PDF", "JPEG", "PPTX"), by its content type.
pub fn attachment_kind(content_type: &str) -> Option<String> {
    ATTACHMENT_KINDS
        .iter()
        .find(|(_, t, _)| *t == content_type)
        .map(|(extension, _, _)| extension.to_uppercase())
}

/// Why an attachment is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachmentError {
    #[error("{name}: only PDF, PNG, JPEG, PPTX and ODP files may be attached")]
    Kind { name: String },
    #[error("{name}: the file's contents are not a {extension} file")]
    Contents { name: String, extension: String },
    #[error("{name}: {size} bytes, over the limit of 20 MB")]
    TooLarge { name: String, size: usize },
    #[error("{name}: the file is empty")]
    Empty { name: String },
}

/// The content type to store an attachment under, or why it is refused.
pub fn check_attachment(name: &str, bytes: &[u8]) -> Result<&'static str, AttachmentError> {
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    let (_, content_type, magic) = ATTACHMENT_KINDS
        .iter()
        .find(|(e, _, _)| *e == extension)
        .ok_or_else(|| AttachmentError::Kind { name: name.into() })?;
    if bytes.is_empty() {
        return Err(AttachmentError::Empty { name: name.into() });
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(AttachmentError::TooLarge {
            name: name.into(),
            size: bytes.len(),
        });
    }
    if !bytes.starts_with(magic) {
        return Err(AttachmentError::Contents {
            name: name.into(),
            extension,
        });
    }
    Ok(content_type)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn attachments_are_checked_by_kind_contents_and_size() {
        assert_eq!(
            check_attachment("slides.PDF", b"%PDF-1.7 ..."),
            Ok("application/pdf")
        );
        assert!(matches!(
            check_attachment("setup.exe", b"MZ..."),
            Err(AttachmentError::Kind { .. })
        ));
        assert!(matches!(
            check_attachment("screen.png", b"MZ... a program"),
            Err(AttachmentError::Contents { .. })
        ));
        let big = [b"%PDF".as_slice(), &vec![0u8; MAX_ATTACHMENT_BYTES]].concat();
        assert!(matches!(
            check_attachment("big.pdf", &big),
            Err(AttachmentError::TooLarge { .. })
        ));
        assert!(matches!(
            check_attachment("empty.pdf", b""),
            Err(AttachmentError::Empty { .. })
        ));
    }

    #[test]
    fn an_upload_form_accepts_the_kinds_and_a_stored_file_is_named_by_its_kind() {
        assert_eq!(attachment_accept(), ".pdf,.png,.jpeg,.jpg,.pptx,.odp");
        let jpeg = check_attachment("photo.JPG", b"\xFF\xD8\xFF\xE0").expect("a JPEG");
        assert_eq!(attachment_kind(jpeg).as_deref(), Some("JPEG"));
        assert_eq!(
            attachment_kind("application/vnd.oasis.opendocument.presentation").as_deref(),
            Some("ODP")
        );
        assert_eq!(attachment_kind("application/x-msdownload"), None);
    }

    fn call() -> CompetitionInput {
        CompetitionInput {
            title_ru: "Конкурс 2026".into(),
            year: Some(2026),
            nominations: vec!["Открытые данные".into(), " ".into(), "Транспорт".into()],
            criteria: vec![CriterionInput {
                name_ru: "Результаты".into(),
                weight: Some(2.0),
                anchors_ru: (1..=5).map(|i| format!("уровень {i}")).collect(),
                ..Default::default()
            }],
            submission_deadline: "2026-03-01".into(),
            evaluation_deadline: "2026-04-01".into(),
            results_on: "2026-04-15".into(),
            jury_body: "jury".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_call_is_checked_with_the_row_of_a_bad_criterion() {
        let checked = call().check().expect("a call");
        assert_eq!(checked.nominations, vec!["Открытые данные", "Транспорт"]);
        let mut bad = call();
        bad.criteria.push(CriterionInput {
            name_en: "Reuse".into(),
            weight: Some(1.0),
            anchors_en: vec!["a".into(), "b".into(), "".into(), "d".into(), "e".into()],
            ..Default::default()
        });
        let error = bad.check().expect_err("point 3 has no text");
        assert_eq!((error.field, error.row), ("criteria.anchors_ru", Some(2)));
        let mut bad = call();
        bad.criteria[0].weight = Some(0.0);
        assert_eq!(bad.check().expect_err("weight").field, "criteria.weight");
        let mut bad = call();
        bad.results_on = "2026-03-31".into();
        assert_eq!(bad.check().expect_err("order").field, "results_on");
        let mut bad = call();
        bad.nominations.push("транспорт".into());
        let error = bad.check().expect_err("twice");
        assert_eq!((error.field, error.row), ("nominations", Some(4)));
    }

    #[test]
    fn entries_are_taken_only_while_open_and_before_the_deadline() {
        let deadline = date!(2026 - 03 - 01);
        let submit = |stage, today| {
            entry_after(EntryState::Draft, EntryStep::Submit, stage, deadline, today)
        };
        assert_eq!(
            submit(Stage::Open, date!(2026 - 03 - 01)),
            Ok(EntryState::Submitted)
        );
        assert_eq!(
            submit(Stage::Open, date!(2026 - 03 - 02)),
            Err(EntryRefusal::PastDeadline)
        );
        assert_eq!(
            submit(Stage::Evaluation, date!(2026 - 02 - 01)),
            Err(EntryRefusal::NotOpen)
        );
        let screen = |state, eligible| {
            entry_after(
                state,
                EntryStep::Screen { eligible },
                Stage::Open,
                deadline,
                date!(2026 - 03 - 10),
            )
        };
        assert_eq!(
            screen(EntryState::Submitted, false),
            Ok(EntryState::Ineligible)
        );
        assert_eq!(
            screen(EntryState::Draft, true),
            Err(EntryRefusal::WrongState)
        );
        assert_eq!(
            entry_after(
                EntryState::Eligible,
                EntryStep::Withdraw,
                Stage::Evaluation,
                deadline,
                date!(2026 - 03 - 10)
            ),
            Err(EntryRefusal::NotOpen)
        );
    }

    #[test]
    fn stages_follow_one_another() {
        assert_eq!(Stage::Draft.after(Step::Open), Some(Stage::Open));
        assert_eq!(Stage::Draft.after(Step::Publish), None);
        assert_eq!(Stage::Decided.after(Step::Publish), Some(Stage::Published));
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.as_str()), Some(stage));
        }
    }
}

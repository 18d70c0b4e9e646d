//! The Board's execution report (control of execution of session decisions) rendered as an
//! XLSX workbook ([`to_xlsx`]) and, with the cargo feature `pdf`, as a typeset PDF
//! ([`to_pdf`], through an embedded typst compiler).
//!
//! Pure: a value in, bytes out. No HTTP, no SQL, no file I/O; all texts arrive already
//! localised. This crate holds the report's layout (the sheet and the typst template); the
//! engine — typst with embedded fonts, the XLSX writer — is `megapolis-documents`.
//!
//! ```
//! use megapolis_reports::{to_xlsx, ExecutionReport, Labels, ReportRow};
//! let report = ExecutionReport {
//!     title: "Execution of session decisions".into(),
//!     subtitle: "as of 25.11.2026".into(),
//!     labels: Labels::english(),
//!     totals: vec![("New".into(), 1)],
//!     rows: vec![ReportRow {
//!         decision: "Session 18".into(),
//!         item: "1.2".into(),
//!         task: "Prepare the plan".into(),
//!         lead: "Secretariat".into(),
//!         co_executors: String::new(),
//!         deadline: None,
//!         deadline_text: "by the next session".into(),
//!         state: "New".into(),
//!         overdue: false,
//!         progress: 0,
//!         last_report: String::new(),
//!         returned: false,
//!     }],
//! };
//! let bytes = to_xlsx(&report).expect("a workbook");
//! assert!(bytes.starts_with(b"PK"));
//! ```
mod xlsx;

#[cfg(feature = "pdf")]
mod pdf;

#[cfg(feature = "pdf")]
pub use pdf::to_pdf;
pub use xlsx::to_xlsx;

/// The whole report: headings, totals by state, and one row per assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionReport {
    /// E.g. «Исполнение решений сессий МАГ» (already localised).
    pub title: String,
    /// E.g. «по состоянию на 25.11.2026» (already localised).
    pub subtitle: String,
    /// Localised column and section labels.
    pub labels: Labels,
    /// Localised state label → count, in display order (e.g. «Новое», 3).
    pub totals: Vec<(String, u64)>,
    /// The table rows, in display order.
    pub rows: Vec<ReportRow>,
}

/// Localised column and section labels.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Labels {
    pub decision: String,
    pub item: String,
    pub task: String,
    pub lead: String,
    pub co_executors: String,
    pub deadline: String,
    pub state: String,
    pub progress: String,
    pub overdue: String,
    pub totals: String,
    pub last_report: String,
    /// Shown instead of an empty lead executor, e.g. «Исполнитель не назван».
    pub no_lead: String,
    /// The mark of a report returned to work, e.g. «Отчёт возвращён».
    pub returned: String,
}

impl Labels {
    /// English labels, for tests and as a fallback.
    pub fn english() -> Self {
        Self {
            decision: "Decision".into(),
            item: "Item".into(),
            task: "Task".into(),
            lead: "Lead executor".into(),
            co_executors: "Co-executors".into(),
            deadline: "Deadline".into(),
            state: "State".into(),
            progress: "Progress".into(),
            overdue: "Overdue".into(),
            totals: "Totals".into(),
            last_report: "Last report".into(),
            no_lead: "No executor named".into(),
            returned: "Report returned".into(),
        }
    }

    /// Russian labels, for tests and as a fallback.
    pub fn russian() -> Self {
        Self {
            decision: "Решение".into(),
            item: "Пункт".into(),
            task: "Поручение".into(),
            lead: "Ответственный".into(),
            co_executors: "Соисполнители".into(),
            deadline: "Срок".into(),
            state: "Состояние".into(),
            progress: "Выполнение".into(),
            overdue: "Просрочено".into(),
            totals: "Итого".into(),
            last_report: "Последний отчёт".into(),
            no_lead: "Исполнитель не назван".into(),
            returned: "Отчёт возвращён".into(),
        }
    }
}

/// One assignment of a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    /// E.g. «Сессия 18, 2 июня 2010 г.» or the decision title.
    pub decision: String,
    /// The item number, e.g. "1.2".
    pub item: String,
    pub task: String,
    /// May be empty: the report then shows [`Labels::no_lead`].
    pub lead: String,
    /// Joined with ", ".
    pub co_executors: String,
    pub deadline: Option<time::Date>,
    /// Shown when `deadline` is `None`; may be empty.
    pub deadline_text: String,
    /// Localised state label.
    pub state: String,
    pub overdue: bool,
    /// Percent, 0..=100 (larger values are shown as 100).
    pub progress: u8,
    /// May be empty.
    pub last_report: String,
    /// The controller returned the last report and the work goes on: the report shows
    /// [`Labels::returned`] beside the state.
    pub returned: bool,
}

impl ReportRow {
    /// The lead executor as the report shows it: the name, or the label of no executor.
    pub(crate) fn lead_or<'a>(&'a self, labels: &'a Labels) -> &'a str {
        if self.lead.trim().is_empty() {
            &labels.no_lead
        } else {
            &self.lead
        }
    }
}

/// The rows grouped by decision, the groups in the order their first row comes in, the rows of
/// each group in their order: a decision's title is written once, above its rows, even when the
/// caller's rows of a decision are not together.
#[cfg_attr(not(feature = "pdf"), allow(dead_code))]
pub(crate) fn by_decision(rows: &[ReportRow]) -> Vec<(&str, Vec<&ReportRow>)> {
    let mut groups: Vec<(&str, Vec<&ReportRow>)> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for row in rows {
        let at = *index.entry(row.decision.as_str()).or_insert_with(|| {
            groups.push((row.decision.as_str(), Vec::new()));
            groups.len() - 1
        });
        groups[at].1.push(row);
    }
    groups
}

/// Why a report could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// The XLSX writer refused the workbook.
    #[error("cannot write the XLSX workbook: {0}")]
    Xlsx(String),
    /// The generated typst document did not compile (messages of the typst diagnostics).
    #[error("cannot typeset the PDF report: {}", .0.join("; "))]
    Typeset(Vec<String>),
    /// The typeset document could not be exported as PDF (messages of the diagnostics).
    #[error("cannot export the PDF report: {}", .0.join("; "))]
    PdfExport(Vec<String>),
}

impl ReportError {
    /// The document engine's error as this crate's (same messages).
    fn from_document(e: megapolis_documents::DocumentError) -> Self {
        use megapolis_documents::DocumentError as D;
        match e {
            D::Xlsx(message) => Self::Xlsx(message),
            D::Typeset(messages) => Self::Typeset(messages),
            D::PdfExport(messages) => Self::PdfExport(messages),
            // The report adds no files; should it ever, a bad name is a typesetting failure.
            D::FileName(message) => Self::Typeset(vec![message]),
        }
    }
}

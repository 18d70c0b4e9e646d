//! The report as a typeset PDF: the typst template of the report, filled from the value and
//! typeset by megapolis-documents (in-process typst, embedded fonts, nothing downloaded).
//!
//! User text never becomes markup: every text of the report is written as a typst *string
//! literal* (escaped by [`typst_str`]), which typst shows verbatim, so `#`, `*`, `$`, `[`, `@`,
//! `<`, `\` and quotes in a task cannot change the document.

use std::fmt::Write as _;

use megapolis_documents::{format_date, render_pdf, typst_str, Document};

use crate::{ExecutionReport, Labels, ReportError, ReportRow};

/// Renders the report as a PDF (A4 landscape).
pub fn to_pdf(report: &ExecutionReport) -> Result<Vec<u8>, ReportError> {
    render_pdf(&Document::new(markup(report))).map_err(ReportError::from_document)
}

/// Russian when the title has Cyrillic letters: hyphenation and quotes follow `lang`.
fn lang(report: &ExecutionReport) -> &'static str {
    if report
        .title
        .chars()
        .any(|c| matches!(c, '\u{0400}'..='\u{04FF}'))
    {
        "ru"
    } else {
        "en"
    }
}

const PREAMBLE: &str = r##"#let late = rgb("#9c0006")
#let late-fill = rgb("#fde2e1")
#let bar(p) = box(width: 2.6em, height: 0.5em, fill: luma(225), radius: 1pt, clip: true,
  box(width: p * 1%, height: 100%, fill: rgb("#4a78b5")))
#set page(paper: "a4", flipped: true, margin: (x: 12mm, top: 12mm, bottom: 15mm),
  footer: context align(right, text(size: 8pt, counter(page).display("1 / 1", both: true))))
#set par(justify: false)
#set table(stroke: 0.4pt + luma(150), inset: (x: 4pt, y: 3pt), align: left + top)
"##;

/// The whole typst source of the report.
fn markup(report: &ExecutionReport) -> String {
    let mut m = String::with_capacity(4096 + report.rows.len() * 512);
    let _ = writeln!(m, "#set document(title: {})", typst_str(&report.title));
    let _ = writeln!(
        m,
        "#set text(font: (\"Libertinus Serif\", \"New Computer Modern\"), size: 9pt, lang: \"{}\", hyphenate: true)",
        lang(report)
    );
    m.push_str(PREAMBLE);
    let _ = writeln!(
        m,
        "#block(below: 0.5em, text(size: 16pt, weight: \"bold\", {}))",
        typst_str(&report.title)
    );
    let _ = writeln!(
        m,
        "#block(below: 1em, text(size: 10.5pt, style: \"italic\", {}))",
        typst_str(&report.subtitle)
    );
    totals(&mut m, report);
    table(&mut m, report);
    m
}

/// The totals block: the heading, then the states with their counts under them.
fn totals(m: &mut String, report: &ExecutionReport) {
    if report.totals.is_empty() {
        return;
    }
    let _ = write!(
        m,
        "#block(below: 1.2em, table(columns: {}, stroke: none, inset: (x: 6pt, y: 2pt), align: center,\n  table.cell(rowspan: 2, align: left + horizon, strong({})),",
        report.totals.len() + 1,
        typst_str(&report.labels.totals)
    );
    for (label, _) in &report.totals {
        let _ = write!(m, " {},", typst_str(label));
    }
    m.push_str("\n ");
    for (_, count) in &report.totals {
        let _ = write!(m, " strong(\"{count}\"),");
    }
    m.push_str("\n))\n");
}

/// How many columns the table has: the decision is the heading of its group of rows, not a
/// column.
const COLUMNS: usize = 8;

/// The table of assignments, its header repeated on every page; the rows of each decision under
/// one heading row with the decision's title.
fn table(m: &mut String, report: &ExecutionReport) {
    let l = &report.labels;
    m.push_str(
        "#table(\n  columns: (auto, 1fr, 13%, 12%, 6.6em, 7.5em, 5.6em, 17%),\n  fill: (x, y) => if y == 0 { luma(228) },\n  table.header(",
    );
    let header = [
        &l.item,
        &l.task,
        &l.lead,
        &l.co_executors,
        &l.deadline,
        &l.state,
        &l.progress,
        &l.last_report,
    ];
    debug_assert_eq!(header.len(), COLUMNS);
    for label in header {
        let _ = write!(m, "strong({}), ", typst_str(label));
    }
    m.push_str("),\n");
    for (decision, rows) in crate::by_decision(&report.rows) {
        let _ = writeln!(
            m,
            "  table.cell(colspan: {COLUMNS}, fill: luma(242), strong({})),",
            typst_str(decision)
        );
        for row in rows {
            table_row(m, row, l);
        }
    }
    m.push_str(")\n");
}

fn table_row(m: &mut String, row: &ReportRow, labels: &Labels) {
    let deadline = match row.deadline {
        Some(d) => format_date(d),
        None => row.deadline_text.clone(),
    };
    let progress = row.progress.min(100);
    let mut marks = Vec::new();
    if row.overdue {
        marks.push(format!(
            "text(weight: \"bold\", size: 8pt, \"! \" + {})",
            typst_str(&labels.overdue)
        ));
    }
    if row.returned {
        marks.push(format!(
            "text(weight: \"bold\", size: 8pt, {})",
            typst_str(&labels.returned)
        ));
    }
    let state = if marks.is_empty() {
        typst_str(&row.state)
    } else {
        format!(
            "stack(dir: ttb, spacing: 3pt, {}, {})",
            typst_str(&row.state),
            marks.join(", ")
        )
    };
    let lead = if row.lead.trim().is_empty() {
        format!("emph({})", typst_str(row.lead_or(labels)))
    } else {
        typst_str(&row.lead)
    };
    let cells = [
        typst_str(&row.item),
        typst_str(&row.task),
        lead,
        typst_str(&row.co_executors),
        typst_str(&deadline),
        state,
        format!("[{progress}%#h(0.3em)#bar({progress})]"),
        typst_str(&row.last_report),
    ];
    m.push(' ');
    for cell in cells {
        if row.overdue {
            let _ = write!(m, " table.cell(fill: late-fill, text(fill: late, {cell})),");
        } else {
            let _ = write!(m, " {cell},");
        }
    }
    m.push('\n');
}

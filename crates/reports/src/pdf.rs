//! The report as a typeset PDF: typst markup generated from the report, compiled by an
//! in-process typst with a minimal [`World`] that serves that one source and the fonts embedded
//! by typst-assets. Nothing is read from disk or downloaded.
//!
//! User text never becomes markup: every text of the report is written as a typst *string
//! literal* (escaped by [`typst_str`]), which typst shows verbatim, so `#`, `*`, `$`, `[`, `@`,
//! `<`, `\` and quotes in a task cannot change the document.

use std::fmt::Write as _;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::{format_date, ExecutionReport, ReportError, ReportRow};

/// Renders the report as a PDF (A4 landscape).
pub fn to_pdf(report: &ExecutionReport) -> Result<Vec<u8>, ReportError> {
    let world = ReportWorld {
        source: Source::detached(markup(report)),
    };
    let compiled = typst::compile::<PagedDocument>(&world).output;
    let result = compiled
        .map_err(|diags| ReportError::Typeset(messages(&diags)))
        .and_then(|document| {
            let options = PdfOptions {
                creator: Smart::Custom(Some("Megapolis".to_string())),
                ..PdfOptions::default()
            };
            typst_pdf::pdf(&document, &options)
                .map_err(|diags| ReportError::PdfExport(messages(&diags)))
        });
    // typst memoises across compilations in a global cache: drop what older runs left.
    typst::comemo::evict(2);
    result
}

fn messages(diags: &[SourceDiagnostic]) -> Vec<String> {
    diags
        .iter()
        .map(|d| {
            let mut m = d.message.to_string();
            for hint in &d.hints {
                let _ = write!(m, " (hint: {})", hint.v);
            }
            m
        })
        .collect()
}

/// The fonts bundled with typst (Libertinus Serif, New Computer Modern, DejaVu Sans Mono, …),
/// parsed once.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::builder().build()));

/// One generated main source; no other files exist.
struct ReportWorld {
    source: Source,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.source.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.source.id() {
            Ok(self.source.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.source.id() {
            Ok(Bytes::from_string(self.source.text().to_string()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
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

/// A typst string literal showing `text` verbatim.
fn typst_str(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            // Other control characters (\r, NUL, …) cannot be shown: leave them out.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
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

/// The table of assignments, its header repeated on every page.
fn table(m: &mut String, report: &ExecutionReport) {
    let l = &report.labels;
    m.push_str(
        "#table(\n  columns: (12%, auto, 1fr, 11%, 11%, 6.6em, 7.5em, 5.6em, 15%),\n  fill: (x, y) => if y == 0 { luma(228) },\n  table.header(",
    );
    for label in [
        &l.decision,
        &l.item,
        &l.task,
        &l.lead,
        &l.co_executors,
        &l.deadline,
        &l.state,
        &l.progress,
        &l.last_report,
    ] {
        let _ = write!(m, "strong({}), ", typst_str(label));
    }
    m.push_str("),\n");
    for row in &report.rows {
        table_row(m, row, &l.overdue);
    }
    m.push_str(")\n");
}

fn table_row(m: &mut String, row: &ReportRow, overdue_label: &str) {
    let deadline = match row.deadline {
        Some(d) => format_date(d),
        None => row.deadline_text.clone(),
    };
    let progress = row.progress.min(100);
    let state = if row.overdue {
        format!(
            "stack(dir: ttb, spacing: 3pt, {}, text(weight: \"bold\", size: 8pt, \"! \" + {}))",
            typst_str(&row.state),
            typst_str(overdue_label)
        )
    } else {
        typst_str(&row.state)
    };
    let cells = [
        typst_str(&row.decision),
        typst_str(&row.item),
        typst_str(&row.task),
        typst_str(&row.lead),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_literals_escape_quotes_backslashes_and_controls() {
        assert_eq!(typst_str(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(typst_str("x\r\ny\t\u{7}\u{0}"), r#""x\ny\t""#);
        assert_eq!(
            typst_str("#set *x* $y$ [z] @r <l>"),
            "\"#set *x* $y$ [z] @r <l>\""
        );
    }
}

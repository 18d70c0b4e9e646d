//! The document engine of Megapolis: every capability that hands out a document (the execution
//! report, the monitoring report, the catalogue book, certificates, the plan of events) builds a
//! value here and gets bytes back.
//!
//! - PDF (cargo feature `pdf`): a capability writes its template as typst markup — a
//!   [`Document`] with the main file and any extra virtual files (SVG charts, images, `.typ`
//!   modules) — and [`render_pdf`] typesets it with an in-process typst. The fonts are compiled
//!   into the binary (typst-assets); nothing is read from disk or downloaded, so `@preview`
//!   packages are not available. User text goes into the markup only through [`typst_str`].
//! - QR codes: [`qr_svg`] (an SVG to place beside the markup or inline in a page).
//! - XLSX: [`render_xlsx`] writes a workbook of [`Sheet`]s — optional title lines, a bold frozen
//!   header row with an autofilter, rows of typed [`Cell`]s, column widths.
//!
//! Pure: no runtime, no HTTP, no SQL, no file I/O.
//!
//! ```
//! use megapolis_documents::{render_xlsx, Cell, Column, Row, Sheet};
//! let mut sheet = Sheet::new("Cities");
//! sheet.columns = vec![Column::new("City"), Column::new("Population")];
//! sheet.rows = vec![Row::new(vec![Cell::from("Москва"), Cell::from(13_100_000.0)])];
//! let bytes = render_xlsx(&[sheet]).expect("a workbook");
//! assert!(bytes.starts_with(b"PK"));
//! ```
#[cfg(feature = "pdf")]
mod pdf;
mod xlsx;

#[cfg(feature = "pdf")]
pub use pdf::render_pdf;
pub use xlsx::{render_xlsx, Cell, Column, Row, Sheet};

/// A typst document: the markup of the main file plus extra virtual files beside it.
///
/// The main file is `/main.typ`; a file named `chart.svg` is `/chart.svg` and the markup shows it
/// with `#image("chart.svg")`; a file ending in `.typ` can be imported
/// (`#import "table.typ": row`). No other file exists. The markup sets the language itself, e.g.
/// `#set text(lang: "ru")` (hyphenation and quotes follow it).
///
/// Use fixed file names per template (not names made from user data): typst interns every path
/// it sees for the life of the process.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    /// The typst markup of the main file.
    pub markup: String,
    /// Extra files by name (a path relative to the main file, e.g. `"chart.svg"`), with contents.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Document {
    /// A document of this markup and no extra files.
    pub fn new(markup: impl Into<String>) -> Self {
        Self {
            markup: markup.into(),
            files: Vec::new(),
        }
    }

    /// The document with one more virtual file, e.g. `.with_file("chart.svg", svg)`.
    #[must_use]
    pub fn with_file(mut self, name: impl Into<String>, contents: impl Into<Vec<u8>>) -> Self {
        self.files.push((name.into(), contents.into()));
        self
    }
}

/// Why a document could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// The markup did not compile: one message per typst diagnostic, as
    /// `main.typ:3:5: unknown variable: foo (hint: …)` (line and column from 1).
    #[error("cannot typeset the document: {}", .0.join("; "))]
    Typeset(Vec<String>),
    /// The typeset document could not be exported as PDF (messages of the diagnostics).
    #[error("cannot export the document as PDF: {}", .0.join("; "))]
    PdfExport(Vec<String>),
    /// An extra file of a [`Document`] has a name that is not a valid relative path.
    #[error("invalid file name in the document: {0}")]
    FileName(String),
    /// The XLSX writer refused the workbook (its message).
    #[error("cannot write the XLSX workbook: {0}")]
    Xlsx(String),
}

/// A typst string literal showing `text` verbatim: `"…"` with `\` and `"` escaped, newlines and
/// tabs as `\n` and `\t`, other control characters left out.
///
/// Templates put every user text into the markup through this, as an expression
/// (`#strong(…)`, `table(…, {}, …)`, `text(size: 9pt, {})`): typst shows a string as is, so `#`,
/// `*`, `_`, `$`, `[`, `]`, `<`, `@` and quotes in the text cannot change the document.
pub fn typst_str(text: &str) -> String {
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

/// The QR code of `text` as an SVG image (no XML prolog, so it also sits inline in a page), at
/// least 160 px with its quiet zone; `None` when the text is too long for a QR code. Documents
/// show it as a file beside their markup; pages inline it.
pub fn qr_svg(text: &str) -> Option<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    let start = image.find("<svg")?;
    Some(image[start..].to_string())
}

/// `dd.mm.yyyy`, as dates are shown in Megapolis documents (and in XLSX cells when Excel cannot
/// hold the date).
pub fn format_date(d: time::Date) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), u8::from(d.month()), d.year())
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

    #[test]
    fn dates_are_day_month_year() {
        let d = time::Date::from_calendar_date(2026, time::Month::March, 5).expect("a date");
        assert_eq!(format_date(d), "05.03.2026");
    }

    #[test]
    fn documents_collect_files() {
        let doc = Document::new("#image(\"a.svg\")").with_file("a.svg", b"<svg/>".to_vec());
        assert_eq!(doc.files, [("a.svg".to_string(), b"<svg/>".to_vec())]);
    }
}

//! Sheets of cells as an XLSX workbook (rust_xlsxwriter), for the common case of a titled table.
//!
//! Layout of a [`Sheet`], from the top: the title (bold, 14 pt) and the subtitle (italic), each
//! when present, then an empty row; the free [`Sheet::lines`] (e.g. totals) and an empty row
//! after them; then the table: a bold, wrapped, filled header row that is frozen, filtered and
//! repeated on printed pages, and the rows with thin borders. Dates are real date cells
//! (`dd.mm.yyyy`), percentages numbers in percent format, booleans centred; highlighted rows
//! are filled light red. Printing: A4, one page wide, landscape when asked.

use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::{format_date, DocumentError};

/// Excel's limit for the text of one cell, in UTF-16 code units.
const MAX_CELL_UTF16: usize = 32_767;

/// Bounds of a computed column width, in characters.
const MIN_WIDTH: f64 = 6.0;
const MAX_WIDTH: f64 = 60.0;

const HIGHLIGHT_FILL: u32 = 0xFDE2E1;
const HIGHLIGHT_FONT: u32 = 0x9C0006;
const HEADER_FILL: u32 = 0xDDE4EE;
const BORDER: u32 = 0xBFBFBF;
const DATE_FORMAT: &str = "dd.mm.yyyy";
const PERCENT_FORMAT: &str = "0%";

/// One worksheet: optional heading lines, then a table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    /// The tab name (at most 31 characters, none of `[ ] : * ? / \`).
    pub name: String,
    /// In A1, bold 14 pt.
    pub title: Option<String>,
    /// Under the title, italic.
    pub subtitle: Option<String>,
    /// Free lines between the heading and the table, e.g. totals (`[Bold("Totals")]`, then
    /// `[Text("New"), Number(3.0)]`, …); no borders.
    pub lines: Vec<Vec<Cell>>,
    /// The table's columns; none means no table.
    pub columns: Vec<Column>,
    /// The table's rows.
    pub rows: Vec<Row>,
    /// Print in landscape (else portrait).
    pub landscape: bool,
}

impl Sheet {
    /// An empty sheet of this name.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }
}

/// A table column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Column {
    /// The header text.
    pub header: String,
    /// Width in characters; `None`: from the longest header or cell, within 6..=60.
    pub width: Option<f64>,
    /// Wrap the text cells of this column (the header always wraps).
    pub wrap: bool,
}

impl Column {
    /// A column of this header, width from its contents, no wrapping.
    pub fn new(header: impl Into<String>) -> Self {
        Self {
            header: header.into(),
            width: None,
            wrap: false,
        }
    }

    /// This width in characters.
    #[must_use]
    pub fn width(mut self, width: f64) -> Self {
        self.width = Some(width);
        self
    }

    /// Text cells wrap.
    #[must_use]
    pub fn wrap(mut self) -> Self {
        self.wrap = true;
        self
    }
}

/// A table row: one cell per column (missing cells stay empty).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    pub cells: Vec<Cell>,
    /// Light red fill and dark red text, for rows that need attention (e.g. overdue).
    pub highlight: bool,
}

impl Row {
    /// A plain row of these cells.
    pub fn new(cells: Vec<Cell>) -> Self {
        Self {
            cells,
            highlight: false,
        }
    }

    /// The row highlighted.
    #[must_use]
    pub fn highlighted(mut self) -> Self {
        self.highlight = true;
        self
    }
}

/// One cell's value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    #[default]
    Empty,
    /// Text; longer than Excel's limit (32 767 UTF-16 units) it is cut with "…".
    Text(String),
    /// Bold text.
    Bold(String),
    Number(f64),
    /// A fraction shown in percent: 0.4 is 40%.
    Percent(f64),
    /// A date cell `dd.mm.yyyy`; a date Excel cannot hold (before 1900) is written as that text.
    Date(time::Date),
    Bool(bool),
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Self::Text(text.to_string())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<f64> for Cell {
    fn from(number: f64) -> Self {
        Self::Number(number)
    }
}

impl From<bool> for Cell {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

impl From<time::Date> for Cell {
    fn from(date: time::Date) -> Self {
        Self::Date(date)
    }
}

/// Writes the sheets, in order, as an XLSX workbook.
pub fn render_xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, DocumentError> {
    build(sheets).map_err(|e| DocumentError::Xlsx(e.to_string()))
}

/// The formats of one kind of cell: plain, wrapped, date, percent, boolean.
struct Kinds {
    plain: Format,
    wrap: Format,
    date: Format,
    percent: Format,
    boolean: Format,
}

impl Kinds {
    fn of(base: &Format) -> Self {
        Self {
            plain: base.clone(),
            wrap: base.clone().set_text_wrap(),
            date: base
                .clone()
                .set_num_format(DATE_FORMAT)
                .set_align(FormatAlign::Left),
            percent: base.clone().set_num_format(PERCENT_FORMAT),
            boolean: base.clone().set_align(FormatAlign::Center),
        }
    }
}

struct Formats {
    title: Format,
    subtitle: Format,
    bold: Format,
    header: Format,
    /// Cells of the free lines (no borders).
    line: Kinds,
    /// Table cells: plain and highlighted.
    table: [Kinds; 2],
    /// Bold table cells: plain and highlighted.
    table_bold: [Format; 2],
}

impl Formats {
    fn new() -> Self {
        let base = Format::new()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(BORDER));
        let highlight = base
            .clone()
            .set_background_color(Color::RGB(HIGHLIGHT_FILL))
            .set_font_color(Color::RGB(HIGHLIGHT_FONT));
        Self {
            title: Format::new().set_bold().set_font_size(14),
            subtitle: Format::new().set_italic(),
            bold: Format::new().set_bold(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(HEADER_FILL)),
            line: Kinds::of(&Format::new()),
            table_bold: [
                base.clone().set_bold().set_text_wrap(),
                highlight.clone().set_bold().set_text_wrap(),
            ],
            table: [Kinds::of(&base), Kinds::of(&highlight)],
        }
    }
}

fn build(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        write_sheet(worksheet, sheet, &formats)?;
    }
    workbook.save_to_buffer()
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    ws.set_paper_size(9); // A4
    if sheet.landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_fit_to_pages(1, 0);

    let mut row: u32 = 0;
    if let Some(title) = &sheet.title {
        ws.write_string_with_format(row, 0, cell_text(title), &f.title)?;
        ws.set_row_height(row, 21)?;
        row += 1;
    }
    if let Some(subtitle) = &sheet.subtitle {
        ws.write_string_with_format(row, 0, cell_text(subtitle), &f.subtitle)?;
        row += 1;
    }
    if row > 0 {
        row += 1;
    }
    if !sheet.lines.is_empty() {
        for line in &sheet.lines {
            for (col, cell) in (0u16..).zip(line) {
                write_line_cell(ws, row, col, cell, f)?;
            }
            row = next(row)?;
        }
        row = next(row)?;
    }

    if sheet.columns.is_empty() {
        return Ok(());
    }
    let header = row;
    let last_col =
        u16::try_from(sheet.columns.len() - 1).map_err(|_| XlsxError::RowColumnLimitError)?;
    for (col, column) in (0u16..).zip(&sheet.columns) {
        ws.write_string_with_format(header, col, cell_text(&column.header), &f.header)?;
        let width = column
            .width
            .unwrap_or_else(|| auto_width(sheet, usize::from(col)));
        ws.set_column_width(col, width)?;
    }
    let mut last_row = header;
    for item in &sheet.rows {
        last_row = next(last_row)?;
        let k = usize::from(item.highlight);
        for (col, column) in (0u16..).zip(&sheet.columns) {
            let cell = item.cells.get(usize::from(col)).unwrap_or(&Cell::Empty);
            write_table_cell(ws, last_row, col, cell, column.wrap, k, f)?;
        }
    }
    ws.autofilter(header, 0, last_row, last_col)?;
    ws.set_freeze_panes(next(header)?, 0)?;
    ws.set_repeat_rows(header, header)?;
    Ok(())
}

fn next(row: u32) -> Result<u32, XlsxError> {
    row.checked_add(1).ok_or(XlsxError::RowColumnLimitError)
}

fn write_line_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    f: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Text(text) => {
            ws.write_string(row, col, cell_text(text))?;
        }
        Cell::Bold(text) => {
            ws.write_string_with_format(row, col, cell_text(text), &f.bold)?;
        }
        Cell::Number(n) => {
            ws.write_number(row, col, *n)?;
        }
        Cell::Percent(p) => {
            ws.write_number_with_format(row, col, *p, &f.line.percent)?;
        }
        Cell::Date(d) => write_date(ws, row, col, *d, &f.line.date, &f.line.plain)?,
        Cell::Bool(b) => {
            ws.write_boolean(row, col, *b)?;
        }
    }
    Ok(())
}

fn write_table_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    wrap: bool,
    k: usize,
    f: &Formats,
) -> Result<(), XlsxError> {
    let kinds = &f.table[k];
    let text = if wrap { &kinds.wrap } else { &kinds.plain };
    match cell {
        Cell::Empty => {
            ws.write_blank(row, col, text)?;
        }
        Cell::Text(s) => {
            ws.write_string_with_format(row, col, cell_text(s), text)?;
        }
        Cell::Bold(s) => {
            ws.write_string_with_format(row, col, cell_text(s), &f.table_bold[k])?;
        }
        Cell::Number(n) => {
            ws.write_number_with_format(row, col, *n, &kinds.plain)?;
        }
        Cell::Percent(p) => {
            ws.write_number_with_format(row, col, *p, &kinds.percent)?;
        }
        Cell::Date(d) => write_date(ws, row, col, *d, &kinds.date, text)?,
        Cell::Bool(b) => {
            ws.write_boolean_with_format(row, col, *b, &kinds.boolean)?;
        }
    }
    Ok(())
}

/// A date cell, or (a date Excel cannot hold) its `dd.mm.yyyy` text.
fn write_date(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    d: time::Date,
    date: &Format,
    text: &Format,
) -> Result<(), XlsxError> {
    match excel_date(d) {
        Some(value) => ws.write_datetime_with_format(row, col, &value, date)?,
        None => ws.write_string_with_format(row, col, format_date(d), text)?,
    };
    Ok(())
}

/// A date cell, when Excel can represent the date (years 1900..=9999).
fn excel_date(d: time::Date) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(year, u8::from(d.month()), d.day()).ok()
}

/// The width of a column from its header and cells: the longest in characters, plus a margin.
fn auto_width(sheet: &Sheet, col: usize) -> f64 {
    let header = sheet.columns.get(col).map_or(0, |c| {
        c.header
            .split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0)
    });
    let widest = sheet
        .rows
        .iter()
        .filter_map(|r| r.cells.get(col))
        .map(cell_width)
        .fold(header, usize::max);
    // Character counts are small: exact as f64.
    ((widest as f64) + 2.0).clamp(MIN_WIDTH, MAX_WIDTH)
}

fn cell_width(cell: &Cell) -> usize {
    match cell {
        Cell::Empty => 0,
        Cell::Text(s) | Cell::Bold(s) => s.lines().map(|l| l.chars().count()).max().unwrap_or(0),
        Cell::Number(n) => n.to_string().chars().count(),
        Cell::Percent(_) => 5,
        Cell::Date(_) => 10,
        Cell::Bool(_) => 5,
    }
}

/// The text as Excel can store it: cut (with an ellipsis) at the cell limit.
fn cell_text(text: &str) -> String {
    if text.len() <= MAX_CELL_UTF16 || text.encode_utf16().count() <= MAX_CELL_UTF16 {
        return text.to_string();
    }
    let mut out = String::new();
    let mut units = 0;
    for c in text.chars() {
        units += c.len_utf16();
        if units > MAX_CELL_UTF16 - 1 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_to_the_cell_limit() {
        let text = "я".repeat(40_000);
        let cut = cell_text(&text);
        assert_eq!(cut.encode_utf16().count(), MAX_CELL_UTF16);
        assert!(cut.ends_with('…'));
        assert_eq!(cell_text("short"), "short");
    }

    #[test]
    fn dates_outside_excel_are_not_date_cells() {
        let old = time::Date::from_calendar_date(1850, time::Month::March, 1).expect("a date");
        assert!(excel_date(old).is_none());
        let ok = time::Date::from_calendar_date(2026, time::Month::November, 25).expect("a date");
        assert!(excel_date(ok).is_some());
    }

    #[test]
    fn widths_follow_the_longest_cell_within_bounds() {
        let mut sheet = Sheet::new("S");
        sheet.columns = vec![Column::new("Long header words"), Column::new("N")];
        sheet.rows = vec![Row::new(vec![
            Cell::from("x".repeat(200)),
            Cell::from(true),
        ])];
        assert_eq!(auto_width(&sheet, 0), MAX_WIDTH);
        assert_eq!(auto_width(&sheet, 1), 7.0);
        sheet.rows.clear();
        assert_eq!(auto_width(&sheet, 1), MIN_WIDTH);
    }

    #[test]
    fn a_bad_sheet_name_is_an_error_not_a_panic() {
        let err = render_xlsx(&[Sheet::new("a/b")]).expect_err("an invalid name");
        assert!(matches!(err, DocumentError::Xlsx(_)), "{err:?}");
    }
}

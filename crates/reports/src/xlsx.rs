//! The report as an XLSX workbook (rust_xlsxwriter).
//!
//! Layout of the single sheet "Report": the title, the subtitle, the totals block (state label
//! and count, one per line), an empty line, then the table with a bold frozen header row and an
//! autofilter. Deadlines are real date cells (`dd.mm.yyyy`), progress is a number in percent
//! format, overdue is a boolean, overdue rows are filled light red.

use rust_xlsxwriter::{
    Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::{format_date, ExecutionReport, ReportError, ReportRow};

/// Excel's limit for the text of one cell, in UTF-16 code units.
const MAX_CELL_UTF16: usize = 32_767;

/// Column order of the table, with widths in characters.
const COLUMNS: [f64; 10] = [28.0, 7.0, 60.0, 24.0, 28.0, 11.0, 14.0, 10.0, 11.0, 40.0];
const COL_TASK: u16 = 2;
const COL_DEADLINE: u16 = 5;
const COL_PROGRESS: u16 = 7;
const COL_OVERDUE: u16 = 8;
const LAST_COL: u16 = 9;

const OVERDUE_FILL: u32 = 0xFDE2E1;
const OVERDUE_FONT: u32 = 0x9C0006;
const HEADER_FILL: u32 = 0xDDE4EE;

/// Renders the report as an XLSX workbook.
pub fn to_xlsx(report: &ExecutionReport) -> Result<Vec<u8>, ReportError> {
    build(report).map_err(|e| ReportError::Xlsx(e.to_string()))
}

struct Formats {
    title: Format,
    subtitle: Format,
    totals_heading: Format,
    header: Format,
    plain: [Format; 2],
    wrap: [Format; 2],
    date: [Format; 2],
    percent: [Format; 2],
    boolean: [Format; 2],
}

impl Formats {
    fn new() -> Self {
        let base = Format::new()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xBFBFBF));
        let overdue = base
            .clone()
            .set_background_color(Color::RGB(OVERDUE_FILL))
            .set_font_color(Color::RGB(OVERDUE_FONT));
        let both = |f: fn(Format) -> Format| [f(base.clone()), f(overdue.clone())];
        Self {
            title: Format::new().set_bold().set_font_size(14),
            subtitle: Format::new().set_italic(),
            totals_heading: Format::new().set_bold(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter)
                .set_border(FormatBorder::Thin)
                .set_background_color(Color::RGB(HEADER_FILL)),
            plain: both(|f| f),
            wrap: both(|f| f.set_text_wrap()),
            date: both(|f| f.set_num_format("dd.mm.yyyy").set_align(FormatAlign::Left)),
            percent: both(|f| f.set_num_format("0%")),
            boolean: both(|f| f.set_align(FormatAlign::Center)),
        }
    }
}

fn build(report: &ExecutionReport) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Report")?;

    sheet.write_string_with_format(0, 0, cell_text(&report.title), &formats.title)?;
    sheet.set_row_height(0, 21)?;
    sheet.write_string_with_format(1, 0, cell_text(&report.subtitle), &formats.subtitle)?;

    // Totals block: heading, then one state per line with its count in the next column.
    let mut row: u32 = 3;
    if !report.totals.is_empty() {
        sheet.write_string_with_format(
            row,
            0,
            cell_text(&report.labels.totals),
            &formats.totals_heading,
        )?;
        row += 1;
        for (label, count) in &report.totals {
            sheet.write_string(row, 0, cell_text(label))?;
            // Counts are far below 2^53: exact as f64.
            sheet.write_number(row, 1, *count as f64)?;
            row += 1;
        }
        row += 1;
    }

    let header_row = row;
    let l = &report.labels;
    let headers = [
        &l.decision,
        &l.item,
        &l.task,
        &l.lead,
        &l.co_executors,
        &l.deadline,
        &l.state,
        &l.progress,
        &l.overdue,
        &l.last_report,
    ];
    for (col, text) in (0u16..).zip(headers) {
        sheet.write_string_with_format(header_row, col, cell_text(text), &formats.header)?;
    }
    for (col, width) in (0u16..).zip(COLUMNS) {
        sheet.set_column_width(col, width)?;
    }

    let count = u32::try_from(report.rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
    for (r, item) in (header_row + 1..).zip(&report.rows) {
        write_row(sheet, r, item, &formats)?;
    }
    let last_row = header_row
        .checked_add(count)
        .ok_or(XlsxError::RowColumnLimitError)?;

    sheet.autofilter(header_row, 0, last_row, LAST_COL)?;
    sheet.set_freeze_panes(header_row + 1, 0)?;
    sheet.set_landscape();
    sheet.set_paper_size(9); // A4
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(header_row, header_row)?;

    workbook.save_to_buffer()
}

fn write_row(sheet: &mut Worksheet, r: u32, row: &ReportRow, f: &Formats) -> Result<(), XlsxError> {
    let k = usize::from(row.overdue);
    let texts = [
        (0, &row.decision, &f.wrap[k]),
        (1, &row.item, &f.plain[k]),
        (COL_TASK, &row.task, &f.wrap[k]),
        (3, &row.lead, &f.wrap[k]),
        (4, &row.co_executors, &f.wrap[k]),
        (6, &row.state, &f.wrap[k]),
        (LAST_COL, &row.last_report, &f.wrap[k]),
    ];
    for (col, text, format) in texts {
        sheet.write_string_with_format(r, col, cell_text(text), format)?;
    }

    match row.deadline.and_then(excel_date) {
        Some(date) => {
            sheet.write_datetime_with_format(r, COL_DEADLINE, &date, &f.date[k])?;
        }
        None => {
            // A date Excel cannot hold (before 1900) stays readable as text.
            let text = row
                .deadline
                .map_or_else(|| row.deadline_text.clone(), format_date);
            sheet.write_string_with_format(r, COL_DEADLINE, cell_text(&text), &f.wrap[k])?;
        }
    }
    let progress = f64::from(row.progress.min(100)) / 100.0;
    sheet.write_number_with_format(r, COL_PROGRESS, progress, &f.percent[k])?;
    sheet.write_boolean_with_format(r, COL_OVERDUE, row.overdue, &f.boolean[k])?;
    Ok(())
}

/// A date cell, when Excel can represent the date (years 1900..=9999).
fn excel_date(d: time::Date) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(year, u8::from(d.month()), d.day()).ok()
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
}

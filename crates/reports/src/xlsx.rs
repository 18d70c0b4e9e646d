//! The report as an XLSX workbook, laid out as a [`Sheet`] of megapolis-documents.
//!
//! Layout of the single sheet "Report": the title, the subtitle, the totals block (state label
//! and count, one per line), an empty line, then the table with a bold frozen header row and an
//! autofilter. Deadlines are real date cells (`dd.mm.yyyy`), progress is a number in percent
//! format, overdue is a boolean, overdue rows are filled light red. The decision stays a column
//! (to filter by); an empty lead executor reads [`Labels::no_lead`](crate::Labels::no_lead), and
//! a returned report is marked in the state cell.

use megapolis_documents::{render_xlsx, Cell, Column, Row, Sheet};

use crate::{ExecutionReport, Labels, ReportError, ReportRow};

/// Column widths of the table, in characters, in column order.
const WIDTHS: [f64; 10] = [28.0, 7.0, 60.0, 24.0, 28.0, 11.0, 14.0, 10.0, 11.0, 40.0];

/// Renders the report as an XLSX workbook.
pub fn to_xlsx(report: &ExecutionReport) -> Result<Vec<u8>, ReportError> {
    render_xlsx(&[sheet(report)]).map_err(ReportError::from_document)
}

fn sheet(report: &ExecutionReport) -> Sheet {
    let l = &report.labels;
    let mut sheet = Sheet::new("Report");
    sheet.title = Some(report.title.clone());
    sheet.subtitle = Some(report.subtitle.clone());
    if !report.totals.is_empty() {
        sheet.lines.push(vec![Cell::Bold(l.totals.clone())]);
        for (label, count) in &report.totals {
            // Counts are far below 2^53: exact as f64.
            sheet.lines.push(vec![
                Cell::from(label.as_str()),
                Cell::Number(*count as f64),
            ]);
        }
    }
    // (label, wraps): the deadline wraps when it is the text of `deadline_text`.
    let columns = [
        (&l.decision, true),
        (&l.item, false),
        (&l.task, true),
        (&l.lead, true),
        (&l.co_executors, true),
        (&l.deadline, true),
        (&l.state, true),
        (&l.progress, false),
        (&l.overdue, false),
        (&l.last_report, true),
    ];
    sheet.columns = columns
        .into_iter()
        .zip(WIDTHS)
        .map(|((label, wrap), width)| Column {
            header: label.clone(),
            width: Some(width),
            wrap,
        })
        .collect();
    sheet.rows = report.rows.iter().map(|r| row(r, l)).collect();
    sheet.landscape = true;
    sheet
}

fn row(row: &ReportRow, labels: &Labels) -> Row {
    let deadline = match row.deadline {
        Some(date) => Cell::Date(date),
        None => Cell::from(row.deadline_text.as_str()),
    };
    Row {
        cells: vec![
            Cell::from(row.decision.as_str()),
            Cell::from(row.item.as_str()),
            Cell::from(row.task.as_str()),
            Cell::from(row.lead_or(labels)),
            Cell::from(row.co_executors.as_str()),
            deadline,
            Cell::from(state(row, labels)),
            Cell::Percent(f64::from(row.progress.min(100)) / 100.0),
            Cell::Bool(row.overdue),
            Cell::from(row.last_report.as_str()),
        ],
        highlight: row.overdue,
    }
}

/// The state, with the mark of a returned report after it ("In progress (Report returned)"):
/// the column's filter then tells returned work apart.
fn state(row: &ReportRow, labels: &Labels) -> String {
    if row.returned {
        format!("{} ({})", row.state, labels.returned)
    } else {
        row.state.clone()
    }
}

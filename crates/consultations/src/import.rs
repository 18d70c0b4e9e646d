//! A batch of submissions the Secretariat received outside the portal, from a CSV or XLSX table
//! with a header row: `city`, `lang`, `kind`, `text`, `topic` (or their Russian names `город`,
//! `язык`, `вид`, `текст`, `тема`); `kind` and `text` are required. All or nothing: every row is
//! read, and one bad cell refuses the whole batch with each error named by row (as the sheet
//! numbers it, the header being row 1) and column.
use crate::model::{NewSubmission, SubmissionInput};
use std::io::Cursor;

/// The most rows one batch may have.
pub const MAX_ROWS: usize = 5_000;

/// The columns a batch is read from, with the names a header may give them.
const COLUMNS: [(&str, &str); 5] = [
    ("city", "город"),
    ("lang", "язык"),
    ("kind", "вид"),
    ("text", "текст"),
    ("topic", "тема"),
];

/// One cell's problem: its row as the sheet numbers it, its column, the translation key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    pub row: usize,
    pub column: &'static str,
    pub key: &'static str,
}

/// Why a batch is refused; nothing is saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("the file cannot be read as CSV or XLSX: {0}")]
    Unreadable(String),
    #[error("the header row has no column {0:?}")]
    MissingColumn(&'static str),
    #[error("the table has no rows below its header")]
    Empty,
    #[error("the table has {0} rows; at most {MAX_ROWS} are taken at once")]
    TooMany(usize),
    #[error("{} cells are refused, the first in row {}, column {}", .0.len(), .0[0].row, .0[0].column)]
    Cells(Vec<CellError>),
}

/// A table as read: the header and the rows, every cell as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// An XLSX workbook (its first sheet) when the bytes are a ZIP archive, else UTF-8 CSV
    /// (comma or semicolon, as office programs save it).
    pub fn read(bytes: &[u8]) -> Result<Table, ImportError> {
        if bytes.starts_with(b"PK") {
            read_xlsx(bytes)
        } else {
            let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
                .map_err(|_| ImportError::Unreadable("the CSV is not UTF-8 text".into()))?;
            read_csv(text)
        }
    }
}

fn read_csv(text: &str) -> Result<Table, ImportError> {
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Unreadable(e.to_string()))?;
        records.push(record.iter().map(str::to_string).collect::<Vec<_>>());
    }
    Ok(table_of(records))
}

fn read_xlsx(bytes: &[u8]) -> Result<Table, ImportError> {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| ImportError::Unreadable(format!("not an XLSX workbook: {e}")))?;
    let sheet = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| ImportError::Unreadable("the workbook has no sheet".into()))?;
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| ImportError::Unreadable(e.to_string()))?;
    // From A1 whatever the used range is, so an error's row is the sheet's row.
    let (height, width) = range
        .end()
        .map_or((0, 0), |(r, c)| (r as usize + 1, c as usize + 1));
    let cell = |r: usize, c: usize| -> String {
        let at = u32::try_from(r).ok().zip(u32::try_from(c).ok());
        match at.and_then(|at| range.get_value(at)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Empty) | None => String::new(),
            Some(other) => other.to_string(),
        }
    };
    let records = (0..height)
        .map(|r| (0..width).map(|c| cell(r, c)).collect())
        .collect();
    Ok(table_of(records))
}

/// The first record is the header; blank rows at the end are dropped.
fn table_of(mut records: Vec<Vec<String>>) -> Table {
    while records
        .last()
        .is_some_and(|r| r.iter().all(|c| c.trim().is_empty()))
    {
        records.pop();
    }
    if records.is_empty() {
        return Table::default();
    }
    let header = records.remove(0);
    Table {
        header,
        rows: records,
    }
}

/// The table's submissions, every row parsed as the form's fields are; or every error.
pub fn submissions(table: &Table) -> Result<Vec<NewSubmission>, ImportError> {
    let position = |(en, ru): (&'static str, &'static str)| {
        table.header.iter().position(|h| {
            let h = h.trim().to_lowercase();
            h == en || h == ru
        })
    };
    let mut at = [None; 5];
    for (slot, column) in at.iter_mut().zip(COLUMNS) {
        *slot = position(column);
    }
    for (required, index) in [("kind", 2), ("text", 3)] {
        if at[index].is_none() {
            return Err(ImportError::MissingColumn(required));
        }
    }
    if table.rows.is_empty() {
        return Err(ImportError::Empty);
    }
    if table.rows.len() > MAX_ROWS {
        return Err(ImportError::TooMany(table.rows.len()));
    }
    let mut parsed = Vec::with_capacity(table.rows.len());
    let mut errors = Vec::new();
    for (index, row) in table.rows.iter().enumerate() {
        let cell = |i: usize| at[i].and_then(|c| row.get(c)).cloned().unwrap_or_default();
        let input = SubmissionInput {
            city: cell(0),
            lang: cell(1),
            kind: cell(2),
            text: cell(3),
            topic: cell(4),
        };
        match input.parse() {
            Ok(submission) => parsed.push(submission),
            Err(fields) => errors.extend(fields.0.into_iter().map(|e| CellError {
                row: index + 2,
                column: e.field,
                key: e.key,
            })),
        }
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(ImportError::Cells(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_with_russian_headers_and_semicolons_is_read() {
        let csv = "\u{feff}Город;Вид;Текст\nminsk;proposal;Wi-Fi в метро\nastana;remark;\"Нет; вайфая\"\n\n";
        let table = Table::read(csv.as_bytes()).expect("read");
        let list = submissions(&table).expect("valid");
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].text, "Нет; вайфая");
        assert_eq!(list[0].city.as_ref().map(|c| c.as_str()), Some("minsk"));
    }

    #[test]
    fn every_bad_cell_is_named_by_row_and_column() {
        let csv = "city,kind,text\nminsk,wish,Текст\n,proposal,\nnot a code,remark,ok\n";
        let table = Table::read(csv.as_bytes()).expect("read");
        let Err(ImportError::Cells(errors)) = submissions(&table) else {
            panic!("refused");
        };
        let named: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column)).collect();
        assert_eq!(named, vec![(2, "kind"), (3, "text"), (4, "city")]);
    }

    #[test]
    fn a_table_without_the_required_columns_or_rows_is_refused() {
        let table = Table::read(b"city,text\nminsk,x\n").expect("read");
        assert_eq!(submissions(&table), Err(ImportError::MissingColumn("kind")));
        let table = Table::read(b"kind,text\n").expect("read");
        assert_eq!(submissions(&table), Err(ImportError::Empty));
        assert!(matches!(
            Table::read(b"PK\x03\x04 not a workbook"),
            Err(ImportError::Unreadable(_))
        ));
    }
}

//! The iMeta as the Secretariat edits it: a table of cells under named columns, read from CSV
//! or from the first sheet of an XLSX workbook, changed one node (a row) at a time, and written
//! back as CSV. Columns it does not know are kept as they came; whether the result is a valid
//! methodology is [`crate::EditionInput::parse`]'s to say, so the editor and an upload obey one
//! set of rules.
use crate::edition::{InputError, InputPart};
use megapolis_domain::Lang;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Cursor;

/// The columns a node's form edits, in the form's order: COINr's, then the extra ones of the
/// questionnaire (see `answers`) and the names in both languages.
pub const EDITABLE_COLUMNS: [&str; 18] = [
    "iCode",
    "Type",
    "Level",
    "Parent",
    "iName",
    "name_ru",
    "name_en",
    "Weight",
    "Direction",
    "Unit",
    "Target",
    "question_ru",
    "question_en",
    "answer_type",
    "choices",
    "min",
    "max",
    "evidence",
];

/// One row of iMeta: its cells by column, in [`EDITABLE_COLUMNS`] order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetaNode {
    pub cells: Vec<(&'static str, String)>,
}

impl MetaNode {
    /// A node from form fields (a missing field is an empty cell).
    pub fn from_fields(get: impl Fn(&str) -> Option<String>) -> MetaNode {
        MetaNode {
            cells: EDITABLE_COLUMNS
                .iter()
                .map(|c| (*c, get(c).unwrap_or_default().trim().to_string()))
                .collect(),
        }
    }

    pub fn get(&self, column: &str) -> &str {
        self.cells
            .iter()
            .find(|(c, _)| *c == column)
            .map_or("", |(_, v)| v.as_str())
    }

    pub fn code(&self) -> &str {
        self.get("iCode")
    }
}

/// One row of the table, read by column.
#[derive(Debug, Clone, Copy)]
pub struct MetaRow<'a> {
    table: &'a MetaTable,
    cells: &'a [String],
}

impl<'a> MetaRow<'a> {
    /// The cell under `column`, "" when the table has no such column.
    pub fn get(&self, column: &str) -> &'a str {
        self.table
            .column(column)
            .and_then(|c| self.cells.get(c))
            .map_or("", String::as_str)
    }
}

/// Why a change to the table is refused before the methodology is even checked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("a node needs a code (iCode)")]
    NoCode,
    #[error("the code '{0}' is taken by another node")]
    Taken(String),
    #[error("there is no node '{0}'")]
    Unknown(String),
    #[error("'{0}' has nodes under it ({1}): move or remove them first")]
    HasChildren(String, String),
}

/// iMeta as a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaTable {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl MetaTable {
    /// Reads iMeta CSV (the header is row 1).
    pub fn read_csv(text: &str) -> Result<MetaTable, InputError> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .trim(csv::Trim::All)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let error = |e: csv::Error| InputError {
            part: InputPart::Meta,
            row: e.position().map(|p| p.line() as usize),
            column: None,
            message: e.to_string(),
        };
        let headers = reader
            .headers()
            .map_err(error)?
            .iter()
            .map(str::to_string)
            .collect();
        let rows = reader
            .records()
            .map(|r| r.map(|r| r.iter().map(str::to_string).collect()))
            .collect::<Result<Vec<Vec<String>>, _>>()
            .map_err(error)?;
        Ok(MetaTable { headers, rows })
    }

    /// Reads iMeta from an XLSX workbook: the sheet named `iMeta`, else the first one, laid out
    /// as the CSV is (the header in row 1), so an error's row is the sheet's row.
    pub fn read_xlsx(bytes: &[u8]) -> Result<MetaTable, InputError> {
        use calamine::{open_workbook_from_rs, Reader, Xlsx};
        let refused = |message: String| InputError {
            part: InputPart::Meta,
            row: None,
            column: None,
            message,
        };
        let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
            .map_err(|e| refused(format!("the file is not an XLSX workbook: {e}")))?;
        let names = workbook.sheet_names();
        let sheet = names
            .iter()
            .find(|n| n.eq_ignore_ascii_case("iMeta"))
            .or_else(|| names.first())
            .cloned()
            .ok_or_else(|| refused("the workbook has no sheet".into()))?;
        let range = workbook
            .worksheet_range(&sheet)
            .map_err(|e| refused(format!("the sheet '{sheet}' cannot be read: {e}")))?;
        // Rows and columns as the sheet numbers them, from A1, whatever the used range is.
        let (height, width) = range
            .end()
            .map_or((0, 0), |(r, c)| (r as usize + 1, c as usize + 1));
        let cell = |r: usize, c: usize| {
            u32::try_from(r)
                .ok()
                .zip(u32::try_from(c).ok())
                .map(|at| cell_text(range.get_value(at)))
                .unwrap_or_default()
        };
        let mut headers: Vec<String> = (0..width).map(|c| cell(0, c)).collect();
        while headers.last().is_some_and(String::is_empty) {
            headers.pop();
        }
        if headers.is_empty() {
            return Err(refused(format!(
                "the sheet '{sheet}' has no header row (Level, iCode, iName, …) in row 1"
            )));
        }
        let mut rows: Vec<Vec<String>> = (1..height)
            .map(|r| (0..headers.len()).map(|c| cell(r, c)).collect())
            .collect();
        while rows
            .last()
            .is_some_and(|r: &Vec<String>| r.iter().all(String::is_empty))
        {
            rows.pop();
        }
        Ok(MetaTable { headers, rows })
    }

    /// The table as iMeta CSV.
    pub fn to_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let written = writer
            .write_record(&self.headers)
            .and_then(|()| self.rows.iter().try_for_each(|r| writer.write_record(r)));
        // Writing to memory cannot fail but for a bug; the record lengths are kept equal.
        debug_assert!(written.is_ok());
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    fn cell(&self, row: &[String], column: &str) -> String {
        self.column(column)
            .and_then(|c| row.get(c))
            .cloned()
            .unwrap_or_default()
    }

    fn row_of(&self, code: &str) -> Option<usize> {
        let c = self.column("iCode")?;
        self.rows.iter().position(|r| r[c] == code)
    }

    /// Does the table have the column.
    pub fn has_column(&self, name: &str) -> bool {
        self.column(name).is_some()
    }

    /// The rows with their number in the file (the header is row 1), each read by column.
    pub fn rows(&self) -> impl Iterator<Item = (usize, MetaRow<'_>)> {
        self.rows
            .iter()
            .enumerate()
            .map(|(k, cells)| (k + 2, MetaRow { table: self, cells }))
    }

    /// Every node, in the file's order.
    pub fn nodes(&self) -> Vec<MetaNode> {
        self.rows.iter().map(|row| self.node_of(row)).collect()
    }

    fn node_of(&self, row: &[String]) -> MetaNode {
        MetaNode {
            cells: EDITABLE_COLUMNS
                .iter()
                .map(|c| (*c, self.cell(row, c)))
                .collect(),
        }
    }

    /// The node of a code.
    pub fn node(&self, code: &str) -> Option<MetaNode> {
        self.row_of(code).map(|r| self.node_of(&self.rows[r]))
    }

    /// Adds a column (empty in every row) unless the table has it.
    fn ensure_column(&mut self, name: &str) -> usize {
        if let Some(c) = self.column(name) {
            return c;
        }
        self.headers.push(name.to_string());
        for row in &mut self.rows {
            row.push(String::new());
        }
        self.headers.len() - 1
    }

    /// Replaces the node `original` (or adds one at the end when `None`). A new code is carried
    /// into the Parent cells of the nodes under it. Columns the node leaves empty that the table
    /// lacks are not added, so an untouched COINr file stays COINr's.
    pub fn put(&mut self, original: Option<&str>, node: &MetaNode) -> Result<(), EditError> {
        let code = node.code();
        if code.is_empty() {
            return Err(EditError::NoCode);
        }
        let at = match original {
            Some(o) => Some(self.row_of(o).ok_or_else(|| EditError::Unknown(o.into()))?),
            None => None,
        };
        if self.row_of(code).is_some_and(|r| Some(r) != at) {
            return Err(EditError::Taken(code.into()));
        }
        let row = match at {
            Some(r) => r,
            None => {
                self.rows.push(vec![String::new(); self.headers.len()]);
                self.rows.len() - 1
            }
        };
        for (column, value) in &node.cells {
            if value.is_empty() && self.column(column).is_none() {
                continue;
            }
            let c = self.ensure_column(column);
            self.rows[row][c] = value.clone();
        }
        if let Some(old) = original.filter(|o| *o != code) {
            let parent = self.ensure_column("Parent");
            for r in &mut self.rows {
                if r[parent] == old {
                    r[parent] = code.to_string();
                }
            }
        }
        Ok(())
    }

    /// Removes a node that has nothing under it.
    pub fn remove(&mut self, code: &str) -> Result<(), EditError> {
        let row = self
            .row_of(code)
            .ok_or_else(|| EditError::Unknown(code.into()))?;
        let children: Vec<String> = self
            .rows
            .iter()
            .filter(|r| self.cell(r, "Parent") == code)
            .map(|r| self.cell(r, "iCode"))
            .collect();
        if !children.is_empty() {
            return Err(EditError::HasChildren(code.into(), children.join(", ")));
        }
        self.rows.remove(row);
        Ok(())
    }
}

/// The nodes' names in both languages: the `name_ru` and `name_en` columns, each falling back
/// on iName and then on the other language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names(HashMap<String, [String; 2]>);

impl Names {
    pub fn of_table(table: &MetaTable) -> Names {
        Names(
            table
                .rows
                .iter()
                .map(|row| {
                    let name = table.cell(row, "iName");
                    let [ru, en] = ["name_ru", "name_en"].map(|c| table.cell(row, c));
                    let pick = |first: &String, second: &String| {
                        [first, &name, second]
                            .into_iter()
                            .find(|n| !n.is_empty())
                            .cloned()
                            .unwrap_or_default()
                    };
                    (table.cell(row, "iCode"), [pick(&ru, &en), pick(&en, &ru)])
                })
                .collect(),
        )
    }

    /// A node's name in a language, or its code when it has none.
    pub fn name<'a>(&'a self, code: &'a str, lang: Lang) -> &'a str {
        let k = usize::from(lang == Lang::En);
        self.0
            .get(code)
            .map(|n| n[k].as_str())
            .filter(|n| !n.is_empty())
            .unwrap_or(code)
    }
}

/// A cell of a sheet as CSV would hold it: numbers as written (1, not 1.0), booleans as 1/0.
fn cell_text(cell: Option<&calamine::Data>) -> String {
    use calamine::Data;
    match cell {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Float(f)) => format!("{f}"),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Bool(b)) => if *b { "1" } else { "0" }.to_string(),
        Some(other) => other.to_string(),
    }
}

/// A verified-data CSV with one column renamed (when an indicator's code changes), or as it was
/// when it has no such column.
pub fn rename_data_column(data: &str, old: &str, new: &str) -> Result<String, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(data.as_bytes());
    let error = |e: csv::Error| InputError {
        part: InputPart::Data,
        row: e.position().map(|p| p.line() as usize),
        column: None,
        message: e.to_string(),
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(error)?
        .iter()
        .map(|h| if h == old { new } else { h }.to_string())
        .collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&headers).map_err(error)?;
    for record in reader.records() {
        writer
            .write_record(&record.map_err(error)?)
            .map_err(error)?;
    }
    let bytes = writer.into_inner().map_err(|e| InputError {
        part: InputPart::Data,
        row: None,
        column: None,
        message: e.to_string(),
    })?;
    String::from_utf8(bytes).map_err(|e| InputError {
        part: InputPart::Data,
        row: None,
        column: None,
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::tests::{input, META};
    use crate::EditionInput;

    fn node(table: &MetaTable, code: &str) -> MetaNode {
        table.node(code).expect("the node")
    }

    fn with(mut node: MetaNode, column: &str, value: &str) -> MetaNode {
        for (c, v) in &mut node.cells {
            if *c == column {
                *v = value.to_string();
            }
        }
        node
    }

    #[test]
    fn an_untouched_table_writes_back_what_it_read() {
        let table = MetaTable::read_csv(META).expect("table");
        assert_eq!(table.to_csv(), META);
        assert_eq!(table.nodes().len(), 6);
        assert_eq!(node(&table, "speed").get("Unit"), "Mbit/s");
    }

    #[test]
    fn a_renamed_aggregate_takes_its_children_along_and_still_parses() {
        let mut table = MetaTable::read_csv(META).expect("table");
        let renamed = with(node(&table, "Digital"), "iCode", "Online");
        table.put(Some("Digital"), &renamed).expect("renamed");
        assert_eq!(node(&table, "portal").get("Parent"), "Online");
        assert!(table.node("Digital").is_none());
        EditionInput {
            meta: table.to_csv(),
            ..input()
        }
        .parse()
        .expect("still a methodology");
    }

    #[test]
    fn names_in_both_languages_add_their_columns() {
        let mut table = MetaTable::read_csv(META).expect("table");
        let named = with(node(&table, "waste"), "name_ru", "Отходы на жителя");
        table.put(Some("waste"), &named).expect("saved");
        let csv = table.to_csv();
        assert!(csv.lines().next().is_some_and(|h| h.ends_with(",name_ru")));
        let again = MetaTable::read_csv(&csv).expect("read back");
        assert_eq!(node(&again, "waste").get("name_ru"), "Отходы на жителя");
        assert_eq!(node(&again, "portal").get("name_ru"), "");
    }

    #[test]
    fn added_and_removed_nodes_and_the_refusals() {
        let mut table = MetaTable::read_csv(META).expect("table");
        let new = with(
            with(node(&table, "waste"), "iCode", "water"),
            "iName",
            "Water",
        );
        table.put(None, &new).expect("added");
        assert_eq!(table.nodes().len(), 7);
        assert_eq!(table.put(None, &new), Err(EditError::Taken("water".into())));
        assert_eq!(
            table.put(None, &with(new.clone(), "iCode", "")),
            Err(EditError::NoCode)
        );
        assert!(matches!(
            table.remove("Green"),
            Err(EditError::HasChildren(code, children)) if code == "Green" && children == "waste, water"
        ));
        table.remove("water").expect("removed");
        assert_eq!(table.to_csv(), META);
        assert_eq!(
            table.remove("water"),
            Err(EditError::Unknown("water".into()))
        );
    }

    #[test]
    fn a_cycle_made_in_the_editor_is_refused_by_the_parse() {
        let mut table = MetaTable::read_csv(META).expect("table");
        let looped = with(node(&table, "Index"), "Parent", "Digital");
        table
            .put(Some("Index"), &looped)
            .expect("the table takes it");
        let e = EditionInput {
            meta: table.to_csv(),
            ..input()
        }
        .parse()
        .expect_err("a cycle is not a methodology");
        assert_eq!(e.part, InputPart::Meta);
    }

    #[test]
    fn an_xlsx_reads_as_its_csv() {
        let table = MetaTable::read_csv(META).expect("table");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("iMeta").expect("name");
        let mut rows = vec![table.headers.clone()];
        rows.extend(table.rows.clone());
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                // Numbers as numbers, as Excel keeps them.
                match value.parse::<f64>() {
                    Ok(n) => sheet.write_number(r, c, n).map(|_| ()),
                    Err(_) if value.is_empty() => Ok(()),
                    Err(_) => sheet.write_string(r, c, value).map(|_| ()),
                }
                .expect("cell");
            }
        }
        let bytes = book.save_to_buffer().expect("xlsx");
        let read = MetaTable::read_xlsx(&bytes).expect("read");
        assert_eq!(read.to_csv(), META);
        let e = MetaTable::read_xlsx(b"not a workbook").expect_err("refused");
        assert_eq!(e.part, InputPart::Meta);
    }

    #[test]
    fn names_fall_back_to_the_other_language_then_to_iname() {
        let mut table = MetaTable::read_csv(META).expect("table");
        let named = with(node(&table, "waste"), "name_ru", "Отходы");
        table.put(Some("waste"), &named).expect("saved");
        let names = Names::of_table(&table);
        assert_eq!(names.name("waste", Lang::Ru), "Отходы");
        assert_eq!(names.name("waste", Lang::En), "Waste per person");
        assert_eq!(names.name("speed", Lang::Ru), "Broadband speed");
        assert_eq!(names.name("nowhere", Lang::En), "nowhere");
    }

    #[test]
    fn a_data_column_follows_its_indicator() {
        let data = "uCode,speed\nAAA,1\n";
        assert_eq!(
            rename_data_column(data, "speed", "bandwidth").expect("renamed"),
            "uCode,bandwidth\nAAA,1\n"
        );
    }
}

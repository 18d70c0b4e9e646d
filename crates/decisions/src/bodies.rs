//! The directory of bodies (executors and controllers) and its CSV form.
//!
//! The CSV has a header row with the columns `id,kind,name_ru,name_en,short_ru,short_en` in any
//! order (further columns are ignored); `id` and `name_ru` are required in every row.
use std::io::Read;

use serde::Serialize;

/// One body of the association or a partner: the Board, the Secretariat, a ministry…
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Body {
    pub id: String,
    pub kind: String,
    pub name_ru: String,
    pub name_en: String,
    pub short_ru: Option<String>,
    pub short_en: Option<String>,
}

impl Body {
    /// The canonical full name in a language; the Russian one when there is no English name.
    pub fn name(&self, language: crate::Language) -> &str {
        match language {
            crate::Language::En if !self.name_en.is_empty() => &self.name_en,
            _ => &self.name_ru,
        }
    }
}

/// A fault in a bodies CSV, naming the row (1-based line of the file, header = 1) and column.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BodiesError {
    #[error("bodies CSV: the header has no column `{column}`")]
    MissingColumn { column: &'static str },
    #[error("bodies CSV, row {row}, column `{column}`: {message}")]
    Cell {
        row: u64,
        column: &'static str,
        message: String,
    },
    #[error("bodies CSV, row {row}: {message}")]
    Row { row: u64, message: String },
}

/// The directory compiled into the crate: a copy of `shared/examples/decisions/bodies.csv`.
pub const DEFAULT_BODIES_CSV: &str = include_str!("../data/bodies.csv");

/// The built-in default directory of bodies.
pub fn default_bodies() -> Vec<Body> {
    // The compiled-in file is checked by a unit test, so an error here cannot happen in practice;
    // an empty directory is still a safe answer.
    parse_bodies_csv(DEFAULT_BODIES_CSV).unwrap_or_default()
}

/// Reads a bodies CSV from text.
pub fn parse_bodies_csv(text: &str) -> Result<Vec<Body>, BodiesError> {
    read_bodies_csv(text.as_bytes())
}

/// Reads a bodies CSV from any reader (a file, an upload).
pub fn read_bodies_csv<R: Read>(reader: R) -> Result<Vec<Body>, BodiesError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| BodiesError::Row {
            row: 1,
            message: e.to_string(),
        })?
        .clone();
    let column = |name: &'static str| -> Option<usize> {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
    };
    let required =
        |name: &'static str| column(name).ok_or(BodiesError::MissingColumn { column: name });
    let c_id = required("id")?;
    let c_name_ru = required("name_ru")?;
    let c_kind = column("kind");
    let c_name_en = column("name_en");
    let c_short_ru = column("short_ru");
    let c_short_en = column("short_en");

    let mut bodies: Vec<Body> = Vec::new();
    for record in csv.records() {
        let record = record.map_err(|e| BodiesError::Row {
            row: e.position().map(|p| p.line()).unwrap_or(0),
            message: e.to_string(),
        })?;
        let row = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        let get = |c: Option<usize>| -> String {
            c.and_then(|c| record.get(c))
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        };
        let id = get(Some(c_id));
        if id.is_empty() {
            return Err(BodiesError::Cell {
                row,
                column: "id",
                message: "is empty".into(),
            });
        }
        if bodies.iter().any(|b| b.id == id) {
            return Err(BodiesError::Cell {
                row,
                column: "id",
                message: format!("`{id}` appears twice"),
            });
        }
        let name_ru = get(Some(c_name_ru));
        if name_ru.is_empty() {
            return Err(BodiesError::Cell {
                row,
                column: "name_ru",
                message: "is empty".into(),
            });
        }
        let optional = |s: String| if s.is_empty() { None } else { Some(s) };
        bodies.push(Body {
            id,
            kind: get(c_kind),
            name_ru,
            name_en: get(c_name_en),
            short_ru: optional(get(c_short_ru)),
            short_en: optional(get(c_short_en)),
        });
    }
    Ok(bodies)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_directory_loads() {
        let bodies = parse_bodies_csv(DEFAULT_BODIES_CSV).expect("built-in CSV");
        assert_eq!(bodies.len(), 13);
        assert_eq!(bodies[0].id, "board");
        assert_eq!(bodies[0].short_en.as_deref(), Some("Board"));
    }

    #[test]
    fn columns_in_any_order_and_optional_ones_missing() {
        let bodies = parse_bodies_csv("name_ru,id\nСовет,council\n").expect("valid");
        assert_eq!(bodies[0].id, "council");
        assert_eq!(bodies[0].name_en, "");
        assert_eq!(bodies[0].short_ru, None);
    }

    #[test]
    fn missing_column_is_named() {
        let err = parse_bodies_csv("id,name_en\nx,X\n").expect_err("no name_ru");
        assert_eq!(err, BodiesError::MissingColumn { column: "name_ru" });
    }

    #[test]
    fn empty_cell_names_row_and_column() {
        let err = parse_bodies_csv("id,name_ru\na,Первый\n,Второй\n").expect_err("empty id");
        assert_eq!(
            err,
            BodiesError::Cell {
                row: 3,
                column: "id",
                message: "is empty".into()
            }
        );
        assert!(err.to_string().contains("row 3"));
    }

    #[test]
    fn duplicate_id_is_refused() {
        let err = parse_bodies_csv("id,name_ru\na,Первый\na,Второй\n").expect_err("dup");
        assert!(matches!(
            err,
            BodiesError::Cell {
                row: 3,
                column: "id",
                ..
            }
        ));
    }
}

//! Bodies of the association and its partners, and the CSV directory they are imported from.
use crate::field::{required_text, FieldErrors};
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// A body's identifier: a lowercase ASCII slug such as `expert-council`.
pub type BodyId = crate::city::CityCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BodyKind {
    Board,
    President,
    Council,
    Commission,
    Secretariat,
    Partner,
    University,
    MemberGroup,
}

impl BodyKind {
    pub const ALL: [BodyKind; 8] = [
        BodyKind::Board,
        BodyKind::President,
        BodyKind::Council,
        BodyKind::Commission,
        BodyKind::Secretariat,
        BodyKind::Partner,
        BodyKind::University,
        BodyKind::MemberGroup,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BodyKind::Board => "board",
            BodyKind::President => "president",
            BodyKind::Council => "council",
            BodyKind::Commission => "commission",
            BodyKind::Secretariat => "secretariat",
            BodyKind::Partner => "partner",
            BodyKind::University => "university",
            BodyKind::MemberGroup => "member-group",
        }
    }
}

impl FromStr for BodyKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|k| k.as_str() == s).ok_or(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Body {
    pub id: BodyId,
    pub kind: BodyKind,
    pub name_ru: String,
    pub name_en: String,
    pub short_ru: String,
    pub short_en: String,
}

/// A member's position in a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Position {
    Chair,
    Deputy,
    Member,
    Secretary,
}

impl Position {
    pub const ALL: [Position; 4] = [
        Position::Chair,
        Position::Deputy,
        Position::Member,
        Position::Secretary,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Position::Chair => "chair",
            Position::Deputy => "deputy",
            Position::Member => "member",
            Position::Secretary => "secretary",
        }
    }
}

impl FromStr for Position {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|p| p.as_str() == s).ok_or(())
    }
}

/// The raw fields of a body, from a form or a row of `bodies.csv`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BodyInput {
    pub id: String,
    pub kind: String,
    pub name_ru: String,
    pub name_en: String,
    pub short_ru: String,
    pub short_en: String,
}

impl From<&Body> for BodyInput {
    fn from(body: &Body) -> BodyInput {
        BodyInput {
            id: body.id.to_string(),
            kind: body.kind.as_str().to_string(),
            name_ru: body.name_ru.clone(),
            name_en: body.name_en.clone(),
            short_ru: body.short_ru.clone(),
            short_en: body.short_en.clone(),
        }
    }
}

impl BodyInput {
    pub fn parse(&self) -> Result<Body, FieldErrors> {
        let mut errors = FieldErrors::default();
        let id = BodyId::parse(self.id.trim()).ok();
        if id.is_none() {
            errors.add("id", "error-city-code");
        }
        let kind = self.kind.trim().parse::<BodyKind>().ok();
        if kind.is_none() {
            errors.add("kind", "error-choice");
        }
        let name_ru = required_text(&mut errors, "name_ru", &self.name_ru, 300);
        let name_en = required_text(&mut errors, "name_en", &self.name_en, 300);
        let short_ru = required_text(&mut errors, "short_ru", &self.short_ru, 100);
        let short_en = required_text(&mut errors, "short_en", &self.short_en, 100);
        match (id, kind) {
            (Some(id), Some(kind)) if errors.is_empty() => Ok(Body {
                id,
                kind,
                name_ru,
                name_en,
                short_ru,
                short_en,
            }),
            _ => Err(errors),
        }
    }
}

/// A row of a bodies CSV that could not be read: the row is counted as a spreadsheet shows it
/// (the header is row 1).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BodiesCsvError {
    #[error("{source_name}: the header must be id,kind,name_ru,name_en,short_ru,short_en; found {found}")]
    Header { source_name: String, found: String },
    #[error("{source_name}, row {row}: {message}")]
    Row {
        source_name: String,
        row: u64,
        message: String,
    },
    #[error("{source_name}, row {row}, column {column}: {message}")]
    Cell {
        source_name: String,
        row: u64,
        column: &'static str,
        message: String,
    },
}

const BODY_COLUMNS: [&str; 6] = ["id", "kind", "name_ru", "name_en", "short_ru", "short_en"];

/// Reads the directory of bodies in the format of `bodies.csv`. The whole file is checked
/// before anything is returned, so an import is all or nothing.
pub fn parse_bodies_csv(source_name: &str, text: &str) -> Result<Vec<Body>, BodiesCsvError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().map_err(|e| BodiesCsvError::Row {
        source_name: source_name.into(),
        row: 1,
        message: e.to_string(),
    })?;
    if header.iter().collect::<Vec<_>>() != BODY_COLUMNS {
        return Err(BodiesCsvError::Header {
            source_name: source_name.into(),
            found: header.iter().collect::<Vec<_>>().join(","),
        });
    }
    let mut bodies: Vec<Body> = Vec::new();
    for (index, record) in reader.deserialize::<BodyInput>().enumerate() {
        let row = index as u64 + 2;
        let input = record.map_err(|e| BodiesCsvError::Row {
            source_name: source_name.into(),
            row,
            message: e.to_string(),
        })?;
        let body = input.parse().map_err(|errors| {
            let first = &errors.0[0];
            BodiesCsvError::Cell {
                source_name: source_name.into(),
                row,
                column: first.field,
                message: format!("invalid value ({})", first.key),
            }
        })?;
        if bodies.iter().any(|b| b.id == body.id) {
            return Err(BodiesCsvError::Cell {
                source_name: source_name.into(),
                row,
                column: "id",
                message: format!("duplicate id {}", body.id),
            });
        }
        bodies.push(body);
    }
    Ok(bodies)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id,kind,name_ru,name_en,short_ru,short_en\n";

    #[test]
    fn reads_a_directory() {
        let text = format!("{HEADER}board,board,Правление МАГ,Board of MAG,Правление,Board\n");
        let bodies = parse_bodies_csv("b.csv", &text).expect("valid");
        assert_eq!(bodies.len(), 1);
        assert_eq!(bodies[0].kind, BodyKind::Board);
        assert_eq!(bodies[0].name_en, "Board of MAG");
    }

    #[test]
    fn names_the_row_and_column_of_a_bad_cell() {
        let text = format!(
            "{HEADER}board,board,Правление МАГ,Board of MAG,Правление,Board\nx1,committee,Комитет,Committee,К,C\n"
        );
        let err = parse_bodies_csv("b.csv", &text).expect_err("bad kind");
        assert_eq!(
            err.to_string(),
            "b.csv, row 3, column kind: invalid value (error-choice)"
        );
    }

    #[test]
    fn refuses_a_duplicate_id_and_a_foreign_header() {
        let dup = format!("{HEADER}a1,board,А,A,А,A\na1,board,Б,B,Б,B\n");
        assert!(matches!(
            parse_bodies_csv("b.csv", &dup),
            Err(BodiesCsvError::Cell {
                row: 3,
                column: "id",
                ..
            })
        ));
        assert!(matches!(
            parse_bodies_csv("b.csv", "name,age\nx,1\n"),
            Err(BodiesCsvError::Header { .. })
        ));
    }

    #[test]
    fn the_shared_directory_parses_when_present() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/examples/decisions/bodies.csv"
        );
        if let Ok(text) = std::fs::read_to_string(path) {
            let bodies = parse_bodies_csv("bodies.csv", &text).expect("shared bodies.csv");
            assert!(bodies.len() >= 10);
        }
    }
}

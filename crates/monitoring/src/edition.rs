//! An edition of the methodology as it arrives: iMeta CSV (with optional question columns),
//! `build.toml`, optional verified iData, year and titles. [`EditionInput::parse`] reads every
//! file through the engine, so an edition that is accepted can be computed; what is wrong comes
//! back as an [`InputError`] naming the file, row and column.
use crate::meta_table::{MetaTable, Names};
use megapolis_index::io;
use megapolis_index::model::{Framework, MetaRow, UnitData};
use megapolis_index::pipeline;
use megapolis_index::spec::{BuildSpec, Step, WeightSource};
use megapolis_index::IndexError;
use serde::{Deserialize, Serialize};

/// Which part of the input an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputPart {
    Meta,
    Spec,
    Data,
    Year,
    TitleRu,
    TitleEn,
}

impl InputPart {
    /// The form field (and file label) of the part.
    pub fn as_str(self) -> &'static str {
        match self {
            InputPart::Meta => "meta",
            InputPart::Spec => "spec",
            InputPart::Data => "data",
            InputPart::Year => "year",
            InputPart::TitleRu => "title_ru",
            InputPart::TitleEn => "title_en",
        }
    }
}

/// Why an edition's input is refused: the part, and where known the row (1-based line, the
/// header being row 1) and the column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}{}: {message}", part.as_str(), row.map(|r| format!(", row {r}")).unwrap_or_default(), column.as_ref().map(|c| format!(", column {c}")).unwrap_or_default())]
pub struct InputError {
    pub part: InputPart,
    pub row: Option<usize>,
    pub column: Option<String>,
    pub message: String,
}

impl InputError {
    fn new(part: InputPart, message: impl Into<String>) -> InputError {
        InputError {
            part,
            row: None,
            column: None,
            message: message.into(),
        }
    }

    fn at(part: InputPart, row: usize, column: &str, message: impl Into<String>) -> InputError {
        InputError {
            part,
            row: Some(row),
            column: Some(column.to_string()).filter(|c| !c.is_empty()),
            message: message.into(),
        }
    }

    /// An engine error, said of `part`.
    fn of_engine(part: InputPart, error: IndexError) -> InputError {
        match error {
            IndexError::Input {
                row,
                column,
                message,
                ..
            } => InputError::at(part, row, &column, message),
            IndexError::File { message, .. } => InputError::new(part, message),
            IndexError::Spec(message) => {
                // toml says "… at line 3, column 7": keep the place as row and column.
                let (row, column) = toml_place(&message);
                InputError {
                    part,
                    row,
                    column,
                    message,
                }
            }
            other => InputError::new(part, other.to_string()),
        }
    }
}

/// The line and column a TOML parse error names, if any.
fn toml_place(message: &str) -> (Option<usize>, Option<String>) {
    let Some(at) = message.find("line ") else {
        return (None, None);
    };
    let rest = &message[at + 5..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let row = digits.parse().ok();
    let column = rest.find("column ").map(|c| {
        rest[c + 7..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
    });
    (row, column.filter(|c| !c.is_empty()))
}

/// How a city answers an indicator's question (the `answer_type` column of the extended iMeta).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerType {
    Number,
    Percent,
    YesNo,
    Choice,
}

impl AnswerType {
    pub fn parse(text: &str) -> Option<AnswerType> {
        match text.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "number" | "numeric" | "integer" | "real" => Some(AnswerType::Number),
            "percent" | "percentage" | "%" => Some(AnswerType::Percent),
            "yes_no" | "yesno" | "boolean" | "bool" | "binary" => Some(AnswerType::YesNo),
            "choice" | "one_of" | "list" => Some(AnswerType::Choice),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AnswerType::Number => "number",
            AnswerType::Percent => "percent",
            AnswerType::YesNo => "yes_no",
            AnswerType::Choice => "choice",
        }
    }
}

/// The question a city answers for one indicator, from the extra iMeta columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub code: String,
    pub question_ru: String,
    pub question_en: String,
    pub answer_type: Option<AnswerType>,
}

/// The extra iMeta columns beyond COINr's; all optional.
pub const QUESTION_COLUMNS: [&str; 3] = ["question_ru", "question_en", "answer_type"];

/// Reads the question columns of iMeta (absent columns give empty questions).
pub fn read_questions(table: &MetaTable) -> Result<Vec<Question>, InputError> {
    let has_questions = table.has_column("iCode")
        && table.has_column("Type")
        && QUESTION_COLUMNS.iter().any(|c| table.has_column(c));
    if !has_questions {
        return Ok(Vec::new());
    }
    let mut questions = Vec::new();
    for (row, cells) in table.rows() {
        if cells.get("Type") != "Indicator" {
            continue;
        }
        let answer_text = cells.get("answer_type");
        let answer_type = if answer_text.is_empty() {
            None
        } else {
            Some(AnswerType::parse(answer_text).ok_or_else(|| {
                InputError::at(
                    InputPart::Meta,
                    row,
                    "answer_type",
                    format!(
                        "unknown answer type '{answer_text}': number, percent, yes_no or choice"
                    ),
                )
            })?)
        };
        questions.push(Question {
            code: cells.get("iCode").to_string(),
            question_ru: cells.get("question_ru").to_string(),
            question_en: cells.get("question_en").to_string(),
            answer_type,
        });
    }
    Ok(questions)
}

/// An edition as sent: texts of the files and the form fields, not yet checked.
#[derive(Debug, Clone, Default)]
pub struct EditionInput {
    pub meta: String,
    pub spec: String,
    pub data: Option<String>,
    pub year: String,
    pub title_ru: String,
    pub title_en: String,
}

/// An edition whose files the engine reads: only [`EditionInput::parse`] makes one (and
/// [`Edition::stored`] for what was saved after that check).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edition {
    year: i32,
    title_ru: String,
    title_en: String,
    meta: String,
    spec: String,
    data: Option<String>,
}

/// The methodology of an edition, read by the engine.
#[derive(Debug, Clone)]
pub struct Methodology {
    pub framework: Framework,
    pub spec: BuildSpec,
    pub questions: Vec<Question>,
    /// The nodes' names in Russian and English.
    pub names: Names,
    /// iMeta as a table, for the columns beyond the engine's.
    pub table: MetaTable,
    pub data: Option<UnitData>,
}

impl EditionInput {
    /// Checks every part through the engine; with data, also runs the nominal build, so an
    /// accepted edition computes.
    pub fn parse(&self) -> Result<Edition, InputError> {
        let year = self.year.trim();
        let year: i32 = year
            .parse()
            .ok()
            .filter(|y| (1900..=2200).contains(y))
            .ok_or_else(|| {
                InputError::new(
                    InputPart::Year,
                    format!("'{year}' is not a year (1900–2200)"),
                )
            })?;
        let (title_ru, title_en) = (self.title_ru.trim(), self.title_en.trim());
        // One title serves for both languages when only one is given.
        let (title_ru, title_en) = match (title_ru.is_empty(), title_en.is_empty()) {
            (true, true) => return Err(InputError::new(InputPart::TitleRu, "a title is required")),
            (true, false) => (title_en, title_en),
            (false, true) => (title_ru, title_ru),
            (false, false) => (title_ru, title_en),
        };
        let edition = Edition {
            year,
            title_ru: title_ru.to_string(),
            title_en: title_en.to_string(),
            meta: strip_bom(&self.meta),
            spec: strip_bom(&self.spec),
            data: self
                .data
                .as_deref()
                .map(strip_bom)
                .filter(|d| !d.trim().is_empty()),
        };
        let methodology = edition.methodology()?;
        if let Some(data) = &methodology.data {
            pipeline::build(&methodology.framework, data, &methodology.spec)
                .map_err(|e| InputError::of_engine(InputPart::Spec, e))?;
        }
        Ok(edition)
    }
}

fn strip_bom(text: &str) -> String {
    text.trim_start_matches('\u{feff}').to_string()
}

impl Edition {
    /// An edition read back from storage, where only checked editions are saved.
    pub fn stored(
        year: i32,
        title_ru: String,
        title_en: String,
        meta: String,
        spec: String,
        data: Option<String>,
    ) -> Edition {
        Edition {
            year,
            title_ru,
            title_en,
            meta,
            spec,
            data,
        }
    }

    pub fn year(&self) -> i32 {
        self.year
    }
    pub fn title_ru(&self) -> &str {
        &self.title_ru
    }
    pub fn title_en(&self) -> &str {
        &self.title_en
    }
    pub fn meta(&self) -> &str {
        &self.meta
    }
    pub fn spec(&self) -> &str {
        &self.spec
    }
    pub fn data(&self) -> Option<&str> {
        self.data.as_deref()
    }

    /// Reads the files through the engine.
    pub fn methodology(&self) -> Result<Methodology, InputError> {
        let rows: Vec<MetaRow> = io::read_meta_rows(self.meta.as_bytes(), "meta")
            .map_err(|e| InputError::of_engine(InputPart::Meta, e))?;
        let framework =
            Framework::new(&rows, "meta").map_err(|e| InputError::of_engine(InputPart::Meta, e))?;
        if framework.max_level < 2 {
            return Err(InputError::new(
                InputPart::Meta,
                "the framework has no Aggregate rows: a ranking needs an index above the indicators",
            ));
        }
        let table = MetaTable::read_csv(&self.meta)?;
        let questions = read_questions(&table)?;
        let names = Names::of_table(&table);
        let spec =
            BuildSpec::parse(&self.spec).map_err(|e| InputError::of_engine(InputPart::Spec, e))?;
        check_spec(&spec)?;
        let data = self
            .data
            .as_deref()
            .map(|d| io::read_data(d.as_bytes(), "data", &framework))
            .transpose()
            .map_err(|e| InputError::of_engine(InputPart::Data, e))?;
        Ok(Methodology {
            framework,
            spec,
            questions,
            names,
            table,
            data,
        })
    }
}

/// What an edition's build must have beyond what the engine checks: an aggregation (the ranking
/// is of the index), and weights from iMeta, equal or PCA (no weights file comes with an upload).
fn check_spec(spec: &BuildSpec) -> Result<(), InputError> {
    let aggregate = spec.steps.iter().find_map(|s| match s {
        Step::Aggregate { weights, .. } => Some(weights),
        _ => None,
    });
    match aggregate {
        None => Err(InputError::new(
            InputPart::Spec,
            "the build has no 'aggregate' step: a ranking needs the index",
        )),
        Some(WeightSource::File(file)) => Err(InputError::new(
            InputPart::Spec,
            format!(
                "weights = \"{file}\": a weights file cannot come with an edition; put the weights in iMeta's Weight column"
            ),
        )),
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const META: &str = "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type,question_ru,question_en,answer_type\n\
1,portal,City portal,1,1,,,,Digital,Indicator,Есть ли портал?,Is there a portal?,yes_no\n\
1,speed,Broadband speed,1,1,Mbit/s,,,Digital,Indicator,Скорость?,Speed?,number\n\
1,waste,Waste per person,-1,1,kg,,,Green,Indicator,,,\n\
2,Digital,Digital,1,2,,,,Index,Aggregate,,,\n\
2,Green,Green,1,1,,,,Index,Aggregate,,,\n\
3,Index,Index,1,1,,,,,Aggregate,,,\n";

    pub(crate) const SPEC: &str = "[[step]]\nop = \"normalise\"\nmethod = \"minmax\"\nl_u = [0, 100]\n[[step]]\nop = \"aggregate\"\nmethod = \"amean\"\n";

    pub(crate) const DATA: &str = "uCode,uName,portal,speed,waste\n\
AAA,Alpha,1,100,300\nBBB,Beta,0,50,200\nCCC,Gamma,1,20,500\nDDD,Delta,1,80,250\n";

    pub(crate) fn input() -> EditionInput {
        EditionInput {
            meta: META.into(),
            spec: SPEC.into(),
            data: Some(DATA.into()),
            year: "2025".into(),
            title_ru: "Мониторинг 2025".into(),
            title_en: "Monitoring 2025".into(),
        }
    }

    #[test]
    fn a_complete_edition_is_accepted_with_its_questions() {
        let edition = input().parse().expect("valid");
        assert_eq!(edition.year(), 2025);
        let m = edition.methodology().expect("methodology");
        assert_eq!(m.questions.len(), 3);
        assert_eq!(m.questions[0].answer_type, Some(AnswerType::YesNo));
        assert_eq!(m.questions[2].answer_type, None);
        assert_eq!(m.questions[1].question_en, "Speed?");
    }

    #[test]
    fn question_columns_may_be_absent() {
        let meta: String = META
            .lines()
            .map(|l| l.splitn(11, ',').take(10).collect::<Vec<_>>().join(","))
            .collect::<Vec<_>>()
            .join("\n");
        let edition = EditionInput { meta, ..input() }
            .parse()
            .expect("valid without question columns");
        assert!(edition.methodology().expect("m").questions.is_empty());
    }

    #[test]
    fn a_broken_meta_row_names_file_row_and_column() {
        let meta = META.replace(
            "1,speed,Broadband speed,1,1",
            "1,speed,Broadband speed,up,1",
        );
        let e = EditionInput { meta, ..input() }
            .parse()
            .expect_err("refused");
        assert_eq!(e.part, InputPart::Meta);
        assert_eq!(e.row, Some(3));
        assert_eq!(e.column.as_deref(), Some("Direction"));
    }

    #[test]
    fn a_row_with_too_many_cells_names_its_row() {
        let meta = META.replace("1,waste,Waste per person", "1,waste,Waste,per person");
        let e = EditionInput { meta, ..input() }
            .parse()
            .expect_err("refused");
        assert_eq!((e.part, e.row), (InputPart::Meta, Some(4)));
    }

    #[test]
    fn unknown_parents_and_cycles_are_refused() {
        let unknown = META.replace("Green,Indicator", "Nowhere,Indicator");
        let e = EditionInput {
            meta: unknown,
            ..input()
        }
        .parse()
        .expect_err("unknown parent");
        assert_eq!(e.part, InputPart::Meta);
        assert!(e.row.is_some(), "{e}");
        let cycle = META
            .replace(
                "2,Digital,Digital,1,2,,,,Index",
                "2,Digital,Digital,1,2,,,,Green",
            )
            .replace("2,Green,Green,1,1,,,,Index", "2,Green,Green,1,1,,,,Digital");
        let e = EditionInput {
            meta: cycle,
            ..input()
        }
        .parse()
        .expect_err("cycle");
        assert_eq!(e.part, InputPart::Meta, "{e}");
    }

    #[test]
    fn bad_spec_data_year_and_answer_types_are_named() {
        let e = EditionInput {
            spec:
                "[[step]]\nop = \"normalise\"\nmethod = \"cubic\"\n[[step]]\nop = \"aggregate\"\n"
                    .into(),
            ..input()
        }
        .parse()
        .expect_err("spec");
        assert_eq!(e.part, InputPart::Spec);
        let e = EditionInput {
            spec: "[[step]\nop = 1".into(),
            ..input()
        }
        .parse()
        .expect_err("toml");
        assert_eq!((e.part, e.row), (InputPart::Spec, Some(1)), "{e}");
        let e = EditionInput {
            spec: "[[step]]\nop = \"normalise\"\n".into(),
            ..input()
        }
        .parse()
        .expect_err("no aggregate");
        assert_eq!(e.part, InputPart::Spec);
        let e = EditionInput {
            data: Some(DATA.replace("AAA,Alpha,1,100", "AAA,Alpha,1,fast")),
            ..input()
        }
        .parse()
        .expect_err("data");
        assert_eq!(
            (e.part, e.row, e.column.as_deref()),
            (InputPart::Data, Some(2), Some("speed"))
        );
        let e = EditionInput {
            year: "next".into(),
            ..input()
        }
        .parse()
        .expect_err("year");
        assert_eq!(e.part, InputPart::Year);
        let e = EditionInput {
            meta: META.replace("yes_no", "maybe"),
            ..input()
        }
        .parse()
        .expect_err("answer type");
        assert_eq!(
            (e.part, e.row, e.column.as_deref()),
            (InputPart::Meta, Some(2), Some("answer_type"))
        );
    }

    #[test]
    fn data_is_optional_and_one_title_serves_both_languages() {
        let edition = EditionInput {
            data: None,
            title_en: String::new(),
            ..input()
        }
        .parse()
        .expect("valid");
        assert_eq!(edition.title_en(), "Мониторинг 2025");
        assert!(edition.data().is_none());
    }
}

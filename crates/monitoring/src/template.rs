//! The XLSX template of one city's answers, and reading it back.
//!
//! One sheet per criterion (named by the criterion's code), a header row, then one row per
//! question: A code, B question, C what is allowed, D value, E evidence URL, F comment. Yes/no
//! and choice cells carry a data-validation list; numbers and percentages a range. A hidden sheet
//! `megapolis` holds the campaign, the edition and the city, so a file of another city or
//! edition is refused. Reading is all-or-nothing: every problem names its sheet, row and column;
//! a row left blank (no value, evidence or comment) leaves its answer as it is.
use crate::answers::{number_text, AnswerError, AnswerInput, CellPlace, Problem, Questionnaire};
use crate::edition::AnswerType;
use rust_xlsxwriter::{DataValidation, DataValidationRule, Format, Workbook, XlsxError};
use std::io::Cursor;

/// What a template is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateKey {
    pub campaign: i64,
    pub edition: i64,
    pub city: String,
}

/// The hidden sheet's name.
pub const KEY_SHEET: &str = "megapolis";

const COLUMNS: [&str; 6] = [
    "code",
    "question",
    "allowed",
    "value",
    "evidence_url",
    "comment",
];
const LETTERS: [&str; 6] = ["A", "B", "C", "D", "E", "F"];

/// A sheet's name for a criterion: Excel allows 31 characters and no `[]:*?/\`.
pub fn sheet_name(code: &str) -> String {
    code.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect()
}

/// A city's current answer for the template: value, evidence URL, comment.
pub type Prefill<'a> = &'a dyn Fn(&str) -> Option<(String, String, String)>;

/// Writes the template, filled with the city's current answers.
pub fn write_template(
    questionnaire: &Questionnaire,
    key: &TemplateKey,
    russian: bool,
    prefill: Prefill<'_>,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let headers: [&str; 6] = if russian {
        [
            "Код",
            "Вопрос",
            "Допустимо",
            "Ответ",
            "Ссылка на подтверждение",
            "Комментарий",
        ]
    } else {
        [
            "Code",
            "Question",
            "Allowed",
            "Answer",
            "Evidence URL",
            "Comment",
        ]
    };
    for criterion in &questionnaire.criteria {
        let sheet = workbook.add_worksheet();
        sheet.set_name(sheet_name(&criterion.code))?;
        for (col, header) in headers.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *header, &bold)?;
        }
        sheet.set_column_width(0, 18)?;
        sheet.set_column_width(1, 60)?;
        sheet.set_column_width(2, 24)?;
        sheet.set_column_width(3, 16)?;
        sheet.set_column_width(4, 36)?;
        sheet.set_column_width(5, 36)?;
        for (k, question) in criterion.questions.iter().enumerate() {
            let row = k as u32 + 1;
            sheet.write_string(row, 0, &question.code)?;
            sheet.write_string_with_format(row, 1, question.question(russian), &wrap)?;
            let (min, max) = question.range();
            let allowed = match question.answer_type {
                AnswerType::YesNo | AnswerType::Choice => question.keys().join(" | "),
                _ => match (min, max) {
                    (Some(lo), Some(hi)) => format!("{} … {}", number_text(lo), number_text(hi)),
                    (Some(lo), None) => format!("≥ {}", number_text(lo)),
                    (None, Some(hi)) => format!("≤ {}", number_text(hi)),
                    (None, None) => if russian { "число" } else { "number" }.to_string(),
                },
            };
            sheet.write_string(row, 2, &allowed)?;
            let validation = match question.answer_type {
                AnswerType::YesNo | AnswerType::Choice => {
                    Some(DataValidation::new().allow_list_strings(&question.keys())?)
                }
                _ => match (min, max) {
                    (Some(lo), Some(hi)) => Some(
                        DataValidation::new()
                            .allow_decimal_number(DataValidationRule::Between(lo, hi)),
                    ),
                    _ => None,
                },
            };
            if let Some(validation) = validation {
                sheet.add_data_validation(row, 3, row, 3, &validation)?;
            }
            if let Some((value, url, comment)) = prefill(&question.code) {
                match question.score(&value).filter(|_| {
                    matches!(
                        question.answer_type,
                        AnswerType::Number | AnswerType::Percent
                    )
                }) {
                    Some(number) => sheet.write_number(row, 3, number)?,
                    None => sheet.write_string(row, 3, &value)?,
                };
                sheet.write_string(row, 4, &url)?;
                sheet.write_string(row, 5, &comment)?;
            }
        }
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name(KEY_SHEET)?;
    sheet.write_string(0, 0, "campaign")?;
    sheet.write_number(0, 1, key.campaign as f64)?;
    sheet.write_string(1, 0, "edition")?;
    sheet.write_number(1, 1, key.edition as f64)?;
    sheet.write_string(2, 0, "city")?;
    sheet.write_string(2, 1, &key.city)?;
    sheet.set_hidden(true);
    workbook.save_to_buffer()
}

fn file_error(
    key: &'static str,
    arg: impl Into<String>,
    message: impl Into<String>,
) -> AnswerError {
    AnswerError::new(
        "",
        "",
        Problem {
            key,
            arg: arg.into(),
            message: message.into(),
        },
    )
}

fn cell_text(cell: Option<&calamine::Data>) -> String {
    use calamine::Data;
    match cell {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Float(f)) => number_text(*f),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Bool(b)) => if *b { "yes" } else { "no" }.to_string(),
        Some(other) => other.to_string(),
    }
}

/// Reads a filled template back: the answers of every sheet, or every problem (file, sheet,
/// row, column). Nothing partial: one error refuses the whole file.
pub fn read_template(
    bytes: &[u8],
    questionnaire: &Questionnaire,
    expected: &TemplateKey,
) -> Result<Vec<AnswerInput>, Vec<AnswerError>> {
    use calamine::{open_workbook_from_rs, Reader, Xlsx};
    let mut workbook: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(bytes.to_vec())).map_err(|e| {
            vec![file_error(
                "campaign-error-not-xlsx",
                "",
                format!("the file is not an XLSX workbook: {e}"),
            )]
        })?;
    let key_sheet = workbook.worksheet_range(KEY_SHEET).map_err(|_| {
        vec![file_error(
            "campaign-error-not-template",
            KEY_SHEET,
            format!(
                "the workbook has no sheet '{KEY_SHEET}': it is not a template of this campaign"
            ),
        )]
    })?;
    let key_value = |row: u32| cell_text(key_sheet.get_value((row, 1)));
    let found = (key_value(0), key_value(1), key_value(2));
    if found.2 != expected.city {
        return Err(vec![file_error(
            "campaign-error-other-city",
            found.2.clone(),
            format!(
                "this template is for the city '{}', not '{}'",
                found.2, expected.city
            ),
        )]);
    }
    if found.0 != expected.campaign.to_string() || found.1 != expected.edition.to_string() {
        return Err(vec![file_error(
            "campaign-error-other-edition",
            found.1.clone(),
            format!(
                "this template is for campaign {} of edition {}, not campaign {} of edition {}",
                found.0, found.1, expected.campaign, expected.edition
            ),
        )]);
    }
    let mut answers = Vec::new();
    let mut errors = Vec::new();
    for criterion in &questionnaire.criteria {
        let name = sheet_name(&criterion.code);
        let Ok(range) = workbook.worksheet_range(&name) else {
            errors.push(file_error(
                "campaign-error-missing-sheet",
                name.clone(),
                format!("the sheet '{name}' is missing"),
            ));
            continue;
        };
        let place = |row: u32, col: usize| CellPlace {
            sheet: name.clone(),
            row: row as usize + 1,
            column: format!("{} ({})", LETTERS[col], COLUMNS[col]),
        };
        let last = range.end().map_or(0, |(row, _)| row);
        for row in 1..=last {
            let text = |col: usize| cell_text(range.get_value((row, col as u32)));
            let code = text(0);
            if code.is_empty() && (1..6).all(|c| text(c).is_empty()) {
                continue;
            }
            if !criterion.questions.iter().any(|q| q.code == code) {
                errors.push(
                    AnswerError::new(
                        &code,
                        "indicator",
                        Problem {
                            key: "campaign-error-unknown-indicator",
                            arg: code.clone(),
                            message: format!("'{code}' is not a question of the sheet '{name}'"),
                        },
                    )
                    .at(place(row, 0)),
                );
                continue;
            }
            // A row left blank leaves the answer as it is: a city may fill one sheet only.
            if (3..6).all(|c| text(c).is_empty()) {
                continue;
            }
            let input = AnswerInput {
                indicator: code,
                value: text(3),
                evidence_url: text(4),
                comment: text(5),
            };
            match questionnaire.check(std::slice::from_ref(&input)) {
                Ok(_) => answers.push(input),
                Err(found) => errors.extend(found.into_iter().map(|e| {
                    let col = match e.field {
                        "value" => 3,
                        "evidence_url" => 4,
                        "comment" => 5,
                        _ => 0,
                    };
                    e.at(place(row, col))
                })),
            }
        }
    }
    if errors.is_empty() {
        // A question that appears on two rows is a mistake too.
        questionnaire.check(&answers).map(|_| answers)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::tests::questionnaire;

    fn key() -> TemplateKey {
        TemplateKey {
            campaign: 3,
            edition: 7,
            city: "minsk".into(),
        }
    }

    /// A workbook as a person would fill it: the sheets of the questionnaire with `rows`
    /// (sheet, code, value), and the key sheet.
    fn filled(rows: &[(&str, &str, &str)], key: &TemplateKey) -> Vec<u8> {
        let mut workbook = Workbook::new();
        let q = questionnaire();
        for criterion in &q.criteria {
            let sheet = workbook.add_worksheet();
            sheet.set_name(&criterion.code).expect("name");
            sheet.write_string(0, 0, "Code").expect("cell");
            for (k, (_, code, value)) in rows
                .iter()
                .filter(|(s, _, _)| *s == criterion.code)
                .enumerate()
            {
                let row = k as u32 + 1;
                sheet.write_string(row, 0, *code).expect("cell");
                match value.parse::<f64>() {
                    Ok(n) => sheet.write_number(row, 3, n).expect("cell"),
                    Err(_) => sheet.write_string(row, 3, *value).expect("cell"),
                };
            }
        }
        let sheet = workbook.add_worksheet();
        sheet.set_name(KEY_SHEET).expect("name");
        sheet.write_string(0, 0, "campaign").expect("cell");
        sheet.write_number(0, 1, key.campaign as f64).expect("cell");
        sheet.write_number(1, 1, key.edition as f64).expect("cell");
        sheet.write_string(2, 1, &key.city).expect("cell");
        workbook.save_to_buffer().expect("xlsx")
    }

    #[test]
    fn the_template_reads_back_with_its_answers() {
        let q = questionnaire();
        let prefill = |code: &str| {
            (code == "online").then(|| {
                (
                    "45".to_string(),
                    "https://x.example".to_string(),
                    "c".to_string(),
                )
            })
        };
        let bytes = write_template(&q, &key(), true, &prefill).expect("written");
        let answers = read_template(&bytes, &q, &key()).expect("read");
        let online = answers
            .iter()
            .find(|a| a.indicator == "online")
            .expect("online");
        assert_eq!(
            (online.value.as_str(), online.evidence_url.as_str()),
            ("45", "https://x.example")
        );
        assert_eq!(
            answers.len(),
            1,
            "blank rows leave their answers as they are"
        );
    }

    #[test]
    fn a_filled_file_is_read_whole_or_refused_with_places() {
        let q = questionnaire();
        let good = filled(
            &[
                ("Digital", "portal", "yes"),
                ("Digital", "online", "80"),
                ("Green", "open", "full"),
            ],
            &key(),
        );
        let answers = read_template(&good, &q, &key()).expect("accepted");
        assert_eq!(answers.len(), 3);

        let bad = filled(
            &[
                ("Digital", "portal", "yes"),
                ("Digital", "online", "101"),
                ("Digital", "speed", "fast"),
                ("Green", "nowhere", "1"),
            ],
            &key(),
        );
        let errors = read_template(&bad, &q, &key()).expect_err("refused");
        let places: Vec<(String, usize, String, &str)> = errors
            .iter()
            .map(|e| {
                let p = e.place.clone().expect("a place");
                (p.sheet, p.row, p.column, e.problem.key)
            })
            .collect();
        assert_eq!(
            places,
            [
                (
                    "Digital".into(),
                    3,
                    "D (value)".into(),
                    "campaign-error-above-max"
                ),
                (
                    "Digital".into(),
                    4,
                    "D (value)".into(),
                    "campaign-error-not-a-number"
                ),
                (
                    "Green".into(),
                    2,
                    "A (code)".into(),
                    "campaign-error-unknown-indicator"
                ),
            ]
        );
        assert!(errors[0]
            .to_string()
            .contains("sheet Digital, row 3, column D (value)"));
    }

    #[test]
    fn a_template_of_another_city_or_edition_or_without_a_sheet_is_refused() {
        let q = questionnaire();
        let other_city = TemplateKey {
            city: "moscow".into(),
            ..key()
        };
        let e = read_template(&filled(&[], &other_city), &q, &key()).expect_err("city");
        assert_eq!(e[0].problem.key, "campaign-error-other-city");
        let other_edition = TemplateKey {
            edition: 8,
            ..key()
        };
        let e = read_template(&filled(&[], &other_edition), &q, &key()).expect_err("edition");
        assert_eq!(e[0].problem.key, "campaign-error-other-edition");
        let e = read_template(b"not a workbook", &q, &key()).expect_err("not xlsx");
        assert_eq!(e[0].problem.key, "campaign-error-not-xlsx");

        // A workbook without the Green sheet.
        let mut workbook = Workbook::new();
        workbook.add_worksheet().set_name("Digital").expect("name");
        let sheet = workbook.add_worksheet();
        sheet.set_name(KEY_SHEET).expect("name");
        sheet.write_number(0, 1, 3.0).expect("cell");
        sheet.write_number(1, 1, 7.0).expect("cell");
        sheet.write_string(2, 1, "minsk").expect("cell");
        let bytes = workbook.save_to_buffer().expect("xlsx");
        let e = read_template(&bytes, &q, &key()).expect_err("missing sheet");
        assert_eq!(
            (e[0].problem.key, e[0].problem.arg.as_str()),
            ("campaign-error-missing-sheet", "Green")
        );
    }
}

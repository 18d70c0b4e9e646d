//! What a city answers: the questionnaire of an edition and the rules of a value.
//!
//! **The questionnaire is the edition's iMeta.** Every indicator (`Type = Indicator`) is a
//! question; its parent aggregate is its **criterion**: one questionnaire page and one XLSX sheet
//! per criterion, in iMeta order (in a regular framework the parents of the indicators are the
//! level-2 aggregates; in a ragged one each indicator still sits on its own parent's page).
//!
//! Optional iMeta columns beyond COINr's (read here, so the engine never sees them):
//!
//! | column        | meaning                                                                  |
//! |---------------|--------------------------------------------------------------------------|
//! | `question_ru`, `question_en` | the question a city answers (the indicator's name when empty) |
//! | `answer_type` | `number` (the default), `percent`, `yes_no`, `choice`                     |
//! | `choices`     | for `choice`: `key:score|key:score…` (e.g. `none:0|partly:50|full:100`); for `yes_no`, optional scores `yes:100|no:0` (default yes = 1, no = 0) |
//! | `min`, `max`  | the valid range of a number or percent (percent defaults to 0–100; a number has no bound unless given) |
//! | `evidence`    | `url` (or `required`): an answer needs an evidence link; empty or `none`: optional |
//!
//! A value is kept as the text the city chose in its canonical form (a number as Rust writes an
//! f64, `yes`/`no`, a choice's key) and mapped to a number only when the verified data feed the
//! edition: [`QuestionSpec::score`].
use crate::edition::{AnswerType, Edition, InputError, InputPart};
use crate::meta_table::MetaTable;
use megapolis_domain::Lang;
use serde::{Deserialize, Serialize};

/// One choice of a `choice` (or scored `yes_no`) question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    pub key: String,
    pub score: f64,
}

/// One question of the questionnaire: an indicator of the edition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionSpec {
    pub code: String,
    /// The indicator's name in Russian and in English (each falling back as [`crate::Names`]).
    pub name_ru: String,
    pub name_en: String,
    pub unit: String,
    pub question_ru: String,
    pub question_en: String,
    pub answer_type: AnswerType,
    /// Keys and scores of a `choice` question; `yes` and `no` of a `yes_no` one.
    pub choices: Vec<Choice>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// An answer must come with an evidence link.
    #[serde(default)]
    pub evidence_required: bool,
}

/// A criterion: one page of the questionnaire, one sheet of the template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    pub code: String,
    pub name_ru: String,
    pub name_en: String,
    pub questions: Vec<QuestionSpec>,
}

impl Criterion {
    /// The criterion's name in a language.
    pub fn name(&self, russian: bool) -> &str {
        if russian {
            &self.name_ru
        } else {
            &self.name_en
        }
    }
}

/// The questions of an edition, by criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub criteria: Vec<Criterion>,
}

/// Why a value, an answer or a file is refused. `key` is the translation key of the reason
/// (`campaign-error-*`), `arg` what it names (a bound, the allowed choices, a sheet…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub key: &'static str,
    pub arg: String,
    /// The reason in English, for the API and the logs.
    pub message: String,
}

impl Problem {
    fn new(key: &'static str, arg: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            key,
            arg: arg.into(),
            message: message.into(),
        }
    }
}

/// Where in an uploaded workbook a problem is: sheet, 1-based row, column letter and header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellPlace {
    pub sheet: String,
    pub row: usize,
    pub column: String,
}

/// A refused answer: which indicator and field, why, and for an upload where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}{}{}: {}", place.as_ref().map(|p| format!("sheet {}, row {}, column {}: ", p.sheet, p.row, p.column)).unwrap_or_default(), indicator, if field.is_empty() { String::new() } else { format!(" ({field})") }, problem.message)]
pub struct AnswerError {
    /// The indicator's code ("" when the problem is the file's).
    pub indicator: String,
    /// `value`, `evidence_url`, `comment`, `indicator` or "" for the whole file.
    pub field: &'static str,
    pub problem: Problem,
    pub place: Option<CellPlace>,
}

impl AnswerError {
    pub fn new(indicator: &str, field: &'static str, problem: Problem) -> AnswerError {
        AnswerError {
            indicator: indicator.to_string(),
            field,
            problem,
            place: None,
        }
    }

    pub fn at(mut self, place: CellPlace) -> AnswerError {
        self.place = Some(place);
        self
    }
}

/// An answer as sent (form, API, a template row), not yet checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerInput {
    pub indicator: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub evidence_url: String,
    #[serde(default)]
    pub comment: String,
}

/// A checked answer: `value` is canonical, `None` while the city has not answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckedAnswer {
    pub indicator: String,
    pub value: Option<String>,
    pub evidence_url: String,
    pub comment: String,
}

pub const MAX_COMMENT: usize = 4000;
pub const MAX_URL: usize = 2000;

/// Formats a number the way it is stored: the shortest text that reads back to the same f64.
pub fn number_text(value: f64) -> String {
    format!("{value}")
}

fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim().replace([' ', '\u{a0}'], "").replace(',', ".");
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

impl QuestionSpec {
    /// The question in a language (`ru` or anything else for English), or the indicator's name.
    pub fn question(&self, russian: bool) -> &str {
        let text = if russian {
            &self.question_ru
        } else {
            &self.question_en
        };
        if !text.is_empty() {
            text
        } else if !self.question_en.is_empty() {
            &self.question_en
        } else if !self.question_ru.is_empty() {
            &self.question_ru
        } else {
            self.name(russian)
        }
    }

    /// The indicator's name in a language.
    pub fn name(&self, russian: bool) -> &str {
        if russian {
            &self.name_ru
        } else {
            &self.name_en
        }
    }

    /// The valid range: the iMeta's `min`/`max`, else the type's (percent 0–100).
    pub fn range(&self) -> (Option<f64>, Option<f64>) {
        match self.answer_type {
            AnswerType::Percent => (self.min.or(Some(0.0)), self.max.or(Some(100.0))),
            _ => (self.min, self.max),
        }
    }

    /// The keys a city may give for a yes/no or choice question.
    pub fn keys(&self) -> Vec<String> {
        self.choices.iter().map(|c| c.key.clone()).collect()
    }

    /// Reads a value as typed: `Ok(None)` when empty (not answered), the canonical text when
    /// valid, or why not.
    pub fn parse_value(&self, text: &str) -> Result<Option<String>, Problem> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        match self.answer_type {
            AnswerType::Number | AnswerType::Percent => {
                let given = if self.answer_type == AnswerType::Percent {
                    text.trim_end_matches('%')
                } else {
                    text
                };
                let value = parse_number(given).ok_or_else(|| {
                    Problem::new(
                        "campaign-error-not-a-number",
                        text,
                        format!("'{text}' is not a number"),
                    )
                })?;
                let (min, max) = self.range();
                if let Some(min) = min.filter(|m| value < *m) {
                    return Err(Problem::new(
                        "campaign-error-below-min",
                        number_text(min),
                        format!("{value} is below the minimum {min}"),
                    ));
                }
                if let Some(max) = max.filter(|m| value > *m) {
                    return Err(Problem::new(
                        "campaign-error-above-max",
                        number_text(max),
                        format!("{value} is above the maximum {max}"),
                    ));
                }
                Ok(Some(number_text(value)))
            }
            AnswerType::YesNo => {
                let lower = text.to_lowercase();
                match lower.as_str() {
                    "yes" | "y" | "да" | "1" | "true" => Ok(Some("yes".into())),
                    "no" | "n" | "нет" | "0" | "false" => Ok(Some("no".into())),
                    _ => Err(Problem::new(
                        "campaign-error-not-yes-no",
                        text,
                        format!("'{text}' is neither yes nor no"),
                    )),
                }
            }
            AnswerType::Choice => self
                .choices
                .iter()
                .find(|c| c.key.eq_ignore_ascii_case(text))
                .map(|c| Some(c.key.clone()))
                .ok_or_else(|| {
                    let keys = self.keys().join(", ");
                    Problem::new(
                        "campaign-error-unknown-choice",
                        keys.clone(),
                        format!("'{text}' is not one of: {keys}"),
                    )
                }),
        }
    }

    /// The number a canonical value stands for in the edition's iData: a number as it is,
    /// yes/no and choices their score.
    pub fn score(&self, value: &str) -> Option<f64> {
        match self.answer_type {
            AnswerType::Number | AnswerType::Percent => parse_number(value),
            AnswerType::YesNo | AnswerType::Choice => self
                .choices
                .iter()
                .find(|c| c.key == value)
                .map(|c| c.score),
        }
    }

    /// Checks one answer as sent.
    pub fn check(&self, input: &AnswerInput) -> Result<CheckedAnswer, Vec<AnswerError>> {
        let mut errors = Vec::new();
        let value = self
            .parse_value(&input.value)
            .map_err(|p| errors.push(AnswerError::new(&self.code, "value", p)))
            .ok()
            .flatten();
        let url = input.evidence_url.trim();
        if url.is_empty() && value.is_some() && self.evidence_required {
            errors.push(AnswerError::new(
                &self.code,
                "evidence_url",
                Problem::new(
                    "campaign-error-evidence-required",
                    "",
                    "this answer needs an evidence link",
                ),
            ));
        }
        if !url.is_empty()
            && (!(url.starts_with("https://") || url.starts_with("http://"))
                || url.len() > MAX_URL
                || url.chars().any(char::is_whitespace))
        {
            errors.push(AnswerError::new(
                &self.code,
                "evidence_url",
                Problem::new(
                    "campaign-error-url",
                    url,
                    "the evidence must be an http:// or https:// address",
                ),
            ));
        }
        let comment = input.comment.trim();
        if comment.chars().count() > MAX_COMMENT {
            errors.push(AnswerError::new(
                &self.code,
                "comment",
                Problem::new(
                    "campaign-error-too-long",
                    MAX_COMMENT.to_string(),
                    format!("the comment is longer than {MAX_COMMENT} characters"),
                ),
            ));
        }
        if errors.is_empty() {
            Ok(CheckedAnswer {
                indicator: self.code.clone(),
                value,
                evidence_url: url.to_string(),
                comment: comment.to_string(),
            })
        } else {
            Err(errors)
        }
    }
}

/// Reads `key:score|key:score` (or bare keys, scored 0, 1, 2…).
fn parse_choices(text: &str) -> Result<Vec<Choice>, String> {
    let mut choices: Vec<Choice> = Vec::new();
    for (k, part) in text.split('|').map(str::trim).enumerate() {
        if part.is_empty() {
            continue;
        }
        let (key, score) = match part.rsplit_once(':') {
            Some((key, score)) => (
                key.trim(),
                parse_number(score).ok_or_else(|| format!("'{score}' is not a score"))?,
            ),
            None => (part, k as f64),
        };
        if key.is_empty() {
            return Err(format!("'{part}' has no key"));
        }
        if choices.iter().any(|c| c.key.eq_ignore_ascii_case(key)) {
            return Err(format!("the choice '{key}' is given twice"));
        }
        choices.push(Choice {
            key: key.to_string(),
            score,
        });
    }
    Ok(choices)
}

/// An indicator's row in iMeta and its `choices`, `min`, `max` and `evidence` cells.
#[derive(Debug, Clone, Default)]
struct Extras {
    row: usize,
    choices: String,
    min: String,
    max: String,
    evidence: String,
}

/// The `choices`, `min`, `max`, `evidence` columns of iMeta, by indicator code, with their rows.
fn read_extras(table: &MetaTable) -> std::collections::HashMap<String, Extras> {
    table
        .rows()
        .map(|(row, cells)| {
            let cell = |column: &str| cells.get(column).to_string();
            (
                cell("iCode"),
                Extras {
                    row,
                    choices: cell("choices"),
                    min: cell("min"),
                    max: cell("max"),
                    evidence: cell("evidence"),
                },
            )
        })
        .collect()
}

fn input_error(row: usize, column: &str, message: String) -> InputError {
    InputError {
        part: InputPart::Meta,
        row: (row > 0).then_some(row),
        column: Some(column.to_string()).filter(|c| !c.is_empty()),
        message,
    }
}

impl Questionnaire {
    /// The questionnaire of an edition; refused, naming the iMeta row and column, when a
    /// question cannot be answered (a choice question without choices, a bad range).
    pub fn of(edition: &Edition) -> Result<Questionnaire, InputError> {
        let methodology = edition.methodology()?;
        let framework = &methodology.framework;
        // methodology.questions are read from the same columns.
        let questions = &methodology.questions;
        let name = |code: &str, lang: Lang| methodology.names.name(code, lang).to_string();
        let extras = read_extras(&methodology.table);
        let mut criteria: Vec<Criterion> = Vec::new();
        for node in framework.nodes.iter().filter(|n| n.is_indicator()) {
            let parent = node.parent.map(|p| &framework.nodes[p]);
            // An indicator without a parent is its own page.
            let criterion_code = parent.map_or(&node.code, |p| &p.code).clone();
            let text = questions.iter().find(|q| q.code == node.code);
            let answer_type = text
                .and_then(|q| q.answer_type)
                .unwrap_or(AnswerType::Number);
            let Extras {
                row,
                choices: choices_text,
                min: min_text,
                max: max_text,
                evidence,
            } = extras.get(&node.code).cloned().unwrap_or_default();
            let evidence_required = match evidence.to_ascii_lowercase().as_str() {
                "" | "none" | "optional" => false,
                "url" | "required" => true,
                other => {
                    return Err(input_error(
                        row,
                        "evidence",
                        format!("'{other}': write url (a link is required) or leave it empty"),
                    ))
                }
            };
            let bound = |column: &str, text: &str| -> Result<Option<f64>, InputError> {
                if text.trim().is_empty() {
                    return Ok(None);
                }
                parse_number(text)
                    .map(Some)
                    .ok_or_else(|| input_error(row, column, format!("'{text}' is not a number")))
            };
            let (min, max) = (bound("min", &min_text)?, bound("max", &max_text)?);
            if let (Some(lo), Some(hi)) = (min, max) {
                if lo > hi {
                    return Err(input_error(
                        row,
                        "max",
                        format!("max {hi} is below min {lo}"),
                    ));
                }
            }
            let given = parse_choices(&choices_text).map_err(|m| input_error(row, "choices", m))?;
            let choices = match answer_type {
                AnswerType::Choice if given.is_empty() => {
                    return Err(input_error(
                        row,
                        "choices",
                        format!(
                        "the choice question {} has no choices: write them as key:score|key:score",
                        node.code
                    ),
                    ))
                }
                AnswerType::Choice => given,
                AnswerType::YesNo => {
                    let score = |key: &str, default: f64| {
                        given
                            .iter()
                            .find(|c| c.key.eq_ignore_ascii_case(key))
                            .map_or(default, |c| c.score)
                    };
                    vec![
                        Choice {
                            key: "yes".into(),
                            score: score("yes", 1.0),
                        },
                        Choice {
                            key: "no".into(),
                            score: score("no", 0.0),
                        },
                    ]
                }
                _ => Vec::new(),
            };
            let spec = QuestionSpec {
                code: node.code.clone(),
                name_ru: name(&node.code, Lang::Ru),
                name_en: name(&node.code, Lang::En),
                unit: node.unit.clone(),
                question_ru: text.map(|q| q.question_ru.clone()).unwrap_or_default(),
                question_en: text.map(|q| q.question_en.clone()).unwrap_or_default(),
                answer_type,
                choices,
                min,
                max,
                evidence_required,
            };
            match criteria.iter_mut().find(|c| c.code == criterion_code) {
                Some(criterion) => criterion.questions.push(spec),
                None => criteria.push(Criterion {
                    name_ru: name(&criterion_code, Lang::Ru),
                    name_en: name(&criterion_code, Lang::En),
                    code: criterion_code,
                    questions: vec![spec],
                }),
            }
        }
        Ok(Questionnaire { criteria })
    }

    pub fn questions(&self) -> impl Iterator<Item = &QuestionSpec> {
        self.criteria.iter().flat_map(|c| c.questions.iter())
    }

    pub fn question(&self, code: &str) -> Option<&QuestionSpec> {
        self.questions().find(|q| q.code == code)
    }

    pub fn criterion(&self, code: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.code == code)
    }

    pub fn len(&self) -> usize {
        self.questions().count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Checks a set of answers: every indicator known and given once, every value valid. All
    /// the errors at once, so a form or a file can be corrected in one go.
    pub fn check(&self, inputs: &[AnswerInput]) -> Result<Vec<CheckedAnswer>, Vec<AnswerError>> {
        let mut errors = Vec::new();
        let mut checked = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for input in inputs {
            let code = input.indicator.trim();
            let Some(question) = self.question(code) else {
                errors.push(AnswerError::new(
                    code,
                    "indicator",
                    Problem::new(
                        "campaign-error-unknown-indicator",
                        code,
                        format!("'{code}' is not an indicator of this edition"),
                    ),
                ));
                continue;
            };
            if !seen.insert(code.to_string()) {
                errors.push(AnswerError::new(
                    code,
                    "indicator",
                    Problem::new(
                        "campaign-error-duplicate",
                        code,
                        format!("'{code}' is answered twice"),
                    ),
                ));
                continue;
            }
            match question.check(input) {
                Ok(answer) => checked.push(answer),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(checked)
        } else {
            Err(errors)
        }
    }
}

/// One verified city for the edition's iData: code, name, and its final canonical values by
/// indicator code.
pub struct VerifiedCity {
    pub code: String,
    pub name: String,
    pub values: std::collections::HashMap<String, String>,
}

/// The edition's iData from the verified cities: `uCode` = city code, `uName` = its name, then
/// one column per question, each value mapped to its number ([`QuestionSpec::score`]); a value
/// that is missing stays empty (the build's imputation, if any, fills it).
pub fn idata(questionnaire: &Questionnaire, cities: &[VerifiedCity]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["uCode".to_string(), "uName".to_string()];
    header.extend(questionnaire.questions().map(|q| q.code.clone()));
    // Writing CSV into memory cannot fail but for a bug; an empty file would then be refused.
    let _ = writer.write_record(&header);
    for city in cities {
        let mut record = vec![city.code.clone(), city.name.clone()];
        record.extend(questionnaire.questions().map(|q| {
            city.values
                .get(&q.code)
                .and_then(|v| q.score(v))
                .map(number_text)
                .unwrap_or_default()
        }));
        let _ = writer.write_record(&record);
    }
    writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::EditionInput;

    pub(crate) const META: &str = "Level,iCode,iName,Direction,Weight,Unit,Target,Denominator,Parent,Type,question_ru,question_en,answer_type,choices,min,max\n\
1,portal,City portal,1,1,,,,Digital,Indicator,Есть ли портал?,Is there a portal?,yes_no,,,\n\
1,online,Services online,1,1,%,,,Digital,Indicator,Доля услуг?,Share of services?,percent,,,\n\
1,speed,Broadband speed,1,1,Mbit/s,,,Digital,Indicator,,,number,,0,10000\n\
1,open,Open data,1,1,,,,Green,Indicator,Открытые данные?,Open data?,choice,none:0|partly:50|full:100,,\n\
1,waste,Waste per person,-1,1,kg,,,Green,Indicator,,,,,,\n\
2,Digital,Digital,1,2,,,,Index,Aggregate,,,,,,\n\
2,Green,Green,1,1,,,,Index,Aggregate,,,,,,\n\
3,Index,Index,1,1,,,,,Aggregate,,,,,,\n";

    pub(crate) fn questionnaire() -> Questionnaire {
        let edition = EditionInput {
            meta: META.into(),
            spec: crate::edition::tests::SPEC.into(),
            data: None,
            year: "2026".into(),
            title_ru: "Т".into(),
            title_en: "T".into(),
        }
        .parse()
        .expect("a valid edition");
        Questionnaire::of(&edition).expect("a questionnaire")
    }

    #[test]
    fn one_page_per_parent_aggregate_in_imeta_order() {
        let q = questionnaire();
        let pages: Vec<(&str, usize)> = q
            .criteria
            .iter()
            .map(|c| (c.code.as_str(), c.questions.len()))
            .collect();
        assert_eq!(pages, [("Digital", 3), ("Green", 2)]);
        assert_eq!(q.len(), 5);
        let waste = q.question("waste").expect("waste");
        assert_eq!(waste.answer_type, AnswerType::Number, "the default type");
        assert_eq!(
            waste.question(true),
            "Waste per person",
            "the name stands in"
        );
        assert_eq!(
            q.question("speed").expect("speed").range(),
            (Some(0.0), Some(10000.0))
        );
    }

    #[test]
    fn an_answer_needing_evidence_is_refused_without_a_link() {
        let meta = format!("{},evidence\n", META.lines().next().expect("header"))
            + &META
                .lines()
                .skip(1)
                .map(|l| {
                    let evidence = if l.starts_with("1,portal,") {
                        "url"
                    } else {
                        ""
                    };
                    format!("{l},{evidence}\n")
                })
                .collect::<String>();
        let edition = |meta: String| {
            EditionInput {
                meta,
                spec: crate::edition::tests::SPEC.into(),
                data: None,
                year: "2026".into(),
                title_ru: "Т".into(),
                title_en: "T".into(),
            }
            .parse()
            .expect("edition")
        };
        let q = Questionnaire::of(&edition(meta.clone())).expect("questionnaire");
        let portal = q.question("portal").expect("portal");
        assert!(portal.evidence_required);
        assert!(!q.question("speed").expect("speed").evidence_required);
        let answer = |value: &str, url: &str| AnswerInput {
            indicator: "portal".into(),
            value: value.into(),
            evidence_url: url.into(),
            comment: String::new(),
        };
        let refused = portal.check(&answer("yes", "")).expect_err("no link");
        assert_eq!(refused[0].field, "evidence_url");
        assert_eq!(refused[0].problem.key, "campaign-error-evidence-required");
        portal
            .check(&answer("yes", "https://city.example/portal"))
            .expect("with a link");
        portal.check(&answer("", "")).expect("a blank draft answer");
        let e = Questionnaire::of(&edition(meta.replace(",url\n", ",maybe\n")))
            .expect_err("an unknown requirement");
        assert_eq!((e.row, e.column.as_deref()), (Some(2), Some("evidence")));
    }

    #[test]
    fn values_are_checked_by_type_and_range() {
        let q = questionnaire();
        let online = q.question("online").expect("q");
        assert_eq!(online.parse_value(" 45,5 % "), Ok(Some("45.5".into())));
        assert_eq!(online.parse_value(""), Ok(None));
        assert_eq!(
            online.parse_value("101").expect_err("over").key,
            "campaign-error-above-max"
        );
        assert_eq!(
            online.parse_value("-1").expect_err("under").key,
            "campaign-error-below-min"
        );
        let speed = q.question("speed").expect("q");
        assert_eq!(
            speed.parse_value("fast").expect_err("text").key,
            "campaign-error-not-a-number"
        );
        let portal = q.question("portal").expect("q");
        assert_eq!(portal.parse_value("Да"), Ok(Some("yes".into())));
        assert_eq!(portal.parse_value("0"), Ok(Some("no".into())));
        assert_eq!(
            portal.parse_value("maybe").expect_err("?").key,
            "campaign-error-not-yes-no"
        );
        let open = q.question("open").expect("q");
        assert_eq!(open.parse_value("Partly"), Ok(Some("partly".into())));
        let e = open.parse_value("all").expect_err("unknown");
        assert_eq!(
            (e.key, e.arg.as_str()),
            ("campaign-error-unknown-choice", "none, partly, full")
        );
    }

    #[test]
    fn values_map_to_scores() {
        let q = questionnaire();
        assert_eq!(q.question("portal").expect("q").score("yes"), Some(1.0));
        assert_eq!(q.question("portal").expect("q").score("no"), Some(0.0));
        assert_eq!(q.question("open").expect("q").score("full"), Some(100.0));
        assert_eq!(q.question("online").expect("q").score("45.5"), Some(45.5));
    }

    #[test]
    fn a_set_of_answers_is_refused_whole_with_every_error() {
        let q = questionnaire();
        let answer = |indicator: &str, value: &str| AnswerInput {
            indicator: indicator.into(),
            value: value.into(),
            ..Default::default()
        };
        let errors = q
            .check(&[
                answer("portal", "yes"),
                answer("online", "101"),
                answer("nowhere", "1"),
                AnswerInput {
                    evidence_url: "ftp://x".into(),
                    ..answer("speed", "10")
                },
                answer("portal", "no"),
            ])
            .expect_err("refused");
        let keys: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.indicator.as_str(), e.problem.key))
            .collect();
        assert_eq!(
            keys,
            [
                ("online", "campaign-error-above-max"),
                ("nowhere", "campaign-error-unknown-indicator"),
                ("speed", "campaign-error-url"),
                ("portal", "campaign-error-duplicate"),
            ]
        );
        let fine = q
            .check(&[answer("portal", "yes"), answer("waste", "")])
            .expect("accepted");
        assert_eq!(fine[1].value, None);
    }

    #[test]
    fn verified_values_become_idata() {
        let q = questionnaire();
        let values = [("portal", "yes"), ("online", "45.5"), ("open", "partly")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let text = idata(
            &q,
            &[VerifiedCity {
                code: "minsk".into(),
                name: "Minsk, Belarus".into(),
                values,
            }],
        );
        assert_eq!(
            text,
            "uCode,uName,portal,online,speed,open,waste\nminsk,\"Minsk, Belarus\",1,45.5,,50,\n"
        );
    }

    #[test]
    fn a_choice_question_needs_choices() {
        let meta = META.replace("none:0|partly:50|full:100", "");
        let edition = EditionInput {
            meta,
            spec: crate::edition::tests::SPEC.into(),
            data: None,
            year: "2026".into(),
            title_ru: "Т".into(),
            title_en: "T".into(),
        }
        .parse()
        .expect("the engine accepts it");
        let e = Questionnaire::of(&edition).expect_err("no choices");
        assert_eq!((e.row, e.column.as_deref()), (Some(5), Some("choices")));
    }
}

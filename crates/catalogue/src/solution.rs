//! A solution of the catalogue: what a city built, in which nomination it was entered, what it
//! is made of, and whether the public sees it.
use megapolis_domain::CityCode;
use serde::{Deserialize, Serialize};

/// A solution as the catalogue keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Solution {
    pub id: i64,
    pub title_ru: String,
    pub title_en: String,
    pub summary_ru: String,
    pub summary_en: String,
    /// The owner city's code (the directory's), if any.
    pub city: Option<String>,
    /// The nomination's name, as the competition named it.
    pub nomination: String,
    pub year: i32,
    pub technologies: Vec<String>,
    pub hardware: Vec<String>,
    pub licence: String,
    pub url: String,
    pub published: bool,
}

impl Solution {
    /// The title in `lang` (`ru` or `en`), or in the other language when that one is empty.
    pub fn title(&self, lang: &str) -> &str {
        pick(lang, &self.title_ru, &self.title_en)
    }

    /// The summary in `lang`, or in the other language when that one is empty.
    pub fn summary(&self, lang: &str) -> &str {
        pick(lang, &self.summary_ru, &self.summary_en)
    }
}

fn pick<'a>(lang: &str, ru: &'a str, en: &'a str) -> &'a str {
    match (lang, ru.is_empty(), en.is_empty()) {
        ("en", _, false) | (_, true, _) => en,
        _ => ru,
    }
}

/// A solution as a client sends it (`POST /api/v1/solutions`), before the checks.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SolutionInput {
    pub title_ru: String,
    pub title_en: String,
    pub summary_ru: String,
    pub summary_en: String,
    pub city: Option<String>,
    pub nomination: String,
    pub year: Option<i64>,
    pub technologies: Vec<String>,
    pub hardware: Vec<String>,
    pub licence: String,
    pub url: String,
    pub published: bool,
}

/// Why a solution cannot be saved, by field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SolutionError {
    #[error("a solution needs a title in Russian (title_ru) or in English (title_en)")]
    NoTitle,
    #[error("{field} is longer than {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("nomination must name the solution's nomination")]
    NoNomination,
    #[error("year must be a year from 1990 to 2100, not {0}")]
    Year(i64),
    #[error("year is required")]
    NoYear,
    #[error("city must be a city code of the directory (lower-case Latin letters, digits, dashes), not {0:?}")]
    City(String),
    #[error("url must be an http:// or https:// address, not {0:?}")]
    Url(String),
    #[error("{field} holds an empty item")]
    EmptyItem { field: &'static str },
}

impl SolutionError {
    /// The input field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            SolutionError::NoTitle => "title_ru",
            SolutionError::TooLong { field, .. } | SolutionError::EmptyItem { field } => field,
            SolutionError::NoNomination => "nomination",
            SolutionError::Year(_) | SolutionError::NoYear => "year",
            SolutionError::City(_) => "city",
            SolutionError::Url(_) => "url",
        }
    }
}

const TITLE_MAX: usize = 300;
const SUMMARY_MAX: usize = 20_000;
const ITEM_MAX: usize = 200;

impl SolutionInput {
    /// The solution this input describes (with id 0 until it is saved), or the first problem.
    pub fn check(&self) -> Result<Solution, SolutionError> {
        let title_ru = self.title_ru.trim().to_string();
        let title_en = self.title_en.trim().to_string();
        if title_ru.is_empty() && title_en.is_empty() {
            return Err(SolutionError::NoTitle);
        }
        for (field, text, max) in [
            ("title_ru", &title_ru, TITLE_MAX),
            ("title_en", &title_en, TITLE_MAX),
            ("summary_ru", &self.summary_ru, SUMMARY_MAX),
            ("summary_en", &self.summary_en, SUMMARY_MAX),
            ("nomination", &self.nomination, TITLE_MAX),
            ("licence", &self.licence, ITEM_MAX),
            ("url", &self.url, 2_000),
        ] {
            if text.chars().count() > max {
                return Err(SolutionError::TooLong { field, max });
            }
        }
        let nomination = self.nomination.trim().to_string();
        if nomination.is_empty() {
            return Err(SolutionError::NoNomination);
        }
        let year = match self.year {
            None => return Err(SolutionError::NoYear),
            Some(y) if !(1990..=2100).contains(&y) => return Err(SolutionError::Year(y)),
            Some(y) => i32::try_from(y).map_err(|_| SolutionError::Year(y))?,
        };
        let city = match self
            .city
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(code) => Some(
                CityCode::parse(code)
                    .map_err(|_| SolutionError::City(code.to_string()))?
                    .as_str()
                    .to_string(),
            ),
            None => None,
        };
        let url = self.url.trim().to_string();
        if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
            return Err(SolutionError::Url(url));
        }
        Ok(Solution {
            id: 0,
            title_ru,
            title_en,
            summary_ru: self.summary_ru.trim().to_string(),
            summary_en: self.summary_en.trim().to_string(),
            city,
            nomination,
            year,
            technologies: items("technologies", &self.technologies)?,
            hardware: items("hardware", &self.hardware)?,
            licence: self.licence.trim().to_string(),
            url,
            published: self.published,
        })
    }
}

fn items(field: &'static str, list: &[String]) -> Result<Vec<String>, SolutionError> {
    list.iter()
        .map(|item| {
            let item = item.trim();
            match item.chars().count() {
                0 => Err(SolutionError::EmptyItem { field }),
                n if n > ITEM_MAX => Err(SolutionError::TooLong {
                    field,
                    max: ITEM_MAX,
                }),
                _ => Ok(item.to_string()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SolutionInput {
        SolutionInput {
            title_ru: " Портал открытых данных ".into(),
            nomination: "Открытый город".into(),
            year: Some(2024),
            city: Some("minsk".into()),
            technologies: vec!["PostgreSQL".into()],
            url: "https://data.example".into(),
            ..SolutionInput::default()
        }
    }

    #[test]
    fn a_good_solution_is_trimmed_and_kept() {
        let s = input().check().expect("valid");
        assert_eq!(s.title_ru, "Портал открытых данных");
        assert_eq!(
            s.title("en"),
            "Портал открытых данных",
            "falls back to Russian"
        );
        assert_eq!(s.city.as_deref(), Some("minsk"));
        assert_eq!(s.year, 2024);
    }

    #[test]
    fn each_problem_names_its_field() {
        let cases: Vec<(SolutionInput, &str)> = vec![
            (
                SolutionInput {
                    title_ru: " ".into(),
                    ..input()
                },
                "title_ru",
            ),
            (
                SolutionInput {
                    nomination: String::new(),
                    ..input()
                },
                "nomination",
            ),
            (
                SolutionInput {
                    year: Some(1700),
                    ..input()
                },
                "year",
            ),
            (
                SolutionInput {
                    year: None,
                    ..input()
                },
                "year",
            ),
            (
                SolutionInput {
                    city: Some("Минск".into()),
                    ..input()
                },
                "city",
            ),
            (
                SolutionInput {
                    url: "javascript:alert(1)".into(),
                    ..input()
                },
                "url",
            ),
            (
                SolutionInput {
                    technologies: vec![" ".into()],
                    ..input()
                },
                "technologies",
            ),
            (
                SolutionInput {
                    summary_ru: "я".repeat(SUMMARY_MAX + 1),
                    ..input()
                },
                "summary_ru",
            ),
        ];
        for (case, field) in cases {
            assert_eq!(case.check().map_err(|e| e.field()), Err(field));
        }
    }
}

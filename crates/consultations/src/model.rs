//! Consultations and submissions as parsed inputs: a form or a JSON body becomes a
//! [`NewConsultation`] or a [`NewSubmission`], or the errors of its fields (translation keys,
//! as everywhere on the platform), so nothing half-valid reaches storage.
use crate::analysis::{script_of, Script};
use megapolis_domain::field::{optional_date, required_text, FieldErrors};
use megapolis_domain::{CityCode, Lang};
use serde::{Deserialize, Serialize};
use time::Date;

/// The longest submission accepted, in characters: a long letter, not a document.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// The longest title and topic.
pub const MAX_TITLE_CHARS: usize = 300;
pub const MAX_TOPIC_CHARS: usize = 100;
pub const MAX_TOPICS: usize = 30;

/// What a submission is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Something to do.
    Proposal,
    /// A critical remark on what is done.
    Remark,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Proposal, Kind::Remark];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Proposal => "proposal",
            Kind::Remark => "remark",
        }
    }

    pub fn parse(raw: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == raw.trim())
    }
}

/// Whether a consultation takes submissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConsultationState {
    Open,
    Closed,
}

impl ConsultationState {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsultationState::Open => "open",
            ConsultationState::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Option<ConsultationState> {
        [ConsultationState::Open, ConsultationState::Closed]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// The raw fields of a new consultation (form or JSON). `topics`: one per line or comma.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ConsultationInput {
    pub title_ru: String,
    pub title_en: String,
    pub opens_on: String,
    pub closes_on: String,
    pub topics: String,
}

/// A consultation ready to save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewConsultation {
    /// At least one of the two titles is set; pages show the other language's when one is empty.
    pub title_ru: String,
    pub title_en: String,
    pub opens_on: Option<Date>,
    pub closes_on: Option<Date>,
    pub topics: Vec<String>,
}

impl ConsultationInput {
    pub fn parse(&self) -> Result<NewConsultation, FieldErrors> {
        let mut errors = FieldErrors::default();
        let (title_ru, title_en) = (self.title_ru.trim(), self.title_en.trim());
        if title_ru.is_empty() && title_en.is_empty() {
            errors.add("title_ru", "error-required");
            errors.add("title_en", "error-required");
        }
        for (field, title) in [("title_ru", title_ru), ("title_en", title_en)] {
            if title.chars().count() > MAX_TITLE_CHARS {
                errors.add(field, "error-too-long");
            }
        }
        let opens_on = optional_date(&mut errors, "opens_on", &self.opens_on);
        let closes_on = optional_date(&mut errors, "closes_on", &self.closes_on);
        if let (Some(open), Some(close)) = (opens_on, closes_on) {
            if close < open {
                errors.add("closes_on", "consultation-error-period");
            }
        }
        let topics: Vec<String> = self
            .topics
            .split(['\n', ','])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect();
        if topics.len() > MAX_TOPICS || topics.iter().any(|t| t.chars().count() > MAX_TOPIC_CHARS) {
            errors.add("topics", "error-too-long");
        }
        errors.into_result(|| NewConsultation {
            title_ru: title_ru.into(),
            title_en: title_en.into(),
            opens_on,
            closes_on,
            topics,
        })
    }
}

/// The raw fields of a submission (form or JSON): `city` a city code or empty, `lang` ru | en
/// (empty: the script most of the text is written in), `kind` proposal | remark.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SubmissionInput {
    pub city: String,
    pub lang: String,
    pub kind: String,
    pub text: String,
    pub topic: String,
}

/// A submission ready to save (who may send it for which city is checked against the author).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewSubmission {
    pub city: Option<CityCode>,
    pub lang: Lang,
    pub kind: Kind,
    pub text: String,
    pub topic: Option<String>,
}

impl SubmissionInput {
    pub fn parse(&self) -> Result<NewSubmission, FieldErrors> {
        let mut errors = FieldErrors::default();
        let text = required_text(&mut errors, "text", &self.text, MAX_TEXT_CHARS);
        let kind = Kind::parse(&self.kind);
        if kind.is_none() {
            errors.add(
                "kind",
                if self.kind.trim().is_empty() {
                    "error-required"
                } else {
                    "error-choice"
                },
            );
        }
        let lang = match self.lang.trim() {
            "" => Some(language_of(&text)),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => {
                errors.add("lang", "error-choice");
                None
            }
        };
        let city = match self.city.trim() {
            "" => None,
            raw => {
                let code = CityCode::parse(raw).ok();
                if code.is_none() {
                    errors.add("city", "error-city-code");
                }
                code
            }
        };
        let topic = match self.topic.trim() {
            "" => None,
            t if t.chars().count() > MAX_TOPIC_CHARS => {
                errors.add("topic", "error-too-long");
                None
            }
            t => Some(t.to_string()),
        };
        match (kind, lang) {
            (Some(kind), Some(lang)) if errors.is_empty() => Ok(NewSubmission {
                city,
                lang,
                kind,
                text,
                topic,
            }),
            _ => Err(errors),
        }
    }
}

/// The language most of a text's letters are written in.
pub fn language_of(text: &str) -> Lang {
    let letters: String = text.chars().filter(|c| c.is_alphabetic()).collect();
    match script_of(&letters) {
        Script::Cyrillic if !letters.is_empty() => Lang::Ru,
        _ => Lang::En,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submission(text: &str) -> SubmissionInput {
        SubmissionInput {
            kind: "proposal".into(),
            text: text.into(),
            ..Default::default()
        }
    }

    #[test]
    fn empty_and_huge_texts_are_refused_by_field() {
        assert_eq!(
            submission("  ").parse().err().and_then(|e| e.get("text")),
            Some("error-required")
        );
        let huge = "а".repeat(MAX_TEXT_CHARS + 1);
        assert_eq!(
            submission(&huge).parse().err().and_then(|e| e.get("text")),
            Some("error-too-long")
        );
        assert!(submission(&"а".repeat(MAX_TEXT_CHARS)).parse().is_ok());
    }

    #[test]
    fn kind_lang_and_city_are_checked() {
        let mut input = submission("Wi-Fi в метро");
        input.kind = "wish".into();
        input.lang = "de".into();
        input.city = "Not A Code".into();
        let errors = input.parse().expect_err("three errors");
        assert_eq!(errors.get("kind"), Some("error-choice"));
        assert_eq!(errors.get("lang"), Some("error-choice"));
        assert_eq!(errors.get("city"), Some("error-city-code"));
    }

    #[test]
    fn the_language_defaults_to_the_texts_script() {
        assert_eq!(
            submission("Wi-Fi в метро").parse().map(|s| s.lang),
            Ok(Lang::Ru)
        );
        assert_eq!(
            submission("Free Wi-Fi").parse().map(|s| s.lang),
            Ok(Lang::En)
        );
    }

    #[test]
    fn a_consultation_needs_a_title_and_a_period_in_order() {
        let errors = ConsultationInput::default().parse().expect_err("no title");
        assert_eq!(errors.get("title_ru"), Some("error-required"));
        let input = ConsultationInput {
            title_en: "After the forum".into(),
            opens_on: "2026-03-01".into(),
            closes_on: "2026-02-01".into(),
            topics: "open data, Wi-Fi\n\ntraining".into(),
            ..Default::default()
        };
        assert_eq!(
            input.parse().err().and_then(|e| e.get("closes_on")),
            Some("consultation-error-period")
        );
        let ok = ConsultationInput {
            closes_on: String::new(),
            ..input
        }
        .parse()
        .expect("valid");
        assert_eq!(ok.topics, vec!["open data", "Wi-Fi", "training"]);
    }
}

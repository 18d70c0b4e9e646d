//! Replication: which cities adopted a solution, since when and how far they got (studying,
//! piloting, in operation, dropped), with a note. A change of status keeps the earlier ones as
//! history. The number of cities using a solution (every status but dropped) is the catalogue's
//! quality signal.
use megapolis_domain::CityCode;
use serde::{Deserialize, Serialize};
use time::Date;

/// How far a city got with a solution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdoptionStatus {
    Studying,
    Piloting,
    InOperation,
    Dropped,
}

impl AdoptionStatus {
    pub const ALL: [AdoptionStatus; 4] = [
        AdoptionStatus::Studying,
        AdoptionStatus::Piloting,
        AdoptionStatus::InOperation,
        AdoptionStatus::Dropped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AdoptionStatus::Studying => "studying",
            AdoptionStatus::Piloting => "piloting",
            AdoptionStatus::InOperation => "in-operation",
            AdoptionStatus::Dropped => "dropped",
        }
    }

    pub fn parse(text: &str) -> Option<AdoptionStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// A city that dropped the solution no longer uses it.
    pub fn in_use(self) -> bool {
        self != AdoptionStatus::Dropped
    }
}

/// An adoption as a city representative or the Secretariat sends it, before the checks.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AdoptionInput {
    /// The adopting city's code.
    pub city: String,
    /// `studying`, `piloting`, `in-operation` or `dropped`.
    pub status: String,
    /// Since when, `YYYY-MM-DD`.
    pub date: String,
    pub note: String,
}

/// A checked adoption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Adoption {
    pub city: String,
    pub status: AdoptionStatus,
    #[serde(with = "iso_date")]
    pub date: Date,
    pub note: String,
}

/// One status a city had, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdoptionChange {
    pub status: AdoptionStatus,
    #[serde(with = "iso_date")]
    pub date: Date,
    pub note: String,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// A city's adoption of a solution: its current status and every change, oldest first (the
/// last is the current one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AdoptionRecord {
    pub solution: i64,
    pub current: Adoption,
    pub history: Vec<AdoptionChange>,
}

/// Why an adoption cannot be recorded, by field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdoptionError {
    #[error("city must be a city code of the directory, not {0:?}")]
    City(String),
    #[error("status must be studying, piloting, in-operation or dropped, not {0:?}")]
    Status(String),
    #[error("date must be a date YYYY-MM-DD, not {0:?}")]
    Date(String),
    #[error("note is longer than {NOTE_MAX} characters")]
    NoteTooLong,
}

impl AdoptionError {
    /// The input field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            AdoptionError::City(_) => "city",
            AdoptionError::Status(_) => "status",
            AdoptionError::Date(_) => "date",
            AdoptionError::NoteTooLong => "note",
        }
    }
}

pub const NOTE_MAX: usize = 2_000;

impl AdoptionInput {
    pub fn check(&self) -> Result<Adoption, AdoptionError> {
        let city = self.city.trim();
        let city = CityCode::parse(city)
            .map_err(|_| AdoptionError::City(city.to_string()))?
            .as_str()
            .to_string();
        let status = AdoptionStatus::parse(self.status.trim())
            .ok_or_else(|| AdoptionError::Status(self.status.clone()))?;
        let format = time::macros::format_description!("[year]-[month]-[day]");
        let date = Date::parse(self.date.trim(), format)
            .map_err(|_| AdoptionError::Date(self.date.clone()))?;
        let note = self.note.trim().to_string();
        if note.chars().count() > NOTE_MAX {
            return Err(AdoptionError::NoteTooLong);
        }
        Ok(Adoption {
            city,
            status,
            date,
            note,
        })
    }
}

/// The number of cities using a solution (every status but dropped).
pub fn used_by(adoptions: &[AdoptionRecord]) -> usize {
    adoptions
        .iter()
        .filter(|a| a.current.status.in_use())
        .count()
}

/// The facet value of "used by N cities": 0, 1, 2–4 or 5+.
pub fn used_by_bucket(cities: usize) -> &'static str {
    match cities {
        0 => "0",
        1 => "1",
        2..=4 => "2–4",
        _ => "5+",
    }
}

/// A date as `YYYY-MM-DD`, as the forms, the API and the database write it.
pub fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Dates as `YYYY-MM-DD` in JSON and templates.
mod iso_date {
    use serde::Serializer;
    use time::Date;

    pub fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::iso(*date))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AdoptionInput {
        AdoptionInput {
            city: " minsk ".into(),
            status: "piloting".into(),
            date: "2025-03-01".into(),
            note: " two districts ".into(),
        }
    }

    #[test]
    fn a_good_adoption_is_trimmed() {
        let adoption = input().check().expect("valid");
        assert_eq!(adoption.city, "minsk");
        assert_eq!(adoption.status, AdoptionStatus::Piloting);
        assert_eq!(adoption.note, "two districts");
        assert_eq!(
            serde_json::to_value(&adoption).expect("json")["date"],
            "2025-03-01"
        );
    }

    #[test]
    fn each_problem_names_its_field() {
        let cases = [
            (
                AdoptionInput {
                    city: "Минск".into(),
                    ..input()
                },
                "city",
            ),
            (
                AdoptionInput {
                    status: "adopted".into(),
                    ..input()
                },
                "status",
            ),
            (
                AdoptionInput {
                    date: "01.03.2025".into(),
                    ..input()
                },
                "date",
            ),
            (
                AdoptionInput {
                    note: "x".repeat(NOTE_MAX + 1),
                    ..input()
                },
                "note",
            ),
        ];
        for (case, field) in cases {
            assert_eq!(case.check().map_err(|e| e.field()), Err(field));
        }
    }

    #[test]
    fn dropped_cities_do_not_count_and_buckets_group_counts() {
        let record = |status| AdoptionRecord {
            solution: 1,
            current: Adoption {
                status,
                ..input().check().expect("valid")
            },
            history: Vec::new(),
        };
        let records = [
            record(AdoptionStatus::Studying),
            record(AdoptionStatus::InOperation),
            record(AdoptionStatus::Dropped),
        ];
        assert_eq!(used_by(&records), 2);
        assert_eq!(
            [0, 1, 2, 4, 5, 40].map(used_by_bucket),
            ["0", "1", "2–4", "2–4", "5+", "5+"]
        );
    }
}

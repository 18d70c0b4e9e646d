//! Member cities.
use crate::field::{optional_date, optional_number, required_text, FieldErrors};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::Date;

// A date as `YYYY-MM-DD` when serialised (pages, audit log): without it `time` writes the
// compact `[year, ordinal]` pair, which the city pages showed as "[1994, 1]".
time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// A city's code in URLs and files: lowercase ASCII letters, digits and inner hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CityCode(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a city code is 2 to 40 lowercase Latin letters, digits or hyphens, not {0:?}")]
pub struct InvalidCityCode(pub String);

impl CityCode {
    pub fn parse(raw: &str) -> Result<CityCode, InvalidCityCode> {
        let ok = (2..=40).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-');
        if ok {
            Ok(CityCode(raw.to_string()))
        } else {
            Err(InvalidCityCode(raw.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CityCode {
    type Error = InvalidCityCode;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CityCode::parse(&value)
    }
}

impl From<CityCode> for String {
    fn from(code: CityCode) -> String {
        code.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MembershipStatus {
    Member,
    Observer,
    Suspended,
    Former,
}

impl MembershipStatus {
    pub const ALL: [MembershipStatus; 4] = [
        MembershipStatus::Member,
        MembershipStatus::Observer,
        MembershipStatus::Suspended,
        MembershipStatus::Former,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MembershipStatus::Member => "member",
            MembershipStatus::Observer => "observer",
            MembershipStatus::Suspended => "suspended",
            MembershipStatus::Former => "former",
        }
    }
}

impl FromStr for MembershipStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL.into_iter().find(|m| m.as_str() == s).ok_or(())
    }
}

/// A member city as the association records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct City {
    pub code: CityCode,
    pub name_ru: String,
    pub name_en: String,
    /// ISO 3166-1 alpha-2.
    pub country_code: String,
    pub country_ru: String,
    pub country_en: String,
    pub population: Option<i64>,
    pub status: MembershipStatus,
    #[serde(with = "iso_date::option")]
    pub member_since: Option<Date>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// The raw text of a city form or CSV row, before parsing.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CityInput {
    pub code: String,
    pub name_ru: String,
    pub name_en: String,
    pub country_code: String,
    pub country_ru: String,
    pub country_en: String,
    pub population: String,
    pub status: String,
    pub member_since: String,
    pub latitude: String,
    pub longitude: String,
}

impl From<&City> for CityInput {
    fn from(city: &City) -> CityInput {
        CityInput {
            code: city.code.to_string(),
            name_ru: city.name_ru.clone(),
            name_en: city.name_en.clone(),
            country_code: city.country_code.clone(),
            country_ru: city.country_ru.clone(),
            country_en: city.country_en.clone(),
            population: city.population.map(|p| p.to_string()).unwrap_or_default(),
            status: city.status.as_str().to_string(),
            member_since: city.member_since.map(|d| d.to_string()).unwrap_or_default(),
            latitude: city.latitude.map(|v| v.to_string()).unwrap_or_default(),
            longitude: city.longitude.map(|v| v.to_string()).unwrap_or_default(),
        }
    }
}

fn optional_in_range(
    errors: &mut FieldErrors,
    field: &'static str,
    raw: &str,
    limit: f64,
) -> Option<f64> {
    let value: Option<f64> = optional_number(errors, field, raw, "error-number");
    match value {
        Some(v) if !(-limit..=limit).contains(&v) => {
            errors.add(field, "error-out-of-range");
            None
        }
        other => other,
    }
}

impl CityInput {
    /// Parses every field, collecting an error per bad field rather than stopping at the first.
    pub fn parse(&self) -> Result<City, FieldErrors> {
        let mut errors = FieldErrors::default();
        let code = CityCode::parse(self.code.trim()).map_err(|_| ());
        if code.is_err() {
            errors.add("code", "error-city-code");
        }
        let name_ru = required_text(&mut errors, "name_ru", &self.name_ru, 200);
        let name_en = required_text(&mut errors, "name_en", &self.name_en, 200);
        let country_code = self.country_code.trim().to_ascii_uppercase();
        if country_code.len() != 2 || !country_code.bytes().all(|b| b.is_ascii_uppercase()) {
            errors.add("country_code", "error-country-code");
        }
        let country_ru = required_text(&mut errors, "country_ru", &self.country_ru, 200);
        let country_en = required_text(&mut errors, "country_en", &self.country_en, 200);
        let population: Option<i64> =
            optional_number(&mut errors, "population", &self.population, "error-integer");
        if population.is_some_and(|p| p < 0) {
            errors.add("population", "error-out-of-range");
        }
        let status = self.status.trim().parse::<MembershipStatus>();
        if status.is_err() {
            errors.add("status", "error-choice");
        }
        let member_since = optional_date(&mut errors, "member_since", &self.member_since);
        let latitude = optional_in_range(&mut errors, "latitude", &self.latitude, 90.0);
        let longitude = optional_in_range(&mut errors, "longitude", &self.longitude, 180.0);
        match (code, status) {
            (Ok(code), Ok(status)) if errors.is_empty() => Ok(City {
                code,
                name_ru,
                name_en,
                country_code,
                country_ru,
                country_en,
                population,
                status,
                member_since,
                latitude,
                longitude,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moscow() -> CityInput {
        CityInput {
            code: "moscow".into(),
            name_ru: "Москва".into(),
            name_en: "Moscow".into(),
            country_code: "ru".into(),
            country_ru: "Россия".into(),
            country_en: "Russia".into(),
            population: "13010000".into(),
            status: "member".into(),
            member_since: "1994-01-01".into(),
            latitude: "55.7558".into(),
            longitude: "37.6173".into(),
        }
    }

    #[test]
    fn a_valid_city_parses() {
        let city = moscow().parse().expect("valid");
        assert_eq!(city.code.as_str(), "moscow");
        assert_eq!(city.country_code, "RU");
        assert_eq!(city.population, Some(13_010_000));
    }

    #[test]
    fn the_membership_date_serialises_as_iso_text() {
        let city = moscow().parse().expect("valid");
        let json = serde_json::to_value(&city).expect("json");
        assert_eq!(json["member_since"], "1994-01-01");
        let back: City = serde_json::from_value(json).expect("round trip");
        assert_eq!(back, city);
    }

    #[test]
    fn every_bad_field_is_reported_beside_itself() {
        let mut input = moscow();
        input.code = "Мос ква".into();
        input.name_en = "  ".into();
        input.population = "many".into();
        input.latitude = "123".into();
        input.member_since = "1994".into();
        let errors = input.parse().expect_err("invalid");
        assert_eq!(errors.get("code"), Some("error-city-code"));
        assert_eq!(errors.get("name_en"), Some("error-required"));
        assert_eq!(errors.get("population"), Some("error-integer"));
        assert_eq!(errors.get("latitude"), Some("error-out-of-range"));
        assert_eq!(errors.get("member_since"), Some("error-date"));
        assert_eq!(errors.get("name_ru"), None);
    }

    #[test]
    fn city_codes_are_slugs() {
        assert!(CityCode::parse("rostov-on-don").is_ok());
        for bad in ["", "a", "Moscow", "-x", "x-", "mo scow", "москва"] {
            assert!(CityCode::parse(bad).is_err(), "{bad}");
        }
    }
}

//! Training of city staff: programmes run with a partner university, cohorts with a capacity,
//! quotas per city and an application window, nominations of a city's staff by its
//! representative, the completion rule, and the certificate as a signed Open Badges 3.0
//! credential (`credential`). Pure: no I/O, the caller passes "today" and the key bytes.
pub mod credential;
pub mod jcs;
pub mod nomination;

pub use nomination::{attended_share, Decision, DecisionError, NominationState};
pub mod reports;

use megapolis_domain::{CityCode, Person, Role};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::Date;

/// How a programme is taught.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    InPerson,
    Online,
    Mixed,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::InPerson => "in-person",
            Format::Online => "online",
            Format::Mixed => "mixed",
        }
    }
    pub fn parse(raw: &str) -> Option<Format> {
        match raw {
            "in-person" => Some(Format::InPerson),
            "online" => Some(Format::Online),
            "mixed" => Some(Format::Mixed),
            _ => None,
        }
    }
}

/// A refused input: the field and a stable message key; nothing is saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct InvalidInput {
    pub field: &'static str,
    pub message: &'static str,
}

fn invalid(field: &'static str, message: &'static str) -> InvalidInput {
    InvalidInput { field, message }
}

fn required(field: &'static str, raw: &str) -> Result<String, InvalidInput> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(invalid(field, "required"));
    }
    Ok(text.to_string())
}

/// The completion rule of a programme: a participant completes when they attended at least
/// `min_attendance` of the sessions (a share in 0..=1) **and** passed the assessment; anything
/// else is a failure. The rule is the programme's, so every cohort of it is judged alike.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CompletionRule {
    pub min_attendance: f64,
}

/// What the staff record at the end of a cohort for one participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Completed,
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Completed => "completed",
            Outcome::Failed => "failed",
        }
    }
}

impl CompletionRule {
    /// The default when a programme names none: 80 % attendance.
    pub const DEFAULT_MIN_ATTENDANCE: f64 = 0.8;

    pub fn outcome(&self, attendance: Attendance, assessment_passed: bool) -> Outcome {
        if attendance.share() + f64::EPSILON >= self.min_attendance && assessment_passed {
            Outcome::Completed
        } else {
            Outcome::Failed
        }
    }
}

/// Attendance as a share of the sessions, checked to lie in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attendance(f64);

impl Attendance {
    pub fn parse(share: f64) -> Result<Attendance, InvalidInput> {
        if share.is_finite() && (0.0..=1.0).contains(&share) {
            Ok(Attendance(share))
        } else {
            Err(invalid("attendance", "a share between 0 and 1"))
        }
    }
    pub fn share(self) -> f64 {
        self.0
    }
}

/// A programme as offered to the staff form and the API.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProgrammeInput {
    pub title_ru: String,
    pub title_en: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub partner: String,
    #[serde(default)]
    pub hours: u32,
    #[serde(default)]
    pub format: String,
    /// Retraining due after so many years; none: the certificate does not expire.
    #[serde(default)]
    pub validity_years: Option<u32>,
    #[serde(default)]
    pub min_attendance: Option<f64>,
    /// What a participant can do afterwards, one outcome per item.
    #[serde(default)]
    pub outcomes: Vec<String>,
    /// Codes of the criteria of the monitoring methodology the programme builds.
    #[serde(default)]
    pub competences: Vec<String>,
    #[serde(default)]
    pub courses: Vec<Course>,
}

/// A course (module) of a programme.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    pub title_ru: String,
    pub title_en: String,
    pub hours: u32,
}

/// Courses as typed on the programme form, one a line: `title RU | title EN | hours` (either
/// title may be left empty, not both).
pub fn parse_courses(text: &str) -> Result<Vec<Course>, InvalidInput> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let parts: Vec<&str> = line.split('|').map(str::trim).collect();
            let [ru, en, hours] = parts[..] else {
                return Err(invalid("courses", "title RU | title EN | hours"));
            };
            let hours = hours
                .parse()
                .map_err(|_| invalid("courses", "title RU | title EN | hours"))?;
            Ok(Course {
                title_ru: ru.to_string(),
                title_en: en.to_string(),
                hours,
            })
        })
        .collect()
}

/// A checked programme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Programme {
    pub title_ru: String,
    pub title_en: String,
    pub description: String,
    pub partner: String,
    pub hours: u32,
    pub format: Format,
    pub validity_years: Option<u32>,
    pub rule: CompletionRule,
    pub outcomes: Vec<String>,
    pub competences: Vec<String>,
    pub courses: Vec<Course>,
}

impl ProgrammeInput {
    pub fn parse(&self) -> Result<Programme, InvalidInput> {
        let format = if self.format.trim().is_empty() {
            Format::InPerson
        } else {
            Format::parse(self.format.trim())
                .ok_or(invalid("format", "one of in-person, online, mixed"))?
        };
        if self.hours == 0 {
            return Err(invalid("hours", "at least one hour"));
        }
        if self.validity_years == Some(0) {
            return Err(invalid("validity_years", "at least one year, or none"));
        }
        let min_attendance = match self.min_attendance {
            None => CompletionRule::DEFAULT_MIN_ATTENDANCE,
            Some(share) => Attendance::parse(share)
                .map_err(|_| invalid("min_attendance", "a share between 0 and 1"))?
                .share(),
        };
        let mut competences: Vec<String> = Vec::new();
        for code in self
            .competences
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
        {
            if code.contains(char::is_whitespace) {
                return Err(invalid("competences", "criterion codes"));
            }
            if !competences.iter().any(|c| c == code) {
                competences.push(code.to_string());
            }
        }
        let mut courses = Vec::new();
        for course in &self.courses {
            let (ru, en) = (course.title_ru.trim(), course.title_en.trim());
            if (ru.is_empty() && en.is_empty()) || course.hours == 0 {
                return Err(invalid("courses", "a title and at least one hour"));
            }
            courses.push(Course {
                title_ru: ru.to_string(),
                title_en: en.to_string(),
                hours: course.hours,
            });
        }
        // The courses share the programme's hours out; together they may not exceed them.
        let course_hours: u64 = courses.iter().map(|c| u64::from(c.hours)).sum();
        if course_hours > u64::from(self.hours) {
            return Err(invalid("courses", "more hours than the programme"));
        }
        Ok(Programme {
            title_ru: required("title_ru", &self.title_ru)?,
            title_en: required("title_en", &self.title_en)?,
            description: self.description.trim().to_string(),
            partner: self.partner.trim().to_string(),
            hours: self.hours,
            format,
            validity_years: self.validity_years,
            rule: CompletionRule { min_attendance },
            outcomes: self
                .outcomes
                .iter()
                .map(|o| o.trim().to_string())
                .filter(|o| !o.is_empty())
                .collect(),
            competences,
            courses,
        })
    }
}

/// A cohort as typed: dates as ISO `YYYY-MM-DD`, quotas by city code.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CohortInput {
    pub programme_id: i64,
    pub title: String,
    pub starts_on: String,
    pub ends_on: String,
    #[serde(default)]
    pub place: String,
    /// Who teaches the cohort (names, as the partner gives them).
    #[serde(default)]
    pub teachers: String,
    /// The e-mails of teachers with an account: they mark the register and the results.
    #[serde(default)]
    pub teacher_accounts: Vec<String>,
    pub capacity: u32,
    pub applications_open: String,
    pub applications_close: String,
    #[serde(default)]
    pub quotas: BTreeMap<String, u32>,
}

/// Quotas as typed on the cohort form: `minsk=2, moscow 1` (a city code and a number, pairs
/// separated by commas, semicolons or new lines).
pub fn parse_quotas(text: &str) -> Result<BTreeMap<String, u32>, InvalidInput> {
    let mut quotas = BTreeMap::new();
    for pair in text
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (city, places) = pair
            .split_once(['=', ':', ' '])
            .ok_or(invalid("quotas", "city=places"))?;
        let places: u32 = places
            .trim()
            .parse()
            .map_err(|_| invalid("quotas", "city=places"))?;
        if quotas.insert(city.trim().to_string(), places).is_some() {
            return Err(invalid("quotas", "a city twice"));
        }
    }
    Ok(quotas)
}

/// A checked cohort.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cohort {
    pub programme_id: i64,
    pub title: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub place: String,
    pub teachers: String,
    /// Lower-cased e-mails of the teachers with an account.
    pub teacher_accounts: Vec<String>,
    pub capacity: u32,
    pub window: Window,
    pub quotas: BTreeMap<CityCode, u32>,
}

/// The days on which nominations are taken, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub opens: Date,
    pub closes: Date,
}

impl Window {
    pub fn contains(&self, day: Date) -> bool {
        self.opens <= day && day <= self.closes
    }
}

pub fn parse_date(field: &'static str, raw: &str) -> Result<Date, InvalidInput> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw.trim(), format).map_err(|_| invalid(field, "a date YYYY-MM-DD"))
}

impl CohortInput {
    pub fn parse(&self) -> Result<Cohort, InvalidInput> {
        let starts_on = parse_date("starts_on", &self.starts_on)?;
        let ends_on = parse_date("ends_on", &self.ends_on)?;
        if ends_on < starts_on {
            return Err(invalid("ends_on", "not before the start"));
        }
        let opens = parse_date("applications_open", &self.applications_open)?;
        let closes = parse_date("applications_close", &self.applications_close)?;
        if closes < opens {
            return Err(invalid("applications_close", "not before the opening"));
        }
        if self.capacity == 0 {
            return Err(invalid("capacity", "at least one place"));
        }
        let mut quotas = BTreeMap::new();
        for (code, places) in &self.quotas {
            let city = CityCode::parse(code).map_err(|_| invalid("quotas", "a city code"))?;
            quotas.insert(city, *places);
        }
        // Quotas share the cohort's places out; together they may not promise more than it has.
        let promised: u64 = quotas.values().map(|q| u64::from(*q)).sum();
        if promised > u64::from(self.capacity) {
            return Err(invalid("quotas", "more places than the capacity"));
        }
        Ok(Cohort {
            programme_id: self.programme_id,
            title: required("title", &self.title)?,
            starts_on,
            ends_on,
            place: self.place.trim().to_string(),
            teachers: self.teachers.trim().to_string(),
            teacher_accounts: {
                let mut accounts: Vec<String> = self
                    .teacher_accounts
                    .iter()
                    .map(|e| e.trim().to_lowercase())
                    .filter(|e| !e.is_empty())
                    .collect();
                if accounts.iter().any(|e| !e.contains('@')) {
                    return Err(invalid("teacher_accounts", "e-mail addresses"));
                }
                accounts.sort();
                accounts.dedup();
                accounts
            },
            capacity: self.capacity,
            window: Window { opens, closes },
            quotas,
        })
    }
}

/// A staff member of a city, as nominated.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NomineeInput {
    pub name: String,
    pub position: String,
    #[serde(default)]
    pub department: String,
    pub email: String,
    /// The nominating city; a city representative may leave it out (their own).
    #[serde(default)]
    pub city: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Nominee {
    pub name: String,
    pub position: String,
    pub department: String,
    /// Lower-cased, so the same person is found twice whatever the case typed.
    pub email: String,
}

impl NomineeInput {
    pub fn parse(&self) -> Result<Nominee, InvalidInput> {
        let email = required("email", &self.email)?.to_lowercase();
        let well_formed = email
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
            && !email.contains(char::is_whitespace);
        if !well_formed {
            return Err(invalid("email", "an e-mail address"));
        }
        Ok(Nominee {
            name: required("name", &self.name)?,
            position: required("position", &self.position)?,
            department: self.department.trim().to_string(),
            email,
        })
    }
}

/// Why a nomination is refused; nothing is saved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("only a city's representative or the Secretariat nominates")]
    NotNominator,
    #[error("you may nominate only your own city's staff")]
    NotYourCity,
    #[error("nominations are taken from {opens} to {closes}")]
    OutsideWindow { opens: Date, closes: Date },
    #[error("the cohort has no places for this city")]
    NoQuota,
    #[error("the city's quota of {quota} is used")]
    QuotaUsed { quota: u32 },
    #[error("the cohort is full")]
    CohortFull,
    #[error("this person is already nominated to the cohort")]
    Duplicate,
}

impl Refusal {
    /// A stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NotNominator => "not_nominator",
            Refusal::NotYourCity => "not_your_city",
            Refusal::OutsideWindow { .. } => "outside_window",
            Refusal::NoQuota => "no_quota",
            Refusal::QuotaUsed { .. } => "quota_used",
            Refusal::CohortFull => "cohort_full",
            Refusal::Duplicate => "duplicate_nominee",
        }
    }
    /// 403 for who may not, 409 for what the cohort's state forbids.
    pub fn is_forbidden(&self) -> bool {
        matches!(self, Refusal::NotNominator | Refusal::NotYourCity)
    }
}

/// The city a person nominates for: a representative their own city only; the Secretariat and
/// administrators any city they name (nominations that came by letter).
pub fn nominating_city(person: &Person, asked: Option<&CityCode>) -> Result<CityCode, Refusal> {
    match (person.role, asked) {
        (Role::Admin | Role::Secretariat, Some(city)) => Ok(city.clone()),
        (Role::CityRep, None) => person.city.clone().ok_or(Refusal::NotYourCity),
        (Role::CityRep, Some(city)) if person.city.as_ref() == Some(city) => Ok(city.clone()),
        (Role::CityRep, Some(_)) => Err(Refusal::NotYourCity),
        _ => Err(Refusal::NotNominator),
    }
}

/// What the nomination rule reads of the cohort, in the write's own transaction.
#[derive(Debug, Clone)]
pub struct Places<'a> {
    pub cohort: &'a Cohort,
    /// Active nominations of the nominating city.
    pub used_by_city: u32,
    /// Active nominations of every city.
    pub used_total: u32,
    /// The e-mail is already nominated to this cohort.
    pub already_nominated: bool,
}

/// The nomination rule: inside the window, within the city's quota and the cohort's capacity,
/// and not the same person twice.
pub fn check_nomination(places: &Places<'_>, city: &CityCode, today: Date) -> Result<(), Refusal> {
    let window = places.cohort.window;
    if !window.contains(today) {
        return Err(Refusal::OutsideWindow {
            opens: window.opens,
            closes: window.closes,
        });
    }
    if places.already_nominated {
        return Err(Refusal::Duplicate);
    }
    check_places(places, city)
}

/// The places rule alone: within the city's quota and the cohort's capacity. It also decides
/// whether a nominee can come off the waiting list or move into another cohort (the Secretariat
/// does that outside the window).
pub fn check_places(places: &Places<'_>, city: &CityCode) -> Result<(), Refusal> {
    let quota = places.cohort.quotas.get(city).copied().unwrap_or(0);
    if quota == 0 {
        return Err(Refusal::NoQuota);
    }
    if places.used_by_city >= quota {
        return Err(Refusal::QuotaUsed { quota });
    }
    if places.used_total >= places.cohort.capacity {
        return Err(Refusal::CohortFull);
    }
    Ok(())
}

/// Who marks a cohort's register and results: the Secretariat (and administrators), and the
/// cohort's own teachers.
pub fn may_mark(person: &Person, teaches_the_cohort: bool) -> bool {
    matches!(person.role, Role::Admin | Role::Secretariat) || teaches_the_cohort
}

/// The places a city has left in a cohort.
pub fn remaining(cohort: &Cohort, city: &CityCode, used_by_city: u32) -> u32 {
    cohort
        .quotas
        .get(city)
        .copied()
        .unwrap_or(0)
        .saturating_sub(used_by_city)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn minsk() -> CityCode {
        CityCode::parse("minsk").expect("a city code")
    }

    fn cohort() -> Cohort {
        CohortInput {
            programme_id: 1,
            title: "Spring".into(),
            starts_on: "2026-03-01".into(),
            ends_on: "2026-03-20".into(),
            place: "Moscow".into(),
            teachers: "A. Ivanova".into(),
            teacher_accounts: vec![" Ivanova@Uni.example ".into()],
            capacity: 3,
            applications_open: "2026-01-10".into(),
            applications_close: "2026-02-10".into(),
            quotas: BTreeMap::from([("minsk".into(), 1), ("astana".into(), 2)]),
        }
        .parse()
        .expect("a valid cohort")
    }

    fn places(cohort: &Cohort, used_by_city: u32, used_total: u32) -> Places<'_> {
        Places {
            cohort,
            used_by_city,
            used_total,
            already_nominated: false,
        }
    }

    #[test]
    fn a_city_nominates_within_its_quota_and_the_window() {
        let cohort = cohort();
        let today = date!(2026 - 01 - 20);
        assert_eq!(
            check_nomination(&places(&cohort, 0, 0), &minsk(), today),
            Ok(())
        );
        assert_eq!(
            check_nomination(&places(&cohort, 1, 1), &minsk(), today),
            Err(Refusal::QuotaUsed { quota: 1 })
        );
        let other = CityCode::parse("baku").expect("a city code");
        assert_eq!(
            check_nomination(&places(&cohort, 0, 0), &other, today),
            Err(Refusal::NoQuota)
        );
    }

    #[test]
    fn nominations_outside_the_window_are_refused() {
        let cohort = cohort();
        for day in [date!(2026 - 01 - 09), date!(2026 - 02 - 11)] {
            assert!(matches!(
                check_nomination(&places(&cohort, 0, 0), &minsk(), day),
                Err(Refusal::OutsideWindow { .. })
            ));
        }
        // Both ends of the window are inside it.
        for day in [date!(2026 - 01 - 10), date!(2026 - 02 - 10)] {
            assert_eq!(
                check_nomination(&places(&cohort, 0, 0), &minsk(), day),
                Ok(())
            );
        }
    }

    #[test]
    fn a_full_cohort_and_a_duplicate_are_refused() {
        let cohort = cohort();
        let today = date!(2026 - 01 - 20);
        let astana = CityCode::parse("astana").expect("a city code");
        assert_eq!(
            check_nomination(&places(&cohort, 0, 3), &astana, today),
            Err(Refusal::CohortFull)
        );
        let twice = Places {
            already_nominated: true,
            ..places(&cohort, 0, 0)
        };
        assert_eq!(
            check_nomination(&twice, &minsk(), today),
            Err(Refusal::Duplicate)
        );
        assert_eq!(remaining(&cohort, &astana, 1), 1);
        assert_eq!(remaining(&cohort, &minsk(), 3), 0);
    }

    #[test]
    fn courses_share_the_programmes_hours_and_competences_are_codes() {
        let input = |courses: &str, competences: &[&str]| ProgrammeInput {
            title_ru: "Данные".into(),
            title_en: "Data".into(),
            hours: 40,
            courses: parse_courses(courses).expect("courses"),
            competences: competences.iter().map(|c| c.to_string()).collect(),
            outcomes: vec![" Публикует открытые данные ".into(), " ".into()],
            ..Default::default()
        };
        let p = input(
            "Реестры | Registers | 16\nОткрытые данные |  | 24",
            &["OpenData", " OpenData", "Services"],
        )
        .parse()
        .expect("valid");
        assert_eq!(p.courses.len(), 2);
        assert_eq!(p.courses[1].title_en, "");
        assert_eq!(p.competences, vec!["OpenData", "Services"]);
        assert_eq!(p.outcomes, vec!["Публикует открытые данные"]);
        assert_eq!(
            input("A | B | 41", &[])
                .parse()
                .expect_err("too long")
                .field,
            "courses"
        );
        assert_eq!(
            input("", &["Open Data"]).parse().expect_err("a code").field,
            "competences"
        );
        assert_eq!(
            parse_courses("only a title").expect_err("format").field,
            "courses"
        );
        assert_eq!(
            parse_courses(" | | 3").map(|c| c.len()),
            Ok(1),
            "the parse takes it; the programme refuses it"
        );
        assert!(input(" |  | 3", &[]).parse().is_err());
    }

    #[test]
    fn quotas_may_not_promise_more_than_the_capacity() {
        let mut input = CohortInput {
            capacity: 2,
            ..Default::default()
        };
        input.title = "x".into();
        input.starts_on = "2026-03-01".into();
        input.ends_on = "2026-03-02".into();
        input.applications_open = "2026-01-01".into();
        input.applications_close = "2026-01-02".into();
        input.quotas = BTreeMap::from([("minsk".into(), 2), ("baku".into(), 1)]);
        assert_eq!(input.parse().map_err(|e| e.field), Err("quotas"));
    }

    #[test]
    fn quotas_are_read_as_typed() {
        assert_eq!(
            parse_quotas("minsk=2, moscow 1;\nastana:3"),
            Ok(BTreeMap::from([
                ("astana".to_string(), 3),
                ("minsk".to_string(), 2),
                ("moscow".to_string(), 1)
            ]))
        );
        assert_eq!(parse_quotas(""), Ok(BTreeMap::new()));
        assert!(parse_quotas("minsk").is_err());
        assert!(parse_quotas("minsk=two").is_err());
        assert!(parse_quotas("minsk=1, minsk=2").is_err());
    }

    #[test]
    fn completion_needs_attendance_and_a_passed_assessment() {
        let rule = CompletionRule {
            min_attendance: 0.8,
        };
        let share = |s| Attendance::parse(s).expect("a share");
        assert_eq!(rule.outcome(share(0.8), true), Outcome::Completed);
        assert_eq!(rule.outcome(share(1.0), true), Outcome::Completed);
        assert_eq!(rule.outcome(share(0.79), true), Outcome::Failed);
        assert_eq!(rule.outcome(share(1.0), false), Outcome::Failed);
        assert!(Attendance::parse(1.2).is_err());
        assert!(Attendance::parse(f64::NAN).is_err());
    }

    #[test]
    fn a_nominee_needs_a_name_a_position_and_an_email() {
        let input = NomineeInput {
            name: " Anna Ivanova ".into(),
            position: "Analyst".into(),
            email: "Anna@Minsk.by".into(),
            ..Default::default()
        };
        let nominee = input.parse().expect("valid");
        assert_eq!(nominee.name, "Anna Ivanova");
        assert_eq!(nominee.email, "anna@minsk.by");
        let bad = NomineeInput {
            email: "anna".into(),
            ..input
        };
        assert_eq!(bad.parse().map_err(|e| e.field), Err("email"));
    }
}

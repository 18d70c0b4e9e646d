//! An event proposal as the platform keeps it, and the parser of what a form or the API sends.
use megapolis_domain::field::optional_text;
use megapolis_domain::{CityCode, FieldErrors};
use serde::Serialize;
use time::{Date, Month};

/// The kinds of main events the association holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Session,
    Forum,
    Conference,
    /// A scientific-practical seminar.
    Seminar,
    Exhibition,
    Training,
    Other,
}

impl EventKind {
    pub const ALL: [EventKind; 7] = [
        EventKind::Session,
        EventKind::Forum,
        EventKind::Conference,
        EventKind::Seminar,
        EventKind::Exhibition,
        EventKind::Training,
        EventKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Session => "session",
            EventKind::Forum => "forum",
            EventKind::Conference => "conference",
            EventKind::Seminar => "seminar",
            EventKind::Exhibition => "exhibition",
            EventKind::Training => "training",
            EventKind::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<EventKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw.trim())
    }

    /// A session of the association must not clash with any other event.
    pub fn must_not_clash(self) -> bool {
        self == EventKind::Session
    }
}

/// How exactly the dates are known: a month or a quarter stands for its whole period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    Exact,
    Month,
    Quarter,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Exact => "exact",
            Precision::Month => "month",
            Precision::Quarter => "quarter",
        }
    }

    pub fn parse(raw: &str) -> Option<Precision> {
        [Precision::Exact, Precision::Month, Precision::Quarter]
            .into_iter()
            .find(|p| p.as_str() == raw)
    }
}

/// Days from `start` to `end`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub start: Date,
    pub end: Date,
}

impl Period {
    /// Both ends included: an event on the last day of another overlaps it.
    pub fn overlaps(&self, other: &Period) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// The whole month `month` (1–12) of `year`.
    pub fn month(year: i32, month: u8) -> Option<Period> {
        let month = Month::try_from(month).ok()?;
        let start = Date::from_calendar_date(year, month, 1).ok()?;
        let end =
            Date::from_calendar_date(year, month, time::util::days_in_month(month, year)).ok()?;
        Some(Period { start, end })
    }

    /// The whole quarter `quarter` (1–4) of `year`.
    pub fn quarter(year: i32, quarter: u8) -> Option<Period> {
        if !(1..=4).contains(&quarter) {
            return None;
        }
        let first = Period::month(year, (quarter - 1) * 3 + 1)?;
        let last = Period::month(year, (quarter - 1) * 3 + 3)?;
        Some(Period {
            start: first.start,
            end: last.end,
        })
    }
}

/// The most characters a title keeps; descriptions keep ten times as many.
pub const MAX_TITLE_CHARS: usize = 300;
/// The longest list of co-organisers.
pub const MAX_CO_ORGANISERS: usize = 20;

/// A proposal as typed: every field text, as a form or the API sends it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ProposalInput {
    pub year: String,
    pub kind: String,
    pub title_ru: String,
    pub title_en: String,
    pub description_ru: String,
    pub description_en: String,
    /// YYYY-MM-DD, for exact dates.
    pub starts_on: String,
    /// YYYY-MM-DD; the start when empty.
    pub ends_on: String,
    /// 1–12, when only the month is known.
    pub month: String,
    /// 1–4, when only the quarter is known.
    pub quarter: String,
    /// The host city's code.
    pub city: String,
    pub venue: String,
    /// A body id, a city code or a partner's name.
    pub organiser: String,
    /// One per line.
    pub co_organisers: String,
    pub expected_participants: String,
    /// Linked catalogue solutions' ids, one per line (a form's multi-select sends each).
    pub solutions: String,
    /// Linked training courses' (programmes') ids, one per line.
    pub courses: String,
}

/// A proposal that passed every check but those needing the directory (the city exists).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewProposal {
    pub year: i32,
    pub kind: EventKind,
    pub title_ru: String,
    pub title_en: String,
    pub description_ru: String,
    pub description_en: String,
    pub precision: Precision,
    pub period: Period,
    pub city: CityCode,
    pub venue: String,
    pub organiser: String,
    pub co_organisers: Vec<String>,
    pub expected_participants: Option<i64>,
    /// Published catalogue solutions it presents, by id (storage checks they exist).
    pub solutions: Vec<i64>,
    /// Training courses (programmes) it holds, by id (storage checks they exist).
    pub courses: Vec<i64>,
}

impl NewProposal {
    /// What the clash rules need of it; the Russian title when there is one.
    pub fn candidate(&self, id: i64) -> crate::clash::Candidate {
        crate::clash::Candidate {
            id,
            kind: self.kind,
            title: if self.title_ru.is_empty() {
                self.title_en.clone()
            } else {
                self.title_ru.clone()
            },
            city: self.city.to_string(),
            organisers: self.organisers(),
            period: self.period,
        }
    }

    /// Everyone who organises it: the organiser first.
    pub fn organisers(&self) -> Vec<String> {
        std::iter::once(self.organiser.clone())
            .chain(self.co_organisers.iter().cloned())
            .collect()
    }
}

/// A plan version's title as the plan, its documents and its decision's appendix carry it.
pub fn plan_title(lang: megapolis_domain::Lang, year: i32, version: i64) -> String {
    match lang {
        megapolis_domain::Lang::Ru => {
            format!("План основных мероприятий на {year} год, версия {version}")
        }
        megapolis_domain::Lang::En => {
            format!("Plan of main events for {year}, version {version}")
        }
    }
}

const DATE: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// A date written YYYY-MM-DD.
pub fn parse_date(raw: &str) -> Option<Date> {
    Date::parse(raw.trim(), DATE).ok()
}

/// YYYY-MM-DD.
pub fn format_date(date: Date) -> String {
    date.format(DATE).unwrap_or_default()
}

/// The most solutions or courses one proposal links.
pub const MAX_LINKS: usize = 50;

/// Ids one per line, each once, in the order given; a bad id or too many is an error on `field`.
fn ids(errors: &mut FieldErrors, field: &'static str, raw: &str) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line.parse::<i64>() {
            Ok(id) if id > 0 => {
                if !out.contains(&id) {
                    out.push(id);
                }
            }
            _ => {
                errors.add(field, "events-error-ids");
                return Vec::new();
            }
        }
    }
    if out.len() > MAX_LINKS {
        errors.add(field, "error-too-long");
    }
    out
}

impl ProposalInput {
    /// Every field checked at once: the errors name each refused field.
    pub fn parse(&self) -> Result<NewProposal, FieldErrors> {
        let mut errors = FieldErrors::default();
        let year = self
            .year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y));
        if year.is_none() {
            errors.add("year", "events-error-year");
        }
        let kind = EventKind::parse(&self.kind);
        if kind.is_none() {
            errors.add("kind", "error-choice");
        }
        let title_ru = optional_text(&mut errors, "title_ru", &self.title_ru, MAX_TITLE_CHARS);
        let title_en = optional_text(&mut errors, "title_en", &self.title_en, MAX_TITLE_CHARS);
        if title_ru.is_empty() && title_en.is_empty() {
            errors.add("title_ru", "error-required");
        }
        let description_ru = optional_text(
            &mut errors,
            "description_ru",
            &self.description_ru,
            MAX_TITLE_CHARS * 10,
        );
        let description_en = optional_text(
            &mut errors,
            "description_en",
            &self.description_en,
            MAX_TITLE_CHARS * 10,
        );
        let dates = self.dates(year, &mut errors);
        let city = CityCode::parse(self.city.trim()).ok();
        if city.is_none() {
            errors.add("city", "error-city-code");
        }
        let venue = optional_text(&mut errors, "venue", &self.venue, MAX_TITLE_CHARS);
        let organiser = optional_text(&mut errors, "organiser", &self.organiser, MAX_TITLE_CHARS);
        if organiser.is_empty() {
            errors.add("organiser", "error-required");
        }
        let co_organisers: Vec<String> = self
            .co_organisers
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        if co_organisers.len() > MAX_CO_ORGANISERS
            || co_organisers
                .iter()
                .any(|c| c.chars().count() > MAX_TITLE_CHARS)
        {
            errors.add("co_organisers", "error-too-long");
        }
        let expected_participants = match self.expected_participants.trim() {
            "" => None,
            raw => {
                let n = raw
                    .parse::<i64>()
                    .ok()
                    .filter(|n| (0..=1_000_000).contains(n));
                if n.is_none() {
                    errors.add("expected_participants", "events-error-participants");
                }
                n
            }
        };
        let solutions = ids(&mut errors, "solutions", &self.solutions);
        let courses = ids(&mut errors, "courses", &self.courses);
        match (year, kind, dates, city) {
            (Some(year), Some(kind), Some((precision, period)), Some(city))
                if errors.is_empty() =>
            {
                Ok(NewProposal {
                    year,
                    kind,
                    title_ru,
                    title_en,
                    description_ru,
                    description_en,
                    precision,
                    period,
                    city,
                    venue,
                    organiser,
                    co_organisers,
                    expected_participants,
                    solutions,
                    courses,
                })
            }
            _ => Err(errors),
        }
    }

    /// The dates: a month, a quarter, or exact days within the plan year.
    fn dates(&self, year: Option<i32>, errors: &mut FieldErrors) -> Option<(Precision, Period)> {
        let month = self.month.trim();
        let quarter = self.quarter.trim();
        if !month.is_empty() {
            let period =
                year.and_then(|y| month.parse::<u8>().ok().and_then(|m| Period::month(y, m)));
            if period.is_none() {
                errors.add("month", "events-error-month");
            }
            return period.map(|p| (Precision::Month, p));
        }
        if !quarter.is_empty() {
            let period = year.and_then(|y| {
                quarter
                    .parse::<u8>()
                    .ok()
                    .and_then(|q| Period::quarter(y, q))
            });
            if period.is_none() {
                errors.add("quarter", "events-error-quarter");
            }
            return period.map(|p| (Precision::Quarter, p));
        }
        let start = parse_date(&self.starts_on);
        if start.is_none() {
            errors.add("starts_on", "error-date");
        }
        let end = if self.ends_on.trim().is_empty() {
            start
        } else {
            let end = parse_date(&self.ends_on);
            if end.is_none() {
                errors.add("ends_on", "error-date");
            }
            end
        };
        let (start, end) = (start?, end?);
        let mut ok = true;
        if end < start {
            errors.add("ends_on", "events-error-end-before-start");
            ok = false;
        }
        if let Some(year) = year {
            if start.year() != year {
                errors.add("starts_on", "events-error-outside-year");
                ok = false;
            }
            if end.year() != year {
                errors.add("ends_on", "events-error-outside-year");
                ok = false;
            }
        }
        ok.then_some((Precision::Exact, Period { start, end }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input() -> ProposalInput {
        ProposalInput {
            year: "2027".into(),
            kind: "forum".into(),
            title_ru: "Форум умных городов".into(),
            starts_on: "2027-05-10".into(),
            ends_on: "2027-05-12".into(),
            city: "kazan".into(),
            organiser: "secretariat".into(),
            co_organisers: "kazan\n\n partner ".into(),
            ..Default::default()
        }
    }

    fn fields(errors: FieldErrors) -> Vec<(&'static str, &'static str)> {
        errors.0.into_iter().map(|e| (e.field, e.key)).collect()
    }

    #[test]
    fn a_whole_proposal_parses() {
        let p = input().parse().expect("valid");
        assert_eq!(p.kind, EventKind::Forum);
        assert_eq!(p.period.start, date!(2027 - 05 - 10));
        assert_eq!(p.co_organisers, vec!["kazan", "partner"]);
        assert_eq!(p.organisers().len(), 3);
    }

    #[test]
    fn the_end_before_the_start_is_refused_by_name() {
        let mut i = input();
        i.ends_on = "2027-05-01".into();
        assert_eq!(
            fields(i.parse().expect_err("refused")),
            vec![("ends_on", "events-error-end-before-start")]
        );
    }

    #[test]
    fn a_date_outside_the_plan_year_is_refused() {
        let mut i = input();
        i.starts_on = "2026-12-30".into();
        assert_eq!(
            fields(i.parse().expect_err("refused")),
            vec![("starts_on", "events-error-outside-year")]
        );
    }

    #[test]
    fn a_month_and_a_quarter_stand_for_their_whole_period() {
        let mut i = input();
        i.month = "2".into();
        let p = i.parse().expect("valid");
        assert_eq!(p.precision, Precision::Month);
        assert_eq!(p.period.end, date!(2027 - 02 - 28));
        let mut i = input();
        i.quarter = "4".into();
        let p = i.parse().expect("valid");
        assert_eq!(
            (p.period.start, p.period.end),
            (date!(2027 - 10 - 01), date!(2027 - 12 - 31))
        );
        i.quarter = "5".into();
        assert_eq!(
            fields(i.parse().expect_err("refused")),
            vec![("quarter", "events-error-quarter")]
        );
    }

    #[test]
    fn an_unknown_kind_and_a_missing_title_are_named() {
        let mut i = input();
        i.kind = "party".into();
        i.title_ru = " ".into();
        assert_eq!(
            fields(i.parse().expect_err("refused")),
            vec![("kind", "error-choice"), ("title_ru", "error-required")]
        );
    }

    #[test]
    fn linked_ids_are_read_once_each_and_a_bad_one_is_named() {
        let mut i = input();
        i.solutions = "3\n 5 \n3".into();
        i.courses = "2".into();
        let p = i.parse().expect("valid");
        assert_eq!((p.solutions, p.courses), (vec![3, 5], vec![2]));
        i.courses = "2\nintro".into();
        assert_eq!(
            fields(i.parse().expect_err("refused")),
            vec![("courses", "events-error-ids")]
        );
    }
}

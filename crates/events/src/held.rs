//! Held events (seminars above all): who gets a place and who waits, who runs the event (marks
//! attendance, keeps its programme, materials and report), and the parsers of what they type.
use crate::model::Period;
use crate::workflow::Refusal;
use megapolis_domain::{FieldErrors, Person};
use serde::Serialize;
use time::Date;

/// Where a registration stands: a place, or the waiting list beyond the capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Registration {
    Registered,
    Waiting,
}

impl Registration {
    pub fn as_str(self) -> &'static str {
        match self {
            Registration::Registered => "registered",
            Registration::Waiting => "waiting",
        }
    }

    pub fn parse(raw: &str) -> Option<Registration> {
        [Registration::Registered, Registration::Waiting]
            .into_iter()
            .find(|r| r.as_str() == raw)
    }
}

/// A newcomer's place when `taken` places of `capacity` are held: no capacity is no limit.
pub fn place_for(capacity: Option<i64>, taken: i64) -> Registration {
    match capacity {
        Some(capacity) if taken >= capacity => Registration::Waiting,
        _ => Registration::Registered,
    }
}

/// How many of the waiting list (in its order) take the places freed when `taken` of `capacity`
/// are held: all of them when there is no limit.
pub fn promotions(capacity: Option<i64>, taken: i64, waiting: usize) -> usize {
    match capacity {
        None => waiting,
        Some(capacity) => usize::try_from((capacity - taken).max(0))
            .unwrap_or(0)
            .min(waiting),
    }
}

/// Who runs a held event (marks attendance, keeps its programme, materials and report): the
/// Secretariat and the Expert Council, or whoever proposed it.
pub fn may_run(person: &Person, proposer_id: i64) -> Result<(), Refusal> {
    if crate::workflow::may_consolidate(person) || person.id == proposer_id {
        Ok(())
    } else {
        Err(Refusal::NotOrganiser)
    }
}

/// Attendance and the report are kept once the event has started.
pub fn may_record(period: &Period, today: Date) -> Result<(), Refusal> {
    if period.start <= today {
        Ok(())
    } else {
        Err(Refusal::NotHeldYet)
    }
}

fn one(field: &'static str, key: &'static str) -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.add(field, key);
    errors
}

/// The largest capacity a form may set.
pub const MAX_CAPACITY: i64 = 100_000;

/// A capacity as typed: empty for no limit, or a whole number from 1.
pub fn parse_capacity(raw: &str) -> Result<Option<i64>, FieldErrors> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<i64>() {
        Ok(n) if (1..=MAX_CAPACITY).contains(&n) => Ok(Some(n)),
        _ => Err(one("capacity", "events-error-capacity")),
    }
}

/// A talk of the programme as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct TalkInput {
    pub title: String,
    pub speaker: String,
    /// The id of a catalogue solution the talk presents, if any.
    pub solution: String,
}

/// A talk that passed its checks but whether the solution exists.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewTalk {
    pub title: String,
    pub speaker: String,
    pub solution_id: Option<i64>,
}

fn required(errors: &mut FieldErrors, field: &'static str, raw: &str) -> String {
    let text = raw.trim().to_string();
    if text.is_empty() {
        errors.add(field, "error-required");
    } else if text.chars().count() > crate::model::MAX_TITLE_CHARS {
        errors.add(field, "error-too-long");
    }
    text
}

impl TalkInput {
    pub fn parse(&self) -> Result<NewTalk, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = required(&mut errors, "title", &self.title);
        let speaker = required(&mut errors, "speaker", &self.speaker);
        let solution_id = match self.solution.trim() {
            "" => None,
            raw => {
                let id = raw.parse::<i64>().ok().filter(|id| *id > 0);
                if id.is_none() {
                    errors.add("solution", "events-error-solution");
                }
                id
            }
        };
        errors.into_result(|| NewTalk {
            title,
            speaker,
            solution_id,
        })
    }
}

/// A material (a link to slides, a recording, a file elsewhere) as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct MaterialInput {
    pub title: String,
    pub link: String,
}

/// A material with a title and an http(s) link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewMaterial {
    pub title: String,
    pub link: String,
}

impl MaterialInput {
    pub fn parse(&self) -> Result<NewMaterial, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = required(&mut errors, "title", &self.title);
        let link = self.link.trim().to_string();
        let web = link.starts_with("https://") || link.starts_with("http://");
        if !web || link.len() > 2000 || link.chars().any(char::is_whitespace) {
            errors.add("link", "events-error-link");
        }
        errors.into_result(|| NewMaterial { title, link })
    }
}

/// The longest report after an event.
pub const MAX_REPORT_CHARS: usize = 10_000;

/// A report as typed: trimmed, at most [`MAX_REPORT_CHARS`].
pub fn parse_report(raw: &str) -> Result<String, FieldErrors> {
    let report = raw.trim().to_string();
    if report.chars().count() > MAX_REPORT_CHARS {
        return Err(one("report", "error-too-long"));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beyond_the_capacity_one_waits_and_no_capacity_is_no_limit() {
        assert_eq!(place_for(Some(2), 1), Registration::Registered);
        assert_eq!(place_for(Some(2), 2), Registration::Waiting);
        assert_eq!(place_for(None, 10_000), Registration::Registered);
    }

    #[test]
    fn freed_places_go_to_the_first_waiting() {
        assert_eq!(promotions(Some(2), 1, 3), 1);
        assert_eq!(promotions(Some(5), 1, 2), 2);
        assert_eq!(promotions(Some(2), 3, 2), 0);
        assert_eq!(promotions(None, 3, 2), 2);
    }

    #[test]
    fn attendance_waits_for_the_first_day() {
        let period = Period {
            start: time::macros::date!(2027 - 04 - 21),
            end: time::macros::date!(2027 - 04 - 22),
        };
        assert_eq!(
            may_record(&period, time::macros::date!(2027 - 04 - 20)),
            Err(Refusal::NotHeldYet)
        );
        assert_eq!(may_record(&period, period.start), Ok(()));
    }

    #[test]
    fn a_capacity_is_a_whole_number_from_one() {
        assert_eq!(parse_capacity(" "), Ok(None));
        assert_eq!(parse_capacity("30"), Ok(Some(30)));
        for bad in ["0", "-1", "many", "1000000"] {
            let errors = parse_capacity(bad).expect_err(bad);
            assert_eq!(errors.0[0].field, "capacity");
        }
    }

    #[test]
    fn a_talk_needs_a_title_and_a_speaker_and_names_a_bad_solution() {
        let errors = TalkInput {
            solution: "x".into(),
            ..Default::default()
        }
        .parse()
        .expect_err("refused");
        let fields: Vec<_> = errors.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["title", "speaker", "solution"]);
        let talk = TalkInput {
            title: "Умный транспорт Казани".into(),
            speaker: "И. Петров".into(),
            solution: " 7 ".into(),
        }
        .parse()
        .expect("valid");
        assert_eq!(talk.solution_id, Some(7));
    }

    #[test]
    fn a_material_is_an_http_link() {
        for bad in ["ftp://x", "javascript:alert(1)", "https://a b", ""] {
            let errors = MaterialInput {
                title: "Slides".into(),
                link: bad.into(),
            }
            .parse()
            .expect_err(bad);
            assert_eq!(errors.0[0].field, "link");
        }
        assert!(MaterialInput {
            title: "Slides".into(),
            link: "https://example.org/slides.pdf".into(),
        }
        .parse()
        .is_ok());
    }
}

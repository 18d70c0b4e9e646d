//! Clashes and likely duplicates among the proposals of a year, each with its severity: whether
//! it blocks the plan's approval or only warns. A month or a quarter counts as its whole period.
use crate::model::{EventKind, Period};
use serde::Serialize;
use std::collections::BTreeSet;

/// What the rules need to know of a proposal.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub id: i64,
    pub kind: EventKind,
    pub title: String,
    pub city: String,
    /// The organiser and co-organisers.
    pub organisers: Vec<String>,
    pub period: Period,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClashKind {
    /// Overlapping dates in one city.
    SameCity,
    /// Overlapping dates sharing an organiser.
    SharedOrganiser,
    /// A session (which must not clash) overlapping anything.
    Session,
    /// Same kind and a similar title in an overlapping period.
    Duplicate,
}

impl ClashKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ClashKind::SameCity => "same_city",
            ClashKind::SharedOrganiser => "shared_organiser",
            ClashKind::Session => "session",
            ClashKind::Duplicate => "duplicate",
        }
    }

    /// Only a session's clash blocks approval: the whole association meets then. The others
    /// warn, since a city hosts two events in different halls and an organiser (the Secretariat
    /// above all) runs several at once; the consolidators judge them.
    pub fn severity(self) -> Severity {
        match self {
            ClashKind::Session => Severity::Blocks,
            ClashKind::SameCity | ClashKind::SharedOrganiser | ClashKind::Duplicate => {
                Severity::Warns
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Blocks,
    Warns,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Blocks => "blocks",
            Severity::Warns => "warns",
        }
    }
}

/// One flagged pair, `a < b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Clash {
    pub a: i64,
    pub b: i64,
    pub kind: ClashKind,
    pub severity: Severity,
}

/// Words shorter than this say little about what an event is («и», «of», «по»).
const MIN_WORD_CHARS: usize = 3;
/// Share of the shorter title's words found in the other above which two titles are similar.
pub const SIMILAR_TITLES: f64 = 0.6;

/// A title's words, lower case, «ё» folded to «е», short words left out.
fn words(title: &str) -> BTreeSet<String> {
    title
        .split(|c: char| !c.is_alphanumeric())
        .map(|w| w.to_lowercase().replace('ё', "е"))
        .filter(|w| w.chars().count() >= MIN_WORD_CHARS)
        .collect()
}

/// The overlap of two titles' words over the smaller set, in [0, 1].
pub fn title_similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (words(a), words(b));
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / smaller as f64
}

/// Every clash among `candidates`, by `a`, then `b`, then kind. Pairs are compared all against
/// all after sorting by start, stopping at the first that starts after the end: a year's few
/// thousand proposals take milliseconds.
pub fn clashes(candidates: &[Candidate]) -> Vec<Clash> {
    let mut sorted: Vec<&Candidate> = candidates.iter().collect();
    sorted.sort_by_key(|c| (c.period.start, c.id));
    let titles: Vec<BTreeSet<String>> = sorted.iter().map(|c| words(&c.title)).collect();
    let mut found = Vec::new();
    for (i, x) in sorted.iter().enumerate() {
        for (j, y) in sorted.iter().enumerate().skip(i + 1) {
            if y.period.start > x.period.end {
                break;
            }
            if !x.period.overlaps(&y.period) {
                continue;
            }
            let (a, b) = (x.id.min(y.id), x.id.max(y.id));
            let mut flag = |kind: ClashKind| {
                found.push(Clash {
                    a,
                    b,
                    kind,
                    severity: kind.severity(),
                })
            };
            if x.kind.must_not_clash() || y.kind.must_not_clash() {
                flag(ClashKind::Session);
            }
            if x.city == y.city {
                flag(ClashKind::SameCity);
            }
            if x.organisers.iter().any(|o| y.organisers.contains(o)) {
                flag(ClashKind::SharedOrganiser);
            }
            let smaller = titles[i].len().min(titles[j].len());
            if x.kind == y.kind
                && smaller > 0
                && titles[i].intersection(&titles[j]).count() as f64 / smaller as f64
                    >= SIMILAR_TITLES
            {
                flag(ClashKind::Duplicate);
            }
        }
    }
    found.sort_by_key(|c| (c.a, c.b, c.kind.as_str()));
    found
}

/// The clashes that block approval.
pub fn blocking(clashes: &[Clash]) -> Vec<Clash> {
    clashes
        .iter()
        .copied()
        .filter(|c| c.severity == Severity::Blocks)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;
    use time::Date;

    fn event(
        id: i64,
        kind: EventKind,
        title: &str,
        city: &str,
        org: &str,
        s: Date,
        e: Date,
    ) -> Candidate {
        Candidate {
            id,
            kind,
            title: title.into(),
            city: city.into(),
            organisers: vec![org.into()],
            period: Period { start: s, end: e },
        }
    }

    fn kinds(found: &[Clash]) -> Vec<(i64, i64, &'static str, &'static str)> {
        found
            .iter()
            .map(|c| (c.a, c.b, c.kind.as_str(), c.severity.as_str()))
            .collect()
    }

    #[test]
    fn identical_start_and_end_overlap() {
        let d = date!(2027 - 03 - 15);
        let found = clashes(&[
            event(1, EventKind::Forum, "Цифровой форум", "kazan", "a", d, d),
            event(2, EventKind::Seminar, "Семинар о воде", "kazan", "b", d, d),
        ]);
        assert_eq!(kinds(&found), vec![(1, 2, "same_city", "warns")]);
    }

    #[test]
    fn a_one_day_event_inside_a_month_long_one_overlaps() {
        let month = Period::month(2027, 6).expect("june");
        let found = clashes(&[
            event(
                7,
                EventKind::Session,
                "Сессия МАГ",
                "moscow",
                "secretariat",
                month.start,
                month.end,
            ),
            event(
                3,
                EventKind::Exhibition,
                "Выставка",
                "minsk",
                "minsk",
                date!(2027 - 06 - 30),
                date!(2027 - 06 - 30),
            ),
        ]);
        assert_eq!(kinds(&found), vec![(3, 7, "session", "blocks")]);
    }

    #[test]
    fn adjacent_days_do_not_overlap() {
        let found = clashes(&[
            event(
                1,
                EventKind::Session,
                "Сессия",
                "kazan",
                "a",
                date!(2027 - 03 - 01),
                date!(2027 - 03 - 02),
            ),
            event(
                2,
                EventKind::Session,
                "Сессия",
                "kazan",
                "a",
                date!(2027 - 03 - 03),
                date!(2027 - 03 - 04),
            ),
        ]);
        assert!(found.is_empty());
    }

    #[test]
    fn a_shared_organiser_and_a_similar_title_of_the_same_kind_warns() {
        let q2 = Period::quarter(2027, 2).expect("q2");
        let found = clashes(&[
            event(
                1,
                EventKind::Forum,
                "Форум «Умный город» 2027",
                "kazan",
                "secretariat",
                q2.start,
                q2.end,
            ),
            event(
                2,
                EventKind::Forum,
                "Умный город: форум мэров",
                "minsk",
                "secretariat",
                date!(2027 - 05 - 20),
                date!(2027 - 05 - 21),
            ),
            event(
                3,
                EventKind::Conference,
                "Умный город",
                "almaty",
                "almaty",
                date!(2027 - 05 - 20),
                date!(2027 - 05 - 21),
            ),
        ]);
        assert_eq!(
            kinds(&found),
            vec![
                (1, 2, "duplicate", "warns"),
                (1, 2, "shared_organiser", "warns")
            ]
        );
        assert!(blocking(&found).is_empty());
    }

    #[test]
    fn titles_compare_by_words_with_yo_folded() {
        assert!(title_similarity("Учёт и отчётность", "учет, отчетность") >= 0.99);
        assert_eq!(title_similarity("и", "по"), 0.0);
        assert!(title_similarity("Water forum", "Transport seminar") < SIMILAR_TITLES);
    }
}

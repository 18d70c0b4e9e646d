//! The promotion concept: which published solutions to present to which target cities, why, and
//! when.
//!
//! **The matrix** ([`matrix`]) pairs every published solution with every target city and keeps
//! the pairings with at least one reason beyond "not adopted yet":
//! - [`Reason::Weakness`]: an indicator among the city's weaknesses in the latest published
//!   monitoring edition (the monitoring profile's rule) that the solution addresses. A solution
//!   addresses an indicator when the catalogue's own search of the indicator's name, in Russian
//!   or in English (the same stemming and «ё» folding), finds it with every word of the name
//!   among its first [`ADDRESSING_HITS`] hits. A search that falls back to any word addresses
//!   nothing: a solution sharing only "city" or «электронный» with a name does not address it.
//!   Nothing is tagged by hand: a reader checks a reason by running the same search.
//! - [`Reason::UsedBySimilar`]: cities of the target's peer group (the edition's, or the
//!   directory's population band when the city is not in an edition) pilot or operate it.
//! - [`Reason::NotAdopted`]: always present in a pairing shown; a city that studies, pilots or
//!   operates the solution, or owns it, is not paired with it (one that dropped it is, and the
//!   reason says so).
//!
//! **The ranking** ([`score`]): [`WEAKNESS_POINTS`] for each weakness addressed, then for each
//! similar city [`IN_OPERATION_POINTS`] when it operates the solution and [`PILOTING_POINTS`]
//! when it pilots it; higher first, then by city code, then by solution id.
//!
//! **The concept** ([`ConceptInput`], [`PresentationInput`]): titles in Russian and English and a
//! plan year; each presentation is a solution shown to a city in a month or a quarter of that year
//! ([`When`]), with a note. Draft → final ([`ConceptState`]).
use crate::adoption::AdoptionStatus;
use megapolis_domain::field::optional_text;
use megapolis_domain::{CityCode, FieldErrors};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::Hash;

/// How many of the search's first hits count as addressing an indicator.
pub const ADDRESSING_HITS: usize = 3;
/// Points of a weakness the solution addresses.
pub const WEAKNESS_POINTS: u32 = 3;
/// Points of a similar city operating the solution.
pub const IN_OPERATION_POINTS: u32 = 2;
/// Points of a similar city piloting it.
pub const PILOTING_POINTS: u32 = 1;
/// The most pairings one request returns.
pub const MAX_LIMIT: usize = 1_000;

/// An indicator among a city's weaknesses, with the city's position on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weakness {
    pub indicator: String,
    pub name_ru: String,
    pub name_en: String,
    /// The city's rank on it, among `of` cities with a value.
    pub rank: u32,
    pub of: usize,
}

impl Weakness {
    /// The searches that decide which solutions address it: its name in each language.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        [self.name_ru.as_str(), self.name_en.as_str()]
            .into_iter()
            .filter(|name| !name.trim().is_empty())
    }
}

/// A city a solution may be presented to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub city: String,
    /// Its weaknesses in the latest published edition; none without an edition or a profile.
    pub weaknesses: Vec<Weakness>,
    /// The cities of its peer group, itself excluded.
    pub peers: BTreeSet<String>,
}

/// A published solution and what the matrix needs of it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Candidate {
    pub solution: i64,
    /// The owner city: it is not a target of its own solution.
    pub owner: Option<String>,
    /// The indicators (codes) it addresses, each with the search (one of the indicator's names)
    /// that finds it among the first hits with every word.
    pub addresses: BTreeMap<String, String>,
    /// The cities' current adoptions by city code.
    pub adoptions: BTreeMap<String, AdoptionStatus>,
}

/// A similar city using the solution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimilarUse {
    pub city: String,
    pub status: AdoptionStatus,
}

/// Why a solution is proposed to a city; each one a reader can check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Reason {
    /// The city is weak on an indicator the solution addresses; `search` finds the solution.
    Weakness { weakness: Weakness, search: String },
    /// Cities of the city's peer group pilot or operate it.
    UsedBySimilar { cities: Vec<SimilarUse> },
    /// The city has not adopted it; `dropped` when it once did and gave up.
    NotAdopted { dropped: bool },
}

/// One cell of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pairing {
    pub solution: i64,
    pub city: String,
    pub score: u32,
    pub reasons: Vec<Reason>,
}

/// The peers of `city`: the other cities with the same group; none when it has no group.
pub fn peers<G: Eq + Hash>(city: &str, groups: &HashMap<String, G>) -> BTreeSet<String> {
    let Some(own) = groups.get(city) else {
        return BTreeSet::new();
    };
    groups
        .iter()
        .filter(|(other, group)| other.as_str() != city && *group == own)
        .map(|(other, _)| other.clone())
        .collect()
}

/// The reasons to present `candidate` to `target`, `None` when it must not be: the city owns
/// it or uses it (any status but dropped), or nothing but "not adopted" speaks for it.
pub fn reasons(target: &Target, candidate: &Candidate) -> Option<Vec<Reason>> {
    if candidate.owner.as_deref() == Some(target.city.as_str()) {
        return None;
    }
    let own = candidate.adoptions.get(&target.city);
    if own.is_some_and(|status| status.in_use()) {
        return None;
    }
    let mut out: Vec<Reason> = target
        .weaknesses
        .iter()
        .filter_map(|w| {
            Some(Reason::Weakness {
                weakness: w.clone(),
                search: candidate.addresses.get(&w.indicator)?.clone(),
            })
        })
        .collect();
    let similar: Vec<SimilarUse> = target
        .peers
        .iter()
        .filter_map(|city| {
            let status = *candidate.adoptions.get(city)?;
            matches!(
                status,
                AdoptionStatus::Piloting | AdoptionStatus::InOperation
            )
            .then(|| SimilarUse {
                city: city.clone(),
                status,
            })
        })
        .collect();
    if !similar.is_empty() {
        out.push(Reason::UsedBySimilar { cities: similar });
    }
    if out.is_empty() {
        return None;
    }
    out.push(Reason::NotAdopted {
        dropped: own.is_some(),
    });
    Some(out)
}

/// The strength of a pairing's reasons (see the module's documentation).
pub fn score(reasons: &[Reason]) -> u32 {
    reasons
        .iter()
        .map(|reason| match reason {
            Reason::Weakness { .. } => WEAKNESS_POINTS,
            Reason::UsedBySimilar { cities } => cities
                .iter()
                .map(|c| match c.status {
                    AdoptionStatus::InOperation => IN_OPERATION_POINTS,
                    _ => PILOTING_POINTS,
                })
                .sum(),
            Reason::NotAdopted { .. } => 0,
        })
        .sum()
}

/// Every pairing with a reason, strongest first (then by city code, then by solution id).
pub fn matrix(targets: &[Target], candidates: &[Candidate]) -> Vec<Pairing> {
    let mut out: Vec<Pairing> = targets
        .iter()
        .flat_map(|target| {
            candidates.iter().filter_map(move |candidate| {
                let reasons = reasons(target, candidate)?;
                Some(Pairing {
                    solution: candidate.solution,
                    city: target.city.clone(),
                    score: score(&reasons),
                    reasons,
                })
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.city.cmp(&b.city))
            .then(a.solution.cmp(&b.solution))
    });
    out
}

/// A concept's state: the Secretariat edits a draft; a final concept is the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConceptState {
    Draft,
    Final,
}

impl ConceptState {
    pub fn as_str(self) -> &'static str {
        match self {
            ConceptState::Draft => "draft",
            ConceptState::Final => "final",
        }
    }

    pub fn parse(raw: &str) -> Option<ConceptState> {
        [ConceptState::Draft, ConceptState::Final]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// The longest title.
pub const MAX_TITLE_CHARS: usize = 300;
/// The longest note of a presentation.
pub const MAX_NOTE_CHARS: usize = 2_000;

/// A concept as a form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ConceptInput {
    pub title_ru: String,
    pub title_en: String,
    pub year: String,
}

/// A checked concept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewConcept {
    pub title_ru: String,
    pub title_en: String,
    pub year: i32,
}

impl ConceptInput {
    /// Both titles (at least one language) and a plan year from 2000 to 2100.
    pub fn check(&self) -> Result<NewConcept, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title_ru = optional_text(&mut errors, "title_ru", &self.title_ru, MAX_TITLE_CHARS);
        let title_en = optional_text(&mut errors, "title_en", &self.title_en, MAX_TITLE_CHARS);
        if title_ru.is_empty() && title_en.is_empty() {
            errors.add("title_ru", "error-required");
        }
        let year = self
            .year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y));
        if year.is_none() {
            errors.add("year", "promotion-error-year");
        }
        match year {
            Some(year) if errors.is_empty() => Ok(NewConcept {
                title_ru,
                title_en,
                year,
            }),
            _ => Err(errors),
        }
    }
}

/// When a presentation is held: a month or a quarter of the plan year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum When {
    Month { year: i32, month: u8 },
    Quarter { year: i32, quarter: u8 },
}

impl When {
    /// `YYYY-MM` or `YYYY-Qn`.
    pub fn parse(raw: &str) -> Option<When> {
        let (year, rest) = raw.trim().split_once('-')?;
        let year: i32 = year.parse().ok().filter(|y| (2000..=2100).contains(y))?;
        match rest.strip_prefix(['Q', 'q']) {
            Some(q) => {
                let quarter: u8 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
                Some(When::Quarter { year, quarter })
            }
            None if rest.len() == 2 => {
                let month: u8 = rest.parse().ok().filter(|m| (1..=12).contains(m))?;
                Some(When::Month { year, month })
            }
            None => None,
        }
    }

    pub fn year(self) -> i32 {
        match self {
            When::Month { year, .. } | When::Quarter { year, .. } => year,
        }
    }

    /// As [`When::parse`] reads it.
    pub fn as_text(self) -> String {
        match self {
            When::Month { year, month } => format!("{year}-{month:02}"),
            When::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
        }
    }

    /// Every month and quarter of `year`, quarters first, for a form's choice.
    pub fn all_of(year: i32) -> Vec<When> {
        (1..=4)
            .map(|quarter| When::Quarter { year, quarter })
            .chain((1..=12).map(|month| When::Month { year, month }))
            .collect()
    }
}

/// A presentation as a form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PresentationInput {
    /// The solution's id.
    pub solution: String,
    /// The target city's code.
    pub city: String,
    /// `YYYY-MM` or `YYYY-Qn`, within the concept's year.
    pub period: String,
    pub note: String,
}

/// A checked presentation; the store still checks that the solution is published and the city
/// in the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewPresentation {
    pub solution: i64,
    pub city: CityCode,
    pub when: When,
    pub note: String,
}

impl PresentationInput {
    /// Every field at once; the period must fall in `year`, the concept's plan year.
    pub fn check(&self, year: i32) -> Result<NewPresentation, FieldErrors> {
        let mut errors = FieldErrors::default();
        let solution = self.solution.trim().parse::<i64>().ok();
        if solution.is_none() {
            errors.add("solution", "promotion-error-solution");
        }
        let city = CityCode::parse(self.city.trim()).ok();
        if city.is_none() {
            errors.add("city", "error-city-code");
        }
        let when = When::parse(&self.period);
        match when {
            None => errors.add("period", "promotion-error-period"),
            Some(w) if w.year() != year => errors.add("period", "promotion-error-period-year"),
            Some(_) => {}
        }
        let note = optional_text(&mut errors, "note", &self.note, MAX_NOTE_CHARS);
        match (solution, city, when) {
            (Some(solution), Some(city), Some(when)) if errors.is_empty() => Ok(NewPresentation {
                solution,
                city,
                when,
                note,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weakness(code: &str, rank: u32) -> Weakness {
        Weakness {
            indicator: code.into(),
            name_ru: format!("{code} ru"),
            name_en: format!("{code} en"),
            rank,
            of: 10,
        }
    }

    fn target(city: &str, weaknesses: Vec<Weakness>, peers: &[&str]) -> Target {
        Target {
            city: city.into(),
            weaknesses,
            peers: peers.iter().map(|p| p.to_string()).collect(),
        }
    }

    fn candidate(id: i64, addresses: &[&str], adoptions: &[(&str, AdoptionStatus)]) -> Candidate {
        Candidate {
            solution: id,
            owner: Some("owner".into()),
            addresses: addresses
                .iter()
                .map(|a| (a.to_string(), format!("name of {a}")))
                .collect(),
            adoptions: adoptions.iter().map(|(c, s)| (c.to_string(), *s)).collect(),
        }
    }

    #[test]
    fn a_weakness_the_solution_addresses_is_a_reason_naming_the_position() {
        let t = target("minsk", vec![weakness("svc", 9), weakness("od", 8)], &[]);
        let r = reasons(&t, &candidate(1, &["svc"], &[])).expect("a pairing");
        assert_eq!(
            r,
            vec![
                Reason::Weakness {
                    weakness: weakness("svc", 9),
                    search: "name of svc".into()
                },
                Reason::NotAdopted { dropped: false }
            ]
        );
        assert_eq!(score(&r), WEAKNESS_POINTS);
    }

    #[test]
    fn without_a_published_edition_only_similar_cities_and_not_adopted_speak() {
        // No edition: no weaknesses, the peers from the population band.
        let t = target("minsk", Vec::new(), &["kazan", "baku"]);
        let c = candidate(
            1,
            &["svc"],
            &[
                ("kazan", AdoptionStatus::InOperation),
                ("baku", AdoptionStatus::Piloting),
                ("perm", AdoptionStatus::InOperation),
            ],
        );
        let r = reasons(&t, &c).expect("a pairing");
        assert_eq!(
            r,
            vec![
                Reason::UsedBySimilar {
                    cities: vec![
                        SimilarUse {
                            city: "baku".into(),
                            status: AdoptionStatus::Piloting
                        },
                        SimilarUse {
                            city: "kazan".into(),
                            status: AdoptionStatus::InOperation
                        },
                    ]
                },
                Reason::NotAdopted { dropped: false }
            ]
        );
        assert_eq!(score(&r), IN_OPERATION_POINTS + PILOTING_POINTS);
    }

    #[test]
    fn a_city_without_a_profile_or_peers_gets_nothing_proposed() {
        let t = target("minsk", Vec::new(), &[]);
        let c = candidate(1, &["svc"], &[("kazan", AdoptionStatus::InOperation)]);
        assert_eq!(reasons(&t, &c), None);
    }

    #[test]
    fn a_solution_without_adoptions_stands_on_weaknesses_alone() {
        let t = target("minsk", vec![weakness("svc", 9)], &["kazan"]);
        assert!(reasons(&t, &candidate(1, &[], &[])).is_none());
        let r = reasons(&t, &candidate(2, &["svc"], &[])).expect("a pairing");
        assert!(!r.iter().any(|r| matches!(r, Reason::UsedBySimilar { .. })));
    }

    #[test]
    fn studying_does_not_count_as_use_by_a_similar_city() {
        let t = target("minsk", Vec::new(), &["kazan"]);
        let c = candidate(1, &[], &[("kazan", AdoptionStatus::Studying)]);
        assert_eq!(reasons(&t, &c), None);
    }

    #[test]
    fn a_city_using_or_owning_the_solution_is_not_paired_but_one_that_dropped_it_is() {
        let t = target("minsk", vec![weakness("svc", 9)], &[]);
        for status in [
            AdoptionStatus::Studying,
            AdoptionStatus::Piloting,
            AdoptionStatus::InOperation,
        ] {
            assert_eq!(
                reasons(&t, &candidate(1, &["svc"], &[("minsk", status)])),
                None
            );
        }
        let mut own = candidate(1, &["svc"], &[]);
        own.owner = Some("minsk".into());
        assert_eq!(reasons(&t, &own), None);
        let r = reasons(
            &t,
            &candidate(1, &["svc"], &[("minsk", AdoptionStatus::Dropped)]),
        )
        .expect("a pairing");
        assert_eq!(r.last(), Some(&Reason::NotAdopted { dropped: true }));
    }

    #[test]
    fn the_matrix_ranks_stronger_pairings_first_then_by_city_and_solution() {
        let targets = [
            target("minsk", vec![weakness("svc", 9), weakness("od", 8)], &[]),
            target("baku", vec![weakness("svc", 9)], &["kazan"]),
        ];
        let candidates = [
            candidate(1, &["svc"], &[]),
            candidate(2, &["svc", "od"], &[]),
            candidate(3, &[], &[("kazan", AdoptionStatus::Piloting)]),
        ];
        let order: Vec<(String, i64, u32)> = matrix(&targets, &candidates)
            .into_iter()
            .map(|p| (p.city, p.solution, p.score))
            .collect();
        assert_eq!(
            order,
            vec![
                ("minsk".into(), 2, 6),
                ("baku".into(), 1, 3),
                ("baku".into(), 2, 3),
                ("minsk".into(), 1, 3),
                ("baku".into(), 3, 1),
            ]
        );
    }

    #[test]
    fn peers_share_the_group_and_exclude_the_city_itself() {
        let groups: HashMap<String, &str> = [("a", "x"), ("b", "x"), ("c", "y")]
            .into_iter()
            .map(|(c, g)| (c.to_string(), g))
            .collect();
        assert_eq!(peers("a", &groups), BTreeSet::from(["b".to_string()]));
        assert!(peers("z", &groups).is_empty());
    }

    #[test]
    fn a_period_is_a_month_or_quarter_of_the_plan_year() {
        let input = |period: &str| PresentationInput {
            solution: "4".into(),
            city: "minsk".into(),
            period: period.into(),
            note: String::new(),
        };
        assert_eq!(
            input("2027-Q2").check(2027).map(|p| p.when),
            Ok(When::Quarter {
                year: 2027,
                quarter: 2
            })
        );
        assert_eq!(
            input("2027-03").check(2027).map(|p| p.when.as_text()),
            Ok("2027-03".into())
        );
        let outside = input("2026-03").check(2027).expect_err("outside the year");
        assert_eq!(outside.get("period"), Some("promotion-error-period-year"));
        for bad in ["2027-13", "2027-Q5", "2027-3", "March", ""] {
            let e = input(bad).check(2027).expect_err(bad);
            assert_eq!(e.get("period"), Some("promotion-error-period"), "{bad}");
        }
    }

    #[test]
    fn a_presentation_names_each_bad_field() {
        let e = PresentationInput {
            solution: "x".into(),
            city: "Not a code!".into(),
            period: "2027-01".into(),
            note: "n".repeat(MAX_NOTE_CHARS + 1),
        }
        .check(2027)
        .expect_err("bad");
        for field in ["solution", "city", "note"] {
            assert!(e.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn a_concept_needs_a_title_and_a_plan_year() {
        let e = ConceptInput::default().check().expect_err("empty");
        assert_eq!(e.get("title_ru"), Some("error-required"));
        assert_eq!(e.get("year"), Some("promotion-error-year"));
        let ok = ConceptInput {
            title_ru: String::new(),
            title_en: " Concept ".into(),
            year: "2027".into(),
        }
        .check()
        .expect("valid");
        assert_eq!((ok.title_en.as_str(), ok.year), ("Concept", 2027));
    }
}

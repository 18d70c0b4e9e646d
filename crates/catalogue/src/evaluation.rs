//! Expert evaluation of a competition's entries: conflicts of interest, scores on the anchored
//! scale, and the ranking the jury reads.
//!
//! Conflicts are keyed on organisations, not on e-mail addresses: an expert from the entry's own
//! city, or from a city that already uses the solution, is excluded automatically; any expert
//! may declare a conflict of their own. Nobody opens an entry's dossier before declaring; an
//! excluded expert scores only after the jury's chair records a waiver with a reason.
//!
//! An entry's score is the mean, over its reviews, of each review's weighted mean of the
//! criteria (weights normalised to sum 1), shown with its spread (highest minus lowest review).
//! Beside it, once an expert has [`MIN_REVIEWS_FOR_Z`] reviews, their scores are normalised
//! (z-score: minus the expert's own mean, over their standard deviation), so a strict and a
//! lenient expert weigh alike; an entry's normalised score is the mean z of the reviews that
//! have one.
use crate::competition::SCALE;
use megapolis_domain::CityCode;
use serde::Serialize;
use std::collections::HashMap;

/// The reviews an expert needs before their scores are normalised.
pub const MIN_REVIEWS_FOR_Z: usize = 3;

/// Experts an eligible entry needs before the evaluation may start.
pub const MIN_EXPERTS: usize = 3;

/// Why an expert is excluded from an entry without declaring anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AutomaticConflict {
    /// The expert works for the entry's own city.
    OwnCity,
    /// The expert's city already uses the solution.
    UsingCity,
}

impl AutomaticConflict {
    pub fn as_str(self) -> &'static str {
        match self {
            AutomaticConflict::OwnCity => "own-city",
            AutomaticConflict::UsingCity => "using-city",
        }
    }
}

/// The automatic conflict of an expert of `expert_city` with an entry of `owner` used by
/// `used_by`, if any.
pub fn automatic_conflict(
    expert_city: Option<&CityCode>,
    owner: &CityCode,
    used_by: &[CityCode],
) -> Option<AutomaticConflict> {
    let city = expert_city?;
    if city == owner {
        Some(AutomaticConflict::OwnCity)
    } else if used_by.contains(city) {
        Some(AutomaticConflict::UsingCity)
    } else {
        None
    }
}

/// What an expert declared about an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Declaration {
    NotYet,
    NoConflict,
    Conflict { reason: String },
}

/// Why an expert may not open an entry's dossier or score it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exclusion {
    #[error("declare whether you have a conflict of interest with this entry first")]
    NotDeclared,
    #[error("you declared a conflict of interest with this entry")]
    Declared,
    #[error(
        "you are from the entry's own city; only a waiver by the jury's chair lets you score it"
    )]
    OwnCity,
    #[error("your city uses this solution; only a waiver by the jury's chair lets you score it")]
    UsingCity,
}

/// Whether an assigned expert may open the dossier and score: they must have declared no
/// conflict, and an automatic conflict needs the chair's waiver.
pub fn may_review(
    automatic: Option<AutomaticConflict>,
    declaration: &Declaration,
    waived: bool,
) -> Result<(), Exclusion> {
    match declaration {
        Declaration::NotYet => return Err(Exclusion::NotDeclared),
        Declaration::Conflict { .. } => return Err(Exclusion::Declared),
        Declaration::NoConflict => {}
    }
    match (automatic, waived) {
        (Some(AutomaticConflict::OwnCity), false) => Err(Exclusion::OwnCity),
        (Some(AutomaticConflict::UsingCity), false) => Err(Exclusion::UsingCity),
        _ => Ok(()),
    }
}

/// Why a set of scores is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("criterion {criterion}: a score from 1 to 5, not {raw:?}")]
    OutOfScale { criterion: usize, raw: String },
    #[error("criterion {criterion} has no score")]
    Missing { criterion: usize },
    #[error("criterion {criterion}: the comment is longer than 5,000 characters")]
    CommentTooLong { criterion: usize },
}

/// One criterion's score and comment as checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionScore {
    pub score: u8,
    pub comment: String,
}

/// Checks the scores of one review: one per criterion (`raw[i]` for criterion `i + 1`), each a
/// whole number on the scale, comments of reasonable length.
pub fn check_scores(
    criteria: usize,
    raw: &[(String, String)],
) -> Result<Vec<CriterionScore>, ScoreError> {
    (0..criteria)
        .map(|i| {
            let criterion = i + 1;
            let (score, comment) = raw.get(i).ok_or(ScoreError::Missing { criterion })?;
            if score.trim().is_empty() {
                return Err(ScoreError::Missing { criterion });
            }
            let value = score
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|v| SCALE.contains(v))
                .ok_or_else(|| ScoreError::OutOfScale {
                    criterion,
                    raw: score.clone(),
                })?;
            if comment.chars().count() > 5_000 {
                return Err(ScoreError::CommentTooLong { criterion });
            }
            Ok(CriterionScore {
                score: value,
                comment: comment.trim().to_string(),
            })
        })
        .collect()
}

/// A submitted review: an expert's scores of an entry, one per criterion, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub entry: i64,
    pub expert: i64,
    pub scores: Vec<u8>,
}

/// The weighted mean of one review's scores (weights normalised; 0 when there are none).
pub fn weighted_mean(scores: &[u8], weights: &[f64]) -> f64 {
    let total: f64 = weights.iter().take(scores.len()).sum();
    if total <= 0.0 {
        return 0.0;
    }
    scores
        .iter()
        .zip(weights)
        .map(|(s, w)| f64::from(*s) * w)
        .sum::<f64>()
        / total
}

/// An entry's place in the ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    pub entry: i64,
    pub reviews: usize,
    /// The mean of its reviews' weighted means, on the 1–5 scale.
    pub score: f64,
    /// The highest review minus the lowest.
    pub spread: f64,
    /// The mean z-score of its reviews by experts with enough reviews; none when no such review.
    pub normalised: Option<f64>,
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len().max(1) as f64
}

/// Every reviewed entry's standing, best first (by score, then normalised score, then id).
pub fn standings(reviews: &[Review], weights: &[f64]) -> Vec<Standing> {
    let weighted: Vec<(i64, i64, f64)> = reviews
        .iter()
        .map(|r| (r.entry, r.expert, weighted_mean(&r.scores, weights)))
        .collect();
    let mut by_expert: HashMap<i64, Vec<f64>> = HashMap::new();
    for (_, expert, value) in &weighted {
        by_expert.entry(*expert).or_default().push(*value);
    }
    // (mean, standard deviation) of each expert with enough reviews.
    let norms: HashMap<i64, (f64, f64)> = by_expert
        .iter()
        .filter(|(_, values)| values.len() >= MIN_REVIEWS_FOR_Z)
        .map(|(expert, values)| {
            let m = mean(values);
            let variance = mean(&values.iter().map(|v| (v - m).powi(2)).collect::<Vec<_>>());
            (*expert, (m, variance.sqrt()))
        })
        .collect();
    let mut by_entry: HashMap<i64, Vec<(f64, Option<f64>)>> = HashMap::new();
    for (entry, expert, value) in &weighted {
        let z = norms
            .get(expert)
            .map(|(m, sd)| if *sd > 0.0 { (value - m) / sd } else { 0.0 });
        by_entry.entry(*entry).or_default().push((*value, z));
    }
    let mut out: Vec<Standing> = by_entry
        .into_iter()
        .map(|(entry, values)| {
            let raw: Vec<f64> = values.iter().map(|(v, _)| *v).collect();
            let zs: Vec<f64> = values.iter().filter_map(|(_, z)| *z).collect();
            let high = raw.iter().copied().fold(f64::MIN, f64::max);
            let low = raw.iter().copied().fold(f64::MAX, f64::min);
            Standing {
                entry,
                reviews: raw.len(),
                score: mean(&raw),
                spread: high - low,
                normalised: (!zs.is_empty()).then(|| mean(&zs)),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(
                b.normalised
                    .unwrap_or(f64::MIN)
                    .total_cmp(&a.normalised.unwrap_or(f64::MIN)),
            )
            .then(a.entry.cmp(&b.entry))
    });
    out
}

/// What the jury gives an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Award {
    Winner,
    Laureate,
}

impl Award {
    pub fn as_str(self) -> &'static str {
        match self {
            Award::Winner => "winner",
            Award::Laureate => "laureate",
        }
    }

    pub fn parse(raw: &str) -> Option<Award> {
        match raw {
            "winner" => Some(Award::Winner),
            "laureate" => Some(Award::Laureate),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn city(code: &str) -> CityCode {
        CityCode::parse(code).expect("a code")
    }

    #[test]
    fn conflicts_come_from_the_expert_s_city_not_their_address() {
        let owner = city("minsk");
        let users = [city("kazan"), city("baku")];
        assert_eq!(
            automatic_conflict(Some(&city("minsk")), &owner, &users),
            Some(AutomaticConflict::OwnCity)
        );
        assert_eq!(
            automatic_conflict(Some(&city("baku")), &owner, &users),
            Some(AutomaticConflict::UsingCity)
        );
        assert_eq!(
            automatic_conflict(Some(&city("astana")), &owner, &users),
            None
        );
        assert_eq!(automatic_conflict(None, &owner, &users), None);
    }

    #[test]
    fn a_dossier_opens_after_a_declaration_and_a_waiver_lifts_an_automatic_conflict() {
        let own = Some(AutomaticConflict::OwnCity);
        assert_eq!(
            may_review(None, &Declaration::NotYet, false),
            Err(Exclusion::NotDeclared)
        );
        assert_eq!(may_review(None, &Declaration::NoConflict, false), Ok(()));
        assert_eq!(
            may_review(own, &Declaration::NoConflict, false),
            Err(Exclusion::OwnCity)
        );
        assert_eq!(may_review(own, &Declaration::NoConflict, true), Ok(()));
        let declared = Declaration::Conflict {
            reason: "I consulted for them".into(),
        };
        assert_eq!(
            may_review(None, &declared, true),
            Err(Exclusion::Declared),
            "a waiver does not override a conflict the expert declared"
        );
    }

    #[test]
    fn scores_outside_the_scale_or_missing_are_refused_by_criterion() {
        let raw = |s: &[&str]| -> Vec<(String, String)> {
            s.iter().map(|v| (v.to_string(), String::new())).collect()
        };
        assert!(check_scores(2, &raw(&["5", "1"])).is_ok());
        assert_eq!(
            check_scores(2, &raw(&["5", "6"])),
            Err(ScoreError::OutOfScale {
                criterion: 2,
                raw: "6".into()
            })
        );
        assert_eq!(
            check_scores(2, &raw(&["0", "3"])).map(|_| ()),
            Err(ScoreError::OutOfScale {
                criterion: 1,
                raw: "0".into()
            })
        );
        assert_eq!(
            check_scores(2, &raw(&["4"])),
            Err(ScoreError::Missing { criterion: 2 })
        );
        assert!(matches!(
            check_scores(1, &raw(&["3.5"])),
            Err(ScoreError::OutOfScale { .. })
        ));
    }

    #[test]
    fn the_score_is_the_weighted_mean_with_its_spread() {
        // Weights 3 and 1: a review of (5, 1) is 4.0, one of (3, 3) is 3.0.
        let weights = [3.0, 1.0];
        assert!((weighted_mean(&[5, 1], &weights) - 4.0).abs() < 1e-9);
        let reviews = vec![
            Review {
                entry: 1,
                expert: 10,
                scores: vec![5, 1],
            },
            Review {
                entry: 1,
                expert: 11,
                scores: vec![3, 3],
            },
            Review {
                entry: 2,
                expert: 10,
                scores: vec![2, 2],
            },
        ];
        let table = standings(&reviews, &weights);
        assert_eq!(table[0].entry, 1);
        assert!((table[0].score - 3.5).abs() < 1e-9);
        assert!((table[0].spread - 1.0).abs() < 1e-9);
        assert_eq!(table[0].reviews, 2);
        assert_eq!(table[1].spread, 0.0);
        assert_eq!(table[0].normalised, None, "no expert has three reviews");
    }

    #[test]
    fn z_scores_even_out_a_strict_and_a_lenient_expert() {
        // Expert 10 gives 5, 4, 3; expert 11 (strict) gives 3, 2, 1 to the same entries in the
        // same order: after normalisation both rank them alike, with the same z-scores.
        let weights = [1.0];
        let mut reviews = Vec::new();
        for (entry, lenient, strict) in [(1, 5, 3), (2, 4, 2), (3, 3, 1)] {
            reviews.push(Review {
                entry,
                expert: 10,
                scores: vec![lenient],
            });
            reviews.push(Review {
                entry,
                expert: 11,
                scores: vec![strict],
            });
        }
        let table = standings(&reviews, &weights);
        let z: Vec<f64> = table.iter().map(|s| s.normalised.expect("z")).collect();
        assert!((z[0] - 1.224_744_871).abs() < 1e-6, "{z:?}");
        assert!(z[1].abs() < 1e-9);
        assert!((z[0] + z[2]).abs() < 1e-9);
        assert_eq!(
            table.iter().map(|s| s.entry).collect::<Vec<_>>(),
            vec![1, 2, 3]
        );
    }
}

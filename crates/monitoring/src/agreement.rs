//! Two assessors on one answer: whether they agree (and on what value), and how far they agree
//! on an indicator across cities (Cohen's κ of their accept/correct decisions).
use serde::{Deserialize, Serialize};

/// One assessor's decision on one answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// The city's value stands.
    Accept,
    /// The value should be `value` (canonical), because `reason`.
    Correct { value: String, reason: String },
}

impl Decision {
    pub fn is_correction(&self) -> bool {
        matches!(self, Decision::Correct { .. })
    }

    /// The value this decision verifies, given the city's.
    pub fn verified_value<'a>(&'a self, city_value: &'a str) -> &'a str {
        match self {
            Decision::Accept => city_value,
            Decision::Correct { value, .. } => value,
        }
    }
}

/// What two decisions on one answer come to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Resolution {
    /// An assessor has not decided yet.
    Waiting,
    /// Both verify the same value: it is final.
    Agreed(String),
    /// The verified values differ, or one corrected and the other accepted: the Secretariat
    /// adjudicates.
    Mismatch,
}

/// REDCap's double entry rule: agreement is the same verified value *and* the same kind of
/// decision — a correction to the city's own value still disagrees with an acceptance.
pub fn resolve(
    city_value: &str,
    first: Option<&Decision>,
    second: Option<&Decision>,
) -> Resolution {
    match (first, second) {
        (Some(a), Some(b)) => {
            if a.is_correction() == b.is_correction()
                && a.verified_value(city_value) == b.verified_value(city_value)
            {
                Resolution::Agreed(a.verified_value(city_value).to_string())
            } else {
                Resolution::Mismatch
            }
        }
        _ => Resolution::Waiting,
    }
}

/// Cohen's κ of two raters' binary decisions (`true` = corrected) on the same items:
/// (p_o − p_e) / (1 − p_e). `None` without items; when both raters gave one and the same
/// category to every item (p_e = 1) κ is undefined, and reported as 1 (complete agreement).
pub fn cohens_kappa(pairs: &[(bool, bool)]) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    let n = pairs.len() as f64;
    let agree = pairs.iter().filter(|(a, b)| a == b).count() as f64;
    let a_yes = pairs.iter().filter(|(a, _)| *a).count() as f64 / n;
    let b_yes = pairs.iter().filter(|(_, b)| *b).count() as f64 / n;
    let observed = agree / n;
    let expected = a_yes * b_yes + (1.0 - a_yes) * (1.0 - b_yes);
    if (1.0 - expected).abs() < 1e-12 {
        return Some(1.0);
    }
    Some((observed - expected) / (1.0 - expected))
}

/// Below this κ an indicator is flagged as ambiguous (Landis and Koch: 0.41 is where "moderate"
/// agreement begins).
pub const AMBIGUOUS_BELOW: f64 = 0.41;

pub fn is_ambiguous(kappa: Option<f64>) -> bool {
    kappa.is_some_and(|k| k < AMBIGUOUS_BELOW)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn correct(value: &str) -> Decision {
        Decision::Correct {
            value: value.into(),
            reason: "checked the site".into(),
        }
    }

    #[test]
    fn the_textbook_example() {
        // Wikipedia's "Cohen's kappa" example: 50 proposals, both yes 20, A yes B no 5,
        // A no B yes 10, both no 15: p_o = 0.7, p_e = 0.5, κ = 0.4.
        let mut pairs = Vec::new();
        pairs.extend(std::iter::repeat_n((true, true), 20));
        pairs.extend(std::iter::repeat_n((true, false), 5));
        pairs.extend(std::iter::repeat_n((false, true), 10));
        pairs.extend(std::iter::repeat_n((false, false), 15));
        let kappa = cohens_kappa(&pairs).expect("κ");
        assert!((kappa - 0.4).abs() < 1e-12, "{kappa}");
        assert!(is_ambiguous(Some(kappa)));
    }

    #[test]
    fn complete_and_chance_agreement() {
        assert_eq!(cohens_kappa(&[]), None);
        assert_eq!(cohens_kappa(&[(false, false), (false, false)]), Some(1.0));
        assert_eq!(cohens_kappa(&[(true, true), (false, false)]), Some(1.0));
        let opposite = cohens_kappa(&[(true, false), (false, true)]).expect("κ");
        assert!((opposite + 1.0).abs() < 1e-12);
        assert!(!is_ambiguous(Some(0.41)) && !is_ambiguous(None));
    }

    #[test]
    fn mismatches_are_found() {
        let accept = Decision::Accept;
        assert_eq!(resolve("10", Some(&accept), None), Resolution::Waiting);
        assert_eq!(
            resolve("10", Some(&accept), Some(&accept)),
            Resolution::Agreed("10".into())
        );
        assert_eq!(
            resolve("10", Some(&correct("12")), Some(&correct("12"))),
            Resolution::Agreed("12".into())
        );
        assert_eq!(
            resolve("10", Some(&correct("12")), Some(&correct("11"))),
            Resolution::Mismatch
        );
        assert_eq!(
            resolve("10", Some(&accept), Some(&correct("12"))),
            Resolution::Mismatch
        );
        // A "correction" to the city's own value still disagrees with an acceptance.
        assert_eq!(
            resolve("10", Some(&correct("10")), Some(&accept)),
            Resolution::Mismatch
        );
    }
}

//! A unit's profile in an edition, in the manner of the Global Innovation Index's economy
//! profiles: its score, rank and interval by every aggregate beside the median of all units and
//! of its peer group, its strengths and weaknesses, its data availability and its indicators.
//!
//! **Peer groups.** When the edition's iData has Group columns (COINr's `Group_…` columns,
//! declared with Type "Group" in iMeta), the first of them in iMeta order groups the units: the
//! peers of a unit are the units with the same label. Otherwise cities of the directory are
//! grouped by population ([`PopulationBand`]: under 1 million, 1 to 3 million, over 3 million);
//! a unit that is not a city of the directory, or whose population is unknown, has no group.
//!
//! **Strengths and weaknesses** ([`strengths_and_weaknesses`]). GII's rule compares each
//! indicator's rank with the economy's overall rank; ours, precisely:
//! 1. Positions are shares of the field, so ranks among different numbers of units compare: a
//!    rank `r` among `n` units is at `(r − 1) / (n − 1)` (0 the best, 1 the last; 0 when n = 1).
//! 2. The unit's overall position `P` is its index rank among the ranked units. An indicator's
//!    position `p` is the unit's rank on it among the units with a value given (not imputed),
//!    by the value that entered the aggregation (direction applied: higher is better).
//! 3. Only indicators the unit has a value for and on which the units differ (two distinct
//!    values at least) count.
//! 4. Strengths: the indicators with `p ≤ P` (as good as the unit's overall standing or better),
//!    best position first; weaknesses: those with `p > P`, worst position first. Ties are broken
//!    by the framework's order.
//! 5. Each list keeps the first `k = ⌈10 % of the counted indicators⌉` (at least 1).
use crate::compute::Ranking;
use crate::open_data::EditionTables;
use megapolis_index::stats;
use serde::Serialize;
use std::collections::HashMap;

/// The share of the counted indicators each list of strengths and of weaknesses holds.
pub const STRENGTH_SHARE: f64 = 0.10;

/// A population band of the directory's cities, for peer groups when the data has no groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PopulationBand {
    /// Under 1,000,000 residents.
    Under1M,
    /// 1,000,000 to 3,000,000.
    From1To3M,
    /// Over 3,000,000.
    Over3M,
}

impl PopulationBand {
    pub fn of(population: i64) -> PopulationBand {
        match population {
            p if p < 1_000_000 => PopulationBand::Under1M,
            p if p <= 3_000_000 => PopulationBand::From1To3M,
            _ => PopulationBand::Over3M,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            PopulationBand::Under1M => "pop-under-1m",
            PopulationBand::From1To3M => "pop-1-3m",
            PopulationBand::Over3M => "pop-over-3m",
        }
    }
}

/// The peer group of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum PeerGroup {
    /// A label of the edition's first Group column.
    Data { column: String, label: String },
    /// A population band of the directory.
    Population(PopulationBand),
}

impl PeerGroup {
    /// A stable key for links and forms: `pop-…` for a band, `group-<label>` for a data group.
    pub fn key(&self) -> String {
        match self {
            PeerGroup::Data { label, .. } => format!("group-{label}"),
            PeerGroup::Population(band) => band.key().to_string(),
        }
    }
}

/// Each unit's peer group (see the module's documentation); `populations` are the directory's
/// cities by code.
pub fn peer_groups(
    tables: &EditionTables,
    populations: &HashMap<String, i64>,
) -> HashMap<String, PeerGroup> {
    if let Some((column, labels)) = tables.groups.first() {
        return labels
            .iter()
            .map(|(unit, label)| {
                (
                    unit.clone(),
                    PeerGroup::Data {
                        column: column.clone(),
                        label: label.clone(),
                    },
                )
            })
            .collect();
    }
    tables
        .raw()
        .units
        .iter()
        .filter_map(|unit| {
            let population = populations.get(unit)?;
            Some((
                unit.clone(),
                PeerGroup::Population(PopulationBand::of(*population)),
            ))
        })
        .collect()
}

/// The median of the finite values, if any (the mean of the two middle ones for an even count).
pub fn median(values: impl IntoIterator<Item = f64>) -> Option<f64> {
    let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len().is_multiple_of(2) {
        (v[mid - 1] + v[mid]) / 2.0
    } else {
        v[mid]
    })
}

/// The position of a rank in a field of `n`: 0 the best, 1 the last.
pub fn position(rank: u32, n: usize) -> f64 {
    if n <= 1 {
        0.0
    } else {
        (f64::from(rank.max(1)) - 1.0) / (n - 1) as f64
    }
}

/// A unit's standing on one indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorStanding {
    pub code: String,
    /// The value as given; `None` when missing.
    pub raw: Option<f64>,
    /// The value that entered the aggregation (normalised, imputed where missing).
    pub normalised: Option<f64>,
    /// The rank among the units with a value given (ties share the better rank).
    pub rank: Option<u32>,
    /// How many units have a value given.
    pub of: usize,
    /// The units differ on it (two distinct values at least).
    pub discriminates: bool,
    pub evidence: Option<String>,
}

/// A unit's standing on one aggregate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AggregateStanding {
    pub code: String,
    pub score: Option<f64>,
    pub rank: Option<u32>,
    pub interval: Option<(u32, u32)>,
    pub median_all: Option<f64>,
    /// The median of the unit's peer group (the unit included); none without a group.
    pub median_group: Option<f64>,
}

/// A unit's profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    pub code: String,
    /// How many units the ranking has.
    pub units: usize,
    /// Every aggregate of the ranking, the top one first.
    pub aggregates: Vec<AggregateStanding>,
    /// Every indicator, in the data set's order.
    pub indicators: Vec<IndicatorStanding>,
    /// Positions in [`Profile::indicators`].
    pub strengths: Vec<usize>,
    pub weaknesses: Vec<usize>,
    pub peer_group: Option<PeerGroup>,
    /// Indicators with a value given.
    pub with_data: usize,
}

impl Profile {
    /// The share of the indicators with a value given, 0…1.
    pub fn availability(&self) -> f64 {
        if self.indicators.is_empty() {
            0.0
        } else {
            self.with_data as f64 / self.indicators.len() as f64
        }
    }
}

/// Each indicator's rank of every unit among the units with a value given: indicator code →
/// ranks aligned with the last data set's units; plus how many units have a value and whether
/// the units differ. Made once per edition's tables (`EditionTables::indicator_ranks`).
#[derive(Debug, Clone)]
pub struct IndicatorRanks {
    ranks: Vec<Vec<f64>>,
    given: Vec<usize>,
    discriminates: Vec<bool>,
}

/// Computes [`IndicatorRanks`]: one pass over each indicator's column (the rows of the raw data
/// matched to the last data set's units once, not looked up per value).
pub(crate) fn indicator_ranks(tables: &EditionTables) -> IndicatorRanks {
    let (raw, last) = (tables.raw(), tables.last());
    let raw_row: HashMap<&str, usize> = raw
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.as_str(), i))
        .collect();
    let rows: Vec<Option<usize>> = last
        .units
        .iter()
        .map(|u| raw_row.get(u.as_str()).copied())
        .collect();
    let mut out = IndicatorRanks {
        ranks: Vec::new(),
        given: Vec::new(),
        discriminates: Vec::new(),
    };
    for code in tables.indicators() {
        let (raw_col, last_col) = (raw.col(code), last.col(code));
        let values: Vec<f64> = rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let given = row
                    .and_then(|r| raw_col.and_then(|c| c.get(r)))
                    .is_some_and(|v| v.is_finite());
                // Ranked by what entered the aggregation, only where a value was given.
                match (given, last_col.and_then(|c| c.get(i))) {
                    (true, Some(v)) if v.is_finite() => *v,
                    _ => f64::NAN,
                }
            })
            .collect();
        let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        out.discriminates
            .push(finite.iter().any(|v| (v - finite[0]).abs() > 1e-12));
        out.given.push(finite.len());
        out.ranks.push(stats::rank_desc_min(&values));
    }
    out
}

/// The profile of `unit`, or `None` when the ranking does not have it.
pub fn profile(
    tables: &EditionTables,
    ranking: &Ranking,
    groups: &HashMap<String, PeerGroup>,
    unit: &str,
) -> Option<Profile> {
    let ranked = ranking.units.iter().find(|u| u.code == unit)?;
    let peer_group = groups.get(unit).cloned();
    let peers: Vec<&crate::compute::RankedUnit> = match &peer_group {
        Some(group) => ranking
            .units
            .iter()
            .filter(|u| groups.get(&u.code) == Some(group))
            .collect(),
        None => Vec::new(),
    };
    let aggregates = ranking
        .codes
        .iter()
        .enumerate()
        .map(|(k, code)| {
            let score_of = |u: &crate::compute::RankedUnit| u.scores.get(k).copied().flatten();
            AggregateStanding {
                code: code.clone(),
                score: score_of(ranked),
                rank: ranked.ranks.get(k).copied().flatten().or(if k == 0 {
                    ranked.rank
                } else {
                    None
                }),
                interval: ranked.intervals.get(k).copied().flatten().or(if k == 0 {
                    ranked.rank_low.zip(ranked.rank_high)
                } else {
                    None
                }),
                median_all: median(ranking.units.iter().filter_map(score_of)),
                median_group: (!peers.is_empty())
                    .then(|| median(peers.iter().copied().filter_map(score_of)))
                    .flatten(),
            }
        })
        .collect();
    let row = tables.last().units.iter().position(|u| u == unit);
    let ranks = tables.indicator_ranks();
    let indicators: Vec<IndicatorStanding> = tables
        .indicators()
        .iter()
        .enumerate()
        .map(|(j, code)| IndicatorStanding {
            code: code.clone(),
            raw: EditionTables::value(tables.raw(), unit, code),
            normalised: EditionTables::value(tables.last(), unit, code),
            rank: row
                .and_then(|r| ranks.ranks[j].get(r).copied())
                .filter(|r| r.is_finite() && *r >= 1.0)
                .map(|r| r as u32),
            of: ranks.given[j],
            discriminates: ranks.discriminates[j],
            evidence: tables
                .evidence
                .get(&(unit.to_string(), code.clone()))
                .cloned(),
        })
        .collect();
    let ranked_units = ranking.units.iter().filter(|u| u.rank.is_some()).count();
    let (strengths, weaknesses) = match ranked.rank {
        Some(rank) => strengths_and_weaknesses(rank, ranked_units, &indicators),
        None => (Vec::new(), Vec::new()),
    };
    Some(Profile {
        code: unit.to_string(),
        units: ranking.units.len(),
        aggregates,
        with_data: indicators.iter().filter(|i| i.raw.is_some()).count(),
        indicators,
        strengths,
        weaknesses,
        peer_group,
    })
}

/// The strengths and the weaknesses of a unit of overall rank `rank` among `ranked` units: the
/// positions in `indicators` by the rule of the module's documentation.
pub fn strengths_and_weaknesses(
    rank: u32,
    ranked: usize,
    indicators: &[IndicatorStanding],
) -> (Vec<usize>, Vec<usize>) {
    let overall = position(rank, ranked);
    let counted: Vec<(usize, f64)> = indicators
        .iter()
        .enumerate()
        .filter(|(_, i)| i.raw.is_some() && i.discriminates)
        .filter_map(|(k, i)| Some((k, position(i.rank?, i.of))))
        .collect();
    let keep = ((counted.len() as f64 * STRENGTH_SHARE).ceil() as usize).max(1);
    let mut strengths: Vec<(usize, f64)> = counted
        .iter()
        .copied()
        .filter(|(_, p)| *p <= overall)
        .collect();
    strengths.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let mut weaknesses: Vec<(usize, f64)> = counted
        .iter()
        .copied()
        .filter(|(_, p)| *p > overall)
        .collect();
    weaknesses.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let firsts = |list: Vec<(usize, f64)>| list.into_iter().take(keep).map(|(k, _)| k).collect();
    (firsts(strengths), firsts(weaknesses))
}

/// One edition of a unit's rank history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryPoint {
    pub edition: i64,
    pub year: i32,
    pub score: Option<f64>,
    pub rank: Option<u32>,
    pub rank_low: Option<u32>,
    pub rank_high: Option<u32>,
    /// How many units that edition ranked.
    pub units: usize,
}

/// A unit's rank history across editions (id, year, ranking), matched by unit code, oldest
/// year first; editions without the unit are left out.
pub fn history(unit: &str, editions: &[(i64, i32, &Ranking)]) -> Vec<HistoryPoint> {
    let mut points: Vec<HistoryPoint> = editions
        .iter()
        .filter_map(|(id, year, ranking)| {
            let u = ranking.units.iter().find(|u| u.code == unit)?;
            Some(HistoryPoint {
                edition: *id,
                year: *year,
                score: u.scores.first().copied().flatten(),
                rank: u.rank,
                rank_low: u.rank_low,
                rank_high: u.rank_high,
                units: ranking.units.len(),
            })
        })
        .collect();
    points.sort_by_key(|p| (p.year, p.edition));
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::compute;
    use crate::edition::tests::input;

    fn standing(code: &str, rank: Option<u32>, of: usize) -> IndicatorStanding {
        IndicatorStanding {
            code: code.into(),
            raw: rank.map(f64::from),
            normalised: None,
            rank,
            of,
            discriminates: true,
            evidence: None,
        }
    }

    #[test]
    fn positions_are_shares_of_the_field() {
        assert_eq!(position(1, 10), 0.0);
        assert_eq!(position(10, 10), 1.0);
        assert_eq!(position(3, 5), 0.5);
        assert_eq!(position(1, 1), 0.0);
    }

    #[test]
    fn medians_of_odd_and_even_counts_skip_missing_values() {
        assert_eq!(median([3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median([4.0, 1.0, 2.0, 3.0, f64::NAN]), Some(2.5));
        assert_eq!(median([]), None);
    }

    #[test]
    fn strengths_are_at_or_above_the_overall_standing_and_weaknesses_below() {
        // Overall 5th of 9: position 0.5. Twenty indicators among 9 units: k = 2.
        let mut list: Vec<IndicatorStanding> = (1..=9)
            .map(|r| standing(&format!("i{r}"), Some(r), 9))
            .collect();
        list.extend((1..=9).map(|r| standing(&format!("j{r}"), Some(r), 9)));
        list.push(standing("missing", None, 8));
        let mut flat = standing("flat", Some(1), 9);
        flat.discriminates = false;
        list.push(flat);
        let (strengths, weaknesses) = strengths_and_weaknesses(5, 9, &list);
        let codes = |ks: &[usize]| ks.iter().map(|&k| list[k].code.clone()).collect::<Vec<_>>();
        // 18 counted → k = 2; the best first, ties in framework order; the flat one never.
        assert_eq!(codes(&strengths), ["i1", "j1"]);
        assert_eq!(codes(&weaknesses), ["i9", "j9"]);
    }

    #[test]
    fn the_first_unit_has_no_weakness_above_it_and_only_rank_one_strengths() {
        let list: Vec<IndicatorStanding> = [1, 1, 2, 4]
            .iter()
            .enumerate()
            .map(|(k, &r)| standing(&format!("i{k}"), Some(r), 4))
            .collect();
        let (strengths, weaknesses) = strengths_and_weaknesses(1, 4, &list);
        assert_eq!(strengths, [0]); // k = ⌈0.4⌉ = 1
        assert_eq!(weaknesses, [3]);
        // The last unit: everything is at or above its standing.
        let (strengths, weaknesses) = strengths_and_weaknesses(4, 4, &list);
        assert_eq!((strengths, weaknesses), (vec![0], vec![]));
    }

    #[test]
    fn population_bands_and_data_groups_make_peer_groups() {
        assert_eq!(PopulationBand::of(999_999), PopulationBand::Under1M);
        assert_eq!(PopulationBand::of(1_000_000), PopulationBand::From1To3M);
        assert_eq!(PopulationBand::of(3_000_001), PopulationBand::Over3M);
        let edition = input().parse().expect("valid");
        let tables = EditionTables::build(&edition).expect("built");
        let populations: HashMap<String, i64> = [
            ("AAA".to_string(), 12_000_000),
            ("BBB".to_string(), 500_000),
        ]
        .into();
        let groups = peer_groups(&tables, &populations);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups["AAA"].key(), "pop-over-3m");
    }

    #[test]
    fn a_profile_holds_scores_medians_indicators_and_availability() {
        let edition = crate::edition::EditionInput {
            data: Some(crate::edition::tests::DATA.replace("BBB,Beta,0,50,200", "BBB,Beta,0,,200")),
            spec: "[[step]]\nop = \"impute\"\nmethod = \"mean\"\n[[step]]\nop = \"normalise\"\nmethod = \"minmax\"\n[[step]]\nop = \"aggregate\"\nmethod = \"amean\"\n".into(),
            ..input()
        }
        .parse()
        .expect("valid");
        let ranking = compute(&edition, &|_| {}).expect("computed").ranking;
        let tables = EditionTables::build(&edition).expect("built");
        let p = profile(&tables, &ranking, &HashMap::new(), "BBB").expect("ranked");
        assert_eq!(p.aggregates.len(), 3);
        assert_eq!(p.aggregates[0].median_group, None);
        let scores: Vec<f64> = ranking.units.iter().filter_map(|u| u.scores[0]).collect();
        assert_eq!(p.aggregates[0].median_all, median(scores));
        assert_eq!(p.with_data, 2);
        assert!((p.availability() - 2.0 / 3.0).abs() < 1e-12);
        let speed = &p.indicators[1];
        assert_eq!((speed.raw, speed.rank, speed.of), (None, None, 3));
        // Waste: lower is better; Beta's 200 is the least of all.
        let waste = p
            .indicators
            .iter()
            .find(|i| i.code == "waste")
            .expect("waste");
        assert_eq!((waste.rank, waste.of), (Some(1), 4));
        assert!(profile(&tables, &ranking, &HashMap::new(), "nobody").is_none());
    }

    #[test]
    fn history_is_by_year_and_skips_editions_without_the_unit() {
        let edition = input().parse().expect("valid");
        let ranking = compute(&edition, &|_| {}).expect("computed").ranking;
        let empty = Ranking {
            units: Vec::new(),
            ..ranking.clone()
        };
        let points = history(
            "AAA",
            &[(2, 2025, &ranking), (1, 2024, &ranking), (3, 2023, &empty)],
        );
        let years: Vec<i32> = points.iter().map(|p| p.year).collect();
        assert_eq!(years, [2024, 2025]);
        assert_eq!(points[0].units, 4);
    }
}

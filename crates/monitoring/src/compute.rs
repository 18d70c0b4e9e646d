//! Computing an edition: the engine's build (scores and ranks of every aggregate) and an
//! uncertainty analysis that gives each unit a rank interval; and the pin that identifies a
//! result, so that the same pin computed again gives the same bytes.
//!
//! The analysis is the spec's `[analysis]`, or when it has none the default below
//! ([`default_analysis`]): an uncertainty analysis of [`DEFAULT_RUNS`] runs with seed
//! [`DEFAULT_SEED`] that varies
//! - the weights: every weight of the levels under the index (levels 2 … top − 1; level 1 when
//!   the indicators feed the index directly) gets relative noise of ±[`DEFAULT_WEIGHT_NOISE`]
//!   (COINr's `get_noisy_weights`, 100 replications), and
//! - the normalisation, when the build normalises: min-max on [0, 100] or z-scores with mean 10
//!   and standard deviation 2 (COINr's example alternatives), equally likely.
//!
//! In both cases the analysis targets the top aggregate, the one the ranking is of. A unit's
//! interval is from the 5th to the 95th percentile of its simulated ranks (the engine's Q5, Q95),
//! widened to whole ranks (Q5 down, Q95 up) and always holding the nominal rank.
//!
//! Every other aggregate gets its intervals the same way: the analysis is run again aimed at it.
//! The random design depends only on the seed and the inputs, not on the target, so every
//! aggregate is ranked over the same simulated builds.
//!
//! Which assumption moves the ranks most ([`InputEffect`]): a sensitivity analysis gives each
//! input's first-order and total indices (Si, STi) of the mean absolute rank shift of the top
//! aggregate. An uncertainty analysis has no such indices, so each input is varied alone (the
//! same N and seed, the other inputs at their nominal values) and its effect is the mean absolute
//! rank shift of the units against the nominal ranking over those runs.
use crate::edition::{Edition, InputError, Methodology};
use megapolis_index::pipeline;
use megapolis_index::sensitivity::{self, Options};
use megapolis_index::spec::{AnalysisKind, AnalysisSpec, Input, InputKind, Step};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use toml::{Table, Value};

/// Runs of the default uncertainty analysis.
pub const DEFAULT_RUNS: usize = 1000;
/// Seed of the default analysis: fixed, so a result is reproducible.
pub const DEFAULT_SEED: u64 = 1;
/// Relative noise on the weights in the default analysis.
pub const DEFAULT_WEIGHT_NOISE: f64 = 0.25;
/// Noisy copies of the weights the default analysis draws from.
const DEFAULT_WEIGHT_REPLICATIONS: usize = 100;

/// Why an edition could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComputeError {
    #[error("the edition has no verified data to compute")]
    NoData,
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("the index engine: {0}")]
    Engine(String),
}

/// How the rank intervals were found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalysisInfo {
    /// uncertainty | sensitivity
    pub kind: String,
    /// N of the analysis.
    pub runs: usize,
    pub seed: u64,
    /// The documented default was used (the spec has no `[analysis]`).
    pub default: bool,
    /// The aggregate whose ranks were simulated.
    pub target: String,
    /// Runs whose build failed (e.g. a geometric mean of a negative z-score).
    pub failed_runs: usize,
    /// How much each varied input moves the ranks (empty in results stored before it existed).
    #[serde(default)]
    pub effects: Vec<InputEffect>,
}

/// What one input of the analysis does to the ranking of the top aggregate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputEffect {
    /// The input's name in the analysis (e.g. "Weights", "Normalisation").
    pub input: String,
    /// Uncertainty analysis: the mean absolute rank shift when this input alone varies.
    pub mean_shift: Option<f64>,
    /// Sensitivity analysis: the first-order index.
    pub si: Option<f64>,
    /// Sensitivity analysis: the total index.
    pub sti: Option<f64>,
}

/// One unit of the ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedUnit {
    /// uCode.
    pub code: String,
    /// uName as given in iData ("" when none).
    pub name: String,
    /// Rank by the top aggregate (ties share the better rank); none when its score is missing.
    pub rank: Option<u32>,
    pub rank_low: Option<u32>,
    pub rank_high: Option<u32>,
    /// The score of each aggregate of [`Ranking::codes`], in that order.
    pub scores: Vec<Option<f64>>,
    /// The rank by each aggregate of [`Ranking::codes`] (ties share the better rank).
    #[serde(default)]
    pub ranks: Vec<Option<u32>>,
    /// The rank interval by each aggregate of [`Ranking::codes`]; the first is
    /// (`rank_low`, `rank_high`).
    #[serde(default)]
    pub intervals: Vec<Option<(u32, u32)>>,
}

/// The result of an edition: the aggregates (top level first, framework order within a level)
/// and the units in rank order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    pub codes: Vec<String>,
    pub units: Vec<RankedUnit>,
    pub analysis: AnalysisInfo,
}

impl Ranking {
    /// The stored form: JSON whose numbers read back to the same bits.
    pub fn to_json(&self) -> String {
        // A Ranking holds only strings, integers and finite floats: it always serialises.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<Ranking, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

/// A computed edition: its pin and its ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Computed {
    pub pin: String,
    pub ranking: Ranking,
}

/// The default `[analysis]` for a build without one (see the module's documentation); `None`
/// when the build has no aggregation to vary.
pub fn default_analysis(methodology: &Methodology, target: &str) -> Option<AnalysisSpec> {
    let steps = &methodology.spec.steps;
    steps
        .iter()
        .position(|s| matches!(s, Step::Aggregate { .. }))?;
    let top = methodology.framework.max_level;
    let levels: Vec<u32> = if top > 2 { (2..top).collect() } else { vec![1] };
    let mut inputs = vec![Input {
        name: "Weights".into(),
        kind: InputKind::NoisyWeights {
            levels,
            noise: DEFAULT_WEIGHT_NOISE,
            replications: DEFAULT_WEIGHT_REPLICATIONS,
        },
    }];
    if let Some(step) = steps.iter().position(|s| matches!(s, Step::Normalise(_))) {
        let minmax = table(&[
            ("method", Value::String("minmax".into())),
            ("l_u", numbers(&[0, 100])),
        ]);
        let zscore = table(&[
            ("method", Value::String("zscore".into())),
            ("m_sd", numbers(&[10, 2])),
        ]);
        inputs.push(Input {
            name: "Normalisation".into(),
            kind: InputKind::Alternatives {
                step,
                alternatives: vec![minmax, zscore],
            },
        });
    }
    Some(AnalysisSpec {
        kind: AnalysisKind::Uncertainty,
        n: DEFAULT_RUNS,
        seed: DEFAULT_SEED,
        target: target.to_string(),
        bootstrap: 0,
        inputs,
    })
}

fn table(entries: &[(&str, Value)]) -> Table {
    entries
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn numbers(values: &[i64]) -> Value {
    Value::Array(values.iter().map(|v| Value::Integer(*v)).collect())
}

/// The analysis the edition is computed with: the spec's own, aimed at the top aggregate, or the
/// default. The bool says whether it is the default.
fn analysis_of(methodology: &Methodology, target: &str) -> Option<(AnalysisSpec, bool)> {
    match &methodology.spec.analysis {
        Some(own) => Some((
            AnalysisSpec {
                target: target.to_string(),
                ..own.clone()
            },
            false,
        )),
        None => default_analysis(methodology, target).map(|a| (a, true)),
    }
}

/// The code of the top aggregate (the first at the highest level).
fn top_aggregate(methodology: &Methodology) -> Option<String> {
    let fw = &methodology.framework;
    fw.aggregates_at(fw.max_level)
        .first()
        .map(|&i| fw.nodes[i].code.clone())
}

/// The pin of an edition's result: SHA-256 (hex) of the engine's and this crate's versions, the
/// meta, spec and data texts and the seed of the analysis. Each field is length-prefixed so no
/// two different inputs run together into the same bytes.
pub fn pin(edition: &Edition) -> String {
    let seed = edition
        .methodology()
        .ok()
        .and_then(|m| m.spec.analysis.map(|a| a.seed))
        .unwrap_or(DEFAULT_SEED);
    let mut hash = Sha256::new();
    let fields: [(&str, &str); 6] = [
        ("engine", megapolis_index::VERSION),
        ("monitoring", env!("CARGO_PKG_VERSION")),
        ("meta", edition.meta()),
        ("spec", edition.spec()),
        ("data", edition.data().unwrap_or("")),
        ("seed", &seed.to_string()),
    ];
    for (name, value) in fields {
        hash.update(name.as_bytes());
        hash.update((value.len() as u64).to_be_bytes());
        hash.update(value.as_bytes());
    }
    hex::encode(hash.finalize())
}

/// Computes an edition: the build, then the analysis of every aggregate, then the effect of each
/// input, reporting progress in percent.
pub fn compute(
    edition: &Edition,
    progress: &(dyn Fn(u8) + Sync),
) -> Result<Computed, ComputeError> {
    let methodology = edition.methodology()?;
    let data = methodology.data.as_ref().ok_or(ComputeError::NoData)?;
    let fw = &methodology.framework;
    progress(1);
    let built = pipeline::build(fw, data, &methodology.spec)
        .map_err(|e| ComputeError::Engine(e.to_string()))?;
    let table = pipeline::results(fw, &built);
    progress(5);
    let target = top_aggregate(&methodology)
        .ok_or_else(|| ComputeError::Engine("the framework has no aggregate".into()))?;
    let (analysis, default) = analysis_of(&methodology, &target)
        .ok_or_else(|| ComputeError::Engine("the build has no aggregate step".into()))?;
    // The aggregates of the results table (it lists indicators after them).
    let columns: Vec<usize> = table
        .codes
        .iter()
        .enumerate()
        .filter(|(_, c)| fw.find(c).is_some_and(|i| fw.nodes[i].level > 1))
        .map(|(j, _)| j)
        .collect();
    // One analysis per aggregate (the top one first), then one per input varied alone.
    let effect_runs = match analysis.kind {
        AnalysisKind::Uncertainty if analysis.inputs.len() > 1 => analysis.inputs.len(),
        _ => 0,
    };
    let total_runs = columns.len() + effect_runs;
    let simulate = |k: usize, analysis: AnalysisSpec| {
        let spec = megapolis_index::spec::BuildSpec {
            analysis: Some(analysis),
            ..methodology.spec.clone()
        };
        let report = |done: usize, total: usize| {
            let share = if total == 0 {
                1.0
            } else {
                done as f64 / total as f64
            };
            let overall = (k as f64 + share) / total_runs.max(1) as f64;
            progress(5 + (overall * 90.0).floor().min(90.0) as u8);
        };
        sensitivity::run(fw, data, &spec, &Options { threads: None }, &report)
            .map_err(|e| ComputeError::Engine(e.to_string()))
    };
    let mut failed_runs = 0;
    let mut quantiles: Vec<HashMap<String, (f64, f64)>> = Vec::with_capacity(columns.len());
    let mut main_outputs = Vec::new();
    let mut indices = None;
    for (k, &j) in columns.iter().enumerate() {
        let simulated = simulate(
            k,
            AnalysisSpec {
                target: table.codes[j].clone(),
                ..analysis.clone()
            },
        )?;
        if k == 0 {
            failed_runs = simulated.failed_runs;
            main_outputs = simulated.outputs;
            indices = simulated.indices;
        }
        quantiles.push(
            simulated
                .rank_stats
                .into_iter()
                .map(|s| (s.unit, (s.q5, s.q95)))
                .collect(),
        );
    }
    let effects = match indices {
        Some(indices) => indices
            .into_iter()
            .map(|i| InputEffect {
                input: i.variable,
                mean_shift: None,
                si: Some(i.si).filter(|v| v.is_finite()),
                sti: Some(i.sti).filter(|v| v.is_finite()),
            })
            .collect(),
        None if effect_runs == 0 => analysis
            .inputs
            .iter()
            .map(|input| InputEffect {
                input: input.name.clone(),
                mean_shift: mean_of_finite(&main_outputs),
                si: None,
                sti: None,
            })
            .collect(),
        None => {
            let mut effects = Vec::with_capacity(effect_runs);
            for (k, input) in analysis.inputs.iter().enumerate() {
                let alone = simulate(
                    columns.len() + k,
                    AnalysisSpec {
                        inputs: vec![input.clone()],
                        ..analysis.clone()
                    },
                )?;
                effects.push(InputEffect {
                    input: input.name.clone(),
                    mean_shift: mean_of_finite(&alone.outputs),
                    si: None,
                    sti: None,
                });
            }
            effects
        }
    };
    let names: HashMap<&str, &str> = data
        .ucode
        .iter()
        .zip(&data.uname)
        .map(|(c, n)| (c.as_str(), n.as_str()))
        .collect();
    let units = table
        .units
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let ranks: Vec<Option<u32>> = columns
                .iter()
                .map(|&j| whole_rank(table.ranks[j][i]))
                .collect();
            let intervals: Vec<Option<(u32, u32)>> = ranks
                .iter()
                .zip(&quantiles)
                .map(|(&rank, q)| match interval(rank, q.get(code).copied()) {
                    (Some(low), Some(high)) => Some((low, high)),
                    _ => None,
                })
                .collect();
            let rank = whole_rank(table.rank[i]);
            let (low, high) = interval(rank, quantiles.first().and_then(|q| q.get(code)).copied());
            RankedUnit {
                code: code.clone(),
                name: names.get(code.as_str()).copied().unwrap_or("").to_string(),
                rank,
                rank_low: low,
                rank_high: high,
                scores: columns
                    .iter()
                    .map(|&j| Some(table.scores[j][i]).filter(|s| s.is_finite()))
                    .collect(),
                ranks,
                intervals,
            }
        })
        .collect();
    progress(100);
    Ok(Computed {
        pin: pin(edition),
        ranking: Ranking {
            codes: columns.iter().map(|&j| table.codes[j].clone()).collect(),
            units,
            analysis: AnalysisInfo {
                kind: match analysis.kind {
                    AnalysisKind::Uncertainty => "uncertainty",
                    AnalysisKind::Sensitivity => "sensitivity",
                }
                .into(),
                runs: analysis.n,
                seed: analysis.seed,
                default,
                target,
                failed_runs,
                effects,
            },
        },
    })
}

/// The mean of the finite values (a failed run's output is NaN), if any.
fn mean_of_finite(values: &[f64]) -> Option<f64> {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    (!finite.is_empty()).then(|| finite.iter().sum::<f64>() / finite.len() as f64)
}

fn whole_rank(rank: f64) -> Option<u32> {
    (rank.is_finite() && rank >= 1.0).then_some(rank as u32)
}

/// The whole-rank interval of a unit: Q5 rounded down, Q95 rounded up, widened to hold the
/// nominal rank; the nominal rank alone when no run ranked the unit.
pub fn interval(rank: Option<u32>, quantiles: Option<(f64, f64)>) -> (Option<u32>, Option<u32>) {
    let Some(rank) = rank else {
        return (None, None);
    };
    let (low, high) = match quantiles {
        Some((q5, q95)) if q5.is_finite() && q95.is_finite() => {
            (q5.floor().max(1.0) as u32, q95.ceil().max(1.0) as u32)
        }
        _ => (rank, rank),
    };
    (Some(low.min(rank)), Some(high.max(rank)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::tests::input;

    fn no_progress(_: u8) {}

    #[test]
    fn intervals_are_whole_ranks_around_the_nominal_rank() {
        assert_eq!(interval(Some(3), Some((2.45, 4.05))), (Some(2), Some(5)));
        assert_eq!(interval(Some(3), Some((3.0, 3.0))), (Some(3), Some(3)));
        // A nominal rank outside the simulated band still lies in the interval.
        assert_eq!(interval(Some(1), Some((2.2, 3.7))), (Some(1), Some(4)));
        assert_eq!(
            interval(Some(2), Some((f64::NAN, f64::NAN))),
            (Some(2), Some(2))
        );
        assert_eq!(interval(None, Some((1.0, 2.0))), (None, None));
    }

    #[test]
    fn the_default_analysis_varies_weights_and_normalisation() {
        let edition = input().parse().expect("valid");
        let m = edition.methodology().expect("m");
        let a = default_analysis(&m, "Index").expect("analysis");
        assert_eq!(
            (a.n, a.seed, a.kind),
            (DEFAULT_RUNS, DEFAULT_SEED, AnalysisKind::Uncertainty)
        );
        assert_eq!(a.inputs.len(), 2);
        assert!(
            matches!(&a.inputs[0].kind, InputKind::NoisyWeights { levels, .. } if levels == &[2])
        );
    }

    #[test]
    fn a_computation_ranks_every_unit_with_an_interval() {
        let edition = input().parse().expect("valid");
        let computed = compute(&edition, &no_progress).expect("computed");
        let r = &computed.ranking;
        assert_eq!(r.codes, ["Index", "Digital", "Green"]);
        assert_eq!(r.units.len(), 4);
        assert!(r.analysis.default);
        for (k, u) in r.units.iter().enumerate() {
            let rank = u.rank.expect("ranked");
            assert!(u.rank_low.expect("low") <= rank && rank <= u.rank_high.expect("high"));
            assert_eq!(u.scores.len(), 3);
            if k > 0 {
                assert!(r.units[k - 1].scores[0] >= u.scores[0], "rank order");
            }
        }
        assert_eq!(
            r.units
                .iter()
                .find(|u| u.code == "BBB")
                .map(|u| u.name.as_str()),
            Some("Beta")
        );
    }

    #[test]
    fn every_aggregate_has_its_ranks_and_intervals_and_every_input_its_effect() {
        let edition = input().parse().expect("valid");
        let r = compute(&edition, &no_progress).expect("computed").ranking;
        for u in &r.units {
            assert_eq!((u.ranks.len(), u.intervals.len()), (3, 3));
            assert_eq!(u.ranks[0], u.rank);
            assert_eq!(u.intervals[0], u.rank_low.zip(u.rank_high));
            for (rank, interval) in u.ranks.iter().zip(&u.intervals) {
                let (rank, (low, high)) = (rank.expect("rank"), interval.expect("interval"));
                assert!(low <= rank && rank <= high, "{u:?}");
            }
        }
        let names: Vec<&str> = r
            .analysis
            .effects
            .iter()
            .map(|e| e.input.as_str())
            .collect();
        assert_eq!(names, ["Weights", "Normalisation"]);
        assert!(r
            .analysis
            .effects
            .iter()
            .all(|e| e.mean_shift.is_some_and(|m| m >= 0.0) && e.si.is_none()));
    }

    #[test]
    fn a_sensitivity_analysis_gives_si_and_sti_per_input() {
        let spec = format!(
            "{}\n[analysis]\nkind = \"sensitivity\"\nn = 20\nseed = 5\n[[analysis.input]]\nname = \"W\"\nnoisy_weights = {{ levels = [2], noise = 0.5, replications = 10 }}\n[[analysis.input]]\nname = \"N\"\nstep = \"normalise\"\nalternatives = [ {{ method = \"minmax\", l_u = [0, 100] }}, {{ method = \"zscore\", m_sd = [10, 2] }} ]\n",
            crate::edition::tests::SPEC
        );
        let edition = crate::edition::EditionInput { spec, ..input() }
            .parse()
            .expect("valid");
        let r = compute(&edition, &no_progress).expect("computed").ranking;
        assert_eq!(r.analysis.kind, "sensitivity");
        assert_eq!(r.analysis.effects.len(), 2);
        assert!(r.analysis.effects.iter().all(|e| e.mean_shift.is_none()));
    }

    #[test]
    fn a_result_stored_before_intervals_per_aggregate_still_reads() {
        let old = r#"{"codes":["Index"],"units":[{"code":"A","name":"","rank":1,"rank_low":1,"rank_high":1,"scores":[50.0]}],"analysis":{"kind":"uncertainty","runs":10,"seed":1,"default":true,"target":"Index","failed_runs":0}}"#;
        let r = Ranking::from_json(old).expect("reads");
        assert!(r.units[0].intervals.is_empty() && r.analysis.effects.is_empty());
    }

    #[test]
    fn scores_are_the_engines() {
        let edition = input().parse().expect("valid");
        let m = edition.methodology().expect("m");
        let data = m.data.as_ref().expect("data");
        let built = pipeline::build(&m.framework, data, &m.spec).expect("build");
        let table = pipeline::results(&m.framework, &built);
        let computed = compute(&edition, &no_progress).expect("computed");
        for (i, unit) in computed.ranking.units.iter().enumerate() {
            assert_eq!(unit.code, table.units[i]);
            assert_eq!(unit.scores[0], Some(table.scores[0][i]));
            assert_eq!(unit.rank, Some(table.rank[i] as u32));
        }
    }

    #[test]
    fn the_same_pin_gives_the_same_bytes() {
        let edition = input().parse().expect("valid");
        let a = compute(&edition, &no_progress).expect("a");
        let b = compute(&edition, &no_progress).expect("b");
        assert_eq!(a.pin, b.pin);
        assert_eq!(a.pin.len(), 64);
        assert_eq!(a.ranking.to_json(), b.ranking.to_json());
        // What is stored reads back to the same numbers, bit for bit.
        let back = Ranking::from_json(&a.ranking.to_json()).expect("read back");
        assert_eq!(back, a.ranking);
        let other = crate::edition::EditionInput {
            data: Some(crate::edition::tests::DATA.replace("AAA,Alpha,1,100", "AAA,Alpha,1,99")),
            ..input()
        }
        .parse()
        .expect("valid");
        assert_ne!(pin(&other), a.pin, "other data, other pin");
    }

    #[test]
    fn the_specs_own_analysis_is_used_and_aimed_at_the_index() {
        let spec = format!(
            "{}\n[analysis]\nn = 20\nseed = 7\ntarget = \"Digital\"\n[[analysis.input]]\nname = \"W\"\nnoisy_weights = {{ levels = [2], noise = 0.5, replications = 10 }}\n",
            crate::edition::tests::SPEC
        );
        let edition = crate::edition::EditionInput { spec, ..input() }
            .parse()
            .expect("valid");
        let r = compute(&edition, &no_progress).expect("computed").ranking;
        assert_eq!(
            (r.analysis.runs, r.analysis.seed, r.analysis.default),
            (20, 7, false)
        );
        assert_eq!(r.analysis.target, "Index");
    }

    #[test]
    fn without_data_there_is_nothing_to_compute() {
        let edition = crate::edition::EditionInput {
            data: None,
            ..input()
        }
        .parse()
        .expect("valid");
        assert_eq!(compute(&edition, &no_progress), Err(ComputeError::NoData));
    }
}

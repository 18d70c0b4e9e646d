//! Uncertainty and sensitivity analysis with COINr's `get_sensitivity` / `get_noisy_weights`
//! semantics: the output of a run is the mean absolute rank shift of the target against the
//! nominal ranking; Si and STi use COINr's estimators (`SA_estimate`) on a Saltelli design of
//! `N·(d+2)` runs, with bootstrap quantiles.
//!
//! Determinism: the whole random design (sample matrix, noisy weights, bootstrap draws) is drawn
//! from `ChaCha8Rng` streams (one stream per chunk of rows / per input / per variable) before or
//! after the parallel part; runs are pure functions of their parameters and are collected in run
//! order. The result is therefore identical for any number of threads.
//!
//! Speed: steps before the first varied step run once. When every varied input before the
//! aggregation is discrete, the data sets entering the aggregation are computed once per
//! combination of those inputs (in parallel) and each run only aggregates and ranks.
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use toml::{Table, Value};

use crate::error::{IndexError, Result};
use crate::model::{DataSet, Framework, UnitData};
use crate::ops::{self, AggMethod, AggScratch, Plan};
use crate::pipeline::Context;
use crate::spec::{AnalysisKind, AnalysisSpec, BuildSpec, InputKind, Step, WeightSource};
use crate::stats;

/// Rank statistics of one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct RankStat {
    /// uCode.
    pub unit: String,
    /// Nominal rank.
    pub nominal: f64,
    /// Mean rank over the runs.
    pub mean: f64,
    /// Median rank.
    pub median: f64,
    /// 5th percentile (R type 7).
    pub q5: f64,
    /// 95th percentile.
    pub q95: f64,
}

/// Sensitivity indices of one input.
#[derive(Debug, Clone, PartialEq)]
pub struct SensIndex {
    /// Input name.
    pub variable: String,
    /// First-order index.
    pub si: f64,
    /// Total index.
    pub sti: f64,
    /// Bootstrap 5% quantile of Si.
    pub si_q5: f64,
    /// Bootstrap 95% quantile of Si.
    pub si_q95: f64,
    /// Bootstrap 5% quantile of STi.
    pub sti_q5: f64,
    /// Bootstrap 95% quantile of STi.
    pub sti_q95: f64,
}

/// Result of an analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityResult {
    /// Rank statistics per unit (over the N runs of an uncertainty analysis, the first 2N of a
    /// sensitivity analysis, as COINr).
    pub rank_stats: Vec<RankStat>,
    /// Sensitivity indices (sensitivity analysis only).
    pub indices: Option<Vec<SensIndex>>,
    /// Output (mean absolute rank shift) of every run.
    pub outputs: Vec<f64>,
    /// Runs whose build failed (e.g. geometric mean of a negative value); their output is missing.
    pub failed_runs: usize,
}

/// Options of the run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Number of threads (`None`: rayon's global pool, all cores).
    pub threads: Option<usize>,
}

#[derive(Debug, Clone, Copy)]
enum Choice {
    Index(usize),
    Value(f64),
}

/// Data entering the aggregation for one combination of discrete inputs.
struct Entry {
    vals: Vec<f64>,
    ln: Option<Vec<f64>>,
    nan_free: Vec<bool>,
    /// Level-2 aggregates precomputed with the nominal weights, per (method, dat_thresh).
    lvl2: Vec<(
        (AggMethod, Option<u64>),
        std::result::Result<Vec<f64>, String>,
    )>,
    /// Position of each row in the prefix units.
    unit_map: Vec<usize>,
}

struct Engine<'a> {
    ctx: Context<'a>,
    spec: &'a BuildSpec,
    an: &'a AnalysisSpec,
    prefix: DataSet,
    first: usize,
    agg: Option<usize>,
    plan: Plan,
    noisy: HashMap<usize, Vec<Vec<f64>>>,
    cache: Option<(
        Vec<usize>,
        Vec<usize>,
        Vec<std::result::Result<Entry, String>>,
    )>,
    target_col: Option<usize>,
    /// Plan without the level-2 aggregates (computed from the cache).
    upper: Plan,
    /// Plan of the level-2 aggregates only.
    lower: Plan,
    /// Level-2 cache usable: noise does not touch indicator weights.
    lvl2_ok: bool,
}

fn step_of(k: &InputKind) -> Option<usize> {
    match k {
        InputKind::Values { step, .. }
        | InputKind::Continuous { step, .. }
        | InputKind::Alternatives { step, .. } => Some(*step),
        InputKind::NoisyWeights { .. } => None,
    }
}

fn n_choices(k: &InputKind) -> Option<usize> {
    match k {
        InputKind::Values { values, .. } => Some(values.len()),
        InputKind::Alternatives { alternatives, .. } => Some(alternatives.len()),
        InputKind::NoisyWeights { replications, .. } => Some(*replications),
        InputKind::Continuous { .. } => None,
    }
}

impl<'a> Engine<'a> {
    fn patched(&self, step: usize, choices: &[Choice]) -> std::result::Result<Step, String> {
        let mut t: Table = self.spec.step_tables[step].clone();
        for (inp, ch) in self.an.inputs.iter().zip(choices) {
            match (&inp.kind, ch) {
                (
                    InputKind::Values {
                        step: s,
                        param,
                        values,
                    },
                    Choice::Index(i),
                ) if *s == step => {
                    t.insert(param.clone(), values[*i].clone());
                }
                (InputKind::Continuous { step: s, param, .. }, Choice::Value(v)) if *s == step => {
                    let v = if matches!(t.get(param), Some(Value::Integer(_))) || param == "winmax"
                    {
                        Value::Integer(v.round() as i64)
                    } else {
                        Value::Float(*v)
                    };
                    t.insert(param.clone(), v);
                }
                (
                    InputKind::Alternatives {
                        step: s,
                        alternatives,
                    },
                    Choice::Index(i),
                ) if *s == step => {
                    let op = t.get("op").cloned().unwrap_or(Value::String(String::new()));
                    t = alternatives[*i].clone();
                    t.insert("op".into(), op);
                }
                _ => {}
            }
        }
        let mut s = Step::from_table(&t)?;
        // a weights file of the nominal step was resolved by io: keep the resolved source
        if let (Step::Aggregate { weights, .. }, Step::Aggregate { weights: w0, .. }) =
            (&mut s, &self.spec.steps[step])
        {
            if matches!(weights, WeightSource::File(_))
                || t.get("weights") == self.spec.step_tables[step].get("weights")
            {
                *weights = w0.clone();
            }
        }
        Ok(s)
    }

    /// Data entering the aggregation (or the final data set when there is none), from the prefix.
    fn pre_agg(&self, choices: &[Choice]) -> std::result::Result<DataSet, String> {
        let end = self.agg.unwrap_or(self.spec.steps.len());
        let mut d = self.prefix.clone();
        for k in self.first..end {
            let st = self.patched(k, choices)?;
            d = self.ctx.apply(k, &st, &d).map_err(|e| e.to_string())?.0;
        }
        Ok(d)
    }

    fn make_entry(&self, d: &DataSet, want_ln: bool) -> Entry {
        let n = d.units.len();
        let mut vals = Vec::with_capacity(self.plan.n_ind * n);
        for c in &d.cols {
            vals.extend_from_slice(c);
        }
        let _ = n;
        let ln = want_ln.then(|| {
            vals.iter()
                .map(|x| if *x > 0.0 { x.ln() } else { f64::NAN })
                .collect()
        });
        let pos: HashMap<&str, usize> = self
            .prefix
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.as_str(), i))
            .collect();
        Entry {
            lvl2: Vec::new(),
            nan_free: d
                .cols
                .iter()
                .map(|c| !c.iter().any(|x| x.is_nan()))
                .collect(),
            vals,
            ln,
            unit_map: d
                .units
                .iter()
                .filter_map(|u| pos.get(u.as_str()).copied())
                .collect(),
        }
    }

    /// One run: scores of the target on the prefix units (NaN where absent), or an error.
    fn run(&self, choices: &[Choice], s: &mut Scratch) -> std::result::Result<(), String> {
        let n0 = self.prefix.units.len();
        s.scores.clear();
        s.scores.resize(n0, f64::NAN);
        let Some(agg) = self.agg else {
            let d = self.pre_agg(choices)?;
            let col = d.col(&self.an.target).ok_or("target not found")?;
            let pos: HashMap<&str, usize> = self
                .prefix
                .units
                .iter()
                .enumerate()
                .map(|(i, u)| (u.as_str(), i))
                .collect();
            for (i, u) in d.units.iter().enumerate() {
                if let Some(&p) = pos.get(u.as_str()) {
                    s.scores[p] = col[i];
                }
            }
            return Ok(());
        };
        let st = self.patched(agg, choices)?;
        let Step::Aggregate {
            method,
            weights,
            dat_thresh,
        } = &st
        else {
            return Err("aggregate step changed op".into());
        };
        let owned;
        let entry: &Entry = match &self.cache {
            Some((inputs, radix, entries)) => {
                let mut key = 0;
                for (&i, &r) in inputs.iter().zip(radix) {
                    let Choice::Index(c) = choices[i] else {
                        return Err("cache key".into());
                    };
                    key = key * r + c;
                }
                entries[key].as_ref().map_err(|e| e.clone())?
            }
            None => {
                let d = self.pre_agg(choices)?;
                owned = self.make_entry(&d, *method == AggMethod::GMean);
                &owned
            }
        };
        let mut w = self.ctx.base_weights(weights).map_err(|e| e.to_string())?;
        for (k, inp) in self.an.inputs.iter().enumerate() {
            if let (InputKind::NoisyWeights { .. }, Choice::Index(r)) = (&inp.kind, choices[k]) {
                if let Some(f) = self.noisy.get(&k) {
                    w.iter_mut().zip(&f[r]).for_each(|(a, b)| *a *= b);
                }
            }
        }
        let n = entry.unit_map.len();
        let tc = self.target_col.ok_or("target not found")?;
        if matches!(weights, WeightSource::Pca) {
            let d = self.pre_agg(choices)?;
            let (vals, _) = self.ctx.aggregate(&d, &mut w, *method, *dat_thresh, true)?;
            for (i, &p) in entry.unit_map.iter().enumerate() {
                s.scores[p] = vals[tc * n + i];
            }
            return Ok(());
        }
        let ln = if *method == AggMethod::GMean {
            entry.ln.as_deref()
        } else {
            None
        };
        let n_agg = self.plan.agg_children.len();
        s.vals.clear();
        let nominal_src =
            matches!(&self.spec.steps[agg], Step::Aggregate { weights: w0, .. } if w0 == weights);
        let cached = if self.lvl2_ok && nominal_src {
            let key = (*method, dat_thresh.map(f64::to_bits));
            entry.lvl2.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
        } else {
            None
        };
        match cached {
            Some(lv) => {
                s.vals
                    .extend_from_slice(lv.as_ref().map_err(|e| e.clone())?);
                ops::aggregate(
                    &self.upper,
                    &entry.vals,
                    ln,
                    Some(&entry.nan_free),
                    &mut s.vals,
                    n,
                    &w,
                    *method,
                    *dat_thresh,
                    &mut s.agg,
                )?;
            }
            None => {
                s.vals.resize(n_agg * n, f64::NAN);
                ops::aggregate(
                    &self.plan,
                    &entry.vals,
                    ln,
                    Some(&entry.nan_free),
                    &mut s.vals,
                    n,
                    &w,
                    *method,
                    *dat_thresh,
                    &mut s.agg,
                )?;
            }
        }
        for (i, &p) in entry.unit_map.iter().enumerate() {
            s.scores[p] = if tc < self.plan.n_ind {
                entry.vals[tc * n + i]
            } else {
                s.vals[(tc - self.plan.n_ind) * n + i]
            };
        }
        Ok(())
    }
}

#[derive(Default)]
struct Scratch {
    vals: Vec<f64>,
    scores: Vec<f64>,
    ranks: Vec<f64>,
    idx: Vec<usize>,
    agg: AggScratch,
}

fn uniform_rows(seed: u64, rows: usize, cols: usize) -> Vec<f64> {
    const CHUNK: usize = 256;
    let mut out = vec![0.0; rows * cols];
    out.par_chunks_mut(CHUNK * cols)
        .enumerate()
        .for_each(|(c, block)| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(1 + c as u64);
            block.iter_mut().for_each(|x| *x = rng.random::<f64>());
        });
    out
}

fn to_choice(kind: &InputKind, u: f64) -> Choice {
    match kind {
        InputKind::Continuous { lo, hi, .. } => Choice::Value(lo + u * (hi - lo)),
        k => {
            let n = n_choices(k).unwrap_or(1);
            Choice::Index(((u * n as f64) as usize).min(n - 1))
        }
    }
}

/// Run the `[analysis]` of `spec` (error if it has none).
pub fn run(
    fw: &Framework,
    data: &UnitData,
    spec: &BuildSpec,
    opts: &Options,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<SensitivityResult> {
    let an = spec
        .analysis
        .as_ref()
        .ok_or_else(|| IndexError::Spec("no [analysis] section".into()))?;
    match opts.threads {
        Some(t) => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(t.max(1))
                .build()
                .map_err(|e| IndexError::Spec(format!("thread pool: {e}")))?;
            pool.install(|| run_inner(fw, data, spec, an, progress))
        }
        None => run_inner(fw, data, spec, an, progress),
    }
}

fn run_inner(
    fw: &Framework,
    data: &UnitData,
    spec: &BuildSpec,
    an: &AnalysisSpec,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<SensitivityResult> {
    let ctx = Context::new(fw, data, spec.time)?;
    let agg = spec
        .steps
        .iter()
        .position(|s| matches!(s, Step::Aggregate { .. }));
    let d = an.inputs.len();
    let first = an
        .inputs
        .iter()
        .map(|i| step_of(&i.kind).or(agg).unwrap_or(spec.steps.len()))
        .min()
        .unwrap_or(spec.steps.len());
    let mut prefix = ctx.raw();
    for k in 0..first {
        prefix = ctx.apply(k, &spec.steps[k], &prefix)?.0;
    }
    let plan = Plan::new(fw, &ctx.ind_nodes);
    let mut plan_upper = plan.clone();
    let mut plan_lower = plan.clone();
    for (k, kids) in plan_upper.agg_children.iter_mut().enumerate() {
        if plan.agg_level[k] == 2 {
            kids.clear();
        }
    }
    for (k, kids) in plan_lower.agg_children.iter_mut().enumerate() {
        if plan.agg_level[k] != 2 {
            kids.clear();
        }
    }
    let lvl2_ok = !an
        .inputs
        .iter()
        .any(|i| matches!(&i.kind, InputKind::NoisyWeights { levels, .. } if levels.contains(&1)));
    let target_col = plan
        .col_node
        .iter()
        .position(|&i| fw.nodes[i].code == an.target);
    if target_col.is_none() && fw.find(&an.target).is_none() {
        return Err(IndexError::Spec(format!(
            "[analysis]: unknown target '{}'",
            an.target
        )));
    }
    // noisy weights
    let mut noisy = HashMap::new();
    for (k, inp) in an.inputs.iter().enumerate() {
        if let InputKind::NoisyWeights {
            levels,
            noise,
            replications,
        } = &inp.kind
        {
            let mut rng = ChaCha8Rng::seed_from_u64(an.seed);
            rng.set_stream(1 << 40 | k as u64);
            let reps: Vec<Vec<f64>> = (0..*replications)
                .map(|_| {
                    fw.nodes
                        .iter()
                        .map(|n| {
                            if levels.contains(&n.level) {
                                1.0 + (rng.random::<f64>() * 2.0 - 1.0) * noise
                            } else {
                                1.0
                            }
                        })
                        .collect()
                })
                .collect();
            noisy.insert(k, reps);
        }
    }
    let mut eng = Engine {
        ctx,
        spec,
        an,
        prefix,
        first,
        agg,
        plan,
        noisy,
        cache: None,
        target_col,
        upper: plan_upper,
        lower: plan_lower,
        lvl2_ok,
    };
    // cache of pre-aggregation data sets per combination of discrete inputs
    if let Some(agg) = agg {
        let pre: Vec<usize> = (0..d)
            .filter(|&k| step_of(&an.inputs[k].kind).is_some_and(|s| s < agg))
            .collect();
        let radix: Option<Vec<usize>> = pre
            .iter()
            .map(|&k| match &an.inputs[k].kind {
                InputKind::Continuous { .. } => None,
                kd => n_choices(kd),
            })
            .collect();
        let want_ln = {
            let mut ms = vec![spec.steps[agg].clone()];
            for inp in &an.inputs {
                if let InputKind::Alternatives { step, alternatives } = &inp.kind {
                    if *step == agg {
                        for a in alternatives {
                            let mut t = a.clone();
                            t.insert("op".into(), Value::String("aggregate".into()));
                            if let Ok(s) = Step::from_table(&t) {
                                ms.push(s);
                            }
                        }
                    }
                }
            }
            ms
        };
        let agg_configs: Vec<(AggMethod, Option<f64>)> = {
            let mut v: Vec<(AggMethod, Option<f64>)> = Vec::new();
            for st in &want_ln {
                if let Step::Aggregate {
                    method,
                    dat_thresh,
                    weights,
                } = st
                {
                    let same_src = matches!(&spec.steps[agg], Step::Aggregate { weights: w0, .. } if w0 == weights);
                    if same_src
                        && !matches!(weights, WeightSource::Pca)
                        && !v.contains(&(*method, *dat_thresh))
                    {
                        v.push((*method, *dat_thresh));
                    }
                }
            }
            v
        };
        let nominal_w = match &spec.steps[agg] {
            Step::Aggregate { weights, .. } => eng.ctx.base_weights(weights).ok(),
            _ => None,
        };
        let want_ln = want_ln.iter().any(|s| {
            matches!(
                s,
                Step::Aggregate {
                    method: AggMethod::GMean,
                    ..
                }
            )
        });
        if let Some(radix) = radix {
            let total: usize = radix.iter().product();
            if total <= 4096 {
                let eng_ref = &eng;
                let entries: Vec<std::result::Result<Entry, String>> = (0..total)
                    .into_par_iter()
                    .map(|key| {
                        let mut choices = vec![Choice::Index(0); d];
                        let mut rem = key;
                        for (&k, &r) in pre.iter().zip(&radix).rev() {
                            choices[k] = Choice::Index(rem % r);
                            rem /= r;
                        }
                        let ds = eng_ref.pre_agg(&choices)?;
                        let mut e = eng_ref.make_entry(&ds, want_ln);
                        if let (true, Some(w)) = (eng_ref.lvl2_ok, &nominal_w) {
                            let n = e.unit_map.len();
                            let mut sc = AggScratch::default();
                            for &(m, dt) in &agg_configs {
                                let mut out = vec![f64::NAN; eng_ref.plan.agg_children.len() * n];
                                let ln = if m == AggMethod::GMean {
                                    e.ln.as_deref()
                                } else {
                                    None
                                };
                                let r = ops::aggregate(
                                    &eng_ref.lower,
                                    &e.vals,
                                    ln,
                                    Some(&e.nan_free),
                                    &mut out,
                                    n,
                                    w,
                                    m,
                                    dt,
                                    &mut sc,
                                )
                                .map(|_| out);
                                e.lvl2.push(((m, dt.map(f64::to_bits)), r));
                            }
                        }
                        Ok(e)
                    })
                    .collect();
                eng.cache = Some((pre, radix, entries));
            }
        }
    }
    let eng = Arc::new(eng);
    let n0 = eng.prefix.units.len();

    // nominal: no patch, no noise
    let mut s0 = Scratch::default();
    let nominal_choices: Vec<Choice> = an
        .inputs
        .iter()
        .map(|_| Choice::Index(usize::MAX))
        .collect();
    eng.run_nominal(&nominal_choices, &mut s0)
        .map_err(|m| IndexError::Spec(format!("nominal build failed: {m}")))?;
    let nominal_rank = stats::rank_desc_min(&s0.scores);

    // design
    let n = an.n;
    let (runs, sample_cols) = match an.kind {
        AnalysisKind::Uncertainty => (n, d),
        AnalysisKind::Sensitivity => (n * (d + 2), 2 * d),
    };
    let sample = uniform_rows(an.seed, n, sample_cols);
    let keep = match an.kind {
        AnalysisKind::Uncertainty => n,
        AnalysisKind::Sensitivity => 2 * n,
    };
    let u_of = |r: usize, k: usize| -> f64 {
        match an.kind {
            AnalysisKind::Uncertainty => sample[r * d + k],
            AnalysisKind::Sensitivity => {
                if r < n {
                    sample[r * 2 * d + k]
                } else if r < 2 * n {
                    sample[(r - n) * 2 * d + d + k]
                } else {
                    let (blk, j) = ((r - 2 * n) / n, (r - 2 * n) % n);
                    if blk == k {
                        sample[j * 2 * d + d + k]
                    } else {
                        sample[j * 2 * d + k]
                    }
                }
            }
        }
    };
    let done = AtomicUsize::new(0);
    let results: Vec<(f64, Option<Vec<u32>>)> = (0..runs)
        .into_par_iter()
        .with_min_len(16)
        .map_init(Scratch::default, |s, r| {
            let choices: Vec<Choice> = (0..d)
                .map(|k| to_choice(&an.inputs[k].kind, u_of(r, k)))
                .collect();
            let ok = eng.run(&choices, s).is_ok();
            let out = if ok {
                s.ranks.resize(n0, f64::NAN);
                stats::rank_desc_min_into(&s.scores, &mut s.idx, &mut s.ranks);
                let (mut sum, mut cnt) = (0.0, 0usize);
                for (a, b) in s.ranks.iter().zip(&nominal_rank) {
                    if !a.is_nan() && !b.is_nan() {
                        sum += (a - b).abs();
                        cnt += 1;
                    }
                }
                let y = if cnt == 0 { f64::NAN } else { sum / cnt as f64 };
                let kept = (r < keep).then(|| {
                    s.ranks
                        .iter()
                        .map(|x| if x.is_nan() { 0 } else { *x as u32 })
                        .collect()
                });
                (y, kept)
            } else {
                (f64::NAN, (r < keep).then(|| vec![0u32; n0]))
            };
            let k = done.fetch_add(1, Ordering::Relaxed) + 1;
            if k.is_multiple_of(64) || k == runs {
                progress(k, runs);
            }
            out
        })
        .collect();
    let failed_runs = results.iter().filter(|r| r.0.is_nan()).count();
    let kept: Vec<&Vec<u32>> = results.iter().filter_map(|r| r.1.as_ref()).collect();
    let outputs: Vec<f64> = results.iter().map(|r| r.0).collect();

    // rank statistics from per-unit histograms
    let rank_stats: Vec<RankStat> = (0..n0)
        .into_par_iter()
        .map(|u| {
            let mut hist = vec![0usize; n0 + 1];
            for k in &kept {
                let r = k[u] as usize;
                if r > 0 && r <= n0 {
                    hist[r] += 1;
                }
            }
            let total: usize = hist.iter().sum();
            let kth = |k: usize| -> f64 {
                let mut c = 0;
                for (r, &h) in hist.iter().enumerate() {
                    c += h;
                    if c > k {
                        return r as f64;
                    }
                }
                f64::NAN
            };
            let q = |p: f64| -> f64 {
                if total == 0 {
                    return f64::NAN;
                }
                let h = (total - 1) as f64 * p;
                let lo = h.floor() as usize;
                let (a, b) = (kth(lo), kth((lo + 1).min(total - 1)));
                a + (h - lo as f64) * (b - a)
            };
            let mean = if total == 0 {
                f64::NAN
            } else {
                hist.iter()
                    .enumerate()
                    .map(|(r, &h)| (r * h) as f64)
                    .sum::<f64>()
                    / total as f64
            };
            RankStat {
                unit: eng.prefix.units[u].clone(),
                nominal: nominal_rank[u],
                mean,
                median: q(0.5),
                q5: q(0.05),
                q95: q(0.95),
            }
        })
        .collect();

    let indices = (an.kind == AnalysisKind::Sensitivity)
        .then(|| estimate(&outputs, n, d, an.bootstrap, an.seed, an));
    Ok(SensitivityResult {
        rank_stats,
        indices,
        outputs,
        failed_runs,
    })
}

impl Engine<'_> {
    fn run_nominal(&self, _c: &[Choice], s: &mut Scratch) -> std::result::Result<(), String> {
        // nominal = the build as specified: no patch (indices out of range are ignored by `patched`
        // because they do not match), no noise.
        let n0 = self.prefix.units.len();
        let end = self.spec.steps.len();
        let mut d = self.prefix.clone();
        for k in self.first..end {
            d = self
                .ctx
                .apply(k, &self.spec.steps[k], &d)
                .map_err(|e| e.to_string())?
                .0;
        }
        let col = d
            .col(&self.an.target)
            .ok_or("target not in the last data set")?;
        let pos: HashMap<&str, usize> = self
            .prefix
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.as_str(), i))
            .collect();
        s.scores = vec![f64::NAN; n0];
        for (i, u) in d.units.iter().enumerate() {
            if let Some(&p) = pos.get(u.as_str()) {
                s.scores[p] = col[i];
            }
        }
        Ok(())
    }
}

/// COINr's `SA_estimate`: Si = mean(yB·(yABi − yA))/var, STi = Σ(yA − yABi)²/(2N·var), var over
/// c(yA, yB); bootstrap by resampling the N terms with replacement.
fn estimate(
    yy: &[f64],
    n: usize,
    d: usize,
    nboot: usize,
    seed: u64,
    an: &AnalysisSpec,
) -> Vec<SensIndex> {
    let (ya, yb) = (&yy[..n], &yy[n..2 * n]);
    let var_y = stats::var(&yy[..2 * n]);
    (0..d)
        .map(|i| {
            let yabi = &yy[2 * n + i * n..2 * n + (i + 1) * n];
            let si_terms: Vec<f64> = (0..n).map(|j| yb[j] * (yabi[j] - ya[j])).collect();
            let st_terms: Vec<f64> = (0..n).map(|j| ya[j] - yabi[j]).collect();
            let si = si_terms.iter().sum::<f64>() / n as f64 / var_y;
            let sti = st_terms.iter().map(|x| x * x).sum::<f64>() / (2.0 * n as f64 * var_y);
            let (mut sib, mut stb) = (Vec::with_capacity(nboot), Vec::with_capacity(nboot));
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(2 << 40 | i as u64);
            for _ in 0..nboot {
                let mut s = 0.0;
                for _ in 0..n {
                    s += si_terms[rng.random_range(0..n)];
                }
                sib.push(s / n as f64 / var_y);
                let mut t = 0.0;
                for _ in 0..n {
                    let x = st_terms[rng.random_range(0..n)];
                    t += x * x;
                }
                stb.push(t / (2.0 * n as f64 * var_y));
            }
            let q = |v: &[f64], p: f64| stats::quantile_sorted(&stats::sorted_present(v), p);
            SensIndex {
                variable: an.inputs[i].name.clone(),
                si,
                sti,
                si_q5: q(&sib, 0.05),
                si_q95: q(&sib, 0.95),
                sti_q5: q(&stb, 0.05),
                sti_q95: q(&stb, 0.95),
            }
        })
        .collect()
}

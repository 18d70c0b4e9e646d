//! The build pipeline: Raw → each step of the specification → results.
use std::collections::HashMap;

use crate::error::{IndexError, Result};
use crate::model::{DataSet, Framework, UnitData};
use crate::ops::{self, AggMethod, AggScratch, ImputeMethod, Plan, Treatment};
use crate::spec::{BuildSpec, Step, WeightSource};
use crate::stats;

/// Everything a build made.
#[derive(Debug, Clone)]
pub struct BuildResult {
    /// The data sets in order (`Raw` first). The `Aggregated` one holds indicators then aggregates.
    pub datasets: Vec<DataSet>,
    /// Weights per framework node as used by the aggregation (iMeta's if there was none).
    pub weights: Vec<f64>,
    /// What the treat step did per indicator.
    pub treatments: Vec<(String, Treatment)>,
    /// The time built, for panel data.
    pub time: Option<i64>,
}

impl BuildResult {
    /// The last data set.
    pub fn last(&self) -> &DataSet {
        // a build always has Raw
        &self.datasets[self.datasets.len() - 1]
    }
    /// A data set by name.
    pub fn dataset(&self, name: &str) -> Option<&DataSet> {
        self.datasets.iter().find(|d| d.name == name)
    }
}

/// The scores and ranks table of the spec's `scores.csv` / `ranks.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// Units, sorted by the top aggregate, descending.
    pub units: Vec<String>,
    /// Rank of each unit on the top aggregate.
    pub rank: Vec<f64>,
    /// Column codes: aggregates from the top level down, then indicators.
    pub codes: Vec<String>,
    /// Scores per column (aligned with `units`).
    pub scores: Vec<Vec<f64>>,
    /// Ranks per column (higher is better, ties min, missing stays missing).
    pub ranks: Vec<Vec<f64>>,
}

/// Shared, read-only context of a build.
pub struct Context<'a> {
    /// The framework.
    pub fw: &'a Framework,
    /// The unit data.
    pub data: &'a UnitData,
    /// Time built (panel).
    pub time: Option<i64>,
    rows: HashMap<&'a str, usize>,
    /// Indicator node indices in data set column order.
    pub ind_nodes: Vec<usize>,
}

impl<'a> Context<'a> {
    /// Prepare a build context (selects the time for panel data: `time` or the latest).
    pub fn new(fw: &'a Framework, data: &'a UnitData, time: Option<i64>) -> Result<Context<'a>> {
        let time = match (&data.time, time) {
            (None, _) => None,
            (Some(_), Some(t)) => {
                if !data.times().contains(&t) {
                    return Err(IndexError::Spec(format!("time {t} is not in the data")));
                }
                Some(t)
            }
            (Some(_), None) => data.times().last().copied(),
        };
        let mut rows = HashMap::new();
        for i in 0..data.ucode.len() {
            if data.time.as_ref().is_none_or(|t| Some(t[i]) == time) {
                rows.insert(data.ucode[i].as_str(), i);
            }
        }
        Ok(Context {
            fw,
            data,
            time,
            rows,
            ind_nodes: fw.indicator_order.clone(),
        })
    }

    /// The `Raw` data set.
    pub fn raw(&self) -> DataSet {
        let mut rows: Vec<(usize, &str)> = self.rows.iter().map(|(u, r)| (*r, *u)).collect();
        rows.sort_unstable();
        let codes: Vec<String> = self
            .ind_nodes
            .iter()
            .map(|&i| self.fw.nodes[i].code.clone())
            .collect();
        let cols = codes
            .iter()
            .map(|c| {
                let src = self.data.numeric.get(c);
                rows.iter()
                    .map(|(r, _)| src.map_or(f64::NAN, |v| v[*r]))
                    .collect()
            })
            .collect();
        DataSet {
            name: "Raw".into(),
            units: rows.iter().map(|(_, u)| u.to_string()).collect(),
            codes,
            cols,
        }
    }

    fn row_of(&self, unit: &str) -> Option<usize> {
        self.rows.get(unit).copied()
    }

    /// Nominal weights from a source (PCA needs the data and is resolved during aggregation).
    pub fn base_weights(&self, src: &WeightSource) -> Result<Vec<f64>> {
        let mut w: Vec<f64> = self.fw.nodes.iter().map(|n| n.weight).collect();
        match src {
            WeightSource::Meta | WeightSource::Pca => {}
            WeightSource::Equal => w.iter_mut().for_each(|x| *x = 1.0),
            WeightSource::Given(m) => {
                for (code, v) in m {
                    let i = self.fw.find(code).ok_or_else(|| {
                        IndexError::Spec(format!("weights: unknown iCode '{code}'"))
                    })?;
                    w[i] = *v;
                }
            }
            WeightSource::File(f) => {
                return Err(IndexError::Spec(format!(
                    "weights file '{f}' was not read (use io::resolve_weight_files)"
                )))
            }
        }
        Ok(w)
    }

    /// Apply one step (index `k`, for messages) to a data set.
    pub fn apply(
        &self,
        k: usize,
        step: &Step,
        d: &DataSet,
    ) -> Result<(DataSet, Option<Vec<f64>>, Vec<(String, Treatment)>)> {
        let err = |m: String| IndexError::Step {
            step: k + 1,
            op: step.op().into(),
            message: m,
        };
        let mut out = d.renamed(step.dataset_name());
        let mut treatments = Vec::new();
        let mut weights = None;
        match step {
            Step::Denominate => {
                for (j, code) in d.codes.iter().enumerate() {
                    let Some(ni) = self.fw.find(code) else {
                        continue;
                    };
                    if let Some(den) = &self.fw.nodes[ni].denominator {
                        let dv =
                            self.data.numeric.get(den).ok_or_else(|| {
                                err(format!("denominator column '{den}' missing"))
                            })?;
                        for (i, u) in d.units.iter().enumerate() {
                            let r = self
                                .row_of(u)
                                .ok_or_else(|| err(format!("unit '{u}' unknown")))?;
                            out.cols[j][i] = d.cols[j][i] / dv[r];
                        }
                    }
                }
            }
            Step::Impute(m) => match m {
                ImputeMethod::None => {}
                ImputeMethod::Mean | ImputeMethod::Median => {
                    for c in out.cols.iter_mut() {
                        *c = ops::impute_col(c, *m == ImputeMethod::Median, None);
                    }
                }
                ImputeMethod::MeanGroup(g) | ImputeMethod::MedianGroup(g) => {
                    let gv = self
                        .data
                        .groups
                        .get(g)
                        .ok_or_else(|| err(format!("unknown group '{g}'")))?;
                    let labels: Vec<Option<String>> = d
                        .units
                        .iter()
                        .map(|u| self.row_of(u).and_then(|r| gv[r].clone()))
                        .collect();
                    let median = matches!(m, ImputeMethod::MedianGroup(_));
                    for c in out.cols.iter_mut() {
                        *c = ops::impute_col(c, median, Some(&labels));
                    }
                }
                ImputeMethod::Latest => {
                    let (Some(times), Some(t0)) = (&self.data.time, self.time) else {
                        return Err(err(
                            "'latest' imputation needs panel data (a Time column)".into()
                        ));
                    };
                    for (j, code) in d.codes.iter().enumerate() {
                        let Some(src) = self.data.numeric.get(code) else {
                            continue;
                        };
                        for (i, u) in d.units.iter().enumerate() {
                            if !out.cols[j][i].is_nan() {
                                continue;
                            }
                            let mut best: Option<(i64, f64)> = None;
                            for r in 0..self.data.ucode.len() {
                                if self.data.ucode[r] == *u
                                    && times[r] < t0
                                    && !src[r].is_nan()
                                    && best.is_none_or(|b| times[r] > b.0)
                                {
                                    best = Some((times[r], src[r]));
                                }
                            }
                            if let Some((_, v)) = best {
                                out.cols[j][i] = v;
                            }
                        }
                    }
                }
            },
            Step::Screen { dat_thresh } => {
                let m = d.codes.len() as f64;
                let keep: Vec<usize> = (0..d.units.len())
                    .filter(|&i| {
                        let n = d.cols.iter().filter(|c| !c[i].is_nan()).count() as f64;
                        n / m >= *dat_thresh
                    })
                    .collect();
                out = d.select_rows(&keep).renamed("Screened");
            }
            Step::Treat(p) => {
                for (j, code) in d.codes.iter().enumerate() {
                    let (y, t) = ops::treat(&d.cols[j], p);
                    out.cols[j] = y;
                    treatments.push((code.clone(), t));
                }
            }
            Step::Normalise(m) => {
                for (j, code) in d.codes.iter().enumerate() {
                    let ni = self
                        .fw
                        .find(code)
                        .ok_or_else(|| err(format!("unknown column '{code}'")))?;
                    let node = &self.fw.nodes[ni];
                    out.cols[j] = ops::normalise(&d.cols[j], node.direction, m, node.target)
                        .map_err(|e| err(format!("{code}: {e}")))?;
                }
            }
            Step::Aggregate {
                method,
                weights: src,
                dat_thresh,
            } => {
                let mut w = self.base_weights(src)?;
                let (vals, plan) = self
                    .aggregate(
                        d,
                        &mut w,
                        *method,
                        *dat_thresh,
                        matches!(src, WeightSource::Pca),
                    )
                    .map_err(err)?;
                let n = d.units.len();
                out.codes = plan
                    .col_node
                    .iter()
                    .map(|&i| self.fw.nodes[i].code.clone())
                    .collect();
                out.cols = (0..plan.n_cols())
                    .map(|c| vals[c * n..(c + 1) * n].to_vec())
                    .collect();
                weights = Some(w);
            }
        }
        Ok((out, weights, treatments))
    }

    /// Aggregate a data set of indicators; with `pca`, weights of each level are set from the
    /// first principal component of the children before that level is aggregated.
    pub fn aggregate(
        &self,
        d: &DataSet,
        w: &mut [f64],
        method: AggMethod,
        dat_thresh: Option<f64>,
        pca: bool,
    ) -> std::result::Result<(Vec<f64>, Plan), String> {
        let ind_nodes: Vec<usize> = d
            .codes
            .iter()
            .map(|c| self.fw.find(c).ok_or(format!("unknown column '{c}'")))
            .collect::<std::result::Result<_, _>>()?;
        let plan = Plan::new(self.fw, &ind_nodes);
        let n = d.units.len();
        let ind: Vec<f64> = d.cols.iter().flatten().copied().collect();
        let n_agg = plan.agg_children.len();
        let mut out = vec![f64::NAN; n_agg * n];
        let mut s = AggScratch::default();
        if !pca {
            ops::aggregate(
                &plan, &ind, None, None, &mut out, n, w, method, dat_thresh, &mut s,
            )?;
        } else {
            for level in 2..=self.fw.max_level {
                for (k, kids) in plan.agg_children.iter().enumerate() {
                    if plan.agg_level[k] != level {
                        continue;
                    }
                    let cols: Vec<&[f64]> = kids
                        .iter()
                        .map(|&c| {
                            if c < plan.n_ind {
                                &ind[c * n..(c + 1) * n]
                            } else {
                                &out[(c - plan.n_ind) * n..(c - plan.n_ind + 1) * n]
                            }
                        })
                        .collect();
                    if let Some(l) =
                        crate::analysis::pca(&cols).and_then(|p| p.loadings.first().cloned())
                    {
                        for (&c, lw) in kids.iter().zip(l) {
                            w[plan.col_node[c]] = lw;
                        }
                    }
                }
                let mut sub = plan.clone();
                for (k, kids) in sub.agg_children.iter_mut().enumerate() {
                    if plan.agg_level[k] != level {
                        kids.clear();
                    }
                }
                ops::aggregate(
                    &sub, &ind, None, None, &mut out, n, w, method, dat_thresh, &mut s,
                )?;
            }
        }
        let mut vals = ind;
        vals.extend_from_slice(&out);
        Ok((vals, plan))
    }
}

/// Run a build: `Raw`, then every step of `spec` in order.
pub fn build(fw: &Framework, data: &UnitData, spec: &BuildSpec) -> Result<BuildResult> {
    let ctx = Context::new(fw, data, spec.time)?;
    let mut datasets = vec![ctx.raw()];
    let mut weights: Vec<f64> = fw.nodes.iter().map(|n| n.weight).collect();
    let mut treatments = Vec::new();
    for (k, step) in spec.steps.iter().enumerate() {
        let (d, w, t) = ctx.apply(k, step, &datasets[datasets.len() - 1])?;
        if let Some(w) = w {
            weights = w;
        }
        treatments.extend(t);
        datasets.push(d);
    }
    Ok(BuildResult {
        datasets,
        weights,
        treatments,
        time: ctx.time,
    })
}

/// The scores/ranks table of the last data set: aggregates top level first (iMeta order within a
/// level), then indicators in data set order; rows sorted by the top aggregate, descending.
pub fn results(fw: &Framework, r: &BuildResult) -> Results {
    let last = r.last();
    let mut order: Vec<usize> = Vec::new();
    for level in (2..=fw.max_level).rev() {
        for a in fw.aggregates_at(level) {
            if let Some(j) = last.codes.iter().position(|c| *c == fw.nodes[a].code) {
                order.push(j);
            }
        }
    }
    for (j, c) in last.codes.iter().enumerate() {
        if fw.find(c).is_some_and(|i| fw.nodes[i].level == 1) {
            order.push(j);
        }
    }
    let n = last.units.len();
    let top = order.first().copied().filter(|&j| {
        fw.find(&last.codes[j])
            .is_some_and(|i| fw.nodes[i].level > 1)
    });
    let top_rank = top.map_or(vec![f64::NAN; n], |j| stats::rank_desc_min(&last.cols[j]));
    let mut rows: Vec<usize> = (0..n).collect();
    if let Some(j) = top {
        let c = &last.cols[j];
        rows.sort_by(|&a, &b| match (c[a].is_nan(), c[b].is_nan()) {
            (false, false) => c[b].total_cmp(&c[a]),
            (x, y) => x.cmp(&y),
        });
    }
    let ranks_full: Vec<Vec<f64>> = order
        .iter()
        .map(|&j| stats::rank_desc_min(&last.cols[j]))
        .collect();
    Results {
        units: rows.iter().map(|&i| last.units[i].clone()).collect(),
        rank: rows.iter().map(|&i| top_rank[i]).collect(),
        codes: order.iter().map(|&j| last.codes[j].clone()).collect(),
        scores: order
            .iter()
            .map(|&j| rows.iter().map(|&i| last.cols[j][i]).collect())
            .collect(),
        ranks: ranks_full
            .iter()
            .map(|rk| rows.iter().map(|&i| rk[i]).collect())
            .collect(),
    }
}

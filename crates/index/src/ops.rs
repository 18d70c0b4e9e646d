//! The operations on one column or one data set, with COINr 1.1 semantics. Pure functions.
use crate::stats::{self, present};

/// Normalisation methods (COINr's `n_*` functions).
#[derive(Debug, Clone, PartialEq)]
pub enum NormMethod {
    /// `n_minmax`: `(x − min)/(max − min)·(u − l) + l`.
    MinMax {
        /// Lower bound.
        l: f64,
        /// Upper bound.
        u: f64,
    },
    /// `n_zscore`: `(x − mean)/sd·s + m`, sample sd.
    ZScore {
        /// Target mean.
        m: f64,
        /// Target standard deviation.
        sd: f64,
    },
    /// `n_rank`: ranks, ties min.
    Rank,
    /// `n_prank`: `(rank − 1)/(n − 1)`.
    PRank,
    /// `n_borda`: `rank − 1`.
    Borda,
    /// Goalposts with the indicator's `Target` as upper post and the worst observed value as lower
    /// post: `clamp((x − l)/(t − l), 0, 1)·scale` (on direction-adjusted values; = COINr's
    /// `n_dist2targ(cap_max = TRUE)` times `scale`). With explicit `gposts = [l, u, a]` it is
    /// COINr's `n_goalposts` (posts given in direction-adjusted units).
    Goalposts {
        /// Explicit posts `[l, u, a]`, else Target-based.
        gposts: Option<[f64; 3]>,
        /// Scale when Target-based.
        scale: f64,
    },
    /// `n_dist2max`: `1 − (max − x)/(max − min)`.
    Dist2Max,
    /// `n_fracmax`: `x / max`.
    FracMax,
}

/// Normalise one column: the values are first multiplied by `direction`.
pub fn normalise(
    x: &[f64],
    direction: f64,
    method: &NormMethod,
    target: Option<f64>,
) -> Result<Vec<f64>, String> {
    let x: Vec<f64> = x.iter().map(|v| v * direction).collect();
    Ok(match method {
        NormMethod::MinMax { l, u } => {
            let (mn, mx) = stats::min_max(&x);
            x.iter()
                .map(|v| (v - mn) / (mx - mn) * (u - l) + l)
                .collect()
        }
        NormMethod::ZScore { m, sd } => {
            let (mu, s) = (stats::mean(&x), stats::sd(&x));
            x.iter().map(|v| (v - mu) / s * sd + m).collect()
        }
        NormMethod::Rank => stats::rank_asc_min(&x),
        NormMethod::PRank => {
            let n = x.iter().filter(|v| present(**v)).count() as f64;
            stats::rank_asc_min(&x)
                .into_iter()
                .map(|r| (r - 1.0) / (n - 1.0))
                .collect()
        }
        NormMethod::Borda => stats::rank_asc_min(&x)
            .into_iter()
            .map(|r| r - 1.0)
            .collect(),
        NormMethod::Goalposts { gposts, scale } => {
            let (l, u, a) = match gposts {
                Some(g) => (g[0], g[1], g[2]),
                None => {
                    let t = target
                        .ok_or("goalposts normalisation needs a Target for every indicator")?;
                    (stats::min_max(&x).0, t * direction, *scale)
                }
            };
            x.iter()
                .map(|v| {
                    if v.is_nan() {
                        f64::NAN
                    } else {
                        ((v - l) / (u - l)).clamp(0.0, 1.0) * a
                    }
                })
                .collect()
        }
        NormMethod::Dist2Max => {
            let (mn, mx) = stats::min_max(&x);
            x.iter().map(|v| 1.0 - (mx - v) / (mx - mn)).collect()
        }
        NormMethod::FracMax => {
            let (_, mx) = stats::min_max(&x);
            x.iter().map(|v| v / mx).collect()
        }
    })
}

/// Parameters of COINr's default `Treat`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TreatParams {
    /// Maximum number of points to winsorise.
    pub winmax: usize,
    /// Absolute skewness threshold.
    pub skew_thresh: f64,
    /// Kurtosis threshold.
    pub kurt_thresh: f64,
}

impl Default for TreatParams {
    fn default() -> Self {
        TreatParams {
            winmax: 5,
            skew_thresh: 2.0,
            kurt_thresh: 3.5,
        }
    }
}

/// What the treatment did to one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    /// Passed the skew/kurtosis check as it was (or too few points to check).
    None,
    /// Winsorised, `n` = COINr's `nwin`.
    Winsorised(usize),
    /// Winsorisation did not pass: log transform `log_CT` applied to the original values.
    Log,
}

/// COINr `check_SkewKurt`: pass if `|skew| < skew_thresh` or `kurt < kurt_thresh`.
/// `None` when it cannot be computed (fewer than 4 points, zero variance).
fn passes(x: &[f64], p: &TreatParams) -> Option<bool> {
    let s = stats::skew(x)?;
    let k = stats::kurt(x)?;
    if s.is_nan() || k.is_nan() {
        return None;
    }
    Some(s.abs() < p.skew_thresh || k < p.kurt_thresh)
}

/// COINr `winsorise`: while failing and `nwin < winmax`, replace the maximum (positive skew) or
/// minimum (negative skew) value(s) by the next value. `nwin` counts the points of the latest
/// high-side and latest low-side replacement, as COINr 1.1 does.
pub fn winsorise(x: &[f64], p: &TreatParams) -> (Vec<f64>, usize) {
    let mut x = x.to_vec();
    let mut nwin = 0usize;
    let (mut nmax, mut nmin) = (0usize, 0usize);
    let mut passing = passes(&x, p).unwrap_or(true);
    let mut guard = 0;
    while !passing && nwin < p.winmax && guard <= x.len() {
        guard += 1;
        let Some(s) = stats::skew(&x) else { break };
        let (mn, mx) = stats::min_max(&x);
        if s >= 0.0 {
            let idx: Vec<usize> = (0..x.len()).filter(|&i| x[i] == mx).collect();
            let next = x
                .iter()
                .enumerate()
                .filter(|(i, v)| present(**v) && !idx.contains(i))
                .map(|(_, v)| *v)
                .fold(f64::NEG_INFINITY, f64::max);
            if !next.is_finite() {
                break;
            }
            idx.iter().for_each(|&i| x[i] = next);
            nmax = idx.len();
        } else {
            let idx: Vec<usize> = (0..x.len()).filter(|&i| x[i] == mn).collect();
            let next = x
                .iter()
                .enumerate()
                .filter(|(i, v)| present(**v) && !idx.contains(i))
                .map(|(_, v)| *v)
                .fold(f64::INFINITY, f64::min);
            if !next.is_finite() {
                break;
            }
            idx.iter().for_each(|&i| x[i] = next);
            nmin = idx.len();
        }
        nwin = nmax + nmin;
        match passes(&x, p) {
            Some(b) => passing = b,
            None => break,
        }
    }
    (x, nwin)
}

/// COINr `log_CT`: `log(x − min + 0.01·(max − min))`.
pub fn log_ct(x: &[f64]) -> Vec<f64> {
    let (mn, mx) = stats::min_max(x);
    x.iter().map(|v| (v - mn + 0.01 * (mx - mn)).ln()).collect()
}

/// COINr's default `Treat` on one column: check; winsorise; if still failing, `log_CT` on the original.
pub fn treat(x: &[f64], p: &TreatParams) -> (Vec<f64>, Treatment) {
    match passes(x, p) {
        None | Some(true) => (x.to_vec(), Treatment::None),
        Some(false) => {
            let (w, nwin) = winsorise(x, p);
            if passes(&w, p).unwrap_or(true) {
                (w, Treatment::Winsorised(nwin))
            } else {
                (log_ct(x), Treatment::Log)
            }
        }
    }
}

/// Imputation methods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImputeMethod {
    /// No imputation.
    None,
    /// Column mean (`i_mean`).
    Mean,
    /// Column median (`i_median`).
    Median,
    /// Mean within the group (`i_mean_grp`).
    MeanGroup(String),
    /// Median within the group (`i_median_grp`).
    MedianGroup(String),
    /// Panel data: the unit's latest earlier value (`impute_panel`).
    Latest,
}

/// Impute one column by mean/median, optionally by group (`groups[i]` = group of unit `i`).
/// Units whose group is missing are left as they are; a group with no data stays missing.
pub fn impute_col(x: &[f64], median: bool, groups: Option<&[Option<String>]>) -> Vec<f64> {
    let f = |v: &[f64]| {
        if median {
            stats::median(v)
        } else {
            stats::mean(v)
        }
    };
    match groups {
        None => {
            let m = f(x);
            x.iter().map(|&v| if v.is_nan() { m } else { v }).collect()
        }
        Some(g) => {
            let mut out = x.to_vec();
            let mut labels: Vec<&String> = g.iter().flatten().collect();
            labels.sort();
            labels.dedup();
            for lab in labels {
                let members: Vec<usize> = (0..x.len())
                    .filter(|&i| g[i].as_ref() == Some(lab))
                    .collect();
                let vals: Vec<f64> = members.iter().map(|&i| x[i]).collect();
                let m = f(&vals);
                for &i in &members {
                    if out[i].is_nan() {
                        out[i] = m;
                    }
                }
            }
            out
        }
    }
}

/// Aggregation methods (COINr's `a_*` functions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggMethod {
    /// Weighted arithmetic mean.
    AMean,
    /// Weighted geometric mean (fails on values ≤ 0).
    GMean,
    /// Weighted harmonic mean (fails on zeros).
    HMean,
    /// Weighted median.
    Median,
    /// Copeland scores from the weighted outranking matrix of the units.
    Copeland,
}

/// Weighted median of present values: the smallest value at which the cumulative normalised
/// weight reaches ½; exactly ½ averages with the next value (= the ordinary median for equal weights).
pub fn weighted_median(vals: &mut [(f64, f64)]) -> f64 {
    if vals.is_empty() {
        return f64::NAN;
    }
    vals.sort_by(|a, b| a.0.total_cmp(&b.0));
    let tot: f64 = vals.iter().map(|v| v.1).sum();
    let mut cum = 0.0;
    for k in 0..vals.len() {
        cum += vals[k].1 / tot;
        if (cum - 0.5).abs() < 1e-12 && k + 1 < vals.len() {
            return (vals[k].0 + vals[k + 1].0) / 2.0;
        }
        if cum > 0.5 {
            return vals[k].0;
        }
    }
    vals[vals.len() - 1].0
}

/// A compiled aggregation plan: which columns feed which aggregate, level by level.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Number of indicator columns (the first columns of the value buffer).
    pub n_ind: usize,
    /// Node index per column (indicators then aggregates in evaluation order).
    pub col_node: Vec<usize>,
    /// For each aggregate (column `n_ind + k`): its children's columns.
    pub agg_children: Vec<Vec<usize>>,
    /// Level of each aggregate.
    pub agg_level: Vec<u32>,
}

impl Plan {
    /// Build the plan for a framework whose indicator columns are `ind_nodes` (node indices).
    pub fn new(fw: &crate::model::Framework, ind_nodes: &[usize]) -> Plan {
        let mut col_node: Vec<usize> = ind_nodes.to_vec();
        let mut agg_children = Vec::new();
        let mut agg_level = Vec::new();
        for level in 2..=fw.max_level {
            for a in fw.aggregates_at(level) {
                let kids: Vec<usize> = fw.nodes[a]
                    .children
                    .iter()
                    .filter_map(|c| col_node.iter().position(|n| n == c))
                    .collect();
                agg_children.push(kids);
                agg_level.push(level);
                col_node.push(a);
            }
        }
        // fix forward refs: aggregates referencing aggregates added later cannot happen since
        // children have lower levels.
        Plan {
            n_ind: ind_nodes.len(),
            col_node,
            agg_children,
            agg_level,
        }
    }

    /// Total number of columns.
    pub fn n_cols(&self) -> usize {
        self.col_node.len()
    }
}

/// Scratch space for [`aggregate`], reusable across runs.
#[derive(Debug, Default)]
pub struct AggScratch {
    acc: Vec<f64>,
    wsum: Vec<f64>,
    cnt: Vec<u32>,
    pairs: Vec<(f64, f64)>,
}

/// Aggregate level by level. `ind` is column-major `n_ind × n_units` (indicator values); the
/// aggregates are written to `out` (`n_agg × n_units`, in plan order); `weights` is per node.
/// `ln_ind`, if given, holds `ln` of `ind` (geometric mean fast path). Errors as COINr's
/// `a_gmean`/`a_hmean` stop.
#[allow(clippy::too_many_arguments)]
pub fn aggregate(
    plan: &Plan,
    ind: &[f64],
    ln_ind: Option<&[f64]>,
    nan_free: Option<&[bool]>,
    out_all: &mut [f64],
    n_units: usize,
    weights: &[f64],
    method: AggMethod,
    dat_thresh: Option<f64>,
    s: &mut AggScratch,
) -> Result<(), String> {
    let n = n_units;
    s.acc.resize(n, 0.0);
    s.wsum.resize(n, 0.0);
    s.cnt.resize(n, 0);
    for (k, kids) in plan.agg_children.iter().enumerate() {
        if kids.is_empty() {
            continue;
        }
        let (done, rest) = out_all.split_at_mut(k * n);
        let out = &mut rest[..n];
        let done: &[f64] = done;
        let col = |c: usize| -> &[f64] {
            if c < plan.n_ind {
                &ind[c * n..(c + 1) * n]
            } else {
                &done[(c - plan.n_ind) * n..(c - plan.n_ind + 1) * n]
            }
        };
        s.acc.iter_mut().for_each(|v| *v = 0.0);
        s.wsum.iter_mut().for_each(|v| *v = 0.0);
        s.cnt.iter_mut().for_each(|v| *v = 0);
        let (mut w_common, mut c_common) = (0.0, 0u32);
        match method {
            AggMethod::AMean | AggMethod::GMean | AggMethod::HMean => {
                for &c in kids {
                    let w = weights[plan.col_node[c]];
                    let col = col(c);
                    let complete = nan_free.is_some_and(|f| c < plan.n_ind && f[c]);
                    match method {
                        AggMethod::AMean if complete => {
                            // no missing value: a plain, vectorisable weighted sum
                            for (a, x) in s.acc.iter_mut().zip(col) {
                                *a += w * x;
                            }
                            w_common += w;
                            c_common += 1;
                        }
                        AggMethod::GMean if complete && ln_ind.is_some() && c < plan.n_ind => {
                            let l = ln_ind.map_or(&[][..], |l| &l[c * n..(c + 1) * n]);
                            if col.iter().any(|x| *x <= 0.0) {
                                return Err(format!(
                                    "geometric mean of a value <= 0 in column {c}"
                                ));
                            }
                            for (a, x) in s.acc.iter_mut().zip(l) {
                                *a += w * x;
                            }
                            w_common += w;
                            c_common += 1;
                        }
                        AggMethod::AMean => {
                            for i in 0..n {
                                let x = col[i];
                                if !x.is_nan() {
                                    s.acc[i] += w * x;
                                    s.wsum[i] += w;
                                    s.cnt[i] += 1;
                                }
                            }
                        }
                        AggMethod::GMean => {
                            let lncol = match ln_ind {
                                Some(l) if c < plan.n_ind => Some(&l[c * n..(c + 1) * n]),
                                _ => None,
                            };
                            for i in 0..n {
                                let x = col[i];
                                if !x.is_nan() {
                                    if x <= 0.0 {
                                        return Err(format!(
                                            "geometric mean of a value <= 0 ({x}) in column {c}"
                                        ));
                                    }
                                    let lx = lncol.map_or_else(|| x.ln(), |l| l[i]);
                                    s.acc[i] += w * lx;
                                    s.wsum[i] += w;
                                    s.cnt[i] += 1;
                                }
                            }
                        }
                        _ => {
                            for i in 0..n {
                                let x = col[i];
                                if !x.is_nan() {
                                    if x == 0.0 {
                                        return Err("harmonic mean of a zero value".into());
                                    }
                                    s.acc[i] += w / x;
                                    s.wsum[i] += w;
                                    s.cnt[i] += 1;
                                }
                            }
                        }
                    }
                }
                for i in 0..n {
                    s.cnt[i] += c_common;
                    let ws = s.wsum[i] + w_common;
                    out[i] = if s.cnt[i] == 0 {
                        f64::NAN
                    } else {
                        match method {
                            AggMethod::AMean => s.acc[i] / ws,
                            AggMethod::GMean => (s.acc[i] / ws).exp(),
                            _ => ws / s.acc[i],
                        }
                    };
                }
            }
            AggMethod::Median => {
                for i in 0..n {
                    s.pairs.clear();
                    for &c in kids {
                        let x = col(c)[i];
                        if !x.is_nan() {
                            s.pairs.push((x, weights[plan.col_node[c]]));
                        }
                    }
                    s.cnt[i] = s.pairs.len() as u32;
                    out[i] = weighted_median(&mut s.pairs);
                }
            }
            AggMethod::Copeland => {
                let wtot: f64 = kids.iter().map(|&c| weights[plan.col_node[c]]).sum();
                for i in 0..n {
                    let mut score = 0.0;
                    for j in 0..n {
                        if i == j {
                            continue;
                        }
                        for &c in kids {
                            let cc = col(c);
                            let (xi, xj) = (cc[i], cc[j]);
                            let w = weights[plan.col_node[c]] / wtot;
                            if xi > xj {
                                score += w;
                            } else if xi == xj {
                                score += w / 2.0;
                            }
                        }
                    }
                    out[i] = score;
                    s.cnt[i] = kids.iter().filter(|&&c| present(col(c)[i])).count() as u32;
                }
            }
        }
        if let Some(t) = dat_thresh {
            let m = kids.len() as f64;
            for i in 0..n {
                if (s.cnt[i] as f64) / m < t {
                    out[i] = f64::NAN;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| (x.is_nan() && y.is_nan()) || (x - y).abs() < 1e-12)
    }

    #[test]
    fn minmax_by_hand() {
        let y = normalise(
            &[1.0, 3.0, f64::NAN, 5.0],
            1.0,
            &NormMethod::MinMax { l: 0.0, u: 100.0 },
            None,
        )
        .unwrap_or_default();
        assert!(close(&y, &[0.0, 50.0, f64::NAN, 100.0]));
        let y = normalise(
            &[1.0, 3.0, 5.0],
            -1.0,
            &NormMethod::MinMax { l: 1.0, u: 11.0 },
            None,
        )
        .unwrap_or_default();
        assert!(close(&y, &[11.0, 6.0, 1.0]));
    }

    #[test]
    fn zscore_by_hand() {
        // mean 4, sample sd 2
        let y = normalise(
            &[2.0, 4.0, 6.0],
            1.0,
            &NormMethod::ZScore { m: 10.0, sd: 2.0 },
            None,
        )
        .unwrap_or_default();
        assert!(close(&y, &[8.0, 10.0, 12.0]));
    }

    #[test]
    fn rank_prank_borda_by_hand() {
        let x = [10.0, 30.0, 20.0, 30.0, f64::NAN];
        let r = normalise(&x, 1.0, &NormMethod::Rank, None).unwrap_or_default();
        assert!(close(&r, &[1.0, 3.0, 2.0, 3.0, f64::NAN]));
        let p = normalise(&x, 1.0, &NormMethod::PRank, None).unwrap_or_default();
        assert!(close(&p, &[0.0, 2.0 / 3.0, 1.0 / 3.0, 2.0 / 3.0, f64::NAN]));
        let b = normalise(&x, -1.0, &NormMethod::Borda, None).unwrap_or_default();
        assert!(close(&b, &[3.0, 0.0, 2.0, 0.0, f64::NAN]));
    }

    #[test]
    fn dist2max_fracmax_goalposts_by_hand() {
        let x = [2.0, 4.0, 10.0];
        assert!(close(
            &normalise(&x, 1.0, &NormMethod::Dist2Max, None).unwrap_or_default(),
            &[0.0, 0.25, 1.0]
        ));
        assert!(close(
            &normalise(&x, 1.0, &NormMethod::FracMax, None).unwrap_or_default(),
            &[0.2, 0.4, 1.0]
        ));
        let g = NormMethod::Goalposts {
            gposts: None,
            scale: 100.0,
        };
        // lower post = min 2, target 6: (x-2)/4 capped
        assert!(close(
            &normalise(&x, 1.0, &g, Some(6.0)).unwrap_or_default(),
            &[0.0, 50.0, 100.0]
        ));
        // direction -1, target 3: values -2,-4,-10, lower post -10, upper -3
        assert!(close(
            &normalise(&x, -1.0, &g, Some(3.0)).unwrap_or_default(),
            &[100.0, 600.0 / 7.0, 0.0]
        ));
        assert!(normalise(&x, 1.0, &g, None).is_err());
        let gp = NormMethod::Goalposts {
            gposts: Some([0.0, 5.0, 1.0]),
            scale: 1.0,
        };
        assert!(close(
            &normalise(&x, 1.0, &gp, None).unwrap_or_default(),
            &[0.4, 0.8, 1.0]
        ));
    }

    #[test]
    fn impute_by_hand() {
        let x = [1.0, f64::NAN, 3.0, 10.0, f64::NAN];
        assert!(close(
            &impute_col(&x, false, None),
            &[1.0, 14.0 / 3.0, 3.0, 10.0, 14.0 / 3.0]
        ));
        assert!(close(
            &impute_col(&x, true, None),
            &[1.0, 3.0, 3.0, 10.0, 3.0]
        ));
        let g: Vec<Option<String>> = ["a", "a", "a", "b", "b"]
            .iter()
            .map(|s| Some(s.to_string()))
            .collect();
        assert!(close(
            &impute_col(&x, false, Some(&g)),
            &[1.0, 2.0, 3.0, 10.0, 10.0]
        ));
        let g2 = vec![
            Some("a".to_string()),
            None,
            Some("a".to_string()),
            Some("b".into()),
            Some("c".into()),
        ];
        assert!(close(
            &impute_col(&x, true, Some(&g2)),
            &[1.0, f64::NAN, 3.0, 10.0, f64::NAN]
        ));
    }

    #[test]
    fn treat_by_hand() {
        // COINr's own example: x <- c(1:10, 30, 100) fails (skew 3.06, kurt 9.74);
        // winsorising 100 -> 30 passes (skew 1.71)
        let x: Vec<f64> = (1..=10).map(f64::from).chain([30.0, 100.0]).collect();
        let p = TreatParams::default();
        let (y, t) = treat(&x, &p);
        assert_eq!(t, Treatment::Winsorised(1));
        let expect: Vec<f64> = (1..=10).map(f64::from).chain([30.0, 30.0]).collect();
        assert!(close(&y, &expect));
        // a stricter skew threshold needs a second pass: 30,30 -> 10 (nwin counts the 2 tied points)
        let (y2, t2) = treat(
            &x,
            &TreatParams {
                skew_thresh: 1.5,
                kurt_thresh: 1.5,
                ..p
            },
        );
        assert_eq!(t2, Treatment::Winsorised(2));
        let expect2: Vec<f64> = (1..=10).map(f64::from).chain([10.0, 10.0]).collect();
        assert!(close(&y2, &expect2));
        // winmax 0: no winsorisation allowed -> log_CT of the original
        let p1 = TreatParams { winmax: 0, ..p };
        let (y1, t1) = treat(&x, &p1);
        assert_eq!(t1, Treatment::Log);
        assert!((y1[0] - (0.99f64).ln()).abs() < 1e-12);
        assert!((y1[11] - (99.0f64 + 0.99).ln()).abs() < 1e-12);
        // symmetric data passes
        let (z, tz) = treat(&[1.0, 2.0, 3.0, 4.0, 5.0], &p);
        assert_eq!(tz, Treatment::None);
        assert!(close(&z, &[1.0, 2.0, 3.0, 4.0, 5.0]));
    }

    #[test]
    fn weighted_median_by_hand() {
        assert_eq!(
            weighted_median(&mut [(3.0, 1.0), (1.0, 1.0), (2.0, 1.0)]),
            2.0
        );
        assert_eq!(
            weighted_median(&mut [(3.0, 1.0), (1.0, 1.0), (2.0, 1.0), (4.0, 1.0)]),
            2.5
        );
        assert_eq!(
            weighted_median(&mut [(1.0, 1.0), (2.0, 1.0), (10.0, 5.0)]),
            10.0
        );
    }
}

//! Statistical analysis of a build: correlations, Cronbach's alpha, PCA, data availability, flags.
use nalgebra::{DMatrix, SymmetricEigen};

use crate::model::{DataSet, Framework};
use crate::stats::{self, present};

/// A principal component analysis of a group of columns (complete cases, standardised).
#[derive(Debug, Clone, PartialEq)]
pub struct Pca {
    /// Eigenvalues of the correlation matrix, descending.
    pub eigenvalues: Vec<f64>,
    /// Loadings (unit eigenvectors) per component, each with one entry per column; the sign of each
    /// component is chosen so that its loadings sum to a non-negative number.
    pub loadings: Vec<Vec<f64>>,
    /// Number of complete cases used.
    pub n_obs: usize,
}

/// PCA of columns as R's `prcomp(center = TRUE, scale = TRUE)` on complete cases.
/// `None` with fewer than 2 complete cases or a constant column.
pub fn pca(cols: &[&[f64]]) -> Option<Pca> {
    let k = cols.len();
    if k == 0 {
        return None;
    }
    let n = cols[0].len();
    let rows: Vec<usize> = (0..n)
        .filter(|&i| cols.iter().all(|c| present(c[i])))
        .collect();
    if rows.len() < 2 {
        return None;
    }
    let z: Vec<Vec<f64>> = cols
        .iter()
        .map(|c| {
            let v: Vec<f64> = rows.iter().map(|&i| c[i]).collect();
            let (m, s) = (stats::mean(&v), stats::sd(&v));
            v.iter().map(|x| (x - m) / s).collect()
        })
        .collect();
    if z.iter().flatten().any(|x| !x.is_finite()) {
        return None;
    }
    let nn = (rows.len() - 1) as f64;
    let corr = DMatrix::from_fn(k, k, |a, b| {
        z[a].iter().zip(&z[b]).map(|(x, y)| x * y).sum::<f64>() / nn
    });
    let eig = SymmetricEigen::new(corr);
    let mut idx: Vec<usize> = (0..k).collect();
    idx.sort_by(|&a, &b| eig.eigenvalues[b].total_cmp(&eig.eigenvalues[a]));
    let loadings = idx
        .iter()
        .map(|&j| {
            let v: Vec<f64> = (0..k).map(|r| eig.eigenvectors[(r, j)]).collect();
            if v.iter().sum::<f64>() < 0.0 {
                v.iter().map(|x| -x).collect()
            } else {
                v
            }
        })
        .collect();
    Some(Pca {
        eigenvalues: idx.iter().map(|&j| eig.eigenvalues[j]).collect(),
        loadings,
        n_obs: rows.len(),
    })
}

/// Cronbach's alpha of a group of columns (complete cases): `k/(k−1)·(1 − Σ var_i / var(Σ x_i))`.
pub fn cronbach_alpha(cols: &[&[f64]]) -> f64 {
    let k = cols.len();
    if k < 2 {
        return f64::NAN;
    }
    let n = cols[0].len();
    let rows: Vec<usize> = (0..n)
        .filter(|&i| cols.iter().all(|c| present(c[i])))
        .collect();
    let sum_var: f64 = cols
        .iter()
        .map(|c| stats::var(&rows.iter().map(|&i| c[i]).collect::<Vec<_>>()))
        .sum();
    let tot: Vec<f64> = rows
        .iter()
        .map(|&i| cols.iter().map(|c| c[i]).sum())
        .collect();
    let kf = k as f64;
    kf / (kf - 1.0) * (1.0 - sum_var / stats::var(&tot))
}

/// One correlation.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    /// First variable.
    pub a: String,
    /// Second variable.
    pub b: String,
    /// `sibling` (same parent), `parent` (b is a's parent) or `other`.
    pub relation: &'static str,
    /// Pearson coefficient.
    pub pearson: f64,
    /// Spearman coefficient.
    pub spearman: f64,
}

/// A warning about an indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    /// iCode(s).
    pub code: String,
    /// `near_zero_variance` or `collinear`.
    pub kind: &'static str,
    /// Detail.
    pub detail: String,
}

/// The whole analysis.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Analysis {
    /// Correlations between indicators, and of each node with its parent.
    pub correlations: Vec<Correlation>,
    /// Cronbach's alpha per aggregate (over its children).
    pub alpha: Vec<(String, f64)>,
    /// PCA per aggregate (over its children).
    pub pca: Vec<(String, Pca)>,
    /// Share of present indicator values per unit.
    pub availability_units: Vec<(String, f64)>,
    /// Share of present values per indicator.
    pub availability_indicators: Vec<(String, f64)>,
    /// Flags.
    pub flags: Vec<Flag>,
}

/// Analyse a data set (the `Aggregated` one gives parent correlations, alpha and PCA per aggregate).
/// `collinear` is the |Pearson| above which siblings are flagged (e.g. 0.9).
pub fn analyse(fw: &Framework, d: &DataSet, collinear: f64) -> Analysis {
    let col = |code: &str| d.col(code);
    let mut a = Analysis::default();
    let inds: Vec<(usize, &str)> = d
        .codes
        .iter()
        .filter_map(|c| {
            fw.find(c)
                .filter(|&i| fw.nodes[i].level == 1)
                .map(|i| (i, c.as_str()))
        })
        .collect();
    for (x, &(ia, ca)) in inds.iter().enumerate() {
        for &(ib, cb) in &inds[x + 1..] {
            let (Some(va), Some(vb)) = (col(ca), col(cb)) else {
                continue;
            };
            let sib = fw.nodes[ia].parent == fw.nodes[ib].parent;
            let p = stats::pearson(va, vb);
            a.correlations.push(Correlation {
                a: ca.into(),
                b: cb.into(),
                relation: if sib { "sibling" } else { "other" },
                pearson: p,
                spearman: stats::spearman(va, vb),
            });
            if sib && p.abs() > collinear {
                a.flags.push(Flag {
                    code: format!("{ca}/{cb}"),
                    kind: "collinear",
                    detail: format!("Pearson {p:.4} between siblings"),
                });
            }
        }
    }
    for (j, c) in d.codes.iter().enumerate() {
        let Some(i) = fw.find(c) else { continue };
        if let Some(p) = fw.nodes[i].parent {
            if let Some(vp) = col(&fw.nodes[p].code) {
                a.correlations.push(Correlation {
                    a: c.clone(),
                    b: fw.nodes[p].code.clone(),
                    relation: "parent",
                    pearson: stats::pearson(&d.cols[j], vp),
                    spearman: stats::spearman(&d.cols[j], vp),
                });
            }
        }
    }
    for level in 2..=fw.max_level {
        for g in fw.aggregates_at(level) {
            let cols: Option<Vec<&[f64]>> = fw.nodes[g]
                .children
                .iter()
                .map(|&c| col(&fw.nodes[c].code))
                .collect();
            let Some(cols) = cols else { continue };
            a.alpha
                .push((fw.nodes[g].code.clone(), cronbach_alpha(&cols)));
            if let Some(p) = pca(&cols) {
                a.pca.push((fw.nodes[g].code.clone(), p));
            }
        }
    }
    let ind_cols: Vec<&[f64]> = inds.iter().filter_map(|(_, c)| col(c)).collect();
    for (i, u) in d.units.iter().enumerate() {
        let n = ind_cols.iter().filter(|c| present(c[i])).count();
        a.availability_units
            .push((u.clone(), n as f64 / ind_cols.len().max(1) as f64));
    }
    for (_, c) in &inds {
        let Some(v) = col(c) else { continue };
        let n = v.iter().filter(|x| present(**x)).count();
        a.availability_indicators
            .push((c.to_string(), n as f64 / v.len().max(1) as f64));
        let s = stats::sorted_present(v);
        if s.len() >= 2 {
            let sd = stats::sd(&s);
            let m = stats::mean(&s).abs();
            let mut mode = 1;
            let mut run = 1;
            for k in 1..s.len() {
                run = if s[k] == s[k - 1] { run + 1 } else { 1 };
                mode = mode.max(run);
            }
            let share = mode as f64 / s.len() as f64;
            if sd <= 1e-10 * (1.0 + m) || share >= 0.9 {
                a.flags.push(Flag {
                    code: c.to_string(),
                    kind: "near_zero_variance",
                    detail: format!("sd {sd:.6e}, {:.0}% of values equal", share * 100.0),
                });
            }
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pca_of_two_perfectly_correlated_columns() {
        let a = [1.0, 2.0, 3.0, 4.0];
        let b = [2.0, 4.0, 6.0, 8.1];
        let p = pca(&[&a, &b]).expect("pca");
        assert!((p.eigenvalues.iter().sum::<f64>() - 2.0).abs() < 1e-9);
        assert!(p.eigenvalues[0] > 1.99);
        let l = &p.loadings[0];
        assert!((l[0] - l[1]).abs() < 1e-3 && l[0] > 0.0);
    }

    #[test]
    fn cronbach_by_hand() {
        // identical items: alpha = 1
        let a = [1.0, 2.0, 3.0, 5.0];
        assert!((cronbach_alpha(&[&a, &a, &a]) - 1.0).abs() < 1e-12);
    }
}

//! Small numeric helpers with R's conventions (missing values are `NaN`).

/// Is the value present (not missing)?
#[inline]
pub fn present(x: f64) -> bool {
    !x.is_nan()
}

/// Mean of the present values (`NaN` if none).
pub fn mean(x: &[f64]) -> f64 {
    let (mut s, mut n) = (0.0, 0usize);
    for &v in x.iter().filter(|v| present(**v)) {
        s += v;
        n += 1;
    }
    if n == 0 {
        f64::NAN
    } else {
        s / n as f64
    }
}

/// Sample standard deviation (n − 1) of the present values, like R's `sd(x, na.rm = TRUE)`.
pub fn sd(x: &[f64]) -> f64 {
    var(x).sqrt()
}

/// Sample variance (n − 1) of the present values.
pub fn var(x: &[f64]) -> f64 {
    let m = mean(x);
    let (mut s, mut n) = (0.0, 0usize);
    for &v in x.iter().filter(|v| present(**v)) {
        s += (v - m) * (v - m);
        n += 1;
    }
    if n < 2 {
        f64::NAN
    } else {
        s / (n - 1) as f64
    }
}

/// Minimum and maximum of present values (`NaN` if none).
pub fn min_max(x: &[f64]) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    let mut any = false;
    for &v in x.iter().filter(|v| present(**v)) {
        any = true;
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if any {
        (lo, hi)
    } else {
        (f64::NAN, f64::NAN)
    }
}

/// Present values, sorted ascending.
pub fn sorted_present(x: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = x.iter().copied().filter(|v| present(*v)).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// Median of present values, like R's `median(x, na.rm = TRUE)`.
pub fn median(x: &[f64]) -> f64 {
    quantile_sorted(&sorted_present(x), 0.5)
}

/// Quantile of R's default type 7 on an ascending, complete slice.
pub fn quantile_sorted(v: &[f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let h = (v.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

/// Ranks like R's `rank(x, ties.method = "min", na.last = "keep")`: ascending, ties get the minimum.
pub fn rank_asc_min(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).filter(|&i| present(x[i])).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut out = vec![f64::NAN; x.len()];
    assign_min_ranks(x, &idx, &mut out);
    out
}

/// Ranks where the highest value is rank 1, ties get the minimum rank, missing stays missing
/// (COINr's `rank(-x, ties.method = "min")`).
pub fn rank_desc_min(x: &[f64]) -> Vec<f64> {
    let mut out = vec![f64::NAN; x.len()];
    let mut idx = Vec::with_capacity(x.len());
    rank_desc_min_into(x, &mut idx, &mut out);
    out
}

/// As [`rank_desc_min`] without allocating: `idx` is scratch space.
pub fn rank_desc_min_into(x: &[f64], idx: &mut Vec<usize>, out: &mut [f64]) {
    idx.clear();
    idx.extend((0..x.len()).filter(|&i| present(x[i])));
    idx.sort_unstable_by(|&a, &b| x[b].total_cmp(&x[a]));
    out.iter_mut().for_each(|o| *o = f64::NAN);
    assign_min_ranks(x, idx, out);
}

fn assign_min_ranks(x: &[f64], sorted_idx: &[usize], out: &mut [f64]) {
    let mut prev = f64::NAN;
    let mut prev_rank = 0.0;
    for (pos, &i) in sorted_idx.iter().enumerate() {
        let r = if pos > 0 && x[i] == prev {
            prev_rank
        } else {
            (pos + 1) as f64
        };
        out[i] = r;
        prev = x[i];
        prev_rank = r;
    }
}

/// Skewness as `e1071::skewness(type = 2)` / Excel, on present values (needs ≥ 3 points).
pub fn skew(x: &[f64]) -> Option<f64> {
    let v: Vec<f64> = x.iter().copied().filter(|v| present(*v)).collect();
    let n = v.len();
    if n < 3 {
        return None;
    }
    let m = v.iter().sum::<f64>() / n as f64;
    let (mut s2, mut s3) = (0.0, 0.0);
    for &a in &v {
        let d = a - m;
        s2 += d * d;
        s3 += d * d * d;
    }
    let nf = n as f64;
    let y = nf.sqrt() * s3 / s2.powf(1.5);
    Some(y * (nf * (nf - 1.0)).sqrt() / (nf - 2.0))
}

/// Kurtosis as `e1071::kurtosis(type = 2)` / Excel, on present values (needs ≥ 4 points).
pub fn kurt(x: &[f64]) -> Option<f64> {
    let v: Vec<f64> = x.iter().copied().filter(|v| present(*v)).collect();
    let n = v.len();
    if n < 4 {
        return None;
    }
    let m = v.iter().sum::<f64>() / n as f64;
    let (mut s2, mut s4) = (0.0, 0.0);
    for &a in &v {
        let d = a - m;
        s2 += d * d;
        s4 += d * d * d * d;
    }
    let nf = n as f64;
    let r = nf * s4 / (s2 * s2);
    Some(((nf + 1.0) * (r - 3.0) + 6.0) * (nf - 1.0) / ((nf - 2.0) * (nf - 3.0)))
}

/// Pearson correlation over pairwise-complete observations.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let pairs: Vec<(f64, f64)> = x
        .iter()
        .zip(y)
        .filter(|(a, b)| present(**a) && present(**b))
        .map(|(a, b)| (*a, *b))
        .collect();
    let n = pairs.len();
    if n < 2 {
        return f64::NAN;
    }
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n as f64;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in pairs {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    sxy / (sxx * syy).sqrt()
}

/// Average ranks (ties get the mean rank), for Spearman correlation.
pub fn rank_average(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).filter(|&i| present(x[i])).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut out = vec![f64::NAN; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let r = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            out[k] = r;
        }
        i = j + 1;
    }
    out
}

/// Spearman correlation over pairwise-complete observations.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let (a, b): (Vec<f64>, Vec<f64>) = x
        .iter()
        .zip(y)
        .filter(|(a, b)| present(**a) && present(**b))
        .map(|(a, b)| (*a, *b))
        .unzip();
    pearson(&rank_average(&a), &rank_average(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_type7_matches_r() {
        // R: quantile(c(1,2,3,4,10), c(.05,.5,.95)) = 1.2 3.0 8.8
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((quantile_sorted(&v, 0.05) - 1.2).abs() < 1e-12);
        assert!((quantile_sorted(&v, 0.5) - 3.0).abs() < 1e-12);
        assert!((quantile_sorted(&v, 0.95) - 8.8).abs() < 1e-12);
    }

    #[test]
    fn ranks_ties_min() {
        let r = rank_desc_min(&[3.0, 5.0, 3.0, f64::NAN, 1.0]);
        assert_eq!(r[0], 2.0);
        assert_eq!(r[1], 1.0);
        assert_eq!(r[2], 2.0);
        assert!(r[3].is_nan());
        assert_eq!(r[4], 4.0);
        assert_eq!(
            rank_asc_min(&[3.0, 5.0, 3.0, 1.0]),
            vec![2.0, 4.0, 2.0, 1.0]
        );
    }

    #[test]
    fn skew_kurt_match_e1071_type2() {
        // x <- c(1:10, 30, 100): e1071::skewness(x, type=2) = 3.063241, kurtosis(type=2) = 9.741391
        let x: Vec<f64> = (1..=10).map(f64::from).chain([30.0, 100.0]).collect();
        assert!((skew(&x).unwrap_or(0.0) - 3.063_241_034).abs() < 1e-8);
        assert!((kurt(&x).unwrap_or(0.0) - 9.741_390_835).abs() < 1e-8);
    }
}

//! How good a grouping is against labelled groups: pairwise precision, recall and F1 (over the
//! pairs of submissions put together), B-cubed precision, recall and F1 (per submission, then
//! averaged), and how often a submission with a true partner finds one among its top
//! suggestions. Used by the quality test and the benchmark of BENCHMARKS.md.
use crate::similarity::SimilarityIndex;
use std::collections::HashMap;

/// The figures of one grouping.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupingScores {
    pub pair_precision: f64,
    pub pair_recall: f64,
    pub pair_f1: f64,
    pub bcubed_precision: f64,
    pub bcubed_recall: f64,
    pub bcubed_f1: f64,
}

fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// Compares `predicted` groups with `gold` labels (submission id → its true group).
pub fn grouping_scores(gold: &HashMap<i64, String>, predicted: &[Vec<i64>]) -> GroupingScores {
    let group_of: HashMap<i64, usize> = predicted
        .iter()
        .enumerate()
        .flat_map(|(g, ids)| ids.iter().map(move |id| (*id, g)))
        .collect();
    let ids: Vec<i64> = {
        let mut ids: Vec<i64> = gold.keys().copied().collect();
        ids.sort_unstable();
        ids
    };
    let (mut together, mut same, mut both) = (0u64, 0u64, 0u64);
    for (i, a) in ids.iter().enumerate() {
        for b in &ids[i + 1..] {
            let predicted_together = group_of.contains_key(a) && group_of.get(a) == group_of.get(b);
            let truly_same = gold[a] == gold[b];
            together += u64::from(predicted_together);
            same += u64::from(truly_same);
            both += u64::from(predicted_together && truly_same);
        }
    }
    let ratio = |n: u64, d: u64| if d == 0 { 1.0 } else { n as f64 / d as f64 };
    let pair_precision = ratio(both, together);
    let pair_recall = ratio(both, same);
    let (mut precision_sum, mut recall_sum) = (0.0, 0.0);
    for id in &ids {
        let mine: Vec<i64> = group_of
            .get(id)
            .map(|g| predicted[*g].clone())
            .unwrap_or_else(|| vec![*id]);
        let correct = mine.iter().filter(|m| gold.get(m) == gold.get(id)).count() as f64;
        let truly = ids.iter().filter(|m| gold[*m] == gold[id]).count() as f64;
        precision_sum += correct / mine.len() as f64;
        recall_sum += correct / truly;
    }
    let count = ids.len().max(1) as f64;
    let (bcubed_precision, bcubed_recall) = (precision_sum / count, recall_sum / count);
    GroupingScores {
        pair_precision,
        pair_recall,
        pair_f1: f1(pair_precision, pair_recall),
        bcubed_precision,
        bcubed_recall,
        bcubed_f1: f1(bcubed_precision, bcubed_recall),
    }
}

/// The share of submissions that have a true partner and find one among their `k` most similar.
pub fn partner_in_top(index: &SimilarityIndex, gold: &HashMap<i64, String>, k: usize) -> f64 {
    let (mut with_partner, mut found) = (0usize, 0usize);
    for id in index.ids() {
        let label = &gold[id];
        if gold.iter().filter(|(_, l)| *l == label).count() < 2 {
            continue;
        }
        with_partner += 1;
        let top = index.similar(*id, k).unwrap_or_default();
        if top.iter().any(|n| n.score > 0.0 && &gold[&n.id] == label) {
            found += 1;
        }
    }
    if with_partner == 0 {
        1.0
    } else {
        found as f64 / with_partner as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_perfect_grouping_scores_one_and_all_singletons_have_no_recall() {
        let gold: HashMap<i64, String> = [(1, "a"), (2, "a"), (3, "b")]
            .map(|(i, l)| (i, l.to_string()))
            .into();
        let perfect = grouping_scores(&gold, &[vec![1, 2], vec![3]]);
        assert_eq!((perfect.pair_f1, perfect.bcubed_f1), (1.0, 1.0));
        let singletons = grouping_scores(&gold, &[vec![1], vec![2], vec![3]]);
        assert_eq!(singletons.pair_recall, 0.0);
        assert_eq!(singletons.bcubed_precision, 1.0);
        let one = grouping_scores(&gold, &[vec![1, 2, 3]]);
        assert!((one.pair_precision - 1.0 / 3.0).abs() < 1e-9);
    }
}

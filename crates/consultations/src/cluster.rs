//! Suggested groups: average-linkage agglomerative clustering with a threshold.
//!
//! Every submission starts as a group of its own; the two groups whose **average** pairwise
//! score is highest are merged, again and again, while that average is at least the threshold.
//! Average linkage does not chain: a submission joins a group only when it is close to the
//! group as a whole, not to one member of it (single linkage and connected components would put
//! A and C together because both are near B). Pairs under the mode's edge floor ([`EDGE_FLOOR`]
//! by words alone, [`crate::semantic::COMBINED_EDGE_FLOOR`] with embeddings; or under the
//! threshold, when that is lower) count as 0 and are never stored, so the work grows with the
//! pairs that are similar at all rather than with N².
//!
//! Deterministic: the same submissions give the same groups — ties between equal averages go to
//! the pair with the smallest ids, and sums run in a fixed order. Groups come ordered by their
//! smallest id, ids ascending inside each.
use crate::similarity::SimilarityIndex;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

/// The threshold the Council sees first: the best pairwise F1 on the labelled set (see
/// BENCHMARKS.md, "Consultations: near-duplicate grouping").
pub const DEFAULT_THRESHOLD: f64 = 0.2;

/// Pairs scoring under this are taken as unrelated (score 0) by the clustering.
pub const EDGE_FLOOR: f64 = 0.05;

/// A candidate merge: two groups (by representative index) and their average score.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    average: f64,
    a: u32,
    b: u32,
    /// The groups' versions when this was computed: a merged group's older candidates are stale.
    version_a: u32,
    version_b: u32,
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    /// The highest average first; on a tie, the pair with the smaller indices (= smaller ids).
    fn cmp(&self, other: &Self) -> Ordering {
        self.average
            .total_cmp(&other.average)
            .then_with(|| (other.a, other.b).cmp(&(self.a, self.b)))
    }
}

struct Group {
    members: Vec<u32>,
    /// Another group's representative → the sum of the scores between the two groups.
    links: HashMap<u32, f64>,
    version: u32,
}

/// The groups of a consultation at `threshold` (in [0, 1]): every submission in exactly one.
pub fn cluster(index: &SimilarityIndex, threshold: f64) -> Vec<Vec<i64>> {
    let size = index.len();
    let mut groups: Vec<Option<Group>> = (0..size as u32)
        .map(|i| {
            Some(Group {
                members: vec![i],
                links: HashMap::new(),
                version: 0,
            })
        })
        .collect();
    let mut heap = BinaryHeap::new();
    for (a, b, score) in index.pairs_above(threshold.min(index.mode().edge_floor())) {
        for (from, to) in [(a, b), (b, a)] {
            if let Some(group) = groups[from as usize].as_mut() {
                group.links.insert(to, score);
            }
        }
        if score >= threshold {
            heap.push(Candidate {
                average: score,
                a,
                b,
                version_a: 0,
                version_b: 0,
            });
        }
    }
    while let Some(best) = heap.pop() {
        if best.average < threshold {
            break;
        }
        let current =
            |g: &Option<Group>, version: u32| g.as_ref().is_some_and(|g| g.version == version);
        if !current(&groups[best.a as usize], best.version_a)
            || !current(&groups[best.b as usize], best.version_b)
        {
            continue;
        }
        // The merged group keeps the smaller representative (the smaller id).
        let (keep, gone) = (best.a.min(best.b), best.a.max(best.b));
        let Some(absorbed) = groups[gone as usize].take() else {
            continue;
        };
        let Some(mut merged) = groups[keep as usize].take() else {
            continue;
        };
        merged.members.extend(absorbed.members);
        merged.links.remove(&gone);
        for (other, sum) in absorbed.links {
            if other != keep {
                *merged.links.entry(other).or_default() += sum;
            }
        }
        merged.version += 1;
        let size_merged = merged.members.len() as f64;
        // Neighbours' links now point at the merged group; in a fixed order for the heap's ties.
        let mut neighbours: Vec<(u32, f64)> = merged.links.iter().map(|(o, s)| (*o, *s)).collect();
        neighbours.sort_by_key(|(o, _)| *o);
        for (other, sum) in neighbours {
            let Some(group) = groups[other as usize].as_mut() else {
                continue;
            };
            group.links.remove(&gone);
            group.links.insert(keep, sum);
            let average = sum / (size_merged * group.members.len() as f64);
            if average >= threshold {
                heap.push(Candidate {
                    average,
                    a: keep.min(other),
                    b: keep.max(other),
                    version_a: if keep < other {
                        merged.version
                    } else {
                        group.version
                    },
                    version_b: if keep < other {
                        group.version
                    } else {
                        merged.version
                    },
                });
            }
        }
        groups[keep as usize] = Some(merged);
    }
    let ids = index.ids();
    let mut out: Vec<Vec<i64>> = groups
        .into_iter()
        .flatten()
        .map(|g| {
            let mut members: Vec<i64> = g.members.iter().map(|m| ids[*m as usize]).collect();
            members.sort_unstable();
            members
        })
        .collect();
    out.sort_by_key(|g| g[0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::similarity::Document;

    fn index(texts: &[&str]) -> SimilarityIndex {
        let docs: Vec<Document> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Document {
                id: (i as i64 + 1) * 10,
                text: t.to_string(),
            })
            .collect();
        SimilarityIndex::build(&docs)
    }

    const TEXTS: &[&str] = &[
        "Бесплатный Wi-Fi на всех станциях метро",
        "Опубликовать бюджет города в открытом машиночитаемом формате",
        "Free Wi-Fi at every metro station",
        "Publish the city budget as open machine-readable data",
        "Провести обучение сотрудников основам кибербезопасности",
        "Нужен вайфай в метрополитене",
        "Сделать парковки у школ безопаснее",
    ];

    #[test]
    fn every_submission_is_in_exactly_one_group() {
        let index = index(TEXTS);
        for threshold in [0.0, 0.1, DEFAULT_THRESHOLD, 0.6, 1.0] {
            let groups = cluster(&index, threshold);
            let mut all: Vec<i64> = groups.iter().flatten().copied().collect();
            all.sort_unstable();
            assert_eq!(all, index.ids(), "threshold {threshold}");
            assert!(groups.windows(2).all(|w| w[0][0] < w[1][0]));
            assert!(groups.iter().all(|g| g.windows(2).all(|w| w[0] < w[1])));
        }
        // At 1 only identical texts could meet: all singletons here.
        assert_eq!(cluster(&index, 1.0).len(), TEXTS.len());
    }

    #[test]
    fn the_same_input_gives_the_same_groups() {
        let first = cluster(&index(TEXTS), DEFAULT_THRESHOLD);
        let mut reversed: Vec<&str> = TEXTS.to_vec();
        reversed.reverse();
        for _ in 0..3 {
            assert_eq!(cluster(&index(TEXTS), DEFAULT_THRESHOLD), first);
        }
        // Ids, not the order of arrival, decide.
        let docs: Vec<Document> = TEXTS
            .iter()
            .enumerate()
            .rev()
            .map(|(i, t)| Document {
                id: (i as i64 + 1) * 10,
                text: t.to_string(),
            })
            .collect();
        assert_eq!(
            cluster(&SimilarityIndex::build(&docs), DEFAULT_THRESHOLD),
            first
        );
    }

    #[test]
    fn paraphrases_meet_and_unrelated_requests_stay_apart() {
        let groups = cluster(&index(TEXTS), DEFAULT_THRESHOLD);
        let group_of = |id: i64| groups.iter().position(|g| g.contains(&id));
        assert_eq!(group_of(10), group_of(30), "{groups:?}");
        assert_eq!(group_of(10), group_of(60), "{groups:?}");
        assert_eq!(group_of(20), group_of(40), "{groups:?}");
        assert!(groups.contains(&vec![50]), "{groups:?}");
        assert!(groups.contains(&vec![70]), "{groups:?}");
    }

    #[test]
    fn same_words_asking_for_different_things_score_below_a_paraphrase() {
        // In a consultation of four, every word is frequent, so the grouping cannot lean on
        // rare words; the score must still put the paraphrase above the request that shares
        // "open data" and "portal" but asks for a working search.
        let index = index(&[
            "Открыть данные о расписании общественного транспорта на портале открытых данных",
            "Publish public transport timetables as open data on the open data portal",
            "Улучшить поиск на портале открытых данных: наборы невозможно найти",
        ]);
        assert!(index.score(10, 20) > index.score(10, 30));
        assert!(index.score(20, 10) > index.score(20, 30));
    }

    #[test]
    fn average_linkage_does_not_chain() {
        // B is near A and near C; A and C share nothing: a chain would join all three.
        let groups = cluster(
            &index(&[
                "велодорожки вдоль набережной",
                "велодорожки вдоль набережной и камеры на перекрестках",
                "камеры на перекрестках",
            ]),
            0.4,
        );
        assert!(groups.len() >= 2, "{groups:?}");
    }

    #[test]
    fn an_empty_consultation_has_no_groups() {
        assert!(cluster(&index(&[]), DEFAULT_THRESHOLD).is_empty());
    }
}

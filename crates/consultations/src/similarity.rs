//! The lexical similarity of submissions within one consultation.
//!
//! Each text becomes one sparse vector of two blocks ([`crate::analysis`]): its word features
//! (stems and glossary concepts) and its character n-grams, each block weighted by TF-IDF over
//! the consultation (`tf` sublinear: `1 + ln tf`; `idf = ln((1 + N) / (1 + df)) + 1`) and
//! normalised to unit length, then scaled by `√WORD_WEIGHT` and `√GRAM_WEIGHT`. The dot product
//! of two vectors is therefore
//!
//! `score = WORD_WEIGHT · cos(words) + GRAM_WEIGHT · cos(grams)`, in [0, 1],
//!
//! symmetric, 1 for two texts with the same features. Dot products are accumulated through an
//! inverted index (feature → the documents that have it), so a text is compared only with texts
//! that share a feature, and the work is the postings it touches rather than every pair.
//!
//! With embeddings ([`SimilarityIndex::with_embeddings`]) two submissions that both have one
//! score by [`crate::semantic::combined`]; then every pair is compared (a dense dot product of
//! a few hundred components each), since a paraphrase may share no feature at all.
use crate::analysis::{features, Features};
use crate::semantic::{combined, cosine, stretched, Embedding, Mode};
use rayon::prelude::*;
use std::collections::HashMap;

/// The share of the score given to words (stems and concepts); the rest goes to n-grams.
pub const WORD_WEIGHT: f32 = 0.85;
/// The share of the score given to character n-grams.
pub const GRAM_WEIGHT: f32 = 1.0 - WORD_WEIGHT;

/// A submission as the similarity sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: i64,
    pub text: String,
}

/// Another submission and how close it is, in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Neighbour {
    pub id: i64,
    pub score: f64,
}

/// One feature's weight in a vector.
type Entry = (u32, f32);

/// The vectors of a consultation's submissions and their inverted index.
#[derive(Debug, Clone)]
pub struct SimilarityIndex {
    /// Submission ids, ascending; a document's position here is its index.
    ids: Vec<i64>,
    vectors: Vec<Vec<Entry>>,
    /// feature → (document index, weight), by document index.
    postings: Vec<Vec<(u32, f32)>>,
    /// feature name (`w:` word feature, `g:` n-gram) → feature number.
    vocabulary: HashMap<String, u32>,
    document_frequency: Vec<u32>,
    /// The submissions' embeddings by document index, when any were given.
    embeddings: Option<Vec<Option<Embedding>>>,
}

fn idf(documents: usize, df: u32) -> f32 {
    ((1.0 + documents as f32) / (1.0 + df as f32)).ln() + 1.0
}

/// Both blocks of a text's features, by feature name, with their counts.
fn named(features: &Features) -> [Vec<(String, u32)>; 2] {
    let mut words: Vec<(String, u32)> = features
        .words
        .iter()
        .map(|(w, n)| (format!("w:{w}"), *n))
        .collect();
    let mut grams: Vec<(String, u32)> = features
        .grams
        .iter()
        .map(|(g, n)| (format!("g:{g}"), *n))
        .collect();
    // Sorted, so sums run in the same order every time and scores are reproducible.
    words.sort();
    grams.sort();
    [words, grams]
}

/// A unit-length block scaled by `weight.sqrt()`: `(feature or None when unseen, weight)`.
fn weigh_block(
    block: &[(String, u32)],
    vocabulary: &HashMap<String, u32>,
    document_frequency: &[u32],
    documents: usize,
    weight: f32,
) -> Vec<(Option<u32>, f32)> {
    let raw: Vec<(Option<u32>, f32)> = block
        .iter()
        .map(|(name, count)| {
            let feature = vocabulary.get(name).copied();
            let df = feature.map_or(0, |f| document_frequency[f as usize]);
            let tf = 1.0 + (*count as f32).ln();
            (feature, tf * idf(documents, df))
        })
        .collect();
    let norm = raw.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm == 0.0 {
        return Vec::new();
    }
    let scale = weight.sqrt() / norm;
    raw.into_iter().map(|(f, w)| (f, w * scale)).collect()
}

impl SimilarityIndex {
    /// Builds the index of a consultation's submissions (any order; ids must be distinct).
    pub fn build(documents: &[Document]) -> SimilarityIndex {
        let mut sorted: Vec<&Document> = documents.iter().collect();
        sorted.sort_by_key(|d| d.id);
        let analysed: Vec<[Vec<(String, u32)>; 2]> = sorted
            .par_iter()
            .map(|d| named(&features(&d.text)))
            .collect();
        let mut vocabulary: HashMap<String, u32> = HashMap::new();
        let mut document_frequency: Vec<u32> = Vec::new();
        for blocks in &analysed {
            for (name, _) in blocks.iter().flatten() {
                let next = vocabulary.len() as u32;
                let feature = *vocabulary.entry(name.clone()).or_insert(next);
                if feature as usize == document_frequency.len() {
                    document_frequency.push(0);
                }
                document_frequency[feature as usize] += 1;
            }
        }
        let count = sorted.len();
        let vectors: Vec<Vec<Entry>> = analysed
            .par_iter()
            .map(|[words, grams]| {
                let mut vector: Vec<Entry> = [(words, WORD_WEIGHT), (grams, GRAM_WEIGHT)]
                    .into_iter()
                    .flat_map(|(block, weight)| {
                        weigh_block(block, &vocabulary, &document_frequency, count, weight)
                    })
                    .filter_map(|(f, w)| f.map(|f| (f, w)))
                    .collect();
                vector.sort_by_key(|(f, _)| *f);
                vector
            })
            .collect();
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); vocabulary.len()];
        for (index, vector) in vectors.iter().enumerate() {
            for (feature, weight) in vector {
                postings[*feature as usize].push((index as u32, *weight));
            }
        }
        SimilarityIndex {
            ids: sorted.iter().map(|d| d.id).collect(),
            vectors,
            postings,
            vocabulary,
            document_frequency,
            embeddings: None,
        }
    }

    /// The index with the submissions' embeddings added (by submission id). Embeddings of
    /// another length than the first one met (a model changed half-way) are left out, so those
    /// submissions keep the lexical score until they are embedded again.
    pub fn with_embeddings(mut self, embeddings: &HashMap<i64, Embedding>) -> SimilarityIndex {
        let dimensions = self
            .ids
            .iter()
            .find_map(|id| embeddings.get(id))
            .map(Embedding::dimensions);
        self.embeddings = dimensions.map(|dimensions| {
            self.ids
                .iter()
                .map(|id| {
                    embeddings
                        .get(id)
                        .filter(|e| e.dimensions() == dimensions)
                        .cloned()
                })
                .collect()
        });
        self
    }

    /// Which signals the scores use, and how many submissions have an embedding.
    pub fn mode(&self) -> Mode {
        match &self.embeddings {
            None => Mode::Lexical,
            Some(all) => Mode::Combined {
                embedded: all.iter().filter(|e| e.is_some()).count(),
                total: self.len(),
            },
        }
    }

    /// The embedding of the document at `index`, if it has one.
    fn embedding(&self, index: usize) -> Option<&Embedding> {
        self.embeddings.as_ref()?.get(index)?.as_ref()
    }

    /// The score of documents `a` and `b` (by index) given their lexical score.
    fn pair_score(&self, a: usize, b: usize, lexical: f32) -> f32 {
        match (self.embedding(a), self.embedding(b)) {
            (Some(x), Some(y)) => {
                combined(lexical, stretched(cosine(x.components(), y.components())))
            }
            _ => lexical,
        }
    }

    /// The documents whose score with document `own` (by index) must be computed besides the
    /// ones that share a feature with it: all others after `after`, when it has an embedding.
    fn dense_range(&self, own: Option<usize>, after: usize) -> std::ops::Range<usize> {
        match own.and_then(|o| self.embedding(o)) {
            Some(_) => after..self.len(),
            None => 0..0,
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The submission ids, ascending.
    pub fn ids(&self) -> &[i64] {
        &self.ids
    }

    fn index_of(&self, id: i64) -> Option<usize> {
        self.ids.binary_search(&id).ok()
    }

    /// The vector of a text that is not in the index (a new submission), weighted with the
    /// consultation's document frequencies; features no submission has count in its length
    /// but match nothing.
    fn vector_of(&self, text: &str) -> Vec<Entry> {
        let [words, grams] = named(&features(text));
        [(&words, WORD_WEIGHT), (&grams, GRAM_WEIGHT)]
            .into_iter()
            .flat_map(|(block, weight)| {
                weigh_block(
                    block,
                    &self.vocabulary,
                    &self.document_frequency,
                    self.len(),
                    weight,
                )
            })
            .filter_map(|(f, w)| f.map(|f| (f, w)))
            .collect()
    }

    /// Accumulates the dot products of `vector` with the documents after index `after` (all of
    /// them for `None`) into `scores`, remembering which it touched.
    fn accumulate(
        &self,
        vector: &[Entry],
        after: Option<usize>,
        scores: &mut [f32],
        touched: &mut Vec<u32>,
    ) {
        for (feature, weight) in vector {
            let list = &self.postings[*feature as usize];
            let start = after.map_or(0, |a| list.partition_point(|(d, _)| *d as usize <= a));
            for (document, other) in &list[start..] {
                let slot = &mut scores[*document as usize];
                if *slot == 0.0 {
                    touched.push(*document);
                }
                *slot += weight * other;
            }
        }
    }

    /// The `limit` submissions most similar to `vector`, most similar first (ties by id), never
    /// the document `own` whose vector it is (none for a text not in the index, which is then
    /// compared by words alone). When fewer than `limit` score above 0, the rest are filled with
    /// the other submissions at score 0, by id.
    fn nearest(&self, vector: &[Entry], own: Option<usize>, limit: usize) -> Vec<Neighbour> {
        let mut scores = vec![0.0f32; self.len()];
        let mut touched = Vec::new();
        self.accumulate(vector, None, &mut scores, &mut touched);
        let dense = self.dense_range(own, 0);
        let candidates: Vec<usize> = if dense.is_empty() {
            touched.iter().map(|d| *d as usize).collect()
        } else {
            dense.collect()
        };
        let mut found: Vec<Neighbour> = candidates
            .into_iter()
            .filter(|d| Some(*d) != own)
            .map(|d| Neighbour {
                id: self.ids[d],
                score: clamp(match own {
                    Some(o) => self.pair_score(o, d, scores[d]),
                    None => scores[d],
                }),
            })
            .filter(|n| n.score > 0.0)
            .collect();
        found.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        found.truncate(limit);
        if found.len() < limit {
            let chosen: std::collections::HashSet<i64> = found.iter().map(|n| n.id).collect();
            let rest = self
                .ids
                .iter()
                .enumerate()
                .filter(|(d, id)| Some(*d) != own && !chosen.contains(id))
                .map(|(_, id)| Neighbour {
                    id: *id,
                    score: 0.0,
                })
                .take(limit - found.len())
                .collect::<Vec<_>>();
            found.extend(rest);
        }
        found
    }

    /// The `limit` submissions most similar to submission `id`, most similar first, never `id`
    /// itself; `None` when `id` is not in the index.
    pub fn similar(&self, id: i64, limit: usize) -> Option<Vec<Neighbour>> {
        let index = self.index_of(id)?;
        Some(self.nearest(&self.vectors[index], Some(index), limit))
    }

    /// The `limit` submissions most similar to a text not yet submitted (suggestions while a
    /// participant writes, or for a submission that came by e-mail), by words alone: the text
    /// has no embedding yet.
    pub fn similar_to_text(&self, text: &str, limit: usize) -> Vec<Neighbour> {
        self.nearest(&self.vector_of(text), None, limit)
    }

    /// The score of two submissions (0 when either is unknown).
    pub fn score(&self, a: i64, b: i64) -> f64 {
        match (self.index_of(a), self.index_of(b)) {
            (Some(a), Some(b)) => {
                clamp(self.pair_score(a, b, dot(&self.vectors[a], &self.vectors[b])))
            }
            _ => 0.0,
        }
    }

    /// Every pair of documents (by index, `a < b`) whose score is at least `floor`, in order of
    /// `a` then `b`. The rows are computed in parallel; each score is the same sum whatever the
    /// number of threads.
    pub(crate) fn pairs_above(&self, floor: f64) -> Vec<(u32, u32, f64)> {
        let size = self.len();
        (0..size)
            .into_par_iter()
            .map_init(
                || (vec![0.0f32; size], Vec::new()),
                |(scores, touched), a| {
                    self.accumulate(&self.vectors[a], Some(a), scores, touched);
                    let dense = self.dense_range(Some(a), a + 1);
                    let others: Vec<u32> = if dense.is_empty() {
                        touched.clone()
                    } else {
                        dense.map(|b| b as u32).collect()
                    };
                    let mut row: Vec<(u32, u32, f64)> = others
                        .into_iter()
                        .filter_map(|b| {
                            let score = clamp(self.pair_score(a, b as usize, scores[b as usize]));
                            (score >= floor && score > 0.0).then_some((a as u32, b, score))
                        })
                        .collect();
                    for b in touched.drain(..) {
                        scores[b as usize] = 0.0;
                    }
                    row.sort_by_key(|(_, b, _)| *b);
                    row
                },
            )
            .flatten()
            .collect()
    }
}

fn dot(a: &[Entry], b: &[Entry]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// A score in [0, 1] with four decimals: rounding keeps float noise from making "the same
/// text" 0.9999999 and keeps the figures the API shows stable.
fn clamp(score: f32) -> f64 {
    ((f64::from(score).clamp(0.0, 1.0)) * 1e4).round() / 1e4
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn docs(texts: &[&str]) -> Vec<Document> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Document {
                id: i as i64 + 1,
                text: t.to_string(),
            })
            .collect()
    }

    fn sample() -> SimilarityIndex {
        SimilarityIndex::build(&docs(&[
            "Обеспечить бесплатный Wi-Fi на всех станциях метрополитена",
            "Free Wi-Fi in every metro station, please",
            "Нужен вайфай в метро!",
            "Опубликовать бюджет города в машиночитаемом формате",
            "Publish the city budget as open machine-readable data",
            "Обучить сотрудников администрации основам кибербезопасности",
        ]))
    }

    #[test]
    fn scores_are_symmetric_and_in_range() {
        let index = sample();
        for a in index.ids() {
            for b in index.ids() {
                let ab = index.score(*a, *b);
                assert_eq!(ab, index.score(*b, *a));
                assert!((0.0..=1.0).contains(&ab));
            }
            assert_eq!(index.score(*a, *a), 1.0);
        }
    }

    #[test]
    fn similar_never_lists_the_submission_itself_and_is_sorted() {
        let index = sample();
        for id in index.ids() {
            let similar = index.similar(*id, 10).expect("known id");
            assert_eq!(similar.len(), index.len() - 1);
            assert!(similar.iter().all(|n| n.id != *id));
            assert!(similar.windows(2).all(|w| w[0].score >= w[1].score));
        }
        assert!(index.similar(999, 5).is_none());
        assert_eq!(index.similar(1, 2).map(|s| s.len()), Some(2));
    }

    #[test]
    fn paraphrases_in_both_languages_come_first() {
        let index = sample();
        let near: Vec<i64> = index
            .similar(1, 2)
            .expect("known")
            .iter()
            .map(|n| n.id)
            .collect();
        assert!(near.contains(&2) && near.contains(&3), "{near:?}");
        let top = index.similar(4, 1).expect("known");
        assert_eq!(top[0].id, 5);
    }

    #[test]
    fn a_new_text_is_compared_without_being_added() {
        let index = sample();
        let found = index.similar_to_text("Wi-Fi в вагонах метро", 1);
        assert!([1, 2, 3].contains(&found[0].id), "{found:?}");
        assert_eq!(index.len(), 6);
    }

    #[test]
    fn pairs_above_agree_with_single_scores() {
        let index = sample();
        let pairs = index.pairs_above(0.0);
        for (a, b, score) in pairs {
            assert!(a < b);
            let expected = index.score(index.ids()[a as usize], index.ids()[b as usize]);
            assert!((score - expected).abs() < 1e-5, "{score} {expected}");
        }
    }

    /// Embeddings that make 1 and 6 (no word in common) the same request, and 4 and 5 too.
    fn embedded() -> SimilarityIndex {
        let vectors: HashMap<i64, Embedding> = [
            (1, [1.0, 0.0, 0.0]),
            (2, [0.9, 0.1, 0.0]),
            (4, [0.0, 1.0, 0.0]),
            (5, [0.0, 0.95, 0.05]),
            (6, [1.0, 0.02, 0.0]),
        ]
        .into_iter()
        .map(|(id, v)| (id, Embedding::new(v.to_vec()).expect("a vector")))
        .collect();
        sample().with_embeddings(&vectors)
    }

    #[test]
    fn embeddings_bring_together_texts_with_no_word_in_common() {
        let lexical = sample();
        let index = embedded();
        assert_eq!(
            index.mode(),
            Mode::Combined {
                embedded: 5,
                total: 6
            }
        );
        assert_eq!(lexical.mode(), Mode::Lexical);
        assert!(index.score(1, 6) > lexical.score(1, 6) + 0.3);
        assert_eq!(index.similar(6, 1).expect("known")[0].id, 1);
        // Submission 3 has no embedding yet: its pairs keep their lexical score.
        assert_eq!(index.score(1, 3), lexical.score(1, 3));
        assert_eq!(index.score(1, 1), 1.0);
    }

    #[test]
    fn combined_pairs_above_agree_with_single_scores_and_similar() {
        let index = embedded();
        let pairs = index.pairs_above(0.0);
        assert!(
            pairs.iter().any(|(a, b, _)| (*a, *b) == (0, 5)),
            "a pair with no word in common is found: {pairs:?}"
        );
        for (a, b, score) in pairs {
            let (a, b) = (index.ids()[a as usize], index.ids()[b as usize]);
            assert!((score - index.score(a, b)).abs() < 1e-5);
            let listed = index.similar(a, 10).expect("known");
            let from_similar = listed.iter().find(|n| n.id == b).map_or(0.0, |n| n.score);
            assert!((score - from_similar).abs() < 1e-5, "{a} {b}");
        }
    }
}

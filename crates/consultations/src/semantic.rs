//! The semantic signal: sentence embeddings of submissions (from any OpenAI-compatible
//! embeddings endpoint; the web layer fetches and stores them), compared by cosine.
//!
//! Multilingual sentence encoders put almost every pair of texts of one field at a high cosine
//! (on the labelled set, unrelated requests have a median of 0.83 and the same request in other
//! words 0.89), so the cosine is stretched before it is mixed with the lexical score: values at
//! or under [`COSINE_FLOOR`] count as unrelated (0) and 1 stays 1,
//!
//! `semantic = max(0, (cos − COSINE_FLOOR) / (1 − COSINE_FLOOR))`,
//!
//! and for two submissions that both have an embedding
//!
//! `score = (1 − SEMANTIC_WEIGHT) · lexical + SEMANTIC_WEIGHT · semantic`.
//!
//! A pair where either submission has no embedding yet keeps its lexical score. The floor, the
//! weight and [`COMBINED_THRESHOLD`] were chosen on the labelled set (BENCHMARKS.md,
//! "Consultations: near-duplicate grouping").

/// The cosine at or under which two texts count as unrelated.
pub const COSINE_FLOOR: f32 = 0.78;
/// The share of the combined score given to the semantic signal.
pub const SEMANTIC_WEIGHT: f32 = 0.5;
/// The grouping threshold the Council sees first when both signals are in use.
pub const COMBINED_THRESHOLD: f64 = 0.3;

/// Pairs scoring under this count as unrelated in the grouping when both signals are in use.
/// The stretched cosine of two unrelated requests is still above 0 (their median cosine is over
/// the floor), so without this nearly every pair would be a link and the grouping of 10,000
/// submissions would hold tens of millions of them.
pub const COMBINED_EDGE_FLOOR: f64 = 0.15;

/// An embedding that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EmbeddingError {
    #[error("an embedding has no components")]
    Empty,
    #[error("an embedding has a component that is not a finite number")]
    NotFinite,
    #[error("an embedding has length zero")]
    Zero,
}

/// A sentence embedding scaled to unit length, so that a dot product is the cosine.
#[derive(Debug, Clone, PartialEq)]
pub struct Embedding(Vec<f32>);

impl Embedding {
    pub fn new(components: Vec<f32>) -> Result<Embedding, EmbeddingError> {
        if components.is_empty() {
            return Err(EmbeddingError::Empty);
        }
        if components.iter().any(|c| !c.is_finite()) {
            return Err(EmbeddingError::NotFinite);
        }
        let norm = components.iter().map(|c| c * c).sum::<f32>().sqrt();
        if norm == 0.0 {
            return Err(EmbeddingError::Zero);
        }
        Ok(Embedding(
            components.into_iter().map(|c| c / norm).collect(),
        ))
    }

    pub fn components(&self) -> &[f32] {
        &self.0
    }

    pub fn dimensions(&self) -> usize {
        self.0.len()
    }
}

/// The cosine of two unit vectors of the same length. Eight running sums, so the compiler can
/// keep them in vector registers (one running sum would have to add in order, one by one).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let mut sums = [0.0f32; 8];
    let (a_chunks, b_chunks) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a_chunks
        .remainder()
        .iter()
        .zip(b_chunks.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in a_chunks.zip(b_chunks) {
        for lane in 0..8 {
            sums[lane] += x[lane] * y[lane];
        }
    }
    sums.iter().sum::<f32>() + tail
}

/// The cosine stretched to [0, 1] (see the module's note).
pub fn stretched(cosine: f32) -> f32 {
    ((cosine - COSINE_FLOOR) / (1.0 - COSINE_FLOOR)).clamp(0.0, 1.0)
}

/// The combined score of a pair from its lexical score and its stretched cosine.
pub fn combined(lexical: f32, semantic: f32) -> f32 {
    (1.0 - SEMANTIC_WEIGHT) * lexical + SEMANTIC_WEIGHT * semantic
}

/// Which signals an index uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Words and character n-grams only.
    Lexical,
    /// Both signals; `embedded` of the consultation's `total` submissions have an embedding.
    Combined { embedded: usize, total: usize },
}

impl Mode {
    /// The threshold the Council sees first in this mode.
    pub fn default_threshold(self) -> f64 {
        match self {
            Mode::Lexical => crate::cluster::DEFAULT_THRESHOLD,
            Mode::Combined { .. } => COMBINED_THRESHOLD,
        }
    }

    /// The score under which the grouping takes a pair as unrelated in this mode.
    pub fn edge_floor(self) -> f64 {
        match self {
            Mode::Lexical => crate::cluster::EDGE_FLOOR,
            Mode::Combined { .. } => COMBINED_EDGE_FLOOR,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeddings_are_unit_length_and_bad_ones_are_refused() {
        let e = Embedding::new(vec![3.0, 4.0]).expect("a vector");
        assert_eq!(e.components(), &[0.6, 0.8]);
        assert_eq!(Embedding::new(vec![]), Err(EmbeddingError::Empty));
        assert_eq!(Embedding::new(vec![0.0, 0.0]), Err(EmbeddingError::Zero));
        assert_eq!(
            Embedding::new(vec![1.0, f32::NAN]),
            Err(EmbeddingError::NotFinite)
        );
    }

    #[test]
    fn the_cosine_matches_the_plain_sum_for_any_length() {
        for length in [1, 7, 8, 9, 384] {
            let a: Vec<f32> = (0..length).map(|i| (i as f32 * 0.37).sin()).collect();
            let b: Vec<f32> = (0..length).map(|i| (i as f32 * 0.11).cos()).collect();
            let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((cosine(&a, &b) - plain).abs() < 1e-4, "length {length}");
        }
    }

    #[test]
    fn the_stretch_keeps_order_and_sends_the_floor_to_zero() {
        assert_eq!(stretched(COSINE_FLOOR), 0.0);
        assert_eq!(stretched(0.2), 0.0);
        assert_eq!(stretched(1.0), 1.0);
        assert!(stretched(0.85) < stretched(0.9));
        assert!((combined(1.0, 1.0) - 1.0).abs() < 1e-6);
        assert_eq!(combined(0.0, 0.0), 0.0);
    }
}

//! Consultations: proposals and critical remarks that cities and participants send after a
//! conference, and the platform's suggestions to the Expert Council of which of them ask for the
//! same thing. Pure: no I/O, no database, no HTTP.
//!
//! - [`model`]: a consultation (titles RU/EN, optional period and topics, open or closed) and a
//!   submission (city, language, proposal or remark, text up to [`model::MAX_TEXT_CHARS`],
//!   topic) parsed from their raw fields, with errors by field.
//! - [`analysis`]: text → features. Words folded to lower case with «ё» → «е», stop words and
//!   request framing removed, Snowball stems chosen per word's script (Russian or English),
//!   synonyms and translations of the subject's key terms mapped to shared concepts by the
//!   [`glossary`]; character 3–5-grams inside words, transliterated to Latin.
//! - [`similarity`]: TF-IDF vectors over the consultation, `score = 0.85 · cos(words) + 0.15 ·
//!   cos(n-grams)` in [0, 1], through an inverted index; `similar(id, limit)` (never the
//!   submission itself) and `similar_to_text` for a text not yet sent.
//! - [`cluster`]: average-linkage agglomerative grouping with a threshold (default
//!   [`cluster::DEFAULT_THRESHOLD`]); every submission in exactly one group, deterministic.
//! - [`rules`]: which city a person may submit for; who reviews (the Expert Council, the
//!   Secretariat, administrators).
//! - [`semantic`]: sentence embeddings (unit vectors), their cosine stretched to [0, 1] and
//!   mixed with the lexical score; [`semantic::Mode`] says which signals an index uses.
//! - [`generalise`]: the Council's merges, splits, moves and rejections, and what they refuse
//!   (a merge across consultations, a submission already generalised).
//! - [`edit`]: a participant changes their own submission while the consultation is open and
//!   before the Council has considered it.
//! - [`import`]: a batch from CSV or XLSX, all or nothing, errors by row and column.
//! - [`open_data`]: the CSV writer of the consultation's open data.
//! - [`plan`]: the plan of joint actions: items, draft → review → approved by the chair of the
//!   body the plan names.
//! - [`priorities`]: the priority directions of the "Electronic city of the future" with their
//!   evidence; proposed by the Council, approved by the Board's chair, published.
//! - [`quality`]: pairwise and B-cubed precision/recall/F1, and the share of submissions with a
//!   true partner among their top suggestions.
//!
//! The embeddings themselves come from outside (the web layer asks an OpenAI-compatible
//! endpoint and stores them); this crate only compares them.
pub mod analysis;
pub mod cluster;
pub mod edit;
pub mod generalise;
pub mod glossary;
pub mod import;
pub mod model;
pub mod open_data;
pub mod plan;
pub mod priorities;
pub mod quality;
pub mod rules;
pub mod semantic;
pub mod similarity;

pub use cluster::{cluster, DEFAULT_THRESHOLD};
pub use model::{
    ConsultationInput, ConsultationState, Kind, NewConsultation, NewSubmission, SubmissionInput,
};
pub use rules::{city_for, may_review, Refusal, COUNCIL_BODY};
pub use semantic::{Embedding, EmbeddingError, Mode};
pub use similarity::{Document, Neighbour, SimilarityIndex};

/// A threshold or limit a caller asked for that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QueryError {
    #[error("threshold must be a number from 0 to 1, not {0:?}")]
    Threshold(String),
    #[error("limit must be a whole number from 0 to {max}, not {raw:?}")]
    Limit { raw: String, max: usize },
}

/// The most suggestions one request may ask for.
pub const MAX_LIMIT: usize = 100;

/// A threshold as a query string gives it: empty → `default` (the mode's, see
/// [`Mode::default_threshold`]); otherwise a number in [0, 1].
pub fn parse_threshold(raw: Option<&str>, default: f64) -> Result<f64, QueryError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(default),
        Some(text) => text
            .parse::<f64>()
            .ok()
            .filter(|t| (0.0..=1.0).contains(t))
            .ok_or_else(|| QueryError::Threshold(text.to_string())),
    }
}

/// A limit as a query string gives it: empty → 5; otherwise 0 to [`MAX_LIMIT`].
pub fn parse_limit(raw: Option<&str>) -> Result<usize, QueryError> {
    match raw.map(str::trim) {
        None | Some("") => Ok(5),
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|l| *l <= MAX_LIMIT)
            .ok_or_else(|| QueryError::Limit {
                raw: text.to_string(),
                max: MAX_LIMIT,
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_and_limits_are_read_or_refused() {
        assert_eq!(parse_threshold(None, 0.25), Ok(0.25));
        assert_eq!(
            parse_threshold(Some(" "), DEFAULT_THRESHOLD),
            Ok(DEFAULT_THRESHOLD)
        );
        assert_eq!(parse_threshold(Some("0.5"), 0.25), Ok(0.5));
        for bad in ["1.5", "-0.1", "NaN", "high"] {
            assert!(parse_threshold(Some(bad), 0.25).is_err(), "{bad}");
        }
        assert_eq!(parse_limit(None), Ok(5));
        assert_eq!(parse_limit(Some("3")), Ok(3));
        assert!(parse_limit(Some("-1")).is_err());
        assert!(parse_limit(Some("1000")).is_err());
    }
}

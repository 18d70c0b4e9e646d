//! An edition's life: `draft` (uploaded) → `computed` (a result is stored) → `published` (the
//! public sees the result). Computing again keeps a published edition published: its files are
//! fixed, so the same pin gives the same result.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditionState {
    Draft,
    Computed,
    Published,
}

/// Why an action on an edition is refused in its state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    #[error("the edition has not been computed yet: compute it first")]
    NotComputed,
    #[error("the edition has no verified data to compute")]
    NoData,
    #[error(
        "the edition is published, so its methodology is frozen: start a new edition as a copy"
    )]
    PublishedFrozen,
    #[error(
        "a campaign uses the edition, so its methodology is frozen: start a new edition as a copy"
    )]
    InUseFrozen,
}

impl EditionState {
    pub fn as_str(self) -> &'static str {
        match self {
            EditionState::Draft => "draft",
            EditionState::Computed => "computed",
            EditionState::Published => "published",
        }
    }

    pub fn parse(text: &str) -> Option<EditionState> {
        match text {
            "draft" => Some(EditionState::Draft),
            "computed" => Some(EditionState::Computed),
            "published" => Some(EditionState::Published),
            _ => None,
        }
    }

    /// May a computation be asked for: only when there is data to compute.
    pub fn compute(self, has_data: bool) -> Result<(), StateError> {
        if has_data {
            Ok(())
        } else {
            Err(StateError::NoData)
        }
    }

    /// The state once a result is stored.
    pub fn computed(self) -> EditionState {
        match self {
            EditionState::Published => EditionState::Published,
            _ => EditionState::Computed,
        }
    }

    /// The state once published: only a computed edition can be.
    pub fn publish(self) -> Result<EditionState, StateError> {
        match self {
            EditionState::Draft => Err(StateError::NotComputed),
            EditionState::Computed | EditionState::Published => Ok(EditionState::Published),
        }
    }

    /// May the methodology be edited: not once published, nor once a campaign uses it (the
    /// cities' answers are to its questions). An edit drops a stored result: it is back to
    /// [`EditionState::Draft`].
    pub fn edit(self, used_by_campaign: bool) -> Result<EditionState, StateError> {
        match (self, used_by_campaign) {
            (EditionState::Published, _) => Err(StateError::PublishedFrozen),
            (_, true) => Err(StateError::InUseFrozen),
            _ => Ok(EditionState::Draft),
        }
    }

    pub fn is_public(self) -> bool {
        self == EditionState::Published
    }
}

#[cfg(test)]
mod tests {
    use super::EditionState::*;
    use super::*;

    #[test]
    fn publishing_needs_a_result() {
        assert_eq!(Draft.publish(), Err(StateError::NotComputed));
        assert_eq!(Computed.publish(), Ok(Published));
        assert_eq!(Published.publish(), Ok(Published));
    }

    #[test]
    fn computing_needs_data_and_keeps_a_published_edition_public() {
        assert_eq!(Draft.compute(false), Err(StateError::NoData));
        assert_eq!(Draft.compute(true), Ok(()));
        assert_eq!(Draft.computed(), Computed);
        assert_eq!(Published.computed(), Published);
    }

    #[test]
    fn a_methodology_is_frozen_once_published_or_used() {
        assert_eq!(Draft.edit(false), Ok(Draft));
        assert_eq!(Computed.edit(false), Ok(Draft));
        assert_eq!(Draft.edit(true), Err(StateError::InUseFrozen));
        assert_eq!(Published.edit(false), Err(StateError::PublishedFrozen));
    }

    #[test]
    fn states_read_back() {
        for s in [Draft, Computed, Published] {
            assert_eq!(EditionState::parse(s.as_str()), Some(s));
        }
        assert_eq!(EditionState::parse("other"), None);
        assert!(Published.is_public() && !Computed.is_public());
    }
}

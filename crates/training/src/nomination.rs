//! A nomination's life. A city nominates; the Secretariat confirms, puts on the waiting list,
//! declines (with a reason the city sees), or moves it to another cohort; a nominee may
//! withdraw (with a reason); the results make it completed or failed. Nothing is deleted: a
//! declined, withdrawn or moved nomination stays with its reason. Only the states that
//! [`NominationState::holds_place`] count against the city's quota and the cohort's capacity.
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NominationState {
    Nominated,
    Confirmed,
    Waitlisted,
    Declined,
    Withdrawn,
    Moved,
    Completed,
    Failed,
}

/// What the Secretariat (or the nominating city, for a withdrawal) decides about a nomination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Confirm,
    Waitlist,
    Decline,
    Withdraw,
}

/// Why a decision is refused in the nomination's state; nothing changes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    #[error("a {0} nomination cannot be {1}")]
    NotNow(&'static str, &'static str),
    #[error("a reason is required")]
    NoReason,
}

impl DecisionError {
    /// A stable code for the API and the page's message key.
    pub fn code(&self) -> &'static str {
        match self {
            DecisionError::NotNow(..) => "not_now",
            DecisionError::NoReason => "no_reason",
        }
    }
}

impl NominationState {
    pub const ALL: [NominationState; 8] = [
        NominationState::Nominated,
        NominationState::Confirmed,
        NominationState::Waitlisted,
        NominationState::Declined,
        NominationState::Withdrawn,
        NominationState::Moved,
        NominationState::Completed,
        NominationState::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NominationState::Nominated => "nominated",
            NominationState::Confirmed => "confirmed",
            NominationState::Waitlisted => "waitlisted",
            NominationState::Declined => "declined",
            NominationState::Withdrawn => "withdrawn",
            NominationState::Moved => "moved",
            NominationState::Completed => "completed",
            NominationState::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<NominationState> {
        NominationState::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
    }

    /// Does the nomination take one of the cohort's places (and of its city's quota)?
    pub fn holds_place(self) -> bool {
        matches!(
            self,
            NominationState::Nominated
                | NominationState::Confirmed
                | NominationState::Completed
                | NominationState::Failed
        )
    }

    /// Still to be decided or trained: the states a decision or a move starts from.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            NominationState::Nominated | NominationState::Confirmed | NominationState::Waitlisted
        )
    }

    /// May results (attendance, assessment) be recorded: a place held and not settled by a
    /// decision.
    pub fn takes_results(self) -> bool {
        self.holds_place()
    }

    /// The state after `decision`, or why not. A confirmation from the waiting list takes a
    /// place again: the caller checks there is one ([`crate::check_places`]).
    pub fn decide(
        self,
        decision: Decision,
        reason: &str,
    ) -> Result<NominationState, DecisionError> {
        use NominationState::*;
        let needs_reason = matches!(decision, Decision::Decline | Decision::Withdraw);
        if needs_reason && reason.trim().is_empty() {
            return Err(DecisionError::NoReason);
        }
        let next = match (self, decision) {
            (Nominated | Waitlisted, Decision::Confirm) => Confirmed,
            (Nominated | Confirmed, Decision::Waitlist) => Waitlisted,
            (s, Decision::Decline) if s.is_open() => Declined,
            (s, Decision::Withdraw) if s.is_open() => Withdrawn,
            (s, d) => return Err(DecisionError::NotNow(s.as_str(), d.past())),
        };
        Ok(next)
    }

    /// May the nomination move to another cohort.
    pub fn may_move(self) -> Result<(), DecisionError> {
        if self.is_open() {
            Ok(())
        } else {
            Err(DecisionError::NotNow(self.as_str(), "moved"))
        }
    }
}

impl Decision {
    pub fn parse(text: &str) -> Option<Decision> {
        match text {
            "confirm" => Some(Decision::Confirm),
            "waitlist" => Some(Decision::Waitlist),
            "decline" => Some(Decision::Decline),
            "withdraw" => Some(Decision::Withdraw),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Confirm => "confirm",
            Decision::Waitlist => "waitlist",
            Decision::Decline => "decline",
            Decision::Withdraw => "withdraw",
        }
    }

    fn past(self) -> &'static str {
        match self {
            Decision::Confirm => "confirmed",
            Decision::Waitlist => "put on the waiting list",
            Decision::Decline => "declined",
            Decision::Withdraw => "withdrawn",
        }
    }
}

/// Attendance from the register of a cohort's sessions: the share of sessions attended, or
/// `None` while the cohort has no sessions.
pub fn attended_share(sessions: usize, attended: usize) -> Option<f64> {
    (sessions > 0).then(|| attended.min(sessions) as f64 / sessions as f64)
}

#[cfg(test)]
mod tests {
    use super::Decision::*;
    use super::NominationState::*;
    use super::*;

    #[test]
    fn the_secretariat_confirms_waitlists_and_declines_with_a_reason() {
        assert_eq!(Nominated.decide(Confirm, ""), Ok(Confirmed));
        assert_eq!(Nominated.decide(Waitlist, ""), Ok(Waitlisted));
        assert_eq!(Waitlisted.decide(Confirm, ""), Ok(Confirmed));
        assert_eq!(Confirmed.decide(Waitlist, ""), Ok(Waitlisted));
        assert_eq!(Nominated.decide(Decline, " "), Err(DecisionError::NoReason));
        assert_eq!(Waitlisted.decide(Decline, "no budget"), Ok(Declined));
        assert_eq!(Confirmed.decide(Withdraw, "ill"), Ok(Withdrawn));
    }

    #[test]
    fn settled_nominations_take_no_decision_and_do_not_move() {
        for settled in [Declined, Withdrawn, Moved, Completed, Failed] {
            for decision in [Confirm, Waitlist, Decline, Withdraw] {
                assert!(
                    matches!(
                        settled.decide(decision, "why"),
                        Err(DecisionError::NotNow(..))
                    ),
                    "{settled:?} {decision:?}"
                );
            }
            assert!(settled.may_move().is_err());
        }
        assert_eq!(
            Confirmed.decide(Confirm, ""),
            Err(DecisionError::NotNow("confirmed", "confirmed"))
        );
        assert!(Waitlisted.may_move().is_ok());
    }

    #[test]
    fn only_held_places_count_and_states_read_back() {
        let held: Vec<_> = NominationState::ALL
            .into_iter()
            .filter(|s| s.holds_place())
            .collect();
        assert_eq!(held, vec![Nominated, Confirmed, Completed, Failed]);
        for s in NominationState::ALL {
            assert_eq!(NominationState::parse(s.as_str()), Some(s));
        }
        for d in [Confirm, Waitlist, Decline, Withdraw] {
            assert_eq!(Decision::parse(d.as_str()), Some(d));
        }
    }

    #[test]
    fn attendance_is_the_share_of_sessions_attended() {
        assert_eq!(attended_share(0, 0), None);
        assert_eq!(attended_share(4, 3), Some(0.75));
        assert_eq!(attended_share(4, 9), Some(1.0));
    }
}

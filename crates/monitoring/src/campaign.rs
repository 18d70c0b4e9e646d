//! A campaign: the Secretariat asks the invited cities to answer an edition's questionnaire by a
//! due date; two assessors per city check every answer. This module is the life of one city's
//! answers and of each answer, and who may move them.
//!
//! A city's answers:
//!
//! ```text
//! not_started ─save→ draft ─submit→ submitted ─assess→ under_assessment ─(every answer final)→ verified
//!                                                        │  ▲
//!                                             return ────┘  └── resubmit (only the returned answers changed)
//!                                                        ▼
//!                                                     returned
//! ```
//!
//! After a return the city may change only the answers sent back, then resubmits; the
//! **Secretariat adjudicates the changed answers** (the assessors are not asked again: they
//! already gave their view, and the return carried the Secretariat's message). An answer is final
//! when both assessors agree (both accept, or both correct to the same value), or when the
//! Secretariat adjudicates it; the city is verified when every answer is final.
use serde::{Deserialize, Serialize};

/// Where one city's answers are in a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CityState {
    NotStarted,
    Draft,
    Submitted,
    UnderAssessment,
    Returned,
    Verified,
}

/// Who someone is to a city's answers in a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    /// A representative of that city.
    City,
    /// One of the city's two assessors.
    Assessor,
    /// The Secretariat (or an administrator), who runs the campaign.
    Secretariat,
}

/// What someone does to a city's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CityAction {
    /// Save answers without submitting them.
    Save,
    Submit,
    /// An assessor's decision on answers.
    Assess,
    /// The Secretariat settles an answer.
    Adjudicate,
    /// The Secretariat sends chosen answers back to the city.
    Return,
}

/// Why an action is refused. `code` is stable (API) and the translation key's tail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CampaignError {
    #[error("only {0} may do this")]
    NotYours(&'static str),
    #[error("the answers are {}: this cannot be done now", .0.as_str())]
    WrongState(CityState),
    #[error("the campaign is closed")]
    Closed,
    #[error("unanswered questions: {0}")]
    Unanswered(String),
    #[error("only the answers sent back may change: {0}")]
    NotReturned(String),
    #[error("{0} is not an expert: assessors are people with the expert role")]
    NotAnExpert(String),
    #[error("{name} represents {city}: an assessor is never from the city assessed")]
    AssessorFromCity { name: String, city: String },
    #[error("the two assessors of {0} must be two different people")]
    SameAssessor(String),
    #[error("a campaign needs at least one invited city")]
    NoCities,
    #[error("the edition is published: a campaign is opened on an edition not yet published")]
    EditionPublished,
    #[error("the answer to {0} is final already")]
    AlreadyFinal(String),
    #[error("{0} is not a question of this campaign")]
    UnknownIndicator(String),
}

impl CampaignError {
    pub fn code(&self) -> &'static str {
        match self {
            CampaignError::NotYours(_) => "not_yours",
            CampaignError::WrongState(_) => "wrong_state",
            CampaignError::Closed => "closed",
            CampaignError::Unanswered(_) => "unanswered",
            CampaignError::NotReturned(_) => "not_returned",
            CampaignError::NotAnExpert(_) => "not_an_expert",
            CampaignError::AssessorFromCity { .. } => "assessor_from_city",
            CampaignError::SameAssessor(_) => "same_assessor",
            CampaignError::NoCities => "no_cities",
            CampaignError::EditionPublished => "edition_published",
            CampaignError::AlreadyFinal(_) => "already_final",
            CampaignError::UnknownIndicator(_) => "unknown_indicator",
        }
    }

    /// The HTTP status the refusal is.
    pub fn status(&self) -> u16 {
        match self {
            CampaignError::NotYours(_) => 403,
            CampaignError::WrongState(_) | CampaignError::Closed => 409,
            CampaignError::EditionPublished | CampaignError::AlreadyFinal(_) => 409,
            _ => 422,
        }
    }
}

/// What the rule of assessors needs to know of a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessorInfo {
    pub id: i64,
    pub name: String,
    pub is_expert: bool,
    /// The city the person represents, if any.
    pub city: Option<String>,
}

/// Two assessors for `city`: two different experts, neither of them from that city.
pub fn check_assessors(
    city: &str,
    first: &AssessorInfo,
    second: &AssessorInfo,
) -> Result<(), CampaignError> {
    for person in [first, second] {
        if !person.is_expert {
            return Err(CampaignError::NotAnExpert(person.name.clone()));
        }
        if person.city.as_deref() == Some(city) {
            return Err(CampaignError::AssessorFromCity {
                name: person.name.clone(),
                city: city.to_string(),
            });
        }
    }
    if first.id == second.id {
        return Err(CampaignError::SameAssessor(city.to_string()));
    }
    Ok(())
}

impl CityState {
    pub const ALL: [CityState; 6] = [
        CityState::NotStarted,
        CityState::Draft,
        CityState::Submitted,
        CityState::UnderAssessment,
        CityState::Returned,
        CityState::Verified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CityState::NotStarted => "not_started",
            CityState::Draft => "draft",
            CityState::Submitted => "submitted",
            CityState::UnderAssessment => "under_assessment",
            CityState::Returned => "returned",
            CityState::Verified => "verified",
        }
    }

    pub fn parse(text: &str) -> Option<CityState> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// May the city change its answers (only those sent back, when returned).
    pub fn city_may_edit(self) -> bool {
        matches!(
            self,
            CityState::NotStarted | CityState::Draft | CityState::Returned
        )
    }

    /// Has the city still to submit its answers: its representatives are reminded as the due
    /// date nears and once it has passed. A returned city has submitted: the Secretariat's
    /// message already asks for the corrections.
    pub fn awaits_answers(self) -> bool {
        matches!(self, CityState::NotStarted | CityState::Draft)
    }

    /// Are the answers before the assessors.
    pub fn assessable(self) -> bool {
        matches!(self, CityState::Submitted | CityState::UnderAssessment)
    }

    /// The state after `action` by someone of `capacity`, or why not. Verification is not an
    /// action: [`CityState::settled`] says when the last answer becomes final.
    pub fn apply(self, action: CityAction, capacity: Capacity) -> Result<CityState, CampaignError> {
        use CityAction::*;
        use CityState::*;
        let who = match action {
            Save | Submit => Capacity::City,
            Assess => Capacity::Assessor,
            Adjudicate | Return => Capacity::Secretariat,
        };
        if capacity != who {
            return Err(CampaignError::NotYours(match who {
                Capacity::City => "the city's representatives",
                Capacity::Assessor => "the city's assessors",
                Capacity::Secretariat => "the Secretariat",
            }));
        }
        match (action, self) {
            (Save, NotStarted | Draft) => Ok(Draft),
            (Save, Returned) => Ok(Returned),
            // Resubmitted answers go to the Secretariat's adjudication.
            (Submit, NotStarted | Draft) => Ok(Submitted),
            (Submit, Returned) => Ok(UnderAssessment),
            (Assess, Submitted | UnderAssessment) => Ok(UnderAssessment),
            (Adjudicate, Submitted | UnderAssessment) => Ok(UnderAssessment),
            (Return, Submitted | UnderAssessment) => Ok(Returned),
            (_, state) => Err(CampaignError::WrongState(state)),
        }
    }

    /// The state once every answer is final: verified (from wherever the answers were being
    /// checked).
    pub fn settled(self, all_final: bool) -> CityState {
        if all_final && matches!(self, CityState::Submitted | CityState::UnderAssessment) {
            CityState::Verified
        } else {
            self
        }
    }
}

/// Where one answer is in its check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerStage {
    /// As the city gave it; before the assessors once submitted.
    Open,
    /// Sent back to the city with a message.
    Returned,
    /// Changed by the city after a return: for the Secretariat to adjudicate.
    Resubmitted,
    /// Has its final value.
    Final,
}

impl AnswerStage {
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerStage::Open => "open",
            AnswerStage::Returned => "returned",
            AnswerStage::Resubmitted => "resubmitted",
            AnswerStage::Final => "final",
        }
    }

    pub fn parse(text: &str) -> Option<AnswerStage> {
        [
            AnswerStage::Open,
            AnswerStage::Returned,
            AnswerStage::Resubmitted,
            AnswerStage::Final,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }
}

/// A campaign's due date: `YYYY-MM-DD`.
pub fn parse_due_date(text: &str) -> Option<String> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && text
            .chars()
            .enumerate()
            .all(|(k, c)| k == 4 || k == 7 || c.is_ascii_digit());
    let month: u32 = text.get(5..7)?.parse().ok()?;
    let day: u32 = text.get(8..10)?.parse().ok()?;
    (ok && (1..=12).contains(&month) && (1..=31).contains(&day)).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::CityAction::*;
    use super::CityState::*;
    use super::*;

    #[test]
    fn a_city_answers_submits_and_is_verified() {
        let mut state = NotStarted;
        state = state.apply(Save, Capacity::City).expect("save");
        assert_eq!(state, Draft);
        state = state.apply(Submit, Capacity::City).expect("submit");
        assert_eq!(state, Submitted);
        assert_eq!(state.settled(false), Submitted);
        state = state.apply(Assess, Capacity::Assessor).expect("assess");
        assert_eq!(state, UnderAssessment);
        assert_eq!(state.settled(true), Verified);
    }

    #[test]
    fn returned_answers_come_back_to_the_secretariat() {
        let state = UnderAssessment
            .apply(Return, Capacity::Secretariat)
            .expect("return");
        assert_eq!(state, Returned);
        assert!(state.city_may_edit());
        assert_eq!(state.apply(Save, Capacity::City), Ok(Returned));
        assert_eq!(state.apply(Submit, Capacity::City), Ok(UnderAssessment));
        assert_eq!(
            state.apply(Assess, Capacity::Assessor),
            Err(CampaignError::WrongState(Returned))
        );
    }

    #[test]
    fn each_action_belongs_to_one_capacity() {
        assert_eq!(
            Draft
                .apply(Submit, Capacity::Assessor)
                .map_err(|e| e.code()),
            Err("not_yours")
        );
        assert_eq!(
            Submitted
                .apply(Assess, Capacity::City)
                .map_err(|e| e.code()),
            Err("not_yours")
        );
        assert_eq!(
            Submitted
                .apply(Return, Capacity::Assessor)
                .map_err(|e| e.code()),
            Err("not_yours")
        );
        assert!(Submitted.apply(Adjudicate, Capacity::Secretariat).is_ok());
    }

    #[test]
    fn submitted_and_verified_answers_are_locked() {
        for state in [Submitted, UnderAssessment, Verified] {
            assert!(!state.city_may_edit());
            assert_eq!(
                state.apply(Save, Capacity::City),
                Err(CampaignError::WrongState(state))
            );
        }
        assert_eq!(
            Verified.apply(Assess, Capacity::Assessor),
            Err(CampaignError::WrongState(Verified))
        );
        assert_eq!(Verified.settled(true), Verified);
        assert_eq!(
            Draft.settled(true),
            Draft,
            "an unsubmitted city is never verified"
        );
    }

    #[test]
    fn assessors_are_two_experts_from_elsewhere() {
        let expert = |id: i64, city: Option<&str>| AssessorInfo {
            id,
            name: format!("E{id}"),
            is_expert: true,
            city: city.map(str::to_string),
        };
        assert_eq!(
            check_assessors("minsk", &expert(1, None), &expert(2, Some("moscow"))),
            Ok(())
        );
        assert_eq!(
            check_assessors("minsk", &expert(1, None), &expert(2, Some("minsk")))
                .map_err(|e| e.code()),
            Err("assessor_from_city")
        );
        assert_eq!(
            check_assessors("minsk", &expert(1, None), &expert(1, None)).map_err(|e| e.code()),
            Err("same_assessor")
        );
        let rep = AssessorInfo {
            is_expert: false,
            ..expert(3, None)
        };
        assert_eq!(
            check_assessors("minsk", &rep, &expert(1, None)).map_err(|e| e.code()),
            Err("not_an_expert")
        );
    }

    #[test]
    fn only_cities_yet_to_submit_are_reminded() {
        let reminded: Vec<CityState> = CityState::ALL
            .into_iter()
            .filter(|s| s.awaits_answers())
            .collect();
        assert_eq!(reminded, [NotStarted, Draft]);
    }

    #[test]
    fn states_and_dates_read_back() {
        for state in CityState::ALL {
            assert_eq!(CityState::parse(state.as_str()), Some(state));
        }
        for stage in ["open", "returned", "resubmitted", "final"] {
            assert_eq!(
                AnswerStage::parse(stage).map(AnswerStage::as_str),
                Some(stage)
            );
        }
        assert_eq!(parse_due_date(" 2026-05-31 "), Some("2026-05-31".into()));
        for bad in ["2026-13-01", "31.05.2026", "2026-5-31", ""] {
            assert_eq!(parse_due_date(bad), None, "{bad}");
        }
    }
}

//! Priority directions of the association's programme "Electronic city of the future": each in
//! Russian and English, backed by evidence (generalised proposals, weak criteria of the latest
//! published monitoring edition, solutions of the catalogue, items of approved plans). The Expert
//! Council proposes one, the chair of the Board approves it, the Secretariat publishes it; its
//! progress is that of the assignments its plan items became.
use crate::model::{MAX_TEXT_CHARS, MAX_TITLE_CHARS};
use crate::plan::is_approver;
use crate::rules::may_review;
use megapolis_domain::field::FieldErrors;
use megapolis_domain::{BodyId, Person, Role};
use serde::{Deserialize, Serialize};

/// The body whose chair approves the priorities.
pub const APPROVER_BODY: &str = "board";

/// The raw fields of a priority direction.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PriorityInput {
    pub title_ru: String,
    pub title_en: String,
    pub description_ru: String,
    pub description_en: String,
}

/// A priority direction ready to save: a title in at least one language, and its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewPriority {
    pub title_ru: String,
    pub title_en: String,
    pub description_ru: String,
    pub description_en: String,
    pub evidence: Vec<Evidence>,
}

/// What backs a priority direction.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Evidence {
    /// A generalised proposal of a consultation.
    Generalised { id: i64 },
    /// A criterion (an aggregate's iCode) of a published monitoring edition where cities are weak.
    Criterion { edition: i64, code: String },
    /// A solution of the catalogue.
    Solution { id: i64 },
    /// An item of a plan of joint actions.
    PlanItem { id: i64 },
}

impl Evidence {
    /// The kind as stored and as forms name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Evidence::Generalised { .. } => "generalised",
            Evidence::Criterion { .. } => "criterion",
            Evidence::Solution { .. } => "solution",
            Evidence::PlanItem { .. } => "plan-item",
        }
    }

    /// The reference as stored: an id, or `edition:code` for a criterion.
    pub fn reference(&self) -> String {
        match self {
            Evidence::Generalised { id }
            | Evidence::Solution { id }
            | Evidence::PlanItem { id } => id.to_string(),
            Evidence::Criterion { edition, code } => format!("{edition}:{code}"),
        }
    }

    /// The evidence a stored kind and reference (or a form's checkbox `kind-reference`) name.
    pub fn parse(kind: &str, reference: &str) -> Option<Evidence> {
        let id = || reference.parse::<i64>().ok().filter(|id| *id > 0);
        match kind {
            "generalised" => id().map(|id| Evidence::Generalised { id }),
            "solution" => id().map(|id| Evidence::Solution { id }),
            "plan-item" => id().map(|id| Evidence::PlanItem { id }),
            "criterion" => {
                let (edition, code) = reference.split_once(':')?;
                let edition = edition.parse().ok()?;
                (!code.trim().is_empty()).then(|| Evidence::Criterion {
                    edition,
                    code: code.trim().to_string(),
                })
            }
            _ => None,
        }
    }
}

impl PriorityInput {
    /// The priority with `evidence` (ticked boxes `kind-reference`; at least one is needed).
    pub fn parse<'a>(
        &self,
        evidence: impl IntoIterator<Item = &'a str>,
    ) -> Result<NewPriority, FieldErrors> {
        let mut errors = FieldErrors::default();
        let (title_ru, title_en) = (self.title_ru.trim(), self.title_en.trim());
        if title_ru.is_empty() && title_en.is_empty() {
            errors.add("title_ru", "error-required");
            errors.add("title_en", "error-required");
        }
        for (field, text, max) in [
            ("title_ru", title_ru, MAX_TITLE_CHARS),
            ("title_en", title_en, MAX_TITLE_CHARS),
            ("description_ru", self.description_ru.trim(), MAX_TEXT_CHARS),
            ("description_en", self.description_en.trim(), MAX_TEXT_CHARS),
        ] {
            if text.chars().count() > max {
                errors.add(field, "error-too-long");
            }
        }
        let mut list = Vec::new();
        for raw in evidence {
            let parsed = raw.split_once('-').and_then(|(kind, rest)| match kind {
                // "plan-item-7": the kind has a dash of its own.
                "plan" => rest
                    .strip_prefix("item-")
                    .and_then(|r| Evidence::parse("plan-item", r)),
                _ => Evidence::parse(kind, rest),
            });
            match parsed {
                Some(e) if !list.contains(&e) => list.push(e),
                Some(_) => {}
                None => errors.add("evidence", "error-choice"),
            }
        }
        if list.is_empty() && errors.get("evidence").is_none() {
            errors.add("evidence", "consultations-priority-error-evidence");
        }
        list.sort();
        errors.into_result(|| NewPriority {
            title_ru: title_ru.into(),
            title_en: title_en.into(),
            description_ru: self.description_ru.trim().into(),
            description_en: self.description_en.trim().into(),
            evidence: list,
        })
    }
}

/// A priority direction's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PriorityState {
    Proposed,
    Approved,
    Published,
}

impl PriorityState {
    pub const ALL: [PriorityState; 3] = [
        PriorityState::Proposed,
        PriorityState::Approved,
        PriorityState::Published,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PriorityState::Proposed => "proposed",
            PriorityState::Approved => "approved",
            PriorityState::Published => "published",
        }
    }

    pub fn parse(raw: &str) -> Option<PriorityState> {
        PriorityState::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// What may be done to a priority direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriorityAction {
    /// Proposed → approved: the chair of the Board.
    Approve,
    /// Approved → published: the Secretariat or an administrator.
    Publish,
}

impl PriorityAction {
    pub fn parse(raw: &str) -> Option<PriorityAction> {
        match raw.trim() {
            "approve" => Some(PriorityAction::Approve),
            "publish" => Some(PriorityAction::Publish),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PriorityAction::Approve => "approve",
            PriorityAction::Publish => "publish",
        }
    }
}

/// Why a step is refused; nothing changes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriorityRefusal {
    #[error("only the Expert Council and the Secretariat propose priority directions")]
    NotReviewer,
    #[error("only the chair of the Board approves priority directions")]
    NotApprover,
    #[error("only the Secretariat publishes priority directions")]
    NotPublisher,
    #[error("the priority direction is {0}: this step is not possible now")]
    WrongState(&'static str),
    #[error("the evidence {0} does not exist")]
    UnknownEvidence(String),
}

/// Whether `person` may propose a priority direction.
pub fn may_propose(person: &Person) -> Result<(), PriorityRefusal> {
    if may_review(person) {
        Ok(())
    } else {
        Err(PriorityRefusal::NotReviewer)
    }
}

/// The next state, or why not.
pub fn apply(
    state: PriorityState,
    action: PriorityAction,
    person: &Person,
) -> Result<PriorityState, PriorityRefusal> {
    let board = BodyId::parse(APPROVER_BODY).ok();
    match action {
        PriorityAction::Approve if !board.is_some_and(|b| is_approver(person, &b)) => {
            Err(PriorityRefusal::NotApprover)
        }
        PriorityAction::Publish if !matches!(person.role, Role::Admin | Role::Secretariat) => {
            Err(PriorityRefusal::NotPublisher)
        }
        PriorityAction::Approve if state == PriorityState::Proposed => Ok(PriorityState::Approved),
        PriorityAction::Publish if state == PriorityState::Approved => Ok(PriorityState::Published),
        _ => Err(PriorityRefusal::WrongState(state.as_str())),
    }
}

/// A priority's progress: the mean progress (0–100) of the assignments its plan items became;
/// `None` while it has none.
pub fn progress(assignments: &[i64]) -> Option<i64> {
    let n = i64::try_from(assignments.len()).ok().filter(|n| *n > 0)?;
    Some(assignments.iter().map(|p| p.clamp(&0, &100)).sum::<i64>() / n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use megapolis_domain::{Email, Membership, Position};

    fn person(role: Role, body: Option<(&str, Position)>) -> Person {
        Person {
            id: 1,
            email: Email::parse("p@example.org").expect("email"),
            name: "P".into(),
            role,
            city: None,
            memberships: body
                .map(|(b, position)| Membership {
                    body: BodyId::parse(b).expect("id"),
                    position,
                })
                .into_iter()
                .collect(),
            active: true,
        }
    }

    #[test]
    fn evidence_comes_from_ticked_boxes_and_is_required() {
        let input = PriorityInput {
            title_ru: "Открытые данные".into(),
            ..Default::default()
        };
        let ok = input
            .parse([
                "generalised-3",
                "criterion-1:Data",
                "plan-item-7",
                "generalised-3",
            ])
            .expect("valid");
        assert_eq!(
            ok.evidence,
            vec![
                Evidence::Generalised { id: 3 },
                Evidence::Criterion {
                    edition: 1,
                    code: "Data".into()
                },
                Evidence::PlanItem { id: 7 },
            ]
        );
        assert_eq!(
            input.parse([]).err().and_then(|e| e.get("evidence")),
            Some("consultations-priority-error-evidence")
        );
        assert!(input.parse(["rumour-1"]).is_err());
        assert_eq!(
            Evidence::parse(
                "criterion",
                &Evidence::Criterion {
                    edition: 2,
                    code: "A".into()
                }
                .reference()
            ),
            Some(Evidence::Criterion {
                edition: 2,
                code: "A".into()
            })
        );
    }

    #[test]
    fn the_board_chair_approves_and_the_secretariat_publishes() {
        use PriorityAction as A;
        use PriorityState as S;
        let chair = person(Role::BodyMember, Some(("board", Position::Chair)));
        let council = person(Role::BodyMember, Some(("expert-council", Position::Member)));
        let staff = person(Role::Secretariat, None);
        assert_eq!(apply(S::Proposed, A::Approve, &chair), Ok(S::Approved));
        assert_eq!(
            apply(S::Proposed, A::Approve, &council),
            Err(PriorityRefusal::NotApprover)
        );
        assert_eq!(
            apply(S::Proposed, A::Publish, &staff),
            Err(PriorityRefusal::WrongState("proposed"))
        );
        assert_eq!(apply(S::Approved, A::Publish, &staff), Ok(S::Published));
        assert_eq!(
            apply(S::Approved, A::Publish, &chair),
            Err(PriorityRefusal::NotPublisher)
        );
        assert!(may_propose(&council).is_ok() && may_propose(&chair).is_err());
        assert_eq!(progress(&[]), None);
        assert_eq!(progress(&[100, 50, 0]), Some(50));
    }
}

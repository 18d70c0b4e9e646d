//! The plan of joint actions: generalised proposals become items (action, lead executor,
//! co-executors, deadline, expected result), grouped by topic. The Expert Council (or the
//! Secretariat) drafts it and sends it for review; the chair of the body the plan names approves
//! it or returns it with remarks. An approved plan is final: its items become assignments.
use crate::model::{MAX_TEXT_CHARS, MAX_TITLE_CHARS};
use crate::rules::may_review;
use megapolis_domain::field::{date_as_written, required_text, FieldErrors};
use megapolis_domain::{BodyId, Person, Position};
use serde::{Deserialize, Serialize};
use time::Date;

/// A plan's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlanState {
    Draft,
    Review,
    Approved,
}

impl PlanState {
    pub const ALL: [PlanState; 3] = [PlanState::Draft, PlanState::Review, PlanState::Approved];

    pub fn as_str(self) -> &'static str {
        match self {
            PlanState::Draft => "draft",
            PlanState::Review => "review",
            PlanState::Approved => "approved",
        }
    }

    pub fn parse(raw: &str) -> Option<PlanState> {
        PlanState::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// What may be done to a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PlanAction {
    /// Draft → review (the Council or the Secretariat).
    Review,
    /// Review → draft, with remarks (the Council, the Secretariat or the approver).
    Return,
    /// Review → approved (the chair of the approving body).
    Approve,
}

impl PlanAction {
    pub const ALL: [PlanAction; 3] = [PlanAction::Review, PlanAction::Return, PlanAction::Approve];

    pub fn as_str(self) -> &'static str {
        match self {
            PlanAction::Review => "review",
            PlanAction::Return => "return",
            PlanAction::Approve => "approve",
        }
    }

    pub fn parse(raw: &str) -> Option<PlanAction> {
        PlanAction::ALL
            .into_iter()
            .find(|a| a.as_str() == raw.trim())
    }
}

/// Why a plan's step is refused; nothing changes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanRefusal {
    #[error("only the Expert Council and the Secretariat prepare the plan")]
    NotReviewer,
    #[error("only the chair of the approving body approves the plan")]
    NotApprover,
    #[error("the plan is {0}: this step is not possible now")]
    WrongState(&'static str),
    #[error("a plan without items cannot be sent for review")]
    Empty,
    #[error("returning the plan needs remarks")]
    RemarksRequired,
    #[error("generalised proposal № {0} is not one of this plan's consultation")]
    OtherConsultation(i64),
    #[error("there is no decision № {0} in the register")]
    UnknownDecision(i64),
    #[error("there is no body {0:?} in the directory")]
    UnknownBody(String),
}

impl PlanRefusal {
    /// A stable code for the API, and the translation key's tail on pages.
    pub fn code(&self) -> &'static str {
        match self {
            PlanRefusal::NotReviewer => "not_reviewer",
            PlanRefusal::NotApprover => "not_approver",
            PlanRefusal::WrongState(_) => "wrong_state",
            PlanRefusal::Empty => "empty_plan",
            PlanRefusal::RemarksRequired => "remarks_required",
            PlanRefusal::OtherConsultation(_) => "other_consultation",
            PlanRefusal::UnknownDecision(_) => "unknown_decision",
            PlanRefusal::UnknownBody(_) => "unknown_body",
        }
    }
}

/// The chair of `body` (a member body decides through its chair, as the President does).
pub fn is_approver(person: &Person, body: &BodyId) -> bool {
    person
        .memberships
        .iter()
        .any(|m| &m.body == body && m.position == Position::Chair)
}

/// The next state of a plan with `items` items, or why not.
pub fn apply(
    state: PlanState,
    action: PlanAction,
    person: &Person,
    approver: &BodyId,
    items: usize,
    remarks: &str,
) -> Result<PlanState, PlanRefusal> {
    use PlanAction as A;
    use PlanState as S;
    match action {
        A::Review if !may_review(person) => Err(PlanRefusal::NotReviewer),
        A::Return if !may_review(person) && !is_approver(person, approver) => {
            Err(PlanRefusal::NotReviewer)
        }
        A::Approve if !is_approver(person, approver) => Err(PlanRefusal::NotApprover),
        A::Review if state != S::Draft => Err(PlanRefusal::WrongState(state.as_str())),
        A::Review if items == 0 => Err(PlanRefusal::Empty),
        A::Review => Ok(S::Review),
        A::Return | A::Approve if state != S::Review => {
            Err(PlanRefusal::WrongState(state.as_str()))
        }
        A::Return if remarks.trim().is_empty() => Err(PlanRefusal::RemarksRequired),
        A::Return => Ok(S::Draft),
        A::Approve => Ok(S::Approved),
    }
}

/// The raw fields of a new plan: titles, the decision whose control the items join, the body
/// whose chair approves it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PlanInput {
    pub title_ru: String,
    pub title_en: String,
    pub decision: String,
    pub approver: String,
}

/// A plan ready to save (the decision and the body are checked to exist by storage).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewPlan {
    pub title_ru: String,
    pub title_en: String,
    pub decision: i64,
    pub approver: BodyId,
}

impl PlanInput {
    pub fn parse(&self) -> Result<NewPlan, FieldErrors> {
        let mut errors = FieldErrors::default();
        let (title_ru, title_en) = (self.title_ru.trim(), self.title_en.trim());
        if title_ru.is_empty() && title_en.is_empty() {
            errors.add("title_ru", "error-required");
            errors.add("title_en", "error-required");
        }
        for (field, title) in [("title_ru", title_ru), ("title_en", title_en)] {
            if title.chars().count() > MAX_TITLE_CHARS {
                errors.add(field, "error-too-long");
            }
        }
        let decision = self.decision.trim().parse::<i64>().ok();
        if decision.is_none() {
            errors.add("decision", "error-required");
        }
        let approver = body(&mut errors, "approver", &self.approver);
        match (decision, approver) {
            (Some(decision), Some(approver)) if errors.is_empty() => Ok(NewPlan {
                title_ru: title_ru.into(),
                title_en: title_en.into(),
                decision,
                approver,
            }),
            _ => Err(errors),
        }
    }
}

fn body(errors: &mut FieldErrors, field: &'static str, raw: &str) -> Option<BodyId> {
    if raw.trim().is_empty() {
        errors.add(field, "error-required");
        return None;
    }
    let id = BodyId::parse(raw.trim()).ok();
    if id.is_none() {
        errors.add(field, "error-choice");
    }
    id
}

/// The raw fields of a plan item. `co_executors`: body ids separated by spaces or commas.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ItemInput {
    pub generalised: String,
    pub action: String,
    pub lead: String,
    pub co_executors: String,
    pub deadline: String,
    pub expected_result: String,
}

/// A plan item ready to save (the bodies and the generalised proposal are checked by storage).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewItem {
    pub generalised: i64,
    pub action: String,
    pub lead: BodyId,
    pub co_executors: Vec<BodyId>,
    pub deadline: Date,
    pub expected_result: String,
}

impl ItemInput {
    pub fn parse(&self) -> Result<NewItem, FieldErrors> {
        let mut errors = FieldErrors::default();
        let generalised = self.generalised.trim().parse::<i64>().ok();
        if generalised.is_none() {
            errors.add("generalised", "error-required");
        }
        let action = required_text(&mut errors, "action", &self.action, MAX_TEXT_CHARS);
        let lead = body(&mut errors, "lead", &self.lead);
        let mut co_executors = Vec::new();
        for raw in self
            .co_executors
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|p| !p.is_empty())
        {
            match BodyId::parse(raw) {
                Ok(id) if Some(&id) != lead.as_ref() && !co_executors.contains(&id) => {
                    co_executors.push(id)
                }
                Ok(_) => {}
                Err(_) => errors.add("co_executors", "error-choice"),
            }
        }
        let deadline = if self.deadline.trim().is_empty() {
            errors.add("deadline", "error-required");
            None
        } else {
            let date = date_as_written(&self.deadline);
            if date.is_none() {
                errors.add("deadline", "error-date");
            }
            date
        };
        let expected_result = required_text(
            &mut errors,
            "expected_result",
            &self.expected_result,
            MAX_TEXT_CHARS,
        );
        match (generalised, lead, deadline) {
            (Some(generalised), Some(lead), Some(deadline)) if errors.is_empty() => Ok(NewItem {
                generalised,
                action,
                lead,
                co_executors,
                deadline,
                expected_result,
            }),
            _ => Err(errors),
        }
    }
}

/// The assignment's item label for plan `plan`'s item number `number` (1-based).
pub fn item_label(plan: i64, number: usize) -> String {
    format!("План {plan}, п. {number}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use megapolis_domain::{CityCode, Email, Membership, Role};

    fn person(role: Role, body: Option<(&str, Position)>) -> Person {
        Person {
            id: 1,
            email: Email::parse("p@example.org").expect("email"),
            name: "P".into(),
            role,
            city: None::<CityCode>,
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
    fn the_council_reviews_and_only_the_approvers_chair_approves() {
        let board = BodyId::parse("board").expect("id");
        let council = person(Role::BodyMember, Some(("expert-council", Position::Member)));
        let chair = person(Role::BodyMember, Some(("board", Position::Chair)));
        let member = person(Role::BodyMember, Some(("board", Position::Member)));
        let city = person(Role::CityRep, None);
        use PlanAction as A;
        use PlanState as S;
        assert_eq!(
            apply(S::Draft, A::Review, &council, &board, 1, ""),
            Ok(S::Review)
        );
        assert_eq!(
            apply(S::Draft, A::Review, &council, &board, 0, ""),
            Err(PlanRefusal::Empty)
        );
        assert_eq!(
            apply(S::Draft, A::Review, &city, &board, 1, ""),
            Err(PlanRefusal::NotReviewer)
        );
        assert_eq!(
            apply(S::Review, A::Approve, &council, &board, 1, ""),
            Err(PlanRefusal::NotApprover)
        );
        assert_eq!(
            apply(S::Review, A::Approve, &member, &board, 1, ""),
            Err(PlanRefusal::NotApprover)
        );
        assert_eq!(
            apply(S::Review, A::Approve, &chair, &board, 1, ""),
            Ok(S::Approved)
        );
        assert_eq!(
            apply(S::Review, A::Return, &chair, &board, 1, " "),
            Err(PlanRefusal::RemarksRequired)
        );
        assert_eq!(
            apply(S::Review, A::Return, &chair, &board, 1, "more"),
            Ok(S::Draft)
        );
        assert_eq!(
            apply(S::Approved, A::Return, &chair, &board, 1, "more"),
            Err(PlanRefusal::WrongState("approved"))
        );
        assert_eq!(
            apply(S::Draft, A::Approve, &chair, &board, 1, ""),
            Err(PlanRefusal::WrongState("draft"))
        );
    }

    #[test]
    fn an_item_needs_an_action_a_lead_a_deadline_and_a_result() {
        let errors = ItemInput::default().parse().expect_err("empty");
        for field in [
            "generalised",
            "action",
            "lead",
            "deadline",
            "expected_result",
        ] {
            assert_eq!(errors.get(field), Some("error-required"), "{field}");
        }
        let item = ItemInput {
            generalised: "4".into(),
            action: "Wi-Fi in the metro".into(),
            lead: "board".into(),
            co_executors: "secretariat, board expert-council secretariat".into(),
            deadline: "31.12.2027".into(),
            expected_result: "Wi-Fi at every station".into(),
        }
        .parse()
        .expect("valid");
        let ids: Vec<&str> = item.co_executors.iter().map(BodyId::as_str).collect();
        assert_eq!(ids, vec!["secretariat", "expert-council"]);
        assert_eq!(item.deadline.to_string(), "2027-12-31");
        let bad = ItemInput {
            deadline: "soon".into(),
            ..Default::default()
        };
        assert_eq!(
            bad.parse().err().and_then(|e| e.get("deadline")),
            Some("error-date")
        );
    }
}

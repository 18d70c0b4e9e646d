//! Who may do what: proposing (for one's city or body), consolidating (the Secretariat and the
//! Expert Council), approving (only the President), and the two state machines: a proposal's and
//! a plan version's.
use crate::clash::Clash;
use crate::model::NewProposal;
use megapolis_domain::{Person, Position, Role};
use serde::Serialize;

/// The body whose members consolidate the proposals with the Secretariat.
pub const COUNCIL_BODY: &str = "expert-council";
/// The body whose chair is the President of the association.
pub const PRESIDENT_BODY: &str = "president";

/// Why an action is refused; nothing changes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("city: you may propose only for your own city")]
    NotYourCity,
    #[error("organiser: you may propose only for a body you are a member of")]
    NotYourBody,
    #[error("you may not propose events")]
    MayNotPropose,
    #[error("this is not your proposal")]
    NotYours,
    #[error("only the Secretariat and the Expert Council consolidate proposals")]
    NotConsolidator,
    #[error("only the President approves or returns the plan")]
    NotPresident,
    #[error("not possible in the state {0}")]
    WrongState(&'static str),
    #[error("a reason is required")]
    ReasonRequired,
    #[error("only whoever proposed the event, the Secretariat or the Expert Council runs it")]
    NotOrganiser,
    #[error("the event has not started yet")]
    NotHeldYet,
    #[error("solution: no published catalogue solution {0}")]
    UnknownSolution(i64),
    #[error("solutions: no published catalogue solution {0}")]
    UnknownLinkedSolution(i64),
    #[error("courses: no training course {0}")]
    UnknownCourse(i64),
    #[error("no such registration")]
    NotRegistered,
    #[error("year: a proposal stays in its plan year {0}")]
    OtherYear(i32),
    #[error("city: no member city has the code {0:?}")]
    UnknownCity(String),
    #[error("the plan has clashes that block approval: {}", describe(.0))]
    Blocked(Vec<Clash>),
    #[error("version {0} of the plan is with the President: change its events after the decision")]
    WithPresident(i64),
    #[error("others: name at least one other proposal to merge")]
    NothingToMerge,
}

/// `#3 and #7 (session)`, for each clash.
fn describe(clashes: &[Clash]) -> String {
    clashes
        .iter()
        .map(|c| format!("#{} and #{} ({})", c.a, c.b, c.kind.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Refusal {
    /// A stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NotYourCity => "not_your_city",
            Refusal::NotYourBody => "not_your_body",
            Refusal::MayNotPropose => "may_not_propose",
            Refusal::NotYours => "not_yours",
            Refusal::NotConsolidator => "not_consolidator",
            Refusal::NotPresident => "not_president",
            Refusal::WrongState(_) => "wrong_state",
            Refusal::ReasonRequired => "reason_required",
            Refusal::UnknownCity(_) => "unknown_city",
            Refusal::OtherYear(_) => "other_year",
            Refusal::NotOrganiser => "not_organiser",
            Refusal::NotHeldYet => "not_held_yet",
            Refusal::UnknownSolution(_) | Refusal::UnknownLinkedSolution(_) => "unknown_solution",
            Refusal::UnknownCourse(_) => "unknown_course",
            Refusal::NotRegistered => "not_registered",
            Refusal::Blocked(_) => "blocking_clashes",
            Refusal::WithPresident(_) => "with_president",
            Refusal::NothingToMerge => "nothing_to_merge",
        }
    }

    /// 403 for who may not, 409 for the wrong state, 422 for a missing reason.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::WrongState(_)
            | Refusal::Blocked(_)
            | Refusal::NotHeldYet
            | Refusal::WithPresident(_) => 409,
            Refusal::NotRegistered => 404,
            Refusal::ReasonRequired
            | Refusal::NothingToMerge
            | Refusal::UnknownCity(_)
            | Refusal::OtherYear(_)
            | Refusal::UnknownSolution(_)
            | Refusal::UnknownLinkedSolution(_)
            | Refusal::UnknownCourse(_) => 422,
            _ => 403,
        }
    }
}

fn is_staff(person: &Person) -> bool {
    matches!(person.role, Role::Admin | Role::Secretariat)
}

fn member_of(person: &Person, body: &str) -> bool {
    person.memberships.iter().any(|m| m.body.as_str() == body)
}

/// Staff propose anything; a city representative events hosted or organised by their city; a
/// body member events their body organises.
pub fn may_propose(person: &Person, proposal: &NewProposal) -> Result<(), Refusal> {
    match person.role {
        Role::Admin | Role::Secretariat => Ok(()),
        Role::CityRep => match &person.city {
            Some(city)
                if city == &proposal.city || city.as_str() == proposal.organiser.as_str() =>
            {
                Ok(())
            }
            _ => Err(Refusal::NotYourCity),
        },
        Role::BodyMember if member_of(person, &proposal.organiser) => Ok(()),
        Role::BodyMember => Err(Refusal::NotYourBody),
        Role::Expert => Err(Refusal::MayNotPropose),
    }
}

/// The Secretariat, administrators and members of the Expert Council see every proposal and
/// accept or decline them.
pub fn may_consolidate(person: &Person) -> bool {
    is_staff(person) || member_of(person, COUNCIL_BODY)
}

/// The President: the chair of the body "president".
pub fn is_president(person: &Person) -> bool {
    person
        .memberships
        .iter()
        .any(|m| m.body.as_str() == PRESIDENT_BODY && m.position == Position::Chair)
}

/// A proposal's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProposalState {
    Draft,
    Submitted,
    Accepted,
    Declined,
    Withdrawn,
    /// Merged into another proposal, a duplicate of it.
    Merged,
}

impl ProposalState {
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalState::Draft => "draft",
            ProposalState::Submitted => "submitted",
            ProposalState::Accepted => "accepted",
            ProposalState::Declined => "declined",
            ProposalState::Withdrawn => "withdrawn",
            ProposalState::Merged => "merged",
        }
    }

    pub fn parse(raw: &str) -> Option<ProposalState> {
        [
            ProposalState::Draft,
            ProposalState::Submitted,
            ProposalState::Accepted,
            ProposalState::Declined,
            ProposalState::Withdrawn,
            ProposalState::Merged,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }
}

/// What may be done to a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProposalAction {
    Submit,
    Withdraw,
    Accept,
    Decline,
}

/// The next state of a proposal, or why not. `own`: the person proposed it (or is staff);
/// `reason`: what the consolidator wrote (a decline needs one).
pub fn apply_proposal(
    state: ProposalState,
    action: ProposalAction,
    person: &Person,
    own: bool,
    reason: &str,
) -> Result<ProposalState, Refusal> {
    use ProposalAction as A;
    use ProposalState as S;
    match action {
        A::Submit | A::Withdraw if !own && !is_staff(person) => Err(Refusal::NotYours),
        A::Accept | A::Decline if !may_consolidate(person) => Err(Refusal::NotConsolidator),
        A::Decline if reason.trim().is_empty() => Err(Refusal::ReasonRequired),
        A::Submit => match state {
            S::Draft => Ok(S::Submitted),
            other => Err(Refusal::WrongState(other.as_str())),
        },
        A::Withdraw => match state {
            S::Draft | S::Submitted => Ok(S::Withdrawn),
            other => Err(Refusal::WrongState(other.as_str())),
        },
        A::Accept | A::Decline => match state {
            S::Submitted => Ok(if action == A::Accept {
                S::Accepted
            } else {
                S::Declined
            }),
            other => Err(Refusal::WrongState(other.as_str())),
        },
    }
}

/// Whether `person` may change a proposal's text and dates (a move): its proposer while it is a
/// draft; the consolidators while it is submitted or accepted (an accepted event in a published
/// plan is moved this way, its SEQUENCE one higher). The plan year stays.
pub fn may_amend(state: ProposalState, person: &Person, own: bool) -> Result<(), Refusal> {
    use ProposalState as S;
    match state {
        S::Draft if own || is_staff(person) => Ok(()),
        S::Draft => Err(Refusal::NotYours),
        S::Submitted | S::Accepted if may_consolidate(person) => Ok(()),
        S::Submitted | S::Accepted => Err(Refusal::NotConsolidator),
        other => Err(Refusal::WrongState(other.as_str())),
    }
}

/// A proposal taking part in a merge: its id, plan year and state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merging {
    pub id: i64,
    pub year: i32,
    pub state: ProposalState,
}

/// Whether `person` may merge the duplicates `others` into `kept` with `reason` (the proposers
/// see it): the consolidators merge submitted or accepted proposals of one plan year, at least
/// one other than the kept one.
pub fn may_merge(
    person: &Person,
    kept: Merging,
    others: &[Merging],
    reason: &str,
) -> Result<(), Refusal> {
    use ProposalState as S;
    if !may_consolidate(person) {
        return Err(Refusal::NotConsolidator);
    }
    if others.is_empty() || others.iter().any(|o| o.id == kept.id) {
        return Err(Refusal::NothingToMerge);
    }
    if reason.trim().is_empty() {
        return Err(Refusal::ReasonRequired);
    }
    if let Some(other) = others.iter().find(|o| o.year != kept.year) {
        return Err(Refusal::OtherYear(other.year));
    }
    match std::iter::once(&kept)
        .chain(others)
        .find(|p| !matches!(p.state, S::Submitted | S::Accepted))
    {
        Some(p) => Err(Refusal::WrongState(p.state.as_str())),
        None => Ok(()),
    }
}

/// The co-organisers of `kept` once it absorbs `others`: its own, then every organiser and
/// co-organiser of the others it does not have yet, in order, each once.
pub fn absorb(kept: &NewProposal, others: &[&NewProposal]) -> Vec<String> {
    let mut all = kept.organisers();
    for organiser in others.iter().flat_map(|o| o.organisers()) {
        if !all.contains(&organiser) {
            all.push(organiser);
        }
    }
    all.split_off(1)
}

/// The linked solutions and courses of `kept` once it absorbs `others`: its own, then the
/// others' it does not have yet, each once.
pub fn absorb_links(kept: &NewProposal, others: &[&NewProposal]) -> (Vec<i64>, Vec<i64>) {
    let union = |own: &[i64], of: fn(&NewProposal) -> &[i64]| {
        let mut all = own.to_vec();
        for id in others.iter().flat_map(|o| of(o)) {
            if !all.contains(id) {
                all.push(*id);
            }
        }
        all
    };
    (
        union(&kept.solutions, |p| &p.solutions),
        union(&kept.courses, |p| &p.courses),
    )
}

/// A plan version's life: each submission to the President is a numbered version; a returned or
/// approved one is final, and amending means a new version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanState {
    Draft,
    Submitted,
    Approved,
    Returned,
}

impl PlanState {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanState::Draft => "draft",
            PlanState::Submitted => "submitted",
            PlanState::Approved => "approved",
            PlanState::Returned => "returned",
        }
    }

    pub fn parse(raw: &str) -> Option<PlanState> {
        [
            PlanState::Draft,
            PlanState::Submitted,
            PlanState::Approved,
            PlanState::Returned,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanAction {
    Submit,
    Approve,
    Return,
}

/// The next state of a plan version, or why not. Blocking clashes are checked by the caller,
/// which has the proposals.
pub fn apply_plan(
    state: PlanState,
    action: PlanAction,
    person: &Person,
    remarks: &str,
) -> Result<PlanState, Refusal> {
    match action {
        PlanAction::Submit if !is_staff(person) => Err(Refusal::NotConsolidator),
        PlanAction::Approve | PlanAction::Return if !is_president(person) => {
            Err(Refusal::NotPresident)
        }
        PlanAction::Return if remarks.trim().is_empty() => Err(Refusal::ReasonRequired),
        PlanAction::Submit => match state {
            PlanState::Draft => Ok(PlanState::Submitted),
            other => Err(Refusal::WrongState(other.as_str())),
        },
        PlanAction::Approve | PlanAction::Return => match state {
            PlanState::Submitted if action == PlanAction::Approve => Ok(PlanState::Approved),
            PlanState::Submitted => Ok(PlanState::Returned),
            other => Err(Refusal::WrongState(other.as_str())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use megapolis_domain::Email;
    use megapolis_domain::{BodyId, CityCode, Membership};

    fn person(role: Role, body: Option<(&str, Position)>) -> Person {
        Person {
            id: 1,
            email: Email::parse("p@example.org").expect("email"),
            name: "P".into(),
            role,
            city: Some(CityCode::parse("kazan").expect("code")),
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
    fn a_draft_is_amended_by_its_proposer_and_an_accepted_event_only_by_consolidators() {
        let city = person(Role::CityRep, None);
        let staff = person(Role::Secretariat, None);
        assert_eq!(may_amend(ProposalState::Draft, &city, true), Ok(()));
        assert_eq!(
            may_amend(ProposalState::Draft, &city, false),
            Err(Refusal::NotYours)
        );
        assert_eq!(
            may_amend(ProposalState::Accepted, &city, true),
            Err(Refusal::NotConsolidator)
        );
        assert_eq!(may_amend(ProposalState::Accepted, &staff, false), Ok(()));
        assert_eq!(
            may_amend(ProposalState::Declined, &staff, false),
            Err(Refusal::WrongState("declined"))
        );
    }

    fn merging(id: i64, year: i32, state: ProposalState) -> Merging {
        Merging { id, year, state }
    }

    #[test]
    fn consolidators_merge_submitted_or_accepted_duplicates_of_one_year_with_a_reason() {
        let staff = person(Role::Secretariat, None);
        let council = person(Role::BodyMember, Some((COUNCIL_BODY, Position::Member)));
        let city = person(Role::CityRep, None);
        let kept = merging(1, 2030, ProposalState::Accepted);
        let other = merging(2, 2030, ProposalState::Submitted);
        assert_eq!(may_merge(&staff, kept, &[other], "Дубль"), Ok(()));
        assert_eq!(may_merge(&council, kept, &[other], "Дубль"), Ok(()));
        assert_eq!(
            may_merge(&city, kept, &[other], "Дубль"),
            Err(Refusal::NotConsolidator)
        );
        assert_eq!(
            may_merge(&staff, kept, &[other], " "),
            Err(Refusal::ReasonRequired)
        );
        assert_eq!(
            may_merge(&staff, kept, &[], "Дубль"),
            Err(Refusal::NothingToMerge)
        );
        assert_eq!(
            may_merge(&staff, kept, &[kept], "Дубль"),
            Err(Refusal::NothingToMerge)
        );
        assert_eq!(
            may_merge(
                &staff,
                kept,
                &[merging(3, 2031, ProposalState::Submitted)],
                "Дубль"
            ),
            Err(Refusal::OtherYear(2031))
        );
        assert_eq!(
            may_merge(
                &staff,
                kept,
                &[merging(4, 2030, ProposalState::Draft)],
                "Дубль"
            ),
            Err(Refusal::WrongState("draft"))
        );
        assert_eq!(
            may_merge(
                &staff,
                merging(5, 2030, ProposalState::Merged),
                &[other],
                "Дубль"
            ),
            Err(Refusal::WrongState("merged"))
        );
    }

    #[test]
    fn the_kept_proposal_absorbs_the_others_organisers_once_each() {
        let event = |organiser: &str, co: &[&str]| NewProposal {
            year: 2030,
            kind: crate::EventKind::Forum,
            title_ru: "Форум".into(),
            title_en: String::new(),
            description_ru: String::new(),
            description_en: String::new(),
            precision: crate::Precision::Exact,
            period: crate::Period::month(2030, 5).expect("May"),
            city: CityCode::parse("minsk").expect("code"),
            venue: String::new(),
            organiser: organiser.into(),
            co_organisers: co.iter().map(|c| c.to_string()).collect(),
            expected_participants: None,
            solutions: vec![organiser.len() as i64],
            courses: Vec::new(),
        };
        let kept = event("minsk", &["partner-a"]);
        let first = event("expert-council", &["minsk", "partner-b"]);
        let second = event("partner-a", &["partner-b", "kazan"]);
        assert_eq!(
            absorb(&kept, &[&first, &second]),
            ["partner-a", "expert-council", "partner-b", "kazan"]
        );
        // "minsk" links solution 5, "expert-council" 14, "partner-a" 9.
        assert_eq!(
            absorb_links(&kept, &[&first, &second, &first]),
            (vec![5, 14, 9], vec![])
        );
    }

    #[test]
    fn only_the_chair_of_the_president_body_approves() {
        let president = person(Role::BodyMember, Some(("president", Position::Chair)));
        let deputy = person(Role::BodyMember, Some(("president", Position::Deputy)));
        let staff = person(Role::Secretariat, None);
        let s = PlanState::Submitted;
        assert_eq!(
            apply_plan(s, PlanAction::Approve, &president, ""),
            Ok(PlanState::Approved)
        );
        assert_eq!(
            apply_plan(s, PlanAction::Approve, &deputy, ""),
            Err(Refusal::NotPresident)
        );
        assert_eq!(
            apply_plan(s, PlanAction::Approve, &staff, ""),
            Err(Refusal::NotPresident)
        );
        assert_eq!(
            apply_plan(s, PlanAction::Return, &president, " "),
            Err(Refusal::ReasonRequired)
        );
        assert_eq!(
            apply_plan(PlanState::Approved, PlanAction::Return, &president, "x"),
            Err(Refusal::WrongState("approved"))
        );
    }

    #[test]
    fn a_proposal_is_submitted_then_decided_with_a_reason() {
        let rep = person(Role::CityRep, None);
        let staff = person(Role::Secretariat, None);
        let s = apply_proposal(ProposalState::Draft, ProposalAction::Submit, &rep, true, "");
        assert_eq!(s, Ok(ProposalState::Submitted));
        assert_eq!(
            apply_proposal(
                ProposalState::Submitted,
                ProposalAction::Accept,
                &rep,
                true,
                ""
            ),
            Err(Refusal::NotConsolidator)
        );
        assert_eq!(
            apply_proposal(
                ProposalState::Submitted,
                ProposalAction::Decline,
                &staff,
                false,
                ""
            ),
            Err(Refusal::ReasonRequired)
        );
        assert_eq!(
            apply_proposal(
                ProposalState::Accepted,
                ProposalAction::Withdraw,
                &rep,
                true,
                ""
            ),
            Err(Refusal::WrongState("accepted"))
        );
        assert_eq!(
            apply_proposal(
                ProposalState::Draft,
                ProposalAction::Submit,
                &rep,
                false,
                ""
            ),
            Err(Refusal::NotYours)
        );
    }
}

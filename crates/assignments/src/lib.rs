//! Assignments: a task that a decision (or, later, a plan of joint actions) gives to a lead
//! executor with co-executors, a deadline and a controller, and its life afterwards.
//!
//! - [`workflow`]: the states, the actions, who may take each, and what an action changes;
//! - [`Parties`]: the bodies an assignment involves, the capacities a person holds in it, and who
//!   hears of each event;
//! - [`Doubt`]: what an import was unsure of, and which corrections settle it;
//! - [`NewAssignment::next_occurrence`]: a recurring assignment's next instance.
//!
//! No I/O: storage loads, calls these functions, and writes what they decide.
use megapolis_domain::{BodyId, Person, Role};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;
use time::Date;

pub mod workflow;

pub use workflow::{
    Action, AssignmentState, Capacities, Capacity, EventKind, Outcome, PendingExtension, Status,
    WorkflowError,
};

/// A binding assignment, or a recommendation (to member cities, partners).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AssignmentKind {
    Assignment,
    Recommendation,
}

impl AssignmentKind {
    pub const ALL: [AssignmentKind; 2] =
        [AssignmentKind::Assignment, AssignmentKind::Recommendation];

    pub fn as_str(self) -> &'static str {
        match self {
            AssignmentKind::Assignment => "assignment",
            AssignmentKind::Recommendation => "recommendation",
        }
    }
}

/// How often a recurring assignment comes back once accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Recurrence {
    Monthly,
    Quarterly,
    Yearly,
}

impl Recurrence {
    pub const ALL: [Recurrence; 3] = [
        Recurrence::Monthly,
        Recurrence::Quarterly,
        Recurrence::Yearly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Recurrence::Monthly => "monthly",
            Recurrence::Quarterly => "quarterly",
            Recurrence::Yearly => "yearly",
        }
    }
}

/// A stored code that names no known value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {code:?}")]
pub struct UnknownCode {
    pub what: &'static str,
    pub code: String,
}

/// Parses the `as_str` code of one of `all`.
fn from_code<T: Copy>(
    all: &[T],
    code: &str,
    what: &'static str,
    as_str: impl Fn(T) -> &'static str,
) -> Result<T, UnknownCode> {
    all.iter()
        .copied()
        .find(|value| as_str(*value) == code)
        .ok_or_else(|| UnknownCode {
            what,
            code: code.to_string(),
        })
}

impl FromStr for AssignmentKind {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        from_code(
            &AssignmentKind::ALL,
            s,
            "assignment kind",
            AssignmentKind::as_str,
        )
    }
}

impl FromStr for Recurrence {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        from_code(&Recurrence::ALL, s, "recurrence", Recurrence::as_str)
    }
}

/// What an import was unsure of in one assignment, kept until a correction settles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Doubt {
    /// An executor is not in the directory of bodies; kept as named.
    ExecutorNotInDirectory,
    /// A deadline phrase could not be turned into a date.
    DeadlineUnreadable,
    /// No executor is named.
    NoExecutor,
}

impl Doubt {
    pub const ALL: [Doubt; 3] = [
        Doubt::ExecutorNotInDirectory,
        Doubt::DeadlineUnreadable,
        Doubt::NoExecutor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Doubt::ExecutorNotInDirectory => "executor_not_in_directory",
            Doubt::DeadlineUnreadable => "deadline_unreadable",
            Doubt::NoExecutor => "no_executor",
        }
    }

    /// Whether the doubt still stands for an assignment with these executors and deadline.
    pub fn stands_after(self, correction: &NewAssignment) -> bool {
        match self {
            Doubt::NoExecutor => correction.lead.is_none(),
            Doubt::ExecutorNotInDirectory => !correction.executors_all_known(),
            Doubt::DeadlineUnreadable => correction.deadline.is_none(),
        }
    }
}

impl fmt::Display for Doubt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Doubt {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        from_code(&Doubt::ALL, s, "import doubt", Doubt::as_str)
    }
}

/// An executor as the document names it, with its body when the directory knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Executor {
    pub body_id: Option<BodyId>,
    pub name: String,
}

/// An assignment as confirmed (on an import screen, through the API, or as corrected).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAssignment {
    pub item: String,
    pub kind: AssignmentKind,
    pub task: String,
    pub lead: Option<Executor>,
    pub co_executors: Vec<Executor>,
    pub deadline: Option<Date>,
    pub deadline_text: Option<String>,
    pub recurrence: Option<Recurrence>,
    /// What the import was unsure of and the person confirmed as it is.
    pub doubts: Vec<Doubt>,
}

impl NewAssignment {
    /// A lead is named and every executor is a body of the directory.
    pub fn executors_all_known(&self) -> bool {
        self.lead.as_ref().is_some_and(|l| l.body_id.is_some())
            && self.co_executors.iter().all(|c| c.body_id.is_some())
    }

    /// `self` as a correction of an assignment that had `doubts`: the doubts it settles are
    /// dropped, the others stay.
    pub fn settling(mut self, doubts: &[Doubt]) -> NewAssignment {
        self.doubts = doubts
            .iter()
            .copied()
            .filter(|doubt| doubt.stands_after(&self))
            .collect();
        self
    }

    /// The next instance of an accepted recurring assignment, due on `deadline`: the same task
    /// and executors, with no doubts left.
    pub fn next_occurrence(&self, deadline: Date) -> NewAssignment {
        NewAssignment {
            deadline: Some(deadline),
            doubts: Vec::new(),
            ..self.clone()
        }
    }

    pub fn parties<'a>(&'a self, controller: Option<&'a BodyId>) -> Parties<'a> {
        Parties::new(self.lead.as_ref(), &self.co_executors, controller)
    }
}

/// The bodies an assignment involves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parties<'a> {
    pub lead: Option<&'a BodyId>,
    pub co_executors: Vec<&'a BodyId>,
    pub controller: Option<&'a BodyId>,
}

impl<'a> Parties<'a> {
    pub fn new(
        lead: Option<&'a Executor>,
        co_executors: &'a [Executor],
        controller: Option<&'a BodyId>,
    ) -> Parties<'a> {
        Parties {
            lead: lead.and_then(|l| l.body_id.as_ref()),
            co_executors: co_executors
                .iter()
                .filter_map(|c| c.body_id.as_ref())
                .collect(),
            controller,
        }
    }

    /// The capacities in which `person` acts on the assignment: through the bodies they are a
    /// member of, and the Secretariat's role. A body of `member_groups` (the administrations of
    /// the member cities) has the representatives of the member cities as its members, so each
    /// city acts on what is addressed to all of them.
    pub fn capacities_of(&self, person: &Person, member_groups: &[BodyId]) -> Capacities {
        let member_of = |body: Option<&BodyId>| {
            body.is_some_and(|b| {
                person.memberships.iter().any(|m| &m.body == b)
                    || (member_groups.contains(b)
                        && person.role == Role::CityRep
                        && person.city.is_some())
            })
        };
        Capacities {
            lead: member_of(self.lead),
            co_executor: self.co_executors.iter().any(|c| member_of(Some(c))),
            controller: member_of(self.controller),
            secretariat: matches!(person.role, Role::Admin | Role::Secretariat),
        }
    }

    /// The bodies whose members hear of an event.
    pub fn audience(&self, kind: EventKind) -> Vec<&'a BodyId> {
        let lead = self.lead.into_iter();
        let co = self.co_executors.iter().copied();
        let controller = self.controller.into_iter();
        match kind {
            EventKind::Created | EventKind::Cancelled | EventKind::Edited => {
                lead.chain(co).collect()
            }
            EventKind::Reported | EventKind::ExtensionRequested => controller.collect(),
            EventKind::Overdue => lead.chain(controller).collect(),
            EventKind::Started => vec![],
            EventKind::Input
            | EventKind::Accepted
            | EventKind::Returned
            | EventKind::ExtensionGranted
            | EventKind::ExtensionRefused
            | EventKind::Reminder => lead.collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn executor(id: &str) -> Executor {
        Executor {
            body_id: Some(BodyId::parse(id).expect("a body id")),
            name: id.to_string(),
        }
    }

    fn assignment() -> NewAssignment {
        NewAssignment {
            item: "1.1".into(),
            kind: AssignmentKind::Assignment,
            task: "Prepare the plan".into(),
            lead: None,
            co_executors: vec![],
            deadline: None,
            deadline_text: Some("in due course".into()),
            recurrence: None,
            doubts: vec![],
        }
    }

    #[test]
    fn a_correction_settles_only_the_doubts_it_answers() {
        let doubts = [Doubt::NoExecutor, Doubt::DeadlineUnreadable];
        let with_lead = NewAssignment {
            lead: Some(executor("secretariat")),
            ..assignment()
        }
        .settling(&doubts);
        assert_eq!(with_lead.doubts, vec![Doubt::DeadlineUnreadable]);
        let with_both = NewAssignment {
            lead: Some(executor("secretariat")),
            deadline: Some(date!(2027 - 01 - 31)),
            ..assignment()
        }
        .settling(&doubts);
        assert!(with_both.doubts.is_empty());
        let unknown_co = NewAssignment {
            lead: Some(executor("secretariat")),
            co_executors: vec![Executor {
                body_id: None,
                name: "Someone".into(),
            }],
            ..assignment()
        }
        .settling(&[Doubt::ExecutorNotInDirectory]);
        assert_eq!(unknown_co.doubts, vec![Doubt::ExecutorNotInDirectory]);
    }

    #[test]
    fn codes_round_trip() {
        for doubt in Doubt::ALL {
            assert_eq!(doubt.as_str().parse::<Doubt>(), Ok(doubt));
        }
        for recurrence in Recurrence::ALL {
            assert_eq!(recurrence.as_str().parse::<Recurrence>(), Ok(recurrence));
        }
        assert!("weekly".parse::<Recurrence>().is_err());
    }

    #[test]
    fn city_representatives_act_for_the_group_of_member_cities() {
        let group = executor("member-cities");
        let controller = BodyId::parse("board").expect("a body id");
        let parties = Parties::new(Some(&group), &[], Some(&controller));
        let groups = [BodyId::parse("member-cities").expect("a body id")];
        let representative = Person {
            id: 7,
            email: megapolis_domain::Email::parse("minsk@city.example").expect("an e-mail"),
            name: "Minsk".into(),
            role: Role::CityRep,
            city: Some(megapolis_domain::CityCode::parse("minsk").expect("a code")),
            memberships: vec![],
            active: true,
        };
        assert!(parties.capacities_of(&representative, &groups).lead);
        assert!(!parties.capacities_of(&representative, &[]).lead);
        let expert = Person {
            role: Role::Expert,
            ..representative
        };
        assert!(!parties.capacities_of(&expert, &groups).lead);
    }

    #[test]
    fn the_controller_hears_of_reports_and_the_lead_of_answers() {
        let lead = executor("secretariat");
        let co = [executor("it-commission")];
        let controller = BodyId::parse("board").expect("a body id");
        let parties = Parties::new(Some(&lead), &co, Some(&controller));
        assert_eq!(parties.audience(EventKind::Reported), vec![&controller]);
        assert_eq!(
            parties.audience(EventKind::Accepted),
            vec![lead.body_id.as_ref().expect("an id")]
        );
        assert_eq!(parties.audience(EventKind::Created).len(), 2);
        assert!(parties.audience(EventKind::Started).is_empty());
    }
}

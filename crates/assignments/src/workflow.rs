//! The life of an assignment after its decision is confirmed: who may do what in which state.
//!
//! ```text
//! new ──report──▶ report submitted ──accept──▶ accepted   (recurring: the next occurrence opens)
//!  │                 ▲        │
//!  └─start─▶ in progress ◀─return─┘
//! any open state ──cancel (with a reason)──▶ cancelled
//! ```
//! Overdue is not a state: an assignment is overdue while its deadline has passed and it is
//! neither accepted nor cancelled. An extension request is pending beside the state; the
//! controller grants it (a new deadline) or refuses it.
//!
//! No I/O: storage loads the assignment and the actor's capacities, calls [`apply`], and saves
//! the [`Outcome`] with its event in one transaction.
use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use time::{Date, Month};

use crate::{from_code, Recurrence, UnknownCode};

/// Where an assignment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentState {
    New,
    InProgress,
    ReportSubmitted,
    Accepted,
    Cancelled,
}

impl AssignmentState {
    pub const ALL: [AssignmentState; 5] = [
        AssignmentState::New,
        AssignmentState::InProgress,
        AssignmentState::ReportSubmitted,
        AssignmentState::Accepted,
        AssignmentState::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AssignmentState::New => "new",
            AssignmentState::InProgress => "in_progress",
            AssignmentState::ReportSubmitted => "report_submitted",
            AssignmentState::Accepted => "accepted",
            AssignmentState::Cancelled => "cancelled",
        }
    }

    /// Still to be done: neither accepted nor cancelled.
    pub fn is_open(self) -> bool {
        !matches!(self, AssignmentState::Accepted | AssignmentState::Cancelled)
    }
}

impl fmt::Display for AssignmentState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AssignmentState {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<AssignmentState, UnknownCode> {
        from_code(
            &AssignmentState::ALL,
            s,
            "assignment state",
            AssignmentState::as_str,
        )
    }
}

/// An extension the lead asked for and the controller has not answered yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingExtension {
    pub until: Date,
    pub reason: String,
}

/// The part of an assignment the workflow reads and changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub state: AssignmentState,
    pub deadline: Option<Date>,
    pub recurrence: Option<Recurrence>,
    pub progress: u8,
    pub extension: Option<PendingExtension>,
}

/// In which capacities a person acts on one assignment (a person can hold several).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Capacities {
    /// A member of the lead executor body.
    pub lead: bool,
    /// A member of a co-executor body.
    pub co_executor: bool,
    /// A member of the controlling body.
    pub controller: bool,
    /// Secretariat staff (or an administrator): cancels and corrects.
    pub secretariat: bool,
}

/// The capacity an action needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    Lead,
    CoExecutor,
    Controller,
    Secretariat,
}

impl Capacity {
    pub fn as_str(self) -> &'static str {
        match self {
            Capacity::Lead => "lead",
            Capacity::CoExecutor => "co_executor",
            Capacity::Controller => "controller",
            Capacity::Secretariat => "secretariat",
        }
    }

    /// Who holds the capacity, in words.
    pub fn who(self) -> &'static str {
        match self {
            Capacity::Lead => "members of the lead executor body",
            Capacity::CoExecutor => "members of a co-executor body",
            Capacity::Controller => "members of the controlling body",
            Capacity::Secretariat => "the Secretariat",
        }
    }

    fn held_in(self, capacities: Capacities) -> bool {
        match self {
            Capacity::Lead => capacities.lead,
            Capacity::CoExecutor => capacities.co_executor,
            Capacity::Controller => capacities.controller,
            Capacity::Secretariat => capacities.secretariat,
        }
    }
}

/// What a person does to an assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The lead starts work.
    Start,
    /// The lead reports on the work done (files travel beside the event).
    Report { text: String, progress: u8 },
    /// A co-executor adds its input; the state does not change.
    Input { text: String },
    /// The controller accepts the report.
    Accept { comment: String },
    /// The controller returns the report to work, saying why.
    Return { comment: String },
    /// The lead asks for a later deadline.
    RequestExtension { until: Date, reason: String },
    /// The controller grants the pending extension.
    GrantExtension { comment: String },
    /// The controller refuses the pending extension, saying why.
    RefuseExtension { comment: String },
    /// The Secretariat cancels the assignment, saying why.
    Cancel { reason: String },
}

/// The kind of an event in an assignment's timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Created,
    Started,
    Reported,
    Input,
    Accepted,
    Returned,
    ExtensionRequested,
    ExtensionGranted,
    ExtensionRefused,
    Cancelled,
    Reminder,
    Overdue,
    /// The Secretariat corrected the task, executors, deadline or recurrence.
    Edited,
}

impl EventKind {
    pub const ALL: [EventKind; 13] = [
        EventKind::Created,
        EventKind::Started,
        EventKind::Reported,
        EventKind::Input,
        EventKind::Accepted,
        EventKind::Returned,
        EventKind::ExtensionRequested,
        EventKind::ExtensionGranted,
        EventKind::ExtensionRefused,
        EventKind::Cancelled,
        EventKind::Reminder,
        EventKind::Overdue,
        EventKind::Edited,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::Started => "started",
            EventKind::Reported => "reported",
            EventKind::Input => "input",
            EventKind::Accepted => "accepted",
            EventKind::Returned => "returned",
            EventKind::ExtensionRequested => "extension_requested",
            EventKind::ExtensionGranted => "extension_granted",
            EventKind::ExtensionRefused => "extension_refused",
            EventKind::Cancelled => "cancelled",
            EventKind::Reminder => "reminder",
            EventKind::Overdue => "overdue",
            EventKind::Edited => "edited",
        }
    }

    /// The verb of the action that makes this event, for messages.
    pub fn verb(self) -> &'static str {
        match self {
            EventKind::Created => "create",
            EventKind::Started => "start",
            EventKind::Reported => "report on",
            EventKind::Input => "add input to",
            EventKind::Accepted => "accept",
            EventKind::Returned => "return",
            EventKind::ExtensionRequested => "request an extension of",
            EventKind::ExtensionGranted => "grant an extension of",
            EventKind::ExtensionRefused => "refuse an extension of",
            EventKind::Cancelled => "cancel",
            EventKind::Reminder | EventKind::Overdue => "remind about",
            EventKind::Edited => "edit",
        }
    }
}

impl FromStr for EventKind {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<EventKind, UnknownCode> {
        from_code(&EventKind::ALL, s, "assignment event", EventKind::as_str)
    }
}

impl Action {
    pub fn event(&self) -> EventKind {
        match self {
            Action::Start => EventKind::Started,
            Action::Report { .. } => EventKind::Reported,
            Action::Input { .. } => EventKind::Input,
            Action::Accept { .. } => EventKind::Accepted,
            Action::Return { .. } => EventKind::Returned,
            Action::RequestExtension { .. } => EventKind::ExtensionRequested,
            Action::GrantExtension { .. } => EventKind::ExtensionGranted,
            Action::RefuseExtension { .. } => EventKind::ExtensionRefused,
            Action::Cancel { .. } => EventKind::Cancelled,
        }
    }

    /// Who may take this action.
    pub fn needs(&self) -> Capacity {
        match self {
            Action::Start | Action::Report { .. } | Action::RequestExtension { .. } => {
                Capacity::Lead
            }
            Action::Input { .. } => Capacity::CoExecutor,
            Action::Accept { .. }
            | Action::Return { .. }
            | Action::GrantExtension { .. }
            | Action::RefuseExtension { .. } => Capacity::Controller,
            Action::Cancel { .. } => Capacity::Secretariat,
        }
    }

    /// The text the event records (a report, a comment, a reason).
    pub fn text(&self) -> &str {
        match self {
            Action::Start => "",
            Action::Report { text, .. } | Action::Input { text } => text,
            Action::Accept { comment }
            | Action::Return { comment }
            | Action::GrantExtension { comment }
            | Action::RefuseExtension { comment } => comment,
            Action::RequestExtension { reason, .. } | Action::Cancel { reason } => reason,
        }
    }
}

/// Why an action is refused. [`WorkflowError::code`] is a stable key for translations.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("only {} may {} this assignment", needs.who(), action.verb())]
    NotPermitted { action: EventKind, needs: Capacity },
    #[error("the assignment is cancelled: nothing more can be done on it")]
    Cancelled,
    #[error("the assignment is already accepted")]
    AlreadyAccepted,
    #[error("a report is already submitted and waits for the controller")]
    ReportPending,
    #[error("there is no submitted report to accept or return")]
    NoReport,
    #[error("the assignment has already been started")]
    AlreadyStarted,
    #[error("{field} must not be empty")]
    Required { field: &'static str },
    #[error("progress must be between 0 and 100, not {0}")]
    Progress(u8),
    #[error("the new deadline {until} must be later than the current deadline {current}")]
    ExtensionNotLater { until: Date, current: Date },
    #[error("an extension request is already waiting for the controller")]
    ExtensionPending,
    #[error("there is no extension request to answer")]
    NoExtensionRequest,
}

impl WorkflowError {
    /// A stable code: `workflow-<snake>`; the web layer translates it.
    pub fn code(&self) -> &'static str {
        match self {
            WorkflowError::NotPermitted { needs, .. } => match needs {
                Capacity::Lead => "workflow-only-lead",
                Capacity::CoExecutor => "workflow-only-co-executor",
                Capacity::Controller => "workflow-only-controller",
                Capacity::Secretariat => "workflow-only-secretariat",
            },
            WorkflowError::Cancelled => "workflow-cancelled",
            WorkflowError::AlreadyAccepted => "workflow-already-accepted",
            WorkflowError::ReportPending => "workflow-report-pending",
            WorkflowError::NoReport => "workflow-no-report",
            WorkflowError::AlreadyStarted => "workflow-already-started",
            WorkflowError::Required { .. } => "workflow-text-required",
            WorkflowError::Progress(_) => "workflow-progress-range",
            WorkflowError::ExtensionNotLater { .. } => "workflow-extension-not-later",
            WorkflowError::ExtensionPending => "workflow-extension-pending",
            WorkflowError::NoExtensionRequest => "workflow-no-extension-request",
        }
    }
}

/// The assignment after an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub status: Status,
    pub event: EventKind,
    /// A recurring assignment that was accepted opens its next occurrence with this deadline.
    pub next_occurrence: Option<Date>,
}

/// Applies `action` by someone acting in `capacities`, or says why not.
pub fn apply(
    current: &Status,
    action: &Action,
    capacities: Capacities,
) -> Result<Outcome, WorkflowError> {
    let needs = action.needs();
    if !needs.held_in(capacities) {
        return Err(WorkflowError::NotPermitted {
            action: action.event(),
            needs,
        });
    }
    match current.state {
        AssignmentState::Cancelled => return Err(WorkflowError::Cancelled),
        AssignmentState::Accepted => return Err(WorkflowError::AlreadyAccepted),
        _ => {}
    }
    let mut next = current.clone();
    let mut next_occurrence = None;
    match action {
        Action::Start => {
            if current.state != AssignmentState::New {
                return Err(WorkflowError::AlreadyStarted);
            }
            next.state = AssignmentState::InProgress;
        }
        Action::Report { text, progress } => {
            if current.state == AssignmentState::ReportSubmitted {
                return Err(WorkflowError::ReportPending);
            }
            required(text, "the report")?;
            if *progress > 100 {
                return Err(WorkflowError::Progress(*progress));
            }
            next.state = AssignmentState::ReportSubmitted;
            next.progress = *progress;
        }
        Action::Input { text } => required(text, "the input")?,
        Action::Accept { .. } => {
            if current.state != AssignmentState::ReportSubmitted {
                return Err(WorkflowError::NoReport);
            }
            next.state = AssignmentState::Accepted;
            next.progress = 100;
            next.extension = None;
            next_occurrence = current
                .recurrence
                .zip(current.deadline)
                .map(|(recurrence, deadline)| next_deadline(deadline, recurrence));
        }
        Action::Return { comment } => {
            if current.state != AssignmentState::ReportSubmitted {
                return Err(WorkflowError::NoReport);
            }
            required(comment, "the comment")?;
            next.state = AssignmentState::InProgress;
        }
        Action::RequestExtension { until, reason } => {
            if current.extension.is_some() {
                return Err(WorkflowError::ExtensionPending);
            }
            required(reason, "the reason")?;
            if let Some(deadline) = current.deadline {
                if *until <= deadline {
                    return Err(WorkflowError::ExtensionNotLater {
                        until: *until,
                        current: deadline,
                    });
                }
            }
            next.extension = Some(PendingExtension {
                until: *until,
                reason: reason.trim().to_string(),
            });
        }
        Action::GrantExtension { .. } => {
            let pending = current
                .extension
                .as_ref()
                .ok_or(WorkflowError::NoExtensionRequest)?;
            next.deadline = Some(pending.until);
            next.extension = None;
        }
        Action::RefuseExtension { comment } => {
            if current.extension.is_none() {
                return Err(WorkflowError::NoExtensionRequest);
            }
            required(comment, "the comment")?;
            next.extension = None;
        }
        Action::Cancel { reason } => {
            required(reason, "the reason")?;
            next.state = AssignmentState::Cancelled;
            next.extension = None;
        }
    }
    Ok(Outcome {
        status: next,
        event: action.event(),
        next_occurrence,
    })
}

fn required(text: &str, field: &'static str) -> Result<(), WorkflowError> {
    if text.trim().is_empty() {
        Err(WorkflowError::Required { field })
    } else {
        Ok(())
    }
}

/// Whether someone in `capacities` may correct an assignment in `state` (task, executors,
/// deadline, recurrence): the Secretariat, while it is open.
pub fn may_edit(state: AssignmentState, capacities: Capacities) -> Result<(), WorkflowError> {
    if !capacities.secretariat {
        return Err(WorkflowError::NotPermitted {
            action: EventKind::Edited,
            needs: Capacity::Secretariat,
        });
    }
    match state {
        AssignmentState::Cancelled => Err(WorkflowError::Cancelled),
        AssignmentState::Accepted => Err(WorkflowError::AlreadyAccepted),
        _ => Ok(()),
    }
}

/// The forms a person in `capacities` is offered on an assignment in `current`: each action the
/// workflow would accept now (with some text where one is required), and `edit` when
/// [`may_edit`] allows it. Derived from [`apply`], so the page never restates the rules.
pub fn offered(current: &Status, capacities: Capacities) -> Vec<&'static str> {
    let text = String::from("-");
    let later = current
        .deadline
        .map_or(Date::MAX, |d| d.next_day().unwrap_or(Date::MAX));
    let probes = [
        ("start", Action::Start),
        (
            "report",
            Action::Report {
                text: text.clone(),
                progress: current.progress,
            },
        ),
        ("input", Action::Input { text: text.clone() }),
        (
            "accept",
            Action::Accept {
                comment: text.clone(),
            },
        ),
        (
            "return",
            Action::Return {
                comment: text.clone(),
            },
        ),
        (
            "extend",
            Action::RequestExtension {
                until: later,
                reason: text.clone(),
            },
        ),
        (
            "answer_extension",
            Action::GrantExtension {
                comment: text.clone(),
            },
        ),
        ("cancel", Action::Cancel { reason: text }),
    ];
    let mut forms: Vec<&'static str> = probes
        .into_iter()
        .filter(|(_, action)| apply(current, action, capacities).is_ok())
        .map(|(form, _)| form)
        .collect();
    if may_edit(current.state, capacities).is_ok() {
        forms.push("edit");
    }
    forms
}

/// Overdue: the deadline has passed and the assignment is still open.
pub fn is_overdue(state: AssignmentState, deadline: Option<Date>, today: Date) -> bool {
    state.is_open() && deadline.is_some_and(|d| d < today)
}

/// How many days an overdue assignment is past its deadline (1 the day after it), and the
/// deadline; `None` when it is not overdue.
pub fn overdue_by(
    state: AssignmentState,
    deadline: Option<Date>,
    today: Date,
) -> Option<(i64, Date)> {
    deadline
        .filter(|_| is_overdue(state, deadline, today))
        .map(|d| ((today - d).whole_days(), d))
}

/// The deadline of the next occurrence of a recurring assignment. A deadline on the last day of
/// its month stays on the last day (31 March → 30 June); another day keeps its number, clamped
/// to the length of the month (31 January → 28 or 29 February).
pub fn next_deadline(deadline: Date, recurrence: Recurrence) -> Date {
    let months = match recurrence {
        Recurrence::Monthly => 1,
        Recurrence::Quarterly => 3,
        Recurrence::Yearly => 12,
    };
    let month_index = deadline.year() * 12 + i32::from(u8::from(deadline.month())) - 1 + months;
    let (year, month_number) = (month_index.div_euclid(12), month_index.rem_euclid(12) + 1);
    // `month_number` is 1..=12 by construction.
    let month = u8::try_from(month_number)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .unwrap_or(Month::December);
    let last_day = month.length(year);
    let at_month_end = deadline.day() == deadline.month().length(deadline.year());
    let day = if at_month_end {
        last_day
    } else {
        deadline.day().min(last_day)
    };
    Date::from_calendar_date(year, month, day).unwrap_or(deadline)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const LEAD: Capacities = Capacities {
        lead: true,
        co_executor: false,
        controller: false,
        secretariat: false,
    };
    const CO: Capacities = Capacities {
        lead: false,
        co_executor: true,
        controller: false,
        secretariat: false,
    };
    const CONTROLLER: Capacities = Capacities {
        lead: false,
        co_executor: false,
        controller: true,
        secretariat: false,
    };
    const SECRETARIAT: Capacities = Capacities {
        lead: false,
        co_executor: false,
        controller: false,
        secretariat: true,
    };

    fn status(state: AssignmentState) -> Status {
        Status {
            state,
            deadline: Some(date!(2010 - 10 - 01)),
            recurrence: None,
            progress: 0,
            extension: None,
        }
    }

    fn report() -> Action {
        Action::Report {
            text: "Done: the plan is published.".into(),
            progress: 100,
        }
    }

    #[test]
    fn the_whole_path_from_new_to_accepted() {
        let started = apply(&status(AssignmentState::New), &Action::Start, LEAD).expect("start");
        assert_eq!(started.status.state, AssignmentState::InProgress);
        let reported = apply(&started.status, &report(), LEAD).expect("report");
        assert_eq!(reported.status.state, AssignmentState::ReportSubmitted);
        let returned = apply(
            &reported.status,
            &Action::Return {
                comment: "Attach the plan.".into(),
            },
            CONTROLLER,
        )
        .expect("return");
        assert_eq!(returned.status.state, AssignmentState::InProgress);
        let again = apply(&returned.status, &report(), LEAD).expect("report again");
        let accepted = apply(
            &again.status,
            &Action::Accept {
                comment: String::new(),
            },
            CONTROLLER,
        )
        .expect("accept");
        assert_eq!(accepted.status.state, AssignmentState::Accepted);
        assert_eq!(accepted.status.progress, 100);
        assert_eq!(accepted.next_occurrence, None);
    }

    #[test]
    fn a_new_assignment_can_be_reported_without_being_started() {
        let reported = apply(&status(AssignmentState::New), &report(), LEAD).expect("report");
        assert_eq!(reported.status.state, AssignmentState::ReportSubmitted);
    }

    #[test]
    fn only_the_controller_accepts_and_only_the_lead_reports() {
        let submitted = status(AssignmentState::ReportSubmitted);
        let accept = Action::Accept {
            comment: String::new(),
        };
        for who in [LEAD, CO, SECRETARIAT] {
            assert_eq!(
                apply(&submitted, &accept, who),
                Err(WorkflowError::NotPermitted {
                    action: EventKind::Accepted,
                    needs: Capacity::Controller
                })
            );
        }
        let error = apply(&status(AssignmentState::InProgress), &report(), CONTROLLER)
            .expect_err("refused");
        assert_eq!(error.code(), "workflow-only-lead");
        assert_eq!(
            error.to_string(),
            "only members of the lead executor body may report on this assignment"
        );
    }

    #[test]
    fn a_cancelled_assignment_takes_no_report() {
        let cancelled = apply(
            &status(AssignmentState::InProgress),
            &Action::Cancel {
                reason: "Superseded by decision 20.".into(),
            },
            SECRETARIAT,
        )
        .expect("cancel")
        .status;
        assert_eq!(cancelled.state, AssignmentState::Cancelled);
        assert_eq!(
            apply(&cancelled, &report(), LEAD),
            Err(WorkflowError::Cancelled)
        );
    }

    #[test]
    fn reasons_and_comments_are_required_where_they_explain_a_refusal() {
        let blank = "  ".to_string();
        assert_eq!(
            apply(
                &status(AssignmentState::New),
                &Action::Cancel {
                    reason: blank.clone()
                },
                SECRETARIAT
            ),
            Err(WorkflowError::Required {
                field: "the reason"
            })
        );
        assert!(apply(
            &status(AssignmentState::ReportSubmitted),
            &Action::Return { comment: blank },
            CONTROLLER
        )
        .is_err());
    }

    #[test]
    fn an_extension_is_requested_then_granted_or_refused() {
        let request = Action::RequestExtension {
            until: date!(2010 - 12 - 01),
            reason: "The host city changed the dates.".into(),
        };
        let pending = apply(&status(AssignmentState::InProgress), &request, LEAD)
            .expect("request")
            .status;
        assert!(pending.extension.is_some());
        assert_eq!(
            apply(&pending, &request, LEAD),
            Err(WorkflowError::ExtensionPending)
        );
        let granted = apply(
            &pending,
            &Action::GrantExtension {
                comment: String::new(),
            },
            CONTROLLER,
        )
        .expect("grant")
        .status;
        assert_eq!(granted.deadline, Some(date!(2010 - 12 - 01)));
        assert_eq!(granted.extension, None);
        let refused = apply(
            &pending,
            &Action::RefuseExtension {
                comment: "The plan cannot move.".into(),
            },
            CONTROLLER,
        )
        .expect("refuse")
        .status;
        assert_eq!(refused.deadline, Some(date!(2010 - 10 - 01)));
        assert_eq!(
            apply(
                &refused,
                &Action::GrantExtension {
                    comment: String::new()
                },
                CONTROLLER
            ),
            Err(WorkflowError::NoExtensionRequest)
        );
    }

    #[test]
    fn an_extension_must_move_the_deadline_later() {
        let earlier = Action::RequestExtension {
            until: date!(2010 - 09 - 01),
            reason: "Why not.".into(),
        };
        assert!(matches!(
            apply(&status(AssignmentState::New), &earlier, LEAD),
            Err(WorkflowError::ExtensionNotLater { .. })
        ));
    }

    #[test]
    fn co_executors_add_input_without_changing_the_state() {
        let outcome = apply(
            &status(AssignmentState::InProgress),
            &Action::Input {
                text: "Minsk will host the seminar.".into(),
            },
            CO,
        )
        .expect("input");
        assert_eq!(outcome.status.state, AssignmentState::InProgress);
        assert_eq!(outcome.event, EventKind::Input);
    }

    #[test]
    fn accepting_a_recurring_assignment_opens_the_next_occurrence() {
        let mut quarterly = status(AssignmentState::ReportSubmitted);
        quarterly.deadline = Some(date!(2010 - 09 - 30));
        quarterly.recurrence = Some(Recurrence::Quarterly);
        let outcome = apply(
            &quarterly,
            &Action::Accept {
                comment: String::new(),
            },
            CONTROLLER,
        )
        .expect("accept");
        assert_eq!(outcome.next_occurrence, Some(date!(2010 - 12 - 31)));
    }

    #[test]
    fn next_deadlines_keep_the_end_of_the_month() {
        use Recurrence::*;
        assert_eq!(
            next_deadline(date!(2010 - 03 - 31), Quarterly),
            date!(2010 - 06 - 30)
        );
        assert_eq!(
            next_deadline(date!(2010 - 11 - 30), Monthly),
            date!(2010 - 12 - 31)
        );
        assert_eq!(
            next_deadline(date!(2010 - 12 - 31), Monthly),
            date!(2011 - 01 - 31)
        );
        assert_eq!(
            next_deadline(date!(2011 - 01 - 30), Monthly),
            date!(2011 - 02 - 28)
        );
        assert_eq!(
            next_deadline(date!(2011 - 03 - 01), Yearly),
            date!(2012 - 03 - 01)
        );
        assert_eq!(
            next_deadline(date!(2012 - 02 - 29), Yearly),
            date!(2013 - 02 - 28)
        );
    }

    #[test]
    fn only_the_secretariat_edits_and_only_open_assignments() {
        assert_eq!(may_edit(AssignmentState::InProgress, SECRETARIAT), Ok(()));
        assert_eq!(
            may_edit(AssignmentState::InProgress, LEAD).map_err(|e| e.code()),
            Err("workflow-only-secretariat")
        );
        assert_eq!(
            may_edit(AssignmentState::Accepted, SECRETARIAT),
            Err(WorkflowError::AlreadyAccepted)
        );
    }

    #[test]
    fn overdue_means_open_and_past_the_deadline() {
        let today = date!(2010 - 10 - 02);
        let deadline = Some(date!(2010 - 10 - 01));
        assert!(is_overdue(
            AssignmentState::ReportSubmitted,
            deadline,
            today
        ));
        assert!(!is_overdue(AssignmentState::Accepted, deadline, today));
        assert!(!is_overdue(AssignmentState::Cancelled, deadline, today));
        assert!(!is_overdue(
            AssignmentState::New,
            deadline,
            date!(2010 - 10 - 01)
        ));
        assert!(!is_overdue(AssignmentState::New, None, today));
    }

    #[test]
    fn overdue_by_counts_the_days_past_the_deadline() {
        let deadline = date!(2026 - 12 - 01);
        assert_eq!(
            overdue_by(
                AssignmentState::InProgress,
                Some(deadline),
                date!(2026 - 12 - 04)
            ),
            Some((3, deadline))
        );
        assert_eq!(
            overdue_by(AssignmentState::New, Some(deadline), date!(2026 - 12 - 02)),
            Some((1, deadline))
        );
        assert_eq!(
            overdue_by(AssignmentState::New, Some(deadline), deadline),
            None
        );
        assert_eq!(
            overdue_by(
                AssignmentState::Accepted,
                Some(deadline),
                date!(2027 - 01 - 01)
            ),
            None
        );
        assert_eq!(overdue_by(AssignmentState::New, None, deadline), None);
    }

    #[test]
    fn states_and_events_read_back_from_their_codes() {
        for state in AssignmentState::ALL {
            assert_eq!(state.as_str().parse::<AssignmentState>(), Ok(state));
        }
        for kind in EventKind::ALL {
            assert_eq!(kind.as_str().parse::<EventKind>(), Ok(kind));
        }
        assert!("done".parse::<AssignmentState>().is_err());
    }
}

//! What a reader may see of an assignment, made for that reader. The public page of a decision
//! and the anonymous API show [`PublicAssignment`]: never reports, comments, extension reasons or
//! import doubts. Signed-in callers of the API get [`StaffAssignment`], with the timeline.
use megapolis_assignments::{AssignmentState, EventKind, Recurrence};
use megapolis_decisions::format_date;
use megapolis_storage::assignments::{AssignmentEvent, AssignmentRecord};
use serde::Serialize;
use utoipa::ToSchema;

/// An assignment as the public sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicAssignment {
    pub id: i64,
    pub decision_id: i64,
    pub item: String,
    /// assignment | recommendation
    pub kind: &'static str,
    pub task: String,
    /// The lead executor as the decision names it.
    pub lead: Option<String>,
    pub co_executors: Vec<String>,
    /// ISO date.
    pub deadline: Option<String>,
    /// The deadline as the decision words it, when it is not a date.
    pub deadline_text: Option<String>,
    /// monthly | quarterly | yearly
    pub recurrence: Option<&'static str>,
    /// new | in_progress | report_submitted | accepted | cancelled
    pub state: &'static str,
    /// 0–100.
    pub progress: i64,
    pub overdue: bool,
}

impl PublicAssignment {
    pub fn of(a: &AssignmentRecord) -> PublicAssignment {
        PublicAssignment {
            id: a.id,
            decision_id: a.decision_id,
            item: a.item.clone(),
            kind: a.kind.as_str(),
            task: a.task.clone(),
            lead: a.lead.as_ref().map(|l| l.name.clone()),
            co_executors: a.co_executors.iter().map(|c| c.name.clone()).collect(),
            deadline: a.deadline.map(format_date),
            deadline_text: a.deadline_text.clone(),
            recurrence: a.recurrence.map(Recurrence::as_str),
            state: a.state.as_str(),
            progress: a.progress.clamp(0, 100),
            overdue: a.overdue,
        }
    }
}

/// An executor with its body in the directory, when it has one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExecutorView {
    pub name: String,
    pub body_id: Option<String>,
}

/// A pending request for a later deadline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExtensionView {
    /// ISO date.
    pub until: String,
    pub reason: String,
}

/// A file attached to an event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FileView {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

/// One entry of the timeline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventView {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: String,
    pub kind: &'static str,
    pub text: String,
    pub state_after: &'static str,
    pub deadline_after: Option<String>,
    pub progress_after: i64,
    pub files: Vec<FileView>,
}

impl EventView {
    pub fn of(e: &AssignmentEvent) -> EventView {
        EventView {
            id: e.id,
            at: e.at.clone(),
            actor: e.actor.clone(),
            kind: EventKind::as_str(e.kind),
            text: e.text.clone(),
            state_after: AssignmentState::as_str(e.state_after),
            deadline_after: e.deadline_after.map(format_date),
            progress_after: e.progress_after,
            files: e
                .files
                .iter()
                .map(|f| FileView {
                    id: f.id,
                    name: f.name.clone(),
                    content_type: f.content_type.clone(),
                    size: f.size,
                })
                .collect(),
        }
    }
}

/// An assignment as a signed-in member of the association sees it through the API.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffAssignment {
    #[serde(flatten)]
    pub public: PublicAssignment,
    pub decision_title: String,
    pub session_number: i64,
    pub published: bool,
    pub lead_executor: Option<ExecutorView>,
    pub co_executor_bodies: Vec<ExecutorView>,
    pub controller_body_id: Option<String>,
    pub extension: Option<ExtensionView>,
    /// What the import was unsure of: executor_not_in_directory | deadline_unreadable | no_executor
    pub doubts: Vec<&'static str>,
    pub previous_id: Option<i64>,
    pub updated_at: String,
    /// Oldest first, with reports, comments and files. Only on the single-assignment endpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Vec<EventView>>,
}

impl StaffAssignment {
    pub fn of(a: &AssignmentRecord, timeline: Option<&[AssignmentEvent]>) -> StaffAssignment {
        let executor = |e: &megapolis_assignments::Executor| ExecutorView {
            name: e.name.clone(),
            body_id: e.body_id.as_ref().map(|b| b.as_str().to_string()),
        };
        StaffAssignment {
            public: PublicAssignment::of(a),
            decision_title: a.decision_title.clone(),
            session_number: a.session_number,
            published: a.published,
            lead_executor: a.lead.as_ref().map(executor),
            co_executor_bodies: a.co_executors.iter().map(executor).collect(),
            controller_body_id: a
                .controller_body_id
                .as_ref()
                .map(|b| b.as_str().to_string()),
            extension: a.extension.as_ref().map(|e| ExtensionView {
                until: format_date(e.until),
                reason: e.reason.clone(),
            }),
            doubts: a.doubts.iter().map(|d| d.as_str()).collect(),
            previous_id: a.previous_id,
            updated_at: a.updated_at.clone(),
            timeline: timeline.map(|events| events.iter().map(EventView::of).collect()),
        }
    }
}

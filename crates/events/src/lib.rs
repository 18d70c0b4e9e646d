//! The plan of main events, without I/O: what a proposal is ([`model`]), who may do what with it
//! and how it moves ([`workflow`]), which proposals clash or duplicate one another ([`clash`]),
//! the calendar feed ([`ical`]), and the events once held: registrations, programme, materials
//! ([`held`]).
pub mod clash;
pub mod held;
pub mod ical;
pub mod model;
pub mod workflow;

pub use clash::{blocking, clashes, Candidate, Clash, ClashKind, Severity};
pub use model::{
    format_date, parse_date, plan_title, EventKind, NewProposal, Period, Precision, ProposalInput,
};
pub use workflow::{
    absorb, absorb_links, apply_plan, apply_proposal, is_president, may_amend, may_consolidate,
    may_merge, may_propose, Merging, PlanAction, PlanState, ProposalAction, ProposalState, Refusal,
};

//! What a notice is about. Every capability tells people about its own subjects (an assignment,
//! an entry of a competition, a monitoring campaign, an event) through the one inbox and outbox.
use serde::Serialize;

/// The subject of a notice: its kind, its id, a title for the inbox line and the mail, and the
/// path of its page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subject {
    /// `assignment`, …: the translation keys of the notice are `{kind}-event-{event}`.
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    /// A path on this site, e.g. `/assignments/42`.
    pub link: String,
}

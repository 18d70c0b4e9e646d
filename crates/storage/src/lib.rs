//! The one place that speaks SQL.
//!
//! [`Store`] holds either a SQLite or a PostgreSQL pool; every method takes and returns domain
//! types, so nothing above this crate sees SQL or knows which database it runs on. The SQL is
//! written once, in the dialect both databases accept (`$1` placeholders, `RETURNING`, text
//! timestamps in UTC). Every change goes through a [`WriteTx`] that also appends to the
//! hash-chained audit log.

mod db;

pub mod accounts;
pub mod assignments;
pub mod audit;
pub mod backup;
pub mod catalogue;
pub mod consultations;
pub mod decisions;
pub mod demo;
pub mod events;
pub mod files;
pub mod jobs;
pub mod monitoring;
pub mod notices;
pub mod org;
pub mod reminders;
pub mod training;

pub use db::{now_utc, Store, WriteTx, SCHEMA_VERSION};

/// Declares a facet of the store: a capability's part of its API, reached as `store.<name>()`,
/// so no single impl grows to hundreds of methods. A facet reads through the store it borrows.
macro_rules! facet {
    ($(#[$doc:meta])* $facet:ident, $accessor:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy)]
        pub struct $facet<'a> {
            store: &'a $crate::Store,
        }

        impl $crate::Store {
            $(#[$doc])*
            pub fn $accessor(&self) -> $facet<'_> {
                $facet { store: self }
            }
        }

        impl std::ops::Deref for $facet<'_> {
            type Target = $crate::Store;
            fn deref(&self) -> &$crate::Store {
                self.store
            }
        }
    };
}
pub(crate) use facet;

/// What can go wrong in storage, in words a person can act on.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("cannot reach the database at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("not found: {0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("backup file {file}: {reason}")]
    BadBackup { file: String, reason: String },
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A worker reported on a job that is no longer its own: its lease ran out and another
    /// worker took the job, or the job ended. The worker stops; nothing was changed.
    #[error("job {id} is no longer held by worker {worker}")]
    LeaseLost { id: i64, worker: String },
    /// The assignment workflow refused an action; nothing was changed.
    #[error(transparent)]
    Refused(#[from] megapolis_assignments::WorkflowError),
    /// A monitoring campaign's rules refused an action; nothing was changed.
    #[error(transparent)]
    Campaign(#[from] megapolis_monitoring::CampaignError),
    /// The training rules refused a nomination; nothing was changed.
    #[error(transparent)]
    Nomination(#[from] megapolis_training::Refusal),
    /// The nomination's state refused a decision; nothing was changed.
    #[error(transparent)]
    Decision(#[from] megapolis_training::DecisionError),
    /// A competition's rules refused an action; nothing was changed.
    #[error(transparent)]
    Competition(#[from] crate::catalogue::competition::CompetitionRefusal),
}

/// The text of `member_since` and other dates as stored.
pub(crate) fn date_to_text(date: Option<time::Date>) -> Option<String> {
    date.map(|d| d.to_string())
}

pub(crate) fn text_to_date(text: Option<String>) -> Result<Option<time::Date>, StorageError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    text.map(|t| {
        time::Date::parse(&t, format).map_err(|e| StorageError::Corrupt(format!("date {t:?}: {e}")))
    })
    .transpose()
}

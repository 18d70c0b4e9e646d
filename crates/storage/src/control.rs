//! What the Board's control needs beyond the assignment store: the last report of every
//! assignment for the execution report (one query), and a stamp that says when the dashboard's
//! figures may have changed.
use crate::db::{on_pool, Store};
use crate::StorageError;
use std::collections::BTreeMap;

impl Store {
    /// The text of the latest `reported` event of every assignment that has one, by assignment
    /// id. One query, whatever the number of assignments.
    pub async fn last_reports(&self) -> Result<BTreeMap<i64, String>, StorageError> {
        let rows: Vec<(i64, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT e.assignment_id, e.text FROM assignment_events e \
             JOIN (SELECT assignment_id, MAX(id) AS id FROM assignment_events WHERE kind = $1 GROUP BY assignment_id) last \
             ON last.id = e.id",
        )
        .bind("reported")
        .fetch_all(pool)
        .await?);
        Ok(rows.into_iter().collect())
    }
}

impl Store {
    /// A stamp that changes whenever the dashboard's figures may have changed: every change of
    /// an assignment writes an event, and new assignments and decisions change the counts.
    /// Cheap (the newest event by its key, two counts), so a cached dashboard can be checked
    /// on every request, also across several servers on one database.
    pub async fn control_stamp(&self) -> Result<(i64, i64, i64), StorageError> {
        let stamp: (i64, i64, i64) = on_pool!(self, pool => sqlx::query_as(
            "SELECT COALESCE((SELECT MAX(id) FROM assignment_events), 0), \
             (SELECT COUNT(*) FROM assignments), (SELECT COUNT(*) FROM decisions)",
        )
        .fetch_one(pool)
        .await?);
        Ok(stamp)
    }
}

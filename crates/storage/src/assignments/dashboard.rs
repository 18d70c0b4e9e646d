//! What the Board's control needs beyond the assignment store: the last report of every
//! assignment for the execution report (one query), and a stamp that says when the dashboard's
//! figures may have changed.
use super::{filter_sql, AssignmentFilter, AssignmentRecord, Assignments, Param};
use crate::db::{on_pool, NamedRow};
use crate::decisions::body_id_from_text;
use crate::StorageError;
use megapolis_assignments::{AssignmentState, EventKind};
use megapolis_domain::BodyId;
use serde::Serialize;
use std::collections::BTreeMap;
use time::Date;

/// Counts for one row of the dashboard (an executor body or a decision).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Load {
    pub total: i64,
    pub open: i64,
    pub overdue: i64,
    pub due_soon: i64,
    pub accepted: i64,
}

/// Whom a row of the dashboard's table by lead executor counts. Each kind has a filter of its own
/// that lists exactly the row's assignments: `AssignmentFilter::lead`, `lead_name`, `no_lead`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum LeadOf {
    /// A body of the directory, however the decisions wrote its name.
    Body(BodyId),
    /// An executor outside the directory, by the name exactly as the decision wrote it.
    Named(String),
    /// No lead executor named.
    Nobody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BodyLoad {
    pub lead: LeadOf,
    /// The name as a decision wrote it ("" when nobody is named).
    pub name: String,
    pub load: Load,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionLoad {
    pub decision_id: i64,
    pub title: String,
    pub session_number: i64,
    pub load: Load,
}

/// The Board's dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dashboard {
    pub today: Date,
    pub due_soon_days: i64,
    pub by_state: Vec<(AssignmentState, i64)>,
    pub total: Load,
    pub by_body: Vec<BodyLoad>,
    pub by_decision: Vec<DecisionLoad>,
    /// Open assignments whose extension request waits for the controlling body's answer.
    pub extensions_waiting: i64,
    /// The first [`EXTENSION_REQUESTS_LISTED`] of them.
    pub extension_requests: Vec<AssignmentRecord>,
}

/// How many waiting extension requests the dashboard lists; its count links to all of them.
pub const EXTENSION_REQUESTS_LISTED: i64 = 10;

/// The counts of one row of the dashboard, read by the names `counts` gives them (a `SUM` of
/// no rows is NULL: zero).
fn load_of(row: &impl NamedRow) -> Result<Load, sqlx::Error> {
    Ok(Load {
        total: row.int("total")?,
        open: row.int_or_none("open")?.unwrap_or(0),
        overdue: row.int_or_none("overdue")?.unwrap_or(0),
        due_soon: row.int_or_none("due_soon")?.unwrap_or(0),
        accepted: row.int_or_none("accepted")?.unwrap_or(0),
    })
}

/// The assignments the figures count: those of published decisions. A draft is the
/// Secretariat's work in progress, not a decision of the association.
const OFFICIAL: &str =
    "FROM assignments a JOIN decisions d ON d.id = a.decision_id AND d.published = TRUE";

impl Assignments<'_> {
    /// The Board's dashboard on `today`, with "due soon" meaning within `due_soon_days`.
    pub async fn dashboard(
        &self,
        today: Date,
        due_soon_days: i64,
    ) -> Result<Dashboard, StorageError> {
        let soon = (today + time::Duration::days(due_soon_days)).to_string();
        let today_text = today.to_string();
        let counts = "COUNT(*) AS total, \
             SUM(CASE WHEN a.state NOT IN ('accepted', 'cancelled') THEN 1 ELSE 0 END) AS open, \
             SUM(CASE WHEN a.state NOT IN ('accepted', 'cancelled') AND a.deadline < $1 THEN 1 ELSE 0 END) AS overdue, \
             SUM(CASE WHEN a.state NOT IN ('accepted', 'cancelled') AND a.deadline >= $1 AND a.deadline <= $2 THEN 1 ELSE 0 END) AS due_soon, \
             SUM(CASE WHEN a.state = 'accepted' THEN 1 ELSE 0 END) AS accepted";
        let by_state: Vec<(String, i64)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT a.state, COUNT(*) FROM assignments a JOIN decisions d ON d.id = a.decision_id \
             WHERE d.published = TRUE GROUP BY a.state",
        )
        .fetch_all(pool)
        .await?);
        let total_sql = format!("SELECT {counts} {OFFICIAL}");
        let total = on_pool!(self, pool => load_of(
            &sqlx::query(&total_sql)
                .bind(&today_text)
                .bind(&soon)
                .fetch_one(pool)
                .await?,
        )?);
        let body_sql = format!(
            "SELECT a.lead_body_id, COALESCE(a.lead_name, '') AS lead_name, {counts} {OFFICIAL} \
             GROUP BY a.lead_body_id, a.lead_name"
        );
        let body_rows: Vec<(Option<String>, String, Load)> = on_pool!(self, pool => sqlx::query(&body_sql)
            .bind(&today_text)
            .bind(&soon)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|row| Ok::<_, sqlx::Error>((row.text_or_none("lead_body_id")?, row.text("lead_name")?, load_of(row)?)))
            .collect::<Result<Vec<_>, _>>()?);
        // A body named in Russian and in English decisions is one row; an executor outside the
        // directory is a row of its exact name; the assignments that name nobody are one row.
        // Each row counts exactly what its filter (`lead`, `lead_name`, `no_lead`) lists.
        let mut bodies: BTreeMap<LeadOf, BodyLoad> = BTreeMap::new();
        for (body_id, name, row_load) in body_rows {
            let lead = match body_id_from_text(body_id, "dashboard")? {
                Some(id) => LeadOf::Body(id),
                None if name.is_empty() => LeadOf::Nobody,
                None => LeadOf::Named(name.clone()),
            };
            let entry = bodies.entry(lead.clone()).or_insert_with(|| BodyLoad {
                lead,
                name,
                load: Load::default(),
            });
            entry.load.total += row_load.total;
            entry.load.open += row_load.open;
            entry.load.overdue += row_load.overdue;
            entry.load.due_soon += row_load.due_soon;
            entry.load.accepted += row_load.accepted;
        }
        let mut by_body: Vec<BodyLoad> = bodies.into_values().collect();
        by_body.sort_by(|a, b| {
            (b.load.overdue, b.load.open, &a.name, &a.lead).cmp(&(
                a.load.overdue,
                a.load.open,
                &b.name,
                &b.lead,
            ))
        });
        let decision_sql = format!(
            "SELECT d.id, d.title, s.number, {counts} {OFFICIAL} \
             JOIN assembly_sessions s ON s.id = d.session_id GROUP BY d.id, d.title, s.number ORDER BY s.number DESC, d.id DESC"
        );
        let by_decision = on_pool!(self, pool => sqlx::query(&decision_sql)
            .bind(&today_text)
            .bind(&soon)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|row| {
                Ok::<_, sqlx::Error>(DecisionLoad {
                    decision_id: row.int("id")?,
                    title: row.text("title")?,
                    session_number: row.int("number")?,
                    load: load_of(row)?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?);
        let waiting = AssignmentFilter {
            extension: true,
            published_only: true,
            ..AssignmentFilter::default()
        };
        let extensions_waiting = self.count(&waiting, today).await?;
        let extension_requests = self
            .list(
                &AssignmentFilter {
                    limit: Some(EXTENSION_REQUESTS_LISTED),
                    ..waiting
                },
                today,
            )
            .await?;
        let mut states = BTreeMap::new();
        for (state, count) in by_state {
            let state = state
                .parse::<AssignmentState>()
                .map_err(|e| StorageError::Corrupt(e.to_string()))?;
            states.insert(state.as_str(), (state, count));
        }
        Ok(Dashboard {
            today,
            due_soon_days,
            by_state: AssignmentState::ALL
                .into_iter()
                .map(|s| (s, states.get(s.as_str()).map_or(0, |(_, n)| *n)))
                .collect(),
            total,
            by_body,
            by_decision,
            extensions_waiting,
            extension_requests,
        })
    }

    /// How many assignments `filter` matches, its `limit` aside: the figure beside a link to the
    /// list of them.
    pub async fn count(&self, filter: &AssignmentFilter, today: Date) -> Result<i64, StorageError> {
        let mut params: Vec<Param> = Vec::new();
        let condition = filter_sql(filter, today, &mut params);
        let sql = format!(
            "SELECT COUNT(*) FROM assignments a JOIN decisions d ON d.id = a.decision_id {condition}"
        );
        let count: i64 = on_pool!(self, pool => {
            bind_params!(sqlx::query_scalar(&sql), &params).fetch_one(pool).await?
        });
        Ok(count)
    }
}

impl Assignments<'_> {
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

    /// The assignments in progress whose report the controller returned: the latest of their
    /// report events (reported, returned, accepted) is a return. Notes, reminders and other
    /// events after it do not settle it; a new report does. One query, like [`Self::last_reports`].
    pub async fn returned_reports(&self) -> Result<std::collections::BTreeSet<i64>, StorageError> {
        let ids: Vec<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT e.assignment_id FROM assignment_events e \
             JOIN (SELECT assignment_id, MAX(id) AS id FROM assignment_events \
                   WHERE kind IN ($1, $2, $3) GROUP BY assignment_id) last ON last.id = e.id \
             JOIN assignments a ON a.id = e.assignment_id \
             WHERE e.kind = $2 AND a.state = $4",
        )
        .bind(EventKind::Reported.as_str())
        .bind(EventKind::Returned.as_str())
        .bind(EventKind::Accepted.as_str())
        .bind(AssignmentState::InProgress.as_str())
        .fetch_all(pool)
        .await?);
        Ok(ids.into_iter().collect())
    }
}

impl Assignments<'_> {
    /// A stamp that changes whenever the dashboard's figures may have changed: every change of
    /// an assignment writes an event, and new assignments and decisions change the counts.
    /// Cheap (the newest event by its key, two counts), so a cached dashboard can be checked
    /// on every request, also across several servers on one database.
    pub async fn stamp(&self) -> Result<(i64, i64, i64), StorageError> {
        let stamp: (i64, i64, i64) = on_pool!(self, pool => sqlx::query_as(
            "SELECT COALESCE((SELECT MAX(id) FROM assignment_events), 0), \
             (SELECT COUNT(*) FROM assignments), (SELECT COUNT(*) FROM decisions)",
        )
        .fetch_one(pool)
        .await?);
        Ok(stamp)
    }
}

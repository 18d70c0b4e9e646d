//! The plan of main events: proposals and the plan's numbered versions. Every change is one
//! audited transaction under the writer's lock, after the rule of `megapolis_events` has decided
//! on what was read in that transaction.
use crate::audit::audit_entry;
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, on_tx, NamedRow, WriteTx};
use crate::StorageError;
use megapolis_domain::{CityCode, Person, Role};
use megapolis_events::{
    absorb, absorb_links, apply_plan, apply_proposal, blocking, clashes, format_date, may_merge,
    parse_date, EventKind, Merging, NewProposal, Period, PlanAction, PlanState, Precision,
    ProposalAction, ProposalState, Refusal,
};
use serde::Serialize;

mod held;
pub use held::{Attended, Material, RegistrationRow, Talk};

/// What a backup holds of the plan of events, parents before children.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "event_proposals",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("year", Kind::Int),
            ("kind", Kind::Text),
            ("title_ru", Kind::Text),
            ("title_en", Kind::Text),
            ("description_ru", Kind::Text),
            ("description_en", Kind::Text),
            ("date_precision", Kind::Text),
            ("starts_on", Kind::Text),
            ("ends_on", Kind::Text),
            ("city_code", Kind::Text),
            ("venue", Kind::Text),
            ("organiser", Kind::Text),
            ("co_organisers", Kind::Text),
            ("expected_participants", Kind::Int),
            ("state", Kind::Text),
            ("reason", Kind::Text),
            ("proposer_id", Kind::Int),
            ("sequence", Kind::Int),
            ("cancelled", Kind::Bool),
            ("created_at", Kind::Text),
            ("updated_at", Kind::Text),
            ("capacity", Kind::Int),
            ("report", Kind::Text),
            ("merged_into", Kind::Int),
            ("solutions", Kind::Text),
            ("courses", Kind::Text),
        ],
    },
    Table {
        name: "event_plans",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("year", Kind::Int),
            ("version", Kind::Int),
            ("state", Kind::Text),
            ("remarks", Kind::Text),
            ("created_by", Kind::Text),
            ("created_at", Kind::Text),
            ("decided_by", Kind::Text),
            ("decided_at", Kind::Text),
            ("decision_id", Kind::Int),
        ],
    },
    Table {
        name: "event_plan_events",
        identity: false,
        columns: &[
            ("plan_id", Kind::Int),
            ("event_id", Kind::Int),
            ("kind", Kind::Text),
            ("title_ru", Kind::Text),
            ("title_en", Kind::Text),
            ("description_ru", Kind::Text),
            ("description_en", Kind::Text),
            ("date_precision", Kind::Text),
            ("starts_on", Kind::Text),
            ("ends_on", Kind::Text),
            ("city_code", Kind::Text),
            ("venue", Kind::Text),
            ("organiser", Kind::Text),
            ("co_organisers", Kind::Text),
            ("expected_participants", Kind::Int),
            ("sequence", Kind::Int),
            ("cancelled", Kind::Bool),
            ("updated_at", Kind::Text),
            ("solutions", Kind::Text),
            ("courses", Kind::Text),
        ],
    },
    Table {
        name: "event_registrations",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("event_id", Kind::Int),
            ("person_id", Kind::Int),
            ("state", Kind::Text),
            ("attended", Kind::Bool),
            ("created_at", Kind::Text),
        ],
    },
    Table {
        name: "event_talks",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("event_id", Kind::Int),
            ("title", Kind::Text),
            ("speaker", Kind::Text),
            ("solution_id", Kind::Int),
        ],
    },
    Table {
        name: "event_materials",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("event_id", Kind::Int),
            ("title", Kind::Text),
            ("link", Kind::Text),
        ],
    },
];

/// A stored proposal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    pub id: i64,
    #[serde(flatten)]
    pub event: NewProposal,
    pub state: ProposalState,
    /// Why it was declined or accepted, visible to the proposer.
    pub reason: String,
    pub proposer_id: i64,
    pub proposer_name: String,
    pub sequence: i64,
    pub cancelled: bool,
    pub created_at: String,
    pub updated_at: String,
    /// Places for registration; none is no limit.
    pub capacity: Option<i64>,
    /// The short report after the event.
    pub report: String,
    /// The proposal this duplicate was merged into.
    pub merged_into: Option<i64>,
}

/// A numbered version of a year's plan; its events are kept as they were when it was drafted,
/// refreshed until it is submitted (see [`Events::plan_events`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub id: i64,
    pub year: i32,
    pub version: i64,
    pub state: PlanState,
    /// The President's remarks when returned.
    pub remarks: String,
    pub created_by: String,
    pub created_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    /// The decision this version is an appendix of.
    pub decision_id: Option<i64>,
}

/// The state of the approved plans at a moment (see [`Events::stamp`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EventsStamp {
    approved: i64,
    decided: Option<String>,
    attached: i64,
}

/// What the public plan and the feed are filtered by.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub kind: Option<EventKind>,
    pub city: Option<String>,
    pub organiser: Option<String>,
}

impl EventFilter {
    pub fn admits(&self, p: &Proposal) -> bool {
        self.kind.is_none_or(|k| p.event.kind == k)
            && self
                .city
                .as_ref()
                .is_none_or(|c| p.event.city.as_str() == c.as_str())
            && self
                .organiser
                .as_ref()
                .is_none_or(|o| p.event.organisers().iter().any(|x| x == o))
    }
}

const PROPOSAL: &str = "SELECT e.*, p.name AS proposer_name FROM event_proposals e \
     JOIN people p ON p.id = e.proposer_id";

/// What a plan version keeps of each of its events.
const SNAPSHOT: &str = "kind, title_ru, title_en, description_ru, description_en, date_precision, \
     starts_on, ends_on, city_code, venue, organiser, co_organisers, expected_participants, sequence, \
     cancelled, updated_at, solutions, courses";

/// A plan version's events as it keeps them (`s`), with what is not part of the plan (state,
/// proposer, capacity, report) read from the proposal; the columns of [`PROPOSAL`].
const PLANNED: &str = "SELECT e.id, e.year, s.kind, s.title_ru, s.title_en, s.description_ru, \
     s.description_en, s.date_precision, s.starts_on, s.ends_on, s.city_code, s.venue, s.organiser, \
     s.co_organisers, s.expected_participants, e.state, e.reason, e.proposer_id, p.name AS proposer_name, \
     s.sequence, s.cancelled, e.created_at, s.updated_at, e.capacity, e.report, e.merged_into, \
     s.solutions, s.courses FROM event_plan_events s JOIN event_proposals e ON e.id = s.event_id \
     JOIN people p ON p.id = e.proposer_id";

/// The plans in force: of each year (of year `$1`, any when negative) the latest approved version.
const IN_FORCE: &str = "SELECT pl.id FROM event_plans pl WHERE pl.state = 'approved' \
     AND ($1 < 0 OR pl.year = $1) AND NOT EXISTS (SELECT 1 FROM event_plans later \
     WHERE later.year = pl.year AND later.state = 'approved' AND later.version > pl.version)";

fn corrupt(what: &str, value: &str) -> StorageError {
    StorageError::Corrupt(format!("event {what} {value:?}"))
}

fn proposal_of(row: &impl NamedRow) -> Result<Proposal, StorageError> {
    let text = |c: &str| row.text(c).map_err(StorageError::from);
    let date = |c: &str| -> Result<time::Date, StorageError> {
        let t = text(c)?;
        parse_date(&t).ok_or_else(|| corrupt(c, &t))
    };
    let kind = text("kind")?;
    let precision = text("date_precision")?;
    let state = text("state")?;
    let city = text("city_code")?;
    let co = text("co_organisers")?;
    let ids = |c: &str| -> Result<Vec<i64>, StorageError> {
        let t = text(c)?;
        serde_json::from_str(&t).map_err(|_| corrupt(c, &t))
    };
    let year = row.int("year")?;
    Ok(Proposal {
        id: row.int("id")?,
        event: NewProposal {
            year: i32::try_from(year).map_err(|_| corrupt("year", &year.to_string()))?,
            kind: EventKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
            title_ru: text("title_ru")?,
            title_en: text("title_en")?,
            description_ru: text("description_ru")?,
            description_en: text("description_en")?,
            precision: Precision::parse(&precision)
                .ok_or_else(|| corrupt("precision", &precision))?,
            period: Period {
                start: date("starts_on")?,
                end: date("ends_on")?,
            },
            city: CityCode::parse(&city).map_err(|_| corrupt("city", &city))?,
            venue: text("venue")?,
            organiser: text("organiser")?,
            co_organisers: serde_json::from_str(&co).map_err(|_| corrupt("co-organisers", &co))?,
            expected_participants: row.int_or_none("expected_participants")?,
            solutions: ids("solutions")?,
            courses: ids("courses")?,
        },
        state: ProposalState::parse(&state).ok_or_else(|| corrupt("state", &state))?,
        reason: text("reason")?,
        proposer_id: row.int("proposer_id")?,
        proposer_name: text("proposer_name")?,
        sequence: row.int("sequence")?,
        cancelled: row.flag("cancelled")?,
        created_at: text("created_at")?,
        updated_at: text("updated_at")?,
        capacity: row.int_or_none("capacity")?,
        report: text("report")?,
        merged_into: row.int_or_none("merged_into")?,
    })
}

fn plan_of(row: &impl NamedRow) -> Result<Plan, StorageError> {
    let state = row.text("state")?;
    let year = row.int("year")?;
    Ok(Plan {
        id: row.int("id")?,
        year: i32::try_from(year).map_err(|_| corrupt("plan year", &year.to_string()))?,
        version: row.int("version")?,
        state: PlanState::parse(&state).ok_or_else(|| corrupt("plan state", &state))?,
        remarks: row.text("remarks")?,
        created_by: row.text("created_by")?,
        created_at: row.text("created_at")?,
        decided_by: row.text_or_none("decided_by")?,
        decided_at: row.text_or_none("decided_at")?,
        decision_id: row.int_or_none("decision_id")?,
    })
}

/// Proposal `id` read in the write transaction that decides on it.
async fn proposal_in(tx: &mut WriteTx, id: i64) -> Result<Proposal, StorageError> {
    let sql = format!("{PROPOSAL} WHERE e.id = $1");
    let found = on_tx!(tx, conn => sqlx::query(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(proposal_of)
        .transpose()?);
    found.ok_or_else(|| StorageError::NotFound(format!("event proposal {id}")))
}

/// Whether event `id` is in the plan in force for `year`, read in the transaction.
async fn in_force_in(tx: &mut WriteTx, year: i32, id: i64) -> Result<bool, StorageError> {
    let sql = format!(
        "SELECT COUNT(*) FROM event_plan_events WHERE event_id = $2 AND plan_id IN ({IN_FORCE})"
    );
    let found: i64 = on_tx!(tx, conn => sqlx::query_scalar(&sql)
        .bind(i64::from(year))
        .bind(id)
        .fetch_one(conn)
        .await?);
    Ok(found > 0)
}

/// Makes plan version `plan_id` keep the accepted proposals of `year` as they are now.
async fn snapshot_in(tx: &mut WriteTx, plan_id: i64, year: i32) -> Result<(), StorageError> {
    on_tx!(tx, conn => sqlx::query("DELETE FROM event_plan_events WHERE plan_id = $1")
        .bind(plan_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    let sql = format!(
        "INSERT INTO event_plan_events (plan_id, event_id, {SNAPSHOT}) SELECT $1, id, {SNAPSHOT} \
         FROM event_proposals WHERE year = $2 AND state = 'accepted'"
    );
    on_tx!(tx, conn => sqlx::query(&sql)
        .bind(plan_id)
        .bind(i64::from(year))
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The version of `year` still open (in draft or with the President): id, number and state.
async fn open_version_in(
    tx: &mut WriteTx,
    year: i32,
) -> Result<Option<(i64, i64, PlanState)>, StorageError> {
    let row: Option<(i64, i64, String)> = on_tx!(tx, conn => sqlx::query_as(
        "SELECT id, version, state FROM event_plans WHERE year = $1 AND state IN ('draft', 'submitted')",
    )
    .bind(i64::from(year))
    .fetch_optional(conn)
    .await?);
    row.map(|(id, version, state)| {
        PlanState::parse(&state)
            .map(|s| (id, version, s))
            .ok_or_else(|| corrupt("plan state", &state))
    })
    .transpose()
}

/// Opens version n + 1 of `year`'s plan, keeping the accepted proposals as they are now.
async fn new_version_in(tx: &mut WriteTx, actor: &str, year: i32) -> Result<i64, StorageError> {
    let last: Option<i64> = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT MAX(version) FROM event_plans WHERE year = $1",
    )
    .bind(i64::from(year))
    .fetch_one(conn)
    .await?);
    let version = last.unwrap_or(0) + 1;
    let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO event_plans (year, version, state, remarks, created_by, created_at) \
         VALUES ($1, $2, $3, '', $4, $5) RETURNING id",
    )
    .bind(i64::from(year))
    .bind(version)
    .bind(PlanState::Draft.as_str())
    .bind(actor)
    .bind(now_utc())
    .fetch_one(conn)
    .await?);
    snapshot_in(tx, id, year).await?;
    tx.audit(&audit_entry(
        actor,
        "create",
        "event_plan",
        &id.to_string(),
        None,
        Some(&serde_json::json!({ "year": year, "version": version })),
    ))
    .await?;
    Ok(id)
}

/// Whether event `id` of `year` may change now: not while the version with the President holds
/// it or the plan in force does (the President decides on what was submitted). `Ok(published)`:
/// whether the plan in force holds it, so the change needs a new version.
async fn may_change_in(
    tx: &mut WriteTx,
    year: i32,
    id: i64,
) -> Result<Result<bool, Refusal>, StorageError> {
    let published = in_force_in(tx, year, id).await?;
    if let Some((plan, version, PlanState::Submitted)) = open_version_in(tx, year).await? {
        let held: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT COUNT(*) FROM event_plan_events WHERE plan_id = $1 AND event_id = $2",
        )
        .bind(plan)
        .bind(id)
        .fetch_one(conn)
        .await?);
        if published || held > 0 {
            return Ok(Err(Refusal::WithPresident(version)));
        }
    }
    Ok(Ok(published))
}

/// After a change to a proposal of `year`: the draft version keeps the proposals as they are
/// now; a change to an event of the plan in force (`published`) opens a draft when none is open.
async fn settle_in(
    tx: &mut WriteTx,
    actor: &str,
    year: i32,
    published: bool,
) -> Result<(), StorageError> {
    match open_version_in(tx, year).await? {
        Some((plan, _, PlanState::Draft)) => snapshot_in(tx, plan, year).await,
        None if published => new_version_in(tx, actor, year).await.map(|_| ()),
        _ => Ok(()),
    }
}

/// What the audit log keeps of a change of state.
#[derive(Serialize)]
struct StateAudit<'a> {
    state: &'a str,
    reason: &'a str,
}

/// What `proposal` names that the directory does not hold, read in the write's transaction: an
/// unknown host city, a solution not published in the catalogue, an unknown training course.
async fn unknown_in(
    tx: &mut WriteTx,
    proposal: &NewProposal,
) -> Result<Option<Refusal>, StorageError> {
    let known: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "SELECT COUNT(*) FROM cities WHERE code = $1",
    )
    .bind(proposal.city.as_str())
    .fetch_one(conn)
    .await?);
    if known == 0 {
        return Ok(Some(Refusal::UnknownCity(proposal.city.to_string())));
    }
    for id in &proposal.solutions {
        let published: Option<bool> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT published FROM catalogue_solutions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(conn)
        .await?);
        if published != Some(true) {
            return Ok(Some(Refusal::UnknownLinkedSolution(*id)));
        }
    }
    for id in &proposal.courses {
        let known: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT COUNT(*) FROM training_programmes WHERE id = $1",
        )
        .bind(id)
        .fetch_one(conn)
        .await?);
        if known == 0 {
            return Ok(Some(Refusal::UnknownCourse(*id)));
        }
    }
    Ok(None)
}

/// The co-organisers, linked solutions and courses as the JSON lists their columns keep.
fn json_lists(proposal: &NewProposal) -> Result<(String, String, String), StorageError> {
    Ok((
        json_list(&proposal.co_organisers)?,
        json_list(&proposal.solutions)?,
        json_list(&proposal.courses)?,
    ))
}

fn json_list<T: serde::Serialize>(items: &[T]) -> Result<String, StorageError> {
    serde_json::to_string(items).map_err(|e| StorageError::Corrupt(e.to_string()))
}

/// Saves a draft proposal by `author` in `tx` (the rules of [`Events::propose`]), for a write of
/// another capability that makes proposals in its own transaction; the caller commits.
pub(crate) async fn propose_in(
    tx: &mut WriteTx,
    author: &Person,
    proposal: &NewProposal,
) -> Result<Result<i64, Refusal>, StorageError> {
    if let Err(refusal) = megapolis_events::may_propose(author, proposal) {
        return Ok(Err(refusal));
    }
    if let Some(refusal) = unknown_in(tx, proposal).await? {
        return Ok(Err(refusal));
    }
    let (co, solutions, courses) = json_lists(proposal)?;
    let now = now_utc();
    let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO event_proposals (year, kind, title_ru, title_en, description_ru, description_en, \
         date_precision, starts_on, ends_on, city_code, venue, organiser, co_organisers, expected_participants, \
         state, reason, proposer_id, sequence, cancelled, created_at, updated_at, solutions, courses) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, '', $16, 0, $17, $18, $18, $19, $20) RETURNING id",
    )
    .bind(i64::from(proposal.year))
    .bind(proposal.kind.as_str())
    .bind(&proposal.title_ru)
    .bind(&proposal.title_en)
    .bind(&proposal.description_ru)
    .bind(&proposal.description_en)
    .bind(proposal.precision.as_str())
    .bind(format_date(proposal.period.start))
    .bind(format_date(proposal.period.end))
    .bind(proposal.city.as_str())
    .bind(&proposal.venue)
    .bind(&proposal.organiser)
    .bind(&co)
    .bind(proposal.expected_participants)
    .bind(ProposalState::Draft.as_str())
    .bind(author.id)
    .bind(false)
    .bind(&now)
    .bind(&solutions)
    .bind(&courses)
    .fetch_one(conn)
    .await?);
    tx.audit(&audit_entry(
        &author.email.to_string(),
        "propose",
        "event_proposal",
        &id.to_string(),
        None,
        Some(proposal),
    ))
    .await?;
    Ok(Ok(id))
}

crate::facet!(
    /// The plan of main events: proposals and plan versions.
    Events,
    events
);

impl Events<'_> {
    /// Saves a draft proposal by `author`: `Ok(Err(refusal))` when the city is unknown or not the
    /// author's to propose for (nothing saved).
    pub async fn propose(
        &self,
        author: &Person,
        proposal: &NewProposal,
    ) -> Result<Result<i64, Refusal>, StorageError> {
        let mut tx = self.begin_write().await?;
        let id = propose_in(&mut tx, author, proposal).await?;
        if id.is_ok() {
            tx.commit().await?;
        }
        Ok(id)
    }

    /// Submits, withdraws, accepts or declines proposal `id` as `person` decides with `reason`:
    /// `Ok(Err(refusal))` changes nothing.
    pub async fn act(
        &self,
        person: &Person,
        id: i64,
        action: ProposalAction,
        reason: &str,
    ) -> Result<Result<ProposalState, Refusal>, StorageError> {
        let mut tx = self.begin_write().await?;
        let found = proposal_in(&mut tx, id).await?;
        let own = found.proposer_id == person.id;
        let next = match apply_proposal(found.state, action, person, own, reason) {
            Ok(next) => next,
            Err(refusal) => return Ok(Err(refusal)),
        };
        on_tx!(tx, conn => sqlx::query(
            "UPDATE event_proposals SET state = $1, reason = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(next.as_str())
        .bind(reason.trim())
        .bind(now_utc())
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            &person.email.to_string(),
            next.as_str(),
            "event_proposal",
            &id.to_string(),
            Some(&StateAudit {
                state: found.state.as_str(),
                reason: &found.reason,
            }),
            Some(&StateAudit {
                state: next.as_str(),
                reason: reason.trim(),
            }),
        ))
        .await?;
        settle_in(&mut tx, &person.email.to_string(), found.event.year, false).await?;
        tx.commit().await?;
        Ok(Ok(next))
    }

    /// Changes proposal `id`'s text and dates to `changed` (a move), its plan year kept, its
    /// SEQUENCE one higher. An event of the plan in force changes in a new draft version, for the
    /// President to approve; the published plan stays as approved until then. `Ok(Err(refusal))`
    /// changes nothing.
    pub async fn amend(
        &self,
        person: &Person,
        id: i64,
        changed: &NewProposal,
    ) -> Result<Result<(), Refusal>, StorageError> {
        let mut tx = self.begin_write().await?;
        let found = proposal_in(&mut tx, id).await?;
        if let Err(refusal) =
            megapolis_events::may_amend(found.state, person, found.proposer_id == person.id)
        {
            return Ok(Err(refusal));
        }
        if changed.year != found.event.year {
            return Ok(Err(Refusal::OtherYear(found.event.year)));
        }
        let published = match may_change_in(&mut tx, found.event.year, id).await? {
            Ok(published) => published,
            Err(refusal) => return Ok(Err(refusal)),
        };
        if let Some(refusal) = unknown_in(&mut tx, changed).await? {
            return Ok(Err(refusal));
        }
        let (co, solutions, courses) = json_lists(changed)?;
        on_tx!(tx, conn => sqlx::query(
            "UPDATE event_proposals SET kind = $1, title_ru = $2, title_en = $3, description_ru = $4, \
             description_en = $5, date_precision = $6, starts_on = $7, ends_on = $8, city_code = $9, venue = $10, \
             organiser = $11, co_organisers = $12, expected_participants = $13, sequence = sequence + 1, \
             updated_at = $14, solutions = $16, courses = $17 WHERE id = $15",
        )
        .bind(changed.kind.as_str())
        .bind(&changed.title_ru)
        .bind(&changed.title_en)
        .bind(&changed.description_ru)
        .bind(&changed.description_en)
        .bind(changed.precision.as_str())
        .bind(format_date(changed.period.start))
        .bind(format_date(changed.period.end))
        .bind(changed.city.as_str())
        .bind(&changed.venue)
        .bind(&changed.organiser)
        .bind(&co)
        .bind(changed.expected_participants)
        .bind(now_utc())
        .bind(id)
        .bind(&solutions)
        .bind(&courses)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            &person.email.to_string(),
            "amend",
            "event_proposal",
            &id.to_string(),
            Some(&found.event),
            Some(changed),
        ))
        .await?;
        settle_in(
            &mut tx,
            &person.email.to_string(),
            found.event.year,
            published,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Merges the duplicates `others` into proposal `kept` (the consolidators, with `reason`):
    /// the kept one absorbs their organisers and co-organisers (its SEQUENCE one higher), the
    /// others become merged into it with the reason, which their proposers see. Events of the
    /// plan in force change in a new draft version, as an amendment does. `Ok(Err(refusal))`
    /// changes nothing; `NotFound` names a proposal that does not exist.
    pub async fn merge(
        &self,
        person: &Person,
        kept: i64,
        others: &[i64],
        reason: &str,
    ) -> Result<Result<(), Refusal>, StorageError> {
        let mut tx = self.begin_write().await?;
        let found = proposal_in(&mut tx, kept).await?;
        let mut absorbed = Vec::new();
        for id in others {
            if !absorbed.iter().any(|p: &Proposal| p.id == *id) {
                absorbed.push(proposal_in(&mut tx, *id).await?);
            }
        }
        let merging = |p: &Proposal| Merging {
            id: p.id,
            year: p.event.year,
            state: p.state,
        };
        let all: Vec<Merging> = absorbed.iter().map(merging).collect();
        if let Err(refusal) = may_merge(person, merging(&found), &all, reason) {
            return Ok(Err(refusal));
        }
        let year = found.event.year;
        let mut published = false;
        for p in std::iter::once(&found).chain(&absorbed) {
            match may_change_in(&mut tx, year, p.id).await? {
                Ok(held) => published |= held,
                Err(refusal) => return Ok(Err(refusal)),
            }
        }
        let events: Vec<&NewProposal> = absorbed.iter().map(|p| &p.event).collect();
        let co_organisers = absorb(&found.event, &events);
        let (solutions, courses) = absorb_links(&found.event, &events);
        let now = now_utc();
        let actor = person.email.to_string();
        on_tx!(tx, conn => sqlx::query(
            "UPDATE event_proposals SET co_organisers = $1, sequence = sequence + 1, updated_at = $2, \
             solutions = $4, courses = $5 WHERE id = $3",
        )
        .bind(json_list(&co_organisers)?)
        .bind(&now)
        .bind(kept)
        .bind(json_list(&solutions)?)
        .bind(json_list(&courses)?)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        let ids: Vec<i64> = absorbed.iter().map(|p| p.id).collect();
        tx.audit(&audit_entry(
            &actor,
            "merge",
            "event_proposal",
            &kept.to_string(),
            Some(
                &serde_json::json!({ "co_organisers": found.event.co_organisers,
                "solutions": found.event.solutions, "courses": found.event.courses }),
            ),
            Some(
                &serde_json::json!({ "co_organisers": co_organisers, "solutions": solutions,
                "courses": courses, "merged": ids, "reason": reason.trim() }),
            ),
        ))
        .await?;
        for p in &absorbed {
            on_tx!(tx, conn => sqlx::query(
                "UPDATE event_proposals SET state = $1, merged_into = $2, reason = $3, updated_at = $4 WHERE id = $5",
            )
            .bind(ProposalState::Merged.as_str())
            .bind(kept)
            .bind(reason.trim())
            .bind(&now)
            .bind(p.id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
            tx.audit(&audit_entry(
                &actor,
                ProposalState::Merged.as_str(),
                "event_proposal",
                &p.id.to_string(),
                Some(&serde_json::json!({ "state": p.state.as_str(), "reason": p.reason })),
                Some(&serde_json::json!({ "state": "merged", "into": kept, "reason": reason.trim() })),
            ))
            .await?;
        }
        settle_in(&mut tx, &actor, year, published).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Attaches approved plan version `plan_id` to published decision `decision_id` as an
    /// appendix titled `title`, linking `link` (the version's page). A version is attached once:
    /// `Conflict` otherwise, as for a version not approved; `NotFound` for no such decision.
    pub async fn attach(
        &self,
        actor: &str,
        plan_id: i64,
        decision_id: i64,
        title: &str,
        link: &str,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let plan = on_tx!(tx, conn => sqlx::query("SELECT * FROM event_plans WHERE id = $1")
            .bind(plan_id)
            .fetch_optional(conn)
            .await?
            .as_ref()
            .map(plan_of)
            .transpose()?);
        let plan = plan.ok_or_else(|| StorageError::NotFound(format!("event plan {plan_id}")))?;
        if plan.state != PlanState::Approved {
            return Err(StorageError::Conflict(format!(
                "only an approved version is attached to a decision; version {} is {}",
                plan.version,
                plan.state.as_str()
            )));
        }
        if let Some(attached) = plan.decision_id {
            return Err(StorageError::Conflict(format!(
                "version {} is already attached to decision {attached}",
                plan.version
            )));
        }
        let published: Option<bool> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT published FROM decisions WHERE id = $1",
        )
        .bind(decision_id)
        .fetch_optional(conn)
        .await?);
        if published != Some(true) {
            return Err(StorageError::NotFound(format!(
                "published decision {decision_id}"
            )));
        }
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO decision_appendices (decision_id, title, link, file_id) VALUES ($1, $2, $3, NULL)",
        )
        .bind(decision_id)
        .bind(title)
        .bind(link)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        on_tx!(tx, conn => sqlx::query("UPDATE event_plans SET decision_id = $1 WHERE id = $2")
            .bind(decision_id)
            .bind(plan_id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            actor,
            "attach",
            "event_plan",
            &plan_id.to_string(),
            None,
            Some(&serde_json::json!({ "decision": decision_id, "title": title, "link": link })),
        ))
        .await?;
        tx.commit().await
    }

    /// The plan versions attached to decision `decision_id`.
    pub async fn attached_to(&self, decision_id: i64) -> Result<Vec<Plan>, StorageError> {
        let list = on_pool!(self, pool => sqlx::query("SELECT * FROM event_plans WHERE decision_id = $1 ORDER BY year, version")
            .bind(decision_id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(plan_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(list)
    }

    /// Cancels an event (staff): it stays in the plan and the feed, marked cancelled, its
    /// sequence one higher, once the President approves the version that cancels it (opened
    /// here when none is). Cancelling a cancelled event changes nothing; `Ok(Err(refusal))`
    /// neither.
    pub async fn cancel(
        &self,
        actor: &str,
        id: i64,
        reason: &str,
    ) -> Result<Result<(), Refusal>, StorageError> {
        let mut tx = self.begin_write().await?;
        let found = proposal_in(&mut tx, id).await?;
        if found.cancelled {
            return Ok(Ok(()));
        }
        let published = match may_change_in(&mut tx, found.event.year, id).await? {
            Ok(published) => published,
            Err(refusal) => return Ok(Err(refusal)),
        };
        on_tx!(tx, conn => sqlx::query(
            "UPDATE event_proposals SET cancelled = $1, reason = $2, sequence = sequence + 1, updated_at = $3 WHERE id = $4",
        )
        .bind(true)
        .bind(reason.trim())
        .bind(now_utc())
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            actor,
            "cancel",
            "event_proposal",
            &id.to_string(),
            None,
            Some(&StateAudit {
                state: "cancelled",
                reason: reason.trim(),
            }),
        ))
        .await?;
        settle_in(&mut tx, actor, found.event.year, published).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    pub async fn get(&self, id: i64) -> Result<Option<Proposal>, StorageError> {
        let sql = format!("{PROPOSAL} WHERE e.id = $1");
        let found = on_pool!(self, pool => sqlx::query(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await?
            .as_ref()
            .map(proposal_of)
            .transpose()?);
        Ok(found)
    }

    /// The proposals of `year` (every year when none), by id; only `proposer`'s when given.
    pub async fn proposals(
        &self,
        year: Option<i32>,
        proposer: Option<i64>,
    ) -> Result<Vec<Proposal>, StorageError> {
        let sql = format!(
            "{PROPOSAL} WHERE ($1 < 0 OR e.year = $1) AND ($2 < 0 OR e.proposer_id = $2) ORDER BY e.id"
        );
        let list = on_pool!(self, pool => sqlx::query(&sql)
            .bind(year.map_or(-1, i64::from))
            .bind(proposer.unwrap_or(-1))
            .fetch_all(pool)
            .await?
            .iter()
            .map(proposal_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(list)
    }

    /// Opens the next version of `year`'s plan from its accepted proposals (the Secretariat).
    /// A version still in draft or with the President must be decided first: `Conflict`.
    pub async fn create_plan(&self, actor: &str, year: i32) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        if open_version_in(&mut tx, year).await?.is_some() {
            return Err(StorageError::Conflict(format!(
                "the plan for {year} already has a version in draft or with the President"
            )));
        }
        let id = new_version_in(&mut tx, actor, year).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The events plan version `plan_id` keeps, as it keeps them, by start.
    pub async fn plan_events(&self, plan_id: i64) -> Result<Vec<Proposal>, StorageError> {
        let sql = format!("{PLANNED} WHERE s.plan_id = $1 ORDER BY s.starts_on, e.id");
        let list = on_pool!(self, pool => sqlx::query(&sql)
            .bind(plan_id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(proposal_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(list)
    }

    pub async fn plan(&self, id: i64) -> Result<Option<Plan>, StorageError> {
        let found = on_pool!(self, pool => sqlx::query("SELECT * FROM event_plans WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
            .as_ref()
            .map(plan_of)
            .transpose()?);
        Ok(found)
    }

    /// Every version of every plan, by year then version.
    pub async fn plans(&self) -> Result<Vec<Plan>, StorageError> {
        let list = on_pool!(self, pool => sqlx::query("SELECT * FROM event_plans ORDER BY year, version")
            .fetch_all(pool)
            .await?
            .iter()
            .map(plan_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(list)
    }

    /// Submits, approves or returns plan version `id`. Approval is refused while the version's
    /// proposals have a clash that blocks it; `Ok(Err(refusal))` changes nothing.
    pub async fn act_plan(
        &self,
        person: &Person,
        id: i64,
        action: PlanAction,
        remarks: &str,
    ) -> Result<Result<PlanState, Refusal>, StorageError> {
        let mut tx = self.begin_write().await?;
        let plan = on_tx!(tx, conn => sqlx::query("SELECT * FROM event_plans WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?
            .as_ref()
            .map(plan_of)
            .transpose()?);
        let plan = plan.ok_or_else(|| StorageError::NotFound(format!("event plan {id}")))?;
        let next = match apply_plan(plan.state, action, person, remarks) {
            Ok(next) => next,
            Err(refusal) => return Ok(Err(refusal)),
        };
        // The version keeps its events as submitted; the President decides on those.
        if next == PlanState::Submitted {
            snapshot_in(&mut tx, id, plan.year).await?;
        }
        if next == PlanState::Approved {
            let sql = format!("{PLANNED} WHERE s.plan_id = $1");
            let kept = on_tx!(tx, conn => sqlx::query(&sql)
                .bind(id)
                .fetch_all(conn)
                .await?
                .iter()
                .map(proposal_of)
                .collect::<Result<Vec<_>, StorageError>>()?);
            let candidates: Vec<_> = kept
                .iter()
                .filter(|p| !p.cancelled)
                .map(|p| p.event.candidate(p.id))
                .collect();
            let blocked = blocking(&clashes(&candidates));
            if !blocked.is_empty() {
                return Ok(Err(Refusal::Blocked(blocked)));
            }
        }
        let decided = matches!(next, PlanState::Approved | PlanState::Returned);
        let now = now_utc();
        let actor = person.email.to_string();
        on_tx!(tx, conn => sqlx::query(
            "UPDATE event_plans SET state = $1, remarks = $2, decided_by = $3, decided_at = $4 WHERE id = $5",
        )
        .bind(next.as_str())
        .bind(if next == PlanState::Returned { remarks.trim() } else { plan.remarks.as_str() })
        .bind(decided.then_some(actor.as_str()))
        .bind(decided.then_some(now.as_str()))
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            &actor,
            next.as_str(),
            "event_plan",
            &id.to_string(),
            Some(&StateAudit {
                state: plan.state.as_str(),
                reason: &plan.remarks,
            }),
            Some(&StateAudit {
                state: next.as_str(),
                reason: remarks.trim(),
            }),
        ))
        .await?;
        tx.commit().await?;
        Ok(Ok(next))
    }

    /// What the published plan and its feeds are made of, summed up: the approved versions keep
    /// their events unchanged, so a page or feed written at this stamp is current until another
    /// version is approved or a version is attached to a decision.
    pub async fn stamp(&self) -> Result<EventsStamp, StorageError> {
        let (approved, decided, attached): (i64, Option<String>, i64) = on_pool!(self, pool => sqlx::query_as(
            "SELECT COUNT(*), MAX(decided_at), COUNT(decision_id) FROM event_plans WHERE state = 'approved'",
        )
        .fetch_one(pool)
        .await?);
        Ok(EventsStamp {
            approved,
            decided,
            attached,
        })
    }

    /// The plan in force of each year (its latest approved version), by year.
    pub async fn in_force(&self) -> Result<Vec<Plan>, StorageError> {
        let sql = format!("SELECT * FROM event_plans WHERE id IN ({IN_FORCE}) ORDER BY year");
        let list = on_pool!(self, pool => sqlx::query(&sql)
            .bind(-1_i64)
            .fetch_all(pool)
            .await?
            .iter()
            .map(plan_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(list)
    }

    /// How many events the plans in force hold, cancelled ones included.
    pub async fn published_count(&self) -> Result<i64, StorageError> {
        let sql = format!("SELECT COUNT(*) FROM event_plan_events WHERE plan_id IN ({IN_FORCE})");
        let count = on_pool!(self, pool => sqlx::query_scalar(&sql)
            .bind(-1_i64)
            .fetch_one(pool)
            .await?);
        Ok(count)
    }

    /// Event `id` as the plan in force of its year has it (the approved version's fields, not
    /// an amendment still to approve), or none when no plan in force holds it.
    pub async fn published_event(&self, id: i64) -> Result<Option<Proposal>, StorageError> {
        let sql = format!("{PLANNED} WHERE s.event_id = $2 AND s.plan_id IN ({IN_FORCE})");
        let found = on_pool!(self, pool => sqlx::query(&sql)
            .bind(-1_i64)
            .bind(id)
            .fetch_optional(pool)
            .await?
            .as_ref()
            .map(proposal_of)
            .transpose()?);
        Ok(found)
    }

    /// The events of the plans in force (of `year`, or of every year), cancelled ones
    /// included, as approved, by start; only those `filter` admits.
    pub async fn published(
        &self,
        filter: &EventFilter,
        year: Option<i32>,
    ) -> Result<Vec<Proposal>, StorageError> {
        // Kind and city narrow in SQL; an organiser is looked for in the co-organisers' JSON
        // text, then checked exactly by `admits`.
        let sql = format!(
            "{PLANNED} WHERE s.plan_id IN ({IN_FORCE}) AND ($2 = '' OR s.kind = $2) \
             AND ($3 = '' OR s.city_code = $3) \
             AND ($4 = '' OR s.organiser = $4 OR s.co_organisers LIKE $5 ESCAPE '\\') \
             ORDER BY s.starts_on, e.id"
        );
        let organiser = filter.organiser.clone().unwrap_or_default();
        let quoted =
            serde_json::to_string(&organiser).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        let pattern = format!(
            "%{}%",
            quoted
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let list = on_pool!(self, pool => sqlx::query(&sql)
            .bind(year.map_or(-1, i64::from))
            .bind(filter.kind.map_or("", EventKind::as_str))
            .bind(filter.city.as_deref().unwrap_or_default())
            .bind(&organiser)
            .bind(&pattern)
            .fetch_all(pool)
            .await?
            .iter()
            .map(proposal_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(list.into_iter().filter(|p| filter.admits(p)).collect())
    }
}

/// Whether `person` may see every proposal rather than their own.
pub fn sees_all(person: &Person) -> bool {
    megapolis_events::may_consolidate(person)
        || megapolis_events::is_president(person)
        || person.role == Role::Admin
}

#[cfg(test)]
mod tests {
    use crate::db::on_pool;
    use crate::Store;

    /// A database at schema 23 with an approved version listing its events keeps that plan
    /// through migration 26: the version keeps the event as it was.
    #[tokio::test]
    async fn migration_26_keeps_an_existing_approved_plan() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}", dir.path().join("old.db").display());
        let store = Store::connect(&url).await.expect("connect");
        store.migrate_up_to(23).await.expect("schema 23");
        for sql in [
            "INSERT INTO cities (code, name_ru, name_en, country_code, country_ru, country_en, status) \
             VALUES ('minsk', 'Минск', 'Minsk', 'BY', 'Беларусь', 'Belarus', 'member')",
            "INSERT INTO people (id, email, name, role, active) VALUES (1, 'a@example.org', 'A', 'secretariat', 1)",
            "INSERT INTO event_proposals (id, year, kind, title_ru, title_en, description_ru, description_en, \
             date_precision, starts_on, ends_on, city_code, venue, organiser, co_organisers, state, reason, \
             proposer_id, sequence, cancelled, created_at, updated_at) VALUES (7, 2030, 'forum', 'Форум', '', '', '', \
             'exact', '2030-05-10', '2030-05-12', 'minsk', '', 'minsk', '[]', 'accepted', '', 1, 2, 0, 'x', 'x')",
            "INSERT INTO event_plans (id, year, version, state, proposals, remarks, created_by, created_at, decided_at) \
             VALUES (3, 2030, 1, 'approved', '[7]', '', 'a', 'x', 'x')",
        ] {
            on_pool!(store, pool => sqlx::query(sql).execute(pool).await.map(|r| r.rows_affected()))
                .expect(sql);
        }
        store.migrate().await.expect("schema 26");
        let events = store.events();
        let kept = events.plan_events(3).await.expect("read");
        assert_eq!(
            kept.iter()
                .map(|e| (e.id, e.event.title_ru.as_str(), e.sequence))
                .collect::<Vec<_>>(),
            vec![(7, "Форум", 2)]
        );
        let published = events.published_event(7).await.expect("read");
        assert_eq!(
            published.map(|e| e.event.period.start.to_string()),
            Some("2030-05-10".into())
        );
    }
}

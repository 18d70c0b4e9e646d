//! Reading the audit log: the filtered page administrators browse, and the whole chain check.
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, NamedRow};
use crate::StorageError;
use megapolis_domain::audit::{verify_chain, ChainBreak, Checkpoint};
use megapolis_domain::{AuditEntry, AuditRecord};
use serde::Serialize;

/// What a backup holds of the audit chain, parents before children.
pub(crate) const TABLES: &[Table] = &[Table {
    name: "audit_log",
    identity: false,
    columns: &[
        ("id", Kind::Int),
        ("at", Kind::Text),
        ("actor", Kind::Text),
        ("action", Kind::Text),
        ("entity", Kind::Text),
        ("entity_id", Kind::Text),
        ("before_json", Kind::Text),
        ("after_json", Kind::Text),
        ("prev_hash", Kind::Text),
        ("hash", Kind::Text),
    ],
}];

/// Which records to show; empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: String,
    pub entity_id: String,
    pub actor: String,
    pub limit: i64,
    /// Only records older than this one (the next page).
    pub before_id: Option<i64>,
}

const AUDIT_COLUMNS: &str =
    "id, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash";

fn record_from_row(row: &impl NamedRow) -> Result<AuditRecord, StorageError> {
    let id = row.int("id")?;
    let (at, actor, action) = (row.text("at")?, row.text("actor")?, row.text("action")?);
    let (entity, entity_id) = (row.text("entity")?, row.text("entity_id")?);
    let (before, after) = (
        row.text_or_none("before_json")?,
        row.text_or_none("after_json")?,
    );
    let (prev_hash, hash) = (row.text("prev_hash")?, row.text("hash")?);
    let json = |text: Option<String>| {
        text.map(|t| {
            serde_json::from_str(&t)
                .map_err(|e| StorageError::Corrupt(format!("audit record {id}: {e}")))
        })
        .transpose()
    };
    Ok(AuditRecord {
        id,
        entry: AuditEntry {
            at,
            actor,
            action,
            entity,
            entity_id,
            before: json(before)?,
            after: json(after)?,
        },
        prev_hash,
        hash,
    })
}

/// The outcome of `audit verify`.
#[derive(Debug)]
pub enum ChainReport {
    Intact { records: u64 },
    Broken(ChainBreak),
}

/// An entry for a create-or-update: the action follows from whether there was a value before.
pub(crate) fn upsert_entry<T: Serialize>(
    actor: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&T>,
    after: &T,
) -> AuditEntry {
    let action = if before.is_some() { "update" } else { "create" };
    audit_entry(actor, action, entity, entity_id, before, Some(after))
}

/// An entry for an event that records no value (a password set, an invitation sent).
pub(crate) fn event_entry(actor: &str, action: &str, entity: &str, entity_id: &str) -> AuditEntry {
    audit_entry::<()>(actor, action, entity, entity_id, None, None)
}

pub(crate) fn audit_entry<T: Serialize>(
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&T>,
    after: Option<&T>,
) -> AuditEntry {
    AuditEntry {
        at: now_utc(),
        actor: actor.to_string(),
        action: action.to_string(),
        entity: entity.to_string(),
        entity_id: entity_id.to_string(),
        before: before.and_then(|v| serde_json::to_value(v).ok()),
        after: after.and_then(|v| serde_json::to_value(v).ok()),
    }
}

crate::facet!(
    /// The append-only, hash-chained audit log.
    Audit,
    audit
);

impl Audit<'_> {
    /// The newest records first, filtered.
    pub async fn records(&self, filter: &AuditFilter) -> Result<Vec<AuditRecord>, StorageError> {
        let limit = if filter.limit > 0 { filter.limit } else { 200 };
        let records = on_pool!(self, pool => {
            sqlx::query(&format!(
                "SELECT {AUDIT_COLUMNS} FROM audit_log \
                 WHERE ($1 = '' OR entity = $1) AND ($2 = '' OR entity_id = $2) AND ($3 = '' OR actor = $3) \
                 AND id < $5 ORDER BY id DESC LIMIT $4"
            ))
            .bind(&filter.entity)
            .bind(&filter.entity_id)
            .bind(&filter.actor)
            .bind(limit)
            .bind(filter.before_id.unwrap_or(i64::MAX))
            .fetch_all(pool)
            .await?
            .iter()
            .map(record_from_row)
            .collect::<Result<Vec<_>, _>>()?
        });
        Ok(records)
    }

    /// The head of the chain now, to keep elsewhere.
    pub async fn checkpoint(&self) -> Result<Checkpoint, StorageError> {
        let head: Option<(i64, String)> = on_pool!(self, pool => {
            sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
                .fetch_optional(pool)
                .await?
        });
        Ok(match head {
            Some((id, hash)) => Checkpoint {
                records: u64::try_from(id).unwrap_or(0),
                hash,
            },
            None => Checkpoint {
                records: 0,
                hash: megapolis_domain::audit::GENESIS.to_string(),
            },
        })
    }

    /// Checks the chain and, when given, that it still holds everything up to `checkpoint`.
    pub async fn verify_chain_since(
        &self,
        checkpoint: &Checkpoint,
    ) -> Result<ChainReport, StorageError> {
        let (report, records) = self.read_and_verify().await?;
        Ok(match (report, checkpoint.check(&records)) {
            (ChainReport::Intact { .. }, Err(broken)) => ChainReport::Broken(broken),
            (report, _) => report,
        })
    }

    /// Checks the whole chain from the first record; reports the first one altered or removed.
    pub async fn verify_chain(&self) -> Result<ChainReport, StorageError> {
        Ok(self.read_and_verify().await?.0)
    }

    async fn read_and_verify(&self) -> Result<(ChainReport, Vec<AuditRecord>), StorageError> {
        // Each row decoded on its own: a record whose JSON no longer parses is reported, not lost.
        let decoded: Vec<Result<AuditRecord, StorageError>> = on_pool!(self, pool => {
            sqlx::query(&format!("SELECT {AUDIT_COLUMNS} FROM audit_log ORDER BY id"))
                .fetch_all(pool)
                .await?
                .iter()
                .map(record_from_row)
                .collect()
        });
        let mut records = Vec::with_capacity(decoded.len());
        for record in decoded {
            match record {
                Ok(record) => records.push(record),
                // A record whose JSON no longer parses was altered by hand.
                Err(StorageError::Corrupt(_)) => {
                    let id = records.last().map_or(1, |r: &AuditRecord| r.id + 1);
                    return Ok((ChainReport::Broken(ChainBreak::Altered { id }), records));
                }
                Err(e) => return Err(e),
            }
        }
        let report = match verify_chain(&records) {
            Ok(count) => ChainReport::Intact { records: count },
            Err(broken) => ChainReport::Broken(broken),
        };
        Ok((report, records))
    }
}

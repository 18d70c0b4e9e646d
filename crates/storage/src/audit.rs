//! Reading the audit log: the filtered page administrators browse, and the whole chain check.
use crate::db::{on_pool, Store};
use crate::StorageError;
use megapolis_domain::audit::{verify_chain, ChainBreak};
use megapolis_domain::{AuditEntry, AuditRecord};

/// Which records to show; empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: String,
    pub entity_id: String,
    pub actor: String,
    pub limit: i64,
}

type AuditRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
);

const AUDIT_COLUMNS: &str =
    "id, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash";

fn record_from_row(row: AuditRow) -> Result<AuditRecord, StorageError> {
    let (id, at, actor, action, entity, entity_id, before, after, prev_hash, hash) = row;
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

impl Store {
    /// The newest records first, filtered.
    pub async fn audit_records(
        &self,
        filter: &AuditFilter,
    ) -> Result<Vec<AuditRecord>, StorageError> {
        let limit = if filter.limit > 0 { filter.limit } else { 200 };
        let rows: Vec<AuditRow> = on_pool!(self, pool => {
            sqlx::query_as(&format!(
                "SELECT {AUDIT_COLUMNS} FROM audit_log \
                 WHERE ($1 = '' OR entity = $1) AND ($2 = '' OR entity_id = $2) AND ($3 = '' OR actor = $3) \
                 ORDER BY id DESC LIMIT $4"
            ))
            .bind(&filter.entity)
            .bind(&filter.entity_id)
            .bind(&filter.actor)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(record_from_row).collect()
    }

    /// Checks the whole chain from the first record; reports the first one altered or removed.
    pub async fn verify_audit_chain(&self) -> Result<ChainReport, StorageError> {
        let rows: Vec<AuditRow> = on_pool!(self, pool => {
            sqlx::query_as(&format!("SELECT {AUDIT_COLUMNS} FROM audit_log ORDER BY id"))
                .fetch_all(pool)
                .await?
        });
        let mut records = Vec::with_capacity(rows.len());
        for row in rows {
            match record_from_row(row) {
                Ok(record) => records.push(record),
                // A record whose JSON no longer parses was altered by hand.
                Err(StorageError::Corrupt(_)) => {
                    let id = records.last().map_or(1, |r: &AuditRecord| r.id + 1);
                    return Ok(ChainReport::Broken(ChainBreak::Altered { id }));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(match verify_chain(&records) {
            Ok(count) => ChainReport::Intact { records: count },
            Err(broken) => ChainReport::Broken(broken),
        })
    }
}

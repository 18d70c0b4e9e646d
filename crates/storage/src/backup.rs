//! `megapolis backup` and `restore`: one portable JSON file for either backend.
//!
//! The copy is read in one transaction, so it is consistent while the server runs. A restore
//! checks the whole file first (format, schema version, checksum, shape of every row, the audit
//! chain) and then replaces everything in one transaction: a corrupt or foreign file changes
//! nothing.
use crate::db::{on_pool, on_tx, Store, SCHEMA_VERSION};
use crate::StorageError;
use megapolis_domain::audit::verify_chain;
use megapolis_domain::{AuditEntry, AuditRecord};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::collections::BTreeMap;
use std::path::Path;

const FORMAT: &str = "megapolis-backup";

#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Text,
    Int,
    Real,
    Bool,
    /// File contents, hex-encoded in the backup.
    Bytes,
}

/// A table a backup holds: its columns, and whether PostgreSQL generates its `id`. Each
/// capability lists its tables beside its SQL, in its own module.
pub(crate) struct Table {
    pub(crate) name: &'static str,
    pub(crate) identity: bool,
    pub(crate) columns: &'static [(&'static str, Kind)],
}

/// Every table a backup holds, parents before children: one line per capability. Sessions,
/// login failures and jobs are transient and left out: a restore signs everyone out.
fn backed_up_tables() -> impl Iterator<Item = &'static Table> {
    [
        crate::org::TABLES,
        crate::accounts::TABLES,
        crate::files::TABLES,
        crate::decisions::TABLES,
        crate::assignments::TABLES,
        crate::reminders::TABLES,
        crate::notices::TABLES,
        crate::monitoring::TABLES,
        crate::catalogue::TABLES,
        crate::catalogue::competition::TABLES,
        crate::monitoring::campaigns::TABLES,
        crate::consultations::TABLES,
        crate::consultations::GENERALISED_TABLES,
        crate::consultations::PRIORITY_TABLES,
        crate::events::TABLES,
        crate::catalogue::promotion::TABLES,
        crate::training::TABLES,
        crate::audit::TABLES,
    ]
    .into_iter()
    .flatten()
}

/// The tables the schema must have beyond those a backup holds. Jobs are work in flight: a
/// restored database starts with none, and its scheduler asks for what is due again.
pub const TRANSIENT_TABLES: &[&str] = &[
    "sessions",
    "login_failures",
    "jobs",
    "maintenance",
    "schema_migrations",
];

/// Table name → its columns, for the schema-parity test.
pub fn backed_up_columns() -> Vec<(&'static str, Vec<&'static str>)> {
    backed_up_tables()
        .map(|t| (t.name, t.columns.iter().map(|(c, _)| *c).collect()))
        .collect()
}

#[derive(Serialize, Deserialize)]
struct BackupFile {
    format: String,
    schema_version: i64,
    created_at: String,
    source_backend: String,
    checksum: String,
    tables: BTreeMap<String, Vec<Vec<Value>>>,
}

fn checksum(tables: &BTreeMap<String, Vec<Vec<Value>>>) -> String {
    let text = serde_json::to_string(tables).unwrap_or_default();
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// What a backup or restore moved, for the command's report.
#[derive(Debug)]
pub struct BackupSummary {
    pub rows: usize,
    pub audit_records: usize,
}

macro_rules! read_value {
    ($row:expr, $index:expr, $kind:expr) => {
        match $kind {
            Kind::Text => $row.try_get::<Option<String>, _>($index)?.map(Value::from),
            Kind::Int => $row.try_get::<Option<i64>, _>($index)?.map(Value::from),
            Kind::Real => $row.try_get::<Option<f64>, _>($index)?.map(Value::from),
            Kind::Bool => $row.try_get::<Option<bool>, _>($index)?.map(Value::from),
            Kind::Bytes => $row
                .try_get::<Option<Vec<u8>>, _>($index)?
                .map(|bytes| Value::from(hex::encode(bytes))),
        }
        .unwrap_or(Value::Null)
    };
}

impl Store {
    pub async fn backup(&self, file: &Path) -> Result<BackupSummary, StorageError> {
        let mut tables = BTreeMap::new();
        let postgres = self.backend() == "postgres";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            if postgres {
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .execute(&mut *tx)
                    .await?;
            }
            for Table { name: table, columns, .. } in backed_up_tables() {
                let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
                let sql = format!("SELECT {} FROM {table} ORDER BY {}", names.join(", "), names[0]);
                let rows = sqlx::query(&sql).fetch_all(&mut *tx).await?;
                let mut values = Vec::with_capacity(rows.len());
                for row in rows {
                    let mut record = Vec::with_capacity(columns.len());
                    for (index, (_, kind)) in columns.iter().enumerate() {
                        record.push(read_value!(row, index, kind));
                    }
                    values.push(record);
                }
                tables.insert(table.to_string(), values);
            }
            tx.commit().await?;
        });
        let summary = BackupSummary {
            rows: tables.values().map(Vec::len).sum(),
            audit_records: tables.get("audit_log").map_or(0, Vec::len),
        };
        let backup = BackupFile {
            format: FORMAT.into(),
            schema_version: SCHEMA_VERSION,
            created_at: crate::now_utc(),
            source_backend: self.backend().into(),
            checksum: checksum(&tables),
            tables,
        };
        let text = serde_json::to_vec(&backup).map_err(|e| StorageError::Corrupt(e.to_string()))?;
        // Written beside the target and renamed, so a crash never leaves half a backup.
        let partial = file.with_extension("partial");
        tokio::fs::write(&partial, text).await?;
        tokio::fs::rename(&partial, file).await?;
        Ok(summary)
    }

    pub async fn restore(&self, file: &Path) -> Result<BackupSummary, StorageError> {
        let name = file.display().to_string();
        let bad = |reason: String| StorageError::BadBackup {
            file: name.clone(),
            reason,
        };
        let bytes = tokio::fs::read(file).await?;
        let backup: BackupFile = serde_json::from_slice(&bytes)
            .map_err(|e| bad(format!("not a Megapolis backup ({e})")))?;
        if backup.format != FORMAT {
            return Err(bad(format!(
                "format is {:?}, not {FORMAT:?}",
                backup.format
            )));
        }
        if backup.schema_version != SCHEMA_VERSION {
            return Err(bad(format!(
                "made with schema version {}, this program has {SCHEMA_VERSION}",
                backup.schema_version
            )));
        }
        if checksum(&backup.tables) != backup.checksum {
            return Err(bad(
                "the checksum does not match: the file is damaged".into()
            ));
        }
        for Table {
            name: table,
            columns,
            ..
        } in backed_up_tables()
        {
            let rows = backup
                .tables
                .get(*table)
                .ok_or_else(|| bad(format!("table {table} is missing")))?;
            for (index, row) in rows.iter().enumerate() {
                if row.len() != columns.len() {
                    return Err(bad(format!(
                        "table {table}, row {}: {} values for {} columns",
                        index + 1,
                        row.len(),
                        columns.len()
                    )));
                }
            }
        }
        let audit = audit_records(&backup.tables["audit_log"]).map_err(bad)?;
        verify_chain(&audit).map_err(|e| bad(format!("its audit log is broken: {e}")))?;

        let mut tx = self.begin_write().await?;
        on_tx!(tx, conn => sqlx::query("UPDATE maintenance SET restoring = 1 WHERE id = 1").execute(conn).await.map(|r| r.rows_affected()))?;
        let backed_up: Vec<&str> = backed_up_tables().map(|t| t.name).collect();
        for table in backed_up
            .into_iter()
            .rev()
            .chain(["sessions", "login_failures", "jobs"])
        {
            on_tx!(tx, conn => sqlx::query(&format!("DELETE FROM {table}")).execute(conn).await.map(|r| r.rows_affected()))?;
        }
        for Table {
            name: table,
            columns,
            ..
        } in backed_up_tables()
        {
            let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
            let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                names.join(", "),
                placeholders.join(", ")
            );
            for (index, row) in backup.tables[*table].iter().enumerate() {
                let wrong = |column: &str| {
                    bad(format!(
                        "table {table}, row {}, column {column}: wrong type",
                        index + 1
                    ))
                };
                on_tx!(tx, conn => {
                    let mut query = sqlx::query(&sql);
                    for ((column, kind), value) in columns.iter().zip(row) {
                        query = match (kind, value) {
                            (Kind::Text, Value::Null) => query.bind(None::<String>),
                            (Kind::Int, Value::Null) => query.bind(None::<i64>),
                            (Kind::Real, Value::Null) => query.bind(None::<f64>),
                            (Kind::Bool, Value::Null) => query.bind(None::<bool>),
                            (Kind::Bytes, Value::Null) => query.bind(None::<Vec<u8>>),
                            (Kind::Bytes, Value::String(s)) => query.bind(hex::decode(s).map_err(|_| wrong(column))?),
                            (Kind::Text, Value::String(s)) => query.bind(s.clone()),
                            (Kind::Int, Value::Number(n)) => query.bind(n.as_i64().ok_or_else(|| wrong(column))?),
                            (Kind::Real, Value::Number(n)) => query.bind(n.as_f64().ok_or_else(|| wrong(column))?),
                            (Kind::Bool, Value::Bool(b)) => query.bind(*b),
                            _ => return Err(wrong(column)),
                        };
                    }
                    query.execute(conn).await.map(|r| r.rows_affected())?
                });
            }
        }
        if self.backend() == "postgres" {
            // Rows came with their ids; move each identity past them for the next insert.
            for table in backed_up_tables().filter(|t| t.identity).map(|t| t.name) {
                let sql = format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)");
                on_tx!(tx, conn => sqlx::query(&sql).execute(conn).await.map(|r| r.rows_affected()))?;
            }
        }
        on_tx!(tx, conn => sqlx::query("UPDATE maintenance SET restoring = 0 WHERE id = 1").execute(conn).await.map(|r| r.rows_affected()))?;
        tx.commit().await?;
        Ok(BackupSummary {
            rows: backup.tables.values().map(Vec::len).sum(),
            audit_records: audit.len(),
        })
    }
}

fn audit_records(rows: &[Vec<Value>]) -> Result<Vec<AuditRecord>, String> {
    let text = |v: &Value| {
        v.as_str()
            .map(str::to_string)
            .ok_or("a text value is missing")
    };
    let json = |v: &Value| -> Result<Option<Value>, String> {
        match v {
            Value::Null => Ok(None),
            Value::String(s) => serde_json::from_str(s).map(Some).map_err(|e| e.to_string()),
            _ => Err("a JSON value is not text".into()),
        }
    };
    rows.iter()
        .map(|row| {
            Ok(AuditRecord {
                id: row[0].as_i64().ok_or("an audit id is not a number")?,
                entry: AuditEntry {
                    at: text(&row[1])?,
                    actor: text(&row[2])?,
                    action: text(&row[3])?,
                    entity: text(&row[4])?,
                    entity_id: text(&row[5])?,
                    before: json(&row[6])?,
                    after: json(&row[7])?,
                },
                prev_hash: text(&row[8])?,
                hash: text(&row[9])?,
            })
        })
        .collect()
}

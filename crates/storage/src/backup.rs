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
enum Kind {
    Text,
    Int,
    Real,
    Bool,
    /// File contents, hex-encoded in the backup.
    Bytes,
}

/// Every table a backup holds, parents before children. Sessions and login failures are
/// transient and left out: a restore signs everyone out.
const TABLES: &[(&str, &[(&str, Kind)])] = &[
    (
        "association",
        &[
            ("id", Kind::Int),
            ("name_ru", Kind::Text),
            ("name_en", Kind::Text),
            ("short_ru", Kind::Text),
            ("short_en", Kind::Text),
        ],
    ),
    (
        "cities",
        &[
            ("code", Kind::Text),
            ("name_ru", Kind::Text),
            ("name_en", Kind::Text),
            ("country_code", Kind::Text),
            ("country_ru", Kind::Text),
            ("country_en", Kind::Text),
            ("population", Kind::Int),
            ("status", Kind::Text),
            ("member_since", Kind::Text),
            ("latitude", Kind::Real),
            ("longitude", Kind::Real),
        ],
    ),
    (
        "bodies",
        &[
            ("id", Kind::Text),
            ("kind", Kind::Text),
            ("name_ru", Kind::Text),
            ("name_en", Kind::Text),
            ("short_ru", Kind::Text),
            ("short_en", Kind::Text),
        ],
    ),
    (
        "people",
        &[
            ("id", Kind::Int),
            ("email", Kind::Text),
            ("name", Kind::Text),
            ("role", Kind::Text),
            ("city", Kind::Text),
            ("password_hash", Kind::Text),
            ("active", Kind::Bool),
            ("language", Kind::Text),
        ],
    ),
    (
        "memberships",
        &[
            ("person_id", Kind::Int),
            ("body_id", Kind::Text),
            ("position", Kind::Text),
        ],
    ),
    (
        "invitations",
        &[
            ("token_hash", Kind::Text),
            ("person_id", Kind::Int),
            ("expires_at", Kind::Text),
            ("used_at", Kind::Text),
        ],
    ),
    (
        "api_tokens",
        &[
            ("token_hash", Kind::Text),
            ("person_id", Kind::Int),
            ("name", Kind::Text),
            ("created_at", Kind::Text),
        ],
    ),
    (
        "assembly_sessions",
        &[
            ("id", Kind::Int),
            ("number", Kind::Int),
            ("held_on", Kind::Text),
            ("place", Kind::Text),
        ],
    ),
    (
        "files",
        &[
            ("id", Kind::Int),
            ("name", Kind::Text),
            ("content_type", Kind::Text),
            ("size", Kind::Int),
            ("sha256", Kind::Text),
            ("content", Kind::Bytes),
            ("uploaded_at", Kind::Text),
            ("uploaded_by", Kind::Text),
        ],
    ),
    (
        "decisions",
        &[
            ("id", Kind::Int),
            ("session_id", Kind::Int),
            ("title", Kind::Text),
            ("language", Kind::Text),
            ("source_text", Kind::Text),
            ("controller_body_id", Kind::Text),
            ("controller_name", Kind::Text),
            ("published", Kind::Bool),
            ("created_at", Kind::Text),
            ("created_by", Kind::Text),
        ],
    ),
    (
        "decision_items",
        &[
            ("decision_id", Kind::Int),
            ("position", Kind::Int),
            ("number", Kind::Text),
            ("depth", Kind::Int),
            ("heading", Kind::Text),
            ("text", Kind::Text),
        ],
    ),
    (
        "decision_appendices",
        &[
            ("id", Kind::Int),
            ("decision_id", Kind::Int),
            ("title", Kind::Text),
            ("link", Kind::Text),
            ("file_id", Kind::Int),
        ],
    ),
    (
        "assignments",
        &[
            ("id", Kind::Int),
            ("decision_id", Kind::Int),
            ("item", Kind::Text),
            ("position", Kind::Int),
            ("kind", Kind::Text),
            ("task", Kind::Text),
            ("lead_body_id", Kind::Text),
            ("lead_name", Kind::Text),
            ("controller_body_id", Kind::Text),
            ("deadline", Kind::Text),
            ("deadline_text", Kind::Text),
            ("recurrence", Kind::Text),
            ("state", Kind::Text),
            ("progress", Kind::Int),
            ("extension_until", Kind::Text),
            ("extension_reason", Kind::Text),
            ("previous_id", Kind::Int),
            ("flags", Kind::Text),
            ("updated_at", Kind::Text),
        ],
    ),
    (
        "assignment_co_executors",
        &[
            ("assignment_id", Kind::Int),
            ("position", Kind::Int),
            ("body_id", Kind::Text),
            ("name", Kind::Text),
        ],
    ),
    (
        "assignment_events",
        &[
            ("id", Kind::Int),
            ("assignment_id", Kind::Int),
            ("at", Kind::Text),
            ("person_id", Kind::Int),
            ("actor", Kind::Text),
            ("kind", Kind::Text),
            ("text", Kind::Text),
            ("state_after", Kind::Text),
            ("deadline_after", Kind::Text),
            ("progress_after", Kind::Int),
        ],
    ),
    (
        "event_files",
        &[("event_id", Kind::Int), ("file_id", Kind::Int)],
    ),
    (
        "notices",
        &[
            ("id", Kind::Int),
            ("person_id", Kind::Int),
            ("at", Kind::Text),
            ("subject_kind", Kind::Text),
            ("subject_id", Kind::Text),
            ("kind", Kind::Text),
            ("title", Kind::Text),
            ("text", Kind::Text),
            ("link", Kind::Text),
            ("read_at", Kind::Text),
        ],
    ),
    (
        "notice_outbox",
        &[
            ("id", Kind::Int),
            ("notice_id", Kind::Int),
            ("to_address", Kind::Text),
            ("created_at", Kind::Text),
            ("attempts", Kind::Int),
            ("next_attempt_at", Kind::Text),
            ("last_error", Kind::Text),
            ("sent_at", Kind::Text),
        ],
    ),
    (
        "reminders_sent",
        &[
            ("assignment_id", Kind::Int),
            ("kind", Kind::Text),
            ("deadline", Kind::Text),
            ("sent_at", Kind::Text),
        ],
    ),
    (
        "audit_log",
        &[
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
    ),
];

/// Backed-up tables whose `id` PostgreSQL generates.
const IDENTITY_TABLES: &[&str] = &[
    "people",
    "assembly_sessions",
    "files",
    "decisions",
    "decision_appendices",
    "assignments",
    "assignment_events",
    "notices",
    "notice_outbox",
];

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
    TABLES
        .iter()
        .map(|(table, columns)| (*table, columns.iter().map(|(c, _)| *c).collect()))
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
            for (table, columns) in TABLES {
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
        for (table, columns) in TABLES {
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
        for table in
            TABLES
                .iter()
                .rev()
                .map(|(t, _)| *t)
                .chain(["sessions", "login_failures", "jobs"])
        {
            on_tx!(tx, conn => sqlx::query(&format!("DELETE FROM {table}")).execute(conn).await.map(|r| r.rows_affected()))?;
        }
        for (table, columns) in TABLES {
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
            for table in IDENTITY_TABLES {
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

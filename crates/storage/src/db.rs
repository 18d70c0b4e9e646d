//! The two backends behind one type, migrations, and the write transaction that every change
//! goes through (with its audit record).
use crate::StorageError;
use megapolis_domain::audit::GENESIS;
use megapolis_domain::AuditEntry;
use sqlx::postgres::{PgPoolOptions, Postgres};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Runs `$body` with `$pool` bound to whichever pool the store has. The body is compiled once per
/// backend, here at the leaf, so nothing above storage is generic over the database.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to the connection of a write transaction.
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match &mut $tx.inner {
            $crate::db::TxInner::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::db::TxInner::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}
/// Where a read runs: on the pool, or inside the write transaction whose decision depends on it
/// (so the read sees the same snapshot, under the same lock, and takes no second connection).
pub(crate) enum Reader<'a> {
    Store(&'a Store),
    Tx(&'a mut WriteTx),
}

/// Runs `$body` with `$conn` bound to the pool or the transaction a [`Reader`] names.
macro_rules! on_reader {
    ($reader:expr, $conn:ident => $body:expr) => {
        match $reader {
            $crate::db::Reader::Store(store) => match &store.db {
                $crate::db::Db::Sqlite($conn) => $body,
                $crate::db::Db::Postgres($conn) => $body,
            },
            $crate::db::Reader::Tx(tx) => match &mut tx.inner {
                $crate::db::TxInner::Sqlite(t) => {
                    let $conn = &mut **t;
                    $body
                }
                $crate::db::TxInner::Postgres(t) => {
                    let $conn = &mut **t;
                    $body
                }
            },
        }
    };
}
pub(crate) use {on_pool, on_reader, on_tx};

/// A row of either database read by column name, so decoding never depends on the order of a
/// SELECT list.
pub(crate) trait NamedRow {
    fn text(&self, column: &str) -> Result<String, sqlx::Error>;
    fn text_or_none(&self, column: &str) -> Result<Option<String>, sqlx::Error>;
    fn int(&self, column: &str) -> Result<i64, sqlx::Error>;
    fn int_or_none(&self, column: &str) -> Result<Option<i64>, sqlx::Error>;
    fn real_or_none(&self, column: &str) -> Result<Option<f64>, sqlx::Error>;
    fn flag(&self, column: &str) -> Result<bool, sqlx::Error>;
}

macro_rules! named_row {
    ($row:ty) => {
        impl NamedRow for $row {
            fn text(&self, column: &str) -> Result<String, sqlx::Error> {
                sqlx::Row::try_get(self, column)
            }
            fn text_or_none(&self, column: &str) -> Result<Option<String>, sqlx::Error> {
                sqlx::Row::try_get(self, column)
            }
            fn int(&self, column: &str) -> Result<i64, sqlx::Error> {
                sqlx::Row::try_get(self, column)
            }
            fn int_or_none(&self, column: &str) -> Result<Option<i64>, sqlx::Error> {
                sqlx::Row::try_get(self, column)
            }
            fn real_or_none(&self, column: &str) -> Result<Option<f64>, sqlx::Error> {
                sqlx::Row::try_get(self, column)
            }
            fn flag(&self, column: &str) -> Result<bool, sqlx::Error> {
                sqlx::Row::try_get(self, column)
            }
        }
    };
}
named_row!(sqlx::sqlite::SqliteRow);
named_row!(sqlx::postgres::PgRow);

#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The application's handle on its database. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) db: Db,
    /// SQLite has one writer at a time; taking it here, before `BEGIN`, keeps the audit chain in
    /// order without SQLITE_BUSY. PostgreSQL uses an advisory lock instead, so several servers
    /// can share one database.
    sqlite_writer: Arc<Mutex<()>>,
}

pub(crate) enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// A write transaction. Changes and their audit records commit together or not at all.
pub struct WriteTx {
    pub(crate) inner: TxInner,
    _writer: Option<OwnedMutexGuard<()>>,
}

/// Migrations embedded in the binary, in order, per backend.
const SQLITE_MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        include_str!("../migrations/sqlite/0001_organisation.sql"),
    ),
    (2, include_str!("../migrations/sqlite/0002_decisions.sql")),
    (3, include_str!("../migrations/sqlite/0003_jobs.sql")),
    (4, include_str!("../migrations/sqlite/0004_notices.sql")),
    (
        5,
        include_str!("../migrations/sqlite/0005_api_token_use.sql"),
    ),
    (
        6,
        include_str!("../migrations/sqlite/0006_notices_unread.sql"),
    ),
    (7, include_str!("../migrations/sqlite/0007_monitoring.sql")),
    (
        8,
        include_str!("../migrations/sqlite/0008_monitoring_campaigns.sql"),
    ),
    (
        9,
        include_str!("../migrations/sqlite/0009_consultations.sql"),
    ),
    (10, include_str!("../migrations/sqlite/0010_catalogue.sql")),
    (11, include_str!("../migrations/sqlite/0011_events.sql")),
    (12, include_str!("../migrations/sqlite/0012_training.sql")),
    (13, include_str!("../migrations/sqlite/0013_reminders.sql")),
    (
        14,
        include_str!("../migrations/sqlite/0014_training_sessions.sql"),
    ),
    (
        15,
        include_str!("../migrations/sqlite/0015_training_programmes.sql"),
    ),
    (
        16,
        include_str!("../migrations/sqlite/0016_training_teachers.sql"),
    ),
    (
        19,
        include_str!("../migrations/sqlite/0019_consultation_embeddings.sql"),
    ),
    (
        20,
        include_str!("../migrations/sqlite/0020_competitions.sql"),
    ),
    (
        21,
        include_str!("../migrations/sqlite/0021_catalogue_adoptions.sql"),
    ),
    (
        22,
        include_str!("../migrations/sqlite/0022_consultations_generalised.sql"),
    ),
    (
        23,
        include_str!("../migrations/sqlite/0023_events_held.sql"),
    ),
    (
        24,
        include_str!("../migrations/sqlite/0024_competition_collections.sql"),
    ),
    (25, include_str!("../migrations/sqlite/0025_promotion.sql")),
    (
        26,
        include_str!("../migrations/sqlite/0026_event_plan_snapshots.sql"),
    ),
    (
        27,
        include_str!("../migrations/sqlite/0027_event_links.sql"),
    ),
];
const POSTGRES_MIGRATIONS: &[(i64, &str)] = &[
    (
        1,
        include_str!("../migrations/postgres/0001_organisation.sql"),
    ),
    (2, include_str!("../migrations/postgres/0002_decisions.sql")),
    (3, include_str!("../migrations/postgres/0003_jobs.sql")),
    (4, include_str!("../migrations/postgres/0004_notices.sql")),
    (
        5,
        include_str!("../migrations/postgres/0005_api_token_use.sql"),
    ),
    (
        6,
        include_str!("../migrations/postgres/0006_notices_unread.sql"),
    ),
    (
        7,
        include_str!("../migrations/postgres/0007_monitoring.sql"),
    ),
    (
        8,
        include_str!("../migrations/postgres/0008_monitoring_campaigns.sql"),
    ),
    (
        9,
        include_str!("../migrations/postgres/0009_consultations.sql"),
    ),
    (
        10,
        include_str!("../migrations/postgres/0010_catalogue.sql"),
    ),
    (11, include_str!("../migrations/postgres/0011_events.sql")),
    (12, include_str!("../migrations/postgres/0012_training.sql")),
    (
        13,
        include_str!("../migrations/postgres/0013_reminders.sql"),
    ),
    (
        14,
        include_str!("../migrations/postgres/0014_training_sessions.sql"),
    ),
    (
        15,
        include_str!("../migrations/postgres/0015_training_programmes.sql"),
    ),
    (
        16,
        include_str!("../migrations/postgres/0016_training_teachers.sql"),
    ),
    (
        19,
        include_str!("../migrations/postgres/0019_consultation_embeddings.sql"),
    ),
    (
        20,
        include_str!("../migrations/postgres/0020_competitions.sql"),
    ),
    (
        21,
        include_str!("../migrations/postgres/0021_catalogue_adoptions.sql"),
    ),
    (
        22,
        include_str!("../migrations/postgres/0022_consultations_generalised.sql"),
    ),
    (
        23,
        include_str!("../migrations/postgres/0023_events_held.sql"),
    ),
    (
        24,
        include_str!("../migrations/postgres/0024_competition_collections.sql"),
    ),
    (
        25,
        include_str!("../migrations/postgres/0025_promotion.sql"),
    ),
    (
        26,
        include_str!("../migrations/postgres/0026_event_plan_snapshots.sql"),
    ),
    (
        27,
        include_str!("../migrations/postgres/0027_event_links.sql"),
    ),
];

/// The schema version this build expects: the last migration's number.
pub const SCHEMA_VERSION: i64 = 27;

pub fn now_utc() -> String {
    OffsetDateTime::now_utc()
        .format(&Rfc3339)
        .unwrap_or_else(|_| String::from("1970-01-01T00:00:00Z"))
}

pub fn utc_after(duration: time::Duration) -> String {
    (OffsetDateTime::now_utc() + duration)
        .format(&Rfc3339)
        .unwrap_or_else(|_| String::from("1970-01-01T00:00:00Z"))
}

impl Store {
    /// Opens `sqlite://FILE` (created when missing) or `postgres://…`. The database must answer
    /// within a few seconds, so a wrong URL fails at start with one clear message.
    pub async fn connect(url: &str) -> Result<Store, StorageError> {
        let db = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(5))
                .connect(url)
                .await
                .map_err(|e| StorageError::Unreachable {
                    url: redact(url),
                    reason: e.to_string(),
                })?;
            Db::Postgres(pool)
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| StorageError::Unreachable {
                    url: url.to_string(),
                    reason: e.to_string(),
                })?
                .create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await
                .map_err(|e| StorageError::Unreachable {
                    url: url.to_string(),
                    reason: e.to_string(),
                })?;
            Db::Sqlite(pool)
        } else {
            return Err(StorageError::Unreachable {
                url: redact(url),
                reason: "the URL must start with sqlite:// or postgres://".into(),
            });
        };
        Ok(Store {
            db,
            sqlite_writer: Arc::new(Mutex::new(())),
        })
    }

    pub fn backend(&self) -> &'static str {
        match self.db {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Applies the migrations this database has not seen yet, each in its own transaction.
    pub async fn migrate(&self) -> Result<(), StorageError> {
        self.migrate_up_to(SCHEMA_VERSION).await
    }

    /// Applies the migrations not seen yet up to version `last` (a test stops at an older
    /// schema to check what a later migration does to its rows).
    pub(crate) async fn migrate_up_to(&self, last: i64) -> Result<(), StorageError> {
        let migrations = match self.db {
            Db::Sqlite(_) => SQLITE_MIGRATIONS,
            Db::Postgres(_) => POSTGRES_MIGRATIONS,
        };
        on_pool!(self, pool => {
            sqlx::raw_sql(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
            )
            .execute(pool)
            .await.map(|r| r.rows_affected())?;
        });
        let applied = self.schema_version().await?;
        if applied > SCHEMA_VERSION {
            return Err(StorageError::Conflict(format!(
                "the database has schema version {applied}, newer than this program's {SCHEMA_VERSION}"
            )));
        }
        for (version, sql) in migrations
            .iter()
            .filter(|(v, _)| *v > applied && *v <= last)
        {
            let mut tx = self.begin_write().await?;
            on_tx!(tx, conn => sqlx::raw_sql(sql).execute(conn).await.map(|r| r.rows_affected()))?;
            on_tx!(tx, conn => sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
                .bind(version)
                .bind(now_utc())
                .execute(conn)
                .await.map(|r| r.rows_affected()))?;
            tx.commit().await?;
            tracing::info!(version, "applied migration");
        }
        Ok(())
    }

    pub async fn schema_version(&self) -> Result<i64, StorageError> {
        let version: Option<i64> = on_pool!(self, pool => {
            sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations")
                .fetch_one(pool)
                .await?
        });
        Ok(version.unwrap_or(0))
    }

    /// Answers whether the database takes a query now.
    pub async fn ping(&self) -> Result<(), StorageError> {
        let _: i64 = on_pool!(self, pool => sqlx::query_scalar("SELECT CAST(1 AS BIGINT)").fetch_one(pool).await?);
        Ok(())
    }

    pub async fn begin_write(&self) -> Result<WriteTx, StorageError> {
        self.begin(true).await
    }

    /// A write transaction for rows that carry no audit record and are locked row by row (a
    /// job's lease and progress): on PostgreSQL it skips the advisory lock, which only orders the
    /// audit chain, so the claims of many workers do not queue behind every audited write. SQLite
    /// has one writer either way. Never append to the audit log in it.
    pub(crate) async fn begin_unaudited(&self) -> Result<WriteTx, StorageError> {
        self.begin(false).await
    }

    async fn begin(&self, audited: bool) -> Result<WriteTx, StorageError> {
        match &self.db {
            Db::Sqlite(pool) => {
                let guard = self.sqlite_writer.clone().lock_owned().await;
                let tx = pool.begin().await?;
                Ok(WriteTx {
                    inner: TxInner::Sqlite(tx),
                    _writer: Some(guard),
                })
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                if audited {
                    sqlx::query("SELECT pg_advisory_xact_lock(727001)")
                        .execute(&mut *tx)
                        .await?;
                }
                Ok(WriteTx {
                    inner: TxInner::Postgres(tx),
                    _writer: None,
                })
            }
        }
    }

    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await);
    }
}

impl WriteTx {
    pub async fn commit(self) -> Result<(), StorageError> {
        match self.inner {
            TxInner::Sqlite(tx) => tx.commit().await?,
            TxInner::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }

    /// Appends one record to the audit chain, inside this transaction.
    pub async fn audit(&mut self, entry: &AuditEntry) -> Result<(), StorageError> {
        let last: Option<(i64, String)> = on_tx!(self, conn => {
            sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
                .fetch_optional(conn)
                .await?
        });
        let (id, prev_hash) = match last {
            Some((id, hash)) => (id + 1, hash),
            None => (1, GENESIS.to_string()),
        };
        let hash = entry.chain_hash(id, &prev_hash);
        on_tx!(self, conn => {
            sqlx::query(
                "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, before_json, after_json, prev_hash, hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(id)
            .bind(&entry.at)
            .bind(&entry.actor)
            .bind(&entry.action)
            .bind(&entry.entity)
            .bind(&entry.entity_id)
            .bind(entry.before.as_ref().map(|v| v.to_string()))
            .bind(entry.after.as_ref().map(|v| v.to_string()))
            .bind(&prev_hash)
            .bind(&hash)
            .execute(conn)
            .await.map(|r| r.rows_affected())?
        });
        Ok(())
    }
}

/// Hides the password of a database URL in messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_hidden_in_urls() {
        assert_eq!(
            super::redact("postgres://app:secret@db:5432/megapolis"),
            "postgres://app:***@db:5432/megapolis"
        );
        assert_eq!(super::redact("sqlite://x.db"), "sqlite://x.db");
    }
}

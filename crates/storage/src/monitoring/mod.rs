//! Monitoring: editions of the methodology as sent (iMeta, build.toml, verified iData) and the
//! result of each computed edition, with its pin. Every change is one audited transaction; the
//! rules of an edition's life are `megapolis_monitoring::EditionState`'s.
pub mod campaigns;

use crate::audit::{audit_entry, event_entry};
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, on_tx, NamedRow};
use crate::StorageError;
use megapolis_monitoring::{Computed, Edition, EditionState, Ranking};
use serde::Serialize;

/// What a backup holds of monitoring, parents before children.
pub(crate) const TABLES: &[Table] = &[
    Table {
        name: "monitoring_editions",
        identity: true,
        columns: &[
            ("id", Kind::Int),
            ("year", Kind::Int),
            ("title_ru", Kind::Text),
            ("title_en", Kind::Text),
            ("meta", Kind::Text),
            ("spec", Kind::Text),
            ("data", Kind::Text),
            ("state", Kind::Text),
            ("created_at", Kind::Text),
            ("created_by", Kind::Text),
            ("published_at", Kind::Text),
        ],
    },
    Table {
        name: "monitoring_results",
        identity: false,
        columns: &[
            ("edition_id", Kind::Int),
            ("pin", Kind::Text),
            ("computed_at", Kind::Text),
            ("ranking", Kind::Text),
        ],
    },
];

/// One edition as listed: what it is, its state and its result's pin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditionSummary {
    pub id: i64,
    pub year: i32,
    pub title_ru: String,
    pub title_en: String,
    pub state: EditionState,
    pub has_data: bool,
    pub created_at: String,
    pub published_at: Option<String>,
    pub pin: Option<String>,
    pub computed_at: Option<String>,
}

/// A stored result.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredResult {
    pub pin: String,
    pub computed_at: String,
    pub ranking: Ranking,
}

/// What the audit log keeps of an edition: its fields, and a digest of each file (the files
/// themselves are in the edition's row), so an edit of the methodology shows as changed.
#[derive(Serialize)]
struct EditionAudit<'a> {
    year: i32,
    title_ru: &'a str,
    title_en: &'a str,
    has_data: bool,
    meta_sha256: String,
    spec_sha256: String,
}

impl EditionAudit<'_> {
    fn of(edition: &Edition) -> EditionAudit<'_> {
        use sha2::Digest;
        let digest = |text: &str| hex::encode(sha2::Sha256::digest(text.as_bytes()));
        EditionAudit {
            year: edition.year(),
            title_ru: edition.title_ru(),
            title_en: edition.title_en(),
            has_data: edition.data().is_some(),
            meta_sha256: digest(edition.meta()),
            spec_sha256: digest(edition.spec()),
        }
    }
}

const SUMMARY: &str = "SELECT e.id, e.year, e.title_ru, e.title_en, e.state, \
     CAST(CASE WHEN e.data IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_data, e.created_at, e.published_at, \
     r.pin, r.computed_at FROM monitoring_editions e LEFT JOIN monitoring_results r ON r.edition_id = e.id";

const EDITION: &str =
    "SELECT year, title_ru, title_en, meta, spec, data FROM monitoring_editions WHERE id = $1";

fn edition_of(row: &impl NamedRow) -> Result<Edition, StorageError> {
    Ok(Edition::stored(
        i32::try_from(row.int("year")?)
            .map_err(|_| StorageError::Corrupt("monitoring edition year".into()))?,
        row.text("title_ru")?,
        row.text("title_en")?,
        row.text("meta")?,
        row.text("spec")?,
        row.text_or_none("data")?,
    ))
}

fn state_of(text: &str) -> Result<EditionState, StorageError> {
    EditionState::parse(text)
        .ok_or_else(|| StorageError::Corrupt(format!("monitoring edition state {text:?}")))
}

fn summary_of(row: &impl NamedRow) -> Result<EditionSummary, StorageError> {
    Ok(EditionSummary {
        id: row.int("id")?,
        year: i32::try_from(row.int("year")?)
            .map_err(|_| StorageError::Corrupt("monitoring edition year".into()))?,
        title_ru: row.text("title_ru")?,
        title_en: row.text("title_en")?,
        state: state_of(&row.text("state")?)?,
        has_data: row.int("has_data")? != 0,
        created_at: row.text("created_at")?,
        published_at: row.text_or_none("published_at")?,
        pin: row.text_or_none("pin")?,
        computed_at: row.text_or_none("computed_at")?,
    })
}

crate::facet!(
    /// Monitoring editions and their results.
    Monitoring,
    monitoring
);

impl Monitoring<'_> {
    /// Saves a checked edition as a draft; returns its id.
    pub async fn create(&self, actor: &str, edition: &Edition) -> Result<i64, StorageError> {
        let mut tx = self.begin_write().await?;
        let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
            "INSERT INTO monitoring_editions (year, title_ru, title_en, meta, spec, data, state, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(i64::from(edition.year()))
        .bind(edition.title_ru())
        .bind(edition.title_en())
        .bind(edition.meta())
        .bind(edition.spec())
        .bind(edition.data())
        .bind(EditionState::Draft.as_str())
        .bind(now_utc())
        .bind(actor)
        .fetch_one(conn)
        .await?);
        tx.audit(&audit_entry(
            actor,
            "create",
            "monitoring_edition",
            &id.to_string(),
            None,
            Some(&EditionAudit::of(edition)),
        ))
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Replaces an edition's methodology (and year, titles, data) by an edited, checked one;
    /// refused while a campaign uses it or once it is published (the check and the write are
    /// one transaction). A stored result no longer matches, so it goes and the edition is a
    /// draft again.
    pub async fn update(
        &self,
        actor: &str,
        id: i64,
        edition: &Edition,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let row: Option<(String, i64)> = on_tx!(tx, conn => sqlx::query_as(
            "SELECT e.state, (SELECT COUNT(*) FROM monitoring_campaigns c WHERE c.edition_id = e.id) \
             FROM monitoring_editions e WHERE e.id = $1",
        )
        .bind(id)
        .fetch_optional(conn)
        .await?);
        let (state, campaigns) =
            row.ok_or_else(|| StorageError::NotFound(format!("monitoring edition {id}")))?;
        let next = state_of(&state)?
            .edit(campaigns > 0)
            .map_err(|e| StorageError::Conflict(e.to_string()))?;
        let before = on_tx!(tx, conn => sqlx::query(EDITION)
            .bind(id)
            .fetch_optional(conn)
            .await?
            .as_ref()
            .map(edition_of)
            .transpose()?);
        on_tx!(tx, conn => sqlx::query(
            "UPDATE monitoring_editions SET year = $1, title_ru = $2, title_en = $3, meta = $4, spec = $5, data = $6, state = $7 \
             WHERE id = $8",
        )
        .bind(i64::from(edition.year()))
        .bind(edition.title_ru())
        .bind(edition.title_en())
        .bind(edition.meta())
        .bind(edition.spec())
        .bind(edition.data())
        .bind(next.as_str())
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        on_tx!(tx, conn => sqlx::query("DELETE FROM monitoring_results WHERE edition_id = $1")
            .bind(id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            actor,
            "update",
            "monitoring_edition",
            &id.to_string(),
            before.as_ref().map(EditionAudit::of).as_ref(),
            Some(&EditionAudit::of(edition)),
        ))
        .await?;
        tx.commit().await
    }

    /// The editions, newest year first; `published_only` for the public.
    pub async fn list(&self, published_only: bool) -> Result<Vec<EditionSummary>, StorageError> {
        let sql = format!(
            "{SUMMARY} WHERE (e.state = 'published' OR NOT $1) ORDER BY e.year DESC, e.id DESC"
        );
        let editions = on_pool!(self, pool => sqlx::query(&sql)
            .bind(published_only)
            .fetch_all(pool)
            .await?
            .iter()
            .map(summary_of)
            .collect::<Result<Vec<_>, StorageError>>()?);
        Ok(editions)
    }

    /// One edition's summary.
    pub async fn summary(&self, id: i64) -> Result<Option<EditionSummary>, StorageError> {
        let sql = format!("{SUMMARY} WHERE e.id = $1");
        let found = on_pool!(self, pool => sqlx::query(&sql)
            .bind(id)
            .fetch_optional(pool)
            .await?
            .as_ref()
            .map(summary_of)
            .transpose()?);
        Ok(found)
    }

    /// One edition's files, as saved.
    pub async fn edition(&self, id: i64) -> Result<Option<Edition>, StorageError> {
        let found = on_pool!(self, pool => sqlx::query(EDITION)
            .bind(id)
            .fetch_optional(pool)
            .await?
            .as_ref()
            .map(edition_of)
            .transpose()?);
        Ok(found)
    }

    /// Stores the result of a computation (replacing an earlier one) and moves the edition to
    /// its computed state.
    pub async fn save_result(
        &self,
        actor: &str,
        id: i64,
        computed: &Computed,
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let state: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT state FROM monitoring_editions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(conn)
        .await?);
        let state = state_of(
            &state.ok_or_else(|| StorageError::NotFound(format!("monitoring edition {id}")))?,
        )?;
        let previous: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT pin FROM monitoring_results WHERE edition_id = $1",
        )
        .bind(id)
        .fetch_optional(conn)
        .await?);
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO monitoring_results (edition_id, pin, computed_at, ranking) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (edition_id) DO UPDATE SET pin = excluded.pin, computed_at = excluded.computed_at, ranking = excluded.ranking",
        )
        .bind(id)
        .bind(&computed.pin)
        .bind(now_utc())
        .bind(computed.ranking.to_json())
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        on_tx!(tx, conn => sqlx::query("UPDATE monitoring_editions SET state = $1 WHERE id = $2")
            .bind(state.computed().as_str())
            .bind(id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        tx.audit(&audit_entry(
            actor,
            "compute",
            "monitoring_edition",
            &id.to_string(),
            previous
                .map(|pin| serde_json::json!({ "pin": pin }))
                .as_ref(),
            Some(&serde_json::json!({
                "pin": computed.pin,
                "units": computed.ranking.units.len(),
            })),
        ))
        .await?;
        tx.commit().await
    }

    /// The stored result of an edition, if computed.
    pub async fn result(&self, id: i64) -> Result<Option<StoredResult>, StorageError> {
        let row: Option<(String, String, String)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT pin, computed_at, ranking FROM monitoring_results WHERE edition_id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        row.map(|(pin, computed_at, ranking)| {
            Ok(StoredResult {
                pin,
                computed_at,
                ranking: Ranking::from_json(&ranking).map_err(|e| {
                    StorageError::Corrupt(format!("result of monitoring edition {id}: {e}"))
                })?,
            })
        })
        .transpose()
    }

    /// Publishes a computed edition; refused (nothing changed) while it has no result.
    pub async fn publish(&self, actor: &str, id: i64) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        let state: Option<String> = on_tx!(tx, conn => sqlx::query_scalar(
            "SELECT state FROM monitoring_editions WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(conn)
        .await?);
        let state = state_of(
            &state.ok_or_else(|| StorageError::NotFound(format!("monitoring edition {id}")))?,
        )?;
        let next = state
            .publish()
            .map_err(|e| StorageError::Conflict(e.to_string()))?;
        if next == state {
            // Published already: nothing to change or record.
            return Ok(());
        }
        on_tx!(tx, conn => sqlx::query(
            "UPDATE monitoring_editions SET state = $1, published_at = $2 WHERE id = $3",
        )
        .bind(next.as_str())
        .bind(now_utc())
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        tx.audit(&event_entry(
            actor,
            "publish",
            "monitoring_edition",
            &id.to_string(),
        ))
        .await?;
        tx.commit().await
    }
}

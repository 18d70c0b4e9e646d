//! The typeset collection («сборник») of a competition's published results: one stored PDF per
//! competition and language, so a download never typesets again. Making it again replaces the
//! stored one in one audited transaction.
use super::competition::{stage_in, stage_refusal, Competitions};
use crate::audit::audit_entry;
use crate::db::{now_utc, on_pool, on_tx};
use crate::StorageError;
use megapolis_catalogue::competition::Stage;
use megapolis_domain::Lang;
use serde::Serialize;
use sha2::Digest;

/// A stored collection, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollectionInfo {
    pub competition_id: i64,
    /// `ru` or `en`.
    pub lang: String,
    pub made_at: String,
    pub size: i64,
    /// Of the PDF's bytes, in hex.
    pub sha256: String,
}

const INFO: &str =
    "SELECT competition_id, lang, made_at, size, sha256 FROM competition_collections";

impl Competitions<'_> {
    /// Stores `pdf` as the collection of a published competition in `lang`, replacing the one
    /// made before (the audit record keeps both digests).
    pub async fn save_collection(
        &self,
        actor: &str,
        competition: i64,
        lang: Lang,
        pdf: &[u8],
    ) -> Result<CollectionInfo, StorageError> {
        let mut tx = self.begin_write().await?;
        let stage = stage_in(&mut tx, competition).await?;
        if stage != Stage::Published {
            return stage_refusal(stage);
        }
        let sql = format!("{INFO} WHERE competition_id = $1 AND lang = $2");
        let before: Option<(i64, String, String, i64, String)> = on_tx!(tx, conn => sqlx::query_as(&sql)
            .bind(competition)
            .bind(lang.code())
            .fetch_optional(conn)
            .await?);
        let made = CollectionInfo {
            competition_id: competition,
            lang: lang.code().to_string(),
            made_at: now_utc(),
            size: i64::try_from(pdf.len())
                .map_err(|_| StorageError::Conflict("the collection is too large".into()))?,
            sha256: hex::encode(sha2::Sha256::digest(pdf)),
        };
        on_tx!(tx, conn => sqlx::query(
            "INSERT INTO competition_collections (competition_id, lang, made_at, made_by, size, sha256, content) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (competition_id, lang) DO UPDATE SET \
             made_at = excluded.made_at, made_by = excluded.made_by, size = excluded.size, \
             sha256 = excluded.sha256, content = excluded.content",
        )
        .bind(competition)
        .bind(&made.lang)
        .bind(&made.made_at)
        .bind(actor)
        .bind(made.size)
        .bind(&made.sha256)
        .bind(pdf)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        let before = before.map(
            |(competition_id, lang, made_at, size, sha256)| CollectionInfo {
                competition_id,
                lang,
                made_at,
                size,
                sha256,
            },
        );
        tx.audit(&audit_entry(
            actor,
            if before.is_some() {
                "replace-collection"
            } else {
                "make-collection"
            },
            "competition",
            &competition.to_string(),
            before.as_ref(),
            Some(&made),
        ))
        .await?;
        tx.commit().await?;
        Ok(made)
    }

    /// The collections made of a competition, Russian first.
    pub async fn collections(&self, competition: i64) -> Result<Vec<CollectionInfo>, StorageError> {
        let sql = format!("{INFO} WHERE competition_id = $1 ORDER BY lang DESC");
        let rows: Vec<(i64, String, String, i64, String)> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(competition)
            .fetch_all(pool)
            .await?);
        Ok(rows
            .into_iter()
            .map(
                |(competition_id, lang, made_at, size, sha256)| CollectionInfo {
                    competition_id,
                    lang,
                    made_at,
                    size,
                    sha256,
                },
            )
            .collect())
    }

    /// The stored PDF of a competition's collection in `lang`, if made.
    pub async fn collection_pdf(
        &self,
        competition: i64,
        lang: Lang,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        on_pool!(self, pool => Ok(sqlx::query_scalar(
            "SELECT content FROM competition_collections WHERE competition_id = $1 AND lang = $2",
        )
        .bind(competition)
        .bind(lang.code())
        .fetch_optional(pool)
        .await?))
    }
}

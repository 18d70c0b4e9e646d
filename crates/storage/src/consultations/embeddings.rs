//! The stored sentence embeddings of submissions (derived data: the semantic signal of the
//! near-duplicate suggestions). Each is kept with the model that made it and the SHA-256 of
//! the text it was made from, so a text embedded under another model, or changed since, counts
//! as not embedded and is embedded again.
use super::Consultations;
use crate::audit::audit_entry;
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, on_tx};
use crate::StorageError;
use megapolis_consultations::Embedding;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

pub(crate) const TABLE: Table = Table {
    name: "consultation_embeddings",
    identity: false,
    columns: &[
        ("submission_id", Kind::Int),
        ("model", Kind::Text),
        ("text_sha256", Kind::Text),
        ("dimensions", Kind::Int),
        ("vector", Kind::Bytes),
        ("created_at", Kind::Text),
    ],
};

/// A submission still to be embedded under a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingText {
    pub submission: i64,
    pub text: String,
}

/// What the audit log keeps of one batch of embeddings.
#[derive(Serialize)]
struct EmbeddedAudit<'a> {
    model: &'a str,
    submissions: Vec<i64>,
}

fn text_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn to_bytes(embedding: &Embedding) -> Vec<u8> {
    embedding
        .components()
        .iter()
        .flat_map(|c| c.to_le_bytes())
        .collect()
}

fn from_bytes(bytes: &[u8]) -> Option<Embedding> {
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    let components = bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    Embedding::new(components).ok()
}

/// (id, text, stored model, stored hash) of a consultation's submissions.
type Row = (i64, String, Option<String>, Option<String>);

impl Consultations<'_> {
    async fn texts_and_hashes(&self, consultation: i64) -> Result<Vec<Row>, StorageError> {
        let rows: Vec<Row> = on_pool!(self, pool => sqlx::query_as(
            "SELECT s.id, s.text, e.model, e.text_sha256 FROM consultation_submissions s \
             LEFT JOIN consultation_embeddings e ON e.submission_id = s.id \
             WHERE s.consultation_id = $1 ORDER BY s.id",
        )
        .bind(consultation)
        .fetch_all(pool)
        .await?);
        Ok(rows)
    }

    /// The submissions of `consultation` without an embedding under `model` of their present
    /// text, by id.
    pub async fn pending_embeddings(
        &self,
        consultation: i64,
        model: &str,
    ) -> Result<Vec<PendingText>, StorageError> {
        Ok(self
            .texts_and_hashes(consultation)
            .await?
            .into_iter()
            .filter(|(_, text, stored_model, hash)| {
                stored_model.as_deref() != Some(model)
                    || hash.as_deref() != Some(text_hash(text).as_str())
            })
            .map(|(submission, text, _, _)| PendingText { submission, text })
            .collect())
    }

    /// Stores the embeddings of `texts` (made under `model` from exactly those texts), replacing
    /// older ones, in one transaction with one audit record.
    pub async fn store_embeddings(
        &self,
        actor: &str,
        consultation: i64,
        model: &str,
        embedded: &[(PendingText, Embedding)],
    ) -> Result<(), StorageError> {
        if embedded.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        let now = now_utc();
        for (pending, embedding) in embedded {
            on_tx!(tx, conn => sqlx::query(
                "INSERT INTO consultation_embeddings (submission_id, model, text_sha256, dimensions, vector, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (submission_id) DO UPDATE SET model = excluded.model, \
                 text_sha256 = excluded.text_sha256, dimensions = excluded.dimensions, \
                 vector = excluded.vector, created_at = excluded.created_at",
            )
            .bind(pending.submission)
            .bind(model)
            .bind(text_hash(&pending.text))
            .bind(embedding.dimensions() as i64)
            .bind(to_bytes(embedding))
            .bind(&now)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        }
        tx.audit(&audit_entry(
            actor,
            "embed",
            "consultation",
            &consultation.to_string(),
            None,
            Some(&EmbeddedAudit {
                model,
                submissions: embedded.iter().map(|(p, _)| p.submission).collect(),
            }),
        ))
        .await?;
        tx.commit().await
    }

    /// The embeddings under `model` of the present texts of `consultation`'s submissions.
    pub async fn embeddings(
        &self,
        consultation: i64,
        model: &str,
    ) -> Result<HashMap<i64, Embedding>, StorageError> {
        let current: HashMap<i64, String> = self
            .texts_and_hashes(consultation)
            .await?
            .into_iter()
            .filter(|(_, text, stored_model, hash)| {
                stored_model.as_deref() == Some(model)
                    && hash.as_deref() == Some(text_hash(text).as_str())
            })
            .map(|(id, _, _, hash)| (id, hash.unwrap_or_default()))
            .collect();
        let rows: Vec<(i64, Vec<u8>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT e.submission_id, e.vector FROM consultation_embeddings e \
             JOIN consultation_submissions s ON s.id = e.submission_id \
             WHERE s.consultation_id = $1 AND e.model = $2",
        )
        .bind(consultation)
        .bind(model)
        .fetch_all(pool)
        .await?);
        rows.into_iter()
            .filter(|(id, _)| current.contains_key(id))
            .map(|(id, bytes)| {
                from_bytes(&bytes).map(|e| (id, e)).ok_or_else(|| {
                    StorageError::Corrupt(format!("the embedding of submission {id}"))
                })
            })
            .collect()
    }

    /// The number of a consultation's stored embeddings and the time of the newest: with
    /// [`super::SubmissionsVersion`], what tells a kept similarity index is still right.
    pub(crate) async fn embeddings_stamp(
        &self,
        consultation: i64,
    ) -> Result<(i64, Option<String>), StorageError> {
        let stamp: (i64, Option<String>) = on_pool!(self, pool => sqlx::query_as(
            "SELECT COUNT(*), MAX(e.created_at) FROM consultation_embeddings e \
             JOIN consultation_submissions s ON s.id = e.submission_id WHERE s.consultation_id = $1",
        )
        .bind(consultation)
        .fetch_one(pool)
        .await?);
        Ok(stamp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_survive_the_round_trip_through_bytes() {
        let embedding = Embedding::new(vec![0.25, -0.5, 1.0e-7, 3.0]).expect("a vector");
        assert_eq!(from_bytes(&to_bytes(&embedding)), Some(embedding));
        assert_eq!(from_bytes(&[1, 2, 3]), None);
        assert_eq!(from_bytes(&[]), None);
    }
}

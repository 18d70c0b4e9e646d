//! Stored files: appendices of decisions, attachments of reports; later the attachments of
//! every capability. A file is written inside the transaction of what it belongs to.
use crate::audit::audit_entry;
use crate::backup::{Kind, Table};
use crate::db::{now_utc, on_pool, on_tx, WriteTx};
use crate::StorageError;
use megapolis_domain::file::{FileInfo, NewFile, Readers, StoredFile};
use sha2::{Digest, Sha256};

/// What a backup holds of stored files, parents before children.
pub(crate) const TABLES: &[Table] = &[Table {
    name: "files",
    identity: true,
    columns: &[
        ("id", Kind::Int),
        ("name", Kind::Text),
        ("content_type", Kind::Text),
        ("size", Kind::Int),
        ("sha256", Kind::Text),
        ("content", Kind::Bytes),
        ("uploaded_at", Kind::Text),
        ("uploaded_by", Kind::Text),
    ],
}];

crate::facet!(
    /// Stored files and who may read them.
    Files,
    files
);

impl Files<'_> {
    /// A stored file with its bytes.
    pub async fn get(&self, id: i64) -> Result<Option<StoredFile>, StorageError> {
        let row: Option<(String, String, i64, Vec<u8>)> = on_pool!(self, pool => sqlx::query_as(
            "SELECT name, content_type, size, content FROM files WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?);
        Ok(row.map(|(name, content_type, size, content)| StoredFile {
            info: FileInfo {
                id,
                name,
                content_type,
                size,
            },
            content,
        }))
    }

    /// Who may read a file, from what it belongs to: an appendix of a published decision is
    /// public; an attachment of a published decision's assignment is for members; anything of a
    /// draft (or of nothing) is for the Secretariat.
    pub async fn readers(&self, id: i64) -> Result<Readers, StorageError> {
        let (appendix, attachment): (i64, i64) = on_pool!(self, pool => sqlx::query_as(
            "SELECT \
             (SELECT COUNT(*) FROM decision_appendices a JOIN decisions d ON d.id = a.decision_id \
              WHERE a.file_id = $1 AND d.published = TRUE), \
             (SELECT COUNT(*) FROM event_files f JOIN assignment_events e ON e.id = f.event_id \
              JOIN assignments s ON s.id = e.assignment_id JOIN decisions d ON d.id = s.decision_id \
              WHERE f.file_id = $1 AND d.published = TRUE)",
        )
        .bind(id)
        .fetch_one(pool)
        .await?);
        Ok(if appendix > 0 {
            Readers::Everyone
        } else if attachment > 0 {
            Readers::Members
        } else {
            Readers::Staff
        })
    }
}

pub(crate) async fn insert_file(
    tx: &mut WriteTx,
    actor: &str,
    file: &NewFile,
) -> Result<i64, StorageError> {
    let sha256 = hex::encode(Sha256::digest(&file.content));
    let id: i64 = on_tx!(tx, conn => sqlx::query_scalar(
        "INSERT INTO files (name, content_type, size, sha256, content, uploaded_at, uploaded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&file.name)
    .bind(&file.content_type)
    .bind(file.content.len() as i64)
    .bind(&sha256)
    .bind(&file.content)
    .bind(now_utc())
    .bind(actor)
    .fetch_one(conn)
    .await?);
    tx.audit(&audit_entry(
        actor,
        "upload",
        "file",
        &id.to_string(),
        None,
        Some(&serde_json::json!({"name": file.name, "size": file.content.len(), "sha256": sha256})),
    ))
    .await?;
    Ok(id)
}

//! Files people upload: a report's attachment, a decision's appendix, an entry's screenshots.
use serde::Serialize;

/// A file as uploaded: a report's attachment or a decision's appendix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub name: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// A stored file's description, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileInfo {
    pub id: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

/// A file with its bytes, for download.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub info: FileInfo,
    pub content: Vec<u8>,
}

/// Who may read a stored file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readers {
    /// An appendix of a published decision.
    Everyone,
    /// An attachment to the work on a published decision: signed-in members.
    Members,
    /// Anything of a draft: the Secretariat.
    Staff,
}

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

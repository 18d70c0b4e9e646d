//! Errors of the index engine. Every input error names the file (or in-memory source),
//! the row (1-based line number, the header being row 1) and the column.

/// An error of the index engine.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// A bad value in an input table.
    #[error("{file}: row {row}, column {column}: {message}")]
    Input {
        /// File name or label of the in-memory source.
        file: String,
        /// 1-based line number (the header is row 1).
        row: usize,
        /// Column name.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// A problem with a whole file (unreadable, malformed).
    #[error("{file}: {message}")]
    File {
        /// File name or label.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The build specification is invalid.
    #[error("build specification: {0}")]
    Spec(String),
    /// A build step failed on the data (e.g. geometric mean of a non-positive value).
    #[error("step {step} ({op}): {message}")]
    Step {
        /// 1-based position of the step in the specification.
        step: usize,
        /// The step's operation.
        op: String,
        /// What failed.
        message: String,
    },
    /// An I/O error on a path.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl IndexError {
    pub(crate) fn input(file: &str, row: usize, column: &str, message: impl Into<String>) -> Self {
        IndexError::Input {
            file: file.to_string(),
            row,
            column: column.to_string(),
            message: message.into(),
        }
    }
}

/// Result alias of the crate.
pub type Result<T> = std::result::Result<T, IndexError>;

use plasma_models::ModelError;
use thiserror::Error;

/// Everything the store refuses or fails at. A shell branches on
/// [`StoreError::code`]; the message is written for the user.
#[derive(Debug, Error)]
pub enum StoreError {
    /// `what` names the missing thing: "ADR 7", "workspace 3f2c...", "revision 4 of ADR 7".
    #[error("{what} was not found")]
    NotFound { what: String },

    /// Optimistic concurrency: someone else saved the record since it was read.
    #[error(
        "{what} was changed elsewhere (you edited revision {expected}, it is now at revision {actual}); reload it to see the other changes"
    )]
    Conflict {
        /// "ADR 7", "threat model \"Gateway\"".
        what: String,
        expected: u32,
        actual: u32,
    },

    /// Optimistic concurrency for a record without revision numbers (a
    /// workspace): what the caller read is no longer what is stored.
    #[error(
        "{what} was changed elsewhere since it was read ({change}); nothing was saved: reload it and make the change again"
    )]
    ChangedElsewhere {
        /// "workspace \"Plasma Engine\"".
        what: String,
        /// "its name is now \"Engine\"", "its repositories are now a, b".
        change: String,
    },

    /// A request the user can fix (duplicate number, bad import item...).
    #[error("{0}")]
    Invalid(String),

    /// A domain rule refused the change (validation, status lifecycle).
    #[error(transparent)]
    Model(#[from] ModelError),

    /// The roadmap would break: a cycle (with its path), an unknown
    /// dependency, a bad field.
    #[error(transparent)]
    Roadmap(plasma_models::roadmap::RoadmapError),

    /// SQLite failed; `op` says what the store was doing.
    #[error("database error while {op}: {source}")]
    Database {
        op: &'static str,
        #[source]
        source: sqlx::Error,
    },

    /// Stored data the store cannot read back (damaged JSON, bad UUID...).
    #[error("stored data is damaged ({what}): {reason}")]
    Corrupt { what: String, reason: String },

    /// The schema could not be brought up to date.
    #[error("could not update the database schema: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),

    /// The database file or its folder could not be created.
    #[error("could not prepare the database folder {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl StoreError {
    /// A stable string a UI or script can branch on:
    /// "not_found", "conflict", "invalid", "cycle" or "database".
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NotFound { .. } => "not_found",
            StoreError::Conflict { .. } | StoreError::ChangedElsewhere { .. } => "conflict",
            StoreError::Invalid(_) | StoreError::Model(_) => "invalid",
            StoreError::Roadmap(plasma_models::roadmap::RoadmapError::Cycle { .. }) => "cycle",
            StoreError::Roadmap(_) => "invalid",
            StoreError::Database { .. }
            | StoreError::Corrupt { .. }
            | StoreError::Migration(_)
            | StoreError::Io { .. } => "database",
        }
    }

    pub(crate) fn not_found(what: impl Into<String>) -> StoreError {
        StoreError::NotFound { what: what.into() }
    }

    pub(crate) fn corrupt(what: impl Into<String>, reason: impl ToString) -> StoreError {
        StoreError::Corrupt {
            what: what.into(),
            reason: reason.to_string(),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Attaches the operation name to a sqlx error.
pub(crate) trait DbContext<T> {
    fn db(self, op: &'static str) -> Result<T>;
}

impl<T> DbContext<T> for std::result::Result<T, sqlx::Error> {
    fn db(self, op: &'static str) -> Result<T> {
        self.map_err(|source| StoreError::Database { op, source })
    }
}

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

    /// A write to a database opened read-only (its file or folder cannot
    /// be written by this user, or its file system is read-only). The
    /// shell names the file (see [`StoreError::ReadOnlyAt`]).
    #[error(
        "could not finish {op}: the database is read-only here (this user or file system cannot write it), so it was opened for reading only; nothing was changed"
    )]
    ReadOnly { op: &'static str },

    /// [`StoreError::ReadOnly`] with the file it is about.
    #[error(
        "the database at {path} is read-only here (this user or file system cannot write it), so it was opened for reading only: could not finish {op}; nothing was changed"
    )]
    ReadOnlyAt { path: String, op: &'static str },

    /// A read-only database whose schema this version would have to
    /// upgrade first.
    #[error(
        "the database at {path} needs an upgrade but is read-only (this user or file system cannot write it): open it once with write access to upgrade it; nothing was changed"
    )]
    ReadOnlyUpgrade { path: String },

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
            | StoreError::ReadOnly { .. }
            | StoreError::ReadOnlyAt { .. }
            | StoreError::ReadOnlyUpgrade { .. }
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
        self.map_err(|source| match sqlite_primary_code(&source) {
            Some(SQLITE_READONLY) => StoreError::ReadOnly { op },
            _ => StoreError::Database { op, source },
        })
    }
}

/// SQLite's "attempt to write a readonly database".
pub(crate) const SQLITE_READONLY: i32 = 8;
/// SQLite's "unable to open database file".
pub(crate) const SQLITE_CANTOPEN: i32 = 14;
/// SQLite's "access permission denied".
pub(crate) const SQLITE_PERM: i32 = 3;
/// SQLite's "file is not a database".
pub(crate) const SQLITE_NOTADB: i32 = 26;

/// The primary result code (the low byte of the extended one) of a SQLite
/// error.
pub(crate) fn sqlite_primary_code(e: &sqlx::Error) -> Option<i32> {
    let code = e.as_database_error()?.code()?.parse::<i32>().ok()?;
    Some(code & 0xff)
}

impl StoreError {
    /// Whether opening the database for writing failed because it cannot
    /// be written here, so opening it for reading may still work.
    pub(crate) fn refuses_writing(&self) -> bool {
        match self {
            StoreError::ReadOnly { .. } => true,
            StoreError::Database { source, .. }
            | StoreError::Migration(sqlx::migrate::MigrateError::Execute(source)) => matches!(
                sqlite_primary_code(source),
                Some(SQLITE_READONLY | SQLITE_CANTOPEN | SQLITE_PERM)
            ),
            _ => false,
        }
    }

    /// Whether the file opened is not an SQLite database at all (a text
    /// file, another program's data): SQLite's own words ("file is not a
    /// database", code 26) do not say what to do about it.
    pub(crate) fn not_a_database(&self) -> bool {
        match self {
            StoreError::Database { source, .. }
            | StoreError::Migration(sqlx::migrate::MigrateError::Execute(source)) => {
                sqlite_primary_code(source) == Some(SQLITE_NOTADB)
            }
            _ => false,
        }
    }

    /// A [`StoreError::ReadOnly`] with the database's path, other errors as
    /// they are.
    pub fn naming_file(self, path: &std::path::Path) -> StoreError {
        match self {
            StoreError::ReadOnly { op } => StoreError::ReadOnlyAt {
                path: path.display().to_string(),
                op,
            },
            other => other,
        }
    }
}

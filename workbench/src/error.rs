use plasma_models::compliance::ComplianceError;
use plasma_models::ModelError;
use plasma_storage::StoreError;
use serde::{Deserialize, Serialize};
use specta::Type;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum WorkbenchError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Compliance(#[from] ComplianceError),
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
    /// The reader of a pipe went away before the output was complete
    /// (`plasma ... --out - | head`): the reader's choice, which a shell
    /// treats as success rather than an error.
    #[error("{path}: the reader closed the pipe before the output was complete")]
    OutputClosed { path: String },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Sync(#[from] plasma_sync::SyncError),
}

impl WorkbenchError {
    pub fn io(path: &std::path::Path, err: std::io::Error) -> WorkbenchError {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            return WorkbenchError::OutputClosed {
                path: path.display().to_string(),
            };
        }
        WorkbenchError::Io {
            path: path.display().to_string(),
            reason: err.to_string(),
        }
    }

    /// Reads a text file to import: UTF-8, or UTF-16 as Windows tools
    /// write it (a Threat Modeling Tool model). Other bytes are refused
    /// saying where the first bad one is (a Windows-1252 export, say),
    /// instead of the OS's "stream did not contain valid UTF-8".
    pub fn read_text(path: &std::path::Path) -> Result<String, WorkbenchError> {
        // The OS's "Is a directory (os error 21)" does not say what to do.
        if path.is_dir() {
            return Err(WorkbenchError::Invalid(format!(
                "{} is a folder: choose a file in it",
                path.display()
            )));
        }
        let bytes = std::fs::read(path).map_err(|e| WorkbenchError::io(path, e))?;
        plasma_exports::text_encoding::decode_text(bytes).map_err(|e| {
            WorkbenchError::Invalid(format!("{}: line {}: {}", path.display(), e.line, e.reason))
        })
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            WorkbenchError::Store(e) => match e.code() {
                "not_found" => ErrorCode::NotFound,
                "conflict" => ErrorCode::Conflict,
                "invalid" => ErrorCode::Invalid,
                "cycle" => ErrorCode::Cycle,
                _ => ErrorCode::Internal,
            },
            WorkbenchError::Model(ModelError::SupersedeCycle { .. }) => ErrorCode::Cycle,
            WorkbenchError::Model(ModelError::StatusTransition { .. }) => ErrorCode::Transition,
            WorkbenchError::Model(ModelError::UnknownAdr(_)) => ErrorCode::NotFound,
            WorkbenchError::Model(ModelError::Invalid { .. }) => ErrorCode::Invalid,
            WorkbenchError::Compliance(_) => ErrorCode::Invalid,
            WorkbenchError::Io { .. } | WorkbenchError::OutputClosed { .. } => ErrorCode::Io,
            WorkbenchError::NotFound(_) => ErrorCode::NotFound,
            WorkbenchError::Invalid(_) => ErrorCode::Invalid,
            WorkbenchError::Sync(e) => {
                use plasma_sync::SyncError as S;
                match e {
                    S::NotFound(_) => ErrorCode::NotFound,
                    S::Rejected { .. } | S::DraftConflict { .. } => ErrorCode::Conflict,
                    S::Network(_) | S::RateLimited { .. } | S::Protocol { .. } => ErrorCode::Io,
                    _ => ErrorCode::Invalid,
                }
            }
        }
    }
}

/// What a shell may branch on. Stable strings: the UI and scripts match them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    NotFound,
    Invalid,
    Conflict,
    Cycle,
    Transition,
    Parse,
    Io,
    Internal,
}

/// The error every IPC command returns: `{ code, message }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Error)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl From<WorkbenchError> for AppError {
    fn from(e: WorkbenchError) -> AppError {
        AppError {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

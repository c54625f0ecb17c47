use thiserror::Error;

#[derive(Debug, Error)]
pub enum SyncError {
    /// No token: neither signed in nor `GITHUB_TOKEN` set.
    #[error("not signed in to GitHub: run `plasma sync login` or set GITHUB_TOKEN")]
    NotSignedIn,
    #[error("GitHub refused the token (401): {0}")]
    Unauthorized(String),
    #[error("not found on GitHub: {0}")]
    NotFound(String),
    /// 409/422: the remote changed underneath us or refused the change.
    #[error("GitHub refused the change ({status}): {message}")]
    Rejected { status: u16, message: String },
    #[error("GitHub rate limit reached; it resets at unix time {reset}")]
    RateLimited { reset: u64 },
    /// 5xx or transport errors that outlived every retry; the publish is queued.
    #[error("GitHub could not be reached: {0}")]
    Network(String),
    #[error("unexpected answer from GitHub ({what}): {reason}")]
    Protocol { what: String, reason: String },
    #[error("the OS keychain could not be used ({0}); unlock it (Secret Service, e.g. gnome-keyring), or set GITHUB_TOKEN instead")]
    Keychain(String),
    #[error("{0}")]
    Invalid(String),
    /// Someone else edited the same part of a file on the draft branch.
    #[error("{path} was also edited on the draft branch and {conflicts} item(s) conflict; pull the remote version and resolve before publishing again")]
    DraftConflict { path: String, conflicts: usize },
    #[error("sign-in: {0}")]
    DeviceFlow(String),
    /// The user cancelled; stopped between requests, before the ref moved.
    #[error("cancelled before {0}; nothing on GitHub changed for this draft")]
    Cancelled(String),
}

impl SyncError {
    /// Worth queuing and trying again later (offline, GitHub down, rate limit).
    pub fn is_transient(&self) -> bool {
        matches!(self, SyncError::Network(_) | SyncError::RateLimited { .. })
    }
}

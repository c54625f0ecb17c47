use thiserror::Error;

/// Everything the domain refuses, with enough detail for a user to act on.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ModelError {
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("cannot change the status of ADR {number} from \"{from}\" to \"{to}\": {reason}")]
    StatusTransition {
        number: u32,
        from: String,
        to: String,
        reason: &'static str,
    },
    #[error("superseding would create a cycle: {}", format_cycle(.path))]
    SupersedeCycle { path: Vec<u32> },
    #[error("ADR {0} does not exist")]
    UnknownAdr(u32),
}

fn format_cycle(path: &[u32]) -> String {
    path.iter()
        .map(|n| format!("ADR {n}"))
        .collect::<Vec<_>>()
        .join(" supersedes ")
}

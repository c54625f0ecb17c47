//! Plasma Plan's domain: plain data, validation and graph algorithms.
//!
//! Invariant: this crate does no IO and has no async code, so every rule it
//! states can be tested with plain values and reused by the desktop app, the
//! CLI and the importers alike.

pub mod adr;
pub mod compliance;
pub mod error;
pub mod graph;
pub mod roadmap;
pub mod slo;
pub mod slug;
pub mod text_search;
pub mod threat;
pub mod workspace;

pub use adr::{
    Adr, AdrDraft, AdrLink, AdrStatus, Consequences, ConsideredOption, LinkKind, Section,
};
pub use error::ModelError;
pub use graph::DecisionGraph;
pub use workspace::{Repository, Workspace};

//! The cross-repository roadmap: initiatives, the dependency DAG between
//! them, the critical-path schedule and the secure-SDLC gates each
//! initiative must pass.
//!
//! - [`model`]: [`Initiative`] and its parts, with validation.
//! - [`plan`]: the dependency graph on petgraph: cycle refusal with its path,
//!   a stable topological order, the critical path method (earliest/latest
//!   start, slack).
//! - [`gates`]: what each initiative still lacks (threat model reviewed in a
//!   session, accepted ADR, mapped controls), evaluated against the
//!   [`Evidence`] the workspace holds.

pub mod gates;
pub mod model;
pub mod plan;

pub use gates::{
    evaluate, AdrEvidence, ControlEvidence, Evidence, GateKind, GateLink, GateResult, Readiness,
    RepositoryImplementation, ThreatModelEvidence,
};
pub use model::{Initiative, InitiativeStatus, Milestone, Quarter, RoadmapError};
pub use plan::{Plan, ScheduledItem};

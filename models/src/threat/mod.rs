//! Threat models: data-flow diagrams with nested trust boundaries, the data
//! they carry, and STRIDE threats generated from declarative rules.
//!
//! - [`model`]: the domain types.
//! - [`validate`]: structural checks ([`ThreatModel::validate`]).
//! - [`boundary`]: which trust boundaries a flow crosses, from containment.
//! - [`rules`]: the TOML rule format and the bundled rule set.
//! - [`engine`]: [`generate`] threats and [`regenerate`] without losing edits.
//! - [`stored`]: the stored form, which leaves out what the rules give back.
//! - [`regen`]: regeneration over the stored form, as a plan of threats to write.
//! - [`severity`]: the OWASP risk rating and CVSS 3.1 and 4.0 scores.

pub mod boundary;
pub mod engine;
pub mod model;
pub mod regen;
pub mod rules;
pub mod session;
pub mod severity;
pub mod stored;
pub mod validate;

pub use boundary::{boundaries_crossed, boundary_chain};
pub use engine::{generate, regenerate, threat_id, THREAT_NAMESPACE};
pub use model::{
    Because, Classification, DataAsset, DataTag, Diagram, Element, ElementKind, ElementProps, Flow,
    Mitigation, MitigationStatus, Point, Privilege, Rating, Rect, Stride, Threat, ThreatModel,
    ThreatStatus, ThreatTarget, TrustBoundary,
};
pub use regen::{
    plan_regeneration, PlannedThreat, Regeneration, RegenerationCounts, RegenerationPlan,
};
pub use rules::{AppliesTo, Condition, Rule, RuleError, RuleSet, BUNDLED_RULE_FILES};
pub use session::{
    categories_for, SessionEntry, SessionError, SessionEvent, SessionState, SessionStep,
    ThreatSession,
};
pub use severity::{
    cvss31_base_score, cvss40_score, cvss_score, owasp_severity, CvssError, CvssScore, CvssVersion,
    Severity,
};
pub use validate::ThreatModelError;

//! Compliance matrices: control catalogs (frameworks), cross-framework
//! mappings with NIST IR 8477 set relationships, the matrix of controls by
//! repositories with implementation status and evidence, and the roll-ups
//! auditors ask for (coverage, gaps, stale or expired evidence).
//!
//! - [`catalog`]: frameworks and controls; the bundled catalogs are data in
//!   `models/catalogs/*.toml`, embedded at build time and parsed at start.
//! - [`mapping`]: relationships between controls of two frameworks.
//! - [`matrix`]: cells (one control in one repository) and evidence items.
//! - [`rollup`]: coverage per framework and per repository, following
//!   mappings with their strength; the gap list; evidence findings.

pub mod catalog;
pub mod mapping;
pub mod matrix;
pub mod rollup;

pub use catalog::{
    bundled_frameworks, parse_catalog_toml, Control, ControlRef, Framework, BUNDLED_CATALOG_FILES,
};
pub use mapping::{bundled_mappings, effective_mappings, Mapping, MappingOverride, Relationship};
pub use matrix::{Cell, Evidence, EvidenceKind, ImplementationStatus, ThreatLink};
pub use rollup::{
    evidence_findings, gaps, Coverage, CoverageReport, EvidenceFinding, FindingKind, Gap,
    MappedCredit, MatrixView,
};

use thiserror::Error;

/// What the compliance domain refuses: the thing, where, and why.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ComplianceError {
    #[error("{file}: {reason}")]
    Catalog { file: String, reason: String },
    #[error("mapping {source_ref} -> {target}: {reason}")]
    Mapping {
        source_ref: String,
        target: String,
        reason: String,
    },
    #[error("{control} in {repository}: {reason}")]
    Cell {
        control: String,
        repository: String,
        reason: String,
    },
}

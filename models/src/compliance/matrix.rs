//! The matrix: one [`Cell`] per control and repository that someone has
//! assessed. A control with no cell for a repository is "not assessed".

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use specta::Type;
use uuid::Uuid;

use super::catalog::ControlRef;
use super::ComplianceError;

/// The OSCAL implementation states.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type,
)]
#[serde(rename_all = "snake_case")]
pub enum ImplementationStatus {
    Implemented,
    Partial,
    Planned,
    Alternative,
    NotApplicable,
}

impl ImplementationStatus {
    pub const ALL: [ImplementationStatus; 5] = [
        ImplementationStatus::Implemented,
        ImplementationStatus::Partial,
        ImplementationStatus::Planned,
        ImplementationStatus::Alternative,
        ImplementationStatus::NotApplicable,
    ];

    /// The OSCAL token (`not-applicable` with a hyphen).
    pub fn oscal(self) -> &'static str {
        match self {
            ImplementationStatus::Implemented => "implemented",
            ImplementationStatus::Partial => "partial",
            ImplementationStatus::Planned => "planned",
            ImplementationStatus::Alternative => "alternative",
            ImplementationStatus::NotApplicable => "not-applicable",
        }
    }

    /// Reads an OSCAL token, also with `_` or spaces for `-`.
    pub fn parse(text: &str) -> Option<ImplementationStatus> {
        let norm = text.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        ImplementationStatus::ALL
            .into_iter()
            .find(|s| s.oscal() == norm)
    }

    /// How much of the control this state delivers: an alternative
    /// (compensating) implementation counts as met, partial as half.
    pub fn score(self) -> f64 {
        match self {
            ImplementationStatus::Implemented | ImplementationStatus::Alternative => 1.0,
            ImplementationStatus::Partial => 0.5,
            ImplementationStatus::Planned | ImplementationStatus::NotApplicable => 0.0,
        }
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type,
)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A URL (a dashboard, a ticket, a document).
    Link,
    /// A file kept with the workspace's evidence (path as given).
    File,
    /// A CI job or run (URL or `workflow/job`).
    CiJob,
    /// A written statement.
    Note,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 4] = [
        EvidenceKind::Link,
        EvidenceKind::File,
        EvidenceKind::CiJob,
        EvidenceKind::Note,
    ];

    pub fn label(self) -> &'static str {
        match self {
            EvidenceKind::Link => "link",
            EvidenceKind::File => "file",
            EvidenceKind::CiJob => "ci_job",
            EvidenceKind::Note => "note",
        }
    }

    pub fn parse(text: &str) -> Option<EvidenceKind> {
        let norm = text.trim().to_ascii_lowercase().replace('-', "_");
        EvidenceKind::ALL.into_iter().find(|k| k.label() == norm)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Evidence {
    pub id: Uuid,
    pub kind: EvidenceKind,
    pub title: String,
    /// URL, file path or CI job; for a note, its text.
    pub location: String,
    pub collected: NaiveDate,
    /// After this date the evidence no longer counts.
    pub expires: Option<NaiveDate>,
}

/// A threat mitigation (or a whole threat) that satisfies a control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ThreatLink {
    pub threat_model: String,
    pub threat_id: Uuid,
    /// The mitigation's title; empty when the threat as a whole is meant.
    pub mitigation: String,
}

/// One control in one repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Cell {
    pub control: ControlRef,
    pub repository: String,
    pub applicable: bool,
    /// Why the control does not apply here (required when not applicable).
    pub not_applicable_reason: String,
    /// `None`: applicable but not yet assessed.
    pub status: Option<ImplementationStatus>,
    pub owner: String,
    pub narrative: String,
    pub last_reviewed: Option<NaiveDate>,
    pub evidence: Vec<Evidence>,
    pub threats: Vec<ThreatLink>,
    /// Numbers of ADRs that satisfy the control.
    pub adrs: Vec<u32>,
}

impl Cell {
    /// A blank, applicable, not-assessed cell.
    pub fn new(control: ControlRef, repository: impl Into<String>) -> Cell {
        Cell {
            control,
            repository: repository.into(),
            applicable: true,
            not_applicable_reason: String::new(),
            status: None,
            owner: String::new(),
            narrative: String::new(),
            last_reviewed: None,
            evidence: Vec::new(),
            threats: Vec::new(),
            adrs: Vec::new(),
        }
    }

    /// The state roll-ups count: not-applicable when the cell does not apply.
    pub fn effective_status(&self) -> Option<ImplementationStatus> {
        if self.applicable {
            self.status
        } else {
            Some(ImplementationStatus::NotApplicable)
        }
    }

    /// Marks the cell not applicable, with the reason.
    pub fn set_not_applicable(&mut self, reason: impl Into<String>) {
        self.applicable = false;
        self.status = Some(ImplementationStatus::NotApplicable);
        self.not_applicable_reason = reason.into();
    }

    /// Sets a status; not-applicable needs a reason and makes the cell not
    /// applicable, any other state makes it applicable again.
    pub fn set_status(&mut self, status: ImplementationStatus) {
        self.status = Some(status);
        self.applicable = status != ImplementationStatus::NotApplicable;
        if self.applicable {
            self.not_applicable_reason.clear();
        }
    }

    pub fn validate(&self) -> Result<(), ComplianceError> {
        let err = |reason: String| ComplianceError::Cell {
            control: self.control.to_string(),
            repository: self.repository.clone(),
            reason,
        };
        crate::workspace::validate_repository_name(&self.repository)
            .map_err(|e| err(e.to_string()))?;
        if !self.applicable && self.not_applicable_reason.trim().is_empty() {
            return Err(err("a control that does not apply needs a reason".into()));
        }
        if !self.applicable
            && self
                .status
                .is_some_and(|s| s != ImplementationStatus::NotApplicable)
        {
            return Err(err(
                "a control that does not apply cannot have an implementation status".into(),
            ));
        }
        if self.applicable && self.status == Some(ImplementationStatus::NotApplicable) {
            return Err(err(
                "status not-applicable needs the cell marked not applicable, with a reason".into(),
            ));
        }
        let mut ids = std::collections::HashSet::new();
        for e in &self.evidence {
            let what = if e.title.is_empty() {
                &e.location
            } else {
                &e.title
            };
            if e.location.trim().is_empty() {
                return Err(err(format!(
                    "evidence \"{what}\" has no {}",
                    if e.kind == EvidenceKind::Note {
                        "text"
                    } else {
                        "location"
                    }
                )));
            }
            if e.expires.is_some_and(|x| x < e.collected) {
                return Err(err(format!(
                    "evidence \"{what}\" expires before it was collected"
                )));
            }
            if !ids.insert(e.id) {
                return Err(err(format!("evidence id {} is used twice", e.id)));
            }
        }
        Ok(())
    }
}

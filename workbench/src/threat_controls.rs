//! Links between threats and the compliance controls they satisfy, seen
//! from the threat's side. The link itself lives on the matrix cell
//! (`Cell::threats`), so the compliance matrix stays the single record of
//! what satisfies a control; this module reads it in reverse and edits it
//! through the same revisioned cell saves.

use plasma_models::compliance::{ImplementationStatus, ThreatLink};
use plasma_storage::CellSave;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::compliance::{CellUpdate, ThreatRef};
use crate::{Result, Workbench, WorkbenchError};

/// One control × repository that a threat (or one of its mitigations)
/// satisfies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ThreatControlLink {
    /// `framework:control`.
    pub control: String,
    pub title: String,
    pub repository: String,
    pub status: Option<ImplementationStatus>,
    /// The mitigation's title; empty when the threat as a whole is meant.
    pub mitigation: String,
}

/// Names a threat and a control to link or unlink.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ThreatControlEdit {
    /// Threat model name or id.
    pub model: String,
    /// Threat id or its first 8 hex digits.
    pub threat: String,
    /// A mitigation title of the threat, or empty for the whole threat.
    pub mitigation: String,
    /// `framework:control`, or a control id unique among the frameworks.
    pub control: String,
    /// Empty: every repository of the workspace.
    pub repositories: Vec<String>,
}

impl Workbench {
    /// The controls that link the threat, sorted by control then repository.
    pub async fn threat_control_links(
        &self,
        model: &str,
        threat: &str,
    ) -> Result<Vec<ThreatControlLink>> {
        let snap = self.compliance_snapshot().await?;
        let link = self
            .resolve_threat(
                snap.workspace.id,
                &ThreatRef {
                    model: model.into(),
                    threat: threat.into(),
                    mitigation: String::new(),
                },
            )
            .await?;
        let mut out = Vec::new();
        for stored in &snap.cells {
            let cell = &stored.cell;
            for t in cell
                .threats
                .iter()
                .filter(|t| t.threat_id == link.threat_id)
            {
                let title = snap
                    .frameworks
                    .iter()
                    .find(|f| f.id == cell.control.framework)
                    .and_then(|f| f.control(&cell.control.control))
                    .map(|c| c.title.clone())
                    .unwrap_or_default();
                out.push(ThreatControlLink {
                    control: cell.control.to_string(),
                    title,
                    repository: cell.repository.clone(),
                    status: cell.effective_status(),
                    mitigation: t.mitigation.clone(),
                });
            }
        }
        out.sort_by(|a, b| {
            (&a.control, &a.repository, &a.mitigation).cmp(&(
                &b.control,
                &b.repository,
                &b.mitigation,
            ))
        });
        Ok(out)
    }

    /// Records that the threat (or mitigation) satisfies the control in the
    /// repositories named; one revisioned save per cell, in one transaction.
    pub async fn link_threat_control(
        &self,
        edit: &ThreatControlEdit,
    ) -> Result<Vec<ThreatControlLink>> {
        self.update_cells(&CellUpdate {
            controls: vec![edit.control.clone()],
            repositories: edit.repositories.clone(),
            threats: vec![ThreatRef {
                model: edit.model.clone(),
                threat: edit.threat.clone(),
                mitigation: edit.mitigation.clone(),
            }],
            ..CellUpdate::default()
        })
        .await?;
        self.threat_control_links(&edit.model, &edit.threat).await
    }

    /// Removes the link from the control's cells in the repositories named.
    /// Refused, changing nothing, when no such link exists.
    pub async fn unlink_threat_control(
        &self,
        edit: &ThreatControlEdit,
    ) -> Result<Vec<ThreatControlLink>> {
        let snap = self.compliance_snapshot().await?;
        let control = snap.resolve_control(&edit.control)?;
        let wanted: ThreatLink = self
            .resolve_threat(
                snap.workspace.id,
                &ThreatRef {
                    model: edit.model.clone(),
                    threat: edit.threat.clone(),
                    mitigation: edit.mitigation.clone(),
                },
            )
            .await?;
        let repos: Vec<&str> = edit.repositories.iter().map(|r| r.trim()).collect();
        let saves: Vec<CellSave> = snap
            .cells
            .iter()
            .filter(|s| s.cell.control == control)
            .filter(|s| repos.is_empty() || repos.contains(&s.cell.repository.as_str()))
            .filter(|s| s.cell.threats.contains(&wanted))
            .map(|s| {
                let mut cell = s.cell.clone();
                cell.threats.retain(|t| *t != wanted);
                CellSave {
                    cell,
                    expected_revision: s.revision,
                }
            })
            .collect();
        if saves.is_empty() {
            return Err(WorkbenchError::NotFound(format!(
                "control {control} does not link this threat{} in {}",
                if wanted.mitigation.is_empty() {
                    String::new()
                } else {
                    format!(" (mitigation \"{}\")", wanted.mitigation)
                },
                if repos.is_empty() {
                    "any repository".to_string()
                } else {
                    repos.join(", ")
                }
            )));
        }
        self.store.save_cells(snap.workspace.id, &saves).await?;
        self.threat_control_links(&edit.model, &edit.threat).await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use plasma_models::threat::{Rating, Stride, ThreatTarget};

    use super::*;
    use crate::threat_edit::tests::bench_with_model;
    use crate::{ErrorCode, NewThreat};

    /// A demo workspace with a model "Checkout" holding one user threat.
    async fn bench_with_threat() -> (tempfile::TempDir, Workbench, String) {
        let (dir, wb, saved, api_id) = bench_with_model().await;
        let added = wb
            .add_threat(
                saved.model.id,
                saved.revision,
                NewThreat {
                    title: "Forged session token".into(),
                    category: Stride::Spoofing,
                    target: ThreatTarget::Element(api_id),
                    description: String::new(),
                    likelihood: Rating::High,
                    impact: Rating::High,
                },
            )
            .await
            .unwrap();
        let id = added.model.threats.last().unwrap().id.to_string();
        (dir, wb, id)
    }

    fn edit(threat: &str, control: &str, repos: &[&str]) -> ThreatControlEdit {
        ThreatControlEdit {
            model: "Checkout".into(),
            threat: threat.into(),
            mitigation: String::new(),
            control: control.into(),
            repositories: repos.iter().map(|r| r.to_string()).collect(),
        }
    }

    #[tokio::test]
    async fn link_shows_on_both_sides_and_unlink_removes_only_that_link() {
        let (_dir, wb, threat) = bench_with_threat().await;
        assert!(wb
            .threat_control_links("Checkout", &threat)
            .await
            .unwrap()
            .is_empty());

        let gateway = "plasma-engine-gateway";
        let agent = "plasma-engine-agent";
        let links = wb
            .link_threat_control(&edit(&threat, "plasma-sdlc:SDLC-06", &[gateway, agent]))
            .await
            .unwrap();
        let seen: Vec<_> = links
            .iter()
            .map(|l| (l.control.as_str(), l.repository.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                ("plasma-sdlc:SDLC-06", agent),
                ("plasma-sdlc:SDLC-06", gateway)
            ],
            "{links:?}"
        );
        assert!(!links[0].title.is_empty());

        // The matrix cell records the same link (the compliance side).
        let view = wb.compliance_control("plasma-sdlc:SDLC-06").await.unwrap();
        let json = serde_json::to_string(&view).unwrap();
        assert!(json.contains(&threat), "{json}");

        let after = wb
            .unlink_threat_control(&edit(&threat[..8], "SDLC-06", &[agent]))
            .await
            .unwrap();
        assert_eq!(after.len(), 1);
        assert_eq!(after[0].repository, gateway);

        // Unlinking what is not linked is refused and changes nothing.
        let err = wb
            .unlink_threat_control(&edit(&threat, "SDLC-06", &[agent]))
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::NotFound);
        assert!(err.to_string().contains("does not link"), "{err}");
        assert_eq!(
            wb.threat_control_links("Checkout", &threat)
                .await
                .unwrap()
                .len(),
            1
        );

        // An unknown control is named in the error.
        let err = wb
            .link_threat_control(&edit(&threat, "sdlc:NOPE-1", &[]))
            .await
            .unwrap_err();
        assert!(err.to_string().contains("NOPE-1"), "{err}");
    }
}

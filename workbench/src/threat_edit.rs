//! Editing threat models from a shell: create, rename, delete, and the
//! decisions people take about single threats (status, acceptance,
//! severity override, mitigations, linked ADRs) or threats they add by
//! hand. Every change names the revision it was based on, so a stale edit
//! is refused with code `conflict` and nothing is lost.

use std::collections::HashSet;

use chrono::Utc;
use plasma_models::threat::{
    cvss_score, Diagram, Mitigation, Rating, Severity, Stride, Threat, ThreatModel, ThreatStatus,
    ThreatTarget,
};
use plasma_storage::StoredThreatModel;
use serde::{Deserialize, Serialize};
use specta::Type;
use uuid::Uuid;

use crate::{Result, Workbench, WorkbenchError};

/// What a user decides about one threat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ThreatEdit {
    pub status: ThreatStatus,
    pub severity_override: Option<Severity>,
    /// A CVSS 3.1 or 4.0 vector; blank clears it.
    pub cvss: Option<String>,
    pub notes: String,
    /// A mitigation with the nil id gets a fresh one.
    pub mitigations: Vec<Mitigation>,
    pub linked_adrs: Vec<u32>,
}

/// A threat a user writes by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct NewThreat {
    pub title: String,
    pub category: Stride,
    pub target: ThreatTarget,
    pub description: String,
    pub likelihood: Rating,
    pub impact: Rating,
}

fn invalid(message: String) -> WorkbenchError {
    WorkbenchError::Invalid(message)
}

/// Checks a user's threat from the shell and turns it into a [`Threat`].
pub(crate) fn new_threat(model: &ThreatModel, new: NewThreat) -> Result<Threat> {
    let title = new.title.trim();
    if title.is_empty() {
        return Err(invalid("a threat needs a title".into()));
    }
    if model.target_name(&new.target).is_none() {
        return Err(invalid(format!(
            "threat \"{title}\": {} is not an element or flow of threat model \"{}\"",
            new.target.id(),
            model.name
        )));
    }
    let mut threat = Threat::manual(title, new.category, new.target, new.likelihood, new.impact);
    threat.description = new.description.trim().to_string();
    Ok(threat)
}

/// Applies `edit` to `threat` after checking it; `threat` is unchanged on error.
fn apply_edit(threat: &mut Threat, edit: ThreatEdit, known_adrs: &HashSet<u32>) -> Result<()> {
    let what = format!("threat \"{}\"", threat.title);
    if let ThreatStatus::Accepted {
        justification,
        expires,
    } = &edit.status
    {
        if justification.trim().is_empty() {
            return Err(invalid(format!(
                "{what}: accepting a risk needs a justification"
            )));
        }
        let today = Utc::now().date_naive();
        if *expires < today {
            return Err(invalid(format!(
                "{what}: the acceptance would expire on {expires}, which is in the past"
            )));
        }
    }
    let cvss = edit
        .cvss
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty());
    if let Some(vector) = &cvss {
        cvss_score(vector)
            .map_err(|e| invalid(format!("{what}: CVSS vector \"{vector}\": {e}")))?;
    }
    let mut mitigations = Vec::with_capacity(edit.mitigations.len());
    let mut ids = HashSet::new();
    for (i, mut m) in edit.mitigations.into_iter().enumerate() {
        m.title = m.title.trim().to_string();
        if m.title.is_empty() {
            return Err(invalid(format!(
                "{what}: mitigation {} needs a title",
                i + 1
            )));
        }
        m.owner = m
            .owner
            .map(|o| o.trim().to_string())
            .filter(|o| !o.is_empty());
        if m.id.is_nil() || !ids.insert(m.id) {
            m.id = Uuid::new_v4();
            ids.insert(m.id);
        }
        mitigations.push(m);
    }
    let mut adrs = edit.linked_adrs;
    adrs.sort_unstable();
    adrs.dedup();
    if let Some(missing) = adrs.iter().find(|n| !known_adrs.contains(n)) {
        return Err(invalid(format!(
            "{what}: ADR {missing} does not exist in this workspace"
        )));
    }
    threat.status = edit.status;
    threat.severity_override = edit.severity_override;
    threat.cvss = cvss;
    threat.notes = edit.notes;
    threat.mitigations = mitigations;
    threat.linked_adrs = adrs;
    Ok(())
}

fn clean_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(invalid("a threat model needs a name".into()));
    }
    Ok(name.to_string())
}

impl Workbench {
    /// A new, empty model in the current workspace with one diagram.
    pub async fn create_threat_model(&self, name: &str) -> Result<StoredThreatModel> {
        let ws = self.current_workspace().await?;
        let mut model = ThreatModel::new(ws.id, clean_name(name)?);
        model.diagrams.push(Diagram::new("Main"));
        Ok(self.store().create_threat_model(&model).await?)
    }

    pub async fn rename_threat_model(
        &self,
        id: Uuid,
        expected_revision: u32,
        name: &str,
    ) -> Result<StoredThreatModel> {
        let current = self.store().get_threat_model(id).await?;
        let mut model = current.model;
        model.name = clean_name(name)?;
        Ok(self
            .store()
            .save_threat_model_as(id, expected_revision, &model, Some("renamed"))
            .await?)
    }

    /// Deletes a model of the current workspace with its history and sessions.
    pub async fn delete_threat_model(&self, id: Uuid) -> Result<()> {
        let ws = self.current_workspace().await?;
        let stored = self.store().get_threat_model(id).await?;
        if stored.model.workspace_id != ws.id {
            return Err(WorkbenchError::NotFound(format!(
                "threat model {id} is not in the current workspace"
            )));
        }
        Ok(self.store().delete_threat_model(id).await?)
    }

    /// Records a user's decision about one threat.
    pub async fn update_threat(
        &self,
        model_id: Uuid,
        expected_revision: u32,
        threat_id: Uuid,
        edit: ThreatEdit,
    ) -> Result<StoredThreatModel> {
        let current = self.store().get_threat_model(model_id).await?;
        let mut model = current.model;
        let model_name = model.name.clone();
        let known: HashSet<u32> = if edit.linked_adrs.is_empty() {
            HashSet::new()
        } else {
            self.store()
                .list_adrs(model.workspace_id)
                .await?
                .iter()
                .map(|a| a.number)
                .collect()
        };
        let threat = model
            .threats
            .iter_mut()
            .find(|t| t.id == threat_id)
            .ok_or_else(|| {
                WorkbenchError::NotFound(format!(
                    "threat {threat_id} is not part of threat model \"{model_name}\""
                ))
            })?;
        apply_edit(threat, edit, &known)?;
        let summary = format!("threat \"{}\"", threat.title);
        Ok(self
            .store()
            .save_threat_model_as(model_id, expected_revision, &model, Some(&summary))
            .await?)
    }

    /// Adds a threat no rule suggested.
    pub async fn add_threat(
        &self,
        model_id: Uuid,
        expected_revision: u32,
        new: NewThreat,
    ) -> Result<StoredThreatModel> {
        let current = self.store().get_threat_model(model_id).await?;
        let mut model = current.model;
        let threat = new_threat(&model, new)?;
        let summary = format!("added threat \"{}\"", threat.title);
        model.threats.push(threat);
        Ok(self
            .store()
            .save_threat_model_as(model_id, expected_revision, &model, Some(&summary))
            .await?)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::{Duration, NaiveDate};
    use plasma_models::threat::{Element, ElementKind, MitigationStatus};

    use super::*;

    /// A demo workspace with a model "Checkout" holding one process, "API".
    pub(crate) async fn bench_with_model() -> (tempfile::TempDir, Workbench, StoredThreatModel, Uuid)
    {
        let dir = tempfile::tempdir().unwrap();
        let wb = Workbench::open(&dir.path().join("p.db")).await.unwrap();
        wb.ensure_demo_workspace().await.unwrap();
        let created = wb.create_threat_model("Checkout").await.unwrap();
        let mut model = created.model.clone();
        let api = Element::new(ElementKind::Process, "API");
        let api_id = api.id;
        model.diagrams[0].elements.push(api);
        let saved = wb
            .save_threat_model(model.id, created.revision, &model)
            .await
            .unwrap();
        (dir, wb, saved, api_id)
    }

    fn edit() -> ThreatEdit {
        ThreatEdit {
            status: ThreatStatus::Open,
            severity_override: None,
            cvss: None,
            notes: String::new(),
            mitigations: vec![],
            linked_adrs: vec![],
        }
    }

    #[tokio::test]
    async fn add_then_mitigate_accept_and_refuse_bad_edits() {
        let (_dir, wb, stored, api) = bench_with_model().await;
        assert_eq!(stored.model.diagrams.len(), 1);
        let new = NewThreat {
            title: "  Replay of signed requests ".into(),
            category: Stride::Spoofing,
            target: ThreatTarget::Element(api),
            description: String::new(),
            likelihood: Rating::High,
            impact: Rating::Medium,
        };
        let added = wb
            .add_threat(stored.model.id, stored.revision, new.clone())
            .await
            .unwrap();
        let threat = added.model.threats.last().unwrap().clone();
        assert_eq!(threat.title, "Replay of signed requests");
        assert!(!threat.is_generated());

        // A stale revision is a conflict and changes nothing.
        let stale = wb
            .add_threat(stored.model.id, stored.revision, new)
            .await
            .unwrap_err();
        assert_eq!(stale.code(), crate::ErrorCode::Conflict);

        let mut e = edit();
        e.status = ThreatStatus::Mitigated;
        e.mitigations = vec![Mitigation {
            id: Uuid::nil(),
            title: "Nonce per request".into(),
            status: MitigationStatus::Done,
            owner: Some(" ana ".into()),
        }];
        e.cvss = Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into());
        let mitigated = wb
            .update_threat(added.model.id, added.revision, threat.id, e)
            .await
            .unwrap();
        let t = mitigated
            .model
            .threats
            .iter()
            .find(|t| t.id == threat.id)
            .unwrap();
        assert_eq!(t.status, ThreatStatus::Mitigated);
        assert!(!t.mitigations[0].id.is_nil());
        assert_eq!(t.mitigations[0].owner.as_deref(), Some("ana"));

        let bad = [
            ThreatEdit {
                status: ThreatStatus::Accepted {
                    justification: " ".into(),
                    expires: NaiveDate::from_ymd_opt(2999, 1, 1).unwrap(),
                },
                ..edit()
            },
            ThreatEdit {
                status: ThreatStatus::Accepted {
                    justification: "legacy".into(),
                    expires: Utc::now().date_naive() - Duration::days(1),
                },
                ..edit()
            },
            ThreatEdit {
                cvss: Some("CVSS:3.1/AV:Q".into()),
                ..edit()
            },
            ThreatEdit {
                cvss: Some("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N".into()),
                ..edit()
            },
            ThreatEdit {
                linked_adrs: vec![9999],
                ..edit()
            },
        ];
        for e in bad {
            let err = wb
                .update_threat(mitigated.model.id, mitigated.revision, threat.id, e)
                .await
                .unwrap_err();
            assert_eq!(err.code(), crate::ErrorCode::Invalid, "{err}");
        }
        let after = wb.get_threat_model("Checkout").await.unwrap();
        assert_eq!(
            after.revision, mitigated.revision,
            "refused edits write nothing"
        );

        let accepted = wb
            .update_threat(
                after.model.id,
                after.revision,
                threat.id,
                ThreatEdit {
                    status: ThreatStatus::Accepted {
                        justification: "Internal only until Q3".into(),
                        expires: NaiveDate::from_ymd_opt(2999, 1, 1).unwrap(),
                    },
                    linked_adrs: vec![1],
                    ..edit()
                },
            )
            .await
            .unwrap();
        let t = accepted
            .model
            .threats
            .iter()
            .find(|t| t.id == threat.id)
            .unwrap();
        assert!(matches!(t.status, ThreatStatus::Accepted { .. }));
        assert_eq!(t.linked_adrs, vec![1]);

        let v40 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P";
        let err = wb
            .update_threat(
                accepted.model.id,
                accepted.revision,
                threat.id,
                ThreatEdit {
                    cvss: Some(v40.replace("E:P", "E:Z")),
                    ..edit()
                },
            )
            .await
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("metric E (Exploit Maturity) cannot be \"Z\" (expected X, A, P or U)"),
            "{err}"
        );
        let scored = wb
            .update_threat(
                accepted.model.id,
                accepted.revision,
                threat.id,
                ThreatEdit {
                    cvss: Some(format!(" {v40} ")),
                    ..edit()
                },
            )
            .await
            .unwrap();
        let t = scored
            .model
            .threats
            .iter()
            .find(|t| t.id == threat.id)
            .unwrap();
        assert_eq!(t.cvss.as_deref(), Some(v40));
    }

    #[tokio::test]
    async fn create_rename_delete() {
        let (_dir, wb, stored, _) = bench_with_model().await;
        let err = wb.create_threat_model(" ").await.unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::Invalid);
        let err = wb.create_threat_model("checkout").await.unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::Invalid, "{err}");
        let renamed = wb
            .rename_threat_model(stored.model.id, stored.revision, "Checkout v2")
            .await
            .unwrap();
        assert_eq!(renamed.model.name, "Checkout v2");
        wb.delete_threat_model(stored.model.id).await.unwrap();
        let left = wb.list_threat_models().await.unwrap();
        assert!(left.iter().all(|m| m.id != stored.model.id), "{left:?}");
    }
}

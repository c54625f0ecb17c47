//! Roadmap operations: initiatives with dependencies, the plan (order,
//! critical path, slack), the secure-SDLC gates and the exports.
//!
//! Gate evidence is what this workspace holds: ADRs with their status,
//! threat models and how many review sessions ended on each, and the
//! compliance matrix cells of every control an initiative references.
//! A threat model counts as reviewed once a threat session on it has ended;
//! a gate is never reported met without evidence.
//!
//! An initiative names a control as `framework:control` (`soc2:CC6.1`), as
//! a bare control id unique among the frameworks, or in the
//! `FRAMEWORK-CONTROL` form (`SOC2-CC6.1`, `ISO27001-A.8.24`) where the
//! prefix is a framework id or the start of one; a reference that resolves
//! to no control counts as missing.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};
use plasma_exports::roadmap::csv::roadmap_csv;
use plasma_exports::roadmap::markdown::roadmap_markdown;
use plasma_exports::roadmap::{gantt, RoadmapView, GITHUB_LIMITS};
use plasma_models::compliance::{ControlRef, ImplementationStatus};
use plasma_models::roadmap::{
    evaluate, AdrEvidence, ControlEvidence, Evidence, GateResult, Initiative, Plan, Readiness,
    RepositoryImplementation, RoadmapError, ScheduledItem, ThreatModelEvidence,
};
use plasma_models::slug::slugify;
use plasma_models::threat::session::SessionState;
use plasma_storage::{RevisionSummary, StoredInitiative};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::compliance::MatrixSnapshot;
use crate::threats::write_atomic;
use crate::{Result, Workbench, WorkbenchError};

/// One initiative as the roadmap list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct InitiativeRow {
    pub initiative: Initiative,
    pub revision: u32,
    /// Position in the plan's topological order, from 1.
    pub order: u32,
    pub schedule: ScheduledItem,
    /// Calendar start and finish (see [`RoadmapView::dates`]).
    pub start: NaiveDate,
    pub finish: NaiveDate,
    pub readiness: Readiness,
}

/// The whole roadmap: rows in plan order and the plan itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct RoadmapOverview {
    pub start: NaiveDate,
    pub rows: Vec<InitiativeRow>,
    pub critical_path: Vec<String>,
    /// Days on the critical path (by estimates).
    pub duration: u32,
    pub edges: Vec<(String, String)>,
}

/// `plasma roadmap check`'s verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct RoadmapCheck {
    /// The plan's problem (a cycle with its path, an unknown dependency),
    /// if any. The store refuses these, so it is only set for damaged data.
    pub plan_error: Option<String>,
    pub cycle: Option<Vec<String>>,
    /// Initiatives with unmet gates, in plan order.
    pub unmet: Vec<UnmetGates>,
}

impl RoadmapCheck {
    pub fn passed(&self) -> bool {
        self.plan_error.is_none() && self.unmet.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct UnmetGates {
    pub key: String,
    pub title: String,
    pub gates: Vec<GateResult>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum RoadmapFormat {
    Md,
    Mermaid,
    Csv,
}

impl std::str::FromStr for RoadmapFormat {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(RoadmapFormat::Md),
            "mermaid" | "mmd" | "gantt" => Ok(RoadmapFormat::Mermaid),
            "csv" => Ok(RoadmapFormat::Csv),
            other => Err(format!(
                "unknown roadmap format \"{other}\" (md, mermaid, csv)"
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct RoadmapExport {
    /// Files written, in order.
    pub files: Vec<String>,
}

fn roadmap_error(e: RoadmapError) -> WorkbenchError {
    WorkbenchError::Store(plasma_storage::StoreError::Roadmap(e))
}

/// Day 0 of the plan: the earliest own start or target quarter of any
/// initiative, else today.
pub(crate) fn plan_start(initiatives: &[Initiative]) -> NaiveDate {
    initiatives
        .iter()
        .filter_map(|i| {
            i.start
                .or_else(|| i.quarter().ok().flatten().map(|q| q.first_day()))
        })
        .min()
        .unwrap_or_else(|| Utc::now().date_naive())
}

/// The control an initiative's reference names, if exactly one (see the
/// module docs for the accepted forms).
fn resolve_initiative_control(snapshot: &MatrixSnapshot, reference: &str) -> Option<ControlRef> {
    if let Ok(found) = snapshot.resolve_control(reference) {
        return Some(found);
    }
    let (prefix, control) = reference.trim().split_once('-')?;
    let prefix = prefix.to_ascii_lowercase();
    let mut found: Vec<ControlRef> = snapshot
        .frameworks
        .iter()
        .filter(|f| f.id == prefix || f.id.starts_with(&format!("{prefix}-")))
        .filter(|f| f.control(control).is_some())
        .map(|f| ControlRef::new(&f.id, control))
        .collect();
    (found.len() == 1).then(|| found.remove(0))
}

/// Evidence for each control the initiatives reference: its title and its
/// implementation status per repository from the matrix.
fn control_evidence(snapshot: &MatrixSnapshot, initiatives: &[Initiative]) -> Vec<ControlEvidence> {
    let mut references: Vec<&str> = initiatives
        .iter()
        .flat_map(|i| i.controls.iter().map(String::as_str))
        .collect();
    references.sort_unstable();
    references.dedup();
    references
        .into_iter()
        .filter_map(|reference| {
            let control = resolve_initiative_control(snapshot, reference)?;
            let title = snapshot
                .framework(&control.framework)
                .ok()
                .and_then(|f| f.control(&control.control))
                .map_or_else(|| control.to_string(), |c| format!("{control} {}", c.title));
            let repositories = snapshot
                .cells
                .iter()
                .filter(|c| c.cell.control == control)
                .filter_map(|c| {
                    let status = if c.cell.applicable {
                        c.cell.status?
                    } else {
                        ImplementationStatus::NotApplicable
                    };
                    Some(RepositoryImplementation {
                        repository: c.cell.repository.clone(),
                        status,
                    })
                })
                .collect();
            Some(ControlEvidence {
                id: reference.to_string(),
                title,
                repositories,
            })
        })
        .collect()
}

impl Workbench {
    /// What the gates are checked against (see the module docs).
    pub async fn gate_evidence(&self) -> Result<Evidence> {
        let ws = self.current_workspace().await?;
        let initiatives: Vec<Initiative> = self
            .stored_initiatives()
            .await?
            .into_iter()
            .map(|s| s.initiative)
            .collect();
        let snapshot = self.compliance_snapshot().await?;
        let adrs = self.store().list_adrs(ws.id).await?;
        let models = self.store().list_threat_models(ws.id).await?;
        let mut ended = Vec::with_capacity(models.len());
        for m in &models {
            let sessions = self.store().list_threat_sessions(m.model.id).await?;
            let n = sessions
                .iter()
                .filter(|s| s.session.state == SessionState::Ended)
                .count();
            ended.push(u32::try_from(n).unwrap_or(u32::MAX));
        }
        Ok(Evidence {
            adrs: adrs
                .iter()
                .map(|a| AdrEvidence {
                    number: a.number,
                    title: a.title.clone(),
                    status: a.status.label().to_string(),
                })
                .collect(),
            threat_models: models
                .iter()
                .zip(ended)
                .map(|(m, ended_sessions)| ThreatModelEvidence {
                    id: m.model.id.to_string(),
                    name: m.model.name.clone(),
                    ended_sessions,
                })
                .collect(),
            controls: control_evidence(&snapshot, &initiatives),
        })
    }

    async fn stored_initiatives(&self) -> Result<Vec<StoredInitiative>> {
        let ws = self.current_workspace().await?;
        Ok(self.store().list_initiatives(ws.id).await?)
    }

    /// The roadmap view every export and the overview use. `start` defaults
    /// to [`plan_start`].
    pub async fn roadmap_view(&self, start: Option<NaiveDate>) -> Result<RoadmapView> {
        let ws = self.current_workspace().await?;
        let stored = self.stored_initiatives().await?;
        let initiatives: Vec<Initiative> = stored.into_iter().map(|s| s.initiative).collect();
        let evidence = self.gate_evidence().await?;
        let start = start.unwrap_or_else(|| plan_start(&initiatives));
        RoadmapView::new(
            format!("{} roadmap", ws.name),
            &initiatives,
            |i| evaluate(i, &evidence),
            start,
        )
        .map_err(roadmap_error)
    }

    pub async fn roadmap_overview(&self) -> Result<RoadmapOverview> {
        let stored = self.stored_initiatives().await?;
        let view = self.roadmap_view(None).await?;
        let dates = view.dates();
        let rows = view
            .initiatives
            .iter()
            .enumerate()
            .map(|(idx, it)| InitiativeRow {
                initiative: it.clone(),
                revision: stored
                    .iter()
                    .find(|s| s.initiative.id == it.id)
                    .map_or(1, |s| s.revision),
                order: idx as u32 + 1,
                schedule: view.plan.items[idx].clone(),
                start: dates[idx].0,
                finish: dates[idx].1,
                readiness: view.readiness[idx].clone(),
            })
            .collect();
        Ok(RoadmapOverview {
            start: view.start,
            rows,
            critical_path: view.plan.critical_path.clone(),
            duration: view.plan.duration,
            edges: view.plan.edges.clone(),
        })
    }

    /// A new initiative of the current workspace (not stored yet). The key
    /// defaults to the slug of the title.
    pub async fn draft_initiative(&self, key: Option<&str>, title: &str) -> Result<Initiative> {
        let ws = self.current_workspace().await?;
        let key = match key {
            Some(k) => k.trim().to_string(),
            None => {
                let mut k = slugify(title);
                k.truncate(64);
                k.trim_end_matches('-').to_string()
            }
        };
        Ok(Initiative::new(ws.id, key, title.trim()))
    }

    pub async fn add_initiative(&self, initiative: &Initiative) -> Result<StoredInitiative> {
        let ws = self.current_workspace().await?;
        if initiative.workspace_id != ws.id {
            return Err(WorkbenchError::Invalid(
                "the initiative belongs to another workspace".into(),
            ));
        }
        Ok(self.store().create_initiative(initiative).await?)
    }

    /// Drafts and stores a new initiative in one call (the app's "Add").
    pub async fn create_initiative(
        &self,
        key: Option<&str>,
        title: &str,
    ) -> Result<StoredInitiative> {
        let draft = self.draft_initiative(key, title).await?;
        self.add_initiative(&draft).await
    }

    pub async fn get_initiative(&self, key: &str) -> Result<StoredInitiative> {
        let ws = self.current_workspace().await?;
        self.store()
            .get_initiative(ws.id, key)
            .await
            .map_err(|e| match e {
                plasma_storage::StoreError::NotFound { .. } => WorkbenchError::NotFound(format!(
                    "no initiative \"{key}\" in this workspace (see `plasma roadmap list`)"
                )),
                other => other.into(),
            })
    }

    /// Saves an edit (optimistic concurrency: a stale `expected_revision` is
    /// refused with code `conflict`; a cycle with code `cycle`).
    pub async fn save_initiative(
        &self,
        expected_revision: u32,
        initiative: &Initiative,
    ) -> Result<StoredInitiative> {
        Ok(self
            .store()
            .save_initiative(expected_revision, initiative)
            .await?)
    }

    /// Makes `key` depend on `on`; refused with its path if that closes a
    /// cycle.
    pub async fn add_dependency(&self, key: &str, on: &str) -> Result<StoredInitiative> {
        let stored = self.get_initiative(key).await?;
        let target = self.get_initiative(on).await?;
        let mut next = stored.initiative.clone();
        if next.depends_on.contains(&target.initiative.key) {
            return Ok(stored);
        }
        next.depends_on.push(target.initiative.key.clone());
        self.save_initiative(stored.revision, &next).await
    }

    pub async fn remove_dependency(&self, key: &str, on: &str) -> Result<StoredInitiative> {
        let stored = self.get_initiative(key).await?;
        let mut next = stored.initiative.clone();
        let before = next.depends_on.len();
        next.depends_on.retain(|d| !d.eq_ignore_ascii_case(on));
        if next.depends_on.len() == before {
            return Err(WorkbenchError::NotFound(format!(
                "\"{}\" does not depend on \"{on}\"",
                next.key
            )));
        }
        self.save_initiative(stored.revision, &next).await
    }

    pub async fn remove_initiative(&self, key: &str) -> Result<()> {
        let ws = self.current_workspace().await?;
        let stored = self.get_initiative(key).await?;
        Ok(self
            .store()
            .delete_initiative(ws.id, stored.initiative.id)
            .await?)
    }

    pub async fn initiative_history(&self, key: &str) -> Result<Vec<RevisionSummary>> {
        let stored = self.get_initiative(key).await?;
        Ok(self
            .store()
            .list_initiative_revisions(stored.initiative.id)
            .await?)
    }

    /// Cycles and unmet gates: what `plasma roadmap check` fails on.
    pub async fn check_roadmap(&self) -> Result<RoadmapCheck> {
        let stored = self.stored_initiatives().await?;
        let initiatives: Vec<Initiative> = stored.into_iter().map(|s| s.initiative).collect();
        let (plan_error, cycle) = match Plan::build(&initiatives) {
            Ok(_) => (None, None),
            Err(RoadmapError::Cycle { path }) => (
                Some(RoadmapError::Cycle { path: path.clone() }.to_string()),
                Some(path),
            ),
            Err(e) => (Some(e.to_string()), None),
        };
        let evidence = self.gate_evidence().await?;
        let order: Vec<Initiative> = match Plan::build(&initiatives) {
            Ok(plan) => plan
                .order
                .iter()
                .filter_map(|k| initiatives.iter().find(|i| &i.key == k).cloned())
                .collect(),
            Err(_) => initiatives,
        };
        let unmet = order
            .iter()
            .filter_map(|i| {
                let r = evaluate(i, &evidence);
                let gates: Vec<GateResult> = r.unmet().cloned().collect();
                (!gates.is_empty()).then(|| UnmetGates {
                    key: i.key.clone(),
                    title: i.title.clone(),
                    gates,
                })
            })
            .collect();
        Ok(RoadmapCheck {
            plan_error,
            cycle,
            unmet,
        })
    }

    /// Writes the roadmap to `out`. Mermaid: one `.mmd` file per diagram
    /// (`out`, then `out-2.mmd`...) when GitHub's limits force a split.
    pub async fn export_roadmap(
        &self,
        format: RoadmapFormat,
        out: &Path,
        start: Option<NaiveDate>,
    ) -> Result<RoadmapExport> {
        let view = self.roadmap_view(start).await?;
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| WorkbenchError::io(parent, e))?;
        }
        let files: Vec<(PathBuf, String)> = match format {
            RoadmapFormat::Md => vec![(out.to_path_buf(), roadmap_markdown(&view, GITHUB_LIMITS))],
            RoadmapFormat::Csv => vec![(out.to_path_buf(), roadmap_csv(&view))],
            RoadmapFormat::Mermaid => {
                let stem = out
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "roadmap".into());
                let ext = out
                    .extension()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "mmd".into());
                gantt(&view, GITHUB_LIMITS)
                    .into_iter()
                    .enumerate()
                    .map(|(i, d)| {
                        let path = if i == 0 {
                            out.to_path_buf()
                        } else {
                            out.with_file_name(format!("{stem}-{}.{ext}", i + 1))
                        };
                        (path, d)
                    })
                    .collect()
            }
        };
        let mut written = Vec::new();
        for (path, text) in files {
            write_atomic(&path, &text)?;
            written.push(path.display().to_string());
        }
        Ok(RoadmapExport { files: written })
    }
}

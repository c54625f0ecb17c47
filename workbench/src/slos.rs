//! SLO operations: list with error budgets, edit, import (OpenSLO, Sloth)
//! and export (OpenSLO v1, Sloth prometheus/v1), and the program's DORA
//! targets.

use std::path::{Path, PathBuf};

use plasma_exports::slo::{detect_slo_format, openslo, sloth, SloFormat, SloImport};
use plasma_models::slo::{
    error_budget, DoraTarget, ErrorBudget, Sli, Slo, SloWindow, WindowLength,
};
use plasma_storage::{ImportAction, RevisionSummary, StoreError, StoredDoraTargets, StoredSlo};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::threats::write_atomic;
use crate::{ImportNotice, Result, Workbench, WorkbenchError};

/// The SLOs of an OpenSLO or Sloth text, or why it cannot be read.
fn parse_slos(
    format: SloFormat,
    text: &str,
    workspace: uuid::Uuid,
    others: &openslo::Definitions,
) -> std::result::Result<SloImport, plasma_exports::slo::ImportError> {
    match format {
        SloFormat::OpenSlo => openslo::import_with(text, workspace, others),
        SloFormat::Sloth => sloth::import(text, workspace),
    }
}

/// The spec files under `dir` (relative to `root`), hidden entries aside.
fn collect_spec_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| WorkbenchError::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| WorkbenchError::io(dir, e))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect_spec_files(root, &path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json"))
        {
            if let Ok(relative) = path.strip_prefix(root) {
                out.push(relative.to_path_buf());
            }
        }
    }
    Ok(())
}

/// One SLO as lists show it: the record and its error budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct SloRow {
    pub slo: Slo,
    pub revision: u32,
    pub budget: ErrorBudget,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct SloImportReport {
    pub file: String,
    /// "open_slo" or "sloth".
    pub format: SloFormat,
    /// `service/name` and what happened to it.
    pub items: Vec<(String, ImportAction)>,
    /// Parts of the file that were not imported, with their location.
    pub notes: Vec<String>,
}

/// What a folder import did, file by file (paths relative to the folder).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
pub struct SloFolderImportReport {
    pub dir: String,
    /// The files imported, each with what happened to its SLOs.
    pub files: Vec<SloImportReport>,
    /// YAML or JSON files that are neither OpenSLO nor Sloth.
    pub skipped: Vec<ImportNotice>,
    /// Files with an error; nothing of them was written.
    pub failed: Vec<ImportNotice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SloExportReport {
    pub dir: String,
    pub files: Vec<String>,
    /// `service/name: reason` for SLOs the format cannot hold.
    pub skipped: Vec<String>,
}

/// A new SLO as the app's form gives it: what `plasma slo add` takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct NewSlo {
    pub service: String,
    pub name: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub description: String,
    pub sli: Sli,
    /// Percent, e.g. 99.9.
    pub objective: f64,
    /// `30d`, `4w`, `1M`... (OpenSLO shorthand).
    pub window: String,
    /// A calendar window (this month) instead of a rolling one.
    #[serde(default)]
    pub calendar: bool,
    /// Events expected per window, for the budget in events.
    #[serde(default)]
    #[specta(type = Option<f64>)]
    pub expected_events: Option<u64>,
}

fn row(s: StoredSlo) -> SloRow {
    SloRow {
        budget: s.slo.error_budget(),
        slo: s.slo,
        revision: s.revision,
    }
}

impl Workbench {
    pub async fn list_slos(&self) -> Result<Vec<SloRow>> {
        let ws = self.current_workspace().await?;
        Ok(self
            .store()
            .list_slos(ws.id)
            .await?
            .into_iter()
            .map(row)
            .collect())
    }

    /// An SLO by `service/name` (or `name` when unambiguous).
    pub async fn get_slo(&self, handle: &str) -> Result<SloRow> {
        let ws = self.current_workspace().await?;
        self.store()
            .get_slo(ws.id, handle)
            .await
            .map(row)
            .map_err(|e| match e {
                StoreError::NotFound { .. } => WorkbenchError::NotFound(format!(
                    "no SLO \"{handle}\" in this workspace (see `plasma slo list`)"
                )),
                other => other.into(),
            })
    }

    /// Stores a new SLO in the current workspace.
    pub async fn add_slo(&self, mut slo: Slo) -> Result<SloRow> {
        let ws = self.current_workspace().await?;
        slo.workspace_id = ws.id;
        Ok(row(self.store().create_slo(&slo).await?))
    }

    /// Stores a new SLO made the way `plasma slo add` makes one (default
    /// policy and alerting; a calendar window starts 2026-01-01 UTC).
    pub async fn create_slo(&self, new: NewSlo) -> Result<SloRow> {
        let length: WindowLength = new
            .window
            .parse()
            .map_err(|e: plasma_models::slo::SloError| WorkbenchError::Invalid(e.to_string()))?;
        let mut slo = Slo::new(
            uuid::Uuid::nil(),
            new.service.trim(),
            new.name.trim(),
            new.sli,
            new.objective,
        );
        slo.window = if new.calendar {
            SloWindow {
                length,
                rolling: false,
                calendar_start: Some("2026-01-01 00:00:00".into()),
                time_zone: Some("UTC".into()),
            }
        } else {
            SloWindow::rolling(length)
        };
        slo.display_name = new.display_name.trim().to_string();
        slo.description = new.description.trim().to_string();
        slo.expected_events = new.expected_events;
        self.add_slo(slo).await
    }

    /// Saves an edit (a stale `expected_revision` is refused: `conflict`).
    pub async fn save_slo(&self, expected_revision: u32, slo: &Slo) -> Result<SloRow> {
        Ok(row(self.store().save_slo(expected_revision, slo).await?))
    }

    pub async fn remove_slo(&self, handle: &str) -> Result<()> {
        let s = self.get_slo(handle).await?;
        Ok(self.store().delete_slo(s.slo.id).await?)
    }

    pub async fn slo_history(&self, handle: &str) -> Result<Vec<RevisionSummary>> {
        let s = self.get_slo(handle).await?;
        Ok(self.store().list_slo_revisions(s.slo.id).await?)
    }

    /// The budget figures for an objective and window, for an editor that
    /// shows them while the user types.
    pub fn slo_budget(
        &self,
        objective: f64,
        window: &str,
        expected_events: Option<u64>,
    ) -> Result<ErrorBudget> {
        let length: WindowLength = window
            .parse()
            .map_err(|e: plasma_models::slo::SloError| WorkbenchError::Invalid(e.to_string()))?;
        if !(objective > 0.0 && objective < 100.0) {
            return Err(WorkbenchError::Invalid(format!(
                "objective: {objective} is not a percentage above 0 and below 100"
            )));
        }
        Ok(error_budget(objective, length, expected_events))
    }

    /// [`Workbench::slo_budget`] for callers that hold numbers as f64 (the
    /// app: JavaScript numbers); a negative or fractional count is refused.
    pub fn slo_budget_f64(
        &self,
        objective: f64,
        window: &str,
        expected_events: Option<f64>,
    ) -> Result<ErrorBudget> {
        let events = match expected_events {
            Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= u64::MAX as f64 => Some(n as u64),
            Some(n) => {
                return Err(WorkbenchError::Invalid(format!(
                    "expected events: {n} is not a whole number of events"
                )))
            }
            None => None,
        };
        self.slo_budget(objective, window, events)
    }

    /// Imports an OpenSLO (v1 or v1alpha) or Sloth file into the current
    /// workspace: SLOs of the same `service/name` are updated, in one
    /// transaction; a file with an error changes nothing.
    pub async fn import_slo_file(&self, path: &Path) -> Result<SloImportReport> {
        let file = path.display().to_string();
        // Reading a folder fails with the OS's "Is a directory"; say what
        // to call instead.
        if path.is_dir() {
            return Err(WorkbenchError::Invalid(format!(
                "{file} is a folder: choose one OpenSLO or Sloth file (`plasma slo import DIR` imports a whole folder)"
            )));
        }
        let text = WorkbenchError::read_text(path)?;
        let format = detect_slo_format(&text).ok_or_else(|| {
            WorkbenchError::Invalid(format!(
                "{file}: {}",
                plasma_exports::slo::unknown_format_reason(&text)
            ))
        })?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.clone());
        let ws = self.current_workspace().await?;
        let parsed = parse_slos(format, &text, ws.id, &openslo::Definitions::default())
            .map_err(|e| WorkbenchError::Invalid(format!("{file}: {e}")))?;
        self.write_slos(file, &name, format, parsed).await
    }

    /// Imports every OpenSLO and Sloth file under `dir` (`.yaml`, `.yml`,
    /// `.json`, sub-folders too, hidden ones aside), as a repository of SLO
    /// specs holds them: each file in its own transaction, so a file with an
    /// error changes nothing and is reported while the others proceed;
    /// YAML that is neither (Kubernetes manifests beside the specs) is
    /// listed as skipped.
    pub async fn import_slo_folder(&self, dir: &Path) -> Result<SloFolderImportReport> {
        let mut files = Vec::new();
        collect_spec_files(dir, dir, &mut files)?;
        if files.is_empty() {
            return Err(WorkbenchError::Invalid(format!(
                "{}: no .yaml, .yml or .json files in the folder",
                dir.display()
            )));
        }
        files.sort();
        let ws = self.current_workspace().await?;
        let mut report = SloFolderImportReport {
            dir: dir.display().to_string(),
            ..Default::default()
        };
        let notice = |file: &Path, reason: String| ImportNotice {
            file: file.display().to_string(),
            line: None,
            reason,
        };
        // Read every file first: an SLO may name an SLI or a DataSource
        // that another file of the folder defines.
        let mut readable = Vec::new();
        let mut definitions = openslo::Definitions::default();
        for relative in files {
            match WorkbenchError::read_text(&dir.join(&relative)) {
                Ok(text) => {
                    let format = detect_slo_format(&text);
                    let defined = match format {
                        Some(SloFormat::OpenSlo) => {
                            definitions.collect(&text, &relative.display().to_string())
                        }
                        _ => Default::default(),
                    };
                    readable.push((relative, text, format, defined));
                }
                Err(e) => report.failed.push(notice(&relative, e.to_string())),
            }
        }
        for (relative, text, format, defined) in readable {
            let Some(format) = format else {
                let reason = plasma_exports::slo::unknown_format_reason(&text);
                report.skipped.push(notice(&relative, reason));
                continue;
            };
            if defined.slos == 0 && !defined.defined.is_empty() {
                report.skipped.push(notice(
                    &relative,
                    format!(
                        "holds no SLO; its {} serve the other files' references",
                        defined.defined.join(", ")
                    ),
                ));
                continue;
            }
            let shown = relative.display().to_string();
            match parse_slos(format, &text, ws.id, &definitions) {
                Ok(parsed) => {
                    let imported = self
                        .write_slos(shown.clone(), &shown, format, parsed)
                        .await?;
                    report.files.push(imported);
                }
                Err(e) => report.failed.push(notice(&relative, e.to_string())),
            }
        }
        Ok(report)
    }

    /// Stores the SLOs read from `file` (under the source name `source`)
    /// in one transaction and says what happened to each.
    async fn write_slos(
        &self,
        file: String,
        source: &str,
        format: SloFormat,
        parsed: SloImport,
    ) -> Result<SloImportReport> {
        let items = self.store().import_slos(&parsed.slos, source).await?;
        Ok(SloImportReport {
            file,
            format,
            items,
            notes: parsed.notes,
        })
    }

    /// Writes one file per service: `<service>.openslo.yaml` or
    /// `<service>.sloth.yaml`.
    pub async fn export_slos(&self, format: SloFormat, dir: &Path) -> Result<SloExportReport> {
        let ws = self.current_workspace().await?;
        let slos: Vec<Slo> = self
            .store()
            .list_slos(ws.id)
            .await?
            .into_iter()
            .map(|s| s.slo)
            .collect();
        let (files, skipped) = match format {
            SloFormat::OpenSlo => (
                openslo::export_all(&slos, |service| {
                    ws.repositories
                        .iter()
                        .find(|r| r.name == service)
                        .map(|r| r.description.clone())
                        .unwrap_or_default()
                }),
                Vec::new(),
            ),
            SloFormat::Sloth => {
                let (files, skipped) = sloth::export_all(&slos);
                (
                    files,
                    skipped
                        .into_iter()
                        .map(|s| format!("{}: {}", s.slo, s.reason))
                        .collect(),
                )
            }
        };
        std::fs::create_dir_all(dir).map_err(|e| WorkbenchError::io(dir, e))?;
        let mut names = Vec::new();
        for (name, text) in files {
            write_atomic(&dir.join(&name), &text)?;
            names.push(name);
        }
        Ok(SloExportReport {
            dir: dir.display().to_string(),
            files: names,
            skipped,
        })
    }

    pub async fn dora_targets(&self) -> Result<StoredDoraTargets> {
        let ws = self.current_workspace().await?;
        Ok(self.store().get_dora_targets(ws.id).await?)
    }

    pub async fn save_dora_targets(
        &self,
        expected_revision: u32,
        targets: &[DoraTarget],
    ) -> Result<StoredDoraTargets> {
        let ws = self.current_workspace().await?;
        Ok(self
            .store()
            .save_dora_targets(ws.id, expected_revision, targets)
            .await?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::ErrorCode;

    #[tokio::test]
    async fn a_folder_is_refused_saying_the_import_reads_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let wb = Workbench::open(&dir.path().join("p.db")).await.unwrap();
        wb.create_workspace("S", &[]).await.unwrap();
        let folder = dir.path().join("slos");
        std::fs::create_dir(&folder).unwrap();
        let e = wb.import_slo_file(&folder).await.unwrap_err();
        assert_eq!(e.code(), ErrorCode::Invalid);
        assert!(e.to_string().contains("is a folder"), "{e}");
        assert!(wb.list_slos().await.unwrap().is_empty());
    }
}

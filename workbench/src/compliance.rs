//! Compliance operations: catalogs and scope, matrix cells and evidence,
//! mapping edits, roll-ups, exports and the audit evidence pack.
//!
//! Every change to cells goes through [`Workbench::update_cells`]: it reads
//! the cells, applies the edit to each (control × repository), and saves the
//! batch in one transaction naming the revisions it read, so a concurrent
//! edit from the app and the CLI is refused instead of lost.

use std::collections::{BTreeSet, HashMap};

use chrono::{NaiveDate, Utc};
use plasma_models::compliance::{
    bundled_frameworks, bundled_mappings, effective_mappings, evidence_findings, gaps, Cell,
    ControlRef, CoverageReport, Evidence, EvidenceFinding, EvidenceKind, Framework, Gap,
    ImplementationStatus, Mapping, MappingOverride, MatrixView, Relationship, ThreatLink,
};
use plasma_models::Workspace;
use plasma_storage::{CellSave, StoredCell};
use serde::{Deserialize, Serialize};
use specta::Type;
use uuid::Uuid;

use crate::{Result, Workbench, WorkbenchError};

/// The frameworks a workspace has in scope until someone chooses: the
/// program's baseline (its own SDLC controls, SOC 2, ISO 27001, GDPR).
pub const DEFAULT_SCOPE: [&str; 4] = ["plasma-sdlc", "soc2", "iso27001-2022", "gdpr"];

/// Evidence collected longer ago than this is stale; a review older than
/// this is overdue.
pub const STALE_AFTER_DAYS: u32 = 365;
/// Evidence expiring within this many days is flagged.
pub const EXPIRY_WARNING_DAYS: u32 = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct FrameworkSummary {
    pub id: String,
    pub name: String,
    pub version: String,
    pub source: String,
    pub notice: String,
    pub bundled: bool,
    pub controls: u32,
    pub in_scope: bool,
}

/// Evidence to attach. The kind is inferred when not given: a URL is a
/// link, anything else a file (which must exist).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct EvidenceInput {
    pub kind: Option<EvidenceKind>,
    pub title: String,
    pub location: String,
    /// Default: today.
    pub collected: Option<NaiveDate>,
    pub expires: Option<NaiveDate>,
}

/// One edit applied to every (control, repository) pair it names. Fields
/// left `None` or empty keep what the cell has.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct CellUpdate {
    /// `framework:control`, or a control id unique among the frameworks.
    pub controls: Vec<String>,
    /// Empty: every repository of the workspace.
    pub repositories: Vec<String>,
    pub status: Option<ImplementationStatus>,
    /// Marks the cells not applicable, with this reason.
    pub not_applicable: Option<String>,
    pub owner: Option<String>,
    pub narrative: Option<String>,
    pub last_reviewed: Option<NaiveDate>,
    pub add_evidence: Vec<EvidenceInput>,
    pub remove_evidence: Vec<Uuid>,
    /// ADR numbers to link.
    pub adrs: Vec<u32>,
    /// Threats to link: `model name or id` + threat id or its first 8 hex.
    pub threats: Vec<ThreatRef>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ThreatRef {
    pub model: String,
    pub threat: String,
    pub mitigation: String,
}

/// Everything roll-ups and exports need, read at one moment.
#[derive(Debug, Clone)]
pub struct MatrixSnapshot {
    pub workspace: Workspace,
    pub frameworks: Vec<Framework>,
    pub mappings: Vec<Mapping>,
    pub scope: Vec<String>,
    pub repositories: Vec<String>,
    pub cells: Vec<StoredCell>,
}

impl MatrixSnapshot {
    pub fn plain_cells(&self) -> Vec<Cell> {
        self.cells.iter().map(|c| c.cell.clone()).collect()
    }

    pub fn framework(&self, id: &str) -> Result<&Framework> {
        self.frameworks.iter().find(|f| f.id == id).ok_or_else(|| {
            WorkbenchError::NotFound(format!(
                "no framework \"{id}\" (see `plasma compliance frameworks`)"
            ))
        })
    }

    /// Resolves `framework:control` or a bare control id (in-scope
    /// frameworks first, then all).
    pub fn resolve_control(&self, text: &str) -> Result<ControlRef> {
        let text = text.trim();
        if let Some(r) = ControlRef::parse(text) {
            if let Ok(f) = self.framework(&r.framework) {
                if f.control(&r.control).is_some() {
                    return Ok(r);
                }
                return Err(WorkbenchError::NotFound(format!(
                    "framework \"{}\" has no control \"{}\"",
                    r.framework, r.control
                )));
            }
        }
        let find = |only_scope: bool| -> Vec<ControlRef> {
            self.frameworks
                .iter()
                .filter(|f| !only_scope || self.scope.contains(&f.id))
                .filter(|f| f.control(text).is_some())
                .map(|f| ControlRef::new(&f.id, text))
                .collect()
        };
        let mut found = find(true);
        if found.is_empty() {
            found = find(false);
        }
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err(WorkbenchError::NotFound(format!(
                "no control \"{text}\" in any framework (write it as framework:control)"
            ))),
            _ => Err(WorkbenchError::Invalid(format!(
                "control \"{text}\" exists in several frameworks ({}); write it as framework:control",
                found
                    .iter()
                    .map(|r| r.framework.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }
}

fn evidence_from(input: &EvidenceInput, today: NaiveDate) -> Result<Evidence> {
    let location = input.location.trim().to_string();
    if location.is_empty() {
        return Err(WorkbenchError::Invalid(
            "evidence needs a location (URL, file path, CI job) or, for a note, its text".into(),
        ));
    }
    let is_url = location.starts_with("https://") || location.starts_with("http://");
    let kind = input.kind.unwrap_or(if is_url {
        EvidenceKind::Link
    } else {
        EvidenceKind::File
    });
    let location = if kind == EvidenceKind::File {
        let path = std::path::Path::new(&location);
        let meta = std::fs::metadata(path).map_err(|e| WorkbenchError::io(path, e))?;
        if !meta.is_file() {
            return Err(WorkbenchError::Invalid(format!(
                "evidence file {location} is not a file"
            )));
        }
        std::fs::canonicalize(path)
            .map_err(|e| WorkbenchError::io(path, e))?
            .display()
            .to_string()
    } else {
        location
    };
    let title = if input.title.trim().is_empty() {
        match kind {
            EvidenceKind::File => std::path::Path::new(&location)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            EvidenceKind::Note => String::new(),
            _ => location.clone(),
        }
    } else {
        input.title.trim().to_string()
    };
    Ok(Evidence {
        id: Uuid::new_v4(),
        kind,
        title,
        location,
        collected: input.collected.unwrap_or(today),
        expires: input.expires,
    })
}

impl Workbench {
    /// Bundled catalogs, then the workspace's imported ones.
    async fn all_frameworks(&self, ws: Uuid) -> Result<Vec<Framework>> {
        let mut out = bundled_frameworks()?.to_vec();
        out.extend(self.store.list_imported_frameworks(ws).await?);
        Ok(out)
    }

    async fn scope_of(&self, ws: Uuid, frameworks: &[Framework]) -> Result<Vec<String>> {
        Ok(match self.store.compliance_scope(ws).await? {
            Some(ids) => ids
                .into_iter()
                .filter(|id| frameworks.iter().any(|f| &f.id == id))
                .collect(),
            None => DEFAULT_SCOPE.iter().map(|s| s.to_string()).collect(),
        })
    }

    /// The matrix of the current workspace, read at one moment.
    pub async fn compliance_snapshot(&self) -> Result<MatrixSnapshot> {
        let workspace = self.current_workspace().await?;
        let frameworks = self.all_frameworks(workspace.id).await?;
        let scope = self.scope_of(workspace.id, &frameworks).await?;
        let overrides = self.store.list_mapping_overrides(workspace.id).await?;
        let mappings = effective_mappings(bundled_mappings()?, &overrides)
            .into_iter()
            // A mapping to a catalog no longer present is dropped silently.
            .filter(|m| m.validate(&frameworks).is_ok())
            .collect();
        let cells = self.store.list_cells(workspace.id).await?;
        Ok(MatrixSnapshot {
            repositories: workspace
                .repositories
                .iter()
                .map(|r| r.name.clone())
                .collect(),
            workspace,
            frameworks,
            mappings,
            scope,
            cells,
        })
    }

    pub async fn compliance_frameworks(&self) -> Result<Vec<FrameworkSummary>> {
        let snap = self.compliance_snapshot().await?;
        Ok(snap
            .frameworks
            .iter()
            .map(|f| FrameworkSummary {
                id: f.id.clone(),
                name: f.name.clone(),
                version: f.version.clone(),
                source: f.source.clone(),
                notice: f.notice.clone(),
                bundled: f.bundled,
                controls: u32::try_from(f.controls.len()).unwrap_or(u32::MAX),
                in_scope: snap.scope.contains(&f.id),
            })
            .collect())
    }

    pub async fn compliance_framework(&self, id: &str) -> Result<Framework> {
        let snap = self.compliance_snapshot().await?;
        snap.framework(id).cloned()
    }

    /// Puts frameworks in or out of scope (the order of `enable` is kept
    /// after the frameworks already in scope).
    pub async fn set_compliance_scope(
        &self,
        enable: &[String],
        disable: &[String],
    ) -> Result<Vec<String>> {
        let snap = self.compliance_snapshot().await?;
        for id in enable.iter().chain(disable) {
            snap.framework(id)?;
        }
        let mut scope: Vec<String> = snap
            .scope
            .into_iter()
            .filter(|id| !disable.contains(id))
            .collect();
        for id in enable {
            if !scope.contains(id) && !disable.contains(id) {
                scope.push(id.clone());
            }
        }
        self.store
            .set_compliance_scope(snap.workspace.id, &scope)
            .await?;
        Ok(scope)
    }

    pub async fn compliance_cells(&self) -> Result<Vec<StoredCell>> {
        Ok(self.compliance_snapshot().await?.cells)
    }

    /// Applies `update` to every control × repository it names, in one
    /// transaction. Refused (nothing written) when a control, repository,
    /// ADR or threat is unknown, when the result does not validate, or
    /// when a cell changed since it was read.
    pub async fn update_cells(&self, update: &CellUpdate) -> Result<Vec<StoredCell>> {
        let snap = self.compliance_snapshot().await?;
        let today = Utc::now().date_naive();
        if update.controls.is_empty() {
            return Err(WorkbenchError::Invalid("name at least one control".into()));
        }
        let changes_nothing = update.status.is_none()
            && update.not_applicable.is_none()
            && update.owner.is_none()
            && update.narrative.is_none()
            && update.last_reviewed.is_none()
            && update.add_evidence.is_empty()
            && update.remove_evidence.is_empty()
            && update.adrs.is_empty()
            && update.threats.is_empty();
        if changes_nothing {
            return Err(WorkbenchError::Invalid(
                "nothing to set: give a status, --not-applicable, owner, narrative, review date, evidence or links".into(),
            ));
        }
        let mut controls = Vec::new();
        for text in &update.controls {
            let r = snap.resolve_control(text)?;
            if !controls.contains(&r) {
                controls.push(r);
            }
        }
        let repositories: Vec<String> = if update.repositories.is_empty() {
            snap.repositories.clone()
        } else {
            let mut out = Vec::new();
            for r in &update.repositories {
                let r = r.trim();
                if !snap.repositories.iter().any(|x| x == r) {
                    return Err(WorkbenchError::NotFound(format!(
                        "workspace \"{}\" has no repository \"{r}\" (it has: {})",
                        snap.workspace.name,
                        snap.repositories.join(", ")
                    )));
                }
                if !out.iter().any(|x: &String| x == r) {
                    out.push(r.to_string());
                }
            }
            out
        };
        if repositories.is_empty() {
            return Err(WorkbenchError::Invalid(format!(
                "workspace \"{}\" has no repositories to assess",
                snap.workspace.name
            )));
        }
        if update.status == Some(ImplementationStatus::NotApplicable)
            && update.not_applicable.is_none()
        {
            return Err(WorkbenchError::Invalid(
                "not-applicable needs a reason (--not-applicable REASON)".into(),
            ));
        }
        for n in &update.adrs {
            self.store.get_adr_by_number(snap.workspace.id, *n).await?;
        }
        let mut threat_links = Vec::new();
        for t in &update.threats {
            threat_links.push(self.resolve_threat(snap.workspace.id, t).await?);
        }
        // Evidence is resolved once (file checks), then copied per cell with
        // its own id.
        let evidence: Vec<Evidence> = update
            .add_evidence
            .iter()
            .map(|e| evidence_from(e, today))
            .collect::<Result<_>>()?;

        let existing: HashMap<(&ControlRef, &str), &StoredCell> = snap
            .cells
            .iter()
            .map(|c| ((&c.cell.control, c.cell.repository.as_str()), c))
            .collect();
        let mut removed = BTreeSet::new();
        let mut saves = Vec::with_capacity(controls.len() * repositories.len());
        for control in &controls {
            for repo in &repositories {
                let found = existing.get(&(control, repo.as_str()));
                let mut cell = found
                    .map(|s| s.cell.clone())
                    .unwrap_or_else(|| Cell::new(control.clone(), repo.clone()));
                if let Some(reason) = &update.not_applicable {
                    if reason.trim().is_empty() {
                        return Err(WorkbenchError::Invalid(
                            "the reason a control does not apply cannot be empty".into(),
                        ));
                    }
                    cell.set_not_applicable(reason.trim());
                } else if let Some(status) = update.status {
                    cell.set_status(status);
                }
                if let Some(owner) = &update.owner {
                    cell.owner = owner.trim().to_string();
                }
                if let Some(narrative) = &update.narrative {
                    cell.narrative = narrative.clone();
                }
                if let Some(day) = update.last_reviewed {
                    cell.last_reviewed = Some(day);
                }
                for id in &update.remove_evidence {
                    if cell.evidence.iter().any(|e| e.id == *id) {
                        removed.insert(*id);
                    }
                    cell.evidence.retain(|e| e.id != *id);
                }
                for e in &evidence {
                    cell.evidence.push(Evidence {
                        id: Uuid::new_v4(),
                        ..e.clone()
                    });
                }
                for n in &update.adrs {
                    if !cell.adrs.contains(n) {
                        cell.adrs.push(*n);
                    }
                }
                for t in &threat_links {
                    if !cell.threats.contains(t) {
                        cell.threats.push(t.clone());
                    }
                }
                saves.push(CellSave {
                    cell,
                    expected_revision: found.map_or(0, |s| s.revision),
                });
            }
        }
        if let Some(id) = update
            .remove_evidence
            .iter()
            .find(|id| !removed.contains(*id))
        {
            return Err(WorkbenchError::NotFound(format!(
                "no evidence {id} on the controls and repositories named"
            )));
        }
        Ok(self.store.save_cells(snap.workspace.id, &saves).await?)
    }

    pub(crate) async fn resolve_threat(&self, ws: Uuid, t: &ThreatRef) -> Result<ThreatLink> {
        let model = self.store.get_threat_model_by_name(ws, &t.model).await?;
        let wanted = t.threat.trim().to_ascii_lowercase();
        let matches: Vec<_> = model
            .model
            .threats
            .iter()
            .filter(|x| {
                let id = x.id.to_string();
                !wanted.is_empty() && (id == wanted || id.starts_with(&wanted))
            })
            .collect();
        let threat = match matches.as_slice() {
            [one] => *one,
            [] => {
                return Err(WorkbenchError::NotFound(format!(
                    "threat model \"{}\" has no threat \"{}\"",
                    model.model.name, t.threat
                )))
            }
            _ => {
                return Err(WorkbenchError::Invalid(format!(
                    "\"{}\" matches several threats of \"{}\"; give more of the id",
                    t.threat, model.model.name
                )))
            }
        };
        let mitigation = t.mitigation.trim();
        if !mitigation.is_empty() && !threat.mitigations.iter().any(|m| m.title == mitigation) {
            return Err(WorkbenchError::NotFound(format!(
                "threat \"{}\" has no mitigation \"{mitigation}\"",
                threat.title
            )));
        }
        Ok(ThreatLink {
            threat_model: model.model.name.clone(),
            threat_id: threat.id,
            mitigation: mitigation.to_string(),
        })
    }

    pub async fn compliance_mappings(&self) -> Result<Vec<Mapping>> {
        Ok(self.compliance_snapshot().await?.mappings)
    }

    /// Adds, changes (`relationship` given) or removes (`None`) the mapping
    /// between two controls of the workspace.
    pub async fn edit_mapping(
        &self,
        source: &str,
        target: &str,
        relationship: Option<Relationship>,
        strength: Option<u8>,
        rationale: &str,
    ) -> Result<Vec<Mapping>> {
        let snap = self.compliance_snapshot().await?;
        let source = snap.resolve_control(source)?;
        let target = snap.resolve_control(target)?;
        if let Some(relationship) = relationship {
            Mapping {
                source: source.clone(),
                target: target.clone(),
                relationship,
                strength: strength.unwrap_or(relationship.default_strength()),
                rationale: rationale.to_string(),
                bundled: false,
            }
            .validate(&snap.frameworks)?;
        } else if !snap
            .mappings
            .iter()
            .any(|m| m.source == source && m.target == target)
        {
            return Err(WorkbenchError::NotFound(format!(
                "there is no mapping from {source} to {target}"
            )));
        }
        self.store
            .save_mapping_override(
                snap.workspace.id,
                &MappingOverride {
                    source,
                    target,
                    relationship,
                    strength,
                    rationale: rationale.to_string(),
                },
            )
            .await?;
        self.compliance_mappings().await
    }

    /// Coverage of the frameworks in scope (or the one named).
    pub async fn compliance_coverage(&self, framework: Option<&str>) -> Result<CoverageReport> {
        let snap = self.compliance_snapshot().await?;
        let ids = selected(&snap, framework)?;
        let cells = snap.plain_cells();
        let view = MatrixView::new(&snap.frameworks, &snap.mappings, &snap.repositories, &cells);
        Ok(view.coverage(&ids.iter().map(String::as_str).collect::<Vec<_>>()))
    }

    pub async fn compliance_gaps(&self, framework: Option<&str>) -> Result<Vec<Gap>> {
        let snap = self.compliance_snapshot().await?;
        let ids = selected(&snap, framework)?;
        let cells = snap.plain_cells();
        let view = MatrixView::new(&snap.frameworks, &snap.mappings, &snap.repositories, &cells);
        Ok(gaps(
            &view,
            &ids.iter().map(String::as_str).collect::<Vec<_>>(),
        ))
    }

    /// Expired, expiring, stale and missing evidence and overdue reviews of
    /// the frameworks in scope, as of `today` (default: today).
    pub async fn compliance_evidence_findings(
        &self,
        today: Option<NaiveDate>,
    ) -> Result<Vec<EvidenceFinding>> {
        let snap = self.compliance_snapshot().await?;
        let scope: BTreeSet<&str> = snap.scope.iter().map(String::as_str).collect();
        let repos: BTreeSet<&str> = snap.repositories.iter().map(String::as_str).collect();
        let cells: Vec<Cell> = snap
            .cells
            .iter()
            .filter(|c| {
                scope.contains(c.cell.control.framework.as_str())
                    && repos.contains(c.cell.repository.as_str())
            })
            .map(|c| c.cell.clone())
            .collect();
        Ok(evidence_findings(
            &cells,
            today.unwrap_or_else(|| Utc::now().date_naive()),
            STALE_AFTER_DAYS,
            EXPIRY_WARNING_DAYS,
        ))
    }
}

/// The framework named (checked), else the scope.
fn selected(snap: &MatrixSnapshot, framework: Option<&str>) -> Result<Vec<String>> {
    match framework {
        Some(id) => Ok(vec![snap.framework(id)?.id.clone()]),
        None => Ok(snap.scope.clone()),
    }
}

/// One control across the workspace's repositories (`plasma compliance
/// show`, the evidence panel).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ControlView {
    pub control: ControlRef,
    pub title: String,
    pub description: String,
    pub group: String,
    /// Mappings touching the control, either way.
    pub mappings: Vec<Mapping>,
    pub repositories: Vec<ControlInRepository>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ControlInRepository {
    pub repository: String,
    pub cell: Option<Cell>,
    pub revision: u32,
    pub credits: Vec<plasma_models::compliance::MappedCredit>,
}

impl Workbench {
    pub async fn compliance_control(&self, control: &str) -> Result<ControlView> {
        let snap = self.compliance_snapshot().await?;
        let r = snap.resolve_control(control)?;
        let c = snap
            .framework(&r.framework)?
            .control(&r.control)
            .cloned()
            .ok_or_else(|| WorkbenchError::NotFound(format!("no control {r}")))?;
        let cells = snap.plain_cells();
        let view = MatrixView::new(&snap.frameworks, &snap.mappings, &snap.repositories, &cells);
        let repositories = snap
            .repositories
            .iter()
            .map(|repo| {
                let stored = snap
                    .cells
                    .iter()
                    .find(|s| s.cell.control == r && &s.cell.repository == repo);
                ControlInRepository {
                    repository: repo.clone(),
                    cell: stored.map(|s| s.cell.clone()),
                    revision: stored.map_or(0, |s| s.revision),
                    credits: view.mapped_credits(&r.framework, &r.control, repo),
                }
            })
            .collect();
        Ok(ControlView {
            mappings: snap
                .mappings
                .iter()
                .filter(|m| m.source == r || m.target == r)
                .cloned()
                .collect(),
            title: c.title,
            description: c.description,
            group: c.group,
            control: r,
            repositories,
        })
    }
}

/// The export formats of `plasma compliance export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ComplianceFormat {
    Xlsx,
    Csv,
    Md,
    Oscal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct EvidencePackReport {
    pub dir: String,
    pub zip: String,
    /// Evidence files copied into the pack.
    pub files: u32,
    /// Evidence files that could not be read (named in index.md).
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct CatalogImportReport {
    pub file: String,
    /// "oscal-catalog", "oscal-profile" or "csv".
    pub format: String,
    pub framework: String,
    pub name: String,
    pub controls: u32,
    pub action: plasma_storage::ImportAction,
}

fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| WorkbenchError::io(parent, e))?;
    }
    std::fs::write(path, bytes).map_err(|e| WorkbenchError::io(path, e))
}

/// Renders one format from a snapshot (the frameworks named, else the scope).
pub fn render_compliance(
    snap: &MatrixSnapshot,
    framework: Option<&str>,
    format: ComplianceFormat,
    today: NaiveDate,
) -> Result<Vec<u8>> {
    with_export(snap, framework, today, |export| {
        use plasma_exports::compliance::{oscal, tables, xlsx};
        Ok(match format {
            ComplianceFormat::Xlsx => xlsx::matrix_xlsx(export)
                .map_err(|e| WorkbenchError::Invalid(format!("writing the workbook: {e}")))?,
            ComplianceFormat::Csv => tables::matrix_csv(export).into_bytes(),
            ComplianceFormat::Md => tables::matrix_markdown(export).into_bytes(),
            ComplianceFormat::Oscal => oscal::component_definition(export).into_bytes(),
        })
    })
}

fn with_export<T>(
    snap: &MatrixSnapshot,
    framework: Option<&str>,
    today: NaiveDate,
    run: impl FnOnce(&plasma_exports::compliance::MatrixExport<'_>) -> Result<T>,
) -> Result<T> {
    let ids = selected(snap, framework)?;
    let cells = snap.plain_cells();
    let view = MatrixView::new(&snap.frameworks, &snap.mappings, &snap.repositories, &cells);
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let descriptions: Vec<String> = snap
        .workspace
        .repositories
        .iter()
        .map(|r| r.description.clone())
        .collect();
    let export = plasma_exports::compliance::MatrixExport {
        workspace_id: snap.workspace.id,
        workspace: &snap.workspace.name,
        generated: today,
        frameworks: ids
            .iter()
            .filter_map(|id| snap.frameworks.iter().find(|f| &f.id == id))
            .collect(),
        repositories: &snap.repositories,
        repository_descriptions: &descriptions,
        coverage: view.coverage(&id_refs),
        view: &view,
    };
    run(&export)
}

impl Workbench {
    /// Writes the matrix of one framework (or of the scope) to `out`.
    pub async fn export_compliance(
        &self,
        framework: Option<&str>,
        format: ComplianceFormat,
        out: &std::path::Path,
    ) -> Result<std::path::PathBuf> {
        let snap = self.compliance_snapshot().await?;
        let bytes = render_compliance(&snap, framework, format, Utc::now().date_naive())?;
        write_file(out, &bytes)?;
        Ok(out.to_path_buf())
    }

    /// The audit evidence pack: `dir` with index.md, matrix.md/.csv/.xlsx,
    /// component-definition.json and the evidence files, and `dir.zip`.
    pub async fn compliance_evidence_pack(
        &self,
        framework: Option<&str>,
        dir: &std::path::Path,
    ) -> Result<EvidencePackReport> {
        use plasma_exports::compliance::evidence_pack;
        let snap = self.compliance_snapshot().await?;
        let today = Utc::now().date_naive();
        if dir.exists()
            && std::fs::read_dir(dir)
                .map_err(|e| WorkbenchError::io(dir, e))?
                .next()
                .is_some()
        {
            return Err(WorkbenchError::Invalid(format!(
                "{} is not empty; choose a new folder for the evidence pack",
                dir.display()
            )));
        }
        let planned = with_export(&snap, framework, today, |e| {
            Ok(evidence_pack::plan_files(e))
        })?;
        let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
        let mut missing = Vec::new();
        let mut missing_paths = Vec::new();
        for f in &planned {
            match std::fs::read(&f.source) {
                Ok(bytes) => entries.push((f.pack_path.clone(), bytes)),
                Err(_) => {
                    missing.push(f.evidence_id);
                    missing_paths.push(f.source.clone());
                }
            }
        }
        let index = with_export(&snap, framework, today, |e| {
            Ok(evidence_pack::index_markdown(e, &planned, &missing))
        })?;
        let copied = entries.len();
        entries.push(("index.md".into(), index.into_bytes()));
        for (name, format) in [
            ("matrix.md", ComplianceFormat::Md),
            ("matrix.csv", ComplianceFormat::Csv),
            ("matrix.xlsx", ComplianceFormat::Xlsx),
            ("component-definition.json", ComplianceFormat::Oscal),
        ] {
            entries.push((
                name.into(),
                render_compliance(&snap, framework, format, today)?,
            ));
        }
        for (name, bytes) in &entries {
            write_file(&dir.join(name), bytes)?;
        }
        let zip_path = dir.with_extension("zip");
        let file =
            std::fs::File::create(&zip_path).map_err(|e| WorkbenchError::io(&zip_path, e))?;
        let mut zip = zip::ZipWriter::new(file);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let zip_err = |e: zip::result::ZipError| WorkbenchError::Io {
            path: zip_path.display().to_string(),
            reason: e.to_string(),
        };
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, bytes) in &entries {
            zip.start_file(name.as_str(), options).map_err(zip_err)?;
            std::io::Write::write_all(&mut zip, bytes)
                .map_err(|e| WorkbenchError::io(&zip_path, e))?;
        }
        zip.finish().map_err(zip_err)?;
        Ok(EvidencePackReport {
            dir: dir.display().to_string(),
            zip: zip_path.display().to_string(),
            files: u32::try_from(copied).unwrap_or(u32::MAX),
            missing: missing_paths,
        })
    }

    /// A publication's catalog imported before its id was short (under the
    /// id its title gave) keeps that id, so importing it again updates it in
    /// place; so does one whose short id a bundled catalog has.
    async fn keep_earlier_catalog_id(&self, ws: Uuid, framework: &mut Framework) -> Result<()> {
        let by_title =
            plasma_exports::compliance::catalog_import::title_framework_id(&framework.name);
        if by_title == framework.id {
            return Ok(());
        }
        let bundled = bundled_frameworks()?.iter().any(|f| f.id == framework.id);
        let imported = self.store.list_imported_frameworks(ws).await?;
        let has = |id: &str| imported.iter().any(|f| f.id == id);
        if bundled || (has(&by_title) && !has(&framework.id)) {
            framework.id = by_title;
        }
        Ok(())
    }

    /// Imports a catalog from an OSCAL catalog/profile (JSON, YAML or XML), or CSV. `id`
    /// overrides the framework id (default: from the title or file name).
    /// Refused when the id is a bundled catalog's.
    pub async fn import_compliance_catalog(
        &self,
        path: &std::path::Path,
        id: Option<&str>,
    ) -> Result<CatalogImportReport> {
        use plasma_exports::compliance::catalog_import::{self, CatalogFormat};
        let ws = self.current_workspace().await?;
        let text = WorkbenchError::read_text(path)?;
        let file = path.display().to_string();
        let extension = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        // A `.tsv` (a spreadsheet saved as tab-separated text) is CSV with tabs.
        let separator = match extension.as_deref() {
            Some("csv") => Some(None),
            Some("tsv") => Some(Some(b'\t')),
            _ => None,
        };
        let parsed = if let Some(separator) = separator {
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "catalog".into());
            catalog_import::parse_csv_with(&file, &text, &name, id, separator)
                .map(|f| (f, CatalogFormat::Csv))
        } else {
            // A profile's catalog is read from beside it (its href, relative
            // to the profile's folder, or the file name of a URL).
            let dir = path.parent().unwrap_or(std::path::Path::new("."));
            catalog_import::parse_oscal_with(&file, &text, id, &mut |rel| {
                let p = dir.join(rel);
                p.is_file()
                    .then(|| std::fs::read_to_string(p).ok())
                    .flatten()
            })
        };
        let (mut framework, format) = parsed.map_err(|e| WorkbenchError::Invalid(e.to_string()))?;
        if id.is_none() && format != CatalogFormat::Csv {
            self.keep_earlier_catalog_id(ws.id, &mut framework).await?;
        }
        plasma_models::compliance::catalog::validate_framework_id(&framework.id)
            .map_err(|e| WorkbenchError::Invalid(format!("{file}: {e} (give one with --id)")))?;
        framework
            .validate()
            .map_err(|e| WorkbenchError::Invalid(format!("{file}: {e}")))?;
        if bundled_frameworks()?.iter().any(|f| f.id == framework.id) {
            return Err(WorkbenchError::Invalid(format!(
                "{file}: \"{}\" is a bundled catalog; import under another id with --id",
                framework.id
            )));
        }
        let action = self
            .store
            .save_imported_framework(ws.id, &framework)
            .await?;
        Ok(CatalogImportReport {
            file,
            format: format.label().to_string(),
            framework: framework.id.clone(),
            name: framework.name.clone(),
            controls: u32::try_from(framework.controls.len()).unwrap_or(u32::MAX),
            action,
        })
    }
}

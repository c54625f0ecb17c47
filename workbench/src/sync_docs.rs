//! The planning documents of GitHub sync besides ADRs and threat models:
//! compliance matrices, the roadmap and SLOs. `sync.rs` calls in here for
//! these kinds; publish, pull planning, merge and apply stay generic.
//!
//! - A matrix is `compliance/<framework>.csv` (primary: read back row by row)
//!   and `.md` (derived report). Rows are keyed `framework:control@repo`.
//! - An SLO is `slo/<service>-<slo>.yaml`, OpenSLO v1 (primary), keyed by
//!   service and name. What OpenSLO does not carry (expected events, alert
//!   routes, error-budget policy, labels) stays as the app has it.
//! - The roadmap is `roadmap/roadmap.md`, keyed by initiative key: the plan
//!   table's title, status, owner, quarter, estimate and dependencies and
//!   each initiative's description, repositories and milestones are read
//!   back; the rest of the file is computed (dates, slack, readiness).
//!
//! Three-way merges of these kinds run item-wise over a JSON form with
//! stable ids (matrix rows by id, initiatives by key, SLO fields by name), so edits to
//! different rows merge cleanly and a row edited on both sides is a
//! conflict with both versions kept.

use std::collections::HashMap;

use chrono::Utc;
use plasma_exports::compliance::matrix_import::{parse_matrix_csv, rows_csv, MatrixRow};
use plasma_exports::compliance::tables::CSV_HEADER;
use plasma_exports::roadmap::markdown_import::{parse_roadmap_markdown, RoadmapItem};
use plasma_exports::roadmap::{markdown::roadmap_markdown, RoadmapView, GITHUB_LIMITS};
use plasma_exports::slo::openslo;
use plasma_models::compliance::{Cell, ControlRef};
use plasma_models::roadmap::{evaluate, Initiative};
use plasma_models::slo::Slo;
use plasma_models::slug::slugify;
use plasma_storage::{CellSave, StoredCell};
use plasma_sync::layout::{DocumentFile, FileRole};
use plasma_sync::merge::{merge_document, merge_json, merge_json_resolving, Choices, MergeOutcome};
use plasma_sync::plan::{decide, LocalDocument, PullDecision};
use plasma_sync::{DocumentKind, Layout};
use serde_json::{json, Map, Value};

use crate::compliance::{render_compliance, ComplianceFormat, MatrixSnapshot};
use crate::sync::Local;
use crate::{Result, Workbench, WorkbenchError};

pub(crate) const ROADMAP_KEY: &str = "roadmap";

pub(crate) fn compliance_key(framework: &str) -> String {
    format!("compliance:{framework}")
}

pub(crate) fn slo_key(slo: &Slo) -> String {
    format!("slo:{}", slo.handle())
}

fn invalid(path: &str, e: impl std::fmt::Display) -> WorkbenchError {
    WorkbenchError::Invalid(format!("{path}: {e}"))
}

fn text_of(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The matrix of one framework as the files it publishes to.
fn compliance_document(snap: &MatrixSnapshot, framework: &str, layout: &Layout) -> Result<Local> {
    let f = snap.framework(framework)?;
    let today = Utc::now().date_naive();
    let slug = slugify(&f.id);
    let [md_path, csv_path] = layout.compliance_paths(&slug);
    let csv = text_of(render_compliance(
        snap,
        Some(&f.id),
        ComplianceFormat::Csv,
        today,
    )?);
    let md = text_of(render_compliance(
        snap,
        Some(&f.id),
        ComplianceFormat::Md,
        today,
    )?);
    Ok(Local {
        slug,
        doc: LocalDocument {
            key: compliance_key(&f.id),
            kind: DocumentKind::Compliance,
            title: format!("Compliance matrix: {}", f.name),
            files: vec![
                DocumentFile {
                    path: csv_path,
                    role: FileRole::Primary,
                    content: csv,
                },
                DocumentFile {
                    path: md_path,
                    role: FileRole::Derived,
                    content: md,
                },
            ],
        },
    })
}

fn slo_document(slo: &Slo, description: &str, layout: &Layout) -> Local {
    let slug = slugify(&format!("{}-{}", slo.service, slo.name));
    Local {
        doc: LocalDocument {
            key: slo_key(slo),
            kind: DocumentKind::Slo,
            title: format!("SLO: {}", slo.handle()),
            files: vec![DocumentFile {
                path: layout.slo_path(&slug),
                role: FileRole::Primary,
                content: openslo::export_service(&slo.service, description, &[slo]),
            }],
        },
        slug,
    }
}

/// The cells a matrix CSV asks for, laid over the snapshot: for every row
/// whose assessed columns say something, the cell it becomes and the stored
/// cell it replaces. Refused whole (naming the line) when a row names
/// another framework, an unknown control, repository or ADR, or does not
/// validate.
fn overlay<'s>(
    snap: &'s MatrixSnapshot,
    framework: &str,
    rows: &[MatrixRow],
    adr_numbers: &[u32],
    path: &str,
) -> Result<Vec<(Cell, Option<&'s StoredCell>)>> {
    let f = snap.framework(framework)?;
    let stored: HashMap<(&ControlRef, &str), &StoredCell> = snap
        .cells
        .iter()
        .map(|c| ((&c.cell.control, c.cell.repository.as_str()), c))
        .collect();
    let mut out = Vec::new();
    for row in rows {
        let at = |what: String| invalid(path, format!("line {}: {what}", row.line));
        if row.get("framework") != f.id {
            return Err(at(format!(
                "the row belongs to framework \"{}\", this file to \"{}\"",
                row.get("framework"),
                f.id
            )));
        }
        let control = row.get("control");
        if f.control(control).is_none() {
            return Err(at(format!(
                "framework {} has no control \"{control}\"",
                f.id
            )));
        }
        let repo = row.get("repository");
        if !snap.repositories.iter().any(|r| r == repo) {
            return Err(at(format!(
                "workspace \"{}\" has no repository \"{repo}\"",
                snap.workspace.name
            )));
        }
        let fields = row
            .assessed()
            .map_err(|e| invalid(path, format!("{}: {}", e.location, e.reason)))?;
        if let Some(n) = fields.adrs.iter().find(|n| !adr_numbers.contains(n)) {
            return Err(at(format!("ADR-{n:04} does not exist in this workspace")));
        }
        let r = ControlRef::new(&f.id, control);
        let current = stored.get(&(&r, repo)).copied();
        if current.is_none() && fields.is_blank() {
            continue;
        }
        let mut cell = current
            .map(|s| s.cell.clone())
            .unwrap_or_else(|| Cell::new(r, repo));
        fields.apply_to(&mut cell);
        cell.validate().map_err(|e| at(e.to_string()))?;
        out.push((cell, current));
    }
    Ok(out)
}

/// A matrix CSV as JSON for the item-wise merge: `rows` keyed by id.
fn matrix_json(text: &str) -> Result<Value> {
    let rows = parse_matrix_csv(text).map_err(|e| invalid("matrix CSV", e))?;
    let rows: Vec<Value> = rows
        .iter()
        .map(|r| {
            let mut m = Map::new();
            m.insert("id".into(), Value::String(r.id()));
            for (name, value) in CSV_HEADER.iter().zip(&r.fields) {
                m.insert((*name).to_string(), Value::String(value.clone()));
            }
            Value::Object(m)
        })
        .collect();
    Ok(json!({ "rows": rows }))
}

fn matrix_from_json(text: &str) -> Result<String> {
    let v: Value = serde_json::from_str(text).map_err(|e| invalid("merged matrix", e))?;
    let rows = v["rows"]
        .as_array()
        .ok_or_else(|| invalid("merged matrix", "no rows"))?
        .iter()
        .enumerate()
        .map(|(i, r)| MatrixRow {
            line: i + 2,
            fields: CSV_HEADER
                .iter()
                .map(|c| r[*c].as_str().unwrap_or_default().to_string())
                .collect(),
        })
        .collect::<Vec<_>>();
    Ok(rows_csv(&rows))
}

impl Workbench {
    /// Matrices of the frameworks in scope, the roadmap (when it has
    /// initiatives) and every SLO, rendered as their files.
    pub(crate) async fn planning_documents(&self, layout: &Layout) -> Result<Vec<Local>> {
        let snap = self.compliance_snapshot().await?;
        let mut out = Vec::new();
        if !snap.repositories.is_empty() {
            for id in &snap.scope {
                out.push(compliance_document(&snap, id, layout)?);
            }
        }
        if !self
            .store()
            .list_initiatives(snap.workspace.id)
            .await?
            .is_empty()
        {
            out.push(self.roadmap_document(layout).await?);
        }
        for s in self.store().list_slos(snap.workspace.id).await? {
            let description = slo_description(&snap.workspace, &s.slo);
            out.push(slo_document(&s.slo, &description, layout));
        }
        Ok(out)
    }

    async fn roadmap_document(&self, layout: &Layout) -> Result<Local> {
        let ws = self.current_workspace().await?;
        let initiatives: Vec<Initiative> = self
            .store()
            .list_initiatives(ws.id)
            .await?
            .into_iter()
            .map(|s| s.initiative)
            .collect();
        Ok(Local {
            slug: "roadmap".into(),
            doc: LocalDocument {
                key: ROADMAP_KEY.into(),
                kind: DocumentKind::Roadmap,
                title: format!("Roadmap: {}", ws.name),
                files: vec![DocumentFile {
                    path: layout.roadmap_path(),
                    role: FileRole::Primary,
                    content: self.render_roadmap(&initiatives).await?,
                }],
            },
        })
    }

    /// The roadmap Markdown of these initiatives, as `plasma roadmap export`
    /// writes it for the stored ones.
    async fn render_roadmap(&self, initiatives: &[Initiative]) -> Result<String> {
        let ws = self.current_workspace().await?;
        let evidence = self.gate_evidence().await?;
        let view = RoadmapView::new(
            format!("{} roadmap", ws.name),
            initiatives,
            |i| evaluate(i, &evidence),
            crate::roadmap::plan_start(initiatives),
        )
        .map_err(|e| invalid("roadmap", e))?;
        Ok(roadmap_markdown(&view, GITHUB_LIMITS))
    }

    /// The initiatives a roadmap file asks for, laid over the stored ones:
    /// each with the revision it replaces (`None`: new). Initiatives the
    /// file does not list stay as they are (a pull never deletes).
    async fn roadmap_overlay(
        &self,
        items: &[RoadmapItem],
    ) -> Result<Vec<(Initiative, Option<u32>)>> {
        let ws = self.current_workspace().await?;
        let mut out: Vec<(Initiative, Option<u32>)> = self
            .store()
            .list_initiatives(ws.id)
            .await?
            .into_iter()
            .map(|s| (s.initiative, Some(s.revision)))
            .collect();
        for item in items {
            match out.iter_mut().find(|(i, _)| i.key == item.key) {
                Some((i, _)) => item.apply_to(i),
                None => {
                    let mut i = Initiative::new(ws.id, item.key.clone(), item.title.clone());
                    item.apply_to(&mut i);
                    out.push((i, None));
                }
            }
        }
        Ok(out)
    }

    async fn roadmap_from_text(
        &self,
        path: &str,
        text: &str,
    ) -> Result<Vec<(Initiative, Option<u32>)>> {
        let items = parse_roadmap_markdown(text).map_err(|e| invalid(path, e))?;
        let all = self.roadmap_overlay(&items).await?;
        for (i, _) in &all {
            i.validate()
                .map_err(|e| invalid(path, format!("initiative `{}`: {e}", i.key)))?;
        }
        Ok(all)
    }

    /// The document key a publish of a framework names, with a clear error
    /// when the framework is unknown or out of scope.
    pub(crate) async fn framework_document_key(&self, id: &str) -> Result<String> {
        let snap = self.compliance_snapshot().await?;
        let f = snap.framework(id.trim())?;
        if !snap.scope.contains(&f.id) {
            return Err(WorkbenchError::Invalid(format!(
                "framework \"{}\" is not in scope: enable it with `plasma compliance scope --enable {}`",
                f.id, f.id
            )));
        }
        if snap.repositories.is_empty() {
            return Err(WorkbenchError::Invalid(format!(
                "workspace \"{}\" has no repositories, so its matrix has no rows",
                snap.workspace.name
            )));
        }
        Ok(compliance_key(&f.id))
    }

    pub(crate) async fn slo_document_key(&self, handle: &str) -> Result<String> {
        Ok(slo_key(&self.get_slo(handle).await?.slo))
    }

    async fn adr_numbers(&self) -> Result<Vec<u32>> {
        let ws = self.current_workspace().await?;
        Ok(self
            .store()
            .list_adrs(ws.id)
            .await?
            .iter()
            .map(|a| a.number)
            .collect())
    }

    async fn local_slo(&self, key: &str) -> Result<plasma_storage::StoredSlo> {
        let ws = self.current_workspace().await?;
        let handle = key.strip_prefix("slo:").unwrap_or(key);
        Ok(self.store().get_slo(ws.id, handle).await?)
    }

    /// Reads an SLO file for the local SLO `local`: the file must hold that
    /// one SLO; what OpenSLO does not carry is kept from `local`.
    fn slo_from_yaml(&self, path: &str, text: &str, local: &Slo) -> Result<Slo> {
        let parsed = openslo::import(text, local.workspace_id).map_err(|e| invalid(path, e))?;
        let [remote] = <[Slo; 1]>::try_from(parsed.slos).map_err(|all| {
            invalid(
                path,
                format!(
                    "a synced SLO file holds one SLO; this one holds {}",
                    all.len()
                ),
            )
        })?;
        if remote.service != local.service || remote.name != local.name {
            return Err(invalid(
                path,
                format!(
                    "the file names the SLO {}, this document is {}; rename SLOs in the app",
                    remote.handle(),
                    local.handle()
                ),
            ));
        }
        Ok(Slo {
            id: local.id,
            workspace_id: local.workspace_id,
            expected_events: local.expected_events,
            alerting: local.alerting.clone(),
            policy: local.policy.clone(),
            labels: local.labels.clone(),
            ..remote
        })
    }

    /// The remote text of a planning document in the app's rendering.
    pub(crate) async fn planning_canonical(
        &self,
        kind: DocumentKind,
        key: &str,
        path: &str,
        text: &str,
    ) -> Result<String> {
        match kind {
            DocumentKind::Compliance => {
                let framework = key.strip_prefix("compliance:").unwrap_or(key);
                let rows = parse_matrix_csv(text).map_err(|e| invalid(path, e))?;
                let mut snap = self.compliance_snapshot().await?;
                let cells = overlay(&snap, framework, &rows, &self.adr_numbers().await?, path)?
                    .into_iter()
                    .map(|(cell, _)| cell)
                    .collect::<Vec<_>>();
                for cell in cells {
                    match snap.cells.iter_mut().find(|s| {
                        s.cell.control == cell.control && s.cell.repository == cell.repository
                    }) {
                        Some(s) => s.cell = cell,
                        None => snap.cells.push(StoredCell {
                            cell,
                            revision: 0,
                            updated_at: Utc::now(),
                        }),
                    }
                }
                Ok(text_of(render_compliance(
                    &snap,
                    Some(framework),
                    ComplianceFormat::Csv,
                    Utc::now().date_naive(),
                )?))
            }
            DocumentKind::Slo => {
                let local = self.local_slo(key).await?;
                let slo = self.slo_from_yaml(path, text, &local.slo)?;
                self.slo_text(&slo).await
            }
            DocumentKind::Roadmap => {
                let all = self.roadmap_from_text(path, text).await?;
                let initiatives: Vec<Initiative> = all.into_iter().map(|(i, _)| i).collect();
                self.render_roadmap(&initiatives)
                    .await
                    .map_err(|e| invalid(path, e))
            }
            other => Err(not_pulled(other)),
        }
    }

    async fn slo_text(&self, slo: &Slo) -> Result<String> {
        let ws = self.current_workspace().await?;
        let description = slo_description(&ws, slo);
        Ok(openslo::export_service(&slo.service, &description, &[slo]))
    }

    /// Saves pulled or merged text into the records: changed cells in one
    /// transaction naming the revisions read; an SLO as a new revision.
    pub(crate) async fn planning_apply(
        &self,
        kind: DocumentKind,
        key: &str,
        path: &str,
        text: &str,
    ) -> Result<()> {
        match kind {
            DocumentKind::Compliance => {
                let framework = key.strip_prefix("compliance:").unwrap_or(key);
                self.apply_matrix(framework, path, text).await
            }
            DocumentKind::Slo => {
                let local = self.local_slo(key).await?;
                let slo = self.slo_from_yaml(path, text, &local.slo)?;
                if slo != local.slo {
                    self.save_slo(local.revision, &slo).await?;
                }
                Ok(())
            }
            DocumentKind::Roadmap => self.apply_roadmap(path, text).await,
            other => Err(not_pulled(other)),
        }
    }

    /// Saves the initiatives a roadmap file changes: new ones first (others
    /// may depend on them), then edits, each naming the revision it read.
    /// The whole file was checked as one plan before anything is written.
    async fn apply_roadmap(&self, path: &str, text: &str) -> Result<()> {
        let all = self.roadmap_from_text(path, text).await?;
        let initiatives: Vec<Initiative> = all.iter().map(|(i, _)| i.clone()).collect();
        let plan =
            plasma_models::roadmap::Plan::build(&initiatives).map_err(|e| invalid(path, e))?;
        let ws = self.current_workspace().await?;
        let stored = self.store().list_initiatives(ws.id).await?;
        // In plan order, so a new initiative's prerequisites exist before it.
        for key in &plan.order {
            if let Some((i, None)) = all.iter().find(|(i, _)| &i.key == key) {
                self.add_initiative(i).await?;
            }
        }
        for (i, revision) in &all {
            let Some(revision) = revision else { continue };
            if stored.iter().any(|s| s.initiative == *i) {
                continue;
            }
            self.save_initiative(*revision, i).await?;
        }
        Ok(())
    }

    async fn apply_matrix(&self, framework: &str, path: &str, text: &str) -> Result<()> {
        let rows = parse_matrix_csv(text).map_err(|e| invalid(path, e))?;
        let snap = self.compliance_snapshot().await?;
        let saves: Vec<CellSave> =
            overlay(&snap, framework, &rows, &self.adr_numbers().await?, path)?
                .into_iter()
                .filter(|(cell, current)| current.is_none_or(|c| c.cell != *cell))
                .map(|(cell, current)| CellSave {
                    cell,
                    expected_revision: current.map_or(0, |c| c.revision),
                })
                .collect();
        if !saves.is_empty() {
            self.store().save_cells(snap.workspace.id, &saves).await?;
        }
        Ok(())
    }

    /// A planning document found on GitHub that the app does not track yet.
    pub(crate) async fn planning_import(
        &self,
        kind: DocumentKind,
        path: &str,
        text: &str,
        layout: &Layout,
    ) -> Result<LocalDocument> {
        match kind {
            DocumentKind::Compliance => {
                let rows = parse_matrix_csv(text).map_err(|e| invalid(path, e))?;
                let framework = rows
                    .first()
                    .map(|r| r.get("framework").to_string())
                    .ok_or_else(|| invalid(path, "the matrix has no rows"))?;
                self.framework_document_key(&framework)
                    .await
                    .map_err(|e| invalid(path, e))?;
                self.apply_matrix(&framework, path, text).await?;
                let snap = self.compliance_snapshot().await?;
                Ok(compliance_document(&snap, &framework, layout)?.doc)
            }
            DocumentKind::Slo => {
                let ws = self.current_workspace().await?;
                let parsed = openslo::import(text, ws.id).map_err(|e| invalid(path, e))?;
                let [slo] = <[Slo; 1]>::try_from(parsed.slos).map_err(|all| {
                    invalid(
                        path,
                        format!(
                            "a synced SLO file holds one SLO; this one holds {}",
                            all.len()
                        ),
                    )
                })?;
                if self.store().get_slo(ws.id, &slo.handle()).await.is_ok() {
                    return Err(invalid(
                        path,
                        format!(
                            "SLO {} already exists here under another file name",
                            slo.handle()
                        ),
                    ));
                }
                let row = self.add_slo(slo).await?;
                Ok(slo_document(&row.slo, &slo_description(&ws, &row.slo), layout).doc)
            }
            DocumentKind::Roadmap => {
                let ws = self.current_workspace().await?;
                if !self.store().list_initiatives(ws.id).await?.is_empty() {
                    return Err(invalid(
                        path,
                        "this workspace has its own roadmap; publish it (`plasma sync publish --roadmap`) to propose it against this file",
                    ));
                }
                self.apply_roadmap(path, text).await?;
                Ok(self.roadmap_document(layout).await?.doc)
            }
            other => Err(not_pulled(other)),
        }
    }

    /// What a pull does with one changed document: ADRs and threat models
    /// as `plasma_sync` decides; matrices and SLOs merged item-wise over
    /// their JSON form, the results rendered back to their files.
    pub(crate) async fn decide_document(
        &self,
        kind: DocumentKind,
        key: &str,
        path: &str,
        base: &str,
        local: &str,
        remote: &str,
    ) -> Result<PullDecision> {
        if !matches!(
            kind,
            DocumentKind::Compliance | DocumentKind::Slo | DocumentKind::Roadmap
        ) || remote == base
            || remote == local
            || local == base
        {
            return Ok(decide(kind, base, local, remote)?);
        }
        let (b, l, r) = self
            .documents_as_json(kind, key, path, base, local, remote)
            .await?;
        let outcome = merge_json(&b.to_string(), &l.to_string(), &r.to_string())?;
        let prefer_local = self
            .render_merged(kind, path, &outcome.prefer_local)
            .await?;
        if outcome.is_clean() {
            return Ok(PullDecision::Merged(prefer_local));
        }
        let prefer_remote = self
            .render_merged(kind, path, &outcome.prefer_remote)
            .await?;
        Ok(PullDecision::Conflict(MergeOutcome {
            prefer_local,
            prefer_remote,
            conflicts: outcome.conflicts,
        }))
    }

    /// The three versions of a matrix, roadmap or SLO file as the JSON the
    /// item-wise merge works on (stable ids per row, initiative, field).
    async fn documents_as_json(
        &self,
        kind: DocumentKind,
        key: &str,
        path: &str,
        base: &str,
        local: &str,
        remote: &str,
    ) -> Result<(Value, Value, Value)> {
        Ok(match kind {
            DocumentKind::Compliance => (
                matrix_json(base)?,
                matrix_json(local)?,
                matrix_json(remote)?,
            ),
            DocumentKind::Roadmap => (
                roadmap_json(path, base)?,
                roadmap_json(path, local)?,
                roadmap_json(path, remote)?,
            ),
            _ => {
                let current = self.local_slo(key).await?.slo;
                let as_json = |text: &str| -> Result<Value> {
                    serde_json::to_value(self.slo_from_yaml(path, text, &current)?)
                        .map_err(|e| invalid(path, e))
                };
                (as_json(base)?, as_json(local)?, as_json(remote)?)
            }
        })
    }

    /// Settles a conflict item by item, as `merge_document` does for ADRs
    /// and threat models; matrices, the roadmap and SLOs go through their
    /// JSON form (where their conflict items were found) and back to files.
    pub(crate) async fn resolve_document_items(
        &self,
        kind: DocumentKind,
        key: &str,
        path: &str,
        [base, local, remote]: [&str; 3],
        choices: &Choices,
    ) -> Result<MergeOutcome> {
        if !matches!(
            kind,
            DocumentKind::Compliance | DocumentKind::Slo | DocumentKind::Roadmap
        ) {
            return Ok(merge_document(kind, base, local, remote, choices)?);
        }
        let (b, l, r) = self
            .documents_as_json(kind, key, path, base, local, remote)
            .await?;
        let outcome =
            merge_json_resolving(&b.to_string(), &l.to_string(), &r.to_string(), choices)?;
        Ok(MergeOutcome {
            prefer_local: self
                .render_merged(kind, path, &outcome.prefer_local)
                .await?,
            prefer_remote: self
                .render_merged(kind, path, &outcome.prefer_remote)
                .await?,
            conflicts: outcome.conflicts,
        })
    }
}

impl Workbench {
    /// A merged JSON form back to the document's file.
    async fn render_merged(&self, kind: DocumentKind, path: &str, json: &str) -> Result<String> {
        if kind == DocumentKind::Compliance {
            return matrix_from_json(json);
        }
        if kind == DocumentKind::Roadmap {
            let items = roadmap_items_from_json(path, json)?;
            let all = self.roadmap_overlay(&items).await?;
            let initiatives: Vec<Initiative> = all.into_iter().map(|(i, _)| i).collect();
            return self.render_roadmap(&initiatives).await;
        }
        let slo: Slo = serde_json::from_str(json).map_err(|e| invalid(path, e))?;
        self.slo_text(&slo).await
    }
}

/// The OpenSLO `Service` description: the repository's of the same name.
fn slo_description(ws: &plasma_models::Workspace, slo: &Slo) -> String {
    ws.repositories
        .iter()
        .find(|r| r.name == slo.service)
        .map(|r| r.description.clone())
        .unwrap_or_default()
}

fn not_pulled(kind: DocumentKind) -> WorkbenchError {
    WorkbenchError::Invalid(format!("{} documents cannot be pulled", kind.label()))
}

/// A roadmap file as JSON for the item-wise merge: initiatives by key.
fn roadmap_json(path: &str, text: &str) -> Result<Value> {
    let items = parse_roadmap_markdown(text).map_err(|e| invalid(path, e))?;
    let list: Vec<Value> = items
        .iter()
        .map(|i| {
            json!({
                "id": i.key,
                "title": i.title,
                "status": i.status,
                "owner": i.owner,
                "target_quarter": i.target_quarter,
                "estimate_days": i.estimate_days,
                "depends_on": i.depends_on,
                "description": i.description,
                "repositories": i.repositories,
                "milestones": i.milestones,
            })
        })
        .collect();
    Ok(json!({ "initiatives": list }))
}

fn roadmap_items_from_json(path: &str, text: &str) -> Result<Vec<RoadmapItem>> {
    let v: Value = serde_json::from_str(text).map_err(|e| invalid(path, e))?;
    let mut out = Vec::new();
    for (n, item) in v["initiatives"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let text_of = |name: &str| item[name].as_str().unwrap_or_default().to_string();
        let typed = |name: &str| item[name].clone();
        out.push(RoadmapItem {
            line: n + 1,
            key: text_of("id"),
            title: text_of("title"),
            status: serde_json::from_value(typed("status")).map_err(|e| invalid(path, e))?,
            owner: text_of("owner"),
            target_quarter: item["target_quarter"].as_str().map(str::to_string),
            estimate_days: serde_json::from_value(typed("estimate_days"))
                .map_err(|e| invalid(path, e))?,
            depends_on: serde_json::from_value(typed("depends_on"))
                .map_err(|e| invalid(path, e))?,
            description: text_of("description"),
            repositories: serde_json::from_value(typed("repositories"))
                .map_err(|e| invalid(path, e))?,
            milestones: serde_json::from_value(typed("milestones"))
                .map_err(|e| invalid(path, e))?,
        });
    }
    Ok(out)
}

/// Columns of a matrix file the app renders from its own records and does
/// not read back (evidence ids and expiry, full threat ids do not fit a
/// cell; titles and mapped credit come from the catalogs).
const APP_OWNED_COLUMNS: [&str; 6] = [
    "group",
    "title",
    "evidence",
    "threats",
    "mapped_credit",
    "mapped_from",
];

/// Says which rows of a matrix file edited on GitHub changed columns the
/// app owns, comparing the file as GitHub has it with the app's rendering
/// of it; `None` when there are none (or either side does not parse, which
/// the pull reports on its own).
pub(crate) fn ignored_matrix_edits(key: &str, remote: &str, canonical: &str) -> Option<String> {
    let (Ok(remote), Ok(canonical)) = (parse_matrix_csv(remote), parse_matrix_csv(canonical))
    else {
        return None;
    };
    let ours: HashMap<String, &MatrixRow> = canonical.iter().map(|r| (r.id(), r)).collect();
    let mut edits = Vec::new();
    for row in &remote {
        let Some(mine) = ours.get(&row.id()) else {
            continue;
        };
        let columns: Vec<&str> = APP_OWNED_COLUMNS
            .into_iter()
            .filter(|c| row.get(c) != mine.get(c))
            .collect();
        if !columns.is_empty() {
            edits.push(format!("{} ({})", row.id(), columns.join(", ")));
        }
    }
    if edits.is_empty() {
        return None;
    }
    let more = if edits.len() > 3 {
        format!(" and {} more", edits.len() - 3)
    } else {
        String::new()
    };
    edits.truncate(3);
    Some(format!(
        "{key}: edits on GitHub to columns the app keeps itself were not taken: {}{more}; \
         record evidence and links in the app (`plasma compliance set`)",
        edits.join("; ")
    ))
}

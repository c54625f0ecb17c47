//! Threat-model operations: import (Threat Dragon, OTM, pytm, Threagile, Threat Composer, Threat
//! Modeling Tool), STRIDE
//! generation, reports, Threat Dragon export and the CI gate (`check`).
//!
//! Re-importing a file updates the model of the same name in place and
//! never loses what people decided about threats:
//! - the file is the truth for structure (name, description, diagrams, data
//!   assets); the workspace repositories of the model are kept when the file
//!   names none;
//! - a threat from the file that the model already has (same id, else same
//!   target, category and title) takes the file's text but keeps the model's
//!   status, notes, severity override, CVSS vector, mitigations and linked
//!   ADRs; threats only the model has are kept;
//! - then the STRIDE rules run again ([`regenerate`]): rule threats that no
//!   longer apply are marked obsolete, never deleted.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use chrono::{DateTime, Utc};
use plasma_exports::threat::{self as formats, detect_format, ThreatFormat};
use plasma_models::slug::file_slug;
use plasma_models::threat::stored::{FedThreat, StoredThreat};
use plasma_models::threat::{
    generate, regenerate, Diagram, Mitigation, MitigationStatus, Regeneration, RegenerationPlan,
    RuleSet, Severity, Stride, Threat, ThreatModel, ThreatStatus, ThreatTarget,
};
use plasma_storage::{ImportAction, StoreError, StoredThreatModel, ThreatModelHead};
use serde::{Deserialize, Serialize};
use specta::Type;
use uuid::Uuid;

use crate::{Result, Workbench, WorkbenchError};

/// What the threat-model list shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ThreatModelSummary {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub revision: u32,
    pub updated_at: DateTime<Utc>,
    pub diagrams: u32,
    pub elements: u32,
    pub flows: u32,
    pub data_assets: u32,
    pub threats: u32,
    /// Threats that are open, not obsolete, and have no done mitigation.
    pub unmitigated: u32,
    pub obsolete: u32,
}

/// One threat as lists and the CI gate show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ThreatRow {
    pub id: Uuid,
    /// The first 8 hex digits of the id.
    pub short_id: String,
    pub severity: Severity,
    /// "open", "mitigated", "accepted", "transferred" or "not_applicable".
    pub status: String,
    pub category: Stride,
    /// "element" or "flow".
    pub target_kind: String,
    pub target_id: Uuid,
    /// `None` when the element or flow no longer exists.
    pub target_name: Option<String>,
    pub title: String,
    /// The rule that made the threat; `None` for imported or hand-written ones.
    pub rule_id: Option<String>,
    pub obsolete: bool,
    pub mitigations: u32,
    pub mitigations_done: u32,
}

/// What one STRIDE run changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ThreatCounts {
    /// Rule threats the model did not have before.
    pub new: u32,
    /// Rule threats the model had and that still apply.
    pub kept: u32,
    /// Rule threats that no longer apply (kept, marked obsolete).
    pub obsolete: u32,
    /// Threats no rule made (imported from the file or written by hand).
    pub other: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ThreatImportReport {
    pub file: String,
    /// "threat_dragon", "otm", "pytm", "threagile", "threat_composer" or "tm7".
    pub format: String,
    pub action: ImportAction,
    pub model: ThreatModelSummary,
    pub counts: ThreatCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct GenerateReport {
    pub model: ThreatModelSummary,
    pub counts: ThreatCounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ThreatReportFiles {
    pub dir: String,
    /// File names written, in order.
    pub files: Vec<String>,
}

/// The CI gate's verdict: the threats at or above `fail_on` that are
/// unmitigated (see [`is_unmitigated`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ThreatCheck {
    pub model: String,
    pub fail_on: Severity,
    pub offending: Vec<ThreatRow>,
}

/// A threat counts as unmitigated when it is not obsolete, its status is
/// `Open`, and none of its mitigations is `Done` (no mitigations at all, or
/// only planned / in-progress ones). Accepted, transferred, mitigated and
/// not-applicable threats never count.
pub fn is_unmitigated(t: &Threat) -> bool {
    unmitigated(t.obsolete, &t.status, &t.mitigations)
}

/// The rule behind [`is_unmitigated`], on the fields both the model and its
/// stored form have: still open, not obsolete, and no mitigation done.
fn unmitigated(obsolete: bool, status: &ThreatStatus, mitigations: &[Mitigation]) -> bool {
    !obsolete
        && *status == ThreatStatus::Open
        && !mitigations
            .iter()
            .any(|m| m.status == MitigationStatus::Done)
}

pub fn status_label(s: &ThreatStatus) -> &'static str {
    match s {
        ThreatStatus::Open => "open",
        ThreatStatus::Mitigated => "mitigated",
        ThreatStatus::Accepted { .. } => "accepted",
        ThreatStatus::Transferred => "transferred",
        ThreatStatus::NotApplicable => "not_applicable",
    }
}

pub fn format_label(f: ThreatFormat) -> &'static str {
    match f {
        ThreatFormat::ThreatDragon => "threat_dragon",
        ThreatFormat::Otm => "otm",
        ThreatFormat::Pytm => "pytm",
        ThreatFormat::Threagile => "threagile",
        ThreatFormat::ThreatComposer => "threat_composer",
        ThreatFormat::Tm7 => "tm7",
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub fn summarize(stored: &StoredThreatModel) -> ThreatModelSummary {
    let m = &stored.model;
    ThreatModelSummary {
        id: m.id,
        name: m.name.clone(),
        description: m.description.clone(),
        revision: stored.revision,
        updated_at: stored.updated_at,
        diagrams: count(m.diagrams.len()),
        elements: count(m.diagrams.iter().map(|d| d.elements.len()).sum()),
        flows: count(m.diagrams.iter().map(|d| d.flows.len()).sum()),
        data_assets: count(m.data_assets.len()),
        threats: count(m.threats.len()),
        unmitigated: count(m.threats.iter().filter(|t| is_unmitigated(t)).count()),
        obsolete: count(m.threats.iter().filter(|t| t.obsolete).count()),
    }
}

/// Threat counts of a model summary, added up one stored threat at a time.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    threats: usize,
    unmitigated: usize,
    obsolete: usize,
}

impl Tally {
    fn of(t: &StoredThreat) -> Tally {
        Tally::counting(t.obsolete(), t.status(), t.mitigations())
    }

    fn of_fed(t: &FedThreat) -> Tally {
        Tally::counting(t.obsolete(), t.status(), t.mitigations())
    }

    fn counting(obsolete: bool, status: &ThreatStatus, mitigations: &[Mitigation]) -> Tally {
        Tally {
            threats: 1,
            unmitigated: usize::from(unmitigated(obsolete, status, mitigations)),
            obsolete: usize::from(obsolete),
        }
    }

    fn add(&mut self, other: Tally) {
        self.threats += other.threats;
        self.unmitigated += other.unmitigated;
        self.obsolete += other.obsolete;
    }
}

/// [`summarize`] of a model read in parts (no rule text needed): its
/// diagram part and the tally of its threats.
fn summarize_head(head: &ThreatModelHead, tally: Tally) -> ThreatModelSummary {
    let m = &head.head;
    let diagrams = m.diagrams();
    ThreatModelSummary {
        id: head.id,
        name: m.name().to_string(),
        description: m.description().to_string(),
        revision: head.revision,
        updated_at: head.updated_at,
        diagrams: count(diagrams.len()),
        elements: count(diagrams.iter().map(|d| d.elements.len()).sum()),
        flows: count(diagrams.iter().map(|d| d.flows.len()).sum()),
        data_assets: count(m.data_assets().len()),
        threats: count(tally.threats),
        unmitigated: count(tally.unmitigated),
        obsolete: count(tally.obsolete),
    }
}

pub fn threat_row(model: &ThreatModel, t: &Threat) -> ThreatRow {
    let id = t.id.to_string();
    ThreatRow {
        id: t.id,
        short_id: id[..8].to_string(),
        severity: t.severity(),
        status: status_label(&t.status).to_string(),
        category: t.category,
        target_kind: match t.target {
            ThreatTarget::Element(_) => "element",
            ThreatTarget::Flow(_) => "flow",
        }
        .to_string(),
        target_id: t.target.id(),
        target_name: model.target_name(&t.target).map(str::to_string),
        title: t.title.clone(),
        rule_id: t.rule_id.clone(),
        obsolete: t.obsolete,
        mitigations: count(t.mitigations.len()),
        mitigations_done: count(
            t.mitigations
                .iter()
                .filter(|m| m.status == MitigationStatus::Done)
                .count(),
        ),
    }
}

/// The bundled STRIDE rules, parsed once per process (and shared with the
/// store, which reads rule text from them).
fn rules() -> Result<&'static RuleSet> {
    RuleSet::bundled_shared()
        .map_err(|e| WorkbenchError::Invalid(format!("the bundled STRIDE rules do not load: {e}")))
}

/// Runs the rules over `model` and merges the result into its threats.
pub(crate) fn run_rules(model: &mut ThreatModel) -> Result<ThreatCounts> {
    run_rules_changed(model).map(|(counts, _)| counts)
}

/// [`run_rules`], also saying whether the threats changed.
fn run_rules_changed(model: &mut ThreatModel) -> Result<(ThreatCounts, bool)> {
    let before: HashSet<Uuid> = model
        .threats
        .iter()
        .filter(|t| t.is_generated())
        .map(|t| t.id)
        .collect();
    let fresh = generate(model, rules()?);
    // A generated threat that went out through a file format without rule
    // ids (Threat Dragon) comes back as a user threat with the generated
    // id: it is that threat, so it takes its rule back and merges.
    let rule_of: HashMap<Uuid, Option<String>> =
        fresh.iter().map(|t| (t.id, t.rule_id.clone())).collect();
    let mut relinked = false;
    for t in model.threats.iter_mut().filter(|t| !t.is_generated()) {
        if let Some(rule) = rule_of.get(&t.id) {
            t.rule_id = rule.clone();
            relinked = true;
        }
    }
    let merged = regenerate(&model.threats, fresh);
    let changed = relinked || merged != model.threats;
    model.threats = merged;
    let mut counts = ThreatCounts::default();
    for t in &model.threats {
        if !t.is_generated() {
            counts.other += 1;
        } else if t.obsolete {
            counts.obsolete += 1;
        } else if before.contains(&t.id) {
            counts.kept += 1;
        } else {
            counts.new += 1;
        }
    }
    Ok((counts, changed))
}

/// Brings threats read from a file into the model's current ones, keeping
/// the model's decisions (see the module documentation).
fn merge_file_threats(existing: &[Threat], from_file: Vec<Threat>) -> Vec<Threat> {
    let mut out = existing.to_vec();
    // Each existing threat takes at most one threat of the file.
    let mut taken = vec![false; existing.len()];
    for t in from_file {
        let free = |i: &usize| !taken[*i];
        let same = (0..existing.len())
            .filter(free)
            .find(|&i| existing[i].id == t.id)
            .or_else(|| {
                (0..existing.len()).filter(free).find(|&i| {
                    let o = &existing[i];
                    o.rule_id == t.rule_id
                        && o.target == t.target
                        && o.category == t.category
                        && o.title == t.title
                })
            });
        match same {
            Some(i) => {
                taken[i] = true;
                let old = &existing[i];
                let mut new = t;
                new.id = old.id;
                new.status = old.status.clone();
                new.notes = old.notes.clone();
                new.severity_override = old.severity_override;
                new.cvss = old.cvss.clone();
                new.mitigations = old.mitigations.clone();
                new.linked_adrs = old.linked_adrs.clone();
                new.obsolete = old.obsolete;
                out[i] = new;
            }
            None => out.push(t),
        }
    }
    out
}

/// Write-then-rename, so a crash never leaves half a file behind. A device,
/// a pipe or a symbolic link (`--out /dev/stdout` in a CI pipeline, a link
/// to `/proc/self/fd/1`) is written into instead: renaming over it would
/// replace the node itself (as root, `/dev/null` and `/dev/stdout` became
/// plain files).
pub(crate) fn write_atomic(path: &Path, text: &str) -> Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return std::fs::write(path, text).map_err(|e| WorkbenchError::io(path, e));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| WorkbenchError::Invalid(format!("{} is not a file name", path.display())))?;
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, text).map_err(|e| WorkbenchError::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| WorkbenchError::io(path, e))
}

fn not_found_hint(e: StoreError, name: &str) -> WorkbenchError {
    match e {
        StoreError::NotFound { .. } => WorkbenchError::NotFound(format!(
            "no threat model named \"{name}\" in this workspace (see `plasma threats models`)"
        )),
        other => other.into(),
    }
}

impl Workbench {
    /// Imports a threat model file. `format` None detects it from the name
    /// and content. Diagrams are laid out, the STRIDE rules run, and the
    /// model of the same name is updated in place (keeping decisions), else
    /// a new one is created.
    pub async fn import_threat_model(
        &self,
        path: &Path,
        format: Option<ThreatFormat>,
    ) -> Result<ThreatImportReport> {
        let text = WorkbenchError::read_text(path)?;
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let format = format.or_else(|| detect_format(&file_name, &text)).ok_or_else(|| {
            WorkbenchError::Invalid(
                match (
                    formats::json_syntax_error(&text),
                    formats::what_it_looks_like(&text),
                ) {
                    (Some(e), _) => format!("{}: {e}", path.display()),
                    (None, Some(kind)) => format!("{}: this is {kind}", path.display()),
                    (None, None) => format!(
                        "{}: cannot tell whether this is a Threat Dragon, OTM, pytm, Threagile, Threat Composer or Threat Modeling Tool file; name it with --format",
                        path.display()
                    ),
                },
            )
        })?;
        let ws = self.current_workspace().await?;
        let imported = match format {
            ThreatFormat::ThreatDragon => formats::threat_dragon::import(&text, ws.id),
            ThreatFormat::Otm => formats::otm::import(&text, ws.id),
            ThreatFormat::Pytm => formats::pytm::import(&text, ws.id),
            ThreatFormat::Threagile => formats::threagile::import(&text, ws.id),
            ThreatFormat::ThreatComposer => formats::threat_composer::import(&text, ws.id),
            ThreatFormat::Tm7 => formats::tm7::import(&text, ws.id),
        };
        let mut model =
            imported.map_err(|e| WorkbenchError::Invalid(format!("{}: {e}", path.display())))?;
        model.workspace_id = ws.id;
        for diagram in &mut model.diagrams {
            formats::diagram::auto_layout(diagram);
        }

        let existing = match self
            .store()
            .get_threat_model_by_name(ws.id, &model.name)
            .await
        {
            Ok(found) => Some(found),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e.into()),
        };
        let summary = format!("imported from {file_name}");
        let (stored, action, counts) = match existing {
            None => {
                // Model ids are global; the file's may be known elsewhere
                // (the same file imported into another workspace).
                model.id = Uuid::new_v4();
                let counts = run_rules(&mut model)?;
                let stored = self.store().create_threat_model(&model).await?;
                (stored, ImportAction::Created, counts)
            }
            Some(current) => {
                model.id = current.model.id;
                if model.repositories.is_empty() {
                    model.repositories = current.model.repositories.clone();
                }
                let from_file = std::mem::take(&mut model.threats);
                model.threats = merge_file_threats(&current.model.threats, from_file);
                let counts = run_rules(&mut model)?;
                let stored = self
                    .store()
                    .save_threat_model_as(model.id, current.revision, &model, Some(&summary))
                    .await?;
                let action = if stored.revision == current.revision {
                    ImportAction::Unchanged
                } else {
                    ImportAction::Updated
                };
                (stored, action, counts)
            }
        };
        Ok(ThreatImportReport {
            file: path.display().to_string(),
            format: format_label(format).to_string(),
            action,
            model: summarize(&stored),
            counts,
        })
    }

    /// The workspace's models, by name, summarized from their diagram
    /// parts and a tally of their stored threats (no model is read whole:
    /// a 5,000-element one would take a quarter of a second and 70 MB).
    pub async fn list_threat_models(&self) -> Result<Vec<ThreatModelSummary>> {
        let ws = self.current_workspace().await?;
        let ids = self.store().threat_model_ids(ws.id).await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            // A save between the two reads is a conflict: read again.
            let mut attempt = 0;
            let summary = loop {
                match self.summarize_stored(ws.id, id).await {
                    Err(WorkbenchError::Store(StoreError::Conflict { .. })) if attempt < 3 => {
                        attempt += 1;
                    }
                    // Deleted meanwhile: no longer listed.
                    Err(WorkbenchError::Store(StoreError::NotFound { .. })) => break None,
                    other => break Some(other?),
                }
            };
            out.extend(summary);
        }
        Ok(out)
    }

    /// [`summarize`] of model `id`, read in parts.
    async fn summarize_stored(&self, workspace: Uuid, id: Uuid) -> Result<ThreatModelSummary> {
        let head = self
            .store()
            .read_threat_model_head(workspace, &id.to_string())
            .await?
            .parse()?;
        let mut tally = Tally::default();
        self.store()
            .read_stored_threats(id, head.revision, |page| {
                for t in &page {
                    tally.add(Tally::of_fed(t));
                }
            })
            .await?;
        Ok(summarize_head(&head, tally))
    }

    /// A model of the current workspace, by id or name.
    pub async fn get_threat_model(&self, name_or_id: &str) -> Result<StoredThreatModel> {
        let ws = self.current_workspace().await?;
        self.store()
            .get_threat_model_by_name(ws.id, name_or_id)
            .await
            .map_err(|e| not_found_hint(e, name_or_id))
    }

    /// Saves a user's edit of a model (optimistic concurrency: a stale
    /// `expected_revision` is refused with code `conflict`).
    pub async fn save_threat_model(
        &self,
        id: Uuid,
        expected_revision: u32,
        model: &ThreatModel,
    ) -> Result<StoredThreatModel> {
        Ok(self
            .store()
            .save_threat_model(id, expected_revision, model)
            .await?)
    }

    /// Saves a user's edit of a model's diagrams only: the desktop's
    /// autosave after a drag, which then need not send a model's thousands
    /// of threats across IPC and back. The rest of the model is the stored
    /// one; a stale `expected_revision` is refused with code `conflict`.
    /// Returns the new revision.
    pub async fn save_threat_diagrams(
        &self,
        id: Uuid,
        expected_revision: u32,
        diagrams: Vec<Diagram>,
    ) -> Result<u32> {
        let mut model = self.store().get_threat_model(id).await?.model;
        model.diagrams = diagrams;
        let saved = self
            .store()
            .save_threat_model(id, expected_revision, &model)
            .await?;
        Ok(saved.revision)
    }

    /// A model's threats, most severe first (model order among equals).
    pub async fn list_threats(&self, name_or_id: &str) -> Result<Vec<ThreatRow>> {
        let stored = self.get_threat_model(name_or_id).await?;
        let m = &stored.model;
        let mut rows: Vec<ThreatRow> = m.threats.iter().map(|t| threat_row(m, t)).collect();
        rows.sort_by_key(|r| std::cmp::Reverse(r.severity));
        Ok(rows)
    }

    /// Runs the STRIDE rules again and saves the merge. Works on the stored
    /// form: rule text is filled only for threats that are new or changed,
    /// and only those rows are written (nothing when nothing changed). The
    /// rules run on a blocking thread while the stored threats are read, and
    /// each stored threat is paired with its rule threat as both arrive
    /// (see [`Regeneration`]), then dropped.
    pub async fn generate_threats(&self, name_or_id: &str) -> Result<GenerateReport> {
        let ws = self.current_workspace().await?;
        let unparsed = self
            .store()
            .read_threat_model_head(ws.id, name_or_id)
            .await
            .map_err(|e| not_found_hint(e, name_or_id))?;
        let (id, revision) = (unparsed.id(), unparsed.revision());
        let (pages, arriving) = mpsc::channel::<Vec<FedThreat>>();
        // The diagram part is parsed on the rules' thread while the stored
        // threats are read.
        type Planned = (RegenerationPlan, Tally, ThreatModelHead);
        let engine = tokio::task::spawn_blocking(move || -> Result<Planned> {
            let head = unparsed.parse()?;
            let mut regeneration = Regeneration::new(&head.head, rules()?);
            // Each stored threat as it is, by position, until the plan
            // replaces it.
            let mut as_is: Vec<Tally> = Vec::new();
            let mut take = |regeneration: &mut Regeneration, page: Vec<FedThreat>| {
                for old in page {
                    as_is.push(Tally::of_fed(&old));
                    regeneration.feed(old);
                }
            };
            // The rules pair each threat with its stored one as both come
            // in, so neither side piles up.
            regeneration.run_rules(|regeneration| {
                while let Ok(page) = arriving.try_recv() {
                    take(regeneration, page);
                }
            });
            for page in arriving {
                take(&mut regeneration, page);
            }
            let plan = regeneration.finish();
            for w in &plan.writes {
                let now = Tally::of(&w.stored);
                match as_is.get_mut(w.position) {
                    Some(slot) if !w.insert => *slot = now,
                    _ => as_is.push(now),
                }
            }
            let mut tally = Tally::default();
            for t in as_is {
                tally.add(t);
            }
            Ok((plan, tally, head))
        });
        // The engine ends once the sender is dropped, whether or not the read
        // got through; a failed read is reported before anything is written.
        let read = self
            .store()
            .read_stored_threats(id, revision, move |page| {
                // The engine only stops early on an error, reported below.
                let _ = pages.send(page);
            })
            .await;
        let planned = engine.await.map_err(|e| {
            WorkbenchError::Invalid(format!("the STRIDE rules did not finish: {e}"))
        })?;
        read?;
        let (plan, tally, head) = planned?;
        let mut summary = summarize_head(&head, tally);
        if !plan.is_empty() {
            let (revision, updated_at) = self
                .store()
                .apply_regeneration(head.id, head.revision, &plan, "regenerated threats")
                .await?;
            summary.revision = revision;
            summary.updated_at = updated_at;
        }
        let c = plan.counts;
        Ok(GenerateReport {
            model: summary,
            counts: ThreatCounts {
                new: c.new,
                kept: c.kept,
                obsolete: c.obsolete,
                other: c.other,
            },
        })
    }

    /// Writes `<slug>.md`, `<slug>-threats.csv`, and per diagram `<slug>.svg`,
    /// `<slug>.mmd`, `<slug>.dot` (the second diagram on gets `-2`, `-3`...).
    pub async fn threat_report(&self, name_or_id: &str, dir: &Path) -> Result<ThreatReportFiles> {
        let model = self.get_threat_model(name_or_id).await?.model;
        std::fs::create_dir_all(dir).map_err(|e| WorkbenchError::io(dir, e))?;
        let slug = file_slug(&model.name);
        let mut files: Vec<(String, String)> = vec![
            (format!("{slug}.md"), formats::report::markdown(&model)),
            (
                format!("{slug}-threats.csv"),
                formats::report::threats_csv(&model),
            ),
        ];
        for i in 0..model.diagrams.len() {
            let base = if i == 0 {
                slug.clone()
            } else {
                format!("{slug}-{}", i + 1)
            };
            files.push((format!("{base}.svg"), formats::diagram::svg(&model, i)));
            files.push((format!("{base}.mmd"), formats::diagram::mermaid(&model, i)));
            files.push((format!("{base}.dot"), formats::diagram::dot(&model, i)));
        }
        let mut names = Vec::with_capacity(files.len());
        for (name, text) in files {
            write_atomic(&dir.join(&name), &text)?;
            names.push(name);
        }
        Ok(ThreatReportFiles {
            dir: dir.display().to_string(),
            files: names,
        })
    }

    /// Writes the model as a Threat Dragon v2 JSON file.
    /// Writes the model to `file` as Threat Dragon or OTM JSON.
    pub async fn export_threat_model(
        &self,
        name_or_id: &str,
        file: &Path,
        format: formats::ThreatExportFormat,
    ) -> Result<PathBuf> {
        let model = self.get_threat_model(name_or_id).await?.model;
        if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| WorkbenchError::io(parent, e))?;
        }
        write_atomic(file, &formats::export(&model, format))?;
        Ok(file.to_path_buf())
    }

    /// The CI gate: unmitigated threats (see [`is_unmitigated`]) whose
    /// severity is `fail_on` or above, most severe first.
    pub async fn check_threats(&self, name_or_id: &str, fail_on: Severity) -> Result<ThreatCheck> {
        let stored = self.get_threat_model(name_or_id).await?;
        let m = &stored.model;
        let mut offending: Vec<ThreatRow> = m
            .threats
            .iter()
            .filter(|t| is_unmitigated(t) && t.severity() >= fail_on)
            .map(|t| threat_row(m, t))
            .collect();
        offending.sort_by_key(|r| std::cmp::Reverse(r.severity));
        Ok(ThreatCheck {
            model: m.name.clone(),
            fail_on,
            offending,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const SMALL_TD: &str = include_str!("../../tests/fixtures/threats/small-td.json");

    #[test]
    fn a_pipe_is_written_into_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("out");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        write_atomic(&fifo, "exported\n").unwrap();
        // Checked before waiting on the reader, which a replaced pipe
        // would leave waiting for ever.
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "the pipe was replaced by {kind:?}");
        assert_eq!(reader.join().unwrap(), "exported\n");
        // A regular file is still replaced whole, with no temporary left.
        let file = dir.path().join("model.json");
        std::fs::write(&file, "old, longer text").unwrap();
        write_atomic(&file, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn a_symbolic_link_is_written_through_not_replaced() {
        // `/dev/stdout` is a link to `/proc/self/fd/1`, which names a regular
        // file when standard output is redirected to one.
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("captured.txt");
        std::fs::write(&target, "").unwrap();
        let link = dir.path().join("stdout");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_atomic(&link, "exported\n").unwrap();
        let kind = std::fs::symlink_metadata(&link).unwrap().file_type();
        assert!(kind.is_symlink(), "the link was replaced by {kind:?}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "exported\n");
    }

    /// The desktop shell runs these futures on a multi-threaded runtime, so
    /// they must be `Send`; this fails to compile otherwise, without
    /// building the Tauri crate.
    #[allow(dead_code)]
    fn operations_are_send(wb: &Workbench) {
        fn send<T: Send>(_: T) {}
        send(wb.generate_threats("model"));
        send(wb.import_threat_model(Path::new("model.json"), None));
        send(wb.get_threat_model("model"));
        send(wb.list_threat_models());
    }

    async fn bench() -> (tempfile::TempDir, Workbench, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let wb = Workbench::open(&dir.path().join("p.db")).await.unwrap();
        let file = dir.path().join("small-td.json");
        std::fs::write(&file, SMALL_TD).unwrap();
        (dir, wb, file)
    }

    #[tokio::test]
    async fn the_list_summarizes_each_model_as_a_whole_read_does() {
        let (dir, wb, file) = bench().await;
        let first = wb.import_threat_model(&file, None).await.unwrap();
        let stored = wb.get_threat_model(&first.model.name).await.unwrap();
        let mut m = stored.model.clone();
        // A mitigated threat, a noted one, and obsolete ones (their element
        // is gone).
        m.threats[0].status = ThreatStatus::Mitigated;
        m.threats[1].notes = "Looked at".into();
        let gone = m.diagrams[0].elements[0].id;
        m.diagrams[0].elements.retain(|e| e.id != gone);
        m.diagrams[0]
            .flows
            .retain(|f| f.source != gone && f.target != gone);
        wb.save_threat_model(m.id, stored.revision, &m)
            .await
            .unwrap();
        wb.generate_threats(&m.name).await.unwrap();
        let mut second = ThreatModel::new(m.workspace_id, "Another");
        second
            .diagrams
            .push(plasma_models::threat::Diagram::new("Main"));
        wb.store().create_threat_model(&second).await.unwrap();

        let listed = wb.list_threat_models().await.unwrap();
        assert_eq!(listed.len(), 2);
        assert_eq!(listed[0].name, "Another", "by name");
        for summary in &listed {
            let whole = summarize(&wb.get_threat_model(&summary.id.to_string()).await.unwrap());
            assert_eq!(summary, &whole);
        }
        let busy = &listed[1];
        assert!(busy.obsolete > 0 && busy.unmitigated > 0, "{busy:?}");
        assert!(busy.unmitigated < busy.threats - busy.obsolete, "{busy:?}");
        drop(dir);
    }

    #[tokio::test]
    async fn import_twice_keeps_a_users_status_edit() {
        let (_dir, wb, file) = bench().await;
        let first = wb.import_threat_model(&file, None).await.unwrap();
        assert_eq!(first.action, ImportAction::Created);
        assert_eq!(first.format, "threat_dragon");
        assert!(first.counts.new > 0, "{first:?}");
        assert_eq!(first.counts.obsolete, 0);

        let stored = wb.get_threat_model(&first.model.name).await.unwrap();
        let mut edited = stored.model.clone();
        let target = edited
            .threats
            .iter_mut()
            .find(|t| t.is_generated())
            .unwrap();
        target.status = ThreatStatus::Mitigated;
        target.notes = "TLS everywhere since March".into();
        let edited_id = target.id;
        let imported_id = edited
            .threats
            .iter()
            .find(|t| !t.is_generated())
            .map(|t| t.id);
        if let Some(id) = imported_id {
            let t = edited.threats.iter_mut().find(|t| t.id == id).unwrap();
            t.status = ThreatStatus::NotApplicable;
        }
        wb.save_threat_model(edited.id, stored.revision, &edited)
            .await
            .unwrap();

        let second = wb.import_threat_model(&file, None).await.unwrap();
        assert_ne!(second.action, ImportAction::Created);
        assert_eq!(second.counts.new, 0, "{second:?}");
        assert_eq!(second.counts.obsolete, 0, "{second:?}");
        let after = wb
            .get_threat_model(&first.model.id.to_string())
            .await
            .unwrap();
        assert_eq!(
            after.model.threats.len(),
            edited.threats.len(),
            "no duplicates"
        );
        let kept = after
            .model
            .threats
            .iter()
            .find(|t| t.id == edited_id)
            .unwrap();
        assert_eq!(kept.status, ThreatStatus::Mitigated);
        assert_eq!(kept.notes, "TLS everywhere since March");
        if let Some(id) = imported_id {
            let t = after.model.threats.iter().find(|t| t.id == id).unwrap();
            assert_eq!(
                t.status,
                ThreatStatus::NotApplicable,
                "file threats keep edits"
            );
        }
        assert_eq!(wb.list_threat_models().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn regenerate_marks_threats_of_a_removed_element_obsolete() {
        let (_dir, wb, file) = bench().await;
        let report = wb.import_threat_model(&file, None).await.unwrap();
        let stored = wb.get_threat_model(&report.model.name).await.unwrap();
        let mut model = stored.model.clone();
        // Remove the data store and the flows touching it.
        let diagram = &mut model.diagrams[0];
        let store_id = diagram
            .elements
            .iter()
            .find(|e| e.kind == plasma_models::threat::ElementKind::DataStore)
            .unwrap()
            .id;
        diagram.elements.retain(|e| e.id != store_id);
        diagram
            .flows
            .retain(|f| f.source != store_id && f.target != store_id);
        let on_store = model
            .threats
            .iter()
            .filter(|t| t.is_generated() && t.target == ThreatTarget::Element(store_id))
            .count();
        assert!(on_store > 0, "the fixture's store raises threats");
        // One threat elsewhere is mitigated: the summary after generating
        // counts it out of the unmitigated ones.
        let mitigated = model
            .threats
            .iter_mut()
            .find(|t| t.is_generated() && t.target != ThreatTarget::Element(store_id))
            .unwrap();
        mitigated.status = ThreatStatus::Mitigated;
        wb.save_threat_model(model.id, stored.revision, &model)
            .await
            .unwrap();

        let generated = wb.generate_threats(&model.name).await.unwrap();
        // The summary of the merge, tallied as the threats stream past, is
        // the summary of the model as stored after it.
        let saved = wb.get_threat_model(&model.name).await.unwrap();
        assert_eq!(generated.model, summarize(&saved));
        assert!(generated.model.obsolete >= count(on_store));
        assert!(generated.model.unmitigated < generated.model.threats - generated.model.obsolete);
        assert!(
            generated.counts.obsolete >= count(on_store),
            "{generated:?}"
        );
        assert_eq!(generated.counts.new, 0);
        let after = wb.get_threat_model(&model.name).await.unwrap().model;
        assert!(after
            .threats
            .iter()
            .filter(|t| t.target == ThreatTarget::Element(store_id) && t.is_generated())
            .all(|t| t.obsolete));
        // Running it again changes nothing.
        let again = wb.generate_threats(&model.name).await.unwrap();
        assert_eq!(again.model, generated.model);
        assert_eq!(
            (again.counts.new, again.counts.obsolete, again.counts.other),
            (0, generated.counts.obsolete, generated.counts.other)
        );
        assert_eq!(wb.get_threat_model(&model.name).await.unwrap().model, after);
        // The obsolete threats of the removed store keep their rule text,
        // though it can no longer be filled in from the store's name.
        let on_gone: Vec<&Threat> = stored
            .model
            .threats
            .iter()
            .filter(|t| t.target == ThreatTarget::Element(store_id) && t.is_generated())
            .collect();
        for t in on_gone {
            let now = after.threats.iter().find(|n| n.id == t.id).unwrap();
            assert_eq!(
                (&now.title, &now.description, &now.suggested_mitigations),
                (&t.title, &t.description, &t.suggested_mitigations)
            );
        }
    }

    #[tokio::test]
    async fn check_lists_only_open_unmitigated_threats_at_or_above_the_bar() {
        let (_dir, wb, file) = bench().await;
        let report = wb.import_threat_model(&file, None).await.unwrap();
        let name = report.model.name;
        let check = wb.check_threats(&name, Severity::Note).await.unwrap();
        assert!(!check.offending.is_empty());
        let stored = wb.get_threat_model(&name).await.unwrap();
        let mut model = stored.model.clone();
        for t in &mut model.threats {
            t.mitigations.push(plasma_models::threat::Mitigation {
                id: Uuid::new_v4(),
                title: "Done".into(),
                status: MitigationStatus::Done,
                owner: None,
            });
        }
        wb.save_threat_model(model.id, stored.revision, &model)
            .await
            .unwrap();
        let check = wb.check_threats(&name, Severity::Note).await.unwrap();
        assert!(check.offending.is_empty(), "{check:?}");
    }

    #[test]
    fn file_threats_merge_by_id_then_by_target_category_and_title() {
        let target = ThreatTarget::Element(Uuid::new_v4());
        let mut old = Threat::manual(
            "Replay",
            Stride::Spoofing,
            target,
            plasma_models::threat::Rating::High,
            plasma_models::threat::Rating::High,
        );
        old.status = ThreatStatus::Mitigated;
        let mut again = old.clone();
        again.id = Uuid::new_v4();
        again.status = ThreatStatus::Open;
        again.description = "new text".into();
        let merged = merge_file_threats(std::slice::from_ref(&old), vec![again]);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].id, old.id);
        assert_eq!(merged[0].status, ThreatStatus::Mitigated);
        assert_eq!(merged[0].description, "new text");
    }
}

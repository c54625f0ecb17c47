//! Assessments in from OSCAL: the implemented requirements of a component
//! definition or SSP (ours, trestle's, another tool's) applied to the
//! cells of one framework.
//!
//! A component is a repository of the workspace by name (ASCII
//! case-insensitive, or the same slug: "Plasma Engine Gateway" is
//! `plasma-engine-gateway`), or by the uuid our OSCAL export gives the
//! repository's component; in an SSP, a component that is no repository
//! (a policy, a process) counts for the system when the system is one, its
//! text under the component's name. A control id is the framework's control as
//! OSCAL writes it (`ac-2.3` is `AC-2(3)`, `c164.308_a_1` is
//! `164.308(a)(1)`). Rows that match nothing are reported, not refused;
//! the changed cells are saved in one transaction, with the revisions read,
//! as [`Workbench::update_cells`] saves them; a file that does not parse
//! changes nothing.

use std::collections::HashMap;
use std::path::Path;

use chrono::{NaiveDate, Utc};
use plasma_exports::compliance::oscal::{component_uuid, fallback_description, oscal_token};
use plasma_exports::compliance::oscal_assessment::{parse_assessment, AssessmentRow};
use plasma_models::compliance::{Cell, ControlRef, Evidence, Framework, ImplementationStatus};
use plasma_models::slug::slugify;
use plasma_storage::CellSave;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::compliance::MatrixSnapshot;
use crate::{Result, Workbench, WorkbenchError};

/// One cell an imported row names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct AssessedCell {
    pub control: ControlRef,
    pub repository: String,
    /// The component and control id as the file writes them (an SSP's
    /// components that count for the system after the system's own, joined
    /// with `, `).
    pub component: String,
    pub oscal_control: String,
    /// What changed: `status`, `narrative`, `owner`, `last_reviewed`,
    /// `evidence` (empty for an unchanged cell).
    pub changed: Vec<String>,
}

/// What `import-assessment` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct AssessmentImportReport {
    pub file: String,
    /// `component-definition` or `system-security-plan`.
    pub model: String,
    pub title: String,
    /// The framework the rows were matched against; `None` when no row's
    /// control is in any framework.
    pub framework: Option<String>,
    /// Rows (component × control) read from the file.
    pub rows: u32,
    pub updated: Vec<AssessedCell>,
    pub unchanged: Vec<AssessedCell>,
    /// Components named after no repository (title, or uuid without one).
    pub unmatched_components: Vec<String>,
    /// Control ids, of rows whose component matched, not in the framework.
    pub unmatched_controls: Vec<String>,
    /// Rows naming a cell an earlier row already named (the first counts):
    /// `control@repository`.
    pub duplicates: Vec<String>,
}

/// A control id compared across spellings: lower case, `(3)` as `.3`,
/// `_` as `.`, leading zeros of numbers dropped (`AC-02(03)` is `ac-2.3`).
pub fn control_key(id: &str) -> String {
    let chars: Vec<char> = id.trim().to_lowercase().chars().collect();
    let mut out = String::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '(' | '_' => out.push('.'),
            ')' | ' ' => {}
            '0' if !out.ends_with(|p: char| p.is_ascii_digit())
                && chars.get(i + 1).is_some_and(char::is_ascii_digit) => {}
            c => out.push(c),
        }
    }
    while out.contains("..") {
        out = out.replace("..", ".");
    }
    out.trim_matches('.').to_string()
}

/// The repository a component stands for.
pub fn matching_repository<'a>(component: &str, repositories: &'a [String]) -> Option<&'a str> {
    let component = component.trim();
    if component.is_empty() {
        return None;
    }
    repositories
        .iter()
        .find(|r| r.eq_ignore_ascii_case(component))
        .or_else(|| {
            let slug = slugify(component);
            repositories.iter().find(|r| slugify(r) == slug)
        })
        .map(String::as_str)
}

/// A framework's controls by [`control_key`] of their id and of the
/// token our OSCAL export writes for it.
fn control_index(f: &Framework) -> HashMap<String, &str> {
    let mut index = HashMap::new();
    for c in &f.controls {
        index.entry(control_key(&c.id)).or_insert(c.id.as_str());
        index
            .entry(control_key(&oscal_token(&c.id)))
            .or_insert(c.id.as_str());
    }
    index
}

/// The framework named, else the one whose controls match most rows
/// (frameworks in scope first on a tie); `None` when no row matches.
fn choose_framework<'a>(
    snap: &'a MatrixSnapshot,
    rows: &[AssessmentRow],
    framework: Option<&str>,
) -> Result<Option<&'a Framework>> {
    if let Some(id) = framework {
        return snap.framework(id.trim()).map(Some);
    }
    let mut best: Option<(&Framework, usize, bool)> = None;
    for f in &snap.frameworks {
        let index = control_index(f);
        let hits = rows
            .iter()
            .filter(|r| index.contains_key(&control_key(&r.control_id)))
            .count();
        let in_scope = snap.scope.contains(&f.id);
        let better = match best {
            None => hits > 0,
            Some((_, n, scoped)) => hits > n || (hits == n && in_scope && !scoped),
        };
        if better {
            best = Some((f, hits, in_scope));
        }
    }
    Ok(best.map(|(f, _, _)| f))
}

/// The description our export writes for a cell without a narrative
/// ("Title: partial."): no narrative to import.
fn is_export_fallback(narrative: &str, title: &str) -> bool {
    ImplementationStatus::ALL
        .into_iter()
        .map(Some)
        .chain([None])
        .any(|s| narrative == fallback_description(title, s))
}

/// The rows of an SSP's components that are no repository, folded into the
/// system's row: each narrative under its component's name, owners and
/// evidence gathered, the state the one they agree on (else partial).
fn fold_into_system(own: Option<&AssessmentRow>, parts: &[&AssessmentRow]) -> AssessmentRow {
    let label = |r: &AssessmentRow| {
        if r.component.is_empty() {
            format!("component {}", r.component_uuid)
        } else {
            r.component.clone()
        }
    };
    let mut out = own.cloned().unwrap_or_else(|| AssessmentRow {
        component: String::new(),
        component_uuid: String::new(),
        control_id: parts[0].control_id.clone(),
        status: None,
        narrative: String::new(),
        owner: String::new(),
        not_applicable_reason: String::new(),
        last_reviewed: None,
        evidence: Vec::new(),
        at: parts[0].at.clone(),
    });
    let mut narrative: Vec<String> = [out.narrative.trim().to_string()]
        .into_iter()
        .filter(|n| !n.is_empty())
        .collect();
    let mut owners: Vec<String> = [out.owner.clone()]
        .into_iter()
        .filter(|o| !o.is_empty())
        .collect();
    let mut states: Vec<ImplementationStatus> = out.status.into_iter().collect();
    for part in parts {
        let text = part.narrative.trim();
        if !text.is_empty() {
            // Several paragraphs (statements) go under the name's own line.
            let gap = if text.contains("\n\n") { "\n\n" } else { " " };
            narrative.push(format!("{}:{gap}{text}", label(part)));
        }
        for owner in part.owner.split(", ").filter(|o| !o.is_empty()) {
            push_once(&mut owners, owner);
        }
        states.extend(part.status);
        for e in &part.evidence {
            let mut e = e.clone();
            if e.kind == plasma_models::compliance::EvidenceKind::Note {
                e.title = format!("{} ({})", e.title, label(part));
            }
            if !out.evidence.contains(&e) {
                out.evidence.push(e);
            }
        }
        out.last_reviewed = out.last_reviewed.max(part.last_reviewed);
        if out.not_applicable_reason.is_empty() {
            out.not_applicable_reason = part.not_applicable_reason.clone();
        }
    }
    let applicable: Vec<ImplementationStatus> = states
        .iter()
        .copied()
        .filter(|s| *s != ImplementationStatus::NotApplicable)
        .collect();
    out.status = match (applicable.first(), states.first()) {
        (Some(first), _) if applicable.iter().all(|s| s == first) => Some(*first),
        (Some(_), _) => Some(ImplementationStatus::Partial),
        (None, first) => first.copied(),
    };
    out.narrative = narrative.join("\n\n");
    out.owner = owners.join(", ");
    out
}

/// Applies one row to a cell (evidence collected on `collected`); returns
/// what changed.
fn apply(row: &AssessmentRow, title: &str, collected: NaiveDate, cell: &mut Cell) -> Vec<String> {
    let before = cell.clone();
    match row.status {
        Some(ImplementationStatus::NotApplicable) => {
            let reason = [
                row.not_applicable_reason.trim(),
                before.not_applicable_reason.trim(),
            ]
            .into_iter()
            .find(|r| !r.is_empty())
            .unwrap_or("Not applicable (imported from OSCAL)")
            .to_string();
            cell.set_not_applicable(reason);
        }
        Some(s) => cell.set_status(s),
        None => {}
    }
    let narrative = row.narrative.trim();
    if !narrative.is_empty()
        && narrative != cell.narrative.trim()
        && !is_export_fallback(narrative, title)
    {
        cell.narrative = narrative.to_string();
    }
    if !row.owner.trim().is_empty() {
        cell.owner = row.owner.trim().to_string();
    }
    if let Some(day) = row.last_reviewed {
        cell.last_reviewed = Some(day);
    }
    for e in &row.evidence {
        // Imported again: the cell has it already.
        let known = cell
            .evidence
            .iter()
            .any(|x| x.kind == e.kind && x.location.trim() == e.location.trim());
        if !known {
            cell.evidence.push(Evidence {
                id: uuid::Uuid::new_v4(),
                kind: e.kind,
                title: e.title.clone(),
                location: e.location.clone(),
                collected,
                expires: None,
            });
        }
    }
    let mut changed = Vec::new();
    if cell.status != before.status
        || cell.applicable != before.applicable
        || cell.not_applicable_reason != before.not_applicable_reason
    {
        changed.push("status".to_string());
    }
    if cell.narrative != before.narrative {
        changed.push("narrative".into());
    }
    if cell.owner != before.owner {
        changed.push("owner".into());
    }
    if cell.last_reviewed != before.last_reviewed {
        changed.push("last_reviewed".into());
    }
    if cell.evidence.len() != before.evidence.len() {
        changed.push("evidence".into());
    }
    changed
}

fn push_once(list: &mut Vec<String>, item: &str) {
    if !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

impl Workbench {
    /// Reads an OSCAL component definition or SSP (JSON, YAML or XML) and
    /// applies its states, narratives, owners and evidence to the cells of `framework` (else
    /// the framework whose controls match most rows). See
    /// [`Workbench::import_compliance_assessment_text`].
    pub async fn import_compliance_assessment(
        &self,
        path: &Path,
        framework: Option<&str>,
    ) -> Result<AssessmentImportReport> {
        let text = WorkbenchError::read_text(path)?;
        self.import_compliance_assessment_text(&path.display().to_string(), &text, framework)
            .await
    }

    /// As [`Workbench::import_compliance_assessment`], from the file's text
    /// (`file` names it in messages). A file that does not parse, or an
    /// unknown `framework`, changes nothing; rows matching no repository or
    /// no control are reported; the changed cells are saved in one
    /// transaction, refused whole if a cell changed since it was read.
    pub async fn import_compliance_assessment_text(
        &self,
        file: &str,
        text: &str,
        framework: Option<&str>,
    ) -> Result<AssessmentImportReport> {
        let doc =
            parse_assessment(text).map_err(|e| WorkbenchError::Invalid(format!("{file}, {e}")))?;
        let snap = self.compliance_snapshot().await?;
        let chosen = choose_framework(&snap, &doc.rows, framework)?;
        let index = chosen.map(control_index).unwrap_or_default();
        let existing: HashMap<(&ControlRef, &str), &plasma_storage::StoredCell> = snap
            .cells
            .iter()
            .map(|c| ((&c.cell.control, c.cell.repository.as_str()), c))
            .collect();
        let mut report = AssessmentImportReport {
            file: file.to_string(),
            model: doc.model.label().to_string(),
            title: doc.title.clone(),
            framework: chosen.map(|f| f.id.clone()),
            rows: u32::try_from(doc.rows.len()).unwrap_or(u32::MAX),
            updated: Vec::new(),
            unchanged: Vec::new(),
            unmatched_components: Vec::new(),
            unmatched_controls: Vec::new(),
            duplicates: Vec::new(),
        };
        let collected = doc.last_modified.unwrap_or_else(|| Utc::now().date_naive());
        let by_uuid: HashMap<String, &str> = snap
            .repositories
            .iter()
            .map(|r| (component_uuid(snap.workspace.id, r), r.as_str()))
            .collect();
        let system = doc
            .system_names
            .iter()
            .find_map(|n| matching_repository(n, &snap.repositories));
        // The cells rows name, in order: the row of the cell's own component
        // and the rows of components that count for the system.
        struct Target<'r> {
            cref: ControlRef,
            repo: String,
            own: Option<&'r AssessmentRow>,
            parts: Vec<&'r AssessmentRow>,
        }
        let mut targets: Vec<Target<'_>> = Vec::new();
        let mut target_of: HashMap<(ControlRef, String), usize> = HashMap::new();
        for row in &doc.rows {
            let direct = matching_repository(&row.component, &snap.repositories)
                .or_else(|| by_uuid.get(row.component_uuid.trim()).copied())
                .or_else(|| system.filter(|_| doc.system_names.contains(&row.component)));
            let Some(repo) = direct.or(system) else {
                let name = if row.component.is_empty() {
                    &row.component_uuid
                } else {
                    &row.component
                };
                push_once(&mut report.unmatched_components, name);
                continue;
            };
            let (Some(f), Some(control)) = (chosen, index.get(&control_key(&row.control_id)))
            else {
                push_once(&mut report.unmatched_controls, &row.control_id);
                continue;
            };
            let cref = ControlRef::new(&f.id, *control);
            let i = *target_of
                .entry((cref.clone(), repo.to_string()))
                .or_insert_with(|| {
                    targets.push(Target {
                        cref: cref.clone(),
                        repo: repo.to_string(),
                        own: None,
                        parts: Vec::new(),
                    });
                    targets.len() - 1
                });
            let target = &mut targets[i];
            if direct.is_none() {
                target.parts.push(row);
            } else if target.own.is_none() {
                target.own = Some(row);
            } else {
                report.duplicates.push(format!("{cref}@{repo}"));
            }
        }
        let mut saves = Vec::new();
        for Target {
            cref,
            repo,
            own,
            parts,
        } in targets
        {
            let row = match (own, parts.is_empty()) {
                (Some(own), true) => own.clone(),
                _ => fold_into_system(own, &parts),
            };
            let components: Vec<&str> = own
                .into_iter()
                .chain(parts.iter().copied())
                .map(|r| {
                    if r.component.is_empty() {
                        r.component_uuid.as_str()
                    } else {
                        r.component.as_str()
                    }
                })
                .collect();
            let repo = repo.as_str();
            let current = existing.get(&(&cref, repo));
            let mut cell = current
                .map(|s| s.cell.clone())
                .unwrap_or_else(|| Cell::new(cref.clone(), repo));
            let title = chosen
                .and_then(|f| f.control(&cref.control))
                .map_or("", |c| c.title.as_str());
            let changed = apply(&row, title, collected, &mut cell);
            let assessed = AssessedCell {
                control: cref.clone(),
                repository: repo.to_string(),
                component: components.join(", "),
                oscal_control: row.control_id.clone(),
                changed,
            };
            if assessed.changed.is_empty() {
                report.unchanged.push(assessed);
            } else {
                saves.push(CellSave {
                    cell,
                    expected_revision: current.map_or(0, |s| s.revision),
                });
                report.updated.push(assessed);
            }
        }
        if !saves.is_empty() {
            self.store.save_cells(snap.workspace.id, &saves).await?;
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn control_ids_match_across_spellings() {
        for (a, b) in [
            ("ac-2.3", "AC-2(3)"),
            ("ac-2", "AC-02"),
            ("ac-2.3", "AC-02(03)"),
            ("SDLC-10", "sdlc-10"),
            ("c164.308_a_1", "c164.308.a.1"),
            ("164.308(a)(1)", "164.308.a.1"),
            ("a.5.10", "A.05.10"),
        ] {
            assert_eq!(control_key(a), control_key(b), "{a} ~ {b}");
        }
        assert_ne!(control_key("ac-2"), control_key("ac-20"));
        assert_ne!(control_key("ac-1.0"), control_key("ac-1"));
        let f = Framework {
            id: "h".into(),
            name: "H".into(),
            version: String::new(),
            source: String::new(),
            notice: String::new(),
            bundled: false,
            controls: vec![plasma_models::compliance::Control {
                id: "164.308(a)(1)".into(),
                group: String::new(),
                title: "T".into(),
                description: String::new(),
            }],
        };
        let index = control_index(&f);
        assert_eq!(
            index.get(&control_key("c164.308_a_1")),
            Some(&"164.308(a)(1)")
        );
    }

    #[test]
    fn components_match_repositories_by_name_or_slug() {
        let repos = vec!["plasma-engine-gateway".to_string(), "Web".to_string()];
        assert_eq!(
            matching_repository("Plasma Engine Gateway", &repos),
            Some("plasma-engine-gateway")
        );
        assert_eq!(matching_repository("WEB", &repos), Some("Web"));
        assert_eq!(matching_repository("MongoDB", &repos), None);
        assert_eq!(matching_repository("", &repos), None);
        assert_eq!(matching_repository("  ", &["untitled".to_string()]), None);
    }

    #[test]
    fn the_export_fallback_is_no_narrative() {
        assert!(is_export_fallback("Backups: partial.", "Backups"));
        assert!(is_export_fallback("Backups: not assessed.", "Backups"));
        assert!(!is_export_fallback("Backups: nightly.", "Backups"));
    }

    #[tokio::test]
    async fn rows_apply_in_one_save_and_unknown_ones_are_reported() {
        let dir = tempfile::tempdir().unwrap();
        let wb = Workbench::open(&dir.path().join("p.db")).await.unwrap();
        wb.ensure_demo_workspace().await.unwrap();
        let snap = wb.compliance_snapshot().await.unwrap();
        let repo = snap.repositories[0].clone();
        let f = snap.framework("plasma-sdlc").unwrap();
        let control = f.controls[0].id.clone();
        let title = repo.replace('-', " ").to_uppercase();
        let doc = serde_json::json!({"component-definition": {
        "uuid": "x", "metadata": {"title": "T"},
        "components": [
            {"uuid": "a", "type": "software", "title": title, "description": "d",
             "control-implementations": [{"uuid": "i", "source": "#s", "description": "d",
               "implemented-requirements": [
                 {"uuid": "r1", "control-id": control.to_lowercase(), "description": "Imported narrative.",
                  "props": [{"name": "implementation-status", "value": "planned"}]},
                 {"uuid": "r2", "control-id": "zz-99", "description": "?"}
               ]}]},
            {"uuid": "b", "type": "software", "title": "Nowhere", "description": "d",
             "control-implementations": [{"uuid": "j", "source": "#s", "description": "d",
               "implemented-requirements": [{"uuid": "r3", "control-id": control}]}]}
        ]}});
        let before = wb.compliance_cells().await.unwrap().len();
        let report = wb
            .import_compliance_assessment_text("t.json", &doc.to_string(), None)
            .await
            .unwrap();
        assert_eq!(report.framework.as_deref(), Some("plasma-sdlc"));
        assert_eq!(report.updated.len(), 1, "{report:?}");
        assert_eq!(report.updated[0].repository, repo);
        assert_eq!(report.unmatched_controls, vec!["zz-99".to_string()]);
        assert_eq!(report.unmatched_components, vec!["Nowhere".to_string()]);
        let cells = wb.compliance_cells().await.unwrap();
        let cell = cells
            .iter()
            .find(|c| c.cell.control.control == control && c.cell.repository == repo)
            .unwrap();
        assert_eq!(cell.cell.status, Some(ImplementationStatus::Planned));
        assert_eq!(cell.cell.narrative, "Imported narrative.");
        assert!(cells.len() <= before + 1);

        // Again: nothing changes.
        let again = wb
            .import_compliance_assessment_text("t.json", &doc.to_string(), None)
            .await
            .unwrap();
        assert!(again.updated.is_empty());
        assert_eq!(again.unchanged.len(), 1);

        // A broken file changes nothing.
        let err = wb
            .import_compliance_assessment_text(
                "t.json",
                "{\"component-definition\": {\"components\": 3}}",
                None,
            )
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("components should be an array"),
            "{err}"
        );
        assert!(wb
            .import_compliance_assessment_text("t.json", &doc.to_string(), Some("nope"))
            .await
            .is_err());
    }
}

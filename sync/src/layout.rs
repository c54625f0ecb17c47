//! Where each document kind lives in a linked repository. Adding a kind is
//! one variant here plus its arm in [`DocumentKind::files`] callers' renderers
//! (workbench) — the publish and pull machinery only sees [`DocumentFile`]s.

use serde::{Deserialize, Serialize};

/// Every kind of planning record the app can publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Adr,
    ThreatModel,
    Compliance,
    Roadmap,
    Slo,
}

impl DocumentKind {
    /// Used in branch names (`drafts/<kind>-<slug>`) and document keys.
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Adr => "adr",
            DocumentKind::ThreatModel => "threat-model",
            DocumentKind::Compliance => "compliance",
            DocumentKind::Roadmap => "roadmap",
            DocumentKind::Slo => "slo",
        }
    }

    pub fn parse(label: &str) -> Option<DocumentKind> {
        [
            DocumentKind::Adr,
            DocumentKind::ThreatModel,
            DocumentKind::Compliance,
            DocumentKind::Roadmap,
            DocumentKind::Slo,
        ]
        .into_iter()
        .find(|k| k.label() == label)
    }
}

/// Folders per kind, relative to the repository root. Configurable per
/// linked repository; the defaults follow common practice (adr-tools' and
/// MADR's `docs/adr`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Layout {
    pub adr_dir: String,
    pub threat_model_dir: String,
    pub compliance_dir: String,
    pub roadmap_dir: String,
    pub slo_dir: String,
}

impl Default for Layout {
    fn default() -> Layout {
        Layout {
            adr_dir: "docs/adr".into(),
            threat_model_dir: "threat-models".into(),
            compliance_dir: "compliance".into(),
            roadmap_dir: "roadmap".into(),
            slo_dir: "slo".into(),
        }
    }
}

/// The role of one file in a document: the primary file is the one pull
/// parses and merges; derived files (report, diagram) are regenerated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileRole {
    Primary,
    Derived,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentFile {
    /// Repository-relative path with `/` separators.
    pub path: String,
    pub role: FileRole,
    pub content: String,
}

impl Layout {
    /// Reads a layout from JSON, checking every folder is a safe relative path.
    pub fn validated(self) -> Result<Layout, crate::SyncError> {
        for dir in [
            &self.adr_dir,
            &self.threat_model_dir,
            &self.compliance_dir,
            &self.roadmap_dir,
            &self.slo_dir,
        ] {
            check_relative_dir(dir)?;
        }
        Ok(self)
    }

    pub fn dir(&self, kind: DocumentKind) -> &str {
        match kind {
            DocumentKind::Adr => &self.adr_dir,
            DocumentKind::ThreatModel => &self.threat_model_dir,
            DocumentKind::Compliance => &self.compliance_dir,
            DocumentKind::Roadmap => &self.roadmap_dir,
            DocumentKind::Slo => &self.slo_dir,
        }
    }

    /// `docs/adr/0007-use-postgres.md` for an ADR whose file name is given.
    pub fn adr_path(&self, file_name: &str) -> String {
        join(&self.adr_dir, file_name)
    }

    /// `threat-models/<slug>/` holds `model.json`, `report.md`, `diagram.svg`.
    pub fn threat_model_paths(&self, slug: &str) -> [String; 3] {
        let dir = join(&self.threat_model_dir, slug);
        [
            join(&dir, "model.json"),
            join(&dir, "report.md"),
            join(&dir, "diagram.svg"),
        ]
    }

    /// `compliance/<framework>.md` and `.csv`.
    pub fn compliance_paths(&self, framework_slug: &str) -> [String; 2] {
        [
            join(&self.compliance_dir, &format!("{framework_slug}.md")),
            join(&self.compliance_dir, &format!("{framework_slug}.csv")),
        ]
    }

    pub fn roadmap_path(&self) -> String {
        join(&self.roadmap_dir, "roadmap.md")
    }

    /// `slo/<service>-<slo>.yaml`: one OpenSLO file per SLO.
    pub fn slo_path(&self, slug: &str) -> String {
        join(&self.slo_dir, &format!("{slug}.yaml"))
    }

    /// Which kind a repository path belongs to (pull uses it to route files
    /// to importers), or `None` for files the app does not own.
    pub fn kind_of(&self, path: &str) -> Option<DocumentKind> {
        let in_dir = |dir: &str| {
            dir.is_empty() || path.strip_prefix(dir).is_some_and(|r| r.starts_with('/'))
        };
        if in_dir(&self.adr_dir) && path.ends_with(".md") {
            let name = path.rsplit('/').next().unwrap_or(path);
            if name.len() > 5 && name[..4].bytes().all(|b| b.is_ascii_digit()) {
                return Some(DocumentKind::Adr);
            }
        }
        if in_dir(&self.threat_model_dir) && path.ends_with("/model.json") {
            return Some(DocumentKind::ThreatModel);
        }
        if path == self.roadmap_path() {
            return Some(DocumentKind::Roadmap);
        }
        // Files directly in the folder: a matrix is `<framework>.csv` (its
        // `.md` is derived), an SLO `<service>-<slo>.yaml`.
        let direct = |dir: &str| {
            let rest = if dir.trim_matches('/').is_empty() {
                Some(path)
            } else {
                path.strip_prefix(dir.trim_matches('/'))
                    .and_then(|r| r.strip_prefix('/'))
            };
            rest.is_some_and(|r| !r.contains('/') && !r.starts_with('.'))
        };
        if direct(&self.compliance_dir) && path.ends_with(".csv") {
            return Some(DocumentKind::Compliance);
        }
        if direct(&self.slo_dir) && (path.ends_with(".yaml") || path.ends_with(".yml")) {
            return Some(DocumentKind::Slo);
        }
        None
    }
}

fn join(dir: &str, name: &str) -> String {
    let dir = dir.trim_matches('/');
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

fn check_relative_dir(dir: &str) -> Result<(), crate::SyncError> {
    let bad = dir.starts_with('/')
        || dir.contains('\\')
        || dir.split('/').any(|seg| seg == ".." || seg == ".")
        || dir.chars().any(|c| c.is_control());
    if bad {
        return Err(crate::SyncError::Invalid(format!(
            "layout folder \"{dir}\" must be a relative path inside the repository (no `..`, no leading `/`)"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_paths_follow_the_documented_layout() {
        let l = Layout::default();
        assert_eq!(
            l.adr_path("0007-use-postgres.md"),
            "docs/adr/0007-use-postgres.md"
        );
        assert_eq!(
            l.threat_model_paths("payments"),
            [
                "threat-models/payments/model.json".to_string(),
                "threat-models/payments/report.md".to_string(),
                "threat-models/payments/diagram.svg".to_string()
            ]
        );
        assert_eq!(l.compliance_paths("soc2")[1], "compliance/soc2.csv");
        assert_eq!(l.roadmap_path(), "roadmap/roadmap.md");
        assert_eq!(l.slo_path("checkout"), "slo/checkout.yaml");
    }

    #[test]
    fn routes_paths_to_kinds() {
        let l = Layout::default();
        assert_eq!(l.kind_of("docs/adr/0001-x.md"), Some(DocumentKind::Adr));
        assert_eq!(l.kind_of("docs/adr/README.md"), None);
        assert_eq!(l.kind_of("docs/adrx/0001-x.md"), None);
        assert_eq!(
            l.kind_of("threat-models/pay/model.json"),
            Some(DocumentKind::ThreatModel)
        );
        assert_eq!(l.kind_of("threat-models/pay/report.md"), None);
        assert_eq!(
            l.kind_of("compliance/soc2.csv"),
            Some(DocumentKind::Compliance)
        );
        assert_eq!(l.kind_of("compliance/soc2.md"), None, "derived");
        assert_eq!(l.kind_of("compliance/old/soc2.csv"), None);
        assert_eq!(
            l.kind_of("slo/checkout-availability.yaml"),
            Some(DocumentKind::Slo)
        );
        assert_eq!(l.kind_of("slo/nested/x.yaml"), None);
        assert_eq!(l.kind_of("roadmap/roadmap.md"), Some(DocumentKind::Roadmap));
        assert_eq!(l.kind_of("roadmap/notes.md"), None);
    }

    #[test]
    fn refuses_folders_outside_the_repository() {
        let l = Layout {
            adr_dir: "../etc".into(),
            ..Layout::default()
        };
        assert!(l.validated().is_err());
        let l = Layout {
            slo_dir: "/abs".into(),
            ..Layout::default()
        };
        assert!(l.validated().is_err());
        assert!(Layout::default().validated().is_ok());
    }

    #[test]
    fn kind_labels_round_trip() {
        for k in [
            DocumentKind::Adr,
            DocumentKind::ThreatModel,
            DocumentKind::Compliance,
            DocumentKind::Roadmap,
            DocumentKind::Slo,
        ] {
            assert_eq!(DocumentKind::parse(k.label()), Some(k));
        }
    }
}

//! Threat models in and out: Threat Dragon v2 (import and export), Open
//! Threat Model, pytm, Threagile, AWS Threat Composer and Microsoft Threat
//! Modeling Tool (import), a Markdown
//! report and a CSV of threats, and the data-flow diagrams as SVG, Mermaid and Graphviz DOT.
//!
//! Everything here is pure: text in, [`ThreatModel`] out, and back. Imported
//! ids are deterministic (the same file always gives the same ids), so a
//! re-import updates the same elements and threats instead of adding new ones.
//!
//! [`ThreatModel`]: plasma_models::threat::ThreatModel

pub mod diagram;
pub mod otm;
pub mod otm_export;
pub mod pytm;
pub mod report;
pub mod threagile;
pub mod threat_composer;
pub mod threat_dragon;
pub mod tm7;

mod json;
mod otm_devici;
mod text;

use serde::{Deserialize, Serialize};
use specta::Type;
use thiserror::Error;

/// Why an import failed and where: a JSON pointer into the document
/// (`/detail/diagrams/0/cells/3/source/cell`) or `line N` for syntax errors.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{location}: {reason}")]
pub struct ImportError {
    pub location: String,
    pub reason: String,
}

impl ImportError {
    pub fn new(location: impl Into<String>, reason: impl Into<String>) -> ImportError {
        ImportError {
            location: location.into(),
            reason: reason.into(),
        }
    }
}

/// The threat-model file formats Plasma Plan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ThreatFormat {
    ThreatDragon,
    Otm,
    Pytm,
    Threagile,
    ThreatComposer,
    /// Microsoft Threat Modeling Tool (`.tm7`).
    Tm7,
}

/// The threat-model file formats Plasma Plan writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ThreatExportFormat {
    /// OWASP Threat Dragon v2 JSON: everything, and what this app imports back whole.
    ThreatDragon,
    /// Open Threat Model 0.2 JSON, for IriusRisk and other OTM tools.
    Otm,
}

/// The model as a file of `format`.
pub fn export(model: &plasma_models::threat::ThreatModel, format: ThreatExportFormat) -> String {
    match format {
        ThreatExportFormat::ThreatDragon => threat_dragon::export(model),
        ThreatExportFormat::Otm => otm_export::export(model),
    }
}

/// Why a file that [`detect_format`] cannot place is no threat model: a
/// text that opens as JSON (`{` or `[`) but does not parse gives the syntax
/// error with its line and column (a trailing comma, as in pytm's
/// `inputfiles/JSONtemplateForUser.json`, or a hand-edited Threat Dragon
/// file), since every format it could be would stop there; `None` for
/// anything else.
pub fn json_syntax_error(text: &str) -> Option<ImportError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    // An empty file, or JSON `null` (what Threat Dragon's desktop app saved
    // for a model it never wrote), holds no model of any format.
    if trimmed.is_empty() {
        return Some(ImportError::new(
            "file",
            "the file is empty: there is no model in it",
        ));
    }
    if trimmed.trim_end() == "null" {
        return Some(ImportError::new(
            "file",
            "the file holds only JSON null: there is no model in it",
        ));
    }
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return None;
    }
    json::parse_json(trimmed).err()
}

/// What a JSON document that no import recognised looks like (an OWASP
/// Threat Model Library file, a CycloneDX BOM, a JSON Schema...), for the
/// error that refuses it; `None` for anything else.
pub fn what_it_looks_like(text: &str) -> Option<&'static str> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if !trimmed.starts_with('{') {
        return None;
    }
    let value: serde_json::Value = serde_json::from_str(trimmed).ok()?;
    json::looks_like(&value)
}

/// Which format a file is in, from its name and content; `None` when it is
/// none of them (or not parseable: see [`json_syntax_error`]). Content wins
/// over the extension.
pub fn detect_format(file_name: &str, text: &str) -> Option<ThreatFormat> {
    let lower = file_name.to_ascii_lowercase();
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if tm7::looks_like_tm7(trimmed) {
        return Some(ThreatFormat::Tm7);
    }
    if trimmed.starts_with('{') {
        let value: serde_json::Value = serde_json::from_str(trimmed).ok()?;
        let map = value.as_object()?;
        if map.contains_key("otmVersion") {
            return Some(ThreatFormat::Otm);
        }
        if map.contains_key("threagile_version") {
            return Some(ThreatFormat::Threagile);
        }
        if threat_composer::looks_like_threat_composer(&value) {
            return Some(ThreatFormat::ThreatComposer);
        }
        if map.contains_key("summary") && map.contains_key("detail") {
            return Some(ThreatFormat::ThreatDragon);
        }
        // A Threat Dragon template: a v2 model under `model`.
        if map.contains_key("templateMetadata") && map.contains_key("model") {
            return Some(ThreatFormat::ThreatDragon);
        }
        // An early pytm report (`potential threats` by element name): the
        // pytm importer says why it cannot be drawn.
        let pytm_keys = ["elements", "flows", "boundaries", "potential threats"];
        if pytm_keys.iter().any(|k| map.contains_key(*k)) {
            return Some(ThreatFormat::Pytm);
        }
        if lower.ends_with(".otm") || lower.ends_with(".otm.json") {
            return Some(ThreatFormat::Otm);
        }
        return None;
    }
    if trimmed.starts_with('[') {
        // pytm's threat library and "Element" lists: the pytm importer says
        // what they are.
        let value: serde_json::Value = serde_json::from_str(trimmed).ok()?;
        let first = value.as_array()?.first()?;
        if first.get("SID").is_some() || first.get("Element").is_some() {
            return Some(ThreatFormat::Pytm);
        }
        // threatcl's OTM export: one OTM document per threat model.
        if first.get("otmVersion").is_some() {
            return Some(ThreatFormat::Otm);
        }
        // Threagile's risks.json: the Threagile importer says what it is.
        if first.get("synthetic_id").is_some() {
            return Some(ThreatFormat::Threagile);
        }
        return None;
    }
    // A pytm script: the pytm importer says how to get its JSON.
    if pytm::looks_like_script(trimmed) {
        return Some(ThreatFormat::Pytm);
    }
    // A `.tm7` name that is not JSON: the importer says what is wrong.
    if lower.ends_with(".tm7") {
        return Some(ThreatFormat::Tm7);
    }
    let yaml_name = lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".otm");
    // OTM in YAML: a top-level `otmVersion:` key.
    let has_otm_key = trimmed
        .lines()
        .any(|l| l.starts_with("otmVersion:") || l.starts_with("\"otmVersion\":"));
    if has_otm_key || (lower.ends_with(".otm") && yaml_name) {
        return Some(ThreatFormat::Otm);
    }
    // Threagile: a top-level `threagile_version:` key.
    if trimmed
        .lines()
        .any(|l| l.starts_with("threagile_version:") || l.starts_with("\"threagile_version\":"))
    {
        return Some(ThreatFormat::Threagile);
    }
    None
}

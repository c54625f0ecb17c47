//! Frameworks and their controls.
//!
//! A catalog file is TOML:
//!
//! ```toml
//! [framework]
//! id = "plasma-sdlc"
//! name = "Plasma secure SDLC"
//! version = "1"
//! source = "Where the control list comes from"
//! notice = "Licence or attribution note shown with the catalog"
//!
//! [[control]]
//! id = "SDLC-01"
//! group = "Secure design"
//! title = "Design review"
//! description = "..."
//! ```
//!
//! SOC 2 and ISO/IEC 27001 catalogs carry identifiers and short titles we
//! wrote ourselves: the AICPA and ISO criteria text is copyrighted and never
//! shipped. A user may paste licensed text into a control's description.

use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use specta::Type;

use super::ComplianceError;

/// The bundled catalog files: (file name, TOML text).
pub const BUNDLED_CATALOG_FILES: &[(&str, &str)] = &[
    (
        "catalogs/plasma-sdlc.toml",
        include_str!("../../catalogs/plasma-sdlc.toml"),
    ),
    (
        "catalogs/soc2.toml",
        include_str!("../../catalogs/soc2.toml"),
    ),
    (
        "catalogs/iso27001-2022.toml",
        include_str!("../../catalogs/iso27001-2022.toml"),
    ),
    (
        "catalogs/nist-csf-2.toml",
        include_str!("../../catalogs/nist-csf-2.toml"),
    ),
    (
        "catalogs/gdpr.toml",
        include_str!("../../catalogs/gdpr.toml"),
    ),
    (
        "catalogs/hipaa-security.toml",
        include_str!("../../catalogs/hipaa-security.toml"),
    ),
];

/// A control catalog: bundled, or imported from OSCAL or CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Framework {
    /// Short, stable id used on the command line (`soc2`, `iso27001-2022`).
    pub id: String,
    pub name: String,
    pub version: String,
    /// Where the controls come from (publisher, URL).
    pub source: String,
    /// Licence or attribution note shown with the catalog.
    pub notice: String,
    /// True for catalogs shipped with Plasma Plan.
    #[serde(default)]
    pub bundled: bool,
    pub controls: Vec<Control>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Control {
    /// The framework's own identifier (`CC6.1`, `A.8.25`, `GV.OC-01`).
    pub id: String,
    /// The family or category it belongs to.
    #[serde(default)]
    pub group: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
}

/// One control of one framework: `framework:control` in text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type)]
pub struct ControlRef {
    pub framework: String,
    pub control: String,
}

impl ControlRef {
    pub fn new(framework: impl Into<String>, control: impl Into<String>) -> ControlRef {
        ControlRef {
            framework: framework.into(),
            control: control.into(),
        }
    }

    /// Reads `framework:control` (the control id may itself contain `:`).
    pub fn parse(text: &str) -> Option<ControlRef> {
        let (framework, control) = text.split_once(':')?;
        let (framework, control) = (framework.trim(), control.trim());
        (!framework.is_empty() && !control.is_empty()).then(|| ControlRef::new(framework, control))
    }
}

impl fmt::Display for ControlRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.framework, self.control)
    }
}

impl Framework {
    pub fn control(&self, id: &str) -> Option<&Control> {
        self.controls.iter().find(|c| c.id == id)
    }

    /// Checks ids: a framework id of lower-case ASCII letters, digits, `-`,
    /// `.` and `_`; at least one control; control ids present, unique, free
    /// of control characters; titles present.
    pub fn validate(&self) -> Result<(), String> {
        validate_framework_id(&self.id)?;
        if self.name.trim().is_empty() {
            return Err(format!("framework \"{}\" has no name", self.id));
        }
        if self.controls.is_empty() {
            return Err(format!("framework \"{}\" has no controls", self.id));
        }
        let mut seen = HashSet::new();
        for (i, c) in self.controls.iter().enumerate() {
            let at = format!("control {} (\"{}\")", i + 1, c.id);
            if c.id.trim().is_empty() || c.id.trim() != c.id {
                return Err(format!("{at}: the id is empty or has surrounding spaces"));
            }
            if c.id.chars().any(char::is_control) || c.id.len() > 100 {
                return Err(format!(
                    "{at}: the id has control characters or is too long"
                ));
            }
            if c.title.trim().is_empty() {
                return Err(format!("{at}: the title is empty"));
            }
            if !seen.insert(c.id.as_str()) {
                return Err(format!("{at}: the id is used twice"));
            }
        }
        Ok(())
    }
}

pub fn validate_framework_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '.' | '_'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "framework id \"{id}\" must be 1-64 lower-case letters, digits, '-', '.' or '_'"
        ))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    framework: FrameworkHeader,
    #[serde(default)]
    control: Vec<Control>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrameworkHeader {
    id: String,
    name: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    notice: String,
}

/// Parses one catalog file (see the module docs). `file` names it in errors.
pub fn parse_catalog_toml(file: &str, text: &str) -> Result<Framework, ComplianceError> {
    let parsed: CatalogFile = toml::from_str(text).map_err(|e| ComplianceError::Catalog {
        file: file.to_string(),
        reason: e.to_string(),
    })?;
    let h = parsed.framework;
    let framework = Framework {
        id: h.id,
        name: h.name,
        version: h.version,
        source: h.source,
        notice: h.notice,
        bundled: false,
        controls: parsed.control,
    };
    framework
        .validate()
        .map_err(|reason| ComplianceError::Catalog {
            file: file.to_string(),
            reason,
        })?;
    Ok(framework)
}

/// The catalogs shipped with Plasma Plan, parsed once. An error here means
/// a bundled file is broken (a unit test checks they all parse).
pub fn bundled_frameworks() -> Result<&'static [Framework], ComplianceError> {
    static FRAMEWORKS: OnceLock<Result<Vec<Framework>, ComplianceError>> = OnceLock::new();
    FRAMEWORKS
        .get_or_init(|| {
            BUNDLED_CATALOG_FILES
                .iter()
                .map(|(file, text)| {
                    let mut f = parse_catalog_toml(file, text)?;
                    f.bundled = true;
                    Ok(f)
                })
                .collect()
        })
        .as_ref()
        .map(Vec::as_slice)
        .map_err(Clone::clone)
}

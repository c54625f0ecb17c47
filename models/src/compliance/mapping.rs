//! Cross-framework mappings with the NIST IR 8477 set-theory relationships.
//!
//! A mapping says how a source control relates to a target control:
//! `equal` (same requirement), `subset` (the source asks for part of what
//! the target asks), `superset` (the source asks for all of it and more) or
//! `intersects` (they overlap). `strength` (1-10) is the share, in tenths,
//! of the target that implementing the source satisfies; it defaults from
//! the relationship and the user may change it.
//!
//! Bundled mappings live in `models/catalogs/mappings.toml`; a workspace
//! keeps its edits as [`MappingOverride`]s (change or remove a bundled
//! mapping, or add one) and [`effective_mappings`] merges the two.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use specta::Type;

use super::catalog::{ControlRef, Framework};
use super::ComplianceError;

pub const BUNDLED_MAPPINGS_FILE: (&str, &str) = (
    "catalogs/mappings.toml",
    include_str!("../../catalogs/mappings.toml"),
);

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type,
)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    Equal,
    Subset,
    Superset,
    Intersects,
}

impl Relationship {
    pub const ALL: [Relationship; 4] = [
        Relationship::Equal,
        Relationship::Subset,
        Relationship::Superset,
        Relationship::Intersects,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Relationship::Equal => "equal",
            Relationship::Subset => "subset",
            Relationship::Superset => "superset",
            Relationship::Intersects => "intersects",
        }
    }

    pub fn parse(text: &str) -> Option<Relationship> {
        let text = text.trim();
        Relationship::ALL
            .into_iter()
            .find(|r| r.label().eq_ignore_ascii_case(text))
    }

    /// The relationship read the other way round (target to source).
    pub fn inverse(self) -> Relationship {
        match self {
            Relationship::Subset => Relationship::Superset,
            Relationship::Superset => Relationship::Subset,
            other => other,
        }
    }

    /// How much of the target implementing the source satisfies, in tenths,
    /// when nobody said otherwise: all of it for equal and superset.
    pub fn default_strength(self) -> u8 {
        match self {
            Relationship::Equal | Relationship::Superset => 10,
            Relationship::Subset => 6,
            Relationship::Intersects => 4,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Mapping {
    pub source: ControlRef,
    pub target: ControlRef,
    pub relationship: Relationship,
    /// 1-10: tenths of the target satisfied by implementing the source.
    pub strength: u8,
    pub rationale: String,
    /// True when the mapping ships with Plasma Plan (possibly edited).
    pub bundled: bool,
}

impl Mapping {
    /// The share of the target that a fully implemented source satisfies.
    pub fn forward_share(&self) -> f64 {
        f64::from(self.strength) / 10.0
    }

    /// The share of the source that a fully implemented target satisfies:
    /// all of it when the target contains the source (equal, subset).
    pub fn backward_share(&self) -> f64 {
        match self.relationship {
            Relationship::Equal => f64::from(self.strength) / 10.0,
            Relationship::Subset => 1.0,
            Relationship::Superset | Relationship::Intersects => {
                f64::from(self.relationship.inverse().default_strength()) / 10.0
            }
        }
    }

    /// Checks strength and that both ends name known controls.
    pub fn validate(&self, frameworks: &[Framework]) -> Result<(), ComplianceError> {
        let err = |reason: String| ComplianceError::Mapping {
            source_ref: self.source.to_string(),
            target: self.target.to_string(),
            reason,
        };
        if !(1..=10).contains(&self.strength) {
            return Err(err(format!(
                "strength must be 1 to 10, not {}",
                self.strength
            )));
        }
        if self.source == self.target {
            return Err(err("a control cannot map to itself".into()));
        }
        for end in [&self.source, &self.target] {
            let Some(f) = frameworks.iter().find(|f| f.id == end.framework) else {
                return Err(err(format!("no framework \"{}\"", end.framework)));
            };
            if f.control(&end.control).is_none() {
                return Err(err(format!(
                    "framework \"{}\" has no control \"{}\"",
                    end.framework, end.control
                )));
            }
        }
        Ok(())
    }
}

/// A workspace's edit of the mapping set. `relationship: None` removes the
/// (bundled) mapping between the two controls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct MappingOverride {
    pub source: ControlRef,
    pub target: ControlRef,
    pub relationship: Option<Relationship>,
    pub strength: Option<u8>,
    pub rationale: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingsFile {
    #[serde(default)]
    mapping: Vec<MappingEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingEntry {
    source: String,
    target: String,
    relationship: Relationship,
    strength: Option<u8>,
    #[serde(default)]
    rationale: String,
}

/// Parses a mappings file (`[[mapping]]` tables with `source` and `target`
/// as `framework:control`, `relationship`, optional `strength`, `rationale`)
/// and checks every entry against `frameworks`.
pub fn parse_mappings_toml(
    file: &str,
    text: &str,
    frameworks: &[Framework],
) -> Result<Vec<Mapping>, ComplianceError> {
    let parsed: MappingsFile = toml::from_str(text).map_err(|e| ComplianceError::Catalog {
        file: file.to_string(),
        reason: e.to_string(),
    })?;
    let mut out = Vec::with_capacity(parsed.mapping.len());
    for (i, m) in parsed.mapping.into_iter().enumerate() {
        let at = |what: &str, text: &str| ComplianceError::Catalog {
            file: file.to_string(),
            reason: format!(
                "mapping {}: {what} \"{text}\" is not framework:control",
                i + 1
            ),
        };
        let source = ControlRef::parse(&m.source).ok_or_else(|| at("source", &m.source))?;
        let target = ControlRef::parse(&m.target).ok_or_else(|| at("target", &m.target))?;
        let mapping = Mapping {
            strength: m.strength.unwrap_or(m.relationship.default_strength()),
            source,
            target,
            relationship: m.relationship,
            rationale: m.rationale,
            bundled: true,
        };
        mapping.validate(frameworks)?;
        out.push(mapping);
    }
    Ok(out)
}

/// The bundled mappings, parsed once against the bundled catalogs.
pub fn bundled_mappings() -> Result<&'static [Mapping], ComplianceError> {
    static MAPPINGS: OnceLock<Result<Vec<Mapping>, ComplianceError>> = OnceLock::new();
    MAPPINGS
        .get_or_init(|| {
            let frameworks = super::catalog::bundled_frameworks()?;
            parse_mappings_toml(BUNDLED_MAPPINGS_FILE.0, BUNDLED_MAPPINGS_FILE.1, frameworks)
        })
        .as_ref()
        .map(Vec::as_slice)
        .map_err(Clone::clone)
}

/// Bundled mappings with a workspace's overrides applied, in a stable
/// order (source, then target). An override names a pair of controls; it
/// replaces the mapping between them, removes it, or adds a new one.
pub fn effective_mappings(bundled: &[Mapping], overrides: &[MappingOverride]) -> Vec<Mapping> {
    let mut by_pair: BTreeMap<(ControlRef, ControlRef), Mapping> = bundled
        .iter()
        .map(|m| ((m.source.clone(), m.target.clone()), m.clone()))
        .collect();
    for o in overrides {
        let key = (o.source.clone(), o.target.clone());
        match o.relationship {
            None => {
                by_pair.remove(&key);
            }
            Some(relationship) => {
                let bundled = by_pair.get(&key).is_some_and(|m| m.bundled);
                by_pair.insert(
                    key,
                    Mapping {
                        source: o.source.clone(),
                        target: o.target.clone(),
                        relationship,
                        strength: o.strength.unwrap_or(relationship.default_strength()),
                        rationale: o.rationale.clone(),
                        bundled,
                    },
                );
            }
        }
    }
    by_pair.into_values().collect()
}

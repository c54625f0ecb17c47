//! Severity: the OWASP risk rating (likelihood x impact) and CVSS scores
//! (the 3.1 base score and the 4.0 score).

use serde::{Deserialize, Serialize};
use specta::Type;
use thiserror::Error;

use super::model::Rating;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Note,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The CVSS qualitative rating of a score ("None" is `Note`); 3.1 and
    /// 4.0 share the scale.
    pub fn from_cvss(score: f64) -> Severity {
        if score >= 9.0 {
            Severity::Critical
        } else if score >= 7.0 {
            Severity::High
        } else if score >= 4.0 {
            Severity::Medium
        } else if score >= 0.1 {
            Severity::Low
        } else {
            Severity::Note
        }
    }
}

/// The OWASP Risk Rating Methodology's overall severity table:
///
/// | impact \ likelihood | low    | medium | high     |
/// |---------------------|--------|--------|----------|
/// | high                | medium | high   | critical |
/// | medium              | low    | medium | high     |
/// | low                 | note   | low    | medium   |
pub fn owasp_severity(likelihood: Rating, impact: Rating) -> Severity {
    use Rating::*;
    match (likelihood, impact) {
        (Low, Low) => Severity::Note,
        (Medium, Low) | (Low, Medium) => Severity::Low,
        (High, Low) | (Medium, Medium) | (Low, High) => Severity::Medium,
        (High, Medium) | (Medium, High) => Severity::High,
        (High, High) => Severity::Critical,
    }
}

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum CvssError {
    #[error("the vector is empty")]
    Empty,
    #[error("\"{0}\" is not a supported CVSS version (CVSS:3.1 and CVSS:4.0 are)")]
    Version(String),
    #[error("\"{0}\" is not a metric:value pair")]
    Malformed(String),
    #[error("unknown metric \"{0}\"")]
    UnknownMetric(String),
    #[error("metric {metric} cannot be \"{value}\" (expected {expected})")]
    BadValue {
        metric: String,
        value: String,
        /// The values the metric takes, as "N, A, L or P".
        expected: String,
    },
    #[error("metric {0} is given twice")]
    Duplicate(String),
    #[error("base metric {0} is missing")]
    Missing(&'static str),
    #[error("a CVSS 4.0 vector must start with \"CVSS:4.0/\"")]
    MissingPrefix,
}

/// Which CVSS version a vector is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub enum CvssVersion {
    #[serde(rename = "3.1")]
    V3_1,
    #[serde(rename = "4.0")]
    V4_0,
}

impl CvssVersion {
    pub fn label(self) -> &'static str {
        match self {
            CvssVersion::V3_1 => "3.1",
            CvssVersion::V4_0 => "4.0",
        }
    }
}

/// A scored vector: the CVSS 3.1 base score, or the CVSS 4.0 score of all
/// the metrics given (base, threat, environmental; supplemental metrics are
/// informative and do not change it).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Type)]
pub struct CvssScore {
    pub version: CvssVersion,
    pub score: f64,
    pub severity: Severity,
}

impl CvssScore {
    /// "9.3 critical, CVSS 4.0".
    pub fn summary(&self) -> String {
        format!(
            "{:.1} {}, CVSS {}",
            self.score,
            self.severity.label(),
            self.version.label()
        )
    }
}

/// Parses and scores a CVSS 3.1 or 4.0 vector. `CVSS:4.0/...` is scored by
/// the CVSS v4.0 specification (macro vector lookup and interpolation);
/// `CVSS:3.1/...` or a 3.1 vector without prefix gets its base score.
pub fn cvss_score(vector: &str) -> Result<CvssScore, CvssError> {
    let v = vector.trim();
    if v.is_empty() {
        return Err(CvssError::Empty);
    }
    if v.starts_with("CVSS:4.0/") || v == "CVSS:4.0" {
        cvss40_score(v)
    } else {
        cvss31_base_score(v).map(|score| CvssScore {
            version: CvssVersion::V3_1,
            score,
            severity: Severity::from_cvss(score),
        })
    }
}

const BASE: [&str; 8] = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"];
/// The values of each base metric, in the order of `BASE`.
const BASE_VALUES: [&[&str]; 8] = [
    &["N", "A", "L", "P"],
    &["L", "H"],
    &["N", "L", "H"],
    &["N", "R"],
    &["U", "C"],
    &["H", "L", "N"],
    &["H", "L", "N"],
    &["H", "L", "N"],
];
/// Temporal and environmental metrics: allowed in a vector, not part of the base score.
const OTHER: [&str; 14] = [
    "E", "RL", "RC", "CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA",
];

/// "N, A, L or P".
fn one_of(values: &[&str]) -> String {
    match values.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The CVSS 3.1 base score of a vector such as
/// `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` (the prefix is optional).
/// Temporal and environmental metrics are checked by name and allowed; the
/// base metrics are validated here (so each error names the metric) and
/// scored by RustSec's `cvss` crate.
pub fn cvss31_base_score(vector: &str) -> Result<f64, CvssError> {
    let v = vector.trim();
    if v.is_empty() {
        return Err(CvssError::Empty);
    }
    let mut parts = v.split('/').peekable();
    if let Some(first) = parts.peek() {
        if first.starts_with("CVSS:") {
            if *first != "CVSS:3.1" {
                return Err(CvssError::Version((*first).to_string()));
            }
            parts.next();
        }
    }
    let mut base: [Option<&str>; 8] = [None; 8];
    let mut seen_other: Vec<&str> = vec![];
    for part in parts {
        let (metric, value) = part
            .split_once(':')
            .ok_or_else(|| CvssError::Malformed(part.to_string()))?;
        if let Some(i) = BASE.iter().position(|m| *m == metric) {
            if !BASE_VALUES[i].contains(&value) {
                return Err(CvssError::BadValue {
                    metric: metric.to_string(),
                    value: value.to_string(),
                    expected: one_of(BASE_VALUES[i]),
                });
            }
            if base[i].replace(value).is_some() {
                return Err(CvssError::Duplicate(metric.to_string()));
            }
        } else if OTHER.contains(&metric) {
            if seen_other.contains(&metric) {
                return Err(CvssError::Duplicate(metric.to_string()));
            }
            seen_other.push(metric);
        } else {
            return Err(CvssError::UnknownMetric(metric.to_string()));
        }
    }
    let mut canonical = String::from("CVSS:3.1");
    for (i, value) in base.iter().enumerate() {
        let value = value.ok_or(CvssError::Missing(BASE[i]))?;
        canonical.push('/');
        canonical.push_str(BASE[i]);
        canonical.push(':');
        canonical.push_str(value);
    }
    let parsed: cvss::v3::Base = canonical
        .parse()
        .map_err(|e: cvss::Error| CvssError::Malformed(e.to_string()))?;
    Ok(parsed.score().value())
}

/// The metrics of CVSS 4.0 and their values (FIRST CVSS v4.0 specification,
/// section 7), for error messages; `X` is "not defined".
const V4_METRICS: [(&str, &str, &[&str]); 32] = [
    ("AV", "Attack Vector", &["N", "A", "L", "P"]),
    ("AC", "Attack Complexity", &["L", "H"]),
    ("AT", "Attack Requirements", &["N", "P"]),
    ("PR", "Privileges Required", &["N", "L", "H"]),
    ("UI", "User Interaction", &["N", "P", "A"]),
    ("VC", "Vulnerable System Confidentiality", &["H", "L", "N"]),
    ("VI", "Vulnerable System Integrity", &["H", "L", "N"]),
    ("VA", "Vulnerable System Availability", &["H", "L", "N"]),
    ("SC", "Subsequent System Confidentiality", &["H", "L", "N"]),
    ("SI", "Subsequent System Integrity", &["H", "L", "N"]),
    ("SA", "Subsequent System Availability", &["H", "L", "N"]),
    ("E", "Exploit Maturity", &["X", "A", "P", "U"]),
    ("CR", "Confidentiality Requirement", &["X", "H", "M", "L"]),
    ("IR", "Integrity Requirement", &["X", "H", "M", "L"]),
    ("AR", "Availability Requirement", &["X", "H", "M", "L"]),
    ("MAV", "Modified Attack Vector", &["X", "N", "A", "L", "P"]),
    ("MAC", "Modified Attack Complexity", &["X", "L", "H"]),
    ("MAT", "Modified Attack Requirements", &["X", "N", "P"]),
    ("MPR", "Modified Privileges Required", &["X", "N", "L", "H"]),
    ("MUI", "Modified User Interaction", &["X", "N", "P", "A"]),
    (
        "MVC",
        "Modified Vulnerable System Confidentiality",
        &["X", "H", "L", "N"],
    ),
    (
        "MVI",
        "Modified Vulnerable System Integrity",
        &["X", "H", "L", "N"],
    ),
    (
        "MVA",
        "Modified Vulnerable System Availability",
        &["X", "H", "L", "N"],
    ),
    (
        "MSC",
        "Modified Subsequent System Confidentiality",
        &["X", "H", "L", "N"],
    ),
    (
        "MSI",
        "Modified Subsequent System Integrity",
        &["X", "S", "H", "L", "N"],
    ),
    (
        "MSA",
        "Modified Subsequent System Availability",
        &["X", "S", "H", "L", "N"],
    ),
    ("S", "Safety", &["X", "N", "P"]),
    ("AU", "Automatable", &["X", "N", "Y"]),
    ("R", "Recovery", &["X", "A", "U", "I"]),
    ("V", "Value Density", &["X", "D", "C"]),
    ("RE", "Vulnerability Response Effort", &["X", "L", "M", "H"]),
    (
        "U",
        "Provider Urgency",
        &["X", "Clear", "Green", "Amber", "Red"],
    ),
];

/// The CVSS 4.0 score of a vector such as
/// `CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N`, with
/// any threat, environmental and supplemental metrics. Each metric is
/// checked here, so an error names the metric and the values it takes; the
/// score (macro vector lookup and interpolation) comes from RustSec's `cvss`.
pub fn cvss40_score(vector: &str) -> Result<CvssScore, CvssError> {
    let v = vector.trim();
    if v.is_empty() {
        return Err(CvssError::Empty);
    }
    let Some(rest) = v.strip_prefix("CVSS:4.0/") else {
        return match v.split('/').next() {
            Some(first) if first.starts_with("CVSS:") && first != "CVSS:4.0" => {
                Err(CvssError::Version(first.to_string()))
            }
            _ => Err(CvssError::MissingPrefix),
        };
    };
    let mut seen: Vec<&str> = vec![];
    for part in rest.split('/') {
        let (metric, value) = part
            .split_once(':')
            .ok_or_else(|| CvssError::Malformed(part.to_string()))?;
        let Some((name, description, values)) = V4_METRICS.iter().find(|m| m.0 == metric) else {
            return Err(CvssError::UnknownMetric(metric.to_string()));
        };
        if !values.contains(&value) {
            return Err(CvssError::BadValue {
                metric: format!("{name} ({description})"),
                value: value.to_string(),
                expected: one_of(values),
            });
        }
        if seen.contains(&metric) {
            return Err(CvssError::Duplicate(metric.to_string()));
        }
        seen.push(metric);
    }
    for (name, _, _) in &V4_METRICS[..11] {
        if !seen.contains(name) {
            return Err(CvssError::Missing(name));
        }
    }
    let parsed: cvss::v4::Vector = v.parse().map_err(|e: cvss::Error| match e {
        cvss::Error::InvalidComponent { component } => CvssError::Malformed(component),
        other => CvssError::Malformed(other.to_string()),
    })?;
    let score = parsed.score().value();
    Ok(CvssScore {
        version: CvssVersion::V4_0,
        score,
        severity: Severity::from_cvss(score),
    })
}

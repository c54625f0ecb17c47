//! Severity: the OWASP risk rating (likelihood x impact) and the CVSS 3.1
//! base score.

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

    /// The CVSS 3.1 qualitative rating of a base score ("None" is `Note`).
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
    #[error("\"{0}\" is not a CVSS 3.1 vector (only CVSS:3.1 is supported)")]
    Version(String),
    #[error("\"{0}\" is not a metric:value pair")]
    Malformed(String),
    #[error("unknown metric \"{0}\"")]
    UnknownMetric(String),
    #[error("metric {metric} cannot be \"{value}\"")]
    BadValue { metric: String, value: String },
    #[error("metric {0} is given twice")]
    Duplicate(String),
    #[error("base metric {0} is missing")]
    Missing(&'static str),
}

const BASE: [&str; 8] = ["AV", "AC", "PR", "UI", "S", "C", "I", "A"];
/// Temporal and environmental metrics: allowed in a vector, not part of the base score.
const OTHER: [&str; 14] = [
    "E", "RL", "RC", "CR", "IR", "AR", "MAV", "MAC", "MPR", "MUI", "MS", "MC", "MI", "MA",
];

/// The CVSS v3.1 specification's Roundup: the smallest number with one
/// decimal place that is >= the input, computed on integers so that
/// floating-point noise (4.000000001) does not round up a whole step.
// `u64::is_multiple_of` needs Rust 1.87; the workspace supports 1.85.
#[allow(clippy::manual_is_multiple_of)]
pub fn cvss_roundup(input: f64) -> f64 {
    let int_input = (input * 100_000.0).round() as u64;
    if int_input % 10_000 == 0 {
        int_input as f64 / 100_000.0
    } else {
        ((int_input / 10_000) + 1) as f64 / 10.0
    }
}

/// The CVSS 3.1 base score of a vector such as
/// `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` (the prefix is optional).
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
    let get = |i: usize| base[i].ok_or(CvssError::Missing(BASE[i]));
    let bad = |metric: &str, value: &str| CvssError::BadValue {
        metric: metric.to_string(),
        value: value.to_string(),
    };

    let scope_changed = match get(4)? {
        "U" => false,
        "C" => true,
        v => return Err(bad("S", v)),
    };
    let av = match get(0)? {
        "N" => 0.85,
        "A" => 0.62,
        "L" => 0.55,
        "P" => 0.2,
        v => return Err(bad("AV", v)),
    };
    let ac = match get(1)? {
        "L" => 0.77,
        "H" => 0.44,
        v => return Err(bad("AC", v)),
    };
    let pr = match (get(2)?, scope_changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        ("H", true) => 0.5,
        (v, _) => return Err(bad("PR", v)),
    };
    let ui = match get(3)? {
        "N" => 0.85,
        "R" => 0.62,
        v => return Err(bad("UI", v)),
    };
    let cia = |i: usize| -> Result<f64, CvssError> {
        match get(i)? {
            "H" => Ok(0.56),
            "L" => Ok(0.22),
            "N" => Ok(0.0),
            v => Err(bad(BASE[i], v)),
        }
    };
    let (c, i, a) = (cia(5)?, cia(6)?, cia(7)?);

    let iss = 1.0 - ((1.0 - c) * (1.0 - i) * (1.0 - a));
    let impact = if scope_changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15)
    } else {
        6.42 * iss
    };
    let exploitability = 8.22 * av * ac * pr * ui;
    if impact <= 0.0 {
        return Ok(0.0);
    }
    let score = if scope_changed {
        cvss_roundup((1.08 * (impact + exploitability)).min(10.0))
    } else {
        cvss_roundup((impact + exploitability).min(10.0))
    };
    Ok(score)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundup_follows_the_specification() {
        assert_eq!(cvss_roundup(4.02), 4.1);
        assert_eq!(cvss_roundup(4.0), 4.0);
        assert_eq!(cvss_roundup(4.000_000_1), 4.0);
    }
}

//! SLOs out and in: OpenSLO v1 YAML (export and import, plus the
//! `openslo/v1alpha` form Sloth reads) and Sloth `prometheus/v1` specs
//! (export and import).
//!
//! Exports are grouped per service: one file holds a service's SLOs with
//! their alert policies. Queries keep Sloth's `{{.window}}` placeholder.

pub mod openslo;
pub mod sloth;

use std::collections::BTreeMap;

use plasma_models::slo::Slo;
use serde::{Deserialize, Serialize};
use specta::Type;
use uuid::Uuid;

pub use crate::threat::ImportError;

/// What an SLO import read: the SLOs and what it had to leave out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct SloImport {
    pub slos: Vec<Slo>,
    /// Parts of the file that map to nothing here, each with its location.
    pub notes: Vec<String>,
}

/// The SLO file formats Plasma Plan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SloFormat {
    OpenSlo,
    Sloth,
}

impl std::str::FromStr for SloFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "openslo" | "open_slo" => Ok(SloFormat::OpenSlo),
            "sloth" => Ok(SloFormat::Sloth),
            other => Err(format!("unknown SLO format \"{other}\" (openslo, sloth)")),
        }
    }
}

/// Which format a YAML text is in: Sloth specs say `version:
/// "prometheus/v1"` (or, as Kubernetes objects, `apiVersion:
/// sloth.slok.dev/v1`), OpenSLO documents `apiVersion: openslo/...` (v1,
/// v1alpha) or `openslo.com/...` (v2alpha).
pub fn detect_slo_format(text: &str) -> Option<SloFormat> {
    for line in text.lines() {
        let l = line.trim_start_matches("- ").trim();
        let value = |key: &str| {
            l.strip_prefix(key)
                .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
        };
        if let Some(v) = value("apiVersion:") {
            if v.starts_with("openslo/") || v.starts_with("openslo.com/") {
                return Some(SloFormat::OpenSlo);
            }
            if v.starts_with("sloth.slok.dev/") {
                return Some(SloFormat::Sloth);
            }
        }
        if let Some(v) = value("version:") {
            if v == "prometheus/v1" {
                return Some(SloFormat::Sloth);
            }
        }
    }
    None
}

/// What a file or document of another SLO tool is, from its `apiVersion`
/// and `kind`: `None` when it is no tool's Plasma knows of.
pub(crate) fn foreign_format(api: &str, kind: &str) -> Option<String> {
    let (tool, hint) = if api.starts_with("pyrra.dev/") {
        (
            "Pyrra",
            "Pyrra's SLOs are not read here; write the SLO as OpenSLO or Sloth to import it",
        )
    } else if api.starts_with("sre.google.com/") {
        (
            "Google SLO Generator",
            "its configs are not read here; write the SLO as OpenSLO or Sloth to import it",
        )
    } else if api.starts_with("n9/") {
        (
            "Nobl9",
            "export it from Nobl9 as OpenSLO (sloctl, or oslo convert) to import it",
        )
    } else if api.starts_with("sloth.slok.dev/") {
        ("Sloth", "import it as a Sloth file of its own")
    } else if api.starts_with("monitoring.coreos.com/") {
        ("Prometheus Operator", "it holds rules, not SLOs")
    } else {
        return None;
    };
    let kind = if kind.is_empty() { "document" } else { kind };
    Some(format!(
        "a {tool} {kind} ({api}), not OpenSLO or a Sloth spec: {hint}"
    ))
}

/// Why a text is neither OpenSLO nor a Sloth spec, for the error that
/// refuses it: names the tool when the file is another SLO tool's (Pyrra,
/// Google SLO Generator, Nobl9, Prometheus rules).
pub fn unknown_format_reason(text: &str) -> String {
    const NEITHER: &str =
        "neither OpenSLO (apiVersion: openslo/...) nor a Sloth spec (version: prometheus/v1)";
    // A file another tool made is named before any template action in it:
    // Prometheus rules carry alert templates (`{{ $labels.x }}`) that no
    // rendering would remove.
    let templated_at = || {
        template_action(text).map(|(line, action)| {
            let e = templated(line, &action);
            format!("{}: {}", e.location, e.reason)
        })
    };
    let doc = serde_yaml_ng::Deserializer::from_str(text)
        .next()
        .and_then(|de| <serde_yaml_ng::Value as Deserialize>::deserialize(de).ok());
    let doc = match doc {
        Some(serde_yaml_ng::Value::Sequence(items)) => items.into_iter().next(),
        other => other,
    };
    let Some(doc) = doc.filter(serde_yaml_ng::Value::is_mapping) else {
        return templated_at().unwrap_or_else(|| NEITHER.to_string());
    };
    let field = |k: &str| {
        doc.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let (api, kind) = (field("apiVersion"), field("kind"));
    if let Some(what) = foreign_format(&api, &kind) {
        return what;
    }
    if doc.get("service_name").is_some() && doc.get("slo_name").is_some() {
        return "a Google SLO Generator config (service_name, slo_name), not OpenSLO or a Sloth spec: its configs are not read here; write the SLO as OpenSLO or Sloth to import it".into();
    }
    if doc.get("groups").is_some() {
        return "Prometheus rule groups, not SLOs (Sloth generates these from a spec: import the spec)".into();
    }
    if let Some(why) = templated_at() {
        return why;
    }
    if !api.is_empty() {
        return format!("apiVersion \"{api}\" {kind} is {NEITHER}");
    }
    NEITHER.to_string()
}

/// The id an imported SLO gets: the same service and name in the same
/// workspace always give the same id.
pub fn slo_id(workspace: Uuid, service: &str, name: &str) -> Uuid {
    const NAMESPACE: Uuid = Uuid::from_u128(0x6a1f_52c4_0b3e_4d2a_9c47_5e8f_21d0_a3b9);
    Uuid::new_v5(
        &NAMESPACE,
        format!("{workspace}/{service}/{name}").as_bytes(),
    )
}

/// SLOs grouped by service, services in name order, SLOs in name order.
pub fn by_service(slos: &[Slo]) -> BTreeMap<String, Vec<&Slo>> {
    let mut map: BTreeMap<String, Vec<&Slo>> = BTreeMap::new();
    for s in slos {
        map.entry(s.service.clone()).or_default().push(s);
    }
    for list in map.values_mut() {
        list.sort_by(|a, b| a.name.cmp(&b.name));
    }
    map
}

/// A DNS label from any name ("Web Shop" → "web-shop").
pub(crate) fn dns_label(name: &str) -> String {
    let mut s = plasma_models::slug::slugify(name);
    s.truncate(63);
    s.trim_end_matches('-').to_string()
}

/// Objective text without binary noise: 99.9, 99.95, 99.
pub(crate) fn number(v: f64) -> String {
    format!("{}", without_noise(v))
}

/// A value rounded to nine decimals, dropping the binary noise arithmetic
/// leaves (99.94999999999999 → 99.95).
pub(crate) fn without_noise(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}

/// An objective in percent as an OpenSLO target (0..1): 99.9 → 0.999.
pub(crate) fn budget_target(objective_percent: f64) -> f64 {
    (objective_percent * 1e7).round() / 1e9
}

/// The error for a file from which no SLO could be imported: the one SLO
/// left out with its place and reason, or all of them; `none` when the file
/// held none to leave out.
pub(crate) fn nothing_imported(skipped: &[(String, String)], none: ImportError) -> ImportError {
    match skipped {
        [] => none,
        [(at, why)] => ImportError::new(at, why),
        all => ImportError::new(
            "/",
            format!(
                "no SLO could be imported: {}",
                all.iter()
                    .map(|(at, why)| format!("{at}: {why}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        ),
    }
}

/// The first template action of a text that is not Sloth's window
/// placeholder (`{{.window}}`, `{{ .window }}`) or a Prometheus alert
/// template (`{{$labels.host}}`): a Helm or Go template
/// (`{{ .Values.objective }}`, `{{- if ... }}`) must be rendered before its
/// SLOs can be read. Gives the line (from 1) and the action as written.
pub fn template_action(text: &str) -> Option<(usize, String)> {
    for (n, line) in text.lines().enumerate() {
        if line.trim_start().starts_with('#') {
            continue;
        }
        let mut rest = line;
        while let Some(open) = rest.find("{{") {
            let after = &rest[open + 2..];
            let Some(close) = after.find("}}") else {
                break;
            };
            let inner = after[..close].trim().trim_matches('-').trim();
            if inner != ".window" && !prometheus_alert_template(inner) {
                return Some((n + 1, format!("{{{{{}}}}}", &after[..close])));
            }
            rest = &after[close + 2..];
        }
    }
    None
}

/// An action Prometheus fills in when an alert fires (`{{$labels.host}}`,
/// `{{ $value | humanize }}`): Sloth passes alert annotations through to
/// the rules, so they are text of the spec, not a template to render.
/// A Helm chart cannot hold one unescaped (its render fails on the
/// undefined variable).
fn prometheus_alert_template(inner: &str) -> bool {
    const VARIABLES: [&str; 4] = ["$labels", "$value", "$externalLabels", "$externalURL"];
    let helm = [
        ".Values",
        ".Release",
        ".Chart",
        ".Capabilities",
        ".Files",
        ".Template",
    ];
    inner
        .split(|c: char| !(c.is_alphanumeric() || c == '$' || c == '_'))
        .any(|word| VARIABLES.contains(&word))
        && !helm.iter().any(|h| inner.contains(h))
}

/// The refusal of a templated file, naming the line.
fn templated(line: usize, action: &str) -> ImportError {
    ImportError::new(
        format!("line {line}"),
        format!(
            "{action} is a template action (Helm or Go template), not YAML an SLO can be read from: render the template first (helm template, or your tool's equivalent) and import the output"
        ),
    )
}

/// Every YAML document of a text; empty documents are left out. YAML
/// merge keys (`<<: *anchor`) are applied. A Helm or Go template is
/// refused with the line of its first action.
pub(crate) fn documents(text: &str) -> Result<Vec<serde_yaml_ng::Value>, ImportError> {
    if let Some((line, action)) = template_action(text) {
        return Err(templated(line, &action));
    }
    let mut docs = Vec::new();
    for (i, de) in serde_yaml_ng::Deserializer::from_str(text).enumerate() {
        let v = <serde_yaml_ng::Value as serde::Deserialize>::deserialize(de).map_err(|e| {
            let at = e
                .location()
                .map(|l| format!("line {}", l.line()))
                .unwrap_or_else(|| format!("document {}", i + 1));
            ImportError::new(at, e.to_string())
        })?;
        let mut v = v;
        v.apply_merge().map_err(|e| {
            ImportError::new(
                format!("document {}", i + 1),
                format!("a merge key (<<) cannot be applied: {e}"),
            )
        })?;
        if !v.is_null() {
            docs.push(v);
        }
    }
    Ok(docs)
}

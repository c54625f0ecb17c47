//! OpenSLO v1 (the specification's README for `openslo/v1`, and its Go
//! types in `pkg/openslo/v1`).
//!
//! Export, per service: a `Service`, then per SLO an `SLO` with its
//! indicator inline and `alertPolicyRef`s, one `AlertPolicy` per enabled
//! burn-rate window (one `burnrate` condition each: threshold = burn rate,
//! `lookbackWindow` = long window, `alertAfter` = short window) and the
//! `AlertNotificationTarget`s they name.
//!
//! Import reads `openslo/v1` (inline or referenced indicators, on the SLO
//! or per objective), `openslo/v1alpha` (the form Sloth accepts) and
//! `openslo.com/v2alpha` and its rename `openslo.com/v2alpha1` (`sli`,
//! `serviceRef`, `dataSourceRef` or an inline `<<dataSourceName>>:`). An
//! SLO with several objectives becomes one SLO per objective.

use std::collections::BTreeMap;

use plasma_models::slo::{
    default_policy, is_dns_label, AlertSeverity, Alerting, BudgetingMethod, RatioCounter, Sli, Slo,
    SloWindow, ThresholdOp, WindowLength, WindowUnit,
};
use serde::Serialize;
use serde_yaml_ng::Value;
use uuid::Uuid;

use super::{by_service, dns_label, slo_id, ImportError, SloImport};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Doc<S: Serialize> {
    api_version: &'static str,
    kind: &'static str,
    metadata: Metadata,
    spec: S,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    labels: BTreeMap<String, String>,
}

/// `base-suffix` as an RFC 1123 label: `base` is shortened so the whole
/// stays within 63 characters and the suffix (which tells siblings apart)
/// is kept.
fn child_name(base: &str, suffix: &str) -> String {
    let room = 63usize.saturating_sub(suffix.len() + 1);
    let mut head: String = base.chars().take(room).collect();
    while head.ends_with('-') {
        head.pop();
    }
    format!("{head}-{suffix}")
}

fn meta(name: String, display: &str) -> Metadata {
    Metadata {
        name,
        display_name: (!display.trim().is_empty()).then(|| display.trim().to_string()),
        labels: BTreeMap::new(),
    }
}

#[derive(Serialize)]
struct ServiceSpec {
    description: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SloSpec {
    #[serde(skip_serializing_if = "String::is_empty")]
    description: String,
    service: String,
    indicator: Indicator,
    time_window: Vec<TimeWindow>,
    budgeting_method: &'static str,
    objectives: Vec<Objective>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    alert_policies: Vec<PolicyRef>,
}

#[derive(Serialize)]
struct Indicator {
    metadata: Metadata,
    spec: SliSpec,
}

/// One of the two is set. (A struct, not an enum: serde_yaml_ng would
/// write an enum variant as a YAML tag.)
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SliSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    ratio_metric: Option<RatioMetric>,
    #[serde(skip_serializing_if = "Option::is_none")]
    threshold_metric: Option<MetricSpec>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RatioMetric {
    counter: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    good: Option<MetricSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bad: Option<MetricSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<MetricSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw: Option<MetricSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw_type: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MetricSpec {
    metric_source: MetricSource,
}

#[derive(Serialize)]
struct MetricSource {
    #[serde(rename = "type")]
    kind: String,
    spec: Value,
}

fn metric(source: &str, query: &str) -> MetricSpec {
    MetricSpec {
        metric_source: MetricSource {
            kind: source_type(source),
            spec: metric_spec(query),
        },
    }
}

/// The metric source `spec` a query came from: a source whose spec is not
/// one `query` (CloudWatch's metricName, namespace, dimensions...;
/// AppDynamics' applicationName and metricPath) was imported as that spec
/// in JSON, and is written back as it.
fn metric_spec(query: &str) -> Value {
    let as_spec = query
        .trim_start()
        .starts_with('{')
        .then(|| serde_json::from_str::<serde_json::Value>(query).ok())
        .flatten()
        .filter(serde_json::Value::is_object)
        .and_then(|j| serde_yaml_ng::to_value(j).ok());
    as_spec.unwrap_or_else(|| {
        let mut m = serde_yaml_ng::Mapping::new();
        m.insert("query".into(), query.into());
        Value::Mapping(m)
    })
}

/// The metric source type a Sloth plugin SLI is written under in OpenSLO.
const SLOTH_PLUGIN: &str = "SlothPlugin";

fn plugin_spec(id: &str, options: &BTreeMap<String, String>) -> Value {
    let mut m = serde_yaml_ng::Mapping::new();
    m.insert("id".into(), id.into());
    if !options.is_empty() {
        let mut o = serde_yaml_ng::Mapping::new();
        for (k, v) in options {
            o.insert(k.as_str().into(), v.as_str().into());
        }
        m.insert("options".into(), Value::Mapping(o));
    }
    Value::Mapping(m)
}

/// A `SlothPlugin` metric source's spec (as the JSON the import keeps) as
/// the plugin SLI it was written from.
fn plugin_sli(spec_json: &str, at: &str) -> Result<Sli, ImportError> {
    let bad = || {
        ImportError::new(
            at,
            "a SlothPlugin source needs a spec with the plugin's \"id\" (and its \"options\")",
        )
    };
    let j: serde_json::Value = serde_json::from_str(spec_json).map_err(|_| bad())?;
    let id = j
        .get("id")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(bad)?;
    let mut options = BTreeMap::new();
    if let Some(o) = j.get("options").and_then(serde_json::Value::as_object) {
        for (k, v) in o {
            let v = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            options.insert(k.clone(), v);
        }
    }
    Ok(Sli::Plugin {
        id: id.to_string(),
        options,
    })
}

/// OpenSLO examples capitalise data source types ("Prometheus").
fn source_type(source: &str) -> String {
    let mut c = source.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => "Prometheus".into(),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TimeWindow {
    duration: String,
    is_rolling: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    calendar: Option<Calendar>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Calendar {
    start_time: String,
    time_zone: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Objective {
    #[serde(skip_serializing_if = "Option::is_none")]
    display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    op: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<f64>,
    target: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_slice_target: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_slice_window: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PolicyRef {
    alert_policy_ref: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AlertPolicySpec {
    description: String,
    alert_when_no_data: bool,
    alert_when_resolved: bool,
    alert_when_breaching: bool,
    conditions: Vec<InlineCondition>,
    notification_targets: Vec<TargetRef>,
}

#[derive(Serialize)]
struct InlineCondition {
    kind: &'static str,
    metadata: Metadata,
    spec: ConditionSpec,
}

#[derive(Serialize)]
struct ConditionSpec {
    description: String,
    severity: &'static str,
    condition: Condition,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Condition {
    kind: &'static str,
    op: &'static str,
    threshold: f64,
    lookback_window: String,
    alert_after: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TargetRef {
    target_ref: String,
}

#[derive(Serialize)]
struct TargetSpec {
    description: String,
    target: String,
}

fn yaml<T: Serialize>(doc: &T) -> String {
    // Serializing plain structs with string keys cannot fail.
    serde_yaml_ng::to_string(doc).unwrap_or_default()
}

fn severity_name(s: AlertSeverity) -> &'static str {
    match s {
        AlertSeverity::Page => "page",
        AlertSeverity::Ticket => "ticket",
    }
}

/// A service's SLOs as one multi-document OpenSLO v1 file.
pub fn export_service(service: &str, description: &str, slos: &[&Slo]) -> String {
    let mut docs: Vec<String> = vec![yaml(&Doc {
        api_version: "openslo/v1",
        kind: "Service",
        metadata: meta(service.to_string(), ""),
        spec: ServiceSpec {
            description: description.to_string(),
        },
    })];
    for slo in slos {
        let budget = slo.error_budget();
        let indicator_spec = match &slo.sli {
            Sli::Ratio {
                counter,
                numerator_query,
                total_query,
                source,
            } => SliSpec {
                ratio_metric: Some(RatioMetric {
                    counter: true,
                    good: (*counter == RatioCounter::Good).then(|| metric(source, numerator_query)),
                    bad: (*counter == RatioCounter::Bad).then(|| metric(source, numerator_query)),
                    total: Some(metric(source, total_query)),
                    raw: None,
                    raw_type: None,
                }),
                threshold_metric: None,
            },
            Sli::ErrorRatio { query, source } => SliSpec {
                ratio_metric: Some(RatioMetric {
                    counter: false,
                    good: None,
                    bad: None,
                    total: None,
                    raw: Some(metric(source, query)),
                    raw_type: Some("failure"),
                }),
                threshold_metric: None,
            },
            Sli::Threshold { query, source, .. } => SliSpec {
                ratio_metric: None,
                threshold_metric: Some(metric(source, query)),
            },
            // A Sloth plugin gives the error ratio: written as a raw
            // failure ratio whose source spec is the plugin and its
            // options, which the import reads back as the plugin.
            Sli::Plugin { id, options } => SliSpec {
                ratio_metric: Some(RatioMetric {
                    counter: false,
                    good: None,
                    bad: None,
                    total: None,
                    raw: Some(MetricSpec {
                        metric_source: MetricSource {
                            kind: SLOTH_PLUGIN.into(),
                            spec: plugin_spec(id, options),
                        },
                    }),
                    raw_type: Some("failure"),
                }),
                threshold_metric: None,
            },
        };
        let (op, value) = match &slo.sli {
            Sli::Threshold { op, value, .. } => (Some(op.label()), Some(*value)),
            Sli::Ratio { .. } | Sli::ErrorRatio { .. } | Sli::Plugin { .. } => (None, None),
        };
        let mut policies = Vec::new();
        let mut policy_docs = Vec::new();
        let mut targets: Vec<AlertSeverity> = Vec::new();
        for alert in &budget.alerts {
            let route = match alert.severity {
                AlertSeverity::Page => &slo.alerting.page,
                AlertSeverity::Ticket => &slo.alerting.ticket,
            };
            if route.disabled {
                continue;
            }
            let sev = severity_name(alert.severity);
            let name = child_name(&slo.name, &format!("{sev}-{}", alert.long_window));
            let target = child_name(&format!("{}-{}", slo.service, slo.name), sev);
            if !targets.contains(&alert.severity) {
                targets.push(alert.severity);
            }
            policies.push(PolicyRef {
                alert_policy_ref: name.clone(),
            });
            policy_docs.push(yaml(&Doc {
                api_version: "openslo/v1",
                kind: "AlertPolicy",
                metadata: meta(name.clone(), ""),
                spec: AlertPolicySpec {
                    description: format!(
                        "{} when the error budget burns {}x over {} and {} ({}% of the budget)",
                        if sev == "page" {
                            "Page"
                        } else {
                            "Open a ticket"
                        },
                        super::number(alert.burn_rate),
                        alert.long_window,
                        alert.short_window,
                        super::number(alert.budget_consumed_percent)
                    ),
                    alert_when_no_data: false,
                    alert_when_resolved: false,
                    alert_when_breaching: true,
                    conditions: vec![InlineCondition {
                        kind: "AlertCondition",
                        metadata: meta(child_name(&name, "burnrate"), ""),
                        spec: ConditionSpec {
                            description: format!(
                                "error ratio above {} over {} and {}",
                                super::number(alert.error_ratio_threshold),
                                alert.long_window,
                                alert.short_window
                            ),
                            severity: sev,
                            condition: Condition {
                                kind: "burnrate",
                                op: "gte",
                                threshold: alert.burn_rate,
                                lookback_window: alert.long_window.clone(),
                                alert_after: alert.short_window.clone(),
                            },
                        },
                    }],
                    notification_targets: vec![TargetRef { target_ref: target }],
                },
            }));
        }
        let window = &slo.window;
        docs.push(yaml(&Doc {
            api_version: "openslo/v1",
            kind: "SLO",
            // The labels import reads back, so export -> import keeps them.
            metadata: Metadata {
                labels: slo.labels.clone(),
                ..meta(slo.name.clone(), &slo.display_name)
            },
            spec: SloSpec {
                description: slo.description.clone(),
                service: slo.service.clone(),
                indicator: Indicator {
                    metadata: meta(child_name(&slo.name, "sli"), ""),
                    spec: indicator_spec,
                },
                time_window: vec![TimeWindow {
                    duration: window.length.to_string(),
                    is_rolling: window.rolling,
                    calendar: (!window.rolling).then(|| Calendar {
                        start_time: window
                            .calendar_start
                            .clone()
                            .unwrap_or_else(|| "2026-01-01 00:00:00".into()),
                        time_zone: window.time_zone.clone().unwrap_or_else(|| "UTC".into()),
                    }),
                }],
                budgeting_method: match slo.budgeting_method {
                    BudgetingMethod::Occurrences => "Occurrences",
                    BudgetingMethod::Timeslices => "Timeslices",
                    BudgetingMethod::RatioTimeslices => "RatioTimeslices",
                },
                objectives: vec![Objective {
                    display_name: (!slo.display_name.is_empty()).then(|| slo.display_name.clone()),
                    op,
                    value,
                    target: super::budget_target(slo.objective),
                    time_slice_target: slo.timeslice_target,
                    time_slice_window: slo.timeslice_window.clone(),
                }],
                alert_policies: policies,
            },
        }));
        docs.extend(policy_docs);
        for sev in targets {
            let s = severity_name(sev);
            docs.push(yaml(&Doc {
                api_version: "openslo/v1",
                kind: "AlertNotificationTarget",
                metadata: meta(child_name(&format!("{}-{}", slo.service, slo.name), s), ""),
                spec: TargetSpec {
                    description: format!("{s} route of {}", slo.handle()),
                    target: route_target(&slo.alerting, sev),
                },
            }));
        }
    }
    docs.join("---\n")
}

/// Where a route goes: its `routing_key`/`channel` label, else the
/// severity name.
fn route_target(alerting: &Alerting, sev: AlertSeverity) -> String {
    let route = match sev {
        AlertSeverity::Page => &alerting.page,
        AlertSeverity::Ticket => &alerting.ticket,
    };
    ["routing_key", "slack_channel", "channel", "severity"]
        .iter()
        .find_map(|k| route.labels.get(*k).cloned())
        .unwrap_or_else(|| severity_name(sev).to_string())
}

/// All SLOs, one file per service: `(file name, text)`.
pub fn export_all(slos: &[Slo], describe: impl Fn(&str) -> String) -> Vec<(String, String)> {
    by_service(slos)
        .into_iter()
        .map(|(service, list)| {
            let text = export_service(&service, &describe(&service), &list);
            (format!("{}.openslo.yaml", dns_label(&service)), text)
        })
        .collect()
}

// ------------------------------------------------------------------ import

fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_mapping()
        .and_then(|m| m.get(key))
        .filter(|v| !v.is_null())
}

fn text(v: &Value, key: &str) -> Option<String> {
    match get(v, key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn float(v: &Value, key: &str) -> Option<f64> {
    match get(v, key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn need<'a>(v: &'a Value, key: &str, at: &str) -> Result<&'a Value, ImportError> {
    get(v, key).ok_or_else(|| ImportError::new(at, format!("\"{key}\" is missing")))
}

/// The OpenSLO versions read here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V1Alpha,
    V1,
    V2Alpha,
}

fn version(api: &str) -> Option<Version> {
    match api {
        "openslo/v1alpha" => Some(Version::V1Alpha),
        // v1beta1, the draft before v1, has v1's shape but for its
        // counted windows, which the v1 reader also takes.
        "openslo/v1" | "openslo/v1beta1" => Some(Version::V1),
        // The OpenSLO SDK renamed v2alpha to v2alpha1 (same shape).
        "openslo.com/v2alpha" | "openslo/v2alpha" | "openslo.com/v2alpha1" => {
            Some(Version::V2Alpha)
        }
        _ => None,
    }
}

/// JSON with keys in sorted order, so the same spec always gives the same
/// text whatever order the file wrote its keys in.
fn canonical_json(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => serde_json::to_string(s).ok()?,
        Value::Sequence(items) => format!(
            "[{}]",
            items
                .iter()
                .map(canonical_json)
                .collect::<Option<Vec<_>>>()?
                .join(",")
        ),
        Value::Mapping(m) => {
            let mut entries = m
                .iter()
                .map(|(k, v)| {
                    let key = match k {
                        Value::String(s) => s.clone(),
                        Value::Number(n) => n.to_string(),
                        Value::Bool(b) => b.to_string(),
                        _ => return None,
                    };
                    Some((key, canonical_json(v)?))
                })
                .collect::<Option<Vec<_>>>()?;
            entries.sort();
            format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|(k, v)| Some(format!("{}:{v}", serde_json::to_string(k).ok()?)))
                    .collect::<Option<Vec<_>>>()?
                    .join(",")
            )
        }
        Value::Tagged(t) => canonical_json(&t.value)?,
    })
}

/// A metric source's query: `spec.query` when that is all the spec holds;
/// otherwise the whole spec as JSON (CloudWatch, AppDynamics and others
/// name their fields differently), which the exporter writes back as the
/// spec. A `query` that is itself a JSON object is kept as a spec too, so
/// it is not mistaken for one on the way out.
fn spec_query(spec: &Value) -> Option<String> {
    let m = spec.as_mapping()?;
    if m.is_empty() {
        return None;
    }
    if m.len() == 1 {
        if let Some(Value::String(q)) = m.get("query") {
            let json_object = q.trim_start().starts_with('{')
                && serde_json::from_str::<serde_json::Value>(q).is_ok_and(|j| j.is_object());
            if !json_object {
                return Some(q.clone());
            }
        }
    }
    canonical_json(spec)
}

/// A data source type as stored: lower case when the exporter's
/// capitalisation gives it back ("Prometheus" → "prometheus"), else as
/// written ("CloudWatch", "AppDynamics").
fn source_name(written: &str) -> String {
    let lower = written.to_ascii_lowercase();
    if source_type(&lower) == written || lower == written {
        lower
    } else {
        written.to_string()
    }
}

/// What the file says besides its SLOs: `SLI` and `DataSource` documents
/// by name, its own and those of the other files imported with it.
#[derive(Clone, Default)]
struct Context {
    /// An SLI's spec and where it is (`/2/spec`, or `file: /2/spec` when
    /// another file defines it).
    slis: BTreeMap<String, (Value, String)>,
    data_sources: BTreeMap<String, String>,
    /// Names several other files define: a reference to one is refused
    /// (which of them was meant is unknown), naming the files.
    ambiguous: BTreeMap<String, Vec<String>>,
}

/// The `SLI` and `DataSource` documents of a set of files imported
/// together (a folder), so that an SLO may name an SLI another file
/// defines, as `oslo validate` resolves references across the files it is
/// given. A file's own documents come first.
#[derive(Clone, Default)]
pub struct Definitions {
    shared: Context,
    /// The file each shared SLI came from, to name both files of a clash.
    sli_files: BTreeMap<String, String>,
}

/// The OpenSLO kinds an SLO names rather than holds: a file of only these
/// (a repository's `slis.yaml`, `services.yaml`, `alert_policies.yaml`) is
/// a folder's definitions, not a file that failed.
const DEFINITION_KINDS: [&str; 6] = [
    "SLI",
    "DataSource",
    "Service",
    "AlertPolicy",
    "AlertCondition",
    "AlertNotificationTarget",
];

/// What one file contributes to [`Definitions`].
#[derive(Debug, Default, PartialEq)]
pub struct FileDefinitions {
    /// `SLI "name"`, `DataSource "name"`, `AlertPolicy "name"`... (the
    /// [`DEFINITION_KINDS`]), in file order.
    pub defined: Vec<String>,
    /// How many `SLO` documents the file holds.
    pub slos: usize,
}

impl Definitions {
    /// Adds the SLIs and DataSources of `text` (the file `file`). A file
    /// that is not OpenSLO YAML adds nothing: its own import reports it.
    pub fn collect(&mut self, text_in: &str, file: &str) -> FileDefinitions {
        let mut found = FileDefinitions::default();
        let Ok(docs) = documents_of(text_in) else {
            return found;
        };
        let own = context_of(&docs);
        let (cx, sli_files) = (&mut self.shared, &mut self.sli_files);
        found.defined = docs
            .iter()
            .filter_map(|d| {
                let kind = text(d, "kind").filter(|k| DEFINITION_KINDS.contains(&k.as_str()))?;
                let name = get(d, "metadata").and_then(|m| text(m, "name"))?;
                Some(format!("{kind} \"{name}\""))
            })
            .collect();
        for (name, (spec, at)) in own.slis {
            let at = format!("{file}: {at}");
            match sli_files.get(&name) {
                Some(first_file) => {
                    cx.ambiguous
                        .entry(name)
                        .or_insert_with(|| vec![first_file.clone()])
                        .push(file.to_string());
                }
                None => {
                    sli_files.insert(name.clone(), file.to_string());
                    cx.slis.insert(name, (spec, at));
                }
            }
        }
        for (name, kind) in own.data_sources {
            cx.data_sources.entry(name).or_insert(kind);
        }
        found.slos = docs
            .iter()
            .filter(|d| text(d, "kind").as_deref() == Some("SLO"))
            .count();
        found
    }
}

/// The documents of a file; a document may also be a list of objects
/// (some tools write one).
fn documents_of(text_in: &str) -> Result<Vec<Value>, ImportError> {
    let mut docs: Vec<Value> = Vec::new();
    for v in super::documents(text_in)? {
        match v {
            Value::Sequence(items) => docs.extend(items),
            other => docs.push(other),
        }
    }
    Ok(docs)
}

/// The `SLI` and `DataSource` documents among `docs`, by name.
fn context_of(docs: &[Value]) -> Context {
    let mut cx = Context::default();
    for (i, d) in docs.iter().enumerate() {
        let name = get(d, "metadata").and_then(|m| text(m, "name"));
        let (Some(name), Some(spec)) = (name, get(d, "spec")) else {
            continue;
        };
        match text(d, "kind").as_deref() {
            Some("SLI") => {
                cx.slis.insert(name, (spec.clone(), format!("/{i}/spec")));
            }
            Some("DataSource") => {
                if let Some(t) = text(spec, "type").or_else(|| inline_source(spec)) {
                    cx.data_sources.insert(name, t);
                }
            }
            _ => {}
        }
    }
    cx
}

/// The data source v2alpha1 inlines in a metric or a `DataSource` spec as
/// `<<dataSourceName>>: {connection details}` (`redshift:`, `cloudWatch:`):
/// the one key holding a map besides the query's `spec`. Its connection
/// details (keys, secrets) are not kept.
fn inline_source(v: &Value) -> Option<String> {
    let mut names = v.as_mapping()?.iter().filter_map(|(k, v)| {
        let k = k.as_str()?;
        let known = matches!(
            k,
            "spec" | "dataSourceSpec" | "metricSource" | "connectionDetails"
        );
        (v.is_mapping() && !known).then_some(k)
    });
    let name = names.next()?;
    names.next().is_none().then(|| name.to_string())
}

/// One metric (v1 `metricSource`, v2alpha `dataSourceRef`/`dataSourceSpec`
/// with `spec`): its source type and query.
fn metric_source(v: &Value, at: &str, cx: &Context) -> Result<(String, String), ImportError> {
    let (src, at) = match get(v, "metricSource") {
        Some(src) => (src, format!("{at}/metricSource")),
        None if get(v, "spec").is_some() => (v, at.to_string()),
        None => return Err(ImportError::new(at, "\"metricSource\" is missing")),
    };
    let reference = text(src, "metricSourceRef").or_else(|| text(src, "dataSourceRef"));
    let kind = text(src, "type")
        .or_else(|| get(src, "dataSourceSpec").and_then(|d| text(d, "type")))
        .or_else(|| {
            reference
                .as_ref()
                .and_then(|r| cx.data_sources.get(r).cloned())
        })
        .or_else(|| inline_source(src))
        .or(reference)
        .unwrap_or_else(|| "prometheus".into());
    // Some writers put the query beside the source instead of in its
    // spec: `metricSource: {type, query}` or `{metricSource, metricQuery}`.
    if get(src, "spec").is_none() {
        if let Some(q) = text(src, "query").or_else(|| text(v, "metricQuery")) {
            return Ok((source_name(&kind), q));
        }
    }
    let empty = || {
        ImportError::new(
            format!("{at}/spec"),
            "no query: the metric source's spec is empty",
        )
    };
    // `spec:` followed only by comments (the OpenSLO examples' placeholder)
    // is there but empty, not missing.
    let written = src.as_mapping().is_some_and(|m| m.contains_key("spec"));
    let spec = match get(src, "spec") {
        Some(spec) => spec,
        None if written => return Err(empty()),
        None => need(src, "spec", &at)?,
    };
    let query = spec_query(spec).ok_or_else(empty)?;
    Ok((source_name(&kind), query))
}

fn v1alpha_metric(v: &Value, at: &str) -> Result<(String, String), ImportError> {
    let query = text(v, "query").ok_or_else(|| ImportError::new(at, "\"query\" is missing"))?;
    Ok((
        source_name(&text(v, "source").unwrap_or_else(|| "prometheus".into())),
        query,
    ))
}

/// The window of an SLO that gives none (slogen's and hello-openslo's
/// v1alpha files, hand-written v1): rolling 30 days, said in a note.
fn default_window(key: &str, at: &str, notes: &mut Vec<String>) -> SloWindow {
    notes.push(format!(
        "{at}: no {key}; read as a rolling 30-day window (30d)"
    ));
    SloWindow::rolling(WindowLength {
        count: 30,
        unit: WindowUnit::Day,
    })
}

fn window_from_v1(v: &Value, at: &str, notes: &mut Vec<String>) -> Result<SloWindow, ImportError> {
    if get(v, "timeWindow").is_none() {
        return Ok(default_window("timeWindow", at, notes));
    }
    let written = need(v, "timeWindow", at)?;
    // OpenSLO gives a list of one window; a single window written as a map
    // is read as that one.
    let (first, at) = if written.is_mapping() {
        notes.push(format!(
            "{at}/timeWindow: a map, read as the one window (OpenSLO writes a list of one)"
        ));
        (written, format!("{at}/timeWindow"))
    } else {
        let list = written
            .as_sequence()
            .ok_or_else(|| ImportError::new(format!("{at}/timeWindow"), "must be a list"))?;
        let first = list
            .first()
            .ok_or_else(|| ImportError::new(format!("{at}/timeWindow"), "is empty"))?;
        if list.len() > 1 {
            notes.push(format!("{at}/timeWindow: only the first window is used"));
        }
        (first, format!("{at}/timeWindow/0"))
    };
    // openslo/v1beta1 (the draft between v1alpha and v1) counts units.
    if get(first, "duration").is_none() && get(first, "count").is_some() {
        return counted_window(first, &at);
    }
    let duration =
        text(first, "duration").ok_or_else(|| ImportError::new(&at, "\"duration\" is missing"))?;
    let length: WindowLength = match duration.parse() {
        Ok(length) => length,
        // slogen's Sumo Logic samples name the calendar period
        // (`duration: Week` from `startTime: Monday`): one of that unit.
        Err(e) => {
            match unit_named(&duration).filter(|_| !duration.eq_ignore_ascii_case("second")) {
                Some(unit) => {
                    let length = WindowLength { count: 1, unit };
                    notes.push(format!(
                    "{at}/duration: \"{duration}\" read as {length} (OpenSLO writes a count and a unit)"
                ));
                    length
                }
                None => {
                    let e: plasma_models::slo::SloError = e;
                    return Err(ImportError::new(format!("{at}/duration"), e.to_string()));
                }
            }
        }
    };
    let cal = get(first, "calendar");
    // The spec assumes `isRolling: false` only when a calendar is given; a
    // bare `duration: 28d` is a rolling window.
    let rolling = get(first, "isRolling")
        .and_then(Value::as_bool)
        .unwrap_or(cal.is_none());
    Ok(SloWindow {
        length,
        rolling,
        calendar_start: cal.and_then(|c| text(c, "startTime")),
        time_zone: cal.and_then(|c| text(c, "timeZone")),
    })
}

fn window_from_v1alpha(
    v: &Value,
    at: &str,
    notes: &mut Vec<String>,
) -> Result<SloWindow, ImportError> {
    if get(v, "timeWindows").is_none() {
        return Ok(default_window("timeWindows", at, notes));
    }
    let list = need(v, "timeWindows", at)?
        .as_sequence()
        .ok_or_else(|| ImportError::new(format!("{at}/timeWindows"), "must be a list"))?;
    let first = list
        .first()
        .ok_or_else(|| ImportError::new(format!("{at}/timeWindows"), "is empty"))?;
    counted_window(first, &format!("{at}/timeWindows/0"))
}

/// A window unit by its name, as v1alpha and v1beta1 count them (`Day`).
fn unit_named(name: &str) -> Option<WindowUnit> {
    Some(match name.to_ascii_lowercase().as_str() {
        "second" | "minute" => WindowUnit::Minute,
        "hour" => WindowUnit::Hour,
        "day" => WindowUnit::Day,
        "week" => WindowUnit::Week,
        "month" => WindowUnit::Month,
        "quarter" => WindowUnit::Quarter,
        "year" => WindowUnit::Year,
        _ => return None,
    })
}

/// A window written as a count of units (`count: 30`, `unit: Day`), as
/// v1alpha and v1beta1 do.
fn counted_window(first: &Value, at: &str) -> Result<SloWindow, ImportError> {
    let count = float(first, "count")
        .filter(|c| *c >= 1.0 && c.fract() == 0.0 && *c <= f64::from(u32::MAX))
        .ok_or_else(|| ImportError::new(at, "\"count\" must be a whole number of at least 1"))?;
    let written = text(first, "unit").unwrap_or_default();
    let unit = unit_named(&written).ok_or_else(|| {
        ImportError::new(
            format!("{at}/unit"),
            format!("unknown unit \"{written}\" (Minute, Hour, Day, Week, Month, Quarter, Year)"),
        )
    })?;
    let cal = get(first, "calendar");
    Ok(SloWindow {
        length: WindowLength {
            count: count as u32,
            unit,
        },
        rolling: get(first, "isRolling")
            .and_then(Value::as_bool)
            .unwrap_or(cal.is_none()),
        calendar_start: cal.and_then(|c| text(c, "startTime")),
        time_zone: cal.and_then(|c| text(c, "timeZone")),
    })
}

fn budgeting(v: &Value, at: &str) -> Result<BudgetingMethod, ImportError> {
    match text(v, "budgetingMethod").as_deref() {
        Some("Occurrences") | None => Ok(BudgetingMethod::Occurrences),
        Some("Timeslices") => Ok(BudgetingMethod::Timeslices),
        Some("RatioTimeslices") => Ok(BudgetingMethod::RatioTimeslices),
        Some(other) => Err(ImportError::new(
            format!("{at}/budgetingMethod"),
            format!("\"{other}\" is not Occurrences, Timeslices or RatioTimeslices"),
        )),
    }
}

/// The objective's target as a percentage: `target` (0..1) or
/// `targetPercent`.
fn objective_percent(o: &Value, at: &str) -> Result<f64, ImportError> {
    if let Some(t) = float(o, "target") {
        // 1 is 100 %: said by the caller, which leaves that SLO out.
        if t == 1.0 {
            return Ok(100.0);
        }
        if t > 1.0 {
            return Err(ImportError::new(
                format!("{at}/target"),
                format!(
                    "{} is not below 1: \"target\" is a fraction (0.999 for 99.9 %); write a percentage as \"targetPercent\"",
                    super::number(t)
                ),
            ));
        }
        return Ok(t * 100.0);
    }
    float(o, "targetPercent")
        .ok_or_else(|| ImportError::new(at, "no \"target\" or \"targetPercent\""))
}

fn op_value(o: &Value, at: &str) -> Result<(ThresholdOp, f64), ImportError> {
    let op = text(o, "op")
        .ok_or_else(|| ImportError::new(at, "a threshold objective needs \"op\""))?
        .parse::<ThresholdOp>()
        .map_err(|e| ImportError::new(format!("{at}/op"), e))?;
    let value = float(o, "value")
        .ok_or_else(|| ImportError::new(at, "a threshold objective needs \"value\""))?;
    Ok((op, value))
}

/// slogen's Sumo Logic samples put the threshold in the metric source's
/// spec (`op: LessThanOrEqual`, `threshold: 1`, with a field and an
/// aggregation per window OpenSLO has no place for): the refusal says
/// where OpenSLO wants them instead of only that they are missing.
fn sumo_threshold_hint(e: ImportError, metric: &Value) -> ImportError {
    let source_spec = get(metric, "metricSource").and_then(|m| get(m, "spec"));
    match source_spec.and_then(|s| Some((text(s, "op")?, text(s, "threshold")?))) {
        Some((op, threshold)) => ImportError::new(
            e.location,
            format!(
                "{} (the metric source's spec gives op: {op} and threshold: {threshold}, Sumo Logic's form; OpenSLO puts op (lt, lte, gt, gte) and value on the objective)",
                e.reason
            ),
        ),
        None => e,
    }
}

/// Why an SLI has no form here: the SLO is left out with this reason.
struct Unsupported(String);

/// The SLI of an `SLI` spec (v1, v2alpha): a ratio or a threshold.
fn v1_sli(
    spec: &Value,
    objective: &Value,
    at: &str,
    o_at: &str,
    cx: &Context,
    notes: &mut Vec<String>,
) -> Result<Result<Sli, Unsupported>, ImportError> {
    if let Some(r) = get(spec, "ratioMetric") {
        let r_at = format!("{at}/ratioMetric");
        let (counter, numerator) =
            if let Some(g) = get(r, "good") {
                (
                    RatioCounter::Good,
                    metric_source(g, &format!("{r_at}/good"), cx)?,
                )
            } else if let Some(b) = get(r, "bad") {
                (
                    RatioCounter::Bad,
                    metric_source(b, &format!("{r_at}/bad"), cx)?,
                )
            } else if let Some(raw) = get(r, "raw") {
                let raw_type = text(r, "rawType").unwrap_or_default();
                let raw_at = format!("{r_at}/raw");
                let (source, query) = metric_source(raw, &raw_at, cx)?;
                if source == SLOTH_PLUGIN {
                    return Ok(Ok(plugin_sli(&query, &raw_at)?));
                }
                if raw_type.eq_ignore_ascii_case("failure") {
                    return Ok(Ok(Sli::ErrorRatio { query, source }));
                }
                // A success ratio is the complement of the error ratio: a
                // query language's `1 - (query)` when the source is one
                // query, which the note shows. A source spec of fields
                // (CloudWatch, ...) cannot be complemented.
                let one_query = !query.trim_start().starts_with('{');
                if raw_type.eq_ignore_ascii_case("success") && one_query {
                    let note = format!(
                        "{raw_at}: a raw success ratio, kept as the error ratio 1 - ({})",
                        query.trim()
                    );
                    // One SLI can serve several objectives: said once.
                    if !notes.contains(&note) {
                        notes.push(note);
                    }
                    return Ok(Ok(Sli::ErrorRatio {
                        query: format!("1 - ({})", query.trim()),
                        source,
                    }));
                }
                return Ok(Err(Unsupported(format!(
                "{r_at}/raw: a raw {} ratio{} is kept only as an error ratio (rawType: failure{})",
                if raw_type.is_empty() { "unnamed".to_string() } else { raw_type },
                if query.is_empty() { String::new() } else { format!(": {query}") },
                if one_query { ", or success over one query" } else { "" }
            ))));
            } else {
                return Err(ImportError::new(&r_at, "needs \"good\" or \"bad\""));
            };
        let (_, total) = metric_source(need(r, "total", &r_at)?, &format!("{r_at}/total"), cx)?;
        return Ok(Ok(Sli::Ratio {
            counter,
            numerator_query: numerator.1,
            total_query: total,
            source: numerator.0,
        }));
    }
    if let Some(t) = get(spec, "thresholdMetric") {
        let (source, query) = metric_source(t, &format!("{at}/thresholdMetric"), cx)?;
        let (op, value) = op_value(objective, o_at).map_err(|e| sumo_threshold_hint(e, t))?;
        return Ok(Ok(Sli::Threshold {
            query,
            op,
            value,
            source,
        }));
    }
    Err(ImportError::new(
        at,
        "needs \"ratioMetric\" or \"thresholdMetric\"",
    ))
}

/// v1alpha: a ratio SLI sits in each objective (`ratioMetrics`), a
/// threshold one in `spec.indicator.thresholdMetric` (older drafts put it
/// in `spec.thresholdMetric`).
fn v1alpha_sli(
    objective: &Value,
    spec: &Value,
    s_at: &str,
    o_at: &str,
) -> Result<Sli, ImportError> {
    if let Some(r) = get(objective, "ratioMetrics") {
        let r_at = format!("{o_at}/ratioMetrics");
        let (counter, numerator) = if let Some(g) = get(r, "good") {
            (
                RatioCounter::Good,
                v1alpha_metric(g, &format!("{r_at}/good"))?,
            )
        } else {
            let b = need(r, "bad", &r_at)?;
            (
                RatioCounter::Bad,
                v1alpha_metric(b, &format!("{r_at}/bad"))?,
            )
        };
        let (_, total) = v1alpha_metric(need(r, "total", &r_at)?, &format!("{r_at}/total"))?;
        return Ok(Sli::Ratio {
            counter,
            numerator_query: numerator.1,
            total_query: total,
            source: numerator.0,
        });
    }
    let (t, t_at) = match get(spec, "indicator").and_then(|i| get(i, "thresholdMetric")) {
        Some(t) => (t, format!("{s_at}/indicator/thresholdMetric")),
        None => (
            get(spec, "thresholdMetric").ok_or_else(|| {
                ImportError::new(
                    o_at,
                    "needs \"ratioMetrics\", or the SLO an \"indicator\" with a \"thresholdMetric\"",
                )
            })?,
            format!("{s_at}/thresholdMetric"),
        ),
    };
    let (source, query) = v1alpha_metric(t, &t_at)?;
    let (op, value) = op_value(objective, o_at)?;
    Ok(Sli::Threshold {
        query,
        op,
        value,
        source,
    })
}

/// The SLI spec an SLO or objective names, inline (`indicator`, v2alpha
/// `sli`) or by reference to an `SLI` document of the file
/// (`indicatorRef`, `sliRef`), with where it was found.
fn indicator_of(v: &Value, at: &str, cx: &Context) -> Result<Option<(Value, String)>, ImportError> {
    for key in ["indicator", "sli"] {
        if let Some(ind) = get(v, key) {
            let i_at = format!("{at}/{key}");
            // Some writers leave out the SLI's metadata and spec and put
            // its metric straight under the indicator.
            if get(ind, "spec").is_none()
                && (get(ind, "ratioMetric").is_some() || get(ind, "thresholdMetric").is_some())
            {
                return Ok(Some((ind.clone(), i_at)));
            }
            return Ok(Some((
                need(ind, "spec", &i_at)?.clone(),
                format!("{i_at}/spec"),
            )));
        }
    }
    for key in ["indicatorRef", "sliRef"] {
        if let Some(r) = text(v, key) {
            if let Some(files) = cx.ambiguous.get(&r) {
                return Err(ImportError::new(
                    format!("{at}/{key}"),
                    format!(
                        "SLI \"{r}\" is defined in {}; rename one of them or put the one meant in this file",
                        files.join(" and ")
                    ),
                ));
            }
            let (spec, where_) = cx.slis.get(&r).ok_or_else(|| {
                ImportError::new(
                    format!("{at}/{key}"),
                    format!(
                        "no SLI named \"{r}\" in this file or the files imported with it (import the folder that holds its document, or put it in this file)"
                    ),
                )
            })?;
            return Ok(Some((spec.clone(), where_.clone())));
        }
    }
    Ok(None)
}

/// `metadata.labels` as SLO labels: OpenSLO v1 allows a list of values
/// per label, kept joined with commas.
fn labels_of(metadata: &Value, at: &str) -> Result<BTreeMap<String, String>, ImportError> {
    let mut out = BTreeMap::new();
    let Some(labels) = get(metadata, "labels") else {
        return Ok(out);
    };
    let at = format!("{at}/labels");
    let m = labels
        .as_mapping()
        .ok_or_else(|| ImportError::new(&at, "must be a map of names to values"))?;
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    for (k, v) in m {
        let k = scalar(k).ok_or_else(|| ImportError::new(&at, "label names must be text"))?;
        let value = match v {
            Value::Null => String::new(),
            Value::Sequence(items) => items
                .iter()
                .map(&scalar)
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| ImportError::new(format!("{at}/{k}"), "values must be text"))?
                .join(","),
            other => scalar(other).ok_or_else(|| {
                ImportError::new(format!("{at}/{k}"), "must be text or a list of text")
            })?,
        };
        out.insert(k, value);
    }
    Ok(out)
}

/// Keys written beside an SLO document's own (slogen's `labels`, `alerts`,
/// `createView`, `fields`): labels there are the SLO's (metadata's win on a
/// name both give), the others are named as not kept.
fn beside_the_document(
    doc: &Value,
    at: &str,
    labels: &mut BTreeMap<String, String>,
    notes: &mut Vec<String>,
) -> Result<(), ImportError> {
    let Some(m) = doc.as_mapping() else {
        return Ok(());
    };
    let mut others = Vec::new();
    for (k, v) in m {
        let k = k.as_str().unwrap_or_default();
        match k {
            "apiVersion" | "kind" | "metadata" | "spec" => {}
            "labels" => {
                let beside = labels_of(doc, at)?;
                if !beside.is_empty() {
                    notes.push(format!(
                        "{at}/labels: read as the SLO's labels (written beside metadata, not in it)"
                    ));
                }
                for (name, value) in beside {
                    labels.entry(name).or_insert(value);
                }
            }
            _ if v.is_null() => {}
            _ => others.push(k.to_string()),
        }
    }
    if !others.is_empty() {
        notes.push(format!(
            "{at}: {} not kept (not OpenSLO fields; slogen's own, beside the document)",
            others.join(", ")
        ));
    }
    Ok(())
}

/// What a document from another SLO tool is, for the error that refuses
/// it.
fn not_openslo(api: &str, kind: &str) -> String {
    match super::foreign_format(api, kind) {
        Some(what) => format!("this is {what}"),
        None => format!(
            "\"{api}\" is not an OpenSLO version (openslo/v1, openslo/v1beta1, openslo/v1alpha, openslo.com/v2alpha or openslo.com/v2alpha1)"
        ),
    }
}

/// Reads every SLO of an OpenSLO file (`openslo/v1`, `openslo/v1alpha`,
/// `openslo.com/v2alpha`; one or more YAML documents, or a YAML list of
/// them). `indicatorRef`/`sliRef` are resolved against the `SLI`
/// documents of the file and metric source references against its
/// `DataSource`s; other kinds are noted and skipped. An SLO with several
/// objectives becomes one SLO per objective, each with its own indicator
/// when the objective names one (composite SLOs). An SLO whose SLI has no
/// form here (a raw ratio) is left out with a note; the import fails when
/// nothing is left.
pub fn import(text_in: &str, workspace: Uuid) -> Result<SloImport, ImportError> {
    import_with(text_in, workspace, &Definitions::default())
}

/// [`import`] with the SLIs and DataSources of the other files imported
/// with this one; the file's own documents of a name win.
pub fn import_with(
    text_in: &str,
    workspace: Uuid,
    others: &Definitions,
) -> Result<SloImport, ImportError> {
    let docs = documents_of(text_in)?;
    let own = context_of(&docs);
    let mut cx = others.shared.clone();
    for name in own.slis.keys() {
        cx.ambiguous.remove(name);
    }
    cx.slis.extend(own.slis);
    cx.data_sources.extend(own.data_sources);
    let mut out = SloImport {
        slos: Vec::new(),
        notes: Vec::new(),
    };
    let mut skipped: Vec<(String, String)> = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut other_kinds: Vec<String> = Vec::new();
    for (i, doc) in docs.iter().enumerate() {
        let at = format!("/{i}");
        if !doc.is_mapping() {
            return Err(ImportError::new(
                &at,
                "an OpenSLO document is a map (apiVersion, kind, metadata, spec)",
            ));
        }
        let api = text(doc, "apiVersion").unwrap_or_default();
        let kind = text(doc, "kind").unwrap_or_default();
        let Some(ver) = version(&api) else {
            return Err(ImportError::new(
                format!("{at}/apiVersion"),
                not_openslo(&api, &kind),
            ));
        };
        if kind != "SLO" {
            let name = get(doc, "metadata")
                .and_then(|m| text(m, "name"))
                .map(|n| format!(" \"{n}\""))
                .unwrap_or_default();
            other_kinds.push(format!("{kind}{name}"));
            match kind.as_str() {
                "SLI" => {}
                "DataSource" => out.notes.push(format!(
                    "{at}: DataSource{name} is not imported (its type names the SLIs' source; connection details are not kept)"
                )),
                "Service" => out.notes.push(format!(
                    "{at}: Service{name} is not imported (an SLO keeps its service's name only)"
                )),
                "AlertPolicy" | "AlertCondition" | "AlertNotificationTarget" => {
                    out.notes.push(format!(
                        "{at}: {kind}{name} is not imported (SLOs here alert on the multiwindow burn rates)"
                    ))
                }
                _ => out
                    .notes
                    .push(format!("{at}: {kind}{name} documents are not imported")),
            }
            continue;
        }
        let metadata = need(doc, "metadata", &at)?;
        let m_at = format!("{at}/metadata");
        let raw_name =
            text(metadata, "name").ok_or_else(|| ImportError::new(&m_at, "\"name\" is missing"))?;
        let display = text(metadata, "displayName").unwrap_or_default();
        let mut labels = labels_of(metadata, &m_at)?;
        beside_the_document(doc, &at, &mut labels, &mut out.notes)?;
        if let Some(a) = get(metadata, "annotations").and_then(Value::as_mapping) {
            let keys: Vec<String> = a
                .keys()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect();
            if !keys.is_empty() {
                out.notes.push(format!(
                    "{m_at}/annotations: not kept ({})",
                    keys.join(", ")
                ));
            }
        }
        let spec = need(doc, "spec", &at)?;
        let s_at = format!("{at}/spec");
        let raw_service = text(spec, "service")
            .or_else(|| text(spec, "serviceRef"))
            .ok_or_else(|| {
                // Some writers name the service only in a label.
                let hint = get(metadata, "labels")
                    .and_then(|l| text(l, "service"))
                    .map(|s| format!(" (metadata.labels.service says \"{s}\": OpenSLO names the SLO's service in spec.service)"))
                    .unwrap_or_default();
                ImportError::new(&s_at, format!("\"service\" is missing{hint}"))
            })?;
        let (service, name) = (dns_label(&raw_service), dns_label(&raw_name));
        if service != raw_service || name != raw_name {
            out.notes.push(format!(
                "{at}: \"{raw_service}/{raw_name}\" renamed \"{service}/{name}\" (names must be DNS labels)"
            ));
        }
        let description = text(spec, "description").unwrap_or_default();
        let budgeting_method = budgeting(spec, &s_at)?;
        let objectives = get(spec, "objectives")
            .ok_or_else(|| {
                let hint = ["target", "targetPercent"]
                    .iter()
                    .find(|k| get(spec, k).is_some())
                    .map(|k| format!(" (spec.{k} is given: OpenSLO puts the target in each objective, objectives: [{{target: 0.999}}] or targetPercent)"))
                    .unwrap_or_default();
                ImportError::new(&s_at, format!("\"objectives\" is missing{hint}"))
            })?
            .as_sequence()
            .ok_or_else(|| ImportError::new(format!("{s_at}/objectives"), "must be a list"))?;
        if objectives.is_empty() {
            return Err(ImportError::new(format!("{s_at}/objectives"), "is empty"));
        }
        // The OpenSLO SDK's own v1alpha examples are written in the v1
        // shape (timeWindow, indicator.spec): read the shape the SLO has.
        let alpha = ver == Version::V1Alpha
            && (get(spec, "timeWindows").is_some() || get(spec, "timeWindow").is_none());
        if ver == Version::V1Alpha && !alpha {
            out.notes.push(format!(
                "{s_at}: written in the openslo/v1 shape (timeWindow, indicator) under openslo/v1alpha; read as v1"
            ));
        }
        // Some writers put the window on each objective instead of the
        // SLO's spec: read there when the spec has none.
        let objective_windows = !alpha
            && get(spec, "timeWindow").is_none()
            && objectives.iter().any(|o| get(o, "timeWindow").is_some());
        let window = if alpha {
            window_from_v1alpha(spec, &s_at, &mut out.notes)?
        } else if objective_windows {
            SloWindow::rolling(WindowLength {
                count: 30,
                unit: WindowUnit::Day,
            })
        } else {
            window_from_v1(spec, &s_at, &mut out.notes)?
        };
        if window.length.unit == WindowUnit::Minute {
            out.notes.push(format!(
                "{s_at}/timeWindow: the window is {}, in minutes (OpenSLO writes a month as 1M)",
                window.length
            ));
        }
        if get(spec, "alertPolicies").is_some_and(|p| p.as_sequence().is_none_or(|l| !l.is_empty()))
        {
            out.notes.push(format!(
                "{s_at}/alertPolicies: replaced by the program's multiwindow burn-rate alerts"
            ));
        }
        let spec_indicator = if alpha {
            None
        } else {
            indicator_of(spec, &s_at, &cx)?
        };
        let mut names_here: Vec<String> = Vec::new();
        for (j, objective) in objectives.iter().enumerate() {
            let o_at = format!("{s_at}/objectives/{j}");
            if get(objective, "compositeWeight").is_some() {
                out.notes.push(format!(
                    "{o_at}/compositeWeight: not kept (each objective is imported as an SLO of its own)"
                ));
            }
            let sli = if alpha {
                Ok(v1alpha_sli(objective, spec, &s_at, &o_at)?)
            } else {
                let (ind, i_at) = match indicator_of(objective, &o_at, &cx)? {
                    Some(found) => found,
                    None => spec_indicator.clone().ok_or_else(|| {
                        ImportError::new(
                            &s_at,
                            "needs \"indicator\" or \"indicatorRef\" (on the SLO or on each objective)",
                        )
                    })?,
                };
                if get(&ind, "ratioMetric")
                    .and_then(|r| get(r, "counter"))
                    .and_then(Value::as_bool)
                    == Some(false)
                {
                    let note = format!(
                        "{i_at}/ratioMetric/counter: false not kept (the queries are read as written; an export says counter: true)"
                    );
                    // One SLI can serve several objectives: said once.
                    if !out.notes.contains(&note) {
                        out.notes.push(note);
                    }
                }
                v1_sli(&ind, objective, &i_at, &o_at, &cx, &mut out.notes)?
            };
            let objective_name = text(objective, "displayName")
                .or_else(|| text(objective, "name"))
                .unwrap_or_default();
            if objectives.len() == 1 && !display.is_empty() && !objective_name.is_empty() {
                out.notes.push(format!(
                    "{o_at}: the objective's name \"{objective_name}\" not kept (the SLO's displayName \"{display}\" names it)"
                ));
            }
            let mut slo_name = if objectives.len() > 1 {
                let suffix = if objective_name.is_empty() {
                    (j + 1).to_string()
                } else {
                    dns_label(&objective_name)
                };
                child_name(&name, &suffix)
            } else {
                name.clone()
            };
            if names_here.contains(&slo_name) {
                slo_name = child_name(&slo_name, &(j + 1).to_string());
            }
            names_here.push(slo_name.clone());
            let window = if objective_windows {
                if get(objective, "timeWindow").is_some() {
                    out.notes.push(format!(
                        "{o_at}/timeWindow: read as the SLO's window (OpenSLO gives it in the SLO's spec)"
                    ));
                }
                window_from_v1(objective, &o_at, &mut out.notes)?
            } else {
                window.clone()
            };
            let percent = objective_percent(objective, &o_at)?;
            let sli = match sli {
                // An objective of 100 % leaves no error budget: nothing to
                // alert on or spend. The file's other SLOs still import.
                Ok(_) if percent >= 100.0 => {
                    let why = format!(
                        "SLO \"{service}/{slo_name}\" left out: its objective is 100 %, which leaves no error budget (objectives here are below 100 %)"
                    );
                    out.notes.push(format!("{o_at}: {why}"));
                    skipped.push((o_at, why));
                    continue;
                }
                Ok(sli) => sli,
                Err(Unsupported(why)) => {
                    let why = format!("SLO \"{service}/{slo_name}\" left out: {why}");
                    out.notes.push(format!("{o_at}: {why}"));
                    skipped.push((o_at, why));
                    continue;
                }
            };
            let slo = Slo {
                id: slo_id(workspace, &service, &slo_name),
                workspace_id: workspace,
                service: service.clone(),
                name: slo_name,
                display_name: match (display.is_empty(), objective_name.is_empty()) {
                    (true, _) => objective_name,
                    (false, false) if objectives.len() > 1 => {
                        format!("{display} ({objective_name})")
                    }
                    (false, _) => display.clone(),
                },
                description: description.clone(),
                sli,
                objective: (percent * 1e9).round() / 1e9,
                window: window.clone(),
                budgeting_method,
                timeslice_window: text(objective, "timeSliceWindow"),
                timeslice_target: float(objective, "timeSliceTarget"),
                expected_events: None,
                alerting: Alerting::default(),
                policy: default_policy(),
                labels: labels.clone(),
            };
            slo.validate()
                .map_err(|e| ImportError::new(&o_at, e.to_string()))?;
            if let Some(first) = seen.insert(slo.handle(), o_at.clone()) {
                return Err(ImportError::new(
                    &o_at,
                    format!("SLO \"{}\" is already defined at {first}", slo.handle()),
                ));
            }
            out.slos.push(slo);
        }
    }
    if out.slos.is_empty() {
        let none = ImportError::new(
            "/",
            if other_kinds.is_empty() {
                "the file holds no SLO".to_string()
            } else {
                format!("the file holds no SLO, only {}", other_kinds.join(", "))
            },
        );
        return Err(super::nothing_imported(&skipped, none));
    }
    Ok(out)
}

/// `true` when the name is usable as an OpenSLO `metadata.name`.
pub fn valid_name(name: &str) -> bool {
    is_dns_label(name)
}

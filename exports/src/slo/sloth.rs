//! Sloth `prometheus/v1` specs (Go types in `pkg/prometheus/api/v1` of
//! Sloth): one file per service, one entry per ratio SLO.
//!
//! Sloth reads error events: a "bad" ratio is written as is, a "good" one
//! as `(total) - (good)`. Threshold SLIs have no Sloth form and are left
//! out with a reason. Sloth takes the SLO period from its command line, so
//! a file whose SLOs do not use 30 days says which `--default-slo-period`
//! to pass (one period per file: SLOs of other lengths are left out).
//!
//! Import reads `prometheus/v1` specs and Sloth's Kubernetes
//! `PrometheusServiceLevel` objects (camelCase fields), one or more YAML
//! documents per file.

use std::collections::BTreeMap;

use plasma_models::slo::{
    default_policy, AlertRoute, Alerting, BudgetingMethod, RatioCounter, Sli, Slo, SloWindow,
    WindowLength, WindowUnit,
};
use serde::{Deserialize, Serialize};
use serde_yaml_ng::Value;
use uuid::Uuid;

use super::{by_service, dns_label, slo_id, without_noise, ImportError, SloImport};

pub const WINDOW_PLACEHOLDER: &str = "{{.window}}";

#[derive(Debug, Serialize, Deserialize)]
pub struct Spec {
    pub version: String,
    pub service: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub slos: Vec<SpecSlo>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SpecSlo {
    pub name: String,
    #[serde(serialize_with = "objective_number")]
    pub objective: f64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    pub sli: SpecSli,
    pub alerting: SpecAlerting,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SpecSli {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<SpecEvents>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<SpecRaw>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin: Option<SpecPlugin>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SpecPlugin {
    pub id: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SpecEvents {
    pub error_query: String,
    pub total_query: String,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SpecRaw {
    pub error_ratio_query: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct SpecAlerting {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    #[serde(default)]
    pub page_alert: SpecAlert,
    #[serde(default)]
    pub ticket_alert: SpecAlert,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct SpecAlert {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disable: bool,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// An SLO left out of a Sloth file, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub slo: String,
    pub reason: String,
}

/// `GatewayRequestsAvailability` from `gateway` and `requests-availability`.
pub fn alert_name(service: &str, name: &str) -> String {
    format!("{service}-{name}")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect::<String>()
        + "BurnRate"
}

fn route(r: &AlertRoute) -> SpecAlert {
    SpecAlert {
        disable: r.disabled,
        labels: r.labels.clone(),
        annotations: r.annotations.clone(),
    }
}

fn why_not(slo: &Slo) -> Option<String> {
    if let Sli::Threshold { .. } = slo.sli {
        return Some("a threshold SLI has no Sloth form (Sloth reads event ratios)".into());
    }
    if let Sli::ErrorRatio { query, .. } = &slo.sli {
        if !query.contains(WINDOW_PLACEHOLDER) {
            return Some(format!(
                "Sloth needs the error-ratio query to use {WINDOW_PLACEHOLDER} as the range"
            ));
        }
    }
    if slo.budgeting_method != BudgetingMethod::Occurrences {
        return Some("Sloth budgets by occurrences only".into());
    }
    if let Sli::Ratio {
        numerator_query,
        total_query,
        ..
    } = &slo.sli
    {
        if !numerator_query.contains(WINDOW_PLACEHOLDER)
            || !total_query.contains(WINDOW_PLACEHOLDER)
        {
            return Some(format!(
                "Sloth needs both queries to use {WINDOW_PLACEHOLDER} as the range"
            ));
        }
    }
    None
}

/// One service's Sloth spec, and the SLOs it had to leave out. `None` when
/// no SLO of the service fits.
pub fn export_service(service: &str, slos: &[&Slo]) -> (Option<String>, Vec<Skipped>) {
    let mut skipped = Vec::new();
    // The most common window of the service's exportable SLOs sets the
    // file's period.
    let fit: Vec<&Slo> = slos
        .iter()
        .copied()
        .filter(|s| match why_not(s) {
            Some(reason) => {
                skipped.push(Skipped {
                    slo: s.handle(),
                    reason,
                });
                false
            }
            None => true,
        })
        .collect();
    let mut counts: BTreeMap<u64, (usize, WindowLength)> = BTreeMap::new();
    for s in &fit {
        counts
            .entry(s.window.length.minutes())
            .or_insert((0, s.window.length))
            .0 += 1;
    }
    let Some(period) = counts
        .values()
        .max_by_key(|(n, w)| (*n, w.minutes() == 30 * 1_440))
        .map(|(_, w)| *w)
    else {
        return (None, skipped);
    };
    let mut entries = Vec::new();
    for s in fit {
        if s.window.length.minutes() != period.minutes() {
            skipped.push(Skipped {
                slo: s.handle(),
                reason: format!(
                    "its {} window differs from the file's {period} period",
                    s.window.length
                ),
            });
            continue;
        }
        let sli = match &s.sli {
            Sli::Ratio {
                counter,
                numerator_query,
                total_query,
                ..
            } => SpecSli {
                events: Some(SpecEvents {
                    error_query: match counter {
                        RatioCounter::Bad => numerator_query.trim().to_string(),
                        RatioCounter::Good => {
                            format!("({}) - ({})", total_query.trim(), numerator_query.trim())
                        }
                    },
                    total_query: total_query.trim().to_string(),
                }),
                raw: None,
                plugin: None,
            },
            Sli::ErrorRatio { query, .. } => SpecSli {
                events: None,
                raw: Some(SpecRaw {
                    error_ratio_query: query.trim().to_string(),
                }),
                plugin: None,
            },
            Sli::Plugin { id, options } => SpecSli {
                events: None,
                raw: None,
                plugin: Some(SpecPlugin {
                    id: id.clone(),
                    options: options.clone(),
                }),
            },
            Sli::Threshold { .. } => continue,
        };
        let Alerting {
            name,
            labels,
            annotations,
            page,
            ticket,
        } = &s.alerting;
        entries.push(SpecSlo {
            name: s.name.clone(),
            objective: s.objective,
            description: s.description.clone(),
            labels: s.labels.clone(),
            sli,
            alerting: SpecAlerting {
                name: if name.is_empty() {
                    alert_name(&s.service, &s.name)
                } else {
                    name.clone()
                },
                labels: labels.clone(),
                annotations: annotations.clone(),
                page_alert: route(page),
                ticket_alert: route(ticket),
            },
        });
    }
    let spec = Spec {
        version: "prometheus/v1".into(),
        service: service.to_string(),
        labels: BTreeMap::new(),
        slos: entries,
    };
    let body = serde_yaml_ng::to_string(&spec).unwrap_or_default();
    let head = format!(
        "# Sloth spec for {service}, written by Plasma Plan.\n# Generate rules: sloth generate -i {}.sloth.yaml{}\n",
        dns_label(service),
        if period.minutes() == 30 * 1_440 {
            String::new()
        } else {
            format!(" --default-slo-period={}", period_flag(period))
        }
    );
    (Some(format!("{head}{body}")), skipped)
}

/// Sloth's period flag takes Go-style durations with a day unit (`28d`).
fn period_flag(w: WindowLength) -> String {
    match w.unit {
        WindowUnit::Minute | WindowUnit::Hour | WindowUnit::Day => w.to_string(),
        _ => format!("{}d", w.minutes() / 1_440),
    }
}

/// An objective as Sloth writers put it: 99 rather than `99.0`, and 99.95
/// without the binary noise arithmetic can leave. Done while serializing:
/// rewriting `objective:` lines afterwards also hit alert labels and
/// descriptions holding that word.
fn objective_number<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    let rounded = without_noise(*v);
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        s.serialize_i64(rounded as i64)
    } else {
        s.serialize_f64(rounded)
    }
}

/// All services' Sloth specs: `(file name, text)` and what was left out.
pub fn export_all(slos: &[Slo]) -> (Vec<(String, String)>, Vec<Skipped>) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for (service, list) in by_service(slos) {
        let (text, mut left) = export_service(&service, &list);
        if let Some(t) = text {
            files.push((format!("{}.sloth.yaml", dns_label(&service)), t));
        }
        skipped.append(&mut left);
    }
    (files, skipped)
}

// ------------------------------------------------------------------ import

fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_mapping()
        .and_then(|m| m.get(key))
        .filter(|v| !v.is_null())
}

/// A field under its `prometheus/v1` name or its Kubernetes (camelCase)
/// name: Sloth's CRD writes `errorQuery` where the spec writes
/// `error_query`, and some Sloth versions wrote `errorRatioQuery` in
/// `prometheus/v1` files too.
fn field<'a>(v: &'a Value, snake: &str) -> Option<&'a Value> {
    get(v, snake).or_else(|| get(v, &camel(snake)))
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in snake.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn text_field(v: &Value, snake: &str, at: &str) -> Result<Option<String>, ImportError> {
    match field(v, snake) {
        None => Ok(None),
        Some(x) => scalar(x).map(Some).ok_or_else(|| {
            ImportError::new(format!("{at}/{snake}"), "must be text, not a list or a map")
        }),
    }
}

fn string_map(v: &Value, snake: &str, at: &str) -> Result<BTreeMap<String, String>, ImportError> {
    let Some(m) = field(v, snake) else {
        return Ok(BTreeMap::new());
    };
    let at = format!("{at}/{snake}");
    let m = m
        .as_mapping()
        .ok_or_else(|| ImportError::new(&at, "must be a map of names to values"))?;
    let mut out = BTreeMap::new();
    for (k, v) in m {
        let k = scalar(k).ok_or_else(|| ImportError::new(&at, "names must be text"))?;
        let v = match v {
            Value::Null => String::new(),
            other => scalar(other).ok_or_else(|| {
                ImportError::new(format!("{at}/{k}"), "must be text, not a list or a map")
            })?,
        };
        out.insert(k, v);
    }
    Ok(out)
}

/// Notes every key of a map that is not one of `known` (snake or camel
/// spelling), so a misspelt field is not lost without a word.
fn note_unknown(v: &Value, known: &[&str], at: &str, notes: &mut Vec<String>) {
    let Some(m) = v.as_mapping() else { return };
    for k in m.keys() {
        let k = scalar(k).unwrap_or_default();
        if known.iter().any(|n| *n == k || camel(n) == k) {
            continue;
        }
        // A near miss Sloth itself would ignore too: said with the
        // spelling it reads, so the alert is not silently left on.
        let hint = match k.as_str() {
            "disabled" if known.contains(&"disable") => {
                " (Sloth reads \"disable\": the alert stays enabled)"
            }
            "ticker_alert" | "tickerAlert" => " (Sloth reads \"ticket_alert\")",
            _ => "",
        };
        notes.push(format!("{at}/{k}: not a Sloth field, ignored{hint}"));
    }
}

/// Reads Sloth specs: `prometheus/v1` files and Sloth's Kubernetes
/// `PrometheusServiceLevel` and `ManagedPrometheusServiceLevel` objects
/// (`sloth.slok.dev/v1`), one or more
/// YAML documents (Sloth's multi-file form). The window is 30 days,
/// Sloth's default period. Every SLI form is kept: events as a bad/total
/// ratio, raw as an error ratio, a plugin SLI with its id and options
/// (exported back as the same plugin). What maps to nothing here (SLO
/// plugin chains, Kubernetes placement) is noted.
pub fn import(text: &str, workspace: Uuid) -> Result<SloImport, ImportError> {
    let docs = super::documents(text)?;
    let mut out = SloImport {
        slos: Vec::new(),
        notes: Vec::new(),
    };
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut skipped: Vec<(String, String)> = Vec::new();
    let many = docs.len() > 1;
    for (d, doc) in docs.iter().enumerate() {
        let base = if many { format!("/{d}") } else { String::new() };
        if !doc.is_mapping() {
            return Err(ImportError::new(
                if many { base.clone() } else { "/".into() },
                "a Sloth spec is a map (version, service, slos)",
            ));
        }
        let (spec, at) = if let Some(version) = text_field(doc, "version", &base)? {
            if version != "prometheus/v1" {
                return Err(ImportError::new(
                    format!("{base}/version"),
                    format!("\"{version}\" is not prometheus/v1"),
                ));
            }
            (doc, base.clone())
        } else if let Some(api) = text_field(doc, "apiVersion", &base)? {
            let kind = text_field(doc, "kind", &base)?.unwrap_or_default();
            if !api.starts_with("sloth.slok.dev/") {
                return Err(ImportError::new(
                    format!("{base}/apiVersion"),
                    format!("\"{api}\" {kind} is not a Sloth spec (prometheus/v1 or sloth.slok.dev/v1 PrometheusServiceLevel)"),
                ));
            }
            match kind.as_str() {
                // Sloth's Google Managed Prometheus object has the same spec;
                // only the rules it generates differ.
                "PrometheusServiceLevel" | "ManagedPrometheusServiceLevel" => {
                    // Where the object lives in a cluster says nothing about
                    // the SLO; said, so that nothing goes unseen.
                    if let Some(m) = get(doc, "metadata") {
                        let mut named: Vec<String> = ["name", "namespace"]
                            .iter()
                            .filter_map(|k| {
                                text_field(m, k, "")
                                    .ok()
                                    .flatten()
                                    .map(|v| format!("{k} {v}"))
                            })
                            .collect();
                        // The object's own labels and annotations are not
                        // the rules' (spec.labels are): named, not lost.
                        for k in ["labels", "annotations"] {
                            if let Some(map) = get(m, k).and_then(Value::as_mapping) {
                                let keys: Vec<String> = map.keys().filter_map(scalar).collect();
                                if !keys.is_empty() {
                                    named.push(format!("{k} {}", keys.join(", ")));
                                }
                            }
                        }
                        if !named.is_empty() {
                            out.notes.push(format!(
                                "{base}/metadata: {} not kept (Kubernetes placement of the object, not part of an SLO)",
                                named.join(", ")
                            ));
                        }
                    }
                    let at = format!("{base}/spec");
                    let spec =
                        get(doc, "spec").ok_or_else(|| ImportError::new(&at, "is missing"))?;
                    (spec, at)
                }
                "AlertWindows" => {
                    let period = get(doc, "spec")
                        .and_then(|s| text_field(s, "slo_period", "").ok().flatten())
                        .unwrap_or_default();
                    let what = format!(
                        "a Sloth AlertWindows spec (custom burn-rate windows{}) holds no SLO; Plasma alerts on the SRE workbook's windows",
                        if period.is_empty() { String::new() } else { format!(" for a {period} SLO period") }
                    );
                    if many {
                        out.notes.push(format!("{base}: {what}, ignored"));
                        continue;
                    }
                    return Err(ImportError::new("/kind", what));
                }
                other => {
                    return Err(ImportError::new(
                        format!("{base}/kind"),
                        format!(
                            "\"{other}\" is not a Sloth kind Plasma reads (PrometheusServiceLevel, ManagedPrometheusServiceLevel)"
                        ),
                    ))
                }
            }
        } else {
            return Err(ImportError::new(
                if many { base.clone() } else { "/".into() },
                "neither \"version: prometheus/v1\" nor \"apiVersion: sloth.slok.dev/v1\"",
            ));
        };
        read_spec(spec, &at, workspace, &mut out, &mut skipped, &mut seen)?;
    }
    if out.slos.is_empty() {
        return Err(super::nothing_imported(
            &skipped,
            ImportError::new("/slos", "the spec holds no SLO"),
        ));
    }
    Ok(out)
}

fn read_spec(
    spec: &Value,
    at: &str,
    workspace: Uuid,
    out: &mut SloImport,
    skipped: &mut Vec<(String, String)>,
    seen: &mut BTreeMap<String, String>,
) -> Result<(), ImportError> {
    let raw_service = text_field(spec, "service", at)?.ok_or_else(|| {
        // A kustomize overlay patch repeats only what it changes.
        let partial = get(spec, "slos")
            .and_then(Value::as_sequence)
            .is_some_and(|l| l.iter().any(|s| get(s, "objective").is_none()));
        ImportError::new(
            format!("{at}/service"),
            if partial {
                "is missing, and so are objectives: a partial spec (an overlay patch?) is no SLO to import; import the whole spec it patches"
            } else {
                "is missing"
            },
        )
    })?;
    let service = dns_label(&raw_service);
    if service != raw_service {
        out.notes.push(format!(
            "{at}/service: \"{raw_service}\" renamed \"{service}\""
        ));
    }
    let spec_labels = string_map(spec, "labels", at)?;
    note_unknown(
        spec,
        &[
            "version",
            "api_version",
            "kind",
            "metadata",
            "status",
            "service",
            "labels",
            "slos",
            "slo_plugins",
        ],
        at,
        &mut out.notes,
    );
    if let Some(p) = field(spec, "slo_plugins") {
        out.notes.push(format!(
            "{at}/{}: Sloth SLO plugins ({}) are not kept",
            if get(spec, "slo_plugins").is_some() {
                "slo_plugins"
            } else {
                "sloPlugins"
            },
            plugin_ids(p)
        ));
    }
    let list = match get(spec, "slos") {
        None => &[][..],
        Some(Value::Sequence(s)) => s.as_slice(),
        Some(_) => return Err(ImportError::new(format!("{at}/slos"), "must be a list")),
    };
    for (i, s) in list.iter().enumerate() {
        let at = format!("{at}/slos/{i}");
        if !s.is_mapping() {
            return Err(ImportError::new(
                &at,
                "must be a map (name, objective, sli, alerting)",
            ));
        }
        let raw_name = text_field(s, "name", &at)?
            .ok_or_else(|| ImportError::new(format!("{at}/name"), "is missing"))?;
        let name = dns_label(&raw_name);
        if name != raw_name {
            out.notes
                .push(format!("{at}/name: \"{raw_name}\" renamed \"{name}\""));
        }
        note_unknown(
            s,
            &[
                "name",
                "objective",
                "description",
                "labels",
                "sli",
                "alerting",
                "plugins",
                "period",
                "interval",
            ],
            &at,
            &mut out.notes,
        );
        // Sloth's per-SLO Prometheus rule-group intervals (`all`,
        // `slierror`, `metadata`, `alert`): a Sloth field, nothing an SLO
        // here has.
        if let Some(interval) = get(s, "interval") {
            let said = match interval.as_mapping() {
                Some(m) => m
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            "{} {}",
                            scalar(k).unwrap_or_default(),
                            scalar(v).unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                None => scalar(interval).unwrap_or_default(),
            };
            out.notes.push(format!(
                "{at}/interval: Sloth's Prometheus rule-group intervals ({said}) are not kept"
            ));
        }
        // Sloth takes the period from its command line; some tools read a
        // per-SLO `period` (slokit): kept as the SLO's window when given.
        let window_length = match text_field(s, "period", &at)? {
            None => WindowLength {
                count: 30,
                unit: WindowUnit::Day,
            },
            Some(p) => {
                let length: WindowLength =
                    p.parse().map_err(|e: plasma_models::slo::SloError| {
                        ImportError::new(format!("{at}/period"), e.to_string())
                    })?;
                out.notes.push(format!(
                    "{at}/period: {length} kept as the SLO's window (not a field of Sloth's own, which takes the period from --default-slo-period)"
                ));
                length
            }
        };
        if let Some(p) = get(s, "plugins") {
            out.notes.push(format!(
                "{at}/plugins: Sloth SLO plugins ({}) are not kept",
                plugin_ids(p)
            ));
        }
        let objective = match get(s, "objective") {
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(t)) => t.trim().parse().ok(),
            _ => None,
        }
        .ok_or_else(|| {
            ImportError::new(
                format!("{at}/objective"),
                "must be a number, the percentage of good events (99.9)",
            )
        })?;
        if objective == 100.0 {
            let why = format!(
                "SLO \"{service}/{name}\" left out: its objective is 100, which leaves no error budget (objectives here are below 100)"
            );
            out.notes.push(format!("{at}/objective: {why}"));
            skipped.push((format!("{at}/objective"), why));
            continue;
        }
        let sli =
            get(s, "sli").ok_or_else(|| ImportError::new(format!("{at}/sli"), "is missing"))?;
        let sli_at = format!("{at}/sli");
        note_unknown(sli, &["events", "raw", "plugin"], &sli_at, &mut out.notes);
        let sli = match (get(sli, "events"), field(sli, "raw"), get(sli, "plugin")) {
            (Some(events), _, _) => {
                let events_at = format!("{sli_at}/events");
                let error_query =
                    text_field(events, "error_query", &events_at)?.ok_or_else(|| {
                        ImportError::new(format!("{events_at}/error_query"), "is missing")
                    })?;
                let total_query =
                    text_field(events, "total_query", &events_at)?.ok_or_else(|| {
                        ImportError::new(format!("{events_at}/total_query"), "is missing")
                    })?;
                // Sloth computes each alert window by putting it in the
                // queries: a fixed range gives every window the same value.
                if !has_window(&error_query) || !has_window(&total_query) {
                    out.notes.push(format!(
                        "{events_at}: the queries do not use {WINDOW_PLACEHOLDER} as their range (Sloth refuses such a spec: each alert window is put there); kept as written"
                    ));
                }
                Sli::Ratio {
                    counter: RatioCounter::Bad,
                    numerator_query: error_query,
                    total_query,
                    source: "prometheus".into(),
                }
            }
            (None, Some(raw), _) => {
                let raw_at = format!("{sli_at}/raw");
                let query = text_field(raw, "error_ratio_query", &raw_at)?.ok_or_else(|| {
                    ImportError::new(format!("{raw_at}/error_ratio_query"), "is missing")
                })?;
                Sli::ErrorRatio {
                    query: query.trim().to_string(),
                    source: "prometheus".into(),
                }
            }
            (None, None, Some(plugin)) => {
                let p_at = format!("{sli_at}/plugin");
                note_unknown(plugin, &["id", "options"], &p_at, &mut out.notes);
                let id = text_field(plugin, "id", &p_at)?
                    .filter(|id| !id.trim().is_empty())
                    .ok_or_else(|| ImportError::new(format!("{p_at}/id"), "is missing"))?;
                Sli::Plugin {
                    id: id.trim().to_string(),
                    options: string_map(plugin, "options", &p_at)?,
                }
            }
            (None, None, None) => {
                return Err(ImportError::new(
                    &sli_at,
                    "needs events (error_query and total_query), raw or plugin",
                ))
            }
        };
        let alerting_at = format!("{at}/alerting");
        let empty = Value::Mapping(Default::default());
        let alerting = get(s, "alerting").unwrap_or(&empty);
        note_unknown(
            alerting,
            &[
                "name",
                "labels",
                "annotations",
                "page_alert",
                "ticket_alert",
            ],
            &alerting_at,
            &mut out.notes,
        );
        let mut route = |key: &str| -> Result<AlertRoute, ImportError> {
            let Some(a) = field(alerting, key) else {
                return Ok(AlertRoute::default());
            };
            let a_at = format!("{alerting_at}/{key}");
            note_unknown(
                a,
                &["disable", "labels", "annotations"],
                &a_at,
                &mut out.notes,
            );
            let disabled = match get(a, "disable") {
                None => false,
                Some(Value::Bool(b)) => *b,
                Some(_) => {
                    return Err(ImportError::new(
                        format!("{a_at}/disable"),
                        "must be true or false",
                    ))
                }
            };
            Ok(AlertRoute {
                disabled,
                labels: string_map(a, "labels", &a_at)?,
                annotations: string_map(a, "annotations", &a_at)?,
            })
        };
        let page = route("page_alert")?;
        let ticket = route("ticket_alert")?;
        let mut labels = spec_labels.clone();
        labels.extend(string_map(s, "labels", &at)?);
        let slo = Slo {
            id: slo_id(workspace, &service, &name),
            workspace_id: workspace,
            service: service.clone(),
            name,
            display_name: String::new(),
            description: text_field(s, "description", &at)?.unwrap_or_default(),
            sli,
            objective,
            window: SloWindow::rolling(window_length),
            budgeting_method: BudgetingMethod::Occurrences,
            timeslice_window: None,
            timeslice_target: None,
            expected_events: None,
            alerting: Alerting {
                name: text_field(alerting, "name", &alerting_at)?.unwrap_or_default(),
                labels: string_map(alerting, "labels", &alerting_at)?,
                annotations: string_map(alerting, "annotations", &alerting_at)?,
                page,
                ticket,
            },
            policy: default_policy(),
            labels,
        };
        slo.validate()
            .map_err(|e| ImportError::new(&at, e.to_string()))?;
        if let Some(first) = seen.insert(slo.handle(), at.clone()) {
            return Err(ImportError::new(
                &at,
                format!("SLO \"{}\" is already defined at {first}", slo.handle()),
            ));
        }
        out.slos.push(slo);
    }
    Ok(())
}

/// Whether a query uses Sloth's window placeholder, spaced or not
/// (`{{.window}}`, `{{ .window }}`).
fn has_window(query: &str) -> bool {
    let mut rest = query;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            return false;
        };
        if after[..close].trim().trim_matches('-').trim() == ".window" {
            return true;
        }
        rest = &after[close + 2..];
    }
    false
}

/// `a, b` from a plugin chain (`chain: [{id: a}, {id: b}]`).
fn plugin_ids(p: &Value) -> String {
    get(p, "chain")
        .and_then(Value::as_sequence)
        .map(|c| {
            c.iter()
                .filter_map(|e| get(e, "id").and_then(scalar))
                .fold(Vec::new(), |mut ids, id| {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                    ids
                })
                .join(", ")
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alert_names_are_camel_case() {
        assert_eq!(
            alert_name("plasma-engine-gateway", "requests-availability"),
            "PlasmaEngineGatewayRequestsAvailabilityBurnRate"
        );
    }
}

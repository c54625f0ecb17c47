//! Sloth `prometheus/v1` specs (Go types in `pkg/prometheus/api/v1` of
//! Sloth): one file per service, one entry per ratio SLO.
//!
//! Sloth reads error events: a "bad" ratio is written as is, a "good" one
//! as `(total) - (good)`. Threshold SLIs have no Sloth form and are left
//! out with a reason. Sloth takes the SLO period from its command line, so
//! a file whose SLOs do not use 30 days says which `--default-slo-period`
//! to pass (one period per file: SLOs of other lengths are left out).

use std::collections::BTreeMap;

use plasma_models::slo::{
    default_policy, AlertRoute, Alerting, BudgetingMethod, RatioCounter, Sli, Slo, SloWindow,
    WindowLength, WindowUnit,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{by_service, dns_label, number, slo_id, ImportError, SloImport};

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
        annotations: BTreeMap::new(),
    }
}

fn why_not(slo: &Slo) -> Option<String> {
    if let Sli::Threshold { .. } = slo.sli {
        return Some("a threshold SLI has no Sloth form (Sloth reads event ratios)".into());
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
        let Sli::Ratio {
            counter,
            numerator_query,
            total_query,
            ..
        } = &s.sli
        else {
            continue;
        };
        let error_query = match counter {
            RatioCounter::Bad => numerator_query.trim().to_string(),
            RatioCounter::Good => {
                format!("({}) - ({})", total_query.trim(), numerator_query.trim())
            }
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
            sli: SpecSli {
                events: Some(SpecEvents {
                    error_query,
                    total_query: total_query.trim().to_string(),
                }),
                raw: None,
            },
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
    let body = fix_objectives(&body, &spec);
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

/// serde writes 99.9 as `99.9` already, but an objective like 99.95 could
/// print with binary noise; rewrite each `objective:` line with [`number`].
fn fix_objectives(body: &str, spec: &Spec) -> String {
    let mut objectives = spec.slos.iter().map(|s| number(s.objective));
    body.lines()
        .map(|l| {
            if l.trim_start().starts_with("objective:") {
                let indent = &l[..l.len() - l.trim_start().len()];
                match objectives.next() {
                    Some(n) => format!("{indent}objective: {n}"),
                    None => l.to_string(),
                }
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
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

/// Reads a Sloth `prometheus/v1` spec. Raw (error-ratio) SLIs have no
/// total and are refused; the window is 30 days, Sloth's default.
pub fn import(text: &str, workspace: Uuid) -> Result<SloImport, ImportError> {
    let spec: Spec = serde_yaml_ng::from_str(text).map_err(|e| {
        let at = e
            .location()
            .map(|l| format!("line {}", l.line()))
            .unwrap_or_else(|| "/".into());
        ImportError::new(at, e.to_string())
    })?;
    if spec.version != "prometheus/v1" {
        return Err(ImportError::new(
            "/version",
            format!("\"{}\" is not prometheus/v1", spec.version),
        ));
    }
    let service = dns_label(&spec.service);
    let mut notes = Vec::new();
    if service != spec.service {
        notes.push(format!(
            "/service: \"{}\" renamed \"{service}\"",
            spec.service
        ));
    }
    let mut slos = Vec::new();
    for (i, s) in spec.slos.into_iter().enumerate() {
        let at = format!("/slos/{i}");
        let events = match (s.sli.events, s.sli.raw) {
            (Some(e), _) => e,
            (None, Some(_)) => {
                return Err(ImportError::new(
                    format!("{at}/sli/raw"),
                    "raw error-ratio SLIs are not supported (no total events)",
                ))
            }
            (None, None) => return Err(ImportError::new(format!("{at}/sli"), "needs events")),
        };
        let name = dns_label(&s.name);
        let mut labels = spec.labels.clone();
        labels.extend(s.labels);
        let slo = Slo {
            id: slo_id(workspace, &service, &name),
            workspace_id: workspace,
            service: service.clone(),
            name,
            display_name: String::new(),
            description: s.description,
            sli: Sli::Ratio {
                counter: RatioCounter::Bad,
                numerator_query: events.error_query,
                total_query: events.total_query,
                source: "prometheus".into(),
            },
            objective: s.objective,
            window: SloWindow::rolling(WindowLength {
                count: 30,
                unit: WindowUnit::Day,
            }),
            budgeting_method: BudgetingMethod::Occurrences,
            timeslice_window: None,
            timeslice_target: None,
            expected_events: None,
            alerting: Alerting {
                name: s.alerting.name,
                labels: s.alerting.labels,
                annotations: s.alerting.annotations,
                page: AlertRoute {
                    disabled: s.alerting.page_alert.disable,
                    labels: s.alerting.page_alert.labels,
                },
                ticket: AlertRoute {
                    disabled: s.alerting.ticket_alert.disable,
                    labels: s.alerting.ticket_alert.labels,
                },
            },
            policy: default_policy(),
            labels,
        };
        slo.validate()
            .map_err(|e| ImportError::new(&at, e.to_string()))?;
        slos.push(slo);
    }
    if slos.is_empty() {
        return Err(ImportError::new("/slos", "the spec holds no SLO"));
    }
    Ok(SloImport { slos, notes })
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

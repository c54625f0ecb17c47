//! OSCAL 1.1 component definition: one component per repository, one
//! control implementation per framework, each matrix cell an implemented
//! requirement whose status is the `implementation-status` property.
//! Ids are UUID v5 of the workspace id and the cell, so exporting twice
//! gives the same file.

use plasma_models::compliance::EvidenceKind;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{status_label, MatrixExport};

pub const OSCAL_VERSION: &str = "1.1.2";

/// An OSCAL token from a control id: letters, digits, `.`, `-`, `_`, and a
/// letter or `_` first (`164.308(a)(1)` becomes `c164.308_a_1`).
pub fn oscal_token(id: &str) -> String {
    let mut out: String = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    while out.contains("__") {
        out = out.replace("__", "_");
    }
    let out = out.trim_end_matches('_').to_string();
    match out.chars().next() {
        Some(c) if c.is_alphabetic() || c == '_' => out,
        _ => format!("c{out}"),
    }
}

fn id(ws: Uuid, parts: &[&str]) -> String {
    Uuid::new_v5(&ws, parts.join("\u{1f}").as_bytes()).to_string()
}

/// Text OSCAL accepts where a non-empty string is required.
fn nonempty(s: &str, fallback: &str) -> String {
    let t = s.trim();
    if t.is_empty() {
        fallback.to_string()
    } else {
        t.to_string()
    }
}

pub fn component_definition(export: &MatrixExport<'_>) -> String {
    let ws = export.workspace_id;
    let resources: Vec<Value> = export
        .frameworks
        .iter()
        .map(|f| {
            let mut r = json!({
                "uuid": id(ws, &["catalog", &f.id]),
                "title": nonempty(&f.name, &f.id),
                "description": nonempty(&f.source, &f.name),
            });
            if let Some(url) = f
                .source
                .split_whitespace()
                .find(|w| w.starts_with("https://"))
            {
                r["rlinks"] = json!([{ "href": url.trim_end_matches([',', '.', ')']) }]);
            }
            r
        })
        .collect();
    let components: Vec<Value> = export
        .repositories
        .iter()
        .enumerate()
        .map(|(i, repo)| {
            let description = export
                .repository_descriptions
                .get(i)
                .map(String::as_str)
                .unwrap_or("");
            let implementations: Vec<Value> = export
                .frameworks
                .iter()
                .map(|f| {
                    let reqs: Vec<Value> = export
                        .rows(f)
                        .filter(|r| r.repository == repo)
                        .map(|r| {
                            let status = r.status();
                            let mut props = vec![json!({ "name": "label", "value": r.control.id })];
                            if let Some(s) = status {
                                props.push(json!({ "name": "implementation-status", "value": s.oscal() }));
                            }
                            let cell = r.cell;
                            let description = cell
                                .map(|c| c.narrative.trim().to_string())
                                .filter(|n| !n.is_empty())
                                .unwrap_or_else(|| {
                                    format!("{}: {}.", r.control.title, status_label(status))
                                });
                            let mut req = json!({
                                "uuid": id(ws, &["req", repo, &f.id, &r.control.id]),
                                "control-id": oscal_token(&r.control.id),
                                "description": description,
                                "props": props,
                            });
                            if let Some(c) = cell {
                                let links: Vec<Value> = c
                                    .evidence
                                    .iter()
                                    .filter(|e| {
                                        matches!(e.kind, EvidenceKind::Link | EvidenceKind::CiJob)
                                            && (e.location.starts_with("https://")
                                                || e.location.starts_with("http://"))
                                    })
                                    .map(|e| {
                                        json!({
                                            "href": e.location,
                                            "rel": "evidence",
                                            "text": nonempty(&e.title, &e.location),
                                        })
                                    })
                                    .collect();
                                if !links.is_empty() {
                                    req["links"] = Value::Array(links);
                                }
                                let mut remarks = Vec::new();
                                if !c.applicable {
                                    remarks.push(format!(
                                        "Not applicable: {}",
                                        c.not_applicable_reason.trim()
                                    ));
                                }
                                if !c.owner.trim().is_empty() {
                                    remarks.push(format!("Owner: {}", c.owner.trim()));
                                }
                                if let Some(d) = c.last_reviewed {
                                    remarks.push(format!("Last reviewed: {d}"));
                                }
                                if !remarks.is_empty() {
                                    req["remarks"] = json!(remarks.join("\n\n"));
                                }
                            } else {
                                req["remarks"] = json!("Not assessed yet.");
                            }
                            req
                        })
                        .collect();
                    json!({
                        "uuid": id(ws, &["impl", repo, &f.id]),
                        "source": format!("#{}", id(ws, &["catalog", &f.id])),
                        "description": format!("{} controls in {}.", f.name, repo),
                        "implemented-requirements": reqs,
                    })
                })
                .collect();
            json!({
                "uuid": id(ws, &["component", repo]),
                "type": "software",
                "title": repo,
                "description": nonempty(description, &format!("Repository {repo} of {}.", export.workspace)),
                "control-implementations": implementations,
            })
        })
        .collect();
    let doc = json!({
        "component-definition": {
            "uuid": id(ws, &["component-definition", &export.frameworks.iter().map(|f| f.id.as_str()).collect::<Vec<_>>().join(",")]),
            "metadata": {
                "title": format!("Compliance matrix: {}", nonempty(export.workspace, "workspace")),
                "last-modified": format!("{}T00:00:00+00:00", export.generated),
                "version": export.generated.to_string(),
                "oscal-version": OSCAL_VERSION,
            },
            "components": components,
            "back-matter": { "resources": resources },
        }
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

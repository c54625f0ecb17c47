//! OSCAL 1.1 component definition: one component per repository, one
//! control implementation per framework, each matrix cell an implemented
//! requirement whose status is the `implementation-status` property.
//! Ids are UUID v5 of the workspace id and the cell, so exporting twice
//! gives the same file.

use plasma_models::compliance::{EvidenceKind, ImplementationStatus};
use serde::Serialize;
use uuid::Uuid;

use super::{status_label, MatrixExport};

pub const OSCAL_VERSION: &str = "1.1.2";

/// The description written for a cell without a narrative ("Title:
/// partial."), which an import of this file must not take for one.
pub fn fallback_description(title: &str, status: Option<ImplementationStatus>) -> String {
    format!("{title}: {}.", status_label(status))
}

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

/// The remarks of a requirement whose cell was never assessed.
pub const NOT_ASSESSED_REMARKS: &str = "Not assessed yet.";

/// The uuid the export gives a repository's component: the same in every
/// export of the workspace, so an import can match a renamed component.
pub fn component_uuid(ws: Uuid, repository: &str) -> String {
    id(ws, &["component", repository])
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

#[derive(Serialize)]
struct Doc<'a> {
    #[serde(rename = "component-definition")]
    component_definition: ComponentDefinition<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ComponentDefinition<'a> {
    uuid: String,
    metadata: Metadata,
    components: Vec<Component<'a>>,
    back_matter: BackMatter,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Metadata {
    title: String,
    last_modified: String,
    version: String,
    oscal_version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Component<'a> {
    uuid: String,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    description: String,
    control_implementations: Vec<ControlImplementation<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct ControlImplementation<'a> {
    uuid: String,
    source: String,
    description: String,
    implemented_requirements: Vec<Requirement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct Requirement<'a> {
    uuid: String,
    control_id: String,
    description: String,
    props: Vec<Prop<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    links: Vec<Link<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Serialize)]
struct Prop<'a> {
    name: &'static str,
    value: &'a str,
}

#[derive(Serialize)]
struct Link<'a> {
    href: &'a str,
    rel: &'static str,
    text: String,
}

#[derive(Serialize)]
struct BackMatter {
    resources: Vec<Resource>,
}

#[derive(Serialize)]
struct Resource {
    uuid: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rlinks: Vec<RLink>,
}

#[derive(Serialize)]
struct RLink {
    href: String,
}

fn requirement<'a>(ws: Uuid, framework: &str, r: &super::Row<'a>) -> Requirement<'a> {
    let status = r.status();
    let mut props = vec![Prop {
        name: "label",
        value: r.control.id.as_str(),
    }];
    if let Some(s) = status {
        props.push(Prop {
            name: "implementation-status",
            value: s.oscal(),
        });
    }
    let cell = r.cell;
    let description = cell
        .map(|c| c.narrative.trim().to_string())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| fallback_description(&r.control.title, status));
    let mut links = Vec::new();
    let remarks = match cell {
        Some(c) => {
            for e in &c.evidence {
                if matches!(e.kind, EvidenceKind::Link | EvidenceKind::CiJob)
                    && (e.location.starts_with("https://") || e.location.starts_with("http://"))
                {
                    links.push(Link {
                        href: e.location.as_str(),
                        rel: "evidence",
                        text: nonempty(&e.title, &e.location),
                    });
                }
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
            (!remarks.is_empty()).then(|| remarks.join("\n\n"))
        }
        None => Some(NOT_ASSESSED_REMARKS.to_string()),
    };
    Requirement {
        uuid: id(ws, &["req", r.repository, framework, &r.control.id]),
        control_id: oscal_token(&r.control.id),
        description,
        props,
        links,
        remarks,
    }
}

pub fn component_definition(export: &MatrixExport<'_>) -> String {
    let ws = export.workspace_id;
    let resources = export
        .frameworks
        .iter()
        .map(|f| Resource {
            uuid: id(ws, &["catalog", &f.id]),
            title: nonempty(&f.name, &f.id),
            description: nonempty(&f.source, &f.name),
            rlinks: f
                .source
                .split_whitespace()
                .find(|w| w.starts_with("https://"))
                .map(|url| RLink {
                    href: url.trim_end_matches([',', '.', ')']).to_string(),
                })
                .into_iter()
                .collect(),
        })
        .collect();
    let components = export
        .repositories
        .iter()
        .enumerate()
        .map(|(i, repo)| {
            let description = export
                .repository_descriptions
                .get(i)
                .map(String::as_str)
                .unwrap_or("");
            Component {
                uuid: component_uuid(ws, repo),
                kind: "software",
                title: repo.as_str(),
                description: nonempty(
                    description,
                    &format!("Repository {repo} of {}.", export.workspace),
                ),
                control_implementations: export
                    .frameworks
                    .iter()
                    .map(|f| ControlImplementation {
                        uuid: id(ws, &["impl", repo, &f.id]),
                        source: format!("#{}", id(ws, &["catalog", &f.id])),
                        description: format!("{} controls in {}.", f.name, repo),
                        implemented_requirements: export
                            .repository_rows(f, repo)
                            .map(|r| requirement(ws, &f.id, &r))
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    let frameworks: Vec<&str> = export.frameworks.iter().map(|f| f.id.as_str()).collect();
    let doc = Doc {
        component_definition: ComponentDefinition {
            uuid: id(ws, &["component-definition", &frameworks.join(",")]),
            metadata: Metadata {
                title: format!(
                    "Compliance matrix: {}",
                    nonempty(export.workspace, "workspace")
                ),
                last_modified: format!("{}T00:00:00+00:00", export.generated),
                version: export.generated.to_string(),
                oscal_version: OSCAL_VERSION,
            },
            components,
            back_matter: BackMatter { resources },
        },
    };
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

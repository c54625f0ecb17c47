//! Structural checks on a threat model, each error naming the element,
//! flow or boundary at fault and why.

use std::collections::{HashMap, HashSet};

use thiserror::Error;
use uuid::Uuid;

use super::model::ThreatModel;

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ThreatModelError {
    #[error("the threat model needs a name")]
    MissingName,
    #[error("{kind} \"{name}\" has id {id}, which is already used by another {other}")]
    DuplicateId {
        kind: &'static str,
        name: String,
        id: Uuid,
        other: &'static str,
    },
    #[error(
        "flow \"{flow}\" ({id}): its {end} {element} is not an element of diagram \"{diagram}\""
    )]
    UnknownFlowEndpoint {
        diagram: String,
        flow: String,
        id: Uuid,
        end: &'static str,
        element: Uuid,
    },
    #[error("flow \"{flow}\" ({id}) starts and ends at the same element")]
    SelfFlow { flow: String, id: Uuid },
    #[error("flow \"{flow}\" ({id}) carries data asset {asset}, which the model does not define")]
    UnknownDataAsset { flow: String, id: Uuid, asset: Uuid },
    #[error("element \"{element}\" ({id}) is placed in boundary {boundary}, which is not a boundary of diagram \"{diagram}\"")]
    UnknownElementBoundary {
        diagram: String,
        element: String,
        id: Uuid,
        boundary: Uuid,
    },
    #[error("trust boundary \"{boundary}\" ({id}) has parent {parent}, which is not a boundary of diagram \"{diagram}\"")]
    UnknownBoundaryParent {
        diagram: String,
        boundary: String,
        id: Uuid,
        parent: Uuid,
    },
    #[error("trust boundaries contain each other in a cycle: {}", .path.join(" inside "))]
    BoundaryCycle { path: Vec<String> },
}

impl ThreatModel {
    /// Every structural problem, in model order; empty when the model is sound.
    pub fn validation_errors(&self) -> Vec<ThreatModelError> {
        let mut errors = vec![];
        if self.name.trim().is_empty() {
            errors.push(ThreatModelError::MissingName);
        }

        // One id space for everything a threat or a flow can point at.
        let mut ids: HashMap<Uuid, &'static str> = HashMap::new();
        let mut claim = |errors: &mut Vec<ThreatModelError>, kind, name: &str, id| {
            if let Some(other) = ids.get(&id) {
                errors.push(ThreatModelError::DuplicateId {
                    kind,
                    name: name.to_string(),
                    id,
                    other,
                });
            } else {
                ids.insert(id, kind);
            }
        };
        for a in &self.data_assets {
            claim(&mut errors, "data asset", &a.name, a.id);
        }
        for d in &self.diagrams {
            claim(&mut errors, "diagram", &d.name, d.id);
            for b in &d.boundaries {
                claim(&mut errors, "trust boundary", &b.name, b.id);
            }
            for e in &d.elements {
                claim(&mut errors, "element", &e.name, e.id);
            }
            for f in &d.flows {
                claim(&mut errors, "flow", &f.name, f.id);
            }
        }
        let mut threat_ids = HashSet::new();
        for t in &self.threats {
            if !threat_ids.insert(t.id) {
                errors.push(ThreatModelError::DuplicateId {
                    kind: "threat",
                    name: t.title.clone(),
                    id: t.id,
                    other: "threat",
                });
            }
        }

        let assets: HashSet<Uuid> = self.data_assets.iter().map(|a| a.id).collect();
        for d in &self.diagrams {
            let boundaries: HashMap<Uuid, &str> = d
                .boundaries
                .iter()
                .map(|b| (b.id, b.name.as_str()))
                .collect();
            for b in &d.boundaries {
                if let Some(parent) = b.parent {
                    if !boundaries.contains_key(&parent) {
                        errors.push(ThreatModelError::UnknownBoundaryParent {
                            diagram: d.name.clone(),
                            boundary: b.name.clone(),
                            id: b.id,
                            parent,
                        });
                    }
                }
            }
            errors.extend(boundary_cycles(d));
            for e in &d.elements {
                if let Some(boundary) = e.boundary {
                    if !boundaries.contains_key(&boundary) {
                        errors.push(ThreatModelError::UnknownElementBoundary {
                            diagram: d.name.clone(),
                            element: e.name.clone(),
                            id: e.id,
                            boundary,
                        });
                    }
                }
            }
            let elements: HashSet<Uuid> = d.elements.iter().map(|e| e.id).collect();
            for f in &d.flows {
                for (end, element) in [("source", f.source), ("target", f.target)] {
                    if !elements.contains(&element) {
                        errors.push(ThreatModelError::UnknownFlowEndpoint {
                            diagram: d.name.clone(),
                            flow: f.name.clone(),
                            id: f.id,
                            end,
                            element,
                        });
                    }
                }
                if f.source == f.target {
                    errors.push(ThreatModelError::SelfFlow {
                        flow: f.name.clone(),
                        id: f.id,
                    });
                }
                for asset in &f.data {
                    if !assets.contains(asset) {
                        errors.push(ThreatModelError::UnknownDataAsset {
                            flow: f.name.clone(),
                            id: f.id,
                            asset: *asset,
                        });
                    }
                }
            }
        }
        errors
    }

    /// The first structural problem, if any.
    pub fn validate(&self) -> Result<(), ThreatModelError> {
        match self.validation_errors().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// Each parent cycle once, named from the boundary that comes first in the
/// diagram, e.g. `A inside B inside A`.
fn boundary_cycles(d: &super::model::Diagram) -> Vec<ThreatModelError> {
    let parent: HashMap<Uuid, Option<Uuid>> =
        d.boundaries.iter().map(|b| (b.id, b.parent)).collect();
    let name: HashMap<Uuid, &str> = d
        .boundaries
        .iter()
        .map(|b| (b.id, b.name.as_str()))
        .collect();
    let mut reported: HashSet<Uuid> = HashSet::new();
    let mut out = vec![];
    for b in &d.boundaries {
        if reported.contains(&b.id) {
            continue;
        }
        let mut path = vec![b.id];
        let mut cur = b.parent;
        while let Some(id) = cur {
            if let Some(start) = path.iter().position(|p| *p == id) {
                let cycle = &path[start..];
                if cycle.iter().all(|c| !reported.contains(c)) {
                    reported.extend(cycle.iter().copied());
                    let label = |c: &Uuid| name.get(c).copied().unwrap_or("?").to_string();
                    let mut names: Vec<String> = cycle.iter().map(label).collect();
                    names.push(label(&id));
                    out.push(ThreatModelError::BoundaryCycle { path: names });
                }
                break;
            }
            path.push(id);
            cur = parent.get(&id).copied().flatten();
        }
    }
    out
}

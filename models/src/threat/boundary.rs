//! Trust-boundary containment. Whether a flow crosses a boundary is never
//! stored: it follows from which boundaries contain each end.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use super::model::{Diagram, Flow};

/// Parent links of a diagram's boundaries and each element's innermost
/// boundary, for repeated chain look-ups.
pub(crate) struct Containment {
    parent: HashMap<Uuid, Option<Uuid>>,
    element_boundary: HashMap<Uuid, Uuid>,
}

impl Containment {
    pub(crate) fn new(diagram: &Diagram) -> Containment {
        Containment {
            parent: diagram
                .boundaries
                .iter()
                .map(|b| (b.id, b.parent))
                .collect(),
            element_boundary: diagram
                .elements
                .iter()
                .filter_map(|e| e.boundary.map(|b| (e.id, b)))
                .collect(),
        }
    }

    /// The boundary and its ancestors, innermost first. Unknown boundaries
    /// end the chain; a parent cycle is cut where it repeats.
    pub(crate) fn chain(&self, boundary: Option<Uuid>) -> Vec<Uuid> {
        let mut out = vec![];
        let mut cur = boundary;
        while let Some(id) = cur {
            if out.contains(&id) {
                break;
            }
            let Some(parent) = self.parent.get(&id) else {
                break;
            };
            out.push(id);
            cur = *parent;
        }
        out
    }

    pub(crate) fn element_chain(&self, element: Uuid) -> Vec<Uuid> {
        self.chain(self.element_boundary.get(&element).copied())
    }

    /// The boundaries a flow crosses: those around the source but not the
    /// target, innermost first (the ones it leaves), then those around the
    /// target but not the source, outermost first (the ones it enters).
    pub(crate) fn crossed(&self, flow: &Flow) -> Vec<Uuid> {
        let from = self.element_chain(flow.source);
        let to = self.element_chain(flow.target);
        let from_set: HashSet<&Uuid> = from.iter().collect();
        let to_set: HashSet<&Uuid> = to.iter().collect();
        let mut out: Vec<Uuid> = from
            .iter()
            .filter(|b| !to_set.contains(b))
            .copied()
            .collect();
        out.extend(to.iter().rev().filter(|b| !from_set.contains(b)));
        out
    }
}

/// The trust boundaries a flow crosses, computed from containment: the
/// symmetric difference of the source's and the target's boundary chains.
/// Boundaries left come first (innermost first), then boundaries entered
/// (outermost first). An end that is not in the diagram counts as outside
/// every boundary.
pub fn boundaries_crossed(diagram: &Diagram, flow: &Flow) -> Vec<Uuid> {
    Containment::new(diagram).crossed(flow)
}

/// The boundary and its ancestors, innermost first.
pub fn boundary_chain(diagram: &Diagram, boundary: Uuid) -> Vec<Uuid> {
    Containment::new(diagram).chain(Some(boundary))
}

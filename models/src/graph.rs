//! The decision graph: ADRs as nodes, links as edges, on petgraph.
//!
//! Edges always point from the record that states the relation to the one it
//! names, in the forward direction only (`Supersedes`, `Amends`,
//! `RelatesTo`); inverse links (`SupersededBy`, `AmendedBy`) are folded onto
//! the forward edge so both sides of a pair give one edge.

use std::collections::BTreeMap;

use petgraph::algo::astar;
use petgraph::graphmap::DiGraphMap;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::{Adr, AdrStatus, LinkKind, ModelError};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type,
)]
pub struct GraphEdge {
    pub from: u32,
    pub to: u32,
    pub kind: LinkKind,
}

#[derive(Debug, Default, Clone)]
pub struct DecisionGraph {
    /// Only supersede edges: the relation that must stay acyclic.
    supersedes: DiGraphMap<u32, ()>,
    edges: BTreeMap<(u32, u32, LinkKind), ()>,
}

fn forward(from: u32, kind: LinkKind, to: u32) -> (u32, u32, LinkKind) {
    match kind {
        LinkKind::SupersededBy | LinkKind::AmendedBy => (to, from, kind.inverse()),
        // Relates-to is symmetric: store it once, smaller number first.
        LinkKind::RelatesTo => (from.min(to), from.max(to), kind),
        _ => (from, to, kind),
    }
}

impl DecisionGraph {
    /// Builds the graph from records' links. Links to numbers not in `adrs`
    /// are kept as edges (the target may be outside the workspace's import).
    pub fn build<'a>(adrs: impl IntoIterator<Item = &'a Adr>) -> DecisionGraph {
        let mut g = DecisionGraph::default();
        for adr in adrs {
            g.supersedes.add_node(adr.number);
            for link in &adr.links {
                g.add(adr.number, link.kind, link.target);
            }
        }
        g
    }

    fn add(&mut self, from: u32, kind: LinkKind, to: u32) {
        let (f, t, k) = forward(from, kind, to);
        if f == t {
            return;
        }
        self.edges.insert((f, t, k), ());
        if k == LinkKind::Supersedes {
            self.supersedes.add_edge(f, t, ());
        }
    }

    /// Edges in a stable order: by source, target, kind.
    pub fn edges(&self) -> Vec<GraphEdge> {
        self.edges
            .keys()
            .map(|&(from, to, kind)| GraphEdge { from, to, kind })
            .collect()
    }

    /// The path `old -> ... -> new` of supersede edges that the new edge
    /// `new -> old` would close into a cycle, if any.
    pub fn supersede_cycle(&self, new: u32, old: u32) -> Option<Vec<u32>> {
        if new == old {
            return Some(vec![new, old]);
        }
        if !self.supersedes.contains_node(old) || !self.supersedes.contains_node(new) {
            return None;
        }
        astar(&self.supersedes, old, |n| n == new, |_| 1, |_| 0).map(|(_, path)| {
            // new supersedes old, which supersedes ... which supersedes new.
            let mut cycle = vec![new];
            cycle.extend(path);
            cycle
        })
    }

    /// The first cycle of supersede edges, as a path that starts and ends on
    /// the same number. Used to refuse imported sets that contradict themselves.
    pub fn find_supersede_cycle(&self) -> Option<Vec<u32>> {
        for scc in petgraph::algo::tarjan_scc(&self.supersedes) {
            let start = match scc.as_slice() {
                [single] if self.supersedes.contains_edge(*single, *single) => {
                    return Some(vec![*single, *single]);
                }
                [_] | [] => continue,
                nodes => *nodes.iter().min().expect("non-empty"),
            };
            // Walk inside the component back to the start.
            for next in self.supersedes.neighbors(start) {
                if !scc.contains(&next) {
                    continue;
                }
                if let Some((_, path)) = astar(&self.supersedes, next, |n| n == start, |_| 1, |_| 0)
                {
                    let mut cycle = vec![start];
                    cycle.extend(path);
                    return Some(cycle);
                }
            }
        }
        None
    }
}

/// Makes `new` supersede `old`: `old` becomes superseded and both records
/// carry the link. Refused when it would make the supersede relation cyclic
/// or when `old` is not in a state that can be superseded.
pub fn supersede(all: &[Adr], old: &mut Adr, new: &mut Adr) -> Result<(), ModelError> {
    if old.id == new.id || old.number == new.number {
        return Err(ModelError::SupersedeCycle {
            path: vec![new.number, old.number],
        });
    }
    if matches!(old.status, AdrStatus::Rejected) {
        return Err(ModelError::StatusTransition {
            number: old.number,
            from: old.status.label().into(),
            to: "superseded".into(),
            reason: "a rejected decision was never in force, so nothing can supersede it",
        });
    }
    if matches!(
        new.status,
        AdrStatus::Superseded | AdrStatus::Rejected | AdrStatus::Deprecated
    ) {
        return Err(ModelError::StatusTransition {
            number: new.number,
            from: new.status.label().into(),
            to: "superseding".into(),
            reason: "only a live decision (draft, proposed or accepted) can supersede another",
        });
    }
    let graph = DecisionGraph::build(all.iter().chain([&*old, &*new]));
    if let Some(path) = graph.supersede_cycle(new.number, old.number) {
        return Err(ModelError::SupersedeCycle { path });
    }
    old.status = AdrStatus::Superseded;
    old.add_link(LinkKind::SupersededBy, new.number);
    new.add_link(LinkKind::Supersedes, old.number);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AdrDraft;
    use chrono::Utc;
    use uuid::Uuid;

    fn adr(number: u32, status: AdrStatus) -> Adr {
        Adr::new(
            Uuid::nil(),
            number,
            AdrDraft {
                title: format!("Decision {number}"),
                status,
                ..Default::default()
            },
            Utc::now(),
        )
    }

    #[test]
    fn supersede_links_both_records() {
        let mut a = adr(1, AdrStatus::Accepted);
        let mut b = adr(2, AdrStatus::Proposed);
        supersede(&[], &mut a, &mut b).unwrap();
        assert_eq!(a.status, AdrStatus::Superseded);
        assert_eq!(a.linked(LinkKind::SupersededBy), vec![2]);
        assert_eq!(b.linked(LinkKind::Supersedes), vec![1]);
        let g = DecisionGraph::build([&a, &b]);
        assert_eq!(
            g.edges(),
            vec![GraphEdge {
                from: 2,
                to: 1,
                kind: LinkKind::Supersedes
            }]
        );
    }

    #[test]
    fn supersede_cycle_is_refused_with_its_path() {
        // 3 supersedes 2 supersedes 1; now 1 would supersede 3.
        let mut one = adr(1, AdrStatus::Accepted);
        let mut two = adr(2, AdrStatus::Accepted);
        let mut three = adr(3, AdrStatus::Accepted);
        two.add_link(LinkKind::Supersedes, 1);
        three.add_link(LinkKind::Supersedes, 2);
        let all = vec![one.clone(), two.clone(), three.clone()];
        let err = supersede(&all, &mut three, &mut one).unwrap_err();
        assert_eq!(
            err,
            ModelError::SupersedeCycle {
                path: vec![1, 3, 2, 1]
            }
        );
        assert!(err
            .to_string()
            .contains("ADR 1 supersedes ADR 3 supersedes ADR 2"));
        // Nothing changed on refusal.
        assert_eq!(three.status, AdrStatus::Accepted);
        assert!(one.links.is_empty());
        let _ = &mut two;
    }

    #[test]
    fn self_supersede_is_a_cycle() {
        let mut a = adr(4, AdrStatus::Accepted);
        let mut b = a.clone();
        assert!(matches!(
            supersede(&[], &mut a, &mut b),
            Err(ModelError::SupersedeCycle { .. })
        ));
    }

    #[test]
    fn imported_cycles_are_found() {
        let mut a = adr(1, AdrStatus::Superseded);
        let mut b = adr(2, AdrStatus::Superseded);
        a.add_link(LinkKind::Supersedes, 2);
        b.add_link(LinkKind::SupersededBy, 1);
        b.add_link(LinkKind::Supersedes, 1);
        let g = DecisionGraph::build([&a, &b]);
        let cycle = g.find_supersede_cycle().unwrap();
        assert_eq!(cycle.first(), cycle.last());
        assert_eq!(cycle.len(), 3);
        let ok = DecisionGraph::build([&adr(1, AdrStatus::Accepted)]);
        assert_eq!(ok.find_supersede_cycle(), None);
    }

    #[test]
    fn inverse_links_fold_into_one_edge() {
        let mut a = adr(1, AdrStatus::Accepted);
        let mut b = adr(2, AdrStatus::Accepted);
        a.add_link(LinkKind::AmendedBy, 2);
        b.add_link(LinkKind::Amends, 1);
        a.add_link(LinkKind::RelatesTo, 2);
        b.add_link(LinkKind::RelatesTo, 1);
        let g = DecisionGraph::build([&a, &b]);
        assert_eq!(g.edges().len(), 2);
    }
}

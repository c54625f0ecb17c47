//! The dependency DAG and its schedule (critical path method).
//!
//! Nodes are initiatives, edges run from a prerequisite to the initiative
//! that depends on it. Durations are `estimate_days`. With day 0 as the
//! start of the plan:
//! - earliest start ES = max over prerequisites of their earliest finish
//!   (0 without any), earliest finish EF = ES + duration;
//! - the plan's length is the largest EF;
//! - latest finish LF = min over dependents of their latest start (the
//!   plan's length without any), latest start LS = LF − duration;
//! - slack = LS − ES; the critical path is a chain of zero-slack items from
//!   a start to the end of the plan.
//!
//! Cancelled initiatives stay in the graph (they keep their edges, so the
//! order is honest) but take no time.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::model::{Initiative, InitiativeStatus, RoadmapError};

/// One initiative's place in the schedule, in days from the plan's start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ScheduledItem {
    pub key: String,
    pub duration: u32,
    pub earliest_start: u32,
    pub earliest_finish: u32,
    pub latest_start: u32,
    pub latest_finish: u32,
    /// Days the item can slip without delaying the plan.
    pub slack: u32,
    pub critical: bool,
}

/// The checked dependency graph with its order and schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Plan {
    /// Keys in a topological order: every initiative after all it depends
    /// on; ties keep the order the initiatives were given in.
    pub order: Vec<String>,
    /// Scheduled items, in `order`.
    pub items: Vec<ScheduledItem>,
    /// Keys of the critical path, first to last.
    pub critical_path: Vec<String>,
    /// Days from the plan's start to the end of its last item.
    pub duration: u32,
    /// Dependency edges `(prerequisite, dependent)`, in `order` of the
    /// dependent, then of the prerequisite.
    pub edges: Vec<(String, String)>,
}

impl Plan {
    /// Checks keys and references, refuses a cycle with its path, then
    /// orders and schedules.
    pub fn build(initiatives: &[Initiative]) -> Result<Plan, RoadmapError> {
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (i, it) in initiatives.iter().enumerate() {
            it.validate()?;
            if index.insert(it.key.as_str(), i).is_some() {
                return Err(RoadmapError::DuplicateKey(it.key.clone()));
            }
        }
        let mut graph: DiGraph<usize, ()> = DiGraph::with_capacity(initiatives.len(), 0);
        let nodes: Vec<NodeIndex> = (0..initiatives.len()).map(|i| graph.add_node(i)).collect();
        for (i, it) in initiatives.iter().enumerate() {
            for dep in &it.depends_on {
                let &d =
                    index
                        .get(dep.as_str())
                        .ok_or_else(|| RoadmapError::UnknownDependency {
                            from: it.key.clone(),
                            to: dep.clone(),
                        })?;
                graph.add_edge(nodes[d], nodes[i], ());
            }
        }
        if toposort(&graph, None).is_err() {
            let path = find_cycle(&graph)
                .into_iter()
                .map(|n| initiatives[graph[n]].key.clone())
                .collect();
            return Err(RoadmapError::Cycle { path });
        }
        let order = stable_topological_order(&graph);

        let duration_of = |i: usize| match initiatives[i].status {
            InitiativeStatus::Cancelled => 0,
            _ => initiatives[i].estimate_days,
        };
        let n = initiatives.len();
        let mut es = vec![0u32; n];
        let mut ef = vec![0u32; n];
        for &v in &order {
            let start = graph
                .neighbors_directed(v, Direction::Incoming)
                .map(|p| ef[p.index()])
                .max()
                .unwrap_or(0);
            es[v.index()] = start;
            ef[v.index()] = start.saturating_add(duration_of(graph[v]));
        }
        let total = ef.iter().copied().max().unwrap_or(0);
        let mut lf = vec![total; n];
        let mut ls = vec![total; n];
        for &v in order.iter().rev() {
            let finish = graph
                .neighbors_directed(v, Direction::Outgoing)
                .map(|s| ls[s.index()])
                .min()
                .unwrap_or(total);
            lf[v.index()] = finish;
            ls[v.index()] = finish.saturating_sub(duration_of(graph[v]));
        }

        let items: Vec<ScheduledItem> = order
            .iter()
            .map(|&v| {
                let i = v.index();
                let slack = ls[i].saturating_sub(es[i]);
                ScheduledItem {
                    key: initiatives[graph[v]].key.clone(),
                    duration: duration_of(graph[v]),
                    earliest_start: es[i],
                    earliest_finish: ef[i],
                    latest_start: ls[i],
                    latest_finish: lf[i],
                    slack,
                    critical: slack == 0,
                }
            })
            .collect();

        // Walk from the first zero-slack item that starts at day 0 through
        // zero-slack successors that start when it finishes, to the end.
        let mut critical_path = Vec::new();
        if n > 0 {
            let mut current = order.iter().copied().find(|v| {
                es[v.index()] == 0 && ls[v.index()] == 0 && ef[v.index()] == lf[v.index()]
            });
            while let Some(v) = current {
                critical_path.push(initiatives[graph[v]].key.clone());
                let finish = ef[v.index()];
                current = order.iter().copied().find(|s| {
                    graph.contains_edge(v, *s)
                        && es[s.index()] == finish
                        && ls[s.index()] == es[s.index()]
                });
            }
        }

        let position: HashMap<NodeIndex, usize> =
            order.iter().enumerate().map(|(p, &v)| (v, p)).collect();
        let mut edges: Vec<(usize, usize)> = graph
            .edge_indices()
            .filter_map(|e| graph.edge_endpoints(e))
            .map(|(a, b)| (position[&b], position[&a]))
            .collect();
        edges.sort_unstable();
        edges.dedup();
        let edges = edges
            .into_iter()
            .map(|(b, a)| {
                (
                    initiatives[graph[order[a]]].key.clone(),
                    initiatives[graph[order[b]]].key.clone(),
                )
            })
            .collect();

        Ok(Plan {
            order: order
                .iter()
                .map(|&v| initiatives[graph[v]].key.clone())
                .collect(),
            items,
            critical_path,
            duration: total,
            edges,
        })
    }

    pub fn item(&self, key: &str) -> Option<&ScheduledItem> {
        self.items.iter().find(|i| i.key == key)
    }
}

/// Kahn's algorithm, always taking the ready node given first, so the
/// order is the user's wherever the dependencies allow.
fn stable_topological_order(graph: &DiGraph<usize, ()>) -> Vec<NodeIndex> {
    let mut indegree: Vec<usize> = graph
        .node_indices()
        .map(|v| graph.neighbors_directed(v, Direction::Incoming).count())
        .collect();
    let mut ready: BinaryHeap<Reverse<usize>> = graph
        .node_indices()
        .filter(|v| indegree[v.index()] == 0)
        .map(|v| Reverse(v.index()))
        .collect();
    let mut out = Vec::with_capacity(graph.node_count());
    while let Some(Reverse(i)) = ready.pop() {
        let v = NodeIndex::new(i);
        out.push(v);
        for s in graph.neighbors_directed(v, Direction::Outgoing) {
            indegree[s.index()] -= 1;
            if indegree[s.index()] == 0 {
                ready.push(Reverse(s.index()));
            }
        }
    }
    out
}

/// A cycle as "depends on" steps: `[a, b, c, a]` where a depends on b, b on
/// c and c on a. Looks inside the first strongly connected component with
/// more than one node (self-loops are refused earlier by validation).
fn find_cycle(graph: &DiGraph<usize, ()>) -> Vec<NodeIndex> {
    let mut components = tarjan_scc(graph);
    // Start from the component holding the earliest-given initiative.
    components.retain(|c| c.len() > 1);
    components.sort_by_key(|c| c.iter().map(|v| graph[*v]).min());
    let Some(component) = components.first() else {
        return Vec::new();
    };
    let Some(&start) = component.iter().min_by_key(|v| graph[**v]) else {
        return Vec::new();
    };
    // Follow "depends on" (incoming edges) inside the component with a DFS
    // until we come back to `start`.
    let inside = |v: &NodeIndex| component.contains(v);
    let mut stack = vec![(start, {
        let mut n: Vec<NodeIndex> = graph
            .neighbors_directed(start, Direction::Incoming)
            .filter(inside)
            .collect();
        n.sort_by_key(|v| Reverse(graph[*v]));
        n
    })];
    let mut visited = vec![start];
    while let Some((_, next)) = stack.last_mut() {
        match next.pop() {
            Some(w) if w == start => {
                let mut path: Vec<NodeIndex> = stack.iter().map(|(v, _)| *v).collect();
                path.push(start);
                return path;
            }
            Some(w) if !visited.contains(&w) => {
                visited.push(w);
                let mut n: Vec<NodeIndex> = graph
                    .neighbors_directed(w, Direction::Incoming)
                    .filter(inside)
                    .collect();
                n.sort_by_key(|v| Reverse(graph[*v]));
                stack.push((w, n));
            }
            Some(_) => {}
            None => {
                stack.pop();
            }
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn item(key: &str, days: u32, deps: &[&str]) -> Initiative {
        let mut i = Initiative::new(Uuid::nil(), key, key.to_uppercase());
        i.estimate_days = days;
        i.depends_on = deps.iter().map(|d| d.to_string()).collect();
        i
    }

    #[test]
    fn a_cycle_is_refused_with_its_path() {
        let plan = Plan::build(&[
            item("a", 1, &["c"]),
            item("b", 1, &["a"]),
            item("c", 1, &["b"]),
            item("d", 1, &[]),
        ]);
        assert_eq!(
            plan.unwrap_err(),
            RoadmapError::Cycle {
                path: vec!["a".into(), "c".into(), "b".into(), "a".into()]
            }
        );
        let e = Plan::build(&[item("x", 1, &["y"]), item("y", 1, &["x"])]).unwrap_err();
        assert_eq!(e.to_string(), "the dependencies form a cycle: x → y → x");
    }

    #[test]
    fn unknown_and_duplicate_keys_are_refused() {
        assert_eq!(
            Plan::build(&[item("a", 1, &["ghost"])]).unwrap_err(),
            RoadmapError::UnknownDependency {
                from: "a".into(),
                to: "ghost".into()
            }
        );
        assert_eq!(
            Plan::build(&[item("a", 1, &[]), item("a", 2, &[])]).unwrap_err(),
            RoadmapError::DuplicateKey("a".into())
        );
    }

    #[test]
    fn topological_order_keeps_the_given_order_where_free() {
        let plan = Plan::build(&[
            item("deploy", 1, &["build", "test"]),
            item("build", 1, &[]),
            item("docs", 1, &[]),
            item("test", 1, &["build"]),
        ])
        .unwrap();
        assert_eq!(plan.order, ["build", "docs", "test", "deploy"]);
        assert_eq!(
            plan.edges,
            [
                ("build".to_string(), "test".to_string()),
                ("build".to_string(), "deploy".to_string()),
                ("test".to_string(), "deploy".to_string()),
            ]
        );
    }

    /// The textbook network: A(3) → B(2) → D(4); A → C(6) → D; E(1) alone.
    /// Critical path A, C, D = 13 days; B has 4 days of slack, E 12.
    #[test]
    fn critical_path_and_slack_match_a_worked_example() {
        let plan = Plan::build(&[
            item("a", 3, &[]),
            item("b", 2, &["a"]),
            item("c", 6, &["a"]),
            item("d", 4, &["b", "c"]),
            item("e", 1, &[]),
        ])
        .unwrap();
        assert_eq!(plan.duration, 13);
        assert_eq!(plan.critical_path, ["a", "c", "d"]);
        let b = plan.item("b").unwrap();
        assert_eq!(
            (
                b.earliest_start,
                b.earliest_finish,
                b.latest_start,
                b.latest_finish
            ),
            (3, 5, 7, 9)
        );
        assert_eq!(b.slack, 4);
        assert!(!b.critical);
        assert_eq!(plan.item("e").unwrap().slack, 12);
        let d = plan.item("d").unwrap();
        assert_eq!((d.earliest_start, d.slack), (9, 0));
        assert!(plan.item("c").unwrap().critical);
    }

    #[test]
    fn cancelled_items_take_no_time_and_an_empty_plan_is_empty() {
        let mut b = item("b", 10, &["a"]);
        b.status = InitiativeStatus::Cancelled;
        let plan = Plan::build(&[item("a", 2, &[]), b, item("c", 1, &["b"])]).unwrap();
        assert_eq!(plan.duration, 3);
        assert_eq!(plan.critical_path, ["a", "b", "c"]);
        let empty = Plan::build(&[]).unwrap();
        assert!(empty.order.is_empty() && empty.critical_path.is_empty());
        assert_eq!(empty.duration, 0);
    }
}

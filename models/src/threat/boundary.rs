//! Trust-boundary containment. Whether a flow crosses a boundary is never
//! stored: it follows from which boundaries contain each end, and, for a
//! boundary drawn as a line, from whether the flow's drawn path crosses it.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use super::model::{Diagram, Flow, Point};

/// Parent links of a diagram's boundaries and each element's innermost
/// boundary, for repeated chain look-ups; the line boundaries and where
/// each placed element's centre is, for line crossings.
pub(crate) struct Containment {
    parent: HashMap<Uuid, Option<Uuid>>,
    element_boundary: HashMap<Uuid, Uuid>,
    lines: Vec<(Uuid, Vec<Point>)>,
    centres: HashMap<Uuid, Point>,
}

impl Containment {
    pub(crate) fn new(diagram: &Diagram) -> Containment {
        let lines: Vec<(Uuid, Vec<Point>)> = diagram
            .boundaries
            .iter()
            .filter(|b| b.line.len() >= 2)
            .map(|b| (b.id, b.line.clone()))
            .collect();
        let centres = if lines.is_empty() {
            HashMap::new()
        } else {
            diagram
                .elements
                .iter()
                .filter_map(|e| {
                    e.position.map(|r| {
                        let centre = Point {
                            x: r.x + r.width / 2.0,
                            y: r.y + r.height / 2.0,
                        };
                        (e.id, centre)
                    })
                })
                .collect()
        };
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
            lines,
            centres,
        }
    }

    /// The line boundaries the flow's drawn path (from its source's centre
    /// through its bend points to its target's centre) crosses an odd
    /// number of times: it ends on the other side. A flow with an end that
    /// has no position crosses none.
    fn lines_crossed(&self, flow: &Flow) -> Vec<Uuid> {
        if self.lines.is_empty() {
            return vec![];
        }
        let (Some(&from), Some(&to)) = (
            self.centres.get(&flow.source),
            self.centres.get(&flow.target),
        ) else {
            return vec![];
        };
        let mut path = Vec::with_capacity(flow.points.len() + 2);
        path.push(from);
        path.extend(flow.points.iter().copied());
        path.push(to);
        self.lines
            .iter()
            .filter(|(_, line)| crossings(&path, line) % 2 == 1)
            .map(|(id, _)| *id)
            .collect()
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
        out.extend(self.lines_crossed(flow));
        out
    }
}

/// How many times two polylines cross: segment pairs that properly
/// intersect. A touch at an end point counts on one side only (the segment
/// whose end it is on the line counts from its start, not its end), so a
/// path through a vertex of the line is not counted twice.
fn crossings(path: &[Point], line: &[Point]) -> usize {
    let mut count = 0;
    for p in path.windows(2) {
        for l in line.windows(2) {
            if segments_cross(p[0], p[1], l[0], l[1]) {
                count += 1;
            }
        }
    }
    count
}

fn orient(a: Point, b: Point, c: Point) -> f64 {
    (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
}

/// Whether segment `a`–`b` crosses segment `c`–`d`: their ends lie on
/// opposite sides of each other's line, an end exactly on the other's
/// line counting as the side of the segment's start (half-open segments).
fn segments_cross(a: Point, b: Point, c: Point, d: Point) -> bool {
    let side = |v: f64| v > 0.0;
    let (o1, o2) = (orient(c, d, a), orient(c, d, b));
    let (o3, o4) = (orient(a, b, c), orient(a, b, d));
    if !(o1.is_finite() && o2.is_finite() && o3.is_finite() && o4.is_finite()) {
        return false;
    }
    if (o1 == 0.0 && o2 == 0.0) || (o3 == 0.0 && o4 == 0.0) {
        return false; // collinear: running along a line is not crossing it
    }
    side(o1) != side(o2) && side(o3) != side(o4)
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

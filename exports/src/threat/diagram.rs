//! Data-flow diagrams: automatic layout, and rendering as SVG, Mermaid and
//! Graphviz DOT. All of it is linear or n log n in the size of the diagram
//! (boundary chains aside), and deterministic.

use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;

use plasma_models::threat::{
    Diagram, Element, ElementKind, Point, Rect, ThreatModel, TrustBoundary,
};
use uuid::Uuid;

use super::text::{num, one_line, open_counts, xml_escape};

const H_GAP: f64 = 90.0;
/// The most room left between two rank columns for the labels of the
/// flows between them.
const MAX_H_GAP: f64 = 260.0;
const V_GAP: f64 = 40.0;
const PAD: f64 = 30.0;
const LABEL: f64 = 24.0;
const MARGIN: f64 = 40.0;

fn element_size(e: &Element) -> (f64, f64) {
    let longest = e.name.lines().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
    let text = (longest * 7.5 + 30.0).min(320.0);
    match e.kind {
        ElementKind::Process => {
            let d = text.max(100.0);
            (d, d.min(140.0))
        }
        _ => (text.max(160.0), 80.0),
    }
}

/// Each boundary's parent index, with unknown parents and cycles cut.
fn boundary_parents(d: &Diagram) -> Vec<Option<usize>> {
    let index: HashMap<Uuid, usize> = d
        .boundaries
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id, i))
        .collect();
    let mut parent: Vec<Option<usize>> = d
        .boundaries
        .iter()
        .enumerate()
        .map(|(i, b)| {
            b.parent
                .and_then(|p| index.get(&p).copied())
                .filter(|&p| p != i)
        })
        .collect();
    // 0 = new, 1 = on the current walk, 2 = done.
    let mut state = vec![0u8; parent.len()];
    for start in 0..parent.len() {
        let mut walk = vec![];
        let mut cur = Some(start);
        while let Some(b) = cur {
            match state[b] {
                2 => break,
                1 => {
                    // A cycle: cut it at the node that closed it.
                    if let Some(&last) = walk.last() {
                        parent[last] = None;
                    }
                    break;
                }
                _ => {
                    state[b] = 1;
                    walk.push(b);
                    cur = parent[b];
                }
            }
        }
        for b in walk {
            state[b] = 2;
        }
    }
    parent
}

/// Depth of each boundary (0 = top level), given acyclic parents.
fn depths(parent: &[Option<usize>]) -> Vec<usize> {
    let mut depth: Vec<Option<usize>> = vec![None; parent.len()];
    for start in 0..parent.len() {
        let mut chain = vec![];
        let mut cur = Some(start);
        let mut base = 0;
        while let Some(b) = cur {
            if let Some(known) = depth[b] {
                base = known + 1;
                break;
            }
            chain.push(b);
            cur = parent[b];
        }
        for (k, b) in chain.iter().rev().enumerate() {
            depth[*b] = Some(base + k);
        }
    }
    depth.into_iter().map(Option::unwrap_or_default).collect()
}

/// Layers left to right by flow direction: longest path from a source,
/// cycles broken at the lowest unplaced element.
fn layers(d: &Diagram, index: &HashMap<Uuid, usize>) -> Vec<usize> {
    let n = d.elements.len();
    let mut out: Vec<Vec<usize>> = vec![vec![]; n];
    let mut indeg = vec![0usize; n];
    for f in &d.flows {
        if let (Some(&s), Some(&t)) = (index.get(&f.source), index.get(&f.target)) {
            if s != t {
                out[s].push(t);
                indeg[t] += 1;
            }
        }
    }
    let mut layer = vec![0usize; n];
    let mut done = vec![false; n];
    let mut queue: VecDeque<usize> = (0..n).filter(|&i| indeg[i] == 0).collect();
    let mut next = 0;
    let mut placed = 0;
    loop {
        while let Some(u) = queue.pop_front() {
            if done[u] {
                continue;
            }
            done[u] = true;
            placed += 1;
            for &v in &out[u] {
                if done[v] {
                    continue;
                }
                layer[v] = layer[v].max(layer[u] + 1);
                indeg[v] = indeg[v].saturating_sub(1);
                if indeg[v] == 0 {
                    queue.push_back(v);
                }
            }
        }
        if placed == n {
            break;
        }
        while next < n && done[next] {
            next += 1;
        }
        if next >= n {
            break;
        }
        queue.push_back(next);
    }
    layer
}

/// The width-to-height ratio a reflowed block aims for (a wide screen's).
const WRAP_ASPECT: f64 = 1.6;
/// A block up to this area (about two screens at 100 %) keeps rank columns.
const SMALL_AREA: f64 = 4000.0 * 3000.0;
/// Below this share of its area covered by items, a block is reflowed.
const MIN_DENSITY: f64 = 0.2;

/// The room between rank columns: after rank `k`, enough for the widest
/// label (with its open-threat badge) of a flow between an element of rank
/// `k` and one of rank `k + 1`, at least [`H_GAP`], at most [`MAX_H_GAP`].
/// With the gap only [`H_GAP`] wide, the labels of flows between
/// neighbouring columns ("Payment Service Traffic (https)") had no place
/// but on the elements and on each other.
struct RankGaps(Vec<f64>);

impl RankGaps {
    fn new(d: &Diagram, index: &HashMap<Uuid, usize>, layer: &[usize]) -> Self {
        let mut need: Vec<f64> = vec![];
        for f in &d.flows {
            let (Some(&s), Some(&t)) = (index.get(&f.source), index.get(&f.target)) else {
                continue;
            };
            let (a, b) = (layer[s].min(layer[t]), layer[s].max(layer[t]));
            if b != a + 1 {
                continue;
            }
            // Helvetica at 11 px: about 6.2 px a character; the badge and
            // some air on both sides.
            let chars = flow_label(&f.name, &f.protocol).chars().count() as f64;
            let width = (chars * 6.2 + 40.0).clamp(H_GAP, MAX_H_GAP);
            if need.len() <= a {
                need.resize(a + 1, H_GAP);
            }
            need[a] = need[a].max(width);
        }
        RankGaps(need)
    }

    /// The gap between a column of rank `a` and the next one, of rank `b`.
    fn between(&self, a: usize, b: usize) -> f64 {
        (a.min(b)..a.max(b))
            .filter_map(|k| self.0.get(k))
            .fold(H_GAP, |m, &g| m.max(g))
    }
}

/// Offsets in columns, in order, and the size of the whole: a new column
/// at each change of rank (`by_rank`, as wide apart as `gaps` says) or
/// where the next item would pass `limit`.
fn columns(
    items: &[(usize, (f64, f64))],
    limit: f64,
    by_rank: Option<&RankGaps>,
) -> (Vec<(f64, f64)>, (f64, f64)) {
    let mut at = Vec::with_capacity(items.len());
    let (mut x, mut y, mut width, mut height) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for (k, &(rank, (w, h))) in items.iter().enumerate() {
        let new_rank = k > 0 && by_rank.is_some() && items[k - 1].0 != rank;
        if k > 0 && (new_rank || y + h > limit) {
            x += width
                + match by_rank {
                    Some(gaps) if new_rank => gaps.between(items[k - 1].0, rank),
                    _ => H_GAP / 2.0,
                };
            y = 0.0;
            width = 0.0;
        }
        at.push((x, y));
        y += h + V_GAP;
        width = width.max(w);
        height = height.max(y - V_GAP);
    }
    (at, (if items.is_empty() { 0.0 } else { x + width }, height))
}

/// Items in rank order in columns of about the height that makes them
/// screen-shaped.
fn reflow(items: &[(usize, (f64, f64))]) -> (Vec<(f64, f64)>, (f64, f64)) {
    let area: f64 = items
        .iter()
        .map(|(_, (w, h))| (w + H_GAP / 2.0) * (h + V_GAP))
        .sum();
    let tallest = items.iter().map(|(_, (_, h))| *h).fold(0.0, f64::max);
    columns(items, (area / WRAP_ASPECT).sqrt().max(tallest), None)
}

/// Offsets of a block's items (rank, size, is a nested boundary), sorted by
/// rank, and the block's size.
///
/// Each rank gets its own column, left to right along the flows. Where that
/// leaves a block mostly empty or far from screen-shaped (imported models
/// often have a few ranks of hundreds of elements, or dozens of ranks of one
/// or two), the block's own elements are reflowed in rank order into one
/// screen-shaped group, and that group and the nested boundaries are
/// reflowed the same way: flows still run mostly left to right and top to
/// bottom, and Fit shows the diagram at a readable scale.
fn pack_block(
    items: &[(usize, (f64, f64), bool)],
    gaps: &RankGaps,
) -> (Vec<(f64, f64)>, (f64, f64)) {
    let all: Vec<(usize, (f64, f64))> = items.iter().map(|&(r, s, _)| (r, s)).collect();
    let natural = columns(&all, f64::INFINITY, Some(gaps));
    let (w, h) = natural.1;
    let covered: f64 = all.iter().map(|(_, (w, h))| w * h).sum();
    let shapely = h <= 2.0 * w && w <= 4.0 * WRAP_ASPECT * h;
    let has_nested = items.iter().any(|i| i.2);
    // Rank columns read best while the block fits a screen or two; beyond
    // that, nested boundaries of different ranks leave large empty areas.
    let small = w * h <= SMALL_AREA;
    if items.len() < 2 || (shapely && (small || (!has_nested && covered >= MIN_DENSITY * w * h))) {
        return natural;
    }
    let own: Vec<(usize, (f64, f64))> = items
        .iter()
        .filter(|i| !i.2)
        .map(|&(r, s, _)| (r, s))
        .collect();
    let (own_at, own_size) = reflow(&own);
    // The group of own elements first, then the nested boundaries.
    let mut units: Vec<(usize, (f64, f64))> = Vec::new();
    if !own.is_empty() {
        units.push((own[0].0, own_size));
    }
    units.extend(items.iter().filter(|i| i.2).map(|&(r, s, _)| (r, s)));
    let (unit_at, size) = reflow(&units);
    let group = if own.is_empty() {
        (0.0, 0.0)
    } else {
        unit_at[0]
    };
    let mut nested_at = unit_at.iter().skip(usize::from(!own.is_empty()));
    let mut own_at = own_at.into_iter();
    let at = items
        .iter()
        .map(|i| {
            if i.2 {
                nested_at.next().copied().unwrap_or_default()
            } else {
                let (x, y) = own_at.next().unwrap_or_default();
                (group.0 + x, group.1 + y)
            }
        })
        .collect();
    (at, size)
}

#[derive(Clone, Copy)]
enum Item {
    Element(usize),
    Boundary(usize),
}

/// Gives every element without a position a place, and every trust boundary
/// with members a box around them.
///
/// New elements are laid out in layers from left to right along the flows,
/// grouped by trust boundary (nested boundaries as nested blocks), below
/// anything already placed. Elements that have a position keep it. A
/// boundary without a position gets the box around its members and child
/// boundaries plus padding; one with a position keeps it unless new
/// elements were placed inside it, then it grows to enclose them. A boundary
/// without a position that is nested in another or holds another but has no
/// element anywhere inside (Threagile's `trust_boundaries_nested` chains of
/// empty boundaries) gets an empty box of its own, so the nesting shows and
/// survives export. A boundary with no members and no children and no
/// position (a boundary line from Threat Dragon) stays without one.
pub fn auto_layout(diagram: &mut Diagram) {
    let n = diagram.elements.len();
    let nb = diagram.boundaries.len();
    let index: HashMap<Uuid, usize> = diagram
        .elements
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id, i))
        .collect();
    let bindex: HashMap<Uuid, usize> = diagram
        .boundaries
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id, i))
        .collect();
    let parent = boundary_parents(diagram);
    let depth = depths(&parent);
    let container: Vec<Option<usize>> = diagram
        .elements
        .iter()
        .map(|e| e.boundary.and_then(|b| bindex.get(&b).copied()))
        .collect();

    let new: Vec<usize> = (0..n)
        .filter(|&i| diagram.elements[i].position.is_none())
        .collect();

    // Boundaries by depth, deepest first.
    let mut bottom_up: Vec<usize> = (0..nb).collect();
    bottom_up.sort_by(|a, b| depth[*b].cmp(&depth[*a]).then(a.cmp(b)));

    // Boundaries without a position in a nesting relation: they need a box
    // even when no element will be placed inside them.
    let mut nests = vec![false; nb];
    for (b, p) in parent.iter().enumerate() {
        if let Some(p) = *p {
            nests[b] = true;
            nests[p] = true;
        }
    }
    let nested_unplaced: Vec<usize> = (0..nb)
        .filter(|&b| nests[b] && diagram.boundaries[b].position.is_none())
        .collect();

    if !new.is_empty() || !nested_unplaced.is_empty() {
        let layer = layers(diagram, &index);
        let gaps = RankGaps::new(diagram, &index, &layer);
        // Block contents: per container (None = the diagram), its items.
        let mut children: Vec<Vec<Item>> = vec![vec![]; nb + 1];
        let slot = |c: Option<usize>| c.unwrap_or(nb);
        let mut has_new = vec![false; nb];
        let mark = |has_new: &mut Vec<bool>, from: Option<usize>| {
            let mut cur = from;
            while let Some(b) = cur {
                if has_new[b] {
                    break;
                }
                has_new[b] = true;
                cur = parent[b];
            }
        };
        for &i in &new {
            children[slot(container[i])].push(Item::Element(i));
            mark(&mut has_new, container[i]);
        }
        for &b in &nested_unplaced {
            mark(&mut has_new, Some(b));
        }
        // A boundary that already has a box takes its new members in a
        // block along its bottom edge instead of moving into its parent's.
        let anchored: Vec<bool> = (0..nb)
            .map(|b| has_new[b] && diagram.boundaries[b].position.is_some())
            .collect();
        for b in 0..nb {
            if has_new[b] && !anchored[b] {
                children[slot(parent[b])].push(Item::Boundary(b));
            }
        }
        // Sizes and ranks of blocks, bottom-up; offsets of items in them.
        let mut block: Vec<(f64, f64)> = vec![(0.0, 0.0); nb + 1];
        let mut rank: Vec<usize> = vec![0; nb + 1];
        let mut offset: HashMap<(bool, usize), (f64, f64)> = HashMap::new();
        let order: Vec<usize> = bottom_up
            .iter()
            .copied()
            .filter(|&b| has_new[b])
            .chain(std::iter::once(nb))
            .collect();
        for &c in &order {
            let mut items: Vec<(usize, usize, Item, (f64, f64))> = children[c]
                .iter()
                .map(|&it| match it {
                    Item::Element(i) => (layer[i], i, it, element_size(&diagram.elements[i])),
                    Item::Boundary(b) => (rank[b], n + b, it, block[b]),
                })
                .collect();
            items.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
            let sized: Vec<(usize, (f64, f64), bool)> = items
                .iter()
                .map(|i| (i.0, i.3, matches!(i.2, Item::Boundary(_))))
                .collect();
            let (packed, (width, height)) = pack_block(&sized, &gaps);
            for (item, at) in items.iter().zip(packed) {
                let key = match item.2 {
                    Item::Element(i) => (false, i),
                    Item::Boundary(b) => (true, b),
                };
                offset.insert(key, at);
            }
            rank[c] = items.first().map(|i| i.0).unwrap_or(0);
            block[c] = if c == nb {
                (width, height)
            } else if items.is_empty() {
                empty_box(&diagram.boundaries[c].name)
            } else {
                (width + 2.0 * PAD, height + 2.0 * PAD + LABEL)
            };
        }
        // Place the root block below whatever is already placed.
        let mut min_x = f64::INFINITY;
        let mut max_y = f64::NEG_INFINITY;
        let placed = diagram
            .elements
            .iter()
            .filter_map(|e| e.position)
            .chain(diagram.boundaries.iter().filter_map(|b| b.position));
        for r in placed {
            min_x = min_x.min(r.x);
            max_y = max_y.max(r.y + r.height);
        }
        let origin = if max_y.is_finite() {
            (min_x, max_y + 2.0 * V_GAP)
        } else {
            (MARGIN, MARGIN)
        };
        // Absolute origins of block contents, top-down.
        let mut content: Vec<(f64, f64)> = vec![(0.0, 0.0); nb + 1];
        content[nb] = origin;
        for &b in order.iter().rev().filter(|&&b| b != nb) {
            if let (true, Some(r)) = (anchored[b], diagram.boundaries[b].position) {
                content[b] = (r.x + PAD, r.y + r.height);
                continue;
            }
            let p = slot(parent[b]);
            let (ox, oy) = offset.get(&(true, b)).copied().unwrap_or((0.0, 0.0));
            let (px, py) = content[p];
            content[b] = (px + ox + PAD, py + oy + PAD + LABEL);
        }
        for &i in &new {
            let (ox, oy) = offset.get(&(false, i)).copied().unwrap_or((0.0, 0.0));
            let (cx, cy) = content[slot(container[i])];
            let (w, h) = element_size(&diagram.elements[i]);
            diagram.elements[i].position = Some(Rect {
                x: cx + ox,
                y: cy + oy,
                width: w,
                height: h,
            });
        }
        // An empty block's boundary: its box is the block itself.
        for &b in &nested_unplaced {
            if children[b].is_empty() {
                let (cx, cy) = content[b];
                diagram.boundaries[b].position = Some(Rect {
                    x: cx - PAD,
                    y: cy - PAD - LABEL,
                    width: block[b].0,
                    height: block[b].1,
                });
            }
        }
        size_boundaries(diagram, &bottom_up, &parent, &container, &has_new);
    } else {
        size_boundaries(diagram, &bottom_up, &parent, &container, &vec![false; nb]);
    }
}

fn union(a: Option<Rect>, b: Rect) -> Rect {
    match a {
        None => b,
        Some(a) => {
            let x = a.x.min(b.x);
            let y = a.y.min(b.y);
            Rect {
                x,
                y,
                width: (a.x + a.width).max(b.x + b.width) - x,
                height: (a.y + a.height).max(b.y + b.height) - y,
            }
        }
    }
}

/// The size of the box of a boundary with nothing inside: room for its name.
fn empty_box(name: &str) -> (f64, f64) {
    let longest = name.lines().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
    (
        (longest * 7.5 + 2.0 * PAD).clamp(160.0, 320.0),
        LABEL + 2.0 * PAD,
    )
}

fn size_boundaries(
    diagram: &mut Diagram,
    bottom_up: &[usize],
    parent: &[Option<usize>],
    container: &[Option<usize>],
    touched: &[bool],
) {
    let nb = diagram.boundaries.len();
    let mut members: Vec<Option<Rect>> = vec![None; nb];
    for (i, e) in diagram.elements.iter().enumerate() {
        if let (Some(b), Some(r)) = (container[i], e.position) {
            members[b] = Some(union(members[b], r));
        }
    }
    for &b in bottom_up {
        let resize = diagram.boundaries[b].position.is_none() || touched[b];
        if resize {
            if let Some(m) = members[b] {
                let padded = Rect {
                    x: m.x - PAD,
                    y: m.y - PAD - LABEL,
                    width: m.width + 2.0 * PAD,
                    height: m.height + 2.0 * PAD + LABEL,
                };
                let old = if touched[b] {
                    diagram.boundaries[b].position
                } else {
                    None
                };
                diagram.boundaries[b].position = Some(union(old, padded));
            }
        }
        if let (Some(p), Some(r)) = (parent[b], diagram.boundaries[b].position) {
            members[p] = Some(union(members[p], r));
        }
    }
}

// ---------------------------------------------------------------- shared

struct Prepared {
    diagram: Diagram,
    parent: Vec<Option<usize>>,
    depth: Vec<usize>,
    /// Element index -> boundary index.
    container: Vec<Option<usize>>,
    index: HashMap<Uuid, usize>,
    open: HashMap<Uuid, usize>,
}

fn prepare(model: &ThreatModel, diagram: usize, layout: bool) -> Option<Prepared> {
    let mut d = model.diagrams.get(diagram)?.clone();
    if layout {
        auto_layout(&mut d);
    }
    let parent = boundary_parents(&d);
    let depth = depths(&parent);
    let bindex: HashMap<Uuid, usize> = d
        .boundaries
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id, i))
        .collect();
    let container = d
        .elements
        .iter()
        .map(|e| e.boundary.and_then(|b| bindex.get(&b).copied()))
        .collect();
    let index = d
        .elements
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id, i))
        .collect();
    Some(Prepared {
        diagram: d,
        parent,
        depth,
        container,
        index,
        open: open_counts(model),
    })
}

/// A flow's label: its name, with the protocol in parentheses unless the
/// name already says it (a Threat Modeling Tool flow is named after its
/// stencil, "HTTPS", and its protocol is https: "HTTPS (https)" said it
/// twice).
fn flow_label(name: &str, protocol: &str) -> String {
    let name = one_line(name);
    let protocol = protocol.trim();
    let named = !protocol.is_empty()
        && name
            .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .any(|w| w.eq_ignore_ascii_case(protocol));
    match (name.is_empty(), protocol.is_empty() || named) {
        (_, true) => name,
        (true, false) => protocol.to_string(),
        (false, false) => format!("{name} ({protocol})"),
    }
}

// ---------------------------------------------------------------- SVG

fn centre(r: &Rect) -> Point {
    Point {
        x: r.x + r.width / 2.0,
        y: r.y + r.height / 2.0,
    }
}

/// Where the ray from the centre of `r` towards `to` leaves the shape.
fn clip(r: &Rect, ellipse: bool, to: Point) -> Point {
    let c = centre(r);
    let (dx, dy) = (to.x - c.x, to.y - c.y);
    if dx == 0.0 && dy == 0.0 {
        return c;
    }
    let (hw, hh) = ((r.width / 2.0).max(1.0), (r.height / 2.0).max(1.0));
    let t = if ellipse {
        1.0 / ((dx / hw).powi(2) + (dy / hh).powi(2)).sqrt()
    } else {
        let tx = if dx == 0.0 {
            f64::INFINITY
        } else {
            hw / dx.abs()
        };
        let ty = if dy == 0.0 {
            f64::INFINITY
        } else {
            hh / dy.abs()
        };
        tx.min(ty)
    };
    let t = t.min(1.0);
    Point {
        x: c.x + dx * t,
        y: c.y + dy * t,
    }
}

fn text_lines(out: &mut String, x: f64, y: f64, text: &str, attrs: &str) {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let lines = if lines.is_empty() { vec![""] } else { lines };
    let line_h = 14.0;
    let top = y - (lines.len() as f64 - 1.0) * line_h / 2.0;
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="middle" dominant-baseline="middle" {attrs}>"#,
        num(x),
        num(top)
    );
    for (k, l) in lines.iter().enumerate() {
        let _ = write!(
            out,
            r#"<tspan x="{}" y="{}">{}</tspan>"#,
            num(x),
            num(top + k as f64 * line_h),
            xml_escape(l.trim())
        );
    }
    out.push_str("</text>");
}

/// A line boundary's name, and the box it takes beside the line's middle.
fn line_label(b: &TrustBoundary, elements: &[Rect]) -> (String, Rect) {
    let name = one_line(&b.name);
    let width = name.chars().count() as f64 * 7.0;
    let at = |frac: f64| {
        let p = along(&b.line, frac);
        Rect {
            x: p.x + 6.0,
            y: p.y - 19.0,
            width,
            height: 16.0,
        }
    };
    let covers = |r: &Rect| {
        elements.iter().any(|e| {
            r.x < e.x + e.width
                && e.x < r.x + r.width
                && r.y < e.y + e.height
                && e.y < r.y + r.height
        })
    };
    // Beside the middle, else the first place along the line (outwards
    // from the middle) where the name covers no element.
    let label = [0.5, 0.35, 0.65, 0.2, 0.8, 0.05, 0.95]
        .into_iter()
        .map(at)
        .find(|r| !covers(r))
        .unwrap_or_else(|| at(0.5));
    (name, label)
}

/// Average width of a character of the 12 px sans-serif the SVG draws names in.
const NAME_CHAR_W: f64 = 6.5;

/// An element's name broken into lines that fit inside its shape. Threat
/// Dragon and the Threat Modeling Tool wrap a long name inside the shape, and
/// files written by generators give shapes narrower than their names, which
/// would otherwise spill over the outline and the neighbouring flows. Lines
/// break between words only (a word longer than the shape keeps its line),
/// and a name that fits is left as it is.
fn name_lines(name: &str, kind: ElementKind, width: f64) -> String {
    let fits = |line: &str, room: f64| line.chars().count() as f64 * NAME_CHAR_W <= room;
    // A single line sits on an ellipse's widest chord; wrapped lines above
    // and below it have less room.
    let (one_line_room, wrapped_room) = match kind {
        ElementKind::Process => (width - 16.0, width * 0.8 - 8.0),
        _ => (width - 12.0, width - 12.0),
    };
    let lines: Vec<&str> = name
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let room = if lines.len() <= 1 {
        one_line_room
    } else {
        wrapped_room
    };
    if lines.iter().all(|l| fits(l, room)) {
        return name.to_string();
    }
    let mut wrapped: Vec<String> = Vec::new();
    for line in lines {
        let mut current = String::new();
        for word in line.split_whitespace() {
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if current.is_empty() || fits(&candidate, wrapped_room) {
                current = candidate;
            } else {
                wrapped.push(std::mem::replace(&mut current, word.to_string()));
            }
        }
        wrapped.push(current);
    }
    wrapped.join("\n")
}

fn badge(out: &mut String, x: f64, y: f64, count: usize) {
    let _ = write!(
        out,
        r##"<g class="badge"><title>{count} open threat{s}</title><circle cx="{cx}" cy="{cy}" r="11" fill="#dc2626"/><text x="{cx}" y="{cy}" text-anchor="middle" dominant-baseline="central" font-size="11" font-weight="bold" fill="#ffffff">{count}</text></g>"##,
        s = if count == 1 { "" } else { "s" },
        cx = num(x),
        cy = num(y),
    );
}

/// The diagram as a standalone SVG document, drawn from stored positions
/// (elements without one are laid out first): processes as circles or
/// ellipses, data stores as open-ended boxes, external entities as
/// rectangles, trust boundaries as dashed labelled boxes, flows as labelled
/// arrows, and a red badge with the number of open threats on each element
/// and flow that has any. No scripts, no external references.
/// Out-of-scope elements and flows are drawn faded, as Threat Dragon does.
fn scope_attrs(out_of_scope: bool) -> &'static str {
    if out_of_scope {
        r#" out-of-scope" opacity="0.45"#
    } else {
        ""
    }
}

// The app's palette: data stores green, flows grey, flows not encrypted in
// transit amber (the app's `--flow-plain`), trust boundaries dashed red.
const STORE_FILL: &str = "#dcfce7";
const STORE_STROKE: &str = "#15803d";
const FLOW: &str = "#4b5563";
const PLAIN_FLOW: &str = "#c27803";

/// Boxes already drawn on, bucketed in a grid so a diagram of thousands of
/// flows checks only a label's neighbours.
#[derive(Default)]
struct Occupied {
    cells: HashMap<(i64, i64), Vec<Rect>>,
}

impl Occupied {
    const CELL: f64 = 160.0;

    fn cells_of(r: &Rect) -> impl Iterator<Item = (i64, i64)> {
        let cell = |v: f64| (v / Self::CELL).floor() as i64;
        let (x0, x1) = (cell(r.x), cell(r.x + r.width));
        let (y0, y1) = (cell(r.y), cell(r.y + r.height));
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    fn usable(r: &Rect) -> bool {
        [r.x, r.y, r.width, r.height].iter().all(|v| v.is_finite())
            && r.width < 1e6
            && r.height < 1e6
    }

    fn insert(&mut self, r: Rect) {
        if Self::usable(&r) {
            for c in Self::cells_of(&r) {
                self.cells.entry(c).or_default().push(r);
            }
        }
    }

    /// How much of `r` is covered by boxes drawn before, summed per box (a
    /// box spanning several grid cells counted once); 0 when `r` is free.
    fn overlap(&self, r: &Rect) -> f64 {
        if !Self::usable(r) {
            return 0.0;
        }
        let mut seen: Vec<Rect> = Vec::new();
        let mut area = 0.0;
        for c in Self::cells_of(r) {
            for o in self.cells.get(&c).into_iter().flatten() {
                let w = (r.x + r.width).min(o.x + o.width) - r.x.max(o.x);
                let h = (r.y + r.height).min(o.y + o.height) - r.y.max(o.y);
                if w > 0.0 && h > 0.0 && !seen.contains(o) {
                    seen.push(*o);
                    area += w * h;
                }
            }
        }
        area
    }
}

/// The point `frac` of the way along a polyline.
fn along(pts: &[Point], frac: f64) -> Point {
    let seg = |a: &Point, b: &Point| ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
    let total: f64 = pts.windows(2).map(|w| seg(&w[0], &w[1])).sum();
    let mut left = total * frac;
    for w in pts.windows(2) {
        let l = seg(&w[0], &w[1]);
        if l > 0.0 && left <= l {
            let t = left / l;
            return Point {
                x: w[0].x + (w[1].x - w[0].x) * t,
                y: w[0].y + (w[1].y - w[0].y) * t,
            };
        }
        left -= l;
    }
    pts.last().copied().unwrap_or_default()
}

/// Where a flow's label (drawn 6 px above the point) and open-threat badge
/// (14 px right, 10 px below) go: the middle of the flow, else the first of
/// a few points nearer its ends where they cover no element and no other
/// label, else (a crowded stretch) the one of those points where they cover
/// least, the middle on a tie. The chosen box is marked as taken.
fn label_anchor(pts: &[Point], label: &str, badge: bool, taken: &mut Occupied) -> Point {
    // Helvetica at 11 px averages about 6.2 px a character.
    let half = label.chars().count() as f64 * 3.1 + 2.0;
    let boxed = |m: Point| {
        let (mut x0, mut x1) = (m.x - half, m.x + half);
        let (y0, mut y1) = (m.y - 17.0, m.y - 2.0);
        if badge {
            x0 = x0.min(m.x + 3.0);
            x1 = x1.max(m.x + 25.0);
            y1 = m.y + 21.0;
        }
        Rect {
            x: x0,
            y: y0,
            width: x1 - x0,
            height: y1 - y0,
        }
    };
    if label.is_empty() && !badge {
        return along(pts, 0.5);
    }
    let mut chosen = along(pts, 0.5);
    let mut least = f64::INFINITY;
    for f in [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9] {
        let m = along(pts, f);
        let covered = taken.overlap(&boxed(m));
        if covered < least {
            (chosen, least) = (m, covered);
        }
        if covered == 0.0 {
            break;
        }
    }
    taken.insert(boxed(chosen));
    chosen
}

pub fn svg(model: &ThreatModel, diagram: usize) -> String {
    let Some(p) = prepare(model, diagram, true) else {
        return String::from(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"40\" viewBox=\"0 0 200 40\"><text x=\"10\" y=\"24\" font-family=\"sans-serif\" font-size=\"12\">No such diagram</text></svg>\n",
        );
    };
    let d = &p.diagram;
    let (mut min_x, mut min_y) = (f64::INFINITY, f64::INFINITY);
    let (mut max_x, mut max_y) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    let mut grow = |r: &Rect| {
        if [r.x, r.y, r.width, r.height].iter().all(|v| v.is_finite()) {
            min_x = min_x.min(r.x);
            min_y = min_y.min(r.y);
            max_x = max_x.max(r.x + r.width);
            max_y = max_y.max(r.y + r.height);
        }
    };
    for r in d.elements.iter().filter_map(|e| e.position.as_ref()) {
        grow(r);
    }
    for r in d.boundaries.iter().filter_map(|b| b.position.as_ref()) {
        grow(r);
    }
    for pt in d
        .flows
        .iter()
        .flat_map(|f| f.points.iter())
        .chain(d.boundaries.iter().flat_map(|b| b.line.iter()))
    {
        grow(&Rect {
            x: pt.x,
            y: pt.y,
            width: 0.0,
            height: 0.0,
        });
    }
    // A line boundary's name runs on past the line's middle; the canvas
    // holds it whole (a vertical line at the right edge cut it off).
    let elements: Vec<Rect> = d.elements.iter().filter_map(|e| e.position).collect();
    for b in d.boundaries.iter().filter(|b| b.line.len() >= 2) {
        grow(&line_label(b, &elements).1);
    }
    if !min_x.is_finite() {
        (min_x, min_y, max_x, max_y) = (0.0, 0.0, 200.0, 100.0);
    }
    let margin = 30.0;
    let mut width = max_x - min_x + 2.0 * margin;
    // A key under the drawing, as the app's rail shows it.
    let key_height = 28.0;
    let mut height = max_y - min_y + 2.0 * margin + key_height;
    let (tx, ty) = (margin - min_x, margin - min_y);
    let svg_open = |w: f64, h: f64| {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Helvetica, Arial, sans-serif" font-size="12" role="img" aria-labelledby="title">"#,
            w = num(w),
            h = num(h)
        )
    };

    let mut out = String::with_capacity(512 + d.elements.len() * 400 + d.flows.len() * 300);
    out.push_str(&svg_open(width, height));
    let svg_open_len = out.len();
    out.push('\n');
    let _ = writeln!(
        out,
        r#"<title id="title">{}: {}</title>"#,
        xml_escape(&model.name),
        xml_escape(&d.name)
    );
    let marker = |id: &str, fill: &str| {
        format!(
            r##"<marker id="{id}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{fill}"/></marker>"##
        )
    };
    let _ = writeln!(
        out,
        "<defs>{}{}</defs>",
        marker("arrow", FLOW),
        marker("arrow-plain", PLAIN_FLOW)
    );
    out.push_str(r##"<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>"##);
    out.push('\n');
    let _ = writeln!(out, r#"<g transform="translate({},{})">"#, num(tx), num(ty));

    // Boundaries, outermost first.
    let mut order: Vec<usize> = (0..d.boundaries.len()).collect();
    order.sort_by(|a, b| p.depth[*a].cmp(&p.depth[*b]).then(a.cmp(b)));
    for &bi in &order {
        let b = &d.boundaries[bi];
        let Some(r) = b.position else { continue };
        let _ = writeln!(
            out,
            r##"<g class="boundary" id="b-{id}"><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="none" stroke="#dc2626" stroke-width="1.5" stroke-dasharray="8 5"/><text x="{lx}" y="{ly}" fill="#b91c1c" font-size="12" font-weight="bold">{name}</text></g>"##,
            id = b.id,
            x = num(r.x),
            y = num(r.y),
            w = num(r.width),
            h = num(r.height),
            lx = num(r.x + 8.0),
            ly = num(r.y + 16.0),
            name = xml_escape(&one_line(&b.name)),
        );
    }

    // Boundaries drawn as lines, their names beside their middles (or
    // where along them no element hides the name).
    let element_boxes: Vec<Rect> = d.elements.iter().filter_map(|e| e.position).collect();
    let mut line_labels: Vec<Rect> = vec![];
    for b in d.boundaries.iter().filter(|b| b.line.len() >= 2) {
        let points: Vec<String> = b
            .line
            .iter()
            .map(|q| format!("{},{}", num(q.x), num(q.y)))
            .collect();
        let (name, label) = line_label(b, &element_boxes);
        let _ = writeln!(
            out,
            r##"<g class="boundary boundary-line" id="b-{id}"><polyline points="{points}" fill="none" stroke="#dc2626" stroke-width="1.5" stroke-dasharray="8 5"/><text x="{lx}" y="{ly}" fill="#b91c1c" font-size="12" font-weight="bold">{name}</text></g>"##,
            id = b.id,
            points = points.join(" "),
            lx = num(label.x),
            ly = num(label.y + 13.0),
            name = xml_escape(&name),
        );
        line_labels.push(label);
    }

    // Flows under the elements; flows between the same two elements are
    // drawn side by side.
    let mut pair_total: HashMap<(usize, usize), usize> = HashMap::new();
    for f in d.flows.iter().filter(|f| f.points.is_empty()) {
        if let (Some(&a), Some(&b)) = (p.index.get(&f.source), p.index.get(&f.target)) {
            *pair_total.entry((a.min(b), a.max(b))).or_insert(0) += 1;
        }
    }
    let mut pair_seen: HashMap<(usize, usize), usize> = HashMap::new();
    // A label should sit on no element, no element's badge, no boundary's
    // title and no other label. Where a crowded stretch leaves no free
    // place, the labels (and flow badges) are painted last, over the
    // elements, so the text is never hidden under a shape.
    let mut taken = Occupied::default();
    for e in &d.elements {
        let Some(r) = e.position else { continue };
        taken.insert(r);
        if p.open.contains_key(&e.id) {
            let (cx, cy) = (r.x + r.width - 4.0, r.y + 4.0);
            taken.insert(Rect {
                x: cx - 11.0,
                y: cy - 11.0,
                width: 22.0,
                height: 22.0,
            });
        }
    }
    for b in &d.boundaries {
        let Some(r) = b.position else { continue };
        // Bold 12 px: about 7.4 px a character, baseline 16 px down.
        let chars = one_line(&b.name).chars().count() as f64;
        taken.insert(Rect {
            x: r.x + 6.0,
            y: r.y + 3.0,
            width: chars * 7.4 + 4.0,
            height: 16.0,
        });
    }
    for r in line_labels {
        taken.insert(r);
    }
    let mut labels = String::new();
    // How far right and down the flow labels reach: a label moved along
    // its flow near the drawing's edge runs on past it.
    let (mut labels_right, mut labels_bottom) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
    for f in &d.flows {
        let (Some(&si), Some(&ti)) = (p.index.get(&f.source), p.index.get(&f.target)) else {
            continue;
        };
        let (s, t) = (&d.elements[si], &d.elements[ti]);
        let (Some(sr), Some(tr)) = (s.position, t.position) else {
            continue;
        };
        let mut pts: Vec<Point> = vec![];
        let first_towards = f.points.first().copied().unwrap_or_else(|| centre(&tr));
        let last_from = f.points.last().copied().unwrap_or_else(|| centre(&sr));
        pts.push(clip(&sr, s.kind == ElementKind::Process, first_towards));
        pts.extend(f.points.iter().copied());
        pts.push(clip(&tr, t.kind == ElementKind::Process, last_from));
        let key = (si.min(ti), si.max(ti));
        let total = if f.points.is_empty() {
            pair_total.get(&key).copied().unwrap_or(1)
        } else {
            1
        };
        if total > 1 {
            let k = pair_seen.entry(key).or_insert(0);
            let shift = (*k as f64 - (total as f64 - 1.0) / 2.0) * 18.0;
            *k += 1;
            // Perpendicular to the line from the lower to the higher index.
            let (a, b) = (
                centre(&d.elements[key.0].position.unwrap_or_default()),
                centre(&d.elements[key.1].position.unwrap_or_default()),
            );
            let (dx, dy) = (b.x - a.x, b.y - a.y);
            let len = (dx * dx + dy * dy).sqrt().max(1.0);
            let (nx, ny) = (-dy / len * shift, dx / len * shift);
            for q in &mut pts {
                q.x += nx;
                q.y += ny;
            }
        }
        let path: Vec<String> = pts
            .iter()
            .map(|q| format!("{},{}", num(q.x), num(q.y)))
            .collect();
        let (plain, stroke, marker) = if f.encrypted_in_transit {
            ("", FLOW, "arrow")
        } else {
            (" plain", PLAIN_FLOW, "arrow-plain")
        };
        let start = if f.bidirectional {
            format!(r#" marker-start="url(#{marker})""#)
        } else {
            String::new()
        };
        let _ = write!(
            out,
            r##"<g class="flow{plain}{scope}" id="f-{id}"><polyline points="{pts}" fill="none" stroke="{stroke}" stroke-width="1.5" marker-end="url(#{marker})"{start}/>"##,
            id = f.id,
            pts = path.join(" "),
            scope = scope_attrs(f.out_of_scope.is_some()),
        );
        out.push_str("</g>\n");
        let label = flow_label(&f.name, &f.protocol);
        let open = p.open.get(&f.id).copied();
        let mid = label_anchor(&pts, &label, open.is_some(), &mut taken);
        if label.is_empty() && open.is_none() {
            continue;
        }
        let _ = write!(
            labels,
            r#"<g class="flow-label{scope}" id="fl-{id}">"#,
            id = f.id,
            scope = scope_attrs(f.out_of_scope.is_some()),
        );
        if !label.is_empty() {
            let _ = write!(
                labels,
                r##"<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#111827" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text>"##,
                num(mid.x),
                num(mid.y - 6.0),
                xml_escape(&label)
            );
        }
        if let Some(count) = open {
            badge(&mut labels, mid.x + 14.0, mid.y + 10.0, count);
            labels_right = labels_right.max(mid.x + 25.0);
            labels_bottom = labels_bottom.max(mid.y + 21.0);
        }
        // Helvetica at 11 px averages about 6.2 px a character.
        labels_right = labels_right.max(mid.x + label.chars().count() as f64 * 3.1 + 2.0);
        labels_bottom = labels_bottom.max(mid.y);
        labels.push_str("</g>\n");
    }

    for e in &d.elements {
        let Some(r) = e.position else { continue };
        let c = centre(&r);
        let _ = write!(
            out,
            r#"<g class="element {}{}" id="e-{}"><title>{}{}</title>"#,
            e.kind.label(),
            scope_attrs(e.out_of_scope_reason().is_some()),
            e.id,
            xml_escape(&one_line(&e.name)),
            if e.out_of_scope_reason().is_some() {
                " (out of scope)"
            } else {
                ""
            }
        );
        match e.kind {
            ElementKind::Process => {
                let _ = write!(
                    out,
                    r##"<ellipse cx="{}" cy="{}" rx="{}" ry="{}" fill="#dbeafe" stroke="#1d4ed8" stroke-width="1.5"/>"##,
                    num(c.x),
                    num(c.y),
                    num(r.width / 2.0),
                    num(r.height / 2.0)
                );
            }
            ElementKind::DataStore => {
                let _ = write!(
                    out,
                    r##"<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{STORE_FILL}" stroke="none"/><line x1="{x}" y1="{y}" x2="{x2}" y2="{y}" stroke="{STORE_STROKE}" stroke-width="1.5"/><line x1="{x}" y1="{y2}" x2="{x2}" y2="{y2}" stroke="{STORE_STROKE}" stroke-width="1.5"/>"##,
                    x = num(r.x),
                    y = num(r.y),
                    w = num(r.width),
                    h = num(r.height),
                    x2 = num(r.x + r.width),
                    y2 = num(r.y + r.height)
                );
            }
            ElementKind::ExternalEntity => {
                let _ = write!(
                    out,
                    r##"<rect x="{}" y="{}" width="{}" height="{}" fill="#f3f4f6" stroke="#374151" stroke-width="1.5"/>"##,
                    num(r.x),
                    num(r.y),
                    num(r.width),
                    num(r.height)
                );
            }
        }
        text_lines(
            &mut out,
            c.x,
            c.y,
            &name_lines(&e.name, e.kind, r.width),
            r##"fill="#111827""##,
        );
        if let Some(&count) = p.open.get(&e.id) {
            badge(&mut out, r.x + r.width - 4.0, r.y + 4.0, count);
        }
        out.push_str("</g>\n");
    }
    out.push_str(&labels);
    out.push_str("</g>\n");
    // The canvas holds the labels whole.
    let (need_w, need_h) = (
        labels_right + tx + 6.0,
        labels_bottom + ty + 6.0 + key_height,
    );
    if need_w > width || need_h > height {
        width = width.max(need_w);
        height = height.max(need_h);
        out.replace_range(..svg_open_len, &svg_open(width, height));
    }
    let y = num(height - 14.0);
    let _ = writeln!(
        out,
        concat!(
            r##"<g class="key" font-size="11" fill="#374151" transform="translate({x},{y})">"##,
            r##"<line x1="0" y1="0" x2="22" y2="0" stroke="{flow}" stroke-width="1.5"/><text x="28" y="4">Encrypted flow</text>"##,
            r##"<line x1="130" y1="0" x2="152" y2="0" stroke="{plain}" stroke-width="1.5"/><text x="158" y="4">Plain-text flow</text>"##,
            r##"<rect x="262" y="-6" width="22" height="12" rx="3" fill="none" stroke="#dc2626" stroke-width="1.5" stroke-dasharray="4 3"/><text x="290" y="4">Trust boundary</text>"##,
            r##"<circle cx="398" cy="0" r="7" fill="#dc2626"/><text x="410" y="4">Open threats</text></g>"##
        ),
        x = num(margin),
        y = y,
        flow = FLOW,
        plain = PLAIN_FLOW,
    );
    out.push_str("</svg>\n");
    out
}

// ---------------------------------------------------------------- Mermaid

fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let lines: Vec<&str> = s.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    for (k, line) in lines.iter().enumerate() {
        if k > 0 {
            out.push_str("<br/>");
        }
        for c in line.chars() {
            match c {
                '"' => out.push_str("#quot;"),
                '#' => out.push_str("#35;"),
                '&' => out.push_str("#amp;"),
                '<' => out.push_str("#lt;"),
                '>' => out.push_str("#gt;"),
                '`' => out.push_str("#96;"),
                '|' => out.push_str("#124;"),
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
        }
    }
    out
}

/// Children of each boundary (and of the top level, at index `len`), and
/// each container's elements, for nested output.
fn tree(p: &Prepared) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let nb = p.diagram.boundaries.len();
    let mut sub: Vec<Vec<usize>> = vec![vec![]; nb + 1];
    for (b, parent) in p.parent.iter().enumerate() {
        sub[parent.unwrap_or(nb)].push(b);
    }
    let mut members: Vec<Vec<usize>> = vec![vec![]; nb + 1];
    for (i, c) in p.container.iter().enumerate() {
        members[c.unwrap_or(nb)].push(i);
    }
    (sub, members)
}

/// Whether each boundary has an element somewhere inside it.
fn non_empty(p: &Prepared) -> Vec<bool> {
    let mut has = vec![false; p.diagram.boundaries.len()];
    for c in p.container.iter().flatten() {
        let mut cur = Some(*c);
        while let Some(b) = cur {
            if has[b] {
                break;
            }
            has[b] = true;
            cur = p.parent[b];
        }
    }
    has
}

enum Step {
    Open(usize),
    Close,
}

/// Walks the boundary tree without recursion: `open`/`close` per boundary,
/// `element` per member, in model order.
fn walk(
    p: &Prepared,
    mut open: impl FnMut(usize, usize),
    mut close: impl FnMut(usize),
    mut element: impl FnMut(usize, usize),
) {
    let nb = p.diagram.boundaries.len();
    let (sub, members) = tree(p);
    let keep = non_empty(p);
    for &i in &members[nb] {
        element(i, 0);
    }
    let mut stack: Vec<(Step, usize)> = sub[nb]
        .iter()
        .rev()
        .filter(|b| keep[**b])
        .map(|&b| (Step::Open(b), 0))
        .collect();
    while let Some((step, level)) = stack.pop() {
        match step {
            Step::Open(b) => {
                open(b, level);
                for &i in &members[b] {
                    element(i, level + 1);
                }
                stack.push((Step::Close, level));
                for &c in sub[b].iter().rev().filter(|c| keep[**c]) {
                    stack.push((Step::Open(c), level + 1));
                }
            }
            Step::Close => close(level),
        }
    }
}

/// The diagram as a Mermaid flowchart: trust boundaries as (nested)
/// subgraphs, processes as circles, data stores as cylinders, external
/// entities as rectangles; labels escaped with Mermaid entity codes.
pub fn mermaid(model: &ThreatModel, diagram: usize) -> String {
    let Some(p) = prepare(model, diagram, false) else {
        return "flowchart LR\n".to_string();
    };
    let d = &p.diagram;
    let mut out = String::from("flowchart LR\n");
    let line = std::cell::RefCell::new(String::new());
    walk(
        &p,
        |b, level| {
            let _ = writeln!(
                line.borrow_mut(),
                "{}subgraph b{b}[\"{}\"]",
                "  ".repeat(level + 1),
                mermaid_text(&d.boundaries[b].name)
            );
        },
        |level| {
            let _ = writeln!(line.borrow_mut(), "{}end", "  ".repeat(level + 1));
        },
        |i, level| {
            let e = &d.elements[i];
            let mut label = mermaid_text(&e.name);
            if let Some(n) = p.open.get(&e.id) {
                let _ = write!(
                    label,
                    "<br/>({n} open threat{})",
                    if *n == 1 { "" } else { "s" }
                );
            }
            let (l, r) = match e.kind {
                ElementKind::Process => ("((", "))"),
                ElementKind::DataStore => ("[(", ")]"),
                ElementKind::ExternalEntity => ("[", "]"),
            };
            let _ = writeln!(
                line.borrow_mut(),
                "{}e{i}{l}\"{label}\"{r}",
                "  ".repeat(level + 1)
            );
        },
    );
    out.push_str(&line.into_inner());
    // Mermaid numbers links in the order they are written, from 0.
    let mut plain_links = vec![];
    let drawn = d.flows.iter().filter_map(|f| {
        let (s, t) = (p.index.get(&f.source)?, p.index.get(&f.target)?);
        Some((f, *s, *t))
    });
    for (link, (f, s, t)) in drawn.enumerate() {
        if !f.encrypted_in_transit {
            plain_links.push(link.to_string());
        }
        let arrow = if f.bidirectional { "<-->" } else { "-->" };
        let label = flow_label(&f.name, &f.protocol);
        if label.is_empty() {
            let _ = writeln!(out, "  e{s} {arrow} e{t}");
        } else {
            let _ = writeln!(out, "  e{s} {arrow}|\"{}\"| e{t}", mermaid_text(&label));
        }
    }
    let keep = non_empty(&p);
    for (b, tb) in d.boundaries.iter().enumerate() {
        if !keep[b] {
            let what = if tb.line.len() >= 2 {
                "is drawn as a line (the SVG shows it)"
            } else {
                "contains no elements"
            };
            let _ = writeln!(
                out,
                "  %% trust boundary {} {what}",
                mermaid_text(&one_line(&tb.name)).replace("%%", "% %")
            );
        }
    }
    out.push_str("  classDef process fill:#dbeafe,stroke:#1d4ed8\n");
    let _ = writeln!(
        out,
        "  classDef store fill:{STORE_FILL},stroke:{STORE_STROKE}"
    );
    out.push_str("  classDef external fill:#f3f4f6,stroke:#374151\n");
    for (class, kind) in [
        ("process", ElementKind::Process),
        ("store", ElementKind::DataStore),
        ("external", ElementKind::ExternalEntity),
    ] {
        let ids: Vec<String> = d
            .elements
            .iter()
            .enumerate()
            .filter(|(_, e)| e.kind == kind)
            .map(|(i, _)| format!("e{i}"))
            .collect();
        for chunk in ids.chunks(50) {
            let _ = writeln!(out, "  class {} {class}", chunk.join(","));
        }
    }
    for b in (0..d.boundaries.len()).filter(|b| keep[*b]) {
        let _ = writeln!(
            out,
            "  style b{b} fill:none,stroke:#dc2626,stroke-width:2px,stroke-dasharray:6 4"
        );
    }
    for chunk in plain_links.chunks(50) {
        let _ = writeln!(out, "  linkStyle {} stroke:{PLAIN_FLOW}", chunk.join(","));
    }
    out
}

// ---------------------------------------------------------------- DOT

fn dot_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let lines: Vec<&str> = s.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    for (k, line) in lines.iter().enumerate() {
        if k > 0 {
            out.push_str("\\n");
        }
        for c in line.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
        }
    }
    out
}

/// The diagram as a Graphviz digraph: trust boundaries as dashed clusters.
pub fn dot(model: &ThreatModel, diagram: usize) -> String {
    let Some(p) = prepare(model, diagram, false) else {
        return "digraph threat_model {\n}\n".to_string();
    };
    let d = &p.diagram;
    let mut out = String::new();
    let _ = writeln!(out, "digraph \"{}\" {{", dot_text(&d.name));
    out.push_str("  graph [rankdir=LR, fontname=\"Helvetica\", compound=true];\n");
    out.push_str("  node [fontname=\"Helvetica\", fontsize=11, style=filled];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=9, color=\"#4b5563\"];\n");
    let body = std::cell::RefCell::new(String::new());
    walk(
        &p,
        |b, level| {
            let ind = "  ".repeat(level + 1);
            let _ = writeln!(body.borrow_mut(), "{ind}subgraph cluster_b{b} {{");
            let _ = writeln!(
                body.borrow_mut(),
                "{ind}  label=\"{}\"; style=dashed; color=\"#dc2626\"; fontcolor=\"#b91c1c\";",
                dot_text(&d.boundaries[b].name)
            );
        },
        |level| {
            let _ = writeln!(body.borrow_mut(), "{}}}", "  ".repeat(level + 1));
        },
        |i, level| {
            let e = &d.elements[i];
            let (shape, fill, color) = match e.kind {
                ElementKind::Process => ("ellipse", "#dbeafe", "#1d4ed8"),
                ElementKind::DataStore => ("cylinder", STORE_FILL, STORE_STROKE),
                ElementKind::ExternalEntity => ("box", "#f3f4f6", "#374151"),
            };
            let mut label = dot_text(&e.name);
            if let Some(n) = p.open.get(&e.id) {
                let _ = write!(
                    label,
                    "\\n({n} open threat{})",
                    if *n == 1 { "" } else { "s" }
                );
            }
            let _ = writeln!(
                body.borrow_mut(),
                "{}e{i} [label=\"{label}\", shape={shape}, fillcolor=\"{fill}\", color=\"{color}\"];",
                "  ".repeat(level + 1)
            );
        },
    );
    out.push_str(&body.into_inner());
    for f in &d.flows {
        let (Some(&s), Some(&t)) = (p.index.get(&f.source), p.index.get(&f.target)) else {
            continue;
        };
        let dir = if f.bidirectional { ", dir=both" } else { "" };
        let color = if f.encrypted_in_transit {
            String::new()
        } else {
            format!(", color=\"{PLAIN_FLOW}\"")
        };
        let _ = writeln!(
            out,
            "  e{s} -> e{t} [label=\"{}\"{dir}{color}];",
            dot_text(&flow_label(&f.name, &f.protocol))
        );
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use plasma_models::threat::{Flow, Point};

    #[test]
    fn a_name_wider_than_its_shape_wraps_between_words_and_one_that_fits_stays() {
        let cases = [
            // Sizes a Threat Dragon generator wrote: a 100 x 60 process and
            // a 120 x 60 store for names twice as wide.
            (
                "Order Processing Service",
                ElementKind::Process,
                100.0,
                "Order\nProcessing\nService",
            ),
            (
                "Orders & Transactions DB",
                ElementKind::DataStore,
                120.0,
                "Orders &\nTransactions DB",
            ),
            // Fits on the ellipse's widest line: unchanged.
            (
                "Application Server",
                ElementKind::Process,
                140.0,
                "Application Server",
            ),
            // The author's own line breaks are kept; a word longer than the
            // shape keeps a line of its own rather than being cut.
            (
                "Angular\nFrontend",
                ElementKind::Process,
                100.0,
                "Angular\nFrontend",
            ),
            (
                "an Internationalisation service",
                ElementKind::ExternalEntity,
                60.0,
                "an\nInternationalisation\nservice",
            ),
        ];
        for (name, kind, width, drawn) in cases {
            assert_eq!(name_lines(name, kind, width), drawn, "{name} in {width}");
        }
    }

    /// A model whose one diagram holds one element at (x, y, width, height).
    fn one_element(kind: ElementKind, name: &str, at: (f64, f64, f64, f64)) -> ThreatModel {
        let mut m = ThreatModel::new(Uuid::nil(), "m");
        m.diagrams.push(Diagram::new("d"));
        let mut e = Element::new(kind, name);
        let (x, y, width, height) = at;
        e.position = Some(Rect {
            x,
            y,
            width,
            height,
        });
        m.diagrams[0].elements.push(e);
        m
    }

    /// The `width` the SVG declares.
    fn svg_width(svg: &str) -> f64 {
        svg.split("width=\"")
            .nth(1)
            .and_then(|w| w.split('"').next())
            .and_then(|w| w.parse().ok())
            .expect("the svg's width")
    }

    #[test]
    fn the_svg_canvas_holds_a_long_flow_label_at_its_right_edge() {
        // Two narrow elements one above the other: the flow's label, centred
        // on the flow, runs on well past the elements' right edge.
        let mut m = one_element(ElementKind::Process, "A", (0.0, 0.0, 60.0, 60.0));
        let mut below = Element::new(ElementKind::DataStore, "B");
        below.position = Some(Rect {
            x: 0.0,
            y: 300.0,
            width: 60.0,
            height: 60.0,
        });
        let name = "Nightly export of every customer record to the warehouse";
        let flow = Flow::new(name, m.diagrams[0].elements[0].id, below.id);
        m.diagrams[0].elements.push(below);
        m.diagrams[0].flows.push(flow);
        let svg = svg(&m, 0);
        let width = svg_width(&svg);
        // The drawing starts 30 px in; the label is centred on x 30.
        let label_end = 30.0 + 30.0 + name.len() as f64 * 3.1;
        assert!(width >= label_end, "{width} < {label_end}");
        assert!(svg.contains(&format!("viewBox=\"0 0 {width} ")), "{svg}");
    }

    #[test]
    fn the_svg_canvas_holds_the_name_of_a_line_boundary_at_its_right_edge() {
        // Threat Dragon 2.5 files close a box with four curves; the right
        // one is vertical, and its name runs on past the drawing's edge.
        let mut m = one_element(ElementKind::Process, "WAP", (0.0, 0.0, 60.0, 60.0));
        let mut line = TrustBoundary::new("Trust Boundary", None);
        line.line = vec![Point { x: 300.0, y: 0.0 }, Point { x: 300.0, y: 100.0 }];
        m.diagrams[0].boundaries.push(line);
        let svg = svg(&m, 0);
        let width = svg_width(&svg);
        // The name starts 6 px right of the line and takes about 7 px a
        // character; the drawing starts at x 0 and has a margin.
        let label_end = 300.0 + 6.0 + "Trust Boundary".len() as f64 * 7.0;
        assert!(width >= label_end, "{width} < {label_end}: {svg}");
    }

    #[test]
    fn a_line_boundary_name_moves_along_its_line_off_an_element() {
        // A vertical line through an element's right half: beside the
        // middle, the name would be drawn over the element.
        let mut m = one_element(ElementKind::Process, "API", (250.0, 150.0, 200.0, 100.0));
        let mut line = TrustBoundary::new("DMZ", None);
        line.line = vec![Point { x: 300.0, y: 0.0 }, Point { x: 300.0, y: 400.0 }];
        m.diagrams[0].boundaries.push(line);
        let (_, label) = line_label(
            &m.diagrams[0].boundaries[0],
            &[m.diagrams[0].elements[0].position.expect("placed")],
        );
        assert!(
            label.y + label.height <= 150.0 || label.y >= 250.0,
            "the name covers the element: {label:?}"
        );
        // With nothing in the way it stays beside the middle.
        let (_, free) = line_label(&m.diagrams[0].boundaries[0], &[]);
        assert_eq!((free.x, free.y), (306.0, 181.0));
        assert!(svg(&m, 0).contains(">DMZ</text>"));
    }

    #[test]
    fn the_svg_draws_a_long_name_inside_its_shape_and_keeps_it_whole_in_the_title() {
        let m = one_element(
            ElementKind::ExternalEntity,
            "System Administrator",
            (100.0, 220.0, 112.5, 60.0),
        );
        let svg = svg(&m, 0);
        assert!(svg.contains(">System</tspan>"), "{svg}");
        assert!(svg.contains(">Administrator</tspan>"), "{svg}");
        assert!(svg.contains("<title>System Administrator</title>"), "{svg}");
    }

    #[test]
    fn a_label_with_no_free_place_goes_where_it_covers_least() {
        let rect = |x: f64, y: f64, width: f64, height: f64| Rect {
            x,
            y,
            width,
            height,
        };
        // A flow along y = 100 from x = 0 to 1000; everything but its last
        // fifth is covered by one wide element, the rest by a narrow one.
        let pts = [
            Point { x: 0.0, y: 100.0 },
            Point {
                x: 1000.0,
                y: 100.0,
            },
        ];
        let mut taken = Occupied::default();
        taken.insert(rect(0.0, 60.0, 780.0, 80.0));
        taken.insert(rect(880.0, 95.0, 10.0, 10.0));
        let at = label_anchor(&pts, "request", true, &mut taken);
        assert_eq!(at.x, 900.0, "the least covered of the candidate points");
        // The chosen box is taken: the same label again cannot be free there.
        assert!(taken.overlap(&rect(880.0, 83.0, 60.0, 20.0)) > 0.0);
        // With a free place the first free candidate wins, as before.
        let mut open = Occupied::default();
        open.insert(rect(400.0, 60.0, 200.0, 80.0));
        assert_eq!(label_anchor(&pts, "request", true, &mut open).x, 300.0);
    }

    #[test]
    fn a_tall_layout_wraps_into_columns_and_keeps_flow_order() {
        // One hub feeding 400 stores: two ranks, the second 400 high.
        let mut d = Diagram::new("d");
        let mut hub = Element::new(ElementKind::Process, "hub");
        hub.position = None;
        let mut elements = vec![hub];
        for i in 0..400 {
            let mut e = Element::new(ElementKind::DataStore, format!("store {i}"));
            e.position = None;
            d.flows.push(Flow::new("f", elements[0].id, e.id));
            elements.push(e);
        }
        d.elements = elements;
        auto_layout(&mut d);
        let rects: Vec<Rect> = d.elements.iter().map(|e| e.position.unwrap()).collect();
        let right = rects.iter().map(|r| r.x + r.width).fold(0.0, f64::max) - MARGIN;
        let bottom = rects.iter().map(|r| r.y + r.height).fold(0.0, f64::max) - MARGIN;
        assert!(
            bottom < 2.0 * right && right < 4.0 * bottom,
            "{right} x {bottom}"
        );
        // The hub (rank 0) comes first: every store is right of it or
        // below it; nothing overlaps.
        assert!(rects[1..]
            .iter()
            .all(|r| r.x > rects[0].x + rects[0].width || r.y > rects[0].y + rects[0].height));
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                let apart = a.x + a.width <= b.x
                    || b.x + b.width <= a.x
                    || a.y + a.height <= b.y
                    || b.y + b.height <= a.y;
                assert!(apart, "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn a_short_chain_stays_one_row_of_columns() {
        let mut d = Diagram::new("d");
        let mut a = Element::new(ElementKind::Process, "a");
        let mut b = Element::new(ElementKind::Process, "b");
        let mut c = Element::new(ElementKind::Process, "c");
        a.position = None;
        b.position = None;
        c.position = None;
        d.flows.push(Flow::new("ab", a.id, b.id));
        d.flows.push(Flow::new("ac", a.id, c.id));
        d.elements = vec![a, b, c];
        auto_layout(&mut d);
        let p = |i: usize| d.elements[i].position.unwrap();
        // b and c share rank 1: one column, not wrapped.
        assert_eq!(p(1).x, p(2).x);
        assert!(p(2).y > p(1).y);
    }

    #[test]
    fn layout_places_everything_and_boundaries_enclose_members() {
        let mut d = Diagram::new("d");
        let outer = TrustBoundary::new("outer", None);
        let inner = TrustBoundary::new("inner", Some(outer.id));
        let mut a = Element::new(ElementKind::ExternalEntity, "a");
        let mut b = Element::new(ElementKind::Process, "b");
        b.boundary = Some(inner.id);
        let mut c = Element::new(ElementKind::DataStore, "c");
        c.boundary = Some(outer.id);
        a.position = None;
        c.position = None;
        d.flows.push(Flow::new("ab", a.id, b.id));
        d.flows.push(Flow::new("bc", b.id, c.id));
        d.flows.push(Flow::new("ca", c.id, a.id));
        d.elements = vec![a, b, c];
        d.boundaries = vec![outer, inner];
        auto_layout(&mut d);
        let inside = |o: &Rect, i: &Rect| {
            i.x >= o.x
                && i.y >= o.y
                && i.x + i.width <= o.x + o.width
                && i.y + i.height <= o.y + o.height
        };
        let outer_r = d.boundaries[0].position.unwrap_or_default();
        let inner_r = d.boundaries[1].position.unwrap_or_default();
        assert!(inside(&outer_r, &inner_r));
        assert!(inside(
            &inner_r,
            &d.elements[1].position.unwrap_or_default()
        ));
        assert!(inside(
            &outer_r,
            &d.elements[2].position.unwrap_or_default()
        ));
        assert!(!inside(
            &outer_r,
            &d.elements[0].position.unwrap_or_default()
        ));
        // a -> b -> c: left to right.
        let x = |i: usize| d.elements[i].position.unwrap_or_default().x;
        assert!(x(0) < x(1) && x(1) < x(2));
    }
}

//! The decision graph as Mermaid, Graphviz DOT, or a self-contained SVG.
//!
//! Edges come from [`DecisionGraph::build`] (forward direction: the record
//! that supersedes/amends points at the one it replaces or changes).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use plasma_models::graph::GraphEdge;
use plasma_models::{Adr, AdrStatus, DecisionGraph, LinkKind};

fn edge_label(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::Supersedes | LinkKind::SupersededBy => "supersedes",
        LinkKind::Amends | LinkKind::AmendedBy => "amends",
        LinkKind::RelatesTo => "relates to",
    }
}

fn status_class(status: &AdrStatus) -> &'static str {
    match status {
        AdrStatus::Draft => "draft",
        AdrStatus::Proposed => "proposed",
        AdrStatus::Accepted => "accepted",
        AdrStatus::Rejected => "rejected",
        AdrStatus::Deprecated => "deprecated",
        AdrStatus::Superseded => "superseded",
        AdrStatus::Custom(_) => "custom",
    }
}

/// (fill, stroke) for light and dark pictures.
fn status_colors(class: &str, dark: bool) -> (&'static str, &'static str) {
    match (class, dark) {
        ("accepted", false) => ("#dcfce7", "#15803d"),
        ("accepted", true) => ("#14532d", "#4ade80"),
        ("proposed", false) => ("#dbeafe", "#1d4ed8"),
        ("proposed", true) => ("#1e3a8a", "#60a5fa"),
        ("draft", false) => ("#f3f4f6", "#6b7280"),
        ("draft", true) => ("#374151", "#9ca3af"),
        ("rejected", false) => ("#fee2e2", "#b91c1c"),
        ("rejected", true) => ("#7f1d1d", "#f87171"),
        ("deprecated", false) => ("#ffedd5", "#c2410c"),
        ("deprecated", true) => ("#7c2d12", "#fb923c"),
        ("superseded", false) => ("#e5e7eb", "#4b5563"),
        ("superseded", true) => ("#1f2937", "#9ca3af"),
        (_, false) => ("#f3e8ff", "#7e22ce"),
        (_, true) => ("#581c87", "#c084fc"),
    }
}

struct Node {
    number: u32,
    title: String,
    status: Option<AdrStatus>,
}

/// Every record plus every link target outside `adrs`, by number.
fn nodes_and_edges(adrs: &[Adr]) -> (Vec<Node>, Vec<GraphEdge>) {
    let edges = DecisionGraph::build(adrs).edges();
    let mut nodes: BTreeMap<u32, Node> = BTreeMap::new();
    for adr in adrs {
        nodes.entry(adr.number).or_insert(Node {
            number: adr.number,
            title: adr.title.clone(),
            status: Some(adr.status.clone()),
        });
    }
    for e in &edges {
        for n in [e.from, e.to] {
            nodes.entry(n).or_insert(Node {
                number: n,
                title: String::new(),
                status: None,
            });
        }
    }
    (nodes.into_values().collect(), edges)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn mermaid_text(s: &str) -> String {
    let mut out = String::new();
    for c in one_line(s).chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '|' => out.push_str("#124;"),
            '[' => out.push_str("#91;"),
            ']' => out.push_str("#93;"),
            '{' => out.push_str("#123;"),
            '}' => out.push_str("#125;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A Mermaid flowchart (renders on GitHub): one node per record, edges
/// labelled by kind, nodes styled by status.
pub fn mermaid(adrs: &[Adr]) -> String {
    let (nodes, edges) = nodes_and_edges(adrs);
    let mut out = String::from("flowchart TD\n");
    let mut used = BTreeSet::new();
    for n in &nodes {
        let label = if n.title.trim().is_empty() {
            format!("ADR {}", n.number)
        } else {
            format!("ADR {}: {}", n.number, mermaid_text(&n.title))
        };
        let _ = writeln!(out, "    adr{}[\"{}\"]", n.number, label);
    }
    for e in &edges {
        let arrow = match e.kind {
            LinkKind::RelatesTo => "-.-",
            LinkKind::Amends | LinkKind::AmendedBy => "-.->",
            _ => "-->",
        };
        let _ = writeln!(
            out,
            "    adr{} {arrow}|{}| adr{}",
            e.from,
            edge_label(e.kind),
            e.to
        );
    }
    for n in &nodes {
        let class = n.status.as_ref().map(status_class).unwrap_or("external");
        used.insert(class);
        let _ = writeln!(out, "    class adr{} {class}", n.number);
    }
    for class in used {
        if class == "external" {
            out.push_str(
                "    classDef external fill:#ffffff,stroke:#9ca3af,stroke-dasharray:4 2\n",
            );
            continue;
        }
        let (fill, stroke) = status_colors(class, false);
        let dash = if class == "draft" {
            ",stroke-dasharray:4 2"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "    classDef {class} fill:{fill},stroke:{stroke}{dash}"
        );
    }
    out
}

fn dot_text(s: &str) -> String {
    let mut out = String::new();
    for c in one_line(s).chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Graphviz DOT: records as rounded boxes coloured by status, edges
/// labelled by kind.
pub fn dot(adrs: &[Adr]) -> String {
    let (nodes, edges) = nodes_and_edges(adrs);
    let mut out = String::from("digraph decisions {\n");
    out.push_str("    rankdir=BT;\n");
    out.push_str("    node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
    out.push_str("    edge [fontname=\"Helvetica\", fontsize=10];\n");
    for n in &nodes {
        let class = n.status.as_ref().map(status_class).unwrap_or("external");
        let (fill, stroke) = status_colors(class, false);
        let mut label = format!("ADR {}", n.number);
        if !n.title.trim().is_empty() {
            label.push_str("\\n");
            label.push_str(&dot_text(&n.title));
        }
        if let Some(s) = &n.status {
            label.push_str("\\n(");
            label.push_str(&dot_text(s.label()));
            label.push(')');
        }
        let _ = writeln!(
            out,
            "    adr{} [label=\"{label}\", fillcolor=\"{fill}\", color=\"{stroke}\"];",
            n.number
        );
    }
    for e in &edges {
        let style = match e.kind {
            LinkKind::RelatesTo => ", style=dashed, dir=none",
            LinkKind::Amends | LinkKind::AmendedBy => ", style=dotted",
            _ => "",
        };
        let _ = writeln!(
            out,
            "    adr{} -> adr{} [label=\"{}\"{style}];",
            e.from,
            e.to,
            edge_label(e.kind)
        );
    }
    out.push_str("}\n");
    out
}

fn xml_text(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn truncate(s: &str, max: usize) -> String {
    let s = one_line(s);
    if s.chars().count() <= max {
        s
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t = t.trim_end().to_string();
        t.push('…');
        t
    }
}

const BOX_W: i64 = 220;
const BOX_H: i64 = 84;
/// Wider rows wrap, so a large workspace stays a readable picture.
const MAX_COLS: usize = 6;
const TITLE_LINE: usize = 32;
const GAP_X: i64 = 40;
const GAP_Y: i64 = 70;
const MARGIN: i64 = 20;

/// The title on at most two lines, broken at a space, the rest elided.
fn title_lines(title: &str) -> Vec<String> {
    let text = one_line(title);
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let count = lines.len();
        let Some(current) = lines.last_mut() else {
            break;
        };
        let fits = current.chars().count() + 1 + word.chars().count() <= TITLE_LINE;
        if current.is_empty() || fits {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        } else if count < 2 {
            lines.push(word.to_string());
        } else {
            current.push_str(" …");
            break;
        }
    }
    lines
        .into_iter()
        .filter(|l| !l.is_empty())
        .map(|l| truncate(&l, TITLE_LINE + 2))
        .collect()
}

/// Positions: linked records by layer, each layer ordered by the mean
/// column of its neighbours in the layer above (the barycentre heuristic,
/// so edges stay short and rarely cross), rows wrapped at `MAX_COLS`;
/// records without links follow in a grid.
fn place(
    nodes: &[Node],
    edges: &[GraphEdge],
    layer: &BTreeMap<u32, usize>,
) -> (BTreeMap<u32, (i64, i64)>, i64, usize) {
    let mut neighbours: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for e in edges {
        neighbours.entry(e.from).or_default().push(e.to);
        neighbours.entry(e.to).or_default().push(e.from);
    }
    let mut layers_of_linked: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
    let mut isolated = Vec::new();
    for n in nodes {
        if neighbours.contains_key(&n.number) {
            layers_of_linked
                .entry(layer.get(&n.number).copied().unwrap_or(0))
                .or_default()
                .push(n.number);
        } else {
            isolated.push(n.number);
        }
    }
    let mut column: BTreeMap<u32, f64> = BTreeMap::new();
    let mut rows: Vec<Vec<u32>> = Vec::new();
    for (_, mut members) in layers_of_linked {
        let centre = |n: &u32| -> f64 {
            let placed: Vec<f64> = neighbours
                .get(n)
                .into_iter()
                .flatten()
                .filter_map(|m| column.get(m).copied())
                .collect();
            if placed.is_empty() {
                f64::MAX
            } else {
                placed.iter().sum::<f64>() / placed.len() as f64
            }
        };
        members.sort_by(|a, b| centre(a).total_cmp(&centre(b)).then(a.cmp(b)));
        for chunk in members.chunks(MAX_COLS) {
            for (col, n) in chunk.iter().enumerate() {
                column.insert(*n, col as f64);
            }
            rows.push(chunk.to_vec());
        }
    }
    for chunk in isolated.chunks(MAX_COLS) {
        rows.push(chunk.to_vec());
    }
    let mut pos = BTreeMap::new();
    let mut max_cols = 1i64;
    for (row, members) in rows.iter().enumerate() {
        max_cols = max_cols.max(members.len() as i64);
        for (col, n) in members.iter().enumerate() {
            let x = MARGIN + col as i64 * (BOX_W + GAP_X);
            let y = MARGIN + row as i64 * (BOX_H + GAP_Y);
            pos.insert(*n, (x, y));
        }
    }
    (pos, max_cols, rows.len())
}

/// Layers: a record that supersedes or amends others sits one layer below
/// the lowest of them (longest path), so the oldest decisions are on top.
fn layers(nodes: &[Node], edges: &[GraphEdge]) -> BTreeMap<u32, usize> {
    let mut layer: BTreeMap<u32, usize> = nodes.iter().map(|n| (n.number, 0)).collect();
    let layered: Vec<&GraphEdge> = edges
        .iter()
        .filter(|e| e.kind != LinkKind::RelatesTo)
        .collect();
    let cap = nodes.len();
    // Bellman-Ford style relaxation; capped so cycles terminate.
    for _ in 0..nodes.len() {
        let mut changed = false;
        for e in &layered {
            let want = (layer.get(&e.to).copied().unwrap_or(0) + 1).min(cap);
            let cur = layer.entry(e.from).or_insert(0);
            if *cur < want {
                *cur = want;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    layer
}

/// A self-contained SVG of the decision graph: longest-path layers over
/// supersede/amend edges, rounded boxes with "ADR N", a truncated title and
/// the status colour, labelled arrows. No scripts, no external references.
pub fn svg(adrs: &[Adr], dark: bool) -> String {
    let (nodes, edges) = nodes_and_edges(adrs);
    let layer = layers(&nodes, &edges);
    let (pos, max_cols, row_count) = place(&nodes, &edges, &layer);
    let width = 2 * MARGIN + max_cols * BOX_W + (max_cols - 1) * GAP_X;
    let height = 2 * MARGIN + (row_count.max(1) as i64) * (BOX_H + GAP_Y) - GAP_Y;
    let (bg, fg, line) = if dark {
        ("#111827", "#f9fafb", "#9ca3af")
    } else {
        ("#ffffff", "#111827", "#4b5563")
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" role=\"img\">"
    );
    out.push_str("<title>Decision graph</title>\n");
    let _ = writeln!(
        out,
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"{line}\"/></marker></defs>"
    );
    let _ = writeln!(out, "<rect width=\"100%\" height=\"100%\" fill=\"{bg}\"/>");
    for e in &edges {
        let (Some(&(fx, fy)), Some(&(tx, ty))) = (pos.get(&e.from), pos.get(&e.to)) else {
            continue;
        };
        let (x1, x2) = (fx + BOX_W / 2, tx + BOX_W / 2);
        let (y1, y2) = if fy > ty {
            (fy, ty + BOX_H)
        } else if fy < ty {
            (fy + BOX_H, ty)
        } else {
            (fy + BOX_H / 2, ty + BOX_H / 2)
        };
        let (x1, x2) = if fy == ty {
            if fx < tx {
                (fx + BOX_W, tx)
            } else {
                (fx, tx + BOX_W)
            }
        } else {
            (x1, x2)
        };
        let dash = match e.kind {
            LinkKind::RelatesTo => " stroke-dasharray=\"6 4\"",
            LinkKind::Amends | LinkKind::AmendedBy => " stroke-dasharray=\"2 3\"",
            _ => "",
        };
        let marker = if e.kind == LinkKind::RelatesTo {
            ""
        } else {
            " marker-end=\"url(#arrow)\""
        };
        let _ = writeln!(
            out,
            "<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" stroke=\"{line}\" stroke-width=\"1.5\"{dash}{marker}/>"
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{fg}\" text-anchor=\"middle\">{}</text>",
            (x1 + x2) / 2,
            (y1 + y2) / 2 - 4,
            edge_label(e.kind)
        );
    }
    for n in &nodes {
        let Some(&(x, y)) = pos.get(&n.number) else {
            continue;
        };
        let class = n.status.as_ref().map(status_class).unwrap_or("external");
        let (fill, stroke) = if class == "external" {
            (bg, line)
        } else {
            status_colors(class, dark)
        };
        let dash = if matches!(class, "draft" | "external") {
            " stroke-dasharray=\"4 2\""
        } else {
            ""
        };
        let _ = writeln!(out, "<g class=\"adr {class}\">");
        let _ = writeln!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{BOX_W}\" height=\"{BOX_H}\" rx=\"10\" ry=\"10\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{dash}/>"
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"13\" font-weight=\"bold\" fill=\"{fg}\">ADR {}</text>",
            x + 10,
            y + 20,
            n.number
        );
        for (i, line_text) in title_lines(&n.title).iter().enumerate() {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"12\" fill=\"{fg}\"><title>{}</title>{}</text>",
                x + 10,
                y + 38 + 15 * i as i64,
                xml_text(&one_line(&n.title)),
                xml_text(line_text)
            );
        }
        if let Some(s) = &n.status {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"{stroke}\">{}</text>",
                x + 10,
                y + BOX_H - 10,
                xml_text(&truncate(s.label(), 30))
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

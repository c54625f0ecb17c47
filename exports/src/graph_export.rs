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

/// (fill, stroke) for light and dark pictures: the app's status colours,
/// so a record looks the same in the list, the graph and an export.
fn status_colors(class: &str, dark: bool) -> (&'static str, &'static str) {
    match (class, dark) {
        ("accepted", false) => ("#e6f5ea", "#1a7f37"),
        ("accepted", true) => ("#173322", "#56d37a"),
        ("proposed", false) => ("#e6f0fc", "#0b62c6"),
        ("proposed", true) => ("#15293f", "#6cb6ff"),
        ("draft", false) => ("#efeff2", "#5c5c66"),
        ("draft", true) => ("#27272d", "#b0b0ba"),
        ("rejected", false) => ("#fcebeb", "#c4252f"),
        ("rejected", true) => ("#3a1d20", "#ff7b7b"),
        ("deprecated", false) => ("#fbf1d9", "#8a5a00"),
        ("deprecated", true) => ("#352a12", "#e3b341"),
        ("superseded", false) => ("#f1eafc", "#7a45d1"),
        ("superseded", true) => ("#2c2145", "#b794ff"),
        (_, false) => ("#e3f4f2", "#0f766e"),
        (_, true) => ("#14302d", "#4fd1c5"),
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
/// column of its neighbours in the layers above and each record put under
/// that mean where the row leaves room (the barycentre heuristic, so edges
/// stay short and rarely cross), rows wrapped at `MAX_COLS`; records
/// without links follow in a grid. Returns the positions, the picture's
/// width and the number of rows.
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
    // Columns in steps of half a box, so a record can sit between two.
    let mut column: BTreeMap<u32, f64> = BTreeMap::new();
    let mut rows: Vec<Vec<u32>> = Vec::new();
    for (_, members) in layers_of_linked {
        let mut wanted: Vec<(Option<f64>, u32)> = members
            .into_iter()
            .map(|n| {
                let placed: Vec<f64> = neighbours
                    .get(&n)
                    .into_iter()
                    .flatten()
                    .filter_map(|m| column.get(m).copied())
                    .collect();
                let mean = (!placed.is_empty()).then(|| {
                    (placed.iter().sum::<f64>() / placed.len() as f64 * 2.0).round() / 2.0
                });
                (mean, n)
            })
            .collect();
        // Records with placed neighbours by their mean, the others after.
        wanted.sort_by(|(a, m), (b, n)| match (a, b) {
            (Some(a), Some(b)) => a.total_cmp(b).then(m.cmp(n)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => m.cmp(n),
        });
        for chunk in wanted.chunks(MAX_COLS) {
            let mut next = 0.0f64;
            for (want, n) in chunk {
                let col = want.map_or(next, |w| w.max(next));
                column.insert(*n, col);
                next = col + 1.0;
            }
            rows.push(chunk.iter().map(|(_, n)| *n).collect());
        }
    }
    for chunk in isolated.chunks(MAX_COLS) {
        for (col, n) in chunk.iter().enumerate() {
            column.insert(*n, col as f64);
        }
        rows.push(chunk.to_vec());
    }
    let mut pos = BTreeMap::new();
    let mut width = 2 * MARGIN + BOX_W;
    for (row, members) in rows.iter().enumerate() {
        for n in members {
            let col = column.get(n).copied().unwrap_or(0.0);
            let x = MARGIN + (col * (BOX_W + GAP_X) as f64).round() as i64;
            let y = MARGIN + row as i64 * (BOX_H + GAP_Y);
            width = width.max(x + BOX_W + MARGIN);
            pos.insert(*n, (x, y));
        }
    }
    (pos, width, rows.len())
}

/// Layers: a record that supersedes or amends others sits one layer below
/// the lowest of them (longest path), and of two related records the newer
/// sits below the older, so the oldest decisions are on top and no link
/// runs along a row behind the records between its ends.
fn layers(nodes: &[Node], edges: &[GraphEdge]) -> BTreeMap<u32, usize> {
    // (below, above): "relates to" has no direction, so the numbers give one.
    let ordered = |e: &GraphEdge| match e.kind {
        LinkKind::RelatesTo => (e.from.max(e.to), e.from.min(e.to)),
        _ => (e.from, e.to),
    };
    let all: Vec<(u32, u32)> = edges.iter().map(ordered).collect();
    // A relation against a supersede or amend (an older record that replaces
    // a newer one it relates to) would make a cycle: then relations do not
    // place records, and a cycle among the others (imported files can hold
    // one) is cut at its lowest number.
    let mut layer = longest_paths(nodes, &all, false).unwrap_or_else(|| {
        let replacing: Vec<(u32, u32)> = edges
            .iter()
            .filter(|e| e.kind != LinkKind::RelatesTo)
            .map(ordered)
            .collect();
        longest_paths(nodes, &replacing, true).unwrap_or_default()
    });
    // A record nothing has to sit under (the oldest of its chain) moves down
    // to just above the highest record under it, so that its links span one
    // row instead of passing the rows between.
    let mut lowest_above: BTreeMap<u32, usize> = BTreeMap::new();
    let mut has_above: BTreeSet<u32> = BTreeSet::new();
    for &(below, above) in &all {
        if below != above {
            has_above.insert(below);
            let l = layer.get(&below).copied().unwrap_or(0);
            let e = lowest_above.entry(above).or_insert(l);
            *e = (*e).min(l);
        }
    }
    for (n, under) in lowest_above {
        if !has_above.contains(&n) && under > 0 {
            layer.insert(n, under - 1);
        }
    }
    layer
}

/// Each record one layer below the lowest record it must sit under (Kahn's
/// topological order, linear in records and links). A cycle gives `None`,
/// or with `cut_cycles` is opened at its lowest-numbered record.
fn longest_paths(
    nodes: &[Node],
    below_above: &[(u32, u32)],
    cut_cycles: bool,
) -> Option<BTreeMap<u32, usize>> {
    let mut layer: BTreeMap<u32, usize> = nodes.iter().map(|n| (n.number, 0)).collect();
    let mut waiting: BTreeMap<u32, usize> = BTreeMap::new();
    let mut under: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for &(below, above) in below_above {
        if below != above {
            *waiting.entry(below).or_default() += 1;
            under.entry(above).or_default().push(below);
        }
    }
    let mut ready: BTreeSet<u32> = layer
        .keys()
        .filter(|n| !waiting.contains_key(n))
        .copied()
        .collect();
    // When nothing is ready, only a cycle is left: cut it or give up.
    let next = |ready: &mut BTreeSet<u32>, waiting: &mut BTreeMap<u32, usize>| {
        ready.pop_first().or_else(|| {
            let first = *waiting.keys().next()?;
            cut_cycles.then(|| {
                waiting.remove(&first);
                first
            })
        })
    };
    while let Some(n) = next(&mut ready, &mut waiting) {
        let at = layer.get(&n).copied().unwrap_or(0);
        for b in under.remove(&n).unwrap_or_default() {
            let l = layer.entry(b).or_insert(0);
            *l = (*l).max(at + 1);
            if let Some(w) = waiting.get_mut(&b) {
                *w -= 1;
                if *w == 0 {
                    waiting.remove(&b);
                    ready.insert(b);
                }
            }
        }
    }
    waiting.is_empty().then_some(layer)
}

/// A self-contained SVG of the decision graph: longest-path layers over
/// supersede/amend edges, rounded boxes with "ADR N", a truncated title and
/// the status colour, labelled arrows. No scripts, no external references.
pub fn svg(adrs: &[Adr], dark: bool) -> String {
    let (nodes, edges) = nodes_and_edges(adrs);
    let layer = layers(&nodes, &edges);
    let (pos, width, row_count) = place(&nodes, &edges, &layer);
    let height = 2 * MARGIN + (row_count.max(1) as i64) * (BOX_H + GAP_Y) - GAP_Y;
    // Dark: the app's dark surface and text, so the picture sits in its card.
    let (bg, fg, line) = if dark {
        ("#1a1a1f", "#ececf0", "#9a9aa5")
    } else {
        ("#ffffff", "#111827", "#4b5563")
    };
    // Supersede links in the colour of a superseded record, as in the legend.
    let replaced = status_colors("superseded", dark).1;
    let arrow = |id: &str, fill: &str| {
        format!(
            "<marker id=\"{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"{fill}\"/></marker>"
        )
    };
    // Labels on a halo of the background, legible where a link crosses them.
    let label = |out: &mut String, x: i64, y: i64, kind: LinkKind| {
        let _ = writeln!(
            out,
            "<text x=\"{x}\" y=\"{y}\" font-size=\"11\" fill=\"{fg}\" stroke=\"{bg}\" stroke-width=\"4\" paint-order=\"stroke\" text-anchor=\"middle\">{}</text>",
            edge_label(kind)
        );
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" role=\"img\">"
    );
    out.push_str("<title>Decision graph</title>\n");
    let _ = writeln!(
        out,
        "<defs>{}{}</defs>",
        arrow("arrow", line),
        arrow("arrow-supersedes", replaced)
    );
    let _ = writeln!(out, "<rect width=\"100%\" height=\"100%\" fill=\"{bg}\"/>");
    for e in &edges {
        let (Some(&(fx, fy)), Some(&(tx, ty))) = (pos.get(&e.from), pos.get(&e.to)) else {
            continue;
        };
        let (x1, x2) = (fx + BOX_W / 2, tx + BOX_W / 2);
        let dash = match e.kind {
            LinkKind::RelatesTo => " stroke-dasharray=\"6 4\"",
            LinkKind::Amends | LinkKind::AmendedBy => " stroke-dasharray=\"2 3\"",
            _ => "",
        };
        let (stroke, marker) = match e.kind {
            LinkKind::RelatesTo => (line, ""),
            LinkKind::Supersedes | LinkKind::SupersededBy => {
                (replaced, " marker-end=\"url(#arrow-supersedes)\"")
            }
            _ => (line, " marker-end=\"url(#arrow)\""),
        };
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
        let _ = writeln!(
            out,
            "<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{dash}{marker}/>"
        );
        label(&mut out, (x1 + x2) / 2, (y1 + y2) / 2 + 4, e.kind);
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

//! Graph exports and sanitized HTML.

use chrono::DateTime;
use plasma_exports::{graph_export, html};
use plasma_models::{Adr, AdrDraft, AdrStatus, LinkKind};
use uuid::Uuid;

fn record(number: u32, title: &str, status: AdrStatus) -> Adr {
    let now = DateTime::from_timestamp(1_700_000_000, 0).expect("time");
    Adr::new(
        Uuid::nil(),
        number,
        AdrDraft {
            title: title.into(),
            status,
            ..Default::default()
        },
        now,
    )
}

fn sample() -> Vec<Adr> {
    let mut one = record(
        1,
        "Use <b>\"XML\"</b> & 'friends' #1 [x] {y} |z|",
        AdrStatus::Superseded,
    );
    let mut two = record(
        2,
        "Use JSON instead of XML for every single configuration file we have",
        AdrStatus::Accepted,
    );
    let mut three = record(3, "Amend JSON\u{1}", AdrStatus::Custom("on hold".into()));
    one.add_link(LinkKind::SupersededBy, 2);
    two.add_link(LinkKind::Supersedes, 1);
    three.add_link(LinkKind::Amends, 2);
    three.add_link(LinkKind::RelatesTo, 9);
    vec![one, two, three]
}

#[test]
fn mermaid_escapes_labels_and_labels_edges() {
    let m = graph_export::mermaid(&sample());
    assert!(m.starts_with("flowchart TD\n"));
    assert!(m.contains("adr2 -->|supersedes| adr1\n"), "{m}");
    assert!(m.contains("adr3 -.->|amends| adr2\n"), "{m}");
    assert!(m.contains("adr3 -.-|relates to| adr9\n"), "{m}");
    assert!(m.contains("class adr1 superseded\n") && m.contains("classDef accepted"));
    let line = m
        .lines()
        .find(|l| l.trim_start().starts_with("adr1["))
        .expect("node");
    assert_eq!(
        line.trim(),
        "adr1[\"ADR 1: Use #lt;b#gt;#quot;XML#quot;#lt;/b#gt; #amp; 'friends' #35;1 #91;x#93; #123;y#125; #124;z#124;\"]"
    );
    assert_eq!(graph_export::mermaid(&sample()), m, "deterministic");
}

#[test]
fn dot_is_accepted_by_graphviz() {
    let d = graph_export::dot(&sample());
    assert!(d.contains("adr2 -> adr1 [label=\"supersedes\"]"), "{d}");
    assert!(d.contains("\\\"XML\\\""), "{d}");
    let dot = std::path::Path::new("/usr/bin/dot");
    if !dot.exists() {
        eprintln!("graphviz not installed, skipping dot -Tsvg check");
        return;
    }
    use std::io::Write;
    let mut child = std::process::Command::new(dot)
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run dot");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(d.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("dot output");
    assert!(
        out.status.success(),
        "dot rejected:\n{d}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
}

#[test]
fn svg_is_well_formed_escaped_and_layered() {
    for dark in [false, true] {
        let s = graph_export::svg(&sample(), dark);
        let doc = roxmltree::Document::parse(&s).unwrap_or_else(|e| panic!("{e}\n{s}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert!(!doc.descendants().any(|n| n.tag_name().name() == "script"));
        assert!(!doc
            .descendants()
            .any(|n| n.attributes().any(|a| a.name().starts_with("on"))));
        assert!(!s.contains("<b>"), "title must be escaped");
        let texts: Vec<String> = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "text")
            .map(|n| {
                n.descendants()
                    .filter(|t| t.is_text() && t.parent() == Some(n))
                    .filter_map(|t| t.text())
                    .collect()
            })
            .collect();
        assert!(texts.iter().any(|t| t == "ADR 1"), "{texts:?}");
        assert!(texts.iter().any(|t| t == "supersedes"));
        assert!(
            texts.iter().any(|t| t.ends_with('…')),
            "long titles truncated: {texts:?}"
        );
        // Layers: 1 (superseded) above 2 above 3 (amends 2).
        let y = |n: u32| -> f64 {
            let label = format!("ADR {n}");
            let t = doc
                .descendants()
                .find(|x| x.tag_name().name() == "text" && x.text() == Some(label.as_str()))
                .expect("node text");
            t.attribute("y").and_then(|v| v.parse().ok()).expect("y")
        };
        assert!(y(1) < y(2) && y(2) < y(3), "{s}");
        let bg = if dark { "#1a1a1f" } else { "#ffffff" };
        assert!(s.contains(bg));
    }
    // Cycles (imported data) terminate.
    let mut a = record(1, "A", AdrStatus::Accepted);
    let mut b = record(2, "B", AdrStatus::Accepted);
    a.add_link(LinkKind::Supersedes, 2);
    b.add_link(LinkKind::Supersedes, 1);
    assert!(roxmltree::Document::parse(&graph_export::svg(&[a, b], false)).is_ok());
    assert!(roxmltree::Document::parse(&graph_export::svg(&[], false)).is_ok());
}

#[test]
fn html_is_sanitized() {
    let md = "# Hi\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](data:text/html,hi) [ok](https://example.com)\n\n<img src=x onerror=alert(1)>\n\n<iframe src=\"https://e\"></iframe><object></object><style>p{}</style>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~\n\n- [x] done\n\n```rust\nfn main() {}\n```\n";
    let h = html::render_markdown(md);
    for bad in [
        "<script",
        "onerror",
        "javascript:",
        "data:text",
        "<iframe",
        "<object",
        "<style",
    ] {
        assert!(!h.contains(bad), "{bad} in {h}");
    }
    assert!(
        h.contains("<a href=\"https://example.com\" rel=\"noopener noreferrer\">ok</a>"),
        "{h}"
    );
    assert!(
        h.contains("<table>") && h.contains("<del>gone</del>"),
        "{h}"
    );
    assert!(h.contains("type=\"checkbox\""), "{h}");
    assert!(h.contains("class=\"language-rust\""), "{h}");
    assert!(h.contains("<h1>Hi</h1>"));
}

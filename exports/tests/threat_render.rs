//! Threat-model rendering: Markdown report, CSV, SVG, Mermaid, DOT, and the
//! automatic layout. Golden files in `tests/golden/threat/`; regenerate them
//! with `PLASMA_UPDATE_GOLDEN=1 cargo test -p plasma-exports --test threat_render`.

mod common;

use chrono::NaiveDate;
use plasma_exports::threat::{diagram, otm, otm_export, report, threat_dragon};
use plasma_models::threat::{
    Because, Classification, DataAsset, DataTag, Diagram, Element, ElementKind, Flow, Mitigation,
    MitigationStatus, Point, Rating, Rect, Severity, Stride, Threat, ThreatModel, ThreatStatus,
    ThreatTarget, TrustBoundary,
};
use uuid::Uuid;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0000 + n)
}

fn rect(x: f64, y: f64, w: f64, h: f64) -> Rect {
    Rect {
        x,
        y,
        width: w,
        height: h,
    }
}

/// A small shop: a customer outside, an API and a worker in a cloud
/// boundary, a database in a nested "data" boundary, and a queue without a
/// position (laid out automatically).
fn fixture() -> ThreatModel {
    let mut m = ThreatModel::new(id(1), "Shop <checkout> & \"payments\"");
    m.id = id(2);
    m.description = "Checkout for the web shop.\nCovers the API and its data.".into();
    m.repositories = vec!["shop-api".into(), "shop-infra".into()];

    let mut d = Diagram::new("Checkout | main");
    d.id = id(3);
    let mut cloud = TrustBoundary::new("Cloud \"prod\"", None);
    cloud.id = id(10);
    cloud.position = Some(rect(260.0, 20.0, 620.0, 400.0));
    let mut data = TrustBoundary::new("Data #1", Some(cloud.id));
    data.id = id(11);
    data.position = Some(rect(560.0, 200.0, 280.0, 180.0));
    let mut line = TrustBoundary::new("Legacy line", None);
    line.id = id(12);

    let mut customer = Element::new(ElementKind::ExternalEntity, "Customer");
    customer.id = id(20);
    customer.position = Some(rect(40.0, 120.0, 160.0, 80.0));
    let mut api = Element::new(ElementKind::Process, "Checkout\nAPI");
    api.id = id(21);
    api.boundary = Some(cloud.id);
    api.position = Some(rect(320.0, 110.0, 110.0, 110.0));
    api.props.web_application = true;
    let mut db = Element::new(ElementKind::DataStore, "Orders <db>");
    db.id = id(22);
    db.boundary = Some(data.id);
    db.position = Some(rect(620.0, 260.0, 160.0, 80.0));
    let mut queue = Element::new(ElementKind::DataStore, "Queue, \"jobs\"");
    queue.id = id(23);
    queue.boundary = Some(cloud.id);
    let mut worker = Element::new(ElementKind::Process, "=Worker");
    worker.id = id(24);
    worker.boundary = Some(cloud.id);
    worker.position = Some(rect(620.0, 60.0, 100.0, 100.0));

    let mut f1 = Flow::new("order", customer.id, api.id);
    f1.id = id(30);
    f1.protocol = "https".into();
    f1.crosses_public_network = true;
    f1.encrypted_in_transit = true;
    f1.points = vec![Point { x: 260.0, y: 140.0 }];
    let mut f2 = Flow::new("store order", api.id, db.id);
    f2.id = id(31);
    f2.protocol = "sql".into();
    f2.bidirectional = true;
    let mut f3 = Flow::new("enqueue", api.id, queue.id);
    f3.id = id(32);
    let mut f4 = Flow::new("", queue.id, worker.id);
    f4.id = id(33);

    let mut card = DataAsset::new("Card | number", Classification::Restricted);
    card.id = id(40);
    card.tags = vec![DataTag::Pci];
    card.retention = Some("until the order ships".into());
    card.confidentiality = Rating::High;
    f1.data = vec![card.id];

    d.boundaries = vec![cloud, data, line];
    d.elements = vec![customer, api, db, queue, worker];
    d.flows = vec![f1, f2, f3, f4];
    m.diagrams = vec![d];
    m.data_assets = vec![card];

    let mut t1 = Threat::manual(
        "Spoofed customer session",
        Stride::Spoofing,
        ThreatTarget::Flow(id(30)),
        Rating::High,
        Rating::High,
    );
    t1.id = id(50);
    t1.rule_id = Some("S-001".into());
    t1.description = "An attacker replays a *session* token <script>alert(1)</script>.".into();
    t1.rationale = vec![
        Because::new("crosses_public_network", "true"),
        Because::new("authenticated", "false"),
    ];
    t1.mitigations = vec![Mitigation {
        id: id(51),
        title: "Bind sessions to device, rotate tokens".into(),
        status: MitigationStatus::InProgress,
        owner: Some("Ada".into()),
    }];
    t1.linked_adrs = vec![7, 12];
    t1.references = vec!["CWE-384".into(), "CAPEC-593".into()];
    let mut t2 = Threat::manual(
        "SQL injection",
        Stride::Tampering,
        ThreatTarget::Element(id(21)),
        Rating::Medium,
        Rating::High,
    );
    t2.id = id(52);
    t2.status = ThreatStatus::Mitigated;
    t2.mitigations = vec![Mitigation {
        id: id(53),
        title: "Parameterised queries".into(),
        status: MitigationStatus::Done,
        owner: None,
    }];
    let mut t3 = Threat::manual(
        "Queue flooding",
        Stride::DenialOfService,
        ThreatTarget::Element(id(23)),
        Rating::Low,
        Rating::Medium,
    );
    t3.id = id(54);
    t3.status = ThreatStatus::Accepted {
        justification: "Rate limits upstream; revisit, \"Q3\"".into(),
        expires: NaiveDate::from_ymd_opt(2026, 6, 30).expect("date"),
    };
    let mut t4 = Threat::manual(
        "Order data disclosure",
        Stride::InformationDisclosure,
        ThreatTarget::Element(id(22)),
        Rating::Medium,
        Rating::Medium,
    );
    t4.id = id(55);
    t4.severity_override = Some(Severity::Critical);
    let mut t5 = Threat::manual(
        "Old repudiation finding",
        Stride::Repudiation,
        ThreatTarget::Element(id(21)),
        Rating::Low,
        Rating::Low,
    );
    t5.id = id(56);
    t5.rule_id = Some("R-002".into());
    t5.obsolete = true;
    let mut t6 = Threat::manual(
        "Worker runs as root",
        Stride::ElevationOfPrivilege,
        ThreatTarget::Element(id(24)),
        Rating::High,
        Rating::Medium,
    );
    t6.id = id(57);
    m.threats = vec![t1, t2, t3, t4, t5, t6];
    m
}

fn check_golden(name: &str, actual: &str) {
    common::check_golden("threat", name, actual);
}

#[test]
fn golden_report() {
    check_golden("report.md", &report::markdown(&fixture()));
}

#[test]
fn golden_csv() {
    check_golden("threats.csv", &report::threats_csv(&fixture()));
}

#[test]
fn golden_svg() {
    check_golden("diagram.svg", &diagram::svg(&fixture(), 0));
}

#[test]
fn golden_mermaid() {
    check_golden("diagram.mmd", &diagram::mermaid(&fixture(), 0));
}

#[test]
fn golden_dot() {
    check_golden("diagram.dot", &diagram::dot(&fixture(), 0));
}

#[test]
fn golden_threat_dragon() {
    check_golden("model.td.json", &threat_dragon::export(&fixture()));
}

#[test]
fn report_has_every_section() {
    let md = report::markdown(&fixture());
    for needle in [
        "# Threat model: Shop &lt;checkout&gt; &amp; \"payments\"",
        "- **Repositories:** shop-api, shop-infra",
        "### By STRIDE category",
        "### By severity",
        "| critical | 2 | 0 | 0 | 0 | 0 | 2 |",
        "because crosses\\_public\\_network is true, and authenticated is false",
        "Bind sessions to device, rotate tokens (in progress, owner Ada)",
        "ADR-0007, ADR-0012",
        "## Accepted risks",
        "| 2026-06-30 |",
        "## Obsolete threats",
        "Old repudiation finding",
        "```mermaid\nflowchart LR\n",
        "&lt;script>",
    ] {
        assert!(md.contains(needle), "missing {needle:?} in\n{md}");
    }
    assert!(!md.contains("<script>"));
    // The obsolete threat is not counted in the summary.
    assert!(
        md.contains("| Repudiation | 0 | 0 | 0 | 0 | 0 | 0 |"),
        "{md}"
    );
}

/// An imported description with headings of its own (Threat Composer's
/// `## Summary`, `## Goal`) sits under the report's title, below the
/// report's own sections; fenced code and block quotes keep their text.
#[test]
fn report_moves_description_headings_under_its_own() {
    let mut m = fixture();
    m.description = "Intro.\n\n## Goal\n\nHelp.\n\n## Summary\n\n> Quoted.\n\n```sh\n# a shell comment\n```\n\n###### Deep\n".into();
    m.threats[0].description = "# Attack tree\nSteps.".into();
    let md = report::markdown(&m);
    assert_eq!(md.lines().filter(|l| *l == "## Summary").count(), 1, "{md}");
    for needle in [
        "### Goal\n",
        "### Summary\n",
        "\n> Quoted.\n",
        "```sh\n# a shell comment\n```",
        // Six levels is the most Markdown has.
        "\n**Deep**\n",
        "\n##### Attack tree\nSteps.",
    ] {
        assert!(md.contains(needle), "missing {needle:?} in\n{md}");
    }
}

#[test]
fn report_scores_cvss_31_and_40_vectors() {
    let mut m = fixture();
    m.threats[0].cvss =
        Some("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P".into());
    m.threats[1].cvss = Some("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N".into());
    // An imported vector is kept as written even when it cannot be scored.
    m.threats[2].cvss = Some("CVSS:4.0/AV:N".into());
    let md = report::markdown(&m);
    for needle in [
        "- **CVSS:** `CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P` (8.9 high, CVSS 4.0)",
        "- **CVSS:** `CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N` (6.1 medium, CVSS 3.1)",
        "- **CVSS:** `CVSS:4.0/AV:N` (not scored: base metric AC is missing)",
    ] {
        assert!(md.contains(needle), "missing {needle:?} in\n{md}");
    }
}

#[test]
fn csv_parses_back_one_row_per_threat() {
    let model = fixture();
    let text = report::threats_csv(&model);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "id",
            "target_type",
            "target",
            "category",
            "title",
            "severity",
            "status",
            "mitigations",
            "references"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), model.threats.len());
    assert_eq!(&rows[0][0], id(50).to_string().as_str());
    assert_eq!(&rows[0][2], "order");
    assert_eq!(
        &rows[0][7],
        "Bind sessions to device, rotate tokens (in progress)"
    );
    assert_eq!(&rows[0][8], "CWE-384; CAPEC-593");
    assert_eq!(&rows[2][2], "Queue, \"jobs\"");
    assert_eq!(&rows[3][5], "critical");
    assert_eq!(&rows[4][6], "open (obsolete)");
    // A name a spreadsheet would run as a formula is defused.
    assert_eq!(&rows[5][2], "'=Worker");
}

fn assert_valid_svg(svg: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(svg).expect("SVG is well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    for n in doc.descendants() {
        assert_ne!(n.tag_name().name(), "script");
        assert_ne!(n.tag_name().name(), "foreignObject");
        for a in n.attributes() {
            assert!(
                !a.name().starts_with("on"),
                "event handler attribute {}",
                a.name()
            );
            assert!(!a.value().contains("javascript:"));
        }
    }
    doc
}

#[test]
fn svg_draws_every_shape_with_badges_and_escaped_text() {
    let model = fixture();
    let svg = diagram::svg(&model, 0);
    let doc = assert_valid_svg(&svg);
    let class_count = |class: &str| {
        doc.descendants()
            .filter(|n| {
                n.attribute("class")
                    .is_some_and(|c| c.split(' ').any(|x| x == class))
            })
            .count()
    };
    assert_eq!(class_count("element"), 5);
    assert_eq!(class_count("process"), 2);
    assert_eq!(class_count("data_store"), 2);
    assert_eq!(class_count("external_entity"), 1);
    assert_eq!(class_count("flow"), 4);
    // Flows not encrypted in transit are amber with an amber arrow; the key
    // under the drawing says so.
    let plain = model.diagrams[0]
        .flows
        .iter()
        .filter(|f| !f.encrypted_in_transit)
        .count();
    assert!(plain > 0 && plain < 4);
    assert_eq!(class_count("plain"), plain);
    for n in doc.descendants().filter(|n| {
        n.attribute("class")
            .is_some_and(|c| c.split(' ').any(|x| x == "plain"))
    }) {
        let line = n.first_element_child().unwrap();
        assert_eq!(line.attribute("stroke"), Some("#c27803"));
        assert_eq!(line.attribute("marker-end"), Some("url(#arrow-plain)"));
    }
    assert_eq!(class_count("key"), 1);
    assert!(doc
        .descendants()
        .any(|n| n.text() == Some("Plain-text flow")));
    // The boundary line has no box; the other two do.
    assert_eq!(class_count("boundary"), 2);
    // Open threats: the flow "order", the queue? (accepted: no), the db, the worker.
    assert_eq!(class_count("badge"), 3);
    assert!(doc.descendants().any(|n| n.text() == Some("Orders <db>")));
    assert_eq!(svg, diagram::svg(&model, 0), "deterministic");
    // A missing diagram is still a valid picture.
    assert_valid_svg(&diagram::svg(&model, 9));
}

/// Two flows crossing at their middles, and a third whose middle is under
/// an element: every label is drawn apart from the others and off the
/// elements (estimated at 6.2 px a character, 11 px high).
#[test]
fn svg_flow_labels_avoid_each_other_and_the_elements() {
    let mut m = ThreatModel::new(id(1), "Crossing");
    let mut d = Diagram::new("Main");
    let mut at = |n: u128, x: f64, y: f64| {
        let mut e = Element::new(ElementKind::ExternalEntity, format!("E{n}"));
        e.id = id(n);
        e.position = Some(rect(x, y, 100.0, 50.0));
        d.elements.push(e);
        id(n)
    };
    let (a, b, c, e) = (
        at(1, 0.0, 0.0),
        at(2, 400.0, 400.0),
        at(3, 400.0, 0.0),
        at(4, 0.0, 400.0),
    );
    // Right in the middle of the third flow.
    at(5, 650.0, 175.0);
    let far = at(6, 900.0, 175.0);
    let near = at(7, 400.0, 175.0);
    for (n, (s, t)) in [(a, b), (c, e), (near, far)].into_iter().enumerate() {
        let mut f = Flow::new(format!("flow number {n}"), s, t);
        f.id = id(100 + n as u128);
        f.protocol = "https".into();
        d.flows.push(f);
    }
    m.diagrams.push(d);
    let svg = diagram::svg(&m, 0);
    let doc = assert_valid_svg(&svg);
    let labels: Vec<Rect> = doc
        .descendants()
        .filter(|n| {
            n.tag_name().name() == "text" && n.text().is_some_and(|t| t.starts_with("flow number"))
        })
        .map(|n| {
            let x: f64 = n.attribute("x").unwrap().parse().unwrap();
            let y: f64 = n.attribute("y").unwrap().parse().unwrap();
            let half = n.text().unwrap().chars().count() as f64 * 3.1;
            rect(x - half, y - 11.0, 2.0 * half, 11.0)
        })
        .collect();
    assert_eq!(labels.len(), 3, "{svg}");
    let apart = |p: &Rect, q: &Rect| {
        p.x + p.width <= q.x
            || q.x + q.width <= p.x
            || p.y + p.height <= q.y
            || q.y + q.height <= p.y
    };
    for (i, p) in labels.iter().enumerate() {
        for q in &labels[i + 1..] {
            assert!(apart(p, q), "labels overlap: {p:?} {q:?}\n{svg}");
        }
        for e in &m.diagrams[0].elements {
            let r = e.position.unwrap();
            assert!(apart(p, &r), "label {p:?} under {}\n{svg}", e.name);
        }
    }
}

#[test]
fn mermaid_is_a_flowchart_with_subgraphs_and_escaped_labels() {
    let text = diagram::mermaid(&fixture(), 0);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "flowchart LR");
    let opens = lines
        .iter()
        .filter(|l| l.trim_start().starts_with("subgraph "))
        .count();
    let ends = lines.iter().filter(|l| l.trim() == "end").count();
    assert_eq!(opens, 2);
    assert_eq!(opens, ends);
    assert!(
        text.contains("subgraph b0[\"Cloud #quot;prod#quot;\"]"),
        "{text}"
    );
    assert!(text.contains("subgraph b1[\"Data #35;1\"]"), "{text}");
    assert!(
        text.contains("e2[(\"Orders #lt;db#gt;<br/>(1 open threat)\")]"),
        "{text}"
    );
    assert!(text.contains("e1((\"Checkout<br/>API\"))"), "{text}");
    assert!(text.contains("e1 <-->|\"store order (sql)\"| e2"), "{text}");
    // Links are numbered in the order written: the plain-text ones (every
    // flow but the first, "order" over https) are amber.
    let links: Vec<&&str> = lines.iter().filter(|l| l.contains("-->")).collect();
    assert!(links[0].contains("order (https)"), "{text}");
    let plain: Vec<String> = (1..links.len()).map(|i| i.to_string()).collect();
    assert!(
        text.contains(&format!("  linkStyle {} stroke:#c27803\n", plain.join(","))),
        "{text}"
    );
    // Nested: the data boundary opens inside the cloud boundary.
    let cloud = lines
        .iter()
        .position(|l| l.contains("subgraph b0"))
        .expect("b0");
    let data = lines
        .iter()
        .position(|l| l.contains("subgraph b1"))
        .expect("b1");
    let first_end = lines.iter().position(|l| l.trim() == "end").expect("end");
    assert!(cloud < data && data < first_end);
    // Every label is quoted and has no raw quote inside.
    for l in &lines {
        if let Some(start) = l.find("[\"") {
            let inner = &l[start + 2..l.rfind('"').expect("closing quote")];
            assert!(!inner.contains('"'), "{l}");
        }
    }
}

#[test]
fn dot_has_clusters_and_escaped_labels() {
    let text = diagram::dot(&fixture(), 0);
    assert!(text.starts_with("digraph \"Checkout | main\" {"));
    assert!(text.contains("subgraph cluster_b0 {"));
    assert!(text.contains("label=\"Cloud \\\"prod\\\"\""), "{text}");
    // Not encrypted in transit: amber, as in the app.
    assert!(
        text.contains("e1 -> e2 [label=\"store order (sql)\", dir=both, color=\"#c27803\"];"),
        "{text}"
    );
    assert!(text.contains("[label=\"order (https)\"];"), "{text}");
    assert_eq!(text.matches('{').count(), text.matches('}').count());
}

#[test]
fn auto_layout_keeps_positions_and_encloses_members() {
    let mut d = fixture().diagrams.remove(0);
    let before: Vec<Option<Rect>> = d.elements.iter().map(|e| e.position).collect();
    diagram::auto_layout(&mut d);
    for (e, b) in d.elements.iter().zip(&before) {
        assert!(e.position.is_some());
        if b.is_some() {
            assert_eq!(&e.position, b, "{} keeps its position", e.name);
        }
    }
    let inside = |o: Rect, i: Rect| {
        i.x >= o.x
            && i.y >= o.y
            && i.x + i.width <= o.x + o.width
            && i.y + i.height <= o.y + o.height
    };
    // The queue was placed; the cloud grew to hold it.
    let cloud = d.boundaries[0].position.expect("cloud");
    let queue = d.elements[3].position.expect("queue");
    assert!(inside(cloud, queue));
    assert!(inside(cloud, d.boundaries[1].position.expect("data")));
    // The line boundary stays a line.
    assert_eq!(d.boundaries[2].position, None);
    let again = {
        let mut x = d.clone();
        diagram::auto_layout(&mut x);
        x
    };
    assert_eq!(again, d, "layout is idempotent");
}

#[test]
fn auto_layout_of_an_unplaced_model_nests_boundaries() {
    let mut m = fixture();
    let d = &mut m.diagrams[0];
    for e in &mut d.elements {
        e.position = None;
    }
    for b in &mut d.boundaries {
        b.position = None;
    }
    diagram::auto_layout(d);
    let inside = |o: Rect, i: Rect| {
        i.x >= o.x
            && i.y >= o.y
            && i.x + i.width <= o.x + o.width
            && i.y + i.height <= o.y + o.height
    };
    let overlap = |a: Rect, b: Rect| {
        a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
    };
    let cloud = d.boundaries[0].position.expect("cloud");
    let data = d.boundaries[1].position.expect("data");
    assert!(inside(cloud, data));
    for e in &d.elements {
        let r = e.position.expect("placed");
        match e.boundary {
            Some(b) if b == d.boundaries[0].id => assert!(inside(cloud, r) && !overlap(data, r)),
            Some(_) => assert!(inside(data, r)),
            None => assert!(!overlap(cloud, r)),
        }
    }
    for (i, a) in d.elements.iter().enumerate() {
        for b in &d.elements[i + 1..] {
            assert!(
                !overlap(a.position.expect("a"), b.position.expect("b")),
                "{} overlaps {}",
                a.name,
                b.name
            );
        }
    }
    // Left to right along the flows: customer before the API before the db.
    let x = |i: usize| d.elements[i].position.expect("p").x;
    assert!(x(0) < x(1) && x(1) < x(2));
}

#[test]
fn five_thousand_elements_render() {
    let mut m = ThreatModel::new(id(1), "big");
    let mut d = Diagram::new("big");
    let mut boundaries = vec![];
    for b in 0..50u128 {
        let mut tb = TrustBoundary::new(
            format!("zone {b}"),
            boundaries
                .last()
                .map(|x: &TrustBoundary| x.id)
                .filter(|_| b % 5 != 0),
        );
        tb.id = id(1_000_000 + b);
        boundaries.push(tb);
    }
    for i in 0..5000u128 {
        let kind = match i % 3 {
            0 => ElementKind::Process,
            1 => ElementKind::DataStore,
            _ => ElementKind::ExternalEntity,
        };
        let mut e = Element::new(kind, format!("element {i}"));
        e.id = id(10_000 + i);
        e.boundary = Some(boundaries[(i % 50) as usize].id).filter(|_| i % 7 != 0);
        d.elements.push(e);
        if i > 0 {
            let mut f = Flow::new(format!("f{i}"), id(10_000 + i - 1), id(10_000 + i));
            f.id = id(100_000 + i);
            d.flows.push(f);
            if i % 10 == 0 {
                let mut back = Flow::new("back", id(10_000 + i), id(10_000 + i / 2));
                back.id = id(200_000 + i);
                d.flows.push(back);
            }
        }
        if i % 4 == 0 {
            m.threats.push(Threat::manual(
                "t",
                Stride::Tampering,
                ThreatTarget::Element(id(10_000 + i)),
                Rating::High,
                Rating::High,
            ));
        }
    }
    d.boundaries = boundaries;
    m.diagrams.push(d);
    let svg = diagram::svg(&m, 0);
    assert_valid_svg(&svg);
    assert!(diagram::mermaid(&m, 0).lines().count() > 5000);
    assert!(diagram::dot(&m, 0).lines().count() > 5000);
    assert!(report::markdown(&m).contains("element 4999"));
    assert_eq!(report::threats_csv(&m).lines().count(), 1251);
    let mut laid = m.diagrams[0].clone();
    diagram::auto_layout(&mut laid);
    assert!(laid.elements.iter().all(|e| e.position.is_some()));
}

/// A flow whose middle lies on a boundary's title, between elements with
/// open-threat badges: the label goes where it covers neither the title nor
/// a badge, and flow labels (with their badges) are painted after every
/// element, so a label that cannot find a free place is never hidden under
/// a shape.
#[test]
fn svg_flow_labels_avoid_boundary_titles_and_badges_and_are_painted_last() {
    let mut m = ThreatModel::new(id(1), "Titles");
    let mut d = Diagram::new("Main");
    let mut zone = TrustBoundary::new("Restricted data zone", None);
    zone.id = id(10);
    zone.position = Some(rect(200.0, 40.0, 400.0, 200.0));
    let mut a = Element::new(ElementKind::ExternalEntity, "A");
    a.id = id(20);
    a.position = Some(rect(0.0, 40.0, 100.0, 50.0));
    let mut b = Element::new(ElementKind::ExternalEntity, "B");
    b.id = id(21);
    b.boundary = Some(zone.id);
    b.position = Some(rect(500.0, 40.0, 100.0, 50.0));
    let mut f = Flow::new("link", a.id, b.id);
    f.id = id(30);
    f.protocol = "https".into();
    for (n, target) in [
        (50, ThreatTarget::Element(a.id)),
        (51, ThreatTarget::Element(b.id)),
        (52, ThreatTarget::Flow(f.id)),
    ] {
        let mut t = Threat::manual(
            "open",
            Stride::Tampering,
            target,
            Rating::High,
            Rating::High,
        );
        t.id = id(n);
        m.threats.push(t);
    }
    d.boundaries.push(zone);
    d.elements.extend([a, b]);
    d.flows.push(f);
    m.diagrams.push(d);
    let svg = diagram::svg(&m, 0);
    let doc = assert_valid_svg(&svg);
    let label = doc
        .descendants()
        .find(|n| n.tag_name().name() == "text" && n.text() == Some("link (https)"))
        .expect("the flow's label");
    let x: f64 = label.attribute("x").unwrap().parse().unwrap();
    let y: f64 = label.attribute("y").unwrap().parse().unwrap();
    let half = "link (https)".len() as f64 * 3.1;
    let boxed = rect(x - half, y - 11.0, 2.0 * half, 11.0);
    let apart = |p: &Rect, q: &Rect| {
        p.x + p.width <= q.x
            || q.x + q.width <= p.x
            || p.y + p.height <= q.y
            || q.y + q.height <= p.y
    };
    // The title, bold 12 px, from x + 8 with its baseline 16 px down.
    let title = rect(208.0, 44.0, "Restricted data zone".len() as f64 * 7.4, 16.0);
    assert!(apart(&boxed, &title), "label {boxed:?} on the title\n{svg}");
    for (cx, cy) in [(96.0, 44.0), (596.0, 44.0)] {
        assert!(
            apart(&boxed, &rect(cx - 11.0, cy - 11.0, 22.0, 22.0)),
            "label {boxed:?} on the badge at {cx},{cy}\n{svg}"
        );
    }
    // Painted after the elements: the label's group follows every element's.
    let order: Vec<String> = doc
        .descendants()
        .filter_map(|n| n.attribute("class").map(str::to_string))
        .collect();
    let last_element = order
        .iter()
        .rposition(|c| c.starts_with("element"))
        .unwrap();
    let label_group = order.iter().position(|c| c == "flow-label").unwrap();
    assert!(last_element < label_group, "{order:?}");
    // The flow's badge is in the label's group.
    let group = label.parent().unwrap();
    assert!(group
        .descendants()
        .any(|n| n.attribute("class") == Some("badge")));
}

/// Automatic layout leaves room between two rank columns for the label of
/// a flow between them: a long label ("Payment Service Traffic (https)",
/// about 190 px) widens that gap and only that one; short labels keep the
/// usual gap. Before, every gap was 90 px and such labels could only sit on
/// the elements and on each other.
#[test]
fn auto_layout_widens_a_rank_gap_for_the_labels_of_the_flows_across_it() {
    let mut d = Diagram::new("Chain");
    let mut add = |n: u128, name: &str| {
        let mut e = Element::new(ElementKind::Process, name);
        e.id = id(n);
        d.elements.push(e);
        id(n)
    };
    let (a, b, c) = (add(1, "A"), add(2, "B"), add(3, "C"));
    let mut long = Flow::new("Payment Service Traffic", a, b);
    long.id = id(10);
    long.protocol = "https".into();
    let mut short = Flow::new("ok", b, c);
    short.id = id(11);
    d.flows.extend([long, short]);
    diagram::auto_layout(&mut d);
    let r = |n: usize| d.elements[n].position.unwrap();
    let gap = |l: usize, rt: usize| r(rt).x - (r(l).x + r(l).width);
    let label = "Payment Service Traffic (https)".len() as f64 * 6.2;
    assert!(
        gap(0, 1) >= label + 20.0,
        "gap {} for a {label} px label",
        gap(0, 1)
    );
    assert!((gap(1, 2) - 90.0).abs() < 1e-9, "gap {}", gap(1, 2));
    // The label then fits between the two elements, clear of both.
    let mut m = ThreatModel::new(id(50), "Chain");
    m.diagrams.push(d);
    let svg = diagram::svg(&m, 0);
    let doc = assert_valid_svg(&svg);
    let text = doc
        .descendants()
        .find(|n| n.text() == Some("Payment Service Traffic (https)"))
        .unwrap();
    let x: f64 = text.attribute("x").unwrap().parse().unwrap();
    let (ra, rb) = (
        m.diagrams[0].elements[0].position.unwrap(),
        m.diagrams[0].elements[1].position.unwrap(),
    );
    assert!(
        x - label / 2.0 >= ra.x + ra.width && x + label / 2.0 <= rb.x,
        "{svg}"
    );
}

/// A flow named after its protocol ("HTTPS" over https, as the Threat
/// Modeling Tool names flows after their stencil) is labelled once, in the
/// SVG, Mermaid and DOT alike; a name that does not say the protocol still
/// gets it in parentheses, and a protocol word inside a longer word
/// ("HTTPSProxy") does not count.
#[test]
fn a_flow_named_after_its_protocol_is_not_labelled_twice() {
    let mut m = ThreatModel::new(id(1), "Labels");
    let mut d = Diagram::new("Main");
    let mut at = |n: u128, x: f64| {
        let mut e = Element::new(ElementKind::ExternalEntity, format!("E{n}"));
        e.id = id(n);
        e.position = Some(rect(x, 0.0, 100.0, 50.0));
        d.elements.push(e);
        id(n)
    };
    let (a, b) = (at(1, 0.0), at(2, 600.0));
    for (n, name, protocol) in [
        (10, "HTTPS", "https"),
        (11, "Call over HTTPS", "https"),
        (12, "HTTPSProxy", "https"),
        (13, "Query", "jdbc-encrypted"),
        (14, "Backup (jdbc-encrypted)", "jdbc-encrypted"),
    ] {
        let mut f = Flow::new(name, a, b);
        f.id = id(n);
        f.protocol = protocol.into();
        d.flows.push(f);
    }
    m.diagrams.push(d);
    let svg = diagram::svg(&m, 0);
    let doc = assert_valid_svg(&svg);
    let labels: Vec<&str> = doc
        .descendants()
        .filter(|n| {
            n.parent()
                .and_then(|p| p.attribute("class"))
                .is_some_and(|c| c.starts_with("flow-label"))
                && n.tag_name().name() == "text"
        })
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        labels,
        [
            "HTTPS",
            "Call over HTTPS",
            "HTTPSProxy (https)",
            "Query (jdbc-encrypted)",
            "Backup (jdbc-encrypted)"
        ],
        "{svg}"
    );
    let mermaid = diagram::mermaid(&m, 0);
    assert!(mermaid.contains("|\"HTTPS\"|"), "{mermaid}");
    assert!(!mermaid.contains("HTTPS (https)"), "{mermaid}");
    let dot = diagram::dot(&m, 0);
    assert!(dot.contains("e0 -> e1 [label=\"HTTPS\","), "{dot}");
}

#[test]
fn a_boundary_line_is_drawn_through_its_points_with_its_name() {
    let mut m = fixture();
    let mut line = TrustBoundary::new("Internet <edge>", None);
    line.line = vec![
        Point { x: 10.0, y: -80.0 },
        Point { x: 60.0, y: 40.0 },
        Point { x: 10.0, y: 700.0 },
    ];
    let line_id = line.id;
    m.diagrams[0].boundaries.push(line);
    let svg = diagram::svg(&m, 0);
    let drawn = svg
        .lines()
        .find(|l| l.contains(&format!("id=\"b-{line_id}\"")))
        .expect("the line is drawn");
    assert!(
        drawn.contains("class=\"boundary boundary-line\""),
        "{drawn}"
    );
    assert!(drawn.contains("points=\"10,-80 60,40 10,700\""), "{drawn}");
    assert!(drawn.contains("Internet &lt;edge&gt;"), "{drawn}");
    // The picture grows to hold the whole line: the translation moves its
    // top (y = -80) inside the margin.
    assert!(
        svg.contains("translate(30,110)") || svg.contains(",110)"),
        "{}",
        &svg[..400]
    );
    // Mermaid has no lines: a comment says where it is drawn, no empty box.
    let mermaid = diagram::mermaid(&m, 0);
    assert!(
        mermaid.contains("%% trust boundary Internet #lt;edge#gt; is drawn as a line"),
        "{mermaid}"
    );
    assert!(!diagram::dot(&m, 0).contains("Internet"));
}

#[test]
fn golden_open_threat_model() {
    check_golden("model.otm.json", &otm_export::export(&fixture()));
}

/// Our OTM, read by our OTM import: the same structure, places, data,
/// current threats and mitigations.
#[test]
fn open_threat_model_export_reads_back() {
    let mut m = fixture();
    // The import keeps positions only when every component has one.
    m.diagrams[0].elements[3].position = Some(rect(320.0, 300.0, 120.0, 60.0));
    let back = otm::import(&otm_export::export(&m), id(1)).expect("import our OTM");
    let (d, b) = (&m.diagrams[0], &back.diagrams[0]);
    let zone_of = |d: &Diagram, e: &Element| {
        e.boundary
            .and_then(|z| d.boundary(z))
            .map(|z| z.name.clone())
    };
    for e in &d.elements {
        let got = b
            .elements
            .iter()
            .find(|x| x.name == e.name)
            .unwrap_or_else(|| panic!("{} is missing", e.name));
        assert_eq!(got.kind, e.kind, "{}", e.name);
        assert_eq!(got.position, e.position, "{}", e.name);
        assert_eq!(zone_of(b, got), zone_of(d, e), "{}", e.name);
    }
    let api = b
        .elements
        .iter()
        .find(|e| e.name == "Checkout\nAPI")
        .expect("api");
    assert!(
        api.props.web_application && api.props.tags.is_empty(),
        "{:?}",
        api.props
    );
    let data = b
        .boundaries
        .iter()
        .find(|z| z.name == "Data #1")
        .expect("nested zone");
    assert_eq!(
        b.boundary(data.parent.expect("nested"))
            .map(|p| p.name.as_str()),
        Some("Cloud \"prod\"")
    );
    assert_eq!(data.position, d.boundaries[1].position);

    let name_of = |d: &Diagram, id: Uuid| d.element(id).map(|e| e.name.clone());
    for f in &d.flows {
        let got = b
            .flows
            .iter()
            .find(|x| x.name == f.name && name_of(b, x.source) == name_of(d, f.source))
            .unwrap_or_else(|| panic!("flow {:?} is missing", f.name));
        assert_eq!(name_of(b, got.target), name_of(d, f.target));
        assert_eq!(got.bidirectional, f.bidirectional);
        assert_eq!(got.protocol, f.protocol);
        assert_eq!(got.encrypted_in_transit, f.encrypted_in_transit);
        assert_eq!(got.data.len(), f.data.len());
    }

    let card = &back.data_assets[0];
    assert_eq!(card.name, "Card | number");
    assert_eq!(card.classification, Classification::Restricted);
    assert_eq!(card.tags, vec![DataTag::Pci]);
    assert_eq!(
        (card.confidentiality, card.integrity, card.availability),
        (Rating::High, Rating::Medium, Rating::Medium)
    );

    let current: Vec<&Threat> = m.threats.iter().filter(|t| !t.obsolete).collect();
    assert_eq!(
        back.threats.len(),
        current.len(),
        "obsolete threats stay out"
    );
    for t in current {
        let got = back
            .threats
            .iter()
            .find(|x| x.title == t.title)
            .unwrap_or_else(|| panic!("threat {} is missing", t.title));
        assert_eq!(got.category, t.category, "{}", t.title);
        assert_eq!(
            (got.likelihood, got.impact),
            (t.likelihood, t.impact),
            "{}",
            t.title
        );
        assert_eq!(
            std::mem::discriminant(&got.status),
            std::mem::discriminant(&t.status),
            "{}",
            t.title
        );
        let mitigations = |t: &Threat| -> Vec<(String, MitigationStatus)> {
            t.mitigations
                .iter()
                .map(|m| (m.title.clone(), m.status))
                .collect()
        };
        assert_eq!(mitigations(got), mitigations(t), "{}", t.title);
    }
    // A rule's threat comes back with the id its rule gives it there.
    let spoofed = back
        .threats
        .iter()
        .find(|t| t.title == "Spoofed customer session")
        .expect("rule threat");
    let order = b.flows.iter().find(|f| f.name == "order").expect("flow");
    assert_eq!(spoofed.target, ThreatTarget::Flow(order.id));
    assert_eq!(
        spoofed.id,
        plasma_models::threat::threat_id("S-001", order.id)
    );
    assert!(order.crosses_public_network && order.protocol == "https");
    let enqueue = b.flows.iter().find(|f| f.name == "enqueue").expect("flow");
    assert!(!enqueue.crosses_public_network);
    let accepted = back
        .threats
        .iter()
        .find(|t| t.title == "Queue flooding")
        .expect("accepted");
    assert!(accepted
        .description
        .contains("Risk accepted until 2026-06-30: Rate limits upstream"));
    // The repositories come back, and nothing the export wrote is left
    // over as "details with no field here".
    assert_eq!(back.repositories, m.repositories);
    assert_eq!(back.description, m.description);
    // Deterministic.
    assert_eq!(otm_export::export(&m), otm_export::export(&m));
}

/// What OTM has no field for still decides the rules after a round trip
/// through our OTM (as a Threat Dragon course model with trust-boundary
/// curves, a Threagile browser typed as a process, and a Threagile data
/// asset named "Customer contracts" with no personal-data tag showed): a
/// flow crosses the boundary line its bend point takes it over, a process
/// tagged `technology: browser` stays a process, and an asset keeps exactly
/// its tags and retention.
#[test]
fn open_threat_model_round_trip_keeps_line_crossings_kinds_and_asset_tags() {
    let mut m = ThreatModel::new(id(1), "Lines");
    let mut d = Diagram::new("main");
    let mut line = TrustBoundary::new("Browser / backend", None);
    line.line = vec![Point { x: 200.0, y: 0.0 }, Point { x: 200.0, y: 150.0 }];
    let mut browser = Element::new(ElementKind::Process, "Browser");
    browser.props.tags = vec!["technology: browser".into()];
    browser.position = Some(rect(50.0, 270.0, 100.0, 60.0));
    let mut api = Element::new(ElementKind::Process, "API");
    api.position = Some(rect(250.0, 270.0, 100.0, 60.0));
    // The straight path at y = 300 passes below the line's end; the bend
    // point takes the flow over it.
    let mut over = Flow::new("over the line", browser.id, api.id);
    over.points = vec![Point { x: 250.0, y: 50.0 }];
    let under = Flow::new("under the line", api.id, browser.id);
    let mut contracts = DataAsset::new("Customer contracts", Classification::Confidential);
    contracts.id = id(40);
    let mut keys = DataAsset::new("Signing keys", Classification::Restricted);
    keys.id = id(41);
    keys.tags = vec![DataTag::Credentials];
    keys.retention = Some("until rotated. Then destroyed".into());
    d.boundaries = vec![line];
    d.elements = vec![browser, api];
    d.flows = vec![over, under];
    m.diagrams = vec![d];
    m.data_assets = vec![contracts, keys];

    let back = otm::import(&otm_export::export(&m), id(1)).expect("import our OTM");
    let b = &back.diagrams[0];
    let crossed = |name: &str| {
        let f = b.flows.iter().find(|f| f.name == name).expect("flow");
        plasma_models::threat::boundaries_crossed(b, f)
            .iter()
            .filter_map(|id| b.boundary(*id).map(|z| z.name.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(crossed("over the line"), vec!["Browser / backend"]);
    assert!(crossed("under the line").is_empty());
    let browser = b
        .elements
        .iter()
        .find(|e| e.name == "Browser")
        .expect("browser");
    assert_eq!(browser.kind, ElementKind::Process);
    let asset = |name: &str| {
        back.data_assets
            .iter()
            .find(|a| a.name == name)
            .expect("asset")
    };
    assert!(asset("Customer contracts").tags.is_empty());
    assert_eq!(asset("Signing keys").tags, vec![DataTag::Credentials]);
    assert_eq!(
        asset("Signing keys").retention.as_deref(),
        Some("until rotated. Then destroyed")
    );
    // The points are read, not left as text in the description.
    assert!(
        !back.description.contains(otm_export::LINE_ATTRIBUTE),
        "{}",
        back.description
    );
    assert!(!back.description.contains(otm_export::BEND_POINTS_ATTRIBUTE));
}

/// A malformed line in an OTM file is refused with where and why.
#[test]
fn otm_trust_zone_line_that_is_not_points_is_an_error() {
    let otm = r#"{"otmVersion": "0.2.0", "project": {"name": "p", "id": "p"},
      "trustZones": [{"id": "z", "name": "Z", "risk": {"trustRating": 50},
        "attributes": {"Plasma Plan line": [{"x": 1, "y": "two"}]}}],
      "components": [], "dataflows": []}"#;
    let e = otm::import(otm, id(1)).expect_err("bad line").to_string();
    assert!(
        e.contains("/trustZones/0/attributes/Plasma Plan line"),
        "{e}"
    );
    assert!(e.contains("list of points"), "{e}");
    let one = otm.replace(r#"[{"x": 1, "y": "two"}]"#, r#"[{"x": 1, "y": 2}]"#);
    let e = otm::import(&one, id(1)).expect_err("one point").to_string();
    assert!(e.contains("at least two points"), "{e}");
}

/// The OTM export validates against OTM's own JSON schema (from the shared
/// corpus; skipped with a notice where it is absent), for our fixture and
/// for every Threat Dragon model of the corpus.
#[test]
fn open_threat_model_export_follows_the_otm_schema() {
    let corpus = std::env::var_os("PLASMA_CORPUS_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
        });
    let Ok(schema) = std::fs::read_to_string(corpus.join("otm/otm_schema.json")) else {
        eprintln!("notice: no OTM schema under {}, skipping", corpus.display());
        return;
    };
    let schema: serde_json::Value = serde_json::from_str(&schema).expect("schema JSON");
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let mut models = vec![fixture()];
    for entry in std::fs::read_dir(corpus.join("threat-dragon"))
        .expect("corpus folder")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") && !name.contains("schema") {
            let text = std::fs::read_to_string(entry.path()).expect("read");
            models.push(threat_dragon::import(&text, id(1)).expect("corpus model"));
        }
    }
    assert!(models.len() > 1);
    for m in &models {
        let doc: serde_json::Value =
            serde_json::from_str(&otm_export::export(m)).expect("export is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", m.name);
        // Every component's parent zone and every dataflow's ends exist.
        let ids = |key: &str| -> Vec<String> {
            doc[key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v["id"].as_str().map(str::to_string))
                .collect()
        };
        let (zones, components) = (ids("trustZones"), ids("components"));
        for c in doc["components"].as_array().expect("components") {
            let zone = c["parent"]["trustZone"].as_str().expect("zone parent");
            assert!(zones.iter().any(|z| z == zone), "{}: {zone}", m.name);
        }
        for f in doc["dataflows"].as_array().expect("dataflows") {
            for end in ["source", "destination"] {
                let e = f[end].as_str().expect("end");
                assert!(components.iter().any(|c| c == e), "{}: {e}", m.name);
            }
        }
        // And it reads back with every element and flow.
        let back = otm::import(&otm_export::export(m), id(1)).expect("reimport");
        let count = |m: &ThreatModel| {
            m.diagrams
                .iter()
                .map(|d| (d.elements.len(), d.flows.len()))
                .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
        };
        assert_eq!(count(&back), count(m), "{}", m.name);
    }
}

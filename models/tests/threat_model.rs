//! Threat-model structure: validation, boundary crossing from containment,
//! severity (OWASP risk rating, CVSS 3.1 and 4.0) and the serialized shape.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use chrono::NaiveDate;
use plasma_models::threat::{
    boundaries_crossed, boundary_chain, cvss31_base_score, cvss40_score, cvss_score,
    owasp_severity, Classification, CvssError, CvssVersion, DataAsset, Diagram, Element,
    ElementKind, Flow, Point, Rating, Rect, Severity, ThreatModel, ThreatModelError, ThreatStatus,
    ThreatTarget, TrustBoundary,
};
use uuid::Uuid;

/// Boundaries: Cloud ⊃ Cluster ⊃ Namespace A, Cluster ⊃ Namespace B, and a
/// separate Office. One element in each, one at top level.
struct Nested {
    d: Diagram,
    cloud: Uuid,
    cluster: Uuid,
    ns_a: Uuid,
    ns_b: Uuid,
    office: Uuid,
    in_a: Uuid,
    in_b: Uuid,
    in_cluster: Uuid,
    in_office: Uuid,
    outside: Uuid,
}

fn nested() -> Nested {
    let cloud = TrustBoundary::new("Cloud", None);
    let cluster = TrustBoundary::new("Cluster", Some(cloud.id));
    let ns_a = TrustBoundary::new("Namespace A", Some(cluster.id));
    let ns_b = TrustBoundary::new("Namespace B", Some(cluster.id));
    let office = TrustBoundary::new("Office", None);
    let mut d = Diagram::new("Nested");
    let mut put = |name: &str, b: Option<Uuid>| {
        let mut e = Element::new(ElementKind::Process, name);
        e.boundary = b;
        let id = e.id;
        d.elements.push(e);
        id
    };
    let in_a = put("api", Some(ns_a.id));
    let in_b = put("worker", Some(ns_b.id));
    let in_cluster = put("ingress", Some(cluster.id));
    let in_office = put("laptop", Some(office.id));
    let outside = put("partner", None);
    Nested {
        cloud: cloud.id,
        cluster: cluster.id,
        ns_a: ns_a.id,
        ns_b: ns_b.id,
        office: office.id,
        in_a,
        in_b,
        in_cluster,
        in_office,
        outside,
        d: Diagram {
            boundaries: vec![cloud, cluster, ns_a, ns_b, office],
            ..d
        },
    }
}

fn crossed(n: &Nested, from: Uuid, to: Uuid) -> Vec<Uuid> {
    boundaries_crossed(&n.d, &Flow::new("f", from, to))
}

#[test]
fn boundaries_crossed_follow_nested_containment() {
    let n = nested();
    assert_eq!(
        boundary_chain(&n.d, n.ns_a),
        vec![n.ns_a, n.cluster, n.cloud]
    );
    // Siblings inside one cluster: leave A, enter B; Cluster and Cloud are shared.
    assert_eq!(crossed(&n, n.in_a, n.in_b), vec![n.ns_a, n.ns_b]);
    // From the cluster into a namespace: only the namespace is entered.
    assert_eq!(crossed(&n, n.in_cluster, n.in_a), vec![n.ns_a]);
    assert_eq!(crossed(&n, n.in_a, n.in_cluster), vec![n.ns_a]);
    // Same innermost boundary: nothing is crossed.
    assert!(crossed(&n, n.in_a, n.in_a).is_empty());
    // From outside everything into a namespace: entered outermost first.
    assert_eq!(
        crossed(&n, n.outside, n.in_a),
        vec![n.cloud, n.cluster, n.ns_a]
    );
    // Out of a namespace to the office: left innermost first, then entered.
    assert_eq!(
        crossed(&n, n.in_a, n.in_office),
        vec![n.ns_a, n.cluster, n.cloud, n.office]
    );
    // An end that is not in the diagram counts as outside every boundary.
    assert_eq!(crossed(&n, n.in_office, Uuid::new_v4()), vec![n.office]);
}

/// An element of 100 x 60 whose centre is at (`x`, `y`).
fn placed(d: &mut Diagram, name: &str, x: f64, y: f64) -> Uuid {
    let mut e = Element::new(ElementKind::Process, name);
    e.position = Some(Rect {
        x: x - 50.0,
        y: y - 30.0,
        width: 100.0,
        height: 60.0,
    });
    let id = e.id;
    d.elements.push(e);
    id
}

#[test]
fn a_flow_drawn_across_a_boundary_line_crosses_it() {
    let pt = |x: f64, y: f64| Point { x, y };
    let mut d = Diagram::new("Lines");
    // A vertical line at x = 200 from y = 0 to y = 400, bent at (200, 200).
    let mut wall = TrustBoundary::new("Internet boundary", None);
    wall.line = vec![pt(200.0, 0.0), pt(200.0, 200.0), pt(200.0, 400.0)];
    // A short line far below everything.
    let mut low = TrustBoundary::new("Low line", None);
    low.line = vec![pt(0.0, 900.0), pt(800.0, 900.0)];
    let wall_id = wall.id;
    d.boundaries = vec![wall, low];
    let left = placed(&mut d, "browser", 100.0, 100.0);
    let right = placed(&mut d, "api", 400.0, 100.0);
    let right_too = placed(&mut d, "db", 400.0, 300.0);
    // Through the line's bend point: counted once.
    let at_bend = placed(&mut d, "cache", 400.0, 200.0);
    let left_low = placed(&mut d, "admin", 100.0, 200.0);
    let unplaced = {
        let e = Element::new(ElementKind::Process, "nowhere");
        let id = e.id;
        d.elements.push(e);
        id
    };
    let crossed = |from, to| boundaries_crossed(&d, &Flow::new("f", from, to));
    assert_eq!(crossed(left, right), vec![wall_id]);
    assert_eq!(crossed(right, left), vec![wall_id], "either direction");
    assert!(crossed(right, right_too).is_empty(), "same side");
    assert_eq!(
        crossed(left_low, at_bend),
        vec![wall_id],
        "through the bend, once"
    );
    assert!(crossed(left, unplaced).is_empty(), "an end without a place");
    // A flow that goes over and comes back (bend points) ends on its own side.
    let mut back = Flow::new("round trip", left, left_low);
    back.points = vec![pt(300.0, 100.0), pt(300.0, 200.0)];
    assert!(boundaries_crossed(&d, &back).is_empty());
    // ... and one bent around the line's end does not cross it.
    let mut around = Flow::new("around", left, right);
    around.points = vec![pt(100.0, 500.0), pt(400.0, 500.0)];
    assert!(boundaries_crossed(&d, &around).is_empty());
    // A line boundary contains nothing: nothing is inside it.
    assert!(d.elements.iter().all(|e| e.boundary.is_none()));
}

#[test]
fn boundaries_crossed_survive_a_parent_cycle() {
    let mut n = nested();
    // Cloud inside Namespace A: invalid, but crossing must still terminate.
    n.d.boundaries[0].parent = Some(n.ns_a);
    let c = crossed(&n, n.in_a, n.in_office);
    assert!(c.contains(&n.office));
    assert_eq!(c.len(), 4);
}

fn model_with(d: Diagram) -> ThreatModel {
    let mut m = ThreatModel::new(Uuid::new_v4(), "Model");
    m.diagrams = vec![d];
    m
}

#[test]
fn a_sound_model_validates() {
    let mut m = model_with(nested().d);
    let n = nested();
    let asset = DataAsset::new("Orders", Classification::Confidential);
    let mut f = Flow::new("orders", n.in_a, n.in_b);
    f.data = vec![asset.id];
    let mut d = n.d;
    d.flows.push(f);
    m.diagrams = vec![d];
    m.data_assets = vec![asset];
    assert_eq!(m.validation_errors(), vec![]);
    assert_eq!(m.validate(), Ok(()));
}

#[test]
fn flow_endpoints_must_exist() {
    let n = nested();
    let ghost = Uuid::new_v4();
    let mut d = n.d;
    let f = Flow::new("to nowhere", n.in_a, ghost);
    let fid = f.id;
    d.flows.push(f);
    let errors = model_with(d).validation_errors();
    assert_eq!(
        errors,
        vec![ThreatModelError::UnknownFlowEndpoint {
            diagram: "Nested".into(),
            flow: "to nowhere".into(),
            id: fid,
            end: "target",
            element: ghost,
        }]
    );
    let msg = errors[0].to_string();
    assert!(
        msg.contains("\"to nowhere\"") && msg.contains("target"),
        "{msg}"
    );
}

#[test]
fn flows_connect_two_elements_and_carry_known_data() {
    let n = nested();
    let mut d = n.d;
    let mut f = Flow::new("loop", n.in_a, n.in_a);
    let missing = Uuid::new_v4();
    f.data = vec![missing];
    d.flows.push(f);
    let errors = model_with(d).validation_errors();
    assert!(
        matches!(errors[0], ThreatModelError::SelfFlow { .. }),
        "{errors:?}"
    );
    assert!(
        matches!(errors[1], ThreatModelError::UnknownDataAsset { asset, .. } if asset == missing),
        "{errors:?}"
    );
}

#[test]
fn ids_must_be_unique_across_the_model() {
    let n = nested();
    let mut d = n.d;
    let mut twin = Element::new(ElementKind::DataStore, "twin");
    twin.id = n.in_a;
    d.elements.push(twin);
    let mut f = Flow::new("f", n.in_a, n.in_b);
    f.id = n.cluster;
    d.flows.push(f);
    let errors = model_with(d).validation_errors();
    assert_eq!(
        errors,
        vec![
            ThreatModelError::DuplicateId {
                kind: "element",
                name: "twin".into(),
                id: n.in_a,
                other: "element",
            },
            ThreatModelError::DuplicateId {
                kind: "flow",
                name: "f".into(),
                id: n.cluster,
                other: "trust boundary",
            },
        ]
    );
    assert!(errors[1].to_string().contains("trust boundary"));
}

#[test]
fn element_and_boundary_references_must_exist() {
    let n = nested();
    let mut d = n.d;
    let ghost = Uuid::new_v4();
    d.elements[0].boundary = Some(ghost);
    d.boundaries[4].parent = Some(ghost);
    let errors = model_with(d).validation_errors();
    assert!(errors.contains(&ThreatModelError::UnknownElementBoundary {
        diagram: "Nested".into(),
        element: "api".into(),
        id: n.in_a,
        boundary: ghost,
    }));
    assert!(errors.contains(&ThreatModelError::UnknownBoundaryParent {
        diagram: "Nested".into(),
        boundary: "Office".into(),
        id: n.office,
        parent: ghost,
    }));
}

#[test]
fn boundary_parent_cycles_are_reported_once_with_their_path() {
    let n = nested();
    let mut d = n.d;
    // Cloud inside Namespace B: Cloud > Cluster > Namespace B > Cloud.
    d.boundaries[0].parent = Some(n.ns_b);
    let errors = model_with(d).validation_errors();
    assert_eq!(
        errors,
        vec![ThreatModelError::BoundaryCycle {
            path: vec![
                "Cloud".into(),
                "Namespace B".into(),
                "Cluster".into(),
                "Cloud".into()
            ],
        }]
    );
    assert_eq!(
        errors[0].to_string(),
        "trust boundaries contain each other in a cycle: Cloud inside Namespace B inside Cluster inside Cloud"
    );
    // A boundary that is its own parent.
    let mut d = nested().d;
    d.boundaries[4].parent = Some(d.boundaries[4].id);
    assert!(matches!(
        model_with(d).validate(),
        Err(ThreatModelError::BoundaryCycle { path }) if path == vec!["Office", "Office"]
    ));
}

#[test]
fn a_model_needs_a_name() {
    let mut m = model_with(nested().d);
    m.name = "  ".into();
    assert_eq!(m.validate(), Err(ThreatModelError::MissingName));
}

#[test]
fn owasp_risk_rating_matrix() {
    use Rating::*;
    let table = [
        (Low, Low, Severity::Note),
        (Medium, Low, Severity::Low),
        (High, Low, Severity::Medium),
        (Low, Medium, Severity::Low),
        (Medium, Medium, Severity::Medium),
        (High, Medium, Severity::High),
        (Low, High, Severity::Medium),
        (Medium, High, Severity::High),
        (High, High, Severity::Critical),
    ];
    for (likelihood, impact, expected) in table {
        assert_eq!(
            owasp_severity(likelihood, impact),
            expected,
            "{likelihood:?} x {impact:?}"
        );
    }
    assert!(Severity::Critical > Severity::High && Severity::Low > Severity::Note);
}

#[test]
fn cvss31_base_scores_match_published_examples() {
    let cases = [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        ("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
        ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4),
        ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6),
        ("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
        // Temporal metrics are allowed and do not change the base score.
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O", 9.8),
    ];
    for (vector, expected) in cases {
        assert_eq!(cvss31_base_score(vector), Ok(expected), "{vector}");
    }
    assert_eq!(Severity::from_cvss(9.8), Severity::Critical);
    assert_eq!(Severity::from_cvss(6.1), Severity::Medium);
    assert_eq!(Severity::from_cvss(0.0), Severity::Note);
}

#[test]
fn malformed_cvss_vectors_are_refused() {
    assert_eq!(cvss31_base_score(""), Err(CvssError::Empty));
    assert!(matches!(
        cvss31_base_score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        Err(CvssError::Version(_))
    ));
    assert_eq!(
        cvss31_base_score("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"),
        Err(CvssError::Missing("A"))
    );
    assert!(matches!(
        cvss31_base_score("AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        Err(CvssError::BadValue { .. })
    ));
    assert!(matches!(
        cvss31_base_score("AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        Err(CvssError::Duplicate(_))
    ));
    assert!(matches!(
        cvss31_base_score("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1"),
        Err(CvssError::UnknownMetric(_))
    ));
    assert!(matches!(
        cvss31_base_score("AV:N/AC"),
        Err(CvssError::Malformed(_))
    ));
}

/// Vector → score pairs of the FIRST CVSS v4.0 calculator (checked against
/// Red Hat's reference implementation, from which the calculator comes):
/// base only, threat (E), environmental (security requirements and modified
/// base metrics, including the Safety value of MSI/MSA) and supplemental
/// metrics, and the edges 0.0 and 10.0.
#[test]
fn cvss40_scores_match_the_first_calculator() {
    let cases = [
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, Severity::Critical),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0, Severity::Critical),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0, Severity::Note),
        // CVE-2022-22186, from FIRST's CVSS v4.0 examples.
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N", 6.9, Severity::Medium),
        ("CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 8.5, Severity::High),
        ("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", 1.0, Severity::Low),
        // Threat metrics: exploit maturity lowers the score.
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P", 8.9, Severity::High),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", 8.1, Severity::High),
        // Environmental: low security requirements, and Safety raising to 10.
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/CR:L/IR:L/AR:L", 8.9, Severity::High),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:S/MSA:S", 10.0, Severity::Critical),
        (
            "CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:P/VC:H/VI:L/VA:N/SC:L/SI:N/SA:H/E:A/CR:H/IR:M/AR:L/MAV:N/MPR:N/MVI:H",
            8.6,
            Severity::High,
        ),
        // Modified metrics that remove every impact score 0.
        (
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N/MAV:P/MAC:H/MAT:P/MPR:H/MUI:A/MVC:N/MVI:N/MVA:N",
            0.0,
            Severity::Note,
        ),
        // CVE-2025-47273, every optional metric written out as X.
        (
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N/E:P/CR:X/IR:X/AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X/S:X/AU:X/R:X/V:X/RE:X/U:X",
            7.7,
            Severity::High,
        ),
        // Supplemental metrics are informative: the score stays 9.3.
        (
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:P/AU:Y/R:U/V:C/RE:H/U:Red",
            9.3,
            Severity::Critical,
        ),
    ];
    for (vector, expected, severity) in cases {
        let scored = cvss_score(vector).unwrap_or_else(|e| panic!("{vector}: {e}"));
        assert_eq!(scored.version, CvssVersion::V4_0, "{vector}");
        assert_eq!(scored.score, expected, "{vector}");
        assert_eq!(scored.severity, severity, "{vector}");
        assert_eq!(cvss40_score(vector), Ok(scored));
    }
    // 3.1 vectors keep their base score through the same entry point.
    let v31 = cvss_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap();
    assert_eq!((v31.version, v31.score), (CvssVersion::V3_1, 9.8));
    assert_eq!(v31.summary(), "9.8 critical, CVSS 3.1");
}

#[test]
fn malformed_cvss40_vectors_name_the_metric_and_the_reason() {
    let base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
    let err = |v: &str| cvss_score(v).unwrap_err();
    assert_eq!(
        err("CVSS:4.0/AV:Q/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N").to_string(),
        "metric AV (Attack Vector) cannot be \"Q\" (expected N, A, L or P)"
    );
    assert_eq!(
        err("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N").to_string(),
        "base metric SA is missing"
    );
    assert_eq!(
        err(&format!("{base}/E:P/E:U")).to_string(),
        "metric E is given twice"
    );
    assert_eq!(
        err(&format!("{base}/ZZ:1")).to_string(),
        "unknown metric \"ZZ\""
    );
    assert_eq!(
        err(&format!("{base}/MSC:S")).to_string(),
        "metric MSC (Modified Subsequent System Confidentiality) cannot be \"S\" (expected X, H, L or N)"
    );
    assert_eq!(err(&format!("{base}/E")), CvssError::Malformed("E".into()));
    // A 3.1-only metric in a 4.0 vector, and a 4.0-only metric in a 3.1 one.
    assert_eq!(
        err("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:U/C:H"),
        CvssError::BadValue {
            metric: "S (Safety)".into(),
            value: "U".into(),
            expected: "X, N or P".into()
        }
    );
    assert_eq!(
        err("CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        CvssError::UnknownMetric("AT".into())
    );
    // 4.0 needs its prefix; other versions are named.
    assert_eq!(cvss40_score("AV:N/AC:L"), Err(CvssError::MissingPrefix));
    assert_eq!(
        err("CVSS:2.0/AV:N").to_string(),
        "\"CVSS:2.0\" is not a supported CVSS version (CVSS:3.1 and CVSS:4.0 are)"
    );
    assert_eq!(cvss_score("  "), Err(CvssError::Empty));
}

#[test]
fn serialized_shape_is_stable() {
    let target = ThreatTarget::Flow(Uuid::nil());
    assert_eq!(
        serde_json::to_string(&target).unwrap(),
        r#"{"kind":"flow","id":"00000000-0000-0000-0000-000000000000"}"#
    );
    let status = ThreatStatus::Accepted {
        justification: "pilot".into(),
        expires: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
    };
    let json = serde_json::to_string(&status).unwrap();
    assert_eq!(
        json,
        r#"{"kind":"accepted","justification":"pilot","expires":"2026-06-30"}"#
    );
    assert_eq!(serde_json::from_str::<ThreatStatus>(&json).unwrap(), status);
    assert_eq!(
        serde_json::to_string(&ThreatStatus::NotApplicable).unwrap(),
        r#"{"kind":"not_applicable"}"#
    );
    // Elements may omit every property; defaults fill in.
    let e: Element = serde_json::from_str(&format!(
        r#"{{"id":"{}","kind":"data_store","name":"db"}}"#,
        Uuid::nil()
    ))
    .unwrap();
    assert!(!e.props.encrypted_at_rest && e.props.tags.is_empty());
    // A whole model round-trips.
    let m = model_with(nested().d);
    let back: ThreatModel = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
    assert_eq!(back, m);
}

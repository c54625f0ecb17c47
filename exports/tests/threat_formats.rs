//! Threat-model import and export: Threat Dragon (v1 and v2), OTM, pytm,
//! Threagile.
//! Uses the shared corpus when it is there, and hand-written files always.

use std::path::PathBuf;

mod common;
use common::damage::{paths, replace_at, replacement, splice};

use plasma_exports::threat::{
    detect_format, diagram, otm, pytm, report, threagile, threat_composer, threat_dragon, tm7,
    ImportError, ThreatFormat,
};
use plasma_models::threat::{
    boundaries_crossed, generate, ElementKind, MitigationStatus, Rating, RuleSet, Stride,
    ThreatModel, ThreatStatus, ThreatTarget,
};
use proptest::prelude::*;
use serde_json::{json, Value};
use uuid::Uuid;

const WS: Uuid = Uuid::from_u128(0x1111_2222_3333_4444_5555_6666_7777_8888);

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("PLASMA_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("notice: corpus not found at {}, skipping", dir.display());
        None
    }
}

/// (file name, text) of the Threat Dragon models in the corpus.
fn td_corpus() -> Vec<(String, String)> {
    let Some(dir) = corpus() else { return vec![] };
    let mut out = vec![];
    let Ok(entries) = std::fs::read_dir(dir.join("threat-dragon")) else {
        return out;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") && !name.contains("schema") {
            let text = std::fs::read_to_string(entry.path()).expect("read corpus file");
            out.push((name, text));
        }
    }
    out.sort();
    out
}

fn corpus_file(rel: &str) -> Option<String> {
    corpus().and_then(|d| std::fs::read_to_string(d.join(rel)).ok())
}

fn td(cells: Value) -> String {
    json!({
        "version": "2.2.0",
        "summary": {"title": "Hand made", "description": "d"},
        "detail": {"contributors": [], "diagramTop": 1, "reviewer": "", "threatTop": 0,
            "diagrams": [{"id": 0, "title": "Main", "diagramType": "STRIDE", "thumbnail": "", "version": "2.2.0", "cells": cells}]}
    })
    .to_string()
}

fn node(id: &str, shape: &str, name: &str, x: f64, y: f64) -> Value {
    let ty = match shape {
        "actor" => "tm.Actor",
        "process" => "tm.Process",
        _ => "tm.Store",
    };
    json!({"id": id, "shape": shape, "zIndex": 1, "position": {"x": x, "y": y}, "size": {"width": 100, "height": 60},
        "data": {"type": ty, "name": name, "hasOpenThreats": false}})
}

fn boxed(id: &str, name: &str, x: f64, y: f64, w: f64, h: f64) -> Value {
    json!({"id": id, "shape": "trust-boundary-box", "zIndex": -1, "position": {"x": x, "y": y}, "size": {"width": w, "height": h},
        "attrs": {"label": {"text": name}}, "data": {"type": "tm.BoundaryBox", "hasOpenThreats": false}})
}

fn flow(id: &str, from: &str, to: &str, name: &str) -> Value {
    json!({"id": id, "shape": "flow", "zIndex": 5, "source": {"cell": from}, "target": {"cell": to},
        "data": {"type": "tm.Flow", "name": name, "hasOpenThreats": false, "protocol": "HTTPS", "isEncrypted": true}})
}

fn err(r: Result<ThreatModel, ImportError>) -> ImportError {
    match r {
        Ok(m) => panic!("expected an error, got a model named {}", m.name),
        Err(e) => e,
    }
}

// ------------------------------------------------------------ Threat Dragon

#[test]
fn threat_dragon_corpus_imports_and_round_trips() {
    for (name, text) in td_corpus() {
        assert_eq!(
            detect_format(&name, &text),
            Some(ThreatFormat::ThreatDragon),
            "{name}"
        );
        let first = threat_dragon::import(&text, WS).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            first.validation_errors().is_empty(),
            "{name}: {:?}",
            first.validation_errors()
        );
        let again = threat_dragon::import(&text, WS).expect("re-import");
        assert_eq!(first, again, "{name}: import is deterministic");
        let exported = threat_dragon::export(&first);
        let second = threat_dragon::import(&exported, WS).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(first, second, "{name}: TD -> ours -> TD -> ours");
        assert_eq!(
            exported,
            threat_dragon::export(&second),
            "{name}: export is a fixed point"
        );
    }
}

#[test]
fn three_tier_boxes_contain_their_elements() {
    let Some(text) = corpus_file("threat-dragon/three-tier-web-app.json") else {
        return;
    };
    let m = threat_dragon::import(&text, WS).expect("import");
    let d = &m.diagrams[0];
    let boundary = |name: &str| d.boundaries.iter().find(|b| b.name == name).map(|b| b.id);
    let el = |name: &str| d.elements.iter().find(|e| e.name == name).expect(name);
    assert_eq!(el("Web UI").boundary, boundary("Internet"));
    assert_eq!(el("Web Service").boundary, boundary("Public Cloud"));
    assert_eq!(el("PostgresSQL").boundary, boundary("Public Cloud"));
    // The text block is kept in the description.
    assert!(
        m.description.contains("Text on diagram"),
        "{}",
        m.description
    );
    // Its custom score is kept in the notes.
    assert!(m
        .threats
        .iter()
        .any(|t| t.notes.contains("Threat Dragon score: 7.5")));
    assert!(d.flows.iter().any(|f| f.bidirectional));
}

#[test]
fn v2_demo_maps_flags_threats_and_curves() {
    let Some(text) = corpus_file("threat-dragon/v2-threat-model.json") else {
        return;
    };
    let m = threat_dragon::import(&text, WS).expect("import");
    let d = &m.diagrams[0];
    assert_eq!(d.elements.len(), 7);
    assert_eq!(d.flows.len(), 10);
    assert_eq!(d.boundaries.len(), 3);
    assert!(d
        .boundaries
        .iter()
        .all(|b| b.position.is_none() && b.parent.is_none()));
    assert!(d.elements.iter().all(|e| e.boundary.is_none()));
    // The curves are lines through their points, in order.
    let first = &d.boundaries[0].line;
    assert_eq!(
        first
            .iter()
            .map(|p| (p.x as i64, p.y as i64))
            .collect::<Vec<_>>(),
        [(80, 220), (276, 149), (295, 51)]
    );
    assert!(d.boundaries.iter().all(|b| b.line.len() >= 2));
    assert!(
        !m.description.contains("no end points"),
        "{}",
        m.description
    );
    // The browser's request crosses the first line; the web app's queries
    // to the database cross the third; config reads cross nothing.
    let named = |name: &str| d.flows.iter().find(|f| f.name == name).expect("flow");
    assert_eq!(
        boundaries_crossed(d, named("Web Request")),
        vec![d.boundaries[0].id]
    );
    assert_eq!(
        boundaries_crossed(d, named("Queries")),
        vec![d.boundaries[2].id]
    );
    assert!(boundaries_crossed(d, named("Read web app config")).is_empty());
    // Export writes the lines back; import of that reads the same lines.
    let back = threat_dragon::import(&threat_dragon::export(&m), WS).expect("again");
    let lines = |m: &ThreatModel| -> Vec<Vec<(i64, i64)>> {
        m.diagrams[0]
            .boundaries
            .iter()
            .map(|b| b.line.iter().map(|p| (p.x as i64, p.y as i64)).collect())
            .collect()
    };
    assert_eq!(lines(&back), lines(&m));
    let config = d
        .elements
        .iter()
        .find(|e| e.name == "Worker Config")
        .expect("store");
    assert_eq!(config.kind, ElementKind::DataStore);
    assert!(config.props.stores_credentials);
    assert_eq!(m.threats.len(), 14);
    let web = d
        .flows
        .iter()
        .find(|f| f.name == "Web Request")
        .expect("flow");
    assert_eq!(web.protocol, "HTTP/S", "as the file writes it");
    assert!(web.encrypted_in_transit && web.crosses_public_network);
    let mitigated = m
        .threats
        .iter()
        .find(|t| t.title == "Fake messages could be placed on the queue")
        .expect("threat");
    assert_eq!(mitigated.category, Stride::Spoofing);
    assert_eq!(mitigated.status, ThreatStatus::Mitigated);
    assert_eq!(
        (mitigated.likelihood, mitigated.impact),
        (Rating::High, Rating::Medium)
    );
    assert_eq!(
        mitigated.mitigations.len(),
        2,
        "one mitigation per paragraph"
    );
    assert!(mitigated
        .mitigations
        .iter()
        .all(|x| x.status == MitigationStatus::Done));
    assert!(mitigated.rule_id.is_none());
    // Cell ids are UUIDs and are kept.
    assert_eq!(
        config.id,
        Uuid::parse_str("a25bbb4e-093f-4238-a620-31efdee452dc").expect("uuid")
    );
}

#[test]
fn v1_model_imports_with_labels_as_names() {
    let Some(text) = corpus_file("threat-dragon/demo-threat-model.json") else {
        return;
    };
    let m = threat_dragon::import(&text, WS).expect("import");
    let d = &m.diagrams[0];
    assert!(d.elements.iter().any(|e| e.name == "Browser"));
    assert!(d.flows.iter().any(|f| f.name == "Web Request"));
    assert_eq!(d.boundaries.len(), 4);
    assert_eq!(m.threats.len(), 14);
}

#[test]
fn nested_boxes_nest_and_the_innermost_box_wins() {
    let text = td(json!([
        boxed("outer", "Corp", 0.0, 0.0, 1000.0, 800.0),
        boxed("inner", "DMZ", 100.0, 100.0, 400.0, 300.0),
        node("a", "actor", "User", 1200.0, 100.0),
        node("p", "process", "API", 200.0, 200.0),
        node("s", "store", "DB", 700.0, 500.0),
        flow("f1", "a", "p", "call"),
        flow("f2", "p", "s", "query"),
        {"id": "t", "shape": "td-text-block", "zIndex": 1, "position": {"x": 0, "y": 0}, "size": {"width": 10, "height": 10},
         "data": {"type": "tm.Text", "name": "hello"}},
    ]));
    let m = threat_dragon::import(&text, WS).expect("import");
    let d = &m.diagrams[0];
    let outer = d.boundaries[0].id;
    let inner = d.boundaries[1].id;
    assert_eq!(d.boundaries[1].parent, Some(outer));
    assert_eq!(d.boundaries[0].parent, None);
    assert_eq!(d.elements[0].boundary, None);
    assert_eq!(d.elements[1].boundary, Some(inner));
    assert_eq!(d.elements[2].boundary, Some(outer));
    // Non-UUID ids become UUID v5, stable across imports and round trips.
    assert_eq!(
        d.elements[0].id,
        threat_dragon::import(&text, WS).expect("again").diagrams[0].elements[0].id
    );
    assert_eq!(d.elements[0].id.get_version_num(), 5);
    let back = threat_dragon::import(&threat_dragon::export(&m), WS).expect("round trip");
    assert_eq!(m, back);
    assert_eq!(
        plasma_models::threat::boundaries_crossed(d, &d.flows[0]),
        vec![outer, inner]
    );
}

#[test]
fn linddun_and_cia_types_map_to_stride_and_survive_export() {
    let mut cell = node("p", "process", "P", 0.0, 0.0);
    cell["data"]["threats"] = json!([
        {"title": "a", "type": "Linkability", "modelType": "LINDDUN", "status": "Open", "severity": "High", "description": "", "mitigation": ""},
        {"title": "b", "type": "Integrity", "modelType": "CIA", "status": "NA", "severity": "Low", "description": "", "mitigation": "m"},
        {"title": "c", "type": "Availability", "modelType": "CIA", "status": "Accepted", "severity": "Critical", "description": "", "mitigation": "we live with it"},
        {"title": "d", "type": "Elevation of privilege", "status": "Avoided", "severity": "TBD", "description": "", "mitigation": "x\n\ny"},
    ]);
    let text = td(json!([cell]));
    let m = threat_dragon::import(&text, WS).expect("import");
    let cats: Vec<Stride> = m.threats.iter().map(|t| t.category).collect();
    assert_eq!(
        cats,
        [
            Stride::InformationDisclosure,
            Stride::Tampering,
            Stride::DenialOfService,
            Stride::ElevationOfPrivilege
        ]
    );
    assert_eq!(m.threats[1].status, ThreatStatus::NotApplicable);
    assert!(
        matches!(&m.threats[2].status, ThreatStatus::Accepted { justification, .. } if justification == "we live with it")
    );
    assert_eq!(
        m.threats[2].severity(),
        plasma_models::threat::Severity::Critical
    );
    assert_eq!(m.threats[3].status, ThreatStatus::Mitigated);
    let out: Value = serde_json::from_str(&threat_dragon::export(&m)).expect("json");
    let threats = &out["detail"]["diagrams"][0]["cells"][0]["data"]["threats"];
    assert_eq!(threats[0]["type"], "Linkability");
    assert_eq!(threats[0]["modelType"], "LINDDUN");
    assert_eq!(threats[2]["status"], "Accepted");
    assert_eq!(threats[3]["status"], "Avoided");
    assert_eq!(threats[3]["severity"], "TBD");
    assert_eq!(
        threat_dragon::import(&threat_dragon::export(&m), WS).expect("back"),
        m
    );
}

/// A structural check of `value` against a JSON schema: `type`, `required`,
/// `properties`, `items` and `enum`, recursively (what the v2 schema uses).
fn check_schema(schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(ty) = schema.get("type") {
        let types: Vec<&str> = match ty {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "null" => value.is_null(),
            _ => true,
        });
        if !ok {
            errors.push(format!("{path}: expected {types:?}, found {value}"));
            return;
        }
    }
    if let Some(Value::Array(options)) = schema.get("enum") {
        if !options.contains(value) {
            errors.push(format!("{path}: {value} is not one of {options:?}"));
        }
    }
    if let (Some(Value::Array(req)), Some(obj)) = (schema.get("required"), value.as_object()) {
        for key in req.iter().filter_map(Value::as_str) {
            if !obj.contains_key(key) {
                errors.push(format!("{path}: missing required \"{key}\""));
            }
        }
    }
    if let (Some(Value::Object(props)), Some(obj)) = (schema.get("properties"), value.as_object()) {
        for (key, sub) in props {
            if let Some(v) = obj.get(key) {
                check_schema(sub, v, &format!("{path}/{key}"), errors);
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            check_schema(items, v, &format!("{path}/{i}"), errors);
        }
    }
}

#[test]
fn export_is_valid_threat_dragon_v2() {
    let Some(schema_text) = corpus_file("threat-dragon/threat-dragon-v2.schema.json") else {
        return;
    };
    let schema: Value = serde_json::from_str(&schema_text).expect("schema");
    let mut models: Vec<ThreatModel> = td_corpus()
        .iter()
        .map(|(_, t)| threat_dragon::import(t, WS).expect("import"))
        .collect();
    // Plus a model with elements that have no position, and OTM and pytm.
    if let Some(t) = corpus_file("otm/EXAMPLE.yaml") {
        models.push(otm::import(&t, WS).expect("otm"));
    }
    if let Some(t) = corpus_file("pytm/input.json") {
        models.push(pytm::import(&t, WS).expect("pytm"));
    }
    assert!(!models.is_empty());
    for m in models {
        let out: Value = serde_json::from_str(&threat_dragon::export(&m)).expect("export is JSON");
        let mut errors = vec![];
        check_schema(&schema, &out, "", &mut errors);
        assert!(errors.is_empty(), "{}: {errors:#?}", m.name);
        // Every flow end is a cell of the diagram; every element has a position.
        for d in out["detail"]["diagrams"].as_array().expect("diagrams") {
            let cells = d["cells"].as_array().expect("cells");
            let ids: Vec<&str> = cells.iter().filter_map(|c| c["id"].as_str()).collect();
            for c in cells {
                if c["shape"] == "flow" {
                    assert!(ids.contains(&c["source"]["cell"].as_str().expect("source")));
                    assert!(ids.contains(&c["target"]["cell"].as_str().expect("target")));
                }
                if ["actor", "process", "store"].contains(&c["shape"].as_str().expect("shape")) {
                    assert!(c["position"]["x"].is_number() && c["size"]["width"].is_number());
                }
            }
        }
        // And OTM/pytm models survive ours -> TD -> ours on structure.
        let back = threat_dragon::import(&threat_dragon::export(&m), WS).expect("reimport");
        assert_eq!(
            back.diagrams[0].elements.len(),
            m.diagrams[0].elements.len()
        );
        assert_eq!(back.diagrams[0].flows.len(), m.diagrams[0].flows.len());
        assert_eq!(back.threats.len(), m.threats.len());
        let containment = |m: &ThreatModel| -> Vec<Option<String>> {
            let d = &m.diagrams[0];
            d.elements
                .iter()
                .map(|e| {
                    e.boundary
                        .and_then(|b| d.boundary(b))
                        .map(|b| b.name.clone())
                })
                .collect()
        };
        assert_eq!(containment(&back), containment(&m), "{}", m.name);
    }
}

#[test]
fn threat_dragon_errors_say_where() {
    let e = err(threat_dragon::import("{\"summary\": ", WS));
    assert!(e.location.starts_with("line "), "{e}");
    let e = err(threat_dragon::import("[]", WS));
    assert_eq!(e.location, "/");
    let e = err(threat_dragon::import(r#"{"detail": {"diagrams": []}}"#, WS));
    assert_eq!(e.location, "/summary");
    let e = err(threat_dragon::import(
        r#"{"summary": {}, "detail": {"diagrams": []}}"#,
        WS,
    ));
    assert_eq!(e.location, "/summary/title");
    let e = err(threat_dragon::import(
        r#"{"summary": {"title": 3}, "detail": {"diagrams": []}}"#,
        WS,
    ));
    assert_eq!(e.location, "/summary/title");
    let e = err(threat_dragon::import(
        &td(json!([
            node("a", "actor", "A", 0.0, 0.0),
            flow("f", "a", "ghost", "x")
        ])),
        WS,
    ));
    assert_eq!(e.location, "/detail/diagrams/0/cells/1/target/cell");
    assert!(e.reason.contains("ghost"), "{e}");
    assert_eq!(e.to_string(), format!("{}: {}", e.location, e.reason));
    let e = err(threat_dragon::import(
        &td(json!([
            node("a", "actor", "A", 0.0, 0.0),
            node("a", "store", "B", 0.0, 0.0)
        ])),
        WS,
    ));
    assert_eq!(e.location, "/detail/diagrams/0/cells/1/id");
    let e = err(threat_dragon::import(
        &td(json!([{"id": "x", "shape": "hexagon", "zIndex": 1}])),
        WS,
    ));
    assert!(e.reason.contains("hexagon"), "{e}");
    let e = err(threat_dragon::import(
        &td(json!([{"id": "x", "shape": "actor", "position": {"x": "left"}}])),
        WS,
    ));
    assert_eq!(e.location, "/detail/diagrams/0/cells/0/position/x");
}

// ------------------------------------------------------------ OTM

#[test]
fn otm_example_maps_zones_components_flows_assets_threats() {
    let Some(text) = corpus_file("otm/EXAMPLE.yaml") else {
        return;
    };
    assert_eq!(
        detect_format("EXAMPLE.yaml", &text),
        Some(ThreatFormat::Otm)
    );
    let m = otm::import(&text, WS).expect("import");
    assert!(
        m.validation_errors().is_empty(),
        "{:?}",
        m.validation_errors()
    );
    assert_eq!(m.name, "Test project");
    let d = &m.diagrams[0];
    assert_eq!(d.name, "Architecture Diagram");
    assert_eq!(d.boundaries.len(), 2);
    assert_eq!(d.elements.len(), 4);
    assert_eq!(d.flows.len(), 2);
    assert_eq!(m.data_assets.len(), 2);
    let zone = |n: &str| d.boundaries.iter().find(|b| b.name == n).map(|b| b.id);
    let el = |n: &str| d.elements.iter().find(|e| e.name == n).expect(n);
    assert_eq!(el("Web Client").boundary, zone("Internet"));
    assert_eq!(el("Web Client").kind, ElementKind::ExternalEntity);
    assert_eq!(el("Customer Database").kind, ElementKind::DataStore);
    assert_eq!(el("Web Service").boundary, zone("Private"));
    let cc = m
        .data_assets
        .iter()
        .find(|a| a.name == "Credit Card Data")
        .expect("asset");
    assert_eq!(cc.confidentiality, Rating::High);
    let flow = d
        .flows
        .iter()
        .find(|f| f.name.contains("mongo"))
        .expect("flow");
    assert_eq!(flow.data, vec![cc.id]);
    assert!(flow.bidirectional);
    // One threat instance on a component, one on a dataflow.
    assert_eq!(m.threats.len(), 2);
    assert!(m
        .threats
        .iter()
        .any(|t| t.target == ThreatTarget::Element(el("Web Service").id)));
    assert!(m
        .threats
        .iter()
        .any(|t| t.target == ThreatTarget::Flow(flow.id)));
    for t in &m.threats {
        assert_eq!(t.title, "Threat 1");
        assert_eq!(t.category, Stride::Spoofing);
        assert_eq!(t.references, ["CWE-79", "CWE-787"]);
        assert_eq!((t.likelihood, t.impact), (Rating::Medium, Rating::High));
        assert_eq!(t.mitigations.len(), 1);
        assert_eq!(t.mitigations[0].title, "This is the name of mitigation 1");
    }
    let on_component = m
        .threats
        .iter()
        .find(|t| matches!(t.target, ThreatTarget::Element(_)))
        .expect("t");
    assert_eq!(on_component.mitigations[0].status, MitigationStatus::Done);
    // What has no field here is kept as text, not dropped.
    let kept = m
        .description
        .split_once("OTM details with no field here (kept as they are):\n")
        .expect("kept details")
        .1;
    for line in [
        "- project: cmdbId: MyApp123",
        "- representation \"Application Code\" (application-code): type: code; repository: https://github.com/my-project",
        "- trust zone \"Internet\" (f0ba7722-39b6-4c81-8290-a30a248bb8d9): type: internet; trust rating: 20",
        "- mitigation \"Mitigation 2\" (3b837730-e300-11eb-ba80-0242ac130004): on no component or dataflow: Description for mitigation 2",
    ] {
        assert!(kept.lines().any(|l| l == line), "{line}\n{kept}");
    }
    assert!(
        kept.contains("- component \"Class CustomerDatabase\" (class-customerdatabase): in application-code: file src/main/otm-file/OTMClass.java, line 324"),
        "{kept}"
    );
    assert_eq!(otm::import(&text, WS).expect("again"), m, "deterministic");
    // The same model as JSON.
    let value: Value = serde_yaml_ng::from_str(&text).expect("yaml");
    let as_json = serde_json::to_string(&value).expect("json");
    assert_eq!(
        detect_format("model.json", &as_json),
        Some(ThreatFormat::Otm)
    );
    assert_eq!(otm::import(&as_json, WS).expect("json import"), m);
}

/// startleft writes IriusRisk component types (`rds` from a Visio shape or
/// an `aws_rds_cluster`, `CD-MQ`, `CD-SECRETS-MANAGER`, `kms`, `redshift`)
/// with no generic word such as "database" in them: they are data stores,
/// and a short name counts only as a whole word ("cards" holds no "rds").
#[test]
fn otm_iriusrisk_store_types_are_data_stores() {
    let text = r#"{"otmVersion": "0.1.0", "project": {"name": "P", "id": "p"},
      "trustZones": [{"id": "tz", "name": "Cloud", "risk": {"trustRating": 10}}],
      "components": [
        {"id": "1", "name": "Private Database", "type": "rds", "parent": {"trustZone": "tz"}},
        {"id": "2", "name": "Broker", "type": "CD-MQ", "parent": {"trustZone": "tz"}, "tags": ["aws_mq_broker"]},
        {"id": "3", "name": "Secrets", "type": "CD-SECRETS-MANAGER", "parent": {"trustZone": "tz"}},
        {"id": "4", "name": "Keys", "type": "kms", "parent": {"trustZone": "tz"}},
        {"id": "5", "name": "Warehouse", "type": "redshift", "parent": {"trustZone": "tz"}},
        {"id": "6", "name": "Machine", "type": "ec2", "parent": {"trustZone": "tz"}},
        {"id": "7", "name": "Cards", "type": "cards-api", "parent": {"trustZone": "tz"}},
        {"id": "8", "name": "Mobile", "type": "android-device-client", "parent": {"trustZone": "tz"}}
      ],
      "dataflows": [{"id": "f", "name": "q", "source": "6", "destination": "1"}]}"#;
    let m = otm::import(text, Uuid::nil()).unwrap();
    let kind = |name: &str| {
        m.diagrams[0]
            .elements
            .iter()
            .find(|e| e.name == name)
            .unwrap()
            .kind
    };
    for name in ["Private Database", "Broker", "Secrets", "Keys", "Warehouse"] {
        assert_eq!(kind(name), ElementKind::DataStore, "{name}");
    }
    assert_eq!(kind("Machine"), ElementKind::Process);
    assert_eq!(kind("Cards"), ElementKind::Process);
    assert_eq!(kind("Mobile"), ElementKind::ExternalEntity);
}

#[test]
fn otm_json_nested_zones_and_component_parents() {
    let text = json!({
        "otmVersion": "0.2.0",
        "project": {"name": "P", "id": "p"},
        "trustZones": [
            {"id": "outer", "name": "Outer", "risk": {"trustRating": 10}},
            {"id": "inner", "name": "Inner", "risk": {"trustRating": 50}, "parent": {"trustZone": "outer"}}
        ],
        "components": [
            {"id": "svc", "name": "Service", "type": "service", "parent": {"trustZone": "inner"}},
            {"id": "lib", "name": "Library", "type": "library", "parent": {"component": "svc"}},
            {"id": "db", "name": "DB", "type": "postgres-database", "parent": {"trustZone": "outer"}}
        ],
        "dataflows": [{"id": "q", "name": "query", "source": "svc", "destination": "db"}]
    })
    .to_string();
    let m = otm::import(&text, WS).expect("import");
    let d = &m.diagrams[0];
    assert_eq!(d.boundaries[1].parent, Some(d.boundaries[0].id));
    assert_eq!(
        d.elements[1].boundary,
        Some(d.boundaries[1].id),
        "inherits the component's zone"
    );
    assert!(d.elements[1]
        .props
        .tags
        .iter()
        .any(|t| t == "parent-component: Service"));
    assert_eq!(d.elements[2].kind, ElementKind::DataStore);
}

#[test]
fn otm_errors_say_where() {
    let e = err(otm::import("otmVersion: 0.2.0\nproject: [unclosed", WS));
    assert!(e.location.starts_with("line "), "{e}");
    let e = err(otm::import("otmVersion: 0.2.0\n", WS));
    assert_eq!(e.location, "/project");
    let e = err(otm::import("project: {name: a, id: b}\n", WS));
    assert_eq!(e.location, "/otmVersion");
    let base = "otmVersion: 0.2.0\nproject: {name: a, id: b}\ntrustZones:\n  - {id: z, name: Z, parent: {trustZone: y}}\n";
    let e = err(otm::import(base, WS));
    assert_eq!(e.location, "/trustZones/0/parent/trustZone");
    let text = "otmVersion: 0.2.0\nproject: {name: a, id: b}\ncomponents:\n  - {id: c, name: C, type: t}\ndataflows:\n  - {id: f, name: F, source: c, destination: nowhere}\n";
    let e = err(otm::import(text, WS));
    assert_eq!(e.location, "/dataflows/0/destination");
    assert!(e.reason.contains("nowhere"));
    let text = "otmVersion: 0.2.0\nproject: {name: a, id: b}\ncomponents:\n  - {id: c, name: C, type: t, threats: [{threat: t9, state: exposed}]}\n";
    let e = err(otm::import(text, WS));
    assert_eq!(e.location, "/components/0/threats/0/threat");
}

// ------------------------------------------------------------ pytm

#[test]
fn pytm_input_maps_elements_boundaries_flows_data() {
    let Some(text) = corpus_file("pytm/input.json") else {
        return;
    };
    assert_eq!(detect_format("input.json", &text), Some(ThreatFormat::Pytm));
    let m = pytm::import(&text, WS).expect("import");
    assert!(
        m.validation_errors().is_empty(),
        "{:?}",
        m.validation_errors()
    );
    let d = &m.diagrams[0];
    assert_eq!(m.name, "my test tm");
    assert_eq!(d.boundaries.len(), 2);
    assert_eq!(d.elements.len(), 3);
    assert_eq!(d.flows.len(), 4);
    assert_eq!(m.data_assets.len(), 1);
    let b = |n: &str| d.boundaries.iter().find(|b| b.name == n).map(|b| b.id);
    let el = |n: &str| d.elements.iter().find(|e| e.name == n).expect(n);
    assert_eq!(el("User").kind, ElementKind::ExternalEntity);
    assert_eq!(el("User").boundary, b("Internet"));
    assert_eq!(el("Web Server").kind, ElementKind::Process);
    assert_eq!(el("Web Server").boundary, None);
    assert_eq!(el("SQL Database").kind, ElementKind::DataStore);
    assert_eq!(el("SQL Database").boundary, b("Server/DB"));
    let pw = &m.data_assets[0];
    assert_eq!(
        pw.classification,
        plasma_models::threat::Classification::Restricted
    );
    assert!(pw
        .tags
        .contains(&plasma_models::threat::DataTag::Credentials));
    let request = d.flows.iter().find(|f| f.name == "Request").expect("flow");
    assert_eq!(request.data, vec![pw.id]);
    assert_eq!(
        (request.source, request.target),
        (el("User").id, el("Web Server").id)
    );
}

/// What a pytm author writes beyond the diagram (pytm's own tm.py sets
/// `tm.assumptions`; elements carry assumptions and overrides, the model
/// the threats it excludes, a finding the author's response) is kept as
/// text instead of being dropped, and a malformed assumption is an error
/// with its place.
#[test]
fn pytm_assumptions_exclusions_overrides_and_responses_are_kept() {
    let model = json!({
        "name": "Shop", "description": "A shop.",
        "assumptions": ["The CDN terminates TLS.",
            {"name": "Trusted laptops", "description": "Developer laptops are trusted.", "exclude": ["INP01", "INP02"]}],
        "threatsExcluded": ["DS06"],
        "boundaries": [{"name": "Internet", "assumptions": ["Anyone can reach it."]}],
        "actors": [{"__class__": "Actor", "name": "User", "inBoundary": "Internet", "assumptions": [], "overrides": []}],
        "assets": [{"__class__": "Server", "name": "Web", "assumptions": [],
            "overrides": [{"threat_id": "INP03", "response": "WAF rule 12 blocks it", "cvss": ""}]}],
        "flows": [{"name": "Order", "source": "User", "sink": "Web", "assumptions": ["Orders are small."]}],
        "findings": [{"target": "Web", "description": "SSI injection", "threat_id": "INP03",
            "severity": "High", "response": "Mitigated: WAF rule 12"}]
    });
    let m = pytm::import(&model.to_string(), Uuid::nil()).unwrap();
    for line in [
        "A shop.\n\npytm details with no field here (kept as they are):",
        "- assumption: The CDN terminates TLS.",
        "- assumption: Trusted laptops: Developer laptops are trusted. (excludes threats INP01, INP02)",
        "- threats excluded: DS06",
        "- boundary \"Internet\" assumption: Anyone can reach it.",
        "- element \"Web\" override: response: WAF rule 12 blocks it; threat_id: INP03",
        "- flow \"Order\" assumption: Orders are small.",
    ] {
        assert!(m.description.contains(line), "{line}\n---\n{}", m.description);
    }
    assert!(!m.description.contains("User\""), "{}", m.description);
    assert_eq!(
        m.threats[0].notes,
        "pytm threat: INP03\npytm response: Mitigated: WAF rule 12"
    );

    let mut bad = model.clone();
    bad["assets"][0]["assumptions"] = json!([3]);
    let e = err(pytm::import(&bad.to_string(), Uuid::nil()));
    assert_eq!(e.location, "/assets/0/assumptions/0", "{e}");
    assert!(e.reason.contains("assumption"), "{e}");
}

/// The `--json` report of the pytm version a team forked lists each actor
/// and asset twice, under `actors`/`assets` and again under `elements`: an
/// entry equal to one of `elements` is that element (the report was refused
/// as defining "User" twice), and a flow's `authenticatedWith`, a flag in
/// that report (`false`; a scheme name in others), is read as one; two
/// different definitions of one name still are refused.
#[test]
fn pytm_report_listing_elements_twice_imports_each_once() {
    let user = json!({"__class__": "Actor", "name": "User", "inBoundary": "Internet",
        "inScope": true, "outputs": ["Comment"], "findings": []});
    let web = json!({"__class__": "Server", "name": "Web Server", "inBoundary": null,
        "isHardened": false, "findings": []});
    let report = json!({
        "name": "my test tm", "description": "aaa",
        "boundaries": [{"name": "Internet", "inBoundary": null}],
        "actors": [user], "assets": [web], "elements": [user, web],
        "flows": [{"name": "Comment", "source": "User", "sink": "Web Server", "note": "bbb",
                   "isEncrypted": false, "authenticatedWith": false, "order": 1},
                  {"name": "Page", "source": "Web Server", "sink": "User",
                   "authenticatedWith": true, "order": 2}],
        "isOrdered": true, "findings": []
    });
    let m = pytm::import(&report.to_string(), WS).expect("imports");
    let names: Vec<&str> = m.diagrams[0]
        .elements
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(names, ["User", "Web Server"]);
    // `authenticatedWith` is a flag in this report (a scheme name elsewhere).
    let authenticated: Vec<bool> = m.diagrams[0]
        .flows
        .iter()
        .map(|f| f.authenticated)
        .collect();
    assert_eq!(authenticated, [false, true]);
    assert!(m.description.contains("bbb"), "{}", m.description);

    let mut numbered = report.clone();
    numbered["flows"][0]["authenticatedWith"] = json!(3);
    let e = err(pytm::import(&numbered.to_string(), WS));
    assert_eq!(e.location, "/flows/0/authenticatedWith", "{e}");

    let mut differing = report.clone();
    differing["actors"][0]["inBoundary"] = Value::Null;
    let e = err(pytm::import(&differing.to_string(), WS));
    assert!(e.reason.contains("\"User\" is defined twice"), "{e}");
}

#[test]
fn pytm_findings_and_errors() {
    let text = json!({
        "name": "tm",
        "boundaries": [{"name": "Inner", "inBoundary": "Outer"}, {"name": "Outer"}],
        "elements": [{"__class__": "Lambda", "name": "fn", "inBoundary": "Inner"}, {"__class__": "Datastore", "name": "db"}],
        "flows": [{"name": "write", "source": "fn", "sink": "db", "protocol": "TLS", "dstPort": 5432}],
        "findings": [{"target": "write", "threat_id": "DE01", "description": "Data flow sniffing", "severity": "High", "references": "CAPEC-157, CWE-311"}]
    })
    .to_string();
    let m = pytm::import(&text, WS).expect("import");
    let d = &m.diagrams[0];
    assert_eq!(d.boundaries[0].parent, Some(d.boundaries[1].id));
    assert_eq!(d.flows[0].port, Some(5432));
    assert!(d.flows[0].encrypted_in_transit);
    assert_eq!(m.threats.len(), 1);
    assert_eq!(m.threats[0].target, ThreatTarget::Flow(d.flows[0].id));
    assert_eq!(m.threats[0].references, ["CAPEC-157", "CWE-311"]);

    let e = err(pytm::import(
        r#"{"name": "x", "elements": [{"name": "a"}], "flows": [{"name": "f", "source": "a", "sink": "b"}]}"#,
        WS,
    ));
    assert_eq!(e.location, "/flows/0/sink");
    let e = err(pytm::import(
        r#"{"name": "x", "elements": [{"name": "a", "inBoundary": "nope"}]}"#,
        WS,
    ));
    assert_eq!(e.location, "/elements/0/inBoundary");
    let e = err(pytm::import(r#"{"elements": []}"#, WS));
    assert_eq!(e.location, "/name");
    let e = err(pytm::import(
        r#"{"name": "x", "boundaries": [{"name": "a", "inBoundary": "b"}, {"name": "b", "inBoundary": "a"}]}"#,
        WS,
    ));
    assert!(e.reason.contains("cycle"), "{e}");
}

/// Attributes a pytm author sets that this import does not read (pytm's
/// own inputfiles/tm.json: the web server's OS and encodesOutput, a reply's
/// responseTo) are kept as text; what pytm's report writes for every
/// attribute nobody set (false controls, level 0, unknown enums, port -1,
/// the derived inputs and outputs) adds nothing.
#[test]
fn pytm_unread_attributes_are_kept_and_defaults_are_not() {
    let controls = |extra: Value| {
        let mut c = json!({"encodesOutput": false, "isHardened": false, "usesMFA": false,
            "authenticationScheme": "", "usesEncryptionAlgorithm": ""});
        for (k, v) in extra.as_object().unwrap() {
            c[k] = v.clone();
        }
        c
    };
    let report = json!({
        "name": "tm", "isOrdered": true, "onDuplicates": "Action.NO_ACTION",
        "boundaries": [{"name": "DC", "levels": [0], "severity": 0, "sourceFiles": [],
            "maxClassification": "Classification.UNKNOWN", "controls": controls(json!({}))}],
        "actors": [{"__class__": "Actor", "name": "User", "inputs": ["Reply"], "outputs": ["Post"],
            "levels": [0], "port": -1, "protocol": "", "severity": 0, "controls": controls(json!({}))}],
        "assets": [{"__class__": "Server", "name": "Web", "inBoundary": "DC", "OS": "Ubuntu",
            "levels": [2], "sourceFiles": ["web/app.py"], "minTLSVersion": "TLSVersion.NONE",
            "controls": controls(json!({"encodesOutput": true, "isHardened": true}))},
          {"__class__": "Datastore", "name": "DB", "type": "DatastoreType.SQL", "codeType": "Unmanaged",
            "controls": controls(json!({}))}],
        "flows": [{"name": "Post", "source": "User", "sink": "Web", "order": 1, "srcPort": -1,
            "dstPort": 443, "isResponse": false, "responseTo": null, "controls": controls(json!({}))},
          {"name": "Reply", "source": "Web", "sink": "User", "order": 2, "isResponse": true,
            "responseTo": "Post", "controls": controls(json!({}))}],
        "data": [{"name": "Comments", "description": "User comments", "classification": "Classification.PUBLIC",
            "credentialsLife": "Lifetime.NONE", "isStored": false, "carriedBy": ["Post"]}]
    });
    let m = pytm::import(&report.to_string(), WS).unwrap();
    assert_eq!(
        m.description,
        "pytm details with no field here (kept as they are):\n\
         - element \"Web\": OS: Ubuntu; levels: 2; sourceFiles: web/app.py; encodesOutput: true\n\
         - element \"DB\": type: DatastoreType.SQL\n\
         - flow \"Reply\": isResponse: true; responseTo: Post\n\
         - data \"Comments\": description: User comments"
    );
    let web = m.diagrams[0]
        .elements
        .iter()
        .find(|e| e.name == "Web")
        .unwrap();
    assert!(web.props.hardened, "a flag read is not repeated as text");
}

/// A pytm finding's suggested mitigation (pytm's report gives each finding
/// its library's `mitigations` text) has no Threat Dragon field: export
/// keeps it behind the threat, so Threat Dragon export -> import loses none.
#[test]
fn pytm_finding_suggestions_survive_threat_dragon_round_trip() {
    let text = json!({
        "name": "tm",
        "elements": [{"__class__": "Server", "name": "web"}, {"__class__": "Datastore", "name": "db"}],
        "flows": [{"name": "query", "source": "web", "sink": "db"}],
        "findings": [{"target": "web", "threat_id": "INP03", "description": "SSI injection",
            "severity": "High", "mitigations": "Disable SSI execution where it is not needed."}]
    })
    .to_string();
    let m = pytm::import(&text, WS).expect("import");
    assert_eq!(
        m.threats[0].suggested_mitigations,
        ["Disable SSI execution where it is not needed."]
    );
    let back = threat_dragon::import(&threat_dragon::export(&m), WS).expect("re-import");
    assert_eq!(back.threats.len(), 1);
    assert_eq!(
        back.threats[0].suggested_mitigations,
        m.threats[0].suggested_mitigations
    );
    assert_eq!(back.threats[0].notes, m.threats[0].notes);
}

/// A file that opens as JSON but does not parse (a pytm "Element" list
/// written with a trailing comma, as pytm's own JSONtemplateForUser.json
/// is) is placed by no format; the reason given is the syntax error with its
/// line, not "cannot tell which format".
#[test]
fn undetectable_json_says_where_it_breaks() {
    let text = "[\n  {\n    \"Element\": \"Actor\",\n    \"name\": \"User\",\n  },\n  {\"Element\": \"Boundary\", \"name\": \"Web\"}\n]\n";
    assert_eq!(detect_format("model.json", text), None);
    let e = plasma_exports::threat::json_syntax_error(text).expect("a syntax error");
    assert_eq!(e.location, "line 5", "{e}");
    assert!(
        e.reason.contains("not valid JSON") && e.reason.contains("trailing comma"),
        "{e}"
    );
    let td = "\u{feff}{\"summary\": {\"title\": \"T\"},\n \"detail\": {\"diagrams\": [}\n}";
    assert_eq!(
        plasma_exports::threat::json_syntax_error(td).map(|e| e.location),
        Some("line 2".to_string())
    );
    // Not JSON at all, or valid JSON of another kind: nothing to point at.
    assert_eq!(
        plasma_exports::threat::json_syntax_error("just words"),
        None
    );
    assert_eq!(
        plasma_exports::threat::json_syntax_error("title: x\n"),
        None
    );
    assert_eq!(
        plasma_exports::threat::json_syntax_error("{\"a\": 1}"),
        None
    );
    // An empty file, or only `null` (Threat Dragon desktop's save of a model
    // it never wrote), says there is no model in it.
    for empty in ["", " \n", "\u{feff}", "null\n"] {
        let e = plasma_exports::threat::json_syntax_error(empty).expect("a reason");
        assert!(
            e.reason.contains("there is no model in it"),
            "{empty:?}: {e}"
        );
    }
}

#[test]
fn detect_format_by_content_and_name() {
    assert_eq!(
        detect_format("x.json", r#"{"summary": {}, "detail": {}}"#),
        Some(ThreatFormat::ThreatDragon)
    );
    assert_eq!(
        detect_format("x.json", r#"{"otmVersion": "0.2.0"}"#),
        Some(ThreatFormat::Otm)
    );
    assert_eq!(
        detect_format("x.yml", "otmVersion: 0.2.0\nproject: {}\n"),
        Some(ThreatFormat::Otm)
    );
    assert_eq!(
        detect_format("tm.json", r#"{"name": "a", "elements": []}"#),
        Some(ThreatFormat::Pytm)
    );
    assert_eq!(detect_format("x.json", "{nope"), None);
    assert_eq!(
        detect_format("x.yaml", "threagile_version: 1.0.0\ntitle: T\n"),
        Some(ThreatFormat::Threagile)
    );
    assert_eq!(
        detect_format("x.json", r#"{"threagile_version": "1.0.0"}"#),
        Some(ThreatFormat::Threagile)
    );
    assert_eq!(
        detect_format(
            "model.tc.json",
            r#"{"schema": 1, "applicationInfo": {"name": "A"}, "threats": []}"#
        ),
        Some(ThreatFormat::ThreatComposer)
    );
    // A `schema` that is not Threat Composer's version number is not enough.
    assert_eq!(
        detect_format("x.json", r#"{"schema": "x", "threats": []}"#),
        None
    );
    assert_eq!(detect_format("x.md", "# ADR"), None);
}

// ------------------------------------------------------------ robustness

fn corpus_texts() -> Vec<(ThreatFormat, String)> {
    let mut out: Vec<(ThreatFormat, String)> = td_corpus()
        .into_iter()
        .map(|(_, t)| (ThreatFormat::ThreatDragon, t))
        .collect();
    if let Some(t) = corpus_file("otm/EXAMPLE.yaml") {
        out.push((ThreatFormat::Otm, t));
    }
    if let Some(t) = corpus_file("pytm/input.json") {
        out.push((ThreatFormat::Pytm, t));
    }
    if let Some(t) = corpus_file("threagile/threagile-example.yaml") {
        out.push((ThreatFormat::Threagile, t));
    }
    if let Some(t) = corpus_file("threat-composer/ThreatComposer.images-stripped.tc.json") {
        out.push((ThreatFormat::ThreatComposer, t));
    }
    // A small Threagile model: every section, references between them.
    out.push((
        ThreatFormat::Threagile,
        "threagile_version: 1.0.0
title: T
data_assets:
  D: {id: d, confidentiality: confidential, integrity: critical, availability: archive}
technical_assets:
  A:
    id: a
    type: external-entity
    internet: true
    communication_links:
      L: {target: b, protocol: https, authentication: token, data_assets_sent: [d], data_assets_received: [d]}
  B: {id: b, type: datastore, technology: vault, data_assets_stored: [d]}
trust_boundaries:
  Z: {id: z, type: network-on-prem, technical_assets_inside: [b], trust_boundaries_nested: [y]}
  Y: {id: y, technical_assets_inside: []}
shared_runtimes:
  R: {id: r, technical_assets_running: [a, b]}
individual_risk_categories:
  C:
    id: c
    stride: spoofing
    risks_identified:
      X: {severity: high, exploitation_likelihood: likely, exploitation_impact: high, most_relevant_technical_asset: b}
      W: {severity: low, most_relevant_communication_link: a>l}
risk_tracking:
  c@b: {status: mitigated, justification: done}
  other@*: {status: accepted}
"
        .to_string(),
    ));
    // A hand-made Threat Modeling Tool model (its own tests damage its
    // structure: `tests/tm7.rs`).
    out.push((
        ThreatFormat::Tm7,
        include_str!("../../tests/fixtures/threats/small.tm7").to_string(),
    ));
    // Always something, even without the corpus.
    out.push((
        ThreatFormat::ThreatDragon,
        td(json!([
            boxed("b", "B", 0.0, 0.0, 500.0, 500.0),
            node("a", "actor", "A", 10.0, 10.0),
            node("p", "process", "P", 200.0, 10.0),
            flow("f", "a", "p", "x"),
        ])),
    ));
    // The shapes real files brought: agents, a turned box, a loop, an end
    // in the open, an end on a boundary, threats on a boundary, a text
    // block; pytm's "Element" list.
    let mut agent = node("ag", "process", "Agent", 100.0, 100.0);
    agent["shape"] = json!("agent");
    let mut zone = boxed("z", "Z", 0.0, 0.0, 600.0, 100.0);
    zone["angle"] = json!(90);
    zone["data"]["threats"] =
        json!([{"title": "t", "type": "Tampering", "status": "Open", "severity": "Low"}]);
    out.push((
        ThreatFormat::ThreatDragon,
        td(json!([
            zone,
            agent,
            node("p", "process", "P", 300.0, 10.0),
            flow("l", "p", "p", "loop"),
            json!({"id": "o", "shape": "flow", "zIndex": 5, "source": {"cell": "p"}, "target": {"x": 2000, "y": 2000},
                "data": {"type": "tm.Flow", "name": "open", "threats": [{"title": "u", "type": "Spoofing", "status": "Open", "severity": "High"}]}}),
            flow("b", "ag", "z", "to zone"),
            json!({"id": "t", "shape": "td-text-block", "zIndex": 1, "position": {"x": 0, "y": 0}, "data": {"type": "tm.Text", "name": "note"}}),
        ])),
    ));
    out.push((
        ThreatFormat::Pytm,
        json!([
            {"Element": "TM", "name": "tm"},
            {"Element": "Boundary", "id": "b", "name": "B"},
            {"Element": "Actor", "id": "u", "name": "U", "inBoundary": {"$ref": "b"}},
            {"Element": "Server", "id": "w", "name": "W"},
            {"Element": "Dataflow", "id": "f", "name": "F", "source": {"$ref": "u"}, "sink": {"$ref": "w"}, "data": "d"}
        ])
        .to_string(),
    ));
    out
}

fn import_any(format: ThreatFormat, text: &str) -> Result<ThreatModel, ImportError> {
    match format {
        ThreatFormat::ThreatDragon => threat_dragon::import(text, WS),
        ThreatFormat::Otm => otm::import(text, WS),
        ThreatFormat::Pytm => pytm::import(text, WS),
        ThreatFormat::Threagile => threagile::import(text, WS),
        ThreatFormat::ThreatComposer => threat_composer::import(text, WS),
        ThreatFormat::Tm7 => tm7::import(text, WS),
    }
}

fn check_total(format: ThreatFormat, text: &str) {
    if let Ok(m) = import_any(format, text) {
        // Whatever imports can be rendered and exported.
        let _ = plasma_exports::threat::report::markdown(&m);
        let _ = plasma_exports::threat::report::threats_csv(&m);
        for i in 0..m.diagrams.len() {
            let _ = plasma_exports::threat::diagram::svg(&m, i);
        }
        let _ = threat_dragon::export(&m);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Byte-level damage: never a panic, always Ok or an ImportError.
    #[test]
    fn damaged_text_never_panics(pick in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), len in 0usize..40, junk in "[{}\\[\\]\",:a-z0-9 \n-]{0,8}") {
        let files = corpus_texts();
        let (format, text) = &files[pick.index(files.len())];
        let damaged = splice(text, at, len, &junk);
        check_total(*format, &damaged);
    }

    /// Structural damage: a key removed or a value replaced by another type.
    #[test]
    fn damaged_structure_never_panics(pick in any::<prop::sample::Index>(), which in any::<prop::sample::Index>(), kind in 0u8..7) {
        let files = corpus_texts();
        let (format, text) = &files[pick.index(files.len())];
        let mut value: Value = match format {
            ThreatFormat::Otm | ThreatFormat::Tm7 => return Ok(()),
            // JSON is YAML: damaged Threagile models are written as JSON.
            ThreatFormat::Threagile => serde_yaml_ng::from_str(text).expect("corpus YAML"),
            _ => serde_json::from_str(text).expect("corpus JSON"),
        };
        let mut all = vec![];
        paths(&value, vec![], &mut all);
        let path = all[which.index(all.len())].clone();
        replace_at(&mut value, &path, replacement(kind));
        let damaged = value.to_string();
        check_total(*format, &damaged);
        if let Err(e) = import_any(*format, &damaged) {
            prop_assert!(!e.location.is_empty() && !e.reason.is_empty());
        }
    }
}

// ------------------------------------------------------------ shapes seen in other tools' real files

#[test]
fn threat_dragon_loose_flow_end_joins_the_element_drawn_there() {
    // Threat Dragon keeps a flow whose end was dropped on an element's edge
    // without snapping as a point; its label may be a plain string.
    let mut loose = json!({"id": "f-loose", "shape": "flow", "zIndex": 5, "labels": ["Send receipt"],
        "source": {"cell": "mailer"}, "target": {"x": 480, "y": 300},
        "data": {"type": "tm.Flow", "hasOpenThreats": true,
            "threats": [{"title": "Receipt read in transit", "type": "Information disclosure", "status": "Open", "severity": "High"}]}});
    let cells = json!([
        node("mailer", "process", "Mailer", 100.0, 100.0),
        node("inbox", "actor", "Customer inbox", 440.0, 300.0),
        node("ledger", "store", "Ledger", 700.0, 600.0),
        loose.clone()
    ]);
    let m = threat_dragon::import(&td(cells), WS).expect("a loose end next to an element imports");
    let d = &m.diagrams[0];
    let inbox = d
        .elements
        .iter()
        .find(|e| e.name == "Customer inbox")
        .expect("inbox");
    assert_eq!(d.flows.len(), 1);
    assert_eq!(d.flows[0].target, inbox.id);
    assert_eq!(
        d.flows[0].name, "Send receipt",
        "a plain-string label names the flow"
    );
    assert_eq!(m.threats.len(), 1);
    assert_eq!(m.threats[0].target, ThreatTarget::Flow(d.flows[0].id));
    assert!(
        m.description.contains("\"Send receipt\"") && m.description.contains("Customer inbox"),
        "the model says which end was joined: {}",
        m.description
    );

    // A loose end far from every element (Threat Dragon lets a flow end in
    // the open): the flow is a line of the model description, its threats
    // on the element at its other end, and export draws it again.
    loose["target"] = json!({"x": 2000, "y": 2000});
    loose["data"]["protocol"] = json!("SMTP");
    loose["data"]["isPublicNetwork"] = json!(true);
    let cells = json!([
        node("mailer", "process", "Mailer", 100.0, 100.0),
        loose.clone()
    ]);
    let m = threat_dragon::import(&td(cells), WS).expect("an end in the open imports");
    assert!(
        m.validation_errors().is_empty(),
        "{:?}",
        m.validation_errors()
    );
    let d = &m.diagrams[0];
    assert!(d.flows.is_empty());
    assert_eq!(m.threats.len(), 1);
    assert_eq!(m.threats[0].target, ThreatTarget::Element(d.elements[0].id));
    assert!(
        m.description.contains("\"Send receipt\") loose ends"),
        "{}",
        m.description
    );
    let out = threat_dragon::export(&m);
    let v: Value = serde_json::from_str(&out).expect("json");
    let cells = v["detail"]["diagrams"][0]["cells"]
        .as_array()
        .expect("cells");
    let drawn = cells
        .iter()
        .find(|c| c["data"]["name"] == "Send receipt")
        .expect("the flow is drawn again");
    assert_eq!(drawn["target"], json!({"x": 2000.0, "y": 2000.0}));
    assert_eq!(drawn["data"]["protocol"], "SMTP");
    assert_eq!(drawn["data"]["isPublicNetwork"], true);
    assert_eq!(drawn["data"]["isEncrypted"], false);
    assert_eq!(drawn["source"]["cell"], d.elements[0].id.to_string());
    assert_eq!(
        drawn["data"]["threats"][0]["title"],
        "Receipt read in transit"
    );
    let again = threat_dragon::import(&out, WS).expect("re-import");
    assert_eq!(again, m);

    // Both ends in the open with threats: they belong nowhere, an error.
    loose["source"] = json!({"x": 3000, "y": 3000});
    let cells = json!([node("mailer", "process", "Mailer", 100.0, 100.0), loose]);
    let e = err(threat_dragon::import(&td(cells), WS));
    assert_eq!(e.location, "/detail/diagrams/0/cells/1");
    assert!(e.reason.contains("Send receipt"), "{e}");
}

#[test]
fn otm_early_startleft_layout_imports() {
    // startleft's first examples: `trustzones`, `parent: <id>`, `from`/`to`.
    let text = "otmVersion: 0.1.0\nproject:\n  name: Kiosk\n  id: kiosk\ntrustzones:\n  - id: lobby\n    name: Lobby\n  - id: backoffice\n    name: Back office\ncomponents:\n  - id: screen\n    name: Touch screen\n    type: kiosk-client\n    parent: lobby\n  - id: api\n    name: Order API\n    type: service\n    parent: backoffice\n  - id: plugin\n    name: Payment plugin\n    type: library\n    parent: api\ndataflows:\n  - id: order\n    name: Place order\n    type: network\n    from: screen\n    to: api\n";
    let m = otm::import(text, WS).expect("import");
    // The dataflow's `type` has no field here; it stays in the description.
    assert!(
        m.description
            .contains("- dataflow \"Place order\" (order): type: network"),
        "{}",
        m.description
    );
    let d = &m.diagrams[0];
    assert_eq!(d.boundaries.len(), 2);
    assert_eq!(d.elements.len(), 3);
    assert_eq!(d.elements[0].boundary, Some(d.boundaries[0].id));
    assert_eq!(d.elements[1].boundary, Some(d.boundaries[1].id));
    assert_eq!(
        d.elements[2].boundary,
        Some(d.boundaries[1].id),
        "a component parent passes on its zone"
    );
    assert_eq!(d.flows.len(), 1);
    assert_eq!(
        (d.flows[0].source, d.flows[0].target),
        (d.elements[0].id, d.elements[1].id)
    );
    let bad = text.replace("parent: lobby", "parent: nowhere");
    let e = err(otm::import(&bad, WS));
    assert_eq!(e.location, "/components/0/parent");
    assert!(e.reason.contains("nowhere"), "{e}");
}

#[test]
fn pytm_report_layout_keeps_actors_assets_controls_and_data() {
    // What `tm.py --json` writes: elements split into `actors` and `assets`,
    // flags under `controls`, flow data by name only, `dstPort: -1`.
    let text = json!({
        "name": "greenhouse",
        "boundaries": [{"name": "Farm LAN", "inBoundary": null}],
        "actors": [{"__class__": "Actor", "name": "Grower", "inBoundary": null, "controls": {"isHardened": false}}],
        "assets": [
            {"__class__": "Server", "name": "Climate hub", "inBoundary": "Farm LAN", "controls": {"hasAccessControl": true, "sanitizesInput": true}},
            {"__class__": "Datastore", "name": "Sensor log", "inBoundary": "Farm LAN", "storesLogData": true, "controls": {"isEncryptedAtRest": true}}
        ],
        "flows": [
            {"name": "Set target humidity", "source": "Grower", "sink": "Climate hub", "data": ["session token"], "dstPort": -1, "controls": {"isEncrypted": true}},
            {"name": "Append reading", "source": "Climate hub", "sink": "Sensor log", "data": [], "dstPort": 5432}
        ],
        "findings": [],
        "onDuplicates": "Action.NO_ACTION"
    })
    .to_string();
    assert_eq!(
        detect_format("report.json", &text),
        Some(ThreatFormat::Pytm)
    );
    let m = pytm::import(&text, WS).expect("import");
    let d = &m.diagrams[0];
    let names: Vec<&str> = d.elements.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Grower", "Climate hub", "Sensor log"]);
    assert_eq!(d.elements[0].kind, ElementKind::ExternalEntity);
    assert_eq!(d.elements[2].kind, ElementKind::DataStore);
    assert!(d.elements[1].props.has_access_control && d.elements[1].props.sanitizes_input);
    assert!(d.elements[2].props.encrypted_at_rest && d.elements[2].props.is_log);
    assert_eq!(d.elements[1].boundary, Some(d.boundaries[0].id));
    assert_eq!(d.flows.len(), 2);
    assert!(d.flows[0].encrypted_in_transit);
    assert_eq!(d.flows[0].port, None);
    assert_eq!(d.flows[1].port, Some(5432));
    assert_eq!(m.data_assets.len(), 1);
    assert_eq!(m.data_assets[0].name, "session token");
    assert_eq!(d.flows[0].data, [m.data_assets[0].id]);
}

#[test]
fn pytm_arrays_say_what_they_are() {
    let library = r#"[{"SID": "XX01", "target": ["Process"], "description": "d", "condition": "target.x is True"}]"#;
    assert_eq!(
        detect_format("threats.json", library),
        Some(ThreatFormat::Pytm)
    );
    let e = err(pytm::import(library, WS));
    assert_eq!(e.location, "/");
    assert!(e.reason.contains("threat library"), "{e}");
    assert_eq!(detect_format("x.json", "[1, 2]"), None);
}

#[test]
fn pytm_element_list_reads_boundaries_elements_and_flows() {
    // pytm's `"Element"` list (as in pytm's inputfiles/): the model is one
    // entry, references are {"$ref": id}, a flow's data is a string.
    let listed = json!([
        {"Element": "TM", "id": "tm", "name": "Comments", "description": "A comment system"},
        {"Element": "Boundary", "id": "net", "name": "Internet"},
        {"Element": "Boundary", "id": "dc", "name": "Data centre"},
        {"Element": "Actor", "id": "u", "name": "User", "inBoundary": {"$ref": "net"}},
        {"Element": "Server", "id": "w", "name": "Web", "isHardened": true},
        {"Element": "Datastore", "id": "db", "name": "SQL", "inBoundary": {"$ref": "dc"}},
        {"Element": "Dataflow", "id": "f1", "name": "Post", "source": {"$ref": "u"}, "sink": {"$ref": "w"},
         "protocol": "HTTP", "dstport": "80", "data": "Comments"},
        {"Element": "Dataflow", "id": "f2", "name": "Insert", "source": {"$ref": "w"}, "sink": {"$ref": "db"},
         "protocol": "MySQL", "data": "Insert statement"},
        {"Element": "Dataflow", "id": "f3", "name": "Reply", "source": {"$ref": "w"}, "sink": {"$ref": "u"},
         "responseTo": {"$ref": "f1"}}
    ])
    .to_string();
    assert_eq!(detect_format("tm.json", &listed), Some(ThreatFormat::Pytm));
    let m = pytm::import(&listed, WS).expect("element list");
    assert_eq!(m.name, "Comments");
    // The reply's responseTo has no field here: kept as text.
    assert_eq!(
        m.description,
        "A comment system\n\npytm details with no field here (kept as they are):\n- flow \"Reply\": responseTo: Post"
    );
    let d = &m.diagrams[0];
    assert_eq!(d.boundaries.len(), 2);
    assert_eq!(d.elements.len(), 3);
    assert_eq!(d.flows.len(), 3);
    let by_name = |n: &str| d.elements.iter().find(|e| e.name == n).expect(n);
    assert_eq!(by_name("User").kind, ElementKind::ExternalEntity);
    assert_eq!(by_name("SQL").kind, ElementKind::DataStore);
    assert!(by_name("Web").props.hardened);
    assert_eq!(by_name("User").boundary, Some(d.boundaries[0].id));
    assert_eq!(by_name("SQL").boundary, Some(d.boundaries[1].id));
    assert_eq!(by_name("Web").boundary, None);
    assert_eq!(d.flows[0].source, by_name("User").id);
    assert_eq!(d.flows[0].target, by_name("Web").id);
    assert_eq!(d.flows[0].port, Some(80));
    assert_eq!(d.flows[0].protocol, "HTTP", "as the file writes it");
    assert_eq!(d.flows[0].data.len(), 1);
    assert!(m.validation_errors().is_empty());

    // Errors point into the list.
    let broken = json!([
        {"Element": "TM", "name": "t"},
        {"Element": "Actor", "id": "a", "name": "A"},
        {"Element": "Dataflow", "name": "f", "source": {"$ref": "a"}, "sink": {"$ref": "nope"}}
    ])
    .to_string();
    let e = err(pytm::import(&broken, WS));
    assert_eq!(e.location, "/2/sink/$ref");
    assert!(e.reason.contains("\"nope\""), "{e}");
    let bad_flag = json!([
        {"Element": "TM", "name": "t"},
        {"Element": "Actor", "id": "a", "name": "A"},
        {"Element": "Server", "id": "s", "name": "S", "isHardened": "varBool(True/False)"}
    ])
    .to_string();
    let e = err(pytm::import(&bad_flag, WS));
    assert_eq!(e.location, "/2/isHardened");
    let no_class = r#"[{"Element": "TM", "name": "t"}, {"name": "x"}]"#;
    let e = err(pytm::import(no_class, WS));
    assert_eq!(e.location, "/1/Element");
}

#[test]
fn otm_component_in_an_undefined_trust_zone_keeps_it() {
    // Threat Dragon's own OTM fixture (and files for IriusRisk's predefined
    // zones) put a component in a trust zone the file never defines.
    let text = json!({
        "otmVersion": "0.2.0",
        "project": {"name": "P", "id": "p"},
        "trustZones": [{"id": "dmz", "name": "DMZ", "risk": {"trustRating": 20}}],
        "components": [
            {"id": "web", "name": "Web", "type": "web-service", "parent": {"trustZone": "dmz"},
             "threats": [{"threat": "t1", "state": "exposed",
                          "mitigations": [{"mitigation": "m1", "state": "implemented"}]}]},
            {"id": "cls", "name": "Repository class", "type": "code", "parent": {"trustZone": "private-secured"},
             "assets": null, "threats": null, "attributes": null},
            {"id": "job", "name": "Batch job", "type": "service", "parent": {"trustZone": "private-secured"}}
        ],
        "dataflows": [{"id": "f", "name": "F", "source": "web", "destination": "cls",
                       "bidirectional": true, "tags": null, "threats": null}],
        "threats": [{"id": "t1", "name": "Injection", "categories": ["Tampering"]}],
        "mitigations": [
            {"id": "m1", "name": "Parameterised queries", "description": "Use bind variables everywhere", "riskReduction": 50},
            {"id": "m2", "name": "Unused", "description": "Not referenced"}
        ]
    })
    .to_string();
    let m = otm::import(&text, WS).expect("import");
    let d = &m.diagrams[0];
    assert_eq!(d.boundaries.len(), 2);
    assert_eq!(d.boundaries[1].name, "private-secured");
    assert_eq!(d.elements[1].boundary, Some(d.boundaries[1].id));
    assert_eq!(
        d.elements[2].boundary,
        Some(d.boundaries[1].id),
        "one zone for both"
    );
    assert_eq!(d.flows.len(), 1);
    // The same file gives the same ids.
    let again = otm::import(&text, WS).expect("import");
    assert_eq!(again.diagrams[0].boundaries[1].id, d.boundaries[1].id);
    // A mitigation's description and risk reduction are kept with the threat.
    let t = &m.threats[0];
    assert_eq!(t.mitigations[0].title, "Parameterised queries");
    assert_eq!(t.mitigations[0].status, MitigationStatus::Done);
    assert!(
        t.notes
            .contains("Mitigation \"Parameterised queries\" (risk reduction 50): Use bind variables everywhere"),
        "{}",
        t.notes
    );
}

#[test]
fn threat_dragon_owner_reviewer_and_contributors_survive() {
    let mut doc: Value =
        serde_json::from_str(&td(json!([node("a", "actor", "Browser", 10.0, 10.0)])))
            .expect("json");
    doc["summary"]["owner"] = json!("Security Guild");
    doc["detail"]["reviewer"] = json!("Jane  Smith");
    // v1 files list contributors as objects with Angular's `$$hashKey`.
    doc["detail"]["contributors"] = json!([
        {"name": "Ana", "$$hashKey": "object:14"},
        {"name": "Bo"},
        "Cy"
    ]);
    let m = threat_dragon::import(&doc.to_string(), WS).expect("import");
    for line in [
        "Threat Dragon owner: Security Guild",
        "Threat Dragon reviewer: Jane Smith",
        "Threat Dragon contributors: Ana, Bo, Cy",
    ] {
        assert!(
            m.description.lines().any(|l| l == line),
            "{}",
            m.description
        );
    }
    let out: Value = serde_json::from_str(&threat_dragon::export(&m)).expect("json");
    assert_eq!(out["summary"]["owner"], "Security Guild");
    assert_eq!(out["detail"]["reviewer"], "Jane Smith");
    assert_eq!(
        out["detail"]["contributors"],
        json!([{"name": "Ana"}, {"name": "Bo"}, {"name": "Cy"}])
    );
    let again = threat_dragon::import(&out.to_string(), WS).expect("re-import");
    assert_eq!(again.description, m.description, "no line is added twice");
    // An empty or odd owner is no line.
    doc["summary"]["owner"] = json!("");
    doc["detail"]["reviewer"] = json!(null);
    doc["detail"]["contributors"] = json!([]);
    let m = threat_dragon::import(&doc.to_string(), WS).expect("import");
    assert!(
        !m.description.contains("Threat Dragon"),
        "{}",
        m.description
    );
}

#[test]
fn otm_trust_zone_inside_a_component_sits_in_its_zone() {
    // startleft's Visio output: a trust zone drawn inside a component.
    let text = "otmVersion: 0.1.0\nproject:\n  name: Cloud\n  id: cloud\ntrustZones:\n  - id: inner\n    name: Private subnet\n    parent:\n      component: 'vm'\n  - id: outer\n    name: Public cloud\ncomponents:\n  - id: 'vm'\n    name: Host VM\n    type: ec2\n    parent:\n      trustZone: outer\n  - id: 'db'\n    name: Orders DB\n    type: rds\n    parent:\n      trustZone: inner\ndataflows: []\n";
    let m = otm::import(text, WS).expect("import");
    let d = &m.diagrams[0];
    let (inner, outer) = (&d.boundaries[0], &d.boundaries[1]);
    assert_eq!(inner.parent, Some(outer.id));
    assert_eq!(d.elements[0].boundary, Some(outer.id));
    assert_eq!(d.elements[1].boundary, Some(inner.id));
    assert!(
        m.description
            .contains("Trust zone \"Private subnet\" is drawn inside component \"Host VM\"."),
        "{}",
        m.description
    );
    // Inside a component that is inside the zone itself: an error, not a loop.
    let looped = text.replace("trustZone: outer", "trustZone: inner");
    let e = err(otm::import(&looped, WS));
    assert_eq!(e.location, "/trustZones/0/parent/component");
    assert!(
        e.reason.contains("Host VM") || e.reason.contains("vm"),
        "{e}"
    );
    // An unknown component is named.
    let e = err(otm::import(
        &text.replace("component: 'vm'", "component: 'nope'"),
        WS,
    ));
    assert!(e.reason.contains("nope"), "{e}");
}

#[test]
fn threat_dragon_flow_scope_and_description_survive() {
    // v1 (Threat Dragon 1.x) keeps the flags on the cell, v2 under `data`.
    let mut v2_flow = flow("f4b1c2d3-0000-4000-8000-000000000001", "a", "p", "Response");
    v2_flow["data"]["outOfScope"] = json!(true);
    v2_flow["data"]["reasonOutOfScope"] = json!("outbound answer to the client");
    v2_flow["data"]["description"] = json!("Sent after\nevery call");
    let text = td(json!([
        node("a", "actor", "Client", 10.0, 10.0),
        node("p", "process", "API", 300.0, 10.0),
        v2_flow,
        flow("f4b1c2d3-0000-4000-8000-000000000002", "p", "a", "Push"),
    ]));
    let m = threat_dragon::import(&text, WS).expect("import");
    let d = &m.diagrams[0];
    assert_eq!(
        d.flows[0].out_of_scope.as_deref(),
        Some("outbound answer to the client")
    );
    assert_eq!(d.flows[1].out_of_scope, None, "only that flow");
    assert!(
        !m.description.contains("out of scope"),
        "the flag is the flow's, not a note: {}",
        m.description
    );
    assert!(d.elements.iter().all(|e| e.out_of_scope.is_none()));
    let out: Value = serde_json::from_str(&threat_dragon::export(&m)).expect("json");
    let flows: Vec<&Value> = out["detail"]["diagrams"][0]["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .filter(|c| c["shape"] == "flow")
        .collect();
    assert_eq!(flows[0]["data"]["outOfScope"], true);
    assert_eq!(
        flows[0]["data"]["reasonOutOfScope"],
        "outbound answer to the client"
    );
    assert_eq!(flows[0]["data"]["description"], "Sent after\nevery call");
    assert_eq!(flows[1]["data"]["outOfScope"], false, "only that flow");
    let again = threat_dragon::import(&out.to_string(), WS).expect("re-import");
    assert_eq!(again.description, m.description, "no line is added twice");

    let v1 = json!({
        "summary": {"title": "Kernel"},
        "detail": {"contributors": [], "diagrams": [{"title": "K", "id": 0, "diagramJson": {"cells": [
            {"type": "tm.Actor", "id": "c", "size": {"width": 160, "height": 80}, "position": {"x": 50, "y": 50},
             "attrs": {"text": {"text": "SSH Client"}}},
            {"type": "tm.Process", "id": "k", "size": {"width": 100, "height": 100}, "position": {"x": 340, "y": 180},
             "attrs": {"text": {"text": "Kernel"}}},
            {"type": "tm.Flow", "id": "r", "source": {"id": "k"}, "target": {"id": "c"},
             "labels": [{"position": {"distance": 0.59, "offset": -6.05}, "attrs": {"text": {"text": "SSH Response"}}}],
             "outOfScope": true, "reasonOutOfScope": "This is an external call"}
        ]}}]}
    });
    let m = threat_dragon::import(&v1.to_string(), WS).expect("v1 import");
    assert_eq!(
        m.diagrams[0].flows[0].out_of_scope.as_deref(),
        Some("This is an external call")
    );
}

/// The cell of the first diagram of an exported Threat Dragon model with this id.
fn exported_cell<'v>(out: &'v Value, id: &str) -> &'v Value {
    out["detail"]["diagrams"][0]["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no cell {id}"))
}

#[test]
fn threat_dragon_flow_label_apart_from_the_name_comes_back_as_it_was() {
    // Threat Dragon 2.6 models written by other tools put a canvas label
    // beside the name; X6 draws `attrs.label` over `attrs.text`.
    let labels = json!([{"attrs": {"label": {"text": "Data Flow"}, "text": {"text": "F2 polling / token"}}}]);
    let mut polled = flow(
        "7c1d0e2f-0000-4000-8000-000000000001",
        "a",
        "p",
        "Bot API to api",
    );
    polled["labels"] = labels.clone();
    let mut usual = flow("7c1d0e2f-0000-4000-8000-000000000002", "p", "a", "Reply");
    usual["labels"] = json!([{"position": 0.5, "attrs": {"label": {"text": "Reply (HTTPS)"}}}]);
    let mut looped = flow("7c1d0e2f-0000-4000-8000-000000000003", "p", "p", "Retry");
    looped["labels"] = json!(["backoff"]);
    let text = td(json!([
        node("a", "actor", "Bot API", 10.0, 10.0),
        node("p", "process", "api", 300.0, 10.0),
        polled,
        usual,
        looped,
    ]));
    let m = threat_dragon::import(&text, WS).expect("import");
    assert_eq!(m.diagrams[0].flows[0].name, "Bot API to api");
    assert!(
        !m.description.contains("(\"Reply\") label"),
        "a label that is the name with its protocol is no note: {}",
        m.description
    );

    let exported = threat_dragon::export(&m);
    let out: Value = serde_json::from_str(&exported).expect("json");
    let cell = |id: &str| exported_cell(&out, id);
    assert_eq!(
        cell("7c1d0e2f-0000-4000-8000-000000000001")["labels"],
        labels
    );
    assert_eq!(
        cell("7c1d0e2f-0000-4000-8000-000000000001")["data"]["name"],
        "Bot API to api"
    );
    assert_eq!(
        cell("7c1d0e2f-0000-4000-8000-000000000002")["labels"][0]["attrs"]["label"]["text"],
        "Reply (HTTPS)"
    );
    assert_eq!(
        cell("7c1d0e2f-0000-4000-8000-000000000003")["labels"],
        json!(["backoff"])
    );
    let again = threat_dragon::import(&exported, WS).expect("re-import");
    assert_eq!(again, m, "TD -> ours -> TD -> ours");

    // The report says what a Threat Dragon user saw on the arrow.
    let mut with_threats = m.clone();
    with_threats.threats = generate(&m, &RuleSet::bundled().expect("rules"));
    let md = report::markdown(&with_threats);
    assert!(
        md.contains("Bot API to api (Bot API → api), labelled \"Data Flow\" in Threat Dragon"),
        "{md}"
    );

    // Renamed here, the flow shows its new name, as Threat Dragon would.
    let mut renamed = m.clone();
    renamed.diagrams[0].flows[0].name = "Bot API polls api".into();
    let out: Value = serde_json::from_str(&threat_dragon::export(&renamed)).expect("json");
    assert_eq!(
        exported_cell(&out, "7c1d0e2f-0000-4000-8000-000000000001")["labels"][0]["attrs"]["label"]
            ["text"],
        "Bot API polls api (HTTPS)"
    );
}

#[test]
fn threat_dragon_out_of_scope_elements_round_trip_and_raise_no_threats() {
    let mut store = node("s", "store", "Audit archive", 300.0, 200.0);
    store["data"]["outOfScope"] = json!(true);
    store["data"]["reasonOutOfScope"] = json!("Owned by the records team");
    // Plain text into the archive: the flow itself has threats.
    let mut archive_flow = flow("f4b1c2d3-0000-4000-8000-000000000003", "p", "s", "Archive");
    archive_flow["data"]["isEncrypted"] = json!(false);
    let text = td(json!([
        node("a", "actor", "Client", 10.0, 10.0),
        node("p", "process", "API", 300.0, 10.0),
        store,
        archive_flow,
    ]));
    let m = threat_dragon::import(&text, WS).expect("import");
    let archive = m.diagrams[0]
        .elements
        .iter()
        .find(|e| e.name == "Audit archive")
        .expect("store");
    assert_eq!(
        archive.out_of_scope.as_deref(),
        Some("Owned by the records team")
    );
    assert!(
        !archive.props.tags.iter().any(|t| t.contains("scope")),
        "{:?}",
        archive.props.tags
    );
    let rules = RuleSet::bundled().expect("rules");
    let threats = generate(&m, &rules);
    assert!(threats.iter().all(|t| t.target.id() != archive.id));
    assert!(threats
        .iter()
        .any(|t| t.target.id() == m.diagrams[0].flows[0].id));

    let out: Value = serde_json::from_str(&threat_dragon::export(&m)).expect("json");
    let cell = out["detail"]["diagrams"][0]["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .find(|c| c["data"]["name"] == "Audit archive")
        .expect("exported store");
    assert_eq!(cell["data"]["outOfScope"], true);
    assert_eq!(
        cell["data"]["reasonOutOfScope"],
        "Owned by the records team"
    );
    let again = threat_dragon::import(&out.to_string(), WS).expect("re-import");
    assert_eq!(again.diagrams, m.diagrams);

    let md = report::markdown(&m);
    assert!(
        md.contains(
            "- **Out of scope** (no threats raised): 1\n  - Audit archive (data store): Owned by the records team\n"
        ),
        "{md}"
    );
    let svg = diagram::svg(&m, 0);
    let faded = format!(
        r#"<g class="element data_store out-of-scope" opacity="0.45" id="e-{}"><title>Audit archive (out of scope)</title>"#,
        archive.id
    );
    assert!(svg.contains(&faded), "{svg}");
    assert_eq!(svg.matches("out-of-scope").count(), 1, "only the archive");
}

#[test]
fn pytm_example_template_with_types_and_targets() {
    // pytm's example template: `type` for the class, `target` for the sink.
    let text = r#"{"name": "Shop", "elements": [
        {"name": "Buyer", "type": "Actor"},
        {"name": "Edge", "type": "Boundary"},
        {"name": "Shop API", "type": "Server", "inBoundary": "Edge"},
        {"name": "Orders", "type": "Datastore"}
    ], "flows": [
        {"source": "Buyer", "target": "Shop API"},
        {"name": "save", "source": "Shop API", "sink": "Orders"}
    ]}"#;
    assert_eq!(
        detect_format("template_tm.json", text),
        Some(ThreatFormat::Pytm)
    );
    let m = pytm::import(text, WS).expect("import");
    let d = &m.diagrams[0];
    assert_eq!(d.boundaries.len(), 1);
    assert_eq!(d.elements.len(), 3);
    assert_eq!(d.elements[0].kind, ElementKind::ExternalEntity);
    assert_eq!(d.elements[1].boundary, Some(d.boundaries[0].id));
    assert_eq!(d.elements[2].kind, ElementKind::DataStore);
    assert_eq!(d.flows.len(), 2);
    assert_eq!(
        (d.flows[0].source, d.flows[0].target),
        (d.elements[0].id, d.elements[1].id)
    );
    // Neither end: the error names the missing key.
    let e = err(pytm::import(
        r#"{"name": "S", "elements": [{"name": "A", "type": "Actor"}], "flows": [{"source": "A"}]}"#,
        WS,
    ));
    assert_eq!(e.location, "/flows/0/sink");
}

#[test]
fn pytm_in_scope_false_marks_elements_and_flows_out_of_scope() {
    let text = r#"{"name": "Shop", "elements": [
        {"__class__": "Actor", "name": "Buyer"},
        {"__class__": "Server", "name": "Legacy ERP", "inScope": false},
        {"__class__": "Datastore", "name": "Orders"}
    ], "flows": [
        {"name": "sync", "source": "Legacy ERP", "sink": "Orders", "inScope": false},
        {"name": "order", "source": "Buyer", "sink": "Legacy ERP"}
    ]}"#;
    let m = pytm::import(text, WS).expect("import");
    let d = &m.diagrams[0];
    let scoped: Vec<(&str, bool)> = d
        .elements
        .iter()
        .map(|e| (e.name.as_str(), e.out_of_scope.is_some()))
        .chain(
            d.flows
                .iter()
                .map(|f| (f.name.as_str(), f.out_of_scope.is_some())),
        )
        .collect();
    assert_eq!(
        scoped,
        [
            ("Buyer", false),
            ("Legacy ERP", true),
            ("Orders", false),
            ("sync", true),
            ("order", false)
        ]
    );
    let bad = r#"{"name": "Shop", "elements": [{"__class__": "Actor", "name": "Buyer", "inScope": "no"}]}"#;
    let e = err(pytm::import(bad, WS));
    assert!(e.to_string().contains("inScope"), "{e}");
}

#[test]
fn threat_dragon_boundary_description_and_paragraphs_survive() {
    // Threat Dragon 2 boundaries carry a description (and user models put
    // paragraphs in flow descriptions): both come back on export.
    let mut zone = boxed("b", "Service", 0.0, 0.0, 600.0, 400.0);
    zone["data"]["description"] = json!("Service zone\n\nOwned by team A \\ ops");
    let mut f = flow("f4b1c2d3-0000-4000-8000-000000000003", "a", "p", "Call");
    f["data"]["description"] = json!("First paragraph.\n\nDATA EXCHANGED: URL");
    let text = td(json!([
        zone,
        node("a", "actor", "Client", 700.0, 10.0),
        node("p", "process", "API", 100.0, 100.0),
        f,
    ]));
    let m = threat_dragon::import(&text, WS).expect("import");
    let out: Value = serde_json::from_str(&threat_dragon::export(&m)).expect("json");
    let cells = out["detail"]["diagrams"][0]["cells"]
        .as_array()
        .expect("cells");
    let boundary = cells
        .iter()
        .find(|c| c["shape"] == "trust-boundary-box")
        .expect("boundary");
    assert_eq!(
        boundary["data"]["description"],
        "Service zone\n\nOwned by team A \\ ops"
    );
    let flow = cells.iter().find(|c| c["shape"] == "flow").expect("flow");
    assert_eq!(
        flow["data"]["description"],
        "First paragraph.\n\nDATA EXCHANGED: URL"
    );
    let again = threat_dragon::import(&out.to_string(), WS).expect("re-import");
    assert_eq!(again.description, m.description, "no line is added twice");
}

#[test]
fn threat_dragon_multi_line_boundary_curve_is_noted_once() {
    // A v1 boundary line whose label has a line break (Threat Dragon's own
    // v1 test model): importing the export again must not repeat the note.
    let v1 = json!({
        "summary": {"title": "Lines", "description": "test description"},
        "detail": {"contributors": [], "diagrams": [{"title": "D", "id": 0, "diagramJson": {"cells": [
            {"type": "tm.Process", "id": "p", "size": {"width": 100, "height": 100}, "position": {"x": 490, "y": 59},
             "attrs": {"text": {"text": "process"}}},
            {"type": "tm.Boundary", "id": "b", "source": {"x": 86, "y": 221}, "target": {"x": 932, "y": 140},
             "vertices": [{"x": 656, "y": 214}],
             "labels": [{"position": 0.5, "attrs": {"text": {"text": "test boundary\n1"}}}]}
        ]}}]}
    });
    let m = threat_dragon::import(&v1.to_string(), WS).expect("v1 import");
    assert_eq!(m.diagrams[0].boundaries[0].name, "test boundary\n1");
    let once = threat_dragon::export(&m);
    let again = threat_dragon::import(&once, WS).expect("re-import");
    assert_eq!(again.description, m.description);
    assert_eq!(threat_dragon::export(&again), once);
}

#[test]
fn threat_dragon_agent_shapes_and_unknown_node_shapes_import() {
    // Threat Dragon's AI agent and tool shapes, a fork's own shape, the
    // headered `trust-boundary` box and a palette flow saved by mistake.
    let mut agent = node("ag", "process", "Planner agent", 100.0, 100.0);
    agent["shape"] = json!("agent");
    agent["data"]["type"] = json!("tm.Agent");
    let mut tool = node("tl", "process", "Search tool", 300.0, 100.0);
    tool["shape"] = json!("agent-tool");
    tool["data"]["type"] = json!("tm.Tool");
    let mut vectors = node("vs", "store", "Embeddings", 100.0, 300.0);
    vectors["shape"] = json!("vector-store");
    vectors["data"]["type"] = json!("tm.VectorStore");
    let mut zone = boxed("z", "Agent runtime", 0.0, 0.0, 500.0, 500.0);
    zone["shape"] = json!("trust-boundary");
    let stencil = json!({"id": "st", "shape": "flow-stencil", "zIndex": 3,
        "position": {"x": 600, "y": 600}, "size": {"width": 60, "height": 60}});
    let text = td(json!([
        zone,
        agent,
        tool,
        vectors,
        flow("f1", "ag", "tl", "Call tool"),
        flow("f2", "ag", "vs", "Lookup"),
        stencil,
    ]));
    let m = threat_dragon::import(&text, WS).expect("import");
    let d = &m.diagrams[0];
    assert_eq!(d.elements.len(), 3);
    assert_eq!(d.flows.len(), 2);
    assert_eq!(d.boundaries.len(), 1);
    let by_name = |n: &str| d.elements.iter().find(|e| e.name == n).expect(n);
    assert_eq!(by_name("Planner agent").kind, ElementKind::Process);
    assert_eq!(by_name("Search tool").kind, ElementKind::Process);
    assert_eq!(by_name("Embeddings").kind, ElementKind::DataStore);
    assert!(d
        .elements
        .iter()
        .all(|e| e.boundary == Some(d.boundaries[0].id)));
    assert!(
        m.description.contains("palette flow shape(s) \"st\""),
        "{}",
        m.description
    );

    // Export writes the shapes back, and the round trip is stable.
    let out = threat_dragon::export(&m);
    let v: Value = serde_json::from_str(&out).expect("json");
    let cells = v["detail"]["diagrams"][0]["cells"]
        .as_array()
        .expect("cells");
    let shape_of = |n: &str| {
        let c = cells.iter().find(|c| c["data"]["name"] == n).expect(n);
        (c["shape"].clone(), c["data"]["type"].clone())
    };
    assert_eq!(
        shape_of("Planner agent"),
        (json!("agent"), json!("tm.Agent"))
    );
    assert_eq!(
        shape_of("Search tool"),
        (json!("agent-tool"), json!("tm.Tool"))
    );
    assert_eq!(
        shape_of("Embeddings"),
        (json!("vector-store"), json!("tm.VectorStore"))
    );
    let again = threat_dragon::import(&out, WS).expect("re-import");
    assert_eq!(threat_dragon::export(&again), out);

    // A cell of an unknown shape that is neither a node nor an edge is
    // still an error that names it.
    let e = err(threat_dragon::import(
        &td(json!([{"id": "q", "shape": "mystery", "zIndex": 1}])),
        WS,
    ));
    assert_eq!(e.location, "/detail/diagrams/0/cells/0/shape");
    assert!(e.reason.contains("mystery"), "{e}");
}

#[test]
fn threat_dragon_same_cell_id_in_two_diagrams_is_two_cells() {
    // A diagram copied by hand into a second one keeps its cell ids.
    let cells = json!([
        node(
            "7052f9ed-945d-4f52-aa9c-927080fe3c1e",
            "actor",
            "User",
            10.0,
            10.0
        ),
        node(
            "9fbcb2ae-5a66-47d0-8060-eec4b2df004d",
            "process",
            "Web",
            300.0,
            10.0
        ),
        flow(
            "af511092-6ea2-4e85-8842-f3050c33a119",
            "7052f9ed-945d-4f52-aa9c-927080fe3c1e",
            "9fbcb2ae-5a66-47d0-8060-eec4b2df004d",
            "Request"
        ),
    ]);
    let doc = json!({
        "version": "2.2.0",
        "summary": {"title": "Copied"},
        "detail": {"contributors": [], "diagrams": [
            {"id": 0, "title": "One", "diagramType": "STRIDE", "cells": cells},
            {"id": 1, "title": "Two", "diagramType": "STRIDE", "cells": cells}
        ]}
    });
    let m = threat_dragon::import(&doc.to_string(), WS).expect("import");
    assert_eq!(m.diagrams.len(), 2);
    assert_eq!(m.diagrams[1].elements.len(), 2);
    assert_eq!(m.diagrams[1].flows.len(), 1);
    assert!(
        m.validation_errors().is_empty(),
        "{:?}",
        m.validation_errors()
    );
    let f = &m.diagrams[1].flows[0];
    assert!(m.diagrams[1].elements.iter().any(|e| e.id == f.source));
    // The first diagram keeps Threat Dragon's ids.
    assert_eq!(
        m.diagrams[0].elements[0].id.to_string(),
        "7052f9ed-945d-4f52-aa9c-927080fe3c1e"
    );
    // Within one diagram a repeated id is still an error.
    let twice = td(json!([
        node("a", "actor", "A", 0.0, 0.0),
        node("a", "process", "B", 200.0, 0.0)
    ]));
    let e = err(threat_dragon::import(&twice, WS));
    assert_eq!(e.location, "/detail/diagrams/0/cells/1/id");
}

#[test]
fn otm_owner_and_zone_and_dataflow_descriptions_reach_threat_dragon() {
    let text = json!({
        "otmVersion": "0.2.0",
        "project": {"name": "Shop", "id": "shop", "owner": "Jane Roe", "ownerContact": "jane@example.com"},
        "trustZones": [{"id": "tz", "name": "Internet", "description": "Untrusted\n\nanyone", "risk": {"trustRating": 10}}],
        "components": [
            {"id": "c", "name": "Browser", "type": "web-client", "parent": {"trustZone": "tz"}},
            {"id": "s", "name": "Shop API", "type": "web-service", "parent": {"trustZone": "tz"}}
        ],
        "dataflows": [{"id": "f", "name": "Order", "source": "c", "destination": "s", "description": "Places an order"}]
    })
    .to_string();
    let m = otm::import(&text, WS).expect("otm");
    let out: Value = serde_json::from_str(&threat_dragon::export(&m)).expect("json");
    assert_eq!(out["summary"]["owner"], "Jane Roe <jane@example.com>");
    let cells = out["detail"]["diagrams"][0]["cells"]
        .as_array()
        .expect("cells");
    let zone = cells
        .iter()
        .find(|c| c["data"]["name"] == "Internet")
        .expect("zone");
    assert_eq!(zone["data"]["description"], "Untrusted\n\nanyone");
    let flow = cells.iter().find(|c| c["shape"] == "flow").expect("flow");
    assert_eq!(flow["data"]["description"], "Places an order");
}

#[test]
fn pytm_flow_description_note_and_boundary_description_reach_threat_dragon() {
    let text = json!({
        "name": "tm",
        "boundaries": [{"name": "DMZ", "description": "Between the firewalls"}],
        "elements": [
            {"__class__": "Actor", "name": "User"},
            {"__class__": "Server", "name": "Web", "inBoundary": "DMZ"}
        ],
        "flows": [{"name": "Post", "source": "User", "sink": "Web", "description": "Posts a comment", "note": "simple web app"}]
    })
    .to_string();
    let m = pytm::import(&text, WS).expect("pytm");
    let out: Value = serde_json::from_str(&threat_dragon::export(&m)).expect("json");
    let cells = out["detail"]["diagrams"][0]["cells"]
        .as_array()
        .expect("cells");
    let zone = cells
        .iter()
        .find(|c| c["data"]["name"] == "DMZ")
        .expect("zone");
    assert_eq!(zone["data"]["description"], "Between the firewalls");
    let flow = cells.iter().find(|c| c["shape"] == "flow").expect("flow");
    assert_eq!(
        flow["data"]["description"],
        "Posts a comment\n\nNote: simple web app"
    );
}

#[test]
fn otm_threat_modeling_tool_attributes_set_scope_and_flags() {
    // startleft's output for Microsoft Threat Modeling Tool models keeps the
    // tool's properties as attribute strings.
    let text = "otmVersion: 0.1.0
project:
  id: p
  name: MTMT
trustZones:
  - id: tz
    name: Internet Boundary
    risk:
      trustRating: 10
components:
  - id: c
    name: Browser
    type: web-client
    parent:
      trustZone: tz
    attributes:
      Out Of Scope: 'true'
      Reason For Out Of Scope: Customer's device
  - id: s
    name: Store
    type: other-nosql-key-value-store
    parent:
      trustZone: tz
    attributes:
      Out Of Scope: 'false'
      Encrypted: 'Yes'
      Stores Credentials: 'Yes'
dataflows:
  - id: f
    name: HTTPS
    source: c
    destination: s
    attributes:
      Out Of Scope: 'false'
      Provides Confidentiality: 'Yes'
      Reason For Out Of Scope: {}
";
    let m = otm::import(text, WS).expect("otm");
    let d = &m.diagrams[0];
    assert_eq!(
        d.elements[0].out_of_scope.as_deref(),
        Some("Customer's device")
    );
    assert_eq!(d.elements[1].out_of_scope, None);
    assert!(d.elements[1].props.encrypted_at_rest);
    assert!(d.elements[1].props.stores_credentials);
    assert_eq!(d.flows[0].out_of_scope, None);
    assert!(d.flows[0].encrypted_in_transit);
}

#[test]
fn threat_dragon_loop_flow_keeps_its_threats_and_comes_back_on_export() {
    // Threat Dragon allows a flow from an element back to itself
    // (`allowLoop`); a flow here joins two elements.
    let mut lp = flow("5b8e1c1e-0000-4000-8000-00000000000a", "p", "p", "Retry");
    lp["data"]["description"] = json!("Retries itself");
    lp["data"]["protocol"] = json!("AMQP");
    lp["data"]["isEncrypted"] = json!(true);
    lp["data"]["isBidirectional"] = json!(true);
    lp["data"]["threats"] = json!([{
        "id": "5b8e1c1e-0000-4000-8000-0000000000aa", "title": "Retry storm",
        "type": "Denial of service", "status": "Open", "severity": "High",
        "description": "Unbounded retries", "mitigation": "Back off"
    }]);
    let text = td(json!([
        node("a", "actor", "Client", 10.0, 10.0),
        node("p", "process", "Worker", 300.0, 10.0),
        flow("5b8e1c1e-0000-4000-8000-00000000000b", "a", "p", "Job"),
        lp,
    ]));
    let m = threat_dragon::import(&text, WS).expect("import");
    assert!(
        m.validation_errors().is_empty(),
        "{:?}",
        m.validation_errors()
    );
    let d = &m.diagrams[0];
    assert_eq!(d.flows.len(), 1, "the loop is no flow of the model");
    assert!(m.description.contains("\"Retry\""), "{}", m.description);
    let worker = d
        .elements
        .iter()
        .find(|e| e.name == "Worker")
        .expect("worker");
    let t = m
        .threats
        .iter()
        .find(|t| t.title == "Retry storm")
        .expect("the loop's threat is kept");
    assert_eq!(t.target, ThreatTarget::Element(worker.id));

    // Export draws the loop again, with its threat and description.
    let out = threat_dragon::export(&m);
    let v: Value = serde_json::from_str(&out).expect("json");
    let cells = v["detail"]["diagrams"][0]["cells"]
        .as_array()
        .expect("cells");
    let loop_cell = cells
        .iter()
        .find(|c| c["id"] == "5b8e1c1e-0000-4000-8000-00000000000a")
        .expect("loop cell");
    assert_eq!(loop_cell["source"]["cell"], loop_cell["target"]["cell"]);
    assert_eq!(loop_cell["data"]["name"], "Retry");
    assert_eq!(loop_cell["data"]["description"], "Retries itself");
    // What Threat Dragon's flow panel said of it comes back too.
    assert_eq!(loop_cell["data"]["protocol"], "AMQP");
    assert_eq!(loop_cell["data"]["isEncrypted"], true);
    assert_eq!(loop_cell["data"]["isBidirectional"], true);
    assert_eq!(loop_cell["data"]["isPublicNetwork"], false);
    let threats = loop_cell["data"]["threats"].as_array().expect("threats");
    assert_eq!(threats.len(), 1);
    assert_eq!(threats[0]["title"], "Retry storm");
    let worker_cell = cells
        .iter()
        .find(|c| c["data"]["name"] == "Worker")
        .expect("worker");
    assert!(worker_cell["data"]["threats"]
        .as_array()
        .expect("threats")
        .iter()
        .all(|t| t["title"] != "Retry storm"));
    let again = threat_dragon::import(&out, WS).expect("re-import");
    assert_eq!(again, m, "TD -> ours -> TD -> ours");
}

#[test]
fn threat_dragon_diagram_type_and_description_survive() {
    let doc = json!({
        "version": "2.3.0",
        "summary": {"title": "Wallet"},
        "detail": {"contributors": [], "diagrams": [
            {"id": 0, "title": "Main", "diagramType": "STRIDE", "cells": [node("a", "actor", "User", 0.0, 0.0)]},
            {"id": 1, "title": "Privacy", "diagramType": "LINDDUN", "description": "Privacy view\nof the wallet",
             "thumbnail": "./public/content/images/thumbnail.linddun.jpg", "cells": [node("b", "process", "Wallet", 0.0, 0.0)]},
            {"id": 2, "title": "CIA", "diagramType": "CIA", "cells": []}
        ]}
    });
    let m = threat_dragon::import(&doc.to_string(), WS).expect("import");
    let out: Value = serde_json::from_str(&threat_dragon::export(&m)).expect("json");
    let diagrams = out["detail"]["diagrams"].as_array().expect("diagrams");
    assert_eq!(diagrams[0]["diagramType"], "STRIDE");
    assert_eq!(diagrams[1]["diagramType"], "LINDDUN");
    assert_eq!(
        diagrams[1]["thumbnail"],
        "./public/content/images/thumbnail.linddun.jpg"
    );
    assert_eq!(diagrams[1]["description"], "Privacy view\nof the wallet");
    assert_eq!(diagrams[2]["diagramType"], "CIA");
    assert!(diagrams[0].get("description").is_none());
    let again = threat_dragon::import(&out.to_string(), WS).expect("re-import");
    assert_eq!(again, m);
}

#[test]
fn threat_dragon_text_blocks_come_back_on_export() {
    let text_block = json!({"id": "t1", "shape": "td-text-block", "zIndex": 1,
        "position": {"x": 10, "y": 10}, "size": {"width": 200, "height": 60},
        "attrs": {"text": {"text": "Provided by the cookbook\nsecond line"}},
        "data": {"type": "tm.Text", "name": "Provided by the cookbook\nsecond line"}});
    let text = td(json!([
        text_block,
        node("a", "actor", "User", 100.0, 200.0)
    ]));
    let m = threat_dragon::import(&text, WS).expect("import");
    let out: Value = serde_json::from_str(&threat_dragon::export(&m)).expect("json");
    let cells = out["detail"]["diagrams"][0]["cells"]
        .as_array()
        .expect("cells");
    let blocks: Vec<&Value> = cells
        .iter()
        .filter(|c| c["shape"] == "td-text-block")
        .collect();
    assert_eq!(blocks.len(), 1);
    assert_eq!(
        blocks[0]["data"]["name"],
        "Provided by the cookbook\nsecond line"
    );
    let again = threat_dragon::import(&out.to_string(), WS).expect("re-import");
    assert_eq!(again, m);
    assert_eq!(threat_dragon::export(&again), threat_dragon::export(&m));
}

#[test]
fn threat_dragon_export_is_the_same_from_another_workspace() {
    // The CLI imports an export into another database (another workspace,
    // so other derived ids): the notes must not hang on those ids.
    let other = Uuid::from_u128(0x9999_0000_0000_4000_8000_0000_0000_0001);
    let text_block = json!({"id": "t1", "shape": "td-text-block", "zIndex": 1,
        "position": {"x": 10, "y": 10}, "size": {"width": 200, "height": 60},
        "data": {"type": "tm.Text", "name": "Note on the diagram"}});
    let doc = json!({
        "summary": {"title": "Moves"},
        "detail": {"diagrams": [
            {"id": 0, "title": "Main", "diagramType": "STRIDE", "cells": [text_block, node("a", "actor", "User", 0.0, 200.0)]},
            {"id": 1, "title": "Privacy", "diagramType": "LINDDUN", "description": "why", "cells": [node("b", "process", "Wallet", 0.0, 0.0)]}
        ]}
    });
    let mut texts = vec![doc.to_string()];
    texts.extend(td_corpus().into_iter().map(|(_, t)| t));
    for text in texts {
        let first = threat_dragon::export(&threat_dragon::import(&text, WS).expect("import"));
        let second =
            threat_dragon::export(&threat_dragon::import(&first, other).expect("re-import"));
        assert_eq!(first, second);
    }
}

#[test]
fn a_file_of_another_format_says_which_import_to_use() {
    let otm_text = r#"{"otmVersion": "0.2.0", "project": {"name": "p", "id": "p"}}"#;
    let td_text = r#"{"summary": {"title": "t"}, "detail": {"diagrams": []}}"#;
    let pytm_text = r#"{"name": "tm", "elements": [], "flows": []}"#;
    let e = err(threat_dragon::import(otm_text, WS));
    assert_eq!(e.location, "/");
    assert!(e.reason.contains("--format otm"), "{e}");
    let e = err(threat_dragon::import(pytm_text, WS));
    assert!(e.reason.contains("--format pytm"), "{e}");
    let e = err(otm::import(td_text, WS));
    assert!(e.reason.contains("--format td"), "{e}");
    let e = err(pytm::import(otm_text, WS));
    assert!(e.reason.contains("--format otm"), "{e}");
    let bom = r#"{"bomFormat": "CycloneDX", "specVersion": "1.6"}"#;
    let e = err(threat_dragon::import(bom, WS));
    assert!(e.reason.contains("CycloneDX"), "{e}");
    let schema = r#"{"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "properties": {}}"#;
    let e = err(threat_dragon::import(schema, WS));
    assert!(e.reason.contains("JSON Schema"), "{e}");
    // An object that looks like nothing known still names the missing key.
    let e = err(threat_dragon::import(r#"{"title": "x"}"#, WS));
    assert_eq!(e.location, "/summary");
}

#[test]
fn threat_dragon_flow_to_a_boundary_stays_open_there() {
    // Threat Dragon attaches an edge dropped on a trust boundary's empty
    // area to the boundary: no element there, so that end stays in the open
    // at the boundary and the flow is kept as a line of the description.
    let mut into = flow("f", "a", "zone", "Into the DMZ");
    into["data"]["threats"] = json!([{"title": "Sniffed", "type": "Information disclosure",
        "status": "Open", "severity": "Low", "description": "", "mitigation": ""}]);
    let text = td(json!([
        boxed("zone", "DMZ", 0.0, 0.0, 400.0, 300.0),
        node("a", "actor", "User", 500.0, 10.0),
        into,
    ]));
    let m = threat_dragon::import(&text, WS).expect("import");
    assert!(m.diagrams[0].flows.is_empty());
    let user = m.diagrams[0].elements[0].id;
    assert_eq!(m.threats[0].target, ThreatTarget::Element(user));
    assert!(
        m.description.contains("attached to trust boundary"),
        "{}",
        m.description
    );
    let out: Value = serde_json::from_str(&threat_dragon::export(&m)).expect("json");
    let cells = out["detail"]["diagrams"][0]["cells"]
        .as_array()
        .expect("cells");
    let drawn = cells
        .iter()
        .find(|c| c["data"]["name"] == "Into the DMZ")
        .expect("drawn again");
    assert_eq!(drawn["target"], json!({"x": 200.0, "y": 150.0}));

    // A flow attached to another flow is still an error that says so.
    let text = td(json!([
        node("a", "actor", "User", 500.0, 10.0),
        node("b", "process", "API", 100.0, 10.0),
        flow("f1", "a", "b", "Call"),
        flow("f2", "a", "f1", "Odd"),
    ]));
    let e = err(threat_dragon::import(&text, WS));
    assert_eq!(e.location, "/detail/diagrams/0/cells/3/target/cell");
    assert!(e.reason.contains("another flow"), "{e}");
}

#[test]
fn pytm_early_report_without_elements_is_refused_not_emptied() {
    // An early pytm report: threats by element name, no elements or flows.
    let text = json!({
        "name": "my test tm",
        "description": "d",
        "potential threats": [{"name": "INP03", "description": "SSI Injection", "targeted element": "Web Server", "severity": "High"}]
    })
    .to_string();
    let e = err(pytm::import(&text, WS));
    assert_eq!(e.location, "/potential threats");
    assert!(e.reason.contains("early pytm threat report"), "{e}");
    // Found without --format too (OWASP/pytm's report.json was "cannot tell").
    assert_eq!(
        detect_format("report.json", &text),
        Some(ThreatFormat::Pytm)
    );
}

#[test]
fn threat_dragon_turned_boundary_contains_what_its_turned_outline_holds() {
    // A 600 x 100 box turned a quarter: it stands 100 wide and 600 tall
    // about its centre (300, 50), so it holds (250..350, -250..350).
    let mut zone = boxed("z", "Column", 0.0, 0.0, 600.0, 100.0);
    zone["angle"] = json!(90);
    let text = td(json!([
        zone,
        node("in", "process", "Inside", 260.0, 250.0),
        node("out", "process", "Outside", 500.0, 20.0),
    ]));
    let m = threat_dragon::import(&text, WS).expect("import");
    let d = &m.diagrams[0];
    let z = d.boundaries[0].id;
    let boundary = |n: &str| d.elements.iter().find(|e| e.name == n).expect(n).boundary;
    assert_eq!(boundary("Inside"), Some(z));
    assert_eq!(boundary("Outside"), None);
    let again = threat_dragon::import(&threat_dragon::export(&m), WS).expect("re-import");
    assert_eq!(again, m);
}

#[test]
fn otm_and_pytm_flows_from_an_element_to_itself_are_kept_as_loops() {
    let otm_text = "otmVersion: 0.2.0
project:
  id: p
  name: Loops
components:
  - id: c
    name: Worker
    type: web-service
  - id: d
    name: DB
    type: database
dataflows:
  - id: f
    name: Retry
    source: c
    destination: c
    threats:
      - threat: t1
        state: exposed
  - id: g
    name: Write
    source: c
    destination: d
threats:
  - id: t1
    name: Retry storm
    categories: [Denial of service]
";
    let m = otm::import(otm_text, WS).expect("otm");
    assert!(
        m.validation_errors().is_empty(),
        "{:?}",
        m.validation_errors()
    );
    assert_eq!(m.diagrams[0].flows.len(), 1);
    let worker = m.diagrams[0].elements[0].id;
    assert_eq!(m.threats.len(), 1);
    assert_eq!(m.threats[0].target, ThreatTarget::Element(worker));
    let out: Value = serde_json::from_str(&threat_dragon::export(&m)).expect("json");
    let cells = out["detail"]["diagrams"][0]["cells"]
        .as_array()
        .expect("cells");
    let retry = cells
        .iter()
        .find(|c| c["data"]["name"] == "Retry")
        .expect("the loop is drawn");
    assert_eq!(retry["source"]["cell"], retry["target"]["cell"]);
    assert_eq!(retry["data"]["threats"][0]["title"], "Retry storm");

    let pytm_text = json!({
        "name": "selfy",
        "elements": [{"__class__": "Process", "name": "Worker"}, {"__class__": "Datastore", "name": "DB"}],
        "flows": [{"name": "Retry", "source": "Worker", "sink": "Worker"}, {"name": "Write", "source": "Worker", "sink": "DB"}],
        "findings": [{"target": "Retry", "description": "Retry storm", "threat_id": "DO01", "severity": "High"}]
    })
    .to_string();
    let m = pytm::import(&pytm_text, WS).expect("pytm");
    assert!(
        m.validation_errors().is_empty(),
        "{:?}",
        m.validation_errors()
    );
    assert_eq!(m.diagrams[0].flows.len(), 1);
    let worker = m.diagrams[0].elements[0].id;
    assert_eq!(m.threats[0].target, ThreatTarget::Element(worker));
    let out = threat_dragon::export(&m);
    assert!(out.contains("\"Retry\""), "the loop is drawn");
}

#[test]
fn a_model_without_a_name_is_refused_where_the_name_is() {
    let e = err(threat_dragon::import(
        r#"{"summary": {"title": "  "}, "detail": {"diagrams": []}}"#,
        WS,
    ));
    assert_eq!(e.location, "/summary/title");
    let e = err(otm::import(
        "otmVersion: 0.2.0\nproject:\n  id: p\n  name: ''\n",
        WS,
    ));
    assert_eq!(e.location, "/project/name");
    let e = err(pytm::import(r#"{"name": "", "elements": []}"#, WS));
    assert_eq!(e.location, "/name");
}

#[test]
fn pytm_report_enum_classifications_are_read() {
    // pytm's --json report writes enums as `Classification.SECRET`.
    use plasma_models::threat::Classification;
    let text = json!({
        "name": "tm",
        "actors": [{"__class__": "Actor", "name": "User"}],
        "assets": [{"__class__": "Server", "name": "Web"}],
        "data": [
            {"name": "Token", "classification": "Classification.SECRET"},
            {"name": "Page", "classification": "Classification.PUBLIC"},
            {"name": "Mystery", "classification": "Classification.UNKNOWN"}
        ],
        "flows": [{"name": "Login", "source": "User", "sink": "Web", "data": ["Token", "Page"]}]
    })
    .to_string();
    let m = pytm::import(&text, WS).expect("pytm report");
    let class = |n: &str| {
        m.data_assets
            .iter()
            .find(|a| a.name == n)
            .expect(n)
            .classification
    };
    assert_eq!(class("Token"), Classification::Restricted);
    assert_eq!(class("Page"), Classification::Public);
    assert_eq!(class("Mystery"), Classification::Internal);
}

#[test]
fn threat_dragon_threats_on_a_boundary_are_kept_and_written_back() {
    // Threat Dragon draws no threats on boundaries, but generated files
    // put them there; they must not vanish.
    let mut zone = boxed("z", "DMZ", 0.0, 0.0, 400.0, 300.0);
    zone["data"]["threats"] = json!([{"title": "Firewall bypass", "type": "Elevation of privilege",
        "status": "Open", "severity": "High", "description": "Rules\nare stale", "mitigation": "Review"}]);
    let text = td(json!([zone, node("a", "process", "API", 10.0, 10.0)]));
    let m = threat_dragon::import(&text, WS).expect("import");
    assert!(
        m.description.contains("Firewall bypass"),
        "{}",
        m.description
    );
    let out = threat_dragon::export(&m);
    let v: Value = serde_json::from_str(&out).expect("json");
    let zone = v["detail"]["diagrams"][0]["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .find(|c| c["shape"] == "trust-boundary-box")
        .expect("zone")
        .clone();
    assert_eq!(zone["data"]["threats"][0]["title"], "Firewall bypass");
    assert_eq!(
        zone["data"]["threats"][0]["description"],
        "Rules\nare stale"
    );
    let again = threat_dragon::import(&out, WS).expect("re-import");
    assert_eq!(again, m);
}

#[test]
fn threat_dragon_free_text_privilege_level_comes_back() {
    // Threat Dragon 1 wrote free text into privilegeLevel.
    let mut worker = node("w", "process", "Worker", 10.0, 10.0);
    worker["data"]["privilegeLevel"] = json!("executionContext =Limited");
    let m = threat_dragon::import(&td(json!([worker])), WS).expect("import");
    let e = &m.diagrams[0].elements[0];
    assert_eq!(e.props.privilege, plasma_models::threat::Privilege::Low);
    let out: Value = serde_json::from_str(&threat_dragon::export(&m)).expect("json");
    let cell = &out["detail"]["diagrams"][0]["cells"][0];
    assert_eq!(cell["data"]["privilegeLevel"], "executionContext =Limited");
    // Once the level is changed here, the level is written.
    let mut changed = m.clone();
    changed.diagrams[0].elements[0].props.privilege = plasma_models::threat::Privilege::Root;
    let out: Value = serde_json::from_str(&threat_dragon::export(&changed)).expect("json");
    let cell = &out["detail"]["diagrams"][0]["cells"][0];
    assert_ne!(cell["data"]["privilegeLevel"], "executionContext =Limited");
}

#[test]
fn threat_dragon_export_keeps_what_threat_dragon_has_no_field_for() {
    // A pytm model: element flags, tags, a flow's port, authentication and
    // data, and the data assets, through Threat Dragon and back.
    let text = json!({
        "name": "tm",
        "data": [{"name": "Password", "classification": "SECRET", "lifetime": "LONG"}],
        "elements": [
            {"__class__": "Actor", "name": "User"},
            {"__class__": "Lambda", "name": "Fn", "hasAccessControl": true, "isHardened": true, "sanitizesInput": true}
        ],
        "flows": [{"name": "Call", "source": "User", "sink": "Fn", "dstPort": 443,
                   "authenticatesSource": true, "authorizesSource": true, "data": ["Password"]}]
    })
    .to_string();
    let m = pytm::import(&text, WS).expect("pytm");
    let back = threat_dragon::import(&threat_dragon::export(&m), WS).expect("re-import");
    assert_eq!(back.data_assets, m.data_assets);
    let (a, b) = (&m.diagrams[0], &back.diagrams[0]);
    for (x, y) in a.elements.iter().zip(&b.elements) {
        assert_eq!(x.props, y.props, "{}", x.name);
    }
    let (fx, fy) = (&a.flows[0], &b.flows[0]);
    assert_eq!(fy.port, Some(443));
    assert!(fy.authenticated && fy.authorized);
    assert_eq!(fy.data, fx.data);
    // A fork's key of the same name that is no boolean is no error.
    let mut n = node("p", "process", "P", 0.0, 0.0);
    n["data"]["sanitizesInput"] = json!("varBool(True/False)");
    threat_dragon::import(&td(json!([n])), WS).expect("lenient");
}

#[test]
fn threat_dragon_v1_diagram_never_opened_is_an_empty_diagram() {
    // Threat Dragon 1 saves a diagram nobody drew in with its title only (no
    // `diagramJson`), as in a workshop's model of two empty diagrams.
    let text = json!({
        "summary": {"title": "Workshop", "owner": "Team", "description": "d"},
        "detail": {
            "contributors": [{"name": "Attendee", "$$hashKey": "object:101"}],
            "diagrams": [
                {"title": "Example", "thumbnail": "./public/content/images/thumbnail.stride.jpg",
                 "diagramType": "STRIDE", "id": 0, "$$hashKey": "object:103"},
                {"title": "Copy of Example", "diagramType": "STRIDE", "id": 1}
            ],
            "reviewer": "Attendees"
        }
    })
    .to_string();
    let m = threat_dragon::import(&text, WS).expect("import");
    let names: Vec<&str> = m.diagrams.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["Example", "Copy of Example"]);
    assert!(m.diagrams.iter().all(|d| d.elements.is_empty()));
    assert!(m.description.contains("Threat Dragon reviewer: Attendees"));
    let again = threat_dragon::import(&threat_dragon::export(&m), WS).expect("re-import");
    assert_eq!(again, m);
    // A diagram JSON without its cells is still an error that says where.
    let mut doc: Value = serde_json::from_str(&text).expect("json");
    doc["detail"]["diagrams"][0]["diagramJson"] = json!({});
    let e = err(threat_dragon::import(&doc.to_string(), WS));
    assert_eq!(e.location, "/detail/diagrams/0/diagramJson/cells", "{e}");
}

#[test]
fn threat_dragon_keys_outside_the_format_are_kept_as_text() {
    // A CT scanner model (Threat Dragon 2.6 with v1 cells) carries its own
    // `modelMetadata`, flow groups and `conditional` flags; a fork's threat
    // an `evidence` key. Threat Dragon ignores them; the import keeps them.
    let mut flow_cell = flow("f", "a", "p", "F01a DICOM Storage");
    flow_cell["flowGroupId"] = json!("F01a");
    flow_cell["data"]["conditional"] = json!(true);
    let mut actor = node("a", "actor", "Clinical User", 10.0, 10.0);
    actor["data"]["threats"] = json!([{"title": "Spoof", "type": "Spoofing", "status": "Open",
        "severity": "High", "number": 1, "threatId": "2f4c9c79-f07e-4855-8518-56832ec89808",
        "evidence": ["D", "U"]}]);
    let mut doc: Value = serde_json::from_str(&td(json!([
        actor,
        node("p", "process", "CT Scanner", 300.0, 10.0),
        flow_cell
    ])))
    .expect("json");
    doc["modelMetadata"] = json!({"status": "Educational model", "purpose": ["Learning"]});
    doc["detail"]["diagrams"][0]["size"] = json!({"height": 700, "width": 1200});
    doc["detail"]["diagrams"][0]["$$hashKey"] = json!("object:103");
    let m = threat_dragon::import(&doc.to_string(), WS).expect("import");
    let para = m
        .description
        .split("\n\n")
        .find(|p| p.starts_with("Threat Dragon keys this import does not read"))
        .unwrap_or_else(|| panic!("no paragraph in {}", m.description));
    let lines: Vec<&str> = para.lines().skip(1).collect();
    assert_eq!(
        lines,
        [
            r#"- /modelMetadata: {"purpose":["Learning"],"status":"Educational model"}"#,
            r#"- /detail/diagrams/0/cells/0/data/threats/0/evidence ("Spoof"): D, U"#,
            r#"- /detail/diagrams/0/cells/2/flowGroupId ("F01a DICOM Storage"): F01a"#,
            r#"- /detail/diagrams/0/cells/2/data/conditional ("F01a DICOM Storage"): true"#,
        ],
        "{para}"
    );
    // Export -> import keeps the paragraph once, and the model.
    let again = threat_dragon::import(&threat_dragon::export(&m), WS).expect("re-import");
    assert_eq!(again, m);
    // What Threat Dragon itself writes is no such key.
    for (name, text) in td_corpus() {
        let m = threat_dragon::import(&text, WS).expect(&name);
        assert!(
            !m.description.contains("keys this import does not read"),
            "{name}: {}",
            m.description
        );
    }
}

#[test]
fn empty_trust_zone_exports_and_comes_back_without_a_new_note() {
    // startleft's Terraform output for a file with no resources: one trust
    // zone, nothing in it, no place on a diagram. Threat Dragon gets it as a
    // line; reading that line back adds no "contain no elements" note, so
    // export -> import -> export is the same file.
    let text = json!({
        "otmVersion": "0.1.0",
        "project": {"name": "project-name", "id": "project-id"},
        "representations": [{"name": "Terraform", "id": "Terraform", "type": "code"}],
        "trustZones": [{"id": "b61d6911-338d-46a8-9f39-8dcd24abfe91", "name": "Public Cloud",
                        "risk": {"trustRating": 10}}],
        "components": [],
        "dataflows": []
    })
    .to_string();
    let m = otm::import(&text, WS).expect("otm");
    let first = threat_dragon::export(&m);
    let back = threat_dragon::import(&first, WS).expect("re-import");
    assert_eq!(back.description, m.description);
    assert_eq!(threat_dragon::export(&back), first);
    assert!(
        back.diagrams[0].boundaries[0].line.is_empty(),
        "a placeholder, no line"
    );
    // A line drawn in Threat Dragon is a line boundary, with no note; one
    // whose end is no point gets the note that nothing crosses it.
    let mut doc: Value = serde_json::from_str(&first).expect("json");
    let cell = &mut doc["detail"]["diagrams"][0]["cells"][0];
    assert_eq!(cell["shape"], "trust-boundary-curve");
    cell["data"]
        .as_object_mut()
        .expect("data")
        .remove("plasmaEmptyBoundary");
    let drawn = threat_dragon::import(&doc.to_string(), WS).expect("import");
    assert_eq!(drawn.diagrams[0].boundaries[0].line.len(), 2);
    assert!(
        !drawn.description.contains("no end points"),
        "{}",
        drawn.description
    );
    doc["detail"]["diagrams"][0]["cells"][0]["target"] = json!({"cell": "elsewhere"});
    let endless = threat_dragon::import(&doc.to_string(), WS).expect("import");
    assert!(endless.diagrams[0].boundaries[0].line.is_empty());
    assert!(
        endless
            .description
            .contains("\"Public Cloud\" have no end points"),
        "{}",
        endless.description
    );
}

#[test]
fn threat_dragon_round_trip_keeps_what_a_threat_has_beyond_its_fields() {
    // An OTM threat instance (startleft's example): two categories, CWEs,
    // likelihood 50 and impact 100 with comments, an implemented mitigation
    // with a description. Threat Dragon has one severity, one mitigation
    // text and no notes: the rest rides in `plasmaThreat` and comes back.
    let text = r#"
otmVersion: 0.1.0
project: {name: Test project, id: test-project}
trustZones:
  - {name: Private, id: private, risk: {trustRating: 100}}
components:
  - name: Web Service
    id: web-service
    parent: {trustZone: private}
    type: web-service
    threats:
      - threat: t1
        state: exposed
        mitigations:
          - {mitigation: m1, state: implemented}
threats:
  - name: Threat 1
    id: t1
    categories: [Spoofing, Tampering]
    cwes: [CWE-79, CWE-787]
    risk: {likelihood: 50, likelihoodComment: Needs skill, impact: 100, impactComment: Costly}
    tags: [sql]
mitigations:
  - {name: Mitigation 1, id: m1, description: Described, riskReduction: 50}
"#;
    let m = otm::import(text, WS).expect("otm");
    let t = m
        .threats
        .iter()
        .find(|t| t.title == "Threat 1")
        .expect("threat");
    assert!(!t.notes.is_empty() && !t.references.is_empty());
    assert_eq!(t.mitigations[0].status, MitigationStatus::Done);
    let exported = threat_dragon::export(&m);
    let back = threat_dragon::import(&exported, WS).expect("re-import");
    assert_eq!(back.threats, m.threats);
    assert_eq!(threat_dragon::export(&back), exported);

    // An edit made in Threat Dragon wins over what was kept: a new severity
    // and mitigation text; the notes and references stay.
    let mut doc: Value = serde_json::from_str(&exported).expect("json");
    let cells = doc["detail"]["diagrams"][0]["cells"]
        .as_array_mut()
        .expect("cells");
    let threat = cells
        .iter_mut()
        .flat_map(|c| c["data"]["threats"].as_array_mut().into_iter().flatten())
        .find(|t| t["title"] == "Threat 1")
        .expect("exported threat");
    assert!(threat["plasmaThreat"].is_object(), "{threat}");
    threat["severity"] = json!("Low");
    threat["mitigation"] = json!("Rewritten in Threat Dragon");
    let edited = threat_dragon::import(&doc.to_string(), WS).expect("edited");
    let e = edited
        .threats
        .iter()
        .find(|t| t.title == "Threat 1")
        .expect("threat");
    assert_eq!(
        (e.likelihood, e.impact),
        (Rating::Low, Rating::Medium),
        "Threat Dragon's severity"
    );
    assert_eq!(e.mitigations.len(), 1);
    assert_eq!(e.mitigations[0].title, "Rewritten in Threat Dragon");
    assert_eq!(e.notes, t.notes);
    assert_eq!(e.references, t.references);

    // A Threat Composer statement's notes (its tags, STRIDE letters and
    // assumptions) come back too.
    let tc = json!({
        "schema": 1,
        "applicationInfo": {"name": "Knowledge Packs"},
        "threats": [{"id": "t", "numericId": 1, "statement": "An actor can do harm",
            "threatSource": "An actor", "threatAction": "do harm", "tags": ["dos"],
            "metadata": [{"key": "STRIDE", "value": ["D", "E"]}, {"key": "Priority", "value": "High"}]}],
        "mitigations": [{"id": "m", "numericId": 1, "content": "WAF", "status": "mitigationResolved"}],
        "mitigationLinks": [{"mitigationId": "m", "linkedId": "t"}],
        "assumptions": [{"id": "a", "numericId": 1, "content": "Docs are public"}],
        "assumptionLinks": [{"type": "Threat", "assumptionId": "a", "linkedId": "t"}]
    })
    .to_string();
    let m = threat_composer::import(&tc, WS).expect("tc");
    let back = threat_dragon::import(&threat_dragon::export(&m), WS).expect("re-import");
    assert_eq!(back.threats, m.threats);
}

#[test]
fn otm_attributes_without_a_field_and_unplaced_threats_are_kept_as_text() {
    let text = r#"{"otmVersion": "0.2.0", "project": {"name": "Tmt", "id": "tmt", "tags": ["pci"]},
      "trustZones": [{"id": "z", "name": "Azure", "risk": {"trustRating": 40}}],
      "components": [{"id": "web", "name": "Web", "type": "web-application", "parent": {"trustZone": "z"},
        "attributes": {"Encrypted": "Yes", "Code Type": "Managed", "Contains Cookies": "Yes"}}],
      "dataflows": [],
      "threats": [{"id": "t1", "name": "Cookie theft", "categories": ["Information Disclosure"], "description": "Steals  cookies."}]}"#;
    let m = otm::import(text, WS).expect("import");
    let web = &m.diagrams[0].elements[0];
    assert!(
        web.props.encrypted_at_rest,
        "a read attribute sets its flag"
    );
    let kept = m.description.lines().collect::<Vec<_>>();
    for line in [
        "- project: tags: pci",
        "- trust zone \"Azure\" (z): trust rating: 40",
        "- component \"Web\" (web): Code Type: Managed; Contains Cookies: Yes",
        "- threat \"Cookie theft\" (t1): on no component or dataflow: Steals cookies.",
    ] {
        assert!(kept.contains(&line), "{line}\n{}", m.description);
    }
    assert!(!m.description.contains("Encrypted"), "{}", m.description);
}

//! AWS Threat Composer import: a hand-written export (statements, STRIDE,
//! priority, statuses, a mitigation shared by two threats, assumptions,
//! impacted assets, dangling links), errors with their JSON pointers, no
//! panic on garbled input, and the shared corpus when it is there.

use std::collections::HashSet;
use std::path::PathBuf;

use plasma_exports::threat::threat_composer::{import, looks_like_threat_composer};
use plasma_models::threat::{
    ElementKind, MitigationStatus, Rating, Severity, Stride, ThreatModel, ThreatStatus,
    ThreatTarget,
};
use serde_json::{json, Value};
use uuid::Uuid;

const WS: Uuid = Uuid::from_u128(0x1111_2222_3333_4444_5555_6666_7777_8888);

const T1: &str = "11111111-0000-4000-8000-000000000001";
const T2: &str = "11111111-0000-4000-8000-000000000002";
const T3: &str = "11111111-0000-4000-8000-000000000003";
const T4: &str = "11111111-0000-4000-8000-000000000004";
const M1: &str = "22222222-0000-4000-8000-000000000001";
const M2: &str = "22222222-0000-4000-8000-000000000002";
const M3: &str = "22222222-0000-4000-8000-000000000003";
const M4: &str = "22222222-0000-4000-8000-000000000004";
const A1: &str = "33333333-0000-4000-8000-000000000001";
const A2: &str = "33333333-0000-4000-8000-000000000002";
const A3: &str = "33333333-0000-4000-8000-000000000003";
const GONE_THREAT: &str = "deadbeef-0000-4000-8000-000000000000";
const GONE_MITIGATION: &str = "ffffffff-0000-4000-8000-000000000000";
const GONE_ASSUMPTION: &str = "eeeeeeee-0000-4000-8000-000000000000";

const T1_STATEMENT: &str = "A threat actor with a leaked API key can read ledger entries, which leads to disclosure of balances, resulting in reduced confidentiality of ledger entries and API keys";

fn fixture() -> Value {
    json!({
        "schema": 1,
        "applicationInfo": {
            "name": "Ledger Service ",
            "description": "### Overview\n\nA small **ledger** for payments."
        },
        "architecture": {
            "description": "Lambda behind API Gateway.",
            "image": "https://example.com/arch.png"
        },
        "dataflow": {
            "description": "1. Client posts entries\n2. Lambda writes them",
            "image": "data:image/png;base64,AAAA"
        },
        "assumptions": [
            {"id": A1, "numericId": 1, "displayOrder": 1, "content": "API Gateway enforces TLS 1.2",
             "metadata": [{"key": "Comments", "value": "Checked in 2024"}]},
            {"id": A2, "numericId": 2, "displayOrder": 2, "content": "Operators use MFA", "tags": ["iam"]},
            {"id": A3, "numericId": 3, "displayOrder": 3, "content": "Nobody links this one"}
        ],
        "mitigations": [
            {"id": M1, "numericId": 1, "displayOrder": 1, "content": "Rotate API keys",
             "status": "mitigationResolved", "metadata": [{"key": "Comments", "value": "Every 90 days"}]},
            {"id": M2, "numericId": 2, "displayOrder": 2, "content": "Idempotency keys",
             "status": "mitigationInProgress", "tags": ["payments"]},
            {"id": M3, "numericId": 3, "displayOrder": 3, "content": "Legacy ACL clean-up",
             "status": "mitigationResolvedWillNotAction"},
            {"id": M4, "numericId": 4, "displayOrder": 4, "content": "Threat hunting",
             "status": "mitigationIdentified"}
        ],
        "assumptionLinks": [
            {"type": "Threat", "assumptionId": A1, "linkedId": T1},
            {"type": "Mitigation", "assumptionId": A2, "linkedId": M3},
            {"type": "Threat", "assumptionId": GONE_ASSUMPTION, "linkedId": T2}
        ],
        "mitigationLinks": [
            {"mitigationId": M1, "linkedId": T1},
            {"mitigationId": M1, "linkedId": T2},
            {"mitigationId": M2, "linkedId": T2},
            {"mitigationId": M3, "linkedId": T4},
            {"mitigationId": M1, "linkedId": T1},
            {"mitigationId": M2, "linkedId": GONE_THREAT},
            {"mitigationId": GONE_MITIGATION, "linkedId": T3},
            {"mitigationId": M4, "linkedId": A2}
        ],
        "threats": [
            {
                "id": T1, "numericId": 1, "displayOrder": 1,
                "metadata": [
                    {"key": "Priority", "value": "High"},
                    {"key": "STRIDE", "value": ["S", "T"]},
                    {"key": "Comments", "value": "Seen in the pentest"},
                    {"key": "custom:owner", "value": "team-a"}
                ],
                "tags": ["auth"],
                "threatSource": "threat actor",
                "prerequisites": "with a leaked API key",
                "threatAction": "read ledger entries",
                "threatImpact": "disclosure of balances",
                "impactedGoal": ["confidentiality"],
                "impactedAssets": ["ledger entries", "API keys"],
                "statement": T1_STATEMENT,
                "status": "threatIdentified"
            },
            {
                "id": T2, "numericId": 2, "displayOrder": 2,
                "metadata": [
                    {"key": "STRIDE", "value": ["T"]},
                    {"key": "Priority", "value": "Low"}
                ],
                "threatSource": "internet-based actor",
                "prerequisites": "with a stolen token",
                "threatAction": "replay a payment request",
                "threatImpact": "a duplicated payment",
                "impactedGoal": ["integrity", "availability"],
                "impactedAssets": ["ledger entries", "payment records"],
                "status": "threatResolved"
            },
            {
                "id": T3, "numericId": 3, "displayOrder": 3,
                "threatSource": "insider",
                "threatAction": "flood the audit log",
                "impactedGoal": ["availability"],
                "impactedAssets": ["Ledger Entries"],
                "status": "threatResolvedNotUseful"
            },
            {
                "id": T4, "numericId": 4, "displayOrder": 4,
                "metadata": [
                    {"key": "STRIDE", "value": ["E"]},
                    {"key": "Priority", "value": "Medium"}
                ],
                "threatSource": "operator",
                "threatAction": "escalate to admin",
                "threatImpact": "full control",
                "customTemplate": "A [threat_source] can [threat_action] ([threat_impact])"
            }
        ],
        "brainstorm": {
            "threatSources": [
                {"id": "44444444-0000-4000-8000-000000000001", "content": "disgruntled employee",
                 "createdAt": "2024-01-15T14:30:45.123Z", "createdBy": "ana"}
            ]
        }
    })
}

fn imported() -> ThreatModel {
    import(&fixture().to_string(), WS).expect("the fixture imports")
}

fn err_of(doc: &Value) -> plasma_exports::threat::ImportError {
    import(&doc.to_string(), WS).expect_err("the import fails")
}

#[test]
fn statements_categories_ratings_and_statuses() {
    let m = imported();
    assert_eq!(m.name, "Ledger Service");
    assert_eq!(m.diagrams.len(), 1);
    let elements = &m.diagrams[0].elements;
    assert_eq!(elements.len(), 1);
    assert_eq!(elements[0].name, "Ledger Service");
    assert_eq!(elements[0].kind, ElementKind::Process);
    assert!(m.diagrams[0].flows.is_empty());
    assert_eq!(m.threats.len(), 4);
    for t in &m.threats {
        assert_eq!(t.target, ThreatTarget::Element(elements[0].id));
        assert!(t.rule_id.is_none());
    }
    let [t1, t2, t3, t4] = [&m.threats[0], &m.threats[1], &m.threats[2], &m.threats[3]];

    assert_eq!(t1.title, T1_STATEMENT);
    assert_eq!(
        t2.title,
        "An internet-based actor with a stolen token can replay a payment request, which leads to a duplicated payment, resulting in reduced integrity and/or availability of ledger entries and payment records"
    );
    assert_eq!(
        t3.title,
        "An insider can flood the audit log, resulting in reduced availability of Ledger Entries"
    );
    assert_eq!(t4.title, "An operator can escalate to admin (full control)");

    assert_eq!(t1.category, Stride::Spoofing);
    assert!(
        t1.notes.lines().any(|l| l == "STRIDE: S, T"),
        "{}",
        t1.notes
    );
    assert_eq!(t2.category, Stride::Tampering);
    assert!(!t2.notes.contains("STRIDE"), "{}", t2.notes);
    assert_eq!(t3.category, Stride::DenialOfService);
    assert!(
        t3.notes.contains("impacted goal \"availability\""),
        "{}",
        t3.notes
    );
    assert_eq!(t4.category, Stride::ElevationOfPrivilege);

    // A priority is the severity of its name: High is high (not critical),
    // Low is low (not note), as the Threat Composer author counts them.
    assert_eq!((t1.likelihood, t1.impact), (Rating::High, Rating::Medium));
    assert_eq!(t1.severity(), Severity::High);
    assert_eq!((t2.likelihood, t2.impact), (Rating::Low, Rating::Medium));
    assert_eq!(t2.severity(), Severity::Low);
    assert_eq!((t3.likelihood, t3.impact), (Rating::Medium, Rating::Medium));
    assert_eq!((t4.likelihood, t4.impact), (Rating::Medium, Rating::Medium));

    assert_eq!(t1.status, ThreatStatus::Open);
    assert_eq!(t2.status, ThreatStatus::Mitigated);
    assert_eq!(t3.status, ThreatStatus::NotApplicable);
    assert_eq!(t4.status, ThreatStatus::Open);

    let lines: Vec<&str> = t1.notes.lines().collect();
    assert_eq!(lines[0], "Threat Composer T-0001");
    for want in [
        "Tags: auth",
        "Comments: Seen in the pentest",
        "custom:owner: team-a",
    ] {
        assert!(lines.contains(&want), "{want:?} in {lines:?}");
    }
    assert!(t4
        .notes
        .contains("Custom template: A [threat_source] can [threat_action] ([threat_impact])"));

    // The statement's parts, one line each.
    assert!(t2
        .description
        .contains("- Threat source: internet-based actor"));
    assert!(t2
        .description
        .contains("- Prerequisites: with a stolen token"));
    assert!(t2
        .description
        .contains("- Impacted goal: integrity, availability"));
    assert!(t2
        .description
        .contains("- Impacted assets: ledger entries, payment records"));
}

#[test]
fn mitigations_follow_their_links_and_are_shared() {
    let m = imported();
    let titles = |i: usize| -> Vec<(String, MitigationStatus)> {
        m.threats[i]
            .mitigations
            .iter()
            .map(|x| (x.title.clone(), x.status))
            .collect()
    };
    // The duplicated link puts the mitigation on the threat once.
    assert_eq!(
        titles(0),
        vec![("Rotate API keys".to_string(), MitigationStatus::Done)]
    );
    assert_eq!(
        titles(1),
        vec![
            ("Rotate API keys".to_string(), MitigationStatus::Done),
            ("Idempotency keys".to_string(), MitigationStatus::InProgress),
        ]
    );
    assert!(titles(2).is_empty());
    assert_eq!(
        titles(3),
        vec![(
            "Legacy ACL clean-up (will not action)".to_string(),
            MitigationStatus::Planned
        )]
    );
    // The shared mitigation has an id of its own on each threat.
    assert_ne!(
        m.threats[0].mitigations[0].id,
        m.threats[1].mitigations[0].id
    );
    // What a mitigation carries beyond its title is in the threat's notes.
    assert!(m.threats[0]
        .notes
        .contains("Mitigation M-0001 Comments: Every 90 days"));
    assert!(m.threats[1]
        .notes
        .contains("Mitigation M-0002 Tags: payments"));
    assert!(m.threats[3]
        .notes
        .contains("Assumption A-0002 (for mitigation M-0003): Operators use MFA"));
    // A mitigation on no threat is in the model description.
    assert!(m
        .description
        .contains("### Mitigations not linked to a threat"));
    assert!(m
        .description
        .contains("- M-0004 (identified): Threat hunting"));
    assert!(!m.description.contains("M-0001 (resolved)"));
}

#[test]
fn assumptions_are_on_their_threats_and_all_in_the_description() {
    let m = imported();
    assert!(m.threats[0]
        .notes
        .lines()
        .any(|l| l == "Assumption A-0001: API Gateway enforces TLS 1.2"));
    let d = &m.description;
    assert!(d.contains("### Assumptions"), "{d}");
    assert!(d.contains("- A-0001: API Gateway enforces TLS 1.2\n  - Threats: T-0001\n  - Comments: Checked in 2024"), "{d}");
    assert!(
        d.contains("- A-0002: Operators use MFA\n  - Mitigations: M-0003, M-0004\n  - Tags: iam"),
        "{d}"
    );
    assert!(d.contains("- A-0003: Nobody links this one"), "{d}");
}

#[test]
fn dangling_links_are_kept_as_lines() {
    let m = imported();
    let d = &m.description;
    assert!(d.contains("### Links to items not in the file"), "{d}");
    assert!(d.contains(&format!(
        "`/mitigationLinks/5`: mitigation M-0002 (\"Idempotency keys\") is linked to \"{GONE_THREAT}\""
    )), "{d}");
    assert!(d.contains(&format!(
        "`/mitigationLinks/6`: links the mitigation id \"{GONE_MITIGATION}\", which is not in the file, to threat T-0003"
    )), "{d}");
    assert!(d.contains(&format!(
        "`/assumptionLinks/2`: links the assumption id \"{GONE_ASSUMPTION}\", which is not in the file, to threat T-0002"
    )), "{d}");
    assert!(m.threats[2].notes.contains(GONE_MITIGATION));
    assert!(m.threats[1].notes.contains(GONE_ASSUMPTION));
}

#[test]
fn impacted_assets_become_data_assets_once() {
    let m = imported();
    let names: Vec<&str> = m.data_assets.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["ledger entries", "API keys", "payment records"]);
}

#[test]
fn descriptions_are_kept() {
    let m = imported();
    assert!(m
        .description
        .starts_with("### Overview\n\nA small **ledger** for payments."));
    assert!(m.description.contains("### Brainstorm"));
    assert!(m
        .description
        .contains("- disgruntled employee (by ana, 2024-01-15T14:30:45.123Z)"));
    let e = &m.diagrams[0].elements[0].description;
    assert!(
        e.starts_with("### Architecture\n\nLambda behind API Gateway."),
        "{e}"
    );
    assert!(
        e.contains("Architecture diagram: <https://example.com/arch.png>"),
        "{e}"
    );
    assert!(
        e.contains("### Data flow\n\n1. Client posts entries\n2. Lambda writes them"),
        "{e}"
    );
    assert!(
        e.contains("data-flow diagram is an image in Threat Composer; it is not imported"),
        "{e}"
    );
    assert!(!e.contains("base64"));
}

#[test]
fn section_headings_nest_under_architecture_and_data_flow() {
    // Knowledge Packs (aws-samples) opens its architecture text with its
    // own "### Data flow": it read as a second data-flow section and left
    // "### Architecture" empty. A heading in fenced code is not one.
    let doc = json!({
        "schema": 1,
        "applicationInfo": { "name": "Docs search" },
        "architecture": {
            "description": "### Data flow\n```\n# not a heading\nRepo -> Bucket\n```\n\n#### Decisions\n- public docs"
        },
        "dataflow": { "description": "#### Query path\n1. Client asks" },
        "threats": []
    });
    let m = import(&doc.to_string(), WS).unwrap();
    let e = &m.diagrams[0].elements[0].description;
    assert_eq!(
        e,
        "### Architecture\n\n#### Data flow\n```\n# not a heading\nRepo -> Bucket\n```\n\n\
         ##### Decisions\n- public docs\n\n### Data flow\n\n#### Query path\n1. Client asks"
    );
}

#[test]
fn ids_are_deterministic_and_distinct() {
    let a = imported();
    let b = imported();
    assert_eq!(a, b);
    let other = import(&fixture().to_string(), Uuid::from_u128(7)).unwrap();
    assert_ne!(a.id, other.id);
    let mut ids = HashSet::new();
    let mut all = vec![a.id, a.diagrams[0].id, a.diagrams[0].elements[0].id];
    all.extend(a.threats.iter().map(|t| t.id));
    all.extend(
        a.threats
            .iter()
            .flat_map(|t| t.mitigations.iter().map(|x| x.id)),
    );
    all.extend(a.data_assets.iter().map(|x| x.id));
    for id in all {
        assert!(!id.is_nil());
        assert!(ids.insert(id), "{id} used twice");
    }
    // Reordering the threats keeps each threat's id.
    let mut doc = fixture();
    doc["threats"].as_array_mut().unwrap().reverse();
    let reordered = import(&doc.to_string(), WS).unwrap();
    let t2 = reordered
        .threats
        .iter()
        .find(|t| t.title.contains("replay"))
        .unwrap();
    assert_eq!(t2.id, a.threats[1].id);
}

#[test]
fn detection_rule() {
    assert!(looks_like_threat_composer(&fixture()));
    assert!(looks_like_threat_composer(
        &json!({"schema": 1, "threats": []})
    ));
    assert!(looks_like_threat_composer(
        &json!({"schema": 1, "applicationInfo": {}})
    ));
    assert!(!looks_like_threat_composer(
        &json!({"schema": "1", "threats": []})
    ));
    assert!(!looks_like_threat_composer(&json!({"schema": 1})));
    assert!(!looks_like_threat_composer(&json!({"threats": []})));
    assert!(!looks_like_threat_composer(&json!([{"schema": 1}])));
    assert!(!looks_like_threat_composer(
        &json!({"otmVersion": "0.2.0", "project": {}, "threats": []})
    ));
}

/// aws-samples' generated models resolve an accepted risk and tag it
/// "Accepted" (Threat Composer has no accepted status): it is accepted with
/// its comment as the justification, not mitigated with no control.
#[test]
fn resolved_threats_tagged_accepted_are_accepted() {
    let doc = json!({
        "schema": 1,
        "threats": [
            {"id": "a", "numericId": 1, "threatAction": "call Bedrock directly", "status": "threatResolved",
             "tags": ["T-26", "B7", "Accepted"],
             "metadata": [{"key": "Comments", "value": "T-26 — status Accepted. Residual: apply the SCP."}]},
            {"id": "b", "numericId": 2, "threatAction": "replay an update", "status": "threatResolved",
             "tags": ["T-23", "Mitigated"]},
            {"id": "c", "numericId": 3, "threatAction": "mass-block users", "status": "threatResolved",
             "tags": ["risk accepted"]},
            {"id": "d", "numericId": 4, "threatAction": "read the roster", "status": "threatIdentified",
             "tags": ["Accepted"]}
        ]
    });
    let m = import(&doc.to_string(), WS).unwrap();
    let status = |n: usize| &m.threats[n].status;
    match status(0) {
        ThreatStatus::Accepted { justification, .. } => {
            assert_eq!(
                justification,
                "T-26 — status Accepted. Residual: apply the SCP."
            )
        }
        other => panic!("expected accepted, got {other:?}"),
    }
    assert!(m.threats[0].notes.contains("Tags: T-26, B7, Accepted"));
    assert_eq!(*status(1), ThreatStatus::Mitigated);
    match status(2) {
        ThreatStatus::Accepted { justification, .. } => {
            assert!(justification.contains("no justification recorded"))
        }
        other => panic!("expected accepted, got {other:?}"),
    }
    // Still open in Threat Composer: the tag alone decides nothing.
    assert_eq!(*status(3), ThreatStatus::Open);
}

#[test]
fn a_minimal_file_imports() {
    let m = import(r#"{"schema": 1}"#, WS).unwrap();
    assert_eq!(m.name, "Threat Composer model");
    assert_eq!(m.diagrams[0].elements[0].name, "Application");
    assert!(m.threats.is_empty());
    let m = import(
        r#"{"schema": 1, "threats": [{"id": "x", "numericId": 9}, {"numericId": 10, "threatAction": "do harm"}]}"#,
        WS,
    )
    .unwrap();
    assert_eq!(m.threats[0].title, "Threat T-0009");
    assert_eq!(m.threats[1].title, "...do harm...");
    assert_eq!(m.threats[0].category, Stride::InformationDisclosure);
}

#[test]
fn wrong_types_are_errors_at_their_pointer() {
    let mut doc = fixture();
    doc["threats"] = json!({"a": 1});
    let e = err_of(&doc);
    assert_eq!(e.location, "/threats");
    assert!(e.reason.contains("expected an array"), "{e}");

    let mut doc = fixture();
    doc["threats"][1]["threatAction"] = json!(5);
    let e = err_of(&doc);
    assert_eq!(e.location, "/threats/1/threatAction");
    assert!(e.reason.contains("expected a string"), "{e}");

    let mut doc = fixture();
    doc["threats"][0]["metadata"][1]["value"] = json!(3);
    let e = err_of(&doc);
    assert_eq!(e.location, "/threats/0/metadata/1/value");
    assert!(e.reason.contains("STRIDE"), "{e}");

    let mut doc = fixture();
    doc["threats"][0]["metadata"][0]["value"] = json!(["High"]);
    let e = err_of(&doc);
    assert_eq!(e.location, "/threats/0/metadata/0/value");

    let mut doc = fixture();
    doc["mitigations"][2] = json!("Rotate keys");
    let e = err_of(&doc);
    assert_eq!(e.location, "/mitigations/2");

    let mut doc = fixture();
    doc["mitigationLinks"][0]
        .as_object_mut()
        .unwrap()
        .remove("linkedId");
    let e = err_of(&doc);
    assert_eq!(e.location, "/mitigationLinks/0/linkedId");
    assert!(e.reason.contains("missing"), "{e}");

    let mut doc = fixture();
    doc["schema"] = json!("one");
    assert_eq!(err_of(&doc).location, "/schema");

    let e = err_of(&json!({"otmVersion": "0.2.0", "project": {"name": "x", "id": "x"}}));
    assert!(e.reason.contains("Open Threat Model"), "{e}");
    let e = err_of(&json!({"name": "nothing"}));
    assert_eq!(e.location, "/schema");
    let e = import("{\n\"schema\": 1,\n\"threats\": [", WS).unwrap_err();
    assert!(e.location.starts_with("line "), "{e}");
    assert!(import("[1, 2]", WS).is_err());
}

/// Every JSON pointer into `v`.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                pointers(child, format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// Imports truncated versions of `text` (a cut every `stride` bytes) and of
/// `doc` with each value swapped for one of another type (the first
/// `swap_kinds` replacement kinds); returns how many imports ran.
fn garble(doc: &Value, text: &str, stride: usize, swap_kinds: usize) -> usize {
    let mut runs = 0;
    // Truncated text.
    let mut cut = 0;
    while cut < text.len() {
        if text.is_char_boundary(cut) {
            let _ = import(&text[..cut], WS);
            runs += 1;
        }
        cut += stride;
    }
    // Every value swapped for one of another type.
    let mut ptrs = vec![];
    pointers(doc, String::new(), &mut ptrs);
    let swaps = [
        json!({}),
        json!("x"),
        json!(null),
        json!(-1.5),
        json!(""),
        json!([]),
        json!([1, {}]),
        json!(true),
    ];
    for ptr in ptrs.iter().filter(|p| !p.is_empty()) {
        for swap in swaps.iter().take(swap_kinds) {
            let mut changed = doc.clone();
            if let Some(slot) = changed.pointer_mut(ptr) {
                *slot = swap.clone();
            }
            let _ = import(&changed.to_string(), WS);
            runs += 1;
        }
    }
    runs
}

#[test]
fn garbled_input_never_panics() {
    let doc = fixture();
    let runs = garble(&doc, &serde_json::to_string_pretty(&doc).unwrap(), 3, 8);
    assert!(runs > 1000, "{runs}");
    for text in [
        "",
        "{",
        "null",
        "{}",
        "\u{feff}{\"schema\":1}",
        "{\"schema\":1e400}",
    ] {
        let _ = import(text, WS);
    }
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("PLASMA_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"))
        .join("threat-composer");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "notice: Threat Composer corpus not found at {}, skipping",
            dir.display()
        );
        None
    }
}

fn items(doc: &Value, key: &str) -> Vec<Value> {
    doc.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().filter(|v| !v.is_null()).cloned().collect())
        .unwrap_or_default()
}

fn id_of(v: &Value) -> &str {
    v.get("id").and_then(Value::as_str).unwrap_or("")
}

#[test]
fn corpus_files_import_whole() {
    let Some(dir) = corpus_dir() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read the corpus folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.ends_with(".json") && !name.contains("schema")
        })
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read a corpus file");
        let raw: Value = serde_json::from_str(&text).expect("corpus JSON");
        assert!(looks_like_threat_composer(&raw), "{}", path.display());
        let model = import(&text, WS).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let threats = items(&raw, "threats");
        let mitigations = items(&raw, "mitigations");
        let assumptions = items(&raw, "assumptions");
        assert_eq!(model.threats.len(), threats.len(), "{}", path.display());

        // Every threat arrives with its statement, in file order.
        for (raw_t, t) in threats.iter().zip(&model.threats) {
            if let Some(s) = raw_t.get("statement").and_then(Value::as_str) {
                assert_eq!(t.title, s.trim());
            }
        }
        // Every link between a mitigation and a threat of the file arrives.
        let mut linked = 0;
        for link in items(&raw, "mitigationLinks") {
            let mid = link["mitigationId"].as_str().unwrap_or("");
            let tid = link["linkedId"].as_str().unwrap_or("");
            let Some(ti) = threats.iter().position(|t| id_of(t) == tid) else {
                continue;
            };
            let Some(m) = mitigations.iter().find(|m| id_of(m) == mid) else {
                continue;
            };
            let content = m["content"].as_str().unwrap_or("").trim();
            assert!(
                model.threats[ti]
                    .mitigations
                    .iter()
                    .any(|x| x.title.starts_with(content)),
                "{}: mitigation {mid} missing on threat {tid}",
                path.display()
            );
            linked += 1;
        }
        // Every assumption and every mitigation's text is somewhere.
        for a in &assumptions {
            let content = a["content"].as_str().unwrap_or("").trim();
            assert!(model.description.contains(content), "assumption {content}");
        }
        for m in &mitigations {
            let content = m["content"].as_str().unwrap_or("").trim();
            let on_threat = model
                .threats
                .iter()
                .any(|t| t.mitigations.iter().any(|x| x.title.starts_with(content)));
            assert!(
                on_threat || model.description.contains(content),
                "mitigation {content}"
            );
        }
        // The statements composed from their parts are Threat Composer's.
        let mut stripped = raw.clone();
        for t in stripped["threats"].as_array_mut().into_iter().flatten() {
            if let Some(o) = t.as_object_mut() {
                o.remove("statement");
            }
        }
        let composed = import(&stripped.to_string(), WS).unwrap();
        for (raw_t, t) in threats.iter().zip(&composed.threats) {
            if let Some(s) = raw_t.get("statement").and_then(Value::as_str) {
                assert_eq!(t.title, s.trim(), "composed statement");
            }
        }
        // Truncated and type-swapped versions of the real file never panic.
        garble(&raw, &text, 97, 2);
        eprintln!(
            "{}: {} threats, {} mitigations ({linked} links to threats), {} assumptions, {} data assets",
            path.display(),
            model.threats.len(),
            mitigations.len(),
            assumptions.len(),
            model.data_assets.len()
        );
    }
}

/// Threat Composer's threat packs and mitigation packs
/// (`src/data/threatPacks/*.json`, `mitigationPacks/*.json`) are schema-1
/// files with `type`, `id`, `name` and `description` at the top instead of
/// `applicationInfo`, and pack threats have `numericId: -1`. Two packs must
/// not both become "Threat Composer model" (the second import would update
/// the first), and T--1 is no reference.
#[test]
fn threat_and_mitigation_packs_keep_their_name() {
    let pack = json!({
        "schema": 1,
        "namespace": "threat-composer",
        "type": "threat-pack",
        "id": "Kennel",
        "name": "Kennel Threat Pack",
        "description": "Threats to *kennels*.",
        "threats": [{
            "id": "KENNEL_THREATPACK_1",
            "numericId": -1,
            "threatSource": "stray dog",
            "threatAction": "dig under the fence",
            "impactedGoal": [],
            "impactedAssets": ["the yard"],
            "metadata": [{"key": "STRIDE", "value": ["T"]}],
            "statement": "A stray dog can dig under the fence, negatively impacting the yard"
        }]
    });
    let m = import(&pack.to_string(), WS).unwrap();
    assert_eq!(m.name, "Kennel Threat Pack");
    assert_eq!(m.diagrams[0].elements[0].name, "Kennel Threat Pack");
    assert!(
        m.description.starts_with("Threats to *kennels*."),
        "{}",
        m.description
    );
    assert!(
        m.description.contains("Threat Composer threat pack Kennel"),
        "{}",
        m.description
    );
    let t = &m.threats[0];
    assert_eq!(t.category, Stride::Tampering);
    assert!(
        t.notes.starts_with("Threat Composer KENNEL_THREATPACK_1"),
        "{}",
        t.notes
    );
    assert!(!t.notes.contains("T--1"), "{}", t.notes);

    let mitigations = json!({
        "schema": 1,
        "type": "mitigation-pack",
        "id": "Kennel",
        "name": "Kennel Mitigation Pack",
        "mitigations": [{"id": "KENNEL_MITIGATIONPACK_1", "numericId": 1, "content": "Bury the fence"}]
    });
    let m2 = import(&mitigations.to_string(), WS).unwrap();
    assert_eq!(m2.name, "Kennel Mitigation Pack");
    assert_ne!(m2.id, m.id);
    assert!(
        m2.description.contains("Bury the fence"),
        "{}",
        m2.description
    );

    // A workspace's applicationInfo name still wins.
    let mut doc = fixture();
    doc["name"] = json!("Ignored");
    assert_eq!(import(&doc.to_string(), WS).unwrap().name, "Ledger Service");
}

#[test]
fn pack_metadata_is_named_and_refused() {
    // awslabs/threat-composer keeps a metadata file beside each generated
    // pack: its id, name and the workspace it is made from, no threats.
    let text = json!({
        "schema": 1,
        "namespace": "threat-composer",
        "type": "mitigation-pack-metadata",
        "id": "GenAIChatBot",
        "name": "GenAI ChatBot Mitigation Pack",
        "description": "All of the mitigation candidates from the reference GenAI ChatBot threat model",
        "path": "../workspaceExamples/GenAIChatbot.tc.json"
    })
    .to_string();
    assert_eq!(
        plasma_exports::threat::detect_format("GenAIChatbot.metadata.json", &text),
        Some(plasma_exports::threat::ThreatFormat::ThreatComposer)
    );
    let e = import(&text, WS).unwrap_err();
    assert_eq!(e.location, "/type");
    assert!(
        e.reason
            .contains("metadata of a Threat Composer mitigation pack")
            && e.reason
                .contains("../workspaceExamples/GenAIChatbot.tc.json"),
        "{e}"
    );
    // Another import names it as Threat Composer's.
    let e = plasma_exports::threat::threat_dragon::import(&text, WS).unwrap_err();
    assert!(e.reason.contains("Threat Composer"), "{e}");
}

/// A hand-written workspace (ThreatForest's documented example) names the
/// application at the top and puts `priority` and `stride` on the threat:
/// the name, description, severity and category were lost (a "Threat
/// Composer model", medium, STRIDE from the impacted goal). Metadata still
/// wins where both are given; a null is no value.
#[test]
fn top_level_application_name_and_threat_priority_and_stride_are_read() {
    let doc = json!({
        "schema": 1,
        "applicationName": "E-Commerce Platform",
        "applicationDescription": "Online shopping platform with payment processing",
        "threats": [
            {"id": "T001", "numericId": 1, "statement": "An attacker could exploit SQL injection",
             "impactedGoal": ["Confidentiality"], "priority": "High",
             "stride": ["Tampering", "Information Disclosure"]},
            {"id": "T002", "numericId": 2, "statement": "Both given",
             "metadata": [{"key": "Priority", "value": "Low"}, {"key": "STRIDE", "value": ["D"]}],
             "priority": "High", "stride": "S"},
            {"id": "T003", "numericId": 3, "statement": "Nulls",
             "impactedGoal": ["availability"], "priority": null, "stride": null}
        ]
    });
    let m = import(&doc.to_string(), WS).unwrap();
    assert_eq!(m.name, "E-Commerce Platform");
    assert!(
        m.description
            .starts_with("Online shopping platform with payment processing"),
        "{}",
        m.description
    );
    let t = &m.threats[0];
    assert_eq!(t.severity(), Severity::High);
    assert_eq!(t.category, Stride::Tampering);
    assert!(
        t.notes
            .contains("STRIDE: Tampering, Information Disclosure"),
        "{}",
        t.notes
    );
    let t = &m.threats[1];
    assert_eq!(t.severity(), Severity::Low);
    assert_eq!(t.category, Stride::DenialOfService);
    let t = &m.threats[2];
    assert_eq!(t.severity(), Severity::Medium);
    assert_eq!(t.category, Stride::DenialOfService);
    // A priority or STRIDE of the wrong type is refused where it is.
    let mut bad = doc.clone();
    bad["threats"][0]["priority"] = json!(3);
    let e = err_of(&bad);
    assert_eq!(e.location, "/threats/0/priority");
    let mut bad = doc.clone();
    bad["threats"][0]["stride"] = json!({"S": true});
    assert_eq!(err_of(&bad).location, "/threats/0/stride");
}

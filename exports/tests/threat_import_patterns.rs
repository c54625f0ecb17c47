//! Patterns found in real threat models from other tools (each fixture is
//! written here, small, reproducing what the real file did).

use plasma_exports::threat::{
    detect_format, otm, pytm, threat_composer, threat_dragon, ThreatFormat,
};
use plasma_models::threat::{ElementKind, Rating, Stride, Threat, ThreatModel};
use serde_json::json;
use uuid::Uuid;

const WS: Uuid = Uuid::from_u128(0x5eed_0005_0000_4000_8000_0000_0000_0001);

/// A Threat Dragon 2.x model of one diagram holding one cell.
fn threat_dragon_one_cell(version: &str, cell: serde_json::Value) -> String {
    json!({
        "version": version,
        "summary": {"title": "Model", "owner": "", "description": "", "id": 0},
        "detail": {"contributors": [], "diagramTop": 1, "reviewer": "", "threatTop": 6,
            "diagrams": [{"id": 0, "title": "D", "diagramType": "STRIDE", "version": version,
                          "cells": [cell]}]}
    })
    .to_string()
}

/// An open Spoofing threat as Threat Dragon 2.x saves it.
fn td_threat(
    n: u32,
    title: &str,
    severity: &str,
    description: &str,
    mitigation: &str,
) -> serde_json::Value {
    json!({"id": format!("00000000-0000-4000-8000-00000000000{n}"),
           "title": title, "status": "Open", "severity": severity,
           "type": "Spoofing", "description": description, "mitigation": mitigation,
           "modelType": "STRIDE", "new": false, "number": n, "score": ""})
}

/// The threat of `model` with this title.
fn threat_titled<'m>(model: &'m ThreatModel, title: &str) -> &'m Threat {
    model
        .threats
        .iter()
        .find(|t| t.title == title)
        .unwrap_or_else(|| panic!("{title}"))
}

/// Threat Composer threats classified only by tags (`STRIDE-S`, a category
/// name) take the category from the tag; without such a tag the impacted
/// goal, then information disclosure, as before.
#[test]
fn threat_composer_stride_tags_set_the_category() {
    let threat = |id: &str, tags: serde_json::Value, goals: serde_json::Value| {
        json!({
            "id": id, "numericId": 1, "threatSource": "An attacker",
            "threatAction": format!("do {id}"), "impactedGoal": goals, "impactedAssets": [],
            "status": "threatIdentified", "tags": tags, "metadata": []
        })
    };
    let doc = json!({
        "schema": 1,
        "applicationInfo": {"name": "Bot", "description": ""},
        "architecture": {"description": ""}, "dataflow": {"description": ""},
        "assumptions": [], "mitigations": [], "assumptionLinks": [], "mitigationLinks": [],
        "threats": [
            threat("a", json!(["STRIDE-S", "API"]), json!([])),
            threat("b", json!(["Memory", "stride:t"]), json!(["availability"])),
            threat("c", json!(["Denial of Service"]), json!([])),
            threat("d", json!(["STRIDE_Elevation of Privilege"]), json!([])),
            threat("e", json!(["D", "STRIDE"]), json!(["availability"])),
            threat("f", json!(["I"]), json!([])),
        ]
    });
    let model = threat_composer::import(&doc.to_string(), WS).expect("imports");
    let by = |action: &str| {
        model
            .threats
            .iter()
            .find(|t| t.title.contains(&format!("do {action}")))
            .unwrap_or_else(|| panic!("threat {action}"))
    };
    assert_eq!(by("a").category, Stride::Spoofing);
    assert!(
        by("a").notes.contains("spoofing from the tag \"STRIDE-S\""),
        "{}",
        by("a").notes
    );
    assert!(
        by("a").notes.contains("Tags: STRIDE-S, API"),
        "{}",
        by("a").notes
    );
    assert_eq!(
        by("b").category,
        Stride::Tampering,
        "a tag goes before the goal"
    );
    assert_eq!(by("c").category, Stride::DenialOfService);
    assert_eq!(by("d").category, Stride::ElevationOfPrivilege);
    // A bare letter or the word STRIDE alone names no category.
    assert_eq!(by("e").category, Stride::DenialOfService);
    assert!(
        by("e").notes.contains("from the impacted goal"),
        "{}",
        by("e").notes
    );
    assert_eq!(by("f").category, Stride::InformationDisclosure);
    assert!(by("f").notes.contains("by default"), "{}", by("f").notes);
}

/// A Threat Dragon 2.6 template (`templateMetadata` beside the v2 model in
/// `model`, as "Save as template" writes it) imports its model whole, a line
/// names the template, errors point into `/model`, and other formats' errors
/// say what it is.
#[test]
fn threat_dragon_template_imports_its_model() {
    let model = json!({
        "version": "2.6.0",
        "summary": {"title": "Shop", "owner": "Ana", "description": "A shop.", "id": 0},
        "detail": {"contributors": [], "reviewer": "", "diagramTop": 1, "threatTop": 1, "diagrams": [{
            "id": 0, "title": "Main", "diagramType": "STRIDE", "version": "2.6.0",
            "cells": [
                {"id": "zone", "shape": "trust-boundary-box", "position": {"x": 0, "y": 0},
                 "size": {"width": 400, "height": 300},
                 "data": {"type": "tm.BoundaryBox", "name": "Zone", "isTrustBoundary": true, "hasOpenThreats": false}},
                {"id": "web", "shape": "process", "position": {"x": 50, "y": 50},
                 "size": {"width": 80, "height": 80},
                 "data": {"type": "tm.Process", "name": "Web", "hasOpenThreats": true, "threats": [
                     {"id": "t1", "title": "Spoofed session", "status": "Open", "severity": "High",
                      "type": "Spoofing", "description": "", "mitigation": "Sign cookies"}]}},
                {"id": "user", "shape": "actor", "position": {"x": 500, "y": 50},
                 "size": {"width": 80, "height": 60},
                 "data": {"type": "tm.Actor", "name": "User", "hasOpenThreats": false}},
                {"id": "f1", "shape": "flow", "source": {"cell": "user"}, "target": {"cell": "web"},
                 "data": {"type": "tm.Flow", "name": "Orders", "hasOpenThreats": false}}
            ]}]}
    });
    let template = json!({
        "templateMetadata": {"id": "80048145-0000-4002-86c8-4058500af279", "name": "Web shop",
                             "description": "Start here", "tags": ["web", "retail"],
                             "modelRef": "1b3aa01f-0000-4df8-9c21-e1aae5d63e47"},
        "model": model
    });
    let text = template.to_string();
    assert_eq!(
        detect_format("shop.json", &text),
        Some(ThreatFormat::ThreatDragon)
    );
    let from_template = threat_dragon::import(&text, WS).expect("imports the template's model");
    let plain = threat_dragon::import(&model.to_string(), WS).expect("imports the model");
    assert_eq!(from_template.name, "Shop");
    assert_eq!(
        from_template.id, plain.id,
        "the same model as the bare file"
    );
    let d = &from_template.diagrams[0];
    assert_eq!(d.elements.len(), 2);
    assert_eq!(d.flows.len(), 1);
    assert_eq!(d.boundaries.len(), 1);
    let web = d.elements.iter().find(|e| e.name == "Web").expect("web");
    assert_eq!(web.kind, ElementKind::Process);
    assert_eq!(
        web.boundary,
        Some(d.boundaries[0].id),
        "the box contains Web"
    );
    assert_eq!(from_template.threats.len(), 1);
    assert_eq!(
        from_template.threats[0].mitigations[0].title,
        "Sign cookies"
    );
    assert!(
        from_template.description.contains(
            "Threat Dragon template \"Web shop\" (80048145-0000-4002-86c8-4058500af279): Start here; tags: web, retail"
        ),
        "{}",
        from_template.description
    );
    assert!(from_template.description.starts_with(&plain.description));
    assert!(
        !from_template.description.contains("does not read"),
        "{}",
        from_template.description
    );
    // Export writes a plain model, which reads back the same.
    let back =
        threat_dragon::import(&threat_dragon::export(&from_template), WS).expect("round trip");
    assert_eq!(back.diagrams[0].elements.len(), 2);
    assert_eq!(back.description, from_template.description);

    // A broken model inside a template: the error points into /model.
    let mut broken = template.clone();
    broken["model"]["summary"]["title"] = json!(" ");
    let err = threat_dragon::import(&broken.to_string(), WS).expect_err("no title");
    assert_eq!(err.location, "/model/summary/title", "{err}");
    let mut no_model = template.clone();
    no_model["model"] = json!("x");
    let err = threat_dragon::import(&no_model.to_string(), WS).expect_err("model not an object");
    assert!(err.location.starts_with("/model"), "{err}");
    // Another format's import says what the file is.
    let err = plasma_exports::threat::otm::import(&text, WS).expect_err("not OTM");
    assert!(err.to_string().contains("Threat Dragon template"), "{err}");
}

/// An OWASP Threat Model Library file (TM-BOM: `$schema` naming
/// threat-model.schema.json, `scope`, `actors`, `components`,
/// `data_stores`) is no format read here; every import says what it is
/// instead of calling it a pytm model or asking for pytm's `name`.
#[test]
fn threat_model_library_files_are_named_in_refusals() {
    let doc = json!({
        "$schema": "https://github.com/OWASP/www-project-threat-model-library/blob/v1.0.1/threat-model.schema.json",
        "version": "1.0",
        "scope": {"title": "Kennel", "description": "Classifies dogs"},
        "trust_zones": [{"symbolic_name": "prod", "title": "Production"}],
        "actors": [{"symbolic_name": "eng", "title": "Engineer", "type": "engineer"}],
        "components": [{"symbolic_name": "web", "title": "Web", "trust_zone": "prod"}],
        "data_stores": [{"symbolic_name": "blob", "title": "Blob"}]
    });
    let mut without_schema = doc.clone();
    without_schema
        .as_object_mut()
        .expect("object")
        .remove("$schema");
    for d in [doc, without_schema] {
        let text = d.to_string();
        for (format, err) in [
            ("td", threat_dragon::import(&text, WS).expect_err("not TD")),
            (
                "otm",
                plasma_exports::threat::otm::import(&text, WS).expect_err("not OTM"),
            ),
            (
                "pytm",
                plasma_exports::threat::pytm::import(&text, WS).expect_err("not pytm"),
            ),
        ] {
            let msg = err.to_string();
            assert!(
                msg.contains("OWASP Threat Model Library"),
                "{format}: {msg}"
            );
            assert!(!msg.contains("it is a pytm model"), "{format}: {msg}");
            assert_eq!(err.location, "/", "{format}: {msg}");
        }
    }
}

/// startleft converts a Threat Modeling Tool model to OTM keeping the
/// tool's attributes as strings (`"Yes"`, `"Not Selected"`, headers as `{}`);
/// the rule flags they mean come through as they do from the `.tm7` itself.
#[test]
fn otm_from_startleft_reads_the_threat_modeling_tool_attributes() {
    let text = json!({
        "otmVersion": "0.1.0",
        "project": {"id": "p", "name": "Converted"},
        "trustZones": [{"id": "z", "name": "Azure", "risk": {"trustRating": 10}}],
        "components": [
            {"id": "api", "name": "Orders API", "type": "web-service", "parent": {"trustZone": "z"},
             "attributes": {
                "Generic Process": {},
                "Sanitizes Input": "Yes",
                "Accepts Input From": "Any Remote User or Entity",
                "Implements or Uses an Authorization Mechanism": "Yes",
                "Implements or Uses an Authentication Mechanism": "Yes",
                "Running As": "Kernel",
                "Out Of Scope": "false"}},
            {"id": "agent", "name": "Agent", "type": "generic-client", "parent": {"trustZone": "z"},
             "attributes": {"Authenticates Itself": "Yes", "Running As": "Not Selected",
                            "Accepts Input From": "Not Selected", "Sanitizes Input": "No"}},
            {"id": "db", "name": "Orders DB", "type": "sql-database", "parent": {"trustZone": "z"},
             "attributes": {"Encrypted": "Yes"}}
        ],
        "dataflows": [
            {"id": "f1", "name": "Poll", "source": "agent", "destination": "api",
             "attributes": {"Generic Data Flow": {}, "Provides Confidentiality": "No"}},
            {"id": "f2", "name": "Query", "source": "api", "destination": "db",
             "attributes": {"Source Authenticated": "Yes", "Encrypted": "Yes"}},
            {"id": "f3", "name": "Reply", "source": "db", "destination": "api",
             "attributes": {"Source Authenticated": "Not Selected"}}
        ]
    })
    .to_string();
    let model = plasma_exports::threat::otm::import(&text, WS).expect("imports");
    let d = &model.diagrams[0];
    let element = |name: &str| d.elements.iter().find(|e| e.name == name).expect(name);
    let flow = |name: &str| d.flows.iter().find(|f| f.name == name).expect(name);

    let api = &element("Orders API").props;
    assert!(api.sanitizes_input);
    assert!(api.handles_untrusted_input);
    assert!(api.has_access_control);
    assert_eq!(api.privilege, plasma_models::threat::Privilege::Root);
    assert!(
        api.tags.iter().any(|t| t == "provides-authentication"),
        "{:?}",
        api.tags
    );

    let agent = &element("Agent").props;
    assert!(!agent.sanitizes_input && !agent.handles_untrusted_input && !agent.has_access_control);
    assert_eq!(
        agent.privilege,
        plasma_models::threat::ElementProps::default().privilege
    );
    assert!(element("Orders DB").props.encrypted_at_rest);

    // The agent authenticates itself, so what it sends is authenticated.
    assert!(flow("Poll").authenticated);
    assert!(!flow("Poll").encrypted_in_transit);
    assert!(flow("Query").authenticated && flow("Query").encrypted_in_transit);
    assert!(!flow("Reply").authenticated && !flow("Reply").encrypted_in_transit);
    // Nothing written is lost: the attributes stay readable in the model.
    assert!(
        model.description.contains("Running As: Kernel"),
        "{}",
        model.description
    );
}

/// An OTM Internet trust zone (`type: internet`, IriusRisk's predefined
/// Internet zone id even when the file does not define it, startleft's
/// `Internet Boundary` attribute from a Threat Modeling Tool model) puts
/// the flows with an end in it, or in a zone nested in it, on a public
/// network; so does IriusRisk's Internet zone id as a zone's `type` (OTM
/// 0.2 startleft) and a Threat Modeling Tool zone named "Internet" (startleft's
/// `MTMT_example_coordinates`); flows between other zones stay private.
#[test]
fn otm_internet_trust_zones_make_their_flows_public() {
    let text = json!({
        "otmVersion": "0.2.0",
        "project": {"id": "p", "name": "Shop"},
        "trustZones": [
            {"id": "web", "name": "Web", "type": "Internet", "risk": {"trustRating": 1}},
            {"id": "guests", "name": "Guest wifi", "risk": {"trustRating": 5}, "parent": {"trustZone": "web"}},
            {"id": "line", "name": "Internet Boundary", "risk": {"trustRating": 10},
             "attributes": {"Internet Boundary": {}, "Name": "Internet Boundary"}},
            {"id": "dc", "name": "Data centre", "risk": {"trustRating": 90}},
            {"id": "6376d53e-6461-412b-8e04-7b3fe2b397de", "name": "Internet",
             "risk": {"trustRating": 10}, "properties": {"Name": "Internet", "Dataflow Order": "0"}},
            {"id": "edge", "name": "Edge", "type": "f0ba7722-39b6-4c81-8290-a30a248bb8d9",
             "risk": {"trustRating": 10}},
            {"id": "drawn", "name": "Internet", "risk": {"trustRating": 50}}
        ],
        "components": [
            {"id": "browser", "name": "Browser", "type": "web-client", "parent": {"trustZone": "web"}},
            {"id": "kiosk", "name": "Kiosk", "type": "web-client", "parent": {"trustZone": "guests"}},
            {"id": "partner", "name": "Partner", "type": "generic-client", "parent": {"trustZone": "line"}},
            {"id": "mobile", "name": "Mobile app", "type": "android-device-client",
             "parent": {"trustZone": "f0ba7722-39b6-4c81-8290-a30a248bb8d9"}},
            {"id": "api", "name": "API", "type": "web-service", "parent": {"trustZone": "dc"}},
            {"id": "db", "name": "DB", "type": "sql-database", "parent": {"trustZone": "dc"}},
            {"id": "ios", "name": "iOS", "type": "ios-device-client",
             "parent": {"trustZone": "6376d53e-6461-412b-8e04-7b3fe2b397de"}},
            {"id": "cdn", "name": "CDN", "type": "cloudfront", "parent": {"trustZone": "edge"}},
            {"id": "box", "name": "Box", "type": "process", "parent": {"trustZone": "drawn"}}
        ],
        "dataflows": [
            {"id": "f1", "name": "Browse", "source": "browser", "destination": "api"},
            {"id": "f2", "name": "Kiosk order", "source": "kiosk", "destination": "api"},
            {"id": "f3", "name": "Partner feed", "source": "api", "destination": "partner"},
            {"id": "f4", "name": "App call", "source": "mobile", "destination": "api"},
            {"id": "f5", "name": "Query", "source": "api", "destination": "db"},
            {"id": "f6", "name": "iOS call", "source": "ios", "destination": "api"},
            {"id": "f7", "name": "Edge fetch", "source": "cdn", "destination": "api"},
            {"id": "f8", "name": "Box call", "source": "box", "destination": "api"}
        ]
    })
    .to_string();
    let model = plasma_exports::threat::otm::import(&text, WS).expect("imports");
    let public = |name: &str| {
        model.diagrams[0]
            .flows
            .iter()
            .find(|f| f.name == name)
            .expect(name)
            .crosses_public_network
    };
    assert!(public("Browse"));
    assert!(public("Kiosk order"), "a zone nested in the Internet zone");
    assert!(public("Partner feed"), "startleft's Internet Boundary");
    assert!(public("App call"), "IriusRisk's predefined Internet zone");
    assert!(!public("Query"));
    assert!(
        public("iOS call"),
        "the Threat Modeling Tool's Internet zone via startleft"
    );
    assert!(
        public("Edge fetch"),
        "IriusRisk's Internet zone as the type"
    );
    assert!(
        !public("Box call"),
        "a zone merely named Internet (as a drawn boundary exported here)"
    );
}

/// Threat Dragon 2.5 saves `"type": ""` when nobody picks a category; authors
/// then mark it in the title (`[S] UI Spoofing - Session Hijack`). The title
/// gives the category, the empty type goes back out unchanged, and a title
/// naming none or several keeps the old default.
#[test]
fn threat_dragon_threat_with_no_type_takes_the_category_its_title_names() {
    let threat = |n: u32, title: &str, ty: &str| {
        json!({"id": format!("00000000-0000-4000-8000-00000000000{n}"), "title": title,
               "status": "Open", "severity": "Medium", "type": ty, "description": "",
               "mitigation": "", "modelType": "STRIDE", "number": n, "score": ""})
    };
    let doc = threat_dragon_one_cell(
        "2.5.0",
        json!({"id": "10000000-0000-4000-8000-000000000001", "shape": "actor",
        "position": {"x": 0, "y": 0}, "size": {"width": 120, "height": 60},
        "data": {"type": "tm.Actor", "name": "UI", "threats": [
           threat(1, "[S] UI Spoofing - Session Hijack", ""),
           threat(2, "(D) UI DoS - JS Flood", ""),
           threat(3, "Cookie tampering by a proxy", " "),
           threat(4, "[E] but typed", "Repudiation"),
           threat(5, "Spoofing leads to tampering", ""),
           threat(6, "Verbose errors", "")
        ]}}),
    );
    let model = threat_dragon::import(&doc, WS).expect("imports");
    let category = |title: &str| {
        model
            .threats
            .iter()
            .find(|t| t.title == title)
            .unwrap_or_else(|| panic!("{title}"))
            .category
    };
    assert_eq!(
        category("[S] UI Spoofing - Session Hijack"),
        Stride::Spoofing
    );
    assert_eq!(category("(D) UI DoS - JS Flood"), Stride::DenialOfService);
    assert_eq!(category("Cookie tampering by a proxy"), Stride::Tampering);
    assert_eq!(
        category("[E] but typed"),
        Stride::Repudiation,
        "a type wins"
    );
    assert_eq!(
        category("Spoofing leads to tampering"),
        Stride::InformationDisclosure,
        "two categories named: the default"
    );
    assert_eq!(category("Verbose errors"), Stride::InformationDisclosure);
    // The file's empty type is what export writes back.
    let out = threat_dragon::export(&model);
    assert!(out.contains(r#""type": """#), "{out}");
}

/// Threat Dragon fills a new threat with placeholder text, and course
/// models keep it (a 2.2 lab file: three "New STRIDE threat"s with it):
/// that text is no description and no mitigation, so the report does not
/// list "Provide remediation ..." as a planned mitigation; text the user
/// wrote, even around the placeholder words, stays.
#[test]
fn threat_dragon_placeholder_text_is_no_description_or_mitigation() {
    let threat = |n: u32, description: &str, mitigation: &str| {
        td_threat(
            n,
            &format!("New STRIDE threat {n}"),
            "TBD",
            description,
            mitigation,
        )
    };
    let doc = threat_dragon_one_cell(
        "2.2.0",
        json!({"id": "10000000-0000-4000-8000-000000000001", "shape": "process",
        "position": {"x": 0, "y": 0}, "size": {"width": 90, "height": 80},
        "data": {"type": "tm.Process", "name": "Web\nApplication", "threats": [
           threat(1, "Provide a description for this threat",
                  "Provide remediation for this threat or a reason if status is N/A"),
           threat(2, "Stolen session cookie",
                  "Provide remediation for this threat or a reason if status is N/A, then HttpOnly cookies")
        ]}}),
    );
    let model = threat_dragon::import(&doc, WS).expect("imports");
    let by = |title: &str| threat_titled(&model, title);
    let placeholder = by("New STRIDE threat 1");
    assert_eq!(placeholder.description, "");
    assert!(
        placeholder.mitigations.is_empty(),
        "{:?}",
        placeholder.mitigations
    );
    let written = by("New STRIDE threat 2");
    assert_eq!(written.description, "Stolen session cookie");
    assert_eq!(written.mitigations.len(), 1);
    assert!(written.mitigations[0]
        .title
        .ends_with("then HttpOnly cookies"));
    // Export writes no placeholder back, and the severity "TBD" stays.
    let out = threat_dragon::export(&model);
    assert!(!out.contains("Provide a description"), "{out}");
    assert!(out.contains(r#""severity": "TBD""#), "{out}");
}

/// A Threat Dragon 1.x model (SRS-Group-2's airspace monitoring): the
/// threats its engine suggested keep the engine's mitigation text, "Mitigation
/// or prevention for the threat", which says nothing; the author's own text
/// on another threat is a mitigation.
#[test]
fn threat_dragon_1_suggested_mitigation_text_is_no_mitigation() {
    let threat = |id: &str, title: &str, ty: &str, model: &str, status: &str, mitigation: &str| {
        json!({"ruleId": "edb05d76-a695-455f-947b-7d67b78bc31d", "title": title, "type": ty,
               "modelType": model, "status": status, "severity": "Medium",
               "description": format!("A generic {ty} threat"), "mitigation": mitigation,
               "threatId": id, "$$hashKey": "object:1"})
    };
    let doc = json!({
        "summary": {"title": "Airspace", "owner": "Gio"},
        "detail": {"contributors": [], "diagrams": [{"title": "DFD", "id": 0, "diagramType": "STRIDE",
            "diagramJson": {"cells": [{
                "type": "tm.Process", "id": "31b73915-82f1-4e49-ad9e-221fcdac3e41", "z": 1,
                "size": {"width": 100, "height": 100}, "position": {"x": 12, "y": 238},
                "attrs": {"text": {"text": "Aircraft info"}}, "hasOpenThreats": true,
                "threats": [
                    threat("40b59022-d748-42e9-89f8-774f41323de8", "SQL Injection", "Tampering", "STRIDE",
                           "Mitigated", "The icao24 is checked before the query is built."),
                    threat("b046a748-0c21-4619-b184-2f10bbe442e4", "Generic threat to Availability",
                           "Availability", "CIA", "Open", "Mitigation or prevention for the threat"),
                ]}]}}]}
    })
    .to_string();
    let model = threat_dragon::import(&doc, WS).expect("imports");
    let suggested = threat_titled(&model, "Generic threat to Availability");
    assert!(
        suggested.mitigations.is_empty(),
        "{:?}",
        suggested.mitigations
    );
    assert_eq!(suggested.category, Stride::DenialOfService);
    let written = threat_titled(&model, "SQL Injection");
    assert_eq!(written.mitigations.len(), 1);
    assert_eq!(
        written.mitigations[0].title,
        "The icao24 is checked before the query is built."
    );
}

/// Threat Dragon 2.5 team models where the author typed after the
/// new-threat text instead of replacing it ("Provide a description for this
/// threat. A customer could ...") and wrote several mitigations as a list in
/// the one mitigation box (`- `, `• `, `1. `): the description is the
/// author's text alone, and each list item is a mitigation of its own (a
/// paragraph with a line that is no list item stays one mitigation, as
/// before).
#[test]
fn threat_dragon_text_after_the_placeholder_and_listed_mitigations() {
    let threat = |n: u32, description: &str, mitigation: &str| {
        td_threat(n, &format!("Threat {n}"), "Medium", description, mitigation)
    };
    let doc = threat_dragon_one_cell(
        "2.5.0",
        json!({"id": "customer", "shape": "actor",
        "position": {"x": 0, "y": 0}, "size": {"width": 120, "height": 80},
        "data": {"type": "tm.Actor", "name": "Customer", "threats": [
           threat(1, "Provide a description for this threat. A customer could impersonate another customer.",
                  "- Validate all session tokens\n- Rate-limit API requests\n- Monitor unusual access patterns"),
           threat(2, "Provide a description for this threats list",
                  "\u{2022} Enforce strong authentication.\n\u{2022} Use HTTPS only.\n\nLock accounts after repeated failed logins."),
           threat(3, "Spoofed login page",
                  "Steps:\n- use valid TLS certificates\n- enable HSTS\n\n1. Pin certificates\n2) Check CORS origins"),
        ]}}),
    );
    let model = threat_dragon::import(&doc, WS).expect("imports");
    let by = |title: &str| threat_titled(&model, title);
    let titles = |title: &str| -> Vec<String> {
        by(title)
            .mitigations
            .iter()
            .map(|m| m.title.clone())
            .collect()
    };
    assert_eq!(
        by("Threat 1").description,
        "A customer could impersonate another customer."
    );
    assert_eq!(
        titles("Threat 1"),
        [
            "Validate all session tokens",
            "Rate-limit API requests",
            "Monitor unusual access patterns"
        ]
    );
    // Words that only begin like the placeholder are the author's.
    assert_eq!(
        by("Threat 2").description,
        "Provide a description for this threats list"
    );
    assert_eq!(
        titles("Threat 2"),
        [
            "Enforce strong authentication.",
            "Use HTTPS only.",
            "Lock accounts after repeated failed logins."
        ]
    );
    assert_eq!(
        titles("Threat 3"),
        [
            "Steps:\n- use valid TLS certificates\n- enable HSTS",
            "Pin certificates",
            "Check CORS origins"
        ]
    );
    // Exported and imported again: the same mitigations, no placeholder.
    let out = threat_dragon::export(&model);
    assert!(
        !out.contains("Provide a description for this threat."),
        "{out}"
    );
    let again = threat_dragon::import(&out, WS).expect("imports again");
    for t in &model.threats {
        let back = again.threats.iter().find(|b| b.id == t.id).expect("kept");
        assert_eq!(back.description, t.description);
        assert_eq!(back.mitigations, t.mitigations, "{}", t.title);
    }
}

/// The threat model AWS's Threat Modeling MCP Server writes as
/// `docs/threat-model.tc.json` in sample projects (`"schema":
/// "threat-composer"`, snake_case threat parts, `category`, `severity`,
/// `status`, components and connections) is detected as Threat Composer and
/// read: each threat with its statement, category, severity (Critical is
/// critical), status and the mitigations either side names; components and
/// connections and the business context are kept as text, and a threat a
/// mitigation names that the file does not hold stays in its notes.
#[test]
fn threat_modeling_mcp_server_model_imports_its_threats() {
    let doc = json!({
        "schema": "threat-composer", "version": "1.0",
        "metadata": {"title": "Upgrade tool", "tool": "Threat Modeling MCP Server"},
        "businessContext": {"description": "CLI that upgrades databases.", "system_criticality": "High"},
        "architecture": {
            "components": [
                {"id": "C1", "name": "Scripts", "type": "Compute", "description": "bash scripts"},
                {"id": "C2", "name": "Database", "type": "Storage"}],
            "connections": [
                {"source": "C1", "destination": "C2", "protocol": "TCP/TLS", "port": 3306,
                 "encryption": true, "description": "prechecks"}]},
        "threats": [
            {"id": "T001", "threat_source": "An insider with filesystem access",
             "prerequisites": "with write access to the scripts",
             "threat_action": "modify the scripts", "threat_impact": "deleted databases",
             "category": "Tampering", "severity": "Critical", "likelihood": "Unlikely",
             "status": "mitigated", "affected_components": ["C1", "C2"], "mitigations": ["M1"]},
            {"id": "T002", "threat_source": "A local user", "threat_action": "read the password from ps",
             "category": "Information Disclosure", "severity": "High", "status": "open",
             "affected_components": ["C1"], "mitigations": []}],
        "mitigations": [
            {"id": "M1", "content": "Checksums for all scripts", "status": "mitigationResolved",
             "type": "Preventive", "addresses_threats": ["T001"]},
            {"id": "M2", "content": "Credentials in a defaults file", "status": "mitigationIdentified",
             "addresses_threats": ["T002", "T009"]}]
    })
    .to_string();
    assert_eq!(
        detect_format("threat-model.tc.json", &doc),
        Some(ThreatFormat::ThreatComposer)
    );
    let model = threat_composer::import(&doc, WS).expect("imports");
    assert_eq!(model.name, "Upgrade tool");
    assert!(model.description.contains("CLI that upgrades databases."));
    assert!(model.description.contains("system_criticality: High"));
    let t1 = model
        .threats
        .iter()
        .find(|t| {
            t.title
                .starts_with("An insider with filesystem access with write access")
        })
        .expect("T001 by its statement");
    assert_eq!(t1.category, Stride::Tampering);
    assert_eq!(t1.severity(), plasma_models::threat::Severity::Critical);
    assert_eq!(t1.status, plasma_models::threat::ThreatStatus::Mitigated);
    assert_eq!(t1.mitigations.len(), 1);
    assert_eq!(t1.mitigations[0].title, "Checksums for all scripts");
    assert!(t1.notes.contains("likelihood: Unlikely"), "{}", t1.notes);
    // The statement has one article; the source part keeps the file's.
    assert!(
        t1.description
            .contains("Threat source: An insider with filesystem access"),
        "{}",
        t1.description
    );
    assert!(
        t1.description.contains("Scripts, Database"),
        "{}",
        t1.description
    );
    let t2 = model
        .threats
        .iter()
        .find(|t| t.title.starts_with("A local user can read the password"))
        .expect("T002");
    assert_eq!(t2.category, Stride::InformationDisclosure);
    assert_eq!(t2.severity(), plasma_models::threat::Severity::High);
    assert_eq!(t2.status, plasma_models::threat::ThreatStatus::Open);
    assert_eq!(t2.mitigations.len(), 1, "M2 names T002");
    assert!(t2.notes.contains("T002, T009"), "{}", t2.notes);
    // Components and connections are text of the application element.
    let app = &model.diagrams[0].elements[0];
    assert!(
        app.description
            .contains("C1 Scripts (Compute): bash scripts"),
        "{}",
        app.description
    );
    assert!(
        app.description
            .contains("Scripts \u{2192} Database (TCP/TLS, port 3306, encrypted): prechecks"),
        "{}",
        app.description
    );
    // A wrong type is refused where it is in the file.
    let bad = doc.replace(
        r#""affected_components":["C1"]"#,
        r#""affected_components":"C1""#,
    );
    let err = threat_composer::import(&bad, WS).expect_err("a string is no list");
    assert!(
        err.to_string().contains("/threats/1/affected_components"),
        "{err}"
    );
}

/// A course model written by hand in Threat Dragon's outline, with types
/// Threat Dragon does not have (`tm.External`, `tm.Datastore`) and no
/// positions, is refused where the first one is, saying what Threat Dragon
/// would have written instead.
#[test]
fn threat_dragon_unknown_cell_type_refusal_names_the_known_ones() {
    let doc = json!({
        "summary": {"title": "LLM app", "owner": "Group", "description": "", "id": 0},
        "detail": {"contributors": ["Member 1"], "diagrams": [{"title": "DFD", "id": 0,
            "diagramType": "STRIDE", "cells": [
                {"type": "tm.External", "name": "Tester", "id": "ext1"},
                {"type": "tm.Flow", "name": "Prompt", "source": "ext1", "target": "ext1"}
            ]}], "reviewer": "Instructor"}
    });
    let e = threat_dragon::import(&doc.to_string(), WS)
        .expect_err("not Threat Dragon's types")
        .to_string();
    assert!(e.contains("/detail/diagrams/0/cells/0/type"), "{e}");
    assert!(e.contains("\"tm.External\""), "{e}");
    assert!(e.contains("tm.Actor, tm.Process, tm.Store"), "{e}");
}

/// startleft copies the Threat Modeling Tool's references into OTM as HTML
/// links (`Refer: <a href="https://aka.ms/...">https://aka.ms/...</a>`):
/// they read as the plain URL (after the link text when that differs), and
/// other markup a threat quotes stays as written.
#[test]
fn otm_threat_modeling_tool_links_read_as_plain_urls() {
    let text = json!({
        "otmVersion": "0.1.0",
        "project": {"id": "p", "name": "Converted"},
        "trustZones": [{"id": "z", "name": "Private Secured Cloud", "risk": {"trustRating": 10}}],
        "components": [{"id": "api", "name": "Public API v2", "type": "web-service",
            "parent": {"trustZone": "z"},
            "threats": [{"threat": "4", "state": "AutoGenerated",
                         "mitigations": [{"mitigation": "4", "state": "RECOMMENDED"}]}]}],
        "dataflows": [],
        "threats": [{"id": "4", "name": "Verbose errors", "categories": ["Information Disclosure"],
            "risk": {"likelihood": 100, "impact": 100},
            "description": "Errors echo <script> input. See <a href='https://example.com/kb'>the KB</a>."}],
        "mitigations": [{"id": "4", "name": "Handle exceptions", "riskReduction": 100,
            "description": "Handle exceptions in the Web API. Refer: <a href=\"https://aka.ms/tmtxmgmt#exception\">https://aka.ms/tmtxmgmt#exception</a>"}]
    })
    .to_string();
    let model = plasma_exports::threat::otm::import(&text, WS).expect("imports");
    let t = &model.threats[0];
    assert_eq!(
        t.description,
        "Errors echo <script> input. See the KB (https://example.com/kb)."
    );
    assert!(
        t.notes
            .contains("Handle exceptions in the Web API. Refer: https://aka.ms/tmtxmgmt#exception"),
        "{}",
        t.notes
    );
    assert!(!t.notes.contains("<a "), "{}", t.notes);
}

#[test]
fn otm_flows_named_by_a_connector_uuid_are_named_by_their_ends() {
    // startleft's Visio output names a connector without text by its UUID.
    let text = json!({
        "otmVersion": "0.1.0",
        "project": {"id": "p", "name": "Shapes"},
        "trustZones": [{"id": "cloud", "name": "Public Cloud", "risk": {"trustRating": 10}}],
        "components": [
            {"id": "1", "name": "Web server", "type": "ec2", "parent": {"trustZone": "cloud"}},
            {"id": "2", "name": "Logs", "type": "cloudwatch", "parent": {"trustZone": "cloud"}}
        ],
        "dataflows": [
            {"id": "17", "name": "21830dc6-840d-4254-bb35-f4b2c68561e5", "source": "1", "destination": "2"},
            {"id": "18", "name": "9d1e0c2a-0000-4000-8000-000000000001", "source": "2", "destination": "1",
             "description": "Alerts back"},
            {"id": "19", "name": "Metrics", "source": "1", "destination": "2"}
        ]
    })
    .to_string();
    let flow_names = |m: &ThreatModel| -> Vec<String> {
        m.diagrams[0].flows.iter().map(|f| f.name.clone()).collect()
    };
    let model = plasma_exports::threat::otm::import(&text, WS).expect("imports");
    let names = flow_names(&model);
    assert_eq!(
        names,
        ["Web server to Logs", "Logs to Web server", "Metrics"]
    );
    // The UUID the file gave stays, after the flow's own description.
    assert!(model
        .description
        .contains("OTM name: 21830dc6-840d-4254-bb35-f4b2c68561e5 (an unnamed connector's id)"));
    assert!(model
        .description
        .contains("Alerts back; OTM name: 9d1e0c2a-0000-4000-8000-000000000001"));
    // Threat Dragon export and import keep the names.
    let back = threat_dragon::import(&threat_dragon::export(&model), WS).expect("round trip");
    assert_eq!(flow_names(&back), names);
}

/// Threat Dragon saves a threat's type in the user's language (its i18n
/// STRIDE labels): a French or German model's types are their STRIDE
/// categories, not all information disclosure, and export writes the
/// label back.
#[test]
fn threat_dragon_types_in_threat_dragons_languages_keep_their_stride_category() {
    let labels = [
        ("Usurpation d'identité", Stride::Spoofing),
        ("Manipulation", Stride::Tampering),
        ("Nichtanerkennung", Stride::Repudiation),
        ("Divulgation d'information", Stride::InformationDisclosure),
        ("Negação de serviço", Stride::DenialOfService),
        ("Élévation de privilège", Stride::ElevationOfPrivilege),
    ];
    let threats: Vec<_> = labels
        .iter()
        .enumerate()
        .map(|(i, (label, _))| {
            let mut t = td_threat(i as u32 + 1, label, "High", "", "");
            t["type"] = json!(label);
            t
        })
        .collect();
    let text = threat_dragon_one_cell(
        "2.3.0",
        json!({"id": "p", "shape": "process", "position": {"x": 0, "y": 0},
               "size": {"width": 100, "height": 100},
               "data": {"type": "tm.Process", "name": "Web", "threats": threats}}),
    );
    let model = threat_dragon::import(&text, WS).expect("imports");
    for (label, category) in labels {
        assert_eq!(threat_titled(&model, label).category, category, "{label}");
    }
    let again = threat_dragon::import(&threat_dragon::export(&model), WS).expect("re-imports");
    let exported = threat_dragon::export(&again);
    for (label, category) in labels {
        assert_eq!(threat_titled(&again, label).category, category, "{label}");
        assert!(
            exported.contains(&format!("\"type\": \"{label}\"")),
            "{label} written back"
        );
    }
}

/// A pytm model as its Python script (`from pytm import ...`) is refused,
/// whatever its name or `--format`, saying how to get pytm's JSON.
#[test]
fn pytm_python_script_is_refused_saying_how_to_get_its_json() {
    let script = "#!/usr/bin/env python3\nfrom pytm import TM, Actor, Server, Dataflow\n\n\
                  tm = TM(\"Shop\")\nuser = Actor(\"User\")\nweb = Server(\"Web\")\n\
                  Dataflow(user, web, \"Orders\")\n\nif __name__ == \"__main__\":\n    tm.process()\n";
    for name in ["tm.py", "model.json"] {
        assert_eq!(
            detect_format(name, script),
            Some(ThreatFormat::Pytm),
            "{name}"
        );
    }
    let e = plasma_exports::threat::pytm::import(script, WS).expect_err("a script");
    assert!(e.reason.contains("pytm Python script"), "{e}");
    assert!(e.reason.contains("--json"), "{e}");
    // JSON that mentions pytm is still read as JSON.
    assert_eq!(
        detect_format("x.json", "{\"note\": \"from pytm import TM\"}"),
        None
    );
}

/// A model written by hand after pytm's report (403rbidden's
/// Code2Flow-en-OWASP-Threat-Dragon `threat_model.json`): its actors carry
/// no `__class__`, and it lists `processes` and `dataflows` (the flows
/// without ends) where pytm has `assets` and `flows`. The actors are
/// external entities, and what the import does not read stays in the model
/// description instead of vanishing.
#[test]
fn pytm_like_model_keeps_its_actors_and_the_lists_pytm_does_not_have() {
    let doc = json!({
        "name": "Model from GV",
        "description": "Generated from a .gv file with pytm",
        "assumptions": ["The data sits in a safe place."],
        "actors": [{"name": "User", "description": "A user of the system."}],
        "processes": [{"name": "Web Application", "description": "Serves the user."}],
        "dataflows": [{"name": "User to WebApp", "description": "The user's requests."}],
        "boundaries": [{"name": "Trust Boundary", "description": "Between user and app."}],
        "findings": []
    })
    .to_string();
    assert_eq!(
        detect_format("threat_model.json", &doc),
        Some(ThreatFormat::Pytm)
    );
    let model = pytm::import(&doc, WS).expect("imports");
    let elements = &model.diagrams[0].elements;
    assert_eq!(elements.len(), 1);
    assert_eq!(elements[0].name, "User");
    assert_eq!(elements[0].kind, ElementKind::ExternalEntity);
    for kept in [
        "- model processes: description: Serves the user.; name: Web Application",
        "- model dataflows: description: The user's requests.; name: User to WebApp",
        "- assumption: The data sits in a safe place.",
    ] {
        assert!(
            model.description.contains(kept),
            "{kept}: {}",
            model.description
        );
    }
}

/// The OTM example of IriusRisk's AI guide (iriusrisk-cli): dataflows
/// tagged for people ("user-traffic", "internal-routing") beside a
/// protocol tag. The protocol and the flags are read as before; the other
/// tags, which no flow field holds, stay in the model description.
#[test]
fn otm_dataflow_tags_the_import_does_not_read_are_kept() {
    let doc = r#"otmVersion: 0.1.0
project:
  name: "Shop"
  id: "shop"
trustZones:
  - id: "b61d6911-338d-11e8-8c37-ad2a1d5c1e0c"
    name: "Internet"
components:
  - id: "web-browser"
    name: "Web Browser"
    type: "CD-V2-WEB-CLIENT"
    parent:
      trustZone: "b61d6911-338d-11e8-8c37-ad2a1d5c1e0c"
    tags: ["client", "browser"]
  - id: "alb"
    name: "Load Balancer"
    type: "CD-V2-LOAD-BALANCER"
    parent:
      trustZone: "b61d6911-338d-11e8-8c37-ad2a1d5c1e0c"
dataflows:
  - id: "user-request"
    name: "User HTTP Requests"
    source: "web-browser"
    destination: "alb"
    tags: ["http", "user-traffic"]
  - id: "health"
    name: "Health checks"
    source: "alb"
    destination: "web-browser"
    tags: ["authenticated", "port: 8080", "internal-routing", "https"]
"#;
    let model = otm::import(doc, WS).expect("imports");
    let flows = &model.diagrams[0].flows;
    assert_eq!(flows[0].protocol, "http");
    assert_eq!(flows[1].protocol, "https");
    assert!(flows[1].authenticated);
    assert_eq!(flows[1].port, Some(8080));
    for kept in [
        "- dataflow \"User HTTP Requests\" (user-request): tags: user-traffic",
        "- dataflow \"Health checks\" (health): tags: internal-routing",
    ] {
        assert!(
            model.description.contains(kept),
            "{kept}: {}",
            model.description
        );
    }
    assert!(
        !model.description.contains("tags: http"),
        "{}",
        model.description
    );
}

/// startleft's CloudFormation output (its `otm_file_example.otm`) tags a
/// load balancer `AWS::ElasticLoadBalancingV2::LoadBalancer`, whose
/// "loadbalancer" holds "db": it was read as a data store. "db" counts
/// only as a word or at a word's edge.
#[test]
fn otm_db_inside_a_word_does_not_make_a_data_store() {
    let doc = r#"otmVersion: 0.1.0
project:
  name: "Stack"
  id: "stack"
trustZones:
  - id: "cloud"
    name: "Public Cloud"
components:
  - id: "lb"
    name: "ServiceLB"
    type: "load-balancer"
    parent:
      trustZone: "cloud"
    tags: ["AWS::ElasticLoadBalancingV2::LoadBalancer"]
  - id: "fb"
    name: "Feedback"
    type: "feedback-service"
    parent:
      trustZone: "cloud"
  - id: "orders"
    name: "Orders"
    type: "dynamodb"
    parent:
      trustZone: "cloud"
  - id: "main"
    name: "Main"
    type: "empty-component"
    parent:
      trustZone: "cloud"
    tags: ["DBCluster", "my-db"]
"#;
    let model = otm::import(doc, WS).expect("imports");
    let kind = |name: &str| {
        model.diagrams[0]
            .elements
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.kind)
            .expect(name)
    };
    assert_eq!(kind("ServiceLB"), ElementKind::Process);
    assert_eq!(kind("Feedback"), ElementKind::Process);
    assert_eq!(kind("Orders"), ElementKind::DataStore);
    assert_eq!(kind("Main"), ElementKind::DataStore);
}

/// An OTM file laid out as Devici writes it (DVRAG's `generate_otm.py`):
/// trust boundaries and a sticky note drawn as components, every component
/// its own trust zone, threats named by `ref` with their mitigations on the
/// definition, likelihood and impact rated 1 to 5.
fn devici_otm(client_threat: &str) -> String {
    let at = |x: u32, y: u32, w: u32, h: u32| {
        json!([{"representation": "canvas", "id": "canvas",
                "position": {"x": x, "y": y}, "size": {"width": w, "height": h}}])
    };
    let node =
        |id: &str, name: &str, ty: &str, rep: serde_json::Value, threats: serde_json::Value| {
            json!({"id": id, "name": name, "type": ty, "representations": rep,
               "parent": {"trustZone": id}, "attributes": {}, "threats": threats,
               "description": null, "assets": null})
        };
    json!({
        "otmVersion": "0.2.0",
        "project": {"name": "Restaurant", "id": "restaurant"},
        "representations": [{"type": "diagram", "id": "canvas", "name": "Architecture"}],
        "trustZones": [],
        "components": [
            node("tz-internet", "Internet Zone", "trustBoundaryNode", at(20, 20, 270, 650), json!([])),
            node("tz-app", "Application Zone", "trustBoundaryNode", at(350, 20, 750, 650), json!([])),
            node("s-note", "Attack surface:\n- no rate limiting", "stickerNode", at(40, 360, 230, 260), json!([])),
            node("c-client", "Client", "externalEntityNode", at(55, 120, 180, 80),
                 json!([{"ref": client_threat}])),
            node("c-api", "API", "processNode", at(635, 40, 180, 120), json!([{"ref": "t-jwt"}])),
            node("c-db", "Database", "datastoreNode", at(1155, 290, 180, 80), json!([])),
        ],
        "dataflows": [{"id": "f1", "name": "API Request", "source": "c-client", "destination": "c-api"}],
        "threats": [
            {"id": "t-enum", "name": "Account enumeration", "categories": ["Spoofing"],
             "risk": {"likelihood": 3, "impact": 2}, "mitigations": [{"ref": "m-uniform"}]},
            {"id": "t-jwt", "name": "JWT algorithm confusion", "categories": ["Spoofing"],
             "risk": {"likelihood": 5, "impact": 5}, "mitigations": []},
        ],
        "mitigations": [{"id": "m-uniform", "name": "One error message for unknown user and wrong password"}],
    })
    .to_string()
}

#[test]
fn otm_in_devicis_layout_reads_boundaries_stickers_and_referenced_threats() {
    let model = otm::import(&devici_otm("t-enum"), WS).expect("imports");
    let d = &model.diagrams[0];
    let names: Vec<&str> = d.boundaries.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(
        names,
        ["Internet Zone", "Application Zone"],
        "no zone per component"
    );
    let in_zone = |element: &str| {
        let e = d
            .elements
            .iter()
            .find(|e| e.name == element)
            .expect(element);
        e.boundary
            .and_then(|id| d.boundaries.iter().find(|b| b.id == id))
            .map(|b| b.name.as_str())
    };
    assert_eq!(in_zone("Client"), Some("Internet Zone"));
    assert_eq!(in_zone("API"), Some("Application Zone"));
    assert_eq!(in_zone("Database"), None, "drawn in no boundary");
    assert_eq!(d.elements.len(), 3, "the sticker is no element");
    assert!(
        model
            .description
            .contains("Text on diagram \"Architecture\": Attack surface:\n- no rate limiting"),
        "{}",
        model.description
    );
    let enumeration = threat_titled(&model, "Account enumeration");
    assert_eq!(enumeration.mitigations.len(), 1);
    assert_eq!(
        enumeration.mitigations[0].title,
        "One error message for unknown user and wrong password"
    );
    // 1 to 5 on OTM's 0 to 100: 3 is medium, 2 low, 5 high.
    assert_eq!(
        (enumeration.likelihood, enumeration.impact),
        (Rating::Medium, Rating::Low)
    );
    assert!(
        enumeration.notes.contains("Likelihood: 3 of 5"),
        "{}",
        enumeration.notes
    );
    let jwt = threat_titled(&model, "JWT algorithm confusion");
    assert_eq!((jwt.likelihood, jwt.impact), (Rating::High, Rating::High));

    // An error still points at the component as the file has it.
    let err = otm::import(&devici_otm("t-missing"), WS).expect_err("unknown threat");
    assert_eq!(err.location, "/components/3/threats/0/ref", "{err}");
}

/// threatcl's `export -format=otm` (its documentation's Tower of London):
/// a JSON list with one OTM document per threat model, with assets,
/// mitigations and threats but no components. A list of one is that
/// model; a longer list is refused naming its models; errors point into
/// the document.
#[test]
fn otm_list_written_by_threatcl_imports_its_one_document() {
    let castle = json!({
        "otmVersion": "0.2.0",
        "project": {"id": "castle", "name": "Castle", "owner": "@keeper",
                    "description": "A historic castle",
                    "attributes": {"internet_facing": true}},
        "assets": [{"id": "jewels", "name": "jewels", "description": "the crown",
                    "risk": {"availability": 0, "confidentiality": 0, "integrity": 0}}],
        "mitigations": [{"id": "guards", "name": "Guards", "description": "Guards patrol",
                         "riskReduction": 80, "attributes": {"implemented": true}}],
        "threats": [{"id": "threat-1", "name": "Threat 1", "categories": ["Confidentiality"],
                     "description": "Someone steals the crown",
                     "risk": {"impact": 0, "likelihood": null}}]
    });
    let one = json!([castle]).to_string();
    assert_eq!(detect_format("export.json", &one), Some(ThreatFormat::Otm));
    let model = otm::import(&one, WS).expect("a list of one imports");
    assert_eq!(model.name, "Castle");
    assert_eq!(model.data_assets.len(), 1);
    for kept in ["@keeper", "Someone steals the crown", "Guards patrol"] {
        assert!(
            model.description.contains(kept),
            "{kept}: {}",
            model.description
        );
    }

    let mut fort = castle.clone();
    fort["project"]["name"] = json!("Fort");
    let two = json!([castle, fort]).to_string();
    let err = otm::import(&two, WS).expect_err("two models in one file");
    assert_eq!(err.location, "/");
    assert!(
        err.reason.contains("2 Open Threat Model documents")
            && err.reason.contains("\"Castle\", \"Fort\""),
        "{}",
        err.reason
    );

    let mut nameless = castle;
    nameless["project"]["name"] = json!("");
    let err = otm::import(&json!([nameless]).to_string(), WS).expect_err("empty name");
    assert_eq!(err.location, "/0/project/name");
    let err = otm::import("[]", WS).expect_err("nothing to import");
    assert!(err.reason.contains("empty list"), "{}", err.reason);
}

/// Threat Dragon numbers threats ("#4" in its threat list) and people cite
/// the number (the OWASP IoT demo's threats are #4 to #7, after deleted
/// ones): export gives each threat the number it came with, a threat added
/// later (or the second of two with one number) the next one after the
/// highest kept, and `threatTop` is the highest.
#[test]
fn threat_dragon_threats_keep_their_numbers_through_export() {
    let mut duplicate = td_threat(3, "Same number again", "Low", "", "");
    duplicate["number"] = json!(4);
    let mut unnumbered = td_threat(5, "No number", "Low", "", "");
    unnumbered.as_object_mut().unwrap().remove("number");
    let doc = threat_dragon_one_cell(
        "2.3.0",
        json!({"id": "10000000-0000-4000-8000-000000000001", "shape": "actor",
        "position": {"x": 0, "y": 0}, "size": {"width": 120, "height": 60},
        "data": {"type": "tm.Actor", "name": "User", "threats": [
            td_threat(7, "Seventh", "High", "", ""),
            td_threat(4, "Fourth", "Medium", "", ""),
            duplicate,
            unnumbered
        ]}}),
    );
    let mut model = threat_dragon::import(&doc, WS).expect("imports");
    let target = threat_titled(&model, "Seventh").target;
    model.threats.push(Threat::manual(
        "Added in Plasma Plan",
        Stride::Tampering,
        target,
        Rating::Low,
        Rating::Low,
    ));
    let numbers = |json: &str| {
        let v: serde_json::Value = serde_json::from_str(json).expect("json");
        let cells = v["detail"]["diagrams"][0]["cells"]
            .as_array()
            .unwrap()
            .clone();
        let mut out: Vec<(String, u64)> = cells
            .iter()
            .flat_map(|c| c["data"]["threats"].as_array().cloned().unwrap_or_default())
            .map(|t| {
                (
                    t["title"].as_str().unwrap().to_string(),
                    t["number"].as_u64().unwrap(),
                )
            })
            .collect();
        out.sort();
        (out, v["detail"]["threatTop"].as_u64())
    };
    let out = threat_dragon::export(&model);
    let (listed, top) = numbers(&out);
    let number = |title: &str| listed.iter().find(|(t, _)| t == title).map(|(_, n)| *n);
    assert_eq!(number("Seventh"), Some(7), "{listed:?}");
    assert_eq!(number("Fourth"), Some(4), "{listed:?}");
    let mut later = vec![
        number("Same number again").unwrap(),
        number("No number").unwrap(),
        number("Added in Plasma Plan").unwrap(),
    ];
    later.sort();
    assert_eq!(
        later,
        vec![8, 9, 10],
        "new numbers after the highest kept: {listed:?}"
    );
    assert_eq!(top, Some(10));
    // Read back, the export numbers again the same.
    let again = threat_dragon::import(&out, WS).expect("re-imports");
    assert_eq!(numbers(&threat_dragon::export(&again)), (listed, top));
}

/// A text block keeps its place, size and id through export (the OWASP
/// demos' note at (190, 10), 190 by 60, was drawn again at (0, -80), 300 by
/// 60, under a new id); a text edited in Plasma Plan, whose place no longer
/// names it, is drawn above the diagram as before, not lost.
#[test]
fn threat_dragon_text_block_keeps_its_place_through_export() {
    let doc = json!({
        "version": "2.3.0",
        "summary": {"title": "Texts", "owner": "", "description": "", "id": 0},
        "detail": {"contributors": [], "diagramTop": 1, "reviewer": "", "threatTop": 0,
            "diagrams": [{"id": 0, "title": "D", "diagramType": "STRIDE", "version": "2.3.0",
                "cells": [
                    {"id": "f3ba6ded-7614-456e-b6b8-76d9f227e9de", "shape": "td-text-block",
                     "position": {"x": 190, "y": 10}, "size": {"width": 190, "height": 60},
                     "attrs": {"text": {"text": "Demo model\nfrom the cookbook"}},
                     "data": {"type": "tm.Text", "name": "Demo model\nfrom the cookbook"}},
                    {"id": "10000000-0000-4000-8000-000000000001", "shape": "actor",
                     "position": {"x": 30, "y": 170}, "size": {"width": 112.5, "height": 60},
                     "data": {"type": "tm.Actor", "name": "User", "threats": []}}
                ]}]}
    })
    .to_string();
    let text_cell = |json: &str| {
        let v: serde_json::Value = serde_json::from_str(json).expect("json");
        v["detail"]["diagrams"][0]["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["shape"] == "td-text-block")
            .cloned()
            .expect("a text block")
    };
    let model = threat_dragon::import(&doc, WS).expect("imports");
    let out = threat_dragon::export(&model);
    let cell = text_cell(&out);
    assert_eq!(cell["id"], "f3ba6ded-7614-456e-b6b8-76d9f227e9de");
    assert_eq!(cell["position"], json!({"x": 190.0, "y": 10.0}));
    assert_eq!(cell["size"], json!({"width": 190.0, "height": 60.0}));
    assert_eq!(cell["data"]["name"], "Demo model\nfrom the cookbook");
    let again = threat_dragon::import(&out, WS).expect("re-imports");
    assert_eq!(again.description, model.description, "read back unchanged");
    assert_eq!(text_cell(&threat_dragon::export(&again)), cell);

    let mut edited = model.clone();
    edited.description = edited
        .description
        .replace("from the cookbook", "from the OWASP cookbook");
    let out = threat_dragon::export(&edited);
    let cell = text_cell(&out);
    assert_eq!(cell["data"]["name"], "Demo model\nfrom the OWASP cookbook");
    assert_eq!(cell["position"]["x"], json!(0.0), "{cell}");
    // A place export chose is not kept as the text's place when read back.
    let back = threat_dragon::import(&out, WS).expect("re-imports");
    assert_eq!(back.description, edited.description);
}

//! Microsoft Threat Modeling Tool (`.tm7`) import: a hand-made model in the
//! tool's own layout (`tests/fixtures/threats/small.tm7`: a trust border,
//! an Internet line boundary, stencils with the SDL and Azure templates'
//! attributes, threats in every state), variations of it written here,
//! errors with their place, and no panic on damaged XML.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

mod common;

use common::damage::splice;
use plasma_exports::threat::{detect_format, threat_dragon, tm7, ImportError, ThreatFormat};
use plasma_models::threat::{
    generate, ElementKind, MitigationStatus, Privilege, Rating, RuleSet, Severity, Stride,
    ThreatModel, ThreatStatus, ThreatTarget,
};
use proptest::prelude::*;
use uuid::Uuid;

const WS: Uuid = Uuid::from_u128(0x1111_2222_3333_4444_5555_6666_7777_8888);
const FIXTURE: &str = include_str!("../../tests/fixtures/threats/small.tm7");

const BROWSER: &str = "b0000000-0000-4000-8000-000000000002";
const API: &str = "b0000000-0000-4000-8000-000000000003";
const PLACE_ORDER: &str = "f0000000-0000-4000-8000-000000000001";
const NIL: &str = "00000000-0000-0000-0000-000000000000";

fn import(text: &str) -> ThreatModel {
    tm7::import(text, WS).unwrap_or_else(|e| panic!("{e}"))
}

fn err(text: &str) -> ImportError {
    match tm7::import(text, WS) {
        Ok(_) => panic!("imported, expected an error"),
        Err(e) => {
            assert!(!e.location.is_empty() && !e.reason.is_empty(), "{e:?}");
            e
        }
    }
}

fn element<'a>(m: &'a ThreatModel, name: &str) -> &'a plasma_models::threat::Element {
    m.diagrams[0]
        .elements
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no element {name}"))
}

fn flow<'a>(m: &'a ThreatModel, name: &str) -> &'a plasma_models::threat::Flow {
    m.diagrams[0]
        .flows
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no flow {name}"))
}

fn threat<'a>(m: &'a ThreatModel, title: &str) -> &'a plasma_models::threat::Threat {
    m.threats
        .iter()
        .find(|t| t.title == title)
        .unwrap_or_else(|| panic!("no threat {title}"))
}

/// The `<a:KeyValueOfguidanyType>` entry of a stencil, by its GUID.
fn entry_of(text: &str, guid: &str) -> (usize, usize) {
    let key = format!("<a:KeyValueOfguidanyType><a:Key>{guid}</a:Key>");
    let start = text.find(&key).unwrap();
    let end_tag = "</a:KeyValueOfguidanyType>";
    let end = start + text[start..].find(end_tag).unwrap() + end_tag.len();
    (start, end)
}

/// The fixture with one tag's text inside a stencil's entry replaced.
fn with_in(guid: &str, tag: &str, value: &str) -> String {
    let (start, end) = entry_of(FIXTURE, guid);
    let entry = &FIXTURE[start..end];
    let open = entry.find(&format!("<{tag} ")).unwrap();
    let text_start = open + entry[open..].find('>').unwrap() + 1;
    let text_end = text_start + entry[text_start..].find('<').unwrap();
    let changed = format!("{}{value}{}", &entry[..text_start], &entry[text_end..]);
    format!("{}{changed}{}", &FIXTURE[..start], &FIXTURE[end..])
}

#[test]
fn the_model_maps_elements_boundaries_flows_and_metadata() {
    let m = import(FIXTURE);
    assert_eq!(m.name, "Web shop checkout");
    assert!(m
        .description
        .starts_with("Shoppers place orders that are stored in a database."));
    for line in [
        "Threat Dragon owner: Ana",
        "Threat Dragon reviewer: Dee",
        "Threat Dragon contributors: Bo, Cy",
        "- assumptions: Payments go through the card provider.",
        "- external dependencies: Card provider API",
        "- note: AddedBy: Ana; Date: 2026-03-01T09:00:00; Message: Review again after the card provider change.",
    ] {
        assert!(m.description.lines().any(|l| l == line), "{line}\n{}", m.description);
    }
    assert_eq!(m.diagrams.len(), 1);
    let d = &m.diagrams[0];
    assert_eq!(d.name, "Checkout flow");
    assert_eq!(
        (d.elements.len(), d.flows.len(), d.boundaries.len()),
        (3, 2, 2)
    );
    // The line boundary is a boundary drawn as a line: the flow the tool
    // draws across it crosses it for the rules; the other does not.
    let internet = d
        .boundaries
        .iter()
        .find(|b| b.name == "Internet")
        .expect("the line boundary");
    assert!(internet.position.is_none() && internet.line.len() >= 2);
    let crossing = |name: &str| {
        let f = d.flows.iter().find(|f| f.name == name).expect("flow");
        plasma_models::threat::boundaries_crossed(d, f)
    };
    assert!(crossing("Place order").contains(&internet.id));
    assert!(!crossing("Store order").contains(&internet.id));
    // A connector drawn bent (handle 10 units off its straight line) bends
    // at its handle; a straight one has no bend point.
    let bend = |name: &str| {
        let f = d.flows.iter().find(|f| f.name == name).expect("flow");
        f.points.iter().map(|p| (p.x, p.y)).collect::<Vec<_>>()
    };
    assert_eq!(bend("Place order"), [(250.0, 190.0)]);
    assert!(bend("Store order").is_empty());

    let cloud = &d.boundaries[0];
    assert_eq!(cloud.name, "Cloud");
    assert_eq!(cloud.position.unwrap().width, 500.0);

    let browser = element(&m, "Shopper's browser");
    assert_eq!(browser.kind, ElementKind::ExternalEntity);
    assert_eq!(browser.boundary, None);
    assert_eq!(browser.position.unwrap().x, 50.0);
    assert!(browser.props.tags.contains(&"tmt: Browser".to_string()));
    assert!(browser
        .description
        .contains("Authenticates Itself: Yes; Browser Client Type: Firefox"));

    let api = element(&m, "Checkout API");
    assert_eq!(api.kind, ElementKind::Process);
    assert_eq!(api.boundary, Some(cloud.id));
    let p = &api.props;
    assert!(p.web_application && p.handles_untrusted_input && p.sanitizes_input);
    assert!(p.has_access_control);
    assert_eq!(p.privilege, Privilege::Standard);
    assert!(api.description.contains("Running As: Network Service"));

    let store = element(&m, "Orders & payments");
    assert_eq!(store.kind, ElementKind::DataStore);
    assert_eq!(store.boundary, Some(cloud.id));
    assert!(store.props.stores_credentials && store.props.encrypted_at_rest);
    assert_eq!(store.out_of_scope.as_deref(), Some("Run by the DBA team"));
    assert!(store.description.contains("Backup: Daily"));

    let order = flow(&m, "Place order");
    assert_eq!((order.source, order.target), (browser.id, api.id));
    assert_eq!(order.protocol, "https");
    // The browser authenticates itself; the line boundary is the Internet.
    assert!(order.encrypted_in_transit && order.authenticated && order.crosses_public_network);
    assert_eq!(order.out_of_scope, None);
    let write = flow(&m, "Store order");
    assert_eq!(write.protocol, "sql");
    assert!(!write.encrypted_in_transit && !write.crosses_public_network);
    assert_eq!(
        write.out_of_scope.as_deref(),
        Some("Inside the managed database")
    );
    assert!(m.description.contains(
        "trust boundary line \"Internet\" (Internet Boundary (SE.TB.L.TMCore.Internet)) crosses the flows \"Place order\""
    ));
    assert!(m.description.contains(&format!(
        "Threat Dragon flow {} (\"Store order\") description: Threat Modeling Tool stencil: Generic Data Flow (SE.DF.TMCore.SQLFlow); attributes: Protocol: SQL",
        write.id
    )));
}

#[test]
fn threats_keep_state_priority_justification_and_details() {
    let m = import(FIXTURE);
    assert_eq!(m.threats.len(), 4);
    let order = flow(&m, "Place order").id;
    let write = flow(&m, "Store order").id;

    let spoof = threat(&m, "Spoofing of the shopper's browser");
    assert_eq!(spoof.category, Stride::Spoofing);
    assert_eq!(spoof.target, ThreatTarget::Flow(order));
    assert_eq!(spoof.status, ThreatStatus::Open);
    assert_eq!(spoof.severity(), Severity::High);
    assert_eq!(
        spoof.description,
        "Someone else places orders in the shopper's name."
    );
    assert!(spoof
        .notes
        .contains("Threat Modeling Tool threat 1 (type T1)"));
    assert!(spoof
        .notes
        .contains("Threat Modeling Tool state: NotStarted"));
    assert!(spoof.notes.contains("Threat Modeling Tool changed by: ana"));

    let tamper = threat(&m, "Order tampered in transit");
    assert_eq!(tamper.status, ThreatStatus::Mitigated);
    assert_eq!(tamper.severity(), Severity::Medium);
    assert_eq!(tamper.mitigations.len(), 1);
    assert_eq!(tamper.mitigations[0].title, "HTTPS with HSTS everywhere");
    assert_eq!(tamper.mitigations[0].status, MitigationStatus::Done);

    let deny = threat(&m, "Database denies the write");
    assert_eq!(deny.category, Stride::Repudiation);
    assert_eq!(deny.target, ThreatTarget::Flow(write));
    assert_eq!(deny.status, ThreatStatus::NotApplicable);
    assert_eq!(
        (deny.likelihood, deny.impact),
        (Rating::Low, Rating::Medium)
    );
    assert!(deny
        .notes
        .contains("Threat Modeling Tool justification: The DBA team owns the audit log"));

    let flood = threat(&m, "Orders flood the database");
    assert_eq!(flood.category, Stride::DenialOfService);
    assert_eq!(flood.status, ThreatStatus::Open);
    // No long description: the short one stands in.
    assert_eq!(flood.description, "Denial Of Service is pretending.");
    assert!(flood
        .notes
        .contains("Threat Modeling Tool state: NeedsInvestigation"));
    assert!(flood.notes.contains("Threat Modeling Tool Team: Payments"));
}

#[test]
fn import_is_deterministic_and_survives_threat_dragon_export() {
    let a = import(FIXTURE);
    let b = import(FIXTURE);
    assert_eq!(a, b);
    let again = threat_dragon::import(&threat_dragon::export(&a), WS).unwrap();
    assert_eq!(again.diagrams[0].elements.len(), 3);
    assert_eq!(again.diagrams[0].flows.len(), 2);
    assert_eq!(again.threats.len(), 4);
    let store = again.diagrams[0]
        .elements
        .iter()
        .find(|e| e.name == "Orders & payments")
        .unwrap();
    assert_eq!(store.out_of_scope.as_deref(), Some("Run by the DBA team"));
    assert!(again.description.contains("Threat Dragon owner: Ana"));
}

#[test]
fn rules_run_over_the_import_and_skip_what_is_out_of_scope() {
    let m = import(FIXTURE);
    let rules = RuleSet::bundled().unwrap();
    let threats = generate(&m, &rules);
    let store = element(&m, "Orders & payments").id;
    let order = flow(&m, "Place order").id;
    assert!(!threats.iter().any(|t| t.target.id() == store));
    // The order crosses into the cloud boundary: boundary rules see it.
    assert!(threats.iter().any(|t| t.target == ThreatTarget::Flow(order)
        && t.rationale
            .iter()
            .any(|b| b.property == "boundaries_crossed")));
}

#[test]
fn detected_by_extension_and_content() {
    assert_eq!(detect_format("m.tm7", FIXTURE), Some(ThreatFormat::Tm7));
    assert_eq!(detect_format("model.xml", FIXTURE), Some(ThreatFormat::Tm7));
    assert_eq!(
        detect_format("m", &format!("\u{feff}<?xml version=\"1.0\"?>\n{FIXTURE}")),
        Some(ThreatFormat::Tm7)
    );
    // A .tm7 name with anything but JSON in it goes to this import, which
    // says what is wrong.
    assert_eq!(
        detect_format("m.tm7", "PK\u{3}\u{4}zip"),
        Some(ThreatFormat::Tm7)
    );
    assert_eq!(detect_format("x.xml", "<ThreatModel/>"), None);
    assert_eq!(detect_format("x.svg", "<svg/>"), None);
}

#[test]
fn errors_say_what_where_and_why() {
    let e = err(&FIXTURE[..5000]);
    assert_eq!(
        e.location, "line 1, column 5001 (the end of the file)",
        "{e}"
    );
    assert!(e.reason.contains("cut short"), "{e}");
    let at = FIXTURE.find("<Zoom>1</Zoom>").unwrap();
    let e = err(&FIXTURE.replacen("<Zoom>1</Zoom>", "<Zoom>1</Zom>", 1));
    assert_eq!(e.location, format!("line 1, column {}", at + 8), "{e}");
    assert!(
        e.reason
            .starts_with("not well-formed XML: expected 'Zoom' tag, not 'Zom'"),
        "{e}"
    );

    let e = err("<KnowledgeBase xmlns=\"x\"><Manifest/></KnowledgeBase>");
    assert!(e.reason.contains("template (.tb7)"), "{e}");
    let e = err("<svg/>");
    assert!(e.reason.contains("the root element is <svg>"), "{e}");
    let e = err("<ThreatModel><MetaInformation/></ThreatModel>");
    assert!(e.reason.contains("no DrawingSurfaceList"), "{e}");
    let e = err("");
    assert!(e.reason.contains("empty"), "{e}");
    let e = err(r#"{"summary": {"title": "x"}, "detail": {"diagrams": []}}"#);
    assert!(e.reason.contains("Threat Dragon"), "{e}");

    // A flow naming an element that is not there.
    let broken = FIXTURE.replacen(
        &format!("<SourceGuid xmlns=\"http://schemas.datacontract.org/2004/07/ThreatModeling.Model.Abstracts\">{BROWSER}</SourceGuid>"),
        "<SourceGuid xmlns=\"http://schemas.datacontract.org/2004/07/ThreatModeling.Model.Abstracts\">12345678-0000-4000-8000-000000000000</SourceGuid>",
        1,
    );
    let e = err(&broken);
    assert!(
        e.location
            .contains("/Lines/KeyValueOfguidanyType[1]/Value/SourceGuid (line 1, column "),
        "{e}"
    );
    assert!(
        e.reason.contains("the flow \"Place order\"")
            && e.reason.contains("unknown element 12345678-"),
        "{e}"
    );

    let e = err(&with_in(API, "Left", "left of centre"));
    assert!(
        e.location
            .contains("/Borders/KeyValueOfguidanyType[3]/Value/Left"),
        "{e}"
    );
    assert!(
        e.reason.contains("\"left of centre\" is not a coordinate"),
        "{e}"
    );

    let e = err(&FIXTURE.replacen(
        "<b:SelectedIndex>2</b:SelectedIndex>",
        "<b:SelectedIndex>9</b:SelectedIndex>",
        1,
    ));
    assert!(
        e.reason
            .contains("\"Authenticates Itself\" selects entry 9 of a list of 3"),
        "{e}"
    );

    // No DTDs, so no entity expansion.
    let e = err(&format!("<!DOCTYPE x [<!ENTITY a \"aaaa\">]>{FIXTURE}"));
    assert!(e.reason.starts_with("not well-formed XML"), "{e}");
}

#[test]
fn an_unattached_end_joins_the_element_drawn_there() {
    // The tool saves an end dropped next to an element as the empty GUID.
    let text = with_in(PLACE_ORDER, "TargetGuid", NIL);
    let m = import(&text);
    let order = flow(&m, "Place order");
    assert_eq!(order.target, element(&m, "Checkout API").id);

    // An end in the open: the flow is text, its threats on the other end.
    let text = with_in(PLACE_ORDER, "TargetGuid", NIL).replacen(
        "<TargetX xmlns=\"http://schemas.datacontract.org/2004/07/ThreatModeling.Model.Abstracts\">350</TargetX>",
        "<TargetX xmlns=\"http://schemas.datacontract.org/2004/07/ThreatModeling.Model.Abstracts\">2000</TargetX>",
        1,
    );
    let m = import(&text);
    assert_eq!(m.diagrams[0].flows.len(), 1);
    assert!(m.description.contains(&format!(
        "flow \"Place order\" ({PLACE_ORDER}) is attached to no element at its target end at (2000, 200)"
    )));
    let spoof = threat(&m, "Spoofing of the shopper's browser");
    assert_eq!(
        spoof.target,
        ThreatTarget::Element(element(&m, "Shopper's browser").id)
    );
    assert!(spoof.notes.contains("attached to no element at one end"));
}

#[test]
fn a_flow_from_an_element_to_itself_is_a_loop() {
    let text = with_in(PLACE_ORDER, "TargetGuid", BROWSER);
    let m = import(&text);
    assert_eq!(m.diagrams[0].flows.len(), 1);
    let browser = element(&m, "Shopper's browser").id;
    assert!(m
        .description
        .contains("(\"Place order\") loop on element: "));
    let spoof = threat(&m, "Spoofing of the shopper's browser");
    assert_eq!(spoof.target, ThreatTarget::Element(browser));
    // Threat Dragon export draws the loop again with its threats.
    let again = threat_dragon::import(&threat_dragon::export(&m), WS).unwrap();
    assert_eq!(again.threats.len(), 4);
}

#[test]
fn an_unnamed_model_is_named_after_its_diagram_and_unnamed_stencils_after_their_type() {
    let text = FIXTURE
        .replace("<ThreatModelName>Web shop checkout</ThreatModelName>", "<ThreatModelName/>")
        .replace(
            "<b:Value i:type=\"c:string\" xmlns:c=\"http://www.w3.org/2001/XMLSchema\">Checkout API</b:Value>",
            "<b:Value i:type=\"c:string\" xmlns:c=\"http://www.w3.org/2001/XMLSchema\"/>",
        );
    let m = import(&text);
    assert_eq!(m.name, "Checkout flow");
    assert!(m.description.contains("named after its diagram"));
    assert_eq!(element(&m, "Web Application").kind, ElementKind::Process);
}

#[test]
fn threats_find_their_diagram_and_a_line_without_flows_says_so() {
    // A second diagram with the same stencils under other GUIDs: each
    // threat names its diagram.
    let start = FIXTURE.find("<DrawingSurfaceModel ").unwrap();
    let end = FIXTURE.find("</DrawingSurfaceList>").unwrap();
    let second = FIXTURE[start..end]
        .replace("z:Id=\"i", "z:Id=\"j")
        .replace("-4000-8000-0000000000", "-4000-9000-0000000000")
        .replace("Checkout flow", "Second")
        .replace("<HandleX xmlns=\"http://schemas.datacontract.org/2004/07/ThreatModeling.Model.Abstracts\">240</HandleX>", "<HandleX xmlns=\"http://schemas.datacontract.org/2004/07/ThreatModeling.Model.Abstracts\">2000</HandleX>");
    let text = format!("{}{second}{}", &FIXTURE[..end], &FIXTURE[end..]);
    let text = text.replacen(
        "<b:DrawingSurfaceGuid>d0000000-0000-4000-8000-000000000001</b:DrawingSurfaceGuid><b:FlowGuid>f0000000-0000-4000-8000-000000000001",
        "<b:DrawingSurfaceGuid>d0000000-0000-4000-9000-000000000001</b:DrawingSurfaceGuid><b:FlowGuid>f0000000-0000-4000-9000-000000000001",
        1,
    );
    let m = import(&text);
    assert_eq!(m.diagrams.len(), 2);
    assert_eq!(m.diagrams[1].name, "Second");
    let spoof = threat(&m, "Spoofing of the shopper's browser");
    let second_order = m.diagrams[1]
        .flows
        .iter()
        .find(|f| f.name == "Place order")
        .unwrap();
    assert_eq!(spoof.target, ThreatTarget::Flow(second_order.id));
    // The second diagram's Internet line bends away from every flow: it is
    // a line boundary that this flow's path does not cross.
    assert!(!second_order.crosses_public_network);
    let second = &m.diagrams[1];
    let line = second
        .boundaries
        .iter()
        .find(|b| b.name == "Internet")
        .unwrap();
    assert!(line.line.len() > 2, "the curve through its handle");
    assert!(!plasma_models::threat::boundaries_crossed(second, second_order).contains(&line.id));
    assert!(m.description.contains("diagram \"Second\": trust boundary line \"Internet\" (Internet Boundary (SE.TB.L.TMCore.Internet)) crosses no flow"));
    assert_ne!(m.diagrams[0].elements[0].id, m.diagrams[1].elements[0].id);
}

#[test]
fn a_stencil_of_an_unknown_kind_is_kept_as_text_with_its_flows() {
    let text = FIXTURE.replacen(
        "i:type=\"StencilRectangle\"><GenericTypeId xmlns=\"http://schemas.datacontract.org/2004/07/ThreatModeling.Model.Abstracts\">GE.EI",
        "i:type=\"StencilHexagon\"><GenericTypeId xmlns=\"http://schemas.datacontract.org/2004/07/ThreatModeling.Model.Abstracts\">GE.X",
        1,
    );
    let m = import(&text);
    assert_eq!(m.diagrams[0].elements.len(), 2);
    assert_eq!(m.diagrams[0].flows.len(), 1);
    assert!(
        m.description.contains("StencilHexagon \"Shopper's browser\" (SE.EI.TMCore.Browser): Authenticates Itself: Yes"),
        "{}",
        m.description
    );
    assert!(m.description.contains("flow \"Place order\""));
    // The flow's threats go on the element at its other end.
    let spoof = threat(&m, "Spoofing of the shopper's browser");
    assert_eq!(
        spoof.target,
        ThreatTarget::Element(element(&m, "Checkout API").id)
    );
}

// ------------------------------------------------------------ robustness

fn check_total(text: &str) {
    match tm7::import(text, WS) {
        Ok(m) => {
            let _ = plasma_exports::threat::report::markdown(&m);
            for i in 0..m.diagrams.len() {
                let _ = plasma_exports::threat::diagram::svg(&m, i);
            }
            let _ = threat_dragon::export(&m);
        }
        Err(e) => assert!(!e.location.is_empty() && !e.reason.is_empty(), "{e:?}"),
    }
}

/// The byte ranges and tag names of the fixture's elements.
fn element_ranges() -> Vec<(usize, usize, String)> {
    let doc = roxmltree::Document::parse(FIXTURE).unwrap();
    doc.descendants()
        .filter(roxmltree::Node::is_element)
        .map(|n| {
            let r = n.range();
            let tag: String = FIXTURE[r.start + 1..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
                .collect();
            (r.start, r.end, tag)
        })
        .collect()
}

const JUNK: [&str; 9] = [
    "",
    "ghost",
    "-1.5e300",
    "NaN",
    "00000000-0000-0000-0000-000000000000",
    "99999999999999999999",
    "<x/>",
    "b0000000-0000-4000-8000-000000000003",
    "f0000000-0000-4000-8000-000000000001",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Byte-level damage: never a panic, always a model or a placed error.
    #[test]
    fn damaged_text_never_panics(at in any::<prop::sample::Index>(), len in 0usize..60, junk in "[<>/=\"a-z0-9 :.-]{0,10}") {
        check_total(&splice(FIXTURE, at, len, &junk));
    }

    /// Structural damage: an element removed, doubled, or its content
    /// replaced by something of another kind.
    #[test]
    fn damaged_structure_never_panics(which in any::<prop::sample::Index>(), kind in 0usize..(JUNK.len() + 2)) {
        let all = element_ranges();
        let (start, end, tag) = &all[which.index(all.len())];
        let (start, end) = (*start, *end);
        let damaged = match kind {
            0 => format!("{}{}", &FIXTURE[..start], &FIXTURE[end..]),
            1 => format!("{}{}{}", &FIXTURE[..end], &FIXTURE[start..end], &FIXTURE[end..]),
            k => format!("{}<{tag}>{}</{tag}>{}", &FIXTURE[..start], JUNK[k - 2], &FIXTURE[end..]),
        };
        check_total(&damaged);
    }
}

/// The 7.x tool leaves the `StateInformation` element nil and writes the
/// justification as a `StateInformation` property (with a trailing CR LF):
/// a mitigated threat's justification is still its done mitigation, not a
/// note, and a not-applicable one's is its justification note.
#[test]
fn a_justification_written_as_a_property_is_read_like_the_element() {
    let property = |text: &str| {
        format!(
            "<a:KeyValueOfstringstring><a:Key>StateInformation</a:Key><a:Value>{text}</a:Value></a:KeyValueOfstringstring></b:Properties>"
        )
    };
    // Threat 2 (mitigated): the element emptied, the property set.
    let text = FIXTURE
        .replacen(
            "<b:StateInformation>HTTPS with HSTS everywhere</b:StateInformation>",
            "<b:StateInformation i:nil=\"true\"/>",
            1,
        )
        .replacen(
            "<a:Value>Medium</a:Value></a:KeyValueOfstringstring></b:Properties>",
            &format!(
                "<a:Value>Medium</a:Value></a:KeyValueOfstringstring>{}",
                property("Certificate pinning in the app.&#xD;\n")
            ),
            1,
        );
    assert_ne!(text, FIXTURE);
    let m = import(&text);
    let tamper = threat(&m, "Order tampered in transit");
    assert_eq!(tamper.status, ThreatStatus::Mitigated);
    assert_eq!(tamper.mitigations.len(), 1);
    assert_eq!(
        tamper.mitigations[0].title,
        "Certificate pinning in the app."
    );
    assert_eq!(tamper.mitigations[0].status, MitigationStatus::Done);
    assert!(
        !tamper.notes.contains("StateInformation"),
        "{}",
        tamper.notes
    );

    // Threat 3 (not applicable): the element kept, a different property too.
    let text = FIXTURE.replacen(
        "<a:Value>Low</a:Value></a:KeyValueOfstringstring></b:Properties>",
        &format!(
            "<a:Value>Low</a:Value></a:KeyValueOfstringstring>{}",
            property("Audited monthly.")
        ),
        1,
    );
    assert_ne!(text, FIXTURE);
    let m = import(&text);
    let deny = threat(&m, "Database denies the write");
    assert_eq!(deny.status, ThreatStatus::NotApplicable);
    assert!(deny
        .notes
        .contains("Threat Modeling Tool justification: The DBA team owns the audit log"));
    assert!(deny
        .notes
        .contains("Threat Modeling Tool StateInformation property: Audited monthly."));
}

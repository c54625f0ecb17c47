//! The STRIDE engine over a small, self-written model: a browser talks to
//! an API gateway across the internet boundary, the gateway calls an LLM
//! agent in a nested AI zone, and the agent searches a vector store that
//! holds personal data.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::collections::HashSet;

use chrono::NaiveDate;
use plasma_models::threat::{
    generate, regenerate, threat_id, Because, Classification, DataAsset, DataTag, Diagram, Element,
    ElementKind, Flow, Mitigation, MitigationStatus, Rating, RuleSet, Severity, Stride, Threat,
    ThreatModel, ThreatStatus, ThreatTarget, TrustBoundary,
};
use uuid::Uuid;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn rules() -> RuleSet {
    RuleSet::bundled().expect("bundled rules load")
}

/// Fixed ids so the fixture, and the threat ids derived from it, are stable.
fn fixture() -> ThreatModel {
    let mut internet = TrustBoundary::new("Internet", None);
    internet.id = id(0x100);
    let mut cloud = TrustBoundary::new("Cloud VPC", None);
    cloud.id = id(0x101);
    let mut ai = TrustBoundary::new("AI zone", Some(cloud.id));
    ai.id = id(0x102);

    let mut question = DataAsset::new("User question", Classification::Internal);
    question.id = id(0x200);
    let mut profiles = DataAsset::new("Customer profiles", Classification::Confidential);
    profiles.id = id(0x201);
    profiles.tags = vec![DataTag::Pii];
    profiles.confidentiality = Rating::High;
    profiles.retention = Some("2 years after account closure".into());
    let mut token = DataAsset::new("Session token", Classification::Confidential);
    token.id = id(0x202);
    token.tags = vec![DataTag::Credentials];

    let mut browser = Element::new(ElementKind::ExternalEntity, "Browser");
    browser.id = id(0x300);
    browser.boundary = Some(internet.id);

    let mut gateway = Element::new(ElementKind::Process, "API gateway");
    gateway.id = id(0x301);
    gateway.boundary = Some(cloud.id);
    gateway.props.api_gateway = true;
    gateway.props.has_access_control = true;
    gateway.props.handles_untrusted_input = true;
    gateway.props.sanitizes_input = true;
    gateway.props.hardened = true;
    gateway.props.tags = vec!["rate-limited".into(), "audited".into()];

    let mut agent = Element::new(ElementKind::Process, "Support agent");
    agent.id = id(0x302);
    agent.boundary = Some(ai.id);
    agent.props.llm_component = true;
    agent.props.handles_untrusted_input = true;
    agent.props.has_access_control = true;
    agent.props.tags = vec!["agent".into(), "rag".into(), "audited".into()];

    let mut store = Element::new(ElementKind::DataStore, "Vector store");
    store.id = id(0x303);
    store.boundary = Some(ai.id);
    store.props.has_access_control = true;
    store.props.hardened = true;
    store.props.tags = vec!["vector-db".into(), "backup".into()];

    let mut chat = Flow::new("Chat request", browser.id, gateway.id);
    chat.id = id(0x400);
    chat.protocol = "https".into();
    chat.port = Some(443);
    chat.authenticated = true;
    // Authorization happens in the services behind the gateway.
    chat.authorized = false;
    chat.encrypted_in_transit = true;
    chat.crosses_public_network = true;
    chat.data = vec![question.id, token.id];

    let mut call = Flow::new("Agent call", gateway.id, agent.id);
    call.id = id(0x401);
    call.protocol = "grpc".into();
    call.authenticated = true;
    call.encrypted_in_transit = true;
    call.data = vec![question.id];

    let mut search = Flow::new("Similarity search", agent.id, store.id);
    search.id = id(0x402);
    search.bidirectional = true;
    search.protocol = "https".into();
    search.authenticated = true;
    search.encrypted_in_transit = true;
    search.data = vec![profiles.id];

    let mut diagram = Diagram::new("Support assistant");
    diagram.id = id(0x500);
    diagram.boundaries = vec![internet, cloud, ai];
    diagram.elements = vec![browser, gateway, agent, store];
    diagram.flows = vec![chat, call, search];

    let mut model = ThreatModel::new(id(0x600), "Support assistant");
    model.id = id(0x601);
    model.diagrams = vec![diagram];
    model.data_assets = vec![question, profiles, token];
    model
}

fn pairs(model: &ThreatModel, threats: &[Threat]) -> String {
    let mut lines: Vec<String> = threats
        .iter()
        .map(|t| {
            format!(
                "{}\t{}",
                t.rule_id.as_deref().unwrap_or("-"),
                model.target_name(&t.target).unwrap_or("?")
            )
        })
        .collect();
    lines.sort();
    lines.join("\n") + "\n"
}

#[test]
fn fixture_is_valid() {
    assert_eq!(fixture().validation_errors(), vec![]);
}

#[test]
fn generated_threats_match_the_golden_list() {
    let model = fixture();
    let threats = generate(&model, &rules());
    let text = pairs(&model, &threats);
    let golden = include_str!("golden/support_assistant_threats.tsv");
    assert_eq!(
        text, golden,
        "update models/tests/golden/support_assistant_threats.tsv if intended:\n{text}"
    );
}

fn find<'a>(threats: &'a [Threat], rule: &str, target: Uuid) -> &'a Threat {
    threats
        .iter()
        .find(|t| t.rule_id.as_deref() == Some(rule) && t.target.id() == target)
        .unwrap_or_else(|| panic!("no {rule} threat on {target}"))
}

fn has(t: &Threat, property: &str, value: &str) -> bool {
    t.rationale.contains(&Because::new(property, value))
}

#[test]
fn threats_explain_why_they_were_raised() {
    let model = fixture();
    let threats = generate(&model, &rules());

    // Direct prompt injection on the agent: the two properties that matched.
    let t = find(&threats, "STRIDE-LLM-001", id(0x302));
    assert_eq!(
        t.rationale,
        vec![
            Because::new("kind", "process"),
            Because::new("llm_component", "true"),
            Because::new("handles_untrusted_input", "true"),
        ]
    );
    assert_eq!(t.title, "Direct prompt injection into Support agent");
    assert_eq!(t.category, Stride::Tampering);
    assert_eq!(t.severity(), Severity::Critical);
    assert!(t.references.iter().any(|r| r.starts_with("OWASP LLM01")));
    assert!(!t.suggested_mitigations.is_empty());
    assert_eq!(t.status, ThreatStatus::Open);
    assert!(!t.obsolete);

    // A `not` records the value that made it true.
    let t = find(&threats, "STRIDE-BASE-011", id(0x303));
    assert!(has(t, "encrypted_at_rest", "false"), "{:?}", t.rationale);
    assert!(
        has(t, "data.classification", "confidential (Customer profiles)"),
        "{:?}",
        t.rationale
    );

    // Boundary crossing is computed: the agent call enters the AI zone.
    let t = find(&threats, "STRIDE-BASE-017", id(0x401));
    assert!(has(t, "boundaries_crossed", "AI zone"), "{:?}", t.rationale);
    assert!(has(t, "authorized", "false"));
    assert!(has(t, "interaction", "API gateway → Support agent"));

    // A bidirectional flow is read from both sides: personal data flows
    // from the vector store back into the model.
    let t = find(&threats, "STRIDE-LLM-004", id(0x402));
    assert!(
        has(t, "direction", "Vector store → Support agent"),
        "{:?}",
        t.rationale
    );
    assert!(has(t, "target.llm_component", "true"));
    assert_eq!(t.title, "Sensitive data sent to model Support agent");

    // Only the branch of an `any` that matched is kept.
    let t = find(&threats, "STRIDE-LLM-002", id(0x302));
    assert_eq!(
        t.rationale,
        vec![
            Because::new("kind", "process"),
            Because::new("llm_component", "true"),
            Because::new("tags", "rag")
        ]
    );
    assert!(!t.rationale.iter().any(|b| b.value == "none"));

    // Mitigated properties silence rules: the gateway is rate-limited.
    assert!(!threats
        .iter()
        .any(|t| t.rule_id.as_deref() == Some("STRIDE-GW-008")));
}

#[test]
fn a_boundary_drawn_as_a_line_drives_the_crossing_rules() {
    use plasma_models::threat::{Point, Rect};
    let mut model = fixture();
    let d = &mut model.diagrams[0];
    // The AI zone as Threat Dragon draws it: a line between the gateway and
    // the agent, which are no longer inside it.
    let ai = d.boundaries.iter_mut().find(|b| b.id == id(0x102)).unwrap();
    ai.name = "AI zone line".into();
    ai.parent = None;
    ai.line = vec![Point { x: 300.0, y: 0.0 }, Point { x: 300.0, y: 600.0 }];
    let at = |x: f64| {
        Some(Rect {
            x,
            y: 100.0,
            width: 100.0,
            height: 60.0,
        })
    };
    for e in &mut d.elements {
        if e.boundary == Some(id(0x102)) {
            e.boundary = Some(id(0x101));
        }
        e.position = match e.id {
            i if i == id(0x301) => at(100.0),
            i if i == id(0x302) => at(400.0),
            i if i == id(0x303) => at(600.0),
            _ => at(-200.0),
        };
    }
    let threats = generate(&model, &rules());
    let t = find(&threats, "STRIDE-BASE-017", id(0x401));
    assert!(
        has(t, "boundaries_crossed", "AI zone line"),
        "{:?}",
        t.rationale
    );
    // The agent and its store are on the same side: that flow crosses nothing.
    assert!(threats
        .iter()
        .filter(|t| t.target == ThreatTarget::Flow(id(0x402)))
        .all(|t| !t
            .rationale
            .iter()
            .any(|b| b.property == "boundaries_crossed")));
}

/// Threat Dragon files often leave flows (and boundaries) unnamed: the
/// threats say what they are instead of leaving a gap in their text.
#[test]
fn unnamed_flows_and_boundaries_are_named_by_what_they_are() {
    let mut model = fixture();
    let d = &mut model.diagrams[0];
    for f in &mut d.flows {
        f.name.clear();
    }
    for b in &mut d.boundaries {
        b.name.clear();
    }
    let threats = generate(&model, &rules());
    let on_flows: Vec<&Threat> = threats
        .iter()
        .filter(|t| matches!(t.target, ThreatTarget::Flow(_)))
        .collect();
    assert!(!on_flows.is_empty());
    for t in &on_flows {
        for text in [&t.title, &t.description] {
            assert!(
                !text.contains("  ") && !text.contains(" ,") && !text.contains("''"),
                "{text}"
            );
        }
        for b in &t.rationale {
            assert!(
                !b.value.trim().is_empty() && !b.value.starts_with(", "),
                "{b:?}"
            );
        }
    }
    let t = find(&threats, "STRIDE-BASE-017", id(0x401));
    assert!(
        t.title.contains("the flow from ") || t.title.contains("the unnamed flow"),
        "{}",
        t.title
    );
    assert!(
        has(t, "boundaries_crossed", "an unnamed boundary"),
        "{:?}",
        t.rationale
    );
}

#[test]
fn threat_ids_are_stable_and_unique() {
    let model = fixture();
    let a = generate(&model, &rules());
    let b = generate(&model, &rules());
    assert_eq!(a, b);
    let ids: HashSet<Uuid> = a.iter().map(|t| t.id).collect();
    assert_eq!(ids.len(), a.len());
    for t in &a {
        assert_eq!(
            t.id,
            threat_id(t.rule_id.as_deref().unwrap(), t.target.id())
        );
    }
    assert_eq!(threat_id("STRIDE-BASE-001", id(1)).get_version_num(), 5);
    // The id scheme is stored in every database: never change it.
    assert_eq!(
        threat_id("STRIDE-BASE-001", id(1)),
        Uuid::new_v5(
            &plasma_models::threat::THREAT_NAMESPACE,
            b"STRIDE-BASE-001/00000000-0000-0000-0000-000000000001"
        )
    );
    assert_ne!(
        threat_id("STRIDE-BASE-001", id(1)),
        threat_id("STRIDE-BASE-001", id(2))
    );
}

fn edit(t: &mut Threat) {
    t.status = ThreatStatus::Accepted {
        justification: "Only staff use the assistant during the pilot".into(),
        expires: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
    };
    t.notes = "Reviewed in the threat-model session".into();
    t.severity_override = Some(Severity::Low);
    t.cvss = Some("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N".into());
    t.mitigations = vec![Mitigation {
        id: id(0x700),
        title: "Spotlight retrieved content".into(),
        status: MitigationStatus::InProgress,
        owner: Some("ai-platform".into()),
    }];
    t.linked_adrs = vec![12, 14];
}

#[test]
fn regeneration_is_idempotent_and_keeps_edits() {
    let model = fixture();
    let rules = rules();
    let first = regenerate(&[], generate(&model, &rules));
    assert_eq!(first, generate(&model, &rules));

    let mut edited = first.clone();
    let target = threat_id("STRIDE-LLM-002", id(0x302));
    let i = edited.iter().position(|t| t.id == target).unwrap();
    edit(&mut edited[i]);
    let manual = Threat::manual(
        "Staff paste customer secrets into chat",
        Stride::InformationDisclosure,
        ThreatTarget::Element(id(0x300)),
        Rating::Medium,
        Rating::High,
    );
    edited.push(manual.clone());

    let again = regenerate(&edited, generate(&model, &rules));
    assert_eq!(
        again, edited,
        "regenerating an unchanged model changed threats"
    );
    let twice = regenerate(&again, generate(&model, &rules));
    assert_eq!(twice, again);
    assert_eq!(again[i].severity(), Severity::Low);
    assert_eq!(again[i].rated_severity(), Severity::Critical);
}

#[test]
fn rule_changes_refresh_text_but_keep_decisions() {
    let model = fixture();
    let mut threats = regenerate(&[], generate(&model, &rules()));
    let target = threat_id("STRIDE-LLM-001", id(0x302));
    let i = threats.iter().position(|t| t.id == target).unwrap();
    edit(&mut threats[i]);
    let decided = threats[i].clone();

    // The workspace rewrites the rule's text and ratings.
    let own = RuleSet::parse(
        "workspace.toml",
        r#"
[[rule]]
id = "STRIDE-LLM-001"
title = "Prompt injection (our wording) in {name}"
category = "tampering"
applies_to = ["process"]
when = { llm_component = true }
likelihood = "medium"
impact = "medium"
"#,
    )
    .unwrap();
    let after = regenerate(&threats, generate(&model, &rules().with(own)));
    let t = after.iter().find(|t| t.id == target).unwrap();
    assert_eq!(t.title, "Prompt injection (our wording) in Support agent");
    assert_eq!(t.likelihood, Rating::Medium);
    assert_eq!(t.status, decided.status);
    assert_eq!(t.notes, decided.notes);
    assert_eq!(t.severity_override, decided.severity_override);
    assert_eq!(t.cvss, decided.cvss);
    assert_eq!(t.mitigations, decided.mitigations);
    assert_eq!(t.linked_adrs, decided.linked_adrs);
}

#[test]
fn threats_that_no_longer_match_become_obsolete_and_come_back() {
    let mut model = fixture();
    let rules = rules();
    let manual = Threat::manual(
        "Insider exports the vector store",
        Stride::InformationDisclosure,
        ThreatTarget::Element(id(0x303)),
        Rating::Low,
        Rating::High,
    );
    let mut threats = regenerate(&[], generate(&model, &rules));
    threats.push(manual.clone());
    let injection = threat_id("STRIDE-LLM-001", id(0x302));
    let i = threats.iter().position(|t| t.id == injection).unwrap();
    edit(&mut threats[i]);
    let before = threats.len();

    // The agent stops taking untrusted input.
    model.diagrams[0].elements[2].props.handles_untrusted_input = false;
    let after = regenerate(&threats, generate(&model, &rules));
    assert_eq!(after.len(), before, "nothing is deleted");
    let t = after.iter().find(|t| t.id == injection).unwrap();
    assert!(t.obsolete);
    assert_eq!(t.notes, "Reviewed in the threat-model session");
    assert_eq!(after.iter().find(|t| t.id == manual.id), Some(&manual));

    // The element is deleted: all its rule threats are obsolete, none removed.
    model.diagrams[0].elements.retain(|e| e.id != id(0x303));
    model.diagrams[0].flows.retain(|f| f.target != id(0x303));
    let gone = regenerate(&after, generate(&model, &rules));
    assert_eq!(gone.len(), before);
    assert!(gone
        .iter()
        .filter(|t| t.target.id() == id(0x303) && t.rule_id.is_some())
        .all(|t| t.obsolete));
    assert!(!gone.iter().find(|t| t.id == manual.id).unwrap().obsolete);

    // Put things back: the threat is live again, with its decisions.
    let back = regenerate(&gone, generate(&fixture(), &rules));
    let t = back.iter().find(|t| t.id == injection).unwrap();
    assert!(!t.obsolete);
    assert!(matches!(t.status, ThreatStatus::Accepted { .. }));
    assert!(back.iter().all(|t| !t.obsolete));
}

#[test]
fn new_threats_are_appended_after_existing_ones() {
    let mut model = fixture();
    let rules = rules();
    let threats = regenerate(&[], generate(&model, &rules));
    // Turn on the admin tag: new threats appear, old order is untouched.
    model.diagrams[0].elements[1]
        .props
        .tags
        .push("admin".into());
    let after = regenerate(&threats, generate(&model, &rules));
    assert!(after.len() > threats.len());
    assert_eq!(&after[..threats.len()], &threats[..]);
    assert!(after[threats.len()..]
        .iter()
        .any(|t| t.rule_id.as_deref() == Some("STRIDE-ID-011")));
}

/// 1,250 copies of a four-element unit: 5,000 elements, 3,750 flows.
#[test]
fn a_five_thousand_element_model_runs_through_generate() {
    let unit = fixture();
    let per_unit = generate(&unit, &rules()).len();
    assert!(per_unit > 0);

    let d = &unit.diagrams[0];
    let mut big = Diagram::new("Fleet");
    let mut n: u128 = 1 << 64;
    let mut fresh = || {
        n += 1;
        Uuid::from_u128(n)
    };
    for _ in 0..1250 {
        let map: std::collections::HashMap<Uuid, Uuid> = d
            .boundaries
            .iter()
            .map(|b| b.id)
            .chain(d.elements.iter().map(|e| e.id))
            .chain(d.flows.iter().map(|f| f.id))
            .map(|old| (old, fresh()))
            .collect();
        for b in &d.boundaries {
            let mut b = b.clone();
            b.id = map[&b.id];
            b.parent = b.parent.map(|p| map[&p]);
            big.boundaries.push(b);
        }
        for e in &d.elements {
            let mut e = e.clone();
            e.id = map[&e.id];
            e.boundary = e.boundary.map(|b| map[&b]);
            big.elements.push(e);
        }
        for f in &d.flows {
            let mut f = f.clone();
            f.id = map[&f.id];
            f.source = map[&f.source];
            f.target = map[&f.target];
            big.flows.push(f);
        }
    }
    let mut model = ThreatModel::new(Uuid::new_v4(), "Fleet");
    model.data_assets = unit.data_assets.clone();
    model.diagrams = vec![big];
    assert_eq!(model.diagrams[0].elements.len(), 5000);
    assert_eq!(model.validation_errors(), vec![]);
    let threats = generate(&model, &rules());
    assert_eq!(threats.len(), per_unit * 1250);
}

/// Tags, protocols and ports the rules mention, so a random model can use them.
fn vocabulary(
    c: &plasma_models::threat::Condition,
    out: &mut (Vec<String>, Vec<String>, Vec<u32>),
) {
    use plasma_models::threat::Condition::*;
    match c {
        All(cs) | Any(cs) => cs.iter().for_each(|c| vocabulary(c, out)),
        Not(c) | Source(c) | Target(c) | Either(c) => vocabulary(c, out),
        Tag(t) => out.0.push(t.clone()),
        Protocol(p) => out.1.extend(p.iter().cloned()),
        Port(p) => out.2.extend(p.iter().copied()),
        _ => {}
    }
}

/// A deterministic pseudo-random model; every bundled rule must fire on it
/// somewhere, or its condition can never be met.
#[test]
fn every_bundled_rule_can_fire() {
    let rules = rules();
    let mut vocab = (vec![], vec![], vec![]);
    for r in rules.rules() {
        vocabulary(&r.when, &mut vocab);
    }
    let (tags, protocols, ports) = vocab;
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };

    let mut model = ThreatModel::new(Uuid::new_v4(), "Random");
    let classes = [
        Classification::Public,
        Classification::Internal,
        Classification::Confidential,
        Classification::Restricted,
    ];
    let all_tags = [
        DataTag::Pii,
        DataTag::Phi,
        DataTag::Pci,
        DataTag::Credentials,
    ];
    for (i, c) in classes.iter().enumerate() {
        for (j, t) in all_tags.iter().enumerate() {
            let mut a = DataAsset::new(format!("asset {i}{j}"), *c);
            a.tags = vec![*t];
            model.data_assets.push(a);
        }
    }
    let mut d = Diagram::new("Random");
    let outer = TrustBoundary::new("outer", None);
    let inner = TrustBoundary::new("inner", Some(outer.id));
    let bounds = [None, Some(outer.id), Some(inner.id)];
    d.boundaries = vec![outer, inner];
    let kinds = [
        ElementKind::ExternalEntity,
        ElementKind::Process,
        ElementKind::DataStore,
    ];
    let privileges = [
        plasma_models::threat::Privilege::Low,
        plasma_models::threat::Privilege::Standard,
        plasma_models::threat::Privilege::High,
        plasma_models::threat::Privilege::Root,
    ];
    for i in 0..1500 {
        let mut e = Element::new(kinds[i % 3], format!("e{i}"));
        e.boundary = bounds[(rnd() % 3) as usize];
        let p = &mut e.props;
        for flag in [
            &mut p.stores_credentials,
            &mut p.is_log,
            &mut p.encrypted_at_rest,
            &mut p.signed,
            &mut p.web_application,
            &mut p.api_gateway,
            &mut p.queue_or_stream,
            &mut p.llm_component,
            &mut p.handles_untrusted_input,
            &mut p.sanitizes_input,
            &mut p.has_access_control,
            &mut p.hardened,
        ] {
            *flag = rnd() % 2 == 0;
        }
        p.privilege = privileges[(rnd() % 4) as usize];
        for _ in 0..(rnd() % 4) {
            p.tags
                .push(tags[(rnd() % tags.len() as u64) as usize].clone());
        }
        d.elements.push(e);
    }
    for i in 0..3000 {
        let a = (rnd() % 1500) as usize;
        let b = (a + 1 + (rnd() % 1499) as usize) % 1500;
        let mut f = Flow::new(format!("f{i}"), d.elements[a].id, d.elements[b].id);
        f.bidirectional = rnd() % 4 == 0;
        f.authenticated = rnd() % 2 == 0;
        f.authorized = rnd() % 2 == 0;
        f.encrypted_in_transit = rnd() % 2 == 0;
        f.crosses_public_network = rnd() % 2 == 0;
        f.protocol = protocols[(rnd() % protocols.len() as u64) as usize].clone();
        f.port = Some(ports[(rnd() % ports.len() as u64) as usize]);
        let asset = (rnd() % (model.data_assets.len() as u64 + 1)) as usize;
        if asset < model.data_assets.len() {
            f.data = vec![model.data_assets[asset].id];
        }
        d.flows.push(f);
    }
    model.diagrams = vec![d];
    assert_eq!(model.validation_errors(), vec![]);

    let fired: HashSet<String> = generate(&model, &rules)
        .into_iter()
        .filter_map(|t| t.rule_id)
        .collect();
    let dead: Vec<&str> = rules
        .rules()
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !fired.contains(*id))
        .collect();
    assert!(dead.is_empty(), "rules that never fired: {dead:?}");
}

/// The stored form leaves out the rule text of rule-made threats and gives
/// back an equal model; everything else is stored in full.
#[test]
fn stored_form_leaves_out_rule_text_and_reads_back_equal() {
    use plasma_models::threat::stored::{StoredThreatModel, StoredThreatModelRef};

    let rules = rules();
    let mut model = fixture();
    model.threats = regenerate(&[], generate(&model, &rules));
    assert!(
        model
            .threats
            .iter()
            .any(|t| t.rationale.iter().any(|b| b.property == "direction")),
        "the fixture has a threat matched from a flow's target side"
    );
    // The cases that must be stored in full: an edited description, a
    // user threat, a threat of a rule the set does not have, and the text
    // of an obsolete threat whose element is gone.
    model.threats[0].description = "Written by the reviewer".into();
    model.threats[1]
        .suggested_mitigations
        .push("Our own".into());
    let mut manual = Threat::manual(
        "Insider exports the vector store",
        Stride::InformationDisclosure,
        ThreatTarget::Element(id(0x303)),
        Rating::Low,
        Rating::High,
    );
    manual.description = "By hand".into();
    manual.references = vec!["CWE-200".into()];
    model.threats.push(manual);
    let mut foreign = model.threats[2].clone();
    foreign.id = id(0x700);
    foreign.rule_id = Some("WORKSPACE-RULE-1".into());
    model.threats.push(foreign);
    model.diagrams[0].elements.retain(|e| e.id != id(0x303));
    model.diagrams[0].flows.retain(|f| f.target != id(0x303));
    model.threats = regenerate(&model.threats, generate(&model, &rules));
    assert!(model.threats.iter().any(|t| t.obsolete));

    let full = serde_json::to_string(&model).unwrap();
    let stored = serde_json::to_string(&StoredThreatModelRef::new(&model, &rules)).unwrap();
    let back: StoredThreatModel = serde_json::from_str(&stored).unwrap();
    assert_eq!(back.into_model(&rules), model);
    assert!(
        stored.len() * 10 < full.len() * 6,
        "{} bytes stored, {} in full",
        stored.len(),
        full.len()
    );

    let value: serde_json::Value = serde_json::from_str(&stored).unwrap();
    let threats = value["threats"].as_array().unwrap();
    let by_id = |i: Uuid| {
        threats
            .iter()
            .find(|t| t["id"] == i.to_string())
            .unwrap()
            .as_object()
            .unwrap()
    };
    for t in &model.threats {
        let s = by_id(t.id);
        let known_rule = t.rule_id.as_deref().and_then(|r| rules.get(r));
        let target_gone = t.target.id() == id(0x303) || t.target.id() == id(0x402);
        let edited = t.description == "Written by the reviewer";
        assert_eq!(
            s.contains_key("title"),
            known_rule.is_none() || target_gone,
            "{}",
            t.title
        );
        // Values at their defaults are left out too.
        assert_eq!(s.contains_key("notes"), !t.notes.is_empty(), "{}", t.title);
        assert_eq!(s.contains_key("obsolete"), t.obsolete, "{}", t.title);
        assert_eq!(
            s.contains_key("description"),
            known_rule.is_none() || edited || target_gone,
            "{} {:?}",
            t.title,
            s.get("description")
        );
        assert_eq!(
            s.contains_key("suggested_mitigations"),
            known_rule.is_none_or(|r| r.mitigations != t.suggested_mitigations),
            "{}",
            t.title
        );
        assert_eq!(
            s.contains_key("references"),
            known_rule.is_none(),
            "{}",
            t.title
        );
    }

    // A document in the full form (as stored before) reads as it is.
    let old: StoredThreatModel = serde_json::from_str(&full).unwrap();
    assert_eq!(old.into_model(&rules), model);
    // With an empty rule set no text can be left out.
    let none = RuleSet::new();
    let plain = serde_json::to_string(&StoredThreatModelRef::new(&model, &none)).unwrap();
    let back: StoredThreatModel = serde_json::from_str(&plain).unwrap();
    assert_eq!(back.into_model(&none), model);
}

#[test]
fn out_of_scope_elements_and_flows_raise_no_threats_and_come_back_in_scope() {
    let rules = rules();
    let full = regenerate(&[], generate(&fixture(), &rules));
    let store = id(0x303);
    let search = id(0x402);
    let on = |threats: &[Threat], target: Uuid| {
        threats
            .iter()
            .filter(|t| t.target.id() == target && !t.obsolete)
            .count()
    };
    assert!(on(&full, store) > 0 && on(&full, search) > 0);

    let mut model = fixture();
    model.diagrams[0].elements[3].out_of_scope = Some("Run by the platform team".into());
    let generated = generate(&model, &rules);
    assert!(generated.iter().all(|t| t.target.id() != store));
    // The flow into the out-of-scope store is still in scope: it carries
    // personal data out of the agent.
    assert!(generated.iter().any(|t| t.target.id() == search));
    let scoped = regenerate(&full, generated);
    assert_eq!(scoped.len(), full.len(), "nothing is deleted");
    assert_eq!(on(&scoped, store), 0, "the store's threats are obsolete");

    model.diagrams[0].flows[2].out_of_scope = Some(String::new());
    assert!(generate(&model, &rules)
        .iter()
        .all(|t| t.target.id() != search && t.target.id() != store));

    // Back in scope: the same threats, with the same ids, are live again.
    let back = regenerate(&scoped, generate(&fixture(), &rules));
    assert_eq!(on(&back, store), on(&full, store));
}

#[test]
fn legacy_out_of_scope_tags_keep_an_element_out_of_the_rules() {
    // Models imported before the field existed kept the flag in free tags.
    let rules = rules();
    let mut model = fixture();
    let store = model.diagrams[0].elements[3].id;
    let tags = &mut model.diagrams[0].elements[3].props.tags;
    tags.push("out-of-scope".into());
    tags.push("out-of-scope-reason: Run by the platform team".into());
    assert_eq!(
        model.diagrams[0].elements[3].out_of_scope_reason(),
        Some("Run by the platform team")
    );
    assert!(generate(&model, &rules)
        .iter()
        .all(|t| t.target.id() != store));
    // A reason tag alone is not the flag.
    let mut model = fixture();
    model.diagrams[0].elements[3]
        .props
        .tags
        .push("out-of-scope-reason: x".into());
    assert_eq!(model.diagrams[0].elements[3].out_of_scope_reason(), None);
    assert!(generate(&model, &rules)
        .iter()
        .any(|t| t.target.id() == store));
}

//! Threagile import on a small hand-written model that exercises the
//! mapping: kinds, containment and nesting, rule properties, protocol
//! encryption, data classification, individual risks with their
//! risk-tracking decisions, the text kept for everything else, errors with
//! their location, and deterministic ids.

use plasma_exports::threat::threagile::{self, link_id, tracking_matches};
use plasma_exports::threat::{detect_format, threat_dragon, ImportError, ThreatFormat};
use plasma_models::threat::{
    generate, Classification, DataTag, Element, ElementKind, Flow, MitigationStatus, Rating,
    RuleSet, Severity, Stride, Threat, ThreatModel, ThreatStatus, ThreatTarget, TrustBoundary,
};
use std::collections::HashSet;

use uuid::Uuid;

const WS: Uuid = Uuid::from_u128(0x7e57_0000_0000_4000_8000_0000_0000_0002);

const SHOP: &str = r#"threagile_version: 1.0.0
title: <b>Pet</b> Shop
date: 2024-05-01
author:
  name: Ada Reviewer
  homepage: example.org
management_summary_comment: >
  The <i>shop</i> sells pets.
business_criticality: critical
business_overview:
  description: Customers buy pets online.
technical_overview:
  description: A web shop, an order queue and a database.
questions:
  Who runs the database?: ""
  Is TLS terminated at the gateway?: Yes, at the gateway.
abuse_cases:
  Pet theft: As a thief I want free pets.
security_requirements:
  Encrypt everything: All data is encrypted.
tags_available:
  - aws
  - kafka
includes:
  - shared-parts.yaml

data_assets:
  Customer Profiles: &profile
    id: profiles
    description: Names and addresses of customers
    usage: business
    tags:
      - pii
    origin: Customer
    owner: Shop Inc
    quantity: many
    confidentiality: confidential
    integrity: critical
    availability: operational
    justification_cia_rating: Personal data.
  Login Secrets:
    <<: *profile
    id: secrets
    description: Password hashes
    tags:
    confidentiality: strictly-confidential
    integrity: mission-critical
    availability: important
  Catalogue:
    id: catalogue
    description: Pets for sale
    usage: business
    quantity: few
    confidentiality: public
    integrity: important
    availability: archive
  Orders:
    id: orders
    description: What was bought
    usage: business
    quantity: many
    confidentiality: restricted
    integrity: critical
    availability: critical
  Metrics:
    id: metrics
    description: Counters
    usage: devops
    quantity: many
    confidentiality: internal
    integrity: operational
    availability: operational

technical_assets:
  Shopper Browser:
    id: browser
    description: The customer's browser
    type: external-entity
    usage: business
    used_as_client_by_human: true
    out_of_scope: true
    justification_out_of_scope: Owned by the customer
    size: component
    technology: browser
    internet: true
    machine: physical
    encryption: none
    owner: Customer
    confidentiality: internal
    integrity: operational
    availability: operational
    justification_cia_rating: Only the customer's own data.
    multi_tenant: false
    redundant: false
    custom_developed_parts: false
    data_assets_processed:
      - profiles
    communication_links:
      Shop Traffic:
        target: gateway
        description: Browsing and buying
        protocol: https
        authentication: session-id
        authorization: end-user-identity-propagation
        vpn: false
        ip_filtered: false
        readonly: false
        usage: business
        data_assets_sent:
          - profiles
        data_assets_received:
          - catalogue
  API Gateway:
    id: gateway
    description: Front door
    type: process
    technology: gateway
    internet: false
    encryption: none
    data_assets_processed:
      - profiles
      - catalogue
    communication_links:
      Web Calls:
        target: shop-app
        protocol: http
        authentication: none
        authorization: none
        data_assets_sent:
          - profiles
  Shop App:
    id: shop-app
    description: The <b>shop</b> application
    type: process
    technology: web-application
    diagram_tweak_order: 1
    tags:
      - aws
    encryption: none
    multi_tenant: true
    data_assets_processed:
      - profiles
      - orders
    data_formats_accepted:
      - json
    communication_links:
      Order Events:
        target: order-queue
        protocol: binary-encrypted
        authentication: token
        authorization: technical-user
        data_assets_sent:
          - orders
      DB Access:
        target: shop-db
        diagram_tweak_weight: 2
        protocol: jdbc
        authentication: credentials
        authorization: technical-user
        vpn: true
        readonly: true
        data_assets_sent:
          - orders
        data_assets_received:
          - profiles
          - secrets
  Order Queue:
    id: order-queue
    description: Kafka topic
    type: datastore
    technology: message-queue
    tags:
      - kafka
    encryption: transparent
  Shop Database:
    id: shop-db
    description: PostgreSQL
    type: datastore
    technology: database
    encryption: data-with-symmetric-shared-key
    data_assets_stored:
      - profiles
      - secrets
      - orders
  Secrets Vault:
    id: vault
    description: Keys
    type: datastore
    technology: vault
    encryption: data-with-asymmetric-shared-key
  Metrics Store:
    id: metrics-store
    description: Dashboards
    type: datastore
    technology: monitoring
    data_assets_stored:
      - metrics

trust_boundaries:
  Cloud:
    id: cloud
    description: The cloud account
    type: network-cloud-provider
    tags:
      - aws
    technical_assets_inside:
      - gateway
      - vault
    trust_boundaries_nested:
      - app-net
  App Network:
    id: app-net
    description: Application subnet
    type: network-cloud-security-group
    technical_assets_inside:
      - shop-app
      - order-queue
      - shop-db
    trust_boundaries_nested:
      - db-ns
  DB Namespace:
    id: db-ns
    description: Only the database
    type: network-policy-namespace-isolation
    technical_assets_inside:
      - shop-db

shared_runtimes:
  Kubernetes:
    id: k8s
    description: The cluster
    tags:
      - aws
    technical_assets_running:
      - shop-app
      - order-queue

individual_risk_categories:
  Pet Smuggling:
    id: pet-smuggling
    description: Pets leave without an order.
    impact: Lost pets.
    asvs: V1 - Architecture
    cheat_sheet: https://cheatsheetseries.owasp.org/
    action: Count the pets
    mitigation: Check every order against the stock.
    check: Are pets counted?
    function: business-side
    stride: tampering
    detection_logic: Stock drops without orders.
    risk_assessment: Likely.
    false_positives: Pets that ran away.
    model_failure_possible_reason: false
    cwe: 840
    risks_identified:
      <b>Pet Smuggling</b> at <b>Shop App</b>:
        severity: elevated
        exploitation_likelihood: very-likely
        exploitation_impact: high
        data_breach_probability: possible
        data_breach_technical_assets:
          - shop-db
        most_relevant_technical_asset: shop-app
      Pet Smuggling over the queue:
        severity: low
        exploitation_likelihood: unlikely
        exploitation_impact: low
        data_breach_probability: improbable
        most_relevant_technical_asset: shop-app
        most_relevant_communication_link: shop-app>order-events
      Pet Smuggling in the cloud:
        severity: medium
        exploitation_likelihood: likely
        exploitation_impact: medium
        data_breach_probability: improbable
        most_relevant_trust_boundary: cloud

risk_tracking:
  pet-smuggling@shop-app:
    status: accepted
    justification: The <b>stock</b> is counted weekly
    ticket: PET-1
    date: 2024-05-02
    checked_by: Ada Reviewer
  pet-smuggling@*@*:
    status: in-progress
    justification: Queue consumer checks orders
    ticket: PET-2
    date: 2024-05-03
    checked_by: Bo
  pet-smuggling@cloud:
    status: false-positive
    justification: Not in the cloud
    checked_by: Bo
  unencrypted-communication@gateway>web-calls@gateway@shop-app:
    status: mitigated
    justification: Service mesh adds mTLS
    ticket: PET-3
    date: 2024-05-04
    checked_by: Cy

diagram_tweak_layout_left_to_right: true
"#;

fn shop() -> ThreatModel {
    threagile::import(SHOP, WS).unwrap_or_else(|e| panic!("{e}"))
}

fn element<'a>(m: &'a ThreatModel, name: &str) -> &'a Element {
    m.diagrams[0]
        .elements
        .iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("no element {name}"))
}

fn flow<'a>(m: &'a ThreatModel, name: &str) -> &'a Flow {
    m.diagrams[0]
        .flows
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no flow {name}"))
}

fn boundary<'a>(m: &'a ThreatModel, name: &str) -> &'a TrustBoundary {
    m.diagrams[0]
        .boundaries
        .iter()
        .find(|b| b.name == name)
        .unwrap_or_else(|| panic!("no boundary {name}"))
}

fn threat<'a>(m: &'a ThreatModel, title: &str) -> &'a Threat {
    m.threats
        .iter()
        .find(|t| t.title == title)
        .unwrap_or_else(|| panic!("no threat {title}"))
}

fn err(text: &str) -> ImportError {
    match threagile::import(text, WS) {
        Ok(_) => panic!("imported, expected an error"),
        Err(e) => e,
    }
}

#[test]
fn model_text_keeps_overviews_questions_and_settings_without_html() {
    let m = shop();
    assert_eq!(m.name, "Pet Shop");
    let d = &m.description;
    for needle in [
        "Business overview: Customers buy pets online.",
        "Technical overview: A web shop, an order queue and a database.",
        "Management summary: The shop sells pets.",
        "Threagile version: 1.0.0",
        "Date: 2024-05-01",
        "Business criticality: critical",
        "Author: Ada Reviewer (example.org)",
        "- Who runs the database?: unanswered",
        "- Is TLS terminated at the gateway?: Yes, at the gateway.",
        "- Pet theft: As a thief I want free pets.",
        "- Encrypt everything: All data is encrypted.",
        "Tags available: aws, kafka",
        "shared-parts.yaml",
        "- Kubernetes (k8s): The cluster; tags aws; runs Shop App, Order Queue",
        "diagram_tweak_layout_left_to_right true",
        // Data assets keep what has no field of their own.
        "- Customer Profiles (id profiles; usage business; quantity many; owner Shop Inc; origin Customer; confidentiality confidential",
        "Rating justification: Personal data.",
        // Trust boundaries keep their type.
        "(Threagile trust boundary db-ns; type network-policy-namespace-isolation)",
        // Links keep authentication, VPN, read-only and direction of data.
        "(Threagile link shop-app>db-access; protocol jdbc; authentication credentials; authorization technical-user; over a VPN; read-only; diagram_tweak_weight 2; sends Orders; receives Customer Profiles, Login Secrets)",
    ] {
        assert!(d.contains(needle), "missing {needle:?} in:\n{d}");
    }
    assert!(!d.contains("<b>") && !d.contains("<i>"), "{d}");
}

#[test]
fn assets_are_elements_with_kinds_flags_and_text() {
    let m = shop();
    assert_eq!(m.diagrams.len(), 1);
    assert_eq!(m.diagrams[0].elements.len(), 7);
    let browser = element(&m, "Shopper Browser");
    assert_eq!(browser.kind, ElementKind::ExternalEntity);
    assert_eq!(
        browser.out_of_scope.as_deref(),
        Some("Owned by the customer")
    );
    assert!(browser.props.tags.contains(&"internet-facing".to_string()));
    assert!(!browser.props.handles_untrusted_input);
    assert!(
        browser.description.contains(
            "\nRating: confidentiality internal, integrity operational, availability operational (Only the customer's own data).\n"
        ),
        "{}",
        browser.description
    );

    let gateway = element(&m, "API Gateway");
    assert_eq!(gateway.kind, ElementKind::Process);
    assert!(gateway.props.api_gateway);
    // Reached from the internet client: untrusted input; its one incoming
    // link is authenticated and authorized.
    assert!(gateway.props.handles_untrusted_input);
    assert!(gateway.props.has_access_control);
    assert!(gateway.position.is_none(), "laid out on import");

    let app = element(&m, "Shop App");
    assert!(app.props.web_application);
    assert!(!app.props.handles_untrusted_input);
    // The gateway calls it without authentication.
    assert!(!app.props.has_access_control);
    assert_eq!(app.description.lines().next(), Some("The shop application"));
    for needle in [
        "Threagile technical asset shop-app; technology web-application; diagram_tweak_order 1.",
        "Multi-tenant: yes",
        "Data processed: Customer Profiles, Orders.",
        "Data formats accepted: json.",
        "Shared runtime: Kubernetes (k8s).",
    ] {
        assert!(
            app.description.contains(needle),
            "{needle:?} in {}",
            app.description
        );
    }
    for tag in ["aws", "multi-tenant", "technology: web-application"] {
        assert!(app.props.tags.contains(&tag.to_string()), "{tag}");
    }

    let queue = element(&m, "Order Queue");
    assert_eq!(queue.kind, ElementKind::DataStore);
    assert!(queue.props.queue_or_stream && queue.props.encrypted_at_rest);
    let db = element(&m, "Shop Database");
    assert!(db.props.encrypted_at_rest);
    // It stores a data asset that holds passwords.
    assert!(db.props.stores_credentials);
    assert!(db
        .description
        .contains("Data stored: Customer Profiles, Login Secrets, Orders."));
    let vault = element(&m, "Secrets Vault");
    assert!(vault.props.stores_credentials);
    assert!(vault.props.tags.contains(&"secrets-manager".to_string()));
    let metrics = element(&m, "Metrics Store");
    assert!(metrics.props.is_log && !metrics.props.encrypted_at_rest);
}

#[test]
fn boundaries_nest_and_contain_the_innermost() {
    let m = shop();
    let cloud = boundary(&m, "Cloud");
    let app_net = boundary(&m, "App Network");
    let db_ns = boundary(&m, "DB Namespace");
    assert_eq!(cloud.parent, None);
    assert_eq!(app_net.parent, Some(cloud.id));
    assert_eq!(db_ns.parent, Some(app_net.id));
    assert_eq!(element(&m, "API Gateway").boundary, Some(cloud.id));
    assert_eq!(element(&m, "Shop App").boundary, Some(app_net.id));
    // Listed by App Network and by DB Namespace, nested in it: the inner.
    assert_eq!(element(&m, "Shop Database").boundary, Some(db_ns.id));
    assert_eq!(element(&m, "Shopper Browser").boundary, None);
    assert!(
        m.validation_errors().is_empty(),
        "{:?}",
        m.validation_errors()
    );
}

#[test]
fn links_are_flows_with_protocol_encryption_and_data() {
    let m = shop();
    assert_eq!(m.diagrams[0].flows.len(), 4);
    let id = |k: &str| m.data_assets.iter().find(|a| a.name == k).unwrap().id;
    let shop_traffic = flow(&m, "Shop Traffic");
    assert_eq!(shop_traffic.source, element(&m, "Shopper Browser").id);
    assert_eq!(shop_traffic.target, element(&m, "API Gateway").id);
    assert_eq!(shop_traffic.protocol, "https");
    assert!(shop_traffic.encrypted_in_transit);
    assert!(
        shop_traffic.crosses_public_network,
        "the browser is on the internet"
    );
    assert!(shop_traffic.authenticated && shop_traffic.authorized);
    assert!(shop_traffic.bidirectional, "it receives the catalogue");
    assert_eq!(
        shop_traffic.data,
        vec![id("Customer Profiles"), id("Catalogue")]
    );

    let web = flow(&m, "Web Calls");
    assert_eq!(web.protocol, "http");
    assert!(!web.encrypted_in_transit && !web.crosses_public_network);
    assert!(!web.authenticated && !web.authorized && !web.bidirectional);

    assert!(
        flow(&m, "Order Events").encrypted_in_transit,
        "binary-encrypted"
    );
    let db = flow(&m, "DB Access");
    assert_eq!(db.protocol, "jdbc");
    assert!(db.encrypted_in_transit, "over a VPN");
    assert_eq!(
        db.data,
        vec![id("Orders"), id("Customer Profiles"), id("Login Secrets")]
    );
}

#[test]
fn data_assets_map_classification_ratings_and_tags() {
    let m = shop();
    let a = |k: &str| m.data_assets.iter().find(|a| a.name == k).unwrap();
    assert_eq!(m.data_assets.len(), 5);
    let profiles = a("Customer Profiles");
    assert_eq!(profiles.classification, Classification::Confidential);
    assert_eq!(
        (
            profiles.confidentiality,
            profiles.integrity,
            profiles.availability
        ),
        (Rating::High, Rating::High, Rating::Low)
    );
    assert_eq!(profiles.tags, vec![DataTag::Pii]);
    // Built on Customer Profiles with a YAML merge key.
    let secrets = a("Login Secrets");
    assert_eq!(secrets.classification, Classification::Restricted);
    assert_eq!(
        (
            secrets.confidentiality,
            secrets.integrity,
            secrets.availability
        ),
        (Rating::High, Rating::High, Rating::Medium)
    );
    assert_eq!(secrets.tags, vec![DataTag::Credentials]);
    assert!(m.description.contains("- Login Secrets (id secrets; usage business; quantity many; owner Shop Inc; origin Customer"));
    assert_eq!(a("Catalogue").classification, Classification::Public);
    assert_eq!(a("Catalogue").confidentiality, Rating::Low);
    assert_eq!(a("Orders").classification, Classification::Confidential);
    assert_eq!(a("Orders").confidentiality, Rating::Medium);
    assert_eq!(a("Metrics").classification, Classification::Internal);
    assert!(a("Metrics").tags.is_empty());
}

#[test]
fn individual_risks_are_threats_with_tracking_decisions() {
    let m = shop();
    // Three individual risks and the tracked built-in unencrypted-communication risk.
    assert_eq!(m.threats.len(), 4);

    let on_app = threat(&m, "Pet Smuggling at Shop App");
    assert_eq!(
        on_app.target,
        ThreatTarget::Element(element(&m, "Shop App").id)
    );
    assert_eq!(on_app.category, Stride::Tampering);
    assert_eq!(
        (on_app.likelihood, on_app.impact),
        (Rating::High, Rating::High)
    );
    assert_eq!(on_app.severity(), Severity::High);
    assert!(on_app.rule_id.is_none());
    assert_eq!(
        on_app.references,
        vec!["CWE-840", "OWASP ASVS V1 - Architecture"]
    );
    assert_eq!(
        on_app.suggested_mitigations,
        vec!["Check every order against the stock."]
    );
    assert!(on_app
        .description
        .starts_with("Pets leave without an order."));
    assert!(on_app
        .description
        .contains("Detection logic: Stock drops without orders."));
    match &on_app.status {
        ThreatStatus::Accepted { justification, .. } => {
            assert!(
                justification.starts_with("The stock is counted weekly"),
                "{justification}"
            );
            assert!(justification.contains("PET-1") && justification.contains("Ada Reviewer"));
        }
        other => panic!("expected accepted, got {other:?}"),
    }
    assert!(on_app
        .notes
        .contains("Threagile risk pet-smuggling@shop-app"));
    assert!(on_app
        .notes
        .contains("Data breach technical assets: Shop Database"));

    // On the link; its id has three parts, so the exact entry for
    // `pet-smuggling@shop-app` does not apply, the wildcard does.
    let on_link = threat(&m, "Pet Smuggling over the queue");
    assert_eq!(
        on_link.target,
        ThreatTarget::Flow(flow(&m, "Order Events").id)
    );
    assert_eq!(
        (on_link.likelihood, on_link.impact),
        (Rating::Low, Rating::Low)
    );
    assert_eq!(on_link.status, ThreatStatus::Open);
    assert_eq!(on_link.mitigations.len(), 1);
    assert_eq!(on_link.mitigations[0].status, MitigationStatus::InProgress);
    assert_eq!(on_link.mitigations[0].title, "Queue consumer checks orders");
    assert_eq!(on_link.mitigations[0].owner.as_deref(), Some("Bo"));
    assert!(on_link
        .notes
        .contains("Threagile risk pet-smuggling@shop-app@shop-app>order-events"));

    // Only a trust boundary: on the first asset inside it.
    let in_cloud = threat(&m, "Pet Smuggling in the cloud");
    assert_eq!(
        in_cloud.target,
        ThreatTarget::Element(element(&m, "API Gateway").id)
    );
    assert_eq!(in_cloud.status, ThreatStatus::NotApplicable);
}

#[test]
fn tracking_of_built_in_rules_is_kept_as_text() {
    let m = shop();
    let line = "- unencrypted-communication@gateway>web-calls@gateway@shop-app: mitigated - Service mesh adds mTLS (ticket PET-3, date 2024-05-04, checked by Cy)";
    assert!(m.description.contains(line), "{}", m.description);
    // Entries that named an imported risk say so.
    assert!(m.description.contains(
        "- pet-smuggling@shop-app: accepted - The stock is counted weekly (ticket PET-1, date 2024-05-02, checked by Ada Reviewer) (applied"
    ));
    // And on the assets the id names.
    for name in ["Shop App", "API Gateway"] {
        assert!(
            element(&m, name)
                .description
                .contains("Threagile risk tracking for unencrypted-communication"),
            "{name}"
        );
    }
    assert!(!element(&m, "Order Queue")
        .description
        .contains("unencrypted-communication"));
}

/// A model whose only risks are Threagile's built-in ones, decided in
/// `risk_tracking` (as Argo CD's maintainers record theirs).
const DECIDED: &str = r#"threagile_version: 1.0.0
title: Decided
technical_assets:
  Web UI:
    id: web-ui
    type: process
    technology: browser
    communication_links:
      Make Requests:
        target: api
        protocol: https
  CLI:
    id: cli
    type: process
    technology: cli
    communication_links:
      Make Requests:
        target: api
        protocol: https
  API:
    id: api
    type: process
    technology: web-service-rest
  Cache:
    id: cache
    type: datastore
    technology: local-file-system
risk_tracking:
  unencrypted-asset@cache:
    status: accepted
    justification: The cache holds no secrets.
    ticket: T-7
    checked_by: Ana
  missing-authentication-second-factor@*>make-requests@*@api:
    status: in-progress
    justification: 2FA requested
  cross-site-scripting@web-ui:
    status: false-positive
  path-traversal@gone-asset:
    status: mitigated
  my-own-rule@api:
    status: mitigated
"#;

#[test]
fn decisions_on_built_in_rules_are_threats_where_they_point() {
    let m = threagile::import(DECIDED, WS).expect("imports");
    let titles: Vec<&str> = m.threats.iter().map(|t| t.title.as_str()).collect();
    assert_eq!(titles.len(), 4, "{titles:?}");

    let cache = threat(&m, "Unencrypted Technical Assets risk at Cache");
    assert_eq!(cache.target, ThreatTarget::Element(element(&m, "Cache").id));
    assert_eq!(cache.category, Stride::InformationDisclosure);
    match &cache.status {
        ThreatStatus::Accepted { justification, .. } => {
            assert!(justification.contains("The cache holds no secrets."));
            assert!(justification.contains("ticket T-7"));
            assert!(justification.contains("checked by Ana"));
        }
        other => panic!("{other:?}"),
    }
    assert!(cache
        .notes
        .contains("Threagile risk unencrypted-asset@cache"));

    // The `*` source matches both links named "Make Requests": one threat each.
    let on_links: Vec<&Threat> = m
        .threats
        .iter()
        .filter(|t| {
            t.title
                .starts_with("Missing Two-Factor Authentication (2FA) risk at")
        })
        .collect();
    assert_eq!(on_links.len(), 2);
    let flows: HashSet<ThreatTarget> = m.diagrams[0]
        .flows
        .iter()
        .map(|f| ThreatTarget::Flow(f.id))
        .collect();
    assert_eq!(
        on_links.iter().map(|t| t.target).collect::<HashSet<_>>(),
        flows
    );
    for t in &on_links {
        assert_eq!(t.category, Stride::ElevationOfPrivilege);
        assert_eq!(t.status, ThreatStatus::Open);
        assert_eq!(t.mitigations[0].title, "2FA requested");
        assert_eq!(t.mitigations[0].status, MitigationStatus::InProgress);
    }

    let xss = threat(&m, "Cross-Site Scripting (XSS) risk at Web UI");
    assert_eq!(xss.status, ThreatStatus::NotApplicable);
    assert_eq!(xss.category, Stride::Tampering);

    // An id naming no imported asset, and a rule that is not Threagile's,
    // stay text only.
    assert!(m
        .description
        .contains("- path-traversal@gone-asset: mitigated\n"));
    assert!(m.description.contains("- my-own-rule@api: mitigated"));
    assert!(m
        .description
        .contains("- unencrypted-asset@cache: accepted - The cache holds no secrets. (ticket T-7, checked by Ana) (imported as a threat"));

    // Same ids on a second import.
    assert_eq!(m, threagile::import(DECIDED, WS).unwrap());
}

/// The built-in rule titles and categories are Threagile's own: its
/// `incomplete-model` rule is titled "Incomplete Model" (Information
/// disclosure).
#[test]
fn decision_on_incomplete_model_uses_threagiles_title() {
    let text = "threagile_version: 1.0.0\ntitle: Partial\ntechnical_assets:\n  Mystery Box:\n    id: box\n    type: process\n    technology: unknown-technology\nrisk_tracking:\n  incomplete-model@box:\n    status: in-discussion\n";
    let m = threagile::import(text, WS).unwrap_or_else(|e| panic!("{e}"));
    let t = threat(&m, "Incomplete Model risk at Mystery Box");
    assert_eq!(
        t.target,
        ThreatTarget::Element(element(&m, "Mystery Box").id)
    );
    assert_eq!(t.category, Stride::InformationDisclosure);
}

#[test]
fn import_is_deterministic_and_survives_threat_dragon_export() {
    let a = shop();
    let b = shop();
    assert_eq!(a, b);
    let other_ws = threagile::import(SHOP, Uuid::from_u128(9)).unwrap();
    assert_ne!(a.id, other_ws.id);
    // Our rules run over the import: the plain-http call inside the cloud
    // is flagged.
    let rules = RuleSet::bundled().expect("bundled rules");
    let generated = generate(&a, &rules);
    let web_calls = flow(&a, "Web Calls").id;
    assert!(generated
        .iter()
        .any(|t| t.target == ThreatTarget::Flow(web_calls)
            && t.category == Stride::InformationDisclosure));
    // None against the out-of-scope browser.
    let browser = element(&a, "Shopper Browser").id;
    assert!(generated.iter().all(|t| t.target.id() != browser));
    let exported = threat_dragon::export(&a);
    let back = threat_dragon::import(&exported, WS).unwrap();
    assert_eq!(back.diagrams[0].elements.len(), 7);
    assert_eq!(back.diagrams[0].flows.len(), 4);
    assert_eq!(back.diagrams[0].boundaries.len(), 3);
    assert_eq!(back.threats.len(), 4);
}

#[test]
fn detection_and_ids_follow_threagile() {
    assert_eq!(
        detect_format("model.yaml", SHOP),
        Some(ThreatFormat::Threagile)
    );
    assert_eq!(
        detect_format("threagile.yml", SHOP),
        Some(ThreatFormat::Threagile)
    );
    assert_eq!(detect_format("x.yaml", "title: no version\n"), None);
    assert_eq!(
        link_id("erp-system", "Database Traffic"),
        "erp-system>database-traffic"
    );
    assert_eq!(
        link_id("a", " Git-Repo Web-UI Access! "),
        "a>git-repo-web-ui-access"
    );
    assert!(tracking_matches(
        "unencrypted-asset@*",
        "unencrypted-asset@shop-db"
    ));
    assert!(tracking_matches(
        "dos-risky-access-across-trust-boundary@*@*@*",
        "dos-risky-access-across-trust-boundary@db@app>db-access@net"
    ));
    assert!(!tracking_matches(
        "unencrypted-asset@*",
        "missing-hardening@shop-db"
    ));
    assert!(!tracking_matches(
        "ldap-injection@*@ldap@*",
        "ldap-injection@a@b@c"
    ));
    assert!(!tracking_matches("a@b", "a@b@c"), "exact ids match exactly");
    assert!(
        tracking_matches("x@*", "x@a@b"),
        "as Threagile, inside the id"
    );
    assert!(!tracking_matches("x@*", "x@"));
    // A hostile pattern is not exponential.
    let pattern = "*a".repeat(40) + "*b";
    let id = "a".repeat(5000);
    assert!(!tracking_matches(&pattern, &id));
}

#[test]
fn errors_say_where() {
    let bad_target = SHOP.replace("target: order-queue", "target: nowhere");
    let e = err(&bad_target);
    assert_eq!(
        e.location,
        "/technical_assets/Shop App/communication_links/Order Events/target"
    );
    assert!(
        e.reason.contains("unknown technical asset \"nowhere\""),
        "{e}"
    );

    let bad_data = SHOP.replace("          - catalogue\n  API", "          - kittens\n  API");
    let e = err(&bad_data);
    assert_eq!(
        e.location,
        "/technical_assets/Shopper Browser/communication_links/Shop Traffic/data_assets_received/0"
    );
    assert!(e.reason.contains("kittens"), "{e}");

    let bad_nest = SHOP.replace("      - db-ns\n", "      - no-such-net\n");
    let e = err(&bad_nest);
    assert_eq!(
        e.location,
        "/trust_boundaries/App Network/trust_boundaries_nested/0"
    );

    let cycle = SHOP.replace(
        "    technical_assets_inside:\n      - shop-db\n",
        "    technical_assets_inside:\n      - shop-db\n    trust_boundaries_nested:\n      - cloud\n",
    );
    assert!(err(&cycle).reason.contains("cycle"));

    let bad_risk = SHOP.replace(
        "most_relevant_communication_link: shop-app>order-events",
        "most_relevant_communication_link: shop-app>nope",
    );
    let e = err(&bad_risk);
    assert!(
        e.location.ends_with("/most_relevant_communication_link"),
        "{e}"
    );

    let bad_type = SHOP.replace(
        "type: datastore\n    technology: vault",
        "type: safe\n    technology: vault",
    );
    assert_eq!(
        err(&bad_type).location,
        "/technical_assets/Secrets Vault/type"
    );

    let twice = SHOP.replace("id: metrics-store", "id: vault");
    assert!(err(&twice).reason.contains("used twice"));

    // A YAML syntax error on line 4.
    let e = err("threagile_version: 1.0.0\ntitle: X\ndata_assets:\n  a: [unclosed\n");
    assert!(e.location.starts_with("line "), "{e}");
    assert!(e.reason.contains("not valid YAML"), "{e}");
    let e = err("threagile_version: 1.0.0\ntitle: X\n\tbad: tab\n");
    assert_eq!(e.location, "line 3", "{e}");

    let e = err("title: X\n");
    assert_eq!(e.location, "/threagile_version");
    let e = err("otmVersion: 0.2.0\nproject: {name: P, id: p}\n");
    assert!(e.reason.contains("--format otm"), "{e}");
    let e = err("threagile_version: 1.0.0\n");
    assert_eq!(e.location, "/title");
    let e = err("threagile_version: 1.0.0\ntitle: X\ntechnical_assets: [1, 2]\n");
    assert_eq!(e.location, "/technical_assets");
    let e = err("- a\n- b\n");
    assert_eq!(e.location, "/");
}

#[test]
fn flows_keep_their_ids_when_links_are_reordered() {
    // "Sync!" and "Sync?" both give Threagile's id `app>sync`; the second
    // in file order gets a suffix, so the ids must not follow that order.
    let model = |first: &str, second: &str| {
        format!(
            "threagile_version: 1.0.0\ntitle: Order\ntechnical_assets:\n  App:\n    id: app\n    type: process\n    communication_links:\n{first}{second}  Db:\n    id: db\n    type: datastore\n"
        )
    };
    let bang = "      Sync!:\n        target: db\n        protocol: https\n";
    let query = "      Sync?:\n        target: db\n        protocol: http\n";
    let ids = |text: &str| {
        let m = threagile::import(text, WS).unwrap();
        let mut ids: Vec<(String, Uuid)> = m.diagrams[0]
            .flows
            .iter()
            .map(|f| (f.name.clone(), f.id))
            .collect();
        ids.sort();
        ids
    };
    let forward = ids(&model(bang, query));
    assert_eq!(forward.len(), 2);
    assert_ne!(forward[0].1, forward[1].1);
    assert_eq!(forward, ids(&model(query, bang)));
}

#[test]
fn a_minimal_model_imports() {
    let m = threagile::import("threagile_version: 1.0.0\ntitle: Empty\n", WS).unwrap();
    assert_eq!(m.name, "Empty");
    assert_eq!(m.diagrams.len(), 1);
    assert!(m.diagrams[0].elements.is_empty());
    assert!(m.threats.is_empty());
}

#[test]
fn a_link_to_itself_and_a_risk_with_nothing_to_attach_are_kept_as_text() {
    let text = r#"threagile_version: 1.0.0
title: Loops
technical_assets:
  Worker:
    id: worker
    type: process
    technologies:
      - batch-processing
      - ai
    communication_links:
      Retry:
        target: worker
        protocol: in-process-library-call
  Other:
    id: other
    type: process
individual_risk_categories:
  Busy Loop:
    id: busy-loop
    stride: denial-of-service
    risks_identified:
      Busy loop in the worker:
        severity: medium
        exploitation_likelihood: likely
        exploitation_impact: medium
        most_relevant_communication_link: worker>retry
      Floating risk:
        severity: low
"#;
    let m = threagile::import(text, WS).unwrap_or_else(|e| panic!("{e}"));
    assert!(m.diagrams[0].flows.is_empty(), "a flow joins two elements");
    assert!(
        m.validation_errors().is_empty(),
        "{:?}",
        m.validation_errors()
    );
    let worker = element(&m, "Worker");
    assert!(worker.props.llm_component);
    assert!(worker.props.tags.contains(&"batch".to_string()));
    assert!(worker.props.tags.contains(&"technology: ai".to_string()));
    assert!(m.description.contains("(\"Retry\")"), "{}", m.description);
    let busy = threat(&m, "Busy loop in the worker");
    assert_eq!(busy.target, ThreatTarget::Element(worker.id));
    assert_eq!(busy.category, Stride::DenialOfService);
    assert_eq!(m.threats.len(), 1);
    assert!(
        m.description
            .contains("- Floating risk (busy-loop; Denial of service): no technical asset or link"),
        "{}",
        m.description
    );
    // Threat Dragon export draws the loop again.
    let back = threat_dragon::import(&threat_dragon::export(&m), WS).unwrap();
    assert_eq!(back.threats.len(), 1);
}

/// Threagile's current input model (`input.Model`, since its 1.0 rework)
/// lists custom risk categories as `custom_risk_categories`, a list whose
/// items carry their `id` and `title` (its own `test/all.yaml`), instead of
/// the `individual_risk_categories` mapping keyed by title.
#[test]
fn custom_risk_categories_list_is_read_like_individual_ones() {
    let text = r#"threagile_version: 1.0.0
title: Kennel
technical_assets:
  Kennel DB:
    id: kennel-db
    type: datastore
  Kennel Files:
    id: kennel-files
    type: datastore
custom_risk_categories:
  - id: leaky-bowl
    title: Leaky <b>Bowl</b>
    description: Water on the floor.
    mitigation: Use a heavier bowl.
    stride: information-disclosure
    cwe: 200
    is_built_in: false
    risks_identified:
      <b>Leaky Bowl</b> at <b>Kennel DB</b>:
        severity: high
        exploitation_likelihood: likely
        exploitation_impact: high
        most_relevant_technical_asset: kennel-db
  - id: chewed-cable
    stride: denial-of-service
    risks_identified:
      Chewed cable at Kennel Files:
        exploitation_likelihood: frequent
        exploitation_impact: low
        most_relevant_technical_asset: kennel-files
risk_tracking:
  leaky-bowl@kennel-db:
    status: mitigated
    justification: New bowl
"#;
    let m = threagile::import(text, WS).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(m.threats.len(), 2);
    let leak = threat(&m, "Leaky Bowl at Kennel DB");
    assert_eq!(
        leak.target,
        ThreatTarget::Element(element(&m, "Kennel DB").id)
    );
    assert_eq!(leak.category, Stride::InformationDisclosure);
    assert_eq!(leak.references, vec!["CWE-200"]);
    assert_eq!(leak.suggested_mitigations, vec!["Use a heavier bowl."]);
    assert_eq!(leak.status, ThreatStatus::Mitigated);
    assert!(leak
        .notes
        .contains("Threagile risk category: Leaky Bowl (leaky-bowl)"));
    // A category without a title is named by its id.
    let cable = threat(&m, "Chewed cable at Kennel Files");
    assert_eq!(cable.category, Stride::DenialOfService);
    assert!(
        cable
            .notes
            .contains("Threagile risk category: chewed-cable (chewed-cable)"),
        "{}",
        cable.notes
    );

    // Errors point into the list.
    let e = err("threagile_version: 1.0.0\ntitle: X\ncustom_risk_categories:\n  - title: No id\n");
    assert_eq!(e.location, "/custom_risk_categories/0/id");
    let e = err("threagile_version: 1.0.0\ntitle: X\ncustom_risk_categories: nope\n");
    assert_eq!(e.location, "/custom_risk_categories");
}

/// Keys outside Threagile's schema are ignored by Threagile, but they are
/// someone's data: Argo CD's model puts `data_assets_sent` on an asset,
/// Threagile's privacy demos put `dataassettype`, `consent` and
/// `thirdpartysharing` on data assets and `deidentified` on the model. They
/// are kept, with their path, in a paragraph of the model description, and a
/// data asset with `dataassettype: pi` is PII.
#[test]
fn keys_outside_the_schema_are_kept_as_text() {
    let text = r#"threagile_version: 1.0.0
title: Clinic
deidentified: false
author:
  name: Dana
  homePage: example.org
contributors:
  - name: Eli
    mail: eli@example.org
business_overview:
  description: Care.
  picture: x.png
data_assets:
  Birth Date:
    id: birth-date
    description: When the patient was born
    dataassettype: pi
    consent: yes-granular
    thirdpartysharing: false
    confidentiality: confidential
  Opening Hours:
    id: hours
    dataassettype: no-pi
technical_assets:
  Front Desk:
    id: desk
    type: process
    data_assets_sent:
      - birth-date
    communication_links:
      Lookup:
        target: records
        protocol: https
        latency: 20ms
  Records:
    id: records
    type: datastore
    is_template: false
trust_boundaries:
  Clinic Network:
    id: net
    technical_assets_inside: [desk]
    zone: blue
shared_runtimes:
  Box:
    id: box
    technical_assets_running: [desk]
    vendor: ACME
individual_risk_categories:
  Gossip:
    id: gossip
    title: Not read here
    stride: information-disclosure
    owner_team: privacy
    risks_identified:
      Gossip at the desk:
        most_relevant_technical_asset: desk
        reviewer: Dana
risk_tracking:
  gossip@desk:
    status: accepted
    reviewed_in: Q3
"#;
    let m = threagile::import(text, WS).unwrap_or_else(|e| panic!("{e}"));
    for line in [
        "Threagile keys this import does not read (kept as they are):",
        "- /deidentified: false",
        "- /author/homePage: example.org",
        "- /contributors/0/mail: eli@example.org",
        "- /business_overview/picture: x.png",
        "- /data_assets/Birth Date/dataassettype: pi",
        "- /data_assets/Birth Date/consent: yes-granular",
        "- /data_assets/Birth Date/thirdpartysharing: false",
        "- /technical_assets/Front Desk/data_assets_sent: birth-date",
        "- /technical_assets/Front Desk/communication_links/Lookup/latency: 20ms",
        "- /technical_assets/Records/is_template: false",
        "- /trust_boundaries/Clinic Network/zone: blue",
        "- /shared_runtimes/Box/vendor: ACME",
        "- /individual_risk_categories/Gossip/owner_team: privacy",
        "- /individual_risk_categories/Gossip/title: Not read here",
        "- /individual_risk_categories/Gossip/risks_identified/Gossip at the desk/reviewer: Dana",
        "- /risk_tracking/gossip@desk/reviewed_in: Q3",
    ] {
        assert!(m.description.contains(line), "{line}\n{}", m.description);
    }
    // Known keys are not listed.
    assert!(!m.description.contains("/technical_assets/Front Desk/type"));
    assert!(!m.description.contains("- /title"));

    let birth = m
        .data_assets
        .iter()
        .find(|d| d.name == "Birth Date")
        .unwrap();
    assert!(birth.tags.contains(&DataTag::Pii), "{:?}", birth.tags);
    let hours = m
        .data_assets
        .iter()
        .find(|d| d.name == "Opening Hours")
        .unwrap();
    assert!(!hours.tags.contains(&DataTag::Pii));

    // The shop model uses only Threagile's keys: no such paragraph.
    assert!(!shop().description.contains("does not read"));
}

/// Threagile's own `test/main.yaml` is only `threagile_version` and
/// `includes` (the title is in `meta.yaml`): the error says the model is
/// split over files this import does not read.
#[test]
fn a_model_split_with_includes_says_so() {
    let e = err("threagile_version: 1.0.0\nincludes:\n  - meta.yaml\n  - technical_assets.yaml\n");
    assert_eq!(e.location, "/title");
    assert!(
        e.reason
            .contains("includes meta.yaml, technical_assets.yaml"),
        "{}",
        e.reason
    );
    assert!(e.reason.contains("one file"), "{}", e.reason);
}

/// Argo CD's model names its credentials tokens ("Argo CD GitHub Push
/// Token", "OIDC Tokens: JWTs holding user information"): they are
/// credentials like passwords and secrets, and an asset storing them stores
/// credentials. "Tokenized" card numbers are not.
#[test]
fn tokens_are_credentials() {
    let text = r#"threagile_version: 1.0.0
title: Tokens
data_assets:
  GitHub Push Token:
    id: push-token
    description: A token granting push access to the repo.
  OIDC Tokens:
    id: oidc-tokens
    description: JWTs holding user information.
  Session JWT:
    id: jwt
  Card Data:
    id: cards
    description: Tokenized card numbers.
technical_assets:
  CI:
    id: ci
    type: process
    data_assets_stored: [push-token]
"#;
    let m = threagile::import(text, WS).unwrap_or_else(|e| panic!("{e}"));
    let tags = |n: &str| {
        m.data_assets
            .iter()
            .find(|d| d.name == n)
            .unwrap()
            .tags
            .clone()
    };
    for n in ["GitHub Push Token", "OIDC Tokens", "Session JWT"] {
        assert!(tags(n).contains(&DataTag::Credentials), "{n}");
    }
    assert!(!tags("Card Data").contains(&DataTag::Credentials));
    assert!(element(&m, "CI").props.stores_credentials);
}

/// Threagile writes the model as it read it (`parsed-model.yaml`, in its
/// own `test/`): it has `threagile_version` and `title`, but technical
/// assets keyed by id with `technologies` as objects, links as lists with
/// `source_id` and `target_id`, values at their default left out, and
/// computed maps (`generated_risks_by_category`, ...). The error says what
/// the file is instead of pointing at the first technology.
#[test]
fn threagiles_parsed_model_output_is_named_as_such() {
    let parsed = r#"threagile_version: 1.0.0
title: Parsed
technical_assets:
    web:
        id: web
        title: Web
        technologies:
            - name: web-server
              attributes:
                web_application: true
        communication_links:
            - id: web>db-traffic
              source_id: web
              target_id: db
              title: DB Traffic
generated_risks_by_category:
    something-strange: []
"#;
    let e = err(parsed);
    assert_eq!(e.location, "/");
    assert!(e.reason.contains("parsed model"), "{}", e.reason);
    assert!(e.reason.contains("threagile.yaml"), "{}", e.reason);

    // The links as a list alone are enough to tell.
    let links_only = r#"threagile_version: 1.0.0
title: Parsed
technical_assets:
    web:
        id: web
        communication_links:
            - id: web>db-traffic
              target_id: db
"#;
    assert!(err(links_only).reason.contains("parsed model"));
}

/// Entities decoded from the file are text, not tags: `&lt;script&gt;` in a
/// description reads `<script>` in the model and is not stripped again.
#[test]
fn decoded_angle_brackets_stay_text() {
    let text = r#"threagile_version: 1.0.0
title: Brackets
technical_assets:
  Web:
    id: web
    type: process
    justification_cia_rating: Holds &lt;b&gt;orders&lt;/b&gt;
    communication_links:
      Store:
        target: db
        protocol: https
        description: Filter &lt;script&gt; tags
  DB:
    id: db
    type: datastore
trust_boundaries:
  Net:
    id: net
    type: network-on-prem
    description: Only &lt;internal&gt; traffic
    technical_assets_inside: [db]
"#;
    let m = threagile::import(text, WS).unwrap();
    let all = format!(
        "{}\n{}",
        m.description,
        m.diagrams[0]
            .elements
            .iter()
            .map(|e| e.description.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    for kept in [
        "Filter <script> tags",
        "Only <internal> traffic",
        "Holds <b>orders</b>",
    ] {
        assert!(all.contains(kept), "missing {kept:?} in\n{all}");
    }
}

#[test]
fn nested_boundaries_with_nothing_inside_keep_their_nesting_through_export() {
    // Threagile's privacy demos chain empty boundaries through
    // trust_boundaries_nested; an element sits in the innermost of another
    // chain, and one boundary is empty and alone.
    let text = r#"threagile_version: 1.0.0
title: Empty Nest
technical_assets:
  Store:
    id: store
    type: datastore
trust_boundaries:
  Outer:
    id: outer
    type: network-cloud-security-group
    trust_boundaries_nested: [middle]
  Middle:
    id: middle
    type: network-cloud-security-group
    trust_boundaries_nested: [inner]
  Inner:
    id: inner
    type: network-cloud-security-group
  Holder:
    id: holder
    type: network-cloud-security-group
    technical_assets_inside:
    trust_boundaries_nested: [with-store]
  With Store:
    id: with-store
    type: network-cloud-security-group
    technical_assets_inside: [store]
  Alone:
    id: alone
    type: network-cloud-security-group
"#;
    let m = threagile::import(text, WS).unwrap();
    let parent_name = |m: &ThreatModel, name: &str| {
        let p = boundary(m, name).parent?;
        let d = &m.diagrams[0];
        d.boundaries
            .iter()
            .find(|b| b.id == p)
            .map(|b| b.name.clone())
    };
    assert_eq!(parent_name(&m, "Inner").as_deref(), Some("Middle"));
    assert_eq!(parent_name(&m, "Middle").as_deref(), Some("Outer"));
    let exported = threat_dragon::export(&m);
    let back = threat_dragon::import(&exported, WS).unwrap();
    assert_eq!(back.diagrams[0].boundaries.len(), 6);
    assert_eq!(parent_name(&back, "Inner").as_deref(), Some("Middle"));
    assert_eq!(parent_name(&back, "Middle").as_deref(), Some("Outer"));
    assert_eq!(parent_name(&back, "Outer"), None);
    assert_eq!(parent_name(&back, "With Store").as_deref(), Some("Holder"));
    let store = element(&back, "Store");
    assert_eq!(store.boundary, Some(boundary(&back, "With Store").id));
    // The lone empty boundary is still a line with no members.
    assert_eq!(boundary(&back, "Alone").parent, None);
    assert!(back.diagrams[0]
        .elements
        .iter()
        .all(|e| e.boundary != Some(boundary(&back, "Alone").id)));
    // Exported boxes nest inside their parents' boxes, and the line is
    // drawn below every box and element.
    let doc: serde_json::Value = serde_json::from_str(&exported).unwrap();
    let cells = doc["detail"]["diagrams"][0]["cells"].as_array().unwrap();
    let by_name = |name: &str| {
        cells
            .iter()
            .find(|c| c["data"]["name"] == name)
            .unwrap_or_else(|| panic!("no cell {name}"))
    };
    let rect = |c: &serde_json::Value| {
        let f = |v: &serde_json::Value| v.as_f64().unwrap();
        (
            f(&c["position"]["x"]),
            f(&c["position"]["y"]),
            f(&c["size"]["width"]),
            f(&c["size"]["height"]),
        )
    };
    let inside = |a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)| {
        a.0 > b.0 && a.1 > b.1 && a.0 + a.2 < b.0 + b.2 && a.1 + a.3 < b.1 + b.3
    };
    let (inner, middle, outer) = (by_name("Inner"), by_name("Middle"), by_name("Outer"));
    assert_eq!(inner["shape"], "trust-boundary-box");
    assert!(inside(rect(inner), rect(middle)));
    assert!(inside(rect(middle), rect(outer)));
    let alone = by_name("Alone");
    assert_eq!(alone["shape"], "trust-boundary-curve");
    let line_y = alone["source"]["y"].as_f64().unwrap();
    let lowest = cells
        .iter()
        .filter(|c| c["size"].is_object())
        .map(|c| {
            let r = rect(c);
            r.1 + r.3
        })
        .fold(f64::MIN, f64::max);
    assert!(
        line_y > lowest,
        "line at {line_y}, content down to {lowest}"
    );
}

/// Course models (a Notes App assignment, twice) key technical assets and
/// links by id and give each a `title`, which Threagile does not read: the
/// title names the element and the flow, the key stays in the description
/// and still makes the link's Threagile id, and the title is not listed as
/// an unread key.
#[test]
fn titles_of_assets_and_links_keyed_by_id_name_them() {
    let text = r#"threagile_version: 1.0.0
title: Notes App
technical_assets:
  cliente-web:
    id: cliente-web
    title: Navegador Web (Usuario Externo)
    type: external-entity
    technology: browser
    internet: true
    communication_links:
      peticiones_usuario:
        target: api
        title: Envío de Peticiones
        protocol: https
        authentication: none
        authorization: none
  Backend API:
    id: api
    title: ""
    type: process
    technology: web-service-rest
"#;
    let m = threagile::import(text, WS).unwrap_or_else(|e| panic!("{e}"));
    let browser = element(&m, "Navegador Web (Usuario Externo)");
    assert!(
        browser
            .description
            .contains("Threagile technical asset cliente-web"),
        "{}",
        browser.description
    );
    element(&m, "Backend API");
    let f = flow(&m, "Envío de Peticiones");
    assert_eq!(f.source, browser.id);
    assert!(
        m.description
            .contains("Threagile link cliente-web>peticiones-usuario"),
        "{}",
        m.description
    );
    assert_titles_read(&m);
}

/// The same course models title their trust boundaries too (a Notes App
/// assignment's "Red Interna de la Notes App" keyed notes-app-network): the
/// title names the boundary, the key stays in its description line, and
/// the title is no unread key.
#[test]
fn titles_of_trust_boundaries_name_them() {
    let text = r#"threagile_version: 1.0.0
title: Notes App
technical_assets:
  backend:
    id: backend
    type: process
    technology: web-service-rest
trust_boundaries:
  notes-app-network:
    id: notes-net
    title: Red Interna de la Notes App
    type: execution-environment
    technical_assets_inside:
      - backend
  Untitled Zone:
    id: zone
    type: network-cloud-provider
"#;
    let m = threagile::import(text, WS).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = m.diagrams[0]
        .boundaries
        .iter()
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(names, ["Red Interna de la Notes App", "Untitled Zone"]);
    assert_eq!(
        element(&m, "backend").boundary,
        Some(m.diagrams[0].boundaries[0].id)
    );
    assert!(
        m.description
            .contains("Threagile trust boundary notes-net; key \"notes-app-network\""),
        "{}",
        m.description
    );
    assert_titles_read(&m);
}

/// Models keyed by id title their data assets and shared runtimes too (a
/// Threagile guide's "Payment API Threat Model": `customer-pii` titled
/// "Customer PII"): the title names them, the key stays in their line, and
/// the title is no unread key.
#[test]
fn titles_of_data_assets_and_shared_runtimes_name_them() {
    let text = r#"threagile_version: "1.0.0"
title: Payment API
technical_assets:
  api-gateway:
    id: api-gateway
    title: API Gateway
    type: process
    technologies:
      - nginx
    data_assets_processed:
      - customer-pii
    data_assets_stored: []
data_assets:
  pii:
    id: customer-pii
    title: Customer Records
    confidentiality: strictly-confidential
  Untitled Logs:
    id: logs
    confidentiality: internal
  payment-data:
    id: payment-data
    title: Payment Card Data
shared_runtimes:
  kubernetes-cluster:
    id: kubernetes-cluster
    title: Kubernetes Cluster
    technical_assets_running:
      - api-gateway
"#;
    let m = threagile::import(text, WS).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<&str> = m.data_assets.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        ["Customer Records", "Untitled Logs", "Payment Card Data"]
    );
    assert_eq!(m.data_assets[0].classification, Classification::Restricted);
    // The title is read for what the data is, as the key is.
    assert_eq!(m.data_assets[2].tags, [DataTag::Pci]);
    assert!(
        m.description
            .contains("- Customer Records (id customer-pii; key \"pii\";"),
        "{}",
        m.description
    );
    assert!(
        m.description
            .contains("- Kubernetes Cluster (kubernetes-cluster); runs API Gateway"),
        "{}",
        m.description
    );
    assert!(
        element(&m, "API Gateway")
            .description
            .contains("Shared runtime: Kubernetes Cluster (kubernetes-cluster)."),
        "{}",
        element(&m, "API Gateway").description
    );
    assert_titles_read(&m);
    let again = threagile::import(text, WS).unwrap_or_else(|e| panic!("{e}"));
    let back = threat_dragon::import(&threat_dragon::export(&m), WS).expect("re-import");
    assert_eq!(back.data_assets, again.data_assets);
}

/// Threagile's risks.json (what its analysis found) is refused as that,
/// found without --format: it was "cannot tell", and "expected a mapping"
/// with --format threagile.
#[test]
fn threagile_risk_list_is_refused_as_such() {
    let text = r#"[
  {
    "category": "sql-nosql-injection",
    "risk_status": "unchecked",
    "severity": "critical",
    "title": "SQL/NoSQL-Injection risk at 'Auth Service'",
    "synthetic_id": "sql-nosql-injection@auth-service",
    "most_relevant_technical_asset": "auth-service"
  }
]"#;
    assert_eq!(
        detect_format("risks.json", text),
        Some(ThreatFormat::Threagile)
    );
    let e = err(text);
    assert_eq!(e.location, "/");
    assert!(
        e.reason.contains("Threagile's risk list (risks.json"),
        "{e}"
    );
    assert!(e.reason.contains("import the threagile.yaml"), "{e}");
    // Any other list stays a list where a model was expected.
    let e = err("[{\"category\": \"x\"}]");
    assert!(e.reason.contains("expected a mapping"), "{e}");
}

fn assert_titles_read(m: &ThreatModel) {
    assert!(
        !m.description.contains("/title"),
        "title is read, not listed as unread: {}",
        m.description
    );
}

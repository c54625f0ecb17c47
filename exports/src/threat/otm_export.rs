//! Open Threat Model (OTM 0.2.0) export, for IriusRisk, startleft and the
//! other tools that read OTM. Threat Dragon JSON stays the lossless format;
//! OTM carries what its schema has room for:
//!
//! - trust boundaries are `trustZones` (nested through `parent.trustZone`);
//!   elements outside every boundary sit in one more zone, `outside` (OTM
//!   requires every component to have a parent). OTM has no trust rating
//!   here, so a zone's `trustRating` grows with its depth (outside 0, top
//!   level 50, each level inside 25 more, at most 100);
//! - elements are `components` whose `type` is the element kind
//!   (`external-entity`, `process`, `data-store`); the flags that the
//!   Threat Modeling Tool names (credentials, logs, encryption, signing,
//!   out of scope) are its attribute names, which OTM tools copy, and the
//!   others are tags (`web-application`, `api-gateway`, `messaging`,
//!   `llm-component`, `untrusted-input`, `sanitizes-input`,
//!   `access-control`, `hardened`, `privilege: high`) after the element's own;
//! - flows are `dataflows`: the protocol is a tag, as startleft writes it
//!   (`protocol: redis` where the OTM import would not know a bare one),
//!   and so are `port: N`, `authenticated`, `authorized` and
//!   `public-network`; encryption in transit is `Provides Confidentiality`;
//! - the OTM import reads all of these back, and a threat's rule (the
//!   `Plasma Plan rule` attribute) gives it back the id its rule gives it;
//! - OTM draws zones as boxes only: a boundary drawn as a line (Threat
//!   Dragon's trust-boundary curve) keeps its points in the zone's
//!   `Plasma Plan line` attribute and a flow its bend points in `Plasma
//!   Plan bend points` (lists of `{x, y}`), so the flows that cross the
//!   line still cross it after import;
//! - data assets are `assets` with 0-100 risk values that read back as the
//!   same classification and ratings; their tags and retention are in the
//!   description;
//! - each current threat is a `threats` definition (title, description, STRIDE
//!   category, CWE references, likelihood and impact as 0-100) with one
//!   instance on its element or flow (state `exposed`, `mitigated`,
//!   `accepted`, `transferred` or `not-applicable`); an accepted risk's
//!   justification and expiry end its description. Each mitigation is a
//!   `mitigations` definition with its instance's state (`implemented`,
//!   `in-progress` or `required`); OTM requires a `riskReduction`, and a
//!   mitigation here is taken to address its threat: 100.
//!
//! Positions are relative to the parent zone, as OTM draws them. Every
//! diagram is one `diagram` representation. Output is deterministic.

use std::collections::HashMap;

use plasma_models::threat::{
    Classification, DataAsset, DataTag, Element, ElementKind, ElementProps, Flow, MitigationStatus,
    Point, Privilege, Rating, Rect, Threat, ThreatModel, ThreatStatus, TrustBoundary,
};
use serde_json::{json, Map, Value};
use uuid::Uuid;

/// The STRIDE rule that found a threat, so that importing the file here
/// and generating again keeps one threat per rule and element.
pub const RULE_ATTRIBUTE: &str = "Plasma Plan rule";

/// The repositories the model covers (a project attribute).
pub const REPOSITORIES_ATTRIBUTE: &str = "Plasma Plan repositories";

/// Says how the zones' trust ratings were set (a project attribute), so
/// that a reader, and the OTM import here, knows they carry nothing more.
pub const TRUST_RATINGS_ATTRIBUTE: &str = "Plasma Plan trust ratings";
const TRUST_RATINGS: &str = "by nesting depth: outside 0, top level 50, 25 more a level in";

/// A line boundary's points (OTM has no lines), so crossings survive.
pub const LINE_ATTRIBUTE: &str = "Plasma Plan line";

/// A flow's bend points, which decide which line boundaries it crosses.
pub const BEND_POINTS_ATTRIBUTE: &str = "Plasma Plan bend points";

/// The zone of the elements outside every trust boundary.
pub const OUTSIDE_ZONE: &str = "outside";

/// The OTM document, as pretty JSON ending in a newline.
pub fn export(model: &ThreatModel) -> String {
    let mut representations = vec![];
    let mut zones = vec![];
    let mut components = vec![];
    let mut dataflows = vec![];
    let mut threat_defs = vec![];
    let mut mitigation_defs = vec![];

    let mut threats_on: HashMap<Uuid, Vec<&Threat>> = HashMap::new();
    // Obsolete threats (their rule or element is gone) are history, not
    // findings for another tool.
    for t in model.threats.iter().filter(|t| !t.obsolete) {
        threats_on.entry(t.target.id()).or_default().push(t);
    }
    let mut instances = |target: Uuid| -> Vec<Value> {
        let list = threats_on.get(&target).map(Vec::as_slice).unwrap_or(&[]);
        list.iter()
            .map(|t| {
                threat_defs.push(threat_definition(t));
                let mitigations: Vec<Value> = t
                    .mitigations
                    .iter()
                    .map(|m| {
                        mitigation_defs.push(json!({
                            "id": m.id.to_string(),
                            "name": m.title,
                            "description": m.owner.as_ref().map(|o| format!("Owner: {o}")),
                            "riskReduction": 100,
                        }));
                        json!({ "mitigation": m.id.to_string(), "state": mitigation_state(m.status) })
                    })
                    .collect();
                json!({ "threat": t.id.to_string(), "state": threat_state(&t.status), "mitigations": mitigations })
            })
            .collect()
    };

    let mut outside_needed = false;
    for d in &model.diagrams {
        let rep = d.id.to_string();
        representations.push(json!({
            "name": d.name,
            "id": rep,
            "type": "diagram",
            "size": diagram_size(d.elements.iter().filter_map(|e| e.position)
                .chain(d.boundaries.iter().filter_map(|b| b.position))),
        }));
        let boxes: HashMap<Uuid, &TrustBoundary> = d.boundaries.iter().map(|b| (b.id, b)).collect();
        for b in &d.boundaries {
            let parent = b.parent.and_then(|p| boxes.get(&p).copied());
            let mut zone = Map::new();
            zone.insert("id".into(), json!(b.id.to_string()));
            zone.insert("name".into(), json!(b.name));
            zone.insert(
                "risk".into(),
                json!({ "trustRating": trust_rating(b, &boxes) }),
            );
            if let Some(p) = parent {
                zone.insert("parent".into(), json!({ "trustZone": p.id.to_string() }));
            }
            if let Some(r) = b.position {
                zone.insert(
                    "representations".into(),
                    json!([shape(&rep, b.id, r, parent.and_then(|p| p.position))]),
                );
            }
            if b.line.len() >= 2 {
                zone.insert(
                    "attributes".into(),
                    json!({ LINE_ATTRIBUTE: points_value(&b.line) }),
                );
            }
            zones.push(Value::Object(zone));
        }
        for e in &d.elements {
            let zone = e.boundary.and_then(|id| boxes.get(&id).copied());
            outside_needed |= zone.is_none();
            let mut c = Map::new();
            c.insert("id".into(), json!(e.id.to_string()));
            c.insert("name".into(), json!(e.name));
            c.insert("type".into(), json!(component_type(e.kind)));
            if !e.description.is_empty() {
                c.insert("description".into(), json!(e.description));
            }
            let zone_id = zone.map_or(OUTSIDE_ZONE.to_string(), |z| z.id.to_string());
            c.insert("parent".into(), json!({ "trustZone": zone_id }));
            if let Some(r) = e.position {
                c.insert(
                    "representations".into(),
                    json!([shape(&rep, e.id, r, zone.and_then(|z| z.position))]),
                );
            }
            let tags = element_tags(e);
            if !tags.is_empty() {
                c.insert("tags".into(), json!(tags));
            }
            let attributes = element_attributes(e);
            if !attributes.is_empty() {
                c.insert("attributes".into(), Value::Object(attributes));
            }
            c.insert("threats".into(), json!(instances(e.id)));
            components.push(Value::Object(c));
        }
        for f in &d.flows {
            dataflows.push(dataflow(f, instances(f.id)));
        }
    }
    if outside_needed {
        zones.insert(
            0,
            json!({
                "id": OUTSIDE_ZONE,
                "name": "Outside every trust boundary",
                "type": OUTSIDE_ZONE,
                "risk": { "trustRating": 0 },
            }),
        );
    }

    let mut project = Map::new();
    project.insert("name".into(), json!(model.name));
    project.insert("id".into(), json!(model.id.to_string()));
    if !model.description.is_empty() {
        project.insert("description".into(), json!(model.description));
    }
    let mut about = Map::new();
    if !model.repositories.is_empty() {
        about.insert(REPOSITORIES_ATTRIBUTE.into(), json!(model.repositories));
    }
    about.insert(TRUST_RATINGS_ATTRIBUTE.into(), json!(TRUST_RATINGS));
    project.insert("attributes".into(), Value::Object(about));
    let doc = json!({
        "otmVersion": "0.2.0",
        "project": project,
        "representations": representations,
        "assets": model.data_assets.iter().map(asset).collect::<Vec<_>>(),
        "trustZones": zones,
        "components": components,
        "dataflows": dataflows,
        "threats": threat_defs,
        "mitigations": mitigation_defs,
    });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

/// A component's `type` for each element kind.
pub(crate) const KIND_TYPES: [&str; 3] = ["external-entity", "process", "data-store"];

fn component_type(kind: ElementKind) -> &'static str {
    match kind {
        ElementKind::ExternalEntity => KIND_TYPES[0],
        ElementKind::Process => KIND_TYPES[1],
        ElementKind::DataStore => KIND_TYPES[2],
    }
}

/// Nesting depth decides the rating: the further in, the more trusted.
fn trust_rating(b: &TrustBoundary, boxes: &HashMap<Uuid, &TrustBoundary>) -> u32 {
    let mut depth = 0u32;
    let mut cur = b.parent;
    while let Some(p) = cur.and_then(|id| boxes.get(&id)) {
        depth += 1;
        if depth > 2 {
            break;
        }
        cur = p.parent;
    }
    (50 + 25 * depth).min(100)
}

fn points_value(points: &[Point]) -> Value {
    json!(points
        .iter()
        .map(|p| json!({ "x": p.x, "y": p.y }))
        .collect::<Vec<_>>())
}

fn shape(rep: &str, id: Uuid, r: Rect, parent: Option<Rect>) -> Value {
    let (px, py) = parent.map_or((0.0, 0.0), |p| (p.x, p.y));
    json!({
        "representation": rep,
        "id": format!("{id}-shape"),
        "position": { "x": r.x - px, "y": r.y - py },
        "size": { "width": r.width, "height": r.height },
    })
}

fn diagram_size(rects: impl Iterator<Item = Rect>) -> Value {
    let (w, h) = rects.fold((0.0f64, 0.0f64), |(w, h), r| {
        (w.max(r.x + r.width), h.max(r.y + r.height))
    });
    json!({ "width": w.ceil(), "height": h.ceil() })
}

/// The element flags written as tags, each with its flag.
fn flag_tags(p: &mut ElementProps) -> [(&mut bool, &'static str); 8] {
    [
        (&mut p.web_application, "web-application"),
        (&mut p.api_gateway, "api-gateway"),
        (&mut p.queue_or_stream, "messaging"),
        (&mut p.llm_component, "llm-component"),
        (&mut p.handles_untrusted_input, "untrusted-input"),
        (&mut p.sanitizes_input, "sanitizes-input"),
        (&mut p.has_access_control, "access-control"),
        (&mut p.hardened, "hardened"),
    ]
}

const PRIVILEGE_TAG: &str = "privilege: ";

fn element_tags(e: &Element) -> Vec<String> {
    let mut p = e.props.clone();
    let mut tags = std::mem::take(&mut p.tags);
    tags.extend(
        flag_tags(&mut p)
            .into_iter()
            .filter(|(on, _)| **on)
            .map(|(_, t)| t.to_string()),
    );
    if p.privilege != Privilege::default() {
        tags.push(format!("{PRIVILEGE_TAG}{}", p.privilege.label()));
    }
    tags
}

/// The import's side of [`element_tags`]: the flag tags set their flags
/// and leave the tag list.
pub(crate) fn read_flag_tags(p: &mut ElementProps) {
    let mut tags = std::mem::take(&mut p.tags);
    for (flag, tag) in flag_tags(p) {
        if tags.iter().any(|t| t == tag) {
            *flag = true;
            tags.retain(|t| t != tag);
        }
    }
    let level = |t: &String| {
        let wanted = t.strip_prefix(PRIVILEGE_TAG)?;
        [
            Privilege::Low,
            Privilege::Standard,
            Privilege::High,
            Privilege::Root,
        ]
        .into_iter()
        .find(|l| l.label() == wanted)
    };
    if let Some((i, level)) = tags
        .iter()
        .enumerate()
        .find_map(|(i, t)| Some((i, level(t)?)))
    {
        p.privilege = level;
        tags.remove(i);
    }
    p.tags = tags;
}

const FLOW_FLAG_TAGS: [&str; 3] = ["authenticated", "authorized", "public-network"];
const PORT_TAG: &str = "port: ";
const PROTOCOL_TAG: &str = "protocol: ";
/// The protocols the OTM import reads from a bare tag.
pub(crate) const KNOWN_PROTOCOLS: [&str; 8] =
    ["https", "tls", "grpc", "http", "sql", "amqp", "mqtt", "ssh"];

/// The import's side of the flow tags: authentication, authorization,
/// a public network and the port.
pub(crate) fn read_flow_tags(f: &mut Flow, tags: &[&str]) {
    for tag in tags {
        read_flow_tag(f, tag);
    }
}

/// Reads one flow tag; false when it says nothing the import reads.
pub(crate) fn read_flow_tag(f: &mut Flow, tag: &str) -> bool {
    match tag {
        "authenticated" => f.authenticated = true,
        "authorized" => f.authorized = true,
        "public-network" => f.crosses_public_network = true,
        t => {
            if let Some(port) = t.strip_prefix(PORT_TAG).and_then(|p| p.parse().ok()) {
                f.port = Some(port);
            } else if let Some(protocol) = t.strip_prefix(PROTOCOL_TAG) {
                f.protocol = protocol.trim().to_string();
            } else {
                return false;
            }
        }
    }
    true
}

/// The flags under the Threat Modeling Tool's attribute names.
fn element_attributes(e: &Element) -> Map<String, Value> {
    let p = &e.props;
    let mut a = Map::new();
    for (on, name) in [
        (p.stores_credentials, "Stores Credentials"),
        (p.is_log, "Stores Log Data"),
        (p.encrypted_at_rest, "Encrypted"),
        (p.signed, "Signed"),
    ] {
        if on {
            a.insert(name.into(), json!("Yes"));
        }
    }
    out_of_scope(&mut a, e.out_of_scope.as_deref());
    a
}

fn out_of_scope(a: &mut Map<String, Value>, reason: Option<&str>) {
    if let Some(reason) = reason {
        a.insert("Out Of Scope".into(), json!("true"));
        if !reason.is_empty() {
            a.insert("Reason For Out Of Scope".into(), json!(reason));
        }
    }
}

fn dataflow(f: &Flow, threats: Vec<Value>) -> Value {
    let mut d = Map::new();
    d.insert("id".into(), json!(f.id.to_string()));
    d.insert("name".into(), json!(f.name));
    d.insert("bidirectional".into(), json!(f.bidirectional));
    d.insert("source".into(), json!(f.source.to_string()));
    d.insert("destination".into(), json!(f.target.to_string()));
    if !f.data.is_empty() {
        let ids: Vec<String> = f.data.iter().map(Uuid::to_string).collect();
        d.insert("assets".into(), json!(ids));
    }
    let mut tags = vec![];
    if !f.protocol.is_empty() {
        // A bare protocol tag, as startleft writes it, where the OTM import
        // knows it; else named, so it is not read as some other tag.
        if KNOWN_PROTOCOLS.contains(&f.protocol.as_str()) {
            tags.push(f.protocol.clone());
        } else {
            tags.push(format!("{PROTOCOL_TAG}{}", f.protocol));
        }
    }
    if let Some(port) = f.port {
        tags.push(format!("{PORT_TAG}{port}"));
    }
    for (on, tag) in [f.authenticated, f.authorized, f.crosses_public_network]
        .into_iter()
        .zip(FLOW_FLAG_TAGS)
    {
        if on {
            tags.push(tag.to_string());
        }
    }
    if !tags.is_empty() {
        d.insert("tags".into(), json!(tags));
    }
    let mut a = Map::new();
    if f.encrypted_in_transit {
        a.insert("Provides Confidentiality".into(), json!("Yes"));
    }
    out_of_scope(&mut a, f.out_of_scope.as_deref());
    if !f.points.is_empty() {
        a.insert(BEND_POINTS_ATTRIBUTE.into(), points_value(&f.points));
    }
    if !a.is_empty() {
        d.insert("attributes".into(), Value::Object(a));
    }
    d.insert("threats".into(), json!(threats));
    Value::Object(d)
}

/// 0-100 values that the OTM import reads back as the same ratings:
/// the middle of the rating's third.
fn percent(r: Rating) -> u32 {
    match r {
        Rating::Low => 17,
        Rating::Medium => 50,
        Rating::High => 84,
    }
}

/// Confidentiality also carries the classification (the OTM import reads
/// one from it): a value inside both the classification's and the rating's
/// ranges where they meet, else the classification's.
fn confidentiality(a: &DataAsset) -> u32 {
    let class = match a.classification {
        Classification::Public => (0, 19),
        Classification::Internal => (20, 49),
        Classification::Confidential => (50, 79),
        Classification::Restricted => (80, 100),
    };
    let rating = match a.confidentiality {
        Rating::Low => (0, 33),
        Rating::Medium => (34, 66),
        Rating::High => (67, 100),
    };
    let (lo, hi) = (class.0.max(rating.0), class.1.min(rating.1));
    if lo <= hi {
        (lo + hi) / 2
    } else {
        (class.0 + class.1) / 2
    }
}

fn asset(a: &DataAsset) -> Value {
    let mut words = vec![format!("Classification: {}.", a.classification.label())];
    if !a.tags.is_empty() {
        let tags: Vec<String> = a.tags.iter().map(|t| t.label().to_string()).collect();
        words.push(format!("Tags: {}.", tags.join(", ")));
    }
    if let Some(r) = a.retention.as_deref().filter(|r| !r.is_empty()) {
        words.push(format!("Retention: {r}."));
    }
    json!({
        "id": a.id.to_string(),
        "name": a.name,
        "description": words.join(" "),
        "risk": {
            "confidentiality": confidentiality(a),
            "integrity": percent(a.integrity),
            "availability": percent(a.availability),
        },
    })
}

/// The tags and retention of an asset description [`asset`] wrote
/// (`Classification: internal. Tags: pii. Retention: 30 days.`); `None` for
/// any other description, whose tags the import guesses from its words.
pub(crate) fn read_asset_description(text: &str) -> Option<(Vec<DataTag>, Option<String>)> {
    let (label, mut rest) = text.strip_prefix("Classification: ")?.split_once('.')?;
    let classifications = [
        Classification::Public,
        Classification::Internal,
        Classification::Confidential,
        Classification::Restricted,
    ];
    if !classifications.iter().any(|c| c.label() == label) {
        return None;
    }
    let mut tags = vec![];
    if let Some(after) = rest.strip_prefix(" Tags: ") {
        let (list, after) = after.split_once('.')?;
        for name in list.split(", ") {
            let tag = [
                DataTag::Pii,
                DataTag::Phi,
                DataTag::Pci,
                DataTag::Credentials,
            ]
            .into_iter()
            .find(|t| t.label() == name)?;
            tags.push(tag);
        }
        rest = after;
    }
    let retention = match rest.strip_prefix(" Retention: ") {
        Some(r) => Some(r.strip_suffix('.')?.to_string()),
        None if rest.is_empty() => None,
        None => return None,
    };
    Some((tags, retention))
}

fn threat_definition(t: &Threat) -> Value {
    let mut description = t.description.clone();
    if let ThreatStatus::Accepted {
        justification,
        expires,
    } = &t.status
    {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&format!("Risk accepted until {expires}: {justification}"));
    }
    let cwes: Vec<&String> = t
        .references
        .iter()
        .filter(|r| r.to_ascii_uppercase().starts_with("CWE-"))
        .collect();
    let mut def = json!({
        "id": t.id.to_string(),
        "name": t.title,
        "description": description,
        "categories": [t.category.label()],
        "cwes": cwes,
        "risk": { "likelihood": percent(t.likelihood), "impact": percent(t.impact) },
    });
    if let Some(rule) = &t.rule_id {
        def["attributes"] = json!({ RULE_ATTRIBUTE: rule });
    }
    def
}

fn threat_state(s: &ThreatStatus) -> &'static str {
    match s {
        ThreatStatus::Open => "exposed",
        ThreatStatus::Mitigated => "mitigated",
        ThreatStatus::Accepted { .. } => "accepted",
        ThreatStatus::Transferred => "transferred",
        ThreatStatus::NotApplicable => "not-applicable",
    }
}

fn mitigation_state(s: MitigationStatus) -> &'static str {
    match s {
        MitigationStatus::Done => "implemented",
        MitigationStatus::InProgress => "in-progress",
        MitigationStatus::Planned => "required",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_read_back_as_the_same_ratings() {
        for r in [Rating::Low, Rating::Medium, Rating::High] {
            assert_eq!(
                crate::threat::text::rating_from_percent(percent(r).into()),
                r
            );
        }
    }
}

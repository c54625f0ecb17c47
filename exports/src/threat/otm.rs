//! Open Threat Model (OTM 0.2, YAML or JSON) import.
//!
//! - `trustZones` are trust boundaries (nested through `parent.trustZone`);
//! - `components` are elements (in the trust zone of `parent.trustZone`, or
//!   of the component named by `parent.component`, which is also kept as a
//!   `parent-component: <name>` tag); the kind comes from the component type
//!   and tags (databases, buckets, queues... are data stores; clients,
//!   users, external services are external entities; the rest processes);
//! - a trust zone inside a component (startleft's Visio output) is inside
//!   that component's trust zone, and the model description names the
//!   component;
//! - a component in a trust zone the file names but does not define (an
//!   IriusRisk predefined zone) is put in a trust zone named by that id;
//! - early startleft spellings are read too: `trustzones`, `parent: <id>`
//!   (a trust zone's or a component's id) and dataflow `from`/`to`;
//! - Devici's layout (trust boundaries and sticky notes drawn as
//!   components, each component its own trust zone, threats named by
//!   `ref`, ratings 1 to 5) is rewritten first: see `otm_devici`;
//! - the project's owner and the descriptions of trust zones and dataflows
//!   are lines of the model description (as Threat Dragon's are), which
//!   Threat Dragon export writes back;
//! - the Threat Modeling Tool's attributes startleft copies set the same
//!   flags as the `.tm7` import: `Out Of Scope` with its reason,
//!   `Encrypted`, `Signed`, `Stores Credentials`, `Stores Log Data`,
//!   `Sanitizes Input`, `Accepts Input From: Any Remote User or Entity`
//!   (untrusted input), `Implements or Uses an Authorization Mechanism`
//!   (access control), `Running As` (privilege), `Implements or Uses an
//!   Authentication Mechanism` (a `provides-authentication` tag); a flow's
//!   `Provides Confidentiality` or `Encrypted` (encrypted in transit) and
//!   `Source Authenticated`, or a source that `Authenticates Itself`
//!   (authenticated). All but the out-of-scope, encryption, signing,
//!   credential and log flags also stay, as written, in the model
//!   description;
//! - a dataflow with an end in an Internet trust zone (`type: internet`,
//!   IriusRisk's predefined Internet zone id as its id or its `type`,
//!   startleft's `Internet Boundary` attribute, or a zone from the Threat
//!   Modeling Tool named "Internet"), or in a zone nested in one, crosses
//!   a public network;
//! - a dataflow from a component to itself is a line of the model
//!   description (a flow here joins two elements; Threat Dragon export
//!   draws it again), its threats on the component;
//! - `dataflows` are flows, `assets` data assets (0-100 risk values as
//!   low/medium/high; the classification from confidentiality); a
//!   dataflow's first tag that names a known protocol is its protocol, and
//!   its tags that no field holds ("user-traffic", a port startleft copies)
//!   stay in the model description;
//! - each threat instance on a component or dataflow is a threat on that
//!   element or flow, with the threat's categories, CWEs, risk and the
//!   instance's mitigations (`implemented` is done; a mitigation's
//!   description and risk reduction go to the threat's notes);
//! - a JSON list of OTM documents (threatcl's OTM export writes one per
//!   threat model) is read when it holds one; a longer one is refused with
//!   the models' names.
//!
//! Ids that are UUIDs (IriusRisk's, and this app's OTM export's) are the
//! ids of what they name, so a file written from a model here updates that
//! model in place; other ids are turned into stable UUIDs. What the OTM
//! export writes (an `outside` zone, flag tags, a threat's rule) reads back
//! as it was: see `otm_export`.
//!
//! Positions are read from the first diagram representation, relative to
//! the parent as OTM draws them; when they do not put every component inside
//! its trust zone they are dropped so the diagram is laid out afresh.

use std::collections::{HashMap, HashSet};

use plasma_models::threat::{
    Classification, DataAsset, DataTag, Diagram, Element, ElementKind, Flow, Mitigation,
    MitigationStatus, Point, Rating, Rect, Threat, ThreatModel, ThreatStatus, ThreatTarget,
    TrustBoundary,
};
use serde_json::Value;
use uuid::Uuid;

use super::json::{looks_like, parse_json, relocate, stable_id, Node};
use super::otm_devici;
use super::otm_export;
use super::text::{category_from_name, no_expiry, rating_from_percent};
use super::threat_dragon::{
    note_boundary_description, note_diagram_text, note_flow_description, note_loop_flow,
    note_owner, onto_loop_element,
};
use super::tm7;
use super::ImportError;

/// Namespace of the ids of imported OTM models.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x6a0f_93c4_1e2b_4f7d_8c51_d2e9_04ab_7c36);

fn parse(text: &str) -> Result<Value, ImportError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return parse_json(trimmed);
    }
    serde_yaml_ng::from_str::<Value>(text).map_err(|e| {
        let line = e.location().map(|l| l.line()).unwrap_or(1);
        ImportError::new(format!("line {line}"), format!("not valid YAML: {e}"))
    })
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The first of `keys` the node has (OTM spellings that changed over time,
/// such as startleft's early `trustzones` and `from`/`to`), else the first.
fn key_of<'k>(node: &Node<'_>, keys: &[&'k str]) -> &'k str {
    keys.iter()
        .copied()
        .find(|k| node.has(k))
        .unwrap_or(keys[0])
}

fn scalar_id(node: &Node<'_>, key: &str) -> Result<String, ImportError> {
    node.object()?;
    node.opt_scalar_text(key)?
        .ok_or_else(|| node.field_err(key, format!("the required key \"{key}\" is missing")))
}

fn element_kind(ty: &str, tags: &[String]) -> ElementKind {
    // Our OTM export's types name the kind exactly; a tag such as
    // `technology: browser` on a process must not turn it into an entity.
    match otm_export::KIND_TYPES
        .iter()
        .position(|k| ty.trim().eq_ignore_ascii_case(k))
    {
        Some(0) => return ElementKind::ExternalEntity,
        Some(1) => return ElementKind::Process,
        Some(2) => return ElementKind::DataStore,
        _ => {}
    }
    let words: Vec<String> = std::iter::once(ty.to_ascii_lowercase())
        .chain(tags.iter().map(|t| t.to_ascii_lowercase()))
        .collect();
    let any = |needles: &[&str]| words.iter().any(|w| needles.iter().any(|n| w.contains(n)));
    let tokens = || {
        words
            .iter()
            .flat_map(|w| w.split(|c: char| !c.is_ascii_alphanumeric()))
    };
    // Short service names count as whole words only ("rds" is not in "cards").
    let token = |names: &[&str]| tokens().any(|t| names.contains(&t));
    // "db" names a database as a word or at a word's edge ("db", "dynamodb",
    // "dbinstance"), never inside one: startleft tags a load balancer
    // `AWS::ElasticLoadBalancingV2::LoadBalancer` ("loa-db-alancer"), and
    // a feedback service or a sandbox is no store either.
    let db_word = tokens().any(|t| t.starts_with("db") || t.ends_with("db"));
    // IriusRisk's component types as startleft writes them (its AWS
    // mapping: `rds`, `redshift`, `CD-MQ`, `CD-SECRETS-MANAGER`, `kms`) name
    // databases, brokers and key stores without a generic word.
    if any(&[
        "database", "store", "storage", "bucket", "s3", "cache", "redis", "queue", "topic",
        "kafka", "sql", "mongo", "postgres", "file", "vault", "disk", "table", "redshift",
        "aurora", "secrets", "broker",
    ]) || db_word
        || token(&["rds", "mq", "kms", "sqs", "sns", "efs", "ebs"])
    {
        ElementKind::DataStore
    } else if any(&[
        "client",
        "user",
        "actor",
        "browser",
        "external",
        "third-party",
        "thirdparty",
        "mobile",
        "human",
        "saas",
        "partner",
    ]) {
        ElementKind::ExternalEntity
    } else {
        ElementKind::Process
    }
}

fn data_tags(text: &str) -> Vec<DataTag> {
    let t = text.to_ascii_lowercase();
    let mut out = vec![];
    if ["personal", "pii", "customer", "email", "address"]
        .iter()
        .any(|n| t.contains(n))
    {
        out.push(DataTag::Pii);
    }
    if ["health", "medical", "phi", "patient"]
        .iter()
        .any(|n| t.contains(n))
    {
        out.push(DataTag::Phi);
    }
    if ["credit card", "card number", "pci", "payment", "cc-data"]
        .iter()
        .any(|n| t.contains(n))
    {
        out.push(DataTag::Pci);
    }
    if [
        "password",
        "credential",
        "secret",
        "token",
        "api key",
        "private key",
    ]
    .iter()
    .any(|n| t.contains(n))
    {
        out.push(DataTag::Credentials);
    }
    out
}

/// The position of a representation in `diagram_rep` (or any diagram
/// representation when the model names none), relative to its parent.
fn rep_rect(node: &Node<'_>, diagram_rep: Option<&str>) -> Result<Option<Rect>, ImportError> {
    for rep in node.array("representations")? {
        if rep.value.is_null() {
            continue;
        }
        rep.object()?;
        let which = rep.opt_scalar_text("representation")?;
        if let (Some(want), Some(which)) = (diagram_rep, which.as_deref()) {
            if want != which {
                continue;
            }
        }
        let Some(pos) = rep.child("position") else {
            continue;
        };
        pos.object()?;
        let (width, height) = match rep.child("size") {
            Some(size) => {
                size.object()?;
                (size.req_f64("width")?, size.req_f64("height")?)
            }
            None => (100.0, 60.0),
        };
        return Ok(Some(Rect {
            x: pos.req_f64("x")?,
            y: pos.req_f64("y")?,
            width: width.abs(),
            height: height.abs(),
        }));
    }
    Ok(None)
}

enum ParentRef {
    None,
    Zone(String, String),
    Component(String, String),
    /// `parent: <id>` as early startleft wrote it: a trust zone's or a
    /// component's id.
    Either(String, String),
}

fn parent_ref(node: &Node<'_>) -> Result<ParentRef, ImportError> {
    let Some(parent) = node.child("parent") else {
        return Ok(ParentRef::None);
    };
    if let Some(id) = scalar_text(parent.value) {
        return Ok(ParentRef::Either(id, parent.location()));
    }
    parent.object()?;
    if let Some(z) = parent.opt_scalar_text("trustZone")? {
        return Ok(ParentRef::Zone(z, parent.key_ptr("trustZone")));
    }
    if let Some(c) = parent.opt_scalar_text("component")? {
        return Ok(ParentRef::Component(c, parent.key_ptr("component")));
    }
    Ok(ParentRef::None)
}

/// The id IriusRisk gives its predefined Internet trust zone (startleft and
/// IriusRisk exports use it without always defining the zone).
const IRIUSRISK_INTERNET_ZONE: &str = "f0ba7722-39b6-4c81-8290-a30a248bb8d9";

/// The elements inside an Internet trust zone (directly or in a zone nested
/// in it): a flow with an end there crosses a public network, as a flow over
/// the Threat Modeling Tool's Internet boundary does.
fn on_internet(diagram: &Diagram, internet_zones: &HashSet<Uuid>) -> HashSet<Uuid> {
    let parent: HashMap<Uuid, Option<Uuid>> = diagram
        .boundaries
        .iter()
        .map(|b| (b.id, b.parent))
        .collect();
    let within_internet = |start: Uuid| {
        let mut seen = HashSet::new();
        let mut at = Some(start);
        while let Some(b) = at {
            if internet_zones.contains(&b) {
                return true;
            }
            if !seen.insert(b) {
                return false;
            }
            at = parent.get(&b).copied().flatten();
        }
        false
    };
    diagram
        .elements
        .iter()
        .filter(|e| e.boundary.is_some_and(within_internet))
        .map(|e| e.id)
        .collect()
}

/// A value of the free-form `attributes` (or MTMT's `properties`) map that
/// startleft copies from Microsoft's Threat Modeling Tool, as text.
fn attribute(node: &Node<'_>, key: &str) -> Option<String> {
    ["attributes", "properties"]
        .iter()
        .find_map(|map| match node.value.get(*map)?.get(key)? {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        })
}

/// An attribute's value, "" when absent or left at the Threat Modeling
/// Tool's "Not Selected".
fn attribute_value(node: &Node<'_>, key: &str) -> String {
    attribute(node, key)
        .filter(|v| !v.eq_ignore_ascii_case("not selected") && !v.eq_ignore_ascii_case("select"))
        .unwrap_or_default()
}

/// Text with its HTML links (`<a href="URL">text</a>`, as the Threat
/// Modeling Tool writes the references in its threats and mitigations, and
/// startleft copies them) as plain text: the URL, after the link text when
/// that differs. Other markup stays: a threat may well quote `<script>`.
fn unlink(text: &str) -> String {
    let link = |tag: &str| -> Option<(String, usize)> {
        let close = tag.find('>')?;
        let attrs = &tag[..close];
        let value = &attrs[attrs.find("href=")? + 5..];
        let quote = value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        let url = &value[1..];
        let url = &url[..url.find(quote)?];
        let body = &tag[close + 1..];
        let end = body.find("</a>")?;
        let label = body[..end].trim();
        let plain = if label.is_empty() || label == url {
            url.to_string()
        } else {
            format!("{label} ({url})")
        };
        Some((plain, close + 1 + end + "</a>".len()))
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("<a ") {
        out.push_str(&rest[..at]);
        match link(&rest[at..]) {
            Some((plain, len)) => {
                out.push_str(&plain);
                rest = &rest[at + len..];
            }
            None => {
                out.push_str("<a ");
                rest = &rest[at + 3..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The points our OTM export keeps in an attribute (a line boundary's
/// line, a flow's bend points): a list of `{x, y}`; none when absent.
fn attribute_points(node: &Node<'_>, key: &str) -> Result<Vec<Point>, ImportError> {
    let Some(attributes) = node.child("attributes") else {
        return Ok(vec![]);
    };
    let Some(value) = attributes.get(key) else {
        return Ok(vec![]);
    };
    let point = |p: &Value| {
        Some(Point {
            x: p.get("x")?.as_f64()?,
            y: p.get("y")?.as_f64()?,
        })
    };
    value
        .as_array()
        .and_then(|items| items.iter().map(point).collect::<Option<Vec<_>>>())
        .ok_or_else(|| {
            attributes.field_err(
                key,
                "expected a list of points, each {\"x\": number, \"y\": number}",
            )
        })
}

fn attribute_yes(node: &Node<'_>, key: &str) -> bool {
    attribute(node, key).is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "yes" | "true"))
}

/// `Out Of Scope: 'true'` (with `Reason For Out Of Scope`) as the Threat
/// Modeling Tool writes it.
fn attribute_out_of_scope(node: &Node<'_>) -> Option<String> {
    attribute_yes(node, "Out Of Scope")
        .then(|| attribute(node, "Reason For Out Of Scope").unwrap_or_default())
}

fn threat_state(state: &str) -> ThreatStatus {
    let s = state.to_ascii_lowercase().replace(['-', '_', ' '], "");
    match s.as_str() {
        "mitigated" | "fixed" | "implemented" | "closed" => ThreatStatus::Mitigated,
        "notapplicable" | "na" => ThreatStatus::NotApplicable,
        "transferred" => ThreatStatus::Transferred,
        "accepted" => ThreatStatus::Accepted {
            justification: "Accepted in the Open Threat Model file; no justification recorded."
                .to_string(),
            expires: no_expiry(),
        },
        _ => ThreatStatus::Open,
    }
}

fn mitigation_state(state: &str) -> MitigationStatus {
    let s = state.to_ascii_lowercase().replace(['-', '_', ' '], "");
    match s.as_str() {
        "implemented" | "done" | "mitigated" => MitigationStatus::Done,
        "inprogress" | "started" => MitigationStatus::InProgress,
        _ => MitigationStatus::Planned,
    }
}

struct Defs<'a> {
    threats: HashMap<String, Node<'a>>,
    mitigations: HashMap<String, Node<'a>>,
}

/// The id of what the file names `key`: the key itself when it is a UUID
/// (IriusRisk's and our own export's are), so a file written from a model
/// here updates that model in place; else one derived from `name` under its
/// kind and the model.
fn key_id(model_id: &Uuid, kind: &str, name: &str, key: &str) -> Uuid {
    Uuid::parse_str(key.trim()).unwrap_or_else(|_| stable_id(model_id, &format!("{kind}/{name}")))
}

fn instance_threats(
    owner: &Node<'_>,
    target: ThreatTarget,
    target_key: &str,
    defs: &Defs<'_>,
    model_id: &Uuid,
    used: &mut HashSet<Uuid>,
) -> Result<Vec<Threat>, ImportError> {
    let mut out = vec![];
    for inst in owner.array("threats")? {
        if inst.value.is_null() {
            continue;
        }
        let def_id = scalar_id(&inst, "threat")?;
        let def = defs.threats.get(&def_id).ok_or_else(|| {
            inst.field_err("threat", format!("names the unknown threat \"{def_id}\""))
        })?;
        let state = inst.opt_scalar_text("state")?.unwrap_or_default();
        // A threat one of our rules found (our OTM export names the rule)
        // takes the id the rule gives it, so generating again keeps it.
        let rule = def
            .value
            .get("attributes")
            .and_then(|a| a.get(otm_export::RULE_ATTRIBUTE))
            .and_then(Value::as_str);
        let mut id = match rule {
            Some(rule) => plasma_models::threat::threat_id(rule, target.id()),
            None => key_id(
                model_id,
                "threat",
                &format!("{def_id}/{target_key}"),
                &def_id,
            ),
        };
        let mut n = 0;
        while !used.insert(id) {
            n += 1;
            id = stable_id(model_id, &format!("threat/{def_id}/{target_key}/{n}"));
        }
        let name = def.req_str("name")?;
        let categories = def.str_array("categories")?;
        let (category, exact) = categories
            .first()
            .map(|c| category_from_name(c))
            .unwrap_or((plasma_models::threat::Stride::Tampering, false));
        let mut notes = vec![];
        if categories.len() > 1 || !exact {
            notes.push(format!("OTM categories: {}", categories.join(", ")));
        }
        let (mut likelihood, mut impact) = (Rating::Medium, Rating::Medium);
        if let Some(risk) = def.child("risk") {
            risk.object()?;
            if let Some(l) = risk.opt_f64("likelihood")? {
                likelihood = rating_from_percent(l);
            }
            if let Some(i) = risk.opt_f64("impact")? {
                impact = rating_from_percent(i);
            }
            for key in ["likelihoodComment", "impactComment"] {
                if let Some(c) = risk.opt_str(key)?.filter(|c| !c.trim().is_empty()) {
                    let label = if key == "likelihoodComment" {
                        "Likelihood"
                    } else {
                        "Impact"
                    };
                    notes.push(format!("{label}: {}", c.trim()));
                }
            }
        }
        let tags = def.str_array("tags")?;
        if !tags.is_empty() {
            notes.push(format!("OTM tags: {}", tags.join(", ")));
        }
        let mut threat = Threat::manual(name, category, target, likelihood, impact);
        threat.id = id;
        threat.description = unlink(def.str_or_empty("description")?);
        threat.status = threat_state(&state);
        threat.references = def
            .str_array("cwes")?
            .into_iter()
            .map(str::to_string)
            .collect();
        threat.notes = notes.join("\n");
        for m in inst.array("mitigations")? {
            if m.value.is_null() {
                continue;
            }
            let mid = scalar_id(&m, "mitigation")?;
            let mdef = defs.mitigations.get(&mid).ok_or_else(|| {
                m.field_err(
                    "mitigation",
                    format!("names the unknown mitigation \"{mid}\""),
                )
            })?;
            let mstate = m.opt_scalar_text("state")?.unwrap_or_default();
            let mname = mdef.req_str("name")?;
            // A mitigation has a title only: its description and risk
            // reduction are kept in the threat's notes.
            let mdesc = unlink(mdef.str_or_empty("description")?.trim());
            let reduction = mdef.opt_f64("riskReduction")?;
            let described = !mdesc.is_empty() && mdesc != mname.trim();
            if described || reduction.is_some() {
                let mut line = format!("Mitigation \"{}\"", mname.trim());
                if let Some(r) = reduction {
                    line.push_str(&format!(" (risk reduction {r})"));
                }
                if described {
                    line.push_str(&format!(": {mdesc}"));
                }
                if !threat.notes.is_empty() {
                    threat.notes.push('\n');
                }
                threat.notes.push_str(&line);
            }
            threat.mitigations.push(Mitigation {
                id: key_id(&id, "mitigation", &mid, &mid),
                title: mname.to_string(),
                status: mitigation_state(&mstate),
                owner: None,
            });
        }
        out.push(threat);
    }
    Ok(out)
}

/// Reads an Open Threat Model file (YAML or JSON).
pub fn import(text: &str, workspace_id: Uuid) -> Result<ThreatModel, ImportError> {
    let value = parse(text)?;
    match &value {
        Value::Array(documents) => import_listed(documents, workspace_id),
        _ => import_document(&value, workspace_id),
    }
}

/// A list of OTM documents, as threatcl's `export -format=otm` writes one
/// per threat model of its HCL file. A file is one model here, so a list of
/// one is that document (errors point into it) and a longer list is refused
/// with the models' names, imported nothing.
fn import_listed(documents: &[Value], workspace_id: Uuid) -> Result<ThreatModel, ImportError> {
    match documents {
        [only] => import_document(only, workspace_id).map_err(|e| {
            let location = match e.location.as_str() {
                "/" => "/0".to_string(),
                place if place.starts_with('/') => format!("/0{place}"),
                place => place.to_string(),
            };
            ImportError::new(location, e.reason)
        }),
        [] => Err(ImportError::new(
            "/",
            "an empty list: there is no Open Threat Model document to import",
        )),
        several => {
            let names: Vec<String> = several
                .iter()
                .map(
                    |d| match d.pointer("/project/name").and_then(Value::as_str) {
                        Some(name) => format!("\"{name}\""),
                        None => "(no project name)".to_string(),
                    },
                )
                .collect();
            Err(ImportError::new(
                "/",
                format!(
                    "this file holds {} Open Threat Model documents ({}), as threatcl's OTM export writes one per threat model; \
                     a file is imported as one model, so save each document in a file of its own (jq '.[0]' file.json > first.otm.json) and import those",
                    several.len(),
                    names.join(", ")
                ),
            ))
        }
    }
}

fn import_document(value: &Value, workspace_id: Uuid) -> Result<ThreatModel, ImportError> {
    let Some(devici) = otm_devici::rewrite(value) else {
        return import_value(value, workspace_id);
    };
    let mut model =
        import_value(&devici.value, workspace_id).map_err(|e| relocate(e, &devici.places))?;
    // Sticky notes are text on the diagram, as Threat Dragon's text blocks.
    if let Some(diagram) = model.diagrams.first().map(|d| d.name.clone()) {
        for text in devici.stickers {
            note_diagram_text(&mut model.description, &diagram, &text);
        }
    }
    Ok(model)
}

fn import_value(value: &Value, workspace_id: Uuid) -> Result<ThreatModel, ImportError> {
    let root = Node::root(value);
    root.object()?;
    if !root.has("otmVersion") {
        if let Some(what) = looks_like(value).filter(|w| !w.contains("Open Threat Model")) {
            return Err(root.err(format!(
                "this is not an Open Threat Model file: it is {what}"
            )));
        }
        return Err(root.field_err("otmVersion", "the required key \"otmVersion\" is missing"));
    }
    let project = root.req_object("project")?;
    let name = project.req_str("name")?;
    if name.trim().is_empty() {
        return Err(project.field_err(
            "name",
            "the model's name is empty; a threat model needs a name (models are matched by name on import)",
        ));
    }
    let project_id = scalar_id(&project, "id")?;
    let model_id = stable_id(&NAMESPACE, &format!("{workspace_id}/{project_id}"));
    let repositories: Vec<String> = project
        .value
        .get("attributes")
        .and_then(|a| a.get(otm_export::REPOSITORIES_ATTRIBUTE))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str().map(str::to_string))
        .collect();
    let mut model = ThreatModel::new(workspace_id, name);
    model.id = model_id;
    model.repositories = repositories;
    model.description = project.str_or_empty("description")?.to_string();
    // The owner and descriptions of zones and flows have no field of their
    // own: lines of the model description, which Threat Dragon export
    // writes back into its owner and onto the boundary or flow.
    if let Some(owner) = project.opt_str("owner")? {
        let mut who = owner.trim().to_string();
        if let Some(contact) = project.opt_str("ownerContact")?.map(str::trim) {
            if !contact.is_empty() {
                who = if who.is_empty() {
                    contact.to_string()
                } else {
                    format!("{who} <{contact}>")
                };
            }
        }
        note_owner(&mut model.description, &who);
    }

    // The diagram: the first representation of type "diagram".
    let mut diagram_rep: Option<String> = None;
    let mut diagram_name = name.to_string();
    for rep in root.array("representations")? {
        if rep.value.is_null() {
            continue;
        }
        rep.object()?;
        if rep.opt_str("type")? == Some("diagram") {
            diagram_rep = rep.opt_scalar_text("id")?;
            if let Some(n) = rep.opt_str("name")? {
                diagram_name = n.to_string();
            }
            break;
        }
    }
    let mut diagram = Diagram::new(diagram_name);
    diagram.id = key_id(
        &model_id,
        "diagram",
        "0",
        diagram_rep.as_deref().unwrap_or(""),
    );

    // Data assets.
    let mut assets: HashMap<String, Uuid> = HashMap::new();
    for a in root.array("assets")? {
        let key = scalar_id(&a, "id")?;
        let aname = a.req_str("name")?;
        let id = key_id(&model_id, "asset", &key, &key);
        if assets.insert(key.clone(), id).is_some() {
            return Err(a.field_err("id", format!("the asset id \"{key}\" is used twice")));
        }
        let mut asset = DataAsset::new(aname, Classification::Internal);
        asset.id = id;
        let description = a.str_or_empty("description")?;
        // What our export wrote reads back exactly; other producers' words
        // are a guess.
        match otm_export::read_asset_description(description) {
            Some((tags, retention)) => {
                asset.tags = tags;
                asset.retention = retention;
            }
            None => asset.tags = data_tags(&format!("{key} {aname} {description}")),
        }
        if let Some(risk) = a.child("risk") {
            risk.object()?;
            let c = risk.opt_f64("confidentiality")?;
            if let Some(c) = c {
                asset.confidentiality = rating_from_percent(c);
                asset.classification = if c >= 80.0 {
                    Classification::Restricted
                } else if c >= 50.0 {
                    Classification::Confidential
                } else if c >= 20.0 {
                    Classification::Internal
                } else {
                    Classification::Public
                };
            }
            if let Some(i) = risk.opt_f64("integrity")? {
                asset.integrity = rating_from_percent(i);
            }
            if let Some(v) = risk.opt_f64("availability")? {
                asset.availability = rating_from_percent(v);
            }
        }
        model.data_assets.push(asset);
    }

    // Trust zones. The zone our OTM export puts the elements outside every
    // trust boundary in (OTM wants every component to have a parent) is no
    // boundary here: its components have none.
    let (outside_zone, zones): (Vec<_>, Vec<_>) = root
        .array(key_of(&root, &["trustZones", "trustzones"]))?
        .into_iter()
        .partition(|z| {
            z.value.get("id").and_then(Value::as_str) == Some(otm_export::OUTSIDE_ZONE)
                && z.value.get("type").and_then(Value::as_str) == Some(otm_export::OUTSIDE_ZONE)
        });
    let mut zone_ids: HashMap<String, usize> = HashMap::new();
    let mut zone_rel: Vec<Option<Rect>> = vec![];
    let mut zone_parent_refs = vec![];
    let mut internet_zones = HashSet::new();
    for z in &zones {
        let key = scalar_id(z, "id")?;
        let zname = z.req_str("name")?;
        let mut b = TrustBoundary::new(zname, None);
        b.id = key_id(&model_id, "trustZone", &key, &key);
        b.line = attribute_points(z, otm_export::LINE_ATTRIBUTE)?;
        if b.line.len() == 1 {
            return Err(z.field_err(
                "attributes",
                "a trust zone's line needs at least two points",
            ));
        }
        // OTM 0.2 startleft gives a zone IriusRisk's zone id as its `type`;
        // the Threat Modeling Tool's Internet boundary arrives as a zone
        // named just "Internet" under another id, with the tool's
        // `properties`.
        let is_internet = key == IRIUSRISK_INTERNET_ZONE
            || z.opt_scalar_text("type")?.is_some_and(|t| {
                t.trim().eq_ignore_ascii_case("internet") || t.trim() == IRIUSRISK_INTERNET_ZONE
            })
            || (zname.trim().eq_ignore_ascii_case("internet") && z.has("properties"))
            || z.get("attributes")
                .is_some_and(|a| a.get("Internet Boundary").is_some());
        if is_internet {
            internet_zones.insert(b.id);
        }
        if zone_ids
            .insert(key.clone(), diagram.boundaries.len())
            .is_some()
        {
            return Err(z.field_err("id", format!("the trust zone id \"{key}\" is used twice")));
        }
        zone_rel.push(rep_rect(z, diagram_rep.as_deref())?);
        zone_parent_refs.push(parent_ref(z)?);
        note_boundary_description(
            &mut model.description,
            b.id,
            zname,
            z.str_or_empty("description")?,
        );
        diagram.boundaries.push(b);
    }
    let mut zone_parent: Vec<Option<usize>> = vec![None; zones.len()];
    let mut zone_in_component: Vec<(usize, String, String)> = vec![];
    for (i, r) in zone_parent_refs.iter().enumerate() {
        match r {
            // A trust zone drawn inside a component (startleft's Visio
            // import writes these): resolved once components are read.
            ParentRef::Component(key, ptr) => {
                zone_in_component.push((i, key.clone(), ptr.clone()));
            }
            ParentRef::Either(key, ptr) if !zone_ids.contains_key(key) => {
                zone_in_component.push((i, key.clone(), ptr.clone()));
            }
            ParentRef::Zone(key, ptr) | ParentRef::Either(key, ptr) => {
                let p = *zone_ids.get(key).ok_or_else(|| {
                    ImportError::new(
                        ptr.clone(),
                        format!("names the unknown trust zone \"{key}\""),
                    )
                })?;
                if p == i {
                    return Err(ImportError::new(
                        ptr.clone(),
                        "a trust zone cannot contain itself",
                    ));
                }
                zone_parent[i] = Some(p);
                diagram.boundaries[i].parent = Some(diagram.boundaries[p].id);
            }
            ParentRef::None => {}
        }
    }

    for (start, zone) in zones.iter().enumerate() {
        let mut seen = HashSet::new();
        let mut cur = Some(start);
        while let Some(z) = cur {
            if !seen.insert(z) {
                return Err(zone.field_err("parent", "trust zones contain each other in a cycle"));
            }
            cur = zone_parent[z];
        }
    }

    // Components.
    let components = root.array("components")?;
    let mut comp_ids: HashMap<String, usize> = HashMap::new();
    let mut comp_rel: Vec<Option<Rect>> = vec![];
    let mut comp_parent_refs = vec![];
    let mut authenticates_itself = HashSet::new();
    for c in &components {
        let key = scalar_id(c, "id")?;
        let cname = c.req_str("name")?;
        let ty = c.opt_scalar_text("type")?.unwrap_or_default();
        let tags: Vec<String> = c
            .str_array("tags")?
            .into_iter()
            .map(str::to_string)
            .collect();
        let mut e = Element::new(element_kind(&ty, &tags), cname);
        e.id = key_id(&model_id, "component", &key, &key);
        e.description = c.str_or_empty("description")?.to_string();
        e.out_of_scope = attribute_out_of_scope(c);
        e.props.tags = tags;
        tm7::element_attributes(
            &mut e.props,
            |key| attribute_yes(c, key),
            |key| attribute_value(c, key),
        );
        // After the attributes, which set every flag they name.
        otm_export::read_flag_tags(&mut e.props);
        if attribute_yes(c, "Authenticates Itself") {
            authenticates_itself.insert(e.id);
        }
        // Our own export's types say no more than the kind does.
        if !ty.is_empty() && !otm_export::KIND_TYPES.contains(&ty.as_str()) {
            e.props.tags.insert(0, format!("otm-type: {ty}"));
        }
        if comp_ids
            .insert(key.clone(), diagram.elements.len())
            .is_some()
        {
            return Err(c.field_err("id", format!("the component id \"{key}\" is used twice")));
        }
        comp_rel.push(rep_rect(c, diagram_rep.as_deref())?);
        comp_parent_refs.push(match parent_ref(c)? {
            ParentRef::Zone(key, _)
                if !outside_zone.is_empty() && key == otm_export::OUTSIDE_ZONE =>
            {
                ParentRef::None
            }
            parent => parent,
        });
        diagram.elements.push(e);
    }
    // A component inside a trust zone the file names but never defines
    // (IriusRisk's predefined zones; Threat Dragon's own OTM fixture) is kept
    // inside a zone of that name rather than refusing the whole file.
    for r in &comp_parent_refs {
        if let ParentRef::Zone(key, _) = r {
            if !zone_ids.contains_key(key) {
                let mut b = TrustBoundary::new(key.clone(), None);
                b.id = stable_id(&model_id, &format!("trustZone/{key}"));
                if key == IRIUSRISK_INTERNET_ZONE {
                    internet_zones.insert(b.id);
                }
                zone_ids.insert(key.clone(), diagram.boundaries.len());
                zone_rel.push(None);
                zone_parent.push(None);
                diagram.boundaries.push(b);
            }
        }
    }

    // Parent of each component: Ok(zone) or Err(component).
    let mut comp_parent: Vec<Option<Result<usize, usize>>> = vec![None; components.len()];
    for (i, r) in comp_parent_refs.iter().enumerate() {
        comp_parent[i] = match r {
            ParentRef::None => None,
            ParentRef::Zone(key, ptr) => Some(Ok(*zone_ids.get(key).ok_or_else(|| {
                ImportError::new(
                    ptr.clone(),
                    format!("names the unknown trust zone \"{key}\""),
                )
            })?)),
            ParentRef::Component(key, ptr) => {
                let p = *comp_ids.get(key).ok_or_else(|| {
                    ImportError::new(
                        ptr.clone(),
                        format!("names the unknown component \"{key}\""),
                    )
                })?;
                Some(Err(p))
            }
            ParentRef::Either(key, ptr) => match (zone_ids.get(key), comp_ids.get(key)) {
                (Some(z), _) => Some(Ok(*z)),
                (None, Some(c)) => Some(Err(*c)),
                (None, None) => {
                    return Err(ImportError::new(
                        ptr.clone(),
                        format!("names \"{key}\", which is neither a trust zone nor a component"),
                    ))
                }
            },
        };
    }
    // Resolve boundaries through component parents (cycle-safe).
    for i in 0..components.len() {
        let mut cur = i;
        let mut seen = HashSet::new();
        let zone = loop {
            if !seen.insert(cur) {
                break None;
            }
            match comp_parent[cur] {
                None => break None,
                Some(Ok(z)) => break Some(z),
                Some(Err(c)) => cur = c,
            }
        };
        diagram.elements[i].boundary = zone.map(|z| diagram.boundaries[z].id);
        if let Some(Err(c)) = comp_parent[i] {
            let pname = diagram.elements[c].name.clone();
            diagram.elements[i]
                .props
                .tags
                .push(format!("parent-component: {pname}"));
        }
    }

    // Trust zones inside a component sit in that component's trust zone;
    // the model description says which component they are drawn in.
    for (zi, key, ptr) in zone_in_component {
        let c = *comp_ids.get(&key).ok_or_else(|| {
            ImportError::new(
                ptr.clone(),
                format!("names \"{key}\", which is neither a trust zone nor a component"),
            )
        })?;
        let outer = diagram.elements[c]
            .boundary
            .and_then(|id| diagram.boundaries.iter().position(|b| b.id == id));
        let mut cur = outer;
        let mut steps = 0;
        while let Some(z) = cur {
            if z == zi || steps > diagram.boundaries.len() {
                return Err(ImportError::new(
                    ptr,
                    format!(
                        "the trust zone is inside component \"{key}\", which is itself inside this trust zone"
                    ),
                ));
            }
            cur = zone_parent.get(z).copied().flatten();
            steps += 1;
        }
        zone_parent[zi] = outer;
        diagram.boundaries[zi].parent = outer.map(|z| diagram.boundaries[z].id);
        let line = format!(
            "Trust zone \"{}\" is drawn inside component \"{}\".",
            diagram.boundaries[zi].name, diagram.elements[c].name
        );
        if !model.description.lines().any(|l| l == line) {
            if !model.description.is_empty() {
                model.description.push_str("\n\n");
            }
            model.description.push_str(&line);
        }
    }

    // Positions: relative to the parent, made absolute; dropped unless
    // consistent with containment.
    let zone_abs = absolute(&zone_rel, |i| zone_parent[i].map(Ok));
    let comp_abs_all = {
        let mut out: Vec<Option<Rect>> = vec![None; components.len()];
        for i in 0..components.len() {
            let mut rect = comp_rel[i];
            let mut cur = comp_parent[i];
            let mut seen = HashSet::new();
            while let (Some(r), Some(p)) = (rect.as_mut(), cur) {
                match p {
                    Ok(z) => {
                        match zone_abs[z] {
                            Some(zr) => {
                                r.x += zr.x;
                                r.y += zr.y;
                            }
                            None => rect = None,
                        }
                        break;
                    }
                    Err(c) => {
                        if !seen.insert(c) {
                            break;
                        }
                        match comp_rel[c] {
                            Some(cr) => {
                                r.x += cr.x;
                                r.y += cr.y;
                            }
                            None => {
                                rect = None;
                                break;
                            }
                        }
                        cur = comp_parent[c];
                    }
                }
            }
            out[i] = rect;
        }
        out
    };
    let consistent = comp_abs_all.iter().enumerate().all(|(i, r)| {
        let (Some(r), Some(b)) = (r, diagram.elements[i].boundary) else {
            return r.is_some() || diagram.elements[i].boundary.is_none();
        };
        let zi = diagram.boundaries.iter().position(|x| x.id == b);
        match zi.and_then(|z| zone_abs[z]) {
            Some(zr) => {
                let (cx, cy) = (r.x + r.width / 2.0, r.y + r.height / 2.0);
                cx >= zr.x && cx <= zr.x + zr.width && cy >= zr.y && cy <= zr.y + zr.height
            }
            None => false,
        }
    }) && zone_abs.iter().zip(&diagram.boundaries).all(|(r, z)| {
        // An empty zone may go without a shape (a boundary drawn as a line
        // elsewhere); one that holds something needs one.
        r.is_some()
            || !(diagram.elements.iter().any(|e| e.boundary == Some(z.id))
                || diagram.boundaries.iter().any(|c| c.parent == Some(z.id)))
    });
    if consistent {
        for (e, r) in diagram.elements.iter_mut().zip(&comp_abs_all) {
            e.position = *r;
        }
        for (b, r) in diagram.boundaries.iter_mut().zip(&zone_abs) {
            b.position = *r;
        }
    }

    // Threat and mitigation definitions.
    let mut defs = Defs {
        threats: HashMap::new(),
        mitigations: HashMap::new(),
    };
    for t in root.array("threats")? {
        let key = scalar_id(&t, "id")?;
        t.req_str("name")?;
        defs.threats.insert(key, t);
    }
    for m in root.array("mitigations")? {
        let key = scalar_id(&m, "id")?;
        m.req_str("name")?;
        defs.mitigations.insert(key, m);
    }

    let mut used = HashSet::new();
    for (c, e) in components.iter().zip(&diagram.elements) {
        let key = scalar_id(c, "id")?;
        let threats = instance_threats(
            c,
            ThreatTarget::Element(e.id),
            &key,
            &defs,
            &model_id,
            &mut used,
        )?;
        model.threats.extend(threats);
    }

    // Dataflows.
    let on_internet = on_internet(&diagram, &internet_zones);
    let mut flow_keys = HashSet::new();
    for f in root.array("dataflows")? {
        let key = scalar_id(&f, "id")?;
        if !flow_keys.insert(key.clone()) {
            return Err(f.field_err("id", format!("the dataflow id \"{key}\" is used twice")));
        }
        let fname = f.req_str("name")?;
        let mut ends = [Uuid::nil(), Uuid::nil()];
        let mut end_names = [String::new(), String::new()];
        let source_keys = ["source", "from"];
        let destination_keys = ["destination", "to"];
        for ((slot, end_name), keys) in ends
            .iter_mut()
            .zip(end_names.iter_mut())
            .zip([&source_keys, &destination_keys])
        {
            let end = key_of(&f, keys);
            let k = scalar_id(&f, end)?;
            let i = comp_ids.get(&k).ok_or_else(|| {
                f.field_err(
                    end,
                    format!("the dataflow's {end} names the unknown component \"{k}\""),
                )
            })?;
            *slot = diagram.elements[*i].id;
            end_name.clone_from(&diagram.elements[*i].name);
        }
        // startleft names a Visio connector without text by its shape's
        // UUID; a reviewer reads the flow by its ends instead, and the
        // UUID stays in the flow's description.
        let unnamed = Uuid::parse_str(fname.trim()).is_ok();
        let (fname, fdescription) = if unnamed {
            let description = f.str_or_empty("description")?;
            let sep = if description.is_empty() { "" } else { "; " };
            (
                format!("{} to {}", end_names[0], end_names[1]),
                format!("{description}{sep}OTM name: {fname} (an unnamed connector's id)"),
            )
        } else {
            (
                fname.to_string(),
                f.str_or_empty("description")?.to_string(),
            )
        };
        let fname = fname.as_str();
        let mut flow = Flow::new(fname, ends[0], ends[1]);
        flow.id = key_id(&model_id, "dataflow", &key, &key);
        flow.bidirectional = f.bool_or("bidirectional", false)?;
        flow.out_of_scope = attribute_out_of_scope(&f);
        flow.points = attribute_points(&f, otm_export::BEND_POINTS_ATTRIBUTE)?;
        note_flow_description(&mut model.description, flow.id, fname, &fdescription);
        for (i, a) in f.str_array("assets")?.into_iter().enumerate() {
            let id = assets.get(a).ok_or_else(|| {
                ImportError::new(
                    format!("{}/{i}", f.key_ptr("assets")),
                    format!("names the unknown asset \"{a}\""),
                )
            })?;
            if !flow.data.contains(id) {
                flow.data.push(*id);
            }
        }
        let tags = f.str_array("tags")?;
        if let Some(p) = protocol_tag(&tags) {
            flow.protocol = tags[p].to_ascii_lowercase();
        }
        flow.encrypted_in_transit = matches!(flow.protocol.as_str(), "https" | "tls" | "ssh")
            || attribute_yes(&f, "Provides Confidentiality")
            || attribute_yes(&f, "Encrypted");
        flow.authenticated = attribute_yes(&f, "Source Authenticated")
            || authenticates_itself.contains(&flow.source);
        flow.crosses_public_network =
            on_internet.contains(&flow.source) || on_internet.contains(&flow.target);
        otm_export::read_flow_tags(&mut flow, &tags);
        let mut threats = instance_threats(
            &f,
            ThreatTarget::Flow(flow.id),
            &format!("dataflow/{key}"),
            &defs,
            &model_id,
            &mut used,
        )?;
        if flow.source == flow.target {
            // A dataflow from a component to itself: a flow here joins two
            // elements, so it is a line of the model description (Threat
            // Dragon export draws it again) and its threats are on the
            // component.
            note_loop_flow(&mut model.description, &flow);
            for t in &mut threats {
                onto_loop_element(t, flow.id, flow.source);
            }
            model.threats.extend(threats);
            continue;
        }
        model.threats.extend(threats);
        diagram.flows.push(flow);
    }

    model.diagrams.push(diagram);
    if let Some(extras) = unread_details(value) {
        if !model.description.is_empty() {
            model.description.push_str("\n\n");
        }
        model.description.push_str(&extras);
    }
    Ok(model)
}

/// Which of a dataflow's tags names its protocol: the first that is a
/// protocol the import knows ("https", "sql"...).
fn protocol_tag(tags: &[&str]) -> Option<usize> {
    tags.iter()
        .position(|t| otm_export::KNOWN_PROTOCOLS.contains(&t.to_ascii_lowercase().as_str()))
}

/// A dataflow's tags the import reads into no field ("user-traffic",
/// "internal-routing"; a second protocol).
fn unread_flow_tags<'a>(tags: &[&'a str]) -> Vec<&'a str> {
    let protocol = protocol_tag(tags);
    let mut scratch = Flow::new("", Uuid::nil(), Uuid::nil());
    tags.iter()
        .enumerate()
        .filter(|(i, t)| Some(*i) != protocol && !otm_export::read_flow_tag(&mut scratch, t))
        .map(|(_, t)| *t)
        .collect()
}

/// The attributes a Threat Modeling Tool or IriusRisk export carries that
/// set no flag here.
const READ_ATTRIBUTES: [&str; 8] = [
    otm_export::BEND_POINTS_ATTRIBUTE,
    "Out Of Scope",
    "Reason For Out Of Scope",
    "Encrypted",
    "Signed",
    "Stores Credentials",
    "Stores Log Data",
    "Provides Confidentiality",
];

/// What an OTM file says that has no field here, so nothing is dropped
/// unsaid: free-form attributes (beyond the flags read), project tags, a
/// trust zone's type and trust rating, and threats and mitigations the
/// file defines but puts on nothing. `None` when there is none.
fn unread_details(root: &Value) -> Option<String> {
    fn one_line(v: &Value) -> String {
        match v {
            Value::Null => String::new(),
            Value::String(s) => s.split_whitespace().collect::<Vec<_>>().join(" "),
            Value::Array(items) => items.iter().map(one_line).collect::<Vec<_>>().join(", "),
            other => other.to_string(),
        }
    }
    fn attributes(node: &Value, skip: &[&str]) -> Vec<String> {
        ["attributes", "properties"]
            .iter()
            .filter_map(|k| node.get(*k)?.as_object())
            .flatten()
            .filter(|(k, v)| !skip.contains(&k.as_str()) && !v.is_null())
            .map(|(k, v)| format!("{k}: {}", one_line(v)))
            .collect()
    }
    let name = |node: &Value| {
        format!(
            "\"{}\" ({})",
            one_line(&node["name"]),
            one_line(&node["id"])
        )
    };
    let list = |key: &str| root[key].as_array().cloned().unwrap_or_default();
    let mut out = vec![];
    let project = &root["project"];
    let mut facts = attributes(
        project,
        &[
            otm_export::REPOSITORIES_ATTRIBUTE,
            otm_export::TRUST_RATINGS_ATTRIBUTE,
        ],
    );
    // Trust ratings our export derived from nesting say nothing more.
    let derived_ratings = project["attributes"]
        .get(otm_export::TRUST_RATINGS_ATTRIBUTE)
        .is_some();
    if let Some(tags) = project["tags"].as_array().filter(|t| !t.is_empty()) {
        facts.insert(
            0,
            format!("tags: {}", one_line(&Value::Array(tags.clone()))),
        );
    }
    if !facts.is_empty() {
        out.push(format!("- project: {}", facts.join("; ")));
    }
    // Representations other than diagrams (source code, say).
    for r in list("representations") {
        if r["type"] == "diagram" {
            continue;
        }
        let mut facts = vec![format!("type: {}", one_line(&r["type"]))];
        if let Some(url) = r["repository"].get("url").filter(|u| !u.is_null()) {
            facts.push(format!("repository: {}", one_line(url)));
        }
        facts.extend(attributes(&r, &[]));
        out.push(format!(
            "- representation {}: {}",
            name(&r),
            facts.join("; ")
        ));
    }
    let zones_key = if root.get("trustZones").is_some() {
        "trustZones"
    } else {
        "trustzones"
    };
    for z in list(zones_key) {
        if z["id"] == otm_export::OUTSIDE_ZONE && z["type"] == otm_export::OUTSIDE_ZONE {
            continue;
        }
        let mut facts = vec![];
        if let Some(t) = z.get("type").filter(|t| !t.is_null()) {
            facts.push(format!("type: {}", one_line(t)));
        }
        if let Some(r) = z["risk"]
            .get("trustRating")
            .filter(|r| !r.is_null() && !derived_ratings)
        {
            facts.push(format!("trust rating: {}", one_line(r)));
        }
        facts.extend(attributes(&z, &[otm_export::LINE_ATTRIBUTE]));
        if !facts.is_empty() {
            out.push(format!("- trust zone {}: {}", name(&z), facts.join("; ")));
        }
    }
    let mut threats_used = HashSet::new();
    let mut mitigations_used = HashSet::new();
    for (key, kind) in [("components", "component"), ("dataflows", "dataflow")] {
        for c in list(key) {
            let mut facts = attributes(&c, &READ_ATTRIBUTES);
            // A component's type is its `otm-type` tag; a dataflow's (early
            // startleft wrote `type: network`) has no field.
            if kind == "dataflow" {
                if let Some(t) = c.get("type").filter(|t| !t.is_null()) {
                    facts.insert(0, format!("type: {}", one_line(t)));
                }
                let tags: Vec<&str> = c["tags"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                let unread = unread_flow_tags(&tags);
                if !unread.is_empty() {
                    facts.push(format!("tags: {}", unread.join(", ")));
                }
            }
            // Where a component is in code: a representation with no shape.
            for r in c["representations"].as_array().into_iter().flatten() {
                if r.get("position").is_some() || r.get("size").is_some() {
                    continue;
                }
                let place: Vec<String> = ["file", "line", "package", "codeSnippet"]
                    .iter()
                    .filter_map(|k| {
                        r.get(*k)
                            .filter(|v| !v.is_null())
                            .map(|v| format!("{k} {}", one_line(v)))
                    })
                    .collect();
                if !place.is_empty() {
                    facts.push(format!(
                        "in {}: {}",
                        one_line(&r["representation"]),
                        place.join(", ")
                    ));
                }
            }
            if !facts.is_empty() {
                out.push(format!("- {kind} {}: {}", name(&c), facts.join("; ")));
            }
            for inst in c["threats"].as_array().into_iter().flatten() {
                threats_used.insert(one_line(&inst["threat"]));
                for m in inst["mitigations"].as_array().into_iter().flatten() {
                    mitigations_used.insert(one_line(&m["mitigation"]));
                }
            }
        }
    }
    for (key, kind, used) in [
        ("threats", "threat", &threats_used),
        ("mitigations", "mitigation", &mitigations_used),
    ] {
        for d in list(key) {
            let mut facts = attributes(&d, &[otm_export::RULE_ATTRIBUTE]);
            if !used.contains(&one_line(&d["id"])) {
                let description = one_line(&d["description"]);
                facts.insert(
                    0,
                    if description.is_empty() {
                        "on no component or dataflow".to_string()
                    } else {
                        format!("on no component or dataflow: {description}")
                    },
                );
            }
            if !facts.is_empty() {
                out.push(format!("- {kind} {}: {}", name(&d), facts.join("; ")));
            }
        }
    }
    (!out.is_empty()).then(|| {
        format!(
            "OTM details with no field here (kept as they are):\n{}",
            out.join("\n")
        )
    })
}

/// Absolute rects from rects relative to a parent (`parent(i)`), cycle-safe.
fn absolute(
    rel: &[Option<Rect>],
    parent: impl Fn(usize) -> Option<Result<usize, usize>>,
) -> Vec<Option<Rect>> {
    (0..rel.len())
        .map(|i| {
            let mut rect = rel[i]?;
            let mut cur = parent(i);
            let mut seen = HashSet::from([i]);
            while let Some(Ok(p)) = cur {
                if !seen.insert(p) {
                    break;
                }
                let pr = rel[p]?;
                rect.x += pr.x;
                rect.y += pr.y;
                cur = parent(p);
            }
            Some(rect)
        })
        .collect()
}

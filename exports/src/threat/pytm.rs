//! pytm JSON import (the model file `pytm` reads with `--json`/`loads`, and
//! the report it writes with findings).
//!
//! - `boundaries` are trust boundaries (nested through `inBoundary`);
//! - `elements` (in pytm's own `--json` report: `actors` and `assets`) are
//!   elements by `__class__` (or `type`, as pytm's example template writes
//!   it): `Actor` and `ExternalEntity`
//!   external entities, `Datastore` data stores, everything else (`Process`,
//!   `Server`, `Lambda`, `SetOfProcesses`...) processes; an element of class
//!   `Boundary` is a boundary; `inBoundary` names the boundary;
//! - `flows` (`Dataflow`) are flows from `source` to `sink` (or `target`), carrying the
//!   named `data`; `protocol`, `dstPort`, `isEncrypted`, authentication and
//!   authorization flags are kept;
//! - `data` are data assets (`classification` PUBLIC/RESTRICTED/SENSITIVE/
//!   SECRET/TOP_SECRET as public/internal/confidential/restricted); a flow's
//!   data named nowhere else (pytm's report lists data only by name) is a
//!   data asset of its own, classification unknown (internal);
//! - element and flow flags are read from the object or from its
//!   `controls` (where pytm 1.3 and later keep them);
//! - `findings` (pytm's report) are threats on the element or flow they
//!   name.

use std::collections::{HashMap, HashSet};

use plasma_models::threat::{
    Classification, DataAsset, DataTag, Diagram, Element, ElementKind, Flow, Rating, Threat,
    ThreatModel, ThreatTarget, TrustBoundary,
};
use uuid::Uuid;

use super::json::{parse_json, stable_id, Node};
use super::text::category_from_name;
use super::ImportError;

/// Namespace of the ids of imported pytm models.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x9b27_4e0d_c3a1_4d86_b5f0_17e2_a94c_6d08);

/// An element's pytm class: `__class__` as pytm writes it, or `type` as in
/// pytm's example template (`{"name": "User", "type": "Actor"}`).
fn element_class<'a>(e: &Node<'a>) -> Result<&'a str, ImportError> {
    match e.opt_str("__class__")? {
        Some(class) => Ok(class),
        None => Ok(e.opt_str("type")?.unwrap_or("")),
    }
}

/// A reference by name: a string, or an object with a `name`.
fn name_ref(node: &Node<'_>, key: &str) -> Result<Option<(String, String)>, ImportError> {
    let Some(child) = node.child(key) else {
        return Ok(None);
    };
    match child.value {
        serde_json::Value::String(s) => Ok(Some((s.clone(), child.location()))),
        serde_json::Value::Object(_) => {
            let n = child.req_str("name")?;
            Ok(Some((n.to_string(), child.key_ptr("name"))))
        }
        _ => Err(child.err("expected a name or an object with a name")),
    }
}

fn classification(text: &str) -> Classification {
    match text.to_ascii_uppercase().replace([' ', '-'], "_").as_str() {
        "PUBLIC" => Classification::Public,
        "SENSITIVE" => Classification::Confidential,
        "SECRET" | "TOP_SECRET" => Classification::Restricted,
        _ => Classification::Internal,
    }
}

/// Why a top-level array is not a pytm model: pytm's threat library and
/// the experimental `"Element"` list are JSON arrays too.
fn array_reason(items: &[serde_json::Value]) -> String {
    let has = |key: &str| items.iter().any(|i| i.get(key).is_some());
    if has("SID") && has("condition") {
        "this is a pytm threat library (a list of threat rules), not a threat model; import the model or the report `tm.py --json` writes".to_string()
    } else if has("Element") {
        "this is a list of \"Element\" entries, an experimental pytm input layout Plasma Plan does not read; save the model with `tm.py --json` and import that".to_string()
    } else {
        "expected a pytm model (an object with \"name\", \"elements\", \"flows\"...), found an array".to_string()
    }
}

/// A pytm flag: on the object itself, or in its `controls` (pytm 1.3+).
fn flag(node: &Node<'_>, key: &str) -> Result<bool, ImportError> {
    if node.has(key) {
        return node.bool_or(key, false);
    }
    match node.child("controls") {
        Some(controls) => {
            controls.object()?;
            controls.bool_or(key, false)
        }
        None => Ok(false),
    }
}

/// A data asset known only by the name a flow gives it.
fn data_named_only(model_id: &Uuid, name: &str) -> DataAsset {
    let mut asset = DataAsset::new(name, Classification::Internal);
    asset.id = stable_id(model_id, &format!("data/{name}"));
    let lower = name.to_ascii_lowercase();
    if lower.contains("personal") {
        asset.tags.push(DataTag::Pii);
    }
    if ["password", "credential", "secret", "token", "cookie"]
        .iter()
        .any(|w| lower.contains(w))
    {
        asset.tags.push(DataTag::Credentials);
    }
    asset
}

fn severity_pair(s: &str) -> (Rating, Rating) {
    match s.trim().to_ascii_lowercase().as_str() {
        "very high" | "critical" => (Rating::High, Rating::High),
        "high" => (Rating::High, Rating::Medium),
        "low" => (Rating::Low, Rating::Medium),
        "very low" | "info" => (Rating::Low, Rating::Low),
        _ => (Rating::Medium, Rating::Medium),
    }
}

/// Reads a pytm JSON model.
pub fn import(json: &str, workspace_id: Uuid) -> Result<ThreatModel, ImportError> {
    let value = parse_json(json)?;
    let root = Node::root(&value);
    if let Some(items) = value.as_array() {
        return Err(root.err(array_reason(items)));
    }
    root.object()?;
    let name = root.req_str("name")?;
    let model_id = stable_id(&NAMESPACE, &format!("{workspace_id}/{name}"));
    let mut model = ThreatModel::new(workspace_id, name);
    model.id = model_id;
    model.description = root.str_or_empty("description")?.to_string();
    let mut diagram = Diagram::new(name);
    diagram.id = stable_id(&model_id, "diagram/0");

    // Data.
    let mut data_ids: HashMap<String, Uuid> = HashMap::new();
    for d in root.array("data")? {
        d.object()?;
        let dname = d.req_str("name")?;
        let id = stable_id(&model_id, &format!("data/{dname}"));
        if data_ids.insert(dname.to_string(), id).is_some() {
            return Err(d.field_err("name", format!("the data \"{dname}\" is defined twice")));
        }
        let mut asset = DataAsset::new(dname, classification(d.str_or_empty("classification")?));
        asset.id = id;
        let lower = format!("{dname} {}", d.str_or_empty("description")?).to_ascii_lowercase();
        if d.bool_or("isPII", false)? || lower.contains("personal") {
            asset.tags.push(DataTag::Pii);
        }
        if d.bool_or("isCredentials", false)?
            || ["password", "credential", "secret", "token"]
                .iter()
                .any(|w| lower.contains(w))
        {
            asset.tags.push(DataTag::Credentials);
        }
        if let Some(l) = d.opt_scalar_text("lifetime")?.filter(|l| !l.is_empty()) {
            asset.retention = Some(format!("{} lifetime", l.to_ascii_lowercase()));
        }
        asset.confidentiality = match asset.classification {
            Classification::Public => Rating::Low,
            Classification::Internal => Rating::Medium,
            _ => Rating::High,
        };
        model.data_assets.push(asset);
    }

    // Boundaries: the `boundaries` list and elements of class Boundary.
    let mut boundary_nodes: Vec<Node<'_>> = root.array("boundaries")?;
    let mut element_nodes = vec![];
    let listed = [
        root.array("elements")?,
        root.array("actors")?,
        root.array("assets")?,
    ];
    for e in listed.into_iter().flatten() {
        e.object()?;
        if element_class(&e)? == "Boundary" {
            boundary_nodes.push(e);
        } else {
            element_nodes.push(e);
        }
    }
    let mut boundary_ids: HashMap<String, Uuid> = HashMap::new();
    let mut parents = vec![];
    for b in &boundary_nodes {
        b.object()?;
        let bname = b.req_str("name")?;
        let mut tb = TrustBoundary::new(bname, None);
        tb.id = stable_id(&model_id, &format!("boundary/{bname}"));
        if boundary_ids.insert(bname.to_string(), tb.id).is_some() {
            return Err(b.field_err("name", format!("the boundary \"{bname}\" is defined twice")));
        }
        parents.push(name_ref(b, "inBoundary")?);
        diagram.boundaries.push(tb);
    }
    for (i, p) in parents.into_iter().enumerate() {
        if let Some((pname, ptr)) = p {
            let id = *boundary_ids.get(&pname).ok_or_else(|| {
                ImportError::new(
                    ptr.clone(),
                    format!("names the unknown boundary \"{pname}\""),
                )
            })?;
            diagram.boundaries[i].parent = Some(id);
        }
    }
    let parent_of: HashMap<Uuid, Option<Uuid>> = diagram
        .boundaries
        .iter()
        .map(|b| (b.id, b.parent))
        .collect();
    for (i, b) in diagram.boundaries.iter().enumerate() {
        let mut seen = HashSet::new();
        let mut cur = Some(b.id);
        while let Some(id) = cur {
            if !seen.insert(id) {
                return Err(boundary_nodes[i]
                    .field_err("inBoundary", "boundaries contain each other in a cycle"));
            }
            cur = parent_of.get(&id).copied().flatten();
        }
    }

    // Elements.
    let mut element_ids: HashMap<String, Uuid> = HashMap::new();
    for e in &element_nodes {
        let ename = e.req_str("name")?;
        let class = element_class(e)?;
        let kind = match class {
            "Actor" | "ExternalEntity" => ElementKind::ExternalEntity,
            "Datastore" | "DataStore" => ElementKind::DataStore,
            _ => ElementKind::Process,
        };
        let mut el = Element::new(kind, ename);
        el.id = stable_id(&model_id, &format!("element/{ename}"));
        if element_ids.insert(ename.to_string(), el.id).is_some() {
            return Err(e.field_err("name", format!("the element \"{ename}\" is defined twice")));
        }
        el.description = e.str_or_empty("description")?.to_string();
        if let Some((bname, ptr)) = name_ref(e, "inBoundary")? {
            el.boundary = Some(*boundary_ids.get(&bname).ok_or_else(|| {
                ImportError::new(ptr, format!("names the unknown boundary \"{bname}\""))
            })?);
        }
        // pytm's `inScope` (true unless said otherwise) has no reason.
        if !e.bool_or("inScope", true)? {
            el.out_of_scope = Some(String::new());
        }
        let p = &mut el.props;
        p.encrypted_at_rest = flag(e, "isEncrypted")? || flag(e, "isEncryptedAtRest")?;
        p.signed = flag(e, "isSigned")?;
        p.is_log = flag(e, "storesLogData")? || flag(e, "isALog")?;
        p.stores_credentials = flag(e, "storesCredentials")?;
        p.sanitizes_input = flag(e, "sanitizesInput")?;
        p.has_access_control = flag(e, "hasAccessControl")?;
        p.hardened = flag(e, "isHardened")?;
        p.web_application = class == "Server" && flag(e, "isWebApplication")?;
        if !class.is_empty() {
            p.tags.push(format!("pytm-class: {class}"));
        }
        for (key, tag) in [
            ("storesPII", "stores-pii"),
            ("storesSensitiveData", "stores-sensitive-data"),
            ("isSQL", "sql"),
        ] {
            if e.bool_or(key, false)? {
                p.tags.push(tag.to_string());
            }
        }
        diagram.elements.push(el);
    }

    // Flows.
    let mut flow_ids: HashMap<String, Uuid> = HashMap::new();
    for (fi, f) in root.array("flows")?.into_iter().enumerate() {
        f.object()?;
        let fname = f.str_or_empty("name")?;
        let mut ends = [Uuid::nil(), Uuid::nil()];
        for (slot, end) in ends.iter_mut().zip(["source", "sink"]) {
            // pytm's own example template names the sink `target`.
            let found = match name_ref(&f, end)? {
                None if end == "sink" => name_ref(&f, "target")?,
                found => found,
            };
            let (ename, ptr) = found.ok_or_else(|| {
                f.field_err(end, format!("the required key \"{end}\" is missing"))
            })?;
            *slot = *element_ids.get(&ename).ok_or_else(|| {
                ImportError::new(
                    ptr,
                    format!("the flow's {end} names the unknown element \"{ename}\""),
                )
            })?;
        }
        let mut flow = Flow::new(fname, ends[0], ends[1]);
        flow.id = stable_id(&model_id, &format!("flow/{fi}/{fname}"));
        flow_ids.entry(fname.to_string()).or_insert(flow.id);
        if !f.bool_or("inScope", true)? {
            flow.out_of_scope = Some(String::new());
        }
        flow.protocol = f.str_or_empty("protocol")?.trim().to_lowercase();
        flow.port = f
            .opt_f64("dstPort")?
            .filter(|p| *p >= 0.0 && *p <= f64::from(u32::MAX) && p.fract() == 0.0)
            .map(|p| p as u32);
        flow.encrypted_in_transit = flag(&f, "isEncrypted")?
            || matches!(flow.protocol.as_str(), "https" | "tls" | "ssh" | "sftp");
        flow.authenticated = flag(&f, "authenticatesSource")?
            || flag(&f, "authenticatesDestination")?
            || !f.str_or_empty("authenticatedWith")?.is_empty();
        flow.authorized = flag(&f, "authorizesSource")?;
        for d in f.array("data")? {
            let dname = match d.value {
                serde_json::Value::String(s) => s.clone(),
                _ => d.req_str("name")?.to_string(),
            };
            if dname.trim().is_empty() {
                return Err(d.err("a flow's data needs a name"));
            }
            let id = match data_ids.get(&dname) {
                Some(id) => *id,
                None => {
                    let asset = data_named_only(&model_id, &dname);
                    data_ids.insert(dname.clone(), asset.id);
                    let id = asset.id;
                    model.data_assets.push(asset);
                    id
                }
            };
            if !flow.data.contains(&id) {
                flow.data.push(id);
            }
        }
        diagram.flows.push(flow);
    }

    // Findings (pytm's report output).
    let mut used = HashSet::new();
    for (i, finding) in root.array("findings")?.into_iter().enumerate() {
        finding.object()?;
        let tname = match name_ref(&finding, "target")? {
            Some(t) => t,
            None => name_ref(&finding, "element")?.ok_or_else(|| {
                finding.field_err("target", "the required key \"target\" is missing")
            })?,
        };
        let target = element_ids
            .get(&tname.0)
            .map(|id| ThreatTarget::Element(*id))
            .or_else(|| flow_ids.get(&tname.0).map(|id| ThreatTarget::Flow(*id)))
            .ok_or_else(|| {
                ImportError::new(
                    tname.1.clone(),
                    format!("names the unknown element or flow \"{}\"", tname.0),
                )
            })?;
        let description = finding.str_or_empty("description")?;
        let threat_id = finding.opt_scalar_text("threat_id")?.unwrap_or_default();
        let (likelihood, impact) = severity_pair(finding.str_or_empty("severity")?);
        let title = if description.is_empty() {
            threat_id.clone()
        } else {
            description.to_string()
        };
        let (category, _) = category_from_name(&format!(
            "{description} {}",
            finding.str_or_empty("details")?
        ));
        let mut t = Threat::manual(title, category, target, likelihood, impact);
        let mut id = stable_id(&model_id, &format!("finding/{threat_id}/{}", tname.0));
        if !used.insert(id) {
            id = stable_id(&model_id, &format!("finding/{i}"));
            used.insert(id);
        }
        t.id = id;
        t.description = finding.str_or_empty("details")?.to_string();
        let mitigation = finding.str_or_empty("mitigations")?.trim();
        if !mitigation.is_empty() {
            t.suggested_mitigations.push(mitigation.to_string());
        }
        let refs = finding.str_or_empty("references")?;
        t.references = refs
            .split([',', '\n'])
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect();
        if !threat_id.is_empty() {
            t.notes = format!("pytm threat: {threat_id}");
        }
        if let Some(cvss) = finding
            .opt_scalar_text("cvss")?
            .filter(|c| c.starts_with("CVSS:"))
        {
            t.cvss = Some(cvss);
        }
        model.threats.push(t);
    }

    model.diagrams.push(diagram);
    Ok(model)
}

//! pytm JSON import (the model file `pytm` reads with `--json`/`loads`, and
//! the report it writes with findings).
//!
//! - `boundaries` are trust boundaries (nested through `inBoundary`);
//! - `elements` are elements by `__class__`: `Actor` and `ExternalEntity`
//!   external entities, `Datastore` data stores, everything else (`Process`,
//!   `Server`, `Lambda`, `SetOfProcesses`...) processes; an element of class
//!   `Boundary` is a boundary; `inBoundary` names the boundary;
//! - `flows` (`Dataflow`) are flows from `source` to `sink`, carrying the
//!   named `data`; `protocol`, `dstPort`, `isEncrypted`, authentication and
//!   authorization flags are kept;
//! - `data` are data assets (`classification` PUBLIC/RESTRICTED/SENSITIVE/
//!   SECRET/TOP_SECRET as public/internal/confidential/restricted);
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
    for e in root.array("elements")? {
        e.object()?;
        if e.opt_str("__class__")? == Some("Boundary") {
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
        let class = e.str_or_empty("__class__")?;
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
        let p = &mut el.props;
        p.encrypted_at_rest = e.bool_or("isEncrypted", false)?;
        p.signed = e.bool_or("isSigned", false)?;
        p.is_log = e.bool_or("storesLogData", false)? || e.bool_or("isALog", false)?;
        p.stores_credentials = e.bool_or("storesCredentials", false)?;
        p.sanitizes_input = e.bool_or("sanitizesInput", false)?;
        p.has_access_control = e.bool_or("hasAccessControl", false)?;
        p.hardened = e.bool_or("isHardened", false)?;
        p.web_application = class == "Server" && e.bool_or("isWebApplication", false)?;
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
            let (ename, ptr) = name_ref(&f, end)?.ok_or_else(|| {
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
        flow.protocol = f.str_or_empty("protocol")?.trim().to_lowercase();
        flow.port = f
            .opt_f64("dstPort")?
            .filter(|p| *p >= 0.0 && *p <= f64::from(u32::MAX) && p.fract() == 0.0)
            .map(|p| p as u32);
        flow.encrypted_in_transit = f.bool_or("isEncrypted", false)?
            || matches!(flow.protocol.as_str(), "https" | "tls" | "ssh" | "sftp");
        flow.authenticated = f.bool_or("authenticatesSource", false)?
            || f.bool_or("authenticatesDestination", false)?
            || !f.str_or_empty("authenticatedWith")?.is_empty();
        flow.authorized = f.bool_or("authorizesSource", false)?;
        for d in f.array("data")? {
            let dname = match d.value {
                serde_json::Value::String(s) => s.clone(),
                _ => d.req_str("name")?.to_string(),
            };
            let id = data_ids
                .get(&dname)
                .ok_or_else(|| d.err(format!("names the unknown data \"{dname}\"")))?;
            if !flow.data.contains(id) {
                flow.data.push(*id);
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

//! pytm JSON import (the model file `pytm` reads with `--json`/`loads`, and
//! the report it writes with findings).
//!
//! - `boundaries` are trust boundaries (nested through `inBoundary`);
//! - `elements` (in pytm's own `--json` report: `actors` and `assets`, which
//!   some pytm versions list under `elements` too: an entry equal to one of
//!   `elements` is that element) are elements by `__class__` (or `type`, as pytm's example template writes
//!   it): `Actor` and `ExternalEntity`
//!   external entities, `Datastore` data stores, everything else (`Process`,
//!   `Server`, `Lambda`, `SetOfProcesses`...) processes; an element of class
//!   `Boundary` is a boundary; `inBoundary` names the boundary;
//! - `flows` (`Dataflow`) are flows from `source` to `sink` (or `target`), carrying the
//!   named `data`; `protocol`, `dstPort`, `isEncrypted`, authentication and
//!   authorization flags are kept; a flow's `description` and `note` and a
//!   boundary's `description` are lines of the model description, which
//!   Threat Dragon export writes back onto the flow or boundary;
//! - `data` are data assets (`classification` PUBLIC/RESTRICTED/SENSITIVE/
//!   SECRET/TOP_SECRET as public/internal/confidential/restricted); a flow's
//!   data named nowhere else (pytm's report lists data only by name) is a
//!   data asset of its own, classification unknown (internal);
//! - element and flow flags are read from the object or from its
//!   `controls` (where pytm 1.3 and later keep them);
//! - `findings` (pytm's report) are threats on the element or flow they
//!   name; a flow from an element to itself is a line of the model
//!   description (Threat Dragon export draws it again), its findings on
//!   the element;
//! - pytm's `"Element"` list (`inputfiles/tm.json` in pytm's repository: one
//!   object per boundary, element and dataflow plus `"Element": "TM"` for
//!   the model, references as `{"$ref": "<id>"}`) is read too;
//! - what the author wrote that has no field here is a paragraph of the
//!   model description: the model's and each boundary's, element's and
//!   flow's `assumptions` (`tm.assumptions = [...]`, strings or pytm's
//!   `Assumption` with its name, description and excluded threats), the
//!   model's `threatsExcluded`, and each `overrides` entry (a threat id with
//!   the author's response or CVSS), and the model's keys this import
//!   does not read (`processes` in files written by hand after pytm's); a
//!   finding's `response` is in its threat's notes;
//! - an entry of `actors` with no class is an actor (an external entity).

use std::collections::{HashMap, HashSet};

use plasma_models::threat::{
    Classification, DataAsset, DataTag, Diagram, Element, ElementKind, Flow, Rating, Threat,
    ThreatModel, ThreatTarget, TrustBoundary,
};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::json::{looks_like, parse_json, relocate, stable_id, type_name, Node};
use super::text::{category_from_name, one_line};
use super::threat_dragon::{
    note_boundary_description, note_flow_description, note_loop_flow, onto_loop_element,
};
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
        Value::String(s) => Ok(Some((s.clone(), child.location()))),
        Value::Object(_) => {
            let n = child.req_str("name")?;
            Ok(Some((n.to_string(), child.key_ptr("name"))))
        }
        _ => Err(child.err("expected a name or an object with a name")),
    }
}

/// pytm's classification: `RESTRICTED`, or `Classification.RESTRICTED` as
/// its `--json` report writes enums.
fn classification(text: &str) -> Classification {
    let upper = text.trim().to_ascii_uppercase();
    let bare = upper.strip_prefix("CLASSIFICATION.").unwrap_or(&upper);
    match bare.replace([' ', '-'], "_").as_str() {
        "PUBLIC" => Classification::Public,
        "SENSITIVE" => Classification::Confidential,
        "SECRET" | "TOP_SECRET" => Classification::Restricted,
        _ => Classification::Internal,
    }
}

/// Why a top-level array is not a pytm model: pytm's threat library and
/// models are JSON arrays too.
fn array_reason(items: &[Value]) -> String {
    let has = |key: &str| items.iter().any(|i| i.get(key).is_some());
    if has("SID") && has("condition") {
        "this is a pytm threat library (a list of threat rules), not a threat model; import the model or the report `tm.py --json` writes".to_string()
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

/// A flow's `authenticatedWith`: the scheme's name, or a flag (pytm
/// declares it a boolean and its report writes `false`).
fn authenticated_with(flow: &Node<'_>) -> Result<bool, ImportError> {
    match flow.get("authenticatedWith") {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(Value::String(s)) => Ok(!s.trim().is_empty()),
        Some(other) => Err(flow.field_err(
            "authenticatedWith",
            format!(
                "expected a boolean or the name of a scheme, found {}",
                type_name(other)
            ),
        )),
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
    if looks_like_script(json) {
        return Err(ImportError::new(
            "file",
            "this is a pytm Python script, not pytm's JSON: run it with `--json` \
             (`python3 tm.py --json tm.json`) and import the JSON file it writes",
        ));
    }
    let value = parse_json(json)?;
    let root = Node::root(&value);
    if let Some(items) = value.as_array() {
        if is_element_list(items) {
            let (converted, places) = from_element_list(&root)?;
            return import_value(&converted, workspace_id).map_err(|e| relocate(e, &places));
        }
        return Err(root.err(array_reason(items)));
    }
    import_value(&value, workspace_id)
}

/// A pytm model written as Python (`from pytm import TM, ...`): pytm's
/// JSON is what it prints when run, so the script itself holds no data.
pub(crate) fn looks_like_script(text: &str) -> bool {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    !trimmed.starts_with('{')
        && !trimmed.starts_with('[')
        && text.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with("from pytm import")
                || l.starts_with("from pytm.pytm import")
                || l.starts_with("import pytm")
        })
}

/// An `"Element"` list: objects, at least one with an `Element` class and
/// none a threat rule.
fn is_element_list(items: &[Value]) -> bool {
    items.iter().any(|i| i.get("Element").is_some())
        && !items.iter().any(|i| i.get("SID").is_some())
}

/// The target of a reference in an `"Element"` list: `{"$ref": id}` or the
/// id (or name) as a string.
fn list_ref(
    node: &Node<'_>,
    key: &str,
    names: &HashMap<String, String>,
    what: &str,
) -> Result<Option<String>, ImportError> {
    let Some(child) = node.child(key) else {
        return Ok(None);
    };
    let (target, at) = match child.value {
        Value::String(s) => (s.clone(), child.location()),
        Value::Object(_) => match child.opt_scalar_text("$ref")? {
            Some(r) => (r, child.key_ptr("$ref")),
            None => match child.opt_str("name")? {
                Some(n) => (n.to_string(), child.key_ptr("name")),
                None => {
                    return Err(child.err(format!(
                        "expected a reference to {what} ({{\"$ref\": \"<id>\"}})"
                    )))
                }
            },
        },
        _ => {
            return Err(child.err(format!(
                "expected a reference to {what} ({{\"$ref\": \"<id>\"}})"
            )))
        }
    };
    match names.get(&target) {
        Some(name) => Ok(Some(name.clone())),
        None => Err(ImportError::new(
            at,
            format!("names the unknown {what} \"{target}\""),
        )),
    }
}

/// pytm's `"Element"` list (`inputfiles/tm.json` in pytm's repository):
/// one object per boundary, element and dataflow, and the model itself as
/// `"Element": "TM"`; references are `{"$ref": "<id>"}`. Rewritten into
/// the object layout, with (new place, place in the list) pairs so errors
/// found later still point into the list.
fn from_element_list(root: &Node<'_>) -> Result<(Value, Vec<(String, String)>), ImportError> {
    let items = root.array_items()?;
    // Ids (and names) of boundaries and of elements, to their names.
    let mut boundaries: HashMap<String, String> = HashMap::new();
    let mut elements: HashMap<String, String> = HashMap::new();
    let mut flows_by_id: HashMap<String, String> = HashMap::new();
    for item in &items {
        item.object()?;
        let class = item.req_str("Element")?;
        let name = match item.opt_str("name")? {
            Some(n) => n.to_string(),
            None => item
                .opt_scalar_text("id")?
                .ok_or_else(|| item.field_err("name", "the required key \"name\" is missing"))?,
        };
        let id = item.opt_scalar_text("id")?.unwrap_or_else(|| name.clone());
        let map = match class {
            "TM" => continue,
            "Boundary" => &mut boundaries,
            "Dataflow" => &mut flows_by_id,
            _ => &mut elements,
        };
        map.insert(name.clone(), name.clone());
        map.insert(id, name);
    }

    let mut model = Map::new();
    let (mut out_boundaries, mut out_elements, mut out_flows) = (vec![], vec![], vec![]);
    let mut places = vec![];
    for (i, item) in items.iter().enumerate() {
        let class = item.req_str("Element")?;
        let fields = item.object()?;
        let name = match item.opt_str("name")? {
            Some(n) => n.to_string(),
            None => item.opt_scalar_text("id")?.unwrap_or_default(),
        };
        let mut obj = Map::new();
        for (k, v) in fields {
            if !matches!(
                k.as_str(),
                "Element" | "id" | "inBoundary" | "source" | "sink" | "responseTo" | "data"
            ) {
                obj.insert(k.clone(), v.clone());
            }
        }
        obj.insert("name".into(), Value::String(name.clone()));
        let original = index_place(i);
        match class {
            "TM" => {
                if name.trim().is_empty() {
                    return Err(item.field_err(
                        "name",
                        "the model's name is empty; a threat model needs a name (models are matched by name on import)",
                    ));
                }
                if !model.contains_key("name") {
                    model.insert("name".into(), Value::String(name));
                    if let Some(d) = item.opt_str("description")? {
                        model.insert("description".into(), Value::String(d.to_string()));
                    }
                }
                continue;
            }
            "Dataflow" => {
                for end in ["source", "sink"] {
                    let target = list_ref(item, end, &elements, "element")?.ok_or_else(|| {
                        item.field_err(end, format!("the required key \"{end}\" is missing"))
                    })?;
                    obj.insert(end.into(), Value::String(target));
                }
                if let Some(r) = list_ref(item, "responseTo", &flows_by_id, "dataflow")? {
                    obj.insert("responseTo".into(), Value::String(r));
                }
                match item.get("data") {
                    Some(Value::String(d)) if !d.trim().is_empty() => {
                        obj.insert("data".into(), Value::Array(vec![Value::String(d.clone())]));
                    }
                    Some(Value::String(_)) | None => {}
                    Some(other) => {
                        obj.insert("data".into(), other.clone());
                    }
                }
                if !obj.contains_key("dstPort") {
                    if let Some(port) = fields.get("dstport") {
                        obj.insert("dstPort".into(), port.clone());
                    }
                }
                places.push((format!("/flows/{}", out_flows.len()), original));
                out_flows.push(Value::Object(obj));
            }
            _ => {
                if let Some(b) = list_ref(item, "inBoundary", &boundaries, "boundary")? {
                    obj.insert("inBoundary".into(), Value::String(b));
                }
                if class == "Boundary" {
                    places.push((format!("/boundaries/{}", out_boundaries.len()), original));
                    out_boundaries.push(Value::Object(obj));
                } else {
                    obj.insert("__class__".into(), Value::String(class.to_string()));
                    places.push((format!("/elements/{}", out_elements.len()), original));
                    out_elements.push(Value::Object(obj));
                }
            }
        }
    }
    model
        .entry("name")
        .or_insert_with(|| Value::String("pytm model".to_string()));
    model.insert("boundaries".into(), Value::Array(out_boundaries));
    model.insert("elements".into(), Value::Array(out_elements));
    model.insert("flows".into(), Value::Array(out_flows));
    Ok((Value::Object(model), places))
}

fn index_place(i: usize) -> String {
    format!("/{i}")
}

/// A value pytm wrote, as one line of text; `None` for what is empty (null,
/// "", [] or {}: the defaults pytm writes for every attribute).
fn fact(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(one_line(s)).filter(|s| !s.is_empty()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(fact).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        Value::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .filter_map(|(k, v)| fact(v).map(|f| format!("{k}: {f}")))
                .collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
    }
}

/// An assumption as pytm writes it: a string, or an `Assumption` (name,
/// description, the threats it excludes).
fn assumption(node: &Node<'_>) -> Result<Option<String>, ImportError> {
    match node.value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(one_line(s)).filter(|s| !s.is_empty())),
        Value::Object(map) => {
            let name = one_line(node.str_or_empty("name")?);
            let description = one_line(node.str_or_empty("description")?);
            let exclude = node.str_array("exclude")?;
            let mut text = match (name.is_empty(), description.is_empty()) {
                (false, false) => format!("{name}: {description}"),
                (false, true) => name,
                _ => description,
            };
            if !exclude.is_empty() {
                text.push_str(&format!(" (excludes threats {})", exclude.join(", ")));
            }
            let rest: Vec<String> = map
                .iter()
                .filter(|(k, _)| !["name", "description", "exclude"].contains(&k.as_str()))
                .filter_map(|(k, v)| fact(v).map(|f| format!("{k}: {f}")))
                .collect();
            if !rest.is_empty() {
                text.push_str(&format!(" ({})", rest.join("; ")));
            }
            Ok(Some(text.trim().to_string()).filter(|t| !t.is_empty()))
        }
        other => Err(node.err(format!(
            "expected an assumption (a string, or an object with a name and description), found {}",
            type_name(other)
        ))),
    }
}

/// Keys of an element, flow or data item this import reads (besides the
/// ones every part has), or that pytm's report derives (a flow's `order`, a
/// data item's `traverses`...): every other key with a value of its own is
/// kept as text.
fn read_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "element" => &[
            "isEncrypted",
            "isEncryptedAtRest",
            "isSigned",
            "storesLogData",
            "isALog",
            "storesCredentials",
            "sanitizesInput",
            "hasAccessControl",
            "isHardened",
            "isWebApplication",
            "storesPII",
            "storesSensitiveData",
            "isSQL",
        ],
        "flow" => &[
            "source",
            "sink",
            "target",
            "data",
            "protocol",
            "dstPort",
            "dstport",
            "note",
            "isEncrypted",
            "authenticatesSource",
            "authenticatesDestination",
            "authenticatedWith",
            "authorizesSource",
            "order",
        ],
        "data" => &[
            "classification",
            "isPII",
            "isCredentials",
            "lifetime",
            "traverses",
            "processedBy",
            "carriedBy",
        ],
        // The model's own keys pytm writes (`tm.py --json`) beside its parts.
        "model" => &[
            "boundaries",
            "elements",
            "actors",
            "assets",
            "flows",
            "data",
            "threatsExcluded",
            "excluded_findings",
            "threatsFile",
            "isOrdered",
            "mergeResponses",
            "ignoreUnused",
            "onDuplicates",
        ],
        _ => &[],
    }
}

/// Whether a value is what pytm writes when nobody set it: false, empty,
/// an unknown enum, port -1, DFD level 0, unmanaged code.
fn is_default(key: &str, v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::String(s) => {
            let s = s.trim();
            s.is_empty()
                || s.ends_with(".UNKNOWN")
                || s.ends_with(".NONE")
                || s.ends_with(".NO_ACTION")
                || (key == "codeType" && s == "Unmanaged")
        }
        Value::Number(n) => key.ends_with("ort") && n.as_f64() == Some(-1.0),
        Value::Array(items) => {
            items.is_empty() || (key == "levels" && items.len() == 1 && items[0] == 0)
        }
        Value::Object(map) => map.is_empty(),
    }
}

/// The attributes of a boundary, element, flow or data item the author set
/// and this import does not read (`OS`, `sourceFiles`, controls such as
/// `encodesOutput`, `responseTo`, DFD `levels`), as `key: value`.
fn unread_attributes(kind: &str, node: &Node<'_>) -> Vec<String> {
    const COMMON: [&str; 12] = [
        "name",
        "__class__",
        "inBoundary",
        "description",
        "inScope",
        "assumptions",
        "overrides",
        "findings",
        "controls",
        "inputs",
        "outputs",
        "severity",
    ];
    let read = |k: &str| {
        // A data item's description has no field here.
        (COMMON.contains(&k) && !(kind == "data" && k == "description"))
            || read_keys(kind).contains(&k)
            // `type` is the class in pytm's example template; beside a
            // `__class__` it is pytm's datastore type.
            || (k == "type" && !node.has("__class__"))
    };
    let Some(map) = node.value.as_object() else {
        return vec![];
    };
    let controls = map.get("controls").and_then(Value::as_object);
    map.iter()
        .chain(controls.into_iter().flatten())
        .filter(|(k, v)| !read(k) && !is_default(k, v))
        .filter_map(|(k, v)| fact(v).map(|f| format!("{k}: {f}")))
        .collect()
}

/// The author's assumptions and overrides on the model and on each
/// boundary, element and flow, and the threats excluded: pytm has them, the
/// model here has no field for them, so they are kept as text.
fn kept_details(
    root: &Node<'_>,
    parts: &[(&str, &Node<'_>)],
) -> Result<Option<String>, ImportError> {
    let mut out = vec![];
    for a in root.array("assumptions")? {
        if let Some(text) = assumption(&a)? {
            out.push(format!("- assumption: {text}"));
        }
    }
    let excluded = root.str_array("threatsExcluded")?;
    if !excluded.is_empty() {
        out.push(format!("- threats excluded: {}", excluded.join(", ")));
    }
    // Keys of the model this import does not read ("processes" beside
    // "actors" in files written by hand after pytm's).
    for unread in unread_attributes("model", root) {
        out.push(format!("- model {unread}"));
    }
    for (kind, node) in parts {
        let name = one_line(node.str_or_empty("name")?);
        for a in node.array("assumptions")? {
            if let Some(text) = assumption(&a)? {
                out.push(format!("- {kind} \"{name}\" assumption: {text}"));
            }
        }
        for o in node.array("overrides")? {
            if let Some(text) = fact(o.value) {
                out.push(format!("- {kind} \"{name}\" override: {text}"));
            }
        }
        let unread = unread_attributes(kind, node);
        if !unread.is_empty() {
            out.push(format!("- {kind} \"{name}\": {}", unread.join("; ")));
        }
    }
    Ok((!out.is_empty()).then(|| {
        format!(
            "pytm details with no field here (kept as they are):\n{}",
            out.join("\n")
        )
    }))
}

fn import_value(value: &Value, workspace_id: Uuid) -> Result<ThreatModel, ImportError> {
    let root = Node::root(value);
    root.object()?;
    if let Some(what) = looks_like(value).filter(|w| !w.contains("pytm")) {
        return Err(root.err(format!("this is not a pytm model: it is {what}")));
    }
    // Early pytm reports list threats by the name of their element only:
    // no elements or flows to hang them on.
    let has_parts = ["elements", "actors", "assets", "flows", "boundaries"]
        .iter()
        .any(|k| root.has(k));
    if !has_parts && root.has("potential threats") {
        return Err(root.field_err(
            "potential threats",
            "this is an early pytm threat report: it names the threats' elements but not the elements or flows themselves, so there is no diagram to put them on; import the model pytm reads (or the report `tm.py --json` writes) instead",
        ));
    }
    let name = root.req_str("name")?;
    if name.trim().is_empty() {
        return Err(root.field_err(
            "name",
            "the model's name is empty; a threat model needs a name (models are matched by name on import)",
        ));
    }
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
    let elements = root.array("elements")?;
    // pytm's report lists every actor and asset again under `elements`:
    // an entry equal to one there is that one, not a second definition.
    let mut listed = elements.clone();
    for part in [root.array("actors")?, root.array("assets")?] {
        listed.extend(
            part.into_iter()
                .filter(|e| !elements.iter().any(|x| x.value == e.value)),
        );
    }
    for e in listed {
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
        note_boundary_description(
            &mut model.description,
            tb.id,
            bname,
            b.str_or_empty("description")?,
        );
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
        // pytm's report lists actors under `actors`, each with its class;
        // one written there without a class is an actor all the same.
        let listed_as_actor = class.is_empty() && e.location().starts_with("/actors/");
        let kind = match class {
            _ if listed_as_actor => ElementKind::ExternalEntity,
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
    let mut loops: HashMap<Uuid, Uuid> = HashMap::new();
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
        // A flow's description and note are a line of the model
        // description, which Threat Dragon export writes onto the flow.
        let mut about = f.str_or_empty("description")?.trim().to_string();
        let flow_note = f.str_or_empty("note")?.trim();
        if !flow_note.is_empty() && flow_note != about {
            if !about.is_empty() {
                about.push_str("\n\n");
            }
            about.push_str("Note: ");
            about.push_str(flow_note);
        }
        note_flow_description(&mut model.description, flow.id, fname, &about);
        flow_ids.entry(fname.to_string()).or_insert(flow.id);
        if !f.bool_or("inScope", true)? {
            flow.out_of_scope = Some(String::new());
        }
        flow.protocol = f.str_or_empty("protocol")?.trim().to_string();
        flow.port = f
            .opt_f64("dstPort")?
            .filter(|p| *p >= 0.0 && *p <= f64::from(u32::MAX) && p.fract() == 0.0)
            .map(|p| p as u32);
        flow.encrypted_in_transit = flag(&f, "isEncrypted")?
            || matches!(
                flow.protocol.to_ascii_lowercase().as_str(),
                "https" | "tls" | "ssh" | "sftp"
            );
        flow.authenticated = flag(&f, "authenticatesSource")?
            || flag(&f, "authenticatesDestination")?
            || authenticated_with(&f)?;
        flow.authorized = flag(&f, "authorizesSource")?;
        for d in f.array("data")? {
            let dname = match d.value {
                Value::String(s) => s.clone(),
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
        if flow.source == flow.target {
            // A flow from an element to itself: a flow here joins two
            // elements, so it is a line of the model description (Threat
            // Dragon export draws it again); its findings go on the element.
            note_loop_flow(&mut model.description, &flow);
            loops.insert(flow.id, flow.source);
            continue;
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
        if let Some(response) = finding.opt_str("response")?.map(one_line) {
            if !response.is_empty() {
                if !t.notes.is_empty() {
                    t.notes.push('\n');
                }
                t.notes.push_str(&format!("pytm response: {response}"));
            }
        }
        if let Some(cvss) = finding
            .opt_scalar_text("cvss")?
            .filter(|c| c.starts_with("CVSS:"))
        {
            t.cvss = Some(cvss);
        }
        if let ThreatTarget::Flow(flow) = target {
            if let Some(&element) = loops.get(&flow) {
                onto_loop_element(&mut t, flow, element);
            }
        }
        model.threats.push(t);
    }

    let flow_nodes = root.array("flows")?;
    let data_nodes = root.array("data")?;
    let parts: Vec<(&str, &Node<'_>)> = boundary_nodes
        .iter()
        .map(|b| ("boundary", b))
        .chain(element_nodes.iter().map(|e| ("element", e)))
        .chain(flow_nodes.iter().map(|f| ("flow", f)))
        .chain(data_nodes.iter().map(|d| ("data", d)))
        .collect();
    if let Some(kept) = kept_details(&root, &parts)? {
        if !model.description.is_empty() {
            model.description.push_str("\n\n");
        }
        model.description.push_str(&kept);
    }

    model.diagrams.push(diagram);
    Ok(model)
}

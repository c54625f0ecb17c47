//! Devici's OTM layout, rewritten into the one the OTM import reads.
//!
//! Devici (and generators written for it, such as DVRAG's
//! `generate_otm.py`) draw trust boundaries and sticky notes as components
//! (`trustBoundaryNode`, `stickerNode`), give every component itself as its
//! trust zone (`parent: {trustZone: <its own id>}`) and name a threat on a
//! component with `{"ref": <threat id>}`, the mitigations on the threat's
//! definition. Rewritten: a boundary node is a trust zone; a component sits
//! in the smallest boundary node drawn around its centre (its position made
//! relative to it, as OTM nests positions), or in none; a `ref` is the
//! threat, with the definition's mitigations; a sticker's text is returned
//! for the model description.

use serde_json::{json, Map, Value};

const BOUNDARY_NODE: &str = "trustBoundaryNode";
const STICKER_NODE: &str = "stickerNode";

/// A Devici file rewritten: the document, (rewritten place, original place)
/// pairs for errors, and the stickers' texts.
pub(crate) struct Rewritten {
    pub value: Value,
    pub places: Vec<(String, String)>,
    pub stickers: Vec<String>,
}

/// Where a component is drawn: (x, y, width, height).
type Drawn = (f64, f64, f64, f64);

/// A component's first drawn rectangle.
fn drawn_at(c: &Value) -> Option<Drawn> {
    let r = &c["representations"][0];
    Some((
        r["position"]["x"].as_f64()?,
        r["position"]["y"].as_f64()?,
        r["size"]["width"].as_f64()?,
        r["size"]["height"].as_f64()?,
    ))
}

fn is_own_zone(c: &Value) -> bool {
    c["id"].is_string() && c["parent"]["trustZone"] == c["id"]
}

fn has_ref_threat(c: &Value) -> bool {
    c["threats"].as_array().is_some_and(|ts| {
        ts.iter()
            .any(|t| t.get("ref").is_some() && t.get("threat").is_none())
    })
}

/// The file rewritten, or `None` when it is not laid out as Devici's.
pub(crate) fn rewrite(root: &Value) -> Option<Rewritten> {
    let components = root.get("components")?.as_array()?;
    let flows = root["dataflows"].as_array().cloned().unwrap_or_default();
    let devici = components.iter().any(|c| {
        matches!(c["type"].as_str(), Some(BOUNDARY_NODE | STICKER_NODE))
            || is_own_zone(c)
            || has_ref_threat(c)
    }) || flows.iter().any(has_ref_threat);
    if !devici {
        return None;
    }
    let zones_key = if root.get("trustzones").is_some() {
        "trustzones"
    } else {
        "trustZones"
    };
    let mut zones = root[zones_key].as_array().cloned().unwrap_or_default();
    let mut kept = vec![];
    let mut places = vec![];
    let mut stickers = vec![];
    let mut boxes: Vec<(Value, Drawn)> = vec![];
    for (i, c) in components.iter().enumerate() {
        match c["type"].as_str() {
            Some(BOUNDARY_NODE) => {
                let mut zone = c.clone();
                if let Some(z) = zone.as_object_mut() {
                    if is_own_zone(c) {
                        z.remove("parent");
                    }
                    z.remove("type");
                }
                if let Some(rect) = drawn_at(c) {
                    boxes.push((c["id"].clone(), rect));
                }
                places.push((
                    format!("/{zones_key}/{}", zones.len()),
                    format!("/components/{i}"),
                ));
                zones.push(zone);
            }
            Some(STICKER_NODE) => {
                let text = c["name"].as_str().or(c["metaData"]["label"].as_str());
                if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
                    stickers.push(text.to_string());
                }
            }
            _ => {
                places.push((
                    format!("/components/{}", kept.len()),
                    format!("/components/{i}"),
                ));
                kept.push(c.clone());
            }
        }
    }
    let mut definitions: Vec<Value> = root["threats"].as_array().cloned().unwrap_or_default();
    rate_out_of_five(&mut definitions);
    // A `ref` read as `threat`: an error there points at the `ref` (these
    // come first, as the more precise places).
    let mut ref_places = vec![];
    for (j, c) in kept.iter_mut().enumerate() {
        if is_own_zone(c) {
            place_in_box(c, &boxes);
        }
        let original = places
            .iter()
            .find(|(new, _)| *new == format!("/components/{j}"))
            .map(|(_, original)| original.clone())
            .unwrap_or_default();
        for k in name_threats(c, &definitions) {
            ref_places.push((
                format!("/components/{j}/threats/{k}/threat"),
                format!("{original}/threats/{k}/ref"),
            ));
        }
    }
    let mut flows = flows;
    for (j, f) in flows.iter_mut().enumerate() {
        for k in name_threats(f, &definitions) {
            ref_places.push((
                format!("/dataflows/{j}/threats/{k}/threat"),
                format!("/dataflows/{j}/threats/{k}/ref"),
            ));
        }
    }
    ref_places.append(&mut places);
    let places = ref_places;
    let mut value = root.clone();
    if root.get("threats").is_some() {
        value["threats"] = Value::Array(definitions);
    }
    value[zones_key] = Value::Array(zones);
    value["components"] = Value::Array(kept);
    if root.get("dataflows").is_some() {
        value["dataflows"] = Value::Array(flows);
    }
    Some(Rewritten {
        value,
        places,
        stickers,
    })
}

/// Puts a component that is its own trust zone in the smallest boundary
/// drawn around its centre, its position made relative to it; in none when
/// no boundary is drawn there.
fn place_in_box(c: &mut Value, boxes: &[(Value, Drawn)]) {
    let around = drawn_at(c).and_then(|(x, y, w, h)| {
        let (cx, cy) = (x + w / 2.0, y + h / 2.0);
        boxes
            .iter()
            .filter(|(_, (bx, by, bw, bh))| {
                cx >= *bx && cx <= bx + bw && cy >= *by && cy <= by + bh
            })
            .min_by(|a, b| (a.1 .2 * a.1 .3).total_cmp(&(b.1 .2 * b.1 .3)))
    });
    match around {
        Some((id, (bx, by, _, _))) => {
            c["parent"] = json!({ "trustZone": id });
            let position = &mut c["representations"][0]["position"];
            if let (Some(x), Some(y)) = (position["x"].as_f64(), position["y"].as_f64()) {
                *position = json!({"x": x - bx, "y": y - by});
            }
        }
        None => {
            if let Some(object) = c.as_object_mut() {
                object.remove("parent");
            }
        }
    }
}

/// `{"ref": <threat id>}` instances as OTM's `{"threat": <id>}`, with the
/// mitigations the threat's definition refers to; the indices rewritten.
fn name_threats(owner: &mut Value, definitions: &[Value]) -> Vec<usize> {
    let mut rewritten = vec![];
    let Some(instances) = owner.get_mut("threats").and_then(Value::as_array_mut) else {
        return rewritten;
    };
    for (k, inst) in instances.iter_mut().enumerate() {
        let (Some(id), None) = (inst.get("ref").cloned(), inst.get("threat")) else {
            continue;
        };
        let mitigations: Vec<Value> = definitions
            .iter()
            .find(|d| d["id"] == id)
            .and_then(|d| d["mitigations"].as_array())
            .into_iter()
            .flatten()
            .filter_map(|m| m.get("ref").or(m.get("mitigation")).cloned())
            .map(|m| json!({ "mitigation": m }))
            .collect();
        let mut named = Map::new();
        named.insert("threat".into(), id);
        if !mitigations.is_empty() {
            named.insert("mitigations".into(), Value::Array(mitigations));
        }
        *inst = Value::Object(named);
        rewritten.push(k);
    }
    rewritten
}

/// Devici rates a threat's likelihood and impact 1 to 5, where OTM rates 0
/// to 100: when no definition rates above 5, each rating is put on OTM's
/// scale (1 is 0, 3 is 50, 5 is 100), and the rating as written stays in
/// the threat's notes ("Likelihood: 3 of 5").
fn rate_out_of_five(definitions: &mut [Value]) {
    let ratings = |d: &Value| {
        ["likelihood", "impact"]
            .into_iter()
            .filter_map(|k| d["risk"][k].as_f64())
            .collect::<Vec<f64>>()
    };
    let all: Vec<f64> = definitions.iter().flat_map(ratings).collect();
    if all.is_empty() || all.iter().any(|v| !(1.0..=5.0).contains(v)) {
        return;
    }
    for d in definitions {
        let Some(risk) = d.get_mut("risk").and_then(Value::as_object_mut) else {
            continue;
        };
        for key in ["likelihood", "impact"] {
            let Some(v) = risk.get(key).and_then(Value::as_f64) else {
                continue;
            };
            risk.insert(key.into(), json!((v - 1.0) * 25.0));
            let comment = format!("{key}Comment");
            if risk
                .get(&comment)
                .and_then(Value::as_str)
                .is_none_or(|c| c.trim().is_empty())
            {
                risk.insert(comment, json!(format!("{v} of 5")));
            }
        }
    }
}

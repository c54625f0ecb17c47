//! Corpus conformance for threat models: every Threat Dragon model
//! (`threat-dragon/*.json` except the schemas), every OTM file
//! (`otm/*.yaml`, `*.yml`, `*.json`, `*.otm`), every pytm file
//! (`pytm/*.json`: models, `--json` reports, `"Element"` lists; threat
//! libraries are skipped) and every Threagile model (`threagile/*.yaml`
//! except the schema; data assets and individual risks are counted too)
//! and every Threat Composer export (`threat-composer/*.json` except the
//! schema; statements and linked mitigations) imports with every element, flow,
//! trust boundary and threat of the source (counted from the raw file here),
//! names preserved, containment computed; Threat Dragon files also round
//! trip (TD -> ours -> TD -> ours is lossless).
//!
//! Data-driven over the folders: new files are tested automatically. When
//! the corpus is absent the test prints a notice and passes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use plasma_exports::threat::{
    detect_format, otm, pytm, threagile, threat_composer, threat_dragon, ThreatFormat,
};
use plasma_models::threat::{ThreatModel, ThreatTarget};
use serde_json::Value;
use uuid::Uuid;

const WS: Uuid = Uuid::from_u128(0x7e57_0000_0000_4000_8000_0000_0000_0001);

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let name = p.file_name().map(|n| n.to_string_lossy().to_lowercase());
                    name.is_some_and(|n| n.ends_with(ext) && !n.contains("schema"))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn all_names(m: &ThreatModel) -> (BTreeSet<String>, BTreeSet<String>) {
    let elements = m
        .diagrams
        .iter()
        .flat_map(|d| d.elements.iter().map(|e| e.name.clone()))
        .collect();
    let flows = m
        .diagrams
        .iter()
        .flat_map(|d| d.flows.iter().map(|f| f.name.clone()))
        .collect();
    (elements, flows)
}

/// Counts of a Threat Dragon file, straight from its JSON.
#[derive(Debug, Default, PartialEq)]
struct TdCounts {
    elements: usize,
    flows: usize,
    boundaries: usize,
    threats: usize,
    element_names: BTreeSet<String>,
    flow_names: BTreeSet<String>,
}

fn td_counts(doc: &Value) -> TdCounts {
    let mut c = TdCounts::default();
    for d in doc["detail"]["diagrams"].as_array().into_iter().flatten() {
        let cells = d
            .get("cells")
            .or_else(|| d.get("diagramJson").and_then(|j| j.get("cells")))
            .and_then(Value::as_array);
        for cell in cells.into_iter().flatten() {
            let kind = cell["shape"]
                .as_str()
                .or_else(|| cell["data"]["type"].as_str())
                .or_else(|| cell["type"].as_str())
                .unwrap_or_default();
            let data = if cell.get("data").is_some() {
                &cell["data"]
            } else {
                cell
            };
            let name = data["name"]
                .as_str()
                .or_else(|| cell["attrs"]["text"]["text"].as_str())
                .unwrap_or_default()
                .to_string();
            let threats = data["threats"]
                .as_array()
                .or_else(|| cell["threats"].as_array())
                .map_or(0, Vec::len);
            let is_edge = cell.get("source").is_some() && cell.get("target").is_some();
            let end = |e: &str| cell[e]["cell"].as_str().or_else(|| cell[e]["id"].as_str());
            let class = match kind {
                "flow" | "tm.Flow" => "flow",
                "trust-boundary-box"
                | "trust-boundary-curve"
                | "trust-broundary-curve"
                | "trust-boundary"
                | "legacy-trust-boundary"
                | "trust-boundary-curve-stencil"
                | "tm.BoundaryBox"
                | "tm.Boundary" => "boundary",
                "td-text-block" | "tm.Text" | "flow-stencil" => "",
                // Threat Dragon's element shapes, its AI agent shapes and
                // the node shapes of forks are elements; their edges flows.
                _ if is_edge => "flow",
                _ if cell.get("position").is_some() => "element",
                _ => "",
            };
            match class {
                "element" => {
                    c.elements += 1;
                    c.threats += threats;
                    c.element_names.insert(name);
                }
                // A loop (an element to itself) is kept as a line of the
                // model description, its threats on the element.
                "flow" if end("source").is_some() && end("source") == end("target") => {
                    c.threats += threats;
                }
                "flow" => {
                    c.flows += 1;
                    c.threats += threats;
                    let label = cell["labels"][0]["attrs"]["text"]["text"]
                        .as_str()
                        .or_else(|| cell["labels"][0]["attrs"]["label"]["text"].as_str())
                        .or_else(|| cell["labels"][0].as_str());
                    let flow_name = match data.get("name") {
                        Some(Value::String(n)) => n.clone(),
                        _ => label.unwrap_or_default().to_string(),
                    };
                    c.flow_names.insert(flow_name);
                }
                "boundary" => c.boundaries += 1,
                _ => {}
            }
        }
    }
    c
}

fn model_counts(m: &ThreatModel) -> (usize, usize, usize, usize) {
    (
        m.diagrams.iter().map(|d| d.elements.len()).sum(),
        m.diagrams.iter().map(|d| d.flows.len()).sum(),
        m.diagrams.iter().map(|d| d.boundaries.len()).sum(),
        m.threats.len(),
    )
}

fn centre_inside(e: &plasma_models::threat::Rect, b: &plasma_models::threat::Rect) -> bool {
    let (x, y) = (e.x + e.width / 2.0, e.y + e.height / 2.0);
    x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height
}

fn check_threat_dragon(path: &Path) {
    let name = path.display().to_string();
    let text = read(path);
    assert_eq!(
        detect_format(&path.file_name().unwrap().to_string_lossy(), &text),
        Some(ThreatFormat::ThreatDragon),
        "{name}"
    );
    let raw: Value = serde_json::from_str(&text).unwrap();
    let want = td_counts(&raw);
    let m = threat_dragon::import(&text, WS).unwrap_or_else(|e| panic!("{name}: {e}"));
    // A flow with an end in the open is kept as a line of the model
    // description (its threats on its element).
    let open_ended: Vec<&str> = m
        .description
        .lines()
        .filter(|l| l.starts_with("Threat Dragon flow ") && l.contains("\") loose ends: "))
        .collect();
    assert_eq!(
        model_counts(&m),
        (
            want.elements,
            want.flows - open_ended.len(),
            want.boundaries,
            want.threats
        ),
        "{name}: elements, flows, boundaries, threats"
    );
    assert!(
        m.validation_errors().is_empty(),
        "{name}: {:?}",
        m.validation_errors()
    );
    let (elements, flows) = all_names(&m);
    assert_eq!(elements, want.element_names, "{name}: element names");
    if open_ended.is_empty() {
        assert_eq!(flows, want.flow_names, "{name}: flow names");
    } else {
        assert!(flows.is_subset(&want.flow_names), "{name}: flow names");
    }
    assert_eq!(
        m.name,
        raw["summary"]["title"].as_str().unwrap_or_default(),
        "{name}"
    );

    // Containment: an element is in the smallest box holding its centre.
    for d in &m.diagrams {
        for e in &d.elements {
            let Some(r) = e.position else { continue };
            let innermost = d
                .boundaries
                .iter()
                .filter(|b| b.position.is_some_and(|br| centre_inside(&r, &br)))
                .min_by(|a, b| {
                    let area = |x: &plasma_models::threat::TrustBoundary| {
                        x.position.map_or(0.0, |p| p.width * p.height)
                    };
                    area(a).total_cmp(&area(b))
                })
                .map(|b| b.id);
            assert_eq!(e.boundary, innermost, "{name}: boundary of {}", e.name);
        }
        for b in d.boundaries.iter().filter(|b| b.position.is_none()) {
            assert!(
                d.elements.iter().all(|e| e.boundary != Some(b.id)),
                "{name}: a boundary line contains nothing"
            );
        }
    }
    // Threats hang on existing elements and flows, none generated.
    for t in &m.threats {
        assert!(m.target_name(&t.target).is_some(), "{name}: {}", t.title);
        assert!(t.rule_id.is_none());
    }

    // Round trip.
    let exported = threat_dragon::export(&m);
    let back = threat_dragon::import(&exported, WS).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(back, m, "{name}: TD -> ours -> TD -> ours");
    let again: Value = serde_json::from_str(&exported).unwrap();
    assert_eq!(
        td_counts(&again).threats,
        want.threats,
        "{name}: export keeps threats"
    );
    // Re-import is stable.
    assert_eq!(threat_dragon::import(&text, WS).unwrap(), m, "{name}");
}

/// Items of a top-level YAML block sequence (`key:` then `- ` lines), and
/// the `- threat:` lines inside it, by plain line reading.
fn yaml_section(text: &str, key: &str) -> (usize, usize, Vec<String>) {
    let mut inside = false;
    let mut items = 0;
    let mut threats = 0;
    let mut names = vec![];
    let mut item_indent: Option<usize> = None;
    for line in text.lines() {
        if !line.starts_with(' ') && !line.starts_with('-') && !line.trim().is_empty() {
            inside = line.trim_end() == format!("{key}:");
            item_indent = None;
            continue;
        }
        if !inside {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("- ") {
            let first = *item_indent.get_or_insert(indent);
            if indent == first {
                items += 1;
                if let Some(n) = rest.strip_prefix("name:") {
                    names.push(n.trim().to_string());
                }
            } else if rest.starts_with("threat:") {
                threats += 1;
            }
        } else if item_indent.is_some_and(|i| indent == i + 2) {
            if let Some(n) = trimmed.strip_prefix("name:") {
                names.push(n.trim().to_string());
            }
        }
    }
    (items, threats, names)
}

/// Names of the dataflows (OTM) or flows (pytm) from an element to itself:
/// kept as lines of the model description, not as flows.
fn loop_names(flows: Option<&Value>, from: &str, to: &str) -> BTreeSet<String> {
    flows
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|f| {
            let end = |k: &str| {
                f[k].as_str()
                    .map(str::to_string)
                    .or_else(|| f[k]["name"].as_str().map(str::to_string))
                    .or_else(|| f[k]["$ref"].as_str().map(str::to_string))
            };
            end(from).is_some() && end(from) == end(to)
        })
        .filter_map(|f| f["name"].as_str().map(str::to_string))
        .collect()
}

fn check_otm(path: &Path) {
    let name = path.display().to_string();
    let text = read(path);
    assert_eq!(
        detect_format(&path.file_name().unwrap().to_string_lossy(), &text),
        Some(ThreatFormat::Otm),
        "{name}"
    );
    let m = otm::import(&text, WS).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (zones, _, zone_names) = yaml_section(&text, "trustZones");
    let (components, component_threats, component_names) = yaml_section(&text, "components");
    let (flows, flow_threats, flow_names) = yaml_section(&text, "dataflows");
    let (assets, _, _) = yaml_section(&text, "assets");
    let raw: Value = serde_yaml_ng::from_str(&text).unwrap();
    let loops = loop_names(
        raw.get("dataflows"),
        if raw["dataflows"][0].get("from").is_some() {
            "from"
        } else {
            "source"
        },
        if raw["dataflows"][0].get("to").is_some() {
            "to"
        } else {
            "destination"
        },
    );
    let flow_names: Vec<String> = flow_names
        .into_iter()
        .filter(|n| !loops.contains(n))
        .collect();
    assert_eq!(
        model_counts(&m),
        (
            components,
            flows - loops.len(),
            zones,
            component_threats + flow_threats
        ),
        "{name}: components, dataflows, trust zones, threat instances"
    );
    assert_eq!(m.data_assets.len(), assets, "{name}: assets");
    let (elements, model_flows) = all_names(&m);
    assert_eq!(
        elements,
        component_names.into_iter().collect::<BTreeSet<_>>(),
        "{name}"
    );
    assert_eq!(
        model_flows,
        flow_names.into_iter().collect::<BTreeSet<_>>(),
        "{name}"
    );
    let boundary_names: BTreeSet<String> = m.diagrams[0]
        .boundaries
        .iter()
        .map(|b| b.name.clone())
        .collect();
    assert_eq!(
        boundary_names,
        zone_names.into_iter().collect::<BTreeSet<_>>(),
        "{name}"
    );
    assert!(
        m.validation_errors().is_empty(),
        "{name}: {:?}",
        m.validation_errors()
    );
    // Every component with a parent trust zone is contained.
    let contained = m.diagrams[0]
        .elements
        .iter()
        .filter(|e| e.boundary.is_some())
        .count();
    let with_zone = text
        .lines()
        .filter(|l| l.trim_start().starts_with("trustZone:"))
        .count();
    assert!(
        contained > 0 && contained <= with_zone,
        "{name}: containment"
    );
    assert_eq!(otm::import(&text, WS).unwrap(), m, "{name}: stable");
}

/// An OTM file in JSON (or `.otm` YAML): counted from its structure.
fn check_otm_structure(path: &Path) {
    let name = path.display().to_string();
    let text = read(path);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let raw: Value = if trimmed.starts_with('{') {
        serde_json::from_str(trimmed).unwrap()
    } else {
        serde_yaml_ng::from_str(&text).unwrap()
    };
    let m = otm::import(&text, WS).unwrap_or_else(|e| panic!("{name}: {e}"));
    let list = |k: &str| -> Vec<Value> {
        raw.get(k)
            .or_else(|| {
                if k == "trustZones" {
                    raw.get("trustzones")
                } else {
                    None
                }
            })
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let names = |k: &str| -> BTreeSet<String> {
        list(k)
            .iter()
            .filter_map(|v| v["name"].as_str().map(str::to_string))
            .collect()
    };
    let instances = |k: &str| -> usize {
        list(k)
            .iter()
            .map(|v| v["threats"].as_array().map_or(0, Vec::len))
            .sum()
    };
    let (elements, flows, zones, threats) = model_counts(&m);
    let loops = loop_names(raw.get("dataflows"), "source", "destination");
    assert_eq!(
        (elements, flows, threats),
        (
            list("components").len(),
            list("dataflows").len() - loops.len(),
            instances("components") + instances("dataflows")
        ),
        "{name}: components, dataflows, threat instances"
    );
    // Every defined zone is a boundary (a zone named but never defined is
    // one more).
    assert!(zones >= list("trustZones").len(), "{name}: trust zones");
    assert_eq!(m.data_assets.len(), list("assets").len(), "{name}: assets");
    let (element_names, flow_names) = all_names(&m);
    assert_eq!(element_names, names("components"), "{name}");
    assert_eq!(flow_names, &names("dataflows") - &loops, "{name}");
    let with_zone = list("components")
        .iter()
        .filter(|c| c["parent"]["trustZone"].is_string())
        .count();
    let contained = m.diagrams[0]
        .elements
        .iter()
        .filter(|e| e.boundary.is_some())
        .count();
    assert!(contained >= with_zone, "{name}: containment");
    valid_stable_and_round_trips(&name, &m, otm::import(&text, WS).unwrap());
}

/// A pytm file in a layout other than the model object with `elements`:
/// pytm's `--json` report (`actors`, `assets`) or its `"Element"` list.
fn check_pytm_other(path: &Path, raw: &Value) {
    let name = path.display().to_string();
    let text = read(path);
    let m = pytm::import(&text, WS).unwrap_or_else(|e| panic!("{name}: {e}"));
    let class = |v: &Value| {
        v["Element"]
            .as_str()
            .or_else(|| v["__class__"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    let (mut elements, mut flows, mut boundaries) = (0, 0, 0);
    match raw {
        Value::Array(list) => {
            for v in list {
                match class(v).as_str() {
                    "TM" => {}
                    "Boundary" => boundaries += 1,
                    "Dataflow"
                        if v["source"]["$ref"].is_string()
                            && v["source"]["$ref"] == v["sink"]["$ref"] => {}
                    "Dataflow" => flows += 1,
                    _ => elements += 1,
                }
            }
        }
        _ => {
            for k in ["actors", "assets", "elements"] {
                for v in raw[k].as_array().into_iter().flatten() {
                    if class(v) == "Boundary" {
                        boundaries += 1;
                    } else {
                        elements += 1;
                    }
                }
            }
            boundaries += raw["boundaries"].as_array().map_or(0, Vec::len);
            flows = raw["flows"].as_array().map_or(0, Vec::len)
                - loop_names(raw.get("flows"), "source", "sink").len();
        }
    }
    let (e, f, b, _) = model_counts(&m);
    assert_eq!(
        (e, f, b),
        (elements, flows, boundaries),
        "{name}: elements, flows, boundaries"
    );
    assert!(
        m.validation_errors().is_empty(),
        "{name}: {:?}",
        m.validation_errors()
    );
}

fn check_pytm(path: &Path) {
    let name = path.display().to_string();
    let text = read(path);
    assert_eq!(
        detect_format(&path.file_name().unwrap().to_string_lossy(), &text),
        Some(ThreatFormat::Pytm),
        "{name}"
    );
    let raw: Value = serde_json::from_str(&text).unwrap();
    if raw.is_array() || raw.get("elements").is_none() {
        return check_pytm_other(path, &raw);
    }
    let m = pytm::import(&text, WS).unwrap_or_else(|e| panic!("{name}: {e}"));
    let len = |k: &str| raw[k].as_array().map_or(0, Vec::len);
    let names = |k: &str| -> BTreeSet<String> {
        raw[k]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v["name"].as_str().map(str::to_string))
            .collect()
    };
    let loops = loop_names(raw.get("flows"), "source", "sink");
    assert_eq!(
        model_counts(&m),
        (
            len("elements"),
            len("flows") - loops.len(),
            len("boundaries"),
            len("findings")
        ),
        "{name}"
    );
    assert_eq!(m.data_assets.len(), len("data"), "{name}");
    let (elements, flows) = all_names(&m);
    assert_eq!(elements, names("elements"), "{name}");
    assert_eq!(flows, &names("flows") - &loops, "{name}");
    let d = &m.diagrams[0];
    for e in raw["elements"].as_array().into_iter().flatten() {
        let el = d
            .elements
            .iter()
            .find(|x| Some(x.name.as_str()) == e["name"].as_str())
            .unwrap();
        let boundary = el
            .boundary
            .and_then(|b| d.boundary(b))
            .map(|b| b.name.as_str());
        assert_eq!(boundary, e["inBoundary"].as_str(), "{name}: {}", el.name);
    }
    for t in &m.threats {
        assert!(matches!(
            t.target,
            ThreatTarget::Element(_) | ThreatTarget::Flow(_)
        ));
    }
    assert!(
        m.validation_errors().is_empty(),
        "{name}: {:?}",
        m.validation_errors()
    );
}

/// Text without HTML tags, whitespace squashed (Threagile writes `<b>` into
/// risk titles; the import drops the tags).
fn without_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The imported model is valid, importing the file again gives the same
/// model, and it goes through Threat Dragon JSON with every element, flow,
/// boundary and threat.
fn valid_stable_and_round_trips(name: &str, m: &ThreatModel, again: ThreatModel) {
    assert!(
        m.validation_errors().is_empty(),
        "{name}: {:?}",
        m.validation_errors()
    );
    assert_eq!(&again, m, "{name}: stable");
    let exported = threat_dragon::export(m);
    let back = threat_dragon::import(&exported, WS).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        model_counts(&back),
        model_counts(m),
        "{name}: via Threat Dragon"
    );
}

fn check_threagile(path: &Path) {
    let name = path.display().to_string();
    let text = read(path);
    assert_eq!(
        detect_format(&path.file_name().unwrap().to_string_lossy(), &text),
        Some(ThreatFormat::Threagile),
        "{name}"
    );
    let mut raw: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    raw.apply_merge().unwrap();
    // The raw file's sections as (key, value) in file order.
    let section = |v: &serde_yaml_ng::Value, k: &str| -> Vec<(String, serde_yaml_ng::Value)> {
        v.get(k)
            .and_then(|s| s.as_mapping())
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), v.clone()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let str_of = |v: &serde_yaml_ng::Value, k: &str| -> String {
        v.get(k)
            .and_then(|x| x.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let ids = |v: &serde_yaml_ng::Value, k: &str| -> Vec<String> {
        v.get(k)
            .and_then(|x| x.as_sequence())
            .map(|s| {
                s.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let assets = section(&raw, "technical_assets");
    let boundaries = section(&raw, "trust_boundaries");
    let data = section(&raw, "data_assets");
    let mut links = vec![];
    for (_, a) in &assets {
        for (title, l) in section(a, "communication_links") {
            if str_of(&l, "target") != str_of(a, "id") {
                links.push(title);
            }
        }
    }
    // Individual risks: a threat each when they name something to attach
    // it to, else a line of the model description.
    let (risks, loose): (Vec<_>, Vec<_>) = section(&raw, "individual_risk_categories")
        .iter()
        .flat_map(|(_, c)| section(c, "risks_identified"))
        .partition(|(_, r)| {
            [
                "most_relevant_technical_asset",
                "most_relevant_communication_link",
                "most_relevant_trust_boundary",
                "most_relevant_shared_runtime",
            ]
            .iter()
            .any(|k| !str_of(r, k).trim().is_empty())
                || !ids(r, "data_breach_technical_assets").is_empty()
        });
    let risks: Vec<String> = risks.iter().map(|(t, _)| without_tags(t)).collect();

    let m = threagile::import(&text, WS).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(m.name, str_of(&raw, "title").trim(), "{name}: title");
    let (elements, flows, zones, threats) = model_counts(&m);
    // A risk-tracking decision on a built-in Threagile rule is a threat too;
    // each names its entry in its first note line.
    let tracked: BTreeSet<String> = section(&raw, "risk_tracking")
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let decided = m
        .threats
        .iter()
        .filter(|t| t.description.starts_with("Threagile's built-in rule"))
        .inspect(|t| {
            let first = t.notes.lines().next().unwrap_or_default();
            let id = first.strip_prefix("Threagile risk ").unwrap_or_default();
            assert!(
                tracked.contains(id),
                "{name}: {} names no tracking entry",
                t.title
            );
        })
        .count();
    assert_eq!(
        (elements, flows, zones, m.data_assets.len(), threats - decided),
        (
            assets.len(),
            links.len(),
            boundaries.len(),
            data.len(),
            risks.len()
        ),
        "{name}: technical assets, communication links, trust boundaries, data assets, individual risks"
    );
    let (element_names, flow_names) = all_names(&m);
    let keys = |v: &[(String, serde_yaml_ng::Value)]| -> BTreeSet<String> {
        v.iter().map(|(k, _)| k.trim().to_string()).collect()
    };
    assert_eq!(element_names, keys(&assets), "{name}: asset names");
    assert_eq!(
        flow_names,
        links.iter().map(|l| l.trim().to_string()).collect(),
        "{name}: link names"
    );
    let boundary_names: BTreeSet<String> = m.diagrams[0]
        .boundaries
        .iter()
        .map(|b| b.name.clone())
        .collect();
    assert_eq!(boundary_names, keys(&boundaries), "{name}: boundary names");
    let data_names: BTreeSet<String> = m.data_assets.iter().map(|a| a.name.clone()).collect();
    assert_eq!(data_names, keys(&data), "{name}: data asset names");
    let threat_titles: BTreeSet<String> = m
        .threats
        .iter()
        .filter(|t| !t.description.starts_with("Threagile's built-in rule"))
        .map(|t| t.title.clone())
        .collect();
    assert_eq!(
        threat_titles,
        risks.iter().cloned().collect(),
        "{name}: individual risk titles"
    );

    // Containment and nesting as the file says: each asset inside its
    // boundary or a boundary nested in it; each nested boundary's parent.
    let d = &m.diagrams[0];
    let by_name = |n: &str| d.boundaries.iter().find(|b| b.name == n).unwrap();
    let boundary_of_id = |id: &str| {
        let (title, _) = boundaries
            .iter()
            .find(|(_, b)| str_of(b, "id") == id)
            .unwrap();
        by_name(title.trim())
    };
    for (title, b) in &boundaries {
        let this = by_name(title.trim());
        for nested in ids(b, "trust_boundaries_nested") {
            assert_eq!(
                boundary_of_id(&nested).parent,
                Some(this.id),
                "{name}: {nested} nested in {title}"
            );
        }
        for asset in ids(b, "technical_assets_inside") {
            let (asset_title, _) = assets
                .iter()
                .find(|(_, a)| str_of(a, "id") == asset)
                .unwrap();
            let e = d
                .elements
                .iter()
                .find(|e| e.name == asset_title.trim())
                .unwrap();
            let mut cur = e.boundary;
            let mut found = false;
            while let Some(id) = cur {
                if id == this.id {
                    found = true;
                    break;
                }
                cur = d.boundary(id).and_then(|b| b.parent);
            }
            assert!(found, "{name}: {asset} inside {title}");
        }
    }
    let out_of_scope = assets
        .iter()
        .filter(|(_, a)| a.get("out_of_scope").and_then(|v| v.as_bool()) == Some(true))
        .count();
    assert_eq!(
        d.elements
            .iter()
            .filter(|e| e.out_of_scope.is_some())
            .count(),
        out_of_scope,
        "{name}: out of scope"
    );
    for (title, _) in &loose {
        assert!(
            m.description.contains(&without_tags(title)),
            "{name}: risk {title}"
        );
    }
    // Every risk-tracking decision is kept (built-in rules as text).
    for (id, _) in section(&raw, "risk_tracking") {
        assert!(
            m.description.contains(id.trim()),
            "{name}: risk tracking {id}"
        );
    }
    valid_stable_and_round_trips(&name, &m, threagile::import(&text, WS).unwrap());
}

#[test]
fn threat_model_corpus_imports_completely() {
    let Some(corpus) = crate::support::corpus() else {
        return;
    };
    let mut checked = 0;
    for path in files(&corpus.join("threat-dragon"), ".json") {
        check_threat_dragon(&path);
        checked += 1;
    }
    for ext in [".yaml", ".yml"] {
        for path in files(&corpus.join("otm"), ext) {
            check_otm(&path);
            checked += 1;
        }
    }
    for ext in [".json", ".otm"] {
        for path in files(&corpus.join("otm"), ext) {
            check_otm_structure(&path);
            checked += 1;
        }
    }
    // pytm's model files, its report and its "Element" lists; its threat
    // library is not a model.
    for path in files(&corpus.join("pytm"), ".json") {
        let text = read(&path);
        if text.contains("\"SID\"") && text.contains("\"condition\"") {
            continue;
        }
        check_pytm(&path);
        checked += 1;
    }
    for ext in [".yaml", ".yml"] {
        for path in files(&corpus.join("threagile"), ext) {
            check_threagile(&path);
            checked += 1;
        }
    }
    for path in files(&corpus.join("threat-composer"), ".json") {
        check_threat_composer(&path);
        checked += 1;
    }
    eprintln!("checked {checked} threat-model corpus files");
}

/// Every threat statement arrives as a threat (in file order, its statement
/// the title), every mitigation linked to one of them arrives on it, and the
/// model survives a Threat Dragon round trip with its threats.
fn check_threat_composer(path: &Path) {
    let name = path.display().to_string();
    let text = read(path);
    assert_eq!(
        detect_format(&path.file_name().unwrap().to_string_lossy(), &text),
        Some(ThreatFormat::ThreatComposer),
        "{name}"
    );
    let raw: Value = serde_json::from_str(&text).unwrap();
    let m = threat_composer::import(&text, WS).unwrap_or_else(|e| panic!("{name}: {e}"));
    let threats: Vec<_> = m.threats.iter().collect();
    let raw_threats = raw["threats"].as_array().cloned().unwrap_or_default();
    assert_eq!(threats.len(), raw_threats.len(), "{name}: threats");
    for (t, r) in threats.iter().zip(&raw_threats) {
        if let Some(statement) = r["statement"].as_str() {
            assert_eq!(t.title, statement.trim(), "{name}: statement");
        }
    }
    let mitigation_text: std::collections::HashMap<&str, &str> = raw["mitigations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| Some((m["id"].as_str()?, m["content"].as_str()?)))
        .collect();
    for link in raw["mitigationLinks"].as_array().into_iter().flatten() {
        let (Some(threat_id), Some(mitigation_id)) =
            (link["linkedId"].as_str(), link["mitigationId"].as_str())
        else {
            continue;
        };
        let Some(i) = raw_threats.iter().position(|t| t["id"] == threat_id) else {
            continue; // a link to a threat the file does not have: kept as a note
        };
        let Some(content) = mitigation_text.get(mitigation_id).map(|c| c.trim()) else {
            continue; // a link to a mitigation the file does not have: kept as a note
        };
        assert!(
            threats[i]
                .mitigations
                .iter()
                .any(|m| m.title.starts_with(content)),
            "{name}: mitigation {mitigation_id} on threat {threat_id}"
        );
    }
    let td = threat_dragon::export(&m);
    let back = threat_dragon::import(&td, WS).unwrap_or_else(|e| panic!("{name}: {e}"));
    let titles = |m: &ThreatModel| -> BTreeSet<String> {
        m.threats.iter().map(|t| t.title.clone()).collect()
    };
    assert_eq!(
        titles(&back),
        titles(&m),
        "{name}: Threat Dragon round trip"
    );
}

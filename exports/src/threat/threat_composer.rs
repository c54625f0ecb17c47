//! AWS Threat Composer import (the `.tc.json` workspace export, schema 1).
//!
//! Threat Composer writes threat *statements*, mitigations and assumptions,
//! linked to each other; its architecture and data-flow diagrams are images
//! (often stripped from shared files). Here a threat must be about an
//! element or a flow, so:
//!
//! - the model is named after `applicationInfo.name` (trimmed; "Threat
//!   Composer model" when empty) and has one diagram with **one process
//!   element standing for the application** (named like the model, else
//!   "Application"); every threat is on it. An element per impacted asset
//!   was considered and rejected: impacted assets are data ("threats",
//!   "application metadata"), not components, and a statement names several
//!   of them, so a threat would have to be split or put on one of them
//!   arbitrarily;
//! - a threat pack or mitigation pack (`type` `threat-pack` /
//!   `mitigation-pack`, no `applicationInfo`) is named after its top-level
//!   `name`, its `description` opens the model description and a line
//!   names the pack; its items' `numericId` -1 is no number, so they are
//!   referred to by their ids; a pack's metadata file (`type`
//!   `threat-pack-metadata` / `mitigation-pack-metadata`: an id, a name and
//!   the `path` of the workspace it is made from) holds no threats and is
//!   refused, naming that workspace;
//! - `applicationInfo.description` (Markdown) opens the model description,
//!   where the report shows it first; the `architecture` and `dataflow`
//!   descriptions (Markdown) are the element's description, under
//!   "### Architecture" and "### Data flow" headings (the file's own
//!   headings moved below them, the shallowest to `####`, fenced code left
//!   as it is). A diagram image given
//!   as an `http(s)` URL is kept as a link line; an embedded (base64) image
//!   is not imported, and a line says so;
//! - every distinct `impactedAssets` entry (compared without case) becomes a
//!   data asset of the model (classification internal, ratings medium:
//!   Threat Composer records neither); elements do not carry data here, so
//!   the assets are the model's and each threat's description names its own;
//! - each threat is a threat on the application element. Its title is the
//!   full `statement`; when the file has none it is composed as Threat
//!   Composer does ("A {threatSource} {prerequisites} can {threatAction},
//!   which leads to {threatImpact}, resulting in reduced {impactedGoal} of
//!   {impactedAssets}", or the threat's `customTemplate`, with "An" before a
//!   vowel, goals joined with "and/or" and assets with "and", missing parts
//!   left out as Threat Composer's eight templates do). The description lists
//!   the statement's parts (source, prerequisites, action, impact, goals,
//!   assets), one line each;
//! - the category is the first letter of the `STRIDE` metadata (the others
//!   are kept in the notes as `STRIDE: T, I`); without STRIDE metadata it
//!   comes from the first tag that names one (`STRIDE-S`, `STRIDE:T`,
//!   `Tampering`: authors who leave the STRIDE field empty tag threats so),
//!   else from the first impacted goal (confidentiality is information
//!   disclosure, integrity tampering, availability denial of service), and
//!   the notes say which;
//! - `Priority` High / Medium / Low is the severity of that name (likelihood
//!   high, medium or low, impact medium: a High priority is high, not
//!   critical, as the Threat Composer author counts it); medium when absent;
//!   an unknown value is kept in the notes;
//! - `status`: `threatIdentified` (or none) is open, `threatResolved`
//!   mitigated (accepted when a tag says `Accepted` or `Risk accepted`, as
//!   teams mark a risk they resolved by accepting it), `threatResolvedNotUseful`
//!   not applicable; an unknown status is open and kept in the notes;
//! - the notes start with the Threat Composer reference (`Threat Composer
//!   T-0022`, the `numericId` padded as Threat Composer shows it), then the
//!   tags (`Tags: XSS, MiTM`), `Comments`, every other metadata entry as
//!   `key: value` (custom `custom:*` keys, threat-pack ids), the custom
//!   template, the linked assumptions (`Assumption A-0003: ...`) and what a
//!   linked mitigation carries beyond its title (comments, tags, metadata,
//!   its own assumptions);
//! - `mitigationLinks` put each mitigation on the threats it is linked to
//!   (a mitigation linked to several threats is on each, with an id of its
//!   own per threat), in link order, once per threat. The title is the
//!   mitigation's `content`; `mitigationIdentified` (or none) is planned,
//!   `mitigationInProgress` in progress, `mitigationResolved` done, and
//!   `mitigationResolvedWillNotAction` planned with " (will not action)"
//!   after the title, so no report shows a mitigation nobody will build as
//!   done;
//! - `assumptionLinks` of type `Threat` put the assumption in that threat's
//!   notes; of type `Mitigation` in the notes of every threat carrying the
//!   mitigation. Every assumption is also listed, with its comments, tags,
//!   metadata and links, under "### Assumptions" in the model description,
//!   so none is lost, linked or not;
//! - mitigations linked to no threat of the file are listed (status,
//!   comments, tags, metadata) under "### Mitigations not linked to a
//!   threat" in the model description;
//! - a link naming an id the file does not hold (Threat Composer keeps such
//!   links after a deletion, and its own example has some) is not an error:
//!   it is a line, with the link's JSON pointer, under "### Links to items
//!   not in the file" in the model description, and a note on the threat
//!   when the other end is a threat of the file;
//! - the `brainstorm` lists are kept under "### Brainstorm" in the model
//!   description (content, author and time).
//!
//! Threats are kept in file order. Ids are UUID v5 in [`NAMESPACE`]: the
//! model's of the workspace and the model name, the rest of the model's id
//! and the Threat Composer ids, so importing the same file again gives the
//! same ids. Wrong types (`threats` not an array, a statement part not a
//! string, a `STRIDE` value not letters) are errors with the JSON pointer of
//! the value.

use std::collections::{HashMap, HashSet};

use plasma_models::threat::{
    Classification, DataAsset, Diagram, Element, ElementKind, Mitigation, MitigationStatus, Rating,
    Stride, Threat, ThreatModel, ThreatStatus, ThreatTarget,
};
use serde_json::Value;
use uuid::Uuid;

use super::json::{looks_like, parse_json, stable_id, type_name, Node};
use super::text::{category_from_name, category_from_tag, no_expiry, one_line};
use super::threat_dragon::rating_pair;
use super::ImportError;

/// Namespace of the ids of imported Threat Composer models.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x1c75_b847_d582_4dcd_b5bc_e022_8dc6_33b4);

/// The keys of a Threat Composer export that say what it is.
const CONTENT_KEYS: [&str; 4] = ["threats", "mitigations", "assumptions", "applicationInfo"];

/// Whether a parsed JSON document is a Threat Composer export: an object
/// with a numeric `schema` and at least one of `threats`, `mitigations`,
/// `assumptions` or `applicationInfo`, or Threat Composer's `namespace`
/// (its packs' metadata files, which the import names).
pub fn looks_like_threat_composer(value: &Value) -> bool {
    let Some(map) = value.as_object() else {
        return false;
    };
    (map.get("schema").is_some_and(Value::is_number)
        && (CONTENT_KEYS.iter().any(|k| map.contains_key(*k))
            || map.get("namespace").and_then(Value::as_str) == Some("threat-composer")))
        || is_mcp_server_model(value)
}

/// Whether a document is the threat model AWS's Threat Modeling MCP Server
/// writes as `threat-model.tc.json` (`"schema": "threat-composer"`, threats
/// with `threat_source`, `category`, `severity`, components and connections
/// under `architecture`), which Threat Composer itself does not read.
fn is_mcp_server_model(value: &Value) -> bool {
    value.get("schema").and_then(Value::as_str) == Some("threat-composer")
        && value.get("threats").is_some_and(Value::is_array)
}

/// `key: value` lines for every entry of an object (a section the MCP
/// server writes that Threat Composer has no field for).
fn object_lines(node: Option<Node<'_>>) -> Result<Vec<String>, ImportError> {
    let Some(node) = node else {
        return Ok(vec![]);
    };
    Ok(node
        .object()?
        .iter()
        .map(|(k, v)| format!("{k}: {}", value_text(v)))
        .filter(|l| !l.ends_with(": "))
        .collect())
}

/// A status the MCP server writes, as lower-case words (`in_progress` is
/// "in progress").
fn status_words(status: &str) -> String {
    status.trim().to_ascii_lowercase().replace(['_', '-'], " ")
}

/// Text, unless it is blank.
fn non_empty(text: &str) -> Option<&str> {
    Some(text).filter(|t| !t.trim().is_empty())
}

/// A threat source without its leading "A " or "An ".
fn without_article(source: &str) -> &str {
    let trimmed = source.trim_start();
    for article in ["A ", "An ", "a ", "an "] {
        if let Some(rest) = trimmed.strip_prefix(article) {
            return rest.trim_start();
        }
    }
    source
}

/// The MCP server's model as a Threat Composer export: the title and
/// business context are the application info, components and connections
/// lines of the architecture description, each threat's parts, category
/// (as STRIDE metadata), severity (as the priority), status and affected
/// components (as impacted assets) Threat Composer's fields, whatever else
/// it carries metadata (so notes), and the mitigations listed on a threat or
/// naming the threats they address its mitigation links.
fn from_mcp_server(root: &Node<'_>) -> Result<Value, ImportError> {
    use serde_json::json;
    let meta = root.child("metadata");
    let title = match &meta {
        Some(m) => m.opt_str("title")?.unwrap_or(""),
        None => "",
    };
    let context = root.child("businessContext");
    let mut description = vec![];
    if let Some(c) = &context {
        description.extend(c.opt_str("description")?.map(str::to_string));
    }
    let context_lines: Vec<String> = object_lines(context)?
        .into_iter()
        .filter(|l| !l.starts_with("description: "))
        .collect();
    let mut lines = context_lines;
    lines.extend(
        object_lines(meta)?
            .into_iter()
            .filter(|l| !l.starts_with("title: ")),
    );
    if !lines.is_empty() {
        description.push(lines.join("\n"));
    }

    let mut names: HashMap<String, String> = HashMap::new();
    let mut architecture = vec![];
    if let Some(arch) = root.child("architecture") {
        let components = arch.array("components")?;
        if !components.is_empty() {
            architecture.push("Components:".to_string());
        }
        for c in &components {
            let id = c.opt_scalar_text("id")?.unwrap_or_default();
            let name = c.opt_str("name")?.unwrap_or(&id).to_string();
            let kind: Vec<&str> = ["type", "service_provider", "specific_service"]
                .iter()
                .filter_map(|k| c.get(k).and_then(Value::as_str))
                .filter(|v| !v.trim().is_empty())
                .collect();
            let about = c.str_or_empty("description")?;
            architecture.push(format!(
                "- {id} {name} ({}){}",
                kind.join(", "),
                if about.is_empty() {
                    String::new()
                } else {
                    format!(": {about}")
                }
            ));
            names.insert(id, name);
        }
        let connections = arch.array("connections")?;
        if !connections.is_empty() {
            architecture.push("Connections:".to_string());
        }
        for c in &connections {
            let end = |key: &str| -> Result<String, ImportError> {
                let id = c.opt_scalar_text(key)?.unwrap_or_default();
                Ok(names.get(&id).cloned().unwrap_or(id))
            };
            let mut how = vec![];
            how.extend(c.opt_scalar_text("protocol")?);
            how.extend(c.opt_scalar_text("port")?.map(|p| format!("port {p}")));
            if let Some(enc) = c.get("encryption").and_then(Value::as_bool) {
                how.push(if enc { "encrypted" } else { "not encrypted" }.to_string());
            }
            let about = c.str_or_empty("description")?;
            architecture.push(format!(
                "- {} \u{2192} {} ({}){}",
                end("source")?,
                end("destination")?,
                how.join(", "),
                if about.is_empty() {
                    String::new()
                } else {
                    format!(": {about}")
                }
            ));
        }
    }

    let mut links: Vec<(String, String)> = vec![];
    let mut threats = vec![];
    const THREAT_KEYS: [&str; 11] = [
        "id",
        "threat_source",
        "prerequisites",
        "threat_action",
        "threat_impact",
        "impacted_goal",
        "category",
        "severity",
        "status",
        "affected_components",
        "mitigations",
    ];
    for t in root.req_array("threats")? {
        t.object()?;
        let id = t.opt_scalar_text("id")?.unwrap_or_default();
        let mut metadata = vec![];
        let category = t.str_or_empty("category")?;
        match category_from_name(category) {
            (stride, true) => {
                metadata.push(json!({"key": "STRIDE", "value": [&stride.label()[..1]]}))
            }
            _ if !category.trim().is_empty() => {
                metadata.push(json!({"key": "Category", "value": category}))
            }
            _ => {}
        }
        if let Some(severity) = t.opt_str("severity")? {
            metadata.push(json!({"key": "Priority", "value": severity}));
        }
        for (k, v) in t.object()? {
            if !THREAT_KEYS.contains(&k.as_str()) {
                metadata.push(json!({"key": k, "value": value_text(v)}));
            }
        }
        let status = t.str_or_empty("status")?;
        let status = match status_words(status).as_str() {
            "" | "open" | "identified" => "threatIdentified".to_string(),
            "mitigated" | "resolved" | "closed" => "threatResolved".to_string(),
            "not applicable" | "not useful" => "threatResolvedNotUseful".to_string(),
            _ => status.to_string(),
        };
        let assets: Vec<String> = t
            .str_array("affected_components")?
            .into_iter()
            .map(|c| names.get(c).cloned().unwrap_or_else(|| c.to_string()))
            .collect();
        let source = t.str_or_empty("threat_source")?;
        let prerequisites = t.str_or_empty("prerequisites")?;
        let action = t.str_or_empty("threat_action")?;
        let impact = t.str_or_empty("threat_impact")?;
        let goals = t.str_array("impacted_goal")?;
        // Threat Composer's statement puts "A" before the source; the MCP
        // server's source has its own ("An attacker with ..."), which the
        // source part keeps.
        let statement = compose(
            &Parts {
                source: non_empty(without_article(source)),
                prerequisites: non_empty(prerequisites),
                action: non_empty(action),
                impact: non_empty(impact),
                goals: goals.clone(),
                assets: assets.iter().map(String::as_str).collect(),
            },
            None,
        );
        for m in t.str_array("mitigations")? {
            push_unique(&mut links, (m.to_string(), id.clone()));
        }
        let number: String = id.chars().filter(char::is_ascii_digit).collect();
        threats.push(json!({
            "id": id,
            "numericId": number.parse::<u64>().ok(),
            "statement": statement,
            "threatSource": source,
            "prerequisites": prerequisites,
            "threatAction": action,
            "threatImpact": impact,
            "impactedGoal": goals,
            "impactedAssets": assets,
            "status": status,
            "metadata": metadata,
        }));
    }
    let threat_ids: HashSet<String> = threats
        .iter()
        .filter_map(|t| t.get("id").and_then(Value::as_str).map(str::to_string))
        .collect();
    let mut mitigations = vec![];
    for m in root.array("mitigations")? {
        m.object()?;
        let id = m.opt_scalar_text("id")?.unwrap_or_default();
        // A threat it names that the file does not hold stays in its
        // metadata (`addresses_threats: T001, T003`), not as a link.
        for t in m.str_array("addresses_threats")? {
            if threat_ids.contains(t) {
                push_unique(&mut links, (id.clone(), t.to_string()));
            }
        }
        let metadata: Vec<Value> = m
            .object()?
            .iter()
            .filter(|(k, _)| !["id", "content", "status"].contains(&k.as_str()))
            .map(|(k, v)| json!({"key": k, "value": value_text(v)}))
            .collect();
        let status = m.str_or_empty("status")?;
        let status = match status_words(status).as_str() {
            "implemented" | "resolved" | "done" | "mitigated" => "mitigationResolved",
            "in progress" => "mitigationInProgress",
            "planned" | "identified" | "open" => "mitigationIdentified",
            _ => status,
        };
        let number: String = id.chars().filter(char::is_ascii_digit).collect();
        mitigations.push(json!({
            "id": id,
            "numericId": number.parse::<u64>().ok(),
            "content": m.str_or_empty("content")?,
            "status": status,
            "metadata": metadata,
        }));
    }
    let links: Vec<Value> = links
        .into_iter()
        .map(|(m, t)| json!({"mitigationId": m, "linkedId": t}))
        .collect();
    Ok(json!({
        "schema": 1,
        "applicationInfo": {"name": title, "description": description.join("\n\n")},
        "architecture": {"description": architecture.join("\n")},
        "threats": threats,
        "mitigations": mitigations,
        "mitigationLinks": links,
    }))
}

/// A metadata value as text: strings as they are, lists joined with ", ".
fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.trim().to_string(),
        Value::Array(items) => items
            .iter()
            .map(value_text)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// `numericId` as Threat Composer shows it: padded to four digits.
fn numeric_id(node: &Node<'_>) -> Result<Option<String>, ImportError> {
    match node.get("numericId") {
        None => Ok(None),
        // Threat and mitigation packs number their items -1: no number.
        Some(Value::Number(n)) if n.as_i64().is_some_and(|i| i < 0) => Ok(None),
        Some(Value::Number(n)) => {
            if let Some(u) = n.as_u64() {
                return Ok(Some(format!("{u:04}")));
            }
            match n.as_f64() {
                Some(f) if f.fract() == 0.0 && (0.0..1e15).contains(&f) => {
                    Ok(Some(format!("{:04}", f as u64)))
                }
                _ => Ok(Some(n.to_string())),
            }
        }
        Some(Value::String(s)) => {
            let s = s.trim();
            if s.is_empty() {
                Ok(None)
            } else if let Ok(u) = s.parse::<u64>() {
                Ok(Some(format!("{u:04}")))
            } else {
                Ok(Some(s.to_string()))
            }
        }
        Some(other) => Err(node.field_err(
            "numericId",
            format!("expected a number, found {}", type_name(other)),
        )),
    }
}

/// `T-0001`, `M-0001`, `A-0001`; without a number the item's own id
/// (`SAMPLE_THREATPACK_1` in a threat pack), else `T-?`.
fn reference(prefix: char, number: Option<&str>, key: &str) -> String {
    match number {
        Some(n) => format!("{prefix}-{n}"),
        None if !key.starts_with('#') => key.to_string(),
        None => format!("{prefix}-?"),
    }
}

/// The Threat Composer id of an item (`#<index>` when it has none).
fn item_key(node: &Node<'_>, index: usize) -> Result<String, ImportError> {
    Ok(node
        .opt_scalar_text("id")?
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("#{index}")))
}

/// A required id of a link.
fn link_id(node: &Node<'_>, key: &str) -> Result<String, ImportError> {
    node.object()?;
    node.opt_scalar_text(key)?
        .map(|s| s.trim().to_string())
        .ok_or_else(|| node.field_err(key, format!("the required key \"{key}\" is missing")))
}

/// A list of strings (a lone string is a list of one); blank entries, which
/// Threat Composer writes for "not known", are left out.
fn str_list<'a>(node: &Node<'a>, key: &str) -> Result<Vec<&'a str>, ImportError> {
    let items = match node.get(key) {
        Some(Value::String(s)) => vec![s.as_str()],
        _ => node.str_array(key)?,
    };
    Ok(items
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect())
}

/// A statement part: trimmed, `None` when blank.
fn part<'a>(node: &Node<'a>, key: &str) -> Result<Option<&'a str>, ImportError> {
    Ok(node.opt_str(key)?.map(str::trim).filter(|s| !s.is_empty()))
}

/// The `metadata` entries of an item: key and value node (entries without
/// a value are skipped).
fn metadata<'a>(item: &Node<'a>) -> Result<Vec<(&'a str, Node<'a>)>, ImportError> {
    let mut out = vec![];
    for entry in item.array("metadata")? {
        if entry.value.is_null() {
            continue;
        }
        let key = entry.req_str("key")?;
        if let Some(value) = entry.child("value") {
            out.push((key, value));
        }
    }
    Ok(out)
}

/// The lines an item's tags and generic metadata make: `Tags: ...`,
/// `Comments: ...`, `key: value`.
fn extra_lines(tags: &[&str], meta: &[(&str, Node<'_>)]) -> Vec<String> {
    let mut out = vec![];
    if !tags.is_empty() {
        out.push(format!("Tags: {}", tags.join(", ")));
    }
    for (key, value) in meta {
        let text = value_text(value.value);
        if text.is_empty() {
            continue;
        }
        out.push(format!("{}: {text}", key.trim()));
    }
    out
}

fn join_list(items: &[&str], or: bool) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => {
            let sep = if or { " and/or " } else { " and " };
            format!("{}{sep}{last}", init.join(", "))
        }
    }
}

/// The parts of a threat statement.
struct Parts<'a> {
    source: Option<&'a str>,
    prerequisites: Option<&'a str>,
    action: Option<&'a str>,
    impact: Option<&'a str>,
    goals: Vec<&'a str>,
    assets: Vec<&'a str>,
}

/// "an" before a word that sounds like it starts with a vowel (a rough
/// rule: vowels, except "one", "uni", "use", "usu", "eu"; "hour",
/// "honest"; acronyms by their first letter's name; numbers from 8).
fn wants_an(word: &str) -> bool {
    let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    // An acronym is read letter by letter: "an XSS", "an MFA", "a URL".
    let letters: Vec<char> = word.chars().take_while(|c| c.is_alphanumeric()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_ascii_uppercase()) {
        return "AEFHILMNORSX".contains(letters[0]);
    }
    if word.starts_with('8') {
        return true;
    }
    let w = word.to_lowercase();
    if ["hour", "honest", "honor", "honour"]
        .iter()
        .any(|p| w.starts_with(p))
    {
        return true;
    }
    if ["one", "uni", "use", "usu", "uti", "eu", "ubi"]
        .iter()
        .any(|p| w.starts_with(p))
    {
        return false;
    }
    w.starts_with(['a', 'e', 'i', 'o', 'u'])
}

/// The statement as Threat Composer renders it from its parts.
fn compose(p: &Parts<'_>, custom_template: Option<&str>) -> String {
    let goals = join_list(&p.goals, true);
    let assets = join_list(&p.assets, false);
    let filled: Vec<(usize, &str)> = [
        p.source.unwrap_or(""),
        p.prerequisites.unwrap_or(""),
        p.action.unwrap_or(""),
        p.impact.unwrap_or(""),
        goals.as_str(),
        assets.as_str(),
    ]
    .into_iter()
    .enumerate()
    .filter(|(_, s)| !s.is_empty())
    .collect();
    match filled.as_slice() {
        [] => return String::new(),
        [(i, only)] => {
            let prefix = if *i == 0 { "" } else { "..." };
            let suffix = if *i == 5 { "" } else { "..." };
            return format!("{prefix}{only}{suffix}");
        }
        _ => {}
    }
    let template = match custom_template.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => t.to_string(),
        None => {
            let mut t = String::from("A [threat_source] [prerequisites] can [threat_action]");
            if p.impact.is_some() {
                t.push_str(", which leads to [threat_impact]");
            }
            match (goals.is_empty(), assets.is_empty()) {
                (false, false) => {
                    t.push_str(", resulting in reduced [impacted_goal] of [impacted_assets]")
                }
                (false, true) => t.push_str(", resulting in reduced [impacted_goal]"),
                (true, false) => t.push_str(", negatively impacting [impacted_assets]"),
                (true, true) => {}
            }
            t
        }
    };
    let or_default = |s: &str, d: &'static str| if s.is_empty() { d } else { s }.to_string();
    let filled_text = template
        .replace(
            "[threat_source]",
            &or_default(p.source.unwrap_or(""), "threat source"),
        )
        .replace("[prerequisites]", p.prerequisites.unwrap_or(""))
        .replace(
            "[threat_action]",
            &or_default(p.action.unwrap_or(""), "perform a threat action"),
        )
        .replace(
            "[threat_impact]",
            &or_default(p.impact.unwrap_or(""), "threat impact"),
        )
        .replace("[impacted_goal]", &or_default(&goals, "impacted goal"))
        .replace("[impacted_assets]", &or_default(&assets, "impacted assets"));
    let text = one_line(&filled_text).replace(" ,", ",");
    correct_articles(&text)
}

/// "a" or "an" before each word as Threat Composer corrects them in a
/// composed statement (its own content included): the article's case kept.
fn correct_articles(text: &str) -> String {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let tokens: Vec<&str> = text.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    for (i, token) in tokens.iter().enumerate() {
        let core = token.trim_start_matches(|c: char| !is_word(c));
        let lead = &token[..token.len() - core.len()];
        let next = tokens
            .get(i + 1)
            .map(|n| n.trim_start_matches(['(', '"', '\'', '\u{201c}', '\u{2018}', '-']))
            .unwrap_or("");
        let next_word: String = next.chars().take_while(|c| is_word(*c)).collect();
        let is_article = core.eq_ignore_ascii_case("a") || core.eq_ignore_ascii_case("an");
        if !is_article || next_word.is_empty() {
            out.push((*token).to_string());
            continue;
        }
        let article = match (core.starts_with('A'), wants_an(&next_word)) {
            (true, true) => "An",
            (true, false) => "A",
            (false, true) => "an",
            (false, false) => "a",
        };
        out.push(format!("{lead}{article}"));
    }
    out.join(" ")
}

/// Likelihood and impact for a `Priority`: the pair whose severity has the
/// priority's name (High is high, Low is low; the MCP server's Critical is
/// critical), as for Threat Dragon's severities; any other word is none.
fn priority_rating(value: &str) -> Option<(Rating, Rating)> {
    match value.trim() {
        "" => None,
        v => rating_pair(v),
    }
}

fn threat_status(status: &str) -> Option<ThreatStatus> {
    match status.trim() {
        "" | "threatIdentified" => Some(ThreatStatus::Open),
        "threatResolved" => Some(ThreatStatus::Mitigated),
        "threatResolvedNotUseful" => Some(ThreatStatus::NotApplicable),
        _ => None,
    }
}

/// Whether a threat's tags say its risk was accepted (`Accepted`, `Risk
/// accepted`, any case).
fn tagged_accepted(tags: &[&str]) -> bool {
    tags.iter().any(|tag| {
        let tag = tag.trim().to_lowercase();
        tag == "accepted" || tag == "risk accepted" || tag == "risk-accepted"
    })
}

/// A mitigation's status, and whether Threat Composer says it will not be
/// done.
fn mitigation_status(status: &str) -> Option<(MitigationStatus, bool)> {
    match status.trim() {
        "" | "mitigationIdentified" => Some((MitigationStatus::Planned, false)),
        "mitigationInProgress" => Some((MitigationStatus::InProgress, false)),
        "mitigationResolved" => Some((MitigationStatus::Done, false)),
        "mitigationResolvedWillNotAction" => Some((MitigationStatus::Planned, true)),
        _ => None,
    }
}

/// Threat Composer's words for a mitigation status.
fn mitigation_status_words(status: &str) -> String {
    match status.trim() {
        "" | "mitigationIdentified" => "identified".to_string(),
        "mitigationInProgress" => "in progress".to_string(),
        "mitigationResolved" => "resolved".to_string(),
        "mitigationResolvedWillNotAction" => "resolved, will not action".to_string(),
        other => other.to_string(),
    }
}

/// A Markdown list item at `depth`, its continuation lines indented.
fn bullet(depth: usize, text: &str) -> String {
    let pad = "  ".repeat(depth);
    let cont = format!("\n{pad}  ");
    format!(
        "{pad}- {}",
        text.trim().lines().collect::<Vec<_>>().join(&cont)
    )
}

struct MitigationItem {
    reference: String,
    title: String,
    status: MitigationStatus,
    status_words: String,
    /// Tags, comments, metadata and an unusual status, as lines.
    extra: Vec<String>,
    /// Indexes of the assumptions linked to the mitigation.
    assumptions: Vec<usize>,
    linked_to_threat: bool,
}

struct AssumptionItem {
    reference: String,
    content: String,
    extra: Vec<String>,
    threats: Vec<String>,
    /// Indexes of the linked mitigations.
    mitigations: Vec<usize>,
}

/// What a threat gathers from links before its notes are written.
#[derive(Default)]
struct ThreatLinks {
    mitigations: Vec<usize>,
    assumptions: Vec<usize>,
    missing: Vec<String>,
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// The image of a diagram: a link line for a URL, a notice for an
/// embedded image.
fn image_line(section: &Node<'_>, what: &str) -> Result<Option<String>, ImportError> {
    let Some(image) = section.opt_str("image")?.map(str::trim) else {
        return Ok(None);
    };
    if image.is_empty() {
        return Ok(None);
    }
    let lower = image.to_ascii_lowercase();
    if (lower.starts_with("https://") || lower.starts_with("http://"))
        && !image.contains(char::is_whitespace)
    {
        Ok(Some(format!("{what} diagram: <{image}>")))
    } else {
        Ok(Some(format!(
            "_The {} diagram is an image in Threat Composer; it is not imported._",
            what.to_lowercase()
        )))
    }
}

/// The category of the first tag that names one (`STRIDE-S`, `Tampering`)
/// and that tag, for a threat with no STRIDE metadata.
fn tag_category<'t>(tags: &[&'t str]) -> Option<(Stride, &'t str)> {
    tags.iter()
        .find_map(|t| category_from_tag(t).map(|c| (c, *t)))
}

/// Reads a Threat Composer export (`.tc.json`).
/// The STRIDE letters (or names) of a `STRIDE` entry: a list, or a string
/// of them split at commas and spaces.
fn stride_letters(node: &Node<'_>) -> Result<Vec<String>, ImportError> {
    Ok(match node.value {
        Value::String(s) => s
            .split([',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        Value::Array(_) => node
            .array_items()?
            .iter()
            .filter_map(|n| match n.value {
                Value::Null => None,
                Value::String(s) => Some(Ok(s.trim().to_string())),
                other => Some(Err(n.err(format!(
                    "expected a STRIDE letter, found {}",
                    type_name(other)
                )))),
            })
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect(),
        other => {
            return Err(node.err(format!(
                "expected a list of STRIDE letters, found {}",
                type_name(other)
            )))
        }
    })
}

/// The text of a `Priority` entry.
fn priority_text(node: &Node<'_>) -> Result<String, ImportError> {
    match node.value {
        Value::String(s) => Ok(s.trim().to_string()),
        other => Err(node.err(format!(
            "expected High, Medium or Low, found {}",
            type_name(other)
        ))),
    }
}

pub fn import(text: &str, workspace_id: Uuid) -> Result<ThreatModel, ImportError> {
    let value = parse_json(text)?;
    let root = Node::root(&value);
    root.object()?;
    if is_mcp_server_model(&value) {
        let converted = from_mcp_server(&root)?;
        return import(&converted.to_string(), workspace_id);
    }
    if let Some(what) = looks_like(&value).filter(|w| !w.contains("Threat Composer")) {
        return Err(root.err(format!("this is not a Threat Composer file: it is {what}")));
    }
    // Named as Threat Composer by the user, a file may lack what detection
    // needs (a numeric `schema` and content): only one with neither is refused.
    if !root.has("schema") && !CONTENT_KEYS.iter().any(|k| root.has(k)) {
        return Err(root.field_err(
            "schema",
            "the required key \"schema\" is missing: this is not a Threat Composer export (it starts with \"schema\": 1)",
        ));
    }
    if let Some(schema) = root.get("schema") {
        if !schema.is_number() {
            return Err(root.field_err(
                "schema",
                format!("expected a number, found {}", type_name(schema)),
            ));
        }
    }

    // A pack's metadata (`threat-pack-metadata`, `mitigation-pack-metadata`)
    // holds no threats: it names the workspace the pack is made from.
    if let Some(Value::String(ty)) = root.get("type") {
        if let Some(kind) = ty.strip_suffix("-pack-metadata") {
            let source = root.str_or_empty("path")?.trim();
            let made_from = if source.is_empty() {
                String::new()
            } else {
                format!(" (made from {source})")
            };
            return Err(root.field_err(
                "type",
                format!(
                    "this is the metadata of a Threat Composer {kind} pack, which holds no {kind}s: import the workspace export the pack is made from{made_from}, or the generated pack"
                ),
            ));
        }
    }

    // Application, architecture and data flow.
    let (mut app_name, mut app_description) = ("", "");
    if let Some(info) = root.child("applicationInfo") {
        info.object()?;
        app_name = info.str_or_empty("name")?.trim();
        app_description = info.str_or_empty("description")?.trim();
    }
    // Hand-written files (ThreatForest's documented example) name the
    // application at the top, where Threat Composer has `applicationInfo`.
    if app_name.is_empty() {
        app_name = root.str_or_empty("applicationName")?.trim();
    }
    if app_description.is_empty() {
        app_description = root.str_or_empty("applicationDescription")?.trim();
    }
    // Threat and mitigation packs have no applicationInfo: their `name` and
    // `description` are at the top (else every pack would be "Threat
    // Composer model", each import updating the last).
    let pack = match root.get("type") {
        Some(Value::String(ty)) if ty.ends_with("-pack") => {
            if app_name.is_empty() {
                app_name = root.str_or_empty("name")?.trim();
            }
            if app_description.is_empty() {
                app_description = root.str_or_empty("description")?.trim();
            }
            let id = root.opt_scalar_text("id")?.unwrap_or_default();
            Some(
                format!("Threat Composer {} {}", ty.replace('-', " "), id.trim())
                    .trim_end()
                    .to_string(),
            )
        }
        _ => None,
    };
    let model_name = if app_name.is_empty() {
        "Threat Composer model"
    } else {
        app_name
    };
    let model_id = stable_id(&NAMESPACE, &format!("{workspace_id}/{model_name}"));
    let mut model = ThreatModel::new(workspace_id, model_name);
    model.id = model_id;

    let mut element_sections = vec![];
    for (key, heading, what) in [
        ("architecture", "### Architecture", "Architecture"),
        ("dataflow", "### Data flow", "Data-flow"),
    ] {
        let Some(section) = root.child(key) else {
            continue;
        };
        section.object()?;
        let description = section.str_or_empty("description")?.trim();
        let image = image_line(&section, what)?;
        if description.is_empty() && image.is_none() {
            continue;
        }
        let mut block = vec![heading.to_string()];
        if !description.is_empty() {
            block.push(nest_headings(description));
        }
        block.extend(image);
        element_sections.push(block.join("\n\n"));
    }
    let element_name = if app_name.is_empty() {
        "Application"
    } else {
        app_name
    };
    let mut element = Element::new(ElementKind::Process, element_name);
    element.id = stable_id(&model_id, "element/application");
    element.description = element_sections.join("\n\n");
    let target = ThreatTarget::Element(element.id);
    let mut diagram = Diagram::new(model_name);
    diagram.id = stable_id(&model_id, "diagram/0");
    diagram.elements.push(element);
    model.diagrams.push(diagram);

    // Mitigations.
    let mut mitigations: Vec<MitigationItem> = vec![];
    let mut mitigation_index: HashMap<String, usize> = HashMap::new();
    let mut mitigation_keys: Vec<String> = vec![];
    for (i, m) in root.array("mitigations")?.into_iter().enumerate() {
        if m.value.is_null() {
            continue;
        }
        m.object()?;
        let key = item_key(&m, i)?;
        let reference = reference('M', numeric_id(&m)?.as_deref(), &key);
        let content = m.str_or_empty("content")?.trim();
        let raw_status = m.str_or_empty("status")?;
        let (status, will_not) =
            mitigation_status(raw_status).unwrap_or((MitigationStatus::Planned, false));
        let mut title = if content.is_empty() {
            format!("Mitigation {reference}")
        } else {
            content.to_string()
        };
        if will_not {
            title.push_str(" (will not action)");
        }
        let mut extra = vec![];
        if mitigation_status(raw_status).is_none() {
            extra.push(format!("Status: {}", raw_status.trim()));
        }
        extra.extend(extra_lines(&str_list(&m, "tags")?, &metadata(&m)?));
        mitigation_index
            .entry(key.clone())
            .or_insert(mitigations.len());
        mitigation_keys.push(key);
        mitigations.push(MitigationItem {
            reference,
            title,
            status,
            status_words: mitigation_status_words(raw_status),
            extra,
            assumptions: vec![],
            linked_to_threat: false,
        });
    }

    // Assumptions.
    let mut assumptions: Vec<AssumptionItem> = vec![];
    let mut assumption_index: HashMap<String, usize> = HashMap::new();
    for (i, a) in root.array("assumptions")?.into_iter().enumerate() {
        if a.value.is_null() {
            continue;
        }
        a.object()?;
        let key = item_key(&a, i)?;
        let reference = reference('A', numeric_id(&a)?.as_deref(), &key);
        let content = a.str_or_empty("content")?.trim().to_string();
        let extra = extra_lines(&str_list(&a, "tags")?, &metadata(&a)?);
        assumption_index.entry(key).or_insert(assumptions.len());
        assumptions.push(AssumptionItem {
            reference,
            content,
            extra,
            threats: vec![],
            mitigations: vec![],
        });
    }

    // Threats.
    let mut threat_index: HashMap<String, Vec<usize>> = HashMap::new();
    let mut threat_refs: Vec<String> = vec![];
    let mut threat_notes: Vec<Vec<String>> = vec![];
    let mut used_ids = HashSet::new();
    let mut asset_keys: HashSet<String> = HashSet::new();
    for (i, t) in root.array("threats")?.into_iter().enumerate() {
        if t.value.is_null() {
            continue;
        }
        t.object()?;
        let key = item_key(&t, i)?;
        let reference = reference('T', numeric_id(&t)?.as_deref(), &key);
        let parts = Parts {
            source: part(&t, "threatSource")?,
            prerequisites: part(&t, "prerequisites")?,
            action: part(&t, "threatAction")?,
            impact: part(&t, "threatImpact")?,
            goals: str_list(&t, "impactedGoal")?,
            assets: str_list(&t, "impactedAssets")?,
        };
        let custom_template = part(&t, "customTemplate")?;
        let statement = match part(&t, "statement")? {
            Some(s) => s.to_string(),
            None => compose(&parts, custom_template),
        };
        let title = if statement.is_empty() {
            format!("Threat {reference}")
        } else {
            statement
        };

        let mut notes = vec![format!("Threat Composer {reference}")];
        let mut stride: Option<(Vec<String>, String)> = None;
        let mut priority: Option<(String, String)> = None;
        let mut other_meta = vec![];
        for (mkey, mvalue) in metadata(&t)? {
            match mkey.trim() {
                "STRIDE" if stride.is_none() => {
                    let letters = stride_letters(&mvalue)?;
                    if !letters.is_empty() {
                        stride = Some((letters, mvalue.location()));
                    }
                }
                "Priority" if priority.is_none() => {
                    priority = Some((priority_text(&mvalue)?, mvalue.location()));
                }
                _ => other_meta.push((mkey, mvalue)),
            }
        }
        // Hand-written files (ThreatForest's documented example) put
        // `stride` and `priority` on the threat, where Threat Composer has
        // metadata entries.
        let given = |key| t.child(key).filter(|n| !n.value.is_null());
        if let (None, Some(n)) = (&stride, given("stride")) {
            let letters = stride_letters(&n)?;
            if !letters.is_empty() {
                stride = Some((letters, n.location()));
            }
        }
        if let (None, Some(n)) = (&priority, given("priority")) {
            priority = Some((priority_text(&n)?, n.location()));
        }
        let tags = str_list(&t, "tags")?;
        let category = match &stride {
            Some((letters, _)) => {
                let (category, exact) = category_from_name(&letters[0]);
                if letters.len() > 1 || !exact {
                    notes.push(format!("STRIDE: {}", letters.join(", ")));
                }
                category
            }
            None => match (tag_category(&tags), parts.goals.first()) {
                (Some((category, tag)), _) => {
                    notes.push(format!(
                        "STRIDE: none in Threat Composer; {} from the tag \"{tag}\"",
                        category.label().to_lowercase()
                    ));
                    category
                }
                (None, Some(goal)) => {
                    let (category, _) = category_from_name(goal);
                    notes.push(format!(
                        "STRIDE: none in Threat Composer; {} from the impacted goal \"{goal}\"",
                        category.label().to_lowercase()
                    ));
                    category
                }
                (None, None) => {
                    notes.push(
                        "STRIDE: none in Threat Composer; information disclosure by default"
                            .to_string(),
                    );
                    Stride::InformationDisclosure
                }
            },
        };
        let (likelihood, impact) = match &priority {
            Some((p, _)) => priority_rating(p).unwrap_or_else(|| {
                notes.push(format!("Priority: {p}"));
                (Rating::Medium, Rating::Medium)
            }),
            None => (Rating::Medium, Rating::Medium),
        };
        let raw_status = t.str_or_empty("status")?;
        let status = match threat_status(raw_status) {
            // Threat Composer has no accepted status: teams resolve an
            // accepted risk and tag it so (aws-samples' generated models);
            // it is no mitigated threat, as it has no control.
            Some(ThreatStatus::Mitigated) if tagged_accepted(&tags) => ThreatStatus::Accepted {
                justification: other_meta
                    .iter()
                    .find_map(|(key, value)| match value.value {
                        Value::String(s) if *key == "Comments" && !s.trim().is_empty() => {
                            Some(s.trim().to_string())
                        }
                        _ => None,
                    })
                    .unwrap_or_else(|| {
                        "Resolved in Threat Composer and tagged accepted; no justification recorded."
                            .to_string()
                    }),
                expires: no_expiry(),
            },
            Some(status) => status,
            None => {
                notes.push(format!("Status: {}", raw_status.trim()));
                ThreatStatus::Open
            }
        };
        notes.extend(extra_lines(&tags, &other_meta));
        if let Some(template) = custom_template {
            notes.push(format!("Custom template: {template}"));
        }

        let mut id = stable_id(&model_id, &format!("threat/{key}"));
        if !used_ids.insert(id) {
            id = stable_id(&model_id, &format!("threat/{key}/{i}"));
            used_ids.insert(id);
        }
        let mut threat = Threat::manual(title, category, target, likelihood, impact);
        threat.id = id;
        threat.status = status;
        let mut description = vec![];
        for (label, value) in [
            ("Threat source", parts.source),
            ("Prerequisites", parts.prerequisites),
            ("Threat action", parts.action),
            ("Threat impact", parts.impact),
        ] {
            if let Some(v) = value {
                description.push(bullet(0, &format!("{label}: {v}")));
            }
        }
        if !parts.goals.is_empty() {
            description.push(bullet(
                0,
                &format!("Impacted goal: {}", parts.goals.join(", ")),
            ));
        }
        if !parts.assets.is_empty() {
            description.push(bullet(
                0,
                &format!("Impacted assets: {}", parts.assets.join(", ")),
            ));
        }
        threat.description = description.join("\n");

        for asset in &parts.assets {
            let akey = asset.to_lowercase();
            if asset_keys.insert(akey.clone()) {
                let mut data = DataAsset::new(*asset, Classification::Internal);
                data.id = stable_id(&model_id, &format!("asset/{akey}"));
                model.data_assets.push(data);
            }
        }

        threat_index
            .entry(key)
            .or_default()
            .push(model.threats.len());
        threat_refs.push(reference);
        threat_notes.push(notes);
        model.threats.push(threat);
    }

    // Links.
    let mut links: Vec<ThreatLinks> = (0..model.threats.len())
        .map(|_| ThreatLinks::default())
        .collect();
    let mut missing_lines: Vec<String> = vec![];
    // What each id of the file is, for the lines about dangling links.
    let mut known_ids: HashMap<String, String> = HashMap::new();
    for (key, m) in mitigation_keys.iter().zip(&mitigations) {
        known_ids
            .entry(key.clone())
            .or_insert_with(|| format!("mitigation {}", m.reference));
    }
    for (key, &a) in &assumption_index {
        known_ids.insert(
            key.clone(),
            format!("assumption {}", assumptions[a].reference),
        );
    }
    for (key, ts) in &threat_index {
        known_ids.insert(key.clone(), format!("threat {}", threat_refs[ts[0]]));
    }
    let describe = |id: &str| -> String {
        known_ids
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("\"{id}\", which is not in the file either"))
    };

    let mut mitigation_assumption_pairs: Vec<(usize, usize)> = vec![];
    let mut assumption_notes: Vec<(usize, String)> = vec![];
    for link in root.array("mitigationLinks")? {
        if link.value.is_null() {
            continue;
        }
        let mid = link_id(&link, "mitigationId")?;
        let lid = link_id(&link, "linkedId")?;
        let loc = link.location();
        let Some(&m) = mitigation_index.get(&mid) else {
            let line = format!(
                "`{loc}`: links the mitigation id \"{mid}\", which is not in the file, to {}",
                describe(&lid)
            );
            if let Some(ts) = threat_index.get(&lid) {
                for &t in ts {
                    push_unique(
                        &mut links[t].missing,
                        format!("Linked to the mitigation id \"{mid}\", which is not in the file"),
                    );
                }
            }
            missing_lines.push(line);
            continue;
        };
        if let Some(ts) = threat_index.get(&lid) {
            for &t in ts {
                push_unique(&mut links[t].mitigations, m);
            }
            mitigations[m].linked_to_threat = true;
        } else if let Some(&a) = assumption_index.get(&lid) {
            mitigation_assumption_pairs.push((m, a));
        } else {
            missing_lines.push(format!(
                "`{loc}`: mitigation {} (\"{}\") is linked to \"{lid}\", which is no threat or assumption in the file",
                mitigations[m].reference, mitigations[m].title
            ));
        }
    }
    for link in root.array("assumptionLinks")? {
        if link.value.is_null() {
            continue;
        }
        let aid = link_id(&link, "assumptionId")?;
        let lid = link_id(&link, "linkedId")?;
        let link_type = link.opt_scalar_text("type")?.unwrap_or_default();
        let loc = link.location();
        let Some(&a) = assumption_index.get(&aid) else {
            if let Some(ts) = threat_index.get(&lid) {
                for &t in ts {
                    push_unique(
                        &mut links[t].missing,
                        format!("Linked to the assumption id \"{aid}\", which is not in the file"),
                    );
                }
            }
            missing_lines.push(format!(
                "`{loc}`: links the assumption id \"{aid}\", which is not in the file, to {}",
                describe(&lid)
            ));
            continue;
        };
        let as_threat = threat_index.get(&lid);
        let as_mitigation = mitigation_index.get(&lid).copied();
        match (as_threat, as_mitigation) {
            (Some(ts), m) if m.is_none() || link_type != "Mitigation" => {
                for &t in ts {
                    push_unique(&mut links[t].assumptions, a);
                }
            }
            (_, Some(m)) => mitigation_assumption_pairs.push((m, a)),
            _ => {
                let what = if link_type.is_empty() {
                    "item".to_string()
                } else {
                    link_type.to_lowercase()
                };
                assumption_notes.push((
                    a,
                    format!("Linked to the {what} id \"{lid}\", which is not in the file"),
                ));
                missing_lines.push(format!(
                    "`{loc}`: assumption {} is linked to the {what} id \"{lid}\", which is not in the file",
                    assumptions[a].reference
                ));
            }
        }
    }
    for (m, a) in mitigation_assumption_pairs {
        push_unique(&mut mitigations[m].assumptions, a);
        push_unique(&mut assumptions[a].mitigations, m);
    }

    // Mitigations, assumptions and notes onto the threats.
    for (t, (threat, tl)) in model.threats.iter_mut().zip(&links).enumerate() {
        let mut notes = std::mem::take(&mut threat_notes[t]);
        for &a in &tl.assumptions {
            let asm = &mut assumptions[a];
            push_unique(&mut asm.threats, threat_refs[t].clone());
            notes.push(format!("Assumption {}: {}", asm.reference, asm.content));
        }
        for &m in &tl.mitigations {
            let item = &mitigations[m];
            threat.mitigations.push(Mitigation {
                id: stable_id(&threat.id, &format!("mitigation/{}", mitigation_keys[m])),
                title: item.title.clone(),
                status: item.status,
                owner: None,
            });
            for line in &item.extra {
                notes.push(format!("Mitigation {} {line}", item.reference));
            }
            for &a in &item.assumptions {
                notes.push(format!(
                    "Assumption {} (for mitigation {}): {}",
                    assumptions[a].reference, item.reference, assumptions[a].content
                ));
            }
        }
        notes.extend(tl.missing.iter().cloned());
        threat.notes = notes.join("\n");
    }
    for (a, line) in assumption_notes {
        assumptions[a].extra.push(line);
    }

    // The model description.
    let mut blocks: Vec<String> = vec![];
    if !app_description.is_empty() {
        blocks.push(app_description.to_string());
    }
    blocks.extend(pack);
    if !assumptions.is_empty() {
        let mut lines = vec!["### Assumptions".to_string(), String::new()];
        for a in &assumptions {
            let content = if a.content.is_empty() {
                "(no text)"
            } else {
                &a.content
            };
            lines.push(bullet(0, &format!("{}: {content}", a.reference)));
            if !a.threats.is_empty() {
                lines.push(bullet(1, &format!("Threats: {}", a.threats.join(", "))));
            }
            if !a.mitigations.is_empty() {
                let mut linked = a.mitigations.clone();
                linked.sort_unstable();
                let refs: Vec<&str> = linked
                    .iter()
                    .map(|&m| mitigations[m].reference.as_str())
                    .collect();
                lines.push(bullet(1, &format!("Mitigations: {}", refs.join(", "))));
            }
            for e in &a.extra {
                lines.push(bullet(1, e));
            }
        }
        blocks.push(lines.join("\n"));
    }
    let unlinked: Vec<&MitigationItem> =
        mitigations.iter().filter(|m| !m.linked_to_threat).collect();
    if !unlinked.is_empty() {
        let mut lines = vec![
            "### Mitigations not linked to a threat".to_string(),
            String::new(),
        ];
        for m in unlinked {
            lines.push(bullet(
                0,
                &format!("{} ({}): {}", m.reference, m.status_words, m.title),
            ));
            for e in &m.extra {
                lines.push(bullet(1, e));
            }
            for &a in &m.assumptions {
                lines.push(bullet(
                    1,
                    &format!(
                        "Assumption {}: {}",
                        assumptions[a].reference, assumptions[a].content
                    ),
                ));
            }
        }
        blocks.push(lines.join("\n"));
    }
    if !missing_lines.is_empty() {
        let mut lines = vec![
            "### Links to items not in the file".to_string(),
            String::new(),
        ];
        lines.extend(missing_lines.iter().map(|l| bullet(0, l)));
        blocks.push(lines.join("\n"));
    }
    if let Some(brainstorm) = brainstorm(&root)? {
        blocks.push(brainstorm);
    }
    model.description = blocks.join("\n\n");
    Ok(model)
}

/// The `brainstorm` lists as a Markdown section.
fn brainstorm(root: &Node<'_>) -> Result<Option<String>, ImportError> {
    let Some(b) = root.child("brainstorm") else {
        return Ok(None);
    };
    let map = b.object()?;
    let known = [
        ("assumptions", "Assumptions"),
        ("mitigations", "Mitigations"),
        ("threatSources", "Threat sources"),
        ("threatPrerequisites", "Threat prerequisites"),
        ("threatActions", "Threat actions"),
        ("threatImpacts", "Threat impacts"),
        ("assets", "Assets"),
    ];
    let mut others: Vec<&String> = map
        .keys()
        .filter(|k| !known.iter().any(|(key, _)| key == k))
        .collect();
    others.sort();
    let keys: Vec<(&str, String)> = known
        .iter()
        .map(|(k, l)| (*k, l.to_string()))
        .chain(others.into_iter().map(|k| (k.as_str(), k.clone())))
        .collect();
    let mut lines = vec![];
    for (key, label) in keys {
        let mut items = vec![];
        for item in b.array(key)? {
            match item.value {
                Value::Null => {}
                Value::String(s) if !s.trim().is_empty() => items.push(bullet(0, s)),
                Value::String(_) => {}
                _ => {
                    item.object()?;
                    let content = item.str_or_empty("content")?.trim();
                    if content.is_empty() {
                        continue;
                    }
                    let mut whence = vec![];
                    if let Some(by) = item.opt_scalar_text("createdBy")? {
                        if !by.trim().is_empty() {
                            whence.push(format!("by {}", by.trim()));
                        }
                    }
                    if let Some(at) = item.opt_scalar_text("createdAt")? {
                        if !at.trim().is_empty() {
                            whence.push(at.trim().to_string());
                        }
                    }
                    if whence.is_empty() {
                        items.push(bullet(0, content));
                    } else {
                        items.push(bullet(0, &format!("{content} ({})", whence.join(", "))));
                    }
                }
            }
        }
        if !items.is_empty() {
            lines.push(format!("#### {label}\n\n{}", items.join("\n")));
        }
    }
    if lines.is_empty() {
        return Ok(None);
    }
    Ok(Some(format!("### Brainstorm\n\n{}", lines.join("\n\n"))))
}

/// A section's Markdown with its ATX headings moved below the `###`
/// heading that opens the section (the shallowest becomes `####`), fenced
/// code left alone: Knowledge Packs' architecture text opens with its own
/// "### Data flow", which read as the next section and left "###
/// Architecture" empty.
fn nest_headings(text: &str) -> String {
    let level = |l: &str| {
        let n = l.bytes().take_while(|&b| b == b'#').count();
        ((1..=6).contains(&n) && l[n..].starts_with([' ', '\t'])).then_some(n)
    };
    let mut fenced = false;
    let mut headings = vec![];
    for (i, l) in text.lines().enumerate() {
        if l.trim_start().starts_with("```") || l.trim_start().starts_with("~~~") {
            fenced = !fenced;
        } else if !fenced {
            if let Some(n) = level(l) {
                headings.push((i, n));
            }
        }
    }
    let Some(top) = headings.iter().map(|&(_, n)| n).min().filter(|&n| n < 4) else {
        return text.to_string();
    };
    let shift = 4 - top;
    let mut out: Vec<String> = text.lines().map(str::to_string).collect();
    for (i, n) in headings {
        let extra = shift.min(6 - n);
        out[i] = format!("{}{}", "#".repeat(extra), out[i]);
    }
    out.join("\n")
}

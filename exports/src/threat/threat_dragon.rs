//! OWASP Threat Dragon models: import of v2 (AntV X6 cells) and of v1
//! (JointJS `diagramJson`) files, export as v2.
//!
//! Mapping:
//! - `actor` / `tm.Actor` is an external entity, `process` a process,
//!   `store` a data store, `flow` a flow; `trust-boundary-box` a trust
//!   boundary that contains every element whose centre lies inside it (the
//!   smallest box wins; a box inside a bigger box gets it as parent);
//!   `trust-boundary-curve` (v1 `tm.Boundary`) a trust boundary with no
//!   position and no members (it is a line, so it contains nothing; the model
//!   description says so); `td-text-block` text is kept in the model
//!   description. A turned node (`angle`) counts with the box that holds
//!   its turned outline (exact for quarter turns). A v1 diagram saved with
//!   no `diagramJson` (never opened in Threat Dragon) is an empty diagram.
//! - A loop (a flow from an element back to itself, which Threat Dragon
//!   allows) is a `Threat Dragon flow <id> ("<name>") loop on element: <id>`
//!   line of the model description; its threats are on the element, each
//!   with a `Threat Dragon flow: <id>` note, and export draws the loop
//!   again with them (its protocol and flags are not kept).
//! - A flow end Threat Dragon saved as a loose point (dropped on an
//!   element's edge without snapping) joins the element drawn there, and
//!   the model description says so. A flow with an end in the open (near
//!   no element; Threat Dragon allows it) is a `Threat Dragon flow <id>
//!   ("<name>") loose ends: {...}` line of the model description, its threats
//!   on the element at its other end (with a `Threat Dragon flow: <id>`
//!   note), and export draws it again; with both ends in the open and
//!   threats, it is an error (the threats would belong nowhere).
//! - Ids: a cell id that is a UUID (what Threat Dragon writes) is kept, any
//!   other id becomes a UUID v5 in the model's namespace, so importing the
//!   same file again gives the same ids and export -> import keeps them.
//! - Threats keep title, description, category (see
//!   [`category_from_name`](super::text); a threat with an empty type takes
//!   the category its title names, `[S] ...` or `... Spoofing ...`, see
//!   [`category_from_title`](super::text)), status and severity (as
//!   likelihood x impact); the mitigation text becomes one mitigation per
//!   paragraph. The text Threat Dragon fills a new threat with ("Provide a
//!   description for this threat", "Provide remediation for this threat or
//!   a reason if status is N/A"; Threat Dragon 1.x's "Mitigation or
//!   prevention for the threat") is no description and no mitigation. What
//!   has no field of its own (a LINDDUN type, a custom
//!   score, a status such as "Avoided") is a `Threat Dragon ...:` line in the
//!   threat's notes, which export writes back.
//! - Elements' and flows' out-of-scope flags, with their reasons, are the
//!   model's `out_of_scope` (the rules skip them). A flow's description is
//!   a `Threat Dragon flow <id> ("<name>") description: <text>` line of the
//!   model description, which export writes back onto the flow; a trust
//!   boundary's likewise (`Threat Dragon boundary <id> ...`). The text is
//!   kept on one line with line breaks as `\n` and backslashes as `\\`.
//!   A flow's `labels` that draw or hold a text other than its name (with
//!   its protocol) are a `Threat Dragon flow <id> ("<name>") label: [...]`
//!   line, written back onto the edge as they were while the flow keeps
//!   that name; the report names the label Threat Dragon drew.
//! - A diagram's methodology other than STRIDE (`diagramType`: LINDDUN,
//!   CIA, DIE, PLOT4ai) and its description are `Threat Dragon diagram
//!   <id> ...` lines of the model description, which export writes back.
//! - The summary's owner, the reviewer and the contributors are `Threat
//!   Dragon owner:` / `reviewer:` / `contributors:` lines of the model
//!   description, which export writes back into their fields.
//! - What Plasma Plan models and Threat Dragon has no field for (element
//!   flags such as `hasAccessControl`, element tags, a flow's port,
//!   authentication, authorization and data, the model's data assets) is
//!   written as extra keys of the cells' `data` and of the summary, which
//!   Threat Dragon ignores, and read back, so export -> import loses none.
//!   A threat's likewise (`plasmaThreat`): its notes (an OTM threat's
//!   categories and risk comments, a Threat Composer statement's tags and
//!   assumptions), exact likelihood and impact, mitigations with status and
//!   owner, an acceptance's expiry, references and linked ADRs; an edit
//!   made in Threat Dragon to the severity, status or mitigation text wins
//!   over what was kept behind it.
//! - A Threat Dragon template (2.6's "Save as template": `templateMetadata`
//!   beside the v2 model in `model`) imports its model; a `Threat Dragon
//!   template "<name>" (<id>): <description>; tags: ...` line of the model
//!   description names the template. Errors point into `/model`.
//! - Keys outside Threat Dragon's format (a model's own `modelMetadata`, a
//!   flow's `flowGroupId`, a fork's threat fields), which Threat Dragon
//!   ignores, are listed with their JSON pointer, the cell's name and their
//!   value under "Threat Dragon keys this import does not read" in the
//!   model description.
//! - Element flags (`storesCredentials`, `isALog`, `isEncrypted`,
//!   `isSigned`, `isWebApplication`, `privilegeLevel`) map to element
//!   properties; the rest (`providesAuthentication`, ...) to
//!   element tags.

use std::collections::{HashMap, HashSet};

use plasma_models::threat::{
    DataAsset, Diagram, Element, ElementKind, ElementProps, Flow, Mitigation, MitigationStatus,
    Point, Privilege, Rating, Rect, Severity, Threat, ThreatModel, ThreatStatus, ThreatTarget,
    TrustBoundary,
};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::json::{looks_like, parse_json, stable_id, Node};
use super::text::{category_from_name, category_from_title, is_open, no_expiry, severity_title};
use super::ImportError;

/// Namespace of the ids of imported Threat Dragon models.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x3d5e_61a2_8c4f_4b0e_a7d9_5f21_c0b8_e913);

const VERSION: &str = "2.2.0";
const NOTE_PREFIX: &str = "Threat Dragon ";
/// The note key of the number Threat Dragon gave a threat.
const NUMBER_NOTE: &str = "number";
/// Export lists the threats it numbered itself, so that reading its file
/// back keeps no number note for them (a model round trips unchanged).
const EXT_GIVEN_NUMBERS: &str = "plasmaGivenNumbers";

const TAG_OUT_OF_SCOPE: &str = "out-of-scope";
const TAG_OUT_OF_SCOPE_REASON: &str = "out-of-scope-reason: ";
/// Element tags for Threat Dragon flags that have no element property.
const FLAG_TAGS: [(&str, &str); 4] = [
    ("providesAuthentication", "provides-authentication"),
    ("handlesCardPayment", "handles-card-payment"),
    ("handlesGoodsOrServices", "handles-goods-or-services"),
    ("storesInventory", "stores-inventory"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CellKind {
    Element(ElementKind),
    Flow,
    BoundaryBox,
    BoundaryCurve,
    Text,
    /// A palette shape (`flow-stencil`) saved by mistake: no ends, no element.
    Stencil,
}

fn cell_kind(shape: Option<&str>, ty: Option<&str>) -> Option<CellKind> {
    let by_shape = shape.and_then(|s| match s {
        "actor" => Some(CellKind::Element(ElementKind::ExternalEntity)),
        "process" => Some(CellKind::Element(ElementKind::Process)),
        "store" => Some(CellKind::Element(ElementKind::DataStore)),
        // Threat Dragon's AI agent and agent tool: processes (the shape is
        // kept in a tag, so export writes it back).
        "agent" | "agent-tool" => Some(CellKind::Element(ElementKind::Process)),
        "flow" => Some(CellKind::Flow),
        "trust-boundary-box" | "trust-boundary" => Some(CellKind::BoundaryBox),
        "trust-boundary-curve"
        | "trust-broundary-curve"
        | "trust-boundary-curve-stencil"
        | "legacy-trust-boundary" => Some(CellKind::BoundaryCurve),
        "flow-stencil" => Some(CellKind::Stencil),
        "td-text-block" => Some(CellKind::Text),
        _ => None,
    });
    by_shape.or_else(|| {
        ty.and_then(|t| match t {
            "tm.Actor" => Some(CellKind::Element(ElementKind::ExternalEntity)),
            "tm.Process" | "tm.Agent" | "tm.Tool" => Some(CellKind::Element(ElementKind::Process)),
            "tm.Store" => Some(CellKind::Element(ElementKind::DataStore)),
            "tm.Flow" => Some(CellKind::Flow),
            "tm.BoundaryBox" => Some(CellKind::BoundaryBox),
            "tm.Boundary" => Some(CellKind::BoundaryCurve),
            "tm.Text" => Some(CellKind::Text),
            _ => None,
        })
    })
}

/// A cell of a shape Threat Dragon's own releases do not draw (a fork's
/// `tm.VectorStore`, `tm.Model`...): an edge between two cells is a flow,
/// a node an element whose kind the name suggests; `None` when it is
/// neither.
fn guess_kind(cell: &Node<'_>, shape: Option<&str>, ty: Option<&str>) -> Option<CellKind> {
    if cell.has("source") && cell.has("target") {
        return Some(CellKind::Flow);
    }
    if !cell.has("position") {
        return None;
    }
    let words = format!("{} {}", shape.unwrap_or(""), ty.unwrap_or("")).to_ascii_lowercase();
    let any = |needles: &[&str]| needles.iter().any(|n| words.contains(n));
    Some(CellKind::Element(
        if any(&[
            "store", "memory", "database", "data", "cache", "queue", "bucket", "file", "log",
        ]) {
            ElementKind::DataStore
        } else if any(&[
            "actor", "user", "external", "entity", "person", "human", "client",
        ]) {
            ElementKind::ExternalEntity
        } else {
            ElementKind::Process
        },
    ))
}

/// Tags that keep a shape and type export would not write by itself.
const TAG_TD_SHAPE: &str = "td-shape: ";
const TAG_TD_TYPE: &str = "td-type: ";
const TAG_TD_PRIVILEGE: &str = "td-privilege-level: ";

// What Plasma Plan models and Threat Dragon has no field for, written as
// extra keys Threat Dragon keeps and ignores, and read back.
/// Element flags: API gateway, queue or stream, LLM component, handles
/// untrusted input, sanitizes input, has access control, hardened.
const EXT_FLAGS: [&str; 7] = [
    "isApiGateway",
    "isQueueOrStream",
    "isLlmComponent",
    "handlesUntrustedInput",
    "sanitizesInput",
    "hasAccessControl",
    "isHardened",
];
/// An element's tags.
const EXT_TAGS: &str = "plasmaTags";
/// A flow's destination port, authentication and authorization.
const EXT_PORT: &str = "port";
const EXT_AUTHENTICATED: &str = "isAuthenticated";
const EXT_AUTHORIZED: &str = "isAuthorized";
/// The data assets a flow carries (their ids) and the model's data assets
/// (in the summary).
const EXT_DATA: &str = "plasmaData";
const EXT_DATA_ASSETS: &str = "plasmaDataAssets";
/// A boundary exported as a line because it has no place and no members
/// (an empty OTM trust zone, say): no "contain no elements" note on import.
const EXT_EMPTY_BOUNDARY: &str = "plasmaEmptyBoundary";
/// A text block export placed itself (the model kept no place for it): read
/// back, its place is not kept, so a model round trips unchanged.
const EXT_TEXT_PLACED: &str = "plasmaPlaced";
/// What a threat has beyond Threat Dragon's fields (see [`threat_ext`]).
const EXT_THREAT: &str = "plasmaThreat";

/// One of those flags; a value that is no boolean (a fork's own key of
/// the same name) is no flag rather than an error.
fn ext_bool(node: &Node<'_>, key: &str) -> bool {
    node.bool_or(key, false).unwrap_or(false)
}

/// A cell's type: `data.type` (v2) or `type` (v1).
fn ty_of<'a>(cell: &Node<'a>) -> Result<Option<&'a str>, ImportError> {
    if let Some(data) = cell.child("data") {
        data.object()?;
        if let Some(t) = data.opt_str("type")? {
            return Ok(Some(t));
        }
    }
    cell.opt_str("type")
}

/// An id from a Threat Dragon id: kept when it is a UUID, else UUID v5.
fn cell_uuid(model_id: &Uuid, key: &str) -> Uuid {
    Uuid::parse_str(key.trim()).unwrap_or_else(|_| stable_id(model_id, &format!("cell/{key}")))
}

/// The id of an imported model: the same workspace and title give the same id.
pub fn model_id(workspace_id: Uuid, title: &str) -> Uuid {
    stable_id(&NAMESPACE, &format!("{workspace_id}/{title}"))
}

/// `attrs.<key>.text` of a cell.
fn attr_text<'a>(cell: &Node<'a>, keys: &[&str]) -> Option<&'a str> {
    let attrs = cell.value.get("attrs")?;
    keys.iter()
        .find_map(|k| attrs.get(*k)?.get("text")?.as_str())
}

/// The first label's text of an edge (v2 `attrs.label.text`, v1
/// `attrs.text.text`, or a plain string, which Threat Dragon 2 also writes).
fn label_text<'a>(cell: &Node<'a>) -> Option<&'a str> {
    shown_label(cell.value.get("labels")?)
}

/// The text an edge's `labels` draw: the first label's, a plain string or
/// `attrs.<selector>.text`. `label` comes before `text` because X6 lets the
/// markup's selector (`label`) win over the tag (`text`) when a label sets
/// both, as Threat Dragon 2.6 files written by other tools do.
fn shown_label(labels: &Value) -> Option<&str> {
    let label = labels.as_array()?.first()?;
    if let Some(text) = label.as_str() {
        return Some(text);
    }
    let attrs = label.get("attrs")?;
    ["label", "text", "labelText"]
        .iter()
        .find_map(|k| attrs.get(*k)?.get("text")?.as_str())
}

/// Every text an edge's `labels` hold, drawn or not: plain strings and each
/// `attrs.<selector>.text` of every label.
fn label_texts(labels: &Value) -> Vec<&str> {
    let list = match labels.as_array() {
        Some(list) => list.iter().collect(),
        None => vec![labels],
    };
    list.into_iter()
        .flat_map(|label| match label.as_str() {
            Some(text) => vec![text],
            None => label
                .get("attrs")
                .and_then(Value::as_object)
                .map(|attrs| {
                    attrs
                        .values()
                        .filter_map(|a| a.get("text")?.as_str())
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect()
}

fn rect_of(cell: &Node<'_>, kind: CellKind) -> Result<Option<Rect>, ImportError> {
    let Some(pos) = cell.child("position") else {
        return Ok(None);
    };
    pos.object()?;
    let x = pos.req_f64("x")?;
    let y = pos.req_f64("y")?;
    let (dw, dh) = default_size(kind);
    let (width, height) = match cell.child("size") {
        Some(size) => {
            size.object()?;
            (
                size.opt_f64("width")?.unwrap_or(dw),
                size.opt_f64("height")?.unwrap_or(dh),
            )
        }
        None => (dw, dh),
    };
    let (width, height) = (width.abs(), height.abs());
    // A node turned in Threat Dragon (`angle`, degrees, about its centre)
    // covers its turned outline: the box that holds it is what contains
    // (exact for quarter turns).
    let angle = match cell.get("angle") {
        Some(Value::Number(_)) | Some(Value::String(_)) => cell.opt_f64("angle")?.unwrap_or(0.0),
        _ => 0.0,
    };
    let turn = angle.rem_euclid(180.0);
    if turn.abs() < 1e-9 {
        return Ok(Some(Rect {
            x,
            y,
            width,
            height,
        }));
    }
    let (sin, cos) = angle.to_radians().sin_cos();
    let (w, h) = (
        width * cos.abs() + height * sin.abs(),
        width * sin.abs() + height * cos.abs(),
    );
    let (cx, cy) = (x + width / 2.0, y + height / 2.0);
    Ok(Some(Rect {
        x: cx - w / 2.0,
        y: cy - h / 2.0,
        width: w,
        height: h,
    }))
}

fn default_size(kind: CellKind) -> (f64, f64) {
    match kind {
        CellKind::Element(ElementKind::Process) => (100.0, 100.0),
        CellKind::BoundaryBox => (300.0, 200.0),
        _ => (160.0, 80.0),
    }
}

/// A boundary curve's points: its source, its vertices, its target; `None`
/// when an end is no point (attached to a cell, or missing).
fn line_of(cell: &Node<'_>) -> Result<Option<Vec<Point>>, ImportError> {
    let end = |key: &str| -> Result<Option<Point>, ImportError> {
        let Some(node) = cell.child(key) else {
            return Ok(None);
        };
        if node.object().is_err() {
            return Ok(None);
        }
        Ok(match (node.opt_f64("x")?, node.opt_f64("y")?) {
            (Some(x), Some(y)) => Some(Point { x, y }),
            _ => None,
        })
    };
    let (Some(source), Some(target)) = (end("source")?, end("target")?) else {
        return Ok(None);
    };
    let mut line = vec![source];
    if cell.has("vertices") {
        line.extend(points_of(cell)?);
    }
    line.push(target);
    Ok(Some(line))
}

fn points_of(cell: &Node<'_>) -> Result<Vec<Point>, ImportError> {
    let mut out = vec![];
    for v in cell.array("vertices")? {
        v.object()?;
        out.push(Point {
            x: v.req_f64("x")?,
            y: v.req_f64("y")?,
        });
    }
    Ok(out)
}

fn privilege_from(text: &str) -> Privilege {
    let t = text.to_ascii_lowercase();
    if t.contains("root") || t.contains("system") {
        Privilege::Root
    } else if t.contains("admin") || t.contains("high") || t.contains("elevated") {
        Privilege::High
    } else if t.contains("limit") || t.contains("low") || t.contains("restricted") {
        Privilege::Low
    } else {
        Privilege::Standard
    }
}

fn privilege_text(p: Privilege) -> &'static str {
    match p {
        Privilege::Standard => "",
        other => other.label(),
    }
}

struct Parsed {
    id: Uuid,
    cell_key: String,
    kind: CellKind,
    index: usize,
}

/// One note line `Threat Dragon <key>: <value>`.
fn note(key: &str, value: &str) -> String {
    format!("{NOTE_PREFIX}{key}: {}", value.replace('\n', " "))
}

fn note_value<'a>(notes: &'a str, key: &str) -> Option<&'a str> {
    let prefix = format!("{NOTE_PREFIX}{key}: ");
    notes.lines().find_map(|l| l.strip_prefix(prefix.as_str()))
}

pub(crate) fn rating_pair(severity: &str) -> Option<(Rating, Rating)> {
    match severity.trim().to_ascii_lowercase().as_str() {
        "critical" => Some((Rating::High, Rating::High)),
        "high" => Some((Rating::High, Rating::Medium)),
        "medium" | "" => Some((Rating::Medium, Rating::Medium)),
        "low" => Some((Rating::Low, Rating::Medium)),
        "note" | "info" | "informational" | "none" => Some((Rating::Low, Rating::Low)),
        _ => None,
    }
}

/// One mitigation per paragraph; a paragraph that is a list (every line
/// starts `- `, `* `, `• ` or `1.`/`1)`, as reviewers write several
/// mitigations in Threat Dragon's one box) is one mitigation per item,
/// its marker dropped. A paragraph with any other line stays whole.
fn split_mitigations(text: &str) -> Vec<String> {
    let mut out = vec![];
    for paragraph in text.replace("\r\n", "\n").split("\n\n") {
        let paragraph = paragraph.trim();
        if paragraph.is_empty() {
            continue;
        }
        let lines: Vec<&str> = paragraph
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let items: Option<Vec<&str>> = lines.iter().map(|l| list_item(l)).collect();
        match items {
            Some(items) if lines.len() > 1 => out.extend(
                items
                    .into_iter()
                    .filter(|i| !i.is_empty())
                    .map(str::to_string),
            ),
            _ => out.push(paragraph.to_string()),
        }
    }
    out
}

/// The text of a list line (`- x`, `* x`, `• x`, `1. x`, `2) x`).
fn list_item(line: &str) -> Option<&str> {
    for marker in ["- ", "* ", "• ", "•\t", "-\t"] {
        if let Some(rest) = line.strip_prefix(marker) {
            return Some(rest.trim());
        }
    }
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 {
        return None;
    }
    let rest = &line[digits..];
    rest.strip_prefix(". ")
        .or_else(|| rest.strip_prefix(") "))
        .map(str::trim)
}

/// The text Threat Dragon fills a new threat's description and mitigation
/// with; left as is, it says nothing, so it imports as no text (and no
/// mitigation).
const DEFAULT_DESCRIPTION: &str = "Provide a description for this threat";
const DEFAULT_MITIGATION: &str = "Provide remediation for this threat or a reason if status is N/A";
/// What Threat Dragon 1.x's threat engine fills a suggested threat's
/// mitigation with ("Generic DoS threat" and the like).
const DEFAULT_MITIGATION_V1: &str = "Mitigation or prevention for the threat";

/// The author's text without Threat Dragon's: none when the placeholder
/// was left as is, and what follows it when the author typed after it
/// instead of replacing it ("Provide a description for this threat. A
/// customer could ...").
fn unless_placeholder<'t>(text: &'t str, placeholder: &str) -> &'t str {
    match text.trim_start().strip_prefix(placeholder) {
        Some(rest) if !rest.starts_with(char::is_alphanumeric) => {
            rest.trim_start_matches(['.', ':', ';', ',']).trim_start()
        }
        _ => text,
    }
}

fn import_threat(
    node: &Node<'_>,
    target: ThreatTarget,
    fallback_key: &str,
    namespace: &Uuid,
    used: &mut HashSet<Uuid>,
) -> Result<Threat, ImportError> {
    node.object()?;
    let title = node.str_or_empty("title")?.to_string();
    let ty = node.str_or_empty("type")?;
    let status_text = node.str_or_empty("status")?;
    let severity = node.str_or_empty("severity")?;
    let description = unless_placeholder(node.str_or_empty("description")?, DEFAULT_DESCRIPTION);
    let mitigation = unless_placeholder(
        unless_placeholder(node.str_or_empty("mitigation")?, DEFAULT_MITIGATION),
        DEFAULT_MITIGATION_V1,
    );
    let model_type = node.str_or_empty("modelType")?;
    let score = node.opt_scalar_text("score")?.unwrap_or_default();
    let given_id = match node.opt_scalar_text("id")? {
        Some(id) => Some(id),
        None => node.opt_scalar_text("threatId")?,
    };

    let mut id = given_id
        .as_deref()
        .and_then(|s| Uuid::parse_str(s.trim()).ok())
        .unwrap_or_else(|| stable_id(namespace, fallback_key));
    if !used.insert(id) {
        id = stable_id(namespace, fallback_key);
        let mut n = 0u32;
        while !used.insert(id) {
            n += 1;
            id = stable_id(namespace, &format!("{fallback_key}/{n}"));
        }
    }

    let mut notes = vec![];
    let (mut category, exact) = category_from_name(ty);
    if !exact || ty != category.label() {
        notes.push(note("type", ty));
    }
    // A threat saved with no type ("type": "", as Threat Dragon 2.5 leaves
    // it when nobody picks one) whose title says its category ("[S] UI
    // Spoofing"): the title's, not the information-disclosure default.
    if ty.trim().is_empty() {
        if let Some(named) = category_from_title(&title) {
            category = named;
        }
    }
    if !model_type.is_empty() && !model_type.eq_ignore_ascii_case("STRIDE") {
        notes.push(note("model", model_type));
    }
    let (likelihood, impact) = match rating_pair(severity) {
        Some(pair) => {
            if !matches!(severity, "Critical" | "High" | "Medium" | "Low") {
                notes.push(note("severity", severity));
            }
            pair
        }
        None => {
            notes.push(note("severity", severity));
            (Rating::Medium, Rating::Medium)
        }
    };
    // Threat Dragon shows each threat's number ("#4") and people cite it:
    // kept, so export gives the threat the same number.
    if let Some(n) = node
        .opt_scalar_text("number")?
        .and_then(|n| n.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        notes.push(note(NUMBER_NOTE, &n.to_string()));
    }
    let mut cvss = None;
    if score.trim().starts_with("CVSS:") {
        cvss = Some(score.trim().to_string());
    } else if !score.is_empty() {
        notes.push(note("score", &score));
    }
    let (status, lossless) = match status_text.trim().to_ascii_lowercase().as_str() {
        "open" | "" => (
            ThreatStatus::Open,
            status_text == "Open" || status_text.is_empty(),
        ),
        "mitigated" => (ThreatStatus::Mitigated, status_text == "Mitigated"),
        "na" | "n/a" | "notapplicable" | "not applicable" => {
            (ThreatStatus::NotApplicable, status_text == "NA")
        }
        "transferred" => (ThreatStatus::Transferred, status_text == "Transferred"),
        "accepted" => (
            ThreatStatus::Accepted {
                justification: if mitigation.trim().is_empty() {
                    "Accepted in Threat Dragon; no justification recorded.".to_string()
                } else {
                    mitigation.trim().to_string()
                },
                expires: no_expiry(),
            },
            status_text == "Accepted",
        ),
        "avoided" | "eliminated" | "resolved" | "closed" | "fixed" => {
            (ThreatStatus::Mitigated, false)
        }
        _ => (ThreatStatus::Open, false),
    };
    if !lossless {
        notes.push(note("status", status_text));
    }
    let mitigations = mitigations_from_text(id, mitigation, &status);

    let mut threat = Threat::manual(title, category, target, likelihood, impact);
    threat.id = id;
    threat.description = description.to_string();
    threat.cvss = cvss;
    threat.status = status;
    threat.notes = notes.join("\n");
    threat.mitigations = mitigations;
    if let Some(ext) = node.child(EXT_THREAT) {
        restore_threat(&mut threat, &ext, severity, mitigation)?;
    }
    Ok(threat)
}

/// The mitigations Threat Dragon's one mitigation text stands for: one per
/// paragraph, done when the threat is mitigated (none when it is accepted:
/// the text is the justification).
fn mitigations_from_text(id: Uuid, text: &str, status: &ThreatStatus) -> Vec<Mitigation> {
    if matches!(status, ThreatStatus::Accepted { .. }) {
        return vec![];
    }
    let done = *status == ThreatStatus::Mitigated;
    split_mitigations(text)
        .into_iter()
        .enumerate()
        .map(|(i, title)| Mitigation {
            id: stable_id(&id, &format!("mitigation/{i}")),
            title,
            status: if done {
                MitigationStatus::Done
            } else {
                MitigationStatus::Planned
            },
            owner: None,
        })
        .collect()
}

/// Whether a line of a threat's notes is one the Threat Dragon fields give
/// back (type, methodology, severity, score, status, loop flow).
fn is_td_note_line(line: &str) -> bool {
    [
        "type",
        "model",
        "severity",
        "score",
        "status",
        NUMBER_NOTE,
        KEPT_FLOW_NOTE,
    ]
    .iter()
    .any(|k| line.starts_with(&format!("{NOTE_PREFIX}{k}: ")))
}

/// What a threat has beyond Threat Dragon's fields, as the `plasmaThreat`
/// key export writes (empty when the fields say it all): the notes, exact
/// likelihood and impact, mitigations with their status and owner, an
/// acceptance's expiry, references, linked ADRs, and the suggested
/// mitigations of a threat no rule gives back (a pytm finding's).
fn threat_ext(t: &Threat) -> Map<String, Value> {
    let mut ext = Map::new();
    if t.notes.lines().any(|l| !is_td_note_line(l)) {
        ext.insert("notes".into(), json!(t.notes));
    }
    if t.severity_override.is_some()
        || rating_pair(&severity_text(t)) != Some((t.likelihood, t.impact))
    {
        ext.insert("likelihood".into(), json!(t.likelihood));
        ext.insert("impact".into(), json!(t.impact));
        if let Some(s) = t.severity_override {
            ext.insert("severityOverride".into(), json!(s));
        }
    }
    let text = mitigation_text(t);
    if mitigations_from_text(t.id, &text, &t.status) != t.mitigations {
        ext.insert("mitigations".into(), json!(t.mitigations));
    }
    if let ThreatStatus::Accepted {
        justification,
        expires,
    } = &t.status
    {
        if *expires != no_expiry() || justification.trim() != text.trim() {
            ext.insert("status".into(), json!(t.status));
        }
    }
    if !t.references.is_empty() {
        ext.insert("references".into(), json!(t.references));
    }
    if !t.linked_adrs.is_empty() {
        ext.insert("linkedAdrs".into(), json!(t.linked_adrs));
    }
    if t.rule_id.is_none() && !t.suggested_mitigations.is_empty() {
        ext.insert(
            "suggestedMitigations".into(),
            json!(t.suggested_mitigations),
        );
    }
    ext
}

/// Reads back [`threat_ext`]: what Threat Dragon cannot change is restored
/// as written; notes, ratings, mitigations and an acceptance only while the
/// Threat Dragon fields they stand behind read as export wrote them (an
/// edit made in Threat Dragon wins).
fn restore_threat(
    t: &mut Threat,
    ext: &Node<'_>,
    severity: &str,
    mitigation: &str,
) -> Result<(), ImportError> {
    fn field<T: serde::de::DeserializeOwned>(
        ext: &Node<'_>,
        key: &str,
    ) -> Result<Option<T>, ImportError> {
        ext.get(key)
            .map(|v| {
                serde_json::from_value(v.clone())
                    .map_err(|e| ImportError::new(ext.key_ptr(key), format!("not read: {e}")))
            })
            .transpose()
    }
    ext.object()?;
    if let Some(notes) = ext.opt_str("notes")? {
        let td = |s: &str| {
            s.lines()
                .filter(|l| {
                    is_td_note_line(l)
                        && !l.starts_with(&format!("{NOTE_PREFIX}{KEPT_FLOW_NOTE}: "))
                        && !l.starts_with(&format!("{NOTE_PREFIX}{NUMBER_NOTE}: "))
                })
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        if td(notes) == td(&t.notes) {
            t.notes = notes.to_string();
        } else {
            let own: Vec<&str> = notes.lines().filter(|l| !is_td_note_line(l)).collect();
            if !own.is_empty() {
                if !t.notes.is_empty() {
                    t.notes.push('\n');
                }
                t.notes.push_str(&own.join("\n"));
            }
        }
    }
    if let (Some(likelihood), Some(impact)) = (field(ext, "likelihood")?, field(ext, "impact")?) {
        let mut rated = t.clone();
        rated.likelihood = likelihood;
        rated.impact = impact;
        rated.severity_override = field(ext, "severityOverride")?;
        if severity_text(&rated) == severity {
            t.likelihood = rated.likelihood;
            t.impact = rated.impact;
            t.severity_override = rated.severity_override;
        }
    }
    if let Some(status) = field::<ThreatStatus>(ext, "status")? {
        if std::mem::discriminant(&status) == std::mem::discriminant(&t.status) {
            t.status = status;
        }
    }
    if let Some(list) = field::<Vec<Mitigation>>(ext, "mitigations")? {
        let mut kept = t.clone();
        kept.mitigations = list;
        if mitigation_text(&kept).trim() == mitigation.trim() {
            t.mitigations = kept.mitigations;
        }
    }
    if let Some(refs) = field(ext, "references")? {
        t.references = refs;
    }
    if let Some(adrs) = field(ext, "linkedAdrs")? {
        t.linked_adrs = adrs;
    }
    if let Some(suggested) = field(ext, "suggestedMitigations")? {
        t.suggested_mitigations = suggested;
    }
    Ok(())
}

/// Appends `line` as its own paragraph unless the text already has it.
/// How far (diagram units) a loose flow end may lie outside an element's
/// box and still be taken as drawn to it: about the magnet radius of the
/// Threat Dragon editor.
const LOOSE_END_REACH: f64 = 30.0;

/// A flow's name for messages: its `data.name`, else its label.
fn flow_display_name<'a>(cell: &Node<'a>) -> &'a str {
    cell.value
        .get("data")
        .and_then(|d| d.get("name"))
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .or_else(|| label_text(cell))
        .unwrap_or("(unnamed)")
}

/// The point of a loose flow end (`{"x": .., "y": ..}`).
fn loose_point(end_node: &Node<'_>, end: &str) -> Result<Point, ImportError> {
    match (end_node.opt_f64("x")?, end_node.opt_f64("y")?) {
        (Some(x), Some(y)) => Ok(Point { x, y }),
        _ => Err(end_node.err(format!(
            "the flow is not connected to an element at its {end} (no \"cell\" and no point)"
        ))),
    }
}

fn end_index(end: &str) -> usize {
    usize::from(end == "target")
}

/// The element a loose flow end was drawn to: the element whose box holds
/// the point, else the nearest one within [`LOOSE_END_REACH`]; `None` when
/// the end was left in the open.
fn element_at(diagram: &Diagram, point: Point) -> Option<&Element> {
    let (x, y) = (point.x, point.y);
    let distance = |r: &Rect| {
        let dx = (r.x - x).max(0.0).max(x - (r.x + r.width));
        let dy = (r.y - y).max(0.0).max(y - (r.y + r.height));
        dx.hypot(dy)
    };
    diagram
        .elements
        .iter()
        .filter_map(|e| Some((e, distance(&e.position?))))
        .filter(|(_, d)| *d <= LOOSE_END_REACH)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(e, _)| e)
}

const OWNER_NOTE: &str = "Threat Dragon owner: ";
const REVIEWER_NOTE: &str = "Threat Dragon reviewer: ";
const CONTRIBUTORS_NOTE: &str = "Threat Dragon contributors: ";

const FLOW_NOTE: &str = "Threat Dragon flow ";
const BOUNDARY_NOTE: &str = "Threat Dragon boundary ";
const FLOW_OUT_OF_SCOPE: &str = "out of scope";
const FLOW_DESCRIPTION: &str = "description";
const DIAGRAM_NOTE: &str = "Threat Dragon diagram ";
/// The text of a diagram's `what` line: `Threat Dragon diagram <index>
/// ("<title>") <what>: <text>` (Threat Dragon numbers diagrams; their ids
/// here are not kept).
fn diagram_note_value(description: &str, index: usize, name: &str, what: &str) -> Option<String> {
    let head = format!("{DIAGRAM_NOTE}{index} (\"{}\") {what}", single_line(name));
    description.lines().find_map(|line| {
        let rest = line.strip_prefix(head.as_str())?;
        if rest.is_empty() {
            Some(String::new())
        } else {
            rest.strip_prefix(": ").map(unescape_note)
        }
    })
}

/// `Text on diagram "<name>": <text>`: a text block of a diagram.
const TEXT_NOTE: &str = "Text on diagram \"";

/// Keeps a text drawn on a diagram (a Threat Dragon text block, a Devici
/// sticker) as the paragraph Threat Dragon export draws again.
pub(crate) fn note_diagram_text(description: &mut String, diagram: &str, text: &str) {
    append_note(
        description,
        &format!("{TEXT_NOTE}{diagram}\": {}", text.replace("\n\n", "\n")),
    );
}

/// `Threat Dragon diagram <index> ("<title>") text place: {"text": key,
/// "id", "x", "y", "width", "height"}`: where a text block was drawn and
/// its cell id; `key` ([`text_key`]) names the text, so an edited text
/// loses its place rather than taking another's.
const TEXT_PLACE: &str = "text place";

fn text_key(text: &str) -> String {
    stable_id(&NAMESPACE, &text.trim().replace("\n\n", "\n")).to_string()
}

/// The kept places of a diagram's text blocks, in the order written.
fn text_places(description: &str, index: usize, name: &str) -> Vec<Value> {
    let head = format!(
        "{DIAGRAM_NOTE}{index} (\"{}\") {TEXT_PLACE}: ",
        single_line(name)
    );
    description
        .lines()
        .filter_map(|l| l.strip_prefix(head.as_str()))
        .filter_map(|v| serde_json::from_str(&unescape_note(v)).ok())
        .collect()
}

/// The texts of a diagram's text blocks the model description keeps.
fn diagram_texts<'a>(description: &'a str, diagram: &str) -> Vec<&'a str> {
    let head = format!("{TEXT_NOTE}{diagram}\": ");
    description
        .split("\n\n")
        .filter_map(|p| p.strip_prefix(head.as_str()))
        .collect()
}
const DIAGRAM_TYPE: &str = "type";
/// `Threat Dragon flow <id> ("<name>") loop on element: <element id>`.
const FLOW_LOOP: &str = "loop on element";
/// `Threat Dragon flow <id> ("<name>") loose ends: {"diagram": n, "source":
/// {"cell": id} or {"x", "y"}, "target": ...}`: a flow with an end in the
/// open.
const FLOW_LOOSE: &str = "loose ends";
/// `Threat Dragon boundary <id> ("<name>") threat: {...}`: a threat a file
/// put on a trust boundary, as the file had it.
const BOUNDARY_THREAT: &str = "threat";

/// The threats the model description keeps for a boundary, as written.
fn boundary_threats(description: &str, id: Uuid) -> Vec<Value> {
    let head = format!("{BOUNDARY_NOTE}{id} (\"");
    let marker = format!("\") {BOUNDARY_THREAT}: ");
    description
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix(head.as_str())?;
            let at = rest.rfind(marker.as_str())?;
            serde_json::from_str(&unescape_note(&rest[at + marker.len()..])).ok()
        })
        .collect()
}
/// The threat note (`Threat Dragon flow: <id>`) of a threat that Threat
/// Dragon had on a flow kept as a line of the model description (a loop, a
/// flow with an end in the open).
const KEPT_FLOW_NOTE: &str = "flow";

/// Keeps a loop (a flow from an element back to itself; a flow here joins
/// two elements) as the model-description lines Threat Dragon export draws
/// it again from.
pub(crate) fn note_loop_flow(description: &mut String, flow: &Flow) {
    append_note(
        description,
        &flow_note(flow.id, &flow.name, FLOW_LOOP, &flow.source.to_string()),
    );
    note_flow_scope(description, flow);
}

/// `Threat Dragon flow <id> ("<name>") properties: {"protocol": .., ..}`:
/// what Threat Dragon's flow panel says of a kept flow (a loop, an end in
/// the open), written back onto it by export.
const FLOW_PROPERTIES: &str = "properties";

/// A kept flow's out-of-scope reason and properties, as lines of the model
/// description.
fn note_flow_scope(description: &mut String, flow: &Flow) {
    if let Some(reason) = &flow.out_of_scope {
        append_note(
            description,
            &flow_note(flow.id, &flow.name, FLOW_OUT_OF_SCOPE, reason),
        );
    }
    let mut props = serde_json::Map::new();
    if !flow.protocol.is_empty() {
        props.insert("protocol".into(), json!(flow.protocol));
    }
    for (key, set) in [
        ("isEncrypted", flow.encrypted_in_transit),
        ("isPublicNetwork", flow.crosses_public_network),
        ("isBidirectional", flow.bidirectional),
    ] {
        if set {
            props.insert(key.into(), json!(true));
        }
    }
    if !props.is_empty() {
        append_note(
            description,
            &flow_note(
                flow.id,
                &flow.name,
                FLOW_PROPERTIES,
                &Value::Object(props).to_string(),
            ),
        );
    }
}

/// A kept flow's noted properties (see [`FLOW_PROPERTIES`]): protocol,
/// encrypted, public network, both ways.
fn kept_flow_properties(description: &str, id: Uuid) -> (String, bool, bool, bool) {
    let props: Value = flow_note_value(description, id, FLOW_PROPERTIES)
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null);
    let flag = |k: &str| props[k].as_bool().unwrap_or(false);
    (
        props["protocol"].as_str().unwrap_or("").to_string(),
        flag("isEncrypted"),
        flag("isPublicNetwork"),
        flag("isBidirectional"),
    )
}

/// Puts a threat of a loop on the loop's element, noting the loop so
/// Threat Dragon export puts it back on it.
pub(crate) fn onto_loop_element(threat: &mut Threat, flow: Uuid, element: Uuid) {
    threat.target = ThreatTarget::Element(element);
    let line = note(KEPT_FLOW_NOTE, &flow.to_string());
    // Notes written back by export may hold the line already.
    if threat.notes.lines().any(|l| l == line) {
        return;
    }
    if !threat.notes.is_empty() {
        threat.notes.push('\n');
    }
    threat.notes.push_str(&line);
}

/// The flows with an end in the open the model description keeps: (flow
/// id, name, where they are drawn).
fn loose_flows(description: &str) -> Vec<(Uuid, String, Value)> {
    kept_flow_lines(description, FLOW_LOOSE, |kept| {
        serde_json::from_str(&unescape_note(kept)).ok()
    })
}

/// The loop flows the model description keeps: (flow id, name, element).
fn loop_flows(description: &str) -> Vec<(Uuid, String, Uuid)> {
    kept_flow_lines(description, FLOW_LOOP, |element| {
        Uuid::parse_str(element.trim()).ok()
    })
}

/// Description lines `FLOW_NOTE id ("name") kind: value`, with the value
/// read by `value`; lines that do not read are skipped.
fn kept_flow_lines<T>(
    description: &str,
    kind: &str,
    value: impl Fn(&str) -> Option<T>,
) -> Vec<(Uuid, String, T)> {
    let marker = format!("\") {kind}: ");
    description
        .lines()
        .filter_map(|line| {
            let rest = line.strip_prefix(FLOW_NOTE)?;
            let (id, rest) = rest.split_once(" (\"")?;
            let at = rest.rfind(marker.as_str())?;
            Some((
                Uuid::parse_str(id).ok()?,
                rest[..at].to_string(),
                value(&rest[at + marker.len()..])?,
            ))
        })
        .collect()
}

fn single_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text on one note line: a backslash is `\\`, a line break `\n`, so
/// paragraphs survive the round trip through the model description.
fn escape_note(s: &str) -> String {
    let s = s.trim().replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

fn unescape_note(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// `Threat Dragon flow <id> ("<name>") out of scope: <reason>`.
fn flow_note(id: Uuid, name: &str, what: &str, text: &str) -> String {
    cell_note(FLOW_NOTE, id, name, what, text)
}

/// `Threat Dragon <kind> <id> ("<name>") <what>: <text>` (the text escaped
/// onto one line).
fn cell_note(kind: &str, id: impl std::fmt::Display, name: &str, what: &str, text: &str) -> String {
    let text = escape_note(text);
    let mut line = format!("{kind}{id} (\"{}\") {what}", single_line(name));
    if !text.is_empty() {
        line.push_str(": ");
        line.push_str(&text);
    }
    line
}

/// The text of a flow's `what` line in the model description, if any.
fn flow_note_value(description: &str, id: Uuid, what: &str) -> Option<String> {
    cell_note_value(description, FLOW_NOTE, id, what)
}

fn cell_note_value(description: &str, kind: &str, id: Uuid, what: &str) -> Option<String> {
    let head = format!("{kind}{id} (\"");
    let marker = format!("\") {what}");
    description.lines().find_map(|line| {
        let rest = line.strip_prefix(head.as_str())?;
        let at = rest.find(marker.as_str())?;
        let after = &rest[at + marker.len()..];
        if after.is_empty() {
            Some(String::new())
        } else {
            after.strip_prefix(": ").map(unescape_note)
        }
    })
}

/// `Threat Dragon flow <id> ("<name>") label: [...]`: a flow's `labels` as
/// the file had them, kept when they say what its name does not.
const FLOW_LABEL: &str = "label";

/// The label export draws on a flow: its name, with the protocol.
fn flow_label_text(name: &str, protocol: &str) -> String {
    if protocol.is_empty() || name.is_empty() {
        name.to_string()
    } else {
        format!("{name} ({protocol})")
    }
}

/// Keeps a flow's `labels` as a line of the model description when they
/// hold more than one label or a text other than the label export would
/// draw from the flow's name (a canvas label "F2 polling / token" beside
/// the name "Bot API to api"), so export writes them back as they were.
fn note_flow_labels(description: &mut String, flow: &Flow, labels: Option<&Value>) {
    let Some(labels) = labels.filter(|l| !l.is_null()) else {
        return;
    };
    let drawn = flow_label_text(&flow.name, &flow.protocol);
    let several = labels.as_array().is_some_and(|l| l.len() > 1);
    let own_text = label_texts(labels)
        .into_iter()
        .any(|t| !t.trim().is_empty() && t != flow.name && t != drawn);
    if several || own_text {
        append_note(
            description,
            &flow_note(flow.id, &flow.name, FLOW_LABEL, &labels.to_string()),
        );
    }
}

/// The `labels` the model description keeps for a flow, while it has the
/// name they were kept with: Threat Dragon draws a renamed flow's name.
fn kept_flow_labels(description: &str, id: Uuid, name: &str) -> Option<Value> {
    let head = flow_note(id, name, FLOW_LABEL, "");
    description
        .lines()
        .find_map(|line| line.strip_prefix(head.as_str())?.strip_prefix(": "))
        .and_then(|text| serde_json::from_str(&unescape_note(text)).ok())
}

/// The text Threat Dragon drew on a flow when it differs from the flow's
/// name (its kept `labels`), for the report.
pub(crate) fn threat_dragon_flow_label(description: &str, flow: &Flow) -> Option<String> {
    let labels = kept_flow_labels(description, flow.id, &flow.name)?;
    shown_label(&labels)
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// Keeps a flow's description (from any format) as the model-description
/// line Threat Dragon export writes back onto the flow.
pub(crate) fn note_flow_description(description: &mut String, id: Uuid, name: &str, text: &str) {
    if !text.trim().is_empty() {
        append_note(
            description,
            &cell_note(FLOW_NOTE, id, name, FLOW_DESCRIPTION, text),
        );
    }
}

/// Keeps a trust boundary's description likewise.
pub(crate) fn note_boundary_description(
    description: &mut String,
    id: Uuid,
    name: &str,
    text: &str,
) {
    if !text.trim().is_empty() {
        append_note(
            description,
            &cell_note(BOUNDARY_NOTE, id, name, FLOW_DESCRIPTION, text),
        );
    }
}

/// Keeps the model's owner as the line Threat Dragon export writes into
/// the summary's owner.
pub(crate) fn note_owner(description: &mut String, owner: &str) {
    let owner = single_line(owner);
    if !owner.is_empty() {
        append_note(description, &format!("{OWNER_NOTE}{owner}"));
    }
}

/// Keeps the model's reviewer as the line Threat Dragon export writes into
/// the reviewer field.
pub(crate) fn note_reviewer(description: &mut String, reviewer: &str) {
    let reviewer = single_line(reviewer);
    if !reviewer.is_empty() {
        append_note(description, &format!("{REVIEWER_NOTE}{reviewer}"));
    }
}

/// Keeps the model's contributors (one text, as the tools list them) as the
/// line Threat Dragon export writes into the contributors.
pub(crate) fn note_contributors(description: &mut String, contributors: &str) {
    let contributors = single_line(contributors);
    if !contributors.is_empty() {
        append_note(description, &format!("{CONTRIBUTORS_NOTE}{contributors}"));
    }
}

/// A non-empty string value on one line (anything else is no value).
fn one_line(v: Option<&Value>) -> Option<String> {
    let s = v?
        .as_str()?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!s.is_empty()).then_some(s)
}

/// The value of a `prefix` line of the model description, if any.
fn description_note<'a>(description: &'a str, prefix: &str) -> &'a str {
    description
        .lines()
        .find_map(|l| l.strip_prefix(prefix))
        .unwrap_or("")
}

fn append_note(text: &mut String, line: &str) {
    // A note may span lines (text from the diagram): compare whole
    // paragraphs, so importing an export adds nothing twice.
    if text.lines().any(|l| l == line) || text.split("\n\n").any(|p| p == line) {
        return;
    }
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(line);
}

fn area(r: &Rect) -> f64 {
    r.width * r.height
}

fn contains_point(r: &Rect, x: f64, y: f64) -> bool {
    x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height
}

fn contains_rect(outer: &Rect, inner: &Rect) -> bool {
    inner.x >= outer.x
        && inner.y >= outer.y
        && inner.x + inner.width <= outer.x + outer.width
        && inner.y + inner.height <= outer.y + outer.height
}

/// Parent boxes and element boundaries from geometry. `boxes` are
/// (index in `diagram.boundaries`, rect) in cell order; a later box of equal
/// size counts as inside an earlier one.
pub(crate) fn compute_containment(diagram: &mut Diagram, boxes: &[(usize, Rect)]) {
    // Smallest first, so the first containing box is the innermost one.
    let mut order: Vec<usize> = (0..boxes.len()).collect();
    order.sort_by(|&a, &b| {
        area(&boxes[a].1)
            .total_cmp(&area(&boxes[b].1))
            .then(b.cmp(&a))
    });
    let rank: HashMap<usize, usize> = order.iter().enumerate().map(|(r, &i)| (i, r)).collect();
    for (i, (bi, rect)) in boxes.iter().enumerate() {
        let my_rank = rank[&i];
        let parent = order[my_rank + 1..]
            .iter()
            .find(|&&j| contains_rect(&boxes[j].1, rect))
            .map(|&j| diagram.boundaries[boxes[j].0].id);
        diagram.boundaries[*bi].parent = parent;
    }
    for e in &mut diagram.elements {
        let Some(r) = e.position else { continue };
        let (cx, cy) = (r.x + r.width / 2.0, r.y + r.height / 2.0);
        e.boundary = order
            .iter()
            .find(|&&j| contains_point(&boxes[j].1, cx, cy))
            .map(|&j| diagram.boundaries[boxes[j].0].id);
    }
}

/// The line naming the Threat Dragon template a model was read from: its
/// name, id, description and tags.
fn template_note(meta: &Node<'_>) -> Result<String, ImportError> {
    meta.object()?;
    let mut line = String::from("Threat Dragon template");
    if let Some(name) = meta
        .opt_str("name")?
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        line.push_str(&format!(" \"{name}\""));
    }
    if let Some(id) = meta.opt_scalar_text("id")?.filter(|i| !i.trim().is_empty()) {
        line.push_str(&format!(" ({})", id.trim()));
    }
    if let Some(d) = one_line(meta.value.get("description")) {
        line.push_str(&format!(": {d}"));
    }
    let tags = meta.str_array("tags")?;
    if !tags.is_empty() {
        line.push_str(&format!("; tags: {}", tags.join(", ")));
    }
    Ok(line)
}

/// Reads a Threat Dragon v2 (or v1) JSON model.
pub fn import(json: &str, workspace_id: Uuid) -> Result<ThreatModel, ImportError> {
    let value = parse_json(json)?;
    let file = Node::root(&value);
    file.object()?;
    // A Threat Dragon template (2.6: "Save as template") wraps a v2 model in
    // `model` beside its `templateMetadata`: the model is read, and a line
    // of its description names the template.
    let template = match (file.has("summary"), file.child("templateMetadata")) {
        (false, Some(meta)) if file.has("model") => Some(meta),
        _ => None,
    };
    let root = match &template {
        Some(_) => file.req_object("model")?,
        None => file,
    };
    if !root.has("summary") {
        if let Some(what) = looks_like(root.value).filter(|w| !w.contains("Threat Dragon model")) {
            return Err(root.err(format!("this is not a Threat Dragon model: it is {what}")));
        }
    }
    let summary = root.req_object("summary")?;
    let title = summary.req_str("title")?;
    if title.trim().is_empty() {
        return Err(summary.field_err(
            "title",
            "the model's title is empty; a threat model needs a name (models are matched by name on import)",
        ));
    }
    let detail = root.req_object("detail")?;
    let diagrams = detail.req_array("diagrams")?;

    let id = model_id(workspace_id, title);
    let mut model = ThreatModel::new(workspace_id, title);
    model.id = id;
    model.description = summary.str_or_empty("description")?.to_string();
    // Who owns and reviewed the model has no field of its own: a line each
    // in the description, which export writes back into the summary.
    let people = [
        (OWNER_NOTE, one_line(summary.value.get("owner"))),
        (REVIEWER_NOTE, one_line(detail.value.get("reviewer"))),
        (
            CONTRIBUTORS_NOTE,
            detail
                .value
                .get("contributors")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(|c| one_line(c.get("name").or(Some(c))))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .filter(|s| !s.is_empty()),
        ),
    ];
    for (prefix, value) in people {
        if let Some(v) = value {
            append_note(&mut model.description, &format!("{prefix}{v}"));
        }
    }
    if let Some(meta) = &template {
        append_note(&mut model.description, &template_note(meta)?);
    }

    // Data assets Plasma Plan wrote (Threat Dragon has none): read back.
    for a in summary.array(EXT_DATA_ASSETS)? {
        let asset: DataAsset = serde_json::from_value(a.value.clone())
            .map_err(|e| a.err(format!("not a data asset: {e}")))?;
        if model.data_assets.iter().any(|x| x.id == asset.id) {
            return Err(a.err(format!("the data asset id {} is used twice", asset.id)));
        }
        model.data_assets.push(asset);
    }
    let mut used_ids: HashSet<Uuid> = HashSet::new();
    let mut used_threat_ids: HashSet<Uuid> = HashSet::new();
    for (di, dnode) in diagrams.iter().enumerate() {
        dnode.object()?;
        let name = dnode
            .opt_str("title")?
            .map(str::to_string)
            .unwrap_or_else(|| format!("Diagram {}", di + 1));
        let cells = if dnode.has("cells") {
            dnode.array("cells")?
        } else if let Some(dj) = dnode.child("diagramJson") {
            dj.req_array("cells")?
        } else {
            // A v1 diagram never opened in Threat Dragon is saved with its
            // title only (no `diagramJson`): an empty diagram.
            vec![]
        };
        let mut diagram = Diagram::new(name);
        diagram.id = stable_id(&id, &format!("diagram/{di}"));
        // The diagram's methodology (other than STRIDE) and description
        // have no field of their own: lines of the model description,
        // which export writes back.
        let diagram_text = |key: &str| dnode.value.get(key).and_then(Value::as_str).map(str::trim);
        if let Some(ty) = diagram_text("diagramType")
            .filter(|t| !t.is_empty() && !t.eq_ignore_ascii_case("STRIDE"))
        {
            append_note(
                &mut model.description,
                &cell_note(DIAGRAM_NOTE, di, &diagram.name, DIAGRAM_TYPE, ty),
            );
        }
        if let Some(text) = diagram_text("description").filter(|t| !t.is_empty()) {
            append_note(
                &mut model.description,
                &cell_note(DIAGRAM_NOTE, di, &diagram.name, FLOW_DESCRIPTION, text),
            );
        }

        let mut parsed: Vec<Parsed> = vec![];
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for (ci, cell) in cells.iter().enumerate() {
            cell.object()?;
            let key = cell
                .opt_scalar_text("id")?
                .ok_or_else(|| cell.field_err("id", "the required key \"id\" is missing"))?;
            let shape = cell.opt_str("shape")?;
            let data = cell.child("data");
            let ty = match &data {
                Some(d) => {
                    d.object()?;
                    d.opt_str("type")?
                }
                None => None,
            };
            let ty = match ty {
                Some(t) => Some(t),
                None => cell.opt_str("type")?,
            };
            let kind = cell_kind(shape, ty)
                .or_else(|| guess_kind(cell, shape, ty))
                .ok_or_else(|| match (shape, ty) {
                    (None, None) => {
                        cell.field_err("shape", "the required key \"shape\" is missing")
                    }
                    _ => cell.field_err(
                        if shape.is_some() { "shape" } else { "type" },
                        format!(
                            "unknown cell shape \"{}\" (Threat Dragon's are actor, process, \
                             store, flow, trust-boundary-box and trust-boundary-curve; tm.Actor, \
                             tm.Process, tm.Store, tm.Flow and tm.Boundary in version 1)",
                            shape.or(ty).unwrap_or_default()
                        ),
                    ),
                })?;
            if by_key.contains_key(&key) {
                return Err(cell.field_err(
                    "id",
                    format!("the cell id \"{key}\" is used twice in this diagram"),
                ));
            }
            // The same id in another diagram (a diagram copied by hand)
            // is another cell: it gets an id of its own.
            let mut uuid = cell_uuid(&id, &key);
            if !used_ids.insert(uuid) {
                uuid = stable_id(&id, &format!("diagram/{di}/cell/{key}"));
                if !used_ids.insert(uuid) {
                    return Err(
                        cell.field_err("id", format!("the cell id \"{key}\" is used twice"))
                    );
                }
            }
            by_key.insert(key.clone(), parsed.len());
            parsed.push(Parsed {
                id: uuid,
                cell_key: key,
                kind,
                index: ci,
            });
        }

        let mut boxes: Vec<(usize, Rect)> = vec![];
        let mut curves: Vec<String> = vec![];
        // (target order, threat) to sort threats by element then flow order.
        let mut element_threats: Vec<(Uuid, Vec<Threat>)> = vec![];
        let mut flow_threats: Vec<(Uuid, Vec<Threat>)> = vec![];
        let mut texts: Vec<(String, String, Option<Rect>)> = vec![];
        let mut flow_cells: Vec<&Parsed> = vec![];
        let mut stencils: Vec<String> = vec![];

        for p in &parsed {
            let cell = &cells[p.index];
            let data = cell.child("data");
            // v2 keeps properties in `data`, v1 on the cell itself.
            let props_node = data.clone().unwrap_or_else(|| cell.clone());
            match p.kind {
                CellKind::Element(kind) => {
                    let name = match props_node.opt_str("name")? {
                        Some(n) => n,
                        None => attr_text(cell, &["text", "label"]).unwrap_or(""),
                    };
                    let mut e = Element::new(kind, name);
                    e.id = p.id;
                    e.description = props_node.str_or_empty("description")?.to_string();
                    e.position = rect_of(cell, p.kind)?;
                    e.props = element_props(&props_node)?;
                    for tag in props_node.str_array(EXT_TAGS)? {
                        if !e.props.tags.iter().any(|t| t == tag) {
                            e.props.tags.push(tag.to_string());
                        }
                    }
                    let (standard_shape, standard_type) = shape_of(kind);
                    let cell_shape = cell.opt_str("shape")?;
                    if cell_shape.is_some_and(|s| s != standard_shape)
                        || ty_of(cell)?.is_some_and(|t| t != standard_type)
                    {
                        let kept = [
                            cell_shape.map(|s| format!("{TAG_TD_SHAPE}{s}")),
                            ty_of(cell)?.map(|t| format!("{TAG_TD_TYPE}{t}")),
                        ];
                        for tag in kept.into_iter().flatten() {
                            if !e.props.tags.contains(&tag) {
                                e.props.tags.push(tag);
                            }
                        }
                    }
                    e.out_of_scope = out_of_scope(&props_node)?;
                    let threats = cell_threats(
                        cell,
                        &props_node,
                        ThreatTarget::Element(p.id),
                        &p.cell_key,
                        &id,
                        &mut used_threat_ids,
                    )?;
                    element_threats.push((p.id, threats));
                    diagram.elements.push(e);
                }
                CellKind::BoundaryBox | CellKind::BoundaryCurve => {
                    let name = props_node
                        .opt_str("name")?
                        .filter(|n| !n.is_empty())
                        .or_else(|| attr_text(cell, &["label", "text"]))
                        .or_else(|| label_text(cell))
                        .unwrap_or("");
                    let mut b = TrustBoundary::new(name, None);
                    b.id = p.id;
                    // A boundary has no description of its own: Threat
                    // Dragon's is a line of the model description, which
                    // export writes back.
                    let description = props_node.str_or_empty("description")?;
                    if !description.trim().is_empty() {
                        append_note(
                            &mut model.description,
                            &cell_note(BOUNDARY_NOTE, b.id, name, FLOW_DESCRIPTION, description),
                        );
                    }
                    // Threats on a boundary (Threat Dragon draws none, but
                    // files written by other tools do): a threat here is on
                    // an element or a flow, so each is a line of the model
                    // description, which export writes back onto the
                    // boundary.
                    let boundary_threats = if props_node.has("threats") {
                        props_node.array("threats")?
                    } else {
                        cell.array("threats")?
                    };
                    for t in boundary_threats {
                        t.object()?;
                        append_note(
                            &mut model.description,
                            &cell_note(
                                BOUNDARY_NOTE,
                                b.id,
                                name,
                                BOUNDARY_THREAT,
                                &t.value.to_string(),
                            ),
                        );
                    }
                    if p.kind == CellKind::BoundaryBox {
                        let rect = rect_of(cell, p.kind)?.unwrap_or(Rect {
                            x: 0.0,
                            y: 0.0,
                            width: 0.0,
                            height: 0.0,
                        });
                        b.position = Some(rect);
                        boxes.push((diagram.boundaries.len(), rect));
                    } else if ext_bool(&props_node, EXT_EMPTY_BOUNDARY) {
                        // Plasma Plan's own placeholder line for a boundary
                        // that holds nothing: no line, and no note.
                    } else if let Some(line) = line_of(cell)? {
                        b.line = line;
                    } else {
                        curves.push(if name.trim().is_empty() {
                            "unnamed".to_string()
                        } else {
                            format!("\"{}\"", single_line(name))
                        });
                    }
                    diagram.boundaries.push(b);
                }
                CellKind::Text => {
                    let text = props_node
                        .opt_str("name")?
                        .or_else(|| attr_text(cell, &["text", "label"]))
                        .unwrap_or("");
                    if !text.trim().is_empty() {
                        let place = match props_node.bool_or(EXT_TEXT_PLACED, false)? {
                            true => None,
                            false => rect_of(cell, CellKind::Text)?,
                        };
                        texts.push((text.trim().to_string(), p.cell_key.clone(), place));
                    }
                }
                CellKind::Flow => flow_cells.push(p),
                CellKind::Stencil => stencils.push(format!("\"{}\"", p.cell_key)),
            }
        }

        let mut loose_ends: Vec<String> = vec![];
        for p in flow_cells {
            let cell = &cells[p.index];
            let data = cell.child("data");
            let props_node = data.clone().unwrap_or_else(|| cell.clone());
            let mut ends = [Uuid::nil(), Uuid::nil()];
            let mut free: [Option<Point>; 2] = [None, None];
            for (slot, end) in ends.iter_mut().zip(["source", "target"]) {
                let Some(end_node) = cell.child(end) else {
                    return Err(
                        cell.field_err(end, format!("the required key \"{end}\" is missing"))
                    );
                };
                end_node.object()?;
                let (key_name, key) = match end_node.opt_scalar_text("cell")? {
                    Some(k) => ("cell", k),
                    None => match end_node.opt_scalar_text("id")? {
                        Some(k) => ("id", k),
                        None => {
                            // A loose end (a point, not a cell): Threat Dragon
                            // keeps flows drawn up to an element without
                            // snapping to it, and flows left in the open.
                            let point = loose_point(&end_node, end)?;
                            let Some(element) = element_at(&diagram, point) else {
                                free[end_index(end)] = Some(point);
                                continue;
                            };
                            *slot = element.id;
                            loose_ends.push(format!(
                                "the {end} of flow \"{}\" was a loose point ({}, {}), connected to \"{}\", the element drawn there",
                                flow_display_name(cell),
                                point.x,
                                point.y,
                                element.name
                            ));
                            continue;
                        }
                    },
                };
                let target = by_key
                    .get(&key)
                    .map(|&i| &parsed[i])
                    .filter(|t| matches!(t.kind, CellKind::Element(_)));
                // Attached to a trust boundary or a text block (Threat
                // Dragon attaches an edge dropped on any node): no element
                // there, so the end stays in the open at that node.
                let at_node = by_key.get(&key).and_then(|&i| {
                    let other = &parsed[i];
                    let other_cell = &cells[other.index];
                    let point = match other.kind {
                        CellKind::BoundaryBox | CellKind::Text => rect_of(other_cell, other.kind)
                            .ok()
                            .flatten()
                            .map(|r| Point {
                                x: r.x + r.width / 2.0,
                                y: r.y + r.height / 2.0,
                            }),
                        CellKind::BoundaryCurve => other_cell
                            .child("source")
                            .and_then(|n| loose_point(&n, "source").ok()),
                        _ => None,
                    }?;
                    let what = if other.kind == CellKind::Text {
                        "text block"
                    } else {
                        "trust boundary"
                    };
                    Some((point, what, other.cell_key.clone()))
                });
                if target.is_none() {
                    if let Some((point, what, other)) = at_node {
                        free[end_index(end)] = Some(point);
                        loose_ends.push(format!(
                            "the {end} of flow \"{}\" was attached to {what} \"{other}\", which is no element, so it stays in the open there",
                            flow_display_name(cell),
                        ));
                        continue;
                    }
                }
                match target {
                    Some(t) => *slot = t.id,
                    None => {
                        return Err(end_node.field_err(
                            key_name,
                            if let Some(&i) = by_key.get(&key) {
                                let what = match parsed[i].kind {
                                    CellKind::BoundaryBox | CellKind::BoundaryCurve => {
                                        "a trust boundary"
                                    }
                                    CellKind::Text => "a text block",
                                    CellKind::Flow | CellKind::Stencil => "another flow",
                                    CellKind::Element(_) => "an element",
                                };
                                format!(
                                    "the flow \"{}\" ends ({end}) at \"{key}\", which is {what}, not an element; connect the flow to an element in Threat Dragon and save again",
                                    flow_display_name(cell)
                                )
                            } else {
                                format!("the flow's {end} names the unknown element \"{key}\"")
                            },
                        ))
                    }
                }
            }
            let name = match data.as_ref() {
                Some(d) if d.has("name") => d.str_or_empty("name")?,
                _ => label_text(cell).unwrap_or(""),
            };
            let mut f = Flow::new(name, ends[0], ends[1]);
            f.id = p.id;
            f.bidirectional = props_node.bool_or("isBidirectional", false)?;
            f.protocol = props_node.str_or_empty("protocol")?.trim().to_string();
            f.encrypted_in_transit = props_node.bool_or("isEncrypted", false)?;
            f.crosses_public_network = props_node.bool_or("isPublicNetwork", false)?;
            f.points = points_of(cell)?;
            f.out_of_scope = out_of_scope(&props_node)?;
            f.port = props_node
                .opt_f64(EXT_PORT)
                .ok()
                .flatten()
                .filter(|p| *p >= 0.0 && *p <= f64::from(u32::MAX) && p.fract() == 0.0)
                .map(|p| p as u32);
            f.authenticated = ext_bool(&props_node, EXT_AUTHENTICATED);
            f.authorized = ext_bool(&props_node, EXT_AUTHORIZED);
            for (i, d) in props_node.str_array(EXT_DATA)?.into_iter().enumerate() {
                let id = Uuid::parse_str(d.trim())
                    .ok()
                    .filter(|id| model.data_assets.iter().any(|a| a.id == *id))
                    .ok_or_else(|| {
                        ImportError::new(
                            format!("{}/{i}", props_node.key_ptr(EXT_DATA)),
                            format!("names the unknown data asset \"{d}\""),
                        )
                    })?;
                if !f.data.contains(&id) {
                    f.data.push(id);
                }
            }
            // A flow has no description of its own: Threat Dragon's is a line
            // of the model description, which export writes back.
            let flow_description = props_node.str_or_empty("description")?;
            if !flow_description.trim().is_empty() {
                append_note(
                    &mut model.description,
                    &flow_note(f.id, &f.name, FLOW_DESCRIPTION, flow_description),
                );
            }
            note_flow_labels(&mut model.description, &f, cell.value.get("labels"));
            if free.iter().any(Option::is_some) {
                // An end left in the open (Threat Dragon allows it): a flow
                // here joins two elements, so it is a line of the model
                // description, which export draws again; its threats are
                // on the element at its other end.
                let end_json = |i: usize| match free[i] {
                    Some(pt) => json!({"x": pt.x, "y": pt.y}),
                    None => json!({"cell": ends[i].to_string()}),
                };
                let kept = json!({"diagram": di, "source": end_json(0), "target": end_json(1)});
                append_note(
                    &mut model.description,
                    &flow_note(f.id, &f.name, FLOW_LOOSE, &kept.to_string()),
                );
                note_flow_scope(&mut model.description, &f);
                let element = ends.iter().copied().find(|e| !e.is_nil());
                let mut threats = cell_threats(
                    cell,
                    &props_node,
                    ThreatTarget::Element(element.unwrap_or_default()),
                    &p.cell_key,
                    &id,
                    &mut used_threat_ids,
                )?;
                match element {
                    Some(element) => {
                        for t in &mut threats {
                            onto_loop_element(t, f.id, element);
                        }
                    }
                    None if !threats.is_empty() => {
                        return Err(cell.err(format!(
                            "the flow \"{}\" has threats but neither of its ends is on an element, so they have nothing to belong to; connect the flow in Threat Dragon and save again",
                            flow_display_name(cell)
                        )));
                    }
                    None => {}
                }
                flow_threats.push((p.id, threats));
                continue;
            }
            if ends[0] == ends[1] {
                // A loop (Threat Dragon allows them; a flow here joins two
                // elements): a line of the model description, with its
                // threats on the element, each noting the flow; export
                // draws the loop again and puts them back on it.
                note_loop_flow(&mut model.description, &f);
                let mut threats = cell_threats(
                    cell,
                    &props_node,
                    ThreatTarget::Element(ends[0]),
                    &p.cell_key,
                    &id,
                    &mut used_threat_ids,
                )?;
                for t in &mut threats {
                    onto_loop_element(t, f.id, ends[0]);
                }
                flow_threats.push((p.id, threats));
                continue;
            }
            let threats = cell_threats(
                cell,
                &props_node,
                ThreatTarget::Flow(p.id),
                &p.cell_key,
                &id,
                &mut used_threat_ids,
            )?;
            flow_threats.push((p.id, threats));
            diagram.flows.push(f);
        }

        if !loose_ends.is_empty() {
            let line = format!("Diagram \"{}\": {}.", diagram.name, loose_ends.join("; "));
            append_note(&mut model.description, &line);
        }
        compute_containment(&mut diagram, &boxes);
        for (_, threats) in element_threats.into_iter().chain(flow_threats) {
            model.threats.extend(threats);
        }
        if !stencils.is_empty() {
            let line = format!(
                "Diagram \"{}\": palette flow shape(s) {} had no ends, so they are no flows.",
                diagram.name,
                stencils.join(", ")
            );
            append_note(&mut model.description, &line);
        }
        if !curves.is_empty() {
            let line = format!(
                "Diagram \"{}\": trust boundary line(s) {} have no end points, so no flow crosses them.",
                diagram.name,
                curves.join(", ")
            );
            append_note(&mut model.description, &line);
        }
        for (text, key, place) in texts {
            note_diagram_text(&mut model.description, &diagram.name, &text);
            // Where the block was drawn, so export puts it back there.
            if let Some(r) = place {
                let kept = json!({"text": text_key(&text), "id": key,
                    "x": r.x, "y": r.y, "width": r.width, "height": r.height});
                let line = cell_note(
                    DIAGRAM_NOTE,
                    di,
                    &diagram.name,
                    TEXT_PLACE,
                    &kept.to_string(),
                );
                append_note(&mut model.description, &line);
            }
        }
        model.diagrams.push(diagram);
    }
    let mut given = HashSet::new();
    for n in detail.array(EXT_GIVEN_NUMBERS)? {
        let id = n.value.as_str().and_then(|s| Uuid::parse_str(s).ok());
        given.insert(id.ok_or_else(|| n.err("expected a threat id"))?);
    }
    let number_line = format!("{NOTE_PREFIX}{NUMBER_NOTE}: ");
    for t in model.threats.iter_mut().filter(|t| given.contains(&t.id)) {
        let kept: Vec<&str> = t
            .notes
            .lines()
            .filter(|l| !l.starts_with(&number_line))
            .collect();
        t.notes = kept.join("\n");
    }
    if let Some(unread) = unread_keys(root.value) {
        append_note(&mut model.description, &unread);
    }
    Ok(model)
}

// The keys Threat Dragon (v1 and v2, and the X6 and JointJS cells under
// them) writes at each level, and the ones Plasma Plan's export adds: what
// this import reads, or drawing state it has no use for. Others are a
// fork's or an author's own data, listed by [`unread_keys`].
const ROOT_KEYS: &[&str] = &[
    "version",
    "summary",
    "detail",
    "release_version",
    "released_at",
];
const SUMMARY_KEYS: &[&str] = &["title", "owner", "description", "id", EXT_DATA_ASSETS];
const DETAIL_KEYS: &[&str] = &[
    "contributors",
    "diagrams",
    "reviewer",
    "diagramTop",
    "threatTop",
    EXT_GIVEN_NUMBERS,
];
const CONTRIBUTOR_KEYS: &[&str] = &["name"];
const DIAGRAM_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "diagramType",
    "placeholder",
    "thumbnail",
    "version",
    "size",
    "cells",
    "diagramJson",
];
const DIAGRAM_JSON_KEYS: &[&str] = &["cells"];
const CELL_KEYS: &[&str] = &[
    // X6 (v2) and JointJS (v1) drawing state.
    "id",
    "shape",
    "type",
    "position",
    "size",
    "width",
    "height",
    "angle",
    "attrs",
    "z",
    "zIndex",
    "visible",
    "markup",
    "ports",
    "tools",
    "parent",
    "children",
    "embeds",
    "source",
    "target",
    "vertices",
    "labels",
    "defaultLabel",
    "router",
    "connector",
    "smooth",
    "data",
    "threats",
    // v1 properties on the cell itself.
    "name",
    "description",
    "outOfScope",
    "reasonOutOfScope",
    "hasOpenThreats",
    "isTrustBoundary",
    "privilegeLevel",
    "storesCredentials",
    "isALog",
    "isEncrypted",
    "isSigned",
    "isWebApplication",
    "providesAuthentication",
    "handlesCardPayment",
    "handlesGoodsOrServices",
    "storesInventory",
    "isPublicNetwork",
    "isBidirectional",
    "protocol",
];
const DATA_KEYS: &[&str] = &[
    "type",
    "name",
    "description",
    "outOfScope",
    "reasonOutOfScope",
    "hasOpenThreats",
    "isTrustBoundary",
    "threats",
    "threatFrequency",
    "privilegeLevel",
    "storesCredentials",
    "isALog",
    "isEncrypted",
    "isSigned",
    "isWebApplication",
    "providesAuthentication",
    "handlesCardPayment",
    "handlesGoodsOrServices",
    "storesInventory",
    "isPublicNetwork",
    "isBidirectional",
    "protocol",
    EXT_TAGS,
    EXT_PORT,
    EXT_AUTHENTICATED,
    EXT_AUTHORIZED,
    EXT_DATA,
    EXT_EMPTY_BOUNDARY,
    EXT_TEXT_PLACED,
];
const THREAT_KEYS: &[&str] = &[
    "id",
    "threatId",
    "number",
    "title",
    "type",
    "status",
    "severity",
    "score",
    "description",
    "mitigation",
    "modelType",
    "ruleId",
    "new",
    EXT_THREAT,
];

/// The keys outside Threat Dragon's format, each with its JSON pointer (and
/// the cell's name) and value, as a paragraph of the model description:
/// Threat Dragon ignores them, but they are the author's data (a CT scanner
/// model's `modelMetadata`, its flows' `flowGroupId` and `conditional`).
fn unread_keys(root: &Value) -> Option<String> {
    fn check(value: &Value, ptr: &str, known: &[&str], name: &str, out: &mut Vec<String>) {
        let Some(map) = value.as_object() else {
            return;
        };
        for (k, v) in map {
            let known =
                known.contains(&k.as_str()) || k == "$$hashKey" || EXT_FLAGS.contains(&k.as_str());
            if known || v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty()) {
                continue;
            }
            let text = match v {
                Value::String(s) => super::text::one_line(s),
                Value::Array(items) if items.iter().all(|i| i.is_string() || i.is_number()) => {
                    items
                        .iter()
                        .map(|i| match i {
                            Value::String(s) => super::text::one_line(s),
                            other => other.to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                }
                other => other.to_string(),
            };
            let at = super::json::child_ptr(ptr, k);
            if name.is_empty() {
                out.push(format!("- {at}: {text}"));
            } else {
                out.push(format!("- {at} (\"{name}\"): {text}"));
            }
        }
    }
    fn items<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = (usize, &'a Value)> {
        value
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
    }
    // A cell's name for the reader: its data name, text or label.
    fn cell_name(cell: &Value) -> String {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(super::text::one_line);
        text(cell.pointer("/data/name"))
            .or_else(|| text(cell.get("name")))
            .or_else(|| text(cell.pointer("/attrs/text/text")))
            .or_else(|| text(cell.pointer("/attrs/label/text")))
            .or_else(|| text(cell.pointer("/labels/0/attrs/text/text")))
            .or_else(|| text(cell.pointer("/labels/0/attrs/label/text")))
            .or_else(|| text(cell.pointer("/labels/0")))
            .unwrap_or_default()
    }
    let mut out = vec![];
    check(root, "", ROOT_KEYS, "", &mut out);
    if let Some(summary) = root.get("summary") {
        check(summary, "/summary", SUMMARY_KEYS, "", &mut out);
    }
    let detail = root.get("detail")?;
    check(detail, "/detail", DETAIL_KEYS, "", &mut out);
    for (i, c) in items(detail, "contributors") {
        check(
            c,
            &format!("/detail/contributors/{i}"),
            CONTRIBUTOR_KEYS,
            "",
            &mut out,
        );
    }
    for (di, d) in items(detail, "diagrams") {
        let dptr = format!("/detail/diagrams/{di}");
        check(d, &dptr, DIAGRAM_KEYS, "", &mut out);
        let mut cells = items(d, "cells")
            .map(|(i, c)| (format!("{dptr}/cells/{i}"), c))
            .collect::<Vec<_>>();
        if let Some(dj) = d.get("diagramJson") {
            let jptr = format!("{dptr}/diagramJson");
            check(dj, &jptr, DIAGRAM_JSON_KEYS, "", &mut out);
            cells.extend(items(dj, "cells").map(|(i, c)| (format!("{jptr}/cells/{i}"), c)));
        }
        for (cptr, cell) in cells {
            let name = cell_name(cell);
            check(cell, &cptr, CELL_KEYS, &name, &mut out);
            let mut threats = items(cell, "threats")
                .map(|(i, t)| (format!("{cptr}/threats/{i}"), t))
                .collect::<Vec<_>>();
            if let Some(data) = cell.get("data") {
                let data_ptr = format!("{cptr}/data");
                check(data, &data_ptr, DATA_KEYS, &name, &mut out);
                threats.extend(
                    items(data, "threats").map(|(i, t)| (format!("{data_ptr}/threats/{i}"), t)),
                );
            }
            for (tptr, t) in threats {
                let title = t
                    .get("title")
                    .and_then(Value::as_str)
                    .map(super::text::one_line)
                    .unwrap_or_default();
                check(t, &tptr, THREAT_KEYS, &title, &mut out);
            }
        }
    }
    (!out.is_empty()).then(|| {
        format!(
            "Threat Dragon keys this import does not read (kept as they are):\n{}",
            out.join("\n")
        )
    })
}

fn cell_threats(
    cell: &Node<'_>,
    props: &Node<'_>,
    target: ThreatTarget,
    cell_key: &str,
    model_id: &Uuid,
    used: &mut HashSet<Uuid>,
) -> Result<Vec<Threat>, ImportError> {
    let nodes = if props.has("threats") {
        props.array("threats")?
    } else {
        cell.array("threats")?
    };
    nodes
        .iter()
        .enumerate()
        .map(|(i, n)| import_threat(n, target, &format!("{cell_key}/threat/{i}"), model_id, used))
        .collect()
}

/// Threat Dragon's `outOfScope` flag with its `reasonOutOfScope`.
fn out_of_scope(node: &Node<'_>) -> Result<Option<String>, ImportError> {
    Ok(if node.bool_or("outOfScope", false)? {
        Some(node.str_or_empty("reasonOutOfScope")?.to_string())
    } else {
        None
    })
}

fn element_props(node: &Node<'_>) -> Result<ElementProps, ImportError> {
    let mut props = ElementProps {
        stores_credentials: node.bool_or("storesCredentials", false)?,
        is_log: node.bool_or("isALog", false)?,
        encrypted_at_rest: node.bool_or("isEncrypted", false)?,
        signed: node.bool_or("isSigned", false)?,
        web_application: node.bool_or("isWebApplication", false)?,
        privilege: privilege_from(node.str_or_empty("privilegeLevel")?),
        api_gateway: ext_bool(node, EXT_FLAGS[0]),
        queue_or_stream: ext_bool(node, EXT_FLAGS[1]),
        llm_component: ext_bool(node, EXT_FLAGS[2]),
        handles_untrusted_input: ext_bool(node, EXT_FLAGS[3]),
        sanitizes_input: ext_bool(node, EXT_FLAGS[4]),
        has_access_control: ext_bool(node, EXT_FLAGS[5]),
        hardened: ext_bool(node, EXT_FLAGS[6]),
        ..ElementProps::default()
    };
    for (key, tag) in FLAG_TAGS {
        if node.bool_or(key, false)? {
            props.tags.push(tag.to_string());
        }
    }
    // Threat Dragon's privilege level is free text ("executionContext
    // =Limited"): what the level does not say exactly is kept in a tag.
    let raw = node.str_or_empty("privilegeLevel")?.trim();
    if !raw.is_empty() && raw != privilege_text(props.privilege) {
        props
            .tags
            .push(format!("{TAG_TD_PRIVILEGE}{}", single_line(raw)));
    }
    Ok(props)
}

// ---------------------------------------------------------------- export

fn status_text(t: &Threat) -> String {
    if let Some(s) = note_value(&t.notes, "status") {
        return s.to_string();
    }
    match t.status {
        ThreatStatus::Open => "Open",
        ThreatStatus::Mitigated => "Mitigated",
        ThreatStatus::Accepted { .. } => "Accepted",
        ThreatStatus::Transferred => "Transferred",
        ThreatStatus::NotApplicable => "NA",
    }
    .to_string()
}

fn severity_text(t: &Threat) -> String {
    if let Some(s) = note_value(&t.notes, "severity") {
        return s.to_string();
    }
    match t.severity() {
        Severity::Note => "Low",
        s => severity_title(s),
    }
    .to_string()
}

fn threat_json(t: &Threat, number: usize) -> Value {
    let ty = note_value(&t.notes, "type")
        .map(str::to_string)
        .unwrap_or_else(|| t.category.label().to_string());
    let model_type = note_value(&t.notes, "model").unwrap_or("STRIDE");
    let mitigation = mitigation_text(t);
    let score = t
        .cvss
        .clone()
        .or_else(|| note_value(&t.notes, "score").map(str::to_string))
        .unwrap_or_default();
    let mut out = json!({
        "id": t.id.to_string(),
        "title": t.title,
        "status": status_text(t),
        "severity": severity_text(t),
        "type": ty,
        "description": t.description,
        "mitigation": mitigation,
        "modelType": model_type,
        "new": false,
        "number": number,
        "score": score,
    });
    let ext = threat_ext(t);
    if !ext.is_empty() {
        out[EXT_THREAT] = Value::Object(ext);
    }
    out
}

/// Threat Dragon's mitigation text of a threat: its mitigations' titles, one
/// paragraph each, or an accepted risk's justification when it has none.
fn mitigation_text(t: &Threat) -> String {
    match &t.status {
        ThreatStatus::Accepted { justification, .. } if t.mitigations.is_empty() => {
            justification.clone()
        }
        _ => t
            .mitigations
            .iter()
            .map(|m| m.title.as_str())
            .collect::<Vec<_>>()
            .join("\n\n"),
    }
}

fn shape_of(kind: ElementKind) -> (&'static str, &'static str) {
    match kind {
        ElementKind::ExternalEntity => ("actor", "tm.Actor"),
        ElementKind::Process => ("process", "tm.Process"),
        ElementKind::DataStore => ("store", "tm.Store"),
    }
}

/// The shape and type export writes: the element kind's, or those an
/// imported element kept in tags (an AI agent, a fork's shape).
fn element_shape(e: &Element) -> (&str, &str) {
    let (shape, ty) = shape_of(e.kind);
    let tag = |prefix: &str| {
        e.props
            .tags
            .iter()
            .find_map(|t| t.strip_prefix(prefix))
            .filter(|v| !v.trim().is_empty())
    };
    (
        tag(TAG_TD_SHAPE).unwrap_or(shape),
        tag(TAG_TD_TYPE).unwrap_or(ty),
    )
}

fn element_data(e: &Element, threats: Vec<Value>, open: bool) -> Value {
    let p = &e.props;
    let tags: HashSet<&str> = p.tags.iter().map(String::as_str).collect();
    // Models imported before out of scope had a field kept it in tags.
    let legacy_reason = || {
        p.tags
            .iter()
            .find_map(|t| t.strip_prefix(TAG_OUT_OF_SCOPE_REASON))
    };
    let out = e.out_of_scope.is_some() || tags.contains(TAG_OUT_OF_SCOPE);
    let reason = e
        .out_of_scope
        .as_deref()
        .or_else(legacy_reason)
        .unwrap_or("");
    let mut data = Map::new();
    let (_, ty) = element_shape(e);
    data.insert("type".into(), json!(ty));
    data.insert("name".into(), json!(e.name));
    data.insert("description".into(), json!(e.description));
    data.insert("outOfScope".into(), json!(out));
    data.insert("reasonOutOfScope".into(), json!(reason));
    data.insert("isTrustBoundary".into(), json!(false));
    data.insert("hasOpenThreats".into(), json!(open));
    data.insert("threats".into(), Value::Array(threats));
    let mut flag = |key: &str, value: bool, relevant: bool| {
        if value || relevant {
            data.insert(key.into(), json!(value));
        }
    };
    let store = e.kind == ElementKind::DataStore;
    let process = e.kind == ElementKind::Process;
    let actor = e.kind == ElementKind::ExternalEntity;
    flag("storesCredentials", p.stores_credentials, store);
    flag("isALog", p.is_log, store);
    flag("isEncrypted", p.encrypted_at_rest, store);
    flag("isSigned", p.signed, store);
    flag("isWebApplication", p.web_application, process);
    for (key, tag) in FLAG_TAGS {
        let relevant = match key {
            "providesAuthentication" => actor,
            "storesInventory" => store,
            _ => process,
        };
        flag(key, tags.contains(tag), relevant);
    }
    for (key, value) in EXT_FLAGS.iter().zip([
        p.api_gateway,
        p.queue_or_stream,
        p.llm_component,
        p.handles_untrusted_input,
        p.sanitizes_input,
        p.has_access_control,
        p.hardened,
    ]) {
        if value {
            data.insert((*key).into(), json!(true));
        }
    }
    if !p.tags.is_empty() {
        data.insert(EXT_TAGS.into(), json!(p.tags));
    }
    // The text Threat Dragon had, while the level still reads the same.
    let raw = p
        .tags
        .iter()
        .find_map(|t| t.strip_prefix(TAG_TD_PRIVILEGE))
        .filter(|raw| privilege_from(raw) == p.privilege);
    if let Some(raw) = raw {
        data.insert("privilegeLevel".into(), json!(raw));
    } else if process || p.privilege != Privilege::Standard {
        data.insert("privilegeLevel".into(), json!(privilege_text(p.privilege)));
    }
    Value::Object(data)
}

/// A Threat Dragon edge cell (a flow, or a boundary curve) of this shape
/// through these points, labelled with `name`.
struct Edge<'a> {
    id: Uuid,
    shape: &'a str,
    name: &'a str,
    z: i64,
    source: Value,
    target: Value,
    vertices: Value,
    /// The edge's `labels` as a file had them, written instead of `name`.
    labels: Option<Value>,
}

fn edge_cell(e: Edge<'_>, data: Value) -> Value {
    json!({
        "id": e.id.to_string(),
        "shape": e.shape,
        "zIndex": e.z,
        "width": 200,
        "height": 100,
        "connector": "smooth",
        "source": e.source,
        "target": e.target,
        "vertices": e.vertices,
        "labels": e.labels.unwrap_or_else(|| json!([{"position": 0.5, "attrs": {"label": {"text": e.name}}}])),
        "data": data,
    })
}

/// A boundary as a Threat Dragon `trust-boundary-curve` cell.
fn curve_cell(
    b: &TrustBoundary,
    z: i64,
    source: Value,
    target: Value,
    vertices: Vec<Value>,
    data: Value,
) -> Value {
    let edge = Edge {
        id: b.id,
        shape: "trust-boundary-curve",
        name: &b.name,
        z,
        source,
        target,
        vertices: Value::Array(vertices),
        labels: None,
    };
    edge_cell(edge, data)
}

/// Writes the model as a Threat Dragon v2 JSON file (pretty-printed).
/// Elements without a position are laid out first; trust boundaries that
/// have neither a position nor members are written as boundary curves.
pub fn export(model: &ThreatModel) -> String {
    let loops = loop_flows(&model.description);
    let loose = loose_flows(&model.description);
    let loop_ids: HashSet<Uuid> = loops
        .iter()
        .map(|(id, _, _)| *id)
        .chain(loose.iter().map(|(id, _, _)| *id))
        .collect();
    let mut by_target: HashMap<Uuid, Vec<&Threat>> = HashMap::new();
    for t in &model.threats {
        // A threat Threat Dragon had on a loop flow goes back onto it.
        let on_loop = note_value(&t.notes, KEPT_FLOW_NOTE)
            .and_then(|v| Uuid::parse_str(v.trim()).ok())
            .filter(|id| loop_ids.contains(id));
        by_target
            .entry(on_loop.unwrap_or_else(|| t.target.id()))
            .or_default()
            .push(t);
    }
    // A threat keeps the number Threat Dragon gave it (the first of two
    // with the same one); the others take numbers after the highest kept.
    let mut kept_numbers: HashMap<Uuid, usize> = HashMap::new();
    let mut taken: HashSet<usize> = HashSet::new();
    for t in &model.threats {
        let kept = note_value(&t.notes, NUMBER_NOTE).and_then(|n| n.trim().parse::<usize>().ok());
        if let Some(n) = kept.filter(|n| *n > 0 && taken.insert(*n)) {
            kept_numbers.insert(t.id, n);
        }
    }
    let mut number = taken.iter().max().copied().unwrap_or(0);
    let mut given: Vec<String> = vec![];
    let mut threat_values = |id: Uuid| -> (Vec<Value>, bool) {
        let list = by_target.get(&id).map(Vec::as_slice).unwrap_or(&[]);
        let open = list.iter().any(|t| is_open(t));
        let values = list
            .iter()
            .map(|t| {
                let n = kept_numbers.get(&t.id).copied().unwrap_or_else(|| {
                    number += 1;
                    given.push(t.id.to_string());
                    number
                });
                threat_json(t, n)
            })
            .collect();
        (values, open)
    };

    let mut diagrams = vec![];
    for (di, original) in model.diagrams.iter().enumerate() {
        let mut d = original.clone();
        super::diagram::auto_layout(&mut d);
        let used: HashSet<Uuid> = d
            .elements
            .iter()
            .filter_map(|e| e.boundary)
            .chain(d.boundaries.iter().filter_map(|b| b.parent))
            .collect();
        let mut cells = vec![];
        let mut z = 0i64;
        // Boundary lines go below everything drawn, one under the other,
        // so they cross no element or box.
        let (line_x, mut line_y) = d
            .elements
            .iter()
            .filter_map(|e| e.position)
            .chain(d.boundaries.iter().filter_map(|b| b.position))
            .fold(None, |acc: Option<(f64, f64)>, r| {
                let (x, y) = acc.unwrap_or((r.x, r.y + r.height));
                Some((x.min(r.x), y.max(r.y + r.height)))
            })
            // The schema wants whole numbers for a line's ends.
            .map_or((20, 20), |(x, y)| {
                (x.floor() as i64, (y + 60.0).ceil() as i64)
            });
        for b in &d.boundaries {
            let data = json!({
                "type": if b.position.is_some() || used.contains(&b.id) { "tm.BoundaryBox" } else { "tm.Boundary" },
                "name": b.name,
                "description": cell_note_value(&model.description, BOUNDARY_NOTE, b.id, FLOW_DESCRIPTION).unwrap_or_default(),
                "isTrustBoundary": true,
                "hasOpenThreats": false,
            });
            let mut data = data;
            let kept = boundary_threats(&model.description, b.id);
            if !kept.is_empty() {
                data["threats"] = Value::Array(kept);
            }
            if let [first, middle @ .., last] = b.line.as_slice() {
                // The schema wants whole numbers for a line's points.
                let at = |p: &Point| json!({"x": p.x.round() as i64, "y": p.y.round() as i64});
                z += 1;
                let vertices = middle.iter().map(at).collect();
                cells.push(curve_cell(b, z, at(first), at(last), vertices, data));
                continue;
            }
            match b.position {
                Some(r) => cells.push(json!({
                    "id": b.id.to_string(),
                    "shape": "trust-boundary-box",
                    "zIndex": -1,
                    "visible": true,
                    "position": {"x": r.x, "y": r.y},
                    "size": {"width": r.width, "height": r.height},
                    "attrs": {"label": {"text": b.name}},
                    "data": data,
                })),
                None => {
                    if !used.contains(&b.id) {
                        data[EXT_EMPTY_BOUNDARY] = json!(true);
                    }
                    z += 1;
                    let y = line_y;
                    line_y += 40;
                    let (source, target) = (
                        json!({"x": line_x, "y": y}),
                        json!({"x": line_x + 200, "y": y}),
                    );
                    cells.push(curve_cell(b, z, source, target, vec![], data));
                }
            }
        }
        for e in &d.elements {
            z += 1;
            let (shape, _) = element_shape(e);
            let r = e.position.unwrap_or_default();
            let (threats, open) = threat_values(e.id);
            cells.push(json!({
                "id": e.id.to_string(),
                "shape": shape,
                "zIndex": z,
                "visible": true,
                "position": {"x": r.x, "y": r.y},
                "size": {"width": r.width, "height": r.height},
                "attrs": {"text": {"text": e.name}},
                "data": element_data(e, threats, open),
            }));
        }
        for f in &d.flows {
            z += 1;
            let (threats, open) = threat_values(f.id);
            // Models imported before flows had the field kept it as a note.
            let flow_scope = f
                .out_of_scope
                .clone()
                .or_else(|| flow_note_value(&model.description, f.id, FLOW_OUT_OF_SCOPE));
            let label = flow_label_text(&f.name, &f.protocol);
            let edge = Edge {
                id: f.id,
                shape: "flow",
                name: &label,
                z,
                source: json!({"cell": f.source.to_string()}),
                target: json!({"cell": f.target.to_string()}),
                vertices: f
                    .points
                    .iter()
                    .map(|p| json!({"x": p.x, "y": p.y}))
                    .collect(),
                labels: kept_flow_labels(&model.description, f.id, &f.name),
            };
            cells.push(edge_cell(edge, json!({
                    "type": "tm.Flow",
                    "name": f.name,
                    "description": flow_note_value(&model.description, f.id, FLOW_DESCRIPTION).unwrap_or_default(),
                    "outOfScope": flow_scope.is_some(),
                    "reasonOutOfScope": flow_scope.unwrap_or_default(),
                    "protocol": f.protocol,
                    "isEncrypted": f.encrypted_in_transit,
                    "isPublicNetwork": f.crosses_public_network,
                    "isBidirectional": f.bidirectional,
                    "isTrustBoundary": false,
                    "hasOpenThreats": open,
                    "threats": threats,
            })));
            if let Some(data) = cells.last_mut().and_then(|c| c.get_mut("data")) {
                if let Some(port) = f.port {
                    data[EXT_PORT] = json!(port);
                }
                if f.authenticated {
                    data[EXT_AUTHENTICATED] = json!(true);
                }
                if f.authorized {
                    data[EXT_AUTHORIZED] = json!(true);
                }
                if !f.data.is_empty() {
                    data[EXT_DATA] = json!(f.data.iter().map(Uuid::to_string).collect::<Vec<_>>());
                }
            }
        }
        // Text blocks, kept as lines of the model description, go back on
        // the diagram where they were drawn, else above its top left corner.
        let mut places = text_places(&model.description, di, &d.name);
        for (ti, text) in diagram_texts(&model.description, &d.name)
            .into_iter()
            .enumerate()
        {
            z += 1;
            let key = text_key(text);
            let kept = places
                .iter()
                .position(|p| p["text"] == key.as_str())
                .map(|at| places.remove(at));
            let id = kept
                .as_ref()
                .and_then(|p| p["id"].as_str())
                .map(str::to_string)
                .unwrap_or_else(|| {
                    stable_id(&NAMESPACE, &format!("text/{di}/{ti}/{text}")).to_string()
                });
            let place = kept.as_ref().and_then(|p| {
                let f = |k: &str| p[k].as_f64();
                Some((f("x")?, f("y")?, f("width")?, f("height")?))
            });
            let (x, y, width, height) = place.unwrap_or_else(|| {
                let top = d
                    .elements
                    .iter()
                    .filter_map(|e| e.position)
                    .chain(d.boundaries.iter().filter_map(|b| b.position))
                    .map(|r| r.y)
                    .fold(0.0f64, f64::min);
                (0.0, top - 80.0 * (ti as f64 + 1.0), 300.0, 60.0)
            });
            let mut data = json!({"type": "tm.Text", "name": text, "hasOpenThreats": false});
            if place.is_none() {
                data[EXT_TEXT_PLACED] = json!(true);
            }
            cells.push(json!({
                "id": id,
                "shape": "td-text-block",
                "zIndex": z,
                "visible": true,
                "position": {"x": x, "y": y},
                "size": {"width": width, "height": height},
                "attrs": {"text": {"text": text}},
                "data": data,
            }));
        }
        // A flow the model keeps as lines of its description (an end in the
        // open, or a loop), drawn again as a Threat Dragon flow.
        let mut kept_flow_cell = |id: Uuid,
                                  name: &str,
                                  z: i64,
                                  source: Value,
                                  target: Value,
                                  vertices: Value| {
            let (threats, open) = threat_values(id);
            let scope = flow_note_value(&model.description, id, FLOW_OUT_OF_SCOPE);
            let (protocol, encrypted, public, both_ways) =
                kept_flow_properties(&model.description, id);
            let edge = Edge {
                id,
                shape: "flow",
                name,
                z,
                source,
                target,
                vertices,
                labels: kept_flow_labels(&model.description, id, name),
            };
            edge_cell(
                edge,
                json!({
                        "type": "tm.Flow",
                        "name": name,
                        "description": flow_note_value(&model.description, id, FLOW_DESCRIPTION).unwrap_or_default(),
                        "outOfScope": scope.is_some(),
                        "reasonOutOfScope": scope.unwrap_or_default(),
                        "protocol": protocol,
                        "isEncrypted": encrypted,
                        "isPublicNetwork": public,
                        "isBidirectional": both_ways,
                        "isTrustBoundary": false,
                        "hasOpenThreats": open,
                        "threats": threats,
                }),
            )
        };
        // Flows with an end in the open, kept as lines of the description.
        for (id, name, kept) in &loose {
            if kept["diagram"].as_u64() != Some(di as u64) {
                continue;
            }
            let end = |k: &str| -> Option<Value> {
                let e = &kept[k];
                match e["cell"].as_str() {
                    Some(cell) => d
                        .elements
                        .iter()
                        .any(|x| x.id.to_string() == cell)
                        .then(|| json!({"cell": cell})),
                    None => Some(json!({"x": e["x"].as_f64()?, "y": e["y"].as_f64()?})),
                }
            };
            // An element it was drawn from may have been deleted since.
            let (Some(source), Some(target)) = (end("source"), end("target")) else {
                continue;
            };
            z += 1;
            cells.push(kept_flow_cell(*id, name, z, source, target, json!([])));
        }
        // Loops the model keeps as lines of its description.
        for (id, name, element) in &loops {
            let Some(e) = d.elements.iter().find(|e| e.id == *element) else {
                continue;
            };
            z += 1;
            let r = e.position.unwrap_or_default();
            let vertices = json!([{"x": r.x + r.width + 40.0, "y": r.y - 20.0}, {"x": r.x + r.width + 40.0, "y": r.y + r.height + 20.0}]);
            let end = json!({"cell": e.id.to_string()});
            cells.push(kept_flow_cell(*id, name, z, end.clone(), end, vertices));
        }
        let diagram_type = diagram_note_value(&model.description, di, &d.name, DIAGRAM_TYPE)
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| "STRIDE".to_string());
        let thumbnail = match diagram_type.to_ascii_lowercase().as_str() {
            t @ ("stride" | "linddun" | "cia" | "die" | "plot4ai") => {
                format!("./public/content/images/thumbnail.{t}.jpg")
            }
            _ => "./public/content/images/thumbnail.jpg".to_string(),
        };
        let mut diagram = json!({
            "id": di,
            "title": d.name,
            "diagramType": diagram_type,
            "placeholder": "",
            "thumbnail": thumbnail,
            "version": VERSION,
            "cells": cells,
        });
        if let Some(text) = diagram_note_value(&model.description, di, &d.name, FLOW_DESCRIPTION) {
            diagram["description"] = json!(text);
        }
        diagrams.push(diagram);
    }
    let contributors: Vec<Value> = description_note(&model.description, CONTRIBUTORS_NOTE)
        .split(", ")
        .filter(|n| !n.trim().is_empty())
        .map(|n| json!({ "name": n }))
        .collect();
    let doc = json!({
        "version": VERSION,
        "summary": {
            "title": model.name,
            "owner": description_note(&model.description, OWNER_NOTE),
            "description": model.description,
            "id": 0,
        },
        "detail": {
            "contributors": contributors,
            "diagrams": diagrams,
            "diagramTop": model.diagrams.len(),
            "reviewer": description_note(&model.description, REVIEWER_NOTE),
            "threatTop": number,
        },
    });
    let mut doc = doc;
    if !given.is_empty() {
        doc["detail"][EXT_GIVEN_NUMBERS] = json!(given);
    }
    if !model.data_assets.is_empty() {
        doc["summary"][EXT_DATA_ASSETS] = json!(model.data_assets);
    }
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}

//! Assessments in: the implemented requirements of an OSCAL component
//! definition (what [`super::oscal`] writes, what trestle and other tools
//! write) or of a system security plan (`control-implementation`'s
//! requirements, per component in `by-components`, also in statements), as
//! rows of (component, control, state, narrative, owner) for the matrix.
//!
//! JSON, YAML or XML (read into JSON's shape by [`super::oscal_xml`]). Pure
//! and deterministic: the rows come in document order.
//! Malformed input gives an [`ImportError`] naming what is wrong and where,
//! as a JSON path (`$.component-definition.components[0].title`).

use chrono::NaiveDate;
use plasma_models::compliance::{EvidenceKind, ImplementationStatus};
use serde_json::Value;

use super::catalog_import::Params;
use super::oscal::NOT_ASSESSED_REMARKS;
use super::oscal_xml::{self, XmlError};
use crate::threat::ImportError;

/// Which OSCAL model the rows came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssessmentModel {
    ComponentDefinition,
    SystemSecurityPlan,
}

impl AssessmentModel {
    /// The model's root key.
    pub fn label(self) -> &'static str {
        match self {
            AssessmentModel::ComponentDefinition => "component-definition",
            AssessmentModel::SystemSecurityPlan => "system-security-plan",
        }
    }
}

/// One control as one component implements it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentRow {
    /// The component's title (empty when an SSP names a component it does
    /// not describe).
    pub component: String,
    pub component_uuid: String,
    /// As OSCAL writes it: `ac-2`, `ac-2.3`.
    pub control_id: String,
    /// `None`: the file gives no state.
    pub status: Option<ImplementationStatus>,
    /// The description, then each statement's description under its id.
    pub narrative: String,
    /// Responsible parties (else roles), or the `Owner:` line of the
    /// remarks [`super::oscal`] writes.
    pub owner: String,
    /// Why the control does not apply (the state's remarks, or the
    /// `Not applicable:` line of the remarks).
    pub not_applicable_reason: String,
    /// The `Last reviewed:` line of the remarks.
    pub last_reviewed: Option<NaiveDate>,
    /// Links (and the back-matter resources they name), the state's
    /// remarks and other remarks: nothing the requirement points to is
    /// dropped.
    pub evidence: Vec<AssessmentEvidence>,
    /// Where in the file: the implemented requirement (and by-component).
    pub at: String,
}

/// Something a requirement points to or says beside its narrative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentEvidence {
    /// A URL is a link, a path a file; remarks are a note.
    pub kind: EvidenceKind,
    pub title: String,
    /// The URL or path; a note's text.
    pub location: String,
}

/// What a file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentDocument {
    pub model: AssessmentModel,
    pub title: String,
    /// The day of `metadata.last-modified`: when the evidence was current.
    pub last_modified: Option<NaiveDate>,
    /// An SSP's names for the system as a whole: the `this-system`
    /// component's title, the system's name and short name (empty for a
    /// component definition).
    pub system_names: Vec<String>,
    pub rows: Vec<AssessmentRow>,
}

fn err(at: impl Into<String>, reason: impl Into<String>) -> ImportError {
    ImportError::new(at, reason)
}

/// Reads JSON (text opening with `{`), XML (opening with `<`) or YAML.
fn read(text: &str) -> Result<Value, ImportError> {
    let text = text.trim_start_matches('\u{feff}');
    let start = text.trim_start();
    if start.starts_with('<') {
        return oscal_xml::to_json(text).map_err(|e| match e {
            XmlError::Invalid {
                line,
                column,
                reason,
            } => err(format!("line {line}, column {column}"), reason),
            XmlError::NotOscal { .. } => err(
                "line 1",
                format!("this is XML but not an OSCAL document ({e}); import-assessment reads an OSCAL component definition or SSP"),
            ),
        });
    }
    if start.starts_with('{') || start.starts_with('[') {
        return serde_json::from_str(start).map_err(|e| {
            err(
                format!("line {}, column {}", e.line(), e.column()),
                format!("not JSON: {e}"),
            )
        });
    }
    serde_yaml_ng::from_str::<Value>(text).map_err(|e| {
        err(
            format!("line {}", e.location().map_or(1, |l| l.line()).max(1)),
            format!("neither JSON nor valid YAML: {e}"),
        )
    })
}

/// An optional array: absent or null is empty, anything else must be one.
fn array<'a>(v: &'a Value, at: &str, what: &str) -> Result<&'a [Value], ImportError> {
    match v {
        Value::Null => Ok(&[]),
        Value::Array(a) => Ok(a),
        _ => Err(err(at, format!("{what} should be an array"))),
    }
}

/// The items of the optional array `node[key]`, each with its JSON path
/// (`{at}.{key}[i]`).
fn items<'a>(
    node: &'a Value,
    at: &str,
    key: &str,
) -> Result<Vec<(String, &'a Value)>, ImportError> {
    let list = array(&node[key], &format!("{at}.{key}"), key)?;
    Ok(list
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("{at}.{key}[{i}]"), v))
        .collect())
}

/// An optional string (numbers and booleans as text, for YAML).
fn string(v: &Value, at: &str, what: &str) -> Result<String, ImportError> {
    match v {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.trim().to_string()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(err(at, format!("{what} should be text"))),
    }
}

fn object<'a>(v: &'a Value, at: &str, what: &str) -> Result<&'a Value, ImportError> {
    if v.is_object() {
        Ok(v)
    } else {
        Err(err(at, format!("{what} should be an object")))
    }
}

/// Refuses a uuid that is not text. In YAML that is a structure gone wrong:
/// a placeholder such as `uuid: ####ID####` is a comment, so lines indented
/// under it become the uuid's value and their text would be lost.
fn uuid_is_text(node: &Value, at: &str) -> Result<(), ImportError> {
    let holds = match &node["uuid"] {
        Value::Object(m) if m.is_empty() => "an empty mapping".to_string(),
        Value::Object(m) => m.keys().cloned().collect::<Vec<_>>().join(", "),
        Value::Array(_) => "a list".to_string(),
        _ => return Ok(()),
    };
    Err(err(
        format!("{at}.uuid"),
        format!(
            "the uuid should be text but holds {holds}: the lines below it are indented under it, or its value starts with `#` (a YAML comment) so the lines below became its value"
        ),
    ))
}

/// Reads a state word.
fn state(word: &str, at: &str) -> Result<ImplementationStatus, ImportError> {
    ImplementationStatus::parse(word).ok_or_else(|| {
        err(
            at,
            format!(
                "\"{word}\" is not an implementation state (implemented, partial, planned, alternative, not-applicable)"
            ),
        )
    })
}

/// The props named `name`: each one's value, remarks and JSON path.
fn props_named(
    node: &Value,
    at: &str,
    name: &str,
) -> Result<Vec<(String, String, String)>, ImportError> {
    let mut out = Vec::new();
    for (pat, p) in items(node, at, "props")? {
        object(p, &pat, "a prop")?;
        if string(&p["name"], &format!("{pat}.name"), "a prop's name")? != name {
            continue;
        }
        let value = string(&p["value"], &format!("{pat}.value"), "a prop's value")?;
        let remarks = string(&p["remarks"], &format!("{pat}.remarks"), "remarks")?;
        out.push((value, remarks, pat));
    }
    Ok(out)
}

/// The state of a requirement, by-component or statement: the
/// `implementation-status` object (`state`, `remarks`), else the
/// `implementation-status` property. Returns the state and the remarks.
/// FedRAMP marks a control partial and planned with two properties, the
/// gap in one's remarks and the plan in the other's: the first is the
/// state, and every one's remarks are kept under its state.
fn status_of(
    node: &Value,
    at: &str,
) -> Result<(Option<ImplementationStatus>, String), ImportError> {
    let obj = &node["implementation-status"];
    if !obj.is_null() {
        let at = format!("{at}.implementation-status");
        object(obj, &at, "implementation-status")?;
        let word = string(&obj["state"], &format!("{at}.state"), "the state")?;
        if word.is_empty() {
            return Err(err(format!("{at}.state"), "the state is missing"));
        }
        let remarks = string(&obj["remarks"], &format!("{at}.remarks"), "remarks")?;
        return Ok((Some(state(&word, &format!("{at}.state"))?), remarks));
    }
    let props = props_named(node, at, "implementation-status")?;
    let mut first = None;
    for (value, _, pat) in &props {
        let parsed = state(value, &format!("{pat}.value"))?;
        first = first.or(Some(parsed));
    }
    let remarks = match props.as_slice() {
        [(_, remarks, _)] => remarks.clone(),
        _ => props
            .iter()
            .filter(|(_, remarks, _)| !remarks.is_empty())
            .map(|(value, remarks, _)| format!("{value}: {remarks}"))
            .collect::<Vec<_>>()
            .join("\n\n"),
    };
    Ok((first, remarks))
}

/// Who answers for a control: party names of its responsible roles, else
/// the roles' titles (or ids).
fn owner_of(node: &Value, at: &str, metadata: &Value) -> Result<String, ImportError> {
    let (parties, titles) = responsible(node, at, metadata)?;
    Ok(if parties.is_empty() { titles } else { parties }.join(", "))
}

/// Who answers for a component's controls: the people and teams its
/// responsible roles name, but the vendor's (`provider`, `supplier`:
/// NIST's example names MongoDB Inc.), which makes the component and does
/// not run it here. A role with nobody in it (`customer`) names no one.
fn component_owner(node: &Value, at: &str, metadata: &Value) -> Result<String, ImportError> {
    let mut owners = Vec::new();
    for (rat, r) in items(node, at, "responsible-roles")? {
        object(r, &rat, "a responsible role")?;
        let role = string(&r["role-id"], &format!("{rat}.role-id"), "the role-id")?;
        if matches!(role.as_str(), "provider" | "supplier") {
            continue;
        }
        for name in party_names(r, &rat, metadata)? {
            push_new(&mut owners, name);
        }
    }
    Ok(owners.join(", "))
}

/// The named parties of a responsible role. A party without a name
/// (trestle's examples) is left out: its uuid says less than the role.
fn party_names(role: &Value, at: &str, metadata: &Value) -> Result<Vec<String>, ImportError> {
    let mut names = Vec::new();
    for (uat, u) in items(role, at, "party-uuids")? {
        let uuid = string(u, &uat, "a party uuid")?;
        let name = named_in(&metadata["parties"], "uuid", &uuid, "name");
        if name != uuid {
            push_new(&mut names, name);
        }
    }
    Ok(names)
}

/// The party names and the role titles (or ids) of a node's responsible
/// roles.
fn responsible(
    node: &Value,
    at: &str,
    metadata: &Value,
) -> Result<(Vec<String>, Vec<String>), ImportError> {
    let mut parties = Vec::new();
    let mut titles = Vec::new();
    for (rat, r) in items(node, at, "responsible-roles")? {
        object(r, &rat, "a responsible role")?;
        let role = string(&r["role-id"], &format!("{rat}.role-id"), "the role-id")?;
        for name in party_names(r, &rat, metadata)? {
            push_new(&mut parties, name);
        }
        if !role.is_empty() {
            push_new(
                &mut titles,
                named_in(&metadata["roles"], "id", &role, "title"),
            );
        }
    }
    Ok((parties, titles))
}

/// The lines [`super::oscal`] writes into a requirement's remarks, and the
/// paragraphs that are none of them.
#[derive(Default)]
struct Remarks {
    owner: String,
    not_applicable: String,
    last_reviewed: Option<NaiveDate>,
    other: Vec<String>,
}

fn remarks_of(node: &Value, at: &str) -> Result<Remarks, ImportError> {
    let text = string(&node["remarks"], &format!("{at}.remarks"), "remarks")?;
    let mut out = Remarks::default();
    for para in text.split("\n\n").map(str::trim) {
        if let Some(owner) = para.strip_prefix("Owner:") {
            out.owner = owner.trim().to_string();
        } else if let Some(reason) = para.strip_prefix("Not applicable:") {
            out.not_applicable = reason.trim().to_string();
        } else if let Some(day) = para.strip_prefix("Last reviewed:") {
            out.last_reviewed = day.trim().parse().ok();
        } else if !para.is_empty() && para != NOT_ASSESSED_REMARKS {
            out.other.push(para.to_string());
        }
    }
    Ok(out)
}

/// Where a link's href points: a URL is a link, anything else a path.
fn located(href: &str, title: &str) -> AssessmentEvidence {
    let kind = if href.contains("://") && !href.starts_with("file://") {
        EvidenceKind::Link
    } else {
        EvidenceKind::File
    };
    AssessmentEvidence {
        kind,
        title: if title.is_empty() { href } else { title }.to_string(),
        location: href.to_string(),
    }
}

/// The back-matter resource a `#uuid` link names: its first web link (else
/// its first link, a path), else its citation or description as a note.
fn resource(resources: &Value, uuid: &str, text: &str) -> AssessmentEvidence {
    let found = resources
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["uuid"].as_str().map(str::trim) == Some(uuid));
    let Some(r) = found else {
        return AssessmentEvidence {
            kind: EvidenceKind::Note,
            title: if text.is_empty() { "Reference" } else { text }.to_string(),
            location: format!("#{uuid} (not in the back matter)"),
        };
    };
    let text_of = |v: &Value| v.as_str().map(str::trim).unwrap_or_default().to_string();
    let title = [text.to_string(), text_of(&r["title"]), lula_validation(r)]
        .into_iter()
        .find(|t| !t.is_empty())
        .unwrap_or_else(|| format!("#{uuid}"));
    let hrefs: Vec<String> = r["rlinks"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| text_of(&l["href"]))
        .filter(|h| !h.is_empty())
        .collect();
    if let Some(href) = hrefs
        .iter()
        .find(|h| h.contains("://"))
        .or_else(|| hrefs.first())
    {
        return located(href, &title);
    }
    let note = [text_of(&r["citation"]["text"]), text_of(&r["description"])]
        .into_iter()
        .find(|t| !t.is_empty())
        .unwrap_or_else(|| title.clone());
    AssessmentEvidence {
        kind: EvidenceKind::Note,
        title,
        location: note,
    }
}

/// The name of a Lula validation a back-matter resource holds (Lula keeps
/// each as YAML in the resource's description, named by `metadata.name`,
/// with no title): "Lula validation: <name>", else empty.
fn lula_validation(r: &Value) -> String {
    let Some(yaml) = r["description"].as_str() else {
        return String::new();
    };
    let spec = serde_yaml_ng::from_str::<Value>(yaml).unwrap_or_default();
    match spec["metadata"]["name"].as_str().map(str::trim) {
        Some(name) if !name.is_empty() && spec.get("provider").is_some() => {
            format!("Lula validation: {name}")
        }
        _ => String::new(),
    }
}

/// A node's links as evidence (whatever their `rel`: OSCAL names
/// `evidence` and `reference`, tools write others; a link on a
/// requirement is what supports it).
fn links_of(
    node: &Value,
    at: &str,
    resources: &Value,
) -> Result<Vec<AssessmentEvidence>, ImportError> {
    let mut out = Vec::new();
    for (lat, l) in items(node, at, "links")? {
        object(l, &lat, "a link")?;
        let href = string(&l["href"], &format!("{lat}.href"), "a link's href")?;
        let text = string(&l["text"], &format!("{lat}.text"), "a link's text")?;
        if href.is_empty() {
            return Err(err(format!("{lat}.href"), "a link needs an href"));
        }
        let evidence = match href.strip_prefix('#') {
            Some(uuid) => resource(resources, uuid.trim(), &text),
            None => located(&href, &text),
        };
        push_new(&mut out, evidence);
    }
    Ok(out)
}

/// Adds `item` to `list` unless it is there already.
fn push_new<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

fn note(title: &str, text: &str) -> AssessmentEvidence {
    AssessmentEvidence {
        kind: EvidenceKind::Note,
        title: title.to_string(),
        location: text.to_string(),
    }
}

/// `statement-id: description` paragraphs joined under the description.
fn join_narrative(description: String, statements: Vec<(String, String)>) -> String {
    let mut parts = Vec::new();
    if !description.is_empty() {
        parts.push(description);
    }
    for (id, text) in statements {
        if !text.is_empty() {
            parts.push(if id.is_empty() {
                text
            } else {
                format!("{id}: {text}")
            });
        }
    }
    parts.join("\n\n")
}

/// The `field` of the entry of a metadata list (parties, roles) whose `key`
/// is `value`; `value` itself when there is none or it is empty.
fn named_in(list: &Value, key: &str, value: &str, field: &str) -> String {
    list.as_array()
        .into_iter()
        .flatten()
        .find(|x| x[key].as_str().map(str::trim) == Some(value))
        .and_then(|x| x[field].as_str())
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map_or(value.to_string(), str::to_string)
}

/// A statement's id and description, at JSON path `at`.
fn statement(s: &Value, at: &str) -> Result<(String, String), ImportError> {
    object(s, at, "a statement")?;
    uuid_is_text(s, at)?;
    let id = string(
        &s["statement-id"],
        &format!("{at}.statement-id"),
        "the statement-id",
    )?;
    let text = string(
        &s["description"],
        &format!("{at}.description"),
        "the description",
    )?;
    Ok((id, text))
}

/// What a statement says beside its description (its remarks, its links):
/// evidence for every row of its requirement.
fn statement_evidence(
    s: &Value,
    at: &str,
    sid: &str,
    resources: &Value,
    into: &mut Read,
) -> Result<(), ImportError> {
    for link in links_of(s, at, resources)? {
        push_new(&mut into.links, link);
    }
    let remarks = remarks_of(s, at)?.other;
    if !remarks.is_empty() {
        let title = if sid.is_empty() {
            "Statement remarks".to_string()
        } else {
            format!("Remarks on {sid}")
        };
        push_new(&mut into.notes, note(&title, &remarks.join("\n\n")));
    }
    Ok(())
}

/// A requirement's control id, checked.
fn control_id(req: &Value, at: &str) -> Result<String, ImportError> {
    let id = string(
        &req["control-id"],
        &format!("{at}.control-id"),
        "control-id",
    )?;
    if id.is_empty() {
        return Err(err(
            format!("{at}.control-id"),
            "an implemented requirement needs a control-id",
        ));
    }
    Ok(id)
}

/// Fields of one requirement (or by-component) read the same way in both
/// models.
#[derive(Default)]
struct Read {
    status: Option<ImplementationStatus>,
    status_remarks: String,
    owner: String,
    remarks: Remarks,
    links: Vec<AssessmentEvidence>,
    /// Its statements' remarks.
    notes: Vec<AssessmentEvidence>,
}

/// A document's parts the requirements refer to.
struct Context<'a> {
    metadata: &'a Value,
    resources: &'a Value,
}

impl<'a> Context<'a> {
    fn of(root: &'a Value) -> Context<'a> {
        Context {
            metadata: &root["metadata"],
            resources: &root["back-matter"]["resources"],
        }
    }
}

fn read_common(node: &Value, at: &str, cx: &Context<'_>) -> Result<Read, ImportError> {
    uuid_is_text(node, at)?;
    let (status, status_remarks) = status_of(node, at)?;
    Ok(Read {
        status,
        status_remarks,
        owner: owner_of(node, at, cx.metadata)?,
        remarks: remarks_of(node, at)?,
        links: links_of(node, at, cx.resources)?,
        notes: planned_completion(node, at)?
            .into_iter()
            .chain(shared_responsibility(node, at)?)
            .collect(),
    })
}

/// FedRAMP's `planned-completion-date` property of a planned control.
fn planned_completion(node: &Value, at: &str) -> Result<Vec<AssessmentEvidence>, ImportError> {
    Ok(props_named(node, at, "planned-completion-date")?
        .into_iter()
        .filter(|(value, _, _)| !value.is_empty())
        .map(|(value, remarks, _)| {
            let text = if remarks.is_empty() {
                value
            } else {
                format!("{value}: {remarks}")
            };
            note("Planned completion date", &text)
        })
        .collect())
}

/// What a by-component says about a leveraged authorization: what it
/// offers leveraging systems and leaves to them (`export`), what it
/// inherits or satisfies of a leveraged system's. Each description is a
/// note, so a customer's responsibility is not lost.
fn shared_responsibility(node: &Value, at: &str) -> Result<Vec<AssessmentEvidence>, ImportError> {
    let mut notes = Vec::new();
    let mut add = |text: String, title: &str| {
        if !text.is_empty() {
            push_new(&mut notes, note(title, &text));
        }
    };
    let export = &node["export"];
    let eat = format!("{at}.export");
    if !export.is_null() {
        object(export, &eat, "export")?;
        let what = format!("{eat}.description");
        add(
            string(&export["description"], &what, "the description")?,
            "Export",
        );
    }
    for (parent, pat, key, title) in [
        (
            export,
            eat.as_str(),
            "provided",
            "Provided to leveraging systems",
        ),
        (
            export,
            eat.as_str(),
            "responsibilities",
            "Responsibility of leveraging systems",
        ),
        (node, at, "inherited", "Inherited"),
        (node, at, "satisfied", "Satisfied"),
    ] {
        for (iat, item) in items(parent, pat, key)? {
            object(item, &iat, key)?;
            let what = format!("{iat}.description");
            add(
                string(&item["description"], &what, "the description")?,
                title,
            );
        }
    }
    Ok(notes)
}

/// A row's evidence: its links, then the requirement's, then remarks that
/// say more than the state (a not-applicable state's remarks are its
/// reason, not evidence).
fn evidence(
    read: &Read,
    fallback: Option<&Read>,
    status: Option<ImplementationStatus>,
) -> Vec<AssessmentEvidence> {
    let mut out: Vec<AssessmentEvidence> = Vec::new();
    let mut add = |e: AssessmentEvidence| push_new(&mut out, e);
    for r in std::iter::once(read).chain(fallback) {
        r.links.iter().cloned().for_each(&mut add);
    }
    for r in std::iter::once(read).chain(fallback) {
        if status != Some(ImplementationStatus::NotApplicable) && !r.status_remarks.is_empty() {
            add(note("Implementation status remarks", &r.status_remarks));
        }
        if !r.remarks.other.is_empty() {
            add(note("Remarks", &r.remarks.other.join("\n\n")));
        }
        r.notes.iter().cloned().for_each(&mut add);
    }
    out
}

/// A component as its rows name it, and who answers for it (its own
/// responsible roles): the owner of a control its requirement names none
/// for.
#[derive(Clone, Default)]
struct Component {
    title: String,
    uuid: String,
    owner: String,
}

fn row(
    component: &Component,
    control_id: String,
    read: Read,
    fallback: Option<&Read>,
    narrative: String,
    at: String,
) -> AssessmentRow {
    let status = read.status.or(fallback.and_then(|f| f.status));
    let pick = |own: &str, other: Option<&str>| -> String {
        if own.is_empty() {
            other.unwrap_or("").to_string()
        } else {
            own.to_string()
        }
    };
    let owner = pick(&read.owner, fallback.map(|f| f.owner.as_str()));
    let owner = pick(&owner, Some(&read.remarks.owner));
    let owner = pick(&owner, fallback.map(|f| f.remarks.owner.as_str()));
    let owner = pick(&owner, Some(&component.owner));
    let reason = pick(
        &read.status_remarks,
        fallback.map(|f| f.status_remarks.as_str()),
    );
    let reason = pick(&reason, Some(&read.remarks.not_applicable));
    let reason = pick(&reason, fallback.map(|f| f.remarks.not_applicable.as_str()));
    let evidence = evidence(&read, fallback, status);
    AssessmentRow {
        evidence,
        component: component.title.clone(),
        component_uuid: component.uuid.clone(),
        control_id,
        status,
        narrative,
        owner,
        not_applicable_reason: if status == Some(ImplementationStatus::NotApplicable) {
            reason
        } else {
            String::new()
        },
        last_reviewed: read
            .remarks
            .last_reviewed
            .or(fallback.and_then(|f| f.remarks.last_reviewed)),
        at,
    }
}

fn component_definition(root: &Value) -> Result<Vec<AssessmentRow>, ImportError> {
    let base = "$.component-definition";
    let cx = Context::of(root);
    let mut rows = Vec::new();
    for (cat, c) in items(root, base, "components")? {
        object(c, &cat, "a component")?;
        let title = string(&c["title"], &format!("{cat}.title"), "the title")?;
        let uuid = string(&c["uuid"], &format!("{cat}.uuid"), "the uuid")?;
        if title.is_empty() {
            return Err(err(format!("{cat}.title"), "a component needs a title"));
        }
        let owner = component_owner(c, &cat, cx.metadata)?;
        let component = Component { title, uuid, owner };
        for (iat, imp) in items(c, &cat, "control-implementations")? {
            object(imp, &iat, "a control implementation")?;
            for (rat, req) in items(imp, &iat, "implemented-requirements")? {
                object(req, &rat, "an implemented requirement")?;
                let control = control_id(req, &rat)?;
                let mut read = read_common(req, &rat, &cx)?;
                let description = string(
                    &req["description"],
                    &format!("{rat}.description"),
                    "the description",
                )?;
                let mut statements = Vec::new();
                let mut status = read.status;
                for (sat, s) in items(req, &rat, "statements")? {
                    let (sid, text) = statement(s, &sat)?;
                    // A state given on statements only stands for the control.
                    if status.is_none() {
                        status = status_of(s, &sat)?.0;
                    }
                    statement_evidence(s, &sat, &sid, cx.resources, &mut read)?;
                    statements.push((sid, text));
                }
                let read = Read { status, ..read };
                let params = set_parameters([req, imp]);
                rows.push(row(
                    &component,
                    control,
                    read,
                    None,
                    params.fill(&join_narrative(description, statements)),
                    rat,
                ));
            }
        }
    }
    Ok(rows)
}

/// The parameters the nodes set (`set-parameters`), the first node's
/// setting winning: a by-component's over its requirement's over its
/// control implementation's. A parameter set nowhere shows its id as
/// `[Assignment: id]` (an SSP does not hold the catalog's labels).
fn set_parameters<'v>(nodes: impl IntoIterator<Item = &'v Value>) -> Params<'v> {
    let mut params = Params::default();
    for node in nodes {
        params.set_from(&node["set-parameters"]);
    }
    params
}

/// The by-components of a requirement (its own and its statements') that
/// name component `uuid`.
fn by_components_of<'v>(req: &'v Value, uuid: &'v str) -> impl Iterator<Item = &'v Value> {
    let statements = req["statements"].as_array().into_iter().flatten();
    std::iter::once(req)
        .chain(statements)
        .flat_map(|n| n["by-components"].as_array().into_iter().flatten())
        .filter(move |b| b["component-uuid"].as_str().map(str::trim) == Some(uuid))
}

/// An SSP's names for the system: the `this-system` component's title, the
/// system's name and short name, each once.
fn system_names(root: &Value) -> Vec<String> {
    let mut names = Vec::new();
    let this_system = root["system-implementation"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["type"].as_str() == Some("this-system"))
        .map(|c| &c["title"]);
    let characteristics = &root["system-characteristics"];
    for name in this_system.chain([
        &characteristics["system-name"],
        &characteristics["system-name-short"],
    ]) {
        if let Some(name) = name.as_str().map(str::trim).filter(|n| !n.is_empty()) {
            push_new(&mut names, name.to_string());
        }
    }
    names
}

fn system_security_plan(root: &Value) -> Result<Vec<AssessmentRow>, ImportError> {
    let base = "$.system-security-plan";
    let cx = Context::of(root);
    let mut components: Vec<Component> = Vec::new();
    let mut this_system = None;
    let system = format!("{base}.system-implementation");
    for (cat, c) in items(&root["system-implementation"], &system, "components")? {
        object(c, &cat, "a component")?;
        let component = Component {
            uuid: string(&c["uuid"], &format!("{cat}.uuid"), "the uuid")?,
            title: string(&c["title"], &format!("{cat}.title"), "the title")?,
            owner: component_owner(c, &cat, cx.metadata)?,
        };
        if c["type"].as_str() == Some("this-system") && this_system.is_none() {
            this_system = Some(component.clone());
        }
        components.push(component);
    }
    // A component the SSP names but does not describe has only its uuid.
    let component_of = |uuid: &str| -> Component {
        components
            .iter()
            .find(|c| c.uuid == uuid)
            .cloned()
            .unwrap_or_else(|| Component {
                uuid: uuid.to_string(),
                ..Component::default()
            })
    };
    let ci = &root["control-implementation"];
    let ciat = format!("{base}.control-implementation");
    if ci.is_null() {
        return Err(err(
            ciat,
            "an SSP needs a control-implementation with implemented-requirements",
        ));
    }
    object(ci, &ciat, "control-implementation")?;
    let mut rows = Vec::new();
    for (rat, req) in items(ci, &ciat, "implemented-requirements")? {
        object(req, &rat, "an implemented requirement")?;
        let control = control_id(req, &rat)?;
        let mut req_read = read_common(req, &rat, &cx)?;
        // Per component uuid, in order of first appearance: where, what it
        // says itself, and what it says in statements.
        struct ByComponent {
            uuid: String,
            at: String,
            read: Option<Read>,
            description: String,
            statements: Vec<(String, String)>,
            statement_status: Option<ImplementationStatus>,
            /// What its by-components in statements point to and say
            /// beside their descriptions.
            statement_evidence: Vec<AssessmentEvidence>,
            statement_owner: String,
        }
        let mut by: Vec<ByComponent> = Vec::new();
        let take = |node: &Value,
                    at: String,
                    statement: Option<&str>,
                    by: &mut Vec<ByComponent>|
         -> Result<(), ImportError> {
            object(node, &at, "a by-component")?;
            let uuid = string(
                &node["component-uuid"],
                &format!("{at}.component-uuid"),
                "the component-uuid",
            )?;
            if uuid.is_empty() {
                return Err(err(
                    format!("{at}.component-uuid"),
                    "a by-component needs a component-uuid",
                ));
            }
            let description = string(
                &node["description"],
                &format!("{at}.description"),
                "the description",
            )?;
            let read = read_common(node, &at, &cx)?;
            let i = match by.iter().position(|b| b.uuid == uuid) {
                Some(i) => i,
                None => {
                    by.push(ByComponent {
                        uuid: uuid.clone(),
                        at: at.clone(),
                        read: None,
                        description: String::new(),
                        statements: Vec::new(),
                        statement_status: None,
                        statement_evidence: Vec::new(),
                        statement_owner: String::new(),
                    });
                    by.len() - 1
                }
            };
            let b = &mut by[i];
            match statement {
                None => {
                    b.at = at;
                    b.description = description;
                    b.read = Some(read);
                }
                Some(sid) => {
                    if b.statement_status.is_none() {
                        b.statement_status = read.status;
                    }
                    if b.statement_owner.is_empty() {
                        b.statement_owner = read.owner.clone();
                    }
                    let remarks = (!read.remarks.other.is_empty()).then(|| {
                        note(
                            &format!("Remarks on {sid}"),
                            &read.remarks.other.join("\n\n"),
                        )
                    });
                    for e in read.links.into_iter().chain(read.notes).chain(remarks) {
                        push_new(&mut b.statement_evidence, e);
                    }
                    b.statements.push((sid.to_string(), description));
                }
            }
            Ok(())
        };
        for (bat, b) in items(req, &rat, "by-components")? {
            take(b, bat, None, &mut by)?;
        }
        let mut plain_statements = Vec::new();
        for (sat, s) in items(req, &rat, "statements")? {
            let (sid, text) = statement(s, &sat)?;
            statement_evidence(s, &sat, &sid, cx.resources, &mut req_read)?;
            plain_statements.push((sid.clone(), text));
            for (bat, b) in items(s, &sat, "by-components")? {
                take(b, bat, Some(&sid), &mut by)?;
            }
        }
        if by.is_empty() {
            // No component named: the requirement speaks for the system.
            let system = this_system.clone().unwrap_or_default();
            let description = string(
                &req["description"],
                &format!("{rat}.description"),
                "the description",
            )?;
            let params = set_parameters([req, ci]);
            rows.push(row(
                &system,
                control,
                req_read,
                None,
                params.fill(&join_narrative(description, plain_statements)),
                rat,
            ));
            continue;
        }
        for b in by {
            let mut read = b.read.unwrap_or_default();
            if read.status.is_none() {
                read.status = b.statement_status;
            }
            if read.owner.is_empty() {
                read.owner = b.statement_owner;
            }
            for e in b.statement_evidence {
                push_new(&mut read.links, e);
            }
            let params = set_parameters(by_components_of(req, &b.uuid).chain([req, ci]));
            rows.push(row(
                &component_of(&b.uuid),
                control.clone(),
                read,
                Some(&req_read),
                params.fill(&join_narrative(b.description, b.statements)),
                b.at,
            ));
        }
    }
    Ok(rows)
}

/// Reads the assessments of an OSCAL component definition or SSP (JSON,
/// YAML or XML). Other OSCAL models, and files that are not OSCAL, are refused
/// saying what they are.
pub fn parse_assessment(text: &str) -> Result<AssessmentDocument, ImportError> {
    let doc = read(text)?;
    let Some(top) = doc.as_object() else {
        return Err(err(
            "$",
            "not an OSCAL document: expected an object with \"component-definition\" or \"system-security-plan\"",
        ));
    };
    let (model, root) = if let Some(root) = top.get("component-definition") {
        (AssessmentModel::ComponentDefinition, root)
    } else if let Some(root) = top.get("system-security-plan") {
        (AssessmentModel::SystemSecurityPlan, root)
    } else {
        let keys: Vec<&str> = top.keys().map(String::as_str).collect();
        let model = super::catalog_import::OSCAL_MODELS
            .iter()
            .find(|(key, _)| keys.contains(key));
        let hint = match model {
            Some((key, _)) if *key == "catalog" || *key == "profile" => {
                " (catalogs and profiles are imported with `plasma compliance import`)".to_string()
            }
            // An assessment plan, results or POA&M speaks of an assessment,
            // not of how controls are implemented: reading its findings as
            // implementation states would misstate the matrix.
            Some((key, short)) if !short.is_empty() && *key != "system-security-plan" => format!(
                " ({short}): it records an assessment, not how the controls are implemented; import the SSP or component definition it assessed"
            ),
            _ => String::new(),
        };
        return Err(err(
            "$",
            format!(
                "expected a top-level \"component-definition\" or \"system-security-plan\", found {}{hint}",
                if keys.is_empty() {
                    "no keys".to_string()
                } else {
                    keys.join(", ")
                }
            ),
        ));
    };
    let at = format!("$.{}", model.label());
    object(root, &at, model.label())?;
    let title = string(
        &root["metadata"]["title"],
        &format!("{at}.metadata.title"),
        "the title",
    )?;
    let (rows, system_names) = match model {
        AssessmentModel::ComponentDefinition => (component_definition(root)?, Vec::new()),
        AssessmentModel::SystemSecurityPlan => (system_security_plan(root)?, system_names(root)),
    };
    // A component definition that only describes its components (AWS's
    // per-service ones) has nothing for the matrix: saying so beats an
    // import of "0 rows against no framework".
    if rows.is_empty() && model == AssessmentModel::ComponentDefinition {
        let names: Vec<&str> = root["components"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["title"].as_str().map(str::trim))
            .collect();
        let described = match names.len() {
            0 => "it has no components".to_string(),
            _ => format!("its components ({}) list none", names.join(", ")),
        };
        return Err(err(
            format!("{at}.components"),
            format!("nothing to import: no control-implementations say how a control is implemented; {described}"),
        ));
    }
    // `2024-05-01T12:00:00Z`: the day is what evidence dates keep.
    let last_modified = root["metadata"]["last-modified"]
        .as_str()
        .and_then(|t| t.trim().get(..10))
        .and_then(|d| d.parse().ok());
    Ok(AssessmentDocument {
        model,
        title,
        last_modified,
        system_names,
        rows,
    })
}

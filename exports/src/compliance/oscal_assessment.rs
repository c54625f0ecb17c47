//! Assessments in: the implemented requirements of an OSCAL component
//! definition (what [`super::oscal`] writes, what trestle and other tools
//! write) or of a system security plan (`control-implementation`'s
//! requirements, per component in `by-components`, also in statements), as
//! rows of (component, control, state, narrative, owner) for the matrix.
//!
//! JSON or YAML. Pure and deterministic: the rows come in document order.
//! Malformed input gives an [`ImportError`] naming what is wrong and where,
//! as a JSON path (`$.component-definition.components[0].title`).

use chrono::NaiveDate;
use plasma_models::compliance::ImplementationStatus;
use serde_json::Value;

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
    /// Where in the file: the implemented requirement (and by-component).
    pub at: String,
}

/// What a file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssessmentDocument {
    pub model: AssessmentModel,
    pub title: String,
    pub rows: Vec<AssessmentRow>,
}

fn err(at: impl Into<String>, reason: impl Into<String>) -> ImportError {
    ImportError::new(at, reason)
}

/// Reads JSON (text opening with `{`) or YAML.
fn read(text: &str) -> Result<Value, ImportError> {
    let text = text.trim_start_matches('\u{feff}');
    let start = text.trim_start();
    if start.starts_with('<') {
        return Err(err(
            "line 1",
            "this is XML; import-assessment reads OSCAL JSON or YAML (convert with oscal-cli or trestle)",
        ));
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

/// The state of a requirement, by-component or statement: the
/// `implementation-status` object (`state`, `remarks`), else the
/// `implementation-status` property. Returns the state and the remarks.
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
    for (pat, p) in items(node, at, "props")? {
        object(p, &pat, "a prop")?;
        let name = string(&p["name"], &format!("{pat}.name"), "a prop's name")?;
        if name != "implementation-status" {
            continue;
        }
        let value = string(&p["value"], &format!("{pat}.value"), "a prop's value")?;
        return Ok((Some(state(&value, &format!("{pat}.value"))?), String::new()));
    }
    Ok((None, String::new()))
}

/// Who answers for a control: party names of its responsible roles, else
/// the roles' titles (or ids).
fn owner_of(node: &Value, at: &str, metadata: &Value) -> Result<String, ImportError> {
    let mut parties = Vec::new();
    let mut titles = Vec::new();
    for (rat, r) in items(node, at, "responsible-roles")? {
        object(r, &rat, "a responsible role")?;
        let role = string(&r["role-id"], &format!("{rat}.role-id"), "the role-id")?;
        for (uat, u) in items(r, &rat, "party-uuids")? {
            let uuid = string(u, &uat, "a party uuid")?;
            let name = named_in(&metadata["parties"], "uuid", &uuid, "name");
            if !parties.contains(&name) {
                parties.push(name);
            }
        }
        if !role.is_empty() {
            let title = named_in(&metadata["roles"], "id", &role, "title");
            if !titles.contains(&title) {
                titles.push(title);
            }
        }
    }
    Ok(if parties.is_empty() { titles } else { parties }.join(", "))
}

/// The lines [`super::oscal`] writes into a requirement's remarks.
#[derive(Default)]
struct Remarks {
    owner: String,
    not_applicable: String,
    last_reviewed: Option<NaiveDate>,
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
        }
    }
    Ok(out)
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
struct Read {
    status: Option<ImplementationStatus>,
    status_remarks: String,
    owner: String,
    remarks: Remarks,
}

fn read_common(node: &Value, at: &str, metadata: &Value) -> Result<Read, ImportError> {
    let (status, status_remarks) = status_of(node, at)?;
    Ok(Read {
        status,
        status_remarks,
        owner: owner_of(node, at, metadata)?,
        remarks: remarks_of(node, at)?,
    })
}

fn row(
    component: (&str, &str),
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
    let reason = pick(
        &read.status_remarks,
        fallback.map(|f| f.status_remarks.as_str()),
    );
    let reason = pick(&reason, Some(&read.remarks.not_applicable));
    let reason = pick(&reason, fallback.map(|f| f.remarks.not_applicable.as_str()));
    AssessmentRow {
        component: component.0.to_string(),
        component_uuid: component.1.to_string(),
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
    let metadata = &root["metadata"];
    let mut rows = Vec::new();
    for (cat, c) in items(root, base, "components")? {
        object(c, &cat, "a component")?;
        let title = string(&c["title"], &format!("{cat}.title"), "the title")?;
        let uuid = string(&c["uuid"], &format!("{cat}.uuid"), "the uuid")?;
        if title.is_empty() {
            return Err(err(format!("{cat}.title"), "a component needs a title"));
        }
        for (iat, imp) in items(c, &cat, "control-implementations")? {
            object(imp, &iat, "a control implementation")?;
            for (rat, req) in items(imp, &iat, "implemented-requirements")? {
                object(req, &rat, "an implemented requirement")?;
                let control = control_id(req, &rat)?;
                let read = read_common(req, &rat, metadata)?;
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
                    statements.push((sid, text));
                }
                let read = Read { status, ..read };
                rows.push(row(
                    (&title, &uuid),
                    control,
                    read,
                    None,
                    join_narrative(description, statements),
                    rat,
                ));
            }
        }
    }
    Ok(rows)
}

fn system_security_plan(root: &Value) -> Result<Vec<AssessmentRow>, ImportError> {
    let base = "$.system-security-plan";
    let metadata = &root["metadata"];
    let mut titles: Vec<(String, String)> = Vec::new();
    let mut this_system = None;
    let system = format!("{base}.system-implementation");
    for (cat, c) in items(&root["system-implementation"], &system, "components")? {
        object(c, &cat, "a component")?;
        let uuid = string(&c["uuid"], &format!("{cat}.uuid"), "the uuid")?;
        let title = string(&c["title"], &format!("{cat}.title"), "the title")?;
        if c["type"].as_str() == Some("this-system") && this_system.is_none() {
            this_system = Some((title.clone(), uuid.clone()));
        }
        titles.push((uuid, title));
    }
    let title_of = |uuid: &str| -> String {
        titles
            .iter()
            .find(|(u, _)| u == uuid)
            .map(|(_, t)| t.clone())
            .unwrap_or_default()
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
        let req_read = read_common(req, &rat, metadata)?;
        // Per component uuid, in order of first appearance: where, what it
        // says itself, and what it says in statements.
        struct ByComponent {
            uuid: String,
            at: String,
            read: Option<Read>,
            description: String,
            statements: Vec<(String, String)>,
            statement_status: Option<ImplementationStatus>,
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
            let read = read_common(node, &at, metadata)?;
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
            plain_statements.push((sid.clone(), text));
            for (bat, b) in items(s, &sat, "by-components")? {
                take(b, bat, Some(&sid), &mut by)?;
            }
        }
        if by.is_empty() {
            // No component named: the requirement speaks for the system.
            let (title, uuid) = this_system.clone().unwrap_or_default();
            let description = string(
                &req["description"],
                &format!("{rat}.description"),
                "the description",
            )?;
            rows.push(row(
                (&title, &uuid),
                control,
                req_read,
                None,
                join_narrative(description, plain_statements),
                rat,
            ));
            continue;
        }
        for b in by {
            let mut read = b.read.unwrap_or(Read {
                status: None,
                status_remarks: String::new(),
                owner: String::new(),
                remarks: Remarks::default(),
            });
            if read.status.is_none() {
                read.status = b.statement_status;
            }
            rows.push(row(
                (&title_of(&b.uuid), &b.uuid),
                control.clone(),
                read,
                Some(&req_read),
                join_narrative(b.description, b.statements),
                b.at,
            ));
        }
    }
    Ok(rows)
}

/// Reads the assessments of an OSCAL component definition or SSP (JSON or
/// YAML). Other OSCAL models, and files that are not OSCAL, are refused
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
        let hint = if keys.iter().any(|k| *k == "catalog" || *k == "profile") {
            " (catalogs and profiles are imported with `plasma compliance import`)"
        } else {
            ""
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
    let rows = match model {
        AssessmentModel::ComponentDefinition => component_definition(root)?,
        AssessmentModel::SystemSecurityPlan => system_security_plan(root)?,
    };
    Ok(AssessmentDocument { model, title, rows })
}

//! Catalogs in: OSCAL catalog JSON (also what `trestle author
//! profile-resolve` writes for a resolved profile), OSCAL profile JSON
//! (control ids only: a profile names controls but does not carry their
//! titles), and CSV with `id` and `title` columns (`group`, `description`
//! optional; `control_id`/`control id`/`name` accepted too).

use plasma_models::compliance::{Control, Framework};
use plasma_models::slug::slugify;
use serde_json::Value;
use thiserror::Error;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum CatalogImportError {
    #[error("{file}: not JSON: {reason}")]
    Json { file: String, reason: String },
    #[error("{file}: {reason}")]
    Unsupported { file: String, reason: String },
    #[error("{file}, {at}: {reason}")]
    Invalid {
        file: String,
        at: String,
        reason: String,
    },
}

/// What kind of file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogFormat {
    OscalCatalog,
    OscalProfile,
    Csv,
}

impl CatalogFormat {
    pub fn label(self) -> &'static str {
        match self {
            CatalogFormat::OscalCatalog => "oscal-catalog",
            CatalogFormat::OscalProfile => "oscal-profile",
            CatalogFormat::Csv => "csv",
        }
    }
}

fn framework_id(title: &str) -> String {
    let mut id: String = slugify(title).chars().take(64).collect();
    while id.ends_with('-') {
        id.pop();
    }
    id
}

/// A scalar as trimmed text (YAML gives `version: 1.0` as a number).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// The prose of a control's statement (and its items), one line each.
fn statement(parts: &Value, out: &mut Vec<String>) {
    for p in parts.as_array().into_iter().flatten() {
        let name = p["name"].as_str().unwrap_or_default();
        if matches!(name, "statement" | "item") {
            let prose = text(&p["prose"]);
            if !prose.is_empty() {
                out.push(prose);
            }
            statement(&p["parts"], out);
        }
    }
}

fn collect_controls(
    file: &str,
    group: &str,
    controls: &Value,
    out: &mut Vec<Control>,
) -> Result<(), CatalogImportError> {
    for (i, c) in controls.as_array().into_iter().flatten().enumerate() {
        let id = text(&c["id"]);
        let title = text(&c["title"]);
        if id.is_empty() || title.is_empty() {
            return Err(CatalogImportError::Invalid {
                file: file.into(),
                at: format!("control {} of group \"{group}\"", i + 1),
                reason: "a control needs an id and a title".into(),
            });
        }
        let mut prose = Vec::new();
        statement(&c["parts"], &mut prose);
        out.push(Control {
            id,
            group: group.to_string(),
            title,
            description: prose.join("\n"),
        });
        // Enhancements are controls nested in their base control.
        collect_controls(file, group, &c["controls"], out)?;
    }
    Ok(())
}

fn collect_groups(
    file: &str,
    groups: &Value,
    out: &mut Vec<Control>,
) -> Result<(), CatalogImportError> {
    for g in groups.as_array().into_iter().flatten() {
        let title = text(&g["title"]);
        let label = match text(&g["id"]) {
            id if id.is_empty() => title,
            id => format!("{id}: {title}"),
        };
        collect_controls(file, &label, &g["controls"], out)?;
        collect_groups(file, &g["groups"], out)?;
    }
    Ok(())
}

fn header(file: &str, root: &Value, kind: &str) -> Result<(String, String), CatalogImportError> {
    let title = text(&root["metadata"]["title"]);
    if title.is_empty() {
        return Err(CatalogImportError::Invalid {
            file: file.into(),
            at: format!("{kind}.metadata"),
            reason: "the title is missing".into(),
        });
    }
    Ok((title, text(&root["metadata"]["version"])))
}

/// The models OSCAL defines, by their root key, with a name for messages.
const OSCAL_MODELS: &[(&str, &str)] = &[
    ("catalog", "catalog"),
    ("profile", "profile"),
    ("component-definition", "component definition"),
    ("system-security-plan", "system security plan (SSP)"),
    ("assessment-plan", "security assessment plan (SAP)"),
    ("assessment-results", "security assessment results (SAR)"),
    (
        "plan-of-action-and-milestones",
        "plan of action and milestones (POA&M)",
    ),
    ("mapping-collection", "control mapping collection"),
];

/// Reads an OSCAL document: JSON, or YAML (NIST publishes every catalog and
/// profile in both). OSCAL XML is refused with a message saying so.
fn read_document(file: &str, text: &str) -> Result<Value, CatalogImportError> {
    let text = text.trim_start_matches('\u{feff}');
    let start = text.trim_start();
    if start.starts_with('<') {
        let root = xml_root(start);
        let what = OSCAL_MODELS
            .iter()
            .find(|(key, _)| *key == root)
            .map_or_else(
                || "an XML file".to_string(),
                |(_, name)| format!("an OSCAL {name} in XML"),
            );
        return Err(CatalogImportError::Unsupported {
            file: file.into(),
            reason: format!(
                "this is {what}; OSCAL is read as JSON or YAML: use the JSON or YAML edition \
                 published next to it (NIST and FedRAMP publish all three), or convert it \
                 (oscal-cli convert, or trestle import)"
            ),
        });
    }
    if start.starts_with('{') || start.starts_with('[') {
        return serde_json::from_str(start).map_err(|e| CatalogImportError::Json {
            file: file.into(),
            reason: e.to_string(),
        });
    }
    serde_yaml_ng::from_str::<Value>(text).map_err(|e| CatalogImportError::Invalid {
        file: file.into(),
        at: format!("line {}", e.location().map_or(1, |l| l.line()).max(1)),
        reason: format!("neither JSON nor valid YAML: {e}"),
    })
}

/// The name of an XML document's root element (after the declaration,
/// comments and processing instructions), or "".
fn xml_root(text: &str) -> &str {
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        let skip = if rest.starts_with("<?") {
            rest.find("?>").map(|i| i + 2)
        } else if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if rest.starts_with("<!") {
            rest.find('>').map(|i| i + 1)
        } else {
            break;
        };
        match skip {
            Some(i) => rest = &rest[i..],
            None => return "",
        }
    }
    let name = rest
        .strip_prefix('<')
        .unwrap_or_default()
        .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .next()
        .unwrap_or_default();
    // A namespace prefix (`<oscal:catalog`) is not part of the name.
    name.rsplit(':').next().unwrap_or(name)
}

/// Reads an OSCAL catalog or profile (JSON or YAML). `id` overrides the
/// framework id made from the title.
pub fn parse_oscal(
    file: &str,
    source: &str,
    id: Option<&str>,
) -> Result<(Framework, CatalogFormat), CatalogImportError> {
    let doc = read_document(file, source)?;
    if let Some(root) = doc.get("catalog") {
        let (title, version) = header(file, root, "catalog")?;
        let mut controls = Vec::new();
        collect_controls(file, "", &root["controls"], &mut controls)?;
        collect_groups(file, &root["groups"], &mut controls)?;
        let f = Framework {
            id: id.map_or_else(|| framework_id(&title), str::to_string),
            name: title,
            version,
            source: format!("OSCAL catalog {file}"),
            notice: String::new(),
            bundled: false,
            controls,
        };
        return Ok((f, CatalogFormat::OscalCatalog));
    }
    if let Some(root) = doc.get("profile") {
        let (title, version) = header(file, root, "profile")?;
        let mut controls = Vec::new();
        for (i, imp) in root["imports"].as_array().into_iter().flatten().enumerate() {
            if imp.get("include-all").is_some() {
                return Err(CatalogImportError::Unsupported {
                    file: file.into(),
                    reason: format!(
                        "import {} includes all controls of {}; resolve the profile first (trestle author profile-resolve) and import the result",
                        i + 1,
                        text(&imp["href"])
                    ),
                });
            }
            for inc in imp["include-controls"].as_array().into_iter().flatten() {
                for cid in inc["with-ids"].as_array().into_iter().flatten() {
                    let cid = text(cid);
                    if cid.is_empty() || controls.iter().any(|c: &Control| c.id == cid) {
                        continue;
                    }
                    // A profile carries ids only: the family prefix is the
                    // group and the upper-cased id the title.
                    let family = cid.split('-').next().unwrap_or_default().to_uppercase();
                    controls.push(Control {
                        title: cid.to_uppercase(),
                        id: cid,
                        group: family,
                        description: String::new(),
                    });
                }
            }
        }
        let f = Framework {
            id: id.map_or_else(|| framework_id(&title), str::to_string),
            name: title,
            version,
            source: format!("OSCAL profile {file}"),
            notice: "Imported from a profile: titles are the control ids. Import the resolved profile for titles and text.".into(),
            bundled: false,
            controls,
        };
        return Ok((f, CatalogFormat::OscalProfile));
    }
    Err(not_a_catalog(file, &doc))
}

/// The error for an OSCAL document of another model, or not OSCAL at all.
fn not_a_catalog(file: &str, doc: &Value) -> CatalogImportError {
    let keys: Vec<&str> = doc
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let Some((kind, name)) = OSCAL_MODELS.iter().find(|(key, _)| keys.contains(key)) else {
        let found = if keys.is_empty() {
            "no keys at the top".to_string()
        } else {
            format!("top-level keys: {}", keys.join(", "))
        };
        return CatalogImportError::Unsupported {
            file: file.into(),
            reason: format!(
                "not an OSCAL document: expected a top-level \"catalog\" or \"profile\" ({found})"
            ),
        };
    };
    // Where the controls it speaks of come from, when it says.
    let root = &doc[*kind];
    let source = [
        &root["import-profile"]["href"],
        &root["import-ssp"]["href"],
        &root["import-ap"]["href"],
    ]
    .into_iter()
    .map(text)
    .find(|h| !h.is_empty());
    let hint = match source {
        Some(href) => format!(" (it builds on {href})"),
        None => String::new(),
    };
    CatalogImportError::Unsupported {
        file: file.into(),
        reason: format!(
            "this OSCAL file is a {kind}, an OSCAL {name}{hint}, not a catalog or profile; import the catalog or the (resolved) profile that lists the controls"
        ),
    }
}

/// Reads a CSV catalog. The framework is named `name` (its id slugified
/// from it unless `id` is given).
pub fn parse_csv(
    file: &str,
    text: &str,
    name: &str,
    id: Option<&str>,
) -> Result<Framework, CatalogImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| CatalogImportError::Invalid {
            file: file.into(),
            at: "line 1".into(),
            reason: e.to_string(),
        })?
        .iter()
        .map(|h| {
            h.trim_start_matches('\u{feff}')
                .to_ascii_lowercase()
                .replace([' ', '-'], "_")
        })
        .collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let (Some(id_col), Some(title_col)) = (
        col(&["id", "control_id", "control"]),
        col(&["title", "name", "control_title"]),
    ) else {
        return Err(CatalogImportError::Invalid {
            file: file.into(),
            at: "line 1".into(),
            reason: format!(
                "the header needs an id and a title column (found: {})",
                headers.join(", ")
            ),
        });
    };
    let group_col = col(&["group", "family", "category"]);
    let desc_col = col(&["description", "text", "statement"]);
    let mut controls = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let at = format!("line {}", i + 2);
        let record = record.map_err(|e| CatalogImportError::Invalid {
            file: file.into(),
            at: at.clone(),
            reason: e.to_string(),
        })?;
        let get = |c: Option<usize>| {
            c.and_then(|c| record.get(c))
                .unwrap_or_default()
                .to_string()
        };
        let control = Control {
            id: get(Some(id_col)),
            title: get(Some(title_col)),
            group: get(group_col),
            description: get(desc_col),
        };
        if control.id.is_empty() && control.title.is_empty() {
            continue;
        }
        controls.push(control);
    }
    let framework = Framework {
        id: id.map_or_else(|| framework_id(name), str::to_string),
        name: name.to_string(),
        version: String::new(),
        source: format!("CSV {file}"),
        notice: String::new(),
        bundled: false,
        controls,
    };
    framework
        .validate()
        .map_err(|reason| CatalogImportError::Invalid {
            file: file.into(),
            at: "catalog".into(),
            reason,
        })?;
    Ok(framework)
}

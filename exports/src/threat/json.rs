//! Reading untrusted JSON (or YAML parsed into JSON values) with a JSON
//! pointer at hand, so every error says where it is.

use serde_json::{Map, Value};
use uuid::Uuid;

use super::ImportError;

/// A value and the JSON pointer that leads to it.
#[derive(Clone)]
pub(crate) struct Node<'a> {
    pub value: &'a Value,
    ptr: String,
}

fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

pub(crate) fn child_ptr(ptr: &str, key: &str) -> String {
    format!("{ptr}/{}", escape_token(key))
}

pub(crate) fn index_ptr(ptr: &str, index: usize) -> String {
    format!("{ptr}/{index}")
}

/// How an error names a JSON value's type ("expected a string, found a number").
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl<'a> Node<'a> {
    pub fn root(value: &'a Value) -> Node<'a> {
        Node {
            value,
            ptr: String::new(),
        }
    }

    /// The member `key` as a node, if present and not null.
    pub fn child(&self, key: &str) -> Option<Node<'a>> {
        self.get(key).map(|value| Node {
            value,
            ptr: child_ptr(&self.ptr, key),
        })
    }

    /// The member `key`, which must be an object.
    pub fn req_object(&self, key: &str) -> Result<Node<'a>, ImportError> {
        self.object()?;
        let node = self
            .child(key)
            .ok_or_else(|| self.field_err(key, format!("the required key \"{key}\" is missing")))?;
        node.object()?;
        Ok(node)
    }

    pub fn location(&self) -> String {
        if self.ptr.is_empty() {
            "/".to_string()
        } else {
            self.ptr.clone()
        }
    }

    pub fn err(&self, reason: impl Into<String>) -> ImportError {
        ImportError::new(self.location(), reason)
    }

    pub fn field_err(&self, key: &str, reason: impl Into<String>) -> ImportError {
        ImportError::new(child_ptr(&self.ptr, key), reason)
    }

    pub fn object(&self) -> Result<&'a Map<String, Value>, ImportError> {
        self.value.as_object().ok_or_else(|| {
            self.err(format!(
                "expected an object, found {}",
                type_name(self.value)
            ))
        })
    }

    /// The member `key`, if present and not null.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.value.get(key).filter(|v| !v.is_null())
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn opt_str(&self, key: &str) -> Result<Option<&'a str>, ImportError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.field_err(
                key,
                format!("expected a string, found {}", type_name(other)),
            )),
        }
    }

    pub fn str_or_empty(&self, key: &str) -> Result<&'a str, ImportError> {
        Ok(self.opt_str(key)?.unwrap_or(""))
    }

    pub fn req_str(&self, key: &str) -> Result<&'a str, ImportError> {
        self.object()?;
        self.opt_str(key)?
            .ok_or_else(|| self.field_err(key, format!("the required key \"{key}\" is missing")))
    }

    /// A string or a number as text (ids are sometimes numbers).
    pub fn opt_scalar_text(&self, key: &str) -> Result<Option<String>, ImportError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Bool(b)) => Ok(Some(b.to_string())),
            Some(other) => Err(self.field_err(
                key,
                format!("expected a string or a number, found {}", type_name(other)),
            )),
        }
    }

    /// Booleans; "true"/"false" strings are accepted too.
    pub fn bool_or(&self, key: &str, default: bool) -> Result<bool, ImportError> {
        match self.get(key) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(true),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(false),
            Some(other) => Err(self.field_err(
                key,
                format!("expected a boolean, found {}", type_name(other)),
            )),
        }
    }

    pub fn opt_f64(&self, key: &str) -> Result<Option<f64>, ImportError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => match n.as_f64() {
                Some(f) if f.is_finite() => Ok(Some(f)),
                _ => Err(self.field_err(key, "the number is out of range")),
            },
            Some(Value::String(s)) => match s.trim().parse::<f64>() {
                Ok(f) if f.is_finite() => Ok(Some(f)),
                _ => Err(self.field_err(key, format!("\"{s}\" is not a number"))),
            },
            Some(other) => Err(self.field_err(
                key,
                format!("expected a number, found {}", type_name(other)),
            )),
        }
    }

    pub fn req_f64(&self, key: &str) -> Result<f64, ImportError> {
        self.opt_f64(key)?
            .ok_or_else(|| self.field_err(key, format!("the required key \"{key}\" is missing")))
    }

    /// The array `key` (missing or null is empty), with each item's pointer.
    pub fn array(&self, key: &str) -> Result<Vec<Node<'a>>, ImportError> {
        match self.get(key) {
            None => Ok(vec![]),
            Some(Value::Array(items)) => {
                let base = child_ptr(&self.ptr, key);
                Ok(items
                    .iter()
                    .enumerate()
                    .map(|(i, value)| Node {
                        value,
                        ptr: index_ptr(&base, i),
                    })
                    .collect())
            }
            Some(other) => Err(self.field_err(
                key,
                format!("expected an array, found {}", type_name(other)),
            )),
        }
    }

    /// The items of this node, which must be an array.
    pub fn array_items(&self) -> Result<Vec<Node<'a>>, ImportError> {
        match self.value {
            Value::Array(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, value)| Node {
                    value,
                    ptr: index_ptr(&self.ptr, i),
                })
                .collect()),
            other => Err(self.err(format!("expected an array, found {}", type_name(other)))),
        }
    }

    pub fn req_array(&self, key: &str) -> Result<Vec<Node<'a>>, ImportError> {
        self.object()?;
        if !self.has(key) {
            return Err(self.field_err(key, format!("the required key \"{key}\" is missing")));
        }
        self.array(key)
    }

    /// Strings of the array `key`; null items are skipped.
    pub fn str_array(&self, key: &str) -> Result<Vec<&'a str>, ImportError> {
        let mut out = vec![];
        for node in self.array(key)? {
            match node.value {
                Value::Null => {}
                Value::String(s) => out.push(s.as_str()),
                other => {
                    return Err(ImportError::new(
                        node.ptr,
                        format!("expected a string, found {}", type_name(other)),
                    ))
                }
            }
        }
        Ok(out)
    }

    /// Pointer of the member `key` (for errors on values read through it).
    pub fn key_ptr(&self, key: &str) -> String {
        child_ptr(&self.ptr, key)
    }
}

/// Parses JSON; a syntax error becomes `line N`.
pub(crate) fn parse_json(text: &str) -> Result<Value, ImportError> {
    let text = text.trim_start_matches('\u{feff}');
    serde_json::from_str(text).map_err(|e| {
        ImportError::new(
            format!("line {}", e.line().max(1)),
            format!("not valid JSON: {e}"),
        )
    })
}

/// An error found in a document rewritten before import (pytm's element
/// list, Devici's OTM layout), pointed back at the place it came from:
/// `places` pairs each rewritten place with the original one.
pub(crate) fn relocate(e: ImportError, places: &[(String, String)]) -> ImportError {
    for (new, original) in places {
        if let Some(rest) = e.location.strip_prefix(new.as_str()) {
            if rest.is_empty() || rest.starts_with('/') {
                return ImportError::new(format!("{original}{rest}"), e.reason);
            }
        }
    }
    e
}

/// A UUID kept as is, or a UUID v5 of the text in `namespace`.
pub(crate) fn stable_id(namespace: &Uuid, key: &str) -> Uuid {
    Uuid::new_v5(namespace, key.as_bytes())
}

/// An OWASP Threat Model Library document (the TM-BOM JSON that Threat
/// Dragon imports): its `$schema` names `threat-model.schema.json`, or it
/// has a `scope` with the library's `trust_zones`, `data_stores` or
/// `data_sets` (its `actors` and `components` are not pytm's).
fn is_threat_model_library(map: &Map<String, Value>) -> bool {
    let schema = map
        .get("$schema")
        .and_then(Value::as_str)
        .is_some_and(|s| s.contains("threat-model.schema") || s.contains("threat-model-library"));
    let shaped = map.contains_key("scope")
        && ["trust_zones", "data_stores", "data_sets"]
            .iter()
            .any(|k| map.contains_key(*k));
    schema || shaped
}

/// What a document that is not in the format asked for looks like, so the
/// error can say which import to use instead; `None` when it looks like
/// nothing known.
pub(crate) fn looks_like(value: &Value) -> Option<&'static str> {
    let map = value.as_object()?;
    let has = |k: &str| map.contains_key(k);
    if has("otmVersion") {
        Some("an Open Threat Model file (import it as OTM: --format otm)")
    } else if has("threagile_version") {
        Some("a Threagile model (import it as Threagile: --format threagile)")
    } else if is_threat_model_library(map) {
        Some("an OWASP Threat Model Library file (TM-BOM, threat-model.schema.json: scope, trust zones, actors, components, data stores), which Plasma Plan does not read; open it in Threat Dragon, which imports it, and save it there as Threat Dragon JSON")
    } else if has("summary") && has("detail") {
        Some("a Threat Dragon model (import it as Threat Dragon: --format td)")
    } else if has("templateMetadata") && has("model") {
        Some("a Threat Dragon template (import it as Threat Dragon: --format td)")
    } else if has("elements") || has("flows") || has("boundaries") || has("actors") {
        Some("a pytm model (import it as pytm: --format pytm)")
    } else if has("bomFormat") {
        Some("a CycloneDX bill of materials (a Threat Dragon TM-BOM), which Plasma Plan does not read; export the model from Threat Dragon as JSON")
    } else if super::threat_composer::looks_like_threat_composer(value) {
        Some("a Threat Composer file (import it as Threat Composer: --format threat-composer)")
    } else if has("$schema") || (has("properties") && has("type")) {
        Some("a JSON Schema, not a threat model")
    } else {
        None
    }
}

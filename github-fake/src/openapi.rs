//! Validates the fake's requests and responses against GitHub's OpenAPI
//! description (a subset, `github-openapi-subset.json`), so the fake cannot
//! drift from the real API without a test noticing.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use serde_json::{json, Map, Value};

pub struct OpenApi {
    spec: Value,
    components: Value,
    validators: Mutex<HashMap<String, jsonschema::Validator>>,
}

/// OpenAPI 3.0's `nullable: true` is not JSON Schema; rewrite it as
/// `anyOf: [schema, {type: null}]`.
fn convert(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, x) in m {
                if k == "nullable" || k == "example" || k == "examples" {
                    continue;
                }
                out.insert(k.clone(), convert(x));
            }
            if m.get("nullable") == Some(&Value::Bool(true)) {
                json!({ "anyOf": [Value::Object(out), { "type": "null" }] })
            } else {
                Value::Object(out)
            }
        }
        Value::Array(a) => Value::Array(a.iter().map(convert).collect()),
        other => other.clone(),
    }
}

fn matches_template(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.trim_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_matches('/').split('/').collect();
    for (i, seg) in t.iter().enumerate() {
        let is_param = seg.starts_with('{') && seg.ends_with('}');
        let spans = matches!(*seg, "{ref}" | "{path}" | "{basehead}");
        if spans && i == t.len() - 1 {
            // A trailing `{ref}` / `{path}` spans the rest (`heads/drafts/x`).
            return p.len() > i && !p[i].is_empty();
        }
        match p.get(i) {
            Some(s) if is_param && !s.is_empty() => {}
            Some(s) if s == seg => {}
            _ => return false,
        }
    }
    t.len() == p.len()
}

impl OpenApi {
    pub fn load(path: &Path) -> Result<OpenApi, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let spec: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let components = convert(&spec["components"]);
        Ok(OpenApi {
            spec,
            components,
            validators: Mutex::new(HashMap::new()),
        })
    }

    fn operation(&self, method: &str, path: &str) -> Option<(String, &Value)> {
        let paths = self.spec["paths"].as_object()?;
        // Prefer the template with the most literal segments.
        let mut found: Vec<(&String, &Value)> = paths
            .iter()
            .filter(|(t, _)| matches_template(t, path))
            .filter_map(|(t, ops)| ops.get(method.to_lowercase()).map(|op| (t, op)))
            .collect();
        found.sort_by_key(|(t, _)| {
            std::cmp::Reverse(t.split('/').filter(|s| !s.starts_with('{')).count())
        });
        found.first().map(|(t, op)| (format!("{method} {t}"), *op))
    }

    fn resolve<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let pointer = r.trim_start_matches('#');
                self.spec.pointer(pointer).unwrap_or(v)
            }
            None => v,
        }
    }

    fn check(&self, key: &str, schema: &Value, instance: &Value) -> Vec<String> {
        let mut cache = self.validators.lock().unwrap_or_else(|e| e.into_inner());
        if !cache.contains_key(key) {
            let root = json!({ "allOf": [convert(schema)], "components": self.components });
            match jsonschema::options()
                .with_draft(jsonschema::Draft::Draft4)
                .build(&root)
            {
                Ok(v) => {
                    cache.insert(key.to_string(), v);
                }
                Err(e) => return vec![format!("{key}: schema does not compile: {e}")],
            }
        }
        match cache.get(key) {
            Some(v) => v
                .iter_errors(instance)
                .take(5)
                .map(|e| format!("{key}: {} at {}", e, e.instance_path))
                .collect(),
            None => Vec::new(),
        }
    }

    /// Problems with one exchange; empty when it conforms. Paths the
    /// description does not cover (OAuth's `/login/...`) are not checked.
    pub fn validate(
        &self,
        method: &str,
        path: &str,
        request: Option<&Value>,
        status: u16,
        response: Option<&Value>,
    ) -> Vec<String> {
        let Some((key, op)) = self.operation(method, path) else {
            if path.starts_with("/login/") {
                return Vec::new();
            }
            return vec![format!(
                "{method} {path}: no such operation in the OpenAPI description"
            )];
        };
        let mut problems = Vec::new();
        if let Some(body) = request {
            let schema = &self.resolve(&op["requestBody"])["content"]["application/json"]["schema"];
            if schema.is_null() {
                problems.push(format!("{key}: takes no request body"));
            } else {
                problems.extend(self.check(&format!("{key} request"), schema, body));
            }
        }
        // Conditional requests (304) are valid on every GET.
        if status == 304 && method == "GET" {
            return problems;
        }
        let responses = &op["responses"];
        let Some(declared) = responses
            .get(status.to_string())
            .or_else(|| responses.get("default"))
        else {
            problems.push(format!(
                "{key}: status {status} is not a documented response"
            ));
            return problems;
        };
        let schema = &self.resolve(declared)["content"]["application/json"]["schema"];
        match (schema.is_null(), response) {
            (false, Some(body)) => {
                problems.extend(self.check(&format!("{key} {status}"), schema, body))
            }
            (false, None) => problems.push(format!("{key} {status}: response body missing")),
            _ => {}
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_trailing_refs() {
        assert!(matches_template(
            "/repos/{owner}/{repo}/git/ref/{ref}",
            "/repos/a/b/git/ref/heads/drafts/adr-x"
        ));
        assert!(!matches_template(
            "/repos/{owner}/{repo}/git/refs",
            "/repos/a/b/git/refs/heads/x"
        ));
        assert!(matches_template("/repos/{owner}/{repo}", "/repos/a/b"));
        assert!(!matches_template(
            "/repos/{owner}/{repo}",
            "/repos/a/b/pulls"
        ));
    }

    #[test]
    fn catches_a_response_that_breaks_the_description() {
        let path = crate::default_openapi_path();
        if !path.is_file() {
            eprintln!("skipping: {} is absent", path.display());
            return;
        }
        let spec = OpenApi::load(&path).expect("spec");
        let good = json!({"ref": "refs/heads/main", "node_id": "x", "url": "https://api.github.com/repos/a/b/git/refs/heads/main",
            "object": {"type": "commit", "sha": "0000000000000000000000000000000000000001", "url": "https://api.github.com/x"}});
        assert!(spec
            .validate(
                "GET",
                "/repos/a/b/git/ref/heads/main",
                None,
                200,
                Some(&good)
            )
            .is_empty());
        let mut bad = good.clone();
        bad.as_object_mut().expect("object").remove("object");
        assert!(!spec
            .validate(
                "GET",
                "/repos/a/b/git/ref/heads/main",
                None,
                200,
                Some(&bad)
            )
            .is_empty());
        assert!(!spec
            .validate(
                "POST",
                "/repos/a/b/git/refs",
                Some(&json!({"ref": 1})),
                201,
                Some(&good)
            )
            .is_empty());
        assert!(!spec
            .validate("GET", "/repos/a/b/git/ref/heads/main", None, 418, None)
            .is_empty());
        assert!(!spec
            .validate("GET", "/repos/a/b/unknown", None, 200, None)
            .is_empty());
    }

    #[test]
    fn nullable_becomes_any_of_null() {
        let v = convert(&json!({"type": "string", "nullable": true}));
        assert_eq!(v, json!({"anyOf": [{"type": "string"}, {"type": "null"}]}));
    }
}

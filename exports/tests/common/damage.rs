//! Damage for the never-panic property tests of the importers: a run of
//! bytes replaced with junk, or a JSON value removed or replaced.

use proptest::sample::Index;
use serde_json::Value;

/// `text` with `len` bytes from a point picked by `at` replaced by `junk`
/// (invalid UTF-8 made lossy, as a reader would get it).
pub fn splice(text: &str, at: Index, len: usize, junk: &str) -> String {
    let bytes = text.as_bytes();
    let start = at.index(bytes.len().max(1)).min(bytes.len());
    let end = (start + len).min(bytes.len());
    let mut damaged = bytes[..start].to_vec();
    damaged.extend_from_slice(junk.as_bytes());
    damaged.extend_from_slice(&bytes[end..]);
    String::from_utf8_lossy(&damaged).into_owned()
}

/// A replacement picked by `kind`: removal, or a value of another type.
pub fn replacement(kind: u8) -> Option<Value> {
    match kind {
        0 => None,
        1 => Some(Value::Null),
        2 => Some(serde_json::json!(-1.5e300)),
        3 => Some(serde_json::json!("ghost")),
        4 => Some(serde_json::json!([])),
        5 => Some(serde_json::json!({})),
        _ => Some(serde_json::json!(true)),
    }
}

/// Every path to a value in a JSON document.
pub fn paths(v: &Value, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                let mut p = prefix.clone();
                p.push(k.clone());
                paths(c, p, out);
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                let mut p = prefix.clone();
                p.push(i.to_string());
                paths(c, p, out);
            }
        }
        _ => {}
    }
}

pub fn replace_at(v: &mut Value, path: &[String], with: Option<Value>) {
    let Some((last, init)) = path.split_last() else {
        if let Some(w) = with {
            *v = w;
        }
        return;
    };
    let mut cur = v;
    for k in init {
        cur = match cur {
            Value::Object(m) => match m.get_mut(k) {
                Some(c) => c,
                None => return,
            },
            Value::Array(a) => match k.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                Some(c) => c,
                None => return,
            },
            _ => return,
        };
    }
    match (cur, with) {
        (Value::Object(m), None) => {
            m.remove(last);
        }
        (Value::Object(m), Some(w)) => {
            m.insert(last.clone(), w);
        }
        (Value::Array(a), w) => {
            if let Some(i) = last.parse::<usize>().ok().filter(|i| *i < a.len()) {
                match w {
                    None => {
                        a.remove(i);
                    }
                    Some(w) => a[i] = w,
                }
            }
        }
        _ => {}
    }
}

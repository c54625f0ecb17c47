//! YAML front matter: reading with a real YAML parser (`serde_yaml_ng`, the
//! maintained fork of `serde_yaml`; it keeps mapping order), and writing
//! scalars quoted only when a plain scalar would be read differently.

use serde_yaml_ng::Value;

/// One top-level front-matter entry: key, parsed value, value as written.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub key: String,
    pub value: Value,
    pub raw: String,
}

/// Parses front matter text (between the `---` lines). Errors carry the
/// 1-based line within `text`.
pub(crate) fn parse_front_matter(text: &str) -> Result<Vec<Entry>, (usize, String)> {
    let pairs: Vec<(Value, Value)> = match simple_mapping(text) {
        Some(pairs) => pairs,
        None => {
            let value: Value = serde_yaml_ng::from_str(text).map_err(|e| {
                let line = e.location().map(|l| l.line()).unwrap_or(1).max(1);
                (line, format!("invalid YAML front matter: {e}"))
            })?;
            match value {
                Value::Null => return Ok(Vec::new()),
                Value::Mapping(m) => m.into_iter().collect(),
                _ => {
                    return Err((
                        1,
                        "front matter is not a YAML mapping of keys to values".into(),
                    ))
                }
            }
        }
    };
    let raws = raw_entries(text);
    let mut out = Vec::new();
    for (i, (k, v)) in pairs.into_iter().enumerate() {
        let key = match &k {
            Value::String(s) => s.clone(),
            other => scalar_text(other).unwrap_or_else(|| serialize(other)),
        };
        let raw = raws
            .get(i)
            .and_then(|(rk, rv)| (rk == &key).then(|| rv.clone()))
            .unwrap_or_else(|| serialize(&v));
        out.push(Entry { key, value: v, raw });
    }
    Ok(out)
}

/// The front matter nearly every ADR tool writes, read without a YAML
/// parser (which costs more than the rest of an import's parsing): one
/// `key: value` per line, each value a plain string that starts with a
/// letter, an ISO date, a double-quoted string without escapes, or a flow
/// list of those. `None` for anything else, which the YAML parser then
/// reads; where this answers, the answer is the parser's (tested below).
fn simple_mapping(text: &str) -> Option<Vec<(Value, Value)>> {
    let mut out: Vec<(Value, Value)> = Vec::new();
    for line in text.split('\n') {
        let line = line.trim_end_matches([' ', '\r']);
        if line.is_empty() {
            continue;
        }
        let colon = line.find(':')?;
        let key = &line[..colon];
        let mut chars = key.chars();
        if !chars.next()?.is_ascii_alphabetic()
            || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            || is_keyword(key)
        {
            return None;
        }
        let rest = &line[colon + 1..];
        let value = if rest.is_empty() {
            Value::Null
        } else {
            simple_value(rest.strip_prefix(' ')?.trim_start_matches(' '))?
        };
        if out.iter().any(|(k, _)| k.as_str() == Some(key)) {
            return None;
        }
        out.push((Value::String(key.to_string()), value));
    }
    (!out.is_empty()).then_some(out)
}

fn simple_value(s: &str) -> Option<Value> {
    if let Some(inner) = s.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?.trim_matches(' ');
        if inner.is_empty() {
            return Some(Value::Sequence(Vec::new()));
        }
        return inner
            .split(',')
            .map(|item| simple_scalar(item.trim_matches(' ')).map(Value::String))
            .collect::<Option<Vec<_>>>()
            .map(Value::Sequence);
    }
    if is_iso_date(s) {
        return Some(Value::String(s.to_string()));
    }
    simple_scalar(s).map(Value::String)
}

/// A scalar that every YAML reader takes for this exact string, in block
/// and flow context alike.
fn simple_scalar(s: &str) -> Option<String> {
    if let Some(inner) = s.strip_prefix('"') {
        let inner = inner.strip_suffix('"')?;
        let plain_text = inner
            .chars()
            .all(|c| !matches!(c, '"' | '\\') && !c.is_control() && c != '\u{feff}');
        return plain_text.then(|| inner.to_string());
    }
    let first = s.chars().next()?;
    let plain = first.is_alphabetic()
        && !is_keyword(s)
        && !s.ends_with(' ')
        && s.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, ' ' | '_' | '.' | '-' | '/' | '(' | ')' | '+')
        });
    plain.then(|| s.to_string())
}

/// Words some YAML reader takes for a boolean or null.
fn is_keyword(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
    )
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

fn serialize(v: &Value) -> String {
    match serde_yaml_ng::to_string(v) {
        Ok(s) => {
            let s = s.trim_end().to_string();
            if s.contains('\n') {
                format!("\n{}", indent(&s))
            } else {
                s
            }
        }
        Err(_) => String::new(),
    }
}

fn indent(s: &str) -> String {
    s.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Top-level `key: value` entries as written, continuation lines included.
fn raw_entries(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let top =
            !line.is_empty() && !line.starts_with([' ', '\t', '#', '-']) && !line.trim().is_empty();
        if top {
            if let Some(i) = line.find(':') {
                let key = line[..i].trim().to_string();
                let value = line[i + 1..].trim().to_string();
                out.push((key, value));
                continue;
            }
        }
        if let Some((_, v)) = out.last_mut() {
            if line.trim_start().starts_with('#') && !line.starts_with([' ', '\t']) {
                continue;
            }
            v.push('\n');
            v.push_str(line.trim_end());
        }
    }
    for (_, v) in &mut out {
        let t = v.trim_end().to_string();
        *v = t;
    }
    out
}

/// The text of a scalar value.
pub(crate) fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        _ => None,
    }
}

/// The text of a value as written in front matter (`raw` of an [`Entry`]),
/// when it is a scalar.
pub(crate) fn raw_scalar_text(raw: &str) -> Option<String> {
    scalar_text(&serde_yaml_ng::from_str::<Value>(raw).ok()?)
}

/// A list of names: a YAML sequence of scalars or a comma-separated string.
pub(crate) fn string_list(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Sequence(items) => {
            let mut out = Vec::new();
            for item in items {
                let s = scalar_text(item)?;
                let s = s.trim();
                if !s.is_empty() {
                    out.push(s.to_string());
                }
            }
            Some(out)
        }
        other => Some(split_list(&scalar_text(other)?, &[','])),
    }
}

/// Splits at `seps` outside brackets: `Claude (spec review, fact-check)`
/// is one person. Brackets left open split everywhere, as written.
pub(crate) fn split_list(s: &str, seps: &[char]) -> Vec<String> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 && seps.contains(&c) => {
                parts.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    if depth > 0 {
        parts = s.split(|c| seps.contains(&c)).collect();
    }
    parts
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A scalar for YAML: plain when that reads back as the same string,
/// otherwise double-quoted with escapes. Safe in flow sequences too.
pub(crate) fn quote(s: &str) -> String {
    if is_plain_safe(s) {
        return s.to_string();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20
                || (0x7f..=0x9f).contains(&(c as u32))
                || c == '\u{feff}'
                || c == '\u{fffe}'
                || c == '\u{ffff}' =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !first.is_alphabetic() || s.ends_with(' ') {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
    ) {
        return false;
    }
    s.chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '.' | '-' | '/' | '@' | '(' | ')'))
        && !s.contains("  ")
}

/// A flow sequence of scalars: `[a, "b, c"]`.
pub(crate) fn flow_list(items: &[String]) -> String {
    let parts: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", parts.join(", "))
}

/// `key: value` as one YAML entry when it parses as exactly that key;
/// otherwise the value as a quoted string.
pub(crate) fn entry_line(key: &str, raw: &str) -> String {
    let key_text = if is_plain_safe(key) || is_simple_key(key) {
        key.to_string()
    } else {
        quote(key)
    };
    let line = if raw.is_empty() {
        format!("{key_text}:")
    } else if raw.starts_with('\n') {
        format!("{key_text}:{raw}")
    } else {
        format!("{key_text}: {raw}")
    };
    let ok = match serde_yaml_ng::from_str::<Value>(&line) {
        Ok(Value::Mapping(m)) => {
            m.len() == 1
                && m.keys()
                    .next()
                    .and_then(scalar_text)
                    .is_some_and(|k| k == key)
        }
        _ => false,
    };
    if ok {
        line
    } else {
        format!("{key_text}: {}", quote(raw))
    }
}

fn is_simple_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !key.starts_with(['-', '.'])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast reader answers exactly as the YAML parser, or not at all.
    #[test]
    fn simple_front_matter_reads_as_the_yaml_parser_reads_it() {
        let read_by_both = [
            "status: accepted\ndate: 2020-01-11\ndecision-makers: [Platform architect, Team 1]\n",
            "consulted: []\ninformed: [All teams]\ntags: [tenant]\nrepositories: [service-10]\n",
            "status: \"superseded by ADR-0012\"\n\ndate:\nparent: Decisions (old)\n",
            "status: Ölgemälde für Café\ntags: [a.b, c/d, e+f]\n",
            "title: \"x: y # z, [w]\"\n",
        ];
        for text in read_by_both {
            let fast = simple_mapping(text).expect(text);
            let Ok(Value::Mapping(slow)) = serde_yaml_ng::from_str::<Value>(text) else {
                panic!("{text}");
            };
            assert_eq!(fast, slow.into_iter().collect::<Vec<_>>(), "{text}");
        }
        // Left to the parser: anything it might read differently.
        for text in [
            "status: yes\n",
            "nav_order: 5\n",
            "date: 2020-1-1\n",
            "tags:\n  - a\n  - b\n",
            "status: a # comment\n",
            "status: 'single'\n",
            "status: \"esc\\\"aped\"\n",
            "k: v\nk: w\n",
            "tags: [a, 1]\n",
            "tags: [a, b,]\n",
            "key: a: b\n",
            "# comment\nstatus: x\n",
            "status:\tx\n",
            "true: x\n",
            "",
        ] {
            assert_eq!(simple_mapping(text), None, "{text}");
        }
    }
}

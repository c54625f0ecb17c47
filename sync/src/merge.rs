//! Three-way merge over items with stable ids.
//!
//! A document is compared with the last synced version (the base) on both
//! sides. Items changed on one side only take that side; items changed the
//! same way on both sides are fine; items changed differently are conflicts.
//! A conflict is never decided here: the outcome carries both complete
//! candidates (`prefer_local`, `prefer_remote`) and the list of conflicting
//! items, and the user chooses.
//!
//! Items are: for Markdown (ADRs, MADR 4), the preamble (front matter and
//! title) and each `##` section, keyed by heading; for JSON (Threat Dragon
//! models), object members by key and array elements by their `id` field, so
//! diagram cells and threats merge one by one.
//!
//! The `*_resolving` variants take the user's [`Choice`] per conflicting item
//! and build the document from them; items left without a choice stay
//! conflicts, so a resolution can be made item by item.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::layout::DocumentKind;
use crate::SyncError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// Which item: a section heading or a JSON path such as
    /// `detail.diagrams[id=0].cells[id=web].data.threats[id=t1].title`.
    pub item: String,
    pub base: Option<String>,
    pub local: Option<String>,
    pub remote: Option<String>,
    /// The sides are plain text (a Markdown section, a JSON string value)
    /// that the user may edit into a merged text; otherwise they are JSON.
    #[serde(default)]
    pub text: bool,
}

/// The user's decision for one conflicting item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Choice {
    Local,
    Remote,
    /// A merged text written by the user: the section's Markdown, the string
    /// of a JSON text item, or JSON for other JSON items.
    Edited(String),
}

/// Choices by item id (as in [`Conflict::item`]).
pub type Choices = BTreeMap<String, Choice>;

/// Choices must name conflicting items; a stale or mistyped id is an error
/// rather than silently ignored.
fn check_used(choices: &Choices, used: &BTreeSet<String>) -> Result<(), SyncError> {
    let unknown: Vec<&str> = choices
        .keys()
        .filter(|k| !used.contains(*k))
        .map(String::as_str)
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(SyncError::Invalid(format!(
            "not a conflicting item of this document: {}",
            unknown.join(", ")
        )))
    }
}

/// Merges one document of `kind` with the user's choices (JSON for threat
/// models, Markdown sections otherwise).
pub fn merge_document(
    kind: DocumentKind,
    base: &str,
    local: &str,
    remote: &str,
    choices: &Choices,
) -> Result<MergeOutcome, SyncError> {
    match kind {
        DocumentKind::ThreatModel => merge_json_resolving(base, local, remote, choices),
        _ => merge_markdown_resolving(base, local, remote, choices),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeOutcome {
    /// All clean merges, with the local side at each conflict.
    pub prefer_local: String,
    /// All clean merges, with the remote side at each conflict.
    pub prefer_remote: String,
    pub conflicts: Vec<Conflict>,
}

impl MergeOutcome {
    pub fn is_clean(&self) -> bool {
        self.conflicts.is_empty()
    }
}

/// Orders the union of ids: the remote order, with items only the local side
/// has inserted after the item that precedes them locally.
fn merged_order(local: &[String], remote: &[String]) -> Vec<String> {
    let mut order: Vec<String> = remote.to_vec();
    for (i, id) in local.iter().enumerate() {
        if order.contains(id) {
            continue;
        }
        let at = local[..i]
            .iter()
            .rev()
            .find_map(|prev| order.iter().position(|o| o == prev))
            .map(|p| p + 1)
            .unwrap_or(0);
        order.insert(at, id.clone());
    }
    order
}

// ---- Markdown ----------------------------------------------------------

/// Splits Markdown into (id, text) items at level-2 headings. The text of
/// each item includes its heading line, so joining the texts gives back the
/// document byte for byte.
pub fn markdown_items(text: &str) -> Vec<(String, String)> {
    let mut items: Vec<(String, String)> = vec![("preamble".into(), String::new())];
    let mut in_fence = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if !in_fence && line.starts_with("## ") {
            let heading = line[3..].trim().to_lowercase();
            let mut id = format!("section:{heading}");
            let mut n = 2;
            while items.iter().any(|(i, _)| *i == id) {
                id = format!("section:{heading}#{n}");
                n += 1;
            }
            items.push((id, line.to_string()));
        } else if let Some(last) = items.last_mut() {
            last.1.push_str(line);
        }
    }
    items
}

pub fn merge_markdown(base: &str, local: &str, remote: &str) -> MergeOutcome {
    merge_markdown_with(base, local, remote, &Choices::new()).0
}

/// [`merge_markdown`] with the user's choices for conflicting sections.
pub fn merge_markdown_resolving(
    base: &str,
    local: &str,
    remote: &str,
    choices: &Choices,
) -> Result<MergeOutcome, SyncError> {
    let (outcome, used) = merge_markdown_with(base, local, remote, choices);
    check_used(choices, &used)?;
    Ok(outcome)
}

/// An edited section keeps its heading (the id) even when the user's text
/// starts below it, and ends with a newline so the next section stays apart.
fn edited_section(
    id: &str,
    text: &str,
    local: Option<&str>,
    remote: Option<&str>,
) -> Option<String> {
    if text.trim().is_empty() {
        return None;
    }
    let mut out = String::new();
    if id != "preamble" && !text.starts_with("## ") {
        let heading = local
            .or(remote)
            .and_then(|t| t.split_inclusive('\n').next())
            .unwrap_or("\n");
        out.push_str(heading);
    }
    out.push_str(text);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Some(out)
}

fn merge_markdown_with(
    base: &str,
    local: &str,
    remote: &str,
    choices: &Choices,
) -> (MergeOutcome, BTreeSet<String>) {
    let mut used = BTreeSet::new();
    let (b, l, r) = (
        markdown_items(base),
        markdown_items(local),
        markdown_items(remote),
    );
    let find =
        |v: &[(String, String)], id: &str| v.iter().find(|(i, _)| i == id).map(|(_, t)| t.clone());
    let order = merged_order(
        &l.iter().map(|(i, _)| i.clone()).collect::<Vec<_>>(),
        &r.iter().map(|(i, _)| i.clone()).collect::<Vec<_>>(),
    );
    let mut prefer_local = String::new();
    let mut prefer_remote = String::new();
    let mut conflicts = Vec::new();
    for id in order {
        let (bi, li, ri) = (find(&b, &id), find(&l, &id), find(&r, &id));
        let (pl, pr) = if li == ri || ri == bi {
            (li.clone(), li.clone())
        } else if li == bi {
            (ri.clone(), ri.clone())
        } else if let Some(choice) = choices.get(&id) {
            used.insert(id.clone());
            let chosen = match choice {
                Choice::Local => li,
                Choice::Remote => ri,
                Choice::Edited(t) => edited_section(&id, t, li.as_deref(), ri.as_deref()),
            };
            (chosen.clone(), chosen)
        } else {
            conflicts.push(Conflict {
                item: id.clone(),
                base: bi,
                local: li.clone(),
                remote: ri.clone(),
                text: true,
            });
            (li, ri)
        };
        prefer_local.push_str(pl.as_deref().unwrap_or(""));
        prefer_remote.push_str(pr.as_deref().unwrap_or(""));
    }
    (
        MergeOutcome {
            prefer_local,
            prefer_remote,
            conflicts,
        },
        used,
    )
}

// ---- JSON ----------------------------------------------------------------

fn id_of(v: &Value) -> Option<String> {
    match v.get("id")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An array whose elements are all objects with distinct ids.
fn id_keyed(a: &[Value]) -> Option<Vec<(String, Value)>> {
    let mut out: Vec<(String, Value)> = Vec::with_capacity(a.len());
    for v in a {
        let id = id_of(v)?;
        if out.iter().any(|(i, _)| *i == id) {
            return None;
        }
        out.push((id, v.clone()));
    }
    Some(out)
}

type Pair = (Option<Value>, Option<Value>);

/// What a JSON merge collects on its way down.
struct JsonMerge<'a> {
    choices: &'a Choices,
    used: BTreeSet<String>,
    conflicts: Vec<Conflict>,
    error: Option<SyncError>,
}

fn merge_value(
    path: &str,
    b: Option<&Value>,
    l: Option<&Value>,
    r: Option<&Value>,
    m: &mut JsonMerge<'_>,
) -> Pair {
    if l == r || r == b {
        return (l.cloned(), l.cloned());
    }
    if l == b {
        return (r.cloned(), r.cloned());
    }
    match (l, r) {
        (Some(Value::Object(lo)), Some(Value::Object(ro))) => {
            let empty = Map::new();
            let bo = b.and_then(Value::as_object).unwrap_or(&empty);
            let order = merged_order(
                &lo.keys().cloned().collect::<Vec<_>>(),
                &ro.keys().cloned().collect::<Vec<_>>(),
            );
            let (mut ml, mut mr) = (Map::new(), Map::new());
            for key in order {
                let sub = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                let (pl, pr) = merge_value(&sub, bo.get(&key), lo.get(&key), ro.get(&key), m);
                if let Some(v) = pl {
                    ml.insert(key.clone(), v);
                }
                if let Some(v) = pr {
                    mr.insert(key, v);
                }
            }
            return (Some(Value::Object(ml)), Some(Value::Object(mr)));
        }
        (Some(Value::Array(la)), Some(Value::Array(ra))) => {
            let ba = match b {
                Some(Value::Array(ba)) => id_keyed(ba),
                None => Some(Vec::new()),
                Some(_) => None,
            };
            if let (Some(bk), Some(lk), Some(rk)) = (ba, id_keyed(la), id_keyed(ra)) {
                let find = |v: &[(String, Value)], id: &str| {
                    v.iter().find(|(i, _)| i == id).map(|(_, x)| x.clone())
                };
                let order = merged_order(
                    &lk.iter().map(|(i, _)| i.clone()).collect::<Vec<_>>(),
                    &rk.iter().map(|(i, _)| i.clone()).collect::<Vec<_>>(),
                );
                let (mut ml, mut mr) = (Vec::new(), Vec::new());
                for id in order {
                    let sub = format!("{path}[id={id}]");
                    let (bi, li, ri) = (find(&bk, &id), find(&lk, &id), find(&rk, &id));
                    let (pl, pr) = merge_value(&sub, bi.as_ref(), li.as_ref(), ri.as_ref(), m);
                    ml.extend(pl);
                    mr.extend(pr);
                }
                return (Some(Value::Array(ml)), Some(Value::Array(mr)));
            }
        }
        _ => {}
    }
    let item = if path.is_empty() {
        "(document)".to_string()
    } else {
        path.to_string()
    };
    let text = [l, r].iter().any(|v| matches!(v, Some(Value::String(_))))
        && [b, l, r]
            .iter()
            .all(|v| matches!(v, None | Some(Value::String(_))));
    if let Some(choice) = m.choices.get(&item) {
        m.used.insert(item.clone());
        let chosen = match choice {
            Choice::Local => l.cloned(),
            Choice::Remote => r.cloned(),
            Choice::Edited(t) if text => Some(Value::String(t.clone())),
            Choice::Edited(t) => match serde_json::from_str::<Value>(t) {
                Ok(v) => Some(v),
                Err(e) => {
                    m.error.get_or_insert(SyncError::Invalid(format!(
                        "the text for {item} is not JSON: {e}"
                    )));
                    l.cloned()
                }
            },
        };
        return (chosen.clone(), chosen);
    }
    // Text items show their text, not its JSON quoting.
    let show = |v: Option<&Value>| {
        v.map(|x| match x {
            Value::String(s) if text => s.clone(),
            other => other.to_string(),
        })
    };
    m.conflicts.push(Conflict {
        item,
        base: show(b),
        local: show(l),
        remote: show(r),
        text,
    });
    (l.cloned(), r.cloned())
}

/// Merges three JSON texts. Unparseable input is an error naming the side.
pub fn merge_json(base: &str, local: &str, remote: &str) -> Result<MergeOutcome, crate::SyncError> {
    merge_json_resolving(base, local, remote, &Choices::new())
}

/// [`merge_json`] with the user's choices for conflicting items.
pub fn merge_json_resolving(
    base: &str,
    local: &str,
    remote: &str,
    choices: &Choices,
) -> Result<MergeOutcome, crate::SyncError> {
    let parse = |side: &str, text: &str| {
        serde_json::from_str::<Value>(text)
            .map_err(|e| crate::SyncError::Invalid(format!("{side} version is not JSON: {e}")))
    };
    let (b, l, r) = (
        parse("base", base)?,
        parse("local", local)?,
        parse("remote", remote)?,
    );
    let mut m = JsonMerge {
        choices,
        used: BTreeSet::new(),
        conflicts: Vec::new(),
        error: None,
    };
    let (pl, pr) = merge_value("", Some(&b), Some(&l), Some(&r), &mut m);
    if let Some(e) = m.error {
        return Err(e);
    }
    check_used(choices, &m.used)?;
    let render = |v: Option<Value>| {
        let mut s = serde_json::to_string_pretty(&v.unwrap_or(Value::Null)).unwrap_or_default();
        s.push('\n');
        s
    };
    Ok(MergeOutcome {
        prefer_local: render(pl),
        prefer_remote: render(pr),
        conflicts: m.conflicts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const BASE: &str = "---\nstatus: proposed\n---\n# Use Postgres\n\n## Context and Problem Statement\n\nWe need a DB.\n\n## Decision Outcome\n\nPostgres.\n";

    #[test]
    fn markdown_split_round_trips() {
        let joined: String = markdown_items(BASE).into_iter().map(|(_, t)| t).collect();
        assert_eq!(joined, BASE);
        let ids: Vec<String> = markdown_items(BASE).into_iter().map(|(i, _)| i).collect();
        assert_eq!(
            ids,
            [
                "preamble",
                "section:context and problem statement",
                "section:decision outcome"
            ]
        );
    }

    #[test]
    fn edits_to_different_sections_merge_cleanly() {
        let local = BASE.replace("We need a DB.", "We need a relational DB.");
        let remote = BASE.replace("Postgres.\n", "Postgres, version 16.\n");
        let m = merge_markdown(BASE, &local, &remote);
        assert!(m.is_clean());
        assert!(m.prefer_local.contains("relational DB") && m.prefer_local.contains("version 16"));
        assert_eq!(m.prefer_local, m.prefer_remote);
    }

    #[test]
    fn same_section_edited_both_sides_is_a_conflict_with_both_versions() {
        let local = BASE.replace("Postgres.\n", "Postgres 15.\n");
        let remote = BASE.replace("Postgres.\n", "Postgres 16.\n");
        let m = merge_markdown(BASE, &local, &remote);
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].item, "section:decision outcome");
        assert!(
            m.prefer_local.contains("Postgres 15.") && m.prefer_remote.contains("Postgres 16.")
        );
    }

    #[test]
    fn sections_added_on_each_side_are_both_kept() {
        let local = format!("{BASE}\n## Consequences\n\nGood.\n");
        let remote = format!("{BASE}\n## More Information\n\nSee wiki.\n");
        let m = merge_markdown(BASE, &local, &remote);
        assert!(m.is_clean());
        assert!(
            m.prefer_local.contains("## Consequences")
                && m.prefer_local.contains("## More Information")
        );
    }

    #[test]
    fn json_merges_threats_and_cells_by_id() {
        let base = json!({"summary": {"title": "Pay"}, "detail": {"diagrams": [{"id": 0, "cells": [
            {"id": "web", "data": {"name": "Web", "threats": [{"id": "t1", "title": "Spoof"}, {"id": "t2", "title": "Tamper"}]}},
            {"id": "db", "data": {"name": "DB", "threats": []}}
        ]}]}});
        let mut local = base.clone();
        local["detail"]["diagrams"][0]["cells"][0]["data"]["threats"][0]["title"] =
            json!("Spoofing of users");
        let mut remote = base.clone();
        remote["detail"]["diagrams"][0]["cells"][0]["data"]["threats"][1]["title"] =
            json!("Tampering");
        remote["detail"]["diagrams"][0]["cells"]
            .as_array_mut()
            .expect("cells")
            .push(json!({"id": "queue", "data": {"name": "Queue"}}));
        let m =
            merge_json(&base.to_string(), &local.to_string(), &remote.to_string()).expect("merge");
        assert!(m.is_clean(), "{:?}", m.conflicts);
        let v: Value = serde_json::from_str(&m.prefer_local).expect("json");
        let cells = &v["detail"]["diagrams"][0]["cells"];
        assert_eq!(cells[0]["data"]["threats"][0]["title"], "Spoofing of users");
        assert_eq!(cells[0]["data"]["threats"][1]["title"], "Tampering");
        assert_eq!(cells[2]["id"], "queue");
    }

    #[test]
    fn json_conflict_names_the_item_path() {
        let base = json!({"detail": {"threats": [{"id": "t1", "status": "Open"}]}});
        let local = json!({"detail": {"threats": [{"id": "t1", "status": "Mitigated"}]}});
        let remote = json!({"detail": {"threats": [{"id": "t1", "status": "NotApplicable"}]}});
        let m =
            merge_json(&base.to_string(), &local.to_string(), &remote.to_string()).expect("merge");
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].item, "detail.threats[id=t1].status");
        assert!(m.prefer_local.contains("Mitigated") && m.prefer_remote.contains("NotApplicable"));
    }

    #[test]
    fn deleted_on_one_side_and_edited_on_the_other_is_a_conflict() {
        let base = json!({"items": [{"id": "a", "v": 1}]});
        let local = json!({"items": []});
        let remote = json!({"items": [{"id": "a", "v": 2}]});
        let m =
            merge_json(&base.to_string(), &local.to_string(), &remote.to_string()).expect("merge");
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.conflicts[0].local, None);
    }

    fn choices(list: &[(&str, Choice)]) -> Choices {
        list.iter()
            .map(|(k, c)| (k.to_string(), c.clone()))
            .collect()
    }

    const TWO: &str = "# T\n\n## Context\n\nA.\n\n## Decision\n\nB.\n";

    #[test]
    fn markdown_items_resolve_one_by_one() {
        let local = TWO.replace("A.", "A mine.").replace("B.", "B mine.");
        let remote = TWO.replace("A.", "A theirs.").replace("B.", "B theirs.");
        let m = merge_markdown(TWO, &local, &remote);
        assert_eq!(m.conflicts.len(), 2);
        assert!(m.conflicts.iter().all(|c| c.text));

        // One choice: the other item is still a conflict, and both
        // candidates now carry the chosen side.
        let one = choices(&[("section:context", Choice::Local)]);
        let half = merge_markdown_resolving(TWO, &local, &remote, &one).expect("merge");
        assert_eq!(half.conflicts.len(), 1);
        assert_eq!(half.conflicts[0].item, "section:decision");
        assert!(half.prefer_local.contains("A mine.") && half.prefer_remote.contains("A mine."));

        let both = choices(&[
            ("section:context", Choice::Local),
            ("section:decision", Choice::Remote),
        ]);
        let done = merge_markdown_resolving(TWO, &local, &remote, &both).expect("merge");
        assert!(done.is_clean());
        assert_eq!(
            done.prefer_local,
            "# T\n\n## Context\n\nA mine.\n\n## Decision\n\nB theirs.\n"
        );
        // Re-merging the half-resolved candidates gives the same result.
        let rest = choices(&[("section:decision", Choice::Remote)]);
        let again = merge_markdown_resolving(TWO, &half.prefer_local, &half.prefer_remote, &rest)
            .expect("merge");
        assert_eq!(again.prefer_local, done.prefer_local);
    }

    #[test]
    fn an_edited_section_keeps_its_heading_and_line_end() {
        let local = TWO.replace("B.", "B mine.");
        let remote = TWO.replace("B.", "B theirs.");
        let edit = choices(&[(
            "section:decision",
            Choice::Edited("\nB, merged by hand.".into()),
        )]);
        let m = merge_markdown_resolving(TWO, &local, &remote, &edit).expect("merge");
        assert!(m.is_clean());
        assert_eq!(
            m.prefer_local,
            "# T\n\n## Context\n\nA.\n\n## Decision\n\nB, merged by hand.\n"
        );
        let ids: Vec<String> = markdown_items(&m.prefer_local)
            .into_iter()
            .map(|(i, _)| i)
            .collect();
        assert_eq!(ids, ["preamble", "section:context", "section:decision"]);
    }

    #[test]
    fn a_choice_for_an_item_that_is_not_in_conflict_is_refused() {
        let local = TWO.replace("B.", "B mine.");
        let remote = TWO.replace("B.", "B theirs.");
        let wrong = choices(&[("section:context", Choice::Local)]);
        let err = merge_markdown_resolving(TWO, &local, &remote, &wrong).unwrap_err();
        assert!(err.to_string().contains("section:context"), "{err}");
    }

    #[test]
    fn json_items_resolve_separately_and_text_items_take_edited_text() {
        let base = json!({"threats": [
            {"id": "t1", "title": "Spoof", "severity": "Low"},
            {"id": "t2", "title": "Tamper", "severity": "Low"}
        ]});
        let mut local = base.clone();
        local["threats"][0]["title"] = json!("Spoof (mine)");
        local["threats"][1]["severity"] = json!("High");
        let mut remote = base.clone();
        remote["threats"][0]["title"] = json!("Spoof (theirs)");
        remote["threats"][1]["severity"] = json!("Medium");
        let (b, l, r) = (base.to_string(), local.to_string(), remote.to_string());
        let m = merge_json(&b, &l, &r).expect("merge");
        assert_eq!(m.conflicts.len(), 2);
        let title = &m.conflicts[0];
        assert_eq!(title.item, "threats[id=t1].title");
        assert!(title.text);
        assert_eq!(
            title.local.as_deref(),
            Some("Spoof (mine)"),
            "unquoted text"
        );

        let picks = choices(&[
            (
                "threats[id=t1].title",
                Choice::Edited("Spoofing of the login".into()),
            ),
            ("threats[id=t2].severity", Choice::Remote),
        ]);
        let done = merge_json_resolving(&b, &l, &r, &picks).expect("merge");
        assert!(done.is_clean(), "{:?}", done.conflicts);
        let v: Value = serde_json::from_str(&done.prefer_local).expect("json");
        assert_eq!(v["threats"][0]["title"], "Spoofing of the login");
        assert_eq!(v["threats"][1]["severity"], "Medium");
        assert_eq!(done.prefer_local, done.prefer_remote);
    }

    #[test]
    fn edited_json_that_does_not_parse_is_an_error() {
        let base = json!({"n": 1});
        let (l, r) = (json!({"n": 2}), json!({"n": 3}));
        let m = merge_json(&base.to_string(), &l.to_string(), &r.to_string()).expect("merge");
        assert!(!m.conflicts[0].text, "numbers are JSON values, not text");
        let bad = choices(&[("n", Choice::Edited("four".into()))]);
        let err = merge_json_resolving(&base.to_string(), &l.to_string(), &r.to_string(), &bad)
            .unwrap_err();
        assert!(err.to_string().contains("not JSON"), "{err}");
        let good = choices(&[("n", Choice::Edited("4".into()))]);
        let ok = merge_json_resolving(&base.to_string(), &l.to_string(), &r.to_string(), &good)
            .expect("merge");
        assert_eq!(ok.prefer_local.trim(), "{\n  \"n\": 4\n}");
    }
}

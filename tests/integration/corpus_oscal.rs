//! OSCAL corpus conformance (`../shared/corpus/oscal`): every profile and
//! catalog imports through `plasma compliance import` with every control id
//! of the source (counted from the raw JSON here), the imported framework
//! works in the matrix (set a cell, see coverage, export OSCAL with the ids),
//! and other OSCAL models (component definitions, SSPs) are refused with a
//! message naming what they are. Data-driven over the folder; skipped with a
//! notice when the corpus is absent.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

use crate::support::{corpus, plasma};

fn oscal_files() -> Option<Vec<PathBuf>> {
    let dir = corpus()?.join("oscal");
    if !dir.is_dir() {
        eprintln!("notice: {} not found, skipping", dir.display());
        return None;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
        })
        .collect();
    files.sort();
    Some(files)
}

/// Control ids a catalog or profile names, from the raw JSON (a catalog's
/// withdrawn controls are left out by the import).
fn source_ids(doc: &Value) -> Option<BTreeSet<String>> {
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        for c in v["controls"].as_array().into_iter().flatten() {
            let withdrawn = c["props"].as_array().into_iter().flatten().any(|p| {
                p["name"] == "status"
                    && p["value"]
                        .as_str()
                        .is_some_and(|v| v.eq_ignore_ascii_case("withdrawn"))
            });
            if !withdrawn {
                out.insert(c["id"].as_str().unwrap().to_string());
            }
            walk(c, out);
        }
        for g in v["groups"].as_array().into_iter().flatten() {
            walk(g, out);
        }
    }
    let mut out = BTreeSet::new();
    if let Some(cat) = doc.get("catalog") {
        walk(cat, &mut out);
        return Some(out);
    }
    let profile = doc.get("profile")?;
    for imp in profile["imports"].as_array().into_iter().flatten() {
        for inc in imp["include-controls"].as_array().into_iter().flatten() {
            for id in inc["with-ids"].as_array().into_iter().flatten() {
                out.insert(id.as_str().unwrap().to_string());
            }
        }
    }
    Some(out)
}

#[test]
fn corpus_catalogs_and_profiles_import_with_every_control() {
    let Some(files) = oscal_files() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    plasma(&db, &["workspace", "create", "Gov", "--repo", "portal"]).ok();
    let mut imported = 0;
    for (i, file) in files.iter().enumerate() {
        let text = std::fs::read_to_string(file).unwrap();
        let doc: Value = if file.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).unwrap()
        } else {
            serde_yaml_ng::from_str(&text).unwrap()
        };
        let name = file.display().to_string();
        let id = format!("corpus-{i}");
        let run = plasma(&db, &["compliance", "import", &name, "--id", &id, "--json"]);
        let Some(expected) = source_ids(&doc) else {
            // Not a catalog or profile: refused, naming the model, nothing stored.
            assert_ne!(run.code, 0, "{name} should be refused");
            let kind = doc
                .as_object()
                .unwrap()
                .keys()
                .find(|k| *k != "$schema")
                .unwrap()
                .clone();
            assert!(
                run.stderr.contains(&format!("is a {kind}")),
                "{name}: {}",
                run.stderr
            );
            continue;
        };
        // A profile selecting by pattern or including all needs its
        // catalog; without it beside the profile it is refused, saying so.
        let by_pattern = doc["profile"]["imports"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|i| {
                i.get("include-all").is_some()
                    || i["include-controls"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|s| s.get("matching").is_some() || s["with-child-controls"] == "yes")
            });
        if by_pattern {
            if run.code != 0 {
                assert!(
                    run.stderr.contains("not found next to the profile"),
                    "{name}: {}",
                    run.stderr
                );
            }
            continue;
        }
        let report = run.ok().json();
        assert_eq!(report["framework"], id);
        assert_eq!(report["controls"], expected.len(), "{name}");
        let catalog = plasma(&db, &["compliance", "controls", &id, "--json"])
            .ok()
            .json();
        let got: BTreeSet<String> = catalog["controls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(got, expected, "{name}: control ids");
        let title = doc.as_object().unwrap().values().next().unwrap()["metadata"]["title"]
            .as_str()
            .unwrap();
        assert_eq!(catalog["name"], title);

        // Importing again changes nothing.
        let again = plasma(&db, &["compliance", "import", &name, "--id", &id, "--json"])
            .ok()
            .json();
        assert_eq!(again["action"], "unchanged");

        // The imported framework works in the matrix and in OSCAL exports.
        let first = expected.iter().next().unwrap();
        plasma(
            &db,
            &[
                "compliance",
                "set",
                &format!("{id}:{first}"),
                "--status",
                "implemented",
            ],
        )
        .ok();
        let cov = plasma(
            &db,
            &["compliance", "coverage", "--framework", &id, "--json"],
        )
        .ok()
        .json();
        assert_eq!(cov["frameworks"][0]["implemented"], 1);
        let out = dir.path().join(format!("{id}.json"));
        plasma(
            &db,
            &[
                "compliance",
                "export",
                "--framework",
                &id,
                "--format",
                "oscal",
                "--out",
                out.to_str().unwrap(),
            ],
        )
        .ok();
        let cd: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        let reqs = cd["component-definition"]["components"][0]["control-implementations"][0]
            ["implemented-requirements"]
            .as_array()
            .unwrap();
        let exported: BTreeSet<String> = reqs
            .iter()
            .map(|r| r["control-id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            exported, expected,
            "{name}: OSCAL ids survive the round trip"
        );
        imported += 1;
    }
    assert!(
        imported > 0,
        "the corpus has at least one catalog or profile"
    );
}

/// Through the CLI: an overlay profile importing two profiles of one
/// catalog (one takes `ac-3`, the other `ac-3` and its enhancement with
/// its own title) resolves by its `merge.combine` method: `use-first`
/// keeps the first branch's `ac-3`; without a method (keep) the differing
/// `ac-3` is refused naming it.
#[test]
fn cli_overlay_profile_applies_its_combination_rule() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let write = |name: &str, v: Value| {
        std::fs::write(dir.join(name), serde_json::to_string(&v).unwrap()).unwrap();
    };
    let meta = |title: &str| serde_json::json!({"title": title, "last-modified": "2026-01-01T00:00:00Z", "version": "1", "oscal-version": "1.1.2"});
    write(
        "catalog.json",
        serde_json::json!({"catalog": {"uuid": "00000000-0000-4000-8000-000000000001", "metadata": meta("Source"),
            "groups": [{"id": "ac", "title": "Access Control", "controls": [
                {"id": "ac-1", "title": "Policy"},
                {"id": "ac-3", "title": "Access Enforcement", "controls": [{"id": "ac-3.14", "title": "Individual Access"}]}]}]}}),
    );
    let branch = |title: &str, ids: &[&str], alter: Option<&str>| {
        let mut p = serde_json::json!({"profile": {"uuid": "00000000-0000-4000-8000-000000000002", "metadata": meta(title),
            "imports": [{"href": "catalog.json", "include-controls": [{"with-ids": ids}]}],
            "merge": {"as-is": true}}});
        if let Some(text) = alter {
            p["profile"]["modify"] = serde_json::json!({"alters": [{"control-id": "ac-3",
                "adds": [{"position": "ending", "parts": [{"id": "ac-3_ovl", "name": "statement", "prose": text}]}]}]});
        }
        p
    };
    write("branch-a.json", branch("A", &["ac-3"], None));
    write(
        "branch-b.json",
        branch("B", &["ac-3", "ac-3.14"], Some("Overlay B's own words.")),
    );
    let top = |merge: Value| {
        serde_json::json!({"profile": {"uuid": "00000000-0000-4000-8000-000000000003", "metadata": meta("Top Overlay"),
            "imports": [{"href": "branch-a.json", "include-all": {}}, {"href": "branch-b.json", "include-all": {}}],
            "merge": merge}})
    };
    write(
        "top.json",
        top(serde_json::json!({"as-is": true, "combine": {"method": "use-first"}})),
    );
    write("top-keep.json", top(serde_json::json!({"as-is": true})));
    let db = dir.join("o.db");
    let path = |n: &str| dir.join(n).to_string_lossy().into_owned();
    plasma(
        &db,
        &["compliance", "import", &path("top.json"), "--id", "top"],
    )
    .ok();
    let f = plasma(&db, &["compliance", "controls", "top", "--json"])
        .ok()
        .json();
    let ids: Vec<&str> = f["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ac-3", "ac-3.14"]);
    assert!(!f["controls"][0]["description"]
        .as_str()
        .unwrap()
        .contains("Overlay B"));
    assert!(f["notice"].as_str().unwrap().contains("combine: use-first"));

    let run = plasma(
        &db,
        &["compliance", "import", &path("top-keep.json"), "--id", "k"],
    );
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stderr.contains("ac-3") && run.stderr.contains("use-first"),
        "{}",
        run.stderr
    );
}

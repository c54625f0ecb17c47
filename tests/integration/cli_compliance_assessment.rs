//! `plasma compliance import-assessment`: an exported OSCAL component
//! definition, edited elsewhere, comes back into the matrix; real OSCAL from
//! the corpus parses and is reported, not refused.

use std::path::Path;

use serde_json::{json, Value};

use crate::support::{corpus, plasma};

fn export(db: &Path, out: &Path) -> Value {
    plasma(
        db,
        &[
            "compliance",
            "export",
            "--framework",
            "plasma-sdlc",
            "--format",
            "oscal",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .ok();
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

fn import(db: &Path, file: &Path) -> crate::support::Run {
    plasma(
        db,
        &[
            "compliance",
            "import-assessment",
            file.to_str().unwrap(),
            "--json",
        ],
    )
}

/// The cell of `control` in `repo`, from `compliance show --json`.
fn cell(db: &Path, control: &str, repo: &str) -> Value {
    let view = plasma(
        db,
        &[
            "compliance",
            "show",
            &format!("plasma-sdlc:{control}"),
            "--json",
        ],
    )
    .ok()
    .json();
    view["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["repository"] == repo)
        .unwrap_or_else(|| panic!("{repo} in {view}"))["cell"]
        .clone()
}

/// The requirement's control id as the matrix names it (the `label` prop).
fn label(req: &Value) -> String {
    req["props"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "label")
        .unwrap()["value"]
        .as_str()
        .unwrap()
        .to_string()
}

fn status_prop(req: &mut Value) -> Option<&mut Value> {
    req["props"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|p| p["name"] == "implementation-status")
        .map(|p| &mut p["value"])
}

#[test]
fn an_edited_export_comes_back_into_exactly_the_cells_edited() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    plasma(&db, &["demo"]).ok();
    let frameworks = plasma(&db, &["compliance", "frameworks", "--json"])
        .ok()
        .json();
    assert!(frameworks
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["id"] == "plasma-sdlc"));
    let before_path = dir.path().join("before.json");
    let before = export(&db, &before_path);

    // Edit: one status (an implemented control of the first repository
    // becomes planned), one narrative (in the second repository).
    let mut doc = before.clone();
    let comps = doc["component-definition"]["components"]
        .as_array_mut()
        .unwrap();
    assert!(comps.len() >= 2, "the demo has several repositories");
    let repo_a = comps[0]["title"].as_str().unwrap().to_string();
    let repo_b = comps[1]["title"].as_str().unwrap().to_string();
    let reqs_a = comps[0]["control-implementations"][0]["implemented-requirements"]
        .as_array_mut()
        .unwrap();
    let req = reqs_a
        .iter_mut()
        .find(|r| {
            r["props"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == "implementation-status" && p["value"] == "implemented")
        })
        .expect("an implemented control in the demo");
    let status_control = label(req);
    *status_prop(req).unwrap() = json!("planned");
    let old_narrative_a = cell(&db, &status_control, &repo_a)["narrative"].clone();
    let reqs_b = comps[1]["control-implementations"][0]["implemented-requirements"]
        .as_array_mut()
        .unwrap();
    let req = reqs_b
        .iter_mut()
        .find(|r| {
            r["props"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["name"] == "implementation-status")
        })
        .expect("an assessed control in the second repository");
    let narrative_control = label(req);
    let old_status_b = cell(&db, &narrative_control, &repo_b)["status"].clone();
    req["description"] = json!("Reviewed in the OSCAL tool: branch protection everywhere.");
    // A component named after no repository.
    let mut stranger = comps[0].clone();
    stranger["title"] = json!("Mainframe Billing");
    comps.push(stranger);
    let edited = dir.path().join("edited.json");
    std::fs::write(&edited, serde_json::to_string_pretty(&doc).unwrap()).unwrap();

    let report = import(&db, &edited).ok().json();
    assert_eq!(report["framework"], "plasma-sdlc", "{report}");
    assert_eq!(report["model"], "component-definition");
    assert_eq!(
        report["unmatched_components"],
        json!(["Mainframe Billing"]),
        "{report}"
    );
    let updated: Vec<(String, String, Value)> = report["updated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["control"]["control"].as_str().unwrap().to_string(),
                u["repository"].as_str().unwrap().to_string(),
                u["changed"].clone(),
            )
        })
        .collect();
    assert_eq!(
        updated,
        vec![
            (status_control.clone(), repo_a.clone(), json!(["status"])),
            (
                narrative_control.clone(),
                repo_b.clone(),
                json!(["narrative"])
            ),
        ],
        "{report}"
    );

    let a = cell(&db, &status_control, &repo_a);
    assert_eq!(a["status"], "planned");
    assert_eq!(a["narrative"], old_narrative_a, "the narrative is kept");
    let b = cell(&db, &narrative_control, &repo_b);
    assert_eq!(
        b["narrative"],
        "Reviewed in the OSCAL tool: branch protection everywhere."
    );
    assert_eq!(b["status"], old_status_b, "the status is kept");

    // Exactly those cells changed: exporting again differs from the first
    // export in those two requirements only.
    let after = export(&db, &dir.path().join("after.json"));
    let mut differing = Vec::new();
    let comps_before = before["component-definition"]["components"]
        .as_array()
        .unwrap();
    let comps_after = after["component-definition"]["components"]
        .as_array()
        .unwrap();
    assert_eq!(comps_before.len(), comps_after.len());
    for (cb, ca) in comps_before.iter().zip(comps_after) {
        let rb = cb["control-implementations"][0]["implemented-requirements"]
            .as_array()
            .unwrap();
        let ra = ca["control-implementations"][0]["implemented-requirements"]
            .as_array()
            .unwrap();
        assert_eq!(rb.len(), ra.len());
        for (x, y) in rb.iter().zip(ra) {
            if x != y {
                differing.push((label(x), cb["title"].as_str().unwrap().to_string()));
            }
        }
    }
    assert_eq!(
        differing,
        vec![
            (status_control.clone(), repo_a.clone()),
            (narrative_control, repo_b)
        ]
    );

    // Importing the same file again changes nothing.
    let again = import(&db, &edited).ok().json();
    assert_eq!(again["updated"], json!([]), "{again}");

    // A malformed file changes nothing and fails.
    let mut broken = doc.clone();
    broken["component-definition"]["components"][0]["control-implementations"][0]
        ["implemented-requirements"][0]["props"] =
        json!([{"name": "implementation-status", "value": "mostly"}]);
    broken["component-definition"]["components"][1]["control-implementations"][0]
        ["implemented-requirements"][0]["description"] = json!("Should not land.");
    let broken_path = dir.path().join("broken.json");
    std::fs::write(&broken_path, broken.to_string()).unwrap();
    let run = import(&db, &broken_path);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("\"mostly\" is not an implementation state")
            && run.stderr.contains("$.component-definition.components[0]"),
        "{}",
        run.stderr
    );
    let truncated = dir.path().join("truncated.json");
    std::fs::write(&truncated, "{\"component-definition\": {").unwrap();
    let run = import(&db, &truncated);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("not JSON"), "{}", run.stderr);
    let unchanged = export(&db, &dir.path().join("unchanged.json"));
    assert_eq!(unchanged, after, "a failed import changes nothing");

    // An unknown framework is refused.
    let run = plasma(
        &db,
        &[
            "compliance",
            "import-assessment",
            edited.to_str().unwrap(),
            "--framework",
            "nope",
        ],
    );
    assert_ne!(run.code, 0);

    // The text report names what changed and what matched nothing.
    let mut doc2 = doc.clone();
    *status_prop(
        doc2["component-definition"]["components"][0]["control-implementations"][0]
            ["implemented-requirements"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|r| label(r) == status_control)
            .unwrap(),
    )
    .unwrap() = json!("partial");
    std::fs::write(&edited, doc2.to_string()).unwrap();
    let text = plasma(
        &db,
        &["compliance", "import-assessment", edited.to_str().unwrap()],
    )
    .ok()
    .stdout;
    assert!(text.contains("1 cells updated"), "{text}");
    assert!(
        text.contains(&format!(
            "updated plasma-sdlc:{status_control}@{repo_a}: status"
        )),
        "{text}"
    );
    assert!(
        text.contains("components matching no repository: Mainframe Billing"),
        "{text}"
    );
}

#[test]
fn corpus_component_definition_and_ssp_parse_and_are_reported_unmatched() {
    let Some(corpus) = corpus() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    plasma(&db, &["demo"]).ok();
    let cells_before = plasma(&db, &["compliance", "coverage", "--json"])
        .ok()
        .stdout;
    for (name, model) in [
        ("ssp-example.json", "system-security-plan"),
        ("example-component-definition.json", "component-definition"),
    ] {
        let path = corpus.join("oscal").join(name);
        let report = import(&db, &path).ok().json();
        assert_eq!(report["model"], model);
        assert!(report["rows"].as_u64().unwrap() > 0, "{report}");
        assert_eq!(report["updated"], json!([]), "{report}");
        assert_eq!(report["unchanged"], json!([]), "{report}");
        assert!(
            !report["unmatched_components"]
                .as_array()
                .unwrap()
                .is_empty(),
            "{report}"
        );
        // The catalog import still refuses it, naming import-assessment.
        let run = plasma(&db, &["compliance", "import", path.to_str().unwrap()]);
        assert_ne!(run.code, 0);
        assert!(
            run.stderr.contains("plasma compliance import-assessment"),
            "{}",
            run.stderr
        );
    }
    let ssp = import(&db, &corpus.join("oscal/ssp-example.json"))
        .ok()
        .json();
    let comps = ssp["unmatched_components"].as_array().unwrap();
    assert!(
        comps
            .iter()
            .any(|c| c == "Enterprise Logging, Monitoring, and Alerting Policy"),
        "{ssp}"
    );
    let cd = import(&db, &corpus.join("oscal/example-component-definition.json"))
        .ok()
        .json();
    assert_eq!(cd["unmatched_components"], json!(["MongoDB"]));
    assert_eq!(cd["rows"], 3);
    let cells_after = plasma(&db, &["compliance", "coverage", "--json"])
        .ok()
        .stdout;
    assert_eq!(cells_before, cells_after, "nothing changed");
}

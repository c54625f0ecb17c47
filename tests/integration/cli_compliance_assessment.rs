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
    framework_cell(db, "plasma-sdlc", control, repo)
}

/// The cell of `framework:control` in `repo` (null when never written).
fn framework_cell(db: &Path, framework: &str, control: &str, repo: &str) -> Value {
    let view = plasma(
        db,
        &[
            "compliance",
            "show",
            &format!("{framework}:{control}"),
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
    // Its own uuid: the export's uuid of a repository's component would
    // match that repository whatever the title.
    stranger["uuid"] = json!("5d0b3c36-3d8e-4f51-9d55-2f6a1f0c9e11");
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

/// An SSP in XML: the system is the `shop` repository; its policy (no
/// repository) counts for the system under its own name; a component
/// matching a repository keeps its own cell; links become evidence.
const SHOP_SSP_XML: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<system-security-plan xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="ssp">
  <metadata><title>Shop SSP</title><last-modified>2024-02-01T00:00:00Z</last-modified>
    <party uuid="p1" type="organization"><name>Legal</name></party></metadata>
  <import-profile href="profile.xml"/>
  <system-characteristics><system-name>Shop</system-name></system-characteristics>
  <system-implementation>
    <component uuid="sys" type="this-system"><title>This System</title><description><p>x</p></description><status state="operational"/></component>
    <component uuid="pol" type="policy"><title>Logging policy</title><description><p>x</p></description><status state="operational"/></component>
    <component uuid="api" type="software"><title>API</title><description><p>x</p></description><status state="operational"/></component>
  </system-implementation>
  <control-implementation>
    <description><p>How.</p></description>
    <implemented-requirement uuid="r1" control-id="au-1">
      <by-component uuid="b0" component-uuid="sys">
        <description><p>The system logs centrally.</p></description>
        <implementation-status state="implemented"/>
      </by-component>
      <by-component uuid="b1" component-uuid="pol">
        <description><p>Legal owns the policy.</p></description>
        <implementation-status state="implemented"/>
        <responsible-role role-id="maintainer"><party-uuid>p1</party-uuid></responsible-role>
        <link href="#memo" rel="reference"/>
      </by-component>
    </implemented-requirement>
    <implemented-requirement uuid="r2" control-id="ac-2">
      <by-component uuid="b2" component-uuid="api">
        <description><p>Accounts from the IdP.</p></description>
        <implementation-status state="partial"><remarks><p>SCIM in Q3.</p></remarks></implementation-status>
        <link href="https://ci.example.test/ac-2" rel="evidence"><text>Account check</text></link>
      </by-component>
    </implemented-requirement>
  </control-implementation>
  <back-matter>
    <resource uuid="memo"><title>Policy memo</title><rlink href="https://docs.example.test/memo.pdf"/></resource>
  </back-matter>
</system-security-plan>"##;

fn shop_cell(db: &Path, control: &str, repo: &str) -> Value {
    framework_cell(db, "shop-ids", control, repo)
}

fn evidence_of(cell: &Value) -> Vec<(String, String, String)> {
    cell["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                e["title"].as_str().unwrap().to_string(),
                e["location"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn an_xml_ssp_fills_the_system_cell_with_its_components_and_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let ids = dir.path().join("ids.csv");
    std::fs::write(&ids, "id,title\nau-1,Logging policy\nac-2,Accounts\n").unwrap();
    let setup = format!(
        "workspace create Shop --repo shop --repo api\n\
         compliance import {} --id shop-ids",
        ids.display()
    );
    for line in setup.lines() {
        plasma(&db, &line.split_whitespace().collect::<Vec<_>>()).ok();
    }
    let ssp = dir.path().join("ssp.xml");
    std::fs::write(&ssp, SHOP_SSP_XML).unwrap();

    let report = import(&db, &ssp).ok().json();
    assert_eq!(report["framework"], "shop-ids", "{report}");
    assert_eq!(report["unmatched_components"], json!([]), "{report}");
    let updated = report["updated"].as_array().unwrap();
    assert_eq!(updated.len(), 2, "{report}");
    assert_eq!(updated[0]["repository"], "shop");
    assert_eq!(updated[0]["component"], "This System, Logging policy");

    let au1 = shop_cell(&db, "au-1", "shop");
    assert_eq!(au1["status"], "implemented");
    assert_eq!(
        au1["narrative"],
        "The system logs centrally.\n\nLogging policy: Legal owns the policy."
    );
    assert_eq!(au1["owner"], "Legal");
    assert_eq!(
        evidence_of(&au1),
        vec![(
            "link".to_string(),
            "Policy memo".to_string(),
            "https://docs.example.test/memo.pdf".to_string()
        )]
    );
    assert_eq!(au1["evidence"][0]["collected"], "2024-02-01");

    let ac2 = shop_cell(&db, "ac-2", "api");
    assert_eq!(ac2["status"], "partial");
    assert_eq!(
        evidence_of(&ac2),
        vec![
            (
                "link".to_string(),
                "Account check".to_string(),
                "https://ci.example.test/ac-2".to_string()
            ),
            (
                "note".to_string(),
                "Implementation status remarks".to_string(),
                "SCIM in Q3.".to_string()
            ),
        ]
    );
    // The policy is no cell of its own: no `shop` cell came from the API.
    assert!(shop_cell(&db, "ac-2", "shop").is_null());

    // Again: nothing changes, no evidence twice.
    let again = import(&db, &ssp).ok().json();
    assert_eq!(again["updated"], json!([]), "{again}");
    assert_eq!(evidence_of(&shop_cell(&db, "ac-2", "api")).len(), 2);
}

#[test]
fn a_renamed_component_of_our_export_matches_its_repository_by_uuid() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    plasma(&db, &["demo"]).ok();
    let mut doc = export(&db, &dir.path().join("out.json"));
    let comp = &mut doc["component-definition"]["components"][0];
    let repo = comp["title"].as_str().unwrap().to_string();
    comp["title"] = json!("Renamed in another tool");
    let req = &mut comp["control-implementations"][0]["implemented-requirements"][0];
    let control = label(req);
    req["description"] = json!("Edited where the title changed.");
    let edited = dir.path().join("edited.json");
    std::fs::write(&edited, doc.to_string()).unwrap();
    let report = import(&db, &edited).ok().json();
    assert_eq!(report["unmatched_components"], json!([]), "{report}");
    assert_eq!(
        report["updated"][0]["repository"],
        repo.as_str(),
        "{report}"
    );
    assert_eq!(
        cell(&db, &control, &repo)["narrative"],
        "Edited where the title changed."
    );
}

//! `plasma compliance ...` as a separate process on real SQLite files.

use std::path::Path;

use serde_json::Value;

use crate::support::plasma;

fn coverage_of<'a>(report: &'a Value, framework: &str) -> &'a Value {
    report["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["framework"] == framework)
        .unwrap_or_else(|| panic!("no coverage row for {framework}"))
}

fn gap_count(db: &Path, framework: &str) -> usize {
    plasma(
        db,
        &["compliance", "gaps", "--framework", framework, "--json"],
    )
    .ok()
    .json()
    .as_array()
    .unwrap()
    .len()
}

#[test]
fn frameworks_scope_and_demo_matrix() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    plasma(&db, &["demo"]).ok();
    let list = plasma(&db, &["compliance", "frameworks", "--json"])
        .ok()
        .json();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    for id in [
        "plasma-sdlc",
        "soc2",
        "iso27001-2022",
        "nist-csf-2",
        "gdpr",
        "hipaa-security",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    let hipaa = list
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "hipaa-security")
        .unwrap();
    assert_eq!(hipaa["in_scope"], false, "HIPAA only when PHI is handled");

    // The demo starts with some controls implemented with evidence, and gaps.
    let cov = plasma(&db, &["compliance", "coverage", "--json"])
        .ok()
        .json();
    let sdlc = coverage_of(&cov, "plasma-sdlc");
    assert!(sdlc["implemented"].as_u64().unwrap() > 10);
    assert!(sdlc["percent"].as_f64().unwrap() < 100.0);
    assert!(gap_count(&db, "plasma-sdlc") > 0);

    // Expired demo evidence (the DR drill) fails the evidence check.
    let ev = plasma(&db, &["compliance", "evidence", "--json"]);
    assert_eq!(ev.code, 1, "{}", ev.stderr);
    assert!(ev
        .json()
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["kind"] == "expired" && f["control"]["control"] == "SDLC-10"));

    plasma(
        &db,
        &[
            "compliance",
            "scope",
            "--enable",
            "hipaa-security",
            "--disable",
            "gdpr",
        ],
    )
    .ok();
    let list = plasma(&db, &["compliance", "frameworks", "--json"])
        .ok()
        .json();
    let scope: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["in_scope"] == true)
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        scope,
        ["plasma-sdlc", "soc2", "iso27001-2022", "hipaa-security"]
    );
    let bad = plasma(&db, &["compliance", "scope", "--enable", "pci"]);
    assert_ne!(bad.code, 0);
    assert!(
        bad.stderr.contains("no framework \"pci\""),
        "{}",
        bad.stderr
    );
}

#[test]
fn setting_a_cell_with_evidence_changes_coverage_gaps_and_mapped_credit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    plasma(
        &db,
        &[
            "workspace",
            "create",
            "Shop",
            "--repo",
            "api",
            "--repo",
            "web",
        ],
    )
    .ok();

    let before = plasma(&db, &["compliance", "coverage", "--json"])
        .ok()
        .json();
    assert_eq!(coverage_of(&before, "plasma-sdlc")["percent"], 0.0);
    let gaps_before = gap_count(&db, "plasma-sdlc");
    assert_eq!(gaps_before, 24, "12 controls x 2 repositories");

    let evidence_file = dir.path().join("restore-drill.md");
    std::fs::write(&evidence_file, "# Restore drill\nRTO 30 min\n").unwrap();
    let set = plasma(
        &db,
        &[
            "compliance",
            "set",
            "SDLC-10",
            "--repo",
            "api",
            "--status",
            "implemented",
            "--owner",
            "SRE",
            "--reviewed",
            "2026-11-01",
            "--evidence",
            evidence_file.to_str().unwrap(),
            "--evidence-expires",
            "2099-01-01",
            "--json",
        ],
    )
    .ok()
    .json();
    let cell = &set[0]["cell"];
    assert_eq!(cell["status"], "implemented");
    assert_eq!(cell["evidence"][0]["kind"], "file");
    assert_eq!(cell["evidence"][0]["title"], "restore-drill.md");
    assert_eq!(set[0]["revision"], 1);

    let after = plasma(&db, &["compliance", "coverage", "--json"])
        .ok()
        .json();
    // 1 of 24 applicable cells.
    assert_eq!(coverage_of(&after, "plasma-sdlc")["percent"], 4.2);
    assert_eq!(gap_count(&db, "plasma-sdlc"), gaps_before - 1);
    // SDLC-10 is a superset of ISO A.8.13 (backup): full credit through the mapping.
    let iso = coverage_of(&after, "iso27001-2022");
    assert_eq!(iso["percent"], 0.0);
    assert_eq!(iso["raised_by_mappings"], 1, "A.8.13 in api");
    // 1 of 93 x 2 cells.
    assert_eq!(iso["percent_with_mappings"], 0.5);
    let show = plasma(
        &db,
        &["compliance", "show", "iso27001-2022:A.8.13", "--json"],
    )
    .ok()
    .json();
    let api = &show["repositories"][0];
    assert_eq!(api["repository"], "api");
    assert_eq!(api["credits"][0]["source"]["control"], "SDLC-10");
    assert_eq!(api["credits"][0]["credit"], 1.0);

    // Not applicable needs a reason; with one, the cell leaves the denominator.
    let refused = plasma(
        &db,
        &[
            "compliance",
            "set",
            "SDLC-04",
            "--repo",
            "web",
            "--status",
            "not-applicable",
        ],
    );
    assert_ne!(refused.code, 0);
    assert!(
        refused.stderr.contains("needs a reason"),
        "{}",
        refused.stderr
    );
    plasma(
        &db,
        &[
            "compliance",
            "set",
            "SDLC-04",
            "--repo",
            "web",
            "--not-applicable",
            "static site, no images",
        ],
    )
    .ok();
    let cov = plasma(&db, &["compliance", "coverage", "--json"])
        .ok()
        .json();
    assert_eq!(coverage_of(&cov, "plasma-sdlc")["not_applicable"], 1);
    assert_eq!(coverage_of(&cov, "plasma-sdlc")["percent"], 4.3, "1 of 23");

    // Bad input names the problem and changes nothing.
    for (args, needle) in [
        (vec!["compliance", "set", "SDLC-01"], "nothing to set"),
        (
            vec!["compliance", "set", "SDLC-99", "--status", "planned"],
            "no control \"SDLC-99\"",
        ),
        (
            vec![
                "compliance",
                "set",
                "SDLC-01",
                "--repo",
                "mobile",
                "--status",
                "planned",
            ],
            "no repository \"mobile\"",
        ),
        (
            vec!["compliance", "set", "SDLC-01", "--adr", "42"],
            "ADR 42",
        ),
        (
            vec![
                "compliance",
                "set",
                "SDLC-01",
                "--evidence",
                "/no/such/file.pdf",
            ],
            "/no/such/file.pdf",
        ),
        (
            vec!["compliance", "set", "SDLC-01", "--status", "done"],
            "not one of implemented",
        ),
    ] {
        let run = plasma(&db, &args);
        assert_ne!(run.code, 0, "{args:?}");
        assert!(run.stderr.contains(needle), "{args:?}: {}", run.stderr);
    }
    assert_eq!(gap_count(&db, "plasma-sdlc"), gaps_before - 2);
}

#[test]
fn mappings_can_be_edited_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    plasma(&db, &["workspace", "create", "Shop", "--repo", "api"]).ok();
    plasma(
        &db,
        &["compliance", "set", "SDLC-06", "--status", "implemented"],
    )
    .ok();
    let credit = |db: &Path| {
        plasma(db, &["compliance", "show", "iso27001-2022:A.8.4", "--json"])
            .ok()
            .json()["repositories"][0]["credits"]
            .as_array()
            .unwrap()
            .first()
            .map(|c| c["credit"].as_f64().unwrap())
    };
    assert_eq!(credit(&db), Some(0.7), "bundled: subset, strength 7");
    plasma(
        &db,
        &[
            "compliance",
            "map",
            "SDLC-06",
            "iso27001-2022:A.8.4",
            "--relationship",
            "equal",
            "--rationale",
            "our CODEOWNERS cover all code",
        ],
    )
    .ok();
    assert_eq!(credit(&db), Some(1.0));
    let maps = plasma(&db, &["compliance", "mappings", "--json"])
        .ok()
        .json();
    let edited = maps
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["source"]["control"] == "SDLC-06" && m["target"]["control"] == "A.8.4")
        .unwrap();
    assert_eq!(edited["relationship"], "equal");
    assert_eq!(edited["rationale"], "our CODEOWNERS cover all code");
    plasma(
        &db,
        &[
            "compliance",
            "map",
            "SDLC-06",
            "iso27001-2022:A.8.4",
            "--relationship",
            "remove",
        ],
    )
    .ok();
    assert_eq!(credit(&db), None);
    let bad = plasma(
        &db,
        &[
            "compliance",
            "map",
            "SDLC-06",
            "soc2:CC6.1",
            "--relationship",
            "similar",
        ],
    );
    assert!(bad.stderr.contains("not one of equal"), "{}", bad.stderr);
}

#[test]
fn exports_every_format_and_writes_the_evidence_pack() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    plasma(
        &db,
        &[
            "workspace",
            "create",
            "Shop",
            "--repo",
            "api",
            "--repo",
            "web",
        ],
    )
    .ok();
    let evidence = dir.path().join("sbom.json");
    std::fs::write(&evidence, "{\"bomFormat\": \"CycloneDX\"}").unwrap();
    plasma(
        &db,
        &[
            "compliance",
            "set",
            "SDLC-04",
            "--repo",
            "api",
            "--status",
            "implemented",
            "--evidence",
            evidence.to_str().unwrap(),
            "--evidence-title",
            "API SBOM",
        ],
    )
    .ok();
    for (format, file) in [
        ("csv", "m.csv"),
        ("md", "m.md"),
        ("oscal", "m.json"),
        ("xlsx", "m.xlsx"),
    ] {
        let out = dir.path().join("out").join(file);
        plasma(
            &db,
            &[
                "compliance",
                "export",
                "--framework",
                "plasma-sdlc",
                "--format",
                format,
                "--out",
                out.to_str().unwrap(),
            ],
        )
        .ok();
        let bytes = std::fs::read(&out).unwrap();
        match format {
            "csv" => {
                let text = String::from_utf8(bytes).unwrap();
                assert!(text.starts_with("framework,control,"));
                assert_eq!(text.lines().count(), 1 + 12 * 2);
                assert!(text.contains(
                    "plasma-sdlc,SDLC-04,Secure build,SBOM per image,api,yes,,implemented"
                ));
            }
            "md" => assert!(String::from_utf8(bytes)
                .unwrap()
                .contains("| SDLC-04 | SBOM per image | implemented | not assessed |")),
            "oscal" => {
                let doc: Value = serde_json::from_slice(&bytes).unwrap();
                assert_eq!(
                    doc["component-definition"]["components"]
                        .as_array()
                        .unwrap()
                        .len(),
                    2
                );
            }
            _ => assert_eq!(&bytes[..2], b"PK", "an XLSX is a zip"),
        }
    }
    let bad = plasma(
        &db,
        &[
            "compliance",
            "export",
            "--framework",
            "pci",
            "--format",
            "csv",
            "--out",
            "x.csv",
        ],
    );
    assert!(
        bad.stderr.contains("no framework \"pci\""),
        "{}",
        bad.stderr
    );

    let pack = dir.path().join("pack");
    let report = plasma(
        &db,
        &[
            "compliance",
            "pack",
            "--framework",
            "plasma-sdlc",
            "--out",
            pack.to_str().unwrap(),
            "--json",
        ],
    )
    .ok()
    .json();
    assert_eq!(report["files"], 1);
    let copied = pack.join("files/api/plasma-sdlc-sdlc-04/api-sbom.json");
    assert_eq!(
        std::fs::read_to_string(copied).unwrap(),
        "{\"bomFormat\": \"CycloneDX\"}"
    );
    let index = std::fs::read_to_string(pack.join("index.md")).unwrap();
    assert!(
        index.contains("file [API SBOM](files/api/plasma-sdlc-sdlc-04/api-sbom.json)"),
        "{index}"
    );
    for f in [
        "matrix.md",
        "matrix.csv",
        "matrix.xlsx",
        "component-definition.json",
    ] {
        assert!(pack.join(f).is_file(), "{f}");
    }
    let zip = std::fs::read(dir.path().join("pack.zip")).unwrap();
    assert_eq!(&zip[..2], b"PK");
    assert!(zip.windows(8).any(|w| w == b"index.md"));
    // A second pack into the same folder is refused rather than mixing files.
    let again = plasma(
        &db,
        &["compliance", "pack", "--out", pack.to_str().unwrap()],
    );
    assert!(again.stderr.contains("is not empty"), "{}", again.stderr);
}

#[test]
fn cells_link_adrs_and_threat_mitigations() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    plasma(&db, &["workspace", "create", "Shop", "--repo", "api"]).ok();
    plasma(
        &db,
        &["adr", "new", "--title", "Model every service's threats"],
    )
    .ok();
    let td = crate::support::fixtures()
        .join("threats")
        .join("small-td.json");
    plasma(&db, &["threats", "import", td.to_str().unwrap()]).ok();
    let threats = plasma(&db, &["threats", "list", "Small Shop", "--json"])
        .ok()
        .json();
    let threat = threats[0]["short_id"].as_str().unwrap().to_string();
    let link = format!("Small Shop:{threat}");
    let saved = plasma(
        &db,
        &[
            "compliance",
            "set",
            "SDLC-02",
            "--status",
            "implemented",
            "--adr",
            "1",
            "--threat",
            &link,
            "--json",
        ],
    )
    .ok()
    .json();
    let cell = &saved[0]["cell"];
    assert_eq!(cell["adrs"], serde_json::json!([1]));
    assert_eq!(cell["threats"][0]["threat_model"], "Small Shop");
    assert!(cell["threats"][0]["threat_id"]
        .as_str()
        .unwrap()
        .starts_with(&threat));
    // Linking again does not duplicate; a mitigation the threat lacks is refused.
    let again = plasma(
        &db,
        &["compliance", "set", "SDLC-02", "--threat", &link, "--json"],
    )
    .ok()
    .json();
    assert_eq!(again[0]["cell"]["threats"].as_array().unwrap().len(), 1);
    assert_eq!(again[0]["revision"], 1, "nothing changed, no new revision");
    let bad = plasma(
        &db,
        &[
            "compliance",
            "set",
            "SDLC-02",
            "--threat",
            &format!("{link}:No such fix"),
        ],
    );
    assert!(
        bad.stderr.contains("has no mitigation \"No such fix\""),
        "{}",
        bad.stderr
    );
    let shape = plasma(
        &db,
        &["compliance", "set", "SDLC-02", "--threat", "just-a-model"],
    );
    assert!(
        shape.stderr.contains("is not MODEL:THREAT-ID"),
        "{}",
        shape.stderr
    );
    let csv = dir.path().join("m.csv");
    plasma(
        &db,
        &[
            "compliance",
            "export",
            "--framework",
            "plasma-sdlc",
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap(),
        ],
    )
    .ok();
    let text = std::fs::read_to_string(csv).unwrap();
    assert!(
        text.contains(&format!("ADR-0001,Small Shop/{threat}")),
        "{text}"
    );
}

#[test]
fn evidence_can_be_removed_by_id_and_unknown_ids_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    plasma(&db, &["workspace", "create", "Shop", "--repo", "api"]).ok();
    let saved = plasma(
        &db,
        &[
            "compliance",
            "set",
            "SDLC-03",
            "--status",
            "implemented",
            "--evidence",
            "https://ci.test/run/1",
            "--json",
        ],
    )
    .ok()
    .json();
    let id = saved[0]["cell"]["evidence"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let unknown = uuid::Uuid::new_v4().to_string();
    let run = plasma(
        &db,
        &[
            "compliance",
            "set",
            "SDLC-03",
            "--remove-evidence",
            &unknown,
        ],
    );
    assert!(
        run.stderr.contains(&format!("no evidence {unknown}")),
        "{}",
        run.stderr
    );
    let after = plasma(
        &db,
        &[
            "compliance",
            "set",
            "SDLC-03",
            "--remove-evidence",
            &id,
            "--json",
        ],
    )
    .ok()
    .json();
    assert_eq!(after[0]["cell"]["evidence"], serde_json::json!([]));
    assert_eq!(after[0]["revision"], 2);
    // Implemented with no evidence is now flagged as missing.
    let findings = plasma(&db, &["compliance", "evidence", "--json"])
        .ok()
        .json();
    assert!(findings
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["kind"] == "missing"));
}

/// A profile in YAML whose catalog sits beside it (as NIST's and FedRAMP's
/// folders have them) imports with the catalog's titles and statements and
/// the parameter values the profile sets; without the catalog, a profile
/// selecting by pattern is refused and nothing is stored.
#[test]
fn a_profile_imports_resolved_against_the_catalog_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    plasma(&db, &["workspace", "create", "Gov", "--repo", "portal"]).ok();
    let catalog = dir.path().join("mini_catalog.yaml");
    std::fs::write(
        &catalog,
        "catalog:\n  metadata: {title: Mini Catalog, version: 1.0}\n  groups:\n    - id: ac\n      title: Access Control\n      controls:\n        - id: ac-1\n          title: Policy\n          params: [{id: ac-1_prm_1, label: frequency}]\n          parts:\n            - {name: statement, prose: 'Review it {{ insert: param, ac-1_prm_1 }}.'}\n          controls:\n            - {id: ac-1.1, title: Retired, props: [{name: status, value: withdrawn}]}\n        - {id: ac-2, title: Accounts}\n",
    )
    .unwrap();
    let profile = dir.path().join("profile.yaml");
    std::fs::write(
        &profile,
        "profile:\n  metadata: {title: Mini Low}\n  imports:\n    - href: https://example.com/content/xml/mini_catalog.xml\n      include-controls: [{matching: [{pattern: 'ac-*'}]}]\n  modify:\n    set-parameters: [{param-id: ac-1_prm_1, values: [yearly]}]\n",
    )
    .unwrap();
    let report = plasma(
        &db,
        &["compliance", "import", profile.to_str().unwrap(), "--json"],
    )
    .ok()
    .json();
    assert_eq!(report["format"], "oscal-profile");
    assert_eq!(report["controls"], 2);
    let controls = plasma(&db, &["compliance", "controls", "mini-low", "--json"])
        .ok()
        .json();
    assert_eq!(controls["controls"][0]["id"], "ac-1");
    assert_eq!(controls["controls"][0]["title"], "Policy");
    assert_eq!(controls["controls"][0]["description"], "Review it yearly.");
    assert_eq!(controls["controls"][1]["id"], "ac-2");

    std::fs::remove_file(&catalog).unwrap();
    let run = plasma(
        &db,
        &[
            "compliance",
            "import",
            profile.to_str().unwrap(),
            "--id",
            "other",
        ],
    );
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("that catalog was not found next to the profile (looked for mini_catalog.json, mini_catalog.yaml"),
        "{}",
        run.stderr
    );
    let frameworks = plasma(&db, &["compliance", "frameworks", "--json"])
        .ok()
        .stdout;
    assert!(!frameworks.contains("\"other\""), "nothing stored");
}

/// A control list saved from a spreadsheet as tab-separated text (`.tsv`)
/// reads as CSV with tabs, even when its header has more commas than tabs
/// (a header the separator could not be guessed from).
#[test]
fn a_tab_separated_catalog_imports_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    plasma(&db, &["workspace", "create", "Gov", "--repo", "portal"]).ok();
    let tsv = dir.path().join("Vendor Controls.tsv");
    std::fs::write(
        &tsv,
        "Control ID\tControl Name\tNotes (owner, date, status, link)\nVC-1\tAccess reviews, quarterly\tOwner: IT, 2024\nVC-2\tBackups\t\n",
    )
    .unwrap();
    let report = plasma(
        &db,
        &["compliance", "import", tsv.to_str().unwrap(), "--json"],
    )
    .ok()
    .json();
    assert_eq!(report["format"], "csv");
    assert_eq!(report["framework"], "vendor-controls");
    assert_eq!(report["controls"], 2);
    let controls = plasma(
        &db,
        &["compliance", "controls", "vendor-controls", "--json"],
    )
    .ok()
    .json();
    assert_eq!(controls["controls"][0]["id"], "VC-1");
    assert_eq!(
        controls["controls"][0]["title"],
        "Access reviews, quarterly"
    );
    assert_eq!(controls["controls"][1]["title"], "Backups");

    // A row with a missing field is refused with its line; nothing stored.
    std::fs::write(&tsv, "id\ttitle\nVC-1\tAccess\nVC-2\n").unwrap();
    let run = plasma(
        &db,
        &["compliance", "import", tsv.to_str().unwrap(), "--id", "bad"],
    );
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("line 3"), "{}", run.stderr);
    let frameworks = plasma(&db, &["compliance", "frameworks", "--json"])
        .ok()
        .stdout;
    assert!(!frameworks.contains("\"bad\""), "nothing stored");
}

/// NIST's catalogs get the short id people write (`sp800-171r3`, from
/// CPRT's framework properties; `sp800-53r5-low` from a baseline's title),
/// and one imported before under the id its title gave is updated in place
/// when imported again, not doubled.
#[test]
fn nist_catalogs_get_short_ids_and_earlier_imports_update_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    plasma(&db, &["workspace", "create", "Gov", "--repo", "portal"]).ok();
    let catalog = dir.path().join("sp800-171.json");
    std::fs::write(
        &catalog,
        r##"{"catalog": {"metadata": {"title": "Electronic (OSCAL) Version of Protecting Controlled Unclassified Information in Nonfederal Systems and Organizations",
            "props": [{"name": "framework-identifier", "ns": "https://csrc.nist.gov/ns/cprt", "value": "SP_800_171"},
                      {"name": "framework-version-identifier", "ns": "https://csrc.nist.gov/ns/cprt", "value": "SP_800_171_3_0_0"}]},
          "groups": [{"id": "fam", "title": "Planning", "controls": [{"id": "03.15.03", "title": "Rules of Behavior",
             "links": [{"href": "#r1", "rel": "reference"}],
             "parts": [{"name": "statement", "prose": "Establish rules."}]}]}],
          "back-matter": {"resources": [{"uuid": "r1", "title": "SP 800-18"}]}}}"##,
    )
    .unwrap();
    let import = |file: &Path, id: Option<&str>| {
        let mut args = vec!["compliance", "import", file.to_str().unwrap(), "--json"];
        args.extend(id.map(|id| ["--id", id]).into_iter().flatten());
        plasma(&db, &args).ok().json()
    };
    let report = import(&catalog, None);
    assert_eq!(report["framework"], "sp800-171r3");
    let show = plasma(
        &db,
        &["compliance", "show", "sp800-171r3:03.15.03", "--json"],
    )
    .ok()
    .json();
    assert_eq!(
        show["description"],
        "Establish rules.\nReferences: SP 800-18"
    );

    // A baseline imported by an earlier version under its title's id.
    let profile = dir.path().join("low.json");
    std::fs::write(
        &profile,
        r#"{"profile": {"metadata": {"title": "NIST Special Publication 800-53 Revision 5 LOW IMPACT BASELINE"},
            "imports": [{"href": "missing.json", "include-controls": [{"with-ids": ["ac-1"]}]}]}}"#,
    )
    .unwrap();
    let old_id = "nist-special-publication-800-53-revision-5-low-impact";
    assert_eq!(import(&profile, Some(old_id))["action"], "created");
    let again = import(&profile, None);
    assert_eq!(again["framework"], old_id);
    assert_eq!(again["action"], "unchanged");
    // In a workspace without it, the baseline gets the short id.
    plasma(&db, &["workspace", "create", "Fresh"]).ok();
    assert_eq!(import(&profile, None)["framework"], "sp800-53r5-low");
}

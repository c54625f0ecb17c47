//! `plasma threats ...` as a separate process on real SQLite files: a small
//! self-written Threat Dragon v2 file, Threagile model, Threat Composer
//! export and Threat Modeling Tool model, then the real corpus when present.

use std::path::{Path, PathBuf};

use plasma_models::threat::{Severity, ThreatStatus};
use plasma_workbench::{is_unmitigated, Workbench};

use crate::support::{corpus, fixtures, plasma};

fn small_td() -> PathBuf {
    fixtures().join("threats").join("small-td.json")
}

fn small_threagile() -> PathBuf {
    fixtures().join("threats").join("small-threagile.yaml")
}

fn small_threat_composer() -> PathBuf {
    fixtures()
        .join("threats")
        .join("small-threat-composer.tc.json")
}

fn small_tm7() -> PathBuf {
    fixtures().join("threats").join("small.tm7")
}

fn rank(severity: &str) -> u8 {
    match severity {
        "note" => 0,
        "low" => 1,
        "medium" => 2,
        "high" => 3,
        "critical" => 4,
        other => panic!("unknown severity {other}"),
    }
}

/// What `check --fail-on <bar>` should report, computed from `list --json`.
fn expected_offending(rows: &serde_json::Value, bar: &str) -> Vec<String> {
    rows.as_array()
        .expect("array")
        .iter()
        .filter(|r| {
            r["status"] == "open"
                && r["obsolete"] == false
                && r["mitigations_done"] == 0
                && rank(r["severity"].as_str().expect("severity")) >= rank(bar)
        })
        .map(|r| r["short_id"].as_str().expect("short_id").to_string())
        .collect()
}

/// Marks every threat at or above `bar` mitigated, as a user would in the
/// app (through the same workbench, on the same file).
fn mitigate(db: &Path, model: &str, bar: Severity) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let wb = Workbench::open(db).await.unwrap();
        let stored = wb.get_threat_model(model).await.unwrap();
        let mut m = stored.model.clone();
        for t in m.threats.iter_mut().filter(|t| t.severity() >= bar) {
            t.status = ThreatStatus::Mitigated;
        }
        wb.save_threat_model(m.id, stored.revision, &m)
            .await
            .unwrap();
        let left = wb.get_threat_model(model).await.unwrap().model;
        assert!(!left
            .threats
            .iter()
            .any(|t| is_unmitigated(t) && t.severity() >= bar));
        wb.store().close().await;
    });
}

/// A small well-formedness check: one root `<svg>` element and every tag
/// closed in order (comments, declarations and CDATA skipped).
fn assert_svg(text: &str, what: &str) {
    let body = text.trim_start();
    let body = match body.strip_prefix("<?xml") {
        Some(rest) => &rest[rest.find("?>").expect("end of XML declaration") + 2..],
        None => body,
    };
    assert!(
        body.trim_start().starts_with("<svg"),
        "{what} starts with <svg: {}",
        &text[..text.len().min(120)]
    );
    let mut stack: Vec<String> = vec![];
    let mut rest = body;
    let mut roots = 0;
    while let Some(open) = rest.find('<') {
        rest = &rest[open..];
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = &r[r.find("-->").expect("comment end") + 3..];
            continue;
        }
        if let Some(r) = rest.strip_prefix("<![CDATA[") {
            rest = &r[r.find("]]>").expect("CDATA end") + 3..];
            continue;
        }
        let end = rest
            .find('>')
            .unwrap_or_else(|| panic!("{what}: unclosed tag"));
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let top = stack
                .pop()
                .unwrap_or_else(|| panic!("{what}: stray </{name}>"));
            assert_eq!(top, name.trim(), "{what}: </{name}> closes <{top}>");
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '/')
            .collect();
        if stack.is_empty() {
            roots += 1;
        }
        if !tag.ends_with('/') {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "{what}: unclosed {stack:?}");
    assert_eq!(roots, 1, "{what}: one root element");
}

/// Imports `file` into `db`, then runs list, generate, report, export and
/// check on it. Returns the model's name.
fn exercise(db: &Path, file: &Path, out: &Path) -> String {
    let imported = plasma(db, &["threats", "import", file.to_str().unwrap(), "--json"])
        .ok()
        .json();
    assert_eq!(imported["action"], "created", "{imported:#}");
    let name = imported["model"]["name"].as_str().unwrap().to_string();
    let id = imported["model"]["id"].as_str().unwrap().to_string();

    let models = plasma(db, &["threats", "models", "--json"]).ok().json();
    assert!(
        models
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["name"] == name.as_str()),
        "{models:#}"
    );

    let rows = plasma(db, &["threats", "list", &name, "--json"])
        .ok()
        .json();
    let rows_by_id = plasma(db, &["threats", "list", &id, "--json"]).ok().json();
    assert_eq!(rows, rows_by_id, "MODEL is a name or an id");
    let list = rows.as_array().unwrap();
    assert!(
        !list.is_empty(),
        "{}: the rules find threats",
        file.display()
    );
    for r in list {
        for key in ["id", "short_id", "severity", "status", "category", "title"] {
            assert!(!r[key].is_null(), "{key} in {r:#}");
        }
        assert!(r.get("target_name").is_some(), "{r:#}");
    }
    let human = plasma(db, &["threats", "list", &name]).ok();
    assert_eq!(human.stdout.lines().count(), list.len(), "{}", human.stdout);

    // Generating again right after an import finds nothing new.
    let generated = plasma(db, &["threats", "generate", &name, "--json"])
        .ok()
        .json();
    assert_eq!(generated["counts"]["new"], 0, "{generated:#}");
    assert_eq!(generated["counts"]["obsolete"], 0, "{generated:#}");

    let report = plasma(
        db,
        &["threats", "report", &name, "--out", out.to_str().unwrap()],
    )
    .ok();
    let slug = plasma_models::slug::slugify(&name);
    for suffix in [".md", ".svg", ".mmd", ".dot", "-threats.csv"] {
        let path = out.join(format!("{slug}{suffix}"));
        assert!(
            path.is_file(),
            "{} missing:\n{}",
            path.display(),
            report.stdout
        );
        assert!(
            std::fs::metadata(&path).unwrap().len() > 0,
            "{} is empty",
            path.display()
        );
    }
    let svg = std::fs::read_to_string(out.join(format!("{slug}.svg"))).unwrap();
    assert_svg(&svg, &format!("{slug}.svg"));
    let leftovers: Vec<_> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let export = |format: &str, file: &Path| {
        let args = ["threats", "export", &name, "--format", format, "--out"];
        plasma(db, &[&args[..], &[file.to_str().unwrap()]].concat()).ok();
    };
    let exported = out.join("exported.json");
    export("td", &exported);
    let text = std::fs::read_to_string(&exported).unwrap();
    let _: serde_json::Value = serde_json::from_str(&text).expect("the export is JSON");

    // Open Threat Model: imported into a new database, every threat comes
    // back once (the rules' threats keep their rule), with its status.
    let otm = out.join("exported.otm.json");
    export("otm", &otm);
    let other_db = out.join("from-otm.db");
    let back = plasma(
        &other_db,
        &["threats", "import", otm.to_str().unwrap(), "--json"],
    )
    .ok()
    .json();
    assert_eq!(back["model"]["name"], name.as_str(), "{back:#}");
    let back_rows = plasma(&other_db, &["threats", "list", &name, "--json"])
        .ok()
        .json();
    let titles = |rows: &serde_json::Value| {
        let mut t: Vec<(String, String)> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["title"].to_string(), r["status"].to_string()))
            .collect();
        t.sort();
        t
    };
    assert_eq!(titles(&back_rows), titles(&rows), "{}", file.display());
    let again = plasma(&other_db, &["threats", "generate", &name, "--json"])
        .ok()
        .json();
    assert_eq!(again["counts"]["new"], 0, "{again:#}");
    // Imported over the model it came from, it updates that model in place.
    let same = plasma(db, &["threats", "import", otm.to_str().unwrap(), "--json"])
        .ok()
        .json();
    // (unchanged when nothing of the model was lost on the way)
    assert_ne!(same["action"], "created", "{same:#}");
    assert_eq!(same["counts"]["obsolete"], 0, "{same:#}");
    let same_rows = plasma(db, &["threats", "list", &name, "--json"])
        .ok()
        .json();
    assert_eq!(titles(&same_rows), titles(&rows), "{}", file.display());

    // The CI gate, before and after mitigation.
    for bar in ["high", "critical"] {
        let want = expected_offending(&rows, bar);
        let run = plasma(db, &["threats", "check", &name, "--fail-on", bar]);
        let code = i32::from(!want.is_empty());
        assert_eq!(
            run.code, code,
            "--fail-on {bar}, expected {want:?}\n{}\n{}",
            run.stdout, run.stderr
        );
        for short in &want {
            assert!(
                run.stdout.contains(short.as_str()),
                "{short}: {}",
                run.stdout
            );
        }
    }
    mitigate(db, &name, Severity::High);
    plasma(db, &["threats", "check", &name, "--fail-on", "high"]).ok();
    plasma(db, &["threats", "check", &name, "--fail-on", "critical"]).ok();
    name
}

#[test]
fn small_threat_dragon_file_through_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plan.db");
    let out = dir.path().join("report");

    // The fixture has an open, unmitigated High threat on an element and an
    // unencrypted public flow: the gate must fail before mitigation.
    let imported = plasma(&db, &["threats", "import", small_td().to_str().unwrap()]).ok();
    assert!(
        imported.stdout.contains("Small Shop"),
        "{}",
        imported.stdout
    );
    let rows = plasma(&db, &["threats", "list", "Small Shop", "--json"])
        .ok()
        .json();
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .any(|r| r["title"] == "Credential stuffing against the login"),
        "the file's own threat is kept: {rows:#}"
    );
    assert!(!expected_offending(&rows, "high").is_empty(), "{rows:#}");
    let failing = plasma(
        &db,
        &["threats", "check", "small shop", "--fail-on", "high"],
    );
    assert_eq!(failing.code, 1, "{}\n{}", failing.stdout, failing.stderr);
    assert!(
        failing.stdout.contains("Credential stuffing"),
        "{}",
        failing.stdout
    );

    // Importing the same file again updates in place: still one model.
    let again = plasma(
        &db,
        &[
            "threats",
            "import",
            small_td().to_str().unwrap(),
            "--format",
            "td",
            "--json",
        ],
    )
    .ok()
    .json();
    assert_ne!(again["action"], "created", "{again:#}");
    let models = plasma(&db, &["threats", "models", "--json"]).ok().json();
    assert_eq!(models.as_array().unwrap().len(), 1, "{models:#}");
    // The short id the listing prints names the model in other commands.
    let listing = plasma(&db, &["threats", "models"]).ok().stdout;
    let short = listing.split_whitespace().next().unwrap().to_string();
    assert_eq!(short.len(), 8, "{listing}");
    assert!(models[0]["id"].as_str().unwrap().starts_with(&short));
    let by_short = plasma(&db, &["threats", "list", &short, "--json"])
        .ok()
        .json();
    let by_name = plasma(
        &db,
        &[
            "threats",
            "list",
            models[0]["name"].as_str().unwrap(),
            "--json",
        ],
    )
    .ok()
    .json();
    assert_eq!(by_short, by_name);
    let by_short_file = out.join("by-short.json");
    plasma(
        &db,
        &[
            "threats",
            "export",
            &short,
            "--format",
            "td",
            "--out",
            by_short_file.to_str().unwrap(),
        ],
    )
    .ok();
    assert!(by_short_file.is_file());

    // The rest of the commands on a fresh database.
    let db2 = dir.path().join("second.db");
    let name = exercise(&db2, &small_td(), &out);
    assert_eq!(name, "Small Shop");

    // The export imports again, into another database.
    let db3 = dir.path().join("third.db");
    let back = plasma(
        &db3,
        &[
            "threats",
            "import",
            out.join("exported.json").to_str().unwrap(),
        ],
    )
    .ok();
    assert!(back.stdout.contains("Small Shop"), "{}", back.stdout);
}

#[test]
fn workspace_flag_unknown_models_and_bad_files_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plan.db");
    plasma(&db, &["threats", "import", small_td().to_str().unwrap()]).ok();
    plasma(&db, &["workspace", "create", "Other"]).ok();
    let other = plasma(&db, &["-w", "Other", "threats", "models", "--json"])
        .ok()
        .json();
    assert_eq!(other, serde_json::json!([]));
    let default = plasma(
        &db,
        &["--workspace", "Default", "threats", "models", "--json"],
    )
    .ok()
    .json();
    assert_eq!(default.as_array().unwrap().len(), 1, "{default:#}");
    // The same file into a second workspace is a second, separate model.
    plasma(
        &db,
        &[
            "-w",
            "Other",
            "threats",
            "import",
            small_td().to_str().unwrap(),
        ],
    )
    .ok();
    let other = plasma(&db, &["-w", "Other", "threats", "models", "--json"])
        .ok()
        .json();
    assert_eq!(other.as_array().unwrap().len(), 1, "{other:#}");
    assert_ne!(other[0]["id"], default[0]["id"]);

    let missing = plasma(&db, &["-w", "Default", "threats", "list", "No such model"]);
    assert_ne!(missing.code, 0);
    assert!(missing.stdout.is_empty(), "{}", missing.stdout);
    assert!(
        missing.stderr.contains("error:") && missing.stderr.contains("No such model"),
        "{}",
        missing.stderr
    );

    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "just some words").unwrap();
    let run = plasma(&db, &["threats", "import", junk.to_str().unwrap()]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("notes.txt"), "{}", run.stderr);
    let run = plasma(
        &db,
        &[
            "threats",
            "import",
            junk.to_str().unwrap(),
            "--format",
            "td",
        ],
    );
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("error:"), "{}", run.stderr);
    // JSON with a trailing comma (pytm's JSONtemplateForUser.json has them):
    // the error is where the JSON breaks, not "cannot tell which format".
    let broken = dir.path().join("elements.json");
    std::fs::write(
        &broken,
        "[\n  {\"Element\": \"Actor\", \"name\": \"User\",\n  },\n  {\"Element\": \"Boundary\", \"name\": \"Web\"}\n]\n",
    )
    .unwrap();
    let run = plasma(&db, &["threats", "import", broken.to_str().unwrap()]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("elements.json: line 3: not valid JSON: trailing comma"),
        "{}",
        run.stderr
    );
    let run = plasma(
        &db,
        &[
            "threats",
            "import",
            dir.path().join("absent.json").to_str().unwrap(),
        ],
    );
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("absent.json"), "{}", run.stderr);
    // A file of a format no import reads is named, not "cannot tell".
    let library = dir.path().join("threat-model.json");
    std::fs::write(
        &library,
        r#"{"$schema": "https://example.org/threat-model.schema.json", "scope": {"title": "Shop"}, "trust_zones": [], "actors": [], "components": []}"#,
    )
    .unwrap();
    let run = plasma(&db, &["threats", "import", library.to_str().unwrap()]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("threat-model.json: this is an OWASP Threat Model Library file"),
        "{}",
        run.stderr
    );
    let models = plasma(&db, &["threats", "models", "--json"]).ok().json();
    assert_eq!(
        models.as_array().unwrap().len(),
        1,
        "nothing imported: {models:#}"
    );
}

#[test]
fn threagile_model_imports_with_its_risks_and_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plan.db");
    let file = small_threagile();
    let file = file.to_str().unwrap();

    // Detected from the content.
    let imported = plasma(&db, &["threats", "import", file]).ok();
    assert!(
        imported.stdout.contains("Bakery Orders") && imported.stdout.contains("(threagile)"),
        "{}",
        imported.stdout
    );
    let models = plasma(&db, &["threats", "models", "--json"]).ok().json();
    let model = &models.as_array().unwrap()[0];
    assert_eq!(model["name"], "Bakery Orders", "{models:#}");
    assert_eq!(
        (&model["elements"], &model["flows"], &model["data_assets"]),
        (
            &serde_json::json!(3),
            &serde_json::json!(2),
            &serde_json::json!(2)
        ),
        "{models:#}"
    );
    assert!(model["description"].as_str().unwrap().contains(
        "- unencrypted-asset@order-db: in-progress - Disk encryption is being rolled out"
    ));

    let rows = plasma(&db, &["threats", "list", "Bakery Orders", "--json"])
        .ok()
        .json();
    let rows = rows.as_array().unwrap();
    // The file's individual risk, on its asset, with its accepted decision.
    let risk = rows
        .iter()
        .find(|r| r["title"] == "Fake Orders at Order API")
        .unwrap_or_else(|| panic!("the individual risk: {rows:#?}"));
    assert_eq!(risk["status"], "accepted", "{risk:#}");
    assert_eq!(risk["category"], "spoofing", "{risk:#}");
    assert_eq!(risk["target_name"], "Order API", "{risk:#}");
    assert_eq!(risk["severity"], "high", "{risk:#}");
    assert!(risk["rule_id"].is_null());
    // Our STRIDE rules ran over the assets and links: the unencrypted
    // database and the plain JDBC link are flagged; nothing is raised
    // against the out-of-scope browser.
    assert!(rows.iter().any(|r| r["target_name"] == "Order Database"
        && r["category"] == "information_disclosure"
        && r["rule_id"].is_string()));
    assert!(rows
        .iter()
        .any(|r| r["target_name"] == "Store Order" && r["rule_id"].is_string()));
    assert!(rows.iter().all(|r| r["target_name"] != "Customer Browser"));

    // Importing again with the format named changes nothing.
    let again = plasma(
        &db,
        &["threats", "import", file, "--format", "threagile", "--json"],
    )
    .ok()
    .json();
    assert_eq!(again["format"], "threagile");
    assert_eq!(again["action"], "unchanged", "{again:#}");

    // A link to an asset the file does not have: refused with its place,
    // nothing imported.
    let text = std::fs::read_to_string(file).unwrap();
    let broken = dir.path().join("broken.yaml");
    std::fs::write(
        &broken,
        text.replace("title: Bakery Orders", "title: Broken Bakery")
            .replace("target: order-db", "target: bread-oven"),
    )
    .unwrap();
    let run = plasma(&db, &["threats", "import", broken.to_str().unwrap()]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("/technical_assets/Order API/communication_links/Store Order/target")
            && run.stderr.contains("bread-oven"),
        "{}",
        run.stderr
    );
    let models = plasma(&db, &["threats", "models", "--json"]).ok().json();
    assert_eq!(models.as_array().unwrap().len(), 1, "{models:#}");
}

#[test]
fn threat_composer_statements_import_with_their_mitigations() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plan.db");
    let file = small_threat_composer();
    let file = file.to_str().unwrap();

    // Detected from the content.
    let imported = plasma(&db, &["threats", "import", file]).ok();
    assert!(
        imported.stdout.contains("Recipe Sharing") && imported.stdout.contains("(threat_composer)"),
        "{}",
        imported.stdout
    );
    let models = plasma(&db, &["threats", "models", "--json"]).ok().json();
    let model = &models.as_array().unwrap()[0];
    assert_eq!(model["name"], "Recipe Sharing", "{models:#}");
    // One element stands for the application; the impacted assets are data.
    assert_eq!(model["elements"], 1, "{models:#}");
    assert_eq!(model["data_assets"], 2, "{models:#}");

    let rows = plasma(&db, &["threats", "list", "Recipe Sharing", "--json"])
        .ok()
        .json();
    let rows = rows.as_array().unwrap();
    let stored = rows
        .iter()
        .find(|r| r["title"].as_str().unwrap().starts_with("A signed-in cook"))
        .unwrap_or_else(|| panic!("the stated threat: {rows:#?}"));
    assert_eq!(stored["status"], "mitigated", "{stored:#}");
    assert_eq!(stored["category"], "tampering", "{stored:#}");
    assert_eq!(stored["target_name"], "Recipe Sharing", "{stored:#}");
    // The statement Threat Composer would compose from its parts.
    let composed = rows
        .iter()
        .find(|r| r["category"] == "denial_of_service" && r["rule_id"].is_null())
        .unwrap_or_else(|| panic!("the composed threat: {rows:#?}"));
    assert_eq!(
        composed["title"],
        "An external threat actor with a list of leaked passwords can flood the comment API \
         with requests, which leads to the site being unavailable to cooks, resulting in \
         reduced availability of recipe API",
        "{composed:#}"
    );
    assert_eq!(composed["status"], "open", "{composed:#}");

    // Importing again with the format named (or its short name) changes nothing.
    for name in ["threat-composer", "tc"] {
        let again = plasma(
            &db,
            &["threats", "import", file, "--format", name, "--json"],
        )
        .ok()
        .json();
        assert_eq!(again["format"], "threat_composer");
        assert_eq!(again["action"], "unchanged", "{again:#}");
    }

    // A file whose threats are not a list: refused with the place, nothing
    // imported.
    let text = std::fs::read_to_string(file).unwrap();
    let broken = dir.path().join("broken.tc.json");
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["applicationInfo"]["name"] = "Broken Recipes".into();
    doc["threats"] = serde_json::json!({"t-1": {}});
    std::fs::write(&broken, doc.to_string()).unwrap();
    let run = plasma(&db, &["threats", "import", broken.to_str().unwrap()]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("/threats"), "{}", run.stderr);
    let models = plasma(&db, &["threats", "models", "--json"]).ok().json();
    assert_eq!(models.as_array().unwrap().len(), 1, "{models:#}");
}

#[test]
fn threat_modeling_tool_model_imports_with_its_threats_and_scope() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plan.db");
    let file = small_tm7();
    let file = file.to_str().unwrap();

    // Detected from the name and the content.
    let imported = plasma(&db, &["threats", "import", file]).ok();
    assert!(
        imported.stdout.contains("\"Web shop checkout\"") && imported.stdout.contains("(tm7)"),
        "{}",
        imported.stdout
    );
    let models = plasma(&db, &["threats", "models", "--json"]).ok().json();
    let model = &models.as_array().unwrap()[0];
    assert_eq!(model["name"], "Web shop checkout", "{models:#}");
    assert_eq!(
        (model["elements"].as_u64(), model["flows"].as_u64()),
        (Some(3), Some(2)),
        "{models:#}"
    );
    let description = model["description"].as_str().unwrap();
    assert!(
        description.contains("Threat Dragon owner: Ana"),
        "{description}"
    );
    assert!(
        description.contains("crosses the flows \"Place order\""),
        "{description}"
    );

    // The list shows the file's threats with their state next to the rules'.
    let list = plasma(&db, &["threats", "list", "Web shop checkout"]).ok();
    for (status, title) in [
        ("open", "Spoofing of the shopper's browser"),
        ("mitigated", "Order tampered in transit"),
        ("not_applicable", "Database denies the write"),
        ("open", "Orders flood the database"),
    ] {
        assert!(
            list.stdout
                .lines()
                .any(|l| l.contains(title) && l.split_whitespace().nth(2) == Some(status)),
            "{title} {status}\n{}",
            list.stdout
        );
    }
    let rows = plasma(&db, &["threats", "list", "Web shop checkout", "--json"])
        .ok()
        .json();
    let rows = rows.as_array().unwrap();
    let spoof = rows
        .iter()
        .find(|r| r["title"] == "Spoofing of the shopper's browser")
        .unwrap();
    assert_eq!(spoof["severity"], "high", "{spoof:#}");
    assert_eq!(spoof["target_name"], "Place order", "{spoof:#}");
    // The data store is out of scope: no rule threat on it.
    assert!(
        !rows.iter().any(|r| r["target_name"] == "Orders & payments"),
        "{rows:#?}"
    );
    assert!(rows.iter().any(|r| !r["rule_id"].is_null()), "{rows:#?}");

    // Again, with the format named: nothing changes.
    let again = plasma(
        &db,
        &["threats", "import", file, "--format", "tm7", "--json"],
    )
    .ok()
    .json();
    assert_eq!(again["format"], "tm7");
    assert_eq!(again["action"], "unchanged", "{again:#}");

    // A file cut short: refused with the place, nothing imported.
    let text = std::fs::read_to_string(file).unwrap();
    let broken = dir.path().join("broken.tm7");
    std::fs::write(
        &broken,
        &text.replace("Web shop checkout", "Broken shop")[..4000],
    )
    .unwrap();
    let run = plasma(&db, &["threats", "import", broken.to_str().unwrap()]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("line 1, column 4001 (the end of the file)")
            && run.stderr.contains("not well-formed XML"),
        "{}",
        run.stderr
    );
    // A flow naming an element that is not there: the XML path says where.
    let unknown = dir.path().join("unknown.tm7");
    std::fs::write(
        &unknown,
        text.replace("Web shop checkout", "Broken shop").replacen(
            ">b0000000-0000-4000-8000-000000000002</SourceGuid>",
            ">12345678-0000-4000-8000-000000000000</SourceGuid>",
            1,
        ),
    )
    .unwrap();
    let run = plasma(&db, &["threats", "import", unknown.to_str().unwrap()]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("/Lines/KeyValueOfguidanyType[1]/Value/SourceGuid")
            && run.stderr.contains("names the unknown element 12345678-"),
        "{}",
        run.stderr
    );
    let models = plasma(&db, &["threats", "models", "--json"]).ok().json();
    assert_eq!(models.as_array().unwrap().len(), 1, "{models:#}");
}

#[test]
fn corpus_threat_dragon_models_import_report_and_gate() {
    let Some(corpus) = corpus() else { return };
    let dir = corpus.join("threat-dragon");
    if !dir.is_dir() {
        eprintln!("notice: {} not found, skipping", dir.display());
        return;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name.ends_with(".json") && !name.contains("schema")
        })
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no Threat Dragon models in {}",
        dir.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    for (i, file) in files.iter().enumerate() {
        // One database per file: two corpus files share a title.
        let db = tmp.path().join(format!("corpus-{i}.db"));
        let out = tmp.path().join(format!("report-{i}"));
        exercise(&db, file, &out);
    }
}

/// Puts element `name` of `model` out of scope (`Some(reason)`) or back in
/// (`None`), as the property panel does.
fn set_scope(db: &Path, model: &str, name: &str, scope: Option<&str>) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let wb = Workbench::open(db).await.unwrap();
        let stored = wb.get_threat_model(model).await.unwrap();
        let mut m = stored.model.clone();
        let e = m
            .diagrams
            .iter_mut()
            .flat_map(|d| d.elements.iter_mut())
            .find(|e| e.name == name)
            .unwrap();
        e.out_of_scope = scope.map(str::to_string);
        wb.save_threat_model(m.id, stored.revision, &m)
            .await
            .unwrap();
        wb.store().close().await;
    });
}

#[test]
fn generate_skips_what_is_out_of_scope_and_brings_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("scope.db");
    let imported = plasma(
        &db,
        &["threats", "import", small_td().to_str().unwrap(), "--json"],
    )
    .ok()
    .json();
    let model = imported["model"]["name"].as_str().unwrap().to_string();
    let live_on = |rows: &serde_json::Value, target: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                r["target_name"] == target && r["obsolete"] == false && !r["rule_id"].is_null()
            })
            .count()
    };
    let before = plasma(&db, &["threats", "list", &model, "--json"])
        .ok()
        .json();
    let target = before
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["target_kind"] == "element" && !r["rule_id"].is_null())
        .and_then(|r| r["target_name"].as_str())
        .unwrap()
        .to_string();
    let had = live_on(&before, &target);
    assert!(had > 0);

    set_scope(&db, &model, &target, Some("Hosted by the vendor"));
    let generated = plasma(&db, &["threats", "generate", &model, "--json"])
        .ok()
        .json();
    assert_eq!(generated["counts"]["obsolete"], had, "{generated:#}");
    let after = plasma(&db, &["threats", "list", &model, "--json"])
        .ok()
        .json();
    assert_eq!(live_on(&after, &target), 0);
    let out = dir.path().join("report");
    plasma(
        &db,
        &["threats", "report", &model, "--out", out.to_str().unwrap()],
    )
    .ok();
    let slug = plasma_models::slug::slugify(&model);
    let md = std::fs::read_to_string(out.join(format!("{slug}.md"))).unwrap();
    assert!(
        md.contains("- **Out of scope** (no threats raised): 1\n"),
        "{md}"
    );
    assert!(md.contains(": Hosted by the vendor\n"), "{md}");

    set_scope(&db, &model, &target, None);
    plasma(&db, &["threats", "generate", &model]).ok();
    let back = plasma(&db, &["threats", "list", &model, "--json"])
        .ok()
        .json();
    assert_eq!(live_on(&back, &target), had, "the same threats come back");
}

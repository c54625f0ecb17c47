//! The `plasma` command line, run as a separate process on real SQLite files.

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{fixtures, plasma, plasma_env};

fn numbers(list: &serde_json::Value) -> Vec<u64> {
    list.as_array()
        .expect("array")
        .iter()
        .map(|a| a["number"].as_u64().expect("number"))
        .collect()
}

fn by_number(list: &serde_json::Value, n: u64) -> &serde_json::Value {
    list.as_array()
        .expect("array")
        .iter()
        .find(|a| a["number"].as_u64() == Some(n))
        .unwrap_or_else(|| panic!("ADR {n} missing from {list:#}"))
}

#[test]
fn new_then_list_json_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plan.db");
    let created = plasma(
        &db,
        &[
            "adr",
            "new",
            "--title",
            "Use SQLite",
            "--template",
            "nygard",
        ],
    )
    .ok();
    assert!(created.stdout.contains("ADR-0001"), "{}", created.stdout);
    plasma(&db, &["adr", "new", "--title", "Use WAL mode"]).ok();
    let list = plasma(&db, &["adr", "list", "--json"]).ok().json();
    assert_eq!(numbers(&list), vec![1, 2]);
    let first = by_number(&list, 1);
    assert_eq!(first["title"], "Use SQLite");
    assert_eq!(first["status"], "proposed");
    let date = first["date"].as_str().expect("date string");
    assert!(chrono_like(date), "ISO 8601 date, got {date}");
    assert_eq!(first["supersedes"], serde_json::json!([]));
    assert_eq!(first["superseded_by"], serde_json::json!([]));
}

fn chrono_like(date: &str) -> bool {
    let b = date.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && date.replace('-', "").chars().all(|c| c.is_ascii_digit())
}

#[test]
fn import_mixed_formats_reports_bad_files_and_keeps_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plan.db");
    let src = fixtures().join("adr-mixed");
    let run = plasma(&db, &["adr", "import", src.to_str().unwrap()]);
    assert_eq!(
        run.code, 1,
        "a failed file makes the exit code non-zero\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("0004-broken-front-matter.md:") && run.stderr.contains("error:"),
        "file and line of the bad file on stderr: {}",
        run.stderr
    );
    assert!(run.stdout.contains("skipped README.md"), "{}", run.stdout);
    let list = plasma(&db, &["adr", "list", "--json"]).ok().json();
    assert_eq!(numbers(&list), vec![1, 2, 3], "{list:#}");
    assert_eq!(by_number(&list, 1)["status"], "superseded");
    assert_eq!(by_number(&list, 1)["superseded_by"], serde_json::json!([3]));
    assert_eq!(by_number(&list, 3)["supersedes"], serde_json::json!([1]));
    assert_eq!(by_number(&list, 2)["title"], "Pick a message queue");
    assert_eq!(by_number(&list, 2)["date"], "2024-03-05");

    // Importing again updates in place and never duplicates.
    let again = plasma(&db, &["adr", "import", src.to_str().unwrap(), "--json"]);
    let report: serde_json::Value = serde_json::from_str(&again.stdout).expect("json report");
    assert_eq!(report["created"], serde_json::json!([]));
    assert_eq!(
        numbers(&plasma(&db, &["adr", "list", "--json"]).ok().json()),
        vec![1, 2, 3]
    );

    // The unknown section survives, verbatim.
    let shown = plasma(&db, &["adr", "show", "3"]).ok();
    assert!(shown.stdout.contains("## Glossary"), "{}", shown.stdout);
    assert!(shown
        .stdout
        .contains("A section no template knows, kept as written."));
}

fn read_dir_map(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn export_import_export_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("first.db");
    plasma(&db, &["demo"]).ok();
    let first = dir.path().join("first");
    plasma(&db, &["adr", "export", first.to_str().unwrap()]).ok();
    let files = read_dir_map(&first);
    assert!(files.contains_key("index.md") && files.contains_key("decision-graph.dot"));
    assert!(
        files.keys().any(|f| f.starts_with("0005-")),
        "{:?}",
        files.keys()
    );
    let index = String::from_utf8(files["index.md"].clone()).unwrap();
    assert!(
        index.contains("```mermaid"),
        "index.md embeds the Mermaid graph"
    );

    let db2 = dir.path().join("second.db");
    plasma(&db2, &["adr", "import", first.to_str().unwrap()]).ok();
    let second = dir.path().join("second");
    plasma(&db2, &["adr", "export", second.to_str().unwrap()]).ok();
    let again = read_dir_map(&second);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        again.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &files {
        assert!(
            bytes == &again[name],
            "{name} differs after a round trip:\n--- first\n{}\n--- second\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&again[name])
        );
    }
}

#[test]
fn supersede_updates_both_and_refuses_cycles_with_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plan.db");
    for t in ["One", "Two", "Three"] {
        plasma(&db, &["adr", "new", "--title", t]).ok();
    }
    plasma(&db, &["adr", "supersede", "1", "--by", "2"]).ok();
    plasma(&db, &["adr", "supersede", "2", "--by", "3"]).ok();
    let list = plasma(&db, &["adr", "list", "--json"]).ok().json();
    assert_eq!(by_number(&list, 1)["superseded_by"], serde_json::json!([2]));
    assert_eq!(by_number(&list, 2)["supersedes"], serde_json::json!([1]));
    assert_eq!(by_number(&list, 2)["superseded_by"], serde_json::json!([3]));
    // 3 is live; making it superseded by 1 would close 1 <- 2 <- 3 <- 1.
    let refused = plasma(&db, &["adr", "supersede", "3", "--by", "1"]);
    assert_ne!(refused.code, 0);
    assert!(
        refused.stderr.contains("cycle") || refused.stderr.contains("superseded"),
        "{}",
        refused.stderr
    );
    let after = plasma(&db, &["adr", "list", "--json"]).ok().json();
    assert_eq!(list, after, "a refused supersede changes nothing");
}

#[test]
fn search_finds_words_from_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plan.db");
    plasma(&db, &["demo"]).ok();
    let found = plasma(&db, &["search", "kubernetes", "--json"]).ok().json();
    let hits = found["adrs"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().any(|h| h["number"] == 5), "{hits:#?}");
    let none = plasma(&db, &["search", "\"unbalanced NEAR(", "--json"])
        .ok()
        .json();
    assert!(none["adrs"].as_array().unwrap().is_empty());
    assert!(none["records"].as_array().unwrap().is_empty());
}

/// One search finds every kind of record of the demo, each with what the
/// app needs to open it, and prints them grouped by kind.
#[test]
fn search_finds_threats_models_controls_initiatives_and_slos() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plan.db");
    plasma(&db, &["demo"]).ok();
    let kinds = |query: &str| -> Vec<(String, String, String)> {
        let found = plasma(&db, &["search", query, "--json"]).ok().json();
        found["records"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["kind"].as_str().unwrap().to_string(),
                    r["title"].as_str().unwrap().to_string(),
                    r["id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // A threat by its title, with the model it belongs to.
    let threats = kinds("prompt injection");
    assert!(
        threats
            .iter()
            .any(|(k, t, _)| k == "threat" && t.contains("prompt injection")),
        "{threats:?}"
    );
    assert!(threats.iter().all(|(k, _, _)| k == "threat"), "{threats:?}");
    // "redis" is in the model's description, an initiative's and threats'.
    let redis = kinds("redis");
    for kind in ["threat_model", "threat", "initiative"] {
        assert!(redis.iter().any(|(k, _, _)| k == kind), "{kind}: {redis:?}");
    }
    // A control by a word of its title, named framework:control.
    let controls = kinds("branch protection");
    assert!(
        controls
            .iter()
            .any(|(k, _, id)| k == "control" && id == "plasma-sdlc:SDLC-06"),
        "{controls:?}"
    );
    // An SLO by its service/name.
    let slos = kinds("jobs-success");
    assert!(
        slos.iter()
            .any(|(k, _, id)| k == "slo" && id == "plasma-engine-content/jobs-success"),
        "{slos:?}"
    );
    // Every query word must be found: none of these hold both.
    assert!(kinds("redis zzqx").is_empty());
    let text = plasma(&db, &["search", "redis"]).ok().stdout;
    assert!(text.contains("threat model  Gateway and agent"), "{text}");
    assert!(
        text.contains("initiative  Local development with Docker Compose"),
        "{text}"
    );
}

#[test]
fn errors_go_to_stderr_with_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plan.db");
    let missing = plasma(&db, &["adr", "show", "42"]);
    assert_ne!(missing.code, 0);
    assert!(missing.stdout.is_empty());
    assert!(
        missing.stderr.starts_with("error:") && missing.stderr.contains("42"),
        "{}",
        missing.stderr
    );
    let nodir = plasma(&db, &["adr", "import", "/definitely/not/here"]);
    assert_ne!(nodir.code, 0);
    assert!(
        nodir.stderr.contains("/definitely/not/here"),
        "{}",
        nodir.stderr
    );
    let not_a_db = dir.path().join("notes.txt");
    std::fs::write(&not_a_db, "just some notes, not SQLite").unwrap();
    let wrong = plasma(&not_a_db, &["adr", "list"]);
    assert_ne!(wrong.code, 0);
    assert!(wrong.stderr.contains("notes.txt"), "{}", wrong.stderr);
    assert_eq!(
        std::fs::read_to_string(&not_a_db).unwrap(),
        "just some notes, not SQLite",
        "a file that is not a database is left alone"
    );
    let empty = plasma(&db, &["adr", "new", "--title", "   "]);
    assert_ne!(empty.code, 0);
    assert!(empty.stderr.contains("title"), "{}", empty.stderr);
}

#[test]
fn database_location_follows_flag_then_env_then_default() {
    let dir = tempfile::tempdir().unwrap();
    let env_db = dir.path().join("from-env.db");
    plasma_env(
        &[("PLASMA_DB", &env_db)],
        &["adr", "new", "--title", "From env"],
    )
    .ok();
    assert!(env_db.is_file());
    let data_home = dir.path().join("xdg");
    plasma_env(
        &[("XDG_DATA_HOME", &data_home)],
        &["adr", "new", "--title", "Default"],
    )
    .ok();
    assert!(data_home.join("plasma-plan").join("plasma.db").is_file());
    let flag_db = dir.path().join("flag.db");
    let both = std::process::Command::new(crate::support::plasma_bin())
        .args(["--db", flag_db.to_str().unwrap(), "adr", "list", "--json"])
        .env("PLASMA_DB", &env_db)
        .output()
        .unwrap();
    assert!(both.status.success());
    let listed: serde_json::Value = serde_json::from_slice(&both.stdout).unwrap();
    assert_eq!(listed, serde_json::json!([]), "--db wins over PLASMA_DB");
}

#[test]
fn every_corpus_folder_imports_through_the_cli() {
    let Some(corpus) = crate::support::corpus() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("corpus.db");
    // One workspace per tool, as a team would have one per repository.
    for (folder, at_least) in [
        ("adr/nygard-adr-tools", 9),
        ("adr/madr-2.1.2", 12),
        ("adr/madr-3.0.0", 17),
        ("adr/log4brains/docs-adr", 9),
    ] {
        plasma(&db, &["workspace", "create", folder]).ok();
        let src = corpus.join(folder);
        let import = || {
            plasma(
                &db,
                &[
                    "-w",
                    folder,
                    "adr",
                    "import",
                    src.to_str().unwrap(),
                    "--json",
                ],
            )
            .ok()
            .json()
        };
        let report = import();
        assert_eq!(
            report["failed"],
            serde_json::json!([]),
            "{folder}: {report:#}"
        );
        let created = report["created"].as_array().unwrap().len();
        assert!(created >= at_least, "{folder}: {created} imported");
        let list = plasma(&db, &["-w", folder, "adr", "list", "--json"])
            .ok()
            .json();
        assert_eq!(list.as_array().unwrap().len(), created);
        // Again: updated in place, nothing new.
        let again = import();
        assert_eq!(again["created"], serde_json::json!([]), "{folder}");
    }
    let l4b = plasma(
        &db,
        &["-w", "adr/log4brains/docs-adr", "adr", "list", "--json"],
    )
    .ok()
    .json();
    let by_slug = find(&l4b, "Use the ADR number as its unique ID");
    assert_eq!(by_slug["status"], "superseded");
    let newer = find(&l4b, "Use the ADR slug as its unique ID");
    assert_eq!(
        by_slug["superseded_by"],
        serde_json::json!([newer["number"]])
    );
}

fn find<'a>(list: &'a serde_json::Value, title: &str) -> &'a serde_json::Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no {title:?} in {list:#}"))
}

fn repository_names(ws: &serde_json::Value) -> Vec<String> {
    ws["repositories"]
        .as_array()
        .expect("repositories")
        .iter()
        .map(|r| r["name"].as_str().expect("name").to_string())
        .collect()
}

#[test]
fn workspace_edit_adds_renames_and_refuses_removing_a_referenced_repository() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plan.db");
    plasma(&db, &["demo"]).ok();
    let before = plasma(&db, &["workspace", "show", "--json"]).ok().json();
    assert_eq!(before["name"], "Plasma Engine");
    assert!(repository_names(&before).contains(&"plasma-engine-gateway".to_string()));

    let edited = plasma(
        &db,
        &[
            "workspace",
            "edit",
            "--add-repo",
            "plasma-engine-docs",
            "--description",
            "With docs.",
        ],
    )
    .ok();
    assert!(
        edited.stdout.contains("plasma-engine-docs"),
        "{}",
        edited.stdout
    );
    let after = plasma(&db, &["workspace", "show", "--json"]).ok().json();
    let names = repository_names(&after);
    assert_eq!(names.last().map(String::as_str), Some("plasma-engine-docs"));
    assert_eq!(names.len(), repository_names(&before).len() + 1);
    assert_eq!(after["description"], "With docs.");
    assert_eq!(after["id"], before["id"]);

    // Another workspace becomes current; the demo is edited and shown by name.
    plasma(&db, &["workspace", "create", "Other"]).ok();
    plasma(
        &db,
        &[
            "workspace",
            "edit",
            "plasma engine",
            "--name",
            "Plasma Engine 2",
        ],
    )
    .ok();
    let text = plasma(&db, &["workspace", "show", "Plasma Engine 2"]).ok();
    assert!(
        text.stdout.starts_with("Plasma Engine 2\n"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("  plasma-engine-docs"),
        "{}",
        text.stdout
    );
    let list = plasma(&db, &["workspace", "list"]).ok();
    assert!(list.stdout.contains("* Other"), "{}", list.stdout);

    // Records name the gateway: refused, saying which, and nothing changes.
    let refused = plasma(
        &db,
        &[
            "-w",
            "Plasma Engine 2",
            "workspace",
            "edit",
            "--remove-repo",
            "plasma-engine-gateway",
            "--name",
            "Not applied",
        ],
    );
    assert_ne!(refused.code, 0);
    assert!(refused.stdout.is_empty(), "{}", refused.stdout);
    for part in [
        "error: repository \"plasma-engine-gateway\" cannot be removed",
        "ADRs",
        "assessed compliance cells",
        "threat model (\"Gateway and agent\")",
        "roadmap initiatives",
        "remove it from those records first",
    ] {
        assert!(
            refused.stderr.contains(part),
            "{part:?} in {}",
            refused.stderr
        );
    }
    let unchanged = plasma(&db, &["workspace", "show", "--json"]).ok().json();
    assert_eq!(unchanged["name"], "Plasma Engine 2");
    assert_eq!(repository_names(&unchanged), names);

    let bad = plasma(&db, &["workspace", "edit", "--add-repo", "no spaces"]);
    assert_ne!(bad.code, 0);
    assert!(
        bad.stderr.contains("not a valid repository name"),
        "{}",
        bad.stderr
    );
    let nothing = plasma(&db, &["workspace", "edit"]);
    assert_ne!(nothing.code, 0);
    assert!(
        nothing.stderr.contains("nothing to change"),
        "{}",
        nothing.stderr
    );
}

#[test]
fn workspace_help_describes_every_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let help = plasma(&dir.path().join("plan.db"), &["workspace", "--help"]).ok();
    for line in help
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
    {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert!(words.len() > 1, "no description: {line:?}\n{}", help.stdout);
    }
}

//! `plasma` as a CI step or a shell script uses it: exit codes that tell a
//! failed gate from an error, output into a pipe the reader closes early,
//! and plain output that lines up in a terminal.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::{fixtures, plasma, plasma_bin};

const DEMO_MODEL: &str = "Gateway and agent";

fn demo_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("plan.db");
    plasma(&db, &["demo"]).ok();
    db
}

/// What a script can read back: the threat models (with revisions and times),
/// the ADRs and the workspaces.
fn snapshot(db: &Path) -> String {
    [
        &["threats", "models", "--json"][..],
        &["adr", "list", "--json"],
        &["workspace", "list"],
    ]
    .iter()
    .map(|args| plasma(db, args).ok().stdout)
    .collect()
}

/// Runs `plasma --db DB ARGS...` with its standard output closed before the
/// first write, as `plasma ... | head -0` would leave it.
fn into_closed_pipe(db: &Path, args: &[&str]) -> (i32, String) {
    let mut child = Command::new(plasma_bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PLASMA_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_ends_plain_and_json_output_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    for args in [
        &["adr", "list"][..],
        &["adr", "list", "--json"],
        &["threats", "list", DEMO_MODEL, "--json"],
        &["slo", "list", "--json"],
        &["compliance", "frameworks", "--json"],
        &["workspace", "show", "--json"],
        &["search", "gateway", "--json"],
        // Exports to standard output write through `/dev/stdout`.
        &["threats", "export", DEMO_MODEL, "--out", "-"],
        &["threats", "export", DEMO_MODEL, "--out", "/dev/stdout"],
        &["adr", "graph", "--out", "-"],
        &["roadmap", "export", "--format", "csv", "--out", "-"],
    ] {
        let (code, stderr) = into_closed_pipe(&db, args);
        assert_eq!((code, stderr.as_str()), (0, ""), "{args:?}");
    }
}

#[test]
fn a_failed_gate_and_an_error_have_different_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let before = snapshot(&db);

    let gate = plasma(&db, &["threats", "check", DEMO_MODEL, "--fail-on", "high"]);
    assert_eq!(gate.code, 1, "{}", gate.stderr);
    assert!(gate.stderr.is_empty(), "{}", gate.stderr);

    let unknown = plasma(
        &db,
        &["threats", "check", "No such model", "--fail-on", "high"],
    );
    assert_eq!(unknown.code, 3, "{}", unknown.stderr);
    assert_eq!(
        unknown.stderr.trim_end(),
        "error: no threat model named \"No such model\" in this workspace (see `plasma threats models`)"
    );
    assert!(unknown.stdout.is_empty());

    let missing_file = plasma(&db, &["threats", "import", "/definitely/not/here.json"]);
    assert_eq!(missing_file.code, 3, "{}", missing_file.stderr);
    assert!(
        missing_file
            .stderr
            .starts_with("error: /definitely/not/here.json: "),
        "{}",
        missing_file.stderr
    );

    // Bad arguments are an error too, not `sync pull`'s "conflicts" (2).
    let usage = plasma(
        &db,
        &["threats", "check", DEMO_MODEL, "--fail-on", "severe"],
    );
    assert_eq!(usage.code, 3, "{}", usage.stderr);
    assert!(usage.stderr.contains("--fail-on"), "{}", usage.stderr);

    let help = plasma(&db, &["--help"]);
    assert_eq!(help.code, 0);
    assert!(
        help.stdout.contains("Exit status:") && help.stdout.contains("3 an error"),
        "{}",
        help.stdout
    );

    assert!(
        snapshot(&db) == before,
        "neither the gate nor the errors changed the database"
    );
}

#[test]
fn threat_titles_start_in_one_column() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let rows = plasma(&db, &["threats", "list", DEMO_MODEL, "--json"])
        .ok()
        .json();
    let rows = rows.as_array().unwrap();
    let plain = plasma(&db, &["threats", "list", DEMO_MODEL]).ok().stdout;
    let lines: Vec<&str> = plain.lines().collect();
    assert_eq!(lines.len(), rows.len());
    let targets: std::collections::BTreeSet<&str> = rows
        .iter()
        .map(|r| r["target_name"].as_str().unwrap())
        .collect();
    assert!(targets.len() > 1, "the demo names several targets");
    let title_columns: std::collections::BTreeSet<usize> = lines
        .iter()
        .zip(rows)
        .map(|(line, row)| {
            let title = row["title"].as_str().unwrap();
            assert!(line.ends_with(title), "{line}");
            line.chars().count() - title.chars().count()
        })
        .collect();
    assert_eq!(title_columns.len(), 1, "{plain}");
}

#[test]
fn search_prints_each_snippet_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let hits = plasma(&db, &["search", "engineering", "--json"])
        .ok()
        .json();
    let hit_count =
        hits["adrs"].as_array().unwrap().len() + hits["records"].as_array().unwrap().len();
    assert!(
        hits["adrs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["snippet"].as_str().unwrap().contains('\n')),
        "the demo has a snippet across lines: {hits}"
    );
    let plain = plasma(&db, &["search", "engineering"]).ok().stdout;
    let lines: Vec<&str> = plain.lines().collect();
    assert_eq!(
        lines.len(),
        2 * hit_count,
        "a heading and a snippet per hit:\n{plain}"
    );
    for pair in lines.chunks(2) {
        assert!(!pair[0].starts_with(' '), "{plain}");
        assert!(pair[1].starts_with("    ") && pair[1].len() > 4, "{plain}");
    }
}

#[test]
fn out_dash_writes_a_single_file_export_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_db(dir.path());
    let file = dir.path().join("model.json");
    let file_arg = file.to_str().unwrap();
    plasma(&db, &["threats", "export", DEMO_MODEL, "--out", file_arg]).ok();
    let piped = plasma(&db, &["threats", "export", DEMO_MODEL, "--out", "-"]).ok();
    assert_eq!(
        piped.stdout,
        std::fs::read_to_string(&file).unwrap(),
        "the export alone, with no \"Wrote\" line"
    );
    assert!(!Path::new("-").exists(), "no file named -");

    let csv = plasma(&db, &["roadmap", "export", "--format", "csv", "--out", "-"]).ok();
    assert!(csv.stdout.starts_with("key,title,"), "{}", csv.stdout);

    let graph = plasma(&db, &["adr", "graph", "--out", "-"]).ok();
    assert!(graph.stdout.starts_with("flowchart"), "{}", graph.stdout);

    // A long gantt is split into several files, which standard output cannot be.
    let gantt = plasma(
        &db,
        &["roadmap", "export", "--format", "mermaid", "--out", "-"],
    );
    assert_eq!(gantt.code, 3, "{}", gantt.stderr);
    assert!(gantt.stdout.is_empty());
    assert!(
        gantt.stderr.starts_with("error: --out -: a Mermaid gantt"),
        "{}",
        gantt.stderr
    );
}

/// `--db` naming a folder or a file that is not a database says so, and
/// changes nothing (SQLite alone says "unable to open database file" or
/// "file is not a database").
#[test]
fn a_db_path_that_is_no_database_is_refused_plainly() {
    let dir = tempfile::tempdir().unwrap();
    let folder = plasma(dir.path(), &["adr", "list"]);
    assert_eq!(folder.code, 3, "{}", folder.stderr);
    assert_eq!(
        folder.stderr.trim_end(),
        format!(
            "error: {}: this is a folder, not a database file (give a file in it, such as {})",
            dir.path().display(),
            dir.path().join("plasma.db").display()
        )
    );

    let notes = dir.path().join("notes.md");
    let text = "# Notes\n\nNot a database at all.\n".repeat(200);
    std::fs::write(&notes, &text).unwrap();
    for args in [&["adr", "list"][..], &["adr", "new", "--title", "X"]] {
        let run = plasma(&notes, args);
        assert_eq!(run.code, 3, "{}", run.stderr);
        assert!(
            run.stderr
                .contains("notes.md: this file is not a Plasma Plan database"),
            "{}",
            run.stderr
        );
        assert_eq!(std::fs::read_to_string(&notes).unwrap(), text);
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["notes.md"], "no side files");
}

/// A command leaves the database whole in its main file: no transactions
/// waiting in the WAL for the next reader to replay (a reader that cannot
/// write the folder could not replay them at all). sqlx may finish closing
/// a connection after the process has exited, so without the explicit
/// checkpoint about half of these imports left a 390 KB WAL behind.
#[test]
fn a_command_leaves_no_transactions_in_the_wal() {
    let dir = tempfile::tempdir().unwrap();
    let model = fixtures().join("threats/small-td.json");
    for round in 0..10 {
        let db = dir.path().join(format!("p{round}.db"));
        plasma(&db, &["threats", "import", model.to_str().unwrap()]).ok();
        let wal = dir.path().join(format!("p{round}.db-wal"));
        let left = std::fs::metadata(&wal).map_or(0, |m| m.len());
        assert_eq!(left, 0, "round {round}: {left} bytes left in the WAL");
    }
}

/// Pointing `adr import` at a repository's root, an empty folder, a file or
/// a path that is not there says what to import instead; pointing a file
/// import at a folder says to choose a file.
#[test]
fn import_paths_that_hold_no_records_say_where_to_look() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let repo = dir.path().join("repo");
    let adrs = repo.join("doc/architecture/decisions");
    std::fs::create_dir_all(&adrs).unwrap();
    std::fs::write(repo.join("README.md"), "# A service\n").unwrap();
    std::fs::write(adrs.join("0001-record.md"), "# 1. Record decisions\n").unwrap();
    let root = repo.to_str().unwrap();

    let usual = plasma(&db, &["adr", "import", root]).ok();
    assert!(
        usual.stdout.contains(&format!(
            "skipped {root}: no ADRs in this folder; doc/architecture/decisions holds 1 Markdown file (a usual place for ADRs): import {}",
            adrs.display()
        )),
        "{}",
        usual.stdout
    );
    std::fs::rename(&adrs, repo.join("records")).unwrap();
    std::fs::create_dir_all(repo.join("docs")).unwrap();
    std::fs::rename(repo.join("records"), repo.join("docs/records")).unwrap();
    std::fs::write(repo.join(".adr-dir"), "docs/records\n").unwrap();
    let named = plasma(&db, &["adr", "import", root]).ok();
    assert!(
        named
            .stdout
            .contains("docs/records holds 1 Markdown file (the folder .adr-dir names)"),
        "{}",
        named.stdout
    );

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let none = plasma(&db, &["adr", "import", empty.to_str().unwrap()]).ok();
    assert!(
        none.stdout
            .contains("no ADRs (.md files) in this folder: nothing was imported"),
        "{}",
        none.stdout
    );

    let missing = plasma(
        &db,
        &["adr", "import", dir.path().join("nope").to_str().unwrap()],
    );
    assert_eq!(missing.code, 3);
    assert!(
        missing.stderr.ends_with("nope: no such folder\n"),
        "{}",
        missing.stderr
    );
    let file = repo.join("docs/records/0001-record.md");
    let a_file = plasma(&db, &["adr", "import", file.to_str().unwrap()]);
    assert_eq!(a_file.code, 3);
    assert!(
        a_file
            .stderr
            .contains("a file, not a folder: choose the folder that holds the ADRs"),
        "{}",
        a_file.stderr
    );
    let folder = plasma(&db, &["threats", "import", root]);
    assert_eq!(folder.code, 3);
    assert_eq!(
        folder.stderr,
        format!("error: {root} is a folder: choose a file in it\n")
    );
    let listed = plasma(&db, &["adr", "list", "--json"]).ok().json();
    assert_eq!(listed, serde_json::json!([]), "nothing was imported");
}

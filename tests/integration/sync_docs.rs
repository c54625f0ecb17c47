//! Compliance matrices, the roadmap and SLOs through `plasma sync` against
//! the in-process fake GitHub (a real bare git repository behind the REST
//! API): publish as real commits, edits on GitHub merged item by item
//! (matrix rows, initiatives, SLO fields) with local edits, conflicts kept
//! with both versions.

use std::path::Path;

use plasma_exports::compliance::matrix_import::{parse_matrix_csv, rows_csv, MatrixRow};
use plasma_github_fake::{FakeGitHub, Fault};

use crate::support::{plasma_signed_in as run, start_fake_github};

const CSV_PATH: &str = "compliance/plasma-sdlc.csv";
const MD_PATH: &str = "compliance/plasma-sdlc.md";
const BRANCH: &str = "drafts/compliance-plasma-sdlc";
const GATEWAY: &str = "plasma-engine-gateway";
const RESEARCH: &str = "plasma-engine-research";
const SLO: &str = "plasma-engine-gateway/requests-availability";
const SLO_PATH: &str = "slo/plasma-engine-gateway-requests-availability.yaml";
const ROADMAP_PATH: &str = "roadmap/roadmap.md";

fn start_fake(dir: &Path) -> FakeGitHub {
    start_fake_github(dir, "governance")
}

/// A demo database linked to `acme/governance` on a fresh fake GitHub.
fn linked_demo() -> (tempfile::TempDir, std::path::PathBuf, FakeGitHub) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plasma.db");
    let fake = start_fake(dir.path());
    run(&db, &["demo"]).ok();
    run(
        &db,
        &[
            "sync",
            "link",
            "acme/governance",
            "--api-url",
            fake.api_url(),
        ],
    )
    .ok();
    (dir, db, fake)
}

fn doc_status(db: &Path, key: &str) -> serde_json::Value {
    let s = run(db, &["sync", "status", "--json"]).ok().json();
    s["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == key)
        .cloned()
        .unwrap_or_else(|| panic!("{key} not in {s}"))
}

/// The local matrix of the SDLC framework, as the CSV export writes it.
fn local_rows(db: &Path, dir: &Path) -> Vec<MatrixRow> {
    let out = dir.join("local.csv");
    run(
        db,
        &[
            "compliance",
            "export",
            "--framework",
            "plasma-sdlc",
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .ok();
    parse_matrix_csv(&std::fs::read_to_string(out).unwrap()).unwrap()
}

fn row<'a>(rows: &'a [MatrixRow], control: &str, repo: &str) -> &'a MatrixRow {
    rows.iter()
        .find(|r| r.get("control") == control && r.get("repository") == repo)
        .unwrap_or_else(|| panic!("no row {control} in {repo}"))
}

/// Edits one row of the matrix on GitHub's main branch (a reviewer's commit).
fn edit_remote_row(fake: &FakeGitHub, control: &str, repo: &str, column: &str, value: &str) {
    let mut rows = parse_matrix_csv(&fake.file("main", CSV_PATH).unwrap()).unwrap();
    let r = rows
        .iter_mut()
        .find(|r| r.get("control") == control && r.get("repository") == repo)
        .unwrap();
    r.set(column, value);
    fake.commit_file(
        "main",
        CSV_PATH,
        &rows_csv(&rows),
        &format!("{control} in {repo}: {column}"),
    );
}

fn set_cell(db: &Path, control: &str, repo: &str, args: &[&str]) {
    let mut all = vec!["compliance", "set", control, "--repo", repo];
    all.extend_from_slice(args);
    run(db, &all).ok();
}

#[test]
fn matrices_publish_merge_row_by_row_and_keep_conflicts() {
    let (dir, db, fake) = linked_demo();
    assert_eq!(
        doc_status(&db, "compliance:plasma-sdlc")["status"],
        "not_published"
    );

    // A framework out of scope is refused with the way to bring it in.
    let refused = run(&db, &["sync", "publish", "--framework", "hipaa-security"]);
    assert_ne!(refused.code, 0);
    assert!(
        refused.stderr.contains("compliance scope --enable"),
        "{}",
        refused.stderr
    );

    // Publish: the CSV and the Markdown report in one commit on the draft branch.
    let report = run(
        &db,
        &["sync", "publish", "--framework", "plasma-sdlc", "--json"],
    )
    .ok()
    .json();
    assert_eq!(report["published"][0]["branch"], BRANCH);
    assert_eq!(
        report["published"][0]["documents"][0],
        "compliance:plasma-sdlc"
    );
    let log = fake.git(&["log", "--format=%s", BRANCH]);
    assert_eq!(
        log.lines().next(),
        Some("Compliance matrix: Plasma secure SDLC")
    );
    let files = fake.git(&["show", "--name-only", "--format=", BRANCH]);
    let mut names: Vec<&str> = files.lines().filter(|l| !l.is_empty()).collect();
    names.sort_unstable();
    assert_eq!(names, [CSV_PATH, MD_PATH]);
    let published = fake.file(BRANCH, CSV_PATH).unwrap();
    assert_eq!(
        parse_matrix_csv(&published).unwrap(),
        local_rows(&db, dir.path())
    );
    let md = fake.file(BRANCH, MD_PATH).unwrap();
    assert!(md.contains("| SDLC-01 | Design review |"), "{md}");
    assert!(fake.pulls()[0].draft);
    assert_eq!(
        doc_status(&db, "compliance:plasma-sdlc")["status"],
        "in_review"
    );

    fake.merge_pull(1);
    let pulled = run(&db, &["sync", "pull", "--json"]).ok().json();
    assert_eq!(pulled["pull_requests"][0], "compliance:plasma-sdlc merged");
    let st = doc_status(&db, "compliance:plasma-sdlc");
    assert_eq!(
        (st["status"].as_str(), st["local_changes"].as_bool()),
        (Some("published"), Some(false))
    );

    // Different rows edited on each side: both land.
    edit_remote_row(&fake, "SDLC-01", GATEWAY, "owner", "platform guild");
    set_cell(&db, "SDLC-02", RESEARCH, &["--status", "partial"]);
    let merged = run(&db, &["sync", "pull", "--json"]).ok().json();
    assert_eq!(merged["merged"][0], "compliance:plasma-sdlc", "{merged}");
    let rows = local_rows(&db, dir.path());
    assert_eq!(
        row(&rows, "SDLC-01", GATEWAY).get("owner"),
        "platform guild"
    );
    assert_eq!(row(&rows, "SDLC-02", RESEARCH).get("status"), "partial");
    // Evidence the CSV cannot carry in full stays as it was.
    assert!(row(&rows, "SDLC-01", GATEWAY)
        .get("evidence")
        .contains("ADR log"));

    // Another edit on GitHub merges with the local edit not yet published.
    edit_remote_row(&fake, "SDLC-01", RESEARCH, "last_reviewed", "2026-11-20");
    let again = run(&db, &["sync", "pull", "--json"]).ok().json();
    assert_eq!(again["merged"][0], "compliance:plasma-sdlc", "{again}");
    assert!(doc_status(&db, "compliance:plasma-sdlc")["local_changes"]
        .as_bool()
        .unwrap());
    let rows = local_rows(&db, dir.path());
    assert_eq!(
        row(&rows, "SDLC-01", RESEARCH).get("last_reviewed"),
        "2026-11-20"
    );

    // The same row edited on both sides: a conflict, nothing overwritten.
    edit_remote_row(&fake, "SDLC-02", GATEWAY, "status", "partial");
    edit_remote_row(&fake, "SDLC-02", GATEWAY, "owner", "gateway team");
    set_cell(
        &db,
        "SDLC-02",
        GATEWAY,
        &["--status", "planned", "--owner", "security guild"],
    );
    let pull = run(&db, &["sync", "pull"]);
    assert_eq!(pull.code, 2, "{}{}", pull.stdout, pull.stderr);
    assert!(
        pull.stdout.contains("CONFLICT: compliance:plasma-sdlc"),
        "{}",
        pull.stdout
    );
    let rows = local_rows(&db, dir.path());
    assert_eq!(
        row(&rows, "SDLC-02", GATEWAY).get("status"),
        "planned",
        "the local edit is untouched until the user chooses"
    );
    let conflicts = run(&db, &["sync", "conflicts", "--json"]).ok().json();
    let items = conflicts[0]["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{conflicts}");
    let status_item = format!("rows[id=plasma-sdlc:SDLC-02@{GATEWAY}].status");
    let owner_item = format!("rows[id=plasma-sdlc:SDLC-02@{GATEWAY}].owner");
    let status = items.iter().find(|i| i["item"] == status_item).unwrap();
    assert_eq!(status["local"], "planned");
    assert_eq!(status["remote"], "partial");
    assert!(items.iter().any(|i| i["item"] == owner_item), "{conflicts}");
    assert_eq!(
        doc_status(&db, "compliance:plasma-sdlc")["status"],
        "conflict"
    );

    // Item by item: GitHub's status, our owner.
    run(
        &db,
        &[
            "sync",
            "resolve",
            "compliance:plasma-sdlc",
            "--item",
            &status_item,
            "--take",
            "theirs",
            "--item",
            &owner_item,
            "--take",
            "mine",
        ],
    )
    .ok();
    let rows = local_rows(&db, dir.path());
    assert_eq!(row(&rows, "SDLC-02", GATEWAY).get("status"), "partial");
    assert_eq!(
        row(&rows, "SDLC-02", GATEWAY).get("owner"),
        "security guild"
    );
    // Earlier merges are kept too.
    assert_eq!(row(&rows, "SDLC-02", RESEARCH).get("status"), "partial");
    assert_eq!(
        row(&rows, "SDLC-01", GATEWAY).get("owner"),
        "platform guild"
    );
    assert_eq!(
        run(&db, &["sync", "conflicts", "--json"]).ok().json(),
        serde_json::json!([])
    );

    // An edit to a column the app keeps itself is said, not taken.
    let evidence_before = row(&local_rows(&db, dir.path()), "SDLC-01", GATEWAY)
        .get("evidence")
        .to_string();
    edit_remote_row(
        &fake,
        "SDLC-01",
        GATEWAY,
        "evidence",
        "a screenshot on a wiki",
    );
    let pull = run(&db, &["sync", "pull"]).ok();
    assert!(
        pull.stdout.contains(&format!(
            "NOTE: compliance:plasma-sdlc: edits on GitHub to columns the app keeps itself were not taken: plasma-sdlc:SDLC-01@{GATEWAY} (evidence)"
        )),
        "{}",
        pull.stdout
    );
    assert_eq!(
        row(&local_rows(&db, dir.path()), "SDLC-01", GATEWAY).get("evidence"),
        evidence_before
    );

    // A row GitHub cannot mean is refused with its line; nothing changes.
    let mut bad = parse_matrix_csv(&fake.file("main", CSV_PATH).unwrap()).unwrap();
    bad[3].set("status", "mostly done");
    fake.commit_file("main", CSV_PATH, &rows_csv(&bad), "Bad edit");
    let before = local_rows(&db, dir.path());
    run(&db, &["sync", "pull"]).ok();
    assert_eq!(local_rows(&db, dir.path()), before);
    let err = doc_status(&db, "compliance:plasma-sdlc")["last_error"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        err.contains("line 5, column status") && err.contains("mostly done"),
        "{err}"
    );

    let v = fake.violations();
    assert!(v.is_empty(), "OpenAPI violations:\n{}", v.join("\n"));
}

#[test]
fn slos_and_the_roadmap_publish_and_edits_on_github_come_back() {
    let (_dir, db, fake) = linked_demo();

    let report = run(&db, &["sync", "publish", "--slo", SLO, "--json"])
        .ok()
        .json();
    let branch = "drafts/slo-plasma-engine-gateway-requests-availability";
    assert_eq!(report["published"][0]["branch"], branch);
    let yaml = fake.file(branch, SLO_PATH).unwrap();
    assert!(yaml.contains("apiVersion: openslo/v1"), "{yaml}");
    assert!(yaml.contains("name: requests-availability"), "{yaml}");
    let log = fake.git(&["log", "--format=%s", branch]);
    assert_eq!(log.lines().next(), Some(format!("SLO: {SLO}").as_str()));

    let roadmap = run(&db, &["sync", "publish", "--roadmap", "--json"])
        .ok()
        .json();
    assert_eq!(roadmap["published"][0]["branch"], "drafts/roadmap-roadmap");
    let md = fake
        .file("drafts/roadmap-roadmap", "roadmap/roadmap.md")
        .unwrap();
    assert!(md.contains("## Plan"), "{md}");

    fake.merge_pull(1);
    fake.merge_pull(2);
    run(&db, &["sync", "pull"]).ok();
    assert_eq!(
        doc_status(&db, &format!("slo:{SLO}"))["status"],
        "published"
    );

    // A reviewer lowers the objective on GitHub: it comes back, and what
    // OpenSLO does not carry (expected events, alert routes) stays.
    let before = run(&db, &["slo", "list", "--json"]).ok().json();
    let find = |list: &serde_json::Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|r| r["slo"]["name"] == "requests-availability")
            .cloned()
            .unwrap()
    };
    let old = find(&before);
    let remote = fake.file("main", SLO_PATH).unwrap();
    assert!(remote.contains("target: 0.999"), "{remote}");
    fake.commit_file(
        "main",
        SLO_PATH,
        &remote.replace("target: 0.999", "target: 0.995"),
        "Relax the availability objective",
    );
    let pulled = run(&db, &["sync", "pull", "--json"]).ok().json();
    assert_eq!(
        pulled["taken"],
        serde_json::json!([format!("slo:{SLO}")]),
        "{pulled}"
    );
    let new = find(&run(&db, &["slo", "list", "--json"]).ok().json());
    assert_eq!(new["slo"]["objective"], 99.5);
    assert_eq!(new["slo"]["expected_events"], old["slo"]["expected_events"]);
    assert_eq!(new["slo"]["alerting"], old["slo"]["alerting"]);
    assert_eq!(new["revision"], old["revision"].as_u64().unwrap() + 1);
    let history = run(&db, &["slo", "history", SLO]).ok().stdout;
    assert!(history.contains("objective"), "{history}");

    // The roadmap: a reviewer marks one initiative done on GitHub while the
    // owner of another changes here; both land, the computed parts follow.
    let remote = fake.file("main", ROADMAP_PATH).unwrap();
    let row = "| planned | Platform team | 2026-Q1 | 2026-01-01 | 2026-01-11 | 10 d |";
    assert!(remote.contains(row), "{remote}");
    fake.commit_file(
        "main",
        ROADMAP_PATH,
        &remote.replace(row, &row.replace("| planned |", "| done |")),
        "Local dev is done",
    );
    run(
        &db,
        &[
            "roadmap",
            "edit",
            "secrets-and-policies",
            "--owner",
            "Security guild",
        ],
    )
    .ok();
    let merged = run(&db, &["sync", "pull", "--json"]).ok().json();
    assert_eq!(merged["merged"], serde_json::json!(["roadmap"]), "{merged}");
    let show = |key: &str| run(&db, &["roadmap", "show", key, "--json"]).ok().json();
    assert_eq!(show("local-dev")["initiative"]["status"], "done");
    assert_eq!(
        show("secrets-and-policies")["initiative"]["owner"],
        "Security guild"
    );
    // What the file does not show (gate links) is untouched.
    assert_eq!(
        show("secrets-and-policies")["initiative"]["adrs"],
        serde_json::json!([6])
    );

    // The same initiative's status edited on both sides: a conflict.
    let remote = fake.file("main", ROADMAP_PATH).unwrap();
    let done_row = "| done | Platform team | 2026-Q1 |";
    assert!(remote.contains(done_row), "{remote}");
    fake.commit_file(
        "main",
        ROADMAP_PATH,
        &remote.replace(done_row, "| cancelled | Platform team | 2026-Q1 |"),
        "Cancel local dev",
    );
    run(
        &db,
        &["roadmap", "edit", "local-dev", "--status", "in_progress"],
    )
    .ok();
    let pull = run(&db, &["sync", "pull"]);
    assert_eq!(pull.code, 2, "{}{}", pull.stdout, pull.stderr);
    assert_eq!(show("local-dev")["initiative"]["status"], "in_progress");
    let conflicts = run(&db, &["sync", "conflicts", "--json"]).ok().json();
    assert_eq!(
        conflicts[0]["items"][0]["item"], "initiatives[id=local-dev].status",
        "{conflicts}"
    );
    run(&db, &["sync", "resolve", "roadmap", "--take", "local"]).ok();
    assert_eq!(show("local-dev")["initiative"]["status"], "in_progress");
    assert_eq!(
        show("secrets-and-policies")["initiative"]["owner"],
        "Security guild"
    );

    // Both sides edit different fields of the SLO: merged.
    let remote = fake.file("main", SLO_PATH).unwrap();
    fake.commit_file(
        "main",
        SLO_PATH,
        &remote.replace("displayName: ", "displayName: Gateway - "),
        "Rename for the dashboard",
    );
    run(&db, &["slo", "set", SLO, "--objective", "99.7"]).ok();
    let merged = run(&db, &["sync", "pull", "--json"]).ok().json();
    assert_eq!(
        merged["merged"],
        serde_json::json!([format!("slo:{SLO}")]),
        "{merged}"
    );
    let now = find(&run(&db, &["slo", "list", "--json"]).ok().json());
    assert_eq!(now["slo"]["objective"], 99.7);
    assert!(
        now["slo"]["display_name"]
            .as_str()
            .unwrap()
            .starts_with("Gateway - "),
        "{now}"
    );

    let v = fake.violations();
    assert!(v.is_empty(), "OpenAPI violations:\n{}", v.join("\n"));
}

#[test]
fn an_offline_matrix_publish_is_queued_and_sent_by_the_next_pull() {
    let (_dir, db, fake) = linked_demo();
    for _ in 0..4 {
        fake.inject("GET", "/git/ref/heads/main", Fault::Status(503));
    }
    let report = run(&db, &["sync", "publish", "--framework", "soc2", "--json"])
        .ok()
        .json();
    assert_eq!(report["queued"], serde_json::json!(["compliance:soc2"]));
    assert!(fake.pulls().is_empty());
    assert_eq!(doc_status(&db, "compliance:soc2")["status"], "queued");

    let pulled = run(&db, &["sync", "pull", "--json"]).ok().json();
    assert_eq!(
        pulled["sent_from_queue"],
        serde_json::json!(["compliance:soc2"])
    );
    let csv = fake
        .file("drafts/compliance-soc2", "compliance/soc2.csv")
        .unwrap();
    assert!(parse_matrix_csv(&csv)
        .unwrap()
        .iter()
        .all(|r| r.get("framework") == "soc2"));
    assert_eq!(doc_status(&db, "compliance:soc2")["status"], "in_review");
}

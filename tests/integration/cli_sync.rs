//! `plasma sync ...` as a separate process against the in-process fake
//! GitHub (a real bare git repository behind the REST API, validated against
//! GitHub's OpenAPI description when `../shared/github` is present).

use std::path::Path;
use std::process::Command;

use plasma_github_fake::{FakeGitHub, Fault, FAKE_TOKEN};
use plasma_workbench::Workbench;

use crate::support::{fixtures, plasma_bin, plasma_signed_in as sync, start_fake_github};

const ADR_PATH: &str = "docs/adr/0001-use-postgres.md";
const ADR_BRANCH: &str = "drafts/adr-0001-use-postgres";

fn start_fake(dir: &Path) -> FakeGitHub {
    start_fake_github(dir, "platform")
}

/// Edits ADR 1's context locally, as the app would (same workbench, same file).
fn edit_context(db: &Path, from: &str, to: &str) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let wb = Workbench::open(db).await.unwrap();
        let adr = wb.get_adr_by_number(1).await.unwrap();
        let mut draft = adr.draft();
        assert!(
            draft.context.contains(from) || draft.decision_outcome.contains(from),
            "{from}"
        );
        draft.context = draft.context.replace(from, to);
        draft.decision_outcome = draft.decision_outcome.replace(from, to);
        wb.save_adr(adr.id, adr.revision, draft).await.unwrap();
        wb.close().await;
    });
}

fn doc_status(db: &Path, key: &str) -> serde_json::Value {
    let s = sync(db, &["sync", "status", "--json"]).ok().json();
    s["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == key)
        .cloned()
        .unwrap()
}

#[test]
fn publish_review_merge_pull_and_conflicts_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plasma.db");
    let fake = start_fake(dir.path());

    sync(&db, &["adr", "new", "--title", "Use Postgres"]).ok();
    sync(
        &db,
        &["sync", "link", "acme/platform", "--api-url", fake.api_url()],
    )
    .ok();
    assert_eq!(doc_status(&db, "adr:1")["status"], "not_published");

    // Publish: one real commit on the draft branch and a draft pull request.
    let report = sync(&db, &["sync", "publish", "--adr", "1", "--json"])
        .ok()
        .json();
    let published = &report["published"][0];
    assert_eq!(published["branch"], ADR_BRANCH);
    assert_eq!(published["pull_state"], "open");
    let log = fake.git(&["log", "--format=%s", ADR_BRANCH]);
    assert_eq!(log.lines().next(), Some("ADR-0001: Use Postgres"));
    let shown = sync(&db, &["adr", "show", "1"]).ok().stdout;
    assert_eq!(
        fake.file(ADR_BRANCH, ADR_PATH).unwrap().trim_end(),
        shown.trim_end()
    );
    assert!(fake.pulls()[0].draft);
    let st = doc_status(&db, "adr:1");
    assert_eq!(st["status"], "in_review");
    assert!(st["pull_url"].as_str().unwrap().ends_with("/pull/1"));

    // The reviewer merges: the next pull marks the ADR published.
    fake.merge_pull(1);
    let pulled = sync(&db, &["sync", "pull", "--json"]).ok().json();
    assert_eq!(pulled["pull_requests"][0], "adr:1 merged");
    assert_eq!(doc_status(&db, "adr:1")["status"], "published");
    assert_eq!(doc_status(&db, "adr:1")["local_changes"], false);

    // Nothing moved since: a conditional request, answered 304.
    let again = sync(&db, &["sync", "pull", "--json"]).ok().json();
    assert_eq!(again["base_unchanged"], true);

    // Different sections edited on each side merge cleanly.
    let remote = fake.file("main", ADR_PATH).unwrap() + "\n";
    let remote = remote.replace(
        "Chosen option: \"{title of option 1}\"",
        "Chosen option: \"Postgres\"",
    );
    fake.commit_file("main", ADR_PATH, &remote, "Edit on GitHub");
    edit_context(
        &db,
        "{Describe the context and problem statement",
        "{We need durable storage for orders",
    );
    let merged = sync(&db, &["sync", "pull", "--json"]).ok().json();
    assert_eq!(merged["merged"][0], "adr:1", "{merged}");
    let shown = sync(&db, &["adr", "show", "1"]).ok().stdout;
    assert!(
        shown.contains("durable storage for orders")
            && shown.contains("Chosen option: \"Postgres\""),
        "{shown}"
    );

    // The same section edited on both sides: a conflict, both kept.
    let remote = fake.file("main", ADR_PATH).unwrap() + "\n";
    fake.commit_file(
        "main",
        ADR_PATH,
        &remote.replace("Chosen option: \"Postgres\"", "Chosen option: \"MySQL\""),
        "Other choice",
    );
    edit_context(
        &db,
        "Chosen option: \"Postgres\"",
        "Chosen option: \"Postgres 16\"",
    );
    let run = sync(&db, &["sync", "pull"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("CONFLICT: adr:1"));
    let shown = sync(&db, &["adr", "show", "1"]).ok().stdout;
    assert!(
        shown.contains("Postgres 16"),
        "local edit untouched until the user chooses"
    );
    let conflicts = sync(&db, &["sync", "conflicts", "--json"]).ok().json();
    let item = &conflicts[0]["items"][0];
    assert_eq!(item["item"], "section:decision outcome");
    assert!(item["local"].as_str().unwrap().contains("Postgres 16"));
    assert!(item["remote"].as_str().unwrap().contains("MySQL"));
    assert_eq!(doc_status(&db, "adr:1")["status"], "conflict");
    // Unlinking would throw the unresolved conflict away: refused, nothing changed.
    let run = sync(&db, &["sync", "unlink", "acme/platform"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("acme/platform is not unlinked")
            && run.stderr.contains("1 unresolved conflict"),
        "{}",
        run.stderr
    );
    assert_eq!(doc_status(&db, "adr:1")["status"], "conflict");
    sync(&db, &["sync", "resolve", "adr:1", "--take", "remote"]).ok();
    let shown = sync(&db, &["adr", "show", "1"]).ok().stdout;
    assert!(
        shown.contains("MySQL") && shown.contains("durable storage"),
        "{shown}"
    );
    assert_eq!(
        sync(&db, &["sync", "conflicts", "--json"]).ok().json(),
        serde_json::json!([])
    );
    // The local version taken over is still in the history.
    let history = sync(&db, &["adr", "history", "1"]).ok().stdout;
    assert!(history.lines().count() >= 4, "{history}");

    // No token ever reaches the database.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let p = entry.unwrap().path();
        if p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("plasma.db")
        {
            let bytes = std::fs::read(&p).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(FAKE_TOKEN),
                "{}",
                p.display()
            );
        }
    }

    // Unlinked: the link and its sync state go, the record stays.
    let run = sync(&db, &["sync", "unlink", "ACME/platform"]).ok();
    assert!(run.stdout.contains("Unlinked"), "{}", run.stdout);
    let run = sync(&db, &["sync", "status", "--json"]);
    assert!(
        run.code != 0 || !run.stdout.contains("acme/platform"),
        "{}",
        run.stdout
    );
    assert!(sync(&db, &["adr", "show", "1"])
        .ok()
        .stdout
        .contains("MySQL"));
    let run = sync(&db, &["sync", "unlink", "acme/platform"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("is not linked"), "{}", run.stderr);
    // Linked again, it starts afresh: the old sync state went with the link.
    sync(
        &db,
        &["sync", "link", "acme/platform", "--api-url", fake.api_url()],
    )
    .ok();
    assert_eq!(doc_status(&db, "adr:1")["status"], "not_published");

    let v = fake.violations();
    assert!(v.is_empty(), "OpenAPI violations:\n{}", v.join("\n"));
}

#[test]
fn offline_publishes_are_queued_and_sent_by_the_next_sync() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plasma.db");
    let fake = start_fake(dir.path());
    sync(&db, &["adr", "new", "--title", "Use Postgres"]).ok();
    sync(
        &db,
        &["sync", "link", "acme/platform", "--api-url", fake.api_url()],
    )
    .ok();
    for _ in 0..4 {
        fake.inject("GET", "/git/ref/heads/main", Fault::Status(503));
    }
    let report = sync(&db, &["sync", "publish", "--adr", "1", "--json"])
        .ok()
        .json();
    assert_eq!(report["queued"][0], "adr:1");
    assert!(fake.pulls().is_empty());
    let status = sync(&db, &["sync", "status", "--json"]).ok().json();
    assert_eq!(status["queued"], 1);
    assert_eq!(doc_status(&db, "adr:1")["status"], "queued");
    // A queued publish is not thrown away by unlinking.
    let run = sync(&db, &["sync", "unlink", "acme/platform"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("1 queued publish"), "{}", run.stderr);
    assert_eq!(
        sync(&db, &["sync", "status", "--json"]).ok().json()["queued"],
        1
    );

    let pulled = sync(&db, &["sync", "pull", "--json"]).ok().json();
    assert_eq!(pulled["sent_from_queue"][0], "adr:1");
    assert_eq!(fake.pulls().len(), 1);
    assert_eq!(
        sync(&db, &["sync", "status", "--json"]).ok().json()["queued"],
        0
    );
    assert_eq!(doc_status(&db, "adr:1")["status"], "in_review");
}

#[test]
fn threat_models_publish_model_report_and_diagram() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plasma.db");
    let fake = start_fake(dir.path());
    let td = fixtures().join("threats").join("small-td.json");
    sync(&db, &["threats", "import", td.to_str().unwrap()]).ok();
    sync(
        &db,
        &[
            "sync",
            "link",
            "acme/platform",
            "--api-url",
            fake.api_url(),
            "--layout",
            r#"{"threat_model_dir":"security/models"}"#,
        ],
    )
    .ok();
    let report = sync(&db, &["sync", "publish", "--model", "Small Shop", "--json"])
        .ok()
        .json();
    let branch = report["published"][0]["branch"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(branch, "drafts/threat-model-small-shop");
    let json = fake
        .file(&branch, "security/models/small-shop/model.json")
        .unwrap();
    assert!(
        json.contains("\"title\": \"Small Shop\"") || json.contains("\"title\":\"Small Shop\""),
        "{json}"
    );
    assert!(fake
        .file(&branch, "security/models/small-shop/report.md")
        .unwrap()
        .contains("Small Shop"));
    assert!(fake
        .file(&branch, "security/models/small-shop/diagram.svg")
        .unwrap()
        .starts_with("<svg"));

    // A reviewer edits the model on GitHub, it merges; the pull takes it.
    fake.merge_pull(1);
    sync(&db, &["sync", "pull"]).ok();
    let edited = json.replacen("Small Shop", "Small Shop (reviewed)", 1);
    fake.commit_file(
        "main",
        "security/models/small-shop/model.json",
        &edited,
        "Review",
    );
    let pulled = sync(&db, &["sync", "pull", "--json"]).ok().json();
    assert_eq!(pulled["taken"].as_array().unwrap().len(), 1, "{pulled}");
    let models = sync(&db, &["threats", "models", "--json"]).ok().stdout;
    assert!(models.contains("Small Shop (reviewed)"), "{models}");
    assert_eq!(
        doc_status(&db, pulled["taken"][0].as_str().unwrap())["local_changes"],
        false
    );

    // Items merge by id: a threat edited here, an element renamed on GitHub.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let threat_title = rt.block_on(async {
        let wb = Workbench::open(&db).await.unwrap();
        let stored = wb.get_threat_model("Small Shop (reviewed)").await.unwrap();
        let mut m = stored.model.clone();
        let t = m.threats.first_mut().expect("a threat");
        t.title = format!("{} (confirmed in review)", t.title);
        let title = t.title.clone();
        wb.save_threat_model(m.id, stored.revision, &m)
            .await
            .unwrap();
        wb.close().await;
        title
    });
    let path = "security/models/small-shop/model.json";
    let on_main = fake.file("main", path).unwrap() + "\n";
    assert!(on_main.contains("\"Orders DB\""));
    fake.commit_file(
        "main",
        path,
        &on_main.replace("\"Orders DB\"", "\"Orders database\""),
        "Rename store",
    );
    let pulled = sync(&db, &["sync", "pull", "--json"]).ok().json();
    assert_eq!(pulled["merged"].as_array().unwrap().len(), 1, "{pulled}");
    let rows = sync(
        &db,
        &[
            "threats",
            "export",
            "Small Shop (reviewed)",
            "--format",
            "td",
            "--out",
            dir.path().join("out.json").to_str().unwrap(),
        ],
    );
    rows.ok();
    let exported = std::fs::read_to_string(dir.path().join("out.json")).unwrap();
    assert!(exported.contains("Orders database"), "remote rename merged");
    assert!(exported.contains(&threat_title), "local threat edit kept");
}

#[test]
fn clear_errors_without_a_link_or_a_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plasma.db");
    let run = sync(&db, &["sync", "publish", "--adr", "1"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("plasma sync link"), "{}", run.stderr);
    let run = sync(&db, &["sync", "link", "not-a-repo"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("OWNER/REPO"), "{}", run.stderr);
}

#[test]
fn login_with_a_token_checks_it_with_github_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plasma.db");
    let fake = start_fake(dir.path());
    let login = |input: &str| {
        let mut child = Command::new(plasma_bin())
            .args([
                "--db",
                db.to_str().unwrap(),
                "sync",
                "login",
                "--with-token",
                "--api-url",
                fake.api_url(),
            ])
            .env_remove("PLASMA_DB")
            .env_remove("GITHUB_TOKEN")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stderr) = login("ghp_not_the_right_one\n");
    assert_ne!(code, 0);
    assert!(stderr.contains("401"), "{stderr}");
    assert!(
        !stderr.contains("ghp_not_the_right_one"),
        "the token is never echoed"
    );
    let (code, stderr) = login("\n");
    assert_ne!(code, 0);
    assert!(stderr.contains("empty"), "{stderr}");
}

#[test]
fn publish_all_sends_each_changed_document_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plasma.db");
    let fake = start_fake(dir.path());
    sync(&db, &["adr", "new", "--title", "Use Postgres"]).ok();
    sync(&db, &["adr", "new", "--title", "Adopt OpenTelemetry"]).ok();
    sync(
        &db,
        &["sync", "link", "acme/platform", "--api-url", fake.api_url()],
    )
    .ok();
    let report = sync(&db, &["sync", "publish", "--all", "--json"])
        .ok()
        .json();
    let branches: Vec<&str> = report["published"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["branch"].as_str().unwrap())
        .collect();
    assert_eq!(
        branches,
        [
            "drafts/adr-0001-use-postgres",
            "drafts/adr-0002-adopt-opentelemetry"
        ]
    );
    assert_eq!(fake.pulls().len(), 2);
    let again = sync(&db, &["sync", "publish", "--all"]).ok();
    assert!(
        again.stdout.contains("Nothing to publish"),
        "{}",
        again.stdout
    );
    assert_eq!(fake.pulls().len(), 2);
}

//! `plasma sync` progress on stderr and per-item conflict resolution, as a
//! separate process against the in-process fake GitHub.

use std::path::Path;

use plasma_workbench::Workbench;

use crate::support::{plasma_signed_in as sync, start_fake_github};

const ADR_PATH: &str = "docs/adr/0001-use-postgres.md";

async fn set_sections(db: &Path, context: &str, decision: &str) {
    let wb = Workbench::open(db).await.unwrap();
    let adr = wb.get_adr_by_number(1).await.unwrap();
    let mut draft = adr.draft();
    draft.context = context.into();
    draft.decision_outcome = decision.into();
    wb.save_adr(adr.id, adr.revision, draft).await.unwrap();
    wb.close().await;
}

#[tokio::test]
async fn progress_goes_to_stderr_and_conflicts_resolve_item_by_item() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plasma.db");
    let fake = start_fake_github(dir.path(), "platform");
    sync(&db, &["adr", "new", "--title", "Use Postgres"]).ok();
    set_sections(&db, "We need a DB.", "Postgres.").await;
    sync(
        &db,
        &["sync", "link", "acme/platform", "--api-url", fake.api_url()],
    )
    .ok();

    let published = sync(&db, &["sync", "publish", "--adr", "1"]).ok();
    assert!(
        published
            .stderr
            .contains("[1/1] ADR-0001: Use Postgres: read branch main"),
        "{}",
        published.stderr
    );
    assert!(
        published
            .stderr
            .contains("move drafts/adr-0001-use-postgres to the new commit"),
        "{}",
        published.stderr
    );
    assert!(
        !published.stdout.contains("[1/1]"),
        "progress stays off stdout"
    );
    fake.merge_pull(1);
    sync(&db, &["sync", "pull"]).ok();

    set_sections(&db, "We need a relational DB.", "Postgres 15.").await;
    let theirs = fake
        .file("main", ADR_PATH)
        .unwrap()
        .replace("We need a DB.", "We need a DB for orders.")
        .replace("Postgres.", "Postgres 16.");
    fake.commit_file("main", ADR_PATH, &theirs, "Review edits");
    assert_eq!(sync(&db, &["sync", "pull"]).code, 2);

    let listed = sync(&db, &["sync", "conflicts"]).ok().stdout;
    for want in [
        "item section:context and problem statement",
        "item section:decision outcome",
        "base:",
        "mine:",
        "theirs:",
        "Postgres 15.",
        "Postgres 16.",
    ] {
        assert!(listed.contains(want), "{want:?} in {listed}");
    }

    // Counts that do not pair up are refused before anything changes.
    let bad = sync(
        &db,
        &[
            "sync", "resolve", "adr:1", "--item", "a", "--item", "b", "--take", "mine", "--take",
            "theirs", "--take", "mine",
        ],
    );
    assert_ne!(bad.code, 0);
    assert!(
        bad.stderr.contains("2 --item but 3 --take"),
        "{}",
        bad.stderr
    );

    let half = sync(
        &db,
        &[
            "sync",
            "resolve",
            "adr:1",
            "--item",
            "section:context and problem statement",
            "--take",
            "mine",
        ],
    )
    .ok();
    assert!(
        half.stdout
            .contains("still in conflict: section:decision outcome"),
        "{}",
        half.stdout
    );
    let done = sync(
        &db,
        &[
            "sync",
            "resolve",
            "adr:1",
            "--item",
            "section:decision outcome",
            "--take",
            "theirs",
        ],
    )
    .ok();
    assert!(done.stdout.contains("Resolved adr:1"), "{}", done.stdout);
    let shown = sync(&db, &["adr", "show", "1"]).ok().stdout;
    assert!(
        shown.contains("We need a relational DB.") && shown.contains("Postgres 16."),
        "{shown}"
    );
    assert!(sync(&db, &["sync", "conflicts"])
        .ok()
        .stdout
        .contains("No conflicts."));
}

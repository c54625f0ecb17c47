//! Resolving one stored sync conflict from two processes (the desktop app
//! and `plasma sync resolve`): two stores on one file, each reading the
//! conflict before the other writes. A resolution worked out from a state
//! the other has since written is refused and changes nothing, so neither
//! silently discards the other's choices.

mod common;

use common::workspace;
use plasma_storage::{Store, SyncConflict, SyncDocument, SyncLink};
use uuid::Uuid;

const REPO: &str = "acme/plans";
const KEY: &str = "adr:1";

async fn two_stores_with_a_conflict() -> (tempfile::TempDir, Store, Store, Uuid) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plasma.db");
    let app = Store::open(&path).await.expect("app");
    let cli = Store::open(&path).await.expect("cli");
    let ws = workspace("Payments");
    app.create_workspace(&ws).await.expect("workspace");
    app.upsert_sync_link(
        ws.id,
        &SyncLink {
            repo: REPO.into(),
            base_branch: "main".into(),
            api_url: "https://api.github.com".into(),
            layout: "{}".into(),
            base_etag: None,
            base_commit: None,
        },
    )
    .await
    .expect("link");
    app.put_sync_conflict(
        ws.id,
        &SyncConflict {
            repo: REPO.into(),
            doc_key: KEY.into(),
            items: r#"["context","decision"]"#.into(),
            prefer_local: "local text".into(),
            prefer_remote: "remote text".into(),
            remote_text: "remote text".into(),
            remote_sha: "abc".into(),
            created_at: String::new(),
            version: 0,
        },
    )
    .await
    .expect("conflict");
    (dir, app, cli, ws.id)
}

async fn the_conflict(store: &Store, ws: Uuid) -> Option<SyncConflict> {
    store
        .list_sync_conflicts(ws)
        .await
        .expect("conflicts")
        .into_iter()
        .find(|c| c.doc_key == KEY)
}

fn with_items(read: &SyncConflict, items: &str, local: &str) -> SyncConflict {
    SyncConflict {
        items: items.into(),
        prefer_local: local.into(),
        ..read.clone()
    }
}

fn synced_state() -> SyncDocument {
    SyncDocument {
        repo: REPO.into(),
        doc_key: KEY.into(),
        kind: "adr".into(),
        path: "docs/adr/0001-x.md".into(),
        base_text: Some("remote text".into()),
        base_sha: Some("abc".into()),
        published: "{}".into(),
        published_text: None,
        branch: None,
        pr_number: None,
        pr_url: None,
        pr_state: None,
        status: "synced".into(),
        last_error: None,
        updated_at: String::new(),
    }
}

#[tokio::test]
async fn a_partial_resolution_from_a_stale_read_is_refused() {
    let (_dir, app, cli, ws) = two_stores_with_a_conflict().await;
    // Both read the conflict with its two items.
    let app_read = the_conflict(&app, ws).await.expect("app reads");
    let cli_read = the_conflict(&cli, ws).await.expect("cli reads");

    // The app resolves "context" (mine)...
    let saved = app
        .update_sync_conflict(
            ws,
            &with_items(&app_read, r#"["decision"]"#, "app's context"),
        )
        .await
        .expect("app resolves");
    assert_eq!(saved.version, app_read.version + 1);

    // ...so the CLI's resolution of "decision", worked out without the
    // app's choice, would discard it: refused.
    let err = cli
        .update_sync_conflict(ws, &with_items(&cli_read, r#"["context"]"#, "cli's text"))
        .await
        .expect_err("stale");
    assert_eq!(err.code(), "conflict");
    let message = err.to_string();
    assert!(
        message.contains("the sync conflict for adr:1 in acme/plans was changed elsewhere")
            && message.contains("another window resolved some of its items")
            && message.contains("nothing was saved: reload it"),
        "{message}"
    );
    // Nothing changed: the app's choice is what is stored.
    assert_eq!(the_conflict(&cli, ws).await, Some(saved.clone()));

    // Re-read, the CLI's resolution goes through on top of the app's.
    let fresh = the_conflict(&cli, ws).await.expect("re-read");
    let both = cli
        .update_sync_conflict(
            ws,
            &with_items(&fresh, "[]", "app's context, cli's decision"),
        )
        .await
        .expect("cli resolves");
    assert_eq!(the_conflict(&app, ws).await, Some(both));
}

#[tokio::test]
async fn settling_from_a_stale_read_is_refused_before_anything_is_saved() {
    let (_dir, app, cli, ws) = two_stores_with_a_conflict().await;
    let app_read = the_conflict(&app, ws).await.expect("app reads");
    let cli_read = the_conflict(&cli, ws).await.expect("cli reads");

    let saved = cli
        .update_sync_conflict(ws, &with_items(&cli_read, r#"["decision"]"#, "cli's"))
        .await
        .expect("cli resolves one item");
    // The app resolved both items from its older read: its claim (the step
    // before it saves the document) is refused.
    let err = app
        .claim_sync_conflict(ws, &app_read)
        .await
        .expect_err("stale claim");
    assert_eq!(err.code(), "conflict");
    assert_eq!(the_conflict(&app, ws).await, Some(saved));
    assert!(app
        .get_sync_document(ws, REPO, KEY)
        .await
        .expect("state")
        .is_none());
}

#[tokio::test]
async fn nobody_writes_a_conflict_while_another_window_saves_its_resolution() {
    let (_dir, app, cli, ws) = two_stores_with_a_conflict().await;
    let app_read = the_conflict(&app, ws).await.expect("app reads");
    let claim = app.claim_sync_conflict(ws, &app_read).await.expect("claim");

    // The CLI reads the conflict while the app saves the document: its
    // partial resolution and its own claim are both refused.
    let cli_read = the_conflict(&cli, ws).await.expect("still listed");
    let err = cli
        .update_sync_conflict(ws, &with_items(&cli_read, r#"["decision"]"#, "cli's"))
        .await
        .expect_err("claimed");
    assert!(
        err.to_string()
            .contains("another window is saving its resolution"),
        "{err}"
    );
    assert!(cli.claim_sync_conflict(ws, &cli_read).await.is_err());

    // The app finishes: the conflict goes and the state is saved together.
    app.finish_sync_conflict(ws, &app_read, claim, &synced_state())
        .await
        .expect("finish");
    assert_eq!(the_conflict(&cli, ws).await, None);
    let state = cli
        .get_sync_document(ws, REPO, KEY)
        .await
        .expect("state")
        .expect("saved");
    assert_eq!(state.status, "synced");

    // A resolution read before the end finds the conflict resolved.
    let err = cli
        .update_sync_conflict(ws, &with_items(&cli_read, "[]", "late"))
        .await
        .expect_err("gone");
    assert!(
        err.to_string()
            .contains("it was resolved in another window"),
        "{err}"
    );
    assert_eq!(the_conflict(&cli, ws).await, None);
}

#[tokio::test]
async fn a_released_claim_lets_the_conflict_be_resolved_again() {
    let (_dir, app, cli, ws) = two_stores_with_a_conflict().await;
    let app_read = the_conflict(&app, ws).await.expect("app reads");
    let claim = app.claim_sync_conflict(ws, &app_read).await.expect("claim");
    // Saving the document failed: the app lets go, the conflict is intact.
    app.release_sync_conflict(ws, &app_read, claim)
        .await
        .expect("release");
    // A finish on the released claim removes nothing.
    assert!(app
        .finish_sync_conflict(ws, &app_read, claim, &synced_state())
        .await
        .is_err());
    let fresh = the_conflict(&cli, ws).await.expect("kept");
    assert_eq!(fresh.items, app_read.items);
    assert_eq!(fresh.prefer_local, app_read.prefer_local);
    cli.update_sync_conflict(ws, &with_items(&fresh, r#"["decision"]"#, "cli's"))
        .await
        .expect("resolvable again");
}

#[tokio::test]
async fn a_pull_replacing_the_conflict_makes_a_resolution_of_the_old_one_stale() {
    let (_dir, app, cli, ws) = two_stores_with_a_conflict().await;
    let app_read = the_conflict(&app, ws).await.expect("app reads");
    // The CLI pulls again and stores the conflict anew (new remote text).
    cli.put_sync_conflict(
        ws,
        &SyncConflict {
            remote_text: "newer remote".into(),
            remote_sha: "def".into(),
            ..app_read.clone()
        },
    )
    .await
    .expect("pull");
    let err = app
        .update_sync_conflict(ws, &with_items(&app_read, "[]", "mine"))
        .await
        .expect_err("stale");
    assert_eq!(err.code(), "conflict");
    assert_eq!(
        the_conflict(&app, ws).await.expect("kept").remote_sha,
        "def"
    );
}

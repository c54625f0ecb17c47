//! `Store::open_read_only`: what a read-only database refuses. (Real
//! read-only files and folders are exercised through the CLI in
//! tests/integration/cli_read_only.rs.)

mod common;

use common::{draft, fresh};
use plasma_storage::Store;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

#[tokio::test]
async fn every_write_is_refused_naming_the_file_and_nothing_changes() {
    let (dir, store, ws) = fresh().await;
    store
        .create_adr(ws, draft("Use Postgres"), None, None)
        .await
        .expect("ADR");
    store.close().await;
    let path = dir.path().join("plasma.db");
    // sqlx finishes closing (checkpointing and removing the WAL) on its
    // own thread after `close` returns.
    let wal = dir.path().join("plasma.db-wal");
    for _ in 0..200 {
        if !wal.exists() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(!wal.exists(), "the writer closed cleanly");
    let before = std::fs::read(&path).expect("read");

    let ro = Store::open_read_only(&path).await.expect("read-only");
    assert!(ro.is_read_only());
    assert_eq!(ro.list_adrs(ws).await.expect("list").len(), 1);
    // A transaction's write names the file...
    let err = ro
        .create_adr(ws, draft("Use Kafka"), None, None)
        .await
        .expect_err("read-only");
    assert_eq!(
        err.to_string(),
        format!(
            "the database at {} is read-only here (this user or file system cannot write it), so it was opened for reading only: could not finish creating an ADR; nothing was changed",
            path.display()
        )
    );
    // ...a single statement says the same, and the shell adds the file.
    let err = ro
        .enqueue_publish(ws, "acme/plans", "{}", "offline")
        .await
        .expect_err("read-only");
    assert!(err.naming_file(&path).to_string().starts_with(&format!(
        "the database at {} is read-only here",
        path.display()
    )),);
    // A setting (a preference, such as the workspace a --workspace flag
    // picks) holds for the store only.
    ro.set_setting("current_workspace", "x")
        .await
        .expect("session setting");
    assert_eq!(
        ro.get_setting("current_workspace")
            .await
            .expect("get")
            .as_deref(),
        Some("x")
    );
    ro.close().await;
    assert_eq!(std::fs::read(&path).expect("read"), before);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["plasma.db"], "no side file created");
}

#[tokio::test]
async fn a_database_that_needs_an_upgrade_is_refused() {
    let (dir, store, _) = fresh().await;
    store.close().await;
    let path = dir.path().join("plasma.db");
    // As an older build left it: the last migration not yet applied.
    let mut conn = SqliteConnectOptions::new()
        .filename(&path)
        .connect()
        .await
        .expect("connect");
    sqlx::query(
        "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)",
    )
    .execute(&mut conn)
    .await
    .expect("forget");
    conn.close().await.expect("close");

    let err = Store::open_read_only(&path)
        .await
        .expect_err("needs upgrade");
    assert_eq!(
        err.to_string(),
        format!(
            "the database at {} needs an upgrade but is read-only (this user or file system cannot write it): open it once with write access to upgrade it; nothing was changed",
            path.display()
        )
    );
}

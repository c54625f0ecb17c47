//! A process killed in the middle of an import leaves the database with
//! either nothing or everything of it.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use plasma_storage::{ImportItem, Store};
use uuid::Uuid;

const CHILD_ENV: &str = "PLASMA_STORAGE_CRASH_CHILD";
const COUNT: u32 = 5_000;

fn items() -> Vec<ImportItem> {
    (1..=COUNT)
        .map(|n| ImportItem {
            number: n,
            draft: common::rich_draft(
                &format!("Bulk decision {n}"),
                &"Some context that takes a little space in the index. ".repeat(8),
                "cheap",
            ),
            source_path: format!("{n:05}-bulk.md"),
        })
        .collect()
}

/// In the child: import, then wait to be killed.
fn child(db: &str, ws: &str) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store = Store::open(std::path::Path::new(db)).await.expect("open");
        let ws = Uuid::parse_str(ws).expect("ws id");
        let items = items();
        println!("IMPORTING");
        std::io::stdout().flush().expect("flush");
        store.import_adrs(ws, items).await.expect("import");
        println!("IMPORTED");
        std::io::stdout().flush().expect("flush");
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    });
}

#[test]
fn killed_import_leaves_nothing_or_everything() {
    if let Ok(spec) = std::env::var(CHILD_ENV) {
        let (db, ws) = spec.split_once('|').expect("db|ws");
        child(db, ws);
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("crash.db");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let ws = common::workspace("Crash");
    rt.block_on(async {
        let store = Store::open(&db).await.expect("open");
        store.create_workspace(&ws).await.expect("workspace");
        store.close().await;
    });

    // Kill early (mid-transaction) and, as a control, late enough to commit.
    let mut outcomes = Vec::new();
    for delay_ms in [150u64, 60_000] {
        let exe = std::env::current_exe().expect("current exe");
        let mut child = Command::new(exe)
            .args([
                "killed_import_leaves_nothing_or_everything",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, format!("{}|{}", db.display(), ws.id))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn child");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        // Wait for the import to start.
        for line in lines.by_ref() {
            if line.expect("line").contains("IMPORTING") {
                break;
            }
        }
        if delay_ms > 1_000 {
            // Control run: wait for the commit, then kill.
            for line in lines.by_ref() {
                if line.expect("line").contains("IMPORTED") {
                    break;
                }
            }
        } else {
            std::thread::sleep(Duration::from_millis(delay_ms));
        }
        child.kill().expect("SIGKILL the child");
        child.wait().expect("reap child");

        let count = rt.block_on(async {
            let store = Store::open(&db).await.expect("reopen after crash");
            let adrs = store.list_adrs(ws.id).await.expect("list");
            let hits = store
                .search(ws.id, "bulk", COUNT + 10)
                .await
                .expect("search");
            assert_eq!(hits.len(), adrs.len(), "index in step with records");
            if let Some(last) = adrs.last() {
                assert_eq!(store.list_revisions(last.id).await.expect("revs").len(), 1);
            }
            store.close().await;
            adrs.len()
        });
        assert!(
            count == 0 || count == COUNT as usize,
            "a killed import left {count} of {COUNT} records"
        );
        outcomes.push(count);
        if count == COUNT as usize {
            // Already all there; a second run would only see Unchanged.
            break;
        }
    }
    eprintln!("records after each kill: {outcomes:?}");
    assert_eq!(outcomes.last().copied(), Some(COUNT as usize));
}

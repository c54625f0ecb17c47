//! Writes whose caller checks a rule over other rows (references, unique
//! names, supersede cycles): two stores on one file stand for the desktop
//! app and the CLI. Each test lets the second store write after the first
//! one's own read, then shows that the check sees that write (so it cannot
//! be overtaken) and that it runs while the write lock is held.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{draft, workspace};
use plasma_models::{AdrLink, DecisionGraph, LinkKind, Repository, Workspace};
use plasma_storage::{ImportItem, Store, StoreError};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

/// Whether another connection to `path` is refused SQLite's write lock
/// right now (no waiting: a busy timeout of zero). Called from inside a
/// check, it shows the check runs under the write transaction's lock.
fn write_lock_taken(path: &Path) -> bool {
    let path = path.to_path_buf();
    std::thread::scope(|s| {
        s.spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let mut conn = SqliteConnectOptions::new()
                    .filename(&path)
                    .busy_timeout(Duration::ZERO)
                    .connect()
                    .await
                    .expect("connect");
                let taken = match sqlx::query("BEGIN IMMEDIATE").execute(&mut conn).await {
                    Ok(_) => {
                        sqlx::query("ROLLBACK")
                            .execute(&mut conn)
                            .await
                            .expect("rollback");
                        false
                    }
                    Err(e) => {
                        assert!(e.to_string().contains("locked"), "{e}");
                        true
                    }
                };
                conn.close().await.expect("close");
                taken
            })
        })
        .join()
        .expect("lock probe")
    })
}

async fn two_stores() -> (tempfile::TempDir, Store, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("plasma.db");
    let app = Store::open(&path).await.expect("app");
    let cli = Store::open(&path).await.expect("cli");
    (dir, app, cli)
}

fn with_repo(name: &str, repo: &str) -> Workspace {
    Workspace {
        repositories: vec![Repository {
            name: repo.into(),
            description: String::new(),
        }],
        ..workspace(name)
    }
}

#[tokio::test]
async fn removing_a_repository_sees_a_record_named_after_the_first_read() {
    let (dir, app, cli) = two_stores().await;
    let ws = with_repo("Payments", "gateway");
    app.create_workspace(&ws).await.expect("workspace");

    // The app reads the workspace and finds nothing naming "gateway"...
    let before = app.get_workspace(ws.id).await.expect("read");
    assert!(app.list_adrs(ws.id).await.expect("adrs").is_empty());
    // ...then the CLI saves an ADR naming it.
    let mut named = draft("Use mTLS at the gateway");
    named.repositories = vec!["gateway".into()];
    cli.create_adr(ws.id, named, None, None)
        .await
        .expect("cli ADR");

    let mut after = before.clone();
    after.repositories.clear();
    let mut locked = false;
    let err = app
        .update_workspace_checked(&after, &before, true, |_, records| {
            locked = write_lock_taken(&dir.path().join("plasma.db"));
            match records
                .adrs
                .iter()
                .find(|a| a.repositories.iter().any(|r| r == "gateway"))
            {
                Some(a) => Err(StoreError::Invalid(format!("ADR {} names it", a.number))),
                None => Ok(()),
            }
        })
        .await
        .expect_err("still referenced");
    assert_eq!(err.to_string(), "ADR 1 names it");
    assert!(locked, "the check runs under the write lock");
    // Refused whole: the repository is still there.
    assert_eq!(app.get_workspace(ws.id).await.expect("read"), before);

    // Without a referrer the same edit goes through.
    cli.delete_adr(cli.list_adrs(ws.id).await.expect("adrs")[0].id)
        .await
        .expect("delete");
    app.update_workspace_checked(&after, &before, true, |_, records| {
        assert!(records.adrs.is_empty());
        Ok::<(), StoreError>(())
    })
    .await
    .expect("removed");
    assert!(app
        .get_workspace(ws.id)
        .await
        .expect("read")
        .repositories
        .is_empty());
}

#[tokio::test]
async fn records_are_read_only_when_asked_and_other_workspaces_always() {
    let (_dir, app, cli) = two_stores().await;
    let ws = with_repo("Payments", "gateway");
    app.create_workspace(&ws).await.expect("workspace");
    let mut named = draft("Use mTLS");
    named.repositories = vec!["gateway".into()];
    app.create_adr(ws.id, named, None, None).await.expect("ADR");
    let before = app.get_workspace(ws.id).await.expect("read");
    cli.create_workspace(&workspace("Billing"))
        .await
        .expect("other");

    let mut renamed = before.clone();
    renamed.name = "billing".into();
    let err = app
        .update_workspace_checked(&renamed, &before, false, |others, records| {
            assert!(records.adrs.is_empty(), "not asked for records");
            match others
                .iter()
                .any(|w| w.name.eq_ignore_ascii_case("billing"))
            {
                true => Err(StoreError::Invalid("name taken".into())),
                false => Ok(()),
            }
        })
        .await
        .expect_err("taken");
    assert_eq!(err.to_string(), "name taken");
    assert_eq!(
        app.get_workspace(ws.id).await.expect("read").name,
        "Payments"
    );
}

#[tokio::test]
async fn a_workspace_changed_elsewhere_is_refused_before_the_check() {
    let (_dir, app, cli) = two_stores().await;
    let ws = with_repo("Payments", "gateway");
    app.create_workspace(&ws).await.expect("workspace");
    let before = app.get_workspace(ws.id).await.expect("read");
    let mut other = before.clone();
    other.description = "the CLI's words".into();
    cli.update_workspace(&other, &before).await.expect("cli");

    let mut mine = before.clone();
    mine.name = "Pay".into();
    let err = app
        .update_workspace_checked(&mine, &before, true, |_, _| -> Result<(), StoreError> {
            panic!("the check must not run on a changed workspace")
        })
        .await
        .expect_err("changed elsewhere");
    assert_eq!(err.code(), "conflict");
    assert_eq!(app.get_workspace(ws.id).await.expect("read"), other);
}

#[tokio::test]
async fn a_new_workspace_name_is_checked_under_the_write_lock() {
    let (dir, app, cli) = two_stores().await;
    // The app finds the name free...
    assert!(app.list_workspaces().await.expect("list").is_empty());
    // ...the CLI creates it...
    cli.create_workspace(&workspace("Ops")).await.expect("cli");
    // ...and the app's check sees it.
    let mut locked = false;
    let err = app
        .create_workspace_checked(&workspace("OPS"), |all| {
            locked = write_lock_taken(&dir.path().join("plasma.db"));
            match all.iter().any(|w| w.name.eq_ignore_ascii_case("ops")) {
                true => Err(StoreError::Invalid("taken".into())),
                false => Ok(()),
            }
        })
        .await
        .expect_err("taken");
    assert_eq!(err.to_string(), "taken");
    assert!(locked);
    assert_eq!(app.list_workspaces().await.expect("list").len(), 1);
}

#[tokio::test]
async fn the_first_workspace_is_shared_not_created_twice() {
    let (_dir, app, cli) = two_stores().await;
    let made = cli
        .first_workspace_or_create(&workspace("Default"))
        .await
        .expect("cli");
    let found = app
        .first_workspace_or_create(&workspace("Default"))
        .await
        .expect("app");
    assert_eq!(found, made);
    assert_eq!(app.list_workspaces().await.expect("list"), vec![made]);
}

fn supersedes(target: u32) -> Vec<AdrLink> {
    vec![AdrLink {
        kind: LinkKind::Supersedes,
        target,
    }]
}

#[tokio::test]
async fn a_cycle_check_sees_links_saved_after_the_first_read() {
    let (dir, app, cli) = two_stores().await;
    let ws = workspace("Plasma");
    app.create_workspace(&ws).await.expect("workspace");
    let one = app
        .create_adr(ws.id, draft("One"), None, None)
        .await
        .expect("1");
    let two = app
        .create_adr(ws.id, draft("Two"), None, None)
        .await
        .expect("2");

    // The app reads both without links; the CLI then makes 2 supersede 1.
    let read = app.list_adrs(ws.id).await.expect("read");
    assert!(read.iter().all(|a| a.links.is_empty()));
    let mut cli_two = two.draft();
    cli_two.links = supersedes(1);
    cli.save_adr(two.id, two.revision, cli_two)
        .await
        .expect("cli link");

    // The app's "1 supersedes 2" is checked on the stored links.
    let mut app_one = one.draft();
    app_one.links = supersedes(2);
    let mut locked = false;
    let err = app
        .save_adrs_checked(ws.id, true, |stored| {
            locked = write_lock_taken(&dir.path().join("plasma.db"));
            let mut all = stored.to_vec();
            for a in all.iter_mut().filter(|a| a.id == one.id) {
                a.links = app_one.links.clone();
            }
            match DecisionGraph::build(&all).find_supersede_cycle() {
                Some(path) => Err(StoreError::Invalid(format!("cycle {path:?}"))),
                None => Ok(vec![(one.id, one.revision, app_one.clone())]),
            }
        })
        .await
        .expect_err("cycle");
    assert!(err.to_string().starts_with("cycle"), "{err}");
    assert!(locked);
    assert_eq!(app.get_adr(one.id).await.expect("1"), one, "nothing saved");

    // A plan naming another workspace's record is refused, nothing saved.
    let other = workspace("Other");
    app.create_workspace(&other).await.expect("other");
    let err = app
        .save_adrs_checked(other.id, false, |_| {
            Ok::<_, StoreError>(vec![(one.id, one.revision, draft("Moved"))])
        })
        .await
        .expect_err("not in the workspace");
    assert_eq!(err.code(), "not_found");
    assert_eq!(app.get_adr(one.id).await.expect("1"), one);
}

#[tokio::test]
async fn an_import_is_screened_against_records_stored_under_its_lock() {
    let (dir, app, cli) = two_stores().await;
    let ws = workspace("Plasma");
    app.create_workspace(&ws).await.expect("workspace");
    // The app's import read found no records; the CLI then creates ADR 1.
    assert!(app.list_adrs(ws.id).await.expect("read").is_empty());
    let mut cli_one = draft("One");
    cli_one.links = supersedes(2);
    cli.create_adr(ws.id, cli_one, None, None)
        .await
        .expect("cli");

    let mut two = draft("Two");
    two.links = supersedes(1);
    let items = vec![ImportItem {
        number: 2,
        draft: two,
        source_path: "0002-two.md".into(),
    }];
    let mut seen = Vec::new();
    let mut locked = false;
    let outcome = app
        .import_adrs_checked(ws.id, items, |stored, mut items| {
            locked = write_lock_taken(&dir.path().join("plasma.db"));
            seen = stored.iter().map(|a| a.number).collect();
            // The caller's rule: drop what closes a cycle with the stored.
            items.retain(|i| {
                !stored.iter().any(|a| {
                    a.links.iter().any(|l| l.target == i.number)
                        && i.draft.links.iter().any(|l| l.target == a.number)
                })
            });
            Ok::<_, StoreError>(items)
        })
        .await
        .expect("import");
    assert_eq!(seen, vec![1]);
    assert!(locked);
    assert!(outcome.items.is_empty(), "{outcome:?}");
    assert_eq!(app.list_adrs(ws.id).await.expect("list").len(), 1);
}

//! The store against real SQLite files.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

mod common;

use chrono::Utc;
use common::{draft, fresh, rich_draft, workspace};
use plasma_models::{AdrStatus, LinkKind, Repository};
use plasma_storage::{ImportAction, ImportItem, Store, StoreError};
use uuid::Uuid;

#[tokio::test]
async fn migrates_a_fresh_file_in_a_new_folder_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("deeper").join("plasma.db");
    let store = Store::open(&path).await.unwrap();
    assert_eq!(store.path(), path.as_path());
    let mut ws = workspace("Plasma");
    ws.repositories = vec![
        Repository {
            name: "gateway".into(),
            description: "edge".into(),
        },
        Repository {
            name: "api".into(),
            description: String::new(),
        },
    ];
    store.create_workspace(&ws).await.unwrap();
    store
        .set_setting("current_workspace", &ws.id.to_string())
        .await
        .unwrap();
    store
        .create_adr(ws.id, draft("Use SQLite"), None, None)
        .await
        .unwrap();
    store.close().await;
    drop(store);

    let again = Store::open(&path).await.unwrap();
    let back = again.get_workspace(ws.id).await.unwrap();
    assert_eq!(back.name, ws.name);
    assert_eq!(back.repositories, ws.repositories);
    assert_eq!(
        back.created_at.timestamp_micros(),
        ws.created_at.timestamp_micros()
    );
    assert_eq!(again.list_workspaces().await.unwrap().len(), 1);
    assert_eq!(
        again.get_setting("current_workspace").await.unwrap(),
        Some(ws.id.to_string())
    );
    assert_eq!(again.get_setting("missing").await.unwrap(), None);
    assert_eq!(again.list_adrs(ws.id).await.unwrap().len(), 1);
}

#[tokio::test]
async fn workspaces_validate_update_and_report_missing() {
    let (_dir, store, id) = fresh().await;
    let err = store.create_workspace(&workspace("  ")).await.unwrap_err();
    assert_eq!(err.code(), "invalid");
    let read = store.get_workspace(id).await.unwrap();
    let mut ws = read.clone();
    ws.name = "Renamed".into();
    ws.repositories.push(Repository {
        name: "cli".into(),
        description: String::new(),
    });
    store.update_workspace(&ws, &read).await.unwrap();
    assert_eq!(store.get_workspace(id).await.unwrap(), {
        let mut w = ws.clone();
        w.created_at = store.get_workspace(id).await.unwrap().created_at;
        w
    });
    let err = store.get_workspace(Uuid::new_v4()).await.unwrap_err();
    assert_eq!(err.code(), "not_found");
    let ghost = workspace("Ghost");
    let err = store.update_workspace(&ghost, &ghost).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    let err = store.create_workspace(&ws).await.unwrap_err();
    assert_eq!(err.code(), "invalid");
}

#[tokio::test]
async fn a_workspace_saved_from_a_stale_read_is_refused_and_keeps_the_other_save() {
    let (_dir, store, id) = fresh().await;
    let read = store.get_workspace(id).await.unwrap();
    // Another window adds a repository after both read the workspace.
    let mut theirs = read.clone();
    theirs.repositories.push(Repository {
        name: "billing".into(),
        description: String::new(),
    });
    store.update_workspace(&theirs, &read).await.unwrap();
    // This one, still holding the old read, renames it.
    let mut mine = read.clone();
    mine.name = "Renamed".into();
    let err = store.update_workspace(&mine, &read).await.unwrap_err();
    assert_eq!(err.code(), "conflict");
    let message = err.to_string();
    assert!(message.contains("billing"), "{message}");
    assert!(message.contains("nothing was saved"), "{message}");
    let stored = store.get_workspace(id).await.unwrap();
    assert_eq!(stored.name, read.name, "the rename was not applied");
    assert!(stored.repositories.iter().any(|r| r.name == "billing"));
}

#[tokio::test]
async fn create_get_list_round_trip_every_field() {
    let (_dir, store, ws) = fresh().await;
    assert_eq!(store.next_adr_number(ws).await.unwrap(), 1);
    let mut d = rich_draft("Use SQLite", "We need a local database.", "zero ops");
    d.tags = vec!["storage".into()];
    d.date = chrono::NaiveDate::from_ymd_opt(2024, 5, 1);
    d.links = vec![plasma_models::AdrLink {
        kind: LinkKind::RelatesTo,
        target: 9,
    }];
    d.extra_front_matter = vec![("nav_order".into(), "3".into())];
    let one = store
        .create_adr(ws, d.clone(), None, Some("docs/0001.md".into()))
        .await
        .unwrap();
    assert_eq!((one.number, one.revision), (1, 1));
    let seven = store
        .create_adr(ws, draft("Seventh"), Some(7), None)
        .await
        .unwrap();
    assert_eq!(seven.number, 7);
    assert_eq!(store.next_adr_number(ws).await.unwrap(), 8);
    let two = store
        .create_adr(ws, draft("Next"), None, None)
        .await
        .unwrap();
    assert_eq!(two.number, 8);

    assert_eq!(store.get_adr(one.id).await.unwrap(), one);
    assert_eq!(store.get_adr_by_number(ws, 7).await.unwrap(), seven);
    let numbers: Vec<u32> = store
        .list_adrs(ws)
        .await
        .unwrap()
        .iter()
        .map(|a| a.number)
        .collect();
    assert_eq!(numbers, vec![1, 7, 8]);

    // Refusals.
    let dup = store
        .create_adr(ws, draft("Dup"), Some(7), None)
        .await
        .unwrap_err();
    assert_eq!(dup.code(), "invalid");
    let bad = store
        .create_adr(ws, draft(""), None, None)
        .await
        .unwrap_err();
    assert!(matches!(bad, StoreError::Model(_)), "{bad}");
    let ghost = store
        .create_adr(Uuid::new_v4(), draft("x"), None, None)
        .await
        .unwrap_err();
    assert_eq!(ghost.code(), "not_found");
    assert_eq!(
        store.get_adr(Uuid::new_v4()).await.unwrap_err().code(),
        "not_found"
    );
    assert_eq!(
        store.get_adr_by_number(ws, 99).await.unwrap_err().code(),
        "not_found"
    );
    assert_eq!(store.list_adrs(ws).await.unwrap().len(), 3);
}

#[tokio::test]
async fn save_bumps_revision_and_records_what_changed() {
    let (_dir, store, ws) = fresh().await;
    let adr = store
        .create_adr(ws, draft("Use SQLite"), None, None)
        .await
        .unwrap();
    let mut d = adr.draft();
    d.title = "Use SQLite everywhere".into();
    d.context = "Because.".into();
    let saved = store.save_adr(adr.id, 1, d.clone()).await.unwrap();
    assert_eq!(saved.revision, 2);
    assert_eq!(saved.title, "Use SQLite everywhere");
    assert_eq!(saved.created_at, adr.created_at);
    assert_eq!(store.get_adr(adr.id).await.unwrap(), saved);

    // No change: same record back, no new revision.
    let same = store.save_adr(adr.id, 2, d).await.unwrap();
    assert_eq!(same, saved);

    let revs = store.list_revisions(adr.id).await.unwrap();
    let summary: Vec<(u32, &str)> = revs
        .iter()
        .map(|r| (r.revision, r.summary.as_str()))
        .collect();
    assert_eq!(summary, vec![(2, "title, context"), (1, "created")]);
    assert!(revs[0].saved_at >= revs[1].saved_at);
}

#[tokio::test]
async fn status_lifecycle_is_enforced_on_save() {
    let (_dir, store, ws) = fresh().await;
    let adr = store
        .create_adr(ws, draft("Lifecycle"), None, None)
        .await
        .unwrap();
    let mut d = adr.draft();
    d.status = AdrStatus::Accepted;
    let accepted = store.save_adr(adr.id, 1, d.clone()).await.unwrap();
    d.status = AdrStatus::Proposed;
    let err = store
        .save_adr(adr.id, accepted.revision, d.clone())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Model(_)), "{err}");
    d.status = AdrStatus::Superseded;
    assert!(store.save_adr(adr.id, accepted.revision, d).await.is_err());
    assert_eq!(store.get_adr(adr.id).await.unwrap(), accepted);
}

#[tokio::test]
async fn stale_save_is_a_conflict_and_changes_nothing() {
    let (_dir, store, ws) = fresh().await;
    let adr = store
        .create_adr(ws, draft("Original"), Some(7), None)
        .await
        .unwrap();
    let mut first = adr.draft();
    first.title = "First edit".into();
    let v2 = store.save_adr(adr.id, 1, first).await.unwrap();
    let mut second = adr.draft();
    second.title = "Second edit".into();
    let err = store.save_adr(adr.id, 1, second).await.unwrap_err();
    match &err {
        StoreError::Conflict {
            what,
            expected,
            actual,
        } => assert_eq!((what.as_str(), *expected, *actual), ("ADR 7", 1, 2)),
        other => panic!("expected a conflict, got {other}"),
    }
    assert_eq!(err.code(), "conflict");
    assert_eq!(
        err.to_string(),
        "ADR 7 was changed elsewhere (you edited revision 1, it is now at revision 2); reload it to see the other changes"
    );
    assert_eq!(store.get_adr(adr.id).await.unwrap(), v2);
    assert_eq!(store.list_revisions(adr.id).await.unwrap().len(), 2);
}

#[tokio::test]
async fn two_handles_on_one_file_see_each_others_saves() {
    let (dir, app, ws) = fresh().await;
    let cli = Store::open(&dir.path().join("plasma.db")).await.unwrap();
    let adr = app
        .create_adr(ws, draft("Shared"), None, None)
        .await
        .unwrap();
    let seen = cli.get_adr(adr.id).await.unwrap();
    assert_eq!(seen, adr);
    let mut d = seen.draft();
    d.context = "edited by the CLI".into();
    cli.save_adr(adr.id, 1, d).await.unwrap();

    let mut stale = adr.draft();
    stale.context = "edited in the app".into();
    let err = app.save_adr(adr.id, 1, stale).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 1,
                actual: 2,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        app.get_adr(adr.id).await.unwrap().context,
        "edited by the CLI"
    );

    // Concurrent writers through both handles all land.
    let mut tasks = Vec::new();
    for i in 0..10 {
        let s = if i % 2 == 0 { app.clone() } else { cli.clone() };
        tasks.push(tokio::spawn(async move {
            s.create_adr(ws, draft(&format!("Concurrent {i}")), Some(100 + i), None)
                .await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(cli.list_adrs(ws).await.unwrap().len(), 11);
}

#[tokio::test]
async fn save_adrs_is_all_or_nothing() {
    let (_dir, store, ws) = fresh().await;
    let mut old = store
        .create_adr(ws, draft("Old"), None, None)
        .await
        .unwrap();
    let mut new = store
        .create_adr(ws, draft("New"), None, None)
        .await
        .unwrap();
    let (old0, new0) = (old.clone(), new.clone());
    plasma_models::graph::supersede(&[], &mut old, &mut new).unwrap();

    // One invalid change: nothing applied.
    let mut broken = new.draft();
    broken.title = String::new();
    let err = store
        .save_adrs(vec![
            (old.id, old.revision, old.draft()),
            (new.id, new.revision, broken),
        ])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(store.get_adr(old.id).await.unwrap(), old0);
    assert_eq!(store.get_adr(new.id).await.unwrap(), new0);

    // One stale change: nothing applied.
    let err = store
        .save_adrs(vec![
            (old.id, old.revision, old.draft()),
            (new.id, 5, new.draft()),
        ])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert_eq!(store.get_adr(old.id).await.unwrap(), old0);

    // Valid: both saved; superseding skips the lifecycle check.
    let saved = store
        .save_adrs(vec![
            (old.id, old.revision, old.draft()),
            (new.id, new.revision, new.draft()),
        ])
        .await
        .unwrap();
    assert_eq!(saved[0].status, AdrStatus::Superseded);
    assert_eq!(saved[0].revision, 2);
    assert_eq!(saved[1].linked(LinkKind::Supersedes), vec![old.number]);
    assert_eq!(
        store.list_revisions(old.id).await.unwrap()[0].summary,
        "status, links"
    );
    assert_eq!(
        store.list_revisions(new.id).await.unwrap()[0].summary,
        "links"
    );
}

fn item(number: u32, title: &str) -> ImportItem {
    ImportItem {
        number,
        draft: rich_draft(title, &format!("Context of {title}"), "fast"),
        source_path: format!("{number:04}-{}.md", title.to_lowercase().replace(' ', "-")),
    }
}

#[tokio::test]
async fn import_twice_updates_in_place_and_never_duplicates() {
    let (_dir, store, ws) = fresh().await;
    let items = vec![
        item(1, "Record decisions"),
        item(2, "Use Kafka"),
        item(3, "Use SQLite"),
    ];
    let first = store.import_adrs(ws, items.clone()).await.unwrap();
    assert_eq!(
        first.items,
        vec![
            (1, ImportAction::Created),
            (2, ImportAction::Created),
            (3, ImportAction::Created)
        ]
    );
    let mut again = items.clone();
    again[1].draft.context = "Changed upstream".into();
    let second = store.import_adrs(ws, again).await.unwrap();
    assert_eq!(
        second.items,
        vec![
            (1, ImportAction::Unchanged),
            (2, ImportAction::Updated),
            (3, ImportAction::Unchanged)
        ]
    );
    let adrs = store.list_adrs(ws).await.unwrap();
    assert_eq!(adrs.len(), 3);
    assert_eq!(adrs[1].context, "Changed upstream");
    assert_eq!(adrs[1].revision, 2);
    assert_eq!(
        adrs[0].source_path.as_deref(),
        Some("0001-record-decisions.md")
    );
    assert_eq!(
        store.list_revisions(adrs[1].id).await.unwrap()[0].summary,
        "imported: context"
    );

    // Same file renumbered: the record moves, it is not duplicated.
    let mut moved = items[2].clone();
    moved.number = 30;
    let third = store.import_adrs(ws, vec![moved]).await.unwrap();
    assert_eq!(third.items, vec![(30, ImportAction::Updated)]);
    let numbers: Vec<u32> = store
        .list_adrs(ws)
        .await
        .unwrap()
        .iter()
        .map(|a| a.number)
        .collect();
    assert_eq!(numbers, vec![1, 2, 30]);
    // Searching still finds it once, under its new number.
    let hits = store.search(ws, "sqlite", 10).await.unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].number, 30);
}

#[tokio::test]
async fn a_large_import_indexes_and_records_every_record_once() {
    let (_dir, store, ws) = fresh().await;
    let existing = store
        .create_adr(ws, draft("Written by hand"), None, None)
        .await
        .unwrap();
    // More records than one multi-row statement holds, plus one item that
    // updates a record created earlier in the same import.
    let mut items: Vec<ImportItem> = (2..=451)
        .map(|n| item(n, &format!("Bulk record {n} zebra{n}x")))
        .collect();
    let mut later = items[9].clone();
    later.draft.context = "second thoughts".into();
    items.push(later);
    items.push(item(452, "After the update"));
    let outcome = store.import_adrs(ws, items).await.unwrap();
    assert_eq!(outcome.items.len(), 452);
    assert_eq!(outcome.items[450], (11, ImportAction::Updated));
    assert_eq!(outcome.items[451], (452, ImportAction::Created));
    let adrs = store.list_adrs(ws).await.unwrap();
    assert_eq!(adrs.len(), 452);
    assert_eq!(adrs[0].id, existing.id);
    for n in [2u32, 200, 201, 451, 452] {
        let adr = &adrs[n as usize - 1];
        assert_eq!(adr.number, n);
        assert_eq!(adr.revision, 1);
        let revisions = store.list_revisions(adr.id).await.unwrap();
        assert_eq!(revisions.len(), 1);
        assert!(
            revisions[0].summary.starts_with("imported from 0"),
            "{revisions:?}"
        );
        assert_eq!(store.get_revision(adr.id, 1).await.unwrap(), *adr);
        if n < 452 {
            let hits = store.search(ws, &format!("zebra{n}x"), 10).await.unwrap();
            assert_eq!(hits.len(), 1, "zebra{n}");
            assert_eq!(hits[0].number, n);
        }
    }
    let updated = &adrs[10];
    assert_eq!((updated.number, updated.revision), (11, 2));
    assert_eq!(updated.context, "second thoughts");
    assert_eq!(
        store.search(ws, "second thoughts", 10).await.unwrap()[0].number,
        11
    );
    assert_eq!(
        store.search(ws, "written hand", 10).await.unwrap()[0].number,
        1
    );
}

#[tokio::test]
async fn import_with_a_failing_item_changes_nothing() {
    let (_dir, store, ws) = fresh().await;
    store
        .import_adrs(ws, vec![item(1, "Keep me")])
        .await
        .unwrap();
    let before = store.list_adrs(ws).await.unwrap();
    let mut bad = item(3, "Broken");
    bad.draft.title = "two\nlines".into();
    let mut changed = item(1, "Keep me");
    changed.draft.context = "should not land".into();
    let err = store
        .import_adrs(ws, vec![changed, item(2, "New one"), bad])
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(err.to_string().contains("0003-broken.md"), "{err}");
    assert_eq!(store.list_adrs(ws).await.unwrap(), before);
    assert!(store.search(ws, "new one", 10).await.unwrap().is_empty());
    assert_eq!(
        store
            .import_adrs(Uuid::new_v4(), vec![])
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[tokio::test]
async fn revisions_list_get_and_restore() {
    let (_dir, store, ws) = fresh().await;
    let v1 = store
        .create_adr(ws, draft("First title"), None, None)
        .await
        .unwrap();
    let mut d = v1.draft();
    d.title = "Second title".into();
    d.status = AdrStatus::Accepted;
    let v2 = store.save_adr(v1.id, 1, d).await.unwrap();

    let old = store.get_revision(v1.id, 1).await.unwrap();
    assert_eq!(old, v1);
    assert_eq!(store.get_revision(v1.id, 2).await.unwrap(), v2);
    assert_eq!(
        store.get_revision(v1.id, 9).await.unwrap_err().code(),
        "not_found"
    );

    // Stale restore refused.
    assert_eq!(
        store
            .restore_revision(v1.id, 1, 1)
            .await
            .unwrap_err()
            .code(),
        "conflict"
    );
    let v3 = store.restore_revision(v1.id, 1, 2).await.unwrap();
    assert_eq!(v3.revision, 3);
    assert_eq!(v3.draft(), v1.draft());
    assert_eq!(v3.created_at, v1.created_at);
    let revs = store.list_revisions(v1.id).await.unwrap();
    assert_eq!(revs.len(), 3);
    assert_eq!(revs[0].summary, "restored revision 1");
    assert_eq!(revs[1].summary, "title, status");
    assert_eq!(store.search(ws, "first", 5).await.unwrap().len(), 1);
    assert!(store.search(ws, "second", 5).await.unwrap().is_empty());
    assert_eq!(
        store
            .list_revisions(Uuid::new_v4())
            .await
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[tokio::test]
async fn search_ranks_within_the_workspace_when_another_holds_the_best_matches() {
    let (_dir, store, crowded) = fresh().await;
    let other = workspace("Other");
    store.create_workspace(&other).await.unwrap();
    // The crowded workspace has 80 records with "ledger" in the title (the
    // best matches); the other has 30 with it in the body only, and 3 where
    // it is in the body twice (better than the rest of that workspace).
    let strong: Vec<ImportItem> = (1..=80).map(|n| item(n, &format!("Ledger {n}"))).collect();
    store.import_adrs(crowded, strong).await.unwrap();
    let weak: Vec<ImportItem> = (1..=33)
        .map(|n| {
            let mut it = item(n, &format!("Record {n}"));
            it.draft.context = if n > 30 {
                "the ledger, and the ledger again".into()
            } else {
                "mentions the ledger once, with other words around it".into()
            };
            it
        })
        .collect();
    store.import_adrs(other.id, weak).await.unwrap();

    let hits = store.search(other.id, "ledger", 10).await.unwrap();
    let numbers: Vec<u32> = hits.iter().map(|h| h.number).collect();
    assert_eq!(numbers, vec![31, 32, 33, 1, 2, 3, 4, 5, 6, 7]);
    assert!(hits.windows(2).all(|w| w[0].rank >= w[1].rank));
    assert!(
        hits.iter().all(|h| h.snippet.contains("«ledger»")),
        "{hits:?}"
    );
    let all = store.search(other.id, "ledger", 1000).await.unwrap();
    assert_eq!(all.len(), 33);
    let ids = store.matching_adr_ids(other.id, "ledger").await.unwrap();
    assert_eq!(ids.len(), 33);
    let crowded_hits = store.search(crowded, "ledger", 5).await.unwrap();
    let numbers: Vec<u32> = crowded_hits.iter().map(|h| h.number).collect();
    assert_eq!(
        numbers,
        vec![1, 2, 3, 4, 5],
        "equal scores in creation order"
    );
    assert!(store.search(crowded, "ledger", 0).await.unwrap().is_empty());
}

#[tokio::test]
async fn search_ranks_folds_accents_and_matches_prefixes() {
    let (_dir, store, ws) = fresh().await;
    let title = store
        .create_adr(
            ws,
            rich_draft("Adopt Kafka for events", "Streaming matters.", "durable"),
            None,
            None,
        )
        .await
        .unwrap();
    let body = store
        .create_adr(
            ws,
            rich_draft(
                "Messaging backbone",
                "We compared Kafka with RabbitMQ; Kafka came out ahead, Kafka scales.",
                "Résumé of the café trade-offs",
            ),
            None,
            None,
        )
        .await
        .unwrap();
    let mut tagged = draft("Tagged one");
    tagged.tags = vec!["observability".into()];
    tagged.sections = vec![plasma_models::Section {
        heading: "Notes".into(),
        level: 2,
        body: "Grafana dashboards".into(),
    }];
    store.create_adr(ws, tagged, None, None).await.unwrap();
    // Another workspace's records never show up.
    let other = workspace("Other");
    store.create_workspace(&other).await.unwrap();
    store
        .create_adr(other.id, draft("Kafka elsewhere"), None, None)
        .await
        .unwrap();

    let hits = store.search(ws, "kafka", 10).await.unwrap();
    let ids: Vec<Uuid> = hits.iter().map(|h| h.adr_id).collect();
    assert_eq!(ids, vec![title.id, body.id], "title match ranks first");
    assert!(hits[0].rank >= hits[1].rank);
    assert_eq!(hits[0].status, "proposed");
    assert!(hits[0].snippet.contains("«Kafka»"), "{}", hits[0].snippet);
    assert!(hits[1].snippet.contains("«Kafka»"), "{}", hits[1].snippet);

    // Context, option pros, diacritics folded both ways, prefixes.
    assert_eq!(
        store.search(ws, "rabbit", 10).await.unwrap()[0].adr_id,
        body.id
    );
    assert_eq!(
        store.search(ws, "durable", 10).await.unwrap()[0].adr_id,
        title.id
    );
    assert_eq!(
        store.search(ws, "resume", 10).await.unwrap()[0].adr_id,
        body.id
    );
    assert_eq!(
        store.search(ws, "CAFÉ", 10).await.unwrap()[0].adr_id,
        body.id
    );
    assert_eq!(
        store.search(ws, "strea", 10).await.unwrap()[0].adr_id,
        title.id
    );
    assert_eq!(store.search(ws, "observ", 10).await.unwrap().len(), 1);
    assert_eq!(store.search(ws, "grafana", 10).await.unwrap().len(), 1);
    // Every word must match.
    assert_eq!(
        store.search(ws, "kafka rabbitmq", 10).await.unwrap().len(),
        1
    );
    assert_eq!(store.search(ws, "kafka", 1).await.unwrap().len(), 1);

    for hostile in [
        "\"",
        "*",
        "NEAR(",
        "AND OR",
        "kafka\"",
        "\"kafka",
        "(kafka",
        "kafka AND",
        "NOT",
        "title:kafka",
        "^kafka",
        "-kafka",
        "{a b}",
        "''",
        "",
        "   ",
        "🚀",
        "a\u{0}b",
    ] {
        let r = store.search(ws, hostile, 10).await;
        assert!(r.is_ok(), "{hostile:?}: {r:?}");
    }
    assert!(store.search(ws, "\"*", 10).await.unwrap().is_empty());
    assert_eq!(store.search(ws, "\"kafka", 10).await.unwrap().len(), 2);
}

#[tokio::test]
async fn delete_removes_record_history_and_index() {
    let (_dir, store, ws) = fresh().await;
    let a = store
        .create_adr(ws, draft("Doomed decision"), None, None)
        .await
        .unwrap();
    let b = store
        .create_adr(ws, draft("Surviving decision"), None, None)
        .await
        .unwrap();
    store.delete_adr(a.id).await.unwrap();
    assert_eq!(store.get_adr(a.id).await.unwrap_err().code(), "not_found");
    assert_eq!(
        store.delete_adr(a.id).await.unwrap_err().code(),
        "not_found"
    );
    let hits = store.search(ws, "decision", 10).await.unwrap();
    assert_eq!(
        hits.iter().map(|h| h.adr_id).collect::<Vec<_>>(),
        vec![b.id]
    );
    // The number is free again.
    store
        .create_adr(ws, draft("Reused"), Some(a.number), None)
        .await
        .unwrap();
    let _ = Utc::now();
}

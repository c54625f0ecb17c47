//! Initiatives, SLOs and DORA targets in the store, on real SQLite files.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

mod common;

use common::fresh;
use plasma_models::roadmap::{Initiative, RoadmapError};
use plasma_models::slo::{DoraMetric, DoraTarget, RatioCounter, Sli, Slo};
use plasma_storage::{ImportAction, Store, StoreError};

fn initiative(ws: uuid::Uuid, key: &str, deps: &[&str]) -> Initiative {
    let mut i = Initiative::new(ws, key, key.to_uppercase());
    i.depends_on = deps.iter().map(|d| d.to_string()).collect();
    i
}

#[tokio::test]
async fn initiatives_keep_their_order_revisions_and_refuse_cycles() {
    let (_dir, store, ws) = fresh().await;
    let a = store
        .create_initiative(&initiative(ws, "a", &[]))
        .await
        .unwrap();
    let b = store
        .create_initiative(&initiative(ws, "b", &["a"]))
        .await
        .unwrap();
    store
        .create_initiative(&initiative(ws, "c", &["b"]))
        .await
        .unwrap();
    let keys: Vec<String> = store
        .list_initiatives(ws)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.initiative.key)
        .collect();
    assert_eq!(keys, ["a", "b", "c"]);

    // a → c would close a → c → b → a.
    let mut closing = a.initiative.clone();
    closing.depends_on = vec!["c".into()];
    let e = store.save_initiative(1, &closing).await.unwrap_err();
    assert_eq!(e.code(), "cycle");
    assert!(matches!(
        &e,
        StoreError::Roadmap(RoadmapError::Cycle { path }) if path == &["a", "c", "b", "a"]
    ));
    assert_eq!(store.get_initiative(ws, "a").await.unwrap().revision, 1);

    // Unknown dependency and duplicate key are refused too.
    let e = store
        .create_initiative(&initiative(ws, "d", &["ghost"]))
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("\"ghost\", which does not exist"),
        "{e}"
    );
    let e = store
        .create_initiative(&initiative(ws, "A", &[]))
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("Bad") || e.to_string().contains("key"),
        "{e}"
    );

    // A save appends a revision naming the fields; a stale one conflicts.
    let mut edit = b.initiative.clone();
    edit.owner = "Platform".into();
    let saved = store.save_initiative(1, &edit).await.unwrap();
    assert_eq!(saved.revision, 2);
    let history = store.list_initiative_revisions(edit.id).await.unwrap();
    assert_eq!(history[0].summary, "owner");
    let e = store.save_initiative(1, &edit).await.unwrap_err();
    assert_eq!(e.code(), "conflict");
    assert_eq!(
        store
            .get_initiative_revision(edit.id, 1)
            .await
            .unwrap()
            .owner,
        ""
    );
}

#[tokio::test]
async fn renaming_a_key_updates_dependents_and_delete_is_refused_while_needed() {
    let (_dir, store, ws) = fresh().await;
    let a = store
        .create_initiative(&initiative(ws, "a", &[]))
        .await
        .unwrap();
    store
        .create_initiative(&initiative(ws, "b", &["a"]))
        .await
        .unwrap();
    let mut renamed = a.initiative.clone();
    renamed.key = "base".into();
    store.save_initiative(1, &renamed).await.unwrap();
    let b = store.get_initiative(ws, "b").await.unwrap();
    assert_eq!(b.initiative.depends_on, ["base"]);
    assert_eq!(b.revision, 2);
    let e = store
        .delete_initiative(ws, a.initiative.id)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("b depends on it"), "{e}");
    store.delete_initiative(ws, b.initiative.id).await.unwrap();
    store.delete_initiative(ws, a.initiative.id).await.unwrap();
    assert!(store.list_initiatives(ws).await.unwrap().is_empty());
}

fn slo(ws: uuid::Uuid, service: &str, name: &str, objective: f64) -> Slo {
    Slo::new(
        ws,
        service,
        name,
        Sli::Ratio {
            counter: RatioCounter::Bad,
            numerator_query: "errors[{{.window}}]".into(),
            total_query: "total[{{.window}}]".into(),
            source: "prometheus".into(),
        },
        objective,
    )
}

#[tokio::test]
async fn slos_save_with_revisions_and_import_by_service_and_name() {
    let (_dir, store, ws) = fresh().await;
    let created = store
        .create_slo(&slo(ws, "gateway", "availability", 99.9))
        .await
        .unwrap();
    let e = store
        .create_slo(&slo(ws, "gateway", "availability", 99.0))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("already exists"));
    let mut edit = created.slo.clone();
    edit.objective = 99.95;
    assert_eq!(store.save_slo(1, &edit).await.unwrap().revision, 2);
    assert_eq!(
        store.save_slo(1, &edit).await.unwrap_err().code(),
        "conflict"
    );
    let bad = slo(ws, "gateway", "Bad Name", 99.0);
    assert_eq!(store.create_slo(&bad).await.unwrap_err().code(), "invalid");

    let mut again = slo(ws, "gateway", "availability", 99.5);
    again.id = uuid::Uuid::new_v4();
    let outcome = store
        .import_slos(&[again, slo(ws, "research", "freshness", 99.0)], "x.yaml")
        .await
        .unwrap();
    assert_eq!(
        outcome,
        [
            ("gateway/availability".to_string(), ImportAction::Updated),
            ("research/freshness".to_string(), ImportAction::Created),
        ]
    );
    let stored = store.get_slo(ws, "gateway/availability").await.unwrap();
    assert_eq!(stored.slo.id, created.slo.id, "the stored id is kept");
    assert_eq!(stored.slo.objective, 99.5);
    let history = store.list_slo_revisions(created.slo.id).await.unwrap();
    assert_eq!(history[0].summary, "imported from x.yaml: objective");
    assert_eq!(
        store.get_slo(ws, "freshness").await.unwrap().slo.service,
        "research"
    );
}

#[tokio::test]
async fn dora_targets_are_saved_optimistically() {
    let (_dir, store, ws) = fresh().await;
    assert_eq!(store.get_dora_targets(ws).await.unwrap().revision, 0);
    let t = DoraTarget {
        metric: DoraMetric::ChangeFailureRate,
        environment: "all".into(),
        comparison: "below".into(),
        value: 15.0,
        unit: "percent".into(),
        note: String::new(),
    };
    store
        .save_dora_targets(ws, 0, std::slice::from_ref(&t))
        .await
        .unwrap();
    assert_eq!(
        store
            .save_dora_targets(ws, 0, &[])
            .await
            .unwrap_err()
            .code(),
        "conflict"
    );
    let got = store.get_dora_targets(ws).await.unwrap();
    assert_eq!((got.revision, got.targets), (1, vec![t]));
}

#[tokio::test]
async fn two_handles_on_one_file_cannot_close_a_cycle_together() {
    let (dir, store, ws) = fresh().await;
    let other = Store::open(&dir.path().join("plasma.db")).await.unwrap();
    let a = store
        .create_initiative(&initiative(ws, "a", &[]))
        .await
        .unwrap();
    let b = other
        .create_initiative(&initiative(ws, "b", &[]))
        .await
        .unwrap();
    let mut a2 = a.initiative.clone();
    a2.depends_on = vec!["b".into()];
    let mut b2 = b.initiative.clone();
    b2.depends_on = vec!["a".into()];
    store.save_initiative(1, &a2).await.unwrap();
    let e = other.save_initiative(1, &b2).await.unwrap_err();
    assert_eq!(e.code(), "cycle");
}

//! Threat models in the store, on real SQLite files.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

mod common;

use common::{fresh, workspace};
use plasma_models::threat::{
    Diagram, Element, ElementKind, Flow, Rating, Stride, Threat, ThreatModel, ThreatStatus,
    ThreatTarget,
};
use plasma_storage::{Store, StoreError};

fn model(ws: uuid::Uuid, name: &str) -> ThreatModel {
    let mut m = ThreatModel::new(ws, name);
    let mut d = Diagram::new("Main");
    let user = Element::new(ElementKind::ExternalEntity, "User");
    let api = Element::new(ElementKind::Process, "API");
    let flow = Flow::new("Request", user.id, api.id);
    let mut t = Threat::manual(
        "Session hijacking of the API",
        Stride::Spoofing,
        ThreatTarget::Element(api.id),
        Rating::High,
        Rating::High,
    );
    t.description = "A stolen cookie lets an attacker act as the user.".into();
    m.threats.push(t);
    d.elements = vec![user, api];
    d.flows = vec![flow];
    m.diagrams.push(d);
    m
}

#[tokio::test]
async fn create_get_by_id_and_name_and_list() {
    let (_dir, store, ws) = fresh().await;
    let m = model(ws, "Payments");
    let stored = store.create_threat_model(&m).await.unwrap();
    assert_eq!(stored.revision, 1);
    assert_eq!(stored.model, m);

    let by_id = store.get_threat_model(m.id).await.unwrap();
    assert_eq!(by_id.model, m);
    assert_eq!(by_id.revision, 1);
    let by_name = store
        .get_threat_model_by_name(ws, "payments")
        .await
        .unwrap();
    assert_eq!(by_name.model.id, m.id, "names match ignoring case");
    let by_id_text = store
        .get_threat_model_by_name(ws, &m.id.to_string())
        .await
        .unwrap();
    assert_eq!(by_id_text.model.id, m.id);

    store
        .create_threat_model(&model(ws, "Admin console"))
        .await
        .unwrap();
    let names: Vec<String> = store
        .list_threat_models(ws)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.model.name)
        .collect();
    assert_eq!(names, vec!["Admin console", "Payments"]);

    let err = store
        .get_threat_model_by_name(ws, "nope")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "not_found", "{err}");
}

#[tokio::test]
async fn short_ids_as_listed_name_a_model_unless_ambiguous_or_a_name() {
    let (_dir, store, ws) = fresh().await;
    let with_id = |name: &str, id: &str| {
        let mut m = model(ws, name);
        m.id = uuid::Uuid::parse_str(id).unwrap();
        m
    };
    let payments = with_id("Payments", "1a2b3c4d-0000-4000-8000-000000000001");
    store.create_threat_model(&payments).await.unwrap();
    store
        .create_threat_model(&with_id("Admin", "1a2b3c4d-0000-4000-8000-000000000002"))
        .await
        .unwrap();
    store
        .create_threat_model(&with_id("Batch", "9f8e7d6c-0000-4000-8000-000000000003"))
        .await
        .unwrap();
    // A model named like the start of another's id wins: names come first.
    store
        .create_threat_model(&with_id("9f8e", "55555555-0000-4000-8000-000000000004"))
        .await
        .unwrap();

    let by = |key: &'static str| {
        let store = &store;
        async move { store.get_threat_model_by_name(ws, key).await }
    };
    assert_eq!(by("9F8E7D6C").await.unwrap().model.name, "Batch");
    assert_eq!(by("9f8e").await.unwrap().model.name, "9f8e");
    assert_eq!(
        by("1a2b3c4d-0000-4000-8000-000000000001")
            .await
            .unwrap()
            .model
            .name,
        "Payments"
    );
    let head = store.get_threat_model_head(ws, "9f8e7d6c").await.unwrap();
    assert_eq!(head.id.to_string(), "9f8e7d6c-0000-4000-8000-000000000003");

    let err = by("1a2b3c4d").await.unwrap_err();
    assert_eq!(err.code(), "invalid", "{err}");
    let text = err.to_string();
    assert!(
        text.contains("ambiguous") && text.contains("\"Admin\"") && text.contains("\"Payments\""),
        "{text}"
    );
    assert!(store.get_threat_model_head(ws, "1a2b").await.is_err());
    // Too short to be an id, or not hex: looked up by name only.
    assert_eq!(by("1a2").await.unwrap_err().code(), "not_found");
    assert_eq!(by("1a2b_").await.unwrap_err().code(), "not_found");
    assert_eq!(by("abcd1234").await.unwrap_err().code(), "not_found");
}

#[tokio::test]
async fn duplicates_and_invalid_models_are_refused() {
    let (_dir, store, ws) = fresh().await;
    let m = model(ws, "Payments");
    store.create_threat_model(&m).await.unwrap();

    let err = store
        .create_threat_model(&model(ws, "PAYMENTS"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid(msg) if msg.contains("already exists")),
        "{err}"
    );
    let err = store.create_threat_model(&m).await.unwrap_err();
    assert_eq!(err.code(), "invalid", "same id twice: {err}");

    // The same name in another workspace is fine.
    let other = workspace("Other");
    store.create_workspace(&other).await.unwrap();
    store
        .create_threat_model(&model(other.id, "Payments"))
        .await
        .unwrap();

    let mut bad = model(ws, "Broken");
    let ghost = uuid::Uuid::new_v4();
    bad.diagrams[0].flows[0].target = ghost;
    let err = store.create_threat_model(&bad).await.unwrap_err();
    assert_eq!(err.code(), "invalid", "{err}");
    assert!(err.to_string().contains("Request"), "names the flow: {err}");
    assert_eq!(store.list_threat_models(ws).await.unwrap().len(), 1);

    // Renaming onto a taken name is refused too.
    let second = model(ws, "Second");
    store.create_threat_model(&second).await.unwrap();
    let mut renamed = second.clone();
    renamed.name = "payments".into();
    let err = store
        .save_threat_model(second.id, 1, &renamed)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid", "{err}");
}

#[tokio::test]
async fn save_bumps_the_revision_and_records_history() {
    let (_dir, store, ws) = fresh().await;
    let m = model(ws, "Payments");
    store.create_threat_model(&m).await.unwrap();

    // Saving the same content is a no-op.
    let same = store.save_threat_model(m.id, 1, &m).await.unwrap();
    assert_eq!(same.revision, 1);

    let mut edited = m.clone();
    edited.threats[0].status = ThreatStatus::Mitigated;
    edited.description = "Card payments".into();
    let saved = store.save_threat_model(m.id, 1, &edited).await.unwrap();
    assert_eq!(saved.revision, 2);
    assert!(saved.updated_at >= saved.created_at);
    assert_eq!(
        store.get_threat_model(m.id).await.unwrap().model.threats[0].status,
        ThreatStatus::Mitigated
    );

    let history = store.list_threat_model_revisions(m.id).await.unwrap();
    let revs: Vec<u32> = history.iter().map(|r| r.revision).collect();
    assert_eq!(revs, vec![2, 1]);
    assert_eq!(history[0].summary, "description, threats");
    assert_eq!(history[1].summary, "created");
    let old = store.get_threat_model_revision(m.id, 1).await.unwrap();
    assert_eq!(old, m);
    let err = store.get_threat_model_revision(m.id, 9).await.unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[tokio::test]
async fn a_stale_save_is_a_conflict_and_changes_nothing() {
    let (dir, store, ws) = fresh().await;
    let m = model(ws, "Payments");
    store.create_threat_model(&m).await.unwrap();
    // A second handle on the same file, as the app and the CLI would be.
    let other = Store::open(&dir.path().join("plasma.db")).await.unwrap();

    let mut first = m.clone();
    first.description = "first".into();
    other.save_threat_model(m.id, 1, &first).await.unwrap();

    let mut second = m.clone();
    second.description = "second".into();
    let err = store.save_threat_model(m.id, 1, &second).await.unwrap_err();
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
    assert_eq!(err.code(), "conflict");
    let now = store.get_threat_model(m.id).await.unwrap();
    assert_eq!(now.revision, 2);
    assert_eq!(now.model.description, "first");
    assert_eq!(
        store.list_threat_model_revisions(m.id).await.unwrap().len(),
        2
    );
    other.close().await;
}

#[tokio::test]
async fn search_finds_threats_and_delete_removes_everything() {
    let (_dir, store, ws) = fresh().await;
    let m = model(ws, "Payments");
    store.create_threat_model(&m).await.unwrap();
    let hits = store.search_threats(ws, "hijack", 10).await.unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].threat_model_name, "Payments");
    assert_eq!(hits[0].threat_id, m.threats[0].id);
    let hits = store.search_threats(ws, "cookie", 10).await.unwrap();
    assert_eq!(hits.len(), 1, "descriptions are indexed");

    // A save rewrites the index.
    let mut edited = m.clone();
    edited.threats[0].title = "Replay of payment requests".into();
    edited.threats[0].description.clear();
    store.save_threat_model(m.id, 1, &edited).await.unwrap();
    assert!(store
        .search_threats(ws, "hijack", 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store.search_threats(ws, "replay", 10).await.unwrap().len(),
        1
    );

    store.delete_threat_model(m.id).await.unwrap();
    assert!(store.list_threat_models(ws).await.unwrap().is_empty());
    assert!(store
        .search_threats(ws, "replay", 10)
        .await
        .unwrap()
        .is_empty());
    let err = store.delete_threat_model(m.id).await.unwrap_err();
    assert_eq!(err.code(), "not_found");
    // The name is free again.
    store
        .create_threat_model(&model(ws, "Payments"))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_session_step_and_its_model_change_commit_together_or_not_at_all() {
    use chrono::Utc;
    use plasma_models::threat::ThreatSession;
    use plasma_storage::ModelChange;

    let (_dir, store, ws) = fresh().await;
    let m = model(ws, "Sessions");
    store.create_threat_model(&m).await.unwrap();
    let api = m.diagrams[0].elements[1].id;
    let session = ThreatSession::start(&m, vec!["Ana".into()], &[api], Utc::now()).unwrap();
    let created = store.create_threat_session(&session).await.unwrap();
    assert_eq!(created.version, 1);

    // A step that rejects a threat changes the model: both are saved.
    let mut stepped = session.clone();
    let mut edited = m.clone();
    let threat = edited.threats[0].id;
    stepped
        .reject(&mut edited, threat, "behind the VPN", Utc::now())
        .unwrap();
    let change = ModelChange {
        expected_revision: 1,
        model: &edited,
        summary: "threat session",
    };
    let (saved, model_saved) = store
        .save_threat_session(&stepped, 1, Some(change))
        .await
        .unwrap();
    assert_eq!(saved.version, 2);
    assert_eq!(model_saved.unwrap().revision, 2);
    assert_eq!(
        store.get_threat_model(m.id).await.unwrap().model.threats[0].status,
        ThreatStatus::NotApplicable
    );

    // A stale model revision refuses the whole step: the session is untouched.
    let mut again = stepped.clone();
    again.note("more", Utc::now()).unwrap();
    let stale = ModelChange {
        expected_revision: 1,
        model: &edited,
        summary: "threat session",
    };
    let err = store
        .save_threat_session(&again, 2, Some(stale))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    let kept = store.get_threat_session(session.id).await.unwrap();
    assert_eq!(kept.version, 2);
    assert_eq!(kept.session, stepped);

    // A stale session version is refused too.
    let err = store
        .save_threat_session(&again, 1, None)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert_eq!(store.list_threat_sessions(m.id).await.unwrap().len(), 1);

    // Deleting the model deletes its sessions.
    store.delete_threat_model(m.id).await.unwrap();
    assert!(store.get_threat_session(session.id).await.is_err());
}

/// Rule-made threats are stored without the text their rule gives back;
/// documents in the full form written before read as they are.
#[tokio::test]
async fn rule_text_is_not_stored_per_threat_and_old_documents_still_read() {
    use plasma_models::threat::{generate, regenerate, RuleSet};

    let (dir, store, ws) = fresh().await;
    let mut m = model(ws, "Payments");
    let rules = RuleSet::bundled().unwrap();
    m.threats = regenerate(&m.threats, generate(&m, &rules));
    let generated = m.threats.iter().filter(|t| t.is_generated()).count();
    assert!(generated >= 5, "{generated} rule threats");
    store.create_threat_model(&m).await.unwrap();
    assert_eq!(store.get_threat_model(m.id).await.unwrap().model, m);
    assert_eq!(store.get_threat_model_revision(m.id, 1).await.unwrap(), m);

    let db = sqlx::SqlitePool::connect(&format!("sqlite://{}", store.path().display()))
        .await
        .unwrap();
    // The diagram part and the threat rows, as stored.
    let (doc,): (String,) = sqlx::query_as(
        "SELECT m.doc || (SELECT group_concat(t.doc, ',') FROM threats t
                          WHERE t.threat_model_id = m.id)
         FROM threat_models m WHERE m.id = ?",
    )
    .bind(m.id.to_string())
    .fetch_one(&db)
    .await
    .unwrap();
    let full = serde_json::to_string(&m).unwrap();
    assert!(
        doc.len() * 3 < full.len() * 2,
        "{} vs {}",
        doc.len(),
        full.len()
    );
    for t in m.threats.iter().filter(|t| t.is_generated()) {
        assert!(!doc.contains(&t.description), "{}", t.description);
    }
    // The hand-written threat keeps its text.
    assert!(doc.contains("A stolen cookie lets an attacker act as the user."));

    // A database written by an earlier release: the full form, each
    // threat with all its text.
    let mut head = serde_json::to_value(&m).unwrap();
    head.as_object_mut().unwrap().remove("threats");
    sqlx::query("UPDATE threat_models SET doc = ? WHERE id = ?")
        .bind(head.to_string())
        .bind(m.id.to_string())
        .execute(&db)
        .await
        .unwrap();
    for t in &m.threats {
        sqlx::query("UPDATE threats SET doc = ? WHERE threat_model_id = ? AND threat_id = ?")
            .bind(serde_json::to_string(t).unwrap())
            .bind(m.id.to_string())
            .bind(t.id.to_string())
            .execute(&db)
            .await
            .unwrap();
    }
    sqlx::query("UPDATE threat_model_revisions SET doc = ? WHERE threat_model_id = ?")
        .bind(&full)
        .bind(m.id.to_string())
        .execute(&db)
        .await
        .unwrap();
    db.close().await;
    assert_eq!(store.get_threat_model(m.id).await.unwrap().model, m);
    assert_eq!(store.get_threat_model_revision(m.id, 1).await.unwrap(), m);
    // Saving it unchanged is still a no-op; an edit writes the new form.
    assert_eq!(
        store.save_threat_model(m.id, 1, &m).await.unwrap().revision,
        1
    );
    let mut edited = m.clone();
    edited.threats[1].notes = "Checked with the payments team".into();
    let saved = store.save_threat_model(m.id, 1, &edited).await.unwrap();
    assert_eq!(saved.revision, 2);
    assert_eq!(store.get_threat_model(m.id).await.unwrap().model, edited);
    assert_eq!(store.get_threat_model_revision(m.id, 1).await.unwrap(), m);
    drop(dir);
}

/// A database written before threats were rows (migrations up to 0008, the
/// whole model in one document) reads back equal after migration 0009, and
/// regenerates, searches and saves as a new one does.
#[tokio::test]
async fn a_database_from_before_threat_rows_migrates_and_reads_back_equal() {
    use plasma_models::threat::stored::StoredThreatModelRef;
    use plasma_models::threat::{generate, plan_regeneration, regenerate, RuleSet};
    use std::borrow::Cow;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let rules = RuleSet::bundled_shared().unwrap();
    let ws = workspace("Program");
    let mut m = model(ws.id, "Payments");
    m.threats = regenerate(&m.threats, generate(&m, rules));
    m.threats[1].notes = "Reviewed with the payments team".into();
    m.threats[2].obsolete = true;
    let doc = serde_json::to_string(&StoredThreatModelRef::new(&m, rules)).unwrap();
    {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true);
        let db = sqlx::SqlitePool::connect_with(options).await.unwrap();
        let mut old = sqlx::migrate::Migrator::new(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations"),
        )
        .await
        .unwrap();
        old.migrations = Cow::Owned(
            old.migrations
                .iter()
                .filter(|mig| mig.version < 9)
                .cloned()
                .collect(),
        );
        old.run(&db).await.unwrap();
        sqlx::query("INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)")
            .bind(ws.id.to_string())
            .bind(&ws.name)
            .bind("2026-01-01T00:00:00Z")
            .execute(&db)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO threat_models (id, workspace_id, name, revision, created_at, updated_at, doc)
             VALUES (?, ?, ?, 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', ?)",
        )
        .bind(m.id.to_string())
        .bind(ws.id.to_string())
        .bind(&m.name)
        .bind(&doc)
        .execute(&db)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO threat_model_revisions (threat_model_id, revision, saved_at, summary, doc)
             VALUES (?, 1, '2026-01-01T00:00:00Z', 'created', ?)",
        )
        .bind(m.id.to_string())
        .bind(&doc)
        .execute(&db)
        .await
        .unwrap();
        for t in &m.threats {
            sqlx::query(
                "INSERT INTO threat_fts (threat_model_id, threat_id, title, description)
                 VALUES (?, ?, ?, ?)",
            )
            .bind(m.id.to_string())
            .bind(t.id.to_string())
            .bind(&t.title)
            .bind(&t.description)
            .execute(&db)
            .await
            .unwrap();
        }
        db.close().await;
    }

    let store = Store::open(&path).await.unwrap();
    let stored = store.get_threat_model(m.id).await.unwrap();
    assert_eq!(stored.model, m);
    assert_eq!(stored.revision, 1);
    assert_eq!(store.get_threat_model_revision(m.id, 1).await.unwrap(), m);
    let hits = store
        .search_threats(ws.id, "stolen cookie", 10)
        .await
        .unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");

    // The regeneration path reads the same threats in the same order: the
    // obsolete one comes back, nothing else changes.
    let parts = store
        .get_threat_model_parts(ws.id, "payments")
        .await
        .unwrap();
    assert_eq!(parts.threats.len(), m.threats.len());
    let plan = plan_regeneration(&parts.head, &parts.threats, rules);
    assert_eq!(plan.writes.len(), 1, "{:?}", plan.writes);
    assert_eq!(plan.writes[0].stored.id(), m.threats[2].id);
    // A stale regeneration is refused and writes nothing.
    let err = store
        .apply_regeneration(m.id, 7, &plan, "regenerated threats")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert_eq!(store.get_threat_model(m.id).await.unwrap().model, m);
    let (revision, _) = store
        .apply_regeneration(m.id, 1, &plan, "regenerated threats")
        .await
        .unwrap();
    assert_eq!(revision, 2);
    let mut expected = m.clone();
    expected.threats[2].obsolete = false;
    assert_eq!(store.get_threat_model(m.id).await.unwrap().model, expected);
    assert_eq!(
        store.get_threat_model_revision(m.id, 2).await.unwrap(),
        expected
    );
    let history = store.list_threat_model_revisions(m.id).await.unwrap();
    assert_eq!(history[0].summary, "regenerated threats: threats");
    // Applied, a second plan is empty and keeps the revision.
    let parts = store
        .get_threat_model_parts(ws.id, "payments")
        .await
        .unwrap();
    let again = plan_regeneration(&parts.head, &parts.threats, rules);
    assert!(again.is_empty());
    assert_eq!(
        store
            .apply_regeneration(m.id, 2, &again, "regenerated threats")
            .await
            .unwrap()
            .0,
        2
    );

    // A user edit that deletes a threat removes its row only.
    let mut edited = expected.clone();
    edited.threats.remove(0);
    let saved = store.save_threat_model(m.id, 2, &edited).await.unwrap();
    assert_eq!(saved.revision, 3);
    assert_eq!(store.get_threat_model(m.id).await.unwrap().model, edited);
    assert!(matches!(
        store.save_threat_model(m.id, 2, &expected).await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(store.get_threat_model(m.id).await.unwrap().model, edited);
    store.close().await;
}

/// The regeneration read hands over every stored threat once, in model
/// order, across pages (more threats than one page holds), and refuses a
/// revision the model has moved past before handing over any.
#[tokio::test]
async fn stored_threats_arrive_in_model_order_page_by_page_and_only_at_their_revision() {
    let (_dir, store, ws) = fresh().await;
    let mut m = model(ws, "Many threats");
    let api = m.diagrams[0].elements[1].id;
    for i in 0..5000 {
        m.threats.push(Threat::manual(
            format!("Threat {i}"),
            Stride::Tampering,
            ThreatTarget::Element(api),
            Rating::Low,
            Rating::Medium,
        ));
    }
    let stored = store.create_threat_model(&m).await.unwrap();

    let head = store
        .get_threat_model_head(ws, "many threats")
        .await
        .unwrap();
    assert_eq!((head.id, head.revision), (m.id, stored.revision));
    let mut pages = 0;
    let mut ids = Vec::new();
    store
        .read_stored_threats(m.id, head.revision, |page| {
            pages += 1;
            ids.extend(page.iter().map(|t| t.id()));
        })
        .await
        .unwrap();
    let want: Vec<_> = m.threats.iter().map(|t| t.id).collect();
    assert_eq!(ids, want, "every threat once, in model order");
    assert!(pages > 1, "a model this size is read in several pages");

    // Saved since: the old revision is refused before any page.
    let mut edited = m.clone();
    edited.threats[0].notes = "Checked".into();
    store
        .save_threat_model(m.id, stored.revision, &edited)
        .await
        .unwrap();
    let mut handed = 0;
    let err = store
        .read_stored_threats(m.id, head.revision, |page| handed += page.len())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
    assert_eq!(handed, 0);
}

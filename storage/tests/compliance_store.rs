//! Compliance cells, scope, imported catalogs and mapping edits in the
//! store, on real SQLite files.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

mod common;

use common::fresh;
use plasma_models::compliance::{
    Cell, Control, ControlRef, Framework, ImplementationStatus, MappingOverride, Relationship,
};
use plasma_storage::{CellSave, ImportAction, StoreError};

fn cell(control: &str, repo: &str) -> Cell {
    let mut c = Cell::new(ControlRef::new("soc2", control), repo);
    c.set_status(ImplementationStatus::Planned);
    c
}

#[tokio::test]
async fn cells_save_with_revisions_and_refuse_stale_batches_whole() {
    let (_dir, store, ws) = fresh().await;
    let saved = store
        .save_cells(
            ws,
            &[
                CellSave {
                    cell: cell("CC6.1", "api"),
                    expected_revision: 0,
                },
                CellSave {
                    cell: cell("CC6.1", "web"),
                    expected_revision: 0,
                },
            ],
        )
        .await
        .unwrap();
    assert_eq!(saved.iter().map(|s| s.revision).collect::<Vec<_>>(), [1, 1]);

    // An unchanged save keeps the revision.
    let again = store
        .save_cells(
            ws,
            &[CellSave {
                cell: cell("CC6.1", "api"),
                expected_revision: 1,
            }],
        )
        .await
        .unwrap();
    assert_eq!(again[0].revision, 1);

    let mut done = cell("CC6.1", "api");
    done.set_status(ImplementationStatus::Implemented);
    done.owner = "platform team".into();
    let mut web = cell("CC6.1", "web");
    web.narrative = "SSO in front of the admin pages".into();
    // The web cell claims revision 0 but is at 1: the batch is refused and
    // the api cell is not written either.
    let err = store
        .save_cells(
            ws,
            &[
                CellSave {
                    cell: done.clone(),
                    expected_revision: 1,
                },
                CellSave {
                    cell: web,
                    expected_revision: 0,
                },
            ],
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 0,
                actual: 1,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("soc2:CC6.1 in web"), "{err}");
    let api = store
        .get_cell(ws, &ControlRef::new("soc2", "CC6.1"), "api")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(api.cell.status, Some(ImplementationStatus::Planned));

    store
        .save_cells(
            ws,
            &[CellSave {
                cell: done,
                expected_revision: 1,
            }],
        )
        .await
        .unwrap();
    let history = store
        .cell_revisions(ws, &ControlRef::new("soc2", "CC6.1"), "api")
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].summary, "status, owner");
    assert_eq!(history[1].summary, "created");
    assert_eq!(store.list_cells(ws).await.unwrap().len(), 2);

    // Invalid cells are refused before anything is written.
    let mut bad = cell("CC7.1", "api");
    bad.applicable = false;
    let err = store
        .save_cells(
            ws,
            &[CellSave {
                cell: bad,
                expected_revision: 0,
            }],
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(store.list_cells(ws).await.unwrap().len(), 2);
}

#[tokio::test]
async fn scope_catalogs_and_mapping_edits_persist() {
    let (_dir, store, ws) = fresh().await;
    assert_eq!(store.compliance_scope(ws).await.unwrap(), None);
    store.set_compliance_scope(ws, &[]).await.unwrap();
    assert_eq!(store.compliance_scope(ws).await.unwrap(), Some(vec![]));
    store
        .set_compliance_scope(ws, &["soc2".into(), "gdpr".into()])
        .await
        .unwrap();
    assert_eq!(
        store.compliance_scope(ws).await.unwrap(),
        Some(vec!["soc2".to_string(), "gdpr".to_string()])
    );

    let mut fw = Framework {
        id: "nist-800-53-low".into(),
        name: "Low baseline".into(),
        version: "5.1.1".into(),
        source: "OSCAL".into(),
        notice: String::new(),
        bundled: false,
        controls: vec![Control {
            id: "ac-1".into(),
            group: "ac".into(),
            title: "Policy and Procedures".into(),
            description: String::new(),
        }],
    };
    assert_eq!(
        store.save_imported_framework(ws, &fw).await.unwrap(),
        ImportAction::Created
    );
    assert_eq!(
        store.save_imported_framework(ws, &fw).await.unwrap(),
        ImportAction::Unchanged
    );
    fw.version = "5.1.2".into();
    assert_eq!(
        store.save_imported_framework(ws, &fw).await.unwrap(),
        ImportAction::Updated
    );
    assert_eq!(store.list_imported_frameworks(ws).await.unwrap(), vec![fw]);

    let edit = MappingOverride {
        source: ControlRef::new("soc2", "CC6.1"),
        target: ControlRef::new("gdpr", "Art.32"),
        relationship: Some(Relationship::Intersects),
        strength: Some(3),
        rationale: "access control is one security measure".into(),
    };
    store.save_mapping_override(ws, &edit).await.unwrap();
    let mut removed = edit.clone();
    removed.relationship = None;
    store.save_mapping_override(ws, &removed).await.unwrap();
    assert_eq!(
        store.list_mapping_overrides(ws).await.unwrap(),
        vec![removed]
    );
}

#![allow(dead_code)]

use chrono::Utc;
use plasma_models::{AdrDraft, AdrStatus, ConsideredOption, Workspace};
use plasma_storage::Store;
use tempfile::TempDir;
use uuid::Uuid;

pub fn workspace(name: &str) -> Workspace {
    Workspace {
        id: Uuid::new_v4(),
        name: name.into(),
        description: String::new(),
        repositories: vec![],
        created_at: Utc::now(),
    }
}

pub fn draft(title: &str) -> AdrDraft {
    AdrDraft {
        title: title.into(),
        status: AdrStatus::Proposed,
        ..Default::default()
    }
}

pub fn rich_draft(title: &str, context: &str, pro: &str) -> AdrDraft {
    AdrDraft {
        context: context.into(),
        considered_options: vec![ConsideredOption {
            title: "Option A".into(),
            description: String::new(),
            pros: vec![pro.into()],
            cons: vec![],
            neutral: vec![],
        }],
        ..draft(title)
    }
}

/// A store on a real file in a fresh temp folder, with one workspace.
pub async fn fresh() -> (TempDir, Store, Uuid) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("plasma.db"))
        .await
        .expect("open");
    let ws = workspace("Plasma");
    store.create_workspace(&ws).await.expect("workspace");
    (dir, store, ws.id)
}

//! End to end: edit the demo workspace in the real app. Removing a repository
//! that records name is refused in the dialog, which keeps what was typed;
//! the added repository becomes a compliance column, and the CLI reads it
//! back from the same SQLite file.

use std::time::Duration;

use fantoccini::Client;

use crate::e2e::{app, button, screenshot, start, wait_css, wait_text};
use crate::support::plasma;

const ADDED: &str = "plasma-engine-docs";
const REFERENCED: &str = "plasma-engine-gateway";

async fn dialog_open(c: &Client) -> bool {
    c.execute(
        "return document.querySelector('[role=dialog]') !== null;",
        vec![],
    )
    .await
    .ok()
    .and_then(|v| v.as_bool())
    .unwrap_or(true)
}

async fn add_repository(c: &Client, name: &str) {
    wait_css(c, "[role=dialog] input[aria-label='Repository to add']")
        .await
        .send_keys(name)
        .await
        .unwrap();
    button(c, "Add repository").await.click().await.unwrap();
    wait_text(c, "[role=dialog] .ws-repos", name).await;
}

#[tokio::test]
async fn e2e_workspace_edit_adds_a_repository_the_cli_sees() {
    let Some(app) = app() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("plasma.db");
    let (_driver, c) = start(&app, &db).await;

    button(&c, "Compliance").await.click().await.unwrap();
    wait_css(&c, &format!("[role=columnheader][title='{REFERENCED}']")).await;
    button(&c, "Edit workspace…").await.click().await.unwrap();
    add_repository(&c, ADDED).await;
    button(&c, &format!("Remove {REFERENCED}"))
        .await
        .click()
        .await
        .unwrap();
    button(&c, "Save").await.click().await.unwrap();
    wait_text(
        &c,
        "[role=dialog] [role=alert]",
        &format!("repository \"{REFERENCED}\" cannot be removed"),
    )
    .await;
    wait_text(
        &c,
        "[role=dialog] [role=alert]",
        "remove it from those records first",
    )
    .await;
    screenshot(&c, "workspace-edit-refused").await;
    // The dialog kept the edit; nothing reached the database.
    wait_text(&c, "[role=dialog] .ws-repos", ADDED).await;
    let unchanged = plasma(&db, &["workspace", "show", "--json"]).ok().json();
    assert!(!unchanged.to_string().contains(ADDED), "{unchanged:#}");

    // Keep the gateway after all, and save.
    add_repository(&c, REFERENCED).await;
    button(&c, "Save").await.click().await.unwrap();
    for _ in 0..100 {
        if !dialog_open(&c).await {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(!dialog_open(&c).await, "the dialog stayed open after Save");
    // The matrix shows the new repository as a column.
    wait_css(&c, &format!("[role=columnheader][title='{ADDED}']")).await;
    screenshot(&c, "workspace-edited").await;
    c.close().await.unwrap();

    let ws = plasma(&db, &["workspace", "show", "--json"]).ok().json();
    let names: Vec<&str> = ws["repositories"]
        .as_array()
        .expect("repositories")
        .iter()
        .filter_map(|r| r["name"].as_str())
        .collect();
    assert_eq!(names.last(), Some(&ADDED), "{ws:#}");
    assert!(names.contains(&REFERENCED), "{ws:#}");
    assert_eq!(ws["name"], "Plasma Engine");
}

//! End to end on the real app: add two initiatives with a dependency, see
//! the plan order and a gate, export the gantt, and read it all back with
//! the CLI from the same SQLite file. Skipped without `PLASMA_E2E`.

use std::time::Duration;

use fantoccini::Locator;

use crate::e2e::{app, button, screenshot, start, wait_text, wait_xpath};
use crate::support::plasma;

const PLAN: &str = "table[aria-label='Initiatives in dependency order']";

#[tokio::test]
async fn e2e_roadmap_dependency_gate_and_gantt_export() {
    let Some(app) = app() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("plasma.db");
    let (_driver, c) = start(&app, &db).await;

    button(&c, "Roadmap").await.click().await.unwrap();
    // The demo's secrets initiative waits for ADR 6, which is only proposed.
    wait_text(&c, PLAN, "secrets-and-policies").await;
    wait_text(&c, PLAN, "ADR 6 is proposed, not accepted").await;

    for title in ["Alpha plan", "Beta rollout"] {
        button(&c, "New initiative").await.click().await.unwrap();
        let input = wait_xpath(&c, "//input[@aria-label='New initiative']").await;
        input.send_keys(title).await.unwrap();
        button(&c, "Add initiative").await.click().await.unwrap();
        wait_text(&c, PLAN, &title.to_lowercase().replace(' ', "-")).await;
    }
    c.find(Locator::Css("select[aria-label='Initiative']"))
        .await
        .unwrap()
        .select_by_value("alpha-plan")
        .await
        .unwrap();
    c.find(Locator::Css("select[aria-label='Depends on']"))
        .await
        .unwrap()
        .select_by_value("beta-rollout")
        .await
        .unwrap();
    button(&c, "Add dependency").await.click().await.unwrap();

    // Beta now comes before Alpha in the plan order.
    let script = "return [...document.querySelectorAll(arguments[0] + ' tbody tr td:nth-child(2) code')].map(c => c.textContent).join(',');";
    let mut order = String::new();
    for _ in 0..100 {
        order = c
            .execute(script, vec![serde_json::json!(PLAN)])
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_string();
        if order.ends_with("beta-rollout,alpha-plan") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(order.ends_with("beta-rollout,alpha-plan"), "{order}");

    let out = tmp.path().join("export").join("roadmap.mmd");
    button(&c, "Export…").await.click().await.unwrap();
    let field = wait_xpath(&c, "//input[@aria-label='Export to file']").await;
    field.send_keys(out.to_str().unwrap()).await.unwrap();
    button(&c, "Export roadmap").await.click().await.unwrap();
    wait_text(&c, "ul[aria-label='Written files']", "roadmap.mmd").await;
    screenshot(&c, "roadmap").await;
    c.close().await.unwrap();

    let gantt = std::fs::read_to_string(&out).unwrap();
    assert!(gantt.starts_with("gantt\n"), "{gantt}");
    assert!(
        gantt.contains("i_alpha_plan, after i_beta_rollout, 5d"),
        "{gantt}"
    );

    let list = plasma(&db, &["roadmap", "list", "--json"]).ok().json();
    let alpha = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["initiative"]["key"] == "alpha-plan")
        .unwrap();
    assert_eq!(
        alpha["initiative"]["depends_on"],
        serde_json::json!(["beta-rollout"])
    );
}

/// The SLO folder import goes through the real app's IPC: its command is
/// registered and the window's capability grants it. (The folder picker is
/// a native GTK dialog WebDriver cannot drive, so the page's own IPC bridge
/// is called with the folder the picker would return.)
#[tokio::test]
async fn e2e_slo_folder_import_through_the_apps_command() {
    let Some(app) = app() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("plasma.db");
    let specs = tmp.path().join("specs");
    std::fs::create_dir_all(&specs).unwrap();
    std::fs::write(
        specs.join("search.sloth.yaml"),
        "version: prometheus/v1\nservice: search\nslos:\n  - name: availability\n    objective: 99.5\n    sli:\n      raw:\n        error_ratio_query: search_errors[{{.window}}]\n    alerting:\n      name: SearchAvailability\n",
    )
    .unwrap();
    let (_driver, c) = start(&app, &db).await;
    button(&c, "SLOs").await.click().await.unwrap();
    button(&c, "Import folder…").await;

    let script = "const done = arguments[arguments.length - 1];
        window.__TAURI_INTERNALS__.invoke('import_slo_folder', { dir: arguments[0] })
          .then((r) => done(JSON.stringify(r)), (e) => done('error: ' + JSON.stringify(e)));";
    let out = c
        .execute_async(script, vec![serde_json::json!(specs.to_str().unwrap())])
        .await
        .unwrap();
    let out = out.as_str().unwrap_or_default().to_string();
    let report: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|_| panic!("import_slo_folder: {out}"));
    assert_eq!(
        report["files"][0]["file"], "search.sloth.yaml",
        "{report:#}"
    );
    assert_eq!(
        report["files"][0]["items"][0],
        serde_json::json!(["search/availability", "created"])
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let list = plasma(&db, &["slo", "list", "--json"]).ok().json();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|r| r["slo"]["service"] == "search"),
        "{list:#}"
    );
}

//! End to end on the real app: draw a data-flow diagram (an external entity,
//! a process and a data store, the last two inside a trust boundary), connect
//! flows, generate threats, mitigate one and export the report; then check
//! the database and the files with the CLI. Gestures go through the UI's
//! keyboard/button equivalents (palette click, "Connect to", "Move into
//! boundary"), which WebDriver drives reliably.

use std::path::Path;
use std::time::Duration;

use fantoccini::{Client, Locator};
use plasma_models::threat::ElementKind;
use plasma_workbench::Workbench;

use crate::e2e::{
    app, button, click_css, screenshot, start, type_into, wait_css, wait_text, wait_xpath,
};
use crate::support::plasma;

const MODEL: &str = "Shop e2e";

/// Picks the option with this text in a `<select>`, as a user choosing it
/// would: the value changes and a bubbling `change` event fires (React's
/// onChange listens to it).
async fn choose(c: &Client, css: &str, label: &str) {
    wait_css(c, css).await;
    let script = r#"
        const [css, label] = arguments;
        const el = document.querySelector(css);
        const opt = el && [...el.options].find((o) => o.textContent.trim() === label);
        if (!opt) return false;
        const set = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set;
        set.call(el, opt.value);
        el.dispatchEvent(new Event("change", { bubbles: true }));
        return true;
    "#;
    let done = c
        .execute(
            script,
            vec![serde_json::json!(css), serde_json::json!(label)],
        )
        .await
        .unwrap();
    assert_eq!(
        done,
        serde_json::json!(true),
        "no option {label:?} in {css}"
    );
    tokio::time::sleep(Duration::from_millis(150)).await;
}

/// Fits the diagram into view and clicks the node with this name.
async fn pick_node(c: &Client, name: &str) {
    button(c, "Fit").await.click().await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    wait_css(c, &format!("[data-testid='node-{name}']"))
        .await
        .click()
        .await
        .unwrap();
    let mut shown = String::new();
    for _ in 0..50 {
        if let Ok(input) = c
            .find(Locator::Css(
                "[aria-label='Element properties'] input.input",
            ))
            .await
        {
            shown = input.prop("value").await.unwrap().unwrap_or_default();
            if shown == name {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    screenshot(c, "threats-failure").await;
    panic!("the panel shows {shown:?}, not the picked node {name:?}");
}

async fn connect_to(c: &Client, target: &str) {
    choose(c, "select[aria-label='Connect to']", target).await;
    wait_xpath(
        c,
        "//*[@aria-label='Element properties']//button[normalize-space(.)='Connect']",
    )
    .await
    .click()
    .await
    .unwrap();
    wait_css(c, "[aria-label='Flow properties']").await;
}

/// Scrolls a button of the side panel into view, then clicks it.
async fn press(c: &Client, name: &str) {
    let el = button(c, name).await;
    c.execute(
        "arguments[0].scrollIntoView({ block: 'center' });",
        vec![serde_json::to_value(&el).unwrap()],
    )
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(150)).await;
    el.click().await.unwrap();
}

/// The Threat models section.
async fn threat_models(c: &Client) {
    wait_xpath(c, "//nav//button[contains(., 'Threat models')]")
        .await
        .click()
        .await
        .unwrap();
}

/// Opens a threat model from the Threat models section.
async fn open_model(c: &Client, name: &str) {
    threat_models(c).await;
    button(c, name).await.click().await.unwrap();
}

async fn wait_saved(c: &Client) {
    // "Unsaved changes" also contains "saved"; the saved state reads "Saved".
    for _ in 0..100 {
        let text = c
            .execute(
                "const el = document.querySelector('.tm-bar [role=status]'); return el ? el.textContent.trim() : null;",
                vec![],
            )
            .await
            .unwrap_or_default();
        if text == serde_json::json!("Saved") {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    screenshot(c, "threats-failure").await;
    panic!("the threat model never showed Saved");
}

fn threat_rows(db: &Path) -> Vec<serde_json::Value> {
    plasma(db, &["threats", "list", MODEL, "--json"])
        .ok()
        .json()
        .as_array()
        .unwrap()
        .clone()
}

/// Writes the open model to `file` through the Export dialog as `format`
/// (the radio's value) and waits for the dialog to name the file.
async fn export_model_file(c: &Client, format: &str, file: &Path) {
    button(c, "Export…").await.click().await.unwrap();
    click_css(
        c,
        &format!("[role=dialog] input[type=radio][value={format}]"),
    )
    .await;
    type_into(
        c,
        "[role=dialog] input#tm-export-file",
        file.to_str().unwrap(),
    )
    .await;
    wait_xpath(c, "//*[@role='dialog']//button[@type='submit']")
        .await
        .click()
        .await
        .unwrap();
    let name = file.file_name().unwrap().to_string_lossy();
    wait_text(c, "[role=region][aria-label='Exported file']", &name).await;
}

#[tokio::test]
async fn e2e_threats_draw_generate_mitigate_export() {
    let Some(app) = app() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("e2e-threats.db");
    let out = tmp.path().join("report");
    let (_driver, c) = start(&app, &db).await;

    wait_text(&c, "nav", "Threat models").await;
    threat_models(&c).await;
    button(&c, "New threat model").await.click().await.unwrap();
    type_into(
        &c,
        "[role=dialog] input[aria-label='Threat model name']",
        MODEL,
    )
    .await;
    button(&c, "Create").await.click().await.unwrap();
    wait_css(&c, ".dfd-canvas").await;

    // Palette clicks add each kind at the centre of the canvas.
    for kind in ["Trust boundary", "External entity", "Process", "Data store"] {
        button(&c, kind).await.click().await.unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    wait_text(&c, ".rail-stats", "3 elements").await;

    // Containment from the panels: store and process in, entity out.
    pick_node(&c, "Data store").await;
    choose(
        &c,
        "select[aria-label='Move into boundary']",
        "Trust boundary",
    )
    .await;
    pick_node(&c, "Process").await;
    choose(
        &c,
        "select[aria-label='Move into boundary']",
        "Trust boundary",
    )
    .await;
    connect_to(&c, "Data store").await;
    pick_node(&c, "External entity").await;
    choose(
        &c,
        "select[aria-label='Move into boundary']",
        "(none: outside every boundary)",
    )
    .await;
    connect_to(&c, "Process").await;
    wait_text(&c, ".rail-stats", "2 flows").await;
    wait_saved(&c).await;
    screenshot(&c, "threats-drawn").await;

    // The database holds the drawing, containment included.
    let wb = Workbench::open(&db).await.unwrap();
    let stored = wb.get_threat_model(MODEL).await.unwrap().model;
    let d = &stored.diagrams[0];
    assert_eq!(d.elements.len(), 3, "{d:#?}");
    assert_eq!(d.flows.len(), 2);
    assert_eq!(d.boundaries.len(), 1);
    let boundary = d.boundaries[0].id;
    for e in &d.elements {
        let want = (e.kind != ElementKind::ExternalEntity).then_some(boundary);
        assert_eq!(e.boundary, want, "{} is in the wrong place", e.name);
    }
    wb.close().await;
    assert!(threat_rows(&db).is_empty(), "no threats before generating");

    // Generate: the rules see the entity's flow cross into the boundary.
    button(&c, "Generate threats").await.click().await.unwrap();
    wait_text(&c, ".threat-summary", "open").await;
    let rows = threat_rows(&db);
    assert!(rows.len() >= 5, "generated threats: {rows:#?}");
    assert!(rows.iter().all(|r| r["status"] == "open"));

    // Mitigate the first threat of the list with a done mitigation.
    let first_title = wait_css(&c, ".threat-item .threat-title")
        .await
        .text()
        .await
        .unwrap();
    click_css(&c, ".threat-item .threat-head").await;
    press(&c, "Add mitigation").await;
    type_into(
        &c,
        ".threat-detail input[aria-label='Mitigation']",
        "Mutual TLS between every hop",
    )
    .await;
    type_into(
        &c,
        ".threat-detail input[aria-label='Owner']",
        "platform team",
    )
    .await;
    choose(
        &c,
        ".threat-detail select[aria-label='Mitigation status']",
        "Done",
    )
    .await;
    choose(
        &c,
        ".threat-detail select[aria-label='Threat status']",
        "Mitigated",
    )
    .await;
    press(&c, "Save threat").await;
    let mut mitigated = None;
    for _ in 0..50 {
        mitigated = threat_rows(&db)
            .into_iter()
            .find(|r| r["status"] == "mitigated");
        if mitigated.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let mitigated = mitigated.expect("a threat became mitigated");
    assert_eq!(mitigated["title"].as_str(), Some(first_title.as_str()));
    assert_eq!(mitigated["mitigations_done"], 1);
    screenshot(&c, "threats-mitigated").await;

    // Export the report into a folder typed in the dialog.
    button(&c, "Export…").await.click().await.unwrap();
    type_into(
        &c,
        "[role=dialog] input#tm-report-dir",
        out.to_str().unwrap(),
    )
    .await;
    wait_xpath(&c, "//*[@role='dialog']//button[@type='submit']")
        .await
        .click()
        .await
        .unwrap();
    wait_text(
        &c,
        "[role=region][aria-label='Report files']",
        "shop-e2e.svg",
    )
    .await;
    screenshot(&c, "threats-report").await;
    button(&c, "Done").await.click().await.unwrap();

    // The same dialog writes the model as Threat Dragon JSON, and as Open
    // Threat Model JSON.
    let td_file = tmp.path().join("exported").join("shop-e2e.json");
    export_model_file(&c, "threat_dragon", &td_file).await;
    button(&c, "Done").await.click().await.unwrap();
    let otm_file = tmp.path().join("exported").join("shop-e2e.otm.json");
    export_model_file(&c, "otm", &otm_file).await;
    c.close().await.unwrap();

    // The files are on disk, and the CLI writes the very same report.
    let names = [
        "shop-e2e.md",
        "shop-e2e-threats.csv",
        "shop-e2e.svg",
        "shop-e2e.mmd",
        "shop-e2e.dot",
    ];
    let again = tmp.path().join("cli-report");
    plasma(
        &db,
        &["threats", "report", MODEL, "--out", again.to_str().unwrap()],
    )
    .ok();
    for name in names {
        let ui = std::fs::read_to_string(out.join(name))
            .unwrap_or_else(|e| panic!("the app did not write {name}: {e}"));
        let cli = std::fs::read_to_string(again.join(name)).unwrap();
        assert_eq!(ui, cli, "{name} differs between the app and the CLI");
    }
    let md = std::fs::read_to_string(out.join("shop-e2e.md")).unwrap();
    assert!(md.contains("Mutual TLS between every hop"), "{md}");
    assert!(md.contains("**trust boundaries:** 1"), "{md}");
    assert!(std::fs::read_to_string(out.join("shop-e2e.svg"))
        .unwrap()
        .starts_with("<svg"));
    // Each file the app wrote is the one the CLI writes, mitigation included.
    let mut docs = vec![];
    for (format, app_file) in [("td", &td_file), ("otm", &otm_file)] {
        let cli_file = tmp.path().join(format!("cli.{format}.json"));
        let out_arg = cli_file.to_str().unwrap();
        let args = [
            "threats", "export", MODEL, "--format", format, "--out", out_arg,
        ];
        plasma(&db, &args).ok();
        let text = std::fs::read_to_string(app_file).expect("the app wrote the file");
        assert_eq!(
            text,
            std::fs::read_to_string(&cli_file).unwrap(),
            "{format}"
        );
        assert!(text.contains("Mutual TLS between every hop"), "{format}");
        docs.push(serde_json::from_str::<serde_json::Value>(&text).unwrap());
    }
    let version = docs[0]["version"].as_str().unwrap_or_default();
    assert!(version.starts_with('2'), "Threat Dragon v2: {version}");
    assert_eq!(docs[1]["otmVersion"], "0.2.0");

    // The gate sees the mitigation: that threat no longer counts.
    let check = plasma(
        &db,
        &["threats", "check", MODEL, "--fail-on", "low", "--json"],
    )
    .json();
    let offending = check["offending"].as_array().unwrap();
    assert!(
        !offending.is_empty(),
        "other threats are still open: {check:#}"
    );
    assert!(
        offending.iter().all(|r| r["id"] != mitigated["id"]),
        "{check:#}"
    );
}

/// The demo's model comes with a review already held: the real app lists it
/// under Earlier sessions and shows its minutes, rendered, in the webview.
#[tokio::test]
async fn e2e_threats_demo_session_minutes() {
    let Some(app) = app() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("e2e-session.db");
    let (_driver, c) = start(&app, &db).await;
    open_model(&c, "Gateway and agent").await;
    wait_css(&c, ".dfd-canvas").await;
    wait_xpath(&c, "//button[@role='tab' and normalize-space(.)='Session']")
        .await
        .click()
        .await
        .unwrap();
    wait_text(&c, ".session-panel", "Earlier sessions").await;
    wait_text(&c, ".session-panel", "Security lead, Platform architect").await;
    button(&c, "Minutes").await.click().await.unwrap();
    wait_text(&c, "[aria-label='Session minutes']", "Outcome").await;
    wait_text(
        &c,
        "[aria-label='Session minutes']",
        "Clickjacking of Gateway: The gateway renders no pages",
    )
    .await;
    wait_text(
        &c,
        "[aria-label='Session minutes']",
        "Instructions hidden in web search results steer the agent",
    )
    .await;
    screenshot(&c, "threats-session-minutes").await;
}

/// Ctrl+K finds a threat of the demo by words of its title; Enter opens its
/// model on the Threats tab, listing its element's threats with this one
/// open.
#[tokio::test]
async fn e2e_search_opens_a_threat_on_its_model() {
    let Some(app) = app() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("e2e-search.db");
    let (_driver, c) = start(&app, &db).await;
    let body = wait_css(&c, "body").await;
    body.send_keys(&format!("{}k", char::from(fantoccini::key::Key::Control)))
        .await
        .unwrap();
    let search = wait_css(&c, "[role=dialog] input[aria-label='Search everything']").await;
    search.send_keys("direct prompt injection").await.unwrap();
    wait_text(
        &c,
        "[role=listbox][aria-label='Search results']",
        "Direct prompt injection into Agent runtime",
    )
    .await;
    search
        .send_keys(&char::from(fantoccini::key::Key::Enter).to_string())
        .await
        .unwrap();
    wait_css(&c, ".dfd-canvas").await;
    wait_text(&c, ".focus-chip", "Agent runtime").await;
    wait_text(
        &c,
        "li.threat-item:has(button.threat-head[aria-expanded='true'])",
        "Direct prompt injection into Agent runtime",
    )
    .await;
    screenshot(&c, "search-threat").await;
}

/// A Threat Dragon model whose trust boundary is a line (as Threat Dragon
/// draws them) opens with the line drawn, its panel saying what a line
/// means, and the flow drawn across it crossing the boundary for the rules.
#[tokio::test]
async fn e2e_a_threat_dragon_boundary_line_is_drawn_and_crossed() {
    let Some(app) = app() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("e2e-line.db");
    let file = tmp.path().join("line.json");
    let cell = |id: &str, shape: &str, name: &str, x: i64| {
        serde_json::json!({
            "id": id, "shape": shape, "zIndex": 1,
            "position": {"x": x, "y": 100}, "size": {"width": 120, "height": 60},
            "data": {"type": if shape == "actor" { "tm.Actor" } else { "tm.Process" },
                     "name": name, "threats": []}
        })
    };
    let model = serde_json::json!({
        "version": "2.2.0",
        "summary": {"title": "Line e2e"},
        "detail": {"contributors": [], "diagrams": [{
            "id": 0, "title": "Main", "diagramType": "STRIDE", "version": "2.2.0",
            "cells": [
                cell("6e1a3bb8-9a8e-4e65-9d4e-1c1f2b3a4d01", "actor", "Partner", 40),
                cell("6e1a3bb8-9a8e-4e65-9d4e-1c1f2b3a4d02", "process", "Billing API", 420),
                {"id": "6e1a3bb8-9a8e-4e65-9d4e-1c1f2b3a4d03", "shape": "trust-boundary-curve",
                 "zIndex": 2, "source": {"x": 300, "y": 20}, "target": {"x": 300, "y": 260},
                 "vertices": [], "data": {"type": "tm.Boundary", "name": "Partner edge",
                 "isTrustBoundary": true}},
                {"id": "6e1a3bb8-9a8e-4e65-9d4e-1c1f2b3a4d04", "shape": "flow", "zIndex": 3,
                 "source": {"cell": "6e1a3bb8-9a8e-4e65-9d4e-1c1f2b3a4d01"},
                 "target": {"cell": "6e1a3bb8-9a8e-4e65-9d4e-1c1f2b3a4d02"}, "vertices": [],
                 "data": {"type": "tm.Flow", "name": "Invoice upload", "protocol": "https",
                          "isEncrypted": true, "threats": []}}
            ]
        }]}
    });
    std::fs::write(&file, model.to_string()).unwrap();
    plasma(&db, &["threats", "import", file.to_str().unwrap()]).ok();
    // The rules see the crossing: a threat on the flow names the line.
    let stored = Workbench::open(&db)
        .await
        .unwrap()
        .get_threat_model("Line e2e")
        .await
        .unwrap()
        .model;
    assert!(
        stored.threats.iter().any(|t| t
            .rationale
            .iter()
            .any(|b| b.property == "boundaries_crossed" && b.value == "Partner edge")),
        "{:#?}",
        stored.threats
    );

    let (_driver, c) = start(&app, &db).await;
    open_model(&c, "Line e2e").await;
    let line = wait_css(&c, "[aria-label='Trust boundary Partner edge (a line)']").await;
    assert_eq!(
        line.find_all(Locator::Css("polyline")).await.unwrap().len(),
        1,
        "drawn as a line"
    );
    click_css(
        &c,
        "[aria-label='Trust boundary Partner edge (a line)'] .dfd-boundary-label",
    )
    .await;
    wait_text(&c, "[aria-label='Boundary properties']", "Drawn as a line").await;
    screenshot(&c, "threats-boundary-line").await;
}

//! End to end: in the real app, mark a control implemented for one
//! repository with evidence, see the heat map change, then export the matrix
//! to XLSX from the same SQLite file and read the workbook back.

use std::path::Path;
use std::time::Duration;

use calamine::{open_workbook_auto, Data, Reader};
use fantoccini::Client;

use crate::e2e::{
    app, button, click_css, screenshot, start, type_into, wait_css, wait_text, wait_xpath,
};
use crate::support::plasma;

const REPO: &str = "plasma-engine-gateway";
const EVIDENCE: &str = "DR drill report e2e";

fn gateway_percent(db: &Path) -> f64 {
    let cov = plasma(
        db,
        &[
            "compliance",
            "coverage",
            "--framework",
            "plasma-sdlc",
            "--json",
        ],
    )
    .ok()
    .json();
    cov["heat_map"]
        .as_array()
        .expect("heat map")
        .iter()
        .find(|h| h["repository"] == REPO)
        .and_then(|h| h["percent"].as_f64())
        .unwrap_or_else(|| panic!("no {REPO} in {cov:#}"))
}

async fn heat_label(c: &Client) -> String {
    let script = "return [...document.querySelectorAll('.cm-heat-cell')].map((b) => b.getAttribute('aria-label')).find((l) => l.includes(' in plasma-engine-gateway:') && l.startsWith('Plasma secure SDLC')) ?? null;";
    c.execute(script, vec![])
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[tokio::test]
async fn e2e_compliance_mark_implemented_with_evidence_and_export() {
    let Some(app) = app() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("plasma.db");
    let (_driver, c) = start(&app, &db).await;

    button(&c, "Compliance").await.click().await.unwrap();
    let cell_name = format!("SDLC-10 in {REPO}: Not assessed");
    button(&c, &cell_name).await.click().await.unwrap();
    let before_ui = heat_label(&c).await;
    let before = gateway_percent(&db);

    click_css(&c, ".cm-panel .cm-chip.st-implemented").await;
    button(&c, &format!("SDLC-10 in {REPO}: Implemented")).await;
    type_into(&c, ".cm-add input[aria-label='Evidence title']", EVIDENCE).await;
    type_into(
        &c,
        ".cm-add input[aria-label='Evidence location']",
        "https://example.com/dr-drill-2026",
    )
    .await;
    click_css(&c, ".cm-add button[type='submit']").await;
    wait_text(&c, ".cm-evidence", EVIDENCE).await;

    // The heat map shows the new figure for the repository.
    let mut after_ui = heat_label(&c).await;
    for _ in 0..50 {
        if after_ui != before_ui {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        after_ui = heat_label(&c).await;
    }
    screenshot(&c, "compliance").await;
    assert_ne!(after_ui, before_ui, "the heat map did not change");
    let after = gateway_percent(&db);
    assert!(after > before, "coverage {before} -> {after}");
    assert!(
        after_ui.ends_with(&format!("{after:.0}%")),
        "{after_ui} vs {after}"
    );
    c.close().await.unwrap();

    // The workbook exported from the same database carries the edit.
    let out = tmp.path().join("matrix.xlsx");
    plasma(
        &db,
        &[
            "compliance",
            "export",
            "--framework",
            "plasma-sdlc",
            "--format",
            "xlsx",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .ok();
    let mut book = open_workbook_auto(&out).expect("open the exported workbook");
    let mut row_found = false;
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for row in range.rows() {
            let text: Vec<String> = row
                .iter()
                .map(|d| match d {
                    Data::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            if text.iter().any(|t| t == "SDLC-10")
                && text.iter().any(|t| t == REPO)
                && text.iter().any(|t| t.contains(EVIDENCE))
            {
                assert!(text.iter().any(|t| t == "implemented"), "{text:?}");
                row_found = true;
            }
        }
    }
    assert!(
        row_found,
        "no SDLC-10 / {REPO} row with the evidence in the workbook"
    );
}

/// A self-written OSCAL catalog: two groups, a control with an enhancement.
const CATALOG: &str = r#"{
  "catalog": {
    "uuid": "6f3c1f4e-8b1a-4d0e-9a57-2f1f6c7d0b11",
    "metadata": {
      "title": "Acme Engineering Baseline",
      "last-modified": "2026-11-01T00:00:00Z",
      "version": "2.1",
      "oscal-version": "1.1.2"
    },
    "groups": [
      {
        "id": "ac", "title": "Access",
        "controls": [
          {
            "id": "ac-1", "title": "Single sign-on for every console",
            "parts": [{ "id": "ac-1_smt", "name": "statement", "prose": "Consoles require SSO." }],
            "controls": [{ "id": "ac-1.1", "title": "Hardware keys for administrators" }]
          }
        ]
      },
      {
        "id": "cm", "title": "Change",
        "controls": [{ "id": "cm-1", "title": "Reviewed merges only" }]
      }
    ]
  }
}"#;

/// In the real app: import an OSCAL catalog from the Compliance page, see it
/// selected with its controls, put it in scope; the CLI sees the same.
#[tokio::test]
async fn e2e_compliance_import_a_catalog_and_put_it_in_scope() {
    let Some(app) = app() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("plasma.db");
    let file = tmp.path().join("acme-baseline.json");
    std::fs::write(&file, CATALOG).unwrap();
    let (_driver, c) = start(&app, &db).await;

    button(&c, "Compliance").await.click().await.unwrap();
    button(&c, "Import catalog…").await.click().await.unwrap();
    type_into(
        &c,
        "[role=dialog] input#catalog-file",
        file.to_str().unwrap(),
    )
    .await;
    type_into(&c, "[role=dialog] input#catalog-id", "acme-baseline").await;
    click_css(&c, "[role=dialog] button[type=submit]").await;
    wait_text(
        &c,
        "[role=region][aria-label='Import result']",
        "3 controls",
    )
    .await;
    screenshot(&c, "compliance-import").await;
    button(&c, "Done").await.click().await.unwrap();

    // The matrix shows the new catalog, out of scope until put in.
    wait_text(&c, ".cm-grid", "Hardware keys for administrators").await;
    let selected = c
        .execute(
            "return document.querySelector('select[aria-label=Framework]').value;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(selected.as_str(), Some("acme-baseline"));
    let in_scope = |db: &Path| {
        let list = plasma(db, &["compliance", "frameworks", "--json"])
            .ok()
            .json();
        let fw = list
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == "acme-baseline")
            .unwrap_or_else(|| panic!("no acme-baseline in {list:#}"))
            .clone();
        assert_eq!(fw["controls"], 3, "{fw:#}");
        assert_eq!(fw["name"], "Acme Engineering Baseline", "{fw:#}");
        fw["in_scope"].as_bool()
    };
    assert_eq!(in_scope(&db), Some(false));
    wait_css(
        &c,
        "label[title^='Frameworks in scope'] input[type=checkbox]",
    )
    .await
    .click()
    .await
    .unwrap();
    wait_text(
        &c,
        "table[aria-label='Coverage heat map']",
        "Acme Engineering Baseline",
    )
    .await;
    assert_eq!(in_scope(&db), Some(true));
    c.close().await.unwrap();
}

/// A component definition another tool wrote: one component per
/// repository, implemented requirements with their states.
const COMPONENT_DEFINITION: &str = r#"{
  "component-definition": {
    "uuid": "5b2c8f3e-1d4a-4c6b-9e7f-0a1b2c3d4e5f",
    "metadata": {"title": "Brand service controls", "last-modified": "2026-11-01T00:00:00Z",
                 "version": "1", "oscal-version": "1.1.2"},
    "components": [{
      "uuid": "6c3d9f4e-2e5b-4d7c-8f80-1b2c3d4e5f60",
      "type": "service",
      "title": "plasma-engine-brand",
      "description": "The brand service.",
      "control-implementations": [{
        "uuid": "7d4e0a5f-3f6c-4e8d-9a91-2c3d4e5f6071",
        "source": "https://example.com/plasma-sdlc.json",
        "description": "Program SDLC",
        "implemented-requirements": [{
          "uuid": "8e5f1b60-407d-4f9e-8ba2-3d4e5f607182",
          "control-id": "sdlc-05",
          "description": "Release images are signed with cosign in the shared workflow.",
          "props": [{"name": "implementation-status", "value": "implemented"}]
        }]
      }]
    }]
  }
}"#;

/// The app imports a component definition's implementation states into the
/// matrix: the cell changes on screen and in the database, nothing else.
#[tokio::test]
async fn e2e_compliance_import_oscal_states_into_the_matrix() {
    let Some(app) = app() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("plasma.db");
    let file = tmp.path().join("brand-component-definition.json");
    std::fs::write(&file, COMPONENT_DEFINITION).unwrap();
    let (_driver, c) = start(&app, &db).await;

    button(&c, "Compliance").await.click().await.unwrap();
    button(&c, "SDLC-05 in plasma-engine-brand: Not assessed").await;
    button(&c, "Import OSCAL states…")
        .await
        .click()
        .await
        .unwrap();
    type_into(
        &c,
        "[role=dialog] input#assessment-file",
        file.to_str().unwrap(),
    )
    .await;
    click_css(&c, "[role=dialog] button[type=submit]").await;
    wait_text(
        &c,
        "[role=region][aria-label='Import result']",
        "1 cell updated",
    )
    .await;
    screenshot(&c, "compliance-import-oscal-states").await;
    button(&c, "Done").await.click().await.unwrap();
    // Named by its text, which ends with the evidence count when it has any.
    wait_xpath(
        &c,
        "//button[starts-with(normalize-space(.), 'SDLC-05 in plasma-engine-brand: Implemented')]",
    )
    .await;

    let view = plasma(
        &db,
        &["compliance", "show", "plasma-sdlc:SDLC-05", "--json"],
    )
    .ok()
    .json();
    let brand = view["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["repository"] == "plasma-engine-brand")
        .unwrap()["cell"]
        .clone();
    assert_eq!(brand["status"], "implemented", "{brand:#}");
    assert_eq!(
        brand["narrative"],
        "Release images are signed with cosign in the shared workflow."
    );
    c.close().await.unwrap();
}

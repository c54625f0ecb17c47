//! End to end on the real app with a large diagram: a generated model of
//! 1,000 elements (imported by the CLI from pytm JSON, laid out on import)
//! opens in the WebKit window, the canvas, minimap and fit view show all of
//! it, a click selects an element and opens its property panel, and a mouse
//! drag moves it and the move is saved to the database.
//! `bench/diagram-webkit.sh` measures frame times on the same models
//! (`e2e_diagram_bench`); this module asserts behaviour only, never timing.

use std::path::Path;
use std::time::Duration;

use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
use fantoccini::Client;
use plasma_workbench::Workbench;

use crate::e2e::{app, button, screenshot, start, wait_css, wait_text, wait_xpath};
use crate::support::plasma;

/// The name the generated model of `elements` elements gets.
pub(crate) fn model_name(elements: usize) -> String {
    format!("Large diagram {elements}")
}

const PROTOCOLS: [&str; 5] = ["HTTPS", "HTTP", "gRPC", "SQL", "AMQP"];
const CLASSES: [&str; 4] = ["PUBLIC", "RESTRICTED", "SENSITIVE", "SECRET"];

/// Writes a deterministic pytm JSON model (what `plasma threats import
/// --format pytm` reads) with `elements` diagram elements (actors, servers,
/// processes, lambdas and data stores in turn), as many data flows between
/// random pairs of them, about 3 % as many nested trust boundaries holding
/// the elements, and 20 data assets. Returns the model's name.
pub(crate) fn write_pytm_model(path: &Path, elements: usize) -> String {
    // A small xorshift generator: the same model for the same size, without
    // a dependency.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64 ^ elements as u64;
    let mut next = move |below: usize| -> usize {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below.max(1) as u64) as usize
    };
    let boundaries = (elements * 3 / 100).max(2);
    let kinds = ["Actor", "Server", "Process", "Lambda", "Datastore"];
    let zones: Vec<serde_json::Value> = (0..boundaries)
        .map(|i| {
            let mut b = serde_json::json!({ "name": format!("Zone {i}") });
            if i >= 2 {
                b["inBoundary"] = format!("Zone {}", next(i)).into();
            }
            b
        })
        .collect();
    let names: Vec<String> = (0..elements)
        .map(|i| format!("{} {i}", kinds[i % kinds.len()]))
        .collect();
    let nodes: Vec<serde_json::Value> = (0..elements)
        .map(|i| {
            let kind = kinds[i % kinds.len()];
            let mut e = serde_json::json!({
                "__class__": kind,
                "name": names[i],
                "inBoundary": format!("Zone {}", next(boundaries)),
            });
            if kind == "Datastore" {
                e["isEncrypted"] = (i % 2 == 0).into();
                e["storesPII"] = (i % 3 == 0).into();
            } else if kind != "Actor" {
                e["hasAccessControl"] = (i % 4 != 0).into();
            }
            e
        })
        .collect();
    let mut pairs = std::collections::HashSet::new();
    let mut flows = Vec::with_capacity(elements);
    while flows.len() < elements && elements > 1 {
        let (a, b) = (next(elements), next(elements));
        if a == b || !pairs.insert((a, b)) {
            continue;
        }
        let i = flows.len();
        flows.push(serde_json::json!({
            "name": format!("Flow {i}"),
            "source": names[a],
            "sink": names[b],
            "protocol": PROTOCOLS[i % 5],
            "isEncrypted": i % 5 == 0 || i % 5 == 2,
            "data": [format!("Data {}", next(20))],
        }));
    }
    let data: Vec<serde_json::Value> = (0..20)
        .map(|i| {
            serde_json::json!({
                "name": format!("Data {i}"),
                "classification": CLASSES[i % 4],
                "isPII": i % 5 == 0,
            })
        })
        .collect();
    let name = model_name(elements);
    let model = serde_json::json!({
        "name": name,
        "description": format!("{elements} generated elements"),
        "boundaries": zones,
        "data": data,
        "elements": nodes,
        "flows": flows,
    });
    std::fs::write(path, serde_json::to_string(&model).unwrap()).unwrap();
    name
}

/// A new database holding the generated model of `elements` elements.
pub(crate) fn large_model_db(dir: &Path, elements: usize) -> (std::path::PathBuf, String) {
    let json = dir.join(format!("large-{elements}.json"));
    let name = write_pytm_model(&json, elements);
    let db = dir.join(format!("large-{elements}.db"));
    plasma(
        &db,
        &[
            "threats",
            "import",
            json.to_str().unwrap(),
            "--format",
            "pytm",
        ],
    )
    .ok();
    (db, name)
}

/// Goes to the threat-model list and waits for the model's row.
pub(crate) async fn show_model_list(c: &Client, name: &str) {
    wait_text(c, "nav", "Threat models").await;
    wait_xpath(c, "//nav//button[contains(., 'Threat models')]")
        .await
        .click()
        .await
        .unwrap();
    wait_xpath(
        c,
        &format!("//button[contains(@class,'row-link')][normalize-space(.)='{name}']"),
    )
    .await;
}

async fn js(c: &Client, script: &str) -> serde_json::Value {
    c.execute(script, vec![]).await.unwrap()
}

/// The element node nearest the canvas centre whose centre is not covered
/// by anything else (an edge label, another node): `[data-id, name]`.
const CLEAR_NODE: &str = r#"
    const canvas = document.querySelector('.dfd-canvas').getBoundingClientRect();
    const cx = canvas.left + canvas.width / 2, cy = canvas.top + canvas.height / 2;
    let best = null, bestD = Infinity;
    for (const n of document.querySelectorAll('.react-flow__node-element')) {
      const r = n.getBoundingClientRect();
      const x = r.left + r.width / 2, y = r.top + r.height / 2;
      if (r.width < 20 || x < canvas.left + 10 || x > canvas.right - 10 || y < canvas.top + 10 || y > canvas.bottom - 10 || (x > canvas.right - 230 && y > canvas.bottom - 180) || (x < canvas.left + 60 && y > canvas.bottom - 140)) continue;
      const hit = document.elementFromPoint(x, y);
      if (!hit || hit.closest('.react-flow__node') !== n) continue;
      const d = Math.hypot(x - cx, y - cy);
      if (d < bestD) { bestD = d; best = [n.dataset.id, n.querySelector('.dfd-name').textContent]; }
    }
    return best;
"#;

async fn stored_position(db: &Path, name: &str, element: &str) -> (f64, f64) {
    let wb = Workbench::open(db).await.unwrap();
    let model = wb.get_threat_model(name).await.unwrap().model;
    wb.close().await;
    let e = model.diagrams[0]
        .elements
        .iter()
        .find(|e| e.name == element)
        .unwrap_or_else(|| panic!("no element {element}"));
    let p = e.position.as_ref().expect("imported elements are laid out");
    (p.x, p.y)
}

#[tokio::test]
async fn e2e_large_diagram_shows_selects_and_saves_a_drag() {
    let Some(app) = app() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let (db, name) = large_model_db(tmp.path(), 1000);
    let (_driver, c) = start(&app, &db).await;

    show_model_list(&c, &name).await;
    wait_xpath(
        &c,
        &format!("//button[contains(@class,'row-link')][normalize-space(.)='{name}']"),
    )
    .await
    .click()
    .await
    .unwrap();
    wait_text(&c, ".rail-stats", "1000 elements · 1000 flows").await;
    wait_css(&c, ".dfd-canvas [data-testid=far-overview]").await;

    // A large diagram's minimap is one canvas that draws every element.
    let minimap = js(
        &c,
        r#"
        const m = document.querySelector("canvas[aria-label='Mini map']");
        const { data } = m.getContext('2d').getImageData(0, 0, m.width, m.height);
        let painted = 0;
        // Coloured pixels (elements are violet, or red with open threats;
        // the view mask and boundaries' outline are grey or faint).
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
          if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 40) painted++;
        }
        return [m.dataset.drawn, painted > 100];
        "#,
    )
    .await;
    assert_eq!(
        minimap,
        serde_json::json!(["1000", true]),
        "minimap: [elements drawn, painted]"
    );

    // Fit view: far out, one canvas draws every element and React Flow
    // mounts no node or edge.
    button(&c, "Fit").await.click().await.unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    let fitted = js(
        &c,
        r#"
        const o = document.querySelector('[data-testid=far-overview]');
        return [o && o.dataset.drawn, document.querySelectorAll('.react-flow__node').length, document.querySelectorAll('.react-flow__edge').length];
        "#,
    )
    .await;
    assert_eq!(
        fitted,
        serde_json::json!(["1000", 0, 0]),
        "[elements drawn on the overview, nodes mounted, edges mounted]"
    );
    screenshot(&c, "large-diagram-fit").await;

    // A threat's element link selects that element and brings it into view
    // at 100 %, where only what is visible is drawn.
    wait_xpath(
        &c,
        "//button[@role='tab'][starts-with(normalize-space(.), 'Threats')]",
    )
    .await
    .click()
    .await
    .unwrap();
    // The first threat on an element (the generated flows are "Flow N"):
    // the list shows a page at a time, most severe first, and those are
    // threats on flows, so show repudiation (elements only here).
    wait_css(&c, "select[aria-label='STRIDE category']")
        .await
        .select_by_value("repudiation")
        .await
        .unwrap();
    let link = wait_xpath(
        &c,
        "(//li[contains(@class,'threat-item')]//button[contains(@class,'link-btn')][not(starts-with(normalize-space(.),'Flow '))])[1]",
    )
    .await;
    let linked = link.text().await.unwrap();
    link.click().await.unwrap();
    // The view glides there (200 ms, longer while WebKit is busy).
    for _ in 0..50 {
        let scale = js(&c, "return new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')).transform).a;").await;
        if scale.as_f64().unwrap_or(0.0) >= 0.99 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let zoomed = js(
        &c,
        r#"
        const scale = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')).transform).a;
        const canvas = document.querySelector('.dfd-canvas').getBoundingClientRect();
        const shown = [...document.querySelectorAll('.react-flow__node.selected')].map((n) => {
          const r = n.getBoundingClientRect();
          return [n.querySelector('.dfd-name').textContent, Math.abs(r.left + r.width / 2 - (canvas.left + canvas.width / 2)) < 40 && Math.abs(r.top + r.height / 2 - (canvas.top + canvas.height / 2)) < 40];
        });
        const passing = document.querySelector('[data-testid=passing-flows]');
        const boundary = document.querySelector('.dfd-boundary');
        return [scale, document.querySelectorAll('.react-flow__node-element').length, shown, document.querySelectorAll('.react-flow__edge').length, passing ? Number(passing.dataset.drawn) : 0,
          passing ? Number(passing.dataset.boundaries) : 0, boundary ? getComputedStyle(boundary).borderTopColor : null];
        "#,
    )
    .await;
    // Flows with an end near the view are edges; the long ones that only
    // cross it are lines on one canvas (hundreds of them in this model).
    let (edges, passing) = (zoomed[3].as_u64().unwrap(), zoomed[4].as_u64().unwrap());
    assert!(
        edges > 0 && edges < 150 && passing > 100,
        "edges mounted, flows passing through: {zoomed}"
    );
    // The boundaries' dashed boxes are drawn on that canvas too; the
    // boundary nodes themselves paint no border.
    assert!(
        zoomed[5].as_u64().unwrap() > 0 && zoomed[6] == "rgba(0, 0, 0, 0)",
        "boundaries on the canvas, a boundary node's border colour: {zoomed}"
    );
    let drawn = zoomed[1].as_u64().unwrap();
    assert!(zoomed[0].as_f64().unwrap() >= 0.99, "zoom: {zoomed}");
    assert!(
        drawn > 0 && drawn < 1000,
        "elements drawn at 100 %: {zoomed}"
    );
    assert_eq!(
        zoomed[2],
        serde_json::json!([[linked, true]]),
        "the linked element is selected, in the centre"
    );
    wait_xpath(&c, "//button[@role='tab'][normalize-space(.)='Properties']")
        .await
        .click()
        .await
        .unwrap();
    screenshot(&c, "large-diagram-zoomed").await;

    // A click selects an element and opens its property panel.
    let picked = js(&c, CLEAR_NODE).await;
    let id = picked[0].as_str().expect("a clear element near the centre");
    let element = picked[1].as_str().unwrap().to_string();
    let node = wait_css(&c, &format!(".react-flow__node[data-id='{id}']")).await;
    node.click().await.unwrap();
    let mut shown = String::new();
    for _ in 0..50 {
        let v = js(
            &c,
            "const el = document.querySelector(\"[aria-label='Element properties'] input.input\"); return el ? el.value : null;",
        )
        .await;
        shown = v.as_str().unwrap_or_default().to_string();
        if shown == element {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        shown, element,
        "the property panel shows the clicked element"
    );
    let selected = js(
        &c,
        "return [...document.querySelectorAll('.react-flow__node.selected')].map((n) => n.dataset.id);",
    )
    .await;
    assert_eq!(selected, serde_json::json!([id]));

    // A mouse drag moves it; the move is saved.
    let before = stored_position(&db, &name, &element).await;
    let scale = js(
        &c,
        "return new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')).transform).a;",
    )
    .await
    .as_f64()
    .unwrap();
    let mut drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: node.clone(),
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(PointerAction::Down {
            button: MOUSE_BUTTON_LEFT,
        });
    for _ in 0..10 {
        drag = drag.then(PointerAction::MoveBy {
            duration: Some(Duration::from_millis(30)),
            x: 12.0,
            y: 6.0,
        });
    }
    drag = drag.then(PointerAction::Up {
        button: MOUSE_BUTTON_LEFT,
    });
    c.perform_actions(drag).await.unwrap();
    // The drag saves as it goes; wait for the position where it ended.
    let moved_by = |after: (f64, f64)| ((after.0 - before.0) * scale, (after.1 - before.1) * scale);
    let near_end = |(dx, dy): (f64, f64)| (dx - 120.0).abs() < 15.0 && (dy - 60.0).abs() < 15.0;
    let mut after = before;
    for _ in 0..100 {
        after = stored_position(&db, &name, &element).await;
        if near_end(moved_by(after)) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    screenshot(&c, "large-diagram-dragged").await;
    let (dx, dy) = moved_by(after);
    assert!(
        near_end((dx, dy)),
        "{element} moved by {dx:.0}, {dy:.0} screen pixels, not 120, 60 (from {before:?} to {after:?})"
    );
    wait_text(&c, ".tm-bar [role=status]", "Saved").await;
    // The canvas shows it where it was saved.
    let drawn = js(
        &c,
        &format!("return document.querySelectorAll(\".react-flow__node[data-id='{id}']\").length;"),
    )
    .await;
    assert_eq!(drawn, serde_json::json!(1));
    c.close().await.unwrap();
}

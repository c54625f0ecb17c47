//! Benchmark, not a test (ignored; `bench/diagram-webkit.sh` runs it): frame
//! times of the diagram editor in the real app's WebKitGTK webview, on the
//! generated models of `e2e_large_diagram`, for sizes in
//! `PLASMA_BENCH_SIZES` (default 1000).
//!
//! The page ships no measuring code: this driver injects a
//! requestAnimationFrame recorder through WebDriver `execute`, and drives
//! each gesture from the page, one input event per animation frame (mouse
//! events into React Flow's d3 pan/zoom/drag handlers, wheel events for
//! zoom, Ctrl+A for select all, a click for the property panel), as a user
//! moving the mouse at the display rate would. Frame intervals are measured
//! from the first event to the last; "after" is the longest frame in the
//! 1.5 s after the gesture (drop handling, autosave). It asserts nothing.

use std::time::Duration;

use fantoccini::Client;

use crate::e2e::{app, start};
use crate::e2e_large_diagram::{large_model_db, show_model_list};

/// The in-page recorder and gesture runner.
const HARNESS: &str = r#"
if (!window.__bench) {
  const b = { frames: [], running: false, done: true, result: null };
  b.record = () => {
    b.frames = []; b.running = true;
    const loop = (t) => { if (!b.running) return; b.frames.push(t); requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
  };
  b.intervals = (from, to) => {
    const f = b.frames.filter((t) => t >= from && t <= to), d = [];
    for (let i = 1; i < f.length; i++) d.push(f[i] - f[i - 1]);
    return d;
  };
  // Runs step(i) in n successive frames, then end(); records until 1.5 s after.
  b.gesture = (n, step, end) => {
    b.done = false; b.result = null; b.stopSteps = false; b.record();
    let i = 0, start = null;
    const tick = (t) => {
      if (start === null) start = t;
      if (i < n && !b.stopSteps) { step(i++); requestAnimationFrame(tick); return; }
      if (end) end();
      const stop = t;
      setTimeout(() => {
        b.running = false;
        b.result = { during: b.intervals(start, stop), after: b.intervals(stop, Infinity) };
        b.done = true;
      }, 1500);
    };
    requestAnimationFrame(tick);
  };
  b.canvas = () => document.querySelector('.dfd-canvas').getBoundingClientRect();
  b.centre = () => { const r = b.canvas(); return [r.left + r.width / 2, r.top + r.height / 2]; };
  b.mouse = (type, target, x, y, buttons) => target.dispatchEvent(new MouseEvent(type, {
    bubbles: true, cancelable: true, view: window, clientX: x, clientY: y, screenX: x, screenY: y, button: 0, buttons,
  }));
  // A drag from (x, y) on target by (dx, dy) per frame for n frames.
  b.drag = (target, x, y, dx, dy, n) => {
    b.mouse('mousedown', target, x, y, 1);
    b.gesture(n, (i) => b.mouse('mousemove', document, x + dx * (i + 1), y + dy * (i + 1), 1),
      () => { b.mouse('mouseup', document, x + dx * n, y + dy * n, 0); b.mouse('click', target, x + dx * n, y + dy * n, 0); });
  };
  // The element node nearest the canvas centre that nothing covers.
  b.clearNode = () => {
    const c = b.canvas(), [cx, cy] = b.centre();
    let best = null, bestD = Infinity;
    for (const n of document.querySelectorAll('.react-flow__node-element')) {
      const r = n.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
      if (x < c.left + 10 || x > c.right - 10 || y < c.top + 10 || y > c.bottom - 10 || (x > c.right - 230 && y > c.bottom - 180) || (x < c.left + 60 && y > c.bottom - 140)) continue;
      const hit = document.elementFromPoint(x, y);
      if (!hit || hit.closest('.react-flow__node') !== n) continue;
      const d = Math.hypot(x - cx, y - cy);
      if (d < bestD) { bestD = d; best = { node: n, x, y, name: n.querySelector('.dfd-name').textContent }; }
    }
    return best;
  };
  b.scale = () => new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')).transform).a;
  window.__bench = b;
}
"#;

/// One measured action: frame intervals (ms) during it and after it.
struct Measured {
    action: &'static str,
    during: Vec<f64>,
    after: Vec<f64>,
}

fn intervals(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().filter_map(|x| x.as_f64()).collect())
        .unwrap_or_default()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Starts a gesture script (which calls `__bench.gesture`) and waits for it.
async fn run_gesture(c: &Client, action: &'static str, script: &str) -> Measured {
    eprintln!("bench: {action}");
    let started = c
        .execute(&format!("{HARNESS}\n{script}"), vec![])
        .await
        .unwrap_or_else(|e| panic!("{action}: {e}"));
    assert_ne!(
        started,
        serde_json::json!(false),
        "{action}: nothing to act on"
    );
    for _ in 0..1800 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let r = c
            .execute(
                "return window.__bench.done ? window.__bench.result : null;",
                vec![],
            )
            .await
            .unwrap();
        if !r.is_null() {
            return Measured {
                action,
                during: intervals(&r["during"]),
                after: intervals(&r["after"]),
            };
        }
    }
    panic!("{action} never finished");
}

async fn js(c: &Client, script: &str) -> serde_json::Value {
    c.execute(&format!("{HARNESS}\n{script}"), vec![])
        .await
        .unwrap()
}

/// Brings an element into view at 100 %, as a reviewer does from the threat
/// list: the first threat's element link selects the element and centres it.
/// (Fitted, a 1,000-element diagram draws each element a few pixels wide, too
/// small to aim a click at.)
async fn zoom_to_actual_size(c: &Client) {
    let shown = js(
        c,
        r#"
        const tab = [...document.querySelectorAll("button[role=tab]")].find((b) => b.textContent.trim().startsWith("Threats"));
        if (!tab) return false;
        tab.click();
        return true;
        "#,
    )
    .await;
    assert_eq!(shown, serde_json::json!(true), "the Threats tab");
    let mut clicked = serde_json::Value::Null;
    for _ in 0..50 {
        clicked = js(
            c,
            r#"
            // The list shows a page at a time, most severe first (threats on
            // flows here): repudiation threats are on elements.
            const sel = document.querySelector("select[aria-label='STRIDE category']");
            if (sel && sel.value !== "repudiation") {
              Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, "value").set.call(sel, "repudiation");
              sel.dispatchEvent(new Event("change", { bubbles: true }));
              return null;
            }
            const link = [...document.querySelectorAll("li.threat-item button.link-btn")].find((b) => !b.textContent.trim().startsWith("Flow "));
            if (!link) return null;
            link.click();
            return link.textContent.trim();
            "#,
        )
        .await;
        if clicked.is_string() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(clicked.is_string(), "a threat with an element link");
    tokio::time::sleep(Duration::from_millis(800)).await;
    js(
        c,
        "[...document.querySelectorAll('button[role=tab]')].find((b) => b.textContent.trim() === 'Properties').click();",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(800)).await;
}

async fn bench_size(app: &std::path::Path, elements: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let (db, name) = large_model_db(tmp.path(), elements);
    let (_driver, c) = start(app, &db).await;
    show_model_list(&c, &name).await;

    // Load: from the click on the model until the canvas has shown the same
    // nodes at the same viewport for 10 frames (drawn, fitted, minimap on).
    js(
        &c,
        &format!(
            r#"
            const b = window.__bench, n = {elements};
            b.done = false; b.record();
            const row = [...document.querySelectorAll('button.row-link')].find((x) => x.textContent.trim() === {name:?});
            let t0 = performance.now();
            let first = null, last = '', since = t0, same = 0;
            const poll = (t) => {{
              // Nodes mounted, or (far out) elements drawn on the overview canvas.
              const far = document.querySelector('[data-testid=far-overview]');
              const nodes = document.querySelectorAll('.react-flow__node').length + Number(far ? far.dataset.drawn || 0 : 0);
              if (nodes > 0 && first === null) first = t;
              const vp = document.querySelector('.react-flow__viewport');
              const stats = document.querySelector('.rail-stats');
              const key = nodes + '|' + (vp ? vp.style.transform : '');
              const ready = nodes > 0 && stats && stats.textContent.includes(n + ' elements') && document.querySelector('.react-flow__minimap-node, canvas[aria-label="Mini map"][data-drawn]');
              if (ready && key === last) same++; else {{ same = 0; since = t; last = key; }}
              if (same >= 10 || t - t0 > 180000) {{
                b.running = false;
                b.result = {{ load: since - t0, first: first - t0, during: b.intervals(t0, since), after: [] }};
                b.done = true;
                return;
              }}
              requestAnimationFrame(poll);
            }};
            setTimeout(() => {{ t0 = performance.now(); row.click(); requestAnimationFrame(poll); }}, 0);
            return true;
            "#
        ),
    )
    .await;
    let mut load = serde_json::Value::Null;
    for _ in 0..1200 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        load = c
            .execute(
                "return window.__bench.done ? window.__bench.result : null;",
                vec![],
            )
            .await
            .unwrap();
        if !load.is_null() {
            break;
        }
    }
    let load_ms = load["load"].as_f64().unwrap_or(f64::NAN);
    let first_ms = load["first"].as_f64().unwrap_or(f64::NAN);
    print_header(elements, load_ms, first_ms);
    print_row(&Measured {
        action: "load (click to fitted)",
        during: intervals(&load["during"]),
        after: vec![],
    });
    // Where the load went: the app's User Timing marks, in ms after the
    // request for the model (backend and IPC until `received`).
    let marks = js(
        &c,
        "const m = performance.getEntriesByType('mark').filter((e) => e.name.startsWith('threat-model:')); const r = m.filter((e) => e.name === 'threat-model:request').pop(); return r ? m.filter((e) => e.startTime >= r.startTime).map((e) => [e.name.slice(13), Math.round(e.startTime - r.startTime)]) : [];",
    )
    .await;
    println!("{elements} elements: load marks [mark, ms after the request] {marks}");
    tokio::time::sleep(Duration::from_secs(2)).await;

    let drawn = js(
        &c,
        "const o = document.querySelector('[data-testid=far-overview]'); return [document.querySelectorAll('.react-flow__node').length, o ? Number(o.dataset.drawn) : 0];",
    )
    .await;
    println!(
        "{elements} elements: {} nodes mounted, {} elements on the overview canvas in the fitted view",
        drawn[0], drawn[1]
    );

    // Pan the whole fitted diagram: 60 frames, 4 px each.
    let pan = r#"
        const b = window.__bench, [x, y] = b.centre();
        b.drag(document.querySelector('.react-flow__pane'), x, y, 4, 2, 60);
    "#;
    // Experiments: PLASMA_BENCH_CSS adds a style sheet to the page (to see
    // what a part of the canvas costs), PLASMA_BENCH_ONLY_PAN stops here.
    if let Ok(css) = std::env::var("PLASMA_BENCH_CSS") {
        let css = serde_json::to_string(&css).unwrap();
        js(&c, &format!("const s = document.createElement('style'); s.textContent = {css}; document.head.append(s);")).await;
        println!("with style: {css}");
    }
    print_row(&run_gesture(&c, "pan (fit view)", pan).await);
    if std::env::var_os("PLASMA_BENCH_ONLY_PAN").is_some() {
        let _ = c.close().await;
        return;
    }
    // Zoom in then out at the centre: 30 wheel notches each way.
    print_row(
        &run_gesture(
            &c,
            "zoom in/out (fit view)",
            r#"
            const b = window.__bench, [x, y] = b.centre(), pane = document.querySelector('.react-flow__pane');
            b.gesture(60, (i) => pane.dispatchEvent(new WheelEvent('wheel', {
              bubbles: true, cancelable: true, view: window, clientX: x, clientY: y, deltaMode: 0, deltaY: i < 30 ? -40 : 40,
            })));
            "#,
        )
        .await,
    );
    zoom_to_actual_size(&c).await;
    let mounted = js(
        &c,
        "return [window.__bench.scale(), document.querySelectorAll('.react-flow__node').length, document.querySelectorAll('.react-flow__edge').length];",
    )
    .await;
    println!("{elements} elements at 100 %: [scale, nodes, edges mounted] {mounted}");
    print_row(&run_gesture(&c, "pan (100 %)", pan).await);
    // Experiments: PLASMA_BENCH_VARIANTS, lines of `label=css`, pans at
    // 100 % again under each style sheet in turn (back and forth, so the
    // view stays where it was), then stops.
    if let Ok(variants) = std::env::var("PLASMA_BENCH_VARIANTS") {
        for (i, line) in variants
            .lines()
            .filter(|l| !l.trim().is_empty())
            .enumerate()
        {
            let (label, css) = line.split_once('=').unwrap_or((line, ""));
            let css = serde_json::to_string(css).unwrap();
            js(&c, &format!("let s = document.getElementById('bench-variant'); if (!s) {{ s = document.createElement('style'); s.id = 'bench-variant'; document.head.append(s); }} s.textContent = {css};")).await;
            let dx = if i % 2 == 0 { -4 } else { 4 };
            let script = format!("const b = window.__bench, [x, y] = b.centre(); b.drag(document.querySelector('.react-flow__pane'), x, y, {dx}, 0, 60);");
            let label: &'static str =
                Box::leak(format!("pan 100 % {}", label.trim()).into_boxed_str());
            print_row(&run_gesture(&c, label, &script).await);
        }
        let _ = c.close().await;
        return;
    }
    // The pan may have left only empty canvas in view: fit, then zoom in to
    // the element nearest the centre again.
    js(
        &c,
        "[...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Fit').click();",
    )
    .await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    zoom_to_actual_size(&c).await;
    let drag_one = r#"
        const b = window.__bench, p = b.clearNode();
        if (!p) return false;
        b.drag(p.node.querySelector('.dfd-node'), p.x, p.y, 3, 2, 60);
    "#;
    print_row(&run_gesture(&c, "drag one element (100 %)", drag_one).await);
    tokio::time::sleep(Duration::from_secs(1)).await;
    // Select all (Ctrl+A), then drag one of them: all move together.
    print_row(
        &run_gesture(
            &c,
            "select all (Ctrl+A)",
            r#"
            const b = window.__bench;
            b.gesture(1, () => document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', ctrlKey: true, bubbles: true, cancelable: true })));
            "#,
        )
        .await,
    );
    print_row(&run_gesture(&c, "move all selected (100 %)", drag_one).await);
    tokio::time::sleep(Duration::from_secs(2)).await;
    // Back at an element (moving everything may have left the view
    // empty), then clear the selection with a click on empty pane.
    zoom_to_actual_size(&c).await;
    js(
        &c,
        r#"const b = window.__bench, pane = document.querySelector('.react-flow__pane'), r = b.canvas();
           let at = null;
           for (let y = r.top + 20; y < r.bottom - 20 && !at; y += 15)
             for (let x = r.left + 60; x < r.right - 20 && !at; x += 15)
               if (document.elementFromPoint(x, y) === pane) at = [x, y];
           const [x, y] = at || b.centre();
           for (const t of ['mousedown', 'mouseup', 'click']) b.mouse(t, pane, x, y, t === 'mousedown' ? 1 : 0);"#,
    )
    .await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    // Click one element: measured until its property panel shows its name.
    print_row(
        &run_gesture(
            &c,
            "open property panel",
            r#"
            const b = window.__bench, p = b.clearNode();
            if (!p) return false;
            const shown = () => {
              const el = document.querySelector("[aria-label='Element properties'] input.input");
              return el && el.value === p.name;
            };
            let clicked = false;
            b.gesture(600, () => {
              if (!clicked) {
                clicked = true;
                const t = p.node.querySelector('.dfd-node');
                for (const k of ['mousedown', 'mouseup', 'click']) b.mouse(k, t, p.x, p.y, k === 'mousedown' ? 1 : 0);
              }
            });
            // Stop the steps as soon as the panel shows the element.
            const wait = () => { if (shown()) { b.stopSteps = true; } else requestAnimationFrame(wait); };
            requestAnimationFrame(wait);
            "#,
        )
        .await,
    );
    let _ = c.close().await;
}

fn print_header(elements: usize, load_ms: f64, first_ms: f64) {
    println!(
        "\n{elements} elements: load {load_ms:.0} ms to a fitted, stable canvas (first node drawn at {first_ms:.0} ms)"
    );
    println!(
        "| {:<26} | {:>8} | {:>6} | {:>9} | {:>9} | {:>9} | {:>11} | {:>13} |",
        "action", "time ms", "frames", "median ms", "p95 ms", "max ms", "> 50 ms", "after: max ms"
    );
    println!(
        "|{}|{}|{}|{}|{}|{}|{}|{}|",
        "-".repeat(28),
        "-".repeat(10),
        "-".repeat(8),
        "-".repeat(11),
        "-".repeat(11),
        "-".repeat(11),
        "-".repeat(13),
        "-".repeat(15)
    );
}

/// Prints one action's row at once, so a run cut short still reports.
fn print_row(m: &Measured) {
    {
        let mut sorted = m.during.clone();
        sorted.sort_by(f64::total_cmp);
        let dropped = sorted.iter().filter(|&&x| x > 50.0).count();
        let after = m.after.iter().copied().fold(f64::NAN, f64::max);
        let after = if after.is_nan() {
            "".to_string()
        } else {
            format!("{after:.0}")
        };
        println!(
            "| {:<26} | {:>8.0} | {:>6} | {:>9.1} | {:>9.1} | {:>9.0} | {:>11} | {:>13} |",
            m.action,
            sorted.iter().sum::<f64>(),
            sorted.len(),
            percentile(&sorted, 0.5),
            percentile(&sorted, 0.95),
            sorted.last().copied().unwrap_or(f64::NAN),
            dropped,
            after
        );
    }
}

#[tokio::test]
#[ignore = "benchmark: run by bench/diagram-webkit.sh"]
async fn e2e_diagram_bench() {
    let Some(app) = app() else { return };
    let sizes = std::env::var("PLASMA_BENCH_SIZES").unwrap_or_else(|_| "1000".into());
    for size in sizes.split_whitespace() {
        let elements: usize = size
            .parse()
            .unwrap_or_else(|_| panic!("PLASMA_BENCH_SIZES: {size:?} is not a number"));
        bench_size(&app, elements).await;
    }
}

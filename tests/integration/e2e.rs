//! End to end: the real built app (`PLASMA_E2E_APP`) in a real WebKit window,
//! driven through tauri-driver and WebKitWebDriver under Xvfb, on a real
//! SQLite file that the CLI then reads back. `scripts/test` sets
//! `PLASMA_E2E=1`; without it these tests print a notice and return.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};

use crate::support::{fixtures, plasma};

pub(crate) struct Driver {
    child: Child,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn app() -> Option<PathBuf> {
    if std::env::var_os("PLASMA_E2E").is_none() {
        eprintln!(
            "notice: PLASMA_E2E is not set; end-to-end tests skipped (scripts/test runs them)"
        );
        return None;
    }
    let app = std::env::var_os("PLASMA_E2E_APP")
        .map(PathBuf::from)
        .expect("PLASMA_E2E_APP must name the built app (target/debug/plasma-plan)");
    assert!(app.is_file(), "no app at {}", app.display());
    Some(app)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub(crate) async fn start(app: &Path, db: &Path) -> (Driver, Client) {
    start_with_env(app, db, &[]).await
}

/// [`start`] with extra environment variables for the app (tauri-driver and
/// WebKitWebDriver pass their environment on to the app they launch).
pub(crate) async fn start_with_env(
    app: &Path,
    db: &Path,
    env: &[(&str, &str)],
) -> (Driver, Client) {
    let port = free_port();
    let native_port = free_port();
    let child = Command::new("tauri-driver")
        .args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native_port.to_string(),
        ])
        .args(["--native-driver", "/usr/bin/WebKitWebDriver"])
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start tauri-driver (cargo install tauri-driver --locked)");
    let driver = Driver { child };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "wry".into());
    caps.insert(
        "tauri:options".into(),
        serde_json::json!({
            "application": app,
            "args": ["--db", db],
        }),
    );
    let client = ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("WebDriver session with the app");
    (driver, client)
}

pub(crate) async fn wait_css(c: &Client, css: &str) -> Element {
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element {css}: {e}"))
}

pub(crate) async fn wait_xpath(c: &Client, xpath: &str) -> Element {
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("no element {xpath}: {e}"))
}

/// Types `text` into the element `css` names, once it is there.
pub(crate) async fn type_into(c: &Client, css: &str, text: &str) {
    wait_css(c, css)
        .await
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("typing into {css}: {e}"));
}

/// Clicks the element `css` names, once it is there.
pub(crate) async fn click_css(c: &Client, css: &str) {
    wait_css(c, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("clicking {css}: {e}"));
}

/// A button by its accessible name (aria-label or text).
pub(crate) async fn button(c: &Client, name: &str) -> Element {
    wait_xpath(
        c,
        &format!("//button[@aria-label='{name}' or normalize-space(.)='{name}']"),
    )
    .await
}

/// Waits until the element's text content contains `want`. textContent, not
/// the rendered text: clamped or scrolled-away text still counts.
pub(crate) async fn wait_text(c: &Client, css: &str, want: &str) {
    let script =
        "const el = document.querySelector(arguments[0]); return el ? el.textContent : null;";
    for _ in 0..100 {
        let text = c
            .execute(script, vec![serde_json::json!(css)])
            .await
            .unwrap_or_default();
        if text.as_str().is_some_and(|t| t.contains(want)) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    screenshot(c, "failure").await;
    let page = c.source().await.unwrap_or_default();
    let excerpt: String = page.chars().take(3000).collect();
    panic!("{css} never showed {want:?}; screenshot in target/e2e/failure.png; page starts:\n{excerpt}");
}

fn list_json(db: &Path) -> serde_json::Value {
    plasma(db, &["adr", "list", "--json"]).ok().json()
}

fn find_title(list: &serde_json::Value, title: &str) -> serde_json::Value {
    list.as_array()
        .expect("array")
        .iter()
        .find(|a| a["title"] == title)
        .cloned()
        .unwrap_or_else(|| panic!("no ADR titled {title:?} in {list:#}"))
}

/// Saves what the screen shows to `target/e2e/NAME.png`, for a person to look
/// at; never an assertion. It captures the X display (ImageMagick `import`),
/// not WebDriver's snapshot: WebKitWebDriver answers a snapshot only after
/// the page's next paint, and a settled diagram painted without compositing
/// (the app's default on Linux) may not paint again, which left the whole
/// session waiting.
pub(crate) async fn screenshot(_c: &Client, name: &str) {
    if std::env::var_os("DISPLAY").is_none() {
        return;
    }
    let dir = crate::support::workspace_root().join("target").join("e2e");
    let _ = std::fs::create_dir_all(&dir);
    let file = dir.join(format!("{name}.png"));
    let capture = tokio::process::Command::new("import")
        .args(["-window", "root"])
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .status();
    if !matches!(
        tokio::time::timeout(Duration::from_secs(20), capture).await,
        Ok(Ok(status)) if status.success()
    ) {
        eprintln!("note: no screenshot {name}.png (ImageMagick `import` failed or is missing)");
    }
}

#[tokio::test]
async fn e2e_create_edit_supersede_and_search() {
    let Some(app) = app() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("e2e.db");
    let (_driver, c) = start(&app, &db).await;

    // First run shows the seeded demo workspace.
    wait_text(
        &c,
        "table[aria-label='Architecture decision records']",
        "Organise the program",
    )
    .await;
    screenshot(&c, "list").await;

    // Create from the Nygard template.
    button(&c, "New ADR").await.click().await.unwrap();
    let title = wait_css(&c, "[role=dialog] input[aria-label='Title']").await;
    title.send_keys("Adopt OpenTelemetry").await.unwrap();
    wait_xpath(
        &c,
        "//*[@role='radiogroup'][@aria-label='Template']//label[contains(., 'Nygard')]",
    )
    .await
    .click()
    .await
    .unwrap();
    button(&c, "Create").await.click().await.unwrap();

    // Edit the title in the editor; autosave writes it to the database.
    let editor_title = wait_css(&c, "input.title-input[aria-label='Title']").await;
    editor_title.send_keys(" for every service").await.unwrap();
    wait_text(&c, "[role=status].save-state", "Saved").await;
    let list = list_json(&db);
    let created = find_title(&list, "Adopt OpenTelemetry for every service");
    let new_number = created["number"].as_u64().unwrap();
    assert_eq!(created["status"], "proposed");

    // Supersede ADR-0006 with the new record, from ADR-0006's editor.
    button(&c, "Back to decisions").await.click().await.unwrap();
    wait_xpath(
        &c,
        "//button[contains(@class,'row-link')][contains(., 'Manage secrets')]",
    )
    .await
    .click()
    .await
    .unwrap();
    button(&c, "Supersede").await.click().await.unwrap();
    wait_xpath(
        &c,
        "//*[@role='dialog']//label[contains(., 'Adopt OpenTelemetry for every service')]",
    )
    .await
    .click()
    .await
    .unwrap();
    wait_xpath(&c, "//*[@role='dialog']//button[@type='submit']")
        .await
        .click()
        .await
        .unwrap();
    let mut superseded = serde_json::Value::Null;
    for _ in 0..50 {
        superseded = find_title(
            &list_json(&db),
            "Manage secrets with an external secrets store",
        );
        if superseded["status"] == "superseded" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(superseded["status"], "superseded", "{superseded:#}");
    assert_eq!(superseded["superseded_by"], serde_json::json!([new_number]));
    let newer = find_title(&list_json(&db), "Adopt OpenTelemetry for every service");
    assert_eq!(
        newer["supersedes"],
        serde_json::json!([superseded["number"]])
    );
    // The open editor shows the new state too, so its next autosave is not
    // made against a stale revision.
    let mut shown = String::new();
    for _ in 0..50 {
        let status = wait_css(&c, "select#adr-status").await;
        shown = status.prop("value").await.unwrap().unwrap_or_default();
        if shown == "superseded" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(shown, "superseded", "the editor still shows the old status");
    screenshot(&c, "superseded").await;

    // Ctrl+K finds the new record by a word of its title and opens it.
    let body = wait_css(&c, "body").await;
    body.send_keys(&format!("{}k", char::from(Key::Control)))
        .await
        .unwrap();
    let search = wait_css(&c, "[role=dialog] input[aria-label='Search everything']").await;
    search.send_keys("OpenTelemetry").await.unwrap();
    wait_text(
        &c,
        "[role=listbox][aria-label='Search results']",
        "Adopt OpenTelemetry",
    )
    .await;
    screenshot(&c, "search").await;
    search
        .send_keys(&char::from(Key::Enter).to_string())
        .await
        .unwrap();
    let opened = wait_css(&c, "input.title-input[aria-label='Title']").await;
    let mut value = String::new();
    for _ in 0..50 {
        value = opened.prop("value").await.unwrap().unwrap_or_default();
        if value.contains("OpenTelemetry") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(value, "Adopt OpenTelemetry for every service");
    c.close().await.unwrap();
}

#[tokio::test]
async fn e2e_script_injection_in_a_document_never_runs() {
    let Some(app) = app() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("hostile.db");
    // A database with only the hostile record: created and imported by the CLI.
    plasma(&db, &["workspace", "create", "Hostile"]).ok();
    plasma(
        &db,
        &[
            "adr",
            "import",
            fixtures().join("adr-hostile").to_str().unwrap(),
        ],
    )
    .ok();
    let (_driver, c) = start(&app, &db).await;

    wait_xpath(
        &c,
        "//button[contains(@class,'row-link')][contains(., 'Hostile')]",
    )
    .await
    .click()
    .await
    .unwrap();
    wait_css(&c, "input.title-input[aria-label='Title']").await;
    // Show every Markdown field's preview.
    let tabs = c
        .find_all(Locator::XPath(
            "//*[@role='tab'][normalize-space(.)='Preview']",
        ))
        .await
        .unwrap();
    assert!(!tabs.is_empty(), "the editor offers a preview");
    for tab in tabs {
        // In a wide window the preview is already shown beside the text and
        // its tab is hidden; clicking is only needed in the narrow layout.
        let _ = tab.click().await;
    }
    wait_text(&c, ".markdown", "hover me").await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    // Hover and click the payloads, as a curious reader would.
    for el in c
        .find_all(Locator::Css(".markdown a, .markdown div, .markdown b"))
        .await
        .unwrap()
    {
        let _ = el.click().await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    screenshot(&c, "hostile").await;
    let pwned = c
        .execute(
            "return window.__pwned === undefined ? null : String(window.__pwned);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(pwned, serde_json::Value::Null, "a payload ran: {pwned}");
    let live = c
        .execute(
            "return document.querySelectorAll('[onerror],[onload],[onclick],[onmouseover],body script:not([src]),body iframe,a[href^=\"javascript\"]').length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        live,
        serde_json::json!(0),
        "no live handler reached the DOM"
    );
    assert!(c.get_alert_text().await.is_err(), "no alert was opened");
    // Still the app: the window did not navigate away.
    let url = c.current_url().await.unwrap();
    assert!(
        url.as_str().starts_with("tauri://") || url.as_str().contains("localhost"),
        "{url}"
    );
    c.close().await.unwrap();
}

//! End to end on the real app against the in-process fake GitHub: link a
//! repository from the sync page, publish an ADR as a draft pull request,
//! see its link and state, then merge it and edit the file on GitHub's side,
//! pull, and see the edit arrive in the ADR. The token comes from
//! `GITHUB_TOKEN` and must never appear in the window. Skipped without
//! `PLASMA_E2E`.

use fantoccini::{Client, Locator};
use plasma_exports::adr_markdown::Template;
use plasma_github_fake::{FakeGitHub, FAKE_TOKEN};
use plasma_workbench::Workbench;

use crate::e2e::{app, button, screenshot, start_with_env, wait_css, wait_text, wait_xpath};
use crate::support::{plasma, workspace_root};

const ADR_PATH: &str = "docs/adr/0001-use-postgres.md";
const SYNC_TABLE: &str = "table[aria-label='Sync status']";

async fn fill(c: &Client, form_label: &str, field: &str, text: &str) {
    let input = wait_xpath(
        c,
        &format!("//form[@aria-label='{form_label}']//label[contains(., '{field}')]//input"),
    )
    .await;
    input.clear().await.unwrap();
    input.send_keys(text).await.unwrap();
}

/// The whole page, so a secret would be found wherever it were shown.
async fn page_text(c: &Client) -> String {
    c.execute("return document.documentElement.outerHTML;", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn e2e_sync_publish_a_draft_then_pull_a_reviewers_edit() {
    let Some(app) = app() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("plasma.db");
    let spec = workspace_root().join("../shared/github/github-openapi-subset.json");
    let fake = FakeGitHub::start(&tmp.path().join("github"), "acme", "platform", &spec);

    // One ADR, written before the app starts (the app then skips the demo).
    {
        let wb = Workbench::open(&db).await.unwrap();
        let adr = wb
            .create_adr("Use Postgres", Template::Madr4Minimal)
            .await
            .unwrap();
        let mut draft = adr.draft();
        draft.context = "Orders need durable storage.".into();
        draft.decision_outcome = "Chosen option: Postgres.".into();
        wb.save_adr(adr.id, adr.revision, draft).await.unwrap();
        wb.close().await;
    }

    let (_driver, c) = start_with_env(&app, &db, &[("GITHUB_TOKEN", FAKE_TOKEN)]).await;
    wait_xpath(
        &c,
        "//nav[@aria-label='Sections']//button[contains(., 'GitHub sync')]",
    )
    .await
    .click()
    .await
    .unwrap();

    // Link the fake as a GitHub Enterprise-style API URL (once the page has loaded).
    wait_text(
        &c,
        ".sync-page",
        "Link a repository to see what is published",
    )
    .await;
    fill(&c, "Link a repository", "Repository", "acme/platform").await;
    fill(&c, "Link a repository", "API URL", fake.api_url()).await;
    button(&c, "Link repository").await.click().await.unwrap();
    wait_text(&c, ".sync-page", "acme/platform").await;
    wait_text(&c, SYNC_TABLE, "Local only").await;
    // Signed in through GITHUB_TOKEN: the login is shown, never the token.
    wait_text(&c, ".sync-page", "octo-planner").await;
    wait_text(&c, ".sync-page", "token from GITHUB_TOKEN").await;

    // Publish the ADR from its row: a draft pull request on GitHub.
    button(&c, "Publish ADR-0001: Use Postgres")
        .await
        .click()
        .await
        .unwrap();
    wait_text(&c, SYNC_TABLE, "PR open").await;
    let link = wait_css(&c, &format!("{SYNC_TABLE} a[href$='/pull/1']")).await;
    assert_eq!(link.text().await.unwrap(), "#1");
    let pulls = fake.pulls();
    assert_eq!(pulls.len(), 1);
    assert!(pulls[0].draft);
    assert_eq!(pulls[0].head, "drafts/adr-0001-use-postgres");
    let proposed = fake.file(&pulls[0].head, ADR_PATH).unwrap();
    assert!(proposed.contains("Chosen option: Postgres."), "{proposed}");
    screenshot(&c, "sync-published").await;

    // The reviewer merges, then edits the decision on the base branch.
    fake.merge_pull(1);
    let edited = fake
        .file("main", ADR_PATH)
        .unwrap()
        .replace("Chosen option: Postgres.", "Chosen option: Postgres 16.");
    fake.commit_file("main", ADR_PATH, &edited, "Pin the version");

    button(&c, "Pull").await.click().await.unwrap();
    wait_text(&c, SYNC_TABLE, "Merged").await;
    wait_text(&c, ".sync-page", "last pulled").await;
    screenshot(&c, "sync-pulled").await;
    let shown = plasma(&db, &["adr", "show", "1"]).ok().stdout;
    assert!(shown.contains("Chosen option: Postgres 16."), "{shown}");

    // The edit is in the ADR as the editor shows it.
    wait_xpath(
        &c,
        "//nav[@aria-label='Sections']//button[contains(., 'ADRs')]",
    )
    .await
    .click()
    .await
    .unwrap();
    wait_xpath(
        &c,
        "//button[contains(@class,'row-link')][contains(., 'Use Postgres')]",
    )
    .await
    .click()
    .await
    .unwrap();
    wait_text(
        &c,
        "section[aria-label='Decision outcome']",
        "Chosen option: Postgres 16.",
    )
    .await;
    c.execute(
        "document.querySelector(\"section[aria-label='Decision outcome']\").scrollIntoView({block: 'center'});",
        vec![],
    )
    .await
    .unwrap();
    screenshot(&c, "sync-arrived").await;

    assert!(
        !page_text(&c).await.contains(FAKE_TOKEN),
        "the token must never reach the window"
    );
    assert!(
        c.find(Locator::Css("[role=alert]")).await.is_err(),
        "no error was shown"
    );
    assert!(fake.violations().is_empty(), "{:?}", fake.violations());
    c.close().await.unwrap();
}

//! Sync operations of the workbench against the in-process fake GitHub:
//! progress and cancellation of long syncs, per-item conflict resolution.

use std::path::Path;
use std::sync::{Arc, Mutex};

use plasma_exports::adr_markdown::Template;
use plasma_github_fake::{FakeGitHub, FAKE_TOKEN};
use plasma_workbench::{
    CancelToken, ItemChoice, ItemTake, PublishTarget, SyncAuth, SyncControl, SyncProgress,
    Workbench,
};

use crate::support::workspace_root;

fn start_fake(dir: &Path) -> FakeGitHub {
    let spec = workspace_root().join("../shared/github/github-openapi-subset.json");
    FakeGitHub::start(&dir.join("github"), "acme", "platform", &spec)
}

fn auth() -> SyncAuth {
    SyncAuth {
        env_token: Some(FAKE_TOKEN.into()),
        policy: None,
    }
}

/// A workbench with `titles` as ADRs 1..n, linked to the fake.
async fn linked(dir: &Path, fake: &FakeGitHub, titles: &[&str]) -> Workbench {
    let wb = Workbench::open(&dir.join("plasma.db")).await.unwrap();
    for t in titles {
        wb.create_adr(t, Template::Madr4Minimal).await.unwrap();
    }
    wb.sync_link(&fake.full_name(), None, Some(fake.api_url()), None)
        .await
        .unwrap();
    wb
}

fn branches(fake: &FakeGitHub) -> Vec<String> {
    fake.git(&["for-each-ref", "--format=%(refname:short)", "refs/heads"])
        .lines()
        .map(str::to_string)
        .collect()
}

/// Records every progress event and cancels the token when `stop_at`
/// says so.
fn recording(
    stop_at: impl Fn(&SyncProgress) -> bool + Send + Sync + 'static,
) -> (SyncControl, Arc<Mutex<Vec<SyncProgress>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let cancel = CancelToken::default();
    let (s, c) = (seen.clone(), cancel.clone());
    let control = SyncControl::new(
        move |p: SyncProgress| {
            if stop_at(&p) {
                c.cancel();
            }
            s.lock().unwrap().push(p);
        },
        cancel,
    );
    (control, seen)
}

#[tokio::test]
async fn a_publish_cancelled_after_its_first_request_changes_nothing_and_the_next_one_works() {
    let dir = tempfile::tempdir().unwrap();
    let fake = start_fake(dir.path());
    let wb = linked(dir.path(), &fake, &["Use Postgres", "Use Kafka"]).await;

    let (control, seen) = recording(|_| true);
    let report = wb
        .sync_publish_with(PublishTarget::All, None, &auth(), &control)
        .await
        .unwrap();
    assert!(report.cancelled, "{report:?}");
    assert!(
        report.published.is_empty() && report.queued.is_empty(),
        "{report:?}"
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1, "stopped before the second request: {seen:?}");
    assert_eq!((seen[0].step, seen[0].total), (1, 2));
    assert_eq!(seen[0].operation, "publish");
    assert!(seen[0].request.starts_with("read branch"), "{seen:?}");

    // GitHub: no branch, no pull request. Here: nothing recorded, nothing queued.
    assert_eq!(branches(&fake), ["main"]);
    assert!(fake.pulls().is_empty());
    let status = wb.sync_status(None).await.unwrap();
    assert_eq!(status.queued, 0);
    assert!(status
        .documents
        .iter()
        .all(|d| d.status == "not_published" && d.local_changes && d.pull_url.is_none()));

    // The next publish is not disturbed by the stopped one.
    let again = wb
        .sync_publish(PublishTarget::All, None, &auth())
        .await
        .unwrap();
    assert!(!again.cancelled);
    assert_eq!(again.published.len(), 2, "{again:?}");
    assert_eq!(fake.pulls().len(), 2);
    assert_eq!(branches(&fake).len(), 3, "{:?}", branches(&fake));
    assert!(fake.violations().is_empty(), "{:?}", fake.violations());
}

#[tokio::test]
async fn a_cancel_while_the_branch_moves_finishes_that_draft_and_stops_before_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let fake = start_fake(dir.path());
    let wb = linked(dir.path(), &fake, &["Use Postgres", "Use Kafka"]).await;

    // The cancel arrives as the first draft's ref update is being sent: past
    // the point of no return, so that draft completes (branch and pull
    // request both), and the second draft is never started.
    let (control, seen) = recording(|p| p.request.starts_with("move "));
    let report = wb
        .sync_publish_with(PublishTarget::All, None, &auth(), &control)
        .await
        .unwrap();
    assert!(report.cancelled);
    assert_eq!(report.published.len(), 1, "{report:?}");
    assert_eq!(fake.pulls().len(), 1);
    let seen = seen.lock().unwrap().clone();
    assert!(seen.iter().all(|p| p.step == 1), "{seen:?}");
    assert_eq!(
        seen.last().unwrap().request,
        "open the draft pull request",
        "{seen:?}"
    );

    let status = wb.sync_status(None).await.unwrap();
    let by_key = |k: &str| {
        status
            .documents
            .iter()
            .find(|d| d.key == k)
            .unwrap()
            .clone()
    };
    assert_eq!(
        by_key(&report.published[0].documents[0]).status,
        "in_review"
    );
    let other = status
        .documents
        .iter()
        .find(|d| d.key != report.published[0].documents[0])
        .unwrap();
    assert_eq!(other.status, "not_published");

    let rest = wb
        .sync_publish(PublishTarget::All, None, &auth())
        .await
        .unwrap();
    assert_eq!(rest.published.len(), 1, "only the unsent draft: {rest:?}");
    assert_eq!(
        rest.published[0].documents,
        std::slice::from_ref(&other.key)
    );
    assert_eq!(fake.pulls().len(), 2);
}

#[tokio::test]
async fn a_pull_reports_its_steps_and_a_cancelled_pull_is_finished_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let fake = start_fake(dir.path());
    let wb = linked(dir.path(), &fake, &["Use Postgres", "Use Kafka"]).await;
    wb.sync_publish(PublishTarget::All, None, &auth())
        .await
        .unwrap();
    fake.merge_pull(1);
    fake.merge_pull(2);

    // Stop as soon as the first merged pull request has been read.
    let (control, seen) = recording(|p| p.step == 2);
    let report = wb.sync_pull_with(None, &auth(), &control).await.unwrap();
    assert!(report.cancelled, "{report:?}");
    assert_eq!(report.pull_requests.len(), 2, "{report:?}");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0].operation, "pull");
    assert_eq!(seen[0].total, 3, "two pull requests and the base branch");
    assert!(
        wb.sync_links().await.unwrap()[0].base_commit.is_none(),
        "base not marked as seen"
    );

    let (control, seen) = recording(|_| false);
    let done = wb.sync_pull_with(None, &auth(), &control).await.unwrap();
    assert!(!done.cancelled && !done.base_unchanged, "{done:?}");
    assert!(done.conflicts.is_empty(), "{done:?}");
    assert!(wb.sync_links().await.unwrap()[0].base_commit.is_some());
    let seen = seen.lock().unwrap().clone();
    assert!(
        seen.iter().any(|p| p.request == "read branch main"),
        "{seen:?}"
    );
    let status = wb.sync_status(None).await.unwrap();
    assert!(
        status.documents.iter().all(|d| d.status == "published"),
        "{status:?}"
    );
}

async fn set_sections(wb: &Workbench, context: &str, decision: &str) {
    let adr = wb.get_adr_by_number(1).await.unwrap();
    let mut draft = adr.draft();
    draft.context = context.into();
    draft.decision_outcome = decision.into();
    wb.save_adr(adr.id, adr.revision, draft).await.unwrap();
}

#[tokio::test]
async fn two_conflicting_sections_are_resolved_one_mine_one_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let fake = start_fake(dir.path());
    let wb = linked(dir.path(), &fake, &["Use Postgres"]).await;
    set_sections(&wb, "We need a DB.", "Postgres.").await;
    wb.sync_publish(PublishTarget::Adrs(vec![1]), None, &auth())
        .await
        .unwrap();
    fake.merge_pull(1);
    wb.sync_pull(None, &auth()).await.unwrap();
    let path = "docs/adr/0001-use-postgres.md";

    // Both sides edit both sections, differently.
    set_sections(&wb, "We need a relational DB.", "Postgres 15.").await;
    let theirs = fake
        .file("main", path)
        .unwrap()
        .replace("We need a DB.", "We need a DB for orders.")
        .replace("Postgres.", "Postgres 16.");
    fake.commit_file("main", path, &theirs, "Review edits");
    let pulled = wb.sync_pull(None, &auth()).await.unwrap();
    assert_eq!(pulled.conflicts, ["adr:1"], "{pulled:?}");
    let before = wb.get_adr_by_number(1).await.unwrap();

    let conflicts = wb.sync_conflicts().await.unwrap();
    let items: Vec<&str> = conflicts[0].items.iter().map(|i| i.item.as_str()).collect();
    assert_eq!(
        items,
        [
            "section:context and problem statement",
            "section:decision outcome"
        ]
    );
    let decision = &conflicts[0].items[1];
    assert!(decision.text);
    assert!(decision.base.as_deref().unwrap().contains("Postgres."));
    assert!(decision.local.as_deref().unwrap().contains("Postgres 15."));
    assert!(decision.remote.as_deref().unwrap().contains("Postgres 16."));

    // A choice for an item that is not in conflict changes nothing.
    let err = wb
        .sync_resolve_items(
            "adr:1",
            vec![ItemChoice {
                item: "section:consequences".into(),
                take: ItemTake::Mine,
            }],
            None,
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("section:consequences"), "{err}");

    // Mine for the context: the decision still waits, the ADR is untouched.
    let shown = wb.sync_conflicts().await.unwrap()[0].version;
    let half = wb
        .sync_resolve_items(
            "adr:1",
            vec![ItemChoice {
                item: "section:context and problem statement".into(),
                take: ItemTake::Mine,
            }],
            None,
        )
        .await
        .unwrap();
    assert_eq!(half.items.len(), 1);
    assert_eq!(half.items[0].item, "section:decision outcome");
    assert_eq!(
        wb.get_adr_by_number(1).await.unwrap().revision,
        before.revision
    );
    assert_eq!(wb.sync_conflicts().await.unwrap()[0].items.len(), 1);
    assert!(
        half.version > shown,
        "the partial resolution is a new version"
    );

    // A window still showing the conflict as it was before that partial
    // resolution is refused, and nothing changes.
    let theirs = || {
        vec![ItemChoice {
            item: "section:decision outcome".into(),
            take: ItemTake::Theirs,
        }]
    };
    let stale = wb
        .sync_resolve_items("adr:1", theirs(), Some(shown))
        .await
        .unwrap_err();
    assert_eq!(
        stale.code(),
        plasma_workbench::ErrorCode::Conflict,
        "{stale}"
    );
    assert!(
        stale.to_string().contains("the sync conflict for adr:1")
            && stale.to_string().contains("reload"),
        "{stale}"
    );
    assert_eq!(wb.sync_conflicts().await.unwrap()[0].version, half.version);
    assert_eq!(
        wb.get_adr_by_number(1).await.unwrap().revision,
        before.revision
    );
    let whole = wb
        .sync_resolve("adr:1", plasma_workbench::ResolveSide::Remote, Some(shown))
        .await
        .unwrap_err();
    assert_eq!(
        whole.code(),
        plasma_workbench::ErrorCode::Conflict,
        "{whole}"
    );

    // Theirs for the decision, on the conflict as it is now: resolved,
    // saved as one new revision.
    let done = wb
        .sync_resolve_items("adr:1", theirs(), Some(half.version))
        .await
        .unwrap();
    assert!(done.items.is_empty());
    let after = wb.get_adr_by_number(1).await.unwrap();
    assert_eq!(after.revision, before.revision + 1);
    assert_eq!(after.context.trim(), "We need a relational DB.");
    assert_eq!(after.decision_outcome.trim(), "Postgres 16.");
    assert!(wb.sync_conflicts().await.unwrap().is_empty());
    let status = wb.sync_status(None).await.unwrap();
    assert_eq!(status.documents[0].status, "synced");
    assert_eq!(status.conflicts, 0);

    // The previous local text stays in the history.
    let history = wb.revisions(after.id).await.unwrap();
    assert!(history.len() >= 3, "{history:?}");

    // Publishing again proposes exactly the resolved text.
    let published = wb
        .sync_publish(PublishTarget::Adrs(vec![1]), None, &auth())
        .await
        .unwrap();
    assert_eq!(published.published.len(), 1, "{published:?}");
    let branch = &published.published[0].branch;
    let on_branch = fake.file(branch, path).unwrap();
    assert!(
        on_branch.contains("We need a relational DB.") && on_branch.contains("Postgres 16."),
        "{on_branch}"
    );
}

#[tokio::test]
async fn an_edited_text_resolves_a_section_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let fake = start_fake(dir.path());
    let wb = linked(dir.path(), &fake, &["Use Postgres"]).await;
    set_sections(&wb, "We need a DB.", "Postgres.").await;
    wb.sync_publish(PublishTarget::Adrs(vec![1]), None, &auth())
        .await
        .unwrap();
    fake.merge_pull(1);
    wb.sync_pull(None, &auth()).await.unwrap();
    let path = "docs/adr/0001-use-postgres.md";
    set_sections(&wb, "We need a DB.", "Postgres 15.").await;
    let theirs = fake
        .file("main", path)
        .unwrap()
        .replace("Postgres.", "Postgres 16.");
    fake.commit_file("main", path, &theirs, "Review edit");
    assert_eq!(
        wb.sync_pull(None, &auth()).await.unwrap().conflicts,
        ["adr:1"]
    );
    let done = wb
        .sync_resolve_items(
            "adr:1",
            vec![ItemChoice {
                item: "section:decision outcome".into(),
                take: ItemTake::Edited("Postgres 16, with 15 on the old hosts.".into()),
            }],
            None,
        )
        .await
        .unwrap();
    assert!(done.items.is_empty());
    let adr = wb.get_adr_by_number(1).await.unwrap();
    assert_eq!(
        adr.decision_outcome.trim(),
        "Postgres 16, with 15 on the old hosts."
    );
}

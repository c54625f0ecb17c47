//! Publish and pull against the in-process fake GitHub (a real bare git
//! repository behind the REST API), including injected faults.

use std::collections::BTreeMap;
use std::time::Duration;

use plasma_github_fake::{default_openapi_path, FakeGitHub, Fault, FAKE_TOKEN};
use plasma_sync::apply::{publish, read_base};
use plasma_sync::github::PullState;
use plasma_sync::layout::{DocumentFile, FileRole};
use plasma_sync::plan::{Draft, LocalDocument};
use plasma_sync::{DocumentKind, GitHub, GitHubToken, RetryPolicy, SyncError};

const ADR: &str = "---\nstatus: proposed\n---\n# Use Postgres\n\n## Context and Problem Statement\n\nWe need a database.\n\n## Decision Outcome\n\nChosen option: Postgres.\n";
const PATH: &str = "docs/adr/0001-use-postgres.md";
const BRANCH: &str = "drafts/adr-0001-use-postgres";

fn fake(dir: &tempfile::TempDir) -> FakeGitHub {
    FakeGitHub::start(dir.path(), "acme", "platform", &default_openapi_path())
}

fn fast_policy() -> RetryPolicy {
    RetryPolicy {
        attempts: 3,
        backoff: Duration::from_millis(20),
        max_wait: Duration::from_secs(3),
        timeout: Duration::from_millis(800),
    }
}

fn client(f: &FakeGitHub) -> GitHub {
    GitHub::new(
        f.api_url(),
        &f.full_name(),
        GitHubToken::new(FAKE_TOKEN).expect("token"),
        fast_policy(),
    )
    .expect("client")
}

fn draft(content: &str) -> Draft {
    Draft {
        kind: DocumentKind::Adr,
        slug: "0001-use-postgres".into(),
        title: "ADR-0001: Use Postgres".into(),
        documents: vec![LocalDocument {
            key: "adr:1".into(),
            kind: DocumentKind::Adr,
            title: "Use Postgres".into(),
            files: vec![DocumentFile {
                path: PATH.into(),
                role: FileRole::Primary,
                content: content.into(),
            }],
        }],
        published: BTreeMap::new(),
        base_shas: BTreeMap::new(),
    }
}

fn assert_conforms(f: &FakeGitHub) {
    let v = f.violations();
    assert!(v.is_empty(), "OpenAPI violations:\n{}", v.join("\n"));
}

#[test]
fn publish_makes_one_real_commit_and_a_draft_pull_request() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = fake(&dir);
    let gh = client(&f);
    let out = publish(&gh, "main", &draft(ADR)).expect("publish");
    assert_eq!(out.branch, BRANCH);
    let commit = out.commit.clone().expect("a commit");

    // A real git commit on the draft branch, on top of main.
    let log = f.git(&["log", "--format=%H %s", BRANCH]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert_eq!(lines[0], format!("{commit} ADR-0001: Use Postgres"));
    assert!(lines[1].ends_with("Initial commit"));
    assert_eq!(f.file(BRANCH, PATH).as_deref(), Some(ADR.trim_end()));
    assert_eq!(f.file(BRANCH, "README.md").as_deref(), Some("# Service"));
    assert_eq!(f.file("main", PATH), None, "the base branch is untouched");

    assert_eq!(out.pull.as_ref().expect("pr").pull_state(), PullState::Open);
    assert_eq!(out.pull.as_ref().expect("pr").draft, Some(true));
    assert_eq!(f.pulls().len(), 1);

    // Publishing the same text again changes nothing.
    let mut again = draft(ADR);
    again.published = out.files.clone();
    let out2 = publish(&gh, "main", &again).expect("republish");
    assert_eq!(out2.commit, None);
    assert_eq!(
        out2.pull.as_ref().expect("pr").number,
        out.pull.as_ref().expect("pr").number
    );

    // An edit is one more commit, fast-forward, on the same pull request.
    let edited = ADR.replace("Postgres.\n", "Postgres 16.\n");
    let mut third = draft(&edited);
    third.published = out.files.clone();
    let out3 = publish(&gh, "main", &third).expect("edit");
    let c3 = out3.commit.clone().expect("commit");
    assert_eq!(f.git(&["rev-list", "--count", BRANCH]), "3");
    assert_eq!(f.git(&["rev-parse", &format!("{c3}^")]), commit);
    assert_eq!(f.pulls().len(), 1);

    // Merged on GitHub: the state follows.
    f.merge_pull(out.pull.as_ref().expect("pr").number);
    assert_eq!(
        gh.pull(out.pull.as_ref().expect("pr").number)
            .expect("pull")
            .pull_state(),
        PullState::Merged
    );
    assert!(f.file("main", PATH).is_some());

    // After the merge someone edits another section on main; a new edit
    // here is published from the base (a merge commit keeps the ref a
    // fast-forward) and their section is merged in, not reverted.
    let merged_sha = f.git(&["rev-parse", &format!("main:{PATH}")]);
    let on_main = f.file("main", PATH).expect("file") + "\n";
    f.commit_file(
        "main",
        PATH,
        &on_main.replace("We need a database.", "We need a database for orders."),
        "Edit on main",
    );
    let mut fourth = draft(&edited.replace(
        "## Decision Outcome",
        "## Decision Outcome\n\nRevisit in 2027.",
    ));
    fourth.published = out3.files.clone();
    fourth.base_shas.insert(PATH.to_string(), merged_sha);
    let out4 = publish(&gh, "main", &fourth).expect("republish after merge");
    let c4 = out4.commit.expect("commit");
    assert_eq!(
        out4.pull.as_ref().expect("pr").pull_state(),
        PullState::Open
    );
    assert_ne!(
        out4.pull.as_ref().expect("pr").number,
        out.pull.as_ref().expect("pr").number,
        "a new pull request"
    );
    let parents = f.git(&["rev-list", "--parents", "-n", "1", &c4]);
    assert_eq!(
        parents.split_whitespace().count(),
        3,
        "a merge commit: {parents}"
    );
    let text = f.file(BRANCH, PATH).expect("file");
    assert!(
        text.contains("database for orders") && text.contains("Revisit in 2027."),
        "{text}"
    );
    assert_conforms(&f);
}

#[test]
fn retries_5xx_and_timeouts_and_waits_out_rate_limits() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = fake(&dir);
    let gh = client(&f);
    f.inject("POST", "/git/blobs", Fault::Status(502));
    f.inject(
        "POST",
        "/git/trees",
        Fault::Delay(Duration::from_millis(1500)),
    );
    f.inject("POST", "/git/commits", Fault::RateLimit { reset_in: 1 });
    f.inject("POST", "/pulls", Fault::RetryAfter(1));
    let out = publish(&gh, "main", &draft(ADR)).expect("publish survives faults");
    assert!(out.commit.is_some());
    let log = f.log();
    assert!(log
        .iter()
        .any(|l| l.starts_with("POST /repos/acme/platform/git/blobs → 502")));
    assert!(log
        .iter()
        .any(|l| l.starts_with("POST /repos/acme/platform/git/commits → 403")));
    assert!(log
        .iter()
        .any(|l| l.starts_with("POST /repos/acme/platform/pulls → 429")));
    assert_eq!(f.git(&["rev-list", "--count", BRANCH]), "2");
    assert_conforms(&f);
}

#[test]
fn persistent_outage_and_long_rate_limits_are_transient_errors() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = fake(&dir);
    let gh = client(&f);
    for _ in 0..3 {
        f.inject("GET", "/git/ref/heads/main", Fault::Status(503));
    }
    let err = publish(&gh, "main", &draft(ADR)).expect_err("down");
    assert!(err.is_transient(), "{err}");
    f.inject(
        "GET",
        "/git/ref/heads/main",
        Fault::RateLimit { reset_in: 3600 },
    );
    let err = publish(&gh, "main", &draft(ADR)).expect_err("rate limited");
    assert!(matches!(err, SyncError::RateLimited { .. }), "{err}");
    assert!(f.pulls().is_empty());
    assert!(f
        .repo()
        .resolve_ref(&format!("refs/heads/{BRANCH}"))
        .is_none());
}

#[test]
fn a_branch_moved_underneath_a_publish_is_re_read_and_merged_never_forced() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = fake(&dir);
    let gh = client(&f);
    let first = publish(&gh, "main", &draft(ADR)).expect("publish");

    // A reviewer edits another section on the draft branch right before our
    // ref update lands: the update is not a fast-forward (422), so the
    // client re-reads, merges their section with ours and tries again.
    let theirs = ADR.replace("We need a database.", "We need a database for orders.");
    f.inject(
        "PATCH",
        "/git/refs/heads/drafts",
        Fault::PushFirst {
            branch: BRANCH.into(),
            path: PATH.into(),
            content: theirs,
        },
    );
    let mine = ADR.replace("Postgres.\n", "Postgres 16.\n");
    let mut d = draft(&mine);
    d.published = first.files.clone();
    let out = publish(&gh, "main", &d).expect("publish after race");
    assert_eq!(out.races, 1);
    let text = f.file(BRANCH, PATH).expect("file");
    assert!(
        text.contains("database for orders") && text.contains("Postgres 16."),
        "{text}"
    );
    assert!(f
        .log()
        .iter()
        .any(|l| l.contains("PATCH") && l.ends_with("422")));
    // History keeps their commit: ours is on top of it.
    let subjects = f.git(&["log", "--format=%s", BRANCH]);
    assert!(
        subjects
            .lines()
            .nth(1)
            .is_some_and(|s| s == "Edit from another clone"),
        "{subjects}"
    );
    assert_conforms(&f);
}

#[test]
fn the_same_section_edited_on_both_sides_stops_the_publish() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = fake(&dir);
    let gh = client(&f);
    let first = publish(&gh, "main", &draft(ADR)).expect("publish");
    let theirs = ADR.replace("Postgres.\n", "MySQL.\n");
    f.commit_file(BRANCH, PATH, &theirs, "Reviewer suggestion");
    let mine = ADR.replace("Postgres.\n", "Postgres 16.\n");
    let mut d = draft(&mine);
    d.published = first.files.clone();
    let err = publish(&gh, "main", &d).expect_err("conflict");
    assert!(matches!(err, SyncError::DraftConflict { .. }), "{err}");
    assert_eq!(
        f.file(BRANCH, PATH).as_deref(),
        Some(theirs.trim_end()),
        "their edit is kept"
    );
}

#[test]
fn pull_reads_the_base_branch_conditionally() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = fake(&dir);
    let gh = client(&f);
    let first = read_base(&gh, "main", None)
        .expect("read")
        .expect("changed");
    assert!(first.files.iter().any(|e| e.path == "README.md"));
    let etag = first.etag.clone().expect("etag");
    assert_eq!(
        read_base(&gh, "main", Some(&etag)).expect("read"),
        None,
        "304: unchanged"
    );
    assert!(f.log().iter().any(|l| l.ends_with("304")));
    f.commit_file("main", PATH, ADR, "Add ADR on GitHub");
    let second = read_base(&gh, "main", Some(&etag))
        .expect("read")
        .expect("changed");
    assert_ne!(second.commit, first.commit);
    assert!(second.files.iter().any(|e| e.path == PATH));
    assert_conforms(&f);
}

#[test]
fn a_wrong_token_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = fake(&dir);
    let gh = GitHub::new(
        f.api_url(),
        &f.full_name(),
        GitHubToken::new("ghp_wrong").expect("t"),
        fast_policy(),
    )
    .expect("client");
    let err = gh.repository().expect_err("401");
    assert!(matches!(err, SyncError::Unauthorized(_)), "{err}");
    assert!(!err.to_string().contains("ghp_wrong"));
}

#[test]
fn device_flow_signs_in_without_a_client_secret() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = fake(&dir);
    let flow =
        plasma_sync::device_flow::DeviceFlow::new(f.api_url(), "Iv1.testclient").expect("flow");
    let code = flow.start("repo").expect("code");
    assert_eq!(code.user_code, "WDJB-MJHT");
    let polls = std::cell::Cell::new(0);
    let token = flow
        .poll(&code, &|_| {
            polls.set(polls.get() + 1);
            if polls.get() == 2 {
                f.approve_device();
            }
        })
        .expect("token");
    assert_eq!(token.expose_secret(), FAKE_TOKEN);
    assert_eq!(polls.get(), 2, "polled until approved");
}

#[test]
fn the_fake_validates_when_the_description_is_present() {
    let dir = tempfile::tempdir().expect("tmp");
    let f = fake(&dir);
    assert_eq!(f.validates(), default_openapi_path().is_file());
}

//! Conformance: the client's types and header/error parsing accept GitHub's
//! real recorded responses (octokit's fixtures in `../shared/github`).

use std::path::PathBuf;

use plasma_sync::github::{
    error_for, parse_json, ApiErrorBody, ContentFile, FileCommit, GitRef, RateInfo, Repository,
};
use plasma_sync::SyncError;
use serde_json::Value;

fn fixtures_dir() -> Option<PathBuf> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/github/octokit-fixtures");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: {} is absent", dir.display());
        None
    }
}

fn recordings(dir: &std::path::Path, file: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(dir.join(file)).expect("fixture");
    serde_json::from_str(&text).expect("fixture json")
}

fn body(rec: &Value) -> String {
    rec["response"].to_string()
}

#[test]
fn parses_recorded_repository_refs_contents_and_errors() {
    let Some(dir) = fixtures_dir() else { return };

    let repo = &recordings(&dir, "get-repository.json")[0];
    let r: Repository = parse_json(&body(repo), "repository").expect("repository");
    assert_eq!(r.full_name, "octokit-fixture-org/hello-world");
    assert_eq!(r.default_branch, "master");
    let rate = RateInfo::from_headers(|h| repo["headers"][h].as_str().map(str::to_string));
    assert!(rate.remaining.is_some() && rate.reset.is_some(), "{rate:?}");

    let mut saw_list = false;
    let mut saw_write = false;
    for rec in recordings(&dir, "git-refs.json") {
        match (rec["method"].as_str(), rec["response"].is_array()) {
            (Some("get"), true) => {
                let refs: Vec<GitRef> = parse_json(&body(&rec), "refs").expect("refs");
                assert!(refs
                    .iter()
                    .all(|r| r.name.starts_with("refs/") && r.object.sha.len() == 40));
                saw_list = true;
            }
            (Some("post" | "patch"), false) => {
                let r: GitRef = parse_json(&body(&rec), "ref").expect("ref");
                assert_eq!(r.name, "refs/heads/test");
                assert_eq!(r.object.kind, "commit");
                saw_write = true;
            }
            _ => {}
        }
    }
    assert!(saw_list && saw_write);

    for rec in recordings(&dir, "get-content.json") {
        if rec["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("README.md"))
            && rec["response"].is_object()
        {
            let f: ContentFile = parse_json(&body(&rec), "content").expect("content");
            assert!(!f.text().expect("decodes").is_empty());
        }
    }

    let created = &recordings(&dir, "create-file.json")[0];
    let fc: FileCommit = parse_json(&body(created), "file commit").expect("file commit");
    assert_eq!(fc.content.expect("content").path, "test.txt");
    assert_eq!(fc.commit.sha.len(), 40);

    let err = &recordings(&dir, "errors.json")[0];
    let status = err["status"].as_u64().expect("status") as u16;
    let e: ApiErrorBody = parse_json(&body(err), "error").expect("error body");
    assert!(!e.errors.is_empty());
    match error_for(status, &body(err), "create label") {
        SyncError::Rejected {
            status: 422,
            message,
        } => assert_eq!(message, e.message),
        other => panic!("unexpected {other:?}"),
    }
}

//! `plasma threats session ...` as a separate process on a real SQLite
//! file: start, walk to a suggestion, reject it, note, pause, resume, end,
//! and the minutes.

use crate::support::{fixtures, plasma};

#[test]
fn a_session_from_start_to_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plan.db");
    let file = fixtures().join("threats").join("small-td.json");
    plasma(&db, &["threats", "import", file.to_str().unwrap()]).ok();

    let started = plasma(
        &db,
        &[
            "threats",
            "session",
            "start",
            "Small Shop",
            "--participant",
            "Ana",
            "--participant",
            "Bo",
            "--json",
        ],
    )
    .ok()
    .json();
    assert_eq!(
        started["session"]["participants"],
        serde_json::json!(["Ana", "Bo"])
    );
    let mut view = started;
    // Walk (by model name: its running session) until a step suggests threats.
    for _ in 0..200 {
        if !view["suggestions"].as_array().unwrap().is_empty() {
            break;
        }
        view = plasma(&db, &["threats", "session", "next", "Small Shop", "--json"])
            .ok()
            .json();
    }
    let threat = view["suggestions"][0]["short_id"]
        .as_str()
        .unwrap()
        .to_string();
    let title = view["suggestions"][0]["title"]
        .as_str()
        .unwrap()
        .to_string();
    let human = plasma(&db, &["threats", "session", "show", "Small Shop"]).ok();
    assert!(human.stdout.contains(&threat), "{}", human.stdout);

    plasma(
        &db,
        &[
            "threats",
            "session",
            "rule",
            "Small Shop",
            &threat,
            "--reject",
            "Only reachable from the office network",
        ],
    )
    .ok();
    let rows = plasma(&db, &["threats", "list", "Small Shop", "--json"])
        .ok()
        .json();
    let ruled = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["short_id"] == threat.as_str())
        .unwrap();
    assert_eq!(ruled["status"], "not_applicable");

    // A threat id nobody has is a clear error, not a panic.
    let bad = plasma(
        &db,
        &[
            "threats",
            "session",
            "rule",
            "Small Shop",
            "ffffffff",
            "--confirm",
        ],
    );
    assert_ne!(bad.code, 0);
    assert!(bad.stderr.contains("ffffffff"), "{}", bad.stderr);

    plasma(
        &db,
        &[
            "threats",
            "session",
            "note",
            "Small Shop",
            "Ask SRE about WAF rules",
        ],
    )
    .ok();
    plasma(&db, &["threats", "session", "pause", "Small Shop"]).ok();
    let paused = plasma(&db, &["threats", "session", "next", "Small Shop"]);
    assert_ne!(paused.code, 0, "a paused session does not move");
    plasma(&db, &["threats", "session", "resume", "Small Shop"]).ok();
    let ended = plasma(&db, &["threats", "session", "end", "Small Shop"]).ok();
    assert!(
        ended
            .stdout
            .starts_with("# Threat session minutes: Small Shop"),
        "{}",
        ended.stdout
    );
    for text in [
        &title,
        "Only reachable from the office network",
        "Ask SRE about WAF rules",
        "Ana, Bo",
    ] {
        assert!(
            ended.stdout.contains(text),
            "minutes lack {text}: {}",
            ended.stdout
        );
    }
    let out = dir.path().join("minutes.md");
    plasma(
        &db,
        &[
            "threats",
            "session",
            "minutes",
            "Small Shop",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .ok();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), ended.stdout);
    let none = plasma(&db, &["threats", "session", "next", "Small Shop"]);
    assert_ne!(none.code, 0, "no running session after end");

    // Earlier sessions are listed, and their minutes found by id.
    let list = plasma(&db, &["threats", "session", "list", "Small Shop"]).ok();
    let line = list.stdout.lines().next().unwrap_or_default();
    assert!(
        line.contains("  ended ") && line.contains("Ana, Bo"),
        "{}",
        list.stdout
    );
    let id = line.split_whitespace().next().unwrap();
    let json = plasma(&db, &["threats", "session", "list", "Small Shop", "--json"])
        .ok()
        .json();
    assert_eq!(json.as_array().unwrap().len(), 1);
    assert_eq!(json[0]["session"]["id"], id);
    let by_id = plasma(&db, &["threats", "session", "minutes", id]).ok();
    assert_eq!(by_id.stdout, ended.stdout);
}

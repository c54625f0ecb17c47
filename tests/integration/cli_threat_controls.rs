//! `plasma threats controls ...` on a real SQLite file: a threat links a
//! compliance control, the matrix shows the link, unlinking what is not
//! linked fails and changes nothing.

use crate::support::{fixtures, plasma};

#[test]
fn link_list_show_and_unlink() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plan.db");
    let file = fixtures().join("threats").join("small-td.json");
    // The demo workspace has repositories for the matrix to assess.
    plasma(&db, &["demo"]).ok();
    plasma(&db, &["threats", "import", file.to_str().unwrap()]).ok();
    let threats = plasma(&db, &["threats", "list", "Small Shop", "--json"])
        .ok()
        .json();
    let threat = threats[0]["id"].as_str().unwrap().to_string();
    let short = &threat[..8];

    let listed = plasma(
        &db,
        &["threats", "controls", "list", "Small Shop", short, "--json"],
    )
    .ok()
    .json();
    assert_eq!(listed, serde_json::json!([]));

    let linked = plasma(
        &db,
        &[
            "threats",
            "controls",
            "link",
            "Small Shop",
            short,
            "plasma-sdlc:SDLC-02",
        ],
    )
    .ok();
    assert!(
        linked.stdout.contains("plasma-sdlc:SDLC-02"),
        "{}",
        linked.stdout
    );
    assert!(
        linked.stdout.contains("Threat modeling"),
        "{}",
        linked.stdout
    );

    let shown = plasma(&db, &["compliance", "show", "SDLC-02"]).ok();
    assert!(
        shown
            .stdout
            .contains(&format!("threat {short} in \"Small Shop\"")),
        "{}",
        shown.stdout
    );

    let after = plasma(
        &db,
        &[
            "threats",
            "controls",
            "unlink",
            "Small Shop",
            short,
            "SDLC-02",
        ],
    )
    .ok();
    assert!(
        after.stdout.contains("No control cites"),
        "{}",
        after.stdout
    );

    let again = plasma(
        &db,
        &[
            "threats",
            "controls",
            "unlink",
            "Small Shop",
            short,
            "SDLC-02",
        ],
    );
    assert_ne!(again.code, 0);
    assert!(again.stderr.contains("does not link"), "{}", again.stderr);
}

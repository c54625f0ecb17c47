//! The keychain against a real Secret Service (gnome-keyring). Needs a
//! session bus with an unlocked keyring, which `scripts/test` provides via
//! `dbus-run-session` and sets `PLASMA_SECRET_SERVICE_TEST=1`; elsewhere the
//! test prints a notice and does nothing.

use plasma_sync::keychain::{delete_token, load_token, store_token};
use plasma_sync::GitHubToken;

#[test]
fn token_round_trips_through_the_real_secret_service() {
    if std::env::var("PLASMA_SECRET_SERVICE_TEST").as_deref() != Ok("1") {
        eprintln!("notice: PLASMA_SECRET_SERVICE_TEST is not 1; skipping the Secret Service test (scripts/test runs it)");
        return;
    }
    // A host of its own, so a developer's real entries are never touched.
    let api = format!("https://ghe-{}.plasma.invalid/api/v3", std::process::id());
    assert!(load_token(&api).expect("read").is_none());
    store_token(
        &api,
        &GitHubToken::new("github_pat_secret_service_test").expect("token"),
    )
    .expect("store");
    let back = load_token(&api).expect("read").expect("stored");
    assert_eq!(back.expose_secret(), "github_pat_secret_service_test");
    // Replacing keeps one entry with the new value.
    store_token(&api, &GitHubToken::new("github_pat_second").expect("token")).expect("store");
    assert_eq!(
        load_token(&api)
            .expect("read")
            .expect("stored")
            .expose_secret(),
        "github_pat_second"
    );
    delete_token(&api).expect("delete");
    assert!(load_token(&api).expect("read").is_none());
    delete_token(&api).expect("deleting twice is fine");
}

//! Shared by the golden-file suites: each output is compared with
//! `tests/golden/<kind>/<name>`; `PLASMA_UPDATE_GOLDEN=1` rewrites the files.

// Each test binary uses a part of this module.
#![allow(dead_code)]

pub mod damage;

use std::path::PathBuf;

pub fn check_golden(kind: &str, name: &str, actual: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(kind);
    let path = dir.join(name);
    if std::env::var_os("PLASMA_UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(&dir).expect("golden dir");
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with PLASMA_UPDATE_GOLDEN=1 to create it",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "{name} differs from its golden file; run with PLASMA_UPDATE_GOLDEN=1 to accept.\n--- actual ---\n{actual}"
    );
}

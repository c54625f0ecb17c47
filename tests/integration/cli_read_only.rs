//! A database this user cannot write (a read-only checkout on a CI server,
//! a file with mode 0444, a read-only folder) still serves every reading
//! command, and a write is refused naming the file, changing nothing.
//!
//! The read-only condition is real: the file and folder modes forbid
//! writing. Root ignores mode bits, so when the tests run as root `plasma`
//! runs as `nobody` (uid/gid 65534); as any other user it runs as that user.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;

use crate::support::{fixtures, plasma, plasma_bin, Run};

const NOBODY: u32 = 65534;

/// `plasma --db DB ARGS...` as a user the modes apply to. `db` lives in
/// a folder of [`database`]'s test folder, which holds the binary too.
fn plasma_unprivileged(db: &Path, args: &[&str]) -> Run {
    let root = running_as_root();
    let binary = match db.parent().and_then(Path::parent) {
        Some(test_dir) if root => test_dir.join("plasma"),
        _ => plasma_bin().to_path_buf(),
    };
    let mut cmd = Command::new(binary);
    cmd.arg("--db").arg(db).args(args).env_remove("PLASMA_DB");
    if root {
        // std drops root's supplementary groups with the uid.
        cmd.uid(NOBODY).gid(NOBODY);
    }
    let out = cmd.output().expect("run plasma");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Whether this process is root: a file it creates belongs to uid 0.
fn running_as_root() -> bool {
    let probe = tempfile::NamedTempFile::new().expect("probe");
    probe.as_file().metadata().expect("probe metadata").uid() == 0
}

fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Every file in `dir` with its bytes, to show nothing was written.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    files.sort();
    files
}

fn assert_null_device_intact() {
    let null = std::fs::metadata("/dev/null").expect("/dev/null");
    assert!(
        std::os::unix::fs::FileTypeExt::is_char_device(&null.file_type()),
        "/dev/null is no longer a character device"
    );
}

/// A database with an ADR and a threat model in a folder `nobody` can
/// enter; and a folder `nobody` can write exports to.
fn database() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    assert_null_device_intact();
    let dir = tempfile::tempdir().expect("tempdir");
    set_mode(dir.path(), 0o755);
    let data = dir.path().join("data");
    std::fs::create_dir(&data).expect("data folder");
    let db = data.join("plasma.db");
    plasma(&db, &["adr", "new", "--title", "Use Postgres for billing"]).ok();
    let model = fixtures().join("threats/small-td.json");
    plasma(&db, &["threats", "import", model.to_str().unwrap()]).ok();
    // Closed cleanly: no WAL, no -shm (a command that closes the store
    // checkpoints and removes them).
    plasma(&db, &["adr", "list"]).ok();
    assert!(!data.join("plasma.db-wal").exists());
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("out folder");
    set_mode(&out, 0o777);
    if running_as_root() {
        // `nobody` may not reach the build's binary (a clone under /root):
        // a link beside the database (a copy across file systems) it can.
        let reachable = dir.path().join("plasma");
        if std::fs::hard_link(plasma_bin(), &reachable).is_err() {
            std::fs::copy(plasma_bin(), &reachable).expect("copy plasma");
        }
        set_mode(&reachable, 0o755);
    }
    (dir, db, out)
}

fn reads_work_and_writes_are_refused(db: &Path, out: &Path) {
    let data = db.parent().expect("folder");
    let before = snapshot(data);

    let list = plasma_unprivileged(db, &["adr", "list"]).ok();
    assert!(
        list.stdout.contains("Use Postgres for billing"),
        "{}",
        list.stdout
    );
    let found = plasma_unprivileged(db, &["search", "postgres"]).ok();
    assert!(found.stdout.contains("ADR-0001"), "{}", found.stdout);
    let adrs = out.join("adrs");
    plasma_unprivileged(db, &["adr", "export", adrs.to_str().unwrap()]).ok();
    assert!(adrs.join("index.md").is_file());
    let models = plasma_unprivileged(db, &["threats", "models", "--json"])
        .ok()
        .json();
    let name = models[0]["name"].as_str().expect("a model").to_string();
    let report = out.join("report");
    plasma_unprivileged(
        db,
        &[
            "threats",
            "report",
            &name,
            "--out",
            report.to_str().unwrap(),
        ],
    )
    .ok();
    assert!(std::fs::read_dir(&report).expect("report").count() > 0);

    let refused = plasma_unprivileged(db, &["adr", "new", "--title", "Use Kafka"]);
    assert_ne!(refused.code, 0, "{}", refused.stdout);
    assert!(
        refused.stderr.contains(&format!(
            "the database at {} is read-only here",
            db.display()
        )) && refused.stderr.contains("nothing was changed"),
        "{}",
        refused.stderr
    );
    // Not a byte written, no side file left behind (a -shm with the
    // database's read-only mode would break the owner's next write).
    assert_eq!(snapshot(data), before);
    assert_null_device_intact();
}

#[test]
fn a_read_only_file_is_read_and_never_written() {
    let (_dir, db, out) = database();
    set_mode(&db, 0o444);
    // The folder is writable: SQLite could create side files there.
    set_mode(db.parent().unwrap(), 0o777);
    reads_work_and_writes_are_refused(&db, &out);
    // Writable again, the owner writes as before.
    set_mode(&db, 0o644);
    plasma(&db, &["adr", "new", "--title", "Use Kafka"]).ok();
}

#[test]
fn a_database_in_a_read_only_folder_is_read_and_never_written() {
    let (_dir, db, out) = database();
    set_mode(&db, 0o444);
    set_mode(db.parent().unwrap(), 0o555);
    reads_work_and_writes_are_refused(&db, &out);
    set_mode(db.parent().unwrap(), 0o755);
}

#[test]
fn a_writable_file_in_a_read_only_folder_is_read_and_never_written() {
    let (_dir, db, out) = database();
    // SQLite can open the file for writing but cannot create the WAL's
    // side files next to it: the open fails and falls back to reading.
    if running_as_root() {
        std::os::unix::fs::chown(&db, Some(NOBODY), Some(NOBODY)).expect("chown");
    }
    set_mode(&db, 0o644);
    set_mode(db.parent().unwrap(), 0o555);
    reads_work_and_writes_are_refused(&db, &out);
    set_mode(db.parent().unwrap(), 0o755);
}

#[tokio::test]
async fn transactions_still_in_the_wal_are_read() {
    let (_dir, db, out) = database();
    // The owner's desktop app is open and has saved an ADR that is only in
    // the WAL yet: reading the main file alone would not find it.
    let app = plasma_workbench::Workbench::open(&db).await.expect("app");
    app.create_adr(
        "Keep the audit log for a year",
        plasma_exports::adr_markdown::Template::Nygard,
    )
    .await
    .expect("app saves");
    let data = db.parent().unwrap().to_path_buf();
    assert!(data.join("plasma.db-wal").metadata().expect("WAL").len() > 0);
    set_mode(&db, 0o444);
    set_mode(&data, 0o555);
    let list = plasma_unprivileged(&db, &["adr", "list"]).ok();
    assert!(
        list.stdout.contains("Keep the audit log for a year"),
        "{}",
        list.stdout
    );
    reads_work_and_writes_are_refused(&db, &out);
    set_mode(&data, 0o755);
    app.close().await;
}

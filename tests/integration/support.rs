//! Shared helpers: the real `plasma` binary, run as a user would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

pub fn fixtures() -> PathBuf {
    workspace_root().join("tests").join("fixtures")
}

/// The shared corpus beside the project, or `PLASMA_CORPUS_DIR`.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("PLASMA_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("..").join("shared").join("corpus"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("notice: corpus not found at {}, skipping", dir.display());
        None
    }
}

/// `target/<profile>/plasma`, built on first use so `cargo test` alone works.
/// `PLASMA_BIN` names one built already (scripts/test builds the workspace
/// once with one feature set; `-p plasma-cli` alone would rebuild its whole
/// dependency tree with other features).
pub fn plasma_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        if let Some(bin) = std::env::var_os("PLASMA_BIN") {
            let bin = PathBuf::from(bin);
            assert!(bin.is_file(), "PLASMA_BIN: no file at {}", bin.display());
            return bin;
        }
        let exe = std::env::current_exe().expect("test executable path");
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("target/<profile>/deps/<test>");
        let bin = profile_dir.join(format!("plasma{}", std::env::consts::EXE_SUFFIX));
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        build.args(["build", "-q", "-p", "plasma-cli", "--bin", "plasma"]);
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            build.arg("--release");
        }
        let status = build
            .current_dir(workspace_root())
            .status()
            .expect("run cargo build for the plasma binary");
        assert!(status.success(), "building the plasma binary failed");
        assert!(bin.is_file(), "no plasma binary at {}", bin.display());
        bin
    })
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code, 0,
            "exit {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

fn finish(out: Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs `plasma --db DB ARGS...` with no `PLASMA_DB` in the environment.
pub fn plasma(db: &Path, args: &[&str]) -> Run {
    let out = Command::new(plasma_bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PLASMA_DB")
        .output()
        .expect("run plasma");
    finish(out)
}

pub fn plasma_env(envs: &[(&str, &Path)], args: &[&str]) -> Run {
    let mut cmd = Command::new(plasma_bin());
    cmd.args(args).env_remove("PLASMA_DB");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    finish(cmd.output().expect("run plasma"))
}

/// `plasma --db DB ARGS...` with `GITHUB_TOKEN` set to the fake GitHub's
/// token (the CI way to sign in) and no `PLASMA_DB`.
pub fn plasma_signed_in(db: &Path, args: &[&str]) -> Run {
    let out = Command::new(plasma_bin())
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PLASMA_DB")
        .env("GITHUB_TOKEN", plasma_github_fake::FAKE_TOKEN)
        .output()
        .expect("run plasma");
    finish(out)
}

/// The in-process fake GitHub serving `acme/REPO` from a bare repository
/// under DIR, checked against the shared OpenAPI subset.
pub fn start_fake_github(dir: &Path, repo: &str) -> plasma_github_fake::FakeGitHub {
    let spec = workspace_root().join("../shared/github/github-openapi-subset.json");
    plasma_github_fake::FakeGitHub::start(&dir.join("github"), "acme", repo, &spec)
}

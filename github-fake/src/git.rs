//! The bare repository behind the fake, driven by git's plumbing commands,
//! so every blob, tree and commit the API hands out is a real git object.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Debug, Clone)]
pub struct Repo {
    pub dir: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub mode: String,
    pub kind: String,
    pub sha: String,
    pub size: Option<u64>,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub tree: String,
    pub parents: Vec<String>,
    pub author: (String, String, i64),
    pub committer: (String, String, i64),
    pub message: String,
}

pub const AUTHOR: (&str, &str) = ("Plasma Fake", "fake@plasma.invalid");

impl Repo {
    pub fn init(dir: &Path) -> Result<Repo, String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let repo = Repo {
            dir: dir.to_path_buf(),
        };
        repo.git(
            &["init", "--bare", "--quiet", "--initial-branch=main"],
            None,
        )?;
        Ok(repo)
    }

    pub fn git(&self, args: &[&str], stdin: Option<&[u8]>) -> Result<String, String> {
        let mut cmd = Command::new("git");
        cmd.env("GIT_DIR", &self.dir)
            .env("GIT_AUTHOR_NAME", AUTHOR.0)
            .env("GIT_AUTHOR_EMAIL", AUTHOR.1)
            .env("GIT_COMMITTER_NAME", AUTHOR.0)
            .env("GIT_COMMITTER_EMAIL", AUTHOR.1)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", &self.dir)
            .args(args)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| format!("git: {e}"))?;
        if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
            pipe.write_all(input).map_err(|e| e.to_string())?;
        }
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout)
                .trim_end_matches('\n')
                .to_string())
        } else {
            Err(format!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ))
        }
    }

    pub fn write_blob(&self, bytes: &[u8]) -> Result<String, String> {
        self.git(&["hash-object", "-w", "--stdin"], Some(bytes))
    }

    pub fn object_type(&self, sha: &str) -> Option<String> {
        if sha.len() != 40 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.git(&["cat-file", "-t", sha], None).ok()
    }

    pub fn blob(&self, sha: &str) -> Result<Vec<u8>, String> {
        let out = Command::new("git")
            .env("GIT_DIR", &self.dir)
            .args(["cat-file", "blob", sha])
            .output()
            .map_err(|e| e.to_string())?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(String::from_utf8_lossy(&out.stderr).to_string())
        }
    }

    pub fn ls_tree(&self, tree: &str, recursive: bool) -> Result<Vec<Entry>, String> {
        let mut args = vec!["ls-tree", "-l", "--full-tree"];
        if recursive {
            args.extend(["-r", "-t"]);
        }
        args.push(tree);
        let out = self.git(&args, None)?;
        Ok(out
            .lines()
            .filter_map(|line| {
                let (meta, path) = line.split_once('\t')?;
                let mut parts = meta.split_whitespace();
                let mode = parts.next()?.to_string();
                let kind = parts.next()?.to_string();
                let sha = parts.next()?.to_string();
                let size = parts.next().and_then(|s| s.parse().ok());
                Some(Entry {
                    mode,
                    kind,
                    sha,
                    size,
                    path: path.to_string(),
                })
            })
            .collect())
    }

    /// Writes nested trees for a flat map of blob paths; returns the root.
    pub fn write_tree(&self, files: &BTreeMap<String, (String, String)>) -> Result<String, String> {
        self.write_dir(files, "")
    }

    fn write_dir(
        &self,
        files: &BTreeMap<String, (String, String)>,
        prefix: &str,
    ) -> Result<String, String> {
        let mut lines = String::new();
        let mut subdirs: Vec<String> = Vec::new();
        for (path, (mode, sha)) in files.range(prefix.to_string()..) {
            let Some(rest) = path.strip_prefix(prefix) else {
                break;
            };
            match rest.split_once('/') {
                None => lines.push_str(&format!("{mode} blob {sha}\t{rest}\n")),
                Some((dir, _)) => {
                    if subdirs.last().map(String::as_str) != Some(dir) {
                        subdirs.push(dir.to_string());
                    }
                }
            }
        }
        for dir in subdirs {
            let sha = self.write_dir(files, &format!("{prefix}{dir}/"))?;
            lines.push_str(&format!("040000 tree {sha}\t{dir}\n"));
        }
        self.git(&["mktree"], Some(lines.as_bytes()))
    }

    /// Flat `path → (mode, blob)` of a tree.
    pub fn flatten(&self, tree: &str) -> Result<BTreeMap<String, (String, String)>, String> {
        Ok(self
            .ls_tree(tree, true)?
            .into_iter()
            .filter(|e| e.kind == "blob")
            .map(|e| (e.path, (e.mode, e.sha)))
            .collect())
    }

    pub fn commit_tree(
        &self,
        tree: &str,
        parents: &[String],
        message: &str,
    ) -> Result<String, String> {
        let mut args = vec!["commit-tree".to_string(), tree.to_string()];
        for p in parents {
            args.push("-p".into());
            args.push(p.clone());
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        self.git(&refs, Some(message.as_bytes()))
    }

    pub fn commit_info(&self, sha: &str) -> Result<CommitInfo, String> {
        let raw = self.git(&["cat-file", "commit", sha], None)?;
        let (head, message) = raw.split_once("\n\n").unwrap_or((&raw, ""));
        let mut info = CommitInfo {
            tree: String::new(),
            parents: Vec::new(),
            author: (String::new(), String::new(), 0),
            committer: (String::new(), String::new(), 0),
            message: message.to_string(),
        };
        let person = |s: &str| {
            let (name, rest) = s.split_once(" <").unwrap_or((s, ""));
            let (email, rest) = rest.split_once("> ").unwrap_or((rest, "0"));
            let when = rest
                .split_whitespace()
                .next()
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
            (name.to_string(), email.to_string(), when)
        };
        for line in head.lines() {
            if let Some(t) = line.strip_prefix("tree ") {
                info.tree = t.to_string();
            } else if let Some(p) = line.strip_prefix("parent ") {
                info.parents.push(p.to_string());
            } else if let Some(a) = line.strip_prefix("author ") {
                info.author = person(a);
            } else if let Some(c) = line.strip_prefix("committer ") {
                info.committer = person(c);
            }
        }
        Ok(info)
    }

    pub fn resolve_ref(&self, full_ref: &str) -> Option<String> {
        self.git(
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{full_ref}^{{commit}}"),
            ],
            None,
        )
        .ok()
    }

    /// Compare-and-swap: fails if the ref is not at `old` (empty: must not exist).
    pub fn update_ref(&self, full_ref: &str, new: &str, old: Option<&str>) -> Result<(), String> {
        let zero = "0000000000000000000000000000000000000000";
        self.git(&["update-ref", full_ref, new, old.unwrap_or(zero)], None)
            .map(|_| ())
    }

    pub fn is_ancestor(&self, old: &str, new: &str) -> bool {
        self.git(&["merge-base", "--is-ancestor", old, new], None)
            .is_ok()
    }

    /// A clean three-way merge of two commits' trees, or `None` on conflict.
    pub fn merge_trees(&self, ours: &str, theirs: &str) -> Option<String> {
        let out = self
            .git(&["merge-tree", "--write-tree", ours, theirs], None)
            .ok()?;
        out.lines().next().map(str::to_string)
    }
}

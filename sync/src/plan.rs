//! Pure planning: what a publish writes and what a pull reads and decides,
//! computed from local state and remote state. No network here; [`crate::apply`]
//! carries the plans out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use crate::github::{PullRequest, TreeEntry};
use crate::layout::{DocumentFile, DocumentKind, FileRole, Layout};
use crate::merge::{merge_json, merge_markdown, MergeOutcome};

/// Git's object id of a blob with this content (`git hash-object`), so a
/// plan can tell unchanged files without downloading them.
pub fn git_blob_sha(content: &str) -> String {
    let mut h = Sha1::new();
    h.update(format!("blob {}\0", content.len()).as_bytes());
    h.update(content.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// One planning record rendered to files, ready to publish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalDocument {
    /// Stable key within the workspace: `adr:7`, `threat-model:<uuid>`.
    pub key: String,
    pub kind: DocumentKind,
    pub title: String,
    pub files: Vec<DocumentFile>,
}

impl LocalDocument {
    pub fn primary(&self) -> Option<&DocumentFile> {
        self.files.iter().find(|f| f.role == FileRole::Primary)
    }
}

/// A draft: one or several documents published as one commit and one PR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub kind: DocumentKind,
    /// From `plasma_models::slug::slugify`: safe in a branch name.
    pub slug: String,
    pub title: String,
    pub documents: Vec<LocalDocument>,
    /// Blob sha of each file as this app last pushed it to the draft branch;
    /// a different sha there means someone else edited the file.
    #[serde(default)]
    pub published: BTreeMap<String, String>,
    /// Blob sha of each file on the base branch at the last sync; a
    /// different sha there means it changed on GitHub since.
    #[serde(default)]
    pub base_shas: BTreeMap<String, String>,
}

impl Draft {
    /// `drafts/<kind>-<slug>`.
    pub fn branch(&self) -> String {
        format!("drafts/{}-{}", self.kind.label(), self.slug)
    }

    pub fn pull_body(&self) -> String {
        let mut body = String::from("Published from Plasma Plan as a draft for review.\n\n");
        for d in &self.documents {
            for f in &d.files {
                body.push_str(&format!("- `{}`\n", f.path));
            }
        }
        body
    }
}

/// What GitHub holds right now, as far as a publish cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishRemote {
    pub base_commit: String,
    pub base_tree: String,
    /// Head of `drafts/...` when the branch exists, with its tree listing.
    pub draft_head: Option<(String, String, Vec<TreeEntry>)>,
    /// Base tree listing (used when the draft branch is new).
    pub base_files: Vec<TreeEntry>,
    pub open_pull: Option<PullRequest>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PullAction {
    Create {
        title: String,
        body: String,
    },
    Update {
        number: u64,
        title: String,
        body: String,
    },
    Keep {
        number: u64,
    },
    /// The base already has these files and no pull request is open:
    /// there is nothing to propose.
    Nothing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishPlan {
    pub branch: String,
    pub base_branch: String,
    /// The commit the new commit goes on top of and its tree.
    pub parent_commit: String,
    pub parent_tree: String,
    /// A second parent: the base head, when a stale draft branch (its pull
    /// request merged or closed) is brought up to date by a merge commit,
    /// so the ref still only fast-forwards.
    pub merge_parent: Option<String>,
    /// The new commit is built on the base branch's files, not the draft's.
    pub on_base: bool,
    /// `None` when the branch must be created.
    pub branch_exists: bool,
    /// Files whose content differs from the parent's tree.
    pub writes: Vec<(String, String)>,
    pub message: String,
    pub pull: PullAction,
}

impl PublishPlan {
    pub fn needs_commit(&self) -> bool {
        !self.writes.is_empty()
    }
}

pub fn plan_publish(draft: &Draft, base_branch: &str, remote: &PublishRemote) -> PublishPlan {
    let (parent_commit, merge_parent, parent_tree, listing, exists) =
        match (&remote.draft_head, &remote.open_pull) {
            (Some((commit, tree, files)), Some(_)) => {
                (commit.clone(), None, tree.clone(), files, true)
            }
            // The branch outlived its pull request: start again from the
            // base, merging it in so the ref update stays a fast-forward.
            (Some((commit, _, _)), None) => (
                commit.clone(),
                (*commit != remote.base_commit).then(|| remote.base_commit.clone()),
                remote.base_tree.clone(),
                &remote.base_files,
                true,
            ),
            (None, _) => (
                remote.base_commit.clone(),
                None,
                remote.base_tree.clone(),
                &remote.base_files,
                false,
            ),
        };
    let on_base = !exists || remote.open_pull.is_none();
    let existing: BTreeMap<&str, &str> = listing
        .iter()
        .filter(|e| e.kind == "blob")
        .map(|e| (e.path.as_str(), e.sha.as_str()))
        .collect();
    let writes: Vec<(String, String)> = draft
        .documents
        .iter()
        .flat_map(|d| d.files.iter())
        .filter(|f| {
            existing.get(f.path.as_str()).copied() != Some(git_blob_sha(&f.content).as_str())
        })
        .map(|f| (f.path.clone(), f.content.clone()))
        .collect();
    let body = draft.pull_body();
    let pull = match &remote.open_pull {
        Some(pr) if pr.title == draft.title => PullAction::Keep { number: pr.number },
        Some(pr) => PullAction::Update {
            number: pr.number,
            title: draft.title.clone(),
            body,
        },
        None if writes.is_empty() && on_base => PullAction::Nothing,
        None => PullAction::Create {
            title: draft.title.clone(),
            body,
        },
    };
    PublishPlan {
        branch: draft.branch(),
        base_branch: base_branch.to_string(),
        parent_commit,
        parent_tree,
        merge_parent,
        on_base,
        branch_exists: exists,
        writes,
        message: format!("{}\n\nPublished from Plasma Plan.", draft.title),
        pull,
    }
}

// ---- pull ----------------------------------------------------------------

/// A document the app has synced before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedDocument {
    pub key: String,
    pub kind: DocumentKind,
    /// Path of the primary file.
    pub path: String,
    /// Blob sha of the primary file at the last sync.
    pub base_sha: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullPlan {
    /// (key, path, blob sha) of tracked documents changed on the remote.
    pub changed: Vec<(String, String, String)>,
    /// Keys of tracked documents unchanged on the remote.
    pub unchanged: Vec<String>,
    /// Keys whose primary file is gone from the base branch.
    pub removed: Vec<String>,
    /// (kind, path, blob sha) of documents on the remote the app does not track.
    pub new: Vec<(DocumentKind, String, String)>,
}

pub fn plan_pull(
    tracked: &[TrackedDocument],
    remote_tree: &[TreeEntry],
    layout: &Layout,
) -> PullPlan {
    let remote: BTreeMap<&str, &str> = remote_tree
        .iter()
        .filter(|e| e.kind == "blob")
        .map(|e| (e.path.as_str(), e.sha.as_str()))
        .collect();
    let mut plan = PullPlan::default();
    for t in tracked {
        match remote.get(t.path.as_str()) {
            Some(sha) if *sha == t.base_sha => plan.unchanged.push(t.key.clone()),
            Some(sha) => plan
                .changed
                .push((t.key.clone(), t.path.clone(), sha.to_string())),
            None => plan.removed.push(t.key.clone()),
        }
    }
    for (path, sha) in remote {
        if tracked.iter().any(|t| t.path == path) {
            continue;
        }
        if let Some(kind) = layout.kind_of(path) {
            plan.new.push((kind, path.to_string(), sha.to_string()));
        }
    }
    plan
}

/// What to do with one changed document, decided from three canonical texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PullDecision {
    /// Remote equals base: nothing to take.
    KeepLocal,
    /// No local edits since the base: take the remote text.
    TakeRemote(String),
    /// Both changed, items merged cleanly.
    Merged(String),
    /// Both changed the same item differently: keep both for the user.
    Conflict(MergeOutcome),
}

pub fn decide(
    kind: DocumentKind,
    base: &str,
    local: &str,
    remote: &str,
) -> Result<PullDecision, crate::SyncError> {
    if remote == base || remote == local {
        return Ok(PullDecision::KeepLocal);
    }
    if local == base {
        return Ok(PullDecision::TakeRemote(remote.to_string()));
    }
    let outcome = match kind {
        DocumentKind::ThreatModel => merge_json(base, local, remote)?,
        _ => merge_markdown(base, local, remote),
    };
    Ok(if outcome.is_clean() {
        PullDecision::Merged(outcome.prefer_local)
    } else {
        PullDecision::Conflict(outcome)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, content: &str) -> TreeEntry {
        TreeEntry {
            path: path.into(),
            mode: "100644".into(),
            kind: "blob".into(),
            sha: git_blob_sha(content),
        }
    }

    fn adr_draft(content: &str) -> Draft {
        Draft {
            kind: DocumentKind::Adr,
            slug: "0001-use-postgres".into(),
            title: "ADR-0001: Use Postgres".into(),
            documents: vec![LocalDocument {
                key: "adr:1".into(),
                kind: DocumentKind::Adr,
                title: "Use Postgres".into(),
                files: vec![DocumentFile {
                    path: "docs/adr/0001-use-postgres.md".into(),
                    role: FileRole::Primary,
                    content: content.into(),
                }],
            }],
            published: BTreeMap::new(),
            base_shas: BTreeMap::new(),
        }
    }

    #[test]
    fn blob_sha_matches_git() {
        // `printf 'hello\n' | git hash-object --stdin`
        assert_eq!(
            git_blob_sha("hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
    }

    #[test]
    fn new_draft_branch_writes_changed_files_and_opens_a_pull() {
        let remote = PublishRemote {
            base_commit: "c0".into(),
            base_tree: "t0".into(),
            draft_head: None,
            base_files: vec![entry("README.md", "hi\n")],
            open_pull: None,
        };
        let plan = plan_publish(&adr_draft("# Use Postgres\n"), "main", &remote);
        assert_eq!(plan.branch, "drafts/adr-0001-use-postgres");
        assert!(!plan.branch_exists);
        assert_eq!(plan.parent_commit, "c0");
        assert_eq!(plan.writes.len(), 1);
        assert!(matches!(plan.pull, PullAction::Create { .. }));
    }

    #[test]
    fn unchanged_files_are_not_rewritten() {
        let content = "# Use Postgres\n";
        let remote = PublishRemote {
            base_commit: "c0".into(),
            base_tree: "t0".into(),
            draft_head: Some((
                "c1".into(),
                "t1".into(),
                vec![entry("docs/adr/0001-use-postgres.md", content)],
            )),
            base_files: vec![entry("docs/adr/0001-use-postgres.md", content)],
            open_pull: None,
        };
        let plan = plan_publish(&adr_draft(content), "main", &remote);
        assert!(!plan.needs_commit());
        assert_eq!(plan.parent_commit, "c1");
        assert_eq!(plan.pull, PullAction::Nothing, "the base already has it");
    }

    #[test]
    fn pull_plan_sorts_tracked_documents() {
        let layout = Layout::default();
        let tracked = vec![
            TrackedDocument {
                key: "adr:1".into(),
                kind: DocumentKind::Adr,
                path: "docs/adr/0001-a.md".into(),
                base_sha: git_blob_sha("a"),
            },
            TrackedDocument {
                key: "adr:2".into(),
                kind: DocumentKind::Adr,
                path: "docs/adr/0002-b.md".into(),
                base_sha: git_blob_sha("b"),
            },
            TrackedDocument {
                key: "adr:3".into(),
                kind: DocumentKind::Adr,
                path: "docs/adr/0003-c.md".into(),
                base_sha: git_blob_sha("c"),
            },
        ];
        let tree = vec![
            entry("docs/adr/0001-a.md", "a"),
            entry("docs/adr/0002-b.md", "b changed"),
            entry("docs/adr/0004-d.md", "d"),
            entry("src/main.rs", "fn main(){}"),
        ];
        let plan = plan_pull(&tracked, &tree, &layout);
        assert_eq!(plan.unchanged, ["adr:1"]);
        assert_eq!(plan.changed[0].0, "adr:2");
        assert_eq!(plan.removed, ["adr:3"]);
        assert_eq!(plan.new.len(), 1);
        assert_eq!(plan.new[0].1, "docs/adr/0004-d.md");
    }

    #[test]
    fn decisions() {
        let k = DocumentKind::Adr;
        assert_eq!(
            decide(k, "a", "b", "a").expect("d"),
            PullDecision::KeepLocal
        );
        assert_eq!(
            decide(k, "a", "a", "c").expect("d"),
            PullDecision::TakeRemote("c".into())
        );
        assert!(matches!(
            decide(k, "a\n", "b\n", "c\n").expect("d"),
            PullDecision::Conflict(_)
        ));
    }
}

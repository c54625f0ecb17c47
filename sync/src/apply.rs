//! Carrying plans out against GitHub. Every write goes through the git data
//! API (blobs, tree, commit, ref) and never forces a ref: a race shows up as
//! 409/422, and the answer is to re-read, re-plan and merge.

use std::collections::BTreeMap;

use crate::github::{GitHub, GitRef, PullRequest, TreeEntry};
use crate::layout::{DocumentKind, FileRole};
use crate::merge::{merge_json, merge_markdown};
use crate::plan::{git_blob_sha, plan_publish, Draft, PublishPlan, PublishRemote, PullAction};
use crate::{Result, SyncError};

/// How often a publish re-reads and re-plans after losing a race.
const RACE_ATTEMPTS: u32 = 3;

/// Watches a publish request by request: told what comes next before each
/// request, and may stop the publish there by answering `Err` (normally
/// [`SyncError::Cancelled`]). A publish only moves the draft's ref in its
/// last cancellable step, so stopping leaves the remote as it was (unused
/// blobs, trees and commits are unreachable and harmless). Requests after
/// the ref moved (the pull request) come with `can_stop: false`: the
/// observer may only report them, so a publish is never left half-done.
pub trait Observer: Send + Sync {
    fn before(&self, request: &str, can_stop: bool) -> Result<()>;
}

/// Reports nothing and never stops.
pub struct Unobserved;

impl Observer for Unobserved {
    fn before(&self, _request: &str, _can_stop: bool) -> Result<()> {
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishOutcome {
    pub branch: String,
    /// The new commit, or `None` when the branch already had these files.
    pub commit: Option<String>,
    /// `None` when there was nothing to propose (the base already has it).
    pub pull: Option<PullRequest>,
    /// Blob sha of every file of the draft as it now is on the branch.
    pub files: BTreeMap<String, String>,
    /// Races lost and recovered from (re-read and re-planned).
    pub races: u32,
}

pub fn read_publish_remote(
    gh: &GitHub,
    base_branch: &str,
    draft: &Draft,
    obs: &dyn Observer,
) -> Result<PublishRemote> {
    obs.before(&format!("read branch {base_branch}"), true)?;
    let base = gh.branch_ref(base_branch)?.ok_or_else(|| {
        SyncError::NotFound(format!(
            "base branch \"{base_branch}\" in {}",
            gh.full_name()
        ))
    })?;
    obs.before(&format!("read the files of {base_branch}"), true)?;
    let base_commit = gh.commit(&base.object.sha)?;
    let base_files = gh.tree_recursive(&base_commit.tree.sha)?.tree;
    obs.before(&format!("read branch {}", draft.branch()), true)?;
    let draft_head = match gh.branch_ref(&draft.branch())? {
        Some(r) => {
            obs.before(&format!("read the files of {}", draft.branch()), true)?;
            let c = gh.commit(&r.object.sha)?;
            let files = gh.tree_recursive(&c.tree.sha)?.tree;
            Some((c.sha, c.tree.sha, files))
        }
        None => None,
    };
    obs.before("look for an open pull request", true)?;
    let open_pull = gh
        .pulls_for_branch(&draft.branch(), "open")?
        .into_iter()
        .next();
    Ok(PublishRemote {
        base_commit: base_commit.sha,
        base_tree: base_commit.tree.sha,
        draft_head,
        base_files,
        open_pull,
    })
}

/// Publishes a draft as one commit on `drafts/<kind>-<slug>` and a draft
/// pull request (opened, or the open one updated).
pub fn publish(gh: &GitHub, base_branch: &str, draft: &Draft) -> Result<PublishOutcome> {
    publish_observed(gh, base_branch, draft, &Unobserved)
}

/// [`publish`], telling `obs` about each request and letting it stop the
/// publish before the draft's ref moves.
pub fn publish_observed(
    gh: &GitHub,
    base_branch: &str,
    draft: &Draft,
    obs: &dyn Observer,
) -> Result<PublishOutcome> {
    let mut expected = draft.published.clone();
    let mut races = 0;
    loop {
        let remote = read_publish_remote(gh, base_branch, draft, obs)?;
        let mut plan = plan_publish(draft, base_branch, &remote);
        if plan.on_base {
            // A file never synced from the base is proposed as it is here:
            // the pull request shows the difference for review.
            reconcile(
                gh,
                draft,
                &mut plan,
                &remote.base_files,
                &draft.base_shas,
                false,
                obs,
            )?;
        } else if let Some((_, _, listing)) = &remote.draft_head {
            reconcile(gh, draft, &mut plan, listing, &expected, true, obs)?;
        }
        match execute(gh, &plan, obs) {
            Ok((commit, pull)) => {
                let mut files: BTreeMap<String, String> = draft
                    .documents
                    .iter()
                    .flat_map(|d| d.files.iter())
                    .map(|f| (f.path.clone(), git_blob_sha(&f.content)))
                    .collect();
                for (path, content) in &plan.writes {
                    files.insert(path.clone(), git_blob_sha(content));
                }
                return Ok(PublishOutcome {
                    branch: plan.branch,
                    commit,
                    pull,
                    files,
                    races,
                });
            }
            Err(SyncError::Rejected { .. }) if races + 1 < RACE_ATTEMPTS => {
                // The branch moved underneath us. What we expected there is
                // what we just planned on; re-read and merge with the newcomer.
                races += 1;
                if let Some((_, _, listing)) = &remote.draft_head {
                    for e in listing {
                        expected.insert(e.path.clone(), e.sha.clone());
                    }
                }
            }
            Err(e) => return Err(e),
        }
    }
}

/// Files someone else changed on the draft branch since we last pushed are
/// merged three ways (base: what we pushed); a real conflict stops the
/// publish instead of overwriting their edit.
fn reconcile(
    gh: &GitHub,
    draft: &Draft,
    plan: &mut PublishPlan,
    listing: &[TreeEntry],
    expected: &BTreeMap<String, String>,
    merge_unknown: bool,
    obs: &dyn Observer,
) -> Result<()> {
    let roles: BTreeMap<&str, (DocumentKind, FileRole)> = draft
        .documents
        .iter()
        .flat_map(|d| {
            d.files
                .iter()
                .map(move |f| (f.path.as_str(), (d.kind, f.role)))
        })
        .collect();
    for (path, content) in plan.writes.iter_mut() {
        let Some(theirs) = listing
            .iter()
            .find(|e| e.path == *path)
            .map(|e| e.sha.clone())
        else {
            continue;
        };
        if expected.get(path.as_str()) == Some(&theirs)
            || (!merge_unknown && !expected.contains_key(path.as_str()))
        {
            continue;
        }
        let Some((kind, FileRole::Primary)) = roles.get(path.as_str()).copied() else {
            continue; // derived files are regenerated from the primary
        };
        obs.before(&format!("read {path} as edited on the branch"), true)?;
        let base_text = match expected.get(path.as_str()) {
            Some(sha) => gh.blob(sha)?.text()?,
            None => String::new(),
        };
        let remote_text = gh.blob(&theirs)?.text()?;
        let outcome = match kind {
            DocumentKind::ThreatModel => merge_json(&base_text, content, &remote_text)?,
            _ => merge_markdown(&base_text, content, &remote_text),
        };
        if !outcome.is_clean() {
            return Err(SyncError::DraftConflict {
                path: path.clone(),
                conflicts: outcome.conflicts.len(),
            });
        }
        *content = outcome.prefer_local;
    }
    plan.writes.retain(|(path, content)| {
        listing
            .iter()
            .find(|e| e.path == *path)
            .map(|e| e.sha.as_str())
            != Some(git_blob_sha(content).as_str())
    });
    Ok(())
}

fn execute(
    gh: &GitHub,
    plan: &PublishPlan,
    obs: &dyn Observer,
) -> Result<(Option<String>, Option<PullRequest>)> {
    let mut commit = None;
    if plan.needs_commit() {
        let mut entries = Vec::with_capacity(plan.writes.len());
        for (path, content) in &plan.writes {
            obs.before(&format!("upload {path}"), true)?;
            entries.push((path.clone(), Some(gh.create_blob(content)?.sha)));
        }
        obs.before("create the tree", true)?;
        let tree = gh.create_tree(&plan.parent_tree, &entries)?;
        let mut parents = vec![plan.parent_commit.clone()];
        parents.extend(plan.merge_parent.clone());
        obs.before("create the commit", true)?;
        let c = gh.create_commit(&plan.message, &tree.sha, &parents)?;
        // The last point to stop: after this the branch shows the commit.
        obs.before(&format!("move {} to the new commit", plan.branch), true)?;
        let _: GitRef = if plan.branch_exists {
            gh.update_ref(&plan.branch, &c.sha)?
        } else {
            gh.create_ref(&plan.branch, &c.sha)?
        };
        commit = Some(c.sha);
    }
    let pull = match &plan.pull {
        PullAction::Create { title, body } => {
            obs.before("open the draft pull request", commit.is_none())?;
            match gh.create_draft_pull(title, body, &plan.branch, &plan.base_branch) {
                Ok(pr) => pr,
                // Someone (another device) opened it meanwhile: use theirs.
                Err(SyncError::Rejected { status: 422, .. }) => gh
                    .pulls_for_branch(&plan.branch, "open")?
                    .into_iter()
                    .next()
                    .ok_or_else(|| SyncError::Protocol {
                        what: "create pull request".into(),
                        reason:
                            "GitHub refused a new pull request but lists no open one for the branch"
                                .into(),
                    })?,
                Err(e) => return Err(e),
            }
        }
        PullAction::Update {
            number,
            title,
            body,
        } => {
            obs.before(&format!("update pull request #{number}"), commit.is_none())?;
            gh.update_pull(*number, title, body)?
        }
        PullAction::Keep { number } => {
            obs.before(&format!("read pull request #{number}"), commit.is_none())?;
            gh.pull(*number)?
        }
        PullAction::Nothing => return Ok((commit, None)),
    };
    Ok((commit, Some(pull)))
}

/// The base branch as of now, or `None` when its ref is unchanged since the
/// ETag (a 304 costs no rate limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteSnapshot {
    pub commit: String,
    pub etag: Option<String>,
    pub files: Vec<TreeEntry>,
}

pub fn read_base(
    gh: &GitHub,
    base_branch: &str,
    etag: Option<&str>,
) -> Result<Option<RemoteSnapshot>> {
    let Some((r, new_etag)) = gh.branch_ref_if_changed(base_branch, etag)? else {
        return Ok(None);
    };
    let commit = gh.commit(&r.object.sha)?;
    let files = gh.tree_recursive(&commit.tree.sha)?.tree;
    Ok(Some(RemoteSnapshot {
        commit: commit.sha,
        etag: new_etag,
        files,
    }))
}

pub fn fetch_text(gh: &GitHub, blob_sha: &str) -> Result<String> {
    gh.blob(blob_sha)?.text()
}

//! The GitHub REST client: the endpoints sync uses, typed, with retries on
//! 5xx and network errors, rate-limit waits, and conditional requests.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::{GitHubToken, Result, SyncError};

// ---- response types (only the fields sync reads; unknown ones ignored) ----

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Repository {
    pub full_name: String,
    pub default_branch: String,
    pub html_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GitObject {
    pub sha: String,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GitRef {
    #[serde(rename = "ref")]
    pub name: String,
    pub object: GitObject,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ShortBlob {
    pub sha: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Blob {
    pub sha: String,
    pub content: String,
    pub encoding: String,
}

impl Blob {
    pub fn text(&self) -> Result<String> {
        decode_content(&self.content, &self.encoding, &self.sha)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TreeEntry {
    pub path: String,
    pub mode: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub sha: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GitTree {
    pub sha: String,
    pub tree: Vec<TreeEntry>,
    pub truncated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ShaOnly {
    pub sha: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GitCommit {
    pub sha: String,
    pub tree: ShaOnly,
    pub parents: Vec<ShaOnly>,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PullBranch {
    #[serde(rename = "ref")]
    pub name: String,
    pub sha: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PullRequest {
    pub number: u64,
    pub html_url: String,
    pub state: String,
    pub title: String,
    #[serde(default)]
    pub draft: Option<bool>,
    #[serde(default)]
    pub merged: Option<bool>,
    #[serde(default)]
    pub merged_at: Option<String>,
    pub head: PullBranch,
    pub base: PullBranch,
}

/// What the app shows for a pull request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PullState {
    Open,
    Merged,
    Closed,
}

impl PullState {
    pub fn label(self) -> &'static str {
        match self {
            PullState::Open => "open",
            PullState::Merged => "merged",
            PullState::Closed => "closed",
        }
    }
}

impl PullRequest {
    /// GitHub reports a merged PR as `state: closed` with `merged_at` set.
    pub fn pull_state(&self) -> PullState {
        if self.merged == Some(true) || self.merged_at.is_some() {
            PullState::Merged
        } else if self.state == "open" {
            PullState::Open
        } else {
            PullState::Closed
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    pub login: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ContentFile {
    pub path: String,
    pub sha: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub encoding: String,
}

impl ContentFile {
    pub fn text(&self) -> Result<String> {
        decode_content(&self.content, &self.encoding, &self.path)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FileCommit {
    pub content: Option<ContentFile>,
    pub commit: ShaOnly,
}

/// GitHub's error body (`basic-error` / `validation-error`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApiErrorBody {
    pub message: String,
    #[serde(default)]
    pub documentation_url: Option<String>,
    #[serde(default)]
    pub errors: Vec<Value>,
}

fn decode_content(content: &str, encoding: &str, what: &str) -> Result<String> {
    match encoding {
        "base64" => {
            // GitHub wraps base64 at 60 columns.
            let compact: String = content.chars().filter(|c| !c.is_whitespace()).collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(compact)
                .map_err(|e| SyncError::Protocol {
                    what: what.to_string(),
                    reason: format!("invalid base64: {e}"),
                })?;
            String::from_utf8(bytes).map_err(|_| SyncError::Protocol {
                what: what.to_string(),
                reason: "the file is not UTF-8 text".into(),
            })
        }
        "utf-8" | "" => Ok(content.to_string()),
        other => Err(SyncError::Protocol {
            what: what.to_string(),
            reason: format!("unknown content encoding \"{other}\""),
        }),
    }
}

// ---- transport ---------------------------------------------------------

/// Rate-limit information from response headers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RateInfo {
    pub remaining: Option<u64>,
    /// Unix seconds.
    pub reset: Option<u64>,
    /// Seconds, from `retry-after`.
    pub retry_after: Option<u64>,
}

impl RateInfo {
    pub fn from_headers(header: impl Fn(&str) -> Option<String>) -> RateInfo {
        let num = |name: &str| header(name).and_then(|v| v.trim().parse::<u64>().ok());
        RateInfo {
            remaining: num("x-ratelimit-remaining"),
            reset: num("x-ratelimit-reset"),
            retry_after: num("retry-after"),
        }
    }

    /// How long to wait before retrying a refused request, if this was a
    /// rate limit (primary: remaining 0 until reset; secondary: retry-after).
    pub fn wait(&self, now_unix: u64) -> Option<Duration> {
        if let Some(secs) = self.retry_after {
            return Some(Duration::from_secs(secs));
        }
        if self.remaining == Some(0) {
            let reset = self.reset.unwrap_or(now_unix + 60);
            return Some(Duration::from_secs(reset.saturating_sub(now_unix).max(1)));
        }
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per request, the first included.
    pub attempts: u32,
    /// First backoff; doubled each retry.
    pub backoff: Duration,
    /// Longest rate-limit wait accepted before giving up (and queuing).
    pub max_wait: Duration,
    /// Per-request timeout.
    pub timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            attempts: 4,
            backoff: Duration::from_millis(500),
            max_wait: Duration::from_secs(90),
            timeout: Duration::from_secs(30),
        }
    }
}

/// A response the caller looks at: status, ETag and body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub etag: Option<String>,
    pub body: String,
}

impl Reply {
    pub fn json<T: DeserializeOwned>(&self, what: &str) -> Result<T> {
        parse_json(&self.body, what)
    }
}

pub fn parse_json<T: DeserializeOwned>(body: &str, what: &str) -> Result<T> {
    serde_json::from_str(body).map_err(|e| SyncError::Protocol {
        what: what.to_string(),
        reason: e.to_string(),
    })
}

/// Maps a refused request to an error, using GitHub's `message` when given.
pub fn error_for(status: u16, body: &str, what: &str) -> SyncError {
    let message = serde_json::from_str::<ApiErrorBody>(body)
        .map(|b| b.message)
        .unwrap_or_else(|_| body.chars().take(200).collect());
    match status {
        401 => SyncError::Unauthorized(message),
        404 => SyncError::NotFound(format!("{what}: {message}")),
        409 | 422 => SyncError::Rejected { status, message },
        500..=599 => SyncError::Network(format!("{what}: GitHub answered {status}")),
        _ => SyncError::Protocol {
            what: what.to_string(),
            reason: format!("status {status}: {message}"),
        },
    }
}

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

pub struct GitHub {
    api: String,
    owner: String,
    repo: String,
    token: GitHubToken,
    agent: ureq::Agent,
    policy: RetryPolicy,
}

impl GitHub {
    /// A client for one repository (`owner/repo`) at an API base URL
    /// (`https://api.github.com` or `https://HOST/api/v3`).
    pub fn new(
        api_url: &str,
        full_name: &str,
        token: GitHubToken,
        policy: RetryPolicy,
    ) -> Result<GitHub> {
        let (owner, repo) = split_full_name(full_name)?;
        let agent = ureq::AgentBuilder::new()
            .timeout(policy.timeout)
            .user_agent(concat!("plasma-plan/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(GitHub {
            api: api_url.trim_end_matches('/').to_string(),
            owner,
            repo,
            token,
            agent,
            policy,
        })
    }

    pub fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.repo)
    }

    fn repo_url(&self, tail: &str) -> String {
        format!("{}/repos/{}/{}{}", self.api, self.owner, self.repo, tail)
    }

    /// One request with retries: 5xx and transport errors back off
    /// exponentially; rate limits wait until reset (or `retry-after`) when
    /// that is within `max_wait`. 304 is a success (`status == 304`).
    pub fn send(
        &self,
        method: &str,
        url: &str,
        body: Option<&Value>,
        if_none_match: Option<&str>,
    ) -> Result<Reply> {
        let what = format!("{method} {}", url.strip_prefix(&self.api).unwrap_or(url));
        let mut delay = self.policy.backoff;
        let mut last_error = String::new();
        for attempt in 1..=self.policy.attempts.max(1) {
            let mut req = self
                .agent
                .request(method, url)
                .set("Accept", "application/vnd.github+json")
                .set("X-GitHub-Api-Version", "2022-11-28")
                .set(
                    "Authorization",
                    &format!("Bearer {}", self.token.expose_secret()),
                );
            if let Some(tag) = if_none_match {
                req = req.set("If-None-Match", tag);
            }
            let result = match body {
                Some(b) => req.send_json(b.clone()),
                None => req.call(),
            };
            let last = attempt == self.policy.attempts.max(1);
            match result {
                Ok(resp) => return read_reply(resp, &what),
                Err(ureq::Error::Status(status, resp)) => {
                    let rate = RateInfo::from_headers(|h| resp.header(h).map(str::to_string));
                    let text = resp.into_string().unwrap_or_default();
                    if status == 403 || status == 429 {
                        if let Some(wait) = rate.wait(now_unix()) {
                            if wait > self.policy.max_wait || last {
                                return Err(SyncError::RateLimited {
                                    reset: now_unix() + wait.as_secs(),
                                });
                            }
                            std::thread::sleep(wait);
                            continue;
                        }
                    }
                    if (500..=599).contains(&status) && !last {
                        last_error = format!("status {status}");
                        std::thread::sleep(delay);
                        delay *= 2;
                        continue;
                    }
                    return Err(error_for(status, &text, &what));
                }
                Err(ureq::Error::Transport(t)) => {
                    // The transport error text names the URL, never headers.
                    last_error = t.to_string();
                    if last {
                        break;
                    }
                    std::thread::sleep(delay);
                    delay *= 2;
                }
            }
        }
        Err(SyncError::Network(format!("{what}: {last_error}")))
    }

    fn get<T: DeserializeOwned>(&self, tail: &str) -> Result<T> {
        let reply = self.send("GET", &self.repo_url(tail), None, None)?;
        reply.json(tail)
    }

    fn write<T: DeserializeOwned>(&self, method: &str, tail: &str, body: Value) -> Result<T> {
        let reply = self.send(method, &self.repo_url(tail), Some(&body), None)?;
        reply.json(tail)
    }

    pub fn user(&self) -> Result<User> {
        let reply = self.send("GET", &format!("{}/user", self.api), None, None)?;
        reply.json("/user")
    }

    pub fn repository(&self) -> Result<Repository> {
        self.get("")
    }

    /// `None` when the branch does not exist.
    pub fn branch_ref(&self, branch: &str) -> Result<Option<GitRef>> {
        match self.get(&format!("/git/ref/heads/{branch}")) {
            Ok(r) => Ok(Some(r)),
            Err(SyncError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The base branch's ref, conditionally: `Ok(None)` on 304 (unchanged
    /// since `etag`), else the ref and its new ETag.
    pub fn branch_ref_if_changed(
        &self,
        branch: &str,
        etag: Option<&str>,
    ) -> Result<Option<(GitRef, Option<String>)>> {
        let url = self.repo_url(&format!("/git/ref/heads/{branch}"));
        let reply = self.send("GET", &url, None, etag)?;
        if reply.status == 304 {
            return Ok(None);
        }
        let r: GitRef = reply.json("git ref")?;
        Ok(Some((r, reply.etag)))
    }

    pub fn commit(&self, sha: &str) -> Result<GitCommit> {
        self.get(&format!("/git/commits/{sha}"))
    }

    pub fn tree_recursive(&self, sha: &str) -> Result<GitTree> {
        let tree: GitTree = self.get(&format!("/git/trees/{sha}?recursive=1"))?;
        if tree.truncated {
            return Err(SyncError::Protocol {
                what: "git tree".into(),
                reason:
                    "GitHub truncated the tree listing; the repository is too large to list at once"
                        .into(),
            });
        }
        Ok(tree)
    }

    pub fn blob(&self, sha: &str) -> Result<Blob> {
        self.get(&format!("/git/blobs/{sha}"))
    }

    pub fn create_blob(&self, text: &str) -> Result<ShortBlob> {
        self.write(
            "POST",
            "/git/blobs",
            json!({ "content": text, "encoding": "utf-8" }),
        )
    }

    /// A tree on top of `base_tree`: each `(path, Some(blob))` writes a file,
    /// `(path, None)` deletes it.
    pub fn create_tree(
        &self,
        base_tree: &str,
        entries: &[(String, Option<String>)],
    ) -> Result<GitTree> {
        let tree: Vec<Value> = entries
            .iter()
            .map(
                |(path, sha)| json!({ "path": path, "mode": "100644", "type": "blob", "sha": sha }),
            )
            .collect();
        self.write(
            "POST",
            "/git/trees",
            json!({ "base_tree": base_tree, "tree": tree }),
        )
    }

    pub fn create_commit(
        &self,
        message: &str,
        tree: &str,
        parents: &[String],
    ) -> Result<GitCommit> {
        self.write(
            "POST",
            "/git/commits",
            json!({ "message": message, "tree": tree, "parents": parents }),
        )
    }

    pub fn create_ref(&self, branch: &str, sha: &str) -> Result<GitRef> {
        self.write(
            "POST",
            "/git/refs",
            json!({ "ref": format!("refs/heads/{branch}"), "sha": sha }),
        )
    }

    /// Fast-forward only: never force.
    pub fn update_ref(&self, branch: &str, sha: &str) -> Result<GitRef> {
        self.write(
            "PATCH",
            &format!("/git/refs/heads/{branch}"),
            json!({ "sha": sha, "force": false }),
        )
    }

    /// Open pull requests from `branch` (in this repository) into any base.
    pub fn pulls_for_branch(&self, branch: &str, state: &str) -> Result<Vec<PullRequest>> {
        self.get(&format!(
            "/pulls?head={}:{branch}&state={state}",
            self.owner
        ))
    }

    pub fn pull(&self, number: u64) -> Result<PullRequest> {
        self.get(&format!("/pulls/{number}"))
    }

    pub fn create_draft_pull(
        &self,
        title: &str,
        body: &str,
        head: &str,
        base: &str,
    ) -> Result<PullRequest> {
        self.write(
            "POST",
            "/pulls",
            json!({ "title": title, "body": body, "head": head, "base": base, "draft": true }),
        )
    }

    pub fn update_pull(&self, number: u64, title: &str, body: &str) -> Result<PullRequest> {
        self.write(
            "PATCH",
            &format!("/pulls/{number}"),
            json!({ "title": title, "body": body }),
        )
    }
}

/// The login a token belongs to (`GET /user`), to confirm a sign-in.
pub fn whoami(api_url: &str, token: &GitHubToken) -> Result<String> {
    let gh = GitHub::new(api_url, "user/self", token.clone(), RetryPolicy::default())?;
    Ok(gh.user()?.login)
}

fn read_reply(resp: ureq::Response, what: &str) -> Result<Reply> {
    let status = resp.status();
    let etag = resp.header("etag").map(str::to_string);
    let body = resp
        .into_string()
        .map_err(|e| SyncError::Network(format!("{what}: {e}")))?;
    Ok(Reply { status, etag, body })
}

/// `owner/repo`, both parts in GitHub's allowed characters.
pub fn split_full_name(full_name: &str) -> Result<(String, String)> {
    let ok = |s: &str| {
        !s.is_empty()
            && s != "."
            && s != ".."
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    match full_name.trim().split_once('/') {
        Some((o, r)) if ok(o) && ok(r) => Ok((o.to_string(), r.to_string())),
        _ => Err(SyncError::Invalid(format!(
            "\"{full_name}\" is not a repository name; expected OWNER/REPO"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_waits() {
        let r = RateInfo {
            remaining: Some(0),
            reset: Some(1_010),
            retry_after: None,
        };
        assert_eq!(r.wait(1_000), Some(Duration::from_secs(10)));
        let r = RateInfo {
            remaining: Some(5),
            reset: Some(1_010),
            retry_after: Some(3),
        };
        assert_eq!(r.wait(1_000), Some(Duration::from_secs(3)));
        let r = RateInfo {
            remaining: Some(5),
            reset: Some(1_010),
            retry_after: None,
        };
        assert_eq!(r.wait(1_000), None);
    }

    #[test]
    fn repository_names_are_checked() {
        assert!(split_full_name("acme/platform").is_ok());
        for bad in ["acme", "acme/", "/x", "a/b/c", "acme/../x", "ac me/x"] {
            assert!(split_full_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn errors_carry_githubs_message() {
        let e = error_for(
            422,
            r#"{"message":"Reference already exists"}"#,
            "create ref",
        );
        assert!(
            matches!(e, SyncError::Rejected { status: 422, ref message } if message == "Reference already exists")
        );
        assert!(matches!(
            error_for(401, "{}", "x"),
            SyncError::Unauthorized(_)
        ));
    }

    #[test]
    fn pull_state_from_github_fields() {
        let mut pr: PullRequest = serde_json::from_value(json!({
            "number": 1, "html_url": "u", "state": "closed", "title": "t",
            "merged_at": null, "head": {"ref": "h", "sha": "1"}, "base": {"ref": "main", "sha": "2"}
        }))
        .expect("pr");
        assert_eq!(pr.pull_state(), PullState::Closed);
        pr.merged_at = Some("2026-01-01T00:00:00Z".into());
        assert_eq!(pr.pull_state(), PullState::Merged);
    }
}

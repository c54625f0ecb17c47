//! A fake GitHub REST API for tests, in process, over a real bare git
//! repository. Test-only: a dev-dependency of `plasma-sync` and the
//! integration tests, never linked into a release binary.
//!
//! What it serves: the endpoints sync uses (repository, refs, blobs, trees,
//! commits, pull requests, the OAuth device flow), with ETags and 304s,
//! rate-limit headers, and faults injected on demand (5xx, slow answers,
//! rate limits, a branch moved underneath a request). Every exchange on a
//! documented path is checked against GitHub's OpenAPI description when it
//! is present; [`FakeGitHub::violations`] lists what did not conform.

#![recursion_limit = "256"]

mod git;
mod openapi;

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, VecDeque};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{to_bytes, Body};
use axum::http::{HeaderMap, HeaderValue, Request, Response, StatusCode};
use axum::Router;
use base64::Engine;
use serde_json::{json, Value};

pub use git::Repo;
pub use openapi::OpenApi;

/// `../shared/github/github-openapi-subset.json` next to the repository.
pub fn default_openapi_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/github/github-openapi-subset.json")
}

/// A fault served instead of (or before) the real answer.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer with this status and a GitHub error body.
    Status(u16),
    /// Wait this long before answering (longer than the client's timeout).
    Delay(Duration),
    /// Primary rate limit: 403, `x-ratelimit-remaining: 0`, reset in N s.
    RateLimit { reset_in: u64 },
    /// Secondary rate limit: 429 with `retry-after: N`.
    RetryAfter(u64),
    /// Someone else pushes a commit changing `path` on `branch` just before
    /// this request is served (a branch moved underneath a publish).
    PushFirst {
        branch: String,
        path: String,
        content: String,
    },
}

struct Armed {
    method: String,
    path_contains: String,
    fault: Fault,
}

#[derive(Debug, Clone)]
pub struct PullRecord {
    pub number: u64,
    pub title: String,
    pub body: String,
    pub head: String,
    pub base: String,
    pub state: String,
    pub draft: bool,
    pub merged: bool,
    pub merge_commit_sha: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub merged_at: Option<String>,
    pub closed_at: Option<String>,
}

#[derive(Default)]
struct Inner {
    pulls: Vec<PullRecord>,
    faults: VecDeque<Armed>,
    log: Vec<String>,
    violations: Vec<String>,
    remaining: u64,
    device_approved: bool,
}

struct State {
    repo: Repo,
    owner: String,
    name: String,
    token: String,
    base_url: Mutex<String>,
    openapi: Option<OpenApi>,
    inner: Mutex<Inner>,
}

impl State {
    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
    fn api(&self) -> String {
        self.base_url
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

pub struct FakeGitHub {
    state: Arc<State>,
    url: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// The token the fake accepts (and the device flow hands out).
pub const FAKE_TOKEN: &str = "gho_fakeplasmatoken0000000000000000000000";

fn now_iso() -> String {
    iso(SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0))
}

fn iso(unix: i64) -> String {
    // Civil-from-days (Howard Hinnant), so the fake needs no date crate.
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl FakeGitHub {
    /// A fake for `owner/name` whose bare repository lives in `dir`, with one
    /// commit on `main` (a README). Validation uses the OpenAPI description
    /// at `openapi` when that file exists (else a notice is printed).
    pub fn start(dir: &Path, owner: &str, name: &str, openapi: &Path) -> FakeGitHub {
        let repo = Repo::init(&dir.join(format!("{name}.git"))).expect("bare repository");
        let readme = repo.write_blob(b"# Service\n").expect("blob");
        let mut files = BTreeMap::new();
        files.insert("README.md".to_string(), ("100644".to_string(), readme));
        let tree = repo.write_tree(&files).expect("tree");
        let commit = repo
            .commit_tree(&tree, &[], "Initial commit")
            .expect("commit");
        repo.update_ref("refs/heads/main", &commit, None)
            .expect("main");
        let openapi = if openapi.is_file() {
            Some(OpenApi::load(openapi).expect("OpenAPI description"))
        } else {
            eprintln!(
                "notice: {} is absent; the fake GitHub runs without OpenAPI validation",
                openapi.display()
            );
            None
        };
        let state = Arc::new(State {
            repo,
            owner: owner.to_string(),
            name: name.to_string(),
            token: FAKE_TOKEN.to_string(),
            base_url: Mutex::new(String::new()),
            openapi,
            inner: Mutex::new(Inner {
                remaining: 5000,
                ..Inner::default()
            }),
        });
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        *state.base_url.lock().unwrap_or_else(|e| e.into_inner()) = url.clone();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let app_state = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                let app = Router::new()
                    .fallback(move |req: Request<Body>| handle(app_state.clone(), req));
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = rx.await;
                    })
                    .await;
            });
        });
        FakeGitHub {
            state,
            url,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    pub fn api_url(&self) -> &str {
        &self.url
    }

    pub fn full_name(&self) -> String {
        format!("{}/{}", self.state.owner, self.state.name)
    }

    pub fn repo(&self) -> &Repo {
        &self.state.repo
    }

    /// `git` in the bare repository, e.g. `["log", "--format=%s", "main"]`.
    pub fn git(&self, args: &[&str]) -> String {
        self.state.repo.git(args, None).expect("git")
    }

    /// The text of `path` on `branch`, or `None`.
    pub fn file(&self, branch: &str, path: &str) -> Option<String> {
        self.state
            .repo
            .git(&["show", &format!("refs/heads/{branch}:{path}")], None)
            .ok()
    }

    /// A commit made "on github.com" (the web editor, another clone).
    pub fn commit_file(&self, branch: &str, path: &str, content: &str, message: &str) -> String {
        push_file(&self.state.repo, branch, path, content, message).expect("commit")
    }

    /// Merges an open pull request (a merge commit on the base branch).
    pub fn merge_pull(&self, number: u64) {
        let mut inner = self.state.inner();
        let repo = &self.state.repo;
        let pr = inner
            .pulls
            .iter_mut()
            .find(|p| p.number == number)
            .expect("pull request");
        let base = repo
            .resolve_ref(&format!("refs/heads/{}", pr.base))
            .expect("base");
        let head = repo
            .resolve_ref(&format!("refs/heads/{}", pr.head))
            .expect("head");
        let tree = repo.merge_trees(&base, &head).expect("clean merge");
        let msg = format!(
            "Merge pull request #{number} from {}/{}",
            self.state.owner, pr.head
        );
        let commit = repo
            .commit_tree(&tree, &[base.clone(), head], &msg)
            .expect("merge commit");
        repo.update_ref(&format!("refs/heads/{}", pr.base), &commit, Some(&base))
            .expect("update base");
        let now = now_iso();
        pr.state = "closed".into();
        pr.merged = true;
        pr.merge_commit_sha = Some(commit);
        pr.merged_at = Some(now.clone());
        pr.closed_at = Some(now.clone());
        pr.updated_at = now;
    }

    pub fn close_pull(&self, number: u64) {
        let mut inner = self.state.inner();
        let pr = inner
            .pulls
            .iter_mut()
            .find(|p| p.number == number)
            .expect("pull request");
        pr.state = "closed".into();
        pr.closed_at = Some(now_iso());
    }

    pub fn pulls(&self) -> Vec<PullRecord> {
        self.state.inner().pulls.clone()
    }

    /// Arms a fault for the next request whose method is `method` and whose
    /// path contains `path_contains` (`""` matches any path).
    pub fn inject(&self, method: &str, path_contains: &str, fault: Fault) {
        self.state.inner().faults.push_back(Armed {
            method: method.to_uppercase(),
            path_contains: path_contains.to_string(),
            fault,
        });
    }

    /// `METHOD path → status` of every request served, in order.
    pub fn log(&self) -> Vec<String> {
        self.state.inner().log.clone()
    }

    /// OpenAPI conformance problems seen so far (empty is good).
    pub fn violations(&self) -> Vec<String> {
        self.state.inner().violations.clone()
    }

    pub fn validates(&self) -> bool {
        self.state.openapi.is_some()
    }

    /// The user enters the device code in the browser.
    pub fn approve_device(&self) {
        self.state.inner().device_approved = true;
    }
}

impl Drop for FakeGitHub {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn push_file(
    repo: &Repo,
    branch: &str,
    path: &str,
    content: &str,
    message: &str,
) -> Result<String, String> {
    let full = format!("refs/heads/{branch}");
    let parent = repo
        .resolve_ref(&full)
        .ok_or_else(|| format!("no branch {branch}"))?;
    let info = repo.commit_info(&parent)?;
    let mut files = repo.flatten(&info.tree)?;
    let blob = repo.write_blob(content.as_bytes())?;
    files.insert(path.to_string(), ("100644".into(), blob));
    let tree = repo.write_tree(&files)?;
    let commit = repo.commit_tree(&tree, std::slice::from_ref(&parent), message)?;
    repo.update_ref(&full, &commit, Some(&parent))?;
    Ok(commit)
}

// ---- HTTP --------------------------------------------------------------

struct Answer {
    status: u16,
    body: Option<Value>,
    headers: Vec<(&'static str, String)>,
    /// Injected faults stand for GitHub's generic failures (any endpoint can
    /// answer 5xx/403/429), which the description does not list per operation.
    injected: bool,
}

fn answer(status: u16, body: Value) -> Answer {
    Answer {
        status,
        body: Some(body),
        headers: Vec::new(),
        injected: false,
    }
}

fn error(status: u16, message: &str) -> Answer {
    answer(
        status,
        json!({ "message": message, "documentation_url": "https://docs.github.com/rest", "status": status.to_string() }),
    )
}

async fn handle(state: Arc<State>, req: Request<Body>) -> Response<Body> {
    let method = req.method().as_str().to_uppercase();
    let uri = req.uri().clone();
    let path = uri.path().to_string();
    let query: BTreeMap<String, String> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.replace("%3A", ":").replace("%2F", "/")))
        .collect();
    let headers = req.headers().clone();
    let raw = to_bytes(req.into_body(), 64 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let is_form = path.starts_with("/login/");
    let request_json: Option<Value> = if raw.is_empty() || is_form {
        None
    } else {
        serde_json::from_slice(&raw).ok()
    };

    let armed = {
        let mut inner = state.inner();
        let pos = inner
            .faults
            .iter()
            .position(|a| a.method == method && path.contains(&a.path_contains));
        pos.and_then(|p| inner.faults.remove(p)).map(|a| a.fault)
    };
    let mut result: Option<Answer> = None;
    match armed {
        Some(Fault::Status(s)) => result = Some(error(s, "Injected failure")),
        Some(Fault::Delay(d)) => tokio::time::sleep(d).await,
        Some(Fault::RateLimit { reset_in }) => {
            let mut a = error(403, "API rate limit exceeded");
            a.headers.push(("x-ratelimit-remaining", "0".into()));
            a.headers
                .push(("x-ratelimit-reset", (unix_now() + reset_in).to_string()));
            result = Some(a);
        }
        Some(Fault::RetryAfter(secs)) => {
            let mut a = error(429, "You have exceeded a secondary rate limit");
            a.headers.push(("retry-after", secs.to_string()));
            result = Some(a);
        }
        Some(Fault::PushFirst {
            branch,
            path: file,
            content,
        }) => {
            let _ = push_file(
                &state.repo,
                &branch,
                &file,
                &content,
                "Edit from another clone",
            );
        }
        None => {}
    }
    let a = match result {
        Some(mut a) => {
            a.injected = true;
            a
        }
        None => {
            let st = state.clone();
            let (m, p, q, h, b, r) = (
                method.clone(),
                path.clone(),
                query,
                headers.clone(),
                request_json.clone(),
                raw.to_vec(),
            );
            tokio::task::spawn_blocking(move || route(&st, &m, &p, &q, &h, b.as_ref(), &r))
                .await
                .unwrap_or_else(|_| error(500, "fake crashed"))
        }
    };

    // Conditional GETs: a matching ETag is a 304 with no body.
    let mut a = a;
    let mut etag = None;
    if method == "GET" && a.status == 200 {
        if let Some(body) = &a.body {
            let mut h = DefaultHasher::new();
            body.to_string().hash(&mut h);
            let tag = format!("\"{:016x}\"", h.finish());
            let matches =
                headers.get("if-none-match").and_then(|v| v.to_str().ok()) == Some(tag.as_str());
            if matches {
                a = Answer {
                    status: 304,
                    body: None,
                    headers: Vec::new(),
                    injected: false,
                };
            }
            etag = Some(tag);
        }
    }

    let (remaining, reset) = {
        let mut inner = state.inner();
        if a.status != 304 {
            inner.remaining = inner.remaining.saturating_sub(1);
        }
        inner.log.push(format!("{method} {path} → {}", a.status));
        if let Some(spec) = state.openapi.as_ref().filter(|_| !a.injected) {
            let problems = spec.validate(
                &method,
                &path,
                request_json.as_ref(),
                a.status,
                a.body.as_ref(),
            );
            inner.violations.extend(problems);
        }
        (inner.remaining, unix_now() + 3600)
    };

    let mut resp = Response::builder()
        .status(StatusCode::from_u16(a.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    let hm: &mut HeaderMap = resp.headers_mut().expect("headers");
    let mut set = |k: &'static str, v: String| {
        if let Ok(v) = HeaderValue::from_str(&v) {
            hm.insert(k, v);
        }
    };
    set("x-ratelimit-limit", "5000".into());
    set("x-ratelimit-remaining", remaining.to_string());
    set("x-ratelimit-reset", reset.to_string());
    if let Some(tag) = etag {
        set("etag", tag);
    }
    for (k, v) in a.headers {
        set(k, v);
    }
    match a.body {
        Some(body) => {
            set("content-type", "application/json; charset=utf-8".into());
            resp.body(Body::from(body.to_string())).expect("response")
        }
        None => resp.body(Body::empty()).expect("response"),
    }
}

fn route(
    st: &State,
    method: &str,
    path: &str,
    query: &BTreeMap<String, String>,
    headers: &HeaderMap,
    body: Option<&Value>,
    raw: &[u8],
) -> Answer {
    if path.starts_with("/login/") {
        return device_flow(st, path, raw);
    }
    let authorized = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Bearer {}", st.token) || v == format!("token {}", st.token));
    if !authorized {
        return error(401, "Bad credentials");
    }
    if path == "/user" && method == "GET" {
        return answer(200, user_json(st, "octo-planner"));
    }
    let prefix = format!("/repos/{}/{}", st.owner, st.name);
    let Some(rest) = path.strip_prefix(&prefix) else {
        return error(404, "Not Found");
    };
    let repo = &st.repo;
    let segs: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
    match (method, segs.as_slice()) {
        ("GET", [""]) => answer(200, repo_json(st)),
        ("GET", ["git", "ref", r @ ..]) => {
            let full = format!("refs/{}", r.join("/"));
            match repo.resolve_ref(&full) {
                Some(sha) => answer(200, ref_json(st, &full, &sha)),
                None => error(404, "Not Found"),
            }
        }
        ("POST", ["git", "refs"]) => {
            let (Some(full), Some(sha)) = (
                body.and_then(|b| b["ref"].as_str()),
                body.and_then(|b| b["sha"].as_str()),
            ) else {
                return error(422, "Invalid request: ref and sha are required");
            };
            if !full.starts_with("refs/") || full.matches('/').count() < 2 {
                return error(422, "Reference name is invalid");
            }
            if repo.object_type(sha).as_deref() != Some("commit") {
                return error(422, "Object does not exist");
            }
            if repo.resolve_ref(full).is_some() {
                return error(422, "Reference already exists");
            }
            match repo.update_ref(full, sha, None) {
                Ok(()) => answer(201, ref_json(st, full, sha)),
                Err(_) => error(422, "Reference already exists"),
            }
        }
        ("PATCH", ["git", "refs", r @ ..]) => {
            let full = format!("refs/{}", r.join("/"));
            let Some(sha) = body.and_then(|b| b["sha"].as_str()) else {
                return error(422, "Invalid request: sha is required");
            };
            let force = body.and_then(|b| b["force"].as_bool()).unwrap_or(false);
            let Some(old) = repo.resolve_ref(&full) else {
                return error(422, "Reference does not exist");
            };
            if repo.object_type(sha).as_deref() != Some("commit") {
                return error(422, "Object does not exist");
            }
            if !force && !repo.is_ancestor(&old, sha) {
                return error(422, "Update is not a fast forward");
            }
            match repo.update_ref(&full, sha, Some(&old)) {
                Ok(()) => answer(200, ref_json(st, &full, sha)),
                Err(_) => error(409, "Reference update failed"),
            }
        }
        ("POST", ["git", "blobs"]) => {
            let content = body.and_then(|b| b["content"].as_str()).unwrap_or_default();
            let bytes = match body.and_then(|b| b["encoding"].as_str()).unwrap_or("utf-8") {
                "base64" => match base64::engine::general_purpose::STANDARD
                    .decode(content.replace('\n', ""))
                {
                    Ok(b) => b,
                    Err(_) => return error(422, "Invalid base64 content"),
                },
                _ => content.as_bytes().to_vec(),
            };
            match repo.write_blob(&bytes) {
                Ok(sha) => answer(
                    201,
                    json!({ "sha": sha, "url": format!("{}/git/blobs/{sha}", repo_api(st)) }),
                ),
                Err(e) => error(500, &e),
            }
        }
        ("GET", ["git", "blobs", sha]) => {
            if repo.object_type(sha).as_deref() != Some("blob") {
                return error(404, "Not Found");
            }
            match repo.blob(sha) {
                Ok(bytes) => answer(
                    200,
                    json!({
                        "sha": sha, "node_id": node_id("blob", sha), "size": bytes.len(),
                        "url": format!("{}/git/blobs/{sha}", repo_api(st)),
                        "content": base64::engine::general_purpose::STANDARD.encode(&bytes),
                        "encoding": "base64"
                    }),
                ),
                Err(e) => error(500, &e),
            }
        }
        ("POST", ["git", "trees"]) => create_tree(st, body),
        ("GET", ["git", "trees", sha]) => {
            let tree = match repo.object_type(sha).as_deref() {
                Some("tree") => sha.to_string(),
                Some("commit") => match repo.commit_info(sha) {
                    Ok(c) => c.tree,
                    Err(e) => return error(500, &e),
                },
                _ => return error(404, "Not Found"),
            };
            let recursive = query
                .get("recursive")
                .is_some_and(|v| !v.is_empty() && v != "0" && v != "false");
            match repo.ls_tree(&tree, recursive) {
                Ok(entries) => answer(200, tree_json(st, &tree, &entries)),
                Err(e) => error(500, &e),
            }
        }
        ("POST", ["git", "commits"]) => {
            let Some(b) = body else {
                return error(422, "Invalid request");
            };
            let (Some(message), Some(tree)) = (b["message"].as_str(), b["tree"].as_str()) else {
                return error(422, "Invalid request: message and tree are required");
            };
            if repo.object_type(tree).as_deref() != Some("tree") {
                return error(422, "Tree SHA does not exist");
            }
            let parents: Vec<String> = b["parents"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|p| p.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            if parents
                .iter()
                .any(|p| repo.object_type(p).as_deref() != Some("commit"))
            {
                return error(422, "Parent SHA does not exist or is not a commit object");
            }
            match repo
                .commit_tree(tree, &parents, message)
                .and_then(|sha| commit_json(st, &sha))
            {
                Ok(c) => answer(201, c),
                Err(e) => error(500, &e),
            }
        }
        ("GET", ["git", "commits", sha]) => {
            if repo.object_type(sha).as_deref() != Some("commit") {
                return error(404, "Not Found");
            }
            match commit_json(st, sha) {
                Ok(c) => answer(200, c),
                Err(e) => error(500, &e),
            }
        }
        ("GET", ["pulls"]) => {
            let state_filter = query.get("state").map(String::as_str).unwrap_or("open");
            let head = query.get("head").cloned();
            let inner = st.inner();
            let list: Vec<Value> = inner
                .pulls
                .iter()
                .filter(|p| state_filter == "all" || p.state == state_filter)
                .filter(|p| {
                    head.as_ref()
                        .is_none_or(|h| *h == format!("{}:{}", st.owner, p.head))
                })
                .map(|p| pull_json(st, p, false))
                .collect();
            answer(200, Value::Array(list))
        }
        ("POST", ["pulls"]) => {
            let Some(b) = body else {
                return error(422, "Validation Failed");
            };
            let (Some(title), Some(head), Some(base)) =
                (b["title"].as_str(), b["head"].as_str(), b["base"].as_str())
            else {
                return error(422, "Validation Failed: title, head and base are required");
            };
            let head = head.rsplit(':').next().unwrap_or(head).to_string();
            if repo.resolve_ref(&format!("refs/heads/{head}")).is_none()
                || repo.resolve_ref(&format!("refs/heads/{base}")).is_none()
            {
                return error(422, "Validation Failed: head or base branch does not exist");
            }
            let mut inner = st.inner();
            if inner
                .pulls
                .iter()
                .any(|p| p.head == head && p.state == "open")
            {
                return error(
                    422,
                    &format!(
                        "Validation Failed: A pull request already exists for {}:{head}.",
                        st.owner
                    ),
                );
            }
            let now = now_iso();
            let pr = PullRecord {
                number: inner.pulls.len() as u64 + 1,
                title: title.to_string(),
                body: b["body"].as_str().unwrap_or_default().to_string(),
                head,
                base: base.to_string(),
                state: "open".into(),
                draft: b["draft"].as_bool().unwrap_or(false),
                merged: false,
                merge_commit_sha: None,
                created_at: now.clone(),
                updated_at: now,
                merged_at: None,
                closed_at: None,
            };
            let json = pull_json(st, &pr, true);
            inner.pulls.push(pr);
            answer(201, json)
        }
        ("GET", ["pulls", n]) => {
            let inner = st.inner();
            match inner.pulls.iter().find(|p| n.parse() == Ok(p.number)) {
                Some(p) => answer(200, pull_json(st, p, true)),
                None => error(404, "Not Found"),
            }
        }
        ("PATCH", ["pulls", n]) => {
            let mut inner = st.inner();
            let Some(p) = inner.pulls.iter_mut().find(|p| n.parse() == Ok(p.number)) else {
                return error(404, "Not Found");
            };
            if let Some(t) = body.and_then(|b| b["title"].as_str()) {
                p.title = t.to_string();
            }
            if let Some(t) = body.and_then(|b| b["body"].as_str()) {
                p.body = t.to_string();
            }
            p.updated_at = now_iso();
            let p = p.clone();
            answer(200, pull_json(st, &p, true))
        }
        _ => error(404, "Not Found"),
    }
}

fn device_flow(st: &State, path: &str, raw: &[u8]) -> Answer {
    let form = String::from_utf8_lossy(raw).to_string();
    if !form.contains("client_id=") {
        return answer(
            400,
            json!({ "error": "invalid_request", "error_description": "client_id is missing" }),
        );
    }
    match path {
        "/login/device/code" => answer(
            200,
            json!({
                "device_code": "3584d83530557fdd1f46af8289938c8ef79f9dc5",
                "user_code": "WDJB-MJHT",
                "verification_uri": format!("{}/login/device", st.api()),
                "expires_in": 900, "interval": 1
            }),
        ),
        "/login/oauth/access_token" => {
            if st.inner().device_approved {
                answer(
                    200,
                    json!({ "access_token": st.token, "token_type": "bearer", "scope": "repo" }),
                )
            } else {
                answer(
                    200,
                    json!({ "error": "authorization_pending", "error_description": "The authorization request is still pending." }),
                )
            }
        }
        _ => error(404, "Not Found"),
    }
}

fn create_tree(st: &State, body: Option<&Value>) -> Answer {
    let repo = &st.repo;
    let Some(entries) = body.and_then(|b| b["tree"].as_array()) else {
        return error(422, "Invalid tree info");
    };
    let mut files = match body.and_then(|b| b["base_tree"].as_str()) {
        Some(base) => {
            if repo.object_type(base).as_deref() != Some("tree") {
                return error(422, "base_tree is not a valid tree oid");
            }
            match repo.flatten(base) {
                Ok(f) => f,
                Err(e) => return error(500, &e),
            }
        }
        None => BTreeMap::new(),
    };
    for e in entries {
        let Some(path) = e["path"].as_str().filter(|p| {
            !p.is_empty() && !p.starts_with('/') && !p.split('/').any(|s| s == ".." || s.is_empty())
        }) else {
            return error(422, "Invalid tree info: path");
        };
        let mode = e["mode"].as_str().unwrap_or("100644").to_string();
        if e["type"].as_str() != Some("blob") {
            return error(
                422,
                "Invalid tree info: only blobs are supported by the fake",
            );
        }
        match (e.get("sha"), e["content"].as_str()) {
            (Some(Value::Null), _) => {
                files.remove(path);
            }
            (Some(Value::String(sha)), None) => {
                if repo.object_type(sha).as_deref() != Some("blob") {
                    return error(422, "Invalid tree info: sha is not a blob");
                }
                files.insert(path.to_string(), (mode, sha.clone()));
            }
            (None, Some(content)) => match repo.write_blob(content.as_bytes()) {
                Ok(sha) => {
                    files.insert(path.to_string(), (mode, sha));
                }
                Err(e) => return error(500, &e),
            },
            _ => return error(422, "Invalid tree info: give either sha or content"),
        }
    }
    match repo
        .write_tree(&files)
        .and_then(|t| repo.ls_tree(&t, false).map(|e| (t, e)))
    {
        Ok((sha, entries)) => answer(201, tree_json(st, &sha, &entries)),
        Err(e) => error(500, &e),
    }
}

// ---- JSON shapes (every field the OpenAPI description requires) -----------

fn repo_api(st: &State) -> String {
    format!("{}/repos/{}/{}", st.api(), st.owner, st.name)
}

fn node_id(kind: &str, key: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{kind}:{key}"))
}

fn ref_json(st: &State, full: &str, sha: &str) -> Value {
    json!({
        "ref": full, "node_id": node_id("ref", full), "url": format!("{}/git/{full}", repo_api(st)),
        "object": { "type": "commit", "sha": sha, "url": format!("{}/git/commits/{sha}", repo_api(st)) }
    })
}

fn tree_json(st: &State, sha: &str, entries: &[git::Entry]) -> Value {
    let api = repo_api(st);
    let tree: Vec<Value> = entries
        .iter()
        .map(|e| {
            let mut v = json!({ "path": e.path, "mode": e.mode, "type": e.kind, "sha": e.sha,
                "url": format!("{api}/git/{}s/{}", e.kind, e.sha) });
            if let Some(size) = e.size {
                v["size"] = json!(size);
            }
            v
        })
        .collect();
    json!({ "sha": sha, "url": format!("{api}/git/trees/{sha}"), "tree": tree, "truncated": false })
}

fn commit_json(st: &State, sha: &str) -> Result<Value, String> {
    let c = st.repo.commit_info(sha)?;
    let api = repo_api(st);
    let web = format!("{}/{}/{}", st.api(), st.owner, st.name);
    let person = |p: &(String, String, i64)| json!({ "name": p.0, "email": p.1, "date": iso(p.2) });
    Ok(json!({
        "sha": sha, "node_id": node_id("commit", sha),
        "url": format!("{api}/git/commits/{sha}"), "html_url": format!("{web}/commit/{sha}"),
        "author": person(&c.author), "committer": person(&c.committer),
        "tree": { "sha": c.tree, "url": format!("{api}/git/trees/{}", c.tree) },
        "message": c.message.trim_end_matches('\n'),
        "parents": c.parents.iter().map(|p| json!({ "sha": p, "url": format!("{api}/git/commits/{p}"), "html_url": format!("{web}/commit/{p}") })).collect::<Vec<_>>(),
        "verification": { "verified": false, "reason": "unsigned", "signature": null, "payload": null, "verified_at": null }
    }))
}

fn user_json(st: &State, login: &str) -> Value {
    let u = format!("{}/users/{login}", st.api());
    json!({
        "login": login, "id": 1, "node_id": node_id("user", login), "avatar_url": format!("{}/avatars/{login}", st.api()),
        "gravatar_id": "", "url": u, "html_url": format!("{}/{login}", st.api()),
        "followers_url": format!("{u}/followers"), "following_url": format!("{u}/following{{/other_user}}"),
        "gists_url": format!("{u}/gists{{/gist_id}}"), "starred_url": format!("{u}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{u}/subscriptions"), "organizations_url": format!("{u}/orgs"),
        "repos_url": format!("{u}/repos"), "events_url": format!("{u}/events{{/privacy}}"),
        "received_events_url": format!("{u}/received_events"), "type": "User", "site_admin": false,
        "name": "Octo Planner", "company": null, "blog": "", "location": null, "email": null, "hireable": null,
        "bio": null, "public_repos": 1, "public_gists": 0, "followers": 0, "following": 0,
        "created_at": "2020-01-01T00:00:00Z", "updated_at": "2020-01-01T00:00:00Z",
        "private_gists": 0, "total_private_repos": 0, "owned_private_repos": 0, "disk_usage": 0,
        "collaborators": 0, "two_factor_authentication": true
    })
}

fn simple_user(st: &State, login: &str) -> Value {
    let mut u = user_json(st, login);
    if let Some(m) = u.as_object_mut() {
        for k in [
            "name",
            "company",
            "blog",
            "location",
            "email",
            "hireable",
            "bio",
            "public_repos",
            "public_gists",
            "followers",
            "following",
            "created_at",
            "updated_at",
            "private_gists",
            "total_private_repos",
            "owned_private_repos",
            "disk_usage",
            "collaborators",
            "two_factor_authentication",
        ] {
            m.remove(k);
        }
    }
    u
}

fn repo_json(st: &State) -> Value {
    let api = repo_api(st);
    let web = format!("{}/{}/{}", st.api(), st.owner, st.name);
    let mut v = json!({
        "id": 1, "node_id": node_id("repo", &st.name), "name": st.name, "full_name": format!("{}/{}", st.owner, st.name),
        "private": true, "owner": simple_user(st, &st.owner), "html_url": web, "description": null, "fork": false,
        "url": api, "clone_url": format!("{web}.git"), "git_url": format!("{web}.git"), "ssh_url": format!("git@fake:{}/{}.git", st.owner, st.name),
        "svn_url": web, "mirror_url": null, "homepage": null, "language": null, "forks": 0, "forks_count": 0,
        "stargazers_count": 0, "watchers_count": 0, "watchers": 0, "size": 1, "default_branch": "main",
        "open_issues": 0, "open_issues_count": 0, "has_issues": true, "has_projects": false, "has_wiki": false,
        "has_pages": false, "has_downloads": false, "archived": false, "disabled": false, "license": null,
        "pushed_at": "2020-01-01T00:00:00Z", "created_at": "2020-01-01T00:00:00Z", "updated_at": "2020-01-01T00:00:00Z"
    });
    for name in [
        "archive",
        "assignees",
        "blobs",
        "branches",
        "collaborators",
        "comments",
        "commits",
        "compare",
        "contents",
        "contributors",
        "deployments",
        "downloads",
        "events",
        "forks",
        "git_commits",
        "git_refs",
        "git_tags",
        "hooks",
        "issue_comment",
        "issue_events",
        "issues",
        "keys",
        "labels",
        "languages",
        "merges",
        "milestones",
        "notifications",
        "pulls",
        "releases",
        "stargazers",
        "statuses",
        "subscribers",
        "subscription",
        "tags",
        "teams",
        "trees",
    ] {
        v[format!("{name}_url")] = json!(format!("{api}/{name}"));
    }
    v
}

fn pull_json(st: &State, p: &PullRecord, full: bool) -> Value {
    let api = repo_api(st);
    let web = format!("{}/{}/{}", st.api(), st.owner, st.name);
    let n = p.number;
    let sha_of = |b: &str| {
        st.repo
            .resolve_ref(&format!("refs/heads/{b}"))
            .unwrap_or_else(|| p.merge_commit_sha.clone().unwrap_or_default())
    };
    let branch = |b: &str| json!({ "label": format!("{}:{b}", st.owner), "ref": b, "sha": sha_of(b), "repo": repo_json(st), "user": simple_user(st, &st.owner) });
    let link = |href: String| json!({ "href": href });
    let mut v = json!({
        "url": format!("{api}/pulls/{n}"), "id": n, "node_id": node_id("pull", &n.to_string()),
        "html_url": format!("{web}/pull/{n}"), "diff_url": format!("{web}/pull/{n}.diff"), "patch_url": format!("{web}/pull/{n}.patch"),
        "issue_url": format!("{api}/issues/{n}"), "commits_url": format!("{api}/pulls/{n}/commits"),
        "review_comments_url": format!("{api}/pulls/{n}/comments"), "review_comment_url": format!("{api}/pulls/comments{{/number}}"),
        "comments_url": format!("{api}/issues/{n}/comments"), "statuses_url": format!("{api}/statuses/{}", sha_of(&p.head)),
        "number": n, "state": p.state, "locked": false, "title": p.title, "user": simple_user(st, "octo-planner"),
        "body": p.body, "labels": [], "milestone": null, "active_lock_reason": null,
        "created_at": p.created_at, "updated_at": p.updated_at, "closed_at": p.closed_at, "merged_at": p.merged_at,
        "merge_commit_sha": p.merge_commit_sha, "assignee": null, "assignees": [], "requested_reviewers": [], "requested_teams": [],
        "head": branch(&p.head), "base": branch(&p.base),
        "_links": {
            "self": link(format!("{api}/pulls/{n}")), "html": link(format!("{web}/pull/{n}")),
            "issue": link(format!("{api}/issues/{n}")), "comments": link(format!("{api}/issues/{n}/comments")),
            "review_comments": link(format!("{api}/pulls/{n}/comments")), "review_comment": link(format!("{api}/pulls/comments{{/number}}")),
            "commits": link(format!("{api}/pulls/{n}/commits")), "statuses": link(format!("{api}/statuses/{}", sha_of(&p.head)))
        },
        "author_association": "OWNER", "auto_merge": null, "draft": p.draft
    });
    if full {
        let extra = json!({
            "merged": p.merged, "mergeable": true, "rebaseable": true, "mergeable_state": "clean",
            "merged_by": if p.merged { simple_user(st, "octo-planner") } else { Value::Null },
            "comments": 0, "review_comments": 0, "maintainer_can_modify": false, "commits": 1,
            "additions": 1, "deletions": 0, "changed_files": 1
        });
        if let (Some(m), Some(e)) = (v.as_object_mut(), extra.as_object()) {
            m.extend(e.clone());
        }
    }
    v
}

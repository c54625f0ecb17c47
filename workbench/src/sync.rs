//! GitHub sync operations: link a repository, publish drafts as pull
//! requests, pull and merge, conflicts, status. The network and keychain
//! work happens in `plasma-sync` (on the blocking pool); this module maps
//! records to documents and keeps the sync state in the store.

use std::collections::BTreeMap;

use plasma_exports::adr_markdown::{self, Classified};
use plasma_exports::threat::{diagram, report, threat_dragon};
use plasma_models::slug::{file_slug, slugify};
use plasma_models::Adr;
use plasma_storage::{StoreError, SyncConflict, SyncDocument, SyncLink};
use plasma_sync::apply::{self, PublishOutcome};
use plasma_sync::device_flow::{DeviceCode, DeviceFlow};
use plasma_sync::github::{PullRequest, PullState};
use plasma_sync::layout::{DocumentFile, FileRole};
use plasma_sync::merge::{Choice, Choices, Conflict};
use plasma_sync::plan::{plan_pull, Draft, LocalDocument, PullDecision, TrackedDocument};
use plasma_sync::{keychain, DocumentKind, GitHub, GitHubToken, Layout, RetryPolicy, SyncError};
use serde::{Deserialize, Serialize};
use specta::Type;
use uuid::Uuid;

use crate::sync_control::{CancelToken, SyncControl, SyncProgress};
use crate::{Result, Workbench, WorkbenchError};

/// Where the token comes from besides the keychain: `GITHUB_TOKEN` (CI).
#[derive(Default)]
pub struct SyncAuth {
    pub env_token: Option<String>,
    /// Overrides the retry policy (tests use short waits).
    pub policy: Option<RetryPolicy>,
}

impl SyncAuth {
    /// `GITHUB_TOKEN` when set and not blank (CI, or a token the user
    /// prefers to keep out of the keychain), else the keychain.
    pub fn from_env() -> SyncAuth {
        SyncAuth {
            env_token: env_token(),
            policy: None,
        }
    }
}

fn env_token() -> Option<String> {
    std::env::var("GITHUB_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum PublishTarget {
    Adrs(Vec<u32>),
    Model(String),
    /// A compliance framework's matrix (`compliance/<id>.csv` and `.md`).
    Framework(String),
    /// The roadmap (`roadmap/roadmap.md`).
    Roadmap,
    /// An SLO by `service/name` (or a name unique in the workspace).
    Slo(String),
    /// Any document by its sync key, as `sync_status` lists it
    /// (`compliance:soc2`, `slo:checkout/availability`, `roadmap`, `adr:3`).
    Document(String),
    /// Every document with changes not yet published, one draft each.
    All,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct PublishedDraft {
    pub branch: String,
    pub commit: Option<String>,
    pub pull_number: u32,
    pub pull_url: String,
    pub pull_state: String,
    pub documents: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct PublishReport {
    pub published: Vec<PublishedDraft>,
    /// Documents whose publish could not reach GitHub and waits in the queue.
    pub queued: Vec<String>,
    /// Drafts stopped by a conflict on the draft branch (nothing overwritten).
    pub refused: Vec<String>,
    /// Documents the base branch already has as they are here.
    pub up_to_date: Vec<String>,
    /// The user stopped the publish; drafts not listed above were not sent.
    pub cancelled: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct PullReport {
    /// The base branch had not moved (answered 304).
    pub base_unchanged: bool,
    pub taken: Vec<String>,
    pub merged: Vec<String>,
    pub conflicts: Vec<String>,
    pub imported: Vec<String>,
    pub removed_remote: Vec<String>,
    /// Pull requests whose state changed: "adr:3 merged".
    pub pull_requests: Vec<String>,
    /// Queued publishes that went out now.
    pub sent_from_queue: Vec<String>,
    /// The user stopped the pull; documents not listed above were not read
    /// (the next pull reads them: the base branch is not marked as seen).
    pub cancelled: bool,
    /// Edits on GitHub the app does not take, said rather than dropped
    /// silently (a matrix's evidence or links column edited there).
    pub notices: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct DocumentSyncStatus {
    pub key: String,
    pub title: String,
    pub path: String,
    /// not_published, in_review, published, closed, queued, conflict, synced, removed_remote
    pub status: String,
    /// Edited here since the last publish or pull.
    pub local_changes: bool,
    pub pull_url: Option<String>,
    pub pull_state: Option<String>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SyncStatus {
    pub repo: Option<String>,
    pub base_branch: Option<String>,
    pub api_url: Option<String>,
    pub documents: Vec<DocumentSyncStatus>,
    pub queued: u32,
    pub conflicts: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ConflictItem {
    pub item: String,
    pub base: Option<String>,
    pub local: Option<String>,
    pub remote: Option<String>,
    /// Plain text (a section, a text field) the user may merge by hand;
    /// otherwise the sides are JSON values.
    pub text: bool,
}

/// What the user takes for one conflicting item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case", tag = "kind", content = "text")]
pub enum ItemTake {
    Mine,
    Theirs,
    /// A merged text written by the user (JSON for non-text items).
    Edited(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ItemChoice {
    pub item: String,
    pub take: ItemTake,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ConflictView {
    pub key: String,
    pub repo: String,
    pub items: Vec<ConflictItem>,
    pub prefer_local: String,
    pub prefer_remote: String,
    /// The stored conflict's version this view shows: a resolution made
    /// on it names it, so a pull that changed the conflict since (in
    /// another window or process) is not resolved blind.
    pub version: u32,
}

impl ConflictView {
    fn of(c: SyncConflict) -> ConflictView {
        ConflictView {
            items: conflict_items(&c.items),
            version: u32::try_from(c.version).unwrap_or(u32::MAX),
            key: c.doc_key,
            repo: c.repo,
            prefer_local: c.prefer_local,
            prefer_remote: c.prefer_remote,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ResolveSide {
    Local,
    Remote,
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> plasma_sync::Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| WorkbenchError::Invalid(format!("sync task failed: {e}")))?
        .map_err(WorkbenchError::from)
}

fn adr_key(n: u32) -> String {
    format!("adr:{n}")
}

fn model_key(id: Uuid) -> String {
    format!("threat-model:{id}")
}

/// A local record, rendered as the files it publishes to.
pub(crate) struct Local {
    pub(crate) doc: LocalDocument,
    pub(crate) slug: String,
}

fn adr_document(adr: &Adr, layout: &Layout) -> Local {
    let file = adr_markdown::file_name(adr);
    let content = adr_markdown::render_madr4(adr);
    Local {
        // The branch name stays ASCII even when the file name does not.
        slug: format!("{:04}-{}", adr.number, slugify(&adr.title)),
        doc: LocalDocument {
            key: adr_key(adr.number),
            kind: DocumentKind::Adr,
            title: format!("ADR-{:04}: {}", adr.number, adr.title),
            files: vec![DocumentFile {
                path: layout.adr_path(&file),
                role: FileRole::Primary,
                content,
            }],
        },
    }
}

fn model_document(model: &plasma_models::threat::ThreatModel, layout: &Layout) -> Local {
    let slug = slugify(&model.name);
    let [json_path, report_path, svg_path] = layout.threat_model_paths(&file_slug(&model.name));
    let mut files = vec![
        DocumentFile {
            path: json_path,
            role: FileRole::Primary,
            content: threat_dragon::export(model),
        },
        DocumentFile {
            path: report_path,
            role: FileRole::Derived,
            content: report::markdown(model),
        },
    ];
    if !model.diagrams.is_empty() {
        files.push(DocumentFile {
            path: svg_path,
            role: FileRole::Derived,
            content: diagram::svg(model, 0),
        });
    }
    Local {
        slug,
        doc: LocalDocument {
            key: model_key(model.id),
            kind: DocumentKind::ThreatModel,
            title: format!("Threat model: {}", model.name),
            files,
        },
    }
}

fn primary_text(doc: &LocalDocument) -> String {
    doc.primary().map(|f| f.content.clone()).unwrap_or_default()
}

fn empty_sync_doc(repo: &str, doc: &LocalDocument) -> SyncDocument {
    SyncDocument {
        repo: repo.to_string(),
        doc_key: doc.key.clone(),
        kind: doc.kind.label().to_string(),
        path: doc.primary().map(|f| f.path.clone()).unwrap_or_default(),
        base_text: None,
        base_sha: None,
        published: "{}".into(),
        published_text: None,
        branch: None,
        pr_number: None,
        pr_url: None,
        pr_state: None,
        status: "not_published".into(),
        last_error: None,
        updated_at: String::new(),
    }
}

fn conflict_items(items: &str) -> Vec<ConflictItem> {
    serde_json::from_str::<Vec<Conflict>>(items)
        .unwrap_or_default()
        .into_iter()
        .map(|c| ConflictItem {
            item: c.item,
            base: c.base,
            local: c.local,
            remote: c.remote,
            text: c.text,
        })
        .collect()
}

impl Workbench {
    async fn sync_link_for(&self, repo: Option<&str>) -> Result<(Uuid, SyncLink, Layout)> {
        let ws = self.current_workspace().await?;
        let links = self.store().list_sync_links(ws.id).await?;
        let link = match repo {
            Some(r) => links.into_iter().find(|l| l.repo.eq_ignore_ascii_case(r)),
            None => links.into_iter().next(),
        }
        .ok_or_else(|| {
            WorkbenchError::NotFound(match repo {
                Some(r) => format!("{r} is not linked to this workspace (see `plasma sync link`)"),
                None => {
                    "no repository is linked to this workspace: run `plasma sync link OWNER/REPO`"
                        .into()
                }
            })
        })?;
        let layout: Layout = serde_json::from_str(&link.layout)
            .map_err(|e| WorkbenchError::Invalid(format!("stored layout of {}: {e}", link.repo)))?;
        Ok((ws.id, link, layout))
    }

    async fn sync_client(&self, link: &SyncLink, auth: &SyncAuth) -> Result<GitHub> {
        let api = link.api_url.clone();
        let env = auth.env_token.clone();
        let token = blocking(move || keychain::resolve_token(&api, env)).await?;
        Ok(GitHub::new(
            &link.api_url,
            &link.repo,
            token,
            auth.policy.unwrap_or_default(),
        )?)
    }

    /// Links a repository to the current workspace (or updates the link).
    /// Works offline: nothing is checked on GitHub until the first sync.
    pub async fn sync_link(
        &self,
        repo: &str,
        base: Option<&str>,
        api_url: Option<&str>,
        layout: Option<Layout>,
    ) -> Result<SyncLink> {
        plasma_sync::github::split_full_name(repo)?;
        let base = base.unwrap_or("main").trim();
        if base.is_empty()
            || base.contains("..")
            || base.starts_with('/')
            || base.contains(char::is_whitespace)
        {
            return Err(WorkbenchError::Invalid(format!(
                "\"{base}\" is not a branch name"
            )));
        }
        let api = api_url
            .unwrap_or(plasma_sync::DEFAULT_API_URL)
            .trim_end_matches('/');
        if !(api.starts_with("https://") || api.starts_with("http://")) {
            return Err(WorkbenchError::Invalid(format!(
                "--api-url \"{api}\" must start with https://"
            )));
        }
        let layout = layout.unwrap_or_default().validated()?;
        let ws = self.current_workspace().await?;
        let link = SyncLink {
            repo: repo.trim().to_string(),
            base_branch: base.to_string(),
            api_url: api.to_string(),
            layout: serde_json::to_string(&layout)
                .map_err(|e| WorkbenchError::Invalid(e.to_string()))?,
            base_etag: None,
            base_commit: None,
        };
        self.store().upsert_sync_link(ws.id, &link).await?;
        Ok(link)
    }

    /// Unlinks a repository from the current workspace: its link and sync
    /// state go, the records stay. Refused (nothing changed) while it has
    /// unresolved conflicts or queued publishes.
    pub async fn sync_unlink(&self, repo: &str) -> Result<()> {
        let (workspace, link, _) = self.sync_link_for(Some(repo.trim())).await?;
        self.store().delete_sync_link(workspace, &link.repo).await?;
        Ok(())
    }

    pub async fn sync_links(&self) -> Result<Vec<SyncLink>> {
        let ws = self.current_workspace().await?;
        Ok(self.store().list_sync_links(ws.id).await?)
    }

    /// Stores a token in the OS keychain after checking GitHub accepts it;
    /// returns the account's login.
    pub async fn sync_login_with_token(&self, api_url: &str, token: GitHubToken) -> Result<String> {
        let api = api_url.to_string();
        blocking(move || {
            let login = plasma_sync::github::whoami(&api, &token)?;
            keychain::store_token(&api, &token)?;
            Ok(login)
        })
        .await
    }

    /// Device flow, step 1: the code to show the user.
    pub async fn sync_device_start(&self, api_url: &str, client_id: &str) -> Result<DeviceCode> {
        let flow = DeviceFlow::new(api_url, client_id)?;
        blocking(move || flow.start("repo")).await
    }

    /// Device flow, step 2: waits for the user's approval, stores the token
    /// in the OS keychain and returns the account's login.
    pub async fn sync_device_finish(
        &self,
        api_url: &str,
        client_id: &str,
        code: DeviceCode,
    ) -> Result<String> {
        let flow = DeviceFlow::new(api_url, client_id)?;
        let api = api_url.to_string();
        blocking(move || {
            let token = flow.poll(&code, &std::thread::sleep)?;
            let login = plasma_sync::github::whoami(&api, &token)?;
            keychain::store_token(&api, &token)?;
            Ok(login)
        })
        .await
    }

    pub async fn sync_logout(&self, api_url: &str) -> Result<()> {
        let api = api_url.to_string();
        blocking(move || keychain::delete_token(&api)).await
    }

    async fn local_documents(&self, layout: &Layout) -> Result<Vec<Local>> {
        let ws = self.current_workspace().await?;
        let mut out: Vec<Local> = self
            .store()
            .list_adrs(ws.id)
            .await?
            .iter()
            .map(|a| adr_document(a, layout))
            .collect();
        for m in self.store().list_threat_models(ws.id).await? {
            out.push(model_document(&m.model, layout));
        }
        out.extend(self.planning_documents(layout).await?);
        Ok(out)
    }

    async fn drafts_for(
        &self,
        target: &PublishTarget,
        workspace: Uuid,
        repo: &str,
        layout: &Layout,
    ) -> Result<Vec<Draft>> {
        let locals = self.local_documents(layout).await?;
        let draft_of =
            |kind: DocumentKind, slug: String, title: String, docs: Vec<LocalDocument>| Draft {
                kind,
                slug,
                title,
                documents: docs,
                published: BTreeMap::new(),
                base_shas: BTreeMap::new(),
            };
        let mut drafts = Vec::new();
        match target {
            PublishTarget::Adrs(numbers) => {
                let mut docs = Vec::new();
                let mut slug = String::new();
                for n in numbers {
                    let l = locals
                        .iter()
                        .find(|l| l.doc.key == adr_key(*n))
                        .ok_or_else(|| {
                            WorkbenchError::NotFound(format!(
                                "ADR {n} does not exist in this workspace"
                            ))
                        })?;
                    if slug.is_empty() {
                        slug = l.slug.clone();
                    }
                    docs.push(l.doc.clone());
                }
                if docs.is_empty() {
                    return Err(WorkbenchError::Invalid(
                        "name at least one ADR to publish".into(),
                    ));
                }
                let title = if docs.len() == 1 {
                    docs[0].title.clone()
                } else {
                    format!("{} and {} more ADRs", docs[0].title, docs.len() - 1)
                };
                if docs.len() > 1 {
                    slug = format!("{slug}-and-{}-more", docs.len() - 1);
                }
                drafts.push(draft_of(DocumentKind::Adr, slug, title, docs));
            }
            PublishTarget::Model(name) => {
                let stored = self.get_threat_model(name).await?;
                let l = model_document(&stored.model, layout);
                drafts.push(draft_of(
                    DocumentKind::ThreatModel,
                    l.slug,
                    l.doc.title.clone(),
                    vec![l.doc],
                ));
            }
            PublishTarget::Framework(_)
            | PublishTarget::Roadmap
            | PublishTarget::Slo(_)
            | PublishTarget::Document(_) => {
                let key = match target {
                    PublishTarget::Framework(id) => self.framework_document_key(id).await?,
                    PublishTarget::Slo(handle) => self.slo_document_key(handle).await?,
                    PublishTarget::Roadmap => crate::sync_docs::ROADMAP_KEY.to_string(),
                    PublishTarget::Document(key) => key.trim().to_string(),
                    _ => String::new(),
                };
                let l = locals
                    .into_iter()
                    .find(|l| l.doc.key == key)
                    .ok_or_else(|| {
                        WorkbenchError::NotFound(if key == crate::sync_docs::ROADMAP_KEY {
                            "the roadmap has no initiatives yet (add one with `plasma roadmap add`)"
                                .to_string()
                        } else {
                            format!(
                                "no document {key} in this workspace (see `plasma sync status`)"
                            )
                        })
                    })?;
                drafts.push(draft_of(
                    l.doc.kind,
                    l.slug,
                    l.doc.title.clone(),
                    vec![l.doc],
                ));
            }
            PublishTarget::All => {
                let states = self.store().list_sync_documents(workspace, repo).await?;
                for l in locals {
                    let text = primary_text(&l.doc);
                    let state = states.iter().find(|s| s.doc_key == l.doc.key);
                    let synced = state.is_some_and(|s| {
                        s.published_text.as_deref() == Some(&text)
                            || s.base_text.as_deref() == Some(&text)
                    });
                    if !synced {
                        drafts.push(draft_of(
                            l.doc.kind,
                            l.slug,
                            l.doc.title.clone(),
                            vec![l.doc],
                        ));
                    }
                }
            }
        }
        for d in &mut drafts {
            for doc in &d.documents {
                if let Some(state) = self
                    .store()
                    .get_sync_document(workspace, repo, &doc.key)
                    .await?
                {
                    if let Ok(map) =
                        serde_json::from_str::<BTreeMap<String, String>>(&state.published)
                    {
                        d.published.extend(map);
                    }
                }
            }
        }
        Ok(drafts)
    }

    /// Publishes drafts as pull requests. When GitHub cannot be reached the
    /// request is queued and retried by the next sync command.
    pub async fn sync_publish(
        &self,
        target: PublishTarget,
        repo: Option<&str>,
        auth: &SyncAuth,
    ) -> Result<PublishReport> {
        self.sync_publish_with(target, repo, auth, &SyncControl::default())
            .await
    }

    /// [`Self::sync_publish`] reporting each request to `control` and
    /// stopping between requests once its token is cancelled. A draft is
    /// stopped before its branch moves, so GitHub and the local sync state
    /// stay as they were for it; drafts already published stay recorded.
    pub async fn sync_publish_with(
        &self,
        target: PublishTarget,
        repo: Option<&str>,
        auth: &SyncAuth,
        control: &SyncControl,
    ) -> Result<PublishReport> {
        let (ws, link, layout) = self.sync_link_for(repo).await?;
        let mut report = PublishReport::default();
        let drafts = self.drafts_for(&target, ws, &link.repo, &layout).await?;
        let gh = std::sync::Arc::new(self.sync_client(&link, auth).await?);
        let total = drafts.len();
        for (i, draft) in drafts.into_iter().enumerate() {
            if control.cancel.is_cancelled() {
                report.cancelled = true;
                break;
            }
            let keys: Vec<String> = draft.documents.iter().map(|d| d.key.clone()).collect();
            let observer = control.publish_observer(i + 1, total, &draft.title);
            let (g, base, d) = (gh.clone(), link.base_branch.clone(), draft.clone());
            match blocking(move || apply::publish_observed(&g, &base, &d, &observer)).await {
                Ok(out) => {
                    let Some(pull) = out.pull.clone() else {
                        report.up_to_date.extend(keys);
                        continue;
                    };
                    self.record_publish(ws, &link.repo, &draft, &out, &pull)
                        .await?;
                    report.published.push(PublishedDraft {
                        branch: out.branch,
                        commit: out.commit,
                        pull_number: u32::try_from(pull.number).unwrap_or(u32::MAX),
                        pull_url: pull.html_url.clone(),
                        pull_state: pull.pull_state().label().to_string(),
                        documents: keys,
                    });
                }
                Err(WorkbenchError::Sync(SyncError::Cancelled(_))) => {
                    report.cancelled = true;
                    break;
                }
                Err(WorkbenchError::Sync(e)) if e.is_transient() => {
                    let request = serde_json::to_string(&single_target(&draft)).unwrap_or_default();
                    self.store()
                        .enqueue_publish(ws, &link.repo, &request, &e.to_string())
                        .await?;
                    for doc in &draft.documents {
                        self.set_doc_status(ws, &link.repo, doc, "queued", Some(e.to_string()))
                            .await?;
                    }
                    report.queued.extend(keys);
                }
                Err(WorkbenchError::Sync(e @ SyncError::DraftConflict { .. })) => {
                    for doc in &draft.documents {
                        self.set_doc_status(ws, &link.repo, doc, "conflict", Some(e.to_string()))
                            .await?;
                    }
                    report
                        .refused
                        .extend(keys.iter().map(|k| format!("{k}: {e}")));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(report)
    }

    async fn set_doc_status(
        &self,
        ws: Uuid,
        repo: &str,
        doc: &LocalDocument,
        status: &str,
        error: Option<String>,
    ) -> Result<()> {
        let mut state = self
            .store()
            .get_sync_document(ws, repo, &doc.key)
            .await?
            .unwrap_or_else(|| empty_sync_doc(repo, doc));
        state.status = status.to_string();
        state.last_error = error;
        self.store().put_sync_document(ws, &state).await?;
        Ok(())
    }

    async fn record_publish(
        &self,
        ws: Uuid,
        repo: &str,
        draft: &Draft,
        out: &PublishOutcome,
        pull: &PullRequest,
    ) -> Result<()> {
        for doc in &draft.documents {
            let mut state = self
                .store()
                .get_sync_document(ws, repo, &doc.key)
                .await?
                .unwrap_or_else(|| empty_sync_doc(repo, doc));
            let mine: BTreeMap<String, String> = doc
                .files
                .iter()
                .filter_map(|f| out.files.get(&f.path).map(|s| (f.path.clone(), s.clone())))
                .collect();
            state.published = serde_json::to_string(&mine).unwrap_or_else(|_| "{}".into());
            state.published_text = Some(primary_text(doc));
            state.path = doc.primary().map(|f| f.path.clone()).unwrap_or_default();
            state.branch = Some(out.branch.clone());
            state.pr_number = u32::try_from(pull.number).ok();
            state.pr_url = Some(pull.html_url.clone());
            state.pr_state = Some(pull.pull_state().label().to_string());
            state.status = "in_review".into();
            state.last_error = None;
            self.store().put_sync_document(ws, &state).await?;
        }
        Ok(())
    }

    async fn drain_queue(
        &self,
        ws: Uuid,
        repo: &str,
        auth: &SyncAuth,
        report: &mut PullReport,
        control: &SyncControl,
    ) -> Result<()> {
        for q in self.store().list_publish_queue(ws).await? {
            if q.repo != repo {
                continue;
            }
            let Ok(target) = serde_json::from_str::<PublishTarget>(&q.request) else {
                self.store().remove_queued_publish(q.id).await?;
                continue;
            };
            let done = self
                .sync_publish_with(target, Some(repo), auth, control)
                .await?;
            if done.cancelled {
                // Still queued: the next sync sends it.
                report.cancelled = true;
                for p in done.published {
                    report.sent_from_queue.extend(p.documents);
                }
                return Ok(());
            }
            if done.queued.is_empty() {
                self.store().remove_queued_publish(q.id).await?;
                for p in done.published {
                    report.sent_from_queue.extend(p.documents);
                }
            } else {
                // Still offline: keep the queue as it is and stop trying.
                return Ok(());
            }
        }
        Ok(())
    }

    /// Brings GitHub's changes in: queued publishes go out, pull-request
    /// states are refreshed, then the base branch is read (conditionally)
    /// and every changed document is merged three ways.
    pub async fn sync_pull(&self, repo: Option<&str>, auth: &SyncAuth) -> Result<PullReport> {
        self.sync_pull_with(repo, auth, &SyncControl::default())
            .await
    }

    /// [`Self::sync_pull`] reporting each request to `control` and stopping
    /// between documents once its token is cancelled. Every document is
    /// saved with its own base, and the base branch is marked as seen only
    /// at the end, so a stopped pull is finished by the next one.
    pub async fn sync_pull_with(
        &self,
        repo: Option<&str>,
        auth: &SyncAuth,
        control: &SyncControl,
    ) -> Result<PullReport> {
        let (ws, link, layout) = self.sync_link_for(repo).await?;
        let mut report = PullReport::default();
        self.drain_queue(ws, &link.repo, auth, &mut report, control)
            .await?;
        if report.cancelled {
            return Ok(report);
        }
        let gh = std::sync::Arc::new(self.sync_client(&link, auth).await?);

        let open: Vec<SyncDocument> = self
            .store()
            .list_sync_documents(ws, &link.repo)
            .await?
            .into_iter()
            .filter(|s| s.pr_number.is_some() && s.pr_state.as_deref() == Some("open"))
            .collect();
        // Pull requests, the base branch, then documents once the plan is known.
        let mut total = open.len() + 1;
        let mut step = 0;
        let mut next = |document: &str, request: String, total: usize| -> Result<()> {
            if control.cancel.is_cancelled() {
                return Err(SyncError::Cancelled(request).into());
            }
            step += 1;
            control.step("pull", step, total, document, &request);
            Ok(())
        };
        macro_rules! step_or_stop {
            ($doc:expr, $req:expr) => {
                if next($doc, $req, total).is_err() {
                    report.cancelled = true;
                    return Ok(report);
                }
            };
        }

        for mut state in open {
            let (Some(n), Some("open")) = (state.pr_number, state.pr_state.as_deref()) else {
                continue;
            };
            step_or_stop!(&state.doc_key, format!("read pull request #{n}"));
            let g = gh.clone();
            let pr = blocking(move || g.pull(u64::from(n))).await?;
            let now = pr.pull_state();
            if now == PullState::Open {
                continue;
            }
            state.pr_state = Some(now.label().to_string());
            if now == PullState::Merged {
                state.status = "published".into();
                // What merged is what we proposed (plus review edits, which
                // the pull below brings in as remote changes).
                state.base_text = state.published_text.clone();
            } else {
                state.status = "closed".into();
            }
            report
                .pull_requests
                .push(format!("{} {}", state.doc_key, now.label()));
            self.store().put_sync_document(ws, &state).await?;
        }

        step_or_stop!("", format!("read branch {}", link.base_branch));
        let (g, base, etag) = (gh.clone(), link.base_branch.clone(), link.base_etag.clone());
        let Some(snapshot) = blocking(move || apply::read_base(&g, &base, etag.as_deref())).await?
        else {
            report.base_unchanged = true;
            return Ok(report);
        };
        let states = self.store().list_sync_documents(ws, &link.repo).await?;
        let tracked: Vec<TrackedDocument> = states
            .iter()
            .filter_map(|s| {
                Some(TrackedDocument {
                    key: s.doc_key.clone(),
                    kind: DocumentKind::parse(&s.kind)?,
                    path: s.path.clone(),
                    base_sha: s.base_sha.clone().unwrap_or_default(),
                })
            })
            .collect();
        let plan = plan_pull(&tracked, &snapshot.files, &layout);
        let locals = self.local_documents(&layout).await?;
        total += plan.changed.len() + plan.new.len();

        for (key, path, sha) in &plan.changed {
            step_or_stop!(key, format!("read {path}"));
            let Some(mut state) = states.iter().find(|s| s.doc_key == *key).cloned() else {
                continue;
            };
            let Some(local) = locals.iter().find(|l| l.doc.key == *key) else {
                continue;
            };
            let (g, s) = (gh.clone(), sha.clone());
            let remote_raw = blocking(move || apply::fetch_text(&g, &s)).await?;
            let remote = match self
                .canonical_remote(local.doc.kind, key, &state.path, &remote_raw)
                .await
            {
                Ok(t) => {
                    if local.doc.kind == DocumentKind::Compliance {
                        if let Some(n) =
                            crate::sync_docs::ignored_matrix_edits(key, &remote_raw, &t)
                        {
                            report.notices.push(n);
                        }
                    }
                    t
                }
                Err(e) => {
                    state.last_error = Some(format!("the file on GitHub could not be read: {e}"));
                    self.store().put_sync_document(ws, &state).await?;
                    continue;
                }
            };
            let local_text = primary_text(&local.doc);
            let base = state.base_text.clone().unwrap_or_default();
            match self
                .decide_document(
                    local.doc.kind,
                    key,
                    &state.path,
                    &base,
                    &local_text,
                    &remote,
                )
                .await?
            {
                PullDecision::KeepLocal => {}
                PullDecision::TakeRemote(text) => {
                    self.apply_local(local.doc.kind, key, &state.path, &text)
                        .await?;
                    report.taken.push(key.clone());
                }
                PullDecision::Merged(text) => {
                    self.apply_local(local.doc.kind, key, &state.path, &text)
                        .await?;
                    report.merged.push(key.clone());
                }
                PullDecision::Conflict(outcome) => {
                    self.store()
                        .put_sync_conflict(
                            ws,
                            &SyncConflict {
                                repo: link.repo.clone(),
                                doc_key: key.clone(),
                                items: serde_json::to_string(&outcome.conflicts)
                                    .unwrap_or_default(),
                                prefer_local: outcome.prefer_local,
                                prefer_remote: outcome.prefer_remote,
                                remote_text: remote,
                                remote_sha: sha.clone(),
                                created_at: String::new(),
                                // A pull's conflict is new: the store numbers it.
                                version: 0,
                            },
                        )
                        .await?;
                    state.status = "conflict".into();
                    self.store().put_sync_document(ws, &state).await?;
                    report.conflicts.push(key.clone());
                    continue;
                }
            }
            state.base_text = Some(remote);
            state.base_sha = Some(sha.clone());
            if !matches!(state.status.as_str(), "in_review" | "published") {
                state.status = "synced".into();
            }
            state.last_error = None;
            self.store().put_sync_document(ws, &state).await?;
        }

        for key in &plan.removed {
            if let Some(mut state) = states
                .iter()
                .find(|s| s.doc_key == *key && s.base_sha.is_some())
                .cloned()
            {
                state.status = "removed_remote".into();
                self.store().put_sync_document(ws, &state).await?;
                report.removed_remote.push(key.clone());
            }
        }

        for (kind, path, sha) in &plan.new {
            step_or_stop!(path, format!("read {path}"));
            let (g, s) = (gh.clone(), sha.clone());
            let text = blocking(move || apply::fetch_text(&g, &s)).await?;
            match self.import_remote(*kind, path, &text, &layout).await {
                Ok(doc) => {
                    let mut state = empty_sync_doc(&link.repo, &doc);
                    state.path = path.clone();
                    state.base_text = Some(primary_text(&doc));
                    state.base_sha = Some(sha.clone());
                    state.status = "synced".into();
                    self.store().put_sync_document(ws, &state).await?;
                    report.imported.push(doc.key);
                }
                Err(e) => report.imported.push(format!("{path} skipped: {e}")),
            }
        }
        self.store()
            .set_sync_base(ws, &link.repo, snapshot.etag.as_deref(), &snapshot.commit)
            .await?;
        Ok(report)
    }

    /// The remote text in the app's canonical rendering, so the merge
    /// compares like with like (GitHub's file may come from another tool).
    async fn canonical_remote(
        &self,
        kind: DocumentKind,
        key: &str,
        path: &str,
        text: &str,
    ) -> Result<String> {
        let ws = self.current_workspace().await?;
        match kind {
            DocumentKind::Adr => {
                let number: u32 = key
                    .trim_start_matches("adr:")
                    .parse()
                    .map_err(|_| WorkbenchError::Invalid(format!("bad key {key}")))?;
                let mut adr = self.store().get_adr_by_number(ws.id, number).await?;
                let draft = parse_adr(path, text)?;
                let links = adr.links.clone();
                adr.apply(draft);
                adr.links = links;
                Ok(adr_markdown::render_madr4(&adr))
            }
            DocumentKind::ThreatModel => {
                let model = threat_dragon::import(text, ws.id)
                    .map_err(|e| WorkbenchError::Invalid(format!("{path}: {e}")))?;
                Ok(threat_dragon::export(&model))
            }
            other => self.planning_canonical(other, key, path, text).await,
        }
    }

    /// Saves merged or remote text into the local record (a new revision, so
    /// the previous local version stays in the history).
    async fn apply_local(
        &self,
        kind: DocumentKind,
        key: &str,
        path: &str,
        text: &str,
    ) -> Result<()> {
        let ws = self.current_workspace().await?;
        match kind {
            DocumentKind::Adr => {
                let number: u32 = key
                    .trim_start_matches("adr:")
                    .parse()
                    .map_err(|_| WorkbenchError::Invalid(format!("bad key {key}")))?;
                let adr = self.store().get_adr_by_number(ws.id, number).await?;
                let mut draft = parse_adr(path, text)?;
                draft.links = adr.links.clone();
                self.store()
                    .save_adrs(vec![(adr.id, adr.revision, draft)])
                    .await?;
            }
            DocumentKind::ThreatModel => {
                let id = Uuid::parse_str(key.trim_start_matches("threat-model:"))
                    .map_err(|_| WorkbenchError::Invalid(format!("bad key {key}")))?;
                let current = self.store().get_threat_model(id).await?;
                let mut model = threat_dragon::import(text, ws.id)
                    .map_err(|e| WorkbenchError::Invalid(format!("{path}: {e}")))?;
                model.id = current.model.id;
                model.workspace_id = ws.id;
                if model.repositories.is_empty() {
                    model.repositories = current.model.repositories.clone();
                }
                self.store()
                    .save_threat_model_as(id, current.revision, &model, Some("merged from GitHub"))
                    .await?;
            }
            other => self.planning_apply(other, key, path, text).await?,
        }
        Ok(())
    }

    async fn import_remote(
        &self,
        kind: DocumentKind,
        path: &str,
        text: &str,
        layout: &Layout,
    ) -> Result<LocalDocument> {
        let ws = self.current_workspace().await?;
        match kind {
            DocumentKind::Adr => {
                let name = path.rsplit('/').next().unwrap_or(path);
                let parsed = match adr_markdown::parse_file(name, text) {
                    Ok(Classified::Adr(p)) => p,
                    Ok(_) => return Err(WorkbenchError::Invalid(format!("{path} is not an ADR"))),
                    Err(e) => return Err(WorkbenchError::Invalid(format!("{path}: {e}"))),
                };
                let number = parsed.number.ok_or_else(|| {
                    WorkbenchError::Invalid(format!("{path}: no ADR number in the file name"))
                })?;
                let adr = import_new_adr(self.store(), ws.id, number, parsed.draft, path).await?;
                Ok(adr_document(&adr, layout).doc)
            }
            DocumentKind::ThreatModel => {
                let mut model = threat_dragon::import(text, ws.id)
                    .map_err(|e| WorkbenchError::Invalid(format!("{path}: {e}")))?;
                match self
                    .store()
                    .get_threat_model_by_name(ws.id, &model.name)
                    .await
                {
                    Ok(_) => {
                        return Err(WorkbenchError::Invalid(format!(
                            "a threat model named \"{}\" already exists here",
                            model.name
                        )))
                    }
                    Err(StoreError::NotFound { .. }) => {}
                    Err(e) => return Err(e.into()),
                }
                model.id = Uuid::new_v4();
                model.workspace_id = ws.id;
                let stored = self.store().create_threat_model(&model).await?;
                Ok(model_document(&stored.model, layout).doc)
            }
            other => self.planning_import(other, path, text, layout).await,
        }
    }

    pub async fn sync_status(&self, repo: Option<&str>) -> Result<SyncStatus> {
        let ws = self.current_workspace().await?;
        let Ok((_, link, layout)) = self.sync_link_for(repo).await else {
            return Ok(SyncStatus {
                repo: None,
                base_branch: None,
                api_url: None,
                documents: Vec::new(),
                queued: 0,
                conflicts: 0,
            });
        };
        let states = self.store().list_sync_documents(ws.id, &link.repo).await?;
        let mut documents = Vec::new();
        for l in self.local_documents(&layout).await? {
            let text = primary_text(&l.doc);
            let state = states.iter().find(|s| s.doc_key == l.doc.key);
            documents.push(DocumentSyncStatus {
                key: l.doc.key.clone(),
                title: l.doc.title.clone(),
                path: l.doc.primary().map(|f| f.path.clone()).unwrap_or_default(),
                status: state
                    .map(|s| s.status.clone())
                    .unwrap_or_else(|| "not_published".into()),
                local_changes: state.is_none_or(|s| {
                    s.published_text.as_deref() != Some(&text)
                        && s.base_text.as_deref() != Some(&text)
                }),
                pull_url: state.and_then(|s| s.pr_url.clone()),
                pull_state: state.and_then(|s| s.pr_state.clone()),
                last_error: state.and_then(|s| s.last_error.clone()),
            });
        }
        let queued = self
            .store()
            .list_publish_queue(ws.id)
            .await?
            .iter()
            .filter(|q| q.repo == link.repo)
            .count();
        let conflicts = self
            .store()
            .list_sync_conflicts(ws.id)
            .await?
            .iter()
            .filter(|c| c.repo == link.repo)
            .count();
        Ok(SyncStatus {
            repo: Some(link.repo),
            base_branch: Some(link.base_branch),
            api_url: Some(link.api_url),
            documents,
            queued: u32::try_from(queued).unwrap_or(u32::MAX),
            conflicts: u32::try_from(conflicts).unwrap_or(u32::MAX),
        })
    }

    pub async fn sync_conflicts(&self) -> Result<Vec<ConflictView>> {
        let ws = self.current_workspace().await?;
        Ok(self
            .store()
            .list_sync_conflicts(ws.id)
            .await?
            .into_iter()
            .map(ConflictView::of)
            .collect())
    }

    /// The stored conflict for `key` with its document's sync state and
    /// kind; refused when `seen` (the version the user's choices were made
    /// on) is not the stored one.
    async fn open_conflict(
        &self,
        key: &str,
        seen: Option<u32>,
    ) -> Result<(
        plasma_models::Workspace,
        SyncConflict,
        SyncDocument,
        DocumentKind,
    )> {
        let ws = self.current_workspace().await?;
        let conflict = self
            .store()
            .list_sync_conflicts(ws.id)
            .await?
            .into_iter()
            .find(|c| c.doc_key == key)
            .ok_or_else(|| {
                WorkbenchError::NotFound(format!(
                    "no conflict for {key} (see `plasma sync conflicts`)"
                ))
            })?;
        if let Some(seen) = seen.filter(|&v| i64::from(v) != conflict.version) {
            return Err(StoreError::ChangedElsewhere {
                what: format!("the sync conflict for {key} in {}", conflict.repo),
                change: format!(
                    "a pull changed it after it was shown: version {seen} is now {}",
                    conflict.version
                ),
            }
            .into());
        }
        let state = self
            .store()
            .get_sync_document(ws.id, &conflict.repo, key)
            .await?
            .ok_or_else(|| WorkbenchError::NotFound(format!("no sync state for {key}")))?;
        let kind = DocumentKind::parse(&state.kind)
            .ok_or_else(|| WorkbenchError::Invalid(format!("unknown kind {}", state.kind)))?;
        Ok((ws, conflict, state, kind))
    }

    /// Saves `text` as the local record of a conflict whose items are all
    /// resolved, makes the remote version the base and removes the
    /// conflict. The conflict is claimed first, so a choice made in another
    /// window since `conflict` was read is never overwritten: the claim is
    /// refused and nothing is saved, and while the document is saved no
    /// other window writes the conflict.
    async fn settle_conflict(
        &self,
        ws: Uuid,
        conflict: &SyncConflict,
        mut state: SyncDocument,
        kind: DocumentKind,
        text: &str,
    ) -> Result<()> {
        let claim = self.store().claim_sync_conflict(ws, conflict).await?;
        if let Err(e) = self
            .apply_local(kind, &conflict.doc_key, &state.path, text)
            .await
        {
            // The save's error is the one to report; a claim left behind
            // lapses on its own.
            let _ = self
                .store()
                .release_sync_conflict(ws, conflict, claim)
                .await;
            return Err(e);
        }
        state.base_text = Some(conflict.remote_text.clone());
        state.base_sha = Some(conflict.remote_sha.clone());
        state.status = "synced".into();
        state.last_error = None;
        Ok(self
            .store()
            .finish_sync_conflict(ws, conflict, claim, &state)
            .await?)
    }

    /// The user's choice for a conflict: the chosen candidate becomes the
    /// local record (a new revision), the remote version becomes the base.
    /// `seen`: the version of the conflict the choice was made on (the
    /// app's view); `None` resolves whatever is stored (the CLI reads and
    /// resolves in one command).
    pub async fn sync_resolve(
        &self,
        key: &str,
        side: ResolveSide,
        seen: Option<u32>,
    ) -> Result<ConflictView> {
        let (ws, conflict, state, kind) = self.open_conflict(key, seen).await?;
        let chosen = match side {
            ResolveSide::Local => &conflict.prefer_local,
            ResolveSide::Remote => &conflict.prefer_remote,
        };
        self.settle_conflict(ws.id, &conflict, state, kind, chosen)
            .await?;
        Ok(ConflictView::of(conflict))
    }
}

impl Workbench {
    /// The user's choices for some or all conflicting items of one document.
    /// The choices are merged into both stored candidates; while items
    /// remain, the local record is left alone and the remaining items are
    /// returned. When none remain, the merged document is saved as a new
    /// revision (the previous text stays in the history), the remote
    /// version becomes the base, and the returned view has no items.
    /// `seen` as for [`Workbench::sync_resolve`].
    pub async fn sync_resolve_items(
        &self,
        key: &str,
        choices: Vec<ItemChoice>,
        seen: Option<u32>,
    ) -> Result<ConflictView> {
        if choices.is_empty() {
            return Err(WorkbenchError::Invalid(
                "choose mine, theirs or an edited text for at least one item".into(),
            ));
        }
        let (ws, conflict, state, kind) = self.open_conflict(key, seen).await?;
        let picks: Choices = choices
            .into_iter()
            .map(|c| {
                let choice = match c.take {
                    ItemTake::Mine => Choice::Local,
                    ItemTake::Theirs => Choice::Remote,
                    ItemTake::Edited(t) => Choice::Edited(t),
                };
                (c.item, choice)
            })
            .collect();
        // The candidates differ exactly at the conflicting items, so merging
        // them over the base with the choices resolves those items only.
        let base = state.base_text.clone().unwrap_or_default();
        let outcome = self
            .resolve_document_items(
                kind,
                key,
                &state.path,
                [&base, &conflict.prefer_local, &conflict.prefer_remote],
                &picks,
            )
            .await?;
        if !outcome.is_clean() {
            let remaining = SyncConflict {
                items: serde_json::to_string(&outcome.conflicts).unwrap_or_default(),
                prefer_local: outcome.prefer_local,
                prefer_remote: outcome.prefer_remote,
                ..conflict
            };
            let remaining = self.store().update_sync_conflict(ws.id, &remaining).await?;
            return Ok(ConflictView::of(remaining));
        }
        self.settle_conflict(ws.id, &conflict, state, kind, &outcome.prefer_local)
            .await?;
        // Resolved: nothing left in conflict, both sides are the merge.
        Ok(ConflictView {
            items: Vec::new(),
            prefer_local: outcome.prefer_local.clone(),
            prefer_remote: outcome.prefer_local,
            ..ConflictView::of(conflict)
        })
    }
}

fn parse_adr(path: &str, text: &str) -> Result<plasma_models::AdrDraft> {
    let name = path.rsplit('/').next().unwrap_or(path);
    match adr_markdown::parse_file(name, text) {
        Ok(Classified::Adr(p)) => Ok(p.draft),
        Ok(_) => Err(WorkbenchError::Invalid(format!("{path} is not an ADR"))),
        Err(e) => Err(WorkbenchError::Invalid(format!("{path}: {e}"))),
    }
}

/// A queued draft is retried as the same target.
fn single_target(draft: &Draft) -> PublishTarget {
    match draft.kind {
        DocumentKind::ThreatModel => PublishTarget::Model(
            draft
                .documents
                .first()
                .map(|d| d.title.trim_start_matches("Threat model: ").to_string())
                .unwrap_or_default(),
        ),
        DocumentKind::Compliance | DocumentKind::Roadmap | DocumentKind::Slo => {
            PublishTarget::Document(
                draft
                    .documents
                    .first()
                    .map(|d| d.key.clone())
                    .unwrap_or_default(),
            )
        }
        DocumentKind::Adr => PublishTarget::Adrs(
            draft
                .documents
                .iter()
                .filter_map(|d| d.key.strip_prefix("adr:").and_then(|n| n.parse().ok()))
                .collect(),
        ),
    }
}

/// The desktop's sign-in state. The device code stays here (it could be
/// exchanged for a token), only the user code and URL go to the window.
#[derive(Default)]
pub(crate) struct SyncSession {
    pending: Option<(String, DeviceCode)>,
    account: Option<SyncAccount>,
    /// The keychain was already asked who is signed in (asked once, since
    /// naming the login costs a request to GitHub).
    checked: bool,
    /// The token of the publish or pull running now, for `sync_cancel`.
    running: Option<CancelToken>,
}

/// Who is signed in, per API host. Never the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SyncAccount {
    pub api_url: String,
    /// None when a token is in the keychain but GitHub could not be asked.
    pub login: Option<String>,
    /// The token is `GITHUB_TOKEN` from the environment, not the keychain
    /// (signing out is then the environment's business).
    pub from_environment: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct LinkedRepository {
    pub repo: String,
    pub base_branch: String,
    pub api_url: String,
    pub last_commit: Option<String>,
}

/// Everything the sync page shows, in one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SyncOverview {
    pub links: Vec<LinkedRepository>,
    pub account: Option<SyncAccount>,
    pub status: SyncStatus,
    pub conflicts: Vec<ConflictView>,
}

/// What the user needs to approve the sign-in on GitHub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SignInPrompt {
    pub api_url: String,
    pub verification_uri: String,
    pub user_code: String,
    pub expires_in: u32,
}

/// The OAuth app used by the desktop's device flow (as for `plasma sync login`).
fn desktop_client_id() -> String {
    std::env::var("PLASMA_GITHUB_CLIENT_ID").unwrap_or_default()
}

impl Workbench {
    fn session(&self) -> std::sync::MutexGuard<'_, SyncSession> {
        // A panic while holding the lock cannot leave the session half-written.
        self.sync_session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn sync_api_url(&self) -> Result<String> {
        Ok(self
            .sync_links()
            .await?
            .first()
            .map(|l| l.api_url.clone())
            .unwrap_or_else(|| plasma_sync::DEFAULT_API_URL.to_string()))
    }

    /// The signed-in account: remembered from the sign-in, or asked once
    /// from the keychain (and GitHub, for the login) after a restart.
    async fn sync_account(&self) -> Result<Option<SyncAccount>> {
        let api = self.sync_api_url().await?;
        {
            let session = self.session();
            if let Some(a) = session.account.as_ref().filter(|a| a.api_url == api) {
                return Ok(Some(a.clone()));
            }
            if session.checked {
                return Ok(None);
            }
        }
        let from_environment = env_token().is_some();
        let key = api.clone();
        let token = match env_token() {
            Some(raw) => GitHubToken::new(raw).ok(),
            None => blocking(move || keychain::load_token(&key))
                .await
                .ok()
                .flatten(),
        };
        let account = match token {
            Some(token) => {
                let key = api.clone();
                let login = blocking(move || plasma_sync::github::whoami(&key, &token))
                    .await
                    .ok();
                Some(SyncAccount {
                    api_url: api,
                    login,
                    from_environment,
                })
            }
            None => None,
        };
        let mut session = self.session();
        session.checked = true;
        session.account = account.clone();
        Ok(account)
    }

    /// The sync page: links, account, per-document status and conflicts.
    pub async fn sync_overview(&self) -> Result<SyncOverview> {
        let links = self
            .sync_links()
            .await?
            .into_iter()
            .map(|l| LinkedRepository {
                repo: l.repo,
                base_branch: l.base_branch,
                api_url: l.api_url,
                last_commit: l.base_commit,
            })
            .collect();
        Ok(SyncOverview {
            links,
            account: self.sync_account().await?,
            status: self.sync_status(None).await?,
            conflicts: self.sync_conflicts().await?,
        })
    }

    /// Links (or re-links) a repository and returns the updated page.
    /// [`Workbench::sync_unlink`], then the overview the app shows.
    pub async fn sync_disconnect(&self, repo: &str) -> Result<SyncOverview> {
        self.sync_unlink(repo).await?;
        self.session().checked = false;
        self.sync_overview().await
    }

    pub async fn sync_connect(
        &self,
        repo: &str,
        base: Option<&str>,
        api_url: Option<&str>,
    ) -> Result<SyncOverview> {
        let api = api_url.map(str::trim).filter(|a| !a.is_empty());
        let base = base.map(str::trim).filter(|b| !b.is_empty());
        self.sync_link(repo, base, api, None).await?;
        self.session().checked = false;
        self.sync_overview().await
    }

    /// Device flow, step 1 for the desktop: the device code is kept here.
    pub async fn sync_sign_in_start(&self) -> Result<SignInPrompt> {
        let api = self.sync_api_url().await?;
        let code = self.sync_device_start(&api, &desktop_client_id()).await?;
        let prompt = SignInPrompt {
            api_url: api.clone(),
            verification_uri: code.verification_uri.clone(),
            user_code: code.user_code.clone(),
            expires_in: u32::try_from(code.expires_in).unwrap_or(u32::MAX),
        };
        self.session().pending = Some((api, code));
        Ok(prompt)
    }

    /// Device flow, step 2: waits for the approval; the token goes from
    /// GitHub straight into the OS keychain.
    pub async fn sync_sign_in_finish(&self) -> Result<SyncAccount> {
        let (api, code) = self.session().pending.take().ok_or_else(|| {
            WorkbenchError::Invalid("no sign-in in progress: start the sign-in first".into())
        })?;
        let login = self
            .sync_device_finish(&api, &desktop_client_id(), code)
            .await?;
        let account = SyncAccount {
            api_url: api,
            login: Some(login),
            from_environment: false,
        };
        let mut session = self.session();
        session.account = Some(account.clone());
        session.checked = true;
        Ok(account)
    }

    /// A control whose token [`Self::sync_cancel`] sets (one sync at a time
    /// per window; a newer one takes over the cancel button).
    fn cancellable(&self, progress: impl Fn(SyncProgress) + Send + Sync + 'static) -> SyncControl {
        let control = SyncControl::new(progress, CancelToken::default());
        self.session().running = Some(control.cancel.clone());
        control
    }

    fn finished(&self, control: &SyncControl) {
        let mut session = self.session();
        if session
            .running
            .as_ref()
            .is_some_and(|t| t.same_as(&control.cancel))
        {
            session.running = None;
        }
    }

    /// The desktop's publish: progress goes to `progress`; `sync_cancel` stops it.
    pub async fn sync_publish_reporting(
        &self,
        target: PublishTarget,
        auth: &SyncAuth,
        progress: impl Fn(SyncProgress) + Send + Sync + 'static,
    ) -> Result<PublishReport> {
        let control = self.cancellable(progress);
        let out = self.sync_publish_with(target, None, auth, &control).await;
        self.finished(&control);
        out
    }

    /// The desktop's pull: progress goes to `progress`; `sync_cancel` stops it.
    pub async fn sync_pull_reporting(
        &self,
        auth: &SyncAuth,
        progress: impl Fn(SyncProgress) + Send + Sync + 'static,
    ) -> Result<PullReport> {
        let control = self.cancellable(progress);
        let out = self.sync_pull_with(None, auth, &control).await;
        self.finished(&control);
        out
    }

    /// Asks the running publish or pull to stop at its next request
    /// boundary; `false` when none is running.
    pub fn sync_cancel(&self) -> bool {
        match self.session().running.as_ref() {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        }
    }

    /// Removes the token from the keychain.
    pub async fn sync_sign_out(&self) -> Result<SyncOverview> {
        let api = self.sync_api_url().await?;
        self.sync_logout(&api).await?;
        {
            let mut session = self.session();
            session.account = None;
            session.pending = None;
            session.checked = true;
        }
        self.sync_overview().await
    }
}

/// Creates ADR `number` from a file new to this workspace. The number is
/// checked free under the import's write lock: an import updates the
/// record of its number, so a record another process created meanwhile
/// would be overwritten.
async fn import_new_adr(
    store: &plasma_storage::Store,
    workspace: Uuid,
    number: u32,
    draft: plasma_models::AdrDraft,
    path: &str,
) -> Result<Adr> {
    let item = plasma_storage::ImportItem {
        number,
        draft,
        source_path: path.to_string(),
    };
    store
        .import_adrs_checked(workspace, vec![item], |stored, items| {
            match stored.iter().find(|a| a.number == number) {
                Some(a) => Err(WorkbenchError::Invalid(format!(
                    "{path} was not imported: ADR {number} (\"{}\") already exists here under another file name",
                    a.title
                ))),
                None => Ok(items),
            }
        })
        .await?;
    Ok(store.get_adr_by_number(workspace, number).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn bench() -> (tempfile::TempDir, Workbench) {
        let dir = tempfile::tempdir().unwrap();
        let wb = Workbench::open(&dir.path().join("p.db")).await.unwrap();
        wb.ensure_demo_workspace().await.unwrap();
        (dir, wb)
    }

    #[tokio::test]
    async fn connect_validates_then_lists_every_document_as_local_only() {
        let (_dir, wb) = bench().await;
        let err = wb
            .sync_connect("not a repo", None, Some("http://127.0.0.1:9"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::Invalid, "{err}");
        assert!(wb.sync_overview().await.unwrap().links.is_empty());

        let overview = wb
            .sync_connect("acme/decisions", Some(" "), Some("http://127.0.0.1:9/"))
            .await
            .unwrap();
        assert_eq!(overview.links.len(), 1);
        assert_eq!(overview.links[0].base_branch, "main");
        assert_eq!(overview.links[0].api_url, "http://127.0.0.1:9");
        assert_eq!(overview.status.repo.as_deref(), Some("acme/decisions"));
        let adrs = wb.list_full_adrs().await.unwrap();
        assert!(!adrs.is_empty());
        let keys: Vec<&str> = overview
            .status
            .documents
            .iter()
            .map(|d| d.key.as_str())
            .collect();
        assert_eq!(
            keys.iter().filter(|k| k.starts_with("adr:")).count(),
            adrs.len()
        );
        // The demo's matrices in scope, its roadmap and SLOs are documents too.
        assert!(keys.contains(&"compliance:soc2"), "{keys:?}");
        assert!(keys.contains(&"roadmap"), "{keys:?}");
        assert!(keys.iter().any(|k| k.starts_with("slo:")), "{keys:?}");
        assert!(overview
            .status
            .documents
            .iter()
            .all(|d| d.status == "not_published" && d.local_changes));
        assert!(overview.conflicts.is_empty());
    }

    /// A pulled ADR file whose number another process gave a record since
    /// the pull listed the local documents is refused under the import's
    /// write lock; that record is left as it is.
    #[tokio::test]
    async fn a_pulled_adr_never_overwrites_a_record_of_its_number() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("p.db");
        let app = Workbench::open(&db).await.unwrap();
        let cli = plasma_storage::Store::open(&db).await.unwrap();
        let ws = app.current_workspace().await.unwrap();
        let draft = |title: &str| plasma_models::AdrDraft {
            title: title.into(),
            ..Default::default()
        };
        assert!(app.store().list_adrs(ws.id).await.unwrap().is_empty());
        let theirs = cli
            .create_adr(ws.id, draft("Mine"), None, None)
            .await
            .unwrap();

        let err = import_new_adr(app.store(), ws.id, 1, draft("Remote"), "adr/0001-remote.md")
            .await
            .unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::Invalid, "{err}");
        let text = err.to_string();
        assert!(
            text.contains("adr/0001-remote.md") && text.contains("\"Mine\""),
            "{text}"
        );
        assert_eq!(app.store().list_adrs(ws.id).await.unwrap(), vec![theirs]);

        let made = import_new_adr(app.store(), ws.id, 2, draft("Remote"), "adr/0002-remote.md")
            .await
            .unwrap();
        assert_eq!((made.number, made.title.as_str()), (2, "Remote"));
        cli.close().await;
        app.close().await;
    }

    #[tokio::test]
    async fn sign_in_cannot_finish_before_it_starts() {
        let (_dir, wb) = bench().await;
        let err = wb.sync_sign_in_finish().await.unwrap_err();
        assert!(err.to_string().contains("no sign-in in progress"), "{err}");
        if std::env::var_os("PLASMA_GITHUB_CLIENT_ID").is_none() {
            let err = wb.sync_sign_in_start().await.unwrap_err();
            assert!(err.to_string().contains("PLASMA_GITHUB_CLIENT_ID"), "{err}");
        }
    }
}

//! The operations Plasma Plan offers, written once for both shells.
//!
//! The desktop app's commands and the CLI's subcommands are one-line calls
//! into [`Workbench`]; nothing here knows about windows or terminals, so every
//! operation runs (and is tested) without either.

mod adr_io;
pub mod compliance;
pub mod compliance_assessment;
mod demo;
mod demo_threats;
mod error;
pub mod generate;
mod paths;
mod roadmap;
mod search;
mod slos;
mod sync;
mod sync_control;
mod sync_docs;
mod threat_controls;
mod threat_edit;
mod threat_sessions;
mod threats;
mod workspace;

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{NaiveDate, Utc};
use plasma_exports::adr_markdown::{self, Template};
use plasma_exports::{graph_export, html};
use plasma_models::graph::supersede;
use plasma_models::{
    Adr, AdrDraft, AdrStatus, DecisionGraph, LinkKind, ModelError, Repository, Workspace,
};
pub use plasma_storage::RevisionSummary;
use plasma_storage::{SearchHit, Store};
use serde::{Deserialize, Serialize};
use specta::Type;
use uuid::Uuid;

/// How many ADRs a search returns, best first.
const ADR_SEARCH_HITS: u32 = 50;

pub use adr_io::{ExportReport, ImportNotice, ImportReport};

/// Writes records to a folder as [`Workbench::export_adrs`] does.
pub fn export_files(adrs: &[Adr], dir: &Path) -> Result<ExportReport> {
    adr_io::export_dir(adrs, dir)
}
pub use compliance::{
    render_compliance, CatalogImportReport, CellUpdate, ComplianceFormat, EvidenceInput,
    EvidencePackReport, FrameworkSummary, MatrixSnapshot, ThreatRef,
};
pub use error::{AppError, ErrorCode, WorkbenchError};
pub use paths::{default_db_path, resolve_db_path};
pub use plasma_exports::slo::SloFormat;
pub use plasma_exports::threat::{ThreatExportFormat, ThreatFormat};
pub use plasma_storage::StoredCell;
pub use plasma_storage::StoredThreatSession;
pub use plasma_storage::{ImportAction, StoredThreatModel};
pub use plasma_storage::{StoredDoraTargets, StoredInitiative, StoredSlo};
pub use roadmap::{
    InitiativeRow, RoadmapCheck, RoadmapExport, RoadmapFormat, RoadmapOverview, UnmetGates,
};
pub use search::{RecordHit, RecordKind, SearchResults};
pub use slos::{NewSlo, SloExportReport, SloFolderImportReport, SloImportReport, SloRow};
pub use sync::{
    ConflictItem, ConflictView, DocumentSyncStatus, ItemChoice, ItemTake, LinkedRepository,
    PublishReport, PublishTarget, PublishedDraft, PullReport, ResolveSide, SignInPrompt,
    SyncAccount, SyncAuth, SyncOverview, SyncStatus,
};
pub use sync_control::{CancelToken, ProgressReporter, SyncControl, SyncProgress};
pub use threat_controls::{ThreatControlEdit, ThreatControlLink};
pub use threat_edit::{NewThreat, ThreatEdit};
pub use threat_sessions::{Ruling, SessionView};
pub use threats::{
    is_unmitigated, GenerateReport, ThreatCheck, ThreatCounts, ThreatImportReport,
    ThreatModelSummary, ThreatReportFiles, ThreatRow,
};
pub use workspace::WorkspaceEdit;

pub type Result<T, E = WorkbenchError> = std::result::Result<T, E>;

const CURRENT_WORKSPACE: &str = "current_workspace";
/// Set once the demo workspace has been created in (or declined for) a
/// database, so deleting or renaming it never brings it back.
const DEMO_SEEDED: &str = "demo_seeded";

/// What [`Workbench::ensure_demo_workspace`] found before writing.
enum DemoStart {
    Seeded,
    /// Not seeded yet; the workspace in use, when there is one.
    Seed {
        in_use: Option<Workspace>,
    },
}

pub struct Workbench {
    store: Store,
    /// The desktop's sign-in in progress and the signed-in account (never the token).
    sync_session: std::sync::Mutex<sync::SyncSession>,
}

/// A filter value that is set and not blank.
fn wanted(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

/// What the ADR list shows: enough to filter and draw the graph, no bodies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct AdrSummary {
    pub id: Uuid,
    pub number: u32,
    pub title: String,
    pub status: AdrStatus,
    pub date: Option<NaiveDate>,
    pub tags: Vec<String>,
    pub repositories: Vec<String>,
    pub supersedes: Vec<u32>,
    pub superseded_by: Vec<u32>,
    pub updated_at: chrono::DateTime<Utc>,
}

impl From<&Adr> for AdrSummary {
    fn from(a: &Adr) -> AdrSummary {
        AdrSummary {
            id: a.id,
            number: a.number,
            title: a.title.clone(),
            status: a.status.clone(),
            date: a.date,
            tags: a.tags.clone(),
            repositories: a.repositories.clone(),
            supersedes: a.linked(LinkKind::Supersedes),
            superseded_by: a.linked(LinkKind::SupersededBy),
            updated_at: a.updated_at,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct AdrFilter {
    /// A status label ("accepted", or a custom one such as "on hold").
    pub status: Option<String>,
    pub tag: Option<String>,
    pub repository: Option<String>,
    /// Full-text query.
    pub query: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct AppInfo {
    pub version: String,
    pub db_path: String,
}

impl Workbench {
    pub async fn open(db_path: &Path) -> Result<Workbench> {
        Workbench::with_store(db_path, Store::open(db_path).await)
    }

    /// [`Workbench::open`] over one database connection, for a caller that
    /// runs one operation at a time, such as one CLI command (see
    /// [`Store::open_sequential`]).
    pub async fn open_sequential(db_path: &Path) -> Result<Workbench> {
        Workbench::with_store(db_path, Store::open_sequential(db_path).await)
    }

    fn with_store(
        db_path: &Path,
        store: std::result::Result<Store, plasma_storage::StoreError>,
    ) -> Result<Workbench> {
        // Say which file: "unable to open database file" alone is no help.
        let store = store.map_err(|e| WorkbenchError::Io {
            path: db_path.display().to_string(),
            reason: e.to_string(),
        })?;
        Ok(Workbench {
            store,
            sync_session: Default::default(),
        })
    }

    /// Closes the database cleanly (checkpointing the WAL).
    pub async fn close(&self) {
        self.store.close().await;
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn info(&self) -> AppInfo {
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            db_path: self.store.path().display().to_string(),
        }
    }

    // ---- workspaces -------------------------------------------------------

    /// First run of the desktop app (or `plasma demo`): the demo program,
    /// made current. Seeded once per database, even when the CLI came first
    /// and left an empty "Default" workspace behind; the demo then becomes
    /// current unless the workspace in use already holds something.
    pub async fn ensure_demo_workspace(&self) -> Result<Workspace> {
        match self.demo_start().await? {
            DemoStart::Seeded => self.current_workspace().await,
            DemoStart::Seed { in_use } => self.seed_demo(in_use).await,
        }
    }

    /// Whether the demo is still to be seeded, read before seeding.
    async fn demo_start(&self) -> Result<DemoStart> {
        if self.store.get_setting(DEMO_SEEDED).await?.is_some() {
            return Ok(DemoStart::Seeded);
        }
        let existing = self.store.list_workspaces().await?;
        // A workspace of the demo's name is the user's (or an old demo): leave it.
        if existing
            .iter()
            .any(|w| w.name.eq_ignore_ascii_case(demo::NAME))
        {
            self.store.set_setting(DEMO_SEEDED, "1").await?;
            return Ok(DemoStart::Seeded);
        }
        let in_use = match existing.is_empty() {
            true => None,
            false => Some(self.current_workspace().await?),
        };
        Ok(DemoStart::Seed { in_use })
    }

    async fn seed_demo(&self, in_use: Option<Workspace>) -> Result<Workspace> {
        let keep = match in_use {
            Some(current) if self.holds_anything(&current).await? => Some(current),
            _ => None,
        };
        // Two windows starting on a new database both get here; the demo's
        // name is checked under the write lock, so the second one finds
        // the first one's demo and seeds nothing (the first one's seed
        // marks the database seeded and makes the demo current).
        let Some(ws) = demo::seed(&self.store, keep.is_none()).await? else {
            return self.current_workspace().await;
        };
        Ok(keep.unwrap_or(ws))
    }

    /// Whether `ws` has repositories or any record: an empty one (the CLI's
    /// "Default" on a fresh database) gives way to the demo on first run.
    async fn holds_anything(&self, ws: &Workspace) -> Result<bool> {
        Ok(!ws.repositories.is_empty()
            || !self.store.list_adrs(ws.id).await?.is_empty()
            || !self.store.list_threat_models(ws.id).await?.is_empty()
            || !self.store.list_initiatives(ws.id).await?.is_empty()
            || !self.store.list_slos(ws.id).await?.is_empty())
    }

    /// The workspace commands act on: the one chosen last, else the first,
    /// else a new empty "Default" one (a fresh database used from the CLI).
    pub async fn current_workspace(&self) -> Result<Workspace> {
        if let Some(id) = self.store.get_setting(CURRENT_WORKSPACE).await? {
            if let Ok(id) = Uuid::parse_str(&id) {
                if let Ok(ws) = self.store.get_workspace(id).await {
                    return Ok(ws);
                }
            }
        }
        // One transaction: two processes on a new database share one
        // "Default" instead of making two of that name.
        let ws = self
            .store
            .first_workspace_or_create(&new_workspace("Default", &[]))
            .await?;
        self.store
            .set_setting(CURRENT_WORKSPACE, &ws.id.to_string())
            .await?;
        Ok(ws)
    }

    pub async fn list_workspaces(&self) -> Result<Vec<Workspace>> {
        Ok(self.store.list_workspaces().await?)
    }

    pub async fn switch_workspace(&self, id: Uuid) -> Result<Workspace> {
        let ws = self.store.get_workspace(id).await?;
        self.store
            .set_setting(CURRENT_WORKSPACE, &id.to_string())
            .await?;
        Ok(ws)
    }

    /// Selects a workspace by name or id (CLI `--workspace`).
    pub async fn use_workspace(&self, name_or_id: &str) -> Result<Workspace> {
        let all = self.store.list_workspaces().await?;
        let found = all
            .into_iter()
            .find(|w| w.name.eq_ignore_ascii_case(name_or_id) || w.id.to_string() == name_or_id);
        match found {
            Some(ws) => self.switch_workspace(ws.id).await,
            None => Err(WorkbenchError::NotFound(format!(
                "no workspace named \"{name_or_id}\" (see `plasma workspace list`)"
            ))),
        }
    }

    pub async fn create_workspace(&self, name: &str, repositories: &[String]) -> Result<Workspace> {
        let ws = new_workspace(name, repositories);
        ws.validate()?;
        // Checked under the write lock: another process may be creating
        // the same name.
        self.store
            .create_workspace_checked(&ws, |all| {
                match all.iter().any(|w| w.name.eq_ignore_ascii_case(&ws.name)) {
                    true => Err(workspace::name_taken(&ws.name)),
                    false => Ok(()),
                }
            })
            .await?;
        self.store
            .set_setting(CURRENT_WORKSPACE, &ws.id.to_string())
            .await?;
        Ok(ws)
    }

    // ---- ADRs -------------------------------------------------------------

    pub async fn list_adrs(&self, filter: &AdrFilter) -> Result<Vec<AdrSummary>> {
        let ws = self.current_workspace().await?;
        let adrs = self.store.list_adrs(ws.id).await?;
        let hits: Option<BTreeSet<Uuid>> = match filter.query.as_deref().map(str::trim) {
            Some(q) if !q.is_empty() => Some(
                self.store
                    .matching_adr_ids(ws.id, q)
                    .await?
                    .into_iter()
                    .collect(),
            ),
            _ => None,
        };
        Ok(adrs
            .iter()
            .filter(|a| {
                wanted(&filter.status).is_none_or(|s| a.status.label().eq_ignore_ascii_case(s))
            })
            .filter(|a| wanted(&filter.tag).is_none_or(|t| a.tags.iter().any(|x| x == t)))
            .filter(|a| {
                wanted(&filter.repository).is_none_or(|r| a.repositories.iter().any(|x| x == r))
            })
            .filter(|a| hits.as_ref().is_none_or(|h| h.contains(&a.id)))
            .map(AdrSummary::from)
            .collect())
    }

    pub async fn list_full_adrs(&self) -> Result<Vec<Adr>> {
        let ws = self.current_workspace().await?;
        Ok(self.store.list_adrs(ws.id).await?)
    }

    pub async fn get_adr(&self, id: Uuid) -> Result<Adr> {
        Ok(self.store.get_adr(id).await?)
    }

    pub async fn get_adr_by_number(&self, number: u32) -> Result<Adr> {
        let ws = self.current_workspace().await?;
        Ok(self.store.get_adr_by_number(ws.id, number).await?)
    }

    pub async fn create_adr(&self, title: &str, template: Template) -> Result<Adr> {
        let ws = self.current_workspace().await?;
        let mut draft = adr_markdown::render_template(template, title.trim());
        draft.date = Some(Utc::now().date_naive());
        draft.validate()?;
        Ok(self.store.create_adr(ws.id, draft, None, None).await?)
    }

    /// Saves a user's edit. Links may be edited too, so the resulting
    /// supersede relation is checked for cycles before anything is written.
    pub async fn save_adr(&self, id: Uuid, expected_revision: u32, draft: AdrDraft) -> Result<Adr> {
        draft.validate()?;
        let current = self.store.get_adr(id).await?;
        if draft.links == current.links {
            // The relation stays as it is (a stale revision is refused).
            return Ok(self.store.save_adr(id, expected_revision, draft).await?);
        }
        // The cycle check runs on the links stored when the write happens:
        // another process may have linked other records since our read.
        let mut saved = self
            .store
            .save_adrs_checked(current.workspace_id, true, |stored| {
                let mut all = stored.to_vec();
                for a in all.iter_mut().filter(|a| a.id == id) {
                    a.links = draft.links.clone();
                }
                if let Some(path) = DecisionGraph::build(&all).find_supersede_cycle() {
                    return Err(WorkbenchError::Model(ModelError::SupersedeCycle { path }));
                }
                Ok(vec![(id, expected_revision, draft)])
            })
            .await?;
        saved
            .pop()
            .ok_or_else(|| WorkbenchError::NotFound(format!("ADR {id}")))
    }

    /// `new` supersedes `old`; both records change in one transaction.
    pub async fn supersede(&self, old_id: Uuid, new_id: Uuid) -> Result<Vec<Adr>> {
        let old = self.store.get_adr(old_id).await?;
        let new = self.store.get_adr(new_id).await?;
        if old.workspace_id != new.workspace_id {
            return Err(WorkbenchError::Invalid(
                "both ADRs must belong to the same workspace".into(),
            ));
        }
        // Both records and the rest of the relation are taken as stored
        // under the write lock, so a link saved by another process since
        // our read cannot slip past the cycle check.
        self.store
            .save_adrs_checked(old.workspace_id, false, |stored| {
                let find = |id: Uuid| {
                    stored
                        .iter()
                        .find(|a| a.id == id)
                        .cloned()
                        .ok_or_else(|| WorkbenchError::NotFound(format!("ADR {id}")))
                };
                let (mut old, mut new) = (find(old_id)?, find(new_id)?);
                let others: Vec<Adr> = stored
                    .iter()
                    .filter(|a| a.id != old.id && a.id != new.id)
                    .cloned()
                    .collect();
                supersede(&others, &mut old, &mut new)?;
                Ok(vec![
                    (old.id, old.revision, old.draft()),
                    (new.id, new.revision, new.draft()),
                ])
            })
            .await
    }

    pub async fn supersede_by_number(&self, old: u32, new: u32) -> Result<Vec<Adr>> {
        let old = self.get_adr_by_number(old).await?;
        let new = self.get_adr_by_number(new).await?;
        self.supersede(old.id, new.id).await
    }

    pub async fn revisions(&self, id: Uuid) -> Result<Vec<RevisionSummary>> {
        Ok(self.store.list_revisions(id).await?)
    }

    pub async fn revision(&self, id: Uuid, revision: u32) -> Result<Adr> {
        Ok(self.store.get_revision(id, revision).await?)
    }

    pub async fn restore_revision(
        &self,
        id: Uuid,
        revision: u32,
        expected_revision: u32,
    ) -> Result<Adr> {
        Ok(self
            .store
            .restore_revision(id, revision, expected_revision)
            .await?)
    }

    pub async fn search(&self, query: &str) -> Result<Vec<SearchHit>> {
        let ws = self.current_workspace().await?;
        Ok(self.store.search(ws.id, query, ADR_SEARCH_HITS).await?)
    }

    pub fn render_markdown(&self, markdown: &str) -> String {
        html::render_markdown(markdown)
    }

    pub async fn decision_graph_svg(&self, dark: bool) -> Result<String> {
        Ok(graph_export::svg(&self.list_full_adrs().await?, dark))
    }

    pub async fn import_adrs(&self, dir: &Path) -> Result<ImportReport> {
        let ws = self.current_workspace().await?;
        adr_io::import_dir(&self.store, ws.id, dir).await
    }

    pub async fn export_adrs(&self, dir: &Path) -> Result<ExportReport> {
        adr_io::export_dir(&self.list_full_adrs().await?, dir)
    }
}

/// A new workspace named `name` with `repositories` (trimmed), not stored.
fn new_workspace(name: &str, repositories: &[String]) -> Workspace {
    Workspace {
        id: Uuid::new_v4(),
        name: name.trim().to_string(),
        description: String::new(),
        repositories: repositories
            .iter()
            .map(|r| Repository {
                name: r.trim().to_string(),
                description: String::new(),
            })
            .collect(),
        created_at: Utc::now(),
    }
}

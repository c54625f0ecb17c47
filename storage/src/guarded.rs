//! Workspace writes whose caller checks a rule over other rows (a unique
//! name, records that still name a repository): the rows are read inside
//! the write transaction and handed to the caller's check, so no other
//! process can write between the check and the write. What the rule is
//! stays with the caller.

use plasma_models::{Adr, Workspace};
use uuid::Uuid;

use crate::adr::all_in_workspace;
use crate::codec::time_text;
use crate::compliance::{cells_in, StoredCell};
use crate::error::DbContext;
use crate::roadmap::{initiatives_in, StoredInitiative};
use crate::sync::{links_in, SyncLink};
use crate::threat::{models_in, StoredThreatModel};
use crate::{read_workspace, read_workspaces, workspace_change, write_repositories};
use crate::{Result, Store, StoreError, Tx};

/// The records of a workspace, as read under a write lock for a check.
#[derive(Debug, Clone, Default)]
pub struct WorkspaceRecords {
    pub adrs: Vec<Adr>,
    pub cells: Vec<StoredCell>,
    pub threat_models: Vec<StoredThreatModel>,
    pub initiatives: Vec<StoredInitiative>,
    pub sync_links: Vec<SyncLink>,
}

async fn records_in(tx: &mut Tx, workspace: Uuid) -> Result<WorkspaceRecords> {
    Ok(WorkspaceRecords {
        adrs: all_in_workspace(tx, workspace).await?,
        cells: cells_in(tx, workspace).await?,
        threat_models: models_in(tx, workspace).await?,
        initiatives: initiatives_in(tx, workspace).await?,
        sync_links: links_in(tx, workspace).await?,
    })
}

pub(crate) async fn insert_workspace(tx: &mut Tx, ws: &Workspace) -> Result<()> {
    let exists: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM workspaces WHERE id = ?")
        .bind(ws.id.to_string())
        .fetch_optional(&mut **tx)
        .await
        .db("creating a workspace")?;
    if exists.is_some() {
        return Err(StoreError::Invalid(format!(
            "a workspace with id {} already exists",
            ws.id
        )));
    }
    sqlx::query("INSERT INTO workspaces (id, name, description, created_at) VALUES (?, ?, ?, ?)")
        .bind(ws.id.to_string())
        .bind(&ws.name)
        .bind(&ws.description)
        .bind(time_text(ws.created_at))
        .execute(&mut **tx)
        .await
        .db("creating a workspace")?;
    write_repositories(tx, ws).await
}

impl Store {
    /// Creates `ws` unless `check`, given every workspace as stored under
    /// the write lock, refuses (e.g. its name is taken).
    pub async fn create_workspace_checked<E, F>(
        &self,
        ws: &Workspace,
        check: F,
    ) -> std::result::Result<(), E>
    where
        E: From<StoreError>,
        F: FnOnce(&[Workspace]) -> std::result::Result<(), E>,
    {
        ws.validate().map_err(StoreError::from)?;
        let mut tx = self.write_tx("creating a workspace").await?;
        check(&read_workspaces(&mut tx).await?)?;
        insert_workspace(&mut tx, ws).await?;
        Ok(tx.commit().await.db("creating a workspace")?)
    }

    /// The oldest workspace, or `ws` created when there is none: two
    /// processes starting on a new database end up with one.
    pub async fn first_workspace_or_create(&self, ws: &Workspace) -> Result<Workspace> {
        ws.validate()?;
        if self.is_read_only() {
            // Nothing can be created, and nothing else writes the file.
            return match self.list_workspaces().await?.into_iter().next() {
                Some(first) => Ok(first),
                None => Err(StoreError::ReadOnly {
                    op: "creating a workspace",
                }
                .naming_file(&self.path)),
            };
        }
        let mut tx = self.write_tx("creating a workspace").await?;
        if let Some(first) = read_workspaces(&mut tx).await?.into_iter().next() {
            return Ok(first);
        }
        insert_workspace(&mut tx, ws).await?;
        // As stored (times keep microseconds), like every later read.
        let made = read_workspace(&mut tx, ws.id).await?;
        tx.commit().await.db("creating a workspace")?;
        Ok(made)
    }

    /// [`Store::update_workspace`] with a caller's `check` run under the
    /// same write lock, after the stored workspace was found unchanged:
    /// it gets every other workspace and, when `read_records`, the
    /// workspace's records (else none), and refuses with its own error.
    pub async fn update_workspace_checked<E, F>(
        &self,
        ws: &Workspace,
        expected: &Workspace,
        read_records: bool,
        check: F,
    ) -> std::result::Result<(), E>
    where
        E: From<StoreError>,
        F: FnOnce(&[Workspace], &WorkspaceRecords) -> std::result::Result<(), E>,
    {
        ws.validate().map_err(StoreError::from)?;
        let mut tx = self.write_tx("updating a workspace").await?;
        let stored = read_workspace(&mut tx, ws.id).await?;
        if let Some(change) = workspace_change(expected, &stored) {
            return Err(StoreError::ChangedElsewhere {
                what: format!("workspace \"{}\"", expected.name),
                change,
            }
            .into());
        }
        let others: Vec<Workspace> = read_workspaces(&mut tx)
            .await?
            .into_iter()
            .filter(|w| w.id != ws.id)
            .collect();
        let records = match read_records {
            true => records_in(&mut tx, ws.id).await?,
            false => WorkspaceRecords::default(),
        };
        check(&others, &records)?;
        let op = "updating a workspace";
        sqlx::query("UPDATE workspaces SET name = ?, description = ? WHERE id = ?")
            .bind(&ws.name)
            .bind(&ws.description)
            .bind(ws.id.to_string())
            .execute(&mut *tx)
            .await
            .db(op)?;
        sqlx::query("DELETE FROM repositories WHERE workspace_id = ?")
            .bind(ws.id.to_string())
            .execute(&mut *tx)
            .await
            .db(op)?;
        write_repositories(&mut tx, ws).await?;
        Ok(tx.commit().await.db(op)?)
    }
}

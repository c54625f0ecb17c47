//! Compliance matrices: imported catalogs, the frameworks in scope, mapping
//! edits, and matrix cells with revisions and optimistic concurrency.
//!
//! A cell's `doc` (the whole [`Cell`] as JSON) is the truth. Saving cells
//! names, for each, the revision it was based on (0 for a cell that does not
//! exist yet); if any of them moved on, the whole batch is refused with
//! [`StoreError::Conflict`] and nothing is written, so a bulk edit is all or
//! nothing.

use chrono::{DateTime, Utc};
use plasma_models::compliance::{Cell, ControlRef, Framework, MappingOverride};
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::SqliteConnection;
use uuid::Uuid;

use crate::codec::{parse_time, push_changed, stored_u32, time_text};
use crate::error::DbContext;
use crate::{ImportAction, Result, Store, StoreError};

/// A cell as stored: the cell and the revision it is at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct StoredCell {
    pub cell: Cell,
    /// 1 after creation, one more after each effective save.
    pub revision: u32,
    pub updated_at: DateTime<Utc>,
}

/// One cell of a batch save: the new content and the revision it was
/// based on (0 when the cell is new).
#[derive(Debug, Clone, PartialEq)]
pub struct CellSave {
    pub cell: Cell,
    pub expected_revision: u32,
}

type CellRow = (i64, String, String);

fn decode_cell(row: CellRow) -> Result<StoredCell> {
    let (revision, updated_at, doc) = row;
    let cell: Cell =
        serde_json::from_str(&doc).map_err(|e| StoreError::corrupt("compliance cell", e))?;
    let what = format!("cell {} in {}", cell.control, cell.repository);
    Ok(StoredCell {
        revision: stored_u32(revision, &what)?,
        updated_at: parse_time(&updated_at, &what)?,
        cell,
    })
}

async fn fetch_cell(
    conn: &mut SqliteConnection,
    workspace: Uuid,
    control: &ControlRef,
    repository: &str,
) -> Result<Option<StoredCell>> {
    let row: Option<CellRow> = sqlx::query_as(
        "SELECT revision, updated_at, doc FROM compliance_cells
         WHERE workspace_id = ? AND framework_id = ? AND control_id = ? AND repository = ?",
    )
    .bind(workspace.to_string())
    .bind(&control.framework)
    .bind(&control.control)
    .bind(repository)
    .fetch_optional(conn)
    .await
    .db("reading a compliance cell")?;
    row.map(decode_cell).transpose()
}

/// Names of the cell fields that differ, in declaration order.
fn changed_fields(old: &Cell, new: &Cell) -> Vec<&'static str> {
    // Destructured so a field added to Cell fails to compile here until it
    // is compared too.
    let Cell {
        control: _,
        repository: _,
        applicable,
        not_applicable_reason,
        status,
        owner,
        narrative,
        last_reviewed,
        evidence,
        threats,
        adrs,
    } = old;
    let mut out = Vec::new();
    push_changed!(out, new;
        applicable,
        not_applicable_reason,
        status,
        owner,
        narrative,
        last_reviewed,
        evidence,
        threats,
        adrs
    );
    out
}

/// Every cell of a workspace, read on one connection (a transaction's, for
/// a check before a write).
pub(crate) async fn cells_in(
    conn: &mut SqliteConnection,
    workspace: Uuid,
) -> Result<Vec<StoredCell>> {
    let rows: Vec<CellRow> = sqlx::query_as(
        "SELECT revision, updated_at, doc FROM compliance_cells WHERE workspace_id = ?
         ORDER BY framework_id, control_id, repository",
    )
    .bind(workspace.to_string())
    .fetch_all(conn)
    .await
    .db("listing compliance cells")?;
    rows.into_iter().map(decode_cell).collect()
}

async fn ensure_workspace(conn: &mut SqliteConnection, workspace: Uuid) -> Result<()> {
    let ws: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM workspaces WHERE id = ?")
        .bind(workspace.to_string())
        .fetch_optional(conn)
        .await
        .db("reading a workspace")?;
    match ws {
        Some(_) => Ok(()),
        None => Err(StoreError::not_found(format!("workspace {workspace}"))),
    }
}

/// [`Store::save_cells`] inside the caller's write transaction.
pub(crate) async fn save_cells_in(
    tx: &mut SqliteConnection,
    workspace: Uuid,
    saves: &[CellSave],
) -> Result<Vec<StoredCell>> {
    for s in saves {
        s.cell
            .validate()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
    }
    ensure_workspace(tx, workspace).await?;
    let now = Utc::now();
    let mut out = Vec::with_capacity(saves.len());
    for s in saves {
        let c = &s.cell;
        let current = fetch_cell(tx, workspace, &c.control, &c.repository).await?;
        let actual = current.as_ref().map_or(0, |x| x.revision);
        if actual != s.expected_revision {
            return Err(StoreError::Conflict {
                what: format!("cell {} in {}", c.control, c.repository),
                expected: s.expected_revision,
                actual,
            });
        }
        let summary = match &current {
            Some(old) => {
                let changed = changed_fields(&old.cell, c);
                if changed.is_empty() {
                    out.push(old.clone());
                    continue;
                }
                changed.join(", ")
            }
            None => "created".to_string(),
        };
        let revision = actual + 1;
        let doc =
            serde_json::to_string(c).map_err(|e| StoreError::corrupt("compliance cell", e))?;
        sqlx::query(
            "INSERT INTO compliance_cells
               (workspace_id, framework_id, control_id, repository, revision, updated_at, doc)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (workspace_id, framework_id, control_id, repository)
             DO UPDATE SET revision = excluded.revision, updated_at = excluded.updated_at,
                           doc = excluded.doc",
        )
        .bind(workspace.to_string())
        .bind(&c.control.framework)
        .bind(&c.control.control)
        .bind(&c.repository)
        .bind(i64::from(revision))
        .bind(time_text(now))
        .bind(&doc)
        .execute(&mut *tx)
        .await
        .db("saving compliance cells")?;
        sqlx::query(
            "INSERT INTO compliance_cell_revisions
               (workspace_id, framework_id, control_id, repository, revision, saved_at,
                summary, doc)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(workspace.to_string())
        .bind(&c.control.framework)
        .bind(&c.control.control)
        .bind(&c.repository)
        .bind(i64::from(revision))
        .bind(time_text(now))
        .bind(&summary)
        .bind(&doc)
        .execute(&mut *tx)
        .await
        .db("recording a compliance cell revision")?;
        out.push(StoredCell {
            cell: c.clone(),
            revision,
            updated_at: now,
        });
    }
    Ok(out)
}

impl Store {
    // ---- imported catalogs ------------------------------------------------

    pub async fn list_imported_frameworks(&self, workspace: Uuid) -> Result<Vec<Framework>> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT framework_id, doc FROM compliance_frameworks
             WHERE workspace_id = ? ORDER BY framework_id",
        )
        .bind(workspace.to_string())
        .fetch_all(&self.pool)
        .await
        .db("listing imported catalogs")?;
        rows.into_iter()
            .map(|(id, doc)| {
                serde_json::from_str(&doc)
                    .map_err(|e| StoreError::corrupt(format!("catalog \"{id}\""), e))
            })
            .collect()
    }

    /// Stores an imported catalog, replacing one with the same id. Cells of
    /// controls the new version no longer has are kept (nothing a user
    /// wrote is dropped); roll-ups ignore them.
    pub async fn save_imported_framework(
        &self,
        workspace: Uuid,
        framework: &Framework,
    ) -> Result<ImportAction> {
        framework
            .validate()
            .map_err(|e| StoreError::Invalid(format!("catalog \"{}\": {e}", framework.id)))?;
        let doc = serde_json::to_string(framework)
            .map_err(|e| StoreError::corrupt(format!("catalog \"{}\"", framework.id), e))?;
        let mut tx = self.write_tx("importing a catalog").await?;
        ensure_workspace(&mut tx, workspace).await?;
        let old: Option<(String,)> = sqlx::query_as(
            "SELECT doc FROM compliance_frameworks WHERE workspace_id = ? AND framework_id = ?",
        )
        .bind(workspace.to_string())
        .bind(&framework.id)
        .fetch_optional(&mut *tx)
        .await
        .db("importing a catalog")?;
        let action = match old {
            Some((d,)) if d == doc => return Ok(ImportAction::Unchanged),
            Some(_) => ImportAction::Updated,
            None => ImportAction::Created,
        };
        sqlx::query(
            "INSERT INTO compliance_frameworks (workspace_id, framework_id, imported_at, doc)
             VALUES (?, ?, ?, ?)
             ON CONFLICT (workspace_id, framework_id)
             DO UPDATE SET imported_at = excluded.imported_at, doc = excluded.doc",
        )
        .bind(workspace.to_string())
        .bind(&framework.id)
        .bind(time_text(Utc::now()))
        .bind(&doc)
        .execute(&mut *tx)
        .await
        .db("importing a catalog")?;
        tx.commit().await.db("importing a catalog")?;
        Ok(action)
    }

    // ---- scope ------------------------------------------------------------

    /// The framework ids in scope, in order. `None` when the workspace never
    /// chose (the caller applies its default).
    pub async fn compliance_scope(&self, workspace: Uuid) -> Result<Option<Vec<String>>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT framework_id FROM compliance_scope WHERE workspace_id = ? ORDER BY position",
        )
        .bind(workspace.to_string())
        .fetch_all(&self.pool)
        .await
        .db("reading the compliance scope")?;
        let chosen: Option<String> = self
            .get_setting(&format!("compliance_scope_set:{workspace}"))
            .await?;
        if rows.is_empty() && chosen.is_none() {
            return Ok(None);
        }
        Ok(Some(rows.into_iter().map(|(id,)| id).collect()))
    }

    pub async fn set_compliance_scope(&self, workspace: Uuid, frameworks: &[String]) -> Result<()> {
        let mut tx = self.write_tx("saving the compliance scope").await?;
        ensure_workspace(&mut tx, workspace).await?;
        sqlx::query("DELETE FROM compliance_scope WHERE workspace_id = ?")
            .bind(workspace.to_string())
            .execute(&mut *tx)
            .await
            .db("saving the compliance scope")?;
        for (position, id) in frameworks.iter().enumerate() {
            sqlx::query(
                "INSERT INTO compliance_scope (workspace_id, framework_id, position) VALUES (?, ?, ?)",
            )
            .bind(workspace.to_string())
            .bind(id)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await
            .db("saving the compliance scope")?;
        }
        // Remembers that the (possibly empty) scope was chosen on purpose.
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, '1')
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(format!("compliance_scope_set:{workspace}"))
        .execute(&mut *tx)
        .await
        .db("saving the compliance scope")?;
        tx.commit().await.db("saving the compliance scope")
    }

    // ---- mapping edits ----------------------------------------------------

    pub async fn list_mapping_overrides(&self, workspace: Uuid) -> Result<Vec<MappingOverride>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT doc FROM compliance_mapping_overrides
             WHERE workspace_id = ? ORDER BY source, target",
        )
        .bind(workspace.to_string())
        .fetch_all(&self.pool)
        .await
        .db("listing mapping edits")?;
        rows.into_iter()
            .map(|(doc,)| {
                serde_json::from_str(&doc).map_err(|e| StoreError::corrupt("mapping edit", e))
            })
            .collect()
    }

    pub async fn save_mapping_override(
        &self,
        workspace: Uuid,
        edit: &MappingOverride,
    ) -> Result<()> {
        let doc =
            serde_json::to_string(edit).map_err(|e| StoreError::corrupt("mapping edit", e))?;
        let mut tx = self.write_tx("saving a mapping").await?;
        ensure_workspace(&mut tx, workspace).await?;
        sqlx::query(
            "INSERT INTO compliance_mapping_overrides (workspace_id, source, target, updated_at, doc)
             VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (workspace_id, source, target)
             DO UPDATE SET updated_at = excluded.updated_at, doc = excluded.doc",
        )
        .bind(workspace.to_string())
        .bind(edit.source.to_string())
        .bind(edit.target.to_string())
        .bind(time_text(Utc::now()))
        .bind(&doc)
        .execute(&mut *tx)
        .await
        .db("saving a mapping")?;
        tx.commit().await.db("saving a mapping")
    }

    // ---- cells ------------------------------------------------------------

    /// Every cell of a workspace, by framework, control and repository.
    pub async fn list_cells(&self, workspace: Uuid) -> Result<Vec<StoredCell>> {
        let mut conn = self.pool.acquire().await.db("listing compliance cells")?;
        cells_in(&mut conn, workspace).await
    }

    pub async fn get_cell(
        &self,
        workspace: Uuid,
        control: &ControlRef,
        repository: &str,
    ) -> Result<Option<StoredCell>> {
        let mut conn = self.pool.acquire().await.db("reading a compliance cell")?;
        fetch_cell(&mut conn, workspace, control, repository).await
    }

    /// Saves cells in one transaction (see the module docs). A cell equal to
    /// the stored one keeps its revision; any other save appends a revision
    /// naming the fields that changed.
    pub async fn save_cells(&self, workspace: Uuid, saves: &[CellSave]) -> Result<Vec<StoredCell>> {
        let mut tx = self.write_tx("saving compliance cells").await?;
        let out = save_cells_in(&mut tx, workspace, saves).await?;
        tx.commit().await.db("saving compliance cells")?;
        Ok(out)
    }

    /// A cell's history, newest first: (revision, saved at, summary).
    pub async fn cell_revisions(
        &self,
        workspace: Uuid,
        control: &ControlRef,
        repository: &str,
    ) -> Result<Vec<crate::RevisionSummary>> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT revision, saved_at, summary FROM compliance_cell_revisions
             WHERE workspace_id = ? AND framework_id = ? AND control_id = ? AND repository = ?
             ORDER BY revision DESC",
        )
        .bind(workspace.to_string())
        .bind(&control.framework)
        .bind(&control.control)
        .bind(repository)
        .fetch_all(&self.pool)
        .await
        .db("reading a compliance cell's history")?;
        rows.into_iter()
            .map(|(revision, saved_at, summary)| {
                Ok(crate::RevisionSummary {
                    revision: stored_u32(revision, "cell revision")?,
                    saved_at: parse_time(&saved_at, "cell revision")?,
                    summary,
                })
            })
            .collect()
    }
}

//! Roadmap initiatives, SLOs and DORA targets (migration 0004): one JSON
//! document per record (the truth), a few columns to query by, a revision
//! row per create and effective save, optimistic concurrency like ADRs and
//! threat models.
//!
//! Invariant: the stored initiatives of a workspace always form a valid
//! plan (known dependencies, no cycle). Every create, save and delete
//! checks the whole plan inside its write transaction, so two processes
//! cannot together close a cycle.

use chrono::{DateTime, Utc};
use plasma_models::roadmap::{Initiative, Plan, RoadmapError};
use plasma_models::slo::{DoraTarget, Slo};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::SqliteConnection;
use uuid::Uuid;

use crate::codec::{parse_time, revision_summaries, stored_u32, time_text};
use crate::error::DbContext;
use crate::{ImportAction, Result, RevisionSummary, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct StoredInitiative {
    pub initiative: Initiative,
    pub revision: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct StoredSlo {
    pub slo: Slo,
    pub revision: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct StoredDoraTargets {
    pub targets: Vec<DoraTarget>,
    /// 0 when the workspace has none yet.
    pub revision: u32,
}

/// The two record tables share their shape; this names one of them.
struct Table {
    table: &'static str,
    revisions: &'static str,
    fk: &'static str,
    what: &'static str,
}

const INITIATIVES: Table = Table {
    table: "initiatives",
    revisions: "initiative_revisions",
    fk: "initiative_id",
    what: "initiative",
};

const SLOS: Table = Table {
    table: "slos",
    revisions: "slo_revisions",
    fk: "slo_id",
    what: "SLO",
};

type Row = (String, i64, String, String);

struct Decoded<T> {
    doc: T,
    revision: u32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn decode<T: DeserializeOwned>(row: Row, what: &str) -> Result<Decoded<T>> {
    let (doc, revision, created_at, updated_at) = row;
    Ok(Decoded {
        doc: serde_json::from_str(&doc).map_err(|e| StoreError::corrupt(what, e))?,
        revision: stored_u32(revision, what)?,
        created_at: parse_time(&created_at, what)?,
        updated_at: parse_time(&updated_at, what)?,
    })
}

fn to_json<T: Serialize>(v: &T, what: &str) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::corrupt(what, e))
}

/// Top-level fields whose values differ, in the new document's order.
fn changed_keys(old: &str, new: &str) -> Vec<String> {
    let parse = |s: &str| serde_json::from_str::<serde_json::Value>(s).ok();
    match (parse(old), parse(new)) {
        (Some(serde_json::Value::Object(a)), Some(serde_json::Value::Object(b))) => b
            .iter()
            .filter(|(k, v)| a.get(*k) != Some(*v))
            .map(|(k, _)| k.clone())
            .collect(),
        _ => vec!["document".into()],
    }
}

impl From<RoadmapError> for StoreError {
    fn from(e: RoadmapError) -> StoreError {
        StoreError::Roadmap(e)
    }
}

async fn fetch_row(conn: &mut SqliteConnection, t: &Table, id: Uuid) -> Result<Option<Row>> {
    sqlx::query_as(&format!(
        "SELECT doc, revision, created_at, updated_at FROM {} WHERE id = ?",
        t.table
    ))
    .bind(id.to_string())
    .fetch_optional(conn)
    .await
    .db("reading a record")
}

async fn append_revision(
    conn: &mut SqliteConnection,
    t: &Table,
    id: Uuid,
    revision: u32,
    at: DateTime<Utc>,
    summary: &str,
    doc: &str,
) -> Result<()> {
    sqlx::query(&format!(
        "INSERT INTO {} ({}, revision, saved_at, summary, doc) VALUES (?, ?, ?, ?, ?)",
        t.revisions, t.fk
    ))
    .bind(id.to_string())
    .bind(i64::from(revision))
    .bind(time_text(at))
    .bind(summary)
    .bind(doc)
    .execute(conn)
    .await
    .db("recording a revision")?;
    Ok(())
}

async fn ensure_workspace(conn: &mut SqliteConnection, ws: Uuid) -> Result<()> {
    let found: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM workspaces WHERE id = ?")
        .bind(ws.to_string())
        .fetch_optional(conn)
        .await
        .db("reading a workspace")?;
    found
        .map(|_| ())
        .ok_or_else(|| StoreError::not_found(format!("workspace {ws}")))
}

pub(crate) async fn initiatives_in(
    conn: &mut SqliteConnection,
    ws: Uuid,
) -> Result<Vec<StoredInitiative>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT doc, revision, created_at, updated_at FROM initiatives
         WHERE workspace_id = ? ORDER BY position, key",
    )
    .bind(ws.to_string())
    .fetch_all(conn)
    .await
    .db("listing initiatives")?;
    rows.into_iter()
        .map(|r| {
            let d: Decoded<Initiative> = decode(r, "initiative")?;
            Ok(StoredInitiative {
                initiative: d.doc,
                revision: d.revision,
                created_at: d.created_at,
                updated_at: d.updated_at,
            })
        })
        .collect()
}

/// Saves `doc` over the record `id` at `expected` revision, inside `tx`.
/// Returns `None` when nothing changed (no new revision).
async fn save_doc(
    tx: &mut SqliteConnection,
    t: &Table,
    id: Uuid,
    expected: u32,
    doc: &str,
    label: &str,
    summary: Option<&str>,
) -> Result<Option<(u32, DateTime<Utc>, DateTime<Utc>)>> {
    let row = fetch_row(tx, t, id)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("{} {id}", t.what)))?;
    let current: Decoded<serde_json::Value> = decode(row.clone(), t.what)?;
    if current.revision != expected {
        return Err(StoreError::Conflict {
            what: label.to_string(),
            expected,
            actual: current.revision,
        });
    }
    let changed = changed_keys(&row.0, doc);
    if changed.is_empty() {
        return Ok(None);
    }
    let revision = current
        .revision
        .checked_add(1)
        .ok_or_else(|| StoreError::Invalid(format!("{label} has too many revisions")))?;
    let now = Utc::now();
    sqlx::query(&format!(
        "UPDATE {} SET revision = ?, updated_at = ?, doc = ? WHERE id = ? AND revision = ?",
        t.table
    ))
    .bind(i64::from(revision))
    .bind(time_text(now))
    .bind(doc)
    .bind(id.to_string())
    .bind(i64::from(current.revision))
    .execute(&mut *tx)
    .await
    .db("saving a record")?;
    let summary = match summary {
        Some(s) => format!("{s}: {}", changed.join(", ")),
        None => changed.join(", "),
    };
    append_revision(tx, t, id, revision, now, &summary, doc).await?;
    Ok(Some((revision, current.created_at, now)))
}

async fn history(store: &Store, t: &Table, id: Uuid) -> Result<Vec<RevisionSummary>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(&format!(
        "SELECT revision, saved_at, summary FROM {} WHERE {} = ? ORDER BY revision DESC",
        t.revisions, t.fk
    ))
    .bind(id.to_string())
    .fetch_all(&store.pool)
    .await
    .db("listing revisions")?;
    if rows.is_empty() {
        return Err(StoreError::not_found(format!("{} {id}", t.what)));
    }
    revision_summaries(rows)
}

async fn revision_doc<T: DeserializeOwned>(
    store: &Store,
    t: &Table,
    id: Uuid,
    revision: u32,
) -> Result<T> {
    let row: Option<(String,)> = sqlx::query_as(&format!(
        "SELECT doc FROM {} WHERE {} = ? AND revision = ?",
        t.revisions, t.fk
    ))
    .bind(id.to_string())
    .bind(i64::from(revision))
    .fetch_optional(&store.pool)
    .await
    .db("reading a revision")?;
    let what = format!("revision {revision} of {} {id}", t.what);
    let (doc,) = row.ok_or_else(|| StoreError::not_found(what.clone()))?;
    serde_json::from_str(&doc).map_err(|e| StoreError::corrupt(what, e))
}

/// The plan with `changed` in place of the stored initiative of the same
/// id (or added), so a save that would break the plan is refused.
fn check_plan(
    stored: &[StoredInitiative],
    changed: Option<&Initiative>,
    removed: Option<Uuid>,
) -> Result<()> {
    let mut list: Vec<Initiative> = stored
        .iter()
        .map(|s| s.initiative.clone())
        .filter(|i| Some(i.id) != removed)
        .collect();
    if let Some(c) = changed {
        match list.iter_mut().find(|i| i.id == c.id) {
            Some(slot) => *slot = c.clone(),
            None => list.push(c.clone()),
        }
    }
    Plan::build(&list)?;
    Ok(())
}

/// [`Store::create_initiative`] inside the caller's write transaction.
pub(crate) async fn create_initiative_in(
    tx: &mut SqliteConnection,
    initiative: &Initiative,
) -> Result<StoredInitiative> {
    initiative.validate()?;
    ensure_workspace(tx, initiative.workspace_id).await?;
    let stored = initiatives_in(tx, initiative.workspace_id).await?;
    if stored.iter().any(|s| s.initiative.id == initiative.id) {
        return Err(StoreError::Invalid(format!(
            "an initiative with id {} already exists",
            initiative.id
        )));
    }
    if stored
        .iter()
        .any(|s| s.initiative.key.eq_ignore_ascii_case(&initiative.key))
    {
        return Err(StoreError::Invalid(format!(
            "an initiative with key \"{}\" already exists in this workspace",
            initiative.key
        )));
    }
    check_plan(&stored, Some(initiative), None)?;
    let doc = to_json(initiative, "initiative")?;
    let now = Utc::now();
    sqlx::query(
        "INSERT INTO initiatives (id, workspace_id, key, position, revision, created_at, updated_at, doc)
         VALUES (?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM initiatives WHERE workspace_id = ?), 1, ?, ?, ?)",
    )
    .bind(initiative.id.to_string())
    .bind(initiative.workspace_id.to_string())
    .bind(&initiative.key)
    .bind(initiative.workspace_id.to_string())
    .bind(time_text(now))
    .bind(time_text(now))
    .bind(&doc)
    .execute(&mut *tx)
    .await
    .db("creating an initiative")?;
    append_revision(tx, &INITIATIVES, initiative.id, 1, now, "created", &doc).await?;
    Ok(StoredInitiative {
        initiative: initiative.clone(),
        revision: 1,
        created_at: now,
        updated_at: now,
    })
}

/// [`Store::import_slos`] inside the caller's write transaction.
pub(crate) async fn import_slos_in(
    tx: &mut SqliteConnection,
    slos: &[Slo],
    source: &str,
) -> Result<Vec<(String, ImportAction)>> {
    for s in slos {
        s.validate()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
    }
    let mut out = Vec::new();
    for s in slos {
        ensure_workspace(tx, s.workspace_id).await?;
        match Store::slo_row_by_handle(tx, s).await? {
            None => {
                Store::insert_slo(tx, s).await?;
                out.push((s.handle(), ImportAction::Created));
            }
            Some((id, revision)) => {
                let id = crate::codec::parse_uuid(&id, "SLO id")?;
                let row = fetch_row(tx, &SLOS, id)
                    .await?
                    .ok_or_else(|| StoreError::not_found(format!("SLO {id}")))?;
                let current: Decoded<Slo> = decode(row, "SLO")?;
                let mut merged = s.clone();
                merged.id = id;
                if merged.alerting == Default::default() {
                    merged.alerting = current.doc.alerting.clone();
                }
                if merged.expected_events.is_none() {
                    merged.expected_events = current.doc.expected_events;
                }
                let doc = to_json(&merged, "SLO")?;
                let changed = save_doc(
                    tx,
                    &SLOS,
                    id,
                    stored_u32(revision, "SLO revision")?,
                    &doc,
                    &format!("SLO \"{}\"", s.handle()),
                    Some(&format!("imported from {source}")),
                )
                .await?;
                out.push((
                    s.handle(),
                    if changed.is_some() {
                        ImportAction::Updated
                    } else {
                        ImportAction::Unchanged
                    },
                ));
            }
        }
    }
    Ok(out)
}

/// [`Store::save_dora_targets`] inside the caller's write transaction.
pub(crate) async fn save_dora_in(
    tx: &mut SqliteConnection,
    workspace: Uuid,
    expected_revision: u32,
    targets: &[DoraTarget],
) -> Result<StoredDoraTargets> {
    ensure_workspace(tx, workspace).await?;
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT revision FROM dora_targets WHERE workspace_id = ?")
            .bind(workspace.to_string())
            .fetch_optional(&mut *tx)
            .await
            .db("reading DORA targets")?;
    let actual = match row {
        Some((r,)) => stored_u32(r, "DORA targets")?,
        None => 0,
    };
    if actual != expected_revision {
        return Err(StoreError::Conflict {
            what: "the DORA targets".into(),
            expected: expected_revision,
            actual,
        });
    }
    let revision = actual + 1;
    let doc = to_json(&targets, "DORA targets")?;
    sqlx::query(
        "INSERT INTO dora_targets (workspace_id, revision, updated_at, doc) VALUES (?, ?, ?, ?)
         ON CONFLICT (workspace_id) DO UPDATE SET revision = excluded.revision,
             updated_at = excluded.updated_at, doc = excluded.doc",
    )
    .bind(workspace.to_string())
    .bind(i64::from(revision))
    .bind(time_text(Utc::now()))
    .bind(&doc)
    .execute(&mut *tx)
    .await
    .db("saving DORA targets")?;
    Ok(StoredDoraTargets {
        targets: targets.to_vec(),
        revision,
    })
}

impl Store {
    // ------------------------------------------------------------ initiatives

    /// A workspace's initiatives in the order they were added.
    pub async fn list_initiatives(&self, workspace: Uuid) -> Result<Vec<StoredInitiative>> {
        let mut conn = self.pool.acquire().await.db("listing initiatives")?;
        initiatives_in(&mut conn, workspace).await
    }

    /// The initiative whose key (ASCII case ignored) or id is `key_or_id`.
    pub async fn get_initiative(
        &self,
        workspace: Uuid,
        key_or_id: &str,
    ) -> Result<StoredInitiative> {
        let wanted = key_or_id.trim();
        let all = self.list_initiatives(workspace).await?;
        all.into_iter()
            .find(|s| {
                s.initiative.key.eq_ignore_ascii_case(wanted)
                    || s.initiative.id.to_string() == wanted
            })
            .ok_or_else(|| StoreError::not_found(format!("initiative \"{wanted}\"")))
    }

    /// Stores a new initiative at revision 1. Refused when it does not
    /// validate, its key is taken, or its dependencies are unknown or would
    /// close a cycle (the error names the cycle).
    pub async fn create_initiative(&self, initiative: &Initiative) -> Result<StoredInitiative> {
        let mut tx = self.write_tx("creating an initiative").await?;
        let stored = create_initiative_in(&mut tx, initiative).await?;
        tx.commit().await.db("creating an initiative")?;
        Ok(stored)
    }

    /// Saves an initiative over the stored one. Refused with
    /// [`StoreError::Conflict`] when it is no longer at `expected_revision`,
    /// and when the plan would no longer hold (cycle, unknown dependency).
    /// A key change is carried to the initiatives that depend on it.
    pub async fn save_initiative(
        &self,
        expected_revision: u32,
        initiative: &Initiative,
    ) -> Result<StoredInitiative> {
        initiative.validate()?;
        let mut tx = self.write_tx("saving an initiative").await?;
        let stored = initiatives_in(&mut tx, initiative.workspace_id).await?;
        let Some(current) = stored.iter().find(|s| s.initiative.id == initiative.id) else {
            return Err(StoreError::not_found(format!(
                "initiative \"{}\"",
                initiative.key
            )));
        };
        let label = format!("initiative \"{}\"", current.initiative.key);
        if current.revision != expected_revision {
            return Err(StoreError::Conflict {
                what: label,
                expected: expected_revision,
                actual: current.revision,
            });
        }
        let old_key = current.initiative.key.clone();
        let renamed = old_key != initiative.key;
        if renamed
            && stored.iter().any(|s| {
                s.initiative.id != initiative.id
                    && s.initiative.key.eq_ignore_ascii_case(&initiative.key)
            })
        {
            return Err(StoreError::Invalid(format!(
                "an initiative with key \"{}\" already exists in this workspace",
                initiative.key
            )));
        }
        // Dependents follow a renamed key.
        let mut dependents: Vec<StoredInitiative> = Vec::new();
        if renamed {
            for s in &stored {
                if s.initiative.depends_on.contains(&old_key) {
                    let mut d = s.clone();
                    for k in &mut d.initiative.depends_on {
                        if *k == old_key {
                            k.clone_from(&initiative.key);
                        }
                    }
                    dependents.push(d);
                }
            }
        }
        let mut next: Vec<StoredInitiative> = stored.clone();
        for s in next.iter_mut() {
            if s.initiative.id == initiative.id {
                s.initiative = initiative.clone();
            } else if let Some(d) = dependents
                .iter()
                .find(|d| d.initiative.id == s.initiative.id)
            {
                s.initiative = d.initiative.clone();
            }
        }
        check_plan(&next, None, None)?;
        let doc = to_json(initiative, "initiative")?;
        let Some((revision, created_at, updated_at)) = save_doc(
            &mut tx,
            &INITIATIVES,
            initiative.id,
            expected_revision,
            &doc,
            &label,
            None,
        )
        .await?
        else {
            return Ok(current.clone());
        };
        sqlx::query("UPDATE initiatives SET key = ? WHERE id = ?")
            .bind(&initiative.key)
            .bind(initiative.id.to_string())
            .execute(&mut *tx)
            .await
            .db("saving an initiative")?;
        for d in dependents {
            let ddoc = to_json(&d.initiative, "initiative")?;
            save_doc(
                &mut tx,
                &INITIATIVES,
                d.initiative.id,
                d.revision,
                &ddoc,
                &format!("initiative \"{}\"", d.initiative.key),
                Some(&format!(
                    "renamed dependency {old_key} to {}",
                    initiative.key
                )),
            )
            .await?;
        }
        tx.commit().await.db("saving an initiative")?;
        Ok(StoredInitiative {
            initiative: initiative.clone(),
            revision,
            created_at,
            updated_at,
        })
    }

    /// Deletes an initiative with its history. Refused while others depend
    /// on it (the error names them).
    pub async fn delete_initiative(&self, workspace: Uuid, id: Uuid) -> Result<()> {
        let mut tx = self.write_tx("deleting an initiative").await?;
        let stored = initiatives_in(&mut tx, workspace).await?;
        let Some(target) = stored.iter().find(|s| s.initiative.id == id) else {
            return Err(StoreError::not_found(format!("initiative {id}")));
        };
        let dependents: Vec<&str> = stored
            .iter()
            .filter(|s| s.initiative.depends_on.contains(&target.initiative.key))
            .map(|s| s.initiative.key.as_str())
            .collect();
        if !dependents.is_empty() {
            return Err(StoreError::Invalid(format!(
                "initiative \"{}\" cannot be deleted: {} depend{} on it",
                target.initiative.key,
                dependents.join(", "),
                if dependents.len() == 1 { "s" } else { "" }
            )));
        }
        check_plan(&stored, None, Some(id))?;
        sqlx::query("DELETE FROM initiatives WHERE id = ?")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .db("deleting an initiative")?;
        tx.commit().await.db("deleting an initiative")
    }

    pub async fn list_initiative_revisions(&self, id: Uuid) -> Result<Vec<RevisionSummary>> {
        history(self, &INITIATIVES, id).await
    }

    pub async fn get_initiative_revision(&self, id: Uuid, revision: u32) -> Result<Initiative> {
        revision_doc(self, &INITIATIVES, id, revision).await
    }

    // ------------------------------------------------------------------- SLOs

    /// A workspace's SLOs by service, then name.
    pub async fn list_slos(&self, workspace: Uuid) -> Result<Vec<StoredSlo>> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT doc, revision, created_at, updated_at FROM slos
             WHERE workspace_id = ? ORDER BY service, name",
        )
        .bind(workspace.to_string())
        .fetch_all(&self.pool)
        .await
        .db("listing SLOs")?;
        rows.into_iter()
            .map(|r| {
                let d: Decoded<Slo> = decode(r, "SLO")?;
                Ok(StoredSlo {
                    slo: d.doc,
                    revision: d.revision,
                    created_at: d.created_at,
                    updated_at: d.updated_at,
                })
            })
            .collect()
    }

    /// The SLO named `service/name`, or `name` alone when only one service
    /// has it.
    pub async fn get_slo(&self, workspace: Uuid, handle: &str) -> Result<StoredSlo> {
        let wanted = handle.trim();
        let all = self.list_slos(workspace).await?;
        let matches: Vec<StoredSlo> = all
            .into_iter()
            .filter(|s| {
                s.slo.handle() == wanted || s.slo.name == wanted || s.slo.id.to_string() == wanted
            })
            .collect();
        match matches.len() {
            0 => Err(StoreError::not_found(format!("SLO \"{wanted}\""))),
            1 => Ok(matches
                .into_iter()
                .next()
                .ok_or_else(|| StoreError::not_found(wanted))?),
            _ => Err(StoreError::Invalid(format!(
                "\"{wanted}\" names SLOs of several services; write service/name"
            ))),
        }
    }

    async fn insert_slo(tx: &mut SqliteConnection, slo: &Slo) -> Result<DateTime<Utc>> {
        let doc = to_json(slo, "SLO")?;
        let now = Utc::now();
        sqlx::query(
            "INSERT INTO slos (id, workspace_id, service, name, revision, created_at, updated_at, doc)
             VALUES (?, ?, ?, ?, 1, ?, ?, ?)",
        )
        .bind(slo.id.to_string())
        .bind(slo.workspace_id.to_string())
        .bind(&slo.service)
        .bind(&slo.name)
        .bind(time_text(now))
        .bind(time_text(now))
        .bind(&doc)
        .execute(&mut *tx)
        .await
        .db("creating an SLO")?;
        append_revision(tx, &SLOS, slo.id, 1, now, "created", &doc).await?;
        Ok(now)
    }

    async fn slo_row_by_handle(
        tx: &mut SqliteConnection,
        slo: &Slo,
    ) -> Result<Option<(String, i64)>> {
        sqlx::query_as(
            "SELECT id, revision FROM slos WHERE workspace_id = ? AND service = ? AND name = ?",
        )
        .bind(slo.workspace_id.to_string())
        .bind(&slo.service)
        .bind(&slo.name)
        .fetch_optional(&mut *tx)
        .await
        .db("reading an SLO")
    }

    /// Stores a new SLO at revision 1; refused when it does not validate or
    /// the service already has an SLO of that name.
    pub async fn create_slo(&self, slo: &Slo) -> Result<StoredSlo> {
        slo.validate()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let mut tx = self.write_tx("creating an SLO").await?;
        ensure_workspace(&mut tx, slo.workspace_id).await?;
        if Self::slo_row_by_handle(&mut tx, slo).await?.is_some() {
            return Err(StoreError::Invalid(format!(
                "SLO \"{}\" already exists in this workspace",
                slo.handle()
            )));
        }
        let now = Self::insert_slo(&mut tx, slo).await?;
        tx.commit().await.db("creating an SLO")?;
        Ok(StoredSlo {
            slo: slo.clone(),
            revision: 1,
            created_at: now,
            updated_at: now,
        })
    }

    /// Saves an SLO over the stored one (optimistic: `expected_revision`).
    pub async fn save_slo(&self, expected_revision: u32, slo: &Slo) -> Result<StoredSlo> {
        slo.validate()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let mut tx = self.write_tx("saving an SLO").await?;
        let row = fetch_row(&mut tx, &SLOS, slo.id)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("SLO \"{}\"", slo.handle())))?;
        let current: Decoded<Slo> = decode(row, "SLO")?;
        if current.doc.workspace_id != slo.workspace_id {
            return Err(StoreError::Invalid(
                "an SLO cannot move to another workspace".into(),
            ));
        }
        if let Some((other, _)) = Self::slo_row_by_handle(&mut tx, slo).await? {
            if other != slo.id.to_string() {
                return Err(StoreError::Invalid(format!(
                    "SLO \"{}\" already exists in this workspace",
                    slo.handle()
                )));
            }
        }
        let doc = to_json(slo, "SLO")?;
        let label = format!("SLO \"{}\"", current.doc.handle());
        let Some((revision, created_at, updated_at)) = save_doc(
            &mut tx,
            &SLOS,
            slo.id,
            expected_revision,
            &doc,
            &label,
            None,
        )
        .await?
        else {
            return Ok(StoredSlo {
                slo: current.doc,
                revision: current.revision,
                created_at: current.created_at,
                updated_at: current.updated_at,
            });
        };
        sqlx::query("UPDATE slos SET service = ?, name = ? WHERE id = ?")
            .bind(&slo.service)
            .bind(&slo.name)
            .bind(slo.id.to_string())
            .execute(&mut *tx)
            .await
            .db("saving an SLO")?;
        tx.commit().await.db("saving an SLO")?;
        Ok(StoredSlo {
            slo: slo.clone(),
            revision,
            created_at,
            updated_at,
        })
    }

    /// Creates or updates SLOs by `service/name`, all in one transaction.
    /// An update keeps the stored id, alerting routes and policy when the
    /// imported SLO has none of its own.
    pub async fn import_slos(
        &self,
        slos: &[Slo],
        source: &str,
    ) -> Result<Vec<(String, ImportAction)>> {
        let mut tx = self.write_tx("importing SLOs").await?;
        let out = import_slos_in(&mut tx, slos, source).await?;
        tx.commit().await.db("importing SLOs")?;
        Ok(out)
    }

    pub async fn delete_slo(&self, id: Uuid) -> Result<()> {
        let done = sqlx::query("DELETE FROM slos WHERE id = ?")
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .db("deleting an SLO")?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(format!("SLO {id}")));
        }
        Ok(())
    }

    pub async fn list_slo_revisions(&self, id: Uuid) -> Result<Vec<RevisionSummary>> {
        history(self, &SLOS, id).await
    }

    pub async fn get_slo_revision(&self, id: Uuid, revision: u32) -> Result<Slo> {
        revision_doc(self, &SLOS, id, revision).await
    }

    // ------------------------------------------------------------ DORA targets

    pub async fn get_dora_targets(&self, workspace: Uuid) -> Result<StoredDoraTargets> {
        let row: Option<(String, i64)> =
            sqlx::query_as("SELECT doc, revision FROM dora_targets WHERE workspace_id = ?")
                .bind(workspace.to_string())
                .fetch_optional(&self.pool)
                .await
                .db("reading DORA targets")?;
        match row {
            None => Ok(StoredDoraTargets {
                targets: Vec::new(),
                revision: 0,
            }),
            Some((doc, revision)) => Ok(StoredDoraTargets {
                targets: serde_json::from_str(&doc)
                    .map_err(|e| StoreError::corrupt("DORA targets", e))?,
                revision: stored_u32(revision, "DORA targets")?,
            }),
        }
    }

    /// Replaces the workspace's DORA targets; `expected_revision` is 0 for
    /// the first save.
    pub async fn save_dora_targets(
        &self,
        workspace: Uuid,
        expected_revision: u32,
        targets: &[DoraTarget],
    ) -> Result<StoredDoraTargets> {
        let mut tx = self.write_tx("saving DORA targets").await?;
        let stored = save_dora_in(&mut tx, workspace, expected_revision, targets).await?;
        tx.commit().await.db("saving DORA targets")?;
        Ok(stored)
    }
}

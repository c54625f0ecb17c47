//! GitHub sync state (migration 0005): linked repositories, per-document
//! merge bases and pull-request state, stored conflicts, queued publishes.
//! Never a token: those live in the OS keychain.

use chrono::Utc;
use serde::{Deserialize, Serialize};
use specta::Type;
use uuid::Uuid;

use crate::codec::{parse_time, time_text};
use crate::error::DbContext;
use crate::{Result, Store, StoreError, Tx};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SyncLink {
    pub repo: String,
    pub base_branch: String,
    pub api_url: String,
    /// The folder layout as JSON (owned by the sync crate).
    pub layout: String,
    pub base_etag: Option<String>,
    pub base_commit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SyncDocument {
    pub repo: String,
    pub doc_key: String,
    pub kind: String,
    pub path: String,
    pub base_text: Option<String>,
    pub base_sha: Option<String>,
    /// JSON map path → blob sha last pushed to the draft branch.
    pub published: String,
    pub published_text: Option<String>,
    pub branch: Option<String>,
    pub pr_number: Option<u32>,
    pub pr_url: Option<String>,
    pub pr_state: Option<String>,
    pub status: String,
    pub last_error: Option<String>,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SyncConflict {
    pub repo: String,
    pub doc_key: String,
    /// JSON list of conflicting items.
    pub items: String,
    pub prefer_local: String,
    pub prefer_remote: String,
    pub remote_text: String,
    pub remote_sha: String,
    pub created_at: String,
    /// Grows with every write of the conflict: a resolution names the
    /// version it was worked out from, and a stale one is refused.
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct QueuedPublish {
    pub id: i64,
    pub repo: String,
    pub request: String,
    pub queued_at: String,
    pub last_error: String,
}

type ConflictRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
);
type LinkRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);
type DocRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
    String,
);

const DOC_COLUMNS: &str = "repo, doc_key, kind, path, base_text, base_sha, published, published_text, branch, pr_number, pr_url, pr_state, status, last_error, updated_at";

fn link(r: LinkRow) -> SyncLink {
    SyncLink {
        repo: r.0,
        base_branch: r.1,
        api_url: r.2,
        layout: r.3,
        base_etag: r.4,
        base_commit: r.5,
    }
}

fn doc(r: DocRow) -> SyncDocument {
    SyncDocument {
        repo: r.0,
        doc_key: r.1,
        kind: r.2,
        path: r.3,
        base_text: r.4,
        base_sha: r.5,
        published: r.6,
        published_text: r.7,
        branch: r.8,
        pr_number: r.9.and_then(|n| u32::try_from(n).ok()),
        pr_url: r.10,
        pr_state: r.11,
        status: r.12,
        last_error: r.13,
        updated_at: r.14,
    }
}

/// A workspace's links, read on one connection (a transaction's, for a
/// check before a write).
pub(crate) async fn links_in(
    conn: &mut sqlx::SqliteConnection,
    workspace: Uuid,
) -> Result<Vec<SyncLink>> {
    let rows: Vec<LinkRow> = sqlx::query_as(
        "SELECT repo, base_branch, api_url, layout, base_etag, base_commit FROM sync_links
         WHERE workspace_id = ? ORDER BY position, repo",
    )
    .bind(workspace.to_string())
    .fetch_all(conn)
    .await
    .db("reading linked repositories")?;
    Ok(rows.into_iter().map(link).collect())
}

impl Store {
    /// Links a repository, or updates the link's branch, API URL and layout.
    pub async fn upsert_sync_link(&self, workspace: Uuid, l: &SyncLink) -> Result<()> {
        sqlx::query(
            "INSERT INTO sync_links (workspace_id, repo, base_branch, api_url, layout, position)
             VALUES (?1, ?2, ?3, ?4, ?5, (SELECT COUNT(*) FROM sync_links WHERE workspace_id = ?1))
             ON CONFLICT (workspace_id, repo) DO UPDATE SET base_branch = excluded.base_branch,
               api_url = excluded.api_url, layout = excluded.layout,
               base_etag = CASE WHEN sync_links.base_branch = excluded.base_branch THEN sync_links.base_etag END",
        )
        .bind(workspace.to_string())
        .bind(&l.repo)
        .bind(&l.base_branch)
        .bind(&l.api_url)
        .bind(&l.layout)
        .execute(&self.pool)
        .await
        .db("linking a repository")?;
        Ok(())
    }

    /// Unlinks a repository: the link and its per-document sync state go
    /// (the records stay). Refused while the repository has unresolved
    /// conflicts or queued publishes, which hold what a user has not acted
    /// on yet; checked in the same transaction as the delete.
    pub async fn delete_sync_link(&self, workspace: Uuid, repo: &str) -> Result<()> {
        let mut tx = self.write_tx("unlinking a repository").await?;
        let ws = workspace.to_string();
        let (conflicts, queued): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM sync_conflicts WHERE workspace_id = ?1 AND repo = ?2),
                    (SELECT COUNT(*) FROM sync_queue WHERE workspace_id = ?1 AND repo = ?2)",
        )
        .bind(&ws)
        .bind(repo)
        .fetch_one(&mut *tx)
        .await
        .db("unlinking a repository")?;
        if conflicts > 0 || queued > 0 {
            let mut held = Vec::new();
            if conflicts > 0 {
                held.push(format!(
                    "{conflicts} unresolved conflict{} (resolve {} first: plasma sync resolve)",
                    if conflicts == 1 { "" } else { "s" },
                    if conflicts == 1 { "it" } else { "them" }
                ));
            }
            if queued > 0 {
                held.push(format!(
                    "{queued} queued publish{} (run plasma sync publish once GitHub is reachable)",
                    if queued == 1 { "" } else { "es" }
                ));
            }
            return Err(StoreError::Invalid(format!(
                "{repo} is not unlinked: it has {}. Nothing was changed.",
                held.join(" and ")
            )));
        }
        let done = sqlx::query("DELETE FROM sync_links WHERE workspace_id = ? AND repo = ?")
            .bind(&ws)
            .bind(repo)
            .execute(&mut *tx)
            .await
            .db("unlinking a repository")?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: format!("a link to {repo}"),
            });
        }
        tx.commit().await.db("unlinking a repository")
    }

    pub async fn list_sync_links(&self, workspace: Uuid) -> Result<Vec<SyncLink>> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .db("reading linked repositories")?;
        links_in(&mut conn, workspace).await
    }

    pub async fn set_sync_base(
        &self,
        workspace: Uuid,
        repo: &str,
        etag: Option<&str>,
        commit: &str,
    ) -> Result<()> {
        sqlx::query("UPDATE sync_links SET base_etag = ?, base_commit = ? WHERE workspace_id = ? AND repo = ?")
            .bind(etag)
            .bind(commit)
            .bind(workspace.to_string())
            .bind(repo)
            .execute(&self.pool)
            .await
            .db("saving the base branch state")?;
        Ok(())
    }

    pub async fn list_sync_documents(
        &self,
        workspace: Uuid,
        repo: &str,
    ) -> Result<Vec<SyncDocument>> {
        let rows: Vec<DocRow> = sqlx::query_as(&format!(
            "SELECT {DOC_COLUMNS} FROM sync_documents WHERE workspace_id = ? AND repo = ? ORDER BY doc_key"
        ))
        .bind(workspace.to_string())
        .bind(repo)
        .fetch_all(&self.pool)
        .await
        .db("reading sync state")?;
        Ok(rows.into_iter().map(doc).collect())
    }

    pub async fn get_sync_document(
        &self,
        workspace: Uuid,
        repo: &str,
        key: &str,
    ) -> Result<Option<SyncDocument>> {
        let row: Option<DocRow> = sqlx::query_as(&format!(
            "SELECT {DOC_COLUMNS} FROM sync_documents WHERE workspace_id = ? AND repo = ? AND doc_key = ?"
        ))
        .bind(workspace.to_string())
        .bind(repo)
        .bind(key)
        .fetch_optional(&self.pool)
        .await
        .db("reading sync state")?;
        Ok(row.map(doc))
    }

    pub async fn put_sync_document(&self, workspace: Uuid, d: &SyncDocument) -> Result<()> {
        let mut conn = self.pool.acquire().await.db("saving sync state")?;
        write_sync_document(&mut conn, workspace, d).await
    }

    /// Stores the conflict a pull found, replacing any earlier one for the
    /// document: a resolution worked out from that one (or being saved) is
    /// then refused as stale.
    pub async fn put_sync_conflict(&self, workspace: Uuid, c: &SyncConflict) -> Result<()> {
        sqlx::query(
            "INSERT INTO sync_conflicts (workspace_id, repo, doc_key, items, prefer_local, prefer_remote, remote_text, remote_sha, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (workspace_id, repo, doc_key) DO UPDATE SET items = excluded.items,
               prefer_local = excluded.prefer_local, prefer_remote = excluded.prefer_remote,
               remote_text = excluded.remote_text, remote_sha = excluded.remote_sha, created_at = excluded.created_at,
               version = sync_conflicts.version + 1, claimed_at = NULL",
        )
        .bind(workspace.to_string())
        .bind(&c.repo)
        .bind(&c.doc_key)
        .bind(&c.items)
        .bind(&c.prefer_local)
        .bind(&c.prefer_remote)
        .bind(&c.remote_text)
        .bind(&c.remote_sha)
        .bind(time_text(Utc::now()))
        .execute(&self.pool)
        .await
        .db("saving a sync conflict")?;
        Ok(())
    }

    /// Saves what remains of a conflict after some items were resolved:
    /// `remaining` carries the version its resolution was worked out from,
    /// and is refused (nothing written) when another window has written the
    /// conflict since, or is saving its own resolution of it. Returns the
    /// conflict as stored.
    pub async fn update_sync_conflict(
        &self,
        workspace: Uuid,
        remaining: &SyncConflict,
    ) -> Result<SyncConflict> {
        let op = "saving a sync conflict";
        let mut tx = self.write_tx(op).await?;
        check_conflict_unchanged(&mut tx, workspace, remaining).await?;
        sqlx::query(
            "UPDATE sync_conflicts SET items = ?, prefer_local = ?, prefer_remote = ?,
               version = version + 1
             WHERE workspace_id = ? AND repo = ? AND doc_key = ?",
        )
        .bind(&remaining.items)
        .bind(&remaining.prefer_local)
        .bind(&remaining.prefer_remote)
        .bind(workspace.to_string())
        .bind(&remaining.repo)
        .bind(&remaining.doc_key)
        .execute(&mut *tx)
        .await
        .db(op)?;
        tx.commit().await.db(op)?;
        Ok(SyncConflict {
            version: remaining.version + 1,
            ..remaining.clone()
        })
    }

    /// The first step of settling a conflict whose items are all resolved:
    /// refused (nothing written) when the conflict is no longer as `read`,
    /// else marks it as being saved, so no other window writes it until
    /// [`Store::finish_sync_conflict`] or [`Store::release_sync_conflict`].
    /// The resolved document is saved in between, by other store methods.
    /// Returns the claim those two take.
    pub async fn claim_sync_conflict(&self, workspace: Uuid, read: &SyncConflict) -> Result<i64> {
        let op = "settling a sync conflict";
        let mut tx = self.write_tx(op).await?;
        check_conflict_unchanged(&mut tx, workspace, read).await?;
        sqlx::query(
            "UPDATE sync_conflicts SET version = version + 1, claimed_at = ?
             WHERE workspace_id = ? AND repo = ? AND doc_key = ?",
        )
        .bind(time_text(Utc::now()))
        .bind(workspace.to_string())
        .bind(&read.repo)
        .bind(&read.doc_key)
        .execute(&mut *tx)
        .await
        .db(op)?;
        tx.commit().await.db(op)?;
        Ok(read.version + 1)
    }

    /// Removes a claimed conflict and saves its document's sync state, in
    /// one transaction; refused when the claim no longer holds.
    pub async fn finish_sync_conflict(
        &self,
        workspace: Uuid,
        conflict: &SyncConflict,
        claim: i64,
        state: &SyncDocument,
    ) -> Result<()> {
        let op = "settling a sync conflict";
        let mut tx = self.write_tx(op).await?;
        let done = sqlx::query(
            "DELETE FROM sync_conflicts WHERE workspace_id = ? AND repo = ? AND doc_key = ?
               AND version = ? AND claimed_at IS NOT NULL",
        )
        .bind(workspace.to_string())
        .bind(&conflict.repo)
        .bind(&conflict.doc_key)
        .bind(claim)
        .execute(&mut *tx)
        .await
        .db(op)?;
        if done.rows_affected() == 0 {
            return Err(conflict_changed(
                conflict,
                "it was written by another window while this one saved its resolution",
            ));
        }
        write_sync_document(&mut tx, workspace, state).await?;
        tx.commit().await.db(op)
    }

    /// Gives up a claim whose document could not be saved, so the conflict
    /// can be resolved again at once.
    pub async fn release_sync_conflict(
        &self,
        workspace: Uuid,
        conflict: &SyncConflict,
        claim: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE sync_conflicts SET version = version + 1, claimed_at = NULL
             WHERE workspace_id = ? AND repo = ? AND doc_key = ? AND version = ?",
        )
        .bind(workspace.to_string())
        .bind(&conflict.repo)
        .bind(&conflict.doc_key)
        .bind(claim)
        .execute(&self.pool)
        .await
        .db("releasing a sync conflict")?;
        Ok(())
    }

    pub async fn list_sync_conflicts(&self, workspace: Uuid) -> Result<Vec<SyncConflict>> {
        let rows: Vec<ConflictRow> = sqlx::query_as(
            "SELECT repo, doc_key, items, prefer_local, prefer_remote, remote_text, remote_sha, created_at, version
             FROM sync_conflicts WHERE workspace_id = ? ORDER BY repo, doc_key",
        )
        .bind(workspace.to_string())
        .fetch_all(&self.pool)
        .await
        .db("reading sync conflicts")?;
        Ok(rows
            .into_iter()
            .map(|r| SyncConflict {
                repo: r.0,
                doc_key: r.1,
                items: r.2,
                prefer_local: r.3,
                prefer_remote: r.4,
                remote_text: r.5,
                remote_sha: r.6,
                created_at: r.7,
                version: r.8,
            })
            .collect())
    }

    pub async fn enqueue_publish(
        &self,
        workspace: Uuid,
        repo: &str,
        request: &str,
        error: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO sync_queue (workspace_id, repo, request, queued_at, last_error)
             SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS
               (SELECT 1 FROM sync_queue WHERE workspace_id = ?1 AND repo = ?2 AND request = ?3)",
        )
        .bind(workspace.to_string())
        .bind(repo)
        .bind(request)
        .bind(time_text(Utc::now()))
        .bind(error)
        .execute(&self.pool)
        .await
        .db("queuing a publish")?;
        Ok(())
    }

    pub async fn list_publish_queue(&self, workspace: Uuid) -> Result<Vec<QueuedPublish>> {
        let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
            "SELECT id, repo, request, queued_at, last_error FROM sync_queue WHERE workspace_id = ? ORDER BY id",
        )
        .bind(workspace.to_string())
        .fetch_all(&self.pool)
        .await
        .db("reading queued publishes")?;
        Ok(rows
            .into_iter()
            .map(|r| QueuedPublish {
                id: r.0,
                repo: r.1,
                request: r.2,
                queued_at: r.3,
                last_error: r.4,
            })
            .collect())
    }

    pub async fn remove_queued_publish(&self, id: i64) -> Result<()> {
        sqlx::query("DELETE FROM sync_queue WHERE id = ?")
            .bind(id)
            .execute(&self.pool)
            .await
            .db("removing a queued publish")?;
        Ok(())
    }
}

/// How long a claim on a conflict holds: saving a resolved document takes
/// well under a second, so an older claim was left by a process that died
/// between the claim and its end, and must not block the conflict forever.
const CLAIM_LIFETIME: chrono::TimeDelta = chrono::TimeDelta::minutes(2);

/// Refuses unless the stored conflict is still at the version `read` has
/// and nobody else is saving its resolution; read inside the write
/// transaction it guards.
async fn check_conflict_unchanged(tx: &mut Tx, workspace: Uuid, read: &SyncConflict) -> Result<()> {
    let stored: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT version, claimed_at FROM sync_conflicts
         WHERE workspace_id = ? AND repo = ? AND doc_key = ?",
    )
    .bind(workspace.to_string())
    .bind(&read.repo)
    .bind(&read.doc_key)
    .fetch_optional(&mut **tx)
    .await
    .db("reading a sync conflict")?;
    let Some((stored_version, claimed_at)) = stored else {
        return Err(conflict_changed(read, "it was resolved in another window"));
    };
    if let Some(at) = claimed_at {
        let at = parse_time(&at, "a sync conflict's claim time")?;
        if Utc::now() - at < CLAIM_LIFETIME {
            return Err(conflict_changed(
                read,
                "another window is saving its resolution",
            ));
        }
    }
    if stored_version != read.version {
        return Err(conflict_changed(
            read,
            "another window resolved some of its items or a pull replaced it",
        ));
    }
    Ok(())
}

fn conflict_changed(c: &SyncConflict, change: &str) -> StoreError {
    StoreError::ChangedElsewhere {
        what: format!("the sync conflict for {} in {}", c.doc_key, c.repo),
        change: change.into(),
    }
}

async fn write_sync_document(
    conn: &mut sqlx::SqliteConnection,
    workspace: Uuid,
    d: &SyncDocument,
) -> Result<()> {
    let pr = d.pr_number.map(i64::from);
    sqlx::query(
        "INSERT INTO sync_documents (workspace_id, repo, doc_key, kind, path, base_text, base_sha, published,
           published_text, branch, pr_number, pr_url, pr_state, status, last_error, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (workspace_id, repo, doc_key) DO UPDATE SET kind = excluded.kind, path = excluded.path,
           base_text = excluded.base_text, base_sha = excluded.base_sha, published = excluded.published,
           published_text = excluded.published_text, branch = excluded.branch, pr_number = excluded.pr_number, pr_url = excluded.pr_url,
           pr_state = excluded.pr_state, status = excluded.status, last_error = excluded.last_error,
           updated_at = excluded.updated_at",
    )
    .bind(workspace.to_string())
    .bind(&d.repo)
    .bind(&d.doc_key)
    .bind(&d.kind)
    .bind(&d.path)
    .bind(&d.base_text)
    .bind(&d.base_sha)
    .bind(&d.published)
    .bind(&d.published_text)
    .bind(&d.branch)
    .bind(pr)
    .bind(&d.pr_url)
    .bind(&d.pr_state)
    .bind(&d.status)
    .bind(&d.last_error)
    .bind(time_text(Utc::now()))
    .execute(conn)
    .await
    .db("saving sync state")?;
    Ok(())
}

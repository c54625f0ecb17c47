//! ADR reads and writes, revisions and imports.

use std::collections::HashMap;

use chrono::Utc;
use plasma_models::{Adr, AdrDraft};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use uuid::Uuid;

use crate::codec::{
    adr_from_json, adr_to_json, changed_fields, fts_body, parse_uuid, revision_summaries,
    stored_u32, time_text,
};
use crate::error::DbContext;
use crate::packed::{self, Unpacker};
use crate::{ImportAction, ImportItem, ImportOutcome, Result, RevisionSummary, Store, StoreError};

const ADR_COLUMNS: &str = "id, number, revision, doc";

/// The most of the database file a full listing maps for reading, in bytes.
const MMAP_SIZE: i64 = 1 << 30;

type AdrRow = (String, i64, i64, String);

fn decode(row: AdrRow) -> Result<Adr> {
    let (id, number, revision, doc) = row;
    decode_parts(&id, number, revision, &doc)
}

fn decode_parts(id: &str, number: i64, revision: i64, doc: &str) -> Result<Adr> {
    let what = format!("ADR {id}");
    let mut adr = adr_from_json(doc, &what)?;
    adr.id = parse_uuid(id, &what)?;
    adr.number = stored_u32(number, &what)?;
    adr.revision = stored_u32(revision, &what)?;
    Ok(adr)
}

/// A workspace's rows (`ADR_COLUMNS`) as one packed value (see `packed`):
/// one hand-over from sqlx's worker instead of one a row. In no order:
/// sorting them by number in SQLite copied every text into a sorter.
fn packed_rows_sql() -> String {
    format!(
        "SELECT group_concat({} || {} || {} || {}, '') FROM adrs WHERE workspace_id = ?",
        packed::text("id"),
        packed::int("number"),
        packed::int("revision"),
        packed::text("doc"),
    )
}

/// Every ADR of `workspace`, ordered by number. The rows come packed into
/// one value; should SQLite refuse to build it (a workspace beyond its
/// string size limit of 1 GB), they are read row by row.
pub(crate) async fn all_in_workspace(
    conn: &mut SqliteConnection,
    workspace: Uuid,
) -> Result<Vec<Adr>> {
    // Read through a map of the file instead of copying each page into a
    // page-cache buffer of its own: a listing reads every record, and
    // allocating those buffers was a tenth of an export's CPU time. Only
    // for this query: streaming reads elsewhere keep their memory small.
    sqlx::query(&format!("PRAGMA mmap_size = {MMAP_SIZE}"))
        .execute(&mut *conn)
        .await
        .db("listing ADRs")?;
    let packed: std::result::Result<(Option<String>,), _> = sqlx::query_as(&packed_rows_sql())
        .bind(workspace.to_string())
        .fetch_one(&mut *conn)
        .await;
    sqlx::query("PRAGMA mmap_size = 0")
        .execute(&mut *conn)
        .await
        .db("listing ADRs")?;
    let packed = match packed {
        Ok((packed,)) => packed.unwrap_or_default(),
        Err(_) => {
            let rows: Vec<AdrRow> = sqlx::query_as(&format!(
                "SELECT {ADR_COLUMNS} FROM adrs WHERE workspace_id = ? ORDER BY number"
            ))
            .bind(workspace.to_string())
            .fetch_all(&mut *conn)
            .await
            .db("listing ADRs")?;
            return decode_all(
                rows.iter()
                    .map(|(i, n, r, d)| (i.as_str(), *n, *r, d.as_str())),
            );
        }
    };
    let mut parts = Vec::new();
    let mut u = Unpacker::new(&packed, "the ADR list");
    while !u.is_empty() {
        parts.push((u.text()?, u.int()?, u.int()?, u.text()?));
    }
    // Numbers are unique in a workspace.
    parts.sort_unstable_by_key(|p| p.1);
    decode_all(parts.into_iter())
}

type RowRef<'a> = (&'a str, i64, i64, &'a str);

/// [`decode_parts`] for many rows, on every core when there are enough of
/// them to pay for the threads (JSON decoding is most of the time of a full
/// listing).
fn decode_all<'a>(rows: impl ExactSizeIterator<Item = RowRef<'a>>) -> Result<Vec<Adr>> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    if threads < 2 || rows.len() < 128 {
        return rows.map(|(i, n, r, d)| decode_parts(i, n, r, d)).collect();
    }
    let rows: Vec<RowRef<'a>> = rows.collect();
    let per_thread = rows.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = rows
            .chunks(per_thread)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|&(i, n, r, d)| decode_parts(i, n, r, d))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(done) => done,
                Err(payload) => std::panic::resume_unwind(payload),
            })
            .collect()
    })
}

fn int(v: u32) -> i64 {
    i64::from(v)
}

async fn fetch(conn: &mut SqliteConnection, id: Uuid) -> Result<Option<Adr>> {
    let row: Option<AdrRow> =
        sqlx::query_as(&format!("SELECT {ADR_COLUMNS} FROM adrs WHERE id = ?"))
            .bind(id.to_string())
            .fetch_optional(conn)
            .await
            .db("reading an ADR")?;
    row.map(decode).transpose()
}

async fn fetch_required(conn: &mut SqliteConnection, id: Uuid) -> Result<Adr> {
    fetch(conn, id)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("ADR {id}")))
}

async fn ensure_workspace(conn: &mut SqliteConnection, workspace: Uuid) -> Result<()> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM workspaces WHERE id = ?")
        .bind(workspace.to_string())
        .fetch_optional(conn)
        .await
        .db("reading a workspace")?;
    match row {
        Some(_) => Ok(()),
        None => Err(StoreError::not_found(format!("workspace {workspace}"))),
    }
}

async fn next_number(conn: &mut SqliteConnection, workspace: Uuid) -> Result<u32> {
    let (max,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(number) FROM adrs WHERE workspace_id = ?")
            .bind(workspace.to_string())
            .fetch_one(conn)
            .await
            .db("finding the next ADR number")?;
    match max {
        None => Ok(1),
        Some(n) => stored_u32(n, "ADR number")?
            .checked_add(1)
            .ok_or_else(|| StoreError::Invalid("no ADR numbers are left".into())),
    }
}

/// The first unused rowid of the full-text index. Every index row belongs to
/// an `adrs` row, whose `fts_rowid` column is indexed (a contentless FTS5
/// table would have to scan itself for its largest rowid).
async fn next_fts_rowid(conn: &mut SqliteConnection) -> Result<i64> {
    let (last,): (Option<i64>,) = sqlx::query_as("SELECT MAX(fts_rowid) FROM adrs")
        .fetch_one(conn)
        .await
        .db("updating the search index")?;
    Ok(last.unwrap_or(0) + 1)
}

async fn write_fts(conn: &mut SqliteConnection, rowid: Option<i64>, adr: &Adr) -> Result<i64> {
    let rowid = match rowid {
        Some(r) => r,
        None => next_fts_rowid(conn).await?,
    };
    sqlx::query(
        "INSERT INTO adr_fts (rowid, number, title, status, tags, body) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(rowid)
    .bind(adr.number.to_string())
    .bind(&adr.title)
    .bind(adr.status.label())
    .bind(adr.tags.join(" "))
    .bind(fts_body(adr))
    .execute(conn)
    .await
    .db("updating the search index")?;
    Ok(rowid)
}

/// Records `adr` as its own current revision. The row's `doc` stays NULL:
/// while this is the current revision its text is `adrs.doc` (migration
/// 0008), so a new or imported record's JSON is stored once.
async fn append_revision(conn: &mut SqliteConnection, adr: &Adr, summary: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO adr_revisions (adr_id, revision, saved_at, summary, doc)
         VALUES (?, ?, ?, ?, NULL)",
    )
    .bind(adr.id.to_string())
    .bind(int(adr.revision))
    .bind(time_text(adr.updated_at))
    .bind(summary)
    .execute(conn)
    .await
    .db("recording a revision")?;
    Ok(())
}

/// Before `adrs.doc` of record `id` is overwritten: the revision that
/// shared it keeps its own copy.
async fn keep_current_revision_text(conn: &mut SqliteConnection, id: Uuid) -> Result<()> {
    sqlx::query(
        "UPDATE adr_revisions SET doc = (SELECT doc FROM adrs WHERE id = ?1)
         WHERE adr_id = ?1 AND doc IS NULL",
    )
    .bind(id.to_string())
    .execute(conn)
    .await
    .db("recording a revision")?;
    Ok(())
}

/// Inserts a new record (revision must already be 1) with its index row and
/// its first revision.
async fn insert(conn: &mut SqliteConnection, adr: &Adr, summary: &str) -> Result<()> {
    let taken: Option<(String,)> =
        sqlx::query_as("SELECT id FROM adrs WHERE workspace_id = ? AND number = ?")
            .bind(adr.workspace_id.to_string())
            .bind(int(adr.number))
            .fetch_optional(&mut *conn)
            .await
            .db("creating an ADR")?;
    if taken.is_some() {
        return Err(StoreError::Invalid(format!(
            "ADR {} already exists in this workspace",
            adr.number
        )));
    }
    let doc = adr_to_json(adr)?;
    let fts_rowid = write_fts(conn, None, adr).await?;
    sqlx::query(
        "INSERT INTO adrs (id, workspace_id, number, title, status, date, source_path, revision,
                           created_at, updated_at, doc, fts_rowid)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(adr.id.to_string())
    .bind(adr.workspace_id.to_string())
    .bind(int(adr.number))
    .bind(&adr.title)
    .bind(adr.status.label())
    .bind(adr.date.map(|d| d.to_string()))
    .bind(&adr.source_path)
    .bind(int(adr.revision))
    .bind(time_text(adr.created_at))
    .bind(time_text(adr.updated_at))
    .bind(&doc)
    .bind(fts_rowid)
    .execute(&mut *conn)
    .await
    .db("creating an ADR")?;
    append_revision(conn, adr, summary).await
}

/// Writes `new` over the stored row at revision `new.revision - 1`, with its
/// index row and a revision row.
async fn overwrite(conn: &mut SqliteConnection, new: &Adr, summary: &str) -> Result<()> {
    let doc = adr_to_json(new)?;
    let previous = int(new.revision) - 1;
    keep_current_revision_text(conn, new.id).await?;
    let row: Option<(i64,)> = sqlx::query_as(
        "UPDATE adrs SET number = ?, title = ?, status = ?, date = ?, source_path = ?,
                revision = ?, updated_at = ?, doc = ?
         WHERE id = ? AND revision = ?
         RETURNING fts_rowid",
    )
    .bind(int(new.number))
    .bind(&new.title)
    .bind(new.status.label())
    .bind(new.date.map(|d| d.to_string()))
    .bind(&new.source_path)
    .bind(int(new.revision))
    .bind(time_text(new.updated_at))
    .bind(&doc)
    .bind(new.id.to_string())
    .bind(previous)
    .fetch_optional(&mut *conn)
    .await
    .db("saving an ADR")?;
    let Some((fts_rowid,)) = row else {
        // Unreachable under BEGIN IMMEDIATE, kept as a guard.
        return Err(StoreError::Conflict {
            what: format!("ADR {}", new.number),
            expected: new.revision.saturating_sub(1),
            actual: new.revision,
        });
    };
    sqlx::query("DELETE FROM adr_fts WHERE rowid = ?")
        .bind(fts_rowid)
        .execute(&mut *conn)
        .await
        .db("updating the search index")?;
    write_fts(conn, Some(fts_rowid), new).await?;
    append_revision(conn, new, summary).await
}

/// Bound parameters per multi-row INSERT, below SQLite's limit of 32,766:
/// few, large statements keep the round trips to sqlx's worker thread down.
const MAX_PARAMS: usize = 32_000;

/// Inserts new records (each at revision 1, numbers already checked free)
/// with their index rows and first revisions: the bulk form of [`insert`],
/// a few multi-row statements instead of three per record. Gives the
/// records back.
///
/// The index rows go in as few statements as the parameter limit allows:
/// FTS5 flushes its pending terms to a new segment at the start of every
/// statement that writes to it, and merges those segments later, so one
/// statement for 1,000 records costs about half of five. They go first:
/// while SQLite tokenizes them (most of an import's time in SQLite), another
/// thread encodes the records as JSON for the statements after.
async fn insert_many(
    conn: &mut SqliteConnection,
    new: Vec<(Adr, String)>,
) -> Result<Vec<(Adr, String)>> {
    if new.is_empty() {
        return Ok(new);
    }
    let first_rowid = next_fts_rowid(conn).await?;
    let rowids: Vec<i64> = (first_rowid..).take(new.len()).collect();
    let new = std::sync::Arc::new(new);
    let encode = |new: &[(Adr, String)]| {
        new.iter()
            .map(|(adr, _)| adr_to_json(adr))
            .collect::<Result<Vec<_>>>()
    };
    let encoding = if new.len() >= 64 {
        let shared = std::sync::Arc::clone(&new);
        std::thread::Builder::new()
            .name("plasma-json".into())
            .spawn(move || encode(&shared))
            .ok()
    } else {
        None
    };

    for (chunk, rowids) in new
        .chunks(MAX_PARAMS / 6)
        .zip(rowids.chunks(MAX_PARAMS / 6))
    {
        let mut fts = QueryBuilder::<Sqlite>::new(
            "INSERT INTO adr_fts (rowid, number, title, status, tags, body) ",
        );
        fts.push_values(chunk.iter().zip(rowids), |mut row, ((adr, _), rowid)| {
            row.push_bind(*rowid)
                .push_bind(adr.number.to_string())
                .push_bind(adr.title.clone())
                .push_bind(adr.status.label().to_string())
                .push_bind(adr.tags.join(" "))
                .push_bind(fts_body(adr));
        });
        fts.build()
            .execute(&mut *conn)
            .await
            .db("updating the search index")?;
    }

    let docs = match encoding {
        // Done by now: indexing takes far longer than encoding.
        Some(handle) => match handle.join() {
            Ok(docs) => docs?,
            Err(payload) => std::panic::resume_unwind(payload),
        },
        None => encode(&new)?,
    };
    let mut docs = docs.into_iter();
    for (chunk, rowids) in new
        .chunks(MAX_PARAMS / 12)
        .zip(rowids.chunks(MAX_PARAMS / 12))
    {
        let mut rows = QueryBuilder::<Sqlite>::new(
            "INSERT INTO adrs (id, workspace_id, number, title, status, date, source_path,
                               revision, created_at, updated_at, doc, fts_rowid) ",
        );
        rows.push_values(
            chunk.iter().zip(docs.by_ref()).zip(rowids),
            |mut row, (((adr, _), doc), rowid)| {
                row.push_bind(adr.id.to_string())
                    .push_bind(adr.workspace_id.to_string())
                    .push_bind(int(adr.number))
                    .push_bind(adr.title.clone())
                    .push_bind(adr.status.label().to_string())
                    .push_bind(adr.date.map(|d| d.to_string()))
                    .push_bind(adr.source_path.clone())
                    .push_bind(int(adr.revision))
                    .push_bind(time_text(adr.created_at))
                    .push_bind(time_text(adr.updated_at))
                    .push_bind(doc)
                    .push_bind(*rowid);
            },
        );
        rows.build()
            .execute(&mut *conn)
            .await
            .db("creating an ADR")?;
    }

    for chunk in new.chunks(MAX_PARAMS / 4) {
        // `doc` NULL: the first revision's text is the record's (see
        // `append_revision`).
        let mut revisions = QueryBuilder::<Sqlite>::new(
            "INSERT INTO adr_revisions (adr_id, revision, saved_at, summary) ",
        );
        revisions.push_values(chunk, |mut row, (adr, summary)| {
            row.push_bind(adr.id.to_string())
                .push_bind(int(adr.revision))
                .push_bind(time_text(adr.updated_at))
                .push_bind(summary.clone());
        });
        revisions
            .build()
            .execute(&mut *conn)
            .await
            .db("recording a revision")?;
    }
    Ok(std::sync::Arc::try_unwrap(new).unwrap_or_else(|shared| (*shared).clone()))
}

fn bump(current: &Adr) -> Result<u32> {
    current.revision.checked_add(1).ok_or_else(|| {
        StoreError::Invalid(format!("ADR {} has too many revisions", current.number))
    })
}

/// The save rule shared by `save_adr`, `save_adrs` and `restore_revision`.
async fn save_in(
    conn: &mut SqliteConnection,
    id: Uuid,
    expected_revision: u32,
    draft: AdrDraft,
    check_status: bool,
    summary: Option<String>,
) -> Result<Adr> {
    let current = fetch_required(conn, id).await?;
    if current.revision != expected_revision {
        return Err(StoreError::Conflict {
            what: format!("ADR {}", current.number),
            expected: expected_revision,
            actual: current.revision,
        });
    }
    draft.validate()?;
    if check_status {
        current
            .status
            .check_transition(&draft.status, current.number)?;
    }
    let changed = changed_fields(&current.draft(), &draft);
    if changed.is_empty() {
        return Ok(current);
    }
    let mut new = current.clone();
    new.apply(draft);
    new.revision = bump(&current)?;
    new.updated_at = Utc::now();
    let summary = summary.unwrap_or_else(|| changed.join(", "));
    overwrite(conn, &new, &summary).await?;
    Ok(new)
}

/// [`save_in`] for each change, in order, on one transaction.
async fn save_all(
    conn: &mut SqliteConnection,
    changes: Vec<(Uuid, u32, AdrDraft)>,
    check_status: bool,
) -> Result<Vec<Adr>> {
    let mut out = Vec::with_capacity(changes.len());
    for (id, expected, draft) in changes {
        out.push(save_in(conn, id, expected, draft, check_status, None).await?);
    }
    Ok(out)
}

impl Store {
    /// Every ADR of a workspace, ordered by number.
    pub async fn list_adrs(&self, workspace: Uuid) -> Result<Vec<Adr>> {
        let mut conn = self.pool.acquire().await.db("listing ADRs")?;
        all_in_workspace(&mut conn, workspace).await
    }

    pub async fn get_adr(&self, id: Uuid) -> Result<Adr> {
        let mut conn = self.pool.acquire().await.db("reading an ADR")?;
        fetch_required(&mut conn, id).await
    }

    pub async fn get_adr_by_number(&self, workspace: Uuid, number: u32) -> Result<Adr> {
        let row: Option<AdrRow> = sqlx::query_as(&format!(
            "SELECT {ADR_COLUMNS} FROM adrs WHERE workspace_id = ? AND number = ?"
        ))
        .bind(workspace.to_string())
        .bind(int(number))
        .fetch_optional(&self.pool)
        .await
        .db("reading an ADR")?;
        row.map(decode)
            .transpose()?
            .ok_or_else(|| StoreError::not_found(format!("ADR {number}")))
    }

    /// One more than the highest number in the workspace, or 1 when empty.
    pub async fn next_adr_number(&self, workspace: Uuid) -> Result<u32> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .db("finding the next ADR number")?;
        next_number(&mut conn, workspace).await
    }

    /// Creates a record at revision 1. `number` None takes the next free one.
    pub async fn create_adr(
        &self,
        workspace: Uuid,
        draft: AdrDraft,
        number: Option<u32>,
        source_path: Option<String>,
    ) -> Result<Adr> {
        draft.validate()?;
        let mut tx = self.write_tx("creating an ADR").await?;
        ensure_workspace(&mut tx, workspace).await?;
        let number = match number {
            Some(n) => n,
            None => next_number(&mut tx, workspace).await?,
        };
        let mut adr = Adr::new(workspace, number, draft, Utc::now());
        adr.source_path = source_path;
        adr.revision = 1;
        insert(&mut tx, &adr, "created").await?;
        tx.commit().await.db("creating an ADR")?;
        Ok(adr)
    }

    /// Saves a user's edit. Refused with `Conflict` when the record is no
    /// longer at `expected_revision`, and when the status change is not part
    /// of the lifecycle (links are the caller's to check). A draft equal to
    /// the stored one returns the record as is, without a new revision.
    pub async fn save_adr(&self, id: Uuid, expected_revision: u32, draft: AdrDraft) -> Result<Adr> {
        let mut tx = self.write_tx("saving an ADR").await?;
        let adr = save_in(&mut tx, id, expected_revision, draft, true, None).await?;
        tx.commit().await.db("saving an ADR")?;
        Ok(adr)
    }

    /// Saves several records in one transaction: all or none. Status
    /// transitions are not checked (the caller, e.g. `graph::supersede`,
    /// has validated the whole change); drafts and revisions are.
    pub async fn save_adrs(&self, changes: Vec<(Uuid, u32, AdrDraft)>) -> Result<Vec<Adr>> {
        let mut tx = self.write_tx("saving ADRs").await?;
        let out = save_all(&mut tx, changes, false).await?;
        tx.commit().await.db("saving ADRs")?;
        Ok(out)
    }

    /// Saves the changes `plan` makes from the ADRs of `workspace` as read
    /// under the write lock, in that one transaction: a rule over the whole
    /// workspace (no supersede cycle) is checked on what is stored when the
    /// write happens, not on an earlier read another process may have
    /// overtaken. `plan` refuses with its own error or returns `(id,
    /// expected revision, draft)` per record; each must be of `workspace`.
    /// `check_status` applies the status lifecycle as [`Store::save_adr`].
    pub async fn save_adrs_checked<E, F>(
        &self,
        workspace: Uuid,
        check_status: bool,
        plan: F,
    ) -> std::result::Result<Vec<Adr>, E>
    where
        E: From<StoreError>,
        F: FnOnce(&[Adr]) -> std::result::Result<Vec<(Uuid, u32, AdrDraft)>, E>,
    {
        let mut tx = self.write_tx("saving ADRs").await?;
        let all = all_in_workspace(&mut tx, workspace).await?;
        let changes = plan(&all)?;
        if let Some((id, _, _)) = changes
            .iter()
            .find(|(id, _, _)| !all.iter().any(|a| a.id == *id))
        {
            return Err(StoreError::not_found(format!("ADR {id} in workspace {workspace}")).into());
        }
        let out = save_all(&mut tx, changes, check_status).await?;
        tx.commit().await.db("saving ADRs")?;
        Ok(out)
    }

    /// Imports records in one transaction. Each item updates the record
    /// with the same number, else the one imported from the same file, else
    /// creates one; an import never duplicates. Any invalid item refuses the
    /// whole import.
    pub async fn import_adrs(
        &self,
        workspace: Uuid,
        items: Vec<ImportItem>,
    ) -> Result<ImportOutcome> {
        self.import_adrs_checked(workspace, items, |_, items| Ok::<_, StoreError>(items))
            .await
    }

    /// [`Store::import_adrs`], with `screen` given the workspace's ADRs as
    /// read under the import's write lock and the items: it returns the
    /// items to import (e.g. without those whose links close a supersede
    /// cycle with what is stored now) or refuses the whole import.
    pub async fn import_adrs_checked<E, F>(
        &self,
        workspace: Uuid,
        items: Vec<ImportItem>,
        screen: F,
    ) -> std::result::Result<ImportOutcome, E>
    where
        E: From<StoreError>,
        F: FnOnce(&[Adr], Vec<ImportItem>) -> std::result::Result<Vec<ImportItem>, E>,
    {
        let mut tx = self.write_tx("importing ADRs").await?;
        let outcome = import_in(&mut tx, workspace, items, screen).await?;
        tx.commit().await.db("importing ADRs")?;
        Ok(outcome)
    }

    /// An ADR's history, newest first.
    pub async fn list_revisions(&self, id: Uuid) -> Result<Vec<RevisionSummary>> {
        let mut conn = self.pool.acquire().await.db("listing revisions")?;
        fetch_required(&mut conn, id).await?;
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT revision, saved_at, summary FROM adr_revisions
             WHERE adr_id = ? ORDER BY revision DESC",
        )
        .bind(id.to_string())
        .fetch_all(&mut *conn)
        .await
        .db("listing revisions")?;
        revision_summaries(rows)
    }

    /// The record as it was saved at `revision`.
    pub async fn get_revision(&self, id: Uuid, revision: u32) -> Result<Adr> {
        let mut conn = self.pool.acquire().await.db("reading a revision")?;
        revision_in(&mut conn, id, revision).await
    }

    /// Makes the content of an old revision the current one, as a new
    /// revision. The status lifecycle is not checked: this returns to a
    /// state the record was in.
    pub async fn restore_revision(
        &self,
        id: Uuid,
        revision: u32,
        expected_revision: u32,
    ) -> Result<Adr> {
        let mut tx = self.write_tx("restoring a revision").await?;
        let old = revision_in(&mut tx, id, revision).await?;
        let adr = save_in(
            &mut tx,
            id,
            expected_revision,
            old.draft(),
            false,
            Some(format!("restored revision {revision}")),
        )
        .await?;
        tx.commit().await.db("restoring a revision")?;
        Ok(adr)
    }

    /// Deletes a record with its history and index row.
    pub async fn delete_adr(&self, id: Uuid) -> Result<()> {
        let mut tx = self.write_tx("deleting an ADR").await?;
        let row: Option<(i64,)> =
            sqlx::query_as("DELETE FROM adrs WHERE id = ? RETURNING fts_rowid")
                .bind(id.to_string())
                .fetch_optional(&mut *tx)
                .await
                .db("deleting an ADR")?;
        let (fts_rowid,) = row.ok_or_else(|| StoreError::not_found(format!("ADR {id}")))?;
        sqlx::query("DELETE FROM adr_fts WHERE rowid = ?")
            .bind(fts_rowid)
            .execute(&mut *tx)
            .await
            .db("deleting an ADR")?;
        tx.commit().await.db("deleting an ADR")
    }
}

/// [`Store::import_adrs_checked`] inside the caller's write transaction.
pub(crate) async fn import_in<E, F>(
    tx: &mut SqliteConnection,
    workspace: Uuid,
    items: Vec<ImportItem>,
    screen: F,
) -> std::result::Result<ImportOutcome, E>
where
    E: From<StoreError>,
    F: FnOnce(&[Adr], Vec<ImportItem>) -> std::result::Result<Vec<ImportItem>, E>,
{
    ensure_workspace(tx, workspace).await?;
    let existing = all_in_workspace(tx, workspace).await?;
    let items = screen(&existing, items)?;
    let mut by_id: HashMap<Uuid, Adr> = HashMap::new();
    let mut by_number: HashMap<u32, Uuid> = HashMap::new();
    let mut by_path: HashMap<String, Uuid> = HashMap::new();
    for adr in existing {
        by_number.insert(adr.number, adr.id);
        if let Some(p) = &adr.source_path {
            by_path.insert(p.clone(), adr.id);
        }
        by_id.insert(adr.id, adr);
    }

    let mut outcome = ImportOutcome::default();
    let mut created: Vec<(Adr, String)> = Vec::new();
    for item in items {
        let ImportItem {
            number,
            draft,
            source_path,
        } = item;
        draft
            .validate()
            .map_err(|e| StoreError::Invalid(format!("{source_path}: {e}")))?;
        let target = by_number
            .get(&number)
            .or_else(|| by_path.get(&source_path))
            .copied();
        if target.is_some_and(|id| !by_id.contains_key(&id)) {
            // An item updates a record created earlier in this import:
            // write the pending ones first so it has a row to update.
            let written = insert_many(tx, std::mem::take(&mut created)).await?;
            by_id.extend(written.into_iter().map(|(adr, _)| (adr.id, adr)));
        }
        let now = Utc::now();
        let action = match target.and_then(|id| by_id.get(&id).cloned()) {
            None => {
                // Written in bulk after the loop; `by_number` (complete
                // under the write lock) already keeps numbers unique.
                let mut adr = Adr::new(workspace, number, draft, now);
                adr.source_path = Some(source_path.clone());
                adr.revision = 1;
                by_number.insert(number, adr.id);
                by_path.insert(source_path.clone(), adr.id);
                created.push((adr, format!("imported from {source_path}")));
                ImportAction::Created
            }
            Some(current) => {
                let mut changed = changed_fields(&current.draft(), &draft);
                if current.number != number {
                    changed.insert(0, "number");
                }
                if current.source_path.as_deref() != Some(source_path.as_str()) {
                    changed.push("source_path");
                }
                if changed.is_empty() {
                    ImportAction::Unchanged
                } else {
                    let mut new = current.clone();
                    new.apply(draft);
                    new.number = number;
                    new.source_path = Some(source_path.clone());
                    new.revision = bump(&current)?;
                    new.updated_at = now;
                    let summary = format!("imported: {}", changed.join(", "));
                    overwrite(tx, &new, &summary).await?;
                    if current.number != number {
                        by_number.remove(&current.number);
                    }
                    by_number.insert(number, new.id);
                    if let Some(old_path) = &current.source_path {
                        by_path.remove(old_path);
                    }
                    by_path.insert(source_path, new.id);
                    by_id.insert(new.id, new);
                    ImportAction::Updated
                }
            }
        };
        outcome.items.push((number, action));
    }
    insert_many(tx, created).await?;
    Ok(outcome)
}

async fn revision_in(conn: &mut SqliteConnection, id: Uuid, revision: u32) -> Result<Adr> {
    let current = fetch_required(conn, id).await?;
    // A NULL doc is the current revision's: the record's own text.
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT COALESCE(r.doc, a.doc) FROM adr_revisions r JOIN adrs a ON a.id = r.adr_id
         WHERE r.adr_id = ? AND r.revision = ?",
    )
    .bind(id.to_string())
    .bind(int(revision))
    .fetch_optional(conn)
    .await
    .db("reading a revision")?;
    let (doc,) = row.ok_or_else(|| {
        StoreError::not_found(format!("revision {revision} of ADR {}", current.number))
    })?;
    let mut adr = adr_from_json(
        &doc,
        &format!("revision {revision} of ADR {}", current.number),
    )?;
    adr.id = id;
    adr.revision = revision;
    Ok(adr)
}

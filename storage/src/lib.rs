//! Plasma Plan's persistence: one SQLite file per user, shared by the desktop
//! app and the CLI (possibly at the same time).
//!
//! Invariants:
//! - this is the only crate that names sqlx; callers see domain types only;
//! - every write that touches more than one row runs in one `BEGIN IMMEDIATE`
//!   transaction (all or nothing, and no lost-update between processes);
//! - an ADR's `doc` column (the whole [`Adr`] as JSON) is the truth; the other
//!   columns and the full-text index are derived from it in the same
//!   transaction;
//! - every create and every effective save appends a row to `adr_revisions`;
//!   the current revision's `doc` is NULL and means `adrs.doc` (a save copies
//!   the text into it before overwriting the record).

mod adr;
mod codec;
mod compliance;
mod error;
mod guarded;
mod packed;
mod roadmap;
mod search;
mod seed;
mod session;
mod snippet;
mod sync;
mod threat;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use plasma_models::{Repository, Workspace};
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use uuid::Uuid;

use codec::{parse_time, parse_uuid};
pub use compliance::{CellSave, StoredCell};
use error::DbContext;
pub use error::{Result, StoreError};
pub use guarded::WorkspaceRecords;
pub use roadmap::{StoredDoraTargets, StoredInitiative, StoredSlo};
pub use seed::WorkspaceSeed;
pub use session::{ModelChange, StoredThreatSession};
pub use sync::{QueuedPublish, SyncConflict, SyncDocument, SyncLink};
pub use threat::{
    StoredThreatModel, ThreatModelHead, ThreatModelParts, ThreatSearchHit, UnparsedHead,
};

pub use plasma_models::{Adr, AdrDraft};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A handle on the database. Cheap to clone; all clones share one pool.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    path: PathBuf,
    /// Opened for reading only (see [`Store::open_read_only`]): settings
    /// set through it last as long as the store, every other write is
    /// refused.
    read_only: Option<Arc<Mutex<HashMap<String, String>>>>,
}

/// One record of an import: the number and file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportItem {
    pub number: u32,
    pub draft: AdrDraft,
    pub source_path: String,
}

/// What an import did, item by item, in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportOutcome {
    pub items: Vec<(u32, ImportAction)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ImportAction {
    Created,
    Updated,
    Unchanged,
}

/// One entry of an ADR's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct RevisionSummary {
    pub revision: u32,
    pub saved_at: DateTime<Utc>,
    /// What changed: "created", "title, context", "restored revision 2"...
    pub summary: String,
}

/// A full-text search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct SearchHit {
    pub adr_id: Uuid,
    pub number: u32,
    pub title: String,
    /// The status label ("accepted", or a custom one).
    pub status: String,
    /// Plain text around the best match, matched words marked «like this».
    pub snippet: String,
    /// Relevance: the negated bm25 score, so larger is better. Hits come
    /// sorted best first.
    pub rank: f64,
}

pub(crate) type Tx = Transaction<'static, Sqlite>;

/// The page cache of every connection, in KiB (see [`Store::open`]).
pub(crate) const CACHE_SIZE_KIB: i64 = 65536;
/// The table sqlx's migrator keeps its record in, as it creates it.
const MIGRATIONS_TABLE: &str = "CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    success BOOLEAN NOT NULL,
    checksum BLOB NOT NULL,
    execution_time BIGINT NOT NULL
)";

/// `version:dirty:CHECKSUM` of every migration sqlx's migrator would find
/// applied and unchanged, in version order, as [`RECORD_SQL`] writes them.
fn expected_record() -> String {
    let mut up: Vec<_> = MIGRATOR
        .iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .collect();
    up.sort_by_key(|m| m.version);
    up.iter()
        .map(|m| {
            let hex: String = m.checksum.iter().map(|b| format!("{b:02X}")).collect();
            format!("{}:0:{hex}", m.version)
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// `_sqlx_migrations` in one value (`dirty` is sqlx's `success = false`).
const RECORD_SQL: &str = "SELECT group_concat(version || ':' || (success = false) || ':' ||
                                 hex(checksum), ',' ORDER BY version)
                          FROM _sqlx_migrations";

/// Whether the database records every migration as sqlx's migrator would
/// leave it (all applied, none failed, none changed or unknown), so that
/// running the migrator would do nothing: one query instead of its dozen
/// round trips to sqlx's worker thread on every start. A database without
/// the table yet (a new file) answers no.
async fn migrations_up_to_date(pool: &SqlitePool) -> bool {
    let recorded: std::result::Result<(Option<String>,), _> =
        sqlx::query_as(RECORD_SQL).fetch_one(pool).await;
    matches!(recorded, Ok((Some(r),)) if r == expected_record())
}

/// The SQL string literal of `text`.
fn sql_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Applies every pending migration in ONE write transaction, recording each
/// in `_sqlx_migrations` exactly as sqlx's migrator does (version,
/// description, checksum, success). sqlx commits each migration and then
/// updates its timing in a second commit: on a new database that is 16
/// commits, each making every connection re-read the schema, for about two
/// thirds of the CPU time of a first `plasma` command. All or nothing is
/// also what a half-created schema should be. The pending migrations and
/// their records go to SQLite as one batch (one hand-over to sqlx's worker
/// thread, not two a migration); their `execution_time` is the batch's,
/// shared out evenly. Anything unusual (a failed migration on record, a
/// migration that must run outside a transaction) is left to sqlx's
/// migrator, which runs right after this.
///
/// Returns whether the migrator still has to run: not when the record it
/// would check is now complete and matches.
async fn apply_pending_migrations(pool: &SqlitePool) -> std::result::Result<bool, sqlx::Error> {
    use sqlx::Connection as _;
    if MIGRATOR.iter().any(|m| m.no_tx) {
        return Ok(true);
    }
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
    sqlx::query(MIGRATIONS_TABLE).execute(&mut *tx).await?;
    let recorded: Vec<(i64, bool, Vec<u8>)> =
        sqlx::query_as("SELECT version, success, checksum FROM _sqlx_migrations")
            .fetch_all(&mut *tx)
            .await?;
    if recorded.iter().any(|(_, success, _)| !success) {
        tx.rollback().await?;
        return Ok(true);
    }
    // Exactly what sqlx's migrator checks: every recorded version is known
    // and unchanged.
    let consistent = recorded.iter().all(|(v, _, checksum)| {
        MIGRATOR
            .iter()
            .any(|m| m.version == *v && *m.checksum == **checksum)
    });
    let pending: Vec<_> = MIGRATOR
        .iter()
        .filter(|m| {
            !m.migration_type.is_down_migration()
                && !recorded.iter().any(|(v, _, _)| *v == m.version)
        })
        .collect();
    if pending.is_empty() {
        tx.rollback().await?;
        return Ok(!consistent);
    }
    let mut batch = String::new();
    for m in &pending {
        batch.push_str(&m.sql);
        batch.push_str("\n;\n");
    }
    let start = std::time::Instant::now();
    sqlx::raw_sql(&batch).execute(&mut *tx).await?;
    let nanos = i64::try_from(start.elapsed().as_nanos()).unwrap_or(i64::MAX);
    let each = nanos / i64::try_from(pending.len()).unwrap_or(1).max(1);
    let mut records = String::from(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES ",
    );
    for (i, m) in pending.iter().enumerate() {
        let hex: String = m.checksum.iter().map(|b| format!("{b:02X}")).collect();
        if i > 0 {
            records.push_str(", ");
        }
        records.push_str(&format!(
            "({}, {}, TRUE, X'{hex}', {each})",
            m.version,
            sql_literal(&m.description)
        ));
    }
    sqlx::query(&records).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(!consistent)
}

impl Store {
    /// Opens (creating if needed, with its folder) the database at `path` and
    /// brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, 4).await
    }

    /// [`Store::open`] with ONE connection, for a caller that runs one
    /// operation at a time (the CLI). sqlx hands a released connection back
    /// to the pool on a task of its own, after a round trip to its thread, so
    /// a query that follows another at once finds no idle connection and
    /// opens a second one: the file, the connection's pragmas and another
    /// parse of the whole schema, 3 to 5 ms of CPU in a short command. With
    /// one connection the next query waits for it instead. No `Store` method
    /// holds a connection while it asks for another (one would wait for the
    /// pool's acquire timeout); concurrent callers, like the desktop app's
    /// commands, want [`Store::open`].
    pub async fn open_sequential(path: &Path) -> Result<Store> {
        Store::open_with(path, 1).await
    }

    /// Opens the database for writing, or, when it exists but this user or
    /// file system cannot write it (a read-only checkout or mount, a file
    /// or folder without write permission), for reading only (see
    /// [`Store::open_read_only`]).
    async fn open_with(path: &Path, connections: u32) -> Result<Store> {
        // SQLite's "unable to open database file" says neither.
        if path.is_dir() {
            return Err(StoreError::Invalid(format!(
                "this is a folder, not a database file (give a file in it, such as {})",
                path.join("plasma.db").display()
            )));
        }
        if path.is_file() && cannot_write(path) {
            return Store::open_read_only_with(path, connections).await;
        }
        match Store::open_writable(path, connections).await {
            // A writable file in a read-only folder: SQLite cannot create
            // the WAL's side files next to it.
            Err(e) if path.is_file() && e.refuses_writing() => {
                Store::open_read_only_with(path, connections).await
            }
            Err(e) if e.not_a_database() => Err(StoreError::Invalid(
                "this file is not a Plasma Plan database (SQLite cannot read it; \
                 nothing was written to it): give another file, or a new name to start one"
                    .into(),
            )),
            opened => opened,
        }
    }

    /// Opens an existing database for reading only: no file is created or
    /// changed, and every write fails with [`StoreError::ReadOnlyAt`] (or
    /// [`StoreError::ReadOnly`]), naming what it could not do. A database
    /// whose migrations are not all recorded is refused with
    /// [`StoreError::ReadOnlyUpgrade`]: it cannot be upgraded, and this
    /// version cannot read an older schema.
    ///
    /// A database whose WAL holds nothing (no `-wal` file, or an empty one:
    /// the last writer closed cleanly) is opened `immutable`: SQLite then
    /// reads the main file only, creates no `-shm`/`-wal` (it could not in a
    /// read-only folder, and in a writable one it would leave a `-shm` with
    /// the database's read-only mode that later breaks writes) and takes no
    /// locks. That is safe for a short read while nothing writes the file;
    /// a file this user cannot write is rarely written meanwhile, and if it
    /// is the reader may see the state before that write (or an error), never
    /// change it. A database whose WAL holds transactions (a writer is at
    /// work, or died) is opened read-only but not immutable, so those are
    /// read: SQLite needs the `-shm` to exist or be creatable then.
    pub async fn open_read_only(path: &Path) -> Result<Store> {
        Store::open_read_only_with(path, 1).await
    }

    async fn open_read_only_with(path: &Path, connections: u32) -> Result<Store> {
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let wal_holds_transactions = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
        let options = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .immutable(!wal_holds_transactions)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .pragma("cache_size", format!("-{CACHE_SIZE_KIB}"));
        let pool = SqlitePoolOptions::new()
            .max_connections(connections)
            .connect_with(options)
            .await
            .db("opening the database for reading")?;
        if !migrations_up_to_date(&pool).await {
            pool.close().await;
            return Err(StoreError::ReadOnlyUpgrade {
                path: path.display().to_string(),
            });
        }
        Ok(Store {
            pool,
            path: path.to_path_buf(),
            read_only: Some(Arc::default()),
        })
    }

    /// Whether the store was opened for reading only.
    pub fn is_read_only(&self) -> bool {
        self.read_only.is_some()
    }

    async fn open_writable(path: &Path, connections: u32) -> Result<Store> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Io {
                path: parent.display().to_string(),
                source,
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .synchronous(SqliteSynchronous::Normal)
            // A 64 MiB page cache (SQLite's default is 2 MiB), taken only as
            // pages are read: a bulk import of thousands of records then
            // keeps its dirty pages in memory until the commit instead of
            // spilling them to the WAL and writing them again. It changes
            // no durability guarantee.
            .pragma("cache_size", format!("-{CACHE_SIZE_KIB}"));
        let pool = SqlitePoolOptions::new()
            .max_connections(connections)
            .connect_with(options)
            .await
            .db("opening the database")?;
        // Two processes opening a fresh file together may race on the first
        // migration; the loser retries and then finds the schema in place.
        let mut attempt = 0;
        loop {
            if migrations_up_to_date(&pool).await {
                break;
            }
            let applied = match apply_pending_migrations(&pool).await {
                Ok(false) => Ok(()),
                // sqlx's migrator checks what is recorded (and reports a
                // failed or altered migration).
                Ok(true) => MIGRATOR.run(&pool).await,
                Err(e) => Err(sqlx::migrate::MigrateError::Execute(e)),
            };
            match applied {
                Ok(()) => break,
                Err(_) if attempt < 3 => {
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(100 * attempt)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(Store {
            pool,
            path: path.to_path_buf(),
            read_only: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Closes the pool, waiting for connections to return (tests, shutdown).
    pub async fn close(&self) {
        // SQLite checkpoints the WAL when its last connection closes, but
        // sqlx may finish closing a connection on its worker thread after
        // `close` returns, and a short-lived process (one CLI command) can
        // exit first, leaving a WAL behind for the next reader to replay
        // (and a read-only reader to need a `-shm` for). Checkpointing here
        // makes the file whole whatever the race does.
        if self.read_only.is_none() {
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await;
        }
        self.pool.close().await;
    }

    /// A write transaction that holds SQLite's write lock from the start, so
    /// a read-check-write sequence cannot be overtaken by another process.
    pub(crate) async fn write_tx(&self, op: &'static str) -> Result<Tx> {
        self.refuse_if_read_only(op)?;
        self.pool.begin_with("BEGIN IMMEDIATE").await.db(op)
    }

    /// [`StoreError::ReadOnlyAt`] on a read-only store, before anything is
    /// tried (SQLite would refuse the first write of a transaction anyway).
    pub(crate) fn refuse_if_read_only(&self, op: &'static str) -> Result<()> {
        match self.read_only {
            Some(_) => Err(StoreError::ReadOnly { op }.naming_file(&self.path)),
            None => Ok(()),
        }
    }

    // ---------------------------------------------------------------- workspaces

    pub async fn list_workspaces(&self) -> Result<Vec<Workspace>> {
        let mut conn = self.pool.acquire().await.db("listing workspaces")?;
        read_workspaces(&mut conn).await
    }

    pub async fn get_workspace(&self, id: Uuid) -> Result<Workspace> {
        let mut conn = self.pool.acquire().await.db("reading a workspace")?;
        read_workspace(&mut conn, id).await
    }

    pub async fn create_workspace(&self, ws: &Workspace) -> Result<()> {
        self.create_workspace_checked(ws, |_| Ok::<(), StoreError>(()))
            .await
    }

    /// Replaces name, description and repositories (created_at is kept).
    /// Writes `ws` over the workspace that was read as `expected`. Refused
    /// with [`StoreError::ChangedElsewhere`], nothing written, when the
    /// stored workspace differs from `expected` (another window or process
    /// saved it since): the check and the write share one write lock.
    pub async fn update_workspace(&self, ws: &Workspace, expected: &Workspace) -> Result<()> {
        self.update_workspace_checked(ws, expected, false, |_, _| Ok::<(), StoreError>(()))
            .await
    }

    // ------------------------------------------------------------------ settings

    pub async fn get_setting(&self, key: &str) -> Result<Option<String>> {
        if let Some(value) = self.session_setting(key) {
            return Ok(Some(value));
        }
        let row: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .db("reading a setting")?;
        Ok(row.map(|(v,)| v))
    }

    /// Saves a setting; on a read-only store it holds for the store's
    /// lifetime instead (a setting is a preference, such as the workspace a
    /// `--workspace` flag picks for one command, not a record).
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        if let Some(session) = &self.read_only {
            session
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .insert(key.to_string(), value.to_string());
            return Ok(());
        }
        let mut conn = self.pool.acquire().await.db("saving a setting")?;
        write_setting(&mut conn, key, value).await
    }
}

impl Store {
    fn session_setting(&self, key: &str) -> Option<String> {
        let session = self.read_only.as_ref()?;
        let held = session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        held.get(key).cloned()
    }
}

/// Whether the existing file at `path` cannot be opened for writing by
/// this process (its mode, an immutable attribute, a read-only mount).
/// Opening it does not change it.
fn cannot_write(path: &Path) -> bool {
    match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(_) => false,
        Err(e) => matches!(
            e.kind(),
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
        ),
    }
}

async fn write_setting(conn: &mut sqlx::SqliteConnection, key: &str, value: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(conn)
    .await
    .db("saving a setting")?;
    Ok(())
}

/// Every workspace, oldest first, read on one connection (a transaction's,
/// for a check before a write).
async fn read_workspaces(conn: &mut sqlx::SqliteConnection) -> Result<Vec<Workspace>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM workspaces ORDER BY created_at, name, id")
            .fetch_all(&mut *conn)
            .await
            .db("listing workspaces")?;
    let mut out = Vec::with_capacity(rows.len());
    for (id,) in rows {
        out.push(read_workspace(conn, parse_uuid(&id, "workspace id")?).await?);
    }
    Ok(out)
}

/// A workspace with its repositories, read on one connection (a
/// transaction's, for a check before a write).
async fn read_workspace(conn: &mut sqlx::SqliteConnection, id: Uuid) -> Result<Workspace> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT name, description, created_at FROM workspaces WHERE id = ?")
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await
            .db("reading a workspace")?;
    let (name, description, created_at) =
        row.ok_or_else(|| StoreError::not_found(format!("workspace {id}")))?;
    let repos: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, description FROM repositories WHERE workspace_id = ? ORDER BY position",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await
    .db("reading a workspace's repositories")?;
    Ok(Workspace {
        id,
        name,
        description,
        repositories: repos
            .into_iter()
            .map(|(name, description)| Repository { name, description })
            .collect(),
        created_at: parse_time(&created_at, "workspace created_at")?,
    })
}

/// What differs between the workspace a caller read and the stored one, in
/// words for [`StoreError::ChangedElsewhere`]; `None` when nothing does.
fn workspace_change(read: &Workspace, stored: &Workspace) -> Option<String> {
    let mut changes = Vec::new();
    if read.name != stored.name {
        changes.push(format!("its name is now \"{}\"", stored.name));
    }
    if read.description != stored.description {
        changes.push("its description changed".to_string());
    }
    if read.repositories != stored.repositories {
        let names: Vec<&str> = stored
            .repositories
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        changes.push(match names.is_empty() {
            true => "it now has no repositories".to_string(),
            false => format!("its repositories are now {}", names.join(", ")),
        });
    }
    (!changes.is_empty()).then(|| changes.join("; "))
}

async fn write_repositories(tx: &mut Tx, ws: &Workspace) -> Result<()> {
    for (position, repo) in ws.repositories.iter().enumerate() {
        let position = i64::try_from(position)
            .map_err(|_| StoreError::Invalid("too many repositories".into()))?;
        sqlx::query(
            "INSERT INTO repositories (workspace_id, name, description, position)
             VALUES (?, ?, ?, ?)",
        )
        .bind(ws.id.to_string())
        .bind(&repo.name)
        .bind(&repo.description)
        .bind(position)
        .execute(&mut **tx)
        .await
        .db("saving a workspace's repositories")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn connections_use_wal_foreign_keys_and_busy_timeout() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("p.db")).await.expect("open");
        // Check on several pooled connections, not only the first.
        let mut conns = Vec::new();
        for _ in 0..3 {
            let mut c = store.pool.acquire().await.expect("acquire");
            let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
                .fetch_one(&mut *c)
                .await
                .expect("journal_mode");
            assert_eq!(mode.to_lowercase(), "wal");
            let (fk,): (i64,) = sqlx::query_as("PRAGMA foreign_keys")
                .fetch_one(&mut *c)
                .await
                .expect("foreign_keys");
            assert_eq!(fk, 1);
            let (timeout,): (i64,) = sqlx::query_as("PRAGMA busy_timeout")
                .fetch_one(&mut *c)
                .await
                .expect("busy_timeout");
            assert_eq!(timeout, 5000);
            let (sync,): (i64,) = sqlx::query_as("PRAGMA synchronous")
                .fetch_one(&mut *c)
                .await
                .expect("synchronous");
            assert_eq!(sync, 1, "NORMAL");
            let (cache,): (i64,) = sqlx::query_as("PRAGMA cache_size")
                .fetch_one(&mut *c)
                .await
                .expect("cache_size");
            assert_eq!(cache, -65536, "64 MiB");
            conns.push(c);
        }
        drop(conns);
        // Foreign keys are enforced: an ADR for a missing workspace is refused
        // by SQLite itself, not only by the store's own check.
        let err = sqlx::query(
            "INSERT INTO adrs (id, workspace_id, number, title, status, revision, created_at,
                               updated_at, doc, fts_rowid)
             VALUES ('x', 'no-such-workspace', 1, 't', 's', 1, '', '', '{}', 1)",
        )
        .execute(&store.pool)
        .await
        .expect_err("foreign key");
        assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
        let (applied,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations")
            .fetch_one(&store.pool)
            .await
            .expect("migrations table");
        // Every migration in the folder ran (helpers add their own numbers).
        assert_eq!(applied, MIGRATOR.migrations.len() as i64);
        assert!(applied >= 3);
    }

    /// The schema a new database gets in one transaction is the one sqlx's
    /// migrator builds step by step, with the same FTS5 configuration and
    /// `_sqlx_migrations` record; a database the migrator built opens
    /// without change.
    #[tokio::test]
    async fn one_transaction_schema_matches_sqlx_migrator() {
        async fn schema(
            pool: &SqlitePool,
        ) -> (Vec<(String, String)>, Vec<(i64, String, bool, Vec<u8>)>) {
            let mut objects: Vec<(String, String)> = sqlx::query_as(
                "SELECT name, COALESCE(sql, '') FROM sqlite_master ORDER BY type, name",
            )
            .fetch_all(pool)
            .await
            .expect("sqlite_master");
            let config: Vec<(String, String)> = sqlx::query_as(
                "SELECT 'adr_fts_config ' || k, CAST(v AS TEXT) FROM adr_fts_config
                 UNION ALL SELECT 'threat_fts_config ' || k, CAST(v AS TEXT) FROM threat_fts_config",
            )
            .fetch_all(pool)
            .await
            .expect("FTS5 configuration");
            assert!(!config.is_empty());
            objects.extend(config);
            let record = sqlx::query_as(
                "SELECT version, description, success, checksum FROM _sqlx_migrations
                 ORDER BY version",
            )
            .fetch_all(pool)
            .await
            .expect("_sqlx_migrations");
            (objects, record)
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let by_sqlx = dir.path().join("sqlx.db");
        let pool = SqlitePoolOptions::new()
            .connect_with(
                SqliteConnectOptions::new()
                    .filename(&by_sqlx)
                    .create_if_missing(true),
            )
            .await
            .expect("open");
        MIGRATOR.run(&pool).await.expect("sqlx migrator");
        let expected = schema(&pool).await;
        pool.close().await;

        let ours = Store::open(&dir.path().join("ours.db"))
            .await
            .expect("open");
        let got = schema(&ours.pool).await;
        assert_eq!(got, expected);
        assert_eq!(got.1.len(), MIGRATOR.migrations.len());
        let (times,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations WHERE execution_time < 0")
                .fetch_one(&ours.pool)
                .await
                .expect("times");
        assert_eq!(times, 0, "every migration records its time");
        ours.close().await;

        // Opening the migrator's database changes nothing in it.
        let reopened = Store::open(&by_sqlx).await.expect("reopen");
        assert_eq!(schema(&reopened.pool).await, expected);
        reopened.close().await;
    }

    /// A failed migration on record is reported, not skipped over.
    #[tokio::test]
    async fn a_failed_migration_on_record_stops_opening() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("dirty.db");
        let store = Store::open(&path).await.expect("open");
        sqlx::query("UPDATE _sqlx_migrations SET success = FALSE WHERE version = 1")
            .execute(&store.pool)
            .await
            .expect("mark dirty");
        store.close().await;
        let err = Store::open(&path).await.expect_err("dirty");
        assert!(err.to_string().contains('1'), "{err}");
    }

    /// A database written before migration 0008 (full revision texts, an
    /// FTS table with its own copy of the text) keeps its history and its
    /// search index: the migration rebuilds the index as contentless.
    #[tokio::test]
    async fn migration_0008_keeps_revisions_and_rebuilds_the_index() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("old.db");
        let old = sqlx::migrate::Migrator {
            migrations: MIGRATOR
                .migrations
                .iter()
                .filter(|m| m.version < 8)
                .cloned()
                .collect::<Vec<_>>()
                .into(),
            ..sqlx::migrate::Migrator::DEFAULT
        };
        let pool = SqlitePoolOptions::new()
            .connect_with(
                SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true),
            )
            .await
            .expect("open old");
        old.run(&pool).await.expect("old migrations");
        let ws = Workspace {
            id: Uuid::new_v4(),
            name: "Old".into(),
            description: String::new(),
            repositories: Vec::new(),
            created_at: Utc::now(),
        };
        let mut adr = Adr::new(
            ws.id,
            7,
            AdrDraft {
                title: "Adopt Kafka streams".into(),
                context: "We need durable queues.".into(),
                ..Default::default()
            },
            Utc::now(),
        );
        adr.revision = 1;
        let doc = serde_json::to_string(&adr).expect("json");
        for sql in [
            "INSERT INTO workspaces (id, name, description, created_at) VALUES (?1, 'Old', '', '')",
            "INSERT INTO adrs (id, workspace_id, number, title, status, revision, created_at,
                               updated_at, doc, fts_rowid)
             VALUES (?2, ?1, 7, 'Adopt Kafka streams', 'proposed', 1, '', '', ?3, 5)",
            "INSERT INTO adr_revisions (adr_id, revision, saved_at, summary, doc)
             VALUES (?2, 1, '2026-01-01T00:00:00.000000Z', 'created', ?3)",
            "INSERT INTO adr_fts (rowid, number, title, status, tags, body)
             VALUES (5, '7', 'Adopt Kafka streams', 'proposed', '', 'We need durable queues.')",
        ] {
            sqlx::query(sql)
                .bind(ws.id.to_string())
                .bind(adr.id.to_string())
                .bind(&doc)
                .execute(&pool)
                .await
                .expect(sql);
        }
        pool.close().await;

        let store = Store::open(&path).await.expect("migrate");
        let hits = store.search(ws.id, "durable", 5).await.expect("search");
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].snippet, "We need «durable» queues.");
        assert_eq!(store.get_revision(adr.id, 1).await.expect("rev 1"), adr);
        let mut draft = adr.draft();
        draft.title = "Adopt Pulsar".into();
        let saved = store.save_adr(adr.id, 1, draft).await.expect("save");
        assert_eq!(store.get_revision(adr.id, 1).await.expect("rev 1"), adr);
        assert_eq!(store.get_revision(adr.id, 2).await.expect("rev 2"), saved);
        assert!(store
            .search(ws.id, "kafka", 5)
            .await
            .expect("old title")
            .is_empty());
        assert_eq!(
            store.search(ws.id, "pulsar", 5).await.expect("new").len(),
            1
        );
        // The index keeps no text of its own any more.
        let (content,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'adr_fts_content'")
                .fetch_one(&store.pool)
                .await
                .expect("schema");
        assert_eq!(content, 0);
    }
}

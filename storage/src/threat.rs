//! Threat models: per model a JSON document of its diagram part (name,
//! description, repositories, diagrams, data assets) and one row per threat
//! (migration 0009), a few columns to query by, a revision row per save
//! holding the whole document, and a full-text index over threats.
//! Documents are written in the stored form of
//! [`plasma_models::threat::stored`]: a rule-made threat leaves out the text
//! its rule gives back (description, suggested mitigations, references), so
//! a model of thousands of elements is not its rule text thousands of times.
//! Documents in the full form (written before) read as they are.
//!
//! [`ThreatModel`] has no revision field, so reads return a
//! [`StoredThreatModel`]: the model with the revision and time of its last
//! save. A save names the revision it was based on; a stale save is refused
//! with [`StoreError::Conflict`] and changes nothing.

use chrono::{DateTime, Utc};
use std::collections::HashMap;

use plasma_models::threat::stored::{
    FedThreat, StoredThreatModel as StoredForm, StoredThreatModelRef,
};
use plasma_models::threat::{RegenerationPlan, RuleSet, ThreatModel};
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::{Connection, Row as _, SqliteConnection};
use uuid::Uuid;

use crate::codec::{
    fts_query, parse_time, parse_uuid, push_changed, revision_summaries, stored_now, stored_u32,
    time_text,
};
use crate::error::DbContext;
use crate::{Result, RevisionSummary, Store, StoreError};

/// A threat model as stored: the model and the revision it is at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct StoredThreatModel {
    pub model: ThreatModel,
    /// 1 after creation, one more after each effective save.
    pub revision: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A threat model's diagram part in the stored form, without its threats:
/// what a regeneration reads first (the threats follow page by page, see
/// [`Store::read_stored_threats`]).
pub struct ThreatModelHead {
    pub id: Uuid,
    pub head: StoredForm,
    pub revision: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A threat model as a regeneration reads it: the diagram part and the
/// threats in the stored form, no rule text filled in (see
/// [`plasma_models::threat::plan_regeneration`]).
pub struct ThreatModelParts {
    pub id: Uuid,
    /// The diagram part; its threats are in `threats`.
    pub head: StoredForm,
    /// In model order.
    pub threats: Vec<FedThreat>,
    pub revision: u32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Threat rows read per query by a regeneration, so no more than this many
/// rows' text is held at once besides the parsed threats.
const THREAT_PAGE: i64 = 2048;

/// The page cache (KiB) of a regeneration's read: the rows are read once, in
/// order, so caching them gains nothing and would hold a second copy of the
/// model in memory. The connection's usual size is restored after.
const STREAMING_CACHE_KIB: i64 = 1024;

/// A full-text search result over threats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ThreatSearchHit {
    pub threat_model_id: Uuid,
    pub threat_model_name: String,
    pub threat_id: Uuid,
    pub title: String,
    /// Plain text around the best match, matched words marked «like this».
    pub snippet: String,
    /// The negated bm25 score: larger is better. Hits come best first.
    pub rank: f64,
}

/// The threats of the `threat_models` row in scope, as a JSON array in
/// model order.
const THREATS_ARRAY: &str =
    "SELECT '[' || coalesce(group_concat(t.doc, ',' ORDER BY t.position), '') || ']'
     FROM threats t WHERE t.threat_model_id = threat_models.id";

/// A model row with its whole document: the diagram part with the
/// threats spliced back in (see [`assemble`]).
const COLUMNS: &str = "id, revision, created_at, updated_at, doc,
    (SELECT '[' || coalesce(group_concat(t.doc, ',' ORDER BY t.position), '') || ']'
     FROM threats t WHERE t.threat_model_id = threat_models.id)";

/// The id of the one model of `workspace` whose id starts with `wanted`
/// (at least 4 hex digits, as `plasma threats models` prints 8); `None`
/// when `wanted` is no such prefix or no id starts with it.
async fn id_with_prefix(
    conn: &mut SqliteConnection,
    workspace: Uuid,
    wanted: &str,
) -> Result<Option<String>> {
    let prefix = wanted.to_ascii_lowercase();
    let short = (4..36).contains(&prefix.len())
        && prefix.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    if !short {
        return Ok(None);
    }
    // Ids are stored lower-case and hyphenated; `substr` rather than LIKE,
    // whose `_` and `%` a prefix must not act as.
    let ids: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, name FROM threat_models
         WHERE workspace_id = ? AND substr(id, 1, ?) = ?
         ORDER BY name LIMIT 5",
    )
    .bind(workspace.to_string())
    .bind(i64::try_from(prefix.len()).unwrap_or(i64::MAX))
    .bind(&prefix)
    .fetch_all(&mut *conn)
    .await
    .db("reading a threat model")?;
    match ids.as_slice() {
        [] => Ok(None),
        [(id, _)] => Ok(Some(id.clone())),
        many => Err(StoreError::Invalid(format!(
            "the id \"{wanted}\" is ambiguous: it starts the ids of {}; give more of the id or the name",
            many.iter()
                .map(|(id, name)| format!("\"{name}\" ({id})"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

async fn read_head(
    conn: &mut SqliteConnection,
    workspace: Uuid,
    name_or_id: &str,
) -> Result<UnparsedHead> {
    let id = find_model_id(conn, workspace, name_or_id).await?;
    // The diagram part is megabytes for a large model: read by id alone (a
    // sort would copy it), and parsed from the row without another copy.
    let row =
        sqlx::query("SELECT revision, created_at, updated_at, doc FROM threat_models WHERE id = ?")
            .bind(&id)
            .fetch_optional(&mut *conn)
            .await
            .db("reading a threat model")?
            // Deleted between the two reads.
            .ok_or_else(|| StoreError::not_found(format!("threat model {id}")))?;
    let what = format!("threat model {id}");
    let revision: i64 = row.try_get(0).db("reading a threat model")?;
    Ok(UnparsedHead {
        id: parse_uuid(&id, &what)?,
        revision: stored_u32(revision, &what)?,
        row,
    })
}

/// A model's diagram part as read, before parsing: parsing a large one
/// takes a while, so a regeneration does it on the rules' thread while the
/// threats are being read.
pub struct UnparsedHead {
    id: Uuid,
    revision: u32,
    row: sqlx::sqlite::SqliteRow,
}

impl UnparsedHead {
    pub fn id(&self) -> Uuid {
        self.id
    }

    pub fn revision(&self) -> u32 {
        self.revision
    }

    pub fn parse(self) -> Result<ThreatModelHead> {
        let what = format!("threat model {}", self.id);
        let row = &self.row;
        let (created_at, updated_at, head): (&str, &str, &str) = (
            row.try_get(1).db("reading a threat model")?,
            row.try_get(2).db("reading a threat model")?,
            row.try_get(3).db("reading a threat model")?,
        );
        let head: StoredForm =
            serde_json::from_str(head).map_err(|e| StoreError::corrupt(&what, e))?;
        Ok(ThreatModelHead {
            id: self.id,
            head,
            revision: self.revision,
            created_at: parse_time(created_at, &what)?,
            updated_at: parse_time(updated_at, &what)?,
        })
    }
}

/// The id of the model of `workspace` whose id is `name_or_id`, else whose
/// name is (ASCII case ignored), else whose id starts with it (as listed).
async fn find_model_id(
    conn: &mut SqliteConnection,
    workspace: Uuid,
    name_or_id: &str,
) -> Result<String> {
    let wanted = name_or_id.trim();
    let by_id = Uuid::parse_str(wanted)
        .map(|id| id.to_string())
        .unwrap_or_default();
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM threat_models
         WHERE workspace_id = ? AND (id = ? OR name = ?)
         ORDER BY id = ? DESC
         LIMIT 1",
    )
    .bind(workspace.to_string())
    .bind(&by_id)
    .bind(wanted)
    .bind(&by_id)
    .fetch_optional(&mut *conn)
    .await
    .db("reading a threat model")?;
    match row {
        Some((id,)) => Ok(id),
        None => id_with_prefix(conn, workspace, wanted)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("threat model \"{wanted}\""))),
    }
}

/// The threats of a page read by [`read_pages`], in position order.
fn parse_page(page: &str, what: &str) -> Result<Vec<FedThreat>> {
    let mut rows = page
        .split('\u{1e}')
        .map(|row| {
            let (position, doc) = row
                .split_once('\u{1f}')
                .ok_or_else(|| StoreError::corrupt(what, "a threat row without its position"))?;
            let position: i64 = position.parse().map_err(|e| {
                StoreError::corrupt(what, format!("threat position {position:?}: {e}"))
            })?;
            Ok((position, doc))
        })
        .collect::<Result<Vec<_>>>()?;
    if !rows.is_sorted_by_key(|(position, _)| *position) {
        rows.sort_unstable_by_key(|(position, _)| *position);
    }
    rows.into_iter()
        .map(|(_, doc)| FedThreat::parse(doc).map_err(|e| StoreError::corrupt(what, e)))
        .collect()
}

/// Reads the threats of model `id` at `revision` in model order, page by
/// page, inside one read transaction (so every page is of that revision).
async fn read_pages(
    conn: &mut SqliteConnection,
    id: Uuid,
    revision: u32,
    on_page: &mut (dyn FnMut(Vec<FedThreat>) + Send),
) -> Result<()> {
    let what = format!("threat model {id}");
    let id = id.to_string();
    // sqlx's transaction rolls back even if this future is dropped midway,
    // so the pooled connection never goes back with the transaction open.
    let mut tx = conn.begin().await.db("reading threats")?;
    let conn = &mut *tx;
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT name, revision FROM threat_models WHERE id = ?")
            .bind(&id)
            .fetch_optional(&mut *conn)
            .await
            .db("reading threats")?;
    let (name, stored) = row.ok_or_else(|| StoreError::not_found(what.clone()))?;
    let stored = stored_u32(stored, &what)?;
    if stored != revision {
        return Err(StoreError::Conflict {
            what: format!("threat model \"{name}\""),
            expected: revision,
            actual: stored,
        });
    }
    let mut after = i64::MIN;
    loop {
        // A page comes back as one row, each threat `position US doc`
        // and RS between threats (control characters JSON text never
        // holds): sqlx copies and frees every row it hands over, which
        // cost more than parsing them, and an ORDER BY inside the
        // aggregate would copy the page into a sorter, so the order is
        // restored here.
        let (count, last, page): (i64, Option<i64>, Option<String>) = sqlx::query_as(
            "SELECT count(*), max(position),
                    group_concat(position || char(31) || doc, char(30))
             FROM (SELECT position, doc FROM threats
                   WHERE threat_model_id = ? AND position > ?
                   ORDER BY position LIMIT ?)",
        )
        .bind(&id)
        .bind(after)
        .bind(THREAT_PAGE)
        .fetch_one(&mut *conn)
        .await
        .db("reading threats")?;
        if let (Some(last), Some(page)) = (last, page) {
            after = last;
            on_page(parse_page(&page, &what)?);
        }
        if count < THREAT_PAGE {
            break;
        }
    }
    // A read transaction: ending it changes nothing either way.
    tx.rollback().await.db("reading threats")
}

/// Rewrites the search index entries of the threats `plan` gives new text.
async fn update_fts(conn: &mut SqliteConnection, id: Uuid, plan: &RegenerationPlan) -> Result<()> {
    let texts: Vec<_> = plan
        .writes
        .iter()
        .filter_map(|w| {
            w.text
                .as_ref()
                .map(|text| (w.stored.id().to_string(), text))
        })
        .collect();
    if texts.is_empty() {
        return Ok(());
    }
    // One pass over the model's entries finds the ones to replace (the
    // threat id column is not indexed).
    let entries: Vec<(i64, String)> =
        sqlx::query_as("SELECT rowid, threat_id FROM threat_fts WHERE threat_model_id = ?")
            .bind(id.to_string())
            .fetch_all(&mut *conn)
            .await
            .db("updating the threat search index")?;
    let rowid_of: HashMap<String, i64> = entries.into_iter().map(|(r, t)| (t, r)).collect();
    for (threat_id, (title, description)) in texts {
        if let Some(rowid) = rowid_of.get(&threat_id) {
            sqlx::query("DELETE FROM threat_fts WHERE rowid = ?")
                .bind(rowid)
                .execute(&mut *conn)
                .await
                .db("updating the threat search index")?;
        }
        sqlx::query(
            "INSERT INTO threat_fts (threat_model_id, threat_id, title, description)
             VALUES (?, ?, ?, ?)",
        )
        .bind(id.to_string())
        .bind(&threat_id)
        .bind(title)
        .bind(description)
        .execute(&mut *conn)
        .await
        .db("updating the threat search index")?;
    }
    Ok(())
}

type Row = (String, i64, String, String, String);
type RawRow = (String, i64, String, String, String, String);

/// The whole stored-form document: `head` (a JSON object without a
/// `threats` key) with `threats` (a JSON array) as its last field.
fn assemble(head: &str, threats: &str) -> String {
    let body = head.trim_end();
    let body = body.strip_suffix('}').unwrap_or(body).trim_end();
    let mut doc = String::with_capacity(body.len() + threats.len() + 16);
    doc.push_str(body);
    if !body.ends_with('{') {
        doc.push(',');
    }
    doc.push_str("\"threats\":");
    doc.push_str(threats);
    doc.push('}');
    doc
}

fn whole(row: RawRow) -> Row {
    let (id, revision, created_at, updated_at, head, threats) = row;
    let doc = assemble(&head, &threats);
    (id, revision, created_at, updated_at, doc)
}

/// The bundled STRIDE rules, which give back the text the stored form leaves out.
fn rules() -> Result<&'static RuleSet> {
    RuleSet::bundled_shared()
        .map_err(|e| StoreError::Invalid(format!("the bundled STRIDE rules do not load: {e}")))
}

/// A stored document (stored or full form) as a model.
fn parse_doc(doc: &str, what: &str) -> Result<ThreatModel> {
    let form: StoredForm = serde_json::from_str(doc).map_err(|e| StoreError::corrupt(what, e))?;
    Ok(form.into_model(rules()?))
}

fn decode(row: Row) -> Result<StoredThreatModel> {
    let (id, revision, created_at, updated_at, doc) = row;
    let what = format!("threat model {id}");
    let mut model = parse_doc(&doc, &what)?;
    drop(doc);
    model.id = parse_uuid(&id, &what)?;
    Ok(StoredThreatModel {
        model,
        revision: stored_u32(revision, &what)?,
        created_at: parse_time(&created_at, &what)?,
        updated_at: parse_time(&updated_at, &what)?,
    })
}

/// A model in the stored form: the diagram part and each threat (id, rule,
/// obsolete, JSON) as their rows hold them, and the whole document the
/// revisions keep.
struct Encoded {
    head: String,
    threats: Vec<EncodedThreat>,
    doc: String,
}

struct EncodedThreat {
    id: String,
    rule_id: Option<String>,
    obsolete: bool,
    json: String,
}

fn to_json(model: &ThreatModel) -> Result<Encoded> {
    let form = StoredThreatModelRef::new(model, rules()?);
    let bad = |e| StoreError::corrupt(format!("threat model \"{}\"", model.name), e);
    let head = serde_json::to_string(&form.head()).map_err(bad)?;
    let threats = form
        .threats()
        .iter()
        .map(|t| {
            Ok(EncodedThreat {
                id: t.id().to_string(),
                rule_id: t.rule_id().map(str::to_string),
                obsolete: t.obsolete(),
                json: serde_json::to_string(t).map_err(bad)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let mut array =
        String::with_capacity(threats.iter().map(|t| t.json.len() + 1).sum::<usize>() + 2);
    array.push('[');
    for (i, t) in threats.iter().enumerate() {
        if i > 0 {
            array.push(',');
        }
        array.push_str(&t.json);
    }
    array.push(']');
    let doc = assemble(&head, &array);
    Ok(Encoded { head, threats, doc })
}

/// Brings the threat rows of model `id` to `threats` (model order), writing
/// only the rows that differ and deleting those of threats no longer in it.
async fn write_threat_rows(
    conn: &mut SqliteConnection,
    id: Uuid,
    threats: &[EncodedThreat],
) -> Result<()> {
    let stored: Vec<(String, i64, String)> =
        sqlx::query_as("SELECT threat_id, position, doc FROM threats WHERE threat_model_id = ?")
            .bind(id.to_string())
            .fetch_all(&mut *conn)
            .await
            .db("reading threats")?;
    let mut stored: HashMap<String, (i64, String)> = stored
        .into_iter()
        .map(|(threat, position, doc)| (threat, (position, doc)))
        .collect();
    for (position, t) in threats.iter().enumerate() {
        let position = i64::try_from(position).unwrap_or(i64::MAX);
        if let Some((at, doc)) = stored.remove(&t.id) {
            if at == position && doc == t.json {
                continue;
            }
        }
        sqlx::query(
            "INSERT INTO threats (threat_model_id, threat_id, position, rule_id, obsolete, doc)
             VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (threat_model_id, threat_id) DO UPDATE SET
                 position = excluded.position, rule_id = excluded.rule_id,
                 obsolete = excluded.obsolete, doc = excluded.doc",
        )
        .bind(id.to_string())
        .bind(&t.id)
        .bind(position)
        .bind(&t.rule_id)
        .bind(t.obsolete)
        .bind(&t.json)
        .execute(&mut *conn)
        .await
        .db("saving threats")?;
    }
    for gone in stored.keys() {
        sqlx::query("DELETE FROM threats WHERE threat_model_id = ? AND threat_id = ?")
            .bind(id.to_string())
            .bind(gone)
            .execute(&mut *conn)
            .await
            .db("saving threats")?;
    }
    Ok(())
}

fn validated(model: &ThreatModel) -> Result<()> {
    model
        .validate()
        .map_err(|e| StoreError::Invalid(format!("threat model \"{}\": {e}", model.name)))
}

/// Every threat model of a workspace, by name, read on one connection (a
/// transaction's, for a check before a write).
pub(crate) async fn models_in(
    conn: &mut SqliteConnection,
    workspace: Uuid,
) -> Result<Vec<StoredThreatModel>> {
    let rows: Vec<RawRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM threat_models WHERE workspace_id = ? ORDER BY name, id"
    ))
    .bind(workspace.to_string())
    .fetch_all(conn)
    .await
    .db("listing threat models")?;
    rows.into_iter().map(|r| decode(whole(r))).collect()
}

async fn fetch(conn: &mut SqliteConnection, id: Uuid) -> Result<Option<StoredThreatModel>> {
    let row: Option<RawRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM threat_models WHERE id = ?"))
            .bind(id.to_string())
            .fetch_optional(conn)
            .await
            .db("reading a threat model")?;
    row.map(|r| decode(whole(r))).transpose()
}

async fn fetch_required(conn: &mut SqliteConnection, id: Uuid) -> Result<StoredThreatModel> {
    fetch(conn, id)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("threat model {id}")))
}

/// Refuses a name another model of the workspace already has (ASCII case
/// ignored, as the UNIQUE column does).
async fn ensure_name_free(
    conn: &mut SqliteConnection,
    workspace: Uuid,
    name: &str,
    except: Uuid,
) -> Result<()> {
    let taken: Option<(String,)> = sqlx::query_as(
        "SELECT id FROM threat_models WHERE workspace_id = ? AND name = ? AND id <> ?",
    )
    .bind(workspace.to_string())
    .bind(name)
    .bind(except.to_string())
    .fetch_optional(conn)
    .await
    .db("checking a threat model name")?;
    match taken {
        Some(_) => Err(StoreError::Invalid(format!(
            "a threat model named \"{name}\" already exists in this workspace"
        ))),
        None => Ok(()),
    }
}

async fn write_fts(conn: &mut SqliteConnection, model: &ThreatModel) -> Result<()> {
    sqlx::query("DELETE FROM threat_fts WHERE threat_model_id = ?")
        .bind(model.id.to_string())
        .execute(&mut *conn)
        .await
        .db("updating the threat search index")?;
    for t in &model.threats {
        sqlx::query(
            "INSERT INTO threat_fts (threat_model_id, threat_id, title, description)
             VALUES (?, ?, ?, ?)",
        )
        .bind(model.id.to_string())
        .bind(t.id.to_string())
        .bind(&t.title)
        .bind(&t.description)
        .execute(&mut *conn)
        .await
        .db("updating the threat search index")?;
    }
    Ok(())
}

async fn append_revision(
    conn: &mut SqliteConnection,
    id: Uuid,
    revision: u32,
    saved_at: DateTime<Utc>,
    summary: &str,
    doc: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO threat_model_revisions (threat_model_id, revision, saved_at, summary, doc)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(i64::from(revision))
    .bind(time_text(saved_at))
    .bind(summary)
    .bind(doc)
    .execute(conn)
    .await
    .db("recording a threat model revision")?;
    Ok(())
}

/// Names of the top-level fields that differ, in declaration order.
fn changed_fields(old: &ThreatModel, new: &ThreatModel) -> Vec<&'static str> {
    // Destructured so a field added to ThreatModel fails to compile here
    // until it is compared too.
    let ThreatModel {
        id: _,
        workspace_id: _,
        name,
        description,
        repositories,
        diagrams,
        data_assets,
        threats,
    } = old;
    let mut out = Vec::new();
    push_changed!(out, new;
        name,
        description,
        repositories,
        diagrams,
        data_assets,
        threats
    );
    out
}

/// The body of a model save inside the caller's transaction (see
/// [`Store::save_threat_model_as`]); the caller commits.
pub(crate) async fn save_in(
    tx: &mut SqliteConnection,
    id: Uuid,
    expected_revision: u32,
    model: &ThreatModel,
    summary: Option<&str>,
) -> Result<StoredThreatModel> {
    if model.id != id {
        return Err(StoreError::Invalid(format!(
            "the threat model has id {}, not {id}",
            model.id
        )));
    }
    validated(model)?;
    let row: RawRow = sqlx::query_as(&format!("SELECT {COLUMNS} FROM threat_models WHERE id = ?"))
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await
        .db("reading a threat model")?
        .ok_or_else(|| StoreError::not_found(format!("threat model {id}")))?;
    let row = whole(row);
    let stored_revision = stored_u32(row.1, &format!("threat model {id}"))?;
    if stored_revision != expected_revision {
        let current = decode(row)?;
        return Err(StoreError::Conflict {
            what: format!("threat model \"{}\"", current.model.name),
            expected: expected_revision,
            actual: current.revision,
        });
    }
    let encoded = to_json(model)?;
    if encoded.doc == row.4 {
        // The same document: nothing to save, and no need to decode the
        // stored one (tens of MB for thousands of elements).
        let what = format!("threat model {id}");
        return Ok(StoredThreatModel {
            model: model.clone(),
            revision: stored_revision,
            created_at: parse_time(&row.2, &what)?,
            updated_at: parse_time(&row.3, &what)?,
        });
    }
    let current = decode(row)?;
    if model.workspace_id != current.model.workspace_id {
        return Err(StoreError::Invalid(
            "a threat model cannot move to another workspace".into(),
        ));
    }
    let changed = changed_fields(&current.model, model);
    if changed.is_empty() {
        return Ok(current);
    }
    ensure_name_free(tx, model.workspace_id, &model.name, id).await?;
    let revision = current.revision.checked_add(1).ok_or_else(|| {
        StoreError::Invalid(format!(
            "threat model \"{}\" has too many revisions",
            model.name
        ))
    })?;
    let now = stored_now();
    let done = sqlx::query(
        "UPDATE threat_models SET name = ?, revision = ?, updated_at = ?, doc = ?
         WHERE id = ? AND revision = ?",
    )
    .bind(&model.name)
    .bind(i64::from(revision))
    .bind(time_text(now))
    .bind(&encoded.head)
    .bind(id.to_string())
    .bind(i64::from(current.revision))
    .execute(&mut *tx)
    .await
    .db("saving a threat model")?;
    if done.rows_affected() != 1 {
        // Unreachable under BEGIN IMMEDIATE, kept as a guard.
        return Err(StoreError::Conflict {
            what: format!("threat model \"{}\"", model.name),
            expected: expected_revision,
            actual: revision,
        });
    }
    write_threat_rows(tx, id, &encoded.threats).await?;
    write_fts(tx, model).await?;
    let summary = match summary {
        Some(s) => format!("{s}: {}", changed.join(", ")),
        None => changed.join(", "),
    };
    append_revision(tx, id, revision, now, &summary, &encoded.doc).await?;
    Ok(StoredThreatModel {
        model: model.clone(),
        revision,
        created_at: current.created_at,
        updated_at: now,
    })
}

/// [`Store::create_threat_model`] inside the caller's write transaction.
pub(crate) async fn create_model_in(
    tx: &mut SqliteConnection,
    model: &ThreatModel,
) -> Result<StoredThreatModel> {
    validated(model)?;
    let ws: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM workspaces WHERE id = ?")
        .bind(model.workspace_id.to_string())
        .fetch_optional(&mut *tx)
        .await
        .db("creating a threat model")?;
    if ws.is_none() {
        return Err(StoreError::not_found(format!(
            "workspace {}",
            model.workspace_id
        )));
    }
    if fetch(tx, model.id).await?.is_some() {
        return Err(StoreError::Invalid(format!(
            "a threat model with id {} already exists",
            model.id
        )));
    }
    ensure_name_free(tx, model.workspace_id, &model.name, model.id).await?;
    let encoded = to_json(model)?;
    let now = stored_now();
    sqlx::query(
        "INSERT INTO threat_models (id, workspace_id, name, revision, created_at, updated_at, doc)
         VALUES (?, ?, ?, 1, ?, ?, ?)",
    )
    .bind(model.id.to_string())
    .bind(model.workspace_id.to_string())
    .bind(&model.name)
    .bind(time_text(now))
    .bind(time_text(now))
    .bind(&encoded.head)
    .execute(&mut *tx)
    .await
    .db("creating a threat model")?;
    write_threat_rows(tx, model.id, &encoded.threats).await?;
    write_fts(tx, model).await?;
    append_revision(tx, model.id, 1, now, "created", &encoded.doc).await?;
    Ok(StoredThreatModel {
        model: model.clone(),
        revision: 1,
        created_at: now,
        updated_at: now,
    })
}

impl Store {
    /// Every threat model of a workspace, by name.
    pub async fn list_threat_models(&self, workspace: Uuid) -> Result<Vec<StoredThreatModel>> {
        let mut conn = self.pool.acquire().await.db("listing threat models")?;
        models_in(&mut conn, workspace).await
    }

    /// The ids of the models of `workspace`, by name.
    pub async fn threat_model_ids(&self, workspace: Uuid) -> Result<Vec<Uuid>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT id FROM threat_models WHERE workspace_id = ? ORDER BY name, id")
                .bind(workspace.to_string())
                .fetch_all(&self.pool)
                .await
                .db("listing threat models")?;
        rows.iter()
            .map(|(id,)| parse_uuid(id, "threat model id"))
            .collect()
    }

    /// Each model's id, name and description, read by SQLite without
    /// handing over the diagram or the threats (for search, which runs on
    /// every keystroke).
    pub async fn threat_model_names(&self, workspace: Uuid) -> Result<Vec<(Uuid, String, String)>> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id, name, COALESCE(json_extract(doc, '$.description'), '')
             FROM threat_models WHERE workspace_id = ? ORDER BY name, id",
        )
        .bind(workspace.to_string())
        .fetch_all(&self.pool)
        .await
        .db("listing threat model names")?;
        rows.into_iter()
            .map(|(id, name, description)| {
                Ok((parse_uuid(&id, "threat model id")?, name, description))
            })
            .collect()
    }

    pub async fn get_threat_model(&self, id: Uuid) -> Result<StoredThreatModel> {
        let mut conn = self.pool.acquire().await.db("reading a threat model")?;
        fetch_required(&mut conn, id).await
    }

    /// The model of `workspace` whose id is `name_or_id`, else whose name
    /// is (ASCII case ignored).
    pub async fn get_threat_model_by_name(
        &self,
        workspace: Uuid,
        name_or_id: &str,
    ) -> Result<StoredThreatModel> {
        let mut conn = self.pool.acquire().await.db("reading a threat model")?;
        let id = find_model_id(&mut conn, workspace, name_or_id).await?;
        let row: Option<RawRow> =
            sqlx::query_as(&format!("SELECT {COLUMNS} FROM threat_models WHERE id = ?"))
                .bind(&id)
                .fetch_optional(&mut *conn)
                .await
                .db("reading a threat model")?;
        row.map(|r| decode(whole(r)))
            .transpose()?
            .ok_or_else(|| StoreError::not_found(format!("threat model {id}")))
    }

    /// Stores a new model at revision 1. Refused when it does not validate,
    /// when its id is taken, or when the workspace already has a model with
    /// that name.
    pub async fn create_threat_model(&self, model: &ThreatModel) -> Result<StoredThreatModel> {
        let mut tx = self.write_tx("creating a threat model").await?;
        let stored = create_model_in(&mut tx, model).await?;
        tx.commit().await.db("creating a threat model")?;
        Ok(stored)
    }

    /// Saves `model` over the stored one, in one transaction. Refused with
    /// [`StoreError::Conflict`] when the stored model is no longer at
    /// `expected_revision` (nothing is written). A model equal to the stored
    /// one is returned as is, without a new revision; any other save
    /// appends a revision naming the fields that changed.
    pub async fn save_threat_model(
        &self,
        id: Uuid,
        expected_revision: u32,
        model: &ThreatModel,
    ) -> Result<StoredThreatModel> {
        self.save_threat_model_as(id, expected_revision, model, None)
            .await
    }

    /// [`Store::save_threat_model`] with the revision's summary given by the
    /// caller ("imported from x.json", "regenerated threats").
    pub async fn save_threat_model_as(
        &self,
        id: Uuid,
        expected_revision: u32,
        model: &ThreatModel,
        summary: Option<&str>,
    ) -> Result<StoredThreatModel> {
        let mut tx = self.write_tx("saving a threat model").await?;
        let stored = save_in(&mut tx, id, expected_revision, model, summary).await?;
        tx.commit().await.db("saving a threat model")?;
        Ok(stored)
    }

    /// A threat model's history, newest first.
    pub async fn list_threat_model_revisions(&self, id: Uuid) -> Result<Vec<RevisionSummary>> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .db("listing threat model revisions")?;
        fetch_required(&mut conn, id).await?;
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT revision, saved_at, summary FROM threat_model_revisions
             WHERE threat_model_id = ? ORDER BY revision DESC",
        )
        .bind(id.to_string())
        .fetch_all(&mut *conn)
        .await
        .db("listing threat model revisions")?;
        revision_summaries(rows)
    }

    /// The model as it was saved at `revision`.
    pub async fn get_threat_model_revision(&self, id: Uuid, revision: u32) -> Result<ThreatModel> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT doc FROM threat_model_revisions WHERE threat_model_id = ? AND revision = ?",
        )
        .bind(id.to_string())
        .bind(i64::from(revision))
        .fetch_optional(&self.pool)
        .await
        .db("reading a threat model revision")?;
        let what = format!("revision {revision} of threat model {id}");
        let (doc,) = row.ok_or_else(|| StoreError::not_found(what.clone()))?;
        let mut model = parse_doc(&doc, &what)?;
        model.id = id;
        Ok(model)
    }

    /// Deletes a model with its history and index rows.
    pub async fn delete_threat_model(&self, id: Uuid) -> Result<()> {
        let mut tx = self.write_tx("deleting a threat model").await?;
        let done = sqlx::query("DELETE FROM threat_models WHERE id = ?")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .db("deleting a threat model")?;
        if done.rows_affected() == 0 {
            return Err(StoreError::not_found(format!("threat model {id}")));
        }
        sqlx::query("DELETE FROM threat_fts WHERE threat_model_id = ?")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .db("deleting a threat model")?;
        tx.commit().await.db("deleting a threat model")
    }

    /// The model of `workspace` whose id is `name_or_id`, else whose name
    /// is, in parts for a regeneration: the diagram part and the stored
    /// threats, read page by page.
    pub async fn get_threat_model_parts(
        &self,
        workspace: Uuid,
        name_or_id: &str,
    ) -> Result<ThreatModelParts> {
        let head = self.get_threat_model_head(workspace, name_or_id).await?;
        let mut threats = Vec::new();
        self.read_stored_threats(head.id, head.revision, |page| threats.extend(page))
            .await?;
        Ok(ThreatModelParts {
            id: head.id,
            head: head.head,
            threats,
            revision: head.revision,
            created_at: head.created_at,
            updated_at: head.updated_at,
        })
    }

    /// The diagram part of the model of `workspace` whose id is
    /// `name_or_id`, else whose name is, without its threats.
    pub async fn get_threat_model_head(
        &self,
        workspace: Uuid,
        name_or_id: &str,
    ) -> Result<ThreatModelHead> {
        self.read_threat_model_head(workspace, name_or_id)
            .await?
            .parse()
    }

    /// [`Store::get_threat_model_head`], parsed later.
    pub async fn read_threat_model_head(
        &self,
        workspace: Uuid,
        name_or_id: &str,
    ) -> Result<UnparsedHead> {
        let mut conn = self.pool.acquire().await.db("reading a threat model")?;
        read_head(&mut conn, workspace, name_or_id).await
    }

    /// Hands the stored threats of model `id` to `on_page` in model order,
    /// a page at a time, all as of `revision` (else [`StoreError::Conflict`]
    /// before any page): a regeneration compares them as they come and
    /// keeps none.
    pub async fn read_stored_threats(
        &self,
        id: Uuid,
        revision: u32,
        mut on_page: impl FnMut(Vec<FedThreat>) + Send,
    ) -> Result<()> {
        let mut conn = self.pool.acquire().await.db("reading threats")?;
        sqlx::query(&format!("PRAGMA cache_size = -{STREAMING_CACHE_KIB}"))
            .execute(&mut *conn)
            .await
            .db("reading threats")?;
        let read = read_pages(&mut conn, id, revision, &mut on_page).await;
        sqlx::query(&format!("PRAGMA cache_size = -{}", crate::CACHE_SIZE_KIB))
            .execute(&mut *conn)
            .await
            .db("reading threats")?;
        read
    }

    /// Writes what a regeneration changed ([`RegenerationPlan`]) to model
    /// `id`, which must still be at `expected_revision` (else
    /// [`StoreError::Conflict`], nothing written): the changed and new
    /// threat rows, their search index entries, the revision with the whole
    /// document. An empty plan writes nothing and keeps the revision.
    /// Returns the revision and time of the model after it.
    pub async fn apply_regeneration(
        &self,
        id: Uuid,
        expected_revision: u32,
        plan: &RegenerationPlan,
        summary: &str,
    ) -> Result<(u32, DateTime<Utc>)> {
        let mut tx = self.write_tx("saving regenerated threats").await?;
        let row: Option<(String, i64, String)> =
            sqlx::query_as("SELECT name, revision, updated_at FROM threat_models WHERE id = ?")
                .bind(id.to_string())
                .fetch_optional(&mut *tx)
                .await
                .db("saving regenerated threats")?;
        let what = format!("threat model {id}");
        let (name, revision, updated_at) =
            row.ok_or_else(|| StoreError::not_found(what.clone()))?;
        let stored_revision = stored_u32(revision, &what)?;
        if stored_revision != expected_revision {
            return Err(StoreError::Conflict {
                what: format!("threat model \"{name}\""),
                expected: expected_revision,
                actual: stored_revision,
            });
        }
        if plan.is_empty() {
            return Ok((stored_revision, parse_time(&updated_at, &what)?));
        }
        let revision = stored_revision.checked_add(1).ok_or_else(|| {
            StoreError::Invalid(format!("threat model \"{name}\" has too many revisions"))
        })?;
        let (last,): (Option<i64>,) =
            sqlx::query_as("SELECT max(position) FROM threats WHERE threat_model_id = ?")
                .bind(id.to_string())
                .fetch_one(&mut *tx)
                .await
                .db("saving regenerated threats")?;
        let mut next = last.map_or(0, |p| p.saturating_add(1));
        let bad = |e| StoreError::corrupt(format!("threat model \"{name}\""), e);
        for w in &plan.writes {
            let json = serde_json::to_string(&w.stored).map_err(bad)?;
            let threat_id = w.stored.id().to_string();
            if w.insert {
                sqlx::query(
                    "INSERT INTO threats
                         (threat_model_id, threat_id, position, rule_id, obsolete, doc)
                     VALUES (?, ?, ?, ?, ?, ?)",
                )
                .bind(id.to_string())
                .bind(&threat_id)
                .bind(next)
                .bind(w.stored.rule_id())
                .bind(w.stored.obsolete())
                .bind(&json)
                .execute(&mut *tx)
                .await
                .db("saving regenerated threats")?;
                next = next.saturating_add(1);
            } else {
                let done = sqlx::query(
                    "UPDATE threats SET rule_id = ?, obsolete = ?, doc = ?
                     WHERE threat_model_id = ? AND threat_id = ?",
                )
                .bind(w.stored.rule_id())
                .bind(w.stored.obsolete())
                .bind(&json)
                .bind(id.to_string())
                .bind(&threat_id)
                .execute(&mut *tx)
                .await
                .db("saving regenerated threats")?;
                if done.rows_affected() != 1 {
                    return Err(StoreError::Invalid(format!(
                        "threat {threat_id} is not in threat model \"{name}\""
                    )));
                }
            }
        }
        update_fts(&mut tx, id, plan).await?;
        let now = stored_now();
        sqlx::query("UPDATE threat_models SET revision = ?, updated_at = ? WHERE id = ?")
            .bind(i64::from(revision))
            .bind(time_text(now))
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .db("saving regenerated threats")?;
        let (head, threats): (String, String) = sqlx::query_as(&format!(
            "SELECT doc, ({}) FROM threat_models WHERE id = ?",
            THREATS_ARRAY
        ))
        .bind(id.to_string())
        .fetch_one(&mut *tx)
        .await
        .db("saving regenerated threats")?;
        let doc = assemble(&head, &threats);
        drop((head, threats));
        append_revision(
            &mut tx,
            id,
            revision,
            now,
            &format!("{summary}: threats"),
            &doc,
        )
        .await?;
        tx.commit().await.db("saving regenerated threats")?;
        Ok((revision, now))
    }

    /// Finds threats of a workspace's models whose title or description
    /// holds every word of `query` (each as a prefix), best first.
    pub async fn search_threats(
        &self,
        workspace: Uuid,
        query: &str,
        limit: u32,
    ) -> Result<Vec<ThreatSearchHit>> {
        let Some(fts) = fts_query(query) else {
            return Ok(Vec::new());
        };
        let rows: Vec<(String, String, String, String, String, f64)> = sqlx::query_as(
            "SELECT m.id, m.name, threat_fts.threat_id, threat_fts.title,
                    snippet(threat_fts, -1, '«', '»', '…', 16),
                    bm25(threat_fts, 0.0, 0.0, 10.0, 1.0) AS score
             FROM threat_fts JOIN threat_models m ON m.id = threat_fts.threat_model_id
             WHERE threat_fts MATCH ? AND m.workspace_id = ?
             ORDER BY score, m.name, threat_fts.title
             LIMIT ?",
        )
        .bind(fts)
        .bind(workspace.to_string())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .db("searching threats")?;
        rows.into_iter()
            .map(|(model_id, name, threat_id, title, snippet, score)| {
                Ok(ThreatSearchHit {
                    threat_model_id: parse_uuid(&model_id, "threat model id")?,
                    threat_model_name: name,
                    threat_id: parse_uuid(&threat_id, "threat id")?,
                    title,
                    snippet,
                    rank: -score,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn doc(id: u128) -> String {
        format!(
            r#"{{"id":"{}","title":"Row {id}","category":"spoofing","target":{{"kind":"element","id":"{}"}},"likelihood":"low","impact":"low"}}"#,
            Uuid::from_u128(id),
            Uuid::from_u128(99)
        )
    }

    #[test]
    fn a_page_reads_back_in_position_order_whatever_order_it_arrives_in() {
        let page = [(7, doc(3)), (2, doc(1)), (5, doc(2))]
            .iter()
            .map(|(position, doc)| format!("{position}\u{1f}{doc}"))
            .collect::<Vec<_>>()
            .join("\u{1e}");
        let ids: Vec<Uuid> = parse_page(&page, "model")
            .unwrap()
            .iter()
            .map(FedThreat::id)
            .collect();
        assert_eq!(ids, [1, 2, 3].map(Uuid::from_u128));
    }

    #[test]
    fn a_damaged_page_is_an_error_naming_the_model() {
        for page in [doc(1), format!("x\u{1f}{}", doc(1)), "1\u{1f}{".to_string()] {
            let err = parse_page(&page, "threat model 42").unwrap_err();
            assert!(err.to_string().contains("threat model 42"), "{err}");
        }
    }
}

//! Full-text search over a workspace's ADRs (FTS5, bm25).

use std::collections::HashMap;

use uuid::Uuid;

use crate::codec::{adr_from_json, fts_body, fts_query, parse_uuid, stored_u32};
use crate::error::DbContext;
use crate::snippet::{query_terms, snippet};
use crate::{Result, SearchHit, Store};

/// bm25 column weights: number, title, status, tags, body. A title match
/// outranks the same word in the body.
const RANK: &str = "bm25(adr_fts, 2.0, 10.0, 2.0, 4.0, 1.0)";

/// Extra ranked rows fetched beyond the limit, so that records of other
/// workspaces among the best rarely force the slower joined query.
const SLACK: u32 = 16;

/// `(rowid, score)` of the best matches, best first.
type Ranked = Vec<(i64, f64)>;
/// `(id, number, title, status, workspace_id, fts_rowid)` of an ADR.
type HitRow = (String, i64, String, String, String, i64);

impl Store {
    /// Finds ADRs containing every word of `query` (each as a prefix,
    /// accents ignored), best match first; equal scores in the order the
    /// records were first indexed (creation or import order). Any text is
    /// accepted: FTS operators and quotes in it are treated as plain words
    /// or dropped.
    pub async fn search(&self, workspace: Uuid, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let Some(fts) = fts_query(query) else {
            return Ok(Vec::new());
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut conn = self.pool.acquire().await.db("searching")?;
        // Rank inside the index alone first: joining every match to `adrs`
        // for the workspace and the number costs more than bm25 itself.
        let fetch = limit.saturating_add(SLACK);
        let ranked: Ranked = sqlx::query_as(&format!(
            "SELECT rowid, {RANK} AS score FROM adr_fts WHERE adr_fts MATCH ?1
             ORDER BY score, rowid LIMIT ?2"
        ))
        .bind(&fts)
        .bind(i64::from(fetch))
        .fetch_all(&mut *conn)
        .await
        .db("searching")?;
        let ws = workspace.to_string();
        let mut top = in_workspace(&mut conn, &ranked, &ws).await?;
        // (score, rowid) is a total order, so the workspace's first `limit`
        // among the global best are its own best, as long as there are that
        // many (or the global list was complete).
        if ranked.len() == fetch as usize && top.len() < limit as usize {
            // Other workspaces crowd the best matches: rank within this one.
            let ranked: Ranked = sqlx::query_as(&format!(
                "SELECT adr_fts.rowid, {RANK} AS score
                 FROM adr_fts JOIN adrs a ON a.fts_rowid = adr_fts.rowid
                 WHERE adr_fts MATCH ?1 AND a.workspace_id = ?2
                 ORDER BY score, adr_fts.rowid
                 LIMIT ?3"
            ))
            .bind(&fts)
            .bind(&ws)
            .bind(i64::from(limit))
            .fetch_all(&mut *conn)
            .await
            .db("searching")?;
            top = in_workspace(&mut conn, &ranked, &ws).await?;
        }
        top.truncate(limit as usize);
        // Snippets for the records shown only, made from the indexed text
        // (the index keeps no copy of it: it is rebuilt from the record).
        let terms = query_terms(query);
        let snippets: HashMap<i64, String> = if top.is_empty() {
            HashMap::new()
        } else {
            let rowids = top.iter().map(|(_, r)| r.5.to_string()).collect::<Vec<_>>();
            let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
                "SELECT fts_rowid, doc FROM adrs WHERE fts_rowid IN ({})",
                rowids.join(",")
            ))
            .fetch_all(&mut *conn)
            .await
            .db("searching")?;
            rows.into_iter()
                .map(|(rowid, doc)| {
                    let adr = adr_from_json(&doc, "a search hit")?;
                    let text = fts_body(&adr);
                    let tags = adr.tags.join(" ");
                    Ok((rowid, snippet(&[&adr.title, &tags, &text], &terms)))
                })
                .collect::<Result<_>>()?
        };
        top.into_iter()
            .map(|(score, (id, number, title, status, _, rowid))| {
                Ok(SearchHit {
                    adr_id: parse_uuid(&id, "ADR id")?,
                    number: stored_u32(number, "ADR number")?,
                    title,
                    status,
                    snippet: snippets.get(&rowid).cloned().unwrap_or_default(),
                    rank: -score,
                })
            })
            .collect()
    }

    /// The ids of every ADR of a workspace that matches `query` (the same
    /// matching as [`Store::search`]), unranked and without snippets: for
    /// filtering a list.
    pub async fn matching_adr_ids(&self, workspace: Uuid, query: &str) -> Result<Vec<Uuid>> {
        let Some(fts) = fts_query(query) else {
            return Ok(Vec::new());
        };
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT a.id FROM adr_fts JOIN adrs a ON a.fts_rowid = adr_fts.rowid
             WHERE adr_fts MATCH ?1 AND a.workspace_id = ?2",
        )
        .bind(fts)
        .bind(workspace.to_string())
        .fetch_all(&self.pool)
        .await
        .db("searching")?;
        rows.into_iter()
            .map(|(id,)| parse_uuid(&id, "ADR id"))
            .collect()
    }
}

/// The `adrs` rows of `workspace` behind ranked index rows, in rank order.
async fn in_workspace(
    conn: &mut sqlx::SqliteConnection,
    ranked: &[(i64, f64)],
    workspace: &str,
) -> Result<Vec<(f64, HitRow)>> {
    if ranked.is_empty() {
        return Ok(Vec::new());
    }
    // Row ids are integers from SQLite itself, so they are inlined. The
    // workspace is checked here, not in SQL: given `workspace_id = ?` the
    // planner walks the workspace's index instead of looking up the ids.
    let list = ranked.iter().map(|r| r.0.to_string()).collect::<Vec<_>>();
    let rows: Vec<HitRow> = sqlx::query_as(&format!(
        "SELECT id, number, title, status, workspace_id, fts_rowid FROM adrs
         WHERE fts_rowid IN ({})",
        list.join(",")
    ))
    .fetch_all(conn)
    .await
    .db("searching")?;
    let mut by_rowid: HashMap<i64, HitRow> = rows
        .into_iter()
        .filter(|r| r.4 == workspace)
        .map(|r| (r.5, r))
        .collect();
    Ok(ranked
        .iter()
        .filter_map(|(rowid, score)| by_rowid.remove(rowid).map(|row| (*score, row)))
        .collect())
}

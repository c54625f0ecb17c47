//! Full-text search over a workspace's ADRs (FTS5, bm25).

use uuid::Uuid;

use crate::codec::{fts_query, parse_uuid, stored_u32};
use crate::error::DbContext;
use crate::{Result, SearchHit, Store};

/// bm25 column weights: number, title, status, tags, body. A title match
/// outranks the same word in the body.
const RANK: &str = "bm25(adr_fts, 2.0, 10.0, 2.0, 4.0, 1.0)";

impl Store {
    /// Finds ADRs containing every word of `query` (each as a prefix,
    /// accents ignored), best match first. Any text is accepted: FTS
    /// operators and quotes in it are treated as plain words or dropped.
    pub async fn search(&self, workspace: Uuid, query: &str, limit: u32) -> Result<Vec<SearchHit>> {
        let Some(fts) = fts_query(query) else {
            return Ok(Vec::new());
        };
        // Rank first and keep only the best `limit`; snippets (the costly
        // part) are then made for those rows alone, not for every match.
        let sql = format!(
            "WITH top AS (
                 SELECT adr_fts.rowid AS rid, {RANK} AS score, a.number AS number
                 FROM adr_fts JOIN adrs a ON a.fts_rowid = adr_fts.rowid
                 WHERE adr_fts MATCH ?1 AND a.workspace_id = ?2
                 ORDER BY score, a.number
                 LIMIT ?3)
             SELECT a.id, a.number, a.title, a.status,
                    snippet(adr_fts, -1, '«', '»', '…', 16),
                    top.score
             FROM top
             JOIN adr_fts ON adr_fts.rowid = top.rid
             JOIN adrs a ON a.fts_rowid = top.rid
             WHERE adr_fts MATCH ?1
             ORDER BY top.score, top.number"
        );
        let rows: Vec<(String, i64, String, String, String, f64)> = sqlx::query_as(&sql)
            .bind(fts)
            .bind(workspace.to_string())
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .db("searching")?;
        rows.into_iter()
            .map(|(id, number, title, status, snippet, score)| {
                Ok(SearchHit {
                    adr_id: parse_uuid(&id, "ADR id")?,
                    number: stored_u32(number, "ADR number")?,
                    title,
                    status,
                    snippet,
                    rank: -score,
                })
            })
            .collect()
    }
}

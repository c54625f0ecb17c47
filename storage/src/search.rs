//! Full-text search over a workspace's ADRs (FTS5, bm25).

use uuid::Uuid;

use crate::codec::{adr_from_json, fts_body, fts_query, parse_uuid, stored_u32};
use crate::error::DbContext;
use crate::packed::{self, Unpacker};
use crate::snippet::{query_terms, snippet, snippet_of_first};
use crate::{Result, SearchHit, Store};

/// bm25 column weights: number, title, status, tags, body. A title match
/// outranks the same word in the body.
const RANK: &str = "bm25(adr_fts, 2.0, 10.0, 2.0, 4.0, 1.0)";

/// Extra ranked rows fetched beyond the limit, so that records of other
/// workspaces among the best rarely force the slower joined query.
const SLACK: u32 = 16;

/// One ranked index row: `(rowid, score)` and, when it has one, its record
/// as `(workspace_id, id, number, title, status, doc)`.
type Ranked<'a> = (i64, f64, Option<HitRow<'a>>);
type HitRow<'a> = (&'a str, &'a str, i64, &'a str, &'a str, &'a str);

/// The best index rows of `ranking` (a query of `rowid, score`, best first)
/// with their records, packed into one value (see `packed`): the ranking,
/// the join and the texts for the snippets cross from sqlx's worker thread
/// once, instead of once a row in three queries.
fn packed_hits_sql(ranking: &str) -> String {
    format!(
        "SELECT group_concat({} || {} || coalesce('+' || {} || {} || {} || {} || {} || {}, '-'),
                            '')
         FROM ({ranking}) r LEFT JOIN adrs a ON a.fts_rowid = r.rowid",
        packed::int("r.rowid"),
        packed::real("r.score"),
        packed::text("a.workspace_id"),
        packed::text("a.id"),
        packed::int("a.number"),
        packed::text("a.title"),
        packed::text("a.status"),
        packed::text("a.doc"),
    )
}

/// SQL's `ORDER BY score, rowid` (the packed rows come in no order; -0.0
/// and 0.0 are equal scores there too).
fn by_rank(ranked: &mut [Ranked<'_>]) {
    ranked.sort_by(|a, b| {
        a.1.partial_cmp(&b.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.0.cmp(&b.0))
    });
}

fn unpack_hits(packed: &str) -> Result<Vec<Ranked<'_>>> {
    let mut u = Unpacker::new(packed, "search results");
    let mut out = Vec::new();
    while !u.is_empty() {
        let rowid = u.int()?;
        let score = u.real()?;
        let row = if u.marker()? {
            Some((
                u.text()?,
                u.text()?,
                u.int()?,
                u.text()?,
                u.text()?,
                u.text()?,
            ))
        } else {
            None
        };
        out.push((rowid, score, row));
    }
    Ok(out)
}

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
        let (packed,): (Option<String>,) = sqlx::query_as(&packed_hits_sql(&format!(
            "SELECT rowid, {RANK} AS score FROM adr_fts WHERE adr_fts MATCH ?1
             ORDER BY score, rowid LIMIT ?2"
        )))
        .bind(&fts)
        .bind(i64::from(fetch))
        .fetch_one(&mut *conn)
        .await
        .db("searching")?;
        let packed = packed.unwrap_or_default();
        let mut ranked = unpack_hits(&packed)?;
        by_rank(&mut ranked);
        let ws = workspace.to_string();
        let mut top = in_workspace(&ranked, &ws);
        // (score, rowid) is a total order, so the workspace's first `limit`
        // among the global best are its own best, as long as there are that
        // many (or the global list was complete).
        let crowded;
        if ranked.len() == fetch as usize && top.len() < limit as usize {
            // Other workspaces crowd the best matches: rank within this one.
            let (packed,): (Option<String>,) = sqlx::query_as(&packed_hits_sql(&format!(
                "SELECT adr_fts.rowid AS rowid, {RANK} AS score
                 FROM adr_fts JOIN adrs a ON a.fts_rowid = adr_fts.rowid
                 WHERE adr_fts MATCH ?1 AND a.workspace_id = ?2
                 ORDER BY score, adr_fts.rowid
                 LIMIT ?3"
            )))
            .bind(&fts)
            .bind(&ws)
            .bind(i64::from(limit))
            .fetch_one(&mut *conn)
            .await
            .db("searching")?;
            crowded = packed.unwrap_or_default();
            let mut ranked = unpack_hits(&crowded)?;
            by_rank(&mut ranked);
            top = in_workspace(&ranked, &ws);
        }
        top.truncate(limit as usize);
        drop(conn);
        // Snippets for the records shown only, made from the indexed text
        // (the index keeps no copy of it: it is rebuilt from the record).
        // A title with every term is the snippet: nothing else to decode.
        let terms = query_terms(query);
        top.into_iter()
            .map(|(score, (_, id, number, title, status, doc))| {
                let snippet = match snippet_of_first(title, &terms) {
                    Some(snippet) => snippet,
                    None => {
                        let adr = adr_from_json(doc, "a search hit")?;
                        let text = fts_body(&adr);
                        let tags = adr.tags.join(" ");
                        snippet(&[&adr.title, &tags, &text], &terms)
                    }
                };
                Ok(SearchHit {
                    adr_id: parse_uuid(id, "ADR id")?,
                    number: stored_u32(number, "ADR number")?,
                    title: title.to_string(),
                    status: status.to_string(),
                    snippet,
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

/// The records of `workspace` among ranked index rows, in rank order.
fn in_workspace<'a>(ranked: &[Ranked<'a>], workspace: &str) -> Vec<(f64, HitRow<'a>)> {
    ranked
        .iter()
        .filter_map(|(_, score, row)| match row {
            Some(row) if row.0 == workspace => Some((*score, *row)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ImportItem;
    use plasma_models::{AdrDraft, Workspace};

    /// The hits, ranked, joined and packed in one query, are those of the
    /// plain ranking query: the same records, ranks and order, ties
    /// included (many records share a score), in both workspaces (one
    /// crowds the other's best matches), with the snippets made from the
    /// whole record (titles with every term skip decoding it).
    #[tokio::test]
    async fn packed_hits_are_the_plain_ranking() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&dir.path().join("s.db")).await.expect("open");
        let mut spaces = Vec::new();
        for name in ["A", "B"] {
            let ws = Workspace {
                id: Uuid::new_v4(),
                name: name.into(),
                description: String::new(),
                repositories: Vec::new(),
                created_at: chrono::Utc::now(),
            };
            store.create_workspace(&ws).await.expect("workspace");
            spaces.push(ws.id);
        }
        let words = ["ledger", "kafka", "canary", "rollback", "mesh", "queue"];
        for (w, ws) in spaces.iter().enumerate() {
            let items: Vec<ImportItem> = (1..=400u32)
                .map(|n| {
                    let i = n as usize + w;
                    let pick = |k: usize| words[(i * k + i / 7) % words.len()];
                    ImportItem {
                        number: n,
                        draft: AdrDraft {
                            title: format!("Decision {n} on the {}", pick(3)),
                            context: format!(
                                "{} and {} {} with {}",
                                pick(1),
                                pick(5),
                                "words ".repeat(i % 13),
                                pick(11)
                            ),
                            tags: vec![pick(7).to_string()],
                            ..Default::default()
                        },
                        source_path: format!("{n:04}.md"),
                    }
                })
                .collect();
            store.import_adrs(*ws, items).await.expect("import");
        }

        for ws in &spaces {
            for query in [
                "decision",
                "ledger",
                "kafka canary",
                "roll",
                "decision 1",
                "nothing",
            ] {
                for limit in [1, 50, 400] {
                    let hits = store.search(*ws, query, limit).await.expect("search");
                    let fts = fts_query(query).expect("query");
                    let whole: Vec<(String, f64)> = sqlx::query_as(&format!(
                        "SELECT a.id, {RANK} AS score
                         FROM adr_fts JOIN adrs a ON a.fts_rowid = adr_fts.rowid
                         WHERE adr_fts MATCH ?1 AND a.workspace_id = ?2
                         ORDER BY score, adr_fts.rowid LIMIT ?3"
                    ))
                    .bind(&fts)
                    .bind(ws.to_string())
                    .bind(i64::from(limit))
                    .fetch_all(&store.pool)
                    .await
                    .expect("whole ranking");
                    let got: Vec<(String, f64)> = hits
                        .iter()
                        .map(|h| (h.adr_id.to_string(), -h.rank))
                        .collect();
                    assert_eq!(got, whole, "{query} / {limit}");
                    // Every snippet is the one made from the whole record.
                    let terms = query_terms(query);
                    for hit in &hits {
                        let (doc,): (String,) = sqlx::query_as("SELECT doc FROM adrs WHERE id = ?")
                            .bind(hit.adr_id.to_string())
                            .fetch_one(&store.pool)
                            .await
                            .expect("doc");
                        let adr = adr_from_json(&doc, "test").expect("adr");
                        let tags = adr.tags.join(" ");
                        let whole = snippet(&[&adr.title, &tags, &fts_body(&adr)], &terms);
                        assert_eq!(hit.snippet, whole, "{query}");
                    }
                }
            }
        }
        store.close().await;
    }
}

//! One search over every kind of record: ADRs and threats through their
//! FTS5 indexes, threat models, controls, initiatives and SLOs by word
//! prefixes (`plasma_models::text_search`), so the search box finds
//! "prompt injection" in a threat model as readily as in a decision.

use plasma_models::text_search::{mark, mentions, rank, words};
use plasma_storage::SearchHit;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::{Result, Workbench};

/// Hits of each kind beyond the ADRs (those come with their own ranking).
const PER_KIND: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    ThreatModel,
    Threat,
    Control,
    Initiative,
    Slo,
}

/// A record that is not an ADR, with what the app needs to open it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct RecordHit {
    pub kind: RecordKind,
    /// The threat model's or threat's id, `framework:control`, the
    /// initiative's key, the SLO's `service/name`.
    pub id: String,
    /// The model a threat belongs to; the framework of a control.
    pub parent_id: String,
    pub title: String,
    /// Where it lives: the model's name, the framework's, the service.
    pub context: String,
    /// Plain text around the match, matched words marked «like this».
    pub snippet: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct SearchResults {
    pub adrs: Vec<SearchHit>,
    pub records: Vec<RecordHit>,
}

/// Best `PER_KIND` of `(rank, hit)`, best first, ties in their given order.
fn best(mut ranked: Vec<(u32, RecordHit)>) -> impl Iterator<Item = RecordHit> {
    ranked.sort_by_key(|h| std::cmp::Reverse(h.0));
    ranked.into_iter().take(PER_KIND).map(|(_, h)| h)
}

/// The first of `texts` that holds a query word, marked; else the first.
fn snippet(texts: &[&str], query: &[String]) -> String {
    let hit = texts
        .iter()
        .find(|t| mentions(t, query))
        .or(texts.first())
        .copied()
        .unwrap_or_default();
    let line: String = hit.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = line.chars().take(160).collect();
    let short = if short.len() < line.len() {
        format!("{short}…")
    } else {
        short
    };
    mark(&short, query)
}

impl Workbench {
    /// Every kind of record of the current workspace matching `query`.
    pub async fn search_everything(&self, query: &str) -> Result<SearchResults> {
        let ws = self.current_workspace().await?;
        let adrs = self
            .store()
            .search(ws.id, query, crate::ADR_SEARCH_HITS)
            .await?;
        let q = words(query);
        let mut records = Vec::new();
        if q.is_empty() {
            return Ok(SearchResults { adrs, records });
        }

        let models = self.store().threat_model_names(ws.id).await?;
        records.extend(best(
            models
                .iter()
                .filter_map(|(id, name, description)| {
                    let r = rank(&q, &[name, description])?;
                    Some((
                        r,
                        RecordHit {
                            kind: RecordKind::ThreatModel,
                            id: id.to_string(),
                            parent_id: String::new(),
                            title: name.clone(),
                            context: "threat model".into(),
                            snippet: snippet(&[description, name], &q),
                        },
                    ))
                })
                .collect(),
        ));
        let threats = self
            .store()
            .search_threats(ws.id, query, PER_KIND as u32)
            .await?;
        records.extend(threats.into_iter().map(|t| RecordHit {
            kind: RecordKind::Threat,
            id: t.threat_id.to_string(),
            parent_id: t.threat_model_id.to_string(),
            title: t.title,
            context: t.threat_model_name,
            snippet: t.snippet,
        }));

        let snap = self.compliance_snapshot().await?;
        let mut controls = Vec::new();
        for f in &snap.frameworks {
            for c in &f.controls {
                let Some(r) = rank(&q, &[&c.title, &c.id, &c.group, &c.description]) else {
                    continue;
                };
                // In-scope frameworks first among equals.
                let r = r * 2 + u32::from(snap.scope.contains(&f.id));
                controls.push((
                    r,
                    RecordHit {
                        kind: RecordKind::Control,
                        id: format!("{}:{}", f.id, c.id),
                        parent_id: f.id.clone(),
                        title: format!("{} {}", c.id, c.title),
                        context: f.name.clone(),
                        snippet: snippet(&[&c.description, &c.title], &q),
                    },
                ));
            }
        }
        records.extend(best(controls));

        // The stored initiatives, not the roadmap view: that evaluates every
        // gate, reading each threat model whole.
        let initiatives = self.store().list_initiatives(ws.id).await?;
        records.extend(best(
            initiatives
                .iter()
                .filter_map(|stored| {
                    let i = &stored.initiative;
                    let r = rank(&q, &[&i.title, &i.key, &i.description, &i.owner])?;
                    Some((
                        r,
                        RecordHit {
                            kind: RecordKind::Initiative,
                            id: i.key.clone(),
                            parent_id: String::new(),
                            title: i.title.clone(),
                            context: i.key.clone(),
                            snippet: snippet(&[&i.description, &i.title], &q),
                        },
                    ))
                })
                .collect(),
        ));

        let slos = self.list_slos().await?;
        records.extend(best(
            slos.iter()
                .filter_map(|row| {
                    let s = &row.slo;
                    let handle = s.handle();
                    let r = rank(&q, &[&s.display_name, &handle, &s.description])?;
                    Some((
                        r,
                        RecordHit {
                            kind: RecordKind::Slo,
                            title: if s.display_name.is_empty() {
                                handle.clone()
                            } else {
                                s.display_name.clone()
                            },
                            context: format!("{} · objective {}%", s.service, s.objective),
                            snippet: snippet(&[&s.description, &handle], &q),
                            id: handle,
                            parent_id: String::new(),
                        },
                    ))
                })
                .collect(),
        ));
        Ok(SearchResults { adrs, records })
    }
}

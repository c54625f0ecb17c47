//! Roll-ups over the matrix: coverage per framework, per repository and per
//! (framework, repository) for the heat map; the gap list; evidence that is
//! expired, expiring, stale or missing.
//!
//! Scores: implemented and alternative count 1, partial 0.5, planned and
//! not assessed 0; not-applicable cells leave the denominator. Coverage
//! "with mappings" gives each cell the best of its own score and the credit
//! mapped controls bring: a mapped source cell (same repository) at score
//! `s` brings `s × share`, where the share comes from the mapping's
//! relationship and strength (see [`Mapping::forward_share`]). One hop only:
//! credit is never passed on further.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use specta::Type;
use uuid::Uuid;

use super::catalog::{ControlRef, Framework};
use super::mapping::{Mapping, Relationship};
use super::matrix::{Cell, ImplementationStatus};

/// Coverage of a set of cells. `framework` or `repository` is `None` when
/// the row adds up over all of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Coverage {
    pub framework: Option<String>,
    pub repository: Option<String>,
    /// Controls × repositories counted.
    pub cells: u32,
    pub not_applicable: u32,
    pub not_assessed: u32,
    pub implemented: u32,
    pub partial: u32,
    pub planned: u32,
    pub alternative: u32,
    /// Applicable cells whose score mappings raise above their own.
    pub raised_by_mappings: u32,
    /// Own scores over applicable cells, 0-100 (100 when none apply).
    pub percent: f64,
    /// The same with mapped credit, 0-100.
    pub percent_with_mappings: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct CoverageReport {
    pub frameworks: Vec<Coverage>,
    pub repositories: Vec<Coverage>,
    /// One row per framework and repository: the heat map.
    pub heat_map: Vec<Coverage>,
}

/// What one mapped control contributes to another in the same repository.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct MappedCredit {
    /// The implemented control the credit comes from.
    pub source: ControlRef,
    /// How the source relates to the credited control.
    pub relationship: Relationship,
    pub strength: u8,
    pub source_status: ImplementationStatus,
    /// 0-1: the share of the credited control this satisfies.
    pub credit: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Gap {
    pub control: ControlRef,
    pub title: String,
    pub repository: String,
    /// `None`: not assessed.
    pub status: Option<ImplementationStatus>,
    pub owner: String,
    /// The best credit mapped controls bring (0-1).
    pub mapped_credit: f64,
    /// Where the best credit comes from.
    pub mapped_from: Option<ControlRef>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Type,
)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Past its expiry date.
    Expired,
    /// Expires within the warning window.
    ExpiringSoon,
    /// Collected longer ago than the staleness limit.
    Stale,
    /// Implemented (or partial, alternative) with no current evidence.
    Missing,
    /// Implemented but never reviewed, or reviewed longer ago than the limit.
    ReviewOverdue,
}

impl FindingKind {
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::Expired => "expired",
            FindingKind::ExpiringSoon => "expiring soon",
            FindingKind::Stale => "stale",
            FindingKind::Missing => "missing",
            FindingKind::ReviewOverdue => "review overdue",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct EvidenceFinding {
    pub kind: FindingKind,
    pub control: ControlRef,
    pub repository: String,
    /// The evidence item, when the finding is about one.
    pub evidence_id: Option<Uuid>,
    pub title: String,
    /// The date that triggered it (expiry, collection or last review).
    pub date: Option<NaiveDate>,
}

type Key<'a> = (&'a str, &'a str, &'a str);

/// A control crediting another: (source, relationship as seen from the
/// source, strength, share of the credited control).
type Incoming<'a> = (&'a ControlRef, Relationship, u8, f64);

/// The matrix indexed for roll-ups: cells by (framework, control,
/// repository) and mappings by the control they credit.
pub struct MatrixView<'a> {
    frameworks: &'a [Framework],
    repositories: &'a [String],
    cells: HashMap<Key<'a>, &'a Cell>,
    incoming: HashMap<(&'a str, &'a str), Vec<Incoming<'a>>>,
}

impl<'a> MatrixView<'a> {
    pub fn new(
        frameworks: &'a [Framework],
        mappings: &'a [Mapping],
        repositories: &'a [String],
        cells: &'a [Cell],
    ) -> MatrixView<'a> {
        let cells = cells
            .iter()
            .map(|c| {
                (
                    (
                        c.control.framework.as_str(),
                        c.control.control.as_str(),
                        c.repository.as_str(),
                    ),
                    c,
                )
            })
            .collect();
        let mut incoming: HashMap<_, Vec<_>> = HashMap::new();
        for m in mappings {
            incoming
                .entry((m.target.framework.as_str(), m.target.control.as_str()))
                .or_default()
                .push((&m.source, m.relationship, m.strength, m.forward_share()));
            incoming
                .entry((m.source.framework.as_str(), m.source.control.as_str()))
                .or_default()
                .push((
                    &m.target,
                    m.relationship.inverse(),
                    m.strength,
                    m.backward_share(),
                ));
        }
        MatrixView {
            frameworks,
            repositories,
            cells,
            incoming,
        }
    }

    pub fn cell(&self, framework: &str, control: &str, repository: &str) -> Option<&'a Cell> {
        self.cells.get(&(framework, control, repository)).copied()
    }

    /// What mapped controls bring to `control` in `repository`, best first.
    pub fn mapped_credits(
        &self,
        framework: &str,
        control: &str,
        repository: &str,
    ) -> Vec<MappedCredit> {
        let mut out: Vec<MappedCredit> = self
            .incoming
            .get(&(framework, control))
            .into_iter()
            .flatten()
            .filter_map(|(source, relationship, strength, share)| {
                let cell = self.cell(&source.framework, &source.control, repository)?;
                let status = cell.effective_status()?;
                let credit = status.score() * share;
                (credit > 0.0).then(|| MappedCredit {
                    source: (*source).clone(),
                    relationship: *relationship,
                    strength: *strength,
                    source_status: status,
                    credit,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.credit
                .total_cmp(&a.credit)
                .then_with(|| a.source.cmp(&b.source))
        });
        out
    }

    fn best_credit(&self, framework: &str, control: &str, repository: &str) -> f64 {
        self.mapped_credits(framework, control, repository)
            .first()
            .map_or(0.0, |c| c.credit)
    }

    fn framework(&self, id: &str) -> Option<&'a Framework> {
        self.frameworks.iter().find(|f| f.id == id)
    }

    fn tally(&self, framework: &'a Framework, repository: &str, into: &mut Tally) {
        for control in &framework.controls {
            into.cells += 1;
            let cell = self.cell(&framework.id, &control.id, repository);
            let status = cell.and_then(Cell::effective_status);
            let own = match status {
                Some(ImplementationStatus::NotApplicable) => {
                    into.not_applicable += 1;
                    continue;
                }
                Some(ImplementationStatus::Implemented) => {
                    into.implemented += 1;
                    1.0
                }
                Some(ImplementationStatus::Alternative) => {
                    into.alternative += 1;
                    1.0
                }
                Some(ImplementationStatus::Partial) => {
                    into.partial += 1;
                    0.5
                }
                Some(ImplementationStatus::Planned) => {
                    into.planned += 1;
                    0.0
                }
                None => {
                    into.not_assessed += 1;
                    0.0
                }
            };
            into.applicable += 1;
            into.own += own;
            let with = if own < 1.0 {
                own.max(self.best_credit(&framework.id, &control.id, repository))
            } else {
                own
            };
            if with > own {
                into.raised += 1;
            }
            into.with += with;
        }
    }

    /// Coverage of the frameworks named (in that order) over every
    /// repository of the view.
    pub fn coverage(&self, framework_ids: &[&str]) -> CoverageReport {
        let frameworks: Vec<&Framework> = framework_ids
            .iter()
            .filter_map(|id| self.framework(id))
            .collect();
        let mut per_framework = vec![Tally::default(); frameworks.len()];
        let mut per_repo = vec![Tally::default(); self.repositories.len()];
        let mut heat_map = Vec::with_capacity(frameworks.len() * self.repositories.len());
        for (fi, f) in frameworks.iter().enumerate() {
            for (ri, repo) in self.repositories.iter().enumerate() {
                let mut t = Tally::default();
                self.tally(f, repo, &mut t);
                per_framework[fi].add(&t);
                per_repo[ri].add(&t);
                heat_map.push(t.coverage(Some(&f.id), Some(repo)));
            }
        }
        CoverageReport {
            frameworks: frameworks
                .iter()
                .zip(&per_framework)
                .map(|(f, t)| t.coverage(Some(&f.id), None))
                .collect(),
            repositories: self
                .repositories
                .iter()
                .zip(&per_repo)
                .map(|(r, t)| t.coverage(None, Some(r)))
                .collect(),
            heat_map,
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Tally {
    cells: u32,
    applicable: u32,
    not_applicable: u32,
    not_assessed: u32,
    implemented: u32,
    partial: u32,
    planned: u32,
    alternative: u32,
    raised: u32,
    own: f64,
    with: f64,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.cells += o.cells;
        self.applicable += o.applicable;
        self.not_applicable += o.not_applicable;
        self.not_assessed += o.not_assessed;
        self.implemented += o.implemented;
        self.partial += o.partial;
        self.planned += o.planned;
        self.alternative += o.alternative;
        self.raised += o.raised;
        self.own += o.own;
        self.with += o.with;
    }

    fn coverage(&self, framework: Option<&str>, repository: Option<&str>) -> Coverage {
        let percent = |score: f64| {
            if self.applicable == 0 {
                100.0
            } else {
                // Rounded to one decimal so reports and tests agree.
                (score / f64::from(self.applicable) * 1000.0).round() / 10.0
            }
        };
        Coverage {
            framework: framework.map(str::to_string),
            repository: repository.map(str::to_string),
            cells: self.cells,
            not_applicable: self.not_applicable,
            not_assessed: self.not_assessed,
            implemented: self.implemented,
            partial: self.partial,
            planned: self.planned,
            alternative: self.alternative,
            raised_by_mappings: self.raised,
            percent: percent(self.own),
            percent_with_mappings: percent(self.with),
        }
    }
}

/// Applicable cells of the named frameworks that are not implemented (own
/// status not implemented or alternative), by framework, control order,
/// then repository order.
pub fn gaps(view: &MatrixView<'_>, framework_ids: &[&str]) -> Vec<Gap> {
    let mut out = Vec::new();
    for f in framework_ids.iter().filter_map(|id| view.framework(id)) {
        for control in &f.controls {
            for repo in view.repositories {
                let cell = view.cell(&f.id, &control.id, repo);
                let status = cell.and_then(Cell::effective_status);
                if matches!(
                    status,
                    Some(
                        ImplementationStatus::Implemented
                            | ImplementationStatus::Alternative
                            | ImplementationStatus::NotApplicable
                    )
                ) {
                    continue;
                }
                let best = view
                    .mapped_credits(&f.id, &control.id, repo)
                    .into_iter()
                    .next();
                out.push(Gap {
                    control: ControlRef::new(&f.id, &control.id),
                    title: control.title.clone(),
                    repository: repo.clone(),
                    status,
                    owner: cell.map(|c| c.owner.clone()).unwrap_or_default(),
                    mapped_credit: best.as_ref().map_or(0.0, |b| b.credit),
                    mapped_from: best.map(|b| b.source),
                });
            }
        }
    }
    out
}

/// Evidence and review findings over `cells` as of `today`: expired
/// evidence, evidence expiring within `warn_days`, evidence collected more
/// than `stale_days` ago, implemented cells with no current evidence, and
/// implemented cells never reviewed or reviewed more than `stale_days` ago.
/// Cells that do not apply are skipped.
pub fn evidence_findings(
    cells: &[Cell],
    today: NaiveDate,
    stale_days: u32,
    warn_days: u32,
) -> Vec<EvidenceFinding> {
    let stale_before = today - chrono::Days::new(u64::from(stale_days));
    let warn_until = today + chrono::Days::new(u64::from(warn_days));
    let mut out = Vec::new();
    for c in cells.iter().filter(|c| c.applicable) {
        let mut current = 0;
        for e in &c.evidence {
            let finding = |kind, date| EvidenceFinding {
                kind,
                control: c.control.clone(),
                repository: c.repository.clone(),
                evidence_id: Some(e.id),
                title: if e.title.is_empty() {
                    e.location.clone()
                } else {
                    e.title.clone()
                },
                date: Some(date),
            };
            match e.expires {
                Some(x) if x < today => {
                    out.push(finding(FindingKind::Expired, x));
                    continue;
                }
                Some(x) if x <= warn_until => out.push(finding(FindingKind::ExpiringSoon, x)),
                _ => {}
            }
            if e.collected < stale_before {
                out.push(finding(FindingKind::Stale, e.collected));
            } else {
                current += 1;
            }
        }
        let delivered = matches!(
            c.status,
            Some(
                ImplementationStatus::Implemented
                    | ImplementationStatus::Partial
                    | ImplementationStatus::Alternative
            )
        );
        if delivered && current == 0 {
            out.push(EvidenceFinding {
                kind: FindingKind::Missing,
                control: c.control.clone(),
                repository: c.repository.clone(),
                evidence_id: None,
                title: "no current evidence".into(),
                date: None,
            });
        }
        if delivered && c.last_reviewed.is_none_or(|d| d < stale_before) {
            out.push(EvidenceFinding {
                kind: FindingKind::ReviewOverdue,
                control: c.control.clone(),
                repository: c.repository.clone(),
                evidence_id: None,
                title: match c.last_reviewed {
                    Some(_) => "last review is too old".into(),
                    None => "never reviewed".into(),
                },
                date: c.last_reviewed,
            });
        }
    }
    out.sort_by(|a, b| {
        (a.kind, &a.control, &a.repository, a.date).cmp(&(
            b.kind,
            &b.control,
            &b.repository,
            b.date,
        ))
    });
    out
}

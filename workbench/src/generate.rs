//! Realistic generated ADRs for benchmarks and load tests: varied words,
//! options with pros and cons, and a supersede chain every tenth record.

use chrono::{Duration, NaiveDate, Utc};
use plasma_models::{Adr, AdrDraft, AdrStatus, Consequences, ConsideredOption, LinkKind};
use uuid::Uuid;

const WORDS: &[&str] = &[
    "gateway",
    "queue",
    "postgres",
    "redis",
    "kubernetes",
    "helm",
    "terraform",
    "tracing",
    "latency",
    "budget",
    "tenant",
    "schema",
    "migration",
    "cache",
    "token",
    "secret",
    "rotation",
    "audit",
    "retention",
    "pipeline",
    "worker",
    "stream",
    "index",
    "vector",
    "prompt",
    "model",
    "policy",
    "review",
    "rollback",
    "canary",
    "sbom",
    "signature",
    "backup",
    "replica",
];

fn words(seed: u64, count: usize) -> String {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        x ^= x >> 33;
        x = x.wrapping_mul(0xff51afd7ed558ccd);
        x ^= x >> 29;
        // One word in 32 is a technical term; the rest come from a large
        // vocabulary of made-up words, so a term matches a realistic share
        // of records (a tenth or so), not all of them.
        if x.is_multiple_of(32) {
            let i = usize::try_from((x >> 8) % WORDS.len() as u64).unwrap_or(0);
            out.push(WORDS[i].to_string());
        } else {
            out.push(made_up_word(x >> 5));
        }
    }
    out.join(" ")
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ne", "pu", "ra", "si", "to", "ve", "zu", "bar", "cen", "dor", "fel", "gan",
    "hol", "jin", "kes", "lum", "mor",
];

/// One of 8,000 pronounceable words.
fn made_up_word(x: u64) -> String {
    let n = SYLLABLES.len() as u64;
    let pick = |k: u64| SYLLABLES[usize::try_from(k % n).unwrap_or(0)];
    format!("{}{}{}", pick(x), pick(x / n), pick(x / (n * n)))
}

/// `n` ADRs numbered 1..=n in one workspace.
/// The search benchmark's queries, for the records [`generate_adrs`] writes:
/// a word in a tenth of the records, two words, a title fragment, a prefix
/// while typing, a word in no record, then the worst case ("decision" is in
/// every title).
pub const SEARCH_QUERIES: [&str; 6] = [
    "kubernetes",
    "rollback canary",
    "decision 9999",
    "secr",
    "mainframe",
    "decision",
];

pub fn generate_adrs(n: u32) -> Vec<Adr> {
    let ws = Uuid::nil();
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default();
    let now = Utc::now();
    let mut adrs: Vec<Adr> = (1..=n)
        .map(|i| {
            let s = u64::from(i);
            let draft = AdrDraft {
                title: format!("Decision {i}: {}", words(s, 4)),
                status: if i % 7 == 0 {
                    AdrStatus::Proposed
                } else {
                    AdrStatus::Accepted
                },
                date: Some(start + Duration::days(i64::from(i % 2000))),
                decision_makers: vec!["Platform architect".into(), format!("Team {}", i % 9)],
                consulted: vec!["Security reviewer".into()],
                informed: vec!["All teams".into()],
                tags: vec![WORDS[(i as usize) % WORDS.len()].to_string()],
                repositories: vec![format!("service-{}", i % 12)],
                context: format!("{}.\n\n{}.", words(s + 1, 40), words(s + 2, 30)),
                decision_drivers: vec![words(s + 3, 5), words(s + 4, 6)],
                considered_options: (0..3)
                    .map(|k| ConsideredOption {
                        title: format!("Option {k} {}", words(s + 10 + k, 3)),
                        description: String::new(),
                        pros: vec![words(s + 20 + k, 8)],
                        cons: vec![words(s + 30 + k, 8)],
                        neutral: vec![],
                    })
                    .collect(),
                decision_outcome: format!(
                    "Chosen option: \"Option 0 {}\", because {}.",
                    words(s + 10, 3),
                    words(s + 5, 12)
                ),
                consequences: Consequences {
                    good: vec![words(s + 6, 9)],
                    bad: vec![words(s + 7, 9)],
                    neutral: vec![],
                },
                confirmation: words(s + 8, 15),
                ..AdrDraft::default()
            };
            Adr::new(ws, i, draft, now)
        })
        .collect();
    // Every tenth decision supersedes the one before it.
    for i in (10..=n).step_by(10) {
        let (old, new) = ((i - 2) as usize, (i - 1) as usize);
        adrs[old].status = AdrStatus::Superseded;
        adrs[old].add_link(LinkKind::SupersededBy, i);
        adrs[new].add_link(LinkKind::Supersedes, i - 1);
    }
    adrs
}

/// A generated compliance matrix for benchmarks: one framework of
/// `controls` controls in 25 groups, `repositories` repositories, and a cell
/// for about four of every five control × repository pairs, with the status
/// mix of a program midway through an audit (implemented, partial, planned,
/// not applicable, alternative), an owner, a narrative, and one or two
/// evidence items on implemented cells. The same arguments always give the
/// same matrix.
pub fn generate_matrix(controls: u32, repositories: u32) -> crate::MatrixSnapshot {
    use plasma_models::compliance::{
        Cell, Control, ControlRef, Evidence, EvidenceKind, Framework, ImplementationStatus,
    };
    use plasma_models::{Repository, Workspace};
    use plasma_storage::StoredCell;

    let base = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let framework = Framework {
        id: "bench".into(),
        name: "Generated benchmark catalog".into(),
        version: "1".into(),
        source: "plasma_workbench::generate".into(),
        notice: String::new(),
        bundled: false,
        controls: (0..controls)
            .map(|i| Control {
                id: format!("BM-{:02}.{i:04}", i % 25),
                group: format!("Family {}", i % 25),
                title: format!(
                    "{} {} for {}",
                    WORDS[i as usize % WORDS.len()],
                    WORDS[(i as usize * 7 + 3) % WORDS.len()],
                    WORDS[(i as usize * 13 + 5) % WORDS.len()]
                ),
                description: String::new(),
            })
            .collect(),
    };
    let repos: Vec<String> = (0..repositories)
        .map(|r| format!("service-{r:03}"))
        .collect();
    let mut cells = Vec::new();
    for (ci, control) in framework.controls.iter().enumerate() {
        for (ri, repo) in repos.iter().enumerate() {
            let k = ci * 31 + ri * 17;
            if k % 5 == 0 {
                continue; // not assessed
            }
            let mut cell = Cell::new(ControlRef::new("bench", &control.id), repo.clone());
            match k % 10 {
                1..=4 => cell.set_status(ImplementationStatus::Implemented),
                6 => cell.set_status(ImplementationStatus::Partial),
                7 => cell.set_status(ImplementationStatus::Planned),
                8 => cell.set_not_applicable("No such component in this service"),
                _ => cell.set_status(ImplementationStatus::Alternative),
            }
            cell.owner = format!("team-{}", ri % 8);
            cell.narrative = format!(
                "{} is handled by the {} {} of {repo}.",
                control.title,
                WORDS[k % WORDS.len()],
                WORDS[(k / 3) % WORDS.len()]
            );
            if cell.status == Some(ImplementationStatus::Implemented) {
                cell.last_reviewed = base.checked_add_days(chrono::Days::new((k % 300) as u64));
                for e in 0..(1 + k % 2) {
                    cell.evidence.push(Evidence {
                        id: Uuid::from_u128((k * 2 + e) as u128 + 1),
                        kind: if e == 0 {
                            EvidenceKind::CiJob
                        } else {
                            EvidenceKind::Link
                        },
                        title: format!("{} run", WORDS[(k + e) % WORDS.len()]),
                        location: format!("https://ci.example.com/{repo}/runs/{k}{e}"),
                        collected: base,
                        expires: base.checked_add_days(chrono::Days::new(365)),
                    });
                }
            }
            cells.push(StoredCell {
                cell,
                revision: 1,
                updated_at: Utc::now(),
            });
        }
    }
    let workspace = Workspace {
        id: Uuid::from_u128(0xbe4c_0000_0000_4000_8000_0000_0000_0001),
        name: "Benchmark program".into(),
        description: String::new(),
        repositories: repos
            .iter()
            .map(|r| Repository {
                name: r.clone(),
                description: format!("Generated repository {r}"),
            })
            .collect(),
        created_at: Utc::now(),
    };
    crate::MatrixSnapshot {
        workspace,
        frameworks: vec![framework],
        mappings: Vec::new(),
        scope: vec!["bench".into()],
        repositories: repos,
        cells,
    }
}

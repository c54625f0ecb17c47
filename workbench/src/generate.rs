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

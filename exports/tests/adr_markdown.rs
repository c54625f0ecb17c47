//! Import/export behaviour on hand-written records.

use chrono::{DateTime, NaiveDate};
use plasma_exports::adr_markdown::{
    file_name, parse_file, render_index, render_madr4, render_madr4_with, render_template,
    AdrFormat, Classified, LinkTarget, ParseError, ParsedAdr, Template,
};
use plasma_models::{Adr, AdrDraft, AdrStatus, Consequences, ConsideredOption, LinkKind, Section};
use proptest::prelude::*;
use uuid::Uuid;

fn record(number: u32, draft: AdrDraft) -> Adr {
    let now = DateTime::from_timestamp(1_700_000_000, 0).expect("time");
    Adr::new(Uuid::nil(), number, draft, now)
}

fn parsed(name: &str, text: &str) -> ParsedAdr {
    match parse_file(name, text) {
        Ok(Classified::Adr(a)) => a,
        other => panic!("{name}: {other:?}"),
    }
}

fn rich() -> Adr {
    let mut adr = record(
        42,
        AdrDraft {
            title: "Use \"SQLite\": fast, local & #1 — Ünïcødé ✓".into(),
            status: AdrStatus::Superseded,
            date: NaiveDate::from_ymd_opt(2024, 2, 29),
            decision_makers: vec!["Ada Lovelace".into(), "Grace \"Amazing\" Hopper, Jr.".into()],
            consulted: vec!["team: storage".into(), "#ops".into()],
            informed: vec!["everyone".into(), "true".into(), "123".into()],
            tags: vec!["storage".into(), "db [core]".into()],
            repositories: vec!["plasma-plan".into()],
            context: "We need *durable* storage.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```rust\n# not a heading\nfn main() {}\n```\n\n### Background\n\n1. first\n2. second\n   * nested".into(),
            decision_drivers: vec!["Speed".into(), "Two lines\ncontinued here".into(), "Nested\n* a\n* b".into()],
            considered_options: vec![
                ConsideredOption {
                    title: "SQLite".into(),
                    description: "Embedded, one file.\n\n> a quote".into(),
                    pros: vec!["no server".into()],
                    cons: vec!["single writer".into()],
                    neutral: vec!["C library".into()],
                },
                ConsideredOption {
                    title: "PostgreSQL `15`".into(),
                    ..Default::default()
                },
                ConsideredOption {
                    title: "Files: plain *JSON*".into(),
                    description: String::new(),
                    pros: vec!["simple".into()],
                    cons: vec![],
                    neutral: vec![],
                },
            ],
            decision_outcome: "Chosen option: \"SQLite\", because it is embedded.\n\n### Rollout\n\nStep by step.".into(),
            consequences: Consequences {
                good: vec!["fast".into()],
                bad: vec!["migrations needed\n  with care".into()],
                neutral: vec!["nothing else".into()],
            },
            confirmation: "A test opens the database.".into(),
            links: vec![],
            sections: vec![
                Section { heading: "More Information".into(), level: 2, body: "See <https://sqlite.org>.\n\n- [ ] task\n- [x] done".into() },
                Section { heading: "Appendix #".into(), level: 2, body: String::new() },
                Section { heading: "Notes".into(), level: 1, body: "Trailing *notes*.".into() },
            ],
            extra_front_matter: vec![
                ("parent".into(), "Decisions".into()),
                ("nav_order".into(), "7".into()),
                ("owners".into(), "\n  - a\n  - b".into()),
            ],
        },
    );
    adr.add_link(LinkKind::SupersededBy, 50);
    adr.add_link(LinkKind::Supersedes, 3);
    adr.add_link(LinkKind::RelatesTo, 12);
    adr
}

fn reimport(adr: &Adr, text: &str) -> Adr {
    let p = parsed(&file_name(adr), text);
    assert_eq!(p.number, Some(adr.number));
    assert!(p.draft.links.is_empty());
    let mut back = record(adr.number, p.draft);
    for (kind, target) in p.links {
        match target {
            LinkTarget::Number(n) => back.add_link(kind, n),
            LinkTarget::File(f) => panic!("file link {f}"),
        }
    }
    back
}

#[test]
fn rich_record_round_trips_exactly() {
    let adr = rich();
    let first = render_madr4(&adr);
    let back = reimport(&adr, &first);
    assert_eq!(render_madr4(&back), first);
    let mut want = adr.draft();
    let mut got = back.draft();
    want.links.sort();
    got.links.sort();
    assert_eq!(got, want, "{first}");
    assert_eq!(parsed(&file_name(&adr), &first).format, AdrFormat::Madr4);
}

#[test]
fn rich_record_matches_golden_file() {
    let adr = rich();
    let files = |n: u32| (n == 3).then(|| "0003-use-files.md".to_string());
    let text = render_madr4_with(&adr, &files);
    let golden = include_str!("golden/0042-rich.md");
    assert_eq!(
        text, golden,
        "update exports/tests/golden/0042-rich.md if intended:\n{text}"
    );
    assert!(text.contains("* Supersedes [ADR-0003](0003-use-files.md)\n"));
    assert!(text.contains("* Relates to ADR-0012\n"));
    assert!(text.starts_with("---\nstatus: superseded by ADR-0050\n"));
    // Deterministic.
    assert_eq!(render_madr4_with(&adr, &files), text);
}

#[test]
fn file_names_are_padded_slugs() {
    let mut adr = record(
        7,
        AdrDraft {
            title: "Use Rust: really?".into(),
            ..Default::default()
        },
    );
    assert_eq!(file_name(&adr), "0007-use-rust-really.md");
    adr.number = 12345;
    assert_eq!(file_name(&adr), "12345-use-rust-really.md");
    // A title in another script names its file rather than `untitled`, and
    // the file reads back as the same record.
    adr.number = 3;
    adr.title = "采用 PostgreSQL 作为主存储".into();
    let name = file_name(&adr);
    assert_eq!(name, "0003-采用-postgresql-作为主存储.md");
    let back = parsed(&name, &render_madr4(&adr));
    assert_eq!(back.number, Some(3));
    assert_eq!(back.draft.title, adr.title);
}

#[test]
fn nygard_status_section_links_and_superceded_spelling() {
    let text = "# 2. Use shell\n\nDate: 2016-02-12\n\n## Status\n\nSuperceded by [3. Use Rust](0003-use-rust.md)\n\nAmended by [4. More](0004-more.md)\n\n## Context\n\nWhy.\n\n## Decision\n\nWhat.\n\n## Consequences\n\nFree text.\n";
    let a = parsed("0002-use-shell.md", text);
    assert_eq!(a.format, AdrFormat::Nygard);
    assert_eq!(a.number, Some(2));
    assert_eq!(a.draft.title, "Use shell");
    assert_eq!(a.draft.status, AdrStatus::Superseded);
    assert_eq!(
        a.links,
        vec![
            (LinkKind::SupersededBy, LinkTarget::Number(3)),
            (LinkKind::AmendedBy, LinkTarget::Number(4))
        ]
    );
    assert_eq!(
        a.draft.sections,
        vec![Section {
            heading: "Consequences".into(),
            level: 2,
            body: "Free text.".into()
        }]
    );
    // Title number used when the file name has none.
    assert_eq!(parsed("use-shell.md", text).number, Some(2));
}

#[test]
fn madr4_status_names_the_superseding_record() {
    let text = "---\nstatus: superseded by ADR-0123\ndate: 2024-01-02\ndecision-makers: [a, b]\nnav_order: 3\n---\n\n# T\n\n## Context and Problem Statement\n\nC\n";
    let a = parsed("0001-t.md", text);
    assert_eq!(a.format, AdrFormat::Madr4);
    assert_eq!(a.draft.status, AdrStatus::Superseded);
    assert_eq!(
        a.links,
        vec![(LinkKind::SupersededBy, LinkTarget::Number(123))]
    );
    assert_eq!(a.draft.decision_makers, vec!["a", "b"]);
    assert_eq!(
        a.draft.extra_front_matter,
        vec![("nav_order".to_string(), "3".to_string())]
    );
}

#[test]
fn metadata_tables_fill_the_fields_and_keep_other_rows() {
    // Key/value rows, the first row one of them.
    let a = parsed(
        "ADR-001-postgres.md",
        "# ADR-001: Use PostgreSQL\n\n| Status | Accepted |\n|---|---|\n| **Date** | 2023-04-12 |\n| Deciders | Alice, Bob |\n\nWe need a store.\n",
    );
    assert_eq!(a.number, Some(1));
    assert_eq!(a.draft.title, "Use PostgreSQL");
    assert_eq!(a.draft.status, AdrStatus::Accepted);
    assert_eq!(a.draft.date, NaiveDate::from_ymd_opt(2023, 4, 12));
    assert_eq!(a.draft.decision_makers, ["Alice", "Bob"]);
    assert_eq!(a.draft.context, "We need a store.");

    // Keys as the header over one row of values.
    let b = parsed(
        "0005-redis.md",
        "# 5. Cache with Redis\n\n| Status | Date | Deciders |\n|:--|:--:|--|\n| Rejected | 2024-05-01 | Carol |\n\n## Context\n\nLatency.\n",
    );
    assert_eq!(b.draft.status, AdrStatus::Rejected);
    assert_eq!(b.draft.date, NaiveDate::from_ymd_opt(2024, 5, 1));
    assert_eq!(b.draft.decision_makers, ["Carol"]);

    // Rows with no field stay, as a table; nothing is dropped.
    let c = parsed(
        "0006-mixed.md",
        "# 6. Mixed\n\n| Field | Value |\n| --- | --- |\n| Status | Deprecated |\n| Author | Dan \\| Eve |\n| Date | 2024-06-01 |\n\nSome context.\n",
    );
    assert_eq!(c.draft.status, AdrStatus::Deprecated);
    assert_eq!(c.draft.date, NaiveDate::from_ymd_opt(2024, 6, 1));
    assert_eq!(
        c.draft.context,
        "| Field | Value |\n|---|---|\n| Author | Dan \\| Eve |\n\nSome context."
    );

    // A legend that merely has a Status column is an ordinary table.
    let legend =
        "| Status | Meaning |\n|---|---|\n| accepted | in force |\n| rejected | not taken |";
    let d = parsed(
        "0007-legend.md",
        &format!("# 7. Legend\n\n{legend}\n\n## Status\n\nProposed\n"),
    );
    assert_eq!(d.draft.status, AdrStatus::Proposed);
    assert_eq!(d.draft.context, legend);
}

#[test]
fn status_written_other_ways() {
    let status = |name: &str, text: &str| {
        let a = parsed(name, text);
        (a.draft.status, a.draft.date, a.draft.context)
    };
    // A date after the word is the record's date.
    assert_eq!(
        status(
            "0001-a.md",
            "# 1. A\n\n## Status\n\nAccepted on 2023-01-05\n"
        ),
        (
            AdrStatus::Accepted,
            NaiveDate::from_ymd_opt(2023, 1, 5),
            String::new()
        )
    );
    assert_eq!(
        status(
            "0001-a.md",
            "# 1. A\n\n## Status\n\nRejected (March 3, 2022)\n"
        ),
        (
            AdrStatus::Rejected,
            NaiveDate::from_ymd_opt(2022, 3, 3),
            String::new()
        )
    );
    // ...unless the file has one already.
    assert_eq!(
        status(
            "0001-a.md",
            "# 1. A\n\nDate: 2020-02-02\n\n## Status\n\nAccepted on 2023-01-05\n"
        )
        .1,
        NaiveDate::from_ymd_opt(2020, 2, 2)
    );
    // Emphasis is no part of the word.
    assert_eq!(
        status("0003-c.md", "# 3. C\n\n## Status\n\n**Accepted**\n").0,
        AdrStatus::Accepted
    );
    // A checklist of statuses: the ticked one; the list goes.
    assert_eq!(
        status("0004-d.md", "# 4. D\n\n## Status\n\n- [ ] Proposed\n- [x] Deprecated\n- [ ] Rejected\n\n## Context\n\nWhy.\n"),
        (AdrStatus::Deprecated, None, "Why.".to_string())
    );
    // Metadata in a block quote under the title.
    assert_eq!(
        status(
            "0002-b.md",
            "# 2. B\n\n> Status: Accepted\n> Date: February 1, 2023\n\nContext here.\n"
        ),
        (
            AdrStatus::Accepted,
            NaiveDate::from_ymd_opt(2023, 2, 1),
            "Context here.".to_string()
        )
    );
    // The status in the heading, a badge after the word.
    assert_eq!(
        status(
            "0002-k.md",
            "# Use Kafka\n\n## Status: Accepted\n\n## Context\n\nx\n"
        ),
        (AdrStatus::Accepted, None, "x".to_string())
    );
    assert_eq!(
        status("0006-s.md", "---\nstatus: \"Accepted ✅\"\n---\n# Six\n").0,
        AdrStatus::Accepted
    );
    // A word and more that is no date stays a custom status, whole.
    assert_eq!(
        status(
            "0005-e.md",
            "# 5. E\n\n## Status\n\nAccepted with reservations\n"
        )
        .0,
        AdrStatus::Custom("Accepted with reservations".into())
    );
}

#[test]
fn log4brains_status_defaults() {
    let a = parsed(
        "20200101-x.md",
        "# X\n\n- Date: 2020-01-01\n- Tags: a, b c\n\n## Decision\n\nD\n",
    );
    assert_eq!(
        (a.format, a.number, a.draft.status.clone()),
        (AdrFormat::Log4brains, None, AdrStatus::Accepted)
    );
    assert_eq!(a.draft.tags, vec!["a", "b", "c"]);
    let a = parsed(
        "20200101-x.md",
        "# X\n\n- Status: pondering\n\n## Decision\n\nD\n",
    );
    // A status log4brains does not know is kept as written, not made a draft.
    assert_eq!(a.draft.status, AdrStatus::Custom("pondering".into()));
}

#[test]
fn unknown_text_is_kept_in_order() {
    let text = "# T\n\nIntro text.\n\n## Weird\n\nkeep me\n\n### Sub\n\nnested\n\n## Context\n\nctx\n\n## Other\n\nmore\n";
    let a = parsed("0001-t.md", text);
    assert_eq!(a.draft.context, "Intro text.\n\nctx");
    assert_eq!(
        a.draft.sections,
        vec![
            Section {
                heading: "Weird".into(),
                level: 2,
                body: "keep me\n\n### Sub\n\nnested".into()
            },
            Section {
                heading: "Other".into(),
                level: 2,
                body: "more".into()
            },
        ]
    );
}

#[test]
fn broken_files_are_errors_with_lines() {
    let e = parse_file("0001-x.md", "---\nstatus: accepted\n# T\n").expect_err("must fail");
    assert_eq!(e.line, 1);
    assert!(e.to_string().starts_with("line 1: "), "{e}");
    let e = parse_file("0001-x.md", "---\nstatus: ok\ndate: [unclosed\n---\n# T\n")
        .expect_err("must fail");
    assert!(e.line >= 3 && e.line <= 5, "{e}");
    assert!(e.reason.contains("YAML"), "{e}");
    let e: ParseError =
        parse_file("0001-x.md", "just text\n\nno heading\n").expect_err("must fail");
    assert!(e.reason.contains("not an ADR"), "{e}");
    let e = parse_file("0001-x.md", "---\na: 1\n---\n\nno heading").expect_err("must fail");
    assert_eq!(e.line, 4);
    // Never a panic on odd input.
    for s in [
        "",
        "---",
        "---\n",
        "#",
        "# \n## \n",
        "\u{feff}# T\r\n\r\nx",
        "---\n---\n# T",
    ] {
        let _ = parse_file("0001-x.md", s);
    }
}

#[test]
fn indexes_and_templates_are_skipped() {
    for name in [
        "index.md",
        "_index.md",
        "README.md",
        "template.md",
        "adr-template.md",
        "4.0.0-adr-template-minimal.md",
    ] {
        assert!(
            matches!(parse_file(name, "# X\n"), Ok(Classified::Skipped { .. })),
            "{name}"
        );
    }
    let full = render_madr4(&record(
        1,
        render_template(Template::Madr4Full, "{short title}"),
    ));
    assert!(matches!(
        parse_file("0001-x.md", &full),
        Ok(Classified::Skipped { .. })
    ));
}

#[test]
fn templates_export_and_round_trip() {
    for kind in [
        Template::Madr4Full,
        Template::Madr4Minimal,
        Template::Nygard,
    ] {
        let d = render_template(kind, "Pick a queue");
        assert_eq!(d.title, "Pick a queue");
        assert!(d.validate().is_ok());
        let adr = record(3, d.clone());
        let text = render_madr4(&adr);
        assert_eq!(render_madr4(&reimport(&adr, &text)), text);
    }
    let json = serde_json::to_string(&Template::Madr4Minimal).expect("json");
    assert_eq!(json, "\"madr4_minimal\"");
}

#[test]
fn index_groups_by_status_and_links_files() {
    let a = record(
        2,
        AdrDraft {
            title: "B".into(),
            status: AdrStatus::Accepted,
            ..Default::default()
        },
    );
    let b = record(
        1,
        AdrDraft {
            title: "A".into(),
            status: AdrStatus::Accepted,
            ..Default::default()
        },
    );
    let c = record(
        3,
        AdrDraft {
            title: "C".into(),
            status: AdrStatus::Custom("on hold".into()),
            ..Default::default()
        },
    );
    let d = record(
        4,
        AdrDraft {
            title: "D".into(),
            status: AdrStatus::Proposed,
            ..Default::default()
        },
    );
    let index = render_index(&[a, b, c, d]);
    assert_eq!(
        index,
        "# Architecture Decision Records\n\n## Proposed\n\n* [ADR-0004](0004-d.md) - D\n\n## Accepted\n\n* [ADR-0001](0001-a.md) - A\n* [ADR-0002](0002-b.md) - B\n\n## On hold\n\n* [ADR-0003](0003-c.md) - C\n"
    );
}

/// Drops leading blank lines and trailing whitespace: what export keeps of a
/// text field.
fn clean(s: &str) -> String {
    let lines: Vec<&str> = s.split('\n').collect();
    let first = lines.iter().position(|l| !l.trim().is_empty());
    match first {
        Some(n) => lines[n..].join("\n").trim_end().to_string(),
        None => String::new(),
    }
}

fn prose() -> impl Strategy<Value = String> {
    "[A-Za-z0-9][A-Za-z0-9 ,.:;!?'\"()&<>é✓*_-]{0,30}"
}

/// Lines of Markdown, including ones that look like the document's own
/// structure: headings of every level, setext underlines, the outcome's
/// subsections, argument bullets, lines already escaped.
fn text_strategy() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        4 => prose(),
        1 => Just(String::new()),
        1 => ("#{1,6}", prose()).prop_map(|(h, t)| format!("{h} {t}")),
        1 => prop_oneof![
            Just("### Consequences".to_string()),
            Just("### Confirmation".to_string()),
            Just("### Positive Consequences".to_string()),
            Just("## Decision Outcome".to_string()),
            Just("## Links".to_string()),
            Just("# Title".to_string()),
        ],
        1 => prop_oneof![Just("---".to_string()), Just("===".to_string()), Just("  ---".to_string())],
        1 => prose().prop_map(|t| format!("* Good, because {t}")),
        1 => prose().prop_map(|t| format!("* Bad, because {t}")),
        // `- Good: x` reads as an argument too (MADR 4 users' variant).
        1 => prose().prop_map(|t| format!("- Neutral: {t}")),
        // and `- Positive: x` / `- Negative: x` (specful, AdaCore).
        1 => prose().prop_map(|t| format!("- Positive: {t}")),
        1 => prose().prop_map(|t| format!("* Negative: {t}")),
        1 => prose().prop_map(|t| format!("- {t}")),
        1 => prop_oneof![
            Just("\\## escaped".to_string()),
            Just("\\\\# twice".to_string()),
            Just("\\---".to_string()),
            Just("* \\Good, because x".to_string()),
            Just("* Supersedes ADR-0004".to_string()),
        ],
        1 => Just("```\n# in code\n## also\n```".to_string()),
        1 => prose().prop_map(|t| format!("> ## {t}")),
        1 => prose().prop_map(|t| format!("1. {t}")),
    ];
    proptest::collection::vec(line, 0..7).prop_map(|lines| lines.join("\n"))
}

fn word() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9 ,:#'\"&é-]{0,15}[A-Za-z0-9]"
}

/// List items: multi-line, with list markers, trailing spaces, empty.
fn list_item() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => word(),
        1 => Just(String::new()),
        1 => Just("   ".to_string()),
        1 => word().prop_map(|w| format!("* {w}")),
        1 => word().prop_map(|w| format!("- {w}")),
        1 => word().prop_map(|w| format!("+ {w}")),
        1 => word().prop_map(|w| format!("12. {w}")),
        1 => word().prop_map(|w| format!("{w}   ")),
        1 => (word(), word()).prop_map(|(a, b)| format!("{a}\n{b}")),
        1 => (word(), word()).prop_map(|(a, b)| format!("{a}\n\n  * {b}")),
        1 => word().prop_map(|w| format!("# {w}")),
        1 => Just("**".to_string()),
        1 => Just("* * *".to_string()),
        1 => Just("---".to_string()),
    ]
}

fn title() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => word(),
        1 => "[#<`|*][A-Za-z0-9 #<>`|]{0,12}[A-Za-z0-9#|`]",
        1 => word().prop_map(|w| format!("{w} #")),
    ]
}

prop_compose! {
    fn arb_draft()(
        title in title(),
        status in prop_oneof![
            Just(AdrStatus::Accepted), Just(AdrStatus::Proposed), Just(AdrStatus::Draft),
            Just(AdrStatus::Rejected), Just(AdrStatus::Deprecated), Just(AdrStatus::Superseded),
            "[a-z]{2,8} [a-z]{2,8}".prop_map(AdrStatus::Custom),
            "[a-z\"'][a-z :\"'#-]{0,12}".prop_map(AdrStatus::Custom),
            Just(AdrStatus::Custom("Accepted".into())),
            Just(AdrStatus::Custom("superseded by ADR-0009".into())),
        ],
        names in proptest::collection::vec(word(), 0..3),
        tags in proptest::collection::vec("[a-z, \"]{0,8}", 0..3),
        context in text_strategy(),
        drivers in proptest::collection::vec(list_item(), 0..3),
        options in proptest::collection::vec((title(), text_strategy(), proptest::collection::vec(list_item(), 0..2), proptest::collection::vec(list_item(), 0..2)), 0..3),
        outcome in text_strategy(),
        good in proptest::collection::vec(list_item(), 0..2),
        bad in proptest::collection::vec(list_item(), 0..2),
        confirmation in text_strategy(),
        extra in proptest::collection::vec((1u8..=6, prop_oneof![
            3 => "[A-Z][a-z]{2,8}",
            1 => Just("Context".to_string()),
            1 => Just("Decision Outcome".to_string()),
            1 => Just("Consequences".to_string()),
            1 => Just("Links".to_string()),
            1 => Just("Considered Options".to_string()),
        ], text_strategy()), 0..3),
        day in 1u32..28,
    ) -> AdrDraft {
        let mut titles = std::collections::BTreeSet::new();
        AdrDraft {
            title,
            status,
            date: NaiveDate::from_ymd_opt(2020, 1, day),
            decision_makers: names.clone(),
            consulted: names,
            tags,
            context,
            decision_drivers: drivers,
            considered_options: options.into_iter().filter(|o| titles.insert(o.0.trim().to_string())).map(|(title, description, pros, cons)| ConsideredOption { title, description, pros, cons, neutral: vec![] }).collect(),
            decision_outcome: outcome,
            consequences: Consequences { good, bad, neutral: vec![] },
            confirmation,
            sections: extra.into_iter().map(|(level, heading, body)| Section { heading, level, body }).collect(),
            ..Default::default()
        }
    }
}

fn sorted(mut d: AdrDraft) -> AdrDraft {
    d.links.sort();
    d
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    #[test]
    fn export_import_export_is_a_fixed_point(draft in arb_draft(), number in 0u32..10_000, link in proptest::option::of(0u32..100)) {
        let mut adr = record(number, draft.clone());
        if let Some(n) = link {
            adr.add_link(LinkKind::SupersededBy, n);
        }
        let first = render_madr4(&adr);
        let back = reimport(&adr, &first);
        prop_assert_eq!(&render_madr4(&back), &first);
        // The imported value is already normal: importing it again is exact.
        let again = reimport(&back, &render_madr4(&back));
        prop_assert_eq!(sorted(again.draft()), sorted(back.draft()));
        // Text fields come back byte-identical, headings and all.
        let d = back.draft();
        prop_assert_eq!(&d.context, &clean(&draft.context), "{}", first);
        prop_assert_eq!(&d.decision_outcome, &clean(&draft.decision_outcome), "{}", first);
        prop_assert_eq!(&d.confirmation, &clean(&draft.confirmation), "{}", first);
        prop_assert_eq!(d.considered_options.len(), draft.considered_options.len());
        for (got, want) in d.considered_options.iter().zip(&draft.considered_options) {
            let want_title = clean(&want.title);
            prop_assert_eq!(got.title.as_str(), want_title.trim_start());
            prop_assert_eq!(&got.description, &clean(&want.description), "{}", first);
        }
        // Sections come back exactly while they do not nest (a deeper one
        // after another is part of its body, as Markdown reads it).
        let flat = draft.sections.first().is_none_or(|s| s.level <= 2)
            && draft.sections.windows(2).all(|w| w[1].level <= w[0].level);
        if flat {
            let want: Vec<(u8, String, String)> = draft.sections.iter().map(|s| (s.level, s.heading.clone(), clean(&s.body))).collect();
            let got: Vec<(u8, String, String)> = d.sections.iter().map(|s| (s.level, s.heading.clone(), s.body.clone())).collect();
            prop_assert_eq!(got, want, "{}", first);
        }
    }

    #[test]
    fn parsing_never_panics(s in "(?s).{0,400}") {
        let _ = parse_file("0001-x.md", &s);
        let _ = parse_file("0001-x.md", &format!("---\n{s}"));
        let _ = parse_file("0001-x.md", &format!("# T\n\n{s}"));
    }
}

/// Export, import, and check both the text fixed point and the value.
fn round_trip(draft: AdrDraft) -> (String, AdrDraft) {
    let adr = record(5, draft);
    let first = render_madr4(&adr);
    let back = reimport(&adr, &first);
    assert_eq!(render_madr4(&back), first, "not a fixed point");
    (first, back.draft())
}

#[test]
fn headings_inside_text_fields_come_back_verbatim() {
    let body =
        "intro\n# one\n## two\n### three\n#### four\nsetext\n---\nand\n===\n\\## already escaped";
    let draft = AdrDraft {
        title: "T".into(),
        context: body.into(),
        decision_outcome: body.into(),
        confirmation: body.into(),
        considered_options: vec![ConsideredOption {
            title: "A".into(),
            description: body.into(),
            pros: vec!["p".into()],
            ..Default::default()
        }],
        sections: vec![Section {
            heading: "Notes".into(),
            level: 2,
            body: body.into(),
        }],
        ..Default::default()
    };
    let (text, back) = round_trip(draft.clone());
    assert_eq!(back, draft, "{text}");
    // Escaped, not demoted: deeper headings stay headings.
    assert!(text.contains("\n\\## two\n### three\n"), "{text}");
    assert!(text.contains("\n\\\\## already escaped"), "{text}");
}

#[test]
fn first_extra_section_deeper_than_level_two_is_not_swallowed() {
    for level in 3..=6 {
        let draft = AdrDraft {
            title: "T".into(),
            considered_options: vec![ConsideredOption {
                title: "A".into(),
                pros: vec!["p".into()],
                ..Default::default()
            }],
            decision_outcome: "Chosen".into(),
            confirmation: "c".into(),
            sections: vec![Section {
                heading: "Deep".into(),
                level,
                body: "x".into(),
            }],
            ..Default::default()
        };
        let (text, back) = round_trip(draft);
        assert_eq!(back.considered_options.len(), 1, "{text}");
        assert_eq!(back.decision_outcome, "Chosen");
        // It starts the extra sections, so it is written at level 2.
        assert_eq!(
            back.sections,
            vec![Section {
                heading: "Deep".into(),
                level: 2,
                body: "x".into()
            }]
        );
    }
}

#[test]
fn outcome_with_its_own_consequences_list_stays_outcome() {
    let outcome = "Chosen option: A.\n\n### Consequences\n\n* Good, because inner\n\n### Confirmation\n\ninner";
    let draft = AdrDraft {
        title: "T".into(),
        decision_outcome: outcome.into(),
        consequences: Consequences {
            good: vec!["outer".into()],
            ..Default::default()
        },
        confirmation: "outer".into(),
        ..Default::default()
    };
    let (text, back) = round_trip(draft.clone());
    assert_eq!(back, draft, "{text}");
    assert!(text.contains("\\### Consequences"), "{text}");
    // Option descriptions with argument-like bullets stay descriptions.
    option_description_round_trips("* Good, because described\n* plain");
}

/// An option described by `description` (and one con) comes back as it was.
fn option_description_round_trips(description: &str) {
    let draft = AdrDraft {
        title: "T".into(),
        considered_options: vec![ConsideredOption {
            title: "A".into(),
            description: description.into(),
            cons: vec!["real".into()],
            ..Default::default()
        }],
        ..Default::default()
    };
    let (text, back) = round_trip(draft.clone());
    assert_eq!(back, draft, "{text}");
}

#[test]
fn sections_named_like_structure_stay_sections() {
    let mut sections = Vec::new();
    for heading in [
        "Context",
        "Decision Outcome",
        "Decision Drivers",
        "Considered Options",
        "Consequences",
        "Confirmation",
        "Pros and Cons of the Options",
    ] {
        sections.push(Section {
            heading: heading.into(),
            level: 2,
            body: "* Good, because x".into(),
        });
    }
    sections.push(Section {
        heading: "Links".into(),
        level: 2,
        body: "* Supersedes ADR-0009 (as text)\n* Relates to ADR-0001".into(),
    });
    let draft = AdrDraft {
        title: "T".into(),
        sections,
        ..Default::default()
    };
    let (text, back) = round_trip(draft.clone());
    assert_eq!(back, draft, "{text}");
    assert!(text.contains("\n## Context #\n"), "{text}");
}

#[test]
fn list_items_titles_statuses_and_tags_normalise_exactly() {
    let draft = AdrDraft {
        title: "#1 <b>`code`</b> | pipe #".into(),
        status: AdrStatus::Custom("\"on: hold\" ".into()),
        tags: vec!["a, b".into(), "".into(), " c ".into()],
        decision_drivers: vec![
            "* starred".into(),
            "- dashed".into(),
            "+ plus".into(),
            "12. numbered".into(),
            "trailing   ".into(),
            "two\nlines".into(),
            "".into(),
            "**".into(),
            "* * *".into(),
        ],
        considered_options: vec![ConsideredOption {
            title: "# hash".into(),
            pros: vec!["".into(), "multi\nline".into()],
            ..Default::default()
        }],
        consequences: Consequences {
            bad: vec!["  padded  ".into()],
            ..Default::default()
        },
        ..Default::default()
    };
    let (text, back) = round_trip(draft);
    assert_eq!(back.title, "#1 <b>`code`</b> | pipe #");
    assert_eq!(back.status, AdrStatus::Custom("on: hold".into()), "{text}");
    assert_eq!(back.tags, vec!["a, b", "c"]);
    assert_eq!(
        back.decision_drivers,
        vec![
            "* starred",
            "- dashed",
            "+ plus",
            "12. numbered",
            "trailing",
            "two\nlines",
            "**",
            "* * *"
        ],
        "{text}"
    );
    assert_eq!(back.considered_options[0].title, "# hash");
    assert_eq!(back.considered_options[0].pros, vec!["", "multi\nline"]);
    assert_eq!(back.consequences.bad, vec!["padded"]);
    // A custom label that reads as a known status is that status.
    let (_, back) = round_trip(AdrDraft {
        title: "T".into(),
        status: AdrStatus::Custom("Accepted".into()),
        ..Default::default()
    });
    assert_eq!(back.status, AdrStatus::Accepted);
}

#[test]
fn open_blocks_in_text_are_closed_not_leaked() {
    let draft = AdrDraft {
        title: "T".into(),
        context: "```rust\nfn open() {".into(),
        decision_outcome: "<!-- never closed".into(),
        ..Default::default()
    };
    let (text, back) = round_trip(draft);
    assert_eq!(back.context, "```rust\nfn open() {\n```", "{text}");
    assert_eq!(back.decision_outcome, "<!-- never closed\n-->");
}

#[test]
fn adr_id_in_the_title_becomes_the_number() {
    // Many teams write the record's id into its title, with the metadata as
    // a bold bullet list.
    let text = "# ADR-0031: Keep audit events for seven years\n\n- **Status:** Accepted\n- **Date:** 2025-03-04\n\n## Context\n\nRegulators ask for seven years.\n\n## Decision\n\nWe keep them in cold storage.\n";
    let p = parsed("audit-retention.md", text);
    assert_eq!(p.number, Some(31));
    assert_eq!(p.draft.title, "Keep audit events for seven years");
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(
        p.draft.date,
        NaiveDate::from_ymd_opt(2025, 3, 4),
        "bold bullet metadata is read"
    );
    // The file name's number still wins; other spellings of the id work too.
    let p = parsed("0032-tiers.md", "# ADR 32 - Storage tiers\n\nBody.\n");
    assert_eq!(
        (p.number, p.draft.title.as_str()),
        (Some(32), "Storage tiers")
    );
    let p = parsed("0033-x.md", "# adr-33. Lower case\n\nBody.\n");
    assert_eq!(p.draft.title, "Lower case");
    // A title that only starts with the letters is left alone.
    let p = parsed("0034-x.md", "# ADRs live in the repository\n\nBody.\n");
    assert_eq!(p.draft.title, "ADRs live in the repository");
}

#[test]
fn front_matter_title_stands_in_for_a_missing_heading() {
    // Docusaurus ADR logs carry the title (with its id) only in front matter.
    let text = "---\nid: adrs-adr004\ntitle: 'ADR004: Keep one lockfile'\n# a comment\ndescription: Why the monorepo has one lockfile\n---\n\n## Context\n\nTwo lockfiles drifted.\n\n## Decision\n\nOne lockfile at the root.\n\n## Risks\n\nBigger diffs.\n";
    let p = parsed("adr004-one-lockfile.md", text);
    assert_eq!(p.number, Some(4));
    assert_eq!(p.draft.title, "Keep one lockfile");
    assert_eq!(p.draft.context, "Two lockfiles drifted.");
    assert_eq!(p.draft.decision_outcome, "One lockfile at the root.");
    assert_eq!(p.draft.sections.len(), 1);
    assert_eq!(p.draft.sections[0].heading, "Risks");
    assert_eq!(p.draft.sections[0].body, "Bigger diffs.");
    // The other keys are kept; the title is not kept a second time.
    let keys: Vec<&str> = p
        .draft
        .extra_front_matter
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(keys, ["id", "description"]);
    // The export writes `# Title` and reads back to the same record.
    let adr = record(4, p.draft);
    let out = render_madr4(&adr);
    assert!(out.contains("\n# Keep one lockfile\n"), "{out}");
    assert_eq!(reimport(&adr, &out).draft(), adr.draft());
    // Without a title anywhere it is still no ADR.
    let err = parse_file("adr005-x.md", "---\nid: x\n---\n\n## Context\n\nText.\n");
    assert!(matches!(err, Err(ParseError { line: 4, .. })), "{err:?}");
}

#[test]
fn adr_prefixed_file_names_carry_the_number() {
    for (name, n) in [
        ("adr-010-persistent-configs.md", 10),
        ("ADR-002-gitops.md", 2),
        ("adr013-use-fetch.md", 13),
        ("adr_7_logging.md", 7),
    ] {
        assert_eq!(parsed(name, "# T\n\nBody.\n").number, Some(n), "{name}");
    }
    assert_eq!(parsed("adrs-are-good.md", "# T\n\nB.\n").number, None);
    // Links to such files name the record by its number.
    let text = "# T\n\n## Status\n\nAccepted\n\nSupersedes [the old one](adr-015-data-model.md)\n";
    let p = parsed("adr-017-x.md", text);
    assert_eq!(
        p.links,
        [(LinkKind::Supersedes, LinkTarget::Number(15))],
        "{p:?}"
    );
}

#[test]
fn a_numbered_record_about_templates_is_not_a_template() {
    let text = "---\nstatus: \"accepted\"\n---\n# Handling of the minimal template\n\n## Context and Problem Statement\n\nWhy.\n";
    let p = parsed("0019-consequences-in-minimal-template.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(parsed("0039-template-engine.md", text).number, Some(39));
    for name in [
        "0000-template.md",
        "adr000-template.md",
        "0000-adr-template.md",
        "adr-template-minimal.md",
        "0000-ladr-template.md",
        "000-template-adr.md",
    ] {
        assert!(
            matches!(parse_file(name, "# X\n"), Ok(Classified::Skipped { .. })),
            "{name}"
        );
    }
}

#[test]
fn slash_dates_are_read_only_when_unambiguous() {
    let p = parsed(
        "0010-x.md",
        "# 10. X\n\nDate: 31/03/2017\n\n## Status\n\nAccepted\n\n## Context\n\nC.\n",
    );
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2017, 3, 31));
    assert_eq!(p.draft.context, "C.");
    let p = parsed("0011-x.md", "# 11. X\n\nDate: 12/31/2019\n\nC.\n");
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2019, 12, 31));
    // 11 July or 7 November: no guess, the line stays as written.
    let p = parsed(
        "0004-x.md",
        "# 4. X\n\nDate: 11/07/2017\n\n## Status\n\nProposed\n\n## Context\n\nC.\n",
    );
    assert_eq!(p.draft.date, None);
    assert_eq!(p.draft.context, "Date: 11/07/2017\n\nC.");
}

#[test]
fn a_badge_before_the_status_word_is_decoration() {
    for (line, status) in [
        ("✅ Accepted", AdrStatus::Accepted),
        ("🤔 Proposed", AdrStatus::Proposed),
        ("❌ Rejected", AdrStatus::Rejected),
        (
            "✅ Accepted for now",
            AdrStatus::Custom("✅ Accepted for now".into()),
        ),
        ("🚧 Building", AdrStatus::Custom("🚧 Building".into())),
    ] {
        let text =
            format!("# 5. X\n\nDate: 2021-05-11\n\n## Status\n\n{line}\n\n## Context\n\nC.\n");
        assert_eq!(parsed("0005-x.md", &text).draft.status, status, "{line}");
    }
}

#[test]
fn bracketed_lists_on_metadata_lines_are_lists() {
    let text = "# External groups\n\n- Status: proposed\n- Tags: [identity-platform, cip, groups]\n- Deciders: [Ana, Bo]\n\n## Context\n\nC.\n";
    let p = parsed("20250909-external-groups.md", text);
    assert_eq!(p.draft.tags, ["identity-platform", "cip", "groups"]);
    assert_eq!(p.draft.decision_makers, ["Ana", "Bo"]);
    // Deciders as shortcut reference links, defined at the end of the file.
    let text = "# Plain text descriptions\n\n* Status: accepted\n* Deciders: [Jörg S], [Ana B]\n* Date: 2024-04-09\n\n## Context and Problem Statement\n\nC.\n\n[Ana B]: https://example.org/ana\n[Jörg S]: https://example.org/joerg\n";
    let p = parsed("0002-plain-text.md", text);
    assert_eq!(p.draft.decision_makers, ["Jörg S", "Ana B"]);
    assert!(p
        .draft
        .context
        .ends_with("[Jörg S]: https://example.org/joerg"));
}

#[test]
fn consequences_split_into_positive_and_negative_lists() {
    let text = "# ADR-014: Build a sync module\n\n**Status:** Accepted\n**Date:** 2026-05-15\n\n## Context\n\nC.\n\n## Decision\n\nBuild it.\n\n## Consequences\n\n### Positive\n\n- Sync lands cleanly.\n- GPS history has a home.\n\n### Negative\n\n- A third repository.\n\n### Neutral\n\n- Module is internal.\n\n## Related\n\n- ADR-007\n";
    let p = parsed("ADR-014-sync-module.md", text);
    assert_eq!(p.number, Some(14));
    assert_eq!(
        p.draft.consequences,
        Consequences {
            good: vec![
                "Sync lands cleanly.".into(),
                "GPS history has a home.".into()
            ],
            bad: vec!["A third repository.".into()],
            neutral: vec!["Module is internal.".into()],
        }
    );
    assert_eq!(p.draft.sections.len(), 1, "{:?}", p.draft.sections);
    assert_eq!(p.draft.sections[0].heading, "Related");
    let adr = record(14, p.draft);
    let out = render_madr4(&adr);
    assert_eq!(reimport(&adr, &out).draft(), adr.draft());
    // Prose in the section, or another subsection, keeps it as written.
    for changed in [
        text.replace(
            "## Consequences\n\n",
            "## Consequences\n\nOverall fine.\n\n",
        ),
        text.replace("### Neutral", "### Risks"),
        text.replace("- Module is internal.", "Module is internal."),
    ] {
        let p = parsed("ADR-014-sync-module.md", &changed);
        assert_eq!(p.draft.consequences, Consequences::default(), "{changed}");
        assert!(p.draft.sections.iter().any(|s| s.heading == "Consequences"));
    }
}

#[test]
fn hugo_front_matter_leaves_status_lines_to_the_body() {
    // A Hugo docs site: page keys in front matter, MADR 2 metadata below.
    let text = "---\ntitle: \"1. Introduce an accounts service\"\nweight: 1\ndate: 2020-06-15T20:21:00+01:00\n---\n\n* Status: superseded by [ADR-0003]({{< ref \"0003-external-user-management.md\" >}})\n* Deciders: @butonic, @micbar\n* Date: 2020-06-15\n\nTechnical Story: [persist accounts](https://example.org/pull/34)\n\n## Context and Problem Statement\n\nC.\n";
    let p = parsed("0001-introduce-accounts-service.md", text);
    assert_eq!(p.number, Some(1));
    assert_eq!(p.draft.title, "Introduce an accounts service");
    assert_eq!(p.draft.status, AdrStatus::Superseded);
    assert_eq!(p.links, [(LinkKind::SupersededBy, LinkTarget::Number(3))]);
    assert_eq!(p.draft.decision_makers, ["@butonic", "@micbar"]);
    // The front matter's date and time is the record's date, and stays as
    // written for export; the line is not read over it (one `date` key).
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2020, 6, 15));
    assert!(p
        .draft
        .extra_front_matter
        .iter()
        .any(|(k, v)| k == "date" && v.contains("2020-06-15T20:21:00+01:00")));
    assert!(
        p.draft
            .context
            .starts_with("* Date: 2020-06-15\n\nTechnical Story:"),
        "{}",
        p.draft.context
    );
    let adr = record(1, p.draft.clone());
    let out = render_madr4(&adr);
    assert_eq!(out.matches("\ndate:").count(), 1, "{out}");
    let back = parse_file("0001-introduce-accounts-service.md", &out);
    assert!(
        matches!(back, Ok(Classified::Adr(ref b)) if b.draft == p.draft),
        "{back:?}"
    );
    // With a status in front matter (our own export), body lines are text.
    let ours = "---\nstatus: accepted\n---\n\n# T\n\n* Status: rejected\n\n## Context and Problem Statement\n\nC.\n";
    let p = parsed("0002-t.md", ours);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert!(p.draft.context.contains("* Status: rejected"));
}

#[test]
fn a_status_written_as_a_link_is_the_status() {
    // adr-tools users who link the status word to the pull request that
    // accepted the record.
    let text = "# 11. Match payments by key\n\nDate: 2023-01-03\n\n## Status\n\n[Accepted](https://example.org/pull/1049)\n\n## Context\n\nC.\n\n## Decision\n\nD.\n";
    let p = parsed("0011-match-payments.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert!(p.links.is_empty(), "{:?}", p.links);
    // The link is not dropped: it stays under its heading.
    assert_eq!(p.draft.sections.len(), 1, "{:?}", p.draft.sections);
    assert_eq!(p.draft.sections[0].heading, "Status");
    assert_eq!(
        p.draft.sections[0].body,
        "[Accepted](https://example.org/pull/1049)"
    );
    let adr = record(11, p.draft);
    assert_eq!(
        reimport(&adr, &render_madr4(&adr)).draft(),
        adr.draft(),
        "{}",
        render_madr4(&adr)
    );
    // A link to the superseding record is still that link.
    let text = "# 3. X\n\n## Status\n\nSuperseded by [5. Y](0005-y.md)\n\n## Context\n\nC.\n";
    let p = parsed("0003-x.md", text);
    assert_eq!(p.draft.status, AdrStatus::Superseded);
    assert_eq!(p.links, [(LinkKind::SupersededBy, LinkTarget::Number(5))]);
}

#[test]
fn a_template_that_lists_the_statuses_is_skipped() {
    // Templates kept under a record's name: the status is the list of
    // choices, not one of them.
    for (name, text) in [
        (
            "0000-ladr-template.md",
            "# 1. Title\n> Remove this guidance.\n\n## Status\n\n[Proposed, Accepted, Deprecated, Superseded]\n\n## Context\n\n## Decision\n\n## Green Impact\n[Positive, Neutral, Negative]\n",
        ),
        (
            "0000-starter.md",
            "# ADR-XXXX: <short title>\n\n- **Status:** Proposed | Accepted | Superseded by ADR-YYYY\n- **Date:** YYYY-MM-DD\n\n## Context\n\nWhat is the problem?\n",
        ),
    ] {
        assert!(
            matches!(parse_file(name, text), Ok(Classified::Skipped { .. })),
            "{name}: {:?}",
            parse_file(name, text)
        );
    }
    // A titled record that never picked a status is a draft, the line kept.
    let text = "# Use Scala 3\n\n- Status: [ accepted | deprecated | superseded by [xxx](yyyymmdd-xxx.md)] <!-- optional -->\n- Deciders: [list everyone involved in the decision] <!-- optional -->\n- Date: [YYYY-MM-DD]\n- Tags: [space and/or comma separated list of tags]\n\n## Context and Problem Statement\n\nC.\n";
    let p = parsed("20230206-use-scala3.md", text);
    assert_eq!(p.draft.title, "Use Scala 3");
    assert_eq!(p.draft.status, AdrStatus::Draft);
    // Its placeholders are no people and no tags; they stay as text.
    assert!(
        p.draft.decision_makers.is_empty(),
        "{:?}",
        p.draft.decision_makers
    );
    assert!(p.draft.tags.is_empty(), "{:?}", p.draft.tags);
    assert!(p.draft.context.contains("- Tags: [space and/or comma"));
    assert!(p.links.is_empty(), "{:?}", p.links);
    assert!(
        p.draft.context.starts_with("- Status: [ accepted |"),
        "{}",
        p.draft.context
    );
    // One status with words after it is a (custom) status, not a list.
    let p = parsed(
        "0006-x.md",
        "# 6. X\n\n## Status\n\nAccepted, pending review\n\n## Context\n\nC.\n",
    );
    assert_eq!(
        p.draft.status,
        AdrStatus::Custom("Accepted, pending review".into())
    );
}

#[test]
fn a_number_after_the_slug_is_the_number() {
    // compliance-trestle names records `slug_NNN.md` and repeats the title
    // in front matter.
    let text = "---\nx-trestle-template-version: 0.0.1\ntitle: Implement CLI Framework\nstatus: accepted\n---\n\n# ADR 001 - Implement CLI Framework\n\n## Context\n\nC.\n\n## Decision\n\nD.\n";
    let p = parsed("implement-cli-framework_001.md", text);
    assert_eq!(p.number, Some(1));
    assert_eq!(p.draft.title, "Implement CLI Framework");
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    let text = "---\ntitle: Record architecture decisions\nstatus: accepted # proposed, accepted, ...\n---\n\n## Context\n\nC.\n";
    let p = parsed("record-architecture-decisions_000.md", text);
    assert_eq!(p.number, Some(0));
    assert_eq!(p.draft.title, "Record architecture decisions");
    // A year or a version after the slug is no number.
    for name in ["release-notes_2024.md", "plan_v2.md", "api_10.md"] {
        assert_eq!(parsed(name, "# T\n\nB.\n").number, None, "{name}");
    }
}

#[test]
fn a_label_before_the_title_is_no_part_of_it() {
    for (text, title) in [
        (
            "# ADR: Large file uploads\n\n## Status\n\nProposed\n\n## Context\n\nC.\n",
            "Large file uploads",
        ),
        (
            "# Architecture Decision Record: CSS framework\n\nContents:\n\n## Summary\n\nS.\n",
            "CSS framework",
        ),
        (
            "# xx. Organizing Python code\n\nDate: 2025-11-28\n\n## Status\n\nProposed\n",
            "Organizing Python code",
        ),
    ] {
        assert_eq!(parsed("00xx-x.md", text).draft.title, title, "{text}");
    }
    // `xx.` is a placeholder number only where the file name has one too.
    assert_eq!(
        parsed("0003-x.md", "# XX. Century design\n\nB.\n")
            .draft
            .title,
        "XX. Century design"
    );
    // Our own export keeps such a title as written.
    let adr = record(
        2,
        AdrDraft {
            title: "ADR: a title that says so".into(),
            ..Default::default()
        },
    );
    assert_eq!(
        reimport(&adr, &render_madr4(&adr)).draft().title,
        "ADR: a title that says so"
    );
}

#[test]
fn a_second_context_section_keeps_its_place() {
    // A record that was revised by appending a second round of sections.
    let text = "# 2. X\n\nDate: 2020-12-18\n\n## Status\n\nAccepted\n\n## Context\n\nFirst context.\n\n## Decision\n\nFirst decision.\n\n## Consequences\n\nFirst consequences.\n\n## Context\n\nSecond context.\n\n## Decision\n\nSecond decision.\n";
    let p = parsed("0002-x.md", text);
    assert_eq!(p.draft.context, "First context.");
    let headings: Vec<&str> = p
        .draft
        .sections
        .iter()
        .map(|s| s.heading.as_str())
        .collect();
    assert_eq!(headings, ["Consequences", "Context", "Decision"]);
    assert_eq!(p.draft.sections[1].body, "Second context.");
}

#[test]
fn a_record_that_kept_the_brackets_of_its_title_is_a_record() {
    // Teams starting from the MADR 2 template sometimes keep the brackets
    // of `# [short title]`; nothing else in the file is a placeholder.
    let text = "# [Gestion des dates]\n\n* Status: accepted\n* Date: 2022-10-05\n\n## Contexte et définition du problème\n\nNous avions plusieurs manières de gérer les dates.\n";
    let p = parsed("ADR-003-gestion-des-dates.md", text);
    assert_eq!(p.number, Some(3));
    assert_eq!(p.draft.title, "Gestion des dates");
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2022, 10, 5));
    // Brackets inside the title are part of it.
    let p = parsed("0004-x.md", "# [a] or [b]\n\nB.\n");
    assert_eq!(p.draft.title, "[a] or [b]");
    // The template itself, placeholders throughout, is still skipped.
    let template = "# [short title of solved problem and solution]\n\n* Deciders: [list everyone involved in the decision] <!-- optional -->\n\n## Context and Problem Statement\n\n[Describe the context and problem statement.]\n";
    assert!(matches!(
        parse_file("x.md", template),
        Ok(Classified::Skipped { .. })
    ));
    // Our own export of such a title keeps it as written.
    let adr = record(
        5,
        AdrDraft {
            title: "[Draft] naming".into(),
            ..Default::default()
        },
    );
    let adr2 = record(
        6,
        AdrDraft {
            title: "[naming]".into(),
            ..Default::default()
        },
    );
    for a in [adr, adr2] {
        assert_eq!(
            reimport(&a, &render_madr4(&a)).draft().title,
            a.draft().title
        );
    }
}

#[test]
fn french_statuses_with_letters_that_grow_when_lowercased_do_not_panic() {
    // `İ` is 2 bytes and lowercases to 3: no byte offset may cross from
    // the lowercased text to the original.
    for line in [
        "* Statut : remplacé par İİİİİİİİİİİİİİİİİİİİ",
        "* Statut : İİİİİİİİİİİİİİİİİİ par 7",
        "* Consultés : İİİİİİİİİİİİİİİİ",
        "* Owner: remplacé par İİİİİİİİİİİİİİİİİİİİ",
    ] {
        let text = format!("# T\n\n{line}\n\n## Contexte\n\nC.\n");
        let p = parsed("0001-t.md", &text);
        assert_eq!(p.draft.title, "T", "{line}");
    }
}

#[test]
fn french_metadata_lines_fill_the_fields() {
    // French teams' MADR: `statut`, `décisionnaires`, ... and quoted values.
    let text = "---\nparent: Decisions\nnav_order: 0003\n---\n\n# Convergence des portails\n\n* **statut**: \"accepté\"\n* **date**: \"2025-06-26\"\n* **périmètre**: \"Agence\"\n* **décisionnaires**: \"Equipe Portail\"\n* **consultés**: \"Camelia F., Jean B.\"\n* **informés**: \"Toutes les parties prenantes\"\n\n## Contexte et énoncé du problème\n\nDeux portails.\n";
    let p = parsed("0003-convergence.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2025, 6, 26));
    assert_eq!(p.draft.decision_makers, ["Equipe Portail"]);
    assert_eq!(p.draft.consulted, ["Camelia F.", "Jean B."]);
    assert_eq!(p.draft.informed, ["Toutes les parties prenantes"]);
    // A key with no field stays as written.
    assert!(p.draft.context.contains("* **périmètre**: \"Agence\""));
    for (line, status) in [
        ("* statut : proposé", AdrStatus::Proposed),
        ("* Statut : rejetée", AdrStatus::Rejected),
        ("* Statut : mergé", AdrStatus::Custom("mergé".into())),
    ] {
        let text = format!("# T\n\n{line}\n* date : 2025-05-27\n\n## Contexte\n\nC.\n");
        let p = parsed("0001-t.md", &text);
        assert_eq!(p.draft.status, status, "{line}");
        assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2025, 5, 27), "{line}");
    }
    let p = parsed(
        "0002-t.md",
        "# T\n\n* statut : remplacé par [ADR-0007](0007-x.md)\n\n## Contexte\n\nC.\n",
    );
    assert_eq!(p.draft.status, AdrStatus::Superseded);
    assert_eq!(p.links, [(LinkKind::SupersededBy, LinkTarget::Number(7))]);
}

#[test]
fn a_title_that_repeats_the_record_number_is_not_numbered_twice() {
    // MADR 4 front matter over a numbered title, as many teams write it.
    for (name, heading) in [
        (
            "0018-widget-runtime.md",
            "# 0018. A widget lifecycle runtime",
        ),
        (
            "0018-widget-runtime.md",
            "# ADR-0018: A widget lifecycle runtime",
        ),
    ] {
        let text = format!("---\nstatus: \"accepted\"\ndate: 2026-08-09\ndecision-makers: Yurii A\n---\n\n{heading}\n\n## Context and Problem Statement\n\nC.\n");
        let p = parsed(name, &text);
        assert_eq!(p.number, Some(18));
        assert_eq!(p.draft.title, "A widget lifecycle runtime", "{heading}");
        assert_eq!(p.draft.decision_makers, ["Yurii A"]);
    }
    // Another record's number in the title is part of the title.
    let text = "---\nstatus: accepted\n---\n\n# 12. Twelve ways\n\nC.\n";
    assert_eq!(parsed("0018-x.md", text).draft.title, "12. Twelve ways");
    // A record whose title starts with its own number is written once.
    let adr = record(
        7,
        AdrDraft {
            title: "7. Seven".into(),
            ..Default::default()
        },
    );
    let out = render_madr4(&adr);
    assert!(out.contains("\n# Seven\n"), "{out}");
    let back = reimport(&adr, &out);
    assert_eq!(back.draft().title, "Seven");
    assert_eq!(render_madr4(&back), out);
}

#[test]
fn a_status_followed_by_an_explanation_is_the_status_and_keeps_the_text() {
    // The status word, then a sentence about it: the word is the status,
    // the line stays as written.
    let text = "# 8. Skins as TOML\n\nDate: 2026-10-09\n\n## Status\n\nAccepted. Ruling out bitmap skins is superseded by [ADR-0010](0010-classic.md)\nfor classic skins.\n\n## Context\n\nC.\n";
    let p = parsed("0008-skins.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert!(p.links.is_empty(), "{:?}", p.links);
    assert_eq!(p.draft.sections[0].heading, "Status");
    assert!(p.draft.sections[0].body.starts_with("Accepted. Ruling out"));
    let adr = record(8, p.draft);
    assert_eq!(reimport(&adr, &render_madr4(&adr)).draft(), adr.draft());
    // Superseded by a record, then when and why.
    let text = "# ADR 0007 — Phase 1a winner\n\n* **Date:** 2026-05-12\n* **Status:** **superseded by [ADR 0009](0009-goal.md) on 2026-05-19** — the recommendation is not a neural network.\n\n## Context\n\nC.\n";
    let p = parsed("0007-phase-1a.md", text);
    assert_eq!(p.draft.title, "Phase 1a winner");
    assert_eq!(p.draft.status, AdrStatus::Superseded);
    assert_eq!(p.links, [(LinkKind::SupersededBy, LinkTarget::Number(9))]);
    assert!(p
        .draft
        .context
        .contains("on 2026-05-19** — the recommendation"));
    // A warning sign before the words.
    let text = "# ADR-0004: Principal is an entity\n\n- **Status:** ⚠️ Superseded by [ADR-0034](0034-principal.md)\n- **Date:** 2026-07-29\n\n## Context\n\nC.\n";
    let p = parsed("0004-principal.md", text);
    assert_eq!(p.draft.status, AdrStatus::Superseded);
    assert_eq!(p.links, [(LinkKind::SupersededBy, LinkTarget::Number(34))]);
    // `ADR-0077 | Title`.
    let p = parsed("0077-x.md", "# ADR-0077 | Admit a rule\n\nB.\n");
    assert_eq!(p.draft.title, "Admit a rule");
}

#[test]
fn numbered_section_headings_and_a_status_table_are_read() {
    // `## 1. Status` with a Field/Value table, `## 2. Context`, ...
    let text = "# ADR-0038 — Transactional outbox\n\n## 1. Status\n\n| Field | Value |\n|---|---|\n| Status | Accepted |\n| Date | 2025-06-10 |\n| ARB decision | ARB-2025-022, Approved |\n| Deciders | David O, Amara O |\n\n## 2. Context\n\nC.\n\n## 3. Decision\n\nD.\n\n## 4. Consequences\n\n* Good, because one transaction.\n";
    let p = parsed("ADR-0038-outbox.md", text);
    assert_eq!(p.number, Some(38));
    assert_eq!(p.draft.title, "Transactional outbox");
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2025, 6, 10));
    assert_eq!(p.draft.decision_makers, ["David O", "Amara O"]);
    assert_eq!(p.draft.context, "C.");
    assert_eq!(p.draft.decision_outcome, "D.");
    assert_eq!(p.draft.consequences.good, ["one transaction."]);
    // Rows with no field stay, as a table under the heading.
    assert_eq!(p.draft.sections.len(), 1, "{:?}", p.draft.sections);
    assert_eq!(p.draft.sections[0].heading, "1. Status");
    assert!(p.draft.sections[0]
        .body
        .contains("| ARB decision | ARB-2025-022, Approved |"));
    let adr = record(38, p.draft);
    let out = render_madr4(&adr);
    assert_eq!(reimport(&adr, &out).draft(), adr.draft(), "{out}");
    // A numbered section named like structure, in our export, stays one.
    let adr = record(
        3,
        AdrDraft {
            title: "T".into(),
            context: "C.".into(),
            sections: vec![Section {
                heading: "2. Context".into(),
                level: 2,
                body: "More.".into(),
            }],
            ..Default::default()
        },
    );
    assert_eq!(reimport(&adr, &render_madr4(&adr)).draft(), adr.draft());
}

#[test]
fn a_single_decider_and_a_decision_date_are_metadata() {
    let text = "# Part 11 audit trails\n\n| Field | Value |\n|---|---|\n| Status | Accepted |\n| Decision date | 2027-01-27 |\n| Decider | Terrence A |\n| Decision log | `DEC-517` |\n\n## Context\n\nC.\n";
    let p = parsed("0005-audit-trails.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2027, 1, 27));
    assert_eq!(p.draft.decision_makers, ["Terrence A"]);
    assert!(p.draft.context.contains("| Decision log | `DEC-517` |"));
}

#[test]
fn date_and_deciders_sections_are_metadata() {
    let text = "# ADR-013: API baseline gates\n\n## Status\n\nAccepted\n\n## Date\n\n2026-02-19\n\n## Deciders\n\n- Product Engineering\n- Platform Architecture\n\n## Context\n\nC.\n";
    let p = parsed("ADR-013-api-baseline.md", text);
    assert_eq!(p.number, Some(13));
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 2, 19));
    assert_eq!(
        p.draft.decision_makers,
        ["Product Engineering", "Platform Architecture"]
    );
    assert!(p.draft.sections.is_empty(), "{:?}", p.draft.sections);
    let p = parsed(
        "0007-x.md",
        "# ADR-0007: X\n\n## Status\n\nAccepted\n\n## Deciders\n\nChief Audit Executive (CAE), CISO\n\n## Context\n\nC.\n",
    );
    assert_eq!(
        p.draft.decision_makers,
        ["Chief Audit Executive (CAE)", "CISO"]
    );
    // Prose under the heading, or a date with a remark, stays a section
    // (the date with a remark is the record's date too).
    let text = "# 5. X\n\n## Status\nAccepted\n\n## Date\n2026-07-23 (retroactive)\n\n## Deciders\nlead, reading the operator's ruling. Not an operator decision.\n\n## Context\nC.\n";
    let p = parsed("0005-x.md", text);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 7, 23));
    assert!(p.draft.decision_makers.is_empty());
    let headings: Vec<&str> = p
        .draft
        .sections
        .iter()
        .map(|s| s.heading.as_str())
        .collect();
    assert_eq!(headings, ["Date", "Deciders"]);
    // Our export keeps such sections as sections.
    let adr = record(
        9,
        AdrDraft {
            title: "T".into(),
            sections: vec![
                Section {
                    heading: "Date".into(),
                    level: 2,
                    body: "2020-01-02".into(),
                },
                Section {
                    heading: "Deciders".into(),
                    level: 2,
                    body: "Ana".into(),
                },
            ],
            ..Default::default()
        },
    );
    assert_eq!(reimport(&adr, &render_madr4(&adr)).draft(), adr.draft());
}

#[test]
fn a_status_section_under_front_matter_without_a_status_is_read() {
    // Page keys in front matter (owner, tier, ...), the status as a section.
    let text = "---\nowner: 'protocol-architect'\ntier: 'critical'\ntags: ['docs', 'architecture']\n---\n\n# ADR-013: API baseline gates\n\n## Status\n\nAccepted\n\n## Date\n\n2026-02-19\n\n## Context\n\nC.\n";
    let p = parsed("ADR-013-api-baseline.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 2, 19));
    assert_eq!(p.draft.tags, ["docs", "architecture"]);
    assert!(p.draft.sections.is_empty(), "{:?}", p.draft.sections);
    // With a status in front matter (our export) the section is text.
    let text = "---\nstatus: proposed\n---\n\n# T\n\n## Status\n\nAccepted\n\n## Context\n\nC.\n";
    let p = parsed("0001-t.md", text);
    assert_eq!(p.draft.status, AdrStatus::Proposed);
    assert_eq!(p.draft.sections[0].heading, "Status");
}

#[test]
fn dashed_day_first_dates_and_a_bare_date_line_are_read() {
    // `21-02-2023`: day first with dashes, unambiguous.
    let p = parsed(
        "0003-x.md",
        "# 2. Replace packr2\n\nDate: 21-02-2023\n\n## Status\n\nInprogress\n\n## Context\n\nC.\n",
    );
    assert_eq!(p.number, Some(3));
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2023, 2, 21));
    assert_eq!(p.draft.status, AdrStatus::Custom("Inprogress".into()));
    // `03-04-2021` could be either: it stays as written.
    let p = parsed(
        "0004-x.md",
        "# 4. X\n\nDate: 03-04-2021\n\n## Status\n\nAccepted\n\n## Context\n\nC.\n",
    );
    assert_eq!(p.draft.date, None);
    assert!(p.draft.context.starts_with("Date: 03-04-2021"));
    // A date alone on the line under the title.
    let p = parsed(
        "0004-oidc.md",
        "# Create an OIDC server\n\n27 July 2022\n\n## Status\n\nAccepted\n\n## Context\n\nC.\n",
    );
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2022, 7, 27));
    assert_eq!(p.draft.context, "C.");
}

#[test]
fn a_table_of_contents_under_another_name_is_skipped() {
    // GitBook's SUMMARY.md, docsify's _sidebar.md, a hand-kept decision log.
    for (name, text) in [
        (
            "SUMMARY.md",
            "# Summary\n\n* [ADR-0001](0001-record.md) - Record decisions\n* [ADR-0002](0002-vale.md) - Use Vale\n* [ADR-0003](0003-rust.md) - Use Rust\n",
        ),
        (
            "_sidebar.md",
            "- [Home](/)\n- Decisions\n  - [1. Record](0001-record.md)\n  - [2. Vale](0002-vale.md)\n  - [3. Rust](0003-rust.md)\n",
        ),
        (
            "decision-log.md",
            "# Decision log\n\nAll our decisions.\n\n| ADR | Title | Status |\n|---|---|---|\n| [1](0001-record.md) | Record | Accepted |\n| [2](0002-vale.md) | Vale | Accepted |\n| [3](0003-rust.md) | Rust | Proposed |\n",
        ),
    ] {
        assert!(
            matches!(parse_file(name, text), Ok(Classified::Skipped { .. })),
            "{name}: {:?}",
            parse_file(name, text)
        );
    }
    // A record that links to a few others is a record.
    let text = "# 9. Merge the services\n\nDate: 2024-01-02\n\n## Status\n\nAccepted\n\nSupersedes [3. A](0003-a.md)\n\n## Context\n\nWe have three services:\n\n* [4. B](0004-b.md)\n* [5. C](0005-c.md)\n* [6. D](0006-d.md)\n\nThey share one database and are deployed together.\n\n## Decision\n\nMerge them.\n";
    let p = parsed("0009-merge.md", text);
    assert_eq!(p.draft.title, "Merge the services");
}

#[test]
fn custom_statuses_that_look_like_body_lines_round_trip_in_front_matter() {
    // Body-line readings (a status with an explanation, a linked status, a
    // list of choices) keep the line as text; in front matter there is no
    // line to keep, so the value stays a custom status.
    for label in [
        "rejected - ab",
        "accepted. more to come",
        "[Accepted](https://example.org/pull/1)",
        "proposed | accepted",
        "superseded by ADR-0009 on 2024-05-01",
    ] {
        let adr = record(
            3,
            AdrDraft {
                title: "T".into(),
                status: AdrStatus::Custom(label.into()),
                ..Default::default()
            },
        );
        let first = render_madr4(&adr);
        let back = reimport(&adr, &first);
        assert_eq!(render_madr4(&back), first, "{label}");
        assert_eq!(back.status, AdrStatus::Custom(label.into()), "{label}");
    }
}

#[test]
fn front_matter_errors_count_lines_in_the_file() {
    // The YAML parser counts from the front matter's first line; the
    // message names lines of the file, like the error's own line.
    let e = parse_file(
        "0001-x.md",
        "---\nstatus: accepted\ntags: [a, b\ndate: 2024-01-01\n---\n\n# T\n",
    )
    .expect_err("must fail");
    assert_eq!(e.line, 4, "{e}");
    assert!(e.reason.contains("at line 4 column"), "{e}");
    assert!(e.reason.contains("at line 3 column 7"), "{e}");
}

#[test]
fn file_numbers_before_a_space_or_a_dot_are_numbers() {
    for (name, n) in [
        ("ADR 174 - Aggregate roots.md", Some(174)),
        ("0012 Use Kafka.md", Some(12)),
        ("0013. Use Redis.md", Some(13)),
        ("ADR-0005.md", Some(5)),
        ("1.2-upgrade-notes.md", None),
        ("20200925 notes.md", None),
    ] {
        assert_eq!(parsed(name, "# T\n\nB.\n").number, n, "{name}");
    }
    // A link to such a file, its spaces written as %20, names the number.
    let text = "# 176. X\n\n## Status\n\nAccepted\n\nSupersedes [ADR 174](ADR%20174%20-%20Aggregate%20roots.md)\n";
    let p = parsed("ADR 176 - X.md", text);
    assert_eq!(p.number, Some(176));
    assert_eq!(p.links, [(LinkKind::Supersedes, LinkTarget::Number(174))]);
}

#[test]
fn struck_out_statuses_are_history() {
    // `~~Proposed~~ Accepted`: the status that is not struck out; the line
    // stays as written.
    for text in [
        "# T\n\n* Status: ~~Proposed~~ Accepted\n\n## Context\n\nC.\n",
        "# 4. T\n\n## Status\n\n~~Proposed~~ ~~Accepted~~ Deprecated\n\n## Context\n\nC.\n",
    ] {
        let p = parsed("0004-t.md", text);
        let want = if text.contains("Deprecated") {
            AdrStatus::Deprecated
        } else {
            AdrStatus::Accepted
        };
        assert_eq!(p.draft.status, want, "{text}");
        let all = format!("{}{:?}", p.draft.context, p.draft.sections);
        assert!(all.contains("~~Proposed~~"), "{all}");
    }
    let p = parsed(
        "0005-t.md",
        "# 5. T\n\n## Status\n\n~~Accepted~~ Superseded by [ADR-0009](0009-x.md)\n\n## Context\n\nC.\n",
    );
    assert_eq!(p.draft.status, AdrStatus::Superseded);
    assert_eq!(p.links, [(LinkKind::SupersededBy, LinkTarget::Number(9))]);
}

#[test]
fn statuses_and_dates_in_other_languages_are_read() {
    // German lines, a Spanish `## Estado` section, Portuguese and Italian
    // words: the status they name; unknown words stay custom.
    for (text, status, date) in [
        (
            "# ADR-005: T\n\n- Status: Akzeptiert\n- Datum: 2026-09-04\n\n## Kontext\n\nK.\n",
            AdrStatus::Accepted,
            NaiveDate::from_ymd_opt(2026, 9, 4),
        ),
        (
            "# ADR-004: T\n\n## Estado\n\nAceptado\n\n## Contexto\n\nC.\n",
            AdrStatus::Accepted,
            None,
        ),
        (
            "# 3. T\n\n## Status\n\nAceito\n\n## Fecha\n\n2024-02-01\n",
            AdrStatus::Accepted,
            NaiveDate::from_ymd_opt(2024, 2, 1),
        ),
        ("# 3. T\n\n* Stato: rifiutato\n", AdrStatus::Rejected, None),
        (
            "# 3. T\n\n## Status\n\nVorgeschlagen\n",
            AdrStatus::Proposed,
            None,
        ),
        (
            "# 3. T\n\n## Status\n\nIn Arbeit\n",
            AdrStatus::Custom("In Arbeit".into()),
            None,
        ),
    ] {
        let p = parsed("ADR-004-t.md", text);
        assert_eq!(p.draft.status, status, "{text}");
        assert_eq!(p.draft.date, date, "{text}");
        assert!(
            p.draft.sections.iter().all(|s| s.heading != "Estado"),
            "{text}"
        );
    }
    let p = parsed(
        "0002-t.md",
        "# T\n\n## Status\n\nErsetzt durch [ADR-0007](0007-x.md)\n\n## Kontext\n\nK.\n",
    );
    assert_eq!(p.draft.status, AdrStatus::Superseded);
    assert_eq!(p.links, [(LinkKind::SupersededBy, LinkTarget::Number(7))]);
    // A custom status reads back as itself.
    let (_, back) = round_trip(AdrDraft {
        title: "T".into(),
        status: AdrStatus::Custom("In Arbeit".into()),
        ..Default::default()
    });
    assert_eq!(back.status, AdrStatus::Custom("In Arbeit".into()));
}

#[test]
fn a_status_explained_in_parentheses_stays_as_text() {
    // `**Status:** Accepted (amends ...` over two lines: the status word,
    // and the paragraph kept whole (not cut after its first line).
    for (line, next) in [
        (
            "**Status:** Accepted (amends [ADR-0002](0002-x.md)'s",
            "choice)",
        ),
        ("- Status: Rejected (too slow)", ""),
    ] {
        let text = format!("# 31. T\n\n{line}\n{next}\n\n## Context\n\nC.\n");
        let p = parsed("0031-t.md", &text);
        let status = p.draft.status.clone();
        assert!(
            matches!(status, AdrStatus::Accepted | AdrStatus::Rejected),
            "{line}: {status:?}"
        );
        assert!(p.draft.context.starts_with(line), "{:?}", p.draft.context);
        assert!(p.draft.context.contains(next), "{:?}", p.draft.context);
    }
    // `Accepted, 5 Jan 2023` is still the status and its date.
    let p = parsed("0001-t.md", "# T\n\n* Status: Accepted, 5 Jan 2023\n");
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2023, 1, 5));
}

#[test]
fn a_date_line_in_the_status_section_is_the_date() {
    let text = "# ADR 0025: T\n\n## Status\n\nAccepted\n\nDate: 2026-09-15\n\nSome note.\n\n## Context\n\nC.\n";
    let p = parsed("0025-t.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 9, 15));
    let status = p.draft.sections.iter().find(|s| s.heading == "Status");
    assert_eq!(status.map(|s| s.body.as_str()), Some("Some note."));
}

#[test]
fn link_lines_naming_several_records_or_followed_by_a_sentence_are_links() {
    // A metadata item over two lines naming two records: both links, the
    // item consumed.
    let text = "# 18. T\n\n- Status: accepted\n- Amends [ADR 14](0014-a.md) and\n  [ADR 17](0017-b.md)\n\n## Context\n\nC.\n";
    let p = parsed("0018-t.md", text);
    assert_eq!(
        p.links,
        [
            (LinkKind::Amends, LinkTarget::Number(14)),
            (LinkKind::Amends, LinkTarget::Number(17))
        ]
    );
    assert_eq!(p.draft.context, "C.");
    // In a status section, a link followed by an explanation: the link,
    // and the line kept as written.
    let text = "# ADR 0025: T\n\n## Status\n\nAccepted\n\nAmends [ADR 0022](0022-x.md). Not a supersession:\nthe rest stands.\n\nSupersedes ADR 3, ADR 4\n\n## Context\n\nC.\n";
    let p = parsed("0025-t.md", text);
    assert_eq!(
        p.links,
        [
            (LinkKind::Amends, LinkTarget::Number(22)),
            (LinkKind::Supersedes, LinkTarget::Number(3)),
            (LinkKind::Supersedes, LinkTarget::Number(4))
        ]
    );
    let status = p.draft.sections.iter().find(|s| s.heading == "Status");
    assert_eq!(
        status.map(|s| s.body.as_str()),
        Some("Amends [ADR 0022](0022-x.md). Not a supersession:\nthe rest stands.")
    );
    // A web page is no record: the line stays text.
    let text =
        "# 2. T\n\n* Related to [the RFC](https://example.com/rfc) and more\n\n## Context\n\nC.\n";
    let p = parsed("0002-t.md", text);
    assert!(p.links.is_empty(), "{:?}", p.links);
    assert!(p.draft.context.starts_with("* Related to [the RFC]"));
}

#[test]
fn a_status_repeated_in_brackets_before_the_title_is_not_title() {
    let text = "# [Superseded by [ADR-0019](0019-y.md)] Push metrics\n\n* Status: superseded by [ADR-0019](0019-y.md)\n* Date: 2020-11-19\n\n## Context and Problem Statement\n\nC.\n";
    let p = parsed("0005-push-metrics.md", text);
    assert_eq!(p.draft.title, "Push metrics");
    assert_eq!(p.draft.status, AdrStatus::Superseded);
    assert_eq!(p.links, [(LinkKind::SupersededBy, LinkTarget::Number(19))]);
    // A bracket that disagrees with the status, or a linked title, stays.
    for (title, status) in [
        ("[Deprecated] Push metrics", "accepted"),
        (
            "[Superseded by ADR-0020] Push metrics",
            "superseded by ADR-0019",
        ),
        ("[Accepted](https://example.com) Push metrics", "accepted"),
    ] {
        let text = format!("# {title}\n\n* Status: {status}\n\n## Context\n\nC.\n");
        let p = parsed("0005-push-metrics.md", &text);
        assert_eq!(p.draft.title, title);
    }
    let p = parsed(
        "0006-x.md",
        "# [Deprecated] Use X\n\n* Status: deprecated\n\n## Context\n\nC.\n",
    );
    assert_eq!(p.draft.title, "Use X");
}

#[test]
fn a_numbered_record_without_a_title_heading_takes_its_title_from_the_file_name() {
    // The status in a code block, emoji before the section names, no
    // `# Title`: the file name's words are the title.
    let text = "```text\nCurrent Status: Proposal - By: Ann - Since: 2023-04-07\n```\n\n## 📋 Context and Problem Statement\n> **Which casing?**\n\nKebab.\n\n## 💡 Considered options\n* _Option 1_\n* ✅ default\n";
    let p = parsed("0009-use-kebab-casing-in-urls.md", text);
    assert_eq!(p.number, Some(9));
    assert_eq!(p.draft.title, "Use kebab casing in urls");
    assert!(p.draft.context.starts_with("```text\nCurrent Status"));
    assert!(p.draft.context.ends_with("Kebab."), "{}", p.draft.context);
    // `## 💡 Considered options` is the options section.
    assert_eq!(p.draft.considered_options[0].title, "_Option 1_");
    let (_, back) = round_trip(p.draft.clone());
    assert_eq!(back.title, p.draft.title);
    // Without record sections, or without a number, it is still no ADR.
    assert!(parse_file("0009-notes.md", "## Notes\n\nN.\n").is_err());
    assert!(parse_file("notes.md", "## Context\n\nN.\n").is_err());
}

#[test]
fn a_readme_in_another_language_is_skipped() {
    for name in ["README-fr.md", "readme.de.md", "README_pt-BR.md"] {
        match parse_file(name, "# Journal des décisions\n\nTout est ici.\n") {
            Ok(Classified::Skipped { reason }) => assert!(reason.contains("README"), "{reason}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    assert!(matches!(
        parse_file("0003-readme-first.md", "# 3. Readme first\n"),
        Ok(Classified::Adr(_))
    ));
}

#[test]
fn a_link_sentence_after_the_status_word_is_a_link() {
    // DEFRA: `Proposed. Amends [ADR-0044](...):` and the explanation.
    let text = "# 50. T\n\nDate: 2026-09-04\n\n## Status\n\nProposed. Amends [ADR-0044](./0044-x.md):\nthe dates stand. Supersedes nothing.\n\n## Context\n\nC.\n";
    let p = parsed("0050-t.md", text);
    assert_eq!(p.draft.status, AdrStatus::Proposed);
    assert_eq!(p.links, [(LinkKind::Amends, LinkTarget::Number(44))]);
    let status = p.draft.sections.iter().find(|s| s.heading == "Status");
    assert_eq!(
        status.map(|s| s.body.as_str()),
        Some("Proposed. Amends [ADR-0044](./0044-x.md):\nthe dates stand. Supersedes nothing.")
    );
}

#[test]
fn a_german_metadata_line_between_middle_dots_is_read() {
    let text = "# ADR-0018: T\n\nDatum: 2026-08-18 · Status: akzeptiert · Ergänzt ADR-0017\n\n## Kontext\n\nK.\n";
    let p = parsed("ADR-0018-t.md", text);
    assert_eq!(p.number, Some(18));
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 8, 18));
    assert_eq!(p.links, [(LinkKind::Amends, LinkTarget::Number(17))]);
    assert!(p.draft.context.is_empty(), "{}", p.draft.context);
    // A part that is no metadata keeps the whole line as text.
    for line in [
        "Datum: 2026-08-18 · Status: akzeptiert · Autor: Ann",
        "Datum: 2026-08-18 · Status: akzeptiert (präzisiert ADR-0002)",
    ] {
        let p = parsed(
            "ADR-0018-t.md",
            &format!("# ADR-0018: T\n\n{line}\n\n## Kontext\n\nK.\n"),
        );
        assert_eq!(p.draft.context, line);
        assert!(p.links.is_empty());
    }
    // German link verbs in a status section.
    let p = parsed(
        "0003-t.md",
        "# 3. T\n\n## Status\n\nAkzeptiert\n\nErsetzt ADR-0001\n\n## Kontext\n\nK.\n",
    );
    assert_eq!(p.links, [(LinkKind::Supersedes, LinkTarget::Number(1))]);
}

#[test]
fn dates_with_german_french_spanish_and_portuguese_month_names_are_read() {
    for (line, date) in [
        ("**Datum:** 28. Juli 2026  ", (2026, 7, 28)),
        ("Date : 10 mars 2026", (2026, 3, 10)),
        ("- Fecha: 4 de marzo de 2025", (2025, 3, 4)),
        ("- Data: 1 de dezembro de 2024", (2024, 12, 1)),
    ] {
        let text = format!("# ADR-012: T\n\n{line}\n**Status: Akzeptiert**\n\n## Kontext\n\nK.\n");
        let p = parsed("ADR-012-t.md", &text);
        assert_eq!(
            p.draft.date,
            NaiveDate::from_ymd_opt(date.0, date.1, date.2),
            "{line}"
        );
        assert_eq!(p.draft.status, AdrStatus::Accepted, "{line}");
        assert!(p.draft.context.is_empty(), "{line}: {}", p.draft.context);
    }
    // Not a date: a month name that is no month, a day out of range.
    for line in ["Datum: 28. Foo 2026", "Datum: 31. Februar 2026"] {
        let p = parsed("ADR-012-t.md", &format!("# ADR-012: T\n\n{line}\n"));
        assert_eq!(p.draft.date, None, "{line}");
    }
}

#[test]
fn a_decision_status_section_is_the_status() {
    let text = "# Data types use calendar versioning\n\n## Summary\n\nS.\n\n## Decision Status\n\naccepted\n\nData types are versioned.\n\n## Notes\n\nN.\n";
    let p = parsed("0002-data-versioning.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    let status = p
        .draft
        .sections
        .iter()
        .find(|s| s.heading == "Decision Status");
    assert_eq!(
        status.map(|s| s.body.as_str()),
        Some("Data types are versioned.")
    );
    let headings: Vec<&str> = p
        .draft
        .sections
        .iter()
        .map(|s| s.heading.as_str())
        .collect();
    assert_eq!(headings, ["Summary", "Decision Status", "Notes"]);
    let (_, back) = round_trip(p.draft.clone());
    assert_eq!(back.sections, p.draft.sections);
}

#[test]
fn a_template_comment_before_the_next_heading_does_not_hide_consequences() {
    // MADR's `<!-- This is an optional element... -->` written just before
    // the heading it annotates ends the previous list's text.
    let text = "---\nstatus: proposed\n---\n# 1. T\n\n## Decision Outcome\n\nChosen option: \"A\", because\n\n* cost\n\n### Positive Consequences\n\n* good one\n\n<!-- optional -->\n### Negative Consequences\n\n* bad one\n\n<!-- optional -->\n## Validation\n\nV.\n";
    let p = parsed("0001-t.md", text);
    assert_eq!(p.draft.consequences.good, ["good one"]);
    assert_eq!(p.draft.consequences.bad, ["bad one"]);
    // The comments stay, in the outcome's text.
    assert_eq!(
        p.draft.decision_outcome,
        "Chosen option: \"A\", because\n\n* cost\n\n<!-- optional -->\n<!-- optional -->"
    );
    // A comment right under a list item is the list's own: no mapping.
    let text = "---\nstatus: proposed\n---\n# T\n\n## Decision Outcome\n\nA.\n\n### Positive Consequences\n\n* good one\n<!-- note -->\n";
    let p = parsed("0001-t.md", text);
    assert!(p.draft.consequences.good.is_empty());
    assert!(p.draft.decision_outcome.contains("<!-- note -->"));
}

#[test]
fn a_site_generators_date_and_time_is_the_date_and_written_back_as_it_was() {
    // Hugo ADR sites (ownCloud's) date a page with its time and offset.
    let text = "---\ntitle: \"Use a service mesh\"\ndate: 2020-06-15T20:21:00+01:00\nweight: 3\n---\n\n# 3. Use a service mesh\n\n* Status: accepted\n* Date: 2022-02-04\n\n## Context and Problem Statement\n\nServices talk in plain text.\n";
    let p = parsed("0003-use-a-service-mesh.md", text);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2020, 6, 15));
    let adr = record(3, p.draft.clone());
    let first = render_madr4(&adr);
    assert!(
        first.contains("\ndate: 2020-06-15T20:21:00+01:00\n"),
        "{first}"
    );
    assert_eq!(first.matches("\ndate:").count(), 1, "{first}");
    let again = record(3, parsed("0003-use-a-service-mesh.md", &first).draft);
    assert_eq!(render_madr4(&again), first, "byte-identical");
    // A new date in the app is written as a date; a cleared one is gone.
    let mut moved = p.draft.clone();
    moved.date = NaiveDate::from_ymd_opt(2021, 1, 2);
    let out = render_madr4(&record(3, moved));
    assert!(
        out.contains("\ndate: 2021-01-02\n") && !out.contains("T20:21"),
        "{out}"
    );
    let mut cleared = p.draft.clone();
    cleared.date = None;
    let out = render_madr4(&record(3, cleared));
    assert!(!out.contains("date: 2020"), "{out}");
    // Only a date with a time reads this way.
    for not_a_date in ["2020-06-15T25:00:00", "2020-06-15Tnoon", "2020-13-15T10:00"] {
        let t = text.replace("2020-06-15T20:21:00+01:00", not_a_date);
        assert_eq!(parsed("0003-x.md", &t).draft.date, None, "{not_a_date}");
    }
}

#[test]
fn a_metadata_header_row_with_a_column_of_its_own_is_still_read() {
    // Dependency-Track's hyades: Status, Date and Author(s) over one row,
    // no `# Title` (the file name gives it).
    let text = "| Status   | Date       | Author(s)                     |\n|:---------|:-----------|:------------------------------|\n| Proposed | 2025-01-07 | [@ann](https://example.org/a) |\n\n## Context\n\nQueues are slow.\n\n## Decision\n\nUse Postgres.\n";
    let p = parsed("001-drop-the-broker.md", text);
    assert_eq!(p.number, Some(1));
    assert_eq!(p.draft.status, AdrStatus::Proposed);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2025, 1, 7));
    // The column without a field is kept, as a row of its own.
    assert_eq!(
        p.draft.context,
        "| Author(s) | [@ann](https://example.org/a) |\n|---|---|\n\nQueues are slow."
    );
    let adr = record(1, p.draft.clone());
    let first = render_madr4(&adr);
    let again = record(1, parsed("0001-x.md", &first).draft);
    assert_eq!(render_madr4(&again), first, "byte-identical");
    let accepted = text.replace("| Proposed |", "| Accepted |");
    assert_eq!(
        parsed("001-drop-the-broker.md", &accepted).draft.status,
        AdrStatus::Accepted
    );
    // One known column is not enough: a table that has a Status column.
    let legend = "| Status | Meaning | Colour |\n|---|---|---|\n| accepted | in force | green |";
    let d = parsed("0007-legend.md", &format!("# 7. Legend\n\n{legend}\n"));
    assert_eq!(d.draft.context, legend);
}

#[test]
fn a_numbered_index_or_readme_is_skipped() {
    // Dependency-Track's hyades numbers its index to sort first.
    let text =
        "Here is where we keep our records.\n\n## Template\n\n```markdown\n## Context\n```\n";
    for name in [
        "000-index.md",
        "0000-INDEX.md",
        "00-readme.md",
        "adr-000-index.md",
    ] {
        match parse_file(name, text) {
            Ok(Classified::Skipped { reason }) => assert!(reason.contains(name), "{reason}"),
            other => panic!("{name}: {other:?}"),
        }
    }
    // A record whose words only start with them is a record.
    let p = parsed(
        "0004-index-the-search.md",
        "# Index the search\n\n## Status\n\nAccepted\n",
    );
    assert_eq!(p.number, Some(4));
}

#[test]
fn a_title_starting_with_the_files_own_number_is_numbered() {
    // `# 0001 Title` (a Chinese team's records), no dot after the number.
    let p = parsed(
        "0001-editor-and-collab.md",
        "# 0001 编辑器与协作技术选型\n\n## 背景\n需要支持块级富文本。\n",
    );
    assert_eq!(p.number, Some(1));
    assert_eq!(p.draft.title, "编辑器与协作技术选型");
    // Just the Docs sites: a category before the number in the file name,
    // `title: 0004 - X` in front matter (daniel-frak's backity).
    let text = "---\ntitle: 0004 - Adopt builders for test data\nparent: Architecture Decision Records (backend)\n---\n\n## Status\n\nAccepted\n{: .label .label-green}\n\n## Context\n\nTests repeat themselves.\n";
    let p = parsed("backend-0004-adopt-builders.md", text);
    assert_eq!(p.number, Some(4));
    assert_eq!(p.draft.title, "Adopt builders for test data");
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    let first = render_madr4(&record(4, p.draft.clone()));
    let again = record(4, parsed(&file_name(&record(4, p.draft)), &first).draft);
    assert_eq!(render_madr4(&again), first, "byte-identical");
    // A number the file name does not carry stays in the title.
    for (name, title) in [
        ("0003-three-tiers.md", "3 tiers for the web"),
        ("0003-three-tiers.md", "2024 roadmap"),
        ("three-tiers.md", "0003 Three tiers"),
        ("0003-3-tiers.md", "3 tiers"),
    ] {
        let p = parsed(name, &format!("# {title}\n\n## Status\n\nAccepted\n"));
        assert_eq!(p.draft.title, title, "{name}");
    }
}

#[test]
fn a_status_list_item_saying_who_accepted_is_the_status() {
    // DigitalService's elterngeldrechner: `- Accepted by: Dennis & Jakob`
    // under `## Status`; the line stays as text.
    let text = "# 10. Abfrageteil\n\nDate: 2026-05-11\n\n## Status\n\n- Accepted by: Dennis & Jakob\n\n## Context\n\nC.\n";
    let p = parsed("0010-abfrageteil.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.sections[0].heading, "Status");
    assert_eq!(p.draft.sections[0].body, "- Accepted by: Dennis & Jakob");
    let first = render_madr4(&record(10, p.draft.clone()));
    let again = record(10, parsed("0010-abfrageteil.md", &first).draft);
    assert_eq!(render_madr4(&again), first, "byte-identical");
    // On a metadata line too; a custom status keeps its words, not the
    // list marker.
    let p = parsed("0011-t.md", "# T\n\n* Status: Rejected by the board\n");
    assert_eq!(p.draft.status, AdrStatus::Rejected);
    assert_eq!(p.draft.context, "* Status: Rejected by the board");
    let p = parsed("0012-t.md", "# T\n\n## Status\n\n- In review\n");
    assert_eq!(p.draft.status, AdrStatus::Custom("In review".into()));
}

#[test]
fn an_emphasised_status_word_followed_by_an_explanation_is_the_status() {
    // krtw00's agentmine: `**Accepted** - 2025-01 (Updated: ...)`.
    let text = "# ADR-002: Database strategy\n\n## Status\n\n**Accepted** - 2025-01 (Updated: PostgreSQL)\n\n## Context\n\nC.\n";
    let p = parsed("002-sqlite-default.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(
        p.draft.sections[0].body,
        "**Accepted** - 2025-01 (Updated: PostgreSQL)"
    );
    let first = render_madr4(&record(2, p.draft.clone()));
    let again = record(2, parsed("0002-database-strategy.md", &first).draft);
    assert_eq!(render_madr4(&again), first, "byte-identical");
    let p = parsed("0003-t.md", "# T\n\n- **Status:** _Rejected_ (too slow)\n");
    assert_eq!(p.draft.status, AdrStatus::Rejected);
    assert_eq!(p.draft.context, "- **Status:** _Rejected_ (too slow)");
}

#[test]
fn statuses_and_dates_in_japanese_chinese_korean_and_russian_are_read() {
    // wer-inc's gogooku3: Japanese keys over English values.
    let p = parsed(
        "ADR-0001-modern-package.md",
        "# ADR-0001: モダンPythonパッケージ移行\n\n日付: 2025-08-28\nステータス: Accepted\n\n## 背景 / Context\n- 旧構成\n",
    );
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2025, 8, 28));
    assert_eq!(p.draft.context, "");
    // krtw00's agentmine: `## ステータス` over an English word and a month.
    let p = parsed(
        "003-drizzle-orm.md",
        "# ADR-003: Drizzle ORM\n\n## ステータス\n\n**Accepted** - 2025-01\n\n## 決定\n\nDrizzle.\n",
    );
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.sections[0].heading, "ステータス");
    assert_eq!(p.draft.sections[0].body, "**Accepted** - 2025-01");
    // Status words in those languages, and a full-width colon.
    for (text, status) in [
        ("状态：已接受", AdrStatus::Accepted),
        ("ステータス: 採用 (Accepted)", AdrStatus::Accepted),
        ("상태: 제안됨", AdrStatus::Proposed),
        ("Статус: Отклонено", AdrStatus::Rejected),
        ("ステータス: 検討中", AdrStatus::Custom("検討中".into())),
    ] {
        let p = parsed("0002-t.md", &format!("# T\n\n{text}\n"));
        assert_eq!(p.draft.status, status, "{text}");
    }
    let p = parsed("0002-t.md", "# T\n\n## 日期\n\n2024-03-01\n");
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2024, 3, 1));
    let first = render_madr4(&record(2, p.draft.clone()));
    let again = record(2, parsed("0002-t.md", &first).draft);
    assert_eq!(render_madr4(&again), first, "byte-identical");
}

#[test]
fn a_titled_record_never_filled_in_is_a_record() {
    // Cosmos SDK's ADR 024: a title and a status, the sections still the
    // template's `{...}` text.
    let text = "# ADR 024: Coin Metadata\n\n## Changelog\n\n- 05/19/2020: Initial draft\n\n## Status\n\nProposed\n\n## Context\n\n> {context body}\n\n## Decision\n\n> {decision body}\n\n## Consequences\n\n### Positive\n\n{positive consequences}\n\n### Negative\n\n{negative consequences}\n\n## References\n\n- {reference link}\n";
    let p = parsed("adr-024-coin-metadata.md", text);
    assert_eq!(p.number, Some(24));
    assert_eq!(p.draft.title, "Coin Metadata");
    assert_eq!(p.draft.status, AdrStatus::Proposed);
    assert_eq!(p.draft.context, "> {context body}");
    // The template itself, titled with placeholders, is still skipped.
    let template = text.replace("ADR 024: Coin Metadata", "ADR {ADR-NUMBER}: {TITLE}");
    assert!(matches!(
        parse_file("adr-099-x.md", &template),
        Ok(Classified::Skipped { .. })
    ));
}

#[test]
fn a_placeholder_number_after_the_adr_label_is_no_part_of_the_title() {
    // Zooniverse's front-end-monorepo: `adr-xx.md`, `# ADR XX: Title`.
    let text = "# ADR XX: Drawing Shape Mark Annotation Models\n\nCreated: December 18, 2019\n\n## Context\n\nC.\n\n## Status\n\nProposed\n";
    let p = parsed("adr-xx.md", text);
    assert_eq!(p.number, None);
    assert_eq!(p.draft.title, "Drawing Shape Mark Annotation Models");
    let p = parsed("ADR-XXX-drawing.md", &text.replace("ADR XX:", "ADR-XXX."));
    assert_eq!(p.draft.title, "Drawing Shape Mark Annotation Models");
    // Only where the file name has a placeholder too.
    let p = parsed("adr-0004-xenon.md", "# ADR XX: Xenon lamps\n\nB.\n");
    assert_eq!(p.draft.title, "ADR XX: Xenon lamps");
    let p = parsed("adr-xx.md", "# ADR Xenon: lamps\n\nB.\n");
    assert_eq!(p.draft.title, "ADR Xenon: lamps");
}

#[test]
fn metadata_lines_under_the_title_fill_what_the_front_matter_lacks() {
    // mcj-coder's development-skills: front matter for agents with the
    // status, then MADR 2 lines under the title.
    let text = "---\nname: use-adrs\ndecision: Use MADR format ADRs.\nstatus: accepted\n---\n\n# 0. Use Architecture Decision Records\n\nDate: 2026-01-05\nDeciders: development-skills maintainers\nTags: process, documentation\n\n## Context and Problem Statement\n\nWe need records.\n";
    let p = parsed("0000-use-adrs.md", text);
    assert_eq!(p.number, Some(0));
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 1, 5));
    assert_eq!(p.draft.decision_makers, ["development-skills maintainers"]);
    assert_eq!(p.draft.tags, ["process", "documentation"]);
    assert_eq!(p.draft.context, "We need records.");
    let first = render_madr4(&record(0, p.draft.clone()));
    let again = record(0, parsed("0000-use-adrs.md", &first).draft);
    assert_eq!(render_madr4(&again), first, "byte-identical");
    // A line for a key the front matter has stays text.
    let p = parsed(
        "0001-t.md",
        "---\nstatus: accepted\ndate: 2026-01-01\n---\n\n# T\n\nStatus: rejected\nDate: 2026-02-02\n",
    );
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 1, 1));
    assert_eq!(p.draft.context, "Status: rejected\nDate: 2026-02-02");
}

#[test]
fn link_keys_in_front_matter_are_links() {
    // `supersedes: [ADR-0006]` beside the status and date.
    let text = "---\nid: ADR-0007\ntitle: Add guardrails\nstatus: accepted\ndate: 2026-06-16\nsupersedes: [ADR-0006]\nsuperseded-by: null\namended_by: ADR-0009\nrelated:\n  - 0003-use-jsonl.md\n  - ADR 4\ntags: [context]\n---\n\n# ADR-0007: Add guardrails\n\n## Context\n\nC.\n";
    let p = parsed("0007-add-guardrails.md", text);
    assert_eq!(
        p.links,
        [
            (LinkKind::Supersedes, LinkTarget::Number(6)),
            (LinkKind::AmendedBy, LinkTarget::Number(9)),
            (LinkKind::RelatesTo, LinkTarget::Number(3)),
            (LinkKind::RelatesTo, LinkTarget::Number(4)),
        ]
    );
    // Keys of no link stay as written; so does a list naming no record.
    let keys: Vec<&str> = p
        .draft
        .extra_front_matter
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(keys, ["id", "title", "superseded-by"]);
    let other = text.replace("supersedes: [ADR-0006]", "supersedes: [the old cache]");
    let p = parsed("0007-add-guardrails.md", &other);
    assert!(p
        .draft
        .extra_front_matter
        .iter()
        .any(|(k, v)| k == "supersedes" && v.contains("the old cache")));
}

#[test]
fn a_title_numbered_with_a_colon_is_numbered_when_the_file_says_so() {
    // Cloud Foundry's cloud_controller_ng: setext and ATX titles `N: X`.
    let text = "2: Using Machinist for Factories\n================================\n\nDate: 2019-03-22\n\nStatus\n------\n\nSuperseded by [ADR 0015](0015-using-factory-bot.md)\n\nContext\n-------\n\nC.\n";
    let p = parsed("0002-using-machinist-for-factories.md", text);
    assert_eq!(p.number, Some(2));
    assert_eq!(p.draft.title, "Using Machinist for Factories");
    assert_eq!(p.draft.status, AdrStatus::Superseded);
    let p = parsed(
        "0015-using-factory-bot.md",
        "# 15: Using FactoryBot for Factories\n\n## Status\n\nAccepted\n",
    );
    assert_eq!(p.draft.title, "Using FactoryBot for Factories");
    // Another number before a colon is part of the title.
    let p = parsed(
        "0005-roadmap.md",
        "# 2024: The roadmap\n\n## Status\n\nAccepted\n",
    );
    assert_eq!(p.draft.title, "2024: The roadmap");
    let p = parsed(
        "roadmap.md",
        "# 2024: The roadmap\n\n## Status\n\nAccepted\n",
    );
    assert_eq!(p.draft.title, "2024: The roadmap");
}

#[test]
fn metadata_on_one_line_between_pipes_is_read() {
    // A Brazilian team's Docusaurus records: `**Status:** Aceito | **Data:**
    // 2026-06-01` under the title.
    let text = "---\nsidebar_position: 3\ntitle: \"ADR-002: PostgreSQL + PostGIS\"\n---\n\n# ADR-002: PostgreSQL + PostGIS como Banco Principal\n\n**Status:** Aceito | **Data:** 2026-06-01\n\n## Contexto\n\nO CAR.\n";
    let p = parsed("adr-002-postgresql-postgis.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 6, 1));
    assert_eq!(p.draft.context, "");
    let first = render_madr4(&record(2, p.draft.clone()));
    let again = record(2, parsed("0002-x.md", &first).draft);
    assert_eq!(render_madr4(&again), first, "byte-identical");
    // All or nothing: a list of choices stays as written.
    let line = "Status: Proposed | Accepted | Rejected";
    let p = parsed("0003-t.md", &format!("# T\n\n{line}\n\n## Context\n\nC.\n"));
    assert!(p.draft.context.starts_with(line), "{:?}", p.draft.context);
}

#[test]
fn a_metadata_section_with_a_field_value_table_gives_its_fields() {
    // A French team's Docusaurus records (STOA): `## Métadonnées` over a
    // Champ/Valeur table with French keys.
    let text = "---\nsidebar_position: 3\ntitle: \"ADR-003 : Architecture Monorepo\"\n---\n\n# ADR-003 : Architecture Monorepo\n\n## Métadonnées\n\n| Champ | Valeur |\n|-------|--------|\n| **Statut** | Accepté |\n| **Date** | 2026-02-06 |\n| **Linear** | N/A (Fondamental) |\n\n## Contexte\n\nLa plateforme.\n";
    let p = parsed("adr-003-architecture-monorepo.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 2, 6));
    assert_eq!(p.draft.sections[0].heading, "Métadonnées");
    assert_eq!(
        p.draft.sections[0].body,
        "| Champ | Valeur |\n|---|---|\n| **Linear** | N/A (Fondamental) |"
    );
    let first = render_madr4(&record(3, p.draft.clone()));
    let again = record(3, parsed("0003-x.md", &first).draft);
    assert_eq!(render_madr4(&again), first, "byte-identical");
    // A metadata section of other text is a section as written.
    let p = parsed(
        "0004-t.md",
        "# T\n\n## Metadata\n\nOwned by the platform team.\n\n## Status\n\nAccepted\n",
    );
    assert_eq!(p.draft.sections[0].body, "Owned by the platform team.");
}

#[test]
fn sections_named_like_metadata_in_other_languages_export_as_sections() {
    // `## Datum` over a date, `## Metadata` over a table: a record whose
    // own sections they are (no date of its own) reads back the same.
    let adr = record(
        5,
        AdrDraft {
            title: "T".into(),
            sections: vec![
                Section {
                    heading: "Datum".into(),
                    level: 2,
                    body: "2024-03-01".into(),
                },
                Section {
                    heading: "Metadata".into(),
                    level: 2,
                    body: "| Status | Rejected |\n|---|---|\n| Date | 2024-03-02 |".into(),
                },
                // Import reads `状态 (Status)` as `Status`.
                Section {
                    heading: "状态 (Status)".into(),
                    level: 2,
                    body: "Rejected".into(),
                },
                Section {
                    heading: "Bối cảnh (Context)".into(),
                    level: 2,
                    body: "Vì sao.".into(),
                },
            ],
            ..Default::default()
        },
    );
    let first = render_madr4(&adr);
    let back = parsed("0005-t.md", &first).draft;
    assert_eq!(back.date, None, "{first}");
    assert_eq!(back.status, AdrStatus::Proposed, "{first}");
    assert_eq!(back.context, "", "{first}");
    assert_eq!(back.sections, adr.draft().sections, "{first}");
    assert_eq!(render_madr4(&record(5, back)), first, "byte-identical");
}

#[test]
fn emphasised_link_keys_and_related_are_links() {
    // `- **Related:** [ADR-0011](...)` (a Helm chart's records) and
    // `**Supersedes:** [ADR-0002](...)` under the title.
    let text = "# ADR-0018: Version floor\n\n- **Status:** Accepted\n- **Date:** 2026-09-27\n- **Related:** [ADR-0011](0011-strict-schema.md)\n**Supersedes**: ADR-0002\n\n## Context\n\nC.\n\n## Links\n\n* __Amended by:__ [ADR-0044](0044-guards.md)\n";
    let p = parsed("0018-version-floor.md", text);
    assert_eq!(
        p.links,
        [
            (LinkKind::RelatesTo, LinkTarget::Number(11)),
            (LinkKind::Supersedes, LinkTarget::Number(2)),
            (LinkKind::AmendedBy, LinkTarget::Number(44)),
        ]
    );
    assert_eq!(p.draft.context, "C.");
    // `Related` starting a sentence is no link.
    let p = parsed(
        "0019-t.md",
        "# T\n\nRelated work: none.\n\n## Links\n\n* Related ADR 4 was withdrawn\n",
    );
    assert!(p.links.is_empty(), "{:?}", p.links);
}

#[test]
fn links_named_after_the_status_word_are_links() {
    // `Status: Accepted, amended by [ADR-0012](...)` and `- **Status:**
    // Accepted — amended by [ADR-0044](...) (0.6.0)`: the status, the
    // link, and the line kept as written.
    for (line, n) in [
        (
            "Status: Accepted, amended by [ADR-0012](0012-review.md)",
            12,
        ),
        (
            "- **Status:** Accepted — amended by [ADR-0044](0044-guards.md) (0.6.0)",
            44,
        ),
    ] {
        let p = parsed("0007-t.md", &format!("# T\n\n{line}\n\n## Context\n\nC.\n"));
        assert_eq!(p.draft.status, AdrStatus::Accepted, "{line}");
        assert_eq!(p.links, [(LinkKind::AmendedBy, LinkTarget::Number(n))]);
        assert!(p.draft.context.starts_with(line), "{:?}", p.draft.context);
        let first = render_madr4(&record(7, p.draft.clone()));
        let again = record(7, parsed("0007-t.md", &first).draft);
        assert_eq!(render_madr4(&again), first, "byte-identical");
    }
    // `Accepted, pending review` is still a custom status.
    let p = parsed("0008-t.md", "# T\n\nStatus: Accepted, pending review\n");
    assert_eq!(
        p.draft.status,
        AdrStatus::Custom("Accepted, pending review".into())
    );
}

#[test]
fn a_status_with_its_date_and_more_is_read() {
    // `Superseded on 2026-03-31 by [0009](0009-x.md).`: the status, the
    // superseding record and the date; nothing more, so the line is read.
    let p = parsed(
        "0008-t.md",
        "# T\n\n## Status\n\nSuperseded on 2026-03-31 by [0009](0009-anchor.md).\n\n## Context\n\nC.\n",
    );
    assert_eq!(p.draft.status, AdrStatus::Superseded);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 3, 31));
    assert_eq!(p.links, [(LinkKind::SupersededBy, LinkTarget::Number(9))]);
    assert!(p.draft.sections.is_empty(), "{:?}", p.draft.sections);
    // Text after the date (or a superseding decision that is no record)
    // stays as written, with the status and the date read from it.
    for (line, status, date, links) in [
        (
            "Accepted on 2026-09-10. Extends the metrics role to Grafana access.",
            AdrStatus::Accepted,
            (2026, 9, 10),
            vec![],
        ),
        (
            "Superseded on 2026-08-20 by direct archive behavior.",
            AdrStatus::Superseded,
            (2026, 8, 20),
            vec![],
        ),
        (
            "Superseded on 2026-07-18 by [Decision 3](0003-split.md). The rest stays useful.",
            AdrStatus::Superseded,
            (2026, 7, 18),
            vec![(LinkKind::SupersededBy, LinkTarget::Number(3))],
        ),
        (
            "Accepted on July 16, 2026.\n\nImplementation is prepared in source.",
            AdrStatus::Accepted,
            (2026, 7, 16),
            vec![],
        ),
    ] {
        let text = format!("# T\n\n## Status\n\n{line}\n\n## Context\n\nC.\n");
        let p = parsed("0007-t.md", &text);
        assert_eq!(p.draft.status, status, "{line}");
        assert_eq!(
            p.draft.date,
            NaiveDate::from_ymd_opt(date.0, date.1, date.2)
        );
        assert_eq!(p.links, links, "{line}");
        let kept = &p.draft.sections[0].body;
        assert!(
            kept.ends_with(line.rsplit('\n').next().unwrap_or(line)),
            "{kept:?}"
        );
        let first = render_madr4(&record(7, p.draft.clone()));
        let again = record(7, parsed("0007-t.md", &first).draft);
        assert_eq!(render_madr4(&again), first, "byte-identical");
    }
    // A dated status under a record that has another date keeps its line.
    let p = parsed(
        "0009-t.md",
        "# T\n\nDate: 2026-01-05\n\n## Status\n\nAccepted on 2026-02-01\n",
    );
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 1, 5));
    assert_eq!(p.draft.sections[0].body, "Accepted on 2026-02-01");
}

#[test]
fn statuses_in_dutch_polish_and_scandinavian_languages_are_read() {
    for (line, status) in [
        ("Status: geaccepteerd", AdrStatus::Accepted),
        ("- Status: Zaakceptowany", AdrStatus::Accepted),
        ("Status: zaakceptowane, 2026-10-03", AdrStatus::Accepted),
        ("- Status: godkjent", AdrStatus::Accepted),
        ("Status: accepterad", AdrStatus::Accepted),
        ("Status: voorgesteld", AdrStatus::Proposed),
        ("Status: odrzucona", AdrStatus::Rejected),
        ("Status: forældet", AdrStatus::Deprecated),
        ("Status: utkast", AdrStatus::Draft),
    ] {
        let p = parsed("0003-t.md", &format!("# T\n\n{line}\n\n## Context\n\nC.\n"));
        assert_eq!(p.draft.status, status, "{line}");
    }
    // `Status: geaccepteerd · 2026-07-18`, `Dato:` (Norwegian, Danish).
    let p = parsed(
        "0004-t.md",
        "# T\n\nStatus: geaccepteerd · 2026-07-18\n\n## Context\n\nC.\n",
    );
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 7, 18));
    let p = parsed(
        "0005-t.md",
        "# T\n\n- Status: godkjent\n- Dato: 2026-08-30\n\n## Kontekst\n\nC.\n",
    );
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 8, 30));
    // Superseded in those languages, with the superseding record.
    for line in [
        "Status: Vervangen door ADR-7",
        "Status: zastąpione przez ADR-7",
        "Status: erstattet av ADR-7",
        "Status: ersatt av ADR-7",
    ] {
        let p = parsed("0006-t.md", &format!("# T\n\n{line}\n"));
        assert_eq!(p.draft.status, AdrStatus::Superseded, "{line}");
        assert_eq!(p.links, [(LinkKind::SupersededBy, LinkTarget::Number(7))]);
    }
}

#[test]
fn the_file_numbers_id_before_a_title_without_a_separator_is_the_number() {
    // `# ADR-002 Regio North Europe: ...` in `0002-x.md`, `# ADR-004 ·
    // Platform ports` (a middle dot).
    let p = parsed(
        "0002-regio.md",
        "# ADR-002 Regio North Europe: X\n\nStatus: Accepted\n",
    );
    assert_eq!(p.number, Some(2));
    assert_eq!(p.draft.title, "Regio North Europe: X");
    let p = parsed(
        "0004-ports.md",
        "# ADR-004 · Platform ports\n\nStatus: Accepted\n",
    );
    assert_eq!(p.number, Some(4));
    assert_eq!(p.draft.title, "Platform ports");
    // Another record's id stays in the title.
    let p = parsed(
        "0003-regio.md",
        "# ADR-002 Regio North Europe\n\nStatus: Accepted\n",
    );
    assert_eq!(p.number, Some(3));
    assert_eq!(p.draft.title, "ADR-002 Regio North Europe");
}

#[test]
fn a_status_of_its_own_with_a_sentence_after_it_is_the_status() {
    // `Withdrawn. We decided to stick with ...` (a status no list knows,
    // then why): the word is the status, the line stays as written.
    let text = "# T\n\nDate: 2021/07/13\n\n## Status\n\nWithdrawn. We kept the old suffix, as it avoids collisions.\n\n## Context\n\nC.\n";
    let p = parsed("0002-t.md", text);
    assert_eq!(p.draft.status, AdrStatus::Custom("Withdrawn".into()));
    assert_eq!(
        p.draft.sections[0].body,
        "Withdrawn. We kept the old suffix, as it avoids collisions."
    );
    let first = render_madr4(&record(2, p.draft.clone()));
    let again = record(2, parsed("0002-t.md", &first).draft);
    assert_eq!(render_madr4(&again), first, "byte-identical");
    let p = parsed(
        "0003-t.md",
        "# T\n\nStatus: On hold. Waiting for the audit.\n",
    );
    assert_eq!(p.draft.status, AdrStatus::Custom("On hold".into()));
    // A sentence is no status: it stays whole.
    let p = parsed(
        "0004-t.md",
        "# T\n\n## Status\n\nWe never decided this one. It lapsed.\n",
    );
    assert_eq!(
        p.draft.status,
        AdrStatus::Custom("We never decided this one. It lapsed.".into())
    );
}

#[test]
fn a_status_dated_after_an_em_dash_or_behind_a_badge_gives_the_date() {
    // `Status: Accepted — 2026-08-10` (several teams' records), `✅
    // Accepted (2024-01-05)`.
    for (line, date) in [
        ("Status: Accepted — 2026-08-10", (2026, 8, 10)),
        ("Status: accepted — 2026-10-07", (2026, 10, 7)),
        ("Status: ✅ Accepted (2024-01-05)", (2024, 1, 5)),
    ] {
        let p = parsed("0001-t.md", &format!("# T\n\n{line}\n\n## Context\n\nC.\n"));
        assert_eq!(p.draft.status, AdrStatus::Accepted, "{line}");
        assert_eq!(
            p.draft.date,
            NaiveDate::from_ymd_opt(date.0, date.1, date.2),
            "{line}"
        );
        assert_eq!(p.draft.context, "C.", "{line}");
    }
    // More after the date: read, and the line kept.
    let line = "*Status: Accepted — 2026-08-08, stage 8E*";
    let p = parsed("0081-t.md", &format!("# T\n\n{line}\n\n## Context\n\nC.\n"));
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 8, 8));
    assert!(p.draft.context.starts_with(line), "{:?}", p.draft.context);
}

#[test]
fn a_status_history_gives_the_latest_status_and_its_date() {
    // Dated items under `## Status`, oldest first or newest first, with
    // entries that are no status (`Edited`), and a Date/Status table with a
    // row per change: the latest status and its date; the history stays.
    for (history, status, date) in [
        (
            "- 2024-09-26 Proposed\n- 2024-09-30 Accepted",
            AdrStatus::Accepted,
            (2024, 9, 30),
        ),
        (
            "- 2024-06-04: Drafted\n- 2024-06-24: Approved\n- 2025-04-04: Edited (Added chronological status)",
            AdrStatus::Accepted,
            (2024, 6, 24),
        ),
        (
            "* 2024-03-01 Deprecated\n* 2024-01-05 Accepted",
            AdrStatus::Deprecated,
            (2024, 3, 1),
        ),
        (
            "| Date | Status | Note |\n|---|---|---|\n| 2026-09-06 | Proposed | First draft |\n| 2026-09-06 | Accepted | |",
            AdrStatus::Accepted,
            (2026, 9, 6),
        ),
    ] {
        let text = format!("# T\n\n## Status\n\n{history}\n\n## Context\n\nC.\n");
        let p = parsed("0025-t.md", &text);
        assert_eq!(p.draft.status, status, "{history}");
        assert_eq!(
            p.draft.date,
            NaiveDate::from_ymd_opt(date.0, date.1, date.2),
            "{history}"
        );
        assert_eq!(p.draft.sections[0].body, history);
        let first = render_madr4(&record(25, p.draft.clone()));
        let again = record(25, parsed("0025-t.md", &first).draft);
        assert_eq!(render_madr4(&again), first, "byte-identical");
    }
    // Items that are not all dated are no history.
    let p = parsed(
        "0026-t.md",
        "# T\n\n## Status\n\nAccepted\n\n- 2024-01-05 reviewed by the board\n",
    );
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, None);
}

#[test]
fn accepted_then_superseded_is_superseded_not_a_list_of_choices() {
    // `* Status: accepted, superseded by [ADR-0010](...)` (MADR 2 records):
    // two statuses in a row read as the choices of a template, so the
    // record was a draft with no link.
    for (line, link) in [
        (
            "* Status: accepted, superseded by [ADR-0010](0010-contentful.md)",
            Some(10),
        ),
        ("- Status: accepted, superseded by ADR-0006", Some(6)),
        ("Status: accepted, superseded by AD-0028.", None),
    ] {
        let p = parsed("0002-t.md", &format!("# T\n\n{line}\n\n## Context\n\nC.\n"));
        assert_eq!(p.draft.status, AdrStatus::Superseded, "{line}");
        let links: Vec<_> = link
            .map(|n| (LinkKind::SupersededBy, LinkTarget::Number(n)))
            .into_iter()
            .collect();
        assert_eq!(p.links, links, "{line}");
        assert!(p.draft.context.starts_with(line), "{:?}", p.draft.context);
        let first = render_madr4(&record(2, p.draft.clone()));
        let again = record(2, parsed("0002-t.md", &first).draft);
        assert_eq!(render_madr4(&again), first, "byte-identical");
    }
    // A template's choices are still choices.
    let p = parsed(
        "0003-t.md",
        "# T\n\n* Status: proposed | accepted | superseded by ADR-0005\n",
    );
    assert_eq!(p.draft.status, AdrStatus::Draft);
}

#[test]
fn a_scoped_id_gives_the_number_and_keeps_its_scope_as_a_tag() {
    let text = "# ADR-MON-0001: Use Prometheus for metrics\n\n* Status: Accepted\n\n## Context\n\nC.\n\n## Links\n\n* Supersedes ADR-MON-0000\n* Relates to [ADR-API-012](ADR-API-012-rest-first.md)\n";
    let p = parsed("ADR-MON-0001-use-prometheus.md", text);
    assert_eq!(p.number, Some(1));
    assert_eq!(p.draft.title, "Use Prometheus for metrics");
    assert_eq!(p.draft.tags, ["MON"]);
    assert_eq!(
        p.links,
        [
            (LinkKind::Supersedes, LinkTarget::Number(0)),
            (LinkKind::RelatesTo, LinkTarget::Number(12)),
        ]
    );
    // Only in the title (an em dash after it), or only in the file name; a
    // tag the record has already is not added twice.
    let p = parsed(
        "0012-rest-first.md",
        "---\ntags: [api]\n---\n\n# ADR-API-012 — REST first\n\n## Context\n\nC.\n",
    );
    assert_eq!((p.number, p.draft.title.as_str()), (Some(12), "REST first"));
    assert_eq!(p.draft.tags, ["api"]);
    let p = parsed(
        "adr-core-7-split-the-monolith.md",
        "# Split the monolith\n\nC.\n",
    );
    assert_eq!(p.number, Some(7));
    assert_eq!(p.draft.tags, ["core"]);
    // The export names the record by its number alone and reads back the same.
    let adr = record(1, p.draft);
    let first = render_madr4(&adr);
    assert_eq!(render_madr4(&reimport(&adr, &first)), first);
    // No scope: no tag; a status word is no scope.
    let p = parsed("ADR-0003-x.md", "# ADR-0003: X\n\nC.\n");
    assert!(p.draft.tags.is_empty());
    let p = parsed("adr-draft-004-x.md", "# X\n\nC.\n");
    assert_eq!((p.number, p.draft.tags.len()), (None, 0));
}

#[test]
fn authors_owners_approvers_and_reviewers_are_people_and_their_lines_stay() {
    let text = "# 3. Use Kafka\n\n* Status: accepted\n* Authors: Ada Lovelace, Grace Hopper\n* Approvers: Grace Hopper, Alan Turing\n* Reviewers: Edsger Dijkstra\n* Proposed by: Barbara Liskov\n\n## Context\n\nC.\n";
    let p = parsed("0003-use-kafka.md", text);
    assert_eq!(
        p.draft.decision_makers,
        [
            "Ada Lovelace",
            "Grace Hopper",
            "Alan Turing",
            "Barbara Liskov"
        ]
    );
    assert_eq!(p.draft.consulted, ["Edsger Dijkstra"]);
    // The keys are not the field's: the lines stay as written.
    assert!(p
        .draft
        .context
        .starts_with("* Authors: Ada Lovelace, Grace Hopper\n* Approvers:"));
    assert!(p.draft.context.contains("* Proposed by: Barbara Liskov"));
    // A metadata table, and an `Owner` row.
    let text = "# Use Kafka\n\n| Field | Value |\n|---|---|\n| Status | Accepted |\n| Owner | Platform team |\n| Date | 2024-03-01 |\n\n## Context\n\nC.\n";
    let p = parsed("0003-use-kafka.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.decision_makers, ["Platform team"]);
    assert!(p.draft.context.contains("| Owner | Platform team |"));
    // Front matter: the key kept, the people read, unless the front matter
    // names the decision-makers itself.
    let text = "---\nstatus: accepted\nauthors:\n  - Ada\n  - Grace\nreviewers: [Alan]\n---\n\n# Use Kafka\n\n## Context\n\nC.\n";
    let p = parsed("0003-use-kafka.md", text);
    assert_eq!(p.draft.decision_makers, ["Ada", "Grace"]);
    assert_eq!(p.draft.consulted, ["Alan"]);
    let keys: Vec<&str> = p
        .draft
        .extra_front_matter
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(keys, ["authors", "reviewers"]);
    let adr = record(3, p.draft.clone());
    let first = render_madr4(&adr);
    let back = reimport(&adr, &first);
    assert_eq!(render_madr4(&back), first);
    assert_eq!(back.draft(), adr.draft());
    let text = "---\nstatus: accepted\ndecision-makers: [Ada]\nauthor: Grace\n---\n\n# Use Kafka\n\n## Context\n\nC.\n";
    assert_eq!(
        parsed("0003-use-kafka.md", text).draft.decision_makers,
        ["Ada"]
    );
    // A section of names under such a key stays a section.
    let text = "# 3. Use Kafka\n\n## Status\n\nAccepted\n\n## Authors\n\n- Ada\n- Grace\n\n## Context\n\nC.\n";
    let p = parsed("0003-use-kafka.md", text);
    assert_eq!(p.draft.decision_makers, ["Ada", "Grace"]);
    assert_eq!(p.draft.sections[0].heading, "Authors");
    // The export of a record with its lines kept reads back the same.
    let p = parsed(
        "0003-use-kafka.md",
        "# 3. Use Kafka\n\n* Status: accepted\n* Author: Ada\n\n## Context\n\nC.\n",
    );
    let adr = record(3, p.draft);
    let first = render_madr4(&adr);
    let back = reimport(&adr, &first);
    assert_eq!(render_madr4(&back), first);
    assert_eq!(back.draft(), adr.draft());
}

#[test]
fn a_date_after_the_status_on_its_line_is_the_date() {
    for line in [
        "Status: Accepted Date: 2024-03-01",
        "Status: accepted, 2024-03-01",
        "**Status:** Accepted **Date:** 2024-03-01",
        "Status: Accepted; Date: 2024-03-01",
        "* Status: Accepted - Date: 2024-03-01",
        "Status: Accepted (Date: 2024-03-01)",
    ] {
        let text = format!("# 4. X\n\n{line}\n\n## Context\n\nC.\n");
        let p = parsed("0004-x.md", &text);
        assert_eq!(p.draft.status, AdrStatus::Accepted, "{line}");
        assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2024, 3, 1), "{line}");
        assert_eq!(p.draft.context, "C.", "{line}");
    }
    // In a status section too.
    let p = parsed(
        "0004-x.md",
        "# 4. X\n\n## Status\n\nProposed Date: 2024-03-01\n\n## Context\n\nC.\n",
    );
    assert_eq!(p.draft.status, AdrStatus::Proposed);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2024, 3, 1));
    assert!(p.draft.sections.is_empty());
}

#[test]
fn front_matter_keys_without_a_space_after_the_colon_are_read() {
    // Ensembl's records: `tag:Web Client`, which YAML reads as no mapping.
    let text = "---\ntag:Web Client\n---\n\n# 4. State Management\n\nDate: 2018-08-30\n\n## Status\n\nDeprecated\n\n## Context\n\nC.\n";
    let p = parsed("0004-state-management.md", text);
    assert_eq!(p.number, Some(4));
    assert_eq!(p.draft.title, "State Management");
    assert_eq!(p.draft.tags, ["Web Client"]);
    assert_eq!(p.draft.status, AdrStatus::Deprecated);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2018, 8, 30));
    // Front matter that is no mapping for another reason is still an error.
    assert!(parse_file("0004-x.md", "---\n- a\n- b\n---\n# T\n").is_err());
}

#[test]
fn a_link_line_wrapped_after_its_verb_is_a_link() {
    // Bloomberg's coffeechat: a formatter wrapped the adr-tools line.
    let text = "# 6. Use tailwind\n\nDate: 2021-05-31\n\n## Status\n\nAccepted\n\nSupercedes\n[3. Use nextjs, express, emotion](0003-use-nextjs-express-stylecomponents.md)\n\n## Context\n\nC.\n";
    let p = parsed("0006-use-tailwind.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.links, [(LinkKind::Supersedes, LinkTarget::Number(3))]);
    assert!(p.draft.sections.is_empty(), "{:?}", p.draft.sections);
    // The link text broken over two lines, under `## Links`.
    let text = "# 7. X\n\n## Status\n\nAccepted\n\n## Context\n\nC.\n\n## Links\n\n* Amended by [9. Use a\n  longer title](0009-use-a-longer-title.md)\n* Notes\n";
    let p = parsed("0007-x.md", text);
    assert_eq!(p.links, [(LinkKind::AmendedBy, LinkTarget::Number(9))]);
    assert_eq!(p.draft.sections[0].body, "* Notes");
    // A verb starting a sentence that goes on is no link.
    let text =
        "# 7. X\n\n## Status\n\nAccepted\n\nSuperseded by\nnothing yet.\n\n## Context\n\nC.\n";
    let p = parsed("0007-x.md", text);
    assert!(p.links.is_empty());
    assert_eq!(p.draft.sections[0].body, "Superseded by\nnothing yet.");
}

#[test]
fn a_thematic_break_above_the_title_is_no_front_matter() {
    // 18F's identity-pki: `---` and a blank line, never closed.
    let text = "---\n\n# Architecture Decision Record 14: EKS cluster management\n\n> We will use kustomize\n\n__Status__: Accepted\n\n## Context\n\nC.\n";
    let p = parsed("0014-eks-cluster-management.md", text);
    assert_eq!(p.number, Some(14));
    assert_eq!(p.draft.title, "EKS cluster management");
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.context, "---\n\n> We will use kustomize\n\nC.");
    let adr = record(14, p.draft);
    let first = render_madr4(&adr);
    assert_eq!(render_madr4(&reimport(&adr, &first)), first);
    // Unclosed front matter with keys in it is still an error.
    assert!(parse_file("0001-x.md", "---\nstatus: accepted\n\n# T\n").is_err());
}

#[test]
fn a_date_with_a_remark_after_it_is_the_date_and_the_line_stays() {
    let text = "# X\n\n- Status: accepted\n- Deciders: Agron Murtezi, SRE team\n- Date: 2026-06-18 (updated 2026-06-22)\n\n## Context and Problem Statement\n\nC.\n";
    let p = parsed("0007-x.md", text);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 6, 18));
    assert_eq!(
        p.draft.context,
        "- Date: 2026-06-18 (updated 2026-06-22)\n\nC."
    );
    for (value, want) in [
        ("July 16, 2026 - approved in the guild", Some((2026, 7, 16))),
        ("2026-06-18, amended 2026-07-01", Some((2026, 6, 18))),
        ("sometime in 2026 (we think)", None),
    ] {
        let text = format!("# X\n\n* Date: {value}\n\n## Context\n\nC.\n");
        let p = parsed("0007-x.md", &text);
        let want = want.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
        assert_eq!(p.draft.date, want, "{value}");
        assert!(p.draft.context.contains(value), "{value}");
    }
}

#[test]
fn a_decisions_section_is_the_decision() {
    // Portarium: `## Decisions` with numbered subsections.
    let text = "# ADR-0082: Events\n\n**Status**: Accepted\n**Date**: 2026-02-22\n**Bead**: bead-0383\n\n## Context\n\nC.\n\n## Decisions\n\n### 1. Versioning\n\nV.\n\n## Consequences\n\nQ.\n";
    let p = parsed("ADR-0082.md", text);
    assert_eq!(p.number, Some(82));
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 2, 22));
    assert_eq!(p.draft.decision_outcome, "### 1. Versioning\n\nV.");
    assert_eq!(p.draft.context, "**Bead**: bead-0383\n\nC.");
    // A section named so (a second one) exports as a section.
    let (_, back) = round_trip(AdrDraft {
        title: "T".into(),
        decision_outcome: "O.".into(),
        sections: vec![Section {
            heading: "Decisions".into(),
            level: 2,
            body: "D.".into(),
        }],
        ..Default::default()
    });
    assert_eq!(back.sections[0].heading, "Decisions");
    assert_eq!(back.decision_outcome, "O.");
}

#[test]
fn metadata_keys_run_together_on_one_line_are_read() {
    // In front matter, which YAML refuses so.
    let text = "---\nstatus: accepted date: 2026-09-07\n---\n\n# ADR-0002 · JSON data layer\n\n## Context\n\nC.\n";
    let p = parsed("0002-json-data-layer.md", text);
    assert_eq!(p.number, Some(2));
    assert_eq!(p.draft.title, "JSON data layer");
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 9, 7));
    // A front matter a formatter turned into a heading above the title.
    let text = "---\n\n## status: accepted date: 2026-06-21 decision-makers: \"@RyosukeDTomita\"\n\n# ADR-0006: Serve the static build from Cachix\n\n## Context and Problem Statement\n\nC.\n";
    let p = parsed("0006-cachix.md", text);
    assert_eq!(p.number, Some(6));
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 6, 21));
    assert_eq!(p.draft.decision_makers, ["@RyosukeDTomita"]);
    assert_eq!(p.draft.context, "C.");
    // A line under the title.
    let text = "# ADR 001: Indie stack\n\nStatus: Accepted Date: 2026-01-14 Deciders: Product Owner, Project Manager\n\n## Context\n\nC.\n";
    let p = parsed("adr-001.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 1, 14));
    assert_eq!(
        p.draft.decision_makers,
        ["Product Owner", "Project Manager"]
    );
    assert_eq!(p.draft.context, "C.");
    // A part that is no field's value keeps the line (the status is read).
    let text = "# X\n\nStatus: Accepted Date: soon\n\n## Context\n\nC.\n";
    let p = parsed("0003-x.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, None);
    assert_eq!(p.draft.context, "Status: Accepted Date: soon\n\nC.");
    // A heading above the title that is not metadata stays.
    let text = "## Status: the big picture\n\n# X\n\n## Context\n\nC.\n";
    let p = parsed("0003-x.md", text);
    assert!(
        p.draft.context.starts_with("## Status: the big picture"),
        "{}",
        p.draft.context
    );
}

#[test]
fn status_dated_with_a_foreign_connector_gives_the_date() {
    // German `am`, Portuguese `em` (a month name too), French `le`,
    // Spanish `el`: the status and the record's date, the line consumed.
    for (line, date) in [
        ("Akzeptiert am 07.08.2026.", (2026, 8, 7)),
        ("Aceito em 24/08/2026.", (2026, 8, 24)),
        ("Aceito em 31 de agosto de 2026.", (2026, 8, 31)),
        ("Accepté le 3 mars 2026", (2026, 3, 3)),
        ("Aceptado el 2026-01-05", (2026, 1, 5)),
    ] {
        let text = format!("# ADR 0022: Anhänge\n\n## Status\n\n{line}\n\n## Kontext\n\nK.\n");
        let p = parsed("0022-anhaenge.md", &text);
        assert_eq!(p.draft.status, AdrStatus::Accepted, "{line}");
        assert_eq!(
            p.draft.date,
            NaiveDate::from_ymd_opt(date.0, date.1, date.2),
            "{line}"
        );
        assert!(
            p.draft.sections.iter().all(|s| s.heading != "Status"),
            "{line}"
        );
    }
    // A sentence after the date keeps the line.
    let text =
        "# X\n\n## Estado\n\nAceito em 2026-08-22 para a entrega local.\n\n## Contexto\n\nC.\n";
    let p = parsed("0008-x.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 8, 22));
    assert!(p
        .draft
        .sections
        .iter()
        .any(|s| s.body.contains("para a entrega local")));
    // Not a date after the word: a custom status, as before.
    let p = parsed("0008-x.md", "# X\n\n## Status\n\nAkzeptiert am Montag.\n");
    assert!(
        matches!(p.draft.status, AdrStatus::Custom(_)),
        "{:?}",
        p.draft.status
    );
}

#[test]
fn korean_chinese_and_foreign_people_keys_and_statuses() {
    // Korean decision makers; a status word with its translation.
    let text = "# ADR 0007: 한국 주식은 pykrx\n\n- 날짜: 2026-05-15\n- 상태: 채택됨 (Accepted)\n- 결정자: 병승, 현태\n\n## 컨텍스트\n\nC.\n";
    let p = parsed("0007-pykrx.md", text);
    assert_eq!(p.number, Some(7));
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 5, 15));
    assert_eq!(p.draft.decision_makers, ["병승", "현태"]);
    assert!(!p.draft.context.contains("상태"), "{}", p.draft.context);
    // Chinese, full-width colons: proposed, the decision makers.
    let text = "# 缓存\n\n- **状态**：提议中\n- **日期**：2025-08-19\n- **决策者**：张三\n\n## 背景\n\nC.\n";
    let p = parsed("0003-cache.md", text);
    assert_eq!(p.draft.status, AdrStatus::Proposed);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2025, 8, 19));
    assert_eq!(p.draft.decision_makers, ["张三"]);
    // A French author decides, and the line stays (as `Author:` does).
    let text = "# ADR-002 : CLI\n\n**Statut** : Proposé\n**Date** : 2026-01-24\n**Auteur** : Ada Lovelace\n\n## Contexte\n\nC.\n";
    let p = parsed("0002-cli.md", text);
    assert_eq!(p.draft.status, AdrStatus::Proposed);
    assert_eq!(p.draft.decision_makers, ["Ada Lovelace"]);
    assert!(
        p.draft.context.contains("**Auteur** : Ada Lovelace"),
        "{}",
        p.draft.context
    );
    // Two different statuses are no translation: the line stays.
    let text = "# X\n\n## Status\n\nAccepted (proposed)\n\n## Context\n\nC.\n";
    let p = parsed("0004-x.md", text);
    assert!(p
        .draft
        .sections
        .iter()
        .any(|s| s.body == "Accepted (proposed)"));
}

#[test]
fn adr_label_in_a_title_under_a_labelled_front_matter_title() {
    // Docusaurus: the page title and the heading both carry the label.
    let text = "---\nsidebar_position: 2\ntitle: \"ADR: claude-code-schema\"\n---\n\n# ADR: claude-code-schema Crate\n\n- **状态**：提议中\n\n## 背景\n\nC.\n";
    let p = parsed("adr-claude-code-schema.md", text);
    assert_eq!(p.draft.title, "claude-code-schema Crate");
    assert_eq!(p.draft.status, AdrStatus::Proposed);
    // Our own record titled so keeps its label through export and import.
    let (first, back) = round_trip(AdrDraft {
        title: "ADR: keep the label".into(),
        context: "C.".into(),
        ..Default::default()
    });
    assert!(first.contains("# ADR: keep the label\n"), "{first}");
    assert_eq!(back.title, "ADR: keep the label");
    // And one that came with the labelled page title.
    let adr = record(1, p.draft.clone());
    let out = render_madr4(&adr);
    let again = reimport(&adr, &out);
    assert_eq!(again.title, "claude-code-schema Crate");
    assert_eq!(render_madr4(&again), out);
}

#[test]
fn jekyll_decision_makers_key_with_an_underscore() {
    let text = "---\nlayout: adr\ntitle: STL features\nstatus: enforced\ndate: 2025-03-03\ndecision_makers:\n    - elwardi\nadr_tags:\n  - backend\n---\n\n## Context and Problem Statement\n\nC.\n";
    let p = parsed("stl-features.md", text);
    assert_eq!(p.draft.title, "STL features");
    assert_eq!(p.draft.decision_makers, ["elwardi"]);
    assert!(p
        .draft
        .extra_front_matter
        .iter()
        .all(|(k, _)| k != "decision_makers"));
    // Export writes the field's own key; import reads it back the same.
    let adr = record(1, p.draft.clone());
    let out = render_madr4(&adr);
    assert!(out.contains("decision-makers: [elwardi]"), "{out}");
    let again = reimport(&adr, &out);
    assert_eq!(again.draft().decision_makers, ["elwardi"]);
    assert_eq!(render_madr4(&again), out);
}

#[test]
fn an_ambiguous_date_under_a_day_first_language_key() {
    // Portuguese `Data`: day first, so 7 October.
    let text = "# ADR-0007: Concorrência\n\n- **Status:** Proposto\n- **Data:** 07/10/2026\n- **Questão:** [Q14](../q.md#q14)\n\n## Contexto\n\nC.\n";
    let p = parsed("0007-concorrencia.md", text);
    assert_eq!(p.draft.status, AdrStatus::Proposed);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 10, 7));
    assert!(
        !p.draft.context.contains("**Data:**"),
        "{}",
        p.draft.context
    );
    assert!(
        p.draft.context.contains("**Questão:**"),
        "{}",
        p.draft.context
    );
    // Spanish `Fecha`, German `Datum` with dashes.
    let p = parsed(
        "0002-x.md",
        "# X\n\nFecha: 05/03/2025\n\n## Contexto\n\nC.\n",
    );
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2025, 3, 5));
    let p = parsed(
        "0002-x.md",
        "# X\n\nDatum: 05-03-2025\n\n## Kontext\n\nC.\n",
    );
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2025, 3, 5));
    // An English key never guesses: the line stays as written.
    let p = parsed("0002-x.md", "# X\n\nDate: 05/03/2025\n\n## Context\n\nC.\n");
    assert_eq!(p.draft.date, None);
    assert!(p.draft.context.contains("Date: 05/03/2025"));
}

#[test]
fn a_date_ended_by_a_sentence_is_the_date_and_the_line_stays() {
    // French: `Date : 3 octobre 2026. Statut : ...` on one line.
    let text = "# ADR-099 : mes morceaux\n\nDate : 3 octobre 2026. Statut : remplacé par [ADR-101](ADR-101-x.md) : les Decks sont partis.\n\n## Pourquoi\n\nP.\n";
    let p = parsed("ADR-099-mes-morceaux.md", text);
    assert_eq!(p.number, Some(99));
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 10, 3));
    // The status the rest of the line gives, and its link.
    assert_eq!(p.draft.status, AdrStatus::Superseded);
    assert!(p
        .links
        .iter()
        .any(|(k, t)| *k == LinkKind::SupersededBy && *t == LinkTarget::Number(101)));
    assert!(
        p.draft
            .context
            .starts_with("Date : 3 octobre 2026. Statut : remplacé par"),
        "{}",
        p.draft.context
    );
    // English, with an ISO date.
    let p = parsed(
        "0003-x.md",
        "# X\n\nDate: 2026-06-18. Reviewed again in July.\n\n## Context\n\nC.\n",
    );
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 6, 18));
    assert!(p.draft.context.contains("Reviewed again in July."));
}

#[test]
fn a_keyed_status_line_under_the_status_heading_is_the_status() {
    // ministryofjustice/hmpps-integration-api: `Decision status: Accepted`
    // under `## Status`, `Decision date:` under the title.
    let text = "# 0014 - Visit Notifications\n\nDecision date: 2025-03-04\n\n## Status\n\nDecision status: Accepted\n\n## Context\n\nC.\n";
    let p = parsed("0014-visits-notifications.md", text);
    assert_eq!(p.number, Some(14));
    assert_eq!(p.draft.title, "Visit Notifications");
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2025, 3, 4));
    assert!(p.draft.sections.iter().all(|s| s.heading != "Status"));
    for line in [
        "Status: Proposed",
        "**Current status:** Proposed",
        "- Status: Proposed",
    ] {
        let text = format!("# 2. T\n\n## Status\n\n{line}\n\n## Context\n\nC.\n");
        let p = parsed("0002-t.md", &text);
        assert_eq!(p.draft.status, AdrStatus::Proposed, "{line}");
    }
    // A keyed status saying more stays as text, its status read.
    let text = "# 3. T\n\n## Status\n\nStatus: Accepted (amends ADR-0001)\n\n## Context\n\nC.\n";
    let p = parsed("0003-t.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert!(p
        .draft
        .sections
        .iter()
        .any(|s| s.heading == "Status" && s.body.contains("amends ADR-0001")));
}

#[test]
fn vietnamese_metadata_table_keys_are_read() {
    // `| Trạng thái | Accepted |`, `| Ngày | 2026-06-22 |`; the other rows
    // stay as a table.
    let text = "# ADR-0003 — Event-Driven qua Kafka\n\n| | |\n| --- | --- |\n| Trạng thái | Accepted |\n| Ngày | 2026-06-22 |\n| Người quyết định | An, Bình |\n| Phạm vi | Hệ thống |\n\n## Context\n\nC.\n";
    let p = parsed("ADR-0003-event-driven-kafka.md", text);
    assert_eq!(p.number, Some(3));
    assert_eq!(p.draft.title, "Event-Driven qua Kafka");
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 6, 22));
    assert_eq!(p.draft.decision_makers, vec!["An", "Bình"]);
    assert!(
        p.draft.context.contains("| Phạm vi | Hệ thống |"),
        "{}",
        p.draft.context
    );
}

#[test]
fn an_indented_metadata_table_keeps_its_indentation() {
    // MkDocs: the metadata table inside `!!! info`, indented four spaces.
    // The rows read leave the record; the rest stay indented under the
    // admonition, their separator row too.
    let text = "# Choose PostgreSQL\n\n!!! info \"ADR Metadata\"\n\n    | Field | Value |\n    | ----- | ----- |\n    | **Date** | 2026-03-15 |\n    | **Decision-makers** | Tech Lead, DBA |\n    | **Scope** | Backend |\n\n## Context and Problem Statement\n\nC.\n";
    let p = parsed("adr-002-postgresql.md", text);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 3, 15));
    assert_eq!(p.draft.decision_makers, vec!["Tech Lead", "DBA"]);
    assert!(
        p.draft
            .context
            .contains("    | Field | Value |\n    |---|---|\n    | **Scope** | Backend |"),
        "{}",
        p.draft.context
    );
    let (_, back) = round_trip(p.draft.clone());
    assert_eq!(back.context, p.draft.context);
}

#[test]
fn the_files_number_after_a_label_or_after_the_title_is_the_number() {
    // DFE-Digital/education-benchmarking-and-insights.
    let text = "# Decision - 0012 - Use of Managed Identity\n\nDate: 2025-06-26\n\n## Status\n\nAccepted\n\n## Context\n\nC.\n";
    let p = parsed("0012_uage-managed-identity.md", text);
    assert_eq!(p.number, Some(12));
    assert_eq!(p.draft.title, "Use of Managed Identity");
    let text = "# Evaluation of Custom WAF Rules (0016)\n\nDate: 2025-11-14\n\n## Status\n\nAccepted\n\n## Context\n\nC.\n";
    let p = parsed("0016-waf-custom-rule.md", text);
    assert_eq!(p.number, Some(16));
    assert_eq!(p.draft.title, "Evaluation of Custom WAF Rules");
    // Another number stays in the title.
    let p = parsed(
        "0016-x.md",
        "# Upgrade to Java (17)\n\n## Status\n\nAccepted\n\n## Context\n\nC.\n",
    );
    assert_eq!(p.draft.title, "Upgrade to Java (17)");
    let p = parsed(
        "0016-x.md",
        "# Phase - 0017 - Y\n\n## Status\n\nAccepted\n\n## Context\n\nC.\n",
    );
    assert_eq!(p.draft.title, "Phase - 0017 - Y");
}

#[test]
fn a_front_matter_created_date_is_the_date_when_nothing_else_gives_one() {
    // DFE-Digital/sts-plan-technology-for-your-school.
    let text = "---\ntitle: Source Repository Hosting\ntype: adr\nstatus: Accepted\ncreated: 2022-11-16\n---\n\n# Source Repository Hosting\n\n* **Status**: Accepted\n\n## Context and Problem Statement\n\nWhere?\n";
    let p = parsed("0005-source-repository.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2022, 11, 16));
    // The key stays as written.
    assert!(p
        .draft
        .extra_front_matter
        .iter()
        .any(|(k, v)| k == "created" && v.contains("2022-11-16")));
    let (_, back) = round_trip(p.draft.clone());
    assert_eq!(back.date, p.draft.date);
    // A date the record gives itself comes first.
    let text = "---\ncreated: 2022-11-16\n---\n\n# X\n\nDate: 2023-01-02\n\n## Context\n\nC.\n";
    let p = parsed("0006-x.md", text);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2023, 1, 2));
}

#[test]
fn full_width_colon_after_the_id_and_full_width_remark_after_the_date() {
    // `# ADR-0004：Title` and `## Date` / `2026-08-31（2026-09-02 由 ADR-0008
    // 取代）`: Chinese punctuation.
    let text = "# ADR-0004：保留 WLK `/asr` 作为过渡兼容层\n\n## Status\n\nSuperseded by [ADR-0008](0008-remove-legacy-ws-endpoints.md)\n\n## Date\n\n2026-08-31（2026-09-02 由 ADR-0008 取代）\n\n## Context\n\nC.\n";
    let p = parsed("0004-keep-wlk-asr.md", text);
    assert_eq!(p.number, Some(4));
    assert_eq!(p.draft.title, "保留 WLK `/asr` 作为过渡兼容层");
    assert_eq!(p.draft.status, AdrStatus::Superseded);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 8, 31));
    // The remark stays.
    assert!(
        p.draft
            .sections
            .iter()
            .any(|s| s.body.contains("2026-09-02 由 ADR-0008 取代")),
        "{:?}",
        p.draft.sections
    );
    let (_, back) = round_trip(p.draft.clone());
    assert_eq!(back.title, p.draft.title);
    assert_eq!(back.date, p.draft.date);
}

#[test]
fn status_choices_hint_over_the_picked_status() {
    // A template's hint quoted under `## Status`, the pick on its own line
    // (a Korean adr-tools set: `제안됨(Proposed)|승인됨(Accepted)|...`).
    let text = "# 2. API docs\n\n## Status\n\n> 상태: 제안됨(Proposed)|승인됨(Accepted)|반려됨(Rejected)|대체됨(Superseded)|사용중단됨(Deprecated)\n\nAccepted\n\n## Context\n\nC.\n";
    let p = parsed("0002-api-docs.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    // The hint stays as written.
    let status = p.draft.sections.iter().find(|s| s.heading == "Status");
    assert!(
        status
            .is_some_and(|s| s.body.contains("반려됨(Rejected)") && !s.body.contains("\nAccepted")),
        "{:?}",
        p.draft.sections
    );
    let (_, back) = round_trip(p.draft.clone());
    assert_eq!(back.status, AdrStatus::Accepted);
    assert_eq!(back.sections, p.draft.sections);
    // Choices and no pick: a draft, as before.
    let text = "# 3. Y\n\n## Status\n\nProposed | Accepted | Deprecated\n\n## Context\n\nC.\n";
    assert_eq!(parsed("0003-y.md", text).draft.status, AdrStatus::Draft);
}

#[test]
fn french_status_without_accents_and_full_width_adr_label() {
    // `Acceptee le 2026-07-08. ...`: French written in ASCII.
    let text = "# ADR 0009 - Minigames\n\n## Statut\n\nAcceptee le 2026-07-08. Les decisions ont ete prises\nen session de design.\n\n## Contexte\n\nC.\n";
    let p = parsed("0009-minigames.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2026, 7, 8));
    assert!(p
        .draft
        .sections
        .iter()
        .any(|s| s.body.contains("Les decisions ont ete prises")));
    for (word, status) in [
        ("Rejetee", AdrStatus::Rejected),
        ("Proposee", AdrStatus::Proposed),
    ] {
        let text = format!("# 1. X\n\n## Statut\n\n{word}\n\n## Context\n\nC.\n");
        assert_eq!(parsed("0001-x.md", &text).draft.status, status, "{word}");
    }
    // `# ADR：X`: the label before a full-width colon is no part of the title.
    let text = "# ADR：生产环境默认关闭 OpenAPI\n\n## Status\n\n- accepted\n\n## Context\n\nC.\n";
    let p = parsed("0003-openapi.md", text);
    assert_eq!(p.draft.title, "生产环境默认关闭 OpenAPI");
    assert_eq!(p.number, Some(3));
}

/// Parses `text`, makes the record with its links, and checks that its
/// export is a fixed point of import.
fn linked_round_trip(name: &str, text: &str) -> (ParsedAdr, Adr) {
    let p = parsed(name, text);
    let mut adr = record(p.number.expect("numbered"), p.draft.clone());
    for (kind, target) in &p.links {
        match target {
            LinkTarget::Number(n) => adr.add_link(*kind, *n),
            LinkTarget::File(f) => panic!("file link {f}"),
        }
    }
    let first = render_madr4(&adr);
    assert_eq!(
        render_madr4(&reimport(&adr, &first)),
        first,
        "not a fixed point"
    );
    (p, adr)
}

#[test]
fn a_bare_record_bullet_under_links_relates_to_it() {
    // elastisys: `## Links` lists a CVE and `- [ADR-0039](./0039-x.md)`
    // without a verb; the record is related, the web page stays.
    let text = "# 54. X\n\n## Status\n\nAccepted\n\n## Context\n\nWhy.\n\n## Links\n\n- [CVE-2021-1](https://example.org/issues/1)\n- [ADR-0039](./0039-dev-permissions.md)\n* ADR-0040\n- [Runbook](https://example.org/docs/0041-runbook.md)\n";
    let (p, _) = linked_round_trip("0054-x.md", text);
    assert_eq!(
        p.links,
        [
            (LinkKind::RelatesTo, LinkTarget::Number(39)),
            (LinkKind::RelatesTo, LinkTarget::Number(40))
        ]
    );
    let links = p.draft.sections.iter().find(|s| s.heading == "Links");
    assert_eq!(
        links.map(|s| s.body.as_str()),
        Some("- [CVE-2021-1](https://example.org/issues/1)\n- [Runbook](https://example.org/docs/0041-runbook.md)")
    );
    // Elsewhere such a bullet is text, and a bullet that says more than the
    // link stays under `## Links`.
    let text = "# 55. Y\n\n## Context\n\n- [ADR-0039](0039-x.md)\n\n## Links\n\n- [ADR-0039](0039-x.md) for the permissions\n";
    let p = parsed("0055-y.md", text);
    assert!(p.links.is_empty(), "{:?}", p.links);
    assert_eq!(p.draft.context, "- [ADR-0039](0039-x.md)");
    // A `## Links` section the user wrote such a bullet into after import
    // exports as a section, so it comes back as text.
    let mut adr = record(
        56,
        AdrDraft {
            title: "Z".into(),
            context: "Why.".into(),
            sections: vec![Section {
                heading: "Links".into(),
                level: 2,
                body: "- [ADR-0039](0039-x.md)".into(),
            }],
            ..Default::default()
        },
    );
    adr.add_link(LinkKind::Amends, 3);
    let first = render_madr4(&adr);
    let back = reimport(&adr, &first);
    assert_eq!(back.sections, adr.sections, "{first}");
    assert_eq!(render_madr4(&back), first);
}

#[test]
fn plus_and_minus_bullets_are_good_and_bad_consequences() {
    // SOTER: `+ X` for what is won, `- X` for what it costs.
    let text = "# ADR-0006: X\n\n## Status\nAccepted\n\n## Context\nWhy.\n\n## Consequences\n+ No setup.\n+ Forkable.\n- A migration later.\n- Slower under load.\n";
    let p = parsed("0006-x.md", text);
    let c = &p.draft.consequences;
    assert_eq!(c.good, ["No setup.", "Forkable."]);
    assert_eq!(c.bad, ["A migration later.", "Slower under load."]);
    assert!(p.draft.sections.is_empty(), "{:?}", p.draft.sections);
    let (_, back) = round_trip(p.draft.clone());
    assert_eq!(back.consequences, p.draft.consequences);
    // One marker alone, or a paragraph beside the bullets, is plain text.
    for body in [
        "- A.\n- B.\n",
        "+ A.\n+ B.\n",
        "Both:\n\n+ A.\n- B.\n",
        "* A.\n- B.\n",
    ] {
        let p = parsed("0007-y.md", &format!("# 7. Y\n\n## Consequences\n\n{body}"));
        assert!(p.draft.consequences.is_empty(), "{body}");
        assert_eq!(p.draft.sections[0].body, body.trim_end(), "{body}");
    }
}

#[test]
fn a_metadata_row_naming_a_record_links_it() {
    // campusid: `| Builds on | ADR-002 (forward-only migrations) |`; the row
    // says more than the link, so it stays.
    let text = "# ADR-005: X\n\n| Field | Value |\n|---|---|\n| Status | Accepted |\n| Date | 2026-09-11 |\n| Milestone | M5 |\n| Builds on | ADR-002 (forward-only migrations) |\n| Supersedes | ADR-001 |\n\n## Context\n\nWhy.\n";
    let (p, _) = linked_round_trip("ADR-005-x.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(
        p.links,
        [
            (LinkKind::RelatesTo, LinkTarget::Number(2)),
            (LinkKind::Supersedes, LinkTarget::Number(1))
        ]
    );
    assert!(p
        .draft
        .context
        .contains("| Builds on | ADR-002 (forward-only migrations) |"));
    assert!(
        !p.draft.context.contains("Supersedes"),
        "{}",
        p.draft.context
    );
    // `**Builds on:** [X](0002-x.md)` in a metadata list (Google Cloud's emblem).
    let text = "# 3. Y\n\n* **Status:** approved\n* **Builds on:** [Automate updates](0002-automate.md)\n\n## Context\n\nWhy.\n";
    let p = parsed("0003-y.md", text);
    assert_eq!(p.links, [(LinkKind::RelatesTo, LinkTarget::Number(2))]);
    // A sentence that starts with the words is no link.
    let p = parsed(
        "0004-z.md",
        "# 4. Z\n\n## Context\n\nBuilds on ADR-002 and more.\n",
    );
    assert!(p.links.is_empty());
}

#[test]
fn a_comma_inside_brackets_does_not_split_a_person() {
    // srs-converter: `consulted: Claude (spec review, five-agent fact-check)`.
    let text = "---\nstatus: accepted\ndecision-makers: Eiko W., Ana\nconsulted: Claude (spec review, fact-check), Bo\n---\n\n# X\n\n## Context and Problem Statement\n\nWhy.\n\n- Deciders: Cy (lead, infra), Di\n";
    let p = parsed("0017-x.md", text);
    assert_eq!(
        p.draft.consulted,
        ["Claude (spec review, fact-check)", "Bo"]
    );
    assert_eq!(p.draft.decision_makers, ["Eiko W.", "Ana"]);
    let (_, back) = round_trip(p.draft.clone());
    assert_eq!(back.consulted, p.draft.consulted);
    let p = parsed(
        "0018-y.md",
        "# Y\n\n- Status: accepted\n- Deciders: Cy (lead, infra), Di\n\n## Context\n\nWhy.\n",
    );
    assert_eq!(p.draft.decision_makers, ["Cy (lead, infra)", "Di"]);
    // A bracket left open splits as written.
    let p = parsed(
        "0019-z.md",
        "# Z\n\n- Status: accepted\n- Deciders: Cy (lead, Di\n\n## Context\n\nWhy.\n",
    );
    assert_eq!(p.draft.decision_makers, ["Cy (lead", "Di"]);
}

#[test]
fn emphasized_good_bad_and_neutral_prefixes_are_consequences() {
    // CERT/CC Vultron: `- **Good**: X` / `- **Neutral**: X` / `- **Bad**: X`
    // under `### Consequences`, read as `- Good: X` is.
    let text = "# 14. X\n\n## Status\n\nAccepted\n\n## Decision Outcome\n\nChosen option: pin.\n\n### Consequences\n\n- **Good**: immutable,\n  across lines.\n* **Good**, because reviewed.\n- **Good:** tested.\n- __Neutral__: harder to read.\n- **Bad**: more PRs.\n";
    let p = parsed("0014-x.md", text);
    let c = &p.draft.consequences;
    assert_eq!(
        c.good,
        ["immutable,\nacross lines.", "reviewed.", "tested."]
    );
    assert_eq!(c.neutral, ["harder to read."]);
    assert_eq!(c.bad, ["more PRs."]);
    assert_eq!(p.draft.decision_outcome, "Chosen option: pin.");
    let (_, back) = round_trip(p.draft.clone());
    assert_eq!(back.consequences, p.draft.consequences);
    // Emphasis that holds more than the prefix, or a word that only starts
    // like one, is plain text.
    for body in [
        "- **Good: fast**\n- **Bad**: slow\n",
        "- **Goodness**: x\n- **Bad**: y\n",
    ] {
        let p = parsed("0007-y.md", &format!("# 7. Y\n\n## Consequences\n\n{body}"));
        assert!(p.draft.consequences.is_empty(), "{body}");
    }
    // An option's description holding such a line comes back as written.
    option_description_round_trips("Notes:\n\n- **Good**: said by the vendor");
}

#[test]
fn a_status_followed_by_the_templates_choices_is_that_status() {
    // easi-app: `- Status: Proposed [Proposed, Accepted, Rejected, ...]`, the
    // template's choices left after the word picked. The line stays, as the
    // export cannot write it back otherwise.
    for (line, status) in [
        "- Status: Proposed [Proposed, Accepted, Rejected, Deprecated, Superseded, etc.]",
        "- **Status**: Accepted [Proposed, Accepted, Rejected]",
        "**Status:** **Rejected** [Proposed | Accepted | Rejected]",
    ]
    .into_iter()
    .zip([
        AdrStatus::Proposed,
        AdrStatus::Accepted,
        AdrStatus::Rejected,
    ]) {
        let text = format!("# Using Typescript\n\n{line}\n- Date: 2019-10-17\n\nWhy.\n");
        let p = parsed("0004-using-typescript.md", &text);
        assert_eq!(p.draft.status, status, "{line}");
        assert_eq!(p.draft.date, NaiveDate::from_ymd_opt(2019, 10, 17));
        assert!(p.draft.context.starts_with(line), "{}", p.draft.context);
        let (_, back) = round_trip(p.draft.clone());
        assert_eq!(back, p.draft);
    }
    // Under `## Status` too.
    let p = parsed(
        "0005-x.md",
        "# 5. X\n\n## Status\n\nAccepted [Proposed, Accepted, Deprecated]\n\n## Context\n\nWhy.\n",
    );
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    // A bracket that is no list of statuses, or words that are no status,
    // are what they were: a custom status.
    for line in [
        "Proposed [see the RFC]",
        "Pending review [Proposed, Accepted]",
    ] {
        let p = parsed("0006-y.md", &format!("# 6. Y\n\n- Status: {line}\n"));
        assert_eq!(p.draft.status, AdrStatus::Custom(line.into()), "{line}");
    }
}

#[test]
fn an_adr_tools_link_in_the_users_own_words_relates_the_records() {
    // Mathematicians: `adr link 4 Describes 3 "Described by"` writes the
    // user's words before the link; the record is related, and the line
    // stays as written, so the export keeps `Described by`.
    let text = "# 3. Use Schemavolution\n\nDate: 2017-12-17\n\n## Status\n\nAccepted\n\nDescribed by [4. Create a fluent API.](0004-create-a-fluent-api.md)\n\n## Context\n\nWhy.\n";
    let (p, adr) = linked_round_trip("0003-use-schemavolution.md", text);
    assert_eq!(p.draft.status, AdrStatus::Accepted);
    assert_eq!(p.links, [(LinkKind::RelatesTo, LinkTarget::Number(4))]);
    let status = p.draft.sections.iter().find(|s| s.heading == "Status");
    assert_eq!(
        status.map(|s| s.body.as_str()),
        Some("Described by [4. Create a fluent API.](0004-create-a-fluent-api.md)")
    );
    assert!(render_madr4(&adr).contains("\nDescribed by [4. Create a fluent API.]"));
    // A status word before a link, a link to a web page, or more words than
    // a verb are no such link.
    for line in [
        "Deprecated [5. Later](0005-later.md)",
        "Explained by [the wiki](https://example.org/0005-x.md)",
        "Read this first before you read [5. Later](0005-later.md)",
        "Described by [5. Later](0005-later.md) and the wiki",
    ] {
        let text = format!("# 3. X\n\n## Status\n\nAccepted\n\n{line}\n");
        let p = parsed("0003-x.md", &text);
        assert!(p.links.is_empty(), "{line}: {:?}", p.links);
        assert_eq!(p.draft.sections[0].body, line);
    }
}

#[test]
fn related_records_among_the_references_are_related() {
    // Darker: `- Related ADRs: [0006-x.md](0006-x.md)` in a `## References`
    // list beside requirements and issues; the list stays as written.
    let refs = "- Requirements: [specs/002/requirements.md](../../specs/002/requirements.md)\n- Related ADRs: [0006-remove-di.md](0006-remove-di.md), [ADR-0004](0004-x.md)\n- Related: [the RFC](../rfc/0009-rfc.md)\n- Issue: https://github.com/example/x/issues/296";
    let text = format!(
        "# 7. Rename\n\n## Status\n\nAccepted\n\n## Context\n\nWhy.\n\n## References\n\n{refs}\n"
    );
    let (p, _) = linked_round_trip("0007-rename.md", &text);
    assert_eq!(
        p.links,
        [
            (LinkKind::RelatesTo, LinkTarget::Number(6)),
            (LinkKind::RelatesTo, LinkTarget::Number(4))
        ]
    );
    assert_eq!(p.draft.sections[0].heading, "References");
    assert_eq!(p.draft.sections[0].body, refs);
    // Elsewhere a reference list is only text.
    let p = parsed(
        "0008-x.md",
        "# 8. X\n\n## Notes\n\n- Related ADRs: [0006-remove-di.md](0006-remove-di.md)\n",
    );
    assert!(p.links.is_empty(), "{:?}", p.links);
}

#[test]
fn pros_and_cons_headings_under_an_option_are_its_arguments() {
    // viaferrata.app: `#### Pros` and `#### Cons` over bullets under each
    // option of `## Pros and Cons of the Options`.
    let text = "# 3. Use Drizzle\n\n## Considered Options\n\n- Prisma\n- Drizzle ORM\n\n## Decision Outcome\n\nChosen option: \"Drizzle ORM\".\n\n## Pros and Cons of the Options\n\n### Drizzle ORM\n\n#### Pros\n\n- SQL-like syntax\n  - Learning it teaches SQL\n- Effect integration\n\n#### Cons\n\n- Complex schema API\n\n### Prisma\n\n#### Cons\n\n- Custom query language\n\n#### Pros\n\n- Intuitive API\n";
    let p = parsed("0003-use-drizzle.md", text);
    let o = &p.draft.considered_options;
    assert_eq!(o[1].title, "Drizzle ORM");
    assert_eq!(
        o[1].pros,
        [
            "SQL-like syntax\n- Learning it teaches SQL",
            "Effect integration"
        ]
    );
    assert_eq!(o[1].cons, ["Complex schema API"]);
    assert_eq!(
        (&o[0].pros[..], &o[0].cons[..]),
        (
            &["Intuitive API".to_string()][..],
            &["Custom query language".to_string()][..]
        )
    );
    assert!(o.iter().all(|o| o.description.is_empty()), "{o:?}");
    let (_, back) = round_trip(p.draft.clone());
    assert_eq!(back.considered_options, p.draft.considered_options);
    // A heading of another name, or text beside the bullets, leaves the
    // subsection as the option's description.
    for body in [
        "#### Pros\n\n- A\n\n#### Notes\n\n- B",
        "Intro.\n\n#### Pros\n\n- A\n\n#### Cons\n\n- B",
        "#### Pros\n\n- A\n\nWhy.\n\n#### Cons\n\n- B",
    ] {
        let text = format!("# 3. X\n\n## Pros and Cons of the Options\n\n### A\n\n{body}\n");
        let p = parsed("0003-x.md", &text);
        let o = &p.draft.considered_options[0];
        assert!(o.pros.is_empty() && o.cons.is_empty(), "{body}");
        assert_eq!(o.description, body);
    }
}

//! Corpus conformance: every Markdown file of the shared ADR corpus is either
//! skipped for a stated reason (index, README, template) or parsed into the
//! expected record, loses no text in the MADR 4 export, and round-trips
//! (export -> import -> export is byte-identical).
//!
//! Data-driven over the folder: new files are tested automatically. The
//! corpus is located at `<workspace>/../shared/corpus/adr` or at
//! `$PLASMA_CORPUS_DIR`; when absent the test prints a notice and passes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate};
use plasma_exports::adr_markdown::{
    file_name, parse_file, render_madr4, AdrFormat, Classified, LinkTarget, ParsedAdr,
};
use plasma_models::{Adr, AdrStatus, LinkKind};
use uuid::Uuid;

fn corpus_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("PLASMA_CORPUS_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/adr"),
    };
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("corpus not found at {}, skipping", dir.display());
        None
    }
}

fn md_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read corpus dir")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            md_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "md") {
            out.push(p);
        }
    }
}

struct Corpus {
    root: PathBuf,
    /// Relative path (with `/`) -> (source, result).
    files: BTreeMap<String, (String, Classified)>,
}

fn load() -> Option<Corpus> {
    let root = corpus_dir()?;
    let mut paths = Vec::new();
    md_files(&root, &mut paths);
    let mut files = BTreeMap::new();
    for p in paths {
        let rel = p
            .strip_prefix(&root)
            .expect("under root")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(&p).expect("read corpus file");
        let name = p.file_name().expect("name").to_string_lossy().to_string();
        let parsed = parse_file(&name, &text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        files.insert(rel, (text, parsed));
    }
    Some(Corpus { root, files })
}

fn adr<'a>(c: &'a Corpus, rel: &str) -> &'a ParsedAdr {
    match c.files.get(rel) {
        Some((_, Classified::Adr(a))) => a,
        Some((_, Classified::Skipped { reason })) => panic!("{rel} was skipped: {reason}"),
        None => panic!("{rel} is not in the corpus at {}", c.root.display()),
    }
}

fn is_template_or_index(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    name == "index.md" || name == "readme.md" || name.contains("template")
}

#[test]
fn indexes_readmes_and_templates_are_skipped_and_everything_else_parses() {
    let Some(c) = load() else { return };
    let mut skipped = 0;
    for (rel, (_, parsed)) in &c.files {
        match parsed {
            Classified::Skipped { reason } => {
                assert!(is_template_or_index(rel), "{rel} skipped: {reason}");
                assert!(!reason.trim().is_empty());
                skipped += 1;
            }
            Classified::Adr(a) => {
                assert!(!is_template_or_index(rel), "{rel} should be skipped");
                assert!(!a.draft.title.trim().is_empty(), "{rel}: empty title");
                assert!(
                    a.draft.links.is_empty(),
                    "{rel}: draft.links must stay empty"
                );
            }
        }
    }
    // The known ones, by name.
    for rel in [
        "madr-2.1.2/index.md",
        "madr-2.1.2/template.md",
        "madr-3.0.0/index.md",
        "madr-3.0.0/adr-template.md",
        "log4brains/docs-adr/index.md",
        "log4brains/docs-adr/README.md",
        "log4brains/docs-adr/template.md",
        "madr-templates/4.0.0-adr-template.md",
        "madr-templates/4.0.0-adr-template-bare-minimal.md",
    ] {
        if let Some((_, parsed)) = c.files.get(rel) {
            assert!(matches!(parsed, Classified::Skipped { .. }), "{rel}");
        }
    }
    assert!(skipped >= 1);
}

fn date(s: &str) -> Option<NaiveDate> {
    Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date"))
}

#[test]
fn adr_tools_records_have_numbers_dates_and_links() {
    let Some(c) = load() else { return };
    let expected = [
        (
            "0001-record-architecture-decisions.md",
            1,
            "Record architecture decisions",
            "2016-02-12",
        ),
        (
            "0002-implement-as-shell-scripts.md",
            2,
            "Implement as shell scripts",
            "2016-02-12",
        ),
        (
            "0003-single-command-with-subcommands.md",
            3,
            "Single command with subcommands",
            "2016-02-12",
        ),
        (
            "0004-markdown-format.md",
            4,
            "Markdown format",
            "2016-02-12",
        ),
        ("0005-help-comments.md", 5, "Help comments", "2016-02-13"),
        (
            "0006-packaging-and-distribution-in-other-version-control-repositories.md",
            6,
            "Packaging and distribution in other version control repositories",
            "2016-02-16",
        ),
        (
            "0007-invoke-adr-config-executable-to-get-configuration.md",
            7,
            "Invoke adr-config executable to get configuration",
            "2016-12-17",
        ),
        (
            "0008-use-iso-8601-format-for-dates.md",
            8,
            "Use ISO 8601 Format for Dates",
            "2017-02-21",
        ),
        ("0009-help-scripts.md", 9, "Help scripts", "2018-06-26"),
    ];
    for (file, number, title, d) in expected {
        let rel = format!("nygard-adr-tools/{file}");
        let a = adr(&c, &rel);
        assert_eq!(a.format, AdrFormat::Nygard, "{rel}");
        assert_eq!(a.number, Some(number), "{rel}");
        assert_eq!(a.draft.title, title, "{rel}");
        assert_eq!(a.draft.date, date(d), "{rel}");
        assert_eq!(a.draft.status, AdrStatus::Accepted, "{rel}");
        assert!(
            !a.draft.context.is_empty() && !a.draft.decision_outcome.is_empty(),
            "{rel}"
        );
    }
    let five = adr(&c, "nygard-adr-tools/0005-help-comments.md");
    assert_eq!(
        five.links,
        vec![(LinkKind::AmendedBy, LinkTarget::Number(9))]
    );
    let nine = adr(&c, "nygard-adr-tools/0009-help-scripts.md");
    assert_eq!(nine.links, vec![(LinkKind::Amends, LinkTarget::Number(5))]);
    let one = adr(&c, "nygard-adr-tools/0001-record-architecture-decisions.md");
    assert!(one.links.is_empty());
    assert!(one.draft.context.starts_with("We need to record"));
    // Nygard's free-text consequences are kept verbatim as a section.
    let s = one
        .draft
        .sections
        .iter()
        .find(|s| s.heading == "Consequences")
        .expect("consequences");
    assert_eq!(s.body, "See Michael Nygard's article, linked above.");
    // Any `Superceded by` link in the corpus is read as SupersededBy.
    for (rel, (text, parsed)) in &c.files {
        if let Classified::Adr(a) = parsed {
            if text.contains("\nSuperceded by [") {
                assert!(
                    a.links.iter().any(|(k, _)| *k == LinkKind::SupersededBy),
                    "{rel}"
                );
                assert_eq!(a.draft.status, AdrStatus::Superseded, "{rel}");
            }
        }
    }
}

#[test]
fn madr_records_have_titles_statuses_and_structure() {
    let Some(c) = load() else { return };
    let a = adr(
        &c,
        "madr-2.1.2/0000-use-markdown-architectural-decision-records.md",
    );
    assert_eq!(a.format, AdrFormat::Madr2);
    assert_eq!(a.number, Some(0));
    assert_eq!(a.draft.title, "Use Markdown Architectural Decision Records");
    assert_eq!(a.draft.considered_options.len(), 5);
    assert!(a
        .draft
        .decision_outcome
        .starts_with("Chosen option: \"MADR 2.1.2\", because"));
    let a = adr(&c, "madr-2.1.2/0003-include-in-adr-tools.md");
    assert_eq!(
        (a.number, a.draft.title.as_str()),
        (Some(3), "Inlucde in adr-tools")
    );
    assert!(a
        .draft
        .context
        .starts_with("Developers seem to like tooling"));
    let a = adr(&c, "madr-2.1.2/0004-write-own-toc-tool.md");
    assert_eq!(a.draft.consequences.good.len(), 1);
    assert_eq!(
        a.draft.consequences.bad,
        vec!["Another tool has to be maintained".to_string()]
    );
    let a = adr(&c, "madr-2.1.2/0008-add-status-field.md");
    assert!(a
        .draft
        .context
        .starts_with("Technical Story: <https://github.com/adr/madr/issues/2>"));
    let badge = &a.draft.considered_options[0];
    assert_eq!(badge.title, "Use badge");
    assert_eq!(badge.pros.len(), 2);
    assert_eq!(badge.cons.len(), 4);
    assert!(
        badge.description.contains("#### Examples"),
        "{}",
        badge.description
    );
    let a = adr(&c, "madr-2.1.2/0006-use-names-as-identifier.md");
    assert_eq!(
        a.draft.decision_drivers,
        vec![
            "Easy to read",
            "Easy to write",
            "Avoid copy and paste errors"
        ]
    );

    let a = adr(&c, "madr-3.0.0/0003-provide-own-madr-tools.md");
    assert_eq!(a.format, AdrFormat::Madr3);
    assert_eq!(a.number, Some(3));
    assert_eq!(a.draft.title, "Write Own MADR Tooling");
    assert_eq!(a.draft.status, AdrStatus::Custom("on hold".into()));
    assert_eq!(
        a.draft.extra_front_matter,
        vec![
            ("parent".to_string(), "Decisions".to_string()),
            ("nav_order".to_string(), "3".to_string())
        ]
    );
    assert!(a
        .draft
        .sections
        .iter()
        .any(|s| s.heading == "More Information"));
    let a = adr(&c, "madr-3.0.0/0001-use-CC0-or-MIT-as-license.md");
    assert_eq!(
        (a.number, a.draft.title.as_str()),
        (Some(1), "Dual License the Work")
    );
    let a = adr(&c, "madr-3.0.0/0004-write-own-toc-tool.md");
    assert_eq!(a.draft.consequences.good.len(), 1);
    assert_eq!(
        a.draft.consequences.bad,
        vec!["another tool has to be maintained".to_string()]
    );
    let a = adr(&c, "madr-3.0.0/0010-support-categories.md");
    let labels = a
        .draft
        .considered_options
        .iter()
        .find(|o| o.title == "Use labels")
        .expect("option");
    assert_eq!((labels.pros.len(), labels.cons.len()), (2, 2));
    for (rel, (_, parsed)) in &c.files {
        if let (true, Classified::Adr(a)) = (rel.starts_with("madr-3.0.0/"), parsed) {
            assert_eq!(a.format, AdrFormat::Madr3, "{rel}");
            assert!(a.number.is_some(), "{rel}");
        }
    }
}

#[test]
fn log4brains_records_have_dates_and_slug_links() {
    let Some(c) = load() else { return };
    let old = adr(
        &c,
        "log4brains/docs-adr/20200926-use-the-adr-number-as-its-unique-id.md",
    );
    assert_eq!(old.format, AdrFormat::Log4brains);
    assert_eq!(old.number, None, "a date prefix is not a number");
    assert_eq!(old.draft.title, "Use the ADR number as its unique ID");
    assert_eq!(old.draft.status, AdrStatus::Superseded);
    assert_eq!(old.draft.date, date("2020-09-26"));
    assert_eq!(
        old.links,
        vec![(
            LinkKind::SupersededBy,
            LinkTarget::File("20201016-use-the-adr-slug-as-its-unique-id".into())
        )]
    );
    let new = adr(
        &c,
        "log4brains/docs-adr/20201016-use-the-adr-slug-as-its-unique-id.md",
    );
    assert_eq!(new.draft.status, AdrStatus::Accepted);
    assert_eq!(new.draft.date, date("2020-10-16"));
    assert_eq!(
        new.links,
        vec![(
            LinkKind::Supersedes,
            LinkTarget::File("20200926-use-the-adr-number-as-its-unique-id".into())
        )]
    );
    // Plain reference links stay text in a Links section.
    let a = adr(&c, "log4brains/docs-adr/20200927-avoid-default-exports.md");
    assert!(a.links.is_empty());
    assert!(a
        .draft
        .sections
        .iter()
        .any(|s| s.heading == "Links" && s.body.contains("humanwhocodes")));
    for (rel, (_, parsed)) in &c.files {
        if let (true, Classified::Adr(a)) = (rel.starts_with("log4brains/"), parsed) {
            assert_eq!(a.format, AdrFormat::Log4brains, "{rel}");
            assert_eq!(a.number, None, "{rel}");
            assert!(a.draft.date.is_some(), "{rel}");
        }
    }
}

/// Builds records from the parsed corpus: numbers from the files, or
/// assigned (log4brains) from 1000 on; file links resolved by stem.
fn records(c: &Corpus) -> Vec<(String, Adr)> {
    let mut numbers: BTreeMap<String, u32> = BTreeMap::new();
    let mut next = 1000;
    for (rel, (_, parsed)) in &c.files {
        if let Classified::Adr(a) = parsed {
            let n = a.number.unwrap_or_else(|| {
                next += 1;
                next
            });
            numbers.insert(rel.clone(), n);
        }
    }
    let now = DateTime::from_timestamp(1_700_000_000, 0).expect("time");
    let mut out = Vec::new();
    for (rel, (_, parsed)) in &c.files {
        let Classified::Adr(a) = parsed else { continue };
        let dir = rel.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
        let mut adr = Adr::new(Uuid::nil(), numbers[rel], a.draft.clone(), now);
        for (kind, target) in &a.links {
            let n = match target {
                LinkTarget::Number(n) => Some(*n),
                LinkTarget::File(stem) => numbers.get(&format!("{dir}/{stem}.md")).copied(),
            };
            if let Some(n) = n {
                adr.add_link(*kind, n);
            }
        }
        out.push((rel.clone(), adr));
    }
    out
}

#[test]
fn every_record_round_trips_through_madr4() {
    let Some(c) = load() else { return };
    for (rel, adr) in records(&c) {
        let first = render_madr4(&adr);
        assert!(first.ends_with('\n') && !first.contains('\r'), "{rel}");
        let again = match parse_file(&file_name(&adr), &first) {
            Ok(Classified::Adr(p)) => p,
            other => panic!("{rel}: export does not parse back: {other:?}\n{first}"),
        };
        assert_eq!(again.number, Some(adr.number), "{rel}");
        let mut back = Adr::new(Uuid::nil(), adr.number, again.draft.clone(), adr.created_at);
        for (kind, target) in &again.links {
            match target {
                LinkTarget::Number(n) => back.add_link(*kind, *n),
                LinkTarget::File(f) => panic!("{rel}: export wrote a file link {f}"),
            }
        }
        let second = render_madr4(&back);
        assert_eq!(
            first, second,
            "{rel}: export -> import -> export is not a fixed point"
        );
        let mut want = adr.draft();
        let mut got = back.draft();
        want.links.sort();
        got.links.sort();
        assert_eq!(got, want, "{rel}: import of the export differs");
    }
}

/// Lines that became structured values and need not appear verbatim.
fn structured_line(line: &str) -> bool {
    let l = line.trim();
    let l = l.strip_prefix(['*', '-']).map(str::trim_start).unwrap_or(l);
    let lower = l.to_ascii_lowercase();
    let meta = [
        "status:",
        "date:",
        "deciders:",
        "decision-makers:",
        "tags:",
        "consulted:",
        "informed:",
    ];
    let verbs = [
        "supersedes",
        "superseded by",
        "superceded by",
        "amends",
        "amended by",
        "relates to",
    ];
    meta.iter().any(|m| lower.starts_with(m))
        || verbs
            .iter()
            .any(|v| lower.starts_with(v) && l.contains("]("))
        || lower == "---"
}

fn known_heading(line: &str) -> bool {
    let l = line.trim_start();
    if !l.starts_with('#') {
        return false;
    }
    let key = strip_comments(l.trim_start_matches('#'))
        .trim()
        .to_ascii_lowercase();
    [
        "context and problem statement",
        "context",
        "decision drivers",
        "considered options",
        "decision outcome",
        "decision",
        "consequences",
        "positive consequences",
        "negative consequences",
        "confirmation",
        "pros and cons of the options",
        "links",
        "status",
    ]
    .contains(&key.as_str())
}

fn strip_comments(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        rest = match rest[i..].find("-->") {
            Some(j) => &rest[i + j + 3..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

fn normalise(line: &str) -> String {
    let l = strip_comments(line);
    let l = l.trim();
    let l = match l.strip_prefix(['*', '-', '+']) {
        Some(rest) if rest.starts_with(' ') => rest,
        _ => l,
    };
    l.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn no_text_is_dropped_by_the_export() {
    let Some(c) = load() else { return };
    let recs: BTreeMap<String, Adr> = records(&c).into_iter().collect();
    let mut checked = 0;
    for (rel, (text, parsed)) in &c.files {
        let Classified::Adr(a) = parsed else { continue };
        let export = render_madr4(&recs[rel]);
        let haystack: String = export.lines().map(normalise).collect::<Vec<_>>().join("\n");
        let mut seen_title = false;
        for line in text.lines() {
            let n = normalise(line);
            // The status word of a Nygard `## Status` section is the status.
            let status_word = n.to_lowercase() == a.draft.status.label().to_lowercase();
            if n.is_empty() || structured_line(line) || known_heading(line) || status_word {
                continue;
            }
            if !seen_title && line.starts_with("# ") {
                seen_title = true;
                assert!(line.contains(&a.draft.title), "{rel}: title {line}");
                continue;
            }
            assert!(
                haystack.contains(&n),
                "{rel}: line dropped from the export: {line:?}\n---\n{export}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} lines checked");
}

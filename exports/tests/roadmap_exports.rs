//! Roadmap exports: golden files (`tests/golden/roadmap/`, regenerate with
//! PLASMA_UPDATE_GOLDEN=1), CSV and Mermaid read back, and the split of
//! large plans into diagrams that each stay within GitHub's limits.

mod common;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use plasma_exports::roadmap::csv::{roadmap_csv, CSV_HEADER};
use plasma_exports::roadmap::gantt::task_id;
use plasma_exports::roadmap::markdown::roadmap_markdown;
use plasma_exports::roadmap::{gantt, GanttLimits, RoadmapView, GITHUB_LIMITS};
use plasma_models::roadmap::{
    evaluate, AdrEvidence, Evidence, Initiative, InitiativeStatus, Milestone,
};
use uuid::Uuid;

fn check_golden(name: &str, actual: &str) {
    common::check_golden("roadmap", name, actual);
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn initiative(key: &str, title: &str, days: u32, deps: &[&str]) -> Initiative {
    let mut i = Initiative::new(Uuid::nil(), key, title);
    i.id = Uuid::new_v5(&Uuid::nil(), key.as_bytes());
    i.estimate_days = days;
    i.depends_on = deps.iter().map(|d| d.to_string()).collect();
    i
}

fn fixture() -> RoadmapView {
    let mut ci = initiative("ci", "Reusable CI: lint, test, build, scan", 10, &[]);
    ci.status = InitiativeStatus::InProgress;
    ci.owner = "Platform team".into();
    ci.repositories = vec![
        "plasma-engine-shared".into(),
        "plasma-engine-gateway".into(),
    ];
    ci.target_quarter = Some("2026-Q1".into());
    ci.architecture_change = true;
    ci.adrs = vec![3];
    ci.milestones = vec![Milestone {
        title: "Workflows published".into(),
        due: Some(day(2026, 1, 9)),
        done: true,
    }];
    let mut compose = initiative("compose", "Local dev with Docker Compose", 5, &[]);
    compose.target_quarter = Some("2026-Q1".into());
    let mut slo = initiative(
        "slos",
        "SLIs and SLOs, \"instrumented\"",
        8,
        &["ci", "compose"],
    );
    slo.new_data_flow = true;
    slo.description = "Gateway, research pipelines and content workers.".into();
    let mut secrets = initiative("secrets", "Secrets management", 12, &["compose"]);
    secrets.architecture_change = true;
    secrets.adrs = vec![6];
    secrets.target_quarter = Some("2026-Q2".into());
    let pager = initiative("pager", "Runbooks and pager", 3, &["slos", "secrets"]);
    let evidence = Evidence {
        adrs: vec![
            AdrEvidence {
                number: 3,
                title: "Ship through reusable GitHub Actions workflows".into(),
                status: "accepted".into(),
            },
            AdrEvidence {
                number: 6,
                title: "Manage secrets with an external secrets store".into(),
                status: "proposed".into(),
            },
        ],
        ..Evidence::default()
    };
    RoadmapView::new(
        "Plasma Engine roadmap",
        &[ci, compose, slo, secrets, pager],
        |i| evaluate(i, &evidence),
        day(2026, 1, 5),
    )
    .expect("valid plan")
}

#[test]
fn golden_markdown_csv_and_gantt() {
    let view = fixture();
    check_golden("roadmap.md", &roadmap_markdown(&view, GITHUB_LIMITS));
    check_golden("roadmap.csv", &roadmap_csv(&view));
    let diagrams = gantt(&view, GITHUB_LIMITS);
    assert_eq!(diagrams.len(), 1);
    check_golden("roadmap.mmd", &diagrams[0]);
}

#[test]
fn markdown_reads_back_the_edited_fields_and_renders_byte_for_byte() {
    use plasma_exports::roadmap::markdown_import::parse_roadmap_markdown;
    let view = fixture();
    let text = roadmap_markdown(&view, GITHUB_LIMITS);
    let items = parse_roadmap_markdown(&text).expect("parse");
    assert_eq!(
        items.iter().map(|i| i.key.as_str()).collect::<Vec<_>>(),
        view.initiatives
            .iter()
            .map(|i| i.key.as_str())
            .collect::<Vec<_>>()
    );
    // Initiatives rebuilt from the file alone (plus what it does not show)
    // are the same and render the same file.
    let mut rebuilt = Vec::new();
    for (it, item) in view.initiatives.iter().zip(&items) {
        let mut blank = initiative(&it.key, "", 0, &[]);
        blank.id = it.id;
        blank.workspace_id = it.workspace_id;
        blank.start = it.start;
        blank.end = it.end;
        blank.new_data_flow = it.new_data_flow;
        blank.architecture_change = it.architecture_change;
        blank.regulated_data = it.regulated_data;
        blank.threat_models = it.threat_models.clone();
        blank.adrs = it.adrs.clone();
        blank.controls = it.controls.clone();
        item.apply_to(&mut blank);
        assert_eq!(&blank, it, "{}", it.key);
        rebuilt.push(blank);
    }
    let again = RoadmapView::new(
        view.title.clone(),
        &rebuilt,
        |i| view.readiness_of(&i.key).cloned().expect("readiness"),
        view.start,
    )
    .expect("plan");
    assert_eq!(roadmap_markdown(&again, GITHUB_LIMITS), text);

    // A reviewer's edit on GitHub comes back; a bad value says where.
    let edited = text.replace(
        "| proposed |  | 2026-Q2 |",
        "| planned | Security | 2026-Q2 |",
    );
    let items = parse_roadmap_markdown(&edited).expect("parse");
    let secrets = items.iter().find(|i| i.key == "secrets").expect("secrets");
    assert_eq!(secrets.owner, "Security");
    assert_eq!(secrets.status, InitiativeStatus::Planned);
    let bad = text.replace("| 12 d |", "| twelve |");
    let err = parse_roadmap_markdown(&bad).expect_err("bad estimate");
    assert!(
        err.location.ends_with("column Estimate"),
        "{}",
        err.location
    );
}

/// Reads a gantt diagram back: task id → (start: date or `after` ids,
/// duration in days).
#[derive(Debug)]
struct Task {
    start: Result<NaiveDate, Vec<String>>,
    days: u32,
}

fn parse_gantt(text: &str) -> Vec<(String, Task)> {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("gantt"));
    let mut out = Vec::new();
    for line in lines {
        let l = line.trim();
        if l.starts_with("title ")
            || l.starts_with("dateFormat ")
            || l.starts_with("axisFormat ")
            || l.starts_with("section ")
            || l.is_empty()
        {
            continue;
        }
        let (_, meta) = l.split_once(" :").expect("task line has ' :'");
        let parts: Vec<&str> = meta.split(", ").collect();
        let n = parts.len();
        assert!(n >= 3, "task needs id, start, duration: {l}");
        let id = parts[n - 3].to_string();
        for tag in &parts[..n - 3] {
            assert!(
                ["crit", "done", "active"].contains(tag),
                "unknown tag {tag}"
            );
        }
        let start = match parts[n - 2].strip_prefix("after ") {
            Some(ids) => Err(ids.split(' ').map(str::to_string).collect()),
            None => Ok(NaiveDate::parse_from_str(parts[n - 2], "%Y-%m-%d").expect("date")),
        };
        let days: u32 = parts[n - 1]
            .strip_suffix('d')
            .and_then(|d| d.parse().ok())
            .expect("duration in days");
        out.push((id, Task { start, days }));
    }
    out
}

/// Resolves the `after` chains of one diagram to dates, as Mermaid does.
fn resolve(tasks: &[(String, Task)]) -> HashMap<String, (NaiveDate, NaiveDate)> {
    let mut dates: HashMap<String, (NaiveDate, NaiveDate)> = HashMap::new();
    for (id, t) in tasks {
        let start = match &t.start {
            Ok(d) => *d,
            Err(after) => after
                .iter()
                .map(|a| {
                    dates
                        .get(a)
                        .unwrap_or_else(|| panic!("{a} used before it is defined"))
                        .1
                })
                .max()
                .expect("after names a task"),
        };
        let end = start + chrono::Days::new(u64::from(t.days));
        dates.insert(id.clone(), (start, end));
    }
    dates
}

#[test]
fn gantt_reads_back_to_the_computed_schedule() {
    let view = fixture();
    let diagram = &gantt(&view, GITHUB_LIMITS)[0];
    let tasks = parse_gantt(diagram);
    let dates = resolve(&tasks);
    for (idx, (start, finish)) in view.dates().into_iter().enumerate() {
        let id = task_id(&view.initiatives[idx].key);
        assert_eq!(dates[&id], (start, finish), "{id}");
    }
    // Dependencies show as `after`.
    let pager = &tasks
        .iter()
        .find(|(id, _)| id == "i_pager")
        .expect("pager")
        .1;
    assert_eq!(pager.start, Err(vec!["i_slos".into(), "i_secrets".into()]));
}

#[test]
fn csv_reads_back_with_one_row_per_initiative() {
    let view = fixture();
    let text = roadmap_csv(&view);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header.join(","), CSV_HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 5);
    let keys: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(
        keys,
        view.plan
            .order
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
    );
    let slos = rows.iter().find(|r| &r[0] == "slos").expect("slos row");
    assert_eq!(&slos[1], "SLIs and SLOs, \"instrumented\"");
    assert_eq!(&slos[9], "ci; compose");
    assert_eq!(&slos[14], "threat model reviewed in a session");
    let secrets = rows
        .iter()
        .find(|r| &r[0] == "secrets")
        .expect("secrets row");
    assert_eq!(&secrets[15], "ADR 6 is proposed, not accepted");
    assert_eq!(&secrets[6], "2026-04-01", "waits for its quarter");
}

/// A chain of 1,200 initiatives with a fan of extra dependencies: far over
/// 500 edges and 50,000 characters in one diagram.
fn large_view() -> RoadmapView {
    let mut items = Vec::new();
    for n in 0..1200u32 {
        let key = format!("item-{n}");
        let mut deps: Vec<String> = Vec::new();
        if n > 0 {
            deps.push(format!("item-{}", n - 1));
        }
        if n > 10 && n % 3 == 0 {
            deps.push(format!("item-{}", n - 10));
        }
        let mut i = Initiative::new(
            Uuid::nil(),
            key,
            format!("Initiative number {n} with a longer title"),
        );
        i.estimate_days = 1 + n % 4;
        i.depends_on = deps;
        items.push(i);
    }
    RoadmapView::new(
        "Big plan",
        &items,
        |i| evaluate(i, &Evidence::default()),
        day(2026, 1, 5),
    )
    .expect("valid plan")
}

#[test]
fn large_plans_split_into_diagrams_within_githubs_limits() {
    let view = large_view();
    let diagrams = gantt(&view, GITHUB_LIMITS);
    assert!(diagrams.len() > 1, "expected a split");
    let mut seen = HashSet::new();
    let mut all: HashMap<String, (NaiveDate, NaiveDate)> = HashMap::new();
    for (i, d) in diagrams.iter().enumerate() {
        assert!(d.len() <= 50_000, "diagram {i} has {} chars", d.len());
        let tasks = parse_gantt(d);
        let edges: usize = tasks
            .iter()
            .map(|(_, t)| t.start.as_ref().err().map_or(0, Vec::len))
            .sum();
        assert!(edges <= 500, "diagram {i} has {edges} edges");
        assert!(edges > 0, "diagram {i} shows no dependency");
        assert!(d.contains(&format!("(part {})", i + 1)));
        for (id, _) in &tasks {
            assert!(seen.insert(id.clone()), "{id} appears twice");
        }
        all.extend(resolve(&tasks));
    }
    assert_eq!(seen.len(), 1200, "every initiative is drawn once");
    for (idx, (start, finish)) in view.dates().into_iter().enumerate() {
        let id = task_id(&view.initiatives[idx].key);
        assert_eq!(all[&id], (start, finish), "{id}");
    }
}

#[test]
fn tight_limits_still_give_valid_diagrams() {
    let view = fixture();
    let limits = GanttLimits {
        max_chars: 400,
        max_edges: 1,
    };
    let diagrams = gantt(&view, limits);
    assert!(diagrams.len() >= 3);
    let mut all = HashMap::new();
    for d in &diagrams {
        let tasks = parse_gantt(d);
        let edges: usize = tasks
            .iter()
            .map(|(_, t)| t.start.as_ref().err().map_or(0, Vec::len))
            .sum();
        assert!(edges <= 1);
        all.extend(resolve(&tasks));
    }
    for (idx, dates) in view.dates().into_iter().enumerate() {
        assert_eq!(all[&task_id(&view.initiatives[idx].key)], dates);
    }
}

#[test]
fn markdown_shows_order_critical_path_and_what_is_lacking() {
    let text = roadmap_markdown(&fixture(), GITHUB_LIMITS);
    assert!(text.contains("Critical path by estimates (21 days): `ci` → `slos` → `pager`."));
    assert!(text.contains("[ADR 3: Ship through reusable GitHub Actions workflows](adr/0003-ship-through-reusable-github-actions-workflows.md)"));
    assert!(text.contains("ADR 6 is proposed, not accepted"));
    assert!(
        text.contains("a new data flow needs a threat model reviewed in a session; none is linked")
    );
    let ci = text.find("| Reusable CI").expect("ci row");
    let pager = text.find("| Runbooks and pager").expect("pager row");
    assert!(ci < pager, "dependency order");
}

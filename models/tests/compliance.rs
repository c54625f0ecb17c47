//! Catalog loading, mappings and roll-ups over self-written matrices.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use plasma_models::compliance::catalog::validate_framework_id;
use plasma_models::compliance::mapping::parse_mappings_toml;
use plasma_models::compliance::*;
use uuid::Uuid;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn bundled_catalogs_load_with_expected_sizes_and_no_copyrighted_text() {
    let fws = bundled_frameworks().unwrap();
    let count = |id: &str| fws.iter().find(|f| f.id == id).unwrap().controls.len();
    assert_eq!(count("plasma-sdlc"), 12);
    assert_eq!(count("iso27001-2022"), 93);
    assert_eq!(count("nist-csf-2"), 106);
    assert_eq!(count("soc2"), 61);
    assert_eq!(count("gdpr"), 23);
    assert_eq!(count("hipaa-security"), 47);
    for f in fws {
        assert!(f.bundled);
        f.validate().unwrap();
        assert!(
            !f.source.is_empty() && !f.notice.is_empty(),
            "{} credits its source",
            f.id
        );
    }
    // SOC 2 and ISO ship identifiers and our own short titles only.
    for id in ["soc2", "iso27001-2022"] {
        let f = fws.iter().find(|f| f.id == id).unwrap();
        assert!(f.controls.iter().all(|c| c.description.is_empty()), "{id}");
        assert!(f.controls.iter().all(|c| c.title.len() <= 80), "{id}");
    }
    let sdlc = fws.iter().find(|f| f.id == "plasma-sdlc").unwrap();
    for needle in [
        "SBOM",
        "CODEOWNERS",
        "rollback",
        "Tamper-evident",
        "MFA",
        "Retention",
    ] {
        assert!(
            sdlc.controls.iter().any(|c| c.title.contains(needle)),
            "{needle}"
        );
    }
    let csf = fws.iter().find(|f| f.id == "nist-csf-2").unwrap();
    assert_eq!(
        csf.control("PR.DS-11").unwrap().group,
        "PROTECT: Data Security"
    );
}

#[test]
fn catalog_errors_name_the_file_and_the_problem() {
    let dup = "[framework]\nid = \"x\"\nname = \"X\"\n[[control]]\nid = \"A\"\ntitle = \"a\"\n[[control]]\nid = \"A\"\ntitle = \"b\"\n";
    let err = parse_catalog_toml("mine.toml", dup)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("mine.toml") && err.contains("used twice"),
        "{err}"
    );
    let bad_key = "[framework]\nid = \"x\"\nname = \"X\"\ncolour = 1\n";
    let err = parse_catalog_toml("k.toml", bad_key)
        .unwrap_err()
        .to_string();
    assert!(err.contains("colour"), "{err}");
    let untitled =
        "[framework]\nid = \"x\"\nname = \"X\"\n[[control]]\nid = \"A\"\ntitle = \" \"\n";
    assert!(parse_catalog_toml("t.toml", untitled)
        .unwrap_err()
        .to_string()
        .contains("title is empty"));
    assert!(validate_framework_id("Bad Id").is_err());
    assert!(validate_framework_id("nist-800-53.r5").is_ok());
}

#[test]
fn bundled_mappings_resolve_and_cover_every_sdlc_control() {
    let maps = bundled_mappings().unwrap();
    assert!(maps.len() >= 50);
    for c in &bundled_frameworks().unwrap()[0].controls {
        assert!(
            maps.iter().any(|m| m.source.control == c.id),
            "{} maps to nothing",
            c.id
        );
    }
    let equal = maps
        .iter()
        .find(|m| m.relationship == Relationship::Equal)
        .unwrap();
    assert_eq!(equal.strength, 10, "equal defaults to full strength");
}

#[test]
fn mapping_files_refuse_unknown_controls_and_bad_strength() {
    let fws = bundled_frameworks().unwrap();
    let unknown = "[[mapping]]\nsource = \"soc2:CC9.9\"\ntarget = \"gdpr:Art.32\"\nrelationship = \"equal\"\n";
    let err = parse_mappings_toml("m.toml", unknown, fws)
        .unwrap_err()
        .to_string();
    assert!(err.contains("no control \"CC9.9\""), "{err}");
    let strong = "[[mapping]]\nsource = \"soc2:CC6.1\"\ntarget = \"gdpr:Art.32\"\nrelationship = \"subset\"\nstrength = 11\n";
    let err = parse_mappings_toml("m.toml", strong, fws)
        .unwrap_err()
        .to_string();
    assert!(err.contains("strength must be 1 to 10"), "{err}");
    let shape =
        "[[mapping]]\nsource = \"CC6.1\"\ntarget = \"gdpr:Art.32\"\nrelationship = \"subset\"\n";
    let err = parse_mappings_toml("m.toml", shape, fws)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not framework:control"), "{err}");
}

#[test]
fn overrides_change_remove_and_add_mappings() {
    let a = ControlRef::new("plasma-sdlc", "SDLC-01");
    let b = ControlRef::new("soc2", "CC8.1");
    let c = ControlRef::new("soc2", "CC3.2");
    let base = vec![Mapping {
        source: a.clone(),
        target: b.clone(),
        relationship: Relationship::Subset,
        strength: 4,
        rationale: String::new(),
        bundled: true,
    }];
    let changed = effective_mappings(
        &base,
        &[MappingOverride {
            source: a.clone(),
            target: b.clone(),
            relationship: Some(Relationship::Equal),
            strength: None,
            rationale: "we review every change".into(),
        }],
    );
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0].relationship, Relationship::Equal);
    assert_eq!(changed[0].strength, 10);
    assert!(changed[0].bundled);
    let removed = effective_mappings(
        &base,
        &[MappingOverride {
            source: a.clone(),
            target: b.clone(),
            relationship: None,
            strength: None,
            rationale: String::new(),
        }],
    );
    assert!(removed.is_empty());
    let added = effective_mappings(
        &base,
        &[MappingOverride {
            source: a.clone(),
            target: c.clone(),
            relationship: Some(Relationship::Intersects),
            strength: Some(2),
            rationale: String::new(),
        }],
    );
    assert_eq!(added.len(), 2);
    assert!(added
        .iter()
        .any(|m| m.target == c && m.strength == 2 && !m.bundled));
}

fn framework(id: &str, controls: &[&str]) -> Framework {
    Framework {
        id: id.into(),
        name: id.to_uppercase(),
        version: "1".into(),
        source: String::new(),
        notice: String::new(),
        bundled: false,
        controls: controls
            .iter()
            .map(|c| Control {
                id: (*c).into(),
                group: String::new(),
                title: format!("Control {c}"),
                description: String::new(),
            })
            .collect(),
    }
}

fn cell(fw: &str, control: &str, repo: &str, status: ImplementationStatus) -> Cell {
    let mut c = Cell::new(ControlRef::new(fw, control), repo);
    if status == ImplementationStatus::NotApplicable {
        c.set_not_applicable("no such data here");
    } else {
        c.set_status(status);
    }
    c
}

#[test]
fn coverage_counts_states_and_follows_mappings_with_strength() {
    use ImplementationStatus::*;
    let fws = vec![
        framework("own", &["O1", "O2"]),
        framework("ext", &["E1", "E2", "E3"]),
    ];
    let maps = vec![
        // O1 is a subset of E1, strength 6: implementing O1 gives E1 0.6.
        Mapping {
            source: ControlRef::new("own", "O1"),
            target: ControlRef::new("ext", "E1"),
            relationship: Relationship::Subset,
            strength: 6,
            rationale: String::new(),
            bundled: true,
        },
        // O2 equals E2: implementing E2 credits O2 fully (read backwards).
        Mapping {
            source: ControlRef::new("own", "O2"),
            target: ControlRef::new("ext", "E2"),
            relationship: Relationship::Equal,
            strength: 10,
            rationale: String::new(),
            bundled: true,
        },
    ];
    let repos = vec!["api".to_string(), "web".to_string()];
    let cells = vec![
        cell("own", "O1", "api", Implemented),
        cell("own", "O1", "web", Partial),
        cell("ext", "E2", "api", Alternative),
        cell("ext", "E3", "web", NotApplicable),
        cell("ext", "E3", "api", Planned),
    ];
    let view = MatrixView::new(&fws, &maps, &repos, &cells);
    let report = view.coverage(&["own", "ext"]);

    let own = &report.frameworks[0];
    assert_eq!(
        (own.cells, own.implemented, own.partial, own.not_assessed),
        (4, 1, 1, 2)
    );
    // own: O1 api 1 + O1 web 0.5 = 1.5 of 4.
    assert_eq!(own.percent, 37.5);
    // With mappings O2/api takes E2's alternative (equal, backwards): +1.
    assert_eq!(own.percent_with_mappings, 62.5);
    assert_eq!(own.raised_by_mappings, 1);

    let ext = &report.frameworks[1];
    assert_eq!(ext.not_applicable, 1);
    assert_eq!((ext.cells, ext.alternative, ext.planned), (6, 1, 1));
    // own: E2 api 1 of 5 applicable = 20%.
    assert_eq!(ext.percent, 20.0);
    // + E1 api 0.6 (O1 implemented x 0.6) + E1 web 0.3 (O1 partial x 0.6).
    assert_eq!(ext.percent_with_mappings, 38.0);

    let credits = view.mapped_credits("ext", "E1", "web");
    assert_eq!(credits.len(), 1);
    assert_eq!(credits[0].source, ControlRef::new("own", "O1"));
    assert!((credits[0].credit - 0.3).abs() < 1e-9);

    // Heat map: one row per framework and repository, adding up.
    assert_eq!(report.heat_map.len(), 4);
    let api = report
        .repositories
        .iter()
        .find(|r| r.repository.as_deref() == Some("api"))
        .unwrap();
    assert_eq!(api.cells, 5);
    assert_eq!(api.implemented + api.alternative, 2);

    // Gaps: applicable cells not implemented, with their best mapped credit.
    let gaps = gaps(&view, &["ext"]);
    let ids: Vec<(String, String)> = gaps
        .iter()
        .map(|g| (g.control.control.clone(), g.repository.clone()))
        .collect();
    assert_eq!(
        ids,
        [("E1", "api"), ("E1", "web"), ("E2", "web"), ("E3", "api")]
            .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert!((gaps[0].mapped_credit - 0.6).abs() < 1e-9);
    assert_eq!(gaps[3].status, Some(Planned));
}

#[test]
fn no_applicable_cells_means_full_coverage_not_a_division_by_zero() {
    let fws = vec![framework("f", &["A"])];
    let repos = vec!["r".to_string()];
    let cells = vec![cell("f", "A", "r", ImplementationStatus::NotApplicable)];
    let report = MatrixView::new(&fws, &[], &repos, &cells).coverage(&["f"]);
    assert_eq!(report.frameworks[0].percent, 100.0);
}

#[test]
fn cells_validate_applicability_reasons_and_evidence_dates() {
    let mut c = Cell::new(ControlRef::new("soc2", "CC6.1"), "api");
    c.validate().unwrap();
    c.applicable = false;
    assert!(c
        .validate()
        .unwrap_err()
        .to_string()
        .contains("needs a reason"));
    c.set_not_applicable("no users");
    c.validate().unwrap();
    c.set_status(ImplementationStatus::Implemented);
    assert!(c.applicable && c.not_applicable_reason.is_empty());
    c.evidence.push(Evidence {
        id: Uuid::nil(),
        kind: EvidenceKind::Link,
        title: "SSO report".into(),
        location: "https://example.test/sso".into(),
        collected: day("2026-05-01"),
        expires: Some(day("2026-04-01")),
    });
    let err = c.validate().unwrap_err().to_string();
    assert!(
        err.contains("soc2:CC6.1 in api") && err.contains("expires before"),
        "{err}"
    );
    let mut bad_repo = Cell::new(ControlRef::new("soc2", "CC6.1"), "../etc");
    bad_repo.status = None;
    assert!(bad_repo.validate().is_err());
    assert_eq!(
        ImplementationStatus::parse("Not applicable"),
        Some(ImplementationStatus::NotApplicable)
    );
    assert_eq!(
        ImplementationStatus::NotApplicable.oscal(),
        "not-applicable"
    );
    assert_eq!(EvidenceKind::parse("ci-job"), Some(EvidenceKind::CiJob));
}

#[test]
fn evidence_findings_flag_expired_expiring_stale_missing_and_unreviewed() {
    let today = day("2026-11-27");
    let ev = |title: &str, collected: &str, expires: Option<&str>| Evidence {
        id: Uuid::new_v5(&Uuid::NAMESPACE_OID, title.as_bytes()),
        kind: EvidenceKind::CiJob,
        title: title.into(),
        location: format!("ci/{title}"),
        collected: day(collected),
        expires: expires.map(day),
    };
    let mut fresh = cell("f", "A", "r", ImplementationStatus::Implemented);
    fresh.last_reviewed = Some(day("2026-10-01"));
    fresh
        .evidence
        .push(ev("fresh", "2026-10-01", Some("2027-10-01")));
    let mut expired = cell("f", "B", "r", ImplementationStatus::Implemented);
    expired.last_reviewed = Some(day("2026-10-01"));
    expired
        .evidence
        .push(ev("old-scan", "2025-01-01", Some("2026-01-01")));
    let mut soon = cell("f", "C", "r", ImplementationStatus::Partial);
    soon.evidence
        .push(ev("soon", "2026-11-01", Some("2026-12-10")));
    let mut stale = cell("f", "D", "r", ImplementationStatus::Alternative);
    stale.last_reviewed = Some(day("2026-11-01"));
    stale.evidence.push(ev("ancient", "2024-06-01", None));
    let planned = cell("f", "E", "r", ImplementationStatus::Planned);
    let na = cell("f", "F", "r", ImplementationStatus::NotApplicable);

    let findings = evidence_findings(&[fresh, expired, soon, stale, planned, na], today, 365, 30);
    let got: Vec<(FindingKind, &str)> = findings
        .iter()
        .map(|f| (f.kind, f.control.control.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (FindingKind::Expired, "B"),
            (FindingKind::ExpiringSoon, "C"),
            (FindingKind::Stale, "D"),
            (FindingKind::Missing, "B"),
            (FindingKind::Missing, "D"),
            (FindingKind::ReviewOverdue, "C"),
        ]
    );
}

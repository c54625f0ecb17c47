//! Workbench operations that span crates, on real SQLite files.

use plasma_models::{AdrLink, AdrStatus, LinkKind};
use plasma_workbench::{ErrorCode, Workbench};

use crate::support::fixtures;

async fn fresh() -> (tempfile::TempDir, Workbench) {
    let dir = tempfile::tempdir().unwrap();
    let wb = Workbench::open(&dir.path().join("wb.db")).await.unwrap();
    (dir, wb)
}

#[tokio::test]
async fn an_imported_supersede_cycle_is_refused_file_by_file() {
    let (_dir, wb) = fresh().await;
    let report = wb.import_adrs(&fixtures().join("adr-cycle")).await.unwrap();
    assert_eq!(report.created, vec![4], "{report:#?}");
    assert_eq!(report.failed.len(), 3, "{report:#?}");
    for f in &report.failed {
        assert!(
            f.reason.contains("cycle") && f.reason.contains("supersedes"),
            "{f:?}"
        );
    }
    let all = wb.list_full_adrs().await.unwrap();
    assert_eq!(all.len(), 1);
}

#[tokio::test]
async fn links_to_missing_records_are_kept_as_text() {
    let (dir, wb) = fresh().await;
    // Only the second file: its links resolve nowhere.
    let src = dir.path().join("one");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::copy(
        fixtures().join("adr-cycle/0002-second.md"),
        src.join("0002-second.md"),
    )
    .unwrap();
    wb.import_adrs(&src).await.unwrap();
    let adr = wb.get_adr_by_number(2).await.unwrap();
    // ADR-0001 is named by number in the link text, so it stays a link.
    assert!(
        adr.links.contains(&AdrLink {
            kind: LinkKind::Supersedes,
            target: 1
        }),
        "{:?}",
        adr.links
    );
    // Numbered file names stay links by number, even to records not (yet) here.
    let relates = AdrLink {
        kind: LinkKind::RelatesTo,
        target: 99,
    };
    assert!(adr.links.contains(&relates), "{:?}", adr.links);
    // A link by slug that resolves nowhere is kept as text.
    let kept: String = adr.sections.iter().map(|s| s.body.clone()).collect();
    assert!(
        kept.contains("[an-unnumbered-note](an-unnumbered-note.md)"),
        "{:#?}",
        adr.sections
    );
}

#[tokio::test]
async fn editing_links_into_a_cycle_is_refused_and_changes_nothing() {
    let (_dir, wb) = fresh().await;
    let a = wb
        .create_adr("A", plasma_exports::adr_markdown::Template::Madr4Minimal)
        .await
        .unwrap();
    let b = wb
        .create_adr("B", plasma_exports::adr_markdown::Template::Madr4Minimal)
        .await
        .unwrap();
    wb.supersede(a.id, b.id).await.unwrap();
    let a = wb.get_adr(a.id).await.unwrap();
    assert_eq!(a.status, AdrStatus::Superseded);
    // Now claim in A's links that A supersedes B as well.
    let mut draft = a.draft();
    draft.links.push(AdrLink {
        kind: LinkKind::Supersedes,
        target: b.number,
    });
    let err = wb.save_adr(a.id, a.revision, draft).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Cycle, "{err}");
    assert_eq!(wb.get_adr(a.id).await.unwrap().revision, a.revision);
}

#[tokio::test]
async fn a_stale_save_is_a_conflict_for_the_ui() {
    let (_dir, wb) = fresh().await;
    let a = wb
        .create_adr("A", plasma_exports::adr_markdown::Template::Nygard)
        .await
        .unwrap();
    let mut first = a.draft();
    first.context = "mine".into();
    wb.save_adr(a.id, a.revision, first).await.unwrap();
    let mut second = a.draft();
    second.context = "theirs".into();
    let err =
        plasma_workbench::AppError::from(wb.save_adr(a.id, a.revision, second).await.unwrap_err());
    assert_eq!(err.code, ErrorCode::Conflict);
    assert!(err.message.contains("revision"), "{}", err.message);
    assert_eq!(wb.get_adr(a.id).await.unwrap().context, "mine");
}

#[tokio::test]
async fn the_demo_workspace_is_seeded_once_with_its_decisions() {
    let (_dir, wb) = fresh().await;
    let ws = wb.ensure_demo_workspace().await.unwrap();
    assert_eq!(ws.name, "Plasma Engine");
    assert_eq!(ws.repositories.len(), 7);
    let again = wb.ensure_demo_workspace().await.unwrap();
    assert_eq!(again.id, ws.id);
    let adrs = wb.list_full_adrs().await.unwrap();
    assert_eq!(adrs.len(), 6);
    let four = adrs.iter().find(|a| a.number == 4).unwrap();
    assert_eq!(four.status, AdrStatus::Superseded);
    assert_eq!(four.linked(LinkKind::SupersededBy), vec![5]);
    for adr in &adrs {
        assert!(
            !adr.considered_options.is_empty(),
            "ADR {} has alternatives",
            adr.number
        );
        assert!(
            !adr.consequences.is_empty(),
            "ADR {} has consequences",
            adr.number
        );
        for repo in &adr.repositories {
            assert!(ws.repositories.iter().any(|r| &r.name == repo), "{repo}");
        }
    }
}

#[tokio::test]
async fn the_demo_comes_on_first_run_even_after_the_cli_made_an_empty_default() {
    let (_dir, wb) = fresh().await;
    // `plasma adr list` on a fresh database leaves an empty "Default" behind.
    let default = wb.current_workspace().await.unwrap();
    assert_eq!(default.name, "Default");
    let demo = wb.ensure_demo_workspace().await.unwrap();
    assert_eq!(demo.name, "Plasma Engine");
    assert_eq!(wb.current_workspace().await.unwrap().id, demo.id);
    assert_eq!(wb.list_workspaces().await.unwrap().len(), 2);

    // Renamed by its user, the demo is not seeded a second time.
    let edit = plasma_workbench::WorkspaceEdit {
        name: Some("Engine program".into()),
        ..Default::default()
    };
    wb.update_workspace(&demo.id.to_string(), &edit)
        .await
        .unwrap();
    let again = wb.ensure_demo_workspace().await.unwrap();
    assert_eq!(again.id, demo.id);
    assert_eq!(wb.list_workspaces().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_default_workspace_in_use_stays_current_when_the_demo_arrives() {
    let (_dir, wb) = fresh().await;
    let report = wb.import_adrs(&fixtures().join("adr-mixed")).await.unwrap();
    assert!(!report.created.is_empty(), "{report:#?}");
    let mine = wb.current_workspace().await.unwrap();
    let current = wb.ensure_demo_workspace().await.unwrap();
    assert_eq!(current.id, mine.id, "the user's ADRs stay in view");
    let names: Vec<String> = wb
        .list_workspaces()
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.name)
        .collect();
    assert!(names.contains(&"Plasma Engine".to_string()), "{names:?}");
    assert_eq!(names.len(), 2, "{names:?}");
}

#[tokio::test]
async fn the_demo_has_a_threat_model_mid_review_linked_to_a_control() {
    let (_dir, wb) = fresh().await;
    let ws = wb.ensure_demo_workspace().await.unwrap();
    let models = wb.list_threat_models().await.unwrap();
    assert_eq!(models.len(), 1, "{models:?}");
    let model = wb
        .get_threat_model("Gateway and agent")
        .await
        .unwrap()
        .model;
    for repo in &model.repositories {
        assert!(ws.repositories.iter().any(|r| &r.name == repo), "{repo}");
    }
    let diagram = &model.diagrams[0];
    assert!(diagram.boundaries.len() >= 2 && diagram.flows.len() >= 8);
    // Laid out: every element and boundary has a place on the canvas.
    assert!(diagram.elements.iter().all(|e| e.position.is_some()));
    assert!(diagram.boundaries.iter().all(|b| b.position.is_some()));
    // ... and the picture says what the model says: each element and
    // boundary drawn inside the boundary that holds it and outside every
    // other, and no two elements on top of each other.
    use plasma_models::threat::Rect;
    let within = |inner: Rect, outer: Rect| {
        inner.x > outer.x
            && inner.y > outer.y
            && inner.x + inner.width < outer.x + outer.width
            && inner.y + inner.height < outer.y + outer.height
    };
    let apart = |a: Rect, b: Rect| {
        a.x + a.width <= b.x
            || b.x + b.width <= a.x
            || a.y + a.height <= b.y
            || b.y + b.height <= a.y
    };
    let boundary_at = |id| {
        diagram
            .boundaries
            .iter()
            .find(|b| b.id == id)
            .unwrap()
            .position
            .unwrap()
    };
    let items = diagram
        .elements
        .iter()
        .map(|e| (e.name.as_str(), e.position.unwrap(), e.boundary, true))
        .chain(
            diagram
                .boundaries
                .iter()
                .map(|b| (b.name.as_str(), b.position.unwrap(), b.parent, false)),
        );
    for (name, at, holder, _) in items.clone() {
        for b in &diagram.boundaries {
            let drawn_inside = within(at, b.position.unwrap());
            let held = holder.is_some_and(|h| {
                let mut up = Some(h);
                while let Some(id) = up {
                    if id == b.id {
                        return true;
                    }
                    up = diagram
                        .boundaries
                        .iter()
                        .find(|x| x.id == id)
                        .unwrap()
                        .parent;
                }
                false
            });
            assert_eq!(drawn_inside, held, "{name} against {}", b.name);
        }
        if let Some(h) = holder {
            assert!(within(at, boundary_at(h)), "{name}");
        }
    }
    let elements: Vec<_> = items.filter(|i| i.3).collect();
    for (i, a) in elements.iter().enumerate() {
        for b in &elements[i + 1..] {
            assert!(apart(a.1, b.1), "{} overlaps {}", a.0, b.0);
        }
    }
    // The rules ran, including the AI rules the agent calls for.
    assert!(model.threats.len() > 50, "{}", model.threats.len());
    assert!(model
        .threats
        .iter()
        .any(|t| t.title.contains("prompt injection")));
    let decided: Vec<_> = model
        .threats
        .iter()
        .filter(|t| !t.mitigations.is_empty())
        .collect();
    assert_eq!(decided.len(), 4, "every demo decision found its threat");
    let mitigated = model
        .threats
        .iter()
        .filter(|t| matches!(t.status, plasma_models::threat::ThreatStatus::Mitigated))
        .count();
    assert_eq!(mitigated, 2);
    let privileged = decided
        .iter()
        .find(|t| t.title.contains("high privileges"))
        .unwrap();
    let links = wb
        .threat_control_links("Gateway and agent", &privileged.id.to_string())
        .await
        .unwrap();
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(links[0].control, "plasma-sdlc:SDLC-07");
    assert_eq!(links[0].repository, "plasma-engine-agent");
    assert_eq!(links[0].mitigation, privileged.mitigations[0].title);

    // A review already held: ended, with its rulings in the model and the
    // minutes. Rejected threats are not applicable with the reason; the
    // threat the team added is on the model.
    let sessions = wb.list_threat_sessions("Gateway and agent").await.unwrap();
    assert_eq!(sessions.len(), 1);
    let held = &sessions[0].session;
    assert_eq!(held.state, plasma_models::threat::SessionState::Ended);
    assert!(sessions[0].started_at < chrono::Utc::now() - chrono::Duration::days(1));
    assert_eq!(held.participants.len(), 3);
    use plasma_models::threat::SessionEvent as E;
    let count = |f: fn(&E) -> bool| held.log.iter().filter(|e| f(&e.event)).count();
    assert_eq!(count(|e| matches!(e, E::Confirmed { .. })), 8);
    assert_eq!(count(|e| matches!(e, E::Rejected { .. })), 3);
    assert_eq!(count(|e| matches!(e, E::Added { .. })), 1);
    assert_eq!(count(|e| matches!(e, E::Paused)), 1);
    assert_eq!(count(|e| matches!(e, E::Resumed)), 1);
    let times: Vec<_> = held.log.iter().map(|e| e.at).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "in order");
    let rejected: Vec<_> = model
        .threats
        .iter()
        .filter(|t| t.status == plasma_models::threat::ThreatStatus::NotApplicable)
        .collect();
    assert_eq!(rejected.len(), 3);
    assert!(rejected
        .iter()
        .all(|t| t.notes.contains("Rejected in a threat session")));
    assert!(model
        .threats
        .iter()
        .any(|t| t.title.contains("web search results") && t.rule_id.is_none()));
    let minutes = wb.session_minutes(held.id).await.unwrap();
    assert!(
        minutes.contains("The gateway renders no pages"),
        "{minutes}"
    );
    assert!(minutes.contains("Security lead"), "{minutes}");
}

#[tokio::test]
async fn saving_diagrams_alone_keeps_the_rest_and_refuses_a_stale_revision() {
    let (_dir, wb) = fresh().await;
    wb.ensure_demo_workspace().await.unwrap();
    let stored = wb.get_threat_model("Gateway and agent").await.unwrap();
    let mut diagrams = stored.model.diagrams.clone();
    diagrams[0].elements[0].name = "Renamed on the canvas".into();
    let revision = wb
        .save_threat_diagrams(stored.model.id, stored.revision, diagrams.clone())
        .await
        .unwrap();
    assert_eq!(revision, stored.revision + 1);
    let after = wb.get_threat_model("Gateway and agent").await.unwrap();
    assert_eq!(after.revision, revision);
    assert_eq!(after.model.diagrams, diagrams);
    assert_eq!(
        after.model.threats, stored.model.threats,
        "threats untouched"
    );
    assert_eq!(after.model.description, stored.model.description);

    // The autosave of a second window, still at the old revision.
    let err = plasma_workbench::AppError::from(
        wb.save_threat_diagrams(
            stored.model.id,
            stored.revision,
            stored.model.diagrams.clone(),
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(err.code, ErrorCode::Conflict);
    let kept = wb.get_threat_model("Gateway and agent").await.unwrap();
    assert_eq!(kept.revision, revision, "nothing written");
    assert_eq!(kept.model.diagrams, diagrams);
}

#[tokio::test]
async fn the_apps_new_slo_is_made_like_the_clis_and_validated() {
    use plasma_models::slo::{RatioCounter, Sli, WindowUnit};
    use plasma_workbench::NewSlo;
    let (_dir, wb) = fresh().await;
    let ratio = Sli::Ratio {
        counter: RatioCounter::Good,
        numerator_query: "sum(rate(ok[5m]))".into(),
        total_query: "sum(rate(all[5m]))".into(),
        source: "prometheus".into(),
    };
    let new = NewSlo {
        service: " checkout ".into(),
        name: "availability".into(),
        display_name: String::new(),
        description: "  Checkout answers.  ".into(),
        sli: ratio.clone(),
        objective: 99.9,
        window: "4w".into(),
        calendar: false,
        expected_events: Some(1_000_000),
    };
    let row = wb.create_slo(new.clone()).await.unwrap();
    assert_eq!(row.revision, 1);
    assert_eq!(row.slo.handle(), "checkout/availability");
    assert_eq!(row.slo.description, "Checkout answers.");
    assert_eq!(row.slo.window.length.count, 4);
    assert_eq!(row.slo.window.length.unit, WindowUnit::Week);
    assert!(row.slo.window.rolling);
    assert!(
        !row.slo.policy.is_empty(),
        "the default policy, as `slo add` gives"
    );
    let ws = wb.current_workspace().await.unwrap();
    assert_eq!(row.slo.workspace_id, ws.id);
    let events = row.budget.budget_events.unwrap();
    assert!((events - 1_000.0).abs() < 1e-6, "{events}");

    // The same handle twice, a bad window, an objective of 100: refused as `invalid`.
    let err = plasma_workbench::AppError::from(wb.create_slo(new.clone()).await.unwrap_err());
    assert_eq!(err.code, ErrorCode::Invalid);
    assert!(err.message.contains("already exists"), "{}", err.message);
    let err = plasma_workbench::AppError::from(
        wb.create_slo(NewSlo {
            name: "latency".into(),
            window: "30x".into(),
            ..new.clone()
        })
        .await
        .unwrap_err(),
    );
    assert_eq!(err.code, ErrorCode::Invalid);
    assert!(err.message.contains("30x"), "{}", err.message);
    let err = plasma_workbench::AppError::from(
        wb.create_slo(NewSlo {
            name: "latency".into(),
            objective: 100.0,
            ..new.clone()
        })
        .await
        .unwrap_err(),
    );
    assert_eq!(err.code, ErrorCode::Invalid);
    assert!(err.message.contains("objective"), "{}", err.message);

    // A calendar window, then delete: the list is empty again.
    let cal = wb
        .create_slo(NewSlo {
            name: "monthly".into(),
            window: "1M".into(),
            calendar: true,
            ..new
        })
        .await
        .unwrap();
    assert!(!cal.slo.window.rolling);
    assert_eq!(cal.slo.window.time_zone.as_deref(), Some("UTC"));
    assert_eq!(wb.slo_history("checkout/monthly").await.unwrap().len(), 1);
    wb.remove_slo("checkout/availability").await.unwrap();
    wb.remove_slo("checkout/monthly").await.unwrap();
    assert!(wb.list_slos().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_file_that_is_not_utf8_is_refused_with_where_and_nothing_imported() {
    let (dir, wb) = fresh().await;
    wb.ensure_demo_workspace().await.unwrap();
    // "Caf\xe9" as Windows-1252 writes it, on the second line.
    let path = dir.path().join("latin1.json");
    std::fs::write(&path, b"{\n  \"title\": \"Caf\xe9\"\n}\n").unwrap();
    let models = wb.list_threat_models().await.unwrap().len();
    let slos = wb.list_slos().await.unwrap().len();
    let errors = [
        wb.import_threat_model(&path, None).await.unwrap_err(),
        wb.import_slo_file(&path).await.unwrap_err(),
        wb.import_compliance_catalog(&path, None).await.unwrap_err(),
    ];
    for e in errors {
        let e = plasma_workbench::AppError::from(e);
        assert_eq!(e.code, ErrorCode::Invalid);
        assert!(
            e.message
                .ends_with("line 2: the file is not UTF-8 text (byte 17 is 0xE9); save it as UTF-8 and import it again"),
            "{}",
            e.message
        );
    }
    assert_eq!(wb.list_threat_models().await.unwrap().len(), models);
    assert_eq!(wb.list_slos().await.unwrap().len(), slos);
}

#[tokio::test]
async fn a_utf16_threat_modeling_tool_file_imports_as_its_utf8_twin() {
    let (dir, wb) = fresh().await;
    wb.ensure_demo_workspace().await.unwrap();
    let utf8 = include_str!("../fixtures/threats/small.tm7");
    // What the file holds, as the summary counts it and the description
    // keeps it (names, notes, stencil attributes).
    let counts = |r: &plasma_workbench::ThreatImportReport| {
        let m = &r.model;
        let what = (m.elements, m.flows, m.threats, m.unmitigated);
        (m.name.clone(), m.description.clone(), what)
    };
    let path = dir.path().join("small.tm7");
    std::fs::write(&path, utf8).unwrap();
    let expected = counts(&wb.import_threat_model(&path, None).await.unwrap());
    // As Windows writes UTF-16: little endian with a byte order mark, and
    // big endian with an XML declaration naming the encoding.
    let declared = format!("<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n{utf8}");
    let mut le = vec![0xFF, 0xFE];
    le.extend(utf8.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xFE, 0xFF];
    be.extend(declared.encode_utf16().flat_map(u16::to_be_bytes));
    for (name, bytes) in [("le.tm7", le), ("be.tm7", be)] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let report = wb.import_threat_model(&path, None).await.unwrap();
        assert_eq!(counts(&report), expected, "{name}");
    }
}

fn repo(name: &str, description: &str) -> plasma_models::Repository {
    plasma_models::Repository {
        name: name.into(),
        description: description.into(),
    }
}

fn repo_names(ws: &plasma_models::Workspace) -> Vec<&str> {
    ws.repositories.iter().map(|r| r.name.as_str()).collect()
}

#[tokio::test]
async fn a_workspace_edit_renames_adds_and_removes_in_one_change() {
    use plasma_workbench::WorkspaceEdit;
    let (_dir, wb) = fresh().await;
    let names = ["payments-api", "payments-web", "legacy"].map(String::from);
    let ws = wb.create_workspace("Payments", &names).await.unwrap();
    let other = wb.create_workspace("Ledger", &[]).await.unwrap();

    let edit = WorkspaceEdit {
        name: Some("  Card payments ".into()),
        description: Some("Cards and wallets.".into()),
        add_repositories: vec![repo("payments-worker", "Queue consumers")],
        remove_repositories: vec!["legacy".into()],
    };
    // By name, ASCII case ignored; the current workspace stays current.
    let updated = wb.update_workspace("payments", &edit).await.unwrap();
    assert_eq!(updated.id, ws.id);
    assert_eq!(updated.name, "Card payments");
    assert_eq!(updated.description, "Cards and wallets.");
    assert_eq!(
        repo_names(&updated),
        ["payments-api", "payments-web", "payments-worker"]
    );
    assert_eq!(updated.repositories[2].description, "Queue consumers");
    assert_eq!(
        wb.find_workspace(&ws.id.to_string()).await.unwrap(),
        updated
    );
    assert_eq!(wb.current_workspace().await.unwrap().id, other.id);

    // A change of case only is a rename, not a clash with itself.
    let recased = WorkspaceEdit {
        name: Some("CARD payments".into()),
        ..WorkspaceEdit::default()
    };
    let recased = wb
        .update_workspace(&ws.id.to_string(), &recased)
        .await
        .unwrap();
    assert_eq!(recased.name, "CARD payments");
    assert_eq!(recased.repositories, updated.repositories);
}

#[tokio::test]
async fn removing_a_referenced_repository_is_refused_saying_what_references_it() {
    use plasma_workbench::WorkspaceEdit;
    let (_dir, wb) = fresh().await;
    let demo = wb.ensure_demo_workspace().await.unwrap();
    // As stored (the time to the microsecond).
    let before = wb.find_workspace(&demo.id.to_string()).await.unwrap();
    wb.sync_link("acme/Plasma-Engine-Gateway", None, None, None)
        .await
        .unwrap();
    let edit = WorkspaceEdit {
        name: Some("Renamed".into()),
        description: Some("changed".into()),
        add_repositories: vec![repo("plasma-engine-docs", "")],
        remove_repositories: vec!["plasma-engine-gateway".into()],
    };
    let err = plasma_workbench::AppError::from(
        wb.update_workspace("Plasma Engine", &edit)
            .await
            .unwrap_err(),
    );
    assert_eq!(err.code, ErrorCode::Invalid);
    for part in [
        "repository \"plasma-engine-gateway\" cannot be removed",
        " ADRs (ADR-0",
        " assessed compliance cells (",
        "1 threat model (\"Gateway and agent\")",
        " roadmap initiatives (",
        "1 GitHub sync link (acme/Plasma-Engine-Gateway)",
        "remove it from those records first (a GitHub sync link goes with `plasma sync unlink`",
    ] {
        assert!(err.message.contains(part), "{part:?} in {}", err.message);
    }
    // Nothing of the edit was applied: not the name, not the added repository.
    assert_eq!(
        wb.find_workspace(&before.id.to_string()).await.unwrap(),
        before
    );

    // A repository nothing names goes; once an ADR no longer names one, it goes too.
    let ws = wb
        .create_workspace("Small", &["api".into(), "web".into()])
        .await
        .unwrap();
    let adr = wb
        .create_adr(
            "Use one API",
            plasma_exports::adr_markdown::Template::Nygard,
        )
        .await
        .unwrap();
    let mut draft = adr.draft();
    draft.repositories = vec!["api".into()];
    let adr = wb.save_adr(adr.id, adr.revision, draft).await.unwrap();
    let remove_api = WorkspaceEdit {
        remove_repositories: vec!["api".into()],
        ..WorkspaceEdit::default()
    };
    let err = wb.update_workspace("Small", &remove_api).await.unwrap_err();
    assert!(err.to_string().contains("1 ADR (ADR-0001)"), "{err}");
    let mut draft = adr.draft();
    draft.repositories.clear();
    wb.save_adr(adr.id, adr.revision, draft).await.unwrap();
    let after = wb.update_workspace("Small", &remove_api).await.unwrap();
    assert_eq!(repo_names(&after), ["web"]);
    assert_eq!(wb.find_workspace("small").await.unwrap(), after);
    assert_eq!(after.id, ws.id);
}

#[tokio::test]
async fn invalid_duplicate_and_taken_names_are_refused_and_change_nothing() {
    use plasma_workbench::WorkspaceEdit;
    let (_dir, wb) = fresh().await;
    let ws = wb
        .create_workspace("Payments", &["payments-api".into()])
        .await
        .unwrap();
    let ws = wb.find_workspace(&ws.id.to_string()).await.unwrap();
    wb.create_workspace("Ledger", &[]).await.unwrap();
    let add = |names: &[&str]| WorkspaceEdit {
        add_repositories: names.iter().map(|n| repo(n, "")).collect(),
        ..WorkspaceEdit::default()
    };
    let cases = [
        (add(&["bad name"]), "is not a valid repository name"),
        (add(&[".."]), "is not a valid repository name"),
        (
            add(&["Payments-API"]),
            "already has a repository \"payments-api\"",
        ),
        (add(&["web", "WEB"]), "\"WEB\" is listed twice"),
        (
            WorkspaceEdit {
                remove_repositories: vec!["nope".into()],
                ..WorkspaceEdit::default()
            },
            "has no repository \"nope\" (it has: payments-api)",
        ),
        (
            WorkspaceEdit {
                name: Some("LEDGER".into()),
                ..WorkspaceEdit::default()
            },
            "a workspace named \"LEDGER\" already exists",
        ),
        (
            WorkspaceEdit {
                name: Some("   ".into()),
                ..WorkspaceEdit::default()
            },
            "a workspace needs a name",
        ),
    ];
    for (edit, want) in cases {
        let err = plasma_workbench::AppError::from(
            wb.update_workspace("Payments", &edit).await.unwrap_err(),
        );
        assert_eq!(err.code, ErrorCode::Invalid, "{edit:?}");
        assert!(err.message.contains(want), "{want:?} in {}", err.message);
        assert_eq!(wb.find_workspace("Payments").await.unwrap(), ws);
    }
    let err = plasma_workbench::AppError::from(
        wb.update_workspace("Nowhere", &add(&["x"]))
            .await
            .unwrap_err(),
    );
    assert_eq!(err.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn two_files_with_one_number_both_import_and_keep_their_numbers_on_reimport() {
    let (dir, wb) = fresh().await;
    let src = dir.path().join("adr");
    std::fs::create_dir_all(&src).unwrap();
    let write = |name: &str, text: &str| std::fs::write(src.join(name), text).unwrap();
    write(
        "0006-use-postgres.md",
        "# 6. Use Postgres\n\nDate: 2024-01-02\n\n## Status\n\nAccepted\n\n## Context\n\nA.\n",
    );
    write(
        "0006-use-kafka.md",
        "# 6. Use Kafka\n\nDate: 2024-01-03\n\n## Status\n\nAccepted\n\n## Context\n\nB.\n",
    );
    write(
        "0007-drop-kafka.md",
        "# 7. Drop Kafka\n\nDate: 2024-02-01\n\n## Status\n\nAccepted\n\nSupersedes [6. Use Kafka](0006-use-kafka.md)\n\n## Context\n\nC.\n",
    );
    let report = wb.import_adrs(&src).await.unwrap();
    assert!(report.failed.is_empty(), "{report:#?}");
    let mut created = report.created.clone();
    created.sort();
    assert_eq!(created, vec![6, 7, 8], "{report:#?}");
    // File-name order: 0006-use-kafka.md sorts first and keeps 6.
    assert_eq!(report.renumbered.len(), 1, "{report:#?}");
    let notice = &report.renumbered[0];
    assert_eq!(notice.file, "0006-use-postgres.md");
    assert!(
        notice.reason.contains("0006-use-kafka.md") && notice.reason.contains("ADR-0008"),
        "{}",
        notice.reason
    );
    let all = wb.list_full_adrs().await.unwrap();
    let title = |n: u32| all.iter().find(|a| a.number == n).unwrap().title.clone();
    assert_eq!(title(6), "Use Kafka");
    assert_eq!(title(8), "Use Postgres");
    // The link written as a file name reaches the file's record.
    let seven = all.iter().find(|a| a.number == 7).unwrap();
    assert_eq!(seven.linked(LinkKind::Supersedes), vec![6]);

    // Again: the same numbers, nothing new.
    let again = wb.import_adrs(&src).await.unwrap();
    assert!(again.created.is_empty(), "{again:#?}");
    let mut unchanged = again.unchanged.clone();
    unchanged.sort();
    assert_eq!(unchanged, vec![6, 7, 8], "{again:#?}");
    assert!(
        again.renumbered[0].reason.contains("ADR-0008"),
        "{again:#?}"
    );
    assert_eq!(wb.list_full_adrs().await.unwrap().len(), 3);
}

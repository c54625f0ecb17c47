//! `plasma roadmap ...` and `plasma slo ...` as separate processes on real
//! SQLite files.

use crate::support::{fixtures, plasma};

fn keys(list: &serde_json::Value) -> Vec<String> {
    list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["initiative"]["key"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn initiatives_dependencies_gates_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plasma.db");
    plasma(
        &db,
        &[
            "roadmap",
            "add",
            "Deploy to staging",
            "--key",
            "deploy",
            "--estimate",
            "3",
            "--architecture-change",
            "--adr",
            "1",
            "--repo",
            "plasma-engine-infra",
        ],
    )
    .ok();
    plasma(
        &db,
        &[
            "roadmap",
            "add",
            "Build pipeline",
            "--estimate",
            "5",
            "--quarter",
            "2026-Q1",
            "--owner",
            "Platform",
            "--milestone",
            "Images signed@2026-01-09",
        ],
    )
    .ok();
    let run = plasma(
        &db,
        &["roadmap", "depend", "deploy", "--on", "build-pipeline"],
    )
    .ok();
    assert!(
        run.stdout.contains("deploy now depends on build-pipeline"),
        "{}",
        run.stdout
    );

    let list = plasma(&db, &["roadmap", "list", "--json"]).ok().json();
    assert_eq!(
        keys(&list),
        ["build-pipeline", "deploy"],
        "dependency order"
    );
    assert_eq!(list["duration"], 8);
    assert_eq!(
        list["critical_path"],
        serde_json::json!(["build-pipeline", "deploy"])
    );
    assert_eq!(list["rows"][1]["start"], "2026-01-06");
    assert_eq!(list["rows"][1]["schedule"]["earliest_start"], 5);

    // A cycle is refused with its path and changes nothing.
    let run = plasma(
        &db,
        &["roadmap", "depend", "build-pipeline", "--on", "deploy"],
    );
    assert_ne!(run.code, 0);
    assert!(
        run.stderr
            .contains("cycle: deploy → build-pipeline → deploy"),
        "{}",
        run.stderr
    );
    let again = plasma(&db, &["roadmap", "list", "--json"]).ok().json();
    assert_eq!(
        again["rows"][0]["initiative"]["depends_on"],
        serde_json::json!([])
    );

    // The gate: ADR 1 does not exist, then is only proposed.
    let check = plasma(&db, &["roadmap", "check"]);
    assert_eq!(check.code, 1);
    assert!(
        check
            .stdout
            .contains("deploy: needs accepted ADR: ADR 1 does not exist"),
        "{}",
        check.stdout
    );
    plasma(&db, &["adr", "new", "--title", "Deploy with Helm"]).ok();
    let check = plasma(&db, &["roadmap", "check", "--json"]);
    assert_eq!(check.code, 1);
    let json = check.json();
    assert_eq!(
        json["unmet"][0]["gates"][0]["lacking"],
        "ADR 1 is proposed, not accepted"
    );
    assert_eq!(
        json["unmet"][0]["gates"][0]["links"][0]["title"],
        "Deploy with Helm"
    );
    plasma(
        &db,
        &[
            "roadmap",
            "edit",
            "deploy",
            "--architecture-change",
            "false",
        ],
    )
    .ok();
    let check = plasma(&db, &["roadmap", "check"]).ok();
    assert!(check.stdout.contains("No cycle; every gate is met."));
    let history = plasma(&db, &["roadmap", "history", "deploy"]).ok();
    assert!(history.stdout.contains("revision 3"), "{}", history.stdout);
    // Times say their zone: a CI log is read far from where it ran.
    assert!(history.stdout.contains(" UTC "), "{}", history.stdout);
    assert!(
        history.stdout.contains("architecture_change"),
        "{}",
        history.stdout
    );

    // Exports.
    let md = dir.path().join("out/roadmap.md");
    plasma(
        &db,
        &[
            "roadmap",
            "export",
            "--format",
            "md",
            "--out",
            md.to_str().unwrap(),
        ],
    )
    .ok();
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(text.contains("```mermaid\ngantt"));
    assert!(text.contains("- [ ] Images signed (due 2026-01-09)"));
    let mmd = dir.path().join("out/roadmap.mmd");
    plasma(
        &db,
        &[
            "roadmap",
            "export",
            "--format",
            "mermaid",
            "--out",
            mmd.to_str().unwrap(),
        ],
    )
    .ok();
    let gantt = std::fs::read_to_string(&mmd).unwrap();
    assert!(
        gantt.contains(":crit, i_deploy, after i_build_pipeline, 3d"),
        "{gantt}"
    );
    let csv = dir.path().join("out/roadmap.csv");
    plasma(
        &db,
        &[
            "roadmap",
            "export",
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap(),
            "--start",
            "2026-02-02",
        ],
    )
    .ok();
    let table = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[2].starts_with("deploy,Deploy to staging,proposed,,plasma-engine-infra,,2026-02-07,2026-02-10,3,build-pipeline,5,5,0,true"), "{}", lines[2]);

    // Removal is refused while something depends on it.
    let run = plasma(&db, &["roadmap", "remove", "build-pipeline"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("deploy depends on it"),
        "{}",
        run.stderr
    );
    let bad = plasma(&db, &["roadmap", "add", "X", "--quarter", "someday"]);
    assert_ne!(bad.code, 0);
    assert!(bad.stderr.contains("target_quarter"), "{}", bad.stderr);
}

#[test]
fn slos_budget_export_and_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plasma.db");
    let run = plasma(
        &db,
        &[
            "slo",
            "add",
            "--service",
            "plasma-engine-gateway",
            "--name",
            "availability",
            "--objective",
            "99.9",
            "--bad-query",
            "sum(rate(http_requests_total{code=~\"5..\"}[{{.window}}]))",
            "--total-query",
            "sum(rate(http_requests_total[{{.window}}]))",
            "--expected-events",
            "1000000",
        ],
    )
    .ok();
    assert!(
        run.stdout.contains("= 43.2 minutes, 1000 events"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("14.4x over 1h and 5m: error ratio > 0.0144"),
        "{}",
        run.stdout
    );
    let budget = plasma(
        &db,
        &[
            "slo",
            "budget",
            "--objective",
            "99.95",
            "--window",
            "28d",
            "--json",
        ],
    )
    .ok()
    .json();
    assert_eq!(budget["budget_minutes"], 20.16);
    let bad = plasma(&db, &["slo", "budget", "--objective", "100"]);
    assert_ne!(bad.code, 0);

    // An error-ratio SLI (a recording rule giving the ratio itself).
    plasma(
        &db,
        &[
            "slo",
            "add",
            "--service",
            "plasma-engine-research",
            "--name",
            "pipeline-errors",
            "--objective",
            "99",
            "--error-ratio-query",
            "slo:pipeline_errors:ratio_rate{{.window}}",
        ],
    )
    .ok();
    let both = plasma(
        &db,
        &[
            "slo",
            "add",
            "--service",
            "x",
            "--name",
            "y",
            "--objective",
            "99",
            "--error-ratio-query",
            "q",
            "--total-query",
            "t",
        ],
    );
    assert_ne!(both.code, 0);
    assert!(
        both.stderr.contains("--error-ratio-query"),
        "{}",
        both.stderr
    );

    // A Sloth plugin SLI with its options; an option without `=` is refused
    // and adds nothing.
    let sloth = |options: &[&str]| {
        let mut args = vec![
            "slo",
            "add",
            "--service",
            "plasma-engine-infra",
            "--name",
            "dns",
            "--objective",
            "99.9",
            "--plugin",
            "sloth-common/coredns/availability",
        ];
        for o in options {
            args.extend(["--plugin-option", o]);
        }
        plasma(&db, &args)
    };
    let refused = sloth(&["job"]);
    assert_ne!(refused.code, 0);
    assert!(refused.stderr.contains("KEY=VALUE"), "{}", refused.stderr);
    sloth(&["filter=job=\"coredns\""]).ok();
    let listed = plasma(&db, &["slo", "list", "--json"]).ok().json();
    let dns: Vec<_> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["slo"]["name"] == "dns")
        .collect();
    assert_eq!(dns.len(), 1, "{listed:#}");
    let sli = &dns[0]["slo"]["sli"];
    assert_eq!(sli["kind"], "plugin", "{sli:#}");
    assert_eq!(sli["id"], "sloth-common/coredns/availability");
    assert_eq!(sli["options"]["filter"], "job=\"coredns\"");

    let set = plasma(&db, &["slo", "set", "availability", "--objective", "99.5"]).ok();
    assert!(set.stdout.contains("revision 2"), "{}", set.stdout);
    let history = plasma(
        &db,
        &["slo", "history", "plasma-engine-gateway/availability"],
    )
    .ok();
    assert!(history.stdout.contains("objective"), "{}", history.stdout);

    let out = dir.path().join("slo");
    plasma(
        &db,
        &[
            "slo",
            "export",
            "--format",
            "openslo",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .ok();
    plasma(
        &db,
        &[
            "slo",
            "export",
            "--format",
            "sloth",
            "--out",
            out.to_str().unwrap(),
        ],
    )
    .ok();
    let other = dir.path().join("other.db");
    for file in [
        "plasma-engine-gateway.openslo.yaml",
        "plasma-engine-gateway.sloth.yaml",
    ] {
        let path = out.join(file);
        let report = plasma(&other, &["slo", "import", path.to_str().unwrap(), "--json"])
            .ok()
            .json();
        assert_eq!(
            report["items"][0][0], "plasma-engine-gateway/availability",
            "{file}"
        );
    }
    let raw = out.join("plasma-engine-research.sloth.yaml");
    let text = std::fs::read_to_string(&raw).unwrap();
    assert!(text.contains("error_ratio_query"), "{text}");
    let report = plasma(&other, &["slo", "import", raw.to_str().unwrap(), "--json"])
        .ok()
        .json();
    assert_eq!(
        report["items"][0][0],
        "plasma-engine-research/pipeline-errors"
    );
    let list = plasma(&other, &["slo", "list", "--json"]).ok().json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let sli = &list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["slo"]["name"] == "pipeline-errors")
        .unwrap()["slo"]["sli"];
    assert_eq!(sli["kind"], "error_ratio");
    assert_eq!(sli["query"], "slo:pipeline_errors:ratio_rate{{.window}}");
    let list: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["slo"]["name"] == "availability")
        .cloned()
        .collect();
    assert_eq!(list[0]["slo"]["objective"], 99.5);
    assert_eq!(list[0]["budget"]["budget_minutes"], 216.0);

    let broken = dir.path().join("broken.yaml");
    std::fs::write(
        &broken,
        "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: x\nspec: {}\n",
    )
    .unwrap();
    let run = plasma(&other, &["slo", "import", broken.to_str().unwrap()]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("/0/spec"), "{}", run.stderr);
    assert_eq!(
        plasma(&other, &["slo", "list", "--json"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn the_demo_has_a_roadmap_slos_and_dora_targets() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plasma.db");
    plasma(&db, &["demo"]).ok();
    let list = plasma(&db, &["roadmap", "list", "--json"]).ok().json();
    assert_eq!(
        keys(&list),
        [
            "ci-workflows",
            "local-dev",
            "slos-and-telemetry",
            "secrets-and-policies",
            "runbooks-and-pager"
        ]
    );
    assert_eq!(
        list["critical_path"],
        serde_json::json!(["ci-workflows", "slos-and-telemetry", "runbooks-and-pager"])
    );
    let check = plasma(&db, &["roadmap", "check"]);
    assert_eq!(check.code, 1);
    assert!(check
        .stdout
        .contains("secrets-and-policies: needs accepted ADR: ADR 6 is proposed, not accepted"));
    assert!(
        !check.stdout.contains("ci-workflows"),
        "ADR 3 is accepted: {}",
        check.stdout
    );
    let slos = plasma(&db, &["slo", "list", "--json"]).ok().json();
    let services: std::collections::BTreeSet<&str> = slos
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["slo"]["service"].as_str().unwrap())
        .collect();
    assert_eq!(
        services.into_iter().collect::<Vec<_>>(),
        [
            "plasma-engine-content",
            "plasma-engine-gateway",
            "plasma-engine-research"
        ]
    );
    let dora = plasma(&db, &["slo", "dora", "--json"]).ok().json();
    assert_eq!(dora["targets"].as_array().unwrap().len(), 7);
    let text = plasma(&db, &["slo", "dora"]).ok().stdout;
    assert!(
        text.contains("Change failure rate      all         below 15%"),
        "{text}"
    );
}

#[test]
fn the_regulated_data_gate_follows_the_compliance_matrix() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plasma.db");
    plasma(
        &db,
        &[
            "workspace",
            "create",
            "Shop",
            "--repo",
            "api",
            "--repo",
            "web",
        ],
    )
    .ok();
    plasma(
        &db,
        &[
            "roadmap",
            "add",
            "Customer accounts",
            "--key",
            "accounts",
            "--regulated-data",
            "--control",
            "SOC2-CC6.1",
            "--repo",
            "api",
            "--repo",
            "web",
        ],
    )
    .ok();

    let check = plasma(&db, &["roadmap", "check", "--json"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert_eq!(
        check.json()["unmet"][0]["gates"][0]["lacking"],
        "control SOC2-CC6.1 is not implemented: not assessed in api, not assessed in web"
    );

    // Implemented in one repository, only partial in the other: still unmet.
    for (repo, status) in [("api", "implemented"), ("web", "partial")] {
        plasma(
            &db,
            &[
                "compliance",
                "set",
                "soc2:CC6.1",
                "--repo",
                repo,
                "--status",
                status,
            ],
        )
        .ok();
    }
    let check = plasma(&db, &["roadmap", "check", "--json"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    let json = check.json();
    let gate = &json["unmet"][0]["gates"][0];
    assert_eq!(
        gate["lacking"],
        "control SOC2-CC6.1 is not implemented: partial in web"
    );
    assert!(
        gate["links"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("soc2:CC6.1 "),
        "{gate}"
    );

    // An alternative (compensating) implementation counts: the gate is met.
    plasma(
        &db,
        &[
            "compliance",
            "set",
            "soc2:CC6.1",
            "--repo",
            "web",
            "--status",
            "alternative",
        ],
    )
    .ok();
    let check = plasma(&db, &["roadmap", "check"]).ok();
    assert!(
        check.stdout.contains("No cycle; every gate is met."),
        "{}",
        check.stdout
    );
    let list = plasma(&db, &["roadmap", "list", "--json"]).ok().json();
    assert_eq!(list["rows"][0]["readiness"]["gates"][0]["met"], true);
}

/// The "new data flow" gate is met only once a threat session on the named
/// model has ended: a started or paused session is not a review.
#[test]
fn the_data_flow_gate_waits_for_an_ended_threat_session() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plasma.db");
    let file = fixtures().join("threats").join("small-td.json");
    plasma(&db, &["threats", "import", file.to_str().unwrap()]).ok();
    plasma(
        &db,
        &[
            "roadmap",
            "add",
            "Checkout flow",
            "--key",
            "checkout",
            "--new-data-flow",
            "--threat-model",
            "Small Shop",
        ],
    )
    .ok();
    let gate = |db: &std::path::Path| {
        let check = plasma(db, &["roadmap", "check", "--json"]);
        (check.code, check.json())
    };

    let (code, before) = gate(&db);
    assert_eq!(code, 1, "{before}");
    assert_eq!(before["unmet"][0]["key"], "checkout", "{before}");

    plasma(&db, &["threats", "session", "start", "Small Shop"]).ok();
    let (code, running) = gate(&db);
    assert_eq!(code, 1, "a running session is not a review: {running}");

    plasma(&db, &["threats", "session", "end", "Small Shop"]).ok();
    let (code, after) = gate(&db);
    assert_eq!(code, 0, "{after}");
}

#[test]
fn slo_import_of_a_folder_imports_every_spec_and_reports_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let specs = dir.path().join("slos");
    std::fs::create_dir_all(specs.join("payments")).unwrap();
    std::fs::create_dir_all(specs.join(".git")).unwrap();
    std::fs::write(
        specs.join("checkout.yaml"),
        "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: availability\nspec:\n  service: checkout\n  budgetingMethod: Occurrences\n  timeWindow:\n    - duration: 28d\n      isRolling: true\n  objectives:\n    - target: 0.995\n  indicator:\n    metadata:\n      name: ok\n    spec:\n      ratioMetric:\n        counter: true\n        good:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: sum(rate(http_ok[5m]))\n        total:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: sum(rate(http_all[5m]))\n",
    )
    .unwrap();
    let sloth = "version: prometheus/v1\nservice: payments\nslos:\n  - name: latency\n    objective: 99\n    sli:\n      raw:\n        error_ratio_query: slow_ratio[{{.window}}]\n    alerting:\n      name: PaymentsLatency\n";
    std::fs::write(specs.join("payments").join("sloth.yml"), sloth).unwrap();
    // Beside the specs: a manifest (skipped), a broken spec (failed, the
    // others still import) and a hidden folder (not read).
    std::fs::write(
        specs.join("deploy.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
    )
    .unwrap();
    std::fs::write(
        specs.join("broken.yaml"),
        "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: x\nspec: {}\n",
    )
    .unwrap();
    std::fs::write(
        specs.join(".git").join("old.yml"),
        sloth.replace("payments", "hidden"),
    )
    .unwrap();

    let run = plasma(&db, &["slo", "import", specs.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("broken.yaml: /0/spec"),
        "{}",
        run.stderr
    );
    let report = run.json();
    let files: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["checkout.yaml", "payments/sloth.yml"]);
    assert_eq!(report["skipped"][0]["file"], "deploy.yaml");
    assert_eq!(report["failed"][0]["file"], "broken.yaml");
    let handles = |db: &std::path::Path| -> Vec<String> {
        plasma(db, &["slo", "list", "--json"])
            .ok()
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                format!(
                    "{}/{}",
                    r["slo"]["service"].as_str().unwrap(),
                    r["slo"]["name"].as_str().unwrap()
                )
            })
            .collect()
    };
    let listed = handles(&db);
    assert!(
        listed.contains(&"checkout/availability".to_string()),
        "{listed:?}"
    );
    assert!(
        listed.contains(&"payments/latency".to_string()),
        "{listed:?}"
    );
    assert!(
        !listed
            .iter()
            .any(|h| h.starts_with("hidden/") || h.ends_with("/x")),
        "{listed:?}"
    );

    // Again, the specs alone: nothing changes.
    std::fs::remove_file(specs.join("broken.yaml")).unwrap();
    let again = plasma(&db, &["slo", "import", specs.to_str().unwrap()]).ok();
    assert!(
        again
            .stdout
            .contains("payments/sloth.yml:\n  Unchanged: payments/latency"),
        "{}",
        again.stdout
    );
    assert_eq!(handles(&db), listed);
}

/// An SLO may name an SLI another file of the folder defines, as
/// `oslo validate` resolves references across the files it is given: a
/// repository often keeps its SLIs and DataSources in files of their own.
#[test]
fn slo_import_of_a_folder_resolves_references_across_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let specs = dir.path().join("slos");
    std::fs::create_dir_all(specs.join("slis")).unwrap();
    std::fs::write(
        specs.join("slis").join("http.yaml"),
        "apiVersion: openslo/v1\nkind: DataSource\nmetadata:\n  name: prom-main\nspec:\n  type: Prometheus\n  connectionDetails:\n    url: http://prometheus:9090\n---\napiVersion: openslo/v1\nkind: SLI\nmetadata:\n  name: http-success\nspec:\n  ratioMetric:\n    counter: true\n    good:\n      metricSource:\n        metricSourceRef: prom-main\n        spec:\n          query: sum(rate(http_ok[5m]))\n    total:\n      metricSource:\n        metricSourceRef: prom-main\n        spec:\n          query: sum(rate(http_all[5m]))\n",
    )
    .unwrap();
    let slo = |service: &str, sli: &str| {
        format!("apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: availability\nspec:\n  service: {service}\n  budgetingMethod: Occurrences\n  timeWindow:\n    - duration: 28d\n      isRolling: true\n  objectives:\n    - target: 0.999\n  indicatorRef: {sli}\n")
    };
    std::fs::write(specs.join("checkout.yaml"), slo("checkout", "http-success")).unwrap();
    std::fs::write(specs.join("search.yaml"), slo("search", "no-such-sli")).unwrap();

    let run = plasma(&db, &["slo", "import", specs.to_str().unwrap(), "--json"]);
    assert_eq!(
        run.code, 1,
        "the file naming a missing SLI fails: {}",
        run.stderr
    );
    let report = run.json();
    assert_eq!(report["files"][0]["file"], "checkout.yaml", "{report}");
    assert_eq!(report["files"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["skipped"][0]["file"], "slis/http.yaml", "{report}");
    assert_eq!(
        report["skipped"][0]["reason"],
        "holds no SLO; its DataSource \"prom-main\", SLI \"http-success\" serve the other files' references",
        "{report}"
    );
    assert_eq!(report["failed"][0]["file"], "search.yaml", "{report}");
    let reason = report["failed"][0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("/0/spec/indicatorRef") && reason.contains("no SLI named \"no-such-sli\""),
        "{reason}"
    );

    let listed = plasma(&db, &["slo", "list", "--json"]).ok().json();
    let sli = &listed[0]["slo"]["sli"];
    assert_eq!(listed[0]["slo"]["service"], "checkout", "{listed}");
    let text = sli.to_string();
    assert!(
        text.contains("sum(rate(http_ok[5m]))") && text.contains("sum(rate(http_all[5m]))"),
        "the SLI of the other file: {sli}"
    );
    assert!(
        text.to_lowercase().contains("prometheus"),
        "its DataSource's type: {sli}"
    );

    // Two other files defining one name: which was meant is unknown.
    std::fs::write(
        specs.join("slis").join("copy.yaml"),
        std::fs::read_to_string(specs.join("slis").join("http.yaml")).unwrap(),
    )
    .unwrap();
    std::fs::remove_file(specs.join("search.yaml")).unwrap();
    let other = dir.path().join("q.db");
    let run = plasma(
        &other,
        &["slo", "import", specs.to_str().unwrap(), "--json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let reason = run.json()["failed"][0]["reason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        reason.contains("SLI \"http-success\" is defined in slis/copy.yaml and slis/http.yaml"),
        "{reason}"
    );
}

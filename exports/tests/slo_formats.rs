//! SLO formats: golden files (`tests/golden/slo/`, regenerate with
//! PLASMA_UPDATE_GOLDEN=1), validation of every exported document against
//! JSON Schemas written from the official specifications
//! (`tests/schemas/`, sources cited inside), and round trips through our
//! importers.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use plasma_exports::slo::{detect_slo_format, openslo, sloth, SloFormat};
use plasma_models::slo::{
    AlertRoute, Alerting, RatioCounter, Sli, Slo, SloWindow, ThresholdOp, WindowLength,
};
use serde_json::Value as Json;
use uuid::Uuid;

fn check_golden(name: &str, actual: &str) {
    common::check_golden("slo", name, actual);
}

fn schema(name: &str) -> jsonschema::Validator {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schemas")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("schema file");
    let value: Json = serde_json::from_str(&text).expect("schema JSON");
    jsonschema::validator_for(&value).expect("valid schema")
}

/// Every YAML document of a text, as JSON values.
fn documents(text: &str) -> Vec<Json> {
    serde_yaml_ng::Deserializer::from_str(text)
        .map(|de| {
            let v: serde_yaml_ng::Value = serde::Deserialize::deserialize(de).expect("YAML");
            serde_json::to_value(v).expect("YAML maps to JSON")
        })
        .collect()
}

fn errors(validator: &jsonschema::Validator, doc: &Json) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

const WS: Uuid = Uuid::nil();

fn ratio(counter: RatioCounter, numerator: &str, total: &str) -> Sli {
    Sli::Ratio {
        counter,
        numerator_query: numerator.into(),
        total_query: total.into(),
        source: "prometheus".into(),
    }
}

fn fixture() -> Vec<Slo> {
    let mut availability = Slo::new(
        WS,
        "plasma-engine-gateway",
        "requests-availability",
        ratio(
            RatioCounter::Bad,
            r#"sum(rate(http_requests_total{job="gateway",code=~"5.."}[{{.window}}]))"#,
            r#"sum(rate(http_requests_total{job="gateway"}[{{.window}}]))"#,
        ),
        99.9,
    );
    availability.display_name = "Gateway availability".into();
    availability.description = "Share of gateway requests answered without a 5xx.".into();
    availability.expected_events = Some(50_000_000);
    availability.alerting = Alerting {
        name: "GatewayAvailability".into(),
        labels: BTreeMap::from([("category".into(), "availability".into())]),
        annotations: BTreeMap::new(),
        page: AlertRoute {
            disabled: false,
            labels: BTreeMap::from([("severity".into(), "page".into())]),
        },
        ticket: AlertRoute {
            disabled: false,
            labels: BTreeMap::from([("severity".into(), "ticket".into())]),
        },
    };
    availability.labels = BTreeMap::from([("owner".into(), "platform".into())]);
    let mut latency = Slo::new(
        WS,
        "plasma-engine-gateway",
        "requests-latency",
        ratio(
            RatioCounter::Good,
            r#"sum(rate(http_request_duration_seconds_bucket{job="gateway",le="0.5"}[{{.window}}]))"#,
            r#"sum(rate(http_request_duration_seconds_count{job="gateway"}[{{.window}}]))"#,
        ),
        99.0,
    );
    latency.alerting.ticket.disabled = true;
    let mut freshness = Slo::new(
        WS,
        "plasma-engine-research",
        "pipeline-freshness",
        Sli::Threshold {
            query: "max(research_pipeline_lag_seconds)".into(),
            op: ThresholdOp::Lt,
            value: 900.0,
            source: "prometheus".into(),
        },
        99.5,
    );
    freshness.window = SloWindow {
        length: WindowLength {
            count: 1,
            unit: plasma_models::slo::WindowUnit::Month,
        },
        rolling: false,
        calendar_start: Some("2026-01-01 00:00:00".into()),
        time_zone: Some("UTC".into()),
    };
    let mut jobs = Slo::new(
        WS,
        "plasma-engine-content",
        "jobs-success",
        ratio(
            RatioCounter::Good,
            "sum(increase(content_jobs_succeeded_total[{{.window}}]))",
            "sum(increase(content_jobs_total[{{.window}}]))",
        ),
        99.5,
    );
    jobs.window = SloWindow::rolling("28d".parse().expect("window"));
    vec![availability, latency, freshness, jobs]
}

#[test]
fn openslo_export_is_golden_and_valid_against_the_v1_schema() {
    let validator = schema("openslo-v1.schema.json");
    let files = openslo::export_all(&fixture(), |s| format!("The {s} service."));
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "plasma-engine-content.openslo.yaml",
            "plasma-engine-gateway.openslo.yaml",
            "plasma-engine-research.openslo.yaml"
        ]
    );
    let mut kinds = BTreeMap::<String, usize>::new();
    for (name, text) in &files {
        check_golden(name, text);
        assert_eq!(detect_slo_format(text), Some(SloFormat::OpenSlo));
        for doc in documents(text) {
            let errs = errors(&validator, &doc);
            assert!(errs.is_empty(), "{name}: {errs:#?}\n{doc:#}");
            *kinds
                .entry(doc["kind"].as_str().unwrap_or("").to_string())
                .or_default() += 1;
        }
    }
    // 4 SLOs; gateway availability 4 policies, latency 2 (tickets off),
    // research 4, content 4; one target per enabled severity.
    assert_eq!(kinds["SLO"], 4);
    assert_eq!(kinds["Service"], 3);
    assert_eq!(kinds["AlertPolicy"], 14);
    assert_eq!(kinds["AlertNotificationTarget"], 7);
}

#[test]
fn openslo_round_trips_through_the_importer() {
    let slos = fixture();
    for (name, text) in openslo::export_all(&slos, |_| String::new()) {
        let back = openslo::import(&text, WS).unwrap_or_else(|e| panic!("{name}: {e}"));
        for b in &back.slos {
            let a = slos
                .iter()
                .find(|s| s.service == b.service && s.name == b.name)
                .expect("same SLO");
            assert_eq!(a.sli, b.sli, "{}", a.handle());
            assert_eq!(a.objective, b.objective);
            assert_eq!(a.window, b.window);
            assert_eq!(a.budgeting_method, b.budgeting_method);
            assert_eq!(a.display_name, b.display_name);
            assert_eq!(a.description, b.description);
        }
        let count = slos.iter().filter(|s| name.starts_with(&s.service)).count();
        assert_eq!(back.slos.len(), count, "{name}");
        // Our own alert policies are the ones regenerated, and it says so.
        assert!(back.notes.iter().any(|n| n.contains("alertPolicies")));
    }
}

#[test]
fn sloth_export_is_golden_valid_and_reads_back() {
    let validator = schema("sloth-prometheus-v1.schema.json");
    let slos = fixture();
    let (files, skipped) = sloth::export_all(&slos);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "plasma-engine-content.sloth.yaml",
            "plasma-engine-gateway.sloth.yaml"
        ]
    );
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].slo, "plasma-engine-research/pipeline-freshness");
    assert!(skipped[0].reason.contains("threshold"));
    for (name, text) in &files {
        check_golden(name, text);
        assert_eq!(detect_slo_format(text), Some(SloFormat::Sloth));
        let docs = documents(text);
        assert_eq!(docs.len(), 1);
        let errs = errors(&validator, &docs[0]);
        assert!(errs.is_empty(), "{name}: {errs:#?}");
        let back = sloth::import(text, WS).expect("reads back");
        for b in &back.slos {
            let a = slos.iter().find(|s| s.name == b.name).expect("same SLO");
            assert_eq!(a.objective, b.objective);
            let Sli::Ratio {
                counter,
                numerator_query,
                total_query,
                ..
            } = &a.sli
            else {
                panic!("ratio expected")
            };
            let expected_error = match counter {
                RatioCounter::Bad => numerator_query.clone(),
                RatioCounter::Good => format!("({total_query}) - ({numerator_query})"),
            };
            assert_eq!(
                b.sli,
                ratio(RatioCounter::Bad, &expected_error, total_query),
                "{}",
                a.handle()
            );
            assert_eq!(a.alerting.page, b.alerting.page);
            assert_eq!(a.alerting.ticket.disabled, b.alerting.ticket.disabled);
        }
    }
    // The 28-day service says which period to generate with.
    let content = &files[0].1;
    assert!(content.contains("--default-slo-period=28d"), "{content}");
}

#[test]
fn names_at_the_length_limit_still_make_valid_documents() {
    let validator = schema("openslo-v1.schema.json");
    let long = "a".repeat(60) + "-xyz";
    let long = &long[..63];
    let mut s = fixture().remove(0);
    s.service = "s".repeat(63);
    s.name = long.to_string();
    for (_, text) in openslo::export_all(&[s], |_| String::new()) {
        let mut names = std::collections::BTreeSet::new();
        for doc in documents(&text) {
            let errs = errors(&validator, &doc);
            assert!(errs.is_empty(), "{errs:#?}");
            let name = doc["metadata"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let kind = doc["kind"].as_str().unwrap_or_default().to_string();
            assert!(names.insert((kind, name.clone())), "duplicate {name}");
        }
    }
}

#[test]
fn the_schemas_refuse_what_the_tools_refuse() {
    let sloth_schema = schema("sloth-prometheus-v1.schema.json");
    let bad_sloth = documents(
        "version: prometheus/v1\nservice: svc\nslos:\n  - name: x\n    objective: 101\n    sli:\n      events:\n        error_query: errors\n        total_query: total[{{.window}}]\n    alerting:\n      name: A\n",
    );
    let errs = errors(&sloth_schema, &bad_sloth[0]);
    assert!(errs.iter().any(|e| e.contains("objective")), "{errs:?}");
    assert!(errs.iter().any(|e| e.contains("error_query")), "{errs:?}");
    let openslo_schema = schema("openslo-v1.schema.json");
    let bad = documents(
        "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: Bad_Name\nspec:\n  service: s\n  indicatorRef: x\n  timeWindow:\n    - duration: 30 days\n      isRolling: true\n  budgetingMethod: Occurrences\n  objectives:\n    - target: 99.9\n",
    );
    let errs = errors(&openslo_schema, &bad[0]);
    assert!(
        errs.iter().any(|e| e.contains("/metadata/name")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|e| e.contains("/timeWindow/0/duration")),
        "{errs:?}"
    );
    assert!(errs.iter().any(|e| e.contains("/objectives/0")), "{errs:?}");
}

/// The real OpenSLO v1 file of the shared corpus passes our schema, so the
/// schema is no stricter than the specification's own examples.
#[test]
fn the_openslo_schema_accepts_the_corpus_v1_file() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/slo");
    let path = root.join("openslo-occurrences-slo.yaml");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is absent", path.display());
        return;
    };
    let validator = schema("openslo-v1.schema.json");
    for doc in documents(&text) {
        let errs = errors(&validator, &doc);
        assert!(errs.is_empty(), "{errs:#?}");
    }
}

#[test]
fn import_errors_say_where() {
    let e = openslo::import("apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: a\nspec:\n  service: s\n  budgetingMethod: Occurrences\n  timeWindow:\n    - duration: 30d\n      isRolling: true\n  objectives:\n    - target: 0.99\n", WS)
        .expect_err("no indicator");
    assert_eq!(e.location, "/0/spec");
    assert!(e.reason.contains("indicator"));
    let e =
        sloth::import("version: prometheus/v2\nservice: s\nslos: []\n", WS).expect_err("version");
    assert_eq!(e.location, "/version");
    let e = openslo::import("apiVersion: openslo/v1\nkind: [", WS).expect_err("syntax");
    assert!(e.location.starts_with("line"), "{e}");
}

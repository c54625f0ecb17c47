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
            annotations: BTreeMap::new(),
        },
        ticket: AlertRoute {
            disabled: false,
            labels: BTreeMap::from([("severity".into(), "ticket".into())]),
            annotations: BTreeMap::new(),
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

// ----------------------------------------------------------- real shapes
// Each fixture below is self-written, in the shape of files the tools and
// their users publish (Sloth's examples, OpenSLO's and oslo's test data).

/// Sloth's multi-file form: several `prometheus/v1` specs separated by
/// `---`, and the same as Kubernetes `PrometheusServiceLevel` objects,
/// whose fields are camelCase (`errorQuery`, `pageAlert`).
#[test]
fn sloth_multi_document_files_and_kubernetes_objects_import_every_service() {
    let multi = "---\nversion: \"prometheus/v1\"\nservice: \"shop\"\nlabels:\n  owner: \"team-a\"\nslos:\n  - name: \"requests-availability\"\n    objective: 99.9\n    sli:\n      events:\n        error_query: sum(rate(req{code=~\"5..\"}[{{.window}}]))\n        total_query: sum(rate(req[{{.window}}]))\n    alerting:\n      name: ShopErrors\n\n---\nversion: \"prometheus/v1\"\nservice: \"cart\"\nslos:\n  - name: \"requests-availability\"\n    objective: 99.99\n    sli:\n      events:\n        error_query: sum(rate(cart{code=~\"5..\"}[{{.window}}]))\n        total_query: sum(rate(cart[{{.window}}]))\n    alerting:\n      name: CartErrors\n";
    assert_eq!(detect_slo_format(multi), Some(SloFormat::Sloth));
    let got = sloth::import(multi, WS).expect("multi-document Sloth file");
    let handles: Vec<String> = got.slos.iter().map(Slo::handle).collect();
    assert_eq!(
        handles,
        ["shop/requests-availability", "cart/requests-availability"]
    );
    assert_eq!(got.slos[0].labels["owner"], "team-a");
    assert!(got.slos[1].labels.is_empty(), "labels stay per document");
    assert_eq!(got.slos[1].objective, 99.99);

    let crd = "apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nmetadata:\n  name: sloth-slo-shop\n  namespace: monitoring\nspec:\n  service: \"shop\"\n  labels:\n    tier: \"2\"\n  slos:\n    - name: \"requests-availability\"\n      objective: 99.5\n      description: \"Requests answered without a 5xx.\"\n      labels:\n        owner: team-b\n      sli:\n        events:\n          errorQuery: sum(rate(req{code=~\"5..\"}[{{.window}}]))\n          totalQuery: sum(rate(req[{{.window}}]))\n      alerting:\n        name: ShopErrors\n        labels:\n          category: availability\n        annotations:\n          summary: High error rate\n        pageAlert:\n          labels:\n            severity: pageteam\n        ticketAlert:\n          disable: true\n";
    assert_eq!(detect_slo_format(crd), Some(SloFormat::Sloth));
    let got = sloth::import(crd, WS).expect("PrometheusServiceLevel");
    let [s] = got.slos.as_slice() else {
        panic!("one SLO: {:?}", got.slos)
    };
    assert_eq!(s.handle(), "shop/requests-availability");
    assert_eq!(s.objective, 99.5);
    assert_eq!(s.description, "Requests answered without a 5xx.");
    assert_eq!(
        s.sli,
        ratio(
            RatioCounter::Bad,
            "sum(rate(req{code=~\"5..\"}[{{.window}}]))",
            "sum(rate(req[{{.window}}]))"
        )
    );
    assert_eq!(s.labels["tier"], "2");
    assert_eq!(s.labels["owner"], "team-b");
    assert_eq!(s.alerting.name, "ShopErrors");
    assert_eq!(s.alerting.annotations["summary"], "High error rate");
    assert_eq!(s.alerting.page.labels["severity"], "pageteam");
    assert!(s.alerting.ticket.disabled);
    // Where the object lived in the cluster has no field here: said.
    assert_eq!(
        got.notes,
        ["/metadata: name sloth-slo-shop, namespace monitoring not kept (Kubernetes placement of the object, not part of an SLO)"],
    );

    // Sloth's object for Google Managed Prometheus has the same spec.
    let managed = crd.replace(
        "kind: PrometheusServiceLevel",
        "kind: ManagedPrometheusServiceLevel",
    );
    let got_managed = sloth::import(&managed, WS).expect("ManagedPrometheusServiceLevel");
    assert_eq!(got_managed.slos, got.slos);
    assert_eq!(got_managed.notes, got.notes);
}

/// What an OpenSLO file says that has no field here is named in the notes,
/// never dropped unseen: a single objective's own name beside the SLO's
/// displayName, and a ratio whose metrics are not counters.
#[test]
fn openslo_names_what_it_does_not_keep() {
    let text = "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: availability\n  displayName: Checkout availability\nspec:\n  service: checkout\n  budgetingMethod: Occurrences\n  timeWindow:\n    - duration: 28d\n      isRolling: true\n  indicator:\n    metadata:\n      name: good-requests\n    spec:\n      ratioMetric:\n        counter: false\n        good:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: sum(ok)\n        total:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: sum(all)\n  objectives:\n    - displayName: Good\n      target: 0.995\n";
    let got = openslo::import(text, WS).expect("imports");
    let [s] = got.slos.as_slice() else {
        panic!("one SLO: {:?}", got.slos)
    };
    assert_eq!(s.display_name, "Checkout availability");
    let notes = got.notes.join("\n");
    assert!(
        notes.contains("the objective's name \"Good\" not kept"),
        "{notes}"
    );
    assert!(
        notes.contains("ratioMetric/counter: false not kept"),
        "{notes}"
    );
    assert_eq!(got.notes.len(), 2, "{notes}");
}

/// A Sloth raw SLI is kept as an error-ratio SLI and a plugin SLI as the
/// plugin's id and options; both export back as written, and so do
/// per-alert annotations. Sloth's SLO plugin chains have no home here and
/// are named.
#[test]
fn sloth_raw_and_plugin_slis_and_per_alert_annotations_are_kept() {
    let text = "version: \"prometheus/v1\"\nservice: \"wifi\"\nslo_plugins:\n  chain:\n    - id: \"sloth.dev/core/debug/v1\"\n      config: {msg: \"x\"}\nslos:\n  - name: \"good-satisfaction\"\n    objective: 95\n    sli:\n      events:\n        error_query: sum_over_time((count(sat < 0.75))[{{.window}}:]) OR on() vector(0)\n        total_query: sum_over_time((count(sat))[{{.window}}:])\n    alerting:\n      name: GoodSatisfaction\n      page_alert:\n        labels:\n          severity: home\n        annotations:\n          runbook: https://example.org/runbook\n  - name: \"satisfaction\"\n    objective: 95\n    sli:\n      raw:\n        errorRatioQuery: |\n          1 - (\n            sum(sum_over_time(sat[{{.window}}]))\n          )\n    alerting:\n      name: Satisfaction\n  - name: \"availability\"\n    objective: 99.9\n    sli:\n      plugin:\n        id: \"getting_started_availability\"\n        options:\n          job: wifi\n    alerting:\n      name: Availability\n";
    let got = sloth::import(text, WS).expect("every SLO imports");
    let names: Vec<&str> = got.slos.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["good-satisfaction", "satisfaction", "availability"]);
    assert_eq!(
        got.slos[2].sli,
        Sli::Plugin {
            id: "getting_started_availability".into(),
            options: BTreeMap::from([("job".into(), "wifi".into())]),
        }
    );
    assert_eq!(
        got.slos[0].alerting.page.annotations["runbook"],
        "https://example.org/runbook"
    );
    assert_eq!(
        got.slos[1].sli,
        Sli::ErrorRatio {
            query: "1 - (\n  sum(sum_over_time(sat[{{.window}}]))\n)".into(),
            source: "prometheus".into()
        }
    );
    let notes = got.notes.join("\n");
    assert!(!notes.contains("/sli/raw"), "{notes}");
    // Exported back as a raw SLI, and read again the same.
    let refs: Vec<&_> = got.slos.iter().collect();
    let (spec, skipped) = sloth::export_service("wifi", &refs);
    assert!(skipped.is_empty(), "{skipped:?}");
    let spec = spec.unwrap();
    assert!(spec.contains("error_ratio_query"), "{spec}");
    let validator = schema("sloth-prometheus-v1.schema.json");
    for doc in documents(&spec) {
        let errs = errors(&validator, &doc);
        assert!(errs.is_empty(), "{errs:#?}\n{doc:#}");
    }
    assert!(
        spec.contains("plugin:\n") && spec.contains("id: getting_started_availability"),
        "{spec}"
    );
    let back = sloth::import(&spec, WS).unwrap();
    assert_eq!(back.slos, got.slos);
    assert!(
        !notes.contains("plugin:") && !notes.contains("/sli/plugin"),
        "{notes}"
    );
    assert!(
        notes.contains("/slo_plugins") && notes.contains("sloth.dev/core/debug/v1"),
        "{notes}"
    );
    assert!(!notes.contains("annotations"), "{notes}");

    // Through OpenSLO too: the plugin is written as a raw failure ratio
    // whose source is the plugin, and read back as the plugin.
    let out = openslo::export_all(&got.slos[2..], |_| String::new());
    let text = &out.iter().find(|(_, t)| t.contains("kind: SLO")).unwrap().1;
    assert!(text.contains("type: SlothPlugin"), "{text}");
    let validator = schema("openslo-v1.schema.json");
    for doc in documents(text) {
        let errs = errors(&validator, &doc);
        assert!(errs.is_empty(), "{errs:#?}\n{doc:#}");
    }
    assert_eq!(
        openslo::import(text, WS).unwrap().slos[0].sli,
        got.slos[2].sli
    );

    // A plugin without its id is refused where it is.
    let no_id = "version: \"prometheus/v1\"\nservice: \"svc\"\nslos:\n  - name: \"availability\"\n    objective: 99.9\n    sli:\n      plugin:\n        options: {job: x}\n    alerting:\n      name: A\n";
    let e = sloth::import(no_id, WS).expect_err("no plugin id");
    assert_eq!(e.location, "/slos/0/sli/plugin/id");
}

/// What is not an SLO spec, or defines one SLO twice, is refused with its
/// place; unknown fields are named instead of vanishing.
#[test]
fn sloth_alert_windows_duplicates_and_unknown_fields_are_reported() {
    let windows = "apiVersion: sloth.slok.dev/v1\nkind: AlertWindows\nspec:\n  sloPeriod: 7d\n  page:\n    quick:\n      errorBudgetPercent: 8\n      shortWindow: 5m\n      longWindow: 1h\n";
    assert_eq!(detect_slo_format(windows), Some(SloFormat::Sloth));
    let e = sloth::import(windows, WS).expect_err("no SLO in AlertWindows");
    assert!(
        e.reason.contains("AlertWindows") && e.reason.contains("7d"),
        "{e}"
    );

    let slo = "slos:\n  - name: a\n    objective: 99\n    sli:\n      events:\n        error_query: e[{{.window}}]\n        total_query: t[{{.window}}]\n    alerting:\n      name: A\n";
    let twice = format!(
        "version: prometheus/v1\nservice: s\n{slo}---\nversion: prometheus/v1\nservice: s\n{slo}"
    );
    let e = sloth::import(&twice, WS).expect_err("same SLO twice");
    assert_eq!(e.location, "/1/slos/0");
    assert!(e.reason.contains("/0/slos/0"), "{e}");

    let typo = format!("version: prometheus/v1\nservice: s\n{slo}")
        .replace("    alerting:", "    objetive: 99.9\n    alerting:");
    let got = sloth::import(&typo, WS).expect("imports");
    assert!(
        got.notes.iter().any(|n| n.starts_with("/slos/0/objetive")),
        "{:?}",
        got.notes
    );

    let e = sloth::import(
        "version: prometheus/v1\nservice: s\nslos:\n  - name: a\n    objective: high\n    sli:\n      events:\n        error_query: e\n        total_query: t\n",
        WS,
    )
    .expect_err("objective is not a number");
    assert_eq!(e.location, "/slos/0/objective");
}

fn openslo_slo(body: &str) -> String {
    format!("apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: checkout\nspec:\n  service: shop\n  timeWindow:\n    - duration: 28d\n      isRolling: true\n  budgetingMethod: Occurrences\n{body}")
}

/// oslo's v1alpha test data puts a threshold SLI under
/// `spec.indicator.thresholdMetric`, and lists services as a YAML list.
#[test]
fn openslo_v1alpha_threshold_indicators_and_document_lists_import() {
    let text = "- apiVersion: openslo/v1alpha\n  kind: Service\n  metadata:\n    name: my service\n---\napiVersion: openslo/v1alpha\nkind: SLO\nmetadata:\n  displayName: Latency\n  name: latency\nspec:\n  budgetingMethod: Occurrences\n  indicator:\n    thresholdMetric:\n      source: prometheus\n      queryType: promql\n      query: latency_west{code=\"ALL\"}\n  objectives:\n    - displayName: Front page\n      op: gt\n      target: 0.99\n      value: 2000\n  service: api\n  timeWindows:\n    - calendar:\n        startTime: 2021-05-01 00:00:00\n        timeZone: UTC\n      count: 1\n      isRolling: false\n      unit: Month\n";
    let got = openslo::import(text, WS).expect("v1alpha threshold SLO");
    let [s] = got.slos.as_slice() else {
        panic!("{:?}", got.slos)
    };
    assert_eq!(s.handle(), "api/latency");
    assert_eq!(
        s.sli,
        Sli::Threshold {
            query: "latency_west{code=\"ALL\"}".into(),
            op: ThresholdOp::Gt,
            value: 2000.0,
            source: "prometheus".into()
        }
    );
    assert_eq!(s.objective, 99.0);
    assert_eq!(s.window.length.to_string(), "1M");
    assert!(!s.window.rolling);
    assert!(got
        .notes
        .iter()
        .any(|n| n.contains("Service \"my service\"")));
}

/// Composite SLOs (oslo's test data): each objective names its own
/// indicator, inline or by reference; each becomes an SLO named and
/// titled after its objective, and the weight it loses is noted.
#[test]
fn openslo_objectives_with_their_own_indicators_become_one_slo_each() {
    let text = format!(
        "apiVersion: openslo/v1\nkind: SLI\nmetadata:\n  name: bar-errors\nspec:\n  ratioMetric:\n    counter: true\n    bad:\n      metricSource:\n        type: Prometheus\n        spec:\n          query: sum(rate(bar_errors[5m]))\n    total:\n      metricSource:\n        type: Prometheus\n        spec:\n          query: sum(rate(bar_total[5m]))\n---\n{}",
        openslo_slo("  objectives:\n    - displayName: Foo Total Errors\n      target: 0.98\n      compositeWeight: 1\n      indicator:\n        metadata:\n          name: foo-error\n        spec:\n          ratioMetric:\n            counter: true\n            good:\n              metricSource:\n                type: Datadog\n                spec:\n                  query: sum:foo.hits{status:200}.as_count()\n            total:\n              metricSource:\n                type: Datadog\n                spec:\n                  query: sum:foo.hits{*}.as_count()\n    - displayName: Bar Total Errors\n      target: 0.99\n      compositeWeight: 2\n      indicatorRef: bar-errors\n")
    )
    .replace("  name: checkout\n", "  name: checkout\n  displayName: Checkout\n");
    let got = openslo::import(&text, WS).expect("composite SLO");
    let names: Vec<&str> = got.slos.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        ["checkout-foo-total-errors", "checkout-bar-total-errors"]
    );
    assert_eq!(got.slos[0].display_name, "Checkout (Foo Total Errors)");
    assert_eq!(
        got.slos[0].sli,
        Sli::Ratio {
            counter: RatioCounter::Good,
            numerator_query: "sum:foo.hits{status:200}.as_count()".into(),
            total_query: "sum:foo.hits{*}.as_count()".into(),
            source: "datadog".into()
        }
    );
    assert_eq!(
        got.slos[1].sli,
        ratio(
            RatioCounter::Bad,
            "sum(rate(bar_errors[5m]))",
            "sum(rate(bar_total[5m]))"
        )
    );
    assert_eq!(got.slos[1].objective, 99.0);
    assert_eq!(
        got.notes
            .iter()
            .filter(|n| n.contains("compositeWeight"))
            .count(),
        2,
        "{:?}",
        got.notes
    );
}

/// Metric sources that are not one `query` (OpenSLO's AppDynamics and
/// CloudWatch examples) keep their whole spec, typed from the file's
/// `DataSource` when the metric only names it, and export back as it.
#[test]
fn openslo_metric_specs_without_a_query_are_kept_whole_and_exported_back() {
    let text = "- apiVersion: openslo/v1\n  kind: DataSource\n  metadata:\n    name: foo-cloudwatch\n  spec:\n    type: CloudWatch\n    connectionDetails:\n      region: us-east-1\n- apiVersion: openslo/v1\n  kind: SLO\n  metadata:\n    name: canary\n    labels:\n      team:\n        - team-a\n        - team-b\n      env: prod\n    annotations:\n      openslo.com/service-folder: ./x\n  spec:\n    service: app\n    indicator:\n      metadata:\n        name: canary-sli\n      spec:\n        thresholdMetric:\n          metricSource:\n            metricSourceRef: foo-cloudwatch\n            spec:\n              stat: SampleCount\n              metricName: 2xx\n              namespace: CloudWatchSynthetics\n              dimensions:\n                - name: CanaryName\n                  value: web-app\n    timeWindow:\n      - duration: 28d\n        isRolling: true\n    objectives:\n      - op: gte\n        value: 1\n        target: 0.95\n- apiVersion: openslo/v1\n  kind: SLO\n  metadata:\n    name: end-user\n  spec:\n    service: app\n    indicator:\n      metadata:\n        name: end-user-response\n      spec:\n        ratioMetric:\n          counter: false\n          bad:\n            metricSource:\n              type: AppDynamics\n              spec:\n                applicationName: my-app\n                metricPath: End User Experience|App|Slow Requests\n          total:\n            metricSource:\n              type: AppDynamics\n              spec:\n                applicationName: my-app\n                metricPath: End User Experience|App|Normal Requests\n    timeWindow:\n      - duration: 28d\n        isRolling: true\n    objectives:\n      - target: 0.99\n";
    let got = openslo::import(text, WS).expect("imports");
    let Sli::Threshold { query, source, .. } = &got.slos[0].sli else {
        panic!("threshold expected")
    };
    assert_eq!(source, "CloudWatch", "the DataSource's type, as written");
    let spec: Json = serde_json::from_str(query).expect("the spec as JSON");
    assert_eq!(spec["namespace"], "CloudWatchSynthetics");
    assert_eq!(spec["dimensions"][0]["value"], "web-app");
    assert_eq!(got.slos[0].labels["team"], "team-a,team-b");
    assert_eq!(got.slos[0].labels["env"], "prod");
    assert!(got
        .notes
        .iter()
        .any(|n| n.contains("annotations") && n.contains("service-folder")));
    let Sli::Ratio {
        numerator_query,
        source,
        ..
    } = &got.slos[1].sli
    else {
        panic!("ratio expected")
    };
    assert_eq!(source, "AppDynamics");
    assert!(
        numerator_query.contains("Slow Requests"),
        "{numerator_query}"
    );

    // Exported, the specs are written back as they were; read again,
    // nothing changes.
    let validator = schema("openslo-v1.schema.json");
    for (_, out) in openslo::export_all(&got.slos, |_| String::new()) {
        assert!(out.contains("metricName: 2xx"), "{out}");
        assert!(
            out.contains("metricPath: End User Experience|App|Slow Requests"),
            "{out}"
        );
        assert!(
            out.contains("type: CloudWatch") && out.contains("type: AppDynamics"),
            "{out}"
        );
        for doc in documents(&out) {
            let errs = errors(&validator, &doc);
            assert!(errs.is_empty(), "{errs:#?}");
        }
        let back = openslo::import(&out, WS).expect("reads back");
        for (a, b) in got.slos.iter().zip(&back.slos) {
            assert_eq!(a.sli, b.sli);
        }
    }

    // A query that is itself a JSON object stays a query.
    let es = openslo_slo("  indicator:\n    metadata:\n      name: es\n    spec:\n      thresholdMetric:\n        metricSource:\n          type: Elasticsearch\n          spec:\n            query: '{\"query\": {\"match_all\": {}}}'\n  objectives:\n    - op: lt\n      value: 5\n      target: 0.9\n");
    let got = openslo::import(&es, WS).expect("imports");
    let out = &openslo::export_all(&got.slos, |_| String::new())[0].1;
    let back = openslo::import(out, WS).expect("reads back");
    assert_eq!(got.slos[0].sli, back.slos[0].sli);
    assert!(
        out.contains("query: '{\"query\": {\"match_all\": {}}}'"),
        "{out}"
    );
}

/// OpenSLO v2alpha (`openslo.com/v2alpha`, the SDK's examples): `sli`,
/// `serviceRef` and metrics naming a `dataSourceRef`.
#[test]
fn openslo_v2alpha_slos_import() {
    let text = "- apiVersion: openslo.com/v2alpha\n  kind: SLO\n  metadata:\n    name: web-availability\n    labels:\n      env: prod\n  spec:\n    description: X% of search requests are successful\n    serviceRef: web\n    sli:\n      metadata:\n        name: web-successful-requests-ratio\n      spec:\n        ratioMetric:\n          counter: true\n          good:\n            dataSourceRef: my-prometheus\n            spec:\n              query: sum(http_requests{code=~\"2xx|4xx\"})\n          total:\n            dataSourceRef: my-prometheus\n            spec:\n              query: sum(http_requests)\n    timeWindow:\n      - duration: 1w\n        isRolling: false\n        calendar:\n          startTime: 2022-01-01 12:00:00\n          timeZone: America/New_York\n    budgetingMethod: Timeslices\n    objectives:\n      - displayName: Good\n        target: 0.995\n        timeSliceTarget: 0.95\n        timeSliceWindow: 1m\n- apiVersion: openslo.com/v2alpha\n  kind: DataSource\n  metadata:\n    name: my-prometheus\n  spec:\n    type: Prometheus\n    connectionDetails:\n      url: http://prometheus:9090\n";
    assert_eq!(detect_slo_format(text), Some(SloFormat::OpenSlo));
    let got = openslo::import(text, WS).expect("v2alpha");
    let [s] = got.slos.as_slice() else {
        panic!("{:?}", got.slos)
    };
    assert_eq!(s.handle(), "web/web-availability");
    assert_eq!(
        s.sli,
        ratio(
            RatioCounter::Good,
            "sum(http_requests{code=~\"2xx|4xx\"})",
            "sum(http_requests)"
        )
    );
    assert_eq!(s.objective, 99.5);
    assert_eq!(s.timeslice_target, Some(0.95));
    assert_eq!(s.window.time_zone.as_deref(), Some("America/New_York"));
    assert_eq!(s.labels["env"], "prod");
}

/// `openslo.com/v2alpha1` (the OpenSLO SDK's name for v2alpha since its
/// rename) reads as v2alpha; a data source inlined as
/// `<<dataSourceName>>: {connection details}` names the SLI's source, in a
/// metric and in a `DataSource`, and its secrets are not kept.
#[test]
fn openslo_v2alpha1_and_inline_data_sources_import() {
    let text = "\
- apiVersion: openslo.com/v2alpha1
  kind: SLO
  metadata:
    name: queue-lag
  spec:
    service: billing
    sli:
      metadata:
        name: lag
      spec:
        thresholdMetric:
          redshift:
            accessKeyID: key-id
            secretAccessKey: do-not-store
          spec:
            query: SELECT lag FROM queue
    objectives:
      - op: lte
        value: 30
        target: 0.99
- apiVersion: openslo.com/v2alpha1
  kind: SLO
  metadata:
    name: errors
  spec:
    service: billing
    sli:
      metadata:
        name: err
      spec:
        ratioMetric:
          counter: true
          good:
            dataSourceRef: dd
            spec:
              query: sum:ok
          total:
            dataSourceRef: dd
            spec:
              query: sum:all
    objectives:
      - target: 0.98
- apiVersion: openslo.com/v2alpha1
  kind: DataSource
  metadata:
    name: dd
  spec:
    description: Our Datadog
    datadog:
      apiKey: do-not-store
";
    assert_eq!(detect_slo_format(text), Some(SloFormat::OpenSlo));
    let got = openslo::import(text, WS).expect("v2alpha1");
    let [lag, errors] = got.slos.as_slice() else {
        panic!("{:?}", got.slos)
    };
    assert_eq!(
        lag.sli,
        Sli::Threshold {
            query: "SELECT lag FROM queue".into(),
            op: ThresholdOp::Lte,
            value: 30.0,
            source: "redshift".into(),
        }
    );
    assert_eq!(lag.objective, 99.0);
    let Sli::Ratio { source, .. } = &errors.sli else {
        panic!("{:?}", errors.sli)
    };
    assert_eq!(source, "datadog");
    assert!(!format!("{:?}", got.slos).contains("do-not-store"));

    let e =
        openslo::import(&text.replace("openslo.com/v2alpha1", "openslo.com/v3"), WS).unwrap_err();
    assert!(e.to_string().contains("openslo.com/v2alpha1"), "{e}");
}

/// A raw failure ratio is kept as an error-ratio SLI and exported back as
/// one, a raw success ratio as `1 - (query)`. What cannot be kept is left
/// out with a note or refused with its place: a raw success ratio over a
/// source of fields, a target written as a percentage, one SLO
/// twice, another tool's document, a file of alert policies only.
#[test]
fn openslo_raw_ratios_bad_targets_duplicates_and_foreign_documents_are_reported() {
    let good = "  indicator:\n    metadata:\n      name: x\n    spec:\n      ratioMetric:\n        counter: true\n        good:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: good\n        total:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: total\n";
    let failure = "  indicator:\n    metadata:\n      name: x\n    spec:\n      ratioMetric:\n        counter: true\n        rawType: failure\n        raw:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: error_ratio\n";
    let kept = openslo::import(
        &openslo_slo(&format!("{failure}  objectives:\n    - target: 0.99\n")),
        WS,
    )
    .expect("a failure ratio");
    let [s] = kept.slos.as_slice() else {
        panic!("{:?}", kept.slos)
    };
    assert_eq!(
        s.sli,
        Sli::ErrorRatio {
            query: "error_ratio".into(),
            source: "prometheus".into()
        }
    );
    let out = openslo::export_all(&kept.slos, |_| String::new());
    let text = &out.iter().find(|(_, t)| t.contains("kind: SLO")).unwrap().1;
    assert!(text.contains("rawType: failure"), "{text}");
    let validator = schema("openslo-v1.schema.json");
    for doc in documents(text) {
        let errs = errors(&validator, &doc);
        assert!(errs.is_empty(), "{errs:#?}\n{doc:#}");
    }
    assert_eq!(openslo::import(text, WS).unwrap().slos[0].sli, s.sli);
    let raw = "  indicator:\n    metadata:\n      name: x\n    spec:\n      ratioMetric:\n        counter: true\n        rawType: success\n        raw:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: error_ratio\n";
    let both = format!(
        "{}---\n{}",
        openslo_slo(&format!("{good}  objectives:\n    - target: 0.99\n")),
        openslo_slo(&format!("{raw}  objectives:\n    - target: 0.99\n"))
            .replace("name: checkout", "name: raw-one")
    );
    // A raw success ratio is kept as its complement, said in a note.
    let got = openslo::import(&both, WS).expect("both SLOs import");
    assert_eq!(got.slos.len(), 2);
    assert_eq!(
        got.slos[1].sli,
        Sli::ErrorRatio {
            query: "1 - (error_ratio)".into(),
            source: "prometheus".into()
        }
    );
    assert!(
        got.notes
            .iter()
            .any(|n| n.contains("raw success ratio") && n.contains("1 - (error_ratio)")),
        "{:?}",
        got.notes
    );
    // One whose source is a spec of fields has no complement: left out.
    let fields = raw.replace(
        "query: error_ratio",
        "metricName: ratio\n              namespace: app",
    );
    let e = openslo::import(
        &openslo_slo(&format!("{fields}  objectives:\n    - target: 0.99\n")),
        WS,
    )
    .expect_err("nothing left");
    assert_eq!(e.location, "/0/spec/objectives/0");
    assert!(e.reason.contains("raw success ratio"), "{e}");

    let e = openslo::import(
        &openslo_slo(&format!("{good}  objectives:\n    - target: 99.9\n")),
        WS,
    )
    .expect_err("a percentage in target");
    assert_eq!(e.location, "/0/spec/objectives/0/target");
    assert!(e.reason.contains("targetPercent"), "{e}");

    let one = openslo_slo(&format!("{good}  objectives:\n    - target: 0.99\n"));
    let e = openslo::import(&format!("{one}---\n{one}"), WS).expect_err("twice");
    assert_eq!(e.location, "/1/spec/objectives/0");
    assert!(e.reason.contains("/0/spec/objectives/0"), "{e}");

    let pyrra = format!("{one}---\napiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata:\n  name: x\nspec:\n  target: '99'\n");
    let e = openslo::import(&pyrra, WS).expect_err("a Pyrra document");
    assert_eq!(e.location, "/1/apiVersion");
    assert!(e.reason.contains("Pyrra ServiceLevelObjective"), "{e}");

    let e = openslo::import(
        "apiVersion: openslo/v1\nkind: AlertPolicy\nmetadata:\n  name: my-policy\nspec:\n  conditions: []\n",
        WS,
    )
    .expect_err("no SLO");
    assert!(e.reason.contains("AlertPolicy \"my-policy\""), "{e}");

    let minute = openslo_slo(&format!("{good}  objectives:\n    - target: 0.99\n"))
        .replace("duration: 28d", "duration: 1m");
    let got = openslo::import(&minute, WS).expect("a one-minute window imports");
    assert!(
        got.notes.iter().any(|n| n.contains("1M")),
        "{:?}",
        got.notes
    );
}

/// Files of other SLO tools are named in the refusal.
#[test]
fn other_tools_files_are_named_when_refused() {
    use plasma_exports::slo::unknown_format_reason;
    for (text, tool) in [
        ("apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata:\n  name: a\nspec:\n  target: '99.9'\n  window: 4w\n", "Pyrra ServiceLevelObjective"),
        ("apiVersion: sre.google.com/v2\nkind: ServiceLevelObjective\nmetadata:\n  name: a\nspec:\n  backend: prometheus\n  goal: 0.999\n", "Google SLO Generator"),
        ("service_name: prom\nfeature_name: metrics\nslo_name: availability\nslo_target: 0.999\n", "Google SLO Generator"),
        ("apiVersion: n9/v1alpha\nkind: SLO\nmetadata:\n  name: a\n", "Nobl9 SLO"),
        ("groups:\n  - name: x\n    rules: []\n", "Prometheus rule groups"),
    ] {
        assert_eq!(detect_slo_format(text), None, "{tool}");
        let why = unknown_format_reason(text);
        assert!(why.contains(tool), "{tool}: {why}");
    }
}

/// The OpenSLO SDK's v1alpha examples are written in the v1 shape
/// (`timeWindow`, `indicator.spec`): they are read as such, with a note.
#[test]
fn openslo_v1alpha_files_in_the_v1_shape_are_read_as_v1() {
    let text = openslo_slo("  indicator:\n    metadata:\n      name: x\n    spec:\n      counter: true\n      ratioMetric:\n        good:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: good\n        total:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: total\n  objectives:\n    - displayName: Good\n      target: 0.995\n")
        .replace("openslo/v1\n", "openslo/v1alpha\n");
    let got = openslo::import(&text, WS).expect("v1-shaped v1alpha");
    assert_eq!(got.slos[0].sli, ratio(RatioCounter::Good, "good", "total"));
    assert_eq!(got.slos[0].window.length.to_string(), "28d");
    assert!(
        got.notes.iter().any(|n| n.contains("read as v1")),
        "{:?}",
        got.notes
    );
}

#[test]
fn openslo_labels_survive_export_and_import() {
    let file = "apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout-latency
  labels:
    team: payments
    tier: [gold, critical]
spec:
  service: checkout
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  indicator:
    metadata:
      name: checkout-latency-sli
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total{code!~\"5..\"}[5m]))
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(http_requests_total[5m]))
  objectives:
    - displayName: Good
      target: 0.99
";
    let first = openslo::import(file, WS).unwrap().slos;
    assert_eq!(first.len(), 1);
    let labels = &first[0].labels;
    assert_eq!(labels.get("team").map(String::as_str), Some("payments"));
    assert_eq!(
        labels.get("tier").map(String::as_str),
        Some("gold,critical")
    );
    let exported = openslo::export_all(&first, |_| String::new());
    let text = &exported
        .iter()
        .find(|(_, text)| text.contains("kind: SLO"))
        .unwrap()
        .1;
    let again = openslo::import(text, WS).unwrap().slos;
    assert_eq!(again.len(), 1);
    assert_eq!(&again[0].labels, labels, "{text}");
}

/// A Helm or Go template is refused with the line of its first action,
/// for either format and whether or not it happens to parse as YAML;
/// Sloth's own `{{.window}}` placeholder is no template action.
#[test]
fn templated_files_are_refused_naming_the_line() {
    let helm = "# chart: shop\n{{- if .Values.slo.enabled }}\napiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nmetadata:\n  name: shop\nspec:\n  service: shop\n  slos:\n    - name: availability\n      objective: 99.9\n      sli:\n        events:\n          errorQuery: sum(rate(e[{{ .window }}]))\n          totalQuery: sum(rate(t[{{.window}}]))\n{{- end }}\n";
    let e = sloth::import(helm, WS).expect_err("a template");
    assert_eq!(e.location, "line 2");
    assert!(
        e.reason.contains("{{- if .Values.slo.enabled }}") && e.reason.contains("render"),
        "{e}"
    );
    // Quoted, the action parses as YAML: still refused, not imported as
    // a service named after the action.
    let quoted = "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: checkout\nspec:\n  service: \"{{ .Values.service }}\"\n  indicator:\n    metadata:\n      name: x\n    spec:\n      ratioMetric:\n        good:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: good\n        total:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: total\n  timeWindow:\n    - duration: 28d\n      isRolling: true\n  objectives:\n    - target: 0.99\n";
    let e = openslo::import(quoted, WS).expect_err("a template");
    assert_eq!(e.location, "line 6");
    let why = plasma_exports::slo::unknown_format_reason("{{ include \"x\" . }}\n");
    assert!(why.starts_with("line 1: "), "{why}");
    // The placeholder alone, spaced or not, imports.
    let window_only = helm
        .lines()
        .filter(|l| !l.starts_with("{{"))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(sloth::import(&window_only, WS).unwrap().slos.len(), 1);
}

/// YAML anchors, aliases and merge keys are resolved before the spec is
/// read; comments and empty documents between `---` are nothing.
#[test]
fn sloth_anchors_and_merge_keys_are_applied() {
    let text = "# shared alerting\nversion: \"prometheus/v1\"\nservice: svc\nslos:\n  - name: a\n    objective: 99.9\n    sli: &sli\n      events:\n        error_query: sum(rate(e[{{.window}}]))\n        total_query: sum(rate(t[{{.window}}]))\n    alerting: &alert\n      name: SvcAlert\n      labels: {team: core}\n      ticket_alert:\n        disable: true\n  - name: b\n    objective: 99\n    sli: *sli\n    alerting:\n      <<: *alert\n      name: Other\n---\n# nothing\n---\n";
    let got = sloth::import(text, WS).expect("imports");
    assert_eq!(got.slos.len(), 2);
    let b = &got.slos[1];
    assert_eq!(b.sli, got.slos[0].sli);
    assert_eq!(b.alerting.name, "Other");
    assert_eq!(b.alerting.labels["team"], "core");
    assert!(b.alerting.ticket.disabled);
    assert!(got.notes.is_empty(), "{:?}", got.notes);
}

/// Near misses Sloth ignores too (`disabled`, `ticker_alert`) are named
/// with the spelling Sloth reads, so an alert believed off is not left on
/// unseen.
#[test]
fn sloth_near_miss_alert_fields_are_named_with_the_right_spelling() {
    let text = "version: \"prometheus/v1\"\nservice: probe\nslos:\n  - name: up\n    objective: 99\n    sli:\n      events:\n        error_query: sum_over_time((probe_success == 0)[{{.window}}:])\n        total_query: count_over_time(probe_success[{{.window}}])\n    alerting:\n      page_alert:\n        disabled: true\n      ticker_alert:\n        disabled: true\n";
    let got = sloth::import(text, WS).expect("imports");
    assert!(!got.slos[0].alerting.page.disabled);
    let notes = got.notes.join("\n");
    assert!(
        notes.contains("/slos/0/alerting/page_alert/disabled")
            && notes.contains("Sloth reads \"disable\""),
        "{notes}"
    );
    assert!(notes.contains("Sloth reads \"ticket_alert\""), "{notes}");
}

/// OpenSLO SLOs written loosely still import: no timeWindow (a rolling
/// 30 days, said in a note), the metric straight under `indicator`
/// without the SLI's metadata and spec, and the query beside the metric
/// source (`metricQuery`) instead of in its spec.
#[test]
fn openslo_loose_shapes_import() {
    let text = "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: user-service-reliability\nspec:\n  service: user-service\n  indicator:\n    ratioMetric:\n      good:\n        metricSource:\n          metricSourceRef: prom\n          type: prometheus\n        metricQuery: http_requests_total{status=~\"2..\"}\n      total:\n        metricSource:\n          type: prometheus\n          query: http_requests_total\n  objectives:\n    - target: 0.99\n";
    let got = openslo::import(text, WS).expect("imports");
    let [s] = got.slos.as_slice() else {
        panic!("{:?}", got.slos)
    };
    assert_eq!(
        s.sli,
        ratio(
            RatioCounter::Good,
            "http_requests_total{status=~\"2..\"}",
            "http_requests_total"
        )
    );
    assert_eq!(s.window.length.to_string(), "30d");
    assert!(s.window.rolling);
    assert!(
        got.notes
            .iter()
            .any(|n| n == "/0/spec: no timeWindow; read as a rolling 30-day window (30d)"),
        "{:?}",
        got.notes
    );
}

/// A window written where a tool put it is kept: a per-SLO `period` in a
/// Sloth spec (slokit reads one; Sloth takes it from its command line)
/// and an OpenSLO `timeWindow` given on the objective instead of the
/// spec, each said in a note. A Kubernetes object's own labels are named
/// among what is not kept.
#[test]
fn windows_given_per_slo_or_per_objective_are_kept() {
    let sloth_text = "version: \"prometheus/v1\"\nservice: svc\nslos:\n  - name: a\n    objective: 99.9\n    period: 28d\n    sli:\n      events:\n        error_query: sum(rate(e[{{.window}}]))\n        total_query: sum(rate(t[{{.window}}]))\n";
    let got = sloth::import(sloth_text, WS).expect("imports");
    assert_eq!(got.slos[0].window.length.to_string(), "28d");
    assert!(
        got.notes
            .iter()
            .any(|n| n.starts_with("/slos/0/period: 28d kept")),
        "{:?}",
        got.notes
    );
    let e = sloth::import(&sloth_text.replace("28d", "a month"), WS).expect_err("bad period");
    assert_eq!(e.location, "/slos/0/period");

    let openslo_text = "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: pay\nspec:\n  service: payment-api\n  indicator:\n    metadata:\n      name: ok\n    spec:\n      ratioMetric:\n        good:\n          metricSource:\n            type: prometheus\n            spec:\n              query: good\n        total:\n          metricSource:\n            type: prometheus\n            spec:\n              query: total\n  objectives:\n    - displayName: month\n      target: 0.999\n      timeWindow:\n        - duration: 1M\n          isRolling: false\n    - displayName: week\n      target: 0.99\n      timeWindow:\n        - duration: 1w\n          isRolling: true\n";
    let got = openslo::import(openslo_text, WS).expect("imports");
    let windows: Vec<(String, bool)> = got
        .slos
        .iter()
        .map(|s| (s.window.length.to_string(), s.window.rolling))
        .collect();
    assert_eq!(
        windows,
        [("1M".to_string(), false), ("1w".to_string(), true)]
    );
    assert!(
        got.notes
            .iter()
            .any(|n| n == "/0/spec/objectives/0/timeWindow: read as the SLO's window (OpenSLO gives it in the SLO's spec)"),
        "{:?}",
        got.notes
    );
    assert!(
        !got.notes.iter().any(|n| n.contains("no timeWindow")),
        "{:?}",
        got.notes
    );

    let crd = "apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nmetadata:\n  name: shop\n  labels:\n    service: shop\n    tier: tier-0\nspec:\n  service: shop\n  slos:\n    - name: a\n      objective: 99\n      sli:\n        events:\n          errorQuery: e[{{.window}}]\n          totalQuery: t[{{.window}}]\n";
    let got = sloth::import(crd, WS).expect("imports");
    assert_eq!(
        got.notes,
        ["/metadata: name shop, labels service, tier not kept (Kubernetes placement of the object, not part of an SLO)"]
    );
}

/// An objective of 100 % leaves no error budget: that SLO is left out with
/// a note and the file's others import (OpenSLO target 1, Sloth 100); a
/// file of only such SLOs is refused naming it.
#[test]
fn hundred_percent_objectives_are_left_out_not_fatal() {
    let text = "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: roots\nspec:\n  service: audit\n  indicator:\n    metadata:\n      name: x\n    spec:\n      ratioMetric:\n        good:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: good\n        total:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: total\n  timeWindow:\n    - duration: 30d\n      isRolling: true\n  objectives:\n    - displayName: exact\n      target: 1.000000\n    - displayName: nearly\n      target: 0.999\n";
    let got = openslo::import(text, WS).expect("the 99.9 % one imports");
    let names: Vec<&str> = got.slos.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["roots-nearly"]);
    assert!(
        got.notes.iter().any(|n| n.starts_with(
            "/0/spec/objectives/0: SLO \"audit/roots-exact\" left out: its objective is 100 %"
        )),
        "{:?}",
        got.notes
    );
    let only = text.replace("    - displayName: nearly\n      target: 0.999\n", "");
    let e = openslo::import(&only, WS).expect_err("nothing left");
    assert_eq!(e.location, "/0/spec/objectives/0");
    // Above 1 is still a percentage written as a fraction.
    let e = openslo::import(&only.replace("1.000000", "99.9"), WS).expect_err("a percentage");
    assert!(e.reason.contains("targetPercent"), "{e}");

    let sloth_text = "version: \"prometheus/v1\"\nservice: svc\nslos:\n  - name: exact\n    objective: 100\n    sli:\n      events:\n        error_query: e[{{.window}}]\n        total_query: t[{{.window}}]\n  - name: nearly\n    objective: 99.5\n    sli:\n      events:\n        error_query: e[{{.window}}]\n        total_query: t[{{.window}}]\n";
    let got = sloth::import(sloth_text, WS).expect("imports");
    assert_eq!(got.slos.len(), 1);
    assert!(
        got.notes
            .iter()
            .any(|n| n.starts_with("/slos/0/objective: SLO \"svc/exact\" left out")),
        "{:?}",
        got.notes
    );
}

/// What a hand-written file gets wrong is said where it is: a Sloth query
/// with a fixed range instead of `{{.window}}` (kept, noted), a Kubernetes
/// overlay patch of a spec (refused as partial), an OpenSLO SLO naming its
/// service only in a label or its target on the spec (refused with the
/// place OpenSLO wants it), a time window written as one map (read).
#[test]
fn hand_written_mistakes_are_named_where_they_are() {
    let fixed = "apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nmetadata:\n  name: api\nspec:\n  service: api\n  slos:\n  - name: a\n    objective: 99.9\n    sli:\n      events:\n        error_query: sum(rate(e[5m]))\n        total_query: sum(rate(t[{{ .window }}]))\n";
    let got = sloth::import(fixed, WS).expect("imports");
    assert!(
        got.notes
            .iter()
            .any(|n| n.starts_with("/spec/slos/0/sli/events: the queries do not use {{.window}}")),
        "{:?}",
        got.notes
    );

    let patch = "apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nmetadata:\n  name: api\nspec:\n  slos:\n    - name: a\n      sli:\n        events:\n          errorQuery: e[{{.window}}]\n          totalQuery: t[{{.window}}]\n";
    let e = sloth::import(patch, WS).expect_err("a patch");
    assert_eq!(e.location, "/spec/service");
    assert!(e.reason.contains("overlay patch"), "{e}");

    let loose = "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: p99\n  labels:\n    service: cart\nspec:\n  target: 99.9\n  timeWindow:\n    duration: 7d\n    isRolling: true\n  indicator:\n    metadata:\n      name: x\n    spec:\n      thresholdMetric:\n        metricSource:\n          type: prometheus\n          spec:\n            query: latency\n";
    let e = openslo::import(loose, WS).expect_err("no service");
    assert!(
        e.reason.contains("metadata.labels.service says \"cart\""),
        "{e}"
    );
    let with_service = loose.replace("spec:\n  target", "spec:\n  service: cart\n  target");
    let e = openslo::import(&with_service, WS).expect_err("no objectives");
    assert!(e.reason.contains("spec.target is given"), "{e}");
    let fixed = with_service.replace(
        "  target: 99.9\n",
        "  objectives:\n    - targetPercent: 99.9\n      op: lte\n      value: 0.5\n",
    );
    let got = openslo::import(&fixed, WS).expect("imports");
    assert_eq!(got.slos[0].window.length.to_string(), "7d");
    assert!(
        got.notes
            .iter()
            .any(|n| n.starts_with("/0/spec/timeWindow: a map, read as the one window")),
        "{:?}",
        got.notes
    );
}

#[test]
fn sloth_rule_group_intervals_are_named_as_sloth_fields_not_kept() {
    let text = "version: prometheus/v1\nservice: app\nslos:\n  - name: cpu\n    objective: 99.99\n    interval:\n      slierror: 4m\n      alert: 2m\n    sli:\n      events:\n        error_query: sum(rate(e[{{.window}}]))\n        total_query: sum(rate(t[{{.window}}]))\n    alerting:\n      name: Cpu\n  - name: mem\n    objective: 99\n    interval: {all: 5m}\n    sli:\n      raw:\n        error_ratio_query: m[{{.window}}]\n    alerting:\n      name: Mem\n";
    let got = sloth::import(text, WS).expect("imports");
    assert_eq!(got.slos.len(), 2);
    let notes = got.notes.join("\n");
    assert!(!notes.contains("not a Sloth field"), "{notes}");
    assert!(
        notes.contains(
            "/slos/0/interval: Sloth's Prometheus rule-group intervals (slierror 4m, alert 2m) are not kept"
        ),
        "{notes}"
    );
    assert!(
        notes.contains("/slos/1/interval: Sloth's Prometheus rule-group intervals (all 5m)"),
        "{notes}"
    );
}

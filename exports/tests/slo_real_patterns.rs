//! Patterns seen in real OpenSLO and Sloth files (the OpenSLO spec and
//! oslo test data, Sloth's examples), each reproduced in a short
//! self-written file.

use plasma_exports::slo::{detect_slo_format, openslo, sloth, unknown_format_reason, ImportError};
use plasma_models::slo::{BudgetingMethod, RatioCounter, Sli, WindowUnit};
use uuid::Uuid;

const WS: Uuid = Uuid::nil();

/// The reason an import was refused for, after checking where.
fn refusal<T: std::fmt::Debug>(result: Result<T, ImportError>, location: &str) -> String {
    let e = result.expect_err("refused");
    assert_eq!(e.location, location, "{e}");
    e.reason
}

/// Checks some note of an import says `said`.
fn noted(notes: &[String], said: &str) {
    assert!(notes.iter().any(|n| n.contains(said)), "{said}: {notes:?}");
}

fn slo_with_window(window: &str) -> String {
    format!(
        "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: checkout\nspec:\n  service: shop\n  indicator:\n    metadata:\n      name: ok\n    spec:\n      ratioMetric:\n        good:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: good\n        total:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: total\n  timeWindow:\n{window}  objectives:\n    - target: 0.99\n"
    )
}

/// The spec assumes `isRolling: false` only when a calendar is given: a
/// window of just a duration is rolling, one with a calendar is aligned to
/// it.
#[test]
fn a_window_without_is_rolling_is_rolling_unless_it_has_a_calendar() {
    let got = openslo::import(&slo_with_window("    - duration: 28d\n"), WS).expect("imports");
    let w = &got.slos[0].window;
    assert!(w.rolling, "{w:?}");
    assert_eq!(w.length.to_string(), "28d");
    assert_eq!(w.calendar_start, None);

    let calendar = "    - duration: 1M\n      calendar:\n        startTime: 2024-01-01 00:00:00\n        timeZone: Europe/Paris\n";
    let got = openslo::import(&slo_with_window(calendar), WS).expect("imports");
    let w = &got.slos[0].window;
    assert!(!w.rolling, "{w:?}");
    assert_eq!(w.calendar_start.as_deref(), Some("2024-01-01 00:00:00"));
    assert_eq!(w.time_zone.as_deref(), Some("Europe/Paris"));

    // Said outright, isRolling wins either way.
    let said = "    - duration: 7d\n      isRolling: false\n";
    let got = openslo::import(&slo_with_window(said), WS).expect("imports");
    assert!(!got.slos[0].window.rolling);
}

/// `openslo/v1beta1` (oslo's test data; the draft before v1): the v1 shape
/// with windows counted in units and alert policies inline. Every
/// objective comes through.
#[test]
fn openslo_v1beta1_reads_as_v1_with_counted_windows() {
    let text = "apiVersion: openslo/v1beta1\nkind: SLO\nmetadata:\n  name: ratio\nspec:\n  budgetingMethod: Timeslices\n  description: Requests that succeed\n  service: api\n  indicator:\n    apiVersion: openslo/v1beta1\n    kind: SLI\n    metadata:\n      name: ratio-sli\n    spec:\n      ratioMetric:\n        counter: true\n        bad:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: errors\n        total:\n          metricSource:\n            type: Prometheus\n            spec:\n              query: requests\n  objectives:\n  - displayName: fast\n    target: 0.98\n    timeSliceTarget: 0.9\n    timeSliceWindow: 5m\n  - displayName: strict\n    target: 0.995\n  timeWindow:\n  - count: 7\n    isRolling: true\n    unit: Day\n  alertPolicies:\n    - apiVersion: openslo/v1beta1\n      kind: AlertPolicy\n      metadata:\n        name: breach\n      spec:\n        conditions: []\n";
    let got = openslo::import(text, WS).expect("v1beta1 imports");
    let names: Vec<&str> = got.slos.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["ratio-fast", "ratio-strict"]);
    let objectives: Vec<f64> = got.slos.iter().map(|s| s.objective).collect();
    assert_eq!(objectives, [98.0, 99.5]);
    let fast = &got.slos[0];
    assert_eq!(fast.service, "api");
    assert_eq!(fast.description, "Requests that succeed");
    assert_eq!(fast.budgeting_method, BudgetingMethod::Timeslices);
    assert_eq!(fast.timeslice_window.as_deref(), Some("5m"));
    assert_eq!(fast.timeslice_target, Some(0.9));
    assert!(fast.window.rolling);
    assert_eq!(fast.window.length.count, 7);
    assert_eq!(fast.window.length.unit, WindowUnit::Day);
    assert_eq!(
        fast.sli,
        Sli::Ratio {
            counter: RatioCounter::Bad,
            numerator_query: "errors".into(),
            total_query: "requests".into(),
            source: "prometheus".into(),
        }
    );
    assert!(
        got.notes
            .iter()
            .any(|n| n.starts_with("/0/spec/alertPolicies:")),
        "{:?}",
        got.notes
    );

    // A counted window with a unit v1beta1 does not know is refused there.
    let bad = text.replace("unit: Day", "unit: Fortnight");
    let why = refusal(openslo::import(&bad, WS), "/0/spec/timeWindow/0/unit");
    assert!(why.contains("Fortnight"), "{why}");
}

/// The rules Sloth generates carry Prometheus alert templates
/// (`{{$labels.x}}`): the refusal names the rule groups and points to the
/// spec, not to a Helm render that would change nothing.
#[test]
fn generated_prometheus_rules_are_named_not_taken_for_a_template() {
    let rules = "---\n# Code generated by Sloth: DO NOT EDIT.\ngroups:\n- name: sloth-slo-sli-recordings-shop-availability\n  rules:\n  - alert: ShopHighErrorRate\n    expr: (slo:sli_error:ratio_rate5m{sloth_id=\"shop-availability\"} > (14.4 * 0.001))\n    labels:\n      severity: page\n    annotations:\n      summary: '{{$labels.sloth_service}} {{$labels.sloth_slo}} SLO error budget burn rate is over expected.'\n";
    assert_eq!(detect_slo_format(rules), None);
    let why = unknown_format_reason(rules);
    assert!(why.starts_with("Prometheus rule groups"), "{why}");
    assert!(!why.contains("helm"), "{why}");

    // A Helm chart's template that is not YAML yet is still told to render.
    let chart = "{{- if .Values.slo.enabled }}\nservice: {{ .Values.service }}\n{{- end }}\n";
    let why = unknown_format_reason(chart);
    assert!(why.starts_with("line 1: "), "{why}");
    assert!(why.contains("render the template first"), "{why}");
}

/// The OpenSLO examples leave a metric source's `spec:` with only a
/// comment under it: refused as an empty spec (no query), not as a
/// missing one, and nothing is imported.
#[test]
fn a_metric_source_spec_of_only_comments_is_empty_not_missing() {
    let text = "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: search\nspec:\n  service: shop\n  indicator:\n    metadata:\n      name: latency\n    spec:\n      thresholdMetric:\n        metricSource:\n          type: Any\n          spec:\n            # fields to query the service with\n  timeWindow:\n    - duration: 2w\n      isRolling: true\n  objectives:\n    - op: lt\n      value: 500\n      target: 0.99\n";
    let e = openslo::import(text, WS).expect_err("no query");
    assert_eq!(
        e.location,
        "/0/spec/indicator/spec/thresholdMetric/metricSource/spec"
    );
    assert_eq!(e.reason, "no query: the metric source's spec is empty");
    let missing = text.replace(
        "          spec:\n            # fields to query the service with\n",
        "",
    );
    let e = openslo::import(&missing, WS).expect_err("no spec");
    assert_eq!(e.reason, "\"spec\" is missing");
}

/// Sloth's victoria-metrics example labels its alerts `objective: 90`: the
/// export wrote the next SLO's objective into that label and left its own
/// objective unrounded. Objectives, labels and descriptions holding the
/// word come back as they were.
#[test]
fn sloth_labels_named_objective_survive_export() {
    let text = "version: prometheus/v1\nservice: grpc\nslos:\n- name: p90\n  objective: 90\n  description: |\n    objective: fast answers\n  labels:\n    objective: ninety\n  sli:\n    events:\n      error_query: errors[{{.window}}]\n      total_query: total[{{.window}}]\n  alerting:\n    name: P90\n    labels:\n      objective: 90\n- name: p99\n  objective: 99.95\n  sli:\n    events:\n      error_query: errors[{{.window}}]\n      total_query: total[{{.window}}]\n  alerting:\n    name: P99\n    labels:\n      objective: 99\n";
    let first = sloth::import(text, WS).expect("imports");
    let slos: Vec<_> = first.slos.iter().collect();
    let (written, skipped) = sloth::export_service("grpc", &slos);
    assert!(skipped.is_empty(), "{skipped:?}");
    let written = written.expect("a spec");
    assert!(written.contains("objective: 90\n"), "{written}");
    assert!(written.contains("objective: 99.95\n"), "{written}");
    let back = sloth::import(&written, WS).expect("reads back");
    for (a, b) in first.slos.iter().zip(&back.slos) {
        assert_eq!(a.objective, b.objective, "{}", a.name);
        assert_eq!(a.alerting, b.alerting, "{}", a.name);
        assert_eq!(a.labels, b.labels, "{}", a.name);
        assert_eq!(a.description, b.description, "{}", a.name);
    }
    assert_eq!(back.slos[0].alerting.labels["objective"], "90");
    assert_eq!(back.slos[1].alerting.labels["objective"], "99");
    assert_eq!(back.slos[0].description, "objective: fast answers\n");
}

/// slogen's and hello-openslo's v1alpha SLOs give no `timeWindows` and
/// write slogen's own keys beside the document: the SLO imports on a
/// rolling 30 days with a note, the labels beside metadata are its labels
/// and the other keys are named, not dropped unseen.
#[test]
fn openslo_v1alpha_without_windows_and_slogen_keys_import() {
    let text = "apiVersion: openslo/v1alpha\nkind: SLO\nmetadata:\n  name: ingest-lag\n  labels:\n    team: ingest\nspec:\n  service: collector\n  budgetingMethod: Timeslices\n  objectives:\n    - target: 0.95\n      timeSliceTarget: 0.9\n      ratioMetrics:\n        total:\n          source: sumologic\n          query: lag_seconds\n        good:\n          source: sumologic\n          query: lag_seconds <= 20\n        incremental: true\ncreateView: true\nfields:\nlabels:\n  team: platform\n  tier: 0\nalerts:\n  burnRate:\n    - shortWindow: '10m'\n";
    let got = openslo::import(text, WS).expect("imports");
    let slo = &got.slos[0];
    assert!(slo.window.rolling);
    assert_eq!(slo.window.length.to_string(), "30d");
    assert_eq!(slo.objective, 95.0);
    assert_eq!(slo.timeslice_target, Some(0.9));
    // metadata's label wins over the one beside it; tier comes from beside.
    assert_eq!(slo.labels["team"], "ingest");
    assert_eq!(slo.labels["tier"], "0");
    for said in [
        "/0/spec: no timeWindows; read as a rolling 30-day window",
        "/0: createView, alerts not kept",
        "/0/labels: read as the SLO's labels",
    ] {
        noted(&got.notes, said);
    }
}

/// slogen's Sumo Logic samples name the calendar period instead of
/// counting it (`duration: Week`, `startTime: Monday`): one week on that
/// calendar, noted. A word that is no unit is still refused there.
#[test]
fn openslo_windows_named_by_their_period_are_one_of_it() {
    let calendar = "    - duration: Week\n      calendar:\n        startTime: Monday\n        timeZone: America/New_York\n      isRolling: false\n";
    let got = openslo::import(&slo_with_window(calendar), WS).expect("imports");
    let w = &got.slos[0].window;
    assert_eq!(w.length.count, 1);
    assert_eq!(w.length.unit, WindowUnit::Week);
    assert!(!w.rolling);
    assert_eq!(w.calendar_start.as_deref(), Some("Monday"));
    noted(
        &got.notes,
        "/0/spec/timeWindow/0/duration: \"Week\" read as 1w (OpenSLO writes a count and a unit)",
    );
    let fortnight = openslo::import(&slo_with_window("    - duration: Fortnight\n"), WS);
    let why = refusal(fortnight, "/0/spec/timeWindow/0/duration");
    assert!(why.contains("Fortnight"), "{why}");
}

/// Kuadrant's Sloth spec puts a Prometheus alert template in an alert's
/// summary (`{{$labels.request_host}}`): Prometheus fills it when the alert
/// fires, so the spec imports with the text kept as written and exported
/// back the same; a Helm action beside it is still refused.
#[test]
fn prometheus_alert_templates_in_sloth_annotations_are_text() {
    let text = "version: prometheus/v1\nservice: gateway\nslos:\n  - name: latency\n    objective: 99.95\n    sli:\n      events:\n        error_query: sum(rate(slow[{{.window}}])) by (request_host)\n        total_query: sum(rate(all[{{.window}}])) by (request_host)\n    alerting:\n      name: GatewayLatency\n      annotations:\n        summary: \"High latency on {{$labels.request_host}}\"\n      page_alert:\n        annotations:\n          description: \"{{ $value | humanizePercentage }} of the budget\"\n";
    let got = sloth::import(text, WS).expect("imports");
    let alerting = &got.slos[0].alerting;
    assert_eq!(
        alerting.annotations["summary"],
        "High latency on {{$labels.request_host}}"
    );
    assert_eq!(
        alerting.page.annotations["description"],
        "{{ $value | humanizePercentage }} of the budget"
    );
    let slos: Vec<_> = got.slos.iter().collect();
    let written = sloth::export_service("gateway", &slos).0.expect("a spec");
    let back = sloth::import(&written, WS).expect("reads back");
    assert_eq!(&back.slos[0].alerting, alerting);

    let helm = text.replace("{{$labels.request_host}}", "{{ .Values.host }}");
    let why = refusal(sloth::import(&helm, WS), "line 13");
    assert!(why.contains("render the template first"), "{why}");
}

/// The OpenSLO repository keeps its examples one kind a file
/// (`slis.yaml`, `services.yaml`, `alert_policies.yaml`, `slos.yaml`): a
/// file of only Services or alert policies is a folder's definitions, like
/// one of SLIs, so a folder import skips it saying so instead of failing it.
#[test]
fn files_of_services_and_alert_policies_are_definitions() {
    let text = "- apiVersion: openslo/v1\n  kind: Service\n  metadata:\n    name: web\n  spec:\n    description: the shop\n- apiVersion: openslo/v1\n  kind: AlertPolicy\n  metadata:\n    name: low-priority\n  spec:\n    conditions:\n      - conditionRef: cpu-usage-breach\n    notificationTargets:\n      - targetRef: on-call\n- apiVersion: openslo/v1\n  kind: AlertNotificationTarget\n  metadata:\n    name: on-call\n  spec:\n    target: slack\n";
    let mut definitions = openslo::Definitions::default();
    let found = definitions.collect(text, "alerts.yaml");
    assert_eq!(found.slos, 0);
    assert_eq!(
        found.defined,
        [
            "Service \"web\"",
            "AlertPolicy \"low-priority\"",
            "AlertNotificationTarget \"on-call\""
        ]
    );
}

/// slogen's threshold samples give the threshold in the metric source's
/// spec in Sumo Logic's words and none on the objective: refused (nothing
/// says how Sumo's per-window aggregation maps), saying where OpenSLO
/// wants op and value.
#[test]
fn a_threshold_given_in_the_source_spec_is_refused_saying_where_it_belongs() {
    let text = "apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: drift\nspec:\n  service: tsat\n  budgetingMethod: Timeslices\n  indicator:\n    metadata:\n      name: latency\n    spec:\n      thresholdMetric:\n        metricSource:\n          type: sumologic-logs\n          spec:\n            size: 1m\n            threshold: 1\n            field: latency_sec\n            op: LessThanOrEqual\n            aggregation: Avg\n            query: cluster=demo | latency / 1000 as latency_sec\n  timeWindow:\n    - duration: 1w\n      isRolling: false\n  objectives:\n    - target: 0.98\n";
    let why = refusal(openslo::import(text, WS), "/0/spec/objectives/0");
    assert!(
        why.starts_with("a threshold objective needs \"op\" (the metric source's spec gives op: LessThanOrEqual and threshold: 1"),
        "{why}"
    );
}

//! SLO conformance over the shared corpus (`../shared/corpus/slo`): every
//! OpenSLO and Sloth file imports with the values it states; what we export
//! from them passes the schemas and reads back the same; and our burn-rate
//! alert thresholds equal the ones Sloth generated for the same SLO. When
//! the corpus is absent the test prints a notice and passes.

use std::path::{Path, PathBuf};

use plasma_exports::slo::{detect_slo_format, openslo, sloth, SloFormat};
use plasma_models::slo::{
    budget_fraction, AlertSeverity, RatioCounter, Sli, Slo, ThresholdOp, BURN_RATE_WINDOWS,
};
use serde_json::Value as Json;
use uuid::Uuid;

use crate::support::{corpus, plasma, workspace_root};

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(p);
        }
    }
}

fn schema(name: &str) -> jsonschema::Validator {
    let path = workspace_root().join("exports/tests/schemas").join(name);
    let value: Json = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&value).unwrap()
}

fn documents(text: &str) -> Vec<Json> {
    serde_yaml_ng::Deserializer::from_str(text)
        .map(|de| {
            let v: serde_yaml_ng::Value = serde::Deserialize::deserialize(de).unwrap();
            serde_json::to_value(v).unwrap()
        })
        .collect()
}

fn assert_valid(validator: &jsonschema::Validator, text: &str, what: &str) {
    for doc in documents(text) {
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{what}: {errors:#?}");
    }
}

/// The values each corpus file states, checked field by field.
fn check_known(name: &str, slos: &[Slo]) {
    match name {
        "openslo-occurrences-slo.yaml" => {
            let s = &slos[0];
            assert_eq!(
                (s.service.as_str(), s.name.as_str()),
                ("web-shop", "search-slo")
            );
            assert_eq!(s.display_name, "Searching time");
            assert_eq!(s.objective, 99.0);
            assert_eq!(s.window.length.to_string(), "2w");
            assert!(s.window.rolling);
            assert!(matches!(
                &s.sli,
                Sli::Threshold { op: ThresholdOp::Lt, value, query, .. } if *value == 500.0 && query == "Any"
            ));
        }
        "openslo-getting-started.yml" => {
            let s = &slos[0];
            assert_eq!(
                (s.service.as_str(), s.name.as_str()),
                ("my-service", "sloth-slo-my-service")
            );
            assert_eq!(s.objective, 99.9);
            assert_eq!(s.window.length.to_string(), "30d");
            let Sli::Ratio {
                counter,
                numerator_query,
                total_query,
                ..
            } = &s.sli
            else {
                panic!("ratio expected")
            };
            assert_eq!(*counter, RatioCounter::Good);
            assert!(numerator_query.contains("code!~\"(5..|429)\""));
            assert!(total_query.contains("[{{.window}}]"));
        }
        "getting-started.yml" => {
            let s = &slos[0];
            assert_eq!(
                (s.service.as_str(), s.name.as_str()),
                ("myservice", "requests-availability")
            );
            assert_eq!(s.objective, 99.9);
            assert_eq!(s.alerting.name, "MyServiceHighErrorRate");
            assert_eq!(s.alerting.page.labels["severity"], "pageteam");
            assert_eq!(s.alerting.ticket.labels["slack_channel"], "#alerts-myteam");
            assert_eq!(s.labels["owner"], "myteam");
        }
        other => eprintln!(
            "no field checks for {other}; imported {} SLO(s)",
            slos.len()
        ),
    }
}

/// `(window, factor, budget)` of each `ratio_rateW{...} > (F * B)` in an
/// alert expression, in order.
fn thresholds(expr: &str) -> Vec<(String, f64, f64)> {
    let mut out = Vec::new();
    let mut rest = expr;
    while let Some(at) = rest.find("ratio_rate") {
        rest = &rest[at + "ratio_rate".len()..];
        let window: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let Some(open) = rest.find("> (") else { break };
        let inner = &rest[open + 3..];
        let close = inner.find(')').unwrap();
        let (f, b) = inner[..close].split_once(" * ").unwrap();
        out.push((window, f.trim().parse().unwrap(), b.trim().parse().unwrap()));
        rest = &inner[close..];
    }
    out
}

/// Sloth's generated alerts for a 99.9 % SLO use the same four windows and
/// burn rates as ours, and the same budget.
fn check_generated_rules(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    assert_eq!(detect_slo_format(&text), None, "rules are not an SLO spec");
    let rules: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let mut seen: Vec<(String, String, f64, f64)> = Vec::new();
    for group in rules["groups"].as_sequence().unwrap() {
        for rule in group["rules"].as_sequence().unwrap() {
            let Some(expr) = rule.get("expr").and_then(|e| e.as_str()) else {
                continue;
            };
            let Some(sev) = rule
                .get("labels")
                .and_then(|l| l.get("sloth_severity"))
                .and_then(|s| s.as_str())
            else {
                continue;
            };
            if rule.get("alert").is_none() {
                continue;
            }
            for (w, f, b) in thresholds(expr) {
                seen.push((sev.to_string(), w, f, b));
            }
        }
    }
    let ours: Vec<(String, String, f64)> = BURN_RATE_WINDOWS
        .iter()
        .flat_map(|(sev, rate, long, short)| {
            let s = match sev {
                AlertSeverity::Page => "page",
                AlertSeverity::Ticket => "ticket",
            };
            [
                (s.to_string(), short.to_string(), *rate),
                (s.to_string(), long.to_string(), *rate),
            ]
        })
        .collect();
    let theirs: Vec<(String, String, f64)> = seen
        .iter()
        .map(|(s, w, f, _)| (s.clone(), w.clone(), *f))
        .collect();
    assert_eq!(theirs, ours, "Sloth's windows and burn rates");
    for (_, _, _, b) in &seen {
        assert!((b - budget_fraction(99.9)).abs() < 1e-12, "budget {b}");
    }
}

#[test]
fn slo_corpus_imports_exports_and_matches_sloth() {
    let Some(corpus) = corpus() else {
        return;
    };
    let dir = corpus.join("slo");
    let mut files = Vec::new();
    yaml_files(&dir, &mut files);
    if files.is_empty() {
        eprintln!("notice: no SLO files under {}, skipping", dir.display());
        return;
    }
    let openslo_schema = schema("openslo-v1.schema.json");
    let sloth_schema = schema("sloth-prometheus-v1.schema.json");
    let tmp = tempfile::tempdir().unwrap();
    let ws = Uuid::new_v4();
    let mut imported = 0;
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let Some(format) = detect_slo_format(&text) else {
            if name.contains("generated-prometheus-rules") {
                check_generated_rules(path);
            } else {
                eprintln!("notice: {name} is neither OpenSLO nor Sloth");
            }
            continue;
        };
        let parsed = match format {
            SloFormat::OpenSlo => openslo::import(&text, ws),
            SloFormat::Sloth => sloth::import(&text, ws),
        }
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        check_known(&name, &parsed.slos);

        // Our exports of what we read pass the schemas and read back.
        for (file, out) in openslo::export_all(&parsed.slos, |_| String::new()) {
            assert_valid(&openslo_schema, &out, &format!("{name} → {file}"));
            let back = openslo::import(&out, ws).unwrap();
            for (a, b) in parsed.slos.iter().zip(&back.slos) {
                assert_eq!(
                    (&a.sli, a.objective, &a.window),
                    (&b.sli, b.objective, &b.window),
                    "{name}"
                );
            }
        }
        let (sloth_files, _) = sloth::export_all(&parsed.slos);
        for (file, out) in &sloth_files {
            assert_valid(&sloth_schema, out, &format!("{name} → {file}"));
            sloth::import(out, ws).unwrap_or_else(|e| panic!("{name} → {file}: {e}"));
        }

        // And the CLI imports the file into a real database.
        let db = tmp.path().join(format!("{name}.db"));
        let run = plasma(&db, &["slo", "import", path.to_str().unwrap(), "--json"]).ok();
        let report = run.json();
        assert_eq!(
            report["items"].as_array().unwrap().len(),
            parsed.slos.len(),
            "{name}"
        );
        imported += 1;
    }
    assert!(imported >= 1, "no SLO file imported from {}", dir.display());
    eprintln!("checked {} SLO corpus files", files.len());
}

/// Through the CLI: a Sloth file whose SLI is a plugin imports with the
/// plugin's id and options and its per-alert annotations, and a Helm
/// template is refused naming its line.
#[test]
fn cli_keeps_sloth_plugin_slis_and_refuses_templates() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("s.db");
    let spec = tmp.path().join("plugin.sloth.yaml");
    std::fs::write(
        &spec,
        "version: \"prometheus/v1\"\nservice: myservice\nslos:\n  - name: requests-availability\n    objective: 99.9\n    sli:\n      plugin:\n        id: getting_started_availability\n        options:\n          job: myservice\n          filter: f1=\"v1\"\n    alerting:\n      name: MyServiceHighErrorRate\n      page_alert:\n        annotations:\n          runbook: https://example.org/runbook\n",
    )
    .unwrap();
    plasma(&db, &["slo", "import", spec.to_str().unwrap()]).ok();
    let list = plasma(&db, &["slo", "list", "--json"]).ok().json();
    let slo = &list[0]["slo"];
    assert_eq!(slo["sli"]["kind"], "plugin");
    assert_eq!(slo["sli"]["id"], "getting_started_availability");
    assert_eq!(slo["sli"]["options"]["filter"], "f1=\"v1\"");
    assert_eq!(
        slo["alerting"]["page"]["annotations"]["runbook"],
        "https://example.org/runbook"
    );

    let helm = tmp.path().join("slo-template.yaml");
    std::fs::write(
        &helm,
        "apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nmetadata:\n  name: {{ include \"app.fullname\" . }}\nspec:\n  service: app\n",
    )
    .unwrap();
    let run = plasma(&db, &["slo", "import", helm.to_str().unwrap()]);
    let err = run.stderr.clone();
    assert_ne!(run.code, 0, "{err}");
    assert!(err.contains("line 4") && err.contains("template"), "{err}");
}

//! Never a panic on user data: OSCAL catalogs and profiles, OpenSLO and
//! Sloth files, damaged byte by byte or value by value, import or are
//! refused with a place and a reason. Self-written files that exercise the
//! importers' paths (parameters, nested items, profile selection and
//! alterations, several documents), plus the shared corpus when present.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

mod common;

use std::path::PathBuf;

use common::damage::{paths, replace_at, replacement, splice};
use plasma_exports::compliance::catalog_import::parse_oscal_with;
use plasma_exports::slo::{openslo, sloth};
use proptest::prelude::*;
use serde::Deserialize as _;
use serde_json::Value;
use uuid::Uuid;

const CATALOG: &str = r##"{"catalog": {"uuid": "c", "metadata": {"title": "Mini *catalog*", "version": "1"},
  "groups": [{"id": "ac", "title": "Access", "groups": [{"id": "ac-x", "title": "Inner", "controls": [
    {"id": "ac-1", "title": "Policy",
     "params": [{"id": "ac-1_prm_1", "label": "frequency"},
                {"id": "ac-1_prm_2", "select": {"how-many": "one-or-more", "choice": ["{{ insert: param, ac-1_prm_1 }}", "never"]}}],
     "parts": [{"id": "ac-1_smt", "name": "statement", "prose": "Review {{ insert: param, ac-1_prm_1 }}.", "parts": [
       {"id": "ac-1_smt.a", "name": "item", "props": [{"name": "label", "value": "a."}], "prose": "Then {{ insert: param, ac-1_prm_2 }}."}]},
       {"id": "ac-1_gdn", "name": "guidance", "prose": "Why."}],
     "controls": [{"id": "ac-1.1", "title": "Enhancement"},
                  {"id": "ac-1.2", "title": "Gone", "props": [{"name": "status", "value": "withdrawn"}]}]}]}]}]}}"##;

const PROFILE: &str = r##"{"profile": {"uuid": "p", "metadata": {"title": "Tailored", "version": "1"},
  "imports": [{"href": "catalog.json", "include-controls": [{"with-ids": ["ac-1"], "with-child-controls": "yes"}, {"matching": [{"pattern": "ac-*"}]}],
               "exclude-controls": [{"with-ids": ["ac-1.1"]}]}],
  "modify": {"set-parameters": [{"param-id": "ac-1_prm_1", "values": ["yearly"]}],
    "alters": [{"control-id": "ac-1", "removes": [{"by-name": "guidance"}],
      "adds": [{"position": "after", "by-id": "ac-1_smt.a", "parts": [{"id": "ac-1_smt.b", "name": "item", "prose": "Added."}]},
               {"position": "ending", "parts": [{"name": "item", "title": "Extra", "parts": [{"name": "item", "prose": "More."}]}]}]}]}}}"##;

const OPENSLO: &str = "apiVersion: openslo/v1
kind: Service
metadata:
  name: shop
spec:
  description: The shop.
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: checkout
  labels:
    team: payments
spec:
  service: shop
  budgetingMethod: Timeslices
  timeWindow:
    - duration: 1M
      isRolling: false
      calendar:
        startTime: 2026-01-01 00:00:00
        timeZone: UTC
  indicatorRef: checkout-ratio
  objectives:
    - displayName: Good
      target: 0.995
      timeSliceTarget: 0.9
      timeSliceWindow: 1m
---
apiVersion: openslo/v1
kind: SLI
metadata:
  name: checkout-ratio
spec:
  ratioMetric:
    counter: true
    good:
      metricSource:
        type: Prometheus
        spec:
          query: sum(rate(ok[5m]))
    total:
      metricSource:
        type: Prometheus
        spec:
          query: sum(rate(all[5m]))
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: errors
spec:
  service: shop
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  indicator:
    metadata:
      name: errors-sli
    spec:
      ratioMetric:
        counter: false
        rawType: failure
        raw:
          metricSource:
            type: Prometheus
            spec:
              query: slo:errors:ratio
  objectives:
    - target: 0.99
";

const SLOTH: &str = "version: prometheus/v1
service: wifi
labels:
  owner: home
slos:
  - name: up
    objective: 99.5
    sli:
      events:
        error_query: sum(rate(down[{{.window}}]))
        total_query: sum(rate(all[{{.window}}]))
    alerting:
      name: WifiDown
      page_alert:
        labels:
          severity: page
      ticket_alert:
        disable: true
  - name: ratio
    objective: 99
    sli:
      raw:
        error_ratio_query: slo:wifi:ratio{{.window}}
    alerting:
      name: WifiRatio
  - name: plugin
    objective: 99
    sli:
      plugin:
        id: getting_started_availability
    alerting:
      name: P
";

fn corpus(rel: &str) -> Option<String> {
    let dir = std::env::var_os("PLASMA_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    std::fs::read_to_string(dir.join(rel)).ok()
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Oscal,
    OpenSlo,
    Sloth,
}

fn inputs() -> Vec<(Kind, String)> {
    let mut out = vec![
        (Kind::Oscal, CATALOG.to_string()),
        (Kind::Oscal, PROFILE.to_string()),
        (Kind::OpenSlo, OPENSLO.to_string()),
        (Kind::Sloth, SLOTH.to_string()),
    ];
    for (kind, rel) in [
        (
            Kind::Oscal,
            "oscal/NIST_SP-800-53_rev5_LOW-baseline_profile.json",
        ),
        (Kind::OpenSlo, "slo/openslo-occurrences-slo.yaml"),
        (Kind::Sloth, "slo/sloth/getting-started.yml"),
    ] {
        if let Some(text) = corpus(rel) {
            out.push((kind, text));
        }
    }
    out
}

/// Imports `text` (the profile finds the self-written catalog beside it);
/// an error must say where and why.
fn import(kind: Kind, text: &str) -> Result<(), (String, String)> {
    match kind {
        Kind::Oscal => parse_oscal_with("damaged.json", text, None, &mut |p| {
            (p == "catalog.json").then(|| CATALOG.to_string())
        })
        .map(|_| ())
        .map_err(|e| ("file".into(), e.to_string())),
        Kind::OpenSlo => openslo::import(text, Uuid::nil())
            .map(|_| ())
            .map_err(|e| (e.location, e.reason)),
        Kind::Sloth => sloth::import(text, Uuid::nil())
            .map(|_| ())
            .map_err(|e| (e.location, e.reason)),
    }
}

#[test]
fn the_undamaged_inputs_import() {
    for (kind, text) in inputs() {
        if let Err(e) = import(kind, &text) {
            panic!("{kind:?}: {e:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn damaged_text_never_panics(pick in any::<prop::sample::Index>(), at in any::<prop::sample::Index>(), len in 0usize..40, junk in "[{}\\[\\]\",:a-z0-9 \n*-]{0,8}") {
        let files = inputs();
        let (kind, text) = &files[pick.index(files.len())];
        if let Err((at, why)) = import(*kind, &splice(text, at, len, &junk)) {
            prop_assert!(!at.is_empty() && !why.is_empty());
        }
    }

    #[test]
    fn damaged_structure_never_panics(pick in any::<prop::sample::Index>(), which in any::<prop::sample::Index>(), kind in 0u8..7) {
        let files = inputs();
        let (format, text) = &files[pick.index(files.len())];
        // Every document as JSON (JSON is YAML): damage one value of one.
        let mut docs: Vec<Value> = serde_yaml_ng::Deserializer::from_str(text)
            .map(|d| serde_json::to_value(serde_yaml_ng::Value::deserialize(d).unwrap()).unwrap())
            .collect();
        let mut all = vec![];
        for (i, d) in docs.iter().enumerate() {
            let mut found = vec![];
            paths(d, vec![], &mut found);
            all.extend(found.into_iter().map(|p| (i, p)));
        }
        let (doc, path) = all[which.index(all.len())].clone();
        replace_at(&mut docs[doc], &path, replacement(kind));
        let damaged = docs.iter().map(Value::to_string).collect::<Vec<_>>().join("\n---\n");
        if let Err((at, why)) = import(*format, &damaged) {
            prop_assert!(!at.is_empty() && !why.is_empty());
        }
    }
}

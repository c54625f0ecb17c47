//! The STRIDE rule files: the bundled set loads, and bad rule files are
//! refused with errors that name the rule.

#![allow(clippy::unwrap_used)] // tests fail loudly by design

use std::collections::{BTreeSet, HashSet};

use plasma_models::threat::{
    AppliesTo, Condition, Rating, RuleError, RuleSet, Stride, BUNDLED_RULE_FILES,
};

fn bundled() -> RuleSet {
    match RuleSet::bundled() {
        Ok(set) => set,
        Err(e) => panic!("a bundled rule file does not load: {e}"),
    }
}

#[test]
fn bundled_rules_load_with_unique_ids_and_cover_every_category() {
    let set = bundled();
    assert!(set.len() >= 120, "only {} bundled rules", set.len());
    let ids: HashSet<&str> = set.rules().iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), set.len(), "rule ids are not unique");
    let categories: BTreeSet<Stride> = set.rules().iter().map(|r| r.category).collect();
    assert_eq!(categories, Stride::ALL.into_iter().collect::<BTreeSet<_>>());
    // Every target kind has rules of its own.
    for kind in [
        AppliesTo::ExternalEntity,
        AppliesTo::Process,
        AppliesTo::DataStore,
        AppliesTo::Flow,
    ] {
        assert!(
            set.rules().iter().any(|r| r.applies_to.contains(&kind)),
            "no rule applies to {kind:?}"
        );
    }
    // Every theme file contributes.
    for (file, _) in BUNDLED_RULE_FILES {
        assert!(
            set.rules().iter().filter(|r| r.source == *file).count() >= 10,
            "{file} has fewer than 10 rules"
        );
    }
}

#[test]
fn bundled_rules_are_complete_and_referenced() {
    let set = bundled();
    for r in set.rules() {
        assert!(r.enabled, "{} is disabled", r.id);
        assert!(r.id.starts_with("STRIDE-"), "{}", r.id);
        assert!(
            !r.description.trim().is_empty(),
            "{} has no description",
            r.id
        );
        assert!(!r.mitigations.is_empty(), "{} suggests no mitigation", r.id);
        assert!(!r.references.is_empty(), "{} has no reference", r.id);
        for reference in &r.references {
            let ok = reference
                .strip_prefix("CWE-")
                .or_else(|| reference.strip_prefix("CAPEC-"))
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
                || reference.starts_with("OWASP A")
                || reference.starts_with("OWASP API")
                || reference.starts_with("OWASP LLM");
            assert!(
                ok,
                "{}: reference {reference:?} is not a CWE/CAPEC/OWASP id",
                r.id
            );
        }
    }
    // The AI/LLM themes the brief asks for are there.
    let refs: Vec<&str> = set
        .rules()
        .iter()
        .flat_map(|r| r.references.iter().map(String::as_str))
        .collect();
    for needle in [
        "OWASP LLM01:2025 Prompt Injection",
        "OWASP LLM02:2025 Sensitive Information Disclosure",
        "OWASP LLM05:2025 Improper Output Handling",
        "OWASP LLM06:2025 Excessive Agency",
        "OWASP LLM10:2025 Unbounded Consumption",
        "CWE-306",
        "CWE-319",
        "CAPEC-94",
    ] {
        assert!(refs.contains(&needle), "no rule cites {needle}");
    }
}

const ONE: &str = r#"
[[rule]]
id = "ACME-001"
title = "Unhardened agent {name}"
category = "elevation_of_privilege"
applies_to = ["process"]
when = { llm_component = true, hardened = false }
likelihood = "high"
impact = "low"
references = ["CWE-250"]
"#;

#[test]
fn a_table_with_several_keys_means_all_of_them_in_written_order() {
    let set = RuleSet::parse("acme.toml", ONE).unwrap();
    let rule = set.get("ACME-001").unwrap();
    assert_eq!(
        rule.when,
        Condition::All(vec![
            Condition::LlmComponent(true),
            Condition::Hardened(false)
        ])
    );
    assert_eq!(rule.likelihood, Rating::High);
    assert_eq!(rule.source, "acme.toml");
    assert!(rule.enabled);
}

#[test]
fn a_rule_without_condition_always_applies() {
    let text = ONE.replace("when = { llm_component = true, hardened = false }\n", "");
    let set = RuleSet::parse("acme.toml", &text).unwrap();
    assert_eq!(set.get("ACME-001").unwrap().when, Condition::always());
}

#[test]
fn single_protocol_and_port_values_become_lists() {
    let text = r#"
[[rule]]
id = "ACME-002"
title = "t"
category = "tampering"
applies_to = ["flow"]
when = { protocol = "http", port = 80 }
likelihood = "low"
impact = "low"
"#;
    let set = RuleSet::parse("acme.toml", text).unwrap();
    assert_eq!(
        set.get("ACME-002").unwrap().when,
        Condition::All(vec![
            Condition::Protocol(vec!["http".into()]),
            Condition::Port(vec![80])
        ])
    );
}

fn parse_err(text: &str) -> RuleError {
    match RuleSet::parse("acme.toml", text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn an_unknown_predicate_is_a_load_error_naming_the_rule() {
    let err = parse_err(&ONE.replace("hardened = false", "is_hardened = false"));
    let msg = err.to_string();
    assert!(
        matches!(err, RuleError::Invalid { ref rule, .. } if rule == "ACME-001"),
        "{err:?}"
    );
    assert!(msg.contains("ACME-001"), "{msg}");
    assert!(msg.contains("unknown predicate `is_hardened`"), "{msg}");
    assert!(msg.contains("acme.toml"), "{msg}");
}

#[test]
fn an_unknown_predicate_nested_deep_is_found_too() {
    let text = ONE.replace(
        "when = { llm_component = true, hardened = false }",
        "when = { any = [{ not = { all = [{ frobnicated = true }] } }] }",
    );
    let msg = parse_err(&text).to_string();
    assert!(
        msg.contains("ACME-001") && msg.contains("frobnicated"),
        "{msg}"
    );
}

#[test]
fn predicates_must_fit_what_the_rule_applies_to() {
    // A flow predicate on an element rule.
    let text = ONE.replace("hardened = false", "encrypted_in_transit = false");
    let msg = parse_err(&text).to_string();
    assert!(
        msg.contains("ACME-001") && msg.contains("encrypted_in_transit"),
        "{msg}"
    );
    // An element predicate used bare in a flow rule.
    let text = ONE.replace(r#"applies_to = ["process"]"#, r#"applies_to = ["flow"]"#);
    let msg = parse_err(&text).to_string();
    assert!(msg.contains("source"), "{msg}");
    // source/target inside an element rule.
    let text = ONE.replace(
        "when = { llm_component = true, hardened = false }",
        "when = { source = { hardened = false } }",
    );
    assert!(parse_err(&text).to_string().contains("`source`"));
}

#[test]
fn other_malformed_rules_are_refused() {
    // Unknown field.
    let msg =
        parse_err(&ONE.replace("impact = \"low\"", "impact = \"low\"\nseverity = 3")).to_string();
    assert!(
        msg.contains("ACME-001") && msg.contains("severity"),
        "{msg}"
    );
    // Bad enum value.
    let msg = parse_err(&ONE.replace("\"elevation_of_privilege\"", "\"privilege\"")).to_string();
    assert!(msg.contains("ACME-001"), "{msg}");
    // Missing id.
    assert!(matches!(
        parse_err(&ONE.replace("id = \"ACME-001\"\n", "")),
        RuleError::MissingId { index: 1, .. }
    ));
    // Duplicate id in one file.
    assert!(matches!(
        parse_err(&format!("{ONE}\n{ONE}")),
        RuleError::Duplicate { .. }
    ));
    // Empty applies_to, empty condition, TOML syntax.
    assert!(parse_err(&ONE.replace(r#"["process"]"#, "[]"))
        .to_string()
        .contains("applies_to"));
    assert!(
        parse_err(&ONE.replace("{ llm_component = true, hardened = false }", "{}"))
            .to_string()
            .contains("empty")
    );
    assert!(matches!(parse_err("[[rule]\n"), RuleError::Syntax { .. }));
    // An id that could not be a stable key.
    assert!(parse_err(&ONE.replace("ACME-001", "ACME 001"))
        .to_string()
        .contains("id"));
}

#[test]
fn workspace_rules_override_bundled_rules_with_the_same_id() {
    let base = bundled();
    let n = base.len();
    let user = format!(
        "{}\n{}",
        ONE,
        r#"
[[rule]]
id = "STRIDE-BASE-001"
title = "Our own take on spoofing {name}"
category = "spoofing"
applies_to = ["external_entity"]
likelihood = "low"
impact = "low"

[[rule]]
id = "STRIDE-LLM-015"
title = "disabled"
category = "denial_of_service"
applies_to = ["process"]
likelihood = "low"
impact = "low"
enabled = false
"#
    );
    let merged = base.with(RuleSet::parse("workspace.toml", &user).unwrap());
    assert_eq!(merged.len(), n + 1);
    let own = merged.get("STRIDE-BASE-001").unwrap();
    assert_eq!(own.title, "Our own take on spoofing {name}");
    assert_eq!(own.source, "workspace.toml");
    // Position is kept: the override replaces in place.
    assert_eq!(merged.rules()[0].id, "STRIDE-BASE-001");
    assert!(!merged.get("STRIDE-LLM-015").unwrap().enabled);
    assert!(merged.enabled().all(|r| r.id != "STRIDE-LLM-015"));
    assert_eq!(merged.rules().last().unwrap().id, "ACME-001");
}

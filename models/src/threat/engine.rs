//! The STRIDE engine: rules in, threats out, and a merge that keeps what
//! people decided about threats across regenerations.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use super::boundary::Containment;
use super::model::{
    Because, Classification, DataAsset, Diagram, Element, ElementKind, Flow, Threat, ThreatModel,
    ThreatStatus, ThreatTarget,
};
use super::rules::{AppliesTo, Condition, Rule, RuleSet};

/// Namespace of generated threat ids (UUID v5).
pub const THREAT_NAMESPACE: Uuid = Uuid::from_u128(0x8f1c_2b7e_4d5a_4c1e_9b3f_0a6e_7d21_c5b4);

/// The id of the threat `rule_id` raises on the element or flow `target`:
/// the same inputs give the same id, so regenerating finds it again.
pub fn threat_id(rule_id: &str, target: Uuid) -> Uuid {
    // The name is "rule/target" as text; built in place, as this runs once
    // per raised threat.
    let mut name = Vec::with_capacity(rule_id.len() + 1 + uuid::fmt::Hyphenated::LENGTH);
    name.extend_from_slice(rule_id.as_bytes());
    name.push(b'/');
    name.extend_from_slice(
        target
            .hyphenated()
            .encode_lower(&mut Uuid::encode_buffer())
            .as_bytes(),
    );
    Uuid::new_v5(&THREAT_NAMESPACE, &name)
}

/// What the rules may read about one element.
struct ElementFacts<'a> {
    element: &'a Element,
    boundary_name: Option<&'a str>,
    /// Data assets on flows into or out of the element, deduplicated.
    data: Vec<&'a DataAsset>,
}

struct FlowFacts<'a> {
    flow: &'a Flow,
    source: &'a ElementFacts<'a>,
    target: &'a ElementFacts<'a>,
    crossed: Vec<&'a str>,
    data: Vec<&'a DataAsset>,
}

enum Subject<'a> {
    Element(&'a ElementFacts<'a>),
    Flow(&'a FlowFacts<'a>),
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

fn names(assets: &[&DataAsset]) -> String {
    if assets.is_empty() {
        "none".into()
    } else {
        assets
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The highest classification among `data`, with the assets that have it.
fn max_classification(data: &[&DataAsset]) -> (Option<Classification>, String) {
    let max = data.iter().map(|a| a.classification).max();
    let value = match max {
        None => "none".to_string(),
        Some(c) => {
            let top: Vec<&DataAsset> = data
                .iter()
                .filter(|a| a.classification == c)
                .copied()
                .collect();
            format!("{} ({})", c.label(), names(&top))
        }
    };
    (max, value)
}

fn tag_value(data: &[&DataAsset], tag: super::model::DataTag) -> (bool, String) {
    let with: Vec<&DataAsset> = data
        .iter()
        .filter(|a| a.tags.contains(&tag))
        .copied()
        .collect();
    if with.is_empty() {
        let mut all: Vec<&str> = data
            .iter()
            .flat_map(|a| a.tags.iter().map(|t| t.label()))
            .collect();
        all.sort_unstable();
        all.dedup();
        let value = if all.is_empty() {
            "none".to_string()
        } else {
            all.join(", ")
        };
        (false, value)
    } else {
        (true, format!("{} ({})", tag.label(), names(&with)))
    }
}

/// Evaluates `cond`; with `record`, appends to `why` the property values
/// that decided the outcome. `prefix` names the element in a flow
/// ("source."). Most rules fail for most elements, so the engine first
/// evaluates without recording and builds the reasons only for a match:
/// values are made by closures, only when recorded.
fn eval(
    cond: &Condition,
    subject: &Subject,
    prefix: &str,
    why: &mut Vec<Because>,
    record: bool,
) -> bool {
    use Condition::*;
    let mut leaf = |property: &str, value: &dyn Fn() -> String, result: bool| {
        if record {
            why.push(Because::new([prefix, property].concat(), value()));
        }
        result
    };
    let flag = |name: &str, actual: bool, expected: bool, why: &mut Vec<Because>| {
        if record {
            why.push(Because::new([prefix, name].concat(), yes_no(actual)));
        }
        actual == expected
    };
    match (cond, subject) {
        (All(cs), _) => cs.iter().all(|c| eval(c, subject, prefix, why, record)),
        (Any(cs), _) => {
            let mark = why.len();
            for c in cs {
                let start = why.len();
                if eval(c, subject, prefix, why, record) {
                    // Keep only the reasons of the branch that matched.
                    why.drain(mark..start);
                    return true;
                }
            }
            // Every branch failed: all their values explain an enclosing `not`.
            false
        }
        (Not(c), _) => !eval(c, subject, prefix, why, record),

        (Kind(k), Subject::Element(e)) => leaf(
            "kind",
            &|| e.element.kind.label().into(),
            e.element.kind == *k,
        ),
        (StoresCredentials(b), Subject::Element(e)) => {
            flag(cond.name(), e.element.props.stores_credentials, *b, why)
        }
        (IsLog(b), Subject::Element(e)) => flag(cond.name(), e.element.props.is_log, *b, why),
        (EncryptedAtRest(b), Subject::Element(e)) => {
            flag(cond.name(), e.element.props.encrypted_at_rest, *b, why)
        }
        (Signed(b), Subject::Element(e)) => flag(cond.name(), e.element.props.signed, *b, why),
        (WebApplication(b), Subject::Element(e)) => {
            flag(cond.name(), e.element.props.web_application, *b, why)
        }
        (ApiGateway(b), Subject::Element(e)) => {
            flag(cond.name(), e.element.props.api_gateway, *b, why)
        }
        (QueueOrStream(b), Subject::Element(e)) => {
            flag(cond.name(), e.element.props.queue_or_stream, *b, why)
        }
        (LlmComponent(b), Subject::Element(e)) => {
            flag(cond.name(), e.element.props.llm_component, *b, why)
        }
        (HandlesUntrustedInput(b), Subject::Element(e)) => flag(
            cond.name(),
            e.element.props.handles_untrusted_input,
            *b,
            why,
        ),
        (SanitizesInput(b), Subject::Element(e)) => {
            flag(cond.name(), e.element.props.sanitizes_input, *b, why)
        }
        (HasAccessControl(b), Subject::Element(e)) => {
            flag(cond.name(), e.element.props.has_access_control, *b, why)
        }
        (Hardened(b), Subject::Element(e)) => flag(cond.name(), e.element.props.hardened, *b, why),
        (PrivilegeAtLeast(p), Subject::Element(e)) => {
            let actual = e.element.props.privilege;
            leaf("privilege", &|| actual.label().into(), actual >= *p)
        }
        (Tag(t), Subject::Element(e)) => {
            let tags = &e.element.props.tags;
            match tags
                .iter()
                .find(|x| x.trim().eq_ignore_ascii_case(t.trim()))
            {
                Some(found) => leaf("tags", &|| found.clone(), true),
                None if tags.is_empty() => leaf("tags", &|| "none".into(), false),
                None => leaf("tags", &|| tags.join(", "), false),
            }
        }
        (InBoundary(b), Subject::Element(e)) => {
            let value = || e.boundary_name.unwrap_or("none").to_string();
            leaf("boundary", &value, e.boundary_name.is_some() == *b)
        }
        (HandlesClassificationAtLeast(c), Subject::Element(e)) => {
            let max = e.data.iter().map(|a| a.classification).max();
            let value = || max_classification(&e.data).1;
            leaf("data.classification", &value, max.is_some_and(|m| m >= *c))
        }
        (HandlesTag(t), Subject::Element(e)) => {
            let found = e.data.iter().any(|a| a.tags.contains(t));
            leaf("data.tags", &|| tag_value(&e.data, *t).1, found)
        }

        (Bidirectional(b), Subject::Flow(f)) => flag(cond.name(), f.flow.bidirectional, *b, why),
        (Authenticated(b), Subject::Flow(f)) => flag(cond.name(), f.flow.authenticated, *b, why),
        (Authorized(b), Subject::Flow(f)) => flag(cond.name(), f.flow.authorized, *b, why),
        (EncryptedInTransit(b), Subject::Flow(f)) => {
            flag(cond.name(), f.flow.encrypted_in_transit, *b, why)
        }
        (CrossesPublicNetwork(b), Subject::Flow(f)) => {
            flag(cond.name(), f.flow.crosses_public_network, *b, why)
        }
        (Protocol(list), Subject::Flow(f)) => {
            let actual = f.flow.protocol.trim();
            let hit = list.iter().any(|p| p.trim().eq_ignore_ascii_case(actual));
            let value = || {
                if actual.is_empty() {
                    "unspecified".to_string()
                } else {
                    actual.to_ascii_lowercase()
                }
            };
            leaf("protocol", &value, hit)
        }
        (Port(list), Subject::Flow(f)) => match f.flow.port {
            Some(p) => leaf("port", &|| p.to_string(), list.contains(&p)),
            None => leaf("port", &|| "none".into(), false),
        },
        (CrossesBoundary(b), Subject::Flow(f)) => {
            let value = || {
                if f.crossed.is_empty() {
                    "none".to_string()
                } else {
                    let named: Vec<&str> = f
                        .crossed
                        .iter()
                        .map(|n| or_unnamed(n, "an unnamed boundary"))
                        .collect();
                    named.join(", ")
                }
            };
            leaf("boundaries_crossed", &value, f.crossed.is_empty() != *b)
        }
        (CarriesData(b), Subject::Flow(f)) => {
            leaf("data", &|| names(&f.data), f.data.is_empty() != *b)
        }
        (CarriesClassificationAtLeast(c), Subject::Flow(f)) => {
            let max = f.data.iter().map(|a| a.classification).max();
            let value = || max_classification(&f.data).1;
            leaf("data.classification", &value, max.is_some_and(|m| m >= *c))
        }
        (CarriesTag(t), Subject::Flow(f)) => {
            let found = f.data.iter().any(|a| a.tags.contains(t));
            leaf("data.tags", &|| tag_value(&f.data, *t).1, found)
        }
        (Source(c), Subject::Flow(f)) => {
            eval(c, &Subject::Element(f.source), "source.", why, record)
        }
        (Target(c), Subject::Flow(f)) => {
            eval(c, &Subject::Element(f.target), "target.", why, record)
        }
        (Either(c), Subject::Flow(f)) => {
            let mark = why.len();
            if eval(c, &Subject::Element(f.source), "source.", why, record) {
                return true;
            }
            let start = why.len();
            if eval(c, &Subject::Element(f.target), "target.", why, record) {
                why.drain(mark..start);
                return true;
            }
            false
        }
        // Rule loading refuses predicates read in the wrong place; should a
        // hand-built rule do it anyway, the predicate does not match.
        _ => false,
    }
}

pub(crate) fn fill(template: &str, name: &str, source: &str, target: &str) -> String {
    // Threat Dragon files often leave flows, and sometimes elements,
    // without a name: say what they are rather than leave a gap in the text.
    let is_flow = !source.trim().is_empty() || !target.trim().is_empty();
    let (source, target) = (
        or_unnamed(source, "an unnamed element"),
        or_unnamed(target, "an unnamed element"),
    );
    let flow_name;
    let name = if !name.trim().is_empty() {
        name
    } else if !is_flow {
        "an unnamed element"
    } else if template.contains("{source}") || template.contains("{target}") {
        "the unnamed flow"
    } else {
        flow_name = format!("the flow from {source} to {target}");
        &flow_name
    };
    template
        .replace("{name}", name)
        .replace("{source}", source)
        .replace("{target}", target)
}

/// `name`, or `instead` when it is blank.
fn or_unnamed<'a>(name: &'a str, instead: &'a str) -> &'a str {
    if name.trim().is_empty() {
        instead
    } else {
        name
    }
}

/// `why` without repeats, first occurrences in order (a rationale is a
/// handful of entries, so a linear scan beats hashing).
fn dedup(why: Vec<Because>) -> Vec<Because> {
    let mut out: Vec<Because> = Vec::with_capacity(why.len());
    for b in why {
        if !out.contains(&b) {
            out.push(b);
        }
    }
    out
}

/// A threat the rules raise, before its text is filled in: what a
/// regeneration compares with a stored threat, and fills only when the
/// threat is new or changed.
pub(crate) struct Candidate<'a> {
    pub(crate) id: Uuid,
    pub(crate) rule: &'a Rule,
    pub(crate) target: ThreatTarget,
    /// The element or flow name, then for a flow its source and target as
    /// the rule read them.
    pub(crate) names: (&'a str, &'a str, &'a str),
    /// Without repeats.
    pub(crate) rationale: Vec<Because>,
}

impl Candidate<'_> {
    pub(crate) fn fill(&self, template: &str) -> String {
        let (name, source, target) = self.names;
        fill(template, name, source, target)
    }

    pub(crate) fn into_threat(self) -> Threat {
        let rule = self.rule;
        Threat {
            id: self.id,
            rule_id: Some(rule.id.clone()),
            title: self.fill(&rule.title),
            category: rule.category,
            target: self.target,
            description: self.fill(&rule.description),
            likelihood: rule.likelihood,
            impact: rule.impact,
            severity_override: None,
            cvss: None,
            status: ThreatStatus::Open,
            notes: String::new(),
            mitigations: vec![],
            linked_adrs: vec![],
            rationale: self.rationale,
            obsolete: false,
            suggested_mitigations: rule.mitigations.clone(),
            references: rule.references.clone(),
        }
    }
}

fn candidate<'a>(
    rule: &'a Rule,
    target: ThreatTarget,
    names: (&'a str, &'a str, &'a str),
    rationale: Vec<Because>,
) -> Candidate<'a> {
    Candidate {
        id: threat_id(&rule.id, target.id()),
        rule,
        target,
        names,
        rationale: dedup(rationale),
    }
}

/// Runs every enabled rule over every element and every flow of every
/// diagram. A bidirectional flow is checked from its source's side, then,
/// if the rule did not match, from its target's side (the rationale then
/// names the direction). Flows whose ends are not elements of their diagram
/// are skipped ([`ThreatModel::validate`] reports them), and so are elements
/// and flows marked out of scope. Threats come out in diagram
/// order: a diagram's elements, then its flows, each in rule order.
pub fn generate(model: &ThreatModel, rules: &RuleSet) -> Vec<Threat> {
    candidates(&model.diagrams, &model.data_assets, rules)
        .into_iter()
        .map(Candidate::into_threat)
        .collect()
}

/// What [`generate`] returns, without the text filled in.
pub(crate) fn candidates<'a>(
    diagrams: &'a [Diagram],
    data_assets: &'a [DataAsset],
    rules: &'a RuleSet,
) -> Vec<Candidate<'a>> {
    let mut out = vec![];
    for_each_candidate(diagrams, data_assets, rules, |c| out.push(c));
    out
}

/// [`candidates`] one at a time, in the same order, none kept.
pub(crate) fn for_each_candidate<'a>(
    diagrams: &'a [Diagram],
    data_assets: &'a [DataAsset],
    rules: &'a RuleSet,
    mut emit: impl FnMut(Candidate<'a>),
) {
    let mut by_kind: HashMap<ElementKind, Vec<&Rule>> = HashMap::new();
    let mut flow_rules: Vec<&Rule> = vec![];
    for rule in rules.enabled() {
        for applies in &rule.applies_to {
            match applies.element_kind() {
                Some(kind) => by_kind.entry(kind).or_default().push(rule),
                None if *applies == AppliesTo::Flow => flow_rules.push(rule),
                None => {}
            }
        }
    }
    let assets: HashMap<Uuid, &DataAsset> = data_assets.iter().map(|a| (a.id, a)).collect();
    let mut seen = HashSet::new();

    for diagram in diagrams {
        let containment = Containment::new(diagram);
        let boundary_names: HashMap<Uuid, &str> = diagram
            .boundaries
            .iter()
            .map(|b| (b.id, b.name.as_str()))
            .collect();
        let mut touched: HashMap<Uuid, Vec<&DataAsset>> = HashMap::new();
        for flow in &diagram.flows {
            for end in [flow.source, flow.target] {
                let list = touched.entry(end).or_default();
                for asset in flow.data.iter().filter_map(|id| assets.get(id)) {
                    if !list.iter().any(|a| a.id == asset.id) {
                        list.push(asset);
                    }
                }
            }
        }
        let facts: Vec<ElementFacts> = diagram
            .elements
            .iter()
            .map(|e| ElementFacts {
                element: e,
                boundary_name: e.boundary.and_then(|b| boundary_names.get(&b).copied()),
                data: touched.remove(&e.id).unwrap_or_default(),
            })
            .collect();
        let by_id: HashMap<Uuid, &ElementFacts> = facts.iter().map(|f| (f.element.id, f)).collect();
        let element_of: HashMap<Uuid, &'a Element> =
            diagram.elements.iter().map(|e| (e.id, e)).collect();

        for ef in &facts {
            let e = ef.element;
            if e.out_of_scope_reason().is_some() {
                continue;
            }
            let Some(rules) = by_kind.get(&e.kind) else {
                continue;
            };
            let subject = Subject::Element(ef);
            let mut none = Vec::new();
            for rule in rules {
                if !eval(&rule.when, &subject, "", &mut none, false) {
                    continue;
                }
                let mut why = vec![Because::new("kind", e.kind.label())];
                if eval(&rule.when, &subject, "", &mut why, true) {
                    let t = candidate(rule, ThreatTarget::Element(e.id), (&e.name, "", ""), why);
                    if seen.insert(t.id) {
                        emit(t);
                    }
                }
            }
        }

        // A flow between out-of-scope elements still gets its own threats
        // (it may carry data into the scope); only the flow's flag skips it.
        for flow in diagram.flows.iter().filter(|f| f.out_of_scope.is_none()) {
            let (Some(source), Some(target)) = (by_id.get(&flow.source), by_id.get(&flow.target))
            else {
                continue;
            };
            // The ends as elements of `diagrams`, which the candidates borrow.
            let ends: (&'a Element, &'a Element) =
                (element_of[&flow.source], element_of[&flow.target]);
            let crossed: Vec<&str> = containment
                .crossed(flow)
                .iter()
                .filter_map(|b| boundary_names.get(b).copied())
                .collect();
            let data: Vec<&DataAsset> = flow
                .data
                .iter()
                .filter_map(|id| assets.get(id).copied())
                .collect();
            let forward = FlowFacts {
                flow,
                source,
                target,
                crossed: crossed.clone(),
                data: data.clone(),
            };
            // A bidirectional flow is also read from its target's side.
            let reverse = flow.bidirectional.then_some(FlowFacts {
                flow,
                source: target,
                target: source,
                crossed,
                data,
            });
            let arrow = if flow.bidirectional { "↔" } else { "→" };
            let interaction = format!("{} {arrow} {}", source.element.name, target.element.name);
            let mut none = Vec::new();
            for rule in &flow_rules {
                let mut matched = None;
                let forward_holds =
                    eval(&rule.when, &Subject::Flow(&forward), "", &mut none, false);
                let reverse_holds = !forward_holds
                    && reverse.as_ref().is_some_and(|rev| {
                        eval(&rule.when, &Subject::Flow(rev), "", &mut none, false)
                    });
                if !forward_holds && !reverse_holds {
                    continue;
                }
                let mut why = vec![Because::new("interaction", interaction.clone())];
                if forward_holds && eval(&rule.when, &Subject::Flow(&forward), "", &mut why, true) {
                    matched = Some((false, why));
                } else if let Some(rev) = &reverse {
                    let mut why = vec![
                        Because::new("interaction", interaction.clone()),
                        Because::new(
                            "direction",
                            format!("{} → {}", rev.source.element.name, rev.target.element.name),
                        ),
                    ];
                    if eval(&rule.when, &Subject::Flow(rev), "", &mut why, true) {
                        matched = Some((true, why));
                    }
                }
                if let Some((reversed, why)) = matched {
                    let (from, to) = if reversed { (ends.1, ends.0) } else { ends };
                    let names = (flow.name.as_str(), from.name.as_str(), to.name.as_str());
                    let t = candidate(rule, ThreatTarget::Flow(flow.id), names, why);
                    if seen.insert(t.id) {
                        emit(t);
                    }
                }
            }
        }
    }
}

/// Merges a fresh [`generate`] run into the threats a model already has.
///
/// - A generated threat that already exists (same id) takes the rule's
///   current text, ratings and rationale, and keeps what people decided:
///   status, notes, severity override, CVSS vector, mitigations, linked
///   ADRs. It is no longer obsolete.
/// - A rule-made threat that was not generated again is marked obsolete,
///   never deleted.
/// - Threats a user added (`rule_id == None`) are left as they are.
/// - Existing threats keep their order; new ones follow in generated order.
///
/// Running it again with the same `generated` changes nothing.
pub fn regenerate(existing: &[Threat], generated: Vec<Threat>) -> Vec<Threat> {
    let mut fresh: HashMap<Uuid, Threat> = HashMap::with_capacity(generated.len());
    let mut order: Vec<Uuid> = Vec::with_capacity(generated.len());
    for t in generated {
        if let std::collections::hash_map::Entry::Vacant(slot) = fresh.entry(t.id) {
            order.push(t.id);
            slot.insert(t);
        }
    }
    let mut out = Vec::with_capacity(existing.len() + fresh.len());
    for old in existing {
        if old.rule_id.is_none() {
            out.push(old.clone());
            continue;
        }
        match fresh.remove(&old.id) {
            Some(mut new) => {
                new.status = old.status.clone();
                new.notes = old.notes.clone();
                new.severity_override = old.severity_override;
                new.cvss = old.cvss.clone();
                new.mitigations = old.mitigations.clone();
                new.linked_adrs = old.linked_adrs.clone();
                new.obsolete = false;
                out.push(new);
            }
            None => {
                let mut gone = old.clone();
                gone.obsolete = true;
                out.push(gone);
            }
        }
    }
    out.extend(order.into_iter().filter_map(|id| fresh.remove(&id)));
    out
}

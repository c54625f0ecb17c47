//! STRIDE rules: declarative conditions read from TOML, never evaluated as
//! code. The bundled rule files are compiled in with `include_str!`; a
//! workspace may add its own file, whose rules replace bundled rules with
//! the same id.
//!
//! A rule file is a list of `[[rule]]` tables:
//!
//! ```toml
//! [[rule]]
//! id = "STRIDE-LLM-001"
//! title = "Prompt injection through {name}"
//! category = "tampering"
//! applies_to = ["process"]
//! when = { llm_component = true, handles_untrusted_input = true }
//! likelihood = "high"
//! impact = "high"
//! description = "..."
//! mitigations = ["..."]
//! references = ["OWASP LLM01:2025 Prompt Injection", "CWE-77"]
//! ```
//!
//! `when` is a [`Condition`]; a table with several keys means all of them.
//! `{name}`, `{source}` and `{target}` in a title or description are replaced
//! by the element's or flow's name and the flow's endpoints' names.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::model::{Classification, DataTag, ElementKind, Privilege, Rating, Stride};

/// The bundled rule files, by theme: (file name, TOML text).
pub const BUNDLED_RULE_FILES: &[(&str, &str)] = &[
    (
        "stride/baseline.toml",
        include_str!("../../rules/stride/baseline.toml"),
    ),
    (
        "stride/gateways.toml",
        include_str!("../../rules/stride/gateways.toml"),
    ),
    (
        "stride/pipelines.toml",
        include_str!("../../rules/stride/pipelines.toml"),
    ),
    (
        "stride/data_stores.toml",
        include_str!("../../rules/stride/data_stores.toml"),
    ),
    (
        "stride/identity.toml",
        include_str!("../../rules/stride/identity.toml"),
    ),
    (
        "stride/logging.toml",
        include_str!("../../rules/stride/logging.toml"),
    ),
    (
        "stride/flows.toml",
        include_str!("../../rules/stride/flows.toml"),
    ),
    (
        "stride/llm.toml",
        include_str!("../../rules/stride/llm.toml"),
    ),
];

/// What a rule is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppliesTo {
    ExternalEntity,
    Process,
    DataStore,
    Flow,
}

impl AppliesTo {
    pub fn element_kind(self) -> Option<ElementKind> {
        match self {
            AppliesTo::ExternalEntity => Some(ElementKind::ExternalEntity),
            AppliesTo::Process => Some(ElementKind::Process),
            AppliesTo::DataStore => Some(ElementKind::DataStore),
            AppliesTo::Flow => None,
        }
    }
}

/// A rule's condition. Combinators (`all`, `any`, `not`) work anywhere.
/// Element predicates read the element a rule is checked against; in a flow
/// rule they must sit inside `source`, `target` or `either`. Flow predicates
/// only appear in flow rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),

    // Element predicates.
    Kind(ElementKind),
    StoresCredentials(bool),
    IsLog(bool),
    EncryptedAtRest(bool),
    Signed(bool),
    WebApplication(bool),
    ApiGateway(bool),
    QueueOrStream(bool),
    LlmComponent(bool),
    HandlesUntrustedInput(bool),
    SanitizesInput(bool),
    HasAccessControl(bool),
    Hardened(bool),
    PrivilegeAtLeast(Privilege),
    /// The element carries this tag (case-insensitive).
    Tag(String),
    /// The element sits inside some trust boundary.
    InBoundary(bool),
    /// A flow into or out of the element carries data classified at least so.
    HandlesClassificationAtLeast(Classification),
    /// A flow into or out of the element carries data with this tag.
    HandlesTag(DataTag),

    // Flow predicates.
    Bidirectional(bool),
    Authenticated(bool),
    Authorized(bool),
    EncryptedInTransit(bool),
    CrossesPublicNetwork(bool),
    /// The protocol is one of these (case-insensitive).
    Protocol(Vec<String>),
    /// The port is one of these.
    Port(Vec<u32>),
    /// Computed from containment: the ends sit in different boundary chains.
    CrossesBoundary(bool),
    CarriesData(bool),
    CarriesClassificationAtLeast(Classification),
    CarriesTag(DataTag),
    /// The flow's source element matches.
    Source(Box<Condition>),
    /// The flow's target element matches.
    Target(Box<Condition>),
    /// The source or the target matches.
    Either(Box<Condition>),
}

/// Where a predicate is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Element,
    Flow,
}

impl Condition {
    /// Always true: a rule without `when`.
    pub fn always() -> Condition {
        Condition::All(vec![])
    }

    fn scope(&self) -> Option<Scope> {
        use Condition::*;
        match self {
            All(_) | Any(_) | Not(_) => None,
            Kind(_)
            | StoresCredentials(_)
            | IsLog(_)
            | EncryptedAtRest(_)
            | Signed(_)
            | WebApplication(_)
            | ApiGateway(_)
            | QueueOrStream(_)
            | LlmComponent(_)
            | HandlesUntrustedInput(_)
            | SanitizesInput(_)
            | HasAccessControl(_)
            | Hardened(_)
            | PrivilegeAtLeast(_)
            | Tag(_)
            | InBoundary(_)
            | HandlesClassificationAtLeast(_)
            | HandlesTag(_) => Some(Scope::Element),
            Bidirectional(_)
            | Authenticated(_)
            | Authorized(_)
            | EncryptedInTransit(_)
            | CrossesPublicNetwork(_)
            | Protocol(_)
            | Port(_)
            | CrossesBoundary(_)
            | CarriesData(_)
            | CarriesClassificationAtLeast(_)
            | CarriesTag(_)
            | Source(_)
            | Target(_)
            | Either(_) => Some(Scope::Flow),
        }
    }

    /// The predicate's name as written in a rule file.
    pub fn name(&self) -> &'static str {
        use Condition::*;
        match self {
            All(_) => "all",
            Any(_) => "any",
            Not(_) => "not",
            Kind(_) => "kind",
            StoresCredentials(_) => "stores_credentials",
            IsLog(_) => "is_log",
            EncryptedAtRest(_) => "encrypted_at_rest",
            Signed(_) => "signed",
            WebApplication(_) => "web_application",
            ApiGateway(_) => "api_gateway",
            QueueOrStream(_) => "queue_or_stream",
            LlmComponent(_) => "llm_component",
            HandlesUntrustedInput(_) => "handles_untrusted_input",
            SanitizesInput(_) => "sanitizes_input",
            HasAccessControl(_) => "has_access_control",
            Hardened(_) => "hardened",
            PrivilegeAtLeast(_) => "privilege_at_least",
            Tag(_) => "tag",
            InBoundary(_) => "in_boundary",
            HandlesClassificationAtLeast(_) => "handles_classification_at_least",
            HandlesTag(_) => "handles_tag",
            Bidirectional(_) => "bidirectional",
            Authenticated(_) => "authenticated",
            Authorized(_) => "authorized",
            EncryptedInTransit(_) => "encrypted_in_transit",
            CrossesPublicNetwork(_) => "crosses_public_network",
            Protocol(_) => "protocol",
            Port(_) => "port",
            CrossesBoundary(_) => "crosses_boundary",
            CarriesData(_) => "carries_data",
            CarriesClassificationAtLeast(_) => "carries_classification_at_least",
            CarriesTag(_) => "carries_tag",
            Source(_) => "source",
            Target(_) => "target",
            Either(_) => "either",
        }
    }

    /// Checks that each predicate is read where it makes sense.
    pub(crate) fn check(&self, scope: Scope) -> Result<(), String> {
        use Condition::*;
        match self {
            All(cs) | Any(cs) => cs.iter().try_for_each(|c| c.check(scope)),
            Not(c) => c.check(scope),
            Source(c) | Target(c) | Either(c) if scope == Scope::Flow => c.check(Scope::Element),
            Protocol(list) if list.is_empty() => Err("`protocol` needs at least one name".into()),
            Port(list) if list.is_empty() => Err("`port` needs at least one number".into()),
            Tag(t) if t.trim().is_empty() => Err("`tag` needs a non-empty tag".into()),
            other => match (other.scope(), scope) {
                (Some(Scope::Element), Scope::Flow) => Err(format!(
                    "`{}` reads an element; in a flow rule put it inside `source`, `target` or `either`",
                    other.name()
                )),
                (Some(Scope::Flow), Scope::Element) => Err(format!(
                    "`{}` reads a flow and cannot be used on an element",
                    other.name()
                )),
                _ => Ok(()),
            },
        }
    }
}

/// Every predicate name, as written in rule files (see [`Condition::name`]).
pub const PREDICATES: [&str; 35] = [
    "all",
    "any",
    "not",
    "kind",
    "stores_credentials",
    "is_log",
    "encrypted_at_rest",
    "signed",
    "web_application",
    "api_gateway",
    "queue_or_stream",
    "llm_component",
    "handles_untrusted_input",
    "sanitizes_input",
    "has_access_control",
    "hardened",
    "privilege_at_least",
    "tag",
    "in_boundary",
    "handles_classification_at_least",
    "handles_tag",
    "bidirectional",
    "authenticated",
    "authorized",
    "encrypted_in_transit",
    "crosses_public_network",
    "protocol",
    "port",
    "crosses_boundary",
    "carries_data",
    "carries_classification_at_least",
    "carries_tag",
    "source",
    "target",
    "either",
];

/// Keys whose value is itself a condition or a list of conditions.
const NESTED_ONE: [&str; 4] = ["not", "source", "target", "either"];
const NESTED_MANY: [&str; 2] = ["all", "any"];
/// Keys whose value is a list but may be written as one value.
const LISTS: [&str; 2] = ["protocol", "port"];

/// Rewrites the friendly TOML forms into the enum's externally tagged form:
/// a table with several keys becomes `all`, and a single protocol or port
/// becomes a one-item list.
fn normalize(value: toml::Value) -> Result<toml::Value, String> {
    let toml::Value::Table(table) = value else {
        return Err(format!(
            "a condition must be a table like {{ hardened = false }}, not a {}",
            value.type_str()
        ));
    };
    if table.is_empty() {
        return Err("a condition must not be empty".into());
    }
    let mut parts = vec![];
    for (key, v) in table {
        if !PREDICATES.contains(&key.as_str()) {
            return Err(format!(
                "unknown predicate `{key}`; known predicates: {}",
                PREDICATES.join(", ")
            ));
        }
        let v = if NESTED_MANY.contains(&key.as_str()) {
            match v {
                toml::Value::Array(items) => {
                    toml::Value::Array(items.into_iter().map(normalize).collect::<Result<_, _>>()?)
                }
                other => {
                    return Err(format!(
                        "`{key}` takes a list of conditions, not a {}",
                        other.type_str()
                    ))
                }
            }
        } else if NESTED_ONE.contains(&key.as_str()) {
            normalize(v)?
        } else if LISTS.contains(&key.as_str()) && !v.is_array() {
            toml::Value::Array(vec![v])
        } else {
            v
        };
        let mut single = toml::Table::new();
        single.insert(key, v);
        parts.push(toml::Value::Table(single));
    }
    if parts.len() == 1 {
        Ok(parts.remove(0))
    } else {
        let mut all = toml::Table::new();
        all.insert("all".into(), toml::Value::Array(parts));
        Ok(toml::Value::Table(all))
    }
}

/// One STRIDE rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Stable id, e.g. `STRIDE-BASE-001`; threat ids derive from it.
    pub id: String,
    pub title: String,
    pub category: Stride,
    pub applies_to: Vec<AppliesTo>,
    pub when: Condition,
    pub likelihood: Rating,
    pub impact: Rating,
    pub description: String,
    pub mitigations: Vec<String>,
    /// CWE-, CAPEC- and OWASP identifiers.
    pub references: Vec<String>,
    /// A workspace file can switch a bundled rule off by redefining it with
    /// `enabled = false`.
    pub enabled: bool,
    /// The file the rule came from.
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    title: String,
    category: Stride,
    applies_to: Vec<AppliesTo>,
    #[serde(default)]
    when: Option<Condition>,
    likelihood: Rating,
    impact: Rating,
    #[serde(default)]
    description: String,
    #[serde(default)]
    mitigations: Vec<String>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default = "yes")]
    enabled: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rule: Vec<toml::Table>,
}

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum RuleError {
    #[error("rule file {file}: {message}")]
    Syntax { file: String, message: String },
    #[error("rule file {file}: rule number {index} has no `id`")]
    MissingId { file: String, index: usize },
    #[error("rule {rule} in {file}: {message}")]
    Invalid {
        file: String,
        rule: String,
        message: String,
    },
    #[error("rule {rule} is defined twice (in {first} and in {second})")]
    Duplicate {
        rule: String,
        first: String,
        second: String,
    },
}

/// An ordered set of rules with unique ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSet {
    rules: Vec<Rule>,
    index: HashMap<String, usize>,
}

impl RuleSet {
    pub fn new() -> RuleSet {
        RuleSet::default()
    }

    /// The rules shipped with Plasma Plan, parsed once per process.
    pub fn bundled_shared() -> Result<&'static RuleSet, RuleError> {
        static BUNDLED: OnceLock<Result<RuleSet, RuleError>> = OnceLock::new();
        BUNDLED
            .get_or_init(RuleSet::bundled)
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The rules shipped with Plasma Plan.
    pub fn bundled() -> Result<RuleSet, RuleError> {
        let mut set = RuleSet::new();
        for (name, text) in BUNDLED_RULE_FILES {
            for rule in RuleSet::parse(name, text)?.rules {
                set.insert_new(rule)?;
            }
        }
        Ok(set)
    }

    /// Reads one rule file. `name` only labels errors and [`Rule::source`].
    pub fn parse(name: &str, text: &str) -> Result<RuleSet, RuleError> {
        let syntax = |message: String| RuleError::Syntax {
            file: name.to_string(),
            message,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| syntax(e.to_string()))?;
        let mut set = RuleSet::new();
        for (i, mut table) in raw.rule.into_iter().enumerate() {
            let Some(id) = table.get("id").and_then(|v| v.as_str()).map(str::to_string) else {
                return Err(RuleError::MissingId {
                    file: name.to_string(),
                    index: i + 1,
                });
            };
            let invalid = |message: String| RuleError::Invalid {
                file: name.to_string(),
                rule: id.clone(),
                message,
            };
            if let Some(when) = table.remove("when") {
                table.insert("when".into(), normalize(when).map_err(invalid)?);
            }
            let raw: RawRule = toml::Value::Table(table)
                .try_into()
                .map_err(|e: toml::de::Error| invalid(e.message().trim().to_string()))?;
            let rule = Rule {
                id: raw.id,
                title: raw.title,
                category: raw.category,
                applies_to: raw.applies_to,
                when: raw.when.unwrap_or_else(Condition::always),
                likelihood: raw.likelihood,
                impact: raw.impact,
                description: raw.description,
                mitigations: raw.mitigations,
                references: raw.references,
                enabled: raw.enabled,
                source: name.to_string(),
            };
            check_rule(&rule).map_err(invalid)?;
            set.insert_new(rule)?;
        }
        Ok(set)
    }

    fn insert_new(&mut self, rule: Rule) -> Result<(), RuleError> {
        if let Some(&i) = self.index.get(&rule.id) {
            return Err(RuleError::Duplicate {
                rule: rule.id,
                first: self.rules[i].source.clone(),
                second: rule.source,
            });
        }
        self.index.insert(rule.id.clone(), self.rules.len());
        self.rules.push(rule);
        Ok(())
    }

    /// Adds `other`'s rules; a rule whose id is already here replaces the
    /// existing one in place (a workspace's rules override bundled ones).
    pub fn merge(&mut self, other: RuleSet) {
        for rule in other.rules {
            match self.index.get(&rule.id) {
                Some(&i) => self.rules[i] = rule,
                None => {
                    self.index.insert(rule.id.clone(), self.rules.len());
                    self.rules.push(rule);
                }
            }
        }
    }

    /// `self` with `overrides` merged over it.
    pub fn with(mut self, overrides: RuleSet) -> RuleSet {
        self.merge(overrides);
        self
    }

    /// Every rule, enabled or not, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn enabled(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(|r| r.enabled)
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.index.get(id).map(|&i| &self.rules[i])
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

fn check_rule(rule: &Rule) -> Result<(), String> {
    let id_ok = !rule.id.is_empty()
        && rule.id.len() <= 64
        && rule
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !id_ok {
        return Err("the id must be 1-64 ASCII letters, digits, '-', '_' or '.'".into());
    }
    if rule.title.trim().is_empty() {
        return Err("the rule needs a title".into());
    }
    if rule.applies_to.is_empty() {
        return Err("`applies_to` names no element kind and no flow".into());
    }
    let mut applies = rule.applies_to.clone();
    applies.sort();
    applies.dedup();
    if applies.len() != rule.applies_to.len() {
        return Err("`applies_to` lists a target twice".into());
    }
    let element = rule.applies_to.iter().any(|a| *a != AppliesTo::Flow);
    let flow = rule.applies_to.contains(&AppliesTo::Flow);
    if element {
        rule.when.check(Scope::Element)?;
    }
    if flow {
        rule.when.check(Scope::Flow)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Condition::*;

    #[test]
    fn predicate_names_match_the_enum() {
        let b = || Box::new(Condition::always());
        let every = [
            All(vec![]),
            Any(vec![]),
            Not(b()),
            Kind(ElementKind::Process),
            StoresCredentials(true),
            IsLog(true),
            EncryptedAtRest(true),
            Signed(true),
            WebApplication(true),
            ApiGateway(true),
            QueueOrStream(true),
            LlmComponent(true),
            HandlesUntrustedInput(true),
            SanitizesInput(true),
            HasAccessControl(true),
            Hardened(true),
            PrivilegeAtLeast(Privilege::High),
            Tag("x".into()),
            InBoundary(true),
            HandlesClassificationAtLeast(Classification::Internal),
            HandlesTag(DataTag::Pii),
            Bidirectional(true),
            Authenticated(true),
            Authorized(true),
            EncryptedInTransit(true),
            CrossesPublicNetwork(true),
            Protocol(vec!["http".into()]),
            Port(vec![80]),
            CrossesBoundary(true),
            CarriesData(true),
            CarriesClassificationAtLeast(Classification::Internal),
            CarriesTag(DataTag::Pii),
            Source(b()),
            Target(b()),
            Either(b()),
        ];
        let names: Vec<&str> = every.iter().map(Condition::name).collect();
        assert_eq!(names, PREDICATES);
        // The serde name is the same as the listed one.
        for c in &every {
            let v = toml::Value::try_from(c).expect("serializes");
            let key = v.as_table().and_then(|t| t.keys().next().cloned());
            assert_eq!(key.as_deref(), Some(c.name()));
        }
    }
}

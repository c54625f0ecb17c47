//! The stored form of a threat model: the model as it is, except that a
//! rule-made threat leaves out the text its rule gives (description,
//! suggested mitigations, references), which comes back from the rule set
//! when the model is read. Thousands of generated threats otherwise repeat
//! the same rule text, which made a 5,000-element model a 21 MB document.
//!
//! A field is left out only when the rule set gives back exactly the same
//! value from what the document itself holds (rule id, target, names,
//! rationale), so [`StoredThreatModel::into_model`] after
//! [`StoredThreatModelRef::new`] returns an equal model. Anything else is
//! stored in full: user threats, a description someone changed, the text
//! of an obsolete threat whose element is gone, a threat whose rule is not
//! in the set. A document written before this form (every field present)
//! reads as it is. Bundled rules are never deleted (a retired rule is
//! disabled), so a rule id in a document always finds its rule.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::engine::fill;
use super::model::{
    Because, DataAsset, Diagram, Mitigation, Rating, Stride, Threat, ThreatModel, ThreatStatus,
    ThreatTarget,
};
use super::rules::{Rule, RuleSet};
use super::severity::Severity;

/// Names of the elements and flows of a model, for filling rule templates.
pub(crate) struct Names<'a> {
    elements: HashMap<Uuid, &'a str>,
    flows: HashMap<Uuid, (&'a str, Uuid, Uuid)>,
}

impl<'a> Names<'a> {
    pub(crate) fn new(diagrams: &'a [Diagram]) -> Names<'a> {
        let mut elements = HashMap::new();
        let mut flows = HashMap::new();
        for d in diagrams {
            for e in &d.elements {
                elements.entry(e.id).or_insert(e.name.as_str());
            }
            for f in &d.flows {
                flows
                    .entry(f.id)
                    .or_insert((f.name.as_str(), f.source, f.target));
            }
        }
        Names { elements, flows }
    }

    /// A rule template (title or description) filled for this threat as
    /// the engine fills it (a flow matched from its target's side names the
    /// ends swapped, and says so in its rationale); `None` when the target
    /// is gone.
    pub(crate) fn fill(
        &self,
        template: &str,
        target: &ThreatTarget,
        why: &[Because],
    ) -> Option<String> {
        match target {
            ThreatTarget::Element(id) => {
                let name = self.elements.get(id)?;
                Some(fill(template, name, "", ""))
            }
            ThreatTarget::Flow(id) => {
                let (name, source, target) = self.flows.get(id)?;
                let source = self.elements.get(source)?;
                let target = self.elements.get(target)?;
                let (source, target) = if why.iter().any(|b| b.property == "direction") {
                    (target, source)
                } else {
                    (source, target)
                };
                Some(fill(template, name, source, target))
            }
        }
    }
}

/// A model borrowed for writing in the stored form.
#[derive(Serialize)]
pub struct StoredThreatModelRef<'a> {
    id: &'a Uuid,
    workspace_id: &'a Uuid,
    name: &'a str,
    description: &'a str,
    repositories: &'a [String],
    diagrams: &'a [Diagram],
    data_assets: &'a [DataAsset],
    threats: Vec<StoredThreatRef<'a>>,
}

fn is_open(status: &&ThreatStatus) -> bool {
    **status == ThreatStatus::Open
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// A threat in the stored form: `None` means "what the rule gives", and
/// values at their defaults (no notes, not obsolete...) are left out.
/// [`StoredThreat`] serializes to the same text.
#[derive(Serialize)]
pub struct StoredThreatRef<'a> {
    id: &'a Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_id: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    category: Stride,
    target: &'a ThreatTarget,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    likelihood: Rating,
    impact: Rating,
    #[serde(skip_serializing_if = "Option::is_none")]
    severity_override: Option<Severity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cvss: &'a Option<String>,
    #[serde(skip_serializing_if = "is_open")]
    status: &'a ThreatStatus,
    #[serde(skip_serializing_if = "str::is_empty")]
    notes: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    mitigations: &'a [Mitigation],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    linked_adrs: &'a [u32],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    rationale: &'a [Because],
    #[serde(skip_serializing_if = "is_false")]
    obsolete: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggested_mitigations: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    references: Option<&'a [String]>,
}

/// Which fields of `t` its rule gives back as they are: title,
/// description, suggested mitigations, references.
fn derived(t: &Threat, names: &Names, rules: &RuleSet) -> [bool; 4] {
    let rule = t.rule_id.as_deref().and_then(|r| rules.get(r));
    let same = |template: fn(&Rule) -> &str, value: &str| {
        rule.and_then(|r| names.fill(template(r), &t.target, &t.rationale))
            .is_some_and(|v| v == value)
    };
    [
        same(|r| &r.title, &t.title),
        same(|r| &r.description, &t.description),
        rule.is_some_and(|r| r.mitigations == t.suggested_mitigations),
        rule.is_some_and(|r| r.references == t.references),
    ]
}

impl<'a> StoredThreatRef<'a> {
    fn new(t: &'a Threat, names: &Names, rules: &RuleSet) -> StoredThreatRef<'a> {
        // Destructured so a field added to Threat fails to compile here
        // until it is stored too.
        let Threat {
            id,
            rule_id,
            title,
            category,
            target,
            description,
            likelihood,
            impact,
            severity_override,
            cvss,
            status,
            notes,
            mitigations,
            linked_adrs,
            rationale,
            obsolete,
            suggested_mitigations,
            references,
        } = t;
        let [derived_title, derived_description, derived_mitigations, derived_references] =
            derived(t, names, rules);
        StoredThreatRef {
            id,
            rule_id,
            title: (!derived_title).then_some(title.as_str()),
            category: *category,
            target,
            description: (!derived_description).then_some(description.as_str()),
            likelihood: *likelihood,
            impact: *impact,
            severity_override: *severity_override,
            cvss,
            status,
            notes,
            mitigations,
            linked_adrs,
            rationale,
            obsolete: *obsolete,
            suggested_mitigations: (!derived_mitigations).then_some(suggested_mitigations),
            references: (!derived_references).then_some(references),
        }
    }

    pub fn id(&self) -> Uuid {
        *self.id
    }

    pub fn rule_id(&self) -> Option<&str> {
        self.rule_id.as_deref()
    }

    pub fn obsolete(&self) -> bool {
        self.obsolete
    }
}

/// The diagram part of a model in the stored form: everything but the
/// threats, which are stored one by one.
#[derive(Serialize)]
pub struct StoredHeadRef<'a> {
    id: &'a Uuid,
    workspace_id: &'a Uuid,
    name: &'a str,
    description: &'a str,
    repositories: &'a [String],
    diagrams: &'a [Diagram],
    data_assets: &'a [DataAsset],
}

impl<'a> StoredThreatModelRef<'a> {
    /// `model` in the stored form, leaving out what `rules` gives back.
    pub fn new(model: &'a ThreatModel, rules: &RuleSet) -> StoredThreatModelRef<'a> {
        // Destructured so a field added to ThreatModel fails to compile
        // here until it is stored too.
        let ThreatModel {
            id,
            workspace_id,
            name,
            description,
            repositories,
            diagrams,
            data_assets,
            threats,
        } = model;
        let names = Names::new(diagrams);
        let threats = threats
            .iter()
            .map(|t| StoredThreatRef::new(t, &names, rules))
            .collect();
        StoredThreatModelRef {
            id,
            workspace_id,
            name,
            description,
            repositories,
            diagrams,
            data_assets,
            threats,
        }
    }

    /// Everything but the threats.
    pub fn head(&self) -> StoredHeadRef<'a> {
        StoredHeadRef {
            id: self.id,
            workspace_id: self.workspace_id,
            name: self.name,
            description: self.description,
            repositories: self.repositories,
            diagrams: self.diagrams,
            data_assets: self.data_assets,
        }
    }

    /// The threats in model order.
    pub fn threats(&self) -> &[StoredThreatRef<'a>] {
        &self.threats
    }
}

/// A model read in the stored form (or in the full form of older documents).
/// Read without its `threats` key, it is the diagram part alone.
#[derive(Deserialize)]
pub struct StoredThreatModel {
    pub(crate) id: Uuid,
    pub(crate) workspace_id: Uuid,
    pub(crate) name: String,
    pub(crate) description: String,
    #[serde(default)]
    pub(crate) repositories: Vec<String>,
    #[serde(default)]
    pub(crate) diagrams: Vec<Diagram>,
    #[serde(default)]
    pub(crate) data_assets: Vec<DataAsset>,
    #[serde(default)]
    pub(crate) threats: Vec<StoredThreat>,
}

/// One threat in the stored form (or the full form of older documents),
/// owned. It serializes to the same text as [`StoredThreatRef`], field for
/// field, so a row written from either reads back equal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredThreat {
    pub(crate) id: Uuid,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) rule_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) title: Option<String>,
    pub(crate) category: Stride,
    pub(crate) target: ThreatTarget,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) description: Option<String>,
    pub(crate) likelihood: Rating,
    pub(crate) impact: Rating,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) severity_override: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) cvss: Option<String>,
    #[serde(default, skip_serializing_if = "is_open_owned")]
    pub(crate) status: ThreatStatus,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub(crate) notes: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) mitigations: Vec<Mitigation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) linked_adrs: Vec<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) rationale: Vec<Because>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub(crate) obsolete: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) suggested_mitigations: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) references: Option<Vec<String>>,
}

fn is_open_owned(status: &ThreatStatus) -> bool {
    *status == ThreatStatus::Open
}

impl StoredThreat {
    pub fn id(&self) -> Uuid {
        self.id
    }

    pub fn status(&self) -> &ThreatStatus {
        &self.status
    }

    pub fn mitigations(&self) -> &[Mitigation] {
        &self.mitigations
    }

    pub fn rule_id(&self) -> Option<&str> {
        self.rule_id.as_deref()
    }

    pub fn obsolete(&self) -> bool {
        self.obsolete
    }

    /// `t` in the stored form, leaving out what `rules` gives back.
    pub(crate) fn from_threat(t: Threat, names: &Names, rules: &RuleSet) -> StoredThreat {
        let [derived_title, derived_description, derived_mitigations, derived_references] =
            derived(&t, names, rules);
        StoredThreat {
            id: t.id,
            rule_id: t.rule_id,
            title: (!derived_title).then_some(t.title),
            category: t.category,
            target: t.target,
            description: (!derived_description).then_some(t.description),
            likelihood: t.likelihood,
            impact: t.impact,
            severity_override: t.severity_override,
            cvss: t.cvss,
            status: t.status,
            notes: t.notes,
            mitigations: t.mitigations,
            linked_adrs: t.linked_adrs,
            rationale: t.rationale,
            obsolete: t.obsolete,
            suggested_mitigations: (!derived_mitigations).then_some(t.suggested_mitigations),
            references: (!derived_references).then_some(t.references),
        }
    }

    /// The threat, with the text left out taken from `rules` (empty when
    /// its rule is missing or its target is gone).
    pub(crate) fn into_threat(self, names: &Names, rules: &RuleSet) -> Threat {
        let t = self;
        let rule = t.rule_id.as_deref().and_then(|r| rules.get(r));
        let derive = |value: Option<String>, template: fn(&Rule) -> &str| {
            value.unwrap_or_else(|| {
                rule.and_then(|r| names.fill(template(r), &t.target, &t.rationale))
                    .unwrap_or_default()
            })
        };
        let title = derive(t.title, |r| &r.title);
        let description = derive(t.description, |r| &r.description);
        Threat {
            id: t.id,
            rule_id: t.rule_id,
            title,
            category: t.category,
            target: t.target,
            description,
            likelihood: t.likelihood,
            impact: t.impact,
            severity_override: t.severity_override,
            cvss: t.cvss,
            status: t.status,
            notes: t.notes,
            mitigations: t.mitigations,
            linked_adrs: t.linked_adrs,
            rationale: t.rationale,
            obsolete: t.obsolete,
            suggested_mitigations: t
                .suggested_mitigations
                .or_else(|| rule.map(|r| r.mitigations.clone()))
                .unwrap_or_default(),
            references: t
                .references
                .or_else(|| rule.map(|r| r.references.clone()))
                .unwrap_or_default(),
        }
    }
}

/// A stored threat as a regeneration reads it, before the rules' result is
/// there to compare it with. A rule threat nobody has touched (no text,
/// status, notes, mitigations or ratings of its own: most of a large
/// model) is kept compact, a fraction of the parsed form's size; any other
/// threat is parsed in full.
#[derive(Debug, Clone, PartialEq)]
pub enum FedThreat {
    Plain(PlainThreat),
    Full(Box<StoredThreat>),
}

/// A rule threat stored with nothing of its own: its stored form holds only
/// these fields.
#[derive(Debug, Clone, PartialEq)]
pub struct PlainThreat {
    pub(crate) id: Uuid,
    pub(crate) rule_id: Box<str>,
    pub(crate) category: Stride,
    pub(crate) target: ThreatTarget,
    pub(crate) likelihood: Rating,
    pub(crate) impact: Rating,
    /// `property US value`, RS between reasons. A plain threat's strings
    /// held no escapes in JSON, so no control character.
    pub(crate) rationale: Box<str>,
}

const UNIT: char = '\u{1f}';
const RECORD: char = '\u{1e}';

/// What the stored form of an untouched rule threat can hold, borrowed from
/// the row's text; any other field, or a string with an escape, fails.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlainRow<'a> {
    id: Uuid,
    rule_id: &'a str,
    category: Stride,
    target: ThreatTarget,
    likelihood: Rating,
    impact: Rating,
    #[serde(borrow, default)]
    rationale: Vec<BecauseRow<'a>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BecauseRow<'a> {
    property: &'a str,
    value: &'a str,
}

impl FedThreat {
    /// Reads one stored threat row.
    pub fn parse(doc: &str) -> Result<FedThreat, serde_json::Error> {
        match serde_json::from_str::<PlainRow>(doc) {
            Ok(row) => {
                let mut rationale = String::new();
                for (i, b) in row.rationale.iter().enumerate() {
                    if i > 0 {
                        rationale.push(RECORD);
                    }
                    rationale.push_str(b.property);
                    rationale.push(UNIT);
                    rationale.push_str(b.value);
                }
                Ok(FedThreat::Plain(PlainThreat {
                    id: row.id,
                    rule_id: row.rule_id.into(),
                    category: row.category,
                    target: row.target,
                    likelihood: row.likelihood,
                    impact: row.impact,
                    rationale: rationale.into_boxed_str(),
                }))
            }
            Err(_) => serde_json::from_str(doc).map(|t| FedThreat::Full(Box::new(t))),
        }
    }

    pub fn id(&self) -> Uuid {
        match self {
            FedThreat::Plain(p) => p.id,
            FedThreat::Full(t) => t.id,
        }
    }

    pub fn obsolete(&self) -> bool {
        match self {
            FedThreat::Plain(_) => false,
            FedThreat::Full(t) => t.obsolete,
        }
    }

    pub fn status(&self) -> &ThreatStatus {
        match self {
            FedThreat::Plain(_) => &ThreatStatus::Open,
            FedThreat::Full(t) => &t.status,
        }
    }

    pub fn mitigations(&self) -> &[Mitigation] {
        match self {
            FedThreat::Plain(_) => &[],
            FedThreat::Full(t) => &t.mitigations,
        }
    }
}

impl PlainThreat {
    /// The reasons, in order.
    fn reasons(&self) -> impl Iterator<Item = (&str, &str)> {
        self.rationale
            .split(RECORD)
            .filter(|r| !r.is_empty())
            .map(|r| r.split_once(UNIT).unwrap_or((r, "")))
    }

    /// Whether the reasons are `rationale`, without building them.
    pub(crate) fn rationale_is(&self, rationale: &[Because]) -> bool {
        let mut reasons = self.reasons();
        rationale
            .iter()
            .all(|b| reasons.next() == Some((b.property.as_str(), b.value.as_str())))
            && reasons.next().is_none()
    }

    /// The full stored form (what a plain threat stands for).
    pub(crate) fn into_stored(self) -> StoredThreat {
        StoredThreat {
            id: self.id,
            rule_id: Some(self.rule_id.to_string()),
            title: None,
            category: self.category,
            target: self.target,
            description: None,
            likelihood: self.likelihood,
            impact: self.impact,
            severity_override: None,
            cvss: None,
            status: ThreatStatus::Open,
            notes: String::new(),
            mitigations: vec![],
            linked_adrs: vec![],
            rationale: self.reasons().map(|(p, v)| Because::new(p, v)).collect(),
            obsolete: false,
            suggested_mitigations: None,
            references: None,
        }
    }
}

impl StoredThreatModel {
    pub fn id(&self) -> Uuid {
        self.id
    }

    pub fn workspace_id(&self) -> Uuid {
        self.workspace_id
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn description(&self) -> &str {
        &self.description
    }

    pub fn diagrams(&self) -> &[Diagram] {
        &self.diagrams
    }

    pub fn data_assets(&self) -> &[DataAsset] {
        &self.data_assets
    }

    /// The model, with the text left out taken from `rules` (empty when a
    /// rule is missing from the set).
    pub fn into_model(self, rules: &RuleSet) -> ThreatModel {
        let StoredThreatModel {
            id,
            workspace_id,
            name,
            description,
            repositories,
            diagrams,
            data_assets,
            threats,
        } = self;
        let threats = {
            let names = Names::new(&diagrams);
            threats
                .into_iter()
                .map(|t| t.into_threat(&names, rules))
                .collect()
        };
        ThreatModel {
            id,
            workspace_id,
            name,
            description,
            repositories,
            diagrams,
            data_assets,
            threats,
        }
    }
}

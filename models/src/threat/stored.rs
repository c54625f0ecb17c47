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
struct Names<'a> {
    elements: HashMap<Uuid, &'a str>,
    flows: HashMap<Uuid, (&'a str, Uuid, Uuid)>,
}

impl<'a> Names<'a> {
    fn new(diagrams: &'a [Diagram]) -> Names<'a> {
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
    fn fill(&self, template: &str, target: &ThreatTarget, why: &[Because]) -> Option<String> {
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
#[derive(Serialize)]
struct StoredThreatRef<'a> {
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

impl<'a> StoredThreatModelRef<'a> {
    /// `model` in the stored form, leaving out what `rules` gives back.
    pub fn new(model: &'a ThreatModel, rules: &RuleSet) -> StoredThreatModelRef<'a> {
        // Destructured so a field added to ThreatModel or Threat fails to
        // compile here until it is stored too.
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
            .map(|t| {
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
                let rule = rule_id.as_deref().and_then(|r| rules.get(r));
                let derived = |template: fn(&Rule) -> &str, value: &str| {
                    rule.and_then(|r| names.fill(template(r), target, rationale))
                        .is_some_and(|v| v == value)
                };
                let derived_title = derived(|r| &r.title, title);
                let derived_description = derived(|r| &r.description, description);
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
                    suggested_mitigations: match rule {
                        Some(r) if r.mitigations == *suggested_mitigations => None,
                        _ => Some(suggested_mitigations),
                    },
                    references: match rule {
                        Some(r) if r.references == *references => None,
                        _ => Some(references),
                    },
                }
            })
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
}

/// A model read in the stored form (or in the full form of older documents).
#[derive(Deserialize)]
pub struct StoredThreatModel {
    id: Uuid,
    workspace_id: Uuid,
    name: String,
    description: String,
    #[serde(default)]
    repositories: Vec<String>,
    #[serde(default)]
    diagrams: Vec<Diagram>,
    #[serde(default)]
    data_assets: Vec<DataAsset>,
    #[serde(default)]
    threats: Vec<StoredThreat>,
}

#[derive(Deserialize)]
struct StoredThreat {
    id: Uuid,
    #[serde(default)]
    rule_id: Option<String>,
    #[serde(default)]
    title: Option<String>,
    category: Stride,
    target: ThreatTarget,
    #[serde(default)]
    description: Option<String>,
    likelihood: Rating,
    impact: Rating,
    #[serde(default)]
    severity_override: Option<Severity>,
    #[serde(default)]
    cvss: Option<String>,
    #[serde(default)]
    status: ThreatStatus,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    mitigations: Vec<Mitigation>,
    #[serde(default)]
    linked_adrs: Vec<u32>,
    #[serde(default)]
    rationale: Vec<Because>,
    #[serde(default)]
    obsolete: bool,
    #[serde(default)]
    suggested_mitigations: Option<Vec<String>>,
    #[serde(default)]
    references: Option<Vec<String>>,
}

impl StoredThreatModel {
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
                .map(|t| {
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
                })
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

//! Regeneration over the stored form: the same merge as
//! [`super::engine::regenerate`] (keeps status, notes, overrides, CVSS,
//! mitigations and linked ADRs; marks rule threats that no longer apply
//! obsolete, never deletes; ids stay stable), computed from the diagram part
//! and the stored threats without filling any rule text for threats that
//! stay as they are. The result is a [`RegenerationPlan`] of the threats to
//! write; an empty plan means the stored model is already what a
//! regeneration gives.

use std::collections::HashMap;

use uuid::Uuid;

use super::engine::{candidates, Candidate};
use super::model::Threat;
use super::rules::{Rule, RuleSet};
use super::stored::{Names, StoredThreat, StoredThreatModel};

/// How the threats of a model stand after a regeneration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RegenerationCounts {
    /// Rule threats raised for the first time.
    pub new: u32,
    /// Rule threats raised again.
    pub kept: u32,
    /// Rule threats whose rule no longer applies.
    pub obsolete: u32,
    /// Threats people wrote.
    pub other: u32,
}

/// One threat to write.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedThreat {
    /// Its place in model order: the index of the stored threat it
    /// replaces, or, for a new one, counting on after the last.
    pub position: usize,
    /// True for a threat the model did not have.
    pub insert: bool,
    pub stored: StoredThreat,
    /// Title and description as the model reads them, for the search
    /// index; `None` when they did not change (a threat only marked obsolete).
    pub text: Option<(String, String)>,
}

/// What a regeneration changes, threat by threat, in model order (changed
/// threats first by position, then the new ones).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegenerationPlan {
    pub writes: Vec<PlannedThreat>,
    /// Stored threats left exactly as they are.
    pub unchanged: usize,
    pub counts: RegenerationCounts,
}

impl RegenerationPlan {
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }
}

fn count(n: &mut u32) {
    *n = n.saturating_add(1);
}

/// Whether the stored rule threat `old` reads exactly as the merge of
/// `fresh` into it would: same rule, ratings, rationale and text, and not
/// obsolete. Text the stored form left out is the rule's, filled from the
/// same names and rationale, so it is compared without filling it.
fn unchanged(old: &StoredThreat, fresh: &Candidate, rule: &Rule) -> bool {
    let text_same = |stored: &Option<String>, template: &str| match stored {
        None => true,
        Some(text) => *text == fresh.fill(template),
    };
    let list_same = |stored: &Option<Vec<String>>, from_rule: &[String]| match stored {
        None => true,
        Some(list) => list == from_rule,
    };
    !old.obsolete
        && old.rule_id.as_deref() == Some(rule.id.as_str())
        && old.category == rule.category
        && old.target == fresh.target
        && old.likelihood == rule.likelihood
        && old.impact == rule.impact
        && old.rationale == fresh.rationale
        && text_same(&old.title, &rule.title)
        && text_same(&old.description, &rule.description)
        && list_same(&old.suggested_mitigations, &rule.mitigations)
        && list_same(&old.references, &rule.references)
}

/// Runs every enabled rule of `rules` over the diagram part of `model` and
/// merges the result into `existing` (the model's stored threats in model
/// order), as [`super::engine::regenerate`] does after a threat a person
/// wrote with the id of a generated one takes its rule back.
pub fn plan_regeneration(
    model: &StoredThreatModel,
    existing: &[StoredThreat],
    rules: &RuleSet,
) -> RegenerationPlan {
    let mut regeneration = Regeneration::new(model, rules);
    for old in existing {
        regeneration.feed(old.clone());
    }
    regeneration.finish()
}

/// [`plan_regeneration`] one stored threat at a time: the rules run when it
/// is made, then the stored threats are fed in model order as they are read,
/// so none has to be kept once compared.
pub struct Regeneration<'a> {
    rules: &'a RuleSet,
    names: Names<'a>,
    fresh: Vec<Option<Candidate<'a>>>,
    at: HashMap<Uuid, usize>,
    position: usize,
    plan: RegenerationPlan,
}

impl<'a> Regeneration<'a> {
    /// Runs every enabled rule of `rules` over the diagram part of `model`.
    pub fn new(model: &'a StoredThreatModel, rules: &'a RuleSet) -> Self {
        let fresh: Vec<Option<Candidate>> = candidates(&model.diagrams, &model.data_assets, rules)
            .into_iter()
            .map(Some)
            .collect();
        let at = fresh
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.as_ref().map(|c| (c.id, i)))
            .collect();
        Regeneration {
            rules,
            names: Names::new(&model.diagrams),
            fresh,
            at,
            position: 0,
            plan: RegenerationPlan::default(),
        }
    }

    fn written(&self, threat: Threat, position: usize, insert: bool) -> PlannedThreat {
        let text = Some((threat.title.clone(), threat.description.clone()));
        PlannedThreat {
            position,
            insert,
            stored: StoredThreat::from_threat(threat, &self.names, self.rules),
            text,
        }
    }

    /// Compares the model's next stored threat with what the rules raise.
    /// Returns true when the threat is to be written (its stored form is
    /// then in the plan), false when it stays exactly as it is.
    pub fn feed(&mut self, old: StoredThreat) -> bool {
        let position = self.position;
        self.position += 1;
        let fresh = self.at.get(&old.id).and_then(|&i| self.fresh[i].take());
        let plan = &mut self.plan;
        match (old.rule_id.is_some(), fresh) {
            (false, None) => {
                count(&mut plan.counts.other);
                plan.unchanged += 1;
                false
            }
            (true, Some(new)) if unchanged(&old, &new, new.rule) => {
                count(&mut plan.counts.kept);
                plan.unchanged += 1;
                false
            }
            (was_generated, Some(new)) => {
                // A threat a person wrote with a generated id (it went out
                // through a format without rule ids) is that threat: it
                // takes its rule back and counts as new.
                if was_generated {
                    count(&mut plan.counts.kept);
                } else {
                    count(&mut plan.counts.new);
                }
                let mut merged = new.into_threat();
                merged.status = old.status;
                merged.notes = old.notes;
                merged.severity_override = old.severity_override;
                merged.cvss = old.cvss;
                merged.mitigations = old.mitigations;
                merged.linked_adrs = old.linked_adrs;
                let write = self.written(merged, position, false);
                self.plan.writes.push(write);
                true
            }
            (true, None) => {
                count(&mut plan.counts.obsolete);
                if old.obsolete {
                    plan.unchanged += 1;
                    false
                } else {
                    let mut gone = old;
                    gone.obsolete = true;
                    plan.writes.push(PlannedThreat {
                        position,
                        insert: false,
                        stored: gone,
                        text: None,
                    });
                    true
                }
            }
        }
    }

    /// The plan: the writes for the fed threats, then the new threats.
    pub fn finish(mut self) -> RegenerationPlan {
        let fresh = std::mem::take(&mut self.fresh);
        for (position, new) in (self.position..).zip(fresh.into_iter().flatten()) {
            count(&mut self.plan.counts.new);
            let write = self.written(new.into_threat(), position, true);
            self.plan.writes.push(write);
        }
        self.plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threat::engine::{generate, regenerate};
    use crate::threat::model::{
        Diagram, Element, ElementKind, Flow, ThreatModel, ThreatStatus, ThreatTarget,
    };
    use crate::threat::stored::StoredThreatModelRef;

    fn rules() -> &'static RuleSet {
        RuleSet::bundled_shared().unwrap()
    }

    fn model() -> ThreatModel {
        let mut m = ThreatModel::new(Uuid::from_u128(1), "Shop");
        let mut d = Diagram::new("Main");
        let user = Element::new(ElementKind::ExternalEntity, "Customer");
        let mut web = Element::new(ElementKind::Process, "Web app");
        web.props.handles_untrusted_input = true;
        web.props.web_application = true;
        let db = Element::new(ElementKind::DataStore, "Orders");
        let mut f = Flow::new("Order", user.id, web.id);
        f.bidirectional = true;
        let g = Flow::new("Save", web.id, db.id);
        d.elements = vec![user, web, db];
        d.flows = vec![f, g];
        m.diagrams.push(d);
        m.threats = regenerate(&[], generate(&m, rules()));
        m
    }

    /// The model in its stored form, split as storage keeps it.
    fn split(m: &ThreatModel) -> (StoredThreatModel, Vec<StoredThreat>) {
        let form = StoredThreatModelRef::new(m, rules());
        let head: StoredThreatModel =
            serde_json::from_str(&serde_json::to_string(&form.head()).unwrap()).unwrap();
        let threats = form
            .threats()
            .iter()
            .map(|t| serde_json::from_str(&serde_json::to_string(t).unwrap()).unwrap())
            .collect();
        (head, threats)
    }

    /// Applies a plan the way storage does, then reads the model back.
    fn apply(m: &ThreatModel, plan: &RegenerationPlan) -> ThreatModel {
        let (head, mut threats) = split(m);
        for w in &plan.writes {
            if w.insert {
                assert_eq!(w.position, threats.len());
                threats.push(w.stored.clone());
            } else {
                threats[w.position] = w.stored.clone();
            }
        }
        StoredThreatModel { threats, ..head }.into_model(rules())
    }

    /// What the full path gives: regenerate over the filled model.
    fn full(m: &ThreatModel) -> ThreatModel {
        let mut out = m.clone();
        out.threats = regenerate(&m.threats, generate(m, rules()));
        out
    }

    #[test]
    fn a_second_run_plans_nothing_and_fills_nothing() {
        let m = model();
        assert!(m.threats.len() >= 5, "{}", m.threats.len());
        let (head, threats) = split(&m);
        let plan = plan_regeneration(&head, &threats, rules());
        assert!(plan.is_empty(), "{:?}", plan.writes);
        assert_eq!(plan.unchanged, m.threats.len());
        assert_eq!(plan.counts.kept as usize, m.threats.len());
    }

    #[test]
    fn edits_are_kept_and_changes_match_the_full_merge() {
        let mut m = model();
        m.threats[0].status = ThreatStatus::Mitigated;
        m.threats[0].notes = "Risk owner signed off".into();
        // A property change: some rules stop applying, others start.
        m.diagrams[0].elements[1].props.handles_untrusted_input = false;
        m.diagrams[0].elements[1].props.stores_credentials = true;
        m.diagrams[0].elements[2].props.encrypted_at_rest = true;
        // A renamed element changes the text of its threats.
        m.diagrams[0].elements[0].name = "Shopper".into();
        let (head, threats) = split(&m);
        let plan = plan_regeneration(&head, &threats, rules());
        let expected = full(&m);
        assert_eq!(apply(&m, &plan), expected);
        assert!(plan.counts.obsolete > 0, "{:?}", plan.counts);
        assert!(plan.counts.new > 0, "{:?}", plan.counts);
        assert_eq!(expected.threats[0].status, ThreatStatus::Mitigated);
        assert_eq!(expected.threats[0].notes, "Risk owner signed off");
        // Obsolete threats are marked, never dropped; only rows that
        // differ are written.
        assert!(expected.threats.len() >= m.threats.len());
        let differing = expected
            .threats
            .iter()
            .enumerate()
            .filter(|(i, t)| m.threats.get(*i) != Some(*t))
            .count();
        assert_eq!(plan.writes.len(), differing);
        // Applied, a second plan is empty.
        let (head, threats) = split(&expected);
        assert!(plan_regeneration(&head, &threats, rules()).is_empty());
    }

    #[test]
    fn a_removed_element_marks_its_threats_obsolete() {
        let mut m = model();
        let gone = m.diagrams[0].elements[2].id;
        m.diagrams[0].elements.remove(2);
        m.diagrams[0].flows.remove(1);
        let (head, threats) = split(&m);
        let plan = plan_regeneration(&head, &threats, rules());
        let after = apply(&m, &plan);
        assert_eq!(after, full(&m));
        let on_gone: Vec<&Threat> = after
            .threats
            .iter()
            .filter(|t| t.target == ThreatTarget::Element(gone))
            .collect();
        assert!(!on_gone.is_empty());
        assert!(on_gone.iter().all(|t| t.obsolete && !t.title.is_empty()));
        assert!(plan.writes.iter().all(|w| !w.insert && w.text.is_none()));
    }

    #[test]
    fn a_user_threat_with_a_generated_id_takes_its_rule_back() {
        let mut m = model();
        let rule = m.threats[1].rule_id.take();
        m.threats[1].notes = "Came back from Threat Dragon".into();
        let (head, threats) = split(&m);
        let plan = plan_regeneration(&head, &threats, rules());
        assert_eq!(plan.writes.len(), 1);
        assert_eq!(plan.counts.new, 1);
        let after = apply(&m, &plan);
        assert!(after.threats[1].is_generated());
        assert_eq!(after.threats[1].notes, "Came back from Threat Dragon");
        let mut expected = m.threats.clone();
        expected[1].rule_id = rule;
        assert_eq!(after.threats, expected);
    }
}

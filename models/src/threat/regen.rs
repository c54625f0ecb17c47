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

use super::engine::Candidate;
use super::model::Threat;
use super::rules::{Rule, RuleSet};
use super::stored::{FedThreat, Names, PlainThreat, StoredThreat, StoredThreatModel};

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

    /// Writes `gone` back as obsolete, its text unchanged.
    fn mark_obsolete(&mut self, mut gone: StoredThreat, position: usize) {
        gone.obsolete = true;
        self.writes.push(PlannedThreat {
            position,
            insert: false,
            stored: gone,
            text: None,
        });
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

/// [`unchanged`] for a plain stored threat: its text is the rule's by
/// definition, so only the rule, ratings, target and rationale count.
fn plain_unchanged(old: &PlainThreat, fresh: &Candidate, rule: &Rule) -> bool {
    *old.rule_id == *rule.id
        && old.category == rule.category
        && old.target == fresh.target
        && old.likelihood == rule.likelihood
        && old.impact == rule.impact
        && old.rationale_is(&fresh.rationale)
}

/// Runs every enabled rule of `rules` over the diagram part of `model` and
/// merges the result into `existing` (the model's stored threats in model
/// order), as [`super::engine::regenerate`] does after a threat a person
/// wrote with the id of a generated one takes its rule back.
pub fn plan_regeneration(
    model: &StoredThreatModel,
    existing: &[FedThreat],
    rules: &RuleSet,
) -> RegenerationPlan {
    let mut regeneration = Regeneration::new(model, rules);
    for old in existing {
        regeneration.feed(old.clone());
    }
    regeneration.run_rules(|_| {});
    regeneration.finish()
}

/// [`plan_regeneration`] as a merge of two streams: the stored threats, fed
/// in model order as they are read, and the rules' threats as the engine
/// makes them. Each side waits in a map only until the other reaches the
/// same id; both come out in diagram order, so a regeneration keeps few of
/// either at a time whichever runs ahead.
pub struct Regeneration<'a> {
    model: &'a StoredThreatModel,
    rules: &'a RuleSet,
    names: Names<'a>,
    /// Rule threats no stored threat has claimed yet, with their place in
    /// the engine's order.
    waiting_fresh: HashMap<Uuid, (usize, Candidate<'a>)>,
    /// Stored threats whose id the rules have not raised yet, with their
    /// positions. A second stored threat with the same id gets no rule
    /// threat (the first in model order has it): if the first still waits
    /// it is compared at once, else it waits for a rule threat that was
    /// already paired and so never comes.
    waiting_stored: HashMap<Uuid, (usize, FedThreat)>,
    made: usize,
    position: usize,
    rules_done: bool,
    stored_done: bool,
    new: Vec<(usize, Candidate<'a>)>,
    plan: RegenerationPlan,
}

/// How often, in rule threats made, [`Regeneration::run_rules`] hands
/// control back to feed stored threats that arrived meanwhile.
const FEED_EVERY: usize = if cfg!(test) { 1 } else { 256 };

impl<'a> Regeneration<'a> {
    /// A merge for `model` under `rules`; nothing runs yet.
    pub fn new(model: &'a StoredThreatModel, rules: &'a RuleSet) -> Self {
        Regeneration {
            model,
            rules,
            names: Names::new(&model.diagrams),
            waiting_fresh: HashMap::new(),
            waiting_stored: HashMap::new(),
            made: 0,
            position: 0,
            rules_done: false,
            stored_done: false,
            new: Vec::new(),
            plan: RegenerationPlan::default(),
        }
    }

    /// Runs every enabled rule over the diagram part, pairing each threat
    /// it raises as it comes; `between` is called every [`FEED_EVERY`]
    /// threats, to [`Self::feed`] the stored threats read meanwhile.
    pub fn run_rules(&mut self, mut between: impl FnMut(&mut Self)) {
        if self.rules_done {
            return;
        }
        let (model, rules) = (self.model, self.rules);
        let mut since_fed = 0;
        super::engine::for_each_candidate(&model.diagrams, &model.data_assets, rules, |c| {
            self.fresh(c);
            since_fed += 1;
            if since_fed >= FEED_EVERY {
                since_fed = 0;
                between(self);
            }
        });
        self.rules_done = true;
        // Stored threats still waiting were not raised again.
        let mut left: Vec<(usize, FedThreat)> =
            self.waiting_stored.drain().map(|(_, v)| v).collect();
        left.sort_unstable_by_key(|(position, _)| *position);
        for (position, old) in left {
            self.compare(old, None, position);
        }
    }

    fn fresh(&mut self, c: Candidate<'a>) {
        let made = self.made;
        self.made += 1;
        if let Some((position, old)) = self.waiting_stored.remove(&c.id) {
            self.compare(old, Some(c), position);
        } else if self.stored_done {
            self.new.push((made, c));
        } else {
            self.waiting_fresh.insert(c.id, (made, c));
        }
    }

    /// The model's next stored threat, in model order.
    pub fn feed(&mut self, old: FedThreat) {
        let position = self.position;
        self.position += 1;
        let id = old.id();
        if let Some((_, fresh)) = self.waiting_fresh.remove(&id) {
            self.compare(old, Some(fresh), position);
        } else if self.rules_done || self.waiting_stored.contains_key(&id) {
            self.compare(old, None, position);
        } else {
            self.waiting_stored.insert(id, (position, old));
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

    /// Compares stored threat `old` at `position` with the rule threat of
    /// the same id, if the rules raised one, and plans a write when the
    /// merge differs from what is stored.
    fn compare(&mut self, old: FedThreat, fresh: Option<Candidate<'a>>, position: usize) {
        match old {
            FedThreat::Full(old) => self.compare_full(*old, fresh, position),
            FedThreat::Plain(old) => self.compare_plain(old, fresh, position),
        }
    }

    /// [`Self::compare`] for an untouched rule threat: everything of its
    /// own is at the default, so a merge is the fresh threat itself.
    fn compare_plain(&mut self, old: PlainThreat, fresh: Option<Candidate<'a>>, position: usize) {
        let plan = &mut self.plan;
        match fresh {
            Some(new) if plain_unchanged(&old, &new, new.rule) => {
                count(&mut plan.counts.kept);
                plan.unchanged += 1;
            }
            Some(new) => {
                count(&mut plan.counts.kept);
                let write = self.written(new.into_threat(), position, false);
                self.plan.writes.push(write);
            }
            None => {
                count(&mut plan.counts.obsolete);
                plan.mark_obsolete(old.into_stored(), position);
            }
        }
    }

    fn compare_full(&mut self, old: StoredThreat, fresh: Option<Candidate<'a>>, position: usize) {
        let plan = &mut self.plan;
        match (old.rule_id.is_some(), fresh) {
            (false, None) => {
                count(&mut plan.counts.other);
                plan.unchanged += 1;
            }
            (true, Some(new)) if unchanged(&old, &new, new.rule) => {
                count(&mut plan.counts.kept);
                plan.unchanged += 1;
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
            }
            (true, None) => {
                count(&mut plan.counts.obsolete);
                if old.obsolete {
                    plan.unchanged += 1;
                } else {
                    plan.mark_obsolete(old, position);
                }
            }
        }
    }

    /// Every stored threat has been fed: rule threats no stored threat
    /// claimed are new.
    fn stored_done(&mut self) {
        self.stored_done = true;
        self.new.extend(self.waiting_fresh.drain().map(|(_, v)| v));
    }

    /// The plan: the writes for the fed threats by position, then the new
    /// threats in the rules' order. Runs the rules first if they have not
    /// run.
    pub fn finish(mut self) -> RegenerationPlan {
        self.stored_done();
        self.run_rules(|_| {});
        self.plan.writes.sort_by_key(|w| w.position);
        let mut new = std::mem::take(&mut self.new);
        new.sort_unstable_by_key(|(made, _)| *made);
        for (position, (_, c)) in (self.position..).zip(new) {
            count(&mut self.plan.counts.new);
            let write = self.written(c.into_threat(), position, true);
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

    /// The stored threats as storage hands them to a regeneration.
    fn fed(threats: &[StoredThreat]) -> Vec<FedThreat> {
        threats
            .iter()
            .map(|t| FedThreat::parse(&serde_json::to_string(t).unwrap()).unwrap())
            .collect()
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
        let plan = plan_regeneration(&head, &fed(&threats), rules());
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
        let plan = plan_regeneration(&head, &fed(&threats), rules());
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
        assert!(plan_regeneration(&head, &fed(&threats), rules()).is_empty());
    }

    #[test]
    fn a_removed_element_marks_its_threats_obsolete() {
        let mut m = model();
        let gone = m.diagrams[0].elements[2].id;
        m.diagrams[0].elements.remove(2);
        m.diagrams[0].flows.remove(1);
        let (head, threats) = split(&m);
        let plan = plan_regeneration(&head, &fed(&threats), rules());
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
        let plan = plan_regeneration(&head, &fed(&threats), rules());
        assert_eq!(plan.writes.len(), 1);
        assert_eq!(plan.counts.new, 1);
        let after = apply(&m, &plan);
        assert!(after.threats[1].is_generated());
        assert_eq!(after.threats[1].notes, "Came back from Threat Dragon");
        let mut expected = m.threats.clone();
        expected[1].rule_id = rule;
        assert_eq!(after.threats, expected);
    }

    #[test]
    fn untouched_rule_threats_are_fed_plain_and_plan_as_in_full() {
        let mut m = model();
        m.threats[0].notes = "Seen in review".into();
        m.threats[2].obsolete = true;
        let (head, threats) = split(&m);
        let fed = fed(&threats);
        let plain: Vec<bool> = fed
            .iter()
            .map(|t| matches!(t, FedThreat::Plain(_)))
            .collect();
        assert!(
            !plain[0] && !plain[2],
            "edited or obsolete threats are parsed in full"
        );
        assert!(plain.iter().filter(|p| **p).count() >= 3, "{plain:?}");
        for (f, t) in fed.iter().zip(&threats) {
            if let FedThreat::Plain(p) = f {
                assert_eq!(
                    &p.clone().into_stored(),
                    t,
                    "a plain threat stands for its row"
                );
                assert!(p.rationale_is(&t.rationale));
            }
        }
        // Rules applied to a changed diagram: the same plan either way.
        m.diagrams[0].elements[1].props.handles_untrusted_input = false;
        m.diagrams[0].elements[0].name = "Shopper".into();
        m.diagrams[0].elements.remove(2);
        m.diagrams[0].flows.remove(1);
        let (head2, _) = split(&m);
        let full: Vec<FedThreat> = threats
            .iter()
            .map(|t| FedThreat::Full(Box::new(t.clone())))
            .collect();
        let plan = plan_regeneration(&head2, &fed, rules());
        assert_eq!(plan, plan_regeneration(&head2, &full, rules()));
        assert!(
            plan.counts.obsolete > 0 && !plan.writes.is_empty(),
            "{:?}",
            plan.counts
        );
        assert!(plan_regeneration(&head, &fed, rules())
            .writes
            .iter()
            .all(|w| w.position == 2 || w.insert));
    }

    #[test]
    fn rows_with_escapes_or_unknown_fields_are_read_in_full() {
        let escaped = r#"{"id":"8a17f6c9-f667-5182-b984-ccd566545108","rule_id":"STRIDE-BASE-001","category":"spoofing","target":{"kind":"element","id":"5e01b85d-1d18-5b80-a075-c53957ef5066"},"likelihood":"medium","impact":"medium","rationale":[{"property":"name","value":"A \"quoted\" name"}]}"#;
        let FedThreat::Full(t) = FedThreat::parse(escaped).unwrap() else {
            panic!("an escaped string cannot be borrowed: read in full");
        };
        assert_eq!(t.rationale[0].value, "A \"quoted\" name");
        let plain = escaped.replace(r#"A \"quoted\" name"#, "Plain name");
        assert!(matches!(
            FedThreat::parse(&plain).unwrap(),
            FedThreat::Plain(_)
        ));
        let with_status = plain.replace(
            r#""likelihood""#,
            r#""status":{"state":"mitigated"},"likelihood""#,
        );
        let parsed = FedThreat::parse(&with_status);
        assert!(!matches!(parsed, Ok(FedThreat::Plain(_))), "{parsed:?}");
        assert!(FedThreat::parse("{not json").is_err());
    }

    #[test]
    fn the_plan_is_the_same_whichever_side_runs_ahead() {
        let mut m = model();
        m.threats[1].status = ThreatStatus::Mitigated;
        // A duplicate id: the first in model order keeps the rule threat.
        let dup = m.threats[3].clone();
        m.threats.push(dup);
        m.diagrams[0].elements[1].props.handles_untrusted_input = false;
        m.diagrams[0].elements[2].props.stores_credentials = true;
        let (head, threats) = split(&m);
        let fed = fed(&threats);
        let expected = plan_regeneration(&head, &fed, rules());
        assert!(!expected.writes.is_empty());

        // Rules first, then every stored threat.
        let mut r = Regeneration::new(&head, rules());
        r.run_rules(|_| {});
        for t in fed.clone() {
            r.feed(t);
        }
        assert_eq!(r.finish(), expected);

        // Interleaved: one stored threat each time the engine yields.
        let mut r = Regeneration::new(&head, rules());
        let mut rest = fed.clone().into_iter();
        r.run_rules(|r| {
            if let Some(t) = rest.next() {
                r.feed(t);
            }
        });
        for t in rest {
            r.feed(t);
        }
        assert_eq!(r.finish(), expected);

        // The whole merge, and applied, a second run plans nothing.
        let after = apply(&m, &expected);
        let mut full_merge = m.clone();
        full_merge.threats = regenerate(&m.threats, generate(&m, rules()));
        assert_eq!(after, full_merge);
    }
}

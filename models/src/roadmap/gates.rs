//! Secure-SDLC gates (the program's Plan-phase compliance hooks):
//! - a new data flow needs a threat model reviewed in a session;
//! - an architecture change needs an accepted ADR;
//! - regulated data needs the mapped compliance controls.
//!
//! Gates are evaluated against [`Evidence`]: what the workspace holds about
//! ADRs, threat models and controls. The evidence is plain data so this
//! module does not depend on how (or whether) those records are stored; a
//! control the workspace cannot see counts as missing, and a control counts
//! for a repository only when its matrix cell there is implemented or an
//! alternative (compensating) implementation.

use serde::{Deserialize, Serialize};
use specta::Type;

use super::model::Initiative;
use crate::compliance::ImplementationStatus;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct AdrEvidence {
    pub number: u32,
    pub title: String,
    /// The status label ("accepted", "proposed", ...).
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ThreatModelEvidence {
    pub id: String,
    pub name: String,
    /// Threat sessions on this model that ended (a completed review).
    pub ended_sessions: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ControlEvidence {
    /// "SOC2-CC6.1", "ISO27001-A.8.24"...
    pub id: String,
    pub title: String,
    /// The control's state in each repository that has a matrix cell for
    /// it; a repository not listed is not assessed.
    pub repositories: Vec<RepositoryImplementation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct RepositoryImplementation {
    pub repository: String,
    pub status: ImplementationStatus,
}

impl ControlEvidence {
    /// Why the control does not count for `repository`, if it does not.
    fn lacking_in(&self, repository: &str) -> Option<String> {
        match self
            .repositories
            .iter()
            .find(|r| r.repository == repository)
            .map(|r| r.status)
        {
            None => Some(format!("not assessed in {repository}")),
            Some(ImplementationStatus::Implemented | ImplementationStatus::Alternative) => None,
            Some(status) => Some(format!("{} in {repository}", status.oscal())),
        }
    }
}

/// What the workspace holds that gates are checked against.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Evidence {
    pub adrs: Vec<AdrEvidence>,
    pub threat_models: Vec<ThreatModelEvidence>,
    pub controls: Vec<ControlEvidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum GateKind {
    /// New data flow → a threat model reviewed in a session.
    ThreatModelReviewed,
    /// Architecture change → an accepted ADR.
    AcceptedAdr,
    /// Regulated data → the mapped controls.
    MappedControls,
}

impl GateKind {
    pub fn label(self) -> &'static str {
        match self {
            GateKind::ThreatModelReviewed => "threat model reviewed in a session",
            GateKind::AcceptedAdr => "accepted ADR",
            GateKind::MappedControls => "mapped compliance controls",
        }
    }
}

/// A record a gate is about, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct GateLink {
    /// "adr", "threat_model" or "control".
    pub kind: String,
    /// The ADR number, threat-model name or control id.
    pub reference: String,
    /// The record's title when the workspace has it.
    pub title: Option<String>,
    /// Whether this record satisfies its part of the gate.
    pub ok: bool,
    /// Why not, when it does not.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct GateResult {
    pub gate: GateKind,
    pub met: bool,
    /// What is still lacking, in one sentence; empty when met.
    pub lacking: String,
    pub links: Vec<GateLink>,
}

/// The gates an initiative needs and how each stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Readiness {
    pub key: String,
    pub gates: Vec<GateResult>,
}

impl Readiness {
    pub fn ready(&self) -> bool {
        self.gates.iter().all(|g| g.met)
    }

    pub fn unmet(&self) -> impl Iterator<Item = &GateResult> {
        self.gates.iter().filter(|g| !g.met)
    }
}

fn link(kind: &str, reference: String, title: Option<String>, problem: Option<String>) -> GateLink {
    GateLink {
        kind: kind.into(),
        reference,
        title,
        ok: problem.is_none(),
        problem,
    }
}

fn result(gate: GateKind, links: Vec<GateLink>, none_linked: &str) -> GateResult {
    let met = !links.is_empty() && links.iter().all(|l| l.ok);
    let lacking = if links.is_empty() {
        none_linked.to_string()
    } else {
        links
            .iter()
            .filter_map(|l| l.problem.clone())
            .collect::<Vec<_>>()
            .join("; ")
    };
    GateResult {
        gate,
        met,
        lacking,
        links,
    }
}

/// Which gates the initiative needs and what each still lacks.
pub fn evaluate(initiative: &Initiative, evidence: &Evidence) -> Readiness {
    let mut gates = Vec::new();
    if initiative.new_data_flow {
        let links = initiative
            .threat_models
            .iter()
            .map(|wanted| {
                let found = evidence
                    .threat_models
                    .iter()
                    .find(|m| m.id == *wanted || m.name.eq_ignore_ascii_case(wanted));
                match found {
                    None => link(
                        "threat_model",
                        wanted.clone(),
                        None,
                        Some(format!(
                            "no threat model is named \"{wanted}\" yet (create it, or link an existing one)"
                        )),
                    ),
                    Some(m) if m.ended_sessions == 0 => link(
                        "threat_model",
                        m.name.clone(),
                        Some(m.name.clone()),
                        Some(format!(
                            "threat model \"{}\" has not been reviewed in a session",
                            m.name
                        )),
                    ),
                    Some(m) => link("threat_model", m.name.clone(), Some(m.name.clone()), None),
                }
            })
            .collect();
        gates.push(result(
            GateKind::ThreatModelReviewed,
            links,
            "a new data flow needs a threat model reviewed in a session; none is linked",
        ));
    }
    if initiative.architecture_change {
        let links = initiative
            .adrs
            .iter()
            .map(|&n| match evidence.adrs.iter().find(|a| a.number == n) {
                None => link(
                    "adr",
                    n.to_string(),
                    None,
                    Some(format!("ADR {n} does not exist")),
                ),
                Some(a) if !a.status.eq_ignore_ascii_case("accepted") => link(
                    "adr",
                    n.to_string(),
                    Some(a.title.clone()),
                    Some(format!("ADR {n} is {}, not accepted", a.status)),
                ),
                Some(a) => link("adr", n.to_string(), Some(a.title.clone()), None),
            })
            .collect();
        gates.push(result(
            GateKind::AcceptedAdr,
            links,
            "an architecture change needs an accepted ADR; none is linked",
        ));
    }
    if initiative.regulated_data {
        let links = initiative
            .controls
            .iter()
            .map(|id| {
                let found = evidence
                    .controls
                    .iter()
                    .find(|c| c.id.eq_ignore_ascii_case(id));
                match found {
                    None => link(
                        "control",
                        id.clone(),
                        None,
                        Some(format!(
                            "control {id} is not in the workspace's compliance matrix"
                        )),
                    ),
                    Some(c) => {
                        // With no repository named, every assessed one counts.
                        let repositories: Vec<&str> = if initiative.repositories.is_empty() {
                            c.repositories
                                .iter()
                                .map(|r| r.repository.as_str())
                                .collect()
                        } else {
                            initiative.repositories.iter().map(String::as_str).collect()
                        };
                        let lacking: Vec<String> = repositories
                            .iter()
                            .filter_map(|r| c.lacking_in(r))
                            .collect();
                        let problem = if repositories.is_empty() {
                            Some(format!(
                                "control {} is not assessed in any repository",
                                c.id
                            ))
                        } else if !lacking.is_empty() {
                            Some(format!(
                                "control {} is not implemented: {}",
                                c.id,
                                lacking.join(", ")
                            ))
                        } else {
                            None
                        };
                        link("control", c.id.clone(), Some(c.title.clone()), problem)
                    }
                }
            })
            .collect();
        gates.push(result(
            GateKind::MappedControls,
            links,
            "regulated data needs mapped compliance controls; none is linked",
        ));
    }
    Readiness {
        key: initiative.key.clone(),
        gates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn evidence() -> Evidence {
        Evidence {
            adrs: vec![
                AdrEvidence {
                    number: 3,
                    title: "Reusable workflows".into(),
                    status: "accepted".into(),
                },
                AdrEvidence {
                    number: 6,
                    title: "Secrets store".into(),
                    status: "proposed".into(),
                },
            ],
            threat_models: vec![
                ThreatModelEvidence {
                    id: "1".into(),
                    name: "Gateway".into(),
                    ended_sessions: 1,
                },
                ThreatModelEvidence {
                    id: "2".into(),
                    name: "Research".into(),
                    ended_sessions: 0,
                },
            ],
            controls: vec![ControlEvidence {
                id: "SOC2-CC6.1".into(),
                title: "Logical access".into(),
                repositories: vec![
                    RepositoryImplementation {
                        repository: "plasma-engine-gateway".into(),
                        status: ImplementationStatus::Implemented,
                    },
                    RepositoryImplementation {
                        repository: "plasma-engine-research".into(),
                        status: ImplementationStatus::Partial,
                    },
                ],
            }],
        }
    }

    #[test]
    fn no_flags_means_no_gates() {
        let i = Initiative::new(Uuid::nil(), "a", "A");
        let r = evaluate(&i, &evidence());
        assert!(r.gates.is_empty() && r.ready());
    }

    #[test]
    fn each_gate_says_what_it_lacks() {
        let mut i = Initiative::new(Uuid::nil(), "a", "A");
        i.new_data_flow = true;
        i.architecture_change = true;
        i.regulated_data = true;
        let r = evaluate(&i, &evidence());
        assert_eq!(r.gates.len(), 3);
        assert!(r
            .gates
            .iter()
            .all(|g| !g.met && g.lacking.contains("none is linked")));

        i.threat_models = vec!["research".into(), "Ghost".into()];
        i.adrs = vec![6];
        i.controls = vec!["SOC2-CC6.1".into(), "ISO-A.5".into()];
        i.repositories = vec![
            "plasma-engine-gateway".into(),
            "plasma-engine-research".into(),
            "plasma-engine-docs".into(),
        ];
        let r = evaluate(&i, &evidence());
        let lacking: Vec<&str> = r.gates.iter().map(|g| g.lacking.as_str()).collect();
        assert_eq!(
            lacking,
            [
                "threat model \"Research\" has not been reviewed in a session; no threat model is named \"Ghost\" yet (create it, or link an existing one)",
                "ADR 6 is proposed, not accepted",
                "control SOC2-CC6.1 is not implemented: partial in plasma-engine-research, not assessed in plasma-engine-docs; control ISO-A.5 is not in the workspace's compliance matrix",
            ]
        );
        assert_eq!(r.gates[1].links[0].title.as_deref(), Some("Secrets store"));
        assert!(!r.ready());
    }

    #[test]
    fn gates_are_met_by_reviewed_models_accepted_adrs_and_mapped_controls() {
        let mut i = Initiative::new(Uuid::nil(), "a", "A");
        i.new_data_flow = true;
        i.architecture_change = true;
        i.regulated_data = true;
        i.threat_models = vec!["gateway".into()];
        i.adrs = vec![3];
        i.controls = vec!["soc2-cc6.1".into()];
        i.repositories = vec!["plasma-engine-gateway".into()];
        let r = evaluate(&i, &evidence());
        assert!(r.ready(), "{r:?}");
        assert!(r.gates.iter().all(|g| g.lacking.is_empty()));
    }
}

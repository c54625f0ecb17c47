//! Threat sessions: a reviewer walks the team through a model element by
//! element, STRIDE category by category, confirming or rejecting the
//! suggested threats, adding new ones and taking notes. Pure state; the
//! minutes are rendered by `plasma_exports`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;
use thiserror::Error;
use uuid::Uuid;

use super::model::{ElementKind, Stride, Threat, ThreatModel, ThreatStatus, ThreatTarget};

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum SessionError {
    #[error("the session has ended; start a new one")]
    Ended,
    #[error("the session is paused; resume it first")]
    Paused,
    #[error("the session is not paused")]
    NotPaused,
    #[error("{0} is not an element or flow of this model")]
    UnknownTarget(Uuid),
    #[error("threat {0} is not part of this model")]
    UnknownThreat(Uuid),
    #[error("a session needs at least one element or flow in scope")]
    EmptyScope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SessionState {
    Active,
    Paused,
    Ended,
}

/// One stop of the guided walk: a target and a STRIDE category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SessionStep {
    pub target: ThreatTarget,
    pub target_name: String,
    pub category: Stride,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SessionEvent {
    Started,
    Paused,
    Resumed,
    Confirmed {
        threat: Uuid,
        title: String,
    },
    Rejected {
        threat: Uuid,
        title: String,
        reason: String,
    },
    Added {
        threat: Uuid,
        title: String,
    },
    Note {
        text: String,
    },
    Ended,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SessionEntry {
    pub at: DateTime<Utc>,
    /// The step the team was on, if any.
    pub step: Option<u32>,
    pub event: SessionEvent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ThreatSession {
    pub id: Uuid,
    pub model_id: Uuid,
    pub participants: Vec<String>,
    pub steps: Vec<SessionStep>,
    /// Index of the current step; equal to `steps.len()` when all are done.
    pub cursor: u32,
    pub state: SessionState,
    pub log: Vec<SessionEntry>,
}

/// STRIDE per element (Microsoft's threat modeling baseline): which
/// categories apply to which kind of target.
pub fn categories_for(target: &ThreatTarget, model: &ThreatModel) -> Vec<Stride> {
    use Stride::*;
    match target {
        ThreatTarget::Flow(_) => vec![Tampering, InformationDisclosure, DenialOfService],
        ThreatTarget::Element(id) => {
            let element = model
                .diagrams
                .iter()
                .flat_map(|d| &d.elements)
                .find(|e| e.id == *id);
            match element.map(|e| (e.kind, e.props.is_log)) {
                Some((ElementKind::ExternalEntity, _)) => vec![Spoofing, Repudiation],
                Some((ElementKind::DataStore, true)) => {
                    vec![
                        Tampering,
                        Repudiation,
                        InformationDisclosure,
                        DenialOfService,
                    ]
                }
                Some((ElementKind::DataStore, false)) => {
                    vec![Tampering, InformationDisclosure, DenialOfService]
                }
                Some((ElementKind::Process, _)) | None => Stride::ALL.to_vec(),
            }
        }
    }
}

fn target_of(model: &ThreatModel, id: Uuid) -> Option<(ThreatTarget, String)> {
    for d in &model.diagrams {
        if let Some(e) = d.elements.iter().find(|e| e.id == id) {
            return Some((ThreatTarget::Element(id), e.name.clone()));
        }
        if let Some(f) = d.flows.iter().find(|f| f.id == id) {
            return Some((ThreatTarget::Flow(id), f.name.clone()));
        }
    }
    None
}

fn threat_mut(model: &mut ThreatModel, id: Uuid) -> Result<&mut Threat, SessionError> {
    model
        .threats
        .iter_mut()
        .find(|t| t.id == id)
        .ok_or(SessionError::UnknownThreat(id))
}

impl ThreatSession {
    /// Starts a session over `scope` (element and flow ids, in walk order).
    pub fn start(
        model: &ThreatModel,
        participants: Vec<String>,
        scope: &[Uuid],
        now: DateTime<Utc>,
    ) -> Result<ThreatSession, SessionError> {
        if scope.is_empty() {
            return Err(SessionError::EmptyScope);
        }
        let mut steps = Vec::new();
        for id in scope {
            let (target, target_name) =
                target_of(model, *id).ok_or(SessionError::UnknownTarget(*id))?;
            for category in categories_for(&target, model) {
                steps.push(SessionStep {
                    target,
                    target_name: target_name.clone(),
                    category,
                });
            }
        }
        Ok(ThreatSession {
            id: Uuid::new_v4(),
            model_id: model.id,
            participants,
            steps,
            cursor: 0,
            state: SessionState::Active,
            log: vec![SessionEntry {
                at: now,
                step: None,
                event: SessionEvent::Started,
            }],
        })
    }

    pub fn current(&self) -> Option<&SessionStep> {
        self.steps.get(self.cursor as usize)
    }

    /// The model's threats for the current step that nobody has ruled on.
    pub fn suggestions<'m>(&self, model: &'m ThreatModel) -> Vec<&'m Threat> {
        let Some(step) = self.current() else {
            return Vec::new();
        };
        model
            .threats
            .iter()
            .filter(|t| t.target == step.target && t.category == step.category && !t.obsolete)
            .filter(|t| !self.ruled_on(t.id))
            .collect()
    }

    fn ruled_on(&self, threat: Uuid) -> bool {
        self.log.iter().any(|e| match &e.event {
            SessionEvent::Confirmed { threat: t, .. }
            | SessionEvent::Rejected { threat: t, .. }
            | SessionEvent::Added { threat: t, .. } => *t == threat,
            _ => false,
        })
    }

    fn active(&self) -> Result<(), SessionError> {
        match self.state {
            SessionState::Active => Ok(()),
            SessionState::Paused => Err(SessionError::Paused),
            SessionState::Ended => Err(SessionError::Ended),
        }
    }

    fn record(&mut self, now: DateTime<Utc>, event: SessionEvent) {
        let step = (self.current().is_some()).then_some(self.cursor);
        self.log.push(SessionEntry {
            at: now,
            step,
            event,
        });
    }

    /// The team agrees the threat applies; it stays open for mitigation.
    pub fn confirm(
        &mut self,
        model: &mut ThreatModel,
        threat: Uuid,
        now: DateTime<Utc>,
    ) -> Result<(), SessionError> {
        self.active()?;
        let t = threat_mut(model, threat)?;
        let title = t.title.clone();
        self.record(now, SessionEvent::Confirmed { threat, title });
        Ok(())
    }

    /// The team rules the threat out: it becomes not applicable, with the
    /// reason in its notes.
    pub fn reject(
        &mut self,
        model: &mut ThreatModel,
        threat: Uuid,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), SessionError> {
        self.active()?;
        let t = threat_mut(model, threat)?;
        t.status = ThreatStatus::NotApplicable;
        let line = format!(
            "Rejected in a threat session on {}: {reason}",
            now.format("%Y-%m-%d")
        );
        t.notes = if t.notes.is_empty() {
            line
        } else {
            format!("{}\n{line}", t.notes)
        };
        let title = t.title.clone();
        self.record(
            now,
            SessionEvent::Rejected {
                threat,
                title,
                reason: reason.to_string(),
            },
        );
        Ok(())
    }

    /// A threat the team found that no rule suggested.
    pub fn add_threat(
        &mut self,
        model: &mut ThreatModel,
        threat: Threat,
        now: DateTime<Utc>,
    ) -> Result<(), SessionError> {
        self.active()?;
        if target_of(model, threat.target.id()).is_none() {
            return Err(SessionError::UnknownTarget(threat.target.id()));
        }
        self.record(
            now,
            SessionEvent::Added {
                threat: threat.id,
                title: threat.title.clone(),
            },
        );
        model.threats.push(threat);
        Ok(())
    }

    pub fn note(&mut self, text: &str, now: DateTime<Utc>) -> Result<(), SessionError> {
        self.active()?;
        self.record(
            now,
            SessionEvent::Note {
                text: text.to_string(),
            },
        );
        Ok(())
    }

    /// Moves to the next step; false when the walk is complete.
    pub fn advance(&mut self) -> Result<bool, SessionError> {
        self.active()?;
        if (self.cursor as usize) < self.steps.len() {
            self.cursor += 1;
        }
        Ok((self.cursor as usize) < self.steps.len())
    }

    pub fn pause(&mut self, now: DateTime<Utc>) -> Result<(), SessionError> {
        self.active()?;
        self.state = SessionState::Paused;
        self.record(now, SessionEvent::Paused);
        Ok(())
    }

    pub fn resume(&mut self, now: DateTime<Utc>) -> Result<(), SessionError> {
        match self.state {
            SessionState::Paused => {
                self.state = SessionState::Active;
                self.record(now, SessionEvent::Resumed);
                Ok(())
            }
            SessionState::Ended => Err(SessionError::Ended),
            SessionState::Active => Err(SessionError::NotPaused),
        }
    }

    pub fn end(&mut self, now: DateTime<Utc>) -> Result<(), SessionError> {
        if self.state == SessionState::Ended {
            return Err(SessionError::Ended);
        }
        self.state = SessionState::Ended;
        self.record(now, SessionEvent::Ended);
        Ok(())
    }
}

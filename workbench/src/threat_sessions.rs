//! Threat sessions from a shell: start one over a model, walk it step by
//! step (confirm or reject the suggested threats, add new ones, take
//! notes), pause, resume, end, and the minutes in Markdown.
//!
//! Each step loads the session and its model, applies the pure domain
//! operation ([`ThreatSession`]) and saves both in one transaction.

use chrono::Utc;
use plasma_exports::threat::report::session_minutes;
use plasma_models::threat::{SessionError, SessionState, SessionStep, ThreatModel, ThreatSession};
use plasma_storage::{ModelChange, StoreError, StoredThreatModel, StoredThreatSession};
use serde::{Deserialize, Serialize};
use specta::Type;
use uuid::Uuid;

use crate::threat_edit::{new_threat, NewThreat};
use crate::threats::{threat_row, ThreatRow};
use crate::{Result, Workbench, WorkbenchError};

/// A session as the shells show it: where the team is and what to rule on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct SessionView {
    pub session: ThreatSession,
    /// The session's save counter, for optimistic concurrency.
    pub version: u32,
    pub model_name: String,
    /// The model's revision after the last step.
    pub model_revision: u32,
    pub current: Option<SessionStep>,
    /// The model's threats for the current step nobody has ruled on yet.
    pub suggestions: Vec<ThreatRow>,
    pub started_at: chrono::DateTime<Utc>,
    pub updated_at: chrono::DateTime<Utc>,
}

/// One team decision on a suggested threat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Ruling {
    /// The threat applies; it stays open for mitigation.
    Confirm,
    /// The threat does not apply here; it becomes not applicable.
    Reject { reason: String },
}

/// What a step does, applied to the session and its model.
enum Step {
    Next,
    Rule(Uuid, Ruling),
    Note(String),
    Add(NewThreat),
    Pause,
    Resume,
    End,
}

fn session_error(e: SessionError) -> WorkbenchError {
    match e {
        SessionError::UnknownThreat(_) | SessionError::UnknownTarget(_) => {
            WorkbenchError::NotFound(e.to_string())
        }
        _ => WorkbenchError::Invalid(e.to_string()),
    }
}

fn view(stored: StoredThreatSession, model: &StoredThreatModel) -> SessionView {
    let suggestions = stored
        .session
        .suggestions(&model.model)
        .into_iter()
        .map(|t| threat_row(&model.model, t))
        .collect();
    SessionView {
        current: stored.session.current().cloned(),
        suggestions,
        version: stored.version,
        model_name: model.model.name.clone(),
        model_revision: model.revision,
        started_at: stored.started_at,
        updated_at: stored.updated_at,
        session: stored.session,
    }
}

/// Every element, then every flow, in diagram order.
fn whole_model(model: &ThreatModel) -> Vec<Uuid> {
    let elements = model
        .diagrams
        .iter()
        .flat_map(|d| d.elements.iter().map(|e| e.id));
    let flows = model
        .diagrams
        .iter()
        .flat_map(|d| d.flows.iter().map(|f| f.id));
    elements.chain(flows).collect()
}

impl Workbench {
    /// Starts a session on a model (name or id). An empty `scope` walks every
    /// element and then every flow.
    pub async fn start_threat_session(
        &self,
        model: &str,
        participants: Vec<String>,
        scope: Vec<Uuid>,
    ) -> Result<SessionView> {
        let stored = self.get_threat_model(model).await?;
        let scope = if scope.is_empty() {
            whole_model(&stored.model)
        } else {
            scope
        };
        let participants = participants
            .into_iter()
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        let session = ThreatSession::start(&stored.model, participants, &scope, Utc::now())
            .map_err(|e| match e {
                SessionError::EmptyScope => WorkbenchError::Invalid(format!(
                    "threat model \"{}\" has no elements or flows to walk; draw some first",
                    stored.model.name
                )),
                other => session_error(other),
            })?;
        let saved = self.store().create_threat_session(&session).await?;
        Ok(view(saved, &stored))
    }

    pub async fn threat_session(&self, id: Uuid) -> Result<SessionView> {
        let stored = self.store().get_threat_session(id).await?;
        let model = self
            .store()
            .get_threat_model(stored.session.model_id)
            .await?;
        Ok(view(stored, &model))
    }

    /// A model's sessions (name or id), newest first.
    pub async fn list_threat_sessions(&self, model: &str) -> Result<Vec<SessionView>> {
        let stored = self.get_threat_model(model).await?;
        let sessions = self.store().list_threat_sessions(stored.model.id).await?;
        Ok(sessions.into_iter().map(|s| view(s, &stored)).collect())
    }

    /// A session by id, else the newest session of the model with that
    /// name or id that has not ended (what the CLI means by "the session").
    pub async fn find_threat_session(&self, session_or_model: &str) -> Result<SessionView> {
        if let Ok(id) = Uuid::parse_str(session_or_model.trim()) {
            match self.threat_session(id).await {
                Err(WorkbenchError::Store(StoreError::NotFound { .. })) => {}
                other => return other,
            }
        }
        self.list_threat_sessions(session_or_model)
            .await?
            .into_iter()
            .find(|s| s.session.state != SessionState::Ended)
            .ok_or_else(|| {
                WorkbenchError::NotFound(format!(
                    "no running threat session for \"{session_or_model}\" (start one with `plasma threats session start`)"
                ))
            })
    }

    async fn session_step(
        &self,
        id: Uuid,
        expected_version: u32,
        step: Step,
    ) -> Result<SessionView> {
        let stored = self.store().get_threat_session(id).await?;
        let model = self
            .store()
            .get_threat_model(stored.session.model_id)
            .await?;
        if stored.version != expected_version {
            return Err(StoreError::Conflict {
                what: format!("threat session {id}"),
                expected: expected_version,
                actual: stored.version,
            }
            .into());
        }
        let mut session = stored.session.clone();
        let mut edited = model.model.clone();
        let now = Utc::now();
        let summary = match step {
            Step::Next => {
                session.advance().map_err(session_error)?;
                "threat session"
            }
            Step::Rule(threat, Ruling::Confirm) => {
                session
                    .confirm(&mut edited, threat, now)
                    .map_err(session_error)?;
                "threat session: confirmed a threat"
            }
            Step::Rule(threat, Ruling::Reject { reason }) => {
                let reason = reason.trim();
                if reason.is_empty() {
                    return Err(WorkbenchError::Invalid(
                        "rejecting a threat needs a reason, for the minutes".into(),
                    ));
                }
                session
                    .reject(&mut edited, threat, reason, now)
                    .map_err(session_error)?;
                "threat session: rejected a threat"
            }
            Step::Note(text) => {
                let text = text.trim();
                if text.is_empty() {
                    return Err(WorkbenchError::Invalid("a note needs some text".into()));
                }
                session.note(text, now).map_err(session_error)?;
                "threat session"
            }
            Step::Add(new) => {
                let threat = new_threat(&edited, new)?;
                session
                    .add_threat(&mut edited, threat, now)
                    .map_err(session_error)?;
                "threat session: added a threat"
            }
            Step::Pause => {
                session.pause(now).map_err(session_error)?;
                "threat session"
            }
            Step::Resume => {
                session.resume(now).map_err(session_error)?;
                "threat session"
            }
            Step::End => {
                session.end(now).map_err(session_error)?;
                "threat session"
            }
        };
        let change = (edited != model.model).then_some(ModelChange {
            expected_revision: model.revision,
            model: &edited,
            summary,
        });
        let (saved, saved_model) = self
            .store()
            .save_threat_session(&session, stored.version, change)
            .await?;
        Ok(view(saved, saved_model.as_ref().unwrap_or(&model)))
    }

    /// Moves to the next step of the walk.
    pub async fn session_next(&self, id: Uuid, expected_version: u32) -> Result<SessionView> {
        self.session_step(id, expected_version, Step::Next).await
    }

    pub async fn session_rule(
        &self,
        id: Uuid,
        expected_version: u32,
        threat: Uuid,
        ruling: Ruling,
    ) -> Result<SessionView> {
        self.session_step(id, expected_version, Step::Rule(threat, ruling))
            .await
    }

    pub async fn session_note(
        &self,
        id: Uuid,
        expected_version: u32,
        text: String,
    ) -> Result<SessionView> {
        self.session_step(id, expected_version, Step::Note(text))
            .await
    }

    pub async fn session_add_threat(
        &self,
        id: Uuid,
        expected_version: u32,
        threat: NewThreat,
    ) -> Result<SessionView> {
        self.session_step(id, expected_version, Step::Add(threat))
            .await
    }

    pub async fn session_pause(&self, id: Uuid, expected_version: u32) -> Result<SessionView> {
        self.session_step(id, expected_version, Step::Pause).await
    }

    pub async fn session_resume(&self, id: Uuid, expected_version: u32) -> Result<SessionView> {
        self.session_step(id, expected_version, Step::Resume).await
    }

    pub async fn session_end(&self, id: Uuid, expected_version: u32) -> Result<SessionView> {
        self.session_step(id, expected_version, Step::End).await
    }

    /// A threat of the session's model by full id or by the start of it
    /// (at least 4 hex digits, as the CLI shows 8), refusing ambiguity.
    pub async fn session_threat_id(&self, view: &SessionView, reference: &str) -> Result<Uuid> {
        let wanted = reference.trim().to_ascii_lowercase();
        if wanted.len() < 4 {
            return Err(WorkbenchError::Invalid(format!(
                "\"{reference}\": give at least 4 characters of the threat id"
            )));
        }
        let model = self.store().get_threat_model(view.session.model_id).await?;
        let found: Vec<Uuid> = model
            .model
            .threats
            .iter()
            .map(|t| t.id)
            .filter(|id| id.to_string().starts_with(&wanted))
            .collect();
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(WorkbenchError::NotFound(format!(
                "no threat of \"{}\" has an id starting with \"{reference}\"",
                view.model_name
            ))),
            _ => Err(WorkbenchError::Invalid(format!(
                "\"{reference}\" matches {} threats; give more of the id",
                found.len()
            ))),
        }
    }

    /// The session's minutes in Markdown (so far, if it has not ended).
    pub async fn session_minutes(&self, id: Uuid) -> Result<String> {
        let stored = self.store().get_threat_session(id).await?;
        let model = self
            .store()
            .get_threat_model(stored.session.model_id)
            .await?;
        Ok(session_minutes(&model.model, &stored.session))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use plasma_models::threat::{Rating, Stride, ThreatStatus, ThreatTarget};

    use super::*;

    const SMALL_TD: &str = include_str!("../../tests/fixtures/threats/small-td.json");

    #[tokio::test]
    async fn walk_rule_note_pause_resume_end_and_minutes() {
        let dir = tempfile::tempdir().unwrap();
        let wb = Workbench::open(&dir.path().join("p.db")).await.unwrap();
        let file = dir.path().join("small-td.json");
        std::fs::write(&file, SMALL_TD).unwrap();
        let report = wb.import_threat_model(&file, None).await.unwrap();
        let name = report.model.name.clone();

        let s = wb
            .start_threat_session(&name, vec!["Ana".into(), " ".into()], vec![])
            .await
            .unwrap();
        assert_eq!(s.session.participants, vec!["Ana".to_string()]);
        assert!(s.current.is_some());
        // Walk until a step has suggestions.
        let mut s = s;
        while s.suggestions.is_empty() {
            s = wb.session_next(s.session.id, s.version).await.unwrap();
            assert!(s.current.is_some(), "some step has suggestions");
        }
        let first = s.suggestions[0].id;
        let stale = s.version;
        let s = wb
            .session_rule(
                s.session.id,
                s.version,
                first,
                Ruling::Reject {
                    reason: "TLS terminates at the gateway".into(),
                },
            )
            .await
            .unwrap();
        assert!(s.suggestions.iter().all(|t| t.id != first));
        let model = wb.get_threat_model(&name).await.unwrap();
        assert_eq!(model.revision, s.model_revision);
        let t = model.model.threats.iter().find(|t| t.id == first).unwrap();
        assert_eq!(t.status, ThreatStatus::NotApplicable);

        let conflict = wb.session_next(s.session.id, stale).await.unwrap_err();
        assert_eq!(conflict.code(), crate::ErrorCode::Conflict);

        let target = s.current.as_ref().unwrap().target;
        let s = wb
            .session_add_threat(
                s.session.id,
                s.version,
                NewThreat {
                    title: "Operator shares the admin token".into(),
                    category: Stride::Spoofing,
                    target,
                    description: String::new(),
                    likelihood: Rating::Medium,
                    impact: Rating::High,
                },
            )
            .await
            .unwrap();
        let s = wb
            .session_note(
                s.session.id,
                s.version,
                "Follow up with the SRE team".into(),
            )
            .await
            .unwrap();
        let s = wb.session_pause(s.session.id, s.version).await.unwrap();
        let err = wb.session_next(s.session.id, s.version).await.unwrap_err();
        assert_eq!(err.code(), crate::ErrorCode::Invalid);
        let found = wb.find_threat_session(&name).await.unwrap();
        assert_eq!(found.session.id, s.session.id);
        let s = wb.session_resume(s.session.id, s.version).await.unwrap();
        let s = wb.session_end(s.session.id, s.version).await.unwrap();
        assert_eq!(s.session.state, SessionState::Ended);
        assert!(wb.find_threat_session(&name).await.is_err());

        let minutes = wb.session_minutes(s.session.id).await.unwrap();
        assert!(minutes.contains("Participants: Ana"), "{minutes}");
        assert!(
            minutes.contains("TLS terminates at the gateway"),
            "{minutes}"
        );
        assert!(
            minutes.contains("Operator shares the admin token"),
            "{minutes}"
        );
        assert!(minutes.contains("Follow up with the SRE team"), "{minutes}");
        let _ = ThreatTarget::Element(Uuid::nil());
    }
}

//! Threat sessions: one JSON document per session, stored next to the model
//! it walks. A session step that changes the model (a rejected threat, an
//! added one) saves the session and the model in one transaction, so the
//! minutes never claim a decision the model does not hold.

use chrono::{DateTime, Utc};
use plasma_models::threat::{SessionState, ThreatModel, ThreatSession};
use serde::{Deserialize, Serialize};
use specta::Type;
use sqlx::SqliteConnection;
use uuid::Uuid;

use crate::codec::{parse_time, parse_uuid, stored_u32, time_text};
use crate::error::DbContext;
use crate::threat::{save_in, StoredThreatModel};
use crate::{Result, Store, StoreError};

/// A session as stored, with its version (one more after each save).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct StoredThreatSession {
    pub session: ThreatSession,
    pub version: u32,
    pub started_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A model change saved together with a session step.
pub struct ModelChange<'a> {
    pub expected_revision: u32,
    pub model: &'a ThreatModel,
    pub summary: &'a str,
}

const COLUMNS: &str = "id, version, started_at, updated_at, doc";

type Row = (String, i64, String, String, String);

fn decode(row: Row) -> Result<StoredThreatSession> {
    let (id, version, started_at, updated_at, doc) = row;
    let what = format!("threat session {id}");
    let mut session: ThreatSession =
        serde_json::from_str(&doc).map_err(|e| StoreError::corrupt(what.clone(), e))?;
    session.id = parse_uuid(&id, &what)?;
    Ok(StoredThreatSession {
        session,
        version: stored_u32(version, &what)?,
        started_at: parse_time(&started_at, &what)?,
        updated_at: parse_time(&updated_at, &what)?,
    })
}

fn state_text(state: SessionState) -> &'static str {
    match state {
        SessionState::Active => "active",
        SessionState::Paused => "paused",
        SessionState::Ended => "ended",
    }
}

fn to_json(session: &ThreatSession) -> Result<String> {
    serde_json::to_string(session)
        .map_err(|e| StoreError::corrupt(format!("threat session {}", session.id), e))
}

async fn fetch(conn: &mut SqliteConnection, id: Uuid) -> Result<Option<StoredThreatSession>> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM threat_sessions WHERE id = ?"
    ))
    .bind(id.to_string())
    .fetch_optional(conn)
    .await
    .db("reading a threat session")?;
    row.map(decode).transpose()
}

/// [`Store::create_threat_session`] inside the caller's write transaction.
pub(crate) async fn create_session_in(
    tx: &mut SqliteConnection,
    session: &ThreatSession,
) -> Result<StoredThreatSession> {
    let model: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM threat_models WHERE id = ?")
        .bind(session.model_id.to_string())
        .fetch_optional(&mut *tx)
        .await
        .db("starting a threat session")?;
    if model.is_none() {
        return Err(StoreError::not_found(format!(
            "threat model {}",
            session.model_id
        )));
    }
    if fetch(tx, session.id).await?.is_some() {
        return Err(StoreError::Invalid(format!(
            "a threat session with id {} already exists",
            session.id
        )));
    }
    let now = Utc::now();
    // Started when its log says (a session recorded afterwards keeps its
    // own time); updated now.
    let started = session.log.first().map_or(now, |e| e.at);
    sqlx::query(
        "INSERT INTO threat_sessions (id, threat_model_id, state, version, started_at, updated_at, doc)
         VALUES (?, ?, ?, 1, ?, ?, ?)",
    )
    .bind(session.id.to_string())
    .bind(session.model_id.to_string())
    .bind(state_text(session.state))
    .bind(time_text(started))
    .bind(time_text(now))
    .bind(to_json(session)?)
    .execute(&mut *tx)
    .await
    .db("starting a threat session")?;
    Ok(StoredThreatSession {
        session: session.clone(),
        version: 1,
        started_at: started,
        updated_at: now,
    })
}

impl Store {
    /// Stores a new session at version 1; its model must exist.
    pub async fn create_threat_session(
        &self,
        session: &ThreatSession,
    ) -> Result<StoredThreatSession> {
        let mut tx = self.write_tx("starting a threat session").await?;
        let stored = create_session_in(&mut tx, session).await?;
        tx.commit().await.db("starting a threat session")?;
        Ok(stored)
    }

    pub async fn get_threat_session(&self, id: Uuid) -> Result<StoredThreatSession> {
        let mut conn = self.pool.acquire().await.db("reading a threat session")?;
        fetch(&mut conn, id)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("threat session {id}")))
    }

    /// A model's sessions, newest first.
    pub async fn list_threat_sessions(&self, model: Uuid) -> Result<Vec<StoredThreatSession>> {
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM threat_sessions WHERE threat_model_id = ?
             ORDER BY started_at DESC, id"
        ))
        .bind(model.to_string())
        .fetch_all(&self.pool)
        .await
        .db("listing threat sessions")?;
        rows.into_iter().map(decode).collect()
    }

    /// Saves a session step, and the model it changed if any, in one
    /// transaction. Refused with [`StoreError::Conflict`] (nothing written)
    /// when the session is no longer at `expected_version` or the model no
    /// longer at the change's expected revision.
    pub async fn save_threat_session(
        &self,
        session: &ThreatSession,
        expected_version: u32,
        model: Option<ModelChange<'_>>,
    ) -> Result<(StoredThreatSession, Option<StoredThreatModel>)> {
        let op = "saving a threat session";
        let mut tx = self.write_tx(op).await?;
        let current = fetch(&mut tx, session.id)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("threat session {}", session.id)))?;
        if current.version != expected_version {
            return Err(StoreError::Conflict {
                what: format!("threat session {}", session.id),
                expected: expected_version,
                actual: current.version,
            });
        }
        if current.session.model_id != session.model_id {
            return Err(StoreError::Invalid(
                "a threat session cannot move to another model".into(),
            ));
        }
        let saved_model = match model {
            Some(change) => {
                if change.model.id != session.model_id {
                    return Err(StoreError::Invalid(format!(
                        "the session walks threat model {}, not {}",
                        session.model_id, change.model.id
                    )));
                }
                Some(
                    save_in(
                        &mut tx,
                        change.model.id,
                        change.expected_revision,
                        change.model,
                        Some(change.summary),
                    )
                    .await?,
                )
            }
            None => None,
        };
        let version = current.version.checked_add(1).ok_or_else(|| {
            StoreError::Invalid(format!("threat session {} has too many saves", session.id))
        })?;
        let now = Utc::now();
        sqlx::query(
            "UPDATE threat_sessions SET state = ?, version = ?, updated_at = ?, doc = ?
             WHERE id = ?",
        )
        .bind(state_text(session.state))
        .bind(i64::from(version))
        .bind(time_text(now))
        .bind(to_json(session)?)
        .bind(session.id.to_string())
        .execute(&mut *tx)
        .await
        .db(op)?;
        tx.commit().await.db(op)?;
        Ok((
            StoredThreatSession {
                session: session.clone(),
                version,
                started_at: current.started_at,
                updated_at: now,
            },
            saved_model,
        ))
    }
}

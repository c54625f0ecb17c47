-- Threat sessions. Append-only like every migration: never edit once shipped.

-- `doc` (the whole ThreatSession as JSON) is the truth; the other columns are
-- for listing. `version` is the session's own optimistic-concurrency counter.
CREATE TABLE threat_sessions (
    id              TEXT PRIMARY KEY NOT NULL,
    threat_model_id TEXT NOT NULL REFERENCES threat_models(id) ON DELETE CASCADE,
    state           TEXT NOT NULL,
    version         INTEGER NOT NULL CHECK (version >= 1),
    started_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    doc             TEXT NOT NULL
);

CREATE INDEX threat_sessions_by_model ON threat_sessions (threat_model_id, started_at);

-- Threat models. Append-only like every migration: never edit once shipped.

-- The columns are for querying; `doc` (the whole ThreatModel as JSON) is the
-- truth. Names are unique per workspace, ignoring ASCII case.
CREATE TABLE threat_models (
    id           TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT NOT NULL COLLATE NOCASE,
    revision     INTEGER NOT NULL CHECK (revision >= 1),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    doc          TEXT NOT NULL,
    UNIQUE (workspace_id, name)
);

-- One snapshot per create and per effective save.
CREATE TABLE threat_model_revisions (
    threat_model_id TEXT NOT NULL REFERENCES threat_models(id) ON DELETE CASCADE,
    revision        INTEGER NOT NULL,
    saved_at        TEXT NOT NULL,
    summary         TEXT NOT NULL,
    doc             TEXT NOT NULL,
    PRIMARY KEY (threat_model_id, revision)
);

-- Full-text index over threats (one row per threat), rewritten in the same
-- transaction as the threat_models row.
CREATE VIRTUAL TABLE threat_fts USING fts5 (
    threat_model_id UNINDEXED,
    threat_id UNINDEXED,
    title,
    description,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

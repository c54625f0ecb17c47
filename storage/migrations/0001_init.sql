-- Plasma Plan storage, first schema. Migrations are append-only: never edit
-- a file once it has shipped; add a new numbered one instead.

CREATE TABLE workspaces (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE repositories (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    position     INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, name)
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- The columns are for querying; `doc` (the whole Adr as JSON) is the truth.
CREATE TABLE adrs (
    id           TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    number       INTEGER NOT NULL CHECK (number >= 0),
    title        TEXT NOT NULL,
    status       TEXT NOT NULL,
    date         TEXT,
    source_path  TEXT,
    revision     INTEGER NOT NULL CHECK (revision >= 1),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    doc          TEXT NOT NULL,
    -- rowid of this record's row in adr_fts.
    fts_rowid    INTEGER NOT NULL UNIQUE,
    UNIQUE (workspace_id, number)
);

CREATE INDEX adrs_by_source_path ON adrs (workspace_id, source_path);

CREATE TABLE adr_revisions (
    adr_id   TEXT NOT NULL REFERENCES adrs(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    saved_at TEXT NOT NULL,
    summary  TEXT NOT NULL,
    doc      TEXT NOT NULL,
    PRIMARY KEY (adr_id, revision)
);

-- Full-text index, written in the same transaction as the adrs row.
CREATE VIRTUAL TABLE adr_fts USING fts5 (
    number,
    title,
    status,
    tags,
    body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

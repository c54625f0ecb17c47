-- The schema migrations 0001 to 0009 leave, for a NEW database only: created
-- directly it takes about 3 ms instead of 7 (0008 drops, rebuilds and renames
-- two tables, and every rename re-parses the whole schema). Derived, never
-- edited by hand: the migrations stay the truth, and a test checks that a
-- new database made from this file and one made by running every migration
-- have the same schema (`one_transaction_schema_matches_sqlx_migrator` in
-- `storage/src/lib.rs`). Later migrations run after it as usual. To squash
-- more, write a migrated database's `sqlite_schema` entries that have SQL, in
-- order, less `_sqlx_migrations`, `sqlite_sequence` and the FTS5 tables' own
-- shadow tables, and raise SQUASHED_THROUGH.
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
CREATE TABLE threat_model_revisions (
    threat_model_id TEXT NOT NULL REFERENCES threat_models(id) ON DELETE CASCADE,
    revision        INTEGER NOT NULL,
    saved_at        TEXT NOT NULL,
    summary         TEXT NOT NULL,
    doc             TEXT NOT NULL,
    PRIMARY KEY (threat_model_id, revision)
);
CREATE VIRTUAL TABLE threat_fts USING fts5 (
    threat_model_id UNINDEXED,
    threat_id UNINDEXED,
    title,
    description,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TABLE compliance_frameworks (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    framework_id TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    doc          TEXT NOT NULL,
    PRIMARY KEY (workspace_id, framework_id)
);
CREATE TABLE compliance_scope (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    framework_id TEXT NOT NULL,
    position     INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, framework_id)
);
CREATE TABLE compliance_mapping_overrides (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    source       TEXT NOT NULL,
    target       TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    doc          TEXT NOT NULL,
    PRIMARY KEY (workspace_id, source, target)
);
CREATE TABLE compliance_cells (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    framework_id TEXT NOT NULL,
    control_id   TEXT NOT NULL,
    repository   TEXT NOT NULL,
    revision     INTEGER NOT NULL CHECK (revision >= 1),
    updated_at   TEXT NOT NULL,
    doc          TEXT NOT NULL,
    PRIMARY KEY (workspace_id, framework_id, control_id, repository)
);
CREATE TABLE compliance_cell_revisions (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    framework_id TEXT NOT NULL,
    control_id   TEXT NOT NULL,
    repository   TEXT NOT NULL,
    revision     INTEGER NOT NULL,
    saved_at     TEXT NOT NULL,
    summary      TEXT NOT NULL,
    doc          TEXT NOT NULL,
    PRIMARY KEY (workspace_id, framework_id, control_id, repository, revision)
);
CREATE TABLE initiatives (
    id           TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    key          TEXT NOT NULL COLLATE NOCASE,
    position     INTEGER NOT NULL,
    revision     INTEGER NOT NULL CHECK (revision >= 1),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    doc          TEXT NOT NULL,
    UNIQUE (workspace_id, key)
);
CREATE TABLE initiative_revisions (
    initiative_id TEXT NOT NULL REFERENCES initiatives(id) ON DELETE CASCADE,
    revision      INTEGER NOT NULL,
    saved_at      TEXT NOT NULL,
    summary       TEXT NOT NULL,
    doc           TEXT NOT NULL,
    PRIMARY KEY (initiative_id, revision)
);
CREATE TABLE slos (
    id           TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    service      TEXT NOT NULL,
    name         TEXT NOT NULL,
    revision     INTEGER NOT NULL CHECK (revision >= 1),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    doc          TEXT NOT NULL,
    UNIQUE (workspace_id, service, name)
);
CREATE TABLE slo_revisions (
    slo_id   TEXT NOT NULL REFERENCES slos(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    saved_at TEXT NOT NULL,
    summary  TEXT NOT NULL,
    doc      TEXT NOT NULL,
    PRIMARY KEY (slo_id, revision)
);
CREATE TABLE dora_targets (
    workspace_id TEXT PRIMARY KEY NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    revision     INTEGER NOT NULL CHECK (revision >= 1),
    updated_at   TEXT NOT NULL,
    doc          TEXT NOT NULL
);
CREATE TABLE sync_links (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    repo         TEXT NOT NULL,           -- owner/name
    base_branch  TEXT NOT NULL,
    api_url      TEXT NOT NULL,
    layout       TEXT NOT NULL,           -- JSON folder layout
    base_etag    TEXT,                    -- ETag of the base branch ref at the last pull
    base_commit  TEXT,
    position     INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, repo)
);
CREATE TABLE sync_documents (
    workspace_id TEXT NOT NULL,
    repo         TEXT NOT NULL,
    doc_key      TEXT NOT NULL,           -- adr:7, threat-model:<uuid>
    kind         TEXT NOT NULL,
    path         TEXT NOT NULL,           -- primary file in the repository
    base_text    TEXT,
    base_sha     TEXT,                    -- blob of the primary file on the base branch
    published    TEXT NOT NULL DEFAULT '{}', -- JSON path -> blob pushed to the draft branch
    published_text TEXT,                  -- primary text last pushed: the merge base once its PR merges
    branch       TEXT,
    pr_number    INTEGER,
    pr_url       TEXT,
    pr_state     TEXT,                    -- open, merged, closed
    status       TEXT NOT NULL,           -- in_review, published, closed, queued, conflict, synced, removed_remote
    last_error   TEXT,
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (workspace_id, repo, doc_key),
    FOREIGN KEY (workspace_id, repo) REFERENCES sync_links(workspace_id, repo) ON DELETE CASCADE
);
CREATE TABLE sync_conflicts (
    workspace_id  TEXT NOT NULL,
    repo          TEXT NOT NULL,
    doc_key       TEXT NOT NULL,
    items         TEXT NOT NULL,          -- JSON list of conflicting items (base, local, remote)
    prefer_local  TEXT NOT NULL,
    prefer_remote TEXT NOT NULL,
    remote_text   TEXT NOT NULL,          -- canonical remote text: the next merge base
    remote_sha    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (workspace_id, repo, doc_key),
    FOREIGN KEY (workspace_id, repo) REFERENCES sync_links(workspace_id, repo) ON DELETE CASCADE
);
CREATE TABLE sync_queue (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT NOT NULL,
    repo         TEXT NOT NULL,
    request      TEXT NOT NULL,           -- JSON publish target
    queued_at    TEXT NOT NULL,
    last_error   TEXT NOT NULL,
    FOREIGN KEY (workspace_id, repo) REFERENCES sync_links(workspace_id, repo) ON DELETE CASCADE
);
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
CREATE TABLE "adr_revisions" (
    adr_id   TEXT NOT NULL REFERENCES adrs(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    saved_at TEXT NOT NULL,
    summary  TEXT NOT NULL,
    -- NULL: the same as adrs.doc (only for the record's current revision).
    doc      TEXT,
    PRIMARY KEY (adr_id, revision)
);
CREATE VIRTUAL TABLE "adr_fts" USING fts5 (
    number,
    title,
    status,
    tags,
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TABLE threats (
    threat_model_id TEXT NOT NULL REFERENCES threat_models(id) ON DELETE CASCADE,
    threat_id       TEXT NOT NULL,
    -- Model order (ascending, not necessarily dense).
    position        INTEGER NOT NULL,
    -- NULL for a threat a person wrote.
    rule_id         TEXT,
    obsolete        INTEGER NOT NULL DEFAULT 0 CHECK (obsolete IN (0, 1)),
    doc             TEXT NOT NULL,
    PRIMARY KEY (threat_model_id, threat_id)
);
CREATE INDEX threats_by_position ON threats (threat_model_id, position);

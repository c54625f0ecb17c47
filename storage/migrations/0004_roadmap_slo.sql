-- Roadmap initiatives, SLOs and program DORA targets. Append-only like every
-- migration: never edit once shipped.

-- `doc` (the whole record as JSON) is the truth; the other columns are for
-- querying and uniqueness. `position` keeps the order initiatives were
-- added in, which the plan's topological order keeps where it can.
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

-- One set of DORA targets per workspace (a JSON array), with revisions.
CREATE TABLE dora_targets (
    workspace_id TEXT PRIMARY KEY NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    revision     INTEGER NOT NULL CHECK (revision >= 1),
    updated_at   TEXT NOT NULL,
    doc          TEXT NOT NULL
);

-- Compliance matrices. Append-only like every migration: never edit once shipped.

-- Catalogs a workspace imported (OSCAL, CSV); bundled catalogs are not
-- stored. `doc` is the whole Framework as JSON.
CREATE TABLE compliance_frameworks (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    framework_id TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    doc          TEXT NOT NULL,
    PRIMARY KEY (workspace_id, framework_id)
);

-- The frameworks a workspace has in scope, in the order it shows them.
CREATE TABLE compliance_scope (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    framework_id TEXT NOT NULL,
    position     INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, framework_id)
);

-- A workspace's edits of the mapping set (MappingOverride as JSON), one per
-- pair of controls ("framework:control" text).
CREATE TABLE compliance_mapping_overrides (
    workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    source       TEXT NOT NULL,
    target       TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    doc          TEXT NOT NULL,
    PRIMARY KEY (workspace_id, source, target)
);

-- Matrix cells: one control in one repository. `doc` (the Cell as JSON) is
-- the truth; the key columns are derived from it in the same transaction.
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

-- One snapshot per create and per effective save of a cell.
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

-- GitHub sync. Append-only like every migration: never edit once shipped.
-- No secret is ever stored here: tokens live in the OS keychain.

-- A workspace's linked repositories (the first by position is the default).
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

-- One row per document and linked repository: the merge base of the next
-- pull (`base_text`, the canonical text at the last sync), what was last
-- pushed to its draft branch, its pull request and its sync status.
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

-- A real conflict found by a pull: both complete candidates are kept until
-- the user chooses; the local record is left as it was.
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

-- Publishes that could not reach GitHub (offline, outage, rate limit); the
-- next sync command retries them in order.
CREATE TABLE sync_queue (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id TEXT NOT NULL,
    repo         TEXT NOT NULL,
    request      TEXT NOT NULL,           -- JSON publish target
    queued_at    TEXT NOT NULL,
    last_error   TEXT NOT NULL,
    FOREIGN KEY (workspace_id, repo) REFERENCES sync_links(workspace_id, repo) ON DELETE CASCADE
);

-- A stored conflict's `version` grows with every write, so a resolution
-- worked out from one state of the conflict is refused once another window
-- (the app, the CLI) has written it since. `claimed_at` is set while one
-- resolver saves the resolved document (writes that cannot share the
-- conflict's transaction); no other resolver writes the conflict meanwhile.
-- A claim that old that its process must have died counts for nothing.
ALTER TABLE sync_conflicts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sync_conflicts ADD COLUMN claimed_at TEXT;

-- The desktop app seeds the demo workspace once per database and records it
-- in `settings` (key `demo_seeded`), so a database the CLI used first, with
-- only an empty "Default" workspace, still gets the demo on the app's first
-- run. Databases that already hold workspaces were made before that record
-- existed: the demo was seeded in them, or their owner works without it.
INSERT INTO settings (key, value)
    SELECT 'demo_seeded', 'before migration 10'
    WHERE EXISTS (SELECT 1 FROM workspaces)
ON CONFLICT (key) DO NOTHING;

-- ADR storage without copies of the same text, so a bulk import writes each
-- record's JSON once:
--
-- 1. A revision's `doc` may be NULL while it is its record's current
--    revision: the text is then `adrs.doc`. A save copies it into the
--    revision row before it overwrites `adrs.doc` (storage/src/adr.rs), in
--    the same transaction.
-- 2. The full-text index keeps no copy of the indexed text (contentless,
--    rows still deletable); snippets are made from `adrs.doc`. Its rows keep
--    their rowids, so `adrs.fts_rowid` stays valid.

CREATE TABLE adr_revisions_v8 (
    adr_id   TEXT NOT NULL REFERENCES adrs(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    saved_at TEXT NOT NULL,
    summary  TEXT NOT NULL,
    -- NULL: the same as adrs.doc (only for the record's current revision).
    doc      TEXT,
    PRIMARY KEY (adr_id, revision)
);
INSERT INTO adr_revisions_v8 (adr_id, revision, saved_at, summary, doc)
    SELECT adr_id, revision, saved_at, summary, doc FROM adr_revisions;
DROP TABLE adr_revisions;
ALTER TABLE adr_revisions_v8 RENAME TO adr_revisions;

CREATE VIRTUAL TABLE adr_fts_v8 USING fts5 (
    number,
    title,
    status,
    tags,
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO adr_fts_v8 (rowid, number, title, status, tags, body)
    SELECT rowid, number, title, status, tags, body FROM adr_fts;
DROP TABLE adr_fts;
ALTER TABLE adr_fts_v8 RENAME TO adr_fts;

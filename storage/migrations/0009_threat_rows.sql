-- Threats as rows: a threat model's document keeps its diagram part (name,
-- description, repositories, diagrams, data assets) and each threat is a row
-- holding that threat in the stored form (models/src/threat/stored.rs), so a
-- regeneration reads and writes only the threats, and only the ones that
-- changed. Revisions keep the whole document, threats included.
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
-- A rowid table, not WITHOUT ROWID: rows written in model order sit in
-- rowid order, so reading a model's threats by position reads the table
-- pages in sequence instead of jumping through a tree keyed on random ids.
CREATE INDEX threats_by_position ON threats (threat_model_id, position);

INSERT INTO threats (threat_model_id, threat_id, position, rule_id, obsolete, doc)
    SELECT m.id,
           json_extract(t.value, '$.id'),
           t.key,
           json_extract(t.value, '$.rule_id'),
           CASE WHEN json_extract(t.value, '$.obsolete') THEN 1 ELSE 0 END,
           t.value
    FROM threat_models m, json_each(m.doc, '$.threats') t;
UPDATE threat_models SET doc = json_remove(doc, '$.threats');

-- PostgreSQL 0003, the counterpart of SQLite's server 0006: which scopes hold only the redacted
-- form of a withdrawn or hidden item (the file routes read it), and no stored rule table keeps
-- points for study.
ALTER TABLE entity_scopes ADD COLUMN redacted BIGINT NOT NULL DEFAULT 0;

UPDATE duty_rules
SET data = ((data::jsonb) #- '{points,material_studied}' #- '{points,study_note}' #- '{points,reading_note}')::text
WHERE (data::jsonb -> 'points') ?| ARRAY['material_studied', 'study_note', 'reading_note'];

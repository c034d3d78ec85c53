-- Server 0006: who keeps the whole of something withdrawn or hidden, and study out of scoring.
--
-- A withdrawn notice, material or news item, or a hidden post, stays in its scopes, but only
-- the publishing staff (and a post's author) keep the whole; the other scopes hold its redacted
-- form (`lvzhi_domain::visibility::redacted_json`). The file routes read this flag: a scope
-- that holds only the redacted form no longer lets its readers download the item's files.
ALTER TABLE entity_scopes ADD COLUMN redacted INTEGER NOT NULL DEFAULT 0;

-- Study is never scored (国办函〔2026〕12号): no stored rule table keeps points for it.
UPDATE duty_rules
SET data = json_remove(data, '$.points.material_studied', '$.points.study_note', '$.points.reading_note')
WHERE json_type(data, '$.points.material_studied') IS NOT NULL
   OR json_type(data, '$.points.study_note') IS NOT NULL
   OR json_type(data, '$.points.reading_note') IS NOT NULL;

-- 0003: a draft edited offline on two devices keeps both versions; the one that lost the race
-- is kept as a revision marked as a conflict, never dropped.
ALTER TABLE proposal_revisions ADD COLUMN conflict INTEGER NOT NULL DEFAULT 0;
ALTER TABLE proposal_revisions ADD COLUMN device_id TEXT;

-- Shared 0004: attachments (附件). A chat message and each saved version of a proposal carry
-- their files as JSON (reports, notices and meeting documents carry theirs inside their own
-- JSON).
ALTER TABLE chat_messages ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';
ALTER TABLE proposal_revisions ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';

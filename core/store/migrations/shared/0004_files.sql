-- Shared 0004: attachments (附件). A chat message carries the files it was sent with, as JSON
-- (reports, notices and meeting documents carry theirs inside their own JSON).
ALTER TABLE chat_messages ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';

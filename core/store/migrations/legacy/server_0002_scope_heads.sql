-- Legacy server 0002 (frozen): as the pre-split server ran it, tracked in server_meta.
-- The newest change of each scope, kept by a trigger in the same transaction as the change, so
-- that an idle sync learns "nothing new" from one lookup per scope instead of a page query.
CREATE TABLE scope_heads (
    scope TEXT PRIMARY KEY,
    seq   INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO scope_heads (scope, seq) SELECT scope, max(seq) FROM change_log GROUP BY scope;
CREATE TRIGGER change_log_moves_head AFTER INSERT ON change_log BEGIN
    INSERT INTO scope_heads (scope, seq) VALUES (new.scope, new.seq)
        ON CONFLICT (scope) DO UPDATE SET seq = excluded.seq;
END;
-- The server keeps no full-text index of chat (nobody searches there); drop what older
-- versions indexed, recalled messages' words included.
DELETE FROM chat_search;

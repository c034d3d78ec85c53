-- 0005: study-group chat (学习交流群).

CREATE TABLE chat_groups (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE chat_group_members (
    group_id  TEXT NOT NULL REFERENCES chat_groups(id) ON DELETE CASCADE,
    person_id TEXT NOT NULL,
    PRIMARY KEY (group_id, person_id)
) WITHOUT ROWID;
CREATE INDEX chat_group_members_by_person ON chat_group_members(person_id);

-- seq is the server's order within the group; NULL while the message is only on this phone.
CREATE TABLE chat_messages (
    id          TEXT PRIMARY KEY,
    group_id    TEXT NOT NULL,
    seq         INTEGER,
    sender_id   TEXT NOT NULL,
    text        TEXT NOT NULL,
    reply_to    TEXT,
    mentions    TEXT NOT NULL DEFAULT '[]',
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER,
    recalled_at INTEGER,
    deleted_by  TEXT,
    -- On phones: the outbox entry that carries this message (its state comes from there), and
    -- the order in which unsent messages were written.
    outbox_id   INTEGER,
    local_order INTEGER
);
CREATE UNIQUE INDEX chat_messages_by_group_seq ON chat_messages(group_id, seq);
CREATE INDEX chat_messages_unsent ON chat_messages(group_id, local_order) WHERE seq IS NULL;

-- How far each member has read each group; shared by a member's devices.
CREATE TABLE chat_read_markers (
    group_id  TEXT NOT NULL,
    person_id TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    PRIMARY KEY (group_id, person_id)
) WITHOUT ROWID;

-- Offline chat search, tokenised like proposal search (crate::search); rowid = chat_messages.rowid.
CREATE VIRTUAL TABLE chat_search USING fts5(text_bi, text_uni, tokenize = 'unicode61 remove_diacritics 0');

-- 0004: the device side of sync.

-- Session, client id, last applied mutation and other small facts of this device.
CREATE TABLE sync_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Every user action waiting for the server, written in the same transaction as its local
-- effect; survives kills. Rejected ones stay, with the reason, until edited or discarded.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY,   -- the mutation id, increasing per client
    mutation   TEXT NOT NULL,         -- JSON of protocol::Mutation
    status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'rejected')),
    reason     TEXT,
    created_at INTEGER NOT NULL
);

-- One cursor per scope, committed together with the page it belongs to.
CREATE TABLE sync_cursors (
    scope  TEXT PRIMARY KEY,
    cursor INTEGER NOT NULL
) WITHOUT ROWID;

-- The last version of each entity the server sent: local state is this plus pending mutations.
CREATE TABLE server_entities (
    entity TEXT NOT NULL,
    id     TEXT NOT NULL,
    data   TEXT NOT NULL,
    PRIMARY KEY (entity, id)
) WITHOUT ROWID;

-- Which scopes hold an entity; when none does any more, it leaves the phone.
CREATE TABLE scope_entities (
    scope  TEXT NOT NULL,
    entity TEXT NOT NULL,
    id     TEXT NOT NULL,
    PRIMARY KEY (scope, entity, id)
) WITHOUT ROWID;
CREATE INDEX scope_entities_by_entity ON scope_entities(entity, id);

-- A proposal being replaced by the server's version (or leaving the phone) may have its
-- history removed; nothing else may.
CREATE TABLE proposal_purges (proposal_id TEXT PRIMARY KEY) WITHOUT ROWID;
DROP TRIGGER proposal_history_no_delete;
CREATE TRIGGER proposal_history_no_delete BEFORE DELETE ON proposal_history
WHEN NOT EXISTS (SELECT 1 FROM proposal_purges WHERE proposal_id = OLD.proposal_id)
BEGIN SELECT RAISE(ABORT, 'proposal history is append-only'); END;

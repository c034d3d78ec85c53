-- Device 0003: files on this phone. One row per file — uploads waiting to go, and the cache of
-- files sent and downloaded, with what the budget and its eviction need — and the bytes in
-- chunks of the upload frame size, committed as they come, so a dropped download resumes.
-- Kept inside the (encrypted) database: a file is as private as the message that carries it.

CREATE TABLE files (
    hash         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    -- Bytes held here (the file is whole when have = size).
    have         INTEGER NOT NULL DEFAULT 0,
    -- 'pending' until the server holds the whole file, then 'done'; NULL for a file that came
    -- from the server.
    upload       TEXT CHECK (upload IN ('pending', 'done')),
    -- Bytes of an upload the server confirmed holding.
    uploaded     INTEGER NOT NULL DEFAULT 0,
    -- The server refused the upload, with this reason (the member sees it; nothing retries).
    error        TEXT,
    -- Never evicted (meeting documents for tomorrow, a draft's files).
    pinned       INTEGER NOT NULL DEFAULT 0,
    last_used    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX files_by_use ON files(pinned, last_used);

CREATE TABLE file_chunks (
    hash TEXT NOT NULL,
    idx  INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (hash, idx)
);

-- Actions that carry files not yet uploaded: applied here already, and given their outbox id
-- (in order) once their files are on the server, so that the rest of the outbox is not held up.
-- AUTOINCREMENT: a display id is never given to another held action after a release.
CREATE TABLE held_mutations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    mutation   TEXT NOT NULL,   -- JSON of protocol::Mutation, id 0
    created_at INTEGER NOT NULL
);

-- Server 0004: files. A whole file (blob) is named by its SHA-256 and kept in chunks of the
-- upload frame size. An upload in progress belongs to its uploader and grows frame by frame,
-- each frame committed as it arrives, so that a dropped connection resumes from the last frame
-- kept; a file becomes a blob only once whole and checked, in one transaction. Who may read a
-- blob follows the entities that refer to it (`blob_refs`) and who uploaded its bytes.

CREATE TABLE blobs (
    hash         TEXT PRIMARY KEY,
    size         INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    created_at   INTEGER NOT NULL
) WITHOUT ROWID;

-- idx = offset / frame size. A rowid table: rows of 64 KiB sit badly in a WITHOUT ROWID b-tree.
CREATE TABLE blob_chunks (
    hash TEXT NOT NULL,
    idx  INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (hash, idx)
);

-- People who sent a blob's bytes (not merely its hash): they may read and attach it.
CREATE TABLE blob_owners (
    hash      TEXT NOT NULL,
    person_id TEXT NOT NULL,
    PRIMARY KEY (hash, person_id)
) WITHOUT ROWID;

CREATE TABLE uploads (
    hash         TEXT NOT NULL,
    person_id    TEXT NOT NULL,
    size         INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    received     INTEGER NOT NULL DEFAULT 0,
    started_at   INTEGER NOT NULL,
    PRIMARY KEY (hash, person_id)
) WITHOUT ROWID;

CREATE TABLE upload_chunks (
    hash      TEXT NOT NULL,
    person_id TEXT NOT NULL,
    idx       INTEGER NOT NULL,
    data      BLOB NOT NULL,
    PRIMARY KEY (hash, person_id, idx)
);

-- An entity (EntityKind name and id) that carries the blob.
CREATE TABLE blob_refs (
    hash      TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    PRIMARY KEY (hash, entity, entity_id)
) WITHOUT ROWID;

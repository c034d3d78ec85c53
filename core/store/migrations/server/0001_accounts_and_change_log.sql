-- Server 0001: what only the server keeps — accounts and sessions, clients and their mutation
-- results, and the per-scope change log that phones pull (the same schema pre-split servers
-- reached at their version 2).

CREATE TABLE accounts (
    person_id  TEXT PRIMARY KEY REFERENCES people(id),
    login      TEXT NOT NULL UNIQUE,
    salt       BLOB NOT NULL,
    hash       BLOB NOT NULL,
    iterations INTEGER NOT NULL
);
CREATE TABLE auth_sessions (
    id                 TEXT PRIMARY KEY,
    person_id          TEXT NOT NULL REFERENCES people(id),
    device_name        TEXT NOT NULL,
    access_hash        TEXT NOT NULL UNIQUE,
    access_expires_at  INTEGER NOT NULL,
    refresh_hash       TEXT NOT NULL UNIQUE,
    refresh_expires_at INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    last_seen_at       INTEGER NOT NULL,
    revoked_at         INTEGER
);
CREATE INDEX auth_sessions_by_person ON auth_sessions(person_id);
CREATE TABLE login_failures (
    login TEXT NOT NULL,
    at    INTEGER NOT NULL
);
CREATE INDEX login_failures_by_login ON login_failures(login, at);
CREATE TABLE clients (
    client_id        TEXT PRIMARY KEY,
    person_id        TEXT NOT NULL REFERENCES people(id),
    last_mutation_id INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE mutation_results (
    client_id   TEXT NOT NULL,
    mutation_id INTEGER NOT NULL,
    outcome     TEXT NOT NULL,
    PRIMARY KEY (client_id, mutation_id)
) WITHOUT ROWID;
CREATE TABLE change_log (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    scope     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    data      TEXT,
    at        INTEGER NOT NULL
);
CREATE INDEX change_log_by_scope ON change_log(scope, seq);
CREATE INDEX change_log_by_entity ON change_log(scope, entity, entity_id, seq);
CREATE TABLE entity_scopes (
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    scope     TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, scope)
) WITHOUT ROWID;
CREATE TABLE scope_horizons (
    scope      TEXT PRIMARY KEY,
    min_cursor INTEGER NOT NULL
) WITHOUT ROWID;

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

-- Server 0008: push notifications and urgent SMS (server/src/push). Owned by the push module.

-- The devices push reaches: one per phone, registered through sync, tied to the session it
-- registered in (logging out or revoking the session removes it). A token belongs to one
-- device: a phone reinstalled under another login takes it over.
CREATE TABLE push_devices (
    client_id     TEXT PRIMARY KEY,
    person_id     TEXT NOT NULL,
    session_id    TEXT NOT NULL,
    vendor        TEXT NOT NULL,
    token         TEXT NOT NULL,
    registered_at INTEGER NOT NULL
);
CREATE INDEX push_devices_by_person ON push_devices (person_id);
CREATE INDEX push_devices_by_session ON push_devices (session_id);
CREATE UNIQUE INDEX push_devices_by_token ON push_devices (vendor, token);

-- What happened that someone may be told about: written in the transaction of the change that
-- caused it, so a crash cannot keep one without the other. `person_id` NULL: the entity's
-- audience, resolved when the event is gathered.
CREATE TABLE push_events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    kind      TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    person_id TEXT,
    actor_id  TEXT NOT NULL,
    urgent    INTEGER NOT NULL DEFAULT 0,
    at        INTEGER NOT NULL
);

-- Each person's items not yet told: several close together become one push. `since` is when
-- the item arose (the coalescing window runs from a person's oldest), `due` when it may go out
-- (after the quiet hours).
CREATE TABLE push_items (
    person_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    urgent    INTEGER NOT NULL,
    since     INTEGER NOT NULL,
    due       INTEGER NOT NULL,
    PRIMARY KEY (person_id, kind, entity_id)
);
CREATE INDEX push_items_by_time ON push_items (since);

-- One push to one device, or one text message to one number, from its making to its end:
-- pending (claimed by one sender at a time, until `claimed_until`), then sent, invalid or
-- failed. Claims make several server processes on one database send each exactly once.
CREATE TABLE push_sends (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id     TEXT NOT NULL,
    channel       TEXT NOT NULL,
    client_id     TEXT,
    address       TEXT NOT NULL,
    kind          TEXT NOT NULL,
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    count         INTEGER NOT NULL,
    collapse_id   TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    next_at       INTEGER NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    claimed_by    TEXT,
    claimed_until INTEGER,
    state         TEXT NOT NULL DEFAULT 'pending',
    done_at       INTEGER,
    error         TEXT
);
CREATE INDEX push_sends_pending ON push_sends (next_at) WHERE state = 'pending';
CREATE INDEX push_sends_by_person ON push_sends (person_id, created_at);

-- Mobile numbers for urgent text messages, kept by administrators; read by the server only.
CREATE TABLE sms_numbers (
    person_id TEXT PRIMARY KEY,
    phone     TEXT NOT NULL
);

-- Server 0009: what the server alone keeps of 委员工作室 messages and 界别召集人.

-- The resident's lookup code of each message (its SHA-256 only: the code is shown once) and
-- the proof-of-work challenge it came with (each challenge is spent once).
CREATE TABLE studio_lookups (
    code_hash  TEXT PRIMARY KEY,
    message_id TEXT NOT NULL,
    challenge  TEXT NOT NULL UNIQUE,
    at         INTEGER NOT NULL
);

-- 界别召集人: a member who convenes a sector (a member group of kind sector); they see the
-- sector's contact activity by organisation and month, never by person.
CREATE TABLE sector_conveners (
    group_id  TEXT NOT NULL,
    person_id TEXT NOT NULL,
    PRIMARY KEY (group_id, person_id)
);
CREATE INDEX sector_conveners_by_person ON sector_conveners(person_id);

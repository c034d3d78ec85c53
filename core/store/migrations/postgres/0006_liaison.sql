-- PostgreSQL 0006, the counterpart of SQLite's shared 0007 and server 0009: 委员档案, 联络联系
-- and 委员工作室, each aggregate whole as JSON with the columns lists need.

-- A member's file, kept by staff of their organisation.
CREATE TABLE member_files (
    person_id TEXT PRIMARY KEY,
    org_id    TEXT NOT NULL,
    data      TEXT NOT NULL
);
CREATE INDEX member_files_by_org ON member_files(org_id);

-- Corrections members asked of their files (id = person@…).
CREATE TABLE file_corrections (
    id        TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    org_id    TEXT NOT NULL,
    state     TEXT NOT NULL,
    asked_at  BIGINT NOT NULL,
    data      TEXT NOT NULL
);
CREATE INDEX file_corrections_by_person ON file_corrections(person_id);
CREATE INDEX file_corrections_by_org ON file_corrections(org_id, state, asked_at);

-- What anyone in the organisation sees of a person (no phone).
CREATE TABLE directory_entries (
    person_id TEXT PRIMARY KEY,
    org_id    TEXT NOT NULL,
    data      TEXT NOT NULL
);
CREATE INDEX directory_entries_by_org ON directory_entries(org_id);

-- A member's 联系名册 and 联系记录: the member's own.
CREATE TABLE contacts (
    id       TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    removed  BIGINT NOT NULL DEFAULT 0,
    data     TEXT NOT NULL
);
CREATE INDEX contacts_by_owner ON contacts(owner_id);

-- Each member's contact facts without names, derived on the server from their log, for their
-- organisation's staff (whose phones hold no one's log).
CREATE TABLE contact_facts (
    person_id TEXT PRIMARY KEY,
    org_id    TEXT NOT NULL,
    data      TEXT NOT NULL
);

CREATE TABLE contact_logs (
    id       TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    org_id   TEXT NOT NULL,
    day      TEXT NOT NULL,
    data     TEXT NOT NULL
);
CREATE INDEX contact_logs_by_owner ON contact_logs(owner_id, day);
CREATE INDEX contact_logs_by_org ON contact_logs(org_id, day);

CREATE TABLE studios (
    id     TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    data   TEXT NOT NULL
);
CREATE INDEX studios_by_org ON studios(org_id);

CREATE TABLE studio_messages (
    id          TEXT PRIMARY KEY,
    studio_id   TEXT NOT NULL,
    org_id      TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    answered    BIGINT NOT NULL DEFAULT 0,
    data        TEXT NOT NULL
);
CREATE INDEX studio_messages_by_studio ON studio_messages(studio_id, received_at);

-- The resident's lookup code of each message (its SHA-256 only: the code is shown once) and
-- the proof-of-work challenge it came with (each challenge is spent once).
CREATE TABLE studio_lookups (
    code_hash  TEXT PRIMARY KEY,
    message_id TEXT NOT NULL,
    challenge  TEXT NOT NULL UNIQUE,
    at         BIGINT NOT NULL
);

-- 界别召集人: a member who convenes a sector (a member group of kind sector); they see the
-- sector's contact activity by organisation and month, never by person.
CREATE TABLE sector_conveners (
    group_id  TEXT NOT NULL,
    person_id TEXT NOT NULL,
    PRIMARY KEY (group_id, person_id)
);
CREATE INDEX sector_conveners_by_person ON sector_conveners(person_id);

-- 0001: organisations, people and roles, and proposals with their revisions and history.
-- Instants are INTEGER milliseconds since the Unix epoch (UTC).

CREATE TABLE organisations (
    id        TEXT PRIMARY KEY,
    parent_id TEXT REFERENCES organisations(id),
    level     TEXT NOT NULL CHECK (level IN ('province', 'prefecture', 'county')),
    name      TEXT NOT NULL,
    -- OrgSettings as JSON: local rules differ, the defaults live in the code.
    settings  TEXT
);
CREATE INDEX organisations_by_parent ON organisations(parent_id);

CREATE TABLE terms (
    id        TEXT PRIMARY KEY,
    org_id    TEXT NOT NULL REFERENCES organisations(id),
    number    INTEGER NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at   INTEGER NOT NULL,
    UNIQUE (org_id, number)
);

CREATE TABLE sessions (
    id                 TEXT PRIMARY KEY,
    term_id            TEXT NOT NULL REFERENCES terms(id),
    org_id             TEXT NOT NULL REFERENCES organisations(id),
    number             INTEGER NOT NULL,
    proposals_open_at  INTEGER NOT NULL,
    proposals_deadline INTEGER NOT NULL,
    accepts_interim    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (term_id, number),
    CHECK (proposals_open_at <= proposals_deadline)
);

-- Sectors (界别) and special committees (专委会).
CREATE TABLE member_groups (
    id     TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    kind   TEXT NOT NULL CHECK (kind IN ('sector', 'special_committee')),
    name   TEXT NOT NULL,
    UNIQUE (org_id, kind, name)
);

CREATE TABLE people (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE member_group_members (
    group_id  TEXT NOT NULL REFERENCES member_groups(id),
    person_id TEXT NOT NULL REFERENCES people(id),
    PRIMARY KEY (group_id, person_id)
) WITHOUT ROWID;

CREATE TABLE handling_units (
    id     TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id),
    name   TEXT NOT NULL
);

CREATE TABLE role_grants (
    person_id TEXT NOT NULL REFERENCES people(id),
    org_id    TEXT NOT NULL REFERENCES organisations(id),
    role      TEXT NOT NULL CHECK (role IN ('member', 'proposal_staff', 'unit_user', 'org_admin')),
    unit_id   TEXT REFERENCES handling_units(id),
    PRIMARY KEY (person_id, org_id, role),
    CHECK ((role = 'unit_user') = (unit_id IS NOT NULL))
) WITHOUT ROWID;
CREATE INDEX role_grants_by_org ON role_grants(org_id, role);

-- The proposal aggregate as JSON, with the columns lists and filters need.
CREATE TABLE proposals (
    id                TEXT PRIMARY KEY,
    org_id            TEXT NOT NULL REFERENCES organisations(id),
    session_id        TEXT NOT NULL REFERENCES sessions(id),
    state             TEXT NOT NULL,
    title             TEXT NOT NULL,
    first_proposer_id TEXT NOT NULL REFERENCES people(id),
    revision          INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    snapshot          TEXT NOT NULL
);
CREATE INDEX proposals_by_org_state ON proposals(org_id, state, updated_at);

-- Who is party to a proposal (proposers, invitees, assigned units): drives "my proposals"
-- lists and who may see a draft.
CREATE TABLE proposal_parties (
    proposal_id TEXT NOT NULL REFERENCES proposals(id),
    party_id    TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('proposer', 'invitee', 'unit')),
    PRIMARY KEY (proposal_id, party_id, kind)
) WITHOUT ROWID;
CREATE INDEX proposal_parties_by_party ON proposal_parties(party_id, kind);

-- Every save of a draft: nothing a member typed is ever lost.
CREATE TABLE proposal_revisions (
    proposal_id   TEXT NOT NULL REFERENCES proposals(id),
    number        INTEGER NOT NULL,
    title         TEXT NOT NULL,
    cause         TEXT NOT NULL,
    suggestions   TEXT NOT NULL,
    category      TEXT NOT NULL,
    author_id     TEXT NOT NULL,
    saved_at      INTEGER NOT NULL,
    restored_from INTEGER,
    PRIMARY KEY (proposal_id, number)
) WITHOUT ROWID;

-- The append-only, hash-chained record of every transition.
CREATE TABLE proposal_history (
    proposal_id TEXT NOT NULL REFERENCES proposals(id),
    seq         INTEGER NOT NULL,
    entry       TEXT NOT NULL,   -- canonical JSON of the entry (what the hash covers)
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL,
    PRIMARY KEY (proposal_id, seq)
) WITHOUT ROWID;

CREATE TRIGGER proposal_history_no_update BEFORE UPDATE ON proposal_history
BEGIN SELECT RAISE(ABORT, 'proposal history is append-only'); END;
CREATE TRIGGER proposal_history_no_delete BEFORE DELETE ON proposal_history
BEGIN SELECT RAISE(ABORT, 'proposal history is append-only'); END;
CREATE TRIGGER proposal_revisions_no_update BEFORE UPDATE ON proposal_revisions
BEGIN SELECT RAISE(ABORT, 'proposal revisions are append-only'); END;

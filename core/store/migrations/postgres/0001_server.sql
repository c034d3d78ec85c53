-- The server's schema on PostgreSQL, version 1: the shared sets up to 0005 (study) and the
-- server's up to 0004 (blobs), as the SQLite server database has them. Later changes add a file
-- here next to each SQLite migration (see migrations.rs).
--
-- Translated from the SQLite files: INTEGER is BIGINT (SQLite's integers are 64-bit), BLOB is
-- BYTEA, every TEXT column sorts by bytes (COLLATE "C", as SQLite's BINARY does, whatever the
-- database's locale), triggers are PL/pgSQL. Left out: the full-text tables (search runs on the
-- phones) and WITHOUT ROWID (PostgreSQL's tables are heaps with their primary key as an index).

CREATE TABLE schema_sets (name TEXT COLLATE "C" PRIMARY KEY, version BIGINT NOT NULL);

-- Append-only tables refuse UPDATE and DELETE with the same message as on SQLite.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0];
END $$;

-- from shared/0001_domain.sql
-- Shared 0001: what phones and the server both keep — organisations, people and roles,
-- proposals with their revisions and hash-chained history, and study-group chat.
-- Instants are BIGINT milliseconds since the Unix epoch (UTC). This file is the schema that
-- pre-split databases reached at legacy version 5, less the device-only tables.

CREATE TABLE organisations (
    id        TEXT COLLATE "C" PRIMARY KEY,
    parent_id TEXT COLLATE "C" REFERENCES organisations(id),
    level     TEXT COLLATE "C" NOT NULL CHECK (level IN ('province', 'prefecture', 'county')),
    name      TEXT COLLATE "C" NOT NULL,
    -- OrgSettings as JSON: local rules differ, the defaults live in the code.
    settings  TEXT COLLATE "C"
);
CREATE INDEX organisations_by_parent ON organisations(parent_id);

CREATE TABLE terms (
    id        TEXT COLLATE "C" PRIMARY KEY,
    org_id    TEXT COLLATE "C" NOT NULL REFERENCES organisations(id),
    number    BIGINT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at   BIGINT NOT NULL,
    UNIQUE (org_id, number)
);

CREATE TABLE sessions (
    id                 TEXT COLLATE "C" PRIMARY KEY,
    term_id            TEXT COLLATE "C" NOT NULL REFERENCES terms(id),
    org_id             TEXT COLLATE "C" NOT NULL REFERENCES organisations(id),
    number             BIGINT NOT NULL,
    proposals_open_at  BIGINT NOT NULL,
    proposals_deadline BIGINT NOT NULL,
    accepts_interim    BIGINT NOT NULL DEFAULT 0,
    UNIQUE (term_id, number),
    CHECK (proposals_open_at <= proposals_deadline)
);

-- Sectors (界别) and special committees (专委会).
CREATE TABLE member_groups (
    id     TEXT COLLATE "C" PRIMARY KEY,
    org_id TEXT COLLATE "C" NOT NULL REFERENCES organisations(id),
    kind   TEXT COLLATE "C" NOT NULL CHECK (kind IN ('sector', 'special_committee')),
    name   TEXT COLLATE "C" NOT NULL,
    UNIQUE (org_id, kind, name)
);

CREATE TABLE people (
    id   TEXT COLLATE "C" PRIMARY KEY,
    name TEXT COLLATE "C" NOT NULL
);

CREATE TABLE member_group_members (
    group_id  TEXT COLLATE "C" NOT NULL REFERENCES member_groups(id),
    person_id TEXT COLLATE "C" NOT NULL REFERENCES people(id),
    PRIMARY KEY (group_id, person_id)
);

CREATE TABLE handling_units (
    id     TEXT COLLATE "C" PRIMARY KEY,
    org_id TEXT COLLATE "C" NOT NULL REFERENCES organisations(id),
    name   TEXT COLLATE "C" NOT NULL
);

CREATE TABLE role_grants (
    person_id TEXT COLLATE "C" NOT NULL REFERENCES people(id),
    org_id    TEXT COLLATE "C" NOT NULL REFERENCES organisations(id),
    role      TEXT COLLATE "C" NOT NULL CHECK (role IN ('member', 'proposal_staff', 'unit_user', 'org_admin')),
    unit_id   TEXT COLLATE "C" REFERENCES handling_units(id),
    PRIMARY KEY (person_id, org_id, role),
    CHECK ((role = 'unit_user') = (unit_id IS NOT NULL))
);
CREATE INDEX role_grants_by_org ON role_grants(org_id, role);

-- The proposal aggregate as JSON, with the columns lists and filters need.
CREATE TABLE proposals (
    id                TEXT COLLATE "C" PRIMARY KEY,
    org_id            TEXT COLLATE "C" NOT NULL REFERENCES organisations(id),
    session_id        TEXT COLLATE "C" NOT NULL REFERENCES sessions(id),
    state             TEXT COLLATE "C" NOT NULL,
    title             TEXT COLLATE "C" NOT NULL,
    first_proposer_id TEXT COLLATE "C" NOT NULL REFERENCES people(id),
    revision          BIGINT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    snapshot          TEXT COLLATE "C" NOT NULL
);
CREATE INDEX proposals_by_org_state ON proposals(org_id, state, updated_at);

-- Who is party to a proposal (proposers, invitees, assigned units): drives "my proposals"
-- lists and who may see a draft.
CREATE TABLE proposal_parties (
    proposal_id TEXT COLLATE "C" NOT NULL REFERENCES proposals(id),
    party_id    TEXT COLLATE "C" NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL CHECK (kind IN ('proposer', 'invitee', 'unit')),
    PRIMARY KEY (proposal_id, party_id, kind)
);
CREATE INDEX proposal_parties_by_party ON proposal_parties(party_id, kind);

-- Every save of a draft: nothing a member typed is ever lost.
CREATE TABLE proposal_revisions (
    proposal_id   TEXT COLLATE "C" NOT NULL REFERENCES proposals(id),
    number        BIGINT NOT NULL,
    title         TEXT COLLATE "C" NOT NULL,
    cause         TEXT COLLATE "C" NOT NULL,
    suggestions   TEXT COLLATE "C" NOT NULL,
    category      TEXT COLLATE "C" NOT NULL,
    author_id     TEXT COLLATE "C" NOT NULL,
    saved_at      BIGINT NOT NULL,
    restored_from BIGINT,
    -- A draft edited offline on two devices keeps both versions; the one that lost the race is
    -- kept as a revision marked as a conflict, never dropped.
    conflict      BIGINT NOT NULL DEFAULT 0,
    device_id     TEXT COLLATE "C",
    attachments   TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    PRIMARY KEY (proposal_id, number)
);

-- The append-only, hash-chained record of every transition.
CREATE TABLE proposal_history (
    proposal_id TEXT COLLATE "C" NOT NULL REFERENCES proposals(id),
    seq         BIGINT NOT NULL,
    entry       TEXT COLLATE "C" NOT NULL,   -- canonical JSON of the entry (what the hash covers)
    prev_hash   TEXT COLLATE "C" NOT NULL,
    hash        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (proposal_id, seq)
);


-- Study-group chat (学习交流群).
CREATE TABLE chat_groups (
    id         TEXT COLLATE "C" PRIMARY KEY,
    org_id     TEXT COLLATE "C" NOT NULL,
    kind       TEXT COLLATE "C" NOT NULL,
    name       TEXT COLLATE "C" NOT NULL,
    created_by TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE chat_group_members (
    group_id  TEXT COLLATE "C" NOT NULL REFERENCES chat_groups(id) ON DELETE CASCADE,
    person_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (group_id, person_id)
);
CREATE INDEX chat_group_members_by_person ON chat_group_members(person_id);

-- seq is the server's order within the group; NULL while the message is only on this phone.
CREATE TABLE chat_messages (
    id          TEXT COLLATE "C" PRIMARY KEY,
    group_id    TEXT COLLATE "C" NOT NULL,
    seq         BIGINT,
    sender_id   TEXT COLLATE "C" NOT NULL,
    text        TEXT COLLATE "C" NOT NULL,
    reply_to    TEXT COLLATE "C",
    mentions    TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    created_at  BIGINT NOT NULL,
    sent_at     BIGINT,
    recalled_at BIGINT,
    deleted_by  TEXT COLLATE "C",
    -- On phones: the outbox entry that carries this message (its state comes from there), and
    -- the order in which unsent messages were written.
    outbox_id   BIGINT,
    local_order BIGINT,
    attachments TEXT COLLATE "C" NOT NULL DEFAULT '[]'
);
CREATE UNIQUE INDEX chat_messages_by_group_seq ON chat_messages(group_id, seq);
CREATE INDEX chat_messages_unsent ON chat_messages(group_id, local_order) WHERE seq IS NULL;

-- How far each member has read each group; shared by a member's devices.
CREATE TABLE chat_read_markers (
    group_id  TEXT COLLATE "C" NOT NULL,
    person_id TEXT COLLATE "C" NOT NULL,
    seq       BIGINT NOT NULL,
    PRIMARY KEY (group_id, person_id)
);

-- from shared/0002_duty.sql
-- Shared 0002: notices (通知公告) with receipts, meetings and activities (会议活动) with
-- attendance, the duty record's own entries (speeches, self-reported duties), each
-- organisation's point rules, and feedback (意见建议).
-- Each aggregate is kept whole as JSON (the domain type), next to the columns that lists and
-- lookups need; phones receive them in any order, so there are no foreign keys here.

CREATE TABLE notices (
    id           TEXT COLLATE "C" PRIMARY KEY,
    org_id       TEXT COLLATE "C" NOT NULL,
    published_at BIGINT NOT NULL,
    data         TEXT COLLATE "C" NOT NULL
);
CREATE INDEX notices_by_time ON notices(published_at);

CREATE TABLE notice_receipts (
    notice_id TEXT COLLATE "C" NOT NULL,
    person_id TEXT COLLATE "C" NOT NULL,
    data      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (notice_id, person_id)
);
CREATE INDEX notice_receipts_by_person ON notice_receipts(person_id);

-- Who a notice reached (for the publishing staff's follow-up list).
CREATE TABLE notice_audiences (
    notice_id TEXT COLLATE "C" PRIMARY KEY,
    data      TEXT COLLATE "C" NOT NULL
);

CREATE TABLE meetings (
    id        TEXT COLLATE "C" PRIMARY KEY,
    org_id    TEXT COLLATE "C" NOT NULL,
    starts_at BIGINT NOT NULL,
    data      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX meetings_by_org_time ON meetings(org_id, starts_at);

CREATE TABLE attendances (
    meeting_id TEXT COLLATE "C" NOT NULL,
    person_id  TEXT COLLATE "C" NOT NULL,
    data       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (meeting_id, person_id)
);
CREATE INDEX attendances_by_person ON attendances(person_id);

CREATE TABLE duty_entries (
    id        TEXT COLLATE "C" PRIMARY KEY,
    org_id    TEXT COLLATE "C" NOT NULL,
    person_id TEXT COLLATE "C" NOT NULL,
    data      TEXT COLLATE "C" NOT NULL
);
CREATE INDEX duty_entries_by_person ON duty_entries(person_id);
CREATE INDEX duty_entries_by_org ON duty_entries(org_id);

-- The current rule table of each organisation that changed the defaults.
CREATE TABLE duty_rules (
    org_id TEXT COLLATE "C" PRIMARY KEY,
    data   TEXT COLLATE "C" NOT NULL
);

CREATE TABLE feedback (
    id         TEXT COLLATE "C" PRIMARY KEY,
    org_id     TEXT COLLATE "C" NOT NULL,
    person_id  TEXT COLLATE "C" NOT NULL,
    created_at BIGINT NOT NULL,
    data       TEXT COLLATE "C" NOT NULL
);
CREATE INDEX feedback_by_org ON feedback(org_id, created_at);

-- from shared/0003_consult.sql
-- Shared 0003: the consultation work. 社情民意 reports (with the columns the statistics
-- count by, and one row per adoption into a periodical), 网络议政 topics and posts,
-- applications to speak at remote consultations, grassroots consultations, and one
-- full-text index over reports, topics and posts. As in 0002, each aggregate is kept whole
-- as JSON; phones receive them in any order, so there are no foreign keys.

CREATE TABLE reports (
    id           TEXT COLLATE "C" PRIMARY KEY,
    org_id       TEXT COLLATE "C" NOT NULL,
    state        TEXT COLLATE "C" NOT NULL,
    -- Milliseconds; NULL while a draft.
    submitted_at BIGINT,
    -- The month of submission in China time (`2026-11`), what statistics group by.
    month        TEXT COLLATE "C",
    accepted     BIGINT NOT NULL DEFAULT 0,
    edited       BIGINT NOT NULL DEFAULT 0,
    sent_up      BIGINT NOT NULL DEFAULT 0,
    instructed   BIGINT NOT NULL DEFAULT 0,
    -- Adopted by a higher organisation's periodical.
    adopted_above BIGINT NOT NULL DEFAULT 0,
    updated_at   BIGINT NOT NULL,
    data         TEXT COLLATE "C" NOT NULL
);
CREATE INDEX reports_by_org ON reports(org_id, submitted_at);
-- Covers the statistics: counted without reading the reports themselves.
CREATE INDEX reports_stats ON reports(org_id, month, accepted, edited, sent_up, instructed, adopted_above)
    WHERE month IS NOT NULL;

-- Who adopted a report into their periodical (the report's own organisation and those above).
CREATE TABLE report_adoptions (
    report_id  TEXT COLLATE "C" NOT NULL,
    org_id     TEXT COLLATE "C" NOT NULL,
    at         BIGINT NOT NULL,
    -- The month of adoption in China time, and the organisation the report comes from.
    month      TEXT COLLATE "C" NOT NULL,
    report_org TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (report_id, org_id)
);
CREATE INDEX report_adoptions_by_org ON report_adoptions(org_id, month, report_org);

-- A report's authors (for "my reports" and the duty record).
CREATE TABLE report_authors (
    person_id TEXT COLLATE "C" NOT NULL,
    report_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (person_id, report_id)
);

CREATE TABLE topics (
    id        TEXT COLLATE "C" PRIMARY KEY,
    org_id    TEXT COLLATE "C" NOT NULL,
    closes_at BIGINT NOT NULL,
    data      TEXT COLLATE "C" NOT NULL
);

CREATE TABLE posts (
    id         TEXT COLLATE "C" PRIMARY KEY,
    topic_id   TEXT COLLATE "C" NOT NULL,
    author_id  TEXT COLLATE "C" NOT NULL,
    written_at BIGINT NOT NULL,
    data       TEXT COLLATE "C" NOT NULL
);
CREATE INDEX posts_by_topic ON posts(topic_id, written_at);
CREATE INDEX posts_by_author ON posts(author_id);

CREATE TABLE speech_requests (
    meeting_id TEXT COLLATE "C" NOT NULL,
    person_id  TEXT COLLATE "C" NOT NULL,
    data       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (meeting_id, person_id)
);
CREATE INDEX speech_requests_by_person ON speech_requests(person_id);

CREATE TABLE consultations (
    id      TEXT COLLATE "C" PRIMARY KEY,
    org_id  TEXT COLLATE "C" NOT NULL,
    date_ms BIGINT NOT NULL,
    data    TEXT COLLATE "C" NOT NULL
);
CREATE INDEX consultations_by_org ON consultations(org_id, date_ms);

-- Tokens written by lvzhi_store::search (bigrams and unigrams). The rowid is the entity's
-- rowid times 4 plus its kind (1 report, 2 topic, 3 post), so a row is found without a scan.

-- from shared/0005_study.sql
-- Shared 0005: 委员学习, 线上读书 and 信息发布. Each aggregate whole as JSON with the columns
-- lists need; phones receive them in any order, so there are no foreign keys. One full-text
-- index over materials and news (rowid = the entity's rowid times 4 plus 1 material, 2 news).

CREATE TABLE materials (
    id           TEXT COLLATE "C" PRIMARY KEY,
    org_id       TEXT COLLATE "C" NOT NULL,
    series       TEXT COLLATE "C",
    ord          BIGINT NOT NULL,
    published_at BIGINT NOT NULL,
    withdrawn    BIGINT NOT NULL DEFAULT 0,
    data         TEXT COLLATE "C" NOT NULL
);
CREATE INDEX materials_by_series ON materials(series, ord);

-- A member's own study of a material (studied, notes, highlights).
CREATE TABLE studies (
    material_id TEXT COLLATE "C" NOT NULL,
    person_id   TEXT COLLATE "C" NOT NULL,
    studied_at  BIGINT,
    data        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (material_id, person_id)
);
CREATE INDEX studies_by_person ON studies(person_id);

CREATE TABLE reading_plans (
    group_id TEXT COLLATE "C" PRIMARY KEY,
    data     TEXT COLLATE "C" NOT NULL
);

-- id = group@person@day: one note a day, the same id on every phone.
CREATE TABLE reading_notes (
    id        TEXT COLLATE "C" PRIMARY KEY,
    group_id  TEXT COLLATE "C" NOT NULL,
    person_id TEXT COLLATE "C" NOT NULL,
    day       TEXT COLLATE "C" NOT NULL,
    at        BIGINT NOT NULL,
    data      TEXT COLLATE "C" NOT NULL
);
CREATE UNIQUE INDEX reading_notes_one_a_day ON reading_notes(group_id, person_id, day);
CREATE INDEX reading_notes_by_person ON reading_notes(person_id);

CREATE TABLE news (
    id           TEXT COLLATE "C" PRIMARY KEY,
    org_id       TEXT COLLATE "C" NOT NULL,
    published_at BIGINT NOT NULL,
    withdrawn    BIGINT NOT NULL DEFAULT 0,
    data         TEXT COLLATE "C" NOT NULL
);
CREATE INDEX news_by_time ON news(published_at);


-- from server/0001_accounts_and_change_log.sql
-- Server 0001: what only the server keeps — accounts and sessions, clients and their mutation
-- results, and the per-scope change log that phones pull (the same schema pre-split servers
-- reached at their version 2).

CREATE TABLE accounts (
    person_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES people(id),
    login      TEXT COLLATE "C" NOT NULL UNIQUE,
    salt       BYTEA NOT NULL,
    hash       BYTEA NOT NULL,
    iterations BIGINT NOT NULL
);
CREATE TABLE auth_sessions (
    id                 TEXT COLLATE "C" PRIMARY KEY,
    person_id          TEXT COLLATE "C" NOT NULL REFERENCES people(id),
    device_name        TEXT COLLATE "C" NOT NULL,
    access_hash        TEXT COLLATE "C" NOT NULL UNIQUE,
    access_expires_at  BIGINT NOT NULL,
    refresh_hash       TEXT COLLATE "C" NOT NULL UNIQUE,
    refresh_expires_at BIGINT NOT NULL,
    created_at         BIGINT NOT NULL,
    last_seen_at       BIGINT NOT NULL,
    revoked_at         BIGINT,
    revoked_reason     TEXT COLLATE "C"
);
CREATE INDEX auth_sessions_by_person ON auth_sessions(person_id);
CREATE TABLE login_failures (
    login TEXT COLLATE "C" NOT NULL,
    at    BIGINT NOT NULL
);
CREATE INDEX login_failures_by_login ON login_failures(login, at);
CREATE TABLE clients (
    client_id        TEXT COLLATE "C" PRIMARY KEY,
    person_id        TEXT COLLATE "C" NOT NULL REFERENCES people(id),
    last_mutation_id BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE mutation_results (
    client_id   TEXT COLLATE "C" NOT NULL,
    mutation_id BIGINT NOT NULL,
    outcome     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (client_id, mutation_id)
);
-- Positions in the change log are handed out in commit order (the trigger at the end of this
-- file): a phone's cursor may never pass a change that commits later with a smaller number.
CREATE TABLE change_log (
    seq       BIGINT PRIMARY KEY,
    scope     TEXT COLLATE "C" NOT NULL,
    entity    TEXT COLLATE "C" NOT NULL,
    entity_id TEXT COLLATE "C" NOT NULL,
    data      TEXT COLLATE "C",
    at        BIGINT NOT NULL
);
CREATE INDEX change_log_by_scope ON change_log(scope, seq);
CREATE INDEX change_log_by_entity ON change_log(scope, entity, entity_id, seq);
CREATE TABLE entity_scopes (
    entity    TEXT COLLATE "C" NOT NULL,
    entity_id TEXT COLLATE "C" NOT NULL,
    scope     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (entity, entity_id, scope)
);
CREATE TABLE scope_horizons (
    scope      TEXT COLLATE "C" PRIMARY KEY,
    min_cursor BIGINT NOT NULL
);

-- The newest change of each scope, kept by a trigger in the same transaction as the change, so
-- that an idle sync learns "nothing new" from one lookup per scope instead of a page query.
CREATE TABLE scope_heads (
    scope TEXT COLLATE "C" PRIMARY KEY,
    seq   BIGINT NOT NULL
);
-- Servers that missed a notification look here for heads that moved (fanout.rs).
CREATE INDEX scope_heads_by_seq ON scope_heads(seq);

-- from server/0002_audit_and_refresh_reuse.sql
-- Server 0002: the audit log, and the refresh tokens each session rotated away from.
--
-- The audit log records logins (with the client's address), session revocations, refusals
-- for lack of permission, role changes and bootstrap loads. Nothing may change or remove an
-- entry once written.
CREATE TABLE audit_log (
    seq       BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    at        BIGINT NOT NULL,
    kind      TEXT COLLATE "C" NOT NULL,
    person_id TEXT COLLATE "C",
    org_id    TEXT COLLATE "C",
    address   TEXT COLLATE "C",
    detail    TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_by_org ON audit_log(org_id, seq);
CREATE INDEX audit_log_by_person ON audit_log(person_id, seq);

-- A refresh token presented again after it was rotated away is a stolen one (OAuth 2.0
-- Security BCP): its session is revoked. Kept as SHA-256 hashes, like the live tokens.
CREATE TABLE retired_refresh_tokens (
    hash       TEXT COLLATE "C" PRIMARY KEY,
    session_id TEXT COLLATE "C" NOT NULL,
    retired_at BIGINT NOT NULL
);
CREATE INDEX retired_refresh_tokens_by_session ON retired_refresh_tokens(session_id);


-- Each time the database was restored from a backup: phones may then be ahead of it (their
-- cursors, their mutation ids), and the server takes them back instead of refusing them. The
-- change log's numbering jumps from backup_max to seq_floor, so a cursor in between can only
-- come from before the restore (its scope starts over), never from after it.
CREATE TABLE restores (
    restored_at BIGINT NOT NULL,
    from_file   TEXT COLLATE "C" NOT NULL,
    backup_max  BIGINT NOT NULL,
    seq_floor   BIGINT NOT NULL
);

-- from server/0003_check_in_key.sql
-- Server 0003: the key that signs meeting check-in codes (Ed25519, PKCS#8). Made once, on the
-- first meeting; its public half travels with every meeting so phones verify codes offline.
CREATE TABLE signing_keys (
    purpose    TEXT COLLATE "C" PRIMARY KEY,
    pkcs8      BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);

-- from server/0004_blobs.sql
-- Server 0004: files. A whole file (blob) is named by its SHA-256 and kept in chunks of the
-- upload frame size. An upload in progress belongs to its uploader and grows frame by frame,
-- each frame committed as it arrives, so that a dropped connection resumes from the last frame
-- kept; a file becomes a blob only once whole and checked, in one transaction. Who may read a
-- blob follows the entities that refer to it (`blob_refs`) and who uploaded its bytes.

CREATE TABLE blobs (
    hash         TEXT COLLATE "C" PRIMARY KEY,
    size         BIGINT NOT NULL,
    content_type TEXT COLLATE "C" NOT NULL,
    created_at   BIGINT NOT NULL
);

-- idx = offset / frame size. A rowid table: rows of 64 KiB sit badly in a WITHOUT ROWID b-tree.
CREATE TABLE blob_chunks (
    hash TEXT COLLATE "C" NOT NULL,
    idx  BIGINT NOT NULL,
    data BYTEA NOT NULL,
    PRIMARY KEY (hash, idx)
);

-- People who sent a blob's bytes (not merely its hash): they may read and attach it.
CREATE TABLE blob_owners (
    hash      TEXT COLLATE "C" NOT NULL,
    person_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (hash, person_id)
);

CREATE TABLE uploads (
    hash         TEXT COLLATE "C" NOT NULL,
    person_id    TEXT COLLATE "C" NOT NULL,
    size         BIGINT NOT NULL,
    content_type TEXT COLLATE "C" NOT NULL,
    received     BIGINT NOT NULL DEFAULT 0,
    started_at   BIGINT NOT NULL,
    PRIMARY KEY (hash, person_id)
);

CREATE TABLE upload_chunks (
    hash      TEXT COLLATE "C" NOT NULL,
    person_id TEXT COLLATE "C" NOT NULL,
    idx       BIGINT NOT NULL,
    data      BYTEA NOT NULL,
    PRIMARY KEY (hash, person_id, idx)
);

-- An entity (EntityKind name and id) that carries the blob.
CREATE TABLE blob_refs (
    hash      TEXT COLLATE "C" NOT NULL,
    entity    TEXT COLLATE "C" NOT NULL,
    entity_id TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (hash, entity, entity_id)
);

CREATE TRIGGER proposal_history_append_only BEFORE UPDATE OR DELETE ON proposal_history
    FOR EACH ROW EXECUTE FUNCTION refuse_change('proposal history is append-only');
CREATE TRIGGER proposal_revisions_no_update BEFORE UPDATE ON proposal_revisions
    FOR EACH ROW EXECUTE FUNCTION refuse_change('proposal revisions are append-only');
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change('the audit log is append-only');

-- Commit-ordered positions. With several server processes, a number taken from a sequence in a
-- transaction that commits after another with a higher number would be skipped by a reader
-- that had already read past the higher one. So the number is taken only under a transaction-
-- level advisory lock, held until commit: a transaction that has written to the log commits
-- before any other can take a number, and numbers become visible in order. The price is that
-- writers to the log take turns across processes, as SQLite's one writer does within one.
-- A row that arrives with its number (moved from an SQLite database) keeps it.
CREATE SEQUENCE change_log_seq;
CREATE FUNCTION change_log_in_commit_order() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7815568792111049831);  -- "lvzhchlg"
    IF NEW.seq IS NULL THEN
        NEW.seq := nextval('change_log_seq');
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER change_log_in_commit_order BEFORE INSERT ON change_log
    FOR EACH ROW EXECUTE FUNCTION change_log_in_commit_order();

-- A scope's head moves with every change written to it.
CREATE FUNCTION change_log_moves_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO scope_heads (scope, seq) VALUES (NEW.scope, NEW.seq)
        ON CONFLICT (scope) DO UPDATE SET seq = GREATEST(scope_heads.seq, excluded.seq);
    RETURN NULL;
END $$;
CREATE TRIGGER change_log_moves_head AFTER INSERT ON change_log
    FOR EACH ROW EXECUTE FUNCTION change_log_moves_head();

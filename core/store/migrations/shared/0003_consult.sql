-- Shared 0003: the consultation work. 社情民意 reports (with the columns the statistics
-- count by, and one row per adoption into a periodical), 网络议政 topics and posts,
-- applications to speak at remote consultations, grassroots consultations, and one
-- full-text index over reports, topics and posts. As in 0002, each aggregate is kept whole
-- as JSON; phones receive them in any order, so there are no foreign keys.

CREATE TABLE reports (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL,
    state        TEXT NOT NULL,
    -- Milliseconds; NULL while a draft.
    submitted_at INTEGER,
    -- The month of submission in China time (`2026-11`), what statistics group by.
    month        TEXT,
    accepted     INTEGER NOT NULL DEFAULT 0,
    edited       INTEGER NOT NULL DEFAULT 0,
    sent_up      INTEGER NOT NULL DEFAULT 0,
    instructed   INTEGER NOT NULL DEFAULT 0,
    -- Adopted by a higher organisation's periodical.
    adopted_above INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL,
    data         TEXT NOT NULL
);
CREATE INDEX reports_by_org ON reports(org_id, submitted_at);
-- Covers the statistics: counted without reading the reports themselves.
CREATE INDEX reports_stats ON reports(org_id, month, accepted, edited, sent_up, instructed, adopted_above)
    WHERE month IS NOT NULL;

-- Who adopted a report into their periodical (the report's own organisation and those above).
CREATE TABLE report_adoptions (
    report_id  TEXT NOT NULL,
    org_id     TEXT NOT NULL,
    at         INTEGER NOT NULL,
    -- The month of adoption in China time, and the organisation the report comes from.
    month      TEXT NOT NULL,
    report_org TEXT NOT NULL,
    PRIMARY KEY (report_id, org_id)
) WITHOUT ROWID;
CREATE INDEX report_adoptions_by_org ON report_adoptions(org_id, month, report_org);

-- A report's authors (for "my reports" and the duty record).
CREATE TABLE report_authors (
    person_id TEXT NOT NULL,
    report_id TEXT NOT NULL,
    PRIMARY KEY (person_id, report_id)
) WITHOUT ROWID;

CREATE TABLE topics (
    id        TEXT PRIMARY KEY,
    org_id    TEXT NOT NULL,
    closes_at INTEGER NOT NULL,
    data      TEXT NOT NULL
);

CREATE TABLE posts (
    id         TEXT PRIMARY KEY,
    topic_id   TEXT NOT NULL,
    author_id  TEXT NOT NULL,
    written_at INTEGER NOT NULL,
    data       TEXT NOT NULL
);
CREATE INDEX posts_by_topic ON posts(topic_id, written_at);
CREATE INDEX posts_by_author ON posts(author_id);

CREATE TABLE speech_requests (
    meeting_id TEXT NOT NULL,
    person_id  TEXT NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (meeting_id, person_id)
) WITHOUT ROWID;
CREATE INDEX speech_requests_by_person ON speech_requests(person_id);

CREATE TABLE consultations (
    id      TEXT PRIMARY KEY,
    org_id  TEXT NOT NULL,
    date_ms INTEGER NOT NULL,
    data    TEXT NOT NULL
);
CREATE INDEX consultations_by_org ON consultations(org_id, date_ms);

-- Tokens written by lvzhi_store::search (bigrams and unigrams). The rowid is the entity's
-- rowid times 4 plus its kind (1 report, 2 topic, 3 post), so a row is found without a scan.
CREATE VIRTUAL TABLE consult_search USING fts5(
    title_bi, title_uni, body_bi, body_uni,
    tokenize = 'ascii'
);

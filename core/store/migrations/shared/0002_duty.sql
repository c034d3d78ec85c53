-- Shared 0002: notices (通知公告) with receipts, meetings and activities (会议活动) with
-- attendance, the duty record's own entries (speeches, self-reported duties), each
-- organisation's point rules, and feedback (意见建议).
-- Each aggregate is kept whole as JSON (the domain type), next to the columns that lists and
-- lookups need; phones receive them in any order, so there are no foreign keys here.

CREATE TABLE notices (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    data         TEXT NOT NULL
);
CREATE INDEX notices_by_time ON notices(published_at);

CREATE TABLE notice_receipts (
    notice_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    data      TEXT NOT NULL,
    PRIMARY KEY (notice_id, person_id)
) WITHOUT ROWID;
CREATE INDEX notice_receipts_by_person ON notice_receipts(person_id);

-- Who a notice reached (for the publishing staff's follow-up list).
CREATE TABLE notice_audiences (
    notice_id TEXT PRIMARY KEY,
    data      TEXT NOT NULL
);

CREATE TABLE meetings (
    id        TEXT PRIMARY KEY,
    org_id    TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    data      TEXT NOT NULL
);
CREATE INDEX meetings_by_org_time ON meetings(org_id, starts_at);

CREATE TABLE attendances (
    meeting_id TEXT NOT NULL,
    person_id  TEXT NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (meeting_id, person_id)
) WITHOUT ROWID;
CREATE INDEX attendances_by_person ON attendances(person_id);

CREATE TABLE duty_entries (
    id        TEXT PRIMARY KEY,
    org_id    TEXT NOT NULL,
    person_id TEXT NOT NULL,
    data      TEXT NOT NULL
);
CREATE INDEX duty_entries_by_person ON duty_entries(person_id);
CREATE INDEX duty_entries_by_org ON duty_entries(org_id);

-- The current rule table of each organisation that changed the defaults.
CREATE TABLE duty_rules (
    org_id TEXT PRIMARY KEY,
    data   TEXT NOT NULL
);

CREATE TABLE feedback (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL,
    person_id  TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    data       TEXT NOT NULL
);
CREATE INDEX feedback_by_org ON feedback(org_id, created_at);

-- Shared 0005: 委员学习, 线上读书 and 信息发布. Each aggregate whole as JSON with the columns
-- lists need; phones receive them in any order, so there are no foreign keys. One full-text
-- index over materials and news (rowid = the entity's rowid times 4 plus 1 material, 2 news).

CREATE TABLE materials (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL,
    series       TEXT,
    ord          INTEGER NOT NULL,
    published_at INTEGER NOT NULL,
    withdrawn    INTEGER NOT NULL DEFAULT 0,
    data         TEXT NOT NULL
);
CREATE INDEX materials_by_series ON materials(series, ord);

-- A member's own study of a material (studied, notes, highlights).
CREATE TABLE studies (
    material_id TEXT NOT NULL,
    person_id   TEXT NOT NULL,
    studied_at  INTEGER,
    data        TEXT NOT NULL,
    PRIMARY KEY (material_id, person_id)
) WITHOUT ROWID;
CREATE INDEX studies_by_person ON studies(person_id);

CREATE TABLE reading_plans (
    group_id TEXT PRIMARY KEY,
    data     TEXT NOT NULL
) WITHOUT ROWID;

-- id = group@person@day: one note a day, the same id on every phone.
CREATE TABLE reading_notes (
    id        TEXT PRIMARY KEY,
    group_id  TEXT NOT NULL,
    person_id TEXT NOT NULL,
    day       TEXT NOT NULL,
    at        INTEGER NOT NULL,
    data      TEXT NOT NULL
);
CREATE UNIQUE INDEX reading_notes_one_a_day ON reading_notes(group_id, person_id, day);
CREATE INDEX reading_notes_by_person ON reading_notes(person_id);

CREATE TABLE news (
    id           TEXT PRIMARY KEY,
    org_id       TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    withdrawn    INTEGER NOT NULL DEFAULT 0,
    data         TEXT NOT NULL
);
CREATE INDEX news_by_time ON news(published_at);

CREATE VIRTUAL TABLE study_search USING fts5(
    title_bi, title_uni, body_bi, body_uni,
    tokenize = 'ascii'
);

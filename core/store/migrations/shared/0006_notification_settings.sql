-- Shared 0006: each person's push settings (which kinds, quiet hours), the same JSON on the
-- server (which sends) and on the person's phones (which show the switches). No row: the defaults.
CREATE TABLE notification_settings (
    person_id TEXT PRIMARY KEY,
    data      TEXT NOT NULL
);

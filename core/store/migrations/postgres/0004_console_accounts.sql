-- PostgreSQL 0004, the counterpart of SQLite's server 0007: accounts can be disabled, and new
-- people start with a one-time activation code (its hash) instead of a password.

ALTER TABLE accounts ADD COLUMN disabled_at BIGINT;

CREATE TABLE activation_codes (
    person_id  TEXT PRIMARY KEY REFERENCES people(id),
    login      TEXT NOT NULL UNIQUE,
    code_hash  TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    created_by TEXT NOT NULL
);

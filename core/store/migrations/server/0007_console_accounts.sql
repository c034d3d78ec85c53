-- Server 0007: accounts as the web console's administrators keep them. A person is added
-- without a password and given a one-time activation code (only its hash is kept), with which
-- they set their own password; an account can be disabled without deleting anyone's history.

ALTER TABLE accounts ADD COLUMN disabled_at INTEGER;

CREATE TABLE activation_codes (
    person_id  TEXT PRIMARY KEY REFERENCES people(id),
    login      TEXT NOT NULL UNIQUE,
    code_hash  TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    created_by TEXT NOT NULL
);

-- Server 0002: the audit log, and the refresh tokens each session rotated away from.
--
-- The audit log records logins (with the client's address), session revocations, refusals
-- for lack of permission, role changes and bootstrap loads. Nothing may change or remove an
-- entry once written.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    person_id TEXT,
    org_id    TEXT,
    address   TEXT,
    detail    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_by_org ON audit_log(org_id, seq);
CREATE INDEX audit_log_by_person ON audit_log(person_id, seq);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- A refresh token presented again after it was rotated away is a stolen one (OAuth 2.0
-- Security BCP): its session is revoked. Kept as SHA-256 hashes, like the live tokens.
CREATE TABLE retired_refresh_tokens (
    hash       TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    retired_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX retired_refresh_tokens_by_session ON retired_refresh_tokens(session_id);

ALTER TABLE auth_sessions ADD COLUMN revoked_reason TEXT;

-- Each time the database was restored from a backup: phones may then be ahead of it (their
-- cursors, their mutation ids), and the server takes them back instead of refusing them. The
-- change log's numbering jumps from backup_max to seq_floor, so a cursor in between can only
-- come from before the restore (its scope starts over), never from after it.
CREATE TABLE restores (
    restored_at INTEGER NOT NULL,
    from_file   TEXT NOT NULL,
    backup_max  INTEGER NOT NULL,
    seq_floor   INTEGER NOT NULL
);

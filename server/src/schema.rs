//! The server's own tables, next to the core's: accounts and sessions, clients and their
//! mutation results, and the per-scope change log. Versioned in `server_meta`, apart from the
//! core's `user_version`, so that either can grow without renumbering the other.

use rusqlite::{Connection, OptionalExtension};

const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE accounts (
    person_id  TEXT PRIMARY KEY REFERENCES people(id),
    login      TEXT NOT NULL UNIQUE,
    salt       BLOB NOT NULL,
    hash       BLOB NOT NULL,
    iterations INTEGER NOT NULL
);
CREATE TABLE auth_sessions (
    id                 TEXT PRIMARY KEY,
    person_id          TEXT NOT NULL REFERENCES people(id),
    device_name        TEXT NOT NULL,
    access_hash        TEXT NOT NULL UNIQUE,
    access_expires_at  INTEGER NOT NULL,
    refresh_hash       TEXT NOT NULL UNIQUE,
    refresh_expires_at INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    last_seen_at       INTEGER NOT NULL,
    revoked_at         INTEGER
);
CREATE INDEX auth_sessions_by_person ON auth_sessions(person_id);
CREATE TABLE login_failures (
    login TEXT NOT NULL,
    at    INTEGER NOT NULL
);
CREATE INDEX login_failures_by_login ON login_failures(login, at);
CREATE TABLE clients (
    client_id        TEXT PRIMARY KEY,
    person_id        TEXT NOT NULL REFERENCES people(id),
    last_mutation_id INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE mutation_results (
    client_id   TEXT NOT NULL,
    mutation_id INTEGER NOT NULL,
    outcome     TEXT NOT NULL,
    PRIMARY KEY (client_id, mutation_id)
) WITHOUT ROWID;
CREATE TABLE change_log (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    scope     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    data      TEXT,
    at        INTEGER NOT NULL
);
CREATE INDEX change_log_by_scope ON change_log(scope, seq);
CREATE INDEX change_log_by_entity ON change_log(scope, entity, entity_id, seq);
CREATE TABLE entity_scopes (
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    scope     TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, scope)
) WITHOUT ROWID;
CREATE TABLE scope_horizons (
    scope      TEXT PRIMARY KEY,
    min_cursor INTEGER NOT NULL
) WITHOUT ROWID;
"#,
    r#"
-- The newest change of each scope, kept by a trigger in the same transaction as the change, so
-- that an idle sync learns "nothing new" from one lookup per scope instead of a page query.
CREATE TABLE scope_heads (
    scope TEXT PRIMARY KEY,
    seq   INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO scope_heads (scope, seq) SELECT scope, max(seq) FROM change_log GROUP BY scope;
CREATE TRIGGER change_log_moves_head AFTER INSERT ON change_log BEGIN
    INSERT INTO scope_heads (scope, seq) VALUES (new.scope, new.seq)
        ON CONFLICT (scope) DO UPDATE SET seq = excluded.seq;
END;
-- The server keeps no full-text index of chat (nobody searches there); drop what older
-- versions indexed, recalled messages' words included.
DELETE FROM chat_search;
"#,
];

pub fn migrate(conn: &mut Connection) -> lvzhi_core::Result<()> {
    migrate_to(conn, MIGRATIONS.len())
}

fn migrate_to(conn: &mut Connection, target: usize) -> lvzhi_core::Result<()> {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS server_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")?;
    let current: u32 = conn
        .query_row("SELECT value FROM server_meta WHERE key = 'schema_version'", [], |r| r.get::<_, String>(0))
        .optional()?
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    for (i, sql) in MIGRATIONS.iter().enumerate().take(target).skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT OR REPLACE INTO server_meta (key, value) VALUES ('schema_version', ?1)",
            [(i + 1).to_string()],
        )?;
        tx.commit()?;
    }
    Ok(())
}

pub fn version() -> u32 {
    MIGRATIONS.len() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_2_backfills_scope_heads_and_keeps_them_moving() {
        let dir = tempfile::tempdir().unwrap();
        let store = lvzhi_core::store::Store::open(dir.path().join("server.db")).unwrap();
        store.with_writer(|c| migrate_to(c, 1)).unwrap();
        store
            .with_writer(|c| {
                c.execute_batch(
                    "INSERT INTO change_log (scope, entity, entity_id, data, at) VALUES
                         ('org:yn-12-03', 'proposal', 'p1', '{}', 0), ('group:g1', 'message', 'm1', '{}', 0),
                         ('org:yn-12-03', 'proposal', 'p2', '{}', 0);
                     INSERT INTO chat_search (rowid, text_bi, text_uni) VALUES (1, '洱海', '洱 海');",
                )?;
                migrate(c)
            })
            .unwrap();
        let head = |scope: &str| store.read(|c| crate::changes::head(c, scope)).unwrap();
        assert_eq!((head("org:yn-12-03"), head("group:g1"), head("user:nobody")), (3, 2, 0));
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO change_log (scope, entity, entity_id, data, at) VALUES ('group:g1', 'message', 'm2', '{}', 0)",
                )
                .map_err(lvzhi_core::Error::from)
            })
            .unwrap();
        assert_eq!(head("group:g1"), 4);
        let indexed: i64 = store
            .read(|c| {
                c.query_row("SELECT count(*) FROM chat_search", [], |r| r.get(0)).map_err(lvzhi_core::Error::from)
            })
            .unwrap();
        assert_eq!(indexed, 0, "the server keeps no chat index");
    }
}

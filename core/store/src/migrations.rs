//! Versioned schemas for the two kinds of database, as `.sql` files in three sets:
//!
//! - `shared`: what phones and the server both keep (the committee tree, proposals, chat);
//! - `device`: what only a phone keeps (outbox, cursors, the server's versions, search indexes);
//! - `server`: what only the server keeps (accounts, sessions, mutation results, the change log).
//!
//! A device database runs `shared` + `device`, a server database `shared` + `server`; each set's
//! version is kept in `schema_sets`, and `PRAGMA application_id` records which kind the file is,
//! so that opening one as the other is refused instead of writing into it.
//!
//! Migrations are frozen: each is SQL that never changes once released. Derived data (a search
//! index) is rebuilt by a flag in `rebuild_requests`, which the store acts on with today's code
//! when it opens — never by calling today's code from an old migration.
//!
//! Databases from before the split (phones at legacy `user_version` 1–5, servers that also
//! track `server_meta` 1–2) are brought to legacy version 5 by the frozen legacy files, then
//! adopted: they already hold version 1 of their sets.

use rusqlite::{Connection, OptionalExtension, Transaction};

use crate::error::{Error, Result, StorageError, StorageErrorKind};

/// Which kind of database a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DbKind {
    /// A phone's (or a terminal shell's) local database.
    Device,
    /// The sync server's database.
    Server,
}

impl DbKind {
    /// The value kept in the file header (`PRAGMA application_id`): "LZDV" and "LZSV".
    pub fn application_id(self) -> i32 {
        match self {
            DbKind::Device => 0x4C5A_4456,
            DbKind::Server => 0x4C5A_5356,
        }
    }

    fn from_application_id(id: i32) -> Option<DbKind> {
        [DbKind::Device, DbKind::Server].into_iter().find(|k| k.application_id() == id)
    }

    /// What the kind is called in messages.
    pub fn label(self) -> &'static str {
        match self {
            DbKind::Device => "设备数据库 (device database)",
            DbKind::Server => "服务器数据库 (server database)",
        }
    }

    /// The migration sets this kind runs, in order.
    pub fn sets(self) -> [(&'static str, &'static [Migration]); 2] {
        match self {
            DbKind::Device => [("shared", SHARED), ("device", DEVICE)],
            DbKind::Server => [("shared", SHARED), ("server", SERVER)],
        }
    }
}

/// One step of a set's schema.
pub struct Migration {
    /// The set's version after this step; steps are numbered 1, 2, 3... without gaps.
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

pub const SHARED: &[Migration] = &[
    Migration { version: 1, name: "domain", sql: include_str!("../migrations/shared/0001_domain.sql") },
    Migration { version: 2, name: "duty", sql: include_str!("../migrations/shared/0002_duty.sql") },
    Migration { version: 3, name: "consult", sql: include_str!("../migrations/shared/0003_consult.sql") },
    Migration { version: 4, name: "files", sql: include_str!("../migrations/shared/0004_files.sql") },
    Migration { version: 5, name: "study", sql: include_str!("../migrations/shared/0005_study.sql") },
    Migration {
        version: 6,
        name: "notification_settings",
        sql: include_str!("../migrations/shared/0006_notification_settings.sql"),
    },
    Migration { version: 7, name: "liaison", sql: include_str!("../migrations/shared/0007_liaison.sql") },
];

pub const DEVICE: &[Migration] = &[
    Migration {
        version: 1,
        name: "sync_and_search",
        sql: include_str!("../migrations/device/0001_sync_and_search.sql"),
    },
    Migration {
        version: 2,
        name: "search_tokenized_in_rust_only",
        sql: include_str!("../migrations/device/0002_search_tokenized_in_rust_only.sql"),
    },
    Migration { version: 3, name: "files", sql: include_str!("../migrations/device/0003_files.sql") },
    Migration {
        version: 4,
        name: "proposal_vocabulary",
        sql: include_str!("../migrations/device/0004_proposal_vocabulary.sql"),
    },
];

pub const SERVER: &[Migration] = &[
    Migration {
        version: 1,
        name: "accounts_and_change_log",
        sql: include_str!("../migrations/server/0001_accounts_and_change_log.sql"),
    },
    Migration {
        version: 2,
        name: "audit_and_refresh_reuse",
        sql: include_str!("../migrations/server/0002_audit_and_refresh_reuse.sql"),
    },
    Migration { version: 3, name: "check_in_key", sql: include_str!("../migrations/server/0003_check_in_key.sql") },
    Migration { version: 4, name: "blobs", sql: include_str!("../migrations/server/0004_blobs.sql") },
    Migration {
        version: 5,
        name: "scope_heads_in_code",
        sql: include_str!("../migrations/server/0005_scope_heads_in_code.sql"),
    },
    Migration {
        version: 6,
        name: "withdrawn_copies_and_unscored_study",
        sql: include_str!("../migrations/server/0006_withdrawn_copies_and_unscored_study.sql"),
    },
    Migration {
        version: 7,
        name: "console_accounts",
        sql: include_str!("../migrations/server/0007_console_accounts.sql"),
    },
    Migration { version: 8, name: "push", sql: include_str!("../migrations/server/0008_push.sql") },
    Migration { version: 9, name: "studio_intake", sql: include_str!("../migrations/server/0009_studio_intake.sql") },
];

/// `PRAGMA user_version` of every split database: higher than any pre-split version, so that an
/// app from before the split refuses the file as "newer" instead of misreading it.
pub const SPLIT_USER_VERSION: u32 = 100;

/// The version of each of `kind`'s sets this code brings a database to.
pub fn latest_versions(kind: DbKind) -> Vec<(&'static str, u32)> {
    kind.sets().iter().map(|(name, set)| (*name, set.last().map_or(0, |m| m.version))).collect()
}

/// The version of each set recorded in the database.
pub fn versions(conn: &lvzhi_sql::Connection<'_>) -> Result<Vec<(String, u32)>> {
    // A PostgreSQL database has its `schema_sets` from the first migration on.
    if let Some(c) = conn.as_sqlite()
        && !table_exists(c, "schema_sets")?
    {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare("SELECT name, version FROM schema_sets ORDER BY name")?;
    Ok(stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<lvzhi_sql::Result<_>>()?)
}

/// Brings the database to the newest schema of `kind`, or refuses a file of another kind, of
/// another program, or newer than this code.
pub fn migrate(conn: &mut Connection, kind: DbKind) -> Result<()> {
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let user_version: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tx = conn.transaction()?;
    match (app_id, DbKind::from_application_id(app_id)) {
        (0, _) if user_version == 0 && !has_tables(&tx)? => {}
        (0, _) if (1..=legacy::LATEST).contains(&user_version) => legacy::adopt(&tx, kind, user_version)?,
        (0, _) if user_version > legacy::LATEST => {
            return Err(too_new(format!("user_version {user_version} without an application id")));
        }
        (0, _) => return Err(wrong(format!("a file with tables but no schema version is not a {}", kind.label()))),
        (_, Some(found)) if found != kind => {
            return Err(wrong(format!("this is a {}, not a {}", found.label(), kind.label())));
        }
        (_, Some(_)) => {}
        (other, None) => return Err(wrong(format!("application id {other:#x} is not Lvzhi's"))),
    }
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_sets (name TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID",
    )?;
    for (name, set) in kind.sets() {
        run_set(&tx, name, set)?;
    }
    tx.pragma_update(None, "application_id", kind.application_id())?;
    tx.pragma_update(None, "user_version", SPLIT_USER_VERSION)?;
    tx.commit()?;
    Ok(())
}

fn run_set(tx: &Transaction<'_>, name: &str, set: &[Migration]) -> Result<()> {
    let current: u32 =
        tx.query_row("SELECT version FROM schema_sets WHERE name = ?1", [name], |r| r.get(0)).optional()?.unwrap_or(0);
    let newest = set.last().map_or(0, |m| m.version);
    if current > newest {
        return Err(too_new(format!("the {name} schema is at version {current}; this code knows {newest}")));
    }
    for (i, m) in set.iter().enumerate() {
        debug_assert_eq!(m.version as usize, i + 1, "migrations must be numbered 1, 2, 3...");
        if m.version <= current {
            continue;
        }
        tx.execute_batch(m.sql).map_err(|e| {
            Error::Storage(StorageError::new(
                StorageErrorKind::Other,
                format!("migration {name} {} ({}) failed: {e}", m.version, m.name),
            ))
        })?;
    }
    tx.execute(
        "INSERT INTO schema_sets (name, version) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET version = excluded.version",
        rusqlite::params![name, newest],
    )?;
    Ok(())
}

fn has_tables(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))? > 0)
}

fn table_exists(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1")?.exists([name])?)
}

fn wrong(detail: String) -> Error {
    Error::Storage(StorageError::new(StorageErrorKind::WrongDatabase, detail))
}

fn too_new(detail: String) -> Error {
    Error::Storage(StorageError::new(
        StorageErrorKind::TooNew,
        format!("database is newer than this app knows ({detail}); please update the app"),
    ))
}

/// The frozen schema history from before the split into sets.
pub mod legacy {
    use super::*;

    /// The last pre-split core version.
    pub const LATEST: u32 = 5;

    /// Pre-split core migrations (phones and servers alike ran all of them). Version 2 once
    /// called the search indexer from the migration; it now asks for a rebuild instead.
    const CORE: &[(u32, &str, Option<&str>)] = &[
        (1, include_str!("../migrations/legacy/0001_init.sql"), None),
        (2, include_str!("../migrations/legacy/0002_search.sql"), Some("proposal_search")),
        (3, include_str!("../migrations/legacy/0003_revision_conflicts.sql"), None),
        (4, include_str!("../migrations/legacy/0004_sync.sql"), None),
        (5, include_str!("../migrations/legacy/0005_chat.sql"), None),
    ];

    /// Pre-split server migrations, tracked in `server_meta`.
    const SERVER: &[&str] = &[
        include_str!("../migrations/legacy/server_0001_accounts.sql"),
        include_str!("../migrations/legacy/server_0002_scope_heads.sql"),
    ];

    /// Builds a pre-split database of core version `target` (tests make old databases this way).
    pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
        let tx = conn.transaction()?;
        let current: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        run_core(&tx, current, target)?;
        tx.commit()?;
        Ok(())
    }

    fn run_core(tx: &Transaction<'_>, current: u32, target: u32) -> Result<()> {
        tx.execute_batch("CREATE TABLE IF NOT EXISTS rebuild_requests (name TEXT PRIMARY KEY) WITHOUT ROWID")?;
        for (version, sql, rebuild) in CORE {
            if *version <= current || *version > target {
                continue;
            }
            tx.execute_batch(sql)?;
            if let Some(name) = rebuild {
                tx.execute("INSERT OR IGNORE INTO rebuild_requests (name) VALUES (?1)", [name])?;
            }
            tx.pragma_update(None, "user_version", version)?;
        }
        Ok(())
    }

    /// Brings a pre-split database to legacy version 5 and adopts it as `kind`.
    pub(super) fn adopt(tx: &Transaction<'_>, kind: DbKind, user_version: u32) -> Result<()> {
        let was = if table_exists(tx, "server_meta")? { DbKind::Server } else { DbKind::Device };
        if was != kind {
            return Err(wrong(format!("this is a pre-split {}, not a {}", was.label(), kind.label())));
        }
        run_core(tx, user_version, LATEST)?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_sets (name TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID",
        )?;
        match kind {
            DbKind::Device => {
                tx.execute_batch(include_str!("../migrations/legacy/adopt_device.sql"))?;
            }
            DbKind::Server => {
                let server: u32 = tx
                    .query_row("SELECT value FROM server_meta WHERE key = 'schema_version'", [], |r| {
                        r.get::<_, String>(0)
                    })
                    .optional()?
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                for sql in SERVER.iter().skip(server as usize) {
                    tx.execute_batch(sql)?;
                }
                tx.execute_batch(include_str!("../migrations/legacy/adopt_server.sql"))?;
            }
        }
        // Legacy version 5 holds version 1 of the shared set and of the kind's own set.
        for (name, _) in kind.sets() {
            tx.execute("INSERT OR REPLACE INTO schema_sets (name, version) VALUES (?1, 1)", [name])?;
        }
        Ok(())
    }
}

/// The server's schema on PostgreSQL. One list of files, each bringing the `shared` and `server`
/// sets to the versions the SQLite files of the same name reach, so that a server reports the
/// same schema versions on either engine (`GET /`), and a database moved from SQLite
/// (`migrate-to-postgres`) lands on the schema it came from.
pub mod postgres {
    use lvzhi_sql::{Transaction, params};

    use super::{too_new, wrong};
    use crate::error::{Error, Result, StorageError, StorageErrorKind};

    pub struct PgMigration {
        pub version: u32,
        /// What the SQLite sets are at once this file has run.
        pub sets: &'static [(&'static str, u32)],
        pub sql: &'static str,
    }

    pub const MIGRATIONS: &[PgMigration] = &[
        PgMigration {
            version: 1,
            sets: &[("server", 4), ("shared", 5)],
            sql: include_str!("../migrations/postgres/0001_server.sql"),
        },
        PgMigration {
            version: 2,
            sets: &[("server", 5), ("shared", 5)],
            sql: include_str!("../migrations/postgres/0002_scope_heads_in_code.sql"),
        },
        PgMigration {
            version: 3,
            sets: &[("server", 6), ("shared", 5)],
            sql: include_str!("../migrations/postgres/0003_withdrawn_copies_and_unscored_study.sql"),
        },
        PgMigration {
            version: 4,
            sets: &[("server", 7), ("shared", 5)],
            sql: include_str!("../migrations/postgres/0004_console_accounts.sql"),
        },
        PgMigration {
            version: 5,
            sets: &[("server", 8), ("shared", 6)],
            sql: include_str!("../migrations/postgres/0005_push.sql"),
        },
        PgMigration {
            version: 6,
            sets: &[("server", 9), ("shared", 7)],
            sql: include_str!("../migrations/postgres/0006_liaison.sql"),
        },
    ];

    /// The advisory lock under which the change log hands out positions (its trigger in
    /// 0001_server.sql takes it; the server's writer takes it first thing).
    pub const CHANGE_LOG_LOCK: i64 = 7815568792111049831; // "lvzhchlg"

    /// An arbitrary constant: the advisory lock servers starting together take, so that one
    /// migrates and the others then find the work done.
    const MIGRATION_LOCK: i64 = 0x6c767a68_6d696772; // "lvzhmigr"

    /// Brings a PostgreSQL database to the newest schema, in the caller's transaction; refuses
    /// one newer than this code or one that is not Lvzhi's.
    pub fn migrate(tx: &Transaction<'_>) -> Result<()> {
        tx.query_row("SELECT pg_advisory_xact_lock(?1)", [MIGRATION_LOCK], |_| Ok(()))?;
        let has_sets: bool = tx.query_row("SELECT to_regclass('schema_sets') IS NOT NULL", [], |r| r.get(0))?;
        let current: u32 = if has_sets {
            tx.query_row("SELECT version FROM schema_sets WHERE name = 'postgres'", [], |r| r.get(0))
                .map_err(|_| wrong("schema_sets has no PostgreSQL version: not a Lvzhi server database".into()))?
        } else {
            let tables: i64 = tx.query_row(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
                [],
                |r| r.get(0),
            )?;
            if tables > 0 {
                return Err(wrong(
                    "a database with tables but no schema version is not a Lvzhi server database".into(),
                ));
            }
            0
        };
        let newest = MIGRATIONS.last().map_or(0, |m| m.version);
        if current > newest {
            return Err(too_new(format!("the PostgreSQL schema is at version {current}; this code knows {newest}")));
        }
        for m in MIGRATIONS.iter().filter(|m| m.version > current) {
            tx.execute_batch(m.sql).map_err(|e| {
                Error::Storage(StorageError::new(
                    StorageErrorKind::Other,
                    format!("PostgreSQL migration {} failed: {}", m.version, Error::from(e)),
                ))
            })?;
            for (name, version) in m.sets.iter().copied().chain([("postgres", m.version)]) {
                tx.execute(
                    "INSERT INTO schema_sets (name, version) VALUES (?1, ?2)
                     ON CONFLICT (name) DO UPDATE SET version = excluded.version",
                    params![name, version],
                )?;
            }
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::migrations::{DbKind, latest_versions};

        #[test]
        fn every_sqlite_migration_of_the_server_has_its_postgresql_counterpart() {
            let last = MIGRATIONS.last().unwrap();
            let mut pg: Vec<(&str, u32)> = last.sets.to_vec();
            pg.sort();
            let mut sqlite = latest_versions(DbKind::Server);
            sqlite.sort();
            assert_eq!(
                pg, sqlite,
                "a migration was added to the SQLite sets: add its PostgreSQL translation to migrations/postgres"
            );
        }
    }
}

//! Versioned schema migrations, tracked with `PRAGMA user_version`.
//!
//! Each migration is a `.sql` file applied in one transaction together with the new version
//! number, optionally followed by a Rust step (for data that SQL alone cannot compute, such as
//! the Chinese search index). A database of any earlier version opens and is brought forward;
//! a database newer than this code is refused rather than misread.

use rusqlite::{Connection, Transaction};

use crate::error::{Error, Result};

/// One step of the schema.
pub struct Migration {
    /// The `user_version` after this step; steps are numbered 1, 2, 3... without gaps.
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
    /// A data step run after `sql`, inside the same transaction.
    pub after: Option<fn(&Transaction<'_>) -> Result<()>>,
}

/// The core's schema, oldest first.
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "init", sql: include_str!("../../migrations/0001_init.sql"), after: None },
    Migration {
        version: 2,
        name: "search",
        sql: include_str!("../../migrations/0002_search.sql"),
        after: Some(crate::search::reindex_all_proposals),
    },
    Migration {
        version: 3,
        name: "revision_conflicts",
        sql: include_str!("../../migrations/0003_revision_conflicts.sql"),
        after: None,
    },
    Migration { version: 4, name: "sync", sql: include_str!("../../migrations/0004_sync.sql"), after: None },
    Migration { version: 5, name: "chat", sql: include_str!("../../migrations/0005_chat.sql"), after: None },
];

/// The version the core's schema is at.
pub fn latest_version() -> u32 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Brings `conn` to the newest version in `migrations`.
pub fn migrate(conn: &mut Connection, migrations: &[Migration]) -> Result<()> {
    let target = migrations.last().map_or(0, |m| m.version);
    migrate_to(conn, migrations, target)
}

/// Brings `conn` to `target` (used by tests to build databases of earlier versions).
pub fn migrate_to(conn: &mut Connection, migrations: &[Migration], target: u32) -> Result<()> {
    let current: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let newest = migrations.last().map_or(0, |m| m.version);
    if current > newest {
        return Err(Error::Storage(format!(
            "database schema version {current} is newer than this app knows ({newest}); please update the app"
        )));
    }
    for (i, m) in migrations.iter().enumerate() {
        debug_assert_eq!(m.version as usize, i + 1, "migrations must be numbered 1, 2, 3...");
        if m.version <= current || m.version > target {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql)
            .map_err(|e| Error::Storage(format!("migration {} ({}) failed: {e}", m.version, m.name)))?;
        if let Some(step) = m.after {
            step(&tx)?;
        }
        tx.pragma_update(None, "user_version", m.version)?;
        tx.commit()?;
    }
    Ok(())
}

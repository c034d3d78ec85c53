//! The server's copy on the phone: each entity as the server last sent it
//! (`server_entities`), which scopes hold it (`scope_entities`), and how far each scope was
//! read (`sync_cursors`). Local rows are rebuilt from these plus the pending outbox; an entity
//! that no scope holds any more leaves the phone.

use lvzhi_sql::{Connection, OptionalExtension, Transaction, params};

use crate::error::Result;

/// The server's version of an entity, as it sent it (JSON).
pub fn server_entity(c: &Connection, kind: &str, id: &str) -> Result<Option<String>> {
    Ok(c.prepare_cached("SELECT data FROM server_entities WHERE entity = ?1 AND id = ?2")?
        .query_row(params![kind, id], |r| r.get(0))
        .optional()?)
}

/// The server's versions of every per-person part of an aggregate: ids `head@person`.
pub fn server_entity_parts(c: &Connection, kind: &str, head: &str) -> Result<Vec<String>> {
    // `head@` .. `head@\u{10FFFF}`: every `head@person` and nothing else.
    let (from, to) = (format!("{head}@"), format!("{head}@\u{10FFFF}"));
    let mut stmt = c.prepare_cached("SELECT data FROM server_entities WHERE entity = ?1 AND id >= ?2 AND id < ?3")?;
    Ok(stmt.query_map(params![kind, from, to], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?)
}

pub fn put_server_entity(tx: &Transaction<'_>, kind: &str, id: &str, data: &str) -> Result<()> {
    tx.prepare_cached("INSERT OR REPLACE INTO server_entities (entity, id, data) VALUES (?1, ?2, ?3)")?
        .execute(params![kind, id, data])?;
    Ok(())
}

pub fn delete_server_entity(tx: &Transaction<'_>, kind: &str, id: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM server_entities WHERE entity = ?1 AND id = ?2")?.execute(params![kind, id])?;
    Ok(())
}

/// `scope` holds the entity (a change with data arrived through it).
pub fn hold(tx: &Transaction<'_>, scope: &str, kind: &str, id: &str) -> Result<()> {
    tx.prepare_cached("INSERT OR IGNORE INTO scope_entities (scope, entity, id) VALUES (?1, ?2, ?3)")?
        .execute(params![scope, kind, id])?;
    Ok(())
}

/// `scope` no longer holds the entity (a tombstone arrived through it).
pub fn release(tx: &Transaction<'_>, scope: &str, kind: &str, id: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM scope_entities WHERE scope = ?1 AND entity = ?2 AND id = ?3")?
        .execute(params![scope, kind, id])?;
    Ok(())
}

/// Whether any scope still holds the entity.
pub fn is_held(c: &Connection, kind: &str, id: &str) -> Result<bool> {
    Ok(c.prepare_cached("SELECT 1 FROM scope_entities WHERE entity = ?1 AND id = ?2")?.exists(params![kind, id])?)
}

/// Forgets a scope: what it held (entity, id), to be checked for orphans, and its cursor.
pub fn forget_scope(tx: &Transaction<'_>, scope: &str) -> Result<Vec<(String, String)>> {
    let held: Vec<(String, String)> = {
        let mut stmt = tx.prepare("SELECT entity, id FROM scope_entities WHERE scope = ?1")?;
        stmt.query_map([scope], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<lvzhi_sql::Result<_>>()?
    };
    tx.execute("DELETE FROM scope_entities WHERE scope = ?1", [scope])?;
    tx.execute("DELETE FROM sync_cursors WHERE scope = ?1", [scope])?;
    Ok(held)
}

/// How far `scope` was read.
pub fn set_cursor(tx: &Transaction<'_>, scope: &str, cursor: u64) -> Result<()> {
    tx.prepare_cached("INSERT OR REPLACE INTO sync_cursors (scope, cursor) VALUES (?1, ?2)")?
        .execute(params![scope, cursor as i64])?;
    Ok(())
}

/// Every scope read so far with its cursor: what the phone holds (a scope that delivered
/// anything has a cursor, written with its page).
pub fn cursors(c: &Connection) -> Result<Vec<(String, u64)>> {
    let mut stmt = c.prepare_cached("SELECT scope, cursor FROM sync_cursors")?;
    let rows: Vec<(String, i64)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<lvzhi_sql::Result<_>>()?;
    Ok(rows.into_iter().map(|(s, c)| (s, c as u64)).collect())
}

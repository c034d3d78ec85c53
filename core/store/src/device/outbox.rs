//! The device's outbox and its small sync facts (`sync_meta`): the statements on the device
//! tables `outbox`, `held_mutations` and `sync_meta`, beside their schema
//! (`migrations/device`). The sync engine decides when to write them.

use lvzhi_sql::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use lvzhi_domain::protocol::{ActingAs, Mutation, MutationKind};
use lvzhi_domain::time::{Timestamp, from_millis, to_millis};

use crate::error::Result;

/// A mutation waiting for the server, or refused by it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub mutation: Mutation,
    /// `None` while pending; the server's reason once rejected.
    pub rejected: Option<String>,
    pub created_at: Timestamp,
}

/// Entries held for their files' uploads are shown (and discarded) under ids from here on:
/// they get their real, consecutive mutation id only when released into the outbox.
pub const HELD_ID_BASE: u64 = 1 << 40;

impl OutboxEntry {
    /// Waiting for its files to finish uploading (not yet sent).
    pub fn is_held(&self) -> bool {
        self.mutation.id >= HELD_ID_BASE
    }
}

pub fn meta_get<T: DeserializeOwned>(conn: &Connection, key: &str) -> Result<Option<T>> {
    let json: Option<String> =
        conn.prepare_cached("SELECT value FROM sync_meta WHERE key = ?1")?.query_row([key], |r| r.get(0)).optional()?;
    Ok(json.map(|j| serde_json::from_str(&j)).transpose()?)
}

pub fn meta_set<T: Serialize>(tx: &Transaction<'_>, key: &str, value: &T) -> Result<()> {
    tx.prepare_cached("INSERT OR REPLACE INTO sync_meta (key, value) VALUES (?1, ?2)")?
        .execute(params![key, serde_json::to_string(value)?])?;
    Ok(())
}

/// Whether a mutation of this type (`"set_notification_settings"`, the serde tag) still waits
/// for the server: the phone's own change is newer than any copy the server sends meanwhile.
pub fn has_pending(conn: &Connection, mutation_type: &str) -> Result<bool> {
    let pattern = format!("%\"type\":\"{mutation_type}\"%");
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM outbox WHERE status = 'pending' AND mutation LIKE ?1)")?
        .query_row([pattern], |r| r.get::<_, bool>(0))?)
}

pub fn meta_delete(tx: &Transaction<'_>, key: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM sync_meta WHERE key = ?1")?.execute([key])?;
    Ok(())
}

/// Queues a mutation (its local effect is written by the caller in the same transaction).
pub fn push(tx: &Transaction<'_>, acting_as: ActingAs, kind: MutationKind, now: Timestamp) -> Result<Mutation> {
    // Ids never repeat, even after entries are acknowledged and removed.
    let id = meta_get::<u64>(tx, "next_mutation_id")?.unwrap_or(1);
    meta_set(tx, "next_mutation_id", &(id + 1))?;
    let mutation = Mutation { id, acting_as, kind };
    tx.prepare_cached("INSERT INTO outbox (id, mutation, created_at) VALUES (?1, ?2, ?3)")?.execute(params![
        id as i64,
        serde_json::to_string(&mutation)?,
        to_millis(now)
    ])?;
    Ok(mutation)
}

fn entry_from_row(r: &lvzhi_sql::Row<'_>) -> lvzhi_sql::Result<(String, Option<String>, i64)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

fn to_entry((json, reason, at): (String, Option<String>, i64)) -> Result<OutboxEntry> {
    Ok(OutboxEntry { mutation: serde_json::from_str(&json)?, rejected: reason, created_at: from_millis(at) })
}

/// Pending mutations in id order, at most `limit`.
pub fn pending(conn: &Connection, limit: usize) -> Result<Vec<OutboxEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT mutation, reason, created_at FROM outbox WHERE status = 'pending' ORDER BY id LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit as i64], entry_from_row)?;
    rows.map(|r| to_entry(r?)).collect()
}

/// Everything in the outbox, pending and rejected, in id order, then what waits for uploads.
pub fn all(conn: &Connection) -> Result<Vec<OutboxEntry>> {
    let mut stmt = conn.prepare_cached("SELECT mutation, reason, created_at FROM outbox ORDER BY id")?;
    let rows = stmt.query_map([], entry_from_row)?;
    let mut all = rows.map(|r| to_entry(r?)).collect::<Result<Vec<_>>>()?;
    all.extend(held(conn)?);
    Ok(all)
}

/// What the phone has done and the server has not decided yet, in the order it was done
/// within each queue: replayed over the server's versions.
pub fn replayable(conn: &Connection) -> Result<Vec<OutboxEntry>> {
    let mut all = pending(conn, usize::MAX >> 1)?;
    all.extend(held(conn)?);
    Ok(all)
}

/// Mutations held until their files are uploaded, with their display ids.
pub fn held(conn: &Connection) -> Result<Vec<OutboxEntry>> {
    let mut stmt = conn.prepare_cached("SELECT id, mutation, created_at FROM held_mutations ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?;
    rows.map(|r| {
        let (id, json, at) = r?;
        let mut mutation: Mutation = serde_json::from_str(&json)?;
        mutation.id = HELD_ID_BASE + id as u64;
        Ok(OutboxEntry { mutation, rejected: None, created_at: from_millis(at) })
    })
    .collect()
}

/// Holds a mutation (already applied here) until its files are uploaded; returns its display id.
pub fn hold(tx: &Transaction<'_>, acting_as: ActingAs, kind: MutationKind, now: Timestamp) -> Result<u64> {
    let mutation = Mutation { id: 0, acting_as, kind };
    tx.prepare_cached("INSERT INTO held_mutations (mutation, created_at) VALUES (?1, ?2)")?
        .execute(params![serde_json::to_string(&mutation)?, to_millis(now)])?;
    Ok(HELD_ID_BASE + tx.last_insert_rowid()? as u64)
}

/// Whether this phone is still uploading the file `hash`: the one thing that holds an action
/// back for its files (a file not held here at all — evicted, attached on another device — holds
/// nothing up: the server decides whether it has it).
pub fn is_uploading(conn: &Connection, hash: &str) -> Result<bool> {
    let upload: Option<Option<String>> =
        conn.prepare_cached("SELECT upload FROM files WHERE hash = ?1")?.query_row([hash], |r| r.get(0)).optional()?;
    Ok(upload.flatten().as_deref() == Some("pending"))
}

/// Moves into the outbox, in the order they were made, the held mutations whose files are all
/// on the server now and that nothing still held must precede (a shared order key); returns
/// them with their new ids.
pub fn release_held(tx: &Transaction<'_>) -> Result<Vec<Mutation>> {
    let mut released = Vec::new();
    let mut blocked: std::collections::BTreeSet<String> = Default::default();
    for entry in held(tx)? {
        let keys = entry.mutation.kind.order_keys(&entry.mutation.acting_as.org_id);
        let hashes: Vec<&str> = entry
            .mutation
            .kind
            .attachments()
            .map(|(_, _, l)| l.iter().map(|a| a.hash.as_str()).collect())
            .unwrap_or_default();
        let mut ready = true;
        for h in hashes {
            ready &= !is_uploading(tx, h)?;
        }
        if !ready || keys.iter().any(|k| blocked.contains(k)) {
            blocked.extend(keys);
            continue;
        }
        tx.prepare_cached("DELETE FROM held_mutations WHERE id = ?1")?
            .execute([(entry.mutation.id - HELD_ID_BASE) as i64])?;
        released.push(push(tx, entry.mutation.acting_as, entry.mutation.kind, entry.created_at)?);
    }
    Ok(released)
}

pub fn get(conn: &Connection, id: u64) -> Result<Option<OutboxEntry>> {
    if id >= HELD_ID_BASE {
        return Ok(held(conn)?.into_iter().find(|e| e.mutation.id == id));
    }
    let row = conn
        .prepare_cached("SELECT mutation, reason, created_at FROM outbox WHERE id = ?1")?
        .query_row([id as i64], entry_from_row)
        .optional()?;
    row.map(to_entry).transpose()
}

pub fn remove(tx: &Transaction<'_>, id: u64) -> Result<()> {
    if id >= HELD_ID_BASE {
        tx.prepare_cached("DELETE FROM held_mutations WHERE id = ?1")?.execute([(id - HELD_ID_BASE) as i64])?;
        return Ok(());
    }
    tx.prepare_cached("DELETE FROM outbox WHERE id = ?1")?.execute([id as i64])?;
    Ok(())
}

pub fn reject(tx: &Transaction<'_>, id: u64, reason: &str) -> Result<()> {
    tx.prepare_cached("UPDATE outbox SET status = 'rejected', reason = ?2 WHERE id = ?1")?
        .execute(params![id as i64, reason])?;
    Ok(())
}

/// Anything pending at or below `last_applied` was decided by the server, even if its result
/// was lost on the way.
pub fn remove_decided(tx: &Transaction<'_>, last_applied: u64) -> Result<()> {
    tx.execute("DELETE FROM outbox WHERE status = 'pending' AND id <= ?1", [last_applied as i64])?;
    Ok(())
}

/// Entries not accepted yet: (pending, refused).
pub fn counts(c: &Connection) -> Result<(u32, u32)> {
    Ok(c.query_row(
        // Held mutations (waiting for their files' upload) are unsent too: logging out would lose them.
        "SELECT (SELECT count(*) FROM outbox WHERE status = 'pending') + (SELECT count(*) FROM held_mutations), \
                (SELECT count(*) FROM outbox WHERE status = 'rejected')",
        [],
        |r| Ok((r.get::<_, u32>(0)?, r.get::<_, u32>(1)?)),
    )?)
}

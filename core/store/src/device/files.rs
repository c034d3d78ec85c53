//! Files on this phone as the database holds them: one row per file (uploads waiting to go,
//! and the cache of files sent and downloaded) and its bytes in chunks, committed as they come,
//! so nothing half written survives a kill and a file is as private as the message that carries
//! it. Files of pending uploads and pinned files are never evicted; the rest are, least recently
//! used first, to keep the cache within its budget. The statements on `files` and `file_chunks`
//! (`migrations/device/0003_files.sql`); the sync engine moves the bytes.

use lvzhi_domain::files::{Attachment, CHUNK_BYTES};
use lvzhi_domain::protocol::MutationKind;
use lvzhi_sql::{Connection, OptionalExtension, Transaction, params};

use super::outbox::{self, meta_get};
use crate::error::Result;

/// The cache's budget unless the member sets one.
pub const DEFAULT_CACHE_BUDGET: u64 = 200 * 1024 * 1024;

/// A file this phone knows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileInfo {
    pub hash: String,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    /// Bytes held here; the file opens offline when `have == size`.
    pub have: u64,
    /// Waiting to be uploaded (or uploading).
    pub uploading: bool,
    /// Bytes of the upload the server confirmed.
    pub uploaded: u64,
    /// Why the server refused the upload.
    pub upload_error: Option<String>,
    pub pinned: bool,
    pub last_used_ms: i64,
}

impl FileInfo {
    pub fn is_complete(&self) -> bool {
        self.have == self.size
    }
}

/// What the cache holds against its budget.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CacheUsage {
    pub used_bytes: u64,
    pub budget_bytes: u64,
    /// Pinned files and uploads not yet done: never evicted.
    pub kept_bytes: u64,
    pub files: u32,
}

pub const FILE_COLUMNS: &str = "hash, name, content_type, size, have, upload, uploaded, error, pinned, last_used";

pub fn info_from_row(r: &lvzhi_sql::Row<'_>) -> lvzhi_sql::Result<FileInfo> {
    Ok(FileInfo {
        hash: r.get(0)?,
        name: r.get(1)?,
        content_type: r.get(2)?,
        size: r.get::<_, i64>(3)? as u64,
        have: r.get::<_, i64>(4)? as u64,
        uploading: r.get::<_, Option<String>>(5)?.as_deref() == Some("pending"),
        uploaded: r.get::<_, i64>(6)? as u64,
        upload_error: r.get(7)?,
        pinned: r.get::<_, i64>(8)? != 0,
        last_used_ms: r.get(9)?,
    })
}

pub fn file(conn: &Connection, hash: &str) -> Result<Option<FileInfo>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {FILE_COLUMNS} FROM files WHERE hash = ?1"))?
        .query_row([hash], info_from_row)
        .optional()?)
}

/// Whether `kind` must wait: it carries a file this phone is still uploading
/// ([`outbox::is_uploading`]), or something held before it must go first (its order keys).
pub fn waits_for_upload(tx: &Transaction<'_>, kind: &MutationKind, org_id: &str) -> Result<bool> {
    let keys = kind.order_keys(org_id);
    let behind_held = !keys.is_empty()
        && outbox::held(tx)?
            .iter()
            .any(|h| h.mutation.kind.order_keys(&h.mutation.acting_as.org_id).iter().any(|k| keys.contains(k)));
    let Some((_, _, list)) = kind.attachments() else { return Ok(behind_held) };
    let mut waits = behind_held;
    for a in list {
        waits |= outbox::is_uploading(tx, &a.hash)?;
    }
    Ok(waits)
}

pub fn read_chunk(conn: &Connection, hash: &str, idx: u64) -> Result<Vec<u8>> {
    Ok(conn
        .prepare_cached("SELECT data FROM file_chunks WHERE hash = ?1 AND idx = ?2")?
        .query_row(params![hash, idx as i64], |r| r.get(0))?)
}

pub fn write_chunks(tx: &Transaction<'_>, hash: &str, bytes: &[u8]) -> Result<()> {
    tx.prepare_cached("DELETE FROM file_chunks WHERE hash = ?1")?.execute([hash])?;
    for (idx, chunk) in bytes.chunks(CHUNK_BYTES).enumerate() {
        tx.prepare_cached("INSERT INTO file_chunks (hash, idx, data) VALUES (?1, ?2, ?3)")?
            .execute(params![hash, idx as i64, chunk])?;
    }
    Ok(())
}

/// The whole file's bytes, if this phone holds them all.
pub fn bytes(conn: &Connection, hash: &str) -> Result<Option<Vec<u8>>> {
    let Some(info) = file(conn, hash)? else { return Ok(None) };
    if !info.is_complete() {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(info.size as usize);
    let mut stmt = conn.prepare_cached("SELECT data FROM file_chunks WHERE hash = ?1 ORDER BY idx")?;
    for chunk in stmt.query_map([hash], |r| r.get::<_, Vec<u8>>(0))? {
        out.extend_from_slice(&chunk?);
    }
    Ok(Some(out))
}

/// Evicts unpinned, uploaded or downloaded files, least recently used first, until the cache
/// is within `budget` (or only files that must stay are left); returns the bytes freed.
pub fn evict(tx: &Transaction<'_>, budget: u64) -> Result<u64> {
    evict_except(tx, budget, None)
}

/// As [`evict`], never taking `keep` (the file just downloaded, which the member is opening).
pub fn evict_except(tx: &Transaction<'_>, budget: u64, keep: Option<&str>) -> Result<u64> {
    let used: i64 = tx.query_row("SELECT coalesce(sum(have), 0) FROM files", [], |r| r.get(0))?;
    let mut over = (used as u64).saturating_sub(budget);
    let mut freed = 0;
    if over == 0 {
        return Ok(0);
    }
    let candidates: Vec<(String, u64)> = {
        let mut stmt = tx.prepare_cached(
            "SELECT hash, have FROM files WHERE pinned = 0 AND (upload IS NULL OR upload = 'done') AND have > 0
             ORDER BY last_used, hash",
        )?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?.collect::<lvzhi_sql::Result<_>>()?
    };
    for (hash, have) in candidates {
        if over == 0 {
            break;
        }
        if keep == Some(hash.as_str()) {
            continue;
        }
        forget(tx, &hash)?;
        over = over.saturating_sub(have);
        freed += have;
    }
    Ok(freed)
}

/// Takes a file that came from the server off the phone (the item that carried it was
/// withdrawn); the member's own uploads stay.
pub fn forget_downloaded(tx: &Transaction<'_>, hash: &str) -> Result<()> {
    let downloaded = tx.prepare_cached("SELECT 1 FROM files WHERE hash = ?1 AND upload IS NULL")?.exists([hash])?;
    if downloaded {
        forget(tx, hash)?;
    }
    Ok(())
}

pub fn forget(tx: &Transaction<'_>, hash: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM file_chunks WHERE hash = ?1")?.execute([hash])?;
    tx.prepare_cached("DELETE FROM files WHERE hash = ?1")?.execute([hash])?;
    Ok(())
}

pub fn budget(conn: &Connection) -> Result<u64> {
    Ok(meta_get::<u64>(conn, "file_cache_budget")?.unwrap_or(DEFAULT_CACHE_BUDGET))
}

pub fn hash_of_chunks(conn: &Connection, hash: &str) -> Result<String> {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    let mut stmt = conn.prepare_cached("SELECT data FROM file_chunks WHERE hash = ?1 ORDER BY idx")?;
    for chunk in stmt.query_map([hash], |r| r.get::<_, Vec<u8>>(0))? {
        ctx.update(&chunk?);
    }
    Ok(ctx.finish().as_ref().iter().map(|b| format!("{b:02x}")).collect())
}

/// The row of a file known from an attachment (nothing held yet).
pub fn ensure_row(tx: &Transaction<'_>, a: &Attachment, now: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO files (hash, name, content_type, size, have, last_used) VALUES (?1, ?2, ?3, ?4, 0, ?5)
         ON CONFLICT (hash) DO UPDATE SET last_used = excluded.last_used",
    )?
    .execute(params![a.hash, a.name, a.content_type, a.size as i64, now])?;
    Ok(())
}

/// A file attached on this phone: its bytes are here, and it waits to be uploaded (a file that
/// came from the server is "uploaded" already and may be forwarded without its bytes).
pub fn attached(tx: &Transaction<'_>, a: &Attachment, now: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO files (hash, name, content_type, size, have, upload, last_used)
         VALUES (?1, ?2, ?3, ?4, ?4, 'pending', ?5)
         ON CONFLICT (hash) DO UPDATE SET have = excluded.have, last_used = excluded.last_used, error = NULL,
             upload = CASE WHEN upload = 'done' THEN 'done' ELSE 'pending' END",
    )?
    .execute(params![a.hash, a.name, a.content_type, a.size as i64, now])?;
    Ok(())
}

/// Uploads waiting or under way, and downloads begun but not finished, oldest use first.
pub fn transfers(c: &Connection) -> Result<Vec<FileInfo>> {
    let mut stmt = c.prepare_cached(&format!(
        "SELECT {FILE_COLUMNS} FROM files WHERE upload = 'pending' OR have < size ORDER BY last_used"
    ))?;
    Ok(stmt.query_map([], info_from_row)?.collect::<lvzhi_sql::Result<_>>()?)
}

/// The next upload to send (not refused), oldest use first.
pub fn next_upload(c: &Connection) -> Result<Option<FileInfo>> {
    Ok(c.prepare_cached(&format!(
        "SELECT {FILE_COLUMNS} FROM files WHERE upload = 'pending' AND error IS NULL ORDER BY last_used, hash LIMIT 1"
    ))?
    .query_row([], info_from_row)
    .optional()?)
}

pub fn mark_used(tx: &Transaction<'_>, hash: &str, now: i64) -> Result<()> {
    tx.prepare_cached("UPDATE files SET last_used = ?2 WHERE hash = ?1")?.execute(params![hash, now])?;
    Ok(())
}

pub fn set_pinned(tx: &Transaction<'_>, hash: &str, pinned: bool) -> Result<()> {
    tx.prepare_cached("UPDATE files SET pinned = ?2 WHERE hash = ?1")?.execute(params![hash, pinned as i64])?;
    Ok(())
}

/// What the cache holds against its budget.
pub fn usage(c: &Connection) -> Result<CacheUsage> {
    let (used, kept, files) = c.query_row(
        "SELECT coalesce(sum(have), 0),
                coalesce(sum(have) FILTER (WHERE pinned = 1 OR upload = 'pending'), 0), count(*)
         FROM files WHERE have > 0",
        [],
        |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64, r.get::<_, u32>(2)?)),
    )?;
    Ok(CacheUsage { used_bytes: used, budget_bytes: budget(c)?, kept_bytes: kept, files })
}

/// The server refused the upload, with this reason (the member sees it; nothing retries).
pub fn refuse_upload(tx: &Transaction<'_>, hash: &str, reason: &str) -> Result<()> {
    tx.prepare_cached("UPDATE files SET error = ?2 WHERE hash = ?1")?.execute(params![hash, reason])?;
    Ok(())
}

/// The server confirmed holding the upload's first `offset` bytes.
pub fn confirm_uploaded(tx: &Transaction<'_>, hash: &str, offset: u64) -> Result<()> {
    tx.prepare_cached("UPDATE files SET uploaded = ?2 WHERE hash = ?1")?.execute(params![hash, offset as i64])?;
    Ok(())
}

/// The server holds the whole file.
pub fn upload_done(tx: &Transaction<'_>, hash: &str) -> Result<()> {
    tx.prepare_cached("UPDATE files SET upload = 'done', uploaded = size, error = NULL WHERE hash = ?1")?
        .execute([hash])?;
    Ok(())
}

/// A download starts over: the bytes held so far go.
pub fn restart_download(tx: &Transaction<'_>, hash: &str) -> Result<()> {
    tx.prepare_cached("DELETE FROM file_chunks WHERE hash = ?1")?.execute([hash])?;
    tx.prepare_cached("UPDATE files SET have = 0 WHERE hash = ?1")?.execute([hash])?;
    Ok(())
}

/// One chunk of a download, committed as it arrives (`have`: the bytes before it).
pub fn downloaded_chunk(tx: &Transaction<'_>, hash: &str, have: u64, chunk: &[u8]) -> Result<()> {
    tx.prepare_cached("INSERT OR REPLACE INTO file_chunks (hash, idx, data) VALUES (?1, ?2, ?3)")?.execute(params![
        hash,
        (have / CHUNK_BYTES as u64) as i64,
        chunk
    ])?;
    tx.prepare_cached("UPDATE files SET have = ?2 WHERE hash = ?1")?
        .execute(params![hash, (have + chunk.len() as u64) as i64])?;
    Ok(())
}

//! Backups of the server's database, and putting one back.
//!
//! `backup` copies the database while the server runs: one consistent snapshot (`VACUUM INTO`
//! on a reader), writers not held up. `restore` checks a copy (it opens as a server database,
//! migrates, passes `PRAGMA integrity_check`), records the restore, and installs it in place of
//! the database (the server must be stopped). Phones that synced after the backup was taken are
//! then ahead of the server: their cursors get a reset of the scope, and their next mutations are
//! taken as they come (ids the restored server never saw are not a gap), so nothing still in a
//! phone's outbox is lost.

use std::path::Path;

use lvzhi_domain::time::{Timestamp, to_millis};
use lvzhi_store::{DbKind, Store};

use crate::audit::{self, Event, Who};

/// How far the change log's numbering jumps at a restore: more changes than a server makes
/// between a backup and its restore.
const SEQ_GAP: i64 = 1_000_000_000;

/// Copies the live database at `db` to `to`, and notes it in the audit log (the console's
/// backup status reads it).
pub fn backup(db: &Path, to: &Path) -> lvzhi_store::Result<()> {
    let store = Store::open(db, DbKind::Server)?;
    store.backup_to(to)?;
    let size = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    let detail = format!("{}（{}）", to.display(), lvzhi_domain::files::human_size(size));
    store.write(|tx| audit::record(tx, lvzhi_domain::time::now(), Event::BackupMade, Who::default(), &detail))
}

/// Checks the backup `from` and installs it as the database at `db`.
pub fn restore(from: &Path, db: &Path, now: Timestamp) -> lvzhi_store::Result<()> {
    let staging = db.with_extension("restoring");
    let _ = std::fs::remove_file(&staging);
    std::fs::copy(from, &staging).map_err(|e| io(format!("cannot copy {}: {e}", from.display())))?;
    {
        let store = Store::open(&staging, DbKind::Server)?;
        let check: String = store
            .read(|c| c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(lvzhi_store::Error::from))?;
        if check != "ok" {
            return Err(lvzhi_store::Error::Storage(lvzhi_store::StorageError::new(
                lvzhi_store::StorageErrorKind::Corrupt,
                format!("the backup fails its integrity check: {check}"),
            )));
        }
        let name = from.display().to_string();
        store.write(|tx| {
            let backup_max: i64 = tx.query_row("SELECT coalesce(max(seq), 0) FROM change_log", [], |r| r.get(0))?;
            let floor = backup_max + SEQ_GAP;
            // The next change is numbered past any cursor a phone got before the restore.
            tx.execute("DELETE FROM sqlite_sequence WHERE name = 'change_log'", [])?;
            tx.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('change_log', ?1)", [floor])?;
            tx.execute(
                "INSERT INTO restores (restored_at, from_file, backup_max, seq_floor) VALUES (?1, ?2, ?3, ?4)",
                lvzhi_sql::params![to_millis(now), name, backup_max, floor],
            )?;
            audit::record(tx, now, Event::BackupRestored, Who::default(), &name)
        })?;
        store.vacuum()?;
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    std::fs::rename(&staging, db).map_err(|e| io(format!("cannot install the backup: {e}")))?;
    Ok(())
}

fn io(detail: String) -> lvzhi_store::Error {
    lvzhi_store::Error::Storage(lvzhi_store::StorageError::new(lvzhi_store::StorageErrorKind::Io, detail))
}

/// Whether this database was ever restored from a backup.
pub fn was_restored(conn: &lvzhi_sql::Connection) -> lvzhi_store::Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM restores LIMIT 1")?.exists([])?)
}

/// Whether a phone's cursor was issued before a restore, past what the backup held: its scope
/// must start over. (One indexed lookup on a table that is almost always empty.)
pub fn cursor_before_restore(conn: &lvzhi_sql::Connection, cursor: u64) -> lvzhi_store::Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM restores WHERE ?1 > backup_max AND ?1 < seq_floor LIMIT 1")?
        .exists([cursor as i64])?)
}

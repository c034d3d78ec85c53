//! The local SQLite store: one writer connection and a few readers, in WAL mode.
//!
//! As in Mozilla's application-services, every write goes through the single writer
//! connection inside a transaction, so a crash between two statements leaves nothing half
//! done; reads run on their own connections and never wait for a write to finish.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use lvzhi_sql::Transaction;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

#[cfg(feature = "device")]
use crate::encryption::{self, DbKey};
use crate::error::{Error, Result, StorageError, StorageErrorKind};
use crate::migrations::{self, DbKind};
use crate::search;

/// How long a connection waits for another's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Reader connections kept open for reuse.
const MAX_IDLE_READERS: usize = 4;

/// A database file opened for one app (or one server), migrated to the latest schema.
pub struct Store {
    path: PathBuf,
    kind: DbKind,
    /// Phones' databases are encrypted; every connection is unlocked with this first.
    #[cfg(feature = "device")]
    key: Option<DbKey>,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

impl Store {
    /// Opens (creating if needed) the database of `kind` at `path` and migrates it to the
    /// latest schema; a file of the other kind is refused ([`StorageErrorKind::WrongDatabase`]).
    pub fn open(path: impl AsRef<Path>, kind: DbKind) -> Result<Store> {
        Self::open_with(path.as_ref(), kind, Unlock::None)
    }

    /// Like [`Store::open`], for a database encrypted with `key` (SQLCipher). A plain database
    /// at `path` is encrypted in place first, once; a wrong key is
    /// [`StorageErrorKind::WrongKey`].
    #[cfg(feature = "device")]
    pub fn open_encrypted(path: impl AsRef<Path>, kind: DbKind, key: &DbKey) -> Result<Store> {
        let path = path.as_ref();
        if encryption::is_plain(path)? {
            encryption::encrypt_in_place(path, key)?;
        }
        Self::open_with(path, kind, Unlock::Key(key.clone()))
    }

    fn open_with(path: &Path, kind: DbKind, unlock: Unlock) -> Result<Store> {
        let path = path.to_path_buf();
        let mut writer = Connection::open(&path)?;
        unlock.apply(&writer)?;
        configure(&writer)?;
        // WAL lets readers work while the writer writes; it is a property of the file.
        let mode: String = writer.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Storage(StorageError::new(
                StorageErrorKind::Other,
                format!("WAL mode unavailable (got {mode})"),
            )));
        }
        // NORMAL is durable across application crashes in WAL mode; only a power cut may lose
        // the last transactions, never corrupt the file.
        writer.pragma_update(None, "synchronous", "NORMAL")?;
        migrations::migrate(&mut writer, kind)?;
        let store = Store {
            path,
            kind,
            #[cfg(feature = "device")]
            key: match unlock {
                Unlock::Key(key) => Some(key),
                Unlock::None => None,
            },
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
        };
        if kind == DbKind::Device {
            store.write(rebuild_requested)?;
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Which kind of database this is.
    pub fn kind(&self) -> DbKind {
        self.kind
    }

    /// Runs `f` inside one immediate write transaction, committed only if `f` succeeds.
    pub fn write<T, E>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<Error>,
    {
        let mut conn = self.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| E::from(Error::from(e)))?;
        let value = f(&Transaction::sqlite(&tx))?;
        tx.commit().map_err(|e| E::from(Error::from(e)))?;
        Ok(value)
    }

    /// Writes a consistent copy of the database to `dest` while writers go on (`VACUUM INTO`
    /// on a reader: one snapshot, no lock held against the writer).
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(Error::Invalid(format!("{} already exists", dest.display())));
        }
        let conn = self.take_reader()?;
        let done = conn.execute("VACUUM INTO ?1", [dest.to_string_lossy()]).map(|_| ()).map_err(Error::from);
        self.return_reader(conn);
        done
    }

    /// Rewrites the file without free pages, so that what was deleted is not left on disk.
    pub fn vacuum(&self) -> Result<()> {
        let conn = self.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // The old pages would otherwise live on in the write-ahead log until a checkpoint.
        conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }

    /// Runs `f` on a reader connection inside a read transaction, so that it sees one
    /// consistent snapshot however many queries it makes.
    pub fn read<T, E>(
        &self,
        f: impl FnOnce(&lvzhi_sql::Connection<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<Error>,
    {
        let mut conn = match self.take_reader() {
            Ok(c) => c,
            Err(e) => return Err(E::from(e)),
        };
        let result = (|| {
            let tx =
                conn.transaction_with_behavior(TransactionBehavior::Deferred).map_err(|e| E::from(Error::from(e)))?;
            let value = f(&lvzhi_sql::Connection::sqlite(&tx))?;
            tx.finish().map_err(|e| E::from(Error::from(e)))?;
            Ok(value)
        })();
        self.return_reader(conn);
        result
    }

    fn take_reader(&self) -> Result<Connection> {
        if let Some(conn) = self.lock_readers().pop() {
            return Ok(conn);
        }
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )?;
        #[cfg(feature = "device")]
        if let Some(key) = &self.key {
            encryption::unlock(&conn, key)?;
        }
        configure(&conn)?;
        Ok(conn)
    }

    fn return_reader(&self, conn: Connection) {
        let mut idle = self.lock_readers();
        if idle.len() < MAX_IDLE_READERS {
            idle.push(conn);
        }
    }

    fn lock_readers(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        self.readers.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// How a new connection is unlocked: a phone's database with its key (SQLCipher), a server's
/// not at all.
enum Unlock {
    None,
    #[cfg(feature = "device")]
    Key(DbKey),
}

impl Unlock {
    fn apply(&self, _conn: &Connection) -> Result<()> {
        match self {
            Unlock::None => Ok(()),
            #[cfg(feature = "device")]
            Unlock::Key(key) => encryption::unlock(_conn, key),
        }
    }
}

/// Rebuilds the derived data that migrations asked for, with today's code.
fn rebuild_requested(tx: &Transaction<'_>) -> Result<()> {
    let names: Vec<String> = {
        let mut stmt = tx.prepare("SELECT name FROM rebuild_requests")?;
        stmt.query_map([], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?
    };
    for name in names {
        match name.as_str() {
            "proposal_search" => search::reindex_all_proposals(tx)?,
            "chat_search" => search::reindex_all_messages(tx)?,
            other => {
                return Err(Error::Storage(StorageError::new(
                    StorageErrorKind::TooNew,
                    format!("unknown rebuild request {other}"),
                )));
            }
        }
        tx.execute("DELETE FROM rebuild_requests WHERE name = ?1", [&name])?;
    }
    Ok(())
}

/// Settings every connection needs (they are per connection, not per file).
fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // The writer runs well over a hundred distinct statements (every module's); a smaller cache
    // made it parse them again and again.
    conn.set_prepared_statement_cache_capacity(256);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pragma(store: &Store, name: &str) -> String {
        store
            .read(|c| {
                c.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, lvzhi_sql::Value>(0)).map_err(Error::from)
            })
            .map(|v| match v {
                lvzhi_sql::Value::Integer(i) => i.to_string(),
                lvzhi_sql::Value::Text(s) => s,
                other => format!("{other:?}"),
            })
            .unwrap()
    }

    #[test]
    fn opens_in_wal_with_foreign_keys_and_memory_temp_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("a.db"), DbKind::Device).unwrap();
        assert_eq!(pragma(&store, "journal_mode"), "wal");
        assert_eq!(pragma(&store, "foreign_keys"), "1");
        assert_eq!(pragma(&store, "temp_store"), "2");
        assert_eq!(pragma(&store, "busy_timeout"), "5000");
        assert_eq!(pragma(&store, "user_version"), migrations::SPLIT_USER_VERSION.to_string());
        assert_eq!(pragma(&store, "application_id"), DbKind::Device.application_id().to_string());
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("a.db"), DbKind::Device).unwrap();
        let result: Result<()> = store.write(|tx| {
            tx.execute("INSERT INTO people (id, name) VALUES ('p1', '张明')", [])?;
            // The second statement breaks a constraint: the first must be rolled back too.
            tx.execute("INSERT INTO people (id, name) VALUES ('p1', '李华')", [])?;
            Ok(())
        });
        assert!(result.is_err());
        let count: i64 =
            store.read(|c| c.query_row("SELECT count(*) FROM people", [], |r| r.get(0)).map_err(Error::from)).unwrap();
        assert_eq!(count, 0);
    }

    #[test]
    fn readers_see_committed_writes_and_reopen_keeps_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        {
            let store = Store::open(&path, DbKind::Device).unwrap();
            store
                .write(|tx| {
                    tx.execute("INSERT INTO people (id, name) VALUES ('p1', '张明')", [])?;
                    Ok::<_, Error>(())
                })
                .unwrap();
            let name: String =
                store.read(|c| c.query_row("SELECT name FROM people", [], |r| r.get(0)).map_err(Error::from)).unwrap();
            assert_eq!(name, "张明");
        }
        let store = Store::open(&path, DbKind::Device).unwrap();
        let name: String =
            store.read(|c| c.query_row("SELECT name FROM people", [], |r| r.get(0)).map_err(Error::from)).unwrap();
        assert_eq!(name, "张明");
    }
}

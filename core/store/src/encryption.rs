//! Encryption at rest for phones: SQLCipher (AES-256, through rusqlite's bundled SQLCipher) with
//! a raw 256-bit key that the platform keeps (Android Keystore, the iOS Keychain) and hands in
//! through the FFI. A raw key (`x'…'`) skips SQLCipher's key derivation, so opening is quick on
//! a cheap phone; the key never reaches the disk or a log.
//!
//! Why SQLCipher: it is what rusqlite bundles for the job, it encrypts every page (the WAL too),
//! and on Apple platforms it uses CommonCrypto, so only Android needs OpenSSL (vendored by
//! `lvzhi-ffi`'s `vendored-openssl` feature).

use std::fmt;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use crate::error::{Error, Result, StorageError, StorageErrorKind};

/// The key of an encrypted device database: 32 bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct DbKey([u8; 32]);

impl DbKey {
    pub const LEN: usize = 32;

    /// The key from the platform's bytes; anything but 32 bytes is refused.
    pub fn from_bytes(bytes: &[u8]) -> Result<DbKey> {
        let key: [u8; 32] = bytes.try_into().map_err(|_| Error::Invalid(format!("数据库密钥应为{}字节", Self::LEN)))?;
        Ok(DbKey(key))
    }

    /// SQLCipher's raw-key literal.
    fn literal(&self) -> String {
        format!("\"x'{}'\"", lvzhi_domain::ids::hex(&self.0))
    }
}

impl fmt::Debug for DbKey {
    /// Never prints the key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DbKey(…)")
    }
}

fn wrong_key() -> Error {
    Error::Storage(StorageError::new(StorageErrorKind::WrongKey, "the key does not open this database"))
}

/// Keys a fresh connection; the first read then tells a wrong key from a right one.
pub(crate) fn unlock(conn: &Connection, key: &DbKey) -> Result<()> {
    conn.execute_batch(&format!("PRAGMA key = {};", key.literal()))?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(()),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => Err(wrong_key()),
        Err(e) => Err(e.into()),
    }
}

/// Whether the file at `path` is a plain (unencrypted) SQLite database.
pub(crate) fn is_plain(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut header = [0u8; 16];
    match std::fs::File::open(path) {
        Ok(mut f) => Ok(f.read_exact(&mut header).is_ok() && &header == b"SQLite format 3\0"),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(Error::Storage(StorageError::new(StorageErrorKind::Io, e.to_string()))),
    }
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(suffix);
    PathBuf::from(s)
}

/// Turns the plain database at `path` into an encrypted one with `key`, once, at open: the
/// data is exported into a new encrypted file which then replaces the plain one by a rename
/// (atomic: a crash leaves either the plain file or the encrypted one, never half of each).
pub(crate) fn encrypt_in_place(path: &Path, key: &DbKey) -> Result<()> {
    let tmp = sidecar(path, ".encrypting");
    let _ = std::fs::remove_file(&tmp);
    {
        let conn = Connection::open(path)?;
        // Everything in the WAL goes into the main file first.
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        let user_version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let application_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        conn.execute("ATTACH DATABASE ?1 AS encrypted KEY ''", [tmp.to_string_lossy()])?;
        conn.execute_batch(&format!("PRAGMA encrypted.key = {};", key.literal()))?;
        conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        conn.execute_batch(&format!(
            "PRAGMA encrypted.user_version = {user_version}; PRAGMA encrypted.application_id = {application_id};
             DETACH DATABASE encrypted;"
        ))?;
    }
    let io = |e: std::io::Error| Error::Storage(StorageError::new(StorageErrorKind::Io, e.to_string()));
    std::fs::rename(&tmp, path).map_err(io)?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(sidecar(path, suffix));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DbKind, Store};

    const DRAFT: &str = "关于宾川县葡萄冻害后补种扶持的提案草稿";

    fn key(b: u8) -> DbKey {
        DbKey::from_bytes(&[b; 32]).unwrap()
    }

    fn write_draft(store: &Store) {
        store
            .write(|tx| {
                tx.execute("INSERT INTO people (id, name) VALUES ('p1', ?1)", [DRAFT])?;
                Ok::<_, Error>(())
            })
            .unwrap();
        store.vacuum().unwrap();
    }

    fn on_disk(path: &Path) -> Vec<u8> {
        let mut bytes = std::fs::read(path).unwrap();
        bytes.extend(std::fs::read(sidecar(path, "-wal")).unwrap_or_default());
        bytes
    }

    fn contains(haystack: &[u8], needle: &str) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
    }

    fn read_draft(store: &Store) -> String {
        store
            .read(|c| c.query_row("SELECT name FROM people WHERE id = 'p1'", [], |r| r.get(0)).map_err(Error::from))
            .unwrap()
    }

    #[test]
    fn the_file_holds_none_of_the_text_and_opens_only_with_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("phone.db");
        {
            let store = Store::open_encrypted(&path, DbKind::Device, &key(7)).unwrap();
            write_draft(&store);
            assert!(!contains(&on_disk(&path), DRAFT), "the draft's text is on disk in the clear");
        }
        let wrong = Store::open_encrypted(&path, DbKind::Device, &key(8)).err().unwrap();
        assert_eq!(wrong.storage_kind(), Some(StorageErrorKind::WrongKey));
        let plain = Store::open(&path, DbKind::Device).err().unwrap();
        assert!(plain.storage_kind().is_some(), "{plain:?}");
        let store = Store::open_encrypted(&path, DbKind::Device, &key(7)).unwrap();
        assert_eq!(read_draft(&store), DRAFT);
        assert!(DbKey::from_bytes(&[1; 16]).is_err());
        assert_eq!(format!("{:?}", key(7)), "DbKey(…)");
    }

    #[test]
    fn a_plain_database_is_encrypted_in_place_once_and_keeps_everything() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("phone.db");
        {
            let store = Store::open(&path, DbKind::Device).unwrap();
            write_draft(&store);
            assert!(contains(&on_disk(&path), DRAFT), "a plain file shows its text");
        }
        {
            let store = Store::open_encrypted(&path, DbKind::Device, &key(9)).unwrap();
            assert_eq!(read_draft(&store), DRAFT);
            assert_eq!(store.kind(), DbKind::Device);
        }
        assert!(!is_plain(&path).unwrap());
        assert!(!contains(&on_disk(&path), DRAFT));
        // Opening again finds it encrypted and does nothing more.
        let store = Store::open_encrypted(&path, DbKind::Device, &key(9)).unwrap();
        assert_eq!(read_draft(&store), DRAFT);
    }
}

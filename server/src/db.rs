//! Where the server keeps its data: an embedded SQLite file (the default; one process) or a
//! PostgreSQL database (several server processes sharing it).
//!
//! One interface for both: [`Db::write`] runs a closure in a read-write transaction and
//! [`Db::read`] in a read-only snapshot, and the closures get the same `lvzhi_sql` transaction
//! and connection either way. So every statement the server runs, and every domain decision
//! (`lvzhi_store::mutation::apply`, the phone's own code), is one piece of code on both engines;
//! only the few statements that must differ ask [`lvzhi_sql::Connection::dialect`].

use std::fmt;
use std::path::{Path, PathBuf};

use lvzhi_sql::{Connection, Dialect, Transaction};
use lvzhi_store::{DbKind, Error, Store};

/// Where the database is, as given to `--db`.
#[derive(Clone, PartialEq, Eq)]
pub enum DbLocation {
    /// An SQLite file, created and migrated at start.
    File(PathBuf),
    /// A PostgreSQL connection string (`postgres://user@host/db` or `host=... dbname=...`).
    Postgres(String),
}

impl DbLocation {
    /// `postgres://`, `postgresql://` or a libpq `key=value` string is PostgreSQL; anything else
    /// is a file.
    pub fn parse(s: &str) -> DbLocation {
        let t = s.trim();
        let url = t.starts_with("postgres://") || t.starts_with("postgresql://");
        let key_values = t.split_whitespace().all(|kv| kv.contains('='))
            && t.split_whitespace().any(|kv| kv.starts_with("host=") || kv.starts_with("dbname="));
        if url || key_values { DbLocation::Postgres(t.to_owned()) } else { DbLocation::File(PathBuf::from(s)) }
    }

    /// The SQLite file, if this is one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            DbLocation::File(p) => Some(p),
            DbLocation::Postgres(_) => None,
        }
    }
}

impl From<PathBuf> for DbLocation {
    fn from(p: PathBuf) -> Self {
        DbLocation::File(p)
    }
}

impl From<&Path> for DbLocation {
    fn from(p: &Path) -> Self {
        DbLocation::File(p.to_path_buf())
    }
}

impl From<&PathBuf> for DbLocation {
    fn from(p: &PathBuf) -> Self {
        DbLocation::File(p.clone())
    }
}

impl From<&str> for DbLocation {
    fn from(s: &str) -> Self {
        DbLocation::parse(s)
    }
}

impl From<String> for DbLocation {
    fn from(s: String) -> Self {
        DbLocation::parse(&s)
    }
}

impl fmt::Display for DbLocation {
    // A connection string may carry a password: name only where it points.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbLocation::File(p) => write!(f, "{}", p.display()),
            DbLocation::Postgres(url) => {
                let keep = |kv: &&str| ["host=", "port=", "dbname="].iter().any(|k| kv.starts_with(k));
                if let Some(at) = url.rfind('@') {
                    write!(f, "postgres://…@{}", &url[at + 1..])
                } else if url.contains("://") {
                    write!(f, "{url}")
                } else {
                    // A later key overrides an earlier one, as libpq reads it.
                    let mut kept: Vec<&str> = Vec::new();
                    for kv in url.split_whitespace().filter(keep) {
                        let key = kv.split('=').next().unwrap_or("");
                        kept.retain(|k| k.split('=').next() != Some(key));
                        kept.push(kv);
                    }
                    write!(f, "PostgreSQL {}", kept.join(" "))
                }
            }
        }
    }
}

impl fmt::Debug for DbLocation {
    // A connection string may carry a password: never print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbLocation::File(p) => write!(f, "File({})", p.display()),
            DbLocation::Postgres(_) => write!(f, "Postgres(…)"),
        }
    }
}

/// Connections a server process keeps to PostgreSQL: the writer's, the long-poll listener's,
/// and enough for reads and logins at once.
const PG_POOL_SIZE: usize = 16;

/// The server's database.
pub enum Db {
    Sqlite(Store),
    Postgres(lvzhi_sql::postgres::Pool),
}

impl Db {
    /// Opens the database at `location`, migrating it to the newest schema. PostgreSQL needs
    /// to be opened from inside the tokio runtime that will serve it.
    pub fn open(location: &DbLocation) -> lvzhi_store::Result<Db> {
        match location {
            DbLocation::File(path) => Ok(Db::Sqlite(Store::open(path, DbKind::Server)?)),
            DbLocation::Postgres(url) => {
                let pool = lvzhi_sql::postgres::Pool::new(url, PG_POOL_SIZE)?;
                let db = Db::Postgres(pool);
                db.write(lvzhi_store::migrations::postgres::migrate)?;
                Ok(db)
            }
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The SQLite store, when the server runs on one (backups, `VACUUM`).
    pub fn sqlite(&self) -> Option<&Store> {
        match self {
            Db::Sqlite(s) => Some(s),
            Db::Postgres(_) => None,
        }
    }

    /// Runs `f` in one read-write transaction, committed only if `f` succeeds.
    pub fn write<T, E: From<Error>>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E> {
        match self {
            Db::Sqlite(store) => store.write(f),
            Db::Postgres(pool) => {
                let session = pool.session().map_err(|e| E::from(e.into()))?;
                session.write(|tx| f(tx).map_err(Wrapped::Caller)).map_err(Wrapped::into_caller)
            }
        }
    }

    /// Runs `f` on one consistent snapshot.
    pub fn read<T, E: From<Error>>(&self, f: impl FnOnce(&Connection<'_>) -> Result<T, E>) -> Result<T, E> {
        match self {
            Db::Sqlite(store) => store.read(f),
            Db::Postgres(pool) => {
                let session = pool.session().map_err(|e| E::from(e.into()))?;
                session.read(|c| f(c).map_err(Wrapped::Caller)).map_err(Wrapped::into_caller)
            }
        }
    }
}

/// The caller's error or the engine's, through a PostgreSQL session (whose own errors are
/// `lvzhi_sql::Error`).
enum Wrapped<E> {
    Caller(E),
    Sql(lvzhi_sql::Error),
}

impl<E> From<lvzhi_sql::Error> for Wrapped<E> {
    fn from(e: lvzhi_sql::Error) -> Self {
        Wrapped::Sql(e)
    }
}

impl<E: From<Error>> Wrapped<E> {
    fn into_caller(self) -> E {
        match self {
            Wrapped::Caller(e) => e,
            Wrapped::Sql(e) => E::from(Error::from(e)),
        }
    }
}

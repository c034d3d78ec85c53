//! The PostgreSQL engine: tokio-postgres connections from a deadpool pool.
//!
//! Why these: tokio-postgres is the maintained native driver (binary protocol, pipelining,
//! LISTEN/NOTIFY on the same connection type), deadpool-postgres the small pool made for it,
//! with a per-connection statement cache; sqlx would bring its own pool, macros and query
//! types for code that already has its SQL. The store's code is synchronous (the phone runs the
//! same code on SQLite), so a [`Session`] waits on the server's runtime: it is used from
//! blocking threads (the writer thread, `spawn_blocking`), and on a worker of a multi-threaded
//! runtime it steps aside with `block_in_place` first. A single-threaded runtime would deadlock
//! and gets an error instead.

use std::cell::Cell;
use std::future::Future;

use deadpool_postgres::{Config, Runtime};
use tokio::runtime::{Handle, RuntimeFlavor};
use tokio_postgres::NoTls;
use tokio_postgres::types::{ToSql as PgToSql, Type};

use crate::error::{Error, Result};
use crate::{Dialect, Statement, StatementInner, ToSql, Transaction, ValueRef, to_postgres};

/// A pool of connections to one PostgreSQL database.
#[derive(Clone)]
pub struct Pool {
    pool: deadpool_postgres::Pool,
    rt: Handle,
}

impl Pool {
    /// A pool of at most `max_size` connections to `url` (`postgres://user@host:port/db` or
    /// `host=/run/postgresql dbname=lvzhi`). Call from inside the tokio runtime that will run
    /// the connections; nothing connects until a session is asked for.
    pub fn new(url: &str, max_size: usize) -> Result<Pool> {
        let rt =
            Handle::try_current().map_err(|_| Error::Connection("a PostgreSQL pool needs a tokio runtime".into()))?;
        let mut cfg = Config::new();
        cfg.url = Some(url.to_owned());
        cfg.pool = Some(deadpool_postgres::PoolConfig::new(max_size));
        let pool = cfg
            .create_pool(Some(Runtime::Tokio1), NoTls)
            .map_err(|e| Error::Connection(format!("PostgreSQL pool for {}: {e}", redact(url))))?;
        Ok(Pool { pool, rt })
    }

    /// A connection for one unit of work, waiting for one to be free.
    pub fn session(&self) -> Result<Session> {
        let client = block(&self.rt, self.pool.get())?.map_err(|e| Error::Connection(format!("PostgreSQL: {e}")))?;
        Ok(Session { client, rt: self.rt.clone(), changes: Cell::new(0) })
    }

    /// Like [`Pool::session`], from async code.
    pub async fn session_async(&self) -> Result<Session> {
        let client = self.pool.get().await.map_err(|e| Error::Connection(format!("PostgreSQL: {e}")))?;
        Ok(Session { client, rt: self.rt.clone(), changes: Cell::new(0) })
    }
}

/// A URL with its password hidden, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user_info = &url[scheme + 3..at];
            let user = user_info.split(':').next().unwrap_or("");
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// One pooled connection, returned to the pool when dropped.
pub struct Session {
    client: deadpool_postgres::Object,
    rt: Handle,
    changes: Cell<u64>,
}

fn block<F: Future>(rt: &Handle, f: F) -> Result<F::Output> {
    match Handle::try_current() {
        Ok(h) if h.runtime_flavor() == RuntimeFlavor::CurrentThread => Err(Error::Connection(
            "a PostgreSQL statement was run on an async task of a single-threaded runtime".into(),
        )),
        Ok(_) => Ok(tokio::task::block_in_place(|| rt.block_on(f))),
        Err(_) => Ok(rt.block_on(f)),
    }
}

/// Rolls back a transaction that did not finish (an error or a panic in the caller's code), so
/// that the connection goes back to the pool clean.
struct Open<'s> {
    session: &'s Session,
    done: bool,
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.session.execute_batch("ROLLBACK");
        }
    }
}

impl Session {
    /// Runs `f` in one read-write transaction (READ COMMITTED unless `begin` says otherwise),
    /// committed only if `f` succeeds.
    pub fn write<T, E: From<Error>>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T, E>) -> Result<T, E> {
        self.in_transaction("BEGIN", f)
    }

    /// Runs `f` in a read-only transaction that sees one snapshot however many queries it makes.
    pub fn read<T, E: From<Error>>(&self, f: impl FnOnce(&crate::Connection<'_>) -> Result<T, E>) -> Result<T, E> {
        self.in_transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", |tx| f(tx))
    }

    /// Runs `f` in a transaction opened with `begin` (for example
    /// `BEGIN ISOLATION LEVEL SERIALIZABLE`).
    pub fn in_transaction<T, E: From<Error>>(
        &self,
        begin: &str,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        self.execute_batch(begin)?;
        let mut open = Open { session: self, done: false };
        let value = f(&Transaction::postgres(self))?;
        open.done = true;
        self.execute_batch("COMMIT")?;
        Ok(value)
    }

    /// Statements outside a transaction (each its own), for schema changes and maintenance.
    pub fn connection(&self) -> crate::Connection<'_> {
        *Transaction::postgres(self)
    }

    /// The driver's client, for what this API does not cover (LISTEN, COPY).
    pub fn client(&self) -> &tokio_postgres::Client {
        &self.client
    }

    pub(crate) fn prepare(&self, sql: &str) -> Result<Statement<'_>> {
        let translated = to_postgres(sql);
        let stmt = block(&self.rt, self.client.prepare_cached(&translated))??;
        Ok(Statement { inner: StatementInner::Postgres(self, stmt) })
    }

    pub(crate) fn execute_batch(&self, sql: &str) -> Result<()> {
        Ok(block(&self.rt, self.client.batch_execute(sql))??)
    }

    pub(crate) fn execute(&self, stmt: &tokio_postgres::Statement, params: &[&dyn ToSql]) -> Result<usize> {
        let converted = convert_params(stmt, params)?;
        let refs: Vec<&(dyn PgToSql + Sync)> = converted.iter().map(|p| p.as_ref()).collect();
        let n = block(&self.rt, self.client.execute(stmt, &refs))??;
        self.changes.set(n);
        Ok(n as usize)
    }

    pub(crate) fn query(
        &self,
        stmt: &tokio_postgres::Statement,
        params: &[&dyn ToSql],
    ) -> Result<Vec<tokio_postgres::Row>> {
        let converted = convert_params(stmt, params)?;
        let refs: Vec<&(dyn PgToSql + Sync)> = converted.iter().map(|p| p.as_ref()).collect();
        Ok(block(&self.rt, self.client.query(stmt, &refs))??)
    }

    pub(crate) fn changes(&self) -> u64 {
        self.changes.get()
    }

    pub fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }
}

type Param<'a> = Box<dyn PgToSql + Sync + 'a>;

/// Each parameter as the type PostgreSQL inferred for it: the store binds SQLite's classes
/// (integer, real, text, blob), and a number bound where text is expected is written as text.
fn convert_params<'a>(stmt: &tokio_postgres::Statement, params: &'a [&'a dyn ToSql]) -> Result<Vec<Param<'a>>> {
    let types = stmt.params();
    if types.len() != params.len() {
        return Err(Error::conversion(
            "parameters",
            format!("the statement takes {} parameters, {} were given", types.len(), params.len()),
        ));
    }
    params.iter().zip(types).enumerate().map(|(i, (p, ty))| convert(p.to_sql()?, ty, i + 1)).collect()
}

fn convert<'a>(v: ValueRef<'a>, ty: &Type, at: usize) -> Result<Param<'a>> {
    let wrong = || Error::conversion(format!("parameter {at}"), format!("{v:?} cannot be bound as {ty}"));
    let int = |v: ValueRef<'a>| -> Result<Option<i64>> {
        match v {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(i) => Ok(Some(i)),
            ValueRef::Text(s) => s.trim().parse().map(Some).map_err(|_| wrong()),
            ValueRef::Real(f) if f.fract() == 0.0 => Ok(Some(f as i64)),
            _ => Err(wrong()),
        }
    };
    Ok(if *ty == Type::INT8 {
        Box::new(int(v)?)
    } else if *ty == Type::INT4 {
        Box::new(int(v)?.map(i32::try_from).transpose().map_err(|_| wrong())?)
    } else if *ty == Type::INT2 {
        Box::new(int(v)?.map(i16::try_from).transpose().map_err(|_| wrong())?)
    } else if *ty == Type::BOOL {
        Box::new(int(v)?.map(|i| i != 0))
    } else if *ty == Type::FLOAT8 || *ty == Type::FLOAT4 || *ty == Type::NUMERIC {
        let f = match v {
            ValueRef::Null => None,
            ValueRef::Integer(i) => Some(i as f64),
            ValueRef::Real(f) => Some(f),
            _ => return Err(wrong()),
        };
        if *ty == Type::FLOAT4 { Box::new(f.map(|f| f as f32)) } else { Box::new(f) }
    } else if *ty == Type::TEXT
        || *ty == Type::VARCHAR
        || *ty == Type::BPCHAR
        || *ty == Type::NAME
        || *ty == Type::UNKNOWN
    {
        match v {
            ValueRef::Null => Box::new(None::<&str>),
            ValueRef::Text(s) => Box::new(s),
            ValueRef::Integer(i) => Box::new(i.to_string()),
            ValueRef::Real(f) => Box::new(f.to_string()),
            ValueRef::Blob(_) => return Err(wrong()),
        }
    } else if *ty == Type::BYTEA {
        match v {
            ValueRef::Null => Box::new(None::<&[u8]>),
            ValueRef::Blob(b) => Box::new(b),
            ValueRef::Text(s) => Box::new(s.as_bytes()),
            _ => return Err(wrong()),
        }
    } else {
        return Err(wrong());
    })
}

/// Column `i` of `row` as SQLite's classes, through `f`.
pub(crate) fn column<T>(
    row: &tokio_postgres::Row,
    i: usize,
    f: impl FnOnce(ValueRef<'_>) -> std::result::Result<T, String>,
) -> Result<std::result::Result<T, String>> {
    let ty = row.columns()[i].type_();
    let v = if *ty == Type::INT8 {
        row.try_get::<_, Option<i64>>(i)?.map(ValueRef::Integer)
    } else if *ty == Type::INT4 {
        row.try_get::<_, Option<i32>>(i)?.map(|v| ValueRef::Integer(v.into()))
    } else if *ty == Type::INT2 {
        row.try_get::<_, Option<i16>>(i)?.map(|v| ValueRef::Integer(v.into()))
    } else if *ty == Type::BOOL {
        row.try_get::<_, Option<bool>>(i)?.map(|v| ValueRef::Integer(v.into()))
    } else if *ty == Type::OID {
        row.try_get::<_, Option<u32>>(i)?.map(|v| ValueRef::Integer(v.into()))
    } else if *ty == Type::FLOAT8 {
        row.try_get::<_, Option<f64>>(i)?.map(ValueRef::Real)
    } else if *ty == Type::FLOAT4 {
        row.try_get::<_, Option<f32>>(i)?.map(|v| ValueRef::Real(v.into()))
    } else if *ty == Type::TEXT
        || *ty == Type::VARCHAR
        || *ty == Type::BPCHAR
        || *ty == Type::NAME
        || *ty == Type::UNKNOWN
    {
        row.try_get::<_, Option<&str>>(i)?.map(ValueRef::Text)
    } else if *ty == Type::BYTEA {
        row.try_get::<_, Option<&[u8]>>(i)?.map(ValueRef::Blob)
    } else {
        return Ok(Err(format!(
            "PostgreSQL type {ty} is not read by the store (CAST it to BIGINT, DOUBLE PRECISION or TEXT)"
        )));
    };
    Ok(f(v.unwrap_or(ValueRef::Null)))
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(redact("postgres://lvzhi:secret@db.example:5432/lvzhi"), "postgres://lvzhi@db.example:5432/lvzhi");
        assert_eq!(redact("host=/tmp dbname=lvzhi"), "host=/tmp dbname=lvzhi");
    }
}

/// For tests: a fresh, empty database on the cluster named by `LVZHI_TEST_POSTGRES` (what
/// `scripts/pg start` prints; `scripts/test` sets it). Without that variable PostgreSQL tests
/// are skipped, unless `LVZHI_REQUIRE_POSTGRES` is set, as in `scripts/test`, where a missing
/// cluster fails them.
pub mod testing {
    use std::sync::atomic::{AtomicU32, Ordering};

    /// The connection string of a new database, or `None` when PostgreSQL tests are skipped.
    pub fn fresh_database(hint: &str) -> Option<String> {
        let Ok(url) = std::env::var("LVZHI_TEST_POSTGRES") else {
            assert!(
                std::env::var_os("LVZHI_REQUIRE_POSTGRES").is_none(),
                "LVZHI_REQUIRE_POSTGRES is set but LVZHI_TEST_POSTGRES is not: start a cluster with scripts/pg start"
            );
            eprintln!("skipped on PostgreSQL: set LVZHI_TEST_POSTGRES (scripts/pg start prints it)");
            return None;
        };
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let clean: String =
            hint.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
        let name = format!("t_{}_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed), clean);
        let name: String = name.chars().take(63).collect();
        // On a thread of its own: tests call this from inside their runtime.
        let admin_url = url.clone();
        let create = name.clone();
        std::thread::spawn(move || create_database(&admin_url, &create)).join().expect("create a test database");
        Some(format!("{url} dbname={name}"))
    }

    /// A fresh database and a pool of `size` connections to it, on a runtime of its own (kept
    /// alive by the caller), or `None` when PostgreSQL tests are skipped.
    pub fn pool(hint: &str, size: usize) -> Option<(tokio::runtime::Runtime, super::Pool)> {
        let url = fresh_database(hint)?;
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
        let pool = {
            let _in_rt = rt.enter();
            super::Pool::new(&url, size).expect("a pool")
        };
        Some((rt, pool))
    }

    fn create_database(url: &str, name: &str) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        rt.block_on(async {
            let (client, conn) =
                tokio_postgres::connect(url, tokio_postgres::NoTls).await.expect("connect to the test cluster");
            let task = tokio::spawn(conn);
            // Two statements: a batch would run them as one transaction, which CREATE DATABASE refuses.
            client.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).await.expect("drop an old test database");
            client.batch_execute(&format!("CREATE DATABASE {name}")).await.expect("create a test database");
            drop(client);
            let _ = task.await;
        });
    }
}

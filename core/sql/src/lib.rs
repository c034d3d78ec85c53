//! One API for the statements the store runs, on either engine: SQLite (every phone, and the
//! server by default) or PostgreSQL (servers that share one database, feature `postgres`).
//!
//! The API follows rusqlite's (`execute`, `query_row`, `prepare_cached`, `query_map`,
//! `optional()`, `params!`) so that the store's code reads the same as before and the domain's
//! writes are one piece of code on the phone and on either server. On SQLite it is a thin layer
//! over rusqlite: parameters bind borrowed, rows are read in place. On PostgreSQL statements are
//! prepared once per connection, parameters are converted to the types the server inferred for
//! them, and the blocking calls wait on the server's tokio runtime (see `postgres.rs`).

mod dialect;
mod error;
#[cfg(feature = "postgres")]
pub mod postgres;
mod value;

use std::ops::Deref;

pub use dialect::{Dialect, to_postgres};
pub use error::{Error, OptionalExtension, Result};
pub use value::{FromSql, ToSql, Value, ValueRef};

/// Parameters as a slice, the shape every statement takes: `params![a, b]`.
#[macro_export]
macro_rules! params {
    () => {
        &[] as &[&dyn $crate::ToSql]
    };
    ($($p:expr),+ $(,)?) => {
        &[$(&$p as &dyn $crate::ToSql),+] as &[&dyn $crate::ToSql]
    };
}

/// What a statement's parameters can be given as: `params![...]`, `[]`, `[a]`, `[a, b]`, `&[a]`.
pub trait Params {
    fn with_params<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R;
}

impl Params for &[&dyn ToSql] {
    fn with_params<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        f(self)
    }
}

impl Params for [&dyn ToSql; 0] {
    fn with_params<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
        f(&[])
    }
}

macro_rules! array_params {
    ($($n:literal)*) => {$(
        impl<T: ToSql> Params for [T; $n] {
            fn with_params<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
                let refs: [&dyn ToSql; $n] = self.each_ref().map(|p| p as &dyn ToSql);
                f(&refs)
            }
        }
        impl<T: ToSql> Params for &[T; $n] {
            fn with_params<R>(self, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
                let refs: [&dyn ToSql; $n] = self.each_ref().map(|p| p as &dyn ToSql);
                f(&refs)
            }
        }
    )*};
}
array_params!(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16);

/// A column by position or by name.
pub trait RowIndex: Copy {
    #[doc(hidden)]
    fn sqlite_index(self, row: &rusqlite::Row<'_>) -> rusqlite::Result<usize>;
    #[doc(hidden)]
    fn position(self, names: &mut dyn Iterator<Item = &str>) -> Option<usize>;
    #[doc(hidden)]
    fn describe(self) -> String;
}

impl RowIndex for usize {
    fn sqlite_index(self, _: &rusqlite::Row<'_>) -> rusqlite::Result<usize> {
        Ok(self)
    }
    fn position(self, names: &mut dyn Iterator<Item = &str>) -> Option<usize> {
        let count = names.count();
        (self < count).then_some(self)
    }
    fn describe(self) -> String {
        format!("column {self}")
    }
}

impl RowIndex for &str {
    fn sqlite_index(self, row: &rusqlite::Row<'_>) -> rusqlite::Result<usize> {
        row.as_ref().column_index(self)
    }
    fn position(self, names: &mut dyn Iterator<Item = &str>) -> Option<usize> {
        for (i, n) in names.enumerate() {
            if n.eq_ignore_ascii_case(self) {
                return Some(i);
            }
        }
        None
    }
    fn describe(self) -> String {
        format!("column {self}")
    }
}

#[derive(Clone, Copy)]
enum Engine<'c> {
    Sqlite(&'c rusqlite::Connection),
    #[cfg(feature = "postgres")]
    Postgres(&'c postgres::Session),
}

/// A connection to run statements on, inside a transaction the caller opened (reads see one
/// snapshot). Functions that only read take `&Connection`.
#[derive(Clone, Copy)]
pub struct Connection<'c> {
    engine: Engine<'c>,
}

/// A connection inside a write transaction: storage writes take `&Transaction`, and it reads
/// like a [`Connection`].
pub struct Transaction<'c> {
    conn: Connection<'c>,
}

impl<'c> Deref for Transaction<'c> {
    type Target = Connection<'c>;
    fn deref(&self) -> &Connection<'c> {
        &self.conn
    }
}

impl<'c> Transaction<'c> {
    /// Statements on a rusqlite transaction (or a connection the caller already put in one).
    pub fn sqlite(conn: &'c rusqlite::Connection) -> Transaction<'c> {
        Transaction { conn: Connection::sqlite(conn) }
    }

    #[cfg(feature = "postgres")]
    pub(crate) fn postgres(session: &'c postgres::Session) -> Transaction<'c> {
        Transaction { conn: Connection { engine: Engine::Postgres(session) } }
    }
}

fn bind<'a>(params: &'a [&'a dyn ToSql]) -> Result<Vec<rusqlite::types::ToSqlOutput<'a>>> {
    params
        .iter()
        .map(|p| {
            Ok(rusqlite::types::ToSqlOutput::Borrowed(match p.to_sql()? {
                ValueRef::Null => rusqlite::types::ValueRef::Null,
                ValueRef::Integer(i) => rusqlite::types::ValueRef::Integer(i),
                ValueRef::Real(f) => rusqlite::types::ValueRef::Real(f),
                ValueRef::Text(s) => rusqlite::types::ValueRef::Text(s.as_bytes()),
                ValueRef::Blob(b) => rusqlite::types::ValueRef::Blob(b),
            }))
        })
        .collect()
}

impl<'c> Connection<'c> {
    /// Statements on a rusqlite connection (the caller decides about transactions).
    pub fn sqlite(conn: &'c rusqlite::Connection) -> Connection<'c> {
        Connection { engine: Engine::Sqlite(conn) }
    }

    /// Which engine this is, for the few statements written twice.
    pub fn dialect(&self) -> Dialect {
        match self.engine {
            Engine::Sqlite(_) => Dialect::Sqlite,
            #[cfg(feature = "postgres")]
            Engine::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The rusqlite connection underneath, on SQLite: for what only a phone's database has
    /// (full-text tables, pragmas, `VACUUM`).
    pub fn as_sqlite(&self) -> Option<&'c rusqlite::Connection> {
        match self.engine {
            Engine::Sqlite(c) => Some(c),
            #[cfg(feature = "postgres")]
            Engine::Postgres(_) => None,
        }
    }

    /// Prepares `sql` once per connection and keeps it for the next call.
    pub fn prepare_cached(&self, sql: &str) -> Result<Statement<'c>> {
        match self.engine {
            Engine::Sqlite(c) => Ok(Statement { inner: StatementInner::Sqlite(c.prepare_cached(sql)?) }),
            #[cfg(feature = "postgres")]
            Engine::Postgres(s) => s.prepare(sql),
        }
    }

    /// Like [`Connection::prepare_cached`] (every statement is cached).
    pub fn prepare(&self, sql: &str) -> Result<Statement<'c>> {
        self.prepare_cached(sql)
    }

    /// Runs one statement; returns the rows it changed.
    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    /// Runs several statements with no parameters (schema changes, savepoints).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        match self.engine {
            Engine::Sqlite(c) => Ok(c.execute_batch(sql)?),
            #[cfg(feature = "postgres")]
            Engine::Postgres(s) => s.execute_batch(sql),
        }
    }

    /// The first row `sql` returns, through `f`; [`Error::QueryReturnedNoRows`] if none.
    pub fn query_row<T>(&self, sql: &str, params: impl Params, f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }

    /// The rowid of the last row inserted on this connection, on SQLite (phone-only tables and
    /// full-text indexes); on PostgreSQL a statement says `RETURNING` instead.
    pub fn last_insert_rowid(&self) -> Result<i64> {
        match self.engine {
            Engine::Sqlite(c) => Ok(c.last_insert_rowid()),
            #[cfg(feature = "postgres")]
            Engine::Postgres(_) => Err(Error::Connection("last_insert_rowid is SQLite's: use RETURNING".into())),
        }
    }

    /// Rows changed by the last statement on this connection.
    pub fn changes(&self) -> u64 {
        match self.engine {
            Engine::Sqlite(c) => c.changes(),
            #[cfg(feature = "postgres")]
            Engine::Postgres(s) => s.changes(),
        }
    }
}

enum StatementInner<'c> {
    Sqlite(rusqlite::CachedStatement<'c>),
    #[cfg(feature = "postgres")]
    Postgres(&'c postgres::Session, tokio_postgres::Statement),
}

/// A prepared statement.
pub struct Statement<'c> {
    inner: StatementInner<'c>,
}

impl<'c> Statement<'c> {
    /// Runs the statement; returns the rows it changed.
    pub fn execute(&mut self, params: impl Params) -> Result<usize> {
        params.with_params(|p| match &mut self.inner {
            StatementInner::Sqlite(s) => Ok(s.execute(rusqlite::params_from_iter(bind(p)?))?),
            #[cfg(feature = "postgres")]
            StatementInner::Postgres(session, s) => session.execute(s, p),
        })
    }

    /// The rows, one at a time.
    pub fn query(&mut self, params: impl Params) -> Result<Rows<'_>> {
        params.with_params(|p| match &mut self.inner {
            StatementInner::Sqlite(s) => {
                Ok(Rows { inner: RowsInner::Sqlite(s.query(rusqlite::params_from_iter(bind(p)?))?) })
            }
            #[cfg(feature = "postgres")]
            StatementInner::Postgres(session, s) => {
                Ok(Rows { inner: RowsInner::Postgres(session.query(s, p)?.into_iter(), None) })
            }
        })
    }

    /// Every row through `f`.
    pub fn query_map<T, F: FnMut(&Row<'_>) -> Result<T>>(
        &mut self,
        params: impl Params,
        f: F,
    ) -> Result<MappedRows<'_, F>> {
        Ok(MappedRows { rows: self.query(params)?, f })
    }

    /// The first row through `f`; [`Error::QueryReturnedNoRows`] if none.
    pub fn query_row<T>(&mut self, params: impl Params, f: impl FnOnce(&Row<'_>) -> Result<T>) -> Result<T> {
        let mut rows = self.query(params)?;
        match rows.next()? {
            Some(row) => f(&row),
            None => Err(Error::QueryReturnedNoRows),
        }
    }

    /// Whether the statement returns any row.
    pub fn exists(&mut self, params: impl Params) -> Result<bool> {
        let mut rows = self.query(params)?;
        Ok(rows.next()?.is_some())
    }
}

enum RowsInner<'s> {
    Sqlite(rusqlite::Rows<'s>),
    #[cfg(feature = "postgres")]
    Postgres(std::vec::IntoIter<tokio_postgres::Row>, Option<tokio_postgres::Row>),
}

/// The rows of a query, read one at a time.
pub struct Rows<'s> {
    inner: RowsInner<'s>,
}

impl Rows<'_> {
    /// The next row, or `None` after the last.
    #[allow(clippy::should_implement_trait)] // borrows from `self`: not an Iterator
    pub fn next(&mut self) -> Result<Option<Row<'_>>> {
        match &mut self.inner {
            RowsInner::Sqlite(rows) => Ok(rows.next()?.map(|r| Row { inner: RowInner::Sqlite(r) })),
            #[cfg(feature = "postgres")]
            RowsInner::Postgres(rows, current) => {
                *current = rows.next();
                Ok(current.as_ref().map(|r| Row { inner: RowInner::Postgres(r) }))
            }
        }
    }
}

/// Rows mapped through a function, as an iterator.
pub struct MappedRows<'s, F> {
    rows: Rows<'s>,
    f: F,
}

impl<T, F: FnMut(&Row<'_>) -> Result<T>> Iterator for MappedRows<'_, F> {
    type Item = Result<T>;
    fn next(&mut self) -> Option<Result<T>> {
        match self.rows.next() {
            Ok(Some(row)) => Some((self.f)(&row)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

enum RowInner<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    #[cfg(feature = "postgres")]
    Postgres(&'r tokio_postgres::Row),
}

/// One row of a result.
pub struct Row<'r> {
    inner: RowInner<'r>,
}

impl Row<'_> {
    /// The value of column `idx` (a position or a name) as `T`.
    pub fn get<I: RowIndex, T: FromSql>(&self, idx: I) -> Result<T> {
        let converted = match &self.inner {
            RowInner::Sqlite(row) => {
                let at = idx.sqlite_index(row)?;
                let v = row.get_ref(at)?;
                T::from_sql(match v {
                    rusqlite::types::ValueRef::Null => ValueRef::Null,
                    rusqlite::types::ValueRef::Integer(i) => ValueRef::Integer(i),
                    rusqlite::types::ValueRef::Real(f) => ValueRef::Real(f),
                    rusqlite::types::ValueRef::Text(t) => ValueRef::Text(
                        std::str::from_utf8(t).map_err(|e| Error::conversion(idx.describe(), e.to_string()))?,
                    ),
                    rusqlite::types::ValueRef::Blob(b) => ValueRef::Blob(b),
                })
            }
            #[cfg(feature = "postgres")]
            RowInner::Postgres(row) => {
                let at = idx
                    .position(&mut row.columns().iter().map(|c| c.name()))
                    .ok_or_else(|| Error::conversion(idx.describe(), "no such column"))?;
                postgres::column(row, at, |v| T::from_sql(v))?
            }
        };
        converted.map_err(|message| Error::conversion(idx.describe(), message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> rusqlite::Connection {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER, b BLOB, f REAL)").unwrap();
        c
    }

    #[test]
    fn binds_and_reads_every_kind_on_sqlite() {
        let raw = db();
        let tx = Transaction::sqlite(&raw);
        let n = tx
            .execute("INSERT INTO t (id, n, b, f) VALUES (?1, ?2, ?3, ?4)", params!["提案-1", 7u32, vec![1u8, 2], 0.5])
            .unwrap();
        assert_eq!(n, 1);
        tx.execute("INSERT INTO t (id, n) VALUES (?1, ?2)", params!["提案-2", None::<i64>]).unwrap();
        let (id, n, b, f): (String, u32, Vec<u8>, f64) = tx
            .query_row("SELECT id, n, b, f FROM t WHERE id = ?1", ["提案-1"], |r| {
                Ok((r.get(0)?, r.get("n")?, r.get(2)?, r.get(3)?))
            })
            .unwrap();
        assert_eq!((id.as_str(), n, b, f), ("提案-1", 7, vec![1, 2], 0.5));
        let missing: Option<i64> = tx.query_row("SELECT n FROM t WHERE id = '提案-2'", [], |r| r.get(0)).unwrap();
        assert_eq!(missing, None);
        let none = tx.query_row("SELECT n FROM t WHERE id = 'x'", [], |r| r.get::<_, i64>(0)).optional().unwrap();
        assert_eq!(none, None);
        let ids: Vec<String> = tx
            .prepare_cached("SELECT id FROM t ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(ids, ["提案-1", "提案-2"]);
        assert!(tx.prepare_cached("SELECT 1 FROM t WHERE n = ?1").unwrap().exists([7]).unwrap());
    }

    #[test]
    fn a_value_that_does_not_fit_is_an_error_naming_the_column() {
        let raw = db();
        let tx = Transaction::sqlite(&raw);
        tx.execute("INSERT INTO t (id, n) VALUES ('a', -1)", []).unwrap();
        let err = tx.query_row("SELECT n FROM t", [], |r| r.get::<_, u32>("n")).unwrap_err();
        assert!(err.to_string().contains("column n"), "{err}");
        let err = tx.execute("INSERT INTO t (id, n) VALUES ('b', ?1)", [u64::MAX]).unwrap_err();
        assert!(matches!(err, Error::Conversion { .. }), "{err}");
    }
}

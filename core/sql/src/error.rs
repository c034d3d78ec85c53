//! What can go wrong running a statement, with the engine's own error kept for callers that
//! tell a busy or full database from a broken one.

/// A failed statement or conversion.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[cfg(feature = "postgres")]
    #[error("PostgreSQL: {}", postgres_message(.0))]
    Postgres(#[from] tokio_postgres::Error),
    /// `query_row` found nothing (`optional()` turns this into `None`).
    #[error("the query returned no rows")]
    QueryReturnedNoRows,
    /// A value did not fit where it was bound or read.
    #[error("{at}: {message}")]
    Conversion { at: String, message: String },
    /// No connection could be had (the pool is closed, the server is unreachable) or a call came
    /// from where it may not block.
    #[error("{0}")]
    Connection(String),
}

impl Error {
    /// A value that did not fit, at a column or parameter.
    pub fn conversion(at: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Conversion { at: at.into(), message: message.into() }
    }

    /// The SQLSTATE code of a PostgreSQL error (`23505` for a unique violation, `40001` for a
    /// serialization failure), if this is one.
    pub fn sql_state(&self) -> Option<&str> {
        match self {
            #[cfg(feature = "postgres")]
            Error::Postgres(e) => e.code().map(|c| c.code()),
            _ => None,
        }
    }
}

#[cfg(feature = "postgres")]
fn postgres_message(e: &tokio_postgres::Error) -> String {
    // The driver's Display says only "db error"; the server's message is the useful part.
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `query_row(...).optional()`: no row is `None`, not an error.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::QueryReturnedNoRows) | Err(Error::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

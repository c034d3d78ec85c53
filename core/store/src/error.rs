//! The storage layer's error. Domain refusals keep their own typed errors
//! ([`ProposalError`], [`ChatError`]); database failures keep their kind (busy, full, corrupt,
//! constraint, ...) so that the code above can react differently to each, and so can the apps.

use lvzhi_domain::chat::ChatError;
use lvzhi_domain::consult::ConsultError;
use lvzhi_domain::duty::DutyError;
use lvzhi_domain::proposal::ProposalError;

#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// A proposal rule refused the action; the message is for the member.
    #[error(transparent)]
    Proposal(#[from] ProposalError),
    /// A chat rule refused the action; the message is for the member.
    #[error(transparent)]
    Chat(#[from] ChatError),
    /// A notice, meeting, duty record or feedback rule refused the action.
    #[error(transparent)]
    Duty(#[from] DutyError),
    /// A 社情民意, 网络议政, 远程协商 or 协商在基层 rule refused the action.
    #[error(transparent)]
    Consult(#[from] ConsultError),
    /// A study, reading or news rule refused it.
    #[error(transparent)]
    Study(#[from] lvzhi_domain::study::StudyError),
    /// A 委员档案 rule refused it.
    #[error(transparent)]
    MemberFile(#[from] lvzhi_domain::member_file::MemberFileError),
    /// A 联络联系 or 委员工作室 rule refused it.
    #[error(transparent)]
    Liaison(#[from] lvzhi_domain::liaison::LiaisonError),
    /// A file or attachment rule refused it.
    #[error(transparent)]
    File(#[from] lvzhi_domain::files::FileError),
    /// Something the caller named does not exist (or is not visible to them).
    #[error("{what}不存在或无权查看")]
    NotFound { what: &'static str },
    /// Input that is malformed before any rule is applied; the message is for the member.
    #[error("{0}")]
    Invalid(String),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl Error {
    /// A refusal of what the user asked (reported to them, never retried as is), as opposed to
    /// a failure of the machinery (retried).
    pub fn is_refusal(&self) -> bool {
        match self {
            Error::Proposal(_)
            | Error::Chat(_)
            | Error::Duty(_)
            | Error::Consult(_)
            | Error::File(_)
            | Error::Study(_)
            | Error::MemberFile(_)
            | Error::Liaison(_)
            | Error::NotFound { .. }
            | Error::Invalid(_) => true,
            Error::Storage(_) => false,
        }
    }

    /// The storage failure's kind, if this is one.
    pub fn storage_kind(&self) -> Option<StorageErrorKind> {
        match self {
            Error::Storage(e) => Some(e.kind),
            _ => None,
        }
    }
}

/// A database failure. `detail` is for logs: it may name files, never shown to members.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("storage failure ({kind:?}): {detail}")]
pub struct StorageError {
    pub kind: StorageErrorKind,
    pub detail: String,
}

impl StorageError {
    pub fn new(kind: StorageErrorKind, detail: impl Into<String>) -> StorageError {
        StorageError { kind, detail: detail.into() }
    }
}

/// What went wrong with the database, as far as anyone above it needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StorageErrorKind {
    /// Another connection held the lock for longer than the busy timeout: try again.
    Busy,
    /// The disk (or the database's size limit) is full.
    Full,
    /// The file is damaged, is not a database, or holds data this code cannot read.
    Corrupt,
    /// A constraint refused a write (a bug or a race, never a member's mistake).
    Constraint,
    /// The file is another kind of database (a server's opened as a phone's, or the reverse).
    WrongDatabase,
    /// The file was written by a newer version of the software.
    TooNew,
    /// The encrypted database does not open with the key given.
    WrongKey,
    /// The operating system failed to read or write.
    Io,
    /// Anything else: a failed statement, a missing table.
    Other,
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        let kind = match e.sqlite_error_code() {
            Some(C::DatabaseBusy | C::DatabaseLocked) => StorageErrorKind::Busy,
            Some(C::DiskFull | C::TooBig) => StorageErrorKind::Full,
            Some(C::DatabaseCorrupt | C::NotADatabase) => StorageErrorKind::Corrupt,
            Some(C::ConstraintViolation) => StorageErrorKind::Constraint,
            Some(C::SystemIoFailure | C::CannotOpen | C::PermissionDenied | C::ReadOnly) => StorageErrorKind::Io,
            _ => StorageErrorKind::Other,
        };
        Error::Storage(StorageError::new(kind, e.to_string()))
    }
}

impl From<lvzhi_sql::Error> for Error {
    fn from(e: lvzhi_sql::Error) -> Self {
        let kind = match e {
            lvzhi_sql::Error::Sqlite(sqlite) => return sqlite.into(),
            lvzhi_sql::Error::Conversion { .. } => StorageErrorKind::Corrupt,
            lvzhi_sql::Error::Connection(_) => StorageErrorKind::Io,
            // PostgreSQL's SQLSTATE classes: 23 integrity, 40 rolled back (serialization,
            // deadlock) and 55P03 lock not available, 53 insufficient resources, 08 and 57
            // connection and operator intervention, XX internal (data corrupted).
            ref other => match other.sql_state().unwrap_or("") {
                c if c.starts_with("23") => StorageErrorKind::Constraint,
                c if c.starts_with("40") || c == "55P03" => StorageErrorKind::Busy,
                c if c.starts_with("53") => StorageErrorKind::Full,
                c if c.starts_with("08") || c.starts_with("57") => StorageErrorKind::Io,
                "XX001" | "XX002" => StorageErrorKind::Corrupt,
                _ => StorageErrorKind::Other,
            },
        };
        Error::Storage(StorageError::new(kind, e.to_string()))
    }
}

impl From<serde_json::Error> for Error {
    /// Stored JSON that does not read back is damaged data.
    fn from(e: serde_json::Error) -> Self {
        Error::Storage(StorageError::new(StorageErrorKind::Corrupt, format!("stored JSON: {e}")))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_failures_keep_their_kind() {
        let busy = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY), None);
        assert_eq!(Error::from(busy).storage_kind(), Some(StorageErrorKind::Busy));
        let full = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_FULL), None);
        assert_eq!(Error::from(full).storage_kind(), Some(StorageErrorKind::Full));
        let corrupt = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT), None);
        assert_eq!(Error::from(corrupt).storage_kind(), Some(StorageErrorKind::Corrupt));
        let c = rusqlite::Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1);").unwrap();
        let dup = c.execute("INSERT INTO t VALUES (1)", []).unwrap_err();
        assert_eq!(Error::from(dup).storage_kind(), Some(StorageErrorKind::Constraint));
        assert!(!Error::from(serde_json::from_str::<u32>("x").unwrap_err()).is_refusal());
        assert!(Error::Invalid("标题不能为空".into()).is_refusal());
    }
}

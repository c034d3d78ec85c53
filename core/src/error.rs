//! The core's internal error. Domain refusals carry their own typed errors
//! ([`crate::proposal::ProposalError`]); everything converts into the small public FFI enum in
//! one place ([`crate::ffi::LvzhiError`]).

use crate::chat::ChatError;
use crate::proposal::ProposalError;

#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// A domain rule refused the action; the message is for the member.
    #[error(transparent)]
    Proposal(#[from] ProposalError),
    /// A chat rule refused the action; the message is for the member.
    #[error(transparent)]
    Chat(#[from] ChatError),
    /// Something the caller named does not exist (or is not visible to them).
    #[error("{what}不存在或无权查看")]
    NotFound { what: &'static str },
    /// Input that is malformed before any rule is applied.
    #[error("{0}")]
    Invalid(String),
    /// The database failed; the text is for logs, not for members.
    #[error("storage: {0}")]
    Storage(String),
    /// The server could not be reached or did not answer.
    #[error("network: {0}")]
    Network(String),
    /// Not logged in, or the session expired or was revoked.
    #[error("未登录或登录已过期，请重新登录")]
    Unauthorized,
    /// The server refused the request as malformed or failed; the text is for logs.
    #[error("server: {0}")]
    Server(String),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Storage(e.to_string())
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Storage(format!("stored JSON: {e}"))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

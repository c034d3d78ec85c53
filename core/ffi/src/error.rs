//! The public error. The core's errors become [`LvzhiError`] here and nowhere else: a small
//! enum whose variant says what kind of failure it is and whose message a member can read
//! (from `lvzhi_client::Error::user_message`), with no personal data or file names.

use lvzhi_client::Error;
use lvzhi_client::errors::StorageErrorKind;

/// What the apps see when something fails.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum LvzhiError {
    /// A rule refused the action; the message says why, in Chinese, for the member.
    #[error("{message}")]
    Refused { message: String },
    /// The thing asked for does not exist or is not visible to this user.
    #[error("{message}")]
    NotFound { message: String },
    /// The input is malformed (or the server refused the request as such).
    #[error("{message}")]
    Invalid { message: String },
    /// The server cannot be reached now; the work is kept and sent later.
    #[error("{message}")]
    Network { message: String },
    /// Login needed again.
    #[error("{message}")]
    Unauthorized { message: String },
    /// The local database failed (busy, an I/O error): trying again may help.
    #[error("{message}")]
    Storage { message: String },
    /// The phone's storage is full: the member must free space.
    #[error("{message}")]
    StorageFull { message: String },
    /// The local database is damaged, of another kind, or from a newer app.
    #[error("{message}")]
    StorageCorrupt { message: String },
    /// The encrypted database does not open with the key the platform gave (the keystore was
    /// reset): the app logs the member in again on a fresh database.
    #[error("{message}")]
    WrongKey { message: String },
    /// The server failed; details go to the log.
    #[error("{message}")]
    Server { message: String },
    /// Logging out would throw away unsent work; ask the member, then log out with
    /// `discard_unsent`.
    #[error("{message}")]
    UnsentWork { message: String },
}

impl From<Error> for LvzhiError {
    fn from(e: Error) -> Self {
        use lvzhi_client::errors::LocalError as Local;
        let message = e.user_message();
        match e {
            Error::Local(
                Local::Proposal(_)
                | Local::Chat(_)
                | Local::Duty(_)
                | Local::Consult(_)
                | Local::File(_)
                | Local::Study(_)
                | Local::MemberFile(_)
                | Local::Liaison(_),
            ) => LvzhiError::Refused { message },
            Error::Local(Local::NotFound { .. }) => LvzhiError::NotFound { message },
            Error::Local(Local::Invalid(_)) | Error::Refused(_) => LvzhiError::Invalid { message },
            Error::Local(Local::Storage(s)) => match s.kind {
                StorageErrorKind::Full => LvzhiError::StorageFull { message },
                StorageErrorKind::WrongKey => LvzhiError::WrongKey { message },
                StorageErrorKind::Corrupt | StorageErrorKind::WrongDatabase | StorageErrorKind::TooNew => {
                    LvzhiError::StorageCorrupt { message }
                }
                StorageErrorKind::Busy
                | StorageErrorKind::Constraint
                | StorageErrorKind::Io
                | StorageErrorKind::Other => LvzhiError::Storage { message },
            },
            Error::Network(_) => LvzhiError::Network { message },
            Error::Unauthorized => LvzhiError::Unauthorized { message },
            Error::Server(_) => LvzhiError::Server { message },
            Error::UnsentWork { .. } => LvzhiError::UnsentWork { message },
        }
    }
}

#[cfg(test)]
mod tests {
    use lvzhi_client::errors::StorageError;
    use lvzhi_domain::proposal::ProposalError;

    use super::*;

    #[test]
    fn refusals_keep_their_chinese_message_and_storage_keeps_its_kind_without_details() {
        let refused: LvzhiError = Error::from(ProposalError::InvitationsPending { pending: 2 }).into();
        assert!(matches!(refused, LvzhiError::Refused { .. }));
        assert_eq!(refused.to_string(), "还有2位委员未答复联名邀请，暂不能提交");
        let io = StorageError::new(StorageErrorKind::Io, "disk I/O error at /data/user/张明.db");
        let storage: LvzhiError = Error::Local(io.into()).into();
        assert!(matches!(storage, LvzhiError::Storage { .. }));
        assert_eq!(storage.to_string(), "本地数据读写失败，请重试");
        let full: LvzhiError = Error::Local(StorageError::new(StorageErrorKind::Full, "SQLITE_FULL").into()).into();
        assert!(matches!(full, LvzhiError::StorageFull { .. }));
        let corrupt: LvzhiError =
            Error::Local(StorageError::new(StorageErrorKind::WrongDatabase, "server file").into()).into();
        assert!(matches!(corrupt, LvzhiError::StorageCorrupt { .. }));
        let missing: LvzhiError = Error::not_found("提案").into();
        assert_eq!(missing.to_string(), "提案不存在或无权查看");
    }
}

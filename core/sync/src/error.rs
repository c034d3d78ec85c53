//! The sync engine's error: the storage layer's (refusals and database failures, kinds kept),
//! or what the network and the server did. [`Error::user_message`] is the one place that says
//! each in words a member reads.

use lvzhi_domain::chat::ChatError;
use lvzhi_domain::proposal::ProposalError;
use lvzhi_store::StorageErrorKind;

#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// A refusal or a failure on this device.
    #[error(transparent)]
    Local(#[from] lvzhi_store::Error),
    /// The server could not be reached or the connection broke.
    #[error("network: {0}")]
    Network(String),
    /// Not logged in, or the session expired or was revoked.
    #[error("未登录或登录已过期，请重新登录")]
    Unauthorized,
    /// The server refused the request (4xx) with this reason, for the member.
    #[error("{0}")]
    Refused(String),
    /// The server failed (5xx) or answered something unreadable; the text is for logs.
    #[error("server: {0}")]
    Server(String),
    /// Logging out now would throw away work the server has not accepted; the app asks first.
    #[error("还有{count}项操作未发送，退出登录会将其丢弃")]
    UnsentWork { count: u32 },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn not_found(what: &'static str) -> Error {
        Error::Local(lvzhi_store::Error::NotFound { what })
    }

    pub fn invalid(message: impl Into<String>) -> Error {
        Error::Local(lvzhi_store::Error::Invalid(message.into()))
    }

    /// The storage failure's kind, if this is one.
    pub fn storage_kind(&self) -> Option<StorageErrorKind> {
        match self {
            Error::Local(e) => e.storage_kind(),
            _ => None,
        }
    }

    /// What a member reads: refusals keep their own Chinese reason; failures get a sentence
    /// that says what to do, with no file names or other details.
    pub fn user_message(&self) -> String {
        use StorageErrorKind as K;
        match self {
            Error::Local(lvzhi_store::Error::Storage(e)) => match e.kind {
                K::Busy => "本机数据正忙，请稍后重试",
                K::Full => "手机存储空间不足，请清理后重试",
                K::Corrupt => "本机数据已损坏，请联系工作人员",
                K::WrongDatabase => "数据文件不是本应用的手机数据库",
                K::TooNew => "本机数据由更新版本的应用写入，请更新应用",
                K::WrongKey => "本机数据无法用当前密钥打开，请重新登录",
                K::Constraint | K::Io | K::Other => "本地数据读写失败，请重试",
            }
            .to_string(),
            Error::Local(refusal) => refusal.to_string(),
            Error::Network(_) => "网络不可用，已保存在本机，联网后自动发送".to_string(),
            Error::Unauthorized => "未登录或登录已过期，请重新登录".to_string(),
            Error::Refused(reason) => reason.clone(),
            Error::Server(_) => "服务器暂时无法处理，请稍后再试".to_string(),
            Error::UnsentWork { count } => format!("还有{count}项操作未发送，退出登录会将其丢弃"),
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Local(e.into())
    }
}

impl From<lvzhi_sql::Error> for Error {
    fn from(e: lvzhi_sql::Error) -> Self {
        Error::Local(e.into())
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Local(e.into())
    }
}

impl From<ProposalError> for Error {
    fn from(e: ProposalError) -> Self {
        Error::Local(e.into())
    }
}

impl From<ChatError> for Error {
    fn from(e: ChatError) -> Self {
        Error::Local(e.into())
    }
}

impl From<lvzhi_domain::duty::DutyError> for Error {
    fn from(e: lvzhi_domain::duty::DutyError) -> Self {
        Error::Local(e.into())
    }
}

impl From<lvzhi_domain::consult::ConsultError> for Error {
    fn from(e: lvzhi_domain::consult::ConsultError) -> Self {
        Error::Local(e.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lvzhi_store::StorageError;

    #[test]
    fn members_read_the_refusal_itself_and_no_storage_details() {
        let refused = Error::from(ProposalError::InvitationsPending { pending: 2 });
        assert_eq!(refused.user_message(), "还有2位委员未答复联名邀请，暂不能提交");
        let full = Error::Local(StorageError::new(StorageErrorKind::Full, "disk full at /data/user/张明.db").into());
        assert_eq!(full.user_message(), "手机存储空间不足，请清理后重试");
        assert_eq!(full.storage_kind(), Some(StorageErrorKind::Full));
        assert_eq!(Error::not_found("提案").user_message(), "提案不存在或无权查看");
    }
}

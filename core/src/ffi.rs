//! The UniFFI surface. Internal errors become the public [`LvzhiError`] here and nowhere else:
//! a small enum whose messages a member can read and which carries no personal data.

use crate::error::Error;

/// What the apps see when something fails.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum LvzhiError {
    /// A rule refused the action; `message` says why, in Chinese, for the member.
    #[error("{message}")]
    Refused { message: String },
    /// The thing asked for does not exist or is not visible to this user.
    #[error("{message}")]
    NotFound { message: String },
    /// The input is malformed.
    #[error("{message}")]
    Invalid { message: String },
    /// The server cannot be reached now; the work is kept and sent later.
    #[error("网络不可用，已保存在本机，联网后自动发送")]
    Network,
    /// Login needed again.
    #[error("未登录或登录已过期，请重新登录")]
    Unauthorized,
    /// The local database failed; details go to the log, not to the member.
    #[error("本地数据读写失败，请重试")]
    Storage,
    /// The server failed or refused the request; details go to the log.
    #[error("服务器暂时无法处理，请稍后再试")]
    Server,
}

impl From<Error> for LvzhiError {
    fn from(e: Error) -> Self {
        match e {
            Error::Proposal(refusal) => LvzhiError::Refused { message: refusal.to_string() },
            Error::Chat(refusal) => LvzhiError::Refused { message: refusal.to_string() },
            e @ Error::NotFound { .. } => LvzhiError::NotFound { message: e.to_string() },
            Error::Invalid(message) => LvzhiError::Invalid { message },
            Error::Storage(_) => LvzhiError::Storage,
            Error::Network(_) => LvzhiError::Network,
            Error::Unauthorized => LvzhiError::Unauthorized,
            Error::Server(_) => LvzhiError::Server,
        }
    }
}

/// The core's version, for the apps' about screens and bug reports.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proposal::ProposalError;

    #[test]
    fn refusals_keep_their_chinese_message_and_storage_details_stay_inside() {
        let refused: LvzhiError = Error::from(ProposalError::InvitationsPending { pending: 2 }).into();
        assert_eq!(refused.to_string(), "还有2位委员未答复联名邀请，暂不能提交");
        let storage: LvzhiError = Error::Storage("disk I/O error at /data/user/张明.db".into()).into();
        assert_eq!(storage.to_string(), "本地数据读写失败，请重试");
        let missing: LvzhiError = Error::NotFound { what: "提案" }.into();
        assert_eq!(missing.to_string(), "提案不存在或无权查看");
    }
}

//! How the server says no: a status and a readable reason, as JSON.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lvzhi_domain::protocol::ErrorBody;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
    /// Seconds the client should wait before trying again (a 429's or 503's `Retry-After`).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into(), retry_after: None }
    }

    /// 429 with `Retry-After`.
    pub fn too_many(wait: std::time::Duration, message: impl Into<String>) -> ApiError {
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        ApiError { retry_after: Some(secs.max(1)), ..Self::new(StatusCode::TOO_MANY_REQUESTS, message) }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn unauthorized() -> ApiError {
        Self::new(StatusCode::UNAUTHORIZED, "未登录或登录已过期，请重新登录")
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        tracing::error!("internal error: {e}");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "服务器内部错误")
    }
}

impl From<lvzhi_store::Error> for ApiError {
    /// Refusals are the client's to hear, with their reason; only real faults are 500s (a busy
    /// database is 503: the client retries).
    fn from(e: lvzhi_store::Error) -> Self {
        use lvzhi_store::{Error as E, StorageErrorKind as K};
        match &e {
            E::Proposal(_)
            | E::Chat(_)
            | E::Duty(_)
            | E::Consult(_)
            | E::Study(_)
            | E::MemberFile(_)
            | E::Liaison(_) => ApiError::new(StatusCode::CONFLICT, e.to_string()),
            E::File(f) => ApiError::from(f.clone()),
            E::NotFound { .. } => ApiError::new(StatusCode::NOT_FOUND, e.to_string()),
            E::Invalid(_) => ApiError::bad_request(e.to_string()),
            E::Storage(s) if s.kind == K::Busy => {
                tracing::warn!("database busy: {e}");
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "服务器繁忙，请稍后再试")
            }
            E::Storage(_) => ApiError::internal(e),
        }
    }
}

impl From<lvzhi_domain::files::FileError> for ApiError {
    /// A file refused: too large is 413, not allowed 403, missing 404, an upload out of step
    /// 409; anything else about the bytes is a bad request.
    fn from(e: lvzhi_domain::files::FileError) -> Self {
        use lvzhi_domain::files::FileError as F;
        let status = match e {
            F::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            F::NotAllowed => StatusCode::FORBIDDEN,
            F::NotFound => StatusCode::NOT_FOUND,
            F::OutOfOrder { .. } | F::NotUploaded => StatusCode::CONFLICT,
            F::UnknownType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::BAD_REQUEST,
        };
        ApiError::new(status, e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(ErrorBody { error: self.message })).into_response();
        if let Some(secs) = self.retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use lvzhi_domain::chat::ChatError;
    use lvzhi_domain::proposal::ProposalError;
    use lvzhi_store::{StorageError, StorageErrorKind};

    use super::*;

    async fn answer(e: lvzhi_store::Error) -> (StatusCode, String) {
        let response = ApiError::from(e).into_response();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
        let body: ErrorBody = serde_json::from_slice(&body).unwrap();
        (status, body.error)
    }

    #[tokio::test]
    async fn refusals_are_4xx_with_their_reason_and_only_faults_are_5xx() {
        let refused = answer(ProposalError::InvitationsPending { pending: 2 }.into()).await;
        assert_eq!(refused, (StatusCode::CONFLICT, "还有2位委员未答复联名邀请，暂不能提交".into()));
        let chat = answer(ChatError::NotMember.into()).await;
        assert_eq!(chat, (StatusCode::CONFLICT, "您不是该群成员".into()));
        let missing = answer(lvzhi_store::Error::NotFound { what: "提案" }).await;
        assert_eq!(missing, (StatusCode::NOT_FOUND, "提案不存在或无权查看".into()));
        let invalid = answer(lvzhi_store::Error::Invalid("密码至少8位".into())).await;
        assert_eq!(invalid, (StatusCode::BAD_REQUEST, "密码至少8位".into()));
        let busy = answer(StorageError::new(StorageErrorKind::Busy, "database is locked").into()).await;
        assert_eq!(busy.0, StatusCode::SERVICE_UNAVAILABLE);
        let corrupt = answer(StorageError::new(StorageErrorKind::Corrupt, "/srv/lvzhi.db is malformed").into()).await;
        assert_eq!(corrupt, (StatusCode::INTERNAL_SERVER_ERROR, "服务器内部错误".into()), "no details leak");
    }
}

//! What the console refuses with, before the rules (a form, a permission) or by them: a status
//! and the reason a person reads. A base module: the pages and the action route build on it.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::session::ConsoleUser;

/// What the console refuses with, before or by the rules.
pub struct Refused {
    pub status: StatusCode,
    pub reason: String,
}

impl Refused {
    pub fn new(status: StatusCode, reason: impl Into<String>) -> Refused {
        Refused { status, reason: reason.into() }
    }
}

impl From<lvzhi_store::Error> for Refused {
    fn from(e: lvzhi_store::Error) -> Refused {
        let api = crate::error::ApiError::from(e);
        Refused { status: api.status, reason: api.message }
    }
}

impl Refused {
    /// The page that says so, with the way back to `back`.
    pub fn page(self, user: &ConsoleUser, back: &str) -> Response {
        (self.status, super::html::refusal(Some(user), &self.reason, back)).into_response()
    }
}

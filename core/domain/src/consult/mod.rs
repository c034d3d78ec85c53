//! The consultation work (协商议政) besides proposals: 社情民意 reports ([`report`]), online
//! deliberation on topics ([`topic`], 网络议政), speeches at remote consultation meetings
//! ([`speech`], 远程协商; the meeting itself is `duty::meeting`'s) and grassroots consultations
//! with their points of consensus ([`grassroots`], 协商在基层).
//!
//! Like every rule here, these run on the phone (at once, offline) and on the server (to
//! decide), so a refusal reads the same on both.

pub mod error;
pub mod facts;
pub mod grassroots;
pub mod report;
pub mod speech;
pub mod topic;

pub use error::ConsultError;

use crate::duty::{DutyError, check_body, check_note, check_title};
use crate::org::{Actor, Role};

/// How far ahead of the server's clock a phone's "written at" may be (phones' clocks drift).
pub const CLOCK_SKEW_MS: i64 = 10 * 60 * 1000;

/// Staff of `org_id` (its proposal staff and administrators).
pub fn check_staff(actor: &Actor, org_id: &str) -> Result<(), ConsultError> {
    crate::duty::check_staff(actor, org_id).map_err(ConsultError::from)
}

/// A member (委员) of `org_id`.
pub fn check_member(actor: &Actor, org_id: &str) -> Result<(), ConsultError> {
    if actor.role == Role::Member && actor.org_id == org_id { Ok(()) } else { Err(ConsultError::NotMember) }
}

pub(crate) fn title(t: &str) -> Result<String, ConsultError> {
    Ok(check_title(t)?.to_string())
}

pub(crate) fn body(what: &'static str, b: &str, required: bool) -> Result<String, ConsultError> {
    Ok(check_body(what, b, required)?.to_string())
}

pub(crate) fn note(what: &'static str, n: &str, required: bool) -> Result<String, ConsultError> {
    Ok(check_note(what, n, required)?.to_string())
}

impl From<DutyError> for ConsultError {
    fn from(e: DutyError) -> Self {
        ConsultError::Text(e)
    }
}

//! 联络联系: members keeping in touch with the people they represent — each member's own
//! register of the people of their sector they keep in touch with and the log of contacts
//! ([`contacts`]), and the 委员工作室 where members on duty receive the public ([`studio`]).
//!
//! What a resident or a contact raises becomes a 社情民意 draft or a proposal draft with one
//! action ([`RaisedFrom`]); the draft names where it came from and the source lists the drafts
//! made from it, so the link is stored once (on the draft) and read both ways.
//!
//! Nothing here is a chore or a ranking: contacts and studio duty are facts of the member's
//! duty record against the organisation's yearly expectation, and a 界别召集人 sees a sector's
//! activity by organisation and month, never by person ([`contacts::SectorActivity`]).

pub mod contacts;
pub mod studio;

use serde::{Deserialize, Serialize};

use crate::duty::DutyError;

/// Where a draft came from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum RaisedFrom {
    /// A contact in the member's log (its id).
    ContactLog(String),
    /// A message left at a 委员工作室 (its id).
    StudioMessage(String),
}

impl RaisedFrom {
    pub fn label(&self) -> &'static str {
        match self {
            RaisedFrom::ContactLog(_) => "联系界别群众",
            RaisedFrom::StudioMessage(_) => "委员工作室留言",
        }
    }

    pub fn id(&self) -> &str {
        match self {
            RaisedFrom::ContactLog(id) | RaisedFrom::StudioMessage(id) => id,
        }
    }
}

/// What a member makes of something raised: a 社情民意 draft or a proposal draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "into", rename_all = "snake_case")]
pub enum RaiseInto {
    Report { report_id: String },
    Proposal { proposal_id: String, session_id: String },
}

/// Why a 联络联系 or 委员工作室 action was refused, for the person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiaisonError {
    #[error(transparent)]
    Duty(#[from] DutyError),
    #[error("只有委员本人可以维护联系名册和联系记录")]
    NotOwner,
    #[error("只有本组织的工作人员可以设立委员工作室")]
    NotStaff,
    #[error("您不是该委员工作室的委员")]
    NotStudioMember,
    #[error("编号已被使用")]
    DuplicateId,
    #[error("日期格式应为 年-月-日")]
    BadDate,
    #[error("联系日期不能晚于今天")]
    FutureDate,
    #[error("请选择联系的群众")]
    NoContact,
    #[error("联系对象不在您的联系名册中")]
    UnknownContact,
    #[error("该留言已转为社情民意信息或提案")]
    AlreadyRaised,
    #[error("{0}")]
    Invalid(String),
}

/// A text field: trimmed, within `max` characters, required or not.
pub(crate) fn text(what: &str, value: &str, max: usize, required: bool) -> Result<String, LiaisonError> {
    let t = value.trim();
    if required && t.is_empty() {
        return Err(LiaisonError::Invalid(format!("请填写{what}")));
    }
    if t.chars().count() > max {
        return Err(LiaisonError::Invalid(format!("{what}不能超过{max}字")));
    }
    Ok(t.to_string())
}

/// A date as `YYYY-MM-DD`.
pub(crate) fn date(value: &str) -> Result<chrono::NaiveDate, LiaisonError> {
    chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| LiaisonError::BadDate)
}

/// A phone number a person gives: a mainland mobile's 11 digits or a landline with its area
/// code (digits and one dash); empty is allowed.
pub(crate) fn phone(value: &str) -> Result<String, LiaisonError> {
    let p = value.trim();
    let digits = p.chars().filter(char::is_ascii_digit).count();
    let shape = p.chars().all(|c| c.is_ascii_digit() || c == '-') && p.matches('-').count() <= 1;
    if !p.is_empty() && (!shape || !(7..=12).contains(&digits)) {
        return Err(LiaisonError::Invalid("电话应为手机号码或带区号的固定电话".into()));
    }
    Ok(p.to_string())
}

/// Noon of a China date, in milliseconds (the instant a date's fact is recorded at).
pub(crate) fn noon_ms(d: chrono::NaiveDate) -> i64 {
    use chrono::TimeZone;
    let noon = d.and_hms_opt(12, 0, 0).unwrap_or_default();
    crate::time::cst().from_local_datetime(&noon).single().map_or(0, |t| t.timestamp_millis())
}

/// Today's date in China at `now_ms`.
pub fn today(now_ms: i64) -> chrono::NaiveDate {
    crate::time::from_millis(now_ms).with_timezone(&crate::time::cst()).date_naive()
}

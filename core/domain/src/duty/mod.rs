//! The member's duties outside proposals and chat: notices (通知公告) with their receipts
//! (回执), meetings and activities (会议活动) with attendance and offline check-in, the duty
//! record (履职档案) with each organisation's point rules, and feedback (意见建议).
//!
//! What the rules against "指尖上的形式主义" require shapes every part: attendance at real
//! meetings is recorded, nothing ranks members or counts time in the app, and nothing here is a
//! daily chore. The record shows each member their own facts and why each one counts; staff see
//! members by name for follow-up talks, never in order of points.

pub mod checkin;
pub mod error;
pub mod feedback;
pub mod meeting;
pub mod notice;
pub mod record;

pub use error::DutyError;

use crate::org::Actor;

/// Longest title of a notice, meeting, document or self-reported duty, in characters.
pub const MAX_TITLE_CHARS: usize = 80;
/// Longest body of a notice, agenda, meeting document or feedback, in characters.
pub const MAX_BODY_CHARS: usize = 20_000;
/// Longest reason or note (请假理由, 退回理由, 回执备注), in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// Staff of an organisation (its proposal staff and administrators) publish notices, run
/// meetings and keep the duty record.
pub fn check_staff(actor: &Actor, org_id: &str) -> Result<(), DutyError> {
    if actor.is_staff_of(org_id) { Ok(()) } else { Err(DutyError::NotStaff) }
}

/// A title, trimmed; refused when empty or too long.
pub fn check_title(title: &str) -> Result<&str, DutyError> {
    let t = title.trim();
    if t.is_empty() {
        return Err(DutyError::EmptyTitle);
    }
    if t.chars().count() > MAX_TITLE_CHARS {
        return Err(DutyError::TooLong { what: "标题", max: MAX_TITLE_CHARS as u32 });
    }
    Ok(t)
}

/// A text that may be long (a notice, an agenda, a document), trimmed; `what` names it.
pub fn check_body<'a>(what: &'static str, body: &'a str, required: bool) -> Result<&'a str, DutyError> {
    let b = body.trim();
    if required && b.is_empty() {
        return Err(DutyError::Empty { what });
    }
    if b.chars().count() > MAX_BODY_CHARS {
        return Err(DutyError::TooLong { what, max: MAX_BODY_CHARS as u32 });
    }
    Ok(b)
}

/// A short note or reason, trimmed; `what` names it.
pub fn check_note<'a>(what: &'static str, note: &'a str, required: bool) -> Result<&'a str, DutyError> {
    let n = note.trim();
    if required && n.is_empty() {
        return Err(DutyError::Empty { what });
    }
    if n.chars().count() > MAX_NOTE_CHARS {
        return Err(DutyError::TooLong { what, max: MAX_NOTE_CHARS as u32 });
    }
    Ok(n)
}

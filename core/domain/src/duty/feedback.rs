//! 意见建议: any user sends feedback about the app or the work to their organisation's
//! administrators, who answer; the sender sees the answer. The channel the rules for government
//! apps require.

use serde::{Deserialize, Serialize};

use super::{DutyError, check_body};
use crate::org::{Actor, Role};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    pub id: String,
    pub org_id: String,
    pub person_id: String,
    pub text: String,
    pub created_at_ms: i64,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at_ms: Option<i64>,
}

pub fn send(actor: &Actor, id: &str, text: &str, now_ms: i64) -> Result<Feedback, DutyError> {
    let text = check_body("意见建议", text, true)?;
    Ok(Feedback {
        id: id.into(),
        org_id: actor.org_id.clone(),
        person_id: actor.person_id.clone(),
        text: text.into(),
        created_at_ms: now_ms,
        answer: None,
        answered_by: None,
        answered_at_ms: None,
    })
}

/// The organisation's administrators answer, once.
pub fn answer(actor: &Actor, f: &Feedback, text: &str, now_ms: i64) -> Result<Feedback, DutyError> {
    if actor.role != Role::OrgAdmin || actor.org_id != f.org_id {
        return Err(DutyError::NotAdmin);
    }
    if f.answer.is_some() {
        return Err(DutyError::AlreadyAnswered);
    }
    let text = check_body("答复", text, true)?;
    let mut f = f.clone();
    f.answer = Some(text.into());
    f.answered_by = Some(actor.person_id.clone());
    f.answered_at_ms = Some(now_ms);
    Ok(f)
}

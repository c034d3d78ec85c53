//! 远程协商会: a meeting (`duty::meeting`) held at a main venue with branch venues (分会场,
//! each an organisation) on a topic, with a video link that is only a link. Members apply to
//! speak with a written speech (书面发言); staff set the order of speakers and mark who spoke.
//! A speech given becomes a fact of the duty record.

use serde::{Deserialize, Serialize};

use super::{ConsultError, body, check_staff};
use crate::duty::meeting::Meeting;
use crate::org::Actor;

/// One member's application to speak at a remote consultation; id `meeting@person`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeechRequest {
    pub meeting_id: String,
    pub person_id: String,
    /// 书面发言
    pub text: String,
    pub applied_at_ms: i64,
    /// Place in the order staff set (1 first); `None` until ordered.
    pub order: Option<u32>,
    pub spoke_at_ms: Option<i64>,
}

impl SpeechRequest {
    pub fn id(&self) -> String {
        crate::duty::meeting::attendance_id(&self.meeting_id, &self.person_id)
    }
}

fn remote(m: &Meeting) -> Result<(), ConsultError> {
    if m.remote.is_none() {
        return Err(ConsultError::NotRemote);
    }
    if m.cancelled {
        return Err(crate::duty::DutyError::MeetingCancelled.into());
    }
    Ok(())
}

/// A member on the meeting's list applies (or rewrites the speech before it is given).
pub fn apply(
    actor: &Actor,
    m: &Meeting,
    current: Option<&SpeechRequest>,
    text: &str,
    now_ms: i64,
) -> Result<SpeechRequest, ConsultError> {
    remote(m)?;
    if current.is_some_and(|c| c.spoke_at_ms.is_some()) {
        return Err(ConsultError::AlreadyApplied);
    }
    Ok(SpeechRequest {
        meeting_id: m.id.clone(),
        person_id: actor.person_id.clone(),
        text: body("书面发言", text, true)?,
        applied_at_ms: current.map_or(now_ms, |c| c.applied_at_ms),
        order: current.and_then(|c| c.order),
        spoke_at_ms: None,
    })
}

/// Staff set the speakers' order: exactly the people who applied, each once.
pub fn order(
    actor: &Actor,
    m: &Meeting,
    requests: &[SpeechRequest],
    person_ids: &[String],
) -> Result<Vec<SpeechRequest>, ConsultError> {
    remote(m)?;
    check_staff(actor, &m.org_id)?;
    let mut sorted: Vec<&String> = person_ids.iter().collect();
    sorted.sort();
    sorted.dedup();
    let mut applied: Vec<&String> = requests.iter().map(|r| &r.person_id).collect();
    applied.sort();
    if sorted.len() != person_ids.len() || sorted != applied {
        return Err(ConsultError::BadSpeakerOrder);
    }
    Ok(requests
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.order = person_ids.iter().position(|p| *p == r.person_id).map(|i| i as u32 + 1);
            r
        })
        .collect())
}

/// Staff mark that the member spoke.
pub fn mark_spoke(actor: &Actor, m: &Meeting, r: &SpeechRequest, now_ms: i64) -> Result<SpeechRequest, ConsultError> {
    check_staff(actor, &m.org_id)?;
    if m.remote.is_none() {
        return Err(ConsultError::NotRemote);
    }
    let mut r = r.clone();
    r.spoke_at_ms = Some(now_ms);
    Ok(r)
}

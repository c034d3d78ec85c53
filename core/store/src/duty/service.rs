//! The duty writes, the same on the phone (at once, offline) and on the server (to decide).
//! Each returns the entities it changed, which the server writes to their scopes.
//!
//! What only the server can know is checked only there: that people named in an audience or
//! an invitation hold a role under the organisation (a phone holds only its own organisation's
//! people), and the time a check-in arrives. Everything else is refused on the phone with the
//! server's reason.

use lvzhi_domain::duty::checkin::{self, CodeClaims};
use lvzhi_domain::duty::meeting::{self, Attendance, Enrolment, Meeting, Reply};
use lvzhi_domain::duty::notice::{self, Notice, Receipt};
use lvzhi_domain::duty::record::{self, DutyEntry};
use lvzhi_domain::duty::{DutyError, check_staff, feedback};
use lvzhi_domain::org::{Actor, Role};
use lvzhi_domain::protocol::{EntityKind, MutationKind};
use lvzhi_domain::time::{Timestamp, to_millis};
use lvzhi_sql::{Connection, OptionalExtension, Transaction, params};

use super::{audience, repo};
use crate::error::{Error, Result};
use crate::side::Side;

pub use crate::changed::Entities;

/// How far ahead of the server's clock a phone's check-in time may be (phones' clocks drift).
const CHECK_IN_CLOCK_SKEW_MS: i64 = 10 * 60 * 1000;

/// Applies a duty mutation; `None` when `kind` is not one.
pub fn apply(
    tx: &Transaction<'_>,
    actor: &Actor,
    kind: &MutationKind,
    side: Side,
    now: Timestamp,
) -> Result<Option<Entities>> {
    let now_ms = to_millis(now);
    // Each part answers for its own kinds of mutation and passes the others on.
    for part in [notices, meetings, attendance, record, feedback] {
        if let Some(touched) = part(tx, actor, kind, side, now_ms)? {
            return Ok(Some(touched));
        }
    }
    Ok(None)
}

/// 通知: publishing, correcting, withdrawing, and each recipient's read mark and 回执.
fn notices(
    tx: &Transaction<'_>,
    actor: &Actor,
    kind: &MutationKind,
    side: Side,
    now_ms: i64,
) -> Result<Option<Entities>> {
    use MutationKind as K;
    let touched = match kind {
        K::PublishNotice { notice_id, content } => {
            if repo::notice(tx, notice_id)?.is_some() {
                return Err(DutyError::DuplicateId.into());
            }
            let n = notice::publish(actor, notice_id, content, now_ms)?;
            save_notice_with_audience(tx, &n, side)?
        }
        K::CorrectNotice { notice_id, content, note } => {
            let n = notice_or_missing(tx, notice_id)?;
            let n = notice::correct(actor, &n, content, note, now_ms)?;
            save_notice_with_audience(tx, &n, side)?
        }
        K::WithdrawNotice { notice_id, reason } => {
            let n = notice::withdraw(actor, &notice_or_missing(tx, notice_id)?, reason, now_ms)?;
            repo::save_notice(tx, &n)?;
            vec![(EntityKind::Notice, n.id)]
        }
        K::ReadNotice { notice_id } => {
            let (_, r) = recipient_receipt(tx, actor, notice_id)?;
            let r = notice::mark_read(&r, now_ms);
            repo::save_receipt(tx, &r)?;
            vec![(EntityKind::NoticeReceipt, r.id())]
        }
        K::AnswerNotice { notice_id, answer, note } => {
            let (n, r) = recipient_receipt(tx, actor, notice_id)?;
            let r = notice::answer(&n, &r, *answer, note, now_ms)?;
            repo::save_receipt(tx, &r)?;
            vec![(EntityKind::NoticeReceipt, r.id())]
        }
        _ => return Ok(None),
    };
    Ok(Some(touched))
}

/// 会议活动 as staff set them up: creating (with the invited), capacity, cancelling, documents.
fn meetings(
    tx: &Transaction<'_>,
    actor: &Actor,
    kind: &MutationKind,
    side: Side,
    now_ms: i64,
) -> Result<Option<Entities>> {
    use MutationKind as K;
    let touched = match kind {
        K::CreateMeeting { meeting_id, draft } => {
            if repo::meeting(tx, meeting_id)?.is_some() {
                return Err(DutyError::DuplicateId.into());
            }
            let mut m = meeting::create(actor, meeting_id, draft, now_ms)?;
            let mut touched = vec![(EntityKind::Meeting, m.id.clone())];
            if let Enrolment::Invitation { person_ids } = &m.enrolment {
                if side == Side::Server {
                    audience::check_people_in_tree(tx, &m.org_id, person_ids)?;
                }
                for p in person_ids {
                    let a = Attendance::new(&m.id, p);
                    repo::save_attendance(tx, &a)?;
                    touched.push((EntityKind::Attendance, a.id()));
                }
            }
            if side == Side::Server {
                m.check_in_key = Some(checkin::public_key(&signing_key(tx, now_ms)?)?);
            }
            repo::save_meeting(tx, &m)?;
            touched
        }
        K::SetMeetingCapacity { meeting_id, capacity } => {
            let m = meeting::set_capacity(actor, &meeting_or_missing(tx, meeting_id)?, *capacity)?;
            let (m, promoted) = meeting::promote_waiting(&m, &repo::attendances_of_meeting(tx, meeting_id)?);
            repo::save_meeting(tx, &m)?;
            let mut touched = vec![(EntityKind::Meeting, m.id)];
            for p in promoted {
                touched.extend(save_attendance(tx, &p)?);
            }
            touched
        }
        K::CancelMeeting { meeting_id, reason } => {
            let m = meeting::cancel(actor, &meeting_or_missing(tx, meeting_id)?, reason)?;
            repo::save_meeting(tx, &m)?;
            vec![(EntityKind::Meeting, m.id)]
        }
        K::SetMeetingDocument { meeting_id, document_id, title, body, attachments } => {
            let m = meeting_or_missing(tx, meeting_id)?;
            let m = meeting::set_document(actor, &m, document_id, title, body, attachments, now_ms)?;
            repo::save_meeting(tx, &m)?;
            vec![(EntityKind::Meeting, m.id)]
        }
        _ => return Ok(None),
    };
    Ok(Some(touched))
}

/// One person's part in a meeting: 参加/请假 and its approval, 报名 and the waiting list,
/// 签到 by code or by staff, absences.
fn attendance(
    tx: &Transaction<'_>,
    actor: &Actor,
    kind: &MutationKind,
    side: Side,
    now_ms: i64,
) -> Result<Option<Entities>> {
    use MutationKind as K;
    let touched = match kind {
        K::ReplyMeeting { meeting_id, leave_reason } => {
            let m = meeting_or_missing(tx, meeting_id)?;
            let a = repo::attendance(tx, meeting_id, &actor.person_id)?.ok_or(DutyError::NotInvited)?;
            let a = meeting::reply(&m, &a, leave_reason.as_deref(), now_ms)?;
            save_attendance(tx, &a)?
        }
        K::DecideLeave { meeting_id, person_id, approve, note } => {
            let m = meeting_or_missing(tx, meeting_id)?;
            let a = repo::attendance(tx, meeting_id, person_id)?.ok_or(DutyError::NoLeavePending)?;
            save_attendance(tx, &meeting::decide_leave(actor, &m, &a, *approve, note)?)?
        }
        K::SignUp { meeting_id } => {
            let m = meeting_or_missing(tx, meeting_id)?;
            if actor.role != Role::Member || actor.org_id != m.org_id {
                return Err(DutyError::NotInvited.into());
            }
            let a = repo::attendance(tx, meeting_id, &actor.person_id)?
                .unwrap_or_else(|| Attendance::new(meeting_id, &actor.person_id));
            let next = repo::attendances_of_meeting(tx, meeting_id)?.iter().map(|x| x.queue_seq).max().unwrap_or(0) + 1;
            let (m, a) = meeting::sign_up(&m, &a, next, now_ms)?;
            repo::save_meeting(tx, &m)?;
            let mut touched = save_attendance(tx, &a)?;
            touched.push((EntityKind::Meeting, m.id));
            touched
        }
        K::CancelSignUp { meeting_id } => {
            let m = meeting_or_missing(tx, meeting_id)?;
            let a = repo::attendance(tx, meeting_id, &actor.person_id)?.ok_or(DutyError::NotSignedUp)?;
            let waiting: Vec<Attendance> = repo::attendances_of_meeting(tx, meeting_id)?
                .into_iter()
                .filter(|w| w.reply == Reply::Waitlisted)
                .collect();
            let (m, a, promoted) = meeting::cancel_sign_up(&m, &a, &waiting, now_ms)?;
            repo::save_meeting(tx, &m)?;
            let mut touched = save_attendance(tx, &a)?;
            if let Some(p) = promoted {
                touched.extend(save_attendance(tx, &p)?);
            }
            touched.push((EntityKind::Meeting, m.id));
            touched
        }
        K::CheckIn { meeting_id, code, at_ms } => {
            let m = meeting_or_missing(tx, meeting_id)?;
            if side == Side::Server && *at_ms > now_ms + CHECK_IN_CLOCK_SKEW_MS {
                return Err(DutyError::OutsideCheckInWindow.into());
            }
            let a = repo::attendance(tx, meeting_id, &actor.person_id)?
                .unwrap_or_else(|| Attendance::new(meeting_id, &actor.person_id));
            save_attendance(tx, &meeting::check_in_with_code(&m, &a, code, *at_ms)?)?
        }
        K::CheckInByStaff { meeting_id, person_id } => {
            let m = meeting_or_missing(tx, meeting_id)?;
            let a = attendance_or_new(tx, meeting_id, person_id)?;
            save_attendance(tx, &meeting::check_in_by_staff(actor, &m, &a, now_ms)?)?
        }
        K::MarkAbsent { meeting_id, person_id, excused } => {
            let m = meeting_or_missing(tx, meeting_id)?;
            let a = attendance_or_new(tx, meeting_id, person_id)?;
            save_attendance(tx, &meeting::mark_absent(actor, &m, &a, *excused)?)?
        }
        _ => return Ok(None),
    };
    Ok(Some(touched))
}

/// 履职档案: speeches staff record, self-reports and their review, the point rules.
fn record(
    tx: &Transaction<'_>,
    actor: &Actor,
    kind: &MutationKind,
    side: Side,
    now_ms: i64,
) -> Result<Option<Entities>> {
    use MutationKind as K;
    let touched = match kind {
        K::RecordSpeech { entry_id, person_id, kind, title, date_ms } => {
            check_new_entry(tx, entry_id)?;
            let e = record::record_speech(actor, entry_id, person_id, *kind, title, *date_ms, now_ms)?;
            if side == Side::Server {
                audience::check_people_in_tree(tx, &e.org_id, std::slice::from_ref(person_id))?;
            }
            save_entry(tx, &e)?
        }
        K::SubmitSelfReport { entry_id, title, description, date_ms } => {
            check_new_entry(tx, entry_id)?;
            save_entry(tx, &record::submit_self_report(actor, entry_id, title, description, *date_ms, now_ms)?)?
        }
        K::DecideSelfReport { entry_id, accept, reason } => {
            let e = repo::entry(tx, entry_id)?.ok_or(Error::NotFound { what: "履职记录" })?;
            save_entry(tx, &record::decide_self_report(actor, &e, *accept, reason, now_ms)?)?
        }
        K::SetDutyRules { rules } => {
            check_staff(actor, &actor.org_id)?;
            let current = repo::rules(tx, &actor.org_id)?;
            let r = record::set_rules(actor, &current, rules, now_ms)?;
            repo::save_rules(tx, &r)?;
            vec![(EntityKind::DutyRules, r.org_id)]
        }
        _ => return Ok(None),
    };
    Ok(Some(touched))
}

/// 意见建议: sent by anyone, answered by the organisation's administrators.
fn feedback(
    tx: &Transaction<'_>,
    actor: &Actor,
    kind: &MutationKind,
    _side: Side,
    now_ms: i64,
) -> Result<Option<Entities>> {
    use MutationKind as K;
    let touched = match kind {
        K::SendFeedback { feedback_id, text } => {
            if repo::feedback(tx, feedback_id)?.is_some() {
                return Err(DutyError::DuplicateId.into());
            }
            let f = feedback::send(actor, feedback_id, text, now_ms)?;
            repo::save_feedback(tx, &f)?;
            vec![(EntityKind::Feedback, f.id)]
        }
        K::AnswerFeedback { feedback_id, answer } => {
            let f = repo::feedback(tx, feedback_id)?.ok_or(Error::NotFound { what: "意见建议" })?;
            let f = feedback::answer(actor, &f, answer, now_ms)?;
            repo::save_feedback(tx, &f)?;
            vec![(EntityKind::Feedback, f.id)]
        }
        _ => return Ok(None),
    };
    Ok(Some(touched))
}

fn notice_or_missing(c: &Connection, id: &str) -> Result<Notice> {
    repo::notice(c, id)?.ok_or(Error::NotFound { what: "通知" })
}

fn meeting_or_missing(c: &Connection, id: &str) -> Result<Meeting> {
    repo::meeting(c, id)?.ok_or(Error::NotFound { what: "会议活动" })
}

fn attendance_or_new(c: &Connection, meeting_id: &str, person_id: &str) -> Result<Attendance> {
    Ok(repo::attendance(c, meeting_id, person_id)?.unwrap_or_else(|| Attendance::new(meeting_id, person_id)))
}

fn check_new_entry(c: &Connection, id: &str) -> Result<()> {
    if repo::entry(c, id)?.is_some() {
        return Err(DutyError::DuplicateId.into());
    }
    Ok(())
}

/// The notice and the actor's receipt of it; refused for someone outside its audience.
fn recipient_receipt(tx: &Transaction<'_>, actor: &Actor, notice_id: &str) -> Result<(Notice, Receipt)> {
    let n = notice_or_missing(tx, notice_id)?;
    if !audience::may_receive(tx, &n, &actor.person_id)? {
        return Err(DutyError::NotRecipient.into());
    }
    let r =
        repo::receipt(tx, notice_id, &actor.person_id)?.unwrap_or_else(|| Receipt::new(notice_id, &actor.person_id));
    Ok((n, r))
}

fn save_notice_with_audience(tx: &Transaction<'_>, n: &Notice, side: Side) -> Result<Entities> {
    if side == Side::Server {
        audience::check(tx, n)?;
    }
    repo::save_notice(tx, n)?;
    repo::save_audience(tx, &audience::audience_list(tx, n)?)?;
    Ok(vec![(EntityKind::Notice, n.id.clone()), (EntityKind::NoticeAudience, n.id.clone())])
}

fn save_attendance(tx: &Transaction<'_>, a: &Attendance) -> Result<Entities> {
    repo::save_attendance(tx, a)?;
    Ok(vec![(EntityKind::Attendance, a.id())])
}

fn save_entry(tx: &Transaction<'_>, e: &DutyEntry) -> Result<Entities> {
    repo::save_entry(tx, e)?;
    Ok(vec![(EntityKind::DutyEntry, e.id.clone())])
}

// --- The server's check-in key ------------------------------------------------------------

/// The server's check-in signing key, made on first use (server databases only).
pub fn signing_key(tx: &Transaction<'_>, now_ms: i64) -> Result<Vec<u8>> {
    let key: Option<Vec<u8>> =
        tx.query_row("SELECT pkcs8 FROM signing_keys WHERE purpose = 'check_in'", [], |r| r.get(0)).optional()?;
    if let Some(key) = key {
        return Ok(key);
    }
    let key = checkin::new_key();
    tx.execute(
        "INSERT INTO signing_keys (purpose, pkcs8, created_at) VALUES ('check_in', ?1, ?2)",
        params![key, now_ms],
    )?;
    Ok(key)
}

/// Staff ask the server for a check-in code for a meeting, valid from `not_before_ms` to
/// `not_after_ms` (server only: the private key never leaves it).
pub fn issue_check_in_code(
    tx: &Transaction<'_>,
    actor: &Actor,
    meeting_id: &str,
    not_before_ms: i64,
    not_after_ms: i64,
    now_ms: i64,
) -> Result<String> {
    let m = meeting_or_missing(tx, meeting_id)?;
    check_staff(actor, &m.org_id)?;
    if not_after_ms <= not_before_ms {
        return Err(DutyError::EndsBeforeStart.into());
    }
    let key = signing_key(tx, now_ms)?;
    let claims = CodeClaims { meeting_id: meeting_id.into(), not_before_ms, not_after_ms };
    Ok(checkin::issue(&key, &claims)?)
}

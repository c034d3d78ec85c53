//! 待办: the member's upcoming deadlines, computed from synced data so the apps can schedule
//! local notifications with no server push (push in China cannot rely on one channel). Real
//! duties only: nothing here is a daily chore.

use lvzhi_domain::duty::meeting::{Enrolment, Reply};
use lvzhi_domain::duty::notice::NoticeStatus;
use lvzhi_domain::proposal::{InvitationStatus, ProposalState};
use lvzhi_sql::Connection;
use serde::{Deserialize, Serialize};

use super::repo;
use crate::error::Result;

/// How far ahead meetings are listed.
const MEETINGS_AHEAD_MS: i64 = 7 * 24 * 3600 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// 通知回执 not yet answered.
    NoticeReply,
    /// A meeting not yet answered (invitation) or coming up.
    Meeting,
    /// An invitation to co-sign a proposal.
    CoSign,
    /// A reply to rate (测评).
    Evaluation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub kind: ReminderKind,
    /// What to do, in Chinese: 「请回复通知回执」.
    pub action: String,
    pub title: String,
    /// When it is due (ms), if it has a time.
    pub due_at_ms: Option<i64>,
    /// The entity to open: `notice`, `meeting`, `proposal`.
    pub entity: String,
    pub id: String,
}

/// The reminders of `person_id` at `now_ms`, soonest first.
pub fn reminders(c: &Connection, person_id: &str, now_ms: i64) -> Result<Vec<Reminder>> {
    let mut out = Vec::new();
    for n in repo::notices(c)? {
        if n.status != NoticeStatus::Published || !n.accepts_replies(now_ms) {
            continue;
        }
        // Only notices addressed to this person (staff also hold the ones they published).
        if !super::audience::may_receive(c, &n, person_id)? {
            continue;
        }
        let answered = repo::receipt(c, &n.id, person_id)?.is_some_and(|r| r.answer.is_some());
        if !answered {
            out.push(Reminder {
                kind: ReminderKind::NoticeReply,
                action: "请回复通知回执".into(),
                title: n.content.title.clone(),
                due_at_ms: n.content.reply_deadline_ms,
                entity: "notice".into(),
                id: n.id.clone(),
            });
        }
    }
    for a in repo::attendances_of_person(c, person_id)? {
        let Some(m) = repo::meeting(c, &a.meeting_id)? else { continue };
        if m.cancelled || m.ends_at_ms < now_ms {
            continue;
        }
        let invited = matches!(m.enrolment, Enrolment::Invitation { .. });
        let action = match a.reply {
            Reply::Pending if invited => "请答复是否参加",
            Reply::Attend | Reply::SignedUp if m.starts_at_ms - now_ms <= MEETINGS_AHEAD_MS => "即将召开，请按时参加",
            _ => continue,
        };
        out.push(Reminder {
            kind: ReminderKind::Meeting,
            action: action.into(),
            title: m.title.clone(),
            due_at_ms: Some(m.starts_at_ms),
            entity: "meeting".into(),
            id: m.id.clone(),
        });
    }
    for p in crate::proposal::repo::proposals_of_party(c, person_id)? {
        let invited_pending =
            p.invitations.iter().any(|i| i.person_id == person_id && i.status == InvitationStatus::Pending);
        if p.state == ProposalState::CoSigning && invited_pending {
            out.push(Reminder {
                kind: ReminderKind::CoSign,
                action: "请确认是否联名".into(),
                title: p.content.title.clone(),
                due_at_ms: None,
                entity: "proposal".into(),
                id: p.id.clone(),
            });
        }
        let proposer = p.first_proposer_id == person_id
            || p.invitations.iter().any(|i| i.person_id == person_id && i.status == InvitationStatus::Accepted);
        let rated = p.evaluations.iter().any(|e| e.person_id == person_id && e.round == p.round);
        if p.state == ProposalState::Evaluating && proposer && !rated {
            out.push(Reminder {
                kind: ReminderKind::Evaluation,
                action: "请对办理答复进行测评".into(),
                title: p.content.title.clone(),
                due_at_ms: None,
                entity: "proposal".into(),
                id: p.id.clone(),
            });
        }
    }
    out.sort_by(|a, b| (a.due_at_ms.is_none(), a.due_at_ms, &a.id).cmp(&(b.due_at_ms.is_none(), b.due_at_ms, &b.id)));
    Ok(out)
}

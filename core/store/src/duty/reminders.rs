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

// --- Local notifications ----------------------------------------------------------------------

/// Which kinds of 待办 the member wants a notification for outside the app (我的 → 设置). All
/// on unless switched off; kept on the phone only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderSettings {
    pub notice_reply: bool,
    pub meeting: bool,
    pub co_sign: bool,
    pub evaluation: bool,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        ReminderSettings { notice_reply: true, meeting: true, co_sign: true, evaluation: true }
    }
}

impl ReminderSettings {
    pub fn allows(&self, kind: ReminderKind) -> bool {
        match kind {
            ReminderKind::NoticeReply => self.notice_reply,
            ReminderKind::Meeting => self.meeting,
            ReminderKind::CoSign => self.co_sign,
            ReminderKind::Evaluation => self.evaluation,
        }
    }
}

impl ReminderKind {
    /// The switch's and the notification channel's name.
    pub fn label(self) -> &'static str {
        match self {
            ReminderKind::NoticeReply => "通知回执",
            ReminderKind::Meeting => "会议活动",
            ReminderKind::CoSign => "联名邀请",
            ReminderKind::Evaluation => "办理测评",
        }
    }
}

/// One notification the phone's system should show at `at_ms`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledReminder {
    /// Stable across schedules (kind, item and which of an item's reminders): the OS replaces a
    /// notification with the same key instead of showing it twice.
    pub key: String,
    pub kind: ReminderKind,
    /// The notification's title: what to do (「请回复通知回执」).
    pub title: String,
    /// Its text: the item's title and, where there is one, when it is due.
    pub body: String,
    pub at_ms: i64,
    pub entity: String,
    pub id: String,
}

/// No notification sounds from 22:00 to 07:00 in China.
pub const QUIET_FROM_HOUR: u32 = 22;
pub const QUIET_UNTIL_HOUR: u32 = 7;
/// A reminder that would fall in the quiet hours but must come before its due time comes at
/// 21:30 instead.
const QUIET_EVE_MINUTE: u32 = 21 * 60 + 30;
const HOUR_MS: i64 = 3600 * 1000;

/// The local notifications for `reminders` (the 待办 of [`reminders`]) from `now_ms` on.
///
/// `first_seen` is when this phone first listed each reminder (by [`ScheduledReminder::key`]
/// without its suffix): an item without a due time is reminded once, an hour after it appeared
/// (a member who just saw it in the app needs no buzz at once), and an item whose reminder time
/// has passed is not reminded again — rescheduling after every sync never nags. Nothing is
/// scheduled for what is done or withdrawn (it is no longer in `reminders`), for a kind switched
/// off, or inside the quiet hours: such a reminder moves to 07:00, or to 21:30 the evening before
/// if 07:00 would be too late for its due time. Soonest first.
pub fn schedule(
    reminders: &[Reminder],
    first_seen: &std::collections::BTreeMap<String, i64>,
    now_ms: i64,
    settings: &ReminderSettings,
) -> Vec<ScheduledReminder> {
    let mut out = Vec::new();
    for r in reminders {
        if !settings.allows(r.kind) {
            continue;
        }
        let key = reminder_key(r);
        let seen = first_seen.get(&key).copied().unwrap_or(now_ms);
        let due = r.due_at_ms;
        // (which of the item's reminders, when)
        let mut times: Vec<(&str, i64)> = Vec::new();
        match (r.kind, due) {
            // 24 hours before the deadline, or an hour after it appeared if that is later.
            (ReminderKind::NoticeReply, Some(deadline)) => {
                times.push(("", (deadline - 24 * HOUR_MS).max(seen + HOUR_MS)))
            }
            // Coming up: the day before (time to travel from a township) and an hour before.
            (ReminderKind::Meeting, Some(start)) if r.action.starts_with("即将") => {
                times.push(("day", start - 24 * HOUR_MS));
                times.push(("hour", start - HOUR_MS));
            }
            _ => times.push(("", seen + HOUR_MS)),
        }
        for (suffix, at) in times {
            let Some(at) = outside_quiet_hours(at, due) else { continue };
            if at <= now_ms || due.is_some_and(|d| at >= d) {
                continue;
            }
            let when = due.map(|d| format!("（{}）", due_text(r.kind, d))).unwrap_or_default();
            out.push(ScheduledReminder {
                key: if suffix.is_empty() { key.clone() } else { format!("{key}:{suffix}") },
                kind: r.kind,
                title: r.action.clone(),
                body: format!("{}{when}", r.title),
                at_ms: at,
                entity: r.entity.clone(),
                id: r.id.clone(),
            });
        }
    }
    out.sort_by(|a, b| (a.at_ms, &a.key).cmp(&(b.at_ms, &b.key)));
    out
}

/// The key a reminder is known by across schedules.
pub fn reminder_key(r: &Reminder) -> String {
    format!("{}:{}", r.kind.label(), r.id)
}

fn due_text(kind: ReminderKind, due_ms: i64) -> String {
    let at = lvzhi_domain::time::display(lvzhi_domain::time::from_millis(due_ms));
    match kind {
        ReminderKind::Meeting => format!("{at}开始"),
        _ => format!("{at}截止"),
    }
}

/// `at` moved out of 22:00–07:00 China time: to 07:00, or to the evening before when 07:00 is
/// not before `due`; `None` when neither is possible.
fn outside_quiet_hours(at_ms: i64, due_ms: Option<i64>) -> Option<i64> {
    use chrono::{Duration, Timelike};
    let local = lvzhi_domain::time::from_millis(at_ms).with_timezone(&lvzhi_domain::time::cst());
    let hour = local.hour();
    if (QUIET_UNTIL_HOUR..QUIET_FROM_HOUR).contains(&hour) {
        return Some(at_ms);
    }
    let midnight = local.with_hour(0)?.with_minute(0)?.with_second(0)?.with_nanosecond(0)?;
    // The quiet night `at` falls in started on this day (after 22:00) or the day before.
    let evening = if hour >= QUIET_FROM_HOUR { midnight } else { midnight - Duration::days(1) };
    let morning = evening + Duration::days(1) + Duration::hours(i64::from(QUIET_UNTIL_HOUR));
    let morning_ms = morning.timestamp_millis();
    if due_ms.is_none_or(|d| morning_ms < d) {
        return Some(morning_ms);
    }
    let eve = (evening + Duration::minutes(i64::from(QUIET_EVE_MINUTE))).timestamp_millis();
    due_ms.is_some_and(|d| eve < d).then_some(eve)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::TimeZone;

    use super::*;

    /// 2027-03-10 (a Wednesday) at `h:m` China time, plus `days`.
    fn at(days: i64, h: u32, m: u32) -> i64 {
        lvzhi_domain::time::cst().with_ymd_and_hms(2027, 3, 10, h, m, 0).unwrap().timestamp_millis()
            + days * 24 * HOUR_MS
    }

    fn reminder(kind: ReminderKind, action: &str, id: &str, due: Option<i64>) -> Reminder {
        Reminder {
            kind,
            action: action.into(),
            title: format!("关于{id}的事项"),
            due_at_ms: due,
            entity: "notice".into(),
            id: id.into(),
        }
    }

    fn times(plan: &[ScheduledReminder]) -> Vec<(String, i64)> {
        plan.iter().map(|s| (s.key.clone(), s.at_ms)).collect()
    }

    #[test]
    fn a_fixture_day_is_planned_outside_the_quiet_hours() {
        let now = at(0, 9, 0);
        let reminders = vec![
            // Deadline Friday 10:00: the day before at 10:00.
            reminder(ReminderKind::NoticeReply, "请回复通知回执", "n1", Some(at(2, 10, 0))),
            // Deadline Friday 02:00: 24 h before is Thursday 02:00, quiet: moved to 07:00.
            reminder(ReminderKind::NoticeReply, "请回复通知回执", "n2", Some(at(2, 2, 0))),
            // A meeting tomorrow 07:30: the day before at 07:30, and 06:30 (quiet) becomes 07:00.
            reminder(ReminderKind::Meeting, "即将召开，请按时参加", "m1", Some(at(1, 7, 30))),
            // An invitation to answer: an hour after it appeared.
            reminder(ReminderKind::Meeting, "请答复是否参加", "m2", Some(at(5, 9, 0))),
            // Undated: an hour after first seen (seen now).
            reminder(ReminderKind::CoSign, "请确认是否联名", "p1", None),
            // Seen yesterday: its one reminder has passed, none again.
            reminder(ReminderKind::Evaluation, "请对办理答复进行测评", "p2", None),
        ];
        let mut seen = BTreeMap::new();
        seen.insert("办理测评:p2".to_string(), at(-1, 9, 0));
        let plan = schedule(&reminders, &seen, now, &ReminderSettings::default());
        assert_eq!(
            times(&plan),
            vec![
                ("会议活动:m2".into(), at(0, 10, 0)),
                ("联名邀请:p1".into(), at(0, 10, 0)),
                ("会议活动:m1:hour".into(), at(1, 7, 0)),
                ("通知回执:n2".into(), at(1, 7, 0)),
                ("通知回执:n1".into(), at(1, 10, 0)),
            ]
        );
        // The meeting's day-before reminder (today 07:30) has passed.
        assert!(plan.iter().all(|s| s.key != "会议活动:m1:day"));
        for s in &plan {
            let hour = lvzhi_domain::time::from_millis(s.at_ms).with_timezone(&lvzhi_domain::time::cst()).format("%H");
            let hour: u32 = hour.to_string().parse().unwrap();
            assert!((QUIET_UNTIL_HOUR..QUIET_FROM_HOUR).contains(&hour), "{} at {hour}", s.key);
        }
        assert_eq!(plan[4].title, "请回复通知回执");
        assert_eq!(plan[4].body, "关于n1的事项（2027-03-12 10:00截止）");
    }

    #[test]
    fn a_deadline_before_the_morning_is_reminded_the_evening_before() {
        // Seen at 21:00 with a deadline at 06:00: an hour later is quiet, 07:00 is too late.
        let now = at(0, 21, 0);
        let r = reminder(ReminderKind::NoticeReply, "请回复通知回执", "n3", Some(at(1, 6, 0)));
        let plan = schedule(std::slice::from_ref(&r), &BTreeMap::new(), now, &ReminderSettings::default());
        assert_eq!(times(&plan), vec![("通知回执:n3".into(), at(0, 21, 30))]);
        // At 21:40 nothing is left to plan before the deadline.
        assert!(schedule(&[r], &BTreeMap::new(), at(0, 21, 40), &ReminderSettings::default()).is_empty());
    }

    #[test]
    fn a_kind_switched_off_is_not_planned() {
        let now = at(0, 9, 0);
        let reminders = vec![
            reminder(ReminderKind::CoSign, "请确认是否联名", "p1", None),
            reminder(ReminderKind::NoticeReply, "请回复通知回执", "n1", Some(at(2, 10, 0))),
        ];
        let settings = ReminderSettings { co_sign: false, ..ReminderSettings::default() };
        let plan = schedule(&reminders, &BTreeMap::new(), now, &settings);
        assert_eq!(times(&plan), vec![("通知回执:n1".into(), at(1, 10, 0))]);
    }
}

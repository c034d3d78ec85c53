//! 会议活动: meetings by invitation (answered 参加 or 请假, leave approved by staff where the
//! meeting asks for it) and open activities (sign-up with a capacity and a waiting list promoted
//! in order); check-in by a signed code or by staff; absence marked by staff. Attendance, leave
//! and absence become facts of the duty record.

use serde::{Deserialize, Serialize};

use super::checkin::{self, CodeClaims};
use super::{DutyError, check_body, check_note, check_staff, check_title};
use crate::org::Actor;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    /// 全体会议
    Plenary,
    /// 常委会议
    StandingCommittee,
    /// 主席会议
    Chairs,
    /// 专题协商会
    Consultation,
    /// 视察
    Inspection,
    /// 调研
    Research,
    /// 学习培训
    Training,
    /// 界别活动
    SectorActivity,
    /// 委员工作室活动
    StudioActivity,
    /// 其他
    Other,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 10] = [
        MeetingKind::Plenary,
        MeetingKind::StandingCommittee,
        MeetingKind::Chairs,
        MeetingKind::Consultation,
        MeetingKind::Inspection,
        MeetingKind::Research,
        MeetingKind::Training,
        MeetingKind::SectorActivity,
        MeetingKind::StudioActivity,
        MeetingKind::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            MeetingKind::Plenary => "全体会议",
            MeetingKind::StandingCommittee => "常委会议",
            MeetingKind::Chairs => "主席会议",
            MeetingKind::Consultation => "专题协商会",
            MeetingKind::Inspection => "视察",
            MeetingKind::Research => "调研",
            MeetingKind::Training => "学习培训",
            MeetingKind::SectorActivity => "界别活动",
            MeetingKind::StudioActivity => "委员工作室活动",
            MeetingKind::Other => "其他",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MeetingKind::Plenary => "plenary",
            MeetingKind::StandingCommittee => "standing_committee",
            MeetingKind::Chairs => "chairs",
            MeetingKind::Consultation => "consultation",
            MeetingKind::Inspection => "inspection",
            MeetingKind::Research => "research",
            MeetingKind::Training => "training",
            MeetingKind::SectorActivity => "sector_activity",
            MeetingKind::StudioActivity => "studio_activity",
            MeetingKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Who takes part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Enrolment {
    /// Named people are invited and answer 参加 or 请假.
    Invitation { person_ids: Vec<String> },
    /// Members of the organisation sign up, up to `capacity`; later ones wait in order.
    Open { capacity: u32, sign_up_deadline_ms: Option<i64> },
}

/// What staff write when they create a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDraft {
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub place: String,
    /// 主办: the body that runs it (a special committee, the secretariat).
    pub organiser: String,
    pub agenda: String,
    /// Half days it lasts (the usual unit of plenary points); at least 1.
    pub half_days: u32,
    pub enrolment: Enrolment,
    /// Whether 请假 waits for staff approval (an organisation's practice).
    pub leave_needs_approval: bool,
    /// A remote consultation (远程协商会): its topic, venues and video link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<RemoteInfo>,
}

/// What makes a meeting a remote consultation (远程协商会).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteInfo {
    /// 协商议题
    pub topic: String,
    /// 主会场
    pub main_venue: String,
    /// 分会场: an organisation each, with its room.
    pub branch_venues: Vec<BranchVenue>,
    /// The video link (just a link: the video is not ours).
    pub video_link: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchVenue {
    pub org_id: String,
    pub place: String,
}

/// A meeting document (会议材料), readable offline, with its version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDocument {
    pub id: String,
    pub title: String,
    pub body: String,
    pub version: u32,
    pub updated_at_ms: i64,
    pub updated_by: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<crate::files::Attachment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    pub id: String,
    pub org_id: String,
    pub kind: MeetingKind,
    pub title: String,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub place: String,
    pub organiser: String,
    pub agenda: String,
    pub half_days: u32,
    pub enrolment: Enrolment,
    pub leave_needs_approval: bool,
    pub documents: Vec<MeetingDocument>,
    pub cancelled: bool,
    /// Why it was cancelled (shown to everyone on the list).
    #[serde(default)]
    pub cancel_reason: Option<String>,
    pub created_by: String,
    pub created_at_ms: i64,
    /// The server's check-in public key (base64url); set by the server when it records the
    /// meeting, so a meeting created offline has none until it syncs.
    pub check_in_key: Option<String>,
    /// Open activities: places taken and people waiting (kept by the server, shown to all).
    pub taken: u32,
    pub waiting: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<RemoteInfo>,
}

/// A person's answer to a meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    /// Invited, not answered yet.
    Pending,
    /// 参加
    Attend,
    /// 请假
    Leave,
    /// 已报名 (open activities)
    SignedUp,
    /// 候补
    Waitlisted,
    /// 已取消报名
    Cancelled,
}

impl Reply {
    pub fn label(self) -> &'static str {
        match self {
            Reply::Pending => "待答复",
            Reply::Attend => "参加",
            Reply::Leave => "请假",
            Reply::SignedUp => "已报名",
            Reply::Waitlisted => "候补",
            Reply::Cancelled => "已取消",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaveDecision {
    Pending,
    Approved,
    Refused,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckInMethod {
    /// The member's phone took the signed code.
    Code,
    /// Staff checked the member in by hand.
    Staff,
}

/// One person's part in one meeting; id `meeting_id@person_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub meeting_id: String,
    pub person_id: String,
    pub reply: Reply,
    /// 请假理由, or staff's note on a refused leave.
    pub reason: String,
    pub replied_at_ms: Option<i64>,
    pub leave: Option<LeaveDecision>,
    /// Open activities: when the person signed up.
    pub queued_at_ms: Option<i64>,
    /// Open activities: the place in the order of sign-ups (the waiting list's order); the
    /// server's count decides, two sign-ups in the same millisecond included.
    #[serde(default)]
    pub queue_seq: u64,
    pub checked_in_at_ms: Option<i64>,
    pub check_in_method: Option<CheckInMethod>,
    /// Marked absent by staff; `Some(true)` when excused.
    pub absent_excused: Option<bool>,
}

impl Attendance {
    pub fn new(meeting_id: &str, person_id: &str) -> Attendance {
        Attendance {
            meeting_id: meeting_id.into(),
            person_id: person_id.into(),
            reply: Reply::Pending,
            reason: String::new(),
            replied_at_ms: None,
            leave: None,
            queued_at_ms: None,
            queue_seq: 0,
            checked_in_at_ms: None,
            check_in_method: None,
            absent_excused: None,
        }
    }

    pub fn id(&self) -> String {
        attendance_id(&self.meeting_id, &self.person_id)
    }

    /// What the duty record takes from this attendance, if anything yet.
    pub fn outcome(&self) -> Option<Outcome> {
        if self.checked_in_at_ms.is_some() {
            return Some(Outcome::Attended);
        }
        match self.absent_excused {
            Some(true) => Some(Outcome::Excused),
            Some(false) => Some(Outcome::Absent),
            None => None,
        }
    }
}

pub fn attendance_id(meeting_id: &str, person_id: &str) -> String {
    format!("{meeting_id}@{person_id}")
}

/// The fact an attendance becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 出席 (checked in)
    Attended,
    /// 请假缺席
    Excused,
    /// 无故缺席
    Absent,
}

// --- Rules ---------------------------------------------------------------------------------

fn check_draft(d: &MeetingDraft) -> Result<MeetingDraft, DutyError> {
    let mut d = d.clone();
    d.title = check_title(&d.title)?.to_string();
    d.place = check_note("地点", &d.place, true)?.to_string();
    d.organiser = check_note("主办单位", &d.organiser, false)?.to_string();
    d.agenda = check_body("议程", &d.agenda, false)?.to_string();
    if d.ends_at_ms < d.starts_at_ms {
        return Err(DutyError::EndsBeforeStart);
    }
    d.half_days = d.half_days.max(1);
    if let Some(r) = &mut d.remote {
        r.topic = check_title(&r.topic)?.to_string();
        r.main_venue = check_note("主会场", &r.main_venue, true)?.to_string();
        r.video_link = check_note("视频链接", &r.video_link, false)?.to_string();
        for v in &mut r.branch_venues {
            v.place = check_note("分会场地点", &v.place, true)?.to_string();
        }
    }
    match &mut d.enrolment {
        Enrolment::Invitation { person_ids } => {
            person_ids.iter_mut().for_each(|p| *p = p.trim().to_string());
            person_ids.retain(|p| !p.is_empty());
            person_ids.sort();
            person_ids.dedup();
            if person_ids.is_empty() {
                return Err(DutyError::EmptyAudience);
            }
        }
        Enrolment::Open { capacity, .. } => {
            if *capacity == 0 {
                return Err(DutyError::ZeroCapacity);
            }
        }
    }
    Ok(d)
}

/// Staff create a meeting; invitees get their attendance rows from the caller.
pub fn create(actor: &Actor, id: &str, draft: &MeetingDraft, now_ms: i64) -> Result<Meeting, DutyError> {
    check_staff(actor, &actor.org_id)?;
    let d = check_draft(draft)?;
    Ok(Meeting {
        id: id.into(),
        org_id: actor.org_id.clone(),
        kind: d.kind,
        title: d.title,
        starts_at_ms: d.starts_at_ms,
        ends_at_ms: d.ends_at_ms,
        place: d.place,
        organiser: d.organiser,
        agenda: d.agenda,
        half_days: d.half_days,
        enrolment: d.enrolment,
        leave_needs_approval: d.leave_needs_approval,
        documents: Vec::new(),
        cancelled: false,
        cancel_reason: None,
        created_by: actor.person_id.clone(),
        created_at_ms: now_ms,
        check_in_key: None,
        taken: 0,
        waiting: 0,
        remote: d.remote,
    })
}

/// Staff cancel a meeting, with a reason; it stays, marked, and takes no more answers.
pub fn cancel(actor: &Actor, m: &Meeting, reason: &str) -> Result<Meeting, DutyError> {
    check_staff(actor, &m.org_id)?;
    if m.cancelled {
        return Err(DutyError::MeetingCancelled);
    }
    let reason = check_note("取消原因", reason, true)?;
    let mut m = m.clone();
    m.cancelled = true;
    m.cancel_reason = Some(reason.into());
    Ok(m)
}

/// A new capacity for an open activity; never below the places taken.
pub fn set_capacity(actor: &Actor, m: &Meeting, capacity: u32) -> Result<Meeting, DutyError> {
    check_staff(actor, &m.org_id)?;
    let Enrolment::Open { sign_up_deadline_ms, .. } = m.enrolment else {
        return Err(DutyError::InvitationOnly);
    };
    if capacity == 0 {
        return Err(DutyError::ZeroCapacity);
    }
    if capacity < m.taken {
        return Err(DutyError::CapacityBelowTaken { taken: m.taken });
    }
    let mut m = m.clone();
    m.enrolment = Enrolment::Open { capacity, sign_up_deadline_ms };
    Ok(m)
}

/// Places freed by a larger capacity go to the waiting list in order (earliest sign-up first,
/// then the person's id); returns the meeting and those promoted.
pub fn promote_waiting(m: &Meeting, waiting: &[Attendance]) -> (Meeting, Vec<Attendance>) {
    let mut m = m.clone();
    let Enrolment::Open { capacity, .. } = m.enrolment else { return (m, Vec::new()) };
    let mut queue: Vec<&Attendance> = waiting.iter().filter(|w| w.reply == Reply::Waitlisted).collect();
    queue.sort_by(|x, y| queue_order(x, y));
    let mut promoted = Vec::new();
    for w in queue {
        if m.taken >= capacity {
            break;
        }
        let mut w = w.clone();
        w.reply = Reply::SignedUp;
        m.taken += 1;
        m.waiting = m.waiting.saturating_sub(1);
        promoted.push(w);
    }
    (m, promoted)
}

/// Adds a document or a new version of one.
pub fn set_document(
    actor: &Actor,
    m: &Meeting,
    document_id: &str,
    title: &str,
    body: &str,
    attachments: &[crate::files::Attachment],
    now_ms: i64,
) -> Result<Meeting, DutyError> {
    check_staff(actor, &m.org_id)?;
    let title = check_title(title)?;
    // A document may be its files alone.
    let body = check_body("会议材料", body, attachments.is_empty())?;
    let mut m = m.clone();
    match m.documents.iter_mut().find(|d| d.id == document_id) {
        Some(d) => {
            d.title = title.into();
            d.body = body.into();
            d.attachments = attachments.to_vec();
            d.version += 1;
            d.updated_at_ms = now_ms;
            d.updated_by = actor.person_id.clone();
        }
        None => m.documents.push(MeetingDocument {
            id: document_id.into(),
            title: title.into(),
            body: body.into(),
            version: 1,
            updated_at_ms: now_ms,
            updated_by: actor.person_id.clone(),
            attachments: attachments.to_vec(),
        }),
    }
    Ok(m)
}

fn check_open_for_answers(m: &Meeting, now_ms: i64) -> Result<(), DutyError> {
    if m.cancelled {
        return Err(DutyError::MeetingCancelled);
    }
    if now_ms > m.ends_at_ms {
        return Err(DutyError::MeetingOver);
    }
    Ok(())
}

/// An invitee answers 参加, or 请假 with a reason.
pub fn reply(m: &Meeting, a: &Attendance, leave: Option<&str>, now_ms: i64) -> Result<Attendance, DutyError> {
    if matches!(m.enrolment, Enrolment::Open { .. }) {
        return Err(DutyError::OpenActivity);
    }
    check_open_for_answers(m, now_ms)?;
    let mut a = a.clone();
    match leave {
        None => {
            a.reply = Reply::Attend;
            a.reason.clear();
            a.leave = None;
        }
        Some(reason) => {
            let reason = check_note("请假理由", reason, true).map_err(|e| match e {
                DutyError::Empty { .. } => DutyError::LeaveNeedsReason,
                e => e,
            })?;
            a.reply = Reply::Leave;
            a.reason = reason.into();
            a.leave = Some(if m.leave_needs_approval { LeaveDecision::Pending } else { LeaveDecision::Approved });
        }
    }
    a.replied_at_ms = Some(now_ms);
    Ok(a)
}

/// Staff approve or refuse a pending leave.
pub fn decide_leave(
    actor: &Actor,
    m: &Meeting,
    a: &Attendance,
    approve: bool,
    note: &str,
) -> Result<Attendance, DutyError> {
    check_staff(actor, &m.org_id)?;
    if a.leave != Some(LeaveDecision::Pending) {
        return Err(DutyError::NoLeavePending);
    }
    let note = check_note("审批意见", note, false)?;
    let mut a = a.clone();
    a.leave = Some(if approve { LeaveDecision::Approved } else { LeaveDecision::Refused });
    if !approve && !note.is_empty() {
        a.reason = format!("{}（未批准：{note}）", a.reason);
    }
    Ok(a)
}

/// The waiting list's order: sign-up order, then the person's id.
fn queue_order(x: &Attendance, y: &Attendance) -> std::cmp::Ordering {
    (x.queue_seq, x.queued_at_ms, &x.person_id).cmp(&(y.queue_seq, y.queued_at_ms, &y.person_id))
}

/// Signs up for an open activity: a place if one is free, else the waiting list. `queue_seq`
/// is this sign-up's place in the order (one more than the meeting's last).
pub fn sign_up(m: &Meeting, a: &Attendance, queue_seq: u64, now_ms: i64) -> Result<(Meeting, Attendance), DutyError> {
    let Enrolment::Open { capacity, sign_up_deadline_ms } = m.enrolment else {
        return Err(DutyError::InvitationOnly);
    };
    check_open_for_answers(m, now_ms)?;
    if sign_up_deadline_ms.is_some_and(|d| now_ms > d) {
        return Err(DutyError::SignUpClosed);
    }
    if matches!(a.reply, Reply::SignedUp | Reply::Waitlisted) {
        return Err(DutyError::AlreadySignedUp);
    }
    let (mut m, mut a) = (m.clone(), a.clone());
    if m.taken < capacity {
        a.reply = Reply::SignedUp;
        m.taken += 1;
    } else {
        a.reply = Reply::Waitlisted;
        m.waiting += 1;
    }
    a.queued_at_ms = Some(now_ms);
    a.queue_seq = queue_seq;
    a.replied_at_ms = Some(now_ms);
    Ok((m, a))
}

/// Cancels a sign-up. A place freed goes to the first on the waiting list (`waiting`, in any
/// order: the earliest sign-up wins); returns who was promoted.
pub fn cancel_sign_up(
    m: &Meeting,
    a: &Attendance,
    waiting: &[Attendance],
    now_ms: i64,
) -> Result<(Meeting, Attendance, Option<Attendance>), DutyError> {
    if !matches!(m.enrolment, Enrolment::Open { .. }) {
        return Err(DutyError::InvitationOnly);
    }
    check_open_for_answers(m, now_ms)?;
    let (mut m, mut a) = (m.clone(), a.clone());
    let promoted = match a.reply {
        Reply::SignedUp => {
            m.taken = m.taken.saturating_sub(1);
            let first = waiting
                .iter()
                .filter(|w| w.reply == Reply::Waitlisted && w.person_id != a.person_id)
                .min_by(|x, y| queue_order(x, y));
            first.map(|w| {
                let mut w = w.clone();
                w.reply = Reply::SignedUp;
                m.taken += 1;
                m.waiting = m.waiting.saturating_sub(1);
                w
            })
        }
        Reply::Waitlisted => {
            m.waiting = m.waiting.saturating_sub(1);
            None
        }
        _ => return Err(DutyError::NotSignedUp),
    };
    a.reply = Reply::Cancelled;
    a.replied_at_ms = Some(now_ms);
    Ok((m, a, promoted))
}

/// Whether `a` is on the meeting's list: invited, or holding a place.
fn on_list(m: &Meeting, a: &Attendance) -> bool {
    match &m.enrolment {
        Enrolment::Invitation { person_ids } => person_ids.contains(&a.person_id),
        Enrolment::Open { .. } => a.reply == Reply::SignedUp,
    }
}

/// What any attendance mark needs: a person on the list, not checked in yet.
fn check_markable(m: &Meeting, a: &Attendance) -> Result<(), DutyError> {
    if !on_list(m, a) {
        return Err(DutyError::NotOnList);
    }
    if a.checked_in_at_ms.is_some() {
        return Err(DutyError::AlreadyCheckedIn);
    }
    Ok(())
}

/// Records a check-in at `at_ms` by `method`.
fn checked_in(a: &Attendance, at_ms: i64, method: CheckInMethod) -> Attendance {
    let mut a = a.clone();
    a.checked_in_at_ms = Some(at_ms);
    a.check_in_method = Some(method);
    a.absent_excused = None;
    a
}

/// Check-in with a signed code, at `at_ms` (when the phone took the code).
pub fn check_in_with_code(m: &Meeting, a: &Attendance, code: &str, at_ms: i64) -> Result<Attendance, DutyError> {
    if m.cancelled {
        return Err(DutyError::MeetingCancelled);
    }
    check_markable(m, a)?;
    let key = m.check_in_key.as_deref().ok_or(DutyError::NoCheckInKey)?;
    let claims: CodeClaims = checkin::verify(code, key)?;
    if claims.meeting_id != m.id {
        return Err(DutyError::CodeForAnotherMeeting);
    }
    if at_ms < claims.not_before_ms || at_ms > claims.not_after_ms {
        return Err(DutyError::OutsideCheckInWindow);
    }
    Ok(checked_in(a, at_ms, CheckInMethod::Code))
}

/// Staff check a person in by hand (for those without phones).
pub fn check_in_by_staff(actor: &Actor, m: &Meeting, a: &Attendance, now_ms: i64) -> Result<Attendance, DutyError> {
    check_staff(actor, &m.org_id)?;
    check_markable(m, a)?;
    Ok(checked_in(a, now_ms, CheckInMethod::Staff))
}

/// Staff mark a person absent, excused or not.
pub fn mark_absent(actor: &Actor, m: &Meeting, a: &Attendance, excused: bool) -> Result<Attendance, DutyError> {
    check_staff(actor, &m.org_id)?;
    check_markable(m, a)?;
    let mut a = a.clone();
    a.absent_excused = Some(excused);
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::Role;

    fn staff() -> Actor {
        Actor { person_id: "chenjing".into(), role: Role::ProposalStaff, org_id: "yn-12-03".into(), unit_id: None }
    }

    fn open(capacity: u32) -> Meeting {
        let d = MeetingDraft {
            kind: MeetingKind::Inspection,
            title: "宾川县高标准农田建设视察".into(),
            starts_at_ms: 10_000,
            ends_at_ms: 20_000,
            place: "宾川县金牛镇".into(),
            organiser: "农业和农村委员会".into(),
            agenda: String::new(),
            half_days: 1,
            enrolment: Enrolment::Open { capacity, sign_up_deadline_ms: Some(9_000) },
            leave_needs_approval: false,
            remote: None,
        };
        create(&staff(), "m1", &d, 1_000).unwrap()
    }

    #[test]
    fn the_waiting_list_is_promoted_in_order() {
        let m = open(1);
        let (m, a) = sign_up(&m, &Attendance::new("m1", "a"), 1, 2_000).unwrap();
        let (m, c) = sign_up(&m, &Attendance::new("m1", "c"), 2, 2_000).unwrap();
        let (m, b) = sign_up(&m, &Attendance::new("m1", "b"), 3, 2_000).unwrap();
        assert_eq!((a.reply, b.reply, c.reply), (Reply::SignedUp, Reply::Waitlisted, Reply::Waitlisted));
        assert_eq!(sign_up(&m, &a, 4, 4_000).unwrap_err(), DutyError::AlreadySignedUp);
        assert_eq!(set_capacity(&staff(), &m, 0).unwrap_err(), DutyError::ZeroCapacity);
        let (m, _, promoted) = cancel_sign_up(&m, &a, &[b.clone(), c.clone()], 5_000).unwrap();
        assert_eq!(promoted.map(|p| p.person_id), Some("c".to_string()));
        assert_eq!((m.taken, m.waiting), (1, 1));
        assert_eq!(sign_up(&m, &Attendance::new("m1", "d"), 5, 9_001).unwrap_err(), DutyError::SignUpClosed);
    }

    #[test]
    fn check_in_takes_only_this_meetings_code_within_its_window() {
        let key = checkin::new_key();
        let mut m = open(5);
        m.check_in_key = Some(checkin::public_key(&key).unwrap());
        let (m, a) = sign_up(&m, &Attendance::new("m1", "a"), 1, 2_000).unwrap();
        let code = |id: &str| {
            checkin::issue(&key, &CodeClaims { meeting_id: id.into(), not_before_ms: 9_000, not_after_ms: 12_000 })
                .unwrap()
        };
        assert_eq!(check_in_with_code(&m, &a, &code("m2"), 10_000), Err(DutyError::CodeForAnotherMeeting));
        assert_eq!(check_in_with_code(&m, &a, &code("m1"), 12_001), Err(DutyError::OutsideCheckInWindow));
        let done = check_in_with_code(&m, &a, &code("m1"), 10_000).unwrap();
        assert_eq!(done.outcome(), Some(Outcome::Attended));
        let stranger = Attendance::new("m1", "z");
        assert_eq!(check_in_with_code(&m, &stranger, &code("m1"), 10_000), Err(DutyError::NotOnList));
    }
}

//! Notices, meetings and activities, the duty record, 待办 and 意见建议 as the apps use them.
//! Every action is a mutation applied here at once and queued (refused offline with the
//! server's reason); lists read the local database, so everything works with no network except
//! asking the server for a check-in code.

use lvzhi_domain::actions::{ActionForm, ActionKind};
use lvzhi_domain::duty::DutyError;
use lvzhi_domain::duty::feedback::Feedback;
use lvzhi_domain::duty::meeting::{Attendance, Enrolment, LeaveDecision, Meeting, MeetingDraft};
use lvzhi_domain::duty::notice::{FollowUp, Notice, NoticeContent, NoticeEvent, NoticeStatus, ReplyOption};
use lvzhi_domain::duty::record::{DutyEntry, DutyRecord, EntryKind, EntryStatus, RecordReader, RuleTable};
use lvzhi_domain::form::ChoiceOption;
use lvzhi_domain::ids::new_id;
use lvzhi_domain::org::Role;
use lvzhi_domain::protocol::{ActingAs, MutationKind};
use lvzhi_domain::time::to_millis;
use lvzhi_store::duty::reminders::Reminder;
use lvzhi_store::duty::{audience, reminders, repo};
use lvzhi_store::org;
use lvzhi_store::record::{self, MemberRecord};
use lvzhi_sync::Result;

use crate::client::Client;

/// A notice in the list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NoticeItem {
    pub id: String,
    pub org_name: String,
    pub kind_label: String,
    pub title: String,
    pub published_at_ms: i64,
    /// 已更正
    pub corrected: bool,
    /// 已撤回
    pub withdrawn: bool,
    pub read: bool,
    pub asks_reply: bool,
    pub reply_deadline_ms: Option<i64>,
    /// 参加 / 不参加 / 其他, once answered.
    pub answer_label: Option<String>,
    /// Whether this user is in its audience (staff also see the notices they published).
    pub addressed_to_me: bool,
}

/// One notice, whole.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NoticeDetail {
    pub item: NoticeItem,
    pub body: String,
    /// The notice's files (none once withdrawn: they stay with the publishing staff).
    pub attachments: Vec<lvzhi_domain::files::Attachment>,
    pub audience_label: String,
    pub withdrawn_reason: Option<String>,
    pub history: Vec<NoticeEvent>,
    pub answer_note: String,
    /// Whether this user may answer now (addressed, asks a reply, before the deadline).
    pub can_answer: bool,
    /// Whether this user may correct or withdraw it.
    pub can_manage: bool,
    /// The actions this user may take on it now (回执, 撤回), as forms to render; correcting is
    /// the notice editor's.
    pub actions: Vec<ActionForm>,
}

/// A piece of 意见建议 in a list, with 答复 for the organisation's administrators while unanswered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FeedbackLine {
    /// Flattened in JSON, so scripts read a line as the feedback itself, plus `actions`.
    #[serde(flatten)]
    pub feedback: Feedback,
    pub actions: Vec<ActionForm>,
}

/// An entry of the duty record in a list, with what this user may do to it now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DutyEntryLine {
    /// Flattened in JSON, so scripts read a line as the entry itself, plus `actions`.
    #[serde(flatten)]
    pub entry: DutyEntry,
    pub actions: Vec<ActionForm>,
}

/// A meeting or activity in the list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MeetingItem {
    pub id: String,
    pub kind_label: String,
    pub title: String,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub place: String,
    pub cancelled: bool,
    /// Open sign-up (报名) rather than invitation.
    pub open: bool,
    pub capacity: Option<u32>,
    pub taken: u32,
    pub waiting: u32,
    /// 待答复 / 参加 / 请假 / 已报名 / 候补 / 已取消, for this user.
    pub my_reply_label: Option<String>,
    pub checked_in: bool,
}

/// One person's line in the staff's attendance list (by name).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AttendanceLine {
    pub person_id: String,
    pub name: String,
    pub reply_label: String,
    pub reason: String,
    /// 待审批 / 已批准 / 未批准
    pub leave_label: Option<String>,
    pub checked_in: bool,
    /// 请假缺席 / 无故缺席
    pub absence_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MeetingDetail {
    pub item: MeetingItem,
    pub meeting: Meeting,
    pub mine: Option<Attendance>,
    /// For the meeting's staff: everyone on the list, by name.
    pub roster: Vec<AttendanceLine>,
    pub can_manage: bool,
    /// What this user may do at it now, as forms to render (roster actions list the people
    /// they apply to).
    pub actions: Vec<ActionForm>,
    /// A remote consultation's speakers, in the order they asked or were put in.
    pub speakers: Vec<crate::consult::SpeakerLine>,
}

/// The roster's label of a leave awaiting a decision.
const PENDING: &str = "待审批";

fn leave_label(l: LeaveDecision) -> &'static str {
    match l {
        LeaveDecision::Pending => PENDING,
        LeaveDecision::Approved => "已批准",
        LeaveDecision::Refused => "未批准",
    }
}

impl Client {
    pub(crate) fn record_duty(&self, acting: &ActingAs, kind: MutationKind) -> Result<()> {
        self.sync().record(acting, kind)?;
        Ok(())
    }

    /// This user's roles as staff (proposal staff or administrator), one per organisation.
    pub(crate) fn staff_roles(&self) -> Result<Vec<ActingAs>> {
        Ok(self.actors()?.into_iter().map(|(a, _)| a).filter(|a| a.role.is_staff()).collect())
    }

    /// The staff role of this user in `org_id` (or their first staff role).
    pub(crate) fn staff_role(&self, org_id: Option<&str>) -> Result<ActingAs> {
        self.staff_roles()?
            .into_iter()
            .find(|a| org_id.is_none_or(|o| o == a.org_id))
            .ok_or_else(|| DutyError::NotStaff.into())
    }

    /// The organisations this user works in as staff.
    pub(crate) fn staff_orgs(&self) -> Result<Vec<String>> {
        Ok(self.staff_roles()?.into_iter().map(|a| a.org_id).collect())
    }

    pub(crate) fn member_or_any_role(&self) -> Result<ActingAs> {
        self.sync().member_role().or_else(|_| self.sync().any_role())
    }

    pub(crate) fn person_id(&self) -> Result<String> {
        Ok(self.sync().identity()?.0)
    }

    // --- 通知公告 ------------------------------------------------------------------------

    fn notice_item(&self, c: &lvzhi_sql::Connection, n: &Notice, me: &str) -> Result<NoticeItem> {
        let receipt = repo::receipt(c, &n.id, me)?;
        Ok(NoticeItem {
            id: n.id.clone(),
            org_name: org::get_organisation(c, &n.org_id)?.map(|o| o.name).unwrap_or_default(),
            kind_label: n.content.kind.label().into(),
            title: n.content.title.clone(),
            published_at_ms: n.published_at_ms,
            corrected: n.is_corrected(),
            withdrawn: n.status == NoticeStatus::Withdrawn,
            read: receipt.as_ref().is_some_and(|r| r.read_at_ms.is_some()),
            asks_reply: n.content.asks_reply,
            reply_deadline_ms: n.content.reply_deadline_ms,
            answer_label: receipt.and_then(|r| r.answer).map(|a| a.label().to_string()),
            addressed_to_me: audience::may_receive(c, n, me)?,
        })
    }

    /// Notices on this phone, newest first.
    pub fn notices(&self) -> Result<Vec<NoticeItem>> {
        let me = self.person_id()?;
        self.store().read(|c| repo::notices(c)?.iter().map(|n| self.notice_item(c, n, &me)).collect())
    }

    /// One notice; no side effects (see [`Client::open_notice`]).
    pub fn notice(&self, id: &str) -> Result<NoticeDetail> {
        let me = self.person_id()?;
        let staff = self.staff_orgs()?;
        let now = to_millis(self.now());
        self.store().read(|c| {
            let n = repo::notice(c, id)?.ok_or(lvzhi_store::Error::NotFound { what: "通知" })?;
            let item = self.notice_item(c, &n, &me)?;
            let receipt = repo::receipt(c, id, &me)?;
            let can_answer = item.addressed_to_me && n.accepts_replies(now);
            let can_manage = staff.contains(&n.org_id) && n.status == NoticeStatus::Published;
            let kinds = [(can_answer, ActionKind::NoticeAnswer), (can_manage, ActionKind::NoticeWithdraw)];
            Ok(NoticeDetail {
                actions: lvzhi_store::forms::offered(kinds),
                can_answer,
                can_manage,
                body: n.content.body.clone(),
                attachments: n.content.attachments.clone(),
                audience_label: n.content.audience.label(),
                withdrawn_reason: n.withdrawn_reason.clone(),
                history: n.history.clone(),
                answer_note: receipt.map(|r| r.note).unwrap_or_default(),
                item,
            })
        })
    }

    /// Opens a notice: marks it read (once; the marker travels to this person's other devices).
    pub fn open_notice(&self, id: &str) -> Result<NoticeDetail> {
        let detail = self.notice(id)?;
        if detail.item.addressed_to_me && !detail.item.read {
            self.record_duty(&self.member_or_any_role()?, MutationKind::ReadNotice { notice_id: id.into() })?;
            return self.notice(id);
        }
        Ok(detail)
    }

    /// 回执.
    pub fn answer_notice(&self, id: &str, answer: ReplyOption, note: &str) -> Result<()> {
        let kind = MutationKind::AnswerNotice { notice_id: id.into(), answer, note: note.into() };
        self.record_duty(&self.member_or_any_role()?, kind)
    }

    /// Staff publish a notice for their organisation; returns its id.
    pub fn publish_notice(&self, org_id: Option<&str>, content: NoticeContent) -> Result<String> {
        let id = new_id();
        self.record_duty(&self.staff_role(org_id)?, MutationKind::PublishNotice { notice_id: id.clone(), content })?;
        Ok(id)
    }

    fn notice_org(&self, id: &str) -> Result<String> {
        self.store()
            .read(|c| Ok::<_, lvzhi_store::Error>(repo::notice(c, id)?.map(|n| n.org_id)))?
            .ok_or_else(|| lvzhi_store::Error::NotFound { what: "通知" }.into())
    }

    pub fn correct_notice(&self, id: &str, content: NoticeContent, note: &str) -> Result<()> {
        let acting = self.staff_role(Some(&self.notice_org(id)?))?;
        self.record_duty(&acting, MutationKind::CorrectNotice { notice_id: id.into(), content, note: note.into() })
    }

    pub fn withdraw_notice(&self, id: &str, reason: &str) -> Result<()> {
        let acting = self.staff_role(Some(&self.notice_org(id)?))?;
        self.record_duty(&acting, MutationKind::WithdrawNotice { notice_id: id.into(), reason: reason.into() })
    }

    /// Staff: who has read, who answered what, who has not answered — by name.
    pub fn notice_follow_up(&self, id: &str) -> Result<FollowUp> {
        Ok(self.store().read(|c| audience::notice_follow_up(c, id))?)
    }

    // --- 会议活动 ------------------------------------------------------------------------

    fn meeting_item(m: &Meeting, mine: Option<&Attendance>) -> MeetingItem {
        let (open, capacity) = match m.enrolment {
            Enrolment::Open { capacity, .. } => (true, Some(capacity)),
            Enrolment::Invitation { .. } => (false, None),
        };
        MeetingItem {
            id: m.id.clone(),
            kind_label: m.kind.label().into(),
            title: m.title.clone(),
            starts_at_ms: m.starts_at_ms,
            ends_at_ms: m.ends_at_ms,
            place: m.place.clone(),
            cancelled: m.cancelled,
            open,
            capacity,
            taken: m.taken,
            waiting: m.waiting,
            my_reply_label: mine.map(|a| a.reply.label().to_string()),
            checked_in: mine.is_some_and(|a| a.checked_in_at_ms.is_some()),
        }
    }

    /// Meetings and activities on this phone, soonest first.
    pub fn meetings(&self) -> Result<Vec<MeetingItem>> {
        let me = self.person_id()?;
        self.store().read(|c| {
            repo::meetings(c)?
                .iter()
                .map(|m| Ok(Self::meeting_item(m, repo::attendance(c, &m.id, &me)?.as_ref())))
                .collect()
        })
    }

    pub fn meeting(&self, id: &str) -> Result<MeetingDetail> {
        let me = self.person_id()?;
        let staff_orgs = self.staff_orgs()?;
        let parts = self.store().read(|c| {
            let m = repo::meeting(c, id)?.ok_or(lvzhi_store::Error::NotFound { what: "会议活动" })?;
            let mine = repo::attendance(c, id, &me)?;
            let can_manage = staff_orgs.contains(&m.org_id);
            let mut roster = Vec::new();
            if can_manage {
                for a in repo::attendances_of_meeting(c, id)? {
                    roster.push(AttendanceLine {
                        name: org::get_person(c, &a.person_id)?.map(|p| p.name).unwrap_or_else(|| a.person_id.clone()),
                        person_id: a.person_id.clone(),
                        reply_label: a.reply.label().into(),
                        reason: a.reason.clone(),
                        leave_label: a.leave.map(|l| leave_label(l).to_string()),
                        checked_in: a.checked_in_at_ms.is_some(),
                        absence_label: a.absent_excused.map(|e| (if e { "请假缺席" } else { "无故缺席" }).to_string()),
                    });
                }
                roster.sort_by(|a, b| (&a.name, &a.person_id).cmp(&(&b.name, &b.person_id)));
            }
            // A remote consultation's speakers, read with the rest.
            let speakers = if m.remote.is_some() { crate::consult::speaker_lines(c, id)? } else { Vec::new() };
            Ok::<_, lvzhi_store::Error>((m, mine, roster, can_manage, speakers))
        })?;
        let (m, mine, roster, can_manage, speakers) = parts;
        let line = |l: &AttendanceLine| ChoiceOption::new(l.person_id.clone(), l.name.clone());
        let speaker = |s: &crate::consult::SpeakerLine| ChoiceOption::new(s.person_id.clone(), s.name.clone());
        let people = lvzhi_store::forms::Roster {
            pending: roster.iter().filter(|l| l.leave_label.as_deref() == Some(PENDING)).map(line).collect(),
            open: roster.iter().filter(|l| !l.checked_in && l.absence_label.is_none()).map(line).collect(),
            not_spoken: speakers.iter().filter(|s| !s.spoke).map(speaker).collect(),
            speakers: speakers.iter().map(speaker).collect(),
        };
        let actions = lvzhi_store::forms::meeting_forms(&m, mine.as_ref(), can_manage, people);
        Ok(MeetingDetail {
            item: Self::meeting_item(&m, mine.as_ref()),
            meeting: m,
            mine,
            roster,
            can_manage,
            actions,
            speakers,
        })
    }

    /// Staff create a meeting or activity; returns its id.
    pub fn create_meeting(&self, org_id: Option<&str>, draft: MeetingDraft) -> Result<String> {
        let id = new_id();
        self.record_duty(&self.staff_role(org_id)?, MutationKind::CreateMeeting { meeting_id: id.clone(), draft })?;
        Ok(id)
    }

    fn meeting_staff(&self, meeting_id: &str) -> Result<ActingAs> {
        let org_id = self
            .store()
            .read(|c| Ok::<_, lvzhi_store::Error>(repo::meeting(c, meeting_id)?.map(|m| m.org_id)))?
            .ok_or(lvzhi_store::Error::NotFound { what: "会议活动" })?;
        self.staff_role(Some(&org_id))
    }

    /// Adds a document (`document_id: None`) or a new version of one; returns its id.
    pub fn set_meeting_document(
        &self,
        meeting_id: &str,
        document_id: Option<&str>,
        title: &str,
        body: &str,
    ) -> Result<String> {
        let document_id = document_id.map_or_else(new_id, str::to_string);
        let kind = MutationKind::SetMeetingDocument {
            attachments: Vec::new(),
            meeting_id: meeting_id.into(),
            document_id: document_id.clone(),
            title: title.into(),
            body: body.into(),
        };
        self.record_duty(&self.meeting_staff(meeting_id)?, kind)?;
        Ok(document_id)
    }

    /// Staff cancel a meeting with a reason.
    pub fn cancel_meeting(&self, meeting_id: &str, reason: &str) -> Result<()> {
        let kind = MutationKind::CancelMeeting { meeting_id: meeting_id.into(), reason: reason.into() };
        self.record_duty(&self.meeting_staff(meeting_id)?, kind)
    }

    pub fn set_meeting_capacity(&self, meeting_id: &str, capacity: u32) -> Result<()> {
        let kind = MutationKind::SetMeetingCapacity { meeting_id: meeting_id.into(), capacity };
        self.record_duty(&self.meeting_staff(meeting_id)?, kind)
    }

    /// 参加 (`leave_reason: None`) or 请假 with a reason.
    pub fn reply_meeting(&self, meeting_id: &str, leave_reason: Option<&str>) -> Result<()> {
        let kind =
            MutationKind::ReplyMeeting { meeting_id: meeting_id.into(), leave_reason: leave_reason.map(Into::into) };
        self.record_duty(&self.member_or_any_role()?, kind)
    }

    pub fn decide_leave(&self, meeting_id: &str, person_id: &str, approve: bool, note: &str) -> Result<()> {
        let kind = MutationKind::DecideLeave {
            meeting_id: meeting_id.into(),
            person_id: person_id.into(),
            approve,
            note: note.into(),
        };
        self.record_duty(&self.meeting_staff(meeting_id)?, kind)
    }

    pub fn sign_up(&self, meeting_id: &str) -> Result<()> {
        self.record_duty(&self.sync().member_role()?, MutationKind::SignUp { meeting_id: meeting_id.into() })
    }

    pub fn cancel_sign_up(&self, meeting_id: &str) -> Result<()> {
        self.record_duty(&self.sync().member_role()?, MutationKind::CancelSignUp { meeting_id: meeting_id.into() })
    }

    /// Check-in with the code staff show (scanned or pasted): verified here at once, offline,
    /// and again by the server when it arrives.
    pub fn check_in(&self, meeting_id: &str, code: &str) -> Result<()> {
        let kind = MutationKind::CheckIn {
            meeting_id: meeting_id.into(),
            code: code.trim().into(),
            at_ms: to_millis(self.now()),
        };
        self.record_duty(&self.member_or_any_role()?, kind)
    }

    pub fn check_in_person(&self, meeting_id: &str, person_id: &str) -> Result<()> {
        let kind = MutationKind::CheckInByStaff { meeting_id: meeting_id.into(), person_id: person_id.into() };
        self.record_duty(&self.meeting_staff(meeting_id)?, kind)
    }

    pub fn mark_absent(&self, meeting_id: &str, person_id: &str, excused: bool) -> Result<()> {
        let kind = MutationKind::MarkAbsent { meeting_id: meeting_id.into(), person_id: person_id.into(), excused };
        self.record_duty(&self.meeting_staff(meeting_id)?, kind)
    }

    /// Staff fetch a signed check-in code valid between the two instants (network).
    pub async fn check_in_code(&self, meeting_id: &str, not_before_ms: i64, not_after_ms: i64) -> Result<String> {
        self.sync().check_in_code(meeting_id, not_before_ms, not_after_ms).await
    }

    // --- 待办 ----------------------------------------------------------------------------

    /// Upcoming deadlines, soonest first, for local notifications and the 待办 screen.
    pub fn reminders(&self) -> Result<Vec<Reminder>> {
        let me = self.person_id()?;
        let now = to_millis(self.now());
        Ok(self.store().read(|c| reminders::reminders(c, &me, now))?)
    }

    // --- 履职档案 ------------------------------------------------------------------------

    fn member_org(&self) -> Result<String> {
        Ok(self.sync().member_role()?.org_id)
    }

    /// This member's record for `year`, with why each fact counts.
    pub fn duty_record(&self, year: i32) -> Result<DutyRecord> {
        let (me, org, now_ms) = (self.person_id()?, self.member_org()?, to_millis(self.now()));
        Ok(self.store().read(|c| record::record_of(c, &me, &org, year, RecordReader::Own, now_ms))?)
    }

    /// Staff: a member's record (as the staff phone holds the organisation's facts), without
    /// the member's study.
    pub fn member_record(&self, person_id: &str, year: i32) -> Result<DutyRecord> {
        let (org, now_ms) = (self.staff_role(None)?.org_id, to_millis(self.now()));
        Ok(self.store().read(|c| record::record_of(c, person_id, &org, year, RecordReader::Others, now_ms))?)
    }

    /// Staff: the organisation's members by name with their year's totals; `below_only` keeps
    /// those under the threshold (for a talk). Never a ranking.
    pub fn member_records(&self, year: i32, below_only: bool) -> Result<Vec<MemberRecord>> {
        let (org, now_ms) = (self.staff_role(None)?.org_id, to_millis(self.now()));
        Ok(self.store().read(|c| record::member_records(c, &org, year, below_only, now_ms))?)
    }

    /// The server's computation of a record (to compare, or for staff on a PC).
    pub async fn server_duty_record(&self, person_id: &str, org_id: &str, year: i32) -> Result<DutyRecord> {
        self.sync().server_duty_record(person_id, org_id, year).await
    }

    pub fn record_speech(&self, person_id: &str, kind: EntryKind, title: &str, date_ms: i64) -> Result<String> {
        let id = new_id();
        let kind = MutationKind::RecordSpeech {
            entry_id: id.clone(),
            person_id: person_id.into(),
            kind,
            title: title.into(),
            date_ms,
        };
        self.record_duty(&self.staff_role(None)?, kind)?;
        Ok(id)
    }

    pub fn submit_self_report(&self, title: &str, description: &str, date_ms: i64) -> Result<String> {
        let id = new_id();
        let kind = MutationKind::SubmitSelfReport {
            entry_id: id.clone(),
            title: title.into(),
            description: description.into(),
            date_ms,
        };
        self.record_duty(&self.sync().member_role()?, kind)?;
        Ok(id)
    }

    pub fn decide_self_report(&self, entry_id: &str, accept: bool, reason: &str) -> Result<()> {
        let kind = MutationKind::DecideSelfReport { entry_id: entry_id.into(), accept, reason: reason.into() };
        self.record_duty(&self.staff_role(None)?, kind)
    }

    /// Record entries: a member's own; for staff, their organisation's, each self-report
    /// waiting for them with its 认定 and 退回 forms.
    pub fn duty_entries(&self) -> Result<Vec<DutyEntryLine>> {
        let me = self.person_id()?;
        let staff_org = self.staff_role(None).ok().map(|a| a.org_id);
        let entries = self.store().read(|c| match &staff_org {
            Some(org) => repo::entries_of_org(c, org),
            None => repo::entries_of_person(c, &me),
        })?;
        Ok(entries
            .into_iter()
            .map(|entry| {
                let waiting =
                    staff_org.as_deref() == Some(entry.org_id.as_str()) && entry.status == EntryStatus::Submitted;
                let actions = lvzhi_store::forms::offered([
                    (waiting, ActionKind::SelfReportAccept),
                    (waiting, ActionKind::SelfReportRefuse),
                ]);
                DutyEntryLine { entry, actions }
            })
            .collect())
    }

    /// Self-reports waiting for staff.
    pub fn pending_self_reports(&self) -> Result<Vec<DutyEntry>> {
        let lines = self.duty_entries()?.into_iter();
        Ok(lines.map(|l| l.entry).filter(|e| e.status == EntryStatus::Submitted).collect())
    }

    /// The rules of this user's organisation (staff's, else the member's).
    pub fn duty_rules(&self) -> Result<RuleTable> {
        let org = self.staff_role(None).map(|a| a.org_id).or_else(|_| self.member_org())?;
        Ok(self.store().read(|c| repo::rules(c, &org))?)
    }

    /// Staff change the rules; the year's figures are recomputed with the new version.
    pub fn set_duty_rules(&self, rules: RuleTable) -> Result<()> {
        self.record_duty(&self.staff_role(Some(&rules.org_id.clone()))?, MutationKind::SetDutyRules { rules })
    }

    /// 年度履职报告 as a printable HTML page (the apps show it, share it or print it to PDF).
    /// It is made to be handed to others, so it leaves out the member's study.
    pub fn annual_report(&self, year: i32) -> Result<String> {
        let (person, org, now_ms) = (self.person_id()?, self.member_org()?, to_millis(self.now()));
        let record = self.store().read(|c| record::record_of(c, &person, &org, year, RecordReader::Others, now_ms))?;
        let me = self.me()?;
        let org_name = me.roles.iter().find(|r| r.role == Role::Member).map(|r| r.org_name.clone()).unwrap_or_default();
        Ok(crate::report::annual_report_html(&me.name, &org_name, &record))
    }

    // --- 意见建议 ------------------------------------------------------------------------

    pub fn send_feedback(&self, text: &str) -> Result<String> {
        let id = new_id();
        self.record_duty(
            &self.member_or_any_role()?,
            MutationKind::SendFeedback { feedback_id: id.clone(), text: text.into() },
        )?;
        Ok(id)
    }

    pub fn answer_feedback(&self, feedback_id: &str, answer: &str) -> Result<()> {
        let admin =
            self.actors()?.into_iter().map(|(a, _)| a).find(|a| a.role == Role::OrgAdmin).ok_or(DutyError::NotAdmin)?;
        self.record_duty(
            &admin,
            MutationKind::AnswerFeedback { feedback_id: feedback_id.into(), answer: answer.into() },
        )
    }

    /// Feedback on this phone: one's own, and for administrators their organisation's.
    pub fn feedback(&self) -> Result<Vec<FeedbackLine>> {
        let admin_of: Vec<String> =
            self.actors()?.into_iter().map(|(a, _)| a).filter(|a| a.role == Role::OrgAdmin).map(|a| a.org_id).collect();
        let list = self.store().read(repo::feedback_list)?;
        Ok(list
            .into_iter()
            .map(|feedback| {
                let may_answer = feedback.answer.is_none() && admin_of.contains(&feedback.org_id);
                let actions = lvzhi_store::forms::offered([(may_answer, ActionKind::FeedbackAnswer)]);
                FeedbackLine { feedback, actions }
            })
            .collect())
    }
}

impl Client {
    /// The notice list, live: now, then whenever a notice or receipt changes. Call within a
    /// Tokio runtime.
    pub fn watch_notices(&self, on_notices: impl Fn(Vec<NoticeItem>) + Send + 'static) -> crate::TaskHandle {
        let client = self.clone();
        crate::live::watch_value(
            self.watch_changes(),
            |c| !c.aggregates.is_empty(),
            move || client.notices().ok(),
            on_notices,
        )
    }

    /// The meeting list, live.
    pub fn watch_meetings(&self, on_meetings: impl Fn(Vec<MeetingItem>) + Send + 'static) -> crate::TaskHandle {
        let client = self.clone();
        crate::live::watch_value(
            self.watch_changes(),
            |c| !c.aggregates.is_empty(),
            move || client.meetings().ok(),
            on_meetings,
        )
    }

    /// 待办, live (notices, meetings and proposals all feed it).
    pub fn watch_reminders(&self, on_reminders: impl Fn(Vec<Reminder>) + Send + 'static) -> crate::TaskHandle {
        let client = self.clone();
        crate::live::watch_value(
            self.watch_changes(),
            |c| !c.aggregates.is_empty() || !c.proposals.is_empty(),
            move || client.reminders().ok(),
            on_reminders,
        )
    }
}

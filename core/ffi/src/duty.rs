//! Notices, meetings, the duty record, 待办 and 意见建议 for the apps: the values that cross
//! (restated for UniFFI over the crates that own them, like `types.rs`), the calls on
//! `LvzhiApp`, and the live lists' listeners.

use lvzhi_client::ActionForm;
use std::sync::Arc;

use lvzhi_client::duty::{
    AttendanceLine, DutyEntryLine, FeedbackLine, MeetingDetail, MeetingItem, NoticeDetail, NoticeItem,
};
use lvzhi_client::rows::{MemberRecord, Reminder, ReminderKind};
use lvzhi_domain::duty::feedback::Feedback;
use lvzhi_domain::duty::meeting::{
    Attendance, BranchVenue, CheckInMethod, Enrolment, LeaveDecision, Meeting, MeetingDocument, MeetingDraft,
    MeetingKind, RemoteInfo, Reply,
};
use lvzhi_domain::duty::notice::{
    Audience, FollowUp, FollowUpLine, NoticeContent, NoticeEvent, NoticeKind, ReplyOption,
};
use lvzhi_domain::duty::record::{
    DutyEntry, DutyFact, DutyRecord, EntryKind, EntryStatus, KindTotal, RecordLine, Source,
};
use lvzhi_domain::files::Attachment;

use crate::app::{FfiResult, LvzhiApp, on_runtime};
use crate::listeners::Subscription;

// --- Values ------------------------------------------------------------------------------

#[uniffi::remote(Enum)]
pub enum NoticeKind {
    Meeting,
    Work,
    Study,
    Announcement,
}

#[uniffi::remote(Enum)]
pub enum Audience {
    Organisation { subordinates: bool },
    Members { subordinates: bool },
    Groups { group_ids: Vec<String> },
    People { person_ids: Vec<String> },
}

#[uniffi::remote(Enum)]
pub enum ReplyOption {
    Attend,
    Decline,
    Other,
}

#[uniffi::remote(Record)]
pub struct NoticeContent {
    pub title: String,
    pub body: String,
    pub kind: NoticeKind,
    pub audience: Audience,
    pub asks_reply: bool,
    pub reply_deadline_ms: Option<i64>,
    #[uniffi(default = [])]
    pub attachments: Vec<Attachment>,
    #[uniffi(default = false)]
    pub urgent: bool,
}

#[uniffi::remote(Record)]
pub struct NoticeEvent {
    pub version: u32,
    pub what: String,
    pub by: String,
    pub at_ms: i64,
    pub title: String,
    pub body: String,
    pub note: String,
}

#[uniffi::remote(Record)]
pub struct NoticeItem {
    pub id: String,
    pub org_name: String,
    pub kind_label: String,
    pub title: String,
    pub published_at_ms: i64,
    pub corrected: bool,
    pub withdrawn: bool,
    pub read: bool,
    pub asks_reply: bool,
    pub reply_deadline_ms: Option<i64>,
    pub answer_label: Option<String>,
    pub addressed_to_me: bool,
}

#[uniffi::remote(Record)]
pub struct NoticeDetail {
    pub item: NoticeItem,
    pub body: String,
    pub attachments: Vec<Attachment>,
    pub audience_label: String,
    pub withdrawn_reason: Option<String>,
    pub history: Vec<NoticeEvent>,
    pub answer_note: String,
    pub can_answer: bool,
    pub can_manage: bool,
    pub actions: Vec<ActionForm>,
}

#[uniffi::remote(Record)]
pub struct FollowUpLine {
    pub person_id: String,
    pub name: String,
    pub org_id: String,
    pub read: bool,
    pub answer: Option<ReplyOption>,
    pub note: String,
}

#[uniffi::remote(Record)]
pub struct FollowUp {
    pub notice_id: String,
    pub recipients: u32,
    pub read: u32,
    pub answered: u32,
    pub lines: Vec<FollowUpLine>,
}

#[uniffi::remote(Enum)]
pub enum MeetingKind {
    Plenary,
    StandingCommittee,
    Chairs,
    Consultation,
    Inspection,
    Research,
    Training,
    SectorActivity,
    StudioActivity,
    Other,
}

#[uniffi::remote(Enum)]
pub enum Enrolment {
    Invitation { person_ids: Vec<String> },
    Open { capacity: u32, sign_up_deadline_ms: Option<i64> },
}

#[uniffi::remote(Record)]
pub struct MeetingDraft {
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
    #[uniffi(default = None)]
    pub remote: Option<RemoteInfo>,
}

#[uniffi::remote(Record)]
pub struct RemoteInfo {
    pub topic: String,
    pub main_venue: String,
    pub branch_venues: Vec<BranchVenue>,
    pub video_link: String,
}

#[uniffi::remote(Record)]
pub struct BranchVenue {
    pub org_id: String,
    pub place: String,
}

#[uniffi::remote(Record)]
pub struct MeetingDocument {
    pub id: String,
    pub title: String,
    pub body: String,
    pub version: u32,
    pub updated_at_ms: i64,
    pub updated_by: String,
    #[uniffi(default = [])]
    pub attachments: Vec<Attachment>,
}

#[uniffi::remote(Record)]
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
    pub cancel_reason: Option<String>,
    pub created_by: String,
    pub created_at_ms: i64,
    pub check_in_key: Option<String>,
    pub taken: u32,
    pub waiting: u32,
    pub remote: Option<RemoteInfo>,
}

#[uniffi::remote(Enum)]
pub enum Reply {
    Pending,
    Attend,
    Leave,
    SignedUp,
    Waitlisted,
    Cancelled,
}

#[uniffi::remote(Enum)]
pub enum LeaveDecision {
    Pending,
    Approved,
    Refused,
}

#[uniffi::remote(Enum)]
pub enum CheckInMethod {
    Code,
    Staff,
}

#[uniffi::remote(Record)]
pub struct Attendance {
    pub meeting_id: String,
    pub person_id: String,
    pub reply: Reply,
    pub reason: String,
    pub replied_at_ms: Option<i64>,
    pub leave: Option<LeaveDecision>,
    pub queued_at_ms: Option<i64>,
    pub queue_seq: u64,
    pub checked_in_at_ms: Option<i64>,
    pub check_in_method: Option<CheckInMethod>,
    pub absent_excused: Option<bool>,
}

#[uniffi::remote(Record)]
pub struct MeetingItem {
    pub id: String,
    pub kind_label: String,
    pub title: String,
    pub starts_at_ms: i64,
    pub ends_at_ms: i64,
    pub place: String,
    pub cancelled: bool,
    pub open: bool,
    pub capacity: Option<u32>,
    pub taken: u32,
    pub waiting: u32,
    pub my_reply_label: Option<String>,
    pub checked_in: bool,
}

#[uniffi::remote(Record)]
pub struct AttendanceLine {
    pub person_id: String,
    pub name: String,
    pub reply_label: String,
    pub reason: String,
    pub leave_label: Option<String>,
    pub checked_in: bool,
    pub absence_label: Option<String>,
}

#[uniffi::remote(Record)]
pub struct MeetingDetail {
    pub item: MeetingItem,
    pub meeting: Meeting,
    pub mine: Option<Attendance>,
    pub roster: Vec<AttendanceLine>,
    pub can_manage: bool,
    pub actions: Vec<ActionForm>,
    pub speakers: Vec<lvzhi_client::consult::SpeakerLine>,
}

#[uniffi::remote(Record)]
pub struct Source {
    pub entity: String,
    pub id: String,
}

#[uniffi::remote(Record)]
pub struct DutyFact {
    pub person_id: String,
    pub key: String,
    pub at_ms: i64,
    pub title: String,
    pub source: Source,
    pub units: u32,
    pub co_proposers: u32,
}

#[uniffi::remote(Record)]
pub struct RecordLine {
    pub fact: DutyFact,
    pub label: String,
    pub points: i32,
}

#[uniffi::remote(Record)]
pub struct KindTotal {
    pub key: String,
    pub label: String,
    pub count: u32,
    pub points: i32,
    pub expected: Option<u32>,
}

#[uniffi::remote(Record)]
pub struct DutyRecord {
    pub person_id: String,
    pub year: i32,
    pub rule_version: u32,
    pub lines: Vec<RecordLine>,
    pub by_kind: Vec<KindTotal>,
    pub total: i32,
    pub threshold: i32,
}

#[uniffi::remote(Record)]
pub struct MemberRecord {
    pub person_id: String,
    pub name: String,
    pub total: i32,
    pub threshold: i32,
    pub below_threshold: bool,
    pub facts: u32,
    pub rule_version: u32,
}

#[uniffi::remote(Enum)]
pub enum EntryKind {
    PlenarySpeech,
    WrittenSpeech,
    SelfReported,
}

#[uniffi::remote(Enum)]
pub enum EntryStatus {
    Recorded,
    Submitted,
    Accepted,
    Returned,
}

/// An entry of the duty record with what this user may do to it now.
#[uniffi::remote(Record)]
pub struct DutyEntryLine {
    pub entry: DutyEntry,
    pub actions: Vec<ActionForm>,
}

#[uniffi::remote(Record)]
pub struct DutyEntry {
    pub id: String,
    pub org_id: String,
    pub person_id: String,
    pub kind: EntryKind,
    pub title: String,
    pub description: String,
    pub date_ms: i64,
    pub status: EntryStatus,
    pub reason: String,
    pub created_by: String,
    pub created_at_ms: i64,
    pub decided_by: Option<String>,
    pub decided_at_ms: Option<i64>,
}

#[uniffi::remote(Enum)]
pub enum ReminderKind {
    NoticeReply,
    Meeting,
    CoSign,
    Evaluation,
}

#[uniffi::remote(Record)]
pub struct Reminder {
    pub kind: ReminderKind,
    pub action: String,
    pub title: String,
    pub due_at_ms: Option<i64>,
    pub entity: String,
    pub id: String,
}

/// A piece of 意见建议 with what this user may do to it now.
#[uniffi::remote(Record)]
pub struct FeedbackLine {
    pub feedback: Feedback,
    pub actions: Vec<ActionForm>,
}

#[uniffi::remote(Record)]
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

// --- Listeners ---------------------------------------------------------------------------

#[uniffi::export(with_foreign)]
pub trait NoticeListListener: Send + Sync {
    fn on_notices(&self, notices: Vec<NoticeItem>);
}

#[uniffi::export(with_foreign)]
pub trait MeetingListListener: Send + Sync {
    fn on_meetings(&self, meetings: Vec<MeetingItem>);
}

#[uniffi::export(with_foreign)]
pub trait ReminderListener: Send + Sync {
    fn on_reminders(&self, reminders: Vec<Reminder>);
}

// --- Calls -------------------------------------------------------------------------------

#[uniffi::export]
impl LvzhiApp {
    // 通知公告

    pub fn notices(&self) -> FfiResult<Vec<NoticeItem>> {
        Ok(self.client().notices()?)
    }

    /// Opens a notice and marks it read (the marker travels to this person's other devices).
    pub fn open_notice(&self, id: String) -> FfiResult<NoticeDetail> {
        Ok(self.client().open_notice(&id)?)
    }

    pub fn answer_notice(&self, id: String, answer: ReplyOption, note: String) -> FfiResult<()> {
        Ok(self.client().answer_notice(&id, answer, &note)?)
    }

    /// Staff: publish for their organisation (`org_id` picks one when they are staff of several).
    pub fn publish_notice(&self, org_id: Option<String>, content: NoticeContent) -> FfiResult<String> {
        Ok(self.client().publish_notice(org_id.as_deref(), content)?)
    }

    pub fn correct_notice(&self, id: String, content: NoticeContent, note: String) -> FfiResult<()> {
        Ok(self.client().correct_notice(&id, content, &note)?)
    }

    pub fn withdraw_notice(&self, id: String, reason: String) -> FfiResult<()> {
        Ok(self.client().withdraw_notice(&id, &reason)?)
    }

    pub fn notice_follow_up(&self, id: String) -> FfiResult<FollowUp> {
        Ok(self.client().notice_follow_up(&id)?)
    }

    pub fn observe_notices(&self, listener: Arc<dyn NoticeListListener>) -> Arc<Subscription> {
        self.subscribe(|c| c.watch_notices(move |n| listener.on_notices(n)))
    }

    // 会议活动

    pub fn meetings(&self) -> FfiResult<Vec<MeetingItem>> {
        Ok(self.client().meetings()?)
    }

    pub fn meeting(&self, id: String) -> FfiResult<MeetingDetail> {
        Ok(self.client().meeting(&id)?)
    }

    pub fn create_meeting(&self, org_id: Option<String>, draft: MeetingDraft) -> FfiResult<String> {
        Ok(self.client().create_meeting(org_id.as_deref(), draft)?)
    }

    /// Adds a document (`document_id` absent) or a new version of one; returns its id.
    pub fn set_meeting_document(
        &self,
        meeting_id: String,
        document_id: Option<String>,
        title: String,
        body: String,
    ) -> FfiResult<String> {
        Ok(self.client().set_meeting_document(&meeting_id, document_id.as_deref(), &title, &body)?)
    }

    pub fn cancel_meeting(&self, meeting_id: String, reason: String) -> FfiResult<()> {
        Ok(self.client().cancel_meeting(&meeting_id, &reason)?)
    }

    pub fn set_meeting_capacity(&self, meeting_id: String, capacity: u32) -> FfiResult<()> {
        Ok(self.client().set_meeting_capacity(&meeting_id, capacity)?)
    }

    /// 参加 (`leave_reason` absent) or 请假 with a reason.
    pub fn reply_meeting(&self, meeting_id: String, leave_reason: Option<String>) -> FfiResult<()> {
        Ok(self.client().reply_meeting(&meeting_id, leave_reason.as_deref())?)
    }

    pub fn decide_leave(&self, meeting_id: String, person_id: String, approve: bool, note: String) -> FfiResult<()> {
        Ok(self.client().decide_leave(&meeting_id, &person_id, approve, &note)?)
    }

    pub fn sign_up(&self, meeting_id: String) -> FfiResult<()> {
        Ok(self.client().sign_up(&meeting_id)?)
    }

    pub fn cancel_sign_up(&self, meeting_id: String) -> FfiResult<()> {
        Ok(self.client().cancel_sign_up(&meeting_id)?)
    }

    /// Check-in with the scanned or pasted code: verified offline, at once.
    pub fn check_in(&self, meeting_id: String, code: String) -> FfiResult<()> {
        Ok(self.client().check_in(&meeting_id, &code)?)
    }

    pub fn check_in_person(&self, meeting_id: String, person_id: String) -> FfiResult<()> {
        Ok(self.client().check_in_person(&meeting_id, &person_id)?)
    }

    pub fn mark_absent(&self, meeting_id: String, person_id: String, excused: bool) -> FfiResult<()> {
        Ok(self.client().mark_absent(&meeting_id, &person_id, excused)?)
    }

    /// Staff: a signed code for the venue (network, once, beforehand).
    pub async fn check_in_code(&self, meeting_id: String, not_before_ms: i64, not_after_ms: i64) -> FfiResult<String> {
        let client = self.client().clone();
        on_runtime(async move { client.check_in_code(&meeting_id, not_before_ms, not_after_ms).await }).await
    }

    pub fn observe_meetings(&self, listener: Arc<dyn MeetingListListener>) -> Arc<Subscription> {
        self.subscribe(|c| c.watch_meetings(move |m| listener.on_meetings(m)))
    }

    // 待办

    pub fn reminders(&self) -> FfiResult<Vec<Reminder>> {
        Ok(self.client().reminders()?)
    }

    pub fn observe_reminders(&self, listener: Arc<dyn ReminderListener>) -> Arc<Subscription> {
        self.subscribe(|c| c.watch_reminders(move |r| listener.on_reminders(r)))
    }

    // 履职档案

    pub fn duty_record(&self, year: i32) -> FfiResult<DutyRecord> {
        Ok(self.client().duty_record(year)?)
    }

    pub fn member_record(&self, person_id: String, year: i32) -> FfiResult<DutyRecord> {
        Ok(self.client().member_record(&person_id, year)?)
    }

    /// Staff: members by name with their totals; `below_only` for those under the threshold.
    pub fn member_records(&self, year: i32, below_only: bool) -> FfiResult<Vec<MemberRecord>> {
        Ok(self.client().member_records(year, below_only)?)
    }

    pub fn record_speech(&self, person_id: String, kind: EntryKind, title: String, date_ms: i64) -> FfiResult<String> {
        Ok(self.client().record_speech(&person_id, kind, &title, date_ms)?)
    }

    pub fn submit_self_report(&self, title: String, description: String, date_ms: i64) -> FfiResult<String> {
        Ok(self.client().submit_self_report(&title, &description, date_ms)?)
    }

    pub fn decide_self_report(&self, entry_id: String, accept: bool, reason: String) -> FfiResult<()> {
        Ok(self.client().decide_self_report(&entry_id, accept, &reason)?)
    }

    pub fn duty_entries(&self) -> FfiResult<Vec<DutyEntryLine>> {
        Ok(self.client().duty_entries()?)
    }

    /// 年度履职报告 as a printable HTML page.
    pub fn annual_report(&self, year: i32) -> FfiResult<String> {
        Ok(self.client().annual_report(year)?)
    }

    // 意见建议

    pub fn send_feedback(&self, text: String) -> FfiResult<String> {
        Ok(self.client().send_feedback(&text)?)
    }

    pub fn answer_feedback(&self, feedback_id: String, answer: String) -> FfiResult<()> {
        Ok(self.client().answer_feedback(&feedback_id, &answer)?)
    }

    pub fn feedback(&self) -> FfiResult<Vec<FeedbackLine>> {
        Ok(self.client().feedback()?)
    }
}

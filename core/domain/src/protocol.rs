//! The wire protocol between phones and the server: one `POST /v1/sync` both pushes the
//! outbox and pulls changes, because on rural 2G/3G the round trip costs more than the bytes.
//! Bodies are JSON, gzip-compressed both ways (requests from [`COMPRESS_FROM`] bytes: below that
//! gzip saves a few dozen bytes and costs both ends more than it saves).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::aggregate::Aggregate;
use crate::chat::{GroupKind, Outgoing};
use crate::consult::grassroots::{ConsensusStatus, ConsultationDraft};
use crate::consult::report::{ReportContent, StaffStep};
use crate::consult::topic::TopicDraft;
use crate::duty::meeting::MeetingDraft;
use crate::duty::notice::{NoticeContent, ReplyOption};
use crate::duty::record::{EntryKind, RuleTable};
use crate::org::{Person, Role, RoleGrant};
use crate::proposal::{Action, Proposal, ProposalContent, Revision};

/// Bumped when a change would be misread by older peers; the server refuses others with 4xx.
pub const PROTOCOL_VERSION: u32 = 1;
/// Mutations in one request, at most.
pub const MAX_BATCH: usize = 100;
/// Longest long-poll the server grants, in seconds.
pub const MAX_WAIT_SECS: u32 = 30;
/// Bytes of change data in one response unless the phone asks otherwise: about 32 KiB on the
/// wire, a few seconds on 2G, so that a dropped connection costs little.
pub const DEFAULT_PAGE_BYTES: u32 = 256 * 1024;
pub const MIN_PAGE_BYTES: u32 = 64 * 1024;
pub const MAX_PAGE_BYTES: u32 = 1024 * 1024;
/// Request bodies from this size on are gzip-compressed.
pub const COMPRESS_FROM: usize = 1024;

/// `POST /v1/activate`: a new account's first password, set with its one-time activation code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivateRequest {
    pub login: String,
    pub code: String,
    pub password: String,
}

/// The role a person acts in (a member may also be staff elsewhere); the server checks that the
/// person holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActingAs {
    pub role: Role,
    pub org_id: String,
}

/// One user action, applied locally at once and sent until the server has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mutation {
    /// Increases by one per client, from 1.
    pub id: u64,
    pub acting_as: ActingAs,
    pub kind: MutationKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MutationKind {
    CreateProposal {
        proposal_id: String,
        session_id: String,
        content: ProposalContent,
    },
    /// `base_revision` is the revision the device had when the member saved: a save on top of a
    /// revision the server has moved past is kept as a conflict revision, never dropped.
    ProposalAction {
        proposal_id: String,
        action: Action,
        base_revision: u32,
    },
    CreateGroup {
        group_id: String,
        name: String,
        kind: GroupKind,
        members: Vec<String>,
    },
    SetGroupMembers {
        group_id: String,
        add: Vec<String>,
        remove: Vec<String>,
    },
    LeaveGroup {
        group_id: String,
    },
    SendMessage {
        message: Outgoing,
    },
    RecallMessage {
        message_id: String,
    },
    DeleteMessage {
        message_id: String,
    },
    MarkRead {
        group_id: String,
        seq: u64,
    },
    // --- 通知公告 ---
    PublishNotice {
        notice_id: String,
        content: NoticeContent,
    },
    CorrectNotice {
        notice_id: String,
        content: NoticeContent,
        note: String,
    },
    WithdrawNotice {
        notice_id: String,
        reason: String,
    },
    /// Opening a notice marks it read.
    ReadNotice {
        notice_id: String,
    },
    AnswerNotice {
        notice_id: String,
        answer: ReplyOption,
        note: String,
    },
    // --- 会议活动 ---
    CreateMeeting {
        meeting_id: String,
        draft: MeetingDraft,
    },
    SetMeetingCapacity {
        meeting_id: String,
        capacity: u32,
    },
    CancelMeeting {
        meeting_id: String,
        reason: String,
    },
    SetMeetingDocument {
        meeting_id: String,
        document_id: String,
        title: String,
        body: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<crate::files::Attachment>,
    },
    /// 参加 (`leave_reason: None`) or 请假 with a reason.
    ReplyMeeting {
        meeting_id: String,
        leave_reason: Option<String>,
    },
    DecideLeave {
        meeting_id: String,
        person_id: String,
        approve: bool,
        note: String,
    },
    SignUp {
        meeting_id: String,
    },
    CancelSignUp {
        meeting_id: String,
    },
    /// The member's phone took a signed code at `at_ms`.
    CheckIn {
        meeting_id: String,
        code: String,
        at_ms: i64,
    },
    CheckInByStaff {
        meeting_id: String,
        person_id: String,
    },
    MarkAbsent {
        meeting_id: String,
        person_id: String,
        excused: bool,
    },
    // --- 履职档案 ---
    RecordSpeech {
        entry_id: String,
        person_id: String,
        kind: EntryKind,
        title: String,
        date_ms: i64,
    },
    SubmitSelfReport {
        entry_id: String,
        title: String,
        description: String,
        date_ms: i64,
    },
    DecideSelfReport {
        entry_id: String,
        accept: bool,
        reason: String,
    },
    /// A new version of the organisation's point rules (the version is assigned on apply).
    SetDutyRules {
        rules: RuleTable,
    },
    // --- 意见建议 ---
    SendFeedback {
        feedback_id: String,
        text: String,
    },
    AnswerFeedback {
        feedback_id: String,
        answer: String,
    },
    // --- 社情民意 ---
    CreateReport {
        report_id: String,
        content: ReportContent,
        co_authors: Vec<String>,
        author_group: Option<String>,
    },
    SaveReport {
        report_id: String,
        content: ReportContent,
    },
    SubmitReport {
        report_id: String,
    },
    /// 受理, 退回, 不予采用, 编发 (or adoption by a higher organisation), 报送, 批示, 反馈.
    ReportStep {
        report_id: String,
        step: StaffStep,
    },
    // --- 网络议政 ---
    OpenTopic {
        topic_id: String,
        draft: TopicDraft,
    },
    CloseTopic {
        topic_id: String,
    },
    SummariseTopic {
        topic_id: String,
        text: String,
        quoted: Vec<String>,
    },
    /// `written_at_ms`: when the member wrote it on the phone (judged against the window).
    WritePost {
        post_id: String,
        topic_id: String,
        reply_to: Option<String>,
        text: String,
        written_at_ms: i64,
    },
    EditPost {
        post_id: String,
        text: String,
        written_at_ms: i64,
    },
    SecondPost {
        post_id: String,
        written_at_ms: i64,
    },
    HidePost {
        post_id: String,
        reason: String,
    },
    // --- 远程协商 ---
    ApplyToSpeak {
        meeting_id: String,
        text: String,
    },
    OrderSpeakers {
        meeting_id: String,
        person_ids: Vec<String>,
    },
    MarkSpoke {
        meeting_id: String,
        person_id: String,
    },
    // --- 协商在基层 ---
    RecordConsultation {
        consultation_id: String,
        draft: ConsultationDraft,
    },
    FollowUpConsensus {
        consultation_id: String,
        point_id: String,
        status: ConsensusStatus,
        note: String,
        date_ms: i64,
    },
    // --- 委员学习 ---
    PublishMaterial {
        material_id: String,
        draft: crate::study::material::MaterialDraft,
    },
    ReviseMaterial {
        material_id: String,
        draft: crate::study::material::MaterialDraft,
    },
    WithdrawMaterial {
        material_id: String,
        reason: String,
    },
    MarkStudied {
        material_id: String,
    },
    WriteStudyNote {
        material_id: String,
        note_id: String,
        quote: Option<String>,
        text: String,
    },
    // --- 线上读书 ---
    SetReadingPlan {
        group_id: String,
        items: Vec<crate::study::reading::ReadingItem>,
        lead_readers: Vec<String>,
    },
    PostGuide {
        group_id: String,
        guide_id: String,
        title: String,
        text: String,
    },
    WriteReadingNote {
        note_id: String,
        group_id: String,
        day: String,
        text: String,
    },
    // --- 信息发布 ---
    PublishNews {
        news_id: String,
        draft: crate::news::NewsDraft,
    },
    WithdrawNews {
        news_id: String,
        reason: String,
    },
    // --- 推送 ---
    /// This device is reached through `vendor` with `token` (the server keeps it with the
    /// device's session: logging out or a revoked session removes it).
    RegisterPushToken {
        vendor: crate::push::PushVendor,
        token: String,
    },
    /// The person's push settings (which kinds, quiet hours), the same on all their devices.
    SetNotificationSettings {
        settings: crate::push::NotificationSettings,
    },
    // --- 委员档案 ---
    /// Staff keep a member's file (a new one, or changed fields).
    KeepMemberFile {
        person_id: String,
        fields: crate::member_file::FileFields,
    },
    /// A member asks to correct their own file; the id is `person@…` (the file's aggregate).
    RequestFileCorrection {
        correction_id: String,
        proposed: crate::member_file::FileFields,
        note: String,
    },
    /// Staff approve a correction into the file, or return it with a reason.
    DecideFileCorrection {
        correction_id: String,
        approve: bool,
        reason: String,
    },
    // --- 联络联系 ---
    /// A member adds a person to their register or corrects one.
    SaveContact {
        contact_id: String,
        draft: crate::liaison::contacts::ContactDraft,
    },
    RemoveContact {
        contact_id: String,
    },
    /// A member logs a contact (or corrects a logged one).
    LogContact {
        log_id: String,
        draft: crate::liaison::contacts::ContactLogDraft,
    },
    /// A 社情民意 draft or a proposal draft made, in one action, from a contact or a studio
    /// message, linked to it.
    RaiseDraft {
        from: crate::liaison::RaisedFrom,
        into: crate::liaison::RaiseInto,
    },
    // --- 委员工作室 ---
    /// Staff set up a studio or change it (place, members, hours, roster, open or not).
    SaveStudio {
        studio_id: String,
        draft: crate::liaison::studio::StudioDraft,
    },
    /// A member of the studio (or staff) answers a resident's message.
    AnswerStudioMessage {
        message_id: String,
        answer: String,
    },
}

impl MutationKind {
    /// The chat group this mutation names, if it names one (a recall or deletion names only
    /// its message).
    pub fn group(&self) -> Option<&str> {
        match self {
            MutationKind::CreateGroup { group_id, .. }
            | MutationKind::SetGroupMembers { group_id, .. }
            | MutationKind::LeaveGroup { group_id }
            | MutationKind::MarkRead { group_id, .. } => Some(group_id),
            MutationKind::SendMessage { message } => Some(&message.group_id),
            _ => None,
        }
    }

    /// The duty aggregate (notice, meeting, record entry, feedback, rules) this mutation
    /// changes, if it is a duty mutation. `org_id` is the acting organisation (rules are per
    /// organisation).
    pub fn aggregate(&self, org_id: &str) -> Option<Aggregate> {
        use MutationKind as K;
        Some(match self {
            K::PublishNotice { notice_id, .. }
            | K::CorrectNotice { notice_id, .. }
            | K::WithdrawNotice { notice_id, .. }
            | K::ReadNotice { notice_id }
            | K::AnswerNotice { notice_id, .. } => Aggregate::Notice(notice_id.clone()),
            K::CreateMeeting { meeting_id, .. }
            | K::SetMeetingCapacity { meeting_id, .. }
            | K::CancelMeeting { meeting_id, .. }
            | K::SetMeetingDocument { meeting_id, .. }
            | K::ReplyMeeting { meeting_id, .. }
            | K::DecideLeave { meeting_id, .. }
            | K::SignUp { meeting_id }
            | K::CancelSignUp { meeting_id }
            | K::CheckIn { meeting_id, .. }
            | K::CheckInByStaff { meeting_id, .. }
            | K::MarkAbsent { meeting_id, .. }
            | K::ApplyToSpeak { meeting_id, .. }
            | K::OrderSpeakers { meeting_id, .. }
            | K::MarkSpoke { meeting_id, .. } => Aggregate::Meeting(meeting_id.clone()),
            K::RecordSpeech { entry_id, .. }
            | K::SubmitSelfReport { entry_id, .. }
            | K::DecideSelfReport { entry_id, .. } => Aggregate::Entry(entry_id.clone()),
            K::SetDutyRules { .. } => Aggregate::Rules(org_id.to_string()),
            K::SendFeedback { feedback_id, .. } | K::AnswerFeedback { feedback_id, .. } => {
                Aggregate::Feedback(feedback_id.clone())
            }
            K::CreateReport { report_id, .. }
            | K::SaveReport { report_id, .. }
            | K::SubmitReport { report_id }
            | K::ReportStep { report_id, .. } => Aggregate::Report(report_id.clone()),
            // A consented conversion makes the report (taken back with it if refused).
            K::ProposalAction { proposal_id, action: Action::RespondConversion { consent: true }, .. } => {
                Aggregate::Report(crate::consult::report::id_for_proposal(proposal_id))
            }
            K::OpenTopic { topic_id, .. } | K::CloseTopic { topic_id } | K::SummariseTopic { topic_id, .. } => {
                Aggregate::Topic(topic_id.clone())
            }
            K::WritePost { post_id, .. }
            | K::EditPost { post_id, .. }
            | K::SecondPost { post_id, .. }
            | K::HidePost { post_id, .. } => Aggregate::Post(post_id.clone()),
            K::RecordConsultation { consultation_id, .. } | K::FollowUpConsensus { consultation_id, .. } => {
                Aggregate::Consultation(consultation_id.clone())
            }
            K::PublishMaterial { material_id, .. }
            | K::ReviseMaterial { material_id, .. }
            | K::WithdrawMaterial { material_id, .. }
            | K::MarkStudied { material_id }
            | K::WriteStudyNote { material_id, .. } => Aggregate::Material(material_id.clone()),
            K::SetReadingPlan { group_id, .. } | K::PostGuide { group_id, .. } => {
                Aggregate::ReadingPlan(group_id.clone())
            }
            K::WriteReadingNote { note_id, .. } => Aggregate::ReadingNote(note_id.clone()),
            K::PublishNews { news_id, .. } | K::WithdrawNews { news_id, .. } => Aggregate::News(news_id.clone()),
            K::KeepMemberFile { person_id, .. } => Aggregate::MemberFile(person_id.clone()),
            K::RequestFileCorrection { correction_id, .. } | K::DecideFileCorrection { correction_id, .. } => {
                Aggregate::MemberFile(crate::member_file::person_of_correction(correction_id).to_string())
            }
            K::SaveContact { contact_id, .. } | K::RemoveContact { contact_id } => {
                Aggregate::Contact(contact_id.clone())
            }
            K::LogContact { log_id, .. } => Aggregate::ContactLog(log_id.clone()),
            // The draft is what the action makes (taken back with it if refused); a proposal
            // draft is rebuilt through `touches`.
            K::RaiseDraft { into: crate::liaison::RaiseInto::Report { report_id }, .. } => {
                Aggregate::Report(report_id.clone())
            }
            K::SaveStudio { studio_id, .. } => Aggregate::Studio(studio_id.clone()),
            K::AnswerStudioMessage { message_id, .. } => Aggregate::StudioMessage(message_id.clone()),
            _ => return None,
        })
    }

    /// What this mutation must stay in order with: mutations sharing a key are sent in the
    /// order they were made (one held for its files' upload holds back the later ones with a
    /// key in common, and nothing else).
    pub fn order_keys(&self, org_id: &str) -> Vec<String> {
        let mut keys: Vec<String> = self.touches().into_iter().map(|p| format!("proposal:{p}")).collect();
        keys.extend(self.aggregate(org_id).map(|r| format!("{r:?}")));
        match self {
            // A group's messages go in the order they were written (a photo still uploading holds
            // back the text after it, as a room's send queue does), other groups' do not wait.
            MutationKind::SendMessage { message } => {
                keys.push(format!("message:{}", message.message_id));
                keys.push(format!("group:{}", message.group_id));
            }
            MutationKind::RecallMessage { message_id } | MutationKind::DeleteMessage { message_id } => {
                keys.push(format!("message:{message_id}"))
            }
            _ => {}
        }
        keys
    }

    /// The files this mutation attaches, with the entity that will carry them: the server
    /// takes it only once they are uploaded, and from then on lets whoever may read that entity
    /// download them.
    pub fn attachments(&self) -> Option<(EntityKind, &str, &[crate::files::Attachment])> {
        use MutationKind as K;
        let (kind, id, list) = match self {
            K::CreateProposal { proposal_id, content, .. }
            | K::ProposalAction { proposal_id, action: Action::SaveDraft { content }, .. } => {
                (EntityKind::Proposal, proposal_id, &content.attachments)
            }
            K::ProposalAction { proposal_id, action: Action::Reply { attachments, .. }, .. } => {
                (EntityKind::Proposal, proposal_id, attachments)
            }
            K::SendMessage { message } => (EntityKind::Message, &message.message_id, &message.attachments),
            K::CreateReport { report_id, content, .. } | K::SaveReport { report_id, content } => {
                (EntityKind::Report, report_id, &content.attachments)
            }
            K::PublishNotice { notice_id, content } | K::CorrectNotice { notice_id, content, .. } => {
                (EntityKind::Notice, notice_id, &content.attachments)
            }
            K::SetMeetingDocument { meeting_id, attachments, .. } => (EntityKind::Meeting, meeting_id, attachments),
            K::PublishMaterial { material_id, draft } | K::ReviseMaterial { material_id, draft } => {
                (EntityKind::Material, material_id, &draft.attachments)
            }
            K::PublishNews { news_id, draft: crate::news::NewsDraft { cover: Some(cover), .. } } => {
                return Some((EntityKind::News, news_id.as_str(), std::slice::from_ref(cover)));
            }
            _ => return None,
        };
        (!list.is_empty()).then_some((kind, id.as_str(), list.as_slice()))
    }

    /// Proposals whose state this mutation changes (rebuilt on the phone when the server answers).
    pub fn touches(&self) -> Vec<String> {
        match self {
            MutationKind::CreateProposal { proposal_id, .. } => vec![proposal_id.clone()],
            MutationKind::ProposalAction { proposal_id, action: Action::Merge { with_id }, .. } => {
                vec![proposal_id.clone(), with_id.clone()]
            }
            MutationKind::ProposalAction { proposal_id, .. } => vec![proposal_id.clone()],
            MutationKind::RaiseDraft { into: crate::liaison::RaiseInto::Proposal { proposal_id, .. }, .. } => {
                vec![proposal_id.clone()]
            }
            _ => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRequest {
    pub protocol: u32,
    pub client_id: String,
    /// Pending mutations, in id order.
    pub mutations: Vec<Mutation>,
    /// The last change seen per scope.
    pub cursors: BTreeMap<String, u64>,
    /// Wait up to this many seconds for news when there is none (long-poll); 0 answers at once.
    #[serde(default)]
    pub wait_secs: u32,
    /// How many recent messages a group the phone has not synced yet starts with; older ones
    /// are fetched on demand.
    #[serde(default = "default_initial_messages")]
    pub initial_messages: u32,
    /// Bytes of change data the phone would like in this response (the server keeps it within
    /// [`MIN_PAGE_BYTES`]..=[`MAX_PAGE_BYTES`]); absent: [`DEFAULT_PAGE_BYTES`]. A phone catching
    /// up over a fast link asks for more: fewer round trips and fewer commits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_bytes: Option<u32>,
}

pub fn default_initial_messages() -> u32 {
    200
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum MutationOutcome {
    Applied,
    /// Refused by a rule: shown to the member, never retried as is.
    Rejected {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MutationResult {
    pub id: u64,
    #[serde(flatten)]
    pub outcome: MutationOutcome,
}

/// One change of one entity in one scope; `data: None` is a tombstone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub seq: u64,
    pub entity: EntityKind,
    pub id: String,
    pub data: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Organisation,
    Term,
    Session,
    Unit,
    MemberGroup,
    /// A person with their role grants in the scope's organisation; id `person@org`.
    Membership,
    Proposal,
    /// A chat group with its members, in each member's `user:` scope.
    Group,
    /// A chat message, in its group's `group:` scope.
    Message,
    /// A member's read marker in a group, in their `user:` scope; id = the group's id.
    ReadMarker,
    /// A notice, in the scopes of its audience and its staff.
    Notice,
    /// A member's receipt of a notice, id `notice@person`: their `user:` scope and the
    /// publishing organisation's `staff:` scope.
    NoticeReceipt,
    /// Who a notice reached, for the publishing staff; id = the notice's.
    NoticeAudience,
    /// A meeting or activity with its documents.
    Meeting,
    /// One person's part in a meeting, id `meeting@person`.
    Attendance,
    /// A speech recorded by staff or a self-reported duty.
    DutyEntry,
    /// An organisation's point rules; id = the organisation's.
    DutyRules,
    /// 意见建议 and its answer.
    Feedback,
    /// A 社情民意 report: its authors' `user:` scopes, then its organisation's `staff:` scope
    /// and the `staff:` scopes of the higher organisations it was sent to.
    Report,
    /// A 网络议政 topic with its summary, in its audience's scopes and its staff's.
    Topic,
    /// A post on a topic, in the topic's scopes.
    Post,
    /// An application to speak at a remote consultation, id `meeting@person`.
    SpeechRequest,
    /// A grassroots consultation: its organisation's `org:` scope and the `staff:` scopes of
    /// the organisations above it.
    Consultation,
    /// A study material, in its audience's scopes and its staff's.
    Material,
    /// One member's study of a material (studied, notes), id `material@person`: their `user:`
    /// scope only.
    Study,
    /// A reading group's plan with its 导读; id = the group's. The group's scope.
    ReadingPlan,
    /// A member's reading note, in the group's scope and their own.
    ReadingNote,
    /// A news item, in the `org:` scopes of its organisation and (usually) those under it.
    News,
    /// A person's push settings, id = the person's: their `user:` scope only.
    NotificationSettings,
    /// A member's file (委员档案), id = the person's: their `user:` scope and their
    /// organisation's `staff:` scope.
    MemberFile,
    /// A correction a member asked of their file, id `person@…`: the same scopes as the file.
    FileCorrection,
    /// What anyone in the organisation may see of a person (name, 界别, 专委会, 单位职务, never
    /// a phone), id = the person's: the organisation's `org:` scope.
    DirectoryEntry,
    /// A person in a member's 联系名册: the member's `user:` scope only.
    Contact,
    /// A member's contact facts without names (`liaison::contacts::ContactFacts`), id = the
    /// person's: their organisation's `staff:` scope.
    ContactFacts,
    /// A contact in a member's log: the member's `user:` scope only.
    ContactLog,
    /// A 委员工作室: its organisation's `org:` scope.
    Studio,
    /// A message left at a studio: the `user:` scopes of the studio's members and its
    /// organisation's `staff:` scope (the resident's phone goes nowhere else).
    StudioMessage,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Organisation => "organisation",
            EntityKind::Term => "term",
            EntityKind::Session => "session",
            EntityKind::Unit => "unit",
            EntityKind::MemberGroup => "member_group",
            EntityKind::Membership => "membership",
            EntityKind::Proposal => "proposal",
            EntityKind::Group => "group",
            EntityKind::Message => "message",
            EntityKind::ReadMarker => "read_marker",
            EntityKind::Notice => "notice",
            EntityKind::NoticeReceipt => "notice_receipt",
            EntityKind::NoticeAudience => "notice_audience",
            EntityKind::Meeting => "meeting",
            EntityKind::Attendance => "attendance",
            EntityKind::DutyEntry => "duty_entry",
            EntityKind::DutyRules => "duty_rules",
            EntityKind::Feedback => "feedback",
            EntityKind::Report => "report",
            EntityKind::Topic => "topic",
            EntityKind::Post => "post",
            EntityKind::SpeechRequest => "speech_request",
            EntityKind::Consultation => "consultation",
            EntityKind::Material => "material",
            EntityKind::Study => "study",
            EntityKind::ReadingPlan => "reading_plan",
            EntityKind::ReadingNote => "reading_note",
            EntityKind::News => "news",
            EntityKind::NotificationSettings => "notification_settings",
            EntityKind::MemberFile => "member_file",
            EntityKind::FileCorrection => "file_correction",
            EntityKind::DirectoryEntry => "directory_entry",
            EntityKind::Contact => "contact",
            EntityKind::ContactFacts => "contact_facts",
            EntityKind::ContactLog => "contact_log",
            EntityKind::Studio => "studio",
            EntityKind::StudioMessage => "studio_message",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub const ALL: [EntityKind; 37] = [
        EntityKind::Organisation,
        EntityKind::Term,
        EntityKind::Session,
        EntityKind::Unit,
        EntityKind::MemberGroup,
        EntityKind::Membership,
        EntityKind::Proposal,
        EntityKind::Group,
        EntityKind::Message,
        EntityKind::ReadMarker,
        EntityKind::Notice,
        EntityKind::NoticeReceipt,
        EntityKind::NoticeAudience,
        EntityKind::Meeting,
        EntityKind::Attendance,
        EntityKind::DutyEntry,
        EntityKind::DutyRules,
        EntityKind::Feedback,
        EntityKind::Report,
        EntityKind::Topic,
        EntityKind::Post,
        EntityKind::SpeechRequest,
        EntityKind::Consultation,
        EntityKind::Material,
        EntityKind::Study,
        EntityKind::ReadingPlan,
        EntityKind::ReadingNote,
        EntityKind::News,
        EntityKind::NotificationSettings,
        EntityKind::MemberFile,
        EntityKind::FileCorrection,
        EntityKind::DirectoryEntry,
        EntityKind::Contact,
        EntityKind::ContactFacts,
        EntityKind::ContactLog,
        EntityKind::Studio,
        EntityKind::StudioMessage,
    ];

    /// The duty aggregate an entity of this kind with `id` belongs to (`None` for entities of
    /// other kinds): the inverse of [`aggregate_parts`].
    pub fn aggregate(self, id: &str) -> Option<Aggregate> {
        let head = || id.split_once('@').map_or(id, |(h, _)| h).to_string();
        Some(match self {
            EntityKind::Notice | EntityKind::NoticeAudience => Aggregate::Notice(id.into()),
            EntityKind::NoticeReceipt => Aggregate::Notice(head()),
            EntityKind::Meeting => Aggregate::Meeting(id.into()),
            EntityKind::Attendance | EntityKind::SpeechRequest => Aggregate::Meeting(head()),
            EntityKind::DutyEntry => Aggregate::Entry(id.into()),
            EntityKind::DutyRules => Aggregate::Rules(id.into()),
            EntityKind::Feedback => Aggregate::Feedback(id.into()),
            EntityKind::Report => Aggregate::Report(id.into()),
            EntityKind::Topic => Aggregate::Topic(id.into()),
            EntityKind::Post => Aggregate::Post(id.into()),
            EntityKind::Consultation => Aggregate::Consultation(id.into()),
            EntityKind::Material => Aggregate::Material(id.into()),
            EntityKind::Study => Aggregate::Material(head()),
            EntityKind::ReadingPlan => Aggregate::ReadingPlan(id.into()),
            EntityKind::ReadingNote => Aggregate::ReadingNote(id.into()),
            EntityKind::News => Aggregate::News(id.into()),
            EntityKind::MemberFile => Aggregate::MemberFile(id.into()),
            EntityKind::FileCorrection => Aggregate::MemberFile(head()),
            EntityKind::Contact => Aggregate::Contact(id.into()),
            EntityKind::ContactLog => Aggregate::ContactLog(id.into()),
            EntityKind::Studio => Aggregate::Studio(id.into()),
            EntityKind::StudioMessage => Aggregate::StudioMessage(id.into()),
            _ => return None,
        })
    }
}

/// The entity kinds an aggregate is made of, and the pattern their ids follow (`root` itself,
/// or `root@person` when `true`): the inverse of [`EntityKind::aggregate`].
pub fn aggregate_parts(root: &Aggregate) -> (&str, Vec<(EntityKind, bool)>) {
    match root {
        Aggregate::Notice(id) => (
            id,
            vec![(EntityKind::Notice, false), (EntityKind::NoticeAudience, false), (EntityKind::NoticeReceipt, true)],
        ),
        Aggregate::Meeting(id) => {
            (id, vec![(EntityKind::Meeting, false), (EntityKind::Attendance, true), (EntityKind::SpeechRequest, true)])
        }
        Aggregate::Entry(id) => (id, vec![(EntityKind::DutyEntry, false)]),
        Aggregate::Feedback(id) => (id, vec![(EntityKind::Feedback, false)]),
        Aggregate::Rules(id) => (id, vec![(EntityKind::DutyRules, false)]),
        Aggregate::Report(id) => (id, vec![(EntityKind::Report, false)]),
        Aggregate::Topic(id) => (id, vec![(EntityKind::Topic, false)]),
        Aggregate::Post(id) => (id, vec![(EntityKind::Post, false)]),
        Aggregate::Consultation(id) => (id, vec![(EntityKind::Consultation, false)]),
        Aggregate::Material(id) => (id, vec![(EntityKind::Material, false), (EntityKind::Study, true)]),
        Aggregate::ReadingPlan(id) => (id, vec![(EntityKind::ReadingPlan, false)]),
        Aggregate::ReadingNote(id) => (id, vec![(EntityKind::ReadingNote, false)]),
        Aggregate::News(id) => (id, vec![(EntityKind::News, false)]),
        Aggregate::MemberFile(id) => (id, vec![(EntityKind::MemberFile, false), (EntityKind::FileCorrection, true)]),
        Aggregate::Contact(id) => (id, vec![(EntityKind::Contact, false)]),
        Aggregate::ContactLog(id) => (id, vec![(EntityKind::ContactLog, false)]),
        Aggregate::Studio(id) => (id, vec![(EntityKind::Studio, false)]),
        Aggregate::StudioMessage(id) => (id, vec![(EntityKind::StudioMessage, false)]),
    }
}

#[cfg(test)]
mod aggregate_tests {
    use super::*;

    #[test]
    fn every_part_of_an_aggregate_maps_back_to_it_and_every_mapped_kind_is_a_part() {
        let roots = [
            Aggregate::Notice("n1".into()),
            Aggregate::Meeting("m1".into()),
            Aggregate::Entry("e1".into()),
            Aggregate::Feedback("f1".into()),
            Aggregate::Rules("yn-12-03".into()),
            Aggregate::Report("r1".into()),
            Aggregate::Topic("t1".into()),
            Aggregate::Post("p1".into()),
            Aggregate::Consultation("c1".into()),
            Aggregate::Material("mt1".into()),
            Aggregate::ReadingPlan("g1".into()),
            Aggregate::ReadingNote("rn1".into()),
            Aggregate::News("w1".into()),
            Aggregate::MemberFile("demo-lihua".into()),
            Aggregate::Contact("ct1".into()),
            Aggregate::ContactLog("cl1".into()),
            Aggregate::Studio("s1".into()),
            Aggregate::StudioMessage("sm1".into()),
        ];
        let mut kinds_in_parts = Vec::new();
        for root in &roots {
            let (id, parts) = aggregate_parts(root);
            for (kind, per_person) in parts {
                let part_id = if per_person { format!("{id}@demo-zhangming") } else { id.to_string() };
                assert_eq!(kind.aggregate(&part_id).as_ref(), Some(root), "{kind:?} {part_id}");
                kinds_in_parts.push(kind);
            }
        }
        for kind in EntityKind::ALL {
            assert_eq!(kind.aggregate("x").is_some(), kinds_in_parts.contains(&kind), "{kind:?}");
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScopePage {
    pub scope: String,
    pub changes: Vec<Change>,
    /// The cursor to store with this page, in the same transaction.
    pub cursor: u64,
    /// The client's cursor was older than the compaction horizon: drop the scope's data and
    /// take this page (and those after it) as the whole scope.
    #[serde(default)]
    pub reset: bool,
    /// More changes wait in this scope.
    #[serde(default)]
    pub more: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncResponse {
    pub protocol: u32,
    /// Results for the mutations of this request (and replays of earlier ones).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<MutationResult>,
    /// The highest mutation id of this client the server has decided.
    pub last_applied: u64,
    /// Every scope the user may read now, when it differs from the scopes the phone sent
    /// cursors for; data of other scopes leaves the phone. Absent when unchanged, which keeps
    /// an idle sync to a few bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<ScopePage>,
}

/// A proposal as it travels: the aggregate with its history chain and revisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProposalBundle {
    pub proposal: Proposal,
    pub history: Vec<HistoryRow>,
    pub revisions: Vec<Revision>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub seq: u32,
    pub entry: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Login request and answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
    pub device_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    /// Milliseconds since the epoch.
    pub access_expires_at: i64,
    pub session_id: String,
    pub person_id: String,
    pub grants: Vec<RoleGrant>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: String,
    pub device_name: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub current: bool,
}

/// A 4xx/5xx answer's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
}

/// The membership entity's data: a person and their grants in one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipData {
    pub person: Person,
    pub org_id: String,
    pub grants: Vec<RoleGrant>,
    /// Sectors and special committees of this person in that organisation.
    pub groups: Vec<String>,
}

/// One entry of the server's audit log, as an organisation's administrators read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: u64,
    pub at_ms: i64,
    /// `login_succeeded`, `login_failed`, `login_throttled`, `session_revoked`,
    /// `refresh_reused`, `permission_refused`, `role_granted`, `bootstrap_loaded`.
    pub kind: String,
    /// What happened, in Chinese.
    pub kind_label: String,
    pub person_id: Option<String>,
    pub person_name: Option<String>,
    pub org_id: Option<String>,
    /// The client's address, for logins and refusals.
    pub address: Option<String>,
    pub detail: String,
}

/// A read marker as it travels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadMarkerData {
    pub group_id: String,
    pub person_id: String,
    pub seq: u64,
}

/// Staff ask for a meeting's check-in code (`POST /v1/meetings/{id}/check-in-code`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInCodeRequest {
    pub not_before_ms: i64,
    pub not_after_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInCodeResponse {
    pub code: String,
}

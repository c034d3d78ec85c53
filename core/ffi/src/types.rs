//! The values that cross the FFI, declared for UniFFI here so that the crates that own them
//! (domain, store, sync, client) need no UniFFI at all and the apps see one module.
//! `#[uniffi::remote]` restates each type's shape; the compiler checks every restatement
//! against the real type, so a field or variant added there and not here does not build.

use lvzhi_client::proposals::SimilarProposal;
use lvzhi_client::rows::{GroupSummary, MessageState, ProposalSummary, SyncState, SyncStatus, TimelineItem};
use lvzhi_client::{
    ActionForm, ActionKind, AssignmentView, ChoiceOption, CoProposer, ConversionView, EvaluationView, ExtensionView,
    FormValue, HistoryLine, Input, InputKind, Me, MyRole, OutboxItem, OutboxState, Person, ProposalDetail, ReplyView,
    RevisionLine, UnitView,
};
use lvzhi_domain::chat::{ChatGroup, GroupKind};
use lvzhi_domain::org::Role;
use lvzhi_domain::proposal::{
    AssignmentRole, ConversionTarget, InvitationStatus, NotRegisteredGround, ProposalContent, ProposalFlag,
    ProposalState, Rating, ReplyCategory,
};

// --- Domain ------------------------------------------------------------------------------

/// What a person may do, always within one organisation.
#[uniffi::remote(Enum)]
pub enum Role {
    Member,
    ProposalStaff,
    UnitUser,
    OrgAdmin,
}

/// What the member writes: 标题, 案由, 建议, 类别.
#[uniffi::remote(Record)]
pub struct ProposalContent {
    pub title: String,
    pub cause: String,
    pub suggestions: String,
    pub category: String,
    #[uniffi(default = [])]
    pub attachments: Vec<lvzhi_domain::files::Attachment>,
}

/// Where a proposal stands (草稿 … 已办结).
#[uniffi::remote(Enum)]
pub enum ProposalState {
    Draft,
    CoSigning,
    Submitted,
    ConversionPending,
    Registered,
    Handling,
    Replied,
    Evaluating,
    Rehandling,
    AwaitingClosure,
    Closed,
    NotRegistered,
    Withdrawn,
    Converted,
}

#[uniffi::remote(Enum)]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Declined,
}

/// Something staff should look at: 已超期, 未按期联系委员, 测评逾期, 待重新交办, 重点提案.
#[uniffi::remote(Enum)]
pub enum ProposalFlag {
    Overdue,
    FirstContactOverdue,
    EvaluationOverdue,
    NeedsReassignment,
    Key,
}

/// Grounds for 不予立案.
#[uniffi::remote(Enum)]
pub enum NotRegisteredGround {
    StateSecrets,
    InLitigation,
    PersonalAffairs,
    AcademicDiscussion,
    AccusesNamedPeople,
    NoConcreteSuggestion,
}

/// 社情民意信息 or 意见函.
#[uniffi::remote(Enum)]
pub enum ConversionTarget {
    SocialConditionReport,
    OpinionLetter,
}

/// 单办, 分办, 主办, 会办.
#[uniffi::remote(Enum)]
pub enum AssignmentRole {
    Sole,
    Parallel,
    Lead,
    Supporting,
}

#[uniffi::remote(Enum)]
pub enum ReplyCategory {
    A,
    B,
    C,
}

/// 满意, 基本满意, 不满意.
#[uniffi::remote(Enum)]
pub enum Rating {
    Satisfied,
    BasicallySatisfied,
    Unsatisfied,
}

/// 专委会, 界别, 读书群, 专题.
#[uniffi::remote(Enum)]
pub enum GroupKind {
    SpecialCommittee,
    Sector,
    ReadingGroup,
    Topic,
}

/// A study group with its members.
#[uniffi::remote(Record)]
pub struct ChatGroup {
    pub id: String,
    pub org_id: String,
    pub kind: GroupKind,
    pub name: String,
    pub created_by: String,
    pub created_at_ms: i64,
    pub members: Vec<String>,
}

// --- Read models of the store ------------------------------------------------------------

/// A line in a list of proposals.
#[uniffi::remote(Record)]
pub struct ProposalSummary {
    pub id: String,
    pub title: String,
    pub state: ProposalState,
    pub first_proposer_id: String,
    pub revision: u32,
    pub updated_at_ms: i64,
}

/// 发送中, 已发送, or 发送失败 with the reason.
#[uniffi::remote(Enum)]
pub enum MessageState {
    Sending,
    Sent,
    Failed { reason: String },
}

/// One line of a timeline, as the screen shows it.
#[uniffi::remote(Record)]
pub struct TimelineItem {
    pub id: String,
    pub group_id: String,
    pub seq: Option<u64>,
    pub sender_id: String,
    pub sender_name: String,
    pub text: String,
    pub reply_to: Option<String>,
    pub mentions: Vec<String>,
    pub created_at_ms: i64,
    pub sent_at_ms: Option<i64>,
    pub recalled: bool,
    pub deleted: bool,
    pub state: MessageState,
    pub outbox_id: Option<u64>,
    #[uniffi(default = [])]
    pub attachments: Vec<lvzhi_domain::files::Attachment>,
}

/// A group in the list, with what is new in it for this member.
#[uniffi::remote(Record)]
pub struct GroupSummary {
    pub group: ChatGroup,
    pub unread: u32,
    pub unread_mentions: u32,
    pub last_seq: Option<u64>,
    pub read_seq: u64,
}

// --- Sync status -------------------------------------------------------------------------

/// What the sync banner shows.
#[uniffi::remote(Enum)]
pub enum SyncState {
    Idle,
    Syncing,
    Offline,
    Error { reason: String },
}

#[uniffi::remote(Record)]
pub struct SyncStatus {
    pub state: SyncState,
    pub last_success_ms: Option<i64>,
    pub pending: u32,
    pub rejected: u32,
}

// --- Views and commands of the client ----------------------------------------------------

/// Who is logged in.
#[uniffi::remote(Record)]
pub struct Me {
    pub person_id: String,
    pub name: String,
    pub roles: Vec<MyRole>,
}

#[uniffi::remote(Record)]
pub struct MyRole {
    pub role: Role,
    pub role_label: String,
    pub org_id: String,
    pub org_name: String,
    pub unit_id: Option<String>,
}

/// One proposal as its screen shows it, with exactly the actions this user may take now.
#[uniffi::remote(Record)]
pub struct ProposalDetail {
    pub id: String,
    pub content: ProposalContent,
    pub state: ProposalState,
    pub state_label: String,
    pub revision: u32,
    pub first_proposer_id: String,
    pub first_proposer_name: String,
    pub co_proposers: Vec<CoProposer>,
    pub staff_note: Option<String>,
    pub history: Vec<HistoryLine>,
    pub actions: Vec<ActionForm>,
    pub flags: Vec<ProposalFlag>,
    pub updated_at_ms: i64,
    pub kind_label: Option<String>,
    pub submitted_at_ms: Option<i64>,
    pub assignments: Vec<AssignmentView>,
    pub handling_deadline_ms: Option<i64>,
    pub extension: Option<ExtensionView>,
    pub round: u32,
    pub evaluations: Vec<EvaluationView>,
    pub key_leader: Option<String>,
    pub not_registered_reason: Option<String>,
    pub conversion: Option<ConversionView>,
    pub merged_with: Vec<String>,
    pub closing_note: Option<String>,
    pub revisions: Vec<RevisionLine>,
}

/// One unit's part in handling: role, dates, and its reply.
#[uniffi::remote(Record)]
pub struct AssignmentView {
    pub unit_id: String,
    pub unit_name: String,
    pub role: AssignmentRole,
    pub role_label: String,
    pub assigned_at_ms: i64,
    pub active: bool,
    pub returned_reason: Option<String>,
    pub first_contact_at_ms: Option<i64>,
    pub first_contact_due_ms: i64,
    pub supporting_view: Option<String>,
    pub reply: Option<ReplyView>,
}

/// A unit's reply (答复) with its A/B/C category.
#[uniffi::remote(Record)]
pub struct ReplyView {
    pub category: ReplyCategory,
    pub category_label: String,
    pub approved_category: Option<ReplyCategory>,
    pub text: String,
    pub replied_at_ms: i64,
    pub supporting_views: Vec<String>,
}

#[uniffi::remote(Record)]
pub struct ExtensionView {
    pub until_ms: i64,
    pub reason: String,
    pub granted_at_ms: i64,
}

/// One proposer's rating (测评) of one round.
#[uniffi::remote(Record)]
pub struct EvaluationView {
    pub person_id: String,
    pub name: String,
    pub rating: Rating,
    pub rating_label: String,
    pub comment: String,
    pub at_ms: i64,
    pub round: u32,
}

#[uniffi::remote(Record)]
pub struct ConversionView {
    pub to: ConversionTarget,
    pub to_label: String,
    pub note: String,
    pub requested_at_ms: i64,
}

/// One saved version of a draft; conflicts kept from another device are marked.
#[uniffi::remote(Record)]
pub struct RevisionLine {
    pub number: u32,
    pub title: String,
    pub author_name: String,
    pub saved_at_ms: i64,
    pub restored_from: Option<u32>,
    pub conflict: bool,
}

/// A handling unit staff can assign to.
#[uniffi::remote(Record)]
pub struct UnitView {
    pub id: String,
    pub name: String,
    pub org_id: String,
}

/// One entry of the outbox: what it was and where it stands.
#[uniffi::remote(Record)]
pub struct OutboxItem {
    pub id: u64,
    pub label: String,
    pub state: OutboxState,
    pub created_at_ms: i64,
}

/// 待发送, 被退回 (with the reason), or waiting behind a refused entry it depends on.
#[uniffi::remote(Enum)]
pub enum OutboxState {
    Pending,
    Refused { reason: String },
    WaitingBehind { refused_id: u64, reason: String },
    WaitingForFiles,
}

#[uniffi::remote(Record)]
pub struct CoProposer {
    pub person_id: String,
    pub name: String,
    pub status: InvitationStatus,
    pub answered_at_ms: Option<i64>,
}

#[uniffi::remote(Record)]
pub struct HistoryLine {
    pub seq: u32,
    pub action: String,
    pub label: String,
    pub actor_name: String,
    pub role_label: String,
    pub at_ms: i64,
    pub reason: Option<String>,
}

/// Someone in the user's organisation.
#[uniffi::remote(Record)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub org_id: String,
    pub groups: Vec<String>,
}

/// Every action of every feature, one name each; the prefix names the item it acts on.
#[uniffi::remote(Enum)]
pub enum ActionKind {
    // 提案
    ProposalRestoreRevision,
    ProposalInvite,
    ProposalRemoveInvitee,
    ProposalOpenCoSigning,
    ProposalAcceptInvitation,
    ProposalDeclineInvitation,
    ProposalReopenDraft,
    ProposalSubmit,
    ProposalWithdraw,
    ProposalRegister,
    ProposalNotRegister,
    ProposalReturnForRevision,
    ProposalMerge,
    ProposalProposeConversion,
    ProposalAcceptConversion,
    ProposalDeclineConversion,
    ProposalAssign,
    ProposalAddUnit,
    ProposalReturnAssignment,
    ProposalExtendDeadline,
    ProposalRecordContact,
    ProposalSubmitView,
    ProposalReply,
    ProposalApproveReplies,
    ProposalEvaluate,
    ProposalClose,
    ProposalMarkKey,
    ProposalUnmarkKey,
    // 通知
    NoticeAnswer,
    NoticeWithdraw,
    // 会议活动
    MeetingAttend,
    MeetingAskLeave,
    MeetingSignUp,
    MeetingCancelSignUp,
    MeetingCheckIn,
    MeetingDecideLeave,
    MeetingCheckInPerson,
    MeetingMarkAbsent,
    MeetingCancel,
    MeetingSetCapacity,
    MeetingApplyToSpeak,
    MeetingOrderSpeakers,
    MeetingMarkSpoke,
    // 社情民意
    ReportSubmit,
    ReportAccept,
    ReportReturn,
    ReportReject,
    ReportSendUp,
    ReportInstruct,
    ReportFeedBack,
    // 网络议政
    TopicClose,
    TopicSummarise,
    PostSecond,
    PostHide,
    // 履职档案、意见建议
    SelfReportAccept,
    SelfReportRefuse,
    FeedbackAnswer,
    // 学习、信息发布
    MaterialMarkStudied,
    MaterialWithdraw,
    NewsWithdraw,
    // 交流群
    MessageRecall,
    MessageDelete,
}

/// One action as a shell renders it: the button's label and the inputs behind it.
#[uniffi::remote(Record)]
pub struct ActionForm {
    pub action: ActionKind,
    pub label: String,
    pub inputs: Vec<Input>,
}

/// One input of an action's form.
#[uniffi::remote(Record)]
pub struct Input {
    pub key: String,
    pub label: String,
    pub kind: InputKind,
    pub required: bool,
}

/// What kind of value an input takes.
#[uniffi::remote(Enum)]
pub enum InputKind {
    Text { max_chars: u32, multiline: bool },
    Choice { options: Vec<ChoiceOption>, many: bool },
    Person { exclude: Vec<String> },
    Date,
    Number { min: u32, max: u32 },
}

/// One option of a choice: the value sent back and the label read.
#[uniffi::remote(Record)]
pub struct ChoiceOption {
    pub value: String,
    pub label: String,
}

/// A value sent back for an input; a many-choice sends one per pick.
#[uniffi::remote(Record)]
pub struct FormValue {
    pub key: String,
    pub value: String,
}

#[uniffi::remote(Record)]
pub struct SimilarProposal {
    pub id: String,
    pub title: String,
    pub state_label: String,
    pub org_name: String,
    pub submitted_at_ms: Option<i64>,
    pub reply: Option<String>,
}

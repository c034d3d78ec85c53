//! The proposal aggregate and its parts. Plain data: the rules live in `lifecycle`.

use serde::{Deserialize, Serialize};

use crate::org::OrgSettings;
use crate::time::{self, Timestamp};

/// Where a proposal stands. See `shared/domain/cppcc-workflows.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ProposalState {
    /// 草稿: seen only by its proposers.
    Draft,
    /// 联名中: invitees are answering; the text is frozen.
    CoSigning,
    /// 已提交: waiting for review; the first proposer may still withdraw it.
    Submitted,
    /// 待同意转办: staff proposed turning it into a 社情民意 report or an opinion letter.
    ConversionPending,
    /// 已立案: registered, waiting for assignment to handling units.
    Registered,
    /// 办理中
    Handling,
    /// 已答复: replies are in, waiting for staff approval.
    Replied,
    /// 待测评: every proposer rates the reply.
    Evaluating,
    /// 重新办理: sent back once after an unsatisfied evaluation.
    Rehandling,
    /// 待办结: unsatisfied again after re-handling; staff close it with a note.
    AwaitingClosure,
    /// 已办结
    Closed,
    /// 不予立案
    NotRegistered,
    /// 已撤回
    Withdrawn,
    /// 已转办 (转为社情民意信息或意见函)
    Converted,
}

impl ProposalState {
    pub const ALL: [ProposalState; 14] = [
        ProposalState::Draft,
        ProposalState::CoSigning,
        ProposalState::Submitted,
        ProposalState::ConversionPending,
        ProposalState::Registered,
        ProposalState::Handling,
        ProposalState::Replied,
        ProposalState::Evaluating,
        ProposalState::Rehandling,
        ProposalState::AwaitingClosure,
        ProposalState::Closed,
        ProposalState::NotRegistered,
        ProposalState::Withdrawn,
        ProposalState::Converted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProposalState::Draft => "draft",
            ProposalState::CoSigning => "co_signing",
            ProposalState::Submitted => "submitted",
            ProposalState::ConversionPending => "conversion_pending",
            ProposalState::Registered => "registered",
            ProposalState::Handling => "handling",
            ProposalState::Replied => "replied",
            ProposalState::Evaluating => "evaluating",
            ProposalState::Rehandling => "rehandling",
            ProposalState::AwaitingClosure => "awaiting_closure",
            ProposalState::Closed => "closed",
            ProposalState::NotRegistered => "not_registered",
            ProposalState::Withdrawn => "withdrawn",
            ProposalState::Converted => "converted",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == s)
    }

    /// The state's name as members read it.
    pub fn label(self) -> &'static str {
        match self {
            ProposalState::Draft => "草稿",
            ProposalState::CoSigning => "联名中",
            ProposalState::Submitted => "已提交",
            ProposalState::ConversionPending => "待同意转办",
            ProposalState::Registered => "已立案",
            ProposalState::Handling => "办理中",
            ProposalState::Replied => "已答复",
            ProposalState::Evaluating => "待测评",
            ProposalState::Rehandling => "重新办理",
            ProposalState::AwaitingClosure => "待办结",
            ProposalState::Closed => "已办结",
            ProposalState::NotRegistered => "不予立案",
            ProposalState::Withdrawn => "已撤回",
            ProposalState::Converted => "已转办",
        }
    }

    /// No action leads out of a terminal state.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            ProposalState::Closed | ProposalState::NotRegistered | ProposalState::Withdrawn | ProposalState::Converted
        )
    }

    /// Before submission: only proposers see the proposal.
    pub fn is_private(self) -> bool {
        matches!(self, ProposalState::Draft | ProposalState::CoSigning)
    }

    /// Units are working on it.
    pub fn is_handling(self) -> bool {
        matches!(self, ProposalState::Handling | ProposalState::Rehandling)
    }

    /// Registered and not yet finished: staff may mark it as a key proposal.
    pub fn is_registered_and_open(self) -> bool {
        matches!(
            self,
            ProposalState::Registered
                | ProposalState::Handling
                | ProposalState::Replied
                | ProposalState::Evaluating
                | ProposalState::Rehandling
                | ProposalState::AwaitingClosure
        )
    }
}

/// What the member writes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalContent {
    /// 标题, e.g. 「关于发展肉牛养殖产业助推乡村振兴的提案」
    pub title: String,
    /// 案由: the problem and its causes.
    pub cause: String,
    /// 建议: the concrete suggestions.
    pub suggestions: String,
    /// 类别, e.g. 「经济建设」
    pub category: String,
    /// Photos and documents (调研照片, 附件材料).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<crate::files::Attachment>,
}

/// 大会提案 (inside the session's window) or 平时提案 (between sessions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProposalKind {
    Plenary,
    Interim,
}

impl ProposalKind {
    pub fn label(self) -> &'static str {
        match self {
            ProposalKind::Plenary => "大会提案",
            ProposalKind::Interim => "平时提案",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Declined,
}

impl InvitationStatus {
    pub fn label(self) -> &'static str {
        match self {
            InvitationStatus::Pending => "待答复",
            InvitationStatus::Accepted => "已同意",
            InvitationStatus::Declined => "不同意",
        }
    }
}

/// A member invited to co-sign (联名).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub person_id: String,
    pub status: InvitationStatus,
    pub answered_at: Option<Timestamp>,
}

/// Grounds for 不予立案, from the fixed list of the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotRegisteredGround {
    /// 涉及国家秘密
    StateSecrets,
    /// 涉及诉讼、仲裁等正在依法处理的事项
    InLitigation,
    /// 属于个人事务
    PersonalAffairs,
    /// 属于学术探讨
    AcademicDiscussion,
    /// 对具体人员的检举控告
    AccusesNamedPeople,
    /// 没有具体建议
    NoConcreteSuggestion,
}

impl NotRegisteredGround {
    pub fn label(self) -> &'static str {
        match self {
            NotRegisteredGround::StateSecrets => "涉及国家秘密",
            NotRegisteredGround::InLitigation => "涉及正在依法处理的诉讼、仲裁事项",
            NotRegisteredGround::PersonalAffairs => "属于个人事务",
            NotRegisteredGround::AcademicDiscussion => "属于学术探讨",
            NotRegisteredGround::AccusesNamedPeople => "属于对具体人员的检举控告",
            NotRegisteredGround::NoConcreteSuggestion => "没有具体建议",
        }
    }
}

/// What a proposal not kept as a proposal may become, with the proposer's consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConversionTarget {
    /// 社情民意信息
    SocialConditionReport,
    /// 意见函
    OpinionLetter,
}

impl ConversionTarget {
    pub fn label(self) -> &'static str {
        match self {
            ConversionTarget::SocialConditionReport => "社情民意信息",
            ConversionTarget::OpinionLetter => "意见函",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversionRequest {
    pub to: ConversionTarget,
    pub note: String,
    pub requested_at: Timestamp,
}

/// How a unit takes part in handling (交办方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssignmentRole {
    /// 单办: the only unit.
    Sole,
    /// 分办: one of several units, each replying.
    Parallel,
    /// 主办: the lead unit, which replies.
    Lead,
    /// 会办/协办: a supporting unit, which sends its view to the lead.
    Supporting,
}

impl AssignmentRole {
    /// The role's name as staff and units read it.
    pub fn label(self) -> &'static str {
        match self {
            AssignmentRole::Sole => "单办",
            AssignmentRole::Parallel => "分办",
            AssignmentRole::Lead => "主办",
            AssignmentRole::Supporting => "会办",
        }
    }

    /// Whether this unit's reply is one the proposers receive.
    pub fn replies(self) -> bool {
        !matches!(self, AssignmentRole::Supporting)
    }
}

/// The assignment decided by staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum AssignmentPlan {
    Sole { unit_id: String },
    Parallel { unit_ids: Vec<String> },
    Lead { lead_id: String, supporting_ids: Vec<String> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplyCategory {
    /// A: solved or adopted
    A,
    /// B: planned, being solved
    B,
    /// C: kept for reference
    C,
}

impl ReplyCategory {
    /// The category as the rules name it.
    pub fn label(self) -> &'static str {
        match self {
            ReplyCategory::A => "A类（已解决或采纳）",
            ReplyCategory::B => "B类（列入计划拟解决）",
            ReplyCategory::C => "C类（留作参考）",
        }
    }
}

/// A unit's reply (答复).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitReply {
    pub category: ReplyCategory,
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<crate::files::Attachment>,
    pub replied_at: Timestamp,
    /// Views of the supporting units, attached when the lead replies.
    pub supporting_views: Vec<SupportingView>,
    /// The category staff approved (may differ from the unit's).
    pub approved_category: Option<ReplyCategory>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportingView {
    pub unit_id: String,
    pub text: String,
    pub at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssignmentStatus {
    Active,
    /// Returned by the unit as wrongly assigned.
    Returned,
}

/// One unit's part in handling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub unit_id: String,
    pub role: AssignmentRole,
    pub assigned_at: Timestamp,
    pub status: AssignmentStatus,
    pub returned_reason: Option<String>,
    /// When the unit first contacted the proposers.
    pub first_contact_at: Option<Timestamp>,
    /// A supporting unit's view, sent to the lead.
    pub view: Option<SupportingView>,
    pub reply: Option<UnitReply>,
}

impl Assignment {
    pub fn is_active(&self) -> bool {
        self.status == AssignmentStatus::Active
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    pub until: Timestamp,
    pub reason: String,
    pub granted_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rating {
    /// 满意
    Satisfied,
    /// 基本满意
    BasicallySatisfied,
    /// 不满意
    Unsatisfied,
}

impl Rating {
    pub fn label(self) -> &'static str {
        match self {
            Rating::Satisfied => "满意",
            Rating::BasicallySatisfied => "基本满意",
            Rating::Unsatisfied => "不满意",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub person_id: String,
    pub rating: Rating,
    pub comment: String,
    pub at: Timestamp,
    /// 1 for the first reply, 2 after 重新办理.
    pub round: u32,
}

/// 重点提案 and its supervising leader (督办领导).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFlag {
    pub leader: String,
    pub marked_by: String,
    pub marked_at: Timestamp,
}

/// One proposal, whole. Stored as JSON next to the columns lists need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub id: String,
    pub org_id: String,
    pub session_id: String,
    pub state: ProposalState,
    /// Set on submission.
    pub kind: Option<ProposalKind>,
    pub first_proposer_id: String,
    pub invitations: Vec<Invitation>,
    pub content: ProposalContent,
    /// Number of the current revision (1 on creation).
    pub revision: u32,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub submitted_at: Option<Timestamp>,
    /// The staff's note when they returned it for revision (退回修改).
    pub staff_note: Option<String>,
    pub not_registered: Option<(NotRegisteredGround, String)>,
    /// Proposals handled together with this one (并案); each still gets its own reply.
    pub merged_with: Vec<String>,
    pub conversion: Option<ConversionRequest>,
    pub converted_to: Option<ConversionTarget>,
    pub assignments: Vec<Assignment>,
    pub handling_deadline: Option<Timestamp>,
    pub extension: Option<Extension>,
    /// 1, or 2 after 重新办理.
    pub round: u32,
    pub replies_approved_at: Option<Timestamp>,
    pub evaluations: Vec<Evaluation>,
    pub key: Option<KeyFlag>,
    pub closing_note: Option<String>,
    /// The contact or studio message this draft was made from (联络联系), if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<crate::liaison::RaisedFrom>,
    /// Head of the hash-chained history: how many entries, and the hash of the last.
    pub history_len: u32,
    pub history_head: String,
}

/// Something staff should look at, derived from the state and the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProposalFlag {
    /// 已超期: handling past its deadline.
    Overdue,
    /// 未按期联系委员: no contact within the working days the rules set.
    FirstContactOverdue,
    /// 测评逾期: the evaluation window passed.
    EvaluationOverdue,
    /// 待重新交办: a unit returned it.
    NeedsReassignment,
    /// 重点提案
    Key,
}

impl Proposal {
    /// The first proposer and every co-proposer who accepted.
    pub fn proposers(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.first_proposer_id.as_str()).chain(
            self.invitations.iter().filter(|i| i.status == InvitationStatus::Accepted).map(|i| i.person_id.as_str()),
        )
    }

    pub fn is_proposer(&self, person_id: &str) -> bool {
        self.proposers().any(|p| p == person_id)
    }

    pub fn invitation(&self, person_id: &str) -> Option<&Invitation> {
        self.invitations.iter().find(|i| i.person_id == person_id)
    }

    /// The active assignment of `unit_id`, if any.
    pub fn active_assignment(&self, unit_id: &str) -> Option<&Assignment> {
        self.assignments.iter().find(|a| a.unit_id == unit_id && a.is_active())
    }

    pub fn active_assignments(&self) -> impl Iterator<Item = &Assignment> {
        self.assignments.iter().filter(|a| a.is_active())
    }

    /// When handling began (the earliest active assignment).
    pub fn assigned_at(&self) -> Option<Timestamp> {
        self.active_assignments().map(|a| a.assigned_at).min()
    }

    /// Flags for lists and dashboards at `now`.
    pub fn flags(&self, now: Timestamp, settings: &OrgSettings) -> Vec<ProposalFlag> {
        let mut flags = Vec::new();
        if self.state.is_handling() && self.handling_deadline.is_some_and(|d| now > d) {
            flags.push(ProposalFlag::Overdue);
        }
        if self.state.is_handling() {
            let missed = self.active_assignments().any(|a| {
                a.role.replies()
                    && a.first_contact_at.is_none()
                    && now > time::add_working_days(a.assigned_at, settings.first_contact_working_days)
            });
            if missed {
                flags.push(ProposalFlag::FirstContactOverdue);
            }
        }
        if self.state == ProposalState::Evaluating
            && self
                .replies_approved_at
                .is_some_and(|t| now > time::add_working_days(t, settings.evaluation_working_days))
        {
            flags.push(ProposalFlag::EvaluationOverdue);
        }
        if self.state == ProposalState::Registered && self.assignments.iter().any(|a| !a.is_active()) {
            flags.push(ProposalFlag::NeedsReassignment);
        }
        if self.key.is_some() {
            flags.push(ProposalFlag::Key);
        }
        flags
    }
}

/// One saved version of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub proposal_id: String,
    pub number: u32,
    pub content: ProposalContent,
    pub author_id: String,
    pub saved_at: Timestamp,
    /// Set when this revision restored an earlier one.
    pub restored_from: Option<u32>,
    /// Set when this version lost a race with an edit from another device and was kept aside.
    pub conflict: bool,
    pub device_id: Option<String>,
}

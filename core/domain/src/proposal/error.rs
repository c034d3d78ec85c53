//! Why the lifecycle refused an action, in words a member can read.

use serde::{Deserialize, Serialize};

/// A refusal by the proposal rules. The same value comes back from the phone (offline) and
/// from the server, so the member sees the same reason either way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ProposalError {
    #[error("提案当前为「{state}」状态，不能{action}")]
    WrongState { action: String, state: String },
    #[error("{role}不能{action}")]
    WrongRole { action: String, role: String },
    #[error("只能处理本组织的提案")]
    OtherOrganisation,
    #[error("只有第一提案人可以{action}")]
    NotFirstProposer { action: String },
    #[error("只有提案人可以{action}")]
    NotAProposer { action: String },
    #[error("您没有待答复的联名邀请")]
    NoPendingInvitation,
    #[error("还有{pending}位委员未答复联名邀请，暂不能提交")]
    InvitationsPending { pending: u32 },
    #[error("发起联名需要至少邀请一位委员")]
    NoInvitees,
    #[error("该委员已在联名名单中")]
    AlreadyInvited,
    #[error("不能邀请自己联名")]
    CannotInviteSelf,
    #[error("只能邀请本组织的委员联名")]
    InviteeNotMember,
    #[error("该委员不在联名名单中")]
    NotInvited,
    #[error("本次会议提案征集尚未开始（{opens_at} 开始）")]
    WindowNotOpen { opens_at: String },
    #[error("已超过提案截止时间（{deadline}），本次会议不再接收提案")]
    DeadlinePassed { deadline: String },
    #[error("「{field}」不能为空")]
    EmptyField { field: String },
    #[error("「{field}」不能超过{max}字")]
    TooLong { field: String, max: u32 },
    #[error("没有第{revision}版")]
    NoSuchRevision { revision: u32 },
    #[error("交办方案有误：{reason}")]
    InvalidAssignment { reason: String },
    #[error("本单位没有承办该提案")]
    UnitNotAssigned,
    #[error("交办已超过{days}天，不能退回；请与提案委员会联系")]
    ReturnWindowPassed { days: u32 },
    #[error("本单位已答复")]
    AlreadyReplied,
    #[error("办理期限只能延长一次")]
    ExtensionUsed,
    #[error("延期后的办理期限不能超过交办之日起{max_months}个月")]
    ExtensionTooLong { max_months: u32 },
    #[error("新的办理期限必须晚于原期限")]
    ExtensionNotLater,
    #[error("只有会办单位提交会办意见")]
    NotSupportingUnit,
    #[error("会办单位不直接答复，请将意见提交主办单位")]
    SupportingUnitCannotReply,
    #[error("没有该承办单位的答复")]
    NoSuchReply,
    #[error("您已完成本轮测评")]
    AlreadyEvaluated,
    #[error("测评尚未结束，暂不能办结")]
    EvaluationOpen,
    #[error("不能与本提案自身并案")]
    MergeWithSelf,
    #[error("只能与本组织已提交或办理中的提案并案")]
    CannotMergeWith,
    #[error("已与该提案并案")]
    AlreadyMerged,
    #[error("该提案已是重点提案")]
    AlreadyKey,
    #[error("该提案不是重点提案")]
    NotKey,
}

/// What a refusal means for a screen deciding which buttons to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// Not this user's to do, or not in this state: no button.
    NotPermitted,
    /// The action is open to this user; what they fill in (or a fact of the moment, such as a
    /// deadline or a pending answer) decides, and the refusal says why.
    NeedsInput,
}

impl ProposalError {
    /// Every variant is named here, so a new refusal cannot silently count as "allowed".
    pub fn kind(&self) -> RefusalKind {
        use ProposalError as E;
        use RefusalKind::*;
        match self {
            E::WrongState { .. }
            | E::WrongRole { .. }
            | E::OtherOrganisation
            | E::NotFirstProposer { .. }
            | E::NotAProposer { .. }
            | E::NoPendingInvitation
            | E::NoInvitees
            | E::NotInvited
            | E::UnitNotAssigned
            | E::ReturnWindowPassed { .. }
            | E::AlreadyReplied
            | E::ExtensionUsed
            | E::NotSupportingUnit
            | E::SupportingUnitCannotReply
            | E::AlreadyEvaluated
            | E::EvaluationOpen
            | E::AlreadyKey
            | E::NotKey => NotPermitted,
            E::InvitationsPending { .. }
            | E::AlreadyInvited
            | E::CannotInviteSelf
            | E::InviteeNotMember
            | E::WindowNotOpen { .. }
            | E::DeadlinePassed { .. }
            | E::EmptyField { .. }
            | E::TooLong { .. }
            | E::NoSuchRevision { .. }
            | E::InvalidAssignment { .. }
            | E::ExtensionTooLong { .. }
            | E::ExtensionNotLater
            | E::NoSuchReply
            | E::MergeWithSelf
            | E::CannotMergeWith
            | E::AlreadyMerged => NeedsInput,
        }
    }
}

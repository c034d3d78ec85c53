//! What the screens show: the logged-in person, one proposal with everything on it and the
//! actions this user may take, the people to pick from. Plain data, built from the store.

use lvzhi_domain::org::Role;
use lvzhi_domain::proposal::{
    AssignmentRole, ConversionTarget, InvitationStatus, ProposalContent, ProposalFlag, ProposalState, Rating,
    ReplyCategory,
};

use lvzhi_domain::actions::ActionForm;

/// Who is logged in.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Me {
    pub person_id: String,
    pub name: String,
    pub roles: Vec<MyRole>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MyRole {
    pub role: Role,
    pub role_label: String,
    pub org_id: String,
    pub org_name: String,
    pub unit_id: Option<String>,
}

/// One proposal as its screen shows it, with exactly the actions this user may take.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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
    /// The actions this user may take now, as forms to render.
    pub actions: Vec<ActionForm>,
    pub flags: Vec<ProposalFlag>,
    pub updated_at_ms: i64,
    /// 大会提案 or 平时提案, once submitted.
    pub kind_label: Option<String>,
    pub submitted_at_ms: Option<i64>,
    /// Every unit it was assigned to, returned ones included, with their replies.
    pub assignments: Vec<AssignmentView>,
    /// When handling must be done (after an extension, the extended date).
    pub handling_deadline_ms: Option<i64>,
    pub extension: Option<ExtensionView>,
    /// 1, or 2 after 重新办理.
    pub round: u32,
    /// Every proposer's rating of each round.
    pub evaluations: Vec<EvaluationView>,
    /// 督办领导 of a 重点提案.
    pub key_leader: Option<String>,
    /// 不予立案: the ground and the staff's text.
    pub not_registered_reason: Option<String>,
    /// Staff's proposal to turn it into a 社情民意 report or an opinion letter.
    pub conversion: Option<ConversionView>,
    /// Proposals handled together with this one (并案).
    pub merged_with: Vec<String>,
    pub closing_note: Option<String>,
    /// Every saved version, oldest first; conflicts kept from another device are marked.
    pub revisions: Vec<RevisionLine>,
}

/// One unit's part in handling, as the proposer and staff read it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AssignmentView {
    pub unit_id: String,
    pub unit_name: String,
    pub role: AssignmentRole,
    /// 单办, 分办, 主办, 会办
    pub role_label: String,
    pub assigned_at_ms: i64,
    /// False once the unit returned it (退回交办).
    pub active: bool,
    pub returned_reason: Option<String>,
    /// When the unit first contacted the proposers, and by when it should have.
    pub first_contact_at_ms: Option<i64>,
    pub first_contact_due_ms: i64,
    /// A supporting unit's view, sent to the lead unit.
    pub supporting_view: Option<String>,
    pub reply: Option<ReplyView>,
}

/// A unit's reply (答复).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReplyView {
    pub category: ReplyCategory,
    pub category_label: String,
    /// The category staff approved, once they did.
    pub approved_category: Option<ReplyCategory>,
    pub text: String,
    pub replied_at_ms: i64,
    /// Views of the supporting units attached by the lead unit, as 「单位：意见」.
    pub supporting_views: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExtensionView {
    pub until_ms: i64,
    pub reason: String,
    pub granted_at_ms: i64,
}

/// One proposer's rating (测评) of one round.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EvaluationView {
    pub person_id: String,
    pub name: String,
    pub rating: Rating,
    pub rating_label: String,
    pub comment: String,
    pub at_ms: i64,
    pub round: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConversionView {
    pub to: ConversionTarget,
    pub to_label: String,
    pub note: String,
    pub requested_at_ms: i64,
}

/// One saved version of a draft, for the 历史版本 list and 恢复.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RevisionLine {
    pub number: u32,
    pub title: String,
    pub author_name: String,
    pub saved_at_ms: i64,
    /// Set when this version restored an earlier one.
    pub restored_from: Option<u32>,
    /// A version saved on another device that lost the race, kept aside.
    pub conflict: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CoProposer {
    pub person_id: String,
    pub name: String,
    pub status: InvitationStatus,
    pub answered_at_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub org_id: String,
    /// The 界别 and 专委会 this person belongs to in that organisation.
    pub groups: Vec<String>,
}

/// A handling unit (承办单位) staff can assign to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnitView {
    pub id: String,
    pub name: String,
    pub org_id: String,
}

/// One entry of the outbox as the member reads it: what it is and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OutboxItem {
    pub id: u64,
    /// What was done, e.g. 「提交提案：关于发展肉牛养殖产业的提案」.
    pub label: String,
    pub state: OutboxState,
    pub created_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum OutboxState {
    /// 待发送
    Pending,
    /// 被退回, with the server's reason: retry after changing what made it fail, or discard.
    Refused { reason: String },
    /// 待发送, but it changes what an earlier refused item changed: it will likely be refused
    /// too until that one is retried or discarded.
    WaitingBehind { refused_id: u64, reason: String },
    /// Waits for its files to finish uploading (or for an earlier action on the same thing that
    /// does); goes by itself.
    WaitingForFiles,
}

//! The proposal lifecycle: a pure state machine (no I/O, no clock) that the phone and the
//! server both run. `execute` takes a proposal, who acts, what they do and the facts of the
//! moment, and returns the new proposal with the history entry (and revision) to store, or a
//! typed refusal. Nothing is changed on refusal.

use serde::{Deserialize, Serialize};

use super::error::ProposalError;
use super::history::{ChainedEntry, HistoryEntry, genesis_hash};
use super::model::*;
use crate::org::{Actor, OrgSettings, Role, Session};
use crate::time::{self, Timestamp};

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: u32 = 100;
/// Longest 案由 or 建议, in characters.
pub const MAX_TEXT_CHARS: u32 = 20_000;
/// Longest category name, in characters.
pub const MAX_CATEGORY_CHARS: u32 = 20;
/// Longest reason or note, in characters.
pub const MAX_NOTE_CHARS: u32 = 2_000;

/// Everything a person can do to a proposal after creating it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    /// Save the draft; every save becomes a revision.
    SaveDraft {
        content: ProposalContent,
    },
    /// Make an earlier revision current again (as a new revision).
    RestoreRevision {
        revision: u32,
    },
    Invite {
        person_id: String,
    },
    RemoveInvitee {
        person_id: String,
    },
    /// Send the invitations; the text is frozen while co-signing.
    OpenCoSigning,
    RespondInvitation {
        accept: bool,
    },
    /// Back to editing; all answers are asked again.
    ReopenDraft,
    Submit,
    Withdraw {
        reason: String,
    },
    Register,
    NotRegister {
        ground: NotRegisteredGround,
        text: String,
    },
    ReturnForRevision {
        note: String,
    },
    /// 并案: register this proposal together with another one.
    Merge {
        with_id: String,
    },
    /// Recorded on the other proposal of a merge.
    LinkMerged {
        with_id: String,
    },
    ProposeConversion {
        to: ConversionTarget,
        note: String,
    },
    RespondConversion {
        consent: bool,
    },
    Assign {
        plan: AssignmentPlan,
    },
    /// Add a unit during handling, e.g. instead of one that returned the proposal.
    AddUnit {
        unit_id: String,
        role: AssignmentRole,
    },
    ReturnAssignment {
        reason: String,
    },
    ExtendDeadline {
        until: Timestamp,
        reason: String,
    },
    RecordContact {
        note: String,
    },
    SubmitView {
        text: String,
    },
    Reply {
        category: ReplyCategory,
        text: String,
        /// The reply's documents (a 答复函 as PDF, photos of the work done); absent from the
        /// history of replies without files, so older entries keep their hashes.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<crate::files::Attachment>,
    },
    /// Approve the replies; staff may change a unit's category.
    ApproveReplies {
        categories: Vec<(String, ReplyCategory)>,
        note: String,
    },
    Evaluate {
        rating: Rating,
        comment: String,
    },
    Close {
        note: String,
    },
    MarkKey {
        leader: String,
    },
    UnmarkKey,
}

impl Action {
    /// A stable code for history and sync.
    pub fn code(&self) -> &'static str {
        match self {
            Action::SaveDraft { .. } => "save_draft",
            Action::RestoreRevision { .. } => "restore_revision",
            Action::Invite { .. } => "invite",
            Action::RemoveInvitee { .. } => "remove_invitee",
            Action::OpenCoSigning => "open_co_signing",
            Action::RespondInvitation { .. } => "respond_invitation",
            Action::ReopenDraft => "reopen_draft",
            Action::Submit => "submit",
            Action::Withdraw { .. } => "withdraw",
            Action::Register => "register",
            Action::NotRegister { .. } => "not_register",
            Action::ReturnForRevision { .. } => "return_for_revision",
            Action::Merge { .. } => "merge",
            Action::LinkMerged { .. } => "link_merged",
            Action::ProposeConversion { .. } => "propose_conversion",
            Action::RespondConversion { .. } => "respond_conversion",
            Action::Assign { .. } => "assign",
            Action::AddUnit { .. } => "add_unit",
            Action::ReturnAssignment { .. } => "return_assignment",
            Action::ExtendDeadline { .. } => "extend_deadline",
            Action::RecordContact { .. } => "record_contact",
            Action::SubmitView { .. } => "submit_view",
            Action::Reply { .. } => "reply",
            Action::ApproveReplies { .. } => "approve_replies",
            Action::Evaluate { .. } => "evaluate",
            Action::Close { .. } => "close",
            Action::MarkKey { .. } => "mark_key",
            Action::UnmarkKey => "unmark_key",
        }
    }

    /// The action's name as members read it ("不能{label}").
    pub fn label(&self) -> &'static str {
        match self {
            Action::SaveDraft { .. } => "保存草稿",
            Action::RestoreRevision { .. } => "恢复历史版本",
            Action::Invite { .. } => "邀请联名",
            Action::RemoveInvitee { .. } => "移除联名委员",
            Action::OpenCoSigning => "发起联名",
            Action::RespondInvitation { .. } => "答复联名邀请",
            Action::ReopenDraft => "重新编辑",
            Action::Submit => "提交提案",
            Action::Withdraw { .. } => "撤回提案",
            Action::Register => "立案",
            Action::NotRegister { .. } => "不予立案",
            Action::ReturnForRevision { .. } => "退回修改",
            Action::Merge { .. } | Action::LinkMerged { .. } => "并案",
            Action::ProposeConversion { .. } => "转为社情民意或意见函",
            Action::RespondConversion { .. } => "答复转办意见",
            Action::Assign { .. } => "交办",
            Action::AddUnit { .. } => "增加承办单位",
            Action::ReturnAssignment { .. } => "退回交办",
            Action::ExtendDeadline { .. } => "延期办理",
            Action::RecordContact { .. } => "登记联系委员",
            Action::SubmitView { .. } => "提交会办意见",
            Action::Reply { .. } => "答复提案",
            Action::ApproveReplies { .. } => "审核答复",
            Action::Evaluate { .. } => "测评",
            Action::Close { .. } => "办结",
            Action::MarkKey { .. } => "设为重点提案",
            Action::UnmarkKey => "取消重点提案",
        }
    }

    /// The reason or note carried by the action, recorded in the history.
    fn reason(&self) -> Option<String> {
        match self {
            Action::Withdraw { reason }
            | Action::ReturnAssignment { reason }
            | Action::ExtendDeadline { reason, .. } => Some(reason.clone()),
            Action::NotRegister { ground, text } => Some(format!("{}：{}", ground.label(), text)),
            Action::ReturnForRevision { note }
            | Action::ProposeConversion { note, .. }
            | Action::RecordContact { note }
            | Action::ApproveReplies { note, .. }
            | Action::Close { note } => Some(note.clone()),
            Action::Evaluate { comment, .. } => Some(comment.clone()).filter(|c| !c.is_empty()),
            _ => None,
        }
    }

    /// Saves and restores are kept as revisions, not as history entries.
    fn is_recorded(&self) -> bool {
        !matches!(self, Action::SaveDraft { .. } | Action::RestoreRevision { .. })
    }
}

/// The facts of the moment an action is decided.
pub struct Context<'a> {
    pub now: Timestamp,
    /// The session the proposal belongs to.
    pub session: &'a Session,
    pub settings: &'a OrgSettings,
    /// For `RestoreRevision`: the revision asked for, loaded by the caller beforehand (`None`
    /// when it does not exist). The lifecycle itself reads nothing.
    pub restorable: Option<&'a Revision>,
}

/// What an accepted action produces.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub proposal: Proposal,
    pub entry: Option<ChainedEntry>,
    /// New revisions, oldest first (usually none or one).
    pub revisions: Vec<Revision>,
}

/// Starts a draft. Only a member of the session's organisation may.
pub fn create(
    id: &str,
    actor: &Actor,
    session: &Session,
    content: ProposalContent,
    now: Timestamp,
) -> Result<Outcome, ProposalError> {
    let label = "起草提案";
    if actor.role != Role::Member {
        return Err(wrong_role(label, actor));
    }
    if actor.org_id != session.org_id {
        return Err(ProposalError::OtherOrganisation);
    }
    check_content_lengths(&content)?;
    let proposal = Proposal {
        id: id.to_string(),
        org_id: session.org_id.clone(),
        session_id: session.id.clone(),
        state: ProposalState::Draft,
        kind: None,
        first_proposer_id: actor.person_id.clone(),
        invitations: Vec::new(),
        content: content.clone(),
        revision: 0,
        created_at: now,
        updated_at: now,
        submitted_at: None,
        staff_note: None,
        not_registered: None,
        merged_with: Vec::new(),
        conversion: None,
        converted_to: None,
        assignments: Vec::new(),
        handling_deadline: None,
        extension: None,
        round: 1,
        replies_approved_at: None,
        evaluations: Vec::new(),
        key: None,
        closing_note: None,
        source: None,
        history_len: 0,
        history_head: genesis_hash(id),
    };
    let mut next = proposal;
    let revision = new_revision(&mut next, actor, content, now, None);
    let entry = record(&mut next, None, "create", actor, now, None, serde_json::json!({}));
    Ok(Outcome { proposal: next, entry: Some(entry), revisions: vec![revision] })
}

/// A save made on top of revision `base` after the proposal moved past it (another device of
/// the same member saved first). Both versions survive: the incoming text becomes a revision
/// marked as a conflict, and the current text is restated after it so that it stays current.
pub fn save_conflicting(
    proposal: &Proposal,
    actor: &Actor,
    content: ProposalContent,
    now: Timestamp,
) -> Result<Outcome, ProposalError> {
    let label = "保存草稿";
    first_proposer(proposal, actor, label)?;
    check_content_lengths(&content)?;
    let mut p = proposal.clone();
    let current = p.content.clone();
    let current_number = p.revision;
    let mut conflict = new_revision(&mut p, actor, content, now, None);
    conflict.conflict = true;
    let restated = new_revision(&mut p, actor, current, now, Some(current_number));
    p.updated_at = now;
    Ok(Outcome { proposal: p, entry: None, revisions: vec![conflict, restated] })
}

/// Decides `action` by `actor` on `proposal`.
/// How many times [`execute`] has run on this thread: what a screen costs in decisions, counted
/// by tests (one `Cell` per thread, so tests running side by side do not see each other's).
pub fn executions_on_this_thread() -> u64 {
    EXECUTIONS.with(|n| n.get())
}

thread_local! {
    static EXECUTIONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

pub fn execute(
    proposal: &Proposal,
    actor: &Actor,
    action: &Action,
    ctx: &Context<'_>,
) -> Result<Outcome, ProposalError> {
    EXECUTIONS.with(|n| n.set(n.get() + 1));
    let mut p = proposal.clone();
    let now = ctx.now;

    // Each phase decides its own actions; the others pass through it untouched.
    let revision = draft(&mut p, actor, action, ctx)?;
    review(&mut p, actor, action, ctx)?;
    handling(&mut p, actor, action, ctx)?;
    closing(&mut p, actor, action, ctx)?;

    p.updated_at = now;
    let entry = action.is_recorded().then(|| {
        let detail = serde_json::to_value(action).expect("actions always serialise");
        record(&mut p, Some(proposal.state), action.code(), actor, now, action.reason(), detail)
    });
    Ok(Outcome { proposal: p, entry, revisions: revision.into_iter().collect() })
}

/// 起草与联名: the draft and its revisions, co-proposers, 提交 and 撤回 — the proposer's phase.
fn draft(
    p: &mut Proposal,
    actor: &Actor,
    action: &Action,
    ctx: &Context<'_>,
) -> Result<Option<Revision>, ProposalError> {
    use ProposalState as S;
    let now = ctx.now;
    let label = action.label();
    let mut revision = None;
    match action {
        Action::SaveDraft { content } => {
            first_proposer(p, actor, label)?;
            in_state(p, &[S::Draft], label)?;
            check_content_lengths(content)?;
            revision = Some(new_revision(p, actor, content.clone(), now, None));
        }
        Action::RestoreRevision { revision: n } => {
            first_proposer(p, actor, label)?;
            in_state(p, &[S::Draft], label)?;
            let content = ctx
                .restorable
                .filter(|r| r.number == *n && r.proposal_id == p.id && *n >= 1 && *n <= p.revision)
                .map(|r| r.content.clone())
                .ok_or(ProposalError::NoSuchRevision { revision: *n })?;
            revision = Some(new_revision(p, actor, content, now, Some(*n)));
        }
        Action::Invite { person_id } => {
            first_proposer(p, actor, label)?;
            in_state(p, &[S::Draft, S::CoSigning], label)?;
            if *person_id == p.first_proposer_id {
                return Err(ProposalError::CannotInviteSelf);
            }
            if p.invitation(person_id).is_some() {
                return Err(ProposalError::AlreadyInvited);
            }
            p.invitations.push(Invitation {
                person_id: person_id.clone(),
                status: InvitationStatus::Pending,
                answered_at: None,
            });
        }
        Action::RemoveInvitee { person_id } => {
            first_proposer(p, actor, label)?;
            in_state(p, &[S::Draft, S::CoSigning], label)?;
            let before = p.invitations.len();
            p.invitations.retain(|i| i.person_id != *person_id);
            if p.invitations.len() == before {
                return Err(ProposalError::NotInvited);
            }
            // Co-signing with nobody left is just a draft again.
            if p.invitations.is_empty() {
                p.state = S::Draft;
            }
        }
        Action::OpenCoSigning => {
            first_proposer(p, actor, label)?;
            in_state(p, &[S::Draft], label)?;
            if p.invitations.is_empty() {
                return Err(ProposalError::NoInvitees);
            }
            check_complete(&p.content)?;
            // Everyone signs the text as it is now, even those who signed an earlier one.
            for inv in &mut p.invitations {
                inv.status = InvitationStatus::Pending;
                inv.answered_at = None;
            }
            p.state = S::CoSigning;
        }
        Action::RespondInvitation { accept } => {
            member(actor, label)?;
            in_state(p, &[S::CoSigning], label)?;
            let inv = p
                .invitations
                .iter_mut()
                .find(|i| i.person_id == actor.person_id && i.status == InvitationStatus::Pending)
                .ok_or(ProposalError::NoPendingInvitation)?;
            // Co-proposers must sign before the deadline, unless the session takes 平时提案.
            if *accept && !ctx.session.accepts_interim && now > ctx.session.proposals_deadline {
                return Err(ProposalError::DeadlinePassed { deadline: time::display(ctx.session.proposals_deadline) });
            }
            inv.status = if *accept { InvitationStatus::Accepted } else { InvitationStatus::Declined };
            inv.answered_at = Some(now);
        }
        Action::ReopenDraft => {
            first_proposer(p, actor, label)?;
            in_state(p, &[S::CoSigning], label)?;
            for inv in &mut p.invitations {
                inv.status = InvitationStatus::Pending;
                inv.answered_at = None;
            }
            p.state = S::Draft;
        }
        Action::Submit => {
            first_proposer(p, actor, label)?;
            in_state(p, &[S::Draft, S::CoSigning], label)?;
            check_complete(&p.content)?;
            let pending =
                p.invitations.iter().filter(|i| p.state == S::Draft || i.status == InvitationStatus::Pending).count()
                    as u32;
            if pending > 0 {
                return Err(ProposalError::InvitationsPending { pending });
            }
            p.kind = Some(kind_at(ctx.session, now)?);
            p.submitted_at = Some(now);
            p.staff_note = None;
            p.state = S::Submitted;
        }
        Action::Withdraw { reason } => {
            first_proposer(p, actor, label)?;
            in_state(p, &[S::Submitted, S::ConversionPending], label)?;
            check_note("撤回原因", reason, true)?;
            p.state = S::Withdrawn;
        }
        // The other phases' actions.
        _ => {}
    }
    Ok(revision)
}

/// 审查: staff register, refuse, return, merge or propose converting a submitted proposal.
fn review(p: &mut Proposal, actor: &Actor, action: &Action, ctx: &Context<'_>) -> Result<(), ProposalError> {
    use ProposalState as S;
    let now = ctx.now;
    let label = action.label();
    match action {
        Action::Register => {
            staff(p, actor, label)?;
            in_state(p, &[S::Submitted], label)?;
            p.state = S::Registered;
        }
        Action::NotRegister { ground, text } => {
            staff(p, actor, label)?;
            in_state(p, &[S::Submitted], label)?;
            check_note("不予立案说明", text, true)?;
            p.not_registered = Some((*ground, text.clone()));
            p.state = S::NotRegistered;
        }
        Action::ReturnForRevision { note } => {
            staff(p, actor, label)?;
            in_state(p, &[S::Submitted], label)?;
            check_note("修改意见", note, true)?;
            p.staff_note = Some(note.clone());
            p.submitted_at = None;
            p.kind = None;
            p.state = S::Draft;
        }
        Action::Merge { with_id } => {
            staff(p, actor, label)?;
            in_state(p, &[S::Submitted], label)?;
            if *with_id == p.id {
                return Err(ProposalError::MergeWithSelf);
            }
            if p.merged_with.contains(with_id) {
                return Err(ProposalError::AlreadyMerged);
            }
            p.merged_with.push(with_id.clone());
            p.state = S::Registered;
        }
        Action::LinkMerged { with_id } => {
            staff(p, actor, label)?;
            in_state(p, &[S::Submitted, S::Registered, S::Handling, S::Rehandling], label)?;
            if *with_id == p.id {
                return Err(ProposalError::MergeWithSelf);
            }
            if p.merged_with.contains(with_id) {
                return Err(ProposalError::AlreadyMerged);
            }
            p.merged_with.push(with_id.clone());
        }
        Action::ProposeConversion { to, note } => {
            staff(p, actor, label)?;
            in_state(p, &[S::Submitted], label)?;
            check_note("转办说明", note, true)?;
            p.conversion = Some(ConversionRequest { to: *to, note: note.clone(), requested_at: now });
            p.state = S::ConversionPending;
        }
        Action::RespondConversion { consent } => {
            first_proposer(p, actor, label)?;
            in_state(p, &[S::ConversionPending], label)?;
            let target = p.conversion.take().map(|request| request.to);
            if *consent {
                p.converted_to = target;
                p.state = S::Converted;
            } else {
                p.state = S::Submitted;
            }
        }
        // The other phases' actions.
        _ => {}
    }
    Ok(())
}

/// 交办与办理: staff assign units; units contact the proposers, write views and reply; staff
/// extend and approve.
fn handling(p: &mut Proposal, actor: &Actor, action: &Action, ctx: &Context<'_>) -> Result<(), ProposalError> {
    use ProposalState as S;
    let now = ctx.now;
    let label = action.label();
    match action {
        Action::Assign { plan } => {
            staff(p, actor, label)?;
            in_state(p, &[S::Registered], label)?;
            let units = plan_units(plan)?;
            // Earlier (returned) assignments stay on record.
            for (unit_id, role) in units {
                p.assignments.push(new_assignment(unit_id, role, now));
            }
            p.handling_deadline = Some(time::add_months(now, ctx.settings.handling_months));
            p.extension = None;
            p.state = S::Handling;
        }
        Action::AddUnit { unit_id, role } => {
            staff(p, actor, label)?;
            in_state(p, &[S::Handling, S::Rehandling], label)?;
            if p.active_assignment(unit_id).is_some() {
                return Err(invalid_plan("该单位已在承办"));
            }
            let has_lead = p.active_assignments().any(|a| a.role == AssignmentRole::Lead);
            let has_sole = p.active_assignments().any(|a| a.role == AssignmentRole::Sole);
            let fits = match role {
                AssignmentRole::Sole => p.active_assignments().next().is_none(),
                AssignmentRole::Lead => !has_lead && !has_sole,
                AssignmentRole::Supporting => has_lead,
                AssignmentRole::Parallel => !has_lead && !has_sole,
            };
            if !fits {
                return Err(invalid_plan("与现有交办方式不符"));
            }
            p.assignments.push(new_assignment(unit_id.clone(), *role, now));
        }
        Action::ReturnAssignment { reason } => {
            let unit_id = unit(p, actor, label)?;
            in_state(p, &[S::Handling], label)?;
            check_note("退回理由", reason, true)?;
            let days = ctx.settings.return_window_days;
            let a = p
                .assignments
                .iter_mut()
                .find(|a| a.unit_id == unit_id && a.is_active())
                .expect("unit() checked the assignment");
            if a.reply.is_some() {
                return Err(ProposalError::AlreadyReplied);
            }
            if now > time::add_days(a.assigned_at, days) {
                return Err(ProposalError::ReturnWindowPassed { days });
            }
            a.status = AssignmentStatus::Returned;
            a.returned_reason = Some(reason.clone());
            // Without a unit that replies, staff must assign again.
            if !p.active_assignments().any(|a| a.role.replies()) {
                for a in p.assignments.iter_mut().filter(|a| a.is_active()) {
                    a.status = AssignmentStatus::Returned;
                    a.returned_reason = Some("主办单位退回，随之退回".to_string());
                }
                p.handling_deadline = None;
                p.state = S::Registered;
            } else {
                p.state = next_after_reply(p);
            }
        }
        Action::ExtendDeadline { until, reason } => {
            staff(p, actor, label)?;
            in_state(p, &[S::Handling], label)?;
            check_note("延期理由", reason, true)?;
            if p.extension.is_some() {
                return Err(ProposalError::ExtensionUsed);
            }
            let (Some(current), Some(start)) = (p.handling_deadline, p.assigned_at()) else {
                return Err(wrong_state(label, p.state));
            };
            if *until <= current {
                return Err(ProposalError::ExtensionNotLater);
            }
            let max_months = ctx.settings.max_handling_months;
            if *until > time::add_months(start, max_months) {
                return Err(ProposalError::ExtensionTooLong { max_months });
            }
            p.extension = Some(Extension { until: *until, reason: reason.clone(), granted_at: now });
            p.handling_deadline = Some(*until);
        }
        Action::RecordContact { note } => {
            let unit_id = unit(p, actor, label)?;
            in_state(p, &[S::Handling, S::Rehandling], label)?;
            check_note("联系情况", note, true)?;
            let a = active_mut(p, &unit_id);
            a.first_contact_at.get_or_insert(now);
        }
        Action::SubmitView { text } => {
            let unit_id = unit(p, actor, label)?;
            in_state(p, &[S::Handling, S::Rehandling], label)?;
            check_note("会办意见", text, true)?;
            let a = active_mut(p, &unit_id);
            if a.role != AssignmentRole::Supporting {
                return Err(ProposalError::NotSupportingUnit);
            }
            a.view = Some(SupportingView { unit_id: unit_id.clone(), text: text.clone(), at: now });
        }
        Action::Reply { category, text, attachments } => {
            let unit_id = unit(p, actor, label)?;
            in_state(p, &[S::Handling, S::Rehandling], label)?;
            check_note("答复内容", text, true)?;
            let views: Vec<SupportingView> = p
                .active_assignments()
                .filter(|a| a.role == AssignmentRole::Supporting)
                .filter_map(|a| a.view.clone())
                .collect();
            let a = active_mut(p, &unit_id);
            if !a.role.replies() {
                return Err(ProposalError::SupportingUnitCannotReply);
            }
            if a.reply.is_some() {
                return Err(ProposalError::AlreadyReplied);
            }
            let supporting_views = if a.role == AssignmentRole::Lead { views } else { Vec::new() };
            a.reply = Some(UnitReply {
                category: *category,
                text: text.clone(),
                attachments: attachments.clone(),
                replied_at: now,
                supporting_views,
                approved_category: None,
            });
            p.state = next_after_reply(p);
        }
        Action::ApproveReplies { categories, note } => {
            staff(p, actor, label)?;
            in_state(p, &[S::Replied], label)?;
            check_note("审核意见", note, false)?;
            for (unit_id, _) in categories {
                if !p.active_assignments().any(|a| a.unit_id == *unit_id && a.reply.is_some()) {
                    return Err(ProposalError::NoSuchReply);
                }
            }
            for a in p.assignments.iter_mut().filter(|a| a.is_active()) {
                if let Some(reply) = a.reply.as_mut() {
                    let changed = categories.iter().find(|(u, _)| *u == a.unit_id).map(|(_, c)| *c);
                    reply.approved_category = Some(changed.unwrap_or(reply.category));
                }
            }
            p.replies_approved_at = Some(now);
            p.state = S::Evaluating;
        }
        // The other phases' actions.
        _ => {}
    }
    Ok(())
}

/// 测评与办结: the proposers rate the replies; staff close, and mark or unmark a 重点提案.
fn closing(p: &mut Proposal, actor: &Actor, action: &Action, ctx: &Context<'_>) -> Result<(), ProposalError> {
    use ProposalState as S;
    let now = ctx.now;
    let label = action.label();
    match action {
        Action::Evaluate { rating, comment } => {
            member(actor, label)?;
            in_state(p, &[S::Evaluating], label)?;
            if !p.is_proposer(&actor.person_id) {
                return Err(ProposalError::NotAProposer { action: label.to_string() });
            }
            check_note("测评意见", comment, false)?;
            let round = p.round;
            if p.evaluations.iter().any(|e| e.person_id == actor.person_id && e.round == round) {
                return Err(ProposalError::AlreadyEvaluated);
            }
            p.evaluations.push(Evaluation {
                person_id: actor.person_id.clone(),
                rating: *rating,
                comment: comment.clone(),
                at: now,
                round,
            });
            let all_in = p.proposers().all(|who| p.evaluations.iter().any(|e| e.person_id == who && e.round == round));
            if all_in {
                let unsatisfied = p.evaluations.iter().any(|e| e.round == round && e.rating == Rating::Unsatisfied);
                if !unsatisfied {
                    p.state = S::Closed;
                } else if round == 1 {
                    start_rehandling(p, ctx);
                } else {
                    p.state = S::AwaitingClosure;
                }
            }
        }
        Action::Close { note } => {
            staff(p, actor, label)?;
            in_state(p, &[S::Evaluating, S::AwaitingClosure], label)?;
            check_note("办结说明", note, true)?;
            if p.state == S::Evaluating {
                // Staff close an evaluation only once its window has passed.
                let opened = p.replies_approved_at.unwrap_or(p.updated_at);
                if now <= time::add_working_days(opened, ctx.settings.evaluation_working_days) {
                    return Err(ProposalError::EvaluationOpen);
                }
            }
            p.closing_note = Some(note.clone());
            p.state = S::Closed;
        }
        Action::MarkKey { leader } => {
            staff(p, actor, label)?;
            if !p.state.is_registered_and_open() {
                return Err(wrong_state(label, p.state));
            }
            check_note("督办领导", leader, true)?;
            if p.key.is_some() {
                return Err(ProposalError::AlreadyKey);
            }
            p.key = Some(KeyFlag { leader: leader.clone(), marked_by: actor.person_id.clone(), marked_at: now });
        }
        Action::UnmarkKey => {
            staff(p, actor, label)?;
            if !p.state.is_registered_and_open() {
                return Err(wrong_state(label, p.state));
            }
            if p.key.take().is_none() {
                return Err(ProposalError::NotKey);
            }
        }
        // The other phases' actions.
        _ => {}
    }
    Ok(())
}

/// Which kind of proposal a submission at `now` makes, or why it is refused.
fn kind_at(session: &Session, now: Timestamp) -> Result<ProposalKind, ProposalError> {
    if now >= session.proposals_open_at && now <= session.proposals_deadline {
        Ok(ProposalKind::Plenary)
    } else if session.accepts_interim {
        Ok(ProposalKind::Interim)
    } else if now < session.proposals_open_at {
        Err(ProposalError::WindowNotOpen { opens_at: time::display(session.proposals_open_at) })
    } else {
        Err(ProposalError::DeadlinePassed { deadline: time::display(session.proposals_deadline) })
    }
}

/// Handling is done when every active replying unit has replied.
fn next_after_reply(p: &Proposal) -> ProposalState {
    let mut replying = p.active_assignments().filter(|a| a.role.replies()).peekable();
    let any = replying.peek().is_some();
    if any && replying.all(|a| a.reply.is_some()) { ProposalState::Replied } else { p.state }
}

/// 不满意 in the first round: the units answer again within the rehandling time.
fn start_rehandling(p: &mut Proposal, ctx: &Context<'_>) {
    for a in p.assignments.iter_mut().filter(|a| a.is_active()) {
        // The first replies stay in the history entries; the units write new ones.
        a.reply = None;
        a.view = None;
    }
    p.round = 2;
    p.replies_approved_at = None;
    p.handling_deadline = Some(time::add_months(ctx.now, ctx.settings.rehandle_months));
    p.state = ProposalState::Rehandling;
}

fn new_assignment(unit_id: String, role: AssignmentRole, now: Timestamp) -> Assignment {
    Assignment {
        unit_id,
        role,
        assigned_at: now,
        status: AssignmentStatus::Active,
        returned_reason: None,
        first_contact_at: None,
        view: None,
        reply: None,
    }
}

fn plan_units(plan: &AssignmentPlan) -> Result<Vec<(String, AssignmentRole)>, ProposalError> {
    let units: Vec<(String, AssignmentRole)> = match plan {
        AssignmentPlan::Sole { unit_id } => vec![(unit_id.clone(), AssignmentRole::Sole)],
        AssignmentPlan::Parallel { unit_ids } => {
            if unit_ids.len() < 2 {
                return Err(invalid_plan("分办至少需要两家单位"));
            }
            unit_ids.iter().map(|u| (u.clone(), AssignmentRole::Parallel)).collect()
        }
        AssignmentPlan::Lead { lead_id, supporting_ids } => {
            if supporting_ids.is_empty() {
                return Err(invalid_plan("主办会办需要至少一家会办单位"));
            }
            std::iter::once((lead_id.clone(), AssignmentRole::Lead))
                .chain(supporting_ids.iter().map(|u| (u.clone(), AssignmentRole::Supporting)))
                .collect()
        }
    };
    if units.iter().any(|(u, _)| u.trim().is_empty()) {
        return Err(invalid_plan("承办单位不能为空"));
    }
    let mut ids: Vec<&str> = units.iter().map(|(u, _)| u.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() != units.len() {
        return Err(invalid_plan("同一单位不能重复交办"));
    }
    Ok(units)
}

fn invalid_plan(reason: &str) -> ProposalError {
    ProposalError::InvalidAssignment { reason: reason.to_string() }
}

fn new_revision(
    p: &mut Proposal,
    actor: &Actor,
    content: ProposalContent,
    now: Timestamp,
    restored_from: Option<u32>,
) -> Revision {
    p.revision += 1;
    p.content = content.clone();
    Revision {
        proposal_id: p.id.clone(),
        number: p.revision,
        content,
        author_id: actor.person_id.clone(),
        saved_at: now,
        restored_from,
        conflict: false,
        device_id: None,
    }
}

/// Appends an entry to the proposal's chain and returns it.
fn record(
    p: &mut Proposal,
    from: Option<ProposalState>,
    code: &str,
    actor: &Actor,
    now: Timestamp,
    reason: Option<String>,
    detail: serde_json::Value,
) -> ChainedEntry {
    let entry = ChainedEntry::new(HistoryEntry {
        proposal_id: p.id.clone(),
        seq: p.history_len + 1,
        action: code.to_string(),
        from_state: from,
        to_state: p.state,
        actor_id: actor.person_id.clone(),
        role: actor.role,
        at: now,
        reason,
        detail,
        prev_hash: p.history_head.clone(),
    });
    p.history_len += 1;
    p.history_head = entry.hash.clone();
    entry
}

fn active_mut<'p>(p: &'p mut Proposal, unit_id: &str) -> &'p mut Assignment {
    p.assignments.iter_mut().find(|a| a.unit_id == unit_id && a.is_active()).expect("unit() checked the assignment")
}

// --- Checks -------------------------------------------------------------------------------

fn wrong_role(action: &str, actor: &Actor) -> ProposalError {
    ProposalError::WrongRole { action: action.to_string(), role: actor.role.label().to_string() }
}

fn wrong_state(action: &str, state: ProposalState) -> ProposalError {
    ProposalError::WrongState { action: action.to_string(), state: state.label().to_string() }
}

fn in_state(p: &Proposal, allowed: &[ProposalState], action: &str) -> Result<(), ProposalError> {
    if allowed.contains(&p.state) { Ok(()) } else { Err(wrong_state(action, p.state)) }
}

fn member(actor: &Actor, action: &str) -> Result<(), ProposalError> {
    if actor.role == Role::Member { Ok(()) } else { Err(wrong_role(action, actor)) }
}

fn first_proposer(p: &Proposal, actor: &Actor, action: &str) -> Result<(), ProposalError> {
    member(actor, action)?;
    if actor.person_id == p.first_proposer_id {
        Ok(())
    } else {
        Err(ProposalError::NotFirstProposer { action: action.to_string() })
    }
}

/// Proposal staff of the proposal's own organisation.
fn staff(p: &Proposal, actor: &Actor, action: &str) -> Result<(), ProposalError> {
    if actor.role != Role::ProposalStaff {
        return Err(wrong_role(action, actor));
    }
    if actor.org_id != p.org_id {
        return Err(ProposalError::OtherOrganisation);
    }
    Ok(())
}

/// A user of a unit with an active assignment; returns the unit.
fn unit(p: &Proposal, actor: &Actor, action: &str) -> Result<String, ProposalError> {
    if actor.role != Role::UnitUser {
        return Err(wrong_role(action, actor));
    }
    let unit_id = actor.unit_id.as_deref().ok_or(ProposalError::UnitNotAssigned)?;
    p.active_assignment(unit_id).map(|a| a.unit_id.clone()).ok_or(ProposalError::UnitNotAssigned)
}

fn chars(s: &str) -> u32 {
    s.chars().count() as u32
}

fn check_len(field: &str, value: &str, max: u32) -> Result<(), ProposalError> {
    if chars(value) > max { Err(ProposalError::TooLong { field: field.to_string(), max }) } else { Ok(()) }
}

fn check_note(field: &str, value: &str, required: bool) -> Result<(), ProposalError> {
    if required && value.trim().is_empty() {
        return Err(ProposalError::EmptyField { field: field.to_string() });
    }
    check_len(field, value, MAX_NOTE_CHARS)
}

/// Drafts may be incomplete, but never oversized.
fn check_content_lengths(c: &ProposalContent) -> Result<(), ProposalError> {
    check_len("标题", &c.title, MAX_TITLE_CHARS)?;
    check_len("案由", &c.cause, MAX_TEXT_CHARS)?;
    check_len("建议", &c.suggestions, MAX_TEXT_CHARS)?;
    check_len("类别", &c.category, MAX_CATEGORY_CHARS)
}

/// A proposal leaves the draft only when every part is written.
fn check_complete(c: &ProposalContent) -> Result<(), ProposalError> {
    for (field, value) in [("标题", &c.title), ("案由", &c.cause), ("建议", &c.suggestions), ("类别", &c.category)]
    {
        if value.trim().is_empty() {
            return Err(ProposalError::EmptyField { field: field.to_string() });
        }
    }
    Ok(())
}

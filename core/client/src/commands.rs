//! What a user may do to a proposal: the commands a screen offers, their arguments, and which
//! of them this user may take now — asked of the same lifecycle that decides, never guessed.

use lvzhi_domain::org::Actor;
use lvzhi_domain::proposal::{
    Action, AssignmentPlan, AssignmentRole, ConversionTarget, NotRegisteredGround, Proposal, Rating, RefusalKind,
    ReplyCategory,
};
use lvzhi_domain::time::{Timestamp, from_millis};
use lvzhi_sql::Connection;
use lvzhi_store::org;
use lvzhi_store::proposal::service;

/// How staff assign a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignMode {
    Sole,
    Parallel,
    /// The first unit leads, the others support.
    Lead,
}

/// What a user can do to a proposal besides editing the draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProposalCommand {
    RestoreRevision { revision: u32 },
    Invite { person_id: String },
    RemoveInvitee { person_id: String },
    OpenCoSigning,
    AcceptInvitation,
    DeclineInvitation,
    ReopenDraft,
    Submit,
    Withdraw { reason: String },
    Register,
    NotRegister { ground: NotRegisteredGround, text: String },
    ReturnForRevision { note: String },
    Merge { with_id: String },
    ProposeConversion { to: ConversionTarget, note: String },
    AcceptConversion,
    DeclineConversion,
    Assign { mode: AssignMode, unit_ids: Vec<String> },
    AddUnit { unit_id: String, role: AssignmentRole },
    ReturnAssignment { reason: String },
    ExtendDeadline { until_ms: i64, reason: String },
    RecordContact { note: String },
    SubmitView { text: String },
    Reply { category: ReplyCategory, text: String },
    ApproveReplies { note: String },
    Evaluate { rating: Rating, comment: String },
    Close { note: String },
    MarkKey { leader: String },
    UnmarkKey,
}

/// The commands without their arguments: what a screen offers as buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum CommandKind {
    RestoreRevision,
    Invite,
    RemoveInvitee,
    OpenCoSigning,
    AcceptInvitation,
    DeclineInvitation,
    ReopenDraft,
    Submit,
    Withdraw,
    Register,
    NotRegister,
    ReturnForRevision,
    Merge,
    ProposeConversion,
    AcceptConversion,
    DeclineConversion,
    Assign,
    AddUnit,
    ReturnAssignment,
    ExtendDeadline,
    RecordContact,
    SubmitView,
    Reply,
    ApproveReplies,
    Evaluate,
    Close,
    MarkKey,
    UnmarkKey,
}

impl CommandKind {
    pub const ALL: [CommandKind; 28] = [
        CommandKind::RestoreRevision,
        CommandKind::Invite,
        CommandKind::RemoveInvitee,
        CommandKind::OpenCoSigning,
        CommandKind::AcceptInvitation,
        CommandKind::DeclineInvitation,
        CommandKind::ReopenDraft,
        CommandKind::Submit,
        CommandKind::Withdraw,
        CommandKind::Register,
        CommandKind::NotRegister,
        CommandKind::ReturnForRevision,
        CommandKind::Merge,
        CommandKind::ProposeConversion,
        CommandKind::AcceptConversion,
        CommandKind::DeclineConversion,
        CommandKind::Assign,
        CommandKind::AddUnit,
        CommandKind::ReturnAssignment,
        CommandKind::ExtendDeadline,
        CommandKind::RecordContact,
        CommandKind::SubmitView,
        CommandKind::Reply,
        CommandKind::ApproveReplies,
        CommandKind::Evaluate,
        CommandKind::Close,
        CommandKind::MarkKey,
        CommandKind::UnmarkKey,
    ];
}

/// The button text for a command, e.g. 「提交提案」.
pub fn command_label(kind: CommandKind) -> String {
    match kind {
        CommandKind::AcceptInvitation => "同意联名".into(),
        CommandKind::DeclineInvitation => "不同意联名".into(),
        CommandKind::AcceptConversion => "同意转办".into(),
        CommandKind::DeclineConversion => "不同意转办".into(),
        other => template(other, "", "", Timestamp::default()).label().into(),
    }
}

pub fn kind_of(c: &ProposalCommand) -> CommandKind {
    use ProposalCommand as P;
    match c {
        P::RestoreRevision { .. } => CommandKind::RestoreRevision,
        P::Invite { .. } => CommandKind::Invite,
        P::RemoveInvitee { .. } => CommandKind::RemoveInvitee,
        P::OpenCoSigning => CommandKind::OpenCoSigning,
        P::AcceptInvitation => CommandKind::AcceptInvitation,
        P::DeclineInvitation => CommandKind::DeclineInvitation,
        P::ReopenDraft => CommandKind::ReopenDraft,
        P::Submit => CommandKind::Submit,
        P::Withdraw { .. } => CommandKind::Withdraw,
        P::Register => CommandKind::Register,
        P::NotRegister { .. } => CommandKind::NotRegister,
        P::ReturnForRevision { .. } => CommandKind::ReturnForRevision,
        P::Merge { .. } => CommandKind::Merge,
        P::ProposeConversion { .. } => CommandKind::ProposeConversion,
        P::AcceptConversion => CommandKind::AcceptConversion,
        P::DeclineConversion => CommandKind::DeclineConversion,
        P::Assign { .. } => CommandKind::Assign,
        P::AddUnit { .. } => CommandKind::AddUnit,
        P::ReturnAssignment { .. } => CommandKind::ReturnAssignment,
        P::ExtendDeadline { .. } => CommandKind::ExtendDeadline,
        P::RecordContact { .. } => CommandKind::RecordContact,
        P::SubmitView { .. } => CommandKind::SubmitView,
        P::Reply { .. } => CommandKind::Reply,
        P::ApproveReplies { .. } => CommandKind::ApproveReplies,
        P::Evaluate { .. } => CommandKind::Evaluate,
        P::Close { .. } => CommandKind::Close,
        P::MarkKey { .. } => CommandKind::MarkKey,
        P::UnmarkKey => CommandKind::UnmarkKey,
    }
}

pub fn to_action(c: ProposalCommand) -> Action {
    use ProposalCommand as P;
    match c {
        P::RestoreRevision { revision } => Action::RestoreRevision { revision },
        P::Invite { person_id } => Action::Invite { person_id },
        P::RemoveInvitee { person_id } => Action::RemoveInvitee { person_id },
        P::OpenCoSigning => Action::OpenCoSigning,
        P::AcceptInvitation => Action::RespondInvitation { accept: true },
        P::DeclineInvitation => Action::RespondInvitation { accept: false },
        P::ReopenDraft => Action::ReopenDraft,
        P::Submit => Action::Submit,
        P::Withdraw { reason } => Action::Withdraw { reason },
        P::Register => Action::Register,
        P::NotRegister { ground, text } => Action::NotRegister { ground, text },
        P::ReturnForRevision { note } => Action::ReturnForRevision { note },
        P::Merge { with_id } => Action::Merge { with_id },
        P::ProposeConversion { to, note } => Action::ProposeConversion { to, note },
        P::AcceptConversion => Action::RespondConversion { consent: true },
        P::DeclineConversion => Action::RespondConversion { consent: false },
        P::Assign { mode, unit_ids } => Action::Assign {
            plan: match mode {
                AssignMode::Sole => AssignmentPlan::Sole { unit_id: unit_ids.into_iter().next().unwrap_or_default() },
                AssignMode::Parallel => AssignmentPlan::Parallel { unit_ids },
                AssignMode::Lead => {
                    let mut ids = unit_ids.into_iter();
                    AssignmentPlan::Lead { lead_id: ids.next().unwrap_or_default(), supporting_ids: ids.collect() }
                }
            },
        },
        P::AddUnit { unit_id, role } => Action::AddUnit { unit_id, role },
        P::ReturnAssignment { reason } => Action::ReturnAssignment { reason },
        P::ExtendDeadline { until_ms, reason } => Action::ExtendDeadline { until: from_millis(until_ms), reason },
        P::RecordContact { note } => Action::RecordContact { note },
        P::SubmitView { text } => Action::SubmitView { text },
        P::Reply { category, text } => Action::Reply { category, text },
        P::ApproveReplies { note } => Action::ApproveReplies { categories: vec![], note },
        P::Evaluate { rating, comment } => Action::Evaluate { rating, comment },
        P::Close { note } => Action::Close { note },
        P::MarkKey { leader } => Action::MarkKey { leader },
        P::UnmarkKey => Action::UnmarkKey,
    }
}

/// A stand-in action of each kind, to ask the lifecycle whether this user may take it here.
fn template(kind: CommandKind, person: &str, unit: &str, now: Timestamp) -> Action {
    let text = "待填写".to_string();
    use CommandKind as K;
    match kind {
        K::RestoreRevision => Action::RestoreRevision { revision: 1 },
        K::Invite => Action::Invite { person_id: format!("{person}-candidate") },
        K::RemoveInvitee => Action::RemoveInvitee { person_id: person.into() },
        K::OpenCoSigning => Action::OpenCoSigning,
        K::AcceptInvitation => Action::RespondInvitation { accept: true },
        K::DeclineInvitation => Action::RespondInvitation { accept: false },
        K::ReopenDraft => Action::ReopenDraft,
        K::Submit => Action::Submit,
        K::Withdraw => Action::Withdraw { reason: text },
        K::Register => Action::Register,
        K::NotRegister => Action::NotRegister { ground: NotRegisteredGround::NoConcreteSuggestion, text },
        K::ReturnForRevision => Action::ReturnForRevision { note: text },
        K::Merge => Action::Merge { with_id: "另一件提案".into() },
        K::ProposeConversion => Action::ProposeConversion { to: ConversionTarget::SocialConditionReport, note: text },
        K::AcceptConversion => Action::RespondConversion { consent: true },
        K::DeclineConversion => Action::RespondConversion { consent: false },
        K::Assign => Action::Assign { plan: AssignmentPlan::Sole { unit_id: unit.into() } },
        K::AddUnit => Action::AddUnit { unit_id: format!("{unit}-other"), role: AssignmentRole::Supporting },
        K::ReturnAssignment => Action::ReturnAssignment { reason: text },
        K::ExtendDeadline => Action::ExtendDeadline { until: now, reason: text },
        K::RecordContact => Action::RecordContact { note: text },
        K::SubmitView => Action::SubmitView { text },
        K::Reply => Action::Reply { category: ReplyCategory::A, text },
        K::ApproveReplies => Action::ApproveReplies { categories: vec![], note: String::new() },
        K::Evaluate => Action::Evaluate { rating: Rating::Satisfied, comment: String::new() },
        K::Close => Action::Close { note: text },
        K::MarkKey => Action::MarkKey { leader: text },
        K::UnmarkKey => Action::UnmarkKey,
    }
}

/// The commands `actors` (the user's roles in `p`'s organisation) may take on `p` at `now`, in
/// one pass: the session and settings read once, the lifecycle asked once per kind and role
/// with a stand-in action until a role may. Only refusals that mean "not yours to do here" hide
/// a command (see `ProposalError::kind`, which names every refusal); a failed read hides all.
pub fn available(c: &Connection, p: &Proposal, actors: &[&Actor], now: Timestamp) -> Vec<CommandKind> {
    let Ok(facts) = service::Facts::load(c, p) else { return Vec::new() };
    let any_unit = if actors.iter().all(|a| a.unit_id.is_some()) { String::new() } else { first_unit(c, &p.org_id) };
    let invitee = first_invitee(p);
    CommandKind::ALL
        .into_iter()
        .filter(|kind| {
            actors.iter().any(|actor| {
                let unit = actor.unit_id.as_deref().unwrap_or(&any_unit);
                let action = template(*kind, &invitee, unit, now);
                match facts.decide(c, p, actor, &action, now) {
                    Ok(_) => true,
                    Err(lvzhi_store::Error::Proposal(refusal)) => refusal.kind() == RefusalKind::NeedsInput,
                    Err(_) => false,
                }
            })
        })
        .collect()
}

fn first_unit(c: &Connection, org_id: &str) -> String {
    // Any of the organisation's units will do for a stand-in assignment.
    org::units_of(c, org_id).ok().and_then(|units| units.into_iter().map(|u| u.id).min()).unwrap_or_default()
}

fn first_invitee(p: &Proposal) -> String {
    p.invitations.first().map(|i| i.person_id.clone()).unwrap_or_default()
}

//! The proposal's actions: labels and inputs, and the lifecycle `Action` their values make.
//! The labels are the lifecycle's own (`Action::label`), so a refusal 「不能{label}」 names the
//! button the person pressed.

use super::ActionKind as K;
use crate::form::{self, Filled, FormError, Input};
use crate::proposal::lifecycle::MAX_NOTE_CHARS;
use crate::proposal::{
    Action, AssignmentPlan, AssignmentRole, ConversionTarget, NotRegisteredGround, Rating, ReplyCategory,
};
use crate::time::Timestamp;

const NOTE: usize = MAX_NOTE_CHARS as usize;

const GROUNDS: [(NotRegisteredGround, &str); 6] = [
    (NotRegisteredGround::StateSecrets, "state_secrets"),
    (NotRegisteredGround::InLitigation, "in_litigation"),
    (NotRegisteredGround::PersonalAffairs, "personal_affairs"),
    (NotRegisteredGround::AcademicDiscussion, "academic_discussion"),
    (NotRegisteredGround::AccusesNamedPeople, "accuses_named_people"),
    (NotRegisteredGround::NoConcreteSuggestion, "no_concrete_suggestion"),
];
const TARGETS: [(ConversionTarget, &str); 2] = [
    (ConversionTarget::SocialConditionReport, "social_condition_report"),
    (ConversionTarget::OpinionLetter, "opinion_letter"),
];
const CATEGORIES: [(ReplyCategory, &str); 3] =
    [(ReplyCategory::A, "a"), (ReplyCategory::B, "b"), (ReplyCategory::C, "c")];
const RATINGS: [(Rating, &str); 3] = [
    (Rating::Satisfied, "satisfied"),
    (Rating::BasicallySatisfied, "basically_satisfied"),
    (Rating::Unsatisfied, "unsatisfied"),
];

/// How staff assign: 单办, 分办, or 主办会办 (the first unit picked leads).
#[derive(Clone, Copy)]
enum Mode {
    Sole,
    Parallel,
    Lead,
}
const MODES: [(Mode, &str); 3] = [(Mode::Sole, "sole"), (Mode::Parallel, "parallel"), (Mode::Lead, "lead")];
fn mode_label(m: Mode) -> &'static str {
    match m {
        Mode::Sole => "单办",
        Mode::Parallel => "分办",
        Mode::Lead => "主办会办（第一个单位主办）",
    }
}
/// The roles a unit added during handling may take (单办 only ever comes from 交办).
const ADDED_ROLES: [(AssignmentRole, &str); 3] = [
    (AssignmentRole::Supporting, "supporting"),
    (AssignmentRole::Lead, "lead"),
    (AssignmentRole::Parallel, "parallel"),
];

/// Keys of the inputs whose options depend on the proposal; its builder fills them.
pub const REVISION: &str = "revision";
pub const PERSON: &str = "person";
pub const PROPOSAL: &str = "proposal";
pub const UNITS: &str = "units";
pub const UNIT: &str = "unit";

/// A stand-in action of `kind`: for its label, and for asking the lifecycle whether a person
/// may take it on a proposal before they fill anything in (`person`: someone already invited,
/// `unit`: one of the organisation's units). A refusal of the stand-in's text means "fill it
/// in", not "not yours" (`RefusalKind::NeedsInput`).
pub fn stand_in(kind: K, person: &str, unit: &str, now: Timestamp) -> Action {
    let text = || "待填写".to_string();
    match kind {
        K::ProposalRestoreRevision => Action::RestoreRevision { revision: 1 },
        K::ProposalInvite => Action::Invite { person_id: format!("{person}-candidate") },
        K::ProposalRemoveInvitee => Action::RemoveInvitee { person_id: person.into() },
        K::ProposalOpenCoSigning => Action::OpenCoSigning,
        K::ProposalAcceptInvitation => Action::RespondInvitation { accept: true },
        K::ProposalDeclineInvitation => Action::RespondInvitation { accept: false },
        K::ProposalReopenDraft => Action::ReopenDraft,
        K::ProposalSubmit => Action::Submit,
        K::ProposalWithdraw => Action::Withdraw { reason: text() },
        K::ProposalRegister => Action::Register,
        K::ProposalNotRegister => {
            Action::NotRegister { ground: NotRegisteredGround::NoConcreteSuggestion, text: text() }
        }
        K::ProposalReturnForRevision => Action::ReturnForRevision { note: text() },
        K::ProposalMerge => Action::Merge { with_id: "另一件提案".into() },
        K::ProposalProposeConversion => {
            Action::ProposeConversion { to: ConversionTarget::SocialConditionReport, note: text() }
        }
        K::ProposalAcceptConversion => Action::RespondConversion { consent: true },
        K::ProposalDeclineConversion => Action::RespondConversion { consent: false },
        K::ProposalAssign => Action::Assign { plan: AssignmentPlan::Sole { unit_id: unit.into() } },
        K::ProposalAddUnit => Action::AddUnit { unit_id: format!("{unit}-other"), role: AssignmentRole::Supporting },
        K::ProposalReturnAssignment => Action::ReturnAssignment { reason: text() },
        K::ProposalExtendDeadline => Action::ExtendDeadline { until: now, reason: text() },
        K::ProposalRecordContact => Action::RecordContact { note: text() },
        K::ProposalSubmitView => Action::SubmitView { text: text() },
        K::ProposalReply => Action::Reply { category: ReplyCategory::A, text: text(), attachments: Vec::new() },
        K::ProposalApproveReplies => Action::ApproveReplies { categories: vec![], note: String::new() },
        K::ProposalEvaluate => Action::Evaluate { rating: Rating::Satisfied, comment: String::new() },
        K::ProposalClose => Action::Close { note: text() },
        K::ProposalMarkKey => Action::MarkKey { leader: text() },
        // ProposalUnmarkKey; only proposal kinds come here.
        _ => Action::UnmarkKey,
    }
}

pub(super) fn describe(kind: K) -> (&'static str, Vec<Input>) {
    let label = match kind {
        // The two answers to one question are two buttons.
        K::ProposalAcceptInvitation => "同意联名",
        K::ProposalDeclineInvitation => "不同意联名",
        K::ProposalAcceptConversion => "同意转办",
        K::ProposalDeclineConversion => "不同意转办",
        other => stand_in(other, "", "", Timestamp::default()).label(),
    };
    let note = |key: &str, label: &str| form::text(key, label, NOTE, true);
    let inputs = match kind {
        K::ProposalRestoreRevision => vec![form::choice(REVISION, "版本", vec![])],
        K::ProposalInvite => vec![form::person(PERSON, "联名委员")],
        K::ProposalRemoveInvitee => vec![form::choice(PERSON, "联名委员", vec![])],
        K::ProposalWithdraw => vec![note("reason", "撤回原因")],
        K::ProposalNotRegister => vec![
            form::choice("ground", "不予立案的理由", form::options(&GROUNDS, NotRegisteredGround::label)),
            note("text", "不予立案说明"),
        ],
        K::ProposalReturnForRevision => vec![note("note", "修改意见")],
        K::ProposalMerge => vec![form::choice(PROPOSAL, "与之并案的提案", vec![])],
        K::ProposalProposeConversion => {
            vec![form::choice("to", "转为", form::options(&TARGETS, ConversionTarget::label)), note("note", "转办说明")]
        }
        K::ProposalAssign => vec![
            form::choice("mode", "交办方式", form::options(&MODES, mode_label)),
            form::many(UNITS, "承办单位", vec![]),
        ],
        K::ProposalAddUnit => vec![
            form::choice("role", "承办方式", form::options(&ADDED_ROLES, AssignmentRole::label)),
            form::choice(UNIT, "承办单位", vec![]),
        ],
        K::ProposalReturnAssignment => vec![note("reason", "退回理由")],
        K::ProposalExtendDeadline => vec![form::date("until", "延期至"), note("reason", "延期理由")],
        K::ProposalRecordContact => vec![note("note", "联系情况")],
        K::ProposalSubmitView => vec![note("text", "会办意见")],
        K::ProposalReply => vec![
            form::choice("category", "答复类别", form::options(&CATEGORIES, ReplyCategory::label)),
            note("text", "答复内容"),
        ],
        K::ProposalApproveReplies => vec![form::text("note", "审核意见", NOTE, false)],
        K::ProposalEvaluate => vec![
            form::choice("rating", "测评结果", form::options(&RATINGS, Rating::label)),
            form::text("comment", "测评意见", NOTE, false),
        ],
        K::ProposalClose => vec![note("note", "办结说明")],
        K::ProposalMarkKey => vec![form::text("leader", "督办领导", 40, true)],
        _ => vec![],
    };
    (label, inputs)
}

pub(super) fn parse(kind: K, f: &Filled) -> Result<Action, FormError> {
    Ok(match kind {
        K::ProposalRestoreRevision => {
            let label = f.label(REVISION);
            Action::RestoreRevision {
                revision: f.text(REVISION).parse().map_err(|_| FormError::NotAnOption { label })?,
            }
        }
        K::ProposalInvite => Action::Invite { person_id: f.text(PERSON) },
        K::ProposalRemoveInvitee => Action::RemoveInvitee { person_id: f.text(PERSON) },
        K::ProposalOpenCoSigning => Action::OpenCoSigning,
        K::ProposalAcceptInvitation => Action::RespondInvitation { accept: true },
        K::ProposalDeclineInvitation => Action::RespondInvitation { accept: false },
        K::ProposalReopenDraft => Action::ReopenDraft,
        K::ProposalSubmit => Action::Submit,
        K::ProposalWithdraw => Action::Withdraw { reason: f.text("reason") },
        K::ProposalRegister => Action::Register,
        K::ProposalNotRegister => Action::NotRegister { ground: f.choice("ground", &GROUNDS)?, text: f.text("text") },
        K::ProposalReturnForRevision => Action::ReturnForRevision { note: f.text("note") },
        K::ProposalMerge => Action::Merge { with_id: f.text(PROPOSAL) },
        K::ProposalProposeConversion => {
            Action::ProposeConversion { to: f.choice("to", &TARGETS)?, note: f.text("note") }
        }
        K::ProposalAcceptConversion => Action::RespondConversion { consent: true },
        K::ProposalDeclineConversion => Action::RespondConversion { consent: false },
        K::ProposalAssign => {
            let mut units = f.picks(UNITS);
            let plan = match f.choice("mode", &MODES)? {
                Mode::Sole if units.len() > 1 => return Err(FormError::OnlyOne { label: f.label(UNITS) }),
                Mode::Sole => AssignmentPlan::Sole { unit_id: units.remove(0) },
                Mode::Parallel => AssignmentPlan::Parallel { unit_ids: units },
                Mode::Lead => {
                    let lead_id = units.remove(0);
                    AssignmentPlan::Lead { lead_id, supporting_ids: units }
                }
            };
            Action::Assign { plan }
        }
        K::ProposalAddUnit => Action::AddUnit { unit_id: f.text(UNIT), role: f.choice("role", &ADDED_ROLES)? },
        K::ProposalReturnAssignment => Action::ReturnAssignment { reason: f.text("reason") },
        K::ProposalExtendDeadline => Action::ExtendDeadline { until: f.end_of_day("until")?, reason: f.text("reason") },
        K::ProposalRecordContact => Action::RecordContact { note: f.text("note") },
        K::ProposalSubmitView => Action::SubmitView { text: f.text("text") },
        // Files go with the reply where a shell can send them (the console's upload), added to
        // the command it reads here.
        K::ProposalReply => Action::Reply {
            category: f.choice("category", &CATEGORIES)?,
            text: f.text("text"),
            attachments: Vec::new(),
        },
        K::ProposalApproveReplies => Action::ApproveReplies { categories: vec![], note: f.text("note") },
        K::ProposalEvaluate => Action::Evaluate { rating: f.choice("rating", &RATINGS)?, comment: f.text("comment") },
        K::ProposalClose => Action::Close { note: f.text("note") },
        K::ProposalMarkKey => Action::MarkKey { leader: f.text("leader") },
        // ProposalUnmarkKey; `describe` and `parse` are only called with proposal kinds.
        _ => Action::UnmarkKey,
    })
}

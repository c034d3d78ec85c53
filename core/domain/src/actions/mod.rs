//! Every action a person can take on an item, described once: its label and its inputs
//! ([`describe`]), and how the values sent back become the typed command the feature decides
//! ([`parse`]). Compose, SwiftUI, the terminal shell and the web console render these
//! descriptions and send values; none of them restates a label, an input or a date rule.
//!
//! Which actions a person may take *now* is not decided here: the client (and the console) ask
//! each feature's rules, then hand over the forms of the allowed ones, with the options that
//! depend on the item (its units, its co-proposers, the roster) filled in.

mod chat;
mod consult;
mod duty;
mod mutation;
mod proposal;
mod study;

pub use consult::destination_code;
pub use mutation::Circumstances;
pub use proposal::stand_in as proposal_stand_in;
/// Keys of inputs whose options depend on the item, filled in by whoever builds its forms.
pub mod keys {
    pub use super::consult::{DESTINATIONS, QUOTED};
    pub use super::duty::{PERSON as ROSTER_PERSON, SPEAKERS};
    pub use super::proposal::{PERSON, PROPOSAL, REVISION, UNIT, UNITS};
}

use crate::consult::report::{Destination, Level, StaffStep};
use crate::duty::notice::ReplyOption;
use crate::form::{Filled, FormError, FormValue, Input};
use crate::proposal::Action;

/// Declares `ActionKind` and its `ALL` from one list, so no action is named twice.
macro_rules! action_kinds {
    ($($name:ident),* $(,)?) => {
        /// Every action of every feature, one name each. The prefix names the item it acts on.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum ActionKind {
            $($name),*
        }

        impl ActionKind {
            /// Every action, in the order a screen offers them.
            pub const ALL: [ActionKind; [$(ActionKind::$name),*].len()] = [$(ActionKind::$name),*];
        }
    };
}

action_kinds! {
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
MessageDelete,}

impl ActionKind {
    /// The proposal actions, in the order a detail screen offers them.
    pub fn proposal_kinds() -> impl Iterator<Item = ActionKind> {
        ActionKind::ALL.into_iter().filter(|k| k.item() == Item::Proposal)
    }

    /// What the action acts on: the kind of id the shell sends with it.
    pub fn item(self) -> Item {
        use ActionKind::*;
        match self {
            ProposalRestoreRevision
            | ProposalInvite
            | ProposalRemoveInvitee
            | ProposalOpenCoSigning
            | ProposalAcceptInvitation
            | ProposalDeclineInvitation
            | ProposalReopenDraft
            | ProposalSubmit
            | ProposalWithdraw
            | ProposalRegister
            | ProposalNotRegister
            | ProposalReturnForRevision
            | ProposalMerge
            | ProposalProposeConversion
            | ProposalAcceptConversion
            | ProposalDeclineConversion
            | ProposalAssign
            | ProposalAddUnit
            | ProposalReturnAssignment
            | ProposalExtendDeadline
            | ProposalRecordContact
            | ProposalSubmitView
            | ProposalReply
            | ProposalApproveReplies
            | ProposalEvaluate
            | ProposalClose
            | ProposalMarkKey
            | ProposalUnmarkKey => Item::Proposal,
            NoticeAnswer | NoticeWithdraw => Item::Notice,
            MeetingAttend | MeetingAskLeave | MeetingSignUp | MeetingCancelSignUp | MeetingCheckIn
            | MeetingDecideLeave | MeetingCheckInPerson | MeetingMarkAbsent | MeetingCancel | MeetingSetCapacity
            | MeetingApplyToSpeak | MeetingOrderSpeakers | MeetingMarkSpoke => Item::Meeting,
            ReportSubmit | ReportAccept | ReportReturn | ReportReject | ReportSendUp | ReportInstruct
            | ReportFeedBack => Item::Report,
            TopicClose | TopicSummarise => Item::Topic,
            PostSecond | PostHide => Item::Post,
            SelfReportAccept | SelfReportRefuse => Item::DutyEntry,
            FeedbackAnswer => Item::Feedback,
            MaterialMarkStudied | MaterialWithdraw => Item::Material,
            NewsWithdraw => Item::News,
            MessageRecall | MessageDelete => Item::Message,
        }
    }

    /// Whether a shell that can upload files may add them to this action's command (a unit's
    /// 答复 with its documents). Forms describe no file input: the files travel beside the values.
    pub fn takes_files(self) -> bool {
        matches!(self, ActionKind::ProposalReply)
    }

    /// A name for the terminal and the logs: `proposal-withdraw`, `meeting-check-in`…
    pub fn code(self) -> String {
        let name = format!("{self:?}");
        let mut out = String::new();
        for (i, ch) in name.chars().enumerate() {
            if ch.is_ascii_uppercase() && i > 0 {
                out.push('-');
            }
            out.push(ch.to_ascii_lowercase());
        }
        out
    }

    pub fn from_code(code: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The kinds of item an action acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Item {
    Proposal,
    Notice,
    Meeting,
    Report,
    Topic,
    Post,
    DutyEntry,
    Feedback,
    Material,
    News,
    Message,
}

/// One action as a shell renders it: the button's label and the inputs behind it (none for
/// an action taken with one tap).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ActionForm {
    pub action: ActionKind,
    pub label: String,
    pub inputs: Vec<Input>,
}

impl ActionForm {
    /// The input under `key`, to fill its options for one item.
    pub fn input_mut(&mut self, key: &str) -> Option<&mut Input> {
        self.inputs.iter_mut().find(|i| i.key == key)
    }
}

/// What the values of an action's form amount to: the typed command its feature decides.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Proposal(Action),
    NoticeAnswer {
        answer: ReplyOption,
        note: String,
    },
    NoticeWithdraw {
        reason: String,
    },
    /// 参加 (`None`) or 请假 with the reason.
    MeetingReply {
        leave_reason: Option<String>,
    },
    MeetingSignUp,
    MeetingCancelSignUp,
    MeetingCheckIn {
        code: String,
    },
    MeetingDecideLeave {
        person_id: String,
        approve: bool,
        note: String,
    },
    MeetingCheckInPerson {
        person_id: String,
    },
    MeetingMarkAbsent {
        person_id: String,
    },
    MeetingCancel {
        reason: String,
    },
    MeetingSetCapacity {
        capacity: u32,
    },
    MeetingApplyToSpeak {
        text: String,
    },
    /// The speakers in the order they will speak.
    MeetingOrderSpeakers {
        person_ids: Vec<String>,
    },
    MeetingMarkSpoke {
        person_id: String,
    },
    ReportSubmit,
    ReportStep(StaffStep),
    /// 报送 on `date_ms`, or today when not given.
    ReportSendUp {
        destinations: Vec<Destination>,
        date_ms: Option<i64>,
    },
    /// 批示 given on `date_ms`, or today when not given.
    ReportInstruct {
        leader: String,
        level: Level,
        text: String,
        date_ms: Option<i64>,
    },
    TopicClose,
    TopicSummarise {
        text: String,
        quoted: Vec<String>,
    },
    PostSecond,
    PostHide {
        reason: String,
    },
    SelfReportDecide {
        accept: bool,
        reason: String,
    },
    FeedbackAnswer {
        answer: String,
    },
    MaterialMarkStudied,
    MaterialWithdraw {
        reason: String,
    },
    NewsWithdraw {
        reason: String,
    },
    MessageRecall,
    MessageDelete,
}

/// The form of `kind`, with the options every item shares; options that depend on the item are
/// empty until its builder fills them.
pub fn describe(kind: ActionKind) -> ActionForm {
    let (label, inputs) = match kind.item() {
        Item::Proposal => proposal::describe(kind),
        Item::Notice | Item::Meeting | Item::DutyEntry | Item::Feedback => duty::describe(kind),
        Item::Report | Item::Topic | Item::Post => consult::describe(kind),
        Item::Material | Item::News => study::describe(kind),
        Item::Message => chat::describe(kind),
    };
    ActionForm { action: kind, label: label.to_string(), inputs }
}

/// The command `values` make for `form` (its own inputs, options included when filled), or the
/// first thing wrong with them.
pub fn parse(form: &ActionForm, values: &[FormValue]) -> Result<Command, FormError> {
    let filled = Filled::check(&form.inputs, values)?;
    let kind = form.action;
    match kind.item() {
        Item::Proposal => proposal::parse(kind, &filled).map(Command::Proposal),
        Item::Notice | Item::Meeting | Item::DutyEntry | Item::Feedback => duty::parse(kind, &filled),
        Item::Report | Item::Topic | Item::Post => consult::parse(kind, &filled),
        Item::Material | Item::News => study::parse(kind, &filled),
        Item::Message => Ok(chat::parse(kind)),
    }
}

#[cfg(test)]
mod tests;

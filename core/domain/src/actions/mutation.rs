//! How a command read from a form becomes the mutation that carries it to the server: written
//! once, for every shell that sends mutations of its own (the web console); the phone's client
//! builds the same kinds through its feature methods.

use super::Command;
use crate::consult::report::StaffStep;
use crate::protocol::MutationKind;

/// What a command's mutation needs besides the form: facts the shell read from the item.
#[derive(Debug, Clone, Copy, Default)]
pub struct Circumstances {
    /// The proposal's revision when the form was shown (a proposal action's base).
    pub base_revision: u32,
    /// Now, for dates left to "today" and the time a post or check-in was written.
    pub now_ms: i64,
    /// Whether the person marked absent had an approved leave (excused).
    pub excused: bool,
}

impl Command {
    /// The mutation of this command on the item `id`.
    pub fn into_mutation(self, id: &str, at: Circumstances) -> MutationKind {
        use MutationKind as M;
        let id = id.to_string();
        match self {
            Command::Proposal(action) => M::ProposalAction { proposal_id: id, action, base_revision: at.base_revision },
            Command::NoticeAnswer { answer, note } => M::AnswerNotice { notice_id: id, answer, note },
            Command::NoticeWithdraw { reason } => M::WithdrawNotice { notice_id: id, reason },
            Command::MeetingReply { leave_reason } => M::ReplyMeeting { meeting_id: id, leave_reason },
            Command::MeetingSignUp => M::SignUp { meeting_id: id },
            Command::MeetingCancelSignUp => M::CancelSignUp { meeting_id: id },
            Command::MeetingCheckIn { code } => {
                M::CheckIn { meeting_id: id, code: code.trim().to_string(), at_ms: at.now_ms }
            }
            Command::MeetingDecideLeave { person_id, approve, note } => {
                M::DecideLeave { meeting_id: id, person_id, approve, note }
            }
            Command::MeetingCheckInPerson { person_id } => M::CheckInByStaff { meeting_id: id, person_id },
            Command::MeetingMarkAbsent { person_id } => {
                M::MarkAbsent { meeting_id: id, person_id, excused: at.excused }
            }
            Command::MeetingCancel { reason } => M::CancelMeeting { meeting_id: id, reason },
            Command::MeetingSetCapacity { capacity } => M::SetMeetingCapacity { meeting_id: id, capacity },
            Command::MeetingApplyToSpeak { text } => M::ApplyToSpeak { meeting_id: id, text },
            Command::MeetingOrderSpeakers { person_ids } => M::OrderSpeakers { meeting_id: id, person_ids },
            Command::MeetingMarkSpoke { person_id } => M::MarkSpoke { meeting_id: id, person_id },
            Command::ReportSubmit => M::SubmitReport { report_id: id },
            Command::ReportStep(step) => M::ReportStep { report_id: id, step },
            Command::ReportSendUp { destinations, date_ms } => M::ReportStep {
                report_id: id,
                step: StaffStep::SendUp { destinations, date_ms: date_ms.unwrap_or(at.now_ms) },
            },
            Command::ReportInstruct { leader, level, text, date_ms } => M::ReportStep {
                report_id: id,
                step: StaffStep::Instruct { leader, level, text, date_ms: date_ms.unwrap_or(at.now_ms) },
            },
            Command::TopicClose => M::CloseTopic { topic_id: id },
            Command::TopicSummarise { text, quoted } => M::SummariseTopic { topic_id: id, text, quoted },
            Command::PostSecond => M::SecondPost { post_id: id, written_at_ms: at.now_ms },
            Command::PostHide { reason } => M::HidePost { post_id: id, reason },
            Command::SelfReportDecide { accept, reason } => M::DecideSelfReport { entry_id: id, accept, reason },
            Command::FeedbackAnswer { answer } => M::AnswerFeedback { feedback_id: id, answer },
            Command::MaterialMarkStudied => M::MarkStudied { material_id: id },
            Command::MaterialWithdraw { reason } => M::WithdrawMaterial { material_id: id, reason },
            Command::NewsWithdraw { reason } => M::WithdrawNews { news_id: id, reason },
            Command::MessageRecall => M::RecallMessage { message_id: id },
            Command::MessageDelete => M::DeleteMessage { message_id: id },
        }
    }
}

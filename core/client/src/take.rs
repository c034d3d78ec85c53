//! Taking an action from any shell: the values it sent read against the item's form (the
//! core's description with the item's options), then decided and stored like any other action
//! of its feature. Imports the features; none imports it.

use lvzhi_domain::actions::{self, ActionForm, ActionKind, Command, Item};
use lvzhi_domain::consult::report::StaffStep;
use lvzhi_domain::duty::meeting::LeaveDecision;
use lvzhi_domain::form::FormValue;
use lvzhi_domain::time::to_millis;
use lvzhi_sync::{Error, Result};

use crate::client::Client;
use lvzhi_store::forms::proposal_form;

fn offered_or_bare(offered: Vec<ActionForm>, kind: ActionKind) -> ActionForm {
    offered.into_iter().find(|f| f.action == kind).unwrap_or_else(|| actions::describe(kind))
}

impl Client {
    /// The form of `kind` for the item `item_id`, with the item's options filled in: what a
    /// shell renders when it has only the kind (the terminal, a deep link).
    pub fn action_form(&self, item_id: &str, kind: ActionKind) -> Result<ActionForm> {
        match kind.item() {
            Item::Proposal => {
                let actors = self.actors()?;
                self.store().read(|c| {
                    let p = crate::proposals::visible(c, &actors, item_id)?;
                    Ok(proposal_form(c, &p, kind)?)
                })
            }
            // The form the detail offers, with its options (the roster, the bodies above); an
            // action not offered now is read bare and its rule gives the reason.
            Item::Meeting => Ok(offered_or_bare(self.meeting(item_id)?.actions, kind)),
            Item::Report => Ok(offered_or_bare(self.report(item_id)?.actions, kind)),
            _ => Ok(actions::describe(kind)),
        }
    }

    /// Takes `kind` on `item_id` with the values a shell sent: read against the item's form
    /// (a missing or unknown value is refused with its Chinese message, nothing stored), then
    /// decided and stored like any other action of its feature.
    pub fn take_action(&self, item_id: &str, kind: ActionKind, values: &[FormValue]) -> Result<()> {
        let form = self.action_form(item_id, kind)?;
        let command = actions::parse(&form, values).map_err(|e| Error::invalid(e.to_string()))?;
        let id = item_id;
        match command {
            Command::Proposal(action) => self.perform(id, action).map(|_| ()),
            Command::NoticeAnswer { answer, note } => self.answer_notice(id, answer, &note),
            Command::NoticeWithdraw { reason } => self.withdraw_notice(id, &reason),
            Command::MeetingReply { leave_reason } => self.reply_meeting(id, leave_reason.as_deref()),
            Command::MeetingSignUp => self.sign_up(id),
            Command::MeetingCancelSignUp => self.cancel_sign_up(id),
            Command::MeetingCheckIn { code } => self.check_in(id, &code),
            Command::MeetingDecideLeave { person_id, approve, note } => {
                self.decide_leave(id, &person_id, approve, &note)
            }
            Command::MeetingCheckInPerson { person_id } => self.check_in_person(id, &person_id),
            Command::MeetingMarkAbsent { person_id } => {
                // Absent with an approved leave is excused; the roster knows which.
                let excused = self.store().read(|c| {
                    let a = lvzhi_store::duty::repo::attendance(c, id, &person_id)?;
                    Ok::<_, lvzhi_store::Error>(a.and_then(|a| a.leave) == Some(LeaveDecision::Approved))
                })?;
                self.mark_absent(id, &person_id, excused)
            }
            Command::MeetingCancel { reason } => self.cancel_meeting(id, &reason),
            Command::MeetingSetCapacity { capacity } => self.set_meeting_capacity(id, capacity),
            Command::MeetingApplyToSpeak { text } => self.apply_to_speak(id, &text),
            Command::MeetingOrderSpeakers { person_ids } => self.order_speakers(id, person_ids),
            Command::MeetingMarkSpoke { person_id } => self.mark_spoke(id, &person_id),
            Command::ReportSubmit => self.submit_report(id),
            Command::ReportStep(step) => self.report_step(id, step),
            Command::ReportSendUp { destinations, date_ms } => {
                let date_ms = date_ms.unwrap_or_else(|| to_millis(self.now()));
                self.report_step(id, StaffStep::SendUp { destinations, date_ms })
            }
            Command::ReportInstruct { leader, level, text, date_ms } => {
                let date_ms = date_ms.unwrap_or_else(|| to_millis(self.now()));
                self.report_step(id, StaffStep::Instruct { leader, level, text, date_ms })
            }
            Command::TopicClose => self.close_topic(id),
            Command::TopicSummarise { text, quoted } => self.summarise_topic(id, &text, quoted),
            Command::PostSecond => self.second_post(id),
            Command::PostHide { reason } => self.hide_post(id, &reason),
            Command::SelfReportDecide { accept, reason } => self.decide_self_report(id, accept, &reason),
            Command::FeedbackAnswer { answer } => self.answer_feedback(id, &answer),
            Command::MaterialMarkStudied => self.mark_studied(id),
            Command::MaterialWithdraw { reason } => self.withdraw_material(id, &reason),
            Command::NewsWithdraw { reason } => self.withdraw_news(id, &reason),
            Command::MessageRecall => self.recall_message(id),
            Command::MessageDelete => self.delete_message_as_staff(id),
        }
    }
}

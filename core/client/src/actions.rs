//! The actions a person may take on an item now, as the core's forms ([`lvzhi_domain::actions`])
//! with the item's own options filled in (its revisions, co-proposers, units, roster…); and
//! taking one, from whichever shell, through [`Client::take_action`].
//!
//! Which actions are offered is asked of the rules that decide (the proposal lifecycle, the
//! meeting's and the report's state), never guessed by a shell.

use lvzhi_domain::actions::{self, ActionForm, ActionKind, Command, Item, keys};
use lvzhi_domain::duty::meeting::{Attendance, Enrolment, LeaveDecision, Meeting, Reply};
use lvzhi_domain::form::{ChoiceOption, FormValue, InputKind};
use lvzhi_domain::org::Actor;
use lvzhi_domain::proposal::{Proposal, ProposalState, RefusalKind};
use lvzhi_domain::time::Timestamp;
use lvzhi_sql::Connection;
use lvzhi_store::org;
use lvzhi_store::proposal::{repo, service};
use lvzhi_sync::{Error, Result};

use crate::client::Client;
use crate::consult::SpeakerLine;
use crate::duty::AttendanceLine;

/// The forms of `kinds`, in that order.
fn forms(kinds: impl IntoIterator<Item = ActionKind>) -> Vec<ActionForm> {
    kinds.into_iter().map(actions::describe).collect()
}

/// Gives the choice under `key` its options for this item.
fn set_options(form: &mut ActionForm, key: &str, with: Vec<ChoiceOption>) {
    if let Some(InputKind::Choice { options, .. }) = form.input_mut(key).map(|i| &mut i.kind) {
        *options = with;
    }
}

// --- 提案 ---------------------------------------------------------------------------------

/// The proposal actions `actors` (the user's roles in `p`'s organisation) may take on `p` at
/// `now`, in one pass: the session and settings read once, the lifecycle asked once per kind
/// and role with a stand-in action until a role may. Only refusals that mean "not yours to do
/// here" hide an action (see `ProposalError::kind`); a failed read hides all.
pub fn proposal_kinds(c: &Connection, p: &Proposal, actors: &[&Actor], now: Timestamp) -> Vec<ActionKind> {
    let Ok(facts) = service::Facts::load(c, p) else { return Vec::new() };
    let any_unit = if actors.iter().all(|a| a.unit_id.is_some()) { String::new() } else { first_unit(c, &p.org_id) };
    let invitee = p.invitations.first().map(|i| i.person_id.clone()).unwrap_or_default();
    ActionKind::proposal_kinds()
        .filter(|kind| {
            actors.iter().any(|actor| {
                let unit = actor.unit_id.as_deref().unwrap_or(&any_unit);
                let action = actions::proposal_stand_in(*kind, &invitee, unit, now);
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

/// The form of `kind` for `p`, with its revisions, co-proposers, units or fellow proposals as
/// the options.
pub fn proposal_form(c: &Connection, p: &Proposal, kind: ActionKind) -> lvzhi_store::Result<ActionForm> {
    let mut form = actions::describe(kind);
    let name = |person: &str| -> lvzhi_store::Result<String> {
        Ok(org::get_person(c, person)?.map(|x| x.name).unwrap_or_else(|| person.to_string()))
    };
    match kind {
        ActionKind::ProposalRestoreRevision => {
            let earlier = repo::revisions(c, &p.id)?.into_iter().filter(|r| r.number != p.revision);
            let options = earlier
                .map(|r| ChoiceOption::new(r.number.to_string(), format!("第{}版　{}", r.number, r.content.title)))
                .collect();
            set_options(&mut form, keys::REVISION, options);
        }
        ActionKind::ProposalInvite => {
            let mut taken: Vec<String> = p.invitations.iter().map(|i| i.person_id.clone()).collect();
            taken.push(p.first_proposer_id.clone());
            if let Some(InputKind::Person { exclude }) = form.input_mut(keys::PERSON).map(|i| &mut i.kind) {
                *exclude = taken;
            }
        }
        ActionKind::ProposalRemoveInvitee => {
            let options = p
                .invitations
                .iter()
                .map(|i| Ok(ChoiceOption::new(i.person_id.clone(), name(&i.person_id)?)))
                .collect::<lvzhi_store::Result<_>>()?;
            set_options(&mut form, keys::PERSON, options);
        }
        ActionKind::ProposalMerge => {
            // Proposals of the same organisation still before handling; the lifecycle has the
            // last word on each.
            let states = [ProposalState::Submitted, ProposalState::Registered];
            let others = repo::list_by_org(c, &p.org_id, &states, 500)?.into_iter().filter(|s| s.id != p.id);
            set_options(&mut form, keys::PROPOSAL, others.map(|s| ChoiceOption::new(s.id, s.title)).collect());
        }
        ActionKind::ProposalAssign | ActionKind::ProposalAddUnit => {
            let active: Vec<&str> = p.active_assignments().map(|a| a.unit_id.as_str()).collect();
            let units = org::units_of(c, &p.org_id)?.into_iter().filter(|u| !active.contains(&u.id.as_str()));
            let options: Vec<ChoiceOption> = units.map(|u| ChoiceOption::new(u.id, u.name)).collect();
            set_options(&mut form, keys::UNITS, options.clone());
            set_options(&mut form, keys::UNIT, options);
        }
        _ => {}
    }
    Ok(form)
}

// --- 会议活动 -------------------------------------------------------------------------------

/// What this user may do at a meeting now: answer or sign up, check in, ask to speak; and for
/// its staff, run it — with the roster lines each roster action applies to as its options.
pub(crate) fn meeting_forms(
    m: &Meeting,
    mine: Option<&Attendance>,
    roster: &[AttendanceLine],
    speakers: &[SpeakerLine],
    can_manage: bool,
) -> Vec<ActionForm> {
    use ActionKind as K;
    let mut kinds = Vec::new();
    let live = m.cancel_reason.is_none();
    let checked_in = mine.is_some_and(|a| a.checked_in_at_ms.is_some());
    if live {
        match (&m.enrolment, mine.map(|a| a.reply)) {
            (Enrolment::Open { .. }, Some(Reply::SignedUp | Reply::Waitlisted)) => kinds.push(K::MeetingCancelSignUp),
            (Enrolment::Open { .. }, _) if !can_manage || mine.is_some() => kinds.push(K::MeetingSignUp),
            (Enrolment::Open { .. }, _) => {}
            (_, Some(_)) if !checked_in => kinds.extend([K::MeetingAttend, K::MeetingAskLeave]),
            _ => {}
        }
        if mine.is_some() && !checked_in {
            kinds.push(K::MeetingCheckIn);
        }
        if m.remote.is_some() && !can_manage {
            kinds.push(K::MeetingApplyToSpeak);
        }
    }
    let line = |l: &AttendanceLine| ChoiceOption::new(l.person_id.clone(), l.name.clone());
    let pending: Vec<ChoiceOption> =
        roster.iter().filter(|l| l.leave_label.as_deref() == Some(PENDING)).map(line).collect();
    let open_lines: Vec<ChoiceOption> =
        roster.iter().filter(|l| !l.checked_in && l.absence_label.is_none()).map(line).collect();
    let not_spoken: Vec<ChoiceOption> =
        speakers.iter().filter(|s| !s.spoke).map(|s| ChoiceOption::new(s.person_id.clone(), s.name.clone())).collect();
    if can_manage && live {
        if !pending.is_empty() {
            kinds.push(K::MeetingDecideLeave);
        }
        if !open_lines.is_empty() {
            kinds.extend([K::MeetingCheckInPerson, K::MeetingMarkAbsent]);
        }
        if !not_spoken.is_empty() {
            kinds.push(K::MeetingMarkSpoke);
        }
        if matches!(m.enrolment, Enrolment::Open { .. }) {
            kinds.push(K::MeetingSetCapacity);
        }
        kinds.push(K::MeetingCancel);
    }
    let mut out = forms(kinds);
    for form in &mut out {
        let options = match form.action {
            K::MeetingDecideLeave => pending.clone(),
            K::MeetingCheckInPerson | K::MeetingMarkAbsent => open_lines.clone(),
            K::MeetingMarkSpoke => not_spoken.clone(),
            _ => continue,
        };
        set_options(form, keys::ROSTER_PERSON, options);
    }
    out
}

/// The roster's label of a leave awaiting a decision.
pub(crate) const PENDING: &str = "待审批";

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
            Item::Meeting => {
                let d = self.meeting(item_id)?;
                let mut form = actions::describe(kind);
                // The roster's options whatever the state, so a stale screen still names people.
                let options = match kind {
                    ActionKind::MeetingMarkSpoke => {
                        self.speakers(item_id)?.into_iter().map(|s| ChoiceOption::new(s.person_id, s.name)).collect()
                    }
                    _ => d.roster.iter().map(|l| ChoiceOption::new(l.person_id.clone(), l.name.clone())).collect(),
                };
                set_options(&mut form, keys::ROSTER_PERSON, options);
                Ok(form)
            }
            Item::Report if kind == ActionKind::ReportSendUp => {
                // Offered only while 报送 is a step the user may take; otherwise the step's
                // rules give the reason.
                let offered = self.report(item_id)?.actions.into_iter().find(|f| f.action == kind);
                Ok(offered.unwrap_or_else(|| actions::describe(kind)))
            }
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
            Command::MeetingMarkSpoke { person_id } => self.mark_spoke(id, &person_id),
            Command::ReportSubmit => self.submit_report(id),
            Command::ReportStep(step) => self.report_step(id, step),
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

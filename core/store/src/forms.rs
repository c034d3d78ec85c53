//! The actions a person may take on an item now, as the core's forms ([`lvzhi_domain::actions`])
//! with the item's own options filled in (its revisions, co-proposers, units, roster…). Built
//! here, over the tables phones and the server share, so that the phone's details and the
//! server's web console offer the same forms from the same rules.
//!
//! Which actions are offered is asked of the rules that decide (the proposal lifecycle, the
//! meeting's and the report's state), never guessed by a shell.

use crate::org;
use crate::proposal::{repo, service};
use lvzhi_domain::actions::{self, ActionForm, ActionKind, keys};
use lvzhi_domain::consult::report::{Body, Destination, Level, Report, ReportState};
use lvzhi_domain::consult::topic::Topic;
use lvzhi_domain::duty::meeting::{Attendance, Enrolment, Meeting, Reply};
use lvzhi_domain::form::{ChoiceOption, InputKind};
use lvzhi_domain::org::{Actor, OrgLevel};
use lvzhi_domain::proposal::{Proposal, ProposalState, RefusalKind};
use lvzhi_domain::time::Timestamp;
use lvzhi_sql::Connection;

/// The forms of `kinds`, in that order.
pub fn forms(kinds: impl IntoIterator<Item = ActionKind>) -> Vec<ActionForm> {
    kinds.into_iter().map(actions::describe).collect()
}

/// The forms of the kinds whose condition holds, in that order: what a detail offers when each
/// action's rule is a plain condition on the item.
pub fn offered(kinds: impl IntoIterator<Item = (bool, ActionKind)>) -> Vec<ActionForm> {
    forms(kinds.into_iter().filter(|(ok, _)| *ok).map(|(_, kind)| kind))
}

/// Gives the choice under `key` its options for this item.
pub fn set_options(form: &mut ActionForm, key: &str, with: Vec<ChoiceOption>) {
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
                    Err(crate::Error::Proposal(refusal)) => refusal.kind() == RefusalKind::NeedsInput,
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
pub fn proposal_form(c: &Connection, p: &Proposal, kind: ActionKind) -> crate::Result<ActionForm> {
    let mut form = actions::describe(kind);
    let name = |person: &str| -> crate::Result<String> {
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
                .collect::<crate::Result<_>>()?;
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

/// The people a meeting's staff actions apply to, as options.
pub struct Roster {
    /// Leaves awaiting a decision.
    pub pending: Vec<ChoiceOption>,
    /// Neither checked in nor marked absent.
    pub open: Vec<ChoiceOption>,
    /// Asked to speak and not yet spoken.
    pub not_spoken: Vec<ChoiceOption>,
    /// Everyone who asked to speak, in the order they asked.
    pub speakers: Vec<ChoiceOption>,
}

/// What this user may do at a meeting now: answer or sign up, check in, ask to speak; and for
/// its staff, run it — with the roster lines each roster action applies to as its options.
pub fn meeting_forms(m: &Meeting, mine: Option<&Attendance>, can_manage: bool, roster: Roster) -> Vec<ActionForm> {
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
    let Roster { pending, open: open_lines, not_spoken, speakers } = roster;
    if can_manage && live {
        if !pending.is_empty() {
            kinds.push(K::MeetingDecideLeave);
        }
        if !open_lines.is_empty() {
            kinds.extend([K::MeetingCheckInPerson, K::MeetingMarkAbsent]);
        }
        if !speakers.is_empty() {
            kinds.push(K::MeetingOrderSpeakers);
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
            K::MeetingOrderSpeakers => {
                set_options(form, keys::SPEAKERS, speakers.clone());
                continue;
            }
            _ => continue,
        };
        set_options(form, keys::ROSTER_PERSON, options);
    }
    out
}

// --- 社情民意 -------------------------------------------------------------------------------

/// One body a report may be sent to, named for people.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SendUpOption {
    /// 大理白族自治州政协, 大理白族自治州党委, 大理白族自治州政府
    pub label: String,
    pub destination: Destination,
}

/// The staff steps (codes of `StaffStep`) staff of `staff_orgs` may take on `r` now: its own
/// organisation's by its state; an organisation above it that received it, 编发 once.
pub fn report_steps(r: &Report, staff_orgs: &[String]) -> Vec<String> {
    let own_staff = staff_orgs.contains(&r.org_id);
    let upper_staff = r.upper_orgs().iter().any(|o| staff_orgs.contains(o) && r.edition_of(o).is_none());
    if own_staff {
        use ReportState as S;
        let codes: &[&str] = match r.state {
            S::Submitted => &["accept", "return", "reject"],
            S::Accepted => &["edit", "reject"],
            S::Edited => &["send_up", "feed_back"],
            S::SentUp | S::Instructed => &["send_up", "instruct", "feed_back"],
            S::FedBack => &["feed_back"],
            _ => &[],
        };
        codes.iter().map(|c| c.to_string()).collect()
    } else if upper_staff {
        vec!["edit".into()]
    } else {
        Vec::new()
    }
}

/// The report's actions for a user who may edit it (`can_edit`) or take `steps`.
pub fn report_forms(can_edit: bool, steps: &[String], send_up: &[SendUpOption]) -> Vec<ActionForm> {
    let mut kinds = Vec::new();
    if can_edit {
        kinds.push(ActionKind::ReportSubmit);
    }
    for step in steps {
        kinds.push(match step.as_str() {
            "accept" => ActionKind::ReportAccept,
            "return" => ActionKind::ReportReturn,
            "reject" => ActionKind::ReportReject,
            "send_up" => ActionKind::ReportSendUp,
            "instruct" => ActionKind::ReportInstruct,
            "feed_back" => ActionKind::ReportFeedBack,
            _ => continue,
        });
    }
    let destinations: Vec<ChoiceOption> =
        send_up.iter().map(|o| ChoiceOption::new(actions::destination_code(&o.destination), o.label.clone())).collect();
    let mut forms: Vec<ActionForm> = kinds.into_iter().map(actions::describe).collect();
    for form in &mut forms {
        set_options(form, actions::keys::DESTINATIONS, destinations.clone());
    }
    forms
}

/// The bodies above `org_id` a report may be sent to: the CPPCC, party committee and
/// government of each level above.
pub fn send_up_options(c: &Connection, org_id: &str) -> crate::Result<Vec<SendUpOption>> {
    let mut out = Vec::new();
    for o in org::ancestry(c, org_id)?.into_iter().skip(1) {
        let level = match o.level {
            OrgLevel::Province => Level::Province,
            OrgLevel::Prefecture => Level::Prefecture,
            OrgLevel::County => Level::County,
        };
        let place = o.name.strip_suffix("政协").unwrap_or(&o.name).to_string();
        for body in [Body::Cppcc, Body::PartyCommittee, Body::Government] {
            let label = match body {
                Body::Cppcc => o.name.clone(),
                Body::PartyCommittee => format!("{place}党委"),
                Body::Government => format!("{place}政府"),
            };
            out.push(SendUpOption { label, destination: Destination { body, level, org_id: o.id.clone() } });
        }
    }
    Ok(out)
}

// --- 网络议政 -------------------------------------------------------------------------------

/// What a topic's staff may do while it has no 综述: close it while it runs, and once it has
/// ended publish the 综述 quoting any of the posts still shown (`quotable`: each post's id and
/// how it reads) — the rule's own order (`topic::summarise` refuses a 综述 before the end).
pub fn topic_forms(t: &Topic, can_manage: bool, quotable: Vec<ChoiceOption>, now_ms: i64) -> Vec<ActionForm> {
    if !can_manage || t.summary.is_some() {
        return Vec::new();
    }
    let running = now_ms < t.closes_at_ms;
    let mut out = offered([(running, ActionKind::TopicClose), (!running, ActionKind::TopicSummarise)]);
    for form in &mut out {
        set_options(form, actions::keys::QUOTED, quotable.clone());
    }
    out
}

//! What a decided mutation gives someone to be told about, recorded in the transaction that
//! applied it (so a crash cannot keep the change and lose the push, or the reverse).
//!
//! Small audiences (a proposal's proposers, the people @mentioned, an organisation's staff) are
//! named here; a notice's audience, which may be the whole province, is one event resolved when
//! the sender gathers it, outside the publishing transaction. Nobody is told of their own act.

use lvzhi_domain::consult::report::StaffStep;
use lvzhi_domain::duty::meeting::Reply;
use lvzhi_domain::org::Role;
use lvzhi_domain::proposal::{Action, InvitationStatus};
use lvzhi_domain::protocol::MutationKind;
use lvzhi_domain::push::PushKind;
use lvzhi_domain::time::{Timestamp, to_millis};
use lvzhi_sql::{Connection, Transaction, params};
use lvzhi_store::consult::repo as consult;
use lvzhi_store::duty::repo as duty;
use lvzhi_store::proposal::repo as proposals;

/// A meeting cancelled this close to its start is urgent (a text message where no push reaches).
const URGENT_CANCEL_WITHIN_MS: i64 = 24 * 3600 * 1000;

/// One thing to tell: to `person` (or, `None`, to the entity's audience, resolved later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: PushKind,
    pub entity_id: String,
    pub person: Option<String>,
    pub urgent: bool,
}

/// Records what `kind`, just applied by `actor`, gives anyone to be told; returns how many events.
pub fn record(tx: &Transaction<'_>, actor: &str, kind: &MutationKind, now: Timestamp) -> lvzhi_store::Result<usize> {
    let events = events_of(tx, actor, kind, now)?;
    if events.is_empty() {
        return Ok(0);
    }
    let mut insert = tx.prepare_cached(
        "INSERT INTO push_events (kind, entity_id, person_id, actor_id, urgent, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut written = 0;
    for e in &events {
        if e.person.as_deref() == Some(actor) {
            continue;
        }
        insert.execute(params![e.kind.as_str(), e.entity_id, e.person, actor, i64::from(e.urgent), to_millis(now)])?;
        written += 1;
    }
    Ok(written)
}

/// What `kind` gives whom to be told, read in the transaction that applied it.
fn events_of(c: &Connection, actor: &str, kind: &MutationKind, now: Timestamp) -> lvzhi_store::Result<Vec<Event>> {
    use MutationKind as K;
    let one = |kind: PushKind, id: &str, person: String| Event {
        kind,
        entity_id: id.into(),
        person: Some(person),
        urgent: false,
    };
    Ok(match kind {
        K::PublishNotice { notice_id, content } => {
            vec![Event { kind: PushKind::Notice, entity_id: notice_id.clone(), person: None, urgent: content.urgent }]
        }
        K::CreateMeeting { meeting_id, .. } => duty::attendances_of_meeting(c, meeting_id)?
            .into_iter()
            .filter(|a| a.reply == Reply::Pending)
            .map(|a| one(PushKind::Meeting, meeting_id, a.person_id))
            .collect(),
        K::CancelMeeting { meeting_id, .. } | K::SetMeetingDocument { meeting_id, .. } => {
            let Some(m) = duty::meeting(c, meeting_id)? else { return Ok(Vec::new()) };
            let urgent = m.cancelled && m.starts_at_ms - to_millis(now) < URGENT_CANCEL_WITHIN_MS;
            duty::attendances_of_meeting(c, meeting_id)?
                .into_iter()
                .filter(|a| !matches!(a.reply, Reply::Leave | Reply::Cancelled))
                .map(|a| Event { urgent, ..one(PushKind::MeetingChanged, meeting_id, a.person_id) })
                .collect()
        }
        K::ProposalAction { proposal_id, action, .. } => {
            let Some(p) = proposals::load(c, proposal_id)? else { return Ok(Vec::new()) };
            let proposers = || {
                std::iter::once(p.first_proposer_id.clone()).chain(
                    p.invitations
                        .iter()
                        .filter(|i| i.status == InvitationStatus::Accepted)
                        .map(|i| i.person_id.clone()),
                )
            };
            match action {
                Action::OpenCoSigning => p
                    .invitations
                    .iter()
                    .filter(|i| i.status == InvitationStatus::Pending)
                    .map(|i| one(PushKind::CoSign, proposal_id, i.person_id.clone()))
                    .collect(),
                Action::ApproveReplies { .. } => {
                    proposers().map(|person| one(PushKind::ProposalReply, proposal_id, person)).collect()
                }
                Action::Submit => staff_of(c, &p.org_id)?
                    .into_iter()
                    .map(|person| one(PushKind::StaffWork, &format!("proposal:{proposal_id}"), person))
                    .collect(),
                Action::Assign { .. } | Action::AddUnit { .. } => {
                    let units: Vec<&str> = p.assignments.iter().map(|a| a.unit_id.as_str()).collect();
                    unit_users(c, &units)?
                        .into_iter()
                        .map(|person| one(PushKind::StaffWork, &format!("proposal:{proposal_id}"), person))
                        .collect()
                }
                _ => Vec::new(),
            }
        }
        K::SubmitReport { report_id } => {
            let Some(r) = consult::report(c, report_id)? else { return Ok(Vec::new()) };
            staff_of(c, &r.org_id)?
                .into_iter()
                .map(|person| one(PushKind::StaffWork, &format!("report:{report_id}"), person))
                .collect()
        }
        K::ReportStep { report_id, step } if !matches!(step, StaffStep::Edit { .. }) => {
            let Some(r) = consult::report(c, report_id)? else { return Ok(Vec::new()) };
            r.author_ids.into_iter().map(|person| one(PushKind::ReportFeedback, report_id, person)).collect()
        }
        K::SendMessage { message } => message
            .mentions
            .iter()
            .filter(|p| p.as_str() != actor)
            .map(|person| one(PushKind::Mention, &message.message_id, person.clone()))
            .collect(),
        _ => Vec::new(),
    })
}

/// The proposal staff and administrators of an organisation.
fn staff_of(c: &Connection, org_id: &str) -> lvzhi_store::Result<Vec<String>> {
    let mut staff: Vec<String> = lvzhi_store::org::people_of(c, org_id)?
        .into_iter()
        .filter(|(_, _, r)| r.is_staff())
        .map(|(p, _, _)| p)
        .collect();
    staff.sort();
    staff.dedup();
    Ok(staff)
}

/// The users of these handling units.
fn unit_users(c: &Connection, units: &[&str]) -> lvzhi_store::Result<Vec<String>> {
    let mut stmt = c.prepare_cached("SELECT DISTINCT person_id FROM role_grants WHERE role = ?1 AND unit_id = ?2")?;
    let mut out = Vec::new();
    for unit in units {
        for p in stmt.query_map(params![Role::UnitUser.as_str(), unit], |r| r.get::<_, String>(0))? {
            out.push(p?);
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// A resident's message at a studio (left on its public page, not a mutation): the members on
/// duty that day are told, or, with nobody rostered, every member of the studio.
pub fn record_studio_message(
    tx: &Transaction<'_>,
    studio: &lvzhi_domain::liaison::studio::Studio,
    m: &lvzhi_domain::liaison::studio::StudioMessage,
    now: Timestamp,
) -> lvzhi_store::Result<usize> {
    let on_duty = studio.on_duty(&m.date);
    let people = if on_duty.is_empty() { studio.member_ids.as_slice() } else { on_duty };
    let mut insert = tx.prepare_cached(
        "INSERT INTO push_events (kind, entity_id, person_id, actor_id, urgent, at) VALUES (?1, ?2, ?3, ?4, 0, ?5)",
    )?;
    for p in people {
        insert.execute(params![PushKind::StudioMessage.as_str(), m.id, p, "", to_millis(now)])?;
    }
    Ok(people.len())
}

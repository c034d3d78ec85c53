//! The 联络联系 and 委员工作室 writes, the same on the phone (at once, offline) and on the server
//! (to decide). Each returns the entities it changed, which the server writes to their scopes.
//! A message left at a studio is not a mutation: the server's public page receives it
//! ([`receive_message`]).

use lvzhi_domain::consult::report;
use lvzhi_domain::liaison::contacts::ContactFacts;
use lvzhi_domain::liaison::{LiaisonError, RaiseInto, RaisedFrom, contacts, studio};
use lvzhi_domain::org::{Actor, Role};
use lvzhi_domain::proposal::ProposalContent;
use lvzhi_domain::protocol::{EntityKind, MutationKind};
use lvzhi_domain::time::{Timestamp, to_millis};
use lvzhi_sql::Transaction;

use super::repo;
use crate::changed::Entities;
use crate::error::{Error, Result};
use crate::side::Side;

/// Applies a 联络联系 or 委员工作室 mutation; `None` when `kind` is not one.
pub fn apply(
    tx: &Transaction<'_>,
    actor: &Actor,
    kind: &MutationKind,
    side: Side,
    now: Timestamp,
) -> Result<Option<Entities>> {
    use MutationKind as K;
    let now_ms = to_millis(now);
    let touched = match kind {
        K::SaveContact { contact_id, draft } => {
            let current = repo::contact(tx, contact_id)?;
            let c = contacts::save_contact(actor, current.as_ref(), contact_id, draft, now_ms)?;
            repo::save_contact(tx, &c)?;
            vec![(EntityKind::Contact, c.id)]
        }
        K::RemoveContact { contact_id } => {
            let current = repo::contact(tx, contact_id)?.ok_or(Error::NotFound { what: "联系人" })?;
            let c = contacts::remove_contact(actor, &current, now_ms)?;
            repo::save_contact(tx, &c)?;
            vec![(EntityKind::Contact, c.id)]
        }
        K::LogContact { log_id, draft } => {
            let current = repo::log(tx, log_id)?;
            let register = repo::contacts_of(tx, &actor.person_id)?;
            let l = contacts::log_contact(actor, current.as_ref(), log_id, draft, &register, now_ms)?;
            repo::save_log(tx, &l)?;
            let mut touched = vec![(EntityKind::ContactLog, l.id.clone())];
            // The server derives the member's facts, without names, for their staff.
            if side == Side::Server {
                let facts = contacts::contact_facts(&repo::logs_of(tx, &l.owner_id)?);
                let row = ContactFacts { person_id: l.owner_id.clone(), org_id: l.org_id.clone(), facts };
                repo::save_contact_facts(tx, &row)?;
                touched.push((EntityKind::ContactFacts, l.owner_id));
            }
            touched
        }
        K::RaiseDraft { from, into } => raise(tx, actor, from, into, side, now)?,
        K::SaveStudio { studio_id, draft } => {
            let current = repo::studio(tx, studio_id)?;
            // The server knows the organisation's members; a staff phone takes the draft's word.
            let members = if side == Side::Server {
                crate::org::members_of(tx, &actor.org_id)?.into_iter().map(|(id, _)| id).collect()
            } else {
                draft.member_ids.clone()
            };
            let s = studio::save(actor, current.as_ref(), studio_id, draft, &members, now_ms)?;
            repo::save_studio(tx, &s)?;
            let mut touched = vec![(EntityKind::Studio, s.id.clone())];
            // Its messages follow its members: one who left loses them, one who joined gets them.
            if current.is_some_and(|c| c.member_ids != s.member_ids) {
                let messages = repo::messages_of_studio(tx, &s.id)?;
                touched.extend(messages.into_iter().map(|m| (EntityKind::StudioMessage, m.id)));
            }
            touched
        }
        K::AnswerStudioMessage { message_id, answer } => {
            let m = repo::message(tx, message_id)?.ok_or(Error::NotFound { what: "留言" })?;
            let s = repo::studio(tx, &m.studio_id)?.ok_or(Error::NotFound { what: "委员工作室" })?;
            let m = studio::answer(actor, &s, &m, answer, now_ms)?;
            repo::save_message(tx, &m)?;
            vec![(EntityKind::StudioMessage, m.id)]
        }
        _ => return Ok(None),
    };
    Ok(Some(touched))
}

/// A draft made from a contact or a studio message, in one action, naming where it came from.
fn raise(
    tx: &Transaction<'_>,
    actor: &Actor,
    from: &RaisedFrom,
    into: &RaiseInto,
    side: Side,
    now: Timestamp,
) -> Result<Entities> {
    let mut touched = Vec::new();
    let content = match from {
        RaisedFrom::ContactLog(id) => {
            let l = repo::log(tx, id)?.filter(|l| l.owner_id == actor.person_id);
            contacts::report_draft(&l.ok_or(Error::NotFound { what: "联系记录" })?)?
        }
        RaisedFrom::StudioMessage(id) => {
            let m = repo::message(tx, id)?.ok_or(Error::NotFound { what: "留言" })?;
            let s = repo::studio(tx, &m.studio_id)?.ok_or(Error::NotFound { what: "委员工作室" })?;
            if actor.role != Role::Member || !s.may_answer(actor) {
                return Err(LiaisonError::NotStudioMember.into());
            }
            // One message, one draft: the studio's members share it, they do not each file it.
            // The message says who made it (set by the server, so every member's phone learns
            // it); this phone's own drafts count at once.
            if m.raised_by.is_some() || !repo::drafts_from(tx, &actor.org_id, from)?.is_empty() {
                return Err(LiaisonError::AlreadyRaised.into());
            }
            let content = studio::report_draft(&m, &s);
            if side == Side::Server {
                let m = lvzhi_domain::liaison::studio::StudioMessage { raised_by: Some(actor.person_id.clone()), ..m };
                repo::save_message(tx, &m)?;
                touched.push((EntityKind::StudioMessage, m.id));
            }
            content
        }
    };
    match into {
        RaiseInto::Report { report_id } => {
            if crate::consult::repo::report(tx, report_id)?.is_some() {
                return Err(LiaisonError::DuplicateId.into());
            }
            let mut r = report::create(actor, report_id, &content, &[], None, to_millis(now))?;
            r.source = Some(from.clone());
            crate::consult::repo::save_report(tx, &r)?;
            touched.push((EntityKind::Report, r.id));
            Ok(touched)
        }
        RaiseInto::Proposal { proposal_id, session_id } => {
            let content = ProposalContent {
                title: content.title.replace("的情况反映", "的提案"),
                cause: content.situation,
                suggestions: String::new(),
                category: String::new(),
                attachments: Vec::new(),
            };
            crate::proposal::service::create_draft_from(
                tx,
                actor,
                proposal_id,
                session_id,
                content,
                Some(from.clone()),
                now,
                side,
            )?;
            // Proposals travel as proposals (`Effects::proposals`, from `touches`), not entities.
            Ok(touched)
        }
    }
}

/// A message a resident left on a studio's public page (the server, after the page's checks):
/// stored, and the entity to write to the scopes of the studio's members and staff.
pub fn receive_message(
    tx: &Transaction<'_>,
    studio_id: &str,
    message_id: &str,
    message: studio::PublicMessage,
    photo: Option<lvzhi_domain::files::Attachment>,
    now: Timestamp,
) -> Result<lvzhi_domain::liaison::studio::StudioMessage> {
    let s = repo::studio(tx, studio_id)?.ok_or(Error::NotFound { what: "委员工作室" })?;
    let m = studio::receive(&s, message_id, message, photo, to_millis(now))?;
    repo::save_message(tx, &m)?;
    Ok(m)
}

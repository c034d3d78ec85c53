//! Applying one mutation. The phone runs this when the member acts (and again when it replays
//! pending work on top of the server's state); the server runs it to decide. Same code, same
//! refusals, same reasons.

use lvzhi_domain::org::{Actor, RoleGrant};
use lvzhi_domain::proposal::{Action, lifecycle};
use lvzhi_domain::protocol::{ActingAs, MutationKind};
use lvzhi_domain::time::Timestamp;
use lvzhi_sql::Transaction;

use crate::error::{Error, Result};
use crate::proposal::{repo, service};
pub use crate::side::Side;
use crate::{chat, consult, duty};

/// The actor for `person_id` acting as `acting_as`, if one of `grants` allows it.
pub fn actor_from_grants(person_id: &str, grants: &[RoleGrant], acting_as: &ActingAs) -> Result<Actor> {
    grants
        .iter()
        .find(|g| g.person_id == person_id && g.role == acting_as.role && g.org_id == acting_as.org_id)
        .map(Actor::from)
        .ok_or_else(|| Error::Invalid(format!("您在该组织没有「{}」身份", acting_as.role.label())))
}

/// What one mutation changed: the server writes these to their scopes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Effects {
    pub proposals: Vec<String>,
    /// Every other entity: notices, receipts, meetings, attendance, record entries, rules,
    /// feedback; reports, topics, posts, speech requests, consultations; materials, studies,
    /// reading plans and notes, news.
    pub entities: crate::changed::Entities,
    /// A message as sent, with its place in the group (the server writes it to the group's
    /// scope without reading it back).
    pub sent: Option<lvzhi_domain::chat::ChatMessage>,
    /// Chat groups whose record or member list changed.
    pub groups: Vec<String>,
    /// Messages whose state changed (recalled, deleted); a new one is `sent`.
    pub messages: Vec<String>,
    /// Read markers that moved: (group, person).
    pub read_markers: Vec<(String, String)>,
}

impl Effects {
    /// The chat groups whose timeline or list changed: those named, and the groups of the
    /// messages sent, recalled or deleted and of the read markers moved.
    pub fn chat_groups(&self, c: &lvzhi_sql::Connection) -> Result<Vec<String>> {
        let mut groups: std::collections::BTreeSet<String> = self.groups.iter().cloned().collect();
        groups.extend(self.sent.iter().map(|m| m.group_id.clone()));
        groups.extend(self.read_markers.iter().map(|(g, _)| g.clone()));
        for id in &self.messages {
            groups.extend(chat::repo::message(c, id)?.map(|m| m.group_id));
        }
        Ok(groups.into_iter().collect())
    }

    /// The aggregates the changed entities belong to (a receipt's notice, an attendance's
    /// meeting…), for the phone to rebuild and its live lists to hear about.
    pub fn aggregates(&self) -> Vec<lvzhi_domain::aggregate::Aggregate> {
        let all: std::collections::BTreeSet<_> = self.entities.iter().filter_map(|(k, id)| k.aggregate(id)).collect();
        all.into_iter().collect()
    }
}

/// Applies `kind` by `actor` at `now` inside `tx`; returns what it changed.
pub fn apply(tx: &Transaction<'_>, actor: &Actor, kind: &MutationKind, side: Side, now: Timestamp) -> Result<Effects> {
    if let Some((_, _, files)) = kind.attachments() {
        let max = crate::org::org_settings(tx, &actor.org_id)?.file_max_bytes;
        lvzhi_domain::files::check_attachments(files, max)?;
    }
    if let Some(entities) = duty::service::apply(tx, actor, kind, side, now)? {
        return Ok(Effects { entities, ..Effects::default() });
    }
    if let Some(entities) = consult::service::apply(tx, actor, kind, side, now)? {
        return Ok(Effects { entities, ..Effects::default() });
    }
    if let Some(entities) = crate::study::service::apply(tx, actor, kind, side, now)? {
        return Ok(Effects { entities, ..Effects::default() });
    }
    if let Some(entities) = crate::push::apply(tx, actor, kind)? {
        return Ok(Effects { entities, ..Effects::default() });
    }
    if let Some(entities) = crate::member_file::apply(tx, actor, kind, side, now)? {
        return Ok(Effects { entities, ..Effects::default() });
    }
    if let Some(entities) = crate::liaison::service::apply(tx, actor, kind, side, now)? {
        // A proposal draft made from a contact travels as a proposal.
        return Ok(Effects { entities, proposals: kind.touches(), ..Effects::default() });
    }
    match kind {
        MutationKind::CreateGroup { group_id, name, kind, members } => {
            chat::service::create_group(tx, actor, group_id, name, *kind, members, now)?;
            return Ok(Effects { groups: vec![group_id.clone()], ..Effects::default() });
        }
        MutationKind::SetGroupMembers { group_id, add, remove } => {
            chat::service::set_members(tx, actor, group_id, add, remove)?;
            return Ok(Effects { groups: vec![group_id.clone()], ..Effects::default() });
        }
        MutationKind::LeaveGroup { group_id } => {
            chat::service::leave(tx, actor, group_id)?;
            return Ok(Effects { groups: vec![group_id.clone()], ..Effects::default() });
        }
        MutationKind::SendMessage { message } => {
            let sent = chat::service::send(tx, actor, side, message, now)?;
            return Ok(Effects { sent: Some(sent), ..Effects::default() });
        }
        MutationKind::RecallMessage { message_id } => {
            chat::service::recall(tx, actor, side, message_id, now)?;
            return Ok(Effects { messages: vec![message_id.clone()], ..Effects::default() });
        }
        MutationKind::DeleteMessage { message_id } => {
            chat::service::delete(tx, actor, side, message_id)?;
            return Ok(Effects { messages: vec![message_id.clone()], ..Effects::default() });
        }
        MutationKind::MarkRead { group_id, seq } => {
            chat::service::mark_read(tx, actor, group_id, *seq)?;
            let marker = (group_id.clone(), actor.person_id.clone());
            return Ok(Effects { read_markers: vec![marker], ..Effects::default() });
        }
        MutationKind::CreateProposal { proposal_id, session_id, content } => {
            service::create_draft_in(tx, actor, proposal_id, session_id, content.clone(), now, side)?;
        }
        MutationKind::ProposalAction { proposal_id, action: Action::SaveDraft { content }, base_revision } => {
            let current = service::load_visible(tx, actor, proposal_id)?;
            if *base_revision == current.revision {
                service::act_in(tx, actor, proposal_id, &Action::SaveDraft { content: content.clone() }, now, side)?;
            } else {
                // Another device saved first: keep both texts.
                let outcome = lifecycle::save_conflicting(&current, actor, content.clone(), now)?;
                repo::save_outcome(tx, &outcome, side)?;
            }
        }
        MutationKind::ProposalAction {
            proposal_id, action: action @ Action::RespondConversion { consent }, ..
        } => {
            service::act_in(tx, actor, proposal_id, action, now, side)?;
            if *consent {
                // Consent to 社情民意 makes the linked report, in the same transaction.
                let p = repo::load(tx, proposal_id)?.ok_or(Error::NotFound { what: "提案" })?;
                let entities = consult::service::report_from_proposal(tx, actor, &p, now)?;
                return Ok(Effects { proposals: kind.touches(), entities, ..Effects::default() });
            }
        }
        MutationKind::ProposalAction { proposal_id, action, .. } => {
            service::act_in(tx, actor, proposal_id, action, now, side)?;
        }
        // Every duty mutation was applied above; nothing else reaches here.
        _ => return Err(Error::Invalid("无法识别的操作".into())),
    }
    Ok(Effects { proposals: kind.touches(), ..Effects::default() })
}

/// Runs `f` inside a savepoint: on error everything it wrote is undone, the rest of the
/// transaction stays.
pub fn in_savepoint<T>(tx: &Transaction<'_>, f: impl FnOnce() -> Result<T>) -> Result<T> {
    // Cached statements: parsing these three on every mutation showed in the writer's profile.
    let run = |sql: &str| -> Result<()> {
        tx.prepare_cached(sql)?.execute([])?;
        Ok(())
    };
    run("SAVEPOINT mutation")?;
    match f() {
        Ok(v) => {
            run("RELEASE mutation")?;
            Ok(v)
        }
        Err(e) => {
            run("ROLLBACK TO mutation")?;
            run("RELEASE mutation")?;
            Err(e)
        }
    }
}

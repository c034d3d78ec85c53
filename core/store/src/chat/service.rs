//! The chat rules and writes. The phone runs them at once (a message shows as 发送中 before
//! any network), the server runs them to decide and to put messages in order.

use lvzhi_domain::chat::{self, ChatError, ChatGroup, ChatMessage, GroupKind, Outgoing};
use lvzhi_domain::org::Actor;
use lvzhi_domain::time::{Timestamp, to_millis};
use lvzhi_sql::{Transaction, params};

use super::repo;
use crate::error::{Error, Result};
use crate::org;
use crate::side::Side;

fn group_or_missing(tx: &Transaction<'_>, group_id: &str) -> Result<ChatGroup> {
    repo::group(tx, group_id)?.ok_or(Error::NotFound { what: "学习交流群" })
}

fn member_of(tx: &Transaction<'_>, group_id: &str, person_id: &str) -> Result<ChatGroup> {
    let group = group_or_missing(tx, group_id)?;
    chat::check_member(&group, person_id)?;
    Ok(group)
}

/// The same check as [`member_of`] without reading the member list: sending, recalling and
/// reading happen all day in groups of hundreds of members.
fn check_in_group(tx: &Transaction<'_>, group_id: &str, person_id: &str) -> Result<()> {
    // A member's row means the group exists: one lookup on the usual path, two to say why not.
    if repo::is_member(tx, group_id, person_id)? {
        return Ok(());
    }
    if !repo::group_exists(tx, group_id)? {
        return Err(Error::NotFound { what: "学习交流群" });
    }
    Err(ChatError::NotMember.into())
}

/// Everyone in a group must hold a role in its organisation.
fn check_people(tx: &Transaction<'_>, org_id: &str, people: &[String]) -> Result<()> {
    for p in people {
        if !org::roles_of(tx, p)?.iter().any(|g| g.org_id == org_id) {
            return Err(ChatError::MemberOutsideOrganisation.into());
        }
    }
    Ok(())
}

pub fn create_group(
    tx: &Transaction<'_>,
    actor: &Actor,
    id: &str,
    name: &str,
    kind: GroupKind,
    members: &[String],
    now: Timestamp,
) -> Result<ChatGroup> {
    chat::check_may_manage(actor, &actor.org_id)?;
    let name = chat::check_group_name(name)?;
    if repo::group(tx, id)?.is_some() {
        return Err(ChatError::DuplicateId.into());
    }
    let mut all: Vec<String> = std::iter::once(actor.person_id.clone()).chain(members.iter().cloned()).collect();
    all.sort();
    all.dedup();
    check_people(tx, &actor.org_id, &all)?;
    let group = ChatGroup {
        id: id.into(),
        org_id: actor.org_id.clone(),
        kind,
        name: name.into(),
        created_by: actor.person_id.clone(),
        created_at_ms: to_millis(now),
        members: all,
    };
    repo::save_group(tx, &group)?;
    Ok(group)
}

pub fn set_members(
    tx: &Transaction<'_>,
    actor: &Actor,
    group_id: &str,
    add: &[String],
    remove: &[String],
) -> Result<ChatGroup> {
    let mut group = group_or_missing(tx, group_id)?;
    chat::check_may_manage(actor, &group.org_id)?;
    check_people(tx, &group.org_id, add)?;
    group.members.retain(|m| !remove.contains(m));
    group.members.extend(add.iter().cloned());
    group.members.sort();
    group.members.dedup();
    repo::save_group(tx, &group)?;
    Ok(group)
}

pub fn leave(tx: &Transaction<'_>, actor: &Actor, group_id: &str) -> Result<ChatGroup> {
    let mut group = member_of(tx, group_id, &actor.person_id)?;
    group.members.retain(|m| *m != actor.person_id);
    repo::save_group(tx, &group)?;
    Ok(group)
}

pub fn send(tx: &Transaction<'_>, actor: &Actor, side: Side, out: &Outgoing, now: Timestamp) -> Result<ChatMessage> {
    check_in_group(tx, &out.group_id, &actor.person_id)?;
    let text = chat::check_message(&out.text, !out.attachments.is_empty())?;
    if let Some(existing) = repo::message(tx, &out.message_id)? {
        // The same message again (a retry): nothing new.
        if existing.sender_id == actor.person_id && existing.group_id == out.group_id {
            return Ok(existing);
        }
        return Err(ChatError::DuplicateId.into());
    }
    if let Some(reply_to) = &out.reply_to
        && side == Side::Server
        && repo::message(tx, reply_to)?.is_none_or(|m| m.group_id != out.group_id)
    {
        return Err(ChatError::ReplyElsewhere.into());
    }
    // Only members may be mentioned (one lookup per mention, not the member list); in order, once.
    let mut mentions = Vec::new();
    for m in &out.mentions {
        if repo::is_member(tx, &out.group_id, m)? {
            mentions.push(m.clone());
        }
    }
    mentions.sort();
    mentions.dedup();
    let (seq, sent_at_ms) = match side {
        Side::Server => (Some(repo::next_seq(tx, &out.group_id)?), Some(to_millis(now))),
        Side::Device => (None, None),
    };
    let message = ChatMessage {
        id: out.message_id.clone(),
        group_id: out.group_id.clone(),
        seq,
        sender_id: actor.person_id.clone(),
        text: text.to_string(),
        reply_to: out.reply_to.clone(),
        mentions,
        created_at_ms: to_millis(now),
        sent_at_ms,
        recalled_at_ms: None,
        deleted_by: None,
        attachments: out.attachments.clone(),
    };
    repo::upsert_message(tx, &message, indexing(side))?;
    Ok(message)
}

/// 撤回: the sender, within two minutes of the server's sending time.
/// On the phone the text stays until the server's version arrives, so that a recall the
/// server refuses can be undone ([`undo_local_removal`]).
pub fn recall(
    tx: &Transaction<'_>,
    actor: &Actor,
    side: Side,
    message_id: &str,
    now: Timestamp,
) -> Result<ChatMessage> {
    let mut m = repo::message(tx, message_id)?.ok_or(Error::NotFound { what: "消息" })?;
    check_in_group(tx, &m.group_id, &actor.person_id)?;
    chat::check_recall(&m, &actor.person_id, to_millis(now))?;
    m.recalled_at_ms = Some(to_millis(now));
    if side == Side::Server {
        m.text.clear();
    }
    repo::upsert_message(tx, &m, indexing(side))?;
    Ok(m)
}

/// Deletion by the staff of the group's organisation.
pub fn delete(tx: &Transaction<'_>, actor: &Actor, side: Side, message_id: &str) -> Result<ChatMessage> {
    let mut m = repo::message(tx, message_id)?.ok_or(Error::NotFound { what: "消息" })?;
    let group = group_or_missing(tx, &m.group_id)?;
    chat::check_may_manage(actor, &group.org_id)?;
    chat::check_removable(&m)?;
    m.deleted_by = Some(actor.person_id.clone());
    if side == Side::Server {
        m.text.clear();
    }
    repo::upsert_message(tx, &m, indexing(side))?;
    Ok(m)
}

/// Moves the member's read marker forward (never back).
pub fn mark_read(tx: &Transaction<'_>, actor: &Actor, group_id: &str, seq: u64) -> Result<u64> {
    check_in_group(tx, group_id, &actor.person_id)?;
    tx.prepare_cached(
        "INSERT INTO chat_read_markers (group_id, person_id, seq) VALUES (?1, ?2, ?3)
         ON CONFLICT (group_id, person_id) DO UPDATE SET seq = CASE WHEN excluded.seq > chat_read_markers.seq THEN excluded.seq ELSE chat_read_markers.seq END",
    )?
    .execute(params![group_id, actor.person_id, seq as i64])?;
    repo::read_marker(tx, group_id, &actor.person_id)
}

/// Phones search their chat offline; the server never searches chat.
fn indexing(side: Side) -> repo::Indexing {
    match side {
        Side::Device => repo::Indexing::Searchable,
        Side::Server => repo::Indexing::Unindexed,
    }
}

/// The server refused a recall or deletion made on this phone: show the message again.
pub fn undo_local_removal(tx: &Transaction<'_>, message_id: &str) -> Result<()> {
    // Only a removal made here still has its text; the server's removals arrive without it.
    tx.prepare_cached("UPDATE chat_messages SET recalled_at = NULL, deleted_by = NULL WHERE id = ?1 AND text != ''")?
        .execute([message_id])?;
    Ok(())
}

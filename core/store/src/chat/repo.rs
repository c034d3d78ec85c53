//! Chat storage and reads. The same tables serve the phone (with unsent messages and their
//! outbox entries) and the server.

use lvzhi_sql::{Connection, OptionalExtension, Row, Transaction, params};

use lvzhi_domain::chat::{ChatGroup, ChatMessage, GroupKind};

use super::{GroupSummary, MessageState, TimelineItem};
use crate::error::Result;
use crate::search;

pub fn group(conn: &Connection, id: &str) -> Result<Option<ChatGroup>> {
    let row = conn
        .prepare_cached("SELECT id, org_id, kind, name, created_by, created_at FROM chat_groups WHERE id = ?1")?
        .query_row([id], |r| {
            let kind: String = r.get(2)?;
            Ok(ChatGroup {
                id: r.get(0)?,
                org_id: r.get(1)?,
                kind: GroupKind::parse(&kind).unwrap_or(GroupKind::Topic),
                name: r.get(3)?,
                created_by: r.get(4)?,
                created_at_ms: r.get(5)?,
                members: Vec::new(),
            })
        })
        .optional()?;
    let Some(mut group) = row else { return Ok(None) };
    let mut stmt =
        conn.prepare_cached("SELECT person_id FROM chat_group_members WHERE group_id = ?1 ORDER BY person_id")?;
    group.members = stmt.query_map([id], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?;
    Ok(Some(group))
}

/// An organisation's groups (each with its members), by name: what its staff look after.
pub fn groups_of_org(conn: &Connection, org_id: &str) -> Result<Vec<ChatGroup>> {
    let ids: Vec<String> = conn
        .prepare_cached("SELECT id FROM chat_groups WHERE org_id = ?1 ORDER BY name, id")?
        .query_map([org_id], |r| r.get(0))?
        .collect::<lvzhi_sql::Result<_>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.extend(group(conn, &id)?);
    }
    Ok(out)
}

/// Whether a group exists (without reading its members).
pub fn group_exists(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM chat_groups WHERE id = ?1")?.exists([id])?)
}

/// Whether `person_id` is in the group: one lookup, however large the group.
pub fn is_member(conn: &Connection, group_id: &str, person_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM chat_group_members WHERE group_id = ?1 AND person_id = ?2")?
        .exists(params![group_id, person_id])?)
}

/// Writes a group and replaces its member list.
pub fn save_group(tx: &Transaction<'_>, g: &ChatGroup) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO chat_groups (id, org_id, kind, name, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name",
    )?
    .execute(params![g.id, g.org_id, g.kind.as_str(), g.name, g.created_by, g.created_at_ms])?;
    tx.prepare_cached("DELETE FROM chat_group_members WHERE group_id = ?1")?.execute([&g.id])?;
    let mut insert = tx.prepare_cached("INSERT INTO chat_group_members (group_id, person_id) VALUES (?1, ?2)")?;
    for m in &g.members {
        insert.execute(params![g.id, m])?;
    }
    Ok(())
}

/// The groups a person belongs to.
pub fn groups_of(conn: &Connection, person_id: &str) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT group_id FROM chat_group_members WHERE person_id = ?1 ORDER BY group_id")?;
    Ok(stmt.query_map([person_id], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?)
}

/// On a phone that left a group: the group and everything of it go, except what the member
/// wrote and the server never took (it stays, failed, to be retried or discarded).
pub fn forget_group(tx: &Transaction<'_>, group_id: &str) -> Result<()> {
    tx.execute(
        "DELETE FROM chat_search WHERE rowid IN (SELECT rowid FROM chat_messages WHERE group_id = ?1 AND seq IS NOT NULL)",
        [group_id],
    )?;
    tx.execute("DELETE FROM chat_messages WHERE group_id = ?1 AND seq IS NOT NULL", [group_id])?;
    tx.execute("DELETE FROM chat_read_markers WHERE group_id = ?1", [group_id])?;
    tx.execute("DELETE FROM chat_groups WHERE id = ?1", [group_id])?;
    Ok(())
}

const MESSAGE_COLUMNS: &str = "m.id, m.group_id, m.seq, m.sender_id, m.text, m.reply_to, m.mentions, m.created_at, m.sent_at, m.recalled_at, m.deleted_by, m.attachments";

fn message_from_row(r: &Row<'_>) -> lvzhi_sql::Result<ChatMessage> {
    let mentions: String = r.get(6)?;
    Ok(ChatMessage {
        id: r.get(0)?,
        group_id: r.get(1)?,
        seq: r.get::<_, Option<i64>>(2)?.map(|s| s as u64),
        sender_id: r.get(3)?,
        text: r.get(4)?,
        reply_to: r.get(5)?,
        mentions: serde_json::from_str(&mentions).unwrap_or_default(),
        created_at_ms: r.get(7)?,
        sent_at_ms: r.get(8)?,
        recalled_at_ms: r.get(9)?,
        deleted_by: r.get(10)?,
        attachments: serde_json::from_str(&r.get::<_, String>(11)?).unwrap_or_default(),
    })
}

/// The chat group a mutation changes (a recall or deletion names only its message): what the
/// outbox groups entries by and what the phone's live timelines hear about.
pub fn group_of_mutation(conn: &Connection, kind: &lvzhi_domain::protocol::MutationKind) -> Result<Option<String>> {
    use lvzhi_domain::protocol::MutationKind;
    Ok(match kind {
        MutationKind::RecallMessage { message_id } | MutationKind::DeleteMessage { message_id } => {
            message(conn, message_id)?.map(|m| m.group_id)
        }
        other => other.group().map(str::to_string),
    })
}

pub fn message(conn: &Connection, id: &str) -> Result<Option<ChatMessage>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {MESSAGE_COLUMNS} FROM chat_messages m WHERE m.id = ?1"))?
        .query_row([id], message_from_row)
        .optional()?)
}

/// The next place in a group's order (server only).
pub fn next_seq(tx: &Transaction<'_>, group_id: &str) -> Result<u64> {
    let max: Option<i64> = tx
        .prepare_cached("SELECT max(seq) FROM chat_messages WHERE group_id = ?1")?
        .query_row([group_id], |r| r.get(0))?;
    Ok(max.map_or(1, |m| m as u64 + 1))
}

/// Whether stored messages go into the full-text index: phones search their chat offline; the
/// server never searches chat, and indexing there would only slow every send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indexing {
    Searchable,
    Unindexed,
}

/// Inserts or updates a message by id (the server's version replaces the local echo in place)
/// and keeps the search index in step.
pub fn upsert_message(tx: &Transaction<'_>, m: &ChatMessage, indexing: Indexing) -> Result<()> {
    let mentions = serde_json::to_string(&m.mentions)?;
    let attachments = serde_json::to_string(&m.attachments)?;
    // Most messages are new (a sync brings thousands): one INSERT, no lookup first.
    let inserted = tx
        .prepare_cached(
            "INSERT INTO chat_messages (id, group_id, seq, sender_id, text, reply_to, mentions, created_at, sent_at,
                 recalled_at, deleted_by, attachments, local_order)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,
                 CASE WHEN CAST(?3 AS BIGINT) IS NULL THEN (SELECT coalesce(max(local_order), 0) + 1 FROM chat_messages) END)
             ON CONFLICT (id) DO NOTHING",
        )?
        .execute(params![
            m.id,
            m.group_id,
            m.seq.map(|s| s as i64),
            m.sender_id,
            m.text,
            m.reply_to,
            mentions,
            m.created_at_ms,
            m.sent_at_ms,
            m.recalled_at_ms,
            m.deleted_by,
            attachments
        ])?;
    if inserted == 1 {
        if indexing == Indexing::Searchable {
            search_insert(tx, tx.last_insert_rowid()?, &m.text)?;
        }
        return Ok(());
    }
    // Here already (the server's version of a local echo, a recall, a page sent twice).
    // The indexed text before this write:
    let before: Option<(i64, String)> = match indexing {
        Indexing::Searchable => tx
            .prepare_cached("SELECT rowid, text FROM chat_messages WHERE id = ?1")?
            .query_row([&m.id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?,
        Indexing::Unindexed => None,
    };
    tx.prepare_cached(
        "UPDATE chat_messages SET seq = ?2, text = ?3, mentions = ?4, sent_at = ?5, recalled_at = ?6, deleted_by = ?7,
             attachments = ?8
         WHERE id = ?1",
    )?
    .execute(params![
        m.id,
        m.seq.map(|s| s as i64),
        m.text,
        mentions,
        m.sent_at_ms,
        m.recalled_at_ms,
        m.deleted_by,
        attachments
    ])?;
    // Touch the index only when the text changed: any statement on an FTS5 table that opens a
    // statement savepoint (a DELETE does) makes FTS5 flush its pending terms into a new segment.
    match before {
        Some((rowid, text)) if text != m.text => {
            tx.prepare_cached("DELETE FROM chat_search WHERE rowid = ?1")?.execute([rowid])?;
            search_insert(tx, rowid, &m.text)
        }
        _ => Ok(()),
    }
}

fn search_insert(tx: &Transaction<'_>, rowid: i64, text: &str) -> Result<()> {
    let (bi, uni) = search::index_terms(text);
    tx.prepare_cached("INSERT INTO chat_search (rowid, text_bi, text_uni) VALUES (?1, ?2, ?3)")?
        .execute(params![rowid, bi, uni])?;
    Ok(())
}

/// Links an unsent message to the outbox entry that carries it.
pub fn set_outbox(tx: &Transaction<'_>, message_id: &str, outbox_id: u64) -> Result<()> {
    tx.prepare_cached("UPDATE chat_messages SET outbox_id = ?2 WHERE id = ?1")?
        .execute(params![message_id, outbox_id as i64])?;
    Ok(())
}

pub fn forget_message(tx: &Transaction<'_>, id: &str) -> Result<()> {
    tx.execute("DELETE FROM chat_search WHERE rowid = (SELECT rowid FROM chat_messages WHERE id = ?1)", [id])?;
    tx.execute("DELETE FROM chat_messages WHERE id = ?1", [id])?;
    Ok(())
}

pub fn read_marker(conn: &Connection, group_id: &str, person_id: &str) -> Result<u64> {
    let seq: Option<i64> = conn
        .prepare_cached("SELECT seq FROM chat_read_markers WHERE group_id = ?1 AND person_id = ?2")?
        .query_row(params![group_id, person_id], |r| r.get(0))
        .optional()?;
    Ok(seq.unwrap_or(0) as u64)
}

/// A read marker from another device of the same member (only ever moves forward).
pub fn merge_read_marker(tx: &Transaction<'_>, group_id: &str, person_id: &str, seq: u64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO chat_read_markers (group_id, person_id, seq) VALUES (?1, ?2, ?3)
         ON CONFLICT (group_id, person_id) DO UPDATE SET seq = CASE WHEN excluded.seq > chat_read_markers.seq THEN excluded.seq ELSE chat_read_markers.seq END",
    )?
    .execute(params![group_id, person_id, seq as i64])?;
    Ok(())
}

const ITEM_QUERY: &str = "SELECT m.id, m.group_id, m.seq, m.sender_id, m.text, m.reply_to, m.mentions, m.created_at,
        m.sent_at, m.recalled_at, m.deleted_by, m.attachments, coalesce(p.name, m.sender_id), m.outbox_id, o.status, o.reason
    FROM chat_messages m LEFT JOIN people p ON p.id = m.sender_id LEFT JOIN outbox o ON o.id = m.outbox_id";

fn item_from_row(r: &Row<'_>) -> lvzhi_sql::Result<TimelineItem> {
    let m = message_from_row(r)?;
    let sender_name: String = r.get(12)?;
    let outbox_id: Option<i64> = r.get(13)?;
    let status: Option<String> = r.get(14)?;
    let reason: Option<String> = r.get(15)?;
    let state = match (m.seq, status.as_deref()) {
        (Some(_), _) => MessageState::Sent,
        (None, Some("rejected")) => MessageState::Failed { reason: reason.unwrap_or_default() },
        (None, _) => MessageState::Sending,
    };
    let recalled = m.recalled_at_ms.is_some();
    let deleted = m.deleted_by.is_some();
    let text = if recalled {
        format!("{sender_name}撤回了一条消息")
    } else if deleted {
        "该消息已被管理员删除".to_string()
    } else {
        m.text
    };
    Ok(TimelineItem {
        id: m.id,
        group_id: m.group_id,
        seq: m.seq,
        sender_id: m.sender_id,
        sender_name,
        text,
        reply_to: m.reply_to,
        mentions: m.mentions,
        created_at_ms: m.created_at_ms,
        sent_at_ms: m.sent_at_ms,
        recalled,
        deleted,
        state,
        outbox_id: outbox_id.map(|i| i as u64),
        attachments: if recalled || deleted { Vec::new() } else { m.attachments },
    })
}

/// The newest `limit` sent messages in the server's order, then this phone's unsent ones in
/// the order they were written.
pub fn timeline(conn: &Connection, group_id: &str, limit: u32) -> Result<Vec<TimelineItem>> {
    let mut sent = conn.prepare_cached(&format!(
        "SELECT * FROM ({ITEM_QUERY} WHERE m.group_id = ?1 AND m.seq IS NOT NULL ORDER BY m.seq DESC LIMIT ?2)
         ORDER BY seq"
    ))?;
    let mut items: Vec<TimelineItem> =
        sent.query_map(params![group_id, limit], item_from_row)?.collect::<lvzhi_sql::Result<_>>()?;
    let mut unsent =
        conn.prepare_cached(&format!("{ITEM_QUERY} WHERE m.group_id = ?1 AND m.seq IS NULL ORDER BY m.local_order"))?;
    items.extend(unsent.query_map([group_id], item_from_row)?.collect::<lvzhi_sql::Result<Vec<_>>>()?);
    Ok(items)
}

/// Up to `limit` sent messages before `before_seq`, oldest first (paging back).
pub fn before(conn: &Connection, group_id: &str, before_seq: u64, limit: u32) -> Result<Vec<TimelineItem>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT * FROM ({ITEM_QUERY} WHERE m.group_id = ?1 AND m.seq < ?2 ORDER BY m.seq DESC LIMIT ?3) ORDER BY seq"
    ))?;
    Ok(stmt.query_map(params![group_id, before_seq as i64, limit], item_from_row)?.collect::<lvzhi_sql::Result<_>>()?)
}

/// Messages as stored, before `before_seq` (the server's history endpoint).
pub fn messages_before(conn: &Connection, group_id: &str, before_seq: u64, limit: u32) -> Result<Vec<ChatMessage>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM chat_messages m WHERE m.group_id = ?1 AND m.seq < ?2 ORDER BY m.seq DESC LIMIT ?3"
    ))?;
    Ok(stmt
        .query_map(params![group_id, before_seq as i64, limit], message_from_row)?
        .collect::<lvzhi_sql::Result<_>>()?)
}

/// The member's groups with unread and @mention counts, busiest first.
pub fn summaries(conn: &Connection, person_id: &str) -> Result<Vec<GroupSummary>> {
    let mut out = Vec::new();
    for group_id in groups_of(conn, person_id)? {
        let Some(group) = group(conn, &group_id)? else { continue };
        let read_seq = read_marker(conn, &group_id, person_id)?;
        let (unread, mentions, last): (u32, u32, Option<i64>) = conn
            .prepare_cached(
                "SELECT
                   count(*) FILTER (WHERE seq > ?3 AND sender_id != ?2 AND recalled_at IS NULL AND deleted_by IS NULL),
                   count(*) FILTER (WHERE seq > ?3 AND sender_id != ?2 AND recalled_at IS NULL AND deleted_by IS NULL
                                    AND EXISTS (SELECT 1 FROM json_each(mentions) WHERE value = ?2)),
                   max(seq)
                 FROM chat_messages WHERE group_id = ?1",
            )?
            .query_row(params![group_id, person_id, read_seq as i64], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        out.push(GroupSummary { group, unread, unread_mentions: mentions, last_seq: last.map(|s| s as u64), read_seq });
    }
    out.sort_by_key(|s| std::cmp::Reverse(s.last_seq));
    Ok(out)
}

/// Chinese full-text search over the messages of the member's groups, newest first.
#[cfg(feature = "device")]
pub fn search(conn: &Connection, person_id: &str, query: &str, limit: u32) -> Result<Vec<TimelineItem>> {
    let Some(expr) = search::match_expression(query, &["text_bi"], &["text_uni"]) else {
        return Ok(Vec::new());
    };
    // Newest first by storage order, which FTS5 walks backwards and stops early: a one-character
    // query matching thousands of messages does not rank them all. A few candidates beyond the
    // limit cover hits in groups the member left or messages since recalled.
    let mut stmt = conn.prepare_cached(&format!(
        "{ITEM_QUERY} WHERE m.rowid IN (
               SELECT rowid FROM chat_search WHERE chat_search MATCH ?1 ORDER BY rowid DESC LIMIT ?4)
           AND m.group_id IN (SELECT group_id FROM chat_group_members WHERE person_id = ?2)
           AND m.recalled_at IS NULL AND m.deleted_by IS NULL
         ORDER BY m.rowid DESC LIMIT ?3"
    ))?;
    let candidates = limit.saturating_mul(4).max(100);
    Ok(stmt.query_map(params![expr, person_id, limit, candidates], item_from_row)?.collect::<lvzhi_sql::Result<_>>()?)
}

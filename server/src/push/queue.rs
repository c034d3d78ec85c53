//! The durable way from an event to a push on a device, in three steps, each one transaction:
//!
//! 1. **gather**: events (written with the change that caused them) become each person's items
//!    (`push_items`); a notice's audience is resolved here, outside the publishing transaction.
//! 2. **form**: once a person's oldest item is older than the coalescing window, all their
//!    items become one push per device (`push_sends`): what they switched off, what they have
//!    already done (read, answered) and what comes in their quiet hours (it waits) are left out.
//!    An urgent item for someone no push reaches becomes a text message.
//! 3. **claim** and **finish**: a sender claims due sends for a lease, hands them to the
//!    vendors, and records what became of each. A crash between any two steps leaves the rows
//!    where they were: nothing is lost, and a claimed send whose process died is claimed again
//!    when its lease runs out.
//!
//! On PostgreSQL several server processes share the queue: gathering and forming take an
//! advisory lock (one process at a time; the others skip), and claims skip rows another process
//! holds (`FOR UPDATE SKIP LOCKED`), so no push is handed to a vendor twice.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use lvzhi_domain::duty::meeting::Reply;
use lvzhi_domain::duty::notice::NoticeStatus;
use lvzhi_domain::proposal::InvitationStatus;
use lvzhi_domain::push::{self, PushKind};
use lvzhi_domain::time::{Timestamp, to_millis};
use lvzhi_sql::{Connection, Dialect, OptionalExtension, Transaction, params};
use lvzhi_store::duty::{audience, repo as duty};
use lvzhi_store::proposal::repo as proposals;

use super::devices;

/// The advisory lock under which one process at a time gathers and forms ("lvzhpush").
pub const GATHER_LOCK: i64 = 7815568792372507496;
/// Events gathered in one transaction.
const GATHER_BATCH: i64 = 200;
/// People whose pushes are formed in one transaction.
const FORM_BATCH: i64 = 2_000;
/// How long a claimed send is this process's before another may take it.
pub const LEASE: Duration = Duration::from_secs(120);
/// Attempts before a send is given up.
pub const MAX_ATTEMPTS: i64 = 10;
/// Finished sends are kept this long (for the console and for tests), then deleted.
pub const KEEP_FINISHED: chrono::Duration = chrono::Duration::days(14);

/// The channels a send can go through now: the vendors configured, and SMS if it is.
#[derive(Debug, Clone, Default)]
pub struct Channels {
    pub vendors: BTreeSet<String>,
    pub sms: bool,
    pub coalesce: Duration,
}

/// A row of `push_events`.
struct StoredEvent {
    id: i64,
    kind: String,
    entity_id: String,
    person: Option<String>,
    actor: String,
    urgent: i64,
    at: i64,
}

/// Takes the gather lock on PostgreSQL; false when another process holds it.
fn gather_turn(tx: &Transaction<'_>) -> lvzhi_store::Result<bool> {
    if tx.dialect() != Dialect::Postgres {
        return Ok(true);
    }
    Ok(tx.query_row("SELECT pg_try_advisory_xact_lock(?1)", [GATHER_LOCK], |r| r.get::<_, bool>(0))?)
}

/// Step 1: turns up to a batch of events into people's items; returns how many events.
pub fn gather(tx: &Transaction<'_>) -> lvzhi_store::Result<usize> {
    if !gather_turn(tx)? {
        return Ok(0);
    }
    let events: Vec<StoredEvent> = {
        let mut stmt = tx.prepare_cached(
            "SELECT id, kind, entity_id, person_id, actor_id, urgent, at FROM push_events ORDER BY id LIMIT ?1",
        )?;
        let rows = stmt.query_map([GATHER_BATCH], |r| {
            Ok(StoredEvent {
                id: r.get(0)?,
                kind: r.get(1)?,
                entity_id: r.get(2)?,
                person: r.get(3)?,
                actor: r.get(4)?,
                urgent: r.get(5)?,
                at: r.get(6)?,
            })
        })?;
        rows.collect::<lvzhi_sql::Result<_>>()?
    };
    // An item raised again (a notice corrected and published anew) stays one item; it only
    // grows urgent.
    let mut insert = tx.prepare_cached(
        "INSERT INTO push_items (person_id, kind, entity_id, urgent, since, due) VALUES (?1, ?2, ?3, ?4, ?5, ?5)
         ON CONFLICT (person_id, kind, entity_id) DO UPDATE SET urgent = excluded.urgent
         WHERE push_items.urgent < excluded.urgent",
    )?;
    for e in &events {
        let people = match &e.person {
            Some(p) => vec![p.clone()],
            None => audience_of(tx, &e.kind, &e.entity_id)?,
        };
        for p in people.iter().filter(|p| **p != e.actor) {
            insert.execute(params![p, e.kind, e.entity_id, e.urgent, e.at])?;
        }
    }
    if let Some(last) = events.last() {
        tx.prepare_cached("DELETE FROM push_events WHERE id <= ?1")?.execute([last.id])?;
    }
    Ok(events.len())
}

/// The people an event without a named person reaches: a notice's audience, as its receipts
/// and scopes resolve it (`lvzhi_store::duty::audience`).
fn audience_of(c: &Connection, kind: &str, entity_id: &str) -> lvzhi_store::Result<Vec<String>> {
    match PushKind::parse(kind) {
        Some(PushKind::Notice) => {
            let Some(n) = duty::notice(c, entity_id)? else { return Ok(Vec::new()) };
            Ok(audience::recipients(c, &n)?.into_iter().map(|r| r.person_id).collect())
        }
        _ => Ok(Vec::new()),
    }
}

/// What step 2 made.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Formed {
    pub people: usize,
    pub sends: usize,
    /// People whose items wait for the end of their quiet hours.
    pub deferred: usize,
}

/// Step 2: one push per device for each person whose items are ready.
pub fn form(tx: &Transaction<'_>, channels: &Channels, now: Timestamp) -> lvzhi_store::Result<Formed> {
    let mut formed = Formed::default();
    if !gather_turn(tx)? {
        return Ok(formed);
    }
    let ready_before = to_millis(now) - channels.coalesce.as_millis() as i64;
    let people: Vec<String> = {
        let mut stmt = tx.prepare_cached(
            "SELECT person_id FROM push_items GROUP BY person_id
             HAVING min(since) <= ?1 AND min(due) <= ?2 ORDER BY min(since) LIMIT ?3",
        )?;
        let rows = stmt.query_map(params![ready_before, to_millis(now), FORM_BATCH], |r| r.get(0))?;
        rows.collect::<lvzhi_sql::Result<_>>()?
    };
    for person in &people {
        formed.people += 1;
        let items: Vec<(String, String, bool)> = {
            let mut stmt = tx.prepare_cached("SELECT kind, entity_id, urgent FROM push_items WHERE person_id = ?1")?;
            let rows = stmt.query_map([person], |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? != 0)))?;
            rows.collect::<lvzhi_sql::Result<_>>()?
        };
        let settings = lvzhi_store::push::settings(tx, person)?;
        let mut counts: BTreeMap<PushKind, u32> = BTreeMap::new();
        let mut urgent = false;
        let mut kept = Vec::new();
        for (kind, entity_id, is_urgent) in &items {
            let Some(kind) = PushKind::parse(kind) else { continue };
            if settings.allows(kind) && still_open(tx, person, kind, entity_id)? {
                *counts.entry(kind).or_default() += 1;
                urgent |= is_urgent;
                kept.push((kind, entity_id.as_str()));
            }
        }
        if !counts.is_empty() {
            let may_go = settings.outside_quiet_hours(now);
            if may_go > now {
                tx.prepare_cached("UPDATE push_items SET due = ?2 WHERE person_id = ?1")?
                    .execute(params![person, to_millis(may_go)])?;
                formed.deferred += 1;
                continue;
            }
            let title = match kept.as_slice() {
                [(PushKind::Notice, id)] => title_allowed(tx, id)?,
                _ => None,
            };
            formed.sends += make_sends(tx, channels, person, &counts, title, urgent, now)?;
        }
        tx.prepare_cached("DELETE FROM push_items WHERE person_id = ?1")?.execute([person])?;
    }
    Ok(formed)
}

/// The sends of one person's push: one per device reached through a configured vendor; with
/// none, and something urgent, one text message to their number.
fn make_sends(
    tx: &Transaction<'_>,
    channels: &Channels,
    person: &str,
    counts: &BTreeMap<PushKind, u32>,
    title: Option<String>,
    urgent: bool,
    now: Timestamp,
) -> lvzhi_store::Result<usize> {
    let mut text = push::summary(counts);
    if let Some(title) = title {
        text.body = title;
    }
    let kind = match counts.keys().collect::<Vec<_>>().as_slice() {
        [one] => one.as_str(),
        _ => "mixed",
    };
    // Random, not derived from the person: the vendors see it.
    let collapse_id = format!("lvzhi-{}", crate::auth::random_hex(8));
    let mut insert = tx.prepare_cached(
        "INSERT INTO push_sends (person_id, channel, client_id, address, kind, title, body, count, collapse_id,
             created_at, next_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
    )?;
    let mut made = 0;
    for (client, vendor, token) in devices::of_person(tx, person)? {
        if !channels.vendors.contains(&vendor) {
            continue;
        }
        insert.execute(params![
            person,
            vendor,
            Some(client),
            token,
            kind,
            text.title,
            text.body,
            i64::from(text.count),
            collapse_id,
            to_millis(now)
        ])?;
        made += 1;
    }
    if made == 0 && urgent && channels.sms {
        let phone: Option<String> = tx
            .prepare_cached("SELECT phone FROM sms_numbers WHERE person_id = ?1")?
            .query_row([person], |r| r.get(0))
            .optional()?;
        if let Some(phone) = phone {
            let body = format!("紧急：{}，请打开“履职”查看", text.body);
            insert.execute(params![
                person,
                "sms",
                None::<String>,
                phone,
                kind,
                text.title,
                body,
                i64::from(text.count),
                collapse_id,
                to_millis(now)
            ])?;
            made += 1;
        }
    }
    Ok(made)
}

/// The title of a notice whose organisation allows titles in pushes (`OrgSettings::push_titles`),
/// cut to what a notification shows.
fn title_allowed(c: &Connection, notice_id: &str) -> lvzhi_store::Result<Option<String>> {
    let Some(n) = duty::notice(c, notice_id)? else { return Ok(None) };
    if !lvzhi_store::org::org_settings(c, &n.org_id)?.push_titles {
        return Ok(None);
    }
    let title: String = n.content.title.chars().take(TITLE_CHARS).collect();
    Ok(Some(if n.content.title.chars().count() > TITLE_CHARS { format!("{title}…") } else { title }))
}

/// The longest title a push carries (the rest of it is on the phone).
const TITLE_CHARS: usize = 40;

/// Whether an item still asks something of the person: a notice they have not read, a meeting
/// invitation not answered, a co-signing invitation still open, a reply not yet rated, a
/// studio message not yet answered.
fn still_open(c: &Connection, person: &str, kind: PushKind, entity_id: &str) -> lvzhi_store::Result<bool> {
    Ok(match kind {
        PushKind::Notice => {
            let Some(n) = duty::notice(c, entity_id)? else { return Ok(false) };
            n.status == NoticeStatus::Published
                && duty::receipt(c, entity_id, person)?.is_none_or(|r| r.read_at_ms.is_none())
        }
        PushKind::Meeting => duty::attendance(c, entity_id, person)?.is_some_and(|a| a.reply == Reply::Pending),
        PushKind::CoSign => proposals::load(c, entity_id)?.is_some_and(|p| {
            p.invitations.iter().any(|i| i.person_id == person && i.status == InvitationStatus::Pending)
        }),
        PushKind::ProposalReply | PushKind::ProposalRating => {
            proposals::load(c, entity_id)?.is_some_and(|p| !p.evaluations.iter().any(|e| e.person_id == person))
        }
        PushKind::StudioMessage => {
            lvzhi_store::liaison::repo::message(c, entity_id)?.is_some_and(|m| m.answer.is_none())
        }
        _ => true,
    })
}

/// One send as a sender holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub id: i64,
    pub person_id: String,
    pub channel: String,
    pub address: String,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub count: u32,
    pub collapse_id: String,
    pub attempts: i64,
}

/// Step 3: claims up to `limit` due sends for `process` until the lease runs out.
pub fn claim(tx: &Transaction<'_>, process: &str, now: Timestamp, limit: usize) -> lvzhi_store::Result<Vec<Claimed>> {
    let skip_locked = if tx.dialect() == Dialect::Postgres { "FOR UPDATE SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE push_sends SET claimed_by = ?1, claimed_until = ?2, attempts = attempts + 1
         WHERE id IN (SELECT id FROM push_sends
                      WHERE state = 'pending' AND next_at <= ?3 AND (claimed_until IS NULL OR claimed_until < ?3)
                      ORDER BY next_at, id LIMIT ?4 {skip_locked})
         RETURNING id, person_id, channel, address, kind, title, body, count, collapse_id, attempts"
    );
    let until = to_millis(now) + LEASE.as_millis() as i64;
    let mut stmt = tx.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![process, until, to_millis(now), limit as i64], |r| {
        Ok(Claimed {
            id: r.get(0)?,
            person_id: r.get(1)?,
            channel: r.get(2)?,
            address: r.get(3)?,
            kind: r.get(4)?,
            title: r.get(5)?,
            body: r.get(6)?,
            count: r.get::<_, i64>(7)? as u32,
            collapse_id: r.get(8)?,
            attempts: r.get(9)?,
        })
    })?;
    let mut out: Vec<Claimed> = rows.collect::<lvzhi_sql::Result<_>>()?;
    out.sort_by_key(|c| c.id);
    Ok(out)
}

/// What became of a claimed send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// The token (or number) is dead: its device leaves `push_devices`.
    Invalid(String),
    Retry {
        after: Duration,
        reason: String,
    },
    Failed(String),
}

/// Records outcomes of sends `process` claimed (a send whose lease another process took over is
/// left to it).
pub fn finish(
    tx: &Transaction<'_>,
    process: &str,
    now: Timestamp,
    done: &[(Claimed, Outcome)],
) -> lvzhi_store::Result<()> {
    let at = to_millis(now);
    for (send, outcome) in done {
        let (state, next_at, error) = match outcome {
            Outcome::Sent => ("sent", None, None),
            Outcome::Invalid(reason) => {
                if send.channel != "sms" {
                    devices::forget_token(tx, &send.channel, &send.address)?;
                }
                ("invalid", None, Some(reason.as_str()))
            }
            Outcome::Retry { reason, .. } if send.attempts >= MAX_ATTEMPTS => ("failed", None, Some(reason.as_str())),
            Outcome::Retry { after, reason } => {
                // The vendor's wait, and at least an exponential backoff: 2 s, 4 s, … 10 min.
                let backoff = Duration::from_secs(1 << send.attempts.clamp(1, 9)).min(Duration::from_secs(600));
                ("pending", Some(at + (*after).max(backoff).as_millis() as i64), Some(reason.as_str()))
            }
            Outcome::Failed(reason) => ("failed", None, Some(reason.as_str())),
        };
        tx.prepare_cached(
            "UPDATE push_sends SET state = ?3, next_at = coalesce(?4, next_at), error = ?5,
                 done_at = CASE WHEN ?3 = 'pending' THEN NULL ELSE CAST(?6 AS BIGINT) END,
                 claimed_by = NULL, claimed_until = NULL
             WHERE id = ?1 AND claimed_by = ?2",
        )?
        .execute(params![send.id, process, state, next_at, error, at])?;
    }
    Ok(())
}

/// Deletes finished sends older than [`KEEP_FINISHED`].
pub fn prune(tx: &Transaction<'_>, now: Timestamp) -> lvzhi_store::Result<usize> {
    Ok(tx
        .prepare_cached("DELETE FROM push_sends WHERE state <> 'pending' AND done_at < ?1")?
        .execute([to_millis(now - KEEP_FINISHED)])?)
}

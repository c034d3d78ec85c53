//! Storage of proposals: the aggregate's snapshot, its revisions, its history chain, the
//! parties index and (on phones) the search index, all written in the caller's transaction.

use lvzhi_sql::{Connection, OptionalExtension, Transaction, params};

use lvzhi_domain::proposal::history::StoredEntry;
use lvzhi_domain::proposal::{Outcome, Proposal, ProposalContent, ProposalState, Revision};
use lvzhi_domain::protocol::{HistoryRow, ProposalBundle};
use lvzhi_domain::time::{from_millis, to_millis};

use crate::error::{Error, Result};
use crate::search;
use crate::side::Side;

/// A line in a list of proposals.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProposalSummary {
    pub id: String,
    pub title: String,
    pub state: ProposalState,
    pub first_proposer_id: String,
    pub revision: u32,
    pub updated_at_ms: i64,
}

/// Stores everything an accepted action produced. The snapshot, the revisions, the history
/// entry and the indexes commit together or not at all. Only phones keep a search index.
pub fn save_outcome(tx: &Transaction<'_>, outcome: &Outcome, side: Side) -> Result<()> {
    let p = &outcome.proposal;
    upsert_row(tx, p)?;
    for rev in &outcome.revisions {
        insert_revision(tx, rev)?;
    }
    if !outcome.revisions.is_empty() && side == Side::Device {
        reindex(tx, p)?;
    }
    if let Some(entry) = &outcome.entry {
        append_history(
            tx,
            &entry.entry.proposal_id,
            entry.entry.seq,
            &entry.canonical,
            &entry.entry.prev_hash,
            &entry.hash,
        )?;
    }
    save_parties(tx, p)?;
    Ok(())
}

fn upsert_row(tx: &Transaction<'_>, p: &Proposal) -> Result<()> {
    let snapshot = serde_json::to_string(p)?;
    tx.prepare_cached(
        "INSERT INTO proposals (id, org_id, session_id, state, title, first_proposer_id, revision, created_at, updated_at, snapshot)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, title = excluded.title, revision = excluded.revision,
             updated_at = excluded.updated_at, snapshot = excluded.snapshot",
    )?
    .execute(params![
        p.id,
        p.org_id,
        p.session_id,
        p.state.as_str(),
        p.content.title,
        p.first_proposer_id,
        p.revision,
        to_millis(p.created_at),
        to_millis(p.updated_at),
        snapshot
    ])?;
    Ok(())
}

fn reindex(tx: &Transaction<'_>, p: &Proposal) -> Result<()> {
    let rowid: i64 =
        tx.prepare_cached("SELECT rowid FROM proposals WHERE id = ?1")?.query_row([&p.id], |r| r.get(0))?;
    search::index_proposal(tx, rowid, &p.content.title, &body_text(p))
}

/// What a proposal's body is searched by.
fn body_text(p: &Proposal) -> String {
    format!("{}\n{}", p.content.cause, p.content.suggestions)
}

/// A proposal with everything that travels with it.
pub fn read_bundle(conn: &Connection, id: &str) -> Result<Option<ProposalBundle>> {
    let Some(proposal) = load(conn, id)? else {
        return Ok(None);
    };
    let history = history_rows(conn, id)?
        .into_iter()
        .map(|r| HistoryRow { seq: r.seq, entry: r.canonical, prev_hash: r.prev_hash, hash: r.hash })
        .collect();
    Ok(Some(ProposalBundle { proposal, history, revisions: revisions(conn, id)? }))
}

/// Replaces whatever the device has of this proposal with `bundle` (the server's version).
/// Device databases only.
pub fn install_bundle(tx: &Transaction<'_>, bundle: &ProposalBundle) -> Result<()> {
    let p = &bundle.proposal;
    purge(tx, &p.id)?;
    upsert_row(tx, p)?;
    // Purged just now: the row is new, and so is its index entry.
    let rowid = tx.last_insert_rowid()?;
    for rev in &bundle.revisions {
        insert_revision(tx, rev)?;
    }
    for h in &bundle.history {
        append_history(tx, &p.id, h.seq, &h.entry, &h.prev_hash, &h.hash)?;
    }
    search::index_new_proposal(tx, rowid, &p.content.title, &body_text(p))?;
    insert_parties(tx, p)
}

/// Removes a proposal and everything of it from this device. Device databases only: the
/// server's history is strictly append-only and has no purge table.
pub fn purge(tx: &Transaction<'_>, id: &str) -> Result<()> {
    let rowid: Option<i64> =
        tx.prepare_cached("SELECT rowid FROM proposals WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?;
    let Some(rowid) = rowid else {
        return Ok(());
    };
    for sql in [
        "INSERT INTO proposal_purges (proposal_id) VALUES (?1) ON CONFLICT DO NOTHING",
        "DELETE FROM proposal_history WHERE proposal_id = ?1",
        "DELETE FROM proposal_revisions WHERE proposal_id = ?1",
        "DELETE FROM proposal_parties WHERE proposal_id = ?1",
    ] {
        tx.prepare_cached(sql)?.execute([id])?;
    }
    tx.prepare_cached("DELETE FROM proposal_search WHERE rowid = ?1")?.execute([rowid])?;
    tx.prepare_cached("DELETE FROM proposals WHERE id = ?1")?.execute([id])?;
    tx.prepare_cached("DELETE FROM proposal_purges WHERE proposal_id = ?1")?.execute([id])?;
    Ok(())
}

fn insert_revision(tx: &Transaction<'_>, rev: &Revision) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO proposal_revisions
             (proposal_id, number, title, cause, suggestions, category, author_id, saved_at, restored_from, conflict, device_id,
              attachments)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        rev.proposal_id,
        rev.number,
        rev.content.title,
        rev.content.cause,
        rev.content.suggestions,
        rev.content.category,
        rev.author_id,
        to_millis(rev.saved_at),
        rev.restored_from,
        rev.conflict,
        rev.device_id,
        serde_json::to_string(&rev.content.attachments)?
    ])?;
    Ok(())
}

fn append_history(tx: &Transaction<'_>, id: &str, seq: u32, entry: &str, prev_hash: &str, hash: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO proposal_history (proposal_id, seq, entry, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![id, seq, entry, prev_hash, hash])?;
    Ok(())
}

/// Keeps the parties index equal to the proposal's proposers, invitees and units.
fn save_parties(tx: &Transaction<'_>, p: &Proposal) -> Result<()> {
    tx.prepare_cached("DELETE FROM proposal_parties WHERE proposal_id = ?1")?.execute([&p.id])?;
    insert_parties(tx, p)
}

/// The parties of a proposal that has none stored yet.
fn insert_parties(tx: &Transaction<'_>, p: &Proposal) -> Result<()> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO proposal_parties (proposal_id, party_id, kind) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
    )?;
    insert.execute(params![p.id, p.first_proposer_id, "proposer"])?;
    for inv in &p.invitations {
        insert.execute(params![p.id, inv.person_id, "invitee"])?;
    }
    for a in &p.assignments {
        insert.execute(params![p.id, a.unit_id, "unit"])?;
    }
    Ok(())
}

pub fn load(conn: &Connection, id: &str) -> Result<Option<Proposal>> {
    let snapshot: Option<String> = conn
        .prepare_cached("SELECT snapshot FROM proposals WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    snapshot.map(|s| serde_json::from_str(&s).map_err(Error::from)).transpose()
}

pub fn revisions(conn: &Connection, proposal_id: &str) -> Result<Vec<Revision>> {
    let mut stmt = conn.prepare_cached(
        "SELECT proposal_id, number, title, cause, suggestions, category, author_id, saved_at, restored_from, conflict, device_id,
             attachments
         FROM proposal_revisions WHERE proposal_id = ?1 ORDER BY number",
    )?;
    let rows = stmt.query_map([proposal_id], revision_from_row)?;
    Ok(rows.collect::<lvzhi_sql::Result<_>>()?)
}

pub fn revision(conn: &Connection, proposal_id: &str, number: u32) -> Result<Option<Revision>> {
    Ok(conn
        .prepare_cached(
            "SELECT proposal_id, number, title, cause, suggestions, category, author_id, saved_at, restored_from, conflict, device_id,
                 attachments
             FROM proposal_revisions WHERE proposal_id = ?1 AND number = ?2",
        )?
        .query_row(params![proposal_id, number], revision_from_row)
        .optional()?)
}

fn revision_from_row(r: &lvzhi_sql::Row<'_>) -> lvzhi_sql::Result<Revision> {
    Ok(Revision {
        proposal_id: r.get(0)?,
        number: r.get(1)?,
        content: ProposalContent {
            title: r.get(2)?,
            cause: r.get(3)?,
            suggestions: r.get(4)?,
            category: r.get(5)?,
            attachments: serde_json::from_str(&r.get::<_, String>(11)?).unwrap_or_default(),
        },
        author_id: r.get(6)?,
        saved_at: from_millis(r.get(7)?),
        restored_from: r.get(8)?,
        conflict: r.get(9)?,
        device_id: r.get(10)?,
    })
}

/// The stored history rows, oldest first, not yet verified.
pub fn history_rows(conn: &Connection, proposal_id: &str) -> Result<Vec<StoredEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, entry, prev_hash, hash FROM proposal_history WHERE proposal_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([proposal_id], |r| {
        Ok(StoredEntry { seq: r.get(0)?, canonical: r.get(1)?, prev_hash: r.get(2)?, hash: r.get(3)? })
    })?;
    Ok(rows.collect::<lvzhi_sql::Result<_>>()?)
}

const SUMMARY_COLUMNS: &str = "p.id, p.title, p.state, p.first_proposer_id, p.revision, p.updated_at";

fn summary_from_row(r: &lvzhi_sql::Row<'_>) -> lvzhi_sql::Result<ProposalSummary> {
    let state: String = r.get(2)?;
    Ok(ProposalSummary {
        id: r.get(0)?,
        title: r.get(1)?,
        state: ProposalState::parse(&state).unwrap_or(ProposalState::Draft),
        first_proposer_id: r.get(3)?,
        revision: r.get(4)?,
        updated_at_ms: r.get(5)?,
    })
}

/// Proposals a person or unit is party to, newest first.
pub fn list_by_party(conn: &Connection, party_id: &str, limit: u32) -> Result<Vec<ProposalSummary>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT DISTINCT {SUMMARY_COLUMNS} FROM proposals p JOIN proposal_parties x ON x.proposal_id = p.id
         WHERE x.party_id = ?1 ORDER BY p.updated_at DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![party_id, limit], summary_from_row)?;
    Ok(rows.collect::<lvzhi_sql::Result<_>>()?)
}

/// An organisation's proposals in `states`, newest first (for staff work lists).
pub fn list_by_org(
    conn: &Connection,
    org_id: &str,
    states: &[ProposalState],
    limit: u32,
) -> Result<Vec<ProposalSummary>> {
    // One text of the wanted codes, matched the same way on SQLite and PostgreSQL (the server's
    // console lists on either; json_each is SQLite's alone).
    let wanted: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM proposals p
         WHERE p.org_id = ?1 AND (',' || ?2 || ',') LIKE ('%,' || p.state || ',%')
         ORDER BY p.updated_at DESC LIMIT ?3"
    ))?;
    let rows = stmt.query_map(params![org_id, wanted.join(","), limit], summary_from_row)?;
    Ok(rows.collect::<lvzhi_sql::Result<_>>()?)
}

/// Proposals whose rowids are given, in that order.
pub fn summaries_by_rowid(conn: &Connection, rowids: &[i64]) -> Result<Vec<(ProposalSummary, Proposal)>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {SUMMARY_COLUMNS}, p.snapshot FROM proposals p WHERE p.rowid = ?1"))?;
    let mut out = Vec::with_capacity(rowids.len());
    for rowid in rowids {
        let row = stmt.query_row([rowid], |r| Ok((summary_from_row(r)?, r.get::<_, String>(6)?))).optional()?;
        if let Some((summary, snapshot)) = row {
            out.push((summary, serde_json::from_str(&snapshot)?));
        }
    }
    Ok(out)
}

/// The proposals `person_id` proposed or was invited to co-sign.
pub fn proposals_of_party(c: &Connection, person_id: &str) -> Result<Vec<Proposal>> {
    let mut stmt = c.prepare_cached(
        "SELECT DISTINCT p.snapshot FROM proposal_parties pp JOIN proposals p ON p.id = pp.proposal_id
         WHERE pp.party_id = ?1 AND pp.kind IN ('proposer', 'invitee')",
    )?;
    let snapshots: Vec<String> = stmt.query_map([person_id], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?;
    snapshots.iter().map(|s| Ok(serde_json::from_str(s)?)).collect()
}

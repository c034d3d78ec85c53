//! Rows of the consultation tables: each aggregate whole as JSON, with the columns lookups and
//! statistics need, and the search index kept in step.

use lvzhi_domain::consult::grassroots::Consultation;
use lvzhi_domain::consult::report::Report;
use lvzhi_domain::consult::speech::SpeechRequest;
use lvzhi_domain::consult::topic::{Post, Topic};
use lvzhi_domain::protocol::EntityKind;
use lvzhi_sql::{Connection, Transaction, params};

use crate::error::Result;
use crate::json_rows::{many, one};
use crate::search;

// --- Search -------------------------------------------------------------------------------

/// The kind part of a `consult_search` rowid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Report = 1,
    Topic = 2,
    Post = 3,
}

fn index(tx: &Transaction<'_>, table: &str, id: &str, kind: Found, title: &str, body: &str) -> Result<()> {
    search::index_row(tx, "consult_search", table, id, kind as i64, title, body)
}

fn unindex(tx: &Transaction<'_>, table: &str, id: &str, kind: Found) -> Result<()> {
    search::unindex_row(tx, "consult_search", table, id, kind as i64)
}

/// Reports, topics and posts matching what the member typed (one or two characters too), best
/// first: `(kind, id)`.
#[cfg(feature = "device")]
pub fn search(c: &Connection, query: &str, limit: u32) -> Result<Vec<(Found, String)>> {
    let mut out = Vec::new();
    for key in search::search_keys(c, "consult_search", query, limit)? {
        let (kind, table) = match key % 4 {
            1 => (Found::Report, "reports"),
            2 => (Found::Topic, "topics"),
            _ => (Found::Post, "posts"),
        };
        out.extend(search::id_of_rowid(c, table, key / 4)?.map(|id| (kind, id)));
    }
    Ok(out)
}

// --- 社情民意 --------------------------------------------------------------------------------

pub fn report(c: &Connection, id: &str) -> Result<Option<Report>> {
    one(c, "SELECT data FROM reports WHERE id = ?1", [id])
}

pub fn save_report(tx: &Transaction<'_>, r: &Report) -> Result<()> {
    // An upsert keeps the rowid, which the search index is keyed by.
    tx.prepare_cached(
        "INSERT INTO reports (id, org_id, state, submitted_at, accepted, edited, sent_up, instructed, adopted_above,
             updated_at, data, month)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT(id) DO UPDATE SET org_id = ?2, state = ?3, submitted_at = ?4, accepted = ?5, edited = ?6,
             sent_up = ?7, instructed = ?8, adopted_above = ?9, updated_at = ?10, data = ?11, month = ?12",
    )?
    .execute(params![
        r.id,
        r.org_id,
        r.state.as_str(),
        r.submitted_at_ms,
        r.accepted_at_ms.is_some(),
        r.edition_of(&r.org_id).is_some(),
        !r.forwardings.is_empty(),
        !r.instructions.is_empty(),
        r.adopted_above(),
        r.updated_at_ms,
        serde_json::to_string(r)?,
        r.submitted_at_ms.map(month_of),
    ])?;
    tx.prepare_cached("DELETE FROM report_adoptions WHERE report_id = ?1")?.execute([&r.id])?;
    for e in &r.editions {
        tx.prepare_cached(
            "INSERT INTO report_adoptions (report_id, org_id, at, month, report_org)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (report_id, org_id) DO UPDATE SET at = excluded.at, month = excluded.month, report_org = excluded.report_org",
        )?
        .execute(params![r.id, e.org_id, e.at_ms, month_of(e.at_ms), r.org_id])?;
    }
    tx.prepare_cached("DELETE FROM report_authors WHERE report_id = ?1")?.execute([&r.id])?;
    for a in &r.author_ids {
        tx.prepare_cached("INSERT INTO report_authors (person_id, report_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")?
            .execute(params![a, r.id])?;
    }
    let c = &r.content;
    index(tx, "reports", &r.id, Found::Report, &c.title, &format!("{}\n{}\n{}", c.situation, c.analysis, c.suggestion))
}

/// `2026-11`: the month of an instant in China time, as statistics group by.
fn month_of(ms: i64) -> String {
    lvzhi_domain::time::from_millis(ms).with_timezone(&lvzhi_domain::time::cst()).format("%Y-%m").to_string()
}

fn remove_report(tx: &Transaction<'_>, id: &str) -> Result<()> {
    unindex(tx, "reports", id, Found::Report)?;
    tx.execute("DELETE FROM report_adoptions WHERE report_id = ?1", [id])?;
    tx.execute("DELETE FROM report_authors WHERE report_id = ?1", [id])?;
    tx.execute("DELETE FROM reports WHERE id = ?1", [id])?;
    Ok(())
}

/// Every report on this database, latest change first.
pub fn reports(c: &Connection) -> Result<Vec<Report>> {
    many(c, "SELECT data FROM reports ORDER BY updated_at DESC, id", [])
}

pub fn reports_of_author(c: &Connection, person_id: &str) -> Result<Vec<Report>> {
    many(
        c,
        "SELECT r.data FROM report_authors a JOIN reports r ON r.id = a.report_id
         WHERE a.person_id = ?1 ORDER BY r.updated_at DESC, r.id",
        [person_id],
    )
}

pub fn reports_of_org(c: &Connection, org_id: &str) -> Result<Vec<Report>> {
    many(c, "SELECT data FROM reports WHERE org_id = ?1 ORDER BY updated_at DESC, id", [org_id])
}

// --- 网络议政 --------------------------------------------------------------------------------

pub fn topic(c: &Connection, id: &str) -> Result<Option<Topic>> {
    one(c, "SELECT data FROM topics WHERE id = ?1", [id])
}

pub fn save_topic(tx: &Transaction<'_>, t: &Topic) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO topics (id, org_id, closes_at, data) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET org_id = ?2, closes_at = ?3, data = ?4",
    )?
    .execute(params![t.id, t.org_id, t.closes_at_ms, serde_json::to_string(t)?])?;
    let summary = t.summary.as_ref().map_or("", |s| s.text.as_str());
    index(tx, "topics", &t.id, Found::Topic, &t.title, &format!("{}\n{summary}", t.background))
}

/// Every topic on this database, the latest to close first.
pub fn topics(c: &Connection) -> Result<Vec<Topic>> {
    many(c, "SELECT data FROM topics ORDER BY closes_at DESC, id", [])
}

/// An organisation's topics, the latest to close first (its staff's list).
pub fn topics_of_org(c: &Connection, org_id: &str) -> Result<Vec<Topic>> {
    many(c, "SELECT data FROM topics WHERE org_id = ?1 ORDER BY closes_at DESC, id", [org_id])
}

pub fn post(c: &Connection, id: &str) -> Result<Option<Post>> {
    one(c, "SELECT data FROM posts WHERE id = ?1", [id])
}

pub fn save_post(tx: &Transaction<'_>, p: &Post) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO posts (id, topic_id, author_id, written_at, data) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(id) DO UPDATE SET topic_id = ?2, author_id = ?3, written_at = ?4, data = ?5",
    )?
    .execute(params![p.id, p.topic_id, p.author_id, p.written_at_ms, serde_json::to_string(p)?])?;
    index(tx, "posts", &p.id, Found::Post, "", &p.text)
}

/// A topic's posts in the order they were written.
pub fn posts_of_topic(c: &Connection, topic_id: &str) -> Result<Vec<Post>> {
    many(c, "SELECT data FROM posts WHERE topic_id = ?1 ORDER BY written_at, id", [topic_id])
}

/// A topic's visible posts and those of `person_id` among all, counted without reading them.
pub fn post_counts(c: &Connection, topic_id: &str, person_id: &str) -> Result<(u32, u32)> {
    Ok(c.prepare_cached(
        "SELECT count(*) FILTER (WHERE json_extract(data, '$.hidden') IS NULL),
                count(*) FILTER (WHERE author_id = ?2)
         FROM posts WHERE topic_id = ?1",
    )?
    .query_row(params![topic_id, person_id], |r| Ok((r.get(0)?, r.get(1)?)))?)
}

pub fn posts_of_author(c: &Connection, person_id: &str) -> Result<Vec<Post>> {
    many(c, "SELECT data FROM posts WHERE author_id = ?1 ORDER BY written_at, id", [person_id])
}

// --- 远程协商 --------------------------------------------------------------------------------

pub fn speech_request(c: &Connection, meeting_id: &str, person_id: &str) -> Result<Option<SpeechRequest>> {
    one(c, "SELECT data FROM speech_requests WHERE meeting_id = ?1 AND person_id = ?2", [meeting_id, person_id])
}

pub fn save_speech_request(tx: &Transaction<'_>, s: &SpeechRequest) -> Result<()> {
    tx.prepare_cached("INSERT INTO speech_requests (meeting_id, person_id, data) VALUES (?1, ?2, ?3) ON CONFLICT (meeting_id, person_id) DO UPDATE SET data = excluded.data")?
        .execute(params![s.meeting_id, s.person_id, serde_json::to_string(s)?])?;
    Ok(())
}

/// A meeting's applications: ordered ones in their order, then the rest as they came.
pub fn speech_requests_of_meeting(c: &Connection, meeting_id: &str) -> Result<Vec<SpeechRequest>> {
    let mut all: Vec<SpeechRequest> = many(c, "SELECT data FROM speech_requests WHERE meeting_id = ?1", [meeting_id])?;
    all.sort_by_key(|s| (s.order.unwrap_or(u32::MAX), s.applied_at_ms, s.person_id.clone()));
    Ok(all)
}

pub fn speech_requests_of_person(c: &Connection, person_id: &str) -> Result<Vec<SpeechRequest>> {
    many(c, "SELECT data FROM speech_requests WHERE person_id = ?1", [person_id])
}

// --- 协商在基层 ------------------------------------------------------------------------------

pub fn consultation(c: &Connection, id: &str) -> Result<Option<Consultation>> {
    one(c, "SELECT data FROM consultations WHERE id = ?1", [id])
}

pub fn save_consultation(tx: &Transaction<'_>, x: &Consultation) -> Result<()> {
    tx.prepare_cached("INSERT INTO consultations (id, org_id, date_ms, data) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET org_id = excluded.org_id, date_ms = excluded.date_ms, data = excluded.data")?
        .execute(params![x.id, x.org_id, x.date_ms, serde_json::to_string(x)?])?;
    Ok(())
}

/// Every consultation on this database, newest first.
pub fn consultations(c: &Connection) -> Result<Vec<Consultation>> {
    many(c, "SELECT data FROM consultations ORDER BY date_ms DESC, id", [])
}

// --- Phones: the server's versions ------------------------------------------------------

/// Writes an entity as the server sent it; `false` when `kind` is not one of these.
pub fn install(tx: &Transaction<'_>, kind: EntityKind, json: &str) -> Result<bool> {
    match kind {
        EntityKind::Report => save_report(tx, &serde_json::from_str(json)?)?,
        EntityKind::Topic => save_topic(tx, &serde_json::from_str(json)?)?,
        EntityKind::Post => save_post(tx, &serde_json::from_str(json)?)?,
        EntityKind::SpeechRequest => save_speech_request(tx, &serde_json::from_str(json)?)?,
        EntityKind::Consultation => save_consultation(tx, &serde_json::from_str(json)?)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// Removes one entity; `false` when `kind` is not one of these.
pub fn remove(tx: &Transaction<'_>, kind: EntityKind, id: &str) -> Result<bool> {
    match kind {
        EntityKind::Report => remove_report(tx, id)?,
        EntityKind::Topic => {
            unindex(tx, "topics", id, Found::Topic)?;
            tx.execute("DELETE FROM topics WHERE id = ?1", [id])?;
        }
        EntityKind::Post => {
            unindex(tx, "posts", id, Found::Post)?;
            tx.execute("DELETE FROM posts WHERE id = ?1", [id])?;
        }
        EntityKind::SpeechRequest => {
            if let Some((m, p)) = id.split_once('@') {
                tx.execute("DELETE FROM speech_requests WHERE meeting_id = ?1 AND person_id = ?2", [m, p])?;
            }
        }
        EntityKind::Consultation => {
            tx.execute("DELETE FROM consultations WHERE id = ?1", [id])?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

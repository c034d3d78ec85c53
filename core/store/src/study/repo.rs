//! Rows of the study, reading and news tables: each aggregate whole as JSON, with the columns
//! lists need, and the search index kept in step.

use lvzhi_domain::news::News;
use lvzhi_domain::protocol::EntityKind;
use lvzhi_domain::study::material::{Material, Study};
use lvzhi_domain::study::reading::{ReadingNote, ReadingPlan};
use lvzhi_sql::{Connection, Transaction, params};

use crate::error::Result;
use crate::json_rows::{many, one};
use crate::search;

/// The kind part of a `study_search` rowid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Found {
    Material = 1,
    News = 2,
}

fn index(tx: &Transaction<'_>, table: &str, id: &str, kind: Found, title: &str, body: &str) -> Result<()> {
    search::index_row(tx, "study_search", table, id, kind as i64, title, body)
}

fn unindex(tx: &Transaction<'_>, table: &str, id: &str, kind: Found) -> Result<()> {
    search::unindex_row(tx, "study_search", table, id, kind as i64)
}

/// Materials and news matching what the member typed, best first.
#[cfg(feature = "device")]
pub fn search(c: &Connection, query: &str, limit: u32) -> Result<Vec<(Found, String)>> {
    let mut out = Vec::new();
    for key in search::search_keys(c, "study_search", query, limit)? {
        let (kind, table) = if key % 4 == 1 { (Found::Material, "materials") } else { (Found::News, "news") };
        out.extend(search::id_of_rowid(c, table, key / 4)?.map(|id| (kind, id)));
    }
    Ok(out)
}

// --- Materials and studies ----------------------------------------------------------------

pub fn save_material(tx: &Transaction<'_>, m: &Material) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO materials (id, org_id, series, ord, published_at, withdrawn, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET series = excluded.series, ord = excluded.ord, withdrawn = excluded.withdrawn,
             data = excluded.data",
    )?
    .execute(params![
        m.id,
        m.org_id,
        m.series,
        m.order,
        m.published_at_ms,
        m.withdrawn.is_some(),
        serde_json::to_string(m)?
    ])?;
    index(tx, "materials", &m.id, Found::Material, &m.title, &m.body)
}

pub fn material(c: &Connection, id: &str) -> Result<Option<Material>> {
    one(c, "SELECT data FROM materials WHERE id = ?1", [id])
}

/// Materials on this device: by series (those without one last), then order, then newest.
pub fn materials(c: &Connection) -> Result<Vec<Material>> {
    many(c, "SELECT data FROM materials ORDER BY series IS NULL, series, ord, published_at DESC", [])
}

pub fn save_study(tx: &Transaction<'_>, s: &Study) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO studies (material_id, person_id, studied_at, data) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (material_id, person_id) DO UPDATE SET studied_at = excluded.studied_at, data = excluded.data",
    )?
    .execute(params![s.material_id, s.person_id, s.studied_at_ms, serde_json::to_string(s)?])?;
    Ok(())
}

pub fn study(c: &Connection, material_id: &str, person_id: &str) -> Result<Option<Study>> {
    one(c, "SELECT data FROM studies WHERE material_id = ?1 AND person_id = ?2", params![material_id, person_id])
}

pub fn studies_of_person(c: &Connection, person_id: &str) -> Result<Vec<Study>> {
    many(c, "SELECT data FROM studies WHERE person_id = ?1", [person_id])
}

// --- Reading --------------------------------------------------------------------------------

pub fn save_plan(tx: &Transaction<'_>, p: &ReadingPlan) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO reading_plans (group_id, data) VALUES (?1, ?2)
         ON CONFLICT (group_id) DO UPDATE SET data = excluded.data",
    )?
    .execute(params![p.group_id, serde_json::to_string(p)?])?;
    Ok(())
}

pub fn plan(c: &Connection, group_id: &str) -> Result<Option<ReadingPlan>> {
    one(c, "SELECT data FROM reading_plans WHERE group_id = ?1", [group_id])
}

pub fn save_note(tx: &Transaction<'_>, n: &ReadingNote) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO reading_notes (id, group_id, person_id, day, at, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET at = excluded.at, data = excluded.data",
    )?
    .execute(params![n.id, n.group_id, n.person_id, n.day, n.at_ms, serde_json::to_string(n)?])?;
    Ok(())
}

pub fn note(c: &Connection, id: &str) -> Result<Option<ReadingNote>> {
    one(c, "SELECT data FROM reading_notes WHERE id = ?1", [id])
}

pub fn note_of_day(c: &Connection, group_id: &str, person_id: &str, day: &str) -> Result<Option<ReadingNote>> {
    one(
        c,
        "SELECT data FROM reading_notes WHERE group_id = ?1 AND person_id = ?2 AND day = ?3",
        params![group_id, person_id, day],
    )
}

/// A group's reading notes, newest first.
pub fn notes_of_group(c: &Connection, group_id: &str) -> Result<Vec<ReadingNote>> {
    many(c, "SELECT data FROM reading_notes WHERE group_id = ?1 ORDER BY at DESC", [group_id])
}

pub fn notes_of_person(c: &Connection, person_id: &str) -> Result<Vec<ReadingNote>> {
    many(c, "SELECT data FROM reading_notes WHERE person_id = ?1", [person_id])
}

// --- News -----------------------------------------------------------------------------------

pub fn save_news(tx: &Transaction<'_>, n: &News) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO news (id, org_id, published_at, withdrawn, data) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET withdrawn = excluded.withdrawn, data = excluded.data",
    )?
    .execute(params![n.id, n.org_id, n.published_at_ms, n.withdrawn.is_some(), serde_json::to_string(n)?])?;
    index(tx, "news", &n.id, Found::News, &n.title, &format!("{}\n{}", n.summary, n.body))
}

pub fn news_item(c: &Connection, id: &str) -> Result<Option<News>> {
    one(c, "SELECT data FROM news WHERE id = ?1", [id])
}

/// The feed: newest first, withdrawn items left out.
pub fn feed(c: &Connection, limit: u32) -> Result<Vec<News>> {
    many(c, "SELECT data FROM news WHERE withdrawn = 0 ORDER BY published_at DESC, id LIMIT ?1", [limit])
}

// --- Phones: the server's versions ----------------------------------------------------------

/// Writes an entity of this module as the server sent it; false when `kind` is not one.
pub fn install(tx: &Transaction<'_>, kind: EntityKind, json: &str) -> Result<bool> {
    match kind {
        EntityKind::Material => save_material(tx, &serde_json::from_str(json)?)?,
        EntityKind::Study => save_study(tx, &serde_json::from_str(json)?)?,
        EntityKind::ReadingPlan => save_plan(tx, &serde_json::from_str(json)?)?,
        EntityKind::ReadingNote => save_note(tx, &serde_json::from_str(json)?)?,
        EntityKind::News => save_news(tx, &serde_json::from_str(json)?)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// Removes one entity of this module; false when `kind` is not one.
pub fn remove(tx: &Transaction<'_>, kind: EntityKind, id: &str) -> Result<bool> {
    match kind {
        EntityKind::Material => {
            unindex(tx, "materials", id, Found::Material)?;
            tx.execute("DELETE FROM materials WHERE id = ?1", [id])?;
        }
        EntityKind::Study => {
            if let Some((m, p)) = id.split_once('@') {
                tx.execute("DELETE FROM studies WHERE material_id = ?1 AND person_id = ?2", [m, p])?;
            }
        }
        EntityKind::ReadingPlan => {
            tx.execute("DELETE FROM reading_plans WHERE group_id = ?1", [id])?;
        }
        EntityKind::ReadingNote => {
            tx.execute("DELETE FROM reading_notes WHERE id = ?1", [id])?;
        }
        EntityKind::News => {
            unindex(tx, "news", id, Found::News)?;
            tx.execute("DELETE FROM news WHERE id = ?1", [id])?;
        }
        _ => return Ok(false),
    }
    Ok(true)
}

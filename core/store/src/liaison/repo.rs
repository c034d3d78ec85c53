//! Rows of the 联络联系 and 委员工作室 tables: each aggregate whole as JSON, with the columns
//! lists need.

use lvzhi_domain::liaison::RaisedFrom;
use lvzhi_domain::liaison::contacts::{Contact, ContactFacts, ContactLog};
use lvzhi_domain::liaison::studio::{Studio, StudioMessage};
use lvzhi_sql::{Connection, Transaction, params};

use crate::error::Result;
use crate::json_rows::{many, one};

pub fn save_contact(tx: &Transaction<'_>, c: &Contact) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO contacts (id, owner_id, removed, data) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET removed = excluded.removed, data = excluded.data",
    )?
    .execute(params![c.id, c.owner_id, c.removed, serde_json::to_string(c)?])?;
    Ok(())
}

pub fn contact(c: &Connection, id: &str) -> Result<Option<Contact>> {
    one(c, "SELECT data FROM contacts WHERE id = ?1", [id])
}

/// A member's register (removed people too: past contacts name them).
pub fn contacts_of(c: &Connection, owner_id: &str) -> Result<Vec<Contact>> {
    many(c, "SELECT data FROM contacts WHERE owner_id = ?1 ORDER BY removed, id", [owner_id])
}

pub fn save_log(tx: &Transaction<'_>, l: &ContactLog) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO contact_logs (id, owner_id, org_id, day, data) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET day = excluded.day, data = excluded.data",
    )?
    .execute(params![l.id, l.owner_id, l.org_id, l.date, serde_json::to_string(l)?])?;
    Ok(())
}

pub fn log(c: &Connection, id: &str) -> Result<Option<ContactLog>> {
    one(c, "SELECT data FROM contact_logs WHERE id = ?1", [id])
}

/// A member's log, newest first.
pub fn logs_of(c: &Connection, owner_id: &str) -> Result<Vec<ContactLog>> {
    many(c, "SELECT data FROM contact_logs WHERE owner_id = ?1 ORDER BY day DESC, id DESC", [owner_id])
}

/// The logs of the members of `org_ids` within `[from_day, to_day]` (the server, for a
/// sector's convener; it counts, it never shows them).
pub fn logs_of_orgs(c: &Connection, org_ids: &[String], from_day: &str, to_day: &str) -> Result<Vec<ContactLog>> {
    let mut out = Vec::new();
    for org in org_ids {
        out.extend(many::<ContactLog>(
            c,
            "SELECT data FROM contact_logs WHERE org_id = ?1 AND day >= ?2 AND day <= ?3",
            params![org, from_day, to_day],
        )?);
    }
    Ok(out)
}

pub fn logs_of_org(c: &Connection, org_id: &str) -> Result<Vec<ContactLog>> {
    many(c, "SELECT data FROM contact_logs WHERE org_id = ?1", [org_id])
}

pub fn save_contact_facts(tx: &Transaction<'_>, f: &ContactFacts) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO contact_facts (person_id, org_id, data) VALUES (?1, ?2, ?3)
         ON CONFLICT (person_id) DO UPDATE SET org_id = excluded.org_id, data = excluded.data",
    )?
    .execute(params![f.person_id, f.org_id, serde_json::to_string(f)?])?;
    Ok(())
}

pub fn contact_facts(c: &Connection, person_id: &str) -> Result<Option<ContactFacts>> {
    one(c, "SELECT data FROM contact_facts WHERE person_id = ?1", [person_id])
}

pub fn contact_facts_of_org(c: &Connection, org_id: &str) -> Result<Vec<ContactFacts>> {
    many(c, "SELECT data FROM contact_facts WHERE org_id = ?1", [org_id])
}

/// Phones (staff): a member's facts arrived.
pub fn install_contact_facts(tx: &Transaction<'_>, json: &serde_json::Value) -> Result<()> {
    save_contact_facts(tx, &serde::Deserialize::deserialize(json)?)
}

pub fn save_studio(tx: &Transaction<'_>, s: &Studio) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO studios (id, org_id, data) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET data = excluded.data",
    )?
    .execute(params![s.id, s.org_id, serde_json::to_string(s)?])?;
    Ok(())
}

pub fn studio(c: &Connection, id: &str) -> Result<Option<Studio>> {
    one(c, "SELECT data FROM studios WHERE id = ?1", [id])
}

pub fn studios_of_org(c: &Connection, org_id: &str) -> Result<Vec<Studio>> {
    many(c, "SELECT data FROM studios WHERE org_id = ?1 ORDER BY id", [org_id])
}

/// Every studio this database holds (a phone: its organisation's).
pub fn studios(c: &Connection) -> Result<Vec<Studio>> {
    many(c, "SELECT data FROM studios ORDER BY org_id, id", [])
}

pub fn save_message(tx: &Transaction<'_>, m: &StudioMessage) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO studio_messages (id, studio_id, org_id, received_at, answered, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET answered = excluded.answered, data = excluded.data",
    )?
    .execute(params![m.id, m.studio_id, m.org_id, m.received_at_ms, m.answer.is_some(), serde_json::to_string(m)?])?;
    Ok(())
}

pub fn message(c: &Connection, id: &str) -> Result<Option<StudioMessage>> {
    one(c, "SELECT data FROM studio_messages WHERE id = ?1", [id])
}

/// A studio's messages, newest first.
pub fn messages_of_studio(c: &Connection, studio_id: &str) -> Result<Vec<StudioMessage>> {
    many(c, "SELECT data FROM studio_messages WHERE studio_id = ?1 ORDER BY received_at DESC, id", [studio_id])
}

/// Every message this database holds, newest first (a phone: those of its member's studios).
pub fn messages(c: &Connection) -> Result<Vec<StudioMessage>> {
    many(c, "SELECT data FROM studio_messages ORDER BY received_at DESC, id", [])
}

/// The drafts of `org_id` made from `from` that this database holds: 社情民意 reports and
/// proposals, by id.
pub fn drafts_from(c: &Connection, org_id: &str, from: &RaisedFrom) -> Result<Vec<(String, String)>> {
    // Few rows name a source, and an organisation's drafts are few: matching the JSON text keeps
    // it one scan of them on either database. `%`, `_` and `\` in an id are matched as themselves.
    let source = serde_json::to_string(from)?;
    let escaped: String =
        source.chars().flat_map(|ch| if matches!(ch, '%' | '_' | '\\') { vec!['\\', ch] } else { vec![ch] }).collect();
    let pattern = format!("%\"source\":{escaped}%");
    let mut out = Vec::new();
    let mut stmt =
        c.prepare_cached("SELECT id FROM reports WHERE org_id = ?1 AND data LIKE ?2 ESCAPE '\\' ORDER BY id")?;
    let reports: Vec<String> =
        stmt.query_map(params![org_id, pattern], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?;
    out.extend(reports.into_iter().map(|id| ("report".to_string(), id)));
    let mut stmt =
        c.prepare_cached("SELECT id FROM proposals WHERE org_id = ?1 AND snapshot LIKE ?2 ESCAPE '\\' ORDER BY id")?;
    let proposals: Vec<String> =
        stmt.query_map(params![org_id, pattern], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?;
    out.extend(proposals.into_iter().map(|id| ("proposal".to_string(), id)));
    Ok(out)
}

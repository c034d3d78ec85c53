//! Rows of the duty tables: each aggregate whole as JSON, with the columns lookups need.

use lvzhi_domain::duty::feedback::Feedback;
use lvzhi_domain::duty::meeting::{Attendance, Meeting};
use lvzhi_domain::duty::notice::{AudienceList, Notice, Receipt};
use lvzhi_domain::duty::record::{DutyEntry, RuleTable};
use lvzhi_sql::{Connection, Transaction, params};

use crate::error::Result;
use crate::json_rows::{many, one};

pub fn notice(c: &Connection, id: &str) -> Result<Option<Notice>> {
    one(c, "SELECT data FROM notices WHERE id = ?1", [id])
}

pub fn save_notice(tx: &Transaction<'_>, n: &Notice) -> Result<()> {
    tx.prepare_cached("INSERT INTO notices (id, org_id, published_at, data) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET org_id = excluded.org_id, published_at = excluded.published_at, data = excluded.data")?
        .execute(params![n.id, n.org_id, n.published_at_ms, serde_json::to_string(n)?])?;
    Ok(())
}

/// Every notice on this database, newest first.
pub fn notices(c: &Connection) -> Result<Vec<Notice>> {
    many(c, "SELECT data FROM notices ORDER BY published_at DESC, id", [])
}

/// An organisation's notices, newest first (its staff's list).
pub fn notices_of_org(c: &Connection, org_id: &str) -> Result<Vec<Notice>> {
    many(c, "SELECT data FROM notices WHERE org_id = ?1 ORDER BY published_at DESC, id", [org_id])
}

pub fn receipt(c: &Connection, notice_id: &str, person_id: &str) -> Result<Option<Receipt>> {
    one(c, "SELECT data FROM notice_receipts WHERE notice_id = ?1 AND person_id = ?2", [notice_id, person_id])
}

pub fn save_receipt(tx: &Transaction<'_>, r: &Receipt) -> Result<()> {
    tx.prepare_cached("INSERT INTO notice_receipts (notice_id, person_id, data) VALUES (?1, ?2, ?3) ON CONFLICT (notice_id, person_id) DO UPDATE SET data = excluded.data")?
        .execute(params![r.notice_id, r.person_id, serde_json::to_string(r)?])?;
    Ok(())
}

pub fn receipts_of_notice(c: &Connection, notice_id: &str) -> Result<Vec<Receipt>> {
    many(c, "SELECT data FROM notice_receipts WHERE notice_id = ?1", [notice_id])
}

pub fn audience(c: &Connection, notice_id: &str) -> Result<Option<AudienceList>> {
    one(c, "SELECT data FROM notice_audiences WHERE notice_id = ?1", [notice_id])
}

pub fn save_audience(tx: &Transaction<'_>, a: &AudienceList) -> Result<()> {
    tx.prepare_cached("INSERT INTO notice_audiences (notice_id, data) VALUES (?1, ?2) ON CONFLICT (notice_id) DO UPDATE SET data = excluded.data")?
        .execute(params![a.notice_id, serde_json::to_string(a)?])?;
    Ok(())
}

pub fn meeting(c: &Connection, id: &str) -> Result<Option<Meeting>> {
    one(c, "SELECT data FROM meetings WHERE id = ?1", [id])
}

pub fn save_meeting(tx: &Transaction<'_>, m: &Meeting) -> Result<()> {
    tx.prepare_cached("INSERT INTO meetings (id, org_id, starts_at, data) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET org_id = excluded.org_id, starts_at = excluded.starts_at, data = excluded.data")?
        .execute(params![m.id, m.org_id, m.starts_at_ms, serde_json::to_string(m)?])?;
    Ok(())
}

/// Every meeting on this database, soonest first.
pub fn meetings(c: &Connection) -> Result<Vec<Meeting>> {
    many(c, "SELECT data FROM meetings ORDER BY starts_at, id", [])
}

pub fn meetings_of_org(c: &Connection, org_id: &str) -> Result<Vec<Meeting>> {
    many(c, "SELECT data FROM meetings WHERE org_id = ?1 ORDER BY starts_at, id", [org_id])
}

pub fn attendance(c: &Connection, meeting_id: &str, person_id: &str) -> Result<Option<Attendance>> {
    one(c, "SELECT data FROM attendances WHERE meeting_id = ?1 AND person_id = ?2", [meeting_id, person_id])
}

pub fn save_attendance(tx: &Transaction<'_>, a: &Attendance) -> Result<()> {
    tx.prepare_cached("INSERT INTO attendances (meeting_id, person_id, data) VALUES (?1, ?2, ?3) ON CONFLICT (meeting_id, person_id) DO UPDATE SET data = excluded.data")?
        .execute(params![a.meeting_id, a.person_id, serde_json::to_string(a)?])?;
    Ok(())
}

pub fn attendances_of_meeting(c: &Connection, meeting_id: &str) -> Result<Vec<Attendance>> {
    many(c, "SELECT data FROM attendances WHERE meeting_id = ?1 ORDER BY person_id", [meeting_id])
}

pub fn attendances_of_person(c: &Connection, person_id: &str) -> Result<Vec<Attendance>> {
    many(c, "SELECT data FROM attendances WHERE person_id = ?1", [person_id])
}

pub fn entry(c: &Connection, id: &str) -> Result<Option<DutyEntry>> {
    one(c, "SELECT data FROM duty_entries WHERE id = ?1", [id])
}

pub fn save_entry(tx: &Transaction<'_>, e: &DutyEntry) -> Result<()> {
    tx.prepare_cached("INSERT INTO duty_entries (id, org_id, person_id, data) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET org_id = excluded.org_id, person_id = excluded.person_id, data = excluded.data")?
        .execute(params![e.id, e.org_id, e.person_id, serde_json::to_string(e)?])?;
    Ok(())
}

pub fn entries_of_person(c: &Connection, person_id: &str) -> Result<Vec<DutyEntry>> {
    many(c, "SELECT data FROM duty_entries WHERE person_id = ?1 ORDER BY id", [person_id])
}

pub fn entries_of_org(c: &Connection, org_id: &str) -> Result<Vec<DutyEntry>> {
    many(c, "SELECT data FROM duty_entries WHERE org_id = ?1 ORDER BY id", [org_id])
}

/// The organisation's rules: the stored table, or the defaults (version 0).
pub fn rules(c: &Connection, org_id: &str) -> Result<RuleTable> {
    Ok(one(c, "SELECT data FROM duty_rules WHERE org_id = ?1", [org_id])?
        .map_or_else(|| RuleTable::defaults(org_id), RuleTable::without_study))
}

pub fn save_rules(tx: &Transaction<'_>, r: &RuleTable) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO duty_rules (org_id, data) VALUES (?1, ?2) ON CONFLICT (org_id) DO UPDATE SET data = excluded.data",
    )?
    .execute(params![r.org_id, serde_json::to_string(r)?])?;
    Ok(())
}

pub fn feedback(c: &Connection, id: &str) -> Result<Option<Feedback>> {
    one(c, "SELECT data FROM feedback WHERE id = ?1", [id])
}

pub fn save_feedback(tx: &Transaction<'_>, f: &Feedback) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO feedback (id, org_id, person_id, created_at, data) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO UPDATE SET org_id = excluded.org_id, person_id = excluded.person_id, created_at = excluded.created_at, data = excluded.data",
    )?
    .execute(params![f.id, f.org_id, f.person_id, f.created_at_ms, serde_json::to_string(f)?])?;
    Ok(())
}

/// Every feedback on this database, newest first.
pub fn feedback_list(c: &Connection) -> Result<Vec<Feedback>> {
    many(c, "SELECT data FROM feedback ORDER BY created_at DESC, id", [])
}

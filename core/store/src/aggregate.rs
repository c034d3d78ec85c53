//! The aggregates a phone keeps as the server's version plus its own pending work (notices,
//! meetings, record entries, feedback, rules; reports, topics, posts, consultations; files,
//! contacts, studios): which
//! entities make up each, installing the server's versions, and taking the local ones back
//! before the pending mutations are replayed on top.

use lvzhi_domain::aggregate::Aggregate;
use lvzhi_domain::protocol::EntityKind;
use lvzhi_sql::Transaction;

use crate::consult;
use crate::duty::repo;
use crate::error::Result;
use crate::liaison::repo as liaison;

// --- Phones: the server's versions ------------------------------------------------------

/// Writes an entity as the server sent it.
pub fn install(tx: &Transaction<'_>, kind: EntityKind, json: &str) -> Result<()> {
    if consult::repo::install(tx, kind, json)? || crate::study::repo::install(tx, kind, json)? {
        return Ok(());
    }
    match kind {
        EntityKind::Notice => repo::save_notice(tx, &serde_json::from_str(json)?),
        EntityKind::NoticeReceipt => repo::save_receipt(tx, &serde_json::from_str(json)?),
        EntityKind::NoticeAudience => repo::save_audience(tx, &serde_json::from_str(json)?),
        EntityKind::Meeting => repo::save_meeting(tx, &serde_json::from_str(json)?),
        EntityKind::Attendance => repo::save_attendance(tx, &serde_json::from_str(json)?),
        EntityKind::DutyEntry => repo::save_entry(tx, &serde_json::from_str(json)?),
        EntityKind::DutyRules => repo::save_rules(tx, &serde_json::from_str(json)?),
        EntityKind::Feedback => repo::save_feedback(tx, &serde_json::from_str(json)?),
        EntityKind::MemberFile => crate::member_file::save_file(tx, &serde_json::from_str(json)?),
        EntityKind::FileCorrection => crate::member_file::save_correction(tx, &serde_json::from_str(json)?),
        EntityKind::Contact => liaison::save_contact(tx, &serde_json::from_str(json)?),
        EntityKind::ContactLog => liaison::save_log(tx, &serde_json::from_str(json)?),
        EntityKind::Studio => liaison::save_studio(tx, &serde_json::from_str(json)?),
        EntityKind::StudioMessage => liaison::save_message(tx, &serde_json::from_str(json)?),
        _ => Ok(()),
    }
}

/// Removes one entity (a tombstone, or before the server's version is installed again).
pub fn remove(tx: &Transaction<'_>, kind: EntityKind, id: &str) -> Result<()> {
    if consult::repo::remove(tx, kind, id)? || crate::study::repo::remove(tx, kind, id)? {
        return Ok(());
    }
    let pair = id.split_once('@');
    match (kind, pair) {
        (EntityKind::Notice, _) => tx.execute("DELETE FROM notices WHERE id = ?1", [id])?,
        (EntityKind::NoticeReceipt, Some((n, p))) => {
            tx.execute("DELETE FROM notice_receipts WHERE notice_id = ?1 AND person_id = ?2", [n, p])?
        }
        (EntityKind::NoticeAudience, _) => tx.execute("DELETE FROM notice_audiences WHERE notice_id = ?1", [id])?,
        (EntityKind::Meeting, _) => tx.execute("DELETE FROM meetings WHERE id = ?1", [id])?,
        (EntityKind::Attendance, Some((m, p))) => {
            tx.execute("DELETE FROM attendances WHERE meeting_id = ?1 AND person_id = ?2", [m, p])?
        }
        (EntityKind::DutyEntry, _) => tx.execute("DELETE FROM duty_entries WHERE id = ?1", [id])?,
        (EntityKind::DutyRules, _) => tx.execute("DELETE FROM duty_rules WHERE org_id = ?1", [id])?,
        (EntityKind::Feedback, _) => tx.execute("DELETE FROM feedback WHERE id = ?1", [id])?,
        (EntityKind::MemberFile, _) => tx.execute("DELETE FROM member_files WHERE person_id = ?1", [id])?,
        (EntityKind::FileCorrection, _) => tx.execute("DELETE FROM file_corrections WHERE id = ?1", [id])?,
        (EntityKind::Contact, _) => tx.execute("DELETE FROM contacts WHERE id = ?1", [id])?,
        (EntityKind::ContactLog, _) => tx.execute("DELETE FROM contact_logs WHERE id = ?1", [id])?,
        (EntityKind::Studio, _) => tx.execute("DELETE FROM studios WHERE id = ?1", [id])?,
        (EntityKind::StudioMessage, _) => tx.execute("DELETE FROM studio_messages WHERE id = ?1", [id])?,
        _ => 0,
    };
    Ok(())
}

/// The entity kinds an aggregate is made of (`lvzhi_domain::protocol::aggregate_parts`).
pub use lvzhi_domain::protocol::aggregate_parts as parts;

/// Removes an aggregate's local rows (before its server version is installed again and the
/// pending mutations on it replayed).
pub fn purge(tx: &Transaction<'_>, root: &Aggregate) -> Result<()> {
    let (id, parts) = parts(root);
    for (kind, per_person) in parts {
        if per_person {
            let (table, column) = match kind {
                EntityKind::NoticeReceipt => ("notice_receipts", "notice_id"),
                EntityKind::SpeechRequest => ("speech_requests", "meeting_id"),
                EntityKind::Study => ("studies", "material_id"),
                EntityKind::FileCorrection => ("file_corrections", "person_id"),
                _ => ("attendances", "meeting_id"),
            };
            tx.execute(&format!("DELETE FROM {table} WHERE {column} = ?1"), [id])?;
        } else {
            remove(tx, kind, id)?;
        }
    }
    Ok(())
}

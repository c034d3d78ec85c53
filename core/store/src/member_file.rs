//! 委员档案 in the database: files, the corrections asked of them, and the directory's entries
//! (what anyone in the organisation sees of a person). The writes are the same on the phone (at
//! once, offline) and on the server (to decide); the rules are `lvzhi_domain::member_file`'s.

use lvzhi_domain::member_file::{self, DirectoryEntry, FileCorrection, MemberFile};
use lvzhi_domain::org::Actor;
use lvzhi_domain::protocol::{EntityKind, MutationKind};
use lvzhi_domain::time::{Timestamp, to_millis};
use lvzhi_sql::{Connection, Transaction, params};

use crate::changed::Entities;
use crate::error::{Error, Result};
use crate::json_rows::{many, one};
use crate::side::Side;

pub fn save_file(tx: &Transaction<'_>, f: &MemberFile) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO member_files (person_id, org_id, data) VALUES (?1, ?2, ?3)
         ON CONFLICT (person_id) DO UPDATE SET org_id = excluded.org_id, data = excluded.data",
    )?
    .execute(params![f.person_id, f.org_id, serde_json::to_string(f)?])?;
    Ok(())
}

pub fn file(c: &Connection, person_id: &str) -> Result<Option<MemberFile>> {
    one(c, "SELECT data FROM member_files WHERE person_id = ?1", [person_id])
}

pub fn files_of_org(c: &Connection, org_id: &str) -> Result<Vec<MemberFile>> {
    many(c, "SELECT data FROM member_files WHERE org_id = ?1 ORDER BY person_id", [org_id])
}

pub fn save_correction(tx: &Transaction<'_>, f: &FileCorrection) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO file_corrections (id, person_id, org_id, state, asked_at, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, data = excluded.data",
    )?
    .execute(params![
        f.id,
        f.person_id,
        f.org_id,
        serde_json::to_value(f.state)?.as_str().unwrap_or_default(),
        f.asked_at_ms,
        serde_json::to_string(f)?
    ])?;
    Ok(())
}

pub fn correction(c: &Connection, id: &str) -> Result<Option<FileCorrection>> {
    one(c, "SELECT data FROM file_corrections WHERE id = ?1", [id])
}

/// A person's corrections, newest first.
pub fn corrections_of_person(c: &Connection, person_id: &str) -> Result<Vec<FileCorrection>> {
    many(c, "SELECT data FROM file_corrections WHERE person_id = ?1 ORDER BY asked_at DESC, id", [person_id])
}

/// An organisation's corrections (`pending_only`: those waiting for staff), oldest first.
pub fn corrections_of_org(c: &Connection, org_id: &str, pending_only: bool) -> Result<Vec<FileCorrection>> {
    if pending_only {
        many(
            c,
            "SELECT data FROM file_corrections WHERE org_id = ?1 AND state = 'pending' ORDER BY asked_at, id",
            [org_id],
        )
    } else {
        many(c, "SELECT data FROM file_corrections WHERE org_id = ?1 ORDER BY asked_at DESC, id", [org_id])
    }
}

pub fn save_directory_entry(tx: &Transaction<'_>, e: &DirectoryEntry) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO directory_entries (person_id, org_id, data) VALUES (?1, ?2, ?3)
         ON CONFLICT (person_id) DO UPDATE SET org_id = excluded.org_id, data = excluded.data",
    )?
    .execute(params![e.person_id, e.org_id, serde_json::to_string(e)?])?;
    Ok(())
}

pub fn directory_entry(c: &Connection, person_id: &str) -> Result<Option<DirectoryEntry>> {
    one(c, "SELECT data FROM directory_entries WHERE person_id = ?1", [person_id])
}

/// The directory's entry of a person as the server makes it: their name, their groups' names
/// and their file's 单位职务 — nothing else of the file.
pub fn make_directory_entry(c: &Connection, person_id: &str, org_id: &str) -> Result<DirectoryEntry> {
    let name = crate::org::person_name(c, person_id)?;
    let groups =
        crate::org::groups_of(c, person_id)?.into_iter().filter(|g| g.org_id == org_id).map(|g| g.name).collect();
    Ok(member_file::directory_entry(person_id, &name, org_id, groups, file(c, person_id)?.as_ref()))
}

/// Phones: an entry arrived (reference data, never edited on a phone).
pub fn install_directory_entry(tx: &Transaction<'_>, json: &serde_json::Value) -> Result<()> {
    save_directory_entry(tx, &serde::Deserialize::deserialize(json)?)
}

/// Applies a 委员档案 mutation; `None` when `kind` is not one.
pub fn apply(
    tx: &Transaction<'_>,
    actor: &Actor,
    kind: &MutationKind,
    side: Side,
    now: Timestamp,
) -> Result<Option<Entities>> {
    let now_ms = to_millis(now);
    let touched = match kind {
        MutationKind::KeepMemberFile { person_id, fields } => {
            // A phone holds its organisation's memberships, but the server decides who is in it.
            if side == Side::Server && !crate::org::is_member(tx, person_id, &actor.org_id)? {
                return Err(Error::NotFound { what: "委员" });
            }
            let current = file(tx, person_id)?;
            let org_id = current.as_ref().map_or(actor.org_id.clone(), |f| f.org_id.clone());
            let f = member_file::keep(actor, current.as_ref(), person_id, &org_id, fields.clone(), now_ms)?;
            save_file(tx, &f)?;
            directory_changed(tx, &f, side)?
        }
        MutationKind::RequestFileCorrection { correction_id, proposed, note } => {
            if correction(tx, correction_id)?.is_some() {
                return Err(Error::Invalid("编号已被使用".into()));
            }
            let f = file(tx, &actor.person_id)?.ok_or(Error::NotFound { what: "委员档案" })?;
            let c = member_file::request_correction(actor, &f, correction_id, proposed.clone(), note, now_ms)?;
            save_correction(tx, &c)?;
            vec![(EntityKind::FileCorrection, c.id)]
        }
        MutationKind::DecideFileCorrection { correction_id, approve, reason } => {
            let c = correction(tx, correction_id)?.ok_or(Error::NotFound { what: "更正申请" })?;
            let f = file(tx, &c.person_id)?.ok_or(Error::NotFound { what: "委员档案" })?;
            let (decided, updated) = member_file::decide_correction(actor, &f, &c, *approve, reason, now_ms)?;
            save_correction(tx, &decided)?;
            let mut touched = vec![(EntityKind::FileCorrection, decided.id)];
            if let Some(updated) = updated {
                save_file(tx, &updated)?;
                touched.extend(directory_changed(tx, &updated, side)?);
            }
            touched
        }
        _ => return Ok(None),
    };
    Ok(Some(touched))
}

/// A file changed: the file, and on the server the directory's entry made again from it.
fn directory_changed(tx: &Transaction<'_>, f: &MemberFile, side: Side) -> Result<Entities> {
    let mut touched = vec![(EntityKind::MemberFile, f.person_id.clone())];
    if side == Side::Server {
        save_directory_entry(tx, &make_directory_entry(tx, &f.person_id, &f.org_id)?)?;
        touched.push((EntityKind::DirectoryEntry, f.person_id.clone()));
    }
    Ok(touched)
}

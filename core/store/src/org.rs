//! Storage of organisations, people and roles (the types are `lvzhi_domain::org`). Writes take a `&Transaction`, reads a
//! `&Connection`, so callers decide what commits together.

use lvzhi_sql::{Connection, OptionalExtension, Row, Transaction, params};

use lvzhi_domain::org::*;
use lvzhi_domain::time::{from_millis, to_millis};

use crate::error::{Error, Result, StorageError, StorageErrorKind};

pub fn insert_organisation(tx: &Transaction<'_>, org: &Organisation) -> Result<()> {
    match &org.parent_id {
        None if org.level != OrgLevel::Province => {
            return Err(Error::Invalid(format!("「{}」缺少上级组织", org.name)));
        }
        Some(parent_id) => {
            let parent = get_organisation(tx, parent_id)?.ok_or(Error::NotFound { what: "上级组织" })?;
            if parent.level.child() != Some(org.level) {
                return Err(Error::Invalid(format!("「{}」的层级与上级组织不符", org.name)));
            }
        }
        None => {}
    }
    tx.execute(
        "INSERT INTO organisations (id, parent_id, level, name) VALUES (?1, ?2, ?3, ?4)",
        params![org.id, org.parent_id, org.level.as_str(), org.name],
    )?;
    Ok(())
}

fn org_from_row(r: &Row<'_>) -> lvzhi_sql::Result<Organisation> {
    let level: String = r.get(2)?;
    Ok(Organisation {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        level: OrgLevel::parse(&level).unwrap_or(OrgLevel::County),
        name: r.get(3)?,
    })
}

pub fn get_organisation(conn: &Connection, id: &str) -> Result<Option<Organisation>> {
    Ok(conn
        .prepare_cached("SELECT id, parent_id, level, name FROM organisations WHERE id = ?1")?
        .query_row([id], org_from_row)
        .optional()?)
}

pub fn children(conn: &Connection, id: &str) -> Result<Vec<Organisation>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, parent_id, level, name FROM organisations WHERE parent_id = ?1 ORDER BY name")?;
    let rows = stmt.query_map([id], org_from_row)?;
    Ok(rows.collect::<lvzhi_sql::Result<_>>()?)
}

/// The organisation and its ancestors, nearest first (county, prefecture, province).
pub fn ancestry(conn: &Connection, id: &str) -> Result<Vec<Organisation>> {
    let mut chain = Vec::new();
    let mut next = Some(id.to_string());
    while let Some(id) = next {
        let org = get_organisation(conn, &id)?.ok_or(Error::NotFound { what: "组织" })?;
        next = org.parent_id.clone();
        chain.push(org);
        if chain.len() > 3 {
            return Err(Error::Storage(StorageError::new(
                StorageErrorKind::Corrupt,
                "organisation tree deeper than three levels",
            )));
        }
    }
    Ok(chain)
}

pub fn set_org_settings(tx: &Transaction<'_>, org_id: &str, settings: &OrgSettings) -> Result<()> {
    let changed = tx.execute(
        "UPDATE organisations SET settings = ?2 WHERE id = ?1",
        params![org_id, serde_json::to_string(settings)?],
    )?;
    if changed == 0 {
        return Err(Error::NotFound { what: "组织" });
    }
    Ok(())
}

/// The organisation's settings, or the defaults where it set none.
pub fn org_settings(conn: &Connection, org_id: &str) -> Result<OrgSettings> {
    let json: Option<Option<String>> = conn
        .prepare_cached("SELECT settings FROM organisations WHERE id = ?1")?
        .query_row([org_id], |r| r.get(0))
        .optional()?;
    match json {
        None => Err(Error::NotFound { what: "组织" }),
        Some(None) => Ok(OrgSettings::default()),
        Some(Some(json)) => Ok(serde_json::from_str(&json)?),
    }
}

pub fn insert_term(tx: &Transaction<'_>, term: &Term) -> Result<()> {
    if term.starts_at >= term.ends_at {
        return Err(Error::Invalid("届的结束时间必须晚于开始时间".into()));
    }
    tx.execute(
        "INSERT INTO terms (id, org_id, number, starts_at, ends_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![term.id, term.org_id, term.number, to_millis(term.starts_at), to_millis(term.ends_at)],
    )?;
    Ok(())
}

pub fn insert_session(tx: &Transaction<'_>, s: &Session) -> Result<()> {
    if s.proposals_open_at > s.proposals_deadline {
        return Err(Error::Invalid("提案截止时间不能早于开始时间".into()));
    }
    let term_org: Option<String> =
        tx.query_row("SELECT org_id FROM terms WHERE id = ?1", [&s.term_id], |r| r.get(0)).optional()?;
    if term_org.as_deref() != Some(s.org_id.as_str()) {
        return Err(Error::Invalid("会议与届不属于同一组织".into()));
    }
    tx.execute(
        "INSERT INTO sessions (id, term_id, org_id, number, proposals_open_at, proposals_deadline, accepts_interim)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            s.id,
            s.term_id,
            s.org_id,
            s.number,
            to_millis(s.proposals_open_at),
            to_millis(s.proposals_deadline),
            s.accepts_interim
        ],
    )?;
    Ok(())
}

const SESSION_COLUMNS: &str = "id, term_id, org_id, number, proposals_open_at, proposals_deadline, accepts_interim";

fn session_from_row(r: &Row<'_>) -> lvzhi_sql::Result<Session> {
    Ok(Session {
        id: r.get(0)?,
        term_id: r.get(1)?,
        org_id: r.get(2)?,
        number: r.get(3)?,
        proposals_open_at: from_millis(r.get(4)?),
        proposals_deadline: from_millis(r.get(5)?),
        accepts_interim: r.get(6)?,
    })
}

pub fn get_session(conn: &Connection, id: &str) -> Result<Option<Session>> {
    Ok(conn
        .prepare_cached(&format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?1"))?
        .query_row([id], session_from_row)
        .optional()?)
}

/// An organisation's sessions, in order.
pub fn sessions_of(conn: &Connection, org_id: &str) -> Result<Vec<Session>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {SESSION_COLUMNS} FROM sessions WHERE org_id = ?1 ORDER BY number, id"))?;
    Ok(stmt.query_map([org_id], session_from_row)?.collect::<lvzhi_sql::Result<_>>()?)
}

pub fn insert_member_group(tx: &Transaction<'_>, g: &MemberGroup) -> Result<()> {
    tx.execute(
        "INSERT INTO member_groups (id, org_id, kind, name) VALUES (?1, ?2, ?3, ?4)",
        params![g.id, g.org_id, g.kind.as_str(), g.name],
    )?;
    Ok(())
}

pub fn add_group_member(tx: &Transaction<'_>, group_id: &str, person_id: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO member_group_members (group_id, person_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        params![group_id, person_id],
    )?;
    Ok(())
}

fn group_from_row(r: &Row<'_>) -> lvzhi_sql::Result<MemberGroup> {
    let kind: String = r.get(2)?;
    Ok(MemberGroup {
        id: r.get(0)?,
        org_id: r.get(1)?,
        kind: MemberGroupKind::parse(&kind).unwrap_or(MemberGroupKind::Sector),
        name: r.get(3)?,
    })
}

/// The sectors and special committees a person belongs to.
pub fn groups_of(conn: &Connection, person_id: &str) -> Result<Vec<MemberGroup>> {
    let mut stmt = conn.prepare_cached(
        "SELECT g.id, g.org_id, g.kind, g.name FROM member_groups g
         JOIN member_group_members m ON m.group_id = g.id WHERE m.person_id = ?1 ORDER BY g.kind, g.name",
    )?;
    let rows = stmt.query_map([person_id], group_from_row)?;
    Ok(rows.collect::<lvzhi_sql::Result<_>>()?)
}

/// An organisation's sectors and special committees.
pub fn member_groups(conn: &Connection, org_id: &str) -> Result<Vec<MemberGroup>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, org_id, kind, name FROM member_groups WHERE org_id = ?1 ORDER BY kind, name")?;
    let rows = stmt.query_map([org_id], group_from_row)?;
    Ok(rows.collect::<lvzhi_sql::Result<_>>()?)
}

pub fn member_group(conn: &Connection, id: &str) -> Result<Option<MemberGroup>> {
    let mut stmt = conn.prepare_cached("SELECT id, org_id, kind, name FROM member_groups WHERE id = ?1")?;
    Ok(stmt.query_row([id], group_from_row).optional()?)
}

/// The people of a sector or special committee.
pub fn group_members(conn: &Connection, group_id: &str) -> Result<Vec<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT person_id FROM member_group_members WHERE group_id = ?1 ORDER BY person_id")?;
    Ok(stmt.query_map([group_id], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?)
}

/// An organisation's terms, oldest first.
pub fn terms(conn: &Connection, org_id: &str) -> Result<Vec<Term>> {
    let mut stmt = conn
        .prepare_cached("SELECT id, org_id, number, starts_at, ends_at FROM terms WHERE org_id = ?1 ORDER BY number")?;
    let rows = stmt.query_map([org_id], |r| {
        Ok(Term {
            id: r.get(0)?,
            org_id: r.get(1)?,
            number: r.get(2)?,
            starts_at: from_millis(r.get(3)?),
            ends_at: from_millis(r.get(4)?),
        })
    })?;
    Ok(rows.collect::<lvzhi_sql::Result<_>>()?)
}

pub fn insert_unit(tx: &Transaction<'_>, unit: &HandlingUnit) -> Result<()> {
    tx.execute(
        "INSERT INTO handling_units (id, org_id, name) VALUES (?1, ?2, ?3)",
        params![unit.id, unit.org_id, unit.name],
    )?;
    Ok(())
}

/// An organisation's handling units, by name.
pub fn units_of(conn: &Connection, org_id: &str) -> Result<Vec<HandlingUnit>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, org_id, name FROM handling_units WHERE org_id = ?1 ORDER BY name, id")?;
    Ok(stmt.query_map([org_id], unit_from_row)?.collect::<lvzhi_sql::Result<_>>()?)
}

fn unit_from_row(r: &Row<'_>) -> lvzhi_sql::Result<HandlingUnit> {
    Ok(HandlingUnit { id: r.get(0)?, org_id: r.get(1)?, name: r.get(2)? })
}

/// Everyone with a role in an organisation, by name: (person, name, role), a row per role.
pub fn people_of(conn: &Connection, org_id: &str) -> Result<Vec<(String, String, Role)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.name, g.role FROM people p JOIN role_grants g ON g.person_id = p.id
         WHERE g.org_id = ?1 ORDER BY p.name, g.role",
    )?;
    let rows: Vec<(String, String, String)> =
        stmt.query_map([org_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<lvzhi_sql::Result<_>>()?;
    Ok(rows.into_iter().map(|(id, name, role)| (id, name, Role::parse(&role).unwrap_or(Role::Member))).collect())
}

/// The members (委员) of an organisation, by name: (person, name).
pub fn members_of(conn: &Connection, org_id: &str) -> Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.name FROM people p JOIN role_grants g ON g.person_id = p.id
         WHERE g.org_id = ?1 AND g.role = 'member' ORDER BY p.name, p.id",
    )?;
    Ok(stmt.query_map([org_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<lvzhi_sql::Result<_>>()?)
}

pub fn get_unit(conn: &Connection, id: &str) -> Result<Option<HandlingUnit>> {
    Ok(conn
        .prepare_cached("SELECT id, org_id, name FROM handling_units WHERE id = ?1")?
        .query_row([id], unit_from_row)
        .optional()?)
}

pub fn insert_person(tx: &Transaction<'_>, person: &Person) -> Result<()> {
    if person.name.trim().is_empty() {
        return Err(Error::Invalid("姓名不能为空".into()));
    }
    tx.execute("INSERT INTO people (id, name) VALUES (?1, ?2)", params![person.id, person.name])?;
    Ok(())
}

pub fn get_person(conn: &Connection, id: &str) -> Result<Option<Person>> {
    Ok(conn
        .prepare_cached("SELECT id, name FROM people WHERE id = ?1")?
        .query_row([id], |r| Ok(Person { id: r.get(0)?, name: r.get(1)? }))
        .optional()?)
}

/// A person's name as lists show it (their id if the person is not on this database).
pub fn person_name(conn: &Connection, id: &str) -> Result<String> {
    Ok(get_person(conn, id)?.map(|p| p.name).unwrap_or_else(|| id.to_string()))
}

/// An organisation's name as lists show it (its id if it is not on this database).
pub fn organisation_name(conn: &Connection, id: &str) -> Result<String> {
    Ok(get_organisation(conn, id)?.map(|o| o.name).unwrap_or_else(|| id.to_string()))
}

pub fn grant_role(tx: &Transaction<'_>, grant: &RoleGrant) -> Result<()> {
    if (grant.role == Role::UnitUser) != grant.unit_id.is_some() {
        return Err(Error::Invalid("承办单位用户必须且只能属于一个承办单位".into()));
    }
    if let Some(unit_id) = &grant.unit_id {
        let unit = get_unit(tx, unit_id)?.ok_or(Error::NotFound { what: "承办单位" })?;
        if unit.org_id != grant.org_id {
            return Err(Error::Invalid("承办单位不属于该组织".into()));
        }
    }
    tx.execute(
        "INSERT INTO role_grants (person_id, org_id, role, unit_id) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (person_id, org_id, role) DO UPDATE SET unit_id = excluded.unit_id",
        params![grant.person_id, grant.org_id, grant.role.as_str(), grant.unit_id],
    )?;
    Ok(())
}

pub fn roles_of(conn: &Connection, person_id: &str) -> Result<Vec<RoleGrant>> {
    let mut stmt = conn.prepare_cached(
        "SELECT person_id, org_id, role, unit_id FROM role_grants WHERE person_id = ?1 ORDER BY org_id, role",
    )?;
    let rows = stmt.query_map([person_id], |r| {
        let role: String = r.get(2)?;
        Ok(RoleGrant {
            person_id: r.get(0)?,
            org_id: r.get(1)?,
            role: Role::parse(&role).unwrap_or(Role::Member),
            unit_id: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<lvzhi_sql::Result<_>>()?)
}

/// Takes one role in one organisation from a person (their other roles stay).
pub fn revoke_role(tx: &Transaction<'_>, person_id: &str, org_id: &str, role: Role) -> Result<bool> {
    let n = tx.execute(
        "DELETE FROM role_grants WHERE person_id = ?1 AND org_id = ?2 AND role = ?3",
        params![person_id, org_id, role.as_str()],
    )?;
    Ok(n > 0)
}

/// The actor for `person_id` acting as `role` in `org_id`, if they hold that role there.
pub fn actor_for(conn: &Connection, person_id: &str, org_id: &str, role: Role) -> Result<Option<Actor>> {
    Ok(roles_of(conn, person_id)?.iter().find(|g| g.org_id == org_id && g.role == role).map(Actor::from))
}

/// Whether `person_id` is a member (委员) of `org_id`.
/// A person's roles in one organisation leave this database (the phone lost their membership).
pub fn forget_membership(tx: &Transaction<'_>, person_id: &str, org_id: &str) -> Result<()> {
    tx.execute("DELETE FROM role_grants WHERE person_id = ?1 AND org_id = ?2", params![person_id, org_id])?;
    Ok(())
}

pub fn is_member(conn: &Connection, person_id: &str, org_id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM role_grants WHERE person_id = ?1 AND org_id = ?2 AND role = 'member'")?
        .exists(params![person_id, org_id])?)
}

// Mirroring the server's reference data on a phone. Phones never edit the committee tree,
// sessions or people: the server already checked what it sends, so these only write its
// version over ours, keeping the rows' identities (ids, parents, numbers) as they were.

pub fn mirror_organisation(tx: &Transaction<'_>, o: &Organisation, settings_json: Option<&str>) -> Result<()> {
    tx.execute(
        "INSERT INTO organisations (id, parent_id, level, name) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET parent_id = excluded.parent_id, level = excluded.level, name = excluded.name",
        params![o.id, o.parent_id, o.level.as_str(), o.name],
    )?;
    if let Some(settings) = settings_json {
        tx.execute("UPDATE organisations SET settings = ?2 WHERE id = ?1", params![o.id, settings])?;
    }
    Ok(())
}

pub fn mirror_term(tx: &Transaction<'_>, t: &Term) -> Result<()> {
    tx.execute(
        "INSERT INTO terms (id, org_id, number, starts_at, ends_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO UPDATE SET starts_at = excluded.starts_at, ends_at = excluded.ends_at",
        params![t.id, t.org_id, t.number, to_millis(t.starts_at), to_millis(t.ends_at)],
    )?;
    Ok(())
}

pub fn mirror_session(tx: &Transaction<'_>, s: &Session) -> Result<()> {
    tx.execute(
        "INSERT INTO sessions (id, term_id, org_id, number, proposals_open_at, proposals_deadline, accepts_interim)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (id) DO UPDATE SET proposals_open_at = excluded.proposals_open_at,
             proposals_deadline = excluded.proposals_deadline, accepts_interim = excluded.accepts_interim",
        params![
            s.id,
            s.term_id,
            s.org_id,
            s.number,
            to_millis(s.proposals_open_at),
            to_millis(s.proposals_deadline),
            s.accepts_interim
        ],
    )?;
    Ok(())
}

pub fn mirror_unit(tx: &Transaction<'_>, u: &HandlingUnit) -> Result<()> {
    tx.execute(
        "INSERT INTO handling_units (id, org_id, name) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name",
        params![u.id, u.org_id, u.name],
    )?;
    Ok(())
}

pub fn mirror_member_group(tx: &Transaction<'_>, g: &MemberGroup) -> Result<()> {
    tx.execute(
        "INSERT INTO member_groups (id, org_id, kind, name) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name",
        params![g.id, g.org_id, g.kind.as_str(), g.name],
    )?;
    Ok(())
}

/// A person's name, roles and groups in one organisation, replacing the roles held there before.
pub fn mirror_membership(
    tx: &Transaction<'_>,
    person: &Person,
    org_id: &str,
    grants: &[RoleGrant],
    groups: &[String],
) -> Result<()> {
    tx.execute(
        "INSERT INTO people (id, name) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
        params![person.id, person.name],
    )?;
    tx.execute("DELETE FROM role_grants WHERE person_id = ?1 AND org_id = ?2", params![person.id, org_id])?;
    for g in grants {
        grant_role(tx, g)?;
    }
    for group in groups {
        add_group_member(tx, group, &person.id)?;
    }
    Ok(())
}

//! Who a notice reaches. The same code runs on the phone (with the committee tree and the
//! people it holds: the member's own organisation and its ancestors) and on the server (with
//! everything), so "may this person read and answer it" has one answer.

use std::collections::BTreeSet;

use lvzhi_domain::duty::DutyError;
use lvzhi_domain::duty::notice::{Audience, AudienceList, FollowUp, Notice, Recipient, follow_up};
use lvzhi_sql::{Connection, params};

use super::repo;
use crate::error::{Error, Result};

/// `org_id` and every organisation under it.
pub fn subtree(c: &Connection, org_id: &str) -> Result<Vec<String>> {
    let mut stmt = c.prepare_cached(&format!("{} SELECT id FROM tree ORDER BY id", crate::consult::stats::tree(c)))?;
    Ok(stmt.query_map([org_id], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?)
}

/// The organisations a notice is written to.
pub fn targets(c: &Connection, n: &Notice) -> Result<Vec<String>> {
    targets_of(c, &n.org_id, &n.content.audience)
}

/// The people a group or named audience resolves to (empty for organisation audiences).
pub fn people(c: &Connection, n: &Notice) -> Result<Vec<String>> {
    people_of(c, &n.org_id, &n.content.audience)
}

/// The organisations an audience of `org_id` (a notice's, a 网络议政 topic's) is written to.
pub fn targets_of(c: &Connection, org_id: &str, audience: &Audience) -> Result<Vec<String>> {
    if audience.reaches_subordinates() { subtree(c, org_id) } else { Ok(vec![org_id.to_string()]) }
}

/// The people a group or named audience of `org_id` resolves to (empty for organisation
/// audiences).
pub fn people_of(c: &Connection, org_id: &str, audience: &Audience) -> Result<Vec<String>> {
    match audience {
        Audience::Groups { group_ids } => {
            let mut out = BTreeSet::new();
            let mut stmt = c.prepare_cached(
                "SELECT m.person_id FROM member_group_members m JOIN member_groups g ON g.id = m.group_id
                 WHERE m.group_id = ?1 AND g.org_id = ?2",
            )?;
            for g in group_ids {
                for p in stmt.query_map(params![g, org_id], |r| r.get::<_, String>(0))? {
                    out.insert(p?);
                }
            }
            Ok(out.into_iter().collect())
        }
        Audience::People { person_ids } => Ok(person_ids.clone()),
        _ => Ok(Vec::new()),
    }
}

/// Everyone the notice reaches, with their names and organisations, by organisation and name.
pub fn recipients(c: &Connection, n: &Notice) -> Result<Vec<Recipient>> {
    let role_filter = match n.content.audience {
        Audience::Members { .. } => "AND g.role = 'member'",
        _ => "",
    };
    let mut out: Vec<Recipient> = Vec::new();
    match &n.content.audience {
        Audience::Organisation { .. } | Audience::Members { .. } => {
            let sql = format!(
                "SELECT DISTINCT g.person_id, p.name, g.org_id FROM role_grants g JOIN people p ON p.id = g.person_id
                 WHERE g.org_id = ?1 {role_filter}"
            );
            let mut stmt = c.prepare_cached(&sql)?;
            for org in targets(c, n)? {
                for r in stmt
                    .query_map([&org], |r| Ok(Recipient { person_id: r.get(0)?, name: r.get(1)?, org_id: r.get(2)? }))?
                {
                    let r = r?;
                    if !out.iter().any(|x| x.person_id == r.person_id) {
                        out.push(r);
                    }
                }
            }
        }
        Audience::Groups { .. } | Audience::People { .. } => {
            let tree = subtree(c, &n.org_id)?;
            let mut stmt = c.prepare_cached(
                "SELECT p.name, g.org_id FROM people p LEFT JOIN role_grants g ON g.person_id = p.id WHERE p.id = ?1",
            )?;
            for person in people(c, n)? {
                let rows: Vec<(String, Option<String>)> =
                    stmt.query_map([&person], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<lvzhi_sql::Result<_>>()?;
                let Some((name, _)) = rows.first() else { continue };
                let org = rows
                    .iter()
                    .filter_map(|(_, o)| o.clone())
                    .find(|o| tree.contains(o))
                    .unwrap_or_else(|| n.org_id.clone());
                out.push(Recipient { person_id: person, name: name.clone(), org_id: org });
            }
        }
    }
    out.sort_by(|a, b| (&a.org_id, &a.name, &a.person_id).cmp(&(&b.org_id, &b.name, &b.person_id)));
    Ok(out)
}

pub fn audience_list(c: &Connection, n: &Notice) -> Result<AudienceList> {
    Ok(AudienceList { notice_id: n.id.clone(), org_id: n.org_id.clone(), recipients: recipients(c, n)? })
}

/// Whether `person_id` is in the notice's audience.
pub fn may_receive(c: &Connection, n: &Notice, person_id: &str) -> Result<bool> {
    reaches(c, &n.org_id, &n.content.audience, person_id)
}

/// Whether an audience of `org_id` includes `person_id`.
pub fn reaches(c: &Connection, org_id: &str, audience: &Audience, person_id: &str) -> Result<bool> {
    match audience {
        Audience::Organisation { .. } | Audience::Members { .. } => {
            let members_only = matches!(audience, Audience::Members { .. });
            let targets = targets_of(c, org_id, audience)?;
            let mut stmt = c.prepare_cached("SELECT org_id, role FROM role_grants WHERE person_id = ?1")?;
            let grants: Vec<(String, String)> =
                stmt.query_map([person_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<lvzhi_sql::Result<_>>()?;
            Ok(grants.iter().any(|(org, role)| targets.contains(org) && (!members_only || role == "member")))
        }
        Audience::Groups { .. } | Audience::People { .. } => {
            Ok(people_of(c, org_id, audience)?.iter().any(|p| p == person_id))
        }
    }
}

/// Server side: the groups named belong to the organisation and the people named hold a role
/// in it or under it.
pub fn check(c: &Connection, n: &Notice) -> Result<()> {
    check_audience(c, &n.org_id, &n.content.audience)
}

/// [`check`] for any audience of `org_id`.
pub fn check_audience(c: &Connection, org_id: &str, audience: &Audience) -> Result<()> {
    match audience {
        Audience::Groups { group_ids } => {
            let mut stmt = c.prepare_cached("SELECT 1 FROM member_groups WHERE id = ?1 AND org_id = ?2")?;
            for g in group_ids {
                if !stmt.exists(params![g, org_id])? {
                    return Err(DutyError::AudienceOutside.into());
                }
            }
        }
        Audience::People { person_ids } => check_people_in_tree(c, org_id, person_ids)?,
        _ => {}
    }
    Ok(())
}

/// Each of `people` holds a role in `org_id` or an organisation under it.
pub fn check_people_in_tree(c: &Connection, org_id: &str, people: &[String]) -> Result<()> {
    let tree = subtree(c, org_id)?;
    let mut stmt = c.prepare_cached("SELECT org_id FROM role_grants WHERE person_id = ?1")?;
    for p in people {
        let orgs: Vec<String> = stmt.query_map([p], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?;
        if !orgs.iter().any(|o| tree.contains(o)) {
            return Err(DutyError::AudienceOutside.into());
        }
    }
    Ok(())
}

/// The staff's follow-up list of one notice (who read, who answered what, who has not).
pub fn notice_follow_up(c: &Connection, notice_id: &str) -> Result<FollowUp> {
    let list = repo::audience(c, notice_id)?.ok_or(Error::NotFound { what: "通知接收名单" })?;
    Ok(follow_up(&list, &repo::receipts_of_notice(c, notice_id)?))
}

//! 界别召集人 (the server's `sector_conveners`, which this module alone reads and writes) and
//! the 联络联系 route that is not a mutation: a convener's view of their sector's contact
//! activity, by organisation and month — counted on the server, since members' logs live only
//! in their own scopes, and never by person.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use lvzhi_domain::liaison::contacts::{self, SectorReport};
use lvzhi_domain::org::MemberGroupKind;
use lvzhi_sql::{Connection, Transaction, params};
use lvzhi_store::org;

use crate::AppState;
use crate::auth::Authed;
use crate::error::ApiError;

/// The conveners of a sector.
pub fn conveners_of(c: &Connection, group_id: &str) -> lvzhi_store::Result<Vec<String>> {
    let mut stmt = c.prepare_cached("SELECT person_id FROM sector_conveners WHERE group_id = ?1 ORDER BY person_id")?;
    Ok(stmt.query_map([group_id], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?)
}

/// Makes `person_id` a convener of the sector `group_id`: a member of its organisation and of
/// the sector.
pub fn add_convener(tx: &Transaction<'_>, group_id: &str, person_id: &str) -> lvzhi_store::Result<()> {
    let group = org::member_group(tx, group_id)?.ok_or(lvzhi_store::Error::NotFound { what: "界别" })?;
    let in_sector = org::group_members(tx, group_id)?.iter().any(|p| p == person_id);
    if group.kind != MemberGroupKind::Sector || !in_sector || !org::is_member(tx, person_id, &group.org_id)? {
        return Err(lvzhi_store::Error::Invalid("界别召集人须是该界别的委员".into()));
    }
    tx.execute(
        "INSERT INTO sector_conveners (group_id, person_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        params![group_id, person_id],
    )?;
    Ok(())
}

/// The sector's conveners are exactly `people`.
pub fn set_conveners(tx: &Transaction<'_>, group_id: &str, people: &[String]) -> lvzhi_store::Result<()> {
    tx.execute("DELETE FROM sector_conveners WHERE group_id = ?1", [group_id])?;
    for p in people {
        add_convener(tx, group_id, p)?;
    }
    Ok(())
}

/// How many months back the view reaches (this month included).
const MONTHS: u32 = 12;

/// `GET /v1/liaison/sector-activity`: for each sector the caller convenes, the activity of its
/// members in its organisation and, for sectors of the same name, in the organisations under
/// it. Empty for anyone who convenes none.
pub async fn sector_activity(
    State(app): State<Arc<AppState>>,
    who: Authed,
) -> Result<Json<Vec<SectorReport>>, ApiError> {
    let now = (app.clock)();
    Ok(Json(app.store.read(|c| sector_reports(c, &who.person_id, now))?))
}

pub fn sector_reports(
    c: &Connection,
    person_id: &str,
    now: lvzhi_domain::time::Timestamp,
) -> lvzhi_store::Result<Vec<SectorReport>> {
    let groups: Vec<String> = {
        let mut stmt =
            c.prepare_cached("SELECT group_id FROM sector_conveners WHERE person_id = ?1 ORDER BY group_id")?;
        stmt.query_map([person_id], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?
    };
    let months = last_months(now, MONTHS);
    let (first, last) = (months.first().cloned().unwrap_or_default(), months.last().cloned().unwrap_or_default());
    let mut out = Vec::new();
    for group_id in groups {
        let Some(g) = org::member_group(c, &group_id)? else { continue };
        if g.kind != MemberGroupKind::Sector || !org::is_member(c, person_id, &g.org_id)? {
            continue;
        }
        // The organisation and those under it; in each, the members of its sector of this name.
        let mut orgs = vec![g.org_id.clone()];
        let mut i = 0;
        while i < orgs.len() {
            orgs.extend(org::children(c, &orgs[i])?.into_iter().map(|o| o.id));
            i += 1;
        }
        let mut members: BTreeMap<String, (String, String)> = BTreeMap::new();
        for o in &orgs {
            let name = org::organisation_name(c, o)?;
            for sector in org::member_groups(c, o)?.into_iter().filter(|s| s.kind == g.kind && s.name == g.name) {
                for p in org::group_members(c, &sector.id)? {
                    if org::is_member(c, &p, o)? {
                        members.insert(p, (o.clone(), name.clone()));
                    }
                }
            }
        }
        let logs = lvzhi_store::liaison::repo::logs_of_orgs(c, &orgs, &format!("{first}-01"), &format!("{last}-31"))?;
        let month_set: BTreeSet<String> = months.iter().cloned().collect();
        out.push(SectorReport {
            group_id: g.id.clone(),
            sector_name: g.name.clone(),
            org_name: org::organisation_name(c, &g.org_id)?,
            rows: contacts::sector_activity(&logs, &members, &month_set),
        });
    }
    Ok(out)
}

/// The last `n` months (China time) up to `now`'s, oldest first, as `YYYY-MM`.
fn last_months(now: lvzhi_domain::time::Timestamp, n: u32) -> Vec<String> {
    use chrono::Datelike;
    let today = now.with_timezone(&lvzhi_domain::time::cst()).date_naive();
    let (mut y, mut m) = (today.year(), today.month());
    let mut out = Vec::new();
    for _ in 0..n {
        out.push(format!("{y:04}-{m:02}"));
        if m == 1 {
            y -= 1;
            m = 12;
        } else {
            m -= 1;
        }
    }
    out.reverse();
    out
}

//! Sample databases: the Yunnan committee tree and a small fixture, seeded with the names and
//! topics of [`lvzhi_domain::sample`], for tests, benchmarks and the server's demo mode.

use chrono::Duration;
use lvzhi_sql::Transaction;

use lvzhi_domain::org::{
    HandlingUnit, MemberGroup, MemberGroupKind, OrgLevel, Organisation, Person, Role, RoleGrant, Session, Term,
};
pub use lvzhi_domain::sample::*;
use lvzhi_domain::time::Timestamp;

use crate::error::Result;
use crate::org;

/// Ids of the small fixture.
#[derive(Debug, Clone)]
pub struct SmallTree {
    pub province: String,
    pub prefecture: String,
    pub county: String,
    pub term: String,
    pub session: String,
    /// 委员 of the county committee: 张明, 李华, 王芳, 赵强.
    pub members: Vec<String>,
    /// Proposal staff of the county committee.
    pub staff: String,
    /// Proposal staff of the prefecture committee (another organisation).
    pub other_staff: String,
    /// Handling units of the county committee: 县农业农村局, 县水务局, 县财政局.
    pub units: Vec<String>,
    /// One user per unit, in the same order.
    pub unit_users: Vec<String>,
}

/// Seeds province -> 大理白族自治州 -> 宾川县, a term, a session whose proposal window is
/// open from `now - 30 days` to `now + 30 days`, members, staff and units.
pub fn seed_small(tx: &Transaction<'_>, now: Timestamp) -> Result<SmallTree> {
    let org = |id: &str, parent: Option<&str>, level, name: &str| -> Result<()> {
        org::insert_organisation(
            tx,
            &Organisation { id: id.into(), parent_id: parent.map(Into::into), level, name: name.into() },
        )
    };
    org("yn", None, OrgLevel::Province, "云南省政协")?;
    org("yn-dali", Some("yn"), OrgLevel::Prefecture, "大理白族自治州政协")?;
    org("yn-dali-binchuan", Some("yn-dali"), OrgLevel::County, "宾川县政协")?;
    let county = "yn-dali-binchuan";
    org::insert_term(
        tx,
        &Term {
            id: "binchuan-t11".into(),
            org_id: county.into(),
            number: 11,
            starts_at: now - Duration::days(400),
            ends_at: now + Duration::days(1400),
        },
    )?;
    org::insert_session(
        tx,
        &Session {
            id: "binchuan-t11-s3".into(),
            term_id: "binchuan-t11".into(),
            org_id: county.into(),
            number: 3,
            proposals_open_at: now - Duration::days(30),
            proposals_deadline: now + Duration::days(30),
            accepts_interim: false,
        },
    )?;
    org::insert_member_group(
        tx,
        &MemberGroup {
            id: "binchuan-sector-agri".into(),
            org_id: county.into(),
            kind: MemberGroupKind::Sector,
            name: "农业和农村界".into(),
        },
    )?;
    let person = |id: &str, name: &str, org_id: &str, role: Role, unit: Option<&str>| -> Result<String> {
        org::insert_person(tx, &Person { id: id.into(), name: name.into() })?;
        org::grant_role(
            tx,
            &RoleGrant { person_id: id.into(), org_id: org_id.into(), role, unit_id: unit.map(Into::into) },
        )?;
        Ok(id.to_string())
    };
    let mut members = Vec::new();
    for (id, name) in [("m-zhangming", "张明"), ("m-lihua", "李华"), ("m-wangfang", "王芳"), ("m-zhaoqiang", "赵强")]
    {
        members.push(person(id, name, county, Role::Member, None)?);
        org::add_group_member(tx, "binchuan-sector-agri", id)?;
    }
    let staff = person("s-chenjing", "陈静", county, Role::ProposalStaff, None)?;
    let other_staff = person("s-yangfan", "杨帆", "yn-dali", Role::ProposalStaff, None)?;
    let mut units = Vec::new();
    let mut unit_users = Vec::new();
    for (id, name, user, user_name) in [
        ("u-agri", "宾川县农业农村局", "uu-liujun", "刘军"),
        ("u-water", "宾川县水务局", "uu-sunli", "孙丽"),
        ("u-finance", "宾川县财政局", "uu-zhouwei", "周伟"),
    ] {
        org::insert_unit(tx, &HandlingUnit { id: id.into(), org_id: county.into(), name: name.into() })?;
        units.push(id.to_string());
        unit_users.push(person(user, user_name, county, Role::UnitUser, Some(id))?);
    }
    Ok(SmallTree {
        province: "yn".into(),
        prefecture: "yn-dali".into(),
        county: county.into(),
        term: "binchuan-t11".into(),
        session: "binchuan-t11-s3".into(),
        members,
        staff,
        other_staff,
        units,
        unit_users,
    })
}

/// Seeds the whole Yunnan tree (province, 16 prefectures, 129 counties); returns the ids of the
/// organisations created.
pub fn seed_yunnan_tree(tx: &Transaction<'_>) -> Result<Vec<String>> {
    let mut ids = vec!["yn".to_string()];
    org::insert_organisation(
        tx,
        &Organisation { id: "yn".into(), parent_id: None, level: OrgLevel::Province, name: "云南省政协".into() },
    )?;
    for (pi, (prefecture, counties)) in YUNNAN.iter().enumerate() {
        let pid = format!("yn-{pi:02}");
        org::insert_organisation(
            tx,
            &Organisation {
                id: pid.clone(),
                parent_id: Some("yn".into()),
                level: OrgLevel::Prefecture,
                name: format!("{prefecture}政协"),
            },
        )?;
        ids.push(pid.clone());
        for (ci, county) in counties.iter().enumerate() {
            let cid = format!("{pid}-{ci:02}");
            org::insert_organisation(
                tx,
                &Organisation {
                    id: cid.clone(),
                    parent_id: Some(pid.clone()),
                    level: OrgLevel::County,
                    name: format!("{county}政协"),
                },
            )?;
            ids.push(cid);
        }
    }
    Ok(ids)
}

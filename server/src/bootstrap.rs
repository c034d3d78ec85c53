//! Filling a server: an organisation tree with accounts from a JSON file, or the demo: the
//! whole Yunnan tree (the province, its 16 prefectures and 129 counties), a session open for
//! proposals in every committee, handling units, and demo accounts of every role.

use crate::db::Db;
use chrono::Duration;
use lvzhi_domain::org::{
    HandlingUnit, MemberGroup, MemberGroupKind, OrgLevel, Organisation, Person, Role, RoleGrant, Session, Term,
};
use lvzhi_domain::time::Timestamp;
use lvzhi_sql::Transaction;
use lvzhi_store::org;
use lvzhi_store::sample;
use serde::{Deserialize, Serialize};

use crate::audit::{self, Event, Who};
use crate::auth::create_account;
use crate::changes::emit_org_reference;

/// The bootstrap file (`lvzhi-server bootstrap --file tree.json`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BootstrapFile {
    pub organisations: Vec<Organisation>,
    pub terms: Vec<Term>,
    pub sessions: Vec<Session>,
    pub units: Vec<HandlingUnit>,
    pub member_groups: Vec<MemberGroup>,
    pub people: Vec<BootstrapPerson>,
    /// 界别召集人: a member convening a sector of their organisation.
    pub conveners: Vec<SectorConvener>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SectorConvener {
    pub group_id: String,
    pub person_id: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BootstrapPerson {
    pub id: String,
    pub name: String,
    pub login: Option<String>,
    pub password: Option<String>,
    pub grants: Vec<BootstrapGrant>,
    /// Sectors and special committees.
    pub groups: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BootstrapGrant {
    pub org_id: String,
    pub role: Role,
    #[serde(default)]
    pub unit_id: Option<String>,
}

/// Loads `file` into the store in one transaction and publishes it to the phones.
pub fn load(store: &Db, file: &BootstrapFile, now: Timestamp) -> lvzhi_store::Result<()> {
    store.write(|tx| load_in(tx, file, now))
}

fn load_in(tx: &Transaction<'_>, file: &BootstrapFile, now: Timestamp) -> lvzhi_store::Result<()> {
    for o in &file.organisations {
        org::insert_organisation(tx, o)?;
    }
    for t in &file.terms {
        org::insert_term(tx, t)?;
    }
    for s in &file.sessions {
        org::insert_session(tx, s)?;
    }
    for u in &file.units {
        org::insert_unit(tx, u)?;
    }
    for g in &file.member_groups {
        org::insert_member_group(tx, g)?;
    }
    for p in &file.people {
        org::insert_person(tx, &Person { id: p.id.clone(), name: p.name.clone() })?;
        for g in &p.grants {
            org::grant_role(
                tx,
                &RoleGrant {
                    person_id: p.id.clone(),
                    org_id: g.org_id.clone(),
                    role: g.role,
                    unit_id: g.unit_id.clone(),
                },
            )?;
            let who = Who { person: Some(&p.id), org: Some(&g.org_id), address: None };
            audit::record(tx, now, Event::RoleGranted, who, g.role.label())?;
        }
        for group in &p.groups {
            org::add_group_member(tx, group, &p.id)?;
        }
        if let (Some(login), Some(password)) = (&p.login, &p.password) {
            create_account(tx, &p.id, login, password)?;
        }
    }
    for c in &file.conveners {
        crate::liaison::add_convener(tx, &c.group_id, &c.person_id)?;
    }
    for o in &file.organisations {
        emit_org_reference(tx, &o.id, now)?;
    }
    let detail = format!("{}个组织，{}人", file.organisations.len(), file.people.len());
    audit::record(tx, now, Event::BootstrapLoaded, Who::default(), &detail)
}

/// A demo login, printed at start.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub login: String,
    pub password: String,
    pub name: String,
    pub role: Role,
    pub org_name: String,
}

pub const DEMO_PASSWORD: &str = "lvzhi-demo-2027";

/// The demo file: the Yunnan tree, a term and an open session for every committee, three
/// handling units per committee, and accounts of every role in 宾川县 and the province.
pub fn demo_file(now: Timestamp) -> (BootstrapFile, Vec<DemoAccount>) {
    let mut file = BootstrapFile::default();
    let mut add_org = |id: String, parent: Option<String>, level, name: String, place: &str| {
        let term = format!("{id}-term");
        file.terms.push(Term {
            id: term.clone(),
            org_id: id.clone(),
            number: 13,
            starts_at: now - Duration::days(700),
            ends_at: now + Duration::days(1100),
        });
        file.sessions.push(Session {
            id: format!("{id}-s3"),
            term_id: term,
            org_id: id.clone(),
            number: 3,
            proposals_open_at: now - Duration::days(30),
            proposals_deadline: now + Duration::days(60),
            accepts_interim: true,
        });
        for (suffix, unit) in [("agri", "农业农村局"), ("water", "水务局"), ("edu", "教育体育局")] {
            file.units.push(HandlingUnit {
                id: format!("{id}-{suffix}"),
                org_id: id.clone(),
                name: format!("{place}{unit}"),
            });
        }
        file.organisations.push(Organisation { id, parent_id: parent, level, name });
    };
    add_org("yn".into(), None, OrgLevel::Province, "云南省政协".into(), "云南省");
    for (pi, (prefecture, counties)) in sample::YUNNAN.iter().enumerate() {
        let pid = format!("yn-{pi:02}");
        add_org(pid.clone(), Some("yn".into()), OrgLevel::Prefecture, format!("{prefecture}政协"), prefecture);
        for (ci, county) in counties.iter().enumerate() {
            add_org(format!("{pid}-{ci:02}"), Some(pid.clone()), OrgLevel::County, format!("{county}政协"), county);
        }
    }
    // 宾川县, 大理白族自治州.
    let county = "yn-12-03";
    let mut accounts = Vec::new();
    // Two sectors (界别) and a special committee (专委会) of the county, to find people by.
    let groups = [
        ("yn-12-03-agri-sector", MemberGroupKind::Sector, "农业和农村界"),
        ("yn-12-03-econ-sector", MemberGroupKind::Sector, "经济界"),
        ("yn-12-03-proposal-committee", MemberGroupKind::SpecialCommittee, "提案委员会"),
    ];
    for (id, kind, name) in groups {
        file.member_groups.push(MemberGroup { id: id.into(), org_id: county.into(), kind, name: name.into() });
    }
    // The province's sector of the same name, whose convener (界别召集人) sees its activity in
    // every organisation down to the counties.
    file.member_groups.push(MemberGroup {
        id: "yn-agri-sector".into(),
        org_id: "yn".into(),
        kind: MemberGroupKind::Sector,
        name: "农业和农村界".into(),
    });
    file.conveners.push(SectorConvener { group_id: "yn-agri-sector".into(), person_id: "demo-yangfan".into() });
    // Login, name, organisation, role, handling unit, sectors and committees.
    type DemoPerson<'a> = (&'a str, &'a str, &'a str, Role, Option<&'a str>, &'a [&'a str]);
    let people: [DemoPerson; 11] = [
        ("zhangming", "张明", county, Role::Member, None, &["yn-12-03-agri-sector", "yn-12-03-proposal-committee"]),
        ("lihua", "李华", county, Role::Member, None, &["yn-12-03-agri-sector"]),
        ("wangfang", "王芳", county, Role::Member, None, &["yn-12-03-econ-sector"]),
        ("chenjing", "陈静", county, Role::ProposalStaff, None, &[]),
        ("liujun", "刘军", county, Role::UnitUser, Some("yn-12-03-agri"), &[]),
        ("sunli", "孙丽", county, Role::UnitUser, Some("yn-12-03-water"), &[]),
        ("zhaolei", "赵磊", county, Role::OrgAdmin, None, &[]),
        ("yangfan", "杨帆", "yn", Role::Member, None, &["yn-agri-sector"]),
        // Staff of the province and of 大理州, and a member in 五华区 (昆明市): notices go down
        // the tree to some of them and not to others.
        ("zhouqiang", "周强", "yn", Role::ProposalStaff, None, &[]),
        ("heyun", "何云", "yn-12", Role::ProposalStaff, None, &[]),
        ("machao", "马超", "yn-00-00", Role::Member, None, &[]),
    ];
    for (login, name, org_id, role, unit, groups) in people {
        file.people.push(BootstrapPerson {
            id: format!("demo-{login}"),
            name: name.into(),
            login: Some(login.into()),
            password: Some(DEMO_PASSWORD.into()),
            grants: vec![BootstrapGrant { org_id: org_id.into(), role, unit_id: unit.map(Into::into) }],
            groups: groups.iter().map(|g| g.to_string()).collect(),
        });
        let org_name = file.organisations.iter().find(|o| o.id == org_id).map(|o| o.name.clone()).unwrap_or_default();
        accounts.push(DemoAccount {
            login: login.into(),
            password: DEMO_PASSWORD.into(),
            name: name.into(),
            role,
            org_name,
        });
    }
    (file, accounts)
}

/// Seeds the demo unless the database already holds organisations.
pub fn seed_demo(store: &Db, now: Timestamp) -> lvzhi_store::Result<Option<Vec<DemoAccount>>> {
    let empty: bool = store.read(|c| {
        c.query_row("SELECT NOT EXISTS (SELECT 1 FROM organisations)", [], |r| r.get(0))
            .map_err(lvzhi_store::Error::from)
    })?;
    if !empty {
        return Ok(None);
    }
    let (file, accounts) = demo_file(now);
    load(store, &file, now)?;
    Ok(Some(accounts))
}

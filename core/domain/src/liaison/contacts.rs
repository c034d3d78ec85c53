//! A member's 联系名册 (the people of their sector they keep in touch with: name, sector or
//! unit, phone — the member's own, seen by no one else) and 联系记录 (each contact: the date,
//! the way, what was raised), written offline.
//!
//! Staff and conveners never see a contact's name or phone: the duty record counts the people
//! a member reached in a year (one fact per person and year, titled by the way, not the name),
//! and a 界别召集人 sees counts by organisation and month.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{LiaisonError, date, noon_ms, phone, text, today};
use crate::consult::report::ReportContent;
use crate::duty::record::{DutyFact, Source};
use crate::org::{Actor, Role};

/// 联系方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactWay {
    /// 走访
    Visit,
    /// 座谈
    Forum,
    /// 电话
    Phone,
    /// 线上
    Online,
}

impl ContactWay {
    pub const ALL: [ContactWay; 4] = [ContactWay::Visit, ContactWay::Forum, ContactWay::Phone, ContactWay::Online];

    pub fn label(self) -> &'static str {
        match self {
            ContactWay::Visit => "走访",
            ContactWay::Forum => "座谈",
            ContactWay::Phone => "电话",
            ContactWay::Online => "线上",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ContactWay::Visit => "visit",
            ContactWay::Forum => "forum",
            ContactWay::Phone => "phone",
            ContactWay::Online => "online",
        }
    }

    pub fn parse(s: &str) -> Option<ContactWay> {
        ContactWay::ALL.into_iter().find(|w| w.as_str() == s || w.label() == s)
    }
}

/// What a member types for a person in their register.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactDraft {
    pub name: String,
    /// 界别或单位 (e.g. 「宾川县金牛镇种植户」).
    pub sector: String,
    pub phone: String,
    #[serde(default)]
    pub note: String,
}

/// A person in a member's register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: String,
    /// The member whose register it is.
    pub owner_id: String,
    pub org_id: String,
    pub name: String,
    pub sector: String,
    pub phone: String,
    pub note: String,
    /// Taken out of the register (past contacts with them still count).
    pub removed: bool,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// What a member types for one contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactLogDraft {
    /// The people of the register met (several at a 座谈).
    pub contact_ids: Vec<String>,
    /// `YYYY-MM-DD`, China date.
    pub date: String,
    pub way: ContactWay,
    /// What was raised (反映的问题和建议).
    pub raised: String,
}

/// One contact in a member's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactLog {
    pub id: String,
    pub owner_id: String,
    pub org_id: String,
    pub contact_ids: Vec<String>,
    pub date: String,
    pub way: ContactWay,
    pub raised: String,
    pub logged_at_ms: i64,
    pub updated_at_ms: i64,
}

const MAX_NAME: usize = 20;
const MAX_SECTOR: usize = 60;
const MAX_NOTE: usize = 200;
/// The longest account of what was raised.
pub const MAX_RAISED: usize = 2_000;

fn check_owner(actor: &Actor, owner_id: Option<&str>) -> Result<(), LiaisonError> {
    let own = owner_id.is_none_or(|o| o == actor.person_id);
    if actor.role != Role::Member || !own {
        return Err(LiaisonError::NotOwner);
    }
    Ok(())
}

/// A member adds a person to their register, or corrects one (offline too).
pub fn save_contact(
    actor: &Actor,
    current: Option<&Contact>,
    id: &str,
    draft: &ContactDraft,
    now_ms: i64,
) -> Result<Contact, LiaisonError> {
    check_owner(actor, current.map(|c| c.owner_id.as_str()))?;
    Ok(Contact {
        id: id.into(),
        owner_id: actor.person_id.clone(),
        org_id: current.map_or_else(|| actor.org_id.clone(), |c| c.org_id.clone()),
        name: text("姓名", &draft.name, MAX_NAME, true)?,
        sector: text("界别或单位", &draft.sector, MAX_SECTOR, false)?,
        phone: phone(&draft.phone)?,
        note: text("备注", &draft.note, MAX_NOTE, false)?,
        removed: false,
        created_at_ms: current.map_or(now_ms, |c| c.created_at_ms),
        updated_at_ms: now_ms,
    })
}

/// A member takes a person out of their register; the log keeps its contacts with them.
pub fn remove_contact(actor: &Actor, current: &Contact, now_ms: i64) -> Result<Contact, LiaisonError> {
    check_owner(actor, Some(&current.owner_id))?;
    Ok(Contact { removed: true, updated_at_ms: now_ms, ..current.clone() })
}

/// A member logs a contact with people of their register, or corrects a logged one. `register`
/// is the member's register (the people named must be in it; a removed one only if the entry
/// named them before).
pub fn log_contact(
    actor: &Actor,
    current: Option<&ContactLog>,
    id: &str,
    draft: &ContactLogDraft,
    register: &[Contact],
    now_ms: i64,
) -> Result<ContactLog, LiaisonError> {
    check_owner(actor, current.map(|c| c.owner_id.as_str()))?;
    let day = date(&draft.date)?;
    if day > today(now_ms) {
        return Err(LiaisonError::FutureDate);
    }
    let mut ids: Vec<String> = Vec::new();
    for c in &draft.contact_ids {
        if !ids.contains(c) {
            ids.push(c.clone());
        }
    }
    if ids.is_empty() {
        return Err(LiaisonError::NoContact);
    }
    let before = |c: &str| current.is_some_and(|l| l.contact_ids.iter().any(|x| x == c));
    for c in &ids {
        let known = register.iter().find(|r| &r.id == c && r.owner_id == actor.person_id);
        if !known.is_some_and(|r| !r.removed || before(c)) {
            return Err(LiaisonError::UnknownContact);
        }
    }
    Ok(ContactLog {
        id: id.into(),
        owner_id: actor.person_id.clone(),
        org_id: current.map_or_else(|| actor.org_id.clone(), |c| c.org_id.clone()),
        contact_ids: ids,
        date: day.format("%Y-%m-%d").to_string(),
        way: draft.way,
        raised: text("反映的问题", &draft.raised, MAX_RAISED, false)?,
        logged_at_ms: current.map_or(now_ms, |c| c.logged_at_ms),
        updated_at_ms: now_ms,
    })
}

/// A 社情民意 draft from what a contact raised: the member edits it before submitting.
pub fn report_draft(log: &ContactLog) -> Result<ReportContent, LiaisonError> {
    if log.raised.trim().is_empty() {
        return Err(LiaisonError::Invalid("这次联系没有记录反映的问题".into()));
    }
    Ok(ReportContent {
        title: draft_title(&log.raised),
        situation: format!("{}\n（{}{}界别群众时了解到）", log.raised, log.date, log.way.label()),
        analysis: String::new(),
        suggestion: String::new(),
        attachments: Vec::new(),
    })
}

/// A draft's title from what was raised: its first line, cut to fit.
pub fn draft_title(raised: &str) -> String {
    let first = raised.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("群众反映的问题");
    let cut: String = first.chars().take(30).collect();
    format!("关于{cut}的情况反映")
}

/// The duty-record facts of a member's log: one per person reached and year, at the first
/// contact with them that year, titled by the way (never by the person's name).
pub fn contact_facts(logs: &[ContactLog]) -> Vec<DutyFact> {
    let mut sorted: Vec<&ContactLog> = logs.iter().collect();
    sorted.sort_by(|a, b| (&a.date, &a.id).cmp(&(&b.date, &b.id)));
    let mut seen: BTreeSet<(&str, &str, i32)> = BTreeSet::new();
    let mut out = Vec::new();
    for l in sorted {
        let Ok(day) = date(&l.date) else { continue };
        let at_ms = noon_ms(day);
        let year = crate::duty::record::year_of(at_ms);
        for c in &l.contact_ids {
            if seen.insert((l.owner_id.as_str(), c.as_str(), year)) {
                out.push(DutyFact {
                    person_id: l.owner_id.clone(),
                    key: "contact_people".into(),
                    at_ms,
                    title: format!("{}联系界别群众", l.way.label()),
                    source: Source { entity: "contact_log".into(), id: l.id.clone() },
                    units: 1,
                    co_proposers: 0,
                });
            }
        }
    }
    out
}

/// A member's contact facts as their organisation's staff hold them (derived on the server from
/// the member's log, which never leaves the member's own scope): titled by the way, never by
/// the person, so staff phones compute the same record as the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFacts {
    pub person_id: String,
    pub org_id: String,
    pub facts: Vec<DutyFact>,
}

/// One organisation's activity in one month, for a sector's convener: counts only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectorActivity {
    pub org_id: String,
    pub org_name: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Members of the sector there.
    pub members: u32,
    /// Of them, those who logged a contact that month.
    pub active_members: u32,
    pub contacts: u32,
    /// People reached (each counted once per member).
    pub people: u32,
    /// Contacts that raised something.
    pub raised: u32,
    /// Too few of the sector's members there to show their activity without showing a person's
    /// (fewer than [`MIN_MEMBERS_SHOWN`]): the counts are left at nought.
    #[serde(default)]
    pub withheld: bool,
}

/// An organisation's activity is shown only where the sector has at least this many members
/// there: one member's counts would be that person's.
pub const MIN_MEMBERS_SHOWN: u32 = 2;

/// A sector a member convenes (a 界别 of an organisation), with its activity in that
/// organisation and those under it (their sectors of the same name), by organisation and month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectorReport {
    pub group_id: String,
    pub sector_name: String,
    pub org_name: String,
    pub rows: Vec<SectorActivity>,
}

/// Counts a sector's logs by organisation and month. `members` maps each member of the sector
/// to their organisation (with its name); logs of others are left out.
pub fn sector_activity(
    logs: &[ContactLog],
    members: &BTreeMap<String, (String, String)>,
    months: &BTreeSet<String>,
) -> Vec<SectorActivity> {
    /// One organisation's month so far: its active members, contacts, people reached (per
    /// member) and contacts that raised something.
    #[derive(Default)]
    struct Month<'a> {
        active: BTreeSet<&'a str>,
        contacts: u32,
        people: BTreeSet<(&'a str, &'a str)>,
        raised: u32,
    }
    let mut rows: BTreeMap<(String, String), Month> = BTreeMap::new();
    for l in logs {
        let Some((org, _)) = members.get(&l.owner_id) else { continue };
        let month: String = l.date.chars().take(7).collect();
        if !months.contains(&month) {
            continue;
        }
        let r = rows.entry((org.clone(), month)).or_default();
        r.active.insert(&l.owner_id);
        r.contacts += 1;
        r.people.extend(l.contact_ids.iter().map(|c| (l.owner_id.as_str(), c.as_str())));
        r.raised += u32::from(!l.raised.trim().is_empty());
    }
    let mut per_org: BTreeMap<&str, (u32, &str)> = BTreeMap::new();
    for (org, name) in members.values() {
        let e = per_org.entry(org).or_insert((0, name));
        e.0 += 1;
    }
    let mut out = Vec::new();
    for (org, (count, name)) in per_org {
        let withheld = count < MIN_MEMBERS_SHOWN;
        for month in months {
            let r = rows.get(&(org.to_string(), month.clone())).filter(|_| !withheld);
            out.push(SectorActivity {
                org_id: org.into(),
                org_name: name.into(),
                month: month.clone(),
                members: count,
                active_members: r.map_or(0, |r| r.active.len() as u32),
                contacts: r.map_or(0, |r| r.contacts),
                people: r.map_or(0, |r| r.people.len() as u32),
                raised: r.map_or(0, |r| r.raised),
                withheld,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zhang() -> Actor {
        Actor { person_id: "demo-zhangming".into(), role: Role::Member, org_id: "yn-12-03".into(), unit_id: None }
    }

    fn register() -> Vec<Contact> {
        let d = ContactDraft {
            name: "杨老三".into(),
            sector: "金牛镇肉牛养殖户".into(),
            phone: "13987005678".into(),
            note: String::new(),
        };
        let c1 = save_contact(&zhang(), None, "c1", &d, 1).unwrap();
        let d2 = ContactDraft {
            name: "李春花".into(), sector: "宾川县果蔬协会".into(), ..ContactDraft::default()
        };
        vec![c1, save_contact(&zhang(), None, "c2", &d2, 1).unwrap()]
    }

    const NOV_20: i64 = 1_795_132_800_000; // 2026-11-20 00:00 UTC

    #[test]
    fn only_the_member_keeps_their_register_and_logs_contacts_with_it() {
        let reg = register();
        let staff = Actor { role: Role::ProposalStaff, ..zhang() };
        let d = ContactDraft { name: "王五".into(), ..ContactDraft::default() };
        assert_eq!(save_contact(&staff, None, "c3", &d, 1).unwrap_err(), LiaisonError::NotOwner);
        let li = Actor { person_id: "demo-lihua".into(), ..zhang() };
        assert_eq!(save_contact(&li, Some(&reg[0]), "c1", &d, 1).unwrap_err(), LiaisonError::NotOwner);
        let bad = ContactDraft { phone: "12ab".into(), ..d.clone() };
        assert!(matches!(save_contact(&zhang(), None, "c3", &bad, 1), Err(LiaisonError::Invalid(_))));

        let draft = ContactLogDraft {
            contact_ids: vec!["c1".into(), "c2".into(), "c1".into()],
            date: "2026-11-18".into(),
            way: ContactWay::Visit,
            raised: "肉牛养殖贷款难，希望扩大贴息范围".into(),
        };
        let log = log_contact(&zhang(), None, "l1", &draft, &reg, NOV_20).unwrap();
        assert_eq!(log.contact_ids, vec!["c1", "c2"]);
        let future = ContactLogDraft { date: "2026-11-21".into(), ..draft.clone() };
        assert_eq!(log_contact(&zhang(), None, "l2", &future, &reg, NOV_20).unwrap_err(), LiaisonError::FutureDate);
        let stranger = ContactLogDraft { contact_ids: vec!["c9".into()], ..draft.clone() };
        assert_eq!(
            log_contact(&zhang(), None, "l2", &stranger, &reg, NOV_20).unwrap_err(),
            LiaisonError::UnknownContact
        );
        assert_eq!(log_contact(&li, None, "l2", &draft, &reg, NOV_20).unwrap_err(), LiaisonError::UnknownContact);

        let removed = remove_contact(&zhang(), &reg[1], 2).unwrap();
        let reg2 = vec![reg[0].clone(), removed];
        let again = ContactLogDraft { contact_ids: vec!["c2".into()], ..draft.clone() };
        assert_eq!(log_contact(&zhang(), None, "l3", &again, &reg2, NOV_20).unwrap_err(), LiaisonError::UnknownContact);
        // The entry that named them before may still be corrected.
        assert!(log_contact(&zhang(), Some(&log), "l1", &draft, &reg2, NOV_20).is_ok());

        let report = report_draft(&log).unwrap();
        assert_eq!(report.title, "关于肉牛养殖贷款难，希望扩大贴息范围的情况反映");
        assert!(report.situation.contains("2026-11-18走访"));
    }

    #[test]
    fn facts_count_each_person_once_a_year_without_their_name_and_conveners_see_counts() {
        let reg = register();
        let mk = |id: &str, ids: &[&str], date: &str, raised: &str| {
            let d = ContactLogDraft {
                contact_ids: ids.iter().map(|s| s.to_string()).collect(),
                date: date.into(),
                way: ContactWay::Phone,
                raised: raised.into(),
            };
            log_contact(&zhang(), None, id, &d, &reg, NOV_20).unwrap()
        };
        let logs = vec![
            mk("l1", &["c1"], "2026-10-02", ""),
            mk("l2", &["c1", "c2"], "2026-11-03", "村道年久失修"),
            mk("l3", &["c1"], "2025-12-30", ""),
        ];
        let facts = contact_facts(&logs);
        assert_eq!(facts.len(), 3, "c1 in 2025, c1 and c2 in 2026");
        assert!(facts.iter().all(|f| f.key == "contact_people" && !f.title.contains("杨老三")));

        let members = BTreeMap::from([
            ("demo-zhangming".to_string(), ("yn-12-03".to_string(), "宾川县政协".to_string())),
            ("demo-lihua".to_string(), ("yn-12-03".to_string(), "宾川县政协".to_string())),
            ("xy-1".to_string(), ("yn-12-04".to_string(), "祥云县政协".to_string())),
        ]);
        let months = BTreeSet::from(["2026-10".to_string(), "2026-11".to_string()]);
        let rows = sector_activity(&logs, &members, &months);
        assert_eq!(rows.len(), 4);
        let nov = rows.iter().find(|r| r.org_id == "yn-12-03" && r.month == "2026-11").unwrap();
        assert_eq!((nov.members, nov.active_members, nov.contacts, nov.people, nov.raised), (2, 1, 1, 2, 1));
        let xy = rows.iter().find(|r| r.org_id == "yn-12-04" && r.month == "2026-10").unwrap();
        assert_eq!((xy.members, xy.contacts, xy.withheld), (1, 0, true));
        // One member's own logs, where the sector has only them, are never shown.
        let alone =
            BTreeMap::from([("demo-zhangming".to_string(), ("yn-12-03".to_string(), "宾川县政协".to_string()))]);
        let rows = sector_activity(&logs, &alone, &months);
        assert!(rows.iter().all(|r| r.withheld && r.contacts == 0 && r.people == 0));
        assert!(!serde_json::to_string(&rows).unwrap().contains("demo-zhangming"));
    }
}

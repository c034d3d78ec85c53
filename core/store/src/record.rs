//! The duty record (履职档案) computed from what this database holds: on a member's phone their
//! own facts, on a staff phone and on the server every member's of the organisation. It is
//! built from all the member's work (proposals, meetings, record entries, 社情民意, 网络议政,
//! speeches, study and reading), so it sits above those modules; the facts and the arithmetic are
//! `lvzhi_domain::duty::record`'s and `lvzhi_domain::consult::facts`'s, this only gathers them.

use std::collections::BTreeMap;

use lvzhi_domain::consult::facts;
use lvzhi_domain::consult::topic::Topic;
use lvzhi_domain::duty::meeting::{Attendance, Meeting};
use lvzhi_domain::duty::record::{self, DutyFact, DutyRecord, RecordReader};
use lvzhi_domain::proposal::Proposal;
use lvzhi_sql::Connection;
use serde::{Deserialize, Serialize};

use crate::consult;
use crate::duty::repo;
use crate::error::Result;

/// Every duty fact of `person_id` this database holds (meetings only within `[from, to)` ms
/// when a span is given; the facts' own dates are filtered by [`record::compute`]).
pub fn facts_of_person(
    c: &Connection,
    person_id: &str,
    span: Option<(i64, i64)>,
    now_ms: i64,
) -> Result<Vec<DutyFact>> {
    let mut facts = Vec::new();
    for p in crate::proposal::repo::proposals_of_party(c, person_id)? {
        facts.extend(record::proposal_facts(&p).into_iter().filter(|f| f.person_id == person_id));
    }
    // One join, not a lookup per meeting: a member's five years hold thousands.
    let (from, to) = span.unwrap_or((i64::MIN, i64::MAX));
    let mut stmt = c.prepare_cached(
        "SELECT a.data, m.data FROM attendances a JOIN meetings m ON m.id = a.meeting_id
         WHERE a.person_id = ?1 AND m.starts_at >= ?2 AND m.starts_at < ?3",
    )?;
    let rows: Vec<(String, String)> = stmt
        .query_map(lvzhi_sql::params![person_id, from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<lvzhi_sql::Result<_>>()?;
    for (a, m) in rows {
        let (a, m): (Attendance, Meeting) = (serde_json::from_str(&a)?, serde_json::from_str(&m)?);
        facts.extend(record::attendance_fact(&m, &a));
    }
    facts.extend(repo::entries_of_person(c, person_id)?.iter().filter_map(|e| e.fact()));
    facts.extend(consult_facts_of_person(c, person_id)?);
    facts.extend(study_facts_of_person(c, person_id)?);
    facts.extend(liaison_facts_of_person(c, person_id, now_ms)?);
    Ok(facts)
}

/// The people a member reached (their log, on their own phone and the server) and their days
/// on duty at a studio (on every phone of the organisation and the server).
fn liaison_facts_of_person(c: &Connection, person_id: &str, now_ms: i64) -> Result<Vec<DutyFact>> {
    use lvzhi_domain::liaison::{contacts, studio};
    // The log where this database holds it (the member's phone, the server); else the facts the
    // server derived from it (a staff phone).
    let logs = crate::liaison::repo::logs_of(c, person_id)?;
    let mut out = if logs.is_empty() {
        crate::liaison::repo::contact_facts(c, person_id)?.map(|f| f.facts).unwrap_or_default()
    } else {
        contacts::contact_facts(&logs)
    };
    for s in crate::liaison::repo::studios(c)?.iter().filter(|s| s.is_member(person_id)) {
        out.extend(studio::duty_facts(s, now_ms).into_iter().filter(|f| f.person_id == person_id));
    }
    Ok(out)
}

/// Every duty fact of the members of `org_id` this database holds, by person, as staff read
/// them: without anyone's study (the member's own business).
pub fn facts_of_org(c: &Connection, org_id: &str, now_ms: i64) -> Result<BTreeMap<String, Vec<DutyFact>>> {
    let mut by_person: BTreeMap<String, Vec<DutyFact>> = BTreeMap::new();
    let mut stmt = c.prepare_cached("SELECT snapshot FROM proposals WHERE org_id = ?1")?;
    let snapshots: Vec<String> = stmt.query_map([org_id], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?;
    for s in snapshots {
        let p: Proposal = serde_json::from_str(&s)?;
        for f in record::proposal_facts(&p) {
            by_person.entry(f.person_id.clone()).or_default().push(f);
        }
    }
    for m in repo::meetings_of_org(c, org_id)? {
        for a in repo::attendances_of_meeting(c, &m.id)? {
            if let Some(f) = record::attendance_fact(&m, &a) {
                by_person.entry(f.person_id.clone()).or_default().push(f);
            }
        }
    }
    for e in repo::entries_of_org(c, org_id)? {
        if let Some(f) = e.fact() {
            by_person.entry(f.person_id.clone()).or_default().push(f);
        }
    }
    for r in consult::repo::reports_of_org(c, org_id)? {
        for f in facts::report_facts(&r) {
            by_person.entry(f.person_id.clone()).or_default().push(f);
        }
    }
    // Contacts: from the logs where this database holds them (the server), else from the facts
    // the server derived for staff (a staff phone).
    let logs = crate::liaison::repo::logs_of_org(c, org_id)?;
    let with_logs: std::collections::BTreeSet<String> = logs.iter().map(|l| l.owner_id.clone()).collect();
    let mut contact_facts = lvzhi_domain::liaison::contacts::contact_facts(&logs);
    for f in crate::liaison::repo::contact_facts_of_org(c, org_id)? {
        if !with_logs.contains(&f.person_id) {
            contact_facts.extend(f.facts);
        }
    }
    for f in contact_facts {
        by_person.entry(f.person_id.clone()).or_default().push(f);
    }
    for s in crate::liaison::repo::studios_of_org(c, org_id)? {
        for f in lvzhi_domain::liaison::studio::duty_facts(&s, now_ms) {
            by_person.entry(f.person_id.clone()).or_default().push(f);
        }
    }
    // Posts and speeches are per person; the organisation's members are few enough.
    let members: Vec<String> = {
        let mut stmt = c.prepare_cached("SELECT person_id FROM role_grants WHERE org_id = ?1 AND role = 'member'")?;
        stmt.query_map([org_id], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?
    };
    for m in members {
        let mut personal = posts_and_speeches_of(c, &m)?;
        if !personal.is_empty() {
            by_person.entry(m).or_default().append(&mut personal);
        }
    }
    Ok(by_person)
}

/// A person's studies and reading notes (only on their own phone and on the server: studies
/// are private).
fn study_facts_of_person(c: &Connection, person_id: &str) -> Result<Vec<DutyFact>> {
    let mut out = Vec::new();
    for s in crate::study::repo::studies_of_person(c, person_id)? {
        if let Some(m) = crate::study::repo::material(c, &s.material_id)? {
            out.extend(lvzhi_domain::study::facts::study_facts(&m, &s));
        }
    }
    out.extend(
        crate::study::repo::notes_of_person(c, person_id)?.iter().map(lvzhi_domain::study::facts::reading_note_fact),
    );
    Ok(out)
}

/// The consultation facts of a person: their reports, posts and speeches.
fn consult_facts_of_person(c: &Connection, person_id: &str) -> Result<Vec<DutyFact>> {
    let mut out: Vec<DutyFact> = Vec::new();
    for r in consult::repo::reports_of_author(c, person_id)? {
        out.extend(facts::report_facts(&r).into_iter().filter(|f| f.person_id == person_id));
    }
    out.extend(posts_and_speeches_of(c, person_id)?);
    Ok(out)
}

fn posts_and_speeches_of(c: &Connection, person_id: &str) -> Result<Vec<DutyFact>> {
    let mut out = Vec::new();
    let mut topics: BTreeMap<String, Option<Topic>> = BTreeMap::new();
    for p in consult::repo::posts_of_author(c, person_id)? {
        let t = match topics.get(&p.topic_id) {
            Some(t) => t.clone(),
            None => {
                let t = consult::repo::topic(c, &p.topic_id)?;
                topics.insert(p.topic_id.clone(), t.clone());
                t
            }
        };
        if let Some(t) = t {
            out.extend(facts::post_facts(&t, &p));
        }
    }
    for s in consult::repo::speech_requests_of_person(c, person_id)? {
        if let Some(m) = repo::meeting(c, &s.meeting_id)? {
            out.extend(facts::speech_fact(&m, &s));
        }
    }
    Ok(out)
}

/// The instants (ms) a year of China time spans (a year past chrono's calendar spans nothing).
fn year_span(year: i32) -> (i64, i64) {
    use chrono::TimeZone;
    let start = |y: Option<i32>| {
        y.and_then(|y| lvzhi_domain::time::cst().with_ymd_and_hms(y, 1, 1, 0, 0, 0).single())
            .map(|t| t.timestamp_millis())
    };
    match (start(Some(year)), start(year.checked_add(1))) {
        (Some(from), Some(to)) => (from, to),
        _ => (0, 0),
    }
}

/// The first and last year a record may be asked for: the committees' calendar, with room for
/// old archives and plans (and no arithmetic past the calendar's end).
pub const RECORD_YEARS: std::ops::RangeInclusive<i32> = 1949..=2199;

/// One member's record for `year` under `org_id`'s rules, as `reader` may see it.
/// Facts that depend on the day (a studio's roster) count up to `now_ms`.
pub fn record_of(
    c: &Connection,
    person_id: &str,
    org_id: &str,
    year: i32,
    reader: RecordReader,
    now_ms: i64,
) -> Result<DutyRecord> {
    let rules = repo::rules(c, org_id)?;
    let facts: Vec<DutyFact> = facts_of_person(c, person_id, Some(year_span(year)), now_ms)?
        .into_iter()
        .filter(|f| reader.may_see(f))
        .collect();
    Ok(record::compute(person_id, year, &facts, &rules))
}

/// One member's records for several years (a term, 届), gathering the facts once.
pub fn records_of(
    c: &Connection,
    person_id: &str,
    org_id: &str,
    years: std::ops::RangeInclusive<i32>,
    now_ms: i64,
) -> Result<Vec<DutyRecord>> {
    let rules = repo::rules(c, org_id)?;
    let span = (year_span(*years.start()).0, year_span(*years.end()).1);
    let facts = facts_of_person(c, person_id, Some(span), now_ms)?;
    Ok(years.map(|y| record::compute(person_id, y, &facts, &rules)).collect())
}

/// A member as the staff's follow-up list shows them: by name, with their year's total and
/// counts; never in order of points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRecord {
    pub person_id: String,
    pub name: String,
    pub total: i32,
    pub threshold: i32,
    pub below_threshold: bool,
    pub facts: u32,
    pub rule_version: u32,
}

/// The members of `org_id` with their records for `year`, by name; with `below_only`, only
/// those under the organisation's threshold (for a talk).
pub fn member_records(
    c: &Connection,
    org_id: &str,
    year: i32,
    below_only: bool,
    now_ms: i64,
) -> Result<Vec<MemberRecord>> {
    let rules = repo::rules(c, org_id)?;
    let facts = facts_of_org(c, org_id, now_ms)?;
    let mut stmt = c.prepare_cached(
        "SELECT g.person_id, p.name FROM role_grants g JOIN people p ON p.id = g.person_id
         WHERE g.org_id = ?1 AND g.role = 'member' ORDER BY p.name, g.person_id",
    )?;
    let members: Vec<(String, String)> =
        stmt.query_map([org_id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<lvzhi_sql::Result<_>>()?;
    let none = Vec::new();
    let mut out = Vec::new();
    for (person_id, name) in members {
        let r = record::compute(&person_id, year, facts.get(&person_id).unwrap_or(&none), &rules);
        if below_only && !r.below_threshold() {
            continue;
        }
        out.push(MemberRecord {
            below_threshold: r.below_threshold(),
            total: r.total,
            threshold: r.threshold,
            facts: r.lines.len() as u32,
            rule_version: r.rule_version,
            person_id,
            name,
        });
    }
    Ok(out)
}

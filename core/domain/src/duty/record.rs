//! 履职档案: every duty fact of a member in a year, each with where it came from and the points
//! the organisation's rule table gives it. One function computes it ([`compute`]), from the
//! facts the phone and the server both hold, so the two agree.
//!
//! Nothing here ranks: a record is one member's, and the staff's view lists members by name
//! with a filter for those below the organisation's yearly threshold (for a talk, 约谈).

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::meeting::{Attendance, Meeting, MeetingKind, Outcome};
use super::{DutyError, check_body, check_note, check_staff, check_title};
use crate::org::{Actor, Role};
use crate::proposal::{InvitationStatus, Proposal, ProposalState};
use crate::time::{cst, from_millis};

/// Rule keys, each with its label; each module adds its own (the consultation work's facts
/// are made in `consult::facts`). Only these may carry points.
pub const RULE_KEYS: [(&str, &str); 25] = [
    ("proposal_submitted", "提交提案"),
    ("lead_proposal", "立案提案（第一提案人）"),
    ("co_proposal", "立案提案（联名提案人）"),
    ("key_proposal_lead", "重点提案（第一提案人）"),
    ("key_proposal_co", "重点提案（联名提案人）"),
    ("proposal_rated", "提案办理测评"),
    ("attend_plenary", "出席全体会议（每半天）"),
    ("attend_other", "参加会议活动（每半天）"),
    ("excused_plenary", "全体会议请假"),
    ("absent_plenary", "全体会议无故缺席"),
    ("excused_other", "会议活动请假"),
    ("absent_other", "会议活动无故缺席"),
    ("speech_plenary", "大会发言"),
    ("speech_written", "书面发言"),
    ("self_reported", "自主履职（已审核）"),
    ("report_submitted", "报送社情民意信息"),
    ("report_edited", "社情民意信息被编发"),
    ("report_adopted_above", "社情民意信息被上级采用"),
    ("report_instructed", "社情民意信息获领导批示"),
    ("report_fed_back", "社情民意信息获办理反馈"),
    ("topic_post", "网络议政发表意见"),
    ("post_used", "意见被议政综述采用"),
    ("consult_speech", "远程协商会发言"),
    ("contact_people", "联系界别群众（人）"),
    ("studio_duty", "委员工作室接待（天）"),
];

/// The member's own study (`study::facts`): shown in their own record, never scored, and never
/// shown to anyone else — 国办函〔2026〕12号 forbids scoring people on study in government apps,
/// and study is the member's own business.
pub const STUDY_KEYS: [(&str, &str); 3] =
    [("material_studied", "学习资料"), ("study_note", "撰写学习笔记"), ("reading_note", "读书心得")];

/// Whether a fact is the member's own study (no points, no other reader).
pub fn is_study(key: &str) -> bool {
    STUDY_KEYS.iter().any(|(k, _)| *k == key)
}

pub fn rule_label(key: &str) -> &str {
    RULE_KEYS.iter().chain(STUDY_KEYS.iter()).find(|(k, _)| *k == key).map_or(key, |(_, l)| l)
}

/// Who a record is computed for: the member themself sees their study; staff, the server's
/// routes for others, statistics and exports never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordReader {
    /// The member reading their own record.
    Own,
    /// Anyone else (staff of the member's organisation).
    Others,
}

impl RecordReader {
    /// Whether `fact` may appear in a record read by this reader.
    pub fn may_see(self, fact: &DutyFact) -> bool {
        self == RecordReader::Own || !is_study(&fact.key)
    }
}

/// An organisation's point rules, versioned: a figure says which version gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleTable {
    pub org_id: String,
    /// 0 for the built-in defaults, then +1 per change.
    pub version: u32,
    pub points: BTreeMap<String, i32>,
    /// A co-signed proposal gives its first proposer half the points (rounded down).
    pub split_co_signed: bool,
    /// Points a year below which staff invite the member for a talk.
    pub yearly_threshold: i32,
    /// What the organisation expects of each member in a year, by rule key (「联系界别群众 5
    /// 人」): shown beside the count, never scored or ranked. A table stored before these
    /// existed reads as none.
    #[serde(default)]
    pub expectations: BTreeMap<String, u32>,
    pub updated_at_ms: i64,
    pub updated_by: String,
}

impl RuleTable {
    /// The common scheme (`cppcc-workflows.md`), version 0.
    pub fn defaults(org_id: &str) -> RuleTable {
        let points = [
            ("proposal_submitted", 0),
            ("lead_proposal", 15),
            ("co_proposal", 3),
            ("key_proposal_lead", 15),
            ("key_proposal_co", 3),
            ("proposal_rated", 0),
            ("attend_plenary", 5),
            ("attend_other", 5),
            ("excused_plenary", -10),
            ("absent_plenary", -30),
            ("excused_other", 0),
            ("absent_other", -5),
            ("speech_plenary", 10),
            ("speech_written", 5),
            ("self_reported", 5),
            ("report_submitted", 0),
            ("report_edited", 5),
            ("report_adopted_above", 15),
            ("report_instructed", 15),
            ("report_fed_back", 0),
            ("topic_post", 1),
            ("post_used", 3),
            ("consult_speech", 5),
            // Facts, counted against the yearly expectation; no points unless an organisation
            // chooses to give them.
            ("contact_people", 0),
            ("studio_duty", 0),
        ];
        RuleTable {
            org_id: org_id.into(),
            version: 0,
            points: points.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            split_co_signed: false,
            yearly_threshold: 60,
            expectations: BTreeMap::from([("contact_people".to_string(), 5)]),
            updated_at_ms: 0,
            updated_by: String::new(),
        }
    }
}

impl RuleTable {
    /// The table without points for study: a table stored before study left scoring (on the
    /// server, server migration 0006 removes them; a phone may still hold an old copy) is read so.
    pub fn without_study(mut self) -> RuleTable {
        self.points.retain(|k, _| !is_study(k));
        self
    }
}

/// Staff change the rules: checked, and the next version.
pub fn set_rules(actor: &Actor, current: &RuleTable, new: &RuleTable, now_ms: i64) -> Result<RuleTable, DutyError> {
    check_staff(actor, &current.org_id)?;
    for (k, v) in &new.points {
        if is_study(k) {
            return Err(DutyError::BadRules(format!("「{}」不计积分：学习是委员自己的事，不作考核", rule_label(k))));
        }
        if !RULE_KEYS.iter().any(|(key, _)| key == k) {
            return Err(DutyError::BadRules(format!("未知的规则「{k}」")));
        }
        if !(-100..=100).contains(v) {
            return Err(DutyError::BadRules(format!("「{}」的分值应在-100到100之间", rule_label(k))));
        }
    }
    if !(0..=1000).contains(&new.yearly_threshold) {
        return Err(DutyError::BadRules("年度最低分应在0到1000之间".into()));
    }
    for (k, v) in &new.expectations {
        if !RULE_KEYS.iter().any(|(key, _)| key == k) || is_study(k) {
            return Err(DutyError::BadRules(format!("未知的规则「{k}」")));
        }
        if *v > 1000 {
            return Err(DutyError::BadRules(format!("「{}」的年度要求应在0到1000之间", rule_label(k))));
        }
    }
    Ok(RuleTable {
        org_id: current.org_id.clone(),
        version: current.version + 1,
        points: new.points.clone(),
        split_co_signed: new.split_co_signed,
        yearly_threshold: new.yearly_threshold,
        expectations: new.expectations.clone(),
        updated_at_ms: now_ms,
        updated_by: actor.person_id.clone(),
    })
}

/// Where a fact came from: the entity the apps open when the member taps it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Source {
    /// `proposal`, `meeting`, `duty_entry`
    pub entity: String,
    pub id: String,
}

/// One duty fact of one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyFact {
    pub person_id: String,
    /// A key of [`RULE_KEYS`].
    pub key: String,
    pub at_ms: i64,
    pub title: String,
    pub source: Source,
    /// How many times the rule applies (half days of a meeting; 1 otherwise).
    pub units: u32,
    /// Co-proposers of a proposal the person leads (for `split_co_signed`).
    pub co_proposers: u32,
}

/// The points `rules` give `fact`.
pub fn points_for(fact: &DutyFact, rules: &RuleTable) -> i32 {
    // A rule table stored before study was taken out of scoring gives it nothing.
    if is_study(&fact.key) {
        return 0;
    }
    let base = rules.points.get(&fact.key).copied().unwrap_or(0).saturating_mul(fact.units as i32);
    let leads = matches!(fact.key.as_str(), "lead_proposal" | "key_proposal_lead");
    if rules.split_co_signed && leads && fact.co_proposers > 0 { base.div_euclid(2) } else { base }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordLine {
    pub fact: DutyFact,
    pub label: String,
    pub points: i32,
}

/// Counts and points per rule key, in the order of [`RULE_KEYS`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindTotal {
    pub key: String,
    pub label: String,
    pub count: u32,
    pub points: i32,
    /// The organisation's yearly expectation for this kind, if it has one (shown as 「3 / 5」).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<u32>,
}

/// One member's record for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyRecord {
    pub person_id: String,
    pub year: i32,
    pub rule_version: u32,
    pub lines: Vec<RecordLine>,
    pub by_kind: Vec<KindTotal>,
    pub total: i32,
    pub threshold: i32,
}

impl DutyRecord {
    pub fn below_threshold(&self) -> bool {
        self.total < self.threshold
    }
}

/// The year (China time) of an instant.
pub fn year_of(ms: i64) -> i32 {
    from_millis(ms).with_timezone(&cst()).year()
}

/// The record of `person_id` in `year` from `facts` (others' facts and other years are left
/// out) under `rules`. Pure: the same facts and rules give the same record, anywhere.
pub fn compute(person_id: &str, year: i32, facts: &[DutyFact], rules: &RuleTable) -> DutyRecord {
    let mut lines: Vec<RecordLine> = facts
        .iter()
        .filter(|f| f.person_id == person_id && year_of(f.at_ms) == year)
        .map(|f| RecordLine { label: rule_label(&f.key).to_string(), points: points_for(f, rules), fact: f.clone() })
        .collect();
    lines.sort_by(|a, b| (a.fact.at_ms, &a.fact.key, &a.fact.source).cmp(&(b.fact.at_ms, &b.fact.key, &b.fact.source)));
    let mut totals: BTreeMap<&str, (u32, i32)> = BTreeMap::new();
    // An expectation shows even before the first fact of its kind.
    for k in rules.expectations.keys() {
        totals.entry(k.as_str()).or_default();
    }
    for l in &lines {
        let t = totals.entry(l.fact.key.as_str()).or_default();
        t.0 += 1;
        t.1 += l.points;
    }
    let order = |k: &str| RULE_KEYS.iter().chain(STUDY_KEYS.iter()).position(|(x, _)| *x == k).unwrap_or(usize::MAX);
    let mut by_kind: Vec<KindTotal> = totals
        .into_iter()
        .map(|(k, (count, points))| KindTotal {
            key: k.into(),
            label: rule_label(k).into(),
            count,
            points,
            expected: rules.expectations.get(k).copied(),
        })
        .collect();
    by_kind.sort_by_key(|k| (order(&k.key), k.key.clone()));
    DutyRecord {
        person_id: person_id.into(),
        year,
        rule_version: rules.version,
        total: lines.iter().map(|l| l.points).sum(),
        lines,
        by_kind,
        threshold: rules.yearly_threshold,
    }
}

// --- Facts from what the phone and the server hold -------------------------------------------

/// The facts a proposal gives its proposers: submitted, registered (lead or co-signer), key,
/// and each proposer's rating of the reply.
pub fn proposal_facts(p: &Proposal) -> Vec<DutyFact> {
    let mut out = Vec::new();
    let Some(submitted) = p.submitted_at else { return out };
    if p.state.is_private() || p.state == ProposalState::Withdrawn {
        return out;
    }
    let co: Vec<&str> =
        p.invitations.iter().filter(|i| i.status == InvitationStatus::Accepted).map(|i| i.person_id.as_str()).collect();
    let at = crate::time::to_millis(submitted);
    let fact = |person: &str, key: &str, at_ms: i64| DutyFact {
        person_id: person.into(),
        key: key.into(),
        at_ms,
        title: p.content.title.clone(),
        source: Source { entity: "proposal".into(), id: p.id.clone() },
        units: 1,
        co_proposers: if person == p.first_proposer_id { co.len() as u32 } else { 0 },
    };
    out.push(fact(&p.first_proposer_id, "proposal_submitted", at));
    let registered = p.state.is_registered_and_open() || p.state == ProposalState::Closed;
    if registered {
        out.push(fact(&p.first_proposer_id, "lead_proposal", at));
        out.extend(co.iter().map(|c| fact(c, "co_proposal", at)));
        if let Some(k) = &p.key {
            let at = crate::time::to_millis(k.marked_at);
            out.push(fact(&p.first_proposer_id, "key_proposal_lead", at));
            out.extend(co.iter().map(|c| fact(c, "key_proposal_co", at)));
        }
    }
    for e in &p.evaluations {
        out.push(fact(&e.person_id, "proposal_rated", crate::time::to_millis(e.at)));
    }
    out
}

/// The fact a meeting gives one person, if any yet.
pub fn attendance_fact(m: &Meeting, a: &Attendance) -> Option<DutyFact> {
    let plenary = m.kind == MeetingKind::Plenary;
    let (key, units) = match (a.outcome()?, plenary) {
        (Outcome::Attended, true) => ("attend_plenary", m.half_days.max(1)),
        (Outcome::Attended, false) => ("attend_other", m.half_days.max(1)),
        (Outcome::Excused, true) => ("excused_plenary", 1),
        (Outcome::Excused, false) => ("excused_other", 1),
        (Outcome::Absent, true) => ("absent_plenary", 1),
        (Outcome::Absent, false) => ("absent_other", 1),
    };
    Some(DutyFact {
        person_id: a.person_id.clone(),
        key: key.into(),
        at_ms: m.starts_at_ms,
        title: format!("{}：{}", m.kind.label(), m.title),
        source: Source { entity: "meeting".into(), id: m.id.clone() },
        units,
        co_proposers: 0,
    })
}

// --- Speeches and self-reported duties ---------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// 大会发言 (recorded by staff)
    PlenarySpeech,
    /// 书面发言 (recorded by staff)
    WrittenSpeech,
    /// 自主履职: a duty outside the system, reported by the member, checked by staff.
    SelfReported,
}

impl EntryKind {
    pub fn label(self) -> &'static str {
        match self {
            EntryKind::PlenarySpeech => "大会发言",
            EntryKind::WrittenSpeech => "书面发言",
            EntryKind::SelfReported => "自主履职",
        }
    }

    fn rule_key(self) -> &'static str {
        match self {
            EntryKind::PlenarySpeech => "speech_plenary",
            EntryKind::WrittenSpeech => "speech_written",
            EntryKind::SelfReported => "self_reported",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// Recorded by staff (speeches): counts.
    Recorded,
    /// 待审核
    Submitted,
    /// 已认定: counts.
    Accepted,
    /// 已退回 (with a reason): does not count.
    Returned,
}

impl EntryStatus {
    pub fn label(self) -> &'static str {
        match self {
            EntryStatus::Recorded => "已记录",
            EntryStatus::Submitted => "待审核",
            EntryStatus::Accepted => "已认定",
            EntryStatus::Returned => "已退回",
        }
    }
}

/// A speech recorded by staff, or a duty a member reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DutyEntry {
    pub id: String,
    pub org_id: String,
    pub person_id: String,
    pub kind: EntryKind,
    pub title: String,
    pub description: String,
    /// The day it happened.
    pub date_ms: i64,
    pub status: EntryStatus,
    pub reason: String,
    pub created_by: String,
    pub created_at_ms: i64,
    pub decided_by: Option<String>,
    pub decided_at_ms: Option<i64>,
}

impl DutyEntry {
    pub fn fact(&self) -> Option<DutyFact> {
        matches!(self.status, EntryStatus::Recorded | EntryStatus::Accepted).then(|| DutyFact {
            person_id: self.person_id.clone(),
            key: self.kind.rule_key().into(),
            at_ms: self.date_ms,
            title: format!("{}：{}", self.kind.label(), self.title),
            source: Source { entity: "duty_entry".into(), id: self.id.clone() },
            units: 1,
            co_proposers: 0,
        })
    }
}

/// Staff record a speech (大会发言 or 书面发言) of a member of their organisation.
pub fn record_speech(
    actor: &Actor,
    id: &str,
    person_id: &str,
    kind: EntryKind,
    title: &str,
    date_ms: i64,
    now_ms: i64,
) -> Result<DutyEntry, DutyError> {
    check_staff(actor, &actor.org_id)?;
    if kind == EntryKind::SelfReported {
        return Err(DutyError::BadRules("自主履职由委员本人提交".into()));
    }
    Ok(DutyEntry {
        id: id.into(),
        org_id: actor.org_id.clone(),
        person_id: person_id.into(),
        kind,
        title: check_title(title)?.into(),
        description: String::new(),
        date_ms,
        status: EntryStatus::Recorded,
        reason: String::new(),
        created_by: actor.person_id.clone(),
        created_at_ms: now_ms,
        decided_by: None,
        decided_at_ms: None,
    })
}

/// A member reports a duty done outside the system; it counts once staff accept it.
pub fn submit_self_report(
    actor: &Actor,
    id: &str,
    title: &str,
    description: &str,
    date_ms: i64,
    now_ms: i64,
) -> Result<DutyEntry, DutyError> {
    if actor.role != Role::Member {
        return Err(DutyError::NotYours);
    }
    let title = check_title(title)?;
    let description = check_body("履职内容", description, true).map_err(|e| match e {
        DutyError::Empty { .. } => DutyError::SelfReportNeedsDescription,
        e => e,
    })?;
    if date_ms > now_ms {
        return Err(DutyError::DateInFuture);
    }
    Ok(DutyEntry {
        id: id.into(),
        org_id: actor.org_id.clone(),
        person_id: actor.person_id.clone(),
        kind: EntryKind::SelfReported,
        title: title.into(),
        description: description.into(),
        date_ms,
        status: EntryStatus::Submitted,
        reason: String::new(),
        created_by: actor.person_id.clone(),
        created_at_ms: now_ms,
        decided_by: None,
        decided_at_ms: None,
    })
}

/// Staff accept a self-reported duty or return it with a reason.
pub fn decide_self_report(
    actor: &Actor,
    e: &DutyEntry,
    accept: bool,
    reason: &str,
    now_ms: i64,
) -> Result<DutyEntry, DutyError> {
    check_staff(actor, &e.org_id)?;
    if e.status != EntryStatus::Submitted {
        return Err(DutyError::AlreadyDecided);
    }
    let reason = check_note("退回理由", reason, !accept).map_err(|err| match err {
        DutyError::Empty { .. } => DutyError::ReturnNeedsReason,
        err => err,
    })?;
    let mut e = e.clone();
    e.status = if accept { EntryStatus::Accepted } else { EntryStatus::Returned };
    e.reason = reason.into();
    e.decided_by = Some(actor.person_id.clone());
    e.decided_at_ms = Some(now_ms);
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fact(key: &str, at_ms: i64, units: u32, co: u32) -> DutyFact {
        DutyFact {
            person_id: "zhangming".into(),
            key: key.into(),
            at_ms,
            title: "关于加快宾川县高标准农田建设的提案".into(),
            source: Source { entity: "proposal".into(), id: format!("p{at_ms}") },
            units,
            co_proposers: co,
        }
    }

    #[test]
    fn split_gives_the_first_proposer_half_of_a_co_signed_proposal() {
        let mut rules = RuleTable::defaults("yn-12-03");
        assert_eq!(points_for(&fact("lead_proposal", 0, 1, 2), &rules), 15);
        rules.split_co_signed = true;
        assert_eq!(points_for(&fact("lead_proposal", 0, 1, 2), &rules), 7);
        assert_eq!(points_for(&fact("lead_proposal", 0, 1, 0), &rules), 15);
        assert_eq!(points_for(&fact("attend_plenary", 0, 3, 0), &rules), 15);
    }

    #[test]
    fn rules_are_checked_and_versioned() {
        let staff =
            Actor { person_id: "chenjing".into(), role: Role::ProposalStaff, org_id: "yn-12-03".into(), unit_id: None };
        let current = RuleTable::defaults("yn-12-03");
        let mut new = current.clone();
        new.points.insert("lead_proposal".into(), 20);
        let v1 = set_rules(&staff, &current, &new, 5).unwrap();
        assert_eq!(v1.version, 1);
        new.points.insert("排名".into(), 1);
        assert!(matches!(set_rules(&staff, &v1, &new, 6), Err(DutyError::BadRules(_))));
    }

    #[test]
    fn study_is_never_scored_and_only_its_member_reads_it() {
        let staff =
            Actor { person_id: "chenjing".into(), role: Role::ProposalStaff, org_id: "yn-12-03".into(), unit_id: None };
        let current = RuleTable::defaults("yn-12-03");
        for (key, label) in STUDY_KEYS {
            let mut new = current.clone();
            new.points.insert(key.into(), 5);
            match set_rules(&staff, &current, &new, 5) {
                Err(DutyError::BadRules(why)) => assert!(why.contains(label) && why.contains("不计积分"), "{why}"),
                other => panic!("{key}: {other:?}"),
            }
        }
        // A table stored before the rule (with points for study) gives study nothing.
        let mut stored = current.clone();
        stored.points.insert("material_studied".into(), 5);
        let facts = [fact("material_studied", 1_800_000_000_000, 1, 0), fact("lead_proposal", 1_800_000_000_000, 1, 0)];
        let year = year_of(1_800_000_000_000);
        let own = compute("zhangming", year, &facts, &stored);
        assert_eq!(own.total, 15);
        assert!(own.lines.iter().any(|l| l.fact.key == "material_studied" && l.points == 0));
        let seen: Vec<DutyFact> = facts.iter().filter(|f| RecordReader::Others.may_see(f)).cloned().collect();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].key, "lead_proposal");
        assert!(facts.iter().all(|f| RecordReader::Own.may_see(f)));
    }

    const KEYS: [&str; 8] = [
        "lead_proposal",
        "co_proposal",
        "attend_plenary",
        "absent_plenary",
        "self_reported",
        "contact_people",
        "studio_duty",
        "新",
    ];

    proptest! {
        /// For random facts and rule tables, the total is the sum of the rules applied to the
        /// facts of that person and year, and computing again gives the same record.
        #[test]
        fn the_total_is_the_sum_of_the_rules_applied_and_recomputing_changes_nothing(
            raw in prop::collection::vec((0usize..8, 0i64..3, 1u32..4, 0u32..3, any::<bool>()), 0..60),
            points in prop::collection::vec(-30i32..30, 8),
            split in any::<bool>(),
        ) {
            let year_ms = 1_735_660_800_000i64; // 2025-01-01 00:00 in China
            let facts: Vec<DutyFact> = raw.iter().enumerate().map(|(i, (k, y, u, c, mine))| DutyFact {
                person_id: if *mine { "zhangming".into() } else { "lihua".into() },
                ..fact(KEYS[*k], year_ms + y * 366 * 86_400_000 + i as i64, *u, *c)
            }).collect();
            let mut rules = RuleTable::defaults("yn-12-03");
            rules.points = KEYS.iter().zip(&points).map(|(k, p)| (k.to_string(), *p)).collect();
            rules.split_co_signed = split;
            let record = compute("zhangming", 2025, &facts, &rules);
            let expected: i32 = facts.iter()
                .filter(|f| f.person_id == "zhangming" && year_of(f.at_ms) == 2025)
                .map(|f| {
                    let base = rules.points.get(&f.key).copied().unwrap_or(0) * f.units as i32;
                    if split && f.key == "lead_proposal" && f.co_proposers > 0 { base.div_euclid(2) } else { base }
                })
                .sum();
            prop_assert_eq!(record.total, expected);
            prop_assert_eq!(record.by_kind.iter().map(|k| k.points).sum::<i32>(), record.total);
            prop_assert_eq!(&compute("zhangming", 2025, &facts, &rules), &record);
            // An expectation is shown beside its count, never added to the total.
            let mut expecting = rules.clone();
            expecting.expectations.insert("studio_duty".into(), 12);
            let with = compute("zhangming", 2025, &facts, &expecting);
            prop_assert_eq!(with.total, record.total);
            let duty = with.by_kind.iter().find(|k| k.key == "studio_duty").unwrap();
            prop_assert_eq!(duty.expected, Some(12));
            prop_assert_eq!(
                duty.count as usize,
                facts.iter().filter(|f| f.person_id == "zhangming" && f.key == "studio_duty" && year_of(f.at_ms) == 2025).count()
            );
        }
    }
}

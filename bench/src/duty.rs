//! The duty record on the phone: one member's five-year record from 2,000+ facts (target
//! < 50 ms), and the staff's list of an organisation's 500 members with their year's totals and
//! a notice's follow-up for 500 recipients (target < 200 ms). Each against reading the same rows
//! with plain SQL in the same run.

use std::time::{Duration, Instant};

use lvzhi_domain::duty::meeting::{Attendance, CheckInMethod, Enrolment, Meeting, MeetingKind, Reply};
use lvzhi_domain::duty::notice::{
    Audience, AudienceList, Notice, NoticeContent, NoticeKind, NoticeStatus, Receipt, Recipient, ReplyOption,
};
use lvzhi_domain::duty::record::{DutyEntry, EntryKind, EntryStatus};
use lvzhi_domain::org::{Person, Role, RoleGrant};
use lvzhi_store::duty::{audience, repo};
use lvzhi_store::record;
use lvzhi_store::{DbKind, Store, org, sample};

use crate::fig;
use crate::{Figure, ms, percentile};

const ORG: &str = "yn-dali-binchuan";
const DAY: i64 = 86_400_000;
/// 2022-01-01 in China.
const START: i64 = 1_640_966_400_000;

fn meeting(id: &str, kind: MeetingKind, at: i64, people: Vec<String>) -> Meeting {
    Meeting {
        id: id.into(),
        org_id: ORG.into(),
        kind,
        title: format!("宾川县政协{}（{}）", kind.label(), id),
        starts_at_ms: at,
        ends_at_ms: at + 3 * 3_600_000,
        place: "宾川县会议中心".into(),
        organiser: "县政协办公室".into(),
        agenda: "一、学习传达全会精神；二、协商讨论。".into(),
        half_days: 1,
        enrolment: Enrolment::Invitation { person_ids: people },
        leave_needs_approval: false,
        remote: None,
        documents: vec![],
        cancelled: false,
        cancel_reason: None,
        created_by: "s-chenjing".into(),
        created_at_ms: at - DAY,
        check_in_key: None,
        taken: 0,
        waiting: 0,
    }
}

fn attended(meeting_id: &str, person: &str, at: i64) -> Attendance {
    Attendance {
        reply: Reply::Attend,
        checked_in_at_ms: Some(at),
        check_in_method: Some(CheckInMethod::Code),
        ..Attendance::new(meeting_id, person)
    }
}

fn entry(id: String, person: &str, at: i64, n: usize) -> DutyEntry {
    DutyEntry {
        id,
        org_id: ORG.into(),
        person_id: person.into(),
        kind: if n.is_multiple_of(2) { EntryKind::WrittenSpeech } else { EntryKind::SelfReported },
        title: format!("关于宾川县葡萄产业发展的第{n}次调研"),
        description: "走访金牛镇、州城镇农户，收集意见建议。".into(),
        date_ms: at,
        status: if n.is_multiple_of(2) { EntryStatus::Recorded } else { EntryStatus::Accepted },
        reason: String::new(),
        created_by: "s-chenjing".into(),
        created_at_ms: at,
        decided_by: None,
        decided_at_ms: None,
    }
}

fn time<T>(n: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    percentile(&mut times, 0.5)
}

/// Plain SQL over the same rows the record reads.
fn raw_read(store: &Store, sql: &str, arg: &str) -> usize {
    store
        .read(|c| {
            let mut s = c.prepare_cached(sql)?;
            let n = s.query_map([arg], |r| r.get::<_, String>(0))?.count();
            Ok::<_, lvzhi_store::Error>(n)
        })
        .unwrap()
}

pub fn figures() -> Vec<Figure> {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("duty.db"), DbKind::Device).unwrap();
    let member = "m-zhangming";
    // One member over five years: 1,600 meetings attended and 400 record entries.
    let members: Vec<String> = (0..500).map(|i| format!("bench-member-{i:03}")).collect();
    store
        .write(|tx| {
            sample::seed_small(tx, sample::fixed_now())?;
            for (i, p) in members.iter().enumerate() {
                org::insert_person(tx, &Person { id: p.clone(), name: format!("委员{i:03}") })?;
                org::grant_role(
                    tx,
                    &RoleGrant { person_id: p.clone(), org_id: ORG.into(), role: Role::Member, unit_id: None },
                )?;
            }
            for i in 0..1_600 {
                let at = START + (i as i64) * (5 * 365 * DAY / 1_600);
                let kind = if i % 8 == 0 { MeetingKind::Plenary } else { MeetingKind::Research };
                let id = format!("bench-m{i}");
                repo::save_meeting(tx, &meeting(&id, kind, at, vec![member.into()]))?;
                repo::save_attendance(tx, &attended(&id, member, at))?;
            }
            for n in 0..400 {
                repo::save_entry(tx, &entry(format!("bench-e{n}"), member, START + (n as i64) * 4 * DAY, n))?;
            }
            // The organisation's year: 12 meetings for all 500 members, one entry each.
            for k in 0..12 {
                let at = START + 4 * 365 * DAY + k * 30 * DAY;
                let id = format!("bench-org-m{k}");
                repo::save_meeting(tx, &meeting(&id, MeetingKind::Consultation, at, members.clone()))?;
                for (i, p) in members.iter().enumerate() {
                    if !(i + k as usize).is_multiple_of(5) {
                        repo::save_attendance(tx, &attended(&id, p, at))?;
                    }
                }
            }
            for (i, p) in members.iter().enumerate() {
                repo::save_entry(tx, &entry(format!("bench-org-e{i}"), p, START + 4 * 365 * DAY + 100 * DAY, i))?;
            }
            // A notice to the 500 with 400 receipts.
            let notice = Notice {
                id: "bench-n".into(),
                org_id: ORG.into(),
                content: NoticeContent {
                    attachments: Vec::new(),
                    urgent: false,
                    title: "关于报送年度履职情况的通知".into(),
                    body: "请于月底前报送。".into(),
                    kind: NoticeKind::Work,
                    audience: Audience::Members { subordinates: false },
                    asks_reply: true,
                    reply_deadline_ms: None,
                },
                version: 1,
                status: NoticeStatus::Published,
                published_by: "s-chenjing".into(),
                published_at_ms: START,
                corrected_at_ms: None,
                withdrawn_reason: None,
                history: vec![],
            };
            repo::save_notice(tx, &notice)?;
            let recipients = members
                .iter()
                .enumerate()
                .map(|(i, p)| Recipient { person_id: p.clone(), name: format!("委员{i:03}"), org_id: ORG.into() })
                .collect();
            repo::save_audience(tx, &AudienceList { notice_id: "bench-n".into(), org_id: ORG.into(), recipients })?;
            for p in members.iter().take(400) {
                let r = Receipt {
                    read_at_ms: Some(START),
                    answer: Some(ReplyOption::Attend),
                    ..Receipt::new("bench-n", p)
                };
                repo::save_receipt(tx, &r)?;
            }
            Ok::<_, lvzhi_store::Error>(())
        })
        .unwrap();

    let year = lvzhi_domain::duty::record::year_of(START + 4 * 365 * DAY + 100 * DAY);
    let five_years = || -> usize {
        let records = store.read(|c| record::records_of(c, member, ORG, year - 4..=year, i64::MAX)).unwrap();
        records.iter().map(|r| r.lines.len()).sum()
    };
    let facts = five_years();
    let record_time = time(20, five_years);
    let raw_record = time(20, || {
        raw_read(
            &store,
            "SELECT a.data FROM attendances a JOIN meetings m ON m.id = a.meeting_id WHERE a.person_id = ?1",
            member,
        ) + raw_read(&store, "SELECT data FROM duty_entries WHERE person_id = ?1", member)
    });
    let list_time = time(10, || store.read(|c| record::member_records(c, ORG, year, false, i64::MAX)).unwrap().len());
    let raw_list = time(10, || {
        raw_read(&store, "SELECT data FROM meetings WHERE org_id = ?1", ORG)
            + raw_read(
                &store,
                "SELECT a.data FROM attendances a JOIN meetings m ON m.id = a.meeting_id WHERE m.org_id = ?1",
                ORG,
            )
            + raw_read(&store, "SELECT data FROM duty_entries WHERE org_id = ?1", ORG)
    });
    let follow_time = time(20, || store.read(|c| audience::notice_follow_up(c, "bench-n")).unwrap().lines.len());
    let raw_follow = time(20, || {
        raw_read(&store, "SELECT data FROM notice_receipts WHERE notice_id = ?1", "bench-n")
            + raw_read(&store, "SELECT data FROM notice_audiences WHERE notice_id = ?1", "bench-n")
    });
    let record_ms = ms(record_time);
    let list_ms = ms(list_time);
    let follow_ms = ms(follow_time);
    vec![
        fig(
            &format!("duty_record_5y_{facts}_facts"),
            (record_ms, "ms"),
            (ms(raw_record), "ms raw read"),
            "< 50 ms",
            record_ms < 50.0 && facts >= 2_000,
        ),
        fig("staff_member_records_500", (list_ms, "ms"), (ms(raw_list), "ms raw read"), "< 200 ms", list_ms < 200.0),
        fig("notice_follow_up_500", (follow_ms, "ms"), (ms(raw_follow), "ms raw read"), "< 200 ms", follow_ms < 200.0),
    ]
}

//! Notices, meetings and the duty record end to end: a real server with the demo's Yunnan tree,
//! several phones with their own database files, and the lossy proxy between them.

use std::sync::atomic::Ordering;

use chrono::Duration;
use lvzhi_domain::duty::meeting::{Enrolment, MeetingDraft, MeetingKind};
use lvzhi_domain::duty::notice::{Audience, NoticeContent, NoticeKind, ReplyOption};
use lvzhi_domain::duty::record::{DutyRecord, EntryKind};
use lvzhi_domain::time::to_millis;
use lvzhi_store::duty::reminders::ReminderKind;
use lvzhi_store::sample;
use lvzhi_tests::{Phone, TestServer, demo_server};

const COUNTY: &str = "yn-12-03";
const YEAR: i32 = 2027;

fn ms(server: &TestServer) -> i64 {
    to_millis(server.clock.now())
}

fn notice(title: &str, audience: Audience, deadline_ms: Option<i64>) -> NoticeContent {
    NoticeContent {
        attachments: Vec::new(),
        urgent: false,
        title: title.into(),
        body: "请各位委员按时参加，并于截止日前回复回执。".into(),
        kind: NoticeKind::Meeting,
        audience,
        asks_reply: deadline_ms.is_some(),
        reply_deadline_ms: deadline_ms,
    }
}

async fn sync_all(phones: &[&Phone]) {
    for _ in 0..2 {
        for p in phones {
            p.client.sync_until_idle().await.unwrap();
        }
    }
}

fn titles(p: &Phone) -> Vec<String> {
    let mut t: Vec<String> = p.client.notices().unwrap().into_iter().map(|n| n.title).collect();
    t.sort();
    t
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_go_down_the_tree_and_staff_follow_up_by_name() {
    let server = demo_server(sample::fixed_now()).await;
    let province = Phone::logged_in(&server, "zhouqiang", "zhouqiang").await;
    let dali = Phone::logged_in(&server, "heyun", "heyun").await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let zhang2 = Phone::logged_in(&server, "zhangming-pad", "zhangming").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    let kunming = Phone::logged_in(&server, "machao", "machao").await;
    let yang = Phone::logged_in(&server, "yangfan", "yangfan").await;
    let week = ms(&server) + 7 * 86_400_000;

    // Bad input is refused on the phone with the server's reason, and nothing is queued.
    let err =
        dali.client.publish_notice(None, notice("  ", Audience::Members { subordinates: true }, None)).unwrap_err();
    assert_eq!(err.to_string(), "标题不能为空");
    let past = notice("关于报送调研报告的通知", Audience::Members { subordinates: true }, Some(ms(&server) - 1));
    assert_eq!(dali.client.publish_notice(None, past).unwrap_err().to_string(), "截止时间不能早于现在");
    assert_eq!(
        zhang
            .client
            .publish_notice(None, notice("通知", Audience::Members { subordinates: false }, None))
            .unwrap_err()
            .to_string(),
        "只有本组织的工作人员可以进行此操作"
    );
    assert!(dali.client.outbox().unwrap().is_empty());

    let province_title = "关于开展2027年度全省政协委员履职培训的通知";
    let dali_title = "关于召开大理州政协委员视察活动动员会的通知";
    let province_notice = province
        .client
        .publish_notice(None, notice(province_title, Audience::Members { subordinates: true }, Some(week)))
        .unwrap();
    let dali_notice = dali
        .client
        .publish_notice(None, notice(dali_title, Audience::Members { subordinates: true }, Some(week)))
        .unwrap();
    sync_all(&[&province, &dali, &zhang, &zhang2, &li, &kunming, &yang]).await;

    // A county member gets both; 五华区 (another prefecture) only the province's; a member of
    // the province itself only the province's.
    assert_eq!(titles(&zhang), [dali_title, province_title]);
    assert_eq!(titles(&kunming), [province_title]);
    assert_eq!(titles(&yang), [province_title]);
    // Through their own organisation's scope, not the province's data: no province proposal
    // staff scope, no other county's members.
    let scopes = lvzhi_tests::sql_strings(zhang.client.store(), "SELECT scope FROM sync_cursors ORDER BY scope", []);
    assert!(scopes.iter().all(|s| !s.contains(":yn-00") && s != "org:yn" && s != "members:yn"), "{scopes:?}");

    // Read and answered offline, synced later; the read marker reaches 张明's other device.
    zhang.offline();
    let opened = zhang.client.open_notice(&dali_notice).unwrap();
    assert!(opened.item.read && opened.can_answer);
    zhang.client.answer_notice(&dali_notice, ReplyOption::Attend, "").unwrap();
    assert_eq!(zhang.client.notice(&dali_notice).unwrap().item.answer_label.as_deref(), Some("参加"));
    let err = li.client.answer_notice(&dali_notice, ReplyOption::Other, " ").unwrap_err();
    assert_eq!(err.to_string(), "选择「其他」时请填写说明");
    // 李华's answer reaches the server but its response is lost: the retry changes nothing.
    li.proxy.state.lose_responses.store(1, Ordering::SeqCst);
    li.client.answer_notice(&dali_notice, ReplyOption::Other, "当天在乡下调研，晚到半小时").unwrap();
    let _ = li.client.sync_once(0).await;
    zhang.online();
    sync_all(&[&zhang, &li, &zhang2, &dali]).await;
    let pad = zhang2.client.notice(&dali_notice).unwrap();
    assert!(pad.item.read);
    assert_eq!(pad.item.answer_label.as_deref(), Some("参加"));

    // The prefecture's follow-up list: every member of its counties, by name, exact.
    let f = dali.client.notice_follow_up(&dali_notice).unwrap();
    let lines: Vec<(String, bool, Option<ReplyOption>)> =
        f.lines.iter().map(|l| (l.name.clone(), l.read, l.answer)).collect();
    assert_eq!(
        lines,
        [
            ("张明".to_string(), true, Some(ReplyOption::Attend)),
            ("李华".to_string(), true, Some(ReplyOption::Other)),
            ("王芳".to_string(), false, None),
        ]
    );
    assert_eq!((f.recipients, f.read, f.answered), (3, 2, 2));
    assert_eq!(f.outstanding(true).iter().map(|l| l.name.as_str()).collect::<Vec<_>>(), ["王芳"]);
    assert_eq!(f.lines[1].note, "当天在乡下调研，晚到半小时");
    // The province's list names 马超 in 五华区 and 杨帆 too, and nobody who is not a member.
    let pf = province.client.notice_follow_up(&province_notice).unwrap();
    let names: Vec<&str> = pf.lines.iter().map(|l| l.name.as_str()).collect();
    assert!(names.contains(&"马超") && names.contains(&"杨帆") && names.contains(&"张明"), "{names:?}");
    assert!(!names.contains(&"陈静") && !names.contains(&"周强"));

    // A correction: a new version the members see as 已更正, with the history kept.
    let mut corrected = notice(dali_title, Audience::Members { subordinates: true }, Some(week));
    corrected.body = "动员会改在州政协三楼会议室举行，时间不变。".into();
    dali.client.correct_notice(&dali_notice, corrected, "会议地点调整").unwrap();
    // A withdrawal: the notice stays, marked, and takes no more answers.
    province.client.withdraw_notice(&province_notice, "培训延期，另行通知").unwrap();
    sync_all(&[&dali, &province, &zhang, &kunming]).await;
    let d = zhang.client.notice(&dali_notice).unwrap();
    assert!(d.item.corrected);
    assert_eq!(d.history.len(), 2);
    assert_eq!(d.history[0].body, "请各位委员按时参加，并于截止日前回复回执。");
    assert_eq!(d.body, "动员会改在州政协三楼会议室举行，时间不变。");
    let w = kunming.client.notice(&province_notice).unwrap();
    assert!(w.item.withdrawn);
    assert_eq!(w.withdrawn_reason.as_deref(), Some("培训延期，另行通知"));
    kunming.offline();
    let err = kunming.client.answer_notice(&province_notice, ReplyOption::Attend, "").unwrap_err();
    assert_eq!(err.to_string(), "该通知已撤回");
}

fn plenary(server: &TestServer, people: &[&str]) -> MeetingDraft {
    let start = ms(server) + 86_400_000;
    MeetingDraft {
        kind: MeetingKind::Plenary,
        title: "政协宾川县第十三届委员会第三次会议".into(),
        starts_at_ms: start,
        ends_at_ms: start + 8 * 3600 * 1000,
        place: "宾川县会议中心".into(),
        organiser: "县政协办公室".into(),
        agenda: "一、听取常委会工作报告；二、审议提案工作情况报告。".into(),
        half_days: 2,
        enrolment: Enrolment::Invitation { person_ids: people.iter().map(|p| format!("demo-{p}")).collect() },
        leave_needs_approval: true,
        remote: None,
    }
}

fn inspection(server: &TestServer, capacity: u32) -> MeetingDraft {
    let start = ms(server) + 3 * 86_400_000;
    MeetingDraft {
        kind: MeetingKind::Inspection,
        title: "宾川县高标准农田建设专题视察".into(),
        starts_at_ms: start,
        ends_at_ms: start + 4 * 3600 * 1000,
        place: "宾川县金牛镇".into(),
        organiser: "农业和农村委员会".into(),
        agenda: String::new(),
        half_days: 1,
        enrolment: Enrolment::Open { capacity, sign_up_deadline_ms: None },
        leave_needs_approval: false,
        remote: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meetings_leave_waiting_list_and_offline_check_in_with_a_signed_code() {
    let server = demo_server(sample::fixed_now()).await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    let wang = Phone::logged_in(&server, "wangfang", "wangfang").await;

    let meeting = staff.client.create_meeting(None, plenary(&server, &["zhangming", "lihua", "wangfang"])).unwrap();
    let doc = staff
        .client
        .set_meeting_document(&meeting, None, "常委会工作报告（审议稿）", "各位委员：现在，我代表……")
        .unwrap();
    staff
        .client
        .set_meeting_document(&meeting, Some(&doc), "常委会工作报告（审议稿）", "各位委员：现在，我代表常委会……")
        .unwrap();
    let open = staff.client.create_meeting(None, inspection(&server, 1)).unwrap();
    assert_eq!(
        staff
            .client
            .create_meeting(None, MeetingDraft { title: String::new(), ..inspection(&server, 1) })
            .unwrap_err()
            .to_string(),
        "标题不能为空"
    );
    sync_all(&[&staff, &zhang, &li, &wang]).await;
    let m = zhang.client.meeting(&meeting).unwrap();
    assert_eq!(m.meeting.documents.len(), 1);
    assert_eq!(m.meeting.documents[0].version, 2);
    assert!(m.meeting.check_in_key.is_some(), "the server's public key came with the meeting");
    assert_eq!(m.item.my_reply_label.as_deref(), Some("待答复"));

    // 请假 offline, approved by staff.
    li.offline();
    assert_eq!(li.client.reply_meeting(&meeting, Some(" ")).unwrap_err().to_string(), "请假请填写理由");
    li.client.reply_meeting(&meeting, Some("参加省农业农村厅培训")).unwrap();
    li.online();
    zhang.client.reply_meeting(&meeting, None).unwrap();
    sync_all(&[&li, &zhang, &staff]).await;
    let roster = staff.client.meeting(&meeting).unwrap().roster;
    let li_line = roster.iter().find(|l| l.name == "李华").unwrap();
    assert_eq!((li_line.reply_label.as_str(), li_line.leave_label.as_deref()), ("请假", Some("待审批")));
    staff.client.decide_leave(&meeting, "demo-lihua", true, "").unwrap();

    // Open activity: one place; the waiting list is promoted in order.
    zhang.client.sign_up(&open).unwrap();
    sync_all(&[&zhang]).await;
    wang.client.sync_until_idle().await.unwrap();
    wang.client.sign_up(&open).unwrap();
    wang.client.sync_until_idle().await.unwrap();
    li.client.sync_until_idle().await.unwrap();
    li.client.sign_up(&open).unwrap();
    sync_all(&[&li, &wang, &zhang, &staff]).await;
    let label = |p: &Phone| p.client.meeting(&open).unwrap().item.my_reply_label;
    assert_eq!(
        (label(&zhang), label(&wang), label(&li)),
        (Some("已报名".into()), Some("候补".into()), Some("候补".into()))
    );
    assert_eq!(staff.client.set_meeting_capacity(&open, 0).unwrap_err().to_string(), "名额至少为1人");
    zhang.client.cancel_sign_up(&open).unwrap();
    sync_all(&[&zhang, &wang, &li, &staff]).await;
    assert_eq!(
        (label(&zhang), label(&wang), label(&li)),
        (Some("已取消".into()), Some("已报名".into()), Some("候补".into()))
    );
    let item = staff.client.meeting(&open).unwrap().item;
    assert_eq!((item.taken, item.waiting), (1, 1));
    // A larger capacity promotes the next in line.
    staff.client.set_meeting_capacity(&open, 2).unwrap();
    sync_all(&[&staff, &li]).await;
    assert_eq!(label(&li), Some("已报名".into()));

    // Check-in at the venue, with no network on either side: the code was fetched the day before.
    let start = ms(&server) + 86_400_000;
    let code = staff.client.check_in_code(&meeting, start - 1_800_000, start + 8 * 3_600_000).await.unwrap();
    let short = staff.client.check_in_code(&meeting, start - 1_800_000, start - 600_000).await.unwrap();
    for p in [&server.clock, &zhang.clock, &wang.clock, &staff.clock] {
        p.advance(Duration::milliseconds(86_400_000 + 600_000));
    }
    zhang.offline();
    let forged = format!("{}x", &code[..code.len() - 1]);
    assert_eq!(zhang.client.check_in(&meeting, &forged).unwrap_err().to_string(), "签到码无效");
    assert_eq!(zhang.client.check_in(&meeting, &short).unwrap_err().to_string(), "不在签到时间内");
    let other = staff.client.check_in_code(&open, start - 1_800_000, start + 8 * 3_600_000).await.unwrap();
    assert_eq!(zhang.client.check_in(&meeting, &other).unwrap_err().to_string(), "签到码不是本会议的");
    // Scanned: the code names its meeting (a scanner's trailing newline is no matter).
    assert_eq!(zhang.client.check_in_with_code("不是签到码").unwrap_err().to_string(), "签到码无效");
    assert_eq!(zhang.client.check_in_with_code(&format!("{code}\n")).unwrap(), meeting);
    assert!(zhang.client.meeting(&meeting).unwrap().item.checked_in, "recorded at once, offline");
    // 王芳's phone runs an hour fast: her phone accepts the code, the server refuses the time,
    // and the refusal comes back to her phone.
    wang.clock.advance(Duration::hours(1));
    wang.client.check_in(&meeting, &code).unwrap();
    wang.client.sync_until_idle().await.unwrap();
    let refused: Vec<_> = wang.client.outbox().unwrap().into_iter().filter(|e| e.rejected.is_some()).collect();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].rejected.as_deref(), Some("不在签到时间内"));
    assert!(!wang.client.meeting(&meeting).unwrap().item.checked_in, "the refused check-in is taken back");
    zhang.online();
    // Staff check 王芳 in by hand and mark 李华 absent on approved leave.
    staff.client.check_in_person(&meeting, "demo-wangfang").unwrap();
    staff.client.mark_absent(&meeting, "demo-lihua", true).unwrap();
    sync_all(&[&zhang, &staff, &li, &wang]).await;
    let roster = staff.client.meeting(&meeting).unwrap().roster;
    let state: Vec<(String, bool, Option<String>)> =
        roster.iter().map(|l| (l.name.clone(), l.checked_in, l.absence_label.clone())).collect();
    assert_eq!(
        state,
        [
            ("张明".to_string(), true, None),
            ("李华".to_string(), false, Some("请假缺席".to_string())),
            ("王芳".to_string(), true, None)
        ]
    );

    // A client that skips the phone's check (an old app, a script) gets the server's refusal:
    // a forged code, pushed straight to the server.
    let tokens = li.client.sync().tokens().unwrap().unwrap();
    let forged_push = serde_json::json!({
        "protocol": 1,
        "client_id": "script-without-checks",
        "mutations": [{
            "id": 1,
            "acting_as": { "role": "Member", "org_id": COUNTY },
            "kind": { "type": "check_in", "meeting_id": meeting, "code": forged, "at_ms": ms(&server) }
        }],
        "cursors": {}
    });
    let r = lvzhi_tests::post_sync(&server.url, &tokens.access_token, &forged_push).await;
    let answer: serde_json::Value = r.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "rejected");
    assert_eq!(answer["results"][0]["reason"], "签到码无效");

    // Attendance and leave are facts of the duty record: 2 half days of plenary, 5 points each.
    let r = zhang.client.duty_record(YEAR).unwrap();
    assert_eq!(r.lines.iter().map(|l| (l.fact.key.as_str(), l.points)).collect::<Vec<_>>(), [("attend_plenary", 10)]);
    let r = li.client.duty_record(YEAR).unwrap();
    assert_eq!(r.lines.iter().map(|l| (l.fact.key.as_str(), l.points)).collect::<Vec<_>>(), [("excused_plenary", -10)]);

    // Staff cancel the open activity: it stays, marked, and takes no more sign-ups.
    assert_eq!(staff.client.cancel_meeting(&open, " ").unwrap_err().to_string(), "取消原因不能为空");
    staff.client.cancel_meeting(&open, "因天气原因取消").unwrap();
    sync_all(&[&staff, &zhang]).await;
    let d = zhang.client.meeting(&open).unwrap();
    assert!(d.item.cancelled);
    assert_eq!(d.meeting.cancel_reason.as_deref(), Some("因天气原因取消"));
    assert_eq!(zhang.client.sign_up(&open).unwrap_err().to_string(), "会议已取消");
}

fn summary(r: &DutyRecord) -> Vec<(String, i32, String)> {
    r.lines.iter().map(|l| (l.fact.key.clone(), l.points, l.fact.source.id.clone())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_duty_record_agrees_on_phones_and_server_and_follows_rule_changes() {
    let server = demo_server(sample::fixed_now()).await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let admin = Phone::logged_in(&server, "zhaolei", "zhaolei").await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let zhang2 = Phone::logged_in(&server, "zhangming-pad", "zhangming").await;
    let wang = Phone::logged_in(&server, "wangfang", "wangfang").await;
    let day = 86_400_000;
    let now = ms(&server);

    // A meeting attended, a speech recorded by staff, two self-reported duties: one accepted,
    // one returned with a reason.
    let meeting = staff.client.create_meeting(None, plenary(&server, &["zhangming", "wangfang"])).unwrap();
    staff
        .client
        .record_speech("demo-zhangming", EntryKind::PlenarySpeech, "关于发展宾川柑橘产业的发言", now - day)
        .unwrap();
    sync_all(&[&staff, &zhang]).await;
    zhang.offline();
    assert_eq!(zhang.client.submit_self_report("走访农户", "  ", now - day).unwrap_err().to_string(), "请填写履职内容");
    assert_eq!(
        zhang.client.submit_self_report("走访农户", "走访金牛镇农户", now + 2 * day).unwrap_err().to_string(),
        "履职日期不能晚于今天"
    );
    let accepted = zhang
        .client
        .submit_self_report("走访金牛镇葡萄种植户", "了解冬季冻害后的补种情况，收集意见5条。", now - 2 * day)
        .unwrap();
    let returned =
        zhang.client.submit_self_report("参加村民小组会", "旁听州城镇村民小组会议。", now - 3 * day).unwrap();
    zhang.online();
    sync_all(&[&zhang, &staff]).await;
    assert_eq!(staff.client.pending_self_reports().unwrap().len(), 2);
    assert_eq!(staff.client.decide_self_report(&returned, false, " ").unwrap_err().to_string(), "退回请填写理由");
    staff.client.decide_self_report(&accepted, true, "").unwrap();
    staff.client.decide_self_report(&returned, false, "属于个人事务，不计入履职").unwrap();
    staff.client.check_in_person(&meeting, "demo-zhangming").unwrap();
    staff.client.mark_absent(&meeting, "demo-wangfang", false).unwrap();
    sync_all(&[&staff, &zhang, &zhang2, &wang]).await;

    let phone = zhang.client.duty_record(YEAR).unwrap();
    let pad = zhang2.client.duty_record(YEAR).unwrap();
    let on_server = zhang.client.server_duty_record("demo-zhangming", COUNTY, YEAR).await.unwrap();
    let by_staff = staff.client.member_record("demo-zhangming", YEAR).unwrap();
    assert_eq!(phone, pad);
    assert_eq!(phone, on_server);
    assert_eq!(summary(&phone), summary(&by_staff));
    let keys: Vec<&str> = phone.lines.iter().map(|l| l.fact.key.as_str()).collect();
    assert_eq!(keys, ["self_reported", "speech_plenary", "attend_plenary"]);
    assert!(!phone.lines.iter().any(|l| l.fact.source.id == returned), "a returned self-report does not count");
    assert_eq!((phone.total, phone.rule_version), (5 + 10 + 10, 0));
    let wang_record = wang.client.duty_record(YEAR).unwrap();
    assert_eq!((wang_record.total, wang_record.lines[0].label.as_str()), (-30, "全体会议无故缺席"));

    // The rules change: every figure is recomputed and says which version gave it.
    let mut rules = staff.client.duty_rules().unwrap();
    rules.points.insert("attend_plenary".into(), 8);
    rules.yearly_threshold = 30;
    staff.client.set_duty_rules(rules).unwrap();
    sync_all(&[&staff, &zhang, &zhang2]).await;
    let phone = zhang.client.duty_record(YEAR).unwrap();
    assert_eq!((phone.total, phone.rule_version), (5 + 10 + 16, 1));
    assert_eq!(phone, zhang.client.server_duty_record("demo-zhangming", COUNTY, YEAR).await.unwrap());
    assert_eq!(phone, zhang2.client.duty_record(YEAR).unwrap());

    // Staff see members by name, filtered below the threshold; never ordered by points.
    let all = staff.client.member_records(YEAR, false).unwrap();
    assert_eq!(all.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(), ["张明", "李华", "王芳"]);
    let below = staff.client.member_records(YEAR, true).unwrap();
    assert_eq!(below.iter().map(|m| (m.name.as_str(), m.total)).collect::<Vec<_>>(), [("李华", 0), ("王芳", -30)]);
    // A member may not read another's record on the server.
    assert!(zhang.client.server_duty_record("demo-wangfang", COUNTY, YEAR).await.is_err());

    // The annual report: a printable page of the same record.
    let html = zhang.client.annual_report(YEAR).unwrap();
    assert!(html.contains("2027年度履职报告") && html.contains("张明") && html.contains("走访金牛镇葡萄种植户"));
    assert!(!html.contains("参加村民小组会"));

    // 意见建议: a member writes, the administrators answer, the member reads the answer.
    let fb = wang.client.send_feedback("希望会议材料能提前三天推送，便于委员准备。").unwrap();
    sync_all(&[&wang, &admin, &staff]).await;
    // 答复 is offered to the administrators only, and only while unanswered.
    let offered = |p: &Phone| p.client.feedback().unwrap().iter().any(|l| !l.actions.is_empty());
    assert!(offered(&admin) && !offered(&staff) && !offered(&wang));
    assert_eq!(staff.client.answer_feedback(&fb, "好的").unwrap_err().to_string(), "只有组织管理员可以答复意见建议");
    admin.client.answer_feedback(&fb, "已采纳，今后会议材料提前三天发布。").unwrap();
    assert!(!offered(&admin), "answered once");
    sync_all(&[&admin, &wang]).await;
    let mine = wang.client.feedback().unwrap();
    assert_eq!(mine[0].feedback.answer.as_deref(), Some("已采纳，今后会议材料提前三天发布。"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_list_what_is_due_and_nothing_else() {
    let server = demo_server(sample::fixed_now()).await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let week = ms(&server) + 7 * 86_400_000;
    let n = staff
        .client
        .publish_notice(
            None,
            notice("关于报送年度履职情况的通知", Audience::Members { subordinates: false }, Some(week)),
        )
        .unwrap();
    // The second notice a minute later (the home page lists the newest first); the time of
    // publishing is the server's, when it applies the notice.
    sync_all(&[&staff]).await;
    for c in [&server.clock, &staff.clock] {
        c.advance(Duration::minutes(1));
    }
    staff
        .client
        .publish_notice(None, notice("关于学习全会精神的通知", Audience::Members { subordinates: false }, None))
        .unwrap();
    let m = staff.client.create_meeting(None, plenary(&server, &["zhangming"])).unwrap();
    sync_all(&[&staff, &zhang]).await;
    let kinds: Vec<(ReminderKind, String)> =
        zhang.client.reminders().unwrap().into_iter().map(|r| (r.kind, r.id)).collect();
    assert_eq!(kinds, [(ReminderKind::Meeting, m.clone()), (ReminderKind::NoticeReply, n.clone())]);

    // The home page: both 待办, both notices unread, the meeting this week, nothing unsent.
    let home = zhang.client.home().unwrap();
    assert_eq!(home.todo.len(), 2);
    assert_eq!(home.unread_count, 2);
    let unread: Vec<&str> = home.unread_notices.iter().map(|n| n.title.as_str()).collect();
    assert_eq!(unread, ["关于学习全会精神的通知", "关于报送年度履职情况的通知"], "newest first");
    assert_eq!(home.meetings.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), [m.as_str()]);
    assert!(home.is_member && home.unsent == 0);
    assert!(!staff.client.home().unwrap().is_member);
    // Local notifications: one for each 待办, none for a kind switched off, none once done.
    let keys = |p: &Phone| p.client.reminder_schedule().unwrap().into_iter().map(|s| s.key).collect::<Vec<_>>();
    let planned = keys(&zhang);
    assert!(planned.contains(&format!("通知回执:{n}")) && planned.contains(&format!("会议活动:{m}")), "{planned:?}");
    let mut settings = zhang.client.reminder_settings().unwrap();
    settings.meeting = false;
    zhang.client.set_reminder_settings(settings).unwrap();
    assert_eq!(keys(&zhang), [format!("通知回执:{n}")]);
    zhang.client.answer_notice(&n, ReplyOption::Attend, "").unwrap();
    assert!(keys(&zhang).is_empty(), "an answered notice is not reminded");
    assert_eq!(zhang.client.home().unwrap().unsent, 1);
    zhang.client.reply_meeting(&m, None).unwrap();
    let r = zhang.client.reminders().unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].action, "即将召开，请按时参加");
    assert!(staff.client.reminders().unwrap().is_empty(), "staff are not reminded of their own notices");
}

/// A meeting's and a notice's actions come as the core's forms, offered by what each person
/// may do now, roster actions naming the people they apply to; taking one with the form's
/// values works offline and reaches the staff, and a missing value is refused with its
/// Chinese message and nothing stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meeting_and_notice_actions_are_offered_and_taken_as_forms() {
    use lvzhi_client::{ActionKind as K, FormValue, InputKind};
    let server = demo_server(sample::fixed_now()).await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    let meeting = staff.client.create_meeting(None, plenary(&server, &["lihua", "zhangming"])).unwrap();
    let deadline = ms(&server) + 2 * 86_400_000;
    let notice_id = staff
        .client
        .publish_notice(
            None,
            notice("关于召开县政协全体会议的通知", Audience::Members { subordinates: false }, Some(deadline)),
        )
        .unwrap();
    sync_all(&[&staff, &li]).await;

    let kinds = |forms: &[lvzhi_client::ActionForm]| forms.iter().map(|f| f.action).collect::<Vec<_>>();
    let m = li.client.meeting(&meeting).unwrap();
    assert_eq!(kinds(&m.actions), [K::MeetingAttend, K::MeetingAskLeave, K::MeetingCheckIn]);
    let s = staff.client.meeting(&meeting).unwrap();
    assert!(kinds(&s.actions).contains(&K::MeetingCancel) && !kinds(&s.actions).contains(&K::MeetingDecideLeave));

    // 请假 offline through the form: a blank reason is refused before anything is stored.
    li.offline();
    let before = li.client.outbox_items().unwrap().len();
    let blank = [FormValue::new("reason", "  ")];
    let refused = li.client.take_action(&meeting, K::MeetingAskLeave, &blank).unwrap_err();
    assert_eq!(refused.to_string(), "请填写「请假理由」");
    assert_eq!(li.client.outbox_items().unwrap().len(), before);
    li.client.take_action(&meeting, K::MeetingAskLeave, &[FormValue::new("reason", "参加省农业农村厅培训")]).unwrap();
    let n = li.client.notice(&notice_id).unwrap();
    assert_eq!(kinds(&n.actions), [K::NoticeAnswer]);
    let answer = [FormValue::new("answer", "decline"), FormValue::new("note", "同期外出培训")];
    li.client.take_action(&notice_id, K::NoticeAnswer, &answer).unwrap();
    li.online();
    sync_all(&[&li, &staff]).await;

    // Staff see the leave to decide, with 李华 as the one option, and approve it.
    let s = staff.client.meeting(&meeting).unwrap();
    let decide = s.actions.iter().find(|f| f.action == K::MeetingDecideLeave).expect("审批请假 offered");
    let InputKind::Choice { options, .. } = &decide.inputs[0].kind else { panic!("{decide:?}") };
    let names: Vec<&str> = options.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(names, ["李华"]);
    let someone_else = [FormValue::new("person", "demo-wangfang"), FormValue::new("decision", "yes")];
    assert!(
        staff
            .client
            .take_action(&meeting, K::MeetingDecideLeave, &someone_else)
            .unwrap_err()
            .to_string()
            .contains("选项无效")
    );
    let approve = [FormValue::new("person", options[0].value.clone()), FormValue::new("decision", "yes")];
    staff.client.take_action(&meeting, K::MeetingDecideLeave, &approve).unwrap();
    // Marked absent after an approved leave: excused, as the roster knows.
    staff.client.take_action(&meeting, K::MeetingMarkAbsent, &[FormValue::new("person", "demo-lihua")]).unwrap();
    sync_all(&[&staff, &li]).await;
    let line = staff.client.meeting(&meeting).unwrap().roster.into_iter().find(|l| l.name == "李华").unwrap();
    assert_eq!((line.leave_label.as_deref(), line.absence_label.as_deref()), (Some("已批准"), Some("请假缺席")));
    let follow_up = staff.client.notice_follow_up(&notice_id).unwrap();
    assert!(format!("{follow_up:?}").contains("同期外出培训"), "{follow_up:?}");
}

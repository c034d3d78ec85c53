//! 社情民意, 网络议政, remote consultations and 协商在基层 end to end: a real server with the
//! demo's Yunnan tree, several phones with their own database files, and the lossy proxy.

use std::sync::atomic::Ordering;

use chrono::Duration;
use lvzhi_client::OutboxState;
use lvzhi_domain::consult::grassroots::{ConsensusDraft, ConsensusStatus, ConsultationDraft};
use lvzhi_domain::consult::report::{Body, Destination, Level, ReportContent, ReportState, StaffStep};
use lvzhi_domain::consult::topic::TopicDraft;
use lvzhi_domain::duty::meeting::{BranchVenue, Enrolment, MeetingDraft, MeetingKind, RemoteInfo};
use lvzhi_domain::duty::notice::Audience;
use lvzhi_domain::proposal::Action;
use lvzhi_domain::proposal::{ConversionTarget, ProposalContent, ProposalState};
use lvzhi_domain::time::to_millis;
use lvzhi_store::sample;
use lvzhi_tests::{Phone, TestServer, demo_server};

const YEAR: i32 = 2027;
const HOUR: i64 = 3_600_000;

fn ms(server: &TestServer) -> i64 {
    to_millis(server.clock.now())
}

async fn sync_all(phones: &[&Phone]) {
    for _ in 0..2 {
        for p in phones {
            p.client.sync_until_idle().await.unwrap();
        }
    }
}

fn report_text() -> ReportContent {
    ReportContent { attachments: Vec::new(),
        title: "关于宾川县柑橘产地冷链设施不足的情况反映".into(),
        situation: "宾川县柑橘种植面积超过三十万亩，采摘季集中在十一月至次年三月，但全县产地预冷库容量不足两万吨，大量鲜果只能常温堆放。".into(),
        analysis: "冷链设施投入大、使用季节短，合作社和种植户无力单独建设，已有冷库分布不均。".into(),
        suggestion: "建议由州级统筹，在主产乡镇建设共享型产地冷链集配中心，并对合作社使用给予电价优惠。".into(),
    }
}

fn keys(record: &lvzhi_domain::duty::record::DutyRecord) -> Vec<String> {
    record.lines.iter().map(|l| l.fact.key.clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_joint_report_goes_from_two_phones_to_a_leaders_instruction_and_the_prefecture_adopts_it() {
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let dali = Phone::logged_in(&server, "heyun", "heyun").await;
    let province = Phone::logged_in(&server, "zhouqiang", "zhouqiang").await;
    let li_id = li.client.me().unwrap().person_id;

    // Bad input is refused on the phone with the server's reason, and nothing is queued.
    zhang.offline();
    let empty = ReportContent { title: "关于乡村学校午餐的建议".into(), ..Default::default() };
    let draft = zhang.client.create_report(empty, vec![], None).unwrap();
    assert_eq!(zhang.client.submit_report(&draft).unwrap_err().to_string(), "社情民意信息不能为空：请填写基本情况");
    let untitled = ReportContent { title: " ".into(), ..report_text() };
    assert_eq!(zhang.client.create_report(untitled, vec![], None).unwrap_err().to_string(), "标题不能为空");
    let mut long = report_text();
    long.situation = "柑".repeat(3_100);
    let long_id = zhang.client.create_report(long, vec![], None).unwrap();
    assert!(zhang.client.report(&long_id).unwrap().length_warning.unwrap().contains("一般不超过1500字"));
    assert!(zhang.client.submit_report(&long_id).unwrap_err().to_string().contains("超过本组织上限3000字"));

    // 张明 drafts offline with 李华 as co-author; 李华 improves it on her phone, offline too.
    let id = zhang.client.create_report(report_text(), vec![li_id.clone()], None).unwrap();
    zhang.online();
    sync_all(&[&zhang, &li]).await;
    li.offline();
    let mut better = report_text();
    better.analysis.push_str("今年因缺少冷库，约一成鲜果降价出售。");
    li.client.save_report(&id, better.clone()).unwrap();
    assert_eq!(li.client.report(&id).unwrap().report.content, better);
    li.online();
    // Her save reaches the server but its answer is lost: the retry changes nothing.
    li.proxy.state.lose_responses.store(1, Ordering::SeqCst);
    let _ = li.client.sync_once(0).await;
    sync_all(&[&li, &zhang]).await;
    assert_eq!(zhang.client.report(&id).unwrap().report.content, better);
    // A draft is the authors' own: staff do not see it.
    sync_all(&[&staff]).await;
    assert!(staff.client.reports(None).unwrap().iter().all(|r| r.id != id));
    zhang.client.submit_report(&id).unwrap();
    sync_all(&[&zhang, &staff]).await;

    // Staff: 受理, 编发 with an edited text (both kept), 报送 to the prefecture's CPPCC and
    // party committee.
    let s = staff.client.report(&id).unwrap();
    assert_eq!(s.item.state, ReportState::Submitted);
    assert_eq!(s.item.authors, "张明、李华");
    assert_eq!(s.staff_steps, ["accept", "return", "reject"]);
    assert_eq!(
        staff.client.report_step(&id, StaffStep::Return { reason: "  ".into() }).unwrap_err().to_string(),
        "退回理由不能为空"
    );
    staff.client.report_step(&id, StaffStep::Accept).unwrap();
    let mut edited = better.clone();
    edited.suggestion = "建议州级统筹建设共享型产地冷链集配中心，合作社用电执行农业生产电价。".into();
    staff.client.report_step(&id, StaffStep::Edit { issue: "2027年第5期".into(), content: edited.clone() }).unwrap();
    let above = |org: &str, body: Body| Destination { body, level: Level::Prefecture, org_id: org.into() };
    let wrong = vec![above("yn-00", Body::Cppcc)];
    assert_eq!(
        staff
            .client
            .report_step(&id, StaffStep::SendUp { destinations: wrong, date_ms: ms(&server) })
            .unwrap_err()
            .to_string(),
        "报送政协须为上级政协组织"
    );
    // The app offers the bodies above by name.
    let options = staff.client.report(&id).unwrap().send_up_options;
    let labels: Vec<&str> = options.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(labels[..3], ["大理白族自治州政协", "大理白族自治州党委", "大理白族自治州政府"]);
    assert_eq!(labels[3], "云南省政协");
    let to = vec![options[0].destination.clone(), options[1].destination.clone()];
    staff.client.report_step(&id, StaffStep::SendUp { destinations: to, date_ms: ms(&server) }).unwrap();
    sync_all(&[&staff, &dali]).await;

    // The prefecture's staff see it (sent to them) and adopt it into their periodical.
    let d = dali.client.report(&id).unwrap();
    assert_eq!(d.staff_steps, ["edit"]);
    dali.client
        .report_step(&id, StaffStep::Edit { issue: "大理州社情民意2027年第2期".into(), content: edited.clone() })
        .unwrap();
    sync_all(&[&dali, &staff]).await;
    let step = StaffStep::Instruct {
        leader: "州委副书记".into(),
        level: Level::Prefecture,
        text: "请州农业农村局会同州发改委研究，纳入明年冷链项目。".into(),
        date_ms: ms(&server),
    };
    staff.client.report_step(&id, step).unwrap();
    staff
        .client
        .report_step(&id, StaffStep::FeedBack { text: "已纳入州级冷链项目库，2028年在宾川县先行建设。".into() })
        .unwrap();
    sync_all(&[&staff, &zhang, &li, &dali]).await;

    // The authors and staff see the same report, history and both texts.
    let z = zhang.client.report(&id).unwrap();
    assert_eq!(z.item.state, ReportState::FedBack);
    assert!(z.history_intact && z.item.adopted_above);
    assert_eq!(z.report, li.client.report(&id).unwrap().report);
    assert_eq!(z.report, staff.client.report(&id).unwrap().report);
    assert_eq!(z.report.content, better);
    assert_eq!(z.editions.len(), 2);
    assert_eq!(z.editions[0].changes.len(), 1);
    assert_eq!(z.editions[0].changes[0].field, "意见建议");
    let steps: Vec<&str> = z.history.iter().map(|h| h.action_label.as_str()).collect();
    assert_eq!(steps, ["起草", "修改", "报送", "受理", "编发", "报送上级", "编发", "批示", "反馈"]);
    assert_eq!(z.report.feedback.as_deref(), Some("已纳入州级冷链项目库，2028年在宾川县先行建设。"));

    // Statistics: the county's report is in the prefecture's figures, not another prefecture's.
    let stats = province.client.report_stats(Some("yn-12")).await.unwrap();
    let county = stats.iter().find(|r| r.org_id == "yn-12-03").unwrap();
    assert_eq!((county.submitted, county.accepted, county.edited, county.sent_up), (1, 1, 1, 1));
    assert_eq!((county.instructed, county.adopted_above), (1, 1));
    assert_eq!(stats.iter().find(|r| r.org_id == "yn-12").unwrap().adopted_from_below, 1);
    assert!(province.client.report_stats(Some("yn-00")).await.unwrap().is_empty());
    assert!(dali.client.report_stats(None).await.unwrap().iter().any(|r| r.org_id == "yn-12-03"));
    assert!(staff.client.report_stats(Some("yn-12")).await.is_err());

    // Each author's duty record holds the report's outcomes.
    for p in [&zhang, &li] {
        let k = keys(&p.client.duty_record(YEAR).unwrap());
        for key in ["report_submitted", "report_edited", "report_adopted_above", "report_instructed", "report_fed_back"]
        {
            assert!(k.contains(&key.to_string()), "{} {k:?}", p.name);
        }
    }
    // Found by a two-character and a one-character query.
    assert!(zhang.client.search_consult("冷链").unwrap().iter().any(|h| h.id == id));
    assert!(zhang.client.search_consult("橘").unwrap().iter().any(|h| h.id == id));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proposal_converted_with_consent_becomes_a_linked_report() {
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let content = ProposalContent {
        title: "关于宾川县乡村客运班线停运问题的提案".into(),
        ..sample::proposal_content(5, "宾川县")
    };
    let p = zhang.client.create_draft(content).unwrap();
    zhang.client.perform(&p.id, Action::Submit).unwrap();
    sync_all(&[&zhang, &staff]).await;
    let to = ConversionTarget::SocialConditionReport;
    staff
        .client
        .perform(&p.id, Action::ProposeConversion { to, note: "属个案情况反映，建议转为社情民意信息".into() })
        .unwrap();
    sync_all(&[&staff, &zhang]).await;

    // 张明 consents offline: the report exists on his phone at once, linked both ways.
    zhang.offline();
    let d = zhang.client.perform(&p.id, Action::RespondConversion { consent: true }).unwrap();
    assert_eq!(d.state, ProposalState::Converted);
    let rid = lvzhi_domain::consult::report::id_for_proposal(&p.id);
    let local = zhang.client.report(&rid).unwrap();
    assert_eq!(local.item.from_proposal.as_deref(), Some(p.id.as_str()));
    assert_eq!(local.item.state, ReportState::Submitted);
    zhang.online();
    sync_all(&[&zhang, &staff]).await;
    let seen = staff.client.report(&rid).unwrap();
    assert_eq!(seen.report, zhang.client.report(&rid).unwrap().report);
    assert_eq!(seen.history.last().unwrap().action_label, "由提案转来");
    assert_eq!(seen.staff_steps, ["accept", "return", "reject"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn posts_written_offline_around_the_close_and_a_summary_that_uses_some() {
    let server = demo_server(sample::fixed_now()).await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    let wang = Phone::logged_in(&server, "wangfang", "wangfang").await;
    let machao = Phone::logged_in(&server, "machao", "machao").await;
    let now = ms(&server);

    let draft = TopicDraft {
        title: "如何推进宾川县城乡养老服务一体化".into(),
        background: "全县60岁以上人口占比已达19%，农村留守老人照护需求突出。请委员围绕日间照料、医养结合建言。".into(),
        audience: Audience::Members { subordinates: false },
        opens_at_ms: now,
        closes_at_ms: now + 48 * HOUR,
    };
    let bad = TopicDraft { closes_at_ms: now - HOUR, ..draft.clone() };
    assert_eq!(staff.client.open_topic(None, bad).unwrap_err().to_string(), "议政结束时间必须晚于开始时间");
    let topic = staff.client.open_topic(None, draft).unwrap();
    sync_all(&[&staff, &zhang, &li, &wang, &machao]).await;
    assert!(machao.client.topics().unwrap().is_empty(), "another county's member is not in the audience");

    let z1 =
        zhang.client.write_post(&topic, None, "建议每个乡镇建设一所日间照料中心，由村卫生室医生定期巡诊。").unwrap();
    sync_all(&[&zhang, &li]).await;
    let reply = li.client.write_post(&topic, Some(&z1), "赞同，可利用闲置村小校舍改建，节约投资。").unwrap();
    li.client.second_post(&z1).unwrap();
    assert_eq!(li.client.second_post(&z1).unwrap_err().to_string(), "您已附议该意见");
    assert_eq!(zhang.client.second_post(&z1).unwrap_err().to_string(), "不能附议自己的意见");
    assert_eq!(li.client.edit_post(&z1, "改").unwrap_err().to_string(), "只能修改本人发表的意见");
    sync_all(&[&li, &zhang]).await;

    // Written offline an hour before the close; one phone syncs within the grace period, the
    // other after it.
    zhang.offline();
    wang.offline();
    zhang.clock.advance(Duration::hours(47));
    wang.clock.advance(Duration::hours(47));
    let late_ok = zhang.client.write_post(&topic, None, "建议将农村高龄老人护理补贴纳入县级财政预算。").unwrap();
    let too_late = wang.client.write_post(&topic, None, "建议引入社会资本参与乡镇敬老院改造。").unwrap();
    server.clock.advance(Duration::hours(60));
    zhang.online();
    zhang.client.sync_until_idle().await.unwrap();
    server.clock.advance(Duration::hours(20));
    wang.online();
    wang.client.sync_until_idle().await.unwrap();
    let refused = wang.client.outbox_items().unwrap();
    assert_eq!(refused.len(), 1);
    let OutboxState::Refused { reason } = &refused[0].state else { panic!("{refused:?}") };
    assert!(reason.contains("已超过补交时限") && reason.contains("24小时"), "{reason}");
    assert!(wang.client.topic(&topic).unwrap().posts.iter().all(|p| p.id != too_late));

    // Staff hide one post; a summary may not quote it; the summary marks the posts it used.
    staff.clock.advance(Duration::hours(80));
    sync_all(&[&staff]).await;
    staff.client.hide_post(&reply, "内容与议题无关").unwrap();
    let err = staff.client.summarise_topic(&topic, "综述", vec![reply.clone()]).unwrap_err();
    assert!(err.to_string().contains("已被隐藏"), "{err}");
    staff
        .client
        .summarise_topic(
            &topic,
            "委员普遍建议以乡镇日间照料中心为支点推进医养结合，并加大护理补贴。",
            vec![z1.clone(), late_ok.clone()],
        )
        .unwrap();
    sync_all(&[&staff, &zhang, &li]).await;
    let t = zhang.client.topic(&topic).unwrap();
    assert_eq!(t.item.status_label, "已发布综述");
    let used: Vec<&str> = t.posts.iter().filter(|p| p.used).map(|p| p.id.as_str()).collect();
    assert_eq!(used, [z1.as_str(), late_ok.as_str()]);
    let hidden = t.posts.iter().find(|p| p.id == reply).unwrap();
    assert_eq!((hidden.text.as_str(), hidden.hidden_reason.as_deref()), ("", Some("内容与议题无关")));
    assert_eq!(t.posts.iter().find(|p| p.id == z1).unwrap().seconds, 1);
    assert_eq!(t.topic, staff.client.topic(&topic).unwrap().topic);
    let k = keys(&zhang.client.duty_record(YEAR).unwrap());
    assert_eq!(k.iter().filter(|k| *k == "topic_post").count(), 2);
    assert_eq!(k.iter().filter(|k| *k == "post_used").count(), 2);
    assert!(
        !keys(&li.client.duty_record(YEAR).unwrap()).contains(&"topic_post".to_string()),
        "a hidden post counts for nothing"
    );
    assert!(zhang.client.search_consult("养老").unwrap().iter().any(|h| h.id == topic));
    assert!(zhang.client.search_consult("巡诊").unwrap().iter().any(|h| h.kind_label == "意见"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_consultation_with_speakers_and_a_township_consultation_followed_up() {
    let server = demo_server(sample::fixed_now()).await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    let dali = Phone::logged_in(&server, "heyun", "heyun").await;
    let (zid, lid) = (zhang.client.me().unwrap().person_id, li.client.me().unwrap().person_id);
    let start = ms(&server) + 24 * HOUR;
    let draft = MeetingDraft {
        kind: MeetingKind::Consultation,
        title: "“推进高原特色农业高质量发展”远程协商会".into(),
        starts_at_ms: start,
        ends_at_ms: start + 3 * HOUR,
        place: "县政协四楼会议室".into(),
        organiser: "县政协经济委员会".into(),
        agenda: "一、情况通报；二、委员发言；三、部门回应".into(),
        half_days: 1,
        enrolment: Enrolment::Invitation { person_ids: vec![zid.clone(), lid.clone()] },
        leave_needs_approval: false,
        remote: Some(RemoteInfo {
            topic: "推进高原特色农业高质量发展".into(),
            main_venue: "县政协四楼会议室".into(),
            branch_venues: vec![BranchVenue { org_id: "yn-12-02".into(), place: "分会场：县政协二楼".into() }],
            video_link: "https://meeting.example.cn/j/2027".into(),
        }),
    };
    let meeting = staff.client.create_meeting(None, draft).unwrap();
    sync_all(&[&staff, &zhang, &li]).await;
    zhang.client.apply_to_speak(&meeting, "关于发展宾川柑橘冷链物流的书面发言").unwrap();
    li.client.apply_to_speak(&meeting, "关于培育农村电商人才的书面发言").unwrap();
    sync_all(&[&zhang, &li, &staff]).await;
    let err = staff.client.order_speakers(&meeting, vec![lid.clone()]).unwrap_err();
    assert_eq!(err.to_string(), "发言顺序须包含且只包含已申请发言的委员");
    staff.client.order_speakers(&meeting, vec![lid.clone(), zid.clone()]).unwrap();
    staff.client.mark_spoke(&meeting, &lid).unwrap();
    sync_all(&[&staff, &li, &zhang]).await;
    let lines = staff.client.speakers(&meeting).unwrap();
    let order: Vec<(&str, Option<u32>, bool)> = lines.iter().map(|l| (l.name.as_str(), l.order, l.spoke)).collect();
    assert_eq!(order, [("李华", Some(1), true), ("张明", Some(2), false)]);
    assert!(keys(&li.client.duty_record(YEAR).unwrap()).contains(&"consult_speech".to_string()));
    assert!(!keys(&zhang.client.duty_record(YEAR).unwrap()).contains(&"consult_speech".to_string()));

    // 协商在基层: recorded by county staff, followed up, seen by the prefecture.
    let draft = ConsultationDraft {
        township: "金牛镇".into(),
        topic: "金牛镇农贸市场规范经营".into(),
        date_ms: ms(&server),
        place: "金牛镇便民服务中心".into(),
        member_ids: vec![zid.clone()],
        residents: 42,
        points: vec![
            ConsensusDraft {
                text: "划定临时摊位区，早七点至十点供农户自产自销".into(), unit: "金牛镇人民政府".into()
            },
            ConsensusDraft { text: "增设两处公共厕所".into(), unit: "县住建局".into() },
        ],
    };
    let none = ConsultationDraft { points: vec![], ..draft.clone() };
    assert_eq!(staff.client.record_consultation(none).unwrap_err().to_string(), "请填写协商共识");
    let c = staff.client.record_consultation(draft).unwrap();
    staff.client.follow_up_consensus(&c, "1", ConsensusStatus::Done, "临时摊位区已于3月启用").unwrap();
    let err = staff.client.follow_up_consensus(&c, "2", ConsensusStatus::NotDone, "").unwrap_err();
    assert_eq!(err.to_string(), "标记「未落实」请填写说明");
    sync_all(&[&staff, &zhang, &dali]).await;
    for p in [&zhang, &dali] {
        let list = p.client.consultations().unwrap();
        assert_eq!(list.len(), 1, "{}", p.name);
        assert_eq!((list[0].points, list[0].points_done, list[0].residents), (2, 1, 42));
    }
    assert_eq!(zhang.client.consultation(&c).unwrap(), staff.client.consultation(&c).unwrap());
}

//! 委员学习, 线上读书 and 信息发布 end to end: a real server with the demo's Yunnan tree and
//! phones with their own databases behind the lossy proxy.

use lvzhi_domain::chat::GroupKind;
use lvzhi_domain::duty::notice::Audience;
use lvzhi_domain::news::NewsDraft;
use lvzhi_domain::org::Role;
use lvzhi_domain::protocol::ActingAs;
use lvzhi_domain::study::material::{MaterialDraft, VideoLink};
use lvzhi_domain::study::reading::ReadingItem;
use lvzhi_domain::time::to_millis;
use lvzhi_store::sample;
use lvzhi_tests::{Phone, TestServer, demo_server, sql_count};

const YEAR: i32 = 2027;
const DAY: i64 = 86_400_000;

async fn sync_all(phones: &[&Phone]) {
    for _ in 0..2 {
        for p in phones {
            p.client.sync_until_idle().await.unwrap();
        }
    }
}

fn charter() -> MaterialDraft {
    MaterialDraft {
        title: "中国人民政治协商会议章程（学习辅导）".into(),
        body: "人民政协是中国共产党领导的多党合作和政治协商的重要机构，是我国政治生活中发扬社会主义民主的重要形式。\
               政协委员要懂政协、会协商、善议政，守纪律、讲规矩、重品行。"
            .into(),
        series: Some("政协章程专题".into()),
        order: 1,
        attachments: Vec::new(),
        video: Some(VideoLink {
            url: "https://v.yncppcc.example/zhangcheng-1".into(),
            title: "章程解读".into(),
            minutes: 45,
        }),
        audience: Audience::Members { subordinates: false },
    }
}

fn record_keys(server: &TestServer, person: &str) -> Vec<String> {
    server
        .state
        .store
        .read(|c| lvzhi_store::record::facts_of_person(c, person, None, to_millis(server.clock.now())))
        .unwrap()
        .into_iter()
        .map(|f| f.key)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_studies_offline_writes_a_private_note_and_it_enters_the_duty_record() {
    let server = demo_server(sample::fixed_now()).await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;

    // Staff publish a material with its handout attached.
    let mut handout = b"%PDF-1.7\n".to_vec();
    handout.extend((0..200_000u32).map(|i| (i % 253) as u8));
    let a = staff.client.attach_file("章程学习辅导材料.pdf", "application/pdf", &handout, false).unwrap();
    let id = staff.client.publish_material(None, MaterialDraft { attachments: vec![a.clone()], ..charter() }).unwrap();
    sync_all(&[&staff, &zhang, &li]).await;

    // 张明 reads it with no network: marks it studied and highlights a line with a note.
    zhang.offline();
    let items = zhang.client.materials().unwrap();
    assert_eq!(items.len(), 1);
    assert!(!items[0].studied);
    assert_eq!(items[0].material.series.as_deref(), Some("政协章程专题"));
    zhang.client.mark_studied(&id).unwrap();
    let note = zhang
        .client
        .write_study_note(&id, Some("懂政协、会协商、善议政"), "结合宾川县柑橘产业调研，提高议政建言质量。")
        .unwrap();
    let e = zhang.client.write_study_note(&id, Some("章程里没有的话"), "x").unwrap_err();
    assert_eq!(e.user_message(), "标注的文字不在资料正文中");
    let detail = zhang.client.material(&id).unwrap();
    assert_eq!(detail.study.as_ref().unwrap().notes[0].id, note);
    let here: Vec<String> = zhang.client.duty_record(YEAR).unwrap().lines.into_iter().map(|l| l.fact.key).collect();
    assert!(here.contains(&"material_studied".to_string()) && here.contains(&"study_note".to_string()), "{here:?}");

    zhang.online();
    sync_all(&[&zhang, &li]).await;
    let keys = record_keys(&server, "demo-zhangming");
    assert_eq!(keys.iter().filter(|k| *k == "material_studied").count(), 1);
    assert_eq!(keys.iter().filter(|k| *k == "study_note").count(), 1);
    // Private: 李华's phone holds the material but not 张明's study of it.
    assert!(!li.client.materials().unwrap()[0].studied);
    assert_eq!(sql_count(li.client.store(), "SELECT count(*) FROM studies", []), 0);
    // The handout reaches whoever may read the material.
    zhang.client.download_file(&a).await.unwrap();
    assert_eq!(zhang.client.file_bytes(&a.hash).unwrap().unwrap(), handout);

    // Shared into a group, the note is a message; the note itself stays private.
    let group = staff
        .client
        .create_group(
            &ActingAs { role: Role::ProposalStaff, org_id: "yn-12-03".into() },
            "政协章程学习小组",
            GroupKind::Topic,
            vec!["demo-zhangming".into(), "demo-lihua".into()],
        )
        .unwrap();
    sync_all(&[&staff, &zhang]).await;
    zhang.client.share_study_note(&id, &note, &group).unwrap();
    sync_all(&[&zhang, &li]).await;
    let shared = li.client.timeline(&group, 10).unwrap();
    assert!(shared.iter().any(|m| m.text.starts_with("【学习笔记】《中国人民政治协商会议章程（学习辅导）》")));

    // Search finds it by one or two characters.
    assert_eq!(zhang.client.search_study("章程").unwrap()[0].id, id);
    assert!(!zhang.client.search_study("政").unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reading_group_has_a_plan_guides_and_one_optional_note_a_day() {
    let server = demo_server(sample::fixed_now()).await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    let as_staff = ActingAs { role: Role::ProposalStaff, org_id: "yn-12-03".into() };
    let group = staff
        .client
        .create_group(
            &as_staff,
            "宾川县政协读书群",
            GroupKind::ReadingGroup,
            vec!["demo-zhangming".into(), "demo-lihua".into()],
        )
        .unwrap();
    let now = to_millis(server.clock.now());
    let item = ReadingItem {
        title: "《乡土中国》".into(),
        author: "费孝通".into(),
        material_id: None,
        from_ms: now,
        to_ms: now + 14 * DAY,
    };
    staff.client.set_reading_plan(&group, vec![item], vec!["demo-lihua".into()]).unwrap();
    sync_all(&[&staff, &zhang, &li]).await;

    // Only the lead reader posts 导读.
    let e = zhang.client.post_guide(&group, "第一章导读", "乡土本色").unwrap_err();
    assert_eq!(e.user_message(), "只有领读人可以发布导读");
    li.client
        .post_guide(&group, "第一章《乡土本色》导读", "从基层看，中国社会是乡土性的。请结合本县村情思考。")
        .unwrap();

    // 张明 writes a note offline, then rewrites it the same day: one note for the day.
    zhang.offline();
    zhang.client.write_reading_note(&group, "2027-03-05", "读了第一章，想到宾川县的村规民约。").unwrap();
    zhang.client.write_reading_note(&group, "2027-03-05", "读了第一章，村规民约是乡土社会的规矩。").unwrap();
    assert_eq!(zhang.client.reading(&group).unwrap().notes.len(), 1);
    zhang.online();
    sync_all(&[&zhang, &li, &staff]).await;

    let view = li.client.reading(&group).unwrap();
    assert!(view.i_lead);
    assert_eq!(view.lead_names, vec!["李华".to_string()]);
    assert_eq!(view.plan.as_ref().unwrap().guides.len(), 1);
    assert_eq!(view.notes.len(), 1);
    assert_eq!(view.notes[0].author_name, "张明");
    assert_eq!(view.notes[0].note.text, "读了第一章，村规民约是乡土社会的规矩。");
    assert_eq!(zhang.client.reading(&group).unwrap().plan.unwrap().guides[0].title, "第一章《乡土本色》导读");
    let keys = record_keys(&server, "demo-zhangming");
    assert_eq!(keys.iter().filter(|k| *k == "reading_note").count(), 1);
    // 李华 wrote none: nothing is asked of her, and nothing counts against her.
    assert!(!record_keys(&server, "demo-lihua").iter().any(|k| k == "reading_note"));
    // The same day's note written offline on a second phone of 张明's is the same note: both
    // phones settle on one, and syncing never stalls on it.
    let zhang2 = Phone::logged_in(&server, "zhangming-pad", "zhangming").await;
    zhang2.offline();
    zhang2.client.write_reading_note(&group, "2027-03-05", "平板上补记：乡土社会是熟人社会。").unwrap();
    zhang2.online();
    sync_all(&[&zhang2, &zhang, &li]).await;
    let texts =
        |p: &Phone| p.client.reading(&group).unwrap().notes.into_iter().map(|n| n.note.text).collect::<Vec<_>>();
    assert_eq!(texts(&zhang2), vec!["平板上补记：乡土社会是熟人社会。".to_string()]);
    assert_eq!(texts(&zhang), texts(&zhang2));
    assert_eq!(texts(&li), texts(&zhang2));
    assert_eq!(record_keys(&server, "demo-zhangming").iter().filter(|k| *k == "reading_note").count(), 1);

    // Someone outside the group cannot write in it.
    let wang = Phone::logged_in(&server, "wangfang", "wangfang").await;
    let e = wang.client.write_reading_note(&group, "2027-03-05", "我也读了").unwrap_err();
    assert_eq!(e.user_message(), "读书群不存在或无权查看");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_province_story_reaches_every_county_and_a_county_story_stays_there() {
    let server = demo_server(sample::fixed_now()).await;
    let province = Phone::logged_in(&server, "zhouqiang", "zhouqiang").await;
    let county = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let ma = Phone::logged_in(&server, "machao", "machao").await;

    let cover = lvzhi_media::sample_photo(1200, 800, 85, 5);
    let cover = province.client.attach_file("全省政协工作会议.jpg", "image/jpeg", &cover, false).unwrap();
    let story = province
        .client
        .publish_news(
            None,
            NewsDraft {
                title: "全省政协系统数字化履职工作会议在昆明召开".into(),
                summary: String::new(),
                body: "会议总结了全省政协系统数字化履职平台建设经验，部署推进委员履职服务“掌上办”。".into(),
                cover: Some(cover.clone()),
                subordinates: true,
            },
        )
        .unwrap();
    // The county's story comes a minute later.
    sync_all(&[&province]).await;
    server.clock.advance(chrono::Duration::minutes(1));
    let local = county
        .client
        .publish_news(
            None,
            NewsDraft {
                title: "宾川县政协开展柑橘产业专题视察".into(),
                summary: "县政协组织委员赴主产乡镇视察".into(),
                body: "县政协组织部分委员深入金牛镇、州城镇柑橘基地和冷库，听取情况介绍。".into(),
                cover: None,
                subordinates: false,
            },
        )
        .unwrap();
    // A province material for the province's own members does not reach a county.
    province.client.publish_material(None, charter()).unwrap();
    sync_all(&[&province, &county, &zhang, &ma]).await;

    let titles = |p: &Phone| p.client.news_feed(20).unwrap().into_iter().map(|n| n.id).collect::<Vec<_>>();
    assert_eq!(titles(&zhang), vec![local.clone(), story.clone()]);
    assert_eq!(titles(&ma), vec![story.clone()]);
    assert!(zhang.client.materials().unwrap().is_empty());
    let n = zhang.client.news(&story).unwrap();
    assert_eq!(n.summary, "会议总结了全省政协系统数字化履职平台建设经验，部署推进委员履职服务“掌上办”。");
    // The cover downloads for a county member; the story is searchable offline.
    zhang.client.download_file(&cover).await.unwrap();
    zhang.offline();
    assert_eq!(zhang.client.search_study("数字化").unwrap()[0].id, story);

    // Withdrawn, it leaves every feed.
    province.client.withdraw_news(&story, "标题有误，更正后重发").unwrap();
    zhang.online();
    sync_all(&[&province, &zhang, &ma]).await;
    assert_eq!(titles(&zhang), vec![local]);
    assert!(titles(&ma).is_empty());
    // Only staff publish.
    let e = zhang
        .client
        .publish_news(
            None,
            NewsDraft { title: "x".into(), summary: String::new(), body: "y".into(), cover: None, subordinates: false },
        )
        .unwrap_err();
    assert_eq!(e.user_message(), "只有本组织的工作人员可以进行此操作");
}

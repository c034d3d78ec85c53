//! Who sees what, tried as an outsider would: for each kind of content and each read route,
//! people of the owning organisation (宾川县), of a sibling county (祥云县), of the prefecture
//! (大理州) and the province above, a handling unit and a member outside the audience (五华区)
//! each get exactly what `lvzhi_domain::visibility` says — through real HTTP, and in what lands
//! in their phones' databases and search indexes. The five leaks found by testing as an outsider
//! (issue 25) are cases here: a duty record read across organisations, study shown to staff and
//! scored, a hidden post's text, a withdrawn item's text and files, a year past the calendar.

use std::collections::{BTreeMap, BTreeSet};

use lvzhi_domain::chat::GroupKind;
use lvzhi_domain::consult::report::ReportContent;
use lvzhi_domain::consult::topic::TopicDraft;
use lvzhi_domain::duty::meeting::{Enrolment, MeetingDraft, MeetingKind};
use lvzhi_domain::duty::notice::{Audience, NoticeContent, NoticeKind};
use lvzhi_domain::duty::record::DutyRecord;
use lvzhi_domain::news::NewsDraft;
use lvzhi_domain::org::Role;
use lvzhi_domain::protocol::{LoginRequest, Tokens};
use lvzhi_domain::study::material::MaterialDraft;
use lvzhi_domain::time::to_millis;
use lvzhi_server::bootstrap::{self, BootstrapFile, BootstrapGrant, BootstrapPerson};
use lvzhi_store::sample;
use lvzhi_tests::{PASSWORD, Phone, TestServer, demo_server, sql_count, sql_strings};

const COUNTY: &str = "yn-12-03";
const SIBLING: &str = "yn-12-02";

/// Words only the whole of each item holds: none may reach a reader who keeps the redacted form.
const NOTICE_WORDS: &str = "凭身份证到县政协三楼领取视察证件";
const MATERIAL_WORDS: &str = "稻渔综合种养";
const NEWS_WORDS: &str = "万亩柑橘冷链集配中心";
const POST_WORDS: &str = "甘蔗地膜回收";

/// The people of the matrix, by login: 宾川县's members, staff, administrator and a handling
/// unit; 祥云县's staff and administrator (added as a second county's accounts are, through
/// `bootstrap`); 大理州's and the province's staff; a province member; a member in 五华区.
const PEOPLE: [&str; 12] = [
    "zhangming",
    "lihua",
    "chenjing",
    "zhaolei",
    "liujun",
    "xy-staff",
    "xy-admin",
    "heyun",
    "zhouqiang",
    "yangfan",
    "machao",
    "wangfang",
];

async fn sync_all(phones: &BTreeMap<&str, Phone>) {
    for _ in 0..2 {
        for p in phones.values() {
            p.client.sync_until_idle().await.unwrap();
        }
    }
}

pub(crate) fn add_sibling_county_accounts(server: &TestServer) {
    let person = |login: &str, name: &str, role| BootstrapPerson {
        id: format!("demo-{login}"),
        name: name.into(),
        login: Some(login.into()),
        password: Some(PASSWORD.into()),
        grants: vec![BootstrapGrant { org_id: SIBLING.into(), role, unit_id: None }],
        groups: vec![],
    };
    let file = BootstrapFile {
        people: vec![person("xy-staff", "吴静", Role::ProposalStaff), person("xy-admin", "段勇", Role::OrgAdmin)],
        ..BootstrapFile::default()
    };
    bootstrap::load(&server.state.store, &file, server.clock.now()).unwrap();
}

struct Http {
    client: reqwest::Client,
    url: String,
    tokens: BTreeMap<String, String>,
}

impl Http {
    async fn new(server: &TestServer) -> Http {
        let client = reqwest::Client::new();
        let mut tokens = BTreeMap::new();
        for login in PEOPLE {
            let body = LoginRequest { login: login.into(), password: PASSWORD.into(), device_name: "浏览器".into() };
            let r = client.post(format!("{}/v1/login", server.url)).json(&body).send().await.unwrap();
            assert_eq!(r.status(), 200, "{login}");
            tokens.insert(login.to_string(), r.json::<Tokens>().await.unwrap().access_token);
        }
        Http { client, url: server.url.clone(), tokens }
    }

    async fn get(&self, who: &str, path: &str) -> (u16, String) {
        let r = self.client.get(format!("{}{path}", self.url)).bearer_auth(&self.tokens[who]).send().await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    async fn status(&self, who: &str, path: &str) -> u16 {
        self.get(who, path).await.0
    }

    /// Everything a fresh phone of `who` would be sent by `/v1/sync`, as the server's text.
    async fn fresh_sync_text(&self, who: &str) -> String {
        let mut cursors: BTreeMap<String, u64> = BTreeMap::new();
        let mut all = String::new();
        for _ in 0..50 {
            let body = serde_json::json!({
                "protocol": 1, "client_id": format!("fresh-{who}"), "mutations": [], "cursors": cursors,
            });
            let r = lvzhi_tests::post_sync(&self.url, &self.tokens[who], &body).await;
            assert_eq!(r.status(), 200);
            let text = r.text().await.unwrap();
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            all.push_str(&text);
            let mut more = false;
            for page in v["pages"].as_array().unwrap() {
                cursors.insert(page["scope"].as_str().unwrap().into(), page["cursor"].as_u64().unwrap());
                more |= page["more"].as_bool().unwrap_or(false);
            }
            if !more {
                return all;
            }
        }
        panic!("the first sync of {who} did not end");
    }
}

/// One piece of content of each kind, as the local table that holds it on a phone.
struct Item {
    kind: &'static str,
    table: &'static str,
    id: String,
}

fn on_phone(phone: &Phone, item: &Item) -> bool {
    let key = if item.table == "notification_settings" { "person_id" } else { "id" };
    let sql = format!("SELECT count(*) FROM {} WHERE {key} = ?1", item.table);
    sql_count(phone.client.store(), &sql, [&item.id]) == 1
}

fn data_of(phone: &Phone, table: &str, id: &str) -> String {
    let rows = sql_strings(phone.client.store(), &format!("SELECT data FROM {table} WHERE id = ?1"), [id]);
    rows.into_iter().next().unwrap_or_else(|| panic!("{} holds no {table} {id}", phone.name))
}

fn pdf(seed: u8) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..40_000u32).map(|i| (i % 251) as u8 ^ seed));
    bytes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everyone_gets_exactly_what_the_rule_says_on_every_route_and_on_their_phone() {
    let server = demo_server(sample::fixed_now()).await;
    add_sibling_county_accounts(&server);
    let mut phones: BTreeMap<&str, Phone> = BTreeMap::new();
    for login in PEOPLE.iter().filter(|l| **l != "wangfang") {
        phones.insert(login, Phone::logged_in(&server, login, login).await);
    }
    let http = Http::new(&server).await;
    let now = to_millis(server.clock.now());
    let (staff, zhang, li) = (&phones["chenjing"], &phones["zhangming"], &phones["lihua"]);

    // --- 宾川县's work: one item of each kind ---------------------------------------------
    let notice_file = staff.client.attach_file("视察须知.pdf", "application/pdf", &pdf(1), false).unwrap();
    let notice = staff
        .client
        .publish_notice(
            None,
            NoticeContent {
                title: "关于开展宾川县高标准农田建设专题视察的通知".into(),
                body: format!("请参加视察的委员{NOTICE_WORDS}。"),
                kind: NoticeKind::Meeting,
                audience: Audience::Members { subordinates: false },
                asks_reply: false,
                reply_deadline_ms: None,
                attachments: vec![notice_file.clone()],
                urgent: false,
            },
        )
        .unwrap();
    let material_file = staff.client.attach_file("学习辅导.pdf", "application/pdf", &pdf(2), false).unwrap();
    let material = staff
        .client
        .publish_material(
            None,
            MaterialDraft {
                title: "乡村振兴政策学习辅导".into(),
                body: format!("本期介绍{MATERIAL_WORDS}模式在宾川县的推广经验。"),
                series: None,
                order: 1,
                attachments: vec![material_file.clone()],
                video: None,
                audience: Audience::Members { subordinates: false },
            },
        )
        .unwrap();
    let cover = lvzhi_media::sample_photo(320, 200, 80, 3);
    let cover = staff.client.attach_file("冷链中心.jpg", "image/jpeg", &cover, false).unwrap();
    let news = staff
        .client
        .publish_news(
            None,
            NewsDraft {
                title: "县政协视察柑橘产业发展".into(),
                summary: String::new(),
                body: format!("委员们实地察看了{NEWS_WORDS}的建设进度。"),
                cover: Some(cover.clone()),
                subordinates: true,
            },
        )
        .unwrap();
    let topic = staff
        .client
        .open_topic(
            None,
            TopicDraft {
                title: "如何减少农田白色污染".into(),
                background: "请委员围绕农膜回收利用建言。".into(),
                audience: Audience::Members { subordinates: false },
                opens_at_ms: now,
                closes_at_ms: now + 48 * 3_600_000,
            },
        )
        .unwrap();
    let meeting = staff
        .client
        .create_meeting(
            None,
            MeetingDraft {
                kind: MeetingKind::Inspection,
                title: "高标准农田建设专题视察".into(),
                starts_at_ms: now + 86_400_000,
                ends_at_ms: now + 86_400_000 + 4 * 3_600_000,
                place: "宾川县金牛镇".into(),
                organiser: "县政协农业和农村委员会".into(),
                agenda: "实地察看，座谈交流。".into(),
                half_days: 1,
                enrolment: Enrolment::Invitation { person_ids: vec!["demo-zhangming".into()] },
                leave_needs_approval: false,
                remote: None,
            },
        )
        .unwrap();
    let group = staff
        .client
        .create_group_as_staff(
            "农业和农村界委员交流群",
            GroupKind::Topic,
            vec!["demo-zhangming".into(), "demo-lihua".into()],
        )
        .unwrap();
    sync_all(&phones).await;
    let post = zhang.client.write_post(&topic, None, &format!("建议建立{POST_WORDS}补贴机制。")).unwrap();
    let message = zhang.client.send_message(&group, "各位委员好，视察材料已发群里。", None, vec![]).unwrap();
    let proposal = zhang.client.create_draft(sample::proposal_content(1, "宾川县")).unwrap().id;
    zhang.client.perform(&proposal, lvzhi_domain::proposal::Action::Submit).unwrap();
    let report = zhang
        .client
        .create_report(
            ReportContent {
                attachments: Vec::new(),
                title: "关于宾川县柑橘产地冷链设施不足的情况反映".into(),
                situation: "全县产地预冷库容量不足两万吨，大量鲜果只能常温堆放。".into(),
                analysis: "冷链设施投入大、使用季节短，合作社无力单独建设。".into(),
                suggestion: "建议在主产乡镇建设共享型产地冷链集配中心。".into(),
            },
            vec![],
            None,
        )
        .unwrap();
    zhang.client.submit_report(&report).unwrap();
    zhang.client.mark_studied(&material).unwrap();
    // His push settings: his own, on his phones only.
    let settings = lvzhi_domain::push::NotificationSettings {
        off: vec![lvzhi_domain::push::PushKind::Mention],
        ..Default::default()
    };
    zhang.client.set_notification_settings(settings).unwrap();
    sync_all(&phones).await;

    // --- What lands on each phone -----------------------------------------------------------
    let items = [
        Item { kind: "proposal", table: "proposals", id: proposal.clone() },
        Item { kind: "report", table: "reports", id: report.clone() },
        Item { kind: "topic", table: "topics", id: topic.clone() },
        Item { kind: "post", table: "posts", id: post.clone() },
        Item { kind: "notice", table: "notices", id: notice.clone() },
        Item { kind: "meeting", table: "meetings", id: meeting.clone() },
        Item { kind: "material", table: "materials", id: material.clone() },
        Item { kind: "news", table: "news", id: news.clone() },
        Item { kind: "message", table: "chat_messages", id: message.clone() },
        Item { kind: "settings", table: "notification_settings", id: "demo-zhangming".into() },
    ];
    let everything: &[&str] =
        &["proposal", "report", "topic", "post", "notice", "meeting", "material", "news", "message"];
    let members_content: &[&str] = &["topic", "post", "notice", "material", "news"];
    let expected: BTreeMap<&str, Vec<&str>> = BTreeMap::from([
        // The author: everything of his; the group's message; the meeting he is invited to.
        ("zhangming", [everything, &["settings"]].concat()),
        // Another member: what goes to the county's members, and the group she is in.
        ("lihua", [members_content, &["message"]].concat()),
        // Staff and the administrator: the county's work, but not a group they are not in (陈静
        // created the group and is in it).
        ("chenjing", everything.to_vec()),
        ("zhaolei", ["proposal", "report", "topic", "post", "notice", "meeting", "material", "news"].to_vec()),
        // A handling unit: the organisation's news, nothing for members only, no proposal not
        // assigned to it.
        ("liujun", vec!["news"]),
        // A sibling county, the levels above, a member elsewhere: none of it.
        ("xy-staff", vec![]),
        ("xy-admin", vec![]),
        ("heyun", vec![]),
        ("zhouqiang", vec![]),
        ("yangfan", vec![]),
        ("machao", vec![]),
    ]);
    let seen = |phones: &BTreeMap<&str, Phone>| -> BTreeMap<String, BTreeSet<&'static str>> {
        phones
            .iter()
            .map(|(login, p)| (login.to_string(), items.iter().filter(|i| on_phone(p, i)).map(|i| i.kind).collect()))
            .collect()
    };
    let want: BTreeMap<String, BTreeSet<&str>> =
        expected.iter().map(|(k, v)| (k.to_string(), v.iter().copied().collect())).collect();
    assert_eq!(seen(&phones), want);

    // Search indexes hold what the phone may read, and only that.
    for login in ["zhangming", "lihua", "chenjing"] {
        let p = &phones[login];
        assert!(!p.client.search_consult("地膜").unwrap().is_empty(), "{login}");
        assert!(!p.client.search_study("综合种养").unwrap().is_empty(), "{login}");
        assert!(!p.client.search_study("集配").unwrap().is_empty(), "{login}");
    }
    for login in ["xy-staff", "heyun", "zhouqiang", "yangfan", "machao", "liujun"] {
        assert!(phones[login].client.search_consult("地膜").unwrap().is_empty(), "{login}");
        assert!(phones[login].client.search_study("综合种养").unwrap().is_empty(), "{login}");
    }

    // Files: whoever may read the item that carries one, and nobody else.
    let blob = |hash: &str| format!("/v1/blobs/{hash}");
    for (login, want) in [
        ("lihua", 200),
        ("zhangming", 200),
        ("chenjing", 200),
        ("zhaolei", 200),
        ("liujun", 403),
        ("xy-staff", 403),
        ("heyun", 403),
        ("zhouqiang", 403),
        ("machao", 403),
    ] {
        assert_eq!(http.status(login, &blob(&notice_file.hash)).await, want, "{login}: the notice's file");
        assert_eq!(http.status(login, &blob(&material_file.hash)).await, want, "{login}: the material's file");
    }
    li.client.download_file(&notice_file).await.unwrap();
    li.client.download_file(&material_file).await.unwrap();
    li.client.download_file(&cover).await.unwrap();
    assert!(li.client.file_bytes(&notice_file.hash).unwrap().is_some());

    // --- The duty record: the member, staff of his organisation, nobody else ----------------
    let record = |person: &str, org: &str, year: &str| format!("/v1/duty/record?person={person}&org={org}&year={year}");
    let zhang_record = record("demo-zhangming", COUNTY, "2027");
    for (login, want) in [
        ("zhangming", 200),
        ("chenjing", 200),
        ("zhaolei", 200),
        ("lihua", 403),
        ("liujun", 403),
        ("xy-staff", 403),
        ("xy-admin", 403),
        ("heyun", 403),
        ("zhouqiang", 403),
        ("machao", 403),
    ] {
        assert_eq!(http.status(login, &zhang_record).await, want, "{login}");
    }
    // Leak 1: staff of one organisation named a person of another (杨帆, the province's), or
    // named their own organisation for someone who is not in it.
    assert_eq!(http.status("chenjing", &record("demo-yangfan", COUNTY, "2027")).await, 403);
    assert_eq!(http.status("xy-staff", &record("demo-zhangming", SIBLING, "2027")).await, 403);
    assert_eq!(http.status("zhouqiang", &record("demo-yangfan", "yn", "2027")).await, 200);
    // Leak 2: study reaches the member's own record only, and no rule may score it.
    let keys = |body: &str| -> Vec<String> {
        let r: DutyRecord = serde_json::from_str(body).unwrap();
        r.lines.into_iter().map(|l| l.fact.key).collect()
    };
    let (_, own) = http.get("zhangming", &zhang_record).await;
    assert!(keys(&own).contains(&"material_studied".to_string()), "{own}");
    let (_, staffs) = http.get("chenjing", &zhang_record).await;
    assert!(keys(&staffs).contains(&"proposal_submitted".to_string()), "{staffs}");
    assert!(!keys(&staffs).iter().any(|k| lvzhi_domain::duty::record::is_study(k)), "{staffs}");
    assert!(!staffs.contains("乡村振兴政策学习辅导"), "{staffs}");
    let mut rules = staff.client.duty_rules().unwrap();
    rules.points.insert("material_studied".into(), 5);
    let refused = staff.client.set_duty_rules(rules).unwrap_err().to_string();
    assert!(refused.contains("学习资料") && refused.contains("不计积分"), "{refused}");
    // Leak 5: a year past the calendar, or no number at all, is a 400 with the reason.
    let (status, body) = http.get("zhangming", &record("demo-zhangming", COUNTY, "2147483647")).await;
    assert_eq!(status, 400);
    assert!(body.contains("年份应在"), "{body}");
    assert_eq!(http.status("zhangming", &record("demo-zhangming", COUNTY, "明年")).await, 400);
    assert_eq!(http.status("zhangming", &record("demo-zhangming", COUNTY, "-2147483648")).await, 400);

    // --- Statistics, the audit log, a group's history ---------------------------------------
    let stats = format!("/v1/reports/stats?org={COUNTY}");
    for (login, want) in [
        ("chenjing", 200),
        ("zhaolei", 200),
        ("heyun", 200),
        ("zhouqiang", 200),
        ("zhangming", 403),
        ("liujun", 403),
        ("xy-staff", 403),
        ("yangfan", 403),
        ("machao", 403),
    ] {
        assert_eq!(http.status(login, &stats).await, want, "{login}: statistics");
    }
    let audit = format!("/v1/audit?org={COUNTY}");
    for (login, want) in
        [("zhaolei", 200), ("chenjing", 403), ("xy-admin", 403), ("heyun", 403), ("zhangming", 403), ("liujun", 403)]
    {
        assert_eq!(http.status(login, &audit).await, want, "{login}: audit");
    }
    assert_eq!(http.status("zhaolei", &format!("{audit}&limit=100000")).await, 400);
    let history = format!("/v1/groups/{group}/messages?before=1000000");
    for (login, want) in [("zhangming", 200), ("lihua", 200), ("zhaolei", 403), ("xy-staff", 403), ("machao", 403)] {
        assert_eq!(http.status(login, &history).await, want, "{login}: history");
    }
    assert_eq!(http.status("zhangming", &format!("{history}&limit=100000")).await, 400);
    assert_eq!(http.status("zhangming", &format!("/v1/groups/{group}/messages?before=-1")).await, 400);

    // --- Leaks 3 and 4: hidden and withdrawn ------------------------------------------------
    staff.client.hide_post(&post, "涉及个人信息").unwrap();
    staff.client.withdraw_notice(&notice, "视察时间调整").unwrap();
    staff.client.withdraw_material(&material, "资料更新").unwrap();
    staff.client.withdraw_news(&news, "内容有误").unwrap();
    sync_all(&phones).await;

    // The items stay where they were, with why; only their staff (and a post's author) keep
    // the whole.
    assert_eq!(seen(&phones), want, "nothing leaves a list: it is marked instead");
    for (login, whole_post, whole_rest) in
        [("zhangming", true, false), ("lihua", false, false), ("chenjing", true, true), ("zhaolei", true, true)]
    {
        let p = &phones[login];
        let post_data = data_of(p, "posts", &post);
        assert!(post_data.contains("涉及个人信息"), "{login}: {post_data}");
        assert_eq!(post_data.contains(POST_WORDS), whole_post, "{login}: {post_data}");
        assert_eq!(!p.client.search_consult("地膜").unwrap().is_empty(), whole_post, "{login}");
        let notice_data = data_of(p, "notices", &notice);
        assert!(notice_data.contains("视察时间调整") && notice_data.contains("专题视察的通知"), "{notice_data}");
        assert_eq!(notice_data.contains(NOTICE_WORDS), whole_rest, "{login}: {notice_data}");
        assert_eq!(notice_data.contains(&notice_file.hash), whole_rest, "{login}: {notice_data}");
        let material_data = data_of(p, "materials", &material);
        assert!(material_data.contains("资料更新") && material_data.contains("乡村振兴政策学习辅导"));
        assert_eq!(material_data.contains(MATERIAL_WORDS), whole_rest, "{login}: {material_data}");
        assert_eq!(!p.client.search_study("综合种养").unwrap().is_empty(), whole_rest, "{login}");
        let news_data = data_of(p, "news", &news);
        assert!(news_data.contains("内容有误"), "{news_data}");
        assert_eq!(news_data.contains(NEWS_WORDS), whole_rest, "{login}: {news_data}");
        assert_eq!(!p.client.search_study("集配").unwrap().is_empty(), whole_rest, "{login}");
    }
    // The files are gone from members' phones and from the download route; staff keep them.
    for hash in [&notice_file.hash, &material_file.hash, &cover.hash] {
        assert!(li.client.file_bytes(hash).unwrap().is_none(), "李华's phone still holds {hash}");
        for (login, want) in [("lihua", 403), ("zhangming", 403), ("machao", 403), ("chenjing", 200), ("zhaolei", 200)]
        {
            assert_eq!(http.status(login, &blob(hash)).await, want, "{login}: {hash} after withdrawal");
        }
    }

    // Nothing the server could still send a reader who keeps the redacted form holds the
    // whole: not even an older change, which a phone syncing from the start in small pages
    // would otherwise receive before the redacted one.
    for (words, whole_scopes) in [
        (NOTICE_WORDS, "'staff:yn-12-03'"),
        (MATERIAL_WORDS, "'staff:yn-12-03'"),
        (NEWS_WORDS, "'staff:yn-12-03'"),
        (POST_WORDS, "'staff:yn-12-03', 'user:demo-zhangming'"),
    ] {
        let sql = format!("SELECT count(*) FROM change_log WHERE data LIKE ?1 AND scope NOT IN ({whole_scopes})");
        assert_eq!(sql_count(&server.state.store, &sql, [format!("%{words}%")]), 0, "{words} in the change log");
    }
    // A phone that syncs from the start after all this (王芳's, new) receives none of it.
    let fresh = http.fresh_sync_text("wangfang").await;
    assert!(fresh.contains("关于开展宾川县高标准农田建设专题视察的通知"), "the titles stay");
    for words in [NOTICE_WORDS, MATERIAL_WORDS, NEWS_WORDS, POST_WORDS] {
        assert!(!fresh.contains(words), "a fresh sync carries {words}");
    }
    let wang = Phone::logged_in(&server, "wangfang", "wangfang").await;
    assert!(wang.client.search_consult("地膜").unwrap().is_empty());
    assert!(wang.client.search_study("综合种养").unwrap().is_empty());
    assert!(data_of(&wang, "posts", &post).contains("涉及个人信息"));
}

/// 委员档案, 联络联系 and 委员工作室: a member's file and its phone go to the member and their
/// organisation's staff; the directory's entry (no phone) and the studios to the organisation;
/// a member's register and log to the member alone; a resident's message and phone to the
/// studio's members and staff; a sector's counts to its convener; the public page to anyone,
/// with nothing of anyone else.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_contacts_and_studio_messages_reach_exactly_whom_the_rule_says() {
    use lvzhi_domain::liaison::contacts::{ContactDraft, ContactLogDraft, ContactWay};
    use lvzhi_domain::liaison::studio::{DutyDay, StudioDraft};
    use lvzhi_domain::member_file::FileFields;

    let server = demo_server(sample::fixed_now()).await;
    add_sibling_county_accounts(&server);
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let fields = FileFields {
        employer_title: "宾川县农业技术推广中心主任".into(),
        phone: "13987001234".into(),
        ..FileFields::default()
    };
    staff.client.keep_member_file("demo-zhangming", fields).unwrap();
    let studio = StudioDraft {
        name: "金牛镇委员工作室".into(),
        place: "宾川县金牛镇文化站二楼".into(),
        opening_hours: String::new(),
        member_ids: vec!["demo-zhangming".into(), "demo-lihua".into()],
        roster: vec![DutyDay { date: "2027-01-15".into(), person_ids: vec!["demo-zhangming".into()] }],
        open: true,
    };
    let studio_id = staff.client.save_studio(None, studio).unwrap();
    staff.client.sync_until_idle().await.unwrap();
    let c = zhang
        .client
        .save_contact(None, ContactDraft { name: "杨老三".into(), phone: "13987005678".into(), ..Default::default() })
        .unwrap();
    zhang
        .client
        .log_contact(
            None,
            ContactLogDraft {
                contact_ids: vec![c],
                date: "2027-01-10".into(),
                way: ContactWay::Visit,
                raised: "肉牛养殖贴息".into(),
            },
        )
        .unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    // A resident's message, through the public page's own route.
    let public = reqwest::Client::new();
    let url = format!("{}/studio/{studio_id}", server.url);
    let page = public.get(&url).send().await.unwrap().text().await.unwrap();
    let start = page.find("name=\"challenge\" value=\"").unwrap() + 24;
    let challenge = &page[start..start + page[start..].find('"').unwrap()];
    let nonce = (0u64..)
        .map(|n| n.to_string())
        .find(|n| lvzhi_server::studio::work_done(challenge, &studio_id, n, 16))
        .unwrap();
    let form = [("text", "村道塌方"), ("phone", "13888001122"), ("challenge", challenge), ("nonce", &nonce)];
    assert_eq!(public.post(&url).form(&form).send().await.unwrap().status(), 200);

    let http = Http::new(&server).await;
    let county = ["zhangming", "lihua", "wangfang", "chenjing", "zhaolei", "liujun"];
    let staff_of_county = ["zhangming", "chenjing", "zhaolei"];
    let studio_people = ["zhangming", "lihua", "chenjing", "zhaolei"];
    for login in PEOPLE {
        let text = http.fresh_sync_text(login).await;
        let has = |s: &str| text.contains(s);
        assert_eq!(has("13987001234"), staff_of_county.contains(&login), "{login}: the file's phone");
        assert_eq!(has("宾川县农业技术推广中心主任"), county.contains(&login), "{login}: the directory");
        assert_eq!(has("金牛镇委员工作室"), county.contains(&login), "{login}: the studio");
        assert_eq!(has("杨老三") || has("肉牛养殖贴息"), login == "zhangming", "{login}: the register and log");
        // The nameless facts the server derives from the log: 宾川's staff only (the member has the log).
        assert_eq!(has("\"contact_facts\""), matches!(login, "chenjing" | "zhaolei"), "{login}: contact facts");
        assert_eq!(has("13888001122"), studio_people.contains(&login), "{login}: the resident's phone");
        // A convener's counts come from their own route, for them alone.
        let (status, body) = http.get(login, "/v1/liaison/sector-activity").await;
        assert_eq!(status, 200, "{login}");
        assert_eq!(body != "[]", login == "yangfan", "{login}: {body}");
        assert!(!body.contains("杨老三") && !body.contains("demo-zhangming"), "{login}: {body}");
    }
    // The public page shows the studio to anyone, and no one's phone or message.
    let page = public.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("13888001122") && !page.contains("村道塌方") && !page.contains("13987001234"));
    assert_eq!(public.get(format!("{}/v1/liaison/sector-activity", server.url)).send().await.unwrap().status(), 401);
}

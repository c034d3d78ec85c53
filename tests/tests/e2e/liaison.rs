//! 委员档案, 联络联系 and 委员工作室 end to end: a real server with the demo's Yunnan tree,
//! phones with their own databases behind the lossy proxy, and a resident's browser on the
//! studio's public page (plain HTTP, no account).

use lvzhi_domain::liaison::RaisedFrom;
use lvzhi_domain::liaison::contacts::{ContactDraft, ContactLogDraft, ContactWay};
use lvzhi_domain::liaison::studio::{DutyDay, StudioDraft};
use lvzhi_domain::member_file::{CorrectionState, FileFields, Gender};
use lvzhi_store::sample;
use lvzhi_tests::{Phone, TestServer, demo_server, sql_count, sql_strings};

const YEAR: i32 = 2027;

async fn sync_all(phones: &[&Phone]) {
    for _ in 0..2 {
        for p in phones {
            p.client.sync_until_idle().await.unwrap();
        }
    }
}

fn zhang_file() -> FileFields {
    FileFields {
        gender: Some(Gender::Male),
        ethnicity: "白族".into(),
        party: "九三学社".into(),
        employer_title: "宾川县农业技术推广中心主任".into(),
        term: "第十三届".into(),
        phone: "13987001234".into(),
    }
}

/// Every text a phone's database holds in the tables a person's data could be in.
fn texts_on(phone: &Phone) -> String {
    let mut all = String::new();
    for sql in [
        "SELECT data FROM member_files",
        "SELECT data FROM file_corrections",
        "SELECT data FROM directory_entries",
        "SELECT data FROM contacts",
        "SELECT data FROM contact_logs",
        "SELECT data FROM studio_messages",
        "SELECT data FROM server_entities",
    ] {
        all.extend(sql_strings(phone.client.store(), sql, []));
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_corrects_their_file_offline_staff_approve_and_the_directory_never_shows_a_phone() {
    let server = demo_server(sample::fixed_now()).await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    let ma = Phone::logged_in(&server, "machao", "machao").await;

    // Staff keep 张明's file; a member cannot.
    staff.client.keep_member_file("demo-zhangming", zhang_file()).unwrap();
    let e = li.client.keep_member_file("demo-zhangming", zhang_file()).unwrap_err();
    assert_eq!(e.user_message(), "只有本组织的工作人员可以进行此操作");
    sync_all(&[&staff, &zhang, &li, &ma]).await;

    let mine = zhang.client.my_file().unwrap();
    assert_eq!(mine.file.as_ref().unwrap().fields.phone, "13987001234");
    // 李华 finds him in the directory by his committee, with his title and no phone; nothing
    // of his file is on her phone.
    let found = li.client.directory(Some("提案委员会")).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].name.as_str(), found[0].employer_title.as_str()), ("张明", "宾川县农业技术推广中心主任"));
    assert!(found[0].groups.contains(&"农业和农村界".to_string()));
    assert!(!texts_on(&li).contains("13987001234"), "no phone of 张明 on 李华's phone");
    assert_eq!(sql_count(li.client.store(), "SELECT count(*) FROM member_files", []), 0);
    // Another county's member does not see 宾川's directory at all.
    assert!(ma.client.directory(Some("张明")).unwrap().is_empty());
    assert!(!texts_on(&ma).contains("宾川县农业技术推广中心"));

    // 张明, offline, asks a correction: in his phone's database before anything is sent.
    zhang.offline();
    let proposed = FileFields { employer_title: "宾川县农业农村局副局长".into(), ..zhang_file() };
    let id = zhang.client.request_file_correction(proposed.clone(), "2026年12月调任").unwrap();
    assert!(id.starts_with("demo-zhangming@"));
    let mine = zhang.client.my_file().unwrap();
    assert!(mine.pending);
    assert_eq!(mine.corrections[0].state, CorrectionState::Pending);
    // Nothing to correct is refused offline with the server's reason.
    let e = zhang.client.request_file_correction(zhang_file(), "").unwrap_err();
    assert_eq!(e.user_message(), "没有需要更正的内容");
    zhang.online();
    sync_all(&[&zhang, &staff]).await;

    // Staff see it with what it changes, and approve.
    let waiting = staff.client.pending_corrections().unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!((waiting[0].name.as_str(), waiting[0].changes.clone()), ("张明", vec!["工作单位及职务".to_string()]));
    staff.client.decide_file_correction(&id, true, "").unwrap();
    sync_all(&[&staff, &zhang, &li]).await;
    let mine = zhang.client.my_file().unwrap();
    let file = mine.file.unwrap();
    assert_eq!((file.version, file.fields.employer_title.as_str()), (2, "宾川县农业农村局副局长"));
    assert_eq!(file.history[1].correction_id.as_deref(), Some(id.as_str()));
    assert_eq!(mine.corrections[0].state, CorrectionState::Approved);
    assert_eq!(li.client.directory(Some("张明")).unwrap()[0].employer_title, "宾川县农业农村局副局长");

    // A second correction is returned with a reason; the file stays.
    let party = zhang.client.request_file_correction(FileFields { party: "民盟".into(), ..proposed }, "").unwrap();
    sync_all(&[&zhang, &staff]).await;
    let e = staff.client.decide_file_correction(&party, false, " ").unwrap_err();
    assert_eq!(e.user_message(), "退回时请说明理由");
    staff.client.decide_file_correction(&party, false, "党派以统战部备案为准").unwrap();
    sync_all(&[&staff, &zhang]).await;
    let mine = zhang.client.my_file().unwrap();
    assert_eq!(mine.file.unwrap().fields.party, "九三学社");
    let returned = mine.corrections.iter().find(|c| c.id == party).unwrap();
    assert_eq!((returned.state, returned.reason.as_deref()), (CorrectionState::Returned, Some("党派以统战部备案为准")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_logged_offline_becomes_a_linked_report_counts_in_the_record_and_conveners_see_only_counts() {
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let yang = Phone::logged_in(&server, "yangfan", "yangfan").await;

    // 张明 visits a village with no signal: his register and log are written on the phone.
    zhang.offline();
    let yang_laosan = zhang
        .client
        .save_contact(
            None,
            ContactDraft {
                name: "杨老三".into(),
                sector: "金牛镇肉牛养殖户".into(),
                phone: "13987005678".into(),
                note: String::new(),
            },
        )
        .unwrap();
    let li_chunhua = zhang
        .client
        .save_contact(
            None,
            ContactDraft { name: "李春花".into(), sector: "宾川县果蔬协会".into(), ..Default::default() },
        )
        .unwrap();
    let visit = zhang
        .client
        .log_contact(
            None,
            ContactLogDraft {
                contact_ids: vec![yang_laosan.clone(), li_chunhua.clone()],
                date: "2027-01-12".into(),
                way: ContactWay::Visit,
                raised: "肉牛养殖贷款难，希望扩大贴息范围\n养殖户反映贷款审批周期长".into(),
            },
        )
        .unwrap();
    zhang
        .client
        .log_contact(
            None,
            ContactLogDraft {
                contact_ids: vec![yang_laosan.clone()],
                date: "2026-12-20".into(),
                way: ContactWay::Phone,
                raised: String::new(),
            },
        )
        .unwrap();
    let future = ContactLogDraft {
        contact_ids: vec![yang_laosan.clone()],
        date: "2027-02-01".into(),
        way: ContactWay::Forum,
        raised: String::new(),
    };
    assert_eq!(zhang.client.log_contact(None, future).unwrap_err().user_message(), "联系日期不能晚于今天");
    // One action makes the 社情民意 draft, linked both ways.
    let report_id = zhang.client.report_from_contact(&visit).unwrap();
    let log = zhang.client.contact_log().unwrap();
    let line = log.iter().find(|l| l.log.id == visit).unwrap();
    assert_eq!(line.names, vec!["杨老三", "李春花"]);
    assert_eq!(line.drafts.len(), 1);
    assert_eq!((line.drafts[0].kind.as_str(), line.drafts[0].id.as_str()), ("report", report_id.as_str()));
    let report = zhang.client.report(&report_id).unwrap().report;
    assert_eq!(report.source, Some(RaisedFrom::ContactLog(visit.clone())));
    assert_eq!(report.content.title, "关于肉牛养殖贷款难，希望扩大贴息范围的情况反映");
    let summary = zhang.client.contact_summary().unwrap();
    assert_eq!((summary.people_reached, summary.expected, summary.contacts_logged), (2, Some(5), 1));
    zhang.online();
    sync_all(&[&zhang, &li, &staff, &yang]).await;

    // On the server: the report names its source; the log is 张明's alone.
    let on_server = server.state.store.read(|c| lvzhi_store::consult::repo::report(c, &report_id)).unwrap().unwrap();
    assert_eq!(on_server.source, Some(RaisedFrom::ContactLog(visit.clone())));
    for other in [&li, &staff, &yang] {
        assert_eq!(sql_count(other.client.store(), "SELECT count(*) FROM contacts", []), 0, "{}", other.name);
        assert!(!texts_on(other).contains("杨老三"), "{}", other.name);
    }
    // A proposal draft may be made of it too.
    let session = "yn-12-03-s3";
    let proposal = zhang.client.proposal_from_contact(&visit, session).unwrap();
    sync_all(&[&zhang]).await;
    let line = zhang.client.contact_log().unwrap().into_iter().find(|l| l.log.id == visit).unwrap();
    assert_eq!(line.drafts.len(), 2);
    let p = server.state.store.read(|c| lvzhi_store::proposal::repo::load(c, &proposal)).unwrap().unwrap();
    assert_eq!(p.source, Some(RaisedFrom::ContactLog(visit.clone())));

    // The duty record counts the people reached, once a year each, against the expectation; the
    // server computes the same for staff, without the people's names.
    let record = zhang.client.duty_record(YEAR).unwrap();
    let contacts = record.by_kind.iter().find(|k| k.key == "contact_people").unwrap();
    assert_eq!((contacts.count, contacts.expected, contacts.points), (2, Some(5), 0));
    let by_server = staff.client.server_duty_record("demo-zhangming", "yn-12-03", YEAR).await.unwrap();
    let on_server = by_server.by_kind.iter().find(|k| k.key == "contact_people").unwrap();
    assert_eq!(on_server.count, 2);
    assert!(by_server.lines.iter().all(|l| !l.fact.title.contains("杨老三") && !l.fact.title.contains("李春花")));
    // Staff phones hold no one's log, but the facts the server derived from it: the same count.
    staff.client.sync_until_idle().await.unwrap();
    let on_staff_phone = staff.client.member_record("demo-zhangming", YEAR).unwrap();
    assert_eq!(on_staff_phone.by_kind.iter().find(|k| k.key == "contact_people").unwrap().count, 2);
    assert_eq!(sql_count(staff.client.store(), "SELECT count(*) FROM contact_logs", []), 0);
    let last_year = zhang.client.duty_record(2026).unwrap();
    assert_eq!(last_year.by_kind.iter().find(|k| k.key == "contact_people").unwrap().count, 1);

    // 李华 logs one too; 杨帆 convenes the province's 农业和农村界 and sees counts by organisation
    // and month — nobody's name, nobody's contacts.
    let li_contact =
        li.client.save_contact(None, ContactDraft { name: "赵大姐".into(), ..Default::default() }).unwrap();
    li.client
        .log_contact(
            None,
            ContactLogDraft {
                contact_ids: vec![li_contact],
                date: "2027-01-03".into(),
                way: ContactWay::Online,
                raised: "村道年久失修".into(),
            },
        )
        .unwrap();
    sync_all(&[&li]).await;
    let reports = yang.client.sector_activity().await.unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!((reports[0].sector_name.as_str(), reports[0].org_name.as_str()), ("农业和农村界", "云南省政协"));
    let row =
        |org: &str, month: &str| reports[0].rows.iter().find(|r| r.org_id == org && r.month == month).cloned().unwrap();
    let jan = row("yn-12-03", "2027-01");
    assert_eq!((jan.members, jan.active_members, jan.contacts, jan.people, jan.raised), (2, 2, 2, 3, 2));
    let dec = row("yn-12-03", "2026-12");
    assert_eq!((dec.active_members, dec.contacts, dec.people, dec.raised), (1, 1, 1, 0));
    let alone = row("yn", "2027-01");
    assert_eq!((alone.members, alone.withheld), (1, true), "杨帆 alone: his own counts are not shown");
    assert_eq!(reports[0].rows.len(), 24, "two organisations, twelve months");
    let json = serde_json::to_string(&reports).unwrap();
    for name in ["demo-zhangming", "demo-lihua", "杨老三", "赵大姐", "张明"] {
        assert!(!json.contains(name), "{name}");
    }
    // Someone who convenes nothing gets nothing.
    assert!(zhang.client.sector_activity().await.unwrap().is_empty());
}

/// The text between `start` and the next `end` in `html`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("{start} in {html}")) + start.len();
    &html[from..from + html[from..].find(end).unwrap()]
}

/// What a browser does on the public page: reads the challenge, finds the nonce, posts.
async fn leave_message(http: &reqwest::Client, url: &str, text: &str, phone: &str) -> reqwest::Response {
    let page = http.get(url).send().await.unwrap().text().await.unwrap();
    let challenge = between(&page, "name=\"challenge\" value=\"", "\"").to_string();
    let studio = url.rsplit('/').next().unwrap();
    let nonce =
        (0u64..).map(|n| n.to_string()).find(|n| lvzhi_server::studio::work_done(&challenge, studio, n, 16)).unwrap();
    let form = [("text", text), ("name", "老杨"), ("phone", phone), ("challenge", &challenge), ("nonce", &nonce)];
    http.post(url).form(&form).send().await.unwrap()
}

/// The page's form as a browser sends it with a photo chosen: `multipart/form-data`.
async fn leave_message_with_photo(http: &reqwest::Client, url: &str, text: &str, photo: &[u8]) -> reqwest::Response {
    let page = http.get(url).send().await.unwrap().text().await.unwrap();
    let challenge = between(&page, "name=\"challenge\" value=\"", "\"").to_string();
    let studio = url.rsplit('/').next().unwrap();
    let nonce =
        (0u64..).map(|n| n.to_string()).find(|n| lvzhi_server::studio::work_done(&challenge, studio, n, 16)).unwrap();
    let boundary = "lvzhi-test-boundary-7f3a";
    let mut body = Vec::new();
    for (k, v) in [("text", text), ("name", ""), ("phone", ""), ("challenge", &challenge), ("nonce", &nonce)] {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").bytes());
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"塌方.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
        )
        .bytes(),
    );
    body.extend_from_slice(photo);
    body.extend(format!("\r\n--{boundary}--\r\n").bytes());
    http.post(url)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn look_up(http: &reqwest::Client, url: &str, code: &str) -> (u16, String) {
    let r = http.post(format!("{url}/answer")).form(&[("code", code)]).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn studio(name: &str) -> StudioDraft {
    StudioDraft {
        name: name.into(),
        place: "宾川县金牛镇文化站二楼".into(),
        opening_hours: "每周三 9:00–12:00".into(),
        member_ids: vec!["demo-zhangming".into(), "demo-lihua".into()],
        roster: vec![
            DutyDay { date: "2027-01-08".into(), person_ids: vec!["demo-lihua".into()] },
            DutyDay { date: "2027-01-15".into(), person_ids: vec!["demo-zhangming".into()] },
            DutyDay { date: "2027-01-22".into(), person_ids: vec!["demo-zhangming".into()] },
        ],
        open: true,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resident_leaves_a_message_the_member_on_duty_answers_and_only_the_right_code_reads_it() {
    // Five messages at once from the resident's address (the default is three), for the cases below.
    let server: TestServer = lvzhi_tests::demo_server_with(sample::fixed_now(), |c| {
        c.limits.studio_posts_per_address = lvzhi_server::limits::Rate::new(5, 1);
    })
    .await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    let wang = Phone::logged_in(&server, "wangfang", "wangfang").await;

    let jinniu = staff.client.save_studio(None, studio("金牛镇委员工作室")).unwrap();
    let other =
        staff.client.save_studio(None, StudioDraft { roster: Vec::new(), ..studio("州城镇委员工作室") }).unwrap();
    sync_all(&[&staff, &zhang, &li, &wang]).await;
    // Everyone in the county sees the studios; 张明 his duty days from today on.
    assert_eq!(wang.client.studios().unwrap().len(), 2);
    let mine = zhang.client.studios().unwrap().into_iter().find(|s| s.studio.id == jinniu).unwrap();
    assert!(mine.on_duty_today);
    assert_eq!(mine.my_duty_days, vec!["2027-01-15", "2027-01-22"]);
    assert_eq!(mine.member_names, vec!["张明", "李华"]);

    // A resident, with no account, opens the poster's page and leaves a message.
    let http = reqwest::Client::new();
    let url = format!("{}/studio/{jinniu}", server.url);
    let page = http.get(&url).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
    let page = page.text().await.unwrap();
    assert!(page.contains("金牛镇委员工作室") && page.contains("张明、李华"));
    let text = "金牛镇至大营镇的村道有三处塌方，雨季通行危险，希望尽快修复。";
    let r = leave_message(&http, &url, text, "13888001122").await;
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    let code = between(&body, "<p class=\"code\" id=\"code\">", "<").to_string();
    assert_eq!(code.len(), 14, "{code}");
    // The answer lost on the way, the browser sends the same form again: the same code, and
    // the message stored once.
    let page = http.get(&url).send().await.unwrap().text().await.unwrap();
    let challenge = between(&page, "name=\"challenge\" value=\"", "\"").to_string();
    let nonce =
        (0u64..).map(|n| n.to_string()).find(|n| lvzhi_server::studio::work_done(&challenge, &jinniu, n, 16)).unwrap();
    let form = [("text", "州城镇菜市场周边夜间照明不足"), ("challenge", challenge.as_str()), ("nonce", nonce.as_str())];
    let first = http.post(&url).form(&form).send().await.unwrap().text().await.unwrap();
    let again = http.post(&url).form(&form).send().await.unwrap().text().await.unwrap();
    let code_of = |html: &str| between(html, "<p class=\"code\" id=\"code\">", "<").to_string();
    assert_eq!(code_of(&first), code_of(&again));
    let stored =
        sql_count(&server.state.store, "SELECT count(*) FROM studio_messages WHERE data LIKE '%夜间照明%'", []);
    assert_eq!(stored, 1);

    // Before any answer the code shows the message and says it waits.
    let (status, shown) = look_up(&http, &url, &code).await;
    assert_eq!(status, 200);
    assert!(shown.contains("村道有三处塌方") && shown.contains("委员尚未答复"));
    assert!(!shown.contains("13888001122") && !shown.contains("老杨"));

    // The members of the studio receive it (the phone number too); nobody else does.
    sync_all(&[&zhang, &li, &wang, &staff]).await;
    let received: Vec<_> =
        zhang.client.studio_messages().unwrap().into_iter().filter(|m| m.message.text.contains("塌方")).collect();
    assert_eq!(received.len(), 1);
    assert_eq!(
        (received[0].message.phone.as_str(), received[0].studio_name.as_str()),
        ("13888001122", "金牛镇委员工作室")
    );
    assert_eq!(li.client.studio_messages().unwrap().len(), 2);
    assert_eq!(staff.client.studio_messages().unwrap().len(), 2);
    assert!(wang.client.studio_messages().unwrap().is_empty());
    assert!(!texts_on(&wang).contains("13888001122"));

    // 张明, on duty, answers on his phone offline; it goes with the next sync.
    zhang.offline();
    let id = received[0].message.id.clone();
    assert_eq!(wang.client.answer_studio_message(&id, "收到").unwrap_err().user_message(), "留言不存在或无权查看");
    zhang.client.answer_studio_message(&id, "已联系镇政府和公路段，本周内清理塌方，雨季前完成加固。").unwrap();
    let report_id = zhang.client.report_from_message(&id).unwrap();
    let again = zhang.client.report_from_message(&id).unwrap_err();
    assert_eq!(again.user_message(), "该留言已转为社情民意信息或提案");
    zhang.online();
    sync_all(&[&zhang, &staff]).await;
    let report = server.state.store.read(|c| lvzhi_store::consult::repo::report(c, &report_id)).unwrap().unwrap();
    assert_eq!(report.source, Some(RaisedFrom::StudioMessage(id.clone())));
    assert!(!serde_json::to_string(&report).unwrap().contains("13888001122"), "no resident's phone in the report");
    let answered = staff.client.studio_messages().unwrap().into_iter().find(|m| m.message.id == id).unwrap();
    assert_eq!(answered.answered_by.as_deref(), Some("张明"));
    assert_eq!(answered.message.raised_by.as_deref(), Some("demo-zhangming"));
    // 李华, of the same studio, learns it was made and is refused offline with the reason.
    li.client.sync_until_idle().await.unwrap();
    li.offline();
    assert_eq!(li.client.report_from_message(&id).unwrap_err().user_message(), "该留言已转为社情民意信息或提案");
    li.online();

    // The resident reads the answer with the code; any other code reads nothing, and the
    // refusal is the same whether the code exists (at another studio) or not.
    let (status, shown) = look_up(&http, &url, &code.to_lowercase()).await;
    assert_eq!(status, 200);
    assert!(shown.contains("本周内清理塌方"), "{shown}");
    let (wrong_status, wrong) = look_up(&http, &url, "ABCD-EFGH-JKLM").await;
    let (elsewhere_status, elsewhere) = look_up(&http, &format!("{}/studio/{other}", server.url), &code).await;
    assert_eq!((wrong_status, elsewhere_status), (404, 404));
    let refusal = |html: &str| between(html, "role=\"alert\">", "<").to_string();
    assert_eq!(refusal(&wrong), refusal(&elsewhere));
    assert!(!elsewhere.contains("塌方"));

    // A photo with a message: the studio's members download it, nobody else may.
    let photo = lvzhi_media::sample_photo(800, 600, 85, 3);
    let r = leave_message_with_photo(&http, &url, "路灯坏了三盏，附现场照片。", &photo).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    sync_all(&[&zhang, &wang]).await;
    let with_photo = zhang.client.studio_messages().unwrap().into_iter().find(|m| m.message.photo.is_some()).unwrap();
    let attachment = with_photo.message.photo.unwrap();
    assert!(attachment.thumbnail.is_some());
    zhang.client.download_file(&attachment).await.unwrap();
    assert_eq!(zhang.client.file_bytes(&attachment.hash).unwrap().unwrap(), photo);
    assert!(wang.client.download_file(&attachment).await.is_err(), "not a member of the studio");
    let not_an_image = leave_message_with_photo(&http, &url, "附件", b"%PDF-1.7 not a photo").await;
    assert_eq!(not_an_image.status(), 400);

    // 李华 leaves the organisation's members: the studio's messages, with the residents'
    // phones, leave her phone.
    let now = server.clock.now();
    server
        .state
        .store
        .write(|tx| {
            lvzhi_server::accounts::revoke(tx, "demo-lihua", "yn-12-03", lvzhi_domain::org::Role::Member, "赵磊", now)
        })
        .unwrap();
    li.client.sync_until_idle().await.unwrap();
    assert!(li.client.studio_messages().unwrap().is_empty());
    assert!(!texts_on(&li).contains("13888001122"));

    // Studio duty days count in the record once they have come (the 22nd has not).
    let duty = |p: &Phone| {
        p.client.duty_record(YEAR).unwrap().by_kind.iter().find(|k| k.key == "studio_duty").map_or(0, |k| k.count)
    };
    assert_eq!(duty(&zhang), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_page_refuses_bursts_oversized_and_workless_messages_and_shows_scripts_as_text() {
    // Four messages at once from one address (the default is three), for the four refusals below.
    let server = lvzhi_tests::demo_server_with(sample::fixed_now(), |c| {
        c.limits.studio_posts_per_address = lvzhi_server::limits::Rate::new(4, 1);
    })
    .await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let jinniu = staff.client.save_studio(None, studio("金牛镇委员工作室")).unwrap();
    sync_all(&[&staff]).await;
    let http = reqwest::Client::new();
    let url = format!("{}/studio/{jinniu}", server.url);

    // A script in the text is kept as text: escaped on every page, inert on the phones.
    let script = "<script>alert('x')</script><img src=x onerror=alert(1)>路灯坏了";
    let r = leave_message(&http, &url, script, "").await;
    assert_eq!(r.status(), 200);
    let code = between(&r.text().await.unwrap(), "<p class=\"code\" id=\"code\">", "<").to_string();
    let (_, shown) = look_up(&http, &url, &code).await;
    assert!(shown.contains("&lt;script&gt;alert(") && !shown.contains("<script>alert"), "{shown}");
    assert!(!shown.contains("<img src=x"));
    sync_all(&[&zhang]).await;
    assert_eq!(zhang.client.studio_messages().unwrap()[0].message.text, script);

    // Over 1,000 characters: refused with the reason, nothing stored.
    let long = "长".repeat(1_001);
    let r = leave_message(&http, &url, &long, "").await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("留言内容不能超过1000字"));
    let stored = || sql_count(&server.state.store, "SELECT count(*) FROM studio_messages", []);
    assert_eq!(stored(), 1);

    // Without its proof of work: refused.
    let r = http
        .post(&url)
        .form(&[("text", "没有工作量证明"), ("challenge", "1.0123456789abcdef"), ("nonce", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "no proof of work");

    // A body beyond the page's limit (a photo's 5 MiB) is refused: with 413, or, when the
    // server answers from the declared length before the client has written it all, by the
    // connection closing under the client's writes. Nothing is stored either way.
    let huge = "字".repeat(2_000_000);
    match http.post(&url).form(&[("text", huge.as_str())]).send().await {
        Ok(r) => assert_eq!(r.status(), 413),
        Err(e) => assert!(e.is_request() && !e.is_timeout(), "{e}"),
    }
    assert_eq!(stored(), 1);

    // A burst from one address: the next message within the minute is refused with 429 and a
    // wait, before its body is read.
    let r = http.post(&url).form(&[("text", "再来一条")]).send().await.unwrap();
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.text().await.unwrap().contains("操作过于频繁"));
    assert_eq!(stored(), 1);

    // A studio that does not exist says so, and no page needs an account.
    let r = http.get(format!("{}/studio/no-such-studio", server.url)).send().await.unwrap();
    assert_eq!(r.status(), 404);
}

//! The web console (政协工作台) in a real headless Chromium driven through WebDriver, against a
//! real server, with real phones (the core client) in the same test: an administrator imports
//! people from an `.xlsx`; staff publish a notice whose follow-up updates itself when a phone's
//! 回执 arrives; a meeting's QR code is read off a screenshot and checked in with offline; a
//! handling unit replies and staff approve in the browser while the member rates on the phone;
//! staff above see the county's counts. Every page visited is checked by axe-core and kept as a
//! screenshot (`target/screenshots/web-*.png`). Forged, expired and foreign requests are refused.

use lvzhi_client::{ActionKind as K, FormValue};
use lvzhi_domain::files::{self, Attachment};
use lvzhi_domain::proposal::ProposalContent;
use lvzhi_store::sample;
use lvzhi_tests::browser::{Browser, read_qr};
use lvzhi_tests::{PASSWORD, Phone, demo_server};

fn values(pairs: &[(&str, &str)]) -> Vec<FormValue> {
    pairs.iter().map(|(k, v)| FormValue::new(*k, *v)).collect()
}

/// The id at the end of the browser's current path (`/console/notices/{id}?done=…`).
async fn id_in_url(b: &Browser) -> String {
    let url = b.client.current_url().await.unwrap();
    url.path().rsplit('/').next().unwrap().to_string()
}

/// A PDF as staff attach it (its signature and some bytes).
fn pdf() -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..60_000u32).map(|i| (i % 251) as u8));
    bytes
}

/// A list of 30 people as an administrator keeps it in Excel, one row with a role that does
/// not exist.
fn people_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, h) in ["姓名", "账号", "角色", "承办单位", "界别"].iter().enumerate() {
        sheet.write_string(0, col as u16, *h).unwrap();
    }
    let surnames = ["赵", "钱", "孙", "李", "周", "吴", "郑", "王", "冯", "陈"];
    let given = ["建国", "秀兰", "志强", "丽华", "海燕", "光明"];
    for i in 0..30u32 {
        let row = i + 1;
        let name = format!("{}{}", surnames[i as usize % 10], given[i as usize % 6]);
        sheet.write_string(row, 0, &name).unwrap();
        sheet.write_string(row, 1, format!("bc-member-{i:02}")).unwrap();
        let role = if i == 17 {
            "主席"
        } else if i == 3 {
            "承办单位"
        } else {
            "委员"
        };
        sheet.write_string(row, 2, role).unwrap();
        if i == 3 {
            sheet.write_string(row, 3, "宾川县水务局").unwrap();
        }
        if i % 2 == 0 && i != 3 {
            sheet.write_string(row, 4, "农业和农村界").unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_imports_thirty_people_and_one_activates_and_logs_in_on_a_phone() {
    let server = demo_server(sample::fixed_now()).await;
    let b = Browser::start().await;
    b.sign_in(&server.url, "zhaolei", PASSWORD).await;
    b.look("home-admin").await;
    b.goto(&format!("{}/console/accounts", server.url)).await;
    b.look("accounts").await;

    // The list goes up as a file, as from the administrator's PC.
    let file = server.dir.path().join("宾川县政协委员名单.xlsx");
    std::fs::write(&file, people_xlsx()).unwrap();
    let input = b.client.find(fantoccini::Locator::Css("#a-file")).await.unwrap();
    input.send_keys(file.to_str().unwrap()).await.unwrap();
    b.click("form[action='/console/accounts/import'] button[type=submit]").await;
    assert!(b.wait_for_text("#import-summary", "可导入 29 人，1 行无法导入", 10).await, "{}", b.page_text().await);
    let bad = b.text("#bad-rows").await;
    assert!(bad.contains("19") && bad.contains("角色“主席”无效"), "the bad row and its reason: {bad}");
    b.look("accounts-import-preview").await;

    b.click("form[action='/console/accounts/import/confirm'] button[type=submit]").await;
    assert!(b.wait_for_text("main", "已生成 29 个激活码", 10).await, "{}", b.page_text().await);
    b.look("accounts-codes").await;
    // The first new member's login and code, read off the printed page.
    let logins = b.client.find_all(fantoccini::Locator::Css("table.codes td.login")).await.unwrap();
    let codes = b.client.find_all(fantoccini::Locator::Css("table.codes td.code")).await.unwrap();
    assert_eq!((logins.len(), codes.len()), (29, 29));
    let (login, code) = (logins[0].text().await.unwrap(), codes[0].text().await.unwrap());
    let (login2, code2) = (logins[1].text().await.unwrap(), codes[1].text().await.unwrap());
    // Shown once: the accounts page says 待激活 and holds no code.
    b.goto(&format!("{}/console/accounts", server.url)).await;
    let page = b.page_text().await;
    assert!(page.contains("待激活") && !page.contains(&code), "codes are not shown again");

    // The member sets a password with the code (on the console's activation page), then logs
    // in on a phone and receives the county's data.
    let member = Browser::start().await;
    member.goto(&format!("{}/console/activate", server.url)).await;
    member.look("activate").await;
    member.fill("#login", &login).await;
    member.fill("#code", &code.to_lowercase()).await;
    member.fill("#password", "我的新密码2027").await;
    member.fill("#again", "我的新密码2027").await;
    member.click("form.narrow button[type=submit]").await;
    assert!(member.wait_for_text("main", "账号已激活", 10).await, "{}", member.page_text().await);
    // The same code does not work twice.
    member.goto(&format!("{}/console/activate", server.url)).await;
    member.fill("#login", &login).await;
    member.fill("#code", &code).await;
    member.fill("#password", "另一个密码2027").await;
    member.fill("#again", "另一个密码2027").await;
    member.click("form.narrow button[type=submit]").await;
    assert!(member.wait_for_text("main", "激活码不正确", 10).await, "{}", member.page_text().await);
    member.close().await;

    // Another activates from the app (`POST /v1/activate`), with the code as printed.
    let http = reqwest::Client::new();
    let activate = |code: String| {
        let body = serde_json::json!({ "login": login2, "code": code, "password": "委员自己的密码9" });
        http.post(format!("{}/v1/activate", server.url)).json(&body).send()
    };
    assert_eq!(activate("AAAAA-AAAAA".into()).await.unwrap().status(), 401, "a wrong code is refused");
    assert_eq!(activate(code2.clone()).await.unwrap().status(), 204);
    let second = Phone::new(server.dir.path(), "second-member", &server.url, server.clock.now()).await;
    second.client.login(&login2, "委员自己的密码9", "第二位委员的手机").await.unwrap();

    let phone = Phone::new(server.dir.path(), "new-member", &server.url, server.clock.now()).await;
    phone.client.login(&login, "我的新密码2027", "新委员的手机").await.unwrap();
    phone.client.sync_until_idle().await.unwrap();
    assert!(phone.client.notices().is_ok());
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_handling_units_and_members_work_together_across_console_and_phones() {
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let b = Browser::start().await;
    b.sign_in(&server.url, "chenjing", PASSWORD).await;
    b.look("home-staff").await;

    // --- A notice to the county's members; 张明 answers offline; the follow-up updates itself.
    b.goto(&format!("{}/console/notices", server.url)).await;
    b.look("notices").await;
    b.fill("#n-title", "关于参加2027年度委员履职培训的通知").await;
    b.fill("#n-body", "各位委员：定于下周在县政协三楼会议室举办履职培训，请按时参加并回执。").await;
    b.click("#n-a2").await;
    b.click("#n-reply").await;
    // With the programme as a PDF, picked from the staff's PC.
    let programme = pdf();
    let file = server.dir.path().join("培训日程.pdf");
    std::fs::write(&file, &programme).unwrap();
    b.client.find(fantoccini::Locator::Css("#n-files")).await.unwrap().send_keys(file.to_str().unwrap()).await.unwrap();
    b.click("form[action='/console/notices'] button[type=submit]").await;
    assert!(b.wait_for_text("main", "通知已发布", 10).await, "{}", b.page_text().await);
    let notice = id_in_url(&b).await;
    assert!(b.text("#followup").await.contains("张明"));
    assert!(b.page_text().await.contains("培训日程.pdf"), "the file is listed on the notice");
    b.look("notice-followup").await;

    zhang.client.sync_until_idle().await.unwrap();
    // The member downloads the file on the phone; a handling unit, outside the audience, may not.
    let attachment = Attachment {
        hash: files::hash_of(&programme),
        name: "培训日程.pdf".into(),
        content_type: "application/pdf".into(),
        size: programme.len() as u64,
        thumbnail: None,
        width: None,
        height: None,
    };
    zhang.client.download_file(&attachment).await.unwrap();
    assert_eq!(zhang.client.file_bytes(&attachment.hash).unwrap().as_deref(), Some(&programme[..]));
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let unit_cookie = console_cookie(&http, &server.url, "liujun").await;
    let r = fetch(&http, &server.url, &unit_cookie, format!("/console/files/{}", attachment.hash)).await;
    assert_eq!(r.status(), 403, "the file route follows who may read the notice");
    let staff_cookie = console_cookie(&http, &server.url, "chenjing").await;
    let r =
        fetch(&http, &server.url, &staff_cookie, format!("/console/files/{}?name=培训日程.pdf", attachment.hash)).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    assert_eq!(r.bytes().await.unwrap().as_ref(), &programme[..]);
    zhang.offline();
    zhang.client.take_action(&notice, K::NoticeAnswer, &values(&[("answer", "attend"), ("note", "准时参加")])).unwrap();
    zhang.online();
    zhang.client.sync_until_idle().await.unwrap();
    // No reload: the page follows its organisation's change feed and replaces the list.
    assert!(b.wait_for_text("#followup", "准时参加", 15).await, "the follow-up updates without a reload");

    // --- A meeting: its QR code read off the screen, checked in with offline on the phone.
    b.goto(&format!("{}/console/meetings", server.url)).await;
    b.look("meetings").await;
    b.fill("#m-title", "宾川县政协2027年第一季度委员活动日").await;
    let day = (server.clock.now() + chrono::Duration::days(3)).with_timezone(&lvzhi_domain::time::cst());
    b.fill("#m-starts", &day.format("%Y-%m-%dT09:00").to_string()).await;
    b.fill("#m-ends", &day.format("%Y-%m-%dT17:00").to_string()).await;
    b.fill("#m-place", "宾川县政协三楼会议室").await;
    b.click("form[action='/console/meetings'] button[type=submit]").await;
    assert!(b.wait_for_text("main", "已新建会议活动", 10).await, "{}", b.page_text().await);
    let meeting = id_in_url(&b).await;
    b.look("meeting").await;
    let png = b.element_png("#checkin-qr").await;
    let code = read_qr(&png).expect("the QR code on the page decodes");
    zhang.client.sync_until_idle().await.unwrap();
    zhang.offline();
    zhang.client.take_action(&meeting, K::MeetingCheckIn, &values(&[("code", &code)])).unwrap();
    zhang.online();
    zhang.client.sync_until_idle().await.unwrap();
    b.goto(&format!("{}/console/meetings/{meeting}", server.url)).await;
    assert!(b.text("#roster-h + p").await.contains("已签到 1 人"), "{}", b.page_text().await);
    // A document with its file, for the meeting's members.
    b.click("details.action:has(#d-title) summary").await;
    b.fill("#d-title", "会议议程").await;
    b.client.find(fantoccini::Locator::Css("#d-files")).await.unwrap().send_keys(file.to_str().unwrap()).await.unwrap();
    b.click("form[action$='/documents'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "会议材料已上传", 10).await, "{}", b.page_text().await);
    assert!(b.page_text().await.contains("培训日程.pdf"));
    b.goto(&format!("{}/console/meetings/{meeting}/poster", server.url)).await;
    b.look("meeting-poster").await;

    // --- A proposal: submitted on the phone, registered and assigned in the browser.
    let content = ProposalContent {
        title: "关于加强宾川县农村饮水安全保障的提案".into(),
        ..sample::proposal_content(3, "宾川县")
    };
    let proposal = zhang.client.create_draft(content).unwrap().id;
    zhang.client.take_action(&proposal, K::ProposalSubmit, &[]).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    b.goto(&format!("{}/console/proposals", server.url)).await;
    b.look("proposals").await;
    // A second window of the same staff, opened before 立案: its form goes stale.
    let stale = Browser::start().await;
    stale.sign_in(&server.url, "chenjing", PASSWORD).await;
    stale.goto(&format!("{}/console/proposals/{proposal}", server.url)).await;
    b.goto(&format!("{}/console/proposals/{proposal}", server.url)).await;
    b.look("proposal").await;
    b.take("proposal-register", &[]).await;
    assert!(b.wait_for_text(".banner", "已办理", 10).await, "{}", b.page_text().await);
    // The stale 立案 is refused by the rules, with their reason, as a phone would hear it.
    stale.take("proposal-register", &[]).await;
    assert!(stale.wait_for_text("h1", "未能办理", 10).await, "{}", stale.page_text().await);
    let reason = stale.text(".banner.error").await;
    assert!(!reason.is_empty(), "the refusal names its reason");
    stale.look("refusal").await;
    stale.close().await;
    // A form sent without a required choice: refused with the form's own message.
    b.take("proposal-assign", &[("select[name=mode]", "sole")]).await;
    assert!(b.wait_for_text(".banner.error", "请填写「承办单位」", 10).await, "{}", b.page_text().await);
    b.goto(&format!("{}/console/proposals/{proposal}", server.url)).await;
    b.take("proposal-assign", &[("select[name=mode]", "sole"), ("input[value='yn-12-03-agri']", "click")]).await;
    assert!(b.wait_for_text(".banner", "已办理", 10).await, "{}", b.page_text().await);

    // --- The handling unit replies at its own PC.
    let unit = Browser::start().await;
    unit.sign_in(&server.url, "liujun", PASSWORD).await;
    unit.goto(&format!("{}/console/proposals", server.url)).await;
    assert!(unit.page_text().await.contains("关于加强宾川县农村饮水安全保障的提案"));
    unit.look("unit-proposals").await;
    unit.goto(&format!("{}/console/proposals/{proposal}", server.url)).await;
    unit.take("proposal-record-contact", &[("textarea", "已电话联系张明委员，了解饮水工程具体情况。")]).await;
    assert!(unit.wait_for_text(".banner", "已办理", 10).await, "{}", unit.page_text().await);
    // The reply with its 答复函 as a PDF, from the unit's PC.
    let mut letter_bytes = b"%PDF-1.7\n".to_vec();
    letter_bytes.extend((0..30_000u32).map(|i| (i % 241) as u8));
    let letter_file = server.dir.path().join("答复函.pdf");
    std::fs::write(&letter_file, &letter_bytes).unwrap();
    unit.take(
        "proposal-reply",
        &[
            ("select[name=category]", "a"),
            ("textarea[name=text]", "已将饮水安全巩固提升工程列入2027年计划，资金已落实。"),
            ("input[type=file]", letter_file.to_str().unwrap()),
        ],
    )
    .await;
    assert!(unit.wait_for_text(".banner", "已办理", 10).await, "{}", unit.page_text().await);
    assert!(unit.page_text().await.contains("答复函.pdf"), "the reply lists its file");
    unit.look("unit-proposal").await;
    unit.close().await;

    // --- Staff approve; the member rates on the phone.
    b.goto(&format!("{}/console/proposals/{proposal}", server.url)).await;
    b.take("proposal-approve-replies", &[]).await;
    assert!(b.wait_for_text(".banner", "已办理", 10).await, "{}", b.page_text().await);
    zhang.client.sync_until_idle().await.unwrap();
    // The member downloads the unit's letter on the phone.
    let letter = Attachment {
        hash: files::hash_of(&letter_bytes),
        name: "答复函.pdf".into(),
        content_type: "application/pdf".into(),
        size: letter_bytes.len() as u64,
        thumbnail: None,
        width: None,
        height: None,
    };
    zhang.client.download_file(&letter).await.unwrap();
    assert_eq!(zhang.client.file_bytes(&letter.hash).unwrap().as_deref(), Some(&letter_bytes[..]));
    zhang.client.take_action(&proposal, K::ProposalEvaluate, &values(&[("rating", "satisfied")])).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    b.goto(&format!("{}/console/proposals/{proposal}", server.url)).await;
    assert!(b.page_text().await.contains("满意"), "the rating shows at the console");

    // --- 提案统计: by month, category, state and unit; the unit's reply counted.
    b.goto(&format!("{}/console/proposals/stats", server.url)).await;
    b.look("proposal-stats").await;
    assert_eq!(b.text("#stats-total").await, "1");
    let units = b.text("#by-unit").await;
    assert!(units.contains("宾川县农业农村局 1 1"), "{units}");

    // --- The lists go to Excel as staff keep them: the proposal list and the follow-up.
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let staff_cookie = console_cookie(&http, &server.url, "chenjing").await;
    for (path, name, must) in [
        ("/console/proposals.xlsx".to_string(), "提案.xlsx", "关于加强宾川县农村饮水安全保障的提案"),
        (format!("/console/notices/{notice}/followup.xlsx"), "回执.xlsx", "准时参加"),
    ] {
        let r = fetch(&http, &server.url, &staff_cookie, &path).await;
        assert_eq!(r.status(), 200, "{path}");
        let bytes = r.bytes().await.unwrap();
        let cells = lvzhi_server::accounts::read_cells(name, &bytes).unwrap();
        assert!(cells.iter().flatten().any(|c| c == must), "{path}: {cells:?}");
    }
    let unit_cookie = console_cookie(&http, &server.url, "liujun").await;
    let r = fetch(&http, &server.url, &unit_cookie, format!("/console/notices/{notice}/followup.xlsx")).await;
    assert_eq!(r.status(), 404, "a unit does not export a notice's follow-up");

    // --- Staff of 大理州 see the county's counts, organisations only.
    let above = Browser::start().await;
    above.sign_in(&server.url, "heyun", PASSWORD).await;
    above.goto(&format!("{}/console/overview", server.url)).await;
    above.look("overview").await;
    let by_org = above.text("#by-org").await;
    let binchuan = by_org.lines().find(|l| l.contains("宾川县政协")).unwrap_or_default().to_string();
    // 提案 1, 社情民意 0, 通知 1, and the meeting in the year it falls in.
    assert!(binchuan.starts_with("宾川县政协 1 0 1"), "{by_org}");
    above.close().await;
    b.close().await;
}

async fn fetch(http: &reqwest::Client, base: &str, cookie: &str, path: impl AsRef<str>) -> reqwest::Response {
    http.get(format!("{base}{}", path.as_ref())).header("cookie", cookie).send().await.unwrap()
}

/// The console's session cookie after logging in as `login` (a client without a cookie jar).
async fn console_cookie(http: &reqwest::Client, base: &str, login: &str) -> String {
    let r = http
        .post(format!("{base}/console/login"))
        .form(&[("login", login), ("password", PASSWORD), ("next", "/console")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::SEE_OTHER, "login redirects");
    let set = r.headers().get(reqwest::header::SET_COOKIE).unwrap().to_str().unwrap().to_string();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
    set.split(';').next().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_refuses_forged_expired_and_foreign_requests() {
    let server = demo_server(sample::fixed_now()).await;
    let base = server.url.clone();
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    // A proposal of 五华区 (昆明市), beside 宾川县.
    let ma = Phone::logged_in(&server, "machao", "machao").await;
    let other = ma.client.create_draft(sample::proposal_content(5, "五华区")).unwrap().id;
    ma.client.take_action(&other, K::ProposalSubmit, &[]).unwrap();
    ma.client.sync_until_idle().await.unwrap();
    // And one of 宾川县's own.
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let own = zhang.client.create_draft(sample::proposal_content(6, "宾川县")).unwrap().id;
    zhang.client.take_action(&own, K::ProposalSubmit, &[]).unwrap();
    zhang.client.sync_until_idle().await.unwrap();

    let cookie = console_cookie(&http, &base, "chenjing").await;
    let page = fetch(&http, &base, &cookie, format!("/console/proposals/{own}")).await;
    assert_eq!(page.status(), 200);
    let csp = page.headers().get("content-security-policy").unwrap().to_str().unwrap().to_string();
    assert!(csp.starts_with("default-src 'self'"), "{csp}");
    let html = page.text().await.unwrap();
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let form_id = |n: u8| format!("{n:032x}");

    // A form posted without its token, or with another's, changes nothing.
    for token in [None, Some("0".repeat(64))] {
        let mut fields = vec![
            ("_item", "proposal".to_string()),
            ("_id", own.clone()),
            ("_action", "proposal-register".to_string()),
            ("_form", form_id(1)),
            ("_back", format!("/console/proposals/{own}")),
        ];
        if let Some(t) = token {
            fields.push(("csrf", t));
        }
        let r = http.post(format!("{base}/console/act")).header("cookie", &cookie).form(&fields).send().await.unwrap();
        assert_eq!(r.status(), 403, "a forged form is refused");
    }
    zhang.client.sync_until_idle().await.unwrap();
    assert_eq!(zhang.client.detail(&own).unwrap().state_label, "已提交", "nothing was registered");

    // The same form with its token is taken; sent twice (a double click), it applies once.
    let fields = [
        ("csrf", csrf.clone()),
        ("_item", "proposal".to_string()),
        ("_id", own.clone()),
        ("_action", "proposal-register".to_string()),
        ("_form", form_id(2)),
        ("_back", format!("/console/proposals/{own}")),
    ];
    for _ in 0..2 {
        let r = http.post(format!("{base}/console/act")).header("cookie", &cookie).form(&fields).send().await.unwrap();
        assert_eq!(r.status(), 303, "taken (the second time, the first answer again)");
    }
    zhang.client.sync_until_idle().await.unwrap();
    let history = zhang.client.detail(&own).unwrap().history;
    assert_eq!(history.iter().filter(|h| h.label == "立案").count(), 1, "registered once");
    // Every action taken at the console is in the audit log, with who and from where.
    let audited: i64 = server
        .state
        .store
        .read(|c| {
            c.query_row(
                "SELECT count(*) FROM audit_log WHERE kind = 'console_action' AND person_id = 'demo-chenjing'
                 AND detail LIKE 'proposal_action%' AND address IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .map_err(lvzhi_store::Error::from)
        })
        .unwrap();
    assert_eq!(audited, 1, "the action is audited once");

    // Another organisation's proposal, meeting list of a unit user, the overview above: refused.
    assert_eq!(fetch(&http, &base, &cookie, format!("/console/proposals/{other}")).await.status(), 404);
    assert_eq!(fetch(&http, &base, &cookie, "/console/overview?org=yn-12".to_string()).await.status(), 403);
    assert_eq!(
        fetch(&http, &base, &cookie, "/console/accounts".to_string()).await.status(),
        403,
        "staff are not administrators"
    );
    assert_eq!(fetch(&http, &base, &cookie, "/console/live?scope=staff:yn-00-00".to_string()).await.status(), 403);
    let unit = console_cookie(&http, &base, "liujun").await;
    let r = http.get(format!("{base}/console/meetings")).header("cookie", &unit).send().await.unwrap();
    assert_eq!(r.status(), 403, "a handling unit has no meetings to manage");

    // Half an hour without a request: the session has ended, and the login page says so.
    server.clock.advance(chrono::Duration::minutes(31));
    let r = fetch(&http, &base, &cookie, "/console/proposals".to_string()).await;
    assert_eq!(r.status(), 303);
    let to = r.headers().get("location").unwrap().to_str().unwrap();
    assert!(to.starts_with("/console/login?next=/console/proposals") && to.contains("expired=1"), "{to}");

    // Logged out: the cookie no longer opens anything.
    server.clock.advance(chrono::Duration::minutes(-31));
    let fresh = console_cookie(&http, &base, "chenjing").await;
    let html = http.get(format!("{base}/console")).header("cookie", &fresh).send().await.unwrap().text().await.unwrap();
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let r = http
        .post(format!("{base}/console/logout"))
        .header("cookie", &fresh)
        .form(&[("csrf", csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = http.get(format!("{base}/console")).header("cookie", &fresh).send().await.unwrap();
    assert_eq!(r.status(), 303, "a logged-out session is gone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_accept_edit_with_changes_marked_and_send_up_a_report_that_the_prefecture_then_reads() {
    use lvzhi_domain::consult::report::{Body, Destination, Level, ReportContent};
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let content = ReportContent {
        attachments: Vec::new(),
        title: "关于宾川县柑橘产地冷链设施不足的情况反映".into(),
        situation: "宾川县柑橘种植面积超过三十万亩，全县产地预冷库容量不足两万吨。".into(),
        analysis: "冷链设施投入大、使用季节短，合作社无力单独建设。".into(),
        suggestion: "建议在主产乡镇建设共享型产地冷链集配中心。".into(),
    };
    let report = zhang.client.create_report(content, vec![], None).unwrap();
    zhang.client.submit_report(&report).unwrap();
    zhang.client.sync_until_idle().await.unwrap();

    let b = Browser::start().await;
    b.sign_in(&server.url, "chenjing", PASSWORD).await;
    b.goto(&format!("{}/console/reports", server.url)).await;
    assert!(b.page_text().await.contains("关于宾川县柑橘产地冷链设施不足的情况反映"));
    b.look("reports").await;
    b.goto(&format!("{}/console/reports/{report}", server.url)).await;
    b.take("report-accept", &[]).await;
    assert!(b.wait_for_text(".banner", "已办理", 10).await, "{}", b.page_text().await);

    // 编发: staff tighten the suggestion; the page shows it beside the original, changes marked.
    b.click("details.action:has(#e-issue) summary").await;
    b.fill("#e-issue", "2027年第1期").await;
    b.fill("#e-suggestion", "建议由州级统筹，在主产乡镇建设共享型产地冷链集配中心。").await;
    b.click("form[action$='/edit'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "已编发", 10).await, "{}", b.page_text().await);
    let added = b.text("table.compare ins").await;
    assert_eq!(added, "由州级统筹，", "the words staff added are marked");
    b.look("report-edited").await;

    // 报送 to 大理州政协, chosen among the bodies above.
    let dali = lvzhi_domain::actions::destination_code(&Destination {
        body: Body::Cppcc,
        level: Level::Prefecture,
        org_id: "yn-12".into(),
    });
    b.take("report-send-up", &[(&format!("input[value='{dali}']"), "click")]).await;
    assert!(b.wait_for_text(".banner", "已办理", 10).await, "{}", b.page_text().await);
    b.goto(&format!("{}/console/reports/stats", server.url)).await;
    assert!(b.text("#report-stats").await.contains("宾川县政协"));
    b.look("report-stats").await;
    b.close().await;

    // 大理州's staff now read it, and may adopt it in their own issue.
    let above = Browser::start().await;
    above.sign_in(&server.url, "heyun", PASSWORD).await;
    above.goto(&format!("{}/console/reports/{report}", server.url)).await;
    assert!(above.page_text().await.contains("编发"), "{}", above.page_text().await);
    above.close().await;
    // And the member's phone shows the step.
    zhang.client.sync_until_idle().await.unwrap();
    assert_eq!(zhang.client.report(&report).unwrap().report.state.label(), "已报送上级");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_keep_the_duty_record_by_name_and_administrators_answer_feedback() {
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let now = lvzhi_domain::time::to_millis(server.clock.now());
    zhang.client.submit_self_report("走访宾川县金牛镇柑橘合作社", "了解冷链设施使用情况，形成调研笔记。", now).unwrap();
    zhang.client.send_feedback("建议在App首页增加会议材料的下载入口。").unwrap();
    zhang.client.sync_until_idle().await.unwrap();

    let b = Browser::start().await;
    b.sign_in(&server.url, "chenjing", PASSWORD).await;
    b.goto(&format!("{}/console/record", server.url)).await;
    b.look("record").await;
    // By name, never by points.
    let names: Vec<String> = {
        let cells = b.client.find_all(fantoccini::Locator::Css("#members tbody tr td:first-child")).await.unwrap();
        let mut out = Vec::new();
        for c in cells {
            out.push(c.text().await.unwrap());
        }
        out
    };
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "members are listed by name");
    assert!(names.contains(&"张明".to_string()));
    // The self-report waits for 认定.
    assert!(b.text("#self-h + div").await.contains("走访宾川县金牛镇柑橘合作社"));
    b.take("self-report-accept", &[]).await;
    assert!(b.wait_for_text(".banner", "已办理", 10).await, "{}", b.page_text().await);
    // A speech recorded for 张明.
    b.client
        .find(fantoccini::Locator::Css("#s-person"))
        .await
        .unwrap()
        .select_by_value("demo-zhangming")
        .await
        .unwrap();
    b.fill("#s-title", "关于发展宾川县高原特色农业的大会发言").await;
    let day = server.clock.now().with_timezone(&lvzhi_domain::time::cst()).format("%Y-%m-%d").to_string();
    b.fill("#s-date", &day).await;
    b.click("form[action='/console/record/speech'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "发言已登记", 10).await, "{}", b.page_text().await);
    b.goto(&format!("{}/console/record/demo-zhangming", server.url)).await;
    let lines = b.text("#record-lines").await;
    assert!(lines.contains("大会发言") && lines.contains("自主履职"), "{lines}");
    b.look("record-member").await;
    // A new version of the rules.
    b.goto(&format!("{}/console/rules", server.url)).await;
    b.look("rules").await;
    b.fill("#r-threshold", "50").await;
    b.click("form[action='/console/rules'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "第1版", 10).await, "{}", b.page_text().await);
    b.close().await;

    // The administrator answers the feedback; the member reads the answer on the phone.
    let admin = Browser::start().await;
    admin.sign_in(&server.url, "zhaolei", PASSWORD).await;
    admin.goto(&format!("{}/console/feedback", server.url)).await;
    admin.look("feedback").await;
    admin.take("feedback-answer", &[("textarea", "已转技术组，下一版本在首页增加会议材料入口。")]).await;
    assert!(admin.wait_for_text(".banner", "已答复", 10).await, "{}", admin.page_text().await);
    admin.close().await;
    zhang.client.sync_until_idle().await.unwrap();
    let answered = zhang.client.feedback().unwrap();
    assert_eq!(answered[0].feedback.answer.as_deref(), Some("已转技术组，下一版本在首页增加会议材料入口。"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_changes_settings_adds_a_session_and_reads_the_audit_log() {
    let server = demo_server(sample::fixed_now()).await;
    let b = Browser::start().await;
    b.sign_in(&server.url, "zhaolei", PASSWORD).await;
    b.goto(&format!("{}/console/admin", server.url)).await;
    b.look("admin").await;
    b.fill("#o-contact", "10").await;
    b.click("form[action='/console/admin/settings'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "组织设置已保存", 10).await, "{}", b.page_text().await);
    let settings = server.state.store.read(|c| lvzhi_store::org::org_settings(c, "yn-12-03")).unwrap();
    assert_eq!(settings.first_contact_working_days, 10);

    let before = server.state.store.read(|c| lvzhi_store::org::sessions_of(c, "yn-12-03")).unwrap().len();
    b.click("details.action:has(#x-number) summary").await;
    let year = server.clock.now().with_timezone(&lvzhi_domain::time::cst()).format("%Y").to_string();
    b.fill("#x-open", &format!("{year}-12-01")).await;
    b.fill("#x-deadline", &format!("{year}-12-31")).await;
    b.click("form[action='/console/admin/sessions'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "会议（届次）已新增", 10).await, "{}", b.page_text().await);
    let after = server.state.store.read(|c| lvzhi_store::org::sessions_of(c, "yn-12-03")).unwrap().len();
    assert_eq!(after, before + 1);
    // Both changes are in the audit log, with the login that made them.
    let log = b.text("#audit").await;
    assert!(log.contains("修改组织设置") && log.contains("新增会议（届次）") && log.contains("登录成功"), "{log}");
    // 王芳 is given the role of 提案工作人员, works at the console, and has it taken back.
    b.goto(&format!("{}/console/accounts", server.url)).await;
    let row = "//tr[td[1][normalize-space()='王芳']]";
    b.client.find(fantoccini::Locator::XPath(&format!("{row}//details/summary"))).await.unwrap().click().await.unwrap();
    let select = b.client.find(fantoccini::Locator::XPath(&format!("{row}//select[@name='role']"))).await.unwrap();
    select.select_by_value("proposal_staff").await.unwrap();
    b.client.find(fantoccini::Locator::XPath(&format!("{row}//details//button"))).await.unwrap().click().await.unwrap();
    assert!(b.wait_for_text("main", "提案工作人员", 10).await);
    let wang = Browser::start().await;
    wang.sign_in(&server.url, "wangfang", PASSWORD).await;
    wang.goto(&format!("{}/console/proposals", server.url)).await;
    assert_eq!(wang.text("h1").await, "提案", "王芳 now works on proposals");
    b.goto(&format!("{}/console/accounts", server.url)).await;
    let revoke = format!("{row}//form[input[@name='role' and @value='proposal_staff']]//button");
    b.client.find(fantoccini::Locator::XPath(&revoke)).await.unwrap().click().await.unwrap();
    // The accounts page is shown before and after: wait for the revocation itself (on a slower
    // database the next page could otherwise load before the form's request is decided).
    let staff_role = || {
        let grants = server.state.store.read(|c| lvzhi_store::org::roles_of(c, "demo-wangfang")).unwrap();
        grants.iter().any(|g| g.role == lvzhi_domain::org::Role::ProposalStaff)
    };
    for _ in 0..200 {
        if !staff_role() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(!staff_role(), "the role is revoked");
    assert!(b.wait_for_element("#people-h", 10).await);
    wang.goto(&format!("{}/console/notices", server.url)).await;
    assert!(wang.text("h1").await.contains("未能办理"), "the role is gone at once");
    wang.close().await;
    let log_page = format!("{}/console/admin", server.url);
    b.goto(&log_page).await;
    let log = b.text("#audit").await;
    assert!(log.contains("授予角色") && log.contains("撤销角色"), "{log}");
    // A county's administrator has no backup section: the server is the province's.
    assert!(!b.page_text().await.contains("数据备份"));
    // Staff who are not administrators are refused.
    let staff = Browser::start().await;
    staff.sign_in(&server.url, "chenjing", PASSWORD).await;
    staff.goto(&format!("{}/console/admin", server.url)).await;
    assert!(staff.text("h1").await.contains("未能办理"));
    staff.close().await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_open_a_topic_follow_the_posts_live_hide_one_and_publish_the_summary() {
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    let b = Browser::start().await;
    b.sign_in(&server.url, "chenjing", PASSWORD).await;
    b.goto(&format!("{}/console/topics", server.url)).await;
    b.look("topics").await;
    let today = server.clock.now().with_timezone(&lvzhi_domain::time::cst());
    b.fill("#t-title", "如何推进宾川县农村人居环境整治").await;
    b.fill("#t-background", "全县已完成村庄规划编制，垃圾收运体系覆盖率仍不足七成。请各位委员建言。").await;
    b.fill("#t-opens", &today.format("%Y-%m-%d").to_string()).await;
    b.fill("#t-closes", &(today + chrono::Duration::days(7)).format("%Y-%m-%d").to_string()).await;
    b.click("form[action='/console/topics'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "议题已发起", 10).await, "{}", b.page_text().await);
    let topic = id_in_url(&b).await;

    // Posts written on phones appear on the open page without a reload.
    for (phone, text) in [(&zhang, "建议按乡镇建设垃圾中转站，配齐保洁员。"), (&li, "此处有一条与议题无关的广告")]
    {
        phone.client.sync_until_idle().await.unwrap();
        phone.client.write_post(&topic, None, text).unwrap();
        phone.client.sync_until_idle().await.unwrap();
    }
    assert!(b.wait_for_text("#posts", "此处有一条与议题无关的广告", 15).await, "posts arrive live");
    b.look("topic").await;

    // 隐藏 the off-topic post with a reason; 综述 quotes the one kept.
    let off_topic = li.client.topic(&topic).unwrap().posts.iter().find(|p| p.text.contains("广告")).unwrap().id.clone();
    let kept = zhang.client.topic(&topic).unwrap().posts.iter().find(|p| p.text.contains("中转站")).unwrap().id.clone();
    let hide = format!("//details[.//input[@name='_id' and @value='{off_topic}']]/summary");
    b.client.find(fantoccini::Locator::XPath(&hide)).await.unwrap().click().await.unwrap();
    let form = format!("form:has(input[name=_id][value='{off_topic}'])");
    b.fill(&format!("{form} textarea"), "与议题无关").await;
    b.click(&format!("{form} button[type=submit]")).await;
    assert!(b.wait_for_text(".banner", "已办理", 10).await, "{}", b.page_text().await);
    assert!(b.text("#posts").await.contains("已隐藏：与议题无关"));
    // 结束议题 first: the 综述 comes after the end.
    b.take("topic-close", &[]).await;
    assert!(b.wait_for_text(".banner", "已办理", 10).await, "{}", b.page_text().await);
    b.take(
        "topic-summarise",
        &[("textarea", "委员们建议完善收运体系，按乡镇建设垃圾中转站。"), (&format!("input[value='{kept}']"), "click")],
    )
    .await;
    assert!(b.wait_for_text(".banner", "已办理", 10).await, "{}", b.page_text().await);
    b.close().await;
    zhang.client.sync_until_idle().await.unwrap();
    let t = zhang.client.topic(&topic).unwrap();
    assert_eq!(t.topic.summary.as_ref().map(|s| s.quoted.clone()), Some(vec![kept]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_sign_in_and_register_a_proposal_with_the_keyboard_alone() {
    use fantoccini::key::Key;
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let id = zhang.client.create_draft(sample::proposal_content(8, "宾川县")).unwrap().id;
    zhang.client.take_action(&id, K::ProposalSubmit, &[]).unwrap();
    zhang.client.sync_until_idle().await.unwrap();

    let b = Browser::start().await;
    b.goto(&format!("{}/console/login?next=/console/proposals/{id}", server.url)).await;
    b.look("login").await;
    // The login field has the focus; Tab to the password, Enter to sign in.
    b.keys("chenjing").await;
    b.keys(&Key::Tab.to_string()).await;
    b.keys(PASSWORD).await;
    b.keys(&Key::Enter.to_string()).await;
    assert!(b.wait_for_element("header .who", 10).await, "signed in by keyboard");
    // The skip link comes first; then the form's summary opens with Enter and its button submits.
    assert!(b.tab_to("a.skip", 3).await, "the first Tab reaches 跳到正文");
    let register = "details:has(input[name=_action][value=proposal-register]) summary";
    assert!(b.tab_to(register, 60).await, "立案 is reached by Tab");
    b.keys(&Key::Enter.to_string()).await;
    let button = "form:has(input[name=_action][value=proposal-register]) button";
    assert!(b.tab_to(button, 5).await, "its button follows");
    b.keys(&Key::Enter.to_string()).await;
    assert!(b.wait_for_text(".banner", "已办理", 10).await, "{}", b.page_text().await);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_publish_a_study_material_and_news_with_a_cover_and_withdraw_the_material() {
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let b = Browser::start().await;
    b.sign_in(&server.url, "chenjing", PASSWORD).await;

    b.goto(&format!("{}/console/materials", server.url)).await;
    b.look("materials").await;
    b.fill("#m-title", "学习贯彻全国政协十四届常委会会议精神").await;
    b.fill("#m-series", "专题学习").await;
    b.fill("#m-body", "各位委员：请认真学习会议精神，结合本县实际谈体会。").await;
    let handout = server.dir.path().join("学习提纲.pdf");
    std::fs::write(&handout, pdf()).unwrap();
    b.client
        .find(fantoccini::Locator::Css("#m-files"))
        .await
        .unwrap()
        .send_keys(handout.to_str().unwrap())
        .await
        .unwrap();
    b.click("form[action='/console/materials'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "已发布", 10).await, "{}", b.page_text().await);
    assert!(b.page_text().await.contains("学习提纲.pdf"));

    b.goto(&format!("{}/console/news", server.url)).await;
    b.fill("#w-title", "宾川县政协召开2027年第一次主席会议").await;
    b.fill("#w-summary", "会议研究了年度协商计划。").await;
    b.fill("#w-body", "1月15日，宾川县政协召开主席会议，研究年度协商计划和重点提案督办工作。").await;
    let photo = server.dir.path().join("会场.jpg");
    std::fs::write(&photo, lvzhi_media::sample_photo(1200, 800, 85, 7)).unwrap();
    b.client
        .find(fantoccini::Locator::Css("#w-cover"))
        .await
        .unwrap()
        .send_keys(photo.to_str().unwrap())
        .await
        .unwrap();
    b.click("form[action='/console/news'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "已发布", 10).await, "{}", b.page_text().await);
    b.look("news").await;

    zhang.client.sync_until_idle().await.unwrap();
    let materials = zhang.client.materials().unwrap();
    assert_eq!(materials.len(), 1);
    let feed = zhang.client.news_feed(10).unwrap();
    assert!(feed[0].cover.as_ref().is_some_and(|c| c.thumbnail.is_some()), "the cover travels with its thumbnail");

    // 撤回: the member's phone keeps the title and the reason only.
    b.goto(&format!("{}/console/materials", server.url)).await;
    b.take("material-withdraw", &[("textarea", "内容已更新，另行发布")]).await;
    assert!(b.wait_for_text(".banner", "已办理", 10).await, "{}", b.page_text().await);
    zhang.client.sync_until_idle().await.unwrap();
    let m = zhang.client.material(&materials[0].material.id).unwrap();
    assert!(m.material.body.is_empty() && m.material.withdrawn.is_some(), "{:?}", m.material);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_correct_a_notice_and_hold_a_remote_consultation_with_branch_venues() {
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let b = Browser::start().await;
    b.sign_in(&server.url, "chenjing", PASSWORD).await;
    b.goto(&format!("{}/console/notices", server.url)).await;
    b.fill("#n-title", "关于召开县政协常委会议的通知").await;
    b.fill("#n-body", "定于1月20日上午9时在县政协三楼会议室召开常委会议。").await;
    b.click("form[action='/console/notices'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "通知已发布", 10).await, "{}", b.page_text().await);
    let notice = id_in_url(&b).await;
    b.click("details.action:has(#c-title) summary").await;
    b.fill("#c-body", "定于1月21日上午9时在县政协三楼会议室召开常委会议。").await;
    b.fill("#c-note", "会议日期由20日改为21日").await;
    b.click("form[action$='/correct'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "通知已更正", 10).await, "{}", b.page_text().await);
    zhang.client.sync_until_idle().await.unwrap();
    let seen = zhang.client.notice(&notice).unwrap();
    assert!(seen.body.contains("21日"), "the member reads the corrected text: {}", seen.body);

    // A notice to one sector (界别): its members, and nobody else.
    b.goto(&format!("{}/console/notices", server.url)).await;
    b.fill("#n-title", "关于农业和农村界委员开展春耕调研的通知").await;
    b.fill("#n-body", "请农业和农村界委员于本月内到各乡镇开展春耕生产调研。").await;
    b.click("#n-a5").await;
    b.click("//label[normalize-space()='农业和农村界']/preceding-sibling::input").await;
    b.click("form[action='/console/notices'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "通知已发布", 10).await, "{}", b.page_text().await);
    let follow = b.text("#followup").await;
    assert!(follow.contains("张明") && follow.contains("李华") && !follow.contains("王芳"), "{follow}");
    b.close().await;

    // 大理州's staff hold a remote consultation with 宾川县 as a branch venue.
    let dali = Browser::start().await;
    dali.sign_in(&server.url, "heyun", PASSWORD).await;
    dali.goto(&format!("{}/console/meetings", server.url)).await;
    dali.client.find(fantoccini::Locator::Css("#m-kind")).await.unwrap().select_by_value("consultation").await.unwrap();
    dali.fill("#m-title", "大理州政协“推进洱海保护治理”远程协商会").await;
    let day = (server.clock.now() + chrono::Duration::days(5)).with_timezone(&lvzhi_domain::time::cst());
    dali.fill("#m-starts", &day.format("%Y-%m-%dT14:30").to_string()).await;
    dali.fill("#m-ends", &day.format("%Y-%m-%dT17:30").to_string()).await;
    dali.fill("#m-place", "大理州政协会议中心").await;
    dali.fill("#m-topic", "推进洱海保护治理").await;
    let binchuan = "//label[contains(., '宾川县政协')]/preceding-sibling::input";
    dali.client.find(fantoccini::Locator::XPath(binchuan)).await.unwrap().click().await.unwrap();
    dali.click("form[action='/console/meetings'] button[type=submit]").await;
    assert!(dali.wait_for_text(".banner", "已新建会议活动", 10).await, "{}", dali.page_text().await);
    assert!(dali.page_text().await.contains("宾川县政协分会场"));
    dali.look("remote-consultation").await;
    dali.close().await;
    // 宾川's members are invited to their 分会场.
    zhang.client.sync_until_idle().await.unwrap();
    let invited = zhang.client.meetings().unwrap();
    assert!(invited.iter().any(|m| m.title.contains("推进洱海保护治理")), "the branch venue's members are invited");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_follow_up_a_grassroots_consultation_and_the_prefecture_reads_it() {
    use lvzhi_domain::consult::grassroots::{ConsensusDraft, ConsultationDraft};
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let now = lvzhi_domain::time::to_millis(server.clock.now());
    let id = zhang
        .client
        .record_consultation(ConsultationDraft {
            township: "金牛镇".into(),
            topic: "金牛镇农贸市场改造".into(),
            date_ms: now,
            place: "金牛镇政府会议室".into(),
            member_ids: vec!["demo-zhangming".into()],
            residents: 23,
            points: vec![ConsensusDraft {
                text: "年内完成市场排水改造".into(), unit: "金牛镇人民政府".into()
            }],
        })
        .unwrap();
    zhang.client.sync_until_idle().await.unwrap();

    let b = Browser::start().await;
    b.sign_in(&server.url, "chenjing", PASSWORD).await;
    b.goto(&format!("{}/console/consultations", server.url)).await;
    b.look("consultations").await;
    b.goto(&format!("{}/console/consultations/{id}", server.url)).await;
    b.click("#points details summary").await;
    b.client.find(fantoccini::Locator::Css("#points select")).await.unwrap().select_by_value("done").await.unwrap();
    b.fill("#points textarea", "排水管网已改造完成并通过验收").await;
    let day = server.clock.now().with_timezone(&lvzhi_domain::time::cst()).format("%Y-%m-%d").to_string();
    b.fill("#points input[type=date]", &day).await;
    b.click("#points button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "落实情况已登记", 10).await, "{}", b.page_text().await);
    assert!(b.text("#points").await.contains("已落实"));
    b.look("consultation").await;
    b.close().await;

    // 大理州's staff read it (no follow-up form: it is the county's to follow).
    let above = Browser::start().await;
    above.sign_in(&server.url, "heyun", PASSWORD).await;
    above.goto(&format!("{}/console/consultations/{id}", server.url)).await;
    assert!(above.text("#points").await.contains("已落实"));
    assert!(above.client.find(fantoccini::Locator::Css("#points details")).await.is_err());
    above.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_set_up_a_reading_group_with_its_plan_and_a_guide() {
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let b = Browser::start().await;
    b.sign_in(&server.url, "chenjing", PASSWORD).await;
    b.goto(&format!("{}/console/groups", server.url)).await;
    b.fill("#g-name", "宾川县政协委员读书群").await;
    let members = b.client.find(fantoccini::Locator::Css("#g-members")).await.unwrap();
    members.select_by_value("demo-zhangming").await.unwrap();
    members.select_by_value("demo-lihua").await.unwrap();
    b.click("form[action='/console/groups'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "学习交流群已建立", 10).await, "{}", b.page_text().await);
    b.look("groups").await;
    b.click("//a[normalize-space()='宾川县政协委员读书群']").await;
    assert!(b.wait_for_element("#plan-h", 10).await);
    let group = id_in_url(&b).await;

    b.click("details.action:has(#b-title-0) summary").await;
    let today = server.clock.now().with_timezone(&lvzhi_domain::time::cst());
    b.fill("#b-title-0", "习近平关于加强和改进人民政协工作的重要思想学习纲要").await;
    b.fill("#b-author-0", "全国政协").await;
    b.fill("#b-from-0", &today.format("%Y-%m-%d").to_string()).await;
    b.fill("#b-to-0", &(today + chrono::Duration::days(30)).format("%Y-%m-%d").to_string()).await;
    b.client.find(fantoccini::Locator::Css("#b-leads")).await.unwrap().select_by_value("demo-zhangming").await.unwrap();
    b.click("form[action$='/plan'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "读书计划已保存", 10).await, "{}", b.page_text().await);

    // The lead reader posts the 导读 from the phone; the console shows it with the plan.
    zhang.client.sync_until_idle().await.unwrap();
    let reading = zhang.client.reading(&group).unwrap();
    assert!(reading.i_lead && reading.plan.is_some_and(|p| p.items.len() == 1), "the plan reached the lead reader");
    zhang.client.post_guide(&group, "第一章导读", "本章阐述人民政协的性质定位，请结合本县实践思考。").unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    b.goto(&format!("{}/console/groups/{group}", server.url)).await;
    assert!(b.page_text().await.contains("导读：第一章导读"));
    b.look("reading-group").await;
    b.close().await;
}

/// The console's read paths follow who may read what: the owning county's staff read each item;
/// a sibling county's staff, the prefecture's (for items not sent up to it), a handling unit and a
/// member outside the audience read none of them; the prefecture reads the county's counts and
/// its grassroots consultations, as their scopes say.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_pages_follow_who_may_read_what() {
    use lvzhi_domain::consult::grassroots::{ConsensusDraft, ConsultationDraft};
    use lvzhi_domain::consult::report::ReportContent;
    let server = demo_server(sample::fixed_now()).await;
    crate::access_matrix::add_sibling_county_accounts(&server);
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let now = lvzhi_domain::time::to_millis(server.clock.now());
    let proposal = zhang.client.create_draft(sample::proposal_content(11, "宾川县")).unwrap().id;
    zhang.client.take_action(&proposal, K::ProposalSubmit, &[]).unwrap();
    let content = ReportContent {
        attachments: Vec::new(),
        title: "关于宾川县乡村客运班线停运的情况反映".into(),
        situation: "部分山区村的客运班线已停运半年。".into(),
        analysis: "客流少，补贴不到位。".into(),
        suggestion: "建议实行预约响应式客运。".into(),
    };
    let report = zhang.client.create_report(content, vec![], None).unwrap();
    zhang.client.submit_report(&report).unwrap();
    let consultation = zhang
        .client
        .record_consultation(ConsultationDraft {
            township: "州城镇".into(),
            topic: "州城镇老旧小区加装电梯".into(),
            date_ms: now,
            place: "州城镇社区活动室".into(),
            member_ids: vec!["demo-zhangming".into()],
            residents: 15,
            points: vec![ConsensusDraft {
                text: "年内完成两个小区试点".into(), unit: "州城镇人民政府".into()
            }],
        })
        .unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    // A studio with a resident's message, and 张明's file.
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let studio = staff
        .client
        .save_studio(
            None,
            lvzhi_domain::liaison::studio::StudioDraft {
                name: "金牛镇委员工作室".into(),
                place: "宾川县金牛镇文化站".into(),
                opening_hours: String::new(),
                member_ids: vec!["demo-zhangming".into()],
                roster: Vec::new(),
                open: true,
            },
        )
        .unwrap();
    let file = lvzhi_domain::member_file::FileFields { phone: "13987001234".into(), ..Default::default() };
    staff.client.keep_member_file("demo-zhangming", file).unwrap();
    staff.client.sync_until_idle().await.unwrap();

    // A notice with a file and a meeting, made at the console by 宾川's staff.
    let b = Browser::start().await;
    b.sign_in(&server.url, "chenjing", PASSWORD).await;
    b.goto(&format!("{}/console/notices", server.url)).await;
    b.fill("#n-title", "关于报送年度履职情况的通知").await;
    b.fill("#n-body", "请各位委员于月底前报送年度履职情况。").await;
    let file = server.dir.path().join("填报说明.pdf");
    std::fs::write(&file, pdf()).unwrap();
    b.client.find(fantoccini::Locator::Css("#n-files")).await.unwrap().send_keys(file.to_str().unwrap()).await.unwrap();
    b.click("form[action='/console/notices'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "通知已发布", 10).await, "{}", b.page_text().await);
    let notice = id_in_url(&b).await;
    b.goto(&format!("{}/console/meetings", server.url)).await;
    b.fill("#m-title", "宾川县政协常委会议").await;
    let day = (server.clock.now() + chrono::Duration::days(2)).with_timezone(&lvzhi_domain::time::cst());
    b.fill("#m-starts", &day.format("%Y-%m-%dT09:00").to_string()).await;
    b.fill("#m-ends", &day.format("%Y-%m-%dT12:00").to_string()).await;
    b.fill("#m-place", "宾川县政协三楼会议室").await;
    b.click("form[action='/console/meetings'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "已新建会议活动", 10).await, "{}", b.page_text().await);
    let meeting = id_in_url(&b).await;
    b.close().await;

    let paths = [
        format!("/console/proposals/{proposal}"),
        format!("/console/notices/{notice}"),
        format!("/console/notices/{notice}/followup.xlsx"),
        format!("/console/files/{}", files::hash_of(&pdf())),
        format!("/console/meetings/{meeting}"),
        format!("/console/meetings/{meeting}/qr.svg"),
        format!("/console/reports/{report}"),
        "/console/record/demo-zhangming".to_string(),
        format!("/console/consultations/{consultation}"),
        "/console/overview?org=yn-12-03".to_string(),
        format!("/console/studios/{studio}"),
        format!("/console/studios/{studio}/poster"),
        "/console/studios".to_string(),
        "/console/member-files".to_string(),
        "/console/sectors".to_string(),
    ];
    // Expected statuses, in the order of `paths`. Staff elsewhere open their own studios' and
    // files' lists (which hold none of 宾川's, checked below); 界别召集人 is administrators'.
    let matrix: [(&str, [u16; 15]); 6] = [
        ("chenjing", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403]),
        ("zhaolei", [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("xy-staff", [404, 404, 404, 403, 404, 404, 404, 404, 404, 403, 404, 404, 200, 200, 403]),
        ("heyun", [404, 404, 404, 403, 404, 404, 404, 404, 200, 200, 404, 404, 200, 200, 403]),
        ("liujun", [404, 404, 404, 403, 404, 404, 404, 404, 404, 403, 404, 404, 403, 403, 403]),
        ("machao", [404, 404, 404, 403, 404, 404, 404, 404, 404, 403, 404, 404, 403, 403, 403]),
    ];
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for (login, expected) in matrix {
        let cookie = console_cookie(&http, &server.url, login).await;
        for (path, want) in paths.iter().zip(expected) {
            let got = fetch(&http, &server.url, &cookie, path).await.status().as_u16();
            assert_eq!(got, want, "{login} {path}");
        }
        for list in ["/console/studios", "/console/member-files"] {
            let body = fetch(&http, &server.url, &cookie, list).await.text().await.unwrap();
            let own = matches!(login, "chenjing" | "zhaolei");
            assert_eq!(body.contains("金牛镇委员工作室") || body.contains("13987001234"), own, "{login} {list}");
        }
    }
}

/// 委员工作室 from the console to a resident's browser and back: staff set up a studio with its
/// roster, print its QR poster; a resident scans it (the code read off the screenshot), leaves a
/// message — the page's script does the proof of work in Chromium — and keeps the lookup code;
/// the member on duty answers on the phone and the resident reads it; staff keep a member's file
/// and approve the correction he asked for on his phone; administrators name a sector's convener.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_set_up_a_studio_whose_poster_takes_a_residents_message_and_keep_members_files() {
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let b = Browser::start().await;
    b.sign_in(&server.url, "chenjing", PASSWORD).await;

    b.goto(&format!("{}/console/studios", server.url)).await;
    b.look("studios").await;
    b.fill("#s-name", "金牛镇委员工作室").await;
    b.fill("#s-place", "宾川县金牛镇文化站二楼").await;
    b.fill("#s-hours", "每周三 9:00–12:00").await;
    b.click("#m-demo-zhangming").await;
    b.click("#m-demo-lihua").await;
    b.fill("#s-roster", "2027-01-15 张明\n2027-01-22 李华、张明").await;
    b.click("form[action='/console/studios'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "已保存委员工作室", 10).await, "{}", b.page_text().await);
    let studio = server.state.store.read(|c| lvzhi_store::liaison::repo::studios_of_org(c, "yn-12-03")).unwrap();
    let studio = studio[0].clone();
    assert_eq!(studio.roster[1].person_ids, vec!["demo-lihua", "demo-zhangming"]);

    // The poster's code leads to the public page.
    b.goto(&format!("{}/console/studios/{}/poster", server.url, studio.id)).await;
    b.look("studio-poster").await;
    let url = read_qr(&b.element_png(".poster-qr").await).expect("a readable code");
    assert_eq!(url, format!("{}/studio/{}", server.url, studio.id));

    // A resident: no account; the script finds the proof of work before the form goes.
    b.goto(&url).await;
    b.look("studio-public").await;
    b.fill("#text", "金牛镇中心小学门口没有减速带，上下学时段车速快，存在安全隐患。").await;
    b.fill("#name", "杨女士").await;
    b.fill("#phone", "13888009876").await;
    let photo = server.dir.path().join("校门口.jpg");
    std::fs::write(&photo, lvzhi_media::sample_photo(1200, 900, 85, 5)).unwrap();
    b.client.find(fantoccini::Locator::Css("#photo")).await.unwrap().send_keys(photo.to_str().unwrap()).await.unwrap();
    b.click("#leave button[type=submit]").await;
    assert!(b.wait_for_text("#code", "-", 30).await, "{}", b.page_text().await);
    let code = b.text("#code").await;
    b.look("studio-received").await;

    zhang.client.sync_until_idle().await.unwrap();
    let m = zhang.client.studio_messages().unwrap();
    assert_eq!((m.len(), m[0].message.phone.as_str()), (1, "13888009876"));
    let photo = m[0].message.photo.clone().expect("the photo came with the message");
    zhang.client.download_file(&photo).await.unwrap();
    zhang.client.answer_studio_message(&m[0].message.id, "已向县交通运输局反映，下周安装减速带。").unwrap();
    zhang.client.sync_until_idle().await.unwrap();

    b.goto(&format!("{url}/answer")).await;
    b.fill("#code", &code).await;
    b.click("form button[type=submit]").await;
    assert!(b.wait_for_text("#answer", "下周安装减速带", 10).await, "{}", b.page_text().await);
    assert!(!b.page_text().await.contains("13888009876"));
    b.look("studio-answer").await;

    // Staff see the message with the resident's phone and who answered.
    b.goto(&format!("{}/console/studios/{}", server.url, studio.id)).await;
    let text = b.page_text().await;
    assert!(text.contains("13888009876") && text.contains("张明答复") && text.contains("校门口.jpg"), "{text}");
    b.look("studio-detail").await;

    // 委员档案: staff keep 张明's file; he asks a correction on the phone; staff approve it.
    b.goto(&format!("{}/console/member-files", server.url)).await;
    b.click("//details[summary[contains(., '张明')]]/summary").await;
    b.fill("#ethnicity-demo-zhangming", "白族").await;
    b.fill("#employer-demo-zhangming", "宾川县农业技术推广中心主任").await;
    b.fill("#phone-demo-zhangming", "13987001234").await;
    b.click("form[action='/console/member-files/demo-zhangming'] button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "已保存委员档案", 10).await, "{}", b.page_text().await);
    zhang.client.sync_until_idle().await.unwrap();
    let mut fields = zhang.client.my_file().unwrap().file.unwrap().fields;
    fields.employer_title = "宾川县农业农村局副局长".into();
    zhang.client.request_file_correction(fields, "2026年12月调任").unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    b.goto(&format!("{}/console/member-files", server.url)).await;
    assert!(b.page_text().await.contains("宾川县农业农村局副局长"));
    b.look("files").await;
    b.click("button[value=approve]").await;
    assert!(b.wait_for_text(".banner", "已同意更正", 10).await, "{}", b.page_text().await);
    zhang.client.sync_until_idle().await.unwrap();
    assert_eq!(zhang.client.my_file().unwrap().file.unwrap().fields.employer_title, "宾川县农业农村局副局长");

    // 界别召集人: the administrator's page; staff may not open it.
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let staff_cookie = console_cookie(&http, &server.url, "chenjing").await;
    assert_eq!(fetch(&http, &server.url, &staff_cookie, "/console/sectors").await.status(), 403);
    b.click("form[action='/console/logout'] button").await;
    b.sign_in(&server.url, "zhaolei", PASSWORD).await;
    b.goto(&format!("{}/console/sectors", server.url)).await;
    b.look("sectors").await;
    b.click("#c-yn-12-03-agri-sector-demo-lihua").await;
    b.click("form:has(input[value='yn-12-03-agri-sector']) button[type=submit]").await;
    assert!(b.wait_for_text(".banner", "已更新界别召集人", 10).await, "{}", b.page_text().await);
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    let sectors = li.client.sector_activity().await.unwrap();
    assert_eq!(sectors.len(), 1);
    assert_eq!(sectors[0].sector_name, "农业和农村界");
    b.close().await;
}

//! The terminal shell against a real server: staff and a member work a proposal and chat.

use std::process::Command;
use std::sync::Arc;

use lvzhi_server::{AppState, Config, Running, bootstrap, serve};

fn lvzhi(db: &std::path::Path, server: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lvzhi"))
        .arg("--db")
        .arg(db)
        .args(["--server", server])
        .args(args)
        .output()
        .expect("run lvzhi");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

/// The demo server on a free port, with limits no test reaches (many logins from 127.0.0.1).
async fn demo_server(dir: &std::path::Path) -> (Running, String) {
    let mut config = Config::new(dir.join("server.db"), "127.0.0.1:0".parse().unwrap());
    config.limits = lvzhi_server::limits::Limits::relaxed();
    let state = Arc::new(AppState::open(config).unwrap());
    let st = state.clone();
    tokio::task::spawn_blocking(move || bootstrap::seed_demo(&st.store, lvzhi_domain::time::now()).unwrap())
        .await
        .unwrap();
    let running = serve(state, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let url = format!("http://{}", running.addr);
    (running, url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_drafts_and_submits_staff_register_and_both_chat() {
    let dir = tempfile::tempdir().unwrap();
    let (running, url) = demo_server(dir.path()).await;
    let (member, staff) = (dir.path().join("member.db"), dir.path().join("staff.db"));

    let out = tokio::task::spawn_blocking(move || {
        let pw = bootstrap::DEMO_PASSWORD;
        let mut log = Vec::new();
        let mut ok = |db: &std::path::Path, args: &[&str]| {
            let (success, stdout, stderr) = lvzhi(db, &url, args);
            assert!(success, "lvzhi {args:?} failed: {stderr}");
            log.push(stdout.clone());
            stdout
        };
        assert!(ok(&member, &["login", "zhangming", pw]).contains("已登录：张明 委员（宾川县政协）"));
        let draft = ok(
            &member,
            &["--json", "draft", "关于发展肉牛养殖产业的提案", "宾川县肉牛养殖规模小。", "设立良种补贴。", "经济建设"],
        );
        let id = serde_json::from_str::<serde_json::Value>(&draft).unwrap()["id"].as_str().unwrap().to_string();
        assert!(ok(&member, &["do", &id, "submit"]).contains("现为「已提交」"));
        assert!(ok(&member, &["status"]).contains("待发送 2 项"));
        ok(&member, &["sync"]);

        ok(&staff, &["login", "chenjing", pw]);
        let list = ok(&staff, &["proposals"]);
        assert!(list.contains("[已提交]  关于发展肉牛养殖产业的提案"), "{list}");
        let shown = ok(&staff, &["show", &id]);
        assert!(
            shown.contains("可执行：") && shown.contains("立案") && shown.contains("起草提案（张明，委员）"),
            "{shown}"
        );
        ok(&staff, &["do", &id, "register"]);
        ok(&staff, &["do", &id, "assign", "yn-12-03-agri"]);
        ok(&staff, &["sync"]);
        // A member cannot review: the core's reason, in Chinese, on stderr.
        let (success, _, stderr) = lvzhi(&member, &url, &["do", &id, "register"]);
        assert!(!success);
        assert!(stderr.contains("委员不能立案"), "{stderr}");

        let json = ok(&member, &["sync"]);
        assert!(json.contains("同步完成"));
        let mine = ok(&member, &["--json", "proposals"]);
        let mine: serde_json::Value = serde_json::from_str(&mine).unwrap();
        assert_eq!(mine[0]["state"], "Handling");

        // Chat: staff open a group, both write, both read.
        let group = ok(&staff, &["--json", "newgroup", "提案工作交流群", "demo-zhangming"]);
        let group: String = serde_json::from_str(&group).unwrap();
        ok(&staff, &["send", &group, "请各位委员关注办理进度"]);
        ok(&staff, &["sync"]);
        ok(&member, &["sync"]);
        assert!(ok(&member, &["groups"]).contains("提案工作交流群  未读 1（@我 0）"));
        ok(&member, &["send", &group, "收到，谢谢！"]);
        assert!(ok(&member, &["messages", &group]).contains("张明：收到，谢谢！（发送中）"));
        ok(&member, &["sync"]);
        ok(&staff, &["sync"]);
        assert_eq!(ok(&staff, &["messages", &group]).trim(), "陈静：请各位委员关注办理进度\n张明：收到，谢谢！");
        log
    })
    .await
    .unwrap();
    assert!(!out.is_empty());
    running.stop().await.unwrap();
}

/// The whole round trip a member and staff make, from the terminal: draft, 联名, submit, 立案,
/// 交办 to two units, 答复, reading the replies, 测评; and the outbox, search and chat replies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proposal_goes_from_draft_to_rating_and_chat_replies_and_recalls_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (running, url) = demo_server(dir.path()).await;
    let db = |name: &str| dir.path().join(format!("{name}.db"));
    let (zhang, li, staff, agri, water) = (db("zhang"), db("li"), db("staff"), db("agri"), db("water"));
    let admin_db = db("admin");
    let dir_admin = move || admin_db.clone();

    tokio::task::spawn_blocking(move || {
        let pw = bootstrap::DEMO_PASSWORD;
        let ok = |db: &std::path::Path, args: &[&str]| {
            let (success, stdout, stderr) = lvzhi(db, &url, args);
            assert!(success, "lvzhi {args:?} failed: {stderr}");
            stdout
        };
        for (db, login) in
            [(&zhang, "zhangming"), (&li, "lihua"), (&staff, "chenjing"), (&agri, "liujun"), (&water, "sunli")]
        {
            ok(db, &["login", login, pw]);
        }
        // People are found by 界别.
        let people = ok(&zhang, &["people", "农业和农村"]);
        assert!(people.contains("李华") && !people.contains("王芳"), "{people}");
        let draft = ok(
            &zhang,
            &[
                "--json",
                "draft",
                "关于加强农村饮水安全保障的提案",
                "部分村组饮水不稳定。",
                "实施管网改造。",
                "社会建设",
            ],
        );
        let id = serde_json::from_str::<serde_json::Value>(&draft).unwrap()["id"].as_str().unwrap().to_string();
        ok(&zhang, &["do", &id, "invite", "李华"]);
        ok(&zhang, &["do", &id, "cosign"]);
        assert!(ok(&zhang, &["outbox"]).contains("发起联名：关于加强农村饮水安全保障的提案  [待发送]"));
        ok(&zhang, &["sync"]);
        assert!(ok(&zhang, &["outbox"]).contains("没有待发送的操作"));
        ok(&li, &["sync"]);
        ok(&li, &["do", &id, "accept"]);
        ok(&li, &["sync"]);
        ok(&zhang, &["sync"]);
        ok(&zhang, &["do", &id, "submit"]);
        ok(&zhang, &["sync"]);
        ok(&staff, &["sync"]);
        ok(&staff, &["do", &id, "register"]);
        assert!(ok(&staff, &["units"]).contains("yn-12-03-water  宾川县水务局"));
        ok(&staff, &["do", &id, "parallel", "yn-12-03-agri", "yn-12-03-water"]);
        ok(&staff, &["sync"]);
        for (db, text) in [(&agri, "已将饮水工程纳入年度计划。"), (&water, "拟于明年完成管网改造。")]
        {
            ok(db, &["sync"]);
            ok(db, &["do", &id, "reply", "A", text]);
            ok(db, &["sync"]);
        }
        ok(&staff, &["sync"]);
        ok(&staff, &["do", &id, "approve"]);
        ok(&staff, &["sync"]);
        ok(&zhang, &["sync"]);
        let shown = ok(&zhang, &["show", &id]);
        for expected in [
            "联名：李华（已同意）",
            "承办：宾川县农业农村局（分办）",
            "答复（A类（已解决或采纳）",
            "已将饮水工程纳入年度计划。",
            "拟于明年完成管网改造。",
            "可执行：测评",
        ] {
            assert!(shown.contains(expected), "{expected} missing from:\n{shown}");
        }
        ok(&zhang, &["do", &id, "evaluate", "满意", "答复具体"]);
        ok(&zhang, &["sync"]);
        ok(&li, &["sync"]);
        ok(&li, &["do", &id, "evaluate", "基本满意"]);
        ok(&li, &["sync"]);
        ok(&zhang, &["sync"]);
        let shown = ok(&zhang, &["show", &id]);
        assert!(shown.contains("状态：已办结") && shown.contains("测评：张明 满意 答复具体"), "{shown}");
        // The organisation's administrator reads the audit log from the terminal.
        let admin = dir_admin();
        ok(&admin, &["login", "zhaolei", pw]);
        let audit = ok(&admin, &["audit"]);
        assert!(audit.contains("登录成功  张明（127.0.0.1）"), "{audit}");
        assert!(!ok(&zhang, &["status"]).is_empty());
        let (refused, _, stderr) = lvzhi(&zhang, &url, &["audit", "yn-12-03"]);
        assert!(!refused && stderr.contains("只有本组织的管理员可以查看审计日志"), "{stderr}");
        // Search finds it by two characters.
        assert!(ok(&zhang, &["search", "饮水"]).contains(&format!("提案  {id}  [已办结]")));

        // Chat: a reply, an @mention, and a recall.
        let group = ok(&staff, &["--json", "newgroup", "提案办理交流群", "demo-zhangming", "demo-lihua"]);
        let group: String = serde_json::from_str(&group).unwrap();
        let asked = ok(&staff, &["--json", "send", &group, "请李华委员介绍调研情况", "@demo-lihua"]);
        let asked: String = serde_json::from_str(&asked).unwrap();
        ok(&staff, &["sync"]);
        ok(&li, &["sync"]);
        assert!(ok(&li, &["groups"]).contains("提案办理交流群  未读 1（@我 1）"));
        ok(&li, &["reply", &group, &asked, "已走访三个村组。"]);
        let oops = ok(&li, &["--json", "send", &group, "发错了"]);
        let oops: String = serde_json::from_str(&oops).unwrap();
        ok(&li, &["sync"]);
        ok(&li, &["recall", &oops]);
        ok(&li, &["sync"]);
        ok(&zhang, &["sync"]);
        let messages = ok(&zhang, &["--json", "messages", &group]);
        let messages: serde_json::Value = serde_json::from_str(&messages).unwrap();
        assert_eq!(messages[1]["reply_to"], asked.as_str());
        assert_eq!(messages[2]["text"], "李华撤回了一条消息");
    })
    .await
    .unwrap();
    running.stop().await.unwrap();
}

#[test]
fn usage_in_chinese_without_a_command() {
    let out = Command::new(env!("CARGO_BIN_EXE_lvzhi")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("用法: lvzhi"));
}

/// 通知, 会议, 签到, 待办, 履职档案 and 意见建议 from the terminal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_meetings_check_in_and_the_duty_record_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (running, url) = demo_server(dir.path()).await;
    let (member, staff, admin) = (dir.path().join("m.db"), dir.path().join("s.db"), dir.path().join("a.db"));
    tokio::task::spawn_blocking(move || {
        let pw = bootstrap::DEMO_PASSWORD;
        let ok = |db: &std::path::Path, args: &[&str]| {
            let (success, stdout, stderr) = lvzhi(db, &url, args);
            assert!(success, "lvzhi {args:?} failed: {stderr}");
            stdout
        };
        ok(&member, &["login", "zhangming", pw]);
        ok(&staff, &["login", "chenjing", pw]);
        ok(&admin, &["login", "zhaolei", pw]);

        let (success, _, stderr) = lvzhi(&staff, &url, &["publish", " ", "正文"]);
        assert!(!success && stderr.contains("标题不能为空"), "{stderr}");
        let published =
            ok(&staff, &["--json", "publish", "关于报送年度履职情况的通知", "请于月底前报送。", "--days", "7"]);
        let notice = serde_json::from_str::<serde_json::Value>(&published).unwrap()["id"].as_str().unwrap().to_string();
        ok(&staff, &["sync"]);
        ok(&member, &["sync"]);
        assert!(ok(&member, &["todo"]).contains("请回复通知回执：关于报送年度履职情况的通知"));
        assert!(ok(&member, &["notices"]).contains("未读"));
        assert!(ok(&member, &["notice", &notice]).contains("回执截止"));
        ok(&member, &["answer", &notice, "参加"]);
        ok(&member, &["sync"]);
        ok(&staff, &["sync"]);
        let follow = ok(&staff, &["notice", &notice]);
        assert!(follow.contains("张明　参加") && follow.contains("王芳　未读"), "{follow}");

        // A meeting invited from the shell's core, checked in with the server's code, offline.
        let meeting = ok(&member, &["--json", "meetings"]);
        assert_eq!(meeting.trim(), "[]");
        let staff_client = lvzhi_client::Client::open(&staff, &url).unwrap();
        let start = lvzhi_domain::time::to_millis(lvzhi_domain::time::now()) + 60_000;
        let draft = lvzhi_domain::duty::meeting::MeetingDraft {
            kind: lvzhi_domain::duty::meeting::MeetingKind::Plenary,
            title: "政协宾川县委员会全体会议".into(),
            starts_at_ms: start,
            ends_at_ms: start + 3_600_000,
            place: "宾川县会议中心".into(),
            organiser: "县政协办公室".into(),
            agenda: String::new(),
            half_days: 1,
            enrolment: lvzhi_domain::duty::meeting::Enrolment::Invitation { person_ids: vec!["demo-zhangming".into()] },
            leave_needs_approval: false,
            remote: None,
        };
        let id = staff_client.create_meeting(None, draft).unwrap();
        drop(staff_client);
        ok(&staff, &["sync"]);
        let code = ok(&staff, &["checkin-code", &id]).trim().to_string();
        ok(&member, &["sync"]);
        ok(&member, &["attend", &id]);
        let (success, _, stderr) = lvzhi(&member, "http://127.0.0.1:9", &["checkin", &id, "LZQD1.x.y"]);
        assert!(!success && stderr.contains("签到码无效"), "{stderr}");
        ok(&member, &["checkin", &id, &code]);
        assert!(ok(&member, &["meeting", &id]).contains("已签到"));
        ok(&member, &["sync"]);
        let record = ok(&member, &["record"]);
        assert!(record.contains("出席全体会议（每半天）　1次　5分"), "{record}");
        let html = dir_path_join(&member, "report.html");
        ok(&member, &["record", "--html", &html]);
        assert!(std::fs::read_to_string(&html).unwrap().contains("年度履职报告"));
        ok(&staff, &["sync"]);
        let members = ok(&staff, &["members", "--below"]);
        assert!(members.contains("李华") && members.contains("张明"), "{members}");
        // The rules change (a new version) and the member's figure follows.
        let (success, _, stderr) = lvzhi(&staff, &url, &["set-rule", "排名", "5"]);
        assert!(!success && stderr.contains("未知的规则「排名」"), "{stderr}");
        ok(&staff, &["set-rule", "attend_plenary", "8", "--threshold", "6"]);
        ok(&staff, &["sync"]);
        ok(&member, &["sync"]);
        assert!(ok(&member, &["rules"]).contains("积分规则第1版　年度最低分6"));
        let record = ok(&member, &["record"]);
        assert!(record.contains("积分 8 分（积分规则第1版）"), "{record}");

        // 意见建议.
        ok(&member, &["feedback", "希望会议材料提前三天推送。"]);
        ok(&member, &["sync"]);
        ok(&admin, &["sync"]);
        let fb = ok(&admin, &["--json", "feedback"]);
        let fb = serde_json::from_str::<serde_json::Value>(&fb).unwrap()[0]["id"].as_str().unwrap().to_string();
        ok(&admin, &["answer-feedback", &fb, "已采纳。"]);
        ok(&admin, &["sync"]);
        ok(&member, &["sync"]);
        assert!(ok(&member, &["feedback"]).contains("答复：已采纳。"));
    })
    .await
    .unwrap();
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_topics_and_a_township_consultation_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (running, url) = demo_server(dir.path()).await;
    let (member, li, staff, dali) =
        (dir.path().join("m.db"), dir.path().join("l.db"), dir.path().join("s.db"), dir.path().join("d.db"));
    tokio::task::spawn_blocking(move || {
        let pw = bootstrap::DEMO_PASSWORD;
        let ok = |db: &std::path::Path, args: &[&str]| {
            let (success, stdout, stderr) = lvzhi(db, &url, args);
            assert!(success, "lvzhi {args:?} failed: {stderr}");
            stdout
        };
        let id_of =
            |out: &str| serde_json::from_str::<serde_json::Value>(out).unwrap()["id"].as_str().unwrap().to_string();
        ok(&member, &["login", "zhangming", pw]);
        ok(&li, &["login", "lihua", pw]);
        ok(&staff, &["login", "chenjing", pw]);
        ok(&dali, &["login", "heyun", pw]);

        // 社情民意: drafted jointly, refused when incomplete, submitted, edited and sent up.
        let empty =
            id_of(&ok(&member, &["--json", "draft-report", "关于村级卫生室药品短缺的情况反映", " ", "", "建议"]));
        let (success, _, stderr) = lvzhi(&member, &url, &["submit-report", &empty]);
        assert!(!success && stderr.contains("社情民意信息不能为空：请填写基本情况"), "{stderr}");
        let draft = ok(
            &member,
            &[
                "--json",
                "draft-report",
                "关于宾川县村级卫生室常用药品短缺的情况反映",
                "部分村卫生室降压药、降糖药经常断供，村民需到乡镇购药。",
                "基本药物配送企业对偏远村点配送积极性不高。",
                "建议将村卫生室纳入县域医共体统一配送。",
                "--with",
                "demo-lihua",
            ],
        );
        let report = id_of(&draft);
        ok(&member, &["submit-report", &report]);
        ok(&member, &["sync"]);
        ok(&li, &["sync"]);
        assert!(ok(&li, &["reports"]).contains("[已报送] 关于宾川县村级卫生室常用药品短缺的情况反映　张明、李华"));
        ok(&staff, &["sync"]);
        ok(&staff, &["report-do", &report, "accept"]);
        ok(
            &staff,
            &[
                "report-do",
                &report,
                "edit",
                "2027年第3期",
                "关于村卫生室常用药品短缺的情况反映",
                "部分村卫生室降压药、降糖药经常断供，村民需到乡镇购药。",
                "基本药物配送企业对偏远村点配送积极性不高。",
                "建议将村卫生室纳入县域医共体统一配送，由乡镇卫生院代储。",
            ],
        );
        let (success, _, stderr) = lvzhi(&staff, &url, &["report-do", &report, "send-up", "yn-00", "政协", "州市级"]);
        assert!(!success && stderr.contains("报送政协须为上级政协组织"), "{stderr}");
        ok(&staff, &["report-do", &report, "send-up", "yn-12", "政协", "州市级"]);
        ok(&staff, &["sync"]);
        ok(&member, &["sync"]);
        let shown = ok(&member, &["report", &report]);
        assert!(shown.contains("宾川县政协编发（2027年第3期）"), "{shown}");
        assert!(
            shown.contains("标题：关于宾川县村级卫生室常用药品短缺的情况反映 → 关于村卫生室常用药品短缺的情况反映"),
            "{shown}"
        );
        assert!(shown.contains("陈静　报送上级→已报送上级"), "{shown}");
        let stats = ok(&dali, &["report-stats"]);
        assert!(stats.contains("宾川县政协") && stats.contains("　1　1　1　1　0　0　0"), "{stats}");

        // 网络议政: a topic, a post found by a two-character search, a summary using it.
        let topic = id_of(&ok(&staff, &["--json", "open-topic", "如何改善宾川县乡村客运", "部分班线停运。", "7"]));
        ok(&staff, &["sync"]);
        ok(&member, &["sync"]);
        let post = id_of(&ok(&member, &["--json", "post", &topic, "建议推行预约响应式公交。"]));
        ok(&member, &["sync"]);
        ok(&li, &["sync"]);
        ok(&li, &["second", &post]);
        let (success, _, stderr) = lvzhi(&li, &url, &["second", &post]);
        assert!(!success && stderr.contains("您已附议该意见"), "{stderr}");
        ok(&li, &["sync"]);
        assert!(ok(&member, &["search", "公交"]).contains("意见"));
        ok(&staff, &["sync"]);
        ok(&staff, &["close-topic", &topic]);
        ok(&staff, &["summary", &topic, "委员建议推行预约响应式公交。", &post]);
        ok(&staff, &["sync"]);
        ok(&member, &["sync"]);
        let t = ok(&member, &["topic", &topic]);
        assert!(t.contains("附议1　【综述采用】") && t.contains("综述：委员建议推行预约响应式公交。"), "{t}");

        // 协商在基层.
        let c = id_of(&ok(
            &staff,
            &["--json", "record-consultation", "金牛镇", "农贸市场规范经营", "42", "划定临时摊位区@金牛镇人民政府"],
        ));
        ok(&staff, &["follow-up", &c, "1", "已落实", "已于3月启用"]);
        ok(&staff, &["sync"]);
        ok(&dali, &["sync"]);
        assert!(ok(&dali, &["consultations"]).contains("金牛镇：农贸市场规范经营　群众42人　共识1项（已落实1项）"));
    })
    .await
    .unwrap();
    running.stop().await.unwrap();
}

fn dir_path_join(db: &std::path::Path, name: &str) -> String {
    db.with_file_name(name).to_string_lossy().into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_sent_from_the_terminal_is_downloaded_and_kept_by_another_member() {
    let dir = tempfile::tempdir().unwrap();
    let (running, url) = demo_server(dir.path()).await;
    let (member, other, staff) = (dir.path().join("m.db"), dir.path().join("o.db"), dir.path().join("s.db"));
    let doc = dir.path().join("宾川县柑橘冷链调研.pdf");
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..300_000u32).map(|i| (i * 7 % 251) as u8));
    std::fs::write(&doc, &bytes).unwrap();
    let saved = dir.path().join("saved.pdf");
    let (doc, saved_path) = (doc.to_string_lossy().to_string(), saved.clone());
    tokio::task::spawn_blocking(move || {
        let pw = bootstrap::DEMO_PASSWORD;
        let ok = |db: &std::path::Path, args: &[&str]| {
            let (success, stdout, stderr) = lvzhi(db, &url, args);
            assert!(success, "lvzhi {args:?} failed: {stderr}");
            stdout
        };
        ok(&staff, &["login", "chenjing", pw]);
        let group = ok(&staff, &["--json", "newgroup", "农业和农村界学习交流群", "demo-zhangming", "demo-lihua"]);
        let group: String = serde_json::from_str(&group).unwrap();
        ok(&staff, &["sync"]);
        ok(&member, &["login", "zhangming", pw]);
        let sent = ok(&member, &["send-file", &group, &doc, "调研报告请参阅"]);
        assert!(sent.contains("附件 宾川县柑橘冷链调研.pdf") && sent.contains("上传完成后发送"), "{sent}");
        assert!(ok(&member, &["transfers"]).contains("上传 宾川县柑橘冷链调研.pdf"));
        ok(&member, &["sync"]);
        assert!(ok(&member, &["transfers"]).contains("没有进行中的上传或下载"));

        ok(&other, &["login", "lihua", pw]);
        let files = ok(&other, &["files", &group]);
        assert!(files.contains("宾川县柑橘冷链调研.pdf  PDF文档 · 293 KB  未下载"), "{files}");
        assert!(ok(&other, &["messages", &group]).contains("张明：调研报告请参阅 [附件：宾川县柑橘冷链调研.pdf]"));
        ok(&other, &["download", &group, "宾川县柑橘冷链调研.pdf", "--to", &saved_path.to_string_lossy()]);
        assert!(ok(&other, &["files", &group]).contains("已下载"));
        ok(&other, &["pin", &group, "宾川县柑橘冷链调研.pdf"]);
        assert!(ok(&other, &["clear-cache"]).contains("已清理 0 KB"));
        assert!(ok(&other, &["files", &group]).contains("已下载 📌"));
        assert!(ok(&other, &["cache"]).contains("已用 293 KB / 200 MB"));
    })
    .await
    .unwrap();
    assert_eq!(std::fs::read(saved).unwrap(), bytes);
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn study_reading_and_news_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (running, url) = demo_server(dir.path()).await;
    let (member, staff) = (dir.path().join("m.db"), dir.path().join("s.db"));
    tokio::task::spawn_blocking(move || {
        let pw = bootstrap::DEMO_PASSWORD;
        let ok = |db: &std::path::Path, args: &[&str]| {
            let (success, stdout, stderr) = lvzhi(db, &url, args);
            assert!(success, "lvzhi {args:?} failed: {stderr}");
            stdout
        };
        ok(&staff, &["login", "chenjing", pw]);
        let id = ok(
            &staff,
            &[
                "--json",
                "publish-material",
                "乡村振兴促进法学习辅导",
                "乡村振兴促进法自2021年6月1日起施行，明确了产业发展、人才支撑、文化繁荣、生态保护和组织建设。",
                "--series",
                "乡村振兴专题",
            ],
        );
        let id: String = serde_json::from_str(&id).unwrap();
        ok(&staff, &["publish-news", "宾川县政协召开十二届三次常委会议", "会议审议通过了年度协商计划。"]);
        ok(&staff, &["sync"]);

        ok(&member, &["login", "zhangming", pw]);
        assert!(ok(&member, &["materials"]).contains("【乡村振兴专题】乡村振兴促进法学习辅导"));
        ok(&member, &["studied", &id]);
        ok(&member, &["study-note", &id, "宾川县要把柑橘产业做成富民产业", "--quote", "产业发展"]);
        let shown = ok(&member, &["material", &id]);
        assert!(shown.contains("笔记：“产业发展” 宾川县要把柑橘产业做成富民产业"), "{shown}");
        assert!(ok(&member, &["materials"]).contains("已学习  笔记1条"));
        ok(&member, &["sync"]);
        let record = ok(&member, &["record"]);
        assert!(record.contains("学习资料") && record.contains("撰写学习笔记"), "{record}");
        assert!(ok(&member, &["news"]).contains("宾川县政协召开十二届三次常委会议"));
    })
    .await
    .unwrap();
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_contacts_and_studio_messages_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let (running, url) = demo_server(dir.path()).await;
    let (member, staff) = (dir.path().join("m.db"), dir.path().join("s.db"));
    tokio::task::spawn_blocking(move || {
        let pw = bootstrap::DEMO_PASSWORD;
        let ok = |db: &std::path::Path, args: &[&str]| {
            let (success, stdout, stderr) = lvzhi(db, &url, args);
            assert!(success, "lvzhi {args:?} failed: {stderr}");
            stdout
        };
        ok(&staff, &["login", "chenjing", pw]);
        ok(&member, &["login", "zhangming", pw]);
        assert!(ok(&member, &["my-file"]).contains("尚未建立"));

        // 联络联系: a register, a logged visit, a 社情民意 draft made of it.
        let contact: String =
            serde_json::from_str(&ok(&member, &["--json", "add-contact", "杨老三", "金牛镇肉牛养殖户", "13987005678"]))
                .map(|v: serde_json::Value| v["id"].as_str().unwrap().to_string())
                .unwrap();
        assert!(ok(&member, &["contacts"]).contains("杨老三  金牛镇肉牛养殖户  13987005678"));
        let today = lvzhi_domain::liaison::today(lvzhi_domain::time::to_millis(lvzhi_domain::time::now()));
        let today = today.format("%Y-%m-%d").to_string();
        let log: serde_json::Value = serde_json::from_str(&ok(
            &member,
            &["--json", "log-contact", &today, "走访", "肉牛养殖贷款难，希望扩大贴息范围", &contact],
        ))
        .unwrap();
        let log = log["id"].as_str().unwrap().to_string();
        let (refused, _, why) = lvzhi(&member, &url, &["log-contact", "2099-01-01", "走访", "x", &contact]);
        assert!(!refused && why.contains("联系日期不能晚于今天"), "{why}");
        ok(&member, &["raise", &log]);
        let shown = ok(&member, &["contact-log"]);
        assert!(shown.contains("已联系 1 人 / 年度要求 5 人，记录 1 次"), "{shown}");
        assert!(shown.contains("已形成1份草稿"), "{shown}");
        assert!(ok(&member, &["reports"]).contains("关于肉牛养殖贷款难，希望扩大贴息范围的情况反映"));
        ok(&member, &["sync"]);

        // 委员档案: staff keep nothing yet from here, but the directory shows the county.
        let names = ok(&member, &["directory", "农业"]);
        assert!(names.contains("张明") && names.contains("李华") && !names.contains("王芳"), "{names}");
        assert!(ok(&member, &["sector-activity"]).contains("您不是界别召集人"));
        assert!(ok(&member, &["studios"]).contains("还没有委员工作室"));
        assert!(ok(&member, &["studio-messages"]).contains("没有留言"));
        assert!(ok(&staff, &["corrections"]).contains("没有待审核的更正申请"));
    })
    .await
    .unwrap();
    running.stop().await.unwrap();
}

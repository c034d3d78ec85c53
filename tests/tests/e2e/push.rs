//! Push end to end: a real server (SQLite or PostgreSQL, as the suite runs), phones that
//! register their vendors' tokens through sync, and a local HTTP server per vendor that follows
//! that vendor's documented contract (`lvzhi_tests::push_fakes`). The vendors see a kind and a
//! count, never a notice's text; each device hears of each batch once.

use std::time::Duration;

use chrono::TimeZone;

use lvzhi_domain::duty::notice::{Audience, NoticeContent, NoticeKind};
use lvzhi_domain::push::{NotificationSettings, PushKind, PushVendor};
use lvzhi_domain::time::cst;
use lvzhi_server::push::PushConfig;
use lvzhi_store::sample;
use lvzhi_tests::push_fakes::{FakeSms, FakeVendor, SmsVendor};
use lvzhi_tests::{Phone, TestServer, demo_server_with, spawn_server, sql_count, sql_exec};

const HMS_ZHANG: &str = "IQAAAACy0kYsAADh9Xq2bGpRk3zCKvN1mJ8d4YtW0eLcVxQ5sHuF2gBn7oPa";
const XIAOMI_LI: &str = "Rk7h3mXn2cLq9pTv4sYw8dZb1gFj6uKe0oAi5rNx3zQ0HeWyMcV2Bt7sDf";
const XIAOMI_WANG: &str = "Wm5q8sK2nY0tV7cB3xL9dR4fH6jP1gZ2eU8aT0oN5iQ7wE3rC6yM4bX9vA";
const APNS_ZHANG_PAD: &str = "9f2b6c1d4e8a7f3b0c5d2e9a6b1f4c8d3e7a0b5c2d9f6e1a4b8c3d7e0f5a2b6c";

fn notice(title: &str, urgent: bool) -> NoticeContent {
    NoticeContent {
        title: title.into(),
        body: "请各位委员于本周五下午三时到县政协三楼会议室参加，并提前准备书面发言材料。".into(),
        kind: NoticeKind::Meeting,
        audience: Audience::Members { subordinates: false },
        asks_reply: false,
        reply_deadline_ms: None,
        attachments: Vec::new(),
        urgent,
    }
}

fn no_quiet_hours() -> NotificationSettings {
    NotificationSettings { quiet_from_minute: 0, quiet_until_minute: 0, ..NotificationSettings::default() }
}

fn push_config(vendors: &[&FakeVendor], sms: Option<&FakeSms>) -> PushConfig {
    let mut json = serde_json::json!({ "coalesce_seconds": 5, "poll_millis": 50 });
    for v in vendors {
        json[v.vendor.as_str()] = v.config_json();
    }
    if let Some(sms) = sms {
        json["sms"] = sms.config_json();
    }
    serde_json::from_value(json).unwrap()
}

/// Waits (up to a minute of real time) until `done` holds: the sender works in the background.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..1200 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for: {what}");
}

/// Nothing waits in the queue: every event gathered, every item formed or deferred, every send
/// finished.
fn settled(server: &TestServer) -> bool {
    let store = &server.state.store;
    sql_count(store, "SELECT count(*) FROM push_events", []) == 0
        && sql_count(store, "SELECT count(*) FROM push_sends WHERE state = 'pending'", []) == 0
}

fn items_waiting(server: &TestServer) -> i64 {
    sql_count(&server.state.store, "SELECT count(*) FROM push_items", [])
}

/// Bodies of what `vendor` accepted for `token`.
fn bodies(vendor: &FakeVendor, token: &str) -> Vec<String> {
    vendor.deliveries().into_iter().filter(|d| d.token == token).map(|d| d.body).collect()
}

async fn publish(staff: &Phone, title: &str, urgent: bool) -> String {
    let id = staff.client.publish_notice(None, notice(title, urgent)).unwrap();
    staff.client.sync_until_idle().await.unwrap();
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_reach_each_device_once_through_its_vendor_coalesced_and_with_no_text() {
    let hms = FakeVendor::start(PushVendor::Hms).await;
    let xiaomi = FakeVendor::start(PushVendor::Xiaomi).await;
    let apns = FakeVendor::start(PushVendor::Apns).await;
    let config = push_config(&[&hms, &xiaomi, &apns], None);
    let server = demo_server_with(sample::fixed_now(), |c| c.push = Some(config)).await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let zhang_pad = Phone::logged_in(&server, "zhangming-pad", "zhangming").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    let wang = Phone::logged_in(&server, "wangfang", "wangfang").await;
    zhang.client.register_push_token(PushVendor::Hms, HMS_ZHANG).unwrap();
    zhang_pad.client.register_push_token(PushVendor::Apns, APNS_ZHANG_PAD).unwrap();
    li.client.register_push_token(PushVendor::Xiaomi, XIAOMI_LI).unwrap();
    wang.client.register_push_token(PushVendor::Xiaomi, XIAOMI_WANG).unwrap();
    // A bad token is refused on the phone with the server's reason, and nothing is queued.
    assert_eq!(
        zhang.client.register_push_token(PushVendor::Apns, "不是令牌").unwrap_err().to_string(),
        "推送令牌含有不允许的字符（苹果推送）"
    );
    for p in [&zhang, &zhang_pad, &li, &wang] {
        p.client.sync_until_idle().await.unwrap();
    }
    assert_eq!(sql_count(&server.state.store, "SELECT count(*) FROM push_devices", []), 4);

    // One notice to 宾川's members: within the coalescing window nothing goes out.
    let title = "关于召开宾川县葡萄产业发展专题协商会的通知";
    publish(&staff, title, false).await;
    until("the notice is gathered into items", || items_waiting(&server) == 3).await;
    assert!(hms.deliveries().is_empty() && xiaomi.deliveries().is_empty() && apns.deliveries().is_empty());
    server.clock.advance(chrono::Duration::seconds(6));
    until("every device is told", || settled(&server) && items_waiting(&server) == 0).await;
    assert_eq!(bodies(&hms, HMS_ZHANG), vec!["1 条新通知"]);
    assert_eq!(bodies(&apns, APNS_ZHANG_PAD), vec!["1 条新通知"]);
    assert_eq!(bodies(&xiaomi, XIAOMI_LI), vec!["1 条新通知"]);
    assert_eq!(bodies(&xiaomi, XIAOMI_WANG), vec!["1 条新通知"]);
    // Nothing of the notice on any vendor's server: no title, no text.
    for vendor in [&hms, &xiaomi, &apns] {
        for request in vendor.requests() {
            assert!(
                !request.contains("葡萄") && !request.contains("会议室"),
                "{:?} saw content: {request}",
                vendor.vendor
            );
        }
    }

    // Three notices close together are one push; 李华 has switched notices off; 王芳 read one
    // of them on her phone before the push went out, so she is told of two.
    let off = NotificationSettings { off: vec![PushKind::Notice], ..NotificationSettings::default() };
    li.client.set_notification_settings(off.clone()).unwrap();
    li.client.sync_until_idle().await.unwrap();
    let li2 = Phone::logged_in(&server, "lihua-pad", "lihua").await;
    assert_eq!(li2.client.notification_settings().unwrap(), off, "settings travel to the person's other phones");
    let mut ids = Vec::new();
    for title in ["关于报送2027年度提案线索的通知", "关于开展委员读书活动的通知", "关于县政协常委会会议的通知"]
    {
        ids.push(publish(&staff, title, false).await);
    }
    wang.client.sync_until_idle().await.unwrap();
    wang.client.open_notice(&ids[1]).unwrap();
    wang.client.sync_until_idle().await.unwrap();
    until("the notices are gathered", || items_waiting(&server) == 9).await;
    server.clock.advance(chrono::Duration::seconds(6));
    until("the second round is told", || settled(&server) && items_waiting(&server) == 0).await;
    assert_eq!(bodies(&hms, HMS_ZHANG), vec!["1 条新通知", "3 条新通知"]);
    assert_eq!(bodies(&apns, APNS_ZHANG_PAD), vec!["1 条新通知", "3 条新通知"]);
    assert_eq!(bodies(&xiaomi, XIAOMI_LI), vec!["1 条新通知"], "notices are off for 李华");
    assert_eq!(bodies(&xiaomi, XIAOMI_WANG), vec!["1 条新通知", "2 条新通知"], "not the one she had read");

    // At 23:00 China time a notice waits for the morning.
    let night = cst().with_ymd_and_hms(2027, 1, 15, 23, 0, 0).unwrap().with_timezone(&chrono::Utc);
    server.clock.set(night);
    publish(&staff, "关于调整县政协全体会议议程的通知", false).await;
    until("the night's notice is gathered", || items_waiting(&server) == 3).await;
    server.clock.advance(chrono::Duration::minutes(5));
    // 张明's and 王芳's wait for the morning; 李华's (notices off) are dropped.
    until("it is deferred to the morning", || {
        sql_count(&server.state.store, "SELECT count(*) FROM push_items WHERE due > since", []) == 2
            && items_waiting(&server) == 2
    })
    .await;
    assert_eq!(bodies(&hms, HMS_ZHANG).len(), 2, "nothing at night");
    server.clock.set(night + chrono::Duration::hours(8) + chrono::Duration::minutes(1));
    until("the morning's push is sent", || settled(&server) && items_waiting(&server) == 0).await;
    assert_eq!(bodies(&hms, HMS_ZHANG), vec!["1 条新通知", "3 条新通知", "1 条新通知"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_and_dead_tokens_stop_pushes_and_urgent_notices_go_by_sms_where_no_push_reaches() {
    let hms = FakeVendor::start(PushVendor::Hms).await;
    let xiaomi = FakeVendor::start(PushVendor::Xiaomi).await;
    let sms = FakeSms::start(SmsVendor::Aliyun).await;
    let config = push_config(&[&hms, &xiaomi], Some(&sms));
    let server = demo_server_with(sample::fixed_now(), |c| c.push = Some(config)).await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    zhang.client.register_push_token(PushVendor::Hms, HMS_ZHANG).unwrap();
    li.client.register_push_token(PushVendor::Xiaomi, XIAOMI_LI).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    li.client.sync_until_idle().await.unwrap();
    // Administrators keep numbers for urgent text messages (the accounts list's 手机号).
    for (person, phone) in [("demo-wangfang", "13987001234"), ("demo-zhangming", "13987005678")] {
        sql_exec(&server.state.store, "INSERT INTO sms_numbers (person_id, phone) VALUES (?1, ?2)", [person, phone]);
    }

    // An urgent notice: 张明 and 李华 are told by push; 王芳, whom no push reaches, by SMS.
    publish(&staff, "紧急通知：因暴雨预警，明日县政协视察活动取消", true).await;
    until("gathered", || items_waiting(&server) == 3).await;
    server.clock.advance(chrono::Duration::seconds(6));
    until("everyone is told", || settled(&server) && items_waiting(&server) == 0).await;
    assert_eq!(bodies(&hms, HMS_ZHANG), vec!["1 条新通知"]);
    assert_eq!(bodies(&xiaomi, XIAOMI_LI), vec!["1 条新通知"]);
    let texts = sms.messages();
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert_eq!(texts[0].0, "13987001234");
    assert!(sms.requests().iter().all(|r| !r.contains("暴雨")), "no content in the text message either");

    // 李华's token is dead (the app uninstalled): the vendor says so and it is pruned.
    xiaomi.mark_invalid(XIAOMI_LI);
    // 张明 logs out: his device is reached no more.
    zhang.client.logout(true).await.unwrap();
    assert_eq!(
        sql_count(&server.state.store, "SELECT count(*) FROM push_devices WHERE person_id = 'demo-zhangming'", []),
        0
    );
    publish(&staff, "关于县政协机关搬迁期间办公安排的通知", false).await;
    until("gathered", || items_waiting(&server) == 3).await;
    server.clock.advance(chrono::Duration::seconds(6));
    until("sent", || settled(&server) && items_waiting(&server) == 0).await;
    assert_eq!(bodies(&hms, HMS_ZHANG).len(), 1, "nothing after logout");
    assert_eq!(sql_count(&server.state.store, "SELECT count(*) FROM push_sends WHERE state = 'invalid'", []), 1);
    assert_eq!(sql_count(&server.state.store, "SELECT count(*) FROM push_devices", []), 0, "the dead token is pruned");
    publish(&staff, "关于县政协机关搬迁后新址的通知", false).await;
    until("gathered", || items_waiting(&server) == 3).await;
    server.clock.advance(chrono::Duration::seconds(6));
    until("formed", || settled(&server) && items_waiting(&server) == 0).await;
    let to_dead = xiaomi.requests().iter().filter(|r| r.contains(XIAOMI_LI)).count();
    assert_eq!(to_dead, 2, "the pruned token is not asked for again");
}

/// A server process, SIGKILLed when dropped (a failing test leaves none behind).
struct Process(std::process::Child);

impl Process {
    fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A `lvzhi-server` process on `db` listening on `listen`, with push to `hms` (its config file
/// written into `dir`); `--demo` seeds an empty database.
fn start(
    dir: &std::path::Path,
    db: &str,
    listen: &str,
    hms: &FakeVendor,
    coalesce_seconds: u64,
    demo: bool,
) -> (Process, String) {
    let mut config = serde_json::json!({ "coalesce_seconds": coalesce_seconds, "poll_millis": 20 });
    config["hms"] = hms.config_json();
    let file = dir.join("push.json");
    std::fs::write(&file, config.to_string()).unwrap();
    let file = file.to_str().unwrap().to_string();
    let mut args = vec!["--db", db, "--listen", listen, "--login-burst", "1000", "--push-config", file.as_str()];
    if demo {
        args.push("--demo");
    }
    let (child, url) = spawn_server(&args);
    (Process(child), url)
}

/// Waits for `url`'s health route (a restarted process is up).
async fn healthy(url: &str) {
    until("the server answers", || std::net::TcpStream::connect(url.trim_start_matches("http://")).is_ok()).await;
    let _ = reqwest::get(format!("{url}/healthz")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_between_commit_and_send_sends_once_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    let hms = FakeVendor::start(PushVendor::Hms).await;
    let db = dir.path().join("server.db").to_str().unwrap().to_string();
    let (mut server, url) = start(dir.path(), &db, "127.0.0.1:0", &hms, 3, true);
    let now = lvzhi_domain::time::now();
    let staff = Phone::new(dir.path(), "chenjing", &url, now).await;
    staff.login("chenjing").await;
    let zhang = Phone::new(dir.path(), "zhangming", &url, now).await;
    zhang.login("zhangming").await;
    zhang.client.register_push_token(PushVendor::Hms, HMS_ZHANG).unwrap();
    // This process runs on the wall clock: no quiet hours, whatever the hour in China.
    zhang.client.set_notification_settings(no_quiet_hours()).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    staff.client.sync_until_idle().await.unwrap();

    // The notice is committed (the phone heard "applied"); SIGKILL before the window ends.
    staff.client.publish_notice(None, notice("关于召开县政协主席会议的通知", false)).unwrap();
    staff.client.sync_until_idle().await.unwrap();
    server.kill();
    assert!(hms.deliveries().is_empty(), "killed before sending");
    let plain = lvzhi_server::db::Db::open(&lvzhi_server::db::DbLocation::File(db.clone().into())).unwrap();
    let queued = sql_count(&plain, "SELECT count(*) FROM push_events", [])
        + sql_count(&plain, "SELECT count(*) FROM push_items", []);
    assert!(queued > 0, "the event is on disk with the notice");
    drop(plain);

    // Started again on the same file (the same port: the phones' proxies point there).
    let listen = url.trim_start_matches("http://").to_string();
    let (mut server, url) = start(dir.path(), &db, &listen, &hms, 3, false);
    healthy(&url).await;
    until("the push goes out after the restart", || !hms.deliveries().is_empty()).await;
    // Settled: nothing pending; then exactly one push reached the device.
    let plain = lvzhi_server::db::Db::open(&lvzhi_server::db::DbLocation::File(db.clone().into())).unwrap();
    until("the queue is empty", || {
        // (李华's and 王芳's wait for the end of their quiet hours, if it is night in China.)
        sql_count(&plain, "SELECT count(*) FROM push_sends WHERE state = 'pending'", []) == 0
            && sql_count(&plain, "SELECT count(*) FROM push_items WHERE person_id = 'demo-zhangming'", []) == 0
    })
    .await;
    assert_eq!(bodies(&hms, HMS_ZHANG), vec!["1 条新通知"]);
    assert_eq!(sql_count(&plain, "SELECT count(*) FROM push_sends WHERE state = 'sent'", []), 1);
    server.kill();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_postgresql_never_send_one_push_twice() {
    let Some(db) = lvzhi_sql::postgres::testing::fresh_database("push_two_servers") else { return };
    let dir = tempfile::tempdir().unwrap();
    let hms = FakeVendor::start(PushVendor::Hms).await;
    let (mut a, a_url) = start(dir.path(), &db, "127.0.0.1:0", &hms, 1, true);
    let (mut b, b_url) = start(dir.path(), &db, "127.0.0.1:0", &hms, 1, false);
    let now = lvzhi_domain::time::now();
    let staff = Phone::new(dir.path(), "chenjing", &a_url, now).await;
    staff.login("chenjing").await;
    staff.client.sync_until_idle().await.unwrap();

    // 300 devices of 宾川's three members, registered through both processes.
    let mut tokens = Vec::new();
    for (i, login) in ["zhangming", "lihua", "wangfang"].iter().cycle().take(6).enumerate() {
        let url = if i % 2 == 0 { &a_url } else { &b_url };
        let p = Phone::new(dir.path(), &format!("{login}-{i}"), url, now).await;
        p.login(login).await;
        let token = format!("IQAAAACy0kYsAADh9Xq2bGpRk3zC{i:04}");
        p.client.register_push_token(PushVendor::Hms, &token).unwrap();
        // These processes run on the wall clock: no quiet hours, whatever the hour in China.
        p.client.set_notification_settings(no_quiet_hours()).unwrap();
        p.client.sync_until_idle().await.unwrap();
        tokens.push(token);
    }
    let store = lvzhi_server::db::Db::open(&lvzhi_server::db::DbLocation::Postgres(db.clone())).unwrap();
    // Many more devices, as a province has: sessions and tokens written directly.
    for i in 0..294 {
        let person = ["demo-zhangming", "demo-lihua", "demo-wangfang"][i % 3];
        let session = format!("bulk-session-{i}");
        sql_exec(
            &store,
            "INSERT INTO auth_sessions (id, person_id, device_name, access_hash, access_expires_at, refresh_hash,
                 refresh_expires_at, created_at, last_seen_at) VALUES (?1, ?2, '测试手机', ?3, 0, ?4, 0, 0, 0)",
            [session.clone(), person.to_string(), format!("a-{i}"), format!("r-{i}")],
        );
        let token = format!("IQAAAACy0kYsAADh9Xq2bGpRk3zCbulk{i:04}");
        sql_exec(
            &store,
            "INSERT INTO push_devices (client_id, person_id, session_id, vendor, token, registered_at)
             VALUES (?1, ?2, ?3, 'hms', ?4, 0)",
            [format!("bulk-{i}"), person.to_string(), session, token.clone()],
        );
        tokens.push(token);
    }
    // Five notices, one at a time, each told before the next; both processes' senders run.
    for (round, title) in [
        "关于报送年度履职情况的通知",
        "关于参加专题调研的通知",
        "关于提交社情民意信息的通知",
        "关于委员培训的通知",
        "关于年终座谈会的通知",
    ]
    .into_iter()
    .enumerate()
    {
        staff.client.publish_notice(None, notice(title, false)).unwrap();
        staff.client.sync_until_idle().await.unwrap();
        until("every device told", || hms.deliveries().len() == 300 * (round + 1)).await;
    }
    until("the queue is empty", || {
        sql_count(&store, "SELECT count(*) FROM push_sends WHERE state = 'pending'", []) == 0
            && sql_count(&store, "SELECT count(*) FROM push_items", []) == 0
    })
    .await;
    let delivered = hms.deliveries();
    assert_eq!(delivered.len(), 1500, "five pushes to each of 300 devices, none twice");
    for token in &tokens {
        assert_eq!(delivered.iter().filter(|d| &d.token == token).count(), 5, "{token}");
    }
    let claimed_by: i64 = sql_count(&store, "SELECT count(DISTINCT claimed_by) FROM push_sends", []);
    assert_eq!(claimed_by, 0, "every claim released");
    a.kill();
    b.kill();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organisation_may_allow_a_notices_title_in_its_push() {
    let hms = FakeVendor::start(PushVendor::Hms).await;
    let config = push_config(&[&hms], None);
    let server = demo_server_with(sample::fixed_now(), |c| c.push = Some(config)).await;
    let settings = lvzhi_domain::org::OrgSettings { push_titles: true, ..Default::default() };
    server.state.store.write(|tx| lvzhi_store::org::set_org_settings(tx, "yn-12-03", &settings)).unwrap();
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    zhang.client.register_push_token(PushVendor::Hms, HMS_ZHANG).unwrap();
    zhang.client.sync_until_idle().await.unwrap();

    // One notice: its title (the organisation allows it); two together: the count only.
    publish(&staff, "关于召开宾川县政协十届五次常委会议的通知", false).await;
    until("gathered", || items_waiting(&server) == 3).await;
    server.clock.advance(chrono::Duration::seconds(6));
    until("told", || settled(&server) && items_waiting(&server) == 0).await;
    publish(&staff, "关于报送2027年度重点提案建议的通知", false).await;
    publish(&staff, "关于开展“委员进基层”活动的通知", false).await;
    until("gathered", || items_waiting(&server) == 6).await;
    server.clock.advance(chrono::Duration::seconds(6));
    until("told", || settled(&server) && items_waiting(&server) == 0).await;
    assert_eq!(bodies(&hms, HMS_ZHANG), vec!["关于召开宾川县政协十届五次常委会议的通知", "2 条新通知"]);
}

/// A resident's message at a 委员工作室 is pushed to the member on duty that day only, as a count
/// with no text; one answered within the window is not pushed at all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_studio_message_is_pushed_to_the_member_on_duty_and_not_once_answered() {
    use lvzhi_domain::liaison::studio::{DutyDay, StudioDraft};
    let hms = FakeVendor::start(PushVendor::Hms).await;
    let xiaomi = FakeVendor::start(PushVendor::Xiaomi).await;
    let config = push_config(&[&hms, &xiaomi], None);
    let server = demo_server_with(sample::fixed_now(), |c| c.push = Some(config)).await;
    let staff = Phone::logged_in(&server, "chenjing", "chenjing").await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    zhang.client.register_push_token(PushVendor::Hms, HMS_ZHANG).unwrap();
    li.client.register_push_token(PushVendor::Xiaomi, XIAOMI_LI).unwrap();
    let draft = StudioDraft {
        name: "金牛镇委员工作室".into(),
        place: "宾川县金牛镇文化站二楼".into(),
        opening_hours: String::new(),
        member_ids: vec!["demo-zhangming".into(), "demo-lihua".into()],
        roster: vec![DutyDay { date: "2027-01-15".into(), person_ids: vec!["demo-zhangming".into()] }],
        open: true,
    };
    let studio = staff.client.save_studio(None, draft).unwrap();
    for p in [&staff, &zhang, &li] {
        p.client.sync_until_idle().await.unwrap();
    }
    let leave = |text: &'static str| {
        let url = format!("{}/studio/{studio}", server.url);
        let studio = studio.clone();
        async move {
            let http = reqwest::Client::new();
            let page = http.get(&url).send().await.unwrap().text().await.unwrap();
            let start = page.find("name=\"challenge\" value=\"").unwrap() + 24;
            let challenge = page[start..start + page[start..].find('"').unwrap()].to_string();
            let nonce = (0u64..)
                .map(|n| n.to_string())
                .find(|n| lvzhi_server::studio::work_done(&challenge, &studio, n, 16))
                .unwrap();
            let form = [("text", text), ("phone", "13888001122"), ("challenge", &challenge), ("nonce", &nonce)];
            assert_eq!(http.post(&url).form(&form).send().await.unwrap().status(), 200);
        }
    };
    leave("金牛镇至大营镇的村道有三处塌方，雨季通行危险。").await;
    until("the message is gathered", || items_waiting(&server) == 1).await;
    server.clock.advance(chrono::Duration::seconds(6));
    until("the member on duty is told", || settled(&server) && items_waiting(&server) == 0).await;
    assert_eq!(bodies(&hms, HMS_ZHANG), vec!["1 条工作室留言"]);
    assert!(bodies(&xiaomi, XIAOMI_LI).is_empty(), "李华 is not on duty today");
    assert!(hms.deliveries().iter().all(|d| !d.body.contains("塌方")));

    // Answered before the window passes: nothing to tell.
    leave("村口路灯坏了三盏。").await;
    until("the second message is gathered", || items_waiting(&server) == 1).await;
    zhang.client.sync_until_idle().await.unwrap();
    let m = zhang.client.studio_messages().unwrap().into_iter().find(|m| m.message.text.contains("路灯")).unwrap();
    zhang.client.answer_studio_message(&m.message.id, "已报镇政府，本周修复。").unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    server.clock.advance(chrono::Duration::seconds(6));
    until("the queue settles", || settled(&server) && items_waiting(&server) == 0).await;
    assert_eq!(bodies(&hms, HMS_ZHANG).len(), 1, "no push for an answered message");
}

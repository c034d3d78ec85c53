//! Abuse limits and session security against a real server: login rates per address, reused
//! refresh tokens, half-open connections, connections per address, malformed mutation ids,
//! and the audit log that records it all for the organisation's administrators.

use std::io::{Read, Write};
use std::net::{IpAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use lvzhi_domain::protocol::{AuditEntry, LoginRequest, RefreshRequest, Tokens};
use lvzhi_server::limits::{Limits, Rate};
use lvzhi_server::{AppState, Config, Running, bootstrap, serve};
use lvzhi_store::sample;
use lvzhi_tests::{PASSWORD, post_sync};

/// The demo server with the production limits (or `limits`).
async fn server(limits: Limits) -> (Running, Arc<AppState>, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::new(lvzhi_tests::server_db(dir.path()), "127.0.0.1:0".parse().unwrap());
    config.limits = limits;
    let state = Arc::new(AppState::open(config).unwrap());
    let st = state.clone();
    tokio::task::spawn_blocking(move || bootstrap::seed_demo(&st.store, sample::fixed_now()).unwrap()).await.unwrap();
    let running = serve(state.clone(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let url = format!("http://{}", running.addr);
    (running, state, url, dir)
}

/// An HTTP client whose connections come from `from` (any of 127.0.0.0/8 reaches the server).
fn client_from(from: &str) -> reqwest::Client {
    reqwest::Client::builder().local_address(from.parse::<IpAddr>().unwrap()).build().unwrap()
}

async fn login(c: &reqwest::Client, url: &str, login: &str, password: &str) -> reqwest::Response {
    let body = LoginRequest { login: login.into(), password: password.into(), device_name: "测试".into() };
    c.post(format!("{url}/v1/login")).json(&body).send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sixth_rapid_login_from_one_address_waits_while_another_address_logs_in() {
    // The production burst of 5, refilled slowly enough that no token comes back while a busy
    // CI machine hashes the first five passwords.
    let limits = Limits { auth_per_address: Rate::new(5, 1), ..Limits::default() };
    let (running, _state, url, _dir) = server(limits).await;
    let here = client_from("127.0.0.1");
    for n in 1..=5 {
        let r = login(&here, &url, &format!("guess{n}"), "wrong-password").await;
        assert_eq!(r.status(), 401, "attempt {n}");
    }
    let sixth = login(&here, &url, "zhangming", PASSWORD).await;
    assert_eq!(sixth.status(), 429);
    let retry_after: u64 = sixth.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let body: serde_json::Value = sixth.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().starts_with("登录过于频繁"), "{body}");
    // Another address is not held up by this one.
    let elsewhere = login(&client_from("127.0.0.2"), &url, "zhangming", PASSWORD).await;
    assert_eq!(elsewhere.status(), 200);
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reused_refresh_token_kills_its_session_and_leaves_an_audit_entry() {
    let (running, state, url, _dir) = server(Limits::relaxed()).await;
    let c = reqwest::Client::new();
    let first: Tokens = login(&c, &url, "zhangming", PASSWORD).await.json().await.unwrap();
    let refresh = |token: String| {
        let (c, url) = (c.clone(), url.clone());
        async move {
            c.post(format!("{url}/v1/refresh")).json(&RefreshRequest { refresh_token: token }).send().await.unwrap()
        }
    };
    let second: Tokens = refresh(first.refresh_token.clone()).await.json().await.unwrap();
    let sessions = |token: String| {
        let (c, url) = (c.clone(), url.clone());
        async move { c.get(format!("{url}/v1/sessions")).bearer_auth(token).send().await.unwrap().status() }
    };
    assert_eq!(sessions(second.access_token.clone()).await, 200);
    // Someone replays the first refresh token: refused, and the session is gone for everyone.
    assert_eq!(refresh(first.refresh_token.clone()).await.status(), 401);
    assert_eq!(sessions(second.access_token.clone()).await, 401, "the new access token stops working");
    assert_eq!(refresh(second.refresh_token.clone()).await.status(), 401);

    // The organisation's administrator reads what happened; a member may not.
    let admin: Tokens = login(&c, &url, "zhaolei", PASSWORD).await.json().await.unwrap();
    let audit = c.get(format!("{url}/v1/audit?org=yn-12-03")).bearer_auth(&admin.access_token).send().await.unwrap();
    assert_eq!(audit.status(), 200);
    let entries: Vec<AuditEntry> = audit.json().await.unwrap();
    let reuse = entries.iter().find(|e| e.kind == "refresh_reused").expect("the reuse is audited");
    assert_eq!(reuse.person_name.as_deref(), Some("张明"));
    assert_eq!(reuse.kind_label, "刷新令牌被重复使用，会话已注销");
    let logged_in =
        entries.iter().find(|e| e.kind == "login_succeeded" && e.person_id.as_deref() == Some("demo-zhangming"));
    assert_eq!(logged_in.and_then(|e| e.address.as_deref()), Some("127.0.0.1"));
    let member: Tokens = login(&c, &url, "lihua", PASSWORD).await.json().await.unwrap();
    let refused = c.get(format!("{url}/v1/audit?org=yn-12-03")).bearer_auth(&member.access_token).send().await.unwrap();
    assert_eq!(refused.status(), 403);
    // Nobody edits the log, not even with SQL on the server's own file.
    let edit =
        state.store.write(|tx| tx.execute("UPDATE audit_log SET detail = 'x'", []).map_err(lvzhi_store::Error::from));
    assert!(edit.is_err());
    let erase = state.store.write(|tx| tx.execute("DELETE FROM audit_log", []).map_err(lvzhi_store::Error::from));
    assert!(erase.is_err());
    running.stop().await.unwrap();
}

/// Reads until the server closes the connection; true if it did within the generous cap.
fn closed_by_server(mut s: TcpStream) -> bool {
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut buf = [0u8; 256];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_half_open_connections_are_closed_after_the_header_timeout() {
    let limits = Limits { header_timeout: Duration::from_secs(1), ..Limits::relaxed() };
    let (running, _state, url, _dir) = server(limits).await;
    let addr = running.addr;
    let all_closed = tokio::task::spawn_blocking(move || {
        let sockets: Vec<TcpStream> = (0..200)
            .map(|_| {
                let mut s = TcpStream::connect(addr).unwrap();
                s.write_all(b"POST /v1/login HTTP/1.1\r\nHost: lvzhi\r\nContent-Type: appl").unwrap();
                s
            })
            .collect();
        sockets.into_iter().map(closed_by_server).filter(|closed| *closed).count()
    })
    .await
    .unwrap();
    assert_eq!(all_closed, 200);
    // A whole request still gets its answer.
    let pong = reqwest::get(format!("{url}/v1/ping")).await.unwrap().text().await.unwrap();
    assert_eq!(pong, "pong");
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_may_hold_only_so_many_connections() {
    let limits = Limits { connections_per_address: 3, ..Limits::relaxed() };
    let (running, _state, url, _dir) = server(limits).await;
    let addr = running.addr;
    let third_closed = tokio::task::spawn_blocking(move || {
        let held: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(addr).unwrap()).collect();
        let fourth = TcpStream::connect(addr).unwrap();
        let closed = closed_by_server(fourth);
        drop(held);
        closed
    })
    .await
    .unwrap();
    assert!(third_closed, "the connection over the cap is closed at once");
    // Freed slots serve again, once the server has seen the held connections close (a generous
    // cap on the wait, no timing asserted).
    let mut pong = String::new();
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("{url}/v1/ping")).await {
            pong = r.text().await.unwrap();
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(pong, "pong");
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mutation_numbered_zero_is_refused_as_malformed() {
    let (running, _state, url, _dir) = server(Limits::relaxed()).await;
    let c = reqwest::Client::new();
    let tokens: Tokens = login(&c, &url, "zhangming", PASSWORD).await.json().await.unwrap();
    let body = serde_json::json!({
        "protocol": 1,
        "client_id": "phone-zero",
        "mutations": [{
            "id": 0,
            "acting_as": { "role": "Member", "org_id": "yn-12-03" },
            "kind": { "type": "mark_read", "group_id": "g", "seq": 1 }
        }],
        "cursors": {}
    });
    let r = post_sync(&url, &tokens.access_token, &body).await;
    assert_eq!(r.status(), 400);
    let error: serde_json::Value = r.json().await.unwrap();
    assert_eq!(error["error"], "操作编号从1开始，0无效");
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_warns_about_unsent_work_then_wipes_and_the_next_person_starts_empty() {
    let server = lvzhi_tests::demo_server(sample::fixed_now()).await;
    let phone = lvzhi_tests::Phone::logged_in(&server, "shared-phone", "zhangming").await;
    phone.offline();
    let title = "关于加强宾川县农村饮水安全保障的提案";
    let content =
        lvzhi_domain::proposal::ProposalContent { title: title.into(), ..sample::proposal_content(3, "宾川县") };
    phone.client.create_draft(content).unwrap();
    // Unsent work: the app is told, and nothing is lost until the member confirms.
    match phone.client.logout(false).await {
        Err(lvzhi_sync::Error::UnsentWork { count }) => assert_eq!(count, 1),
        other => panic!("expected a warning, got {other:?}"),
    }
    assert_eq!(phone.client.proposals().unwrap().len(), 1);
    phone.client.logout(true).await.unwrap();
    let count = |sql: &str| lvzhi_tests::sql_count(phone.client.store(), sql, []);
    assert_eq!(count("SELECT count(*) FROM proposals"), 0);
    assert_eq!(count("SELECT count(*) FROM outbox"), 0);
    assert_eq!(count("SELECT count(*) FROM people"), 0);
    assert_eq!(count("SELECT count(*) FROM sync_meta WHERE key IN ('tokens', 'owner')"), 0);
    // Not a word of the draft is left in the file.
    let bytes = std::fs::read(&phone.db).unwrap();
    let needle = "农村饮水安全".as_bytes();
    assert!(!bytes.windows(needle.len()).any(|w| w == needle), "the draft's text is still on disk");

    // Someone else logs in on the same phone and sees nothing of the last person.
    phone.online();
    phone.login("lihua").await;
    phone.client.sync_until_idle().await.unwrap();
    assert!(phone.client.proposals().unwrap().is_empty());
    assert_eq!(phone.client.me().unwrap().name, "李华");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_person_logging_in_on_a_phone_that_holds_someone_elses_data_starts_empty() {
    let server = lvzhi_tests::demo_server(sample::fixed_now()).await;
    let phone = lvzhi_tests::Phone::logged_in(&server, "passed-on", "zhangming").await;
    let group_free_draft = lvzhi_domain::proposal::ProposalContent {
        title: "关于推进洱海流域农业面源污染治理的提案".into(),
        ..sample::proposal_content(1, "宾川县")
    };
    phone.client.create_draft(group_free_draft).unwrap();
    phone.client.sync_until_idle().await.unwrap();
    // No logout: the phone simply changes hands.
    phone.login("wangfang").await;
    phone.client.sync_until_idle().await.unwrap();
    assert!(phone.client.proposals().unwrap().is_empty(), "王芳 sees none of 张明's drafts");
    assert_eq!(lvzhi_tests::sql_count(phone.client.store(), "SELECT count(*) FROM proposals", []), 0);
}

/// The phone's database on disk: encrypted, no draft text in the file or its WAL, and a wrong
/// key is a typed error with a sentence for the member.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phones_database_holds_no_draft_text_on_disk_and_refuses_a_wrong_key() {
    let server = lvzhi_tests::demo_server(sample::fixed_now()).await;
    let phone = lvzhi_tests::Phone::logged_in(&server, "encrypted-phone", "zhangming").await;
    let title = "关于宾川县葡萄冻害后补种扶持的提案";
    let content = lvzhi_domain::proposal::ProposalContent {
        attachments: Vec::new(),
        title: title.into(),
        cause: "去冬今春的冻害使金牛镇葡萄减产三成。".into(),
        suggestions: "设立补种专项资金。".into(),
        category: "经济建设".into(),
    };
    phone.client.create_draft(content).unwrap();
    let mut on_disk = std::fs::read(&phone.db).unwrap();
    on_disk.extend(std::fs::read(format!("{}-wal", phone.db.display())).unwrap_or_default());
    for text in [title, "金牛镇葡萄减产三成", "张明"] {
        assert!(!on_disk.windows(text.len()).any(|w| w == text.as_bytes()), "{text} is on disk in the clear");
    }
    let wrong = lvzhi_store::DbKey::from_bytes(&[1; 32]).unwrap();
    let err = lvzhi_client::Client::open_encrypted(&phone.db, &wrong, &server.url, &[]).err().unwrap();
    assert_eq!(err.user_message(), "本机数据无法用当前密钥打开，请重新登录");
    // The right key still opens it, with the draft.
    let again = lvzhi_client::Client::open_encrypted(&phone.db, &lvzhi_tests::test_key(), &server.url, &[]).unwrap();
    assert!(again.proposals().unwrap().iter().any(|p| p.title == title));
}

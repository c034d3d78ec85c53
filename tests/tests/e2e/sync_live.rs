//! Live behaviour of sync: long-poll wake-ups, the background loop flushing the outbox when the
//! network returns, data leaving a phone with access, a scope reset after compaction, and the
//! login throttle.

use std::time::Duration;

use lvzhi_domain::org::Role;
use lvzhi_domain::proposal::*;
use lvzhi_domain::protocol::{ActingAs, LoginRequest};
use lvzhi_store::proposal::repo;
use lvzhi_store::sample;
use lvzhi_sync::{LoopSettings, SyncState};
use lvzhi_tests::{Phone, TestServer, demo_server, sql_count};

const COUNTY: &str = "yn-12-03";
const SESSION: &str = "yn-12-03-s3";

fn as_member() -> ActingAs {
    ActingAs { role: Role::Member, org_id: COUNTY.into() }
}

async fn phone(server: &TestServer, name: &str, login: &str) -> Phone {
    let p = Phone::new(server.dir.path(), name, &server.url, server.clock.now()).await;
    p.login(login).await;
    p.client.sync_until_idle().await.unwrap();
    p
}

fn local(p: &Phone, id: &str) -> Option<Proposal> {
    p.client.store().read(|c| repo::load(c, id)).unwrap()
}

/// Waits (without asserting on time) until `check` holds, for at most a generous while.
async fn eventually(mut check: impl FnMut() -> bool) -> bool {
    for _ in 0..400 {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_poll_wakes_when_another_device_changes_something() {
    let server = demo_server(sample::fixed_now()).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let li = phone(&server, "lihua", "lihua").await;
    let p = zhang.client.create_proposal(&as_member(), SESSION, sample::proposal_content(3, "宾川县")).unwrap();
    zhang.client.sync_until_idle().await.unwrap();

    // 李华 waits for news (up to 30 s); 张明's invitation wakes her.
    let waiting = tokio::spawn(async move {
        let applied = li.client.sync_once(30).await.unwrap();
        (li, applied)
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    zhang.client.act(&as_member(), &p.id, Action::Invite { person_id: "demo-lihua".into() }).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    let (li, applied) =
        tokio::time::timeout(Duration::from_secs(20), waiting).await.expect("woken before its timeout").unwrap();
    assert!(applied.changed_proposals.contains(&p.id));
    assert!(local(&li, &p.id).is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_background_loop_flushes_the_outbox_when_the_network_returns() {
    let server = demo_server(sample::fixed_now()).await;
    let zhang = std::sync::Arc::new(phone(&server, "zhangming", "zhangming").await);
    zhang.offline();
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let settings = LoopSettings {
        long_poll_secs: 2,
        min_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(200),
    };
    let z = zhang.clone();
    let task = tokio::spawn(async move { z.client.run(settings, stop_rx).await });
    let p = zhang.client.create_proposal(&as_member(), SESSION, sample::proposal_content(5, "宾川县")).unwrap();
    assert!(eventually(|| zhang.client.status().state == SyncState::Offline).await);
    assert_eq!(zhang.client.status().pending, 1);
    zhang.online();
    assert!(eventually(|| zhang.client.status().pending == 0).await, "flushed by itself");
    assert!(server.state.store.read(|c| repo::load(c, &p.id)).unwrap().is_some());
    assert!(zhang.client.status().last_success_ms.is_some());
    stop_tx.send(true).unwrap();
    task.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_removed_invitee_loses_the_draft_from_her_phone() {
    let server = demo_server(sample::fixed_now()).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let li = phone(&server, "lihua", "lihua").await;
    let p = zhang.client.create_proposal(&as_member(), SESSION, sample::proposal_content(6, "宾川县")).unwrap();
    zhang.client.act(&as_member(), &p.id, Action::Invite { person_id: "demo-lihua".into() }).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    li.client.sync_until_idle().await.unwrap();
    assert!(local(&li, &p.id).is_some());
    zhang.client.act(&as_member(), &p.id, Action::RemoveInvitee { person_id: "demo-lihua".into() }).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    li.client.sync_until_idle().await.unwrap();
    assert!(local(&li, &p.id).is_none(), "the draft left her phone");
    let leftovers =
        sql_count(li.client.store(), "SELECT count(*) FROM proposal_history WHERE proposal_id = ?1", [&p.id]);
    assert_eq!(leftovers, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cursor_older_than_the_compaction_horizon_resets_its_scope_and_keeps_the_outbox() {
    let server = demo_server(sample::fixed_now()).await;
    let zhang = phone(&server, "zhangming", "zhangming").await;
    let li = phone(&server, "lihua", "lihua").await;
    let p = zhang.client.create_proposal(&as_member(), SESSION, sample::proposal_content(7, "宾川县")).unwrap();
    zhang.client.act(&as_member(), &p.id, Action::Invite { person_id: "demo-lihua".into() }).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    li.client.sync_until_idle().await.unwrap();
    // 李华 stays offline for months with a draft of her own pending.
    li.offline();
    let hers = li.client.create_proposal(&as_member(), SESSION, sample::proposal_content(8, "宾川县")).unwrap();
    for n in 0..3 {
        let content = ProposalContent {
            title: format!("关于做好易地扶贫搬迁后续帮扶的提案（第{n}稿）"),
            ..sample::proposal_content(13, "宾川县")
        };
        zhang.client.act(&as_member(), &p.id, Action::SaveDraft { content }).unwrap();
        zhang.client.sync_until_idle().await.unwrap();
    }
    server.clock.advance(chrono::Duration::days(100));
    let removed = server
        .state
        .store
        .write(|tx| lvzhi_server::changes::compact(tx, server.clock.now() - chrono::Duration::days(90)))
        .unwrap();
    assert!(removed > 0);
    li.clock.advance(chrono::Duration::days(100));
    li.online();
    li.client.sync_until_idle().await.unwrap();
    let title = local(&li, &p.id).unwrap().content.title;
    assert_eq!(title, "关于做好易地扶贫搬迁后续帮扶的提案（第2稿）");
    assert!(server.state.store.read(|c| repo::load(c, &hers.id)).unwrap().is_some(), "her outbox survived the reset");
    assert!(local(&li, &hers.id).is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_wrong_passwords_are_throttled() {
    let server = demo_server(sample::fixed_now()).await;
    let http = reqwest::Client::new();
    let attempt = |password: &str| {
        http.post(format!("{}/v1/login", server.url))
            .json(&LoginRequest { login: "wangfang".into(), password: password.into(), device_name: "测试".into() })
            .send()
    };
    for _ in 0..5 {
        assert_eq!(attempt("wrong-password").await.unwrap().status(), 401);
    }
    // The sixth try comes too soon after the fifth failure, even with the right password.
    let throttled = attempt(lvzhi_tests::PASSWORD).await.unwrap();
    assert_eq!(throttled.status(), 429);
    assert!(throttled.text().await.unwrap().contains("登录失败次数过多"));
    server.clock.advance(chrono::Duration::seconds(2));
    assert_eq!(attempt(lvzhi_tests::PASSWORD).await.unwrap().status(), 200);
    // 100 failures in an hour lock the account for the hour.
    server
        .state
        .store
        .write(|tx| {
            for _ in 0..100 {
                tx.execute(
                    "INSERT INTO login_failures (login, at) VALUES ('wangfang', ?1)",
                    [lvzhi_domain::time::to_millis(server.clock.now())],
                )?;
            }
            Ok::<_, lvzhi_store::Error>(())
        })
        .unwrap();
    server.clock.advance(chrono::Duration::minutes(10));
    assert_eq!(attempt(lvzhi_tests::PASSWORD).await.unwrap().status(), 429);
    server.clock.advance(chrono::Duration::minutes(51));
    assert_eq!(attempt(lvzhi_tests::PASSWORD).await.unwrap().status(), 200);
}

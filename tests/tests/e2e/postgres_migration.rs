//! `lvzhi-server migrate-to-postgres`: a province's SQLite server moves to PostgreSQL, and its
//! phones go on syncing against the new server at the same address: no reset, no loss, nothing
//! sent twice.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use lvzhi_server::db::{Db, DbLocation};
use lvzhi_server::{AppState, Config, serve};
use lvzhi_store::sample;
use lvzhi_tests::{Phone, demo_server_at, sql_count, sql_strings, study_group};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phones_synced_against_sqlite_keep_syncing_against_postgres() {
    let Some(url) = lvzhi_sql::postgres::testing::fresh_database("moved") else { return };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("server.db");
    let server = demo_server_at(dir, DbLocation::File(file.clone()), sample::fixed_now()).await;
    let (staff, group) = study_group(&server).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let li = Phone::logged_in(&server, "lihua", "lihua").await;
    let draft = zhang.client.create_draft(sample::proposal_content(1, "宾川县")).unwrap();
    zhang.client.send_message(&group, "搬迁前：关于乔甸镇肉牛养殖的学习体会", None, vec![]).unwrap();
    for p in [&zhang, &li, &staff] {
        p.client.sync_until_idle().await.unwrap();
    }
    // 张明 goes on working offline while the server moves.
    zhang.offline();
    zhang.client.send_message(&group, "搬迁中写的：洱海保护的几点建议", None, vec![]).unwrap();
    let second = zhang.client.create_draft(sample::proposal_content(2, "宾川县")).unwrap();

    let addr = server.running.addr;
    let clock = server.clock.clone();
    server.running.stop().await.unwrap();
    drop(server.state);
    let (from, to) = (file.clone(), url.clone());
    let moved =
        tokio::task::spawn_blocking(move || lvzhi_server::migrate::to_postgres(&from, &to)).await.unwrap().unwrap();
    assert!(moved.tables > 40 && moved.rows > 1000, "{moved:?}");
    // Into a database that has data already: refused, nothing changed.
    let (from, to) = (file.clone(), url.clone());
    let again = tokio::task::spawn_blocking(move || lvzhi_server::migrate::to_postgres(&from, &to)).await.unwrap();
    assert!(again.unwrap_err().to_string().contains("already has data"));

    // The same address, now on PostgreSQL.
    let mut config = Config::new(DbLocation::Postgres(url.clone()), addr);
    config.clock = clock.clock();
    config.limits = lvzhi_server::limits::Limits::relaxed();
    let state = Arc::new(AppState::open(config).unwrap());
    let running = serve(state.clone(), addr).await.unwrap();

    // 李华's phone finds nothing new: her cursors are good on the new server (a reset would
    // send her scopes again).
    let before = li.proxy.state.bytes_down.load(Ordering::SeqCst);
    li.client.sync_until_idle().await.unwrap();
    let idle = li.proxy.state.bytes_down.load(Ordering::SeqCst) - before;
    assert!(idle < 2_000, "an idle sync after the move took {idle} bytes: a reset?");

    // 张明's offline work goes up once, in order; everyone gets it.
    zhang.online();
    zhang.client.sync_until_idle().await.unwrap();
    assert!(zhang.client.outbox().unwrap().is_empty());
    li.client.send_message(&group, "搬迁后：收到，谢谢张明委员。", None, vec![]).unwrap();
    for p in [&li, &staff, &zhang, &li] {
        p.client.sync_until_idle().await.unwrap();
    }
    let db: &Db = &state.store;
    let stored = sql_strings(db, "SELECT text FROM chat_messages WHERE group_id = ?1 ORDER BY seq", [&group]);
    assert_eq!(
        stored,
        ["搬迁前：关于乔甸镇肉牛养殖的学习体会", "搬迁中写的：洱海保护的几点建议", "搬迁后：收到，谢谢张明委员。"]
    );
    for p in [&zhang, &li, &staff] {
        let texts: Vec<String> = p.client.timeline(&group, 100).unwrap().into_iter().map(|i| i.text).collect();
        assert_eq!(texts, stored, "{}", p.name);
    }
    assert_eq!(sql_count(db, "SELECT count(*) FROM proposals WHERE id IN (?1, ?2)", [&draft.id, &second.id]), 2);
    running.stop().await.unwrap();
}

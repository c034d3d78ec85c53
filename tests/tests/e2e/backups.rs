//! A backup taken while phones write, restored in place of the database: the phones go on
//! syncing and end equal to the restored server, their outboxes intact (their cursors and
//! mutation ids are ahead of it, and the server takes them back rather than refusing them).

use std::collections::BTreeSet;
use std::sync::Arc;

use lvzhi_domain::proposal::ProposalContent;
use lvzhi_server::limits::Limits;
use lvzhi_server::{AppState, Config, backup, serve};
use lvzhi_store::sample;
use lvzhi_tests::{Phone, demo_server, sql_strings};

fn draft(n: usize) -> ProposalContent {
    ProposalContent {
        title: format!("关于乡村振兴第{n}项工作的提案"), ..sample::proposal_content(n, "宾川县")
    }
}

/// The proposal ids a store holds.
fn ids(store: &impl lvzhi_tests::Database) -> BTreeSet<String> {
    sql_strings(store, "SELECT id FROM proposals ORDER BY id", []).into_iter().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_restores_and_the_phones_converge_without_losing_their_outbox() {
    if lvzhi_tests::on_postgres() {
        // `lvzhi-server backup` copies an SQLite file; a PostgreSQL server is backed up with
        // PostgreSQL's own tools (README).
        eprintln!("skipped on PostgreSQL: backups are of the SQLite server");
        return;
    }
    let server = demo_server(sample::fixed_now()).await;
    let zhang = Phone::logged_in(&server, "zhangming", "zhangming").await;
    let li = Arc::new(Phone::logged_in(&server, "lihua", "lihua").await);
    for n in 0..3 {
        zhang.client.create_draft(draft(n)).unwrap();
    }
    zhang.client.sync_until_idle().await.unwrap();

    // 李华 keeps writing while the backup is taken.
    let writer = {
        let li = li.clone();
        tokio::spawn(async move {
            for n in 100..120 {
                li.client.create_draft(draft(n)).unwrap();
                li.client.sync_once(0).await.unwrap();
            }
        })
    };
    let backup_file = server.dir.path().join("backup.db");
    let (st, file) = (server.state.clone(), backup_file.clone());
    tokio::task::spawn_blocking(move || st.store.sqlite().expect("backups are of SQLite servers").backup_to(&file))
        .await
        .unwrap()
        .unwrap();
    writer.await.unwrap();

    // After the backup: two drafts the server acknowledges (and will lose), one still unsent.
    zhang.client.create_draft(draft(10)).unwrap();
    zhang.client.create_draft(draft(11)).unwrap();
    zhang.client.sync_until_idle().await.unwrap();
    zhang.offline();
    let unsent = zhang.client.create_draft(draft(12)).unwrap();

    // The server is stopped, the backup restored in place of its database, and it starts again
    // at the same address.
    let addr = server.running.addr;
    let clock = server.clock.clone();
    let dir = server.dir;
    server.running.stop().await.unwrap();
    let db = dir.path().join("server.db");
    backup::restore(&backup_file, &db, clock.now()).unwrap();
    let mut config = Config::new(&db, addr);
    config.clock = clock.clock();
    config.limits = Limits::relaxed();
    let state = Arc::new(AppState::open(config).unwrap());
    let restored = serve(state.clone(), addr).await.unwrap();

    zhang.online();
    for phone in [&zhang, &*li] {
        phone.client.sync_until_idle().await.unwrap();
        assert!(phone.client.outbox_items().unwrap().is_empty(), "{}: the outbox went through", phone.name);
    }
    // The unsent draft reached the restored server; each phone holds exactly what it may see.
    assert!(ids(&state.store).contains(&unsent.id));
    for phone in [&zhang, &*li] {
        let on_phone = ids(phone.client.store());
        let visible: BTreeSet<String> = phone.client.proposals().unwrap().into_iter().map(|p| p.id).collect();
        assert_eq!(on_phone, visible, "{}", phone.name);
        assert!(on_phone.is_subset(&ids(&state.store)), "{}: nothing the server does not have", phone.name);
    }
    let zhang_titles: BTreeSet<String> = zhang.client.proposals().unwrap().into_iter().map(|p| p.title).collect();
    assert!(zhang_titles.contains("关于乡村振兴第12项工作的提案"));
    assert!(!zhang_titles.contains("关于乡村振兴第10项工作的提案"), "lost with the server's data since the backup");
    restored.stop().await.unwrap();
}

//! A server and a phone that ran the code from before the split into crates (their databases
//! written by commit 9d9503e, kept as fixtures) are upgraded in place and go on syncing: the
//! phone's unsent draft and message reach the server, nothing is reset or lost.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lvzhi_domain::org::{Actor, Role};
use lvzhi_domain::proposal::ProposalState;
use lvzhi_server::{AppState, Config, serve};
use lvzhi_store::proposal::service;
use lvzhi_store::sample;
use lvzhi_tests::{Phone, TestClock, sql_count};

const DRAFT: &str = "e2c800d803e5be0dd8703f2df626ef37";
const GROUP: &str = "bca34cc756232710d5800934b1709a8d";

fn fixture(name: &str, dir: &Path) -> PathBuf {
    let gz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/store/tests/fixtures").join(format!("{name}.gz"));
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(gz).unwrap()).read_to_end(&mut bytes).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upgraded_server_and_phone_go_on_syncing_with_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let now = sample::fixed_now();
    let clock = TestClock::at(now);
    let mut config = Config::new(fixture("server-v5-2.db", dir.path()), "127.0.0.1:0".parse().unwrap());
    config.clock = clock.clock();
    let state = Arc::new(AppState::open(config).unwrap());
    let running = serve(state.clone(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let url = format!("http://{}", running.addr);

    // 张明's phone database, with a draft and a message written offline before the upgrade.
    std::fs::rename(fixture("phone-v5.db", dir.path()), dir.path().join("zhangming.db")).unwrap();
    let zhang = Phone::new(dir.path(), "zhangming", &url, now).await;
    assert_eq!(zhang.client.status().pending, 3);
    zhang.client.sync_until_idle().await.unwrap();
    assert_eq!(zhang.client.status().pending, 0, "the queued work was accepted: {:?}", zhang.client.outbox());

    let member =
        Actor { person_id: "demo-zhangming".into(), role: Role::Member, org_id: "yn-12-03".into(), unit_id: None };
    let on_server = state.store.read(|c| service::load_visible(c, &member, DRAFT)).unwrap();
    assert_eq!(on_server.content.title, "关于加强宾川县农村饮水安全保障的提案");
    assert_eq!(on_server.state, ProposalState::Draft);
    assert_eq!(service::get(&zhang.client.store().clone(), &member, DRAFT).unwrap(), on_server);
    let sent = sql_count(
        &state.store,
        "SELECT count(*) FROM chat_messages WHERE group_id = ?1 AND text = '离线时写的：饮水工程调研提纲' AND seq IS NOT NULL",
        [GROUP],
    );
    assert_eq!(sent, 1);
    let timeline = zhang.client.timeline(GROUP, 10).unwrap();
    assert_eq!(timeline.len(), 2);
    assert!(timeline.iter().all(|m| m.seq.is_some()), "both messages have their place in the server's order");
    // A second phone of a colleague starts fresh against the upgraded server and sees the group.
    let li = Phone::new(dir.path(), "lihua", &url, now).await;
    li.login("lihua").await;
    li.client.sync_until_idle().await.unwrap();
    assert_eq!(li.client.timeline(GROUP, 10).unwrap().len(), 2);
    running.stop().await.unwrap();
}

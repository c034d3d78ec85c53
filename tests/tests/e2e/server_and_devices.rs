//! End-to-end foundation: a real server on 127.0.0.1 next to several device databases, each
//! running the same domain code. The sync protocol builds on this.

use std::io::{Read, Write};
use std::net::TcpStream;

use lvzhi_domain::org::Role;
use lvzhi_domain::proposal::ProposalState;
use lvzhi_domain::proposal::lifecycle::Action;
use lvzhi_server::{Config, start};
use lvzhi_store::org;
use lvzhi_store::proposal::service;
use lvzhi_store::sample;
use lvzhi_store::{DbKind, Store};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_serves_while_devices_run_the_same_rules_offline() {
    let dir = tempfile::tempdir().unwrap();
    let running = start(Config::new(lvzhi_tests::server_db(dir.path()), "127.0.0.1:0".parse().unwrap()))
        .await
        .expect("server starts");
    let addr = running.addr.to_string();
    let health = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(&addr).unwrap();
        write!(s, "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
        let mut body = String::new();
        s.read_to_string(&mut body).unwrap();
        body
    })
    .await
    .unwrap();
    assert!(health.starts_with("HTTP/1.1 200") && health.contains("\"status\":\"ok\""), "{health}");

    // Two phones, each with its own database, decide the same way without the network.
    let now = sample::fixed_now();
    let mut verdicts = Vec::new();
    for phone in ["zhangming-android.db", "zhangming-iphone.db"] {
        let store = Store::open(dir.path().join(phone), DbKind::Device).unwrap();
        let tree = store.write(|tx| sample::seed_small(tx, now)).unwrap();
        let me = store.read(|c| org::actor_for(c, &tree.members[0], &tree.county, Role::Member)).unwrap().unwrap();
        service::create_draft(&store, &me, "p1", &tree.session, sample::proposal_content(1, "宾川县"), now).unwrap();
        let late = now + chrono::Duration::days(31);
        let refused = service::act(&store, &me, "p1", &Action::Submit, late).unwrap_err();
        verdicts.push(refused.to_string());
        let p = service::act(&store, &me, "p1", &Action::Submit, now).unwrap();
        assert_eq!(p.state, ProposalState::Submitted);
    }
    assert_eq!(verdicts[0], verdicts[1]);
    assert!(verdicts[0].starts_with("已超过提案截止时间"));
    running.stop().await.unwrap();
}

//! Two `lvzhi-server` processes on one PostgreSQL database (the cluster `scripts/pg start`
//! runs): phones on either, one phone's pushes alternating between them through lost answers
//! and duplicate deliveries, a long-poll on one woken by a commit on the other, and one process
//! killed with SIGKILL in the middle of a push. Every phone ends equal to the database, and
//! nothing a phone was told is stored is lost.

use std::process::Child;
use std::sync::atomic::Ordering;
use std::time::Duration;

use lvzhi_domain::chat::GroupKind;
use lvzhi_domain::org::Role;
use lvzhi_domain::protocol::ActingAs;
use lvzhi_server::db::{Db, DbLocation};
use lvzhi_tests::{Phone, Proxy, Rng, spawn_server, sql_count, sql_strings};

/// A server process on `db`, listening on `listen` (port 0: any); returns it and its URL.
fn start_server(db: &str, listen: &str, demo: bool) -> (Child, String) {
    let mut args = vec!["--db", db, "--listen", listen, "--login-burst", "1000"];
    if demo {
        args.push("--demo");
    }
    spawn_server(&args)
}

async fn phone(dir: &std::path::Path, name: &str, login: &str, servers: &[&str]) -> Phone {
    let mut p = Phone::new(dir, name, servers[0], lvzhi_domain::time::now()).await;
    p.proxy = Proxy::start_many(servers).await;
    p.restart();
    p.login(login).await;
    p.client.sync_until_idle().await.unwrap();
    p
}

fn message_ids(p: &Phone, group: &str) -> Vec<String> {
    p.client.timeline(group, 1000).unwrap().into_iter().map(|i| i.id).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_processes_share_one_database_and_lose_nothing() {
    let Some(url) = lvzhi_sql::postgres::testing::fresh_database("two_servers") else { return };
    let dir = tempfile::tempdir().unwrap();
    let (mut a, a_url) = start_server(&url, "127.0.0.1:0", true);
    let (mut b, b_url) = start_server(&url, "127.0.0.1:0", false);
    let b_listen = b_url.trim_start_matches("http://").to_string();

    // Staff on B makes a study group; 李华 reads on A, 王芳 on B; 张明's phone goes through a
    // proxy that sends each request to A and B in turn.
    let staff = phone(dir.path(), "chenjing", "chenjing", &[&b_url]).await;
    let as_staff = ActingAs { role: Role::ProposalStaff, org_id: "yn-12-03".into() };
    let members = vec!["demo-zhangming".into(), "demo-lihua".into(), "demo-wangfang".into()];
    let group = staff.client.create_group(&as_staff, "农业和农村界学习交流群", GroupKind::Sector, members).unwrap();
    staff.client.sync_until_idle().await.unwrap();
    let li = phone(dir.path(), "lihua", "lihua", &[&a_url]).await;
    let wang = phone(dir.path(), "wangfang", "wangfang", &[&b_url]).await;
    let zhang = phone(dir.path(), "zhangming", "zhangming", &[&a_url, &b_url]).await;

    // A long-poll on A is woken by a commit that B makes.
    let waiting = tokio::spawn(async move {
        let applied = li.client.sync_once(30).await.unwrap();
        (li, applied)
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    wang.client.send_message(&group, "各位好，我在宾川县乔甸镇调研肉牛养殖。", None, vec![]).unwrap();
    wang.client.sync_until_idle().await.unwrap();
    let (li, _) = tokio::time::timeout(Duration::from_secs(25), waiting).await.expect("woken").unwrap();
    assert_eq!(message_ids(&li, &group).len(), 1, "李华 on A has 王芳's message from B");

    // 张明 sends in bursts; answers get lost, requests arrive twice (at the other server).
    let mut rng = Rng(2027);
    let mut sent = 0;
    for round in 0..12 {
        for _ in 0..1 + rng.below(3) {
            sent += 1;
            zhang.client.send_message(&group, &format!("第{sent}条：关于洱海保护的学习体会"), None, vec![]).unwrap();
        }
        match rng.below(4) {
            0 => zhang.proxy.state.lose_responses.store(1, Ordering::SeqCst),
            1 => zhang.proxy.state.duplicate_requests.store(1, Ordering::SeqCst),
            _ => {}
        }
        if round == 6 {
            // B is killed with SIGKILL while a push may be in flight, and started again on its
            // address; what it acknowledged is on disk, what it did not is sent again.
            let pushing = zhang.client.sync_until_idle();
            let kill = async {
                tokio::time::sleep(Duration::from_millis(rng.below(40) as u64)).await;
                b.kill().unwrap();
                b.wait().unwrap();
            };
            let (pushed, ()) = tokio::join!(pushing, kill);
            let _ = pushed; // may have failed with B gone
            let (restarted, _) = start_server(&url, &b_listen, false);
            b = restarted;
        }
        // Failures (a lost answer, B down) leave work in the outbox for the next round.
        let _ = zhang.client.sync_until_idle().await;
    }
    for _ in 0..5 {
        if zhang.client.sync_until_idle().await.is_ok() && zhang.client.outbox().unwrap().is_empty() {
            break;
        }
    }
    assert!(zhang.client.outbox().unwrap().is_empty(), "everything 张明 sent was accepted");
    for p in [&li, &wang, &staff, &zhang] {
        p.client.sync_until_idle().await.unwrap();
    }

    // Every message once, in one order, the same on every phone and in the database.
    let db = Db::open(&DbLocation::Postgres(url.clone())).unwrap();
    let stored = sql_strings(&db, "SELECT id FROM chat_messages WHERE group_id = ?1 ORDER BY seq", [&group]);
    assert_eq!(stored.len(), sent + 1, "{sent} from 张明 and 王芳's one, each once");
    assert_eq!(
        sql_count(&db, "SELECT count(DISTINCT seq) FROM chat_messages WHERE group_id = ?1", [&group]) as usize,
        sent + 1
    );
    let texts: Vec<String> =
        sql_strings(&db, "SELECT text FROM chat_messages WHERE sender_id = 'demo-zhangming' ORDER BY seq", []);
    let expected: Vec<String> = (1..=sent).map(|n| format!("第{n}条：关于洱海保护的学习体会")).collect();
    assert_eq!(texts, expected, "张明's messages in the order he wrote them");
    for p in [&li, &wang, &staff, &zhang] {
        assert_eq!(message_ids(p, &group), stored, "{}", p.name);
    }
    a.kill().unwrap();
    b.kill().unwrap();
    let _ = (a.wait(), b.wait());
}

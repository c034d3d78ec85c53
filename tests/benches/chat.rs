//! Chat figures (a benchmark, not a test): applying a received page into the phone's store,
//! loading a page of 50 messages with 100,000 stored, and the sender-to-receiver delay through
//! a real server on 127.0.0.1 (receiver long-polling).
//!
//! `cargo bench -p lvzhi-tests --bench chat [-- --quick]`

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use lvzhi_core::chat::timeline::{TimelineListener, TimelineUpdate};
use lvzhi_core::chat::{ChatGroup, ChatMessage, GroupKind, repo};
use lvzhi_core::org::Role;
use lvzhi_core::sample;
use lvzhi_core::store::Store;
use lvzhi_core::sync::apply::apply_response;
use lvzhi_core::sync::client::LoopSettings;
use lvzhi_core::sync::protocol::{ActingAs, Change, EntityKind, PROTOCOL_VERSION, ScopePage, SyncResponse};
use lvzhi_tests::{Phone, demo_server};

fn pct(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn message(i: u64) -> ChatMessage {
    let (topic, _) = sample::TOPICS[i as usize % sample::TOPICS.len()];
    ChatMessage {
        id: format!("m{i:08}"),
        group_id: "g1".into(),
        seq: Some(i),
        sender_id: "demo-zhangming".into(),
        text: format!("学习体会第{i}条：关于{topic}，我县的做法值得借鉴。"),
        reply_to: None,
        mentions: vec![],
        created_at_ms: 1_800_000_000_000 + i as i64,
        sent_at_ms: Some(1_800_000_000_000 + i as i64),
        recalled_at_ms: None,
        deleted_by: None,
    }
}

fn phone_store(dir: &std::path::Path, name: &str) -> Store {
    let store = Store::open(dir.join(name)).unwrap();
    store
        .write(|tx| {
            let group = ChatGroup {
                id: "g1".into(),
                org_id: "yn-12-03".into(),
                kind: GroupKind::Sector,
                name: "农业和农村界学习交流群".into(),
                created_by: "demo-chenjing".into(),
                created_at_ms: 0,
                members: vec!["demo-zhangming".into(), "demo-lihua".into()],
            };
            repo::save_group(tx, &group)
        })
        .unwrap();
    store
}

fn page_of(from: u64, n: u64) -> SyncResponse {
    let changes = (from..from + n)
        .map(|i| Change {
            seq: i,
            entity: EntityKind::Message,
            id: format!("m{i:08}"),
            data: Some(serde_json::to_value(message(i)).unwrap()),
        })
        .collect();
    SyncResponse {
        protocol: PROTOCOL_VERSION,
        results: vec![],
        last_applied: 0,
        scopes: Some(vec!["group:g1".into()]),
        pages: vec![ScopePage { scope: "group:g1".into(), changes, cursor: from + n, reset: false, more: false }],
    }
}

#[derive(Default)]
struct Arrivals(Mutex<Vec<(String, Instant)>>);

impl TimelineListener for Arrivals {
    fn on_update(&self, update: TimelineUpdate) {
        if let TimelineUpdate::Diffs { diffs } = update {
            let now = Instant::now();
            let mut seen = self.0.lock().unwrap();
            for d in diffs {
                if let lvzhi_core::chat::timeline::TimelineDiff::Insert { item, .. } = d {
                    seen.push((item.text, now));
                }
            }
        }
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let (stored, page, rounds) = if quick { (10_000, 500, 20) } else { (100_000, 1_000, 50) };
    let dir = tempfile::tempdir().unwrap();

    // 1. Applying a received page, against plain prepared INSERTs of the same rows.
    let store = phone_store(dir.path(), "apply.db");
    let pages = 5;
    let t = Instant::now();
    for k in 0..pages {
        let resp = page_of(1 + k * page, page);
        store.write(|tx| apply_response(tx, &resp, "demo-lihua", &[])).unwrap();
    }
    let ours = t.elapsed();
    let raw = phone_store(dir.path(), "raw.db");
    let t = Instant::now();
    for k in 0..pages {
        raw.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO chat_messages (id, group_id, seq, sender_id, text, mentions, created_at, sent_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, '[]', ?6, ?7)",
            )?;
            for i in 1 + k * page..1 + (k + 1) * page {
                let m = message(i);
                stmt.execute(rusqlite::params![
                    m.id,
                    m.group_id,
                    i as i64,
                    m.sender_id,
                    m.text,
                    m.created_at_ms,
                    m.sent_at_ms
                ])?;
            }
            Ok::<_, lvzhi_core::Error>(())
        })
        .unwrap();
    }
    let reference = t.elapsed();
    let n = (pages * page) as f64;
    println!(
        "apply page: {:.0} messages/s ({:.2?} per page of {page}) | raw INSERTs {:.0}/s | ratio {:.2}",
        n / ours.as_secs_f64(),
        ours / pages as u32,
        n / reference.as_secs_f64(),
        reference.as_secs_f64() / ours.as_secs_f64()
    );

    // 2. A page of 50 with many messages stored.
    let big = phone_store(dir.path(), "big.db");
    let t = Instant::now();
    let chunk = 10_000;
    for k in 0..(stored / chunk) {
        let resp = page_of(1 + k * chunk, chunk);
        big.write(|tx| apply_response(tx, &resp, "demo-lihua", &[])).unwrap();
    }
    println!("filled {stored} messages in {:.2?}", t.elapsed());
    let mut newest: Vec<Duration> = (0..200)
        .map(|_| {
            let t = Instant::now();
            assert_eq!(big.read(|c| repo::timeline(c, "g1", 50)).unwrap().len(), 50);
            t.elapsed()
        })
        .collect();
    newest.sort();
    let mut back: Vec<Duration> = (0..200u64)
        .map(|i| {
            let before = 100 + (i * 7919) % (stored - 100);
            let t = Instant::now();
            assert_eq!(big.read(|c| repo::before(c, "g1", before, 50)).unwrap().len(), 50);
            t.elapsed()
        })
        .collect();
    back.sort();
    println!(
        "page of 50 with {stored} stored: newest p50 {:.2?} p99 {:.2?}; paging back p50 {:.2?} p99 {:.2?}",
        pct(&newest, 0.5),
        pct(&newest, 0.99),
        pct(&back, 0.5),
        pct(&back, 0.99)
    );

    // 3. Sender to receiver through the server, the receiver long-polling in the background.
    let server = demo_server(sample::fixed_now()).await;
    let staff = Phone::new(server.dir.path(), "staff", &server.url, server.clock.now()).await;
    staff.login("chenjing").await;
    staff.client.sync_until_idle().await.unwrap();
    let group = staff
        .client
        .create_group(
            &ActingAs { role: Role::ProposalStaff, org_id: "yn-12-03".into() },
            "延迟测试群",
            GroupKind::Topic,
            vec!["demo-zhangming".into(), "demo-lihua".into()],
        )
        .unwrap();
    staff.client.sync_until_idle().await.unwrap();
    let sender = Phone::new(server.dir.path(), "sender", &server.url, server.clock.now()).await;
    sender.login("zhangming").await;
    sender.client.sync_until_idle().await.unwrap();
    let receiver = Arc::new(Phone::new(server.dir.path(), "receiver", &server.url, server.clock.now()).await);
    receiver.login("lihua").await;
    receiver.client.sync_until_idle().await.unwrap();
    let arrivals = Arc::new(Arrivals::default());
    let _handle = receiver.client.subscribe_timeline(&group, 50, arrivals.clone());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let r = receiver.clone();
    let settings = LoopSettings { long_poll_secs: 25, ..LoopSettings::default() };
    let looping = tokio::spawn(async move { r.client.run(settings, stop_rx).await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut delays = Vec::new();
    for i in 0..rounds {
        let text = format!("延迟测试{i}");
        let t = Instant::now();
        sender.client.send_message(&group, &text, None, vec![]).unwrap();
        sender.client.sync_once(0).await.unwrap();
        loop {
            if let Some((_, at)) = arrivals.0.lock().unwrap().iter().find(|(t2, _)| *t2 == text) {
                delays.push(*at - t);
                break;
            }
            if t.elapsed() > Duration::from_secs(10) {
                panic!("message {i} never arrived");
            }
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
    }
    stop_tx.send(true).unwrap();
    let _ = looping.await;
    delays.sort();
    println!(
        "sender -> server -> receiver (long-poll, {rounds} messages): p50 {:.2?} p99 {:.2?}",
        pct(&delays, 0.5),
        pct(&delays, 0.99)
    );
}

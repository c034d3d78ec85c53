//! `scripts/bench --only notify`: a province-wide notice to every member's phone, through the
//! push queue to a local server per vendor (`lvzhi_tests::push_fakes`, each following its
//! vendor's contract), and what push adds to publishing the notice.
//!
//! Two demo servers hold the same members (spread over the province's organisations): one with
//! push off, one with every member's device registered with a vendor (a mix like the province's
//! phones: iPhones, Huawei, Honor, Xiaomi, OPPO, vivo). The same notices are published on each.

use std::time::{Duration, Instant};

use lvzhi_domain::duty::notice::{Audience, NoticeContent, NoticeKind};
use lvzhi_domain::org::Role;
use lvzhi_domain::protocol::{ActingAs, Mutation, MutationKind};
use lvzhi_domain::push::PushVendor;
use lvzhi_server::push::PushConfig;
use lvzhi_sql::params;
use lvzhi_store::sample;
use lvzhi_tests::push_fakes::FakeVendor;
use lvzhi_tests::{TestServer, demo_server_with};

use crate::{Figure, fig, ms, percentile};

/// Each vendor's share of the devices, in percent.
const MIX: [(PushVendor, usize); 6] = [
    (PushVendor::Apns, 20),
    (PushVendor::Hms, 32),
    (PushVendor::Honor, 8),
    (PushVendor::Xiaomi, 16),
    (PushVendor::Oppo, 12),
    (PushVendor::Vivo, 12),
];
/// Notices published on each server (the publish figure is their median).
const NOTICES: usize = 3;

pub async fn figures(devices: usize) -> Vec<Figure> {
    eprintln!("bench: notify — a province-wide notice to {devices} devices…");
    let mut fakes = Vec::new();
    for (vendor, _) in MIX {
        fakes.push(FakeVendor::start(vendor).await);
    }
    let mut config = serde_json::json!({ "coalesce_seconds": 0, "poll_millis": 100 });
    for f in &fakes {
        config[f.vendor.as_str()] = f.config_json();
    }
    let config: PushConfig = serde_json::from_value(config).expect("push config");
    let plain = demo_server_with(sample::fixed_now(), |_| {}).await;
    let pushing = demo_server_with(sample::fixed_now(), |c| c.push = Some(config)).await;
    let members = seed_members(&plain, devices, false);
    seed_members(&pushing, devices, true);

    let (mut without, mut with, mut handed) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..NOTICES {
        without.push(publish(&plain, round).await);
        let before: usize = fakes.iter().map(|f| f.deliveries().len()).sum();
        let start = Instant::now();
        with.push(publish(&pushing, round).await);
        let target = before + members;
        loop {
            let delivered: usize = fakes.iter().map(|f| f.deliveries().len()).sum();
            if delivered >= target || start.elapsed() > Duration::from_secs(600) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        handed.push(start.elapsed());
    }
    let delivered: usize = fakes.iter().map(|f| f.deliveries().len()).sum();
    let violations: usize = fakes.iter().map(|f| f.violations().len()).sum();
    if delivered != members * NOTICES || violations > 0 {
        eprintln!("bench: notify — {delivered} delivered of {}, {violations} contract violations", members * NOTICES);
    }
    // The floor of the queue's own work: writing one row per device, raw.
    let raw = raw_rows(&pushing, members);
    let (without_p50, with_p50, handed_p50) =
        (percentile(&mut without, 0.5), percentile(&mut with, 0.5), percentile(&mut handed, 0.5));
    let handed_ok = delivered == members * NOTICES && violations == 0;
    vec![
        fig(
            &format!("notify_province_notice_to_{members}_devices_handed_to_vendors"),
            (handed_p50.as_secs_f64(), "s"),
            (raw.as_secs_f64(), "s raw INSERT of one row per device"),
            "< 60 s, each device once",
            handed_ok && handed_p50 < Duration::from_secs(60),
        ),
        fig(
            "notify_publish_province_notice_with_push",
            (ms(with_p50), "ms"),
            (ms(without_p50), "ms the same publish with push off"),
            "ratio <= 1.10",
            with_p50.as_secs_f64() <= 1.10 * without_p50.as_secs_f64(),
        ),
    ]
}

/// `n` members spread over the province's organisations; with `devices`, each with a live
/// session and a push token of a vendor in [`MIX`]. Returns how many members.
fn seed_members(server: &TestServer, n: usize, devices: bool) -> usize {
    server
        .state
        .store
        .write(|tx| {
            let orgs: Vec<String> = {
                let mut stmt = tx.prepare("SELECT id FROM organisations ORDER BY id")?;
                stmt.query_map([], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?
            };
            let vendors: Vec<PushVendor> = MIX.iter().flat_map(|(v, share)| std::iter::repeat_n(*v, *share)).collect();
            for i in 0..n {
                let person = format!("bench-member-{i}");
                let org = &orgs[i % orgs.len()];
                tx.execute("INSERT INTO people (id, name) VALUES (?1, ?2)", params![person, format!("委员{i:05}")])?;
                tx.execute(
                    "INSERT INTO role_grants (person_id, org_id, role) VALUES (?1, ?2, 'member')",
                    params![person, org],
                )?;
                if !devices {
                    continue;
                }
                let session = format!("bench-session-{i}");
                tx.execute(
                    "INSERT INTO auth_sessions (id, person_id, device_name, access_hash, access_expires_at,
                         refresh_hash, refresh_expires_at, created_at, last_seen_at)
                     VALUES (?1, ?2, '委员的手机', ?3, 0, ?4, 0, 0, 0)",
                    params![session, person, format!("bench-a-{i}"), format!("bench-r-{i}")],
                )?;
                let vendor = vendors[i % vendors.len()];
                let token = match vendor {
                    PushVendor::Apns => format!("{i:064x}"),
                    _ => format!("IQAAAACy0kYsAADh9Xq2bGpRk3zC{i:08}"),
                };
                tx.execute(
                    "INSERT INTO push_devices (client_id, person_id, session_id, vendor, token, registered_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, 0)",
                    params![format!("bench-phone-{i}"), person, session, vendor.as_str(), token],
                )?;
            }
            Ok::<_, lvzhi_store::Error>(())
        })
        .expect("seed members");
    n
}

/// Publishes a notice from the province's staff to every member below, through the writer as
/// a phone's or the console's would go; returns how long until it is committed.
async fn publish(server: &TestServer, round: usize) -> Duration {
    let content = NoticeContent {
        title: format!("关于做好全省政协委员年度履职情况报送工作的通知（第{}批）", round + 1),
        body: "请各级政协组织委员于规定时间内在“履职”中报送年度履职情况。".into(),
        kind: NoticeKind::Work,
        audience: Audience::Members { subordinates: true },
        asks_reply: false,
        reply_deadline_ms: None,
        attachments: Vec::new(),
        urgent: false,
    };
    let m = Mutation {
        id: round as u64 + 1,
        acting_as: ActingAs { role: Role::ProposalStaff, org_id: "yn".into() },
        kind: MutationKind::PublishNotice { notice_id: format!("bench-notice-{round}"), content },
    };
    let start = Instant::now();
    let pushed = server.state.writer().push("demo-zhouqiang", "bench-session", "bench-console", vec![m]).await;
    let took = start.elapsed();
    assert!(
        pushed.is_ok_and(|p| p.results.iter().all(|r| r.outcome == lvzhi_domain::protocol::MutationOutcome::Applied))
    );
    took
}

/// Writes `n` rows like the queue's, raw, in one transaction, and takes them away again.
fn raw_rows(server: &TestServer, n: usize) -> Duration {
    let start = Instant::now();
    server
        .state
        .store
        .write(|tx| {
            let mut insert = tx.prepare(
                "INSERT INTO push_sends (person_id, channel, client_id, address, kind, title, body, count,
                     collapse_id, created_at, next_at, state)
                 VALUES (?1, 'hms', ?2, ?3, 'notice', '履职', '1 条新通知', 1, 'c', 0, 0, 'raw')",
            )?;
            for i in 0..n {
                insert.execute(params![format!("bench-member-{i}"), format!("bench-phone-{i}"), format!("t{i}")])?;
            }
            Ok::<_, lvzhi_store::Error>(())
        })
        .expect("raw rows");
    let took = start.elapsed();
    let _ = server
        .state
        .store
        .write(|tx| tx.execute("DELETE FROM push_sends WHERE state = 'raw'", []).map_err(lvzhi_store::Error::from));
    took
}

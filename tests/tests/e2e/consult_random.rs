//! A seeded, reproducible randomised run over 社情民意 and 网络议政: six phones (a member on
//! two of them, the county's staff and the prefecture's), random report and topic actions,
//! random disconnects, lost responses and duplicate deliveries. At the end every phone equals
//! the server's view of its scopes, and every mutation was decided exactly once: each report's
//! history has one step per applied action, each post one 附议 per applied second.
//!
//! `LVZHI_SEED=n LVZHI_STEPS=m cargo test --test e2e consult_random::` replays a run.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::Ordering;

use lvzhi_client::Client;
use lvzhi_domain::consult::report::{Body, Destination, Level, ReportContent, ReportState, StaffStep};
use lvzhi_domain::consult::topic::TopicDraft;
use lvzhi_domain::duty::notice::Audience;
use lvzhi_domain::protocol::MutationOutcome;
use lvzhi_domain::time::to_millis;
use lvzhi_domain::visibility;
use lvzhi_store::consult::repo;
use lvzhi_store::sample;
use lvzhi_tests::{Phone, Rng, demo_server, heal_and_settle, outcome, sql_strings};

/// What a mutation was, to count its effects at the end.
struct Sent {
    phone: usize,
    id: u64,
    /// The report or post it changed.
    target: String,
    /// `report` (a step of its history) or `second`; others are not counted.
    kind: &'static str,
}

fn content(rng: &mut Rng) -> ReportContent {
    let places = ["宾川县", "祥云县", "弥渡县", "洱源县"];
    let place = places[rng.below(places.len())];
    ReportContent {
        attachments: Vec::new(),
        title: format!("关于{place}农村寄递物流末端网点不足的情况反映（第{}稿）", rng.below(100)),
        situation: format!("{place}部分行政村快递只能送到乡镇，村民往返取件需一小时以上。"),
        analysis: "末端网点运营成本高，单量不足，企业缺乏积极性。".into(),
        suggestion: "建议整合邮政、供销和客运资源，建设村级共配站点。".into(),
    }
}

fn last_mutation_id(c: &Client) -> u64 {
    c.outbox().unwrap().last().unwrap().mutation.id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_report_and_topic_actions_converge_exactly_once() {
    let seed: u64 = std::env::var("LVZHI_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20_271_127);
    let steps: usize = std::env::var("LVZHI_STEPS").ok().and_then(|s| s.parse().ok()).unwrap_or(300);
    println!("seed {seed}, {steps} steps");
    let mut rng = Rng(seed.max(1));
    let now = sample::fixed_now();
    let server = demo_server(now).await;
    let logins = ["zhangming", "zhangming", "lihua", "wangfang", "chenjing", "heyun"];
    let mut phones = Vec::new();
    for (i, login) in logins.iter().enumerate() {
        let p = Phone::new(server.dir.path(), &format!("{login}-{i}"), &server.url, now).await;
        p.login(login).await;
        p.client.sync_until_idle().await.unwrap();
        phones.push(p);
    }
    let members = ["demo-zhangming", "demo-lihua", "demo-wangfang"];
    // Two topics open for the whole run.
    let start = to_millis(now);
    for title in ["如何提升洱海流域农村污水收集率", "如何推进乡村学校“五育”并举"] {
        let draft = TopicDraft {
            title: title.into(),
            background: "请委员结合调研所见提出具体建议。".into(),
            audience: Audience::Members { subordinates: false },
            opens_at_ms: start,
            closes_at_ms: start + 30 * 86_400_000,
        };
        phones[4].client.open_topic(None, draft).unwrap();
    }
    for p in &phones {
        p.client.sync_until_idle().await.unwrap();
    }
    for p in &phones {
        p.client.sync_until_idle().await.unwrap();
    }
    let mut sent: Vec<Sent> = Vec::new();

    for _ in 0..steps {
        let i = rng.below(phones.len());
        let phone = &phones[i];
        let c = &phone.client;
        let login = logins[i];
        let me = format!("demo-{login}");
        match rng.below(100) {
            0..=7 => {
                if phone.proxy.state.down.load(Ordering::SeqCst) {
                    phone.online()
                } else {
                    phone.offline()
                }
            }
            8..=11 => phone.proxy.state.lose_responses.store(1, Ordering::SeqCst),
            12..=15 => phone.proxy.state.duplicate_requests.store(1, Ordering::SeqCst),
            16..=40 => {
                let _ = c.sync_once(0).await;
            }
            _ if login == "chenjing" || login == "heyun" => {
                // Staff: a step on a report they hold, or hide a post.
                if rng.chance(15) {
                    let posts = sql_strings(c.store(), "SELECT id FROM posts ORDER BY id", []);
                    if !posts.is_empty() && c.hide_post(&posts[rng.below(posts.len())], "与议题无关").is_ok() {
                        sent.push(Sent { phone: i, id: last_mutation_id(c), target: String::new(), kind: "other" });
                    }
                    continue;
                }
                let reports = c.reports(None).unwrap();
                if reports.is_empty() {
                    continue;
                }
                let r = &reports[rng.below(reports.len())];
                let steps = [
                    StaffStep::Accept,
                    StaffStep::Return { reason: "请补充具体村名和数据".into() },
                    StaffStep::Reject { reason: "已有同类信息".into() },
                    StaffStep::Edit {
                        issue: format!("2027年第{}期", rng.below(20) + 1), content: content(&mut rng)
                    },
                    StaffStep::SendUp {
                        destinations: vec![Destination {
                            body: Body::Cppcc,
                            level: Level::Prefecture,
                            org_id: "yn-12".into(),
                        }],
                        date_ms: start,
                    },
                    StaffStep::Instruct {
                        leader: "州政府副州长".into(),
                        level: Level::Prefecture,
                        text: "请州邮政管理局研究。".into(),
                        date_ms: start,
                    },
                    StaffStep::FeedBack { text: "已转州邮政管理局办理。".into() },
                ];
                let step = steps[rng.below(steps.len())].clone();
                if c.report_step(&r.id, step).is_ok() {
                    sent.push(Sent { phone: i, id: last_mutation_id(c), target: r.id.clone(), kind: "report" });
                }
            }
            41..=55 => {
                let co: Vec<String> =
                    members.iter().filter(|m| **m != me && rng.chance(30)).map(|m| m.to_string()).collect();
                if let Ok(id) = c.create_report(content(&mut rng), co, None) {
                    sent.push(Sent { phone: i, id: last_mutation_id(c), target: id, kind: "report" });
                }
            }
            56..=70 => {
                let mine: Vec<_> = c.reports(None).unwrap().into_iter().filter(|r| r.mine).collect();
                if mine.is_empty() {
                    continue;
                }
                let r = &mine[rng.below(mine.len())];
                let ok = if rng.chance(50) && r.state == ReportState::Draft {
                    c.submit_report(&r.id).is_ok()
                } else {
                    c.save_report(&r.id, content(&mut rng)).is_ok() || c.submit_report(&r.id).is_ok()
                };
                if ok {
                    sent.push(Sent { phone: i, id: last_mutation_id(c), target: r.id.clone(), kind: "report" });
                }
            }
            _ => {
                let topics = c.topics().unwrap();
                if topics.is_empty() {
                    continue;
                }
                let t = &topics[rng.below(topics.len())];
                let posts = c.topic(&t.id).unwrap().posts;
                let text = format!("建议{}：先在{}个村试点。", rng.below(1000), rng.below(9) + 1);
                if !posts.is_empty() && rng.chance(50) {
                    let p = &posts[rng.below(posts.len())];
                    if rng.chance(60) {
                        if c.second_post(&p.id).is_ok() {
                            sent.push(Sent { phone: i, id: last_mutation_id(c), target: p.id.clone(), kind: "second" });
                        }
                    } else if c.edit_post(&p.id, &text).is_ok() {
                        sent.push(Sent { phone: i, id: last_mutation_id(c), target: p.id.clone(), kind: "other" });
                    }
                } else {
                    let reply = posts.first().filter(|_| rng.chance(30)).map(|p| p.id.clone());
                    if let Ok(id) = c.write_post(&t.id, reply.as_deref(), &text) {
                        sent.push(Sent { phone: i, id: last_mutation_id(c), target: id, kind: "other" });
                    }
                }
            }
        }
    }

    // The network heals; everyone syncs until nothing moves.
    heal_and_settle(&phones).await;

    let outcome = |phone: usize, id: u64| outcome(&server, &phones[phone].client, id);

    // Exactly once: a report's history has one step per applied action on it, a post one
    // second per applied 附议.
    let mut report_steps: BTreeMap<&str, usize> = BTreeMap::new();
    let mut seconds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut applied = 0;
    for s in &sent {
        if outcome(s.phone, s.id) == MutationOutcome::Applied {
            applied += 1;
            match s.kind {
                "report" => *report_steps.entry(&s.target).or_default() += 1,
                "second" => *seconds.entry(&s.target).or_default() += 1,
                _ => {}
            }
        }
    }
    for p in &phones {
        assert!(p.client.outbox().unwrap().iter().all(|e| e.rejected.is_some()), "{} has unsent work", p.name);
    }
    let server_reports = sql_strings(&server.state.store, "SELECT id FROM reports ORDER BY id", []);
    for id in &server_reports {
        let r = server.state.store.read(|c| repo::report(c, id)).unwrap().unwrap();
        assert_eq!(r.history.len(), report_steps.get(id.as_str()).copied().unwrap_or(0), "history of {id}");
        assert!(lvzhi_domain::consult::report::verify_history(&r).is_ok());
    }
    for id in sql_strings(&server.state.store, "SELECT id FROM posts ORDER BY id", []) {
        let p = server.state.store.read(|c| repo::post(c, &id)).unwrap().unwrap();
        assert_eq!(p.seconds.len(), seconds.get(id.as_str()).copied().unwrap_or(0), "seconds of {id}");
    }

    // Every phone holds exactly the reports, topics and posts its scopes give it, equal to the
    // server's.
    for (i, p) in phones.iter().enumerate() {
        let person = format!("demo-{}", logins[i]);
        let scopes = server.state.store.read(|c| lvzhi_server::scopes::scopes_for(c, &person)).unwrap();
        for (entity, table) in [("report", "reports"), ("topic", "topics"), ("post", "posts")] {
            let visible: BTreeSet<String> = scopes
                .iter()
                .flat_map(|scope| {
                    sql_strings(
                        &server.state.store,
                        "SELECT entity_id FROM entity_scopes WHERE entity = ?1 AND scope = ?2",
                        [entity, scope.as_str()],
                    )
                })
                .collect();
            let local: BTreeSet<String> =
                sql_strings(p.client.store(), &format!("SELECT id FROM {table}"), []).into_iter().collect();
            assert_eq!(local, visible, "{} {entity}s", p.name);
            let sql = format!("SELECT data FROM {table} WHERE id = ?1");
            let kind = lvzhi_domain::protocol::EntityKind::parse(entity).unwrap();
            for id in &visible {
                let json = |rows: Vec<String>| -> Vec<serde_json::Value> {
                    rows.iter().map(|r| serde_json::from_str(r).unwrap()).collect()
                };
                let on_phone = json(sql_strings(p.client.store(), &sql, [id]));
                // A hidden post is whole only where one of the phone's scopes keeps it whole (its
                // staff, its author); elsewhere it is the redacted form.
                let whole = scopes.iter().any(|scope| {
                    let sql = "SELECT entity_id FROM entity_scopes
                               WHERE entity = ?1 AND entity_id = ?2 AND scope = ?3 AND redacted = 0";
                    !sql_strings(&server.state.store, sql, [entity, id.as_str(), scope.as_str()]).is_empty()
                });
                let expected: Vec<serde_json::Value> = json(sql_strings(&server.state.store, &sql, [id]))
                    .into_iter()
                    .map(|v| if whole { v } else { visibility::redacted_json(kind, &v).unwrap_or(v) })
                    .collect();
                assert_eq!(on_phone, expected, "{} {entity} {id}", p.name);
            }
        }
    }
    println!(
        "{} mutations sent, {applied} applied, {} reports on the server, {} requests through the proxies",
        sent.len(),
        server_reports.len(),
        phones.iter().map(|p| p.proxy.state.requests.load(Ordering::SeqCst)).sum::<u32>()
    );
}

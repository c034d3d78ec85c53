//! A seeded, reproducible randomised run: six phones (one member on two of them), random
//! actions, random disconnects, lost responses and duplicate deliveries. At the end every
//! phone equals the server's view of its scopes, and every mutation was decided exactly once.
//!
//! Five seeds × 600 steps. `LVZHI_SEED=n cargo test --test e2e sync_random::random_run_1`
//! replays a run.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::Ordering;

use lvzhi_domain::org::Role;
use lvzhi_domain::proposal::*;
use lvzhi_domain::protocol::{ActingAs, MutationOutcome};
use lvzhi_store::proposal::repo;
use lvzhi_store::sample;
use lvzhi_tests::{Phone, Rng, demo_server, heal_and_settle, outcome, sql_strings};

const COUNTY: &str = "yn-12-03";
const SESSION: &str = "yn-12-03-s3";

/// What a mutation was, to count its effects at the end.
struct Sent {
    phone: usize,
    id: u64,
    proposal: String,
    kind: &'static str,
}

fn role_of(login: &str) -> Role {
    match login {
        "chenjing" => Role::ProposalStaff,
        "liujun" => Role::UnitUser,
        _ => Role::Member,
    }
}

fn candidate_actions(role: Role, me: &str, p: &Proposal, rng: &mut Rng) -> Vec<Action> {
    let members = ["demo-zhangming", "demo-lihua", "demo-wangfang"];
    let text = |rng: &mut Rng| format!("第{}稿", rng.below(1000));
    match role {
        Role::Member if p.first_proposer_id == me => vec![
            Action::SaveDraft {
                content: ProposalContent {
                    title: format!("关于发展肉牛养殖产业的提案（{}）", text(rng)),
                    ..sample::proposal_content(0, "宾川县")
                },
            },
            Action::Invite { person_id: members[rng.below(3)].into() },
            Action::OpenCoSigning,
            Action::Submit,
            Action::Evaluate { rating: [Rating::Satisfied, Rating::Unsatisfied][rng.below(2)], comment: String::new() },
        ],
        Role::Member => vec![
            Action::RespondInvitation { accept: rng.chance(70) },
            Action::Evaluate { rating: Rating::BasicallySatisfied, comment: String::new() },
        ],
        Role::ProposalStaff => vec![
            Action::Register,
            Action::Assign { plan: AssignmentPlan::Sole { unit_id: "yn-12-03-agri".into() } },
            Action::ApproveReplies { categories: vec![], note: String::new() },
            Action::ReturnForRevision { note: "请补充数据".into() },
        ],
        _ => vec![
            Action::RecordContact { note: "电话联系".into() },
            Action::Reply { category: ReplyCategory::B, text: text(rng), attachments: Vec::new() },
        ],
    }
}

/// Five seeds × 600 steps by default, one test each (they run side by side); `LVZHI_SEED`
/// replaces the seed of all five (to replay one), `LVZHI_STEPS` the steps.
fn seed_and_steps(default_seed: u64) -> (u64, usize) {
    let seed = std::env::var("LVZHI_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(default_seed);
    let steps = std::env::var("LVZHI_STEPS").ok().and_then(|s| s.parse().ok()).unwrap_or(600);
    (seed, steps)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_run_1_converges_exactly_once() {
    run(seed_and_steps(20_271_115)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_run_2_converges_exactly_once() {
    run(seed_and_steps(2)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_run_3_converges_exactly_once() {
    run(seed_and_steps(3)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_run_4_converges_exactly_once() {
    run(seed_and_steps(4)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_run_5_converges_exactly_once() {
    run(seed_and_steps(5)).await
}

async fn run((seed, steps): (u64, usize)) {
    println!("seed {seed}, {steps} steps");
    let mut rng = Rng(seed.max(1));
    let now = sample::fixed_now();
    let server = demo_server(now).await;
    let logins = ["zhangming", "zhangming", "lihua", "wangfang", "chenjing", "liujun"];
    let mut phones = Vec::new();
    for (i, login) in logins.iter().enumerate() {
        let p = Phone::new(server.dir.path(), &format!("{login}-{i}"), &server.url, now).await;
        p.login(login).await;
        p.client.sync_until_idle().await.unwrap();
        phones.push(p);
    }
    let mut sent: Vec<Sent> = Vec::new();

    for _ in 0..steps {
        let i = rng.below(phones.len());
        let phone = &phones[i];
        let login = logins[i];
        let role = role_of(login);
        let acting = ActingAs { role, org_id: COUNTY.into() };
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
                let _ = phone.client.sync_once(0).await;
            }
            41..=48 if role == Role::Member => {
                let content = sample::proposal_content(rng.below(20), "宾川县");
                if let Ok(p) = phone.client.create_proposal(&acting, SESSION, content) {
                    let id = phone.client.outbox().unwrap().last().unwrap().mutation.id;
                    sent.push(Sent { phone: i, id, proposal: p.id, kind: "create" });
                }
            }
            _ => {
                let store = phone.client.store();
                let local: Vec<Proposal> = sql_strings(store, "SELECT id FROM proposals ORDER BY id", [])
                    .iter()
                    .filter_map(|id| store.read(|c| repo::load(c, id)).unwrap())
                    .collect();
                if local.is_empty() {
                    continue;
                }
                let p = &local[rng.below(local.len())];
                let actions = candidate_actions(role, &me, p, &mut rng);
                let action = actions[rng.below(actions.len())].clone();
                let kind = if matches!(action, Action::SaveDraft { .. }) { "save" } else { "action" };
                if phone.client.act(&acting, &p.id, action).is_ok() {
                    let id = phone.client.outbox().unwrap().last().unwrap().mutation.id;
                    sent.push(Sent { phone: i, id, proposal: p.id.clone(), kind });
                }
            }
        }
    }

    // The network heals; everyone syncs until nothing moves.
    heal_and_settle(&phones).await;

    let outcome = |phone: usize, id: u64| outcome(&server, &phones[phone].client, id);

    // Every mutation was decided exactly once, and the server's proposals show exactly the
    // applied ones: one history entry per applied action, one revision per applied save (a
    // conflicting save adds the conflict and the restated current text).
    let mut applied_actions: BTreeMap<&str, u32> = BTreeMap::new();
    let mut applied_saves: BTreeMap<&str, u32> = BTreeMap::new();
    let mut applied_count = 0;
    for s in &sent {
        if outcome(s.phone, s.id) == MutationOutcome::Applied {
            applied_count += 1;
            match s.kind {
                "save" => *applied_saves.entry(&s.proposal).or_default() += 1,
                _ => *applied_actions.entry(&s.proposal).or_default() += 1,
            }
        }
    }
    for (i, p) in phones.iter().enumerate() {
        let client_id = p.client.sync().client_id().unwrap();
        let (last, results): (i64, i64) = server
            .state
            .store
            .read(|c| {
                c.query_row(
                    "SELECT last_mutation_id, (SELECT count(*) FROM mutation_results WHERE client_id = ?1) FROM clients WHERE client_id = ?1",
                    [&client_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map_err(lvzhi_store::Error::from)
            })
            .unwrap_or((0, 0));
        assert_eq!(last, results, "phone {i}: one result per mutation id");
        assert!(p.client.outbox().unwrap().iter().all(|e| e.rejected.is_some()), "phone {i} has unsent work");
    }
    let server_ids = sql_strings(&server.state.store, "SELECT id FROM proposals ORDER BY id", []);
    for id in &server_ids {
        let p = server.state.store.read(|c| repo::load(c, id)).unwrap().unwrap();
        let revs = server.state.store.read(|c| repo::revisions(c, id)).unwrap();
        let conflicts = revs.iter().filter(|r| r.conflict).count() as u32;
        assert_eq!(p.history_len, applied_actions.get(id.as_str()).copied().unwrap_or(0), "history of {id}");
        assert_eq!(
            revs.len() as u32,
            1 + applied_saves.get(id.as_str()).copied().unwrap_or(0) + conflicts,
            "revisions of {id}"
        );
    }

    // Every phone holds exactly the proposals its scopes give it, equal to the server's.
    for (i, p) in phones.iter().enumerate() {
        let person = format!("demo-{}", logins[i]);
        let scopes = server.state.store.read(|c| lvzhi_server::scopes::scopes_for(c, &person)).unwrap();
        let visible: BTreeSet<String> = scopes
            .iter()
            .flat_map(|scope| {
                sql_strings(
                    &server.state.store,
                    "SELECT entity_id FROM entity_scopes WHERE entity = 'proposal' AND scope = ?1",
                    [scope],
                )
            })
            .collect();
        let local: BTreeSet<String> =
            sql_strings(p.client.store(), "SELECT id FROM proposals", []).into_iter().collect();
        assert_eq!(local, visible, "phone {i} ({})", logins[i]);
        for id in &visible {
            let mine = p.client.store().read(|c| repo::read_bundle(c, id)).unwrap().unwrap();
            let theirs = server.state.store.read(|c| repo::read_bundle(c, id)).unwrap().unwrap();
            assert_eq!(mine, theirs, "phone {i}: proposal {id}");
        }
    }
    println!(
        "{} mutations sent, {} applied, {} proposals on the server, {} requests through the proxies",
        sent.len(),
        applied_count,
        server_ids.len(),
        phones.iter().map(|p| p.proxy.state.requests.load(Ordering::SeqCst)).sum::<u32>()
    );
}

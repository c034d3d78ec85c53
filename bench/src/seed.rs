//! The data the benchmarks move: realistic messages and proposals, as pages a phone receives,
//! and a server holding a realistic member's world.

use chrono::Duration;
use lvzhi_domain::chat::{ChatGroup, ChatMessage, GroupKind, Outgoing};
use lvzhi_domain::org::{Actor, Role};
use lvzhi_domain::proposal::history::ChainedEntry;
use lvzhi_domain::proposal::lifecycle::{self, Action, Context};
use lvzhi_domain::protocol::{
    Change, EntityKind, HistoryRow, PROTOCOL_VERSION, ProposalBundle, ScopePage, SyncResponse,
};
use lvzhi_server::AppState;
use lvzhi_server::changes;
use lvzhi_store::Side;
use lvzhi_store::proposal::service;
use lvzhi_store::sample::{self, TOPICS};
use lvzhi_store::{DbKind, Store};

pub const MEMBER: &str = "m-zhangming";

fn actor(person: &str, role: Role, org: &str) -> Actor {
    Actor { person_id: person.into(), role, org_id: org.into(), unit_id: None }
}

/// A phone database with the small county tree and `groups` chat groups of 张明 and 李华.
pub fn phone_store(path: &std::path::Path, groups: usize) -> Store {
    seeded_phone(Store::open(path, DbKind::Device).expect("open"), groups)
}

/// The same, encrypted as the apps open it (SQLCipher with a 256-bit key).
pub fn encrypted_phone_store(path: &std::path::Path, groups: usize) -> Store {
    let key = lvzhi_store::DbKey::from_bytes(&[0x5a; 32]).expect("32 bytes");
    seeded_phone(Store::open_encrypted(path, DbKind::Device, &key).expect("open"), groups)
}

fn seeded_phone(store: Store, groups: usize) -> Store {
    store
        .write(|tx| {
            sample::seed_small(tx, sample::fixed_now())?;
            for g in 0..groups {
                lvzhi_store::chat::repo::save_group(
                    tx,
                    &ChatGroup {
                        id: format!("g{g}"),
                        org_id: "yn-dali-binchuan".into(),
                        kind: GroupKind::Sector,
                        name: format!("学习交流群{g}"),
                        created_by: "s-chenjing".into(),
                        created_at_ms: 0,
                        members: vec![MEMBER.into(), "m-lihua".into()],
                    },
                )?;
            }
            Ok::<_, lvzhi_store::Error>(())
        })
        .expect("seed phone");
    store
}

pub fn messages(n: usize, groups: usize, offset: usize) -> Vec<ChatMessage> {
    (offset..offset + n)
        .map(|i| {
            let (topic, _) = TOPICS[i % TOPICS.len()];
            ChatMessage {
                attachments: Vec::new(),
                id: format!("m{i:08}"),
                group_id: format!("g{}", i % groups),
                seq: Some((i / groups + 1) as u64),
                sender_id: MEMBER.into(),
                text: format!("学习体会第{i}条：关于{topic}，宾川县的做法值得借鉴，建议各县结合实际推广。"),
                reply_to: None,
                mentions: vec![],
                created_at_ms: 1_800_000_000_000 + i as i64,
                sent_at_ms: Some(1_800_000_000_000 + i as i64),
                recalled_at_ms: None,
                deleted_by: None,
            }
        })
        .collect()
}

fn row(e: &ChainedEntry) -> HistoryRow {
    HistoryRow {
        seq: e.entry.seq,
        entry: e.canonical.clone(),
        prev_hash: e.entry.prev_hash.clone(),
        hash: e.hash.clone(),
    }
}

/// Submitted proposals by 张明, as the server sends them.
pub fn bundles(n: usize, offset: usize) -> Vec<ProposalBundle> {
    let now = sample::fixed_now();
    let session = lvzhi_domain::org::Session {
        id: "binchuan-t11-s3".into(),
        term_id: "binchuan-t11".into(),
        org_id: "yn-dali-binchuan".into(),
        number: 3,
        proposals_open_at: now - Duration::days(30),
        proposals_deadline: now + Duration::days(30),
        accepts_interim: false,
    };
    let settings = lvzhi_domain::org::OrgSettings::default();
    let me = actor(MEMBER, Role::Member, "yn-dali-binchuan");
    (offset..offset + n)
        .map(|j| {
            let created =
                lifecycle::create(&format!("p{j:07}"), &me, &session, sample::proposal_content(j, "宾川县"), now)
                    .expect("create");
            let ctx = Context { now, session: &session, settings: &settings, restorable: None };
            let submitted = lifecycle::execute(&created.proposal, &me, &Action::Submit, &ctx).expect("submit");
            ProposalBundle {
                proposal: submitted.proposal.clone(),
                history: vec![row(created.entry.as_ref().unwrap()), row(submitted.entry.as_ref().unwrap())],
                revisions: created.revisions.clone(),
            }
        })
        .collect()
}

/// Pages as a sync response carries them: 1,000 messages or 500 proposals each.
pub fn pages(messages: &[ChatMessage], bundles: &[ProposalBundle]) -> Vec<SyncResponse> {
    let mut seq = 0u64;
    let mut out = Vec::new();
    let respond = |scope: String, changes: Vec<Change>, cursor: u64| SyncResponse {
        protocol: PROTOCOL_VERSION,
        results: vec![],
        last_applied: 0,
        scopes: None,
        pages: vec![ScopePage { scope, changes, cursor, reset: false, more: false }],
    };
    for chunk in messages.chunks(1000) {
        let changes: Vec<Change> = chunk
            .iter()
            .map(|m| {
                seq += 1;
                Change {
                    seq,
                    entity: EntityKind::Message,
                    id: m.id.clone(),
                    data: Some(serde_json::to_value(m).unwrap()),
                }
            })
            .collect();
        out.push(respond(format!("group:{}", chunk[0].group_id), changes, seq));
    }
    for chunk in bundles.chunks(500) {
        let changes: Vec<Change> = chunk
            .iter()
            .map(|b| {
                seq += 1;
                Change {
                    seq,
                    entity: EntityKind::Proposal,
                    id: b.proposal.id.clone(),
                    data: Some(serde_json::to_value(b).unwrap()),
                }
            })
            .collect();
        out.push(respond(format!("user:{MEMBER}"), changes, seq));
    }
    // Every scope the pages name stays allowed.
    let scopes: Vec<String> = out.iter().map(|r| r.pages[0].scope.clone()).collect();
    for r in &mut out {
        r.scopes = Some(scopes.clone());
    }
    out
}

/// A realistic member's world on the server (demo tree already loaded): `groups` study groups of
/// 张明 and 李华 with `messages` messages, and `proposals` proposals by 张明, submitted and
/// registered; every change in the change log as real use would leave it.
pub fn member_world(state: &AppState, groups: usize, messages: usize, proposals: usize) -> Vec<String> {
    let now = lvzhi_domain::time::now();
    let county = "yn-12-03";
    let staff = actor("demo-chenjing", Role::ProposalStaff, county);
    let zhang = actor("demo-zhangming", Role::Member, county);
    let li = actor("demo-lihua", Role::Member, county);
    state
        .store
        .write(|tx| {
            let mut ids = Vec::new();
            for g in 0..groups {
                let id = format!("grp{g}");
                lvzhi_store::chat::service::create_group(
                    tx,
                    &staff,
                    &id,
                    &format!("学习交流群{g}"),
                    GroupKind::ReadingGroup,
                    &["demo-zhangming".to_string(), "demo-lihua".to_string()],
                    now,
                )?;
                changes::emit_group(tx, &id, now)?;
                ids.push(id);
            }
            for i in 0..messages {
                let (topic, _) = TOPICS[i % TOPICS.len()];
                let out = Outgoing {
                    attachments: Vec::new(),
                    message_id: format!("msg{i:08}"),
                    group_id: ids[i % groups].clone(),
                    text: format!("学习体会第{i}条：关于{topic}，宾川县的做法值得借鉴，建议各县结合实际推广。"),
                    reply_to: None,
                    mentions: vec![],
                };
                let sender = if i % 2 == 0 { &zhang } else { &li };
                lvzhi_store::chat::service::send(tx, sender, Side::Server, &out, now)?;
                changes::emit_message(tx, &out.message_id, now)?;
            }
            for j in 0..proposals {
                let id = format!("prop{j:06}");
                service::create_draft_in(
                    tx,
                    &zhang,
                    &id,
                    "yn-12-03-s3",
                    sample::proposal_content(j, "宾川县"),
                    now,
                    Side::Server,
                )?;
                service::act_in(tx, &zhang, &id, &Action::Submit, now, Side::Server)?;
                service::act_in(tx, &staff, &id, &Action::Register, now, Side::Server)?;
                changes::emit_proposal(tx, &id, now)?;
            }
            Ok::<_, lvzhi_store::Error>(ids)
        })
        .expect("member world")
}

//! The proposal use cases on a real SQLite file: revisions across restarts, the history
//! chain and its tamper detection, what only the database can check, visibility, search,
//! and that a refused action writes nothing.

use lvzhi_domain::org::{Actor, Role};
use lvzhi_domain::proposal::lifecycle::Action;
use lvzhi_domain::proposal::*;
use lvzhi_domain::time::Timestamp;
use lvzhi_store::Error;
use lvzhi_store::org;
use lvzhi_store::proposal::service;
use lvzhi_store::sample::{self, SmallTree};
use lvzhi_store::{DbKind, Store};
use rusqlite::Connection;

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    store: Store,
    tree: SmallTree,
    now: Timestamp,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("phone.db");
        let store = Store::open(&path, DbKind::Device).unwrap();
        let now = sample::fixed_now();
        let tree = store.write(|tx| sample::seed_small(tx, now)).unwrap();
        Fixture { _dir: dir, path, store, tree, now }
    }

    fn actor(&self, person: &str, role: Role) -> Actor {
        self.store
            .read(|c| {
                let org = if person == self.tree.other_staff { &self.tree.prefecture } else { &self.tree.county };
                org::actor_for(c, person, org, role)
            })
            .unwrap()
            .unwrap_or_else(|| panic!("{person} has no role {role:?}"))
    }

    fn member(&self, i: usize) -> Actor {
        self.actor(&self.tree.members[i], Role::Member)
    }

    fn staff(&self) -> Actor {
        self.actor(&self.tree.staff, Role::ProposalStaff)
    }

    fn unit(&self, i: usize) -> Actor {
        self.actor(&self.tree.unit_users[i], Role::UnitUser)
    }

    fn draft(&self, id: &str, topic: usize) -> Proposal {
        service::create_draft(
            &self.store,
            &self.member(0),
            id,
            &self.tree.session,
            sample::proposal_content(topic, "宾川县"),
            self.now,
        )
        .unwrap()
    }

    fn act(&self, who: &Actor, id: &str, action: Action) -> lvzhi_store::Result<Proposal> {
        service::act(&self.store, who, id, &action, self.now)
    }

    fn submitted(&self, id: &str, topic: usize) -> Proposal {
        self.draft(id, topic);
        self.act(&self.member(0), id, Action::Submit).unwrap()
    }

    fn raw(&self) -> Connection {
        Connection::open(&self.path).unwrap()
    }
}

fn refusal(r: lvzhi_store::Result<Proposal>) -> ProposalError {
    match r {
        Err(Error::Proposal(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn revisions_survive_a_restart_and_restore_works_from_disk() {
    let f = Fixture::new();
    let m = f.member(0);
    f.draft("p1", 0);
    for title in ["关于发展肉牛养殖的提案", "关于发展肉牛养殖产业的提案"] {
        let content = ProposalContent { title: title.into(), ..sample::proposal_content(0, "宾川县") };
        f.act(&m, "p1", Action::SaveDraft { content }).unwrap();
    }
    drop(f.store);
    // The app is killed and started again.
    let store = Store::open(&f.path, DbKind::Device).unwrap();
    let revs = service::revisions(&store, &m, "p1").unwrap();
    assert_eq!(revs.iter().map(|r| r.number).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(revs[1].content.title, "关于发展肉牛养殖的提案");
    let p = service::act(&store, &m, "p1", &Action::RestoreRevision { revision: 2 }, f.now).unwrap();
    assert_eq!(p.revision, 4);
    assert_eq!(p.content.title, "关于发展肉牛养殖的提案");
    let reloaded = service::get(&store, &m, "p1").unwrap();
    assert_eq!(reloaded, p);
    assert_eq!(service::revisions(&store, &m, "p1").unwrap()[3].restored_from, Some(2));
}

#[test]
fn a_damaged_revision_table_is_a_storage_error_not_a_missing_revision() {
    let f = Fixture::new();
    let m = f.member(0);
    f.draft("p1", 0);
    let content = ProposalContent {
        title: "关于发展肉牛养殖的提案".into(), ..sample::proposal_content(0, "宾川县")
    };
    f.act(&m, "p1", Action::SaveDraft { content }).unwrap();
    drop(f.store);
    // The disk returns garbage for the revisions' page: zero the table's root page in the file
    // (closing the store checkpointed the WAL, so the file holds every page).
    let (root, page_size): (i64, i64) = {
        let c = Connection::open(&f.path).unwrap();
        let root = c
            .query_row("SELECT rootpage FROM sqlite_schema WHERE name = 'proposal_revisions'", [], |r| r.get(0))
            .unwrap();
        (root, c.query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap())
    };
    {
        use std::io::{Seek, SeekFrom, Write};
        let mut file = std::fs::OpenOptions::new().write(true).open(&f.path).unwrap();
        file.seek(SeekFrom::Start(((root - 1) * page_size) as u64)).unwrap();
        file.write_all(&vec![0u8; page_size as usize]).unwrap();
    }
    let store = Store::open(&f.path, DbKind::Device).unwrap();
    let err = service::act(&store, &m, "p1", &Action::RestoreRevision { revision: 1 }, f.now).unwrap_err();
    assert!(matches!(err, Error::Storage(_)), "a read failure must not look like a refusal: {err:?}");
    assert_eq!(err.storage_kind(), Some(lvzhi_store::StorageErrorKind::Corrupt));
    assert!(!err.is_refusal());
    // The proposal itself (another table) is untouched.
    assert_eq!(service::get(&store, &m, "p1").unwrap().revision, 2);
}

#[test]
fn a_refused_action_writes_nothing() {
    let f = Fixture::new();
    f.draft("p1", 0);
    let before = f.raw().query_row("SELECT snapshot FROM proposals", [], |r| r.get::<_, String>(0)).unwrap();
    // Staff cannot even see a draft: to them it does not exist.
    assert!(matches!(f.act(&f.staff(), "p1", Action::Register), Err(Error::NotFound { .. })));
    let e = refusal(f.act(&f.member(0), "p1", Action::Register));
    assert!(matches!(e, ProposalError::WrongRole { .. }));
    let e = refusal(f.act(&f.member(0), "p1", Action::Invite { person_id: f.tree.staff.clone() }));
    assert_eq!(e, ProposalError::InviteeNotMember);
    let after = f.raw().query_row("SELECT snapshot FROM proposals", [], |r| r.get::<_, String>(0)).unwrap();
    assert_eq!(before, after);
    let history: i64 = f.raw().query_row("SELECT count(*) FROM proposal_history", [], |r| r.get(0)).unwrap();
    assert_eq!(history, 1);
}

#[test]
fn drafts_are_seen_only_by_their_proposers() {
    let f = Fixture::new();
    f.draft("p1", 0);
    let m = f.member(0);
    f.act(&m, "p1", Action::Invite { person_id: f.tree.members[1].clone() }).unwrap();
    assert!(service::get(&f.store, &f.member(1), "p1").is_ok(), "an invitee sees it");
    for outsider in [f.member(2), f.staff(), f.unit(0)] {
        let e = service::get(&f.store, &outsider, "p1").unwrap_err();
        assert_eq!(e.to_string(), "提案不存在或无权查看");
        assert!(matches!(f.act(&outsider, "p1", Action::Register), Err(Error::NotFound { .. })));
    }
    f.act(&m, "p1", Action::RemoveInvitee { person_id: f.tree.members[1].clone() }).unwrap();
    f.act(&m, "p1", Action::Submit).unwrap();
    assert!(service::get(&f.store, &f.staff(), "p1").is_ok());
    assert!(service::get(&f.store, &f.member(2), "p1").is_err(), "not public before registration");
    f.act(&f.staff(), "p1", Action::Register).unwrap();
    assert!(service::get(&f.store, &f.member(2), "p1").is_ok());
    // Staff of the prefecture are another organisation.
    let other = f.actor(&f.tree.other_staff, Role::ProposalStaff);
    assert!(service::get(&f.store, &other, "p1").is_err());
}

#[test]
fn units_must_belong_to_the_organisation_and_merge_links_both() {
    let f = Fixture::new();
    f.submitted("p1", 0);
    f.submitted("p2", 0);
    let staff = f.staff();
    // A unit of another committee.
    f.store
        .write(|tx| {
            org::insert_unit(
                tx,
                &lvzhi_domain::org::HandlingUnit {
                    id: "u-dali-agri".into(),
                    org_id: f.tree.prefecture.clone(),
                    name: "大理州农业农村局".into(),
                },
            )
        })
        .unwrap();
    f.act(&staff, "p1", Action::Register).unwrap();
    let e =
        refusal(f.act(&staff, "p1", Action::Assign { plan: AssignmentPlan::Sole { unit_id: "u-dali-agri".into() } }));
    assert_eq!(e.to_string(), "交办方案有误：承办单位不存在或不属于本组织");
    let e = refusal(f.act(&staff, "p1", Action::Assign { plan: AssignmentPlan::Sole { unit_id: "u-nowhere".into() } }));
    assert!(matches!(e, ProposalError::InvalidAssignment { .. }));

    let e = refusal(f.act(&staff, "p2", Action::Merge { with_id: "p-missing".into() }));
    assert_eq!(e, ProposalError::CannotMergeWith);
    let p2 = f.act(&staff, "p2", Action::Merge { with_id: "p1".into() }).unwrap();
    assert_eq!((p2.state, p2.merged_with.clone()), (ProposalState::Registered, vec!["p1".to_string()]));
    let p1 = service::get(&f.store, &staff, "p1").unwrap();
    assert_eq!(p1.merged_with, ["p2"]);
    // Each keeps its own handling.
    f.act(&staff, "p1", Action::Assign { plan: AssignmentPlan::Sole { unit_id: f.tree.units[0].clone() } }).unwrap();
    f.act(&staff, "p2", Action::Assign { plan: AssignmentPlan::Sole { unit_id: f.tree.units[1].clone() } }).unwrap();
    let mine = service::list_mine(&f.store, &f.unit(1), 10).unwrap();
    assert_eq!(mine.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["p2"]);
}

#[test]
fn history_is_verified_and_tampering_is_detected() {
    let f = Fixture::new();
    f.submitted("p1", 0);
    let staff = f.staff();
    f.act(&staff, "p1", Action::Register).unwrap();
    f.act(&staff, "p1", Action::Assign { plan: AssignmentPlan::Sole { unit_id: f.tree.units[0].clone() } }).unwrap();
    let history = service::history(&f.store, &staff, "p1").unwrap();
    assert_eq!(
        history.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["create", "submit", "register", "assign"]
    );
    assert_eq!(history[2].actor_id, f.tree.staff);
    assert_eq!(history[2].role, Role::ProposalStaff);
    assert_eq!(history[2].from_state, Some(ProposalState::Submitted));
    assert_eq!(history[2].to_state, ProposalState::Registered);
    assert_eq!(service::verify_history(&f.store, "p1").unwrap(), Ok(()));

    // The database itself refuses edits of the history...
    let raw = f.raw();
    assert!(raw.execute("UPDATE proposal_history SET hash = 'x' WHERE seq = 2", []).is_err());
    assert!(raw.execute("DELETE FROM proposal_history WHERE seq = 4", []).is_err());
    // ...and someone who drops the guards and rewrites an entry is caught.
    raw.execute_batch("DROP TRIGGER proposal_history_no_update; DROP TRIGGER proposal_history_no_delete;").unwrap();
    let original: String = raw.query_row("SELECT entry FROM proposal_history WHERE seq = 3", [], |r| r.get(0)).unwrap();
    let forged = original.replace("s-chenjing", "s-yangfan");
    assert_ne!(forged, original);
    raw.execute("UPDATE proposal_history SET entry = ?1 WHERE seq = 3", [&forged]).unwrap();
    let evidence = service::verify_history(&f.store, "p1").unwrap().unwrap_err();
    assert_eq!(evidence.seq, 3);
    assert!(service::history(&f.store, &staff, "p1").is_err());

    // Recomputing the forged entry's hash breaks the link to the next one.
    let forged_hash = lvzhi_domain::ids::sha256_hex(forged.as_bytes());
    raw.execute("UPDATE proposal_history SET hash = ?1 WHERE seq = 3", [&forged_hash]).unwrap();
    assert_eq!(service::verify_history(&f.store, "p1").unwrap().unwrap_err().seq, 4);

    // Cutting the last entry off is caught by the head the proposal keeps.
    raw.execute("UPDATE proposal_history SET entry = ?1, hash = (SELECT hash FROM proposal_history WHERE seq = 3) WHERE seq = 3", [&original]).unwrap();
    let real_hash = lvzhi_domain::ids::sha256_hex(original.as_bytes());
    raw.execute("UPDATE proposal_history SET hash = ?1 WHERE seq = 3", [&real_hash]).unwrap();
    assert_eq!(service::verify_history(&f.store, "p1").unwrap(), Ok(()));
    raw.execute("DELETE FROM proposal_history WHERE seq = 4", []).unwrap();
    assert_eq!(service::verify_history(&f.store, "p1").unwrap().unwrap_err().seq, 4);
}

#[test]
fn chinese_search_matches_one_two_and_longer_queries() {
    let f = Fixture::new();
    for (i, topic) in [0, 1, 4, 19].into_iter().enumerate() {
        f.submitted(&format!("p{i}"), topic);
    }
    let staff = f.staff();
    for id in ["p0", "p1", "p2", "p3"] {
        f.act(&staff, id, Action::Register).unwrap();
    }
    let member = f.member(3);
    let titles = |q: &str| -> Vec<String> {
        service::search(&f.store, &member, q, 20).unwrap().into_iter().map(|s| s.title).collect()
    };
    assert_eq!(titles("肉牛"), ["关于发展肉牛养殖产业助推乡村振兴的提案"]);
    assert_eq!(titles("乡村振兴"), ["关于发展肉牛养殖产业助推乡村振兴的提案"]);
    assert_eq!(titles("饮水"), ["关于加强农村饮水安全保障的提案"]);
    assert_eq!(titles("洱"), ["关于保护洱海流域生态环境的提案"]);
    assert_eq!(titles("5G"), ["关于推动5G网络向行政村延伸的提案"]);
    assert_eq!(titles("5g 行政村"), ["关于推动5G网络向行政村延伸的提案"]);
    // Every proposal's text names the county.
    assert_eq!(titles("宾川").len(), 4);
    assert!(titles("骆驼").is_empty());
    assert!(titles("，。！").is_empty());
    // No match across punctuation: 「提案」 is in every title, 「案，」 is not a word.
    assert!(titles("的提案近年").is_empty());

    // A renamed draft is found under its new title only.
    f.draft("p9", 2);
    let m = f.member(0);
    assert_eq!(mine_ids(&f, &m, "高原特色"), ["p9"]);
    let content = ProposalContent {
        attachments: Vec::new(),
        title: "关于发展咖啡产业的提案".into(),
        cause: "普洱、保山咖啡种植面积大，但精深加工不足。".into(),
        suggestions: "建议建设咖啡初加工中心。".into(),
        category: "经济建设".into(),
    };
    f.act(&m, "p9", Action::SaveDraft { content }).unwrap();
    assert_eq!(mine_ids(&f, &m, "咖啡"), ["p9"]);
    assert!(mine_ids(&f, &m, "高原特色").is_empty());
    // Others cannot find the draft.
    assert!(service::search(&f.store, &member, "咖啡", 20).unwrap().is_empty());
}

fn mine_ids(f: &Fixture, who: &Actor, q: &str) -> Vec<String> {
    service::search(&f.store, who, q, 20).unwrap().into_iter().map(|s| s.id).collect()
}

#[test]
fn a_message_mentions_only_members_each_once_and_only_members_send() {
    use lvzhi_domain::chat::{ChatError, GroupKind, Outgoing};
    use lvzhi_store::Side;
    use lvzhi_store::chat::service as chat;

    let f = Fixture::new();
    let (zhang, li, wang) = (f.tree.members[0].clone(), f.tree.members[1].clone(), f.tree.members[2].clone());
    f.store
        .write(|tx| {
            chat::create_group(
                tx,
                &f.staff(),
                "g-grape",
                "葡萄产业调研组",
                GroupKind::Topic,
                &[zhang.clone(), li.clone()],
                f.now,
            )
        })
        .unwrap();
    let out = |id: &str, group: &str, mentions: Vec<String>| Outgoing {
        message_id: id.into(),
        group_id: group.into(),
        text: "请大家周五前提交调研提纲".into(),
        reply_to: None,
        mentions,
        attachments: vec![],
    };
    let sent = f
        .store
        .write(|tx| {
            chat::send(
                tx,
                &f.member(0),
                Side::Server,
                &out("m-1", "g-grape", vec![li.clone(), wang.clone(), li.clone()]),
                f.now,
            )
        })
        .unwrap();
    assert_eq!(sent.mentions, vec![li.clone()], "王芳 is not in the group; 李华 once");
    let refused = f.store.write(|tx| chat::send(tx, &f.member(2), Side::Server, &out("m-2", "g-grape", vec![]), f.now));
    assert!(matches!(refused, Err(Error::Chat(ChatError::NotMember))), "{refused:?}");
    let missing =
        f.store.write(|tx| chat::send(tx, &f.member(0), Side::Server, &out("m-3", "g-nowhere", vec![]), f.now));
    assert!(matches!(missing, Err(Error::NotFound { .. })), "{missing:?}");
}

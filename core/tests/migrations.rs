//! A database of every earlier schema version opens, is migrated, and keeps its data.

use lvzhi_core::org::{Actor, Role};
use lvzhi_core::proposal::lifecycle::{self, Action};
use lvzhi_core::proposal::service;
use lvzhi_core::sample;
use lvzhi_core::store::{MIGRATIONS, Store, latest_version, migrate_to};
use rusqlite::{Connection, params};

/// Writes what a phone on schema version 1 would hold: the small tree and one submitted
/// proposal with its revision and history, using only version-1 columns.
fn fill_version_1(conn: &mut Connection) {
    let now = sample::fixed_now();
    let tx = conn.transaction().unwrap();
    let tree = sample::seed_small(&tx, now).unwrap();
    let actor =
        Actor { person_id: tree.members[0].clone(), role: Role::Member, org_id: tree.county.clone(), unit_id: None };
    let session = lvzhi_core::org::get_session(&tx, &tree.session).unwrap().unwrap();
    let created = lifecycle::create("p-old", &actor, &session, sample::proposal_content(0, "宾川县"), now).unwrap();
    let settings = lvzhi_core::org::OrgSettings::default();
    let ctx = lifecycle::Context { now, session: &session, settings: &settings, revision: &|_| None };
    let submitted = lifecycle::execute(&created.proposal, &actor, &Action::Submit, &ctx).unwrap();
    let p = &submitted.proposal;
    tx.execute(
        "INSERT INTO proposals (id, org_id, session_id, state, title, first_proposer_id, revision, created_at, updated_at, snapshot)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0, 0, ?8)",
        params![p.id, p.org_id, p.session_id, p.state.as_str(), p.content.title, p.first_proposer_id, p.revision, serde_json::to_string(p).unwrap()],
    )
    .unwrap();
    let rev = created.revisions[0].clone();
    tx.execute(
        "INSERT INTO proposal_revisions (proposal_id, number, title, cause, suggestions, category, author_id, saved_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)",
        params![
            rev.proposal_id,
            rev.number,
            rev.content.title,
            rev.content.cause,
            rev.content.suggestions,
            rev.content.category,
            rev.author_id
        ],
    )
    .unwrap();
    for e in [created.entry.unwrap(), submitted.entry.unwrap()] {
        tx.execute(
            "INSERT INTO proposal_history (proposal_id, seq, entry, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![e.entry.proposal_id, e.entry.seq, e.canonical, e.entry.prev_hash, e.hash],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

#[test]
fn every_earlier_version_migrates_to_the_latest() {
    assert!(latest_version() >= 3);
    for from in 0..latest_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let mut conn = Connection::open(&path).unwrap();
            if from >= 1 {
                migrate_to(&mut conn, MIGRATIONS, 1).unwrap();
                fill_version_1(&mut conn);
            }
            migrate_to(&mut conn, MIGRATIONS, from).unwrap();
            let v: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
            assert_eq!(v, from);
        }
        let store = Store::open(&path).unwrap();
        let v: u32 = store
            .read(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(lvzhi_core::Error::from))
            .unwrap();
        assert_eq!(v, latest_version(), "from version {from}");
        if from == 0 {
            continue;
        }
        // The old proposal is intact, searchable (the index was built by migration 2) and
        // its history still verifies.
        let staff = Actor {
            person_id: "s-chenjing".into(),
            role: Role::ProposalStaff,
            org_id: "yn-dali-binchuan".into(),
            unit_id: None,
        };
        let p = service::get(&store, &staff, "p-old").unwrap();
        assert_eq!(p.content.title, "关于发展肉牛养殖产业助推乡村振兴的提案");
        assert_eq!(service::verify_history(&store, "p-old").unwrap(), Ok(()));
        let hits = service::search(&store, &staff, "肉牛", 10).unwrap();
        assert_eq!(hits.len(), 1, "from version {from}");
        let revs = service::revisions(&store, &staff, "p-old").unwrap();
        assert_eq!((revs.len(), revs[0].conflict), (1, false));
        // And it goes on living under the new schema.
        let p = service::act(&store, &staff, "p-old", &Action::Register, sample::fixed_now()).unwrap();
        assert_eq!(p.history_len, 3);
    }
}

#[test]
fn a_database_newer_than_the_app_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", latest_version() + 1).unwrap();
    }
    let err = Store::open(&path).err().expect("must refuse");
    assert!(err.to_string().contains("newer"), "{err}");
}

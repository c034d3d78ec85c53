//! Databases of every earlier schema open, are migrated in place and keep their data; a device
//! database and a server database are told apart, and one is never opened as the other.

use std::io::Read;
use std::path::{Path, PathBuf};

use lvzhi_domain::org::{Actor, Role};
use lvzhi_domain::proposal::lifecycle::{self, Action};
use lvzhi_store::migrations::{self, SPLIT_USER_VERSION, latest_versions, legacy};
use lvzhi_store::proposal::{repo, service};
use lvzhi_store::{DbKind, Error, StorageErrorKind, Store, sample};
use rusqlite::{Connection, params};

/// Writes what a phone on schema version 1 would hold: the small tree and one submitted
/// proposal with its revision and history, using only version-1 columns.
fn fill_version_1(conn: &mut Connection) {
    let now = sample::fixed_now();
    let tx = conn.transaction().unwrap();
    let tree = sample::seed_small(&lvzhi_sql::Transaction::sqlite(&tx), now).unwrap();
    let actor =
        Actor { person_id: tree.members[0].clone(), role: Role::Member, org_id: tree.county.clone(), unit_id: None };
    let session = lvzhi_store::org::get_session(&lvzhi_sql::Connection::sqlite(&tx), &tree.session).unwrap().unwrap();
    let created = lifecycle::create("p-old", &actor, &session, sample::proposal_content(0, "宾川县"), now).unwrap();
    let settings = lvzhi_domain::org::OrgSettings::default();
    let ctx = lifecycle::Context { now, session: &session, settings: &settings, restorable: None };
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
fn every_pre_split_phone_version_migrates_to_the_latest() {
    for from in 0..=legacy::LATEST {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        if from >= 1 {
            let mut conn = Connection::open(&path).unwrap();
            legacy::migrate_to(&mut conn, 1).unwrap();
            fill_version_1(&mut conn);
            legacy::migrate_to(&mut conn, from).unwrap();
            let v: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
            assert_eq!(v, from);
        }
        let store = Store::open(&path, DbKind::Device).unwrap();
        let (user_version, app_id, sets) = store
            .read(|c| {
                let uv: u32 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
                let id: i32 = c.query_row("PRAGMA application_id", [], |r| r.get(0))?;
                Ok::<_, Error>((uv, id, migrations::versions(c)?))
            })
            .unwrap();
        assert_eq!((user_version, app_id), (SPLIT_USER_VERSION, DbKind::Device.application_id()), "from {from}");
        let mut latest: Vec<(String, u32)> =
            latest_versions(DbKind::Device).into_iter().map(|(n, v)| (n.to_string(), v)).collect();
        latest.sort();
        assert_eq!(sets, latest, "from version {from}");
        if from == 0 {
            continue;
        }
        // The old proposal is intact, searchable (the index is rebuilt on open, asked for by the
        // frozen migration 2), and its history still verifies.
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
        let pending: i64 = store
            .read(|c| c.query_row("SELECT count(*) FROM rebuild_requests", [], |r| r.get(0)).map_err(Error::from))
            .unwrap();
        assert_eq!(pending, 0, "the rebuild ran once and was cleared");
        // And it goes on living under the new schema.
        let p = service::act(&store, &staff, "p-old", &Action::Register, sample::fixed_now()).unwrap();
        assert_eq!(p.history_len, 3);
    }
}

fn kind_of(e: Result<Store, Error>) -> Option<StorageErrorKind> {
    e.err().and_then(|e| e.storage_kind())
}

#[test]
fn a_database_newer_than_the_app_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    Connection::open(&path).unwrap().pragma_update(None, "user_version", legacy::LATEST + 1).unwrap();
    assert_eq!(kind_of(Store::open(&path, DbKind::Device)), Some(StorageErrorKind::TooNew));

    let path = dir.path().join("future-set.db");
    drop(Store::open(&path, DbKind::Device).unwrap());
    Connection::open(&path).unwrap().execute("UPDATE schema_sets SET version = 99 WHERE name = 'device'", []).unwrap();
    let err = Store::open(&path, DbKind::Device).err().expect("must refuse");
    assert_eq!(err.storage_kind(), Some(StorageErrorKind::TooNew));
    assert!(err.to_string().contains("newer"), "{err}");
}

#[test]
fn a_phone_database_and_a_server_database_are_never_opened_as_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let (phone, server) = (dir.path().join("phone.db"), dir.path().join("server.db"));
    drop(Store::open(&phone, DbKind::Device).unwrap());
    drop(Store::open(&server, DbKind::Server).unwrap());
    assert_eq!(kind_of(Store::open(&phone, DbKind::Server)), Some(StorageErrorKind::WrongDatabase));
    assert_eq!(kind_of(Store::open(&server, DbKind::Device)), Some(StorageErrorKind::WrongDatabase));
    // Refused without a word written: the phone's file still opens as a phone's.
    drop(Store::open(&phone, DbKind::Device).unwrap());
    // A server database has none of a phone's tables.
    let store = Store::open(&server, DbKind::Server).unwrap();
    for table in ["outbox", "sync_cursors", "proposal_search", "chat_search", "server_entities"] {
        assert!(!has_table(&store, table), "{table} on the server");
    }
    assert!(has_table(&store, "change_log"));
    // Another program's SQLite file is not ours.
    let other = dir.path().join("other.db");
    Connection::open(&other).unwrap().execute_batch("CREATE TABLE notes (text TEXT)").unwrap();
    assert_eq!(kind_of(Store::open(&other, DbKind::Device)), Some(StorageErrorKind::WrongDatabase));
}

fn has_table(store: &Store, name: &str) -> bool {
    store
        .read(|c| {
            c.query_row("SELECT count(*) FROM sqlite_schema WHERE name = ?1", [name], |r| r.get::<_, i64>(0))
                .map_err(Error::from)
        })
        .unwrap()
        > 0
}

/// A database written by the code before the split into crates (commit 9d9503e), unpacked.
fn fixture(name: &str, dir: &Path) -> PathBuf {
    let gz = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(format!("{name}.gz"));
    let mut bytes = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(gz).unwrap()).read_to_end(&mut bytes).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Ids in the fixtures: 张明's submitted and replied proposal, his offline draft, the group.
const SUBMITTED: &str = "df2139d5546d5819ed0959e3a7148894";
const DRAFT: &str = "e2c800d803e5be0dd8703f2df626ef37";
const GROUP: &str = "bca34cc756232710d5800934b1709a8d";

fn count(store: &Store, sql: &str) -> i64 {
    store.read(|c| c.query_row(sql, [], |r| r.get(0)).map_err(Error::from)).unwrap()
}

#[test]
fn a_phone_database_written_before_the_split_migrates_in_place_with_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture("phone-v5.db", dir.path());
    assert_eq!(kind_of(Store::open(&path, DbKind::Server)), Some(StorageErrorKind::WrongDatabase));
    let store = Store::open(&path, DbKind::Device).unwrap();
    let zhang =
        Actor { person_id: "demo-zhangming".into(), role: Role::Member, org_id: "yn-12-03".into(), unit_id: None };
    let replied = service::get(&store, &zhang, SUBMITTED).unwrap();
    assert_eq!(replied.state, lvzhi_domain::proposal::ProposalState::Replied);
    assert_eq!(service::verify_history(&store, SUBMITTED).unwrap(), Ok(()));
    let draft = service::get(&store, &zhang, DRAFT).unwrap();
    assert_eq!(draft.content.title, "关于加强宾川县农村饮水安全保障的提案");
    assert_eq!(service::revisions(&store, &zhang, DRAFT).unwrap().len(), 2);
    // The unsent work is still queued: the draft's two mutations and the offline message.
    assert_eq!(count(&store, "SELECT count(*) FROM outbox WHERE status = 'pending'"), 3);
    assert_eq!(count(&store, &format!("SELECT count(*) FROM chat_messages WHERE group_id = '{GROUP}'")), 2);
    assert_eq!(count(&store, "SELECT count(*) FROM sync_cursors"), 3);
    assert!(count(&store, "SELECT count(*) FROM sync_meta WHERE key = 'tokens'") == 1, "still logged in");
    // Search still finds both, by two characters.
    let hits = service::search(&store, &zhang, "饮水", 10).unwrap();
    assert_eq!(hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), [DRAFT]);
    let rebuilt = store.read(|c| repo::load(c, SUBMITTED)).unwrap().unwrap();
    assert_eq!(rebuilt, replied);
    drop(store);
    // Opening again changes nothing.
    let store = Store::open(&path, DbKind::Device).unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM outbox"), 3);
}

#[test]
fn a_server_database_written_before_the_split_migrates_in_place_and_sheds_the_phone_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = fixture("server-v5-2.db", dir.path());
    assert_eq!(kind_of(Store::open(&path, DbKind::Device)), Some(StorageErrorKind::WrongDatabase));
    let store = Store::open(&path, DbKind::Server).unwrap();
    assert_eq!(count(&store, "SELECT count(*) FROM accounts"), 7);
    assert_eq!(count(&store, "SELECT count(*) FROM change_log"), 1175);
    assert_eq!(count(&store, "SELECT count(*) FROM proposals"), 1);
    assert_eq!(service::verify_history(&store, SUBMITTED).unwrap(), Ok(()));
    for table in ["outbox", "sync_meta", "proposal_search", "chat_search", "proposal_purges", "server_meta"] {
        assert!(!has_table(&store, table), "{table} left on the server");
    }
    // The scope heads came along. Since server migration 0005 they move in the server's code
    // that writes a change (`changes::emit`, tested there), not by a trigger.
    assert_eq!(count(&store, "SELECT max(seq) FROM scope_heads"), count(&store, "SELECT max(seq) FROM change_log"));
    assert!(!has_table(&store, "change_log_moves_head"), "the scope-heads trigger is dropped");
    // The history is strictly append-only.
    let deleted = store.write(|tx| tx.execute("DELETE FROM proposal_history", []).map_err(Error::from));
    assert_eq!(deleted.unwrap_err().storage_kind(), Some(StorageErrorKind::Constraint));
}

#[test]
fn server_0006_takes_study_out_of_stored_rule_tables_and_marks_every_scope_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.db");
    drop(Store::open(&path, DbKind::Server).unwrap());
    // The file as server schema 5 left it: no `redacted` column, a rule table scoring study.
    let mut rules = lvzhi_domain::duty::record::RuleTable::defaults("yn-12-03");
    rules.version = 3;
    rules.points.insert("material_studied".into(), 5);
    rules.points.insert("reading_note".into(), 2);
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "ALTER TABLE entity_scopes DROP COLUMN redacted;
             ALTER TABLE accounts DROP COLUMN disabled_at;
             DROP TABLE activation_codes;
             DROP TABLE push_devices; DROP TABLE push_events; DROP TABLE push_items;
             DROP TABLE push_sends; DROP TABLE sms_numbers; DROP TABLE studio_lookups; DROP TABLE sector_conveners;
             UPDATE schema_sets SET version = 5 WHERE name = 'server';
             INSERT INTO entity_scopes (entity, entity_id, scope) VALUES ('notice', 'n1', 'members:yn-12-03');",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO duty_rules (org_id, data) VALUES ('yn-12-03', ?1)",
            [serde_json::to_string(&rules).unwrap()],
        )
        .unwrap();
    }
    let store = Store::open(&path, DbKind::Server).unwrap();
    let (data, redacted): (String, i64) = store
        .read(|c| {
            let data: String =
                c.query_row("SELECT data FROM duty_rules WHERE org_id = 'yn-12-03'", [], |r| r.get(0))?;
            let redacted: i64 =
                c.query_row("SELECT redacted FROM entity_scopes WHERE entity_id = 'n1'", [], |r| r.get(0))?;
            Ok::<_, Error>((data, redacted))
        })
        .unwrap();
    let migrated: lvzhi_domain::duty::record::RuleTable = serde_json::from_str(&data).unwrap();
    assert_eq!(redacted, 0, "what scopes held before is whole");
    assert!(!migrated.points.contains_key("material_studied") && !migrated.points.contains_key("reading_note"));
    assert_eq!(migrated.version, 3);
    assert_eq!(migrated.points.get("lead_proposal"), Some(&15), "the other rules stay");
}

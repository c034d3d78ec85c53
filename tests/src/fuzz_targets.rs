//! The fuzz targets' bodies, shared by `fuzz/` (cargo-fuzz, libFuzzer, `scripts/fuzz`) and by
//! the regression test that runs every committed corpus on stable Rust in CI
//! (`tests/tests/e2e/fuzz_corpora.rs`). Each takes arbitrary bytes and must neither panic nor leave
//! broken data behind; what must hold is asserted here.

use std::io::Read;

use lvzhi_domain::org::{Actor, Role};
use lvzhi_domain::proposal::{Action, ProposalContent};
use lvzhi_domain::protocol::{MutationKind, SyncRequest};
use lvzhi_store::proposal::{repo, service};
use lvzhi_store::{DbKind, Side, Store, mutation, sample, search};

/// A sync request as the server reads it: gzip or plain JSON, at most 4 MiB decoded. A request
/// that decodes survives a round trip unchanged.
pub fn sync_request(data: &[u8]) {
    let mut json = Vec::new();
    let bytes: &[u8] = if data.starts_with(&[0x1f, 0x8b]) {
        let decoder = flate2::read::GzDecoder::new(data);
        if decoder.take(4 * 1024 * 1024).read_to_end(&mut json).is_err() {
            return;
        }
        &json
    } else {
        data
    };
    if let Ok(req) = serde_json::from_slice::<SyncRequest>(bytes) {
        let again: SyncRequest = serde_json::from_slice(&serde_json::to_vec(&req).unwrap()).unwrap();
        assert_eq!(again, req);
    }
}

/// The Chinese tokenizer and query builder: whatever a member types, the index terms are
/// well formed and the query is valid FTS5 syntax that runs.
pub fn tokenizer(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (bi, uni) = search::index_terms(&text);
    for terms in [&bi, &uni] {
        assert!(!terms.contains("  ") && !terms.starts_with(' ') && !terms.ends_with(' '), "{terms:?}");
    }
    let Some(expr) = search::match_expression(&text, &["b"], &["u"]) else { return };
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch("CREATE VIRTUAL TABLE t USING fts5(b, u, tokenize = 'ascii')").unwrap();
    conn.execute("INSERT INTO t (b, u) VALUES (?1, ?2)", [&bi, &uni]).unwrap();
    let hits: i64 = conn
        .query_row("SELECT count(*) FROM t WHERE t MATCH ?1", [&expr], |r| r.get(0))
        .unwrap_or_else(|e| panic!("query {expr:?} for {text:?} is not valid FTS5: {e}"));
    // A text always finds itself.
    assert_eq!(hits, 1, "{text:?} does not find itself with {expr:?}");
}

/// A bootstrap file as `lvzhi-server bootstrap` reads it: loading it into a fresh server
/// database either succeeds or is refused whole.
pub fn bootstrap_file(data: &[u8]) {
    let Ok(file) = serde_json::from_slice::<lvzhi_server::bootstrap::BootstrapFile>(data) else { return };
    let dir = tempfile::tempdir().unwrap();
    let store = lvzhi_server::db::Db::Sqlite(Store::open(dir.path().join("server.db"), DbKind::Server).unwrap());
    if lvzhi_server::bootstrap::load(&store, &file, sample::fixed_now()).is_err() {
        let orgs: i64 = store
            .read(|c| {
                c.query_row("SELECT count(*) FROM organisations", [], |r| r.get(0)).map_err(lvzhi_store::Error::from)
            })
            .unwrap();
        assert_eq!(orgs, 0, "a refused file leaves nothing half loaded");
    }
}

/// A random sequence of proposal actions by the small tree's people, applied on a phone's
/// database the way the outbox applies them: refusals are fine; afterwards every proposal's
/// history still verifies and every stored proposal reads back.
pub fn mutations(data: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("phone.db"), DbKind::Device).unwrap();
    let now = sample::fixed_now();
    let tree = store.write(|tx| sample::seed_small(tx, now)).unwrap();
    let member = |i: u8| Actor {
        person_id: tree.members[i as usize % tree.members.len()].clone(),
        role: Role::Member,
        org_id: tree.county.clone(),
        unit_id: None,
    };
    let staff =
        Actor { person_id: tree.staff.clone(), role: Role::ProposalStaff, org_id: tree.county.clone(), unit_id: None };
    for (step, chunk) in data.chunks(4).take(64).enumerate() {
        let [op, who, arg, extra] =
            [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0), *chunk.get(3).unwrap_or(&0)];
        let id = format!("p{}", arg % 3);
        let actor = if op % 10 == 8 { staff.clone() } else { member(who) };
        let text = |n: u8| ProposalContent {
            title: format!("第{n}稿"),
            ..sample::proposal_content(n as usize, "宾川县")
        };
        let action = |a: Action| MutationKind::ProposalAction {
            proposal_id: id.clone(),
            action: a,
            base_revision: u32::from(extra % 4),
        };
        let kind = match op % 10 {
            0 => MutationKind::CreateProposal {
                proposal_id: id.clone(),
                session_id: tree.session.clone(),
                content: text(extra),
            },
            1 => action(Action::SaveDraft { content: text(extra) }),
            2 => action(Action::Invite { person_id: member(extra).person_id }),
            3 => action(Action::OpenCoSigning),
            4 => action(Action::RespondInvitation { accept: extra % 2 == 0 }),
            5 => action(Action::Submit),
            6 => action(Action::Withdraw { reason: "撤回".into() }),
            7 => action(Action::RestoreRevision { revision: u32::from(extra % 5) }),
            8 => action(Action::Register),
            _ => action(Action::ReopenDraft),
        };
        let at = now + chrono::Duration::minutes(step as i64);
        let _ = store.write(|tx| mutation::in_savepoint(tx, || mutation::apply(tx, &actor, &kind, Side::Device, at)));
    }
    for id in ["p0", "p1", "p2"] {
        if store.read(|c| repo::load(c, id)).unwrap().is_some() {
            assert_eq!(service::verify_history(&store, id).unwrap(), Ok(()), "{id}");
        }
    }
}

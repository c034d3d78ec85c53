//! The one writer of pushed mutations. SQLite takes one writer at a time, so instead of every
//! request queueing on the write lock and paying for its own commit, requests hand their batch
//! to one thread, which applies whatever has queued up since its last commit in one transaction
//! (group commit). A request that fails (a gap, another user's device) must roll back alone and
//! a refused mutation alone, while the others still commit: that takes a savepoint per request
//! and per mutation, which cost a fifth of the writer's time in a profile of chat pushes. Since
//! almost every batch succeeds whole (phones check the same rules before sending), a batch runs
//! first without savepoints; if anything in it fails or is refused, the transaction rolls back
//! and the batch runs again with them. Replies go out only after the commit, so a client never
//! hears "applied" for something that is not on disk.

use std::collections::BTreeSet;
use std::sync::Weak;

use axum::http::StatusCode;
use lvzhi_domain::protocol::{Mutation, MutationKind, MutationOutcome, MutationResult};
use lvzhi_domain::time::Timestamp;
use lvzhi_sql::{Connection, OptionalExtension, Transaction, params};
use lvzhi_store::mutation::{self, Side};
use lvzhi_store::org;
use tokio::sync::{mpsc, oneshot};

use crate::AppState;
use crate::changes;
use crate::error::ApiError;
use crate::fanout::Committed;

/// Requests applied in one transaction, at most: enough to amortise a commit, few enough that
/// the first in line does not wait long for the last.
const MAX_GROUP: usize = 256;

/// What a request's batch came to.
#[derive(Debug)]
pub struct Pushed {
    pub results: Vec<MutationResult>,
    /// The last mutation id decided for this client.
    pub last_applied: u64,
}

struct Job {
    person_id: String,
    client_id: String,
    /// The session the request came with (a registered push token lives and dies with it).
    session_id: String,
    mutations: Vec<Mutation>,
    reply: oneshot::Sender<Result<Pushed, ApiError>>,
}

/// The handle requests submit to; the thread behind it stops when the last handle is gone.
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer thread. It holds the state weakly: the state owns this handle.
    pub fn start(app: Weak<AppState>) -> Writer {
        let (jobs, rx) = mpsc::channel(4 * MAX_GROUP);
        std::thread::Builder::new()
            .name("lvzhi-writer".into())
            .spawn(move || run(app, rx))
            .expect("start the writer thread");
        Writer { jobs }
    }

    /// Applies one client's batch, in order, exactly once per mutation id; waits for the commit.
    pub async fn push(
        &self,
        person_id: &str,
        session_id: &str,
        client_id: &str,
        mutations: Vec<Mutation>,
    ) -> Result<Pushed, ApiError> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            person_id: person_id.into(),
            client_id: client_id.into(),
            session_id: session_id.into(),
            mutations,
            reply,
        };
        self.jobs.send(job).await.map_err(|_| ApiError::internal("the writer has stopped"))?;
        answer.await.map_err(|_| ApiError::internal("the writer dropped a request"))?
    }
}

fn run(app: Weak<AppState>, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.blocking_recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let Some(app) = app.upgrade() else { return };
        // A panic in domain code must not take the one writer down with it: the transaction
        // rolls back as it unwinds, these requests get an error, and the next batch goes on.
        let committed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            match write_batch(&app, &jobs, Isolation::None) {
                Err(Attempt::Redo) => write_batch(&app, &jobs, Isolation::Savepoints),
                done => done,
            }
        }))
        .unwrap_or_else(|_| {
            Err(Attempt::Failed(lvzhi_store::Error::Storage(lvzhi_store::StorageError::new(
                lvzhi_store::StorageErrorKind::Other,
                "the writer panicked",
            ))))
        });
        match committed {
            Ok(BatchDone { outcomes, committed, told }) => {
                committed.apply(&app);
                if told > 0
                    && let Some(push) = &app.push
                {
                    push.wake();
                }
                for (job, outcome) in jobs.into_iter().zip(outcomes) {
                    let _ = job.reply.send(outcome);
                }
            }
            Err(e) => {
                let e = match e {
                    Attempt::Failed(e) => e.to_string(),
                    Attempt::Redo => "a batch with savepoints asked to be run again".to_string(),
                };
                tracing::error!("group commit failed: {e}");
                for job in jobs {
                    let _ = job.reply.send(Err(ApiError::internal("group commit failed")));
                }
            }
        }
    }
}

/// How a batch runs: optimistically, or with a savepoint per request and per mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Isolation {
    None,
    Savepoints,
}

/// Why a batch's transaction did not commit.
enum Attempt {
    /// Something in a batch run without savepoints failed or was refused: run it again with them.
    Redo,
    Failed(lvzhi_store::Error),
}

impl From<lvzhi_store::Error> for Attempt {
    fn from(e: lvzhi_store::Error) -> Attempt {
        Attempt::Failed(e)
    }
}

impl From<lvzhi_sql::Error> for Attempt {
    fn from(e: lvzhi_sql::Error) -> Attempt {
        Attempt::Failed(e.into())
    }
}

/// A committed batch: each request's answer, what other processes hear, and how many events
/// for push it recorded.
struct BatchDone {
    outcomes: Vec<Result<Pushed, ApiError>>,
    committed: Committed,
    told: usize,
}

/// Applies `jobs` in one transaction and commits it.
fn write_batch(app: &AppState, jobs: &[Job], isolation: Isolation) -> Result<BatchDone, Attempt> {
    app.store.write(|tx| {
        if tx.dialect() == lvzhi_sql::Dialect::Postgres {
            // The change log's turn first (the lock its trigger takes, held to commit): taken
            // before any device's row, writers of several processes queue in one order and never
            // deadlock (one device pushing to two processes at once).
            tx.query_row(
                "SELECT pg_advisory_xact_lock(?1)",
                [lvzhi_store::migrations::postgres::CHANGE_LOG_LOCK],
                |_| Ok(()),
            )?;
        }
        let log_end = changes::log_end(tx)?;
        let mut outcomes = Vec::with_capacity(jobs.len());
        // Events for push recorded by this batch (rolled back with whatever caused them).
        let told = std::cell::Cell::new(0usize);
        for job in jobs {
            let outcome = match isolation {
                Isolation::Savepoints => in_job_savepoint(tx, || apply_batch(app, tx, job, isolation, &told)),
                Isolation::None => apply_batch(app, tx, job, isolation, &told),
            };
            match outcome {
                Ok(Decided::Pushed(pushed)) => outcomes.push(Ok(pushed)),
                Err(e) if isolation == Isolation::Savepoints => outcomes.push(Err(e)),
                // A failure or refusal left writes of its own in the transaction: start again.
                Ok(Decided::Redo) | Err(_) => return Err(Attempt::Redo),
            }
        }
        let committed = Committed {
            from: app.process_id.clone(),
            heads: changes::written_since(tx, log_end)?,
            clients: jobs
                .iter()
                .zip(&outcomes)
                .filter_map(|(job, o)| {
                    o.as_ref().ok().map(|p| (job.client_id.clone(), job.person_id.clone(), p.last_applied))
                })
                .collect(),
            membership: jobs.iter().flat_map(|j| &j.mutations).any(|m| changes_membership(&m.kind)),
            overflow: false,
        };
        // Other server processes on the same PostgreSQL hear it if, and when, this commits.
        committed.publish(tx)?;
        Ok(BatchDone { outcomes, committed, told: told.get() })
    })
}

/// A request's batch, applied; or, run without savepoints, the word that it must run again.
enum Decided {
    Pushed(Pushed),
    Redo,
}

/// Runs one request's batch so that its failure undoes only its own writes.
fn in_job_savepoint(tx: &Transaction<'_>, f: impl FnOnce() -> Result<Decided, ApiError>) -> Result<Decided, ApiError> {
    let run = |sql: &str| tx.prepare_cached(sql).and_then(|mut s| s.execute([])).map_err(ApiError::internal);
    run("SAVEPOINT push")?;
    let outcome = f();
    if outcome.is_err() {
        run("ROLLBACK TO push")?;
    }
    run("RELEASE push")?;
    outcome
}

/// Whether a mutation may change whose scopes are whose (chat group membership).
fn changes_membership(kind: &MutationKind) -> bool {
    matches!(
        kind,
        MutationKind::CreateGroup { .. } | MutationKind::SetGroupMembers { .. } | MutationKind::LeaveGroup { .. }
    )
}

/// One client's batch: a replay (id ≤ last decided) answers what was decided then and changes
/// nothing; a gap is refused whole; each new mutation's result is recorded with it.
fn apply_batch(
    app: &AppState,
    tx: &Transaction<'_>,
    job: &Job,
    isolation: Isolation,
    told: &std::cell::Cell<usize>,
) -> Result<Decided, ApiError> {
    let now = (app.clock)();
    let (client_id, person_id) = (job.client_id.as_str(), job.person_id.as_str());
    let insert_device = || {
        tx.prepare_cached("INSERT INTO clients (client_id, person_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
            .and_then(|mut s| s.execute(params![client_id, person_id]))
            .map_err(lvzhi_store::Error::from)
    };
    if tx.dialect() == lvzhi_sql::Dialect::Postgres {
        // Claim the device's row before reading how far it got: several server processes may
        // take pushes from one device at once (a retry on another connection); the second waits
        // for the first to commit and then sees what it decided (exactly once, in order). On
        // SQLite this process's one writer is the only one, and a known device costs no write.
        insert_device()?;
        tx.prepare_cached("SELECT 1 FROM clients WHERE client_id = ?1 FOR UPDATE")
            .and_then(|mut s| s.query_row([client_id], |_| Ok(())))
            .map_err(lvzhi_store::Error::from)?;
    }
    let mut last = match last_decided(tx, person_id, client_id)? {
        Some(last) => last,
        None => {
            insert_device()?;
            0
        }
    };
    let mut results = Vec::with_capacity(job.mutations.len());
    for m in &job.mutations {
        if m.id <= last {
            let stored: Option<String> = tx
                .prepare_cached("SELECT outcome FROM mutation_results WHERE client_id = ?1 AND mutation_id = ?2")
                .and_then(|mut s| s.query_row(params![client_id, m.id as i64], |r| r.get(0)).optional())
                .map_err(lvzhi_store::Error::from)?;
            let outcome = stored.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or(MutationOutcome::Applied);
            results.push(MutationResult { id: m.id, outcome });
            continue;
        }
        if m.id != last + 1 {
            // A database restored from a backup never saw what this phone sent after the
            // backup; the phone no longer holds those (they were acknowledged), so go on from here.
            let restored = crate::backup::was_restored(tx).map_err(ApiError::from)?;
            if !(restored && m.id > last + 1) {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    format!("操作编号不连续：已处理到{last}，收到{}", m.id),
                ));
            }
            tracing::warn!(client = client_id, from = last, to = m.id, "client ahead of a restored database");
        }
        let outcome = decide(app, tx, job, m, now, isolation, told)?;
        if isolation == Isolation::None && matches!(outcome, MutationOutcome::Rejected { .. }) {
            return Ok(Decided::Redo);
        }
        let recorded = serde_json::to_string(&outcome).map_err(lvzhi_store::Error::from)?;
        tx.prepare_cached("INSERT INTO mutation_results (client_id, mutation_id, outcome) VALUES (?1, ?2, ?3)")
            .and_then(|mut s| s.execute(params![client_id, m.id as i64, recorded]))
            .map_err(lvzhi_store::Error::from)?;
        last = m.id;
        results.push(MutationResult { id: m.id, outcome });
    }
    tx.prepare_cached("UPDATE clients SET last_mutation_id = ?2 WHERE client_id = ?1")
        .and_then(|mut s| s.execute(params![client_id, last as i64]))
        .map_err(lvzhi_store::Error::from)?;
    Ok(Decided::Pushed(Pushed { results, last_applied: last }))
}

/// The last mutation id decided for this client; None for a client never seen. A device
/// registered to someone else is refused.
pub fn last_decided(c: &Connection, person_id: &str, client_id: &str) -> Result<Option<u64>, ApiError> {
    let owner: Option<(String, i64)> = c
        .prepare_cached("SELECT person_id, last_mutation_id FROM clients WHERE client_id = ?1")
        .and_then(|mut s| s.query_row([client_id], |r| Ok((r.get(0)?, r.get(1)?))).optional())
        .map_err(lvzhi_store::Error::from)?;
    match owner {
        Some((owner, _)) if owner != person_id => Err(ApiError::forbidden("该设备属于其他用户，请重新登录")),
        Some((_, last)) => Ok(Some(last as u64)),
        None => Ok(None),
    }
}

/// Applies one mutation with the same domain code as the phone. A refusal is recorded and
/// answered (with savepoints, the refused mutation's writes are undone alone; without, the
/// caller runs the batch again); a failure of the machinery aborts the request so the client
/// retries.
fn decide(
    app: &AppState,
    tx: &Transaction<'_>,
    job: &Job,
    m: &Mutation,
    now: Timestamp,
    isolation: Isolation,
    told: &std::cell::Cell<usize>,
) -> Result<MutationOutcome, ApiError> {
    let person_id = job.person_id.as_str();
    let grants = org::roles_of(tx, person_id)?;
    let run = || {
        let actor = mutation::actor_from_grants(person_id, &grants, &m.acting_as)?;
        let mutation::Effects { proposals, entities, sent, groups, messages, read_markers } =
            mutation::apply(tx, &actor, &m.kind, Side::Server, now)?;
        // After the rules (which bound how many files an entity carries): each must be a whole
        // blob the actor may read; a refusal here undoes the mutation with the savepoint.
        crate::blobs::refer(tx, person_id, &m.kind)?;
        let touched: BTreeSet<String> = proposals.into_iter().collect();
        for id in &touched {
            changes::emit_proposal(tx, id, now)?;
        }
        let entities: BTreeSet<_> = entities.into_iter().collect();
        for (kind, id) in &entities {
            changes::emit_entity(tx, *kind, id, now)?;
        }
        // What changed is the effects' to say, not the mutation's kind.
        for group_id in &groups {
            changes::emit_group(tx, group_id, now)?;
        }
        if let Some(sent) = &sent {
            changes::emit_sent_message(tx, sent, now)?;
        }
        for message_id in &messages {
            changes::emit_message(tx, message_id, now)?;
        }
        for (group_id, person) in &read_markers {
            changes::emit_read_marker(tx, group_id, person, now)?;
        }
        if let MutationKind::RegisterPushToken { vendor, token } = &m.kind {
            crate::push::devices::register(tx, person_id, &job.client_id, &job.session_id, *vendor, token, now)?;
        }
        // Push off: nothing records events that no sender would take.
        let recorded = if app.push.is_some() { crate::push::events::record(tx, person_id, &m.kind, now)? } else { 0 };
        told.set(told.get() + recorded);
        Ok(())
    };
    let applied = match isolation {
        Isolation::Savepoints => mutation::in_savepoint(tx, run),
        Isolation::None => run(),
    };
    match applied {
        Ok(()) => Ok(MutationOutcome::Applied),
        Err(e) if e.is_refusal() => Ok(MutationOutcome::Rejected { reason: e.to_string() }),
        Err(e) => Err(ApiError::internal(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use lvzhi_domain::chat::{GroupKind, Outgoing};
    use lvzhi_domain::org::Role;
    use lvzhi_domain::protocol::ActingAs;

    use crate::{AppState, Config, bootstrap};

    fn demo() -> (tempfile::TempDir, Arc<AppState>) {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::open(Config::new(dir.path().join("server.db"), "127.0.0.1:0".parse().unwrap())).unwrap();
        bootstrap::seed_demo(&state.store, lvzhi_domain::time::now()).unwrap();
        (dir, Arc::new(state))
    }

    fn job(person: &str, client: &str, mutations: Vec<Mutation>) -> Job {
        let (reply, _) = oneshot::channel();
        Job { person_id: format!("demo-{person}"), client_id: client.into(), session_id: "s".into(), mutations, reply }
    }

    fn mutation(id: u64, role: Role, kind: MutationKind) -> Mutation {
        Mutation { id, acting_as: ActingAs { role, org_id: "yn-12-03".into() }, kind }
    }

    fn send(id: u64, message_id: &str, text: &str) -> Mutation {
        let message = Outgoing {
            message_id: message_id.into(),
            group_id: "g-agri-study".into(),
            text: text.into(),
            reply_to: None,
            mentions: vec![],
            attachments: vec![],
        };
        mutation(id, Role::Member, MutationKind::SendMessage { message })
    }

    fn count(app: &AppState, sql: &str) -> i64 {
        app.store.read(|c| c.query_row(sql, [], |r| r.get(0)).map_err(lvzhi_store::Error::from)).unwrap()
    }

    #[test]
    fn a_batch_with_a_refusal_and_a_gap_runs_again_with_savepoints_and_only_those_roll_back() {
        let (_dir, app) = demo();
        // Staff make a study group of 张明 and 李华; 张明 writes in it: nothing fails, one commit.
        let create = MutationKind::CreateGroup {
            group_id: "g-agri-study".into(),
            name: "农业界学习群".into(),
            kind: GroupKind::Sector,
            members: vec!["demo-zhangming".into(), "demo-lihua".into()],
        };
        let clean = vec![
            job("chenjing", "cj-phone", vec![mutation(1, Role::ProposalStaff, create)]),
            job("zhangming", "zm-phone", vec![send(1, "m-1", "宾川县葡萄产业调研安排")]),
        ];
        let BatchDone { outcomes, .. } =
            write_batch(&app, &clean, Isolation::None).ok().expect("a clean batch commits at once");
        assert!(outcomes.iter().all(|o| o.as_ref().is_ok_and(|p| p.results[0].outcome == MutationOutcome::Applied)));

        // 李华 writes (fine); 王芳 is not in the group (refused); 张明's phone skips ids (a gap);
        // 张明's second phone writes (fine).
        let mixed = vec![
            job("lihua", "lh-phone", vec![send(1, "m-2", "收到，周五出发")]),
            job("wangfang", "wf-phone", vec![send(1, "m-3", "我也想参加")]),
            job("zhangming", "zm-phone", vec![send(5, "m-4", "编号跳过的消息")]),
            job("zhangming", "zm-tablet", vec![send(1, "m-5", "请带好调研提纲")]),
        ];
        assert!(matches!(write_batch(&app, &mixed, Isolation::None), Err(Attempt::Redo)));
        assert_eq!(count(&app, "SELECT count(*) FROM chat_messages"), 1, "the first attempt rolled back whole");
        let BatchDone { outcomes, .. } = write_batch(&app, &mixed, Isolation::Savepoints).ok().expect("commits");
        let outcome = |i: usize| outcomes[i].as_ref().map(|p| p.results[0].outcome.clone());
        assert_eq!(outcome(0).unwrap(), MutationOutcome::Applied);
        assert!(matches!(outcome(1).unwrap(), MutationOutcome::Rejected { .. }));
        assert!(outcome(2).is_err(), "a gap is refused whole");
        assert_eq!(outcome(3).unwrap(), MutationOutcome::Applied);
        // m-1, m-2 and m-5, in that order, each once in the change log; nothing of m-3 or m-4.
        let text = |sql: &str| -> String {
            app.store.read(|c| c.query_row(sql, [], |r| r.get(0)).map_err(lvzhi_store::Error::from)).unwrap()
        };
        assert_eq!(
            text("SELECT group_concat(id || ':' || seq, ' ') FROM (SELECT id, seq FROM chat_messages ORDER BY seq)"),
            "m-1:1 m-2:2 m-5:3"
        );
        assert_eq!(
            text(
                "SELECT group_concat(entity_id, ' ') FROM (SELECT entity_id FROM change_log WHERE entity = 'message' ORDER BY seq)"
            ),
            "m-1 m-2 m-5"
        );
        // What was decided is remembered per device: 王芳's refusal too, not 张明's gap.
        assert_eq!(count(&app, "SELECT last_mutation_id FROM clients WHERE client_id = 'wf-phone'"), 1);
        assert_eq!(count(&app, "SELECT last_mutation_id FROM clients WHERE client_id = 'zm-phone'"), 1);
        assert_eq!(count(&app, "SELECT count(*) FROM mutation_results WHERE client_id = 'zm-phone'"), 1);
    }
}

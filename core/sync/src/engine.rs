//! The sync engine's core: the device's send queue (every local action is applied here at
//! once and queued in the outbox in the same transaction), what changed (for live lists), and
//! the status the UI shows. Logging in and out is in [`crate::session`], the round trips and
//! the background loop in [`crate::pull`].

use std::path::Path;
use std::sync::atomic::AtomicU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lvzhi_domain::ids::new_id;
use lvzhi_domain::org::Actor;
use lvzhi_domain::protocol::{ActingAs, Mutation, MutationKind, default_initial_messages};
use lvzhi_domain::time::{Clock, Timestamp, system_clock};
use lvzhi_sql::Transaction;
use lvzhi_store::mutation::{self, Side};
use lvzhi_store::{DbKind, Store, chat};
use tokio::sync::{Notify, broadcast, watch};

use crate::apply;
use crate::error::{Error, Result};
use crate::outbox::{self, OutboxEntry, meta_get, meta_set};
use crate::transport::Transport;

/// What the sync banner shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum SyncState {
    Idle,
    Syncing,
    /// The server cannot be reached; work is kept and sent when it can.
    Offline,
    Error {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SyncStatus {
    pub state: SyncState,
    /// Milliseconds since the epoch of the last successful sync.
    pub last_success_ms: Option<i64>,
    pub pending: u32,
    pub rejected: u32,
}

/// How the background loop waits and retries.
#[derive(Debug, Clone)]
pub struct LoopSettings {
    /// Long-poll for this long while in the foreground.
    pub long_poll_secs: u32,
    pub min_backoff: Duration,
    pub max_backoff: Duration,
}

impl Default for LoopSettings {
    fn default() -> Self {
        LoopSettings {
            long_poll_secs: 25,
            min_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
        }
    }
}

/// What changed (locally or from the server), for live lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changed {
    pub proposals: Vec<String>,
    pub groups: Vec<String>,
    /// Notices, meetings, record entries, rules, feedback, reports, topics, materials, news…
    pub aggregates: Vec<lvzhi_domain::aggregate::Aggregate>,
}

impl Changed {
    /// What a local write changed, for live lists: read from the one effect value every
    /// feature's apply returns (the same the server writes its change log from).
    fn of(c: &lvzhi_sql::Connection, effects: &mutation::Effects) -> Result<Changed> {
        Ok(Changed {
            proposals: effects.proposals.clone(),
            groups: effects.chat_groups(c)?,
            aggregates: effects.aggregates(),
        })
    }
}

pub struct SyncClient {
    pub(crate) store: Arc<Store>,
    pub(crate) transport: Transport,
    pub(crate) clock: Clock,
    status: Mutex<SyncStatus>,
    status_tx: watch::Sender<SyncStatus>,
    /// Rung when there is local work to send, to cut a long-poll short.
    pub(crate) wake: Notify,
    /// What changed (locally or from the server), for live lists.
    changes: broadcast::Sender<Changed>,
    /// Recent messages a newly joined group starts with.
    pub(crate) initial_messages: AtomicU32,
    /// Rung when a file is attached, to start its upload.
    pub(crate) uploads_wake: Notify,
    /// Bytes done of each upload and download, for progress bars.
    pub(crate) progress: broadcast::Sender<crate::file_cache::TransferProgress>,
    /// Uploads tried since start: these ask the server how far they got before sending more.
    pub(crate) tried_uploads: Mutex<std::collections::HashSet<String>>,
}

impl SyncClient {
    /// Opens the device database at `db` for the server at `base_url`, on the wall clock.
    pub fn open(db: impl AsRef<Path>, base_url: &str) -> Result<SyncClient> {
        let store = Arc::new(Store::open(db, DbKind::Device)?);
        Self::with_transport(store, Transport::new(base_url)?, system_clock())
    }

    /// Like [`SyncClient::open`], also trusting server keys whose SPKI SHA-256 is in `pins`.
    pub fn open_pinned(db: impl AsRef<Path>, base_url: &str, pins: &[String]) -> Result<SyncClient> {
        let store = Arc::new(Store::open(db, DbKind::Device)?);
        let http = crate::pinning::pinned_http_client(pins)?;
        Self::with_transport(store, Transport::with(base_url, http), system_clock())
    }

    /// Opens the device database at `db`, encrypted with `key` (a plain one is encrypted in place
    /// first), for the server at `base_url`; `pins` as in [`SyncClient::open_pinned`] (may be
    /// empty).
    pub fn open_encrypted(
        db: impl AsRef<Path>,
        key: &lvzhi_store::DbKey,
        base_url: &str,
        pins: &[String],
    ) -> Result<SyncClient> {
        let store = Arc::new(Store::open_encrypted(db, DbKind::Device, key)?);
        let transport = if pins.is_empty() {
            Transport::new(base_url)?
        } else {
            Transport::with(base_url, crate::pinning::pinned_http_client(pins)?)
        };
        Self::with_transport(store, transport, system_clock())
    }

    /// With a given HTTP client and clock (tests use a fixed clock and no connection reuse).
    pub fn with(store: Arc<Store>, base_url: &str, http: reqwest::Client, clock: Clock) -> Result<SyncClient> {
        Self::with_transport(store, Transport::with(base_url, http), clock)
    }

    fn with_transport(store: Arc<Store>, transport: Transport, clock: Clock) -> Result<SyncClient> {
        store.write(|tx| {
            if meta_get::<String>(tx, "client_id")?.is_none() {
                meta_set(tx, "client_id", &new_id())?;
            }
            Ok::<_, Error>(())
        })?;
        let last_success_ms = store.read(|c| meta_get::<i64>(c, "last_success_ms"))?;
        let status = SyncStatus { state: SyncState::Idle, last_success_ms, pending: 0, rejected: 0 };
        let (status_tx, _) = watch::channel(status.clone());
        let client = SyncClient {
            store,
            transport,
            clock,
            status: Mutex::new(status),
            status_tx,
            wake: Notify::new(),
            changes: broadcast::channel(64).0,
            initial_messages: AtomicU32::new(default_initial_messages()),
            uploads_wake: Notify::new(),
            progress: broadcast::channel(256).0,
            tried_uploads: Mutex::new(Default::default()),
        };
        client.refresh_counts()?;
        Ok(client)
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// "Now", from the clock this engine was given.
    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    pub fn client_id(&self) -> Result<String> {
        self.store.read(|c| meta_get::<String>(c, "client_id"))?.ok_or(Error::not_found("设备编号"))
    }

    // --- The send queue --------------------------------------------------------------------

    /// Applies a mutation here, with the same rules as the server, and queues it, in one
    /// transaction; returns its id. A refusal comes back with the server's reason and nothing
    /// is written. A mutation that carries files still uploading is held (its id is then at
    /// least [`outbox::HELD_ID_BASE`]) and joins the outbox when they are on the server.
    pub fn record(&self, acting_as: &ActingAs, kind: MutationKind) -> Result<u64> {
        let actor = self.actor(acting_as)?;
        let now = self.now();
        let (id, changed) = self.store.write(|tx| {
            let changed = Changed::of(tx, &mutation::apply(tx, &actor, &kind, Side::Device, now)?)?;
            if crate::file_cache::waits_for_upload(tx, &kind, &acting_as.org_id)? {
                return Ok::<_, Error>((outbox::hold(tx, acting_as.clone(), kind, now)?, changed));
            }
            let m = outbox::push(tx, acting_as.clone(), kind, now)?;
            link_message(tx, &m)?;
            Ok::<_, Error>((m.id, changed))
        })?;
        self.after_local_change(changed)?;
        Ok(id)
    }

    /// The actor for the logged-in person acting as `acting_as`.
    pub fn actor(&self, acting_as: &ActingAs) -> Result<Actor> {
        let (person_id, grants) = self.identity()?;
        Ok(mutation::actor_from_grants(&person_id, &grants, acting_as)?)
    }

    pub(crate) fn after_local_change(&self, changed: Changed) -> Result<()> {
        self.refresh_counts()?;
        self.notify(changed);
        self.wake.notify_one();
        Ok(())
    }

    /// Tells live lists what changed; nobody listening is fine.
    pub fn notify(&self, changed: Changed) {
        if !changed.proposals.is_empty() || !changed.groups.is_empty() || !changed.aggregates.is_empty() {
            let _ = self.changes.send(changed);
        }
    }

    /// Notices of what changed, for live lists.
    pub fn watch_changes(&self) -> broadcast::Receiver<Changed> {
        self.changes.subscribe()
    }

    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        Ok(self.store.read(outbox::all)?)
    }

    /// Drops a refused mutation; what it changed shows the server's version again (a message
    /// that was never sent disappears).
    pub fn discard(&self, mutation_id: u64) -> Result<()> {
        let (person_id, grants) = self.identity()?;
        let (proposals, group, aggregates) = self.store.write(|tx| {
            let entry = outbox::get(tx, mutation_id)?.ok_or(Error::not_found("待发送操作"))?;
            let group = chat::repo::group_of_mutation(tx, &entry.mutation.kind)?;
            outbox::remove(tx, mutation_id)?;
            // What waited behind a held action may go now.
            if entry.is_held() {
                for m in outbox::release_held(tx)? {
                    link_message(tx, &m)?;
                }
            }
            if let MutationKind::SendMessage { message } = &entry.mutation.kind
                && chat::repo::message(tx, &message.message_id)?.is_some_and(|m| m.seq.is_none())
            {
                chat::repo::forget_message(tx, &message.message_id)?;
            }
            let proposals = entry.mutation.kind.touches();
            apply::rebuild(tx, &proposals.iter().cloned().collect(), &person_id, &grants)?;
            // A discarded change of an aggregate leaves the server's version (and other pending work).
            let aggregates: std::collections::BTreeSet<_> =
                entry.mutation.kind.aggregate(&entry.mutation.acting_as.org_id).into_iter().collect();
            apply::rebuild_aggregates(tx, &aggregates, &person_id, &grants)?;
            Ok::<_, Error>((proposals, group, aggregates.into_iter().collect()))
        })?;
        self.after_local_change(Changed { proposals, groups: group.into_iter().collect(), aggregates })
    }

    /// Sends a refused mutation again (after the member changed what made it fail), as a new
    /// mutation.
    pub fn resend(&self, mutation_id: u64) -> Result<()> {
        let entry = self.store.read(|c| outbox::get(c, mutation_id))?.ok_or(Error::not_found("待发送操作"))?;
        let actor = self.actor(&entry.mutation.acting_as)?;
        let now = self.now();
        let changed = self.store.write(|tx| {
            outbox::remove(tx, mutation_id)?;
            let changed = Changed::of(tx, &mutation::apply(tx, &actor, &entry.mutation.kind, Side::Device, now)?)?;
            let (acting_as, kind) = (entry.mutation.acting_as.clone(), entry.mutation.kind.clone());
            // Sent again like a new action: behind what is held before it, or held for its files.
            if crate::file_cache::waits_for_upload(tx, &kind, &acting_as.org_id)? {
                outbox::hold(tx, acting_as, kind, now)?;
            } else {
                let m = outbox::push(tx, acting_as, kind, now)?;
                link_message(tx, &m)?;
            }
            Ok::<_, Error>(changed)
        })?;
        self.after_local_change(changed)
    }

    // --- Status ------------------------------------------------------------------------------

    pub fn status(&self) -> SyncStatus {
        self.status.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Changes of the status, for listeners.
    pub fn watch_status(&self) -> watch::Receiver<SyncStatus> {
        self.status_tx.subscribe()
    }

    pub(crate) fn set_status(&self, f: impl FnOnce(&mut SyncStatus)) {
        let snapshot = {
            let mut s = self.status.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut s);
            s.clone()
        };
        // Sent after the lock is released: listeners never run under our lock.
        self.status_tx.send_replace(snapshot);
    }

    pub(crate) fn refresh_counts(&self) -> Result<()> {
        let (pending, rejected) = self.store.read(outbox::counts)?;
        self.set_status(|s| {
            s.pending = pending;
            s.rejected = rejected;
        });
        Ok(())
    }
}

/// An unsent message takes its state from the outbox entry that carries it.
pub(crate) fn link_message(tx: &Transaction<'_>, m: &Mutation) -> Result<()> {
    if let MutationKind::SendMessage { message } = &m.kind {
        chat::repo::set_outbox(tx, &message.message_id, m.id)?;
    }
    Ok(())
}

//! The device's sync client: login, local actions with their outbox entries, the sync round
//! trip over HTTP (gzip both ways), the sync state the UI shows, and a background loop that
//! retries with back-off and jitter and long-polls while the app is in the foreground.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::Connection;
use tokio::sync::{Notify, broadcast, watch};

use super::apply::{self, Applied};
use super::mutation::{self, Side, actor_from_grants};
use super::outbox::{self, OutboxEntry, meta_get, meta_set};
use super::protocol::*;
use super::{Clock, system_clock};
use crate::chat::service::Outgoing;
use crate::chat::timeline::{TimelineHandle, TimelineListener};
use crate::chat::{self, ChatMessage, GroupKind, GroupSummary, MessageState, TimelineItem};
use crate::error::{Error, Result};
use crate::ids::new_id;
use crate::org::{Role, RoleGrant};
use crate::proposal::{Action, Proposal, ProposalContent, repo, service};
use crate::store::Store;
use crate::time::to_millis;

/// Pages one sync pulls back to back at most, so that work the member queues meanwhile does
/// not wait long behind a big download.
pub const MAX_PIPELINED_PAGES: usize = 16;

/// A page that arrives within this time marks a link fast enough for larger pages.
const FAST_PAGE: std::time::Duration = std::time::Duration::from_secs(1);
/// What the sync banner shows.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum, serde::Serialize)]
pub enum SyncState {
    Idle,
    Syncing,
    /// The server cannot be reached; work is kept and sent when it can.
    Offline,
    Error {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record, serde::Serialize)]
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

pub struct SyncClient {
    store: Arc<Store>,
    http: reqwest::Client,
    base_url: String,
    clock: Clock,
    status: Mutex<SyncStatus>,
    status_tx: watch::Sender<SyncStatus>,
    /// Rung when there is local work to send, to cut a long-poll short.
    wake: Notify,
    /// What changed (locally or from the server), for live lists.
    changes: broadcast::Sender<Changed>,
    /// Recent messages a newly joined group starts with.
    initial_messages: u32,
}

impl SyncClient {
    /// Opens the device database at `db` for the server at `base_url`.
    pub fn open(db: impl AsRef<Path>, base_url: &str) -> Result<SyncClient> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(15))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| Error::Network(e.to_string()))?;
        Self::with(Arc::new(Store::open(db)?), base_url, http, system_clock())
    }

    /// With a given HTTP client and clock (tests use a fixed clock and no connection reuse).
    pub fn with(store: Arc<Store>, base_url: &str, http: reqwest::Client, clock: Clock) -> Result<SyncClient> {
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
            http,
            base_url: base_url.trim_end_matches('/').to_string(),
            clock,
            status: Mutex::new(status),
            status_tx,
            wake: Notify::new(),
            changes: broadcast::channel(64).0,
            initial_messages: default_initial_messages(),
        };
        client.refresh_counts()?;
        Ok(client)
    }

    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    pub fn client_id(&self) -> Result<String> {
        self.store.read(|c| meta_get::<String>(c, "client_id"))?.ok_or(Error::Storage("no client id".into()))
    }

    // --- Session -------------------------------------------------------------------------

    pub async fn login(&self, login: &str, password: &str, device_name: &str) -> Result<Tokens> {
        let body = LoginRequest { login: login.into(), password: password.into(), device_name: device_name.into() };
        let resp = self.http.post(self.url("/v1/login")).json(&body).send().await.map_err(network)?;
        if resp.status() == reqwest::StatusCode::UNAUTHORIZED {
            // Here 401 means wrong credentials, not an expired session: say so.
            let reason = resp.json::<ErrorBody>().await.map(|b| b.error).unwrap_or_else(|_| "账号或密码错误".into());
            return Err(Error::Invalid(reason));
        }
        let tokens: Tokens = read_json(resp).await?;
        self.save_tokens(&tokens)?;
        Ok(tokens)
    }

    pub async fn logout(&self) -> Result<()> {
        if let Some(token) = self.access_token()? {
            // Best effort: the session is forgotten here even if the server is unreachable.
            let _ = self.http.post(self.url("/v1/logout")).bearer_auth(token).send().await;
        }
        self.store.write(|tx| outbox::meta_delete(tx, "tokens"))
    }

    pub fn tokens(&self) -> Result<Option<Tokens>> {
        self.store.read(|c| meta_get::<Tokens>(c, "tokens"))
    }

    fn save_tokens(&self, tokens: &Tokens) -> Result<()> {
        self.store.write(|tx| meta_set(tx, "tokens", tokens))
    }

    fn access_token(&self) -> Result<Option<String>> {
        Ok(self.tokens()?.map(|t| t.access_token))
    }

    fn identity(&self) -> Result<(String, Vec<RoleGrant>)> {
        let tokens = self.tokens()?.ok_or(Error::Unauthorized)?;
        Ok((tokens.person_id, tokens.grants))
    }

    /// The member role of the logged-in person, the usual way to act.
    pub fn member_role(&self) -> Result<ActingAs> {
        let (_, grants) = self.identity()?;
        grants
            .iter()
            .find(|g| g.role == Role::Member)
            .map(|g| ActingAs { role: g.role, org_id: g.org_id.clone() })
            .ok_or_else(|| Error::Invalid("您不是委员，不能起草提案".into()))
    }

    // --- Local actions ---------------------------------------------------------------------

    /// Starts a draft: stored here at once, sent when the server is reachable.
    pub fn create_proposal(
        &self,
        acting_as: &ActingAs,
        session_id: &str,
        content: ProposalContent,
    ) -> Result<Proposal> {
        let id = new_id();
        let kind = MutationKind::CreateProposal { proposal_id: id.clone(), session_id: session_id.into(), content };
        self.record(acting_as, kind)?;
        self.load_proposal(&id)
    }

    /// Acts on a proposal: refused here with the same reason the server would give, or stored
    /// with its outbox entry in one transaction.
    pub fn act(&self, acting_as: &ActingAs, proposal_id: &str, action: Action) -> Result<Proposal> {
        let base_revision = self.load_proposal(proposal_id)?.revision;
        let kind = MutationKind::ProposalAction { proposal_id: proposal_id.into(), action, base_revision };
        self.record(acting_as, kind)?;
        self.load_proposal(proposal_id)
    }

    fn load_proposal(&self, id: &str) -> Result<Proposal> {
        self.store.read(|c| repo::load(c, id))?.ok_or(Error::NotFound { what: "提案" })
    }

    /// Applies a mutation here and queues it, in one transaction; returns its id.
    fn record(&self, acting_as: &ActingAs, kind: MutationKind) -> Result<u64> {
        let (person_id, grants) = self.identity()?;
        let actor = actor_from_grants(&person_id, &grants, acting_as)?;
        let now = (self.clock)();
        let touched = kind.touches();
        let (id, group) = self.store.write(|tx| {
            mutation::apply(tx, &actor, &kind, Side::Device, now)?;
            let group = chat_group_of(tx, &kind)?;
            let m = outbox::push(tx, acting_as.clone(), kind, now)?;
            link_message(tx, &m)?;
            Ok::<_, Error>((m.id, group))
        })?;
        self.after_local_change(Changed { proposals: touched, groups: group.into_iter().collect() })?;
        Ok(id)
    }

    fn after_local_change(&self, changed: Changed) -> Result<()> {
        self.refresh_counts()?;
        self.notify(changed);
        self.wake.notify_one();
        Ok(())
    }

    fn notify(&self, changed: Changed) {
        if !changed.proposals.is_empty() || !changed.groups.is_empty() {
            // Nobody listening is fine.
            let _ = self.changes.send(changed);
        }
    }

    /// Notices of what changed, for live lists.
    pub fn watch_changes(&self) -> broadcast::Receiver<Changed> {
        self.changes.subscribe()
    }

    pub fn proposal(&self, acting_as: &ActingAs, id: &str) -> Result<Proposal> {
        let (person_id, grants) = self.identity()?;
        let actor = actor_from_grants(&person_id, &grants, acting_as)?;
        service::get(&self.store, &actor, id)
    }

    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        self.store.read(outbox::all)
    }

    /// Drops a refused mutation; what it changed shows the server's version again (a message
    /// that was never sent disappears).
    pub fn discard(&self, mutation_id: u64) -> Result<()> {
        let (person_id, grants) = self.identity()?;
        let (proposals, group) = self.store.write(|tx| {
            let entry = outbox::get(tx, mutation_id)?.ok_or(Error::NotFound { what: "待发送操作" })?;
            let group = chat_group_of(tx, &entry.mutation.kind)?;
            outbox::remove(tx, mutation_id)?;
            if let MutationKind::SendMessage { message } = &entry.mutation.kind
                && chat::repo::message(tx, &message.message_id)?.is_some_and(|m| m.seq.is_none())
            {
                chat::repo::forget_message(tx, &message.message_id)?;
            }
            let proposals = entry.mutation.kind.touches();
            apply::rebuild(tx, &proposals.iter().cloned().collect(), &person_id, &grants)?;
            Ok::<_, Error>((proposals, group))
        })?;
        self.after_local_change(Changed { proposals, groups: group.into_iter().collect() })
    }

    /// Sends a refused mutation again (after the member changed what made it fail), as a new
    /// mutation.
    pub fn resend(&self, mutation_id: u64) -> Result<()> {
        let entry =
            self.store.read(|c| outbox::get(c, mutation_id))?.ok_or(Error::NotFound { what: "待发送操作" })?;
        let (person_id, grants) = self.identity()?;
        let actor = actor_from_grants(&person_id, &grants, &entry.mutation.acting_as)?;
        let now = (self.clock)();
        let group = self.store.write(|tx| {
            outbox::remove(tx, mutation_id)?;
            mutation::apply(tx, &actor, &entry.mutation.kind, Side::Device, now)?;
            let m = outbox::push(tx, entry.mutation.acting_as.clone(), entry.mutation.kind.clone(), now)?;
            link_message(tx, &m)?;
            chat_group_of(tx, &m.kind)
        })?;
        self.after_local_change(Changed {
            proposals: entry.mutation.kind.touches(),
            groups: group.into_iter().collect(),
        })
    }

    // --- Chat --------------------------------------------------------------------------------

    /// The role to act in where any will do (chat): the first the person holds.
    pub fn any_role(&self) -> Result<ActingAs> {
        let (_, grants) = self.identity()?;
        grants.first().map(|g| ActingAs { role: g.role, org_id: g.org_id.clone() }).ok_or(Error::Unauthorized)
    }

    /// Staff create a study group with its members.
    pub fn create_group(
        &self,
        acting_as: &ActingAs,
        name: &str,
        kind: GroupKind,
        members: Vec<String>,
    ) -> Result<String> {
        let group_id = new_id();
        self.record(
            acting_as,
            MutationKind::CreateGroup { group_id: group_id.clone(), name: name.into(), kind, members },
        )?;
        Ok(group_id)
    }

    pub fn set_group_members(
        &self,
        acting_as: &ActingAs,
        group_id: &str,
        add: Vec<String>,
        remove: Vec<String>,
    ) -> Result<()> {
        self.record(acting_as, MutationKind::SetGroupMembers { group_id: group_id.into(), add, remove }).map(|_| ())
    }

    pub fn leave_group(&self, group_id: &str) -> Result<()> {
        self.record(&self.any_role()?, MutationKind::LeaveGroup { group_id: group_id.into() }).map(|_| ())
    }

    /// Shows the message at once as 发送中 and queues it; returns its id.
    pub fn send_message(
        &self,
        group_id: &str,
        text: &str,
        reply_to: Option<String>,
        mentions: Vec<String>,
    ) -> Result<String> {
        let message_id = new_id();
        let message = Outgoing {
            message_id: message_id.clone(),
            group_id: group_id.into(),
            text: text.into(),
            reply_to,
            mentions,
        };
        self.record(&self.any_role()?, MutationKind::SendMessage { message })?;
        Ok(message_id)
    }

    pub fn recall_message(&self, message_id: &str) -> Result<()> {
        self.record(&self.any_role()?, MutationKind::RecallMessage { message_id: message_id.into() }).map(|_| ())
    }

    pub fn delete_message(&self, acting_as: &ActingAs, message_id: &str) -> Result<()> {
        self.record(acting_as, MutationKind::DeleteMessage { message_id: message_id.into() }).map(|_| ())
    }

    /// Marks a group read up to `seq` on this device and, through the server, on the others.
    pub fn mark_read(&self, group_id: &str, seq: u64) -> Result<()> {
        let (person_id, _) = self.identity()?;
        if self.store.read(|c| chat::repo::read_marker(c, group_id, &person_id))? >= seq {
            return Ok(());
        }
        self.record(&self.any_role()?, MutationKind::MarkRead { group_id: group_id.into(), seq }).map(|_| ())
    }

    /// Sends every failed message of a group again ("retry all").
    pub fn retry_failed(&self, group_id: &str) -> Result<u32> {
        let failed: Vec<u64> = self
            .timeline(group_id, u32::MAX)?
            .into_iter()
            .filter(|i| matches!(i.state, MessageState::Failed { .. }))
            .filter_map(|i| i.outbox_id)
            .collect();
        for id in &failed {
            self.resend(*id)?;
        }
        Ok(failed.len() as u32)
    }

    pub fn groups(&self) -> Result<Vec<GroupSummary>> {
        let (person_id, _) = self.identity()?;
        self.store.read(|c| chat::repo::summaries(c, &person_id))
    }

    /// The newest `limit` messages and this phone's unsent ones.
    pub fn timeline(&self, group_id: &str, limit: u32) -> Result<Vec<TimelineItem>> {
        self.store.read(|c| chat::repo::timeline(c, group_id, limit))
    }

    /// Older messages kept on this phone, before `before_seq`.
    pub fn older_messages(&self, group_id: &str, before_seq: u64, limit: u32) -> Result<Vec<TimelineItem>> {
        self.store.read(|c| chat::repo::before(c, group_id, before_seq, limit))
    }

    /// Fetches older messages from the server and keeps them, readable offline from then on.
    pub async fn fetch_older_messages(&self, group_id: &str, before_seq: u64, limit: u32) -> Result<Vec<TimelineItem>> {
        let token = self.access_token()?.ok_or(Error::Unauthorized)?;
        let url = self.url(&format!("/v1/groups/{group_id}/messages?before={before_seq}&limit={limit}"));
        let resp = self.http.get(url).bearer_auth(token).send().await.map_err(network)?;
        let messages: Vec<ChatMessage> = read_json(resp).await?;
        let scope = format!("group:{group_id}");
        self.store.write(|tx| {
            for m in &messages {
                chat::repo::upsert_message(tx, m, chat::repo::Indexing::Searchable)?;
                // Held by the group's scope: leaving the group removes them too.
                tx.execute(
                    "INSERT OR IGNORE INTO scope_entities (scope, entity, id) VALUES (?1, 'message', ?2)",
                    rusqlite::params![scope, m.id],
                )?;
            }
            Ok::<_, Error>(())
        })?;
        self.older_messages(group_id, before_seq, limit)
    }

    pub fn search_messages(&self, query: &str, limit: u32) -> Result<Vec<TimelineItem>> {
        let (person_id, _) = self.identity()?;
        self.store.read(|c| chat::repo::search(c, &person_id, query, limit))
    }

    /// A live timeline: `listener` gets a snapshot, then diffs, until the handle is dropped.
    /// Call from within the Tokio runtime.
    pub fn subscribe_timeline(
        &self,
        group_id: &str,
        limit: u32,
        listener: Arc<dyn TimelineListener>,
    ) -> TimelineHandle {
        chat::timeline::subscribe(self.store.clone(), self.changes.subscribe(), group_id.into(), limit, listener)
    }

    // --- Sync --------------------------------------------------------------------------------

    pub fn status(&self) -> SyncStatus {
        self.status.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Changes of the status, for listeners.
    pub fn watch_status(&self) -> watch::Receiver<SyncStatus> {
        self.status_tx.subscribe()
    }

    fn set_status(&self, f: impl FnOnce(&mut SyncStatus)) {
        let snapshot = {
            let mut s = self.status.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut s);
            s.clone()
        };
        // Sent after the lock is released: listeners never run under our lock.
        self.status_tx.send_replace(snapshot);
    }

    fn refresh_counts(&self) -> Result<()> {
        let (pending, rejected) = self.store.read(|c: &Connection| {
            c.query_row(
                "SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'rejected') FROM outbox",
                [],
                |r| Ok((r.get::<_, u32>(0)?, r.get::<_, u32>(1)?)),
            )
            .map_err(Error::from)
        })?;
        self.set_status(|s| {
            s.pending = pending;
            s.rejected = rejected;
        });
        Ok(())
    }

    /// One sync: push pending mutations, pull changes (waiting up to `wait_secs` when there is
    /// nothing new), and pull up to [`MAX_PIPELINED_PAGES`] pages while some scope has more.
    pub async fn sync_once(&self, wait_secs: u32) -> Result<Applied> {
        self.set_status(|s| s.state = SyncState::Syncing);
        let result = self.round_trip(wait_secs).await;
        match &result {
            Ok(_) => {
                let now = to_millis((self.clock)());
                self.store.write(|tx| meta_set(tx, "last_success_ms", &now))?;
                self.set_status(|s| {
                    s.state = SyncState::Idle;
                    s.last_success_ms = Some(now);
                });
            }
            Err(Error::Network(_)) => self.set_status(|s| s.state = SyncState::Offline),
            Err(e) => {
                let reason = crate::ffi::LvzhiError::from(e.clone()).to_string();
                self.set_status(|s| s.state = SyncState::Error { reason });
            }
        }
        self.refresh_counts()?;
        result
    }

    /// Syncs until nothing is pending and no scope has more; for start-up and tests.
    pub async fn sync_until_idle(&self) -> Result<()> {
        for _ in 0..1000 {
            let applied = self.sync_once(0).await?;
            let pending = self.store.read(|c| outbox::pending(c, 1))?;
            if !applied.more && pending.is_empty() {
                return Ok(());
            }
        }
        Err(Error::Server("sync did not settle".into()))
    }

    /// Sends the outbox and cursors, applies the answer, and while some scope has more,
    /// keeps pulling: the next page is requested (with the cursors the answer just gave) while
    /// this one is being applied, so the server's and the network's time overlaps the phone's.
    /// Each page still commits with its own cursors, in order; a failed pull leaves the pages
    /// applied so far in place and reports `more`.
    async fn round_trip(&self, wait_secs: u32) -> Result<Applied> {
        let mut request = self.store.read(|c| {
            let client_id = meta_get::<String>(c, "client_id")?.unwrap_or_default();
            let mutations = outbox::pending(c, MAX_BATCH)?.into_iter().map(|e| e.mutation).collect();
            let mut stmt = c.prepare_cached("SELECT scope, cursor FROM sync_cursors")?;
            let cursors = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)))?
                .collect::<rusqlite::Result<_>>()?;
            Ok::<_, Error>(SyncRequest {
                protocol: PROTOCOL_VERSION,
                client_id,
                mutations,
                cursors,
                wait_secs,
                initial_messages: self.initial_messages,
                page_bytes: None,
            })
        })?;
        let started = std::time::Instant::now();
        let mut response: SyncResponse = self.authed_post("/v1/sync", RequestBody::encode(&request)?).await?;
        let mut took = started.elapsed();
        let (person_id, grants) = self.identity()?;
        let mut total = Applied::default();
        for round in 1..=MAX_PIPELINED_PAGES {
            let more = response.pages.iter().any(|p| p.more);
            // Only a plain pull is sent ahead (the mutations are in this answer), with the
            // cursors the phone will hold once this answer is applied.
            let next = (more && round < MAX_PIPELINED_PAGES).then(|| {
                let mut next = request.clone();
                next.mutations.clear();
                next.wait_secs = 0;
                // A full page that came quickly means a fast link: ask for larger pages (fewer
                // round trips and commits). On a slow one, small pages lose little to a drop.
                next.page_bytes = (took < FAST_PAGE).then_some(MAX_PAGE_BYTES);
                for page in &response.pages {
                    next.cursors.insert(page.scope.clone(), page.cursor);
                }
                if let Some(scopes) = &response.scopes {
                    next.cursors.retain(|scope, _| scopes.contains(scope));
                }
                next
            });
            let (store, person, roles) = (self.store.clone(), person_id.clone(), grants.clone());
            let apply = tokio::task::spawn_blocking(move || {
                store.write(|tx| apply::apply_response(tx, &response, &person, &roles))
            });
            let fetch = async {
                let started = std::time::Instant::now();
                let fetched = match &next {
                    Some(next) => Some(self.authed_post::<SyncResponse>("/v1/sync", RequestBody::encode(next)?).await),
                    None => None,
                };
                fetched.transpose().map(|f| (f, started.elapsed()))
            };
            let (applied, fetched) = tokio::join!(apply, fetch);
            let applied = applied.map_err(|e| Error::Storage(e.to_string()))??;
            self.notify(Changed {
                proposals: applied.changed_proposals.iter().cloned().collect(),
                groups: applied.changed_groups.iter().cloned().collect(),
            });
            total.merge(applied);
            match (next, fetched) {
                (Some(next), Ok((Some(fetched), elapsed))) => {
                    request = next;
                    response = fetched;
                    took = elapsed;
                }
                // Nothing more, or the pull failed: what is applied stays; the caller goes on.
                _ => return Ok(total),
            }
        }
        Ok(total)
    }

    /// How many recent messages a newly joined group starts with (older ones on demand).
    pub fn set_initial_messages(&mut self, n: u32) {
        self.initial_messages = n;
    }

    /// POSTs a body with the access token, refreshing it once when it has expired.
    async fn authed_post<T: serde::de::DeserializeOwned>(&self, path: &str, body: RequestBody) -> Result<T> {
        for attempt in 0..2 {
            let token = self.access_token()?.ok_or(Error::Unauthorized)?;
            let mut post = self
                .http
                .post(self.url(path))
                .bearer_auth(token)
                .header(reqwest::header::CONTENT_TYPE, "application/json");
            if body.gzip {
                post = post.header(reqwest::header::CONTENT_ENCODING, "gzip");
            }
            let resp = post.body(body.bytes.clone()).send().await.map_err(network)?;
            if resp.status() == reqwest::StatusCode::UNAUTHORIZED && attempt == 0 {
                self.refresh().await?;
                continue;
            }
            return read_json(resp).await;
        }
        Err(Error::Unauthorized)
    }

    async fn refresh(&self) -> Result<()> {
        let tokens = self.tokens()?.ok_or(Error::Unauthorized)?;
        let resp = self
            .http
            .post(self.url("/v1/refresh"))
            .json(&RefreshRequest { refresh_token: tokens.refresh_token })
            .send()
            .await
            .map_err(network)?;
        let fresh: Tokens = read_json(resp).await?;
        self.save_tokens(&fresh)
    }

    /// Runs until `stop` turns true: sends the outbox as soon as there is work, long-polls
    /// for news, and backs off with jitter while the server cannot be reached.
    pub async fn run(&self, settings: LoopSettings, mut stop: watch::Receiver<bool>) {
        let mut backoff = settings.min_backoff;
        loop {
            if *stop.borrow() {
                return;
            }
            let has_work = self.store.read(|c| outbox::pending(c, 1)).map(|p| !p.is_empty()).unwrap_or(false);
            let wait = if has_work { 0 } else { settings.long_poll_secs };
            let outcome = tokio::select! {
                r = self.sync_once(wait) => Some(r),
                // New local work cuts a long-poll short, so it is sent at once.
                _ = self.wake.notified(), if wait > 0 => None,
                _ = stop.changed() => return,
            };
            match outcome {
                None => {
                    self.set_status(|s| s.state = SyncState::Idle);
                    backoff = settings.min_backoff;
                }
                Some(Ok(_)) => backoff = settings.min_backoff,
                Some(Err(Error::Unauthorized)) => {
                    // Nothing to do until the member logs in again.
                    tokio::select! {
                        _ = self.wake.notified() => {}
                        _ = stop.changed() => return,
                    }
                }
                Some(Err(_)) => {
                    let pause = jitter(backoff);
                    backoff = (backoff * 2).min(settings.max_backoff);
                    tokio::select! {
                        _ = tokio::time::sleep(pause) => {}
                        _ = stop.changed() => return,
                    }
                }
            }
        }
    }

    /// Asks the background loop to sync now (e.g. when the network comes back).
    pub fn nudge(&self) {
        self.wake.notify_one();
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

/// A random pause between half and all of `d`, so that phones do not retry in step.
fn jitter(d: Duration) -> Duration {
    use ring::rand::SecureRandom;
    let mut byte = [0u8; 1];
    let _ = ring::rand::SystemRandom::new().fill(&mut byte);
    d.mul_f64(0.5 + f64::from(byte[0]) / 510.0)
}

fn network(e: reqwest::Error) -> Error {
    Error::Network(e.to_string())
}

async fn read_json<T: serde::de::DeserializeOwned>(resp: reqwest::Response) -> Result<T> {
    let status = resp.status();
    if status == reqwest::StatusCode::UNAUTHORIZED {
        return Err(Error::Unauthorized);
    }
    let bytes = resp.bytes().await.map_err(network)?;
    if !status.is_success() {
        let reason =
            serde_json::from_slice::<ErrorBody>(&bytes).map(|b| b.error).unwrap_or_else(|_| status.to_string());
        return Err(if status.is_client_error() { Error::Invalid(reason) } else { Error::Server(reason) });
    }
    serde_json::from_slice(&bytes).map_err(|e| Error::Server(format!("unreadable response: {e}")))
}

/// What changed, for live lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changed {
    pub proposals: Vec<String>,
    pub groups: Vec<String>,
}

/// The chat group a mutation changes, if any.
fn chat_group_of(tx: &rusqlite::Transaction<'_>, kind: &MutationKind) -> Result<Option<String>> {
    Ok(match kind {
        MutationKind::CreateGroup { group_id, .. }
        | MutationKind::SetGroupMembers { group_id, .. }
        | MutationKind::LeaveGroup { group_id }
        | MutationKind::MarkRead { group_id, .. } => Some(group_id.clone()),
        MutationKind::SendMessage { message } => Some(message.group_id.clone()),
        MutationKind::RecallMessage { message_id } | MutationKind::DeleteMessage { message_id } => {
            chat::repo::message(tx, message_id)?.map(|m| m.group_id)
        }
        MutationKind::CreateProposal { .. } | MutationKind::ProposalAction { .. } => None,
    })
}

/// An unsent message takes its state from the outbox entry that carries it.
fn link_message(tx: &rusqlite::Transaction<'_>, m: &Mutation) -> Result<()> {
    if let MutationKind::SendMessage { message } = &m.kind {
        chat::repo::set_outbox(tx, &message.message_id, m.id)?;
    }
    Ok(())
}

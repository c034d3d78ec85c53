//! The round trips: one sync pushes the outbox and pulls the changes of the user's scopes
//! (long-polling when there are none), pulls further pages back to back while the server has
//! more, and the background loop retries with back-off and jitter.

use std::time::Duration;

use lvzhi_domain::chat::ChatMessage;
use lvzhi_domain::protocol::{MAX_BATCH, MAX_PAGE_BYTES, PROTOCOL_VERSION, SyncRequest, SyncResponse};
use lvzhi_domain::time::to_millis;
use lvzhi_store::chat;
use tokio::sync::watch;

use crate::apply::{self, Applied};
use crate::engine::{Changed, LoopSettings, SyncClient, SyncState};
use crate::error::{Error, Result};
use crate::outbox::{self, meta_get, meta_set};
use crate::transport::RequestBody;

/// Pages one sync pulls back to back at most, so that work the member queues meanwhile does
/// not wait long behind a big download.
pub const MAX_PIPELINED_PAGES: usize = 16;

/// A page that arrives within this time marks a link fast enough for larger pages.
const FAST_PAGE: Duration = Duration::from_secs(1);

impl SyncClient {
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
                let reason = e.user_message();
                self.set_status(|s| s.state = SyncState::Error { reason });
            }
        }
        self.refresh_counts()?;
        result
    }

    /// Uploads waiting files, then syncs until nothing is pending and no scope has more; for
    /// start-up, the terminal shell and tests.
    pub async fn sync_until_idle(&self) -> Result<()> {
        self.upload_pending().await?;
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
            let cursors = lvzhi_store::device::mirror::cursors(c)?.into_iter().collect();
            Ok::<_, Error>(SyncRequest {
                protocol: PROTOCOL_VERSION,
                client_id,
                mutations,
                cursors,
                wait_secs,
                initial_messages: self.initial_messages.load(std::sync::atomic::Ordering::Relaxed),
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
            let applied = applied.map_err(|e| Error::Server(format!("page apply task: {e}")))??;
            self.notify(Changed {
                proposals: applied.changed_proposals.iter().cloned().collect(),
                groups: applied.changed_groups.iter().cloned().collect(),
                aggregates: applied.changed_aggregates.iter().cloned().collect(),
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
    pub fn set_initial_messages(&self, n: u32) {
        self.initial_messages.store(n, std::sync::atomic::Ordering::Relaxed);
    }

    /// POSTs a body with the access token, refreshing it once when it has expired.
    async fn authed_post<T: serde::de::DeserializeOwned>(&self, path: &str, body: RequestBody) -> Result<T> {
        for attempt in 0..2 {
            let token = self.access_token()?.ok_or(Error::Unauthorized)?;
            match self.transport.post_authed(path, &token, &body).await {
                Err(Error::Unauthorized) if attempt == 0 => self.refresh().await?,
                other => return other,
            }
        }
        Err(Error::Unauthorized)
    }

    /// Runs until `stop` turns true: sends the outbox as soon as there is work, long-polls
    /// for news, uploads attached files beside it (a long upload holds up nothing else), and
    /// backs off with jitter while the server cannot be reached.
    pub async fn run(&self, settings: LoopSettings, stop: watch::Receiver<bool>) {
        tokio::join!(self.sync_loop(settings.clone(), stop.clone()), self.upload_loop(settings, stop));
    }

    /// Uploads files as they are attached, retrying with back-off while the server cannot be
    /// reached; a finished upload releases the actions that waited for it and wakes the sync.
    async fn upload_loop(&self, settings: LoopSettings, mut stop: watch::Receiver<bool>) {
        let mut backoff = settings.min_backoff;
        loop {
            if *stop.borrow() {
                return;
            }
            let outcome = tokio::select! {
                r = self.upload_pending() => r,
                _ = stop.changed() => return,
            };
            match outcome {
                Ok(_) | Err(Error::Unauthorized) | Err(Error::Local(_)) => {
                    backoff = settings.min_backoff;
                    tokio::select! {
                        _ = self.uploads_wake.notified() => {}
                        _ = stop.changed() => return,
                    }
                }
                Err(_) => {
                    let pause = jitter(backoff);
                    backoff = (backoff * 2).min(settings.max_backoff);
                    tokio::select! {
                        _ = tokio::time::sleep(pause) => {}
                        _ = self.uploads_wake.notified() => {}
                        _ = stop.changed() => return,
                    }
                }
            }
        }
    }

    async fn sync_loop(&self, settings: LoopSettings, mut stop: watch::Receiver<bool>) {
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
        self.uploads_wake.notify_one();
    }

    /// Fetches a group's messages before `before_seq` from the server and keeps them, readable
    /// offline from then on; returns how many came.
    pub async fn fetch_older_messages(&self, group_id: &str, before_seq: u64, limit: u32) -> Result<usize> {
        let token = self.access_token()?.ok_or(Error::Unauthorized)?;
        // The server answers at most 200 a request and refuses more.
        let limit = limit.clamp(1, 200);
        let path = format!("/v1/groups/{group_id}/messages?before={before_seq}&limit={limit}");
        let messages: Vec<ChatMessage> = self.transport.get_authed(&path, &token).await?;
        let scope = format!("group:{group_id}");
        self.store.write(|tx| {
            for m in &messages {
                chat::repo::upsert_message(tx, m, chat::repo::Indexing::Searchable)?;
                // Held by the group's scope: leaving the group removes them too.
                lvzhi_store::device::mirror::hold(
                    tx,
                    &scope,
                    lvzhi_domain::protocol::EntityKind::Message.as_str(),
                    &m.id,
                )?;
            }
            Ok::<_, Error>(())
        })?;
        self.notify(Changed { groups: vec![group_id.to_string()], ..Default::default() });
        Ok(messages.len())
    }
}

/// A random pause between half and all of `d`, so that phones do not retry in step.
fn jitter(d: Duration) -> Duration {
    use ring::rand::SecureRandom;
    let mut byte = [0u8; 1];
    let _ = ring::rand::SystemRandom::new().fill(&mut byte);
    d.mul_f64(0.5 + f64::from(byte[0]) / 510.0)
}

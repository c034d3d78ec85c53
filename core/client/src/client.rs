//! [`Client`]: one logged-in device, as the apps and the terminal shell use it. It owns the
//! sync engine and reads the store for the screens; proposals and chat are in
//! [`crate::proposals`] and [`crate::chat`].

use std::path::Path;
use std::sync::Arc;

use lvzhi_domain::org::Actor;
use lvzhi_domain::protocol::{ActingAs, Tokens};
use lvzhi_domain::time::Timestamp;
use lvzhi_store::{Store, org};
use lvzhi_sync::apply::Applied;
use lvzhi_sync::outbox::OutboxEntry;
use lvzhi_sync::{Error, LoopSettings, Result, SyncClient, SyncStatus};
use tokio::sync::watch;

use crate::task::TaskHandle;
use crate::views::{Me, MyRole};

/// A device's handle on the core. Cheap to clone: clones share the engine.
#[derive(Clone)]
pub struct Client {
    sync: Arc<SyncClient>,
}

impl Client {
    /// Opens (creating if needed) the device database at `db` for the server at `server_url`.
    pub fn open(db: impl AsRef<Path>, server_url: &str) -> Result<Client> {
        Ok(Client::new(Arc::new(SyncClient::open(db, server_url)?)))
    }

    /// Like [`Client::open`], also trusting server keys whose SPKI SHA-256 is in `pins` (for
    /// an organisation's own CA).
    pub fn open_pinned(db: impl AsRef<Path>, server_url: &str, pins: &[String]) -> Result<Client> {
        Ok(Client::new(Arc::new(SyncClient::open_pinned(db, server_url, pins)?)))
    }

    /// Opens the device database encrypted with `key` (the platform's keystore keeps it); a
    /// plain database from an older app is encrypted in place, once.
    pub fn open_encrypted(
        db: impl AsRef<Path>,
        key: &lvzhi_store::DbKey,
        server_url: &str,
        pins: &[String],
    ) -> Result<Client> {
        Ok(Client::new(Arc::new(SyncClient::open_encrypted(db, key, server_url, pins)?)))
    }

    /// On a given engine (tests give it their own HTTP client and clock).
    pub fn new(sync: Arc<SyncClient>) -> Client {
        Client { sync }
    }

    /// The sync engine underneath.
    pub fn sync(&self) -> &Arc<SyncClient> {
        &self.sync
    }

    pub fn store(&self) -> &Arc<Store> {
        self.sync.store()
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.sync.now()
    }

    // --- Session and sync ----------------------------------------------------------------

    pub async fn login(&self, login: &str, password: &str, device_name: &str) -> Result<Tokens> {
        let tokens = self.sync.login(login, password, device_name).await?;
        // A new session: the push token is registered again with it (the app hands it over
        // after every login).
        self.forget_push_token()?;
        Ok(tokens)
    }

    /// Logs out and empties this device (see [`SyncClient::logout`]); refused while work is
    /// unsent unless `discard_unsent`.
    pub async fn logout(&self, discard_unsent: bool) -> Result<()> {
        self.sync.logout(discard_unsent).await
    }

    /// Work not yet accepted by the server, which logging out would lose.
    pub fn unsent(&self) -> Result<u32> {
        self.sync.unsent()
    }

    /// One round trip (see [`SyncClient::sync_once`]).
    pub async fn sync_once(&self, wait_secs: u32) -> Result<Applied> {
        self.sync.sync_once(wait_secs).await
    }

    /// Syncs until nothing is pending and no scope has more.
    pub async fn sync_until_idle(&self) -> Result<()> {
        self.sync.sync_until_idle().await
    }

    /// The background loop; returns when `stop` turns true.
    pub async fn run(&self, settings: LoopSettings, stop: watch::Receiver<bool>) {
        self.sync.run(settings, stop).await
    }

    pub fn status(&self) -> SyncStatus {
        self.sync.status()
    }

    /// Calls `on_status` with the status now and after every change.
    pub fn watch_status(&self, on_status: impl Fn(SyncStatus) + Send + 'static) -> TaskHandle {
        let mut rx = self.sync.watch_status();
        TaskHandle::spawn(async move {
            loop {
                let status = rx.borrow_and_update().clone();
                on_status(status);
                if rx.changed().await.is_err() {
                    return;
                }
            }
        })
    }

    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        self.sync.outbox()
    }

    pub fn discard(&self, mutation_id: u64) -> Result<()> {
        self.sync.discard(mutation_id)
    }

    pub fn resend(&self, mutation_id: u64) -> Result<()> {
        self.sync.resend(mutation_id)
    }

    // --- Who is acting ---------------------------------------------------------------------

    /// Who is logged in (works offline).
    pub fn me(&self) -> Result<Me> {
        let tokens = self.sync.tokens()?.ok_or(Error::Unauthorized)?;
        self.store().read(|c| {
            let name = org::get_person(c, &tokens.person_id)?.map(|p| p.name).unwrap_or_default();
            let roles = tokens
                .grants
                .iter()
                .map(|g| {
                    let org_name = org::get_organisation(c, &g.org_id)?.map(|o| o.name).unwrap_or_default();
                    Ok(MyRole {
                        role: g.role,
                        role_label: g.role.label().into(),
                        org_id: g.org_id.clone(),
                        org_name,
                        unit_id: g.unit_id.clone(),
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Me { person_id: tokens.person_id.clone(), name, roles })
        })
    }

    /// Every role of the logged-in person, as the role to send and the actor to decide with.
    pub(crate) fn actors(&self) -> Result<Vec<(ActingAs, Actor)>> {
        let tokens = self.sync.tokens()?.ok_or(Error::Unauthorized)?;
        Ok(tokens
            .grants
            .iter()
            .map(|g| (ActingAs { role: g.role, org_id: g.org_id.clone() }, Actor::from(g)))
            .collect())
    }

    /// The audit log of the first organisation this user administers (or `org_id`).
    pub async fn audit_log(&self, org_id: Option<&str>, limit: u32) -> Result<Vec<lvzhi_domain::protocol::AuditEntry>> {
        let org = match org_id {
            Some(o) => o.to_string(),
            None => self
                .actors()?
                .into_iter()
                .find(|(a, _)| a.role == lvzhi_domain::org::Role::OrgAdmin)
                .map(|(a, _)| a.org_id)
                .ok_or_else(|| Error::invalid("只有组织管理员可以查看审计日志"))?,
        };
        self.sync.audit_log(&org, limit).await
    }

    pub(crate) fn watch_changes(&self) -> tokio::sync::broadcast::Receiver<lvzhi_sync::Changed> {
        self.sync.watch_changes()
    }
}

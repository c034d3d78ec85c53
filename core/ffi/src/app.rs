//! [`LvzhiApp`]: the apps' one object. Async functions for network work, blocking ones only for
//! quick local reads, and listeners for live data (the proposal list, one proposal, chat groups
//! and timelines, the sync state). Everything runs on the core's own Tokio runtime, whatever
//! thread or executor the app calls from.

use std::sync::{Arc, Mutex, OnceLock};

use lvzhi_client::rows::{GroupSummary, LoopSettings, ProposalSummary, SyncStatus, TimelineItem};
use lvzhi_client::{ActionForm, ActionKind, Client, FormValue, Me, OutboxItem, Person, ProposalDetail, UnitView};
use lvzhi_domain::chat::GroupKind;
use lvzhi_domain::proposal::ProposalContent;
use tokio::runtime::Runtime;
use tokio::sync::watch;

use crate::error::LvzhiError;
use crate::listeners::{
    GroupListListener, ProposalListListener, ProposalListener, Subscription, SyncStatusListener, TimelineListener,
};

pub(crate) type FfiResult<T> = std::result::Result<T, LvzhiError>;

/// One runtime for the core's network and background work.
fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("lvzhi-core")
            .enable_all()
            .build()
            .expect("the core's runtime starts")
    })
}

/// Runs network work on the core's runtime, whatever executor awaits it.
pub(crate) async fn on_runtime<T, F>(f: F) -> FfiResult<T>
where
    T: Send + 'static,
    F: std::future::Future<Output = lvzhi_client::Result<T>> + Send + 'static,
{
    runtime()
        .spawn(f)
        .await
        .map_err(|_| LvzhiError::Server { message: "后台任务意外中止，请重试".into() })?
        .map_err(LvzhiError::from)
}

/// The app's handle on the core.
#[derive(uniffi::Object)]
pub struct LvzhiApp {
    client: Client,
    background: Mutex<Option<watch::Sender<bool>>>,
}

impl LvzhiApp {
    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// Starts background work that feeds a listener, on the core's runtime.
    pub(crate) fn subscribe(&self, start: impl FnOnce(&Client) -> lvzhi_client::TaskHandle) -> Arc<Subscription> {
        let _enter = runtime().enter();
        Arc::new(Subscription::new(start(&self.client)))
    }
}

#[uniffi::export]
impl LvzhiApp {
    /// Opens (creating if needed) the database at `db_path` for the server at `server_url`.
    #[uniffi::constructor]
    pub fn open(db_path: String, server_url: String) -> FfiResult<Arc<LvzhiApp>> {
        let _enter = runtime().enter();
        let client = Client::open(&db_path, &server_url)?;
        Ok(Arc::new(LvzhiApp { client, background: Mutex::new(None) }))
    }

    /// Opens the database encrypted with `key` (32 bytes from the Android Keystore or the iOS
    /// Keychain; never stored by the core). A plain database from an older app is encrypted in
    /// place, once. `pins` as for `open_pinned` (may be empty). A wrong key is `WrongKey`.
    #[uniffi::constructor]
    pub fn open_encrypted(
        db_path: String,
        server_url: String,
        key: Vec<u8>,
        pins: Vec<String>,
    ) -> FfiResult<Arc<LvzhiApp>> {
        let _enter = runtime().enter();
        let key = lvzhi_client::errors::DbKey::from_bytes(&key).map_err(lvzhi_client::Error::from)?;
        let client = Client::open_encrypted(&db_path, &key, &server_url, &pins)?;
        Ok(Arc::new(LvzhiApp { client, background: Mutex::new(None) }))
    }

    /// Like `open`, also trusting the server's certificate when the SHA-256 of its public key
    /// (SPKI, 64 hex characters) is one of `pins`: for organisations that run their own CA.
    #[uniffi::constructor]
    pub fn open_pinned(db_path: String, server_url: String, pins: Vec<String>) -> FfiResult<Arc<LvzhiApp>> {
        let _enter = runtime().enter();
        let client = Client::open_pinned(&db_path, &server_url, &pins)?;
        Ok(Arc::new(LvzhiApp { client, background: Mutex::new(None) }))
    }

    // --- Session and sync ----------------------------------------------------------------

    pub async fn login(&self, login: String, password: String, device_name: String) -> FfiResult<Me> {
        let client = self.client.clone();
        on_runtime(async move {
            client.login(&login, &password, &device_name).await?;
            client.sync_until_idle().await
        })
        .await?;
        Ok(self.client.me()?)
    }

    /// Logs out and empties this device's database. While work is unsent it fails with
    /// `UnsentWork` (the app warns, and calls again with `discard_unsent` once the member
    /// confirms).
    pub async fn logout(&self, discard_unsent: bool) -> FfiResult<()> {
        let client = self.client.clone();
        on_runtime(async move { client.logout(discard_unsent).await }).await?;
        self.stop_sync();
        Ok(())
    }

    /// Work not yet accepted by the server, which logging out would lose.
    pub fn unsent_count(&self) -> FfiResult<u32> {
        Ok(self.client.unsent()?)
    }

    /// Who is logged in, if anyone (works offline).
    pub fn me(&self) -> Option<Me> {
        self.client.me().ok()
    }

    /// One full sync now (pull-to-refresh).
    pub async fn sync_now(&self) -> FfiResult<()> {
        let client = self.client.clone();
        on_runtime(async move { client.sync_until_idle().await }).await
    }

    /// Starts the background sync loop (long-poll while in the foreground, back-off when
    /// offline, the outbox sent as soon as it can be).
    pub fn start_sync(&self, long_poll_secs: u32) {
        let mut bg = self.background.lock().unwrap_or_else(|p| p.into_inner());
        if bg.is_some() {
            return;
        }
        let (tx, rx) = watch::channel(false);
        let client = self.client.clone();
        let settings = LoopSettings { long_poll_secs, ..LoopSettings::default() };
        runtime().spawn(async move { client.run(settings, rx).await });
        *bg = Some(tx);
    }

    pub fn stop_sync(&self) {
        if let Some(tx) = self.background.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = tx.send(true);
        }
    }

    pub fn sync_status(&self) -> SyncStatus {
        self.client.status()
    }

    pub fn observe_sync_status(&self, listener: Arc<dyn SyncStatusListener>) -> Arc<Subscription> {
        self.subscribe(|c| c.watch_status(move |s| listener.on_status(s)))
    }

    // --- Proposals ------------------------------------------------------------------------

    /// The user's proposals: own and invited ones, the organisation's for staff, the assigned
    /// ones for handling units; newest first.
    pub fn proposals(&self) -> FfiResult<Vec<ProposalSummary>> {
        Ok(self.client.proposals()?)
    }

    pub fn proposal(&self, id: String) -> FfiResult<ProposalDetail> {
        Ok(self.client.detail(&id)?)
    }

    /// The (three) proposals most like a draft that the user may read, from this phone's own
    /// index, offline: shown in the editor while the member writes. `exclude`: the draft itself.
    pub fn similar_proposals(
        &self,
        title: String,
        text: String,
        exclude: Option<String>,
    ) -> FfiResult<Vec<lvzhi_client::proposals::SimilarProposal>> {
        Ok(self.client.similar_proposals(&title, &text, exclude.as_deref())?)
    }

    pub fn search_proposals(&self, query: String) -> FfiResult<Vec<ProposalSummary>> {
        Ok(self.client.search_proposals(&query, 50)?)
    }

    /// Starts a draft in the member's current session; stored at once.
    pub fn create_draft(&self, content: ProposalContent) -> FfiResult<ProposalDetail> {
        Ok(self.client.create_draft(content)?)
    }

    /// Saves the draft (every save is a revision).
    pub fn save_draft(&self, id: String, content: ProposalContent) -> FfiResult<ProposalDetail> {
        Ok(self.client.save_draft(&id, content)?)
    }

    /// Takes the action `kind` on the item `item_id` (a proposal, notice, meeting…) with the
    /// values of its form: stored at once and queued, or refused with the reason a person reads.
    pub fn take_action(&self, item_id: String, kind: ActionKind, values: Vec<FormValue>) -> FfiResult<()> {
        Ok(self.client.take_action(&item_id, kind, &values)?)
    }

    /// The form of `kind` for the item, with the item's options filled in.
    pub fn action_form(&self, item_id: String, kind: ActionKind) -> FfiResult<ActionForm> {
        Ok(self.client.action_form(&item_id, kind)?)
    }

    pub fn observe_proposals(&self, listener: Arc<dyn ProposalListListener>) -> Arc<Subscription> {
        self.subscribe(|c| c.watch_proposals(move |u| listener.on_update(u.into())))
    }

    pub fn observe_proposal(&self, id: String, listener: Arc<dyn ProposalListener>) -> Arc<Subscription> {
        self.subscribe(|c| c.watch_proposal(&id, move |d| listener.on_proposal(d)))
    }

    /// People of the user's organisations (to invite as co-proposers or add to groups).
    pub fn people(&self) -> FfiResult<Vec<Person>> {
        Ok(self.client.people()?)
    }

    /// People whose name, 界别 or 专委会 contains `query`.
    pub fn search_people(&self, query: String) -> FfiResult<Vec<Person>> {
        Ok(self.client.search_people(&query)?)
    }

    /// Handling units staff can assign to.
    pub fn units(&self) -> FfiResult<Vec<UnitView>> {
        Ok(self.client.units()?)
    }

    // --- Outbox ------------------------------------------------------------------------------

    /// Everything not yet accepted by the server, oldest first, with where it stands.
    pub fn outbox(&self) -> FfiResult<Vec<OutboxItem>> {
        Ok(self.client.outbox_items()?)
    }

    /// Sends a refused entry again, as a new action (after the user changed what made it fail).
    pub fn retry_outbox(&self, id: u64) -> FfiResult<()> {
        Ok(self.client.resend(id)?)
    }

    /// Drops a refused entry; what it changed shows the server's version again.
    pub fn discard_outbox(&self, id: u64) -> FfiResult<()> {
        Ok(self.client.discard(id)?)
    }

    // --- Chat --------------------------------------------------------------------------------

    /// Staff open a study group with its members; returns its id.
    pub fn create_group(&self, name: String, kind: GroupKind, member_ids: Vec<String>) -> FfiResult<String> {
        Ok(self.client.create_group_as_staff(&name, kind, member_ids)?)
    }

    pub fn groups(&self) -> FfiResult<Vec<GroupSummary>> {
        Ok(self.client.groups()?)
    }

    pub fn observe_groups(&self, listener: Arc<dyn GroupListListener>) -> Arc<Subscription> {
        self.subscribe(|c| c.watch_groups(move |g| listener.on_groups(g)))
    }

    /// A group's newest messages and this device's unsent ones (for lists that do not need
    /// live updates).
    pub fn timeline(&self, group_id: String, limit: u32) -> FfiResult<Vec<TimelineItem>> {
        Ok(self.client.timeline(&group_id, limit)?)
    }

    pub fn observe_timeline(
        &self,
        group_id: String,
        limit: u32,
        listener: Arc<dyn TimelineListener>,
    ) -> Arc<Subscription> {
        self.subscribe(|c| c.watch_timeline(&group_id, limit, move |u| listener.on_update(u.into())))
    }

    /// Shown at once as 发送中; returns the message id.
    pub fn send_message(
        &self,
        group_id: String,
        text: String,
        reply_to: Option<String>,
        mentions: Vec<String>,
    ) -> FfiResult<String> {
        Ok(self.client.send_message(&group_id, &text, reply_to, mentions)?)
    }

    pub fn retry_failed(&self, group_id: String) -> FfiResult<u32> {
        Ok(self.client.retry_failed(&group_id)?)
    }

    pub fn recall_message(&self, message_id: String) -> FfiResult<()> {
        Ok(self.client.recall_message(&message_id)?)
    }

    /// Staff delete a message in a group of their organisation.
    pub fn delete_message(&self, message_id: String) -> FfiResult<()> {
        Ok(self.client.delete_message_as_staff(&message_id)?)
    }

    pub fn mark_read(&self, group_id: String, seq: u64) -> FfiResult<()> {
        Ok(self.client.mark_read(&group_id, seq)?)
    }

    pub async fn load_older_messages(
        &self,
        group_id: String,
        before_seq: u64,
        limit: u32,
    ) -> FfiResult<Vec<TimelineItem>> {
        let client = self.client.clone();
        on_runtime(async move { client.fetch_older_messages(&group_id, before_seq, limit).await }).await
    }

    pub fn search_messages(&self, query: String) -> FfiResult<Vec<TimelineItem>> {
        Ok(self.client.search_messages(&query, 50)?)
    }
}

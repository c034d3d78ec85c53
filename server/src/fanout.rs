//! Several server processes on one PostgreSQL database: what one commits, the others hear.
//!
//! A commit of pushed mutations moves some scopes' heads, decides some devices' mutations and
//! may change who is in which chat group. The process that committed updates its idle cache and
//! wakes its long-polls at once ([`Committed::apply`]); the others hear it through PostgreSQL's
//! NOTIFY, sent in the same transaction (so it is delivered only if the commit happened), and
//! do the same. A notification can be missed (a listener reconnecting, a payload too large), so
//! each process also looks every [`CHECK_EVERY`] for heads that moved past the newest it knows
//! (`scope_heads_by_seq`): positions are handed out in commit order (the PostgreSQL schema), so
//! one number is enough to find everything missed.

use std::sync::{Arc, Weak};
use std::time::Duration;

use futures_util::StreamExt;
use lvzhi_sql::Transaction;
use serde::{Deserialize, Serialize};
use tokio_postgres::AsyncMessage;

use crate::AppState;

/// The channel every server process listens on.
pub const CHANNEL: &str = "lvzhi_changes";
/// PostgreSQL refuses payloads of 8,000 bytes or more; a bigger commit says only "look".
const MAX_PAYLOAD: usize = 7_500;
/// How often a process looks for heads that moved without it hearing.
pub const CHECK_EVERY: Duration = Duration::from_secs(2);

/// What one commit changed, as far as other processes' caches and long-polls care.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Committed {
    /// The process that committed (it has applied this already).
    pub from: String,
    /// Scopes written, with their new heads.
    pub heads: Vec<(String, u64)>,
    /// Devices whose mutations were decided: (client id, owner, last decided id).
    pub clients: Vec<(String, String, u64)>,
    /// Whether someone's chat groups (and so their scopes) may have changed.
    pub membership: bool,
    /// Too much to say in one notification: look in the database instead.
    #[serde(default)]
    pub overflow: bool,
}

impl Committed {
    /// Sends this to the other processes when `tx` commits (PostgreSQL only).
    pub fn publish(&self, tx: &Transaction<'_>) -> lvzhi_store::Result<()> {
        if tx.dialect() != lvzhi_sql::Dialect::Postgres || (self.heads.is_empty() && self.clients.is_empty()) {
            return Ok(());
        }
        let mut payload = serde_json::to_string(self)?;
        if payload.len() >= MAX_PAYLOAD {
            let short = Committed {
                from: self.from.clone(),
                membership: self.membership,
                overflow: true,
                ..Default::default()
            };
            payload = serde_json::to_string(&short)?;
        }
        tx.query_row("SELECT pg_notify(?1, ?2)", [CHANNEL, payload.as_str()], |_| Ok(()))?;
        Ok(())
    }

    /// Brings this process's idle cache up to the commit, then wakes the long-polls of its scopes.
    pub fn apply(&self, app: &AppState) {
        // Before waking anyone: idle syncs answer from memory what was just written.
        app.idle.raise_heads(&self.heads);
        for (client, owner, last) in &self.clients {
            app.idle.remember_client(client, Some(owner), *last);
        }
        if self.membership {
            app.idle.forget_scopes();
        }
        if !self.heads.is_empty() {
            // Nobody waiting is fine.
            let _ = app.changes.send(Arc::new(self.heads.iter().map(|(scope, _)| scope.clone()).collect()));
        }
    }
}

/// Writes reference data outside the mutation writer (the console's accounts, roles, settings
/// and sessions) in one transaction, and tells this process and the others what it changed,
/// as a commit of mutations does: the heads of the scopes written (long-polls wake), and with
/// `membership`, that people's scopes may have changed.
pub fn write_reference<T>(
    app: &AppState,
    membership: bool,
    f: impl FnOnce(&Transaction<'_>) -> lvzhi_store::Result<T>,
) -> lvzhi_store::Result<T> {
    let (out, committed) = app.store.write(|tx| {
        let log_end = crate::changes::log_end(tx)?;
        let out = f(tx)?;
        let heads = crate::changes::written_since(tx, log_end)?;
        let committed =
            Committed { from: app.process_id.clone(), heads, clients: Vec::new(), membership, overflow: false };
        committed.publish(tx)?;
        Ok::<_, lvzhi_store::Error>((out, committed))
    })?;
    committed.apply(app);
    Ok(out)
}

/// Listens for other processes' commits until the state is dropped; reconnects after a failure
/// (and catches up by looking at the heads).
pub async fn listen(app: Weak<AppState>, url: String) {
    // Nothing is cached at start: only what moves from now on matters.
    let mut watermark: Option<u64> = None;
    while app.strong_count() > 0 {
        match listen_once(&app, &url, &mut watermark).await {
            Ok(()) => return,
            Err(e) => {
                tracing::warn!("listening for other servers' commits failed, reconnecting: {e}");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// One connection's worth of listening: `Ok` when the state is gone, `Err` to reconnect.
async fn listen_once(app: &Weak<AppState>, url: &str, watermark: &mut Option<u64>) -> Result<(), String> {
    let (client, mut connection) =
        tokio_postgres::connect(url, tokio_postgres::NoTls).await.map_err(|e| e.to_string())?;
    let (notes, mut heard) = tokio::sync::mpsc::unbounded_channel();
    // The connection delivers notifications as it is polled: forward them; when it ends, the
    // channel closes and this listener starts again.
    let driver = tokio::spawn(async move {
        let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    if notes.send(n.payload().to_owned()).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!("PostgreSQL listener connection: {e}");
                    break;
                }
            }
        }
    });
    let result = async {
        client.batch_execute(&format!("LISTEN {CHANNEL}")).await.map_err(|e| e.to_string())?;
        catch_up(app, &client, watermark).await?;
        let mut check = tokio::time::interval(CHECK_EVERY);
        loop {
            tokio::select! {
                note = heard.recv() => {
                    let Some(payload) = note else { return Err("the listener connection closed".to_string()) };
                    let Some(state) = app.upgrade() else { return Ok(()) };
                    match serde_json::from_str::<Committed>(&payload) {
                        Ok(c) if c.from == state.process_id => {}
                        Ok(c) if c.overflow => {
                            if c.membership {
                                state.idle.forget_scopes();
                            }
                            drop(state);
                            catch_up(app, &client, watermark).await?;
                        }
                        Ok(c) => c.apply(&state),
                        Err(e) => tracing::warn!("an unreadable notification on {CHANNEL}: {e}"),
                    }
                }
                _ = check.tick() => {
                    if app.strong_count() == 0 {
                        return Ok(());
                    }
                    catch_up(app, &client, watermark).await?;
                }
            }
        }
    }
    .await;
    driver.abort();
    result
}

/// Raises the heads that moved past `watermark` (the newest head this process has looked at)
/// and wakes their long-polls.
async fn catch_up(
    app: &Weak<AppState>,
    client: &tokio_postgres::Client,
    watermark: &mut Option<u64>,
) -> Result<(), String> {
    let Some(since) = *watermark else {
        let row = client
            .query_one("SELECT CAST(coalesce(max(seq), 0) AS BIGINT) FROM scope_heads", &[])
            .await
            .map_err(|e| e.to_string())?;
        *watermark = Some(row.try_get::<_, i64>(0).map_err(|e| e.to_string())? as u64);
        return Ok(());
    };
    let rows = client
        .query("SELECT scope, seq FROM scope_heads WHERE seq > $1", &[&(since as i64)])
        .await
        .map_err(|e| e.to_string())?;
    let mut heads = Vec::with_capacity(rows.len());
    for r in &rows {
        let scope: String = r.try_get(0).map_err(|e| e.to_string())?;
        let seq: i64 = r.try_get(1).map_err(|e| e.to_string())?;
        heads.push((scope, seq as u64));
    }
    if heads.is_empty() {
        return Ok(());
    }
    *watermark = Some(heads.iter().map(|(_, h)| *h).max().unwrap_or(since).max(since));
    if let Some(state) = app.upgrade() {
        Committed { heads, ..Default::default() }.apply(&state);
    }
    Ok(())
}

//! The sender: one task per server process that works through the queue — gathers events,
//! forms pushes, claims what is due, hands it to the vendors (several batches at once) and
//! records what became of each. Woken after a commit that recorded events; otherwise it looks
//! every `poll` (other processes' events, quiet hours ending, retries coming due).

use std::collections::BTreeMap;
use std::sync::{Arc, Weak};
use std::time::Duration;

use lvzhi_domain::push::PushText;
use lvzhi_domain::time::Timestamp;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::queue::{self, Claimed, Outcome};
use super::sms::Sms;
use super::vendors::{Delivery, Outgoing};
use crate::AppState;

/// Sends claimed at once: a province-wide notice goes out in a few rounds.
const CLAIM: usize = 5_000;
/// Vendor requests in flight at once.
const CONCURRENT_REQUESTS: usize = 32;
/// How often finished sends older than `queue::KEEP_FINISHED` are deleted.
const PRUNE_EVERY: chrono::Duration = chrono::Duration::hours(1);

/// Runs until the state is dropped (nothing to do when push is off).
pub async fn run(app: Weak<AppState>) {
    let Some((wake, poll)) = app.upgrade().and_then(|a| a.push.as_ref().map(|p| (p.wake.clone(), p.poll))) else {
        return;
    };
    let mut pruned: Option<Timestamp> = None;
    loop {
        let Some(state) = app.upgrade() else { return };
        let busy = match step(&state, &mut pruned).await {
            Ok(busy) => busy,
            Err(e) => {
                tracing::warn!("push sender: {e}");
                false
            }
        };
        drop(state);
        if !busy {
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(poll) => {}
            }
        }
    }
}

/// One round; true when it did something (so another round follows at once).
pub async fn step(app: &Arc<AppState>, pruned: &mut Option<Timestamp>) -> Result<bool, String> {
    let Some(push) = app.push.as_ref() else { return Ok(false) };
    let now = (app.clock)();
    let (state, channels) = (app.clone(), push.channels.clone());
    let (gathered, formed, claimed) = tokio::task::spawn_blocking(move || {
        let gathered = state.store.write(queue::gather)?;
        let formed = state.store.write(|tx| queue::form(tx, &channels, now))?;
        let claimed = state.store.write(|tx| queue::claim(tx, &state.process_id, now, CLAIM))?;
        Ok::<_, lvzhi_store::Error>((gathered, formed, claimed))
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| e.to_string())?;
    if formed.sends > 0 || formed.deferred > 0 {
        tracing::debug!(people = formed.people, sends = formed.sends, deferred = formed.deferred, "push formed");
    }
    let sent = !claimed.is_empty();
    if sent {
        let done = deliver(push, claimed).await;
        let state = app.clone();
        tokio::task::spawn_blocking(move || state.store.write(|tx| queue::finish(tx, &state.process_id, now, &done)))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
    }
    if pruned.is_none_or(|at| now - at > PRUNE_EVERY) {
        *pruned = Some(now);
        let state = app.clone();
        let _ = tokio::task::spawn_blocking(move || state.store.write(|tx| queue::prune(tx, now))).await;
    }
    Ok(gathered > 0 || formed.people > 0 || sent)
}

/// Hands claimed sends to their vendors, a batch per request, several requests at once.
async fn deliver(push: &super::Push, claimed: Vec<Claimed>) -> Vec<(Claimed, Outcome)> {
    let mut by_channel: BTreeMap<String, Vec<Claimed>> = BTreeMap::new();
    for c in claimed {
        by_channel.entry(c.channel.clone()).or_default().push(c);
    }
    let limit = Arc::new(Semaphore::new(CONCURRENT_REQUESTS));
    let mut tasks: JoinSet<Vec<(Claimed, Outcome)>> = JoinSet::new();
    let mut done = Vec::new();
    for (channel, sends) in by_channel {
        if channel == "sms" {
            let Some(sms) = push.sms.clone() else {
                done.extend(sends.into_iter().map(|s| (s, later("短信服务未配置"))));
                continue;
            };
            for send in sends {
                let (sms, limit) = (sms.clone(), limit.clone());
                tasks.spawn(async move {
                    let _permit = limit.acquire_owned().await;
                    let message = Sms {
                        phone: send.address.clone(),
                        params: vec![("body".into(), send.body.clone()), ("count".into(), send.count.to_string())],
                        message_id: format!("lvzhi-{}", send.id),
                    };
                    let outcome = outcome_of(sms.send(&message).await);
                    vec![(send, outcome)]
                });
            }
            continue;
        }
        let Some(vendor) = push.vendors.get(&channel).cloned() else {
            // Configured when the push was formed, not now (a restart with another config).
            done.extend(sends.into_iter().map(|s| (s, later("推送渠道未配置"))));
            continue;
        };
        let mut sends = sends.into_iter().peekable();
        while sends.peek().is_some() {
            let batch: Vec<Claimed> = sends.by_ref().take(vendor.max_batch().max(1)).collect();
            let (vendor, limit) = (vendor.clone(), limit.clone());
            tasks.spawn(async move {
                let _permit = limit.acquire_owned().await;
                let outgoing: Vec<Outgoing> = batch.iter().map(outgoing_of).collect();
                let mut answers = vendor.send(&outgoing).await.into_iter();
                batch
                    .into_iter()
                    .map(|send| {
                        let outcome = answers.next().map_or_else(|| later("推送渠道未答复"), outcome_of);
                        (send, outcome)
                    })
                    .collect()
            });
        }
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(part) => done.extend(part),
            // A panicked adapter leaves its sends claimed; their lease runs out and they are
            // claimed again.
            Err(e) => tracing::error!("a push request task failed: {e}"),
        }
    }
    done
}

fn outgoing_of(send: &Claimed) -> Outgoing {
    Outgoing {
        token: send.address.clone(),
        text: PushText { title: send.title.clone(), body: send.body.clone(), count: send.count },
        kind: send.kind.clone(),
        message_id: format!("lvzhi-{}", send.id),
        collapse_id: send.collapse_id.clone(),
    }
}

fn outcome_of(d: Delivery) -> Outcome {
    match d {
        Delivery::Sent => Outcome::Sent,
        Delivery::InvalidToken { reason } => Outcome::Invalid(reason),
        Delivery::Retry { after, reason } => Outcome::Retry { after, reason },
        Delivery::Failed { reason } => Outcome::Failed(reason),
    }
}

fn later(reason: &str) -> Outcome {
    Outcome::Retry { after: Duration::from_secs(3600), reason: reason.into() }
}

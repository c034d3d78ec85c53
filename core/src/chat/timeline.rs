//! Live timelines: a listener first gets a snapshot of a group's timeline, then only diffs,
//! as messages arrive, move from 发送中 to their place in the server's order, or are recalled.
//! The subscription stops when its handle is dropped. Listeners are called from a task that
//! holds no lock.

use std::sync::Arc;

use tokio::sync::broadcast;

use super::{TimelineItem, repo};
use crate::live;
use crate::store::Store;
use crate::sync::client::Changed;

/// What a timeline listener receives.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum TimelineUpdate {
    Snapshot { items: Vec<TimelineItem> },
    Diffs { diffs: Vec<TimelineDiff> },
}

/// One step from the previous list to the next, applied in order.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum TimelineDiff {
    Insert { index: u32, item: TimelineItem },
    Update { index: u32, item: TimelineItem },
    Remove { index: u32 },
}

/// Implemented by the apps' state holders (Kotlin, Swift) or by Rust code.
#[uniffi::export(with_foreign)]
pub trait TimelineListener: Send + Sync {
    fn on_update(&self, update: TimelineUpdate);
}

/// Keeps a subscription alive; dropping it stops the updates.
#[derive(uniffi::Object)]
pub struct TimelineHandle {
    task: tokio::task::JoinHandle<()>,
}

#[uniffi::export]
impl TimelineHandle {
    /// Stops the updates now (dropping the handle does the same).
    pub fn cancel(&self) {
        self.task.abort();
    }
}

impl Drop for TimelineHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts a subscription: snapshot now, then diffs whenever `changes` names the group.
pub fn subscribe(
    store: Arc<Store>,
    mut changes: broadcast::Receiver<Changed>,
    group_id: String,
    limit: u32,
    listener: Arc<dyn TimelineListener>,
) -> TimelineHandle {
    let task = tokio::spawn(async move {
        let load = |store: &Store| store.read(|c| repo::timeline(c, &group_id, limit));
        let Ok(mut current) = load(&store) else { return };
        listener.on_update(TimelineUpdate::Snapshot { items: current.clone() });
        loop {
            let relevant = match changes.recv().await {
                Ok(changed) => changed.groups.contains(&group_id),
                // Missed notices: look again to be safe.
                Err(broadcast::error::RecvError::Lagged(_)) => true,
                Err(broadcast::error::RecvError::Closed) => return,
            };
            if !relevant {
                continue;
            }
            let Ok(next) = load(&store) else { continue };
            let diffs = diff(&current, &next);
            if !diffs.is_empty() {
                current = next;
                listener.on_update(TimelineUpdate::Diffs { diffs });
            }
        }
    });
    TimelineHandle { task }
}

/// Diffs that turn `old` into `new` (see [`crate::live`]).
pub fn diff(old: &[TimelineItem], new: &[TimelineItem]) -> Vec<TimelineDiff> {
    live::diff(old, new, |i| i.id.as_str()).into_iter().map(TimelineDiff::from).collect()
}

impl From<live::Diff<TimelineItem>> for TimelineDiff {
    fn from(d: live::Diff<TimelineItem>) -> Self {
        match d {
            live::Diff::Insert { index, item } => TimelineDiff::Insert { index, item },
            live::Diff::Update { index, item } => TimelineDiff::Update { index, item },
            live::Diff::Remove { index } => TimelineDiff::Remove { index },
        }
    }
}

/// Applies diffs to a list, as the apps' mirrors do.
pub fn apply(list: &mut Vec<TimelineItem>, diffs: &[TimelineDiff]) {
    for d in diffs {
        match d {
            TimelineDiff::Insert { index, item } => list.insert(*index as usize, item.clone()),
            TimelineDiff::Update { index, item } => list[*index as usize] = item.clone(),
            TimelineDiff::Remove { index } => {
                list.remove(*index as usize);
            }
        }
    }
}

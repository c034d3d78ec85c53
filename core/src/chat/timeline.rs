//! Live timelines: a listener first gets a snapshot of a group's timeline, then only diffs,
//! as messages arrive, move from 发送中 to their place in the server's order, or are recalled.
//! The subscription stops when its handle is dropped. Listeners are called from a task that
//! holds no lock.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tokio::sync::broadcast;

use super::{TimelineItem, repo};
use crate::store::Store;

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
    mut changes: broadcast::Receiver<Vec<String>>,
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
                Ok(groups) => groups.contains(&group_id),
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

/// Diffs that turn `old` into `new`: items keep their identity by id; the longest run that
/// kept its order stays (updated in place where changed), the rest is removed and inserted.
pub fn diff(old: &[TimelineItem], new: &[TimelineItem]) -> Vec<TimelineDiff> {
    let new_pos: HashMap<&str, usize> = new.iter().enumerate().map(|(i, it)| (it.id.as_str(), i)).collect();
    // Old items still present, with their new positions, in old order.
    let kept: Vec<(usize, usize)> =
        old.iter().enumerate().filter_map(|(i, it)| new_pos.get(it.id.as_str()).map(|&j| (i, j))).collect();
    let stay: HashSet<usize> =
        longest_increasing(&kept.iter().map(|&(_, j)| j).collect::<Vec<_>>()).into_iter().map(|k| kept[k].0).collect();
    let mut diffs = Vec::new();
    for i in (0..old.len()).rev() {
        if !stay.contains(&i) {
            diffs.push(TimelineDiff::Remove { index: i as u32 });
        }
    }
    let staying_ids: HashMap<&str, &TimelineItem> = stay.iter().map(|&i| (old[i].id.as_str(), &old[i])).collect();
    let mut updates = Vec::new();
    for (j, item) in new.iter().enumerate() {
        match staying_ids.get(item.id.as_str()) {
            Some(before) if *before != item => {
                updates.push(TimelineDiff::Update { index: j as u32, item: item.clone() })
            }
            Some(_) => {}
            None => diffs.push(TimelineDiff::Insert { index: j as u32, item: item.clone() }),
        }
    }
    diffs.extend(updates);
    diffs
}

/// Indices of one longest strictly increasing subsequence of `xs`.
fn longest_increasing(xs: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new(); // index into xs of the smallest tail per length
    let mut prev: Vec<Option<usize>> = vec![None; xs.len()];
    for (i, &x) in xs.iter().enumerate() {
        let pos = tails.partition_point(|&t| xs[t] < x);
        prev[i] = pos.checked_sub(1).map(|p| tails[p]);
        if pos == tails.len() {
            tails.push(i);
        } else {
            tails[pos] = i;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(i) = at {
        out.push(i);
        at = prev[i];
    }
    out.reverse();
    out
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::MessageState;
    use proptest::prelude::*;

    fn item(id: u8, text: u8) -> TimelineItem {
        TimelineItem {
            id: format!("m{id}"),
            group_id: "g".into(),
            seq: None,
            sender_id: "s".into(),
            sender_name: "张明".into(),
            text: format!("第{text}条"),
            reply_to: None,
            mentions: vec![],
            created_at_ms: 0,
            sent_at_ms: None,
            recalled: false,
            deleted: false,
            state: MessageState::Sending,
            outbox_id: None,
        }
    }

    fn list(spec: &[(u8, u8)]) -> Vec<TimelineItem> {
        let mut seen = HashSet::new();
        spec.iter().filter(|(id, _)| seen.insert(*id)).map(|&(id, t)| item(id, t)).collect()
    }

    #[test]
    fn a_sent_message_moves_to_its_place_and_is_never_shown_twice() {
        let old = list(&[(1, 1), (2, 2), (9, 9)]);
        let mut moved = item(9, 9);
        moved.state = MessageState::Sent;
        let new = vec![item(1, 1), moved.clone(), item(2, 2)];
        let diffs = diff(&old, &new);
        assert!(diffs.len() <= 3, "{diffs:?}");
        let mut applied = old.clone();
        for d in &diffs {
            apply(&mut applied, std::slice::from_ref(d));
            let ids: HashSet<&str> = applied.iter().map(|i| i.id.as_str()).collect();
            assert_eq!(ids.len(), applied.len(), "an item shown twice after {d:?}");
        }
        assert_eq!(applied, new);
    }

    proptest! {
        #[test]
        fn diffs_turn_any_list_into_any_other(
            a in prop::collection::vec((0u8..20, 0u8..3), 0..15),
            b in prop::collection::vec((0u8..20, 0u8..3), 0..15),
        ) {
            let (old, new) = (list(&a), list(&b));
            let mut applied = old.clone();
            apply(&mut applied, &diff(&old, &new));
            prop_assert_eq!(applied, new);
        }
    }
}

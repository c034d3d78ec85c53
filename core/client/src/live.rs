//! Live lists and values for the apps: a listener first gets a snapshot, then only the diffs
//! that turn the list it has into the new one. Items keep their identity by key; the longest
//! run that kept its order stays in place (updated where changed), the rest is removed and
//! inserted. Listeners are called from a task that holds no lock.

use std::collections::{HashMap, HashSet};

use lvzhi_sync::Changed;
use tokio::sync::broadcast;

use crate::task::TaskHandle;

/// What a list listener receives: first the whole list, then changes to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListUpdate<T> {
    Snapshot { items: Vec<T> },
    Diffs { diffs: Vec<Diff<T>> },
}

/// Keeps `on_update` told about the list `load` returns: a snapshot now, then diffs whenever a
/// change notice is `relevant`. Must be called within a Tokio runtime; stops when the handle is
/// dropped or the notices end.
pub fn watch_list<T, L, K, R, F>(
    mut changes: broadcast::Receiver<Changed>,
    relevant: R,
    load: L,
    key: K,
    on_update: F,
) -> TaskHandle
where
    T: Clone + PartialEq + Send + 'static,
    L: Fn() -> Option<Vec<T>> + Send + 'static,
    K: Fn(&T) -> &str + Send + 'static,
    R: Fn(&Changed) -> bool + Send + Sync + 'static,
    F: Fn(ListUpdate<T>) + Send + 'static,
{
    TaskHandle::spawn(async move {
        let Some(mut current) = load() else { return };
        on_update(ListUpdate::Snapshot { items: current.clone() });
        while next_relevant(&mut changes, &relevant).await {
            let Some(next) = load() else { continue };
            let diffs = diff(&current, &next, &key);
            if !diffs.is_empty() {
                current = next;
                on_update(ListUpdate::Diffs { diffs });
            }
        }
    })
}

/// Keeps `on_value` told about the value `load` returns: now, then whenever a relevant change
/// notice makes it differ. `None` (not there, or not readable now) is not sent.
pub fn watch_value<T, L, R, F>(
    mut changes: broadcast::Receiver<Changed>,
    relevant: R,
    load: L,
    on_value: F,
) -> TaskHandle
where
    T: Clone + PartialEq + Send + 'static,
    L: Fn() -> Option<T> + Send + 'static,
    R: Fn(&Changed) -> bool + Send + Sync + 'static,
    F: Fn(T) + Send + 'static,
{
    TaskHandle::spawn(async move {
        let mut last = load();
        if let Some(v) = &last {
            on_value(v.clone());
        }
        while next_relevant(&mut changes, &relevant).await {
            let next = load();
            if next != last {
                if let Some(v) = &next {
                    on_value(v.clone());
                }
                last = next;
            }
        }
    })
}

/// Waits for the next change notice that matters (a lag counts: look again to be safe); false
/// when the notices have ended.
async fn next_relevant(rx: &mut broadcast::Receiver<Changed>, relevant: &impl Fn(&Changed) -> bool) -> bool {
    loop {
        match rx.recv().await {
            Ok(c) if relevant(&c) => return true,
            Ok(_) => continue,
            Err(broadcast::error::RecvError::Lagged(_)) => return true,
            Err(broadcast::error::RecvError::Closed) => return false,
        }
    }
}

/// One step from the previous list to the next, applied in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Diff<T> {
    Insert { index: u32, item: T },
    Update { index: u32, item: T },
    Remove { index: u32 },
}

/// Diffs that turn `old` into `new`.
pub fn diff<T: Clone + PartialEq>(old: &[T], new: &[T], key: impl Fn(&T) -> &str) -> Vec<Diff<T>> {
    let new_pos: HashMap<&str, usize> = new.iter().enumerate().map(|(i, it)| (key(it), i)).collect();
    // Old items still present, with their new positions, in old order.
    let kept: Vec<(usize, usize)> =
        old.iter().enumerate().filter_map(|(i, it)| new_pos.get(key(it)).map(|&j| (i, j))).collect();
    let stay: HashSet<usize> =
        longest_increasing(&kept.iter().map(|&(_, j)| j).collect::<Vec<_>>()).into_iter().map(|k| kept[k].0).collect();
    let mut diffs: Vec<Diff<T>> =
        (0..old.len()).rev().filter(|i| !stay.contains(i)).map(|i| Diff::Remove { index: i as u32 }).collect();
    let staying: HashMap<&str, &T> = stay.iter().map(|&i| (key(&old[i]), &old[i])).collect();
    let mut updates = Vec::new();
    for (j, item) in new.iter().enumerate() {
        match staying.get(key(item)) {
            Some(before) if *before != item => updates.push(Diff::Update { index: j as u32, item: item.clone() }),
            Some(_) => {}
            None => diffs.push(Diff::Insert { index: j as u32, item: item.clone() }),
        }
    }
    diffs.extend(updates);
    diffs
}

/// Applies diffs to a list, as the apps' mirrors do.
pub fn apply<T: Clone>(list: &mut Vec<T>, diffs: &[Diff<T>]) {
    for d in diffs {
        match d {
            Diff::Insert { index, item } => list.insert(*index as usize, item.clone()),
            Diff::Update { index, item } => list[*index as usize] = item.clone(),
            Diff::Remove { index } => {
                list.remove(*index as usize);
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn list(spec: &[(u8, u8)]) -> Vec<(String, u8)> {
        let mut seen = HashSet::new();
        spec.iter().filter(|(id, _)| seen.insert(*id)).map(|&(id, v)| (format!("k{id}"), v)).collect()
    }

    #[test]
    fn a_moved_item_is_never_shown_twice() {
        let old = list(&[(1, 0), (2, 0), (9, 0)]);
        let new = list(&[(1, 0), (9, 1), (2, 0)]);
        let diffs = diff(&old, &new, |x| &x.0);
        let mut applied = old.clone();
        for d in &diffs {
            apply(&mut applied, std::slice::from_ref(d));
            let keys: HashSet<&str> = applied.iter().map(|x| x.0.as_str()).collect();
            assert_eq!(keys.len(), applied.len(), "shown twice after {d:?}");
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
            apply(&mut applied, &diff(&old, &new, |x| &x.0));
            prop_assert_eq!(applied, new);
        }
    }
}

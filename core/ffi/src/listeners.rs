//! Live data for the apps: the listener traits they implement, the update types they receive,
//! and [`Subscription`], the one handle that keeps a listener fed until dropped or cancelled.
//! Listeners are called from the core's runtime, never while the core holds a lock.

use lvzhi_client::rows::{GroupSummary, ProposalSummary, SyncStatus, TimelineItem};
use lvzhi_client::{Diff, ListUpdate, ProposalDetail, TaskHandle};

/// Keeps a listener's subscription alive; dropping it (or `cancel`) stops the updates.
#[derive(uniffi::Object)]
pub struct Subscription {
    task: TaskHandle,
}

impl Subscription {
    pub(crate) fn new(task: TaskHandle) -> Subscription {
        Subscription { task }
    }
}

#[uniffi::export]
impl Subscription {
    pub fn cancel(&self) {
        self.task.cancel();
    }
}

#[uniffi::export(with_foreign)]
pub trait SyncStatusListener: Send + Sync {
    fn on_status(&self, status: SyncStatus);
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ProposalListUpdate {
    Snapshot { items: Vec<ProposalSummary> },
    Diffs { diffs: Vec<ProposalListDiff> },
}

#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ProposalListDiff {
    Insert { index: u32, item: ProposalSummary },
    Update { index: u32, item: ProposalSummary },
    Remove { index: u32 },
}

#[uniffi::export(with_foreign)]
pub trait ProposalListListener: Send + Sync {
    fn on_update(&self, update: ProposalListUpdate);
}

#[uniffi::export(with_foreign)]
pub trait ProposalListener: Send + Sync {
    /// The proposal as it is now (first at once, then after every change).
    fn on_proposal(&self, detail: ProposalDetail);
}

#[uniffi::export(with_foreign)]
pub trait GroupListListener: Send + Sync {
    fn on_groups(&self, groups: Vec<GroupSummary>);
}

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

#[uniffi::export(with_foreign)]
pub trait TimelineListener: Send + Sync {
    fn on_update(&self, update: TimelineUpdate);
}

impl From<ListUpdate<ProposalSummary>> for ProposalListUpdate {
    fn from(u: ListUpdate<ProposalSummary>) -> Self {
        match u {
            ListUpdate::Snapshot { items } => ProposalListUpdate::Snapshot { items },
            ListUpdate::Diffs { diffs } => ProposalListUpdate::Diffs {
                diffs: diffs
                    .into_iter()
                    .map(|d| match d {
                        Diff::Insert { index, item } => ProposalListDiff::Insert { index, item },
                        Diff::Update { index, item } => ProposalListDiff::Update { index, item },
                        Diff::Remove { index } => ProposalListDiff::Remove { index },
                    })
                    .collect(),
            },
        }
    }
}

impl From<ListUpdate<TimelineItem>> for TimelineUpdate {
    fn from(u: ListUpdate<TimelineItem>) -> Self {
        match u {
            ListUpdate::Snapshot { items } => TimelineUpdate::Snapshot { items },
            ListUpdate::Diffs { diffs } => TimelineUpdate::Diffs {
                diffs: diffs
                    .into_iter()
                    .map(|d| match d {
                        Diff::Insert { index, item } => TimelineDiff::Insert { index, item },
                        Diff::Update { index, item } => TimelineDiff::Update { index, item },
                        Diff::Remove { index } => TimelineDiff::Remove { index },
                    })
                    .collect(),
            },
        }
    }
}

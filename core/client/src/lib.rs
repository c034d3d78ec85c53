//! 履职 client: what the apps (and the terminal shell) show and may do, over the sync engine.
//!
//! - [`Client`]: one logged-in device — session, sync, outbox, who is acting;
//! - [`proposals`]: drafting, the list, one proposal with the actions it offers, search;
//! - [`take`]: taking one of the core's described actions from any shell
//!   (`Client::take_action`); which are offered is `lvzhi_store::forms`'s, shared with the
//!   server's console;
//! - [`duty`]: notices, meetings, the duty record, feedback; [`consult`]: 社情民意, 网络议政,
//!   remote-consultation speeches, 协商在基层;
//! - [`study`]: 委员学习 materials and notes, 线上读书, the news feed;
//! - [`liaison`]: 委员档案 and the directory, 联络联系 (register, log, drafts made of it),
//!   委员工作室 (studios, duty days, messages and answers);
//! - [`home`]: the home page, the schedule of local notifications for 待办, check-in by a
//!   scanned code;
//! - [`files`]: attachments with their state on this phone, transfers, the cache;
//! - [`chat`]: messages, recall, read markers, groups, timelines;
//! - [`outbox`]: what is not yet accepted by the server, and why, for the member to read;
//! - [`views`]: the plain data screens show; [`live`]: live lists and values (snapshot, then
//!   diffs); [`task`]: the one handle type for background work.
//!
//! Errors are the sync engine's ([`Error`]): refusals keep their Chinese reason, failures their
//! kind.

pub mod chat;
pub mod client;
pub mod consult;
pub mod duty;
pub mod files;
pub mod home;
pub mod liaison;
pub mod live;
pub mod outbox;
pub mod proposals;
pub mod push;
pub mod report;
pub mod study;
pub mod take;
pub mod task;
pub mod views;

/// What the screens receive, as the store and the sync engine make it: the apps' bindings take
/// these from here, and depend on nothing below the client.
pub mod rows {
    pub use lvzhi_media::qr::QrMatrix;
    pub use lvzhi_store::chat::{GroupSummary, MessageState, TimelineItem};
    pub use lvzhi_store::duty::reminders::{Reminder, ReminderKind, ReminderSettings, ScheduledReminder};
    pub use lvzhi_store::proposal::ProposalSummary;
    pub use lvzhi_store::record::MemberRecord;
    pub use lvzhi_sync::files::{CacheUsage, Direction, FileInfo, TransferProgress};
    pub use lvzhi_sync::{LoopSettings, SyncState, SyncStatus};
}

/// The error's inner kinds, for the one place that turns them into the apps' errors.
pub mod errors {
    pub use lvzhi_store::{DbKey, Error as LocalError, StorageError, StorageErrorKind};
}

pub use client::Client;
pub use live::{Diff, ListUpdate};
pub use lvzhi_domain::actions::{ActionForm, ActionKind};
pub use lvzhi_domain::form::{ChoiceOption, FormValue, Input, InputKind};
pub use lvzhi_sync::{Error, Result};
pub use task::TaskHandle;
pub use views::*;

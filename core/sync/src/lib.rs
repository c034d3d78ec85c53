//! 履职 phone sync engine: a server-authoritative mutation log with a durable outbox.
//!
//! - [`engine`]: [`SyncClient`] — the send queue (each local action applied at once with the
//!   server's own rules and queued in the same transaction), change notices, status;
//! - [`session`]: login, token refresh, logout, the roles the tokens carry;
//! - [`pull`]: the round trips (push the outbox, pull pages per scope, pipelined while there is
//!   more) and the background loop with back-off;
//! - [`apply`]: taking a server response into the device's store (server versions, then the
//!   pending mutations replayed on top, so the screen never flickers back);
//! - [`files`]: attachments — uploads that resume, downloads by range, the cache and its budget;
//! - [`outbox`]: the queue's storage and the device's small sync facts;
//! - [`transport`]: HTTP with gzip, and the server's answers as [`Error`]s;
//! - [`admin`]: what administrators read from the server directly (the audit log);
//! - [`pinning`]: trusting a server by its key's hash, for organisations with their own CA.

pub mod admin;
pub mod apply;
pub mod engine;
pub mod error;
pub mod file_cache;
pub mod files;
/// The outbox's table and statements are the store's (`lvzhi_store::device::outbox`).
pub use lvzhi_store::device::outbox;
pub mod pinning;
pub mod pull;
pub mod session;
pub mod transport;

pub use engine::{Changed, LoopSettings, SyncClient, SyncState, SyncStatus};
pub use error::{Error, Result};
pub use pull::MAX_PIPELINED_PAGES;

//! Offline-first sync: a server-authoritative mutation log with a durable client outbox.
//!
//! - [`protocol`]: what travels over `POST /v1/sync`;
//! - [`mutation`]: applying one mutation, the same code on the phone and on the server;
//! - [`outbox`]: the device's queue of mutations, written with their local effect;
//! - [`apply`]: taking a server response into the device's store (server versions, then the
//!   pending mutations replayed on top, so the screen never flickers back);
//! - [`client`]: the HTTP side: login, the sync round trip, state, retry with back-off.

pub mod apply;
pub mod client;
pub mod mutation;
pub mod outbox;
pub mod protocol;

use std::sync::Arc;

use crate::time::Timestamp;

/// Where "now" comes from: the wall clock in the apps, a fixed instant in tests.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(crate::time::now)
}

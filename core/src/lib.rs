//! 履职 Lvzhi core: everything that is not pixels.
//!
//! The phone apps (through UniFFI) and the sync server run this same crate, so a change the
//! server would refuse is already refused offline, with the same reason.
//!
//! Layout, one module per concept:
//! - [`store`]: the local SQLite database (one writer, several readers) and its migrations.
//! - [`org`]: organisations, terms and sessions, sectors, committees, handling units, people and roles.
//! - [`proposal`]: the proposal (提案) lifecycle as a pure state machine, its revisions, its
//!   hash-chained history and its storage.
//! - [`search`]: offline Chinese full-text search (one- and two-character queries included).
//! - [`chat`]: study-group chat with a live timeline.
//! - [`sync`]: the offline-first sync client (outbox, cursors, replay).
//! - [`ffi`]: the UniFFI surface and its small public error enum.

pub mod app;
pub mod chat;
pub mod error;
pub mod ffi;
pub mod ids;
pub mod live;
pub mod org;
pub mod proposal;
pub mod sample;
pub mod search;
pub mod store;
pub mod sync;
pub mod time;

pub use error::{Error, Result};

uniffi::setup_scaffolding!();

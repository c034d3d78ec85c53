//! 履职 storage, shared by the phone and the server.
//!
//! - [`Store`]: one SQLite file with one writer connection and pooled readers, in WAL mode;
//!   writes take a `&Transaction`, so callers decide what commits together.
//! - [`migrations`]: the `shared`, `device` and `server` schema sets, and which [`DbKind`] a
//!   file is.
//! - [`org`], [`proposal`], [`chat`], [`duty`], [`consult`], [`study`], [`member_file`], [`liaison`]:
//!   repositories and use cases over the domain of
//!   `lvzhi-domain`; [`mutation`]: applying one mutation, the same code on the phone (at once,
//!   offline) and on the server (to decide).
//! - [`aggregate`]: the phone's duty and consultation aggregates, taken back and installed again.
//! - [`forms`]: the action forms an item offers a person now, with the item's options.
//! - [`record`]: the duty record (履职档案) gathered from all of the above.
//! - [`search`]: offline Chinese full-text search (device databases only).
//! - [`sample`]: seeded databases for tests, benchmarks and the server's demo.
//! - [`wipe`]: emptying a phone's database when its person logs out or another logs in.
//!
//! What only phones need (encryption, aggregates, wiping, 待办, search queries) is behind the
//! `device` feature, which the server does not enable.

#[cfg(feature = "device")]
pub mod aggregate;
pub mod changed;
pub mod chat;
pub mod consult;
#[cfg(feature = "device")]
pub mod device;
pub mod duty;
#[cfg(feature = "device")]
pub mod encryption;
pub mod error;
pub mod forms;
mod json_rows;
pub mod liaison;
pub mod member_file;
pub mod migrations;
pub mod mutation;
pub mod org;
pub mod proposal;
pub mod push;
pub mod record;
pub mod sample;
pub mod search;
mod side;
mod store;
pub mod study;
#[cfg(feature = "device")]
pub mod wipe;

#[cfg(feature = "device")]
pub use encryption::DbKey;
pub use error::{Error, Result, StorageError, StorageErrorKind};
pub use migrations::DbKind;
pub use side::Side;
pub use store::Store;

//! Proposals (提案): the lifecycle from draft to archive.
//!
//! - [`model`]: the aggregate and its parts;
//! - [`lifecycle`]: the pure state machine both the phone and the server run;
//! - [`history`]: the hash-chained, append-only record of transitions;
//! - [`repo`]: storage; [`service`]: use cases over the store.

mod error;
pub mod history;
pub mod lifecycle;
pub mod model;
pub mod repo;
pub mod service;

pub use error::ProposalError;
pub use lifecycle::{Action, Context, Outcome};
pub use model::*;

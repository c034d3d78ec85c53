//! Proposals (提案): the lifecycle from draft to archive.
//!
//! - [`model`]: the aggregate and its parts;
//! - [`lifecycle`]: the pure state machine both the phone and the server run;
//! - [`history`]: the hash-chained, append-only record of transitions;
//!
//! Storage and the use cases over it live in `lvzhi-store`.

mod error;
pub mod history;
pub mod lifecycle;
pub mod model;

pub use error::{ProposalError, RefusalKind};
pub use lifecycle::{Action, Context, Outcome};
pub use model::*;

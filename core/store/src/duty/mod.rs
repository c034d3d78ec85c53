//! Notices, meetings, the duty record and feedback: repositories ([`repo`]), who a notice
//! reaches and who answered ([`audience`]), the writes both sides share ([`service`]), and the
//! member's 待办 ([`reminders`]). The duty record is `crate::record`.

pub mod audience;
#[cfg(feature = "device")]
pub mod reminders;
pub mod repo;
pub mod service;

pub use crate::changed::Entities;

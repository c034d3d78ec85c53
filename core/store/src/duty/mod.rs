//! Notices, meetings, the duty record and feedback: repositories ([`repo`]), who a notice
//! reaches ([`audience`]), the writes both sides share ([`service`]), and what is computed from
//! the synced facts ([`record`]: the duty record and the staff's follow-up; [`reminders`]: the
//! member's 待办).

pub mod audience;
pub mod record;
pub mod reminders;
pub mod repo;
pub mod service;

pub use service::Touched;

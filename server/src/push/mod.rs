//! Telling people when something needs them: push through APNs and each phone maker's channel,
//! and SMS for what is urgent. Phones never link this; they register their token through sync.

pub mod config;
pub mod sms;
pub mod vendors;

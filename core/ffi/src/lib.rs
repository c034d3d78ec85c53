//! 履职 UniFFI surface: the one library the Android and iOS apps load (`liblvzhi_ffi`).
//!
//! - [`LvzhiApp`]: the apps' one object, opened with a database path and a server URL;
//! - [`LvzhiError`]: the small public error enum, converted here from the core's errors;
//! - [`listeners`]: the traits the apps implement for live data, and [`Subscription`];
//! - [`types`]: the values that cross, declared for UniFFI over the crates that own them.
//!
//! Every rule stays in the core; the apps render what comes back and forward taps.

pub mod app;
pub mod consult;
pub mod duty;
pub mod error;
pub mod files;
pub mod listeners;
pub mod study;
pub mod types;

pub use app::LvzhiApp;
pub use error::LvzhiError;
pub use listeners::Subscription;

uniffi::setup_scaffolding!();

/// The core's version, for the apps' about screens and bug reports.
#[uniffi::export]
pub fn core_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The button text for a command, e.g. 「提交提案」.
#[uniffi::export]
pub fn command_label(kind: lvzhi_client::CommandKind) -> String {
    lvzhi_client::command_label(kind)
}

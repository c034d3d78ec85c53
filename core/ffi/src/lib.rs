//! 履职 UniFFI surface: the one library the Android and iOS apps load (`liblvzhi_ffi`).
//!
//! - [`LvzhiApp`]: the apps' one object, opened with a database path and a server URL;
//! - [`LvzhiError`]: the small public error enum, converted here from the core's errors;
//! - [`listeners`]: the traits the apps implement for live data, and [`Subscription`];
//! - [`home`]: the home page, local notifications for 待办, check-in by a scanned code, QR codes;
//! - [`types`]: the values that cross, declared for UniFFI over the crates that own them.
//!
//! Every rule stays in the core; the apps render what comes back and forward taps.

pub mod app;
pub mod consult;
pub mod duty;
pub mod error;
pub mod files;
pub mod home;
pub mod liaison;
pub mod listeners;
pub mod push;
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

// The labels of states and kinds, as the core writes them: the apps show these instead of
// restating them (one wording on every screen, every shell).

/// 「已立案」, 「办理中」…
#[uniffi::export]
pub fn proposal_state_label(state: lvzhi_domain::proposal::ProposalState) -> String {
    state.label().into()
}

/// 「待答复」, 「已同意」, 「不同意」
#[uniffi::export]
pub fn invitation_status_label(status: lvzhi_domain::proposal::InvitationStatus) -> String {
    status.label().into()
}

/// 「满意」, 「基本满意」, 「不满意」
#[uniffi::export]
pub fn rating_label(rating: lvzhi_domain::proposal::Rating) -> String {
    rating.label().into()
}

/// 「省级」, 「州市级」, 「县级」
#[uniffi::export]
pub fn level_label(level: lvzhi_domain::consult::report::Level) -> String {
    level.label().into()
}

/// 「落实中」, 「已落实」, 「未落实」
#[uniffi::export]
pub fn consensus_status_label(status: lvzhi_domain::consult::grassroots::ConsensusStatus) -> String {
    status.label().into()
}

/// 「参加」, 「不参加」, 「其他」
#[uniffi::export]
pub fn reply_option_label(option: lvzhi_domain::duty::notice::ReplyOption) -> String {
    option.label().into()
}

/// 「已记录」, 「待审核」, 「已认定」, 「已退回」
#[uniffi::export]
pub fn entry_status_label(status: lvzhi_domain::duty::record::EntryStatus) -> String {
    status.label().into()
}

/// Every action the core describes, for shells' tests that render each one.
#[uniffi::export]
pub fn all_actions() -> Vec<lvzhi_client::ActionKind> {
    lvzhi_client::ActionKind::ALL.to_vec()
}

/// The form of an action as described, before any item fills in its options.
#[uniffi::export]
pub fn describe_action(kind: lvzhi_client::ActionKind) -> lvzhi_client::ActionForm {
    lvzhi_domain::actions::describe(kind)
}

/// Whether `values` fill `form`: `Ok`, or the refusal a person would read (「请填写「理由」」).
/// The apps need not call it — taking the action checks the same — but a shell's test can.
#[uniffi::export]
pub fn check_action(form: lvzhi_client::ActionForm, values: Vec<lvzhi_client::FormValue>) -> app::FfiResult<()> {
    lvzhi_domain::actions::parse(&form, &values)
        .map(|_| ())
        .map_err(|e| lvzhi_client::Error::invalid(e.to_string()).into())
}

//! 履职 domain: the rules of the product as plain data and pure functions, with no I/O.
//!
//! The phone (offline, at once) and the server (to decide) run this same code, so a change the
//! server would refuse is already refused on the phone, with the same Chinese reason.
//!
//! - [`ids`], [`time`]: identifiers made on the device; the committee calendar and [`time::Clock`].
//! - [`org`]: organisations, terms and sessions, sectors, committees, handling units, people, roles.
//! - [`proposal`]: the proposal (提案) aggregate, its pure lifecycle and its hash-chained history.
//! - [`chat`]: study-group chat messages and the rules on them.
//! - [`duty`]: notices, meetings, the duty record, feedback; [`consult`]: 社情民意, 网络议政,
//!   远程协商 speeches, 协商在基层.
//! - [`member_file`]: 委员档案 — a member's file, corrections asked and decided, the directory's
//!   entry (no phone).
//! - [`liaison`]: 联络联系 — a member's register of people and log of contacts, 委员工作室 with
//!   their public page's messages, and the drafts made from what was raised.
//! - [`files`]: attachments (附件), the rules on files and the upload wire format.
//! - [`study`]: 委员学习 materials, members' own study and notes, 线上读书 plans and notes;
//!   [`news`]: 信息发布.
//! - [`visibility`]: who may read what, and so which sync scopes an entity belongs to (written once).
//! - [`protocol`]: the types that travel between phones and the server.
//! - [`push`]: push channels (APNs and each phone maker's), what a person is told and when.
//! - [`form`]: how an action asks for its inputs, as data every shell renders; [`actions`]: every
//!   action of every feature described once (label, inputs) and read back into its command.
//! - [`sample`]: realistic names and texts for tests, benchmarks and the demo.
//! - [`text_diff`]: what an edit changed in a text, for showing changes marked.

pub mod actions;
pub mod aggregate;
pub mod chat;
pub mod consult;
pub mod duty;
pub mod files;
pub mod form;
pub mod ids;
pub mod liaison;
pub mod member_file;
pub mod news;
pub mod org;
pub mod proposal;
pub mod protocol;
pub mod push;
pub mod sample;
pub mod study;
pub mod text_diff;
pub mod time;
pub mod visibility;

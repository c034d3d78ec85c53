//! The tables only a phone's database has (`migrations/device`), each with the statements on
//! it: the outbox and the sync engine's small facts, the files and their bytes. The sync engine (`lvzhi-sync`) uses them
//! and runs no SQL on them of its own.

pub mod files;
pub mod outbox;

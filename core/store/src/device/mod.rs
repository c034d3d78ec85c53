//! The tables only a phone's database has (`migrations/device`), each with the statements on
//! it: the outbox and the sync engine's small facts, the files and their bytes, and the
//! server's copy (entities, the scopes holding them, cursors). The sync engine (`lvzhi-sync`) uses them
//! and runs no SQL on them of its own.

pub mod files;
pub mod mirror;
pub mod outbox;

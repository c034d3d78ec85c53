//! Which side of sync a write is on: the phone (shows the effect at once, keeps search
//! indexes) or the server (decides, puts messages in order, keeps no search index).

use crate::migrations::DbKind;
use crate::store::Store;

/// Who is applying: the phone shows the effect at once (and keeps its search indexes), the
/// server decides and puts messages in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Device,
    Server,
}

impl Side {
    /// The side a store's database is on.
    pub fn of(store: &Store) -> Side {
        match store.kind() {
            DbKind::Device => Side::Device,
            DbKind::Server => Side::Server,
        }
    }
}

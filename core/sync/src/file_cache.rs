//! The file cache's types the sync engine adds to the store's (`lvzhi_store::device::files`,
//! where the files table and its statements are): how a file is attached and the progress of a
//! transfer. Transfers (`files.rs`) and the engine build on this; it builds on neither.

pub use lvzhi_media::ShrinkSettings;
pub use lvzhi_store::device::files::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Direction {
    Upload,
    Download,
}

/// Bytes done of one transfer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TransferProgress {
    pub hash: String,
    pub direction: Direction,
    pub done: u64,
    pub total: u64,
}

/// How a file is attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AttachOptions {
    pub shrink: ShrinkSettings,
    /// Send a photo as taken (the member asked for the original).
    pub keep_original: bool,
}

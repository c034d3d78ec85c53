//! 附件 across the FFI: the attachment record entities carry, attaching a picked file,
//! downloads on demand, the transfers with their progress, and the cache with 清理缓存.

use std::sync::Arc;

use lvzhi_client::files::ShrinkSettings;
use lvzhi_client::files::{AttachmentView, FileState};
use lvzhi_client::rows::{CacheUsage, Direction, FileInfo, TransferProgress};
use lvzhi_domain::files::Attachment;

use crate::app::{FfiResult, LvzhiApp, on_runtime};
use crate::listeners::Subscription;

#[uniffi::remote(Record)]
pub struct Attachment {
    pub hash: String,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    #[uniffi(default = None)]
    pub thumbnail: Option<String>,
    #[uniffi(default = None)]
    pub width: Option<u32>,
    #[uniffi(default = None)]
    pub height: Option<u32>,
}

#[uniffi::remote(Enum)]
pub enum FileState {
    Here,
    NotHere,
    Partial { done: u64 },
    Uploading { done: u64 },
    UploadFailed { reason: String },
}

#[uniffi::remote(Record)]
pub struct AttachmentView {
    pub attachment: Attachment,
    pub state: FileState,
    pub pinned: bool,
    pub caption: String,
}

#[uniffi::remote(Record)]
pub struct FileInfo {
    pub hash: String,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    pub have: u64,
    pub uploading: bool,
    pub uploaded: u64,
    pub upload_error: Option<String>,
    pub pinned: bool,
    pub last_used_ms: i64,
}

#[uniffi::remote(Record)]
pub struct CacheUsage {
    pub used_bytes: u64,
    pub budget_bytes: u64,
    pub kept_bytes: u64,
    pub files: u32,
}

#[uniffi::remote(Enum)]
pub enum Direction {
    Upload,
    Download,
}

#[uniffi::remote(Record)]
pub struct TransferProgress {
    pub hash: String,
    pub direction: Direction,
    pub done: u64,
    pub total: u64,
}

/// How photos are shrunk before upload.
#[uniffi::remote(Record)]
pub struct ShrinkSettings {
    pub long_edge: u32,
    pub quality: u8,
}

#[uniffi::export(with_foreign)]
pub trait ProgressListener: Send + Sync {
    fn on_progress(&self, progress: TransferProgress);
}

#[uniffi::export]
impl LvzhiApp {
    /// Takes a file the member picked (a photo is shrunk unless `keep_original`): stored here
    /// and uploading in the background; put the attachment into a message, report or notice.
    pub fn attach_file(
        &self,
        name: String,
        content_type: String,
        data: Vec<u8>,
        keep_original: bool,
    ) -> FfiResult<Attachment> {
        Ok(self.client().attach_file(&name, &content_type, &data, keep_original)?)
    }

    /// A chat message with files (sent once they are uploaded; shown at once).
    pub fn send_message_with_files(
        &self,
        group_id: String,
        text: String,
        attachments: Vec<Attachment>,
    ) -> FfiResult<String> {
        Ok(self.client().send_message_with_files(&group_id, &text, None, Vec::new(), attachments)?)
    }

    pub fn attachment_views(&self, attachments: Vec<Attachment>) -> FfiResult<Vec<AttachmentView>> {
        Ok(self.client().attachment_views(&attachments)?)
    }

    /// Downloads a file, resuming what an earlier attempt left (network).
    pub async fn download_file(&self, attachment: Attachment) -> FfiResult<()> {
        let client = self.client().clone();
        on_runtime(async move { client.download_file(&attachment).await }).await
    }

    /// The bytes of a file held whole here (a photo to show), or nothing.
    pub fn file_bytes(&self, hash: String) -> FfiResult<Option<Vec<u8>>> {
        Ok(self.client().file_bytes(&hash)?)
    }

    /// Writes a whole file to `path` for the platform's viewer.
    pub fn export_file(&self, hash: String, path: String) -> FfiResult<()> {
        Ok(self.client().sync().export_file(&hash, std::path::Path::new(&path))?)
    }

    pub fn pin_file(&self, attachment: Attachment, pinned: bool) -> FfiResult<()> {
        Ok(self.client().pin_file(&attachment, pinned)?)
    }

    pub fn photo_settings(&self) -> FfiResult<ShrinkSettings> {
        Ok(self.client().sync().photo_settings()?)
    }

    /// A long edge of 640–4,096 px and a quality of 30–95.
    pub fn set_photo_settings(&self, settings: ShrinkSettings) -> FfiResult<()> {
        Ok(self.client().sync().set_photo_settings(settings)?)
    }

    pub fn transfers(&self) -> FfiResult<Vec<FileInfo>> {
        Ok(self.client().transfers()?)
    }

    pub fn cache_usage(&self) -> FfiResult<CacheUsage> {
        Ok(self.client().cache_usage()?)
    }

    pub fn set_cache_budget(&self, bytes: u64) -> FfiResult<CacheUsage> {
        Ok(self.client().set_cache_budget(bytes)?)
    }

    /// 清理缓存: the bytes freed.
    pub fn clear_cache(&self) -> FfiResult<u64> {
        Ok(self.client().clear_cache()?)
    }

    pub fn observe_progress(&self, listener: Arc<dyn ProgressListener>) -> Arc<Subscription> {
        self.subscribe(|c| c.watch_progress(move |p| listener.on_progress(p)))
    }
}

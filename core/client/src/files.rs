//! 附件 as the screens show them: each attachment with where it stands on this phone (whole
//! here, downloading, waiting to upload), the transfers under way, and the cache with its
//! 清理缓存 action.

use lvzhi_domain::files::{Attachment, human_size};
use lvzhi_sync::Result;
pub use lvzhi_sync::files::ShrinkSettings;
use lvzhi_sync::files::{AttachOptions, CacheUsage, FileInfo, TransferProgress};
use tokio::sync::broadcast::error::RecvError;

use crate::Client;
use crate::task::TaskHandle;

/// Where a file stands on this phone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum FileState {
    /// Whole here: opens offline.
    Here,
    /// Known, not downloaded (a tap downloads it).
    NotHere,
    /// Part of it is here (a download that stopped or is under way).
    Partial { done: u64 },
    /// Waiting to upload or uploading; `done` bytes confirmed by the server.
    Uploading { done: u64 },
    /// The server refused the upload.
    UploadFailed { reason: String },
}

/// One attachment for a list or a message bubble.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AttachmentView {
    pub attachment: Attachment,
    pub state: FileState,
    pub pinned: bool,
    /// `图片 · 1.2 MB`
    pub caption: String,
}

fn kind_label(content_type: &str) -> &'static str {
    lvzhi_domain::files::CONTENT_TYPES.iter().find(|(t, _)| *t == content_type).map_or("文件", |(_, l)| *l)
}

fn state_of(info: Option<&FileInfo>) -> FileState {
    match info {
        None => FileState::NotHere,
        Some(f) if f.upload_error.is_some() => {
            FileState::UploadFailed { reason: f.upload_error.clone().unwrap_or_default() }
        }
        Some(f) if f.uploading => FileState::Uploading { done: f.uploaded },
        Some(f) if f.is_complete() => FileState::Here,
        Some(f) if f.have > 0 => FileState::Partial { done: f.have },
        Some(_) => FileState::NotHere,
    }
}

/// `已用 12.5 MB / 200 MB`
pub fn usage_label(u: &CacheUsage) -> String {
    format!("已用 {} / {}", human_size(u.used_bytes), human_size(u.budget_bytes))
}

impl Client {
    /// Takes a file the member picked (a photo is shrunk unless `keep_original`); it uploads in
    /// the background and the returned attachment goes into a message, report or notice.
    pub fn attach_file(&self, name: &str, content_type: &str, data: &[u8], keep_original: bool) -> Result<Attachment> {
        let shrink = self.sync().photo_settings()?;
        self.sync().attach(name, content_type, data, AttachOptions { keep_original, shrink })
    }

    pub fn attachment_view(&self, attachment: &Attachment) -> Result<AttachmentView> {
        let info = self.sync().file(&attachment.hash)?;
        Ok(AttachmentView {
            attachment: attachment.clone(),
            state: state_of(info.as_ref()),
            pinned: info.as_ref().is_some_and(|f| f.pinned),
            caption: format!("{} · {}", kind_label(&attachment.content_type), human_size(attachment.size)),
        })
    }

    pub fn attachment_views(&self, list: &[Attachment]) -> Result<Vec<AttachmentView>> {
        list.iter().map(|a| self.attachment_view(a)).collect()
    }

    /// Downloads a file (resuming what an earlier attempt left), to open offline.
    pub async fn download_file(&self, attachment: &Attachment) -> Result<()> {
        self.sync().download(attachment).await
    }

    /// The bytes of a file held whole here.
    pub fn file_bytes(&self, hash: &str) -> Result<Option<Vec<u8>>> {
        self.sync().file_bytes(hash)
    }

    pub fn pin_file(&self, attachment: &Attachment, pinned: bool) -> Result<()> {
        self.sync().pin_file(attachment, pinned)
    }

    /// Uploads and downloads not finished, for the transfers list.
    pub fn transfers(&self) -> Result<Vec<FileInfo>> {
        self.sync().transfers()
    }

    pub fn cache_usage(&self) -> Result<CacheUsage> {
        self.sync().cache_usage()
    }

    pub fn set_cache_budget(&self, bytes: u64) -> Result<CacheUsage> {
        self.sync().set_cache_budget(bytes)
    }

    /// 清理缓存: returns the bytes freed.
    pub fn clear_cache(&self) -> Result<u64> {
        self.sync().clear_cache()
    }

    /// Calls `on_progress` as uploads and downloads move (bytes done of total).
    pub fn watch_progress(&self, on_progress: impl Fn(TransferProgress) + Send + 'static) -> TaskHandle {
        let mut rx = self.sync().watch_progress();
        TaskHandle::spawn(async move {
            loop {
                match rx.recv().await {
                    Ok(p) => on_progress(p),
                    // A slow listener missed some: the next one says where things are.
                    Err(RecvError::Lagged(_)) => continue,
                    Err(RecvError::Closed) => return,
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_follow_the_file_row() {
        let f = FileInfo {
            hash: "a".repeat(64),
            name: "宾川县柑橘冷库照片.jpg".into(),
            content_type: "image/jpeg".into(),
            size: 100,
            have: 100,
            uploading: true,
            uploaded: 40,
            upload_error: None,
            pinned: false,
            last_used_ms: 0,
        };
        assert_eq!(state_of(Some(&f)), FileState::Uploading { done: 40 });
        let here = FileInfo { uploading: false, ..f.clone() };
        assert_eq!(state_of(Some(&here)), FileState::Here);
        let partial = FileInfo { uploading: false, have: 30, ..f.clone() };
        assert_eq!(state_of(Some(&partial)), FileState::Partial { done: 30 });
        assert_eq!(state_of(None), FileState::NotHere);
        assert_eq!(kind_label("application/pdf"), "PDF文档");
    }
}

//! Files moving between this phone and the server: attaching (photos shrunk first, their
//! thumbnail made once here), the upload queue and downloads on demand, over the cache of
//! `file_cache.rs`.
//!
//! An upload goes in frames from the last byte the server confirmed; after a failure the phone
//! first asks the server how far it got (one small request) and goes on from there, so a
//! dropped 2G connection costs at most the frame in flight. A download asks for the bytes after
//! those it holds (`Range`) and commits each chunk as it arrives. An action carrying a file is
//! held back until the upload is done ([`crate::outbox::hold`]); the rest of the outbox goes on.

use std::sync::Arc;

use futures_util::StreamExt;
use lvzhi_domain::files::{self, Attachment, CHUNK_BYTES, FileError, UploadStatus, encode_frame};
use lvzhi_domain::time::to_millis;
use lvzhi_store::Store;
use tokio::sync::broadcast;

use crate::engine::{Changed, SyncClient, link_message};
use crate::error::{Error, Result};
use crate::file_cache::{self as cache, budget, ensure_row, hash_of_chunks, read_chunk, write_chunks};
pub use crate::file_cache::{
    AttachOptions, CacheUsage, DEFAULT_CACHE_BUDGET, Direction, FileInfo, ShrinkSettings, TransferProgress, bytes,
    evict, evict_except, file,
};
use crate::outbox::{self, meta_get, meta_set};

impl SyncClient {
    /// Takes a file the member picked: a photo is shrunk (unless `keep_original`) and given its
    /// thumbnail; the bytes are stored here and queued for upload at once. The attachment it
    /// returns goes into a message, report, notice or meeting document.
    pub fn attach(&self, name: &str, content_type: &str, data: &[u8], options: AttachOptions) -> Result<Attachment> {
        let (_, grants) = self.identity()?;
        let max = self.store.read(|c| {
            let mut max = 0;
            for g in &grants {
                max = max.max(lvzhi_store::org::org_settings(c, &g.org_id)?.file_max_bytes);
            }
            Ok::<_, Error>(max)
        })?;
        let content_type = content_type.trim();
        files::check_file(content_type, data.len() as u64, max).map_err(lvzhi_store::Error::from)?;
        let (bytes, content_type, thumbnail, width, height) = if files::is_image(content_type) {
            let p = lvzhi_media::prepare(content_type, data, options.shrink, options.keep_original)
                .map_err(lvzhi_store::Error::from)?;
            (p.bytes, p.content_type.to_string(), Some(p.thumbnail), Some(p.width), Some(p.height))
        } else {
            files::check_signature(content_type, &data[..data.len().min(16)]).map_err(lvzhi_store::Error::from)?;
            (data.to_vec(), content_type.to_string(), None, None, None)
        };
        let attachment = Attachment {
            hash: files::hash_of(&bytes),
            name: name.trim().to_string(),
            content_type,
            size: bytes.len() as u64,
            thumbnail,
            width,
            height,
        };
        files::check_attachments(std::slice::from_ref(&attachment), max).map_err(lvzhi_store::Error::from)?;
        let now = to_millis(self.now());
        self.store.write(|tx| {
            let known = file(tx, &attachment.hash)?;
            if known.as_ref().is_none_or(|f| !f.is_complete()) {
                write_chunks(tx, &attachment.hash, &bytes)?;
            }
            // A file received from the server is "uploaded" once the server says so (it may be
            // forwarded without sending its bytes again).
            cache::attached(tx, &attachment, now)?;
            Ok::<_, Error>(())
        })?;
        self.uploads_wake.notify_one();
        Ok(attachment)
    }

    /// How this phone shrinks photos (the member's setting, or the default: long edge 1,600 px,
    /// quality 80).
    pub fn photo_settings(&self) -> Result<ShrinkSettings> {
        let saved = self.store.read(|c| meta_get::<(u32, u8)>(c, "photo_settings"))?;
        Ok(saved.map_or_else(ShrinkSettings::default, |(long_edge, quality)| ShrinkSettings { long_edge, quality }))
    }

    /// Sets how photos are shrunk from now on: a long edge of 640–4,096 px, quality 30–95.
    pub fn set_photo_settings(&self, settings: ShrinkSettings) -> Result<()> {
        if !(640..=4096).contains(&settings.long_edge) || !(30..=95).contains(&settings.quality) {
            return Err(Error::invalid("照片长边须在640至4096像素之间，质量在30至95之间"));
        }
        Ok(self.store.write(|tx| meta_set(tx, "photo_settings", &(settings.long_edge, settings.quality)))?)
    }

    pub fn file(&self, hash: &str) -> Result<Option<FileInfo>> {
        Ok(self.store.read(|c| file(c, hash))?)
    }

    /// Uploads waiting or under way, and downloads begun but not finished.
    pub fn transfers(&self) -> Result<Vec<FileInfo>> {
        Ok(self.store.read(cache::transfers)?)
    }

    /// TransferProgress of uploads and downloads, for progress bars.
    pub fn watch_progress(&self) -> broadcast::Receiver<TransferProgress> {
        self.progress.subscribe()
    }

    fn report(&self, hash: &str, direction: Direction, done: u64, total: u64) {
        // Nobody listening is fine.
        let _ = self.progress.send(TransferProgress { hash: hash.to_string(), direction, done, total });
    }

    /// The file's bytes, if whole here (opened offline); marks it used.
    pub fn file_bytes(&self, hash: &str) -> Result<Option<Vec<u8>>> {
        let bytes = self.store.read(|c| bytes(c, hash))?;
        if bytes.is_some() {
            let now = to_millis(self.now());
            self.store.write(|tx| cache::mark_used(tx, hash, now))?;
        }
        Ok(bytes)
    }

    /// Writes a whole file to `path` (for the platform's viewer).
    pub fn export_file(&self, hash: &str, path: &std::path::Path) -> Result<()> {
        let bytes = self.file_bytes(hash)?.ok_or(Error::Local(FileError::NotFound.into()))?;
        std::fs::write(path, bytes).map_err(|e| Error::Local(lvzhi_store::Error::Invalid(format!("无法保存文件：{e}"))))
    }

    /// Pinned files stay however full the cache is (tomorrow's meeting documents).
    pub fn pin_file(&self, attachment: &Attachment, pinned: bool) -> Result<()> {
        let now = to_millis(self.now());
        self.store.write(|tx| {
            cache::ensure_row(tx, attachment, now)?;
            cache::set_pinned(tx, &attachment.hash, pinned)?;
            Ok::<_, Error>(())
        })
    }

    pub fn cache_usage(&self) -> Result<CacheUsage> {
        Ok(self.store.read(cache::usage)?)
    }

    /// Sets the cache's budget and evicts down to it.
    pub fn set_cache_budget(&self, bytes: u64) -> Result<CacheUsage> {
        self.store.write(|tx| {
            meta_set(tx, "file_cache_budget", &bytes)?;
            evict(tx, bytes)
        })?;
        self.cache_usage()
    }

    /// 清理缓存: drops every file that can be fetched again (not pinned, not waiting to upload)
    /// and gives the space back to the phone; returns the bytes freed.
    pub fn clear_cache(&self) -> Result<u64> {
        let freed = self.store.write(|tx| evict(tx, 0))?;
        if freed > 0 {
            self.store.vacuum()?;
        }
        Ok(freed)
    }

    // --- Uploads -----------------------------------------------------------------------------

    /// Uploads every file waiting, one after another; actions held for them join the outbox as
    /// each finishes. A file the server refuses keeps its reason and is not tried again.
    /// Returns how many finished.
    pub async fn upload_pending(&self) -> Result<u32> {
        let mut done = 0;
        loop {
            let next: Option<FileInfo> = self.store.read(cache::next_upload)?;
            let Some(info) = next else { return Ok(done) };
            match self.upload(&info).await {
                Ok(()) => done += 1,
                Err(Error::Refused(reason)) => {
                    self.store.write(|tx| cache::refuse_upload(tx, &info.hash, &reason))?;
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn upload(&self, info: &FileInfo) -> Result<()> {
        let retry = !self.tried_uploads.lock().unwrap_or_else(|p| p.into_inner()).insert(info.hash.clone());
        let mut offset = info.uploaded;
        if retry || offset > 0 {
            // How far did the last attempt get? Ask before sending a byte.
            let path = status_path(info);
            let status: Option<UploadStatus> = self
                .authed(|t, token| {
                    let path = path.clone();
                    async move { t.get_optional(&path, &token).await }
                })
                .await?;
            match status {
                Some(s) if s.complete => return self.uploaded(info),
                Some(s) => offset = s.offset,
                None => offset = 0,
            }
        }
        // Each round either finishes or learns a new offset from the server (409: it kept frames
        // this phone did not hear about, or an earlier request is still draining there).
        for _ in 0..8 {
            self.confirm_upload(info, offset)?;
            let (answer, _conflict) = self.put_frames(info, offset).await?;
            if answer.complete {
                return self.uploaded(info);
            }
            offset = answer.offset;
        }
        Err(Error::Network("上传未完成，稍后继续".into()))
    }

    fn confirm_upload(&self, info: &FileInfo, offset: u64) -> Result<()> {
        self.store.write(|tx| cache::confirm_uploaded(tx, &info.hash, offset))?;
        self.report(&info.hash, Direction::Upload, offset, info.size);
        Ok(())
    }

    /// One PUT of the frames from `offset` to the end.
    async fn put_frames(&self, info: &FileInfo, offset: u64) -> Result<(UploadStatus, bool)> {
        let mut attempt = 0;
        loop {
            let token = self.access_token()?.ok_or(Error::Unauthorized)?;
            let body = frame_stream(self.store.clone(), info.clone(), offset, self.progress.clone());
            let length = framed_length(info.size, offset);
            match self.transport.put_upload(&blob_path(&info.hash), &token, info, offset, length, body).await {
                Err(Error::Unauthorized) if attempt == 0 => {
                    attempt += 1;
                    self.refresh().await?;
                }
                other => return other,
            }
        }
    }

    /// The server has the whole file: release what waited for it and send it.
    fn uploaded(&self, info: &FileInfo) -> Result<()> {
        let released = self.store.write(|tx| {
            cache::upload_done(tx, &info.hash)?;
            let released = outbox::release_held(tx)?;
            for m in &released {
                link_message(tx, m)?;
            }
            Ok::<_, Error>(released)
        })?;
        self.report(&info.hash, Direction::Upload, info.size, info.size);
        let groups = released.iter().filter_map(|m| m.kind.group().map(str::to_string)).collect();
        self.after_local_change(Changed { groups, ..Default::default() })
    }

    /// Calls the server with the access token, refreshing it once when it has expired.
    async fn authed<T, F, Fut>(&self, call: F) -> Result<T>
    where
        F: Fn(crate::transport::Transport, String) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        for attempt in 0..2 {
            let token = self.access_token()?.ok_or(Error::Unauthorized)?;
            match call(self.transport.clone(), token).await {
                Err(Error::Unauthorized) if attempt == 0 => self.refresh().await?,
                other => return other,
            }
        }
        Err(Error::Unauthorized)
    }

    // --- Downloads ---------------------------------------------------------------------------

    /// Fetches a file (on demand: the member opened it, or pinned it), from where an earlier
    /// attempt stopped; each chunk is kept as it arrives. Whole, it is checked against its hash
    /// and the cache is brought back within its budget.
    pub async fn download(&self, attachment: &Attachment) -> Result<()> {
        files::check_hash(&attachment.hash).map_err(lvzhi_store::Error::from)?;
        let now = to_millis(self.now());
        let info = self.store.write(|tx| {
            ensure_row(tx, attachment, now)?;
            file(tx, &attachment.hash)?.ok_or(Error::not_found("附件"))
        })?;
        if info.is_complete() {
            return Ok(());
        }
        let mut have = info.have;
        let mut response = self
            .authed(|t, token| async move { t.get_range(&blob_path(&attachment.hash), &token, have).await })
            .await?;
        if response.status() != reqwest::StatusCode::PARTIAL_CONTENT && have > 0 {
            // The server sent the whole file: start over.
            have = 0;
            self.store.write(|tx| cache::restart_download(tx, &info.hash))?;
        }
        let mut buf: Vec<u8> = Vec::with_capacity(CHUNK_BYTES);
        loop {
            let piece = response.chunk().await.map_err(|e| Error::Network(e.to_string()))?;
            let end = piece.is_none();
            if let Some(p) = piece {
                buf.extend_from_slice(&p);
            }
            while buf.len() >= CHUNK_BYTES || (end && !buf.is_empty()) {
                let take = buf.len().min(CHUNK_BYTES);
                let chunk: Vec<u8> = buf.drain(..take).collect();
                if have + chunk.len() as u64 > info.size {
                    return Err(Error::Server("file longer than announced".into()));
                }
                self.store.write(|tx| cache::downloaded_chunk(tx, &info.hash, have, &chunk))?;
                have += chunk.len() as u64;
                self.report(&info.hash, Direction::Download, have, info.size);
            }
            if end {
                break;
            }
        }
        if have < info.size {
            return Err(Error::Network("下载中断".into()));
        }
        let whole = self.store.read(|c| hash_of_chunks(c, &info.hash))?;
        self.store.write(|tx| {
            if whole != info.hash {
                cache::restart_download(tx, &info.hash)?;
                return Ok(Err(Error::Local(FileError::HashMismatch.into())));
            }
            // The new file is the one being opened: it stays, whatever else has to go.
            let b = budget(tx)?;
            evict_except(tx, b, Some(&info.hash))?;
            Ok::<_, Error>(Ok(()))
        })?
    }
}

fn blob_path(hash: &str) -> String {
    format!("/v1/blobs/{hash}")
}

fn status_path(info: &FileInfo) -> String {
    format!("/v1/blobs/{}/upload", info.hash)
}

/// Bytes on the wire for the frames from `offset` (a multiple of the frame size) to `size`.
pub fn framed_length(size: u64, offset: u64) -> u64 {
    let rest = size.saturating_sub(offset);
    rest + rest.div_ceil(CHUNK_BYTES as u64) * files::FRAME_HEADER_BYTES as u64
}

/// The upload body: one frame per stored chunk, read as the connection takes them, each
/// reported as sent.
fn frame_stream(
    store: Arc<Store>,
    info: FileInfo,
    offset: u64,
    progress: broadcast::Sender<TransferProgress>,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    // Offsets fall on frame boundaries, or at the end (a server that took every frame but had
    // not finished): then nothing is left to send.
    let first = offset.div_ceil(CHUNK_BYTES as u64);
    let last = info.size.div_ceil(CHUNK_BYTES as u64);
    futures_util::stream::iter(first..last).map(move |idx| {
        let data = store.read(|c| read_chunk(c, &info.hash, idx)).map_err(std::io::Error::other)?;
        let mut frame = Vec::with_capacity(data.len() + files::FRAME_HEADER_BYTES);
        encode_frame(&data, &mut frame);
        let done = idx * CHUNK_BYTES as u64 + data.len() as u64;
        let _ = progress.send(TransferProgress {
            hash: info.hash.clone(),
            direction: Direction::Upload,
            done,
            total: info.size,
        });
        Ok(frame)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_framed_length_counts_a_header_per_frame() {
        let c = CHUNK_BYTES as u64;
        assert_eq!(framed_length(10, 0), 10 + 36);
        assert_eq!(framed_length(2 * c + 1, 0), 2 * c + 1 + 3 * 36);
        assert_eq!(framed_length(2 * c + 1, c), c + 1 + 2 * 36);
        assert_eq!(framed_length(c, c), 0);
    }
}

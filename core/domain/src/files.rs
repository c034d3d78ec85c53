//! 附件: what an entity carries about a file, the rules every file meets (the same on the phone
//! and the server), and the upload wire format.
//!
//! Files are content-addressed: an attachment names its file by the SHA-256 of its bytes, so a
//! file uploaded once serves every message and report that carries it, and a retried upload is
//! the same upload. Uploads travel as *frames* — a 4-byte big-endian length, the frame's own
//! SHA-256 and its bytes — so that the server keeps every frame that arrived whole when a
//! connection drops and refuses a frame damaged on the way before storing it.

use serde::{Deserialize, Serialize};

use crate::ids::sha256_hex;

/// Bytes per frame (and per stored chunk): on a 240 kbps link about two seconds, the most a
/// dropped connection loses.
pub const CHUNK_BYTES: usize = 64 * 1024;
/// Bytes a frame adds before its data: length and SHA-256.
pub const FRAME_HEADER_BYTES: usize = 4 + 32;
/// Files on one message, report, notice or meeting document.
pub const MAX_ATTACHMENTS: usize = 9;
/// A thumbnail travels inside its message: kept small (base64 characters).
pub const MAX_THUMBNAIL_CHARS: usize = 24 * 1024;
const MAX_NAME_CHARS: usize = 120;

/// The file types members attach: photos, and the documents committee work uses.
pub const CONTENT_TYPES: &[(&str, &str)] = &[
    ("image/jpeg", "图片"),
    ("image/png", "图片"),
    ("application/pdf", "PDF文档"),
    ("application/msword", "Word文档"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word文档"),
    ("application/vnd.ms-excel", "Excel表格"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel表格"),
    ("text/plain", "文本"),
];

/// The content type of a file by its name's extension (what a picker or a browser's upload
/// reports is not trusted: the server checks the bytes' signature against this).
pub fn content_type_of(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or_default().to_ascii_lowercase();
    match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "pdf" => "application/pdf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "txt" => "text/plain",
        _ => "application/octet-stream",
    }
}

/// A file as an entity refers to it. The thumbnail (a small JPEG, base64) travels with it, so
/// a list shows a photo before anyone downloads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// Lower-case hex SHA-256 of the bytes.
    pub hash: String,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
}

/// Every attachment an entity carries, found in its JSON wherever it sits (a notice's
/// attachments, a news item's cover, a meeting's documents): what a phone takes off its cache
/// when a new version no longer carries them.
pub fn attachments_in(value: &serde_json::Value) -> Vec<Attachment> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(map) => {
                let shaped = ["hash", "name", "content_type", "size"].iter().all(|k| map.contains_key(*k));
                match shaped.then(|| Attachment::deserialize(v).ok()).flatten() {
                    Some(a) => out.push(a),
                    None => stack.extend(map.values()),
                }
            }
            serde_json::Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}

impl Attachment {
    pub fn is_image(&self) -> bool {
        is_image(&self.content_type)
    }
}

pub fn is_image(content_type: &str) -> bool {
    content_type.starts_with("image/")
}

/// Why a file was refused, for the member.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum FileError {
    #[error("文件超过大小上限（{}）", human_size(*max_bytes))]
    TooLarge { max_bytes: u64 },
    #[error("文件为空")]
    Empty,
    #[error("不支持的文件类型：{0}")]
    UnknownType(String),
    #[error("文件内容与类型不符")]
    TypeMismatch,
    #[error("图片无法打开，可能已损坏")]
    BadImage,
    #[error("文件名不能为空，且不超过{MAX_NAME_CHARS}字")]
    BadName,
    #[error("附件编号格式错误")]
    BadHash,
    #[error("一次最多附加{max}个文件")]
    TooMany { max: u32 },
    #[error("缩略图过大")]
    ThumbnailTooLarge,
    #[error("分片校验失败，请重新上传")]
    ChunkHash,
    #[error("分片过大")]
    ChunkTooLarge,
    #[error("分片顺序错误：服务器已收到{have}字节")]
    OutOfOrder { have: u64 },
    #[error("文件校验失败：内容与编号不符")]
    HashMismatch,
    #[error("文件大小与声明不符")]
    SizeMismatch,
    #[error("附件尚未上传完成")]
    NotUploaded,
    #[error("无权查看该附件")]
    NotAllowed,
    #[error("附件不存在")]
    NotFound,
}

/// `20 MB`, `512 KB`: sizes as members read them.
pub fn human_size(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        let tenths = (bytes * 10 + MB / 2) / MB;
        if tenths.is_multiple_of(10) {
            format!("{} MB", tenths / 10)
        } else {
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

pub fn check_hash(hash: &str) -> Result<(), FileError> {
    if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        Ok(())
    } else {
        Err(FileError::BadHash)
    }
}

pub fn check_content_type(content_type: &str) -> Result<(), FileError> {
    if CONTENT_TYPES.iter().any(|(t, _)| *t == content_type) {
        Ok(())
    } else {
        Err(FileError::UnknownType(content_type.chars().take(60).collect()))
    }
}

/// A file's size and type before its bytes are taken (upload start, and every entity that
/// refers to it): within the organisation's limit, of a known type.
pub fn check_file(content_type: &str, size: u64, max_bytes: u64) -> Result<(), FileError> {
    check_content_type(content_type)?;
    if size == 0 {
        return Err(FileError::Empty);
    }
    if size > max_bytes {
        return Err(FileError::TooLarge { max_bytes });
    }
    Ok(())
}

/// The attachments of one entity, as written by a phone.
pub fn check_attachments(list: &[Attachment], max_bytes: u64) -> Result<(), FileError> {
    if list.len() > MAX_ATTACHMENTS {
        return Err(FileError::TooMany { max: MAX_ATTACHMENTS as u32 });
    }
    for a in list {
        check_hash(&a.hash)?;
        check_file(&a.content_type, a.size, max_bytes)?;
        let name = a.name.trim();
        if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.contains(['/', '\\', '\0']) {
            return Err(FileError::BadName);
        }
        if let Some(t) = &a.thumbnail {
            check_thumbnail(t)?;
        }
        if a.width.is_some_and(|w| w == 0 || w > MAX_IMAGE_EDGE)
            || a.height.is_some_and(|h| h == 0 || h > MAX_IMAGE_EDGE)
        {
            return Err(FileError::BadImage);
        }
    }
    Ok(())
}

/// The longest side of a picture the apps are told about, in pixels.
pub const MAX_IMAGE_EDGE: u32 = 30_000;
/// The longest side of a thumbnail (they are made at 160).
const MAX_THUMBNAIL_EDGE: u16 = 320;

/// A thumbnail travels to every phone that shows the message, which decodes it: a small JPEG
/// whose header says it is small (a tiny file claiming 60,000 × 60,000 pixels would exhaust a
/// phone's memory).
pub fn check_thumbnail(b64: &str) -> Result<(), FileError> {
    use base64::Engine;
    if b64.len() > MAX_THUMBNAIL_CHARS {
        return Err(FileError::ThumbnailTooLarge);
    }
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).map_err(|_| FileError::BadImage)?;
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err(FileError::BadImage);
    }
    // Walk the markers to the frame header (SOF0–SOF15 but DHT, JPG and DAC).
    let mut i = 2;
    while i + 9 < bytes.len() {
        if bytes[i] != 0xFF {
            return Err(FileError::BadImage);
        }
        let marker = bytes[i + 1];
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            let height = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]);
            let width = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]);
            let ok = (1..=MAX_THUMBNAIL_EDGE).contains(&height) && (1..=MAX_THUMBNAIL_EDGE).contains(&width);
            return if ok { Ok(()) } else { Err(FileError::ThumbnailTooLarge) };
        }
        if len < 2 {
            return Err(FileError::BadImage);
        }
        i += 2 + len;
    }
    Err(FileError::BadImage)
}

/// Whether the first bytes of a file agree with its declared type, where the type has a
/// signature (images are also decoded, by `lvzhi-media`).
pub fn check_signature(content_type: &str, head: &[u8]) -> Result<(), FileError> {
    let ok = match content_type {
        "image/jpeg" => head.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => head.starts_with(b"\x89PNG\r\n\x1a\n"),
        "application/pdf" => head.starts_with(b"%PDF-"),
        // Office Open XML files are zip archives; the old formats are OLE compound files.
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => head.starts_with(b"PK\x03\x04"),
        "application/msword" | "application/vnd.ms-excel" => {
            head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
        }
        "text/plain" => std::str::from_utf8(head).is_ok() || head.len() >= 3,
        _ => false,
    };
    if ok { Ok(()) } else { Err(FileError::TypeMismatch) }
}

pub fn hash_of(bytes: &[u8]) -> String {
    sha256_hex(bytes)
}

/// One frame of an upload: length, SHA-256, bytes.
pub fn encode_frame(data: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(&ring::digest::digest(&ring::digest::SHA256, data).as_ref()[..32]);
    out.extend_from_slice(data);
}

/// Cuts an upload's body into frames as its bytes arrive, checking each frame's hash.
#[derive(Default)]
pub struct FrameReader {
    buf: Vec<u8>,
}

impl FrameReader {
    pub fn push(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next whole frame's data, `Ok(None)` until one has arrived whole; a frame whose
    /// bytes do not match its hash, or longer than [`CHUNK_BYTES`], is an error.
    pub fn next_frame(&mut self) -> Result<Option<Vec<u8>>, FileError> {
        if self.buf.len() < FRAME_HEADER_BYTES {
            return Ok(None);
        }
        let len = u32::from_be_bytes([self.buf[0], self.buf[1], self.buf[2], self.buf[3]]) as usize;
        if len == 0 || len > CHUNK_BYTES {
            return Err(FileError::ChunkTooLarge);
        }
        if self.buf.len() < FRAME_HEADER_BYTES + len {
            return Ok(None);
        }
        let data = self.buf[FRAME_HEADER_BYTES..FRAME_HEADER_BYTES + len].to_vec();
        if ring::digest::digest(&ring::digest::SHA256, &data).as_ref() != &self.buf[4..FRAME_HEADER_BYTES] {
            return Err(FileError::ChunkHash);
        }
        self.buf.drain(..FRAME_HEADER_BYTES + len);
        Ok(Some(data))
    }

    /// Bytes of a frame begun but not finished (lost if the connection ends now).
    pub fn partial(&self) -> usize {
        self.buf.len()
    }
}

/// The state of an upload as the server answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadStatus {
    /// Bytes the server holds; the next frame starts here.
    pub offset: u64,
    pub size: u64,
    /// The file is whole on the server (uploaded now, or earlier by anyone).
    pub complete: bool,
}

/// Headers of an upload request.
pub mod headers {
    /// Where this request's first frame starts in the file.
    pub const OFFSET: &str = "upload-offset";
    /// The whole file's size.
    pub const LENGTH: &str = "upload-length";
    /// The file's content type (the request's own is `application/octet-stream`).
    pub const TYPE: &str = "upload-type";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attachment(size: u64) -> Attachment {
        Attachment {
            hash: hash_of(b"x"),
            name: "宾川县柑橘基地照片.jpg".into(),
            content_type: "image/jpeg".into(),
            size,
            thumbnail: None,
            width: None,
            height: None,
        }
    }

    #[test]
    fn frames_round_trip_and_damaged_ones_are_refused() {
        let mut body = Vec::new();
        encode_frame(b"first", &mut body);
        encode_frame(&[7u8; CHUNK_BYTES], &mut body);
        let mut reader = FrameReader::default();
        reader.push(&body[..10]);
        assert_eq!(reader.next_frame(), Ok(None));
        reader.push(&body[10..]);
        assert_eq!(reader.next_frame().unwrap().unwrap(), b"first");
        assert_eq!(reader.next_frame().unwrap().unwrap().len(), CHUNK_BYTES);
        assert_eq!(reader.next_frame(), Ok(None));

        let mut damaged = Vec::new();
        encode_frame(b"second", &mut damaged);
        *damaged.last_mut().unwrap() ^= 1;
        let mut reader = FrameReader::default();
        reader.push(&damaged);
        assert_eq!(reader.next_frame(), Err(FileError::ChunkHash));

        let mut reader = FrameReader::default();
        reader.push(&((CHUNK_BYTES as u32 + 1).to_be_bytes()));
        reader.push(&[0; 40]);
        assert_eq!(reader.next_frame(), Err(FileError::ChunkTooLarge));
    }

    #[test]
    fn attachments_are_checked_against_the_limit_and_the_known_types() {
        let max = crate::org::DEFAULT_MAX_FILE_BYTES;
        assert_eq!(check_attachments(&[attachment(1024)], max), Ok(()));
        assert_eq!(check_attachments(&[attachment(max + 1)], max), Err(FileError::TooLarge { max_bytes: max }));
        assert_eq!(FileError::TooLarge { max_bytes: max }.to_string(), "文件超过大小上限（20 MB）");
        let mut exe = attachment(10);
        exe.content_type = "application/x-msdownload".into();
        assert!(matches!(check_attachments(&[exe], max), Err(FileError::UnknownType(_))));
        let mut bad = attachment(10);
        bad.hash = "ABC".into();
        assert_eq!(check_attachments(&[bad], max), Err(FileError::BadHash));
        assert_eq!(
            check_attachments(&vec![attachment(1); MAX_ATTACHMENTS + 1], max),
            Err(FileError::TooMany { max: 9 })
        );
        // A thumbnail whose header claims 60,000 pixels a side is refused before any phone decodes it.
        use base64::Engine;
        let mut forged = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0xEA, 0x60, 0xEA, 0x60, 0x03];
        forged.extend([0u8; 20]);
        let forged = base64::engine::general_purpose::STANDARD.encode(forged);
        assert_eq!(check_thumbnail(&forged), Err(FileError::ThumbnailTooLarge));
        assert_eq!(check_thumbnail("not base64!"), Err(FileError::BadImage));
        assert_eq!(check_signature("application/pdf", b"%PDF-1.7"), Ok(()));
        assert_eq!(check_signature("image/png", b"%PDF-1.7"), Err(FileError::TypeMismatch));
        assert_eq!(human_size(1536 * 1024), "1.5 MB");
        assert_eq!(human_size(300), "1 KB");
    }
}

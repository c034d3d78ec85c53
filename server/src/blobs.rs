//! Files: resumable uploads, downloads with ranges, and who may read what.
//!
//! Our own small protocol over the sync server rather than tus: the same bearer tokens and
//! audit as every other route, one request per attempt on a slow link, and a checksum on every
//! frame (tus keeps checksums in an optional extension, and no maintained tus server exists for
//! axum). It works like tus's core:
//!
//! - `PUT /v1/blobs/{sha256}` with `Upload-Offset`, `Upload-Length`, `Upload-Type` and a body of
//!   frames (`lvzhi_domain::files`) from that offset to the end. Each frame is checked and
//!   committed as it arrives, so a dropped connection keeps every whole frame; an offset other
//!   than what the server holds is answered 409 with the server's offset, and the phone goes on
//!   from there. When the last frame arrives the whole file is checked (its SHA-256, its type's
//!   signature, images decoded) and becomes a blob in one transaction, or is dropped whole.
//! - `GET /v1/blobs/{sha256}/upload`: how far an upload got (after a drop).
//! - `GET /v1/blobs/{sha256}` with an optional `Range: bytes=N-`: the file, for whoever may read
//!   an entity that carries it, or who uploaded its bytes.
//!
//! A blob already on the server is not uploaded again by someone who may already read it
//! (forwarding a file received); anyone else must send the bytes, so that knowing a file's hash
//! never grants access to it.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use http_body_util::BodyExt;
use lvzhi_domain::files::{self, Attachment, CHUNK_BYTES, FileError, FrameReader, UploadStatus};
use lvzhi_domain::protocol::{EntityKind, MutationKind};
use lvzhi_domain::time::to_millis;
use lvzhi_sql::{Connection, OptionalExtension, Transaction, params};
use lvzhi_store::{chat, org};

use crate::AppState;
use crate::auth::Authed;
use crate::error::ApiError;
use crate::scopes;

/// A frame that does not arrive within this time ends the request (the phone resumes later).
const FRAME_TIMEOUT: Duration = Duration::from_secs(60);

/// The file routes: outside the JSON routes' body limit, compression and request timeout (an
/// upload over 2G takes minutes; each frame has its own deadline instead).
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/v1/blobs/{hash}", put(upload).get(download))
        .route("/v1/blobs/{hash}/upload", get(upload_status))
}

type Result<T, E = ApiError> = std::result::Result<T, E>;

/// The request currently taking each upload's frames. A phone that retries after a drop often
/// reaches the server before the server has noticed the drop: its new request first tells the
/// old one to stop after the frames it already holds, and waits for it, so the offset it hears
/// is the real one and the two never race.
#[derive(Default)]
pub struct InFlight(std::sync::Mutex<std::collections::HashMap<(String, String), Arc<Slot>>>);

#[derive(Default)]
struct Slot {
    taking: Arc<tokio::sync::Mutex<()>>,
    stop: tokio::sync::Notify,
}

/// Held while a request takes an upload's frames; `stop` is rung when another takes over.
struct Taking {
    slot: Arc<Slot>,
    _guard: tokio::sync::OwnedMutexGuard<()>,
}

impl InFlight {
    /// Takes over the upload of `hash` by `person_id`: the request holding it (if any) is asked
    /// to stop and waited for.
    async fn take_over(&self, hash: &str, person_id: &str) -> Taking {
        let slot = {
            let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
            // Forget slots nobody holds (finished uploads).
            map.retain(|_, s| Arc::strong_count(s) > 1);
            map.entry((hash.to_string(), person_id.to_string())).or_default().clone()
        };
        loop {
            slot.stop.notify_waiters();
            // Asked again in case the holder began waiting for a frame after the first call.
            if let Ok(guard) = tokio::time::timeout(Duration::from_millis(50), slot.taking.clone().lock_owned()).await {
                return Taking { slot, _guard: guard };
            }
        }
    }
}

fn header_u64(headers: &HeaderMap, name: &str) -> Result<u64> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| ApiError::bad_request(format!("缺少或无效的 {name}")))
}

/// The largest file any of the person's organisations takes (each entity checks its own
/// organisation's limit again when it refers to the file).
fn max_bytes(c: &Connection, person_id: &str) -> lvzhi_store::Result<u64> {
    let mut max = 0;
    for g in org::roles_of(c, person_id)? {
        max = max.max(org::org_settings(c, &g.org_id)?.file_max_bytes);
    }
    Ok(max)
}

#[derive(Debug, Clone)]
struct Upload {
    size: u64,
    content_type: String,
    received: u64,
}

fn blob(c: &Connection, hash: &str) -> lvzhi_store::Result<Option<(u64, String)>> {
    Ok(c.prepare_cached("SELECT size, content_type FROM blobs WHERE hash = ?1")?
        .query_row([hash], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
        .optional()?)
}

fn upload_row(c: &Connection, hash: &str, person_id: &str) -> lvzhi_store::Result<Option<Upload>> {
    Ok(c.prepare_cached("SELECT size, content_type, received FROM uploads WHERE hash = ?1 AND person_id = ?2")?
        .query_row(params![hash, person_id], |r| {
            Ok(Upload {
                size: r.get::<_, i64>(0)? as u64,
                content_type: r.get(1)?,
                received: r.get::<_, i64>(2)? as u64,
            })
        })
        .optional()?)
}

fn complete(size: u64) -> UploadStatus {
    UploadStatus { offset: size, size, complete: true }
}

/// `GET /v1/blobs/{hash}/upload`.
async fn upload_status(State(app): State<Arc<AppState>>, who: Authed, Path(hash): Path<String>) -> Result<Response> {
    files::check_hash(&hash)?;
    // After a drop, the request that was cut may still be taking frames: wait for it.
    let _taking = app.uploads.take_over(&hash, &who.person_id).await;
    let status = app.store.read(|c| {
        if let Some((size, _)) = blob(c, &hash)?
            && may_read(c, &who.person_id, &hash)?
        {
            return Ok(Some(complete(size)));
        }
        Ok::<_, lvzhi_store::Error>(upload_row(c, &hash, &who.person_id)?.map(|u| UploadStatus {
            offset: u.received,
            size: u.size,
            complete: false,
        }))
    })?;
    Ok(match status {
        Some(s) => Json(s).into_response(),
        None => ApiError::from(FileError::NotFound).into_response(),
    })
}

/// `PUT /v1/blobs/{hash}`: frames from `Upload-Offset` on.
async fn upload(
    State(app): State<Arc<AppState>>,
    who: Authed,
    Path(hash): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response> {
    files::check_hash(&hash)?;
    let offset = header_u64(&headers, files::headers::OFFSET)?;
    let size = header_u64(&headers, files::headers::LENGTH)?;
    let content_type =
        headers.get(files::headers::TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().trim().to_string();
    let person = who.person_id.clone();
    let taking = app.uploads.take_over(&hash, &person).await;
    // Start (or find) the upload.
    let st = app.clone();
    let (h, ct) = (hash.clone(), content_type.clone());
    let started = blocking(move || {
        st.store.write(|tx| {
            let max = max_bytes(tx, &person)?;
            files::check_file(&ct, size, max)?;
            expire_abandoned(tx, to_millis((st.clock)()))?;
            if blob(tx, &h)?.is_some() && may_read(tx, &person, &h)? {
                return Ok(Err(complete(size)));
            }
            let upload = match upload_row(tx, &h, &person)? {
                Some(u) if u.size == size && u.content_type == ct => u,
                // The same hash with another size or type: the earlier attempt was wrong; start over.
                Some(_) | None => {
                    tx.execute("DELETE FROM upload_chunks WHERE hash = ?1 AND person_id = ?2", params![h, person])?;
                    tx.execute(
                        "INSERT INTO uploads (hash, person_id, size, content_type, received, started_at)
                         VALUES (?1, ?2, ?3, ?4, 0, ?5) ON CONFLICT (hash, person_id) DO UPDATE SET size = excluded.size, content_type = excluded.content_type, received = excluded.received, started_at = excluded.started_at",
                        params![h, person, size as i64, ct, to_millis((st.clock)())],
                    )?;
                    Upload { size, content_type: ct.clone(), received: 0 }
                }
            };
            Ok::<_, lvzhi_store::Error>(Ok(upload))
        })
    })
    .await?;
    let upload = match started {
        Err(done) => return Ok(Json(done).into_response()),
        Ok(u) => u,
    };
    if offset != upload.received {
        let status = UploadStatus { offset: upload.received, size, complete: false };
        return Ok((StatusCode::CONFLICT, Json(status)).into_response());
    }
    // The frames are taken by a task of their own: when the connection drops, hyper drops this
    // handler, but every frame that reached the server is still read and kept.
    let task = tokio::spawn(take_frames(app, who.person_id, hash, upload, body, taking));
    task.await.map_err(ApiError::internal)?
}

/// Reads, checks and commits frames until the file is whole or the body ends.
async fn take_frames(
    app: Arc<AppState>,
    person_id: String,
    hash: String,
    mut upload: Upload,
    body: Body,
    taking: Taking,
) -> Result<Response> {
    let size = upload.size;
    let mut reader = FrameReader::default();
    let mut body = body;
    while upload.received < upload.size {
        let frame = match reader.next_frame()? {
            Some(frame) => frame,
            None => match tokio::select! {
                // Bytes that reached the server are always taken first...
                biased;
                next = tokio::time::timeout(FRAME_TIMEOUT, body.frame()) => next,
                // ...and only when waiting for more does a retry of this upload take over.
                _ = taking.slot.stop.notified() => Ok(None),
            } {
                Ok(Some(Ok(f))) => {
                    if let Ok(data) = f.into_data() {
                        reader.push(&data);
                    }
                    continue;
                }
                // The connection broke or went quiet: what arrived whole is kept.
                // 408: nobody may hear it, and a phone that does tries again from the server's offset.
                Ok(Some(Err(_))) | Err(_) => return Err(ApiError::new(StatusCode::REQUEST_TIMEOUT, "上传中断")),
                Ok(None) => break,
            },
        };
        let expected = (upload.size - upload.received).min(CHUNK_BYTES as u64) as usize;
        if frame.len() != expected {
            return Err(FileError::SizeMismatch.into());
        }
        let (st, h, person, at) = (app.clone(), hash.clone(), person_id.clone(), upload.received);
        let kept = blocking(move || {
            st.store.write(|tx| {
                // Guarded by the offset: two requests of one uploader (an old one still draining
                // after a drop, and its retry) never interleave frames.
                let moved = tx
                    .prepare_cached(
                        "UPDATE uploads SET received = received + ?4 WHERE hash = ?1 AND person_id = ?2 AND received = ?3",
                    )?
                    .execute(params![h, person, at as i64, frame.len() as i64])?;
                if moved != 1 {
                    return Ok(upload_row(tx, &h, &person)?.map(|u| u.received));
                }
                tx.prepare_cached("INSERT INTO upload_chunks (hash, person_id, idx, data) VALUES (?1, ?2, ?3, ?4)")?
                    .execute(params![h, person, (at / CHUNK_BYTES as u64) as i64, frame])?;
                Ok(None)
            })
        })
        .await?;
        if let Some(have) = kept {
            let status = UploadStatus { offset: have, size, complete: false };
            return Ok((StatusCode::CONFLICT, Json(status)).into_response());
        }
        upload.received += expected as u64;
    }
    if upload.received < upload.size || reader.partial() > 0 {
        let status = UploadStatus { offset: upload.received, size, complete: false };
        return Ok(Json(status).into_response());
    }
    let (st, h, person) = (app.clone(), hash.clone(), person_id.clone());
    // Decoding a photo takes its pixels in memory: a few at a time.
    let _permit = if files::is_image(&upload.content_type) { IMAGE_CHECKS.acquire().await.ok() } else { None };
    blocking(move || finish(&st, &h, &person, &upload)).await?;
    Ok(Json(complete(size)).into_response())
}

/// Images decoded at once to check them (each may take a few hundred MB of pixels).
static IMAGE_CHECKS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Uploads nobody went on with for a week are dropped (a phone that comes back starts over).
const ABANDONED_AFTER_MS: i64 = 7 * 24 * 3_600_000;

fn expire_abandoned(tx: &Transaction<'_>, now_ms: i64) -> lvzhi_store::Result<()> {
    let before = now_ms - ABANDONED_AFTER_MS;
    tx.prepare_cached(
        "DELETE FROM upload_chunks WHERE (hash, person_id) IN (SELECT hash, person_id FROM uploads WHERE started_at < ?1)",
    )?
    .execute([before])?;
    tx.prepare_cached("DELETE FROM uploads WHERE started_at < ?1")?.execute([before])?;
    Ok(())
}

/// The last frame is in: check the whole file and make it a blob, or drop the upload whole.
fn finish(app: &AppState, hash: &str, person_id: &str, upload: &Upload) -> lvzhi_store::Result<()> {
    let checked = app.store.read(|c| check_upload(c, hash, person_id, &upload.content_type))?;
    app.store.write(|tx| {
        if checked.is_ok() {
            tx.execute(
                "INSERT INTO blobs (hash, size, content_type, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                params![hash, upload.size as i64, upload.content_type, to_millis((app.clock)())],
            )?;
            // A blob someone else finished meanwhile has the same bytes: keep one copy.
            if tx.query_row("SELECT count(*) FROM blob_chunks WHERE hash = ?1", [hash], |r| r.get::<_, i64>(0))? == 0 {
                tx.execute(
                    "INSERT INTO blob_chunks (hash, idx, data)
                     SELECT hash, idx, data FROM upload_chunks WHERE hash = ?1 AND person_id = ?2",
                    params![hash, person_id],
                )?;
            }
            tx.execute(
                "INSERT INTO blob_owners (hash, person_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                params![hash, person_id],
            )?;
        }
        tx.execute("DELETE FROM upload_chunks WHERE hash = ?1 AND person_id = ?2", params![hash, person_id])?;
        tx.execute("DELETE FROM uploads WHERE hash = ?1 AND person_id = ?2", params![hash, person_id])?;
        Ok::<_, lvzhi_store::Error>(())
    })?;
    Ok(checked?)
}

/// What every finished upload must be: the bytes its name says (hashed chunk by chunk), of the
/// type it claims — its signature, an image decoded, a text valid UTF-8 (those two whole in
/// memory, within the size limit).
fn check_upload(
    c: &Connection,
    hash: &str,
    person_id: &str,
    content_type: &str,
) -> lvzhi_store::Result<Result<(), FileError>> {
    let whole = files::is_image(content_type) || content_type == "text/plain";
    let mut stmt =
        c.prepare_cached("SELECT data FROM upload_chunks WHERE hash = ?1 AND person_id = ?2 ORDER BY idx")?;
    let mut digest = ring::digest::Context::new(&ring::digest::SHA256);
    let mut head = Vec::new();
    let mut bytes = Vec::new();
    for chunk in stmt.query_map(params![hash, person_id], |r| r.get::<_, Vec<u8>>(0))? {
        let chunk = chunk?;
        digest.update(&chunk);
        if head.len() < 16 {
            head.extend_from_slice(&chunk[..chunk.len().min(16 - head.len())]);
        }
        if whole {
            bytes.extend_from_slice(&chunk);
        }
    }
    let hex: String = digest.finish().as_ref().iter().map(|b| format!("{b:02x}")).collect();
    if hex != hash {
        return Ok(Err(FileError::HashMismatch));
    }
    if let Err(e) = files::check_signature(content_type, &head) {
        return Ok(Err(e));
    }
    if files::is_image(content_type) {
        return Ok(lvzhi_media::check_decodes(content_type, &bytes).map(|_| ()));
    }
    if content_type == "text/plain" && std::str::from_utf8(&bytes).is_err() {
        return Ok(Err(FileError::TypeMismatch));
    }
    Ok(Ok(()))
}

/// A whole file received at once (the web console's uploads, from an office PC): checked as an
/// upload is (size within the person's organisations' limit, type, signature, an image decoded
/// and given its thumbnail) and stored as a blob the person owns, in one transaction. The
/// attachment it returns goes into a mutation, which refers to it as a phone's would.
pub fn store_whole(app: &AppState, person_id: &str, name: &str, data: &[u8]) -> lvzhi_store::Result<Attachment> {
    let max = app.store.read(|c| max_bytes(c, person_id))?;
    store_checked(app, Some(person_id), name, data, max)
}

/// The largest photo a resident may attach on a studio's public page.
pub const PUBLIC_PHOTO_MAX_BYTES: u64 = 5 * 1024 * 1024;

/// A photo from a studio's public page (no account): an image only (JPEG or PNG, decoded and
/// given its thumbnail), within [`PUBLIC_PHOTO_MAX_BYTES`], owned by nobody — readable only
/// through the message that will carry it ([`refer_entity`]).
pub fn store_public_photo(app: &AppState, name: &str, data: &[u8]) -> lvzhi_store::Result<Attachment> {
    if !files::is_image(files::content_type_of(name)) {
        return Err(lvzhi_store::Error::Invalid("照片应为 JPG 或 PNG 图片".into()));
    }
    store_checked(app, None, name, data, PUBLIC_PHOTO_MAX_BYTES)
}

/// An entity written outside a mutation (a studio message) carries `hash`: whoever may read the
/// entity may read the file.
pub fn refer_entity(tx: &Transaction<'_>, hash: &str, entity: EntityKind, id: &str) -> lvzhi_store::Result<()> {
    tx.prepare_cached("INSERT INTO blob_refs (hash, entity, entity_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")?
        .execute(params![hash, entity.as_str(), id])?;
    Ok(())
}

/// Checks a whole file (size within `max`, type, signature, an image decoded and given its
/// thumbnail) and stores it as a blob, owned by `owner` if any, in one transaction.
fn store_checked(
    app: &AppState,
    owner: Option<&str>,
    name: &str,
    data: &[u8],
    max: u64,
) -> lvzhi_store::Result<Attachment> {
    let content_type = files::content_type_of(name);
    files::check_file(content_type, data.len() as u64, max)?;
    let (thumbnail, width, height) = if files::is_image(content_type) {
        let p = lvzhi_media::prepare(content_type, data, lvzhi_media::ShrinkSettings::default(), true)?;
        (Some(p.thumbnail), Some(p.width), Some(p.height))
    } else {
        files::check_signature(content_type, &data[..data.len().min(16)])?;
        (None, None, None)
    };
    let attachment = Attachment {
        hash: files::hash_of(data),
        name: name.trim().to_string(),
        content_type: content_type.to_string(),
        size: data.len() as u64,
        thumbnail,
        width,
        height,
    };
    files::check_attachments(std::slice::from_ref(&attachment), max)?;
    let now = to_millis((app.clock)());
    app.store.write(|tx| {
        let inserted = tx.execute(
            "INSERT INTO blobs (hash, size, content_type, created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            params![attachment.hash, attachment.size as i64, attachment.content_type, now],
        )?;
        if inserted > 0 {
            for (idx, chunk) in data.chunks(CHUNK_BYTES).enumerate() {
                tx.execute(
                    "INSERT INTO blob_chunks (hash, idx, data) VALUES (?1, ?2, ?3)",
                    params![attachment.hash, idx as i64, chunk],
                )?;
            }
        }
        if let Some(person_id) = owner {
            tx.execute(
                "INSERT INTO blob_owners (hash, person_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                params![attachment.hash, person_id],
            )?;
        }
        Ok::<_, lvzhi_store::Error>(())
    })?;
    Ok(attachment)
}

/// Whether `person_id` may read the blob: they sent its bytes, or they may read an entity that
/// carries it (a message in one of their groups, a report, notice or meeting in their scopes;
/// not a withdrawn one, unless they are among the staff who published it).
pub fn may_read(c: &Connection, person_id: &str, hash: &str) -> lvzhi_store::Result<bool> {
    may_read_in(c, person_id, &mut None, hash)
}

/// [`may_read`], with the person's scopes worked out once for several files (`mine`: `None`
/// until needed).
fn may_read_in(
    c: &Connection,
    person_id: &str,
    mine: &mut Option<BTreeSet<String>>,
    hash: &str,
) -> lvzhi_store::Result<bool> {
    let owner: bool = c
        .prepare_cached("SELECT 1 FROM blob_owners WHERE hash = ?1 AND person_id = ?2")?
        .query_row(params![hash, person_id], |_| Ok(()))
        .optional()?
        .is_some();
    if owner {
        return Ok(true);
    }
    let refs: Vec<(String, String)> = {
        let mut stmt = c.prepare_cached("SELECT entity, entity_id FROM blob_refs WHERE hash = ?1")?;
        stmt.query_map([hash], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<lvzhi_sql::Result<_>>()?
    };
    if refs.is_empty() {
        return Ok(false);
    }
    if mine.is_none() {
        *mine = Some(scopes::scopes_for(c, person_id)?.into_iter().collect());
    }
    let mine = mine.as_ref().expect("filled above");
    for (entity, id) in refs {
        let readable = if entity == EntityKind::Message.as_str() {
            // A recalled or deleted message no longer shows its files.
            chat::repo::message(c, &id)?.is_some_and(|m| {
                m.recalled_at_ms.is_none() && m.deleted_by.is_none() && mine.contains(&scopes::group_scope(&m.group_id))
            })
        } else {
            // A scope that holds only the redacted form of a withdrawn or hidden item (server
            // migration 0006) gives its readers none of the item's files.
            let mut stmt = c.prepare_cached(
                "SELECT scope FROM entity_scopes WHERE entity = ?1 AND entity_id = ?2 AND redacted = 0",
            )?;
            let scopes: Vec<String> =
                stmt.query_map(params![entity, id], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?;
            scopes.iter().any(|s| mine.contains(s))
        };
        if readable {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A mutation that carries files: each must be a whole blob the actor may read; the entity is
/// recorded as carrying it (so those who may read the entity may read the file). Runs inside
/// the mutation's savepoint: a refusal undoes the mutation.
pub fn refer(tx: &Transaction<'_>, person_id: &str, kind: &MutationKind) -> lvzhi_store::Result<()> {
    let Some((entity, id, list)) = kind.attachments() else { return Ok(()) };
    let mut mine = None;
    for a in list {
        match blob(tx, &a.hash)? {
            Some((size, ct)) if size == a.size && ct == a.content_type => {}
            Some(_) => return Err(FileError::SizeMismatch.into()),
            None => return Err(FileError::NotUploaded.into()),
        }
        if !may_read_in(tx, person_id, &mut mine, &a.hash)? {
            return Err(FileError::NotUploaded.into());
        }
        tx.prepare_cached(
            "INSERT INTO blob_refs (hash, entity, entity_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        )?
        .execute(params![a.hash, entity.as_str(), id])?;
    }
    Ok(())
}

/// `GET /v1/blobs/{hash}`, whole or from `Range: bytes=N-` (or `N-M`).
async fn download(
    State(app): State<Arc<AppState>>,
    who: Authed,
    Path(hash): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    serve(&app, &who.person_id, hash, &headers).await
}

/// A blob for `person_id`, whole or from the range `headers` ask for, if they may read it:
/// the phones' route and the console's.
pub async fn serve(app: &Arc<AppState>, person_id: &str, hash: String, headers: &HeaderMap) -> Result<Response> {
    files::check_hash(&hash)?;
    let found = app.store.read(|c| {
        let Some(b) = blob(c, &hash)? else { return Ok(Err(FileError::NotFound)) };
        if !may_read(c, person_id, &hash)? {
            return Ok(Err(FileError::NotAllowed));
        }
        Ok::<_, lvzhi_store::Error>(Ok(b))
    })?;
    let (size, content_type) = found?;
    let range = headers.get(header::RANGE).and_then(|v| v.to_str().ok()).map(|r| parse_range(r, size));
    let (start, end) = match range {
        None => (0, size),
        Some(Some(r)) => r,
        Some(None) => {
            let mut r = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            r.headers_mut().insert(header::CONTENT_RANGE, hv(&format!("bytes */{size}")));
            return Ok(r);
        }
    };
    // One chunk read at a time, as the connection takes them, each in a short blocking task (a
    // slow reader holds no thread while it is not reading).
    let stream = futures_util::stream::unfold((app.clone(), hash.clone(), start), move |(st, h, at)| async move {
        if at >= end {
            return None;
        }
        let idx = at / CHUNK_BYTES as u64;
        let (st2, h2) = (st.clone(), h.clone());
        let read = tokio::task::spawn_blocking(move || {
            st2.store.read(|c| {
                Ok::<Vec<u8>, lvzhi_store::Error>(
                    c.prepare_cached("SELECT data FROM blob_chunks WHERE hash = ?1 AND idx = ?2")?
                        .query_row(params![h2, idx as i64], |r| r.get(0))?,
                )
            })
        })
        .await;
        let from = (at - idx * CHUNK_BYTES as u64) as usize;
        let piece = match read {
            Ok(Ok(data)) if from < data.len() => Ok(data[from..data.len().min(from + (end - at) as usize)].to_vec()),
            Ok(Ok(_)) => Err(std::io::Error::other("a chunk shorter than the file says")),
            Ok(Err(e)) => Err(std::io::Error::other(e)),
            Err(e) => Err(std::io::Error::other(e)),
        };
        // After an error the stream ends (the client sees a cut download and resumes).
        let next = piece.as_ref().map_or(end, |p| at + p.len() as u64);
        Some((piece, (st, h, next)))
    });
    let partial = start > 0 || end < size;
    // Fused: a wrapper that polls once more after the end (a compression layer) gets None again.
    let mut response = Response::new(Body::from_stream(futures_util::StreamExt::fuse(stream)));
    *response.status_mut() = if partial { StatusCode::PARTIAL_CONTENT } else { StatusCode::OK };
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, hv(&content_type));
    h.insert(header::CONTENT_LENGTH, hv(&(end - start).to_string()));
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::ETAG, hv(&format!("\"{hash}\"")));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=31536000, immutable"));
    if partial {
        h.insert(header::CONTENT_RANGE, hv(&format!("bytes {start}-{}/{size}", end - 1)));
    }
    Ok(response)
}

fn hv(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"))
}

/// `bytes=N-` or `bytes=N-M` within `size`, as a half-open range; None if unsatisfiable.
fn parse_range(value: &str, size: u64) -> Option<(u64, u64)> {
    let spec = value.trim().strip_prefix("bytes=")?;
    let (from, to) = spec.split_once('-')?;
    let start: u64 = from.trim().parse().ok()?;
    let end = match to.trim() {
        "" => size,
        last => last.parse::<u64>().ok()?.saturating_add(1).min(size),
    };
    (start < end).then_some((start, end))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> lvzhi_store::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.map_err(ApiError::internal)?.map_err(ApiError::from)
}

#[cfg(test)]
mod tests {
    use super::parse_range;

    #[test]
    fn ranges_are_read_as_half_open_within_the_file() {
        assert_eq!(parse_range("bytes=0-", 10), Some((0, 10)));
        assert_eq!(parse_range("bytes=4-", 10), Some((4, 10)));
        assert_eq!(parse_range("bytes=4-5", 10), Some((4, 6)));
        assert_eq!(parse_range("bytes=4-99", 10), Some((4, 10)));
        assert_eq!(parse_range("bytes=10-", 10), None);
        assert_eq!(parse_range("items=1-", 10), None);
    }
}

//! `POST /v1/sync`: apply the client's mutations in order (each exactly once), then send the
//! changes of its scopes after its cursors, waiting up to `wait_secs` when there are none.

use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use lvzhi_domain::protocol::*;
use lvzhi_sql::Connection;

use crate::AppState;
use crate::audit::{self, ClientAddr, Event, Who};
use crate::auth::Authed;
use crate::changes;
use crate::error::ApiError;
use crate::scopes::scopes_for;
use crate::writer;

pub async fn sync(
    State(app): State<Arc<AppState>>,
    who: Authed,
    addr: ClientAddr,
    body: Bytes,
) -> Result<Json<SyncResponse>, ApiError> {
    let answer = sync_inner(&app, &who, body).await;
    if let Err(e) = &answer
        && e.status == StatusCode::FORBIDDEN
    {
        let entry = Who { person: Some(&who.person_id), address: addr.0, ..Who::default() };
        audit::record_now(&app.store, (app.clock)(), Event::PermissionRefused, entry, &e.message);
    }
    answer
}

async fn sync_inner(app: &Arc<AppState>, who: &Authed, body: Bytes) -> Result<Json<SyncResponse>, ApiError> {
    let mut req: SyncRequest =
        serde_json::from_slice(&body).map_err(|e| ApiError::bad_request(format!("请求格式错误：{e}")))?;
    // A long-poll holds this future for up to a minute: not the body it no longer needs.
    drop(body);
    if req.protocol != PROTOCOL_VERSION {
        return Err(ApiError::bad_request(format!("不支持的协议版本 {}，请更新应用", req.protocol)));
    }
    if req.mutations.len() > MAX_BATCH {
        return Err(ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, format!("一次最多提交{MAX_BATCH}项操作")));
    }
    if req.client_id.is_empty() || req.client_id.len() > 64 {
        return Err(ApiError::bad_request("客户端编号无效"));
    }
    if req.mutations.iter().any(|m| m.id == 0) {
        return Err(ApiError::bad_request("操作编号从1开始，0无效"));
    }
    if req.mutations.windows(2).any(|w| w[1].id != w[0].id + 1) {
        return Err(ApiError::bad_request("操作编号必须连续递增"));
    }
    // Subscribe before looking, so that a change committed in between is not missed.
    let mut changed = app.changes.subscribe();

    // Pushed mutations go through the one writer (group commit); an idle sync writes nothing.
    let mutations = std::mem::take(&mut req.mutations);
    let pushed = if mutations.is_empty() {
        None
    } else {
        Some(app.writer().push(&who.person_id, &who.session_id, &req.client_id, mutations).await?)
    };
    let results = pushed.as_ref().map(|p| p.results.clone()).unwrap_or_default();

    let wait = Duration::from_secs(u64::from(req.wait_secs.min(MAX_WAIT_SECS)));
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        // Most syncs find every scope at its cursor: a few indexed lookups, answered here. Only
        // when there are pages to read does the work go to the blocking pool.
        let known_last = pushed.as_ref().map(|p| p.last_applied);
        let quick = match from_memory(app, &who.person_id, &req, known_last)? {
            Some(found) => Some(found),
            None => app.store.read(|c| look(app, c, &who.person_id, &req, known_last, Pages::OnlyIfNone))?,
        };
        let (last_applied, scopes, pages) = match quick {
            Some(found) => found,
            None => {
                let (app3, person, req3) = (app.clone(), who.person_id.clone(), req.clone());
                tokio::task::spawn_blocking(move || {
                    app3.store.read(|c| look(&app3, c, &person, &req3, known_last, Pages::Read))
                })
                .await
                .map_err(ApiError::internal)??
                .ok_or_else(|| ApiError::internal("a page read gave up"))?
            }
        };
        let news = !results.is_empty() || pages.iter().any(|p| !p.changes.is_empty() || p.reset);
        let same_scopes = scopes.len() == req.cursors.len() && scopes.iter().all(|s| req.cursors.contains_key(s));
        // Long-poll: without news, wait until a commit writes to one of this user's scopes (other
        // users' changes do not wake it), or give up at the deadline.
        let answer = news || !same_scopes || wait.is_zero() || !wait_for_scopes(&mut changed, &scopes, deadline).await;
        if answer {
            let scopes = (!same_scopes).then(|| scopes.to_vec());
            return Ok(Json(SyncResponse { protocol: PROTOCOL_VERSION, results, last_applied, scopes, pages }));
        }
    }
}

/// Waits for a commit that wrote to one of `scopes`; false at the deadline.
async fn wait_for_scopes(
    changed: &mut tokio::sync::broadcast::Receiver<Arc<Vec<String>>>,
    scopes: &[String],
    deadline: tokio::time::Instant,
) -> bool {
    loop {
        match tokio::time::timeout_at(deadline, changed.recv()).await {
            Err(_) => return false,
            Ok(Ok(written)) if written.iter().any(|w| scopes.contains(w)) => return true,
            Ok(Ok(_)) => continue,
            // Missed some notices: look again to be safe.
            Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => return true,
            Ok(Err(tokio::sync::broadcast::error::RecvError::Closed)) => return false,
        }
    }
}

/// What [`look`] found: the last decided mutation id, the user's scopes, the pages.
type Looked = (u64, Arc<Vec<String>>, Vec<ScopePage>);

/// Whether [`look`] may read pages (slow: up to [`MAX_PAGE_BYTES`] bytes) or only say there are none.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pages {
    Read,
    OnlyIfNone,
}

/// The answer of a sync that finds every scope at its cursor, from memory alone (`idle`); None
/// when something is not known there or some scope has news.
fn from_memory(
    app: &AppState,
    person_id: &str,
    req: &SyncRequest,
    known_last: Option<u64>,
) -> Result<Option<Looked>, ApiError> {
    if app.restored {
        return Ok(None);
    }
    let last = match (known_last, app.idle.client(&req.client_id)) {
        (Some(last), _) => last,
        (None, Some((Some(owner), _))) if owner != person_id => {
            return Err(ApiError::forbidden("该设备属于其他用户，请重新登录"));
        }
        (None, Some((_, last))) => last,
        (None, None) => return Ok(None),
    };
    let Some(scopes) = app.idle.scopes(person_id) else { return Ok(None) };
    for scope in scopes.iter() {
        match (req.cursors.get(scope), app.idle.head(scope)) {
            (Some(cursor), Some(head)) if *cursor >= head => {}
            _ => return Ok(None),
        }
    }
    Ok(Some((last, scopes, Vec::new())))
}

/// The client's last decided mutation, the user's scopes, and the pages of those scopes with
/// changes after the phone's cursors. A scope at its head costs one lookup. With
/// `Pages::OnlyIfNone`, gives up (None) as soon as some scope has a page to read. What it
/// learns goes into `idle` for the next sync.
fn look(
    app: &AppState,
    c: &Connection,
    person_id: &str,
    req: &SyncRequest,
    known_last: Option<u64>,
    mode: Pages,
) -> Result<Option<Looked>, ApiError> {
    let last = match known_last {
        Some(last) => last,
        None => {
            let last = writer::last_decided(c, person_id, &req.client_id)?;
            // A device that never pushed has no owner yet.
            app.idle.remember_client(&req.client_id, last.map(|_| person_id), last.unwrap_or(0));
            last.unwrap_or(0)
        }
    };
    let scopes = match app.idle.scopes(person_id) {
        Some(scopes) => scopes,
        None => {
            let scopes = Arc::new(scopes_for(c, person_id)?);
            app.idle.remember_scopes(person_id.to_string(), scopes.clone());
            scopes
        }
    };
    // Bytes of change data in this response, at most (one change always fits).
    let mut budget = req.page_bytes.unwrap_or(DEFAULT_PAGE_BYTES).clamp(MIN_PAGE_BYTES, MAX_PAGE_BYTES) as usize;
    let max_rows = budget / 512;
    let mut pages = Vec::new();
    for scope in scopes.iter() {
        if budget == 0 {
            break;
        }
        let known = req.cursors.get(scope).copied();
        let cursor = known.unwrap_or(0);
        // Nothing after the cursor: no page (and no reset: the horizon is never past the head),
        // unless the cursor comes from before a restore: then that scope starts over. A scope
        // the phone holds that is still empty (head 0: an organisation's `members:` before its
        // first notice) costs one lookup too; a scope new to the phone gets its (empty) page, so
        // that the phone records it.
        let head = changes::head(c, scope)?;
        app.idle.remember_head(scope, head);
        if known.is_some()
            && cursor >= head
            && (cursor == 0 || !app.restored || !crate::backup::cursor_before_restore(c, cursor)?)
        {
            continue;
        }
        if mode == Pages::OnlyIfNone {
            return Ok(None);
        }
        let page = changes::page(c, scope, cursor, req.initial_messages, max_rows, &mut budget)?;
        let cut = page.more;
        if !page.changes.is_empty() || page.reset || cursor == 0 {
            pages.push(page);
        }
        // Later scopes may refer to this one's records: they wait for the next round.
        if cut {
            break;
        }
    }
    Ok(Some((last, scopes, pages)))
}

#[derive(serde::Deserialize)]
pub struct HistoryQuery {
    before: u64,
    #[serde(default = "default_history_page")]
    limit: u32,
}

fn default_history_page() -> u32 {
    50
}

/// The most messages one history request returns (`lvzhi-sync` asks for no more).
pub const MAX_HISTORY_PAGE: u32 = 200;

/// `GET /v1/groups/{id}/messages?before=SEQ&limit=N`: older messages, for members only.
pub async fn group_history(
    State(app): State<Arc<AppState>>,
    who: Authed,
    addr: ClientAddr,
    axum::extract::Path(group_id): axum::extract::Path<String>,
    crate::query::Params(q): crate::query::Params<HistoryQuery>,
) -> Result<Json<Vec<lvzhi_domain::chat::ChatMessage>>, ApiError> {
    let before = crate::query::in_range("before", q.before, 0..=i64::MAX as u64)?;
    let limit = crate::query::in_range("limit", q.limit, 1..=MAX_HISTORY_PAGE)?;
    let messages = app.store.read(|c| {
        let member = lvzhi_store::chat::repo::group(c, &group_id)?.is_some_and(|g| g.members.contains(&who.person_id));
        if !member {
            return Ok(None);
        }
        lvzhi_store::chat::repo::messages_before(c, &group_id, before, limit).map(Some)
    })?;
    messages.map(Json).ok_or_else(|| {
        let entry = Who { person: Some(&who.person_id), address: addr.0, ..Who::default() };
        audit::record_now(
            &app.store,
            (app.clock)(),
            Event::PermissionRefused,
            entry,
            &format!("读取群 {group_id} 的消息"),
        );
        ApiError::forbidden("您不是该群成员")
    })
}

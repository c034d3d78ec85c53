//! `POST /v1/sync`: apply the client's mutations in order (each exactly once), then send the
//! changes of its scopes after its cursors, waiting up to `wait_secs` when there are none.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use lvzhi_core::org;
use lvzhi_core::sync::mutation::{self, is_refusal};
use lvzhi_core::sync::protocol::*;
use lvzhi_core::time::Timestamp;
use rusqlite::{OptionalExtension, Transaction, params};

use crate::AppState;
use crate::auth::Authed;
use crate::changes;
use crate::error::ApiError;
use crate::scopes::scopes_for;

/// Bytes of change data in one response, at most (one change always fits).
pub const PAGE_BUDGET: usize = 256 * 1024;

pub async fn sync(State(app): State<Arc<AppState>>, who: Authed, body: Bytes) -> Result<Json<SyncResponse>, ApiError> {
    let req: SyncRequest =
        serde_json::from_slice(&body).map_err(|e| ApiError::bad_request(format!("请求格式错误：{e}")))?;
    if req.protocol != PROTOCOL_VERSION {
        return Err(ApiError::bad_request(format!("不支持的协议版本 {}，请更新应用", req.protocol)));
    }
    if req.mutations.len() > MAX_BATCH {
        return Err(ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, format!("一次最多提交{MAX_BATCH}项操作")));
    }
    if req.client_id.is_empty() || req.client_id.len() > 64 {
        return Err(ApiError::bad_request("客户端编号无效"));
    }
    if req.mutations.windows(2).any(|w| w[1].id != w[0].id + 1) {
        return Err(ApiError::bad_request("操作编号必须连续递增"));
    }
    // Subscribe before looking, so that a change committed in between is not missed.
    let mut changed = app.changes.subscribe();

    let app2 = app.clone();
    let who2 = who.clone();
    let mutations = req.mutations.clone();
    let client_id = req.client_id.clone();
    let (results, last_applied, written) = tokio::task::spawn_blocking(move || {
        if mutations.is_empty() {
            // Nothing to apply: a read, not a write transaction (idle syncs are most syncs).
            last_decided(&app2, &who2.person_id, &client_id).map(|last| (Vec::new(), last, Vec::new()))
        } else {
            apply_batch(&app2, &who2.person_id, &client_id, &mutations)
        }
    })
    .await
    .map_err(ApiError::internal)??;
    if !written.is_empty() {
        // Nobody waiting is fine.
        let _ = app.changes.send(Arc::new(written));
    }

    let wait = Duration::from_secs(u64::from(req.wait_secs.min(MAX_WAIT_SECS)));
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let (app3, person, cursors) = (app.clone(), who.person_id.clone(), req.cursors.clone());
        let initial = req.initial_messages;
        let (scopes, pages) = tokio::task::spawn_blocking(move || read_pages(&app3, &person, &cursors, initial))
            .await
            .map_err(ApiError::internal)??;
        let news = !results.is_empty() || pages.iter().any(|p| !p.changes.is_empty() || p.reset);
        let same_scopes = scopes.len() == req.cursors.len() && scopes.iter().all(|s| req.cursors.contains_key(s));
        // Long-poll: without news, wait until a commit writes to one of this user's scopes (other
        // users' changes do not wake it), or give up at the deadline.
        let answer = news || !same_scopes || wait.is_zero() || !wait_for_scopes(&mut changed, &scopes, deadline).await;
        if answer {
            let scopes = (!same_scopes).then_some(scopes);
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

/// The last mutation id decided for this client (0 for a new one).
fn last_decided(app: &AppState, person_id: &str, client_id: &str) -> Result<u64, ApiError> {
    let owner: Option<(String, i64)> = app.store.read(|c| {
        c.prepare_cached("SELECT person_id, last_mutation_id FROM clients WHERE client_id = ?1")?
            .query_row([client_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(lvzhi_core::Error::from)
    })?;
    match owner {
        Some((owner, _)) if owner != person_id => Err(ApiError::forbidden("该设备属于其他用户，请重新登录")),
        Some((_, last)) => Ok(last as u64),
        None => Ok(0),
    }
}

/// Applies the batch in one transaction; returns the results, the last applied id and the
/// scopes the batch wrote to (for waking long-polls).
fn apply_batch(
    app: &AppState,
    person_id: &str,
    client_id: &str,
    mutations: &[Mutation],
) -> Result<(Vec<MutationResult>, u64, Vec<String>), ApiError> {
    let now = (app.clock)();
    app.store.write(|tx| {
        let log_end: i64 = tx
            .query_row("SELECT coalesce(max(seq), 0) FROM change_log", [], |r| r.get(0))
            .map_err(lvzhi_core::Error::from)?;
        let owner: Option<(String, i64)> = tx
            .query_row("SELECT person_id, last_mutation_id FROM clients WHERE client_id = ?1", [client_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .map_err(lvzhi_core::Error::from)?;
        let mut last = match owner {
            Some((owner, _)) if owner != person_id => {
                return Err(ApiError::forbidden("该设备属于其他用户，请重新登录"));
            }
            Some((_, last)) => last as u64,
            None => {
                tx.execute("INSERT INTO clients (client_id, person_id) VALUES (?1, ?2)", params![client_id, person_id])
                    .map_err(lvzhi_core::Error::from)?;
                0
            }
        };
        let mut results = Vec::with_capacity(mutations.len());
        for m in mutations {
            if m.id <= last {
                // A replay: answer what was decided then, change nothing.
                let stored: Option<String> = tx
                    .query_row(
                        "SELECT outcome FROM mutation_results WHERE client_id = ?1 AND mutation_id = ?2",
                        params![client_id, m.id as i64],
                        |r| r.get(0),
                    )
                    .optional()
                    .map_err(lvzhi_core::Error::from)?;
                let outcome = stored.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or(MutationOutcome::Applied);
                results.push(MutationResult { id: m.id, outcome });
                continue;
            }
            if m.id != last + 1 {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    format!("操作编号不连续：已处理到{last}，收到{}", m.id),
                ));
            }
            let outcome = decide(tx, person_id, m, now)?;
            tx.execute(
                "INSERT INTO mutation_results (client_id, mutation_id, outcome) VALUES (?1, ?2, ?3)",
                params![client_id, m.id as i64, serde_json::to_string(&outcome).map_err(lvzhi_core::Error::from)?],
            )
            .map_err(lvzhi_core::Error::from)?;
            last = m.id;
            results.push(MutationResult { id: m.id, outcome });
        }
        tx.execute("UPDATE clients SET last_mutation_id = ?2 WHERE client_id = ?1", params![client_id, last as i64])
            .map_err(lvzhi_core::Error::from)?;
        let written: Vec<String> = {
            let mut stmt = tx
                .prepare_cached("SELECT DISTINCT scope FROM change_log WHERE seq > ?1")
                .map_err(lvzhi_core::Error::from)?;
            let rows = stmt.query_map([log_end], |r| r.get(0)).map_err(lvzhi_core::Error::from)?;
            rows.collect::<rusqlite::Result<_>>().map_err(lvzhi_core::Error::from)?
        };
        Ok((results, last, written))
    })
}

/// Applies one mutation with the same domain code as the phone. A refusal is recorded and
/// answered; a failure of the machinery aborts the request so the client retries.
fn decide(tx: &Transaction<'_>, person_id: &str, m: &Mutation, now: Timestamp) -> Result<MutationOutcome, ApiError> {
    let grants = org::roles_of(tx, person_id)?;
    let applied = mutation::in_savepoint(tx, || {
        let actor = mutation::actor_from_grants(person_id, &grants, &m.acting_as)?;
        let touched = mutation::apply(tx, &actor, &m.kind, mutation::Side::Server, now)?;
        let touched: BTreeSet<String> = touched.into_iter().collect();
        for id in &touched {
            changes::emit_proposal(tx, id, now)?;
        }
        match &m.kind {
            MutationKind::CreateGroup { group_id, .. }
            | MutationKind::SetGroupMembers { group_id, .. }
            | MutationKind::LeaveGroup { group_id } => changes::emit_group(tx, group_id, now),
            MutationKind::SendMessage { message } => changes::emit_message(tx, &message.message_id, now),
            MutationKind::RecallMessage { message_id } | MutationKind::DeleteMessage { message_id } => {
                changes::emit_message(tx, message_id, now)
            }
            MutationKind::MarkRead { group_id, .. } => changes::emit_read_marker(tx, group_id, person_id, now),
            MutationKind::CreateProposal { .. } | MutationKind::ProposalAction { .. } => Ok(()),
        }
    });
    match applied {
        Ok(()) => Ok(MutationOutcome::Applied),
        Err(e) if is_refusal(&e) => Ok(MutationOutcome::Rejected { reason: e.to_string() }),
        Err(e) => Err(ApiError::internal(e)),
    }
}

fn read_pages(
    app: &AppState,
    person_id: &str,
    cursors: &std::collections::BTreeMap<String, u64>,
    initial_messages: u32,
) -> Result<(Vec<String>, Vec<ScopePage>), ApiError> {
    Ok(app.store.read(|c| {
        let scopes = scopes_for(c, person_id)?;
        let mut budget = PAGE_BUDGET;
        let mut pages = Vec::new();
        for scope in &scopes {
            if budget == 0 {
                break;
            }
            let cursor = cursors.get(scope).copied().unwrap_or(0);
            let page = changes::page(c, scope, cursor, initial_messages, &mut budget)?;
            let cut = page.more;
            if !page.changes.is_empty() || page.reset || cursor == 0 {
                pages.push(page);
            }
            // Later scopes may refer to this one's records: they wait for the next round.
            if cut {
                break;
            }
        }
        Ok::<_, lvzhi_core::Error>((scopes, pages))
    })?)
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

/// `GET /v1/groups/{id}/messages?before=SEQ&limit=N`: older messages, for members only.
pub async fn group_history(
    State(app): State<Arc<AppState>>,
    who: Authed,
    axum::extract::Path(group_id): axum::extract::Path<String>,
    axum::extract::Query(q): axum::extract::Query<HistoryQuery>,
) -> Result<Json<Vec<lvzhi_core::chat::ChatMessage>>, ApiError> {
    let messages = app.store.read(|c| {
        let member = lvzhi_core::chat::repo::group(c, &group_id)?.is_some_and(|g| g.members.contains(&who.person_id));
        if !member {
            return Ok(None);
        }
        lvzhi_core::chat::repo::messages_before(c, &group_id, q.before, q.limit.min(200)).map(Some)
    })?;
    messages.map(Json).ok_or_else(|| ApiError::forbidden("您不是该群成员"))
}

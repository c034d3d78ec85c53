//! Accounts and sessions: PBKDF2-HMAC-SHA256 passwords (600,000 rounds), at most 100 failed
//! logins per account per hour with back-off between failures, token buckets per client
//! address (login and refresh) and per account (login), no more password hashes at once than
//! cores, and session tokens of 256 random bits stored only as SHA-256 hashes, with expiry,
//! refresh (rotating both tokens; a rotated-away refresh token used again revokes its session),
//! logout and revocation. Every login, revocation and reuse goes to the audit log.

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use chrono::Duration;
use lvzhi_domain::ids::{hex, new_id};
use lvzhi_domain::protocol::{LoginRequest, RefreshRequest, SessionInfo, Tokens};
use lvzhi_domain::time::{Timestamp, to_millis};
use lvzhi_sql::{Connection, OptionalExtension, Transaction, params};
use lvzhi_store::org;
use ring::pbkdf2;
use ring::rand::{SecureRandom, SystemRandom};

use crate::AppState;
use crate::audit::{self, ClientAddr, Event, Who};
use crate::error::ApiError;
use crate::idle::CachedSession;

pub const PBKDF2_ROUNDS: u32 = 600_000;
/// Failed logins an account may have in an hour.
pub const MAX_FAILURES_PER_HOUR: i64 = 100;
/// Failures allowed in a row before each next attempt must wait (doubling, up to 5 minutes).
const FREE_FAILURES: i64 = 5;

pub(crate) fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    SystemRandom::new().fill(&mut buf).expect("random source");
    hex(&buf)
}

pub(crate) fn token_hash(token: &str) -> String {
    lvzhi_domain::ids::sha256_hex(token.as_bytes())
}

pub(crate) fn derive(password: &str, salt: &[u8], rounds: u32) -> [u8; 32] {
    let mut out = [0u8; 32];
    let rounds = NonZeroU32::new(rounds).expect("rounds > 0");
    pbkdf2::derive(pbkdf2::PBKDF2_HMAC_SHA256, rounds, salt, password.as_bytes(), &mut out);
    out
}

/// Creates (or replaces) the login of a person.
pub fn create_account(tx: &Transaction<'_>, person_id: &str, login: &str, password: &str) -> lvzhi_store::Result<()> {
    if password.chars().count() < 8 {
        return Err(lvzhi_store::Error::Invalid("密码至少8位".into()));
    }
    let mut salt = [0u8; 16];
    SystemRandom::new().fill(&mut salt).expect("random source");
    let hash = derive(password, &salt, PBKDF2_ROUNDS);
    tx.execute(
        "INSERT INTO accounts (person_id, login, salt, hash, iterations) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (person_id) DO UPDATE SET login = excluded.login, salt = excluded.salt, hash = excluded.hash, iterations = excluded.iterations",
        params![person_id, login, &salt[..], &hash[..], PBKDF2_ROUNDS],
    )?;
    Ok(())
}

/// Why a login is refused before the password is even checked.
pub(crate) fn throttle(conn: &Connection, login: &str, now: Timestamp) -> lvzhi_store::Result<Option<i64>> {
    let hour_ago = to_millis(now - Duration::hours(1));
    let (count, last): (i64, Option<i64>) = conn.query_row(
        "SELECT count(*), max(at) FROM login_failures WHERE login = ?1 AND at > ?2",
        params![login, hour_ago],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if count >= MAX_FAILURES_PER_HOUR {
        return Ok(Some(3600));
    }
    if count >= FREE_FAILURES {
        let wait_secs = (1i64 << (count - FREE_FAILURES).min(8)).min(300);
        let ready_at = last.unwrap_or(0) + wait_secs * 1000;
        if to_millis(now) < ready_at {
            return Ok(Some((ready_at - to_millis(now)) / 1000 + 1));
        }
    }
    Ok(None)
}

fn issue_tokens(
    tx: &Transaction<'_>,
    app: &AppState,
    person_id: &str,
    session_id: &str,
    now: Timestamp,
    access_ttl: Duration,
) -> lvzhi_store::Result<Tokens> {
    let access = random_hex(32);
    let refresh = random_hex(32);
    let access_expires = now + access_ttl;
    tx.execute(
        "UPDATE auth_sessions SET access_hash = ?2, access_expires_at = ?3, refresh_hash = ?4, refresh_expires_at = ?5,
             last_seen_at = ?6 WHERE id = ?1",
        params![
            session_id,
            token_hash(&access),
            to_millis(access_expires),
            token_hash(&refresh),
            to_millis(now + app.config.refresh_ttl),
            to_millis(now)
        ],
    )?;
    Ok(Tokens {
        access_token: access,
        refresh_token: refresh,
        access_expires_at: to_millis(access_expires),
        session_id: session_id.to_string(),
        person_id: person_id.to_string(),
        grants: org::roles_of(tx, person_id)?,
    })
}

/// Refuses an address or account over its token bucket, with the wait and an audit entry.
pub(crate) fn limit<K: std::hash::Hash + Eq + Clone>(
    app: &AppState,
    limiter: &crate::limits::Limiter<K>,
    key: &K,
    who: Who<'_>,
    what: &str,
) -> Result<(), ApiError> {
    limiter.check(key).map_err(|wait| {
        audit::record_now(&app.store, (app.clock)(), Event::LoginThrottled, who, what);
        ApiError::too_many(wait, format!("{what}过于频繁，请{}秒后再试", wait.as_secs().max(1)))
    })
}

pub async fn login(
    State(app): State<Arc<AppState>>,
    addr: ClientAddr,
    Json(req): Json<LoginRequest>,
) -> Result<Json<Tokens>, ApiError> {
    let ttl = app.config.access_ttl;
    sign_in(&app, addr, req, ttl).await.map(Json)
}

/// An account as stored: person, salt, hash, rounds, and whether it is disabled.
type StoredAccount = (String, Vec<u8>, Vec<u8>, u32, bool);

/// Checks a login and password under the login limits and opens a session whose access token
/// lasts `access_ttl`: the phones' `/v1/login` and the console's login page alike.
pub async fn sign_in(
    app: &Arc<AppState>,
    addr: ClientAddr,
    req: LoginRequest,
    access_ttl: Duration,
) -> Result<Tokens, ApiError> {
    let now = (app.clock)();
    let who = Who { address: addr.0, ..Who::default() };
    if let Some(ip) = addr.0 {
        limit(app, &app.auth_by_address, &ip, who, "登录")?;
    }
    limit(app, &app.login_by_account, &req.login, who, "登录")?;
    // Hashing is the expensive part: no more at once than cores; the rest wait their turn.
    let _permit = app.hashing.acquire().await.map_err(ApiError::internal)?;
    let app2 = app.clone();
    tokio::task::spawn_blocking(move || -> Result<Tokens, ApiError> {
        let app = app2;
        if let Some(wait) = app.store.read(|c| throttle(c, &req.login, now))? {
            audit::record_now(&app.store, now, Event::LoginThrottled, who, &format!("账号 {}", req.login));
            return Err(ApiError::too_many(
                std::time::Duration::from_secs(wait as u64),
                format!("登录失败次数过多，请{wait}秒后再试"),
            ));
        }
        let account: Option<StoredAccount> = app.store.read(|c| {
            c.query_row(
                "SELECT person_id, salt, hash, iterations, disabled_at IS NOT NULL FROM accounts WHERE login = ?1",
                [&req.login],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()
            .map_err(lvzhi_store::Error::from)
        })?;
        // Unknown logins cost the same as wrong passwords: no timing oracle.
        let ok = match &account {
            Some((_, salt, hash, rounds, _)) => {
                let rounds = NonZeroU32::new(*rounds).expect("stored rounds > 0");
                pbkdf2::verify(pbkdf2::PBKDF2_HMAC_SHA256, rounds, salt, req.password.as_bytes(), hash).is_ok()
            }
            None => {
                derive(&req.password, b"no-such-account!", PBKDF2_ROUNDS);
                false
            }
        };
        let known = account.as_ref().map(|(p, ..)| p.clone());
        let Some((person_id, .., disabled)) = account.filter(|_| ok) else {
            app.store.write(|tx| {
                tx.execute(
                    "INSERT INTO login_failures (login, at) VALUES (?1, ?2)",
                    params![req.login, to_millis(now)],
                )?;
                let who = Who { person: known.as_deref(), ..who };
                audit::record(tx, now, Event::LoginFailed, who, &format!("账号 {}", req.login))
            })?;
            return Err(ApiError::new(StatusCode::UNAUTHORIZED, "账号或密码错误"));
        };
        if disabled {
            // Only someone who knows the password learns that the account is disabled.
            return Err(ApiError::forbidden("该账号已停用，请联系本组织管理员"));
        }
        let tokens = app.store.write(|tx| {
            tx.execute("DELETE FROM login_failures WHERE login = ?1", [&req.login])?;
            let session_id = new_id();
            let device: String = req.device_name.chars().take(64).collect();
            tx.execute(
                "INSERT INTO auth_sessions (id, person_id, device_name, access_hash, access_expires_at, refresh_hash,
                     refresh_expires_at, created_at, last_seen_at)
                 VALUES (?1, ?2, ?3, ?4, 0, ?5, 0, ?6, ?6)",
                params![session_id, person_id, device, new_id(), new_id(), to_millis(now)],
            )?;
            let who = Who { person: Some(&person_id), ..who };
            audit::record(tx, now, Event::LoginSucceeded, who, &format!("设备 {device}"))?;
            issue_tokens(tx, &app, &person_id, &session_id, now, access_ttl)
        })?;
        tracing::info!(person = %tokens.person_id, "login");
        Ok(tokens)
    })
    .await
    .map_err(ApiError::internal)?
}

/// What a refresh token turned out to be.
enum Refresh {
    Fresh(Tokens),
    /// Rotated away before: someone else holds a copy. The session is revoked.
    Reused,
    Unknown,
}

pub async fn refresh(
    State(app): State<Arc<AppState>>,
    addr: ClientAddr,
    Json(req): Json<RefreshRequest>,
) -> Result<Json<Tokens>, ApiError> {
    let now = (app.clock)();
    if let Some(ip) = addr.0 {
        limit(&app, &app.auth_by_address, &ip, Who { address: addr.0, ..Who::default() }, "刷新登录")?;
    }
    let app2 = app.clone();
    let hash = token_hash(&req.refresh_token);
    let outcome = tokio::task::spawn_blocking(move || {
        app2.store.write(|tx| {
            let session: Option<(String, String, String)> = tx
                .query_row(
                    "SELECT id, person_id, refresh_hash FROM auth_sessions
                     WHERE refresh_hash = ?1 AND revoked_at IS NULL AND refresh_expires_at > ?2",
                    params![hash, to_millis(now)],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            if let Some((session_id, person_id, old)) = session {
                tx.execute(
                    "INSERT INTO retired_refresh_tokens (hash, session_id, retired_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                    params![old, session_id, to_millis(now)],
                )?;
                return Ok(Refresh::Fresh(issue_tokens(tx, &app2, &person_id, &session_id, now, app2.config.access_ttl)?));
            }
            let retired: Option<(String, String)> = tx
                .query_row(
                    "SELECT s.id, s.person_id FROM retired_refresh_tokens r JOIN auth_sessions s ON s.id = r.session_id
                     WHERE r.hash = ?1",
                    [&hash],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let Some((session_id, person_id)) = retired else { return Ok(Refresh::Unknown) };
            tx.execute(
                "UPDATE auth_sessions SET revoked_at = ?2, revoked_reason = 'refresh_reused' WHERE id = ?1 AND revoked_at IS NULL",
                params![session_id, to_millis(now)],
            )?;
            crate::push::devices::forget_session(tx, &session_id)?;
            let who = Who { person: Some(&person_id), address: addr.0, ..Who::default() };
            audit::record(tx, now, Event::RefreshReused, who, &format!("会话 {session_id}"))?;
            Ok::<_, lvzhi_store::Error>(Refresh::Reused)
        })
    })
    .await
    .map_err(ApiError::internal)??;
    // The rotated (or revoked) session's old access token must not be taken from memory.
    app.idle.forget_sessions();
    match outcome {
        Refresh::Fresh(tokens) => Ok(Json(tokens)),
        Refresh::Reused => {
            tracing::warn!("a rotated refresh token was used again; its session is revoked");
            Err(ApiError::unauthorized())
        }
        Refresh::Unknown => Err(ApiError::unauthorized()),
    }
}

/// The person behind a valid access token.
#[derive(Debug, Clone)]
pub struct Authed {
    pub person_id: String,
    pub session_id: String,
}

impl FromRequestParts<Arc<AppState>> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(ApiError::unauthorized)?;
        let hash = token_hash(token);
        let now = to_millis((app.clock)());
        if let Some(s) = app.idle.session(&hash).filter(|s| s.access_expires_at > now) {
            return Ok(Authed { person_id: s.person_id, session_id: s.session_id });
        }
        // One indexed lookup: quick enough to run here, without a trip to the blocking pool.
        let found: Option<CachedSession> = app.store.read(|c| {
            c.prepare_cached(
                "SELECT id, person_id, access_expires_at FROM auth_sessions
                 WHERE access_hash = ?1 AND revoked_at IS NULL AND access_expires_at > ?2",
            )
            .and_then(|mut s| {
                s.query_row(params![hash, now], |r| {
                    Ok(CachedSession { session_id: r.get(0)?, person_id: r.get(1)?, access_expires_at: r.get(2)? })
                })
                .optional()
            })
            .map_err(lvzhi_store::Error::from)
        })?;
        let s = found.ok_or_else(ApiError::unauthorized)?;
        app.idle.remember_session(hash, s.clone());
        Ok(Authed { person_id: s.person_id, session_id: s.session_id })
    }
}

pub async fn logout(State(app): State<Arc<AppState>>, who: Authed, addr: ClientAddr) -> Result<StatusCode, ApiError> {
    revoke(&app, &who, &who.session_id, addr, "退出登录")?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn list_sessions(State(app): State<Arc<AppState>>, who: Authed) -> Result<Json<Vec<SessionInfo>>, ApiError> {
    let sessions = app.store.read(|c| {
        let mut stmt = c.prepare(
            "SELECT id, device_name, created_at, last_seen_at FROM auth_sessions
             WHERE person_id = ?1 AND revoked_at IS NULL ORDER BY created_at",
        )?;
        let rows = stmt.query_map([&who.person_id], |r| {
            let id: String = r.get(0)?;
            Ok(SessionInfo {
                current: id == who.session_id,
                id,
                device_name: r.get(1)?,
                created_at: r.get(2)?,
                last_seen_at: r.get(3)?,
            })
        })?;
        rows.collect::<lvzhi_sql::Result<Vec<_>>>().map_err(lvzhi_store::Error::from)
    })?;
    Ok(Json(sessions))
}

pub async fn revoke_session(
    State(app): State<Arc<AppState>>,
    who: Authed,
    addr: ClientAddr,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    revoke(&app, &who, &id, addr, "在其他设备上注销")?;
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) fn revoke(
    app: &AppState,
    who: &Authed,
    session_id: &str,
    addr: ClientAddr,
    how: &str,
) -> Result<(), ApiError> {
    let at = (app.clock)();
    let changed = app.store.write(|tx| {
        let changed = tx.execute(
            "UPDATE auth_sessions SET revoked_at = ?3, revoked_reason = ?4 WHERE id = ?1 AND person_id = ?2 AND revoked_at IS NULL",
            params![session_id, who.person_id, to_millis(at), how],
        )?;
        if changed > 0 {
            // The device of an ended session is reached by push no more.
            crate::push::devices::forget_session(tx, session_id)?;
            let entry = Who { person: Some(&who.person_id), address: addr.0, ..Who::default() };
            audit::record(tx, at, Event::SessionRevoked, entry, &format!("{how}：会话 {session_id}"))?;
        }
        Ok::<_, lvzhi_store::Error>(changed)
    })?;
    app.idle.forget_sessions();
    if changed == 0 {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "没有该登录设备"));
    }
    Ok(())
}

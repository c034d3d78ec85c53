//! Who is at the console: a browser's session is an ordinary session of the person (listed
//! with their phones, revoked the same way), whose access token lives only in an HttpOnly,
//! SameSite=Strict cookie (Secure under TLS). It ends after [`IDLE`] without a request or
//! [`LIFETIME`] after login, whichever comes first. Every form carries a CSRF token derived
//! from the session's token, which a page of another site can neither read nor compute.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Duration;
use lvzhi_domain::org::{Actor, Role, RoleGrant};
use lvzhi_domain::time::to_millis;
use lvzhi_sql::{OptionalExtension, params};
use lvzhi_store::org;

use crate::AppState;
use crate::auth::token_hash;
use crate::error::ApiError;

pub const COOKIE: &str = "lvzhi_console";
/// A console left alone this long asks for the password again (an office PC left unlocked).
pub const IDLE: Duration = Duration::minutes(30);
/// However busy, a console session lasts at most a working day.
pub const LIFETIME: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often, not on every page.
const TOUCH_EVERY_MS: i64 = 60_000;

/// The person signed in at this browser, with their roles.
#[derive(Debug, Clone)]
pub struct ConsoleUser {
    pub person_id: String,
    pub session_id: String,
    pub name: String,
    pub grants: Vec<RoleGrant>,
    /// What every form of this session must send back.
    pub csrf: String,
    /// The browser's address, for the audit log.
    pub address: Option<std::net::IpAddr>,
}

impl ConsoleUser {
    pub fn actors(&self) -> Vec<Actor> {
        self.grants.iter().map(Actor::from).collect()
    }

    /// The organisations this person is staff (提案工作人员 or administrator) of.
    pub fn staff_orgs(&self) -> Vec<String> {
        let mut orgs: Vec<String> =
            self.grants.iter().filter(|g| g.role.is_staff()).map(|g| g.org_id.clone()).collect();
        orgs.dedup();
        orgs
    }

    /// The organisations this person is staff of, with their names (what "发布组织" offers).
    pub fn staff_org_names(&self, c: &lvzhi_sql::Connection) -> lvzhi_store::Result<Vec<(String, String)>> {
        self.staff_orgs()
            .into_iter()
            .map(|o| Ok((org::organisation_name(c, &o)?, o)))
            .map(|r| r.map(|(n, o)| (o, n)))
            .collect()
    }

    pub fn is_staff_of(&self, org_id: &str) -> bool {
        self.grants.iter().any(|g| g.role.is_staff() && g.org_id == org_id)
    }

    pub fn is_admin_of(&self, org_id: &str) -> bool {
        self.grants.iter().any(|g| g.role == Role::OrgAdmin && g.org_id == org_id)
    }

    pub fn admin_orgs(&self) -> Vec<String> {
        self.grants.iter().filter(|g| g.role == Role::OrgAdmin).map(|g| g.org_id.clone()).collect()
    }

    /// The handling units this person answers for.
    pub fn units(&self) -> Vec<(String, String)> {
        self.grants
            .iter()
            .filter(|g| g.role == Role::UnitUser)
            .filter_map(|g| g.unit_id.clone().map(|u| (g.org_id.clone(), u)))
            .collect()
    }

    /// Whether the console has anything for this person: members use the phone app.
    pub fn works_here(&self) -> bool {
        self.grants.iter().any(|g| g.role != Role::Member)
    }

    /// Checks a posted form's CSRF token.
    pub fn check_csrf(&self, sent: Option<&str>) -> Result<(), ApiError> {
        let ok = sent.is_some_and(|s| constant_time_eq(s.as_bytes(), self.csrf.as_bytes()));
        if ok {
            Ok(())
        } else {
            Err(ApiError::forbidden("表单已失效（安全令牌不符），请返回页面刷新后再提交"))
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A fresh id for one rendered form: the client id its one mutation is pushed under, so a form
/// submitted twice applies once (`act.rs`).
pub fn new_form_id() -> String {
    crate::auth::random_hex(16)
}

/// The CSRF token of a session token: a keyed hash only the holder of the cookie can compute.
pub fn csrf_of(token: &str) -> String {
    lvzhi_domain::ids::sha256_hex(format!("lvzhi-console-csrf\0{token}").as_bytes())
}

/// The session cookie's value in a request.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == COOKIE && !value.is_empty()).then(|| value.to_string())
    })
}

/// `Set-Cookie` for a new session (or, with an empty token, the cookie's removal).
pub fn set_cookie(token: &str, secure: bool) -> String {
    let max_age = if token.is_empty() { 0 } else { LIFETIME.num_seconds() };
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}={token}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// Where a request without a live session goes: the login page, back here afterwards.
pub struct SignInFirst {
    next: String,
    expired: bool,
}

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        let mut to = format!("/console/login?next={}", super::url::encode(&self.next));
        if self.expired {
            to.push_str("&expired=1");
        }
        Redirect::to(&to).into_response()
    }
}

impl FromRequestParts<Arc<AppState>> for ConsoleUser {
    type Rejection = SignInFirst;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        // Only a page is worth coming back to after login; a form's target is not.
        let next = if parts.method == axum::http::Method::GET {
            parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default()
        } else {
            "/console".to_string()
        };
        let Some(token) = cookie_token(&parts.headers) else {
            return Err(SignInFirst { next, expired: false });
        };
        let now = to_millis((app.clock)());
        let hash = token_hash(&token);
        let found = app
            .store
            .read(|c| {
                let row: Option<(String, String, i64)> = c
                    .query_row(
                        "SELECT id, person_id, last_seen_at FROM auth_sessions
                         WHERE access_hash = ?1 AND revoked_at IS NULL AND access_expires_at > ?2
                           AND last_seen_at > ?3",
                        params![hash, now, now - IDLE.num_milliseconds()],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .optional()?;
                let Some((session_id, person_id, seen)) = row else { return Ok(None) };
                let name = org::person_name(c, &person_id)?;
                let grants = org::roles_of(c, &person_id)?;
                Ok::<_, lvzhi_store::Error>(Some((session_id, person_id, seen, name, grants)))
            })
            .ok()
            .flatten();
        let Some((session_id, person_id, seen, name, grants)) = found else {
            return Err(SignInFirst { next, expired: true });
        };
        if now - seen > TOUCH_EVERY_MS {
            let touched = app.store.write(|tx| {
                tx.execute("UPDATE auth_sessions SET last_seen_at = ?2 WHERE id = ?1", params![session_id, now])?;
                Ok::<_, lvzhi_store::Error>(())
            });
            if let Err(e) = touched {
                tracing::warn!("console session not touched: {e}");
            }
        }
        let address = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
        Ok(ConsoleUser { person_id, session_id, name, grants, csrf: csrf_of(&token), address })
    }
}

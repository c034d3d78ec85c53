//! The audit log: logins (succeeded and failed, with the client's address), session
//! revocations (logout, by the user, or for a reused refresh token), refusals for lack of
//! permission, role changes and bootstrap loads. Written in its own table, which a trigger
//! keeps append-only; an organisation's administrators read it (`audit_log.rs`,
//! `GET /v1/audit`).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use lvzhi_domain::time::{Timestamp, to_millis};
use lvzhi_sql::{Transaction, params};

use crate::db::Db;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    LoginSucceeded,
    LoginFailed,
    LoginThrottled,
    SessionRevoked,
    RefreshReused,
    PermissionRefused,
    RoleGranted,
    RoleRevoked,
    BootstrapLoaded,
    BackupRestored,
    /// An action taken at the web console (what, on which item).
    ConsoleAction,
    AccountCreated,
    AccountActivated,
    /// A new activation code for an account (a forgotten password, a lost code).
    AccountReset,
    AccountDisabled,
    AccountEnabled,
    /// An organisation's settings changed, or a session (届次会议) added, at the console.
    OrgSettingsChanged,
    SessionAdded,
    /// A backup taken (its file and size), for the backup status page.
    BackupMade,
}

impl Event {
    pub fn code(self) -> &'static str {
        match self {
            Event::LoginSucceeded => "login_succeeded",
            Event::LoginFailed => "login_failed",
            Event::LoginThrottled => "login_throttled",
            Event::SessionRevoked => "session_revoked",
            Event::RefreshReused => "refresh_reused",
            Event::PermissionRefused => "permission_refused",
            Event::RoleGranted => "role_granted",
            Event::RoleRevoked => "role_revoked",
            Event::BootstrapLoaded => "bootstrap_loaded",
            Event::BackupRestored => "backup_restored",
            Event::ConsoleAction => "console_action",
            Event::AccountCreated => "account_created",
            Event::AccountActivated => "account_activated",
            Event::AccountReset => "account_reset",
            Event::AccountDisabled => "account_disabled",
            Event::AccountEnabled => "account_enabled",
            Event::OrgSettingsChanged => "org_settings_changed",
            Event::SessionAdded => "session_added",
            Event::BackupMade => "backup_made",
        }
    }

    pub fn label(code: &str) -> &'static str {
        match code {
            "login_succeeded" => "登录成功",
            "login_failed" => "登录失败",
            "login_throttled" => "登录过于频繁被拒绝",
            "session_revoked" => "登录设备被注销",
            "refresh_reused" => "刷新令牌被重复使用，会话已注销",
            "permission_refused" => "越权访问被拒绝",
            "role_granted" => "授予角色",
            "role_revoked" => "撤销角色",
            "bootstrap_loaded" => "导入组织和人员",
            "backup_restored" => "从备份恢复数据库",
            "console_action" => "在工作台办理",
            "account_created" => "新建账号",
            "account_activated" => "账号激活并设置密码",
            "account_reset" => "重置账号（新激活码）",
            "account_disabled" => "停用账号",
            "account_enabled" => "启用账号",
            "org_settings_changed" => "修改组织设置",
            "session_added" => "新增会议（届次）",
            "backup_made" => "备份数据库",
            _ => "其他",
        }
    }
}

/// Someone or something the entry is about.
#[derive(Debug, Clone, Copy, Default)]
pub struct Who<'a> {
    pub person: Option<&'a str>,
    pub org: Option<&'a str>,
    pub address: Option<IpAddr>,
}

/// Appends an entry inside the caller's transaction.
pub fn record(
    tx: &Transaction<'_>,
    at: Timestamp,
    event: Event,
    who: Who<'_>,
    detail: &str,
) -> lvzhi_store::Result<()> {
    tx.prepare_cached(
        "INSERT INTO audit_log (at, kind, person_id, org_id, address, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        to_millis(at),
        event.code(),
        who.person,
        who.org,
        who.address.map(|a| a.to_string()),
        detail
    ])?;
    Ok(())
}

/// Appends an entry in its own transaction (after a refusal, whose own writes rolled back).
pub fn record_now(store: &Db, at: Timestamp, event: Event, who: Who<'_>, detail: &str) {
    if let Err(e) = store.write(|tx| record(tx, at, event, who, detail)) {
        tracing::error!("audit entry {} not written: {e}", event.code());
    }
}

/// The client's address, where the server knows it.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}

//! `GET /v1/audit`: an organisation's administrators read its audit log (`audit.rs` writes
//! it). Apart from the log itself, which the login and session routes write to.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use lvzhi_domain::org::Role;
use lvzhi_domain::protocol::AuditEntry;
use lvzhi_sql::params;
use lvzhi_store::org;

use crate::AppState;
use crate::audit::{ClientAddr, Event, Who, record_now};
use crate::auth::Authed;
use crate::error::ApiError;

#[derive(serde::Deserialize)]
pub struct AuditQuery {
    org: String,
    #[serde(default = "default_limit")]
    limit: u32,
}

fn default_limit() -> u32 {
    100
}

/// `GET /v1/audit?org=ID&limit=N`: the newest entries about an organisation and its people,
/// for that organisation's administrators only.
pub async fn list(
    State(app): State<Arc<AppState>>,
    who: Authed,
    addr: ClientAddr,
    crate::query::Params(q): crate::query::Params<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let limit = crate::query::in_range("limit", q.limit, 1..=1000)?;
    let admin = app
        .store
        .read(|c| org::roles_of(c, &who.person_id))?
        .iter()
        .any(|g| g.role == Role::OrgAdmin && g.org_id == q.org);
    if !admin {
        let who_ = Who { person: Some(&who.person_id), org: Some(&q.org), address: addr.0 };
        record_now(&app.store, (app.clock)(), Event::PermissionRefused, who_, "查看审计日志");
        return Err(ApiError::forbidden("只有本组织的管理员可以查看审计日志"));
    }
    let entries = app.store.read(|c| entries(c, &q.org, limit))?;
    Ok(Json(entries))
}

/// The newest `limit` entries about `org_id` and its people, newest first.
pub fn entries(c: &lvzhi_sql::Connection, org_id: &str, limit: u32) -> lvzhi_store::Result<Vec<AuditEntry>> {
    let mut stmt = c.prepare_cached(
        "SELECT a.seq, a.at, a.kind, a.person_id, p.name, a.org_id, a.address, a.detail
         FROM audit_log a LEFT JOIN people p ON p.id = a.person_id
         WHERE a.org_id = ?1 OR a.person_id IN (SELECT person_id FROM role_grants WHERE org_id = ?1)
         ORDER BY a.seq DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![org_id, limit], |r| {
        let kind: String = r.get(2)?;
        Ok(AuditEntry {
            seq: r.get::<_, i64>(0)? as u64,
            at_ms: r.get(1)?,
            kind_label: Event::label(&kind).to_string(),
            kind,
            person_id: r.get(3)?,
            person_name: r.get(4)?,
            org_id: r.get(5)?,
            address: r.get(6)?,
            detail: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<lvzhi_sql::Result<Vec<_>>>()?)
}

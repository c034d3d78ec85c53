//! The consultation routes that are not mutations: 社情民意 statistics for staff of an
//! organisation (its own and every organisation's under it, by month), counted on the server
//! because a province's phones never hold the counties' reports.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use lvzhi_domain::consult::report::StatsRow;
use lvzhi_store::{consult, org};
use serde::Deserialize;

use crate::AppState;
use crate::auth::Authed;
use crate::error::ApiError;

#[derive(Debug, Deserialize)]
pub struct StatsQuery {
    org: String,
}

/// `GET /v1/reports/stats?org=ID`: staff of that organisation or of one above it.
pub async fn report_stats(
    State(app): State<Arc<AppState>>,
    who: Authed,
    crate::query::Params(q): crate::query::Params<StatsQuery>,
) -> Result<Json<Vec<StatsRow>>, ApiError> {
    let rows = app.store.read(|c| {
        let grants = org::roles_of(c, &who.person_id)?;
        let chain: Vec<String> = org::ancestry(c, &q.org)?.into_iter().map(|o| o.id).collect();
        if !grants.iter().any(|g| chain.contains(&g.org_id) && g.role.is_staff()) {
            return Ok(None);
        }
        consult::stats::report_stats(c, &q.org).map(Some)
    })?;
    rows.map(Json).ok_or_else(|| ApiError::forbidden("只有本组织工作人员可以查看社情民意统计"))
}

//! The duty routes that are not mutations: a meeting's signed check-in code (the private key
//! never leaves the server) and a member's duty record as the server computes it (the same
//! function as the phone's, over the server's facts), for staff and for the member.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use lvzhi_domain::duty::record::{DutyRecord, RecordReader};
use lvzhi_domain::org::{Actor, Role};
use lvzhi_domain::protocol::{CheckInCodeRequest, CheckInCodeResponse};
use lvzhi_domain::time::to_millis;
use lvzhi_store::duty;
use lvzhi_store::org;
use serde::Deserialize;

use crate::AppState;
use crate::auth::Authed;
use crate::error::ApiError;
use crate::query::{Params, in_range};

/// `POST /v1/meetings/{id}/check-in-code`: staff of the meeting's organisation only.
pub async fn check_in_code(
    State(app): State<Arc<AppState>>,
    who: Authed,
    Path(meeting_id): Path<String>,
    Json(req): Json<CheckInCodeRequest>,
) -> Result<Json<CheckInCodeResponse>, ApiError> {
    let now = to_millis((app.clock)());
    let code = app.store.write(|tx| {
        let m = duty::repo::meeting(tx, &meeting_id)?.ok_or(lvzhi_store::Error::NotFound { what: "会议活动" })?;
        let actor = org::roles_of(tx, &who.person_id)?
            .iter()
            .map(Actor::from)
            .find(|a| a.is_staff_of(&m.org_id))
            .ok_or(lvzhi_domain::duty::DutyError::NotStaff)?;
        duty::service::issue_check_in_code(tx, &actor, &meeting_id, req.not_before_ms, req.not_after_ms, now)
    })?;
    Ok(Json(CheckInCodeResponse { code }))
}

#[derive(Debug, Deserialize)]
pub struct RecordQuery {
    person: String,
    org: String,
    year: i32,
}

/// `GET /v1/duty/record?person=ID&org=ID&year=N`: a member of the organisation, read by
/// themself (with their study) or by the organisation's staff (without it).
pub async fn record(
    State(app): State<Arc<AppState>>,
    who: Authed,
    Params(q): Params<RecordQuery>,
) -> Result<Json<DutyRecord>, ApiError> {
    let year = in_range("年份", q.year, lvzhi_store::record::RECORD_YEARS)?;
    let now_ms = lvzhi_domain::time::to_millis((app.clock)());
    let record = app.store.read(|c| {
        // The person's membership is part of the check: staff of one organisation read the
        // records of its own members only.
        let member = org::roles_of(c, &q.person)?.iter().any(|g| g.org_id == q.org && g.role == Role::Member);
        let reader = if who.person_id == q.person {
            RecordReader::Own
        } else if org::roles_of(c, &who.person_id)?.iter().any(|g| Actor::from(g).is_staff_of(&q.org)) {
            RecordReader::Others
        } else {
            return Ok(None);
        };
        if !member {
            return Ok(None);
        }
        lvzhi_store::record::record_of(c, &q.person, &q.org, year, reader, now_ms).map(Some)
    })?;
    record.map(Json).ok_or_else(|| ApiError::forbidden("只能查看本人或本组织委员的履职档案"))
}

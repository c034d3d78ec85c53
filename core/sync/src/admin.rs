//! What the apps ask the server directly, outside sync: the audit log (administrators), a
//! meeting's signed check-in code (staff; the private key never leaves the server) and the
//! server's computation of a duty record. An expired access token is refreshed once, as sync
//! does.

use lvzhi_domain::duty::record::DutyRecord;
use lvzhi_domain::protocol::{AuditEntry, CheckInCodeRequest, CheckInCodeResponse};
use serde::de::DeserializeOwned;

use crate::engine::SyncClient;
use crate::error::{Error, Result};
use crate::transport::RequestBody;

impl SyncClient {
    async fn get_with_refresh<T: DeserializeOwned>(&self, path: &str) -> Result<T> {
        for attempt in 0..2 {
            let token = self.access_token()?.ok_or(Error::Unauthorized)?;
            match self.transport.get_authed(path, &token).await {
                Err(Error::Unauthorized) if attempt == 0 => self.refresh().await?,
                other => return other,
            }
        }
        Err(Error::Unauthorized)
    }

    async fn post_with_refresh<T: DeserializeOwned>(&self, path: &str, body: &RequestBody) -> Result<T> {
        for attempt in 0..2 {
            let token = self.access_token()?.ok_or(Error::Unauthorized)?;
            match self.transport.post_authed(path, &token, body).await {
                Err(Error::Unauthorized) if attempt == 0 => self.refresh().await?,
                other => return other,
            }
        }
        Err(Error::Unauthorized)
    }

    /// The newest `limit` audit entries about `org_id` and its people (administrators only;
    /// others are refused by the server).
    pub async fn audit_log(&self, org_id: &str, limit: u32) -> Result<Vec<AuditEntry>> {
        // The server answers at most 1,000 entries a request and refuses more.
        let limit = limit.clamp(1, 1000);
        self.get_with_refresh(&format!("/v1/audit?org={org_id}&limit={limit}")).await
    }

    /// Staff ask the server for a meeting's signed check-in code (needs the network once, before
    /// the meeting; the code then works with no network at the venue).
    pub async fn check_in_code(&self, meeting_id: &str, not_before_ms: i64, not_after_ms: i64) -> Result<String> {
        let body = RequestBody::encode(&CheckInCodeRequest { not_before_ms, not_after_ms })?;
        let path = format!("/v1/meetings/{meeting_id}/check-in-code");
        let resp: CheckInCodeResponse = self.post_with_refresh(&path, &body).await?;
        Ok(resp.code)
    }

    /// 社情民意 statistics of `org_id` and every organisation under it, by month (its staff).
    pub async fn report_stats(&self, org_id: &str) -> Result<Vec<lvzhi_domain::consult::report::StatsRow>> {
        self.get_with_refresh(&format!("/v1/reports/stats?org={org_id}")).await
    }

    /// The sectors this member convenes, with their activity by organisation and month (counts
    /// only; empty for a member who convenes none).
    pub async fn sector_activity(&self) -> Result<Vec<lvzhi_domain::liaison::contacts::SectorReport>> {
        self.get_with_refresh("/v1/liaison/sector-activity").await
    }

    /// A member's duty record as the server computes it (the member, or staff of `org_id`).
    pub async fn server_duty_record(&self, person_id: &str, org_id: &str, year: i32) -> Result<DutyRecord> {
        self.get_with_refresh(&format!("/v1/duty/record?person={person_id}&org={org_id}&year={year}")).await
    }
}

//! What organisation administrators read from the server directly (never kept on the phone):
//! the audit log.

use lvzhi_domain::protocol::AuditEntry;

use crate::engine::SyncClient;
use crate::error::{Error, Result};

impl SyncClient {
    /// The newest `limit` audit entries about `org_id` and its people (administrators only;
    /// others are refused by the server).
    pub async fn audit_log(&self, org_id: &str, limit: u32) -> Result<Vec<AuditEntry>> {
        let token = self.access_token()?.ok_or(Error::Unauthorized)?;
        let path = format!("/v1/audit?org={org_id}&limit={limit}");
        self.transport.get_authed(&path, &token).await
    }
}

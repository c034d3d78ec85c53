//! APNs (placeholder: the adapter is being written).

use serde::Deserialize;

use crate::push::vendors::{Delivery, Outgoing};

pub const MAX_BATCH: usize = 64;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApnsConfig {
    pub team_id: String,
    pub key_id: String,
    /// The .p8 file Apple gives (PKCS#8 PEM).
    pub key_file: std::path::PathBuf,
    /// The app's bundle id (apns-topic).
    pub topic: String,
    /// https://api.push.apple.com (production) or https://api.sandbox.push.apple.com.
    pub endpoint: Option<String>,
}

pub struct Apns {
    #[allow(dead_code)]
    config: ApnsConfig,
}

impl Apns {
    pub fn new(config: ApnsConfig) -> Result<Apns, String> {
        Ok(Apns { config })
    }

    pub async fn send(&self, batch: &[Outgoing]) -> Vec<Delivery> {
        batch.iter().map(|_| Delivery::Failed { reason: "not implemented".into() }).collect()
    }
}

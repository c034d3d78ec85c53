//! OPPO Push (placeholder: the adapter is being written).

use serde::Deserialize;

use crate::push::secret::Secret;
use crate::push::vendors::{Delivery, Outgoing};

pub const MAX_BATCH: usize = 1000;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OppoConfig {
    pub app_key: String,
    pub master_secret: Secret,
    /// The 私信 channel registered in the OPPO console (work messages).
    pub channel_id: Option<String>,
    pub endpoint: Option<String>,
}

pub struct Oppo {
    #[allow(dead_code)]
    config: OppoConfig,
}

impl Oppo {
    pub fn new(config: OppoConfig) -> Result<Oppo, String> {
        Ok(Oppo { config })
    }

    pub async fn send(&self, batch: &[Outgoing]) -> Vec<Delivery> {
        batch.iter().map(|_| Delivery::Failed { reason: "not implemented".into() }).collect()
    }
}

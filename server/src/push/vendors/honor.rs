//! Honor Push (placeholder: the adapter is being written).

use serde::Deserialize;

use crate::push::secret::Secret;
use crate::push::vendors::{Delivery, Outgoing};

pub const MAX_BATCH: usize = 1000;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HonorConfig {
    pub app_id: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub token_url: Option<String>,
    pub endpoint: Option<String>,
}

pub struct Honor {
    #[allow(dead_code)]
    config: HonorConfig,
}

impl Honor {
    pub fn new(config: HonorConfig) -> Result<Honor, String> {
        Ok(Honor { config })
    }

    pub async fn send(&self, batch: &[Outgoing]) -> Vec<Delivery> {
        batch.iter().map(|_| Delivery::Failed { reason: "not implemented".into() }).collect()
    }
}

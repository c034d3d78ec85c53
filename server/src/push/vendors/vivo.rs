//! vivo Push (placeholder: the adapter is being written).

use serde::Deserialize;

use crate::push::secret::Secret;
use crate::push::vendors::{Delivery, Outgoing};

pub const MAX_BATCH: usize = 1;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VivoConfig {
    pub app_id: String,
    pub app_key: String,
    pub app_secret: Secret,
    pub endpoint: Option<String>,
}

pub struct Vivo {
    #[allow(dead_code)]
    config: VivoConfig,
}

impl Vivo {
    pub fn new(config: VivoConfig) -> Result<Vivo, String> {
        Ok(Vivo { config })
    }

    pub async fn send(&self, batch: &[Outgoing]) -> Vec<Delivery> {
        batch.iter().map(|_| Delivery::Failed { reason: "not implemented".into() }).collect()
    }
}

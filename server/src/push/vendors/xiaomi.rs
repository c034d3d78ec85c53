//! Xiaomi MiPush (placeholder: the adapter is being written).

use serde::Deserialize;

use crate::push::secret::Secret;
use crate::push::vendors::{Delivery, Outgoing};

pub const MAX_BATCH: usize = 1000;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XiaomiConfig {
    pub app_secret: Secret,
    pub package_name: String,
    /// The 私信 channel registered in the Xiaomi console (work messages).
    pub channel_id: Option<String>,
    pub endpoint: Option<String>,
}

pub struct Xiaomi {
    #[allow(dead_code)]
    config: XiaomiConfig,
}

impl Xiaomi {
    pub fn new(config: XiaomiConfig) -> Result<Xiaomi, String> {
        Ok(Xiaomi { config })
    }

    pub async fn send(&self, batch: &[Outgoing]) -> Vec<Delivery> {
        batch.iter().map(|_| Delivery::Failed { reason: "not implemented".into() }).collect()
    }
}

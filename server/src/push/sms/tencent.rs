//! Tencent Cloud SMS (placeholder: the adapter is being written).

use serde::Deserialize;

use crate::push::secret::Secret;
use crate::push::sms::Sms;
use crate::push::vendors::Delivery;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TencentConfig {
    pub secret_id: String,
    pub secret_key: Secret,
    pub sdk_app_id: String,
    pub sign_name: String,
    pub template_id: String,
    /// ap-guangzhou unless given.
    pub region: Option<String>,
    pub endpoint: Option<String>,
}

pub struct Tencent {
    #[allow(dead_code)]
    config: TencentConfig,
}

impl Tencent {
    pub fn new(config: TencentConfig) -> Result<Tencent, String> {
        Ok(Tencent { config })
    }

    pub async fn send(&self, _sms: &Sms) -> Delivery {
        Delivery::Failed { reason: "not implemented".into() }
    }
}

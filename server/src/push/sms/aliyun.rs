//! Alibaba Cloud SMS (placeholder: the adapter is being written).

use serde::Deserialize;

use crate::push::secret::Secret;
use crate::push::sms::Sms;
use crate::push::vendors::Delivery;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AliyunConfig {
    pub access_key_id: String,
    pub access_key_secret: Secret,
    pub sign_name: String,
    pub template_code: String,
    pub endpoint: Option<String>,
}

pub struct Aliyun {
    #[allow(dead_code)]
    config: AliyunConfig,
}

impl Aliyun {
    pub fn new(config: AliyunConfig) -> Result<Aliyun, String> {
        Ok(Aliyun { config })
    }

    pub async fn send(&self, _sms: &Sms) -> Delivery {
        Delivery::Failed { reason: "not implemented".into() }
    }
}

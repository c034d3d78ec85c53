//! Tencent Cloud SMS, API 3.0 `SendSms` (version 2021-01-11), signed TC3-HMAC-SHA256: the
//! canonical request (`POST`, `/`, no query, the `content-type` and `host` headers, the
//! SHA-256 of the JSON body), the string to sign (`TC3-HMAC-SHA256`, the timestamp,
//! `{date}/sms/tc3_request`, the canonical request's SHA-256), and the key derived
//! `TC3 + SecretKey` → date → `sms` → `tc3_request`. Headers `X-TC-Action`, `X-TC-Timestamp`,
//! `X-TC-Version`, `X-TC-Region`; body `PhoneNumberSet` (+86…), `SmsSdkAppId`, `SignName`,
//! `TemplateId`, `TemplateParamSet` (the values in order), `SessionContext` = our message id.
//!
//! Per number, `Code` "Ok" is sent, `InvalidParameterValue.IncorrectPhoneNumber` is not a mobile
//! number, `LimitExceeded.*` (per-number frequency limits) is retried later; a request-level
//! `Error` `RequestLimitExceeded*`, `InternalError*` or `LimitExceeded*` is retried, anything
//! else (`AuthFailure.*`, a wrong template) is refused.

use std::time::Duration;

use serde::Deserialize;

use crate::push::secret::Secret;
use crate::push::sms::Sms;
use crate::push::vendors::Delivery;
use crate::push::vendors::common;

pub const ENDPOINT: &str = "https://sms.tencentcloudapi.com";
pub const VERSION: &str = "2021-01-11";
pub const CONTENT_TYPE: &str = "application/json; charset=utf-8";

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
    config: TencentConfig,
    endpoint: String,
    host: String,
    client: reqwest::Client,
}

fn hmac256(key: &[u8], data: &str) -> Vec<u8> {
    ring::hmac::sign(&ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key), data.as_bytes()).as_ref().to_vec()
}

/// The TC3-HMAC-SHA256 signature (hex) of a POST to `/` with `body`, signing `content-type`
/// and `host`.
pub fn signature(secret_key: &str, host: &str, timestamp: i64, body: &str) -> String {
    let date = chrono::DateTime::from_timestamp(timestamp, 0).unwrap_or_default().format("%Y-%m-%d").to_string();
    let canonical_request = format!(
        "POST\n/\n\ncontent-type:{CONTENT_TYPE}\nhost:{host}\n\ncontent-type;host\n{}",
        common::sha256_hex(body.as_bytes())
    );
    let string_to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{date}/sms/tc3_request\n{}",
        common::sha256_hex(canonical_request.as_bytes())
    );
    let secret_date = hmac256(format!("TC3{secret_key}").as_bytes(), &date);
    let secret_service = hmac256(&secret_date, "sms");
    let secret_signing = hmac256(&secret_service, "tc3_request");
    common::hex(&hmac256(&secret_signing, &string_to_sign))
}

impl Tencent {
    pub fn new(config: TencentConfig) -> Result<Tencent, String> {
        let endpoint = config.endpoint.as_deref().unwrap_or(ENDPOINT).trim_end_matches('/').to_string();
        let url = reqwest::Url::parse(&endpoint).map_err(|e| format!("tencent: endpoint {endpoint}: {e}"))?;
        let host = match (url.host_str(), url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            _ => return Err(format!("tencent: endpoint {endpoint} has no host")),
        };
        Ok(Tencent { config, endpoint, host, client: common::client(false)? })
    }

    pub async fn send(&self, sms: &Sms) -> Delivery {
        let c = &self.config;
        let phone = if sms.phone.starts_with('+') { sms.phone.clone() } else { format!("+86{}", sms.phone) };
        let params: Vec<&str> = sms.params.iter().map(|(_, v)| v.as_str()).collect();
        let body = serde_json::json!({
            "PhoneNumberSet": [phone],
            "SmsSdkAppId": c.sdk_app_id,
            "SignName": c.sign_name,
            "TemplateId": c.template_id,
            "TemplateParamSet": params,
            "SessionContext": sms.message_id,
        })
        .to_string();
        let timestamp = chrono::Utc::now().timestamp();
        let date = chrono::DateTime::from_timestamp(timestamp, 0).unwrap_or_default().format("%Y-%m-%d");
        let authorization = format!(
            "TC3-HMAC-SHA256 Credential={}/{date}/sms/tc3_request, SignedHeaders=content-type;host, Signature={}",
            c.secret_id,
            signature(c.secret_key.expose(), &self.host, timestamp, &body)
        );
        let response = self
            .client
            .post(format!("{}/", self.endpoint))
            .header("authorization", authorization)
            .header("content-type", CONTENT_TYPE)
            .header("host", &self.host)
            .header("x-tc-action", "SendSms")
            .header("x-tc-timestamp", timestamp.to_string())
            .header("x-tc-version", VERSION)
            .header("x-tc-region", c.region.as_deref().unwrap_or("ap-guangzhou"))
            .body(body)
            .send()
            .await;
        let response = match response {
            Ok(r) => r,
            Err(e) => return common::network(&e),
        };
        let status = response.status();
        let after = common::retry_after(response.headers());
        if status.as_u16() == 429 || status.is_server_error() {
            return common::http_retry(status, after);
        }
        let json: serde_json::Value = response.json().await.unwrap_or_default();
        if let Some(error) = json.pointer("/Response/Error") {
            let code = error.get("Code").and_then(|c| c.as_str()).unwrap_or("");
            let reason = format!("{code} {}", error.get("Message").and_then(|m| m.as_str()).unwrap_or(""));
            return if code.starts_with("RequestLimitExceeded")
                || code.starts_with("LimitExceeded")
                || code.starts_with("InternalError")
            {
                Delivery::Retry { after: after.unwrap_or(common::THROTTLE_BACKOFF), reason }
            } else {
                Delivery::Failed { reason }
            };
        }
        let Some(one) = json.pointer("/Response/SendStatusSet/0") else {
            return Delivery::Failed { reason: format!("{status}: no SendStatusSet") };
        };
        let code = one.get("Code").and_then(|c| c.as_str()).unwrap_or("");
        let reason = format!("{code} {}", one.get("Message").and_then(|m| m.as_str()).unwrap_or(""));
        match code {
            "Ok" => Delivery::Sent,
            "InvalidParameterValue.IncorrectPhoneNumber" => Delivery::InvalidToken { reason },
            c if c.starts_with("LimitExceeded") => Delivery::Retry { after: Duration::from_secs(600), reason },
            _ => Delivery::Failed { reason },
        }
    }
}

//! Alibaba Cloud SMS (Dysmsapi, API version 2017-05-25), the RPC-style `SendSms` as a signed
//! GET: the common parameters (`AccessKeyId`, `Action`, `Format`, `RegionId`,
//! `SignatureMethod` HMAC-SHA1, `SignatureNonce`, `SignatureVersion` 1.0, `Timestamp` in UTC
//! ISO 8601, `Version`) and the call's (`PhoneNumbers`, `SignName`, `TemplateCode`,
//! `TemplateParam` as JSON, `OutId` = our message id), sorted by name and percent-encoded
//! (RFC 3986: only `A-Za-z0-9-_.~` stay as they are); the string to sign is
//! `GET&%2F&` + the encoded query, its HMAC-SHA1 keyed with `secret + "&"`, in base64, is
//! `Signature`.
//!
//! `Code` "OK" is sent; `isv.MOBILE_NUMBER_ILLEGAL` is not a mobile number;
//! `isv.BUSINESS_LIMIT_CONTROL` (the per-number minute/hour/day limits) and `Throttling*` are
//! retried later, as are Alibaba's `isp.*` server errors; anything else is refused.

use std::time::Duration;

use base64::Engine as _;
use ring::rand::SecureRandom as _;
use serde::Deserialize;

use crate::push::secret::Secret;
use crate::push::sms::Sms;
use crate::push::vendors::Delivery;
use crate::push::vendors::common;

pub const ENDPOINT: &str = "https://dysmsapi.aliyuncs.com";
pub const VERSION: &str = "2017-05-25";

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
    config: AliyunConfig,
    endpoint: String,
    client: reqwest::Client,
}

/// Alibaba's percent-encoding: RFC 3986 unreserved characters stay, every other byte is %XX.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The canonical query (sorted, encoded) of `params`, without `Signature`.
pub fn canonical_query(params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    sorted.iter().map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v))).collect::<Vec<_>>().join("&")
}

/// `base64(HMAC-SHA1(secret + "&", method + "&%2F&" + encode(canonical query)))`.
pub fn signature(method: &str, params: &[(String, String)], secret: &str) -> String {
    let string_to_sign = format!("{method}&{}&{}", percent_encode("/"), percent_encode(&canonical_query(params)));
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, format!("{secret}&").as_bytes());
    base64::engine::general_purpose::STANDARD.encode(ring::hmac::sign(&key, string_to_sign.as_bytes()).as_ref())
}

impl Aliyun {
    pub fn new(config: AliyunConfig) -> Result<Aliyun, String> {
        let endpoint = config.endpoint.as_deref().unwrap_or(ENDPOINT).trim_end_matches('/').to_string();
        Ok(Aliyun { config, endpoint, client: common::client(false)? })
    }

    pub async fn send(&self, sms: &Sms) -> Delivery {
        let template_param: serde_json::Map<String, serde_json::Value> =
            sms.params.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect();
        let mut nonce = [0u8; 16];
        if ring::rand::SystemRandom::new().fill(&mut nonce).is_err() {
            return Delivery::Failed { reason: "no randomness for the nonce".into() };
        }
        let c = &self.config;
        let mut params: Vec<(String, String)> = [
            ("AccessKeyId", c.access_key_id.clone()),
            ("Action", "SendSms".into()),
            ("Format", "JSON".into()),
            ("RegionId", "cn-hangzhou".into()),
            ("SignatureMethod", "HMAC-SHA1".into()),
            ("SignatureNonce", common::hex(&nonce)),
            ("SignatureVersion", "1.0".into()),
            ("Timestamp", chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()),
            ("Version", VERSION.into()),
            ("PhoneNumbers", sms.phone.clone()),
            ("SignName", c.sign_name.clone()),
            ("TemplateCode", c.template_code.clone()),
            ("TemplateParam", serde_json::Value::Object(template_param).to_string()),
            ("OutId", sms.message_id.clone()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let signature = signature("GET", &params, c.access_key_secret.expose());
        params.push(("Signature".into(), signature));
        let url = format!("{}/?{}", self.endpoint, canonical_query(&params));
        let response = match self.client.get(url).send().await {
            Ok(r) => r,
            Err(e) => return common::network(&e),
        };
        let status = response.status();
        let after = common::retry_after(response.headers());
        let json: serde_json::Value = response.json().await.unwrap_or_default();
        let code = json.get("Code").and_then(|c| c.as_str()).unwrap_or("");
        let message = json.get("Message").and_then(|c| c.as_str()).unwrap_or("");
        let reason = format!("{status} {code} {message}");
        match code {
            "OK" => Delivery::Sent,
            "isv.MOBILE_NUMBER_ILLEGAL" => Delivery::InvalidToken { reason },
            "isv.BUSINESS_LIMIT_CONTROL" => Delivery::Retry { after: Duration::from_secs(600), reason },
            c if c.starts_with("Throttling") || c.starts_with("isp.") => {
                Delivery::Retry { after: after.unwrap_or(common::THROTTLE_BACKOFF), reason }
            }
            _ if status.as_u16() == 429 || status.is_server_error() => common::http_retry(status, after),
            _ => Delivery::Failed { reason },
        }
    }
}

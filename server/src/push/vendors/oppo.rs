//! OPPO Push (also OnePlus and realme): `POST /server/v1/auth` with `app_key`, `timestamp`
//! (ms) and `sign = sha256(app_key + timestamp + master_secret)` (hex) gives an `auth_token`
//! valid 24 hours, cached; pushes go out together through
//! `/server/v1/message/notification/unicast_batch` (form `messages`, a JSON array of at most
//! 1000 single pushes), the token in the `auth_token` header (and, as OPPO's common-parameter
//! table says "in the request body", in the form too).
//!
//! Filed as a work message by OPPO's message classification: `category` "TODO" (待办, a
//! service category; marketing would be "MARKETING") with `notify_level` 2 (notification bar
//! and lock screen), on the 私信 channel (`channel_id`) registered in OPPO's console.
//!
//! Codes (OPPO's common return codes): 0 success, with `data` one entry per push whose
//! `errorCode` 10000 means an invalid registration id; 11 (invalid auth token) and 29 (missing)
//! → a fresh token, once; -2 (flow control), -1 (unavailable), 13 and 55 (call frequency) →
//! retry soon; 33 (daily message limit) → retry in an hour; anything else is refused for good.

use std::time::Duration;

use serde::Deserialize;

use crate::push::secret::Secret;
use crate::push::vendors::common::{self, Attempt, TokenCache};
use crate::push::vendors::{Delivery, Outgoing};

pub const MAX_BATCH: usize = 1000;

pub const ENDPOINT: &str = "https://api.push.oppomobile.com";
/// OPPO's message category for to-do reminders (a service, not marketing, category).
pub const CATEGORY: &str = "TODO";
/// Notification bar and lock screen.
pub const NOTIFY_LEVEL: u32 = 2;
/// OPPO: an auth_token is valid for 24 hours.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);

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
    config: OppoConfig,
    endpoint: String,
    client: reqwest::Client,
    token: TokenCache,
}

/// `hex(sha256(app_key + timestamp + master_secret))`.
pub fn sign(app_key: &str, timestamp: &str, master_secret: &str) -> String {
    common::sha256_hex(format!("{app_key}{timestamp}{master_secret}").as_bytes())
}

impl Oppo {
    pub fn new(config: OppoConfig) -> Result<Oppo, String> {
        let endpoint = config.endpoint.as_deref().unwrap_or(ENDPOINT).trim_end_matches('/').to_string();
        Ok(Oppo { config, endpoint, client: common::client(false)?, token: TokenCache::new() })
    }

    async fn auth(&self) -> Result<(String, Duration), Delivery> {
        let timestamp = common::now_millis().to_string();
        let sign = sign(&self.config.app_key, &timestamp, self.config.master_secret.expose());
        let form = [("app_key", self.config.app_key.as_str()), ("timestamp", &timestamp), ("sign", &sign)];
        let url = format!("{}/server/v1/auth", self.endpoint);
        let response = self.client.post(url).form(&form).send().await.map_err(|e| common::network(&e))?;
        let status = response.status();
        if status.as_u16() == 429 || status.is_server_error() {
            return Err(common::http_retry(status, common::retry_after(response.headers())));
        }
        let json: serde_json::Value = response.json().await.unwrap_or_default();
        let code = json.get("code").and_then(|c| c.as_i64()).unwrap_or(-100);
        match (code, json.pointer("/data/auth_token").and_then(|t| t.as_str())) {
            (0, Some(token)) => Ok((token.to_string(), TOKEN_LIFETIME)),
            (code, _) => Err(classify(code, &json, "auth")),
        }
    }

    pub async fn send(&self, batch: &[Outgoing]) -> Vec<Delivery> {
        let mut out = Vec::with_capacity(batch.len());
        for chunk in batch.chunks(MAX_BATCH) {
            let messages = messages(&self.config, chunk).to_string();
            let n = chunk.len();
            let fetch = || self.auth();
            let attempt = |token| self.post(chunk, messages.clone(), token);
            out.extend(common::with_token(&self.token, fetch, attempt, |d| common::all(n, d)).await);
        }
        out
    }

    async fn post(&self, chunk: &[Outgoing], messages: String, token: String) -> Attempt<Vec<Delivery>> {
        let n = chunk.len();
        let url = format!("{}/server/v1/message/notification/unicast_batch", self.endpoint);
        let form = [("auth_token", token.as_str()), ("messages", &messages)];
        let response = self.client.post(url).header("auth_token", &token).form(&form).send().await;
        let response = match response {
            Ok(r) => r,
            Err(e) => return Attempt::Done(common::all(n, common::network(&e))),
        };
        let status = response.status();
        if status.as_u16() == 429 || status.is_server_error() {
            return Attempt::Done(common::all(n, common::http_retry(status, common::retry_after(response.headers()))));
        }
        let json: serde_json::Value = response.json().await.unwrap_or_default();
        let code = json.get("code").and_then(|c| c.as_i64()).unwrap_or(-100);
        match code {
            0 => Attempt::Done(per_push(chunk, json.get("data"))),
            11 | 29 => Attempt::AuthExpired,
            10000 => {
                Attempt::Done(common::all(n, Delivery::InvalidToken { reason: "10000 Invalid Registration_id".into() }))
            }
            code => Attempt::Done(common::all(n, classify(code, &json, "send"))),
        }
    }
}

/// A refusal by OPPO's common return code.
fn classify(code: i64, json: &serde_json::Value, what: &str) -> Delivery {
    let message = json.get("message").and_then(|m| m.as_str()).unwrap_or("");
    let reason = format!("{what}: {code} {message}");
    match code {
        -2 | -1 | 13 | 55 => Delivery::Retry { after: common::THROTTLE_BACKOFF, reason },
        33 => Delivery::Retry { after: common::QUOTA_BACKOFF, reason },
        _ => Delivery::Failed { reason },
    }
}

/// `data`: one entry per push, by registration id; `errorCode` 10000 is an invalid one.
fn per_push(chunk: &[Outgoing], data: Option<&serde_json::Value>) -> Vec<Delivery> {
    let entries: Vec<&serde_json::Value> = data.and_then(|d| d.as_array()).into_iter().flatten().collect();
    chunk
        .iter()
        .map(|p| {
            let entry = entries.iter().find(|e| e.get("registrationId").and_then(|r| r.as_str()) == Some(&p.token));
            match entry.and_then(|e| e.get("errorCode")).and_then(|c| c.as_i64()) {
                None | Some(0) => Delivery::Sent,
                Some(10000) => Delivery::InvalidToken { reason: "10000 Invalid Registration_id".into() },
                Some(code) => {
                    let message = entry.and_then(|e| e.get("errorMessage")).and_then(|m| m.as_str()).unwrap_or("");
                    classify(code, &serde_json::json!({"message": message}), "push")
                }
            }
        })
        .collect()
}

/// The `messages` array: one single push per device.
pub fn messages(config: &OppoConfig, chunk: &[Outgoing]) -> serde_json::Value {
    let list: Vec<serde_json::Value> = chunk
        .iter()
        .map(|p| {
            let mut notification = serde_json::json!({
                // OPPO: title at most 50 characters, content at most 200.
                "title": common::chars(&p.text.title, 50),
                "content": common::chars(&p.text.body, 200),
                "category": CATEGORY,
                "notify_level": NOTIFY_LEVEL,
                "click_action_type": 0,
                "action_parameters": serde_json::json!({"kind": p.kind}).to_string(),
                "app_message_id": p.message_id,
                "notify_id": common::small_id(&p.collapse_id, i32::MAX as u32),
                "off_line": true,
                "off_line_ttl": 24 * 3600,
            });
            if let Some(channel) = &config.channel_id {
                notification["channel_id"] = channel.clone().into();
            }
            serde_json::json!({"target_type": 2, "target_value": p.token, "notification": notification})
        })
        .collect();
    serde_json::Value::Array(list)
}

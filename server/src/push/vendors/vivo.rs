//! vivo Push (also iQOO): `POST /message/auth` with `{appId, appKey, timestamp, sign}`, `sign`
//! the lowercase hex MD5 of appId + appKey + timestamp + appSecret, gives an `authToken`
//! (valid a day; vivo asks servers to cache it centrally and renew it every one to two hours,
//! and limits auth calls to 10 a second), then one `POST /message/send` per push with the
//! `authToken` header.
//!
//! Filed as a work message by vivo's classification: `classification` 1 (系统消息, not 0
//! 运营消息) with `category` "TODO" (待办, a system-message category), so it is neither counted
//! against the operational daily quota nor held outside 7:00–23:00. `requestId` is the message
//! id: vivo drops a repeat of it. `skipType` 1 opens the app.
//!
//! Answers `{"result":0,"desc":…,"taskId":…}`; 10302 an invalid regId; 10000 an authentication
//! failure (an expired or unknown authToken: renewed once); 10070 the day's total used up (vivo
//! asks not to call send again that day); 10071/10072 sending too fast.

use std::time::Duration;

use md5::{Digest, Md5};
use serde::Deserialize;

use crate::push::secret::Secret;
use crate::push::vendors::common::{self, Attempt, TokenCache};
use crate::push::vendors::{Delivery, Outgoing};

pub const MAX_BATCH: usize = 1;

pub const ENDPOINT: &str = "https://api-push.vivo.com.cn";
/// 系统消息.
pub const CLASSIFICATION: u32 = 1;
/// vivo's system-message category for to-do reminders.
pub const CATEGORY: &str = "TODO";
/// vivo: renew the authToken every one to two hours (it is valid for 24).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(2 * 3600);

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VivoConfig {
    pub app_id: String,
    pub app_key: String,
    pub app_secret: Secret,
    pub endpoint: Option<String>,
}

pub struct Vivo {
    config: VivoConfig,
    endpoint: String,
    client: reqwest::Client,
    token: TokenCache,
}

/// Lowercase hex MD5 of appId + appKey + timestamp + appSecret.
pub fn sign(app_id: &str, app_key: &str, timestamp: &str, app_secret: &str) -> String {
    common::hex(&Md5::digest(format!("{app_id}{app_key}{timestamp}{app_secret}").as_bytes()))
}

impl Vivo {
    pub fn new(config: VivoConfig) -> Result<Vivo, String> {
        let endpoint = config.endpoint.as_deref().unwrap_or(ENDPOINT).trim_end_matches('/').to_string();
        Ok(Vivo { config, endpoint, client: common::client(false)?, token: TokenCache::new() })
    }

    /// vivo's appId is a number; sent as one when it is.
    fn app_id(&self) -> serde_json::Value {
        match self.config.app_id.parse::<u64>() {
            Ok(n) => n.into(),
            Err(_) => self.config.app_id.clone().into(),
        }
    }

    async fn auth(&self) -> Result<(String, Duration), Delivery> {
        let timestamp = common::now_millis().to_string();
        let c = &self.config;
        let body = serde_json::json!({
            "appId": self.app_id(),
            "appKey": c.app_key,
            "timestamp": timestamp.parse::<i64>().unwrap_or_default(),
            "sign": sign(&c.app_id, &c.app_key, &timestamp, c.app_secret.expose()),
        });
        let url = format!("{}/message/auth", self.endpoint);
        let response = self.client.post(url).json(&body).send().await.map_err(|e| common::network(&e))?;
        let status = response.status();
        if status.as_u16() == 429 || status.is_server_error() {
            return Err(common::http_retry(status, common::retry_after(response.headers())));
        }
        let json: serde_json::Value = response.json().await.unwrap_or_default();
        let result = json.get("result").and_then(|r| r.as_i64()).unwrap_or(-1);
        match (result, json.get("authToken").and_then(|t| t.as_str())) {
            (0, Some(token)) => Ok((token.to_string(), TOKEN_LIFETIME)),
            (result, _) => Err(classify(result, &json, "auth")),
        }
    }

    pub async fn send(&self, batch: &[Outgoing]) -> Vec<Delivery> {
        let mut out = Vec::with_capacity(batch.len());
        for push in batch {
            let body = message(self.app_id(), push).to_string();
            let fetch = || self.auth();
            let attempt = |token| self.post(body.clone(), token);
            out.push(common::with_token(&self.token, fetch, attempt, |d| d).await);
        }
        out
    }

    async fn post(&self, body: String, token: String) -> Attempt<Delivery> {
        let url = format!("{}/message/send", self.endpoint);
        let response = self
            .client
            .post(url)
            .header("authToken", token)
            .header("content-type", "application/json; charset=UTF-8")
            .body(body)
            .send()
            .await;
        let response = match response {
            Ok(r) => r,
            Err(e) => return Attempt::Done(common::network(&e)),
        };
        let status = response.status();
        if status.as_u16() == 429 || status.is_server_error() {
            return Attempt::Done(common::http_retry(status, common::retry_after(response.headers())));
        }
        let json: serde_json::Value = response.json().await.unwrap_or_default();
        match json.get("result").and_then(|r| r.as_i64()).unwrap_or(-1) {
            0 => Attempt::Done(Delivery::Sent),
            10000 => Attempt::AuthExpired,
            result => Attempt::Done(classify(result, &json, "send")),
        }
    }
}

fn classify(result: i64, json: &serde_json::Value, what: &str) -> Delivery {
    let desc = json.get("desc").and_then(|d| d.as_str()).unwrap_or("");
    let reason = format!("{what}: {result} {desc}");
    match result {
        10302 => Delivery::InvalidToken { reason },
        10070 => Delivery::Retry { after: common::QUOTA_BACKOFF, reason },
        10071 | 10072 => Delivery::Retry { after: common::THROTTLE_BACKOFF, reason },
        _ => Delivery::Failed { reason },
    }
}

/// The body of one push.
pub fn message(app_id: serde_json::Value, push: &Outgoing) -> serde_json::Value {
    serde_json::json!({
        "appId": app_id,
        "regId": push.token,
        // 4: sound and vibration.
        "notifyType": 4,
        // vivo: title at most 40 characters, content at most 100.
        "title": common::chars(&push.text.title, 40),
        "content": common::chars(&push.text.body, 100),
        "timeToLive": 24 * 3600,
        "skipType": 1,
        "networkType": -1,
        "classification": CLASSIFICATION,
        "category": CATEGORY,
        "pushMode": 0,
        "requestId": common::chars(&push.message_id, 64),
        "clientCustomMap": {"kind": push.kind},
    })
}

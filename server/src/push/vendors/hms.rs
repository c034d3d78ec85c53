//! Huawei HMS Push Kit (server API v1): an OAuth 2.0 client-credentials access token (cached
//! until shortly before `expires_in`: Huawei throttles token requests), then
//! `POST /v1/{app_id}/messages:send` with up to 1000 tokens per message, pushes with the same
//! text grouped into one request.
//!
//! Filed as a work message by Huawei's message self-classification: `android.category` "WORK"
//! (工作事项提醒, a service-and-communication category) and `notification.importance`
//! "NORMAL" (服务与通讯 rather than LOW, 资讯营销). `tag` replaces a shown notification of the
//! same person; `click_action.type` 3 opens the app.
//!
//! Result codes (Huawei's "下行消息 API" response codes): 80000000 success; 80100000 some tokens
//! failed, listed in `msg` (`{"success":n,"failure":m,"illegal_tokens":[...]}`); 80300007 all
//! tokens invalid; 80200003 access token expired and 80200001 OAuth authentication error
//! (HTTP 401) — refreshed once; 80300008 message too large; HTTP 503 is Huawei's traffic
//! control, and 81000001 (internal error) and 429/5xx are retried later.

use serde::Deserialize;

use crate::push::secret::Secret;
use crate::push::vendors::common::{self, Attempt, OAuthApp};
use crate::push::vendors::{Delivery, Outgoing};

pub const MAX_BATCH: usize = 1000;

pub const TOKEN_URL: &str = "https://oauth-login.cloud.huawei.com/oauth2/v3/token";
pub const ENDPOINT: &str = "https://push-api.cloud.huawei.com";
/// HMS's self-classification category for work reminders.
pub const CATEGORY: &str = "WORK";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HmsConfig {
    pub app_id: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub token_url: Option<String>,
    pub endpoint: Option<String>,
}

pub struct Hms {
    send_url: String,
    client: reqwest::Client,
    app: OAuthApp,
}

impl Hms {
    pub fn new(config: HmsConfig) -> Result<Hms, String> {
        let endpoint = config.endpoint.as_deref().unwrap_or(ENDPOINT).trim_end_matches('/');
        let send_url = format!("{endpoint}/v1/{}/messages:send", config.app_id);
        let token_url = config.token_url.clone().unwrap_or_else(|| TOKEN_URL.into());
        let app = OAuthApp::new(&config.client_id, &config.client_secret, token_url);
        Ok(Hms { send_url, client: common::client(false)?, app })
    }

    pub async fn send(&self, batch: &[Outgoing]) -> Vec<Delivery> {
        common::in_groups(batch, MAX_BATCH, |pushes| async move { self.send_group(&pushes).await }).await
    }

    async fn send_group(&self, pushes: &[&Outgoing]) -> Vec<Delivery> {
        let body = message(pushes).to_string();
        self.app.with_token(&self.client, pushes.len(), |token| self.post(pushes, body.clone(), token)).await
    }

    async fn post(&self, pushes: &[&Outgoing], body: String, token: String) -> Attempt<Vec<Delivery>> {
        let n = pushes.len();
        let response = self
            .client
            .post(&self.send_url)
            .bearer_auth(token)
            .header("content-type", "application/json; charset=UTF-8")
            .body(body)
            .send()
            .await;
        let response = match response {
            Ok(r) => r,
            Err(e) => return Attempt::Done(common::all(n, common::network(&e))),
        };
        let status = response.status();
        let after = common::retry_after(response.headers());
        // Throttling is the HTTP status (503 is the vendor's traffic control), whatever the body.
        if status.as_u16() == 429 || status.is_server_error() {
            return Attempt::Done(common::all(n, common::http_retry(status, after)));
        }
        let json: serde_json::Value = response.json().await.unwrap_or_default();
        let code = json.get("code").and_then(|c| c.as_str()).unwrap_or("");
        let msg = json.get("msg").and_then(|c| c.as_str()).unwrap_or("");
        let d = match code {
            "80000000" => Delivery::Sent,
            "80100000" => return Attempt::Done(partial(pushes, msg)),
            "80300007" => Delivery::InvalidToken { reason: format!("80300007 {msg}") },
            "80200003" | "80200001" => return Attempt::AuthExpired,
            "81000001" => Delivery::Retry { after: common::NETWORK_BACKOFF, reason: format!("81000001 {msg}") },
            _ if status.as_u16() == 401 => return Attempt::AuthExpired,
            // 80300008 (too large) and every other refusal: a malformed request, not retried.
            _ => Delivery::Failed { reason: format!("{status} {code} {msg}") },
        };
        Attempt::Done(common::all(n, d))
    }
}

/// The request body for pushes with the same text.
pub fn message(pushes: &[&Outgoing]) -> serde_json::Value {
    let first = pushes[0];
    let tokens: Vec<&str> = pushes.iter().map(|p| p.token.as_str()).collect();
    serde_json::json!({
        "validate_only": false,
        "message": {
            "android": {
                "category": CATEGORY,
                "ttl": "86400s",
                "notification": {
                    "title": first.text.title,
                    "body": first.text.body,
                    "importance": "NORMAL",
                    "tag": first.collapse_id,
                    "click_action": {"type": 3},
                },
            },
            "token": tokens,
        },
    })
}

/// 80100000: the tokens named in `msg` failed, the rest were taken.
fn partial(pushes: &[&Outgoing], msg: &str) -> Vec<Delivery> {
    let detail: serde_json::Value = serde_json::from_str(msg).unwrap_or_default();
    let illegal: Vec<&str> = detail
        .get("illegal_tokens")
        .and_then(|t| t.as_array())
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str())
        .collect();
    pushes
        .iter()
        .map(|p| {
            if illegal.contains(&p.token.as_str()) {
                Delivery::InvalidToken { reason: "80100000 illegal token".into() }
            } else {
                Delivery::Sent
            }
        })
        .collect()
}

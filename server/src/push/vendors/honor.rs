//! Honor Push: an OAuth 2.0 client-credentials access token from Honor's IAM (cached until
//! shortly before `expires_in`), then `POST /api/v1/{app_id}/sendMessage` with `Authorization:
//! Bearer` and a `timestamp` header (ms), up to 1000 tokens per message, pushes with the same
//! text grouped into one request.
//!
//! Filed as a service message: `android.notification.importance` "NORMAL" (服务与通讯; "LOW" is
//! 资讯营销). `tag` replaces a shown notification; `clickAction.type` 3 opens the app.
//!
//! The answer is `{"code":200,"message":"success","data":{"sendResult":true,"requestId":…,
//! "failTokens":[…],"expireTokens":[…]}}`: the tokens listed failed or expired, the rest were
//! taken. Honor's error codes follow Huawei's numbering (80200003 access token expired,
//! 80300007 all tokens invalid, 80300008 too large, 81000001 internal error) — assumed from the
//! HMS lineage where Honor's page could not be read; HTTP 401 is also taken as an expired token
//! and 429/503 as throttling.

use serde::Deserialize;

use crate::push::secret::Secret;
use crate::push::vendors::common::{self, Attempt, OAuthApp};
use crate::push::vendors::{Delivery, Outgoing};

pub const MAX_BATCH: usize = 1000;

/// Honor's documented token endpoint (IAM, OpenID Connect).
pub const TOKEN_URL: &str = "https://iam.developer.honor.com/auth/realms/developer/protocol/openid-connect/token";
pub const ENDPOINT: &str = "https://push-api.cloud.honor.com";

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
    send_url: String,
    client: reqwest::Client,
    app: OAuthApp,
}

impl Honor {
    pub fn new(config: HonorConfig) -> Result<Honor, String> {
        let endpoint = config.endpoint.as_deref().unwrap_or(ENDPOINT).trim_end_matches('/');
        let send_url = format!("{endpoint}/api/v1/{}/sendMessage", config.app_id);
        let token_url = config.token_url.clone().unwrap_or_else(|| TOKEN_URL.into());
        let app = OAuthApp::new(&config.client_id, &config.client_secret, token_url);
        Ok(Honor { send_url, client: common::client(false)?, app })
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
            .header("timestamp", common::now_millis().to_string())
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
        let code = match json.get("code") {
            Some(serde_json::Value::Number(n)) => n.to_string(),
            Some(serde_json::Value::String(s)) => s.clone(),
            _ => String::new(),
        };
        let message = json.get("message").and_then(|m| m.as_str()).unwrap_or("");
        let d = match code.as_str() {
            "200" | "80000000" => return Attempt::Done(per_token(pushes, json.get("data"))),
            "80300007" => Delivery::InvalidToken { reason: format!("80300007 {message}") },
            "80200003" | "80200001" => return Attempt::AuthExpired,
            "81000001" => Delivery::Retry { after: common::NETWORK_BACKOFF, reason: format!("81000001 {message}") },
            _ if status.as_u16() == 401 => return Attempt::AuthExpired,
            _ => Delivery::Failed { reason: format!("{status} {code} {message}") },
        };
        Attempt::Done(common::all(n, d))
    }
}

/// The request body for pushes with the same text.
pub fn message(pushes: &[&Outgoing]) -> serde_json::Value {
    let first = pushes[0];
    let tokens: Vec<&str> = pushes.iter().map(|p| p.token.as_str()).collect();
    serde_json::json!({
        "notification": {"title": first.text.title, "body": first.text.body},
        "android": {
            "ttl": "86400s",
            "notification": {
                "title": first.text.title,
                "body": first.text.body,
                "importance": "NORMAL",
                "tag": first.collapse_id,
                "clickAction": {"type": 3},
            },
        },
        "token": tokens,
    })
}

/// Success: `data.failTokens` and `data.expireTokens` are not delivered, the rest are.
fn per_token(pushes: &[&Outgoing], data: Option<&serde_json::Value>) -> Vec<Delivery> {
    let list = |key: &str| -> Vec<String> {
        data.and_then(|d| d.get(key))
            .and_then(|t| t.as_array())
            .into_iter()
            .flatten()
            .filter_map(|t| t.as_str().map(str::to_string))
            .collect()
    };
    let (failed, expired) = (list("failTokens"), list("expireTokens"));
    pushes
        .iter()
        .map(|p| {
            if expired.contains(&p.token) {
                Delivery::InvalidToken { reason: "expireTokens".into() }
            } else if failed.contains(&p.token) {
                Delivery::InvalidToken { reason: "failTokens".into() }
            } else {
                Delivery::Sent
            }
        })
        .collect()
}

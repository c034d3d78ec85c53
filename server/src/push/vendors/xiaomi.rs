//! Xiaomi MiPush (server API v3): `POST /v3/message/regid`, `Authorization: key=<app_secret>`
//! (the secret does not expire: there is no token to refresh), a form with the regids
//! comma-joined (at most 1000), pushes with the same text grouped into one request.
//!
//! Filed as a work message by sending it on the app's 私信 (private message) channel,
//! `extra.channel_id`, registered in Xiaomi's console: Xiaomi's message classification counts
//! the public channel (公信) against a daily quota and treats it as operational. A notification
//! (`pass_through=0`) with `notify_id` from the collapse id, so a newer summary replaces the
//! shown one.
//!
//! Answers: `{"result":"ok","code":0,"data":{"id":…,"bad_regids":"a,b"}}` — the listed regids
//! are invalid, the rest taken; code 20301 (no valid targets) means every regid was invalid;
//! 200001 is the daily quota used up, 10002/10003/10027/10037 are Xiaomi's "try again" codes
//! (busy, throttled); 21301 is an authentication failure (a wrong app secret: not retried).
//! The retry codes other than 200001 are taken from vendor SDK users, not Xiaomi's own page.

use serde::Deserialize;

use crate::push::secret::Secret;
use crate::push::vendors::common;
use crate::push::vendors::{Delivery, Outgoing};

pub const MAX_BATCH: usize = 1000;

pub const ENDPOINT: &str = "https://api.xmpush.xiaomi.com";

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
    config: XiaomiConfig,
    send_url: String,
    client: reqwest::Client,
}

impl Xiaomi {
    pub fn new(config: XiaomiConfig) -> Result<Xiaomi, String> {
        let endpoint = config.endpoint.as_deref().unwrap_or(ENDPOINT).trim_end_matches('/');
        let send_url = format!("{endpoint}/v3/message/regid");
        Ok(Xiaomi { config, send_url, client: common::client(false)? })
    }

    pub async fn send(&self, batch: &[Outgoing]) -> Vec<Delivery> {
        common::in_groups(batch, MAX_BATCH, |pushes| async move { self.post(&pushes).await }).await
    }

    async fn post(&self, pushes: &[&Outgoing]) -> Vec<Delivery> {
        let n = pushes.len();
        let form = form(&self.config, pushes);
        let response = self
            .client
            .post(&self.send_url)
            .header("authorization", format!("key={}", self.config.app_secret.expose()))
            .form(&form)
            .send()
            .await;
        let response = match response {
            Ok(r) => r,
            Err(e) => return common::all(n, common::network(&e)),
        };
        let status = response.status();
        let after = common::retry_after(response.headers());
        if status.as_u16() == 429 || status.is_server_error() {
            return common::all(n, common::http_retry(status, after));
        }
        let json: serde_json::Value = response.json().await.unwrap_or_default();
        let code = json.get("code").and_then(|c| c.as_i64()).unwrap_or(-1);
        let reason =
            json.get("reason").or_else(|| json.get("description")).and_then(|r| r.as_str()).unwrap_or("").to_string();
        let d = match code {
            0 => {
                let bad: Vec<&str> = json
                    .pointer("/data/bad_regids")
                    .and_then(|b| b.as_str())
                    .map(|b| b.split(',').map(str::trim).filter(|s| !s.is_empty()).collect())
                    .unwrap_or_default();
                return pushes
                    .iter()
                    .map(|p| {
                        if bad.contains(&p.token.as_str()) {
                            Delivery::InvalidToken { reason: "bad_regids".into() }
                        } else {
                            Delivery::Sent
                        }
                    })
                    .collect();
            }
            20301 => Delivery::InvalidToken { reason: format!("20301 {reason}") },
            200001 => Delivery::Retry { after: common::QUOTA_BACKOFF, reason: format!("200001 {reason}") },
            10002 | 10003 | 10027 | 10037 => {
                Delivery::Retry { after: after.unwrap_or(common::THROTTLE_BACKOFF), reason: format!("{code} {reason}") }
            }
            _ => Delivery::Failed { reason: format!("{status} {code} {reason}") },
        };
        common::all(n, d)
    }
}

/// The form for pushes with the same text.
pub fn form(config: &XiaomiConfig, pushes: &[&Outgoing]) -> Vec<(String, String)> {
    let first = pushes[0];
    let regids: Vec<&str> = pushes.iter().map(|p| p.token.as_str()).collect();
    let mut form = vec![
        ("registration_id".to_string(), regids.join(",")),
        // Xiaomi: title under 50 characters, description under 128.
        ("title".into(), common::chars(&first.text.title, 49)),
        ("description".into(), common::chars(&first.text.body, 127)),
        ("restricted_package_name".into(), config.package_name.clone()),
        ("pass_through".into(), "0".into()),
        // -1: the phone's default sound, vibration and light.
        ("notify_type".into(), "-1".into()),
        ("notify_id".into(), common::small_id(&first.collapse_id, i32::MAX as u32).to_string()),
        ("time_to_live".into(), (24 * 3600 * 1000).to_string()),
        ("payload".into(), serde_json::json!({"kind": first.kind}).to_string()),
        ("extra.notify_foreground".into(), "1".into()),
    ];
    if let Some(channel) = &config.channel_id {
        form.push(("extra.channel_id".into(), channel.clone()));
    }
    form
}

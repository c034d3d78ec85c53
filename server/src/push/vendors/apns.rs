//! Apple Push Notification service, token-based: an ES256 JWT (`kid` = key id, `iss` = team id,
//! `iat`) signed with the .p8 key, kept for 40 minutes (Apple refuses a token refreshed more
//! often than every 20 minutes and expires it after 60), sent as `authorization: bearer`; one
//! `POST /3/device/{token}` per push over one HTTP/2 connection, the batch multiplexed.
//!
//! The push is an alert filed under its kind (`thread-id`) with the badge count; `apns-priority:
//! 10` (immediate), `apns-push-type: alert`, an `apns-id` derived from the message id (so APNs'
//! own logs match our retries), `apns-collapse-id` so a newer summary replaces the shown one,
//! and `apns-expiration` a day ahead. Work messages: iOS files an ordinary alert from a
//! non-marketing app as such; there is no classification field to set.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::SystemRandom;
use ring::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
use serde::Deserialize;

use crate::push::vendors::common::{self, Attempt, TokenCache};
use crate::push::vendors::{Delivery, Outgoing};

pub const MAX_BATCH: usize = 64;

/// Apple's limit for an alert's JSON payload.
pub const MAX_PAYLOAD: usize = 4096;
/// Apple's limit for `apns-collapse-id`.
pub const MAX_COLLAPSE_ID: usize = 64;
/// How long one provider token is used (Apple: refresh no more often than every 20 minutes, and
/// it expires after 60).
pub const JWT_LIFETIME: Duration = Duration::from_secs(40 * 60);

pub const PRODUCTION: &str = "https://api.push.apple.com";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApnsConfig {
    pub team_id: String,
    pub key_id: String,
    /// The .p8 file Apple gives (PKCS#8 PEM).
    pub key_file: std::path::PathBuf,
    /// The app's bundle id (apns-topic).
    pub topic: String,
    /// https://api.push.apple.com (production) or https://api.sandbox.push.apple.com.
    pub endpoint: Option<String>,
}

pub struct Apns {
    config: ApnsConfig,
    endpoint: String,
    // Boxed: the key pair is large, and Vendor holds an Apns inline.
    key: Box<EcdsaKeyPair>,
    rng: SystemRandom,
    client: reqwest::Client,
    jwt: TokenCache,
}

impl Apns {
    pub fn new(config: ApnsConfig) -> Result<Apns, String> {
        let pem = std::fs::read_to_string(&config.key_file)
            .map_err(|e| format!("apns: cannot read key_file {}: {e}", config.key_file.display()))?;
        let der = pem_to_der(&pem).ok_or_else(|| format!("apns: {} is not a PEM key", config.key_file.display()))?;
        let rng = SystemRandom::new();
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &der, &rng)
            .map_err(|e| format!("apns: {} is not a P-256 PKCS#8 key: {e}", config.key_file.display()))?;
        let endpoint = config.endpoint.clone().unwrap_or_else(|| PRODUCTION.into()).trim_end_matches('/').to_string();
        let client = common::client(endpoint.starts_with("http://"))?;
        Ok(Apns { config, endpoint, key: Box::new(key), rng, client, jwt: TokenCache::new() })
    }

    /// A provider token signed now.
    fn sign_jwt(&self) -> Result<(String, Duration), Delivery> {
        let header = serde_json::json!({"alg": "ES256", "kid": self.config.key_id});
        let claims = serde_json::json!({"iss": self.config.team_id, "iat": chrono::Utc::now().timestamp()});
        let signing_input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let signature = self
            .key
            .sign(&self.rng, signing_input.as_bytes())
            .map_err(|_| Delivery::Failed { reason: "apns: cannot sign the provider token".into() })?;
        Ok((format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref())), JWT_LIFETIME))
    }

    pub async fn send(&self, batch: &[Outgoing]) -> Vec<Delivery> {
        // One HTTP/2 connection: the requests go out as concurrent streams on it.
        futures_util::future::join_all(batch.iter().map(|push| self.send_one(push))).await
    }

    async fn send_one(&self, push: &Outgoing) -> Delivery {
        let payload = payload(push);
        if payload.len() > MAX_PAYLOAD {
            return Delivery::Failed { reason: format!("PayloadTooLarge: {} bytes", payload.len()) };
        }
        let fetch = || async { self.sign_jwt() };
        common::with_token(&self.jwt, fetch, |jwt| self.post(push, payload.clone(), jwt), |d| d).await
    }

    async fn post(&self, push: &Outgoing, payload: String, jwt: String) -> Attempt<Delivery> {
        let url = format!("{}/3/device/{}", self.endpoint, push.token);
        let expiration = chrono::Utc::now().timestamp() + 24 * 3600;
        let response = self
            .client
            .post(url)
            .header("authorization", format!("bearer {jwt}"))
            .header("apns-topic", &self.config.topic)
            .header("apns-push-type", "alert")
            .header("apns-priority", "10")
            .header("apns-id", apns_id(&push.message_id))
            .header("apns-collapse-id", collapse_id(&push.collapse_id))
            .header("apns-expiration", expiration.to_string())
            .header("content-type", "application/json")
            .body(payload)
            .send()
            .await;
        let response = match response {
            Ok(r) => r,
            Err(e) => return Attempt::Done(common::network(&e)),
        };
        let status = response.status();
        if status.is_success() {
            return Attempt::Done(Delivery::Sent);
        }
        let after = common::retry_after(response.headers());
        let reason = response
            .json::<serde_json::Value>()
            .await
            .ok()
            .and_then(|v| v.get("reason").and_then(|r| r.as_str()).map(str::to_string))
            .unwrap_or_default();
        Attempt::Done(match (status.as_u16(), reason.as_str()) {
            (403, "ExpiredProviderToken") => return Attempt::AuthExpired,
            (410, _) | (400, "BadDeviceToken") | (400, "DeviceTokenNotForTopic") => {
                Delivery::InvalidToken { reason: format!("{status} {reason}") }
            }
            (429, _) | (500..=599, _) => {
                let mut d = common::http_retry(status, after);
                if let Delivery::Retry { reason: r, .. } = &mut d {
                    *r = format!("{r} {reason}");
                }
                d
            }
            _ => Delivery::Failed { reason: format!("{status} {reason}") },
        })
    }
}

/// The alert: kind and count only.
pub fn payload(push: &Outgoing) -> String {
    serde_json::json!({
        "aps": {
            "alert": {"title": push.text.title, "body": push.text.body},
            "badge": push.text.count,
            "sound": "default",
            "thread-id": push.kind,
        },
        "kind": push.kind,
    })
    .to_string()
}

/// A UUID (version-4 layout) made from the message id, the same on every retry.
pub fn apns_id(message_id: &str) -> String {
    let d = ring::digest::digest(&ring::digest::SHA256, message_id.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d.as_ref()[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = common::hex(&b);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

/// The collapse id as it is if it fits Apple's 64 bytes, else a digest of it.
pub fn collapse_id(id: &str) -> String {
    if id.len() <= MAX_COLLAPSE_ID { id.to_string() } else { common::sha256_hex(id.as_bytes()) }
}

/// The DER inside a PEM block.
fn pem_to_der(pem: &str) -> Option<Vec<u8>> {
    let body: String = pem.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD.decode(body).ok()
}

//! What every adapter shares: one HTTP client with a deadline, a cached auth token that
//! concurrent sends fetch once, and the answers for a network failure.

use std::future::Future;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

use crate::push::vendors::{Delivery, Outgoing};

/// How long one request to a vendor may take.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(10);
/// When to try again after a network failure or a vendor's 5xx.
pub(crate) const NETWORK_BACKOFF: Duration = Duration::from_secs(5);
/// When to try again after throttling that names no time.
pub(crate) const THROTTLE_BACKOFF: Duration = Duration::from_secs(60);
/// When to try again after a daily quota is used up (the vendors count per calendar day).
pub(crate) const QUOTA_BACKOFF: Duration = Duration::from_secs(3600);

/// One client per adapter. `h2c` speaks HTTP/2 without TLS (prior knowledge): only APNs' local
/// test server wants it; over https reqwest offers h2 by ALPN.
pub(crate) fn client(h2c: bool) -> Result<reqwest::Client, String> {
    let mut builder = reqwest::Client::builder().timeout(TIMEOUT).connect_timeout(TIMEOUT);
    if h2c {
        builder = builder.http2_prior_knowledge();
    }
    builder.build().map_err(|e| format!("cannot make an HTTP client: {e}"))
}

/// A request that never got an answer: try again soon.
pub(crate) fn network(e: &reqwest::Error) -> Delivery {
    // The error's text can hold the URL but never a secret: secrets go in headers and bodies.
    Delivery::Retry { after: NETWORK_BACKOFF, reason: format!("network: {}", without_url(e)) }
}

fn without_url(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".into();
    }
    if e.is_connect() {
        return "cannot connect".into();
    }
    let mut text = e.to_string();
    if let Some(url) = e.url() {
        text = text.replace(url.as_str(), "<url>");
    }
    text
}

/// A vendor that answered 5xx or 429: try again later.
pub(crate) fn http_retry(status: reqwest::StatusCode, retry_after: Option<Duration>) -> Delivery {
    let after = retry_after.unwrap_or(if status.as_u16() == 429 { THROTTLE_BACKOFF } else { NETWORK_BACKOFF });
    Delivery::Retry { after, reason: format!("HTTP {status}") }
}

/// A `Retry-After` header in seconds, if any.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let secs: u64 = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim().parse().ok()?;
    Some(Duration::from_secs(secs.min(24 * 3600)))
}

/// The same answer for every push of a batch.
pub(crate) fn all(n: usize, delivery: Delivery) -> Vec<Delivery> {
    vec![delivery; n]
}

/// Lowercase hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, data).as_ref())
}

/// At most `max` characters of `text` (vendors count characters, not bytes).
pub(crate) fn chars(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Milliseconds since the epoch.
pub(crate) fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A small stable number from a string (Xiaomi's and OPPO's integer `notify_id`).
pub(crate) fn small_id(text: &str, modulo: u32) -> u32 {
    let d = ring::digest::digest(&ring::digest::SHA256, text.as_bytes());
    let b = d.as_ref();
    u32::from_be_bytes([b[0], b[1], b[2], b[3]]) % modulo
}

/// An auth token (OAuth access token, OPPO's `auth_token`, vivo's `authToken`, APNs' JWT) kept
/// until shortly before it expires. The lock is held while fetching, so concurrent sends that
/// find no token wait for one fetch instead of each asking the vendor (they throttle that).
pub(crate) struct TokenCache {
    slot: Mutex<Option<(String, Instant)>>,
}

impl TokenCache {
    pub(crate) fn new() -> TokenCache {
        TokenCache { slot: Mutex::new(None) }
    }

    /// The cached token, or a fresh one from `fetch` (which says how long it lives). `stale`
    /// is a token the vendor has just refused: if it is still the cached one it is replaced; if
    /// another send already replaced it, that newer token is used without asking again.
    pub(crate) async fn get<F, Fut>(&self, stale: Option<&str>, fetch: F) -> Result<String, Delivery>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(String, Duration), Delivery>>,
    {
        let mut slot = self.slot.lock().await;
        if let Some((token, until)) = slot.as_ref()
            && Instant::now() < *until
            && stale != Some(token.as_str())
        {
            return Ok(token.clone());
        }
        let (token, lifetime) = fetch().await?;
        // Renew a little before the vendor's end: a tenth of the lifetime, at most 5 minutes.
        let margin = (lifetime / 10).min(Duration::from_secs(300));
        *slot = Some((token.clone(), Instant::now() + lifetime.saturating_sub(margin)));
        Ok(token)
    }
}

/// What one attempt with one auth token came to.
pub(crate) enum Attempt<T> {
    Done(T),
    /// The vendor says the auth token has expired or is invalid: fetch a new one, once.
    AuthExpired,
}

/// Runs `attempt` with the cached token and, if the vendor refuses the token, once more with a
/// fresh one. `fetch` gets a token; a second refusal is retried later rather than looped on.
pub(crate) async fn with_token<T, F, Fut, A, AFut>(
    cache: &TokenCache,
    fetch: F,
    attempt: A,
    fail: impl Fn(Delivery) -> T,
) -> T
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<(String, Duration), Delivery>>,
    A: Fn(String) -> AFut,
    AFut: Future<Output = Attempt<T>>,
{
    let token = match cache.get(None, &fetch).await {
        Ok(t) => t,
        Err(d) => return fail(d),
    };
    match attempt(token.clone()).await {
        Attempt::Done(t) => t,
        Attempt::AuthExpired => {
            let fresh = match cache.get(Some(&token), &fetch).await {
                Ok(t) => t,
                Err(d) => return fail(d),
            };
            match attempt(fresh).await {
                Attempt::Done(t) => t,
                Attempt::AuthExpired => fail(Delivery::Retry {
                    after: THROTTLE_BACKOFF,
                    reason: "auth token refused again after a refresh".into(),
                }),
            }
        }
    }
}

/// OAuth 2.0 client credentials (HMS, Honor): `{"access_token", "expires_in", ...}`.
/// An app's OAuth 2.0 client credentials at a vendor (HMS, Honor) and its cached access token.
pub(crate) struct OAuthApp {
    client_id: String,
    client_secret: crate::push::secret::Secret,
    token_url: String,
    token: TokenCache,
}

impl OAuthApp {
    pub(crate) fn new(client_id: &str, client_secret: &crate::push::secret::Secret, token_url: String) -> OAuthApp {
        OAuthApp {
            client_id: client_id.to_string(),
            client_secret: client_secret.clone(),
            token_url,
            token: TokenCache::new(),
        }
    }

    /// Runs `post` for `n` pushes with a valid access token (a fresh one, once, if the vendor
    /// says it expired); a token that cannot be had answers every push alike.
    pub(crate) async fn with_token<A, AFut>(&self, client: &reqwest::Client, n: usize, post: A) -> Vec<Delivery>
    where
        A: Fn(String) -> AFut,
        AFut: Future<Output = Attempt<Vec<Delivery>>>,
    {
        let fetch = || client_credentials(client, &self.token_url, &self.client_id, self.client_secret.expose());
        with_token(&self.token, fetch, post, |d| all(n, d)).await
    }
}

pub(crate) async fn client_credentials(
    client: &reqwest::Client,
    url: &str,
    client_id: &str,
    client_secret: &str,
) -> Result<(String, Duration), Delivery> {
    let form = [("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", client_secret)];
    let response = client.post(url).form(&form).send().await.map_err(|e| network(&e))?;
    let status = response.status();
    if status.as_u16() == 429 || status.is_server_error() {
        return Err(http_retry(status, retry_after(response.headers())));
    }
    let body: serde_json::Value = response.json().await.map_err(|e| Delivery::Retry {
        after: NETWORK_BACKOFF,
        reason: format!("token endpoint answered {status} without JSON: {}", without_url(&e)),
    })?;
    match body.get("access_token").and_then(|t| t.as_str()) {
        Some(token) if status.is_success() => {
            let secs = body.get("expires_in").and_then(|e| e.as_u64()).unwrap_or(3600);
            Ok((token.to_string(), Duration::from_secs(secs)))
        }
        // Wrong credentials: nothing a retry fixes until the configuration changes. The error
        // text is the vendor's (error / error_description), never our secret.
        _ => Err(Delivery::Failed {
            reason: format!(
                "token endpoint refused: {status} {} {}",
                body.get("error").map(|e| e.to_string()).unwrap_or_default(),
                body.get("error_description").and_then(|e| e.as_str()).unwrap_or("")
            ),
        }),
    }
}

/// Pushes with the same text, kind and collapse id, in first-seen order, each with the indexes
/// of its pushes in the batch: one multi-token request each.
/// Sends `batch` a group at a time — pushes with the same text, at most `max` to one request —
/// with `send_group`; the answers come back in the batch's order.
pub(crate) async fn in_groups<'a, Fut>(
    batch: &'a [Outgoing],
    max: usize,
    send_group: impl Fn(Vec<&'a Outgoing>) -> Fut,
) -> Vec<Delivery>
where
    Fut: Future<Output = Vec<Delivery>>,
{
    let mut out = vec![Delivery::Failed { reason: "not sent".into() }; batch.len()];
    for group in groups(batch, max) {
        let results = send_group(group.iter().map(|&i| &batch[i]).collect()).await;
        for (i, d) in group.into_iter().zip(results) {
            out[i] = d;
        }
    }
    out
}

fn groups(batch: &[Outgoing], max: usize) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, push) in batch.iter().enumerate() {
        let same = |g: &Vec<usize>| {
            let first = &batch[g[0]];
            g.len() < max && first.text == push.text && first.kind == push.kind && first.collapse_id == push.collapse_id
        };
        match groups.iter_mut().find(|g| same(g)) {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    groups
}

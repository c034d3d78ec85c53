//! Local stand-ins for the push vendors and SMS providers, one HTTP server each on 127.0.0.1,
//! speaking each one's documented contract: the same paths, the same authentication (APNs' ES256
//! JWT checked against the public key and its age, OAuth client credentials and issued tokens,
//! Xiaomi's `key=`, OPPO's SHA-256 and vivo's MD5 signs, Alibaba's HMAC-SHA1 and Tencent's
//! TC3-HMAC-SHA256 signatures, each recomputed here independently of the adapters), the fields
//! that file a push as a work message, the payload limits, and the vendors' success and error
//! answers. A test marks tokens invalid, expires the issued auth tokens or throttles the next
//! sends, and reads back what was delivered, every request body, and every breach of the
//! contract the fake saw (`violations`).

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri, Version};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use lvzhi_domain::push::PushVendor;
use md5::{Digest, Md5};
use ring::signature::{ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use serde_json::{Value, json};

/// One push the fake vendor accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub token: String,
    pub title: String,
    pub body: String,
    /// The whole request body as sent (a form, JSON).
    pub request: String,
}

/// The SMS providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsVendor {
    Aliyun,
    Tencent,
}

/// One text message a fake SMS provider accepted: the 11-digit number and the template's
/// parameters (Alibaba's by name; Tencent's positional, named "1", "2", …).
pub type SmsReceived = (String, Vec<(String, String)>);

#[derive(Clone, Copy)]
enum Kind {
    Push(PushVendor),
    Sms(SmsVendor),
}

// The credentials the fakes hand out in their config and check.
const APP_ID: &str = "10086";
const CLIENT_ID: &str = "fake-client";
const CLIENT_SECRET: &str = "fake-client-secret";
const APP_KEY: &str = "fake-app-key";
const APP_SECRET: &str = "fake-app-secret";
const PACKAGE: &str = "cn.lvzhi.app";
const CHANNEL: &str = "lvzhi_work";
const TEAM_ID: &str = "TEAM123456";
const KEY_ID: &str = "KEY1234567";
const TOPIC: &str = "cn.lvzhi.app";
const SECRET_ID: &str = "AKIDfake";
const SECRET_KEY: &str = "fake-secret-key";
const SIGN_NAME: &str = "履职";
const TEMPLATE: &str = "SMS_0001";
const SDK_APP_ID: &str = "1400000000";

/// Categories that file a message as service/work rather than marketing, per vendor.
const HMS_WORK: &[&str] =
    &["IM", "VOIP", "TRAVEL", "HEALTH", "WORK", "ACCOUNT", "EXPRESS", "FINANCE", "DEVICE_REMINDER", "MAIL"];
const OPPO_SERVICE: &[&str] = &["IM", "ACCOUNT", "DEVICE_REMINDER", "ORDER", "TODO", "SUBSCRIPTION"];
const VIVO_SYSTEM: &[&str] = &["IM", "ACCOUNT", "TODO", "DEVICE_REMINDER", "ORDER", "SUBSCRIPTION"];

#[derive(Default)]
struct Shared {
    deliveries: Mutex<Vec<Received>>,
    requests: Mutex<Vec<String>>,
    sms: Mutex<Vec<SmsReceived>>,
    violations: Mutex<Vec<String>>,
    invalid: Mutex<HashSet<String>>,
    issued: Mutex<HashSet<String>>,
    seen_ids: Mutex<HashSet<String>>,
    auth_requests: AtomicUsize,
    expire: AtomicBool,
    throttle: AtomicUsize,
    /// APNs: the public key the JWT must verify with.
    public_key: Mutex<Vec<u8>>,
}

struct Fake {
    kind: Kind,
    shared: Arc<Shared>,
}

/// A fake push vendor.
pub struct FakeVendor {
    pub vendor: PushVendor,
    /// http://127.0.0.1:port
    pub url: String,
    shared: Arc<Shared>,
    /// APNs: the .p8 key file lives here.
    dir: tempfile::TempDir,
    pkcs8: Vec<u8>,
}

/// A fake SMS provider.
pub struct FakeSms {
    pub provider: SmsVendor,
    pub url: String,
    shared: Arc<Shared>,
}

async fn serve(kind: Kind, shared: Arc<Shared>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a fake vendor");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let fake = Arc::new(Fake { kind, shared });
    let app = axum::Router::new().fallback(
        move |method: Method, uri: Uri, version: Version, headers: HeaderMap, body: Bytes| {
            let fake = fake.clone();
            async move { fake.handle(method, uri, version, headers, body) }
        },
    );
    // axum's serve (hyper-util's auto builder) also takes HTTP/2 with prior knowledge: APNs'.
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    url
}

impl Shared {
    fn violation(&self, what: String) {
        self.violations.lock().unwrap().push(what);
    }
    fn take_throttle(&self) -> bool {
        self.throttle.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok()
    }
    /// `expire_auth` takes effect on the next send: every issued token stops working.
    fn apply_expiry(&self) -> bool {
        if self.expire.swap(false, Ordering::SeqCst) {
            self.issued.lock().unwrap().clear();
            true
        } else {
            false
        }
    }
    fn issue(&self, prefix: &str) -> String {
        let n = self.auth_requests.fetch_add(1, Ordering::SeqCst) + 1;
        let token = format!("{prefix}-token-{n}");
        self.issued.lock().unwrap().insert(token.clone());
        token
    }
    fn valid(&self, token: &str) -> bool {
        self.issued.lock().unwrap().contains(token)
    }
    fn is_invalid(&self, token: &str) -> bool {
        self.invalid.lock().unwrap().contains(token)
    }
    fn deliver(&self, token: &str, title: &str, body: &str, request: &str) {
        self.deliveries.lock().unwrap().push(Received {
            token: token.into(),
            title: title.into(),
            body: body.into(),
            request: request.into(),
        });
    }
}

fn reply(status: u16, body: Value) -> Response {
    (StatusCode::from_u16(status).unwrap(), [("content-type", "application/json")], body.to_string()).into_response()
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

fn form(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_hex(data: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, data).as_ref())
}

fn hmac256(key: &[u8], data: &str) -> Vec<u8> {
    ring::hmac::sign(&ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key), data.as_bytes()).as_ref().to_vec()
}

fn s<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(|x| x.as_str()).unwrap_or("")
}

impl Fake {
    fn handle(&self, method: Method, uri: Uri, version: Version, headers: HeaderMap, body: Bytes) -> Response {
        let text = String::from_utf8_lossy(&body).to_string();
        let shared = &self.shared;
        let record = match self.kind {
            // Alibaba's SendSms is a GET: its "body" is the query.
            Kind::Sms(SmsVendor::Aliyun) => uri.query().unwrap_or("").to_string(),
            _ => text.clone(),
        };
        shared.requests.lock().unwrap().push(record);
        let path = uri.path().to_string();
        match self.kind {
            Kind::Push(PushVendor::Apns) => self.apns(&method, &path, version, &headers, &text),
            Kind::Push(PushVendor::Hms) => match path.as_str() {
                "/oauth2/v3/token" => self.oauth(&body, "hms"),
                p if p == format!("/v1/{APP_ID}/messages:send") => self.hms(&headers, &text),
                _ => reply(404, json!({"code": "404", "msg": "no such path"})),
            },
            Kind::Push(PushVendor::Honor) => match path.as_str() {
                "/auth/realms/developer/protocol/openid-connect/token" => self.oauth(&body, "honor"),
                p if p == format!("/api/v1/{APP_ID}/sendMessage") => self.honor(&headers, &text),
                _ => reply(404, json!({"code": 404, "message": "no such path"})),
            },
            Kind::Push(PushVendor::Xiaomi) => match path.as_str() {
                "/v3/message/regid" => self.xiaomi(&headers, &body, &text),
                _ => reply(404, json!({"result": "error", "code": 404})),
            },
            Kind::Push(PushVendor::Oppo) => match path.as_str() {
                "/server/v1/auth" => self.oppo_auth(&body),
                "/server/v1/message/notification/unicast_batch" => self.oppo(&headers, &body, &text),
                _ => reply(404, json!({"code": 20, "message": "Invalid Method"})),
            },
            Kind::Push(PushVendor::Vivo) => match path.as_str() {
                "/message/auth" => self.vivo_auth(&text),
                "/message/send" => self.vivo(&headers, &text),
                _ => reply(404, json!({"result": 404, "desc": "no such path"})),
            },
            Kind::Sms(SmsVendor::Aliyun) => self.aliyun(&method, &uri),
            Kind::Sms(SmsVendor::Tencent) => self.tencent(&headers, &text),
        }
    }

    // ---- APNs ----

    fn apns(&self, method: &Method, path: &str, version: Version, headers: &HeaderMap, text: &str) -> Response {
        let shared = &self.shared;
        let apns_id = header(headers, "apns-id").to_string();
        let err = |status: u16, reason: &str| {
            let mut r = reply(status, json!({"reason": reason}));
            if let Ok(v) = apns_id.parse() {
                r.headers_mut().insert("apns-id", v);
            }
            r
        };
        if version != Version::HTTP_2 {
            shared.violation(format!("APNs request over {version:?}, not HTTP/2"));
            return err(400, "BadRequest");
        }
        let Some(token) = path.strip_prefix("/3/device/") else { return err(404, "BadPath") };
        if method != Method::POST {
            return err(405, "MethodNotAllowed");
        }
        // The provider token.
        let Some(jwt) = header(headers, "authorization").strip_prefix("bearer ") else {
            shared.violation("APNs: no bearer authorization".into());
            return err(403, "MissingProviderToken");
        };
        match self.check_jwt(jwt) {
            Ok(()) => {}
            Err(reason) => return err(403, reason),
        }
        if shared.expire.swap(false, Ordering::SeqCst) {
            return err(403, "ExpiredProviderToken");
        }
        // The headers Apple wants for an alert.
        if header(headers, "apns-topic") != TOPIC {
            return err(400, "BadTopic");
        }
        for (name, want) in [("apns-push-type", "alert"), ("apns-priority", "10")] {
            if header(headers, name) != want {
                shared.violation(format!("APNs: {name} is {:?}, want {want}", header(headers, name)));
                return err(400, if name == "apns-priority" { "BadPriority" } else { "InvalidPushType" });
            }
        }
        let uuid_ok = apns_id.len() == 36
            && apns_id
                .chars()
                .enumerate()
                .all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() });
        if !uuid_ok {
            return err(400, "BadMessageId");
        }
        let collapse = header(headers, "apns-collapse-id");
        if collapse.is_empty() || collapse.len() > 64 {
            return err(400, "BadCollapseId");
        }
        if header(headers, "apns-expiration").parse::<i64>().is_err() {
            return err(400, "BadExpirationDate");
        }
        if text.len() > 4096 {
            return err(413, "PayloadTooLarge");
        }
        let Ok(payload) = serde_json::from_str::<Value>(text) else { return err(400, "BadPayload") };
        let (title, body) = (s(&payload, "/aps/alert/title"), s(&payload, "/aps/alert/body"));
        if title.is_empty() || body.is_empty() || payload.pointer("/aps/badge").and_then(|b| b.as_u64()).is_none() {
            shared.violation(format!("APNs: payload without alert title, body or badge: {text}"));
            return err(400, "PayloadEmpty");
        }
        if shared.take_throttle() {
            return err(429, "TooManyRequests");
        }
        if shared.is_invalid(token) {
            return reply(410, json!({"reason": "Unregistered", "timestamp": chrono::Utc::now().timestamp_millis()}));
        }
        if token.is_empty() || !token.chars().all(|c| c.is_ascii_alphanumeric()) {
            return err(400, "BadDeviceToken");
        }
        shared.deliver(token, title, body, text);
        let mut r = StatusCode::OK.into_response();
        r.headers_mut().insert("apns-id", apns_id.parse().unwrap());
        r
    }

    fn check_jwt(&self, jwt: &str) -> Result<(), &'static str> {
        let shared = &self.shared;
        let parts: Vec<&str> = jwt.split('.').collect();
        if parts.len() != 3 {
            return Err("InvalidProviderToken");
        }
        let decode = |p: &str| URL_SAFE_NO_PAD.decode(p).ok();
        let (Some(h), Some(c), Some(sig)) = (decode(parts[0]), decode(parts[1]), decode(parts[2])) else {
            return Err("InvalidProviderToken");
        };
        let (Ok(h), Ok(c)) = (serde_json::from_slice::<Value>(&h), serde_json::from_slice::<Value>(&c)) else {
            return Err("InvalidProviderToken");
        };
        if s(&h, "/alg") != "ES256" || s(&h, "/kid") != KEY_ID || s(&c, "/iss") != TEAM_ID {
            shared.violation(format!("APNs JWT header {h} / claims {c}"));
            return Err("InvalidProviderToken");
        }
        let public = shared.public_key.lock().unwrap().clone();
        let signed = format!("{}.{}", parts[0], parts[1]);
        if ring::signature::UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &public)
            .verify(signed.as_bytes(), &sig)
            .is_err()
        {
            shared.violation("APNs JWT signature does not verify".into());
            return Err("InvalidProviderToken");
        }
        let iat = c.get("iat").and_then(|i| i.as_i64()).ok_or("InvalidProviderToken")?;
        let age = chrono::Utc::now().timestamp() - iat;
        if age > 3600 {
            return Err("ExpiredProviderToken");
        }
        if age < -60 {
            return Err("InvalidProviderToken");
        }
        Ok(())
    }

    // ---- OAuth client credentials (HMS, Honor) ----

    fn oauth(&self, body: &[u8], prefix: &str) -> Response {
        let f = form(body);
        if field(&f, "grant_type") != Some("client_credentials")
            || field(&f, "client_id") != Some(CLIENT_ID)
            || field(&f, "client_secret") != Some(CLIENT_SECRET)
        {
            return reply(400, json!({"error": 1101, "error_description": "invalid client"}));
        }
        let token = self.shared.issue(prefix);
        reply(200, json!({"access_token": token, "expires_in": 3600, "token_type": "Bearer"}))
    }

    fn bearer_ok(&self, headers: &HeaderMap) -> bool {
        self.shared.apply_expiry();
        header(headers, "authorization").strip_prefix("Bearer ").is_some_and(|t| self.shared.valid(t))
    }

    // ---- HMS ----

    fn hms(&self, headers: &HeaderMap, text: &str) -> Response {
        let shared = &self.shared;
        if !self.bearer_ok(headers) {
            return reply(401, json!({"code": "80200003", "msg": "Oauth token expired.", "requestId": "r"}));
        }
        let Ok(req) = serde_json::from_str::<Value>(text) else {
            return reply(400, json!({"code": "80100001", "msg": "Some request parameters are incorrect."}));
        };
        let mut message = req.get("message").cloned().unwrap_or_default();
        let tokens: Vec<String> = message
            .get("token")
            .and_then(|t| t.as_array())
            .map(|a| a.iter().filter_map(|t| t.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        if tokens.is_empty() || tokens.len() > 1000 {
            return reply(400, json!({"code": "80300010", "msg": "The number of tokens is out of range."}));
        }
        if let Some(m) = message.as_object_mut() {
            m.remove("token");
        }
        if message.to_string().len() > 4096 {
            return reply(400, json!({"code": "80300008", "msg": "The message body size exceeds the default value."}));
        }
        let category = s(&message, "/android/category");
        let (title, body) = (s(&message, "/android/notification/title"), s(&message, "/android/notification/body"));
        let importance = s(&message, "/android/notification/importance");
        if req.get("validate_only") != Some(&Value::Bool(false))
            || !HMS_WORK.contains(&category)
            || importance != "NORMAL"
            || title.is_empty()
            || body.is_empty()
            || message.pointer("/android/notification/click_action/type").is_none()
        {
            shared.violation(format!("HMS: not a work notification: {text}"));
            return reply(400, json!({"code": "80100003", "msg": "Illegal payload"}));
        }
        if shared.take_throttle() {
            return reply(503, json!({"code": "81000001", "msg": "Traffic control"}));
        }
        let (bad, good): (Vec<String>, Vec<String>) = tokens.into_iter().partition(|t| shared.is_invalid(t));
        for t in &good {
            shared.deliver(t, title, body, text);
        }
        if good.is_empty() {
            return reply(200, json!({"code": "80300007", "msg": "All the tokens are invalid", "requestId": "r"}));
        }
        if !bad.is_empty() {
            let msg = json!({"success": good.len(), "failure": bad.len(), "illegal_tokens": bad}).to_string();
            return reply(200, json!({"code": "80100000", "msg": msg, "requestId": "r"}));
        }
        reply(200, json!({"code": "80000000", "msg": "Success", "requestId": "r"}))
    }

    // ---- Honor ----

    fn honor(&self, headers: &HeaderMap, text: &str) -> Response {
        let shared = &self.shared;
        if !self.bearer_ok(headers) {
            return reply(401, json!({"code": 80200003, "message": "token expired"}));
        }
        if header(headers, "timestamp").parse::<i64>().is_err() {
            shared.violation("Honor: no timestamp header".into());
            return reply(400, json!({"code": 80100001, "message": "missing timestamp"}));
        }
        let Ok(req) = serde_json::from_str::<Value>(text) else {
            return reply(400, json!({"code": 80100001, "message": "bad json"}));
        };
        let tokens: Vec<String> = req
            .get("token")
            .and_then(|t| t.as_array())
            .map(|a| a.iter().filter_map(|t| t.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        if tokens.is_empty() || tokens.len() > 1000 {
            return reply(400, json!({"code": 80300010, "message": "token count out of range"}));
        }
        let (title, body) = (s(&req, "/android/notification/title"), s(&req, "/android/notification/body"));
        if s(&req, "/android/notification/importance") != "NORMAL"
            || title.is_empty()
            || body.is_empty()
            || req.pointer("/android/notification/clickAction/type").is_none()
        {
            shared.violation(format!("Honor: not a service notification: {text}"));
            return reply(400, json!({"code": 80100003, "message": "Illegal payload"}));
        }
        if text.len() > 4096 + tokens.iter().map(|t| t.len() + 3).sum::<usize>() {
            return reply(400, json!({"code": 80300008, "message": "message too large"}));
        }
        if shared.take_throttle() {
            return reply(429, json!({"code": 81000001, "message": "flow control"}));
        }
        let (bad, good): (Vec<String>, Vec<String>) = tokens.into_iter().partition(|t| shared.is_invalid(t));
        for t in &good {
            shared.deliver(t, title, body, text);
        }
        if good.is_empty() {
            return reply(200, json!({"code": 80300007, "message": "all tokens invalid"}));
        }
        reply(
            200,
            json!({"code": 200, "message": "success", "data": {
                "sendResult": true, "requestId": "r", "failTokens": [], "expireTokens": bad}}),
        )
    }

    // ---- Xiaomi ----

    fn xiaomi(&self, headers: &HeaderMap, raw: &[u8], text: &str) -> Response {
        let shared = &self.shared;
        if header(headers, "authorization") != format!("key={APP_SECRET}") {
            return reply(
                200,
                json!({"result": "error", "code": 21301, "reason": "认证失败", "description": "认证失败"}),
            );
        }
        let f = form(raw);
        let regids: Vec<String> = field(&f, "registration_id")
            .unwrap_or("")
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let (title, body) = (field(&f, "title").unwrap_or(""), field(&f, "description").unwrap_or(""));
        if regids.is_empty()
            || regids.len() > 1000
            || title.is_empty()
            || body.is_empty()
            || field(&f, "restricted_package_name") != Some(PACKAGE)
            || field(&f, "pass_through") != Some("0")
            || field(&f, "notify_id").and_then(|n| n.parse::<i64>().ok()).is_none()
            || field(&f, "extra.channel_id") != Some(CHANNEL)
            || field(&f, "payload").is_some_and(|p| p.len() > 4096)
        {
            shared.violation(format!("Xiaomi: not a 私信-channel notification: {text}"));
            return reply(200, json!({"result": "error", "code": 10017, "reason": "参数错误"}));
        }
        if shared.take_throttle() {
            return reply(200, json!({"result": "error", "code": 200001, "reason": "超出每日推送配额"}));
        }
        let (bad, good): (Vec<String>, Vec<String>) = regids.into_iter().partition(|t| shared.is_invalid(t));
        if good.is_empty() {
            return reply(200, json!({"result": "error", "code": 20301, "reason": "No valid targets!"}));
        }
        for t in &good {
            shared.deliver(t, title, body, text);
        }
        let mut data = json!({"id": "slm0001"});
        if !bad.is_empty() {
            data["bad_regids"] = bad.join(",").into();
        }
        reply(
            200,
            json!({"result": "ok", "trace_id": "t", "code": 0, "data": data, "description": "成功", "info": "Received push messages"}),
        )
    }

    // ---- OPPO ----

    fn oppo_auth(&self, raw: &[u8]) -> Response {
        let f = form(raw);
        let (key, ts, sign) =
            (field(&f, "app_key").unwrap_or(""), field(&f, "timestamp").unwrap_or(""), field(&f, "sign").unwrap_or(""));
        if key != APP_KEY {
            return reply(200, json!({"code": 14, "message": "Invalid App Key"}));
        }
        let Ok(ms) = ts.parse::<i64>() else { return reply(200, json!({"code": 19, "message": "Invalid Timestamp"})) };
        if (chrono::Utc::now().timestamp_millis() - ms).abs() > 10 * 60 * 1000 {
            return reply(200, json!({"code": 19, "message": "Invalid Timestamp"}));
        }
        if sign != sha256_hex(format!("{key}{ts}{APP_SECRET}").as_bytes()) {
            self.shared.violation("OPPO: auth sign does not verify".into());
            return reply(200, json!({"code": 16, "message": "Invalid Signature"}));
        }
        let token = self.shared.issue("oppo");
        reply(200, json!({"code": 0, "message": "Success", "data": {"auth_token": token, "create_time": ms}}))
    }

    fn oppo(&self, headers: &HeaderMap, raw: &[u8], text: &str) -> Response {
        let shared = &self.shared;
        shared.apply_expiry();
        let f = form(raw);
        let token = match header(headers, "auth_token") {
            "" => field(&f, "auth_token").unwrap_or(""),
            t => t,
        };
        if !shared.valid(token) {
            return reply(200, json!({"code": 11, "message": "Invalid AuthToken"}));
        }
        let Some(messages) = field(&f, "messages").and_then(|m| serde_json::from_str::<Vec<Value>>(m).ok()) else {
            return reply(200, json!({"code": 40, "message": "Missing Required Arguments"}));
        };
        if messages.is_empty() || messages.len() > 1000 {
            return reply(200, json!({"code": 41, "message": "Invalid Arguments"}));
        }
        for m in &messages {
            let n = &m["notification"];
            let ok = m.get("target_type").and_then(|t| t.as_i64()) == Some(2)
                && !s(m, "/target_value").is_empty()
                && !s(n, "/title").is_empty()
                && !s(n, "/content").is_empty()
                && OPPO_SERVICE.contains(&s(n, "/category"))
                && n.get("notify_level").and_then(|l| l.as_i64()).is_some()
                && s(n, "/channel_id") == CHANNEL;
            if !ok {
                shared.violation(format!("OPPO: not a service-category 私信 notification: {m}"));
                return reply(200, json!({"code": 67, "message": "Category error"}));
            }
        }
        if shared.take_throttle() {
            return reply(200, json!({"code": -2, "message": "Service in Flow Control"}));
        }
        let data: Vec<Value> = messages
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let regid = s(m, "/target_value");
                if shared.is_invalid(regid) {
                    json!({"registrationId": regid, "errorCode": 10000, "errorMessage": "Invalid Registration_id"})
                } else {
                    shared.deliver(regid, s(m, "/notification/title"), s(m, "/notification/content"), text);
                    json!({"registrationId": regid, "messageId": format!("fake-1-1-{i}")})
                }
            })
            .collect();
        reply(200, json!({"code": 0, "message": "", "data": data}))
    }

    // ---- vivo ----

    fn vivo_auth(&self, text: &str) -> Response {
        let Ok(req) = serde_json::from_str::<Value>(text) else {
            return reply(200, json!({"result": 10001, "desc": "bad json"}));
        };
        let as_text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        let (id, key, ts) = (as_text(&req["appId"]), as_text(&req["appKey"]), as_text(&req["timestamp"]));
        if id != APP_ID || key != APP_KEY {
            return reply(200, json!({"result": 10002, "desc": "appId 或 appKey 不合法"}));
        }
        let sign = s(&req, "/sign");
        if sign != hex(&Md5::digest(format!("{id}{key}{ts}{APP_SECRET}").as_bytes())) {
            self.shared.violation("vivo: auth sign does not verify".into());
            return reply(200, json!({"result": 10003, "desc": "sign 校验失败"}));
        }
        let token = self.shared.issue("vivo");
        reply(200, json!({"result": 0, "desc": "请求成功", "authToken": token}))
    }

    fn vivo(&self, headers: &HeaderMap, text: &str) -> Response {
        let shared = &self.shared;
        shared.apply_expiry();
        if !shared.valid(header(headers, "authToken")) {
            return reply(200, json!({"result": 10000, "desc": "权限认证失败"}));
        }
        let Ok(req) = serde_json::from_str::<Value>(text) else {
            return reply(200, json!({"result": 10001, "desc": "bad json"}));
        };
        let (regid, title, content, request_id) =
            (s(&req, "/regId"), s(&req, "/title"), s(&req, "/content"), s(&req, "/requestId"));
        let ok = !regid.is_empty()
            && !title.is_empty()
            && title.chars().count() <= 40
            && !content.is_empty()
            && content.chars().count() <= 100
            && req.get("classification").and_then(|c| c.as_i64()) == Some(1)
            && VIVO_SYSTEM.contains(&s(&req, "/category"))
            && req.get("notifyType").and_then(|n| n.as_i64()).is_some_and(|n| (1..=4).contains(&n))
            && req.get("skipType").and_then(|n| n.as_i64()).is_some()
            && !request_id.is_empty();
        if !ok {
            shared.violation(format!("vivo: not a 系统消息: {text}"));
            return reply(200, json!({"result": 10055, "desc": "参数不合法"}));
        }
        if shared.take_throttle() {
            return reply(200, json!({"result": 10072, "desc": "发送速度过快"}));
        }
        if shared.is_invalid(regid) {
            return reply(200, json!({"result": 10302, "desc": "regId 不合法"}));
        }
        // vivo drops a repeat of a requestId.
        if shared.seen_ids.lock().unwrap().insert(request_id.to_string()) {
            shared.deliver(regid, title, content, text);
        }
        reply(200, json!({"result": 0, "desc": "请求成功", "taskId": format!("task-{request_id}")}))
    }

    // ---- Alibaba Cloud SMS ----

    fn aliyun(&self, method: &Method, uri: &Uri) -> Response {
        let shared = &self.shared;
        let err = |status: u16, code: &str, message: &str| {
            reply(status, json!({"Code": code, "Message": message, "RequestId": "r"}))
        };
        let params: Vec<(String, String)> = serde_urlencoded::from_str(uri.query().unwrap_or("")).unwrap_or_default();
        let get = |name: &str| field(&params, name).unwrap_or("");
        let Some(signature) = field(&params, "Signature") else { return err(400, "MissingSignature", "no Signature") };
        // Recompute: sorted, RFC 3986 percent-encoding, "GET&%2F&" + encoded query, key secret + "&".
        let enc = |t: &str| {
            t.bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect::<String>()
        };
        let mut unsigned: Vec<&(String, String)> = params.iter().filter(|(k, _)| k != "Signature").collect();
        unsigned.sort();
        let query = unsigned.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&");
        let to_sign = format!("{}&{}&{}", method.as_str(), enc("/"), enc(&query));
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, format!("{SECRET_KEY}&").as_bytes());
        let expected = STANDARD.encode(ring::hmac::sign(&key, to_sign.as_bytes()).as_ref());
        if get("AccessKeyId") != SECRET_ID {
            return err(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        }
        if signature != expected {
            shared.violation("Aliyun: signature does not verify".into());
            return err(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
        }
        let fresh = chrono::DateTime::parse_from_rfc3339(get("Timestamp"))
            .is_ok_and(|t| (chrono::Utc::now().timestamp() - t.timestamp()).abs() < 15 * 60);
        if !fresh || get("SignatureMethod") != "HMAC-SHA1" || get("SignatureVersion") != "1.0" {
            shared.violation(format!("Aliyun: common parameters {params:?}"));
            return err(400, "InvalidTimeStamp.Expired", "timestamp or signature method");
        }
        if !shared.seen_ids.lock().unwrap().insert(format!("nonce:{}", get("SignatureNonce"))) {
            return err(400, "SignatureNonceUsed", "Specified signature nonce was used already.");
        }
        if get("Action") != "SendSms" || get("Version") != "2017-05-25" {
            return err(400, "InvalidVersion", "action or version");
        }
        if get("SignName") != SIGN_NAME || get("TemplateCode") != TEMPLATE || get("OutId").is_empty() {
            shared.violation(format!("Aliyun: SendSms parameters {params:?}"));
            return err(200, "isv.SMS_TEMPLATE_ILLEGAL", "template or sign");
        }
        let Ok(Value::Object(template)) = serde_json::from_str::<Value>(get("TemplateParam")) else {
            return err(200, "isv.INVALID_JSON_PARAM", "TemplateParam is not JSON");
        };
        if shared.take_throttle() {
            return err(200, "isv.BUSINESS_LIMIT_CONTROL", "触发小时级流控Permits:5");
        }
        let phone = get("PhoneNumbers");
        if shared.is_invalid(phone) || phone.len() != 11 || !phone.bytes().all(|b| b.is_ascii_digit()) {
            return err(200, "isv.MOBILE_NUMBER_ILLEGAL", "非法手机号");
        }
        let params = template.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string())).collect();
        shared.sms.lock().unwrap().push((phone.to_string(), params));
        reply(200, json!({"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "r"}))
    }

    // ---- Tencent Cloud SMS ----

    fn tencent(&self, headers: &HeaderMap, text: &str) -> Response {
        let shared = &self.shared;
        let err = |code: &str, message: &str| {
            reply(200, json!({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": "r"}}))
        };
        let auth = header(headers, "authorization");
        let Some(rest) = auth.strip_prefix("TC3-HMAC-SHA256 Credential=") else {
            return err("AuthFailure.SignatureFailure", "no TC3 authorization");
        };
        let mut parts = rest.split(", ");
        let credential = parts.next().unwrap_or("");
        let signed_headers = parts.next().unwrap_or("").strip_prefix("SignedHeaders=").unwrap_or("");
        let signature = parts.next().unwrap_or("").strip_prefix("Signature=").unwrap_or("");
        let timestamp: i64 = header(headers, "x-tc-timestamp").parse().unwrap_or(0);
        if (chrono::Utc::now().timestamp() - timestamp).abs() > 300 {
            return err("AuthFailure.SignatureExpire", "signature expired");
        }
        let date = chrono::DateTime::from_timestamp(timestamp, 0).unwrap().format("%Y-%m-%d").to_string();
        if credential != format!("{SECRET_ID}/{date}/sms/tc3_request") {
            return err("AuthFailure.SecretIdNotFound", "credential");
        }
        if signed_headers != "content-type;host" {
            shared.violation(format!("Tencent: signed headers {signed_headers}"));
            return err("AuthFailure.SignatureFailure", "signed headers");
        }
        let canonical = format!(
            "POST\n/\n\ncontent-type:{}\nhost:{}\n\ncontent-type;host\n{}",
            header(headers, "content-type"),
            header(headers, "host"),
            sha256_hex(text.as_bytes())
        );
        let to_sign =
            format!("TC3-HMAC-SHA256\n{timestamp}\n{date}/sms/tc3_request\n{}", sha256_hex(canonical.as_bytes()));
        let k = hmac256(&hmac256(&hmac256(format!("TC3{SECRET_KEY}").as_bytes(), &date), "sms"), "tc3_request");
        if signature != hex(&hmac256(&k, &to_sign)) {
            shared.violation("Tencent: TC3 signature does not verify".into());
            return err("AuthFailure.SignatureFailure", "The provided credentials could not be validated.");
        }
        if header(headers, "x-tc-action") != "SendSms"
            || header(headers, "x-tc-version") != "2021-01-11"
            || header(headers, "x-tc-region").is_empty()
        {
            return err("InvalidAction", "action, version or region");
        }
        let Ok(req) = serde_json::from_str::<Value>(text) else { return err("InvalidParameter", "bad json") };
        if s(&req, "/SmsSdkAppId") != SDK_APP_ID
            || s(&req, "/SignName") != SIGN_NAME
            || s(&req, "/TemplateId") != TEMPLATE
            || s(&req, "/SessionContext").is_empty()
        {
            shared.violation(format!("Tencent: SendSms parameters {text}"));
            return err("InvalidParameterValue", "app, sign or template");
        }
        if shared.take_throttle() {
            let phone = s(&req, "/PhoneNumberSet/0");
            return reply(
                200,
                json!({"Response": {"SendStatusSet": [{"SerialNo": "", "PhoneNumber": phone, "Fee": 0, "SessionContext": "", "Code": "LimitExceeded.PhoneNumberThirtySecondLimit", "Message": "单个手机号30秒内下发短信条数超过设定的上限", "IsoCode": "CN"}], "RequestId": "r"}}),
            );
        }
        let params: Vec<(String, String)> = req
            .get("TemplateParamSet")
            .and_then(|p| p.as_array())
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, v)| ((i + 1).to_string(), v.as_str().unwrap_or("").to_string()))
            .collect();
        let statuses: Vec<Value> = req
            .get("PhoneNumberSet")
            .and_then(|p| p.as_array())
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str())
            .map(|phone| {
                let national = phone.strip_prefix("+86").unwrap_or("");
                if shared.is_invalid(national) || national.len() != 11 {
                    json!({"SerialNo": "", "PhoneNumber": phone, "Fee": 0, "SessionContext": "", "Code": "InvalidParameterValue.IncorrectPhoneNumber", "Message": "手机号格式错误", "IsoCode": ""})
                } else {
                    shared.sms.lock().unwrap().push((national.to_string(), params.clone()));
                    json!({"SerialNo": "2028:f825e6b16e23f73f4123", "PhoneNumber": phone, "Fee": 1, "SessionContext": "", "Code": "Ok", "Message": "send success", "IsoCode": "CN"})
                }
            })
            .collect();
        reply(200, json!({"Response": {"SendStatusSet": statuses, "RequestId": "r"}}))
    }
}

impl FakeVendor {
    /// A fake `vendor` on 127.0.0.1, a free port.
    pub async fn start(vendor: PushVendor) -> FakeVendor {
        let shared = Arc::new(Shared::default());
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap().as_ref().to_vec();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8, &rng).unwrap();
        *shared.public_key.lock().unwrap() = pair.public_key().as_ref().to_vec();
        let url = serve(Kind::Push(vendor), shared.clone()).await;
        FakeVendor { vendor, url, shared, dir: tempfile::tempdir().unwrap(), pkcs8 }
    }

    /// What goes under the vendor's key in the server's push configuration, pointing at this
    /// fake (for APNs, a fresh .p8 key written into a directory the fake owns).
    pub fn config_json(&self) -> Value {
        match self.vendor {
            PushVendor::Apns => {
                let path = self.dir.path().join(format!("AuthKey_{KEY_ID}.p8"));
                let b64 = STANDARD.encode(&self.pkcs8);
                let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap()).collect();
                let pem = format!("-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n", lines.join("\n"));
                std::fs::write(&path, pem).unwrap();
                json!({"team_id": TEAM_ID, "key_id": KEY_ID, "key_file": path, "topic": TOPIC, "endpoint": self.url})
            }
            PushVendor::Hms => json!({"app_id": APP_ID, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "token_url": format!("{}/oauth2/v3/token", self.url), "endpoint": self.url}),
            PushVendor::Honor => json!({"app_id": APP_ID, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                "token_url": format!("{}/auth/realms/developer/protocol/openid-connect/token", self.url), "endpoint": self.url}),
            PushVendor::Xiaomi => {
                json!({"app_secret": APP_SECRET, "package_name": PACKAGE, "channel_id": CHANNEL, "endpoint": self.url})
            }
            PushVendor::Oppo => {
                json!({"app_key": APP_KEY, "master_secret": APP_SECRET, "channel_id": CHANNEL, "endpoint": self.url})
            }
            PushVendor::Vivo => {
                json!({"app_id": APP_ID, "app_key": APP_KEY, "app_secret": APP_SECRET, "endpoint": self.url})
            }
        }
    }

    /// The pushes accepted, in order.
    pub fn deliveries(&self) -> Vec<Received> {
        self.shared.deliveries.lock().unwrap().clone()
    }

    /// Every request body received (auth requests included).
    pub fn requests(&self) -> Vec<String> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// Breaches of the vendor's contract the fake saw (a wrong sign, a missing work category…).
    pub fn violations(&self) -> Vec<String> {
        self.shared.violations.lock().unwrap().clone()
    }

    /// How many auth tokens the fake has issued (OAuth, OPPO, vivo).
    pub fn auth_requests(&self) -> usize {
        self.shared.auth_requests.load(Ordering::SeqCst)
    }

    /// Answer this device token as invalid / unregistered from now on.
    pub fn mark_invalid(&self, token: &str) {
        self.shared.invalid.lock().unwrap().insert(token.into());
    }

    /// The next send finds its auth token expired (APNs: 403 ExpiredProviderToken once; the
    /// token vendors forget every token issued so far). Xiaomi has no auth token: no effect.
    pub fn expire_auth(&self) {
        self.shared.expire.store(true, Ordering::SeqCst);
    }

    /// The next `n` sends are throttled (each vendor's flow-control or quota answer).
    pub fn throttle_next(&self, n: usize) {
        self.shared.throttle.store(n, Ordering::SeqCst);
    }
}

impl FakeSms {
    pub async fn start(provider: SmsVendor) -> FakeSms {
        let shared = Arc::new(Shared::default());
        let url = serve(Kind::Sms(provider), shared.clone()).await;
        FakeSms { provider, url, shared }
    }

    /// The server's `sms` configuration section for this provider.
    pub fn config_json(&self) -> Value {
        match self.provider {
            SmsVendor::Aliyun => {
                json!({"provider": "aliyun", "access_key_id": SECRET_ID, "access_key_secret": SECRET_KEY,
                "sign_name": SIGN_NAME, "template_code": TEMPLATE, "endpoint": self.url})
            }
            SmsVendor::Tencent => json!({"provider": "tencent", "secret_id": SECRET_ID, "secret_key": SECRET_KEY,
                "sdk_app_id": SDK_APP_ID, "sign_name": SIGN_NAME, "template_id": TEMPLATE, "region": "ap-guangzhou",
                "endpoint": self.url}),
        }
    }

    /// The messages accepted: the 11-digit number and the template parameters (Alibaba's by
    /// name; Tencent's positional, named "1", "2", …).
    pub fn messages(&self) -> Vec<SmsReceived> {
        self.shared.sms.lock().unwrap().clone()
    }

    pub fn requests(&self) -> Vec<String> {
        self.shared.requests.lock().unwrap().clone()
    }

    pub fn violations(&self) -> Vec<String> {
        self.shared.violations.lock().unwrap().clone()
    }

    /// Answer this number as not a mobile number.
    pub fn mark_invalid(&self, phone: &str) {
        self.shared.invalid.lock().unwrap().insert(phone.into());
    }

    pub fn throttle_next(&self, n: usize) {
        self.shared.throttle.store(n, Ordering::SeqCst);
    }
}

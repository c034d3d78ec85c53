//! The 委员工作室 public pages: a door from the internet, without any login. A resident opens
//! a studio's page (from the QR poster), leaves a message and gets a lookup code; with the code
//! they read the answer later. The studio's members receive the message on their phones (sync,
//! and a push to those on duty); staff see it in the console.
//!
//! What keeps the door safe:
//! - per-address limits on pages, messages and lookups (429 with `Retry-After`; an IPv6
//!   address counts by its /64, what one subscriber holds), taken before a body is read, and a
//!   cap on each studio's messages a day;
//! - bodies within a photo's 5 MiB and texts within the domain's bounds (`liaison::studio`); a
//!   photo must decode as a JPEG or PNG image;
//! - every value escaped by maud, a Content-Security-Policy allowing only this server's own
//!   script and style (a `<script>` in a message is text);
//! - a proof of work per message (`studio.js` finds a nonce; [`work_done`] checks it) on a
//!   challenge the server signed (HMAC with a key kept in the database, so every server process
//!   knows it) and that is half an hour old at most; each challenge is spent once
//!   (`studio_lookups.challenge` is unique), claimed before any work is done for it;
//! - the lookup code derived from the challenge by the same key: a message sent again after a
//!   lost answer is recognised and shows its code again instead of being stored twice;
//! - nothing of anyone else visible: the page shows the studio, a code shows its own message
//!   and answer, never a name or a phone, and a wrong code reads the same as an unknown one.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use crate::console::upload::AnyForm;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lvzhi_domain::ids::{new_id, sha256_hex};
use lvzhi_domain::liaison::studio::{self, Studio, StudioMessage};
use lvzhi_domain::protocol::EntityKind;
use lvzhi_domain::time::{cst, from_millis, to_millis};
use lvzhi_sql::{OptionalExtension, params};
use maud::{DOCTYPE, Markup, html};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;
use crate::audit::ClientAddr;
use crate::limits::{Limiter, Limits};

/// The largest form a page takes: a message of at most 1,000 characters, and a photo.
const MAX_FORM_BYTES: usize = crate::blobs::PUBLIC_PHOTO_MAX_BYTES as usize + 64 * 1024;
/// How long a page's challenge may be used.
const CHALLENGE_TTL_MS: i64 = 30 * 60 * 1000;
/// Letters of a lookup code: no 0/O, 1/I to misread.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const CODE_LEN: usize = 12;

/// The most messages one studio takes in a China day from its public page.
pub const MESSAGES_PER_STUDIO_A_DAY: i64 = 200;
/// The largest lookup form read (a code is 14 characters).
const MAX_LOOKUP_BYTES: usize = 1024;
/// Time a request to these pages may take: a 5 MiB photo over 2G takes minutes.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(300);

/// The public pages' limits, per client address, and the key their challenges and codes are
/// made with.
pub struct Limiters {
    pages: Limiter<IpAddr>,
    posts: Limiter<IpAddr>,
    lookups: Limiter<IpAddr>,
    work_bits: u32,
    key: std::sync::OnceLock<ring::hmac::Key>,
}

impl Limiters {
    pub fn new(l: &Limits) -> Limiters {
        Limiters {
            pages: Limiter::new(l.studio_pages_per_address),
            posts: Limiter::new(l.studio_posts_per_address),
            lookups: Limiter::new(l.studio_lookups_per_address),
            work_bits: l.studio_work_bits,
            key: std::sync::OnceLock::new(),
        }
    }
}

/// The door's HMAC key: made once, on first use, and kept in `signing_keys` so that every
/// server process on one database signs and checks alike.
fn door_key(app: &AppState) -> Result<&ring::hmac::Key, Box<Response>> {
    if let Some(k) = app.studio_limits.key.get() {
        return Ok(k);
    }
    let fresh = random_bytes::<32>().ok_or_else(|| Box::new(unavailable("random source unavailable")))?;
    let now = to_millis((app.clock)());
    let stored: Result<Vec<u8>, lvzhi_store::Error> = app.store.write(|tx| {
        tx.execute(
            "INSERT INTO signing_keys (purpose, pkcs8, created_at) VALUES ('studio_door', ?1, ?2)
             ON CONFLICT (purpose) DO NOTHING",
            params![fresh.to_vec(), now],
        )?;
        Ok(tx.query_row("SELECT pkcs8 FROM signing_keys WHERE purpose = 'studio_door'", [], |r| r.get(0))?)
    });
    let bytes = stored.map_err(|e| Box::new(unavailable(&e.to_string())))?;
    Ok(app.studio_limits.key.get_or_init(|| ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &bytes)))
}

/// The page every failure of the door's own shows (the reason goes to the log, not the page).
fn unavailable(why: &str) -> Response {
    tracing::warn!("studio page: {why}");
    refusal(StatusCode::SERVICE_UNAVAILABLE, "暂时无法处理", "服务器繁忙，请稍后再试。", None)
}

pub fn routes() -> Router<Arc<AppState>> {
    let headers = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                 form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    Router::new()
        .route("/studio/{id}", get(page).post(leave_message))
        .route("/studio/{id}/answer", get(lookup_page).post(lookup))
        .route("/studio-assets/{name}", get(asset))
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(headers)
}

/// The studio's public page's address, for the poster's QR code: under the configured public
/// address (behind a TLS proxy, what residents reach), else where the console was opened.
pub fn public_url(app: &AppState, headers: &HeaderMap, studio_id: &str) -> String {
    if let Some(base) = &app.config.public_url {
        return format!("{base}/studio/{studio_id}");
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    format!("{}://{host}/studio/{studio_id}", if app.config.tls.is_some() { "https" } else { "http" })
}

async fn asset(Path(name): Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "studio.js" => (include_str!("assets/studio.js"), "text/javascript; charset=utf-8"),
        "studio.css" => (include_str!("assets/studio.css"), "text/css; charset=utf-8"),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

fn shell(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href="/studio-assets/studio.css";
                script src="/studio-assets/studio.js" defer {}
            }
            body {
                header { "政协委员工作室" }
                main { (body) }
            }
        }
    }
}

/// A page saying what went wrong, with its status.
fn refusal(status: StatusCode, title: &str, message: &str, back: Option<&str>) -> Response {
    let body = html! {
        h1 { (title) }
        p.error role="alert" { (message) }
        @if let Some(back) = back { p { a href=(back) { "返回" } } }
    };
    (status, shell(title, body)).into_response()
}

fn too_many(wait: std::time::Duration, back: &str) -> Response {
    let secs = wait.as_secs().max(1);
    let mut r = refusal(
        StatusCode::TOO_MANY_REQUESTS,
        "操作过于频繁",
        &format!("您的操作过于频繁，请{secs}秒后再试。"),
        Some(back),
    );
    r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
    r
}

/// The key a client's limits count under: its IPv4 address, or its IPv6 /64 (a subscriber gets
/// a whole /64 and could otherwise take a fresh address for each attempt).
fn address(addr: &ClientAddr) -> IpAddr {
    match addr.0 {
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        Some(v4) => v4,
        None => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
    }
}

/// The studio with its members' names, if it exists.
fn studio_with_names(app: &AppState, id: &str) -> lvzhi_store::Result<Option<(Studio, Vec<String>)>> {
    app.store.read(|c| {
        let Some(s) = lvzhi_store::liaison::repo::studio(c, id)? else { return Ok(None) };
        let names = s.member_ids.iter().map(|m| lvzhi_store::org::person_name(c, m)).collect::<Result<_, _>>()?;
        Ok(Some((s, names)))
    })
}

/// Bytes from the system's random source; `None` if it fails (nothing is made of zeros).
fn random_bytes<const N: usize>() -> Option<[u8; N]> {
    let mut bytes = [0u8; N];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).ok()?;
    Some(bytes)
}

fn sign(key: &ring::hmac::Key, what: &str) -> String {
    lvzhi_domain::ids::hex(ring::hmac::sign(key, what.as_bytes()).as_ref())
}

/// A fresh challenge for `studio_id`: when it was issued, a random part, and the server's MAC
/// over both and the studio.
fn new_challenge(key: &ring::hmac::Key, studio_id: &str, now_ms: i64) -> Option<String> {
    let head = format!("{now_ms}.{}", lvzhi_domain::ids::hex(&random_bytes::<8>()?));
    let mac = sign(key, &format!("challenge:{head}:{studio_id}"));
    Some(format!("{head}.{mac}"))
}

/// Whether `challenge` is one this server issued for `studio_id` in the last half hour.
fn challenge_fresh(key: &ring::hmac::Key, challenge: &str, studio_id: &str, now_ms: i64) -> bool {
    let mut parts = challenge.splitn(3, '.');
    let (Some(issued), Some(random), Some(mac)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let Ok(issued_ms) = issued.parse::<i64>() else { return false };
    let window = now_ms.saturating_sub(CHALLENGE_TTL_MS)..=now_ms.saturating_add(60_000);
    let Some(tag) = hex_bytes(mac) else { return false };
    random.len() == 16
        && window.contains(&issued_ms)
        && ring::hmac::verify(key, format!("challenge:{issued}.{random}:{studio_id}").as_bytes(), &tag).is_ok()
}

fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    if s.len() != 64 || !s.is_ascii() {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
}

/// Whether the nonce makes `challenge:studio:nonce` hash to `bits` leading zero bits.
pub fn work_done(challenge: &str, studio_id: &str, nonce: &str, bits: u32) -> bool {
    if nonce.is_empty() || nonce.len() > 20 || !nonce.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let digest = ring::digest::digest(&ring::digest::SHA256, format!("{challenge}:{studio_id}:{nonce}").as_bytes());
    let mut zeros = 0;
    for b in digest.as_ref() {
        if *b == 0 {
            zeros += 8;
            continue;
        }
        zeros += b.leading_zeros();
        break;
    }
    zeros >= bits
}

/// The lookup code of the message sent with `challenge`, as shown (`ABCD-EFGH-JKLM`): 60 bits
/// of the server's MAC over the challenge, so the same message sent again shows the same code.
fn code_for(key: &ring::hmac::Key, challenge: &str) -> String {
    let tag = ring::hmac::sign(key, format!("code:{challenge}").as_bytes());
    let raw: String = tag.as_ref()[..CODE_LEN].iter().map(|b| CODE_ALPHABET[(*b as usize) % 32] as char).collect();
    format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12])
}

/// A code as typed, normalised (case, spaces and dashes do not matter; full-width letters and
/// digits, which a Chinese input method types, count as their ASCII selves) and hashed.
fn code_hash(typed: &str) -> String {
    let clean: String = typed
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    sha256_hex(format!("lvzhi-studio:{clean}").as_bytes())
}

fn date_time(ms: i64) -> String {
    from_millis(ms).with_timezone(&cst()).format("%Y年%m月%d日 %H:%M").to_string()
}

/// `GET /studio/{id}`: the studio, and the form to leave a message.
async fn page(State(app): State<Arc<AppState>>, addr: ClientAddr, Path(id): Path<String>) -> Response {
    if let Err(wait) = app.studio_limits.pages.check(&address(&addr)) {
        return too_many(wait, &format!("/studio/{id}"));
    }
    let key = match door_key(&app) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    match studio_with_names(&app, &id) {
        Ok(Some((s, names))) => {
            let Some(challenge) = new_challenge(key, &s.id, to_millis((app.clock)())) else {
                return unavailable("random source unavailable");
            };
            message_form(&app, &s, &names, &challenge, None).into_response()
        }
        Ok(None) => refusal(StatusCode::NOT_FOUND, "没有找到该工作室", "该委员工作室不存在或已停用。", None),
        Err(e) => unavailable(&e.to_string()),
    }
}

fn message_form(app: &AppState, s: &Studio, names: &[String], challenge: &str, error: Option<&str>) -> Markup {
    let bits = app.studio_limits.work_bits;
    shell(
        &s.name,
        html! {
            h1 { (s.name) }
            dl {
                dt { "地址" } dd { (s.place) }
                @if !s.opening_hours.is_empty() { dt { "接待时间" } dd { (s.opening_hours) } }
                dt { "进驻委员" } dd { (names.join("、")) }
            }
            @if !s.open {
                p.error { "该工作室暂不接受网上留言，欢迎在接待时间到工作室面谈。" }
            } @else {
                h2 { "给委员留言" }
                @if let Some(e) = error { p.error role="alert" { (e) } }
                form #leave method="post" action=(format!("/studio/{}", s.id)) enctype="multipart/form-data"
                    data-challenge=(challenge) data-studio=(s.id) data-bits=(bits) {
                    input type="hidden" name="challenge" value=(challenge);
                    input type="hidden" name="nonce" value="";
                    div.field {
                        label for="text" { "留言内容" span.hint { "请写清楚问题发生的地点和情况，不超过1000字" } }
                        textarea #text name="text" maxlength="1000" required {}
                    }
                    div.field {
                        label for="name" { "称呼" span.hint { "选填" } }
                        input #name type="text" name="name" maxlength="20" autocomplete="name";
                    }
                    div.field {
                        label for="phone" { "联系电话" span.hint { "选填，仅工作室委员和政协工作人员可见，便于回访" } }
                        input #phone type="tel" name="phone" maxlength="20" autocomplete="tel";
                    }
                    div.field {
                        label for="photo" { "照片" span.hint { "选填，一张 JPG 或 PNG 图片，不超过5MB" } }
                        input #photo type="file" name="photo" accept="image/jpeg,image/png";
                    }
                    noscript { p.error { "请开启浏览器的 JavaScript 后留言。" } }
                    p #status role="status" {}
                    button type="submit" { "提交留言" }
                }
            }
            p { a href=(format!("/studio/{}/answer", s.id)) { "用查询码查看答复" } }
        },
    )
}

/// `POST /studio/{id}` (a multipart form, or a plain one without a photo): a message, with its
/// proof of work; answered with its lookup code. Sent again with the same challenge (its answer
/// lost on the way), it shows the same code and stores nothing twice.
async fn leave_message(
    State(app): State<Arc<AppState>>,
    addr: ClientAddr,
    Path(id): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let back = format!("/studio/{id}");
    // The limit before the body is read: a refused burst costs no upload.
    if let Err(wait) = app.studio_limits.posts.check(&address(&addr)) {
        return too_many(wait, &back);
    }
    let key = match door_key(&app) {
        Ok(k) => k,
        Err(r) => return *r,
    };
    let studio = match studio_with_names(&app, &id) {
        Ok(Some(s)) => s,
        Ok(None) => return refusal(StatusCode::NOT_FOUND, "没有找到该工作室", "该委员工作室不存在或已停用。", None),
        Err(e) => return unavailable(&e.to_string()),
    };
    let now = (app.clock)();
    let now_ms = to_millis(now);
    let Some(fresh) = new_challenge(key, &id, now_ms) else { return unavailable("random source unavailable") };
    let again = |status: StatusCode, message: &str| {
        (status, message_form(&app, &studio.0, &studio.1, &fresh, Some(message))).into_response()
    };
    if !studio.0.open {
        return again(StatusCode::BAD_REQUEST, "该工作室暂不接受网上留言。");
    }
    let f = match <AnyForm as axum::extract::FromRequest<Arc<AppState>>>::from_request(request, &app).await {
        Ok(AnyForm(posted)) => posted,
        Err(refused) => return refused,
    };
    let field = |k: &str| f.get(k).unwrap_or_default().to_string();
    let (challenge, nonce) = (field("challenge"), field("nonce"));
    if !challenge_fresh(key, &challenge, &id, now_ms)
        || !work_done(&challenge, &id, &nonce, app.studio_limits.work_bits)
    {
        return again(StatusCode::BAD_REQUEST, "页面已过期或校验未通过，请重新提交。");
    }
    let message = match studio::check_public_message(&field("text"), &field("name"), &field("phone")) {
        Ok(m) => m,
        Err(e) => return again(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    if f.files.len() > 1 {
        return again(StatusCode::BAD_REQUEST, "只能附一张照片。");
    }
    let code = code_for(key, &challenge);
    // The challenge is claimed before any work is done for it: a message sent again finds its
    // claim (and its message, if stored) instead of being stored twice.
    let claimed = app.store.write(|tx| claim(tx, &id, &challenge, &code, now));
    let message_id = match claimed {
        Ok(Claim::Stored(m)) => return received(&studio.0, &m, &code).into_response(),
        Ok(Claim::Full) => {
            return again(
                StatusCode::TOO_MANY_REQUESTS,
                "该工作室今日留言已满，请明天再来，或在接待时间到工作室面谈。",
            );
        }
        Ok(Claim::New(message_id)) => message_id,
        Err(e) => return unavailable(&e.to_string()),
    };
    let photo = match f.files.into_iter().next() {
        None => None,
        Some((name, bytes)) => {
            let app2 = app.clone();
            let stored =
                tokio::task::spawn_blocking(move || crate::blobs::store_public_photo(&app2, &name, &bytes)).await;
            match stored {
                Ok(Ok(a)) => Some(a),
                Ok(Err(e)) => return again(StatusCode::BAD_REQUEST, &format!("照片未能接收：{e}")),
                Err(e) => return unavailable(&e.to_string()),
            }
        }
    };
    let written = crate::fanout::write_reference(&app, false, |tx| {
        if let Some(m) = lvzhi_store::liaison::repo::message(tx, &message_id)? {
            return Ok((m, 0));
        }
        let m = lvzhi_store::liaison::service::receive_message(tx, &id, &message_id, message, photo, now)?;
        if let Some(p) = &m.photo {
            crate::blobs::refer_entity(tx, &p.hash, EntityKind::StudioMessage, &m.id)?;
        }
        crate::changes::emit_entity(tx, EntityKind::StudioMessage, &m.id, now)?;
        let told =
            if app.push.is_some() { crate::push::events::record_studio_message(tx, &studio.0, &m, now)? } else { 0 };
        Ok((m, told))
    });
    match written {
        Ok((m, told)) => {
            if told > 0
                && let Some(push) = &app.push
            {
                push.wake();
            }
            received(&studio.0, &m, &code).into_response()
        }
        Err(lvzhi_store::Error::Liaison(e)) => again(StatusCode::BAD_REQUEST, &e.to_string()),
        Err(e) => unavailable(&e.to_string()),
    }
}

/// What claiming a challenge found.
enum Claim {
    /// A new message, to be stored under this id.
    New(String),
    /// The message sent with this challenge before.
    Stored(Box<StudioMessage>),
    /// The studio took its day's messages.
    Full,
}

/// Claims `challenge` for a message of `studio_id` with `code`, or finds what it was claimed for.
fn claim(
    tx: &lvzhi_sql::Transaction<'_>,
    studio_id: &str,
    challenge: &str,
    code: &str,
    now: lvzhi_domain::time::Timestamp,
) -> lvzhi_store::Result<Claim> {
    let earlier: Option<String> = tx
        .prepare_cached("SELECT message_id FROM studio_lookups WHERE challenge = ?1")?
        .query_row([challenge], |r| r.get(0))
        .optional()?;
    if let Some(message_id) = earlier {
        return Ok(match lvzhi_store::liaison::repo::message(tx, &message_id)? {
            Some(m) => Claim::Stored(Box::new(m)),
            None => Claim::New(message_id),
        });
    }
    let day_start = lvzhi_domain::liaison::today(to_millis(now))
        .and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(cst()).single())
        .map_or(0, |t| t.timestamp_millis());
    let today: i64 = tx
        .prepare_cached("SELECT count(*) FROM studio_messages WHERE studio_id = ?1 AND received_at >= ?2")?
        .query_row(params![studio_id, day_start], |r| r.get(0))?;
    if today >= MESSAGES_PER_STUDIO_A_DAY {
        return Ok(Claim::Full);
    }
    let message_id = new_id();
    // Another process claiming the same challenge at once: one insert wins, the other finds it.
    let inserted = tx
        .prepare_cached(
            "INSERT INTO studio_lookups (code_hash, message_id, challenge, at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (challenge) DO NOTHING",
        )?
        .execute(params![code_hash(code), message_id, challenge, to_millis(now)])?;
    if inserted == 0 {
        return claim(tx, studio_id, challenge, code, now);
    }
    Ok(Claim::New(message_id))
}

fn received(s: &Studio, m: &StudioMessage, code: &str) -> Markup {
    shell(
        "留言已收到",
        html! {
            h1 { "留言已收到" }
            div.panel {
                p { "您的查询码（请截图或抄下保存）：" }
                p.code #code { (code) }
                p { "委员答复后，凭查询码在本页查看。查询码只显示这一次。" }
            }
            p { "留言时间：" (date_time(m.received_at_ms)) }
            p { a href=(format!("/studio/{}/answer", s.id)) { "查看答复" } }
            p { a href=(format!("/studio/{}", s.id)) { "返回工作室" } }
        },
    )
}

/// `GET /studio/{id}/answer`: the form for a lookup code.
async fn lookup_page(State(app): State<Arc<AppState>>, addr: ClientAddr, Path(id): Path<String>) -> Response {
    if let Err(wait) = app.studio_limits.pages.check(&address(&addr)) {
        return too_many(wait, &format!("/studio/{id}"));
    }
    lookup_form(&id, None, StatusCode::OK)
}

fn lookup_form(id: &str, error: Option<&str>, status: StatusCode) -> Response {
    let body = html! {
        h1 { "查看答复" }
        @if let Some(e) = error { p.error role="alert" { (e) } }
        form method="post" action=(format!("/studio/{id}/answer")) {
            div.field {
                label for="code" { "查询码" span.hint { "留言后页面显示的12位查询码" } }
                input #code type="text" name="code" maxlength="20" autocomplete="off" required;
            }
            button type="submit" { "查看" }
        }
        p { a href=(format!("/studio/{id}")) { "返回工作室" } }
    };
    (status, shell("查看答复", body)).into_response()
}

/// The value of `key` in an `application/x-www-form-urlencoded` body.
fn form_value(body: &[u8], key: &str) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let raw = text.split('&').find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))?;
    let mut bytes = Vec::with_capacity(raw.len());
    let mut it = raw.bytes();
    while let Some(b) = it.next() {
        match b {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hex = [it.next()?, it.next()?];
                bytes.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
            }
            b => bytes.push(b),
        }
    }
    String::from_utf8(bytes).ok()
}

/// `POST /studio/{id}/answer`: the message and its answer for a right code; for any other code
/// the same refusal, whether or not it exists elsewhere. The limit is taken before the form is
/// read, and the form is small.
async fn lookup(
    State(app): State<Arc<AppState>>,
    addr: ClientAddr,
    Path(id): Path<String>,
    request: axum::extract::Request,
) -> Response {
    if let Err(wait) = app.studio_limits.lookups.check(&address(&addr)) {
        return too_many(wait, &format!("/studio/{id}/answer"));
    }
    let Ok(body) = axum::body::to_bytes(request.into_body(), MAX_LOOKUP_BYTES).await else {
        return lookup_form(&id, Some("查询码不正确，请核对后重试。"), StatusCode::BAD_REQUEST);
    };
    let code = form_value(&body, "code").unwrap_or_default();
    let hash = code_hash(&code);
    let found = app.store.read(|c| {
        let message_id: Option<String> = c
            .prepare_cached("SELECT message_id FROM studio_lookups WHERE code_hash = ?1")?
            .query_row([&hash], |r| r.get(0))
            .optional()?;
        match message_id {
            Some(m) => Ok::<_, lvzhi_store::Error>(lvzhi_store::liaison::repo::message(c, &m)?),
            None => Ok(None),
        }
    });
    match found {
        Ok(Some(m)) if m.studio_id == id => answer_page(&m).into_response(),
        Ok(_) => lookup_form(&id, Some("查询码不正确，请核对后重试。"), StatusCode::NOT_FOUND),
        Err(e) => unavailable(&e.to_string()),
    }
}

fn answer_page(m: &StudioMessage) -> Markup {
    shell(
        "留言答复",
        html! {
            h1 { "留言答复" }
            dl {
                dt { "留言时间" } dd { (date_time(m.received_at_ms)) }
                dt { "留言内容" } dd.text { (m.text) }
                dt { "委员答复" }
                @match &m.answer {
                    Some(a) => dd.text #answer { (a.text) br; span.hint { (date_time(a.at_ms)) } },
                    None => dd #answer { "委员尚未答复，请稍后再来查看。" },
                }
            }
            p { a href=(format!("/studio/{}", m.studio_id)) { "返回工作室" } }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_and_challenges_and_codes_are_checked() {
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"a test key of the studio door...");
        let other = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"another server's key............");
        let now = 1_796_601_600_000;
        let c = new_challenge(&key, "s1", now).unwrap();
        assert!(challenge_fresh(&key, &c, "s1", now) && challenge_fresh(&key, &c, "s1", now + CHALLENGE_TTL_MS));
        assert!(!challenge_fresh(&key, &c, "s1", now + CHALLENGE_TTL_MS + 1), "too old");
        assert!(!challenge_fresh(&key, &c, "s2", now), "another studio's");
        assert!(!challenge_fresh(&other, &c, "s1", now), "not signed by this server");
        let future = new_challenge(&key, "s1", now + 120_000).unwrap();
        assert!(!challenge_fresh(&key, &future, "s1", now), "from the future");
        let forged = format!("{}.0123456789abcdef.{}", i64::MIN, "0".repeat(64));
        assert!(!challenge_fresh(&key, &forged, "s1", now), "made up, and no overflow");
        assert!(!challenge_fresh(&key, "x.y", "s1", now) && !challenge_fresh(&key, "1.2.三", "s1", now));
        let nonce = (0u64..).map(|n| n.to_string()).find(|n| work_done(&c, "s1", n, 8)).unwrap();
        assert!(work_done(&c, "s1", &nonce, 8));
        assert!(!work_done(&c, "s1", "12a", 0), "digits only");
        let code = code_for(&key, &c);
        assert_eq!((code.len(), code_for(&key, &c)), (14, code.clone()), "the same challenge, the same code");
        assert_eq!(code_hash(&code), code_hash(&code.to_lowercase().replace('-', " ")));
        let wide: String =
            code.chars().map(|ch| char::from_u32(ch as u32 + 0xFEE0).filter(|_| ch != '-').unwrap_or(ch)).collect();
        assert_eq!(code_hash(&code), code_hash(&wide), "full-width as typed by a Chinese input method");
        assert_ne!(code_hash(&code), code_hash(&code_for(&key, &new_challenge(&key, "s1", now).unwrap())));
        assert_eq!(form_value(b"x=1&code=AB%EF%BC%A3+D", "code").as_deref(), Some("ABＣ D"));
        assert_eq!(form_value(b"code=%E", "code"), None, "cut short");
    }
}

//! Each push vendor's adapter against its local fake (push_fakes), and the SMS providers: a
//! batch is delivered once per token with the vendor's work-message fields (the fake refuses and
//! records anything else), an invalid token comes back `InvalidToken`, an expired auth token is
//! refreshed once and the push still delivered, throttling gives `Retry`, and the signatures the
//! fakes recompute verify.

use lvzhi_domain::push::{PushText, PushVendor};
use lvzhi_server::push::config::{PushConfig, SmsConfig};
use lvzhi_server::push::sms::{Sms, SmsProvider, aliyun::Aliyun, tencent::Tencent};
use lvzhi_server::push::vendors::{Delivery, Outgoing, Vendor, apns, hms, honor, oppo, vivo, xiaomi};
use lvzhi_tests::push_fakes::{FakeSms, FakeVendor, SmsVendor};
use serde_json::json;

const ALL: [PushVendor; 6] =
    [PushVendor::Apns, PushVendor::Hms, PushVendor::Honor, PushVendor::Xiaomi, PushVendor::Oppo, PushVendor::Vivo];

/// The adapter for `fake`, made from the configuration section the server would read.
fn adapter(fake: &FakeVendor) -> Vendor {
    let key = match fake.vendor {
        PushVendor::Apns => "apns",
        PushVendor::Hms => "hms",
        PushVendor::Honor => "honor",
        PushVendor::Xiaomi => "xiaomi",
        PushVendor::Oppo => "oppo",
        PushVendor::Vivo => "vivo",
    };
    let config: PushConfig = serde_json::from_value(json!({ key: fake.config_json() })).unwrap();
    match fake.vendor {
        PushVendor::Apns => Vendor::Apns(apns::Apns::new(config.apns.unwrap()).unwrap()),
        PushVendor::Hms => Vendor::Hms(hms::Hms::new(config.hms.unwrap()).unwrap()),
        PushVendor::Honor => Vendor::Honor(honor::Honor::new(config.honor.unwrap()).unwrap()),
        PushVendor::Xiaomi => Vendor::Xiaomi(xiaomi::Xiaomi::new(config.xiaomi.unwrap()).unwrap()),
        PushVendor::Oppo => Vendor::Oppo(oppo::Oppo::new(config.oppo.unwrap()).unwrap()),
        PushVendor::Vivo => Vendor::Vivo(vivo::Vivo::new(config.vivo.unwrap()).unwrap()),
    }
}

fn push(token: &str, person: &str, count: u32) -> Outgoing {
    Outgoing {
        token: token.into(),
        text: PushText { title: "履职".into(), body: format!("{count} 条新通知"), count },
        kind: "notice".into(),
        message_id: format!("msg-{token}-{count}"),
        collapse_id: format!("person-{person}"),
    }
}

/// Sends `batch` in pieces of the vendor's batch size, as the queue does.
async fn send(vendor: &Vendor, batch: &[Outgoing]) -> Vec<Delivery> {
    let mut out = Vec::new();
    for chunk in batch.chunks(vendor.max_batch()) {
        out.extend(vendor.send(chunk).await);
    }
    out
}

fn is_retry(d: &Delivery) -> bool {
    matches!(d, Delivery::Retry { .. })
}

#[tokio::test]
async fn push_vendors_deliver_a_batch_once_per_token_as_work_messages() {
    for kind in ALL {
        let fake = FakeVendor::start(kind).await;
        let vendor = adapter(&fake);
        // Two people: the first with two devices (one request for the same text where the
        // vendor takes several tokens), the second with one.
        let batch = [push("tokenA1", "a", 3), push("tokenA2", "a", 3), push("tokenB1", "b", 1)];
        let results = send(&vendor, &batch).await;
        assert_eq!(results, vec![Delivery::Sent; 3], "{kind:?}");
        assert!(fake.violations().is_empty(), "{kind:?}: {:?}", fake.violations());
        let mut tokens: Vec<String> = fake.deliveries().iter().map(|d| d.token.clone()).collect();
        tokens.sort();
        assert_eq!(tokens, ["tokenA1", "tokenA2", "tokenB1"], "{kind:?}: each token exactly once");
        for d in fake.deliveries() {
            assert_eq!(d.title, "履职", "{kind:?}");
            let want = if d.token == "tokenB1" { "1 条新通知" } else { "3 条新通知" };
            assert_eq!(d.body, want, "{kind:?}");
        }
        // The fields that file it as a work message, as the vendor reads them.
        let request = &fake.deliveries()[0].request;
        let marker = match kind {
            PushVendor::Apns => "\"thread-id\":\"notice\"",
            PushVendor::Hms => "\"category\":\"WORK\"",
            PushVendor::Honor => "\"importance\":\"NORMAL\"",
            PushVendor::Xiaomi => "extra.channel_id=lvzhi_work",
            PushVendor::Oppo => "TODO",
            PushVendor::Vivo => "\"classification\":1",
        };
        assert!(request.contains(marker), "{kind:?}: {request}");
        // A second batch reuses the cached auth token.
        let before = fake.auth_requests();
        assert_eq!(send(&vendor, &[push("tokenB1", "b", 2)]).await, vec![Delivery::Sent], "{kind:?}");
        assert_eq!(fake.auth_requests(), before, "{kind:?}: the auth token is cached");
    }
}

#[tokio::test]
async fn push_vendors_report_an_invalid_token() {
    for kind in ALL {
        let fake = FakeVendor::start(kind).await;
        let vendor = adapter(&fake);
        fake.mark_invalid("tokenGone");
        let results = send(&vendor, &[push("tokenA1", "a", 1), push("tokenGone", "a", 1)]).await;
        assert_eq!(results[0], Delivery::Sent, "{kind:?}");
        assert!(matches!(results[1], Delivery::InvalidToken { .. }), "{kind:?}: {:?}", results[1]);
        // Only invalid tokens in the request: the all-invalid answer.
        let results = send(&vendor, &[push("tokenGone", "c", 1)]).await;
        assert!(matches!(results[0], Delivery::InvalidToken { .. }), "{kind:?}: {:?}", results[0]);
        let delivered: Vec<String> = fake.deliveries().into_iter().map(|d| d.token).collect();
        assert_eq!(delivered, ["tokenA1"], "{kind:?}");
        assert!(fake.violations().is_empty(), "{kind:?}: {:?}", fake.violations());
    }
}

#[tokio::test]
async fn push_vendors_refresh_an_expired_auth_token_once_and_still_deliver() {
    // Xiaomi authenticates with the app secret itself: nothing expires.
    for kind in [PushVendor::Apns, PushVendor::Hms, PushVendor::Honor, PushVendor::Oppo, PushVendor::Vivo] {
        let fake = FakeVendor::start(kind).await;
        let vendor = adapter(&fake);
        assert_eq!(send(&vendor, &[push("tokenA1", "a", 1)]).await, vec![Delivery::Sent], "{kind:?}");
        let issued = fake.auth_requests();
        fake.expire_auth();
        let results = send(&vendor, &[push("tokenA1", "a", 2), push("tokenB1", "b", 2)]).await;
        assert_eq!(results, vec![Delivery::Sent; 2], "{kind:?}");
        let delivered: Vec<String> = fake.deliveries().into_iter().map(|d| format!("{} {}", d.token, d.body)).collect();
        let mut delivered = delivered;
        delivered.sort();
        assert_eq!(delivered, ["tokenA1 1 条新通知", "tokenA1 2 条新通知", "tokenB1 2 条新通知"], "{kind:?}");
        if kind != PushVendor::Apns {
            assert_eq!(fake.auth_requests(), issued + 1, "{kind:?}: one new token");
        }
        assert!(fake.violations().is_empty(), "{kind:?}: {:?}", fake.violations());
    }
}

#[tokio::test]
async fn push_vendors_concurrent_sends_share_one_token_fetch() {
    for kind in [PushVendor::Hms, PushVendor::Honor, PushVendor::Oppo, PushVendor::Vivo] {
        let fake = FakeVendor::start(kind).await;
        let vendor = adapter(&fake);
        let (a, b, c) = ([push("tokenA1", "a", 1)], [push("tokenB1", "b", 1)], [push("tokenC1", "c", 1)]);
        let (a, b, c) = tokio::join!(vendor.send(&a), vendor.send(&b), vendor.send(&c));
        assert_eq!([a, b, c].concat(), vec![Delivery::Sent; 3], "{kind:?}");
        assert_eq!(fake.auth_requests(), 1, "{kind:?}");
    }
}

#[tokio::test]
async fn push_vendors_throttling_gives_retry() {
    for kind in ALL {
        let fake = FakeVendor::start(kind).await;
        let vendor = adapter(&fake);
        fake.throttle_next(1);
        let results = send(&vendor, &[push("tokenA1", "a", 1)]).await;
        assert!(is_retry(&results[0]), "{kind:?}: {:?}", results[0]);
        assert!(fake.deliveries().is_empty(), "{kind:?}");
        // Retried later, it goes through, once.
        assert_eq!(send(&vendor, &[push("tokenA1", "a", 1)]).await, vec![Delivery::Sent], "{kind:?}");
        assert_eq!(fake.deliveries().len(), 1, "{kind:?}");
    }
}

#[tokio::test]
async fn push_vendors_refuse_what_apns_would_not_take_and_keep_to_ids_apple_accepts() {
    let fake = FakeVendor::start(PushVendor::Apns).await;
    let vendor = adapter(&fake);
    let mut big = push("tokenA1", "a", 1);
    big.kind = "x".repeat(3000);
    let results = vendor.send(&[big]).await;
    assert!(matches!(results[0], Delivery::Failed { .. }), "{:?}", results[0]);
    assert!(fake.requests().is_empty(), "an oversized payload is not sent");
    let mut long = push("tokenA1", "a", 1);
    long.collapse_id = "c".repeat(200);
    assert_eq!(vendor.send(&[long]).await, vec![Delivery::Sent]);
    assert_eq!(apns::apns_id("m1"), apns::apns_id("m1"));
    assert_ne!(apns::apns_id("m1"), apns::apns_id("m2"));
}

fn sms(phone: &str) -> Sms {
    Sms {
        phone: phone.into(),
        params: vec![("kind".into(), "紧急通知".into()), ("count".into(), "1".into())],
        message_id: format!("sms-{phone}"),
    }
}

fn provider(fake: &FakeSms) -> SmsProvider {
    let config: PushConfig = serde_json::from_value(json!({"sms": fake.config_json()})).unwrap();
    match config.sms.unwrap() {
        SmsConfig::Aliyun(c) => SmsProvider::Aliyun(Aliyun::new(c).unwrap()),
        SmsConfig::Tencent(c) => SmsProvider::Tencent(Tencent::new(c).unwrap()),
    }
}

#[tokio::test]
async fn push_vendors_sms_providers_sign_and_map_their_answers() {
    for kind in [SmsVendor::Aliyun, SmsVendor::Tencent] {
        let fake = FakeSms::start(kind).await;
        let provider = provider(&fake);
        assert_eq!(provider.send(&sms("13800138000")).await, Delivery::Sent, "{kind:?}: {:?}", fake.violations());
        assert!(fake.violations().is_empty(), "{kind:?}: {:?}", fake.violations());
        let messages = fake.messages();
        assert_eq!(messages.len(), 1, "{kind:?}");
        assert_eq!(messages[0].0, "13800138000");
        let values: Vec<&str> = messages[0].1.iter().map(|(_, v)| v.as_str()).collect();
        assert!(values.contains(&"紧急通知") && values.contains(&"1"), "{kind:?}: {values:?}");

        fake.mark_invalid("13900000000");
        assert!(matches!(provider.send(&sms("13900000000")).await, Delivery::InvalidToken { .. }), "{kind:?}");
        fake.throttle_next(1);
        assert!(is_retry(&provider.send(&sms("13800138000")).await), "{kind:?}");
        assert_eq!(provider.send(&sms("13800138000")).await, Delivery::Sent, "{kind:?}");
        assert_eq!(fake.messages().len(), 2, "{kind:?}");
        assert!(fake.violations().is_empty(), "{kind:?}: {:?}", fake.violations());
    }
}

#[tokio::test]
async fn push_vendors_sms_signature_mismatch_is_refused() {
    // A wrong secret: the fakes' recomputed signatures do not match, and the answer is a
    // refusal (not a retry), for both providers.
    for kind in [SmsVendor::Aliyun, SmsVendor::Tencent] {
        let fake = FakeSms::start(kind).await;
        let mut config = fake.config_json();
        let key = if kind == SmsVendor::Aliyun { "access_key_secret" } else { "secret_key" };
        config[key] = "wrong".into();
        let config: PushConfig = serde_json::from_value(json!({ "sms": config })).unwrap();
        let provider = match config.sms.unwrap() {
            SmsConfig::Aliyun(c) => SmsProvider::Aliyun(Aliyun::new(c).unwrap()),
            SmsConfig::Tencent(c) => SmsProvider::Tencent(Tencent::new(c).unwrap()),
        };
        assert!(matches!(provider.send(&sms("13800138000")).await, Delivery::Failed { .. }), "{kind:?}");
        assert!(fake.messages().is_empty(), "{kind:?}");
        assert_eq!(fake.violations().len(), 1, "{kind:?}: {:?}", fake.violations());
    }
}

//! HTTPS in the server itself, with a certificate made in the test: a phone that pins the
//! server's key syncs over rustls; a wrong pin is refused as a network error; a renewed
//! certificate is taken on reload without a restart; plain HTTP stays on loopback.

use std::sync::Arc;

use lvzhi_server::limits::Limits;
use lvzhi_server::tls::TlsFiles;
use lvzhi_server::{AppState, Config, StartError, bootstrap, serve};
use lvzhi_store::sample;
use lvzhi_store::{DbKind, Store};
use lvzhi_sync::SyncClient;
use lvzhi_sync::pinning::{pinned_http_client, spki_sha256};
use lvzhi_tests::PASSWORD;

/// A certificate for 127.0.0.1 and localhost, written as PEM; returns its key's pin.
fn certificate(dir: &std::path::Path, name: &str) -> (TlsFiles, String) {
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    params.subject_alt_names.push(rcgen::SanType::IpAddress("127.0.0.1".parse().unwrap()));
    params.distinguished_name.push(rcgen::DnType::OrganizationName, "宾川县政协（测试）");
    let cert = params.self_signed(&key).unwrap();
    let files = TlsFiles { cert: dir.join(format!("{name}.crt")), key: dir.join(format!("{name}.key")) };
    std::fs::write(&files.cert, cert.pem()).unwrap();
    std::fs::write(&files.key, key.serialize_pem()).unwrap();
    (files, spki_sha256(cert.der()).unwrap())
}

fn phone(dir: &std::path::Path, name: &str, url: &str, pins: &[String]) -> SyncClient {
    let store = Arc::new(Store::open(dir.join(format!("{name}.db")), DbKind::Device).unwrap());
    SyncClient::with(store, url, pinned_http_client(pins).unwrap(), lvzhi_domain::time::system_clock()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_pinning_the_servers_key_syncs_over_tls_and_a_wrong_pin_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (files, pin) = certificate(dir.path(), "server");
    let mut config = Config::new(lvzhi_tests::server_db(dir.path()), "127.0.0.1:0".parse().unwrap());
    config.limits = Limits::relaxed();
    config.tls = Some(files.clone());
    let state = Arc::new(AppState::open(config).unwrap());
    let st = state.clone();
    tokio::task::spawn_blocking(move || bootstrap::seed_demo(&st.store, sample::fixed_now()).unwrap()).await.unwrap();
    let running = serve(state, "127.0.0.1:0".parse().unwrap()).await.unwrap();
    assert!(running.is_tls());
    let url = format!("https://{}", running.addr);

    let zhang = phone(dir.path(), "zhangming", &url, std::slice::from_ref(&pin));
    zhang.login("zhangming", PASSWORD, "测试手机").await.unwrap();
    zhang.sync_until_idle().await.unwrap();
    let orgs: i64 = zhang
        .store()
        .read(|c| c.query_row("SELECT count(*) FROM organisations", [], |r| r.get(0)).map_err(lvzhi_store::Error::from))
        .unwrap();
    assert!(orgs > 0, "the committee tree arrived over TLS");

    // Another key's pin: the certificate is neither pinned nor from a public root.
    let (_, other_pin) = certificate(dir.path(), "other");
    let wrong = phone(dir.path(), "wrong-pin", &url, &[other_pin]);
    let err = wrong.login("lihua", PASSWORD, "测试手机").await.unwrap_err();
    assert!(matches!(err, lvzhi_sync::Error::Network(_)), "{err:?}");
    assert_eq!(err.user_message(), "网络不可用，已保存在本机，联网后自动发送");
    // Nor does plain HTTP reach it.
    assert!(reqwest::get(format!("http://{}/v1/ping", running.addr)).await.is_err());

    // A renewed certificate with a new key, reloaded in place: new connections get it.
    let (renewed, renewed_pin) = certificate(dir.path(), "renewed");
    std::fs::copy(&renewed.cert, &files.cert).unwrap();
    std::fs::copy(&renewed.key, &files.key).unwrap();
    running.reload_tls().unwrap();
    let after = phone(dir.path(), "after-renewal", &url, &[renewed_pin]);
    after.login("lihua", PASSWORD, "测试手机").await.unwrap();
    let stale = phone(dir.path(), "old-pin", &url, &[pin]);
    assert!(matches!(stale.login("lihua", PASSWORD, "测试手机").await, Err(lvzhi_sync::Error::Network(_))));
    running.stop().await.unwrap();
}

/// Asks `path` over a TLS connection offering only `alpn`; the protocol the server agreed to and
/// the answer's body.
async fn get_over_tls(
    addr: std::net::SocketAddr,
    root: rustls::pki_types::CertificateDer<'static>,
    alpn: &[u8],
    path: &str,
) -> (Option<Vec<u8>>, String) {
    use http_body_util::BodyExt;
    let mut roots = rustls::RootCertStore::empty();
    roots.add(root).unwrap();
    let mut config = rustls::ClientConfig::builder().with_root_certificates(roots).with_no_client_auth();
    config.alpn_protocols = vec![alpn.to_vec()];
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let tls = tokio_rustls::TlsConnector::from(Arc::new(config)).connect(name, tcp).await.unwrap();
    let agreed = tls.get_ref().1.alpn_protocol().map(|p| p.to_vec());
    let io = hyper_util::rt::TokioIo::new(tls);
    let request = |version| {
        hyper::Request::get(format!("https://localhost{path}"))
            .version(version)
            .body(http_body_util::Empty::<hyper::body::Bytes>::new())
            .unwrap()
    };
    let response = if agreed.as_deref() == Some(b"h2") {
        let (mut sender, conn) =
            hyper::client::conn::http2::handshake(hyper_util::rt::TokioExecutor::new(), io).await.unwrap();
        tokio::spawn(conn);
        sender.send_request(request(hyper::Version::HTTP_2)).await.unwrap()
    } else {
        let (mut sender, conn) = hyper::client::conn::http1::handshake(io).await.unwrap();
        tokio::spawn(conn);
        sender.send_request(request(hyper::Version::HTTP_11)).await.unwrap()
    };
    assert!(response.status().is_success(), "{}", response.status());
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (agreed, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_tls_http2_is_served_where_alpn_chose_it_and_http11_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap().self_signed(&key).unwrap();
    let files = TlsFiles { cert: dir.path().join("h2.crt"), key: dir.path().join("h2.key") };
    std::fs::write(&files.cert, cert.pem()).unwrap();
    std::fs::write(&files.key, key.serialize_pem()).unwrap();
    let mut config = Config::new(lvzhi_tests::server_db(dir.path()), "127.0.0.1:0".parse().unwrap());
    config.tls = Some(files);
    let running = serve(Arc::new(AppState::open(config).unwrap()), "127.0.0.1:0".parse().unwrap()).await.unwrap();

    let (agreed, body) = get_over_tls(running.addr, cert.der().clone(), b"h2", "/v1/ping").await;
    assert_eq!((agreed.as_deref(), body.as_str()), (Some(&b"h2"[..]), "pong"));
    let (agreed, body) = get_over_tls(running.addr, cert.der().clone(), b"http/1.1", "/v1/ping").await;
    assert_eq!((agreed.as_deref(), body.as_str()), (Some(&b"http/1.1"[..]), "pong"));
    // The health route answers over HTTP/2 too, through the same layers as every route.
    let (_, health) = get_over_tls(running.addr, cert.der().clone(), b"h2", "/healthz").await;
    assert!(health.contains("\"status\":\"ok\""), "{health}");
    running.stop().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_is_served_only_on_loopback_unless_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let open = |insecure: bool| {
        let mut config = Config::new(lvzhi_tests::server_db(dir.path()), "0.0.0.0:0".parse().unwrap());
        config.insecure_http = insecure;
        Arc::new(AppState::open(config).unwrap())
    };
    let refused = serve(open(false), "0.0.0.0:0".parse().unwrap()).await.err();
    assert!(matches!(refused, Some(StartError::PlainHttp)), "{refused:?}");
    let running = serve(open(true), "0.0.0.0:0".parse().unwrap()).await.unwrap();
    running.stop().await.unwrap();
}

#[test]
fn pins_are_64_hex_characters() {
    assert!(pinned_http_client(&["abc".to_string()]).is_err());
    assert!(pinned_http_client(&["a".repeat(64)]).is_ok());
}

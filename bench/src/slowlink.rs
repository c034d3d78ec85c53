//! A rural 2G-like link between a phone and the server: a userspace TCP proxy that adds the
//! round trip (half each way, and one whole round trip for the TCP handshake before the first
//! byte) and paces each direction at the link's bandwidth. `scripts/bench` logs in and runs the
//! first sync through it and reports each beside what the link itself costs.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::time::Instant;

pub struct SlowLink {
    pub url: String,
    /// Bytes carried, both ways.
    pub bytes: Arc<AtomicU64>,
    /// HTTP requests carried (writes from the phone that start a request line).
    pub requests: Arc<AtomicU64>,
    /// New connections (each paid a handshake).
    pub connections: Arc<AtomicU64>,
}

#[derive(Debug, Clone, Copy)]
pub struct Link {
    pub bits_per_sec: u64,
    pub rtt: Duration,
}

impl Link {
    /// Time the link takes to carry `bytes` one way, not counting latency.
    pub fn transfer(&self, bytes: u64) -> Duration {
        Duration::from_secs_f64(bytes as f64 * 8.0 / self.bits_per_sec as f64)
    }
}

pub async fn start(upstream: &str, link: Link) -> SlowLink {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let upstream = upstream.trim_start_matches("http://").to_string();
    let (bytes, requests, connections) =
        (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let link = Arc::new(link);
    let counters = (bytes.clone(), requests.clone(), connections.clone());
    tokio::spawn(async move {
        while let Ok((phone, _)) = listener.accept().await {
            let Ok(server) = TcpStream::connect(&upstream).await else { continue };
            let (bytes, requests, connections) = counters.clone();
            connections.fetch_add(1, Ordering::Relaxed);
            let link = link.clone();
            tokio::spawn(async move {
                // SYN, SYN-ACK: nothing moves for one round trip.
                tokio::time::sleep(link.rtt).await;
                let (pr, pw) = phone.into_split();
                let (sr, sw) = server.into_split();
                let up = pump(pr, sw, link.clone(), bytes.clone(), Some(requests));
                let down = pump(sr, pw, link, bytes, None);
                let _ = tokio::join!(up, down);
            });
        }
    });
    SlowLink { url, bytes, requests, connections }
}

/// Carries one direction: each chunk leaves when the link is free and its bits have gone
/// through, and arrives half a round trip later.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    link: Arc<Link>,
    bytes: Arc<AtomicU64>,
    requests: Option<Arc<AtomicU64>>,
) {
    let (tx, mut rx) = mpsc::unbounded_channel::<(Instant, Vec<u8>)>();
    let writer = tokio::spawn(async move {
        while let Some((at, chunk)) = rx.recv().await {
            tokio::time::sleep_until(at).await;
            if to.write_all(&chunk).await.is_err() {
                break;
            }
        }
        let _ = to.shutdown().await;
    });
    let mut free = Instant::now();
    let mut buf = vec![0u8; 4096];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        bytes.fetch_add(n as u64, Ordering::Relaxed);
        if let Some(r) = &requests
            && (buf.starts_with(b"POST ") || buf.starts_with(b"GET ") || buf.starts_with(b"PUT "))
        {
            r.fetch_add(1, Ordering::Relaxed);
        }
        free = free.max(Instant::now()) + link.transfer(n as u64);
        if tx.send((free + link.rtt / 2, buf[..n].to_vec())).is_err() {
            break;
        }
    }
    drop(tx);
    let _ = writer.await;
}

//! One accepted connection, served by hyper: HTTP/1.1, or HTTP/2 where TLS negotiated it.
//!
//! Most of a phone's connection is spent waiting in a long-poll, so what a connection holds
//! while idle is the server's memory at scale. Three choices keep it small:
//! - HTTP/1.1 connections are served by hyper's HTTP/1 server directly, not by the builder that
//!   detects the version: that one's future is sized for an HTTP/2 connection too, and every
//!   task would carry it. HTTP/2 (only ever asked for through TLS's ALPN) gets a boxed future.
//! - Plain and TLS connections are separate tasks, each sized for its own stream.
//! - The read buffer stays at hyper's smallest (8 KiB, `max_buf_size`): left adaptive, it grows
//!   to 16 KiB on a connection's second read, the read that finds a long-poll waiting. A
//!   request's head is capped at that size (431 above it; phones send a few hundred bytes) and
//!   an upload is read in 8 KiB frames, which a 2G link delivers slower than that anyway.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::graceful::Watcher;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsAcceptor;

/// hyper's least read buffer, and so the largest request head.
const READ_BUFFER: usize = 8 * 1024;

/// How connections are served: the two protocol builders, made once.
pub(crate) struct Protocols {
    http1: hyper::server::conn::http1::Builder,
    http2: hyper::server::conn::http2::Builder<TokioExecutor>,
    header_timeout: Duration,
}

impl Protocols {
    pub(crate) fn new(header_timeout: Duration) -> Protocols {
        let mut http1 = hyper::server::conn::http1::Builder::new();
        http1.timer(TokioTimer::new()).header_read_timeout(header_timeout).max_buf_size(READ_BUFFER);
        let mut http2 = hyper::server::conn::http2::Builder::new(TokioExecutor::new());
        http2.timer(TokioTimer::new());
        Protocols { http1, http2, header_timeout }
    }
}

/// Serves a plain-HTTP connection (HTTP/1.1) until it closes or the server shuts down.
pub(crate) async fn serve_plain(
    protocols: Arc<Protocols>,
    watcher: Watcher,
    app: Router,
    peer: SocketAddr,
    stream: TcpStream,
) {
    serve_http1(&protocols, watcher, app, peer, stream).await;
}

/// Serves a TLS connection: the handshake under the same deadline as a request's headers, then
/// HTTP/2 when ALPN chose it, HTTP/1.1 otherwise.
pub(crate) async fn serve_tls(
    protocols: Arc<Protocols>,
    watcher: Watcher,
    app: Router,
    peer: SocketAddr,
    stream: TcpStream,
    tls: TlsAcceptor,
) {
    let stream = match tokio::time::timeout(protocols.header_timeout, tls.accept(stream)).await {
        Ok(Ok(stream)) => stream,
        Ok(Err(e)) => return tracing::debug!(peer = %peer.ip(), "TLS handshake failed: {e}"),
        Err(_) => return tracing::debug!(peer = %peer.ip(), "TLS handshake timed out"),
    };
    if stream.get_ref().1.alpn_protocol() == Some(b"h2") {
        let conn = protocols.http2.serve_connection(TokioIo::new(stream), WithPeer { app, peer });
        let _ = Box::pin(watcher.watch(conn)).await;
    } else {
        serve_http1(&protocols, watcher, app, peer, stream).await;
    }
}

async fn serve_http1<I>(protocols: &Protocols, watcher: Watcher, app: Router, peer: SocketAddr, io: I)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let conn = protocols.http1.serve_connection(TokioIo::new(io), WithPeer { app, peer });
    let _ = watcher.watch(conn).await;
}

/// The router (an Arc) as a connection's service, stamping each request with the peer's
/// address (`ConnectInfo`) for rate limits and the audit log.
#[derive(Clone)]
struct WithPeer {
    app: Router,
    peer: SocketAddr,
}

impl hyper::service::Service<Request<Incoming>> for WithPeer {
    type Response = axum::response::Response;
    type Error = Infallible;
    type Future = axum::routing::future::RouteFuture<Infallible>;

    fn call(&self, mut req: Request<Incoming>) -> Self::Future {
        req.extensions_mut().insert(ConnectInfo(self.peer));
        // A router is always ready (no poll_ready needed); a clone is an Arc's.
        tower::Service::call(&mut self.app.clone(), req)
    }
}

/// One open connection counted against its address; uncounted when dropped.
pub(crate) struct ConnectionSlot {
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
    ip: IpAddr,
}

impl ConnectionSlot {
    pub(crate) fn take(open: &Arc<Mutex<HashMap<IpAddr, usize>>>, ip: IpAddr, cap: usize) -> Option<ConnectionSlot> {
        let mut counts = open.lock().unwrap_or_else(|p| p.into_inner());
        let n = counts.entry(ip).or_insert(0);
        if *n >= cap {
            return None;
        }
        *n += 1;
        Some(ConnectionSlot { open: open.clone(), ip })
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut counts = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = counts.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                counts.remove(&self.ip);
            }
        }
    }
}

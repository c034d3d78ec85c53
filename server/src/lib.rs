//! 履职 sync server: accounts and sessions, and `POST /v1/sync`, which pushes a phone's
//! outbox and pulls the changes of its scopes in one round trip, on an embedded SQLite file.

pub mod accounts;
pub mod audit;
pub mod audit_log;
pub mod auth;
pub mod backup;
pub mod blobs;
pub mod bootstrap;
pub mod changes;
mod connections;
pub mod console;
pub mod consult;
pub mod db;
pub mod duty;
pub mod error;
pub mod fanout;
pub mod idle;
pub mod liaison;
pub mod limits;
pub mod migrate;
pub mod push;
pub mod query;
pub mod scopes;
pub mod studio;
pub mod sync;
pub mod tls;
pub mod writer;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, OnceLock};

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use lvzhi_domain::time::{Clock, system_clock};
use lvzhi_store::migrations;
use serde::Serialize;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::connections::ConnectionSlot;
use crate::limits::{Limiter, Limits};

/// Largest request body after decompression.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// How the server is started.
#[derive(Clone)]
pub struct Config {
    /// The SQLite file (created and migrated at start) or the PostgreSQL database.
    pub db: db::DbLocation,
    pub listen: SocketAddr,
    pub access_ttl: chrono::Duration,
    pub refresh_ttl: chrono::Duration,
    /// Where "now" comes from (deadlines, token expiry); the wall clock unless testing.
    pub clock: Clock,
    /// Abuse limits (rates, timeouts, connections per address).
    pub limits: Limits,
    /// HTTPS with this certificate and key; plain HTTP without.
    pub tls: Option<tls::TlsFiles>,
    /// Serve plain HTTP on a non-loopback address (behind a TLS-terminating proxy).
    pub insecure_http: bool,
    /// Push vendors and the SMS provider; `None`: push off.
    pub push: Option<push::PushConfig>,
    /// The address residents reach this server at (`https://…`, no trailing slash), printed on
    /// the 委员工作室 posters; `None`: the address the console was opened at.
    pub public_url: Option<String>,
}

impl Config {
    pub fn new(db: impl Into<db::DbLocation>, listen: SocketAddr) -> Config {
        Config {
            db: db.into(),
            listen,
            access_ttl: chrono::Duration::hours(24),
            // Longer than the longest offline period we plan for (90 days).
            refresh_ttl: chrono::Duration::days(120),
            clock: system_clock(),
            limits: Limits::default(),
            tls: None,
            insecure_http: false,
            push: None,
            public_url: None,
        }
    }
}

/// Shared by every request.
pub struct AppState {
    pub store: db::Db,
    pub config: Config,
    pub clock: Clock,
    /// The scopes each commit of mutations wrote to; long-polls wait on it.
    pub changes: tokio::sync::broadcast::Sender<Arc<Vec<String>>>,
    /// Applies pushed mutations (group commit); started with the first push.
    writer: OnceLock<writer::Writer>,
    /// Logins and refreshes per client address.
    pub auth_by_address: Limiter<IpAddr>,
    /// Logins per account.
    pub login_by_account: Limiter<String>,
    /// The 委员工作室 public pages' limits per client address (`studio`).
    pub studio_limits: studio::Limiters,
    /// Password hashes computed at once.
    pub hashing: tokio::sync::Semaphore,
    /// Sessions, scopes, heads and devices, for syncs that find nothing new.
    pub idle: idle::IdleCache,
    /// Whether this database was ever restored from a backup (a restore replaces the file, and
    /// the server starts again): only then may a cursor predate a restore.
    pub restored: bool,
    /// Which request is taking each upload's frames.
    pub uploads: blobs::InFlight,
    /// This process among the servers sharing a PostgreSQL database (fanout.rs).
    pub process_id: String,
    /// Push and SMS, when configured (push/).
    pub push: Option<push::Push>,
}

impl AppState {
    /// Opens (creating and migrating) the server database; a phone's database is refused.
    /// On PostgreSQL, call from inside the runtime that will serve.
    pub fn open(config: Config) -> lvzhi_store::Result<AppState> {
        let store = db::Db::open(&config.db)?;
        let restored = store.read(backup::was_restored)?;
        let (changes, _) = tokio::sync::broadcast::channel(1024);
        let limits = config.limits;
        let push = match &config.push {
            Some(c) => push::Push::new(c).map_err(lvzhi_store::Error::Invalid)?,
            None => None,
        };
        Ok(AppState {
            store,
            clock: config.clock.clone(),
            config,
            changes,
            writer: OnceLock::new(),
            auth_by_address: Limiter::new(limits.auth_per_address),
            login_by_account: Limiter::new(limits.login_per_account),
            studio_limits: studio::Limiters::new(&limits),
            hashing: tokio::sync::Semaphore::new(limits.concurrent_hashing.max(1)),
            idle: idle::IdleCache::default(),
            restored,
            uploads: blobs::InFlight::default(),
            process_id: process_id(),
            push,
        })
    }

    /// The one writer of pushed mutations.
    pub fn writer(self: &Arc<Self>) -> &writer::Writer {
        self.writer.get_or_init(|| writer::Writer::start(Arc::downgrade(self)))
    }
}

/// A random name for this server process (several share one PostgreSQL database).
fn process_id() -> String {
    let mut bytes = [0u8; 8];
    // A failure of the system's random source leaves zeros: the id is for telling processes
    // apart in notifications, not a secret.
    let _ = ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes);
    format!("{}-{}", std::process::id(), lvzhi_domain::ids::hex(&bytes))
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    /// The version of each schema set (`shared`, `server`) the database is at.
    schema: std::collections::BTreeMap<String, u32>,
}

async fn healthz(State(state): State<Arc<AppState>>) -> Json<Health> {
    let schema = state.store.read(migrations::versions).unwrap_or_default().into_iter().collect();
    Json(Health { status: "ok", schema })
}

pub fn router(state: Arc<AppState>) -> Router {
    let limits = state.config.limits;
    // Each route's layers as one layer: `Router::layer` boxes the route's future once per call,
    // and a waiting long-poll holds every one of those boxes (see connections.rs).
    let api_layers = |timeout: std::time::Duration| {
        tower::ServiceBuilder::new()
            .layer(TraceLayer::new_for_http())
            .layer(CompressionLayer::new())
            .layer(RequestDecompressionLayer::new())
            .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
            .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
    };
    // Long-polls may wait up to MAX_WAIT_SECS before their answer; nothing else takes long.
    let long_poll = std::time::Duration::from_secs(u64::from(lvzhi_domain::protocol::MAX_WAIT_SECS));
    let sync_routes =
        Router::new().route("/v1/sync", post(sync::sync)).layer(api_layers(long_poll + limits.request_timeout));
    Router::new()
        .route("/healthz", get(healthz))
        // A hello-world route: the reference the benchmarks compare sync against.
        .route("/v1/ping", get(|| async { "pong" }))
        .route("/v1/login", post(auth::login))
        .route("/v1/activate", post(accounts::activate_route))
        .route("/v1/refresh", post(auth::refresh))
        .route("/v1/logout", post(auth::logout))
        .route("/v1/sessions", get(auth::list_sessions))
        .route("/v1/sessions/{id}", delete(auth::revoke_session))
        .route("/v1/groups/{id}/messages", get(sync::group_history))
        .route("/v1/audit", get(audit_log::list))
        .route("/v1/meetings/{id}/check-in-code", post(duty::check_in_code))
        .route("/v1/duty/record", get(duty::record))
        .route("/v1/reports/stats", get(consult::report_stats))
        .route("/v1/liaison/sector-activity", get(liaison::sector_activity))
        .layer(api_layers(limits.request_timeout))
        .merge(sync_routes)
        // The web console: pages, forms and their own headers (console/mod.rs).
        .merge(console::routes().layer(TraceLayer::new_for_http()).layer(CompressionLayer::new()))
        .merge(console::file_routes().layer(TraceLayer::new_for_http()))
        // 委员工作室 public pages: no login, their own limits and headers (studio/mod.rs).
        .merge(studio::routes().layer(TraceLayer::new_for_http()).layer(CompressionLayer::new()))
        // Files: streamed in frames, already compressed (photos) or read by range.
        .merge(blobs::routes().layer(TraceLayer::new_for_http()))
        .with_state(state)
}

/// A started server: its address, and a handle to stop it.
pub struct Running {
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    tls: Option<tls::TlsState>,
}

impl Running {
    /// Whether this server speaks HTTPS.
    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// Reads the certificate and key again (on SIGHUP): new connections get them, open ones
    /// go on. A failure keeps the certificate in force.
    pub fn reload_tls(&self) -> Result<(), String> {
        self.tls.as_ref().ok_or_else(|| "not serving TLS".to_string())?.reload()
    }

    /// Stops at once, as a killed process would: no graceful shutdown (tests).
    pub fn kill(self) {
        self.task.abort();
    }

    /// Stops accepting, lets requests in flight finish, and waits.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.await.map_err(std::io::Error::other)?
    }
}

/// Opens the database and starts serving on `config.listen` (port 0 picks a free port).
pub async fn start(config: Config) -> Result<Running, StartError> {
    let state = AppState::open(config.clone()).map_err(StartError::Store)?;
    serve(Arc::new(state), config.listen).await
}

/// Serves an opened state (the binary seeds the demo before this): HTTPS when the config names
/// a certificate, plain HTTP otherwise, which is refused off loopback unless `insecure_http`.
///
/// Connections are served by hyper directly rather than `axum::serve`, for what that does not
/// offer: TLS, a deadline for a request's headers (a client that sends half a header, or never
/// finishes its TLS handshake, is closed, not kept forever), and a cap on open connections per
/// client address. Each request carries its client's address (`ConnectInfo`) for rate limits
/// and the audit log.
pub async fn serve(state: Arc<AppState>, listen: SocketAddr) -> Result<Running, StartError> {
    let tls = match &state.config.tls {
        Some(files) => Some(tls::TlsState::new(files.clone()).map_err(StartError::Tls)?),
        None if !listen.ip().is_loopback() && !state.config.insecure_http => return Err(StartError::PlainHttp),
        None => None,
    };
    let listener = TcpListener::bind(listen).await.map_err(StartError::Bind)?;
    let addr = listener.local_addr().map_err(StartError::Bind)?;
    let limits = state.config.limits;
    if let db::DbLocation::Postgres(url) = &state.config.db {
        // Other server processes' commits, for this one's idle cache and long-polls.
        tokio::spawn(fanout::listen(Arc::downgrade(&state), url.clone()));
    }
    match &state.push {
        Some(p) => {
            tracing::info!("{}", p.describe());
            tokio::spawn(push::sender::run(Arc::downgrade(&state)));
        }
        None => tracing::info!("push off: no vendor configured (--push-config or $LVZHI_PUSH_CONFIG)"),
    }
    let app = router(state);
    let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
    let acceptor = tls.clone();
    let task = tokio::spawn(async move {
        let protocols = Arc::new(connections::Protocols::new(limits.header_timeout));
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let open = Arc::new(Mutex::new(HashMap::<IpAddr, usize>::new()));
        loop {
            let (stream, peer) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(a) => a,
                    // Out of descriptors and the like: wait a moment rather than spin.
                    Err(e) => {
                        tracing::warn!("accept failed: {e}");
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        continue;
                    }
                },
                _ = &mut rx => break,
            };
            // Small writes (a long-poll's answer, a chat message) go out at once, not after
            // Nagle's wait for the peer's delayed acknowledgement.
            let _ = stream.set_nodelay(true);
            let Some(slot) = ConnectionSlot::take(&open, peer.ip(), limits.connections_per_address) else {
                tracing::warn!(peer = %peer.ip(), "too many connections from one address; closed");
                continue;
            };
            let (app, protocols, watcher) = (app.clone(), protocols.clone(), graceful.watcher());
            // Two kinds of task, each sized for its own connection (see connections.rs).
            match acceptor.as_ref().map(|t| t.acceptor()) {
                None => tokio::spawn(async move {
                    connections::serve_plain(protocols, watcher, app, peer, stream).await;
                    drop(slot);
                }),
                Some(tls) => tokio::spawn(async move {
                    connections::serve_tls(protocols, watcher, app, peer, stream, tls).await;
                    drop(slot);
                }),
            };
        }
        drop(listener);
        graceful.shutdown().await;
        Ok::<(), std::io::Error>(())
    });
    Ok(Running { addr, shutdown: Some(tx), task, tls })
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the database: {0}")]
    Store(lvzhi_store::Error),
    #[error("cannot listen: {0}")]
    Bind(std::io::Error),
    #[error("TLS: {0}")]
    Tls(String),
    #[error(
        "plain HTTP is served only on loopback: give --tls-cert and --tls-key, or --insecure-http behind a TLS proxy"
    )]
    PlainHttp,
}

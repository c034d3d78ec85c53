//! 履职 sync server: accounts and sessions, and `POST /v1/sync`, which pushes a phone's
//! outbox and pulls the changes of its scopes in one round trip, on an embedded SQLite file.

pub mod auth;
pub mod bootstrap;
pub mod changes;
pub mod error;
pub mod scopes;
pub mod sync;
pub mod writer;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use axum::extract::{DefaultBodyLimit, State};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use lvzhi_domain::time::{Clock, system_clock};
use lvzhi_store::{DbKind, Store, migrations};
use serde::Serialize;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::trace::TraceLayer;

/// Largest request body after decompression.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// How the server is started.
#[derive(Clone)]
pub struct Config {
    /// The SQLite file; created and migrated at start.
    pub db: PathBuf,
    pub listen: SocketAddr,
    pub access_ttl: chrono::Duration,
    pub refresh_ttl: chrono::Duration,
    /// Where "now" comes from (deadlines, token expiry); the wall clock unless testing.
    pub clock: Clock,
}

impl Config {
    pub fn new(db: impl Into<PathBuf>, listen: SocketAddr) -> Config {
        Config {
            db: db.into(),
            listen,
            access_ttl: chrono::Duration::hours(24),
            // Longer than the longest offline period we plan for (90 days).
            refresh_ttl: chrono::Duration::days(120),
            clock: system_clock(),
        }
    }
}

/// Shared by every request.
pub struct AppState {
    pub store: Store,
    pub config: Config,
    pub clock: Clock,
    /// The scopes each commit of mutations wrote to; long-polls wait on it.
    pub changes: tokio::sync::broadcast::Sender<Arc<Vec<String>>>,
    /// Applies pushed mutations (group commit); started with the first push.
    writer: OnceLock<writer::Writer>,
}

impl AppState {
    /// Opens (creating and migrating) the server database; a phone's database is refused.
    pub fn open(config: Config) -> lvzhi_store::Result<AppState> {
        let store = Store::open(&config.db, DbKind::Server)?;
        let (changes, _) = tokio::sync::broadcast::channel(1024);
        Ok(AppState { store, clock: config.clock.clone(), config, changes, writer: OnceLock::new() })
    }

    /// The one writer of pushed mutations.
    pub fn writer(self: &Arc<Self>) -> &writer::Writer {
        self.writer.get_or_init(|| writer::Writer::start(Arc::downgrade(self)))
    }
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
    Router::new()
        .route("/healthz", get(healthz))
        // A hello-world route: the reference the benchmarks compare sync against.
        .route("/v1/ping", get(|| async { "pong" }))
        .route("/v1/login", post(auth::login))
        .route("/v1/refresh", post(auth::refresh))
        .route("/v1/logout", post(auth::logout))
        .route("/v1/sessions", get(auth::list_sessions))
        .route("/v1/sessions/{id}", delete(auth::revoke_session))
        .route("/v1/sync", post(sync::sync))
        .route("/v1/groups/{id}/messages", get(sync::group_history))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestDecompressionLayer::new())
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// A started server: its address, and a handle to stop it.
pub struct Running {
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
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

/// Serves an opened state (the binary seeds the demo before this).
pub async fn serve(state: Arc<AppState>, listen: SocketAddr) -> Result<Running, StartError> {
    let listener = TcpListener::bind(listen).await.map_err(StartError::Bind)?;
    let addr = listener.local_addr().map_err(StartError::Bind)?;
    let app = router(state);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        // `into_make_service`: each connection gets a clone of the router (an Arc). Serving the
        // Router itself rebuilds its route table for every connection (`with_state(())`), about
        // 4.6 KiB each, which 25,000 idle long-polls feel.
        axum::serve(listener, app.into_make_service())
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await
    });
    Ok(Running { addr, shutdown: Some(tx), task })
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the database: {0}")]
    Store(lvzhi_store::Error),
    #[error("cannot listen: {0}")]
    Bind(std::io::Error),
}

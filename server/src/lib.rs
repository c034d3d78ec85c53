//! 履职 sync server. In this first step it opens and migrates its SQLite file and answers
//! `GET /healthz`; the sync protocol follows.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use lvzhi_core::store::Store;
use serde::Serialize;
use tokio::net::TcpListener;

/// How the server is started.
#[derive(Debug, Clone)]
pub struct Config {
    /// The SQLite file; created and migrated at start.
    pub db: PathBuf,
    pub listen: SocketAddr,
}

/// Shared by every request.
pub struct AppState {
    pub store: Store,
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    schema_version: u32,
}

async fn healthz(State(state): State<Arc<AppState>>) -> Json<Health> {
    let version = state
        .store
        .read(|c| c.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(lvzhi_core::Error::from))
        .unwrap_or(0);
    Json(Health { status: "ok", schema_version: version })
}

pub fn router(state: Arc<AppState>) -> Router {
    Router::new().route("/healthz", get(healthz)).with_state(state)
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
    let store = Store::open(&config.db).map_err(StartError::Store)?;
    let listener = TcpListener::bind(config.listen).await.map_err(StartError::Bind)?;
    let addr = listener.local_addr().map_err(StartError::Bind)?;
    let app = router(Arc::new(AppState { store }));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
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
    Store(lvzhi_core::Error),
    #[error("cannot listen: {0}")]
    Bind(std::io::Error),
}

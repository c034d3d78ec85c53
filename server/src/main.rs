//! `lvzhi-server --db PATH --listen ADDR`

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use lvzhi_server::{Config, start};

const USAGE: &str = "usage: lvzhi-server [--db PATH] [--listen ADDR]
  --db PATH      SQLite file, created and migrated at start (default: lvzhi.db, or $LVZHI_DB)
  --listen ADDR  address to serve on (default: 127.0.0.1:8080, or $LVZHI_LISTEN)";

fn parse_args() -> Result<Config, String> {
    let mut db = PathBuf::from(std::env::var("LVZHI_DB").unwrap_or_else(|_| "lvzhi.db".into()));
    let mut listen = std::env::var("LVZHI_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--db" => db = args.next().ok_or("--db needs a path")?.into(),
            "--listen" => listen = args.next().ok_or("--listen needs an address")?,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    let listen: SocketAddr = listen.parse().map_err(|e| format!("bad --listen address {listen}: {e}"))?;
    Ok(Config { db, listen })
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let config = match parse_args() {
        Ok(c) => c,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("{msg}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let db = config.db.clone();
    let running = match start(config).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("{e}");
            return ExitCode::FAILURE;
        }
    };
    // Scripts and tests read this line to find the port.
    println!("lvzhi-server listening on http://{}", running.addr);
    tracing::info!(db = %db.display(), addr = %running.addr, "serving");
    shutdown_signal().await;
    tracing::info!("shutting down; finishing requests in flight");
    match running.stop().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("server error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Ctrl-C, or SIGTERM from a service manager.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

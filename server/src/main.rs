//! `lvzhi-server [--db PATH] [--listen ADDR] [--demo]`
//! `lvzhi-server bootstrap --db PATH --file TREE.json`

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use lvzhi_server::{AppState, Config, bootstrap, changes, serve};

const USAGE: &str = "usage: lvzhi-server [--db PATH] [--listen ADDR] [--demo] [--retention-days N] [--login-burst N]
       lvzhi-server bootstrap --db PATH --file TREE.json
       lvzhi-server backup --db PATH --to FILE
       lvzhi-server restore --from FILE --db PATH
       lvzhi-server migrate-to-postgres --from FILE --to URL
  --db PATH|URL        SQLite file, created and migrated at start (default: lvzhi.db, or $LVZHI_DB);
                       or a PostgreSQL database (postgres://user@host/db, or host=... dbname=...),
                       which several server processes may share
  --listen ADDR        address to serve on (default: 127.0.0.1:8080, or $LVZHI_LISTEN)
  --demo               seed the Yunnan demo tree and accounts into an empty database
  --retention-days N   keep superseded changes and tombstones this long (default: 90)
  --login-burst N      logins and refreshes one address (and logins one account) may make at
                       once before waiting for the refill (default: 5)
  --connections-per-address N   open connections one client address may hold (default: 512)
  --tls-cert PEM --tls-key PEM  serve HTTPS with this certificate chain and key (re-read on SIGHUP)
  --insecure-http      serve plain HTTP on a non-loopback address (only behind a TLS proxy)
  --public-url URL     the address residents reach this server at (https://…), printed on the
                       委员工作室 posters; or $LVZHI_PUBLIC_URL (default: the address the console
                       was opened at)
  --push-config FILE   push vendors and SMS (JSON; see README), or $LVZHI_PUSH_CONFIG; without
                       it push is off
  bootstrap            load organisations, people and accounts from a JSON file
  backup               copy the database while the server runs (a consistent snapshot)
  restore              check a backup and install it as the database (stop the server first)
  migrate-to-postgres  move a stopped SQLite server's database into an empty PostgreSQL database
                       (phones keep syncing against it: same positions, devices and sessions)";

struct Args {
    config: Config,
    demo: bool,
    retention_days: u32,
    bootstrap: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut db = std::env::var("LVZHI_DB").unwrap_or_else(|_| "lvzhi.db".into());
    let mut listen = std::env::var("LVZHI_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    let mut demo = false;
    let mut retention_days = 90;
    let mut bootstrap = None;
    let mut login_burst = None;
    let mut connections = None;
    let (mut tls_cert, mut tls_key, mut insecure_http) = (None::<PathBuf>, None::<PathBuf>, false);
    let mut public_url = std::env::var("LVZHI_PUBLIC_URL").ok();
    let mut push_config = None::<PathBuf>;
    let mut args = std::env::args().skip(1).peekable();
    let subcommand_bootstrap = args.peek().map(String::as_str) == Some("bootstrap");
    if subcommand_bootstrap {
        args.next();
    }
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--db" => db = args.next().ok_or("--db needs a path or a postgres:// URL")?,
            "--listen" => listen = args.next().ok_or("--listen needs an address")?,
            "--demo" => demo = true,
            "--retention-days" => {
                retention_days = args.next().and_then(|n| n.parse().ok()).ok_or("--retention-days needs a number")?
            }
            "--login-burst" => {
                login_burst = Some(args.next().and_then(|n| n.parse().ok()).ok_or("--login-burst needs a number")?)
            }
            "--connections-per-address" => {
                connections =
                    Some(args.next().and_then(|n| n.parse().ok()).ok_or("--connections-per-address needs a number")?)
            }
            "--tls-cert" => tls_cert = Some(args.next().ok_or("--tls-cert needs a path")?.into()),
            "--tls-key" => tls_key = Some(args.next().ok_or("--tls-key needs a path")?.into()),
            "--insecure-http" => insecure_http = true,
            "--public-url" => public_url = Some(args.next().ok_or("--public-url needs an address")?),
            "--push-config" => push_config = Some(args.next().ok_or("--push-config needs a path")?.into()),
            "--file" if subcommand_bootstrap => bootstrap = Some(args.next().ok_or("--file needs a path")?.into()),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument: {other}")),
        }
    }
    if subcommand_bootstrap && bootstrap.is_none() {
        return Err("bootstrap needs --file".into());
    }
    let listen: SocketAddr = listen.parse().map_err(|e| format!("bad --listen address {listen}: {e}"))?;
    let mut config = Config::new(lvzhi_server::db::DbLocation::parse(&db), listen);
    if let Some(burst) = login_burst {
        config.limits.auth_per_address.burst = burst;
        config.limits.login_per_account.burst = burst;
    }
    if let Some(n) = connections {
        config.limits.connections_per_address = n;
    }
    config.insecure_http = insecure_http;
    config.public_url = public_url.map(|u| u.trim_end_matches('/').to_string()).filter(|u| !u.is_empty());
    config.push = match push_config {
        Some(path) => Some(lvzhi_server::push::PushConfig::load(&path)?),
        None => lvzhi_server::push::PushConfig::from_env()?,
    };
    config.tls = match (tls_cert, tls_key) {
        (Some(cert), Some(key)) => Some(lvzhi_server::tls::TlsFiles { cert, key }),
        (None, None) => None,
        _ => return Err("--tls-cert and --tls-key go together".into()),
    };
    Ok(Args { config, demo, retention_days, bootstrap })
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    if let Some(code) = backup_or_restore() {
        return code;
    }
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("{msg}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let state = match AppState::open(args.config.clone()) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            tracing::error!("cannot open {}: {e}", args.config.db);
            return ExitCode::FAILURE;
        }
    };
    let now = (state.clock)();
    if let Some(path) = &args.bootstrap {
        let loaded = std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str::<bootstrap::BootstrapFile>(&text).map_err(|e| e.to_string()))
            .and_then(|file| bootstrap::load(&state.store, &file, now).map_err(|e| e.to_string()).map(|_| file));
        return match loaded {
            Ok(file) => {
                println!(
                    "loaded {} organisations, {} people into {}",
                    file.organisations.len(),
                    file.people.len(),
                    args.config.db
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("bootstrap failed: {e}");
                ExitCode::FAILURE
            }
        };
    }
    if args.demo {
        match bootstrap::seed_demo(&state.store, now) {
            Ok(Some(accounts)) => {
                println!(
                    "demo data: the Yunnan tree (146 committees); accounts (password {}):",
                    bootstrap::DEMO_PASSWORD
                );
                for a in accounts {
                    println!("  {:<10} {}  {}  {}", a.login, a.name, a.role.label(), a.org_name);
                }
            }
            Ok(None) => println!("demo: the database already has data; nothing seeded"),
            Err(e) => {
                tracing::error!("demo seeding failed: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let shutdown = shutdown_signal();
    let running = match serve(state.clone(), args.config.listen).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("{e}");
            return ExitCode::FAILURE;
        }
    };
    // Scripts and tests read this line to find the port.
    let scheme = if running.is_tls() { "https" } else { "http" };
    println!("lvzhi-server listening on {scheme}://{}", running.addr);
    tracing::info!(db = %args.config.db, addr = %running.addr, "serving");
    let compactor = tokio::spawn(compact_forever(state.clone(), args.retention_days));
    let running = Arc::new(running);
    let reloader = tokio::spawn(reload_on_hangup(running.clone()));
    shutdown.await;
    reloader.abort();
    let _ = reloader.await;
    let Ok(running) = Arc::try_unwrap(running) else {
        tracing::error!("the server is still shared at shutdown");
        return ExitCode::FAILURE;
    };
    compactor.abort();
    tracing::info!("shutting down; finishing requests in flight");
    match running.stop().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("server error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Hourly: drop superseded changes and tombstones older than the retention period.
async fn compact_forever(state: Arc<AppState>, retention_days: u32) {
    loop {
        let horizon = (state.clock)() - chrono::Duration::days(i64::from(retention_days));
        let st = state.clone();
        match tokio::task::spawn_blocking(move || st.store.write(|tx| changes::compact(tx, horizon))).await {
            Ok(Ok(n)) if n > 0 => tracing::info!(removed = n, "compacted the change log"),
            Ok(Err(e)) => tracing::warn!("compaction failed: {e}"),
            _ => {}
        }
        tokio::time::sleep(Duration::from_secs(3600)).await;
    }
}

/// Ctrl-C, or SIGTERM from a service manager. The SIGTERM handler is installed when this is
/// called, not when the future is first polled, so a signal right after start is not lost.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        #[cfg(unix)]
        if let Some(term) = term.as_mut() {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// `backup --db PATH --to FILE` and `restore --from FILE --db PATH`; None for other commands.
fn backup_or_restore() -> Option<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = args.first()?.clone();
    if command != "backup" && command != "restore" && command != "migrate-to-postgres" {
        return None;
    }
    let value = |flag: &str| args.windows(2).find(|w| w[0] == flag).map(|w| PathBuf::from(&w[1]));
    let done = match (command.as_str(), value("--db"), value("--to"), value("--from")) {
        ("migrate-to-postgres", _, Some(to), Some(from)) => {
            let url = to.to_string_lossy().to_string();
            // The copy waits on PostgreSQL from this blocking section of the runtime.
            tokio::task::block_in_place(|| lvzhi_server::migrate::to_postgres(&from, &url)).map(|m| {
                format!(
                    "moved {} rows in {} tables from {} to {}",
                    m.rows,
                    m.tables,
                    from.display(),
                    lvzhi_server::db::DbLocation::Postgres(url.clone())
                )
            })
        }
        ("backup", Some(db), Some(to), _) => {
            lvzhi_server::backup::backup(&db, &to).map(|_| format!("backed up {} to {}", db.display(), to.display()))
        }
        ("restore", Some(db), _, Some(from)) => lvzhi_server::backup::restore(&from, &db, lvzhi_domain::time::now())
            .map(|_| format!("restored {} from {}", db.display(), from.display())),
        _ => {
            eprintln!("{USAGE}");
            return Some(ExitCode::from(2));
        }
    };
    Some(match done {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{command} failed: {e}");
            ExitCode::FAILURE
        }
    })
}

/// SIGHUP: read the TLS certificate and key again (after a renewal), without a restart.
async fn reload_on_hangup(running: Arc<lvzhi_server::Running>) {
    #[cfg(unix)]
    {
        let Ok(mut hangup) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) else { return };
        while hangup.recv().await.is_some() {
            match running.reload_tls() {
                Ok(()) => tracing::info!("TLS certificate reloaded"),
                Err(e) => tracing::error!("TLS reload failed, the old certificate stays: {e}"),
            }
        }
    }
    #[cfg(not(unix))]
    let _ = running;
}

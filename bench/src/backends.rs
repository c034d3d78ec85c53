//! The server on each engine, side by side in one run: pushes (mutations/s) and idle syncs
//! (syncs/s), driven by wrk, on SQLite, on PostgreSQL with one server process, and on
//! PostgreSQL with two processes (a wrk against each, the rates added up).
//!
//! PostgreSQL is the cluster `scripts/bench` starts for this (`LVZHI_BENCH_POSTGRES`), with its
//! default durability (fsync on, synchronous_commit on), as SQLite's WAL with synchronous=NORMAL
//! is durable here; without that variable these figures are skipped.

use lvzhi_domain::protocol::MutationKind;

use crate::figures::{
    ServerProcess, idle_request, login_token, push_template, scopes_at_heads, start_server_on, wrk, wrk_post, wrk_push,
};
use crate::{Figure, fig};

type Server = ServerProcess;

fn start(db: &str, demo: bool) -> Server {
    let _ = std::fs::create_dir_all("target/bench");
    let log = format!("target/bench/server-{}.log", if demo { "first" } else { "second" });
    start_server_on(db, demo, Some(&log))
}

/// A new empty database on the bench's PostgreSQL cluster.
fn fresh_postgres(cluster: &str, name: &str) -> String {
    // psql is on PATH, or where Debian keeps it.
    let psql = std::fs::read_dir("/usr/lib/postgresql")
        .ok()
        .and_then(|d| d.filter_map(Result::ok).map(|e| e.path().join("bin/psql")).find(|p| p.exists()))
        .unwrap_or_else(|| "psql".into());
    let made = std::process::Command::new(psql)
        .args([
            cluster,
            "-q",
            "-c",
            &format!("DROP DATABASE IF EXISTS {name}"),
            "-c",
            &format!("CREATE DATABASE {name}"),
        ])
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "create the bench database {name}");
    format!("{cluster} dbname={name}")
}

/// Push and idle-sync rates against `servers` (all on one database), wrk against each at once.
async fn rates(servers: &[&Server], connections: usize, secs: u32, dir: &std::path::Path) -> Option<(f64, f64)> {
    let token = login_token(&servers[0].url, "zhangming").await;
    let push = push_template(
        MutationKind::SendFeedback {
            feedback_id: "MESSAGE".into(), text: "建议在乡镇增设政协委员联络站。".into()
        },
        &Default::default(),
    );
    let idle = idle_request("bench-idle-backends", &scopes_at_heads(&servers[0].url, &token).await);
    let idle = serde_json::to_string(&idle).unwrap();
    let each = (connections / servers.len()).max(1);
    let run = |script: &dyn Fn(usize) -> String, tag: &str| {
        let handles: Vec<_> = servers
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (url, script, dir) = (s.url.clone(), script(i), dir.join(format!("{tag}-{i}")));
                std::thread::spawn(move || {
                    let _ = std::fs::create_dir_all(&dir);
                    wrk(&url, "/v1/sync", Some(script), secs, each, &dir)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().ok().flatten()).sum::<Option<f64>>()
    };
    // Each wrk numbers its devices from 1: a prefix per server keeps them apart (one device
    // pushing to two servers at once is the two-process test's business, not this figure's).
    let pushed = run(
        &|i| {
            wrk_push(
                &token,
                &push.replace("CLIENT", &format!("s{i}CLIENT")).replace("MESSAGE", &format!("s{i}MESSAGE")),
            )
        },
        "push",
    )?;
    let idled = run(&|_| wrk_post(&token, &idle), "idle")?;
    Some((pushed, idled))
}

pub async fn figures(connections: usize, secs: u32) -> Vec<Figure> {
    let Ok(cluster) = std::env::var("LVZHI_BENCH_POSTGRES") else {
        eprintln!("bench: LVZHI_BENCH_POSTGRES is not set (scripts/bench sets it); no PostgreSQL figures");
        return Vec::new();
    };
    let dir = tempfile::tempdir().unwrap();
    let sqlite_db = dir.path().join("backends.db");
    let sqlite = start(sqlite_db.to_str().unwrap(), true);
    let Some((sqlite_push, sqlite_idle)) = rates(&[&sqlite], connections, secs, dir.path()).await else {
        eprintln!("bench: wrk is missing or failed; no engine figures");
        return Vec::new();
    };
    drop(sqlite);

    let one_db = fresh_postgres(&cluster, "bench_one");
    let one = start(&one_db, true);
    let one_rates = rates(&[&one], connections, secs, dir.path()).await;
    drop(one);

    let two_db = fresh_postgres(&cluster, "bench_two");
    let first = start(&two_db, true);
    let second = start(&two_db, false);
    let two_rates = rates(&[&first, &second], connections, secs, dir.path()).await;
    drop((first, second));

    let mut figs = vec![
        fig("push-sqlite", (sqlite_push, "mutations/s (wrk)"), (sqlite_push, "mutations/s (itself)"), "reported", true),
        fig("idle-sync-sqlite", (sqlite_idle, "syncs/s (wrk)"), (sqlite_idle, "syncs/s (itself)"), "reported", true),
    ];
    for (name, r) in [("postgres-1-process", one_rates), ("postgres-2-processes", two_rates)] {
        match r {
            Some((push, idle)) => {
                figs.push(fig(
                    &format!("push-{name}"),
                    (push, "mutations/s (wrk)"),
                    (sqlite_push, "mutations/s (SQLite)"),
                    "reported",
                    true,
                ));
                figs.push(fig(
                    &format!("idle-sync-{name}"),
                    (idle, "syncs/s (wrk)"),
                    (sqlite_idle, "syncs/s (SQLite)"),
                    "reported",
                    true,
                ));
            }
            None => eprintln!("bench: wrk failed against {name}"),
        }
    }
    figs
}

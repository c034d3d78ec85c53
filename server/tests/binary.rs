//! The `lvzhi-server` binary as an operator runs it: it creates and migrates its SQLite file,
//! answers /healthz over real HTTP, and stops cleanly on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

fn get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn starts_migrates_answers_healthz_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lvzhi-server"))
        .args(["--db", db.to_str().unwrap(), "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn lvzhi-server");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.trim().rsplit("http://").next().unwrap().to_string();
    assert!(line.starts_with("lvzhi-server listening on"), "{line}");

    let response = get(&addr, "/healthz");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let versions = lvzhi_store::migrations::latest_versions(lvzhi_store::DbKind::Server);
    for (set, version) in &versions {
        assert!(response.contains(&format!("\"{set}\":{version}")), "{response}");
    }
    assert!(get(&addr, "/nowhere").starts_with("HTTP/1.1 404"));

    let status = Command::new("sh").args(["-c", &format!("kill -TERM {}", child.id())]).status().unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "graceful stop, got {exit:?}");
    // The file it made is a migrated server database, and says so.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0)).unwrap();
    assert_eq!(id, lvzhi_store::DbKind::Server.application_id());
    assert_eq!(lvzhi_store::migrations::versions(&lvzhi_sql::Connection::sqlite(&conn)).unwrap().len(), versions.len());
}

#[test]
fn bad_arguments_print_usage_and_fail() {
    let out = Command::new(env!("CARGO_BIN_EXE_lvzhi-server")).args(["--listen", "not-an-address"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage: lvzhi-server"));
}

#[test]
fn demo_seeds_the_yunnan_tree_and_prints_accounts_of_every_role() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lvzhi-server"))
        .args(["--db", db.to_str().unwrap(), "--listen", "127.0.0.1:0", "--demo"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn lvzhi-server");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    loop {
        let mut line = String::new();
        assert!(out.read_line(&mut line).unwrap() > 0, "server exited early: {printed}");
        printed.push_str(&line);
        if line.starts_with("lvzhi-server listening on") {
            break;
        }
    }
    for expected in ["zhangming", "委员", "提案工作人员", "承办单位", "组织管理员", "宾川县政协", "lvzhi-demo-2027"]
    {
        assert!(printed.contains(expected), "{expected} missing from:\n{printed}");
    }
    Command::new("sh").args(["-c", &format!("kill -TERM {}", child.id())]).status().unwrap();
    assert!(child.wait().unwrap().success());
    let conn = rusqlite::Connection::open(&db).unwrap();
    let orgs: i64 = conn.query_row("SELECT count(*) FROM organisations", [], |r| r.get(0)).unwrap();
    assert_eq!(orgs, 146);
    let accounts: i64 = conn.query_row("SELECT count(*) FROM accounts", [], |r| r.get(0)).unwrap();
    assert_eq!(accounts, 11);
}

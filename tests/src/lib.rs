//! End-to-end test support: a real server on 127.0.0.1 with the demo data, phones with their
//! own database files, a clock the test moves, and a lossy proxy that loses responses, delivers
//! requests twice, or takes the network down.

pub mod browser;
pub mod fuzz_targets;
pub mod push_fakes;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, AtomicU64, Ordering};

use lvzhi_client::Client;
use lvzhi_domain::time::{Clock, Timestamp, from_millis, to_millis};
use lvzhi_server::db::DbLocation;
use lvzhi_server::{AppState, Config, Running, bootstrap, serve};
use lvzhi_store::{DbKind, Store};
use lvzhi_sync::SyncClient;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A clock tests set and move.
#[derive(Clone)]
pub struct TestClock(Arc<AtomicI64>);

impl TestClock {
    pub fn at(t: Timestamp) -> TestClock {
        TestClock(Arc::new(AtomicI64::new(to_millis(t))))
    }
    pub fn now(&self) -> Timestamp {
        from_millis(self.0.load(Ordering::SeqCst))
    }
    pub fn set(&self, t: Timestamp) {
        self.0.store(to_millis(t), Ordering::SeqCst)
    }
    pub fn advance(&self, d: chrono::Duration) {
        self.0.fetch_add(d.num_milliseconds(), Ordering::SeqCst);
    }
    pub fn clock(&self) -> Clock {
        let inner = self.0.clone();
        Arc::new(move || from_millis(inner.load(Ordering::SeqCst)))
    }
}

pub struct TestServer {
    pub running: Running,
    pub state: Arc<AppState>,
    pub url: String,
    pub clock: TestClock,
    pub dir: tempfile::TempDir,
}

/// Which engine the test servers run on: SQLite by default, PostgreSQL with
/// `LVZHI_TEST_SERVER_DB=postgres` (`scripts/test` runs the end-to-end suites both ways).
pub fn on_postgres() -> bool {
    std::env::var("LVZHI_TEST_SERVER_DB").as_deref() == Ok("postgres")
}

/// A new, empty server database: a file in `dir`, or a fresh PostgreSQL database.
pub fn server_db(dir: &Path) -> DbLocation {
    if on_postgres() {
        let url = lvzhi_sql::postgres::testing::fresh_database("server")
            .expect("LVZHI_TEST_SERVER_DB=postgres needs LVZHI_TEST_POSTGRES (scripts/pg start)");
        DbLocation::Postgres(url)
    } else {
        DbLocation::File(dir.join("server.db"))
    }
}

/// The demo server (Yunnan tree, accounts of every role) on a free port.
pub async fn demo_server(now: Timestamp) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let db = server_db(dir.path());
    demo_server_at(dir, db, now).await
}

/// The demo server on `db` (whatever `LVZHI_TEST_SERVER_DB` says), its files in `dir`.
pub async fn demo_server_at(dir: tempfile::TempDir, db: DbLocation, now: Timestamp) -> TestServer {
    demo_server_configured(dir, db, now, |_| {}).await
}

/// The demo server with something of its configuration changed (push vendors, say).
pub async fn demo_server_with(now: Timestamp, configure: impl FnOnce(&mut Config)) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let db = server_db(dir.path());
    demo_server_configured(dir, db, now, configure).await
}

async fn demo_server_configured(
    dir: tempfile::TempDir,
    db: DbLocation,
    now: Timestamp,
    configure: impl FnOnce(&mut Config),
) -> TestServer {
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .try_init();
    }
    let clock = TestClock::at(now);
    let mut config = Config::new(db, "127.0.0.1:0".parse().unwrap());
    config.clock = clock.clock();
    // Many phones log in from 127.0.0.1 here; the limits have tests of their own.
    config.limits = lvzhi_server::limits::Limits::relaxed();
    configure(&mut config);
    let state = Arc::new(AppState::open(config).unwrap());
    let st = state.clone();
    tokio::task::spawn_blocking(move || bootstrap::seed_demo(&st.store, now).unwrap()).await.unwrap();
    let running = serve(state.clone(), "127.0.0.1:0".parse().unwrap()).await.unwrap();
    let url = format!("http://{}", running.addr);
    TestServer { running, state, url, clock, dir }
}

pub const PASSWORD: &str = bootstrap::DEMO_PASSWORD;

/// The server binary next to this test's (cargo builds it for the workspace's tests).
pub fn server_binary() -> PathBuf {
    if let Ok(bin) = std::env::var("LVZHI_SERVER_BIN") {
        return bin.into();
    }
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().and_then(|deps| deps.parent()).unwrap().join("lvzhi-server");
    assert!(bin.exists(), "{} is missing: cargo build -p lvzhi-server", bin.display());
    bin
}

/// A `lvzhi-server` process started with `args`; returns it and the URL it printed. SIGKILL it
/// with `Child::kill`.
pub fn spawn_server(args: &[&str]) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    let mut cmd = std::process::Command::new(server_binary());
    // `LVZHI_TEST_SERVER_LOG=1`: the process's log on this test's stderr.
    let log = std::env::var_os("LVZHI_TEST_SERVER_LOG").is_some();
    cmd.args(args).stdout(std::process::Stdio::piped()).stderr(if log {
        std::process::Stdio::inherit()
    } else {
        std::process::Stdio::null()
    });
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("the server printed its address").unwrap();
        if let Some(url) = line.strip_prefix("lvzhi-server listening on ") {
            break url.to_string();
        }
    };
    // Keep reading its output so that it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, url)
}

/// The tests' database key (the apps take theirs from the Android Keystore or the iOS Keychain).
pub fn test_key() -> lvzhi_store::DbKey {
    lvzhi_store::DbKey::from_bytes(&[0x5a; 32]).expect("32 bytes")
}

/// A phone: its database file, its own clock, and a proxy in front of the server.
pub struct Phone {
    pub name: String,
    pub db: PathBuf,
    pub proxy: Proxy,
    pub clock: TestClock,
    pub client: Client,
}

impl Phone {
    pub async fn new(dir: &Path, name: &str, server_url: &str, now: Timestamp) -> Phone {
        let proxy = Proxy::start(server_url).await;
        let clock = TestClock::at(now);
        let db = dir.join(format!("{name}.db"));
        let client = open_client(&db, &proxy, &clock);
        Phone { name: name.into(), db, proxy, clock, client }
    }

    /// A phone of `login` on `server`, logged in and synced.
    pub async fn logged_in(server: &TestServer, name: &str, login: &str) -> Phone {
        let p = Phone::new(server.dir.path(), name, &server.url, server.clock.now()).await;
        p.login(login).await;
        p.client.sync_until_idle().await.unwrap();
        p
    }

    /// The app is killed and started again on the same database.
    pub fn restart(&mut self) {
        self.client = open_client(&self.db, &self.proxy, &self.clock);
    }

    pub async fn login(&self, login: &str) {
        self.client.login(login, PASSWORD, &format!("{}的手机", self.name)).await.unwrap();
    }

    pub fn offline(&self) {
        self.proxy.state.down.store(true, Ordering::SeqCst);
    }

    pub fn online(&self) {
        self.proxy.state.down.store(false, Ordering::SeqCst);
    }
}

fn open_client(db: &Path, proxy: &Proxy, clock: &TestClock) -> Client {
    // The phone's own client settings (its timeouts: a request that never gets an answer fails
    // and is retried, as on a phone), with no connection reuse: every request is its own
    // connection through the proxy.
    let http = lvzhi_sync::transport::Transport::phone_http().pool_max_idle_per_host(0).build().unwrap();
    // Phones' databases are encrypted, as in the apps; the tests' key provider is a constant.
    let store = Arc::new(Store::open_encrypted(db, DbKind::Device, &test_key()).unwrap());
    Client::new(Arc::new(SyncClient::with(store, &proxy.url, http, clock.clock()).unwrap()))
}

#[derive(Default)]
pub struct ProxyState {
    /// Refuse every connection, as when the phone has no signal.
    pub down: AtomicBool,
    /// Deliver this many requests but lose their responses.
    pub lose_responses: AtomicU32,
    /// Deliver this many requests twice (the first answer is lost).
    pub duplicate_requests: AtomicU32,
    pub requests: AtomicU32,
    /// Cut the next request after this many bytes reached the server (0: off), as when a
    /// connection drops in the middle of an upload.
    pub cut_request_after: AtomicU64,
    /// Cut the next response after this many bytes reached the phone (0: off).
    pub cut_response_after: AtomicU64,
    /// Bytes of requests (phone → server) and responses (server → phone) on the wire.
    pub bytes_up: AtomicU64,
    pub bytes_down: AtomicU64,
    /// Exchanges sent upstream (which server is next, when there are several).
    pub exchanges: AtomicU32,
}

/// A TCP proxy that understands just enough HTTP/1.1 to lose or duplicate one exchange.
pub struct Proxy {
    pub url: String,
    pub state: Arc<ProxyState>,
}

impl Proxy {
    pub async fn start(upstream_url: &str) -> Proxy {
        Proxy::start_many(&[upstream_url]).await
    }

    /// A proxy that sends each exchange to the next of several servers in turn (servers sharing
    /// one PostgreSQL database): a request and its duplicate, or a retry, reach different ones.
    pub async fn start_many(upstream_urls: &[&str]) -> Proxy {
        let upstreams: Arc<Vec<String>> =
            Arc::new(upstream_urls.iter().map(|u| u.trim_start_matches("http://").to_string()).collect());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(ProxyState::default());
        let st = state.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (st, upstreams) = (st.clone(), upstreams.clone());
                tokio::spawn(async move {
                    let _ = relay(client, &upstreams, &st).await;
                });
            }
        });
        Proxy { url, state }
    }
}

/// The next server to send an exchange to.
fn next_upstream<'a>(upstreams: &'a [String], st: &ProxyState) -> &'a str {
    &upstreams[st.exchanges.fetch_add(1, Ordering::SeqCst) as usize % upstreams.len()]
}

async fn relay(mut client: TcpStream, upstreams: &[String], st: &ProxyState) -> std::io::Result<()> {
    if st.down.load(Ordering::SeqCst) {
        return Ok(()); // dropped: connection closed at once
    }
    let request = read_request(&mut client).await?;
    st.requests.fetch_add(1, Ordering::SeqCst);

    // A cut applies to the next request (or response) long enough to be cut.
    let cut = st.cut_request_after.load(Ordering::SeqCst) as usize;
    if cut > 0 && cut < request.len() {
        st.cut_request_after.store(0, Ordering::SeqCst);
        // Half a request, then the line goes dead: the server sees the body end early.
        let mut server = TcpStream::connect(next_upstream(upstreams, st)).await?;
        server.write_all(&request[..cut]).await?;
        st.bytes_up.fetch_add(cut as u64, Ordering::SeqCst);
        drop(server);
        // As on a real link, the phone notices the drop after the bytes before it have reached
        // the server (it waits for an answer that never comes), not the instant it happens.
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        return Ok(());
    }
    st.bytes_up.fetch_add(request.len() as u64, Ordering::SeqCst);
    if take(&st.duplicate_requests) {
        exchange(next_upstream(upstreams, st), &request).await?;
    }
    let mut response = exchange(next_upstream(upstreams, st), &request).await?;
    let cut = st.cut_response_after.load(Ordering::SeqCst) as usize;
    if cut > 0 && cut < response.len() {
        st.cut_response_after.store(0, Ordering::SeqCst);
        response.truncate(cut);
        st.bytes_down.fetch_add(response.len() as u64, Ordering::SeqCst);
        client.write_all(&response).await?;
        return Ok(()); // dropped without a clean end
    }
    if take(&st.lose_responses) || st.down.load(Ordering::SeqCst) {
        return Ok(()); // the server committed; the phone never hears
    }
    st.bytes_down.fetch_add(response.len() as u64, Ordering::SeqCst);
    client.write_all(&response).await?;
    client.shutdown().await
}

fn take(counter: &AtomicU32) -> bool {
    counter.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok()
}

async fn exchange(upstream: &str, request: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(request).await?;
    let mut response = Vec::new();
    server.read_to_end(&mut response).await?;
    Ok(response)
}

/// Reads one request and rewrites it to `Connection: close`, so the response ends at EOF.
async fn read_request(client: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_string();
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0))
        })
        .unwrap_or(0);
    while buf.len() < header_end + length {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let mut lines: Vec<&str> =
        head.trim_end().split("\r\n").filter(|l| !l.to_ascii_lowercase().starts_with("connection:")).collect();
    lines.insert(1, "Connection: close");
    let mut out = lines.join("\r\n").into_bytes();
    out.extend_from_slice(b"\r\n\r\n");
    out.extend_from_slice(&buf[header_end..]);
    Ok(out)
}

/// The county's staff (陈静, 宾川县) open a study group for 张明 and 李华 (not 王芳): the staff
/// phone, and the group's id.
pub async fn study_group(server: &TestServer) -> (Phone, String) {
    use lvzhi_domain::chat::GroupKind;
    use lvzhi_domain::org::Role;
    use lvzhi_domain::protocol::ActingAs;
    let staff = Phone::logged_in(server, "chenjing", "chenjing").await;
    let as_staff = ActingAs { role: Role::ProposalStaff, org_id: "yn-12-03".into() };
    let members = vec!["demo-zhangming".into(), "demo-lihua".into()];
    let group = staff.client.create_group(&as_staff, "农业和农村界学习交流群", GroupKind::Sector, members).unwrap();
    staff.client.sync_until_idle().await.unwrap();
    (staff, group)
}

/// A phone's store or a server's database (SQLite or PostgreSQL): what the SQL helpers below
/// run on.
pub trait Database {
    fn write_tx<T>(
        &self,
        f: impl FnOnce(&lvzhi_sql::Transaction<'_>) -> lvzhi_store::Result<T>,
    ) -> lvzhi_store::Result<T>;
    fn read_tx<T>(
        &self,
        f: impl FnOnce(&lvzhi_sql::Connection<'_>) -> lvzhi_store::Result<T>,
    ) -> lvzhi_store::Result<T>;
}

impl<D: Database> Database for Arc<D> {
    fn write_tx<T>(
        &self,
        f: impl FnOnce(&lvzhi_sql::Transaction<'_>) -> lvzhi_store::Result<T>,
    ) -> lvzhi_store::Result<T> {
        (**self).write_tx(f)
    }
    fn read_tx<T>(
        &self,
        f: impl FnOnce(&lvzhi_sql::Connection<'_>) -> lvzhi_store::Result<T>,
    ) -> lvzhi_store::Result<T> {
        (**self).read_tx(f)
    }
}

impl Database for Store {
    fn write_tx<T>(
        &self,
        f: impl FnOnce(&lvzhi_sql::Transaction<'_>) -> lvzhi_store::Result<T>,
    ) -> lvzhi_store::Result<T> {
        self.write(f)
    }
    fn read_tx<T>(
        &self,
        f: impl FnOnce(&lvzhi_sql::Connection<'_>) -> lvzhi_store::Result<T>,
    ) -> lvzhi_store::Result<T> {
        self.read(f)
    }
}

impl Database for lvzhi_server::db::Db {
    fn write_tx<T>(
        &self,
        f: impl FnOnce(&lvzhi_sql::Transaction<'_>) -> lvzhi_store::Result<T>,
    ) -> lvzhi_store::Result<T> {
        self.write(f)
    }
    fn read_tx<T>(
        &self,
        f: impl FnOnce(&lvzhi_sql::Connection<'_>) -> lvzhi_store::Result<T>,
    ) -> lvzhi_store::Result<T> {
        self.read(f)
    }
}

/// Runs one statement on a store (tests poke at servers and phones this way).
pub fn sql_exec(store: &impl Database, sql: &str, params: impl lvzhi_sql::Params) -> usize {
    store.write_tx(|tx| tx.execute(sql, params).map_err(lvzhi_store::Error::from)).unwrap()
}

/// The single integer a query returns.
pub fn sql_count(store: &impl Database, sql: &str, params: impl lvzhi_sql::Params) -> i64 {
    store.read_tx(|c| c.query_row(sql, params, |r| r.get(0)).map_err(lvzhi_store::Error::from)).unwrap()
}

/// The first column of every row, as text.
pub fn sql_strings(store: &impl Database, sql: &str, params: impl lvzhi_sql::Params) -> Vec<String> {
    store
        .read_tx(|c| {
            let mut stmt = c.prepare(sql)?;
            let rows = stmt.query_map(params, |r| r.get(0))?.collect::<lvzhi_sql::Result<Vec<String>>>()?;
            Ok(rows)
        })
        .unwrap()
}

/// A raw `POST /v1/sync` with a JSON body, as a forged or hand-made request would be sent.
pub async fn post_sync(server_url: &str, token: &str, body: &serde_json::Value) -> reqwest::Response {
    reqwest::Client::new().post(format!("{server_url}/v1/sync")).bearer_auth(token).json(body).send().await.unwrap()
}

// --- Randomised runs -------------------------------------------------------------------------

/// xorshift64*: a seeded, reproducible source of choices for the randomised runs.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
}

/// The network heals: every phone online, no more lost answers or duplicate deliveries, and
/// everyone syncs until nothing moves.
pub async fn heal_and_settle(phones: &[Phone]) {
    for p in phones {
        p.online();
        p.proxy.state.lose_responses.store(0, Ordering::SeqCst);
        p.proxy.state.duplicate_requests.store(0, Ordering::SeqCst);
    }
    for _ in 0..3 {
        for p in phones {
            p.client.sync_until_idle().await.unwrap();
        }
    }
}

/// How the server decided mutation `id` of `client`; panics if it never did.
pub fn outcome(server: &TestServer, client: &Client, id: u64) -> lvzhi_domain::protocol::MutationOutcome {
    let client_id = client.sync().client_id().unwrap();
    let json: String = server
        .state
        .store
        .read(|c| {
            c.query_row(
                "SELECT outcome FROM mutation_results WHERE client_id = ?1 AND mutation_id = ?2",
                lvzhi_sql::params![client_id, id as i64],
                |r| r.get(0),
            )
            .map_err(lvzhi_store::Error::from)
        })
        .unwrap_or_else(|e| panic!("mutation {id} of {client_id} never decided: {e}"));
    serde_json::from_str(&json).unwrap()
}

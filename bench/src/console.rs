//! The web console at full size: a 50-row page of the proposal list, rendered by the server
//! for staff of a county holding `stored_proposals` proposals (p99 of the server's answer
//! < 50 ms, against the hello route's p99 in the same run), and importing `import_accounts`
//! people from a CSV list — read, checked row by row and created in one transaction with their
//! activation codes (< 60 s, against plain INSERTs of as many people in the same run).

use std::time::{Duration, Instant};

use lvzhi_store::sample;
use lvzhi_tests::PASSWORD;

use crate::{Figure, Sizes, fig, ms, percentile};

/// Requests measured per figure.
const REQUESTS: usize = 200;

async fn latencies(http: &reqwest::Client, urls: &[String], cookie: &str) -> Vec<Duration> {
    let mut out = Vec::with_capacity(REQUESTS);
    for i in 0..REQUESTS {
        let t = Instant::now();
        let r = http.get(&urls[i % urls.len()]).header("cookie", cookie).send().await.expect("request");
        assert!(r.status().is_success(), "{} answered {}", urls[i % urls.len()], r.status());
        let _ = r.bytes().await.expect("body");
        out.push(t.elapsed());
    }
    out
}

pub async fn figures(sizes: &Sizes) -> Vec<Figure> {
    let server = lvzhi_tests::demo_server(sample::fixed_now()).await;
    let state = server.state.clone();
    let proposals = sizes.stored_proposals;
    eprintln!("bench: the console over {proposals} proposals…");
    tokio::task::spawn_blocking(move || crate::seed::member_world(&state, 1, 0, proposals)).await.expect("seed");

    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let login = http
        .post(format!("{}/console/login", server.url))
        .form(&[("login", "chenjing"), ("password", PASSWORD), ("next", "/console")])
        .send()
        .await
        .expect("login");
    let cookie = login
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_string();
    let pages: Vec<String> = (1..=20).map(|p| format!("{}/console/proposals?page={p}", server.url)).collect();
    let ping = vec![format!("{}/v1/ping", server.url)];
    latencies(&http, &pages[..2], &cookie).await;
    let mut list = latencies(&http, &pages, &cookie).await;
    let mut hello = latencies(&http, &ping, &cookie).await;
    let list_p99 = ms(percentile(&mut list, 0.99));
    let hello_p99 = ms(percentile(&mut hello, 0.99));

    // 25,000 people in one list, as an administrator uploads it.
    let n = sizes.import_accounts;
    let mut csv = String::from("姓名,账号,角色,界别\n");
    for i in 0..n {
        csv.push_str(&format!("委员{i:05},bench-{i:05},委员,农业和农村界\n"));
    }
    let state = server.state.clone();
    let (import_s, created) = tokio::task::spawn_blocking(move || {
        let t = Instant::now();
        let cells = lvzhi_server::accounts::read_cells("名单.csv", csv.as_bytes()).expect("read");
        let choices = state.store.read(|c| lvzhi_server::accounts::OrgChoices::load(c, "yn-12-03")).expect("choices");
        let checked = lvzhi_server::accounts::check_list(&cells, &choices).expect("check");
        assert!(checked.bad.is_empty(), "{:?}", checked.bad.first());
        let now = lvzhi_domain::time::now();
        let created = state
            .store
            .write(|tx| lvzhi_server::accounts::create(tx, "yn-12-03", &checked.good, "demo-zhaolei", now))
            .expect("create");
        (t.elapsed().as_secs_f64(), created.len())
    })
    .await
    .expect("import");
    assert_eq!(created, n);
    let state = server.state.clone();
    let raw_s = tokio::task::spawn_blocking(move || {
        let t = Instant::now();
        state
            .store
            .write(|tx| {
                for i in 0..n {
                    tx.execute(
                        "INSERT INTO people (id, name) VALUES (?1, ?2)",
                        lvzhi_sql::params![format!("raw-{i:05}"), format!("委员{i:05}")],
                    )?;
                }
                Ok::<_, lvzhi_store::Error>(())
            })
            .expect("raw");
        t.elapsed().as_secs_f64()
    })
    .await
    .expect("raw inserts");
    server.running.stop().await.ok();
    vec![
        fig(
            &format!("console_proposal_page_p99_of_{proposals}"),
            (list_p99, "ms"),
            (hello_p99, "ms hello route p99"),
            "< 50 ms",
            list_p99 < 50.0,
        ),
        fig(
            &format!("console_import_{n}_accounts"),
            (import_s, "s"),
            (raw_s, "s raw INSERT people"),
            "< 60 s",
            import_s < 60.0,
        ),
    ]
}

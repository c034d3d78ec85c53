//! Chinese search over 10,000 proposals: our bigram/unigram FTS5 index against a LIKE scan
//! and against SQLite's trigram tokenizer (which needs LIKE for queries under three
//! characters). Prints p50 and p99 per query; a benchmark, not a test.
//!
//! `cargo bench -p lvzhi-core --bench search [-- N]`

use std::time::{Duration, Instant};

use lvzhi_domain::org::{Actor, Role};
use lvzhi_domain::proposal::lifecycle;
use lvzhi_store::org;
use lvzhi_store::proposal::{repo, service};
use lvzhi_store::sample::{self, YUNNAN};
use lvzhi_store::{DbKind, Store};
use rusqlite::Connection;

const QUERIES: &[&str] = &["牛", "肉牛", "贡山", "乡村振兴", "5G", "洱海流域生态"];
const ROUNDS: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn measure(mut f: impl FnMut() -> usize) -> (Duration, Duration, usize) {
    let hits = f();
    let mut times: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .collect();
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99), hits)
}

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.db");
    let store = Store::open(&path, DbKind::Device).expect("open");
    let now = sample::fixed_now();
    let tree = store.write(|tx| sample::seed_small(tx, now)).expect("seed");
    let author =
        Actor { person_id: tree.members[0].clone(), role: Role::Member, org_id: tree.county.clone(), unit_id: None };
    let counties: Vec<&str> = YUNNAN.iter().flat_map(|(_, c)| c.iter().copied()).collect();

    let t = Instant::now();
    store
        .write(|tx| {
            let session = org::get_session(tx, &tree.session)?.expect("session");
            for i in 0..n {
                let county = counties[i % counties.len()];
                // Realistic length: three paragraphs of case and suggestions (~1,000 characters).
                let mut content = sample::proposal_content(i, county);
                for k in 1..3 {
                    let more = sample::proposal_content(i * 7 + k, counties[(i + k) % counties.len()]);
                    content.cause.push_str(&more.cause);
                    content.suggestions.push_str(&more.suggestions);
                }
                let outcome = lifecycle::create(&format!("p{i}"), &author, &session, content, now)?;
                repo::save_outcome(tx, &outcome, lvzhi_store::Side::Device)?;
            }
            Ok::<_, lvzhi_store::Error>(())
        })
        .expect("fill");
    println!("indexed {n} proposals in {:.2?} ({:.0} proposals/s)", t.elapsed(), n as f64 / t.elapsed().as_secs_f64());

    // The trigram alternative, in its own table over the same text.
    let raw = Connection::open(&path).expect("raw");
    raw.execute_batch(
        "CREATE VIRTUAL TABLE tri USING fts5(title, body, tokenize = 'trigram');
         INSERT INTO tri (rowid, title, body)
           SELECT rowid, title, json_extract(snapshot, '$.content.cause') || json_extract(snapshot, '$.content.suggestions') FROM proposals;",
    )
    .expect("trigram table");

    println!(
        "all hits: ours = bigram/unigram FTS5 MATCH; like = LIKE scan; trigram = FTS5 trigram (LIKE under 3 chars)"
    );
    println!(
        "{:<8} {:>24} {:>24} {:>24} {:>24}",
        "query", "ours all hits", "like all hits", "trigram all hits", "ours search() top 50"
    );
    let cell = |(p50, p99, hits): (Duration, Duration, usize)| format!("{p50:.2?}/{p99:.2?} ({hits})");
    for q in QUERIES {
        let expr =
            lvzhi_store::search::match_expression(q, &["title_bi", "body_bi"], &["title_uni", "body_uni"]).unwrap();
        let mut ours_stmt = raw.prepare("SELECT rowid FROM proposal_search WHERE proposal_search MATCH ?1").unwrap();
        let ours = measure(|| ours_stmt.query_map([&expr], |r| r.get::<_, i64>(0)).unwrap().count());
        let pattern = format!("%{q}%");
        let mut like_stmt = raw
            .prepare(
                "SELECT rowid FROM proposals WHERE title LIKE ?1
                 OR json_extract(snapshot, '$.content.cause') LIKE ?1 OR json_extract(snapshot, '$.content.suggestions') LIKE ?1",
            )
            .unwrap();
        let like = measure(|| like_stmt.query_map([&pattern], |r| r.get::<_, i64>(0)).unwrap().count());
        let short = q.chars().count() < 3;
        let tri_sql = if short {
            "SELECT rowid FROM tri WHERE title LIKE ?1 OR body LIKE ?1"
        } else {
            "SELECT rowid FROM tri WHERE tri MATCH ?1"
        };
        let tri_arg = if short { pattern.clone() } else { format!("\"{q}\"") };
        let mut tri_stmt = raw.prepare(tri_sql).unwrap();
        let tri = measure(|| tri_stmt.query_map([&tri_arg], |r| r.get::<_, i64>(0)).unwrap().count());
        let top = measure(|| service::search(&store, &author, q, 50).unwrap().len());
        println!("{q:<8} {:>24} {:>24} {:>24} {:>24}", cell(ours), cell(like), cell(tri), cell(top));
    }
    let size = |sql: &str| -> i64 { raw.query_row(sql, [], |r| r.get(0)).unwrap_or(-1) };
    println!("database pages: {} of {} bytes", size("PRAGMA page_count"), size("PRAGMA page_size"));
}

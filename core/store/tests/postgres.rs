//! The server's schema on a real PostgreSQL (`scripts/pg start`): it migrates once however many
//! servers start together, and the change log hands out positions in commit order.

use std::sync::Arc;

use lvzhi_sql::postgres::{Pool, testing};
use lvzhi_store::migrations::postgres::migrate;

fn pool(hint: &str) -> Option<(tokio::runtime::Runtime, Pool)> {
    testing::pool(hint, 8)
}

fn append(session: &lvzhi_sql::postgres::Session, scope: &str, id: &str) {
    session
        .connection()
        .execute(
            "INSERT INTO change_log (scope, entity, entity_id, data, at) VALUES (?1, 'notice', ?2, '{}', 0)",
            [scope, id],
        )
        .unwrap();
}

/// The changes of two scopes after one cursor, as a server that missed a notification reads the
/// log to find what moved (and as a phone reads a scope: one cursor, never behind a change).
fn read_after(pool: &Pool, cursor: i64) -> Vec<(i64, String)> {
    pool.session()
        .unwrap()
        .read(|c| {
            c.prepare_cached(
                "SELECT seq, entity_id FROM change_log WHERE scope IN ('org:yn-12-03', 'org:yn') AND seq > ?1 ORDER BY seq",
            )?
            .query_map([cursor], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<lvzhi_sql::Result<Vec<_>>>()
        })
        .unwrap()
}

#[test]
fn servers_starting_together_migrate_once_and_agree_on_the_schema() {
    let Some((_rt, pool)) = pool("migrate_once") else { return };
    let pool = Arc::new(pool);
    let starts: Vec<_> = (0..4)
        .map(|_| {
            let pool = pool.clone();
            std::thread::spawn(move || pool.session().unwrap().write(migrate))
        })
        .collect();
    for s in starts {
        s.join().unwrap().unwrap();
    }
    let versions = pool.session().unwrap().read(lvzhi_store::migrations::versions).unwrap();
    let mut expected: Vec<(String, u32)> = lvzhi_store::migrations::latest_versions(lvzhi_store::DbKind::Server)
        .into_iter()
        .map(|(n, v)| (n.into(), v))
        .collect();
    let newest = lvzhi_store::migrations::postgres::MIGRATIONS.last().unwrap().version;
    expected.push(("postgres".into(), newest));
    expected.sort();
    assert_eq!(versions, expected);
}

/// The classic way to lose a change: transaction A takes number 1, B takes number 2 and commits,
/// a reader reads 2 and moves its cursor past 1, then A commits 1, which that reader never sees.
/// Here B tries exactly that (it starts writing while A is open and commits at once); it cannot
/// take a number before A commits, so the reader sees A's change, then B's, and skips nothing.
#[test]
fn a_change_that_commits_late_is_never_passed_by_a_reader() {
    let Some((_rt, pool)) = pool("commit_order") else { return };
    pool.session().unwrap().write(migrate).unwrap();
    let pool = Arc::new(pool);

    let a = pool.session().unwrap();
    a.connection().execute_batch("BEGIN").unwrap();
    append(&a, "org:yn-12-03", "notice-a");

    let b = {
        let pool = pool.clone();
        std::thread::spawn(move || {
            let b = pool.session().unwrap();
            b.connection().execute_batch("BEGIN").unwrap();
            append(&b, "org:yn", "notice-b");
            b.connection().execute_batch("COMMIT").unwrap();
        })
    };
    // However long B has had, it has not committed ahead of A: a reader sees neither yet.
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(read_after(&pool, 0), vec![], "B committed a position while A held an earlier one open");

    a.connection().execute_batch("COMMIT").unwrap();
    // The reader may read between the two commits; whatever it saw, it goes on from there.
    let first = read_after(&pool, 0);
    let cursor = first.last().map_or(0, |(seq, _)| *seq);
    b.join().unwrap();
    let rest = read_after(&pool, cursor);
    let seen: Vec<(i64, String)> = first.into_iter().chain(rest).collect();
    let ids: Vec<&str> = seen.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(ids, ["notice-a", "notice-b"], "in commit order, none skipped: {seen:?}");
    assert!(seen[0].0 < seen[1].0);
    // Each scope's head follows its newest change.
    let head: i64 = pool
        .session()
        .unwrap()
        .read(|c| c.query_row("SELECT seq FROM scope_heads WHERE scope = 'org:yn'", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(head, seen[1].0);
}

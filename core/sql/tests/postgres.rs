//! The same statements on a real PostgreSQL (the cluster `scripts/pg start` runs).
#![cfg(feature = "postgres")]

use lvzhi_sql::postgres::{Pool, testing};
use lvzhi_sql::{Dialect, Error, OptionalExtension, Result, params};

fn pool(hint: &str) -> Option<(tokio::runtime::Runtime, Pool)> {
    testing::pool(hint, 4)
}

const SCHEMA: &str = "CREATE TABLE proposals (id TEXT PRIMARY KEY, title TEXT NOT NULL, revision BIGINT NOT NULL,
    submitted BIGINT NOT NULL DEFAULT 0, body BYTEA, score DOUBLE PRECISION)";

#[test]
fn the_store_s_statements_run_unchanged() {
    let Some((_rt, pool)) = pool("unchanged") else { return };
    let s = pool.session().unwrap();
    s.connection().execute_batch(SCHEMA).unwrap();
    s.write(|tx| -> Result<()> {
        assert_eq!(tx.dialect(), Dialect::Postgres);
        let n = tx.execute(
            "INSERT INTO proposals (id, title, revision, submitted, body, score) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params!["p-1", "关于加强宾川县农村饮水安全的建议", 1u32, true, vec![0u8, 255], 0.5],
        )?;
        assert_eq!(n, 1);
        // A bare `?`, an upsert both engines read, a NULL into a nullable column.
        tx.execute(
            "INSERT INTO proposals (id, title, revision, body) VALUES (?, ?, ?, ?)",
            params!["p-2", "乡村振兴", 3i64, None::<Vec<u8>>],
        )?;
        tx.execute(
            "INSERT INTO proposals (id, title, revision) VALUES (?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, revision = proposals.revision + 1",
            params!["p-2", "乡村振兴（修改稿）", 0],
        )?;
        tx.execute("INSERT INTO proposals (id, title, revision) VALUES ('p-2', 'x', 0) ON CONFLICT DO NOTHING", [])?;
        Ok(())
    })
    .unwrap();
    s.read(|c| -> Result<()> {
        let (title, revision, submitted, body, score): (String, u32, bool, Vec<u8>, f64) =
            c.query_row("SELECT title, revision, submitted, body, score FROM proposals WHERE id = ?1", ["p-1"], |r| {
                Ok((r.get(0)?, r.get("revision")?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?;
        assert_eq!(
            (title.as_str(), revision, submitted, body, score),
            ("关于加强宾川县农村饮水安全的建议", 1, true, vec![0, 255], 0.5)
        );
        let p2: (String, i64, Option<Vec<u8>>) =
            c.query_row("SELECT title, revision, body FROM proposals WHERE id = 'p-2'", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        assert_eq!(p2, ("乡村振兴（修改稿）".to_string(), 4, None));
        // count(*) is BIGINT; a sum is NUMERIC unless cast, and says so.
        let count: i64 = c.query_row("SELECT count(*) FROM proposals", [], |r| r.get(0))?;
        assert_eq!(count, 2);
        let total: i64 = c.query_row("SELECT CAST(sum(revision) AS BIGINT) FROM proposals", [], |r| r.get(0))?;
        assert_eq!(total, 5);
        let err = c.query_row("SELECT sum(revision) FROM proposals", [], |r| r.get::<_, i64>(0)).unwrap_err();
        assert!(err.to_string().contains("CAST"), "{err}");
        // A number bound where the column is text, as SQLite allows.
        assert!(c.prepare_cached("SELECT 1 FROM proposals WHERE id = ?1")?.exists(["p-1"])?);
        let none =
            c.query_row("SELECT id FROM proposals WHERE revision = ?1", [99], |r| r.get::<_, String>(0)).optional()?;
        assert_eq!(none, None);
        let ids: Vec<String> = c
            .prepare_cached("SELECT id FROM proposals ORDER BY id")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_>>()?;
        assert_eq!(ids, ["p-1", "p-2"]);
        Ok(())
    })
    .unwrap();
}

#[test]
fn a_failed_transaction_leaves_nothing_and_the_connection_stays_usable() {
    let Some((_rt, pool)) = pool("rollback") else { return };
    let s = pool.session().unwrap();
    s.connection().execute_batch(SCHEMA).unwrap();
    let failed = s.write(|tx| -> Result<()> {
        tx.execute("INSERT INTO proposals (id, title, revision) VALUES ('p-1', '提案', 1)", [])?;
        tx.execute("INSERT INTO proposals (id, title, revision) VALUES ('p-1', '重复', 1)", [])?;
        Ok(())
    });
    let err = failed.unwrap_err();
    assert_eq!(err.sql_state(), Some("23505"), "{err}");
    assert!(err.to_string().contains("duplicate key"), "{err}");
    drop(s);
    // The same pooled connection, back clean: no transaction left open.
    let s = pool.session().unwrap();
    let count: i64 = s.read(|c| c.query_row("SELECT count(*) FROM proposals", [], |r| r.get(0))).unwrap();
    assert_eq!(count, 0);
    // A savepoint undoes one part and the transaction goes on, as on SQLite.
    s.write(|tx| -> Result<()> {
        tx.execute("INSERT INTO proposals (id, title, revision) VALUES ('p-1', '提案', 1)", [])?;
        tx.execute_batch("SAVEPOINT mutation")?;
        assert!(tx.execute("INSERT INTO proposals (id, title, revision) VALUES ('p-1', '重复', 1)", []).is_err());
        tx.execute_batch("ROLLBACK TO mutation; RELEASE mutation")?;
        tx.execute("INSERT INTO proposals (id, title, revision) VALUES ('p-2', '另一件', 1)", [])?;
        Ok(())
    })
    .unwrap();
    let count: i64 = s.read(|c| c.query_row("SELECT count(*) FROM proposals", [], |r| r.get(0))).unwrap();
    assert_eq!(count, 2);
}

#[test]
fn a_value_that_does_not_fit_is_refused_before_it_reaches_the_server() {
    let Some((_rt, pool)) = pool("fit") else { return };
    let s = pool.session().unwrap();
    s.connection().execute_batch("CREATE TABLE t (small INTEGER, bytes BYTEA)").unwrap();
    let err = s.connection().execute("INSERT INTO t (small) VALUES (?1)", [i64::MAX]).unwrap_err();
    assert!(matches!(err, Error::Conversion { .. }), "{err}");
    let err = s.connection().execute("INSERT INTO t (bytes) VALUES (?1)", [1.5]).unwrap_err();
    assert!(matches!(err, Error::Conversion { .. }), "{err}");
    let err = s.connection().execute("INSERT INTO t (small) VALUES (?1)", params![1, 2]).unwrap_err();
    assert!(err.to_string().contains("takes 1 parameters, 2 were given"), "{err}");
}

#[test]
fn sessions_work_from_async_tasks_of_a_multi_threaded_runtime() {
    let Some((rt, pool)) = pool("async") else { return };
    let n: i64 = rt
        .block_on(async move {
            let s = pool.session_async().await.unwrap();
            s.connection().query_row("SELECT CAST(?1 AS BIGINT) + 1", [41], |r| r.get(0))
        })
        .unwrap();
    assert_eq!(n, 42);
}

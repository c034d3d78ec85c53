//! `lvzhi-server migrate-to-postgres --from FILE --to URL`: moves a stopped SQLite server's
//! database into an empty PostgreSQL database, row for row, in one transaction.
//!
//! Every position is kept (the change log's numbers, the next number after a restore's jump,
//! the audit log's), and so are device ids, sessions and the mutations decided for each device:
//! phones synced against the SQLite server go on against the PostgreSQL one with their cursors,
//! their tokens and their outboxes, with no reset and nothing sent twice.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use lvzhi_sql::{Connection, Transaction, Value};
use lvzhi_store::{DbKind, Error, Store};

use crate::db::{Db, DbLocation};

/// What was moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub tables: usize,
    pub rows: u64,
}

/// Copies the SQLite server database `from` into the empty PostgreSQL database `to` (migrating
/// both to the newest schema first). Call from inside a multi-threaded tokio runtime, with the
/// SQLite server stopped.
pub fn to_postgres(from: &Path, to: &str) -> lvzhi_store::Result<Moved> {
    if !from.exists() {
        return Err(Error::Invalid(format!("{} does not exist", from.display())));
    }
    let sqlite = Store::open(from, DbKind::Server)?;
    let pg = Db::open(&DbLocation::Postgres(to.to_owned()))?;
    pg.write(|tx| sqlite.read(|c| copy_all(c, tx)))
}

fn copy_all(from: &Connection<'_>, to: &Transaction<'_>) -> lvzhi_store::Result<Moved> {
    let occupied: i64 = to.query_row(
        "SELECT (SELECT count(*) FROM organisations) + (SELECT count(*) FROM change_log) + (SELECT count(*) FROM accounts)",
        [],
        |r| r.get(0),
    )?;
    if occupied > 0 {
        return Err(Error::Invalid("the PostgreSQL database already has data: move into an empty one".into()));
    }
    let mut moved = Moved { tables: 0, rows: 0 };
    for table in tables_in_dependency_order(to)? {
        let columns: Vec<String> = to
            .prepare_cached(
                "SELECT column_name FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = ?1 ORDER BY ordinal_position",
            )?
            .query_map([table.as_str()], |r| r.get(0))?
            .collect::<lvzhi_sql::Result<_>>()?;
        let list = columns.join(", ");
        let select = match table.as_str() {
            // The one table that refers to itself: parents before their children.
            "organisations" => format!(
                "WITH RECURSIVE depth(id, d) AS (
                     SELECT id, 0 FROM organisations WHERE parent_id IS NULL
                     UNION ALL SELECT o.id, depth.d + 1 FROM organisations o JOIN depth ON o.parent_id = depth.id)
                 SELECT {} FROM organisations JOIN depth USING (id) ORDER BY depth.d",
                columns.iter().map(|c| format!("organisations.{c}")).collect::<Vec<_>>().join(", ")
            ),
            _ => format!("SELECT {list} FROM {table}"),
        };
        let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let mut insert = format!("INSERT INTO {table} ({list}) VALUES ({})", placeholders.join(", "));
        if table == "scope_heads" {
            // The change log's trigger writes heads as its rows arrive; SQLite's heads win (a
            // scope's newest change may have been compacted away, its head stays).
            insert.push_str(" ON CONFLICT (scope) DO UPDATE SET seq = excluded.seq");
        }
        let mut read = from.prepare(&select)?;
        let mut write = to.prepare_cached(&insert)?;
        let mut rows = read.query([])?;
        let mut count = 0u64;
        while let Some(row) = rows.next()? {
            let values: Vec<Value> = (0..columns.len()).map(|i| row.get(i)).collect::<lvzhi_sql::Result<_>>()?;
            let params: Vec<&dyn lvzhi_sql::ToSql> = values.iter().map(|v| v as &dyn lvzhi_sql::ToSql).collect();
            write.execute(params.as_slice())?;
            count += 1;
        }
        let source: i64 = from.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
        if source as u64 != count {
            return Err(Error::Invalid(format!("{table}: {source} rows in SQLite, {count} copied")));
        }
        moved.tables += 1;
        moved.rows += count;
    }
    // The next change is numbered past anything a phone has seen, including past a restore's
    // jump (kept by SQLite in sqlite_sequence, above the largest number still in the log).
    let next_change: i64 = from.query_row(
        "SELECT max(coalesce((SELECT max(seq) FROM change_log), 0),
                    coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'change_log'), 0))",
        [],
        |r| r.get(0),
    )?;
    set_sequence(to, "change_log_seq", next_change)?;
    // Tables numbered by the database: each goes on after the largest number copied.
    for (table, column) in [("audit_log", "seq"), ("push_events", "id"), ("push_sends", "id")] {
        let last: i64 = from.query_row(&format!("SELECT coalesce(max({column}), 0) FROM {table}"), [], |r| r.get(0))?;
        let sequence: String =
            to.query_row(&format!("SELECT pg_get_serial_sequence('{table}', '{column}')"), [], |r| r.get(0))?;
        set_sequence(to, &sequence, last)?;
    }
    Ok(moved)
}

/// Sets `sequence` so that its next value is `last + 1`.
fn set_sequence(tx: &Transaction<'_>, sequence: &str, last: i64) -> lvzhi_store::Result<()> {
    tx.query_row(
        "SELECT setval(CAST(CAST(?1 AS TEXT) AS regclass), CAST(?2 AS BIGINT), ?3)",
        lvzhi_sql::params![sequence, last.max(1), last > 0],
        |_| Ok(()),
    )?;
    Ok(())
}

/// The PostgreSQL schema's tables, each after the tables its foreign keys refer to.
fn tables_in_dependency_order(tx: &Transaction<'_>) -> lvzhi_store::Result<Vec<String>> {
    let tables: Vec<String> = tx
        .prepare_cached(
            "SELECT table_name FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_sets'
             ORDER BY table_name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<lvzhi_sql::Result<_>>()?;
    let edges: Vec<(String, String)> = tx
        .prepare_cached(
            "SELECT CAST(conrelid::regclass AS TEXT), CAST(confrelid::regclass AS TEXT) FROM pg_constraint
             WHERE contype = 'f' AND conrelid <> confrelid",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<lvzhi_sql::Result<_>>()?;
    let mut needs: BTreeMap<&str, BTreeSet<&str>> = tables.iter().map(|t| (t.as_str(), BTreeSet::new())).collect();
    for (table, refers_to) in &edges {
        if let Some(n) = needs.get_mut(table.as_str()) {
            n.insert(refers_to.as_str());
        }
    }
    let mut order: Vec<String> = Vec::with_capacity(tables.len());
    while order.len() < tables.len() {
        let ready: Vec<&str> = needs
            .iter()
            .filter(|(t, n)| !order.iter().any(|o| o == *t) && n.iter().all(|d| order.iter().any(|o| o == d)))
            .map(|(t, _)| *t)
            .collect();
        if ready.is_empty() {
            return Err(Error::Invalid("the schema's foreign keys go round in a circle".into()));
        }
        order.extend(ready.into_iter().map(str::to_owned));
    }
    Ok(order)
}

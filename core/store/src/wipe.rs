//! Emptying a device database of everything a person had on it: at logout, and when another
//! person logs in on the same phone. Every table of the shared and device sets is emptied,
//! the sync facts (session, client id, cursors, outbox) included; the schema stays.

use lvzhi_sql::Transaction;

use crate::error::Result;

/// Empties every data table in `tx` (device databases only). Full-text indexes are emptied
/// through their own tables, never through their shadow tables; a vocabulary (`fts5vocab`) is
/// a read-only view of an index and empties with it.
pub fn wipe_device(tx: &Transaction<'_>) -> Result<()> {
    // Parents and children go in one transaction: check the references at commit.
    tx.execute_batch(
        "PRAGMA defer_foreign_keys = ON;
         INSERT OR IGNORE INTO proposal_purges (proposal_id) SELECT id FROM proposals;",
    )?;
    let virtual_tables: Vec<String> = names(tx, "type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")?;
    let tables: Vec<String> =
        names(tx, "type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE '%USING fts5vocab%'")?
            .into_iter()
            .filter(|t| !["schema_sets", "rebuild_requests", "proposal_purges"].contains(&t.as_str()))
            .filter(|t| !virtual_tables.iter().any(|v| t.starts_with(&format!("{v}_"))))
            .collect();
    for table in tables {
        // Names come from sqlite_schema, not from input.
        tx.execute_batch(&format!("DELETE FROM \"{table}\""))?;
    }
    tx.execute_batch("DELETE FROM proposal_purges")?;
    Ok(())
}

fn names(tx: &Transaction<'_>, filter: &str) -> Result<Vec<String>> {
    let mut stmt = tx.prepare(&format!("SELECT name FROM sqlite_schema WHERE {filter} ORDER BY name"))?;
    Ok(stmt.query_map([], |r| r.get(0))?.collect::<lvzhi_sql::Result<_>>()?)
}

#[cfg(all(test, feature = "device"))]
mod tests {
    use crate::{DbKind, Store};

    #[test]
    fn a_wipe_empties_every_table_and_leaves_the_index_vocabulary_empty_too() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("phone.db"), DbKind::Device).unwrap();
        store.write(|tx| crate::search::index_proposal(tx, 1, "关于破解肉牛养殖户贷款难题的提案", "贷款难")).unwrap();
        let words = |s: &Store| -> i64 {
            s.read(|c| {
                Ok::<_, crate::Error>(c.query_row("SELECT count(*) FROM proposal_vocabulary", [], |r| r.get(0))?)
            })
            .unwrap()
        };
        assert!(words(&store) > 0);
        store.write(super::wipe_device).unwrap();
        assert_eq!(words(&store), 0);
    }
}

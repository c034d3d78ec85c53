//! 社情民意 statistics for staff of an organisation and of those above it: per organisation
//! of the subtree and per month (China time, by submission), how many reports were submitted,
//! accepted, edited, sent up, instructed, and adopted by a higher organisation; and how many
//! reports from below the organisation itself adopted. Two grouped queries over covering
//! indexes (the months are stored when a report is saved), so a province's 10,000 reports
//! from 146 organisations are counted without reading one report (`scripts/bench`).

use std::collections::BTreeMap;

use lvzhi_domain::consult::report::StatsRow;
use lvzhi_sql::Connection;

use crate::error::Result;

/// `org_id` (`?1`) and every organisation under it, as a common table expression `tree`.
pub(crate) fn tree(c: &Connection) -> String {
    format!(
        "WITH RECURSIVE tree(id) AS (
        SELECT {} UNION SELECT o.id FROM organisations o JOIN tree ON o.parent_id = tree.id)",
        text_param(c)
    )
}

/// `?1` as text that compares like the ids it meets: PostgreSQL's columns sort bytewise
/// (`COLLATE "C"`) and a recursive query must keep one collation; SQLite has one already.
pub(crate) fn text_param(c: &Connection) -> &'static str {
    match c.dialect() {
        lvzhi_sql::Dialect::Sqlite => "?1",
        lvzhi_sql::Dialect::Postgres => "CAST(?1 AS TEXT) COLLATE \"C\"",
    }
}

/// SQLite is told which index answers the statistics (its planner chose a scan); PostgreSQL
/// plans by its own statistics.
fn stats_index(c: &Connection) -> &'static str {
    match c.dialect() {
        lvzhi_sql::Dialect::Sqlite => "INDEXED BY reports_stats",
        lvzhi_sql::Dialect::Postgres => "",
    }
}

/// The statistics of `org_id` and every organisation under it, by organisation and month.
pub fn report_stats(c: &Connection, org_id: &str) -> Result<Vec<StatsRow>> {
    let mut rows: BTreeMap<(String, String), StatsRow> = BTreeMap::new();
    let mut own = c.prepare_cached(&format!(
        "{}
         SELECT r.org_id, o.name, r.month, count(*),
                CAST(sum(r.accepted) AS BIGINT), CAST(sum(r.edited) AS BIGINT), CAST(sum(r.sent_up) AS BIGINT),
                CAST(sum(r.instructed) AS BIGINT), CAST(sum(r.adopted_above) AS BIGINT)
         FROM tree JOIN reports r {} ON r.org_id = tree.id JOIN organisations o ON o.id = r.org_id
         WHERE r.month IS NOT NULL GROUP BY r.org_id, o.name, r.month",
        tree(c),
        stats_index(c)
    ))?;
    let counts = own.query_map([org_id], |r| {
        Ok(StatsRow {
            org_id: r.get(0)?,
            org_name: r.get(1)?,
            month: r.get(2)?,
            submitted: r.get(3)?,
            accepted: r.get(4)?,
            edited: r.get(5)?,
            sent_up: r.get(6)?,
            instructed: r.get(7)?,
            adopted_above: r.get(8)?,
            adopted_from_below: 0,
        })
    })?;
    for row in counts {
        let row = row?;
        rows.insert((row.org_id.clone(), row.month.clone()), row);
    }
    let mut adopted = c.prepare_cached(&format!(
        "{}
         SELECT a.org_id, o.name, a.month, count(*)
         FROM tree JOIN report_adoptions a ON a.org_id = tree.id JOIN organisations o ON o.id = a.org_id
         WHERE a.report_org != a.org_id GROUP BY a.org_id, o.name, a.month",
        tree(c)
    ))?;
    let from_below = adopted.query_map([org_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, u32>(3)?))
    })?;
    for row in from_below {
        let (org, name, month, n) = row?;
        rows.entry((org.clone(), month.clone()))
            .or_insert_with(|| StatsRow { org_id: org, org_name: name, month, ..Default::default() })
            .adopted_from_below = n;
    }
    Ok(rows.into_values().collect())
}

//! 社情民意 statistics for staff of an organisation and of those above it: per organisation
//! of the subtree and per month (China time, by submission), how many reports were submitted,
//! accepted, edited, sent up, instructed, and adopted by a higher organisation; and how many
//! reports from below the organisation itself adopted. Counted by SQL over indexed columns,
//! so a province's 10,000 reports from 146 organisations are one pass (`scripts/bench`).

use std::collections::BTreeMap;

use lvzhi_domain::consult::report::StatsRow;
use rusqlite::{Connection, params};

use crate::duty::audience::subtree;
use crate::error::Result;

/// Milliseconds China time is ahead of UTC, for grouping by its months.
const CST_MS: i64 = 8 * 3_600_000;

/// The statistics of `org_id` and every organisation under it, by organisation and month.
pub fn report_stats(c: &Connection, org_id: &str) -> Result<Vec<StatsRow>> {
    let tree = subtree(c, org_id)?;
    let mut rows: BTreeMap<(String, String), StatsRow> = BTreeMap::new();
    let mut names = c.prepare_cached("SELECT name FROM organisations WHERE id = ?1")?;
    let mut own = c.prepare_cached(
        "SELECT strftime('%Y-%m', (submitted_at + ?2) / 1000, 'unixepoch') AS month, count(*), sum(accepted),
                sum(edited), sum(sent_up), sum(instructed),
                sum(EXISTS (SELECT 1 FROM report_adoptions a WHERE a.report_id = reports.id AND a.org_id != reports.org_id))
         FROM reports WHERE org_id = ?1 AND submitted_at IS NOT NULL GROUP BY month",
    )?;
    let mut adopted = c.prepare_cached(
        "SELECT strftime('%Y-%m', (a.at + ?2) / 1000, 'unixepoch') AS month, count(*)
         FROM report_adoptions a JOIN reports r ON r.id = a.report_id
         WHERE a.org_id = ?1 AND r.org_id != ?1 GROUP BY month",
    )?;
    for org in &tree {
        let name: String = names.query_row([org], |r| r.get(0))?;
        let counts: Vec<(String, [u32; 6])> = own
            .query_map(params![org, CST_MS], |r| {
                Ok((r.get(0)?, [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?]))
            })?
            .collect::<rusqlite::Result<_>>()?;
        for (month, [submitted, accepted, edited, sent_up, instructed, above]) in counts {
            let row = entry(&mut rows, org, &name, month);
            row.submitted = submitted;
            row.accepted = accepted;
            row.edited = edited;
            row.sent_up = sent_up;
            row.instructed = instructed;
            row.adopted_above = above;
        }
        let from_below: Vec<(String, u32)> = adopted
            .query_map(params![org, CST_MS], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (month, n) in from_below {
            entry(&mut rows, org, &name, month).adopted_from_below = n;
        }
    }
    Ok(rows.into_values().collect())
}

fn entry<'a>(
    rows: &'a mut BTreeMap<(String, String), StatsRow>,
    org: &str,
    name: &str,
    month: String,
) -> &'a mut StatsRow {
    rows.entry((org.to_string(), month.clone())).or_insert_with(|| StatsRow {
        org_id: org.into(),
        org_name: name.into(),
        month,
        ..Default::default()
    })
}

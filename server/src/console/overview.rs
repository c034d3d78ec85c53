//! 统计概览 for staff: an organisation's work in a year, counted down the tree — the
//! organisation itself and each organisation directly under it with everything below that —
//! and by month. Organisations only: no person is counted or ranked here.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, TimeZone};
use lvzhi_domain::org::Organisation;
use lvzhi_domain::time::{cst, from_millis};
use lvzhi_sql::Connection;
use lvzhi_store::org;
use maud::html;
use serde::Deserialize;

use super::html::{self, page};
use super::session::ConsoleUser;
use crate::AppState;

/// What is counted, with the table and the time column it is counted by.
pub(super) const KINDS: [(&str, &str); 5] = [
    (
        "提案",
        "SELECT org_id, created_at FROM proposals WHERE state <> 'draft' AND created_at >= ?1 AND created_at < ?2",
    ),
    ("社情民意", "SELECT org_id, submitted_at FROM reports WHERE submitted_at >= ?1 AND submitted_at < ?2"),
    ("通知", "SELECT org_id, published_at FROM notices WHERE published_at >= ?1 AND published_at < ?2"),
    ("会议活动", "SELECT org_id, starts_at FROM meetings WHERE starts_at >= ?1 AND starts_at < ?2"),
    ("协商在基层", "SELECT org_id, date_ms FROM consultations WHERE date_ms >= ?1 AND date_ms < ?2"),
];

#[derive(Debug, Deserialize, Default)]
pub struct OverviewQuery {
    #[serde(default)]
    org: Option<String>,
    #[serde(default)]
    year: Option<i32>,
}

/// Counts per branch (the organisation itself, or a child with its subtree) and per month.
pub struct Counts {
    pub org: Organisation,
    /// (branch id, branch name, [count per kind]), the organisation's own row first.
    pub branches: Vec<(String, String, [u64; 5])>,
    /// month 1–12 → [count per kind], the whole subtree.
    pub months: BTreeMap<u32, [u64; 5]>,
}

/// Counts `org_id`'s subtree in `year` (China time).
pub fn counts(c: &Connection, org_id: &str, year: i32) -> lvzhi_store::Result<Option<Counts>> {
    let Some(root) = org::get_organisation(c, org_id)? else { return Ok(None) };
    // Which branch each organisation of the subtree counts for.
    let children = org::children(c, org_id)?;
    let mut branch_of: HashMap<String, usize> = HashMap::from([(org_id.to_string(), 0)]);
    let mut branches = vec![(root.id.clone(), format!("{}（本级）", root.name), [0u64; 5])];
    for (i, child) in children.iter().enumerate() {
        branches.push((child.id.clone(), child.name.clone(), [0; 5]));
        let mut stack = vec![child.id.clone()];
        while let Some(o) = stack.pop() {
            branch_of.insert(o.clone(), i + 1);
            stack.extend(org::children(c, &o)?.into_iter().map(|x| x.id));
        }
    }
    let start = cst().with_ymd_and_hms(year, 1, 1, 0, 0, 0).single().map(|t| t.timestamp_millis()).unwrap_or(0);
    let end = cst().with_ymd_and_hms(year + 1, 1, 1, 0, 0, 0).single().map(|t| t.timestamp_millis()).unwrap_or(0);
    let mut months: BTreeMap<u32, [u64; 5]> = (1..=12).map(|m| (m, [0; 5])).collect();
    for (k, (_, sql)) in KINDS.iter().enumerate() {
        let mut stmt = c.prepare_cached(sql)?;
        let rows =
            stmt.query_map(lvzhi_sql::params![start, end], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (o, at) = row?;
            let Some(b) = branch_of.get(&o) else { continue };
            branches[*b].2[k] += 1;
            let month = from_millis(at).with_timezone(&cst()).month();
            if let Some(m) = months.get_mut(&month) {
                m[k] += 1;
            }
        }
    }
    Ok(Some(Counts { org: root, branches, months }))
}

/// `GET /console/overview?org=ID&year=N`: staff of that organisation or of one above it.
pub async fn page_handler(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Query(q): Query<OverviewQuery>,
) -> Response {
    let staff = user.staff_orgs();
    let Some(first) = staff.first().cloned() else {
        return (StatusCode::FORBIDDEN, html::refusal(Some(&user), "只有政协机关工作人员可以查看统计", "/console"))
            .into_response();
    };
    let this_year = from_millis(lvzhi_domain::time::to_millis((app.clock)())).with_timezone(&cst()).year();
    let year = q.year.filter(|y| (2000..=2199).contains(y)).unwrap_or(this_year);
    let org_id = q.org.unwrap_or(first);
    let read = app.store.read(|c| {
        // Staff of an organisation see it and everything below it, nothing beside or above.
        let chain: Vec<String> = org::ancestry(c, &org_id)?.into_iter().map(|o| o.id).collect();
        if !chain.iter().any(|o| staff.contains(o)) {
            return Ok(None);
        }
        counts(c, &org_id, year)
    });
    let counts = match read {
        Ok(Some(c)) => c,
        Ok(None) => {
            return (
                StatusCode::FORBIDDEN,
                html::refusal(Some(&user), "只能查看本组织及下级组织的统计", "/console/overview"),
            )
                .into_response();
        }
        Err(e) => {
            return html::failed(&user, e);
        }
    };
    let link = |o: &str, y: i32| format!("/console/overview?org={}&year={y}", super::url::encode(o));
    let body = html! {
        p { (counts.org.name) "，" (year) "年" }
        nav.filters aria-label="年份" {
            a href=(link(&counts.org.id, year - 1)) { (year - 1) "年" }
            a href=(link(&counts.org.id, year)) aria-current="page" { (year) "年" }
            a href=(link(&counts.org.id, year + 1)) { (year + 1) "年" }
            @if let Some(parent) = &counts.org.parent_id {
                @if user.staff_orgs().iter().any(|s| s == parent) || counts.org.id != user.staff_orgs()[0] {
                    a href=(link(parent, year)) { "上一级" }
                }
            }
        }
        p { a href=(format!("/console/overview.xlsx?org={}&year={year}", super::url::encode(&counts.org.id))) { "导出 Excel" } }
        h2 { "按组织" }
        table.list #by-org {
            thead { tr { th scope="col" { "组织" } @for (label, _) in KINDS { th scope="col" { (label) } } } }
            tbody {
                @for (i, (id, name, n)) in counts.branches.iter().enumerate() {
                    tr {
                        td { @if i == 0 { (name) } @else { a href=(link(id, year)) { (name) } } }
                        @for v in n { td { (v) } }
                    }
                }
            }
        }
        h2 { "按月份" }
        table.list #by-month {
            thead { tr { th scope="col" { "月份" } @for (label, _) in KINDS { th scope="col" { (label) } } } }
            tbody { @for (m, n) in &counts.months { tr { td { (m) "月" } @for v in n { td { (v) } } } } }
        }
    };
    page("统计概览", Some(&user), body).into_response()
}

//! 提案统计 at the console: an organisation's proposals of a session year counted by month of
//! submission, by category, by state and by handling unit — organisations and units only, no
//! person counted or ranked.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use lvzhi_domain::proposal::ProposalState;
use lvzhi_domain::time::{cst, from_millis, to_millis};
use lvzhi_sql::Connection;
use lvzhi_store::org;
use lvzhi_store::proposal::repo;
use maud::{Markup, html};
use serde::Deserialize;

use super::html::{self, page};
use super::session::ConsoleUser;
use crate::AppState;

/// An organisation's proposals of one year, counted four ways.
#[derive(Debug, Default)]
pub struct ProposalCounts {
    pub total: u64,
    pub by_month: BTreeMap<u32, u64>,
    pub by_category: BTreeMap<String, u64>,
    pub by_state: Vec<(&'static str, u64)>,
    /// Unit name → (assigned, replied).
    pub by_unit: BTreeMap<String, (u64, u64)>,
}

/// Counts `org_id`'s proposals submitted in `year` (China time).
pub fn proposal_counts(c: &Connection, org_id: &str, year: i32) -> lvzhi_store::Result<ProposalCounts> {
    let states: Vec<ProposalState> = ProposalState::ALL.into_iter().filter(|s| *s != ProposalState::Draft).collect();
    let mut out = ProposalCounts::default();
    let mut by_state: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut unit_names: BTreeMap<String, String> = BTreeMap::new();
    for s in repo::list_by_org(c, org_id, &states, u32::MAX)? {
        let Some(p) = repo::load(c, &s.id)? else { continue };
        let Some(submitted) = p.submitted_at else { continue };
        let at = from_millis(to_millis(submitted)).with_timezone(&cst());
        if at.year() != year {
            continue;
        }
        out.total += 1;
        *out.by_month.entry(at.month()).or_default() += 1;
        let category =
            if p.content.category.trim().is_empty() { "未分类".to_string() } else { p.content.category.clone() };
        *out.by_category.entry(category).or_default() += 1;
        *by_state.entry(p.state.label()).or_default() += 1;
        for a in &p.assignments {
            if !unit_names.contains_key(&a.unit_id) {
                let name = org::get_unit(c, &a.unit_id)?.map(|u| u.name).unwrap_or_else(|| a.unit_id.clone());
                unit_names.insert(a.unit_id.clone(), name);
            }
            let entry = out.by_unit.entry(unit_names[&a.unit_id].clone()).or_default();
            entry.0 += 1;
            if a.reply.is_some() {
                entry.1 += 1;
            }
        }
    }
    // States in the lifecycle's order, not the alphabet's.
    out.by_state = states.iter().filter_map(|s| by_state.get(s.label()).map(|n| (s.label(), *n))).collect();
    Ok(out)
}

#[derive(Debug, Deserialize, Default)]
pub struct StatsQuery {
    #[serde(default)]
    org: Option<String>,
    #[serde(default)]
    year: Option<i32>,
}

fn table(id: &str, head: [&str; 2], rows: impl IntoIterator<Item = (String, u64)>) -> Markup {
    html! {
        table.list id=(id) {
            thead { tr { th scope="col" { (head[0]) } th scope="col" { (head[1]) } } }
            tbody { @for (k, n) in rows { tr { td { (k) } td { (n) } } } }
        }
    }
}

/// `GET /console/proposals/stats`.
pub async fn page_handler(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Query(q): Query<StatsQuery>,
) -> Response {
    let staff = user.staff_orgs();
    let Some(org_id) = q.org.filter(|o| staff.contains(o)).or_else(|| staff.first().cloned()) else {
        return (StatusCode::FORBIDDEN, html::refusal(Some(&user), "只有政协机关工作人员可以查看提案统计", "/console"))
            .into_response();
    };
    let year = q.year.filter(|y| (2000..=2199).contains(y)).unwrap_or_else(|| super::record::this_year(&app));
    let counts = match app.store.read(|c| proposal_counts(c, &org_id, year)) {
        Ok(c) => c,
        Err(e) => return html::failed(&user, e),
    };
    let body = html! {
        p { (year) "年提交的提案共 " strong #stats-total { (counts.total) } " 件（按组织和承办单位统计，不对个人排名）。" }
        h2 { "按月份" }
        (table("by-month", ["月份", "件数"], counts.by_month.iter().map(|(m, n)| (format!("{m}月"), *n))))
        h2 { "按类别" }
        (table("by-category", ["类别", "件数"], counts.by_category.iter().map(|(k, n)| (k.clone(), *n))))
        h2 { "按状态" }
        (table("by-state", ["状态", "件数"], counts.by_state.iter().map(|(k, n)| (k.to_string(), *n))))
        h2 { "按承办单位" }
        table.list #by-unit {
            thead { tr { th scope="col" { "承办单位" } th scope="col" { "交办" } th scope="col" { "已答复" } } }
            tbody { @for (unit, (assigned, replied)) in &counts.by_unit { tr { td { (unit) } td { (assigned) } td { (replied) } } } }
        }
    };
    page("提案统计", Some(&user), body).into_response()
}

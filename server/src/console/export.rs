//! Lists as Excel workbooks (`.xlsx`), since staff live in Excel: proposals, a notice's
//! follow-up, members' duty records and the overview's counts — each the same rows, read with the
//! same checks, as its page. Written with rust_xlsxwriter.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lvzhi_domain::proposal::ProposalState;
use lvzhi_store::{duty, org, record};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::html::{self, day, when};
use super::session::ConsoleUser;
use crate::AppState;

/// One cell.
pub enum Cell {
    Text(String),
    Number(f64),
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Number(n as f64)
    }
}

/// A workbook of one sheet: a bold header row, then `rows`.
pub fn workbook(sheet_name: &str, headers: &[&str], rows: Vec<Vec<Cell>>) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name)?;
    let bold = Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (r, row) in rows.into_iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.into_iter().enumerate() {
            match cell {
                Cell::Text(s) => sheet.write_string(r, c as u16, s)?,
                Cell::Number(n) => sheet.write_number(r, c as u16, n)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    book.save_to_buffer()
}

/// The workbook as a download named `file_name`.
fn download(user: &ConsoleUser, file_name: &str, made: Result<Vec<u8>, XlsxError>) -> Response {
    match made {
        Ok(bytes) => {
            let mut r = bytes.into_response();
            let h = r.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            );
            let disposition = format!("attachment; filename*=UTF-8''{}", super::url::encode(file_name));
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            r
        }
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, html::refusal(Some(user), &format!("导出失败：{e}"), "/console"))
            .into_response(),
    }
}

#[derive(Debug, serde::Deserialize, Default)]
pub struct StateQuery {
    #[serde(default)]
    state: Option<String>,
}

/// `GET /console/proposals.xlsx?state=…`: the list as the page shows it, all pages.
pub async fn proposals(State(app): State<Arc<AppState>>, user: ConsoleUser, Query(q): Query<StateQuery>) -> Response {
    let state = q.state.as_deref().and_then(|s| ProposalState::ALL.into_iter().find(|x| x.as_str() == s));
    let rows = match app.store.read(|c| super::proposals::rows_for(c, &user, state, None)) {
        Ok(listed) => listed.rows,
        Err(e) => return html::failed(&user, e),
    };
    let cells = rows
        .into_iter()
        .map(|r| {
            vec![
                Cell::from(r.summary.title),
                r.summary.state.label().into(),
                r.proposer.into(),
                r.due.map(day).unwrap_or_default().into(),
                when(r.summary.updated_at_ms).into(),
            ]
        })
        .collect();
    download(&user, "提案.xlsx", workbook("提案", &["标题", "状态", "提案人", "办理期限", "更新时间"], cells))
}

/// `GET /console/notices/{id}/followup.xlsx`: who read and answered, by name.
pub async fn followup(State(app): State<Arc<AppState>>, user: ConsoleUser, Path(id): Path<String>) -> Response {
    let read = app.store.read(|c| {
        let Some(n) = duty::repo::notice(c, &id)?.filter(|n| user.is_staff_of(&n.org_id)) else { return Ok(None) };
        let follow = duty::audience::notice_follow_up(c, &id)?;
        let mut rows = Vec::new();
        for l in follow.lines {
            let org_name = org::organisation_name(c, &l.org_id)?;
            rows.push(vec![
                Cell::from(l.name),
                org_name.into(),
                (if l.read { "已读" } else { "未读" }).into(),
                l.answer.map(|a| a.label()).unwrap_or("").into(),
                l.note.into(),
            ]);
        }
        Ok::<_, lvzhi_store::Error>(Some((n.content.title, rows)))
    });
    let (title, rows) = match html::found(&user, read, "通知", "/console/notices") {
        Ok(x) => x,
        Err(page) => return *page,
    };
    let name: String = title.chars().filter(|c| !"\\/:*?\"<>|".contains(*c)).take(40).collect();
    download(&user, &format!("{name}-回执.xlsx"), workbook("回执", &["姓名", "组织", "已读", "回执", "说明"], rows))
}

#[derive(Debug, serde::Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    org: Option<String>,
    #[serde(default)]
    year: Option<i32>,
}

/// `GET /console/record.xlsx?org=…&year=…`: members by name with their year's figures.
pub async fn records(State(app): State<Arc<AppState>>, user: ConsoleUser, Query(q): Query<YearQuery>) -> Response {
    let staff = user.staff_orgs();
    let Some(org_id) = q.org.filter(|o| staff.contains(o)).or_else(|| staff.first().cloned()) else {
        return (StatusCode::FORBIDDEN, html::refusal(Some(&user), "只有本组织的工作人员可以导出履职档案", "/console"))
            .into_response();
    };
    let year = q.year.filter(|y| (2000..=2199).contains(y)).unwrap_or_else(|| super::record::this_year(&app));
    let rows = match app
        .store
        .read(|c| record::member_records(c, &org_id, year, false, lvzhi_domain::time::to_millis((app.clock)())))
    {
        Ok(rows) => rows,
        Err(e) => return html::failed(&user, e),
    };
    let cells = rows
        .into_iter()
        .map(|m| {
            vec![
                Cell::from(m.name),
                i64::from(m.facts).into(),
                i64::from(m.total).into(),
                i64::from(m.threshold).into(),
                (if m.below_threshold { "低于最低分" } else { "" }).into(),
            ]
        })
        .collect();
    let headers = ["姓名", "履职事项", "积分", "年度最低分", "情况"];
    download(&user, &format!("{year}年履职档案.xlsx"), workbook("履职档案", &headers, cells))
}

/// `GET /console/overview.xlsx?org=…&year=…`: the overview's two tables, by organisation and by
/// month, one after the other.
pub async fn overview(State(app): State<Arc<AppState>>, user: ConsoleUser, Query(q): Query<YearQuery>) -> Response {
    let staff = user.staff_orgs();
    let Some(org_id) = q.org.or_else(|| staff.first().cloned()) else {
        return (StatusCode::FORBIDDEN, html::refusal(Some(&user), "只有政协机关工作人员可以导出统计", "/console"))
            .into_response();
    };
    let year = q.year.filter(|y| (2000..=2199).contains(y)).unwrap_or_else(|| super::record::this_year(&app));
    let read = app.store.read(|c| {
        let chain: Vec<String> = org::ancestry(c, &org_id)?.into_iter().map(|o| o.id).collect();
        if !chain.iter().any(|o| staff.contains(o)) {
            return Ok(None);
        }
        super::overview::counts(c, &org_id, year)
    });
    let counts = match html::found(&user, read, "组织", "/console/overview") {
        Ok(x) => x,
        Err(page) => return *page,
    };
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    for (_, name, n) in counts.branches {
        let mut row = vec![Cell::from(name)];
        row.extend(n.iter().map(|v| Cell::Number(*v as f64)));
        rows.push(row);
    }
    rows.push(vec![]);
    for (m, n) in counts.months {
        let mut row = vec![Cell::from(format!("{m}月"))];
        row.extend(n.iter().map(|v| Cell::Number(*v as f64)));
        rows.push(row);
    }
    let mut headers = vec!["组织 / 月份"];
    headers.extend(super::overview::KINDS.iter().map(|(label, _)| *label));
    download(&user, &format!("{}{year}年统计.xlsx", counts.org.name), workbook("统计", &headers, rows))
}

//! Proposals at the console: staff see their organisation's (filtered by state), handling units
//! the ones assigned to them with due dates; one proposal shows everything on it and exactly the
//! actions this person may take now, as the phone's detail offers them (`lvzhi_store::forms`).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use lvzhi_domain::actions::Item;
use lvzhi_domain::org::{Actor, Role};
use lvzhi_domain::proposal::history::HistoryEntry;
use lvzhi_domain::proposal::{Proposal, ProposalState};
use lvzhi_domain::time::{self, to_millis};
use lvzhi_domain::visibility;
use lvzhi_sql::Connection;
use lvzhi_store::proposal::{ProposalSummary, repo};
use lvzhi_store::{forms, org};
use maud::{Markup, html};
use serde::Deserialize;

use super::html::{self, action_form, day, page, paragraphs, when};
use super::session::ConsoleUser;
use crate::AppState;

/// Rows on one page of a list.
pub const PAGE_ROWS: usize = 50;

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    page: Option<usize>,
}

/// One line of the list, with what a row shows beyond the summary.
pub(super) struct Row {
    pub summary: ProposalSummary,
    pub proposer: String,
    pub due: Option<i64>,
}

/// `GET /console/proposals`.
pub async fn list(State(app): State<Arc<AppState>>, user: ConsoleUser, Query(q): Query<ListQuery>) -> Response {
    let state = q.state.as_deref().and_then(|s| ProposalState::ALL.into_iter().find(|x| x.as_str() == s));
    let page_no = q.page.unwrap_or(1).max(1);
    let listed = match app.store.read(|c| rows_for(c, &user, state, Some(page_no))) {
        Ok(listed) => listed,
        Err(e) => return html::failed(&user, e),
    };
    let pages = listed.total.div_ceil(PAGE_ROWS).max(1);
    let export = match state {
        Some(s) => format!("/console/proposals.xlsx?state={}", s.as_str()),
        None => "/console/proposals.xlsx".to_string(),
    };
    let state_link = |s: Option<ProposalState>| match s {
        Some(s) => format!("/console/proposals?state={}", s.as_str()),
        None => "/console/proposals".to_string(),
    };
    let body = html! {
        nav.filters aria-label="按状态筛选" {
            a href=(state_link(None)) aria-current=[state.is_none().then_some("page")] { "全部" }
            @for s in ProposalState::ALL.into_iter().filter(|s| *s != ProposalState::Draft) {
                a href=(state_link(Some(s))) aria-current=[(state == Some(s)).then_some("page")] { (s.label()) }
            }
        }
        p.count { "共 " (listed.total) " 件　" a href=(export) { "导出 Excel" } "　" @if !user.staff_orgs().is_empty() { a href="/console/proposals/stats" { "提案统计" } } }
        @if listed.total == 0 {
            p.empty { "没有符合条件的提案。" }
        } @else {
            table.list {
                thead { tr { th scope="col" { "标题" } th scope="col" { "状态" } th scope="col" { "提案人" } th scope="col" { "办理期限" } th scope="col" { "更新时间" } } }
                tbody {
                    @for r in &listed.rows {
                        tr {
                            td { a href=(format!("/console/proposals/{}", r.summary.id)) { (r.summary.title) } }
                            td { (r.summary.state.label()) }
                            td { (r.proposer) }
                            td { @if let Some(d) = r.due { (day(d)) } @else { "—" } }
                            td { (when(r.summary.updated_at_ms)) }
                        }
                    }
                }
            }
            @if pages > 1 {
                nav.pages aria-label="分页" {
                    @for p in 1..=pages {
                        @let sep = if state.is_some() { "&" } else { "?" };
                        a href=(format!("{}{sep}page={p}", state_link(state))) aria-current=[(p == page_no).then_some("page")] { (p) }
                    }
                }
            }
        }
    };
    page("提案", Some(&user), body).into_response()
}

/// A list as a page shows it: how many there are, and the rows of the page asked for.
pub(super) struct Listed {
    pub total: usize,
    pub rows: Vec<Row>,
}

/// The proposals this person may work on: their organisations' for staff, their unit's for
/// handling units; newest first; the rows of page `page` (from 1), or all of them (`None`, the
/// export). The list is made from the summary columns alone; each row shown is then read whole
/// and checked against `visibility` (a row that fails it is left out of its page).
pub(super) fn rows_for(
    c: &Connection,
    user: &ConsoleUser,
    state: Option<ProposalState>,
    page: Option<usize>,
) -> lvzhi_store::Result<Listed> {
    let states: Vec<ProposalState> = match state {
        Some(s) => vec![s],
        None => ProposalState::ALL.into_iter().filter(|s| *s != ProposalState::Draft).collect(),
    };
    let actors = user.actors();
    let mut seen = std::collections::HashSet::new();
    let mut found: Vec<(ProposalSummary, usize)> = Vec::new();
    for (i, a) in actors.iter().enumerate() {
        let list = match a.role {
            Role::ProposalStaff | Role::OrgAdmin => repo::list_by_org(c, &a.org_id, &states, u32::MAX)?,
            Role::UnitUser => repo::list_by_party(c, a.unit_id.as_deref().unwrap_or_default(), u32::MAX)?,
            Role::Member => continue,
        };
        for s in list {
            if states.contains(&s.state) && seen.insert(s.id.clone()) {
                found.push((s, i));
            }
        }
    }
    found.sort_by_key(|(s, _)| std::cmp::Reverse(s.updated_at_ms));
    let total = found.len();
    let window: Box<dyn Iterator<Item = (ProposalSummary, usize)>> = match page {
        Some(p) => Box::new(found.into_iter().skip((p.max(1) - 1) * PAGE_ROWS).take(PAGE_ROWS)),
        None => Box::new(found.into_iter()),
    };
    let mut rows = Vec::new();
    for (summary, i) in window {
        let Some(p) = repo::load(c, &summary.id)? else { continue };
        if !visibility::can_read_proposal(&actors[i], &p) {
            continue;
        }
        let proposer = name(c, &summary.first_proposer_id)?;
        rows.push(Row { due: due_of(&p), summary, proposer });
    }
    Ok(Listed { total, rows })
}

/// When handling must be done: the extended deadline, or the set one.
fn due_of(p: &Proposal) -> Option<i64> {
    p.extension.as_ref().map(|e| e.until).or(p.handling_deadline).map(to_millis)
}

use org::person_name as name;

fn unit_name(c: &Connection, unit: &str) -> lvzhi_store::Result<String> {
    Ok(org::get_unit(c, unit)?.map(|u| u.name).unwrap_or_else(|| unit.to_string()))
}

/// `GET /console/proposals/{id}`.
pub async fn detail(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(id): Path<String>,
    Query(q): Query<html::Done>,
) -> Response {
    let now = (app.clock)();
    let built = app.store.read(|c| {
        let Some(p) = repo::load(c, &id)? else { return Ok(None) };
        let here: Vec<Actor> = user.actors().into_iter().filter(|a| a.org_id == p.org_id).collect();
        if !here.iter().any(|a| visibility::can_read_proposal(a, &p)) {
            return Ok(None);
        }
        let refs: Vec<&Actor> = here.iter().collect();
        let forms = forms::proposal_kinds(c, &p, &refs, now)
            .into_iter()
            .map(|kind| forms::proposal_form(c, &p, kind))
            .collect::<lvzhi_store::Result<Vec<_>>>()?;
        let people: Vec<(String, String)> = org::people_of(c, &p.org_id)?
            .into_iter()
            .filter(|(_, _, role)| *role == Role::Member)
            .map(|(id, name, _)| (id, name))
            .collect();
        Ok::<_, lvzhi_store::Error>(Some((render(c, &p)?, forms, people)))
    });
    let (info, forms, people) = match html::found(&user, built, "提案", "/console/proposals") {
        Ok(x) => x,
        Err(page) => return *page,
    };
    let back = format!("/console/proposals/{id}");
    let body = html! {
        (q.banner(&[]))
        (info)
        section.actions aria-labelledby="actions-h" {
            h2 #actions-h { "可办理的事项" }
            @if forms.is_empty() {
                p.empty { "当前没有需要您办理的事项。" }
            }
            @for f in &forms { (action_form(&user, Item::Proposal, &id, f, &back, &people)) }
        }
    };
    page("提案详情", Some(&user), body).into_response()
}

/// Everything on a proposal, as staff and units read it.
fn render(c: &Connection, p: &Proposal) -> lvzhi_store::Result<Markup> {
    let settings = org::org_settings(c, &p.org_id)?;
    let mut co = Vec::new();
    for i in &p.invitations {
        co.push((name(c, &i.person_id)?, i.status.label()));
    }
    let mut assignments = Vec::new();
    for a in &p.assignments {
        let due = to_millis(time::add_working_days(a.assigned_at, settings.first_contact_working_days));
        assignments.push((unit_name(c, &a.unit_id)?, a, due));
    }
    let mut history = Vec::new();
    for row in repo::history_rows(c, &p.id)? {
        if let Ok(e) = serde_json::from_str::<HistoryEntry>(&row.canonical) {
            history.push((e.label(), name(c, &e.actor_id)?, e.role.label(), to_millis(e.at), e.reason));
        }
    }
    let mut evaluations = Vec::new();
    for e in &p.evaluations {
        evaluations.push((name(c, &e.person_id)?, e.rating.label(), e.comment.clone(), e.round));
    }
    Ok(html! {
        article.proposal {
            h2 { (p.content.title) }
            dl.facts {
                dt { "状态" } dd { (p.state.label()) }
                dt { "第一提案人" } dd { (name(c, &p.first_proposer_id)?) }
                @if !co.is_empty() {
                    dt { "联名" } dd { @for (n, s) in &co { span.tag { (n) "（" (s) "）" } } }
                }
                @if !p.content.category.is_empty() { dt { "类别" } dd { (p.content.category) } }
                @if let Some(d) = due_of(p) { dt { "办理期限" } dd { (day(d)) } }
                @if let Some(k) = &p.key { dt { "重点提案" } dd { "督办领导：" (k.leader) } }
                @if let Some(note) = &p.closing_note { dt { "办结说明" } dd { (note) } }
            }
            h3 { "案由" }
            div.text { (paragraphs(&p.content.cause)) }
            h3 { "建议" }
            div.text { (paragraphs(&p.content.suggestions)) }
            @if !p.content.attachments.is_empty() { h3 { "附件" } (super::upload::links(&p.content.attachments)) }
        }
        @if !assignments.is_empty() {
            section aria-labelledby="units-h" {
                h2 #units-h { "承办单位" }
                table.list {
                    thead { tr { th scope="col" { "单位" } th scope="col" { "方式" } th scope="col" { "交办时间" } th scope="col" { "首次联系" } th scope="col" { "答复" } } }
                    tbody {
                        @for (unit, a, due) in &assignments {
                            tr {
                                td { (unit) @if !a.is_active() { span.tag { "已退回" } } }
                                td { (a.role.label()) }
                                td { (day(to_millis(a.assigned_at))) }
                                td {
                                    @if let Some(at) = a.first_contact_at { (day(to_millis(at))) }
                                    @else { "应于 " (day(*due)) " 前" }
                                }
                                td {
                                    @if let Some(r) = &a.reply {
                                        strong { (r.approved_category.unwrap_or(r.category).label()) }
                                        @if r.approved_category.is_some() { span.tag { "已审定" } }
                                        div.text { (paragraphs(&r.text)) }
                                        (super::upload::links(&r.attachments))
                                    } @else { "未答复" }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !evaluations.is_empty() {
            section aria-labelledby="eval-h" {
                h2 #eval-h { "提案人测评" }
                ul { @for (n, r, comment, round) in &evaluations { li { (n) "：" (r) @if *round > 1 { "（第" (round) "轮）" } @if !comment.is_empty() { "，" (comment) } } } }
            }
        }
        section aria-labelledby="history-h" {
            h2 #history-h { "办理记录" }
            ol.history {
                @for (label, who, role, at, reason) in &history {
                    li { span.when { (when(*at)) } " " (who) "（" (role) "）" (label) @if let Some(r) = reason { "：" (r) } }
                }
            }
        }
    })
}

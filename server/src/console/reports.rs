//! 社情民意 at the console: the reports staff of an organisation receive (their own
//! organisation's once submitted, and those sent up to them), one report with its history, the
//! staff steps its state allows (the same forms as the phone's), 编发 with the edited text beside
//! the original and the changes marked, and the statistics by organisation and month.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lvzhi_domain::actions::Item;
use lvzhi_domain::consult::report::{self, Report, ReportContent, ReportState, StaffStep};
use lvzhi_domain::protocol::{ActingAs, MutationKind};
use lvzhi_domain::text_diff::{self, Mark};
use lvzhi_domain::visibility;
use lvzhi_sql::Connection;
use lvzhi_store::{consult, forms, org};
use maud::{Markup, html};
use serde::Deserialize;

use super::act::{self, staff_role};
use super::html::{self, action_form, day, page, paragraphs, when};
use super::refusal::Refused;
use super::session::ConsoleUser;
use crate::AppState;

/// The staff organisation of `user` through which they read `r`, if any: its own, or one it
/// was sent up to (as the report's scopes say).
fn reader_org(user: &ConsoleUser, r: &Report) -> Option<String> {
    let scopes = visibility::report_scopes(r);
    user.staff_orgs().into_iter().find(|o| scopes.contains(&visibility::staff_scope(o)))
}

fn names(c: &Connection, ids: &[String]) -> lvzhi_store::Result<String> {
    let mut out = Vec::new();
    for id in ids {
        out.push(org::person_name(c, id)?);
    }
    Ok(out.join("、"))
}

#[derive(Debug, Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    state: Option<String>,
}

/// `GET /console/reports`.
pub async fn list(State(app): State<Arc<AppState>>, user: ConsoleUser, Query(q): Query<ListQuery>) -> Response {
    if user.staff_orgs().is_empty() {
        return (StatusCode::FORBIDDEN, html::refusal(Some(&user), "只有政协机关工作人员可以办理社情民意", "/console"))
            .into_response();
    }
    let state = q.state.as_deref().and_then(|s| ReportState::ALL.into_iter().find(|x| x.as_str() == s));
    let read = app.store.read(|c| {
        let mut rows = Vec::new();
        for r in consult::repo::reports(c)? {
            if reader_org(&user, &r).is_none() || state.is_some_and(|s| s != r.state) {
                continue;
            }
            rows.push((names(c, &r.author_ids)?, r));
        }
        rows.sort_by_key(|(_, r)| std::cmp::Reverse(r.updated_at_ms));
        Ok::<_, lvzhi_store::Error>(rows)
    });
    let rows = match read {
        Ok(rows) => rows,
        Err(e) => return html::failed(&user, e),
    };
    let link = |s: Option<ReportState>| match s {
        Some(s) => format!("/console/reports?state={}", s.as_str()),
        None => "/console/reports".to_string(),
    };
    let body = html! {
        p { a href="/console/reports/stats" { "社情民意统计" } }
        nav.filters aria-label="按状态筛选" {
            a href=(link(None)) aria-current=[state.is_none().then_some("page")] { "全部" }
            @for s in ReportState::ALL.into_iter().filter(|s| *s != ReportState::Draft) {
                a href=(link(Some(s))) aria-current=[(state == Some(s)).then_some("page")] { (s.label()) }
            }
        }
        p.count { "共 " (rows.len()) " 篇" }
        @if rows.is_empty() { p.empty { "没有符合条件的社情民意信息。" } }
        @else {
            table.list {
                thead { tr { th scope="col" { "标题" } th scope="col" { "状态" } th scope="col" { "作者" } th scope="col" { "报送时间" } } }
                tbody {
                    @for (authors, r) in &rows {
                        tr {
                            td { a href=(format!("/console/reports/{}", r.id)) { (r.content.title) } }
                            td { (r.state.label()) }
                            td { (authors) }
                            td { @if let Some(at) = r.submitted_at_ms { (when(at)) } @else { "—" } }
                        }
                    }
                }
            }
        }
    };
    page("社情民意", Some(&user), body).into_response()
}

/// A text with an edit's changes marked: removed runs struck through, added ones underlined.
fn marked(original: &str, edited: &str) -> Markup {
    html! {
        @for (mark, run) in text_diff::diff(original, edited) {
            @match mark {
                Mark::Same => (run),
                Mark::Removed => del { (run) },
                Mark::Added => ins { (run) },
            }
        }
    }
}

const FIELDS: [&str; 4] = ["标题", "基本情况", "问题分析", "意见建议"];

fn fields(c: &ReportContent) -> [&str; 4] {
    [&c.title, &c.situation, &c.analysis, &c.suggestion]
}

/// `GET /console/reports/{id}`.
pub async fn detail(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(id): Path<String>,
    Query(q): Query<html::Done>,
) -> Response {
    let staff = user.staff_orgs();
    let read = app.store.read(|c| {
        let Some(r) = consult::repo::report(c, &id)?.filter(|r| reader_org(&user, r).is_some()) else {
            return Ok(None);
        };
        let steps = forms::report_steps(&r, &staff);
        let options =
            if steps.iter().any(|s| s == "send_up") { forms::send_up_options(c, &r.org_id)? } else { Vec::new() };
        let offered = forms::report_forms(false, &steps, &options);
        let mut editions = Vec::new();
        for e in &r.editions {
            let org_name = org::organisation_name(c, &e.org_id)?;
            editions.push((org_name, e.clone()));
        }
        let mut history = Vec::new();
        for s in &r.history {
            history.push((
                report::step_label(&s.action),
                names(c, std::slice::from_ref(&s.actor_id))?,
                s.at_ms,
                s.note.clone(),
            ));
        }
        Ok::<_, lvzhi_store::Error>(Some((names(c, &r.author_ids)?, steps, offered, editions, history, r)))
    });
    let (authors, steps, offered, editions, history, r) =
        match html::found(&user, read, "社情民意信息", "/console/reports") {
            Ok(x) => x,
            Err(page) => return *page,
        };
    let back = format!("/console/reports/{id}");
    // 编发 starts from this organisation's edition if it made one, else from the authors' text.
    let base =
        reader_org(&user, &r).and_then(|o| r.edition_of(&o).map(|e| e.content.clone())).unwrap_or(r.content.clone());
    let body = html! {
        (q.banner(&[("edited", "已编发")]))
        dl.facts {
            dt { "标题" } dd { (r.content.title) }
            dt { "状态" } dd { (r.state.label()) }
            dt { "作者" } dd { (authors) }
            @if let Some(at) = r.submitted_at_ms { dt { "报送时间" } dd { (when(at)) } }
            @if let Some(reason) = &r.reason { dt { "理由" } dd { (reason) } }
            @if let Some(fb) = &r.feedback { dt { "反馈" } dd { (fb) } }
        }
        @for (label, text) in FIELDS.iter().zip(fields(&r.content)).skip(1) {
            h2 { (label) }
            div.text { (paragraphs(text)) }
        }
        @for (org_name, e) in &editions {
            section.edition aria-label=(format!("{org_name}编发稿")) {
                h2 { (org_name) "编发稿（" (e.issue) "，" (day(e.at_ms)) "）" }
                p.hint { "与原稿对照：删去的文字加删除线，增加的文字加下划线。" }
                table.list.compare {
                    thead { tr { th scope="col" { "栏目" } th scope="col" { "原稿" } th scope="col" { "编发稿（修改处已标出）" } } }
                    tbody {
                        @for ((label, before), after) in FIELDS.iter().zip(fields(&r.content)).zip(fields(&e.content)) {
                            tr { th scope="row" { (label) } td { (before) } td { (marked(before, after)) } }
                        }
                    }
                }
            }
        }
        section aria-labelledby="history-h" {
            h2 #history-h { "办理记录" }
            ol.history { @for (label, who, at, note) in &history { li { span.when { (when(*at)) } " " (who) " " (label) @if !note.is_empty() { "：" (note) } } } }
        }
        section.actions aria-labelledby="actions-h" {
            h2 #actions-h { "可办理的事项" }
            @if offered.is_empty() && !steps.iter().any(|s| s == "edit") { p.empty { "当前没有需要您办理的事项。" } }
            @for f in &offered { (action_form(&user, Item::Report, &id, f, &back, &[])) }
            @if steps.iter().any(|s| s == "edit") {
                details.action {
                    summary { "编发" }
                    form method="post" action=(format!("/console/reports/{id}/edit")) {
                        input type="hidden" name="csrf" value=(user.csrf);
                        input type="hidden" name="_form" value=(super::session::new_form_id());
                        div.field { label for="e-issue" { "刊期" span.hint { "（如：2027年第3期）" } } input #e-issue type="text" name="issue" maxlength="40" required; }
                        div.field { label for="e-title" { "标题" } input #e-title type="text" name="title" maxlength="100" value=(base.title) required; }
                        div.field { label for="e-situation" { "基本情况" } textarea #e-situation name="situation" rows="6" { (base.situation) } }
                        div.field { label for="e-analysis" { "问题分析" } textarea #e-analysis name="analysis" rows="6" { (base.analysis) } }
                        div.field { label for="e-suggestion" { "意见建议" } textarea #e-suggestion name="suggestion" rows="6" { (base.suggestion) } }
                        button type="submit" { "编发" }
                    }
                }
            }
        }
    };
    page("社情民意详情", Some(&user), body).into_response()
}

#[derive(Debug, Deserialize)]
pub struct EditForm {
    csrf: Option<String>,
    #[serde(rename = "_form")]
    form: String,
    issue: String,
    title: String,
    #[serde(default)]
    situation: String,
    #[serde(default)]
    analysis: String,
    #[serde(default)]
    suggestion: String,
}

/// `POST /console/reports/{id}/edit`: 编发, decided by the report's rules.
pub async fn edit(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(id): Path<String>,
    Form(f): Form<EditForm>,
) -> Response {
    let back = format!("/console/reports/{id}");
    let refuse = |r: Refused| r.page(&user, &back);
    if let Err(e) = user.check_csrf(f.csrf.as_deref()) {
        return refuse(Refused::new(e.status, e.message));
    }
    let read = app.store.read(|c| consult::repo::report(c, &id));
    let Some((r, org)) = read.ok().flatten().and_then(|r| reader_org(&user, &r).map(|o| (r, o))) else {
        return refuse(Refused::new(StatusCode::NOT_FOUND, "没有找到该社情民意信息，或您无权查看"));
    };
    let Some(acting): Option<ActingAs> = staff_role(&user, &org) else {
        return refuse(Refused::new(StatusCode::FORBIDDEN, "只有本组织的工作人员可以编发"));
    };
    let content = ReportContent {
        title: f.title,
        situation: f.situation,
        analysis: f.analysis,
        suggestion: f.suggestion,
        attachments: r.content.attachments.clone(),
    };
    let step = StaffStep::Edit { issue: f.issue, content };
    act::push_then(
        &app,
        &user,
        acting,
        &f.form,
        MutationKind::ReportStep { report_id: id.clone(), step },
        &format!("{back}?done=edited"),
        &back,
    )
    .await
}

#[derive(Debug, Deserialize, Default)]
pub struct StatsQuery {
    #[serde(default)]
    org: Option<String>,
}

/// `GET /console/reports/stats`: by organisation and month, the organisation's own and those
/// below it (organisations only).
pub async fn stats(State(app): State<Arc<AppState>>, user: ConsoleUser, Query(q): Query<StatsQuery>) -> Response {
    let staff = user.staff_orgs();
    let Some(org_id) = q.org.or_else(|| staff.first().cloned()) else {
        return (StatusCode::FORBIDDEN, html::refusal(Some(&user), "只有政协机关工作人员可以查看统计", "/console"))
            .into_response();
    };
    let read = app.store.read(|c| {
        let chain: Vec<String> = org::ancestry(c, &org_id)?.into_iter().map(|o| o.id).collect();
        if !chain.iter().any(|o| staff.contains(o)) {
            return Ok(None);
        }
        consult::stats::report_stats(c, &org_id).map(Some)
    });
    let rows = match read {
        Ok(Some(rows)) => rows,
        Ok(None) => {
            return (
                StatusCode::FORBIDDEN,
                html::refusal(Some(&user), "只能查看本组织及下级组织的统计", "/console/reports"),
            )
                .into_response();
        }
        Err(e) => return html::failed(&user, e),
    };
    let body = html! {
        @if rows.is_empty() { p.empty { "还没有社情民意信息。" } }
        @else {
            table.list #report-stats {
                thead { tr {
                    th scope="col" { "组织" } th scope="col" { "月份" } th scope="col" { "报送" } th scope="col" { "受理" }
                    th scope="col" { "编发" } th scope="col" { "报送上级" } th scope="col" { "获批示" } th scope="col" { "被上级采用" }
                } }
                tbody {
                    @for r in &rows {
                        tr {
                            td { (r.org_name) } td { (r.month) } td { (r.submitted) } td { (r.accepted) }
                            td { (r.edited) } td { (r.sent_up) } td { (r.instructed) } td { (r.adopted_above) }
                        }
                    }
                }
            }
        }
    };
    page("社情民意统计", Some(&user), body).into_response()
}

//! 学习交流群 and 线上读书 at the console, for staff: the organisation's groups with their
//! members, a new group, and for a reading group (读书群) its reading plan (what to read, when,
//! and who leads) with the 导读 its lead readers post from their phones (the rule gives 导读 to
//! them, not to staff). What members wrote in their reading notes is theirs and their group's:
//! the plan page shows none of it.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, TimeZone};
use lvzhi_domain::chat::GroupKind;
use lvzhi_domain::ids::new_id;
use lvzhi_domain::org::Role;
use lvzhi_domain::protocol::MutationKind;
use lvzhi_domain::study::reading::ReadingItem;
use lvzhi_domain::time::cst;
use lvzhi_store::{chat, org, study};
use maud::html;

use super::act::{self, staff_role};
use super::html::{self, day, page, paragraphs, when};
use super::refusal::Refused;
use super::session::ConsoleUser;
use crate::AppState;

type Fields = Vec<(String, String)>;

fn get<'a>(f: &'a Fields, k: &str) -> &'a str {
    f.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim()).unwrap_or_default()
}

fn all(f: &Fields, k: &str) -> Vec<String> {
    f.iter().filter(|(key, _)| key == k).map(|(_, v)| v.clone()).collect()
}

fn day_ms(d: &str, end: bool) -> Option<i64> {
    let d = NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok()?;
    let t = if end { d.and_hms_opt(23, 59, 59)? } else { d.and_hms_opt(0, 0, 0)? };
    cst().from_local_datetime(&t).single().map(|t| t.timestamp_millis())
}

/// `GET /console/groups`.
pub async fn list(State(app): State<Arc<AppState>>, user: ConsoleUser, Query(q): Query<html::Done>) -> Response {
    let orgs = user.staff_orgs();
    if orgs.is_empty() {
        return (
            StatusCode::FORBIDDEN,
            html::refusal(Some(&user), "只有政协机关工作人员可以管理学习交流群", "/console"),
        )
            .into_response();
    }
    let read = app.store.read(|c| {
        let mut groups = Vec::new();
        let mut people = Vec::new();
        for o in &orgs {
            groups.extend(chat::repo::groups_of_org(c, o)?);
            people.extend(org::people_of(c, o)?.into_iter().filter(|(_, _, r)| *r == Role::Member));
        }
        Ok::<_, lvzhi_store::Error>((groups, people, user.staff_org_names(c)?))
    });
    let (groups, people, names) = match read {
        Ok(x) => x,
        Err(e) => return html::failed(&user, e),
    };
    let body = html! {
        (q.banner(&[("1", "学习交流群已建立")]))
        @if groups.is_empty() { p.empty { "还没有学习交流群。用下面的表单建立第一个。" } }
        @else {
            table.list {
                thead { tr { th scope="col" { "群名称" } th scope="col" { "类别" } th scope="col" { "成员" } } }
                tbody {
                    @for g in &groups {
                        tr {
                            td { a href=(format!("/console/groups/{}", g.id)) { (g.name) } }
                            td { (g.kind.label()) }
                            td { (g.members.len()) " 人" }
                        }
                    }
                }
            }
        }
        section aria-labelledby="new-h" {
            h2 #new-h { "建立学习交流群" }
            form method="post" action="/console/groups" {
                input type="hidden" name="csrf" value=(user.csrf);
                input type="hidden" name="_form" value=(super::session::new_form_id());
                (html::org_select(&names, "g-org", "组织"))
                div.field { label for="g-name" { "群名称" } input #g-name type="text" name="name" maxlength="40" required; }
                div.field { label for="g-kind" { "类别" } select #g-kind name="kind" required { @for k in GroupKind::ALL { option value=(k.as_str()) { (k.label()) } } } }
                div.field {
                    label for="g-members" { "成员" span.hint { "（按住 Ctrl 可多选）" } }
                    select #g-members name="member" multiple size="8" required { @for (id, name, _) in &people { option value=(id) { (name) } } }
                }
                button type="submit" { "建立" }
            }
        }
    };
    page("学习交流群", Some(&user), body).into_response()
}

/// `POST /console/groups`.
pub async fn create(State(app): State<Arc<AppState>>, user: ConsoleUser, Form(f): Form<Fields>) -> Response {
    let back = "/console/groups";
    let refuse = |r: Refused| r.page(&user, back);
    if let Err(e) = user.check_csrf(Some(get(&f, "csrf"))) {
        return refuse(Refused::new(e.status, e.message));
    }
    let Some(acting) = staff_role(&user, get(&f, "org")) else {
        return refuse(Refused::new(StatusCode::FORBIDDEN, "只有本组织的工作人员可以建立学习交流群"));
    };
    let Some(kind) = GroupKind::parse(get(&f, "kind")) else {
        return refuse(Refused::new(StatusCode::BAD_REQUEST, "请选择群的类别"));
    };
    let mutation = MutationKind::CreateGroup {
        group_id: new_id(),
        name: get(&f, "name").to_string(),
        kind,
        members: all(&f, "member"),
    };
    act::push_then(&app, &user, acting, get(&f, "_form"), mutation, &format!("{back}?done=1"), back).await
}

/// `GET /console/groups/{id}`: members, and for a 读书群 its plan and 导读.
pub async fn detail(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(id): Path<String>,
    Query(q): Query<html::Done>,
) -> Response {
    let read = app.store.read(|c| {
        let Some(g) = chat::repo::group(c, &id)?.filter(|g| user.is_staff_of(&g.org_id)) else { return Ok(None) };
        let mut members = Vec::new();
        for m in &g.members {
            members.push((m.clone(), org::person_name(c, m)?));
        }
        let plan = study::repo::plan(c, &id)?;
        Ok::<_, lvzhi_store::Error>(Some((g, members, plan)))
    });
    let (g, members, plan) = match html::found(&user, read, "学习交流群", "/console/groups") {
        Ok(x) => x,
        Err(page) => return *page,
    };
    let name_of = |p: &str| members.iter().find(|(id, _)| id == p).map(|(_, n)| n.clone()).unwrap_or_default();
    let body = html! {
        (q.banner(&[("plan", "读书计划已保存")]))
        dl.facts {
            dt { "群名称" } dd { (g.name) }
            dt { "类别" } dd { (g.kind.label()) }
            dt { "成员" } dd { (members.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join("、")) }
        }
        @if g.kind == GroupKind::ReadingGroup {
            section aria-labelledby="plan-h" {
                h2 #plan-h { "读书计划" }
                @if let Some(p) = &plan {
                    table.list #plan {
                        thead { tr { th scope="col" { "书目" } th scope="col" { "作者" } th scope="col" { "起止" } } }
                        tbody { @for it in &p.items { tr { td { (it.title) } td { (it.author) } td { (day(it.from_ms)) " 至 " (day(it.to_ms)) } } } }
                    }
                    p { "领读人：" (p.lead_readers.iter().map(|r| name_of(r)).collect::<Vec<_>>().join("、")) }
                    @for guide in &p.guides {
                        article.guide { h3 { "导读：" (guide.title) } p.hint { (name_of(&guide.author_id)) " · " (when(guide.at_ms)) } div.text { (paragraphs(&guide.text)) } }
                    }
                } @else { p.empty { "还没有读书计划。" } }
                details.action {
                    summary { "制定读书计划" }
                    form method="post" action=(format!("/console/groups/{id}/plan")) {
                        input type="hidden" name="csrf" value=(user.csrf);
                        input type="hidden" name="_form" value=(super::session::new_form_id());
                        @for i in 0..3 {
                            fieldset {
                                legend { "第" (i + 1) "本" @if i > 0 { span.hint { "（选填）" } } }
                                div.field { label for=(format!("b-title-{i}")) { "书名" } input id=(format!("b-title-{i}")) type="text" name="title" maxlength="100" required[i == 0]; }
                                div.field { label for=(format!("b-author-{i}")) { "作者" } input id=(format!("b-author-{i}")) type="text" name="author" maxlength="60"; }
                                div.field { label for=(format!("b-from-{i}")) { "开始日期" } input id=(format!("b-from-{i}")) type="date" name="from"; }
                                div.field { label for=(format!("b-to-{i}")) { "结束日期" } input id=(format!("b-to-{i}")) type="date" name="to"; }
                            }
                        }
                        div.field {
                            label for="b-leads" { "领读人" }
                            select #b-leads name="lead" multiple size="5" { @for (pid, n) in &members { option value=(pid) { (n) } } }
                        }
                        button type="submit" { "保存计划" }
                    }
                }
            }
        }
    };
    page("学习交流群", Some(&user), body).into_response()
}

fn group_staff(app: &AppState, user: &ConsoleUser, id: &str) -> Option<lvzhi_domain::protocol::ActingAs> {
    let g = app.store.read(|c| chat::repo::group(c, id)).ok().flatten()?;
    staff_role(user, &g.org_id)
}

/// `POST /console/groups/{id}/plan`: the books in order, their days, and who leads.
pub async fn set_plan(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    let back = format!("/console/groups/{id}");
    let refuse = |r: Refused| r.page(&user, &back);
    if let Err(e) = user.check_csrf(Some(get(&f, "csrf"))) {
        return refuse(Refused::new(e.status, e.message));
    }
    let Some(acting) = group_staff(&app, &user, &id) else {
        return refuse(Refused::new(StatusCode::NOT_FOUND, "没有找到该学习交流群，或您无权管理"));
    };
    let (titles, authors, froms, tos) = (all(&f, "title"), all(&f, "author"), all(&f, "from"), all(&f, "to"));
    let mut items = Vec::new();
    for (i, title) in titles.iter().enumerate() {
        let title = title.trim();
        if title.is_empty() {
            continue;
        }
        let (Some(from_ms), Some(to_ms)) =
            (froms.get(i).and_then(|d| day_ms(d, false)), tos.get(i).and_then(|d| day_ms(d, true)))
        else {
            return refuse(Refused::new(StatusCode::BAD_REQUEST, format!("请按 年-月-日 填写《{title}》的起止日期")));
        };
        items.push(ReadingItem {
            title: title.to_string(),
            author: authors.get(i).map(|a| a.trim().to_string()).unwrap_or_default(),
            material_id: None,
            from_ms,
            to_ms,
        });
    }
    let mutation = MutationKind::SetReadingPlan { group_id: id.clone(), items, lead_readers: all(&f, "lead") };
    act::push_then(&app, &user, acting, get(&f, "_form"), mutation, &format!("{back}?done=plan"), &back).await
}

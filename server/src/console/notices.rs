//! Notices at the console: the organisation's notices, a new one to any audience of the core,
//! and one notice's follow-up by name (who has read, who answered what), which updates itself
//! while it is open as receipts arrive from phones (server-sent events, [`super::live`]).

use std::sync::Arc;

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, TimeZone};
use lvzhi_domain::actions::{ActionKind, Item};
use lvzhi_domain::duty::notice::{Audience, Notice, NoticeContent, NoticeKind, NoticeStatus};
use lvzhi_domain::ids::new_id;
use lvzhi_domain::protocol::MutationKind;
use lvzhi_domain::time::cst;
use lvzhi_domain::visibility;
use lvzhi_store::{duty, org};
use maud::html;

use super::act::{self, staff_role};
use super::html::{self, action_form, page, paragraphs, when};
use super::refusal::Refused;
use super::session::ConsoleUser;
use super::upload::links;
use crate::AppState;

/// `GET /console/notices`.
pub async fn list(State(app): State<Arc<AppState>>, user: ConsoleUser) -> Response {
    let orgs = user.staff_orgs();
    if orgs.is_empty() {
        return (StatusCode::FORBIDDEN, html::refusal(Some(&user), "只有政协机关工作人员可以管理通知", "/console"))
            .into_response();
    }
    let read = app.store.read(|c| {
        let mut notices: Vec<Notice> = Vec::new();
        for o in &orgs {
            notices.extend(duty::repo::notices_of_org(c, o)?);
        }
        notices.sort_by_key(|n| std::cmp::Reverse(n.published_at_ms));
        let names = user.staff_org_names(c)?;
        // Sectors, committees and members of the organisations, for the narrower audiences.
        let mut groups = Vec::new();
        let mut people = Vec::new();
        for o in &orgs {
            groups.extend(org::member_groups(c, o)?);
            people.extend(org::people_of(c, o)?.into_iter().filter(|(_, _, r)| *r == lvzhi_domain::org::Role::Member));
        }
        Ok::<_, lvzhi_store::Error>((notices, names, groups, people))
    });
    let (notices, names, groups, people) = match read {
        Ok(x) => x,
        Err(e) => {
            return html::failed(&user, e);
        }
    };
    let body = html! {
        @if notices.is_empty() { p.empty { "还没有发布过通知。用下面的表单发布第一条。" } }
        @else {
            table.list {
                thead { tr { th scope="col" { "标题" } th scope="col" { "类别" } th scope="col" { "发布时间" } th scope="col" { "回执截止" } th scope="col" { "状态" } } }
                tbody {
                    @for n in &notices {
                        tr {
                            td { a href=(format!("/console/notices/{}", n.id)) { (n.content.title) } }
                            td { (n.content.kind.label()) }
                            td { (when(n.published_at_ms)) }
                            td { @if let Some(d) = n.content.reply_deadline_ms { (when(d)) } @else { "—" } }
                            td { @if n.status == NoticeStatus::Withdrawn { "已撤回" } @else if n.is_corrected() { "已更正" } @else { "已发布" } }
                        }
                    }
                }
            }
        }
        section aria-labelledby="new-h" {
            h2 #new-h { "发布通知" }
            form method="post" action="/console/notices" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(user.csrf);
                input type="hidden" name="_form" value=(super::session::new_form_id());
                (html::org_select(&names, "n-org", "发布组织"))
                div.field {
                    label for="n-kind" { "类别" }
                    select #n-kind name="kind" required { @for k in NoticeKind::ALL { option value=(k.as_str()) { (k.label()) } } }
                }
                div.field { label for="n-title" { "标题" } input #n-title type="text" name="title" maxlength="100" required; }
                div.field { label for="n-body" { "正文" } textarea #n-body name="body" rows="8" maxlength="20000" required {} }
                fieldset {
                    legend { "发送范围" }
                    div.check { input #n-a1 type="radio" name="audience" value="members" checked; label for="n-a1" { "本组织委员" } }
                    div.check { input #n-a2 type="radio" name="audience" value="members_below"; label for="n-a2" { "本组织及下级组织委员" } }
                    div.check { input #n-a3 type="radio" name="audience" value="org"; label for="n-a3" { "本组织全体人员" } }
                    div.check { input #n-a4 type="radio" name="audience" value="org_below"; label for="n-a4" { "本组织及下级组织全体人员" } }
                    @if !groups.is_empty() {
                        div.check { input #n-a5 type="radio" name="audience" value="groups"; label for="n-a5" { "以下界别、专委会的委员" } }
                        @for (i, g) in groups.iter().enumerate() {
                            div.check.indent {
                                input id=(format!("n-g{i}")) type="checkbox" name="group" value=(g.id);
                                label for=(format!("n-g{i}")) { (g.name) }
                            }
                        }
                    }
                    div.check { input #n-a6 type="radio" name="audience" value="people"; label for="n-a6" { "指定委员" } }
                    div.field.indent {
                        label for="n-people" { "委员" span.hint { "（按住 Ctrl 可多选）" } }
                        select #n-people name="person" multiple size="6" { @for (id, name, _) in &people { option value=(id) { (name) } } }
                    }
                }
                div.check { input #n-reply type="checkbox" name="asks_reply" value="yes"; label for="n-reply" { "需要回执" } }
                div.check {
                    input #n-urgent type="checkbox" name="urgent" value="yes";
                    label for="n-urgent" { "紧急" span.hint { "（收不到推送的委员会收到短信）" } }
                }
                div.field { label for="n-deadline" { "回执截止日期" span.hint { "（选填，当天24时截止）" } } input #n-deadline type="date" name="deadline"; }
                div.field {
                    label for="n-files" { "附件" span.hint { "（选填：PDF、Word、Excel、图片或文本）" } }
                    input #n-files type="file" name="files" multiple accept=".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png,.txt";
                }
                button type="submit" { "发布" }
            }
        }
    };
    page("通知", Some(&user), body).into_response()
}

/// `POST /console/notices`: publishes, decided by the same rules as a phone's publication.
pub async fn create(State(app): State<Arc<AppState>>, user: ConsoleUser, form: Multipart) -> Response {
    let back = "/console/notices";
    let refuse = |r: Refused| r.page(&user, back);
    let (f, acting) = match act::checked_for_org(form, &user, "发布通知").await {
        Ok(checked) => checked,
        Err(r) => return refuse(r),
    };
    let field = |k: &str| f.get(k).unwrap_or_default().to_string();
    let Some(kind) = NoticeKind::ALL.into_iter().find(|k| k.as_str() == field("kind")) else {
        return refuse(Refused::new(StatusCode::BAD_REQUEST, "请选择通知类别"));
    };
    let audience = match field("audience").as_str() {
        "members" => Audience::Members { subordinates: false },
        "members_below" => Audience::Members { subordinates: true },
        "org" => Audience::Organisation { subordinates: false },
        "org_below" => Audience::Organisation { subordinates: true },
        "groups" => Audience::Groups { group_ids: f.all("group") },
        "people" => Audience::People { person_ids: f.all("person") },
        _ => return refuse(Refused::new(StatusCode::BAD_REQUEST, "请选择发送范围")),
    };
    let deadline = match f.get("deadline").map(str::trim).filter(|d| !d.is_empty()) {
        None => None,
        Some(d) => match NaiveDate::parse_from_str(d, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(23, 59, 59)) {
            Some(end) => cst().from_local_datetime(&end).single().map(|t| t.timestamp_millis()),
            None => return refuse(Refused::new(StatusCode::BAD_REQUEST, "回执截止日期请按 年-月-日 填写")),
        },
    };
    // The files first, as a phone uploads before it sends: the notice refers to whole blobs.
    let attachments = match f.store_files(&app, &user).await {
        Ok(a) => a,
        Err(r) => return refuse(r),
    };
    let content = NoticeContent {
        title: field("title"),
        body: field("body"),
        kind,
        audience,
        asks_reply: f.get("asks_reply").is_some(),
        reply_deadline_ms: deadline,
        attachments,
        urgent: f.get("urgent").is_some(),
    };
    let id = new_id();
    let form_id = field("_form");
    act::push_then(
        &app,
        &user,
        acting,
        &form_id,
        MutationKind::PublishNotice { notice_id: id.clone(), content },
        &format!("/console/notices/{id}?done=published"),
        back,
    )
    .await
}

/// `GET /console/notices/{id}`: the notice and its follow-up by name.
pub async fn detail(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(id): Path<String>,
    Query(q): Query<html::Done>,
) -> Response {
    let read = app.store.read(|c| {
        let Some(n) = duty::repo::notice(c, &id)?.filter(|n| user.is_staff_of(&n.org_id)) else { return Ok(None) };
        let follow = duty::audience::notice_follow_up(c, &id)?;
        let mut orgs = std::collections::BTreeMap::new();
        for l in &follow.lines {
            if !orgs.contains_key(&l.org_id) {
                let name = org::organisation_name(c, &l.org_id)?;
                orgs.insert(l.org_id.clone(), name);
            }
        }
        Ok::<_, lvzhi_store::Error>(Some((n, follow, orgs)))
    });
    let (n, follow, orgs) = match html::found(&user, read, "通知", "/console/notices") {
        Ok(x) => x,
        Err(page) => return *page,
    };
    let back = format!("/console/notices/{id}");
    let live = n.status == NoticeStatus::Published;
    let withdraw = lvzhi_domain::actions::describe(ActionKind::NoticeWithdraw);
    let body = html! {
        (q.banner(&[("published", "通知已发布"), ("corrected", "通知已更正，收到的人会看到更正说明")]))
        dl.facts {
            dt { "标题" } dd { (n.content.title) }
            dt { "类别" } dd { (n.content.kind.label()) }
            dt { "发布时间" } dd { (when(n.published_at_ms)) }
            @if let Some(d) = n.content.reply_deadline_ms { dt { "回执截止" } dd { (when(d)) } }
            @if let Some(reason) = &n.withdrawn_reason { dt { "已撤回" } dd { (reason) } }
        }
        div.text { (paragraphs(&n.content.body)) }
        @if !n.content.attachments.is_empty() { h2 { "附件" } (links(&n.content.attachments)) }
        // Replaced in place by the script when a receipt arrives.
        section #followup aria-labelledby="followup-h" aria-live="polite"
            data-live=[live.then(|| visibility::staff_scope(&n.org_id))] {
            h2 #followup-h { "回执跟进" }
            p { a href=(format!("/console/notices/{id}/followup.xlsx")) { "导出 Excel" } }
            p.count #followup-count {
                "应收 " (follow.recipients) " 人，已读 " (follow.read) " 人"
                @if n.content.asks_reply { "，已回执 " (follow.answered) " 人" }
            }
            table.list {
                thead { tr { th scope="col" { "姓名" } th scope="col" { "组织" } th scope="col" { "已读" } th scope="col" { "回执" } th scope="col" { "说明" } } }
                tbody {
                    @for l in &follow.lines {
                        tr {
                            td { (l.name) }
                            td { (orgs.get(&l.org_id).cloned().unwrap_or_default()) }
                            td { @if l.read { "已读" } @else { "未读" } }
                            td { @if let Some(a) = l.answer { (a.label()) } @else { "—" } }
                            td { (l.note) }
                        }
                    }
                }
            }
        }
        @if live {
            section.actions aria-labelledby="actions-h" {
                h2 #actions-h { "可办理的事项" }
                details.action {
                    summary { "更正通知" }
                    form method="post" action=(format!("/console/notices/{id}/correct")) {
                        input type="hidden" name="csrf" value=(user.csrf);
                        input type="hidden" name="_form" value=(super::session::new_form_id());
                        div.field { label for="c-title" { "标题" } input #c-title type="text" name="title" maxlength="100" value=(n.content.title) required; }
                        div.field { label for="c-body" { "正文" } textarea #c-body name="body" rows="8" maxlength="20000" required { (n.content.body) } }
                        div.field { label for="c-note" { "更正说明" } input #c-note type="text" name="note" maxlength="200" required; }
                        button type="submit" { "更正" }
                    }
                }
                (action_form(&user, Item::Notice, &id, &withdraw, &back, &[]))
            }
        }
    };
    page("通知详情", Some(&user), body).into_response()
}

#[derive(Debug, serde::Deserialize)]
pub struct CorrectForm {
    csrf: Option<String>,
    #[serde(rename = "_form")]
    form: String,
    title: String,
    body: String,
    note: String,
}

/// `POST /console/notices/{id}/correct`: a new version of the text, with what was corrected;
/// the audience, the 回执 and the files stay as published.
pub async fn correct(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(id): Path<String>,
    axum::Form(f): axum::Form<CorrectForm>,
) -> Response {
    let back = format!("/console/notices/{id}");
    let refuse = |r: Refused| r.page(&user, &back);
    if let Err(e) = user.check_csrf(f.csrf.as_deref()) {
        return refuse(Refused::new(e.status, e.message));
    }
    let read = app.store.read(|c| duty::repo::notice(c, &id));
    let Some(n) = read.ok().flatten().filter(|n| user.is_staff_of(&n.org_id)) else {
        return refuse(Refused::new(StatusCode::NOT_FOUND, "没有找到该通知，或您无权查看"));
    };
    let Some(acting) = staff_role(&user, &n.org_id) else {
        return refuse(Refused::new(StatusCode::FORBIDDEN, "只有本组织的工作人员可以更正通知"));
    };
    let content = NoticeContent { title: f.title, body: f.body, ..n.content };
    let mutation = MutationKind::CorrectNotice { notice_id: id.clone(), content, note: f.note };
    act::push_then(&app, &user, acting, &f.form, mutation, &format!("{back}?done=corrected"), &back).await
}

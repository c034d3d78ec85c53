//! 网络议政 at the console: staff open a topic to an audience for a period, follow the posts
//! as they come, hide one with a reason (the author keeps it, everyone else reads that it was
//! hidden), close the topic, and publish the 综述 quoting the posts it used — the same forms as
//! the phone's.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, TimeZone};
use lvzhi_domain::actions::{ActionKind, Item};
use lvzhi_domain::consult::topic::{Topic, TopicDraft};
use lvzhi_domain::duty::notice::Audience;
use lvzhi_domain::form::ChoiceOption;
use lvzhi_domain::ids::new_id;
use lvzhi_domain::protocol::MutationKind;
use lvzhi_domain::time::cst;
use lvzhi_store::{consult, forms, org};
use maud::html;
use serde::Deserialize;

use super::act::{self, staff_role};
use super::html::{self, action_form, page, paragraphs, when};
use super::refusal::Refused;
use super::session::ConsoleUser;
use crate::AppState;

fn status(t: &Topic, now: i64) -> &'static str {
    if t.summary.is_some() {
        "已发布综述"
    } else if now < t.opens_at_ms {
        "未开始"
    } else if t.is_open_at(now) {
        "进行中"
    } else {
        "已结束"
    }
}

/// `GET /console/topics`.
pub async fn list(State(app): State<Arc<AppState>>, user: ConsoleUser) -> Response {
    let orgs = user.staff_orgs();
    if orgs.is_empty() {
        return (StatusCode::FORBIDDEN, html::refusal(Some(&user), "只有政协机关工作人员可以组织网络议政", "/console"))
            .into_response();
    }
    let now = lvzhi_domain::time::to_millis((app.clock)());
    let read = app.store.read(|c| {
        let mut topics: Vec<Topic> = Vec::new();
        for o in &orgs {
            topics.extend(consult::repo::topics_of_org(c, o)?);
        }
        topics.sort_by_key(|t| std::cmp::Reverse(t.opens_at_ms));
        let names = user.staff_org_names(c)?;
        Ok::<_, lvzhi_store::Error>((topics, names))
    });
    let (topics, names) = match read {
        Ok(x) => x,
        Err(e) => return html::failed(&user, e),
    };
    let body = html! {
        @if topics.is_empty() { p.empty { "还没有网络议政议题。用下面的表单发起第一个。" } }
        @else {
            table.list {
                thead { tr { th scope="col" { "议题" } th scope="col" { "开始" } th scope="col" { "结束" } th scope="col" { "状态" } } }
                tbody {
                    @for t in &topics {
                        tr {
                            td { a href=(format!("/console/topics/{}", t.id)) { (t.title) } }
                            td { (when(t.opens_at_ms)) } td { (when(t.closes_at_ms)) } td { (status(t, now)) }
                        }
                    }
                }
            }
        }
        section aria-labelledby="new-h" {
            h2 #new-h { "发起议题" }
            form method="post" action="/console/topics" {
                input type="hidden" name="csrf" value=(user.csrf);
                input type="hidden" name="_form" value=(super::session::new_form_id());
                (html::org_select(&names, "t-org", "组织"))
                div.field { label for="t-title" { "议题" } input #t-title type="text" name="title" maxlength="100" required; }
                div.field { label for="t-background" { "背景材料" } textarea #t-background name="background" rows="6" maxlength="20000" required {} }
                fieldset {
                    legend { "参与范围" }
                    div.check { input #t-a1 type="radio" name="audience" value="members" checked; label for="t-a1" { "本组织委员" } }
                    div.check { input #t-a2 type="radio" name="audience" value="members_below"; label for="t-a2" { "本组织及下级组织委员" } }
                }
                div.field { label for="t-opens" { "开始日期" } input #t-opens type="date" name="opens" required; }
                div.field { label for="t-closes" { "结束日期" span.hint { "（当天24时结束）" } } input #t-closes type="date" name="closes" required; }
                button type="submit" { "发起" }
            }
        }
    };
    page("网络议政", Some(&user), body).into_response()
}

#[derive(Debug, Deserialize)]
pub struct NewTopic {
    csrf: Option<String>,
    #[serde(rename = "_form")]
    form: String,
    org: String,
    title: String,
    background: String,
    audience: String,
    opens: String,
    closes: String,
}

fn day_at(d: &str, end: bool) -> Option<i64> {
    let d = NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok()?;
    let t = if end { d.and_hms_opt(23, 59, 59)? } else { d.and_hms_opt(0, 0, 0)? };
    cst().from_local_datetime(&t).single().map(|t| t.timestamp_millis())
}

/// `POST /console/topics`.
pub async fn create(State(app): State<Arc<AppState>>, user: ConsoleUser, Form(f): Form<NewTopic>) -> Response {
    let back = "/console/topics";
    let refuse = |r: Refused| r.page(&user, back);
    if let Err(e) = user.check_csrf(f.csrf.as_deref()) {
        return refuse(Refused::new(e.status, e.message));
    }
    let Some(acting) = staff_role(&user, &f.org) else {
        return refuse(Refused::new(StatusCode::FORBIDDEN, "只有本组织的工作人员可以发起议题"));
    };
    let (Some(opens_at_ms), Some(closes_at_ms)) = (day_at(&f.opens, false), day_at(&f.closes, true)) else {
        return refuse(Refused::new(StatusCode::BAD_REQUEST, "日期请按 年-月-日 填写"));
    };
    let audience = Audience::Members { subordinates: f.audience == "members_below" };
    let draft = TopicDraft { title: f.title, background: f.background, audience, opens_at_ms, closes_at_ms };
    let id = new_id();
    act::push_then(
        &app,
        &user,
        acting,
        &f.form,
        MutationKind::OpenTopic { topic_id: id.clone(), draft },
        &format!("/console/topics/{id}?done=opened"),
        back,
    )
    .await
}

/// `GET /console/topics/{id}`: the posts as they come (live), with moderation and the 综述.
pub async fn detail(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(id): Path<String>,
    Query(q): Query<html::Done>,
) -> Response {
    let now = lvzhi_domain::time::to_millis((app.clock)());
    let read = app.store.read(|c| {
        let Some(t) = consult::repo::topic(c, &id)?.filter(|t| user.is_staff_of(&t.org_id)) else { return Ok(None) };
        let mut posts = Vec::new();
        for p in consult::repo::posts_of_topic(c, &id)? {
            let name = org::person_name(c, &p.author_id)?;
            posts.push((name, p));
        }
        posts.sort_by_key(|(_, p)| p.written_at_ms);
        Ok::<_, lvzhi_store::Error>(Some((t, posts)))
    });
    let (t, posts) = match html::found(&user, read, "议题", "/console/topics") {
        Ok(x) => x,
        Err(page) => return *page,
    };
    let quotable: Vec<ChoiceOption> = posts
        .iter()
        .filter(|(_, p)| p.hidden.is_none())
        .map(|(name, p)| ChoiceOption::new(p.id.clone(), format!("{name}：{}", p.text)))
        .collect();
    let forms = forms::topic_forms(&t, true, quotable, now);
    let hide = lvzhi_domain::actions::describe(ActionKind::PostHide);
    let back = format!("/console/topics/{id}");
    let body = html! {
        (q.banner(&[("opened", "议题已发起")]))
        dl.facts {
            dt { "议题" } dd { (t.title) }
            dt { "时间" } dd { (when(t.opens_at_ms)) " 至 " (when(t.closes_at_ms)) }
            dt { "状态" } dd { (status(&t, now)) }
        }
        h2 { "背景材料" }
        div.text { (paragraphs(&t.background)) }
        @if let Some(s) = &t.summary {
            h2 { "议政综述" }
            div.text { (paragraphs(&s.text)) }
        }
        section #posts aria-labelledby="posts-h" aria-live="polite" data-live=(lvzhi_domain::visibility::staff_scope(&t.org_id)) {
            h2 #posts-h { "委员意见（" (posts.len()) "条）" }
            @if posts.is_empty() { p.empty { "还没有委员发表意见。" } }
            @for (name, p) in &posts {
                article.post {
                    p { strong { (name) } " · " (when(p.written_at_ms)) @if !p.seconds.is_empty() { " · 附议 " (p.seconds.len()) } }
                    div.text { (paragraphs(&p.text)) }
                    @if let Some(m) = &p.hidden {
                        p.bad { "已隐藏：" (m.reason) }
                    } @else {
                        (action_form(&user, Item::Post, &p.id, &hide, &back, &[]))
                    }
                }
            }
        }
        section.actions aria-labelledby="actions-h" {
            h2 #actions-h { "可办理的事项" }
            @if forms.is_empty() { p.empty { "综述已发布。" } }
            @for f in &forms { (action_form(&user, Item::Topic, &id, f, &back, &[])) }
        }
    };
    page("网络议政", Some(&user), body).into_response()
}

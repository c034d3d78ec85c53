//! 委员学习 and 信息发布 at the console, for staff: study materials published to the
//! organisation's members (with files, in a series), news with a cover photo, and withdrawing
//! either with a reason (readers then keep only the title and the reason). Who studied what is
//! the member's own business: no page here shows it.

use std::sync::Arc;

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lvzhi_domain::actions::{ActionKind, Item};
use lvzhi_domain::duty::notice::Audience;
use lvzhi_domain::ids::new_id;
use lvzhi_domain::news::NewsDraft;
use lvzhi_domain::protocol::MutationKind;
use lvzhi_domain::study::material::MaterialDraft;
use lvzhi_store::study;
use maud::html;

use super::act;
use super::html::{self, action_form, page, when};
use super::refusal::Refused;
use super::session::ConsoleUser;
use super::upload::links;
use crate::AppState;

/// `GET /console/materials`.
pub async fn materials(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    axum::extract::Query(q): axum::extract::Query<html::Done>,
) -> Response {
    let orgs = user.staff_orgs();
    if orgs.is_empty() {
        return (StatusCode::FORBIDDEN, html::refusal(Some(&user), "只有政协机关工作人员可以发布学习资料", "/console"))
            .into_response();
    }
    let read = app.store.read(|c| {
        let mut list: Vec<_> = study::repo::materials(c)?.into_iter().filter(|m| orgs.contains(&m.org_id)).collect();
        list.sort_by_key(|m| std::cmp::Reverse(m.published_at_ms));
        Ok::<_, lvzhi_store::Error>(list)
    });
    let (list, names) = match (read, app.store.read(|c| user.staff_org_names(c))) {
        (Ok(l), Ok(n)) => (l, n),
        (Err(e), _) | (_, Err(e)) => return html::failed(&user, e),
    };
    let withdraw = lvzhi_domain::actions::describe(ActionKind::MaterialWithdraw);
    let body = html! {
        (q.banner(&[("published", "已发布")]))
        @if list.is_empty() { p.empty { "还没有学习资料。用下面的表单发布第一份。" } }
        @for m in &list {
            article.material {
                h2 { (m.title) @if let Some(s) = &m.series { span.tag { (s) } } }
                p.hint { (when(m.published_at_ms)) }
                @if let Some(reason) = &m.withdrawn { p.bad { "已撤回：" (reason) } }
                @else {
                    (links(&m.attachments))
                    (action_form(&user, Item::Material, &m.id, &withdraw, "/console/materials", &[]))
                }
            }
        }
        section aria-labelledby="new-h" {
            h2 #new-h { "发布学习资料" }
            form method="post" action="/console/materials" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(user.csrf);
                input type="hidden" name="_form" value=(super::session::new_form_id());
                (html::org_select(&names, "m-org", "发布组织"))
                div.field { label for="m-title" { "标题" } input #m-title type="text" name="title" maxlength="100" required; }
                div.field { label for="m-series" { "专题" span.hint { "（选填）" } } input #m-series type="text" name="series" maxlength="60"; }
                div.field { label for="m-body" { "正文" } textarea #m-body name="body" rows="8" maxlength="50000" required {} }
                div.field { label for="m-files" { "附件" span.hint { "（选填）" } } input #m-files type="file" name="files" multiple accept=".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png,.txt"; }
                div.check { input #m-below type="checkbox" name="below" value="yes" checked; label for="m-below" { "下级组织的委员也可学习" } }
                button type="submit" { "发布" }
            }
        }
    };
    page("学习资料", Some(&user), body).into_response()
}

/// `POST /console/materials`.
pub async fn publish_material(State(app): State<Arc<AppState>>, user: ConsoleUser, form: Multipart) -> Response {
    let back = "/console/materials";
    let refuse = |r: Refused| r.page(&user, back);
    let (f, acting) = match act::checked_for_org(form, &user, "发布学习资料").await {
        Ok(checked) => checked,
        Err(r) => return refuse(r),
    };
    let field = |k: &str| f.get(k).unwrap_or_default().trim().to_string();
    let attachments = match f.store_files(&app, &user).await {
        Ok(a) => a,
        Err(r) => return refuse(r),
    };
    let series = Some(field("series")).filter(|s| !s.is_empty());
    let draft = MaterialDraft {
        title: field("title"),
        body: field("body"),
        series,
        order: 0,
        attachments,
        video: None,
        audience: Audience::Members { subordinates: f.get("below").is_some() },
    };
    let mutation = MutationKind::PublishMaterial { material_id: new_id(), draft };
    act::push_then(
        &app,
        &user,
        acting,
        f.get("_form").unwrap_or_default(),
        mutation,
        &format!("{back}?done=published"),
        back,
    )
    .await
}

/// `GET /console/news`.
pub async fn news(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    axum::extract::Query(q): axum::extract::Query<html::Done>,
) -> Response {
    let orgs = user.staff_orgs();
    if orgs.is_empty() {
        return (StatusCode::FORBIDDEN, html::refusal(Some(&user), "只有政协机关工作人员可以发布信息", "/console"))
            .into_response();
    }
    let read = app.store.read(|c| {
        let list: Vec<_> = study::repo::feed(c, 500)?.into_iter().filter(|n| orgs.contains(&n.org_id)).collect();
        Ok::<_, lvzhi_store::Error>(list)
    });
    let (list, names) = match (read, app.store.read(|c| user.staff_org_names(c))) {
        (Ok(l), Ok(n)) => (l, n),
        (Err(e), _) | (_, Err(e)) => return html::failed(&user, e),
    };
    let withdraw = lvzhi_domain::actions::describe(ActionKind::NewsWithdraw);
    let body = html! {
        (q.banner(&[("published", "已发布")]))
        @if list.is_empty() { p.empty { "还没有发布信息。用下面的表单发布第一条。" } }
        @for n in &list {
            article.news {
                h2 { (n.title) }
                p.hint { (when(n.published_at_ms)) }
                @if let Some(reason) = &n.withdrawn { p.bad { "已撤回：" (reason) } }
                @else {
                    p { (n.summary) }
                    @if let Some(cover) = &n.cover { p { "封面：" } (links(std::slice::from_ref(cover))) }
                    (action_form(&user, Item::News, &n.id, &withdraw, "/console/news", &[]))
                }
            }
        }
        section aria-labelledby="new-h" {
            h2 #new-h { "发布信息" }
            form method="post" action="/console/news" enctype="multipart/form-data" {
                input type="hidden" name="csrf" value=(user.csrf);
                input type="hidden" name="_form" value=(super::session::new_form_id());
                (html::org_select(&names, "w-org", "发布组织"))
                div.field { label for="w-title" { "标题" } input #w-title type="text" name="title" maxlength="100" required; }
                div.field { label for="w-summary" { "摘要" } input #w-summary type="text" name="summary" maxlength="200" required; }
                div.field { label for="w-body" { "正文" } textarea #w-body name="body" rows="8" maxlength="50000" required {} }
                div.field { label for="w-cover" { "封面照片" span.hint { "（选填：JPEG 或 PNG）" } } input #w-cover type="file" name="cover" accept=".jpg,.jpeg,.png"; }
                div.check { input #w-below type="checkbox" name="below" value="yes" checked; label for="w-below" { "下级组织也可看到" } }
                button type="submit" { "发布" }
            }
        }
    };
    page("信息发布", Some(&user), body).into_response()
}

/// `POST /console/news`.
pub async fn publish_news(State(app): State<Arc<AppState>>, user: ConsoleUser, form: Multipart) -> Response {
    let back = "/console/news";
    let refuse = |r: Refused| r.page(&user, back);
    let (f, acting) = match act::checked_for_org(form, &user, "发布信息").await {
        Ok(checked) => checked,
        Err(r) => return refuse(r),
    };
    let field = |k: &str| f.get(k).unwrap_or_default().trim().to_string();
    let cover = match f.store_files(&app, &user).await {
        Ok(mut a) if a.len() <= 1 => a.pop(),
        Ok(_) => return refuse(Refused::new(StatusCode::BAD_REQUEST, "封面只能是一张照片")),
        Err(r) => return refuse(r),
    };
    if cover.as_ref().is_some_and(|c| !c.is_image()) {
        return refuse(Refused::new(StatusCode::BAD_REQUEST, "封面应为 JPEG 或 PNG 照片"));
    }
    let draft = NewsDraft {
        title: field("title"),
        summary: field("summary"),
        body: field("body"),
        cover,
        subordinates: f.get("below").is_some(),
    };
    let mutation = MutationKind::PublishNews { news_id: new_id(), draft };
    act::push_then(
        &app,
        &user,
        acting,
        f.get("_form").unwrap_or_default(),
        mutation,
        &format!("{back}?done=published"),
        back,
    )
    .await
}

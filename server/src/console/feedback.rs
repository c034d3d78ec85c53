//! 意见建议 at the console, for an organisation's administrators: what people sent, newest
//! first, and 答复 for those not yet answered (the same form as the phone's).

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lvzhi_domain::actions::{ActionKind, Item};
use lvzhi_store::{duty, forms, org};
use maud::html;

use super::html::{self, action_form, page, paragraphs, when};
use super::session::ConsoleUser;
use crate::AppState;

/// `GET /console/feedback`.
pub async fn list(State(app): State<Arc<AppState>>, user: ConsoleUser, Query(q): Query<html::Done>) -> Response {
    let admin = user.admin_orgs();
    if admin.is_empty() {
        return (StatusCode::FORBIDDEN, html::refusal(Some(&user), "只有本组织的管理员可以答复意见建议", "/console"))
            .into_response();
    }
    let read = app.store.read(|c| {
        let mut rows = Vec::new();
        for f in duty::repo::feedback_list(c)?.into_iter().filter(|f| admin.contains(&f.org_id)) {
            let name = org::person_name(c, &f.person_id)?;
            rows.push((name, f));
        }
        rows.sort_by_key(|(_, f)| std::cmp::Reverse(f.created_at_ms));
        Ok::<_, lvzhi_store::Error>(rows)
    });
    let rows = match read {
        Ok(rows) => rows,
        Err(e) => return html::failed(&user, e),
    };
    let answer = forms::offered([(true, ActionKind::FeedbackAnswer)]);
    let body = html! {
        (q.banner(&[("feedback-answer", "已答复")]))
        @if rows.is_empty() { p.empty { "还没有收到意见建议。" } }
        @for (name, f) in &rows {
            article.feedback {
                h2 { (name) " · " (when(f.created_at_ms)) }
                div.text { (paragraphs(&f.text)) }
                @if let Some(a) = &f.answer {
                    p { strong { "答复：" } (a) }
                } @else {
                    @for form in &answer { (action_form(&user, Item::Feedback, &f.id, form, "/console/feedback", &[])) }
                }
            }
        }
    };
    page("意见建议", Some(&user), body).into_response()
}

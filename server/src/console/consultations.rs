//! 协商在基层 at the console: the records of grassroots consultations of the organisation and
//! those below it (as their scopes say), and for the organisation's own, each consensus point
//! followed up — 落实中, 已落实, 未落实 with why — by the same rule as on a phone.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDate, TimeZone};
use lvzhi_domain::consult::grassroots::{ConsensusStatus, Consultation};
use lvzhi_domain::protocol::MutationKind;
use lvzhi_domain::time::cst;
use lvzhi_domain::visibility;
use lvzhi_sql::Connection;
use lvzhi_store::{consult, org};
use maud::html;
use serde::Deserialize;

use super::act::{self, staff_role};
use super::html::{self, day, page};
use super::refusal::Refused;
use super::session::ConsoleUser;
use crate::AppState;

/// Whether staff of `user` read `c`: its scopes hold their organisation (everyone there reads
/// it) or that organisation's staff (those above it).
fn readable(c: &Connection, user: &ConsoleUser, x: &Consultation) -> lvzhi_store::Result<bool> {
    let ancestors: Vec<String> = org::ancestry(c, &x.org_id)?.into_iter().skip(1).map(|o| o.id).collect();
    let scopes = visibility::consultation_scopes(x, &ancestors);
    Ok(user
        .staff_orgs()
        .iter()
        .any(|o| scopes.contains(&visibility::staff_scope(o)) || scopes.contains(&visibility::org_scope(o))))
}

/// `GET /console/consultations`.
pub async fn list(State(app): State<Arc<AppState>>, user: ConsoleUser) -> Response {
    if user.staff_orgs().is_empty() {
        return (
            StatusCode::FORBIDDEN,
            html::refusal(Some(&user), "只有政协机关工作人员可以查看协商在基层", "/console"),
        )
            .into_response();
    }
    let read = app.store.read(|c| {
        let mut rows = Vec::new();
        for x in consult::repo::consultations(c)? {
            if readable(c, &user, &x)? {
                let org_name = org::organisation_name(c, &x.org_id)?;
                rows.push((org_name, x));
            }
        }
        rows.sort_by_key(|(_, x)| std::cmp::Reverse(x.date_ms));
        Ok::<_, lvzhi_store::Error>(rows)
    });
    let rows = match read {
        Ok(rows) => rows,
        Err(e) => return html::failed(&user, e),
    };
    let body = html! {
        @if rows.is_empty() { p.empty { "还没有协商在基层的记录。委员和工作人员在手机上记录协商活动。" } }
        @else {
            table.list {
                thead { tr { th scope="col" { "协商议题" } th scope="col" { "组织" } th scope="col" { "乡镇（街道）" } th scope="col" { "日期" } th scope="col" { "共识" } } }
                tbody {
                    @for (org_name, x) in &rows {
                        tr {
                            td { a href=(format!("/console/consultations/{}", x.id)) { (x.topic) } }
                            td { (org_name) } td { (x.township) } td { (day(x.date_ms)) }
                            td { (x.points.iter().filter(|p| p.status == ConsensusStatus::Done).count()) " / " (x.points.len()) " 已落实" }
                        }
                    }
                }
            }
        }
    };
    page("协商在基层", Some(&user), body).into_response()
}

/// `GET /console/consultations/{id}`.
pub async fn detail(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(id): Path<String>,
    Query(q): Query<html::Done>,
) -> Response {
    let read = app.store.read(|c| {
        let Some(x) = consult::repo::consultation(c, &id)? else { return Ok(None) };
        if !readable(c, &user, &x)? {
            return Ok(None);
        }
        let mut members = Vec::new();
        for m in &x.member_ids {
            members.push(org::person_name(c, m)?);
        }
        Ok::<_, lvzhi_store::Error>(Some((members.join("、"), x)))
    });
    let (members, x) = match html::found(&user, read, "协商记录", "/console/consultations") {
        Ok(v) => v,
        Err(page) => return *page,
    };
    let own = user.is_staff_of(&x.org_id);
    let body = html! {
        (q.banner(&[("1", "落实情况已登记")]))
        dl.facts {
            dt { "协商议题" } dd { (x.topic) }
            dt { "乡镇（街道）" } dd { (x.township) }
            dt { "日期、地点" } dd { (day(x.date_ms)) "　" (x.place) }
            dt { "参加委员" } dd { (members) }
            dt { "参加群众" } dd { (x.residents) " 人" }
        }
        h2 { "协商共识" }
        table.list #points {
            thead { tr { th scope="col" { "共识" } th scope="col" { "责任单位" } th scope="col" { "落实情况" } th scope="col" { "说明" } } }
            tbody {
                @for p in &x.points {
                    tr {
                        td { (p.text) }
                        td { (p.unit) }
                        td { (p.status.label()) }
                        td {
                            (p.note)
                            @if own {
                                details.action {
                                    summary { "登记落实情况" }
                                    form method="post" action=(format!("/console/consultations/{}/points/{}", x.id, p.id)) {
                                        input type="hidden" name="csrf" value=(user.csrf);
                                        input type="hidden" name="_form" value=(super::session::new_form_id());
                                        div.field {
                                            label for=(format!("s-{}", p.id)) { "落实情况" }
                                            select id=(format!("s-{}", p.id)) name="status" required {
                                                @for s in ConsensusStatus::ALL { option value=(s.as_str()) selected[s == p.status] { (s.label()) } }
                                            }
                                        }
                                        div.field { label for=(format!("n-{}", p.id)) { "说明" span.hint { "（未落实时必填）" } } textarea id=(format!("n-{}", p.id)) name="note" rows="3" maxlength="2000" {} }
                                        div.field { label for=(format!("d-{}", p.id)) { "日期" } input id=(format!("d-{}", p.id)) type="date" name="date" required; }
                                        button type="submit" { "登记" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page("协商在基层", Some(&user), body).into_response()
}

#[derive(Debug, Deserialize)]
pub struct FollowForm {
    csrf: Option<String>,
    #[serde(rename = "_form")]
    form: String,
    status: String,
    #[serde(default)]
    note: String,
    date: String,
}

/// `POST /console/consultations/{id}/points/{point}`.
pub async fn follow_up(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path((id, point)): Path<(String, String)>,
    Form(f): Form<FollowForm>,
) -> Response {
    let back = format!("/console/consultations/{id}");
    let refuse = |r: Refused| r.page(&user, &back);
    if let Err(e) = user.check_csrf(f.csrf.as_deref()) {
        return refuse(Refused::new(e.status, e.message));
    }
    let read = app.store.read(|c| consult::repo::consultation(c, &id));
    let Some(acting) = read.ok().flatten().and_then(|x| staff_role(&user, &x.org_id)) else {
        return refuse(Refused::new(StatusCode::NOT_FOUND, "没有找到该协商记录，或您无权登记"));
    };
    let Some(status) = ConsensusStatus::ALL.into_iter().find(|s| s.as_str() == f.status) else {
        return refuse(Refused::new(StatusCode::BAD_REQUEST, "请选择落实情况"));
    };
    let Some(date_ms) = NaiveDate::parse_from_str(f.date.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .and_then(|t| cst().from_local_datetime(&t).single())
        .map(|t| t.timestamp_millis())
    else {
        return refuse(Refused::new(StatusCode::BAD_REQUEST, "日期请按 年-月-日 填写"));
    };
    let mutation =
        MutationKind::FollowUpConsensus { consultation_id: id.clone(), point_id: point, status, note: f.note, date_ms };
    act::push_then(&app, &user, acting, &f.form, mutation, &format!("{back}?done=1"), &back).await
}

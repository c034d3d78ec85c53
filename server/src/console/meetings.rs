//! Meetings and activities at the console: the organisation's list, a new one, and one meeting
//! with its roster, the staff's actions (the same forms the phone's meeting screen offers) and
//! the check-in QR code. On screen the code renews every minute and is valid for two, so a
//! photo of it shared later is of little use; the printable poster's code is valid from two
//! hours before the start to the end.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDateTime, TimeZone};
use lvzhi_domain::actions::Item;
use lvzhi_domain::duty::meeting::{BranchVenue, Enrolment, Meeting, MeetingDraft, MeetingKind, RemoteInfo};
use lvzhi_domain::ids::new_id;
use lvzhi_domain::org::{Actor, Role};
use lvzhi_domain::protocol::MutationKind;
use lvzhi_domain::time::{cst, to_millis};
use lvzhi_sql::Connection;
use lvzhi_store::{duty, org};
use maud::{Markup, html};

use super::act::{self, staff_role};
use super::html::{self, action_form, page, paragraphs, trusted_svg, when};
use super::refusal::Refused;
use super::session::ConsoleUser;
use crate::AppState;

/// How long a code shown on screen is valid; the page asks for a new one every minute.
const SCREEN_CODE_MS: i64 = 2 * 60_000;

/// `GET /console/meetings`.
pub async fn list(State(app): State<Arc<AppState>>, user: ConsoleUser) -> Response {
    let orgs = user.staff_orgs();
    if orgs.is_empty() {
        return (StatusCode::FORBIDDEN, html::refusal(Some(&user), "只有政协机关工作人员可以管理会议活动", "/console"))
            .into_response();
    }
    let read = app.store.read(|c| {
        let mut meetings: Vec<Meeting> = Vec::new();
        for o in &orgs {
            meetings.extend(duty::repo::meetings_of_org(c, o)?);
        }
        meetings.sort_by_key(|m| std::cmp::Reverse(m.starts_at_ms));
        let mut branches = Vec::new();
        for o in &orgs {
            for child in org::children(c, o)? {
                branches.push((child.id, child.name));
            }
        }
        Ok::<_, lvzhi_store::Error>((meetings, user.staff_org_names(c)?, branches))
    });
    let (meetings, names, branches) = match read {
        Ok(x) => x,
        Err(e) => {
            return html::failed(&user, e);
        }
    };
    let body = html! {
        @if meetings.is_empty() { p.empty { "还没有会议活动。用下面的表单新建一个。" } }
        @else {
            table.list {
                thead { tr { th scope="col" { "名称" } th scope="col" { "类型" } th scope="col" { "时间" } th scope="col" { "地点" } th scope="col" { "状态" } } }
                tbody {
                    @for m in &meetings {
                        tr {
                            td { a href=(format!("/console/meetings/{}", m.id)) { (m.title) } }
                            td { (m.kind.label()) }
                            td { (when(m.starts_at_ms)) }
                            td { (m.place) }
                            td { @if m.cancelled { "已取消" } @else { "正常" } }
                        }
                    }
                }
            }
        }
        (create_form(&user, &names, &branches))
    };
    page("会议活动", Some(&user), body).into_response()
}

fn create_form(user: &ConsoleUser, orgs: &[(String, String)], branches: &[(String, String)]) -> Markup {
    html! {
        section aria-labelledby="new-h" {
            h2 #new-h { "新建会议活动" }
            form method="post" action="/console/meetings" {
                input type="hidden" name="csrf" value=(user.csrf);
                input type="hidden" name="_form" value=(super::session::new_form_id());
                (html::org_select(orgs, "m-org", "组织"))
                div.field {
                    label for="m-kind" { "类型" }
                    select #m-kind name="kind" required { @for k in MeetingKind::ALL { option value=(k.as_str()) { (k.label()) } } }
                }
                div.field { label for="m-title" { "名称" } input #m-title type="text" name="title" maxlength="100" required; }
                div.field { label for="m-starts" { "开始时间" } input #m-starts type="datetime-local" name="starts" required; }
                div.field { label for="m-ends" { "结束时间" } input #m-ends type="datetime-local" name="ends" required; }
                div.field { label for="m-place" { "地点" } input #m-place type="text" name="place" maxlength="100" required; }
                div.field { label for="m-organiser" { "主办" } input #m-organiser type="text" name="organiser" maxlength="100"; }
                div.field { label for="m-agenda" { "议程" } textarea #m-agenda name="agenda" rows="4" maxlength="5000" {} }
                div.field { label for="m-half" { "计入履职的半天数" } input #m-half type="number" name="half_days" min="0" max="20" value="1"; }
                fieldset {
                    legend { "参加方式" }
                    div.check { input #m-invite type="radio" name="enrolment" value="invite" checked; label for="m-invite" { "邀请本组织全体委员（参加或请假）" } }
                    div.check { input #m-open type="radio" name="enrolment" value="open"; label for="m-open" { "委员自愿报名" } }
                }
                div.field { label for="m-capacity" { "报名名额（自愿报名时）" } input #m-capacity type="number" name="capacity" min="1" max="10000" value="50"; }
                div.check { input #m-leave type="checkbox" name="leave_needs_approval" value="yes" checked; label for="m-leave" { "请假需审批" } }
                fieldset {
                    legend { "远程协商" span.hint { "（选填：主会场与下级组织的分会场视频连线）" } }
                    div.field { label for="m-topic" { "协商议题" } input #m-topic type="text" name="remote_topic" maxlength="100"; }
                    div.field { label for="m-video" { "视频会议链接" } input #m-video type="text" name="video_link" maxlength="300"; }
                    @if !branches.is_empty() {
                        p { "分会场：" }
                        @for (i, (id, name)) in branches.iter().enumerate() {
                            div.check {
                                input id=(format!("m-branch-{i}")) type="checkbox" name="branch" value=(id);
                                label for=(format!("m-branch-{i}")) { (name) }
                            }
                        }
                    }
                }
                button type="submit" { "新建" }
            }
        }
    }
}

/// A `datetime-local` value, read in China Standard Time.
fn local_time(s: &str) -> Option<i64> {
    let naive = NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%dT%H:%M").ok()?;
    cst().from_local_datetime(&naive).single().map(|t| t.timestamp_millis())
}

/// `POST /console/meetings`: a new meeting, decided by the same rules as everywhere.
pub async fn create(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let back = "/console/meetings";
    let get = |k: &str| fields.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim()).unwrap_or_default();
    if let Err(e) = user.check_csrf(Some(get("csrf"))) {
        return (e.status, html::refusal(Some(&user), &e.message, back)).into_response();
    }
    let refuse = |r: Refused| r.page(&user, back);
    let org_id = get("org").to_string();
    let Some(acting) = staff_role(&user, &org_id) else {
        return refuse(Refused::new(StatusCode::FORBIDDEN, "只有本组织的工作人员可以新建会议活动"));
    };
    let (Some(starts), Some(ends)) = (local_time(get("starts")), local_time(get("ends"))) else {
        return refuse(Refused::new(StatusCode::BAD_REQUEST, "请按 年-月-日 时:分 填写开始和结束时间"));
    };
    let Some(kind) = MeetingKind::ALL.into_iter().find(|k| k.as_str() == get("kind")) else {
        return refuse(Refused::new(StatusCode::BAD_REQUEST, "请选择会议活动的类型"));
    };
    let number = |k: &str, default: u32| get(k).parse().ok().unwrap_or(default);
    // 远程协商: a topic makes it one, with the organisations below chosen as 分会场.
    let chosen: Vec<&str> = fields.iter().filter(|(k, _)| k == "branch").map(|(_, v)| v.as_str()).collect();
    let branches = match app.store.read(|c| {
        Ok::<_, lvzhi_store::Error>(
            org::children(c, &org_id)?.into_iter().filter(|o| chosen.contains(&o.id.as_str())).collect::<Vec<_>>(),
        )
    }) {
        Ok(b) => b,
        Err(e) => return refuse(e.into()),
    };
    let remote = (!get("remote_topic").is_empty()).then(|| RemoteInfo {
        topic: get("remote_topic").to_string(),
        main_venue: get("place").to_string(),
        branch_venues: branches
            .iter()
            .map(|o| BranchVenue { place: format!("{}分会场", o.name), org_id: o.id.clone() })
            .collect(),
        video_link: get("video_link").to_string(),
    });
    let enrolment = if get("enrolment") == "open" {
        Enrolment::Open { capacity: number("capacity", 50), sign_up_deadline_ms: None }
    } else {
        // The organisation's members, and at a remote consultation those of each 分会场 too.
        let mut orgs = vec![org_id.clone()];
        if remote.is_some() {
            orgs.extend(branches.iter().map(|o| o.id.clone()));
        }
        let mut person_ids = Vec::new();
        for o in &orgs {
            match app.store.read(|c| org::people_of(c, o)) {
                Ok(m) => person_ids.extend(m.into_iter().filter(|(_, _, r)| *r == Role::Member).map(|(id, ..)| id)),
                Err(e) => return refuse(e.into()),
            }
        }
        person_ids.dedup();
        Enrolment::Invitation { person_ids }
    };
    let draft = MeetingDraft {
        kind,
        title: get("title").to_string(),
        starts_at_ms: starts,
        ends_at_ms: ends,
        place: get("place").to_string(),
        organiser: get("organiser").to_string(),
        agenda: get("agenda").to_string(),
        half_days: number("half_days", 1),
        enrolment,
        leave_needs_approval: !get("leave_needs_approval").is_empty(),
        remote,
    };
    let id = new_id();
    let mutation = MutationKind::CreateMeeting { meeting_id: id.clone(), draft };
    act::push_then(&app, &user, acting, get("_form"), mutation, &format!("/console/meetings/{id}?done=created"), back)
        .await
}

fn staff_meeting(c: &Connection, user: &ConsoleUser, id: &str) -> lvzhi_store::Result<Option<Meeting>> {
    Ok(duty::repo::meeting(c, id)?.filter(|m| user.is_staff_of(&m.org_id)))
}

/// `GET /console/meetings/{id}`.
pub async fn detail(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(id): Path<String>,
    Query(q): Query<html::Done>,
) -> Response {
    let read = app.store.read(|c| {
        let Some(m) = staff_meeting(c, &user, &id)? else { return Ok(None) };
        let forms = act::meeting_forms(c, &m)?;
        let mut roster = Vec::new();
        for a in duty::repo::attendances_of_meeting(c, &id)? {
            let name = org::person_name(c, &a.person_id)?;
            roster.push((name, a));
        }
        roster.sort_by(|a, b| a.0.cmp(&b.0));
        Ok::<_, lvzhi_store::Error>(Some((m, forms, roster)))
    });
    let (m, forms, roster) = match html::found(&user, read, "会议活动", "/console/meetings") {
        Ok(x) => x,
        Err(page) => return *page,
    };
    let back = format!("/console/meetings/{id}");
    let checked = roster.iter().filter(|(_, a)| a.checked_in_at_ms.is_some()).count();
    let body = html! {
        (q.banner(&[("created", "已新建会议活动"), ("document", "会议材料已上传")]))
        dl.facts {
            dt { "名称" } dd #meeting-title { (m.title) }
            dt { "类型" } dd { (m.kind.label()) }
            dt { "时间" } dd { (when(m.starts_at_ms)) " 至 " (when(m.ends_at_ms)) }
            dt { "地点" } dd { (m.place) }
            @if let Some(reason) = &m.cancel_reason { dt { "已取消" } dd { (reason) } }
            @if let Some(r) = &m.remote {
                dt { "远程协商" } dd { (r.topic) }
                @if !r.branch_venues.is_empty() { dt { "分会场" } dd { (r.branch_venues.iter().map(|b| b.place.as_str()).collect::<Vec<_>>().join("、")) } }
            }
        }
        @if !m.agenda.is_empty() { h2 { "议程" } div.text { (paragraphs(&m.agenda)) } }
        @if !m.documents.is_empty() {
            h2 { "会议材料" }
            @for d in &m.documents { h3 { (d.title) } (super::upload::links(&d.attachments)) }
        }
        @if !m.cancelled {
            section.qr aria-labelledby="qr-h" {
                h2 #qr-h { "签到二维码" }
                p { "请委员用“履职”App 扫码签到。屏幕上的二维码每分钟更新一次；需要张贴时请打印" a href=(format!("/console/meetings/{id}/poster")) { "签到海报" } "。" }
                img #checkin-qr src=(format!("/console/meetings/{id}/qr.svg")) data-refresh="60" width="320" height="320" alt="会议签到二维码（每分钟更新）";
            }
        }
        section aria-labelledby="roster-h" {
            h2 #roster-h { "名单" }
            p { "已签到 " (checked) " 人，共 " (roster.len()) " 人" }
            table.list {
                thead { tr { th scope="col" { "姓名" } th scope="col" { "答复" } th scope="col" { "请假" } th scope="col" { "签到" } } }
                tbody {
                    @for (name, a) in &roster {
                        tr {
                            td { (name) }
                            td { (a.reply.label()) @if !a.reason.is_empty() { "：" (a.reason) } }
                            td { @match a.leave { Some(lvzhi_domain::duty::meeting::LeaveDecision::Pending) => "待审批", Some(lvzhi_domain::duty::meeting::LeaveDecision::Approved) => "已批准", Some(lvzhi_domain::duty::meeting::LeaveDecision::Refused) => "未批准", None => "—" } }
                            td {
                                @if let Some(at) = a.checked_in_at_ms { "已签到 " (when(at)) }
                                @else if let Some(excused) = a.absent_excused { @if excused { "请假缺席" } @else { "缺席" } }
                                @else { "未签到" }
                            }
                        }
                    }
                }
            }
        }
        section.actions aria-labelledby="actions-h" {
            h2 #actions-h { "可办理的事项" }
            @for f in &forms { (action_form(&user, Item::Meeting, &id, f, &back, &[])) }
            @if !m.cancelled {
                details.action {
                    summary { "上传会议材料" }
                    form method="post" action=(format!("/console/meetings/{id}/documents")) enctype="multipart/form-data" {
                        input type="hidden" name="csrf" value=(user.csrf);
                        input type="hidden" name="_form" value=(super::session::new_form_id());
                        div.field { label for="d-title" { "材料名称" } input #d-title type="text" name="title" maxlength="100" required; }
                        div.field { label for="d-body" { "说明" span.hint { "（选填）" } } textarea #d-body name="body" rows="3" maxlength="5000" {} }
                        div.field { label for="d-files" { "文件" } input #d-files type="file" name="files" multiple required accept=".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png,.txt"; }
                        button type="submit" { "上传" }
                    }
                }
            }
        }
    };
    page("会议活动", Some(&user), body).into_response()
}

/// A signed check-in code for the meeting, valid between the two instants, as a QR code (SVG).
fn qr_svg(app: &AppState, user: &ConsoleUser, id: &str, window: impl Fn(&Meeting, i64) -> (i64, i64)) -> Response {
    let now = to_millis((app.clock)());
    let code = app.store.write(|tx| {
        let Some(m) = staff_meeting(tx, user, id)? else { return Ok(None) };
        let actor: Actor = user.grants.iter().map(Actor::from).find(|a| a.is_staff_of(&m.org_id)).expect("staff");
        let (from, to) = window(&m, now);
        duty::service::issue_check_in_code(tx, &actor, id, from, to, now).map(Some)
    });
    match code {
        Ok(Some(code)) => match lvzhi_media::qr::qr_svg(&code, 320) {
            Some(svg) => {
                ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "no-store")], svg).into_response()
            }
            None => crate::error::ApiError::internal("签到码过长，无法生成二维码").into_response(),
        },
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => crate::error::ApiError::from(e).into_response(),
    }
}

/// `GET /console/meetings/{id}/qr.svg`: the code on screen.
pub async fn qr(State(app): State<Arc<AppState>>, user: ConsoleUser, Path(id): Path<String>) -> Response {
    qr_svg(&app, &user, &id, |_, now| (now - 30_000, now + SCREEN_CODE_MS))
}

/// `GET /console/meetings/{id}/poster`: a page to print, with a code valid for the meeting.
pub async fn poster(State(app): State<Arc<AppState>>, user: ConsoleUser, Path(id): Path<String>) -> Response {
    let title = app.store.read(|c| {
        Ok::<_, lvzhi_store::Error>(staff_meeting(c, &user, &id)?.map(|m| (m.title, m.place, m.starts_at_ms)))
    });
    let Ok(Some((title, place, starts))) = title else {
        return (
            StatusCode::NOT_FOUND,
            html::refusal(Some(&user), "没有找到该会议活动，或您无权查看", "/console/meetings"),
        )
            .into_response();
    };
    let svg = qr_svg(&app, &user, &id, |m, now| ((m.starts_at_ms - 2 * 3_600_000).min(now), m.ends_at_ms));
    if !svg.status().is_success() {
        return svg;
    }
    let bytes = match axum::body::to_bytes(svg.into_body(), 1 << 20).await {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) => return crate::error::ApiError::internal(e).into_response(),
    };
    let body = html! {
        div.poster {
            p.poster-title { (title) }
            p { (when(starts)) "　" (place) }
            div.poster-qr role="img" aria-label="会议签到二维码" { (trusted_svg(bytes)) }
            p { "请用“履职”App 扫码签到" }
            button.print type="button" data-print="1" { "打印" }
        }
    };
    page("签到海报", Some(&user), body).into_response()
}

/// `POST /console/meetings/{id}/documents`: a document with its files, for the meeting's members.
pub async fn add_document(
    State(app): State<Arc<AppState>>,
    user: ConsoleUser,
    Path(id): Path<String>,
    form: axum::extract::Multipart,
) -> Response {
    let back = format!("/console/meetings/{id}");
    let refuse = |r: Refused| r.page(&user, &back);
    let f = match super::upload::Posted::checked(form, &user).await {
        Ok(f) => f,
        Err(r) => return refuse(r),
    };
    let org = app.store.read(|c| Ok::<_, lvzhi_store::Error>(duty::repo::meeting(c, &id)?.map(|m| m.org_id)));
    let Some(acting) = org.ok().flatten().and_then(|o| staff_role(&user, &o)) else {
        return refuse(Refused::new(StatusCode::NOT_FOUND, "没有找到该会议活动，或您无权查看"));
    };
    let attachments = match f.store_files(&app, &user).await {
        Ok(a) => a,
        Err(r) => return refuse(r),
    };
    let mutation = MutationKind::SetMeetingDocument {
        meeting_id: id.clone(),
        document_id: new_id(),
        title: f.get("title").unwrap_or_default().to_string(),
        body: f.get("body").unwrap_or_default().to_string(),
        attachments,
    };
    act::push_then(
        &app,
        &user,
        acting,
        f.get("_form").unwrap_or_default(),
        mutation,
        &format!("{back}?done=document"),
        &back,
    )
    .await
}
